"""``fw.evaluations`` and ``fw.golden`` (flyloop.sdk.evaluate): the same verbs on a local store and
through a server, the same answers and the same errors; the project's gate set and read either way."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from evaluate_fixtures import GOLDEN, spam_versions
from flyloop import errors
from flyloop.improve import backends as backends_module
from flyloop.improve import bank as bank_module
from flyloop.sdk import Project
from flyloop.sdk.transport import Remote

P = "acme"


@pytest.fixture
def pair(api, store, settings, capture):
    backends_module.clear_cache()
    bank_module.LOADED.pop(store, None)
    prod, cand = spam_versions(capture)
    local = Project.on_store(store, P, settings)
    client = TestClient(api.app, headers=api.key(P, "admin", "ingest", "read"))
    far = Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings))
    return local, far, prod, cand


def test_the_verbs_answer_alike_in_both_modes(pair) -> None:
    local, far, prod, cand = pair
    assert local.golden.add("hard", "spam", GOLDEN[:10]) == 10
    assert far.golden.add("hard", "spam", GOLDEN[10:]) == 20
    assert local.golden.list() == far.golden.list()
    assert [g["cases"] for g in far.golden.list()] == [20]
    assert local.golden.get("hard") == far.golden.get("hard")

    here = local.evaluations.run("spam", cand, golden="hard", gate={"primary": "accuracy", "min_clusters": 2})
    there = far.evaluations.run("spam", cand, golden="hard", gate={"primary": "accuracy", "min_clusters": 2})
    assert (here.source, here.cases, here.baseline, there.baseline) == ("golden:hard", 20, prod, prod)
    assert here.metrics[cand]["accuracy"] == there.metrics[cand]["accuracy"]
    assert here.comparison["metrics"]["accuracy"] == there.comparison["metrics"]["accuracy"]
    assert here.summary == there.summary and there.created_by.startswith("key:")
    assert far.evaluations.get(here.id) == here
    assert [e.id for e in local.evaluations.list("spam")] == [there.id, here.id]
    assert [e.id for e in far.evaluations.list(candidate=cand, limit=1)] == [there.id]

    assert local.evaluations.gate() == far.evaluations.gate() == {"gate": None, "custom": False}
    far.evaluations.set_gate({"primary": "accuracy", "margin": 0.05})
    assert local.evaluations.gate()["gate"]["margin"] == 0.05
    local.evaluations.set_gate(None)
    assert far.evaluations.gate() == {"gate": None, "custom": False}
    assert far.golden.delete("hard") == 20 and local.golden.list() == []


def same_error(call_local, call_remote) -> errors.FlyloopError:
    with pytest.raises(errors.FlyloopError) as mine:
        call_local()
    with pytest.raises(errors.FlyloopError) as theirs:
        call_remote()
    assert type(mine.value) is type(theirs.value), (mine.value, theirs.value)
    assert (mine.value.field, mine.value.message) == (theirs.value.field, theirs.value.message)
    return mine.value


def test_errors_are_the_same_in_both_modes(pair) -> None:
    local, far, prod, cand = pair
    for verb, args, kwargs, field in (
        ("run", ("spam", "pv_nope"), {"golden": "x"}, "candidate"),
        ("run", ("spam", cand), {"golden": "nope"}, "golden"),
        ("run", ("spam", cand), {"limit": 0}, "limit"),
        ("run", ("spam", cand), {"metrics": ["bleu"]}, "metrics[0]"),
        ("run", ("spam", cand), {}, "dataset"),  # 120 interactions leave too few held-out cases
        ("get", ("ev_0000000000000000",), {}, "evaluation"),
        ("set_gate", ({"margin": 1},), {}, "primary"),
        ("set_gate", ({"primary": "p95"},), {}, "metric"),
    ):
        err = same_error(
            lambda v=verb, a=args, k=kwargs: getattr(local.evaluations, v)(*a, **k),
            lambda v=verb, a=args, k=kwargs: getattr(far.evaluations, v)(*a, **k),
        )
        assert err.field == field, (verb, args, kwargs, err)
    for verb, args, field in (
        ("add", ("bad name", "spam", [{"input": "x"}]), "name"),
        ("add", ("g", "spam", [{"input": "x", "expected": "eggs"}]), "cases[0].expected"),
        ("get", ("nope",), "golden"),
        ("delete", ("nope",), "golden"),
    ):
        err = same_error(
            lambda v=verb, a=args: getattr(local.golden, v)(*a), lambda v=verb, a=args: getattr(far.golden, v)(*a)
        )
        assert err.field == field
    assert local.evaluations.list() == []  # nothing refused was stored
    with pytest.raises(errors.ValidationError) as caught:
        local.evaluations.run("spam", cand, colour="red")
    assert caught.value.field == "colour"
