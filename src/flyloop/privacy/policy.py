"""Each project's privacy policy, stored as data (``privacy_policies``).

One JSON document per project, validated by :class:`PrivacyPolicy`: the consent default, the
redaction mode, entity types, replacement style and score floor, per-workload allow-lists of
interaction fields and metadata keys ('*' for workloads not named), and retention for content,
events and audit rows. A project without a stored policy runs the defaults: pattern redaction
with type tags, consent 'full', no allow-lists, content kept 90 days, events and audit kept.
Changes (library, ``flyloop privacy set``, ``PUT /v1/privacy/policy``) are partial documents
merged into the stored one, validated whole, and audited.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Literal

import pydantic
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from flyloop import errors
from flyloop.events import translate
from flyloop.privacy import audit, redaction
from flyloop.privacy.redaction import DEFAULT_ENTITIES, check_entities
from flyloop.store import Store, schema

# Interaction fields an allow-list may drop; id, workload, ts and consent are always kept.
MINIMIZABLE_FIELDS = (
    "input",
    "output",
    "user_id",
    "session_id",
    "policy_version",
    "latency_ms",
    "tokens_in",
    "tokens_out",
    "cost",
    "context_ids",
    "metadata",
    "join_key",
)

# --- the policy -----------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RedactionPolicy(_Strict):
    mode: Literal["off", "pattern", "ner"] = "pattern"
    entities: list[str] = Field(default_factory=lambda: list(DEFAULT_ENTITIES))
    style: Literal["tag", "hash", "mask"] = "tag"
    min_score: float = Field(0.0, ge=0.0, le=1.0, strict=True)  # false is not a score

    @pydantic.field_validator("entities")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        try:
            return list(check_entities(value))
        except errors.ValidationError as exc:
            raise ValueError(exc.message) from None


class WorkloadAllowList(_Strict):
    """What one workload keeps; None keeps everything of that kind."""

    fields: list[str] | None = None
    metadata_keys: list[str] | None = None

    @pydantic.field_validator("fields")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        unknown = sorted(set(value or ()) - set(MINIMIZABLE_FIELDS))
        if unknown:
            raise ValueError(f"unknown fields {', '.join(unknown)}; allow-listable: {', '.join(MINIMIZABLE_FIELDS)}")
        return value


class RetentionPolicy(_Strict):
    content_days: float | None = Field(90.0, gt=0, strict=True)  # inputs, outputs, correction texts; None keeps them
    events_days: float | None = Field(None, gt=0, strict=True)  # whole interactions, signals, outcomes; None keeps them
    audit_days: float | None = Field(None, gt=0, strict=True)  # audit rows; None keeps them


class PrivacyPolicy(_Strict):
    """A project's privacy policy. ``workloads`` maps a workload name (or '*' for the others)
    to its allow-list."""

    consent_default: Literal["full", "no_training", "no_content"] = "full"
    redaction: RedactionPolicy = Field(default_factory=RedactionPolicy)
    workloads: dict[str, WorkloadAllowList] = Field(default_factory=dict)
    retention: RetentionPolicy = Field(default_factory=RetentionPolicy)

    def allow_list(self, workload: str) -> WorkloadAllowList | None:
        return self.workloads.get(workload) or self.workloads.get("*")


def privacy_policy(store: Store, project_id: str) -> PrivacyPolicy:
    """The project's policy: the stored one, or the defaults."""
    t = schema.privacy_policies
    with store.read() as conn:
        stored = conn.execute(sa.select(t.c.policy).where(t.c.project_id == project_id)).scalar()
    return PrivacyPolicy.model_validate(stored) if stored else PrivacyPolicy()


def _merge(base: dict[str, Any], changes: Mapping[str, Any], path: tuple[str, ...] = ()) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if path == ("workloads",) and value is None:
            out.pop(key, None)  # {"workloads": {"support": null}} removes that allow-list
        elif isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, path + (key,))
        else:
            out[key] = value
    return out


