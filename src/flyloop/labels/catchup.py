"""Label freshness, in one place: the outbox and the catch-up that consumes it.

Ingest only records what changed: ``Store.ingest`` writes one outbox row per batch, naming its
new interactions, the interactions its signals touched and its new outcomes, in the batch's own
transaction, so the outbox can neither miss a stored event nor name a rolled-back one. A crash
between ingest and catch-up loses nothing: the entries stay until processed.

Labelling, attribution and inference run in :func:`catch_up`, off the ingest path (ingest speed
does not depend on labelling). Its callers are writers, each calling it by name:

- the SDK's local transport, on its sender thread after each drain of stored batches
  (:class:`flyloop.sdk.sender.LocalSink`): ``fw.flush()`` returning True means stored and
  labelled, so ``labels.get`` right after it is fresh;
- the background jobs: every ``label_interval_s`` in ``flyloop serve``
  (:mod:`flyloop.server.background`) or ``flyloop worker`` (:mod:`flyloop.worker`), through
  :func:`catch_up_all`; a server's ingest never labels;
- the jobs that build on labels, at their start: a dataset build (:func:`flyloop.datasets.build`)
  and :func:`recompute` here;
- a program that ingests through :class:`flyloop.capture.Capture` itself, when it wants fresh
  labels (``labels.catch_up(store, project)``).

Reads (:mod:`flyloop.labels.queries`' ``get``, ``explain``, ``iter_labels``, ``stats``, and
:mod:`flyloop.labels.coverage`) never write: they read what is stored, and :func:`pending` says
how much is still waiting to be labelled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from flyloop.labels import attribution, implicit, relabel, verdicts
from flyloop.labels.weights import Weights, load_weights
from flyloop.settings import Settings
from flyloop.store import Store, schema

_CATCH_UP_LOCKS: dict[tuple[int, str], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _catch_up_lock(store: Store, project_id: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _CATCH_UP_LOCKS.setdefault((id(store), project_id), threading.Lock())


def pending(store: Store, project_id: str) -> int:
    """Outbox entries (new interactions, touched interactions, new outcomes) not yet labelled;
    an interaction named by two waiting batches counts twice."""
    o = schema.outbox
    with store.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.coalesce(sa.func.sum(o.c.entries), 0)).where(o.c.project_id == project_id)
            ).scalar_one()
        )


def _next_rows(store: Store, project_id: str, chunk: int) -> Sequence[Any]:
    """The oldest waiting rows holding about ``chunk`` entries (at least one row)."""
    o = schema.outbox
    with store.read() as conn:
        heads = conn.execute(
            sa.select(o.c.seq, o.c.entries).where(o.c.project_id == project_id).order_by(o.c.seq).limit(1000)
        ).all()
        take: list[int] = []
        size = 0
        for seq, entries in heads:
            if take and size + entries > chunk:
                break
            take.append(seq)
            size += entries
        if not take:
            return []
        return conn.execute(
            sa.select(o.c.seq, o.c.marked_at, o.c.refs)
            .where(o.c.project_id == project_id, o.c.seq.in_(take))
            .order_by(o.c.seq)
        ).all()


def catch_up(
    store: Store, project_id: str, *, settings: Settings | None = None, chunk: int = 50_000, settle_all: bool = False
) -> verdicts.LabelStats:
    """Label everything stored since the last catch-up: attribute new outcomes, run inference
    for new and touched interactions, relabel exactly what changed, and decide abandonment for
    interactions whose window has closed. Safe to call from several threads (one runs, the others
    wait and find nothing left) and idempotent.

    Abandonment is decided only for what arrived before the newest ingest batch: that batch's
    own actions may still be on their way (the SDK batches by count and time). The serve loop
    passes ``settle_all=True``: a second after the newest batch, nothing of it is in flight.

    Each round takes up to ``chunk`` entries: a catch-up that fell behind a burst takes many
    batches at once, and an interaction several of them touched is labelled once, not once per
    batch (in the bench, where each interaction gets four signals a round, the worker's CPU per
    signal went from 21.2 to 13.4 us in the runs before and after)."""
    settings = settings or Settings()
    started = time.perf_counter()
    total = verdicts.LabelStats()
    o = schema.outbox
    newest_batch: set[str] = set()  # interaction ids the newest ingest batch touched
    newest_mark, processed = -1.0, False
    with _catch_up_lock(store, project_id):
        weights = load_weights(store, project_id)
        while True:
            rows = _next_rows(store, project_id, chunk)
            if not rows:
                break
            processed = True
            new_interactions: set[str] = set()
            touched: set[str] = set()
            outcomes: set[str] = set()
            for row in rows:
                new_interactions.update(row.refs.get("interaction", ()))
                touched.update(row.refs.get("touch", ()))
                outcomes.update(row.refs.get("outcome", ()))
            touched |= new_interactions
            touched |= attribution.attribute(
                store,
                project_id,
                outcome_ids=sorted(outcomes),
                interaction_ids=sorted(new_interactions),
                settings=settings,
            )
            # The re-ask rules pair interactions with each other and read no signal: only a new
            # interaction can make a new pair (a signal arriving changes its label, not its pairs).
            touched |= implicit.infer(store, project_id, new_interactions, settings=settings)
            _add(total, relabel.update(store, project_id, touched, weights=weights, settings=settings))
            # A row is one ingest batch, stamped with its received time: the newest is the newest batch.
            top = max(row.marked_at for row in rows)
            if top > newest_mark:
                newest_mark, newest_batch = top, set()
            for row in rows:
                if row.marked_at == top:
                    newest_batch.update(row.refs.get("interaction", ()), row.refs.get("touch", ()))
            with store.write() as conn:
                # Exactly the rows read: a row written meanwhile waits for the next round.
                conn.execute(sa.delete(o).where(o.c.project_id == project_id, o.c.seq.in_([row.seq for row in rows])))
        if processed or settle_all:
            skip = set() if settle_all else newest_batch
            abandoned = implicit.settle(store, project_id, settings=settings, skip=skip, limit=None)
            if abandoned:
                _add(total, relabel.update(store, project_id, abandoned, weights=weights, settings=settings))
    total.seconds = round(time.perf_counter() - started, 4)
    return total


def catch_up_all(store: Store, *, settings: Settings | None = None) -> dict[str, verdicts.LabelStats]:
    """:func:`catch_up` for every project, settling every closed window (the serve loop's job)."""
    with store.read() as conn:
        # Projects with work waiting, and every known project (closed abandonment windows).
        projects = sorted(
            set(conn.execute(sa.select(schema.outbox.c.project_id).distinct()).scalars())
            | set(conn.execute(sa.select(schema.projects.c.id)).scalars())
        )
    return {project: catch_up(store, project, settings=settings, settle_all=True) for project in projects}


def _add(total: verdicts.LabelStats, part: verdicts.LabelStats) -> None:
    total.labelled += part.labelled
    for verdict, count in part.counts.items():
        total.counts[verdict] += count


# --- the job that relabels everything ------------------------------------------------------


def recompute(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    weights: Weights | None = None,
    infer: bool = False,
    settings: Settings | None = None,
    chunk: int = 20_000,
) -> verdicts.LabelStats:
    """:func:`flyloop.labels.relabel.recompute`, after a catch-up: what waits in the outbox is
    attributed and inferred first, so the full relabel reads every signal stored so far."""
    catch_up(store, project_id, settings=settings)
    return relabel.recompute(
        store, project_id, workload=workload, weights=weights, infer=infer, settings=settings, chunk=chunk
    )
