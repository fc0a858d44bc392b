"""The handle's version verbs (flyloop.sdk.versions): the same answers, types and errors on the
local store and through the server (the app in process, on the same store)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from flyloop import errors
from flyloop.privacy import audit_log
from flyloop.registry import StageMove, VersionEntry
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Remote
from promotion_fixtures import P, evaluated, versions


@pytest.fixture
def pair(api, store, settings):
    """(local, remote, the remote key's id) on one store."""
    headers = api.key(P, "admin")
    key = api.store.find_key(headers["Authorization"].removeprefix("Bearer "))
    client = TestClient(api.app, headers=headers)
    far = Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings))
    return Project.on_store(store, P, settings), far, key.id


def same_error(call_local, call_remote) -> errors.FlyloopError:
    with pytest.raises(errors.FlyloopError) as mine:
        call_local()
    with pytest.raises(errors.FlyloopError) as theirs:
        call_remote()
    assert type(mine.value) is type(theirs.value), (mine.value, theirs.value)
    assert (mine.value.field, mine.value.message) == (theirs.value.field, theirs.value.message)
    return mine.value


def test_promote_list_show_diff_rollback_and_history_answer_alike(pair, store):
    local, far, key_id = pair
    a, b, c = versions(store, "A", "B", "C")
    first = far.versions.promote(a.id, reason="launch")
    assert isinstance(first, StageMove)
    assert (first.version_id, first.previous, first.by, first.reason) == (a.id, None, f"key:{key_id}", "launch")
    passed = evaluated(store, b.id, a.id, True, summary="accuracy +4.0 points: PASS")
    second = local.versions.promote(b.id, workload="reply", reason="passed")
    assert (second.previous, second.evaluation_id, second.by) == (a.id, passed, "library")
    listed = far.versions.list()
    assert all(isinstance(e, VersionEntry) for e in listed)
    assert listed == local.versions.list("reply")
    assert [(e.version.id, e.stage, e.taint) for e in listed] == [
        (a.id, "archived", None),
        (b.id, "production", None),
        (c.id, "candidate", None),
    ]
    assert far.versions.list(stage="production") == local.versions.list(stage="production") == [listed[1]]
    assert far.versions.taint(c.id, "a leaked ticket") == "a leaked ticket"
    assert (
        far.versions.list(tainted=True)
        == local.versions.list(tainted=True)
        == [VersionEntry(version=c, stage="candidate", taint="a leaked ticket")]
    )
    assert [e.version.id for e in far.versions.list(tainted=False)] == [a.id, b.id]
    shown = far.versions.show(b.id)
    assert shown == local.versions.show(b.id)
    assert (shown["stage"], [m["id"] for m in shown["moves"]]) == ("production", [second.id])
    assert shown["evaluations"][0]["summary"] == "accuracy +4.0 points: PASS"
    assert far.versions.diff(a.id, b.id) == local.versions.diff(a.id, b.id)
    assert far.versions.diff(a.id, b.id)["changed"] == ["system_prompt"]
    back = far.versions.rollback("reply", reason="error rate up")
    assert (back.version_id, back.previous, back.reason) == (a.id, b.id, f"rollback from {b.id}: error rate up")
    history = far.versions.history("reply")
    assert history == local.versions.history()
    assert [(m.stage, m.version_id) for m in history] == [
        ("production", a.id),
        ("production", b.id),
        ("archived", a.id),
        ("production", a.id),
        ("archived", b.id),
    ]
    assert far.versions.history(version=b.id, stage="archived") == [history[-1]]
    assert far.policies.history("reply") == [m for m in history if m.stage == "production"]
    rows = audit_log(store, P, action="versions.")
    assert [(r["action"], r["target"]) for r in rows] == [
        ("versions.rollback", a.id),
        ("versions.taint", c.id),
        ("versions.promote", a.id),
    ]


def test_refusals_are_the_same_in_both_modes_and_change_nothing(pair, store):
    local, far, _ = pair
    a, b, c = versions(store, "A", "B", "C")
    (theirs,) = versions(store, "T", workload="other")
    local.versions.promote(a.id)
    evaluated(store, c.id, a.id, False, summary="accuracy -2.0 points: FAIL")
    local.versions.taint(b.id, "erased data")
    before = (local.versions.list(), local.versions.history())
    cases = [
        (lambda h: h.versions.promote(c.id), errors.Conflict, "gate"),
        (lambda h: h.versions.promote(c.id, force=True), errors.ValidationError, "reason"),
        (lambda h: h.versions.promote(b.id, force=True, reason="x"), errors.Conflict, "version"),
        (lambda h: h.versions.promote(a.id), errors.Conflict, "version"),
        (lambda h: h.versions.promote("pv_nope"), errors.NotFound, "version"),
        (lambda h: h.versions.promote(theirs.id, workload="reply"), errors.ValidationError, "version"),
        (lambda h: h.versions.rollback("reply"), errors.Conflict, "workload"),
        (lambda h: h.versions.rollback("other"), errors.NotFound, "workload"),
        (lambda h: h.versions.show("pv_nope"), errors.NotFound, "version"),
        (lambda h: h.versions.diff(a.id, "pv_nope"), errors.NotFound, "version"),
        (lambda h: h.versions.list(stage="live"), errors.ValidationError, "stage"),
        (lambda h: h.versions.list(tainted="yes"), errors.ValidationError, "tainted"),
        (lambda h: h.versions.taint(a.id, " "), errors.ValidationError, "reason"),
        (lambda h: h.versions.promote("a/b"), errors.ValidationError, "version"),
    ]
    for call, kind, field in cases:
        found = same_error(lambda c=call: c(local), lambda c=call: c(far))
        assert (type(found), found.field) == (kind, field), found
    assert (local.versions.list(), local.versions.history()) == before
