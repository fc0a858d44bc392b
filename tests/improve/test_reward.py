"""Loop 4, the outcome reward model (flyloop.improve.reward): trained for real on a support
workload's labelled answers (good, bad, corrected) through a dataset version, measured on its
held-out users, saved without pickle and reloaded to the same scores, calibration error computed
by hand, and the bad inputs: not enough data, one class only, a tainted dataset version."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from flyloop import datasets, errors, registry
from flyloop.capture import Capture
from flyloop.improve import (
    RewardModel,
    expected_calibration_error,
    get_artifact,
    likely_bad,
    list_runs,
    reward_score,
    reward_score_batch,
    run_loop,
)
from flyloop.improve import artifacts as artifacts_module
from flyloop.improve import reward as reward_module


def _shared_conftest() -> Any:
    spec = importlib.util.spec_from_file_location("flyloop_tests_conftest", Path(__file__).parents[1] / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fix_keys, T0 = _shared_conftest().fix_keys, _shared_conftest().T0

P = "acme"
W = "support"
THINGS = (
    "router printer password invoice laptop camera account subscription phone tablet "
    "monitor keyboard speaker headset watch modem scanner projector drone thermostat"
).split()
ACTIONS = "reset update cancel repair register replace configure return".split()
USERS = 48
BUILD = {
    "integrity": {"min_claim_trust": 0},
    "splits": {"time_aware": False, "train": 0.6, "validation": 0.1, "eval": 0.3},
}


def _good(act: str, thing: str, variant: int) -> str:
    if variant % 2:
        return f"Open Settings, then {thing.title()}, and pick {act.title()}: your {thing} will {act} in a minute."
    return f"To {act} your {thing}, open the {thing} settings and choose {act.title()}."


def _bad(act: str, thing: str, variant: int) -> str:
    other_act, other_thing = ACTIONS[(ACTIONS.index(act) + 3) % len(ACTIONS)], THINGS[(THINGS.index(thing) + 7) % 20]
    return [
        "Sorry, I cannot help with that request.",
        f"Please contact support about your {other_thing}.",
        f"To {other_act} your {thing}, open the {thing} settings and choose {other_act.title()}.",
        "I am not sure what you mean.",
        f"Our {other_thing} store opens at nine.",
    ][variant % 5]


def support_project(capture: Capture, users: int = USERS) -> str:
    """``users`` users asking how to do things with their devices, four questions each: half the
    answers right and thumbed up, a quarter wrong and thumbed down, a quarter wrong and corrected by
    an edit; one vote in nine of the others says the opposite of the truth. A dataset version of
    them (30% of users held out): its id."""
    fix_keys(capture.store, P)
    interactions, signals = [], []
    for u in range(users):
        user = f"user{u}"
        for k in range(4):
            thing, act = THINGS[(u * 3 + k) % 20], ACTIONS[(u + k * 5) % 8]
            iid, ts = f"i{u}_{k}", T0 + u * 600 + k * 60
            mode = (u + k) % 4
            question = f"How do I {act} my {thing}? (ticket {u}-{k})"
            output = _good(act, thing, u + k) if mode < 2 else _bad(act, thing, u * 7 + k)
            interactions.append(
                {"id": iid, "workload": W, "input": question, "output": output, "user_id": user, "ts": ts}
            )
            vote = "thumbs_up" if mode < 2 else "thumbs_down"
            if mode != 2 and (u * 5 + k) % 9 == 0:  # a careless rater: the vote says the opposite
                vote = "thumbs_down" if vote == "thumbs_up" else "thumbs_up"
            signals.append({"id": f"{iid}v", "interaction_id": iid, "kind": vote, "actor": user, "ts": ts + 5})
            if mode < 2:
                signals.append({"id": f"{iid}a", "interaction_id": iid, "kind": "accept", "actor": user, "ts": ts + 6})
            elif mode == 2:
                edit = {"text": _good(act, thing, u)}
                signals.append(
                    {
                        "id": f"{iid}e",
                        "interaction_id": iid,
                        "kind": "edit",
                        "actor": user,
                        "ts": ts + 8,
                        "payload": edit,
                    }
                )
            else:
                signals.append(
                    {"id": f"{iid}r", "interaction_id": iid, "kind": "regenerate", "actor": user, "ts": ts + 6}
                )
    capture.ingest(P, {"interactions": interactions})
    capture.ingest(P, {"signals": signals})
    return datasets.build(capture.store, P, W, BUILD).id


@pytest.fixture
def support(capture: Capture) -> str:
    return support_project(capture)


def train(capture: Capture, **options: Any) -> Any:
    return run_loop(capture.store, P, "reward", W, settings=capture.settings, embedder="hashing", seed=0, **options)


def test_the_reward_model_ranks_corrections_above_their_originals_on_held_out_users(
    capture: Capture, support: str
) -> None:
    run = train(capture)
    assert (run.status, run.error, run.outputs["candidates"]) == ("succeeded", None, [])
    assert run.inputs == {
        "dataset": support,
        "examples": {"train": 141, "validation": 9, "eval": 53},
        "embedder": "hashing",
    }
    metrics = run.details["metrics"]
    # The held-out eval split: users the model never saw; each correction a (corrected, original) pair.
    assert metrics["metrics_source"] == "eval"
    assert (metrics["cases"], metrics["positives"], metrics["pairs"]) == (68, 41, 15)
    assert (metrics["pair_accuracy"], metrics["reward_auc"]) == (1.0, 1.0)
    assert metrics["reward_ece"] == pytest.approx(0.000613, abs=1e-5)
    assert run.details["c"] == 0.3  # chosen on the user-grouped folds
    assert run.details["counts"] == {"rows": 150, "good": 86, "bad": 64, "users": 33}
    art = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings)
    assert (art.kind, art.workload, art.dataset_version, art.run_id, art.tainted) == (
        "reward",
        W,
        support,
        run.id,
        False,
    )
    assert art.manifest["embedder"] == "hashing" and art.manifest["metrics"] == metrics
    assert sorted(f["name"] for f in art.manifest["files"]) == ["reward.json", "reward.npz"]
    held = run.details["metrics"]["cross_validation"]
    assert (held["cases"], held["reward_auc"]) == (150, 0.999818)
    assert held["reward_ece"] == pytest.approx(0.012194, abs=1e-5)


def test_scores_reload_identically_from_the_artifact_without_pickle(capture: Capture, support: str) -> None:
    rid = train(capture).outputs["artifact"]
    question = "How do I reset my router? (ticket 99-0)"
    answers = [_good("reset", "router", 0), _bad("reset", "router", 0), _bad("reset", "router", 2)]
    first = reward_score_batch(rid, [question] * 3, answers, settings=capture.settings)
    assert first[0] > 0.5 > first[1] and first[0] > first[2]
    reward_module._LOADED.clear()  # a new process: read from the folder again
    again = reward_score_batch(rid, [question] * 3, answers, settings=capture.settings)
    assert again == first
    assert reward_score(rid, question, answers[1], settings=capture.settings) == first[1]
    folder = artifacts_module.folder_of(rid, capture.settings)
    with zipfile.ZipFile(folder / "reward.npz") as npz:
        assert sorted(npz.namelist()) == ["c.npy", "coef.npy", "intercept.npy", "platt.npy"]
    model = RewardModel.load(folder)  # np.load(allow_pickle=False) inside
    assert model.coef.shape == (4 * 384 + 3,) and model.embedder_name == "hashing"
    by_hand = model.probability(reward_module.features(reward_module.embedder("hashing"), [question] * 3, answers))
    assert [float(p) for p in by_hand] == first


def test_calibration_error_on_a_hand_checked_example() -> None:
    # Bins of width 0.1: 0.1 -> bin 1 (|0.1 - 0| = 0.1), 0.15 and 0.15 -> bin 1 as well, 0.2 -> bin 2
    # (|0.2 - 1| = 0.8), 0.85 -> bin 8 (0.15), 1.0 -> bin 9 (0). Bin 1 holds 0.1, 0.15, 0.15 with
    # targets 0, 0, 1: |0.1333 - 0.3333| = 0.2. Weighted by share: (3 * 0.2 + 0.8 + 0.15 + 0) / 6.
    p = [0.1, 0.15, 0.15, 0.2, 0.85, 1.0]
    y = [0, 0, 1, 1, 1, 1]
    assert expected_calibration_error(p, y) == pytest.approx((3 * 0.2 + 0.8 + 0.15) / 6, abs=1e-12)
    assert expected_calibration_error([0.3, 0.3, 0.3], [0, 1, 0]) == pytest.approx(abs(0.3 - 1 / 3), abs=1e-12)
    assert expected_calibration_error([0.0, 1.0], [0, 1]) == 0.0
    with pytest.raises(errors.ValidationError) as caught:
        expected_calibration_error([0.5], [1, 0])
    assert caught.value.field == "targets"


def test_a_generation_production_gets_a_best_of_n_candidate(capture: Capture, support: str) -> None:
    prod = registry.register(
        capture.store, P, {"workload": W, "backend": "openai", "model": "m", "params": {"max_tokens": 32}}
    )
    registry.set_production(capture.store, P, W, prod.id)
    run = train(capture, n=8)
    (candidate_id,) = run.candidates
    candidate = registry.get_version(capture.store, P, candidate_id)
    assert (candidate.reranker, candidate.parent, candidate.created_by) == (
        run.outputs["artifact"],
        prod.id,
        f"loop:{run.id}",
    )
    assert candidate.params == {"max_tokens": 32, "best_of": 8, "temperature": 0.7}
    assert candidate.note.startswith(f"reward: best of 8 by reward model {run.outputs['artifact']} (held-out AUC")
    assert run.inputs["production"] == prod.id


def test_likely_bad_lists_the_unlabelled_low_scorers(capture: Capture, support: str) -> None:
    rid = train(capture).outputs["artifact"]
    fresh = [
        ("n1", "How do I reset my camera? (ticket 90-1)", _good("reset", "camera", 0)),
        ("n2", "How do I update my camera? (ticket 90-2)", "Sorry, I cannot help with that request."),
        ("n3", "How do I cancel my router? (ticket 90-3)", _good("cancel", "router", 1)),
        ("n4", "How do I repair my drone? (ticket 90-4)", "I am not sure what you mean."),
    ]
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": iid, "workload": W, "input": q, "output": a, "user_id": "new", "ts": T0 + 90_000}
                for iid, q, a in fresh
            ]
        },
    )
    flagged = likely_bad(capture.store, P, W, rid, threshold=0.3, settings=capture.settings)
    # The new answers nobody rated yet, and five old ones whose careless thumbs-up and regeneration
    # left the verdict unknown: all bad answers, lowest score first. Labelled ones never show.
    assert [f.interaction_id for f in flagged] == ["i41_2", "i27_0", "i34_1", "n2", "n4", "i5_2", "i12_3"]
    assert [f.score for f in flagged] == sorted(f.score for f in flagged) and flagged[-1].score < 0.3
    assert (flagged[3].output, flagged[3].ts) == ("Sorry, I cannot help with that request.", T0 + 90_000)
    assert [f.interaction_id for f in likely_bad(capture.store, P, W, rid, limit=2, settings=capture.settings)] == [
        "i41_2",
        "i27_0",
    ]
    with pytest.raises(errors.ValidationError) as caught:
        likely_bad(capture.store, P, W, rid, threshold=1.5, settings=capture.settings)
    assert caught.value.field == "threshold"


def test_too_little_data_is_refused_before_training_and_recorded(capture: Capture, support: str) -> None:
    with pytest.raises(errors.NotEnoughData) as caught:
        train(capture, min_pairs=1000)
    assert caught.value.message.startswith(f"not enough data: 141 of 1000 kto examples of workload '{W}'")
    (run,) = list_runs(capture.store, P, loop="reward")
    assert (run.status, run.outputs) == ("failed", {})
    assert artifacts_module.list_artifacts(capture.store, P) == []


def test_one_class_only_is_not_enough(capture: Capture, support: str) -> None:
    # A window holding only the first user's answers: fewer rows than asked for, said with both counts.
    with pytest.raises(errors.NotEnoughData) as caught:
        train(capture, min_pairs=2, until=T0 + 1)
    assert "(a reward model needs both)" in caught.value.message


def test_a_tainted_dataset_version_is_refused_unless_forced_with_a_reason(capture: Capture, support: str) -> None:
    datasets.taint(capture.store, P, support, "user7 erased")
    with pytest.raises(errors.Conflict) as caught:
        train(capture)
    assert caught.value.field == "dataset" and "is tainted" in caught.value.message
    with pytest.raises(errors.ValidationError) as missing:
        train(capture, force=True)
    assert missing.value.field == "reason"
    run = train(capture, force=True, reason="measuring the reward model only")
    assert run.details["forced_taint"]["reason"] == "measuring the reward model only"
    art = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings)
    assert art.tainted and art.manifest["forced_taint"]["reason"] == "measuring the reward model only"


def test_bad_options_name_the_field_before_a_run_is_recorded(capture: Capture, support: str) -> None:
    for options, field in (({"n": 0}, "n"), ({"n": 65}, "n"), ({"min_pairs": "x"}, "min_pairs"), ({"k": 1}, "k")):
        with pytest.raises(errors.ValidationError) as caught:
            train(capture, **options)
        assert caught.value.field == field
    assert list_runs(capture.store, P, loop="reward") == []


def test_features_are_the_pair_embeddings_and_lengths() -> None:
    emb = reward_module.embedder("hashing", cache=False)
    x = reward_module.features(emb, ["ab cd", [{"role": "user", "content": "ab cd"}]], ["ab", "ab"])
    assert x.shape == (2, 4 * 384 + 3)
    assert np.array_equal(x[0], x[1])  # chat messages read as their contents
    assert x[0, -3:].tolist() == pytest.approx([np.log1p(2), np.log1p(1), np.log1p(2) - np.log1p(5)])
