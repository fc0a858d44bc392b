"""What happened, as data: the wire shapes of interactions, signals and outcomes, the typed signal
vocabulary (each kind a class that says what the user did and what it means) and edits measured.
The earliest stage: it imports only the foundation (errors, settings)."""

from .edits import EDIT_CLASSES, EditMeasure, EditThresholds, measure, numbers
from .kinds import KINDS, Context, Outcome, RuleError, SignalKind, kind, register
from .wire import (
    IngestBatch,
    IngestResult,
    InteractionIn,
    OutcomeIn,
    SignalIn,
    json_problem,
    parse_batch,
    printable,
    to_epoch,
    translate,
)

__all__ = [
    "EDIT_CLASSES",
    "KINDS",
    "Context",
    "EditMeasure",
    "EditThresholds",
    "IngestBatch",
    "IngestResult",
    "InteractionIn",
    "Outcome",
    "OutcomeIn",
    "RuleError",
    "SignalIn",
    "SignalKind",
    "json_problem",
    "kind",
    "measure",
    "numbers",
    "parse_batch",
    "printable",
    "register",
    "to_epoch",
    "translate",
]
