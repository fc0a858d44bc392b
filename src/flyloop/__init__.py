"""flyloop: the data flywheel for AI products.

Users import from here only; everything else may change behind this list.
"""

__version__ = "0.1.0"

from .capture import Capture
from .errors import (
    AuthError,
    Conflict,
    ConfigError,
    FlyloopError,
    MalformedBody,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    StoreError,
    TransportError,
    Unavailable,
    ValidationError,
)
from .models import IngestBatch, IngestResult, InteractionIn, OutcomeIn, SignalIn
from .sdk import AsyncFlywheel, Flywheel, Interaction
from .settings import Settings
from .signals import KINDS, SignalKind, register
from .store import Store
from . import coverage, labels  # noqa: E402
from .edits import EditMeasure, EditThresholds
from .labels import Label, LabelStats, Weights
from . import privacy  # noqa: E402  the privacy gate registers itself first among the gates
from .audit import audit_log
from .consent import consent_of, set_consent
from .erasure import erase_user
from .privacy import PrivacyPolicy, privacy_policy, set_privacy_policy, training_allowed
from .pseudonyms import pseudonym
from .redaction import Redactor
from .retention import apply_retention
from .tokens import issue_feedback_token
from . import datasets, exports  # noqa: E402  datasets registers its erasure hook with privacy on import
from .curation import CurationConfig
from .datasets import DatasetVersion
from .exports import ExportResult

__all__ = [
    "AsyncFlywheel",
    "AuthError",
    "Capture",
    "ConfigError",
    "Conflict",
    "CurationConfig",
    "DatasetVersion",
    "EditMeasure",
    "EditThresholds",
    "ExportResult",
    "FlyloopError",
    "Flywheel",
    "IngestBatch",
    "IngestResult",
    "Interaction",
    "InteractionIn",
    "KINDS",
    "Label",
    "LabelStats",
    "MalformedBody",
    "NotFound",
    "OutcomeIn",
    "PayloadTooLarge",
    "PermissionDenied",
    "PrivacyPolicy",
    "RateLimited",
    "Redactor",
    "Settings",
    "SignalIn",
    "SignalKind",
    "Store",
    "StoreError",
    "TransportError",
    "Unavailable",
    "ValidationError",
    "Weights",
    "__version__",
    "apply_retention",
    "audit_log",
    "consent_of",
    "coverage",
    "datasets",
    "erase_user",
    "exports",
    "issue_feedback_token",
    "labels",
    "privacy",
    "privacy_policy",
    "pseudonym",
    "register",
    "set_consent",
    "set_privacy_policy",
    "training_allowed",
]
