"""Bias control (flyloop.curation.segments): each segment weighs by its share of usage, not of feedback."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from flyloop.curation.segments import BalanceConfig, balance


@dataclass
class Ex:
    kind: str
    segment: str
    weight: float = 1.0


def test_segments_weigh_by_usage_not_by_feedback():
    examples = [Ex("sft", "plan=pro") for _ in range(5)] + [Ex("sft", "plan=free") for _ in range(5)]
    usage = Counter({"plan=free": 90, "plan=pro": 10})
    kept, report = balance(examples, usage, BalanceConfig(keys=["plan"]))
    assert len(kept) == 10
    assert report["sft"] == {"plan=free": {"examples": 5, "weight": 1.8}, "plan=pro": {"examples": 5, "weight": 0.2}}
    assert sum(e.weight for e in kept) == pytest.approx(10)
    examples = [Ex("sft", "plan=pro") for _ in range(5)] + [Ex("sft", "plan=free") for _ in range(20)]
    kept, report = balance(
        examples, Counter({"plan=free": 80, "plan=pro": 20}), BalanceConfig(keys=["plan"], mode="resample")
    )
    assert Counter(e.segment for e in kept) == {"plan=free": 20, "plan=pro": 5}
    kept, _ = balance(
        examples, Counter({"plan=free": 50, "plan=pro": 50}), BalanceConfig(keys=["plan"], mode="resample")
    )
    assert Counter(e.segment for e in kept) == {"plan=free": 5, "plan=pro": 5}
