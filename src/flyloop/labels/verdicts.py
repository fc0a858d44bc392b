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

This module is the rule and the label's types: :func:`decide` applies the rule, :class:`Label` is
its result and :class:`LabelStats` what a relabelling did. Writing labels (``update``,
``recompute``) is :mod:`flyloop.labels.relabel`'s, reading them (``get``, ``explain``,
``iter_labels``, ``stats``, writing nothing) :mod:`flyloop.labels.queries`'. What to relabel after
ingest, and when, is :mod:`flyloop.labels.catchup`'s (the one place label freshness lives): ingest
leaves an outbox, the catch-up consumes it and calls ``update``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

import orjson

from flyloop.events import KINDS, Context, SignalKind, measure
from flyloop.labels.weights import CATEGORY_WEIGHTS, DEFAULT_KIND_WEIGHTS, Weights  # noqa: F401  (flyloop.labels.verdicts.Weights)

VERDICTS = ("good", "bad", "corrected", "unknown")


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
    score = total = 0.0
    decided: list[str] = []
    judged: list[tuple[float, float]] = []  # (ts, contribution) of each counted signal
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
            judged.append((s[TS], contribution))
    edit_class = corrected_text = None
    text = _payload(correction[PAYLOAD]).get("text") if correction is not None else None
    if isinstance(text, str):  # an edit whose text privacy withheld still counts, as a plain negative
        edit_class = measure(output, text, weights.edit_thresholds).edit_class
        corrected_text = text if edit_class != "unchanged" else None
    if edit_class in weights.corrected_classes and correction is not None:
        # A signal up to the correction judged the output: against it agrees with the correction.
        # One after it judges the corrected text: for it agrees (the user sent the fixed reply,
        # the mail landed right once moved), against it disputes the correction.
        fixed = correction[TS]
        side = sum(-c if ts <= fixed else c for ts, c in judged if (c < 0) == (ts <= fixed))
        verdict = "corrected"
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
