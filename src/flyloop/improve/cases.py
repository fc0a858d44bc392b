"""What prompt refinement reads: failures with everything their signals say, and the validation
cases proposals are scored on.

**Feedback** (:func:`feedback`): for each failure, in words a reflecting model can use: the
verdict, the user's correction and the word diff to it (:func:`flyloop.events.measure`), comments,
the other signals (thumbs, ratings, regenerations, abandonment ...) and attributed outcomes.

**Validation cases** (:func:`validation_cases`): held-out inputs with a reference output, never one
of the failures the proposals are written from. First the ``validation`` split of the newest
dataset version with SFT examples of the workload (users never trained on; the ``eval`` split is
left to the evaluation gate, so that choosing a prompt on it cannot flatter the gate); then, when
that is short, corrected failures outside the pool (reference: the correction) and confidently good
interactions (reference: the output), newest first, alternating. Only what the user's consent
allows for training is read: a proposal is a model change, and its prompt may quote what it read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from flyloop import datasets, privacy
from flyloop.events import measure
from flyloop.improve.failures import Failure, input_text
from flyloop.store import Store, schema

MIN_GOOD_CONFIDENCE = 0.5  # curation's default min_confidence: one unopposed explicit vote


@dataclass(frozen=True)
class Case:
    """One held-out input and what right looks like for it."""

    interaction_id: str
    input: Any
    reference: str
    source: str  # "dataset:<version id>", "corrected" or "good"
    variables: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "interaction_id": self.interaction_id,
            "input": input_text(self.input),
            "reference": self.reference,
            "source": self.source,
        }


def consented(store: Store, project_id: str, failures: Sequence[Failure]) -> list[Failure]:
    """The failures whose recorded consent and whose user's consent now allow training use."""
    allowed = privacy.usable_for_training(
        store, project_id, ({"id": f.interaction_id, "user_id": f.user_id, "consent": f.consent} for f in failures)
    )
    return [f for f in failures if f.interaction_id in allowed]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def feedback(store: Store, project_id: str, failures: Sequence[Failure], *, limit: int = 600) -> dict[str, list[str]]:
    """Per failure id, its feedback as lines of text (texts clipped to ``limit`` characters)."""
    ids = [f.interaction_id for f in failures]
    s, o = schema.signals, schema.outcomes
    signals: dict[str, list[Any]] = defaultdict(list)
    outcomes: dict[str, list[Any]] = defaultdict(list)
    with store.read() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in conn.execute(
                sa.select(s.c.interaction_id, s.c.kind, s.c.value, s.c.payload)
                .where(s.c.project_id == project_id, s.c.interaction_id.in_(chunk))
                .order_by(s.c.ts, s.c.id)
            ):
                signals[row.interaction_id].append(row)
            for found in conn.execute(
                sa.select(o.c.interaction_id, o.c.name, o.c.value)
                .where(o.c.project_id == project_id, o.c.interaction_id.in_(chunk))
                .order_by(o.c.ts, o.c.id)
            ):
                outcomes[found.interaction_id].append(found)
    out: dict[str, list[str]] = {}
    for f in failures:
        lines = [f"verdict: {f.verdict}"]
        if f.corrected_text is not None:
            lines.append(f"the user corrected the output to: {_clip(f.corrected_text, limit)}")
            lines.append(
                f"the edit ([-removed-] {{+added+}}): {_clip(measure(f.output, f.corrected_text).diff, limit)}"
            )
        others: list[str] = []
        for sig in signals.get(f.interaction_id, []):
            payload = sig.payload or {}
            if sig.kind == "comment" and isinstance(payload.get("text"), str):
                lines.append(f"the user commented: {_clip(payload['text'], limit)}")
            elif sig.kind == "rating" and sig.value is not None:
                low, high = payload.get("scale", [1, 5])
                others.append(f"rating {sig.value:g} of {low}..{high}")
            elif sig.kind != "edit":
                others.append(sig.kind)
        if others:
            lines.append("signals: " + ", ".join(others))
        for outcome in outcomes.get(f.interaction_id, []):
            lines.append(
                f"outcome {outcome.name} = {outcome.value:g}"
                if outcome.value is not None
                else f"outcome {outcome.name}"
            )
        out[f.interaction_id] = lines
    return out


