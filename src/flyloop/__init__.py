"""flyloop: the data flywheel for AI products.

Users import from here only; everything else may change behind this list.
"""

from flyloop import datasets, labels, privacy
from flyloop.capture import Capture, Workload, issue_feedback_token
from flyloop.curation import CurationConfig
from flyloop.datasets import DatasetVersion, ExportResult
from flyloop.datasets import export as exports
from flyloop.errors import (
    AuthError,
    BackendError,
    BackendTimeout,
    Cancelled,
    ConfigError,
    Conflict,
    FlyloopError,
    MalformedBody,
    NotEnoughData,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    StoreError,
    TransportError,
    Unavailable,
    ValidationError,
)
from flyloop.events import (
    KINDS,
    EditMeasure,
    EditThresholds,
    IngestBatch,
    IngestResult,
    InteractionIn,
    OutcomeIn,
    SignalIn,
    SignalKind,
    register,
)
from flyloop.labels import Label, LabelStats, Weights
from flyloop.labels import measure_coverage as coverage
from flyloop.privacy import (
    PrivacyPolicy,
    Redactor,
    apply_retention,
    audit_log,
    consent_of,
    erase_user,
    privacy_policy,
    pseudonym,
    set_consent,
    set_privacy_policy,
    training_allowed,
)
from flyloop.registry import PolicySpec, PolicyVersion, StageMove
from flyloop.sdk import AsyncFlywheel, Flywheel, Interaction, Project
from flyloop.settings import Settings
from flyloop.store import Store
from flyloop.version import __version__

__all__ = [
    "AsyncFlywheel",
    "AuthError",
    "BackendError",
    "BackendTimeout",
    "Cancelled",
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
    "NotEnoughData",
    "NotFound",
    "OutcomeIn",
    "PayloadTooLarge",
    "PermissionDenied",
    "PolicySpec",
    "PolicyVersion",
    "PrivacyPolicy",
    "Project",
    "RateLimited",
    "Redactor",
    "Settings",
    "SignalIn",
    "SignalKind",
    "StageMove",
    "Store",
    "StoreError",
    "TransportError",
    "Unavailable",
    "ValidationError",
    "Weights",
    "Workload",
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
