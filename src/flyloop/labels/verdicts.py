"""Labels: one verdict per interaction, from all of its signals.

The verdict is ``good``, ``bad``, ``corrected`` or ``unknown``, with a confidence (0..1), the
signed weighted evidence (``score``), the correction that won (``corrected_text``) and the ids
of the signals that decided it (for dataset lineage). The rules, in order:

1. **Left out, with a reason** (kept in ``excluded``, never silently): a signal named by a later
   signal's ``overrides`` (``overridden``); one stamped before its interaction by more than the
   clock skew allowance (``before_interaction``); an outcome more than the attribution window
   after it (``outside_attribution_window``); a kind no longer registered (``unknown_kind``);
   an inferred signal whose kind the app also reported for this interaction (``duplicate``); an
   inferred abandonment when an action on the output exists after all (``withdrawn``).
2. **Later overrides earlier**: of one actor's votes (thumbs, rating, choice) only the latest
   counts (``superseded``); votes without an actor count as the interaction's user's. Of several
   corrections, the latest wins; the earlier ones are ``superseded``.
3. **Evidence**: each remaining signal adds ``weight(kind) * evidence`` (see
   :class:`flyloop.events.kinds.SignalKind`; inferred signals are further scaled by
   ``Weights.inferred``). Default weights follow the seeds' ranking: corrections and outcomes
   strongest (3), escalation strong (2), a choice 1.5, thumbs and ratings cheap (1), implicit
   behaviour weak (0.2 to 0.8).
4. **Verdict**: a winning correction of class ``substantive`` or ``rewrite`` makes the verdict
   ``corrected`` whatever else was said: an edit tells both that the output was wrong and what
   right looks like, and a thumbs-up or an outcome after it judges the edited text. (Conflicts
   lower the confidence, never the verdict.) A touch-up (``trivial``, ``unchanged``) keeps its
   text as ``corrected_text`` but counts as mild praise. Otherwise ``good`` when the score is at
   least ``min_score``, ``bad`` at most ``-min_score``, else ``unknown``.
5. **Confidence** = agreement x strength: the share of the evidence on the verdict's side, times
   ``1 - exp(-|evidence| / confidence_scale)``. An unknown verdict has confidence 0. The default
   scale is ``1 / ln 2``, so one unopposed explicit vote at full strength (a thumbs-up, a 5 of 5)
   has confidence exactly 0.5: curation's default ``min_confidence`` (0.5) uses it, and anything
   weaker or contested (a lone implicit signal, a 4 of 5, a vote someone else contradicts) stays
   under it until more evidence agrees. A project with only thumbs therefore gets a dataset;
   whether the rater deserves that trust is curation's question (:mod:`flyloop.curation.rater_trust`).

Bad input, rule by rule: a rating outside its scale and an event stamped in the future (beyond
``max_clock_skew_s``) are rejected at ingest with a ValidationError naming the field; a signal or
outcome for an interaction not stored yet is kept and joins its interaction when that arrives
(``flyloop status`` reports it as waiting, then orphaned); a signal stamped before its
interaction and an outcome outside the attribution window are stored and left out of the label
with their reason (outcomes: :func:`flyloop.labels.attribution.unattributed`).

This module is the rule and the labels table: :func:`decide` applies the rule, :func:`update`
relabels given interactions, :func:`recompute` relabels a whole project, and :func:`get`,
:func:`explain`, :func:`iter_labels` and :func:`stats` read what is stored, writing nothing. What
to relabel after ingest, and when, is :mod:`flyloop.labels.catchup`'s (the one place label
freshness lives): ingest leaves an outbox, the catch-up consumes it and calls :func:`update`.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

import orjson
import sqlalchemy as sa

from flyloop import errors
from flyloop.events import EDIT_CLASSES, KINDS, Context, SignalKind, measure
from flyloop.labels import attribution
from flyloop.labels import implicit as inference
from flyloop.labels.weights import CATEGORY_WEIGHTS, DEFAULT_KIND_WEIGHTS, Weights  # noqa: F401  (flyloop.labels.verdicts.Weights)
from flyloop.settings import Settings
from flyloop.store import Store, fetch_all, fetch_by_ids, lock, schema, upsert_newer

VERDICTS = ("good", "bad", "corrected", "unknown")
_CHUNK = 500
_WRITE_CHUNK = 2_000  # labels per write transaction on SQLite (see update)


@dataclass(frozen=True)
class Label:
    interaction_id: str
    workload: str
    verdict: str
    confidence: float
    score: float
    corrected_text: str | None
    signal_ids: list[str]
    updated_at: float
    ts: float = 0.0
    edit_class: str | None = None
    excluded: list[dict[str, str]] = field(default_factory=list)
    time_to_action_s: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LabelStats:
    """What a recompute did: labels written per verdict, and how long it took."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    labelled: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- the rule -------------------------------------------------------------------------------


