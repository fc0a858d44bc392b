"""Stages: one production version per workload, and an append-only history of moves."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.registry import production, register, set_production, stage_history

P = "acme"


def test_production_moves_are_recorded_with_who_why_and_what_came_before(store):
    declare_workload(store, P, "reply")
    assert production(store, P, "reply") is None
    a = register(store, P, {"workload": "reply", "system_prompt": "A"})
    b = register(store, P, {"workload": "reply", "system_prompt": "B"})
    first = set_production(store, P, "reply", a.id, by="user:ana", reason="launch")
    second = set_production(store, P, "reply", b.id, by="user:bo", reason="better tone")
    assert production(store, P, "reply") == b
    assert [(m.version_id, m.previous, m.by, m.reason, m.stage) for m in stage_history(store, P, "reply")] == [
        (a.id, None, "user:ana", "launch", "production"),
        (b.id, a.id, "user:bo", "better tone", "production"),
    ]
    assert stage_history(store, P) == [first, second]
    assert stage_history(store, "other", "reply") == []


def test_a_version_of_another_workload_or_an_unknown_one_cannot_hold_production(store):
    declare_workload(store, P, "reply")
    declare_workload(store, P, "triage", type="choice", labels=["a", "b"])
    theirs = register(store, P, {"workload": "triage", "backend": "classifier"})
    with pytest.raises(errors.ValidationError) as caught:
        set_production(store, P, "reply", theirs.id)
    assert (caught.value.field, caught.value.message) == (
        "version",
        f"version {theirs.id} belongs to workload 'triage', not 'reply'",
    )
    with pytest.raises(errors.NotFound):
        set_production(store, P, "reply", "pv_nope")
    assert production(store, P, "reply") is None
    assert stage_history(store, P) == []
