"""Rollups: the metrics of every hour, day and week, per workload, policy version and segment,
kept up to date incrementally so that reading them never scans raw events.

The upkeep reads each source past its watermark (interactions and signals by ``received_at``,
labels by ``updated_at``, outcomes by ``received_at``, datasets, loop runs and stage moves by
their own times), collects the hours those new rows belong to (an interaction's own hour; a
signal, label or outcome counts in its interaction's hour) and counts those hours again from
scratch (:mod:`flyloop.monitor.cohorts`, :mod:`flyloop.monitor.velocity`), then the days and
weeks that hold them from the hours. Counting a whole hour again, rather than adding deltas, is
what makes the upkeep idempotent: a late signal changes "accepted" for its interaction only once,
a label that changes its verdict moves between verdicts instead of being counted twice, and a
run that is repeated writes the same rows.

Concurrency: the whole upkeep is one transaction whose first statement writes the project's
``_upkeep`` row (SQLite's writer lock, taken at once) under an advisory lock (PostgreSQL), so a
second process waits, then reads the watermarks the first one advanced and finds nothing left to
do: one wins each stretch of the sources. Each source is read from ``OVERLAP_S`` before its
watermark, so a row stamped just before a commit that landed after the previous upkeep is not
missed (counting its hour twice changes nothing).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from flyloop.store import Store, fetch_all, lock
from flyloop.store import schema as t

from . import cohorts, velocity
from .windows import DAY, HOUR, WEEK, bucket_start

OVERLAP_S = 30.0
SOURCES = ("interactions", "signals", "labels", "outcomes", "pipeline")
UPKEEP = "_upkeep"


@dataclass
class Upkeep:
    """What one upkeep did: the hours it counted again, and how far each source was read."""

    project_id: str
    hours: int = 0
    days: int = 0
    weeks: int = 0
    rebuilt: bool = False
    watermarks: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


def update_rollups(
    store: Store, project_id: str, *, segment_key: str | None = None, now: float | None = None
) -> Upkeep:
    """Bring the project's rollups up to date with everything stored since the last upkeep.
    A change of ``segment_key`` since the rollups were built rebuilds them all."""
    started = time.perf_counter()
    now = time.time() if now is None else now
    w = t.monitor_watermarks
    result = Upkeep(project_id)
    with store.write() as conn:
        lock(conn, f"monitor-rollups:{project_id}")
        conn.execute(
            store.insert_or_update(w, ("project_id", "source"), lambda excluded: {"updated_at": excluded.updated_at}),
            [
                {
                    "project_id": project_id,
                    "source": UPKEEP,
                    "value": 0.0,
                    "state": {"segment_key": segment_key},
                    "updated_at": now,
                }
            ],
        )
        marks = {
            r[0]: (float(r[1]), r[2])
            for r in fetch_all(conn, sa.select(w.c.source, w.c.value, w.c.state).where(w.c.project_id == project_id))
        }
        state = marks[UPKEEP][1]
        built_with = (state if isinstance(state, dict) else _json(state)).get("segment_key")
        if built_with != segment_key:
            conn.execute(sa.delete(t.monitor_rollups).where(t.monitor_rollups.c.project_id == project_id))
            conn.execute(sa.delete(w).where(w.c.project_id == project_id, w.c.source != UPKEEP))
            conn.execute(
                sa.update(w)
                .where(w.c.project_id == project_id, w.c.source == UPKEEP)
                .values(state={"segment_key": segment_key})
            )
            marks = {}
            result.rebuilt = True
        hours, newest = _dirty_hours(conn, project_id, {s: marks.get(s, (0.0, None))[0] for s in SOURCES})
        for hour in sorted(hours):
            _count_hour(conn, project_id, hour, segment_key)
        days = {bucket_start(h, "day") for h in hours}
        weeks = {bucket_start(h, "week") for h in hours}
        for day in days:
            _sum_into(conn, project_id, "day", day, DAY)
        for week in weeks:
            _sum_into(conn, project_id, "week", week, WEEK)
        for source, value in newest.items():
            conn.execute(
                store.insert_or_update(
                    w,
                    ("project_id", "source"),
                    lambda excluded: {"value": excluded.value, "updated_at": excluded.updated_at},
                ),
                [{"project_id": project_id, "source": source, "value": value, "state": None, "updated_at": now}],
            )
        result.hours, result.days, result.weeks, result.watermarks = len(hours), len(days), len(weeks), newest
    result.seconds = time.perf_counter() - started
    return result


def rebuild(store: Store, project_id: str, *, segment_key: str | None = None) -> Upkeep:
    """Drop the project's rollups and watermarks and count everything again."""
    with store.write() as conn:
        conn.execute(sa.delete(t.monitor_rollups).where(t.monitor_rollups.c.project_id == project_id))
        conn.execute(sa.delete(t.monitor_watermarks).where(t.monitor_watermarks.c.project_id == project_id))
    return update_rollups(store, project_id, segment_key=segment_key)


