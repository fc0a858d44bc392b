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


def test_a_segment_is_named_by_its_keys_values():
    from flyloop.curation.segments import segment_of

    assert segment_of({"plan": "pro", "region": "eu"}, ["plan", "region"]) == "plan=pro|region=eu"
    assert segment_of({"plan": "pro"}, ["region", "plan"]) == "region=(none)|plan=pro"
    assert segment_of(None, ["plan"]) == "plan=(none)"
    assert segment_of({"plan": 0}, ["plan"]) == "plan=0"  # a falsy value is still a value
    assert segment_of({"plan": "pro"}, []) == "all"


def test_coverage_compares_each_segments_share_of_usage_and_of_examples():
    from flyloop.curation.segments import coverage

    examples = [Ex("sft", "plan=pro") for _ in range(3)] + [Ex("sft", "plan=free")]
    report = coverage(
        Counter({"plan=pro": 10, "plan=free": 30, "plan=team": 0}),
        Counter({"plan=pro": 8, "plan=free": 6}),
        Counter({"plan=pro": 5, "plan=free": 3}),
        examples,
    )
    assert report["plan=pro"] == {
        "interactions": 10,
        "with_signals": 8,
        "with_explicit_feedback": 5,
        "signal_coverage": 0.8,
        "feedback_coverage": 0.5,
        "usage_share": 0.25,
        "example_share": 0.75,
        "overrepresentation": 3.0,
    }
    assert report["plan=free"]["overrepresentation"] == round(0.25 / 0.75, 4)
    assert report["plan=team"]["signal_coverage"] == 0.0 and report["plan=team"]["overrepresentation"] is None
