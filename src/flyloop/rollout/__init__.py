"""Rollout (empty for now). Will hold experiments: sticky persisted assignment, traffic split, the
sample-ratio-mismatch check, always-valid statistics, guardrails, ramps, and automatic promotion
and rollback at the project's automation level."""

__all__: list[str] = []
