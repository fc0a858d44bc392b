"""Writing labels: :func:`update` relabels given interactions, :func:`recompute` a whole project,
and :func:`forget_corrections` drops the copied words of a correction when their content goes.

Each applies :mod:`flyloop.labels.verdicts`' rule to stored rows read in bulk and upserts the
labels table (a newer label always wins, see ``_KEY``). When to relabel after ingest is
:mod:`flyloop.labels.catchup`'s.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import orjson
import sqlalchemy as sa

from flyloop.labels import attribution, implicit
from flyloop.labels.verdicts import VERDICTS, LabelStats, _decide, _Plan
from flyloop.labels.weights import Weights, configure, load_weights
from flyloop.settings import Settings
from flyloop.store import Store, fetch_all, fetch_by_ids, lock, schema, upsert_newer

_CHUNK = 500
_WRITE_CHUNK = 2_000  # labels per write transaction on SQLite (see update)


# The orders _decide unpacks. Rows are read as plain tuples (flyloop.store.fetch_all): the payload may
# come as its JSON text, parsed only where a rule reads it (_payload).
_INTERACTION_NAMES = ("id", "workload", "output", "ts", "user_id")


_SIGNAL_NAMES = (
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


def _interaction_cols() -> tuple[Any, ...]:
    return tuple(schema.interactions.c[name] for name in _INTERACTION_NAMES)


def _signal_cols() -> tuple[Any, ...]:
    return tuple(schema.signals.c[name] for name in _SIGNAL_NAMES)


_COLUMNS = (
    "project_id",
    "interaction_id",
    "workload",
    "verdict",
    "confidence",
    "score",
    "corrected_text",
    "signal_ids",
    "updated_at",
    "ts",
    "edit_class",
    "excluded",
    "time_to_action_s",
)


# settled_at belongs to inference: an upsert leaves it as it was. On a one-writer store labels
# are decided outside the write (see update), so two catch-ups (serve's and a worker's) may
# overlap: the one that began reading later (updated_at, taken before its reads) wins, whatever
# order they write in (flyloop.store.upsert_newer). Every signal is in the label its own outbox
# row leads to, or in a later-begun one. (Elsewhere writers also hold the project's lock: _lock.)
_KEY = ("project_id", "interaction_id")


def _upsert(conn: sa.Connection, project_id: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    # Tuples with the JSON written here, for the store's fast path: SQLAlchemy's per-row type
    # processing would cost more than the labelling itself on a million rows.
    dumps = orjson.dumps
    values = [
        (
            project_id,
            r["interaction_id"],
            r["workload"],
            r["verdict"],
            r["confidence"],
            r["score"],
            r["corrected_text"],
            dumps(r["signal_ids"]).decode(),
            r["updated_at"],
            r["ts"],
            r["edit_class"],
            dumps(r["excluded"]).decode(),
            r["time_to_action_s"],
        )
        for r in rows
    ]
    upsert_newer(conn, schema.labels, _COLUMNS, values, key=_KEY, newer="updated_at")


def _lock(conn: sa.Connection, project_id: str) -> None:
    # Two writers relabelling the same interaction could interleave a stale read with a fresh
    # write; one label writer per project at a time rules that out.
    # The lock keeps the name it had before the module split: a process of the earlier layout
    # writing labels at the same time takes the same one.
    lock(conn, "flyloop.labels.verdicts:" + project_id)


def _label_rows(
    conn: sa.Connection,
    interactions: list[Any],
    signal_rows: list[Any],
    weights: Weights,
    settings: Settings,
    now: float,
) -> list[dict[str, Any]]:
    by_interaction: dict[str, list[Any]] = {r[0]: [] for r in interactions}
    for sig in signal_rows:
        bucket = by_interaction.get(sig[1])
        if bucket is not None:
            bucket.append(sig)
    plan = _Plan(weights)
    skew, window = settings.max_clock_skew_s, settings.attribution_window_s
    return [_decide(it, by_interaction[it[0]], plan, skew, window, now) for it in interactions]


def update(
    store: Store,
    project_id: str,
    interaction_ids: Iterable[str],
    *,
    weights: Weights | None = None,
    settings: Settings | None = None,
) -> LabelStats:
    """Relabel these interactions (ids not stored yet are skipped: their signals wait)."""
    started = time.perf_counter()
    settings = settings or Settings()
    weights = weights or load_weights(store, project_id)
    i, s = schema.interactions, schema.signals
    ids = sorted(set(interaction_ids))
    stats = LabelStats()
    # Taken before anything is read: a label computed from older reads never overwrites one
    # computed from newer ones (see _KEY).
    now = time.time()

    def decide(conn: sa.Connection, chunk: list[str]) -> list[dict[str, Any]]:
        inter = fetch_by_ids(conn, i, _INTERACTION_NAMES, project_id, chunk)
        sigs = fetch_by_ids(conn, s, _SIGNAL_NAMES, project_id, [r[0] for r in inter], key="interaction_id")
        return _label_rows(conn, inter, sigs, weights, settings, now) if inter else []

    if store.one_writer:
        # SQLite has one writer for the whole file: read and decide first, then write the labels
        # in a short transaction, so ingest never waits while labels are computed. A few
        # thousand at a time: a catch-up of 50,000 never holds the writer's lock for long.
        for start in range(0, len(ids), _WRITE_CHUNK):
            part = ids[start : start + _WRITE_CHUNK]
            rows: list[dict[str, Any]] = []
            with store.read() as conn:
                for at in range(0, len(part), _CHUNK):
                    rows += decide(conn, part[at : at + _CHUNK])
            with store.write() as conn:
                _upsert(conn, project_id, rows)
            _count(stats, rows)
    else:
        with store.write() as conn:
            _lock(conn, project_id)
            for start in range(0, len(ids), _CHUNK):
                rows = decide(conn, ids[start : start + _CHUNK])
                _upsert(conn, project_id, rows)
                _count(stats, rows)
    stats.seconds = round(time.perf_counter() - started, 4)
    return stats


def _count(stats: LabelStats, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        stats.counts[row["verdict"]] += 1
    stats.labelled += len(rows)


def recompute(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    weights: Weights | None = None,
    infer: bool = False,
    settings: Settings | None = None,
    chunk: int = 20_000,
) -> LabelStats:
    """Relabel every interaction of the project (or of one workload) from its stored signals.

    New ``weights`` become the project's (see :func:`configure`), so later incremental updates
    agree with this run. ``infer=True`` first re-runs attribution and inference over the project
    and settles every closed abandonment window (slower; labels alone read stored signals).
    What waits in the outbox is not caught up here: :func:`flyloop.labels.catchup.recompute` (the
    public ``flyloop.labels.recompute``) does that first."""
    started = time.perf_counter()
    settings = settings or Settings()
    if weights is not None:
        configure(store, project_id, weights)
    weights = weights or load_weights(store, project_id)
    if infer:
        attribution.attribute_all(store, project_id, settings=settings)
        implicit.infer_all(store, project_id, settings=settings)
    i, s, lb = schema.interactions, schema.signals, schema.labels
    stats = LabelStats()
    last = None
    now = time.time()
    while True:
        query = sa.select(*_interaction_cols()).where(i.c.project_id == project_id)
        if workload is not None:
            query = query.where(i.c.workload == workload)
        if last is not None:
            query = query.where(i.c.id > last)
        with store.write() as conn:
            _lock(conn, project_id)
            inter = fetch_all(conn, query.order_by(i.c.id).limit(chunk))
            if not inter:
                break
            low, high = inter[0][0], inter[-1][0]
            signal_query = sa.select(*_signal_cols()).where(
                s.c.project_id == project_id, s.c.interaction_id >= low, s.c.interaction_id <= high
            )
            rows = _label_rows(conn, inter, fetch_all(conn, signal_query), weights, settings, now)
            _upsert(conn, project_id, rows)
            _count(stats, rows)
            last = high
    with store.write() as conn:  # labels whose interaction was erased go with it
        gone = ~sa.exists().where(i.c.project_id == lb.c.project_id, i.c.id == lb.c.interaction_id)
        conn.execute(sa.delete(lb).where(lb.c.project_id == project_id, gone))
    if infer:
        while True:
            abandoned = implicit.settle(store, project_id, settings=settings, limit=20_000)
            if abandoned:
                update(store, project_id, abandoned, weights=weights, settings=settings)
            with store.read() as conn:
                still_open = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(lb)
                    .where(
                        lb.c.project_id == project_id,
                        lb.c.settled_at.is_(None),
                        lb.c.ts <= time.time() - settings.abandon_window_s,
                    )
                ).scalar_one()
            if not still_open:
                break
        stats.counts = _recount(store, project_id, workload)
    stats.seconds = round(time.perf_counter() - started, 4)
    return stats


def _recount(store: Store, project_id: str, workload: str | None) -> dict[str, int]:
    lb = schema.labels
    query = sa.select(lb.c.verdict, sa.func.count()).where(lb.c.project_id == project_id).group_by(lb.c.verdict)
    if workload is not None:
        query = query.where(lb.c.workload == workload)
    with store.read() as conn:
        found: dict[str, int] = dict(conn.execute(query).all())
    return {v: found.get(v, 0) for v in VERDICTS}


def forget_corrections(store: Store, project_id: str, interaction_ids: list[str], reason: str) -> None:
    """Content hook: a label's ``corrected_text`` is a copy of a user's words, so it goes when
    consent or retention removes the content it came from (the verdict, a fact of usage, stays)."""
    t = schema.labels
    with store.write() as conn:
        for start in range(0, len(interaction_ids), 500):
            chunk = interaction_ids[start : start + 500]
            conn.execute(
                sa.update(t)
                .where(t.c.project_id == project_id, t.c.interaction_id.in_(chunk), t.c.corrected_text.is_not(None))
                .values(corrected_text=None)
            )
