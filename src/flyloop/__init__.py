"""flyloop: the data flywheel for AI products.

Users import from here only; everything else may change behind this list.
"""

__version__ = "0.1.0"

from flyloop.capture.feedback_tokens import issue_feedback_token
from flyloop.capture.ingest import Capture
from flyloop.curation.curate import CurationConfig
from flyloop.datasets import exports
from flyloop.datasets import versions as datasets
from flyloop.datasets.exports import ExportResult
from flyloop.datasets.versions import DatasetVersion
from flyloop.errors import (
    AuthError,
    ConfigError,
    Conflict,
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
from flyloop.events.edits import EditMeasure, EditThresholds
from flyloop.events.kinds import KINDS, SignalKind, register
from flyloop.events.wire import IngestBatch, IngestResult, InteractionIn, OutcomeIn, SignalIn
from flyloop.labels import coverage
from flyloop.labels import verdicts as labels
from flyloop.labels.verdicts import Label, LabelStats, Weights
from flyloop.privacy import gate as privacy
from flyloop.privacy.audit import audit_log
from flyloop.privacy.consent import consent_of, set_consent
from flyloop.privacy.erasure import erase_user
from flyloop.privacy.gate import PrivacyPolicy, privacy_policy, set_privacy_policy, training_allowed
from flyloop.privacy.pseudonyms import pseudonym
from flyloop.privacy.redaction import Redactor
from flyloop.privacy.retention import apply_retention
from flyloop.sdk.client import AsyncFlywheel, Flywheel, Interaction
from flyloop.sdk.project import Project
from flyloop.settings import Settings
from flyloop.store.engine import Store

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
    "Project",
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
