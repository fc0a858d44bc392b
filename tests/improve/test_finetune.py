"""The finetune loop's registration (flyloop.improve.finetune): its rule counts the workload's
trainable labels and says why not; its body is the workload type's (tests/improve/test_lora.py,
tests/improve/test_heads.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_loops import P, math_project, settings_for

from flyloop import errors, registry
from flyloop.capture import Capture, declare_workload
from flyloop.improve import get_loop, list_runs, run_loop
from flyloop.improve.finetune import OPTIONS, trainable_labels
from flyloop.settings import Settings
from flyloop.store import schema


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


def _evaluated(capture: Capture, candidate: str, passed: bool, at: float) -> None:
    """An evaluation row as flyloop.evaluate stores one (a later stage: the rule reads the table)."""
    with capture.store.write() as conn:
        conn.execute(
            sa.insert(schema.evaluations),
            [
                {
                    "project_id": P,
                    "id": f"ev_{int(at):016x}",
                    "workload": "math",
                    "candidate": candidate,
                    "source": "eval split",
                    "cases": 40,
                    "status": "succeeded",
                    "metrics": {},
                    "comparison": {},
                    "passed": passed,
                    "config": {},
                    "created_by": "user",
                    "created_at": at,
                }
            ],
        )


def test_with_failed_gates_set_the_rule_also_waits_for_the_cheap_loops_to_fail(capture: Capture) -> None:
    math_project(capture)
    counts = trainable_labels(capture.store, P, "math")
    run = run_loop(capture.store, P, "fewshot", "math", settings=capture.settings, embedder="hashing")
    (fewshot,) = run.candidates
    by_hand = registry.register(capture.store, P, {"workload": "math", "system_prompt": "By hand."})
    wait_for_two = settings_for(capture, loops_finetune_min_pairs=1, loops_finetune_after_failed_gates=2)
    rule = get_loop("finetune").trigger(capture.store, P, "math", wait_for_two)
    assert (rule.due, rule.counts["failed_gates"], rule.counts["need_failed_gates"]) == (False, 0, 2)
    assert rule.reason.endswith(
        "and the 2 newest evaluated prompt and few-shot candidates failed their gates "
        "(loops_finetune_after_failed_gates): 0 in a row did of 0 evaluated"
    )
    _evaluated(capture, fewshot, False, 1000.0)
    _evaluated(capture, by_hand.id, False, 1001.0)  # not a loop's candidate: not counted
    rule = get_loop("finetune").trigger(capture.store, P, "math", wait_for_two)
    assert (rule.due, rule.counts["failed_gates"]) == (False, 1)
    assert rule.reason.endswith("1 in a row did of 1 evaluated")
    # One candidate counts once, by its newest evaluation; a pass breaks the run of failures.
    _evaluated(capture, fewshot, True, 1002.0)
    rule = get_loop("finetune").trigger(capture.store, P, "math", wait_for_two)
    assert (rule.due, rule.counts["failed_gates"]) == (False, 0)
    _evaluated(capture, fewshot, False, 1003.0)
    k8 = run_loop(capture.store, P, "fewshot", "math", settings=capture.settings, embedder="hashing", k=8)
    _evaluated(capture, k8.candidates[0], False, 1004.0)
    rule = get_loop("finetune").trigger(capture.store, P, "math", wait_for_two)
    assert (rule.due, rule.counts["failed_gates"]) == (True, 2)
    assert rule.reason.endswith("2 in a row did") and rule.counts["total"] == counts["total"]
    assert get_loop("finetune").trigger(capture.store, P, "math", settings_for(capture, loops_finetune_min_pairs=1)).due
