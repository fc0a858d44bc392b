"""Lineage: from the signals behind a dataset version, through the loop run, bank, evaluation and
promotion, to every stage move, for a candidate a real few-shot loop made."""

from __future__ import annotations

import pytest

from conftest import PROJECT, seed
from flyloop import datasets, errors, registry
from flyloop.improve import run_loop
from flyloop.rollout import lineage, promote
from promotion_fixtures import URL, evaluated

P = PROJECT


def test_a_candidate_from_a_fewshot_run_traces_back_to_its_signals_and_forward_to_its_moves(store, capture):
    seed(capture, project=P)
    dataset = datasets.build(store, P, "math", {}).id
    prod = registry.register(
        store,
        P,
        {"workload": "math", "model": "m", "system_prompt": "Answer with the sum.", "params": {"base_url": URL}},
    )
    promote(store, P, "math", prod.id, by="user:ana", reason="launch")
    run = run_loop(store, P, "fewshot", "math", settings=capture.settings, embedder="hashing")
    (candidate,) = run.candidates
    bank = registry.get_version(store, P, candidate).bank
    passed = evaluated(store, candidate, prod.id, True, summary="exact match +30.0 points: PASS", workload="math")
    move = promote(store, P, "math", candidate, by="user:bo", reason="few-shot helps")

    found = lineage(store, P, candidate)
    ids = datasets.lineage(store, P, dataset)
    assert (found["version"]["id"], found["stage"], found["taint"], found["ancestors"]) == (
        candidate,
        "production",
        None,
        [prod.id],
    )
    assert found["run"] == {
        "id": run.id,
        "loop": "fewshot",
        "status": "succeeded",
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "inputs": {"production": prod.id, "dataset": dataset, "embedder": "hashing"},
        "candidates": [candidate],
    }
    assert found["bank"]["id"] == bank and found["bank"]["dataset_version"] == dataset
    assert found["bank"]["embedder"] == "hashing"
    (ds,) = found["datasets"]
    assert (ds["id"], ds["used_by"], ds["tainted"]) == (dataset, [f"bank {bank}", f"run {run.id}"], False)
    assert (ds["interactions"], ds["signals"]) == (len(ids["interaction_ids"]), len(ids["signal_ids"]))
    assert len(ids["signal_ids"]) > 10
    assert found["signals"] == {"count": len(ids["signal_ids"]), "sample": ids["signal_ids"][:10]}
    assert found["artifacts"] == []
    (ev,) = found["evaluations"]
    assert (ev["id"], ev["baseline"], ev["passed"], ev["summary"]) == (
        passed,
        prod.id,
        True,
        "exact match +30.0 points: PASS",
    )
    assert (found["experiments"], found["decisions"]) == ([], [])
    assert found["moves"] == [move.model_dump(mode="json")]
    assert move.evaluation_id == passed

    before = lineage(store, P, prod.id)
    assert (before["stage"], before["ancestors"], before["run"], before["bank"], before["datasets"]) == (
        "archived",
        [],
        None,
        None,
        [],
    )
    assert [(m["stage"], m["version_id"], m["previous"]) for m in before["moves"]] == [
        ("production", prod.id, None),
        ("production", candidate, prod.id),
        ("archived", prod.id, None),
    ]
    with pytest.raises(errors.NotFound) as caught:
        lineage(store, P, "pv_nope")
    assert caught.value.field == "version"
