"""Rollups: the metrics of every hour, day and week, per workload, policy version and segment,
kept up to date incrementally so that reading them never scans raw events.

The upkeep reads each source past its watermark (interactions and signals by ``received_at``,
labels by ``updated_at``, outcomes by ``received_at``) to find the interactions that changed,
and for each one computes what it adds to the rollups now (:mod:`flyloop.monitor.cohorts`). Its
previous contribution is kept in ``monitor_marks``: the upkeep adds the difference to the rows
of its hour, day and week, and keeps the new contribution. A late signal therefore changes
"accepted" for its interaction once, a label that changes its verdict moves between verdicts
instead of being counted twice, and an upkeep run twice over the same rows adds nothing: the
cost is proportional to what changed, not to what is stored. The wheel's own events (dataset
versions, loop runs, stage moves: a few rows) are counted again per hour they touch
(:mod:`flyloop.monitor.velocity`).

Concurrency: the whole upkeep is one transaction whose first statement writes the project's
``_upkeep`` row (SQLite's writer lock, taken at once) under an advisory lock (PostgreSQL), so a
second process waits, then reads the watermarks the first one advanced and finds nothing left to
do: one wins each stretch of the sources. A row can be stamped before the watermark and commit
after the upkeep that set it (an ingest that waited for the writer lock): each upkeep keeps how
many rows of each source lie in the last ``OVERLAP_S`` before its watermark, and the next one
counts them again; when the number changed, that stretch is read again (an interaction seen
twice adds nothing the second time), else only rows past the watermark are read.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa

from flyloop.store import Store, bulk_insert, fetch_all, fetch_by_ids, json_reader, lock
from flyloop.store import schema as t

from . import cohorts, velocity
from .windows import DAY, GRAINS, HOUR, WEEK, bucket_start

OVERLAP_S = 30.0
SOURCES = ("interactions", "signals", "labels", "outcomes", "pipeline")
UPKEEP = "_upkeep"
CHUNK = 2000  # interactions whose contribution is computed in one go
PAGE = 20_000  # rows of one source one upkeep reads at most (about two seconds of upkeep)

Cell = tuple[str, float, str, str, str, str]  # grain, bucket, workload, version, segment, metric
# An experiment's arms are counted again in grains of their own, the arm (``<experiment>:<arm>``)
# in the version column: no reader of the plain grains sees them, and an arm's rows add up as a
# version's do. An interaction's mark keeps its arm under ARM_MARK, so a recount takes it out.
ARM_GRAINS = {grain: f"arm-{grain}" for grain in GRAINS}
ARM_MARK = "_arm"
# What the rollups are built with besides the segment key; a store built otherwise (before arms
# were counted) is rebuilt once.
LAYOUT = 2


@dataclass
class Upkeep:
    """What one upkeep did: the interactions it counted again, the hours of the wheel's events it
    recounted, whether it rebuilt everything, and how far each source was read."""

    project_id: str
    interactions: int = 0
    hours: int = 0
    rebuilt: bool = False
    watermarks: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    more: bool = False  # a source had more than PAGE new rows: call again for the rest


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
                    "state": {"segment_key": segment_key, "layout": LAYOUT},
                    "updated_at": now,
                }
            ],
        )
        marks = {
            r[0]: (float(r[1]), r[2])
            for r in fetch_all(conn, sa.select(w.c.source, w.c.value, w.c.state).where(w.c.project_id == project_id))
        }
        state = marks[UPKEEP][1]
        built_with = state if isinstance(state, dict) else _json(state)
        wanted = {"segment_key": segment_key, "layout": LAYOUT}
        if {k: built_with.get(k) for k in wanted} != wanted:
            _drop(conn, project_id, keep_upkeep=True)
            conn.execute(sa.update(w).where(w.c.project_id == project_id, w.c.source == UPKEEP).values(state=wanted))
            marks = {}
            result.rebuilt = True
        more: list[str] = []
        changed, pipeline_hours, newest, tails = _changes(
            conn, project_id, {s: marks.get(s, (0.0, None)) for s in SOURCES}, more
        )
        ordered = sorted(changed)
        for k in range(0, len(ordered), CHUNK):
            _recount(store, conn, project_id, ordered[k : k + CHUNK], segment_key)
        for hour in sorted(pipeline_hours):
            _count_pipeline_hour(conn, project_id, hour)
        for day in {bucket_start(h, "day") for h in pipeline_hours}:
            _sum_pipeline(conn, project_id, "day", day, DAY)
        for week in {bucket_start(h, "week") for h in pipeline_hours}:
            _sum_pipeline(conn, project_id, "week", week, WEEK)
        for source, value in newest.items():
            tail = {"tail": tails[source]} if source in tails else None
            conn.execute(
                store.insert_or_update(
                    w,
                    ("project_id", "source"),
                    lambda excluded: {
                        "value": excluded.value,
                        "state": excluded.state,
                        "updated_at": excluded.updated_at,
                    },
                ),
                [{"project_id": project_id, "source": source, "value": value, "state": tail, "updated_at": now}],
            )
        result.interactions, result.hours, result.watermarks = len(changed), len(pipeline_hours), newest
        result.more = bool(more)
    result.seconds = time.perf_counter() - started
    return result


def catch_up_rollups(store: Store, project_id: str, *, segment_key: str | None = None, limit: int = 10_000) -> Upkeep:
    """:func:`update_rollups` again until no source has rows left (each call its own short
    transaction, so ingest gets the writer lock between them); the last call's answer, with the
    interactions of all of them."""
    total = 0
    for _ in range(limit):
        done = update_rollups(store, project_id, segment_key=segment_key)
        total += done.interactions
        if not done.more:
            break
    done.interactions = total
    return done


def rebuild(store: Store, project_id: str, *, segment_key: str | None = None) -> Upkeep:
    """Drop the project's rollups, marks and watermarks, and count everything again."""
    with store.write() as conn:
        _drop(conn, project_id, keep_upkeep=False)
    return catch_up_rollups(store, project_id, segment_key=segment_key)