def _json(value: object) -> dict[str, object]:
    import json

    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


def _dirty_hours(conn: sa.Connection, project_id: str, marks: dict[str, float]) -> tuple[set[float], dict[str, float]]:
    """The hours holding rows changed since each source's watermark, and the new watermarks."""
    i, s, lb, o = t.interactions, t.signals, t.labels, t.outcomes
    times: list[float] = []
    newest = dict(marks)

    def take(source: str, rows: Iterable[Sequence[Any]]) -> None:
        for ts, changed in rows:
            times.append(ts)
            newest[source] = max(newest[source], float(changed))

    def since(source: str) -> float:
        return marks[source] - OVERLAP_S

    take(
        "interactions",
        fetch_all(
            conn,
            sa.select(i.c.ts, i.c.received_at).where(
                i.c.project_id == project_id, i.c.received_at > since("interactions")
            ),
        ),
    )
    on_interaction = sa.and_(i.c.project_id == s.c.project_id, i.c.id == s.c.interaction_id)
    take(
        "signals",
        fetch_all(
            conn,
            sa.select(i.c.ts, s.c.received_at)
            .select_from(s.join(i, on_interaction))
            .where(s.c.project_id == project_id, s.c.received_at > since("signals")),
        ),
    )
    take(
        "labels",
        fetch_all(
            conn,
            sa.select(lb.c.ts, lb.c.updated_at).where(lb.c.project_id == project_id, lb.c.updated_at > since("labels")),
        ),
    )
    for on in (o.c.interaction_id == i.c.id, sa.and_(o.c.join_key.is_not(None), o.c.join_key == i.c.join_key)):
        take(
            "outcomes",
            fetch_all(
                conn,
                sa.select(i.c.ts, o.c.received_at)
                .select_from(o.join(i, sa.and_(i.c.project_id == o.c.project_id, on)))
                .where(o.c.project_id == project_id, o.c.received_at > since("outcomes")),
            ),
        )
    pipeline_times, newest["pipeline"] = velocity.event_times(conn, project_id, since("pipeline"))
    newest["pipeline"] = max(newest["pipeline"], marks["pipeline"])
    times.extend(pipeline_times)
    return {bucket_start(x, "hour") for x in times}, newest


def _count_hour(conn: sa.Connection, project_id: str, hour: float, segment_key: str | None) -> None:
    r = t.monitor_rollups
    conn.execute(sa.delete(r).where(r.c.project_id == project_id, r.c.grain == "hour", r.c.bucket == hour))
    rows: list[dict[str, Any]] = []
    for part in (
        cohorts.hour_counts(conn, project_id, hour, hour + HOUR, segment_key),
        velocity.hour_events(conn, project_id, hour, hour + HOUR),
    ):
        for (workload, version, segment), metrics in part.items():
            rows.extend(
                {
                    "project_id": project_id,
                    "grain": "hour",
                    "bucket": hour,
                    "workload": workload,
                    "version": version,
                    "segment": segment,
                    "metric": metric,
                    "value": value,
                }
                for metric, value in metrics.items()
                if value
            )
    if rows:
        conn.execute(sa.insert(r), rows)


def _sum_into(conn: sa.Connection, project_id: str, grain: str, start: float, size: float) -> None:
    """The ``grain`` row of the window at ``start``: the sum of its hours."""
    r = t.monitor_rollups
    conn.execute(sa.delete(r).where(r.c.project_id == project_id, r.c.grain == grain, r.c.bucket == start))
    summed = (
        sa.select(
            r.c.project_id,
            sa.literal(grain, sa.String(8)),
            sa.literal(start, sa.Double),
            r.c.workload,
            r.c.version,
            r.c.segment,
            r.c.metric,
            sa.func.sum(r.c.value),
        )
        .where(r.c.project_id == project_id, r.c.grain == "hour", r.c.bucket >= start, r.c.bucket < start + size)
        .group_by(r.c.project_id, r.c.workload, r.c.version, r.c.segment, r.c.metric)
    )
    conn.execute(
        sa.insert(r).from_select(
            ["project_id", "grain", "bucket", "workload", "version", "segment", "metric", "value"], summed
        )
    )