class _Plan:
    """Per-kind facts the rule needs, looked up once per run rather than once per signal."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        self.kinds: dict[str, tuple] = {}
        for name, kind in KINDS.items():
            # A kind whose evidence is its fixed polarity contributes a constant: no call needed.
            constant = kind.evidence.__func__ is SignalKind.evidence.__func__  # type: ignore[attr-defined]
            weight = weights.weight(name)
            self.kinds[name] = (
                kind,
                kind.action and name != "dwell",
                kind.vote,
                kind.correction,
                kind.category == "outcome",
                weight * kind.polarity if constant else None,
                weight,
            )


# Signal rows are read by position: on a million interactions attribute lookups on rows cost
# more than the rule itself. The order is _signal_cols'.
ID, KIND, VALUE, PAYLOAD, SOURCE, ACTOR, TS, OVERRIDES = 0, 2, 3, 4, 5, 6, 7, 9
_ORDER = itemgetter(7, 8, 0)
_EMPTY: dict[str, Any] = {}


def _payload(raw: Any) -> dict[str, Any]:
    # SQLite hands the JSON text over unparsed (see _signal_cols): most payloads are empty and
    # most kinds never read theirs, so parsing waits until a rule needs it.
    if raw is None or raw == "{}":
        return _EMPTY
    return orjson.loads(raw) if isinstance(raw, (str, bytes)) else raw


def _decide(
    interaction: Any, signals: list[Any], plan: _Plan, skew: float, window: float, now: float
) -> dict[str, Any]:
    weights, kinds = plan.weights, plan.kinds
    interaction_id, workload, output, its, user_id = interaction
    if len(signals) > 1:
        signals.sort(key=_ORDER)
    overridden: set[str] = set()
    reported: set[str] = set()
    acted = False
    dwell = first_action = None
    for s in signals:
        if s[OVERRIDES]:
            overridden.add(s[OVERRIDES])
        if s[SOURCE] != "inferred":
            reported.add(s[KIND])
            if s[KIND] == "dwell" and dwell is None and s[VALUE] is not None:
                dwell = s[VALUE]
        info = kinds.get(s[KIND])
        if info is not None and info[1]:
            acted = True
            if first_action is None and s[SOURCE] != "inferred" and s[TS] >= its - skew:
                first_action = max(0.0, s[TS] - its)
    earliest, latest = its - skew, its + window
    excluded: list[dict[str, str]] = []
    live: list[tuple[Any, tuple]] = []
    votes: dict[str, Any] = {}
    correction = None
    for s in signals:
        info = kinds.get(s[KIND])
        if s[ID] in overridden:
            reason = "overridden"
        elif info is None:
            reason = "unknown_kind"
        elif s[TS] < earliest:
            reason = "before_interaction"
        elif info[4] and s[TS] > latest:
            reason = "outside_attribution_window"
        elif s[SOURCE] == "inferred" and s[KIND] in reported:
            reason = "duplicate"
        elif s[SOURCE] == "inferred" and s[KIND] == "abandon" and acted:
            reason = "withdrawn"
        else:
            live.append((s, info))
            if info[2]:  # later overrides earlier: the newest vote per actor, the newest correction
                votes[s[ACTOR] or user_id or ""] = s
            if info[3]:
                correction = s
            continue
        excluded.append({"signal_id": s[ID], "reason": reason})
    context = None
    score = total = against = 0.0
    decided: list[str] = []
    for s, info in live:
        if (info[2] and votes[s[ACTOR] or user_id or ""] is not s) or (info[3] and s is not correction):
            excluded.append({"signal_id": s[ID], "reason": "superseded"})
            continue
        contribution = info[5]
        if contribution is None:
            if context is None:
                context = Context(output, weights.edit_thresholds)
            # Any: stored JSON, whose name may be missing (a row written around the API): no weight of its own
            payload: Any = _payload(s[PAYLOAD])
            weight = weights.outcomes.get(payload.get("name"), info[6]) if info[4] and weights.outcomes else info[6]
            contribution = weight * info[0].evidence(s[VALUE], payload, context)
        if s[SOURCE] == "inferred":
            contribution *= weights.inferred
        if contribution:
            decided.append(s[ID])
            score += contribution
            total += abs(contribution)
            if contribution < 0:
                against -= contribution
    edit_class = corrected_text = None
    text = _payload(correction[PAYLOAD]).get("text") if correction is not None else None
    if isinstance(text, str):  # an edit whose text privacy withheld still counts, as a plain negative
        edit_class = measure(output, text, weights.edit_thresholds).edit_class
        corrected_text = text if edit_class != "unchanged" else None
    if edit_class in weights.corrected_classes:
        verdict, side = "corrected", against
    elif score >= weights.min_score:
        verdict, side = "good", score
    elif score <= -weights.min_score:
        verdict, side = "bad", -score
    else:
        verdict, side = "unknown", 0.0
    confidence = (side / total) * (1.0 - math.exp(-side / weights.confidence_scale)) if side > 0 else 0.0
    return {
        "interaction_id": interaction_id,
        "workload": workload,
        "verdict": verdict,
        "confidence": round(confidence, 6),
        "score": round(score, 6),
        "corrected_text": corrected_text,
        "signal_ids": decided,
        "updated_at": now,
        "ts": its,
        "edit_class": edit_class,
        "excluded": excluded,
        "time_to_action_s": round(dwell, 3)
        if dwell is not None
        else (round(first_action, 3) if first_action is not None else None),
    }


def decide(
    interaction: Any, signals: list[Any], weights: Weights, *, skew: float, window: float, now: float | None = None
) -> Label:
    """The label of one interaction (row with id, workload, output, ts, user_id) from its
    signals (rows with id, kind, value, payload, source, actor, ts, received_at, overrides)."""
    as_row = attrgetter(
        "id", "interaction_id", "kind", "value", "payload", "source", "actor", "ts", "received_at", "overrides"
    )
    rows = [as_row(sig) for sig in signals]
    head = attrgetter("id", "workload", "output", "ts", "user_id")(interaction)
    row = _decide(head, rows, _Plan(weights), skew, window, time.time() if now is None else now)
    return Label(**row)


# --- reading and writing --------------------------------------------------------------------


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
        inference.infer_all(store, project_id, settings=settings)
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
            abandoned = inference.settle(store, project_id, settings=settings, limit=20_000)
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


# --- weights per project --------------------------------------------------------------------


def configure(store: Store, project_id: str, weights: Weights) -> None:
    """Make ``weights`` the project's: every later label, incremental or full, uses them."""
    t = schema.label_config
    with store.write() as conn:
        conn.execute(sa.delete(t).where(t.c.project_id == project_id))
        conn.execute(
            sa.insert(t), [{"project_id": project_id, "weights": weights.to_json(), "updated_at": time.time()}]
        )


def load_weights(store: Store, project_id: str) -> Weights:
    t = schema.label_config
    with store.read() as conn:
        data = conn.execute(sa.select(t.c.weights).where(t.c.project_id == project_id)).scalar()
    return Weights.from_json(data) if data else Weights()


# --- queries --------------------------------------------------------------------------------


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