def _drop(conn: sa.Connection, project_id: str, *, keep_upkeep: bool) -> None:
    for table in (t.monitor_rollups, t.monitor_marks):
        conn.execute(sa.delete(table).where(table.c.project_id == project_id))
    w = t.monitor_watermarks
    query = sa.delete(w).where(w.c.project_id == project_id)
    conn.execute(query.where(w.c.source != UPKEEP) if keep_upkeep else query)


def _json(value: object) -> dict[str, object]:
    import json

    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


# Each event source: its table and the column its watermark follows.
_TAILS = {
    "interactions": (t.interactions, t.interactions.c.received_at),
    "signals": (t.signals, t.signals.c.received_at),
    "labels": (t.labels, t.labels.c.updated_at),
    "outcomes": (t.outcomes, t.outcomes.c.received_at),
}


def _tail(conn: sa.Connection, project_id: str, source: str, mark: float) -> int:
    """How many rows of ``source`` lie in ``(mark - OVERLAP_S, mark]``."""
    table, column = _TAILS[source]
    return int(
        conn.execute(
            sa.select(sa.func.count())
            .select_from(table)
            .where(table.c.project_id == project_id, column > mark - OVERLAP_S, column <= mark)
        ).scalar_one()
    )


def _changes(
    conn: sa.Connection, project_id: str, marks: dict[str, tuple[float, Any]], more: list[str]
) -> tuple[set[str], set[float], dict[str, float], dict[str, int]]:
    """The interactions touched since each source's watermark, the hours of the wheel's events
    that changed, the new watermarks, and each source's tail count at its new watermark."""
    i, s, lb, o = t.interactions, t.signals, t.labels, t.outcomes
    changed: set[str] = set()
    newest = {source: mark for source, (mark, _) in marks.items()}
    capped: dict[str, float] = {}

    def take(source: str, rows: Iterable[Sequence[Any]]) -> None:
        for interaction_id, stamped in rows:
            changed.add(interaction_id)
            newest[source] = max(newest[source], float(stamped))

    def since(source: str) -> float:
        mark, state = marks[source]
        kept = (state if isinstance(state, dict) else _json(state)).get("tail")
        if mark > 0 and kept is not None and kept == _tail(conn, project_id, source, mark):
            return mark  # nothing landed late behind the watermark
        return mark - OVERLAP_S

    def page(source: str, query: Any, stamp: Any) -> list[Sequence[Any]]:
        """The source's next rows in stamp order, at most PAGE of them (more left: ``more``), so
        one upkeep of a large backlog never holds the writer lock for long."""
        rows = fetch_all(conn, query.order_by(stamp).limit(PAGE))
        if len(rows) < PAGE:
            return rows
        more.append(source)
        cut = float(rows[-1][-1])
        if float(rows[0][-1]) == cut:  # one stamp fills the page: take all of it
            rows = fetch_all(conn, query.where(stamp == cut))
            capped[source] = cut
        else:  # the rows at the cut's stamp are read again next time (seen twice: no change)
            capped[source] = cut - 1e-6
        return rows

    read = {
        "interactions": page(
            "interactions",
            sa.select(i.c.id, i.c.received_at).where(
                i.c.project_id == project_id, i.c.received_at > since("interactions")
            ),
            i.c.received_at,
        ),
        "signals": page(
            "signals",
            sa.select(s.c.interaction_id, s.c.received_at).where(
                s.c.project_id == project_id, s.c.received_at > since("signals")
            ),
            s.c.received_at,
        ),
        "labels": page(
            "labels",
            sa.select(lb.c.interaction_id, lb.c.updated_at).where(
                lb.c.project_id == project_id, lb.c.updated_at > since("labels")
            ),
            lb.c.updated_at,
        ),
        "outcomes": page(
            "outcomes",
            sa.select(o.c.interaction_id, o.c.join_key, o.c.received_at).where(
                o.c.project_id == project_id, o.c.received_at > since("outcomes")
            ),
            o.c.received_at,
        ),
    }
    if capped:
        # A backlog: every source is taken up to the same stamp, the smallest page's end, so an
        # interaction and the signals and label that followed it are counted in one upkeep, once
        # (paged apart, each page would count it again). The rest is read next time.
        cut = min(capped.values())
        for source, rows in read.items():
            kept = [r for r in rows if float(r[-1]) <= cut]
            if len(kept) < len(rows) or source in capped:
                newest[source] = max(newest[source], cut)
                if source not in more:
                    more.append(source)
            read[source] = kept
    for source in ("interactions", "signals", "labels"):
        take(source, read[source])
    new_outcomes = read["outcomes"]
    take("outcomes", [(iid, at) for iid, _, at in new_outcomes if iid])
    join_keys = sorted({key for _, key, _ in new_outcomes if key})
    if join_keys:
        changed.update(r[0] for r in fetch_by_ids(conn, i, ("id",), project_id, join_keys, key="join_key"))
    for _, _, at in new_outcomes:
        newest["outcomes"] = max(newest["outcomes"], float(at))
    pipeline_times, newest["pipeline"] = velocity.event_times(conn, project_id, marks["pipeline"][0] - OVERLAP_S)
    newest["pipeline"] = max(newest["pipeline"], marks["pipeline"][0])
    tails = {source: _tail(conn, project_id, source, newest[source]) for source in _TAILS}
    return changed, {bucket_start(x, "hour") for x in pipeline_times}, newest, tails


