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
    ValidationError,
)
from .models import IngestBatch, IngestResult, InteractionIn, OutcomeIn, SignalIn
from .sdk import AsyncFlywheel, Flywheel, Interaction
from .settings import Settings
from .signals import KINDS, SignalKind, register
from .store import Store

__all__ = [
    "AsyncFlywheel",
    "AuthError",
    "Capture",
    "ConfigError",
    "Conflict",
    "FlyloopError",
    "Flywheel",
    "IngestBatch",
    "IngestResult",
    "Interaction",
    "InteractionIn",
    "KINDS",
    "MalformedBody",
    "NotFound",
    "OutcomeIn",
    "PayloadTooLarge",
    "PermissionDenied",
    "RateLimited",
    "Settings",
    "SignalIn",
    "SignalKind",
    "Store",
    "StoreError",
    "TransportError",
    "ValidationError",
    "__version__",
    "register",
]
