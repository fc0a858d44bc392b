"""What refinement reads: each failure's feedback in words, and validation cases (a dataset
version's validation split first, then corrections outside the pool alternating with good
answers), never one of the pool's failures, consent allowing."""

from __future__ import annotations

from test_failures import PROJECT, T, seed_failures

from flyloop import privacy
from flyloop.capture import Capture
from flyloop.improve.cases import consented, feedback, validation_cases
from flyloop.improve.failures import load_failures


def test_feedback_in_words(capture: Capture) -> None:
    seed_failures(capture)
    capture.ingest(
        PROJECT,
        {
            "signals": [
                {
                    "id": "sup1-c",
                    "interaction_id": "sup1",
                    "kind": "comment",
                    "ts": T + 300,
                    "payload": {"text": "useless"},
                }
            ]
        },
    )
    failures = load_failures(capture.store, PROJECT, "assist", T, T + 1000)
    notes = feedback(capture.store, PROJECT, [f for f in failures if f.interaction_id in ("add0", "sup1")])
    assert notes["add0"][0] == "verdict: corrected"
    assert notes["add0"][2].startswith("the edit ([-removed-] {+added+}): The answer is [-")
    assert notes["sup1"] == ["verdict: bad", "the user commented: useless", "signals: thumbs_down"]


def test_only_consented_failures_are_read(capture: Capture) -> None:
    seed_failures(capture)
    privacy.set_consent(capture.store, PROJECT, "u3", "no_training")
    failures = load_failures(capture.store, PROJECT, "assist", T, T + 1000)
    kept = {f.interaction_id for f in consented(capture.store, PROJECT, failures)}
    assert {f.interaction_id for f in failures} - kept == {"add3", "spam3", "sup3"}
    pool = {f.interaction_id for f in failures}
    cases, _ = validation_cases(capture.store, PROJECT, "assist", exclude=pool, size=40)
    assert "good3" not in {c.interaction_id for c in cases} and "good4" in {c.interaction_id for c in cases}


def test_validation_slice_mixes_corrections_and_good_answers(capture: Capture) -> None:
    seed_failures(capture)
    pool = {f.interaction_id for f in load_failures(capture.store, PROJECT, "assist", T, T + 1000)}
    cases, dropped = validation_cases(capture.store, PROJECT, "assist", exclude=pool, size=6)
    # Newest first, alternating: the 5 corrections before the window, and good answers.
    assert [c.source for c in cases] == ["corrected", "good"] * 3
    assert [c.interaction_id for c in cases if c.source == "corrected"] == ["old-add4", "old-add3", "old-add2"]
    assert [c.interaction_id for c in cases if c.source == "good"] == ["good19", "good18", "good17"]
    assert cases[1].reference == "The answer is 20." and dropped == {"missing_variables": 0}
    # A declared template variable must be in the interaction's metadata ("plan" is; "tone" is not).
    with_plan, _ = validation_cases(capture.store, PROJECT, "assist", exclude=pool, size=2, variables=["plan"])
    assert [c.variables for c in with_plan] == [{"plan": "pro"}, {"plan": "free"}]
    none, left = validation_cases(capture.store, PROJECT, "assist", exclude=pool, size=2, variables=["tone"])
    assert none == [] and left == {"missing_variables": 2}


def test_validation_from_the_newest_dataset_versions_validation_split(capture: Capture) -> None:
    from flyloop import datasets

    seed_failures(capture)
    config = {"kinds": ["sft"], "splits": {"train": 0.4, "validation": 0.6, "eval": 0.0, "time_aware": False}}
    version = datasets.build(capture.store, PROJECT, "refine", config)
    held = {
        r["interaction_id"]: r["completion"]
        for r in datasets.examples(capture.store, PROJECT, version.id, "sft", ["validation"])
    }
    pool = {f.interaction_id for f in load_failures(capture.store, PROJECT, "assist", T, T + 1000)}
    expected = sorted(set(held) - pool)
    assert expected  # the users drawn into validation (by the project's split key) hold some
    cases, _ = validation_cases(capture.store, PROJECT, "assist", exclude=pool, size=len(expected))
    assert {c.source for c in cases} == {f"dataset:{version.id}"}
    assert sorted(c.interaction_id for c in cases) == expected
    assert all(c.reference == held[c.interaction_id] for c in cases)
    # Named explicitly, the same; a larger slice is filled up from the labels, the dataset's first.
    named, _ = validation_cases(capture.store, PROJECT, "assist", exclude=pool, size=len(expected), dataset="refine")
    assert named == cases
    more, _ = validation_cases(capture.store, PROJECT, "assist", exclude=pool, size=len(expected) + 4)
    assert more[: len(expected)] == cases and {c.source for c in more[len(expected) :]} == {"corrected", "good"}
    assert not {c.interaction_id for c in more} & pool and len({c.interaction_id for c in more}) == len(more)
