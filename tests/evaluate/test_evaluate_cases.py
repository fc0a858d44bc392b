"""The cases an evaluation runs (flyloop.evaluate.cases): the held-out eval split of a dataset
version (references from accepted or corrected answers, corrections, segments from metadata, a
stable order) and golden sets."""

from __future__ import annotations

import pytest

from conftest import hours_ago, seed
from flyloop import datasets, errors, labels
from flyloop.capture import Capture, declare_workload
from flyloop.evaluate import add_golden_cases, eval_split_cases, golden_set_cases, latest_eval_dataset
from flyloop.privacy import pseudonym

P = "acme"
HALF = {"train": 0.5, "validation": 0.0, "eval": 0.5, "time_aware": False}


def test_the_eval_split_of_a_generation_workload(capture: Capture) -> None:
    seed(capture, users=40)
    labels.catch_up(capture.store, P, settings=capture.settings)
    version = datasets.build(capture.store, P, "math", {"workloads": ["math"], "splits": HALF})
    assert latest_eval_dataset(capture.store, P, "math") == version.id
    found = eval_split_cases(capture.store, P, "math", "generation", segment_key="plan")
    assert (found.source, found.dataset_version, found.dropped) == ("eval split", version.id, {})
    cases = found.cases
    assert len(cases) == 48 and len({c.id for c in cases}) == 48
    assert found.lacking_segment == 0  # every seeded interaction says its plan
    with pytest.raises(errors.ValidationError) as unknown:
        eval_split_cases(capture.store, P, "math", "generation", segment_key="plann")
    assert unknown.value.field == "segment_key"
    assert unknown.value.message.startswith(f"no case of the eval split of {version.id[:12]} has metadata key 'plann'")
    again = eval_split_cases(capture.store, P, "math", "generation", segment_key="plan").cases
    assert again == cases  # the same order every time
    by_kind = {c.id[0]: c for c in cases}  # g: accepted, c: corrected, r: regenerated then accepted
    good, corrected = by_kind["g"], by_kind["c"]
    number = int(good.id[1:])
    assert (good.input, good.reference, good.correction) == (
        f"What is {number} + 10?",
        f"The answer is {number + 10}.",
        None,
    )
    n = int(corrected.id[1:])
    assert corrected.reference == corrected.correction == f"The answer is {n + 20}."
    assert {c.segment for c in cases} == {"free", "pro"}
    assert len({c.user for c in cases}) == 16 and all(c.user.startswith("u_") for c in cases)  # pseudonyms
    # Without a segment key, the dataset's own segments (none: it was not balanced by a key).
    assert {c.segment for c in eval_split_cases(capture.store, P, "math", "generation").cases} == {None}
    assert eval_split_cases(capture.store, P, "math", "generation", dataset=version.id).cases == [
        c.__class__(**{**c.__dict__, "segment": None}) for c in cases
    ]
    datasets.taint(capture.store, P, version.id, "erased")
    assert latest_eval_dataset(capture.store, P, "math") is None
    with pytest.raises(errors.NotEnoughData) as caught:
        eval_split_cases(capture.store, P, "math", "generation")
    assert caught.value.field == "dataset" and "0 of 1 eval cases" in str(caught.value)


def test_a_choice_case_without_a_label_is_left_out_and_counted(capture: Capture) -> None:
    declare_workload(capture.store, P, "spam", type="choice", labels=["ham", "spam"])
    now = hours_ago(2)
    rows = [(f"offer {i}", "spam" if i % 2 else "ham") for i in range(60)]
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"m{i:02d}", "workload": "spam", "input": text, "output": label, "user_id": f"u{i % 20}"}
                | {"ts": now + i}
                for i, (text, label) in enumerate(rows)
            ],
            "signals": [
                {"id": f"m{i:02d}-{kind}", "interaction_id": f"m{i:02d}", "kind": kind, "ts": now + i + 5}
                for i in range(60)
                for kind in (("thumbs_down",) if i % 3 == 0 else ("accept", "thumbs_up"))
            ],
        },
    )
    datasets.build(capture.store, P, "spam", {"splits": HALF})
    found = eval_split_cases(capture.store, P, "spam", "choice")
    rows_in_split = [r for r in datasets.examples(capture.store, P, "spam", "eval", ["eval"])]
    bad = sum(1 for r in rows_in_split if r["completion"] is None)
    assert bad > 0 and found.dropped == {"no_reference": bad} and found.inferred == 0
    assert len(found.cases) == len(rows_in_split) - bad
    assert all(c.reference in ("ham", "spam") and c.correction is None for c in found.cases)
    # Given the two labels, a thumbs-down on one says the other: those cases stay, so the set is
    # not only what production got right.
    told = eval_split_cases(capture.store, P, "spam", "choice", labels=["ham", "spam"])
    assert (told.dropped, told.inferred, len(told.cases)) == ({}, bad, len(rows_in_split))
    by_id = {r["interaction_id"]: r for r in rows_in_split}
    for case in told.cases:
        row = by_id[case.id]
        expected = row["completion"] or {"ham": "spam", "spam": "ham"}[row["rejected"]]
        assert case.reference == expected
    assert {c.weight for c in told.cases} == {1.0}
    # Weighed, each case counts by its example's curated quality (confidence x rater trust).
    weighed = eval_split_cases(capture.store, P, "spam", "choice", labels=["ham", "spam"], weigh=True)
    assert [c.weight for c in weighed.cases] == [by_id[c.id]["quality"] for c in told.cases]
    # a lone thumbs-down counts for less than an accept with a thumbs-up
    assert {c.reference == by_id[c.id]["completion"]: c.weight for c in weighed.cases} == {
        False: 0.333333,
        True: 0.670123,
    }
    assert [c.__class__(**{**c.__dict__, "weight": 1.0}) for c in weighed.cases] == told.cases


def test_golden_cases_take_their_user_and_segment(capture: Capture) -> None:
    declare_workload(capture.store, P, "reply")
    add_golden_cases(
        capture.store,
        P,
        "g",
        "reply",
        [
            {
                "id": "a",
                "input": "hi",
                "expected": "hello",
                "user_id": "u1",
                "metadata": {"segment": "x", "plan": "pro"},
            },
            {"id": "b", "input": [{"role": "user", "content": "yo"}]},
        ],
        by="ana",
    )
    found = golden_set_cases(capture.store, P, "reply", "g")
    assert (found.source, found.dataset_version) == ("golden:g", None)
    a, b = found.cases
    u1 = pseudonym(capture.store, P, "u1")  # stored as capture stores a user: never the raw id
    assert (a.user, a.reference, a.segment, b.user, b.segment) == (u1, "hello", "x", "b", None)
    assert b.input == [{"role": "user", "content": "yo"}]
    by_plan = golden_set_cases(capture.store, P, "reply", "g", segment_key="plan")
    assert ([c.segment for c in by_plan.cases], by_plan.lacking_segment) == (["pro", None], 1)
    assert found.lacking_segment == 0  # no key asked for: nothing counted
    with pytest.raises(errors.ValidationError) as caught:
        golden_set_cases(capture.store, P, "reply", "g", segment_key="plann")
    assert (caught.value.field, caught.value.message) == (
        "segment_key",
        "no case of golden set 'g' has metadata key 'plann' (the keys its cases have: plan, segment)",
    )