def set_privacy_policy(
    store: Store, project_id: str, changes: Mapping[str, Any], *, actor: str = "library"
) -> PrivacyPolicy:
    """Merge ``changes`` (a partial policy, nested like :class:`PrivacyPolicy`) into the project's
    policy, validate, store and audit it. Lists are replaced whole."""
    if not isinstance(changes, Mapping):
        raise errors.ValidationError("policy changes must be a JSON object", field="policy")
    merged = _merge(privacy_policy(store, project_id).model_dump(), changes)
    try:
        policy = PrivacyPolicy.model_validate(merged)
    except pydantic.ValidationError as exc:
        err = translate(exc)
        raise errors.ValidationError(err.message, field=err.field, problems=err.details.get("problems")) from None
    # A mode this machine cannot run would refuse every event its ingest sees: say so now.
    redaction.load(policy.redaction.mode)
    store.ensure_project(project_id)
    row = {"project_id": project_id, "policy": policy.model_dump(), "updated_at": time.time()}
    t = schema.privacy_policies
    with store.write() as conn:
        if (
            conn.execute(
                sa.update(t)
                .where(t.c.project_id == project_id)
                .values(policy=row["policy"], updated_at=row["updated_at"])
            ).rowcount
            == 0
        ):
            conn.execute(sa.insert(t), [row])
    audit.record(store, project_id, "privacy.set", actor=actor, details={"changes": dict(changes)})
    return policy


def _days(value: str | None, field_name: str) -> float | None:
    if value is None or value.strip().lower() in ("forever", "none", "never"):
        return None
    try:
        return float(value)
    except ValueError:
        raise errors.ValidationError(f"not a number of days: {value!r} (or 'forever')", field=field_name) from None


def _names(value: str) -> list[str] | None:
    return None if value.strip().lower() == "all" else [part.strip() for part in value.split(",") if part.strip()]


def policy_changes(
    *,
    consent_default: str | None = None,
    redaction_mode: str | None = None,
    redaction_style: str | None = None,
    entities: str | None = None,
    min_score: float | None = None,
    content_days: str | None = None,
    events_days: str | None = None,
    audit_days: str | None = None,
    workload: str | None = None,
    fields: str | None = None,
    metadata_keys: str | None = None,
    remove_workload: bool = False,
    from_file: str | None = None,
) -> dict[str, Any]:
    """A partial policy from the command line's flat options (``flyloop privacy set``)."""
    from pathlib import Path

    import orjson

    changes: dict[str, Any] = {}
    if from_file:
        try:
            changes = orjson.loads(Path(from_file).read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise errors.ValidationError(
                f"cannot read a JSON policy from {from_file}: {exc}", field="from_file"
            ) from None
        if not isinstance(changes, dict):
            raise errors.ValidationError("the policy file must hold a JSON object", field="from_file")
    if consent_default is not None:
        changes["consent_default"] = consent_default
    redaction = {
        k: v
        for k, v in (
            ("mode", redaction_mode),
            ("style", redaction_style),
            ("min_score", min_score),
            ("entities", _names(entities) if entities is not None else None),
        )
        if v is not None
    }
    if redaction:
        changes["redaction"] = {**changes.get("redaction", {}), **redaction}
    retention = {
        k: _days(v, f"{k}")
        for k, v in (("content_days", content_days), ("events_days", events_days), ("audit_days", audit_days))
        if v is not None
    }
    if retention:
        changes["retention"] = {**changes.get("retention", {}), **retention}
    if (fields is not None or metadata_keys is not None or remove_workload) and not workload:
        raise errors.ValidationError(
            "--fields, --metadata-keys and --remove-workload need --workload", field="workload"
        )
    if workload:
        if remove_workload:
            entry: Any = None
        else:
            entry = {k: _names(v) for k, v in (("fields", fields), ("metadata_keys", metadata_keys)) if v is not None}
        changes["workloads"] = {**changes.get("workloads", {}), workload: entry}
    if not changes:
        raise errors.ValidationError("nothing to change: give at least one option", field="policy")
    return changes
