"""The curation pipeline (flyloop.curation.curate): from stored events to trustworthy examples,
best first within each kind, with a report of every step; a request that matches nothing says
why; the configuration refuses what contradicts itself."""

from __future__ import annotations

import gc
from collections import Counter

import pytest
from pydantic import ValidationError as PydanticError

from conftest import seed
from flyloop import errors
from flyloop.curation.curate import KINDS, CurationConfig, collector, curate, held_back
from flyloop.labels.catchup import catch_up

P = "acme"


@pytest.fixture
def seeded(capture, store):
    seed(capture)  # 10 users x (a good answer, a corrected one, a regenerated one), user0 picks a draft
    catch_up(store, P)
    return store


def by_interaction(curated, kind):
    out: dict[str, list] = {}
    for ex in curated.examples:
        if ex.kind == kind:
            out.setdefault(ex.interaction_ids[0], []).append(ex)
    return out


def test_the_report_counts_each_step(seeded):
    report = curate(seeded, P, CurationConfig()).report
    assert {"scope", "consent", "verdicts", "funnel", "filters", "dedup", "integrity", "splits", "segments"} <= set(
        report
    )
    assert report["scope"] == {
        "interactions": 40,
        "consented": 40,
        "labelled": 40,
        "signals": 81,
        "signals_overridden": 0,
        "outcomes": 10,
    }
    assert report["verdicts"] == {
        "choice_quarantined": 0,
        "choice_unvouched": 0,
        "corrected": 10,
        "good": 20,
        "low_confidence": 10,
    }
    assert {kind: step["candidates"] for kind, step in report["funnel"].items()} == {
        "sft": 30,
        "preference": 21,
        "kto": 40,
        "fewshot": 0,
        "eval": 30,
    }


def test_each_kind_teaches_what_its_verdict_says(seeded):
    curated = curate(seeded, P, CurationConfig())
    sft, pref, kto = (by_interaction(curated, k) for k in ("sft", "preference", "kto"))
    assert [(e.completion, e.source) for e in sft["g1"]] == [("The answer is 11.", "good")]
    assert [(e.completion, e.source) for e in sft["c1"]] == [("The answer is 21.", "correction")]  # the edit
    assert [(e.chosen, e.rejected, e.source) for e in pref["c1"]] == [
        ("The answer is 21.", "The answer is 22.", "edit")
    ]
    assert [(e.chosen, e.rejected, e.source) for e in pref["g0"]] == [
        ("The answer is 10.", "The answer is 11.", "choice")
    ]
    assert sorted((e.completion, e.label) for e in kto["c1"]) == [
        ("The answer is 21.", True),
        ("The answer is 22.", False),
    ]
    assert "r1" not in sft  # regenerated away: not an answer to learn from


def test_examples_come_best_first_within_each_kind_and_users_stay_in_one_split(seeded):
    curated = curate(seeded, P, CurationConfig())
    for kind in KINDS:
        qualities = [e.quality for e in curated.examples if e.kind == kind]
        assert qualities and qualities == sorted(qualities, reverse=True), kind
    splits_of: dict[str | None, set[str]] = {}
    for e in curated.examples:
        if e.kind != "fewshot":  # few-shot examples are drawn from train
            splits_of.setdefault(e.user_id, set()).add(e.split)
    assert all(len(s) == 1 for s in splits_of.values())
    assert {e.split for e in curated.examples if e.kind == "fewshot"} == {"train"}


def test_only_the_kinds_asked_for_are_built_and_dpo_means_preference(seeded):
    assert CurationConfig(kinds=["dpo", "sft", "preference"]).kinds == ["preference", "sft"]
    curated = curate(seeded, P, CurationConfig(kinds=["dpo"]))
    assert Counter(e.kind for e in curated.examples).keys() == {"preference"}


def test_progress_is_reported_per_stage(seeded):
    seen: list[str] = []
    curate(seeded, P, CurationConfig(kinds=["sft"]), progress=lambda stage, done, total: seen.append(stage))
    assert seen and all(isinstance(stage, str) for stage in seen)


def test_nothing_to_curate_is_a_not_found_that_says_why(capture, store):
    with pytest.raises(errors.NotFound):
        curate(store, P, CurationConfig())
    seed(capture)  # stored, but no label computed yet
    with pytest.raises(errors.NotFound) as caught:
        curate(store, P, CurationConfig())
    assert "none has a label yet" in caught.value.message


@pytest.mark.parametrize(
    "config, words",
    [
        ({"since": 10.0, "until": 10.0}, "must be before until"),
        ({"workloads": ["a"], "exclude_workloads": ["a"]}, "both included and excluded"),
        ({"workloads": []}, "workloads is empty"),
        ({"kinds": []}, "kinds is empty"),
        ({"segments": {"plan": []}}, "segments['plan'] is empty"),
        ({"kinds": ["fewshot"], "fewshot_per_workload": 0}, "fewshot_per_workload is 0"),
        ({"kinds": ["nope"]}, "Input should be"),
        ({"min_confidence": 2}, "less than or equal to 1"),
    ],
)
def test_a_configuration_that_contradicts_itself_is_refused(config, words):
    with pytest.raises(PydanticError) as caught:
        CurationConfig(**config)
    assert words in str(caught.value)


def test_the_collector_is_paused_while_builds_run_and_restored_after_the_last():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested (or concurrent) builds
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


def test_curation_keeps_or_refuses_a_label_and_never_decides_another_verdict(seeded):
    """The verdict lives in labels only: curation says whether a label stands (and why not),
    and each example teaches what its label's verdict says."""
    from flyloop import labels
    from flyloop.curation.examples import Standing

    assert "verdict" not in Standing.__dataclass_fields__ and "refused" in Standing.__dataclass_fields__
    curated = curate(seeded, P, CurationConfig(kinds=["sft", "kto"]))
    teaches = {"good": {"good"}, "correction": {"corrected"}, "bad": {"bad"}}
    seen = set()
    for ex in curated.examples:
        if ex.source in teaches:
            verdict = labels.get(seeded, P, ex.interaction_ids[0]).verdict
            assert verdict in teaches[ex.source], (ex.interaction_ids, ex.source, verdict)
            seen.add(ex.source)
    assert seen == {"good", "correction"}


def test_held_back_counts_the_verdicts_that_made_no_example_most_first():
    verdicts = {"good": 40, "corrected": 9, "bad": 3, "low_confidence": 10, "correction_unvouched": 45,
                "unsupported_after_quarantine": 10, "contradicted_by_outcome": 0}  # fmt: skip
    assert held_back(verdicts) == [
        (45, "correction_unvouched"),
        (10, "low_confidence"),
        (10, "unsupported_after_quarantine"),
    ]
    assert held_back({"good": 5}) == []
