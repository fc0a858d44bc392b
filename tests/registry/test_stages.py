"""Stages: candidate, canary, production (one holder, moved by compare-and-set), archived; an
append-only history of every move with what it rested on."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.registry import (
    production,
    register,
    set_production,
    set_stage,
    stage_history,
    stages_of,
    version_stage,
)

P = "acme"


def _two(store):
    declare_workload(store, P, "reply")
    a = register(store, P, {"workload": "reply", "system_prompt": "A"})
    b = register(store, P, {"workload": "reply", "system_prompt": "B"})
    return a, b


def test_production_moves_are_recorded_and_the_replaced_holder_is_archived(store):
    a, b = _two(store)
    assert production(store, P, "reply") is None
    assert (version_stage(store, P, a.id), version_stage(store, P, b.id)) == ("candidate", "candidate")
    first = set_production(store, P, "reply", a.id, by="user:ana", reason="launch")
    second = set_production(store, P, "reply", b.id, by="user:bo", reason="better tone")
    assert production(store, P, "reply") == b
    assert [(m.stage, m.version_id, m.previous, m.by, m.reason) for m in stage_history(store, P, "reply")] == [
        ("production", a.id, None, "user:ana", "launch"),
        ("production", b.id, a.id, "user:bo", "better tone"),
        ("archived", a.id, None, "user:bo", f"replaced in production by {b.id}"),
    ]
    assert stage_history(store, P, stage="production") == [first, second]
    assert [m.stage for m in stage_history(store, P, version_id=a.id)] == ["production", "production", "archived"]
    assert stages_of(store, P, "reply") == {a.id: "archived", b.id: "production"}
    assert (version_stage(store, P, a.id), version_stage(store, P, b.id)) == ("archived", "production")
    assert stage_history(store, "other") == []
    with pytest.raises(errors.NotFound) as caught:  # another project's workload is none of this one's
        stage_history(store, "other", "reply")
    assert caught.value.field == "workload"


def test_a_move_keeps_its_gate_evaluation_and_experiment(store):
    a, b = _two(store)
    gate = {"passed": True, "summary": "accuracy +4.0 points [1.0, 7.0] > margin 0: PASS"}
    canary = set_stage(store, P, "reply", "canary", b.id, by="experiment:ex_1", reason="ramp 10%", experiment_id="ex_1")
    moved = set_stage(
        store,
        P,
        "reply",
        "production",
        b.id,
        by="user",
        reason="won",
        gate=gate,
        evaluation_id="ev_1",
        experiment_id="ex_1",
    )
    assert (canary.stage, canary.previous, canary.experiment_id) == ("canary", None, "ex_1")
    assert stage_history(store, P, "reply") == [canary, moved]
    assert (moved.gate, moved.evaluation_id, moved.experiment_id) == (gate, "ev_1", "ex_1")
    assert version_stage(store, P, b.id) == "production"
    assert version_stage(store, P, a.id) == "candidate"


def test_production_moves_only_from_the_holder_the_caller_saw(store):
    a, b = _two(store)
    set_production(store, P, "reply", a.id)
    with pytest.raises(errors.Conflict) as caught:
        set_production(store, P, "reply", b.id, expected=None)
    assert caught.value.field == "version"
    with pytest.raises(errors.Conflict) as caught:
        set_production(store, P, "reply", b.id, expected=b.id)
    assert (caught.value.field, caught.value.details) == ("version", {"holder": a.id})
    assert caught.value.message == (
        f"production of 'reply' is now {a.id}, not {b.id}: another promotion or rollback moved it first; "
        "nothing was changed"
    )
    assert production(store, P, "reply") == a
    assert [m.version_id for m in stage_history(store, P)] == [a.id]
    assert stages_of(store, P) == {a.id: "production"}


def test_the_production_version_leaves_only_by_another_taking_its_place(store):
    a, b = _two(store)
    set_production(store, P, "reply", a.id)
    for stage in ("archived", "canary", "candidate"):
        with pytest.raises(errors.Conflict) as caught:
            set_stage(store, P, "reply", stage, a.id)
        assert (caught.value.field, caught.value.message) == (
            "stage",
            f"{a.id} is the production version of 'reply': promote another version or roll back",
        )
    assert version_stage(store, P, a.id) == "production"
    assert len(stage_history(store, P)) == 1


def test_bad_moves_name_their_field_and_change_nothing(store):
    a, _ = _two(store)
    declare_workload(store, P, "triage", type="choice", labels=["a", "b"])
    theirs = register(store, P, {"workload": "triage", "backend": "classifier"})
    cases = [
        (lambda: set_production(store, P, "reply", theirs.id), errors.ValidationError, "version"),
        (lambda: set_production(store, P, "reply", "pv_nope"), errors.NotFound, "version"),
        (lambda: set_stage(store, P, "reply", "staging", a.id), errors.ValidationError, "stage"),
        (lambda: set_stage(store, P, "reply", "canary", a.id, by=""), errors.ValidationError, "by"),
        (lambda: set_stage(store, P, "reply", "canary", a.id, gate="pass"), errors.ValidationError, "gate"),  # type: ignore[arg-type]
        (lambda: stage_history(store, P, stage="gold"), errors.ValidationError, "stage"),
        (lambda: version_stage(store, P, "pv_nope"), errors.NotFound, "version"),
    ]
    for call, kind, field in cases:
        with pytest.raises(kind) as caught:
            call()
        assert caught.value.field == field
    with pytest.raises(errors.ValidationError) as caught:
        set_production(store, P, "reply", theirs.id)
    assert caught.value.message == f"version {theirs.id} belongs to workload 'triage', not 'reply'"
    assert production(store, P, "reply") is None
    assert stage_history(store, P) == []
    assert stages_of(store, P) == {}
