"""Evaluation (empty for now). Will hold candidate-versus-production comparisons on held-out
production cases and golden sets: metrics by workload type, clustered bootstrap confidence
intervals, and the gates a candidate must pass."""

__all__: list[str] = []
