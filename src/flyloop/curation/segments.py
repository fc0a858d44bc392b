"""Bias control: each user segment weighs by its share of usage, not by its share of feedback.

Feedback comes mostly from a vocal minority (power users, one plan, one region); a dataset built
from it as is teaches the model to please them. A segment is the value of one or more metadata
keys of the interaction (``plan=pro``, or ``plan=pro|region=eu``). For each example kind:

* ``weight``: every example of segment *s* gets ``usage_share(s) / example_share(s)``, clipped
  to ``[1/max_weight, max_weight]`` and renormalized to mean 1, so trainers that accept a weight
  column see the usage distribution;
* ``resample``: each segment is down-sampled (never up-sampled: duplicates overfit) to its usage
  share, keeping its best examples; every weight is then 1;
* ``none``: weights stay 1.

:func:`coverage` reports, per segment, usage, how much of it carries feedback, and the examples
and weights it ends with: the feedback coverage bias the seeds warn about, in numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

NONE = "(none)"


class BalanceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keys: list[str] = Field(default_factory=list)
    mode: Literal["weight", "resample", "none"] = "weight"
    max_weight: float = Field(10.0, ge=1)


class Weighted(Protocol):
    kind: str
    segment: str
    weight: float


def segment_of(metadata: dict[str, Any] | None, keys: Sequence[str]) -> str:
    """The segment label of an interaction's metadata: ``plan=pro|region=eu``, or ``all``."""
    if not keys:
        return "all"
    metadata = metadata or {}
    return "|".join(f"{k}={metadata.get(k) if metadata.get(k) is not None else NONE}" for k in keys)


def balance(examples: list[Any], usage: Counter[str], config: BalanceConfig) -> tuple[list[Any], dict[str, Any]]:
    """Weights (or a resample) per kind; returns the examples kept, best first within each
    kind as given, and the per-kind weights for the manifest."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for ex in examples:
        by_kind[ex.kind].append(ex)
    total_usage = sum(usage.values()) or 1
    kept: list[Any] = []
    report: dict[str, Any] = {}
    for kind, items in by_kind.items():
        counts = Counter(ex.segment for ex in items)
        n = len(items)
        if config.mode == "none" or not config.keys or len(counts) < 1:
            kept.extend(items)
            continue
        if config.mode == "resample":
            # The largest sample that keeps every segment at its usage share without duplicating.
            scale = (
                min(counts[s] / (usage[s] / total_usage) for s in counts if usage[s] > 0)
                if any(usage[s] for s in counts)
                else 0
            )
            quota = {s: int(scale * usage[s] / total_usage + 1e-9) for s in counts}
            taken: Counter[str] = Counter()
            for ex in items:
                if taken[ex.segment] < quota.get(ex.segment, 0):
                    taken[ex.segment] += 1
                    kept.append(ex)
            report[kind] = {s: {"examples": counts[s], "kept": taken[s]} for s in sorted(counts)}
            continue
        raw = {s: (usage[s] / total_usage) / (counts[s] / n) if usage[s] else 1.0 / config.max_weight for s in counts}
        clipped = {s: min(config.max_weight, max(1.0 / config.max_weight, w)) for s, w in raw.items()}
        mean = sum(clipped[ex.segment] for ex in items) / n
        weights = {s: w / mean for s, w in clipped.items()}
        for ex in items:
            ex.weight = round(weights[ex.segment], 6)
        kept.extend(items)
        report[kind] = {s: {"examples": counts[s], "weight": round(weights[s], 6)} for s in sorted(counts)}
    return kept, report


def coverage(
    usage: Counter[str], with_signals: Counter[str], with_explicit: Counter[str], examples: Sequence[Any]
) -> dict[str, Any]:
    """Per segment: interactions, the share with any signal and with explicit feedback, and the
    share of usage against the share of examples (their ratio is the coverage bias)."""
    total = sum(usage.values()) or 1
    per_segment = Counter(ex.segment for ex in examples)
    n_examples = sum(per_segment.values()) or 1
    out = {}
    for s in sorted(set(usage) | set(per_segment)):
        usage_share = usage[s] / total
        example_share = per_segment[s] / n_examples
        out[s] = {
            "interactions": usage[s],
            "with_signals": with_signals[s],
            "with_explicit_feedback": with_explicit[s],
            "signal_coverage": round(with_signals[s] / usage[s], 4) if usage[s] else 0.0,
            "feedback_coverage": round(with_explicit[s] / usage[s], 4) if usage[s] else 0.0,
            "usage_share": round(usage_share, 4),
            "example_share": round(example_share, 4),
            "overrepresentation": round(example_share / usage_share, 4) if usage_share else None,
        }
    return out
