"""Building dataset versions (flyloop.datasets.versions), end to end through capture, labels and privacy."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from conftest import T0, fix_keys, seed
from flyloop import datasets, errors
from flyloop.datasets.versions import parse_config

PROJECT = "acme"
CONFIG = {"balance": {"keys": ["plan"]}}


def rows(store, version, kind):
    return {tuple(e["interaction_ids"]): e for e in datasets.examples(store, PROJECT, version.id, kind)}


def test_build_makes_every_kind_with_lineage(store, capture):
    seed(capture)
    version = datasets.build(store, PROJECT, "math", CONFIG)
    # With these keys users 5 and 8 are held out; the newest fifth of the traffic (after the
    # cut-off) is eval's, so train loses user 9 and eval keeps user 8 only.
    assert version.counts == {
        "sft": {"train": 21, "eval": 3},
        "preference": {"train": 15, "eval": 2},
        "kto": {"train": 28, "eval": 4},
        "fewshot": {"train": 20},
        "eval": {"eval": 3},
    }
    sft, pref, kto = rows(store, version, "sft"), rows(store, version, "preference"), rows(store, version, "kto")
    assert sft[("c0",)]["completion"] == "The answer is 20." and sft[("c0",)]["source"] == "correction"
    assert sft[("g0",)]["completion"] == "The answer is 10." and sft[("g0",)]["source"] == "good"
    assert (pref[("c0",)]["chosen"], pref[("c0",)]["rejected"]) == ("The answer is 20.", "The answer is 21.")
    assert (pref[("r0b", "r0")]["chosen"], pref[("r0b", "r0")]["rejected"], pref[("r0b", "r0")]["source"]) == (
        "The answer is 30.",
        "The answer is 33.",
        "regeneration",
    )
    choice = [e for e in pref.values() if e["source"] == "choice"]
    assert [(e["chosen"], e["rejected"]) for e in choice] == [("The answer is 10.", "The answer is 11.")]
    assert sorted((e["completion"], e["label"]) for k, e in kto.items() if k == ("c0",)) == [
        ("The answer is 20.", True)
    ] or {
        (e["completion"], e["label"])
        for e in datasets.examples(store, PROJECT, version.id, "kto")
        if e["interaction_id"] == "c0"
    } == {("The answer is 20.", True), ("The answer is 21.", False)}
    # The held-out split is the newest user's traffic, and no user is on two sides.
    splits_of: dict[str, set[str]] = {}
    for kind in ("sft", "preference", "kto"):
        for e in datasets.examples(store, PROJECT, version.id, kind):
            splits_of.setdefault(e["user_id"], set()).add(e["split"])
    assert all(len(s) == 1 for s in splits_of.values())
    assert {e["interaction_id"] for e in datasets.examples(store, PROJECT, version.id, "eval")} == {"g8", "c8", "r8b"}
    cut = manifest_cut = version.manifest["splits"]["cutoff"]
    assert version.manifest["splits"]["dropped"] == {"outside_time_window:eval": 12, "outside_time_window:train": 12}
    assert all(e["ts"] < cut for e in datasets.examples(store, PROJECT, version.id, "sft") if e["split"] == "train")
    assert all(
        e["ts"] >= manifest_cut for e in datasets.examples(store, PROJECT, version.id, "sft") if e["split"] == "eval"
    )
    manifest = datasets.show(store, PROJECT, version.id)
    assert manifest["sources"]["interactions"] == 40 and manifest["sources"]["consented"] == 40
    assert manifest["sources"]["source_interactions"] == 32
    assert manifest["parent_id"] is None and manifest["code_version"].startswith("flyloop ")
    assert manifest["consent"]["users_checked"] == 10 and manifest["consent"]["users_refused"] == 0
    assert set(manifest["filters"]) == {
        "length",
        "language",
        "empty_edit",
        "trivial_edit",
        "refusal",
        "boilerplate",
        "schema",
        "identical_pair",
    }
    lineage = datasets.lineage(store, PROJECT, version.id)
    assert len(lineage["interaction_ids"]) == 32 and "c0-edit" in lineage["signal_ids"]


def test_a_request_that_matches_nothing_is_a_clear_error(store, capture):
    with pytest.raises(errors.NotFound, match="no interactions in project 'acme' match this request"):
        datasets.build(store, PROJECT, "math", {})
    seed(capture)
    with pytest.raises(errors.NotFound, match="match this request .workloads nope"):
        datasets.build(store, PROJECT, "math", {"workloads": ["nope"]})
    with pytest.raises(errors.NotFound, match="plan in gold"):
        datasets.build(store, PROJECT, "math", {"segments": {"plan": ["gold"]}})
    with pytest.raises(errors.NotFound, match="the build produced no examples"):
        datasets.build(store, PROJECT, "math", {"kinds": ["sft"], "filters": {"min_completion_chars": 1000}})
    with pytest.raises(errors.ValidationError) as caught:
        datasets.build(store, PROJECT, "math", {"filters": {"min_prompt_chars": 10, "max_prompt_chars": 5}})
    assert caught.value.field == "filters" and "above max_prompt_chars" in caught.value.message
    assert datasets.list_versions(store, PROJECT) == []  # nothing half-written


def test_a_thumbs_only_project_gets_a_dataset(store, capture):
    """One unopposed thumbs-up (confidence 0.5) is enough for the default min_confidence."""
    fix_keys(store)
    capture.ingest(
        PROJECT,
        {
            "interactions": [
                {
                    "id": f"t{n}",
                    "workload": "math",
                    "input": f"What is {n} + 1?",
                    "output": f"The answer is {n + 1}.",
                    "user_id": f"user{n}",
                    "ts": T0 + n * 60,
                }
                for n in range(6)
            ]
        },
    )
    capture.ingest(
        PROJECT,
        {
            "signals": [
                {
                    "id": f"t{n}-up",
                    "interaction_id": f"t{n}",
                    "kind": "thumbs_up",
                    "actor": f"user{n}",
                    "ts": T0 + n * 60 + 5,
                }
                for n in range(6)
            ]
        },
    )
    version = datasets.build(store, PROJECT, "thumbs", {"kinds": ["sft"], "splits": {"time_aware": False}})
    assert version.manifest["verdicts"]["good"] == 6
    assert sum(version.counts["sft"].values()) == 6


def test_a_thumbs_only_project_logged_now_gets_a_dataset(store, capture):
    """All traffic from the last hour: a cut-off on the hour would leave train nothing, so the
    split falls back to user-disjoint only and the manifest says why (issue 9, item 20)."""
    fix_keys(store)
    now = time.time()
    hour = now // 3600 * 3600
    capture.ingest(
        PROJECT,
        {
            "interactions": [
                {
                    "id": f"n{i}",
                    "workload": "math",
                    "input": f"What is {i} plus {i}?",
                    "output": f"It is {2 * i}.",
                    "user_id": f"u{i % 7}",
                    "ts": hour + (now - hour) * i / 30,
                }
                for i in range(30)
            ]
        },
    )
    capture.ingest(
        PROJECT,
        {
            "signals": [
                {"id": f"n{i}-up", "interaction_id": f"n{i}", "kind": "thumbs_up", "actor": f"u{i % 7}", "ts": now}
                for i in range(30)
            ]
        },
    )
    version = datasets.build(store, PROJECT, "now", {"kinds": ["sft"]})
    assert version.manifest["verdicts"] == {"choice_quarantined": 0, "choice_unvouched": 0, "good": 30}
    assert version.manifest["integrity"]["habitual"] == 0
    splits = version.manifest["splits"]
    assert splits["cutoff"] is None and splits["dropped"] == {}
    assert splits["time_split"]["applied"] is False and "too little time" in splits["time_split"]["reason"]
    assert version.counts["sft"] == {"train": 30}  # these keys deal all seven users to train
    plain = datasets.build(store, PROJECT, "plain", {"kinds": ["sft"], "splits": {"time_aware": False}})
    assert plain.counts["sft"] == version.counts["sft"]
    assert "not split by time: the usable interactions span" in dict(datasets.summarize(version.manifest))["splits"]


def test_happy_users_are_not_habitual_raters(store, capture):
    """40 users, 5 thumbs-up each on everything they saw, nothing contradicting them: their
    approval is the information, and the build has a dataset (issue 9, item 20)."""
    fix_keys(store)
    capture.ingest(
        PROJECT,
        {
            "interactions": [
                {
                    "id": f"h{u}-{k}",
                    "workload": "math",
                    "input": f"What is {u} plus {k}?",
                    "output": f"It is {u + k}.",
                    "user_id": f"h{u}",
                    "ts": T0 + u * 3600 + k * 60,
                }
                for u in range(40)
                for k in range(5)
            ]
        },
    )
    capture.ingest(
        PROJECT,
        {
            "signals": [
                {
                    "id": f"h{u}-{k}-up",
                    "interaction_id": f"h{u}-{k}",
                    "kind": "thumbs_up",
                    "actor": f"h{u}",
                    "ts": T0 + u * 3600 + k * 60 + 5,
                }
                for u in range(40)
                for k in range(5)
            ]
        },
    )
    version = datasets.build(store, PROJECT, "happy", {"kinds": ["sft"], "splits": {"time_aware": False}})
    assert version.manifest["verdicts"]["good"] == 200
    assert version.manifest["integrity"]["habitual"] == 0 and version.manifest["integrity"]["quarantined_signals"] == 0
    assert sum(version.counts["sft"].values()) == 200


def test_no_examples_names_the_time_window_and_its_settings(store, capture):
    fix_keys(store)
    capture.ingest(
        PROJECT,
        {
            "interactions": [
                {
                    "id": "t1",
                    "workload": "math",
                    "input": "What is 1 + 1?",
                    "output": "The answer is 2.",
                    "user_id": "u1",
                    "ts": T0,
                }
            ]
        },
    )
    capture.ingest(
        PROJECT, {"signals": [{"id": "s1", "interaction_id": "t1", "kind": "thumbs_up", "actor": "u1", "ts": T0 + 2}]}
    )
    with pytest.raises(errors.NotFound) as caught:
        datasets.build(
            store,
            PROJECT,
            "x",
            {"kinds": ["sft"], "splits": {"train": 1.0, "validation": 0, "eval": 0, "holdout_after": T0 - 3600}},
        )
    assert (
        "Dropped: 1 outside_time_window (train items after the cut-off "
        f"{datetime.fromtimestamp(T0 - 3600, UTC).isoformat(timespec='seconds')}, eval items before it): "
        "move the cut-off with splits.holdout_after"
    ) in caught.value.message
    assert "splits.time_aware false" in caught.value.message


def test_no_examples_says_which_step_dropped_what_and_the_setting(store, capture):
    fix_keys(store)
    capture.ingest(
        PROJECT,
        {
            "interactions": [
                {
                    "id": "t1",
                    "workload": "math",
                    "input": "What is 1 + 1?",
                    "output": "The answer is 2.",
                    "user_id": "u1",
                    "ts": T0,
                }
            ]
        },
    )
    capture.ingest(
        PROJECT,
        {
            "signals": [
                {"id": "s1", "interaction_id": "t1", "kind": "accept", "actor": "u1", "ts": T0 + 1},
                {"id": "s2", "interaction_id": "t1", "kind": "thumbs_up", "actor": "u1", "ts": T0 + 2},
            ]
        },
    )
    with pytest.raises(errors.NotFound) as caught:
        datasets.build(store, PROJECT, "x", {"kinds": ["sft"], "min_confidence": 0.9})
    assert "Dropped: 1 low_confidence: lower min_confidence (now 0.9; --min-confidence)" in caught.value.message
    with pytest.raises(errors.NotFound) as caught:
        datasets.build(store, PROJECT, "x", {"kinds": ["sft"], "filters": {"min_completion_chars": 100}})
    assert "1 removed by the length filter (the filters settings)" in caught.value.message


def test_corrections_count_only_from_raters_the_evidence_vouches_for(store, capture):
    """An adversary who 'corrects' a right answer has no record that vouches for them: their edit
    makes no SFT example and no preference pair; an honest rater whose judgement an outcome
    confirmed does. Integrity off takes every correction at face value."""
    fix_keys(store)
    its = [
        {"id": i, "workload": "math", "input": q, "output": o, "user_id": u, "ts": T0 + n * 60}
        for n, (i, u, q, o) in enumerate(
            [
                ("h1", "honest", "What is 2 + 2?", "The answer is 4."),
                ("h2", "honest", "What is 3 + 3?", "The answer is 7."),
                ("m1", "mallory", "What is 5 + 5?", "The answer is 10."),
            ]
        )
    ]
    sigs = [
        {"id": "h1-up", "interaction_id": "h1", "kind": "thumbs_up", "actor": "honest", "ts": T0 + 5},
        {
            "id": "h2-edit",
            "interaction_id": "h2",
            "kind": "edit",
            "actor": "honest",
            "ts": T0 + 65,
            "payload": {"text": "The answer is 6."},
        },
        {"id": "m1-down", "interaction_id": "m1", "kind": "thumbs_down", "actor": "mallory", "ts": T0 + 125},
        {
            "id": "m1-edit",
            "interaction_id": "m1",
            "kind": "edit",
            "actor": "mallory",
            "ts": T0 + 130,
            "payload": {"text": "The answer is 13."},
        },
    ]
    capture.ingest(
        PROJECT,
        {
            "interactions": its,
            "signals": sigs,
            "outcomes": [{"id": "o1", "interaction_id": "h1", "name": "done", "value": 1.0, "ts": T0 + 600}],
        },
    )
    config = {
        "kinds": ["sft", "preference"],
        "splits": {"time_aware": False, "train": 1.0, "validation": 0.0, "eval": 0.0},
    }
    version = datasets.build(store, PROJECT, "v", config)
    assert version.manifest["verdicts"]["correction_unvouched"] == 1
    pairs = [(e["chosen"], e["rejected"]) for e in datasets.examples(store, PROJECT, version.id, "preference")]
    assert pairs == [("The answer is 6.", "The answer is 7.")]
    assert "The answer is 13." not in {e["completion"] for e in datasets.examples(store, PROJECT, version.id, "sft")}
    trusting = datasets.build(store, PROJECT, "v", {**config, "integrity": {"min_claim_trust": 0}})
    assert len(datasets.examples(store, PROJECT, trusting.id, "preference")) == 2


def test_a_choice_supports_only_the_draft_it_picked(store, capture):
    """A rater who picked another draft over this output said it was worse: with their thumbs-up
    set aside (a habitual rater's), nothing supports the output, so it is no SFT example."""
    from flyloop.curation.curate import CurationConfig
    from flyloop.curation.sources import load

    fix_keys(store)
    capture.ingest(
        PROJECT,
        {
            "interactions": [
                {
                    "id": "x",
                    "workload": "math",
                    "input": "What is 2 + 3?",
                    "output": "The answer is 6.",
                    "user_id": "u1",
                    "ts": T0,
                },
                {
                    "id": "y",
                    "workload": "math",
                    "input": "What is 2 + 4?",
                    "output": "The answer is 6.",
                    "user_id": "u1",
                    "ts": T0 + 9,
                },
            ]
        },
    )
    capture.ingest(
        PROJECT,
        {
            "signals": [
                {
                    "id": "x-pick",
                    "interaction_id": "x",
                    "kind": "choice",
                    "actor": "u1",
                    "ts": T0 + 1,
                    "payload": {"chosen": "The answer is 5.", "rejected": ["The answer is 6."]},
                },
                {
                    "id": "y-pick",
                    "interaction_id": "y",
                    "kind": "choice",
                    "actor": "u1",
                    "ts": T0 + 10,
                    "payload": {"chosen": "The answer is 6.", "rejected": ["The answer is 7."]},
                },
            ]
        },
    )
    src = load(store, PROJECT, CurationConfig(), lambda *_: None)
    assert [(s[0], s[2]) for s in src.support["x"]] == [("x-pick", -1)]
    assert [(s[0], s[2]) for s in src.support["y"]] == [("y-pick", 1)]


@pytest.mark.parametrize(
    "config, field, words",
    [
        (
            {"filters": {"min_completion_chars": 50, "max_completion_chars": 10}},
            "filters",
            "above max_completion_chars",
        ),
        ({"filters": {"languages": ["en"], "exclude_languages": ["en"]}}, "filters", "both required and excluded"),
        ({"filters": {"refusal_patterns": ["(unclosed"]}}, "filters", "not a regular expression"),
        ({"workloads": ["a"], "exclude_workloads": ["a"]}, None, "both included and excluded"),
        ({"since": 100.0, "until": 50.0}, None, "must be before until"),
        ({"splits": {"train": 0.9, "validation": 0.2, "eval": 0.1}}, "splits", "add up to 1"),
        ({"kinds": ["eval"], "splits": {"train": 0.9, "validation": 0.1, "eval": 0.0}}, None, "eval split share is 0"),
        ({"segments": {"plan": []}}, None, "no interaction could match"),
        ({"min_confidence": 1.5}, "min_confidence", "less than or equal to 1"),
        ({"no_such_option": 1}, "no_such_option", "Extra inputs"),
    ],
)
def test_conflicting_or_unknown_settings_are_refused_with_the_field(config, field, words):
    with pytest.raises(errors.ValidationError) as caught:
        parse_config(config)
    assert words in caught.value.message
    if field:
        assert caught.value.field.startswith(field)


@pytest.mark.parametrize("name", ["team/support", ".", ".."])
def test_a_name_the_api_could_not_reach_is_refused(store, capture, api, name):
    """A name is one segment of the API's paths (/v1/datasets/{name}): a '/' in it (or '.', '..',
    which a URL folds away) would make a version the library shows and the server cannot, so the
    build refuses it, on either side."""
    seed(capture)
    with pytest.raises(errors.ValidationError) as refused:
        datasets.build(store, PROJECT, name, CONFIG)
    assert refused.value.field == "name" and "'/'" in refused.value.message
    answer = api.post("/v1/datasets", scopes=("admin",), json={"name": name, "config": CONFIG})
    assert answer.status_code == 422 and answer.json()["field"] == "name"
    assert datasets.list_versions(store, PROJECT) == []
