"""Events as the store writes and returns them: ingest's rows, read rows as dicts, page cursors."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import orjson

from flyloop import errors
from flyloop.events import IngestBatch, to_epoch


def json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _input_json(value: Any) -> Any:
    # None: the privacy gate removed the content (consent 'no_content', minimization).
    if value is None or isinstance(value, str):
        return value
    return [m.model_dump() if hasattr(m, "model_dump") else m for m in value]


# The rows ingest writes, as tuples in these column orders, JSON columns as text: what the
# store's insert-or-ignore fast path takes (:func:`flyloop.store.dialects.add_new`). A ts of None
# (or 0) is the time the store received the event.
INTERACTION_COLUMNS = (
    "project_id",
    "id",
    "workload",
    "input",
    "output",
    "user_id",
    "session_id",
    "ts",
    "received_at",
    "policy_version",
    "latency_ms",
    "tokens_in",
    "tokens_out",
    "cost",
    "context_ids",
    "meta",
    "join_key",
    "consent",
    "flag",
)
SIGNAL_COLUMNS = (
    "project_id",
    "id",
    "interaction_id",
    "kind",
    "value",
    "payload",
    "source",
    "actor",
    "ts",
    "received_at",
    "overrides",
)
OUTCOME_COLUMNS = ("project_id", "id", "name", "value", "interaction_id", "join_key", "payload", "ts", "received_at")


def interaction_values(
    project_id: str, batch: IngestBatch, received: float, flags: Mapping[str, str] | None = None
) -> list[tuple[Any, ...]]:
    flag = (flags or {}).get
    return [
        (
            project_id,
            it.id,
            it.workload,
            json_dumps(_input_json(it.input)),
            it.output,
            it.user_id,
            it.session_id,
            to_epoch(it.ts) or received,
            received,
            it.policy_version,
            it.latency_ms,
            it.tokens_in,
            it.tokens_out,
            it.cost,
            json_dumps(list(it.context_ids)),
            json_dumps(it.metadata),
            it.join_key,
            it.consent,
            flag(it.id),
        )
        for it in batch.interactions
    ]


def signal_values(project_id: str, batch: IngestBatch, received: float) -> list[tuple[Any, ...]]:
    return [
        (
            project_id,
            sg.id,
            sg.interaction_id,
            sg.kind,
            sg.value,
            json_dumps(sg.payload),
            sg.source,
            sg.actor,
            to_epoch(sg.ts) or received,
            received,
            sg.overrides,
        )
        for sg in batch.signals
    ]


def outcome_values(project_id: str, batch: IngestBatch, received: float) -> list[tuple[Any, ...]]:
    return [
        (
            project_id,
            oc.id,
            oc.name,
            oc.value,
            oc.interaction_id,
            oc.join_key,
            json_dumps(oc.payload),
            to_epoch(oc.ts) or received,
            received,
        )
        for oc in batch.outcomes
    ]


def _plain(row: Any) -> dict[str, Any]:
    # Plain str keys: SQLAlchemy names the columns with quoted_name, a str subclass that orjson
    # (the CLI's printer, an app's own) refuses as a key.
    return {str(k): v for k, v in row._mapping.items()}


def interaction_dict(row: Any) -> dict[str, Any]:
    m = _plain(row)
    m.pop("project_id", None)
    m["metadata"] = m.pop("meta") or {}
    m["context_ids"] = m["context_ids"] or []
    return m


def signal_dict(row: Any) -> dict[str, Any]:
    m = _plain(row)
    m.pop("project_id", None)
    m["payload"] = m["payload"] or {}
    return m


def outcome_dict(row: Any) -> dict[str, Any]:
    return signal_dict(row)


def encode_cursor(ts: float, last_id: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([ts, last_id])).decode()


def decode_cursor(cursor: str) -> tuple[float, str]:
    try:
        ts, last_id = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(ts), str(last_id)
    except Exception:
        raise errors.ValidationError("not a cursor this API returned", field="cursor") from None