def _dataset_cases(
    store: Store, project_id: str, workload: str, exclude: Collection[str], dataset: str | None
) -> list[Case]:
    versions = [datasets.get(store, project_id, dataset)] if dataset else datasets.list_versions(store, project_id)
    for version in versions:
        if version.tainted:
            continue
        rows = [
            r
            for r in datasets.examples(store, project_id, version.id, "sft", ["validation"])
            if r["workload"] == workload and r["interaction_id"] not in exclude and r["completion"]
        ]
        if not rows:
            continue
        rule = privacy.training_consent(store, project_id, (r["user_id"] for r in rows))
        return [
            Case(r["interaction_id"], r["prompt"], r["completion"], f"dataset:{version.id}")
            for r in sorted(rows, key=lambda r: (-r["ts"], r["interaction_id"]))
            if rule.user_allows(r["user_id"])
        ]
    return []


def _labelled(
    store: Store, project_id: str, workload: str, verdict: Any, exclude: Collection[str], size: int
) -> list[Any]:
    """The newest ``size`` interactions of one kind of label, outside ``exclude``, consent allowing."""
    lb, i = schema.labels, schema.interactions
    query = (
        sa.select(lb.c.interaction_id, lb.c.corrected_text, i.c.input, i.c.output, i.c.user_id, i.c.consent)
        .select_from(lb.join(i, sa.and_(i.c.project_id == lb.c.project_id, i.c.id == lb.c.interaction_id)))
        .where(lb.c.project_id == project_id, lb.c.workload == workload, verdict)
        .order_by(lb.c.ts.desc(), lb.c.interaction_id)
        # enough to fill ``size`` once the excluded ones are passed over, without reading them all
        .limit(size + len(exclude))
    )
    with store.read() as conn:
        rows = [r for r in conn.execute(query).all() if r.interaction_id not in exclude]
    allowed = privacy.usable_for_training(
        store, project_id, ({"id": r.interaction_id, "user_id": r.user_id, "consent": r.consent} for r in rows)
    )
    return [r for r in rows if r.interaction_id in allowed][:size]


def _labelled_cases(store: Store, project_id: str, workload: str, exclude: Collection[str], size: int) -> list[Case]:
    lb = schema.labels
    corrected = [
        Case(r.interaction_id, r.input, r.corrected_text, "corrected")
        for r in _labelled(store, project_id, workload, lb.c.verdict == "corrected", exclude, size)
        if r.corrected_text
    ]
    good_label = sa.and_(lb.c.verdict == "good", lb.c.confidence >= MIN_GOOD_CONFIDENCE)
    good = [
        Case(r.interaction_id, r.input, r.output, "good")
        for r in _labelled(store, project_id, workload, good_label, exclude, size)
        if r.output
    ]
    # Alternate, so that the slice asks both "is the failure fixed elsewhere" and "is the good kept".
    mixed: list[Case] = []
    for n in range(max(len(corrected), len(good))):
        mixed.extend(c[n] for c in (corrected, good) if n < len(c))
    return mixed


def validation_cases(
    store: Store,
    project_id: str,
    workload: str,
    *,
    exclude: Collection[str],
    size: int,
    dataset: str | None = None,
    variables: Sequence[str] = (),
) -> tuple[list[Case], dict[str, int]]:
    """Up to ``size`` held-out cases (none of the ``exclude`` ids) and what was left out (cases
    missing a declared template ``variables`` value in their interaction's metadata)."""
    cases = _dataset_cases(store, project_id, workload, exclude, dataset)[:size]
    if len(cases) < size:
        taken = {c.interaction_id for c in cases}
        more = _labelled_cases(store, project_id, workload, set(exclude) | taken, size - len(cases))
        cases += more[: size - len(cases)]
    dropped = {"missing_variables": 0}
    if variables:
        i = schema.interactions
        with store.read() as conn:
            metas = dict(
                conn.execute(
                    sa.select(i.c.id, i.c.meta).where(
                        i.c.project_id == project_id, i.c.id.in_([c.interaction_id for c in cases])
                    )
                ).all()
            )
        kept = []
        for case in cases:
            meta = metas.get(case.interaction_id) or {}
            if all(meta.get(v) is not None for v in variables):
                kept.append(
                    Case(case.interaction_id, case.input, case.reference, case.source, {v: meta[v] for v in variables})
                )
            else:
                dropped["missing_variables"] += 1
        cases = kept
    return cases, dropped
