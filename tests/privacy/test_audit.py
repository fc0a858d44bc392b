"""The audit log (flyloop.privacy.audit): rows written, read newest first, filtered by action and
time, a retried row kept once, and values cut to their column's size."""

from __future__ import annotations

import re

import pytest

from flyloop import ValidationError
from flyloop.privacy import audit


def test_a_recorded_row_reads_back_without_its_project(store):
    rid = audit.record(store, "acme", "keys.create", actor="key:k1", target="k2", details={"scopes": ["read"]})
    (entry,) = audit.audit_log(store, "acme")
    assert entry == {
        "id": rid,
        "ts": entry["ts"],
        "actor": "key:k1",
        "action": "keys.create",
        "target": "k2",
        "details": {"scopes": ["read"]},
    }
    assert audit.audit_log(store, "other") == []  # projects never see each other's rows


def test_rows_come_newest_first_and_filter_by_exact_action_prefix_and_time(store):
    with store.write() as conn:
        audit.record_many(
            store,
            conn,
            [
                audit.row("acme", "users.erase", actor="cli", id="a1", ts=100.0),
                audit.row("acme", "users.consent", actor="cli", id="a2", ts=200.0),
                audit.row("acme", "users_x", actor="cli", id="a3", ts=300.0),
                audit.row("acme", "privacy.set", actor="cli", id="a4", ts=400.0),
            ],
        )
    ids = lambda **kw: [r["id"] for r in audit.audit_log(store, "acme", **kw)]  # noqa: E731
    assert ids() == ["a4", "a3", "a2", "a1"]
    assert ids(action="users.") == ["a2", "a1"]  # a prefix ends in '.'
    assert ids(action="users") == []  # without the dot: the exact action only
    assert ids(action="users.erase") == ["a1"]
    assert ids(since=200.0) == ["a4", "a3", "a2"]
    assert ids(limit=2) == ["a4", "a3"]


def test_a_prefix_is_matched_literally_not_as_a_like_pattern(store):
    with store.write() as conn:
        audit.record_many(
            store,
            conn,
            [audit.row("acme", "a_b.x", actor="cli", id="r1"), audit.row("acme", "axb.x", actor="cli", id="r2")],
        )
    assert [r["id"] for r in audit.audit_log(store, "acme", action="a_b.")] == ["r1"]


def test_a_row_retried_under_its_id_is_kept_once(store):
    entry = audit.row("acme", "redact", actor="capture", target="i1", id="redact:interaction:i1", details={"n": 1})
    for _ in range(2):
        with store.write() as conn:
            audit.record_many(store, conn, [entry])
    assert [r["id"] for r in audit.audit_log(store, "acme")] == ["redact:interaction:i1"]
    with store.write() as conn:
        audit.record_many(store, conn, [])  # nothing to write is not an error


def test_row_defaults_and_cuts_actor_and_target_to_200_characters():
    entry = audit.row("acme", "keys.revoke", actor="k" * 250, target="t" * 250)
    assert (len(entry["actor"]), len(entry["target"]), entry["details"]) == (200, 200, {})
    assert re.fullmatch(r"[0-9a-f]{24}", entry["id"])
    assert audit.row("acme", "x", actor="cli", target="")["target"] is None
    assert audit.row("acme", "x", actor="cli", ts=0.0)["ts"] == 0.0  # an explicit 0 is kept


def test_new_ids_are_unique_and_sort_by_time():
    ids = [audit.new_id() for _ in range(200)]
    assert len(set(ids)) == 200 and [i[:16] for i in ids] == sorted(i[:16] for i in ids)


def test_the_cli_actor_names_the_login_or_falls_back(monkeypatch):
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "maria")
    assert audit.cli_actor() == "cli:maria"

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(audit.getpass, "getuser", no_login)
    assert audit.cli_actor() == "cli"


@pytest.mark.parametrize("limit", [0, 10_001])
def test_a_limit_out_of_range_is_refused_naming_it(store, limit):
    with pytest.raises(ValidationError) as caught:
        audit.audit_log(store, "acme", limit=limit)
    assert caught.value.field == "limit"
