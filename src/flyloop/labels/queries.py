"""The stored labels, read: one label (:func:`get`), what decided it (:func:`explain`), every label
page by page (:func:`iter_labels`) and the project's counts (:func:`stats`).

These reads write nothing: a label not caught up on yet is a NotFound that says how much waits.
The rule is :mod:`flyloop.labels.verdicts`'; the writes are :mod:`flyloop.labels.relabel`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.events import EDIT_CLASSES, KINDS, Context, measure
from flyloop.labels import attribution
from flyloop.labels.verdicts import VERDICTS, Label
from flyloop.labels.weights import load_weights
from flyloop.settings import Settings
from flyloop.store import Store, schema


def _label(row: Any) -> Label:
    return Label(
        row.interaction_id,
        row.workload,
        row.verdict,
        row.confidence,
        row.score,
        row.corrected_text,
        list(row.signal_ids or []),
        row.updated_at,
        row.ts,
        row.edit_class,
        list(row.excluded or []),
        row.time_to_action_s,
    )


def get(store: Store, project_id: str, interaction_id: str) -> Label:
    """The stored label of one interaction; NotFound if it has none (no such interaction yet, or
    not caught up on yet)."""
    lb = schema.labels
    with store.read() as conn:
        row = conn.execute(
            sa.select(lb).where(lb.c.project_id == project_id, lb.c.interaction_id == interaction_id)
        ).first()
    if row is None:
        raise _no_label(store, project_id, interaction_id)
    return _label(row)


def _no_label(store: Store, project_id: str, interaction_id: str) -> errors.NotFound:
    # Reads never label, so a stored interaction may wait for the catch-up (through a server, up
    # to label_interval_s): say so, rather than a NotFound that reads as "no such interaction".
    # Two reads on the error path only. The outbox is counted here as catchup.pending counts it:
    # the reads never import the catch-up (one direction, tests/labels/test_catchup.py).
    message = f"no label for interaction {interaction_id!r} in project {project_id!r}"
    it, o = schema.interactions, schema.outbox
    with store.read() as conn:
        stored = conn.execute(
            sa.select(it.c.id).where(it.c.project_id == project_id, it.c.id == interaction_id)
        ).first()
        waiting = 0
        if stored is not None:
            waiting = int(
                conn.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(o.c.entries), 0)).where(o.c.project_id == project_id)
                ).scalar_one()
            )
    if not waiting:
        return errors.NotFound(message)
    return errors.NotFound(
        f"{message} yet: it is stored and {waiting} outbox entries wait to be labelled "
        "(flyloop serve labels every label_interval_s, or flyloop worker does)",
        pending=waiting,
    )


def explain(store: Store, project_id: str, interaction_id: str, *, settings: Settings | None = None) -> dict[str, Any]:
    """A label with what decided it: each signal with its weight, evidence and whether it
    counted (or why not), the edit measured, and outcomes that were not attributed."""
    label = get(store, project_id, interaction_id)
    weights = load_weights(store, project_id)
    found = store.get_interaction(project_id, interaction_id)
    excluded = {e["signal_id"]: e["reason"] for e in label.excluded}
    context = Context(found["output"], weights.edit_thresholds)
    signals = []
    for sig in found["signals"]:
        known = sig["kind"] in KINDS
        evidence = KINDS[sig["kind"]].evidence(sig["value"], sig["payload"], context) if known else 0.0
        signals.append(
            {
                "id": sig["id"],
                "kind": sig["kind"],
                "source": sig["source"],
                "ts": sig["ts"],
                "value": sig["value"],
                "weight": weights.weight(sig["kind"], sig["payload"]),
                "evidence": round(evidence, 4),
                "counted": sig["id"] in label.signal_ids,
                "excluded": excluded.get(sig["id"]),
                "caused_by": sig["payload"].get("caused_by"),
            }
        )
    edit = None
    corrections = [
        s for s in found["signals"] if s["kind"] in KINDS and KINDS[s["kind"]].correction and s["id"] not in excluded
    ]
    if corrections and isinstance(corrections[-1]["payload"].get("text"), str):
        edit = measure(found["output"], corrections[-1]["payload"]["text"], weights.edit_thresholds).as_dict()
    settings = settings or Settings()
    late = [
        {
            "outcome_id": o["id"],
            "name": o["name"],
            "reason": "outside_attribution_window"
            if o["ts"] > found["ts"] + settings.attribution_window_s
            else "before_interaction",
        }
        for o in found["outcomes"]
        if o["interaction_id"] == interaction_id
        and not found["ts"] - settings.max_clock_skew_s <= o["ts"] <= found["ts"] + settings.attribution_window_s
    ]
    return {
        **label.as_dict(),
        "output": found["output"],
        "signals": signals,
        "edit": edit,
        "unattributed_outcomes": late,
    }


def iter_labels(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    verdicts: Iterable[str] | None = None,
    batch: int = 5000,
) -> Iterator[Label]:
    """Every label of the project (or workload), optionally only some verdicts, in interaction
    id order; read page by page so a million labels never sit in memory at once."""
    lb = schema.labels
    wanted = sorted(set(verdicts)) if verdicts is not None else None
    if wanted is not None and set(wanted) - set(VERDICTS):
        raise errors.ValidationError(f"verdicts must be some of {', '.join(VERDICTS)}", field="verdicts")
    last = None
    while True:
        query = sa.select(lb).where(lb.c.project_id == project_id)
        if workload is not None:
            query = query.where(lb.c.workload == workload)
        if wanted is not None:
            query = query.where(lb.c.verdict.in_(wanted))
        if last is not None:
            query = query.where(lb.c.interaction_id > last)
        with store.read() as conn:
            rows = conn.execute(query.order_by(lb.c.interaction_id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _label(row)
        last = rows[-1].interaction_id


def stats(
    store: Store, project_id: str, *, workload: str | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """Verdicts per workload with mean confidence, edit classes, labels still unsettled, signals
    waiting for their interaction, and outcomes that count for no interaction (by reason)."""
    lb, i, s = schema.labels, schema.interactions, schema.signals
    query = (
        sa.select(lb.c.workload, lb.c.verdict, sa.func.count(), sa.func.avg(lb.c.confidence))
        .where(lb.c.project_id == project_id)
        .group_by(lb.c.workload, lb.c.verdict)
    )
    edits = (
        sa.select(lb.c.edit_class, sa.func.count())
        .where(lb.c.project_id == project_id, lb.c.edit_class.is_not(None))
        .group_by(lb.c.edit_class)
    )
    if workload is not None:
        query, edits = query.where(lb.c.workload == workload), edits.where(lb.c.workload == workload)
    missing = ~sa.exists().where(i.c.project_id == s.c.project_id, i.c.id == s.c.interaction_id)
    with store.read() as conn:
        rows = conn.execute(query).all()
        edit_classes: dict[str, int] = dict(conn.execute(edits).all())
        waiting = conn.execute(
            sa.select(sa.func.count()).select_from(s).where(s.c.project_id == project_id, missing)
        ).scalar_one()
        unlabelled = conn.execute(
            sa.select(sa.func.count())
            .select_from(i)
            .where(
                i.c.project_id == project_id,
                *([i.c.workload == workload] if workload else []),
                ~sa.exists().where(lb.c.project_id == i.c.project_id, lb.c.interaction_id == i.c.id),
            )
        ).scalar_one()
    workloads: dict[str, dict[str, Any]] = {}
    totals: Counter[str] = Counter()
    for name, verdict, count, mean in rows:
        entry = workloads.setdefault(name, {"labels": 0, "verdicts": dict.fromkeys(VERDICTS, 0), "mean_confidence": {}})
        entry["labels"] += count
        entry["verdicts"][verdict] = count
        entry["mean_confidence"][verdict] = round(float(mean or 0.0), 4)
        totals[verdict] += count
    return {
        "project": project_id,
        "labels": sum(totals.values()),
        "verdicts": {v: totals.get(v, 0) for v in VERDICTS},
        "workloads": dict(sorted(workloads.items())),
        "edit_classes": {c: edit_classes.get(c, 0) for c in EDIT_CLASSES},
        "unlabelled_interactions": unlabelled,
        "signals_waiting_for_interaction": waiting,
        "unattributed_outcomes": attribution.unattributed(store, project_id, settings=settings),
    }
