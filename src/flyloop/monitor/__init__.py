"""Monitoring (empty for now). Will hold the rollups and what is read off them: velocity,
regressions, segment disparity, gaming, coverage bias, drift and stall alerts, and the flywheel
report."""

__all__: list[str] = []