def _recount(store: Store, conn: sa.Connection, project_id: str, ids: list[str], segment_key: str | None) -> None:
    """Take these interactions' previous contributions out of the rollups and put their current
    ones in, and keep the current ones as their marks."""
    read = json_reader(conn)
    m = t.monitor_marks
    now = cohorts.contributions(conn, project_id, ids, segment_key)
    before = {
        r[0]: _mark(r[2], r[3], r[4], float(r[1]), read(r[5]))
        for r in fetch_by_ids(
            conn,
            m,
            ("interaction_id", "bucket", "workload", "version", "segment", "counts"),
            project_id,
            ids,
            key="interaction_id",
        )
    }
    # Summed per group and hour first (most interactions of a chunk share a few), then spread
    # over the hour's day and week: the per-interaction loop is the upkeep's hot path.
    per_hour: dict[tuple[cohorts.Key, float, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for contributions, sign in ((before, -1.0), (now, 1.0)):
        for key, hour, counts, arm in contributions.values():
            cell = per_hour[(key, hour, arm)]
            for metric, value in counts.items():
                cell[metric] += sign * value
    delta: dict[Cell, float] = defaultdict(float)
    for ((workload, version, segment), hour, arm), counts in per_hour.items():
        for grain in GRAINS:
            bucket = bucket_start(hour, grain)
            for metric, value in counts.items():
                delta[(grain, bucket, workload, version, segment, metric)] += value
                if arm:  # counted again under its arm, in the arm's own grain (ARM_GRAINS)
                    delta[(ARM_GRAINS[grain], bucket, workload, arm, segment, metric)] += value
    rows = [
        {
            "project_id": project_id,
            "grain": c[0],
            "bucket": c[1],
            "workload": c[2],
            "version": c[3],
            "segment": c[4],
            "metric": c[5],
            "value": v,
        }
        for c, v in delta.items()
        if v
    ]
    r = t.monitor_rollups
    if rows:
        conn.execute(
            store.insert_or_update(
                r,
                ("project_id", "grain", "bucket", "workload", "version", "segment", "metric"),
                lambda excluded: {"value": r.c.value + excluded.value},
            ),
            rows,
        )
    # Marks replaced whole: the previous ones out (erased interactions' too), the current ones in
    # with the store's bulk insert (a plain executemany: no per-row statement processing).
    if before:
        conn.execute(sa.delete(m).where(m.c.project_id == project_id, m.c.interaction_id.in_(list(before))))
    bulk_insert(
        conn,
        m,
        ("project_id", "interaction_id", "bucket", "workload", "version", "segment", "counts"),
        (
            (project_id, iid, hour, key[0], key[1], key[2], orjson.dumps(_with_arm(counts, arm)).decode())
            for iid, (key, hour, counts, arm) in now.items()
        ),
    )


def _with_arm(counts: dict[str, float], arm: str) -> dict[str, Any]:
    """A mark's counts, with the arm its interaction was counted under (to take out of it later)."""
    return {**counts, ARM_MARK: arm} if arm else counts


def _mark(workload: str, version: str, segment: str, hour: float, stored: dict[str, Any]) -> cohorts.Contribution:
    counts = dict(stored)
    arm = counts.pop(ARM_MARK, "")
    return cohorts.Contribution((workload, version, segment), hour, counts, str(arm))


def _count_pipeline_hour(conn: sa.Connection, project_id: str, hour: float) -> None:
    r = t.monitor_rollups
    conn.execute(
        sa.delete(r).where(
            r.c.project_id == project_id, r.c.grain == "hour", r.c.bucket == hour, velocity.is_pipeline(r.c.metric)
        )
    )
    rows: list[dict[str, Any]] = [
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
        for (workload, version, segment), metrics in velocity.hour_events(conn, project_id, hour, hour + HOUR).items()
        for metric, value in metrics.items()
        if value
    ]
    if rows:
        conn.execute(sa.insert(r), rows)


def _sum_pipeline(conn: sa.Connection, project_id: str, grain: str, start: float, size: float) -> None:
    """The ``grain`` rows of the wheel's events in the window at ``start``: the sum of its hours."""
    r = t.monitor_rollups
    conn.execute(
        sa.delete(r).where(
            r.c.project_id == project_id, r.c.grain == grain, r.c.bucket == start, velocity.is_pipeline(r.c.metric)
        )
    )
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
        .where(
            r.c.project_id == project_id,
            r.c.grain == "hour",
            r.c.bucket >= start,
            r.c.bucket < start + size,
            velocity.is_pipeline(r.c.metric),
        )
        .group_by(r.c.project_id, r.c.workload, r.c.version, r.c.segment, r.c.metric)
    )
    conn.execute(
        sa.insert(r).from_select(
            ["project_id", "grain", "bucket", "workload", "version", "segment", "metric", "value"], summed
        )
    )
