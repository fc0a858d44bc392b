"""What counts as a user's content, and how it is removed.

Content is what a person wrote or read: an interaction's ``input`` and ``output``, and the free
text of a signal's payload (``text`` of an edit or a comment, ``chosen`` and ``rejected`` of a
choice). Everything else is usage and is kept when content goes: ids, times, latency, tokens,
cost, policy version, the metadata that survived minimization and redaction, signal kinds and
values, outcomes. So counts, rates and per-version metrics survive consent 'no_content' and
content expiry, while the words do not.

Removal sets ``input`` and ``output`` to NULL and takes the content keys out of a payload,
writing ``content_removed`` ('consent' or 'retention') in their place, so a reader can tell a
correction that was removed from one that never existed. Consent removal happens at ingest
(:mod:`flyloop.privacy.gate`) and, when a user moves to 'no_content', to their stored past
(:mod:`flyloop.privacy.consent`); retention removal happens by age (:mod:`flyloop.privacy.retention`).
Copies of content that later stages keep (a label's corrected text, a dataset's examples) go
too, through the one list in :mod:`flyloop.privacy.derived`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import bindparam

from flyloop.store import schema

CONTENT_PAYLOAD_KEYS = ("text", "chosen", "rejected")
REMOVED_MARK = "content_removed"
Reason = Literal["consent", "retention"]


def has_content(payload: dict[str, Any] | None) -> bool:
    if not payload:
        return False
    return any(key in payload for key in CONTENT_PAYLOAD_KEYS)


def strip_payload(payload: dict[str, Any], reason: Reason) -> dict[str, Any]:
    """``payload`` without its content keys, marked with the reason; unchanged if it has none."""
    if not has_content(payload):
        return payload
    kept = {k: v for k, v in payload.items() if k not in CONTENT_PAYLOAD_KEYS}
    kept[REMOVED_MARK] = reason
    return kept


def payload_content_filter(column: sa.Column) -> sa.ColumnElement[bool]:
    """SQL: the JSON payload still holds a content key (works on SQLite and PostgreSQL)."""
    return sa.or_(*[column[key].as_string().is_not(None) for key in CONTENT_PAYLOAD_KEYS])


def _chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def interaction_has_content() -> sa.ColumnElement[bool]:
    """SQL: the interaction still holds an input or an output. A JSON ``null`` input (how the
    store writes a removed one) counts as none, as does SQL NULL."""
    t = schema.interactions
    has_input = sa.and_(t.c.input.is_not(None), sa.cast(t.c.input, sa.Text) != "null")
    return sa.or_(has_input, t.c.output.is_not(None))


def blank_interactions(conn: sa.Connection, project_id: str, interaction_ids: list[str]) -> int:
    """Set input and output to NULL on these interactions; returns how many had content."""
    t = schema.interactions
    done = 0
    for chunk in _chunks(interaction_ids):
        done += conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id.in_(chunk), interaction_has_content())
            .values(input=sa.null(), output=None)
        ).rowcount
    return done


def blank_signals(
    conn: sa.Connection, project_id: str, where: sa.ColumnElement[bool], reason: Reason, limit: int | None = None
) -> int:
    """Strip content from the payloads of signals matching ``where``; returns how many changed."""
    s = schema.signals
    query = sa.select(s.c.id, s.c.payload).where(
        s.c.project_id == project_id, where, payload_content_filter(s.c.payload)
    )
    if limit is not None:
        query = query.order_by(s.c.ts).limit(limit)
    rows = conn.execute(query).all()
    updates = [{"sid": r.id, "new_payload": strip_payload(r.payload, reason)} for r in rows if has_content(r.payload)]
    if updates:
        conn.execute(
            sa.update(s)
            .where(s.c.project_id == project_id, s.c.id == bindparam("sid"))
            .values(payload=bindparam("new_payload")),
            updates,
        )
    return len(updates)
