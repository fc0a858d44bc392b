"""Retention: content expires before the events that describe it, per each project's policy.

``apply_retention`` (``flyloop retention apply``, ``POST /v1/retention/apply``, and a scheduled
run every ``retention_interval_s`` in ``flyloop serve`` or ``flyloop worker``, which call it) does,
per project:

- content older than ``retention.content_days`` (by the event's own time) is removed as
  :mod:`flyloop.privacy.content` defines: inputs and outputs become NULL, correction, comment and choice
  texts leave their payloads. The rows stay, so counts, signal values, outcomes, latency, cost
  and every aggregate computed from them survive;
- interactions, signals and outcomes older than ``retention.events_days`` are deleted, with the
  rows of other tables that name the deleted interactions (``interaction_id``);
- spent feedback-token uses and erasure tombstones past their expiry, and audit rows older than
  ``retention.audit_days``, are deleted.

Work is done in chunks of ``chunk`` rows, each its own short transaction, so ingest goes on
while retention runs (SQLite has one writer; a chunk holds it for milliseconds). A run is
idempotent: what it removed is not found again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import sqlalchemy as sa

from flyloop.privacy import audit, content, derived
from flyloop.privacy.policy import privacy_policy
from flyloop.store import Store, schema

log = logging.getLogger("flyloop.privacy.retention")
DAY = 86400.0


def _blank_content(store: Store, project_id: str, cutoff: float, chunk: int) -> dict[str, int]:
    i, s = schema.interactions, schema.signals
    done = {"interactions": 0, "signals": 0}
    while True:
        with store.write() as conn:
            ids = (
                conn.execute(
                    sa.select(i.c.id)
                    .where(i.c.project_id == project_id, i.c.ts < cutoff, content.interaction_has_content())
                    .limit(chunk)
                )
                .scalars()
                .all()
            )
            done["interactions"] += content.blank_interactions(conn, project_id, list(ids))
        derived.remove_content(store, project_id, list(ids), "retention")
        if len(ids) < chunk:
            break
    while True:
        with store.write() as conn:
            changed = content.blank_signals(conn, project_id, s.c.ts < cutoff, "retention", limit=chunk)
        done["signals"] += changed
        if changed < chunk:
            break
    return done


def _delete_old(
    store: Store, project_id: str, table: sa.Table, cutoff: float, chunk: int, sweep: bool = False
) -> tuple[int, dict[str, int]]:
    """Delete rows older than ``cutoff``; with ``sweep``, also other tables' rows naming them."""
    removed = 0
    swept: dict[str, int] = {}
    others = [
        t
        for t in schema.metadata.sorted_tables
        if sweep
        and "interaction_id" in t.c
        and "project_id" in t.c
        and t.name not in ("signals", "outcomes", "feedback_token_uses")
    ]
    while True:
        with store.write() as conn:
            ids = (
                conn.execute(
                    sa.select(table.c.id).where(table.c.project_id == project_id, table.c.ts < cutoff).limit(chunk)
                )
                .scalars()
                .all()
            )
            if ids:
                for other in others:
                    n = conn.execute(
                        sa.delete(other).where(other.c.project_id == project_id, other.c.interaction_id.in_(ids))
                    ).rowcount
                    if n:
                        swept[str(other.name)] = swept.get(str(other.name), 0) + n
                removed += conn.execute(
                    sa.delete(table).where(table.c.project_id == project_id, table.c.id.in_(ids))
                ).rowcount
        if len(ids) < chunk:
            return removed, swept


def apply_retention(
    store: Store, project_id: str | None = None, *, now: float | None = None, chunk: int = 500, actor: str = "library"
) -> dict[str, Any]:
    """Apply each project's retention policy (one project, or all); returns what was removed."""
    now = time.time() if now is None else now
    projects = [project_id] if project_id else store.projects()
    out: dict[str, Any] = {}
    for pid in projects:
        policy = privacy_policy(store, pid).retention
        report: dict[str, Any] = {
            "content_removed": {"interactions": 0, "signals": 0},
            "deleted": {"interactions": 0, "signals": 0, "outcomes": 0},
            "expired": {},
        }
        if policy.content_days is not None:
            report["content_removed"] = _blank_content(store, pid, now - policy.content_days * DAY, chunk)
        if policy.events_days is not None:
            cutoff = now - policy.events_days * DAY
            report["deleted"]["signals"], _ = _delete_old(store, pid, schema.signals, cutoff, chunk)
            report["deleted"]["outcomes"], _ = _delete_old(store, pid, schema.outcomes, cutoff, chunk)
            report["deleted"]["interactions"], swept = _delete_old(
                store, pid, schema.interactions, cutoff, chunk, sweep=True
            )
            report["deleted"].update(swept)
        expiring: list[tuple[str, sa.Table, sa.ColumnElement[bool]]] = [
            ("token_uses", schema.feedback_token_uses, schema.feedback_token_uses.c.expires_at < now),
            ("tombstones", schema.erasure_tombstones, schema.erasure_tombstones.c.expires_at < now),
        ]
        if policy.audit_days is not None:
            expiring.append(("audit", schema.audit_log, schema.audit_log.c.ts < now - policy.audit_days * DAY))
        with store.write() as conn:
            for name, table, condition in expiring:
                report["expired"][name] = conn.execute(
                    sa.delete(table).where(table.c.project_id == pid, condition)
                ).rowcount
        changed = any(v for part in report.values() for v in part.values())
        if changed or actor != "retention":
            # Scheduled runs that change nothing leave no row, or the log would fill with them.
            report["audit_id"] = audit.record(store, pid, "retention.apply", actor=actor, details=report)
        out[pid] = report
    return out
