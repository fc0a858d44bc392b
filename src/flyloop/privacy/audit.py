"""The audit log: one row for every admin action and every redaction, never the secret itself.

A row says who acted (``key:<id>`` through the API, ``cli:<login>`` from the command line,
``capture`` for the ingest gate, ``retention`` for scheduled runs), what they did (``action``:
``keys.create``, ``privacy.set``, ``users.erase``, ``redact`` ...), on what (``target``: a key id,
an interaction id) and details made only of names and counts: which entity types were found in
which field, how many rows were erased. Raw user ids, pseudonyms and redacted values never go
in; an erasure row does not even say whose data it removed, only how much.

Redaction rows have ids derived from the event (``redact:interaction:<id>``) and are inserted
with ``ON CONFLICT DO NOTHING``, so a batch the SDK retries is audited once.
"""

from __future__ import annotations

import getpass
import secrets
import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.store import Store, schema


def new_id() -> str:
    """Time-ordered and unique: nanoseconds in hex, then 32 random bits."""
    return f"{time.time_ns():016x}{secrets.token_hex(4)}"


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers; the action is still recorded
        return "cli"


def row(
    project_id: str,
    action: str,
    *,
    actor: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    id: str | None = None,
    ts: float | None = None,
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "id": id or new_id(),
        "ts": ts if ts is not None else time.time(),
        "actor": actor[:200],
        "action": action,
        "target": target[:200] if target else None,
        "details": details or {},
    }


def record(
    store: Store,
    project_id: str,
    action: str,
    *,
    actor: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> str:
    """Write one audit row in its own transaction; returns its id."""
    entry = row(project_id, action, actor=actor, target=target, details=details)
    with store.write() as conn:
        conn.execute(sa.insert(schema.audit_log), [entry])
    return entry["id"]


def record_many(store: Store, conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows made by :func:`row` on an open transaction; ids already present are skipped."""
    if rows:
        conn.execute(store.insert(schema.audit_log), list(rows))


def audit_log(
    store: Store, project_id: str, *, action: str | None = None, since: float | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The newest audit rows first; ``action`` matches exactly or by prefix ending in '.'
    (``users.`` gives every user action)."""
    if not 1 <= limit <= 10_000:
        raise errors.ValidationError("limit must be between 1 and 10000", field="limit")
    t = schema.audit_log
    query = sa.select(t).where(t.c.project_id == project_id)
    if action:
        query = query.where(
            t.c.action.startswith(action, autoescape=True) if action.endswith(".") else t.c.action == action
        )
    if since is not None:
        query = query.where(t.c.ts >= since)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.ts.desc(), t.c.id.desc()).limit(limit)).all()
    out = []
    for r in rows:
        item = {str(k): v for k, v in r._mapping.items()}  # plain str keys, not SQLAlchemy's quoted names
        item.pop("project_id")
        item["details"] = item["details"] or {}
        out.append(item)
    return out
