"""The one door: every event, from the HTTP API, the SDK's local transport or a browser's feedback
token, is validated, passed through the privacy gate and stored here, all or nothing."""

from .feedback_tokens import (
    MAX_TTL_S,
    MAX_USES,
    browser_kinds,
    issue_feedback_token,
    submit_feedback,
    verify_feedback_token,
)
from .ingest import Capture

__all__ = [
    "MAX_TTL_S",
    "MAX_USES",
    "Capture",
    "browser_kinds",
    "issue_feedback_token",
    "submit_feedback",
    "verify_feedback_token",
]
