"""The cases an evaluation runs: the held-out eval split of a dataset version, or a golden set.

**The eval split.** A dataset version's ``eval`` examples (:mod:`flyloop.curation`) are held
out by user (no user of the training split is there) and come after the time cut-off. Each is
an interaction whose verdict stands: ``good`` (the output the user accepted is the reference),
``correction`` (the user's own edit is both the reference and the correction similarity is
measured to), or ``bad`` (only what was wrong is known: no reference). For a choice workload
the reference is the label; of two labels, the one rejected tells the other (kept, and counted
as ``inferred``: without them the set holds mostly what production got right, since people
thumb up right answers and seldom correct wrong ones); a case still without one is left out.

**Weights.** With ``weigh``, each case counts by its example's curated quality, the label's
confidence times its rater's trust (:mod:`flyloop.curation`): a gate configured with
``references="quality"`` asks for it (:mod:`flyloop.evaluate.gates`). A case of quality 0 would
count for nothing and is left out (``no_quality``).

**Segments.** Results are also given per segment: the value of a metadata key of the source
interaction (``segment_key``, such as ``plan``), else the segment the dataset was balanced by.
A key no case has is refused, naming ``segment_key``; the cases lacking one that others have are
counted (the evaluation's ``config.segment_key_missing``): they count overall, in no segment.

**Order.** Eval-split cases come in the order of their examples' content ids (a hash: no bias
towards early or late traffic), golden cases by id, so both versions see the same cases in the
same order and ``limit`` takes the same ones every time. A case's id is its interaction's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from flyloop import datasets, errors
from flyloop.evaluate.golden import golden_cases
from flyloop.evaluate.metrics import EvalCase
from flyloop.store import Store, schema

_CHUNK = 900
# The segment of every example of a version built without balance keys: no segment at all.
UNSEGMENTED = "all"
ANONYMOUS = "(no user)"


@dataclass(frozen=True)
class CaseSet:
    """The cases of one evaluation and where they came from."""

    cases: list[EvalCase]
    source: str
    dataset_version: str | None
    dropped: dict[str, int]
    # Cases whose label was told by the one label the user rejected (a two-label workload).
    inferred: int = 0
    # With a segment_key: the cases whose metadata lacks it (they count overall, in no segment).
    lacking_segment: int = 0


def _check_segment_key(segment_key: str | None, cases: Sequence[EvalCase], keys_seen: set[str], where: str) -> int:
    """How many cases lack ``segment_key``; a key no case has is refused naming ``segment_key``
    (a typo would otherwise give no segments and no word)."""
    if not segment_key or not cases:
        return 0
    lacking = sum(1 for c in cases if c.segment is None)
    if lacking == len(cases):
        have = ", ".join(sorted(keys_seen)[:20]) or "none"
        raise errors.ValidationError(
            f"no case of {where} has metadata key {segment_key!r} (the keys its cases have: {have})",
            field="segment_key",
        )
    return lacking


def latest_eval_dataset(store: Store, project_id: str, workload: str) -> str | None:
    """The newest untainted dataset version holding eval-split examples of ``workload``."""
    v, e = schema.dataset_versions, schema.dataset_examples
    has_eval = (
        sa.select(sa.literal(1))
        .where(
            e.c.project_id == project_id,
            e.c.dataset_id == v.c.id,
            e.c.kind == "eval",
            e.c.split == "eval",
            e.c.workload == workload,
        )
        .exists()
    )
    query = (
        sa.select(v.c.id)
        .where(v.c.project_id == project_id, v.c.tainted_at.is_(None), has_eval)
        .order_by(v.c.created_at.desc(), v.c.id)
        .limit(1)
    )
    with store.read() as conn:
        return conn.execute(query).scalar()


def _metadata(store: Store, project_id: str, interaction_ids: list[str]) -> dict[str, dict[str, Any]]:
    t = schema.interactions
    out: dict[str, dict[str, Any]] = {}
    with store.read() as conn:
        for start in range(0, len(interaction_ids), _CHUNK):
            chunk = interaction_ids[start : start + _CHUNK]
            for iid, meta in conn.execute(
                sa.select(t.c.id, t.c.meta).where(t.c.project_id == project_id, t.c.id.in_(chunk))
            ):
                out[iid] = dict(meta or {})
    return out


def _segment_value(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def eval_split_cases(
    store: Store, project_id: str, workload: str, workload_type: str, *, dataset: str | None = None,
    segment_key: str | None = None, labels: Sequence[str] | None = None, weigh: bool = False,
) -> CaseSet:  # fmt: skip
    """The eval-split cases of ``workload`` in ``dataset`` (None: :func:`latest_eval_dataset`).
    ``labels``: a choice workload's; with two, a rejected label names the right one. ``weigh``:
    each case's weight is its example's curated quality (else 1)."""
    if dataset is not None:
        try:
            version = datasets.get(store, project_id, dataset)
        except errors.NotFound as exc:
            raise errors.NotFound(exc.message, field="dataset") from None
        if version.tainted:
            raise errors.Conflict(
                f"dataset version {version.short_id} is tainted ({version.taint_reason}): evaluate on another",
                field="dataset",
            )
        version_id = version.id
    else:
        found = latest_eval_dataset(store, project_id, workload)
        if found is None:
            raise errors.NotEnoughData(
                f"not enough data: 0 of 1 eval cases (no untainted dataset version holds eval-split examples of "
                f"{workload!r}: flyloop datasets build --workload {workload})",
                field="dataset",
                have=0,
                need=1,
            )
        version_id = found
    rows = [r for r in datasets.examples(store, project_id, version_id, "eval", ["eval"]) if r["workload"] == workload]
    meta = _metadata(store, project_id, sorted({r["interaction_id"] for r in rows})) if segment_key else {}
    cases: list[EvalCase] = []
    dropped = {"no_reference": 0}
    inferred = 0
    two = list(labels) if workload_type == "choice" and labels is not None and len(labels) == 2 else None
    for row in sorted(rows, key=lambda r: r["id"]):
        reference = row["completion"]
        if workload_type == "choice" and reference is None and two is not None and row.get("rejected") in two:
            # Of two labels, the one the user rejected tells the other. Leaving these cases out
            # would keep only what production answered to the user's liking (people thumb up
            # right answers, they seldom correct wrong ones) and flatter it against any candidate.
            reference = two[1 - two.index(row["rejected"])]
            inferred += 1
        if workload_type == "choice" and reference is None:
            dropped["no_reference"] += 1
            continue
        if weigh and not float(row["quality"]) > 0:
            dropped["no_quality"] = dropped.get("no_quality", 0) + 1  # weighed by it, it would count nothing
            continue
        if segment_key:
            segment = _segment_value(meta.get(row["interaction_id"], {}).get(segment_key))
        else:
            segment = None if row["segment"] in ("", UNSEGMENTED) else row["segment"]
        cases.append(
            EvalCase(
                id=row["interaction_id"],
                user=row["user_id"] or ANONYMOUS,
                input=row["prompt"],
                reference=reference,
                correction=row["completion"] if row["source"] == "correction" and workload_type != "choice" else None,
                segment=segment,
                weight=float(row["quality"]) if weigh else 1.0,
            )
        )
    keys_seen = {k for m in meta.values() for k in m}
    lacking = _check_segment_key(segment_key, cases, keys_seen, f"the eval split of {version_id[:12]}")
    return CaseSet(cases, "eval split", version_id, {k: v for k, v in dropped.items() if v}, inferred, lacking)


def golden_set_cases(
    store: Store, project_id: str, workload: str, name: str, *, segment_key: str | None = None
) -> CaseSet:
    """The cases of golden set ``name``; each case's user is its ``user_id`` (else its own id, so
    a hand-written set without users is resampled case by case)."""
    rows = golden_cases(store, project_id, name)
    if rows[0]["workload"] != workload:
        raise errors.ValidationError(
            f"golden set {name!r} is of workload {rows[0]['workload']!r}, not {workload!r}", field="golden"
        )
    key = segment_key or "segment"
    cases = [
        EvalCase(
            id=r["id"],
            user=r["user_id"] or r["id"],
            input=r["input"],
            reference=r["expected"],
            segment=_segment_value((r["metadata"] or {}).get(key)),
        )
        for r in rows
    ]
    keys_seen = {k for r in rows for k in (r["metadata"] or {})}
    lacking = _check_segment_key(segment_key, cases, keys_seen, f"golden set {name!r}")
    return CaseSet(cases, f"golden:{name}", None, {}, lacking_segment=lacking)
