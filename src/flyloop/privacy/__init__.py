"""What may be kept, for how long, and for whom: the privacy gate every event passes before it is
stored, the project's policy (minimization, redaction, retention), consent, pseudonyms, PII
redaction, retention, erasure that reaches every copy, and the audit log of all of it."""

from .audit import audit_log, cli_actor
from .audit import record as audit_record
from .consent import (
    TrainingConsent,
    allows_training,
    consent_of,
    set_consent,
    training_allowed,
    training_consent,
    usable_for_training,
)
from .erasure import compact, erase_user
from .gate import GateReport, drop_counts, privacy_gate, record_gate, redact_text, rotate_key, tombstone_digests
from .policy import MINIMIZABLE_FIELDS, PrivacyPolicy, policy_changes, privacy_policy, set_privacy_policy
from .pseudonyms import PSEUDONYM, current_secret, export_keys, import_keys, latest_existing, pseudonym
from .redaction import ENTITIES, Redactor, json_replace, json_strings
from .redaction import load as load_redaction
from .retention import apply_retention

__all__ = [
    "tombstone_digests",
    "ENTITIES",
    "MINIMIZABLE_FIELDS",
    "PSEUDONYM",
    "GateReport",
    "PrivacyPolicy",
    "Redactor",
    "TrainingConsent",
    "allows_training",
    "apply_retention",
    "audit_log",
    "audit_record",
    "cli_actor",
    "compact",
    "consent_of",
    "current_secret",
    "drop_counts",
    "erase_user",
    "export_keys",
    "import_keys",
    "json_replace",
    "json_strings",
    "latest_existing",
    "load_redaction",
    "policy_changes",
    "privacy_gate",
    "privacy_policy",
    "pseudonym",
    "record_gate",
    "redact_text",
    "rotate_key",
    "set_consent",
    "set_privacy_policy",
    "training_allowed",
    "training_consent",
    "usable_for_training",
]
