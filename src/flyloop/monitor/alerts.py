"""Alerts: run the checks (:mod:`flyloop.monitor.checks`) over the rollups, store what they find
once, list what is stored.

An alert's id is a hash of its kind, workload, subject and window, so running the checks again
in the same window finds the same alerts and stores nothing new; a condition that lasts into the
next window raises a new alert there. A stored alert is never deleted: its delivery state is
what the webhook (:mod:`flyloop.monitor.webhook`) changes.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.settings import Settings
from flyloop.store import Store, fetch_all
from flyloop.store import schema as t

from .checks import CHECKS, Context, Finding

DELIVERY = ("pending", "delivered", "undelivered")


@dataclass
class Alert:
    """A stored alert and where its delivery stands."""

    id: str
    kind: str
    workload: str
    subject: str
    severity: str
    message: str
    details: dict[str, Any]
    window_start: float | None
    window_end: float | None
    created_at: float
    delivery: str
    attempts: int
    next_attempt_at: float | None
    delivered_at: float | None
    last_error: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AlertCheck:
    """What one run of the checks found: every alert (``raised`` the ones new to the store) and
    notes on what could not be checked, and why."""

    alerts: list[Alert] = field(default_factory=list)
    raised: list[Alert] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def alert_id(project_id: str, finding: Finding, window_s: float, now: float) -> str:
    window = math.floor(now / window_s) if finding.kind != "regression" else 0  # a release names its own window
    key = f"{project_id}|{finding.kind}|{finding.workload}|{finding.subject}|{window}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _clean(value: Any) -> Any:
    """JSON with no NaN or infinity (a share of nothing is None, never NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def check_alerts(
    store: Store,
    project_id: str,
    *,
    settings: Settings | None = None,
    now: float | None = None,
    workload: str | None = None,
    kinds: list[str] | None = None,
) -> AlertCheck:
    """Run the checks over the rollups of each workload (or one), store new alerts as pending
    delivery, and return them with notes on what could not be checked."""
    settings = settings or Settings()
    now = time.time() if now is None else now
    for k in kinds or ():
        if k not in CHECKS:
            raise errors.ValidationError(f"kind must be one of {', '.join(CHECKS)}, not {k!r}", field="kind")
    if settings.monitor_window_s < 3600:
        raise errors.ConfigError("monitor_window_s must be at least 3600 (the rollups' hour)", field="monitor_window_s")
    ctx = Context(
        store,
        project_id,
        now,
        settings.monitor_window_s,
        settings.monitor_min_interactions,
        max(2, settings.monitor_stall_cycles),
        settings.monitor_segment_key,
    )
    result = AlertCheck(notes=ctx.notes)
    workloads = _workloads(store, project_id) if workload is None else [workload]
    if not workloads:
        ctx.notes.append("no data: the rollups hold nothing for this project yet, so there is nothing to check")
        return result
    findings = [
        f for w in workloads for name, check in CHECKS.items() if not kinds or name in kinds for f in check(ctx, w)
    ]
    rows = []
    for f in findings:
        if not f.message.strip():  # a check must always explain itself
            raise AssertionError(f"{f.kind} produced an empty message")
        rows.append(
            {
                "project_id": project_id,
                "id": alert_id(project_id, f, settings.monitor_window_s, now),
                "kind": f.kind,
                "workload": f.workload,
                "subject": f.subject[:300],
                "severity": f.severity,
                "message": f.message,
                "details": _clean(f.details),
                "window_start": f.window_start,
                "window_end": f.window_end,
                "created_at": now,
                "delivery": "pending",
                "attempts": 0,
                "next_attempt_at": None,
                "delivered_at": None,
                "last_error": None,
            }
        )
    ids = [r["id"] for r in rows]
    with store.write() as conn:
        known = _existing(conn, project_id, ids)
        new = [r for r in rows if r["id"] not in known]
        if new:
            conn.execute(store.insert(t.monitor_alerts), new)
    result.raised = [Alert(**{k: v for k, v in r.items() if k != "project_id"}) for r in new]
    a = t.monitor_alerts
    if ids:
        result.alerts = _alerts(
            store, sa.select(a).where(a.c.project_id == project_id, a.c.id.in_(ids)).order_by(a.c.id)
        )
    return result


def _existing(conn: sa.Connection, project_id: str, ids: list[str]) -> set[str]:
    a = t.monitor_alerts
    if not ids:
        return set()
    return {r[0] for r in fetch_all(conn, sa.select(a.c.id).where(a.c.project_id == project_id, a.c.id.in_(ids)))}


def _workloads(store: Store, project_id: str) -> list[str]:
    r = t.monitor_rollups
    with store.read() as conn:
        return [
            w
            for (w,) in fetch_all(
                conn,
                sa.select(r.c.workload)
                .where(r.c.project_id == project_id, r.c.workload != "")
                .distinct()
                .order_by(r.c.workload),
            )
        ]


def list_alerts(
    store: Store,
    project_id: str,
    *,
    kind: str | None = None,
    workload: str | None = None,
    delivery: str | None = None,
    limit: int = 100,
) -> list[Alert]:
    """Stored alerts, newest first."""
    if kind is not None and kind not in CHECKS:
        raise errors.ValidationError(f"kind must be one of {', '.join(CHECKS)}, not {kind!r}", field="kind")
    if delivery is not None and delivery not in DELIVERY:
        raise errors.ValidationError(
            f"delivery must be one of {', '.join(DELIVERY)}, not {delivery!r}", field="delivery"
        )
    if not 1 <= limit <= 10000:
        raise errors.ValidationError("limit must be between 1 and 10000", field="limit")
    a = t.monitor_alerts
    query = sa.select(a).where(a.c.project_id == project_id)
    for column, value in (("kind", kind), ("workload", workload), ("delivery", delivery)):
        if value is not None:
            query = query.where(a.c[column] == value)
    return _alerts(store, query.order_by(a.c.created_at.desc(), a.c.id).limit(limit))


def _alerts(store: Store, query: Any) -> list[Alert]:
    with store.read() as conn:
        rows = conn.execute(query).all()
    out = []
    for row in rows:
        m = dict(row._mapping)
        m.pop("project_id")
        m["details"] = m["details"] or {}
        out.append(Alert(**m))
    return out
