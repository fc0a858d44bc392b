"""The one door: every event, from the HTTP API, the SDK's local transport or a browser's feedback
token, is validated, passed through the privacy gate and stored here, all or nothing. The
workloads it is logged to are declared here too (type, label set), since capture holds each
output to its workload's declaration."""

from .feedback_tokens import (
    MAX_TTL_S,
    MAX_USES,
    browser_kinds,
    issue_feedback_token,
    submit_feedback,
    verify_feedback_token,
)
from .ingest import Capture
from .workloads import (
    OUTSIDE_LABEL_SET,
    WORKLOAD_TYPES,
    Workload,
    WorkloadType,
    declare_workload,
    get_workload,
    list_workloads,
    workload_stats,
)

__all__ = [
    "MAX_TTL_S",
    "MAX_USES",
    "OUTSIDE_LABEL_SET",
    "WORKLOAD_TYPES",
    "Capture",
    "Workload",
    "WorkloadType",
    "browser_kinds",
    "declare_workload",
    "get_workload",
    "issue_feedback_token",
    "list_workloads",
    "submit_feedback",
    "verify_feedback_token",
    "workload_stats",
]
