"""The handle's bank and loop verbs (flyloop.sdk.improve): the same answer, type and error on the
local store and through the server (the app in process, on the same store), on a seeded project
whose "math" workload has good and corrected answers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from conftest import T0, seed
from flyloop import errors, labels
from flyloop.improve import Bank, LoopRun
from flyloop.privacy import audit_log
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Remote

P = "acme"
URL = "http://127.0.0.1:9/v1"  # never called: neither the bank nor the few-shot loop calls a model
WINDOW = {"since": T0 - 1, "until": T0 + 30 * 3600}  # the seeded interactions, ten days ago


def remote(api, settings, *scopes: str) -> Project:
    client = TestClient(api.app, headers=api.key(P, *(scopes or ("admin",))))
    return Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings))


@pytest.fixture
def pair(api, store, settings, capture):
    """(local, remote) on one store holding the seeded project, its labels and a dataset version."""
    seed(capture)
    labels.catch_up(store, P, settings=settings)
    local = Project.on_store(store, P, settings)
    local.datasets.build("math")
    return local, remote(api, settings)


def same_error(call_local, call_remote) -> errors.FlyloopError:
    with pytest.raises(errors.FlyloopError) as mine:
        call_local()
    with pytest.raises(errors.FlyloopError) as theirs:
        call_remote()
    assert type(mine.value) is type(theirs.value), (mine.value, theirs.value)
    assert (mine.value.field, mine.value.message) == (theirs.value.field, theirs.value.message)
    return mine.value


def test_bank_verbs_answer_alike(pair, store):
    local, far = pair
    bank = far.banks.build("math", embedder="hashing", min_examples=3)
    assert isinstance(bank, Bank)
    dataset = local.datasets.get("math")
    # 21 training sft examples of the seeded project (the good answers and the corrections), none dropped
    assert (bank.workload, bank.dataset_version, bank.embedder, bank.size, bank.removed, bank.live) == (
        "math",
        dataset.id,
        "hashing",
        21,
        0,
        21,
    )
    assert bank.manifest["counts"] == {"candidates": 21, "dropped": {}, "kept": 21}
    # the same rules on the same data: the same bank, whoever builds it
    assert local.banks.build("math", dataset.id, embedder="hashing", min_examples=3) == bank
    assert far.banks.get(bank.id) == local.banks.get(bank.id) == bank
    stricter = far.banks.build("math", embedder="hashing", min_examples=3, min_quality=0.9)
    assert stricter.id != bank.id and stricter.size == 7
    assert stricter.manifest["counts"] == {"candidates": 21, "dropped": {"below_min_quality": 14}, "kept": 7}
    assert far.banks.list() == local.banks.list("math") == [stricter, bank]
    assert far.banks.list(workload="other") == []
    rows = audit_log(store, P, action="banks.")
    assert [(r["action"], r["target"], r["details"]["size"]) for r in rows] == [
        ("banks.build", stricter.id, 7),
        ("banks.build", bank.id, 21),
    ]


def test_bank_errors_are_the_same_in_both_modes(pair):
    local, far = pair
    for verb, kind, field in (
        (lambda fw: fw.banks.get("bk_0000000000000000"), errors.NotFound, "bank"),
        (lambda fw: fw.banks.build("nope", embedder="hashing"), errors.NotFound, "workload"),
        (lambda fw: fw.banks.build("math", "nope", embedder="hashing"), errors.NotFound, None),
        (lambda fw: fw.banks.build("math", embedder="hashing", min_examples=0), errors.ValidationError, "min_examples"),
        (
            lambda fw: fw.banks.build("math", embedder="hashing", min_examples="3"),
            errors.ValidationError,
            "min_examples",
        ),
        (
            lambda fw: fw.banks.build("math", embedder="hashing", min_quality="high"),
            errors.ValidationError,
            "min_quality",
        ),
        (lambda fw: fw.banks.build("math", embedder="word2vec"), errors.ValidationError, "embedder"),
        (lambda fw: fw.banks.build("math", embedder="hashing", min_quality=2), errors.ValidationError, "min_quality"),
        (lambda fw: fw.banks.build("math", min_examples=10**8), errors.ValidationError, "min_examples"),
        (lambda fw: fw.banks.build("math", embedder="hashing", index="faiss"), errors.ConfigError, "index"),
        (lambda fw: fw.banks.list(workload=3), errors.ValidationError, "workload"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, kind) and error.field == field, (error, field)
    short = same_error(
        lambda: local.banks.build("math", embedder="hashing", min_examples=50),
        lambda: far.banks.build("math", embedder="hashing", min_examples=50),
    )
    assert isinstance(short, errors.NotEnoughData) and short.message == "not enough data: 21 of 50"
    assert local.banks.list() == []


def test_a_few_shot_loop_run_answers_alike_and_is_recorded(pair, store):
    local, far = pair
    production = local.policies.register({"workload": "math", "model": "m", "params": {"base_url": URL}})
    local.policies.promote("math", production.id)
    run = far.loops.run("fewshot", "math", embedder="hashing", min_examples=3)
    assert isinstance(run, LoopRun)
    assert (run.loop, run.workload, run.status, run.trigger, run.error, run.calls) == (
        "fewshot",
        "math",
        "succeeded",
        "manual",
        None,
        0,
    )
    (bank,) = local.banks.list("math")
    assert run.outputs["bank"] == bank.id and run.inputs["dataset"] == local.datasets.get("math").id
    (candidate_id,) = run.candidates
    candidate = far.policies.get(candidate_id)
    assert (candidate.parent, candidate.created_by, candidate.bank, candidate.selector) == (
        production.id,
        f"loop:{run.id}",
        bank.id,
        "similarity",
    )
    assert far.loops.show(run.id) == local.loops.show(run.id) == run
    assert far.loops.list() == local.loops.list(loop="fewshot", workload="math") == [run]
    assert far.loops.list(status="failed") == [] == local.loops.list(workload="other")
    assert far.policies.production("math") == production  # a candidate waits for its gate
    (row,) = audit_log(store, P, action="loops.")
    assert (row["action"], row["target"], row["details"]) == (
        "loops.run",
        run.id,
        {"loop": "fewshot", "workload": "math", "status": "succeeded"},
    )
    plan = far.loops.plan("fewshot", "math", embedder="hashing")
    assert plan == local.loops.plan("fewshot", "math", embedder="hashing")
    assert (plan["estimate"], plan["production"]) == (0, production.id)


def test_loop_errors_are_the_same_in_both_modes_and_a_failed_run_is_recorded(pair):
    local, far = pair
    for verb, kind, field in (
        (lambda fw: fw.loops.run("distil", "math"), errors.ValidationError, "loop"),
        (lambda fw: fw.loops.run("fewshot", "math", colour="red"), errors.ValidationError, "colour"),
        (lambda fw: fw.loops.run("fewshot", "nope"), errors.NotFound, "workload"),
        (lambda fw: fw.loops.show("lr_0000"), errors.NotFound, "run"),
        (lambda fw: fw.loops.show("a/b"), errors.ValidationError, "run"),
        (lambda fw: fw.loops.list(limit=0), errors.ValidationError, "limit"),
        (lambda fw: fw.loops.list(status="done"), errors.ValidationError, "status"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, kind) and error.field == field, (error, field)
    assert local.loops.list() == []
    # no production version: the run fails, is recorded as failed, and its error is raised in both modes
    with pytest.raises(errors.FlyloopError) as far_failure:
        far.loops.run("fewshot", "math", embedder="hashing")
    with pytest.raises(errors.FlyloopError) as local_failure:
        local.loops.run("fewshot", "math", embedder="hashing")
    assert type(far_failure.value) is type(local_failure.value)
    assert far_failure.value.message == local_failure.value.message
    first, second = far.loops.list()
    assert (first.status, second.status) == ("failed", "failed")
    assert (
        first.error == second.error == str(local_failure.value)
    )  # "production: workload ... has no production version"
    assert "has no production version" in first.error
    assert far_failure.value.details["run"] == second.id and local_failure.value.details["run"] == first.id


def test_failure_clusters_answer_alike(pair):
    local, far = pair
    report = far.loops.failures("math", embedder="hashing", min_failures=3, **WINDOW)
    assert report == local.loops.failures("math", embedder="hashing", min_failures=3, **WINDOW)
    # the seeded failures: ten corrected answers ("What is u + 20?") and ten regenerated ones
    assert (report["workload"], report["traffic"], report["failures"], report["embedder"]) == (
        "math",
        40,
        20,
        "hashing",
    )
    assert sum(c["size"] for c in report["clusters"]) + report["unclustered"] == 20
    segmented = far.loops.failures("math", embedder="hashing", min_failures=3, segment_keys=["plan"], **WINDOW)
    assert segmented == local.loops.failures(
        "math", embedder="hashing", min_failures=3, segment_keys=["plan"], **WINDOW
    )
    for verb, kind, field in (
        (lambda fw: fw.loops.failures("nope", embedder="hashing"), errors.NotFound, "workload"),
        (
            lambda fw: fw.loops.failures("math", embedder="hashing", min_failures=50, **WINDOW),
            errors.NotEnoughData,
            "workload",
        ),
        (
            lambda fw: fw.loops.failures("math", embedder="hashing", max_clusters=0),
            errors.ValidationError,
            "max_clusters",
        ),
        (
            lambda fw: fw.loops.failures("math", embedder="hashing", max_failures=0),
            errors.ValidationError,
            "max_failures",
        ),
        (lambda fw: fw.loops.failures("math", embedder="hashing", window_s=0), errors.ValidationError, "window_s"),
        (lambda fw: fw.loops.failures("math", since="yesterday"), errors.ValidationError, "since"),
        (lambda fw: fw.loops.failures("math", since=float("nan")), errors.ValidationError, "since"),
        (lambda fw: fw.loops.failures("math", segment_keys="plan"), errors.ValidationError, "segment_keys"),
        (lambda fw: fw.loops.failures("math", embedder="word2vec"), errors.ValidationError, "embedder"),
        (lambda fw: fw.loops.failures("math", max_failures=5001), errors.ValidationError, "max_failures"),
        (lambda fw: fw.loops.failures("math", min_failures=2), errors.ValidationError, "min_failures"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, kind) and error.field == field, (error, field)
