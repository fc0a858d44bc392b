"""The finetune loop's registration (flyloop.improve.finetune): its rule counts the workload's
trainable labels and says why not; its body is the workload type's (tests/improve/test_lora.py,
tests/improve/test_heads.py)."""

from __future__ import annotations

import pytest
from test_loops import P, math_project, settings_for

from flyloop import errors
from flyloop.capture import Capture, declare_workload
from flyloop.improve import get_loop, list_runs, run_loop
from flyloop.improve.finetune import OPTIONS, trainable_labels
from flyloop.settings import Settings


def test_the_finetune_rule_counts_trainable_labels_and_says_why_not(capture: Capture) -> None:
    math_project(capture)
    counts = trainable_labels(capture.store, P, "math")
    assert counts == {"corrected": 10, "good": counts["good"], "bad": counts["bad"], "total": counts["total"]}
    assert counts["total"] == 10 + counts["good"] + counts["bad"]
    plan_settings = settings_for(capture, loops_finetune_min_pairs=500)
    skipped = run_loop(capture.store, P, "finetune", "math", trigger="nightly", settings=plan_settings)
    assert skipped.status == "skipped"
    assert skipped.details["trigger"] == {
        "due": False,
        "reason": (
            f"{counts['total']} training pairs (10 corrected, {counts['good']} good, {counts['bad']} bad with "
            "confidence >= 0.5); the rule: at least 500 (loops_finetune_min_pairs)"
        ),
        "counts": {**counts, "need": 500, "type": "generation"},
    }


def test_the_options_are_one_table_for_both_bodies() -> None:
    assert sorted(get_loop("finetune").options) == sorted(OPTIONS)
    assert get_loop("finetune").every_s(Settings(database_url="sqlite://")) == 0.0


def test_a_choice_workload_refuses_the_lora_options_by_name(capture: Capture) -> None:
    math_project(capture)
    declare_workload(capture.store, P, "triage", type="choice", labels=["ham", "spam"])
    for workload, option, value in (("triage", "method", "dpo"), ("math", "setfit", True), ("math", "method", "ppo")):
        with pytest.raises(errors.ValidationError) as caught:
            run_loop(capture.store, P, "finetune", workload, settings=capture.settings, **{option: value})
        assert caught.value.field == option
    assert list_runs(capture.store, P) == []  # refused before any run was recorded
