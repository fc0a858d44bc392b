"""Curation: from captured interactions, signals, labels and outcomes to trustworthy examples.

:func:`curate` runs the pipeline a dataset version is built from, and returns the examples with
a report of every step (what the manifest records):

1. **Scope and consent.** Interactions of the project matching the request (workloads, time,
   metadata segments) whose recorded consent allows training *and* whose user's current consent
   does (:func:`flyloop.privacy.consent.training_consent`). Nothing else is read further.
2. **Evidence** (:mod:`flyloop.curation.sources`): labels, signals (overridden ones left out), outcomes.
3. **Integrity** (:mod:`flyloop.curation.rater_trust`): rater trust; habitual and adversarial raters and
   outlier edits quarantined, with reasons.
4. **Curated verdicts** (:mod:`flyloop.curation.examples`): a label stands only if evidence outside
   quarantine still supports it; then the candidates of each kind (SFT, preference, KTO, eval),
   each through the quality filters (:mod:`flyloop.curation.filters`).
5. **Deduplication** per kind (:mod:`flyloop.curation.dedup`), best-labelled copy kept; **caps** per user.
6. **Splits** (:mod:`flyloop.curation.splits`): by a keyed hash of the user (stable across versions),
   time-aware (eval after train), no near-duplicate across;
   eval cases are the held-out split's; the few-shot bank is drawn from train.
7. **Balance** (:mod:`flyloop.curation.segments`): segment weights by usage share; coverage report.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flyloop import errors
from flyloop.capture import list_workloads
from flyloop.curation.dedup import DedupConfig, Signatures, deduplicate
from flyloop.curation.examples import Example, build_candidates, fewshot_bank
from flyloop.curation.filters import FilterConfig, Filters, prompt_text
from flyloop.curation.rater_trust import IntegrityConfig, assess, cap_per_user
from flyloop.curation.segments import BalanceConfig, balance, coverage
from flyloop.curation.sources import Sources, load
from flyloop.curation.splits import SplitConfig, assign
from flyloop.privacy import current_secret
from flyloop.store import Store

Kind = Literal["sft", "preference", "kto", "fewshot", "eval"]
KINDS: tuple[Kind, ...] = ("sft", "preference", "kto", "fewshot", "eval")
KIND_ALIASES = {"dpo": "preference"}
Progress = Callable[[str, int, int], None]


class CurationConfig(BaseModel):
    """What a dataset is built from and how strictly. Every field has a default; conflicting
    settings are refused with the field named, never silently resolved."""

    model_config = ConfigDict(extra="forbid")
    workloads: list[str] | None = None
    exclude_workloads: list[str] | None = None
    since: float | None = None
    until: float | None = None
    segments: dict[str, list[str]] = Field(default_factory=dict)
    kinds: list[Kind] = Field(default_factory=lambda: list(KINDS))
    min_confidence: float = Field(0.5, ge=0, le=1)
    outcome_names: list[str] | None = None
    outcome_threshold: float = 0.5
    fewshot_per_workload: int = Field(20, ge=0)
    filters: FilterConfig = Field(default_factory=FilterConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    integrity: IntegrityConfig = Field(default_factory=IntegrityConfig)
    splits: SplitConfig = Field(default_factory=SplitConfig)
    balance: BalanceConfig = Field(default_factory=BalanceConfig)

    @field_validator("kinds", mode="before")
    @classmethod
    def _kind_names(cls, value: Any) -> Any:
        # "dpo" is the target preference pairs are exported as; a build takes it for the kind.
        # names only: anything else (an object, unhashable) is left for the field's own 422, not a 500
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(dict.fromkeys(KIND_ALIASES.get(v, v) for v in value))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CurationConfig:
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise ValueError(f"since ({self.since}) must be before until ({self.until})")
        both = sorted(set(self.workloads or ()) & set(self.exclude_workloads or ()))
        if both:
            raise ValueError(f"workloads {', '.join(both)} are both included and excluded")
        if self.workloads is not None and not self.workloads:
            raise ValueError("workloads is empty: nothing could match; leave it unset for every workload")
        if not self.kinds:
            raise ValueError("kinds is empty: name at least one of " + ", ".join(KINDS))
        for key, values in self.segments.items():
            if not values:
                raise ValueError(f"segments[{key!r}] is empty: no interaction could match")
        if "eval" in self.kinds and self.splits.eval == 0:
            raise ValueError("kinds includes eval but the eval split share is 0")
        if "fewshot" in self.kinds and self.fewshot_per_workload == 0:
            raise ValueError("kinds includes fewshot but fewshot_per_workload is 0")
        return self


@dataclass
class Curated:
    """The examples of a build, best first within each kind, and the report of every step."""

    examples: list[Example]
    report: dict[str, Any]
    quarantine: list[tuple[str, str | None, str]] = field(default_factory=list)  # (signal id, actor, reason)


class _Collector:
    """Pauses CPython's cyclic garbage collector while builds run (nested or concurrent ones
    included), and restores it when the last one ends. A build holds millions of small
    long-lived objects (records, votes, candidate examples) and makes no garbage cycles worth
    collecting early, yet the collector re-walks all of them whenever the heap grows by a
    quarter: a fifth of a million-interaction build. Reference counting frees memory as usual."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    @contextmanager
    def paused(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


collector = _Collector()


def _rank(ex: Example) -> tuple[float, str]:
    return (-ex.quality, ex.id)


def curate(store: Store, project_id: str, config: CurationConfig, *, progress: Progress | None = None) -> Curated:
    """Run the curation pipeline on the store; raises NotFound when the request matches nothing."""
    with collector.paused():
        return _curate(store, project_id, config, progress)


def _curate(store: Store, project_id: str, config: CurationConfig, progress: Progress | None) -> Curated:
    tick = progress or (lambda _stage, _done, _total: None)
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings[name] = round(now - started, 3)
        started = now

    src = load(store, project_id, config, tick)
    lap("load")
    if src.in_scope == 0:
        raise errors.NotFound(f"no interactions in project {project_id!r} match this request ({_describe(config)})")
    if src.consented == 0:
        raise errors.NotFound(
            f"{src.in_scope:,} interactions match, but none may be used for training "
            f"(consent withdrawn or limited for all of them)"
        )
    tick("integrity", 0, 1)
    report_integrity = assess(src.evidence, config.integrity)
    tick("integrity", 1, 1)
    lap("integrity")

    filters = Filters(config.filters)
    candidates, verdicts = build_candidates(src, report_integrity, filters, config, _two_labels(store, project_id))
    tick("candidates", 1, 1)
    lap("candidates")
    funnel: dict[str, dict[str, int]] = {
        k: {"candidates": 0, "filtered": 0, "duplicates": 0, "capped": 0} for k in KINDS
    }
    for kind, filtered_out in _filtered_per_kind(filters).items():
        funnel[kind]["filtered"] = filtered_out
    kept: list[Example] = []
    dedup_report: dict[str, dict[str, int]] = {}
    kinds_built = [k for k in KINDS if k in config.kinds or (k == "sft" and "fewshot" in config.kinds)]
    signatures = Signatures(config.dedup)
    # Best first, once for every kind: by id, then (a stable sort) by quality is the order of
    # _rank, in two sorts of plain keys that cost less than one of tuples; each group below
    # then reaches deduplicate already in order.
    candidates.sort(key=lambda ex: ex.id)
    candidates.sort(key=lambda ex: -ex.quality)
    groups: dict[str, dict[Any, list[Example]]] = {kind: {} for kind in kinds_built}
    for ex in candidates:
        if ex.kind in groups:
            groups[ex.kind].setdefault(ex.label, []).append(ex)
    del candidates  # each kind's duplicates are freed once it is done, not at the end
    for n, kind in enumerate(kinds_built):
        by_label = groups.pop(kind)
        funnel[kind]["candidates"] = sum(map(len, by_label.values())) + funnel[kind]["filtered"]
        tick("dedup", n, len(kinds_built))
        removed = {"exact": 0, "near": 0}
        unique: list[Example] = []
        # KTO's desirable and undesirable examples are deduplicated apart: the same text with
        # opposite labels is not a duplicate.
        for label in sorted(by_label, key=str):
            part, counts = deduplicate(
                by_label[label], parts=Example.dedup_parts, rank=_rank, config=config.dedup, signatures=signatures
            )
            unique.extend(part)
            removed = {k: removed[k] + counts[k] for k in removed}
        unique.sort(key=_rank)
        dedup_report[kind] = removed
        funnel[kind]["duplicates"] = sum(removed.values())
        capped, dropped = cap_per_user(unique, user=lambda ex: ex.user_id, config=config.integrity)
        funnel[kind]["capped"] = dropped
        kept.extend(capped)
    tick("dedup", len(kinds_built), len(kinds_built))
    lap("dedup")

    tick("splits", 0, 1)
    _, split_key = current_secret(store, project_id, "split")
    split_of, split_report = assign(
        kept,
        group=lambda ex: ex.group,
        ts=lambda ex: ex.ts,
        prompt=lambda ex: prompt_text(ex.prompt),
        config=config.splits,
        dedup=config.dedup,
        key=split_key,
        signatures=signatures,
        window_times=[rec.ts for rec in src.records.values()],
    )
    placed: list[Example] = []
    for ex, split in zip(kept, split_of):
        if split is None or (ex.kind == "eval" and split != "eval"):
            continue
        ex.split = split
        placed.append(ex)
    if "fewshot" in config.kinds:
        placed.extend(fewshot_bank([ex for ex in placed if ex.kind == "sft"], config.fewshot_per_workload))
    placed = [ex for ex in placed if ex.kind in config.kinds]
    tick("splits", 1, 1)
    lap("splits")

    balanced, weights = balance(placed, src.usage, config.balance)
    lap("balance")
    if not balanced:
        raise errors.NotFound(_empty_message(src, verdicts, funnel, config, filters.report(), split_report))
    final = Counter(ex.kind for ex in balanced)
    for kind in KINDS:
        funnel[kind]["final"] = final.get(kind, 0)
    report = {
        "scope": {
            "interactions": src.in_scope,
            "consented": src.consented,
            "labelled": src.labelled,
            "signals": src.signal_count,
            "signals_overridden": src.overridden,
            "outcomes": src.outcome_count,
        },
        "consent": src.consent_report,
        "verdicts": dict(sorted(verdicts.items())),
        "funnel": {k: v for k, v in funnel.items() if k in config.kinds or v["candidates"]},
        "filters": filters.report(),
        "dedup": {"config": config.dedup.model_dump(), "removed": dedup_report},
        "integrity": {
            **report_integrity.summary(),
            "config": config.integrity.model_dump(),
            "raters_flagged": [
                r.as_dict() for r in sorted(report_integrity.raters.values(), key=lambda r: r.actor) if r.flags
            ][:200],
        },
        "splits": split_report,
        "segments": {
            "keys": config.balance.keys,
            "mode": config.balance.mode,
            "weights": weights,
            "coverage": coverage(src.usage, src.with_signals, src.with_explicit, balanced),
        },
        "timings_s": timings,
    }
    quarantine = [(sid, src.actor_of_signal.get(sid), why) for sid, why in sorted(report_integrity.quarantined.items())]
    return Curated(balanced, report, quarantine)


def _two_labels(store: Store, project_id: str) -> dict[str, tuple[str, str]]:
    """The project's choice workloads with exactly two labels: their bad outputs name the other."""
    return {
        w.name: (w.labels[0], w.labels[1])
        for w in list_workloads(store, project_id)
        if w.type == "choice" and w.labels is not None and len(w.labels) == 2
    }


def _filtered_per_kind(filters: Filters) -> dict[str, int]:
    out: Counter[str] = Counter()
    for counts in filters.removed.values():
        out.update(counts)
    return dict(out)


def _describe(config: CurationConfig) -> str:
    parts = []
    if config.workloads:
        parts.append("workloads " + ", ".join(config.workloads))
    if config.exclude_workloads:
        parts.append("excluding " + ", ".join(config.exclude_workloads))
    if config.since is not None:
        parts.append(f"since {config.since}")
    if config.until is not None:
        parts.append(f"until {config.until}")
    for key, values in config.segments.items():
        parts.append(f"{key} in {', '.join(values)}")
    return "; ".join(parts) or "no filter"


# The verdicts that make examples; every other one held a label back (see _REMEDY).
USED_VERDICTS = ("good", "bad", "corrected")


def held_back(verdicts: Mapping[str, int]) -> list[tuple[int, str]]:
    """The labels curation held back, from a version's ``verdicts`` counts (its manifest's): (count,
    verdict) for each verdict that made no example, most first."""
    return sorted(((n, v) for v, n in verdicts.items() if v not in USED_VERDICTS and n), key=lambda x: (-x[0], x[1]))


# Why an interaction gave no example, and the setting that would let it through.
_REMEDY = {
    "low_confidence": "lower min_confidence (now {min_confidence}; --min-confidence) or wait for more feedback",
    "correction_unvouched": (
        "corrections from raters with no checked record are not used: report outcomes so raters "
        "can earn trust, or set integrity.min_claim_trust to 0 to take corrections at face value"
    ),
    "choice_unvouched": "choices from raters with no checked record are not used (integrity.min_claim_trust)",
    "correction_quarantined": (
        "see the quarantined signals' reasons (flyloop datasets show --json) or set integrity.enabled false"
    ),
    "choice_quarantined": "see the quarantined signals' reasons (flyloop datasets show --json)",
    "unsupported_after_quarantine": "integrity set aside the signals behind these labels (integrity.enabled)",
    "unsupported_untrusted_rater": "the only raters behind these labels are contradicted by outcomes or other raters",
    "contradicted_by_outcome": "the outcome contradicts these labels (outcome_names, outcome_threshold)",
}


def _empty_message(
    src: Sources,
    verdicts: Counter[str],
    funnel: dict[str, dict[str, int]],
    config: CurationConfig,
    filtered: dict[str, Any],
    split_report: dict[str, Any] | None = None,
) -> str:
    """Which step dropped how many, and the setting that would let them through."""
    if src.labelled == 0:
        return (
            f"{src.consented:,} interactions match, but none has a label yet: "
            f"run `flyloop labels recompute` (or wait for feedback) and build again"
        )
    why = "; ".join(
        f"{n:,} {v}: " + _REMEDY[v].format(min_confidence=config.min_confidence) if v in _REMEDY else f"{n:,} {v}"
        for n, v in held_back(verdicts)
    )
    by_filter = [(sum(entry.get("removed", {}).values()), rule) for rule, entry in filtered.items()]
    why = "; ".join(
        [why] * bool(why)
        + [
            f"{n:,} removed by the {rule} filter (the filters settings)"
            for n, rule in sorted(by_filter, key=lambda x: (-x[0], x[1]))
            if n
        ]
    )
    split_dropped: Counter[str] = Counter()
    for reason, n in (split_report or {}).get("dropped", {}).items():
        split_dropped[reason.split(":")[0]] += n
    if split_dropped.get("outside_time_window"):
        when = split_report.get("cutoff") if split_report else None
        at = f" {datetime.fromtimestamp(when, UTC).isoformat(timespec='seconds')}" if when is not None else ""
        why = "; ".join(
            [why] * bool(why)
            + [
                f"{split_dropped['outside_time_window']:,} outside_time_window (train items after the cut-off{at}, "
                "eval items before it): move the cut-off with splits.holdout_after (train keeps what came before it, "
                "eval what came after) or splits.holdout_window (the newest share held out), or set splits.time_aware "
                "false"
            ]
        )
    near = sum(n for reason, n in split_dropped.items() if reason.startswith("near_duplicate_of"))
    if near:
        why = "; ".join(
            [why] * bool(why) + [f"{near:,} near-duplicates of another split's items (splits.near_duplicates)"]
        )
    steps = "; ".join(
        f"{k}: {v['candidates']} candidates, {v['filtered']} removed by filters, {v['duplicates']} duplicates"
        for k, v in funnel.items()
        if k in config.kinds
    )
    usable = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))
    return f"the build produced no examples ({src.labelled:,} labelled interactions -> {usable}; {steps})" + (
        f". Dropped: {why}" if why else ""
    )
