"""Consent as data (flyloop.privacy.consent): the state each event carries, the project default, training use."""

from __future__ import annotations

import pytest

from flyloop import (
    ValidationError,
    consent_of,
    pseudonym,
    set_consent,
    set_privacy_policy,
    training_allowed,
)
from flyloop.privacy.gate import usable_for_training

P = "acme"


def it(id, user="alice", **kw):
    return {
        "id": id,
        "workload": "support",
        "input": "How do I reset my password?",
        "output": "Click 'forgot'.",
        "user_id": user,
        **kw,
    }


def stored(store, interaction_id, project=P):
    return store.get_interaction(project, interaction_id)


def test_each_interaction_records_the_consent_in_force(capture, store):
    capture.ingest(P, {"interactions": [it("i1")]})
    set_consent(store, P, "alice", "no_training", source="settings-page")
    capture.ingest(
        P, {"interactions": [it("i2"), it("i3", consent="no_content"), it("i4", user="bob", consent="no_training")]}
    )
    set_consent(store, P, "alice", "full")
    capture.ingest(P, {"interactions": [it("i5"), it("i6", user=None)]})
    assert [stored(store, f"i{n}")["consent"] for n in range(1, 7)] == [
        "full",
        "no_training",
        "no_content",
        "no_training",
        "full",
        "full",
    ]
    state = consent_of(store, P, "alice")
    assert state["state"] == "full" and state["default"] is False
    assert [(h["state"], h["source"]) for h in state["history"]] == [("no_training", "settings-page"), ("full", "api")]
    assert consent_of(store, P, "nobody") == {"state": "full", "since": None, "default": True, "history": []}
    with pytest.raises(ValidationError) as err:
        set_consent(store, P, "alice", "maybe")
    assert err.value.field == "state"


def test_the_project_default_applies_to_users_who_said_nothing(capture, store):
    set_privacy_policy(store, P, {"consent_default": "no_training"})
    set_consent(store, P, "opted-in", "full")
    capture.ingest(
        P,
        {"interactions": [it("i1", user="silent"), it("i2", user="opted-in"), it("i3", user="silent", consent="full")]},
    )
    assert [stored(store, f"i{n}")["consent"] for n in (1, 2, 3)] == ["no_training", "full", "full"]


def test_training_use_needs_recorded_and_current_consent(capture, store):
    capture.ingest(
        P, {"interactions": [it("a1", user="ann"), it("b1", user="ben"), it("c1", user="cat"), it("d1", user=None)]}
    )
    set_consent(store, P, "ben", "no_training")  # withdraws: reaches back to b1
    set_consent(store, P, "cat", "no_training")
    capture.ingest(P, {"interactions": [it("c2", user="cat")]})
    set_consent(store, P, "cat", "full")  # opts in again: c2 stays out, c1 and later ones are in
    capture.ingest(P, {"interactions": [it("c3", user="cat")]})
    ids = {u: pseudonym(store, P, u) for u in ("ann", "ben", "cat")}
    assert training_allowed(store, P, ids.values()) == {ids["ann"], ids["cat"]}
    rows = store.list_interactions(P, limit=100)[0]
    assert usable_for_training(store, P, rows) == {"a1", "c1", "c3", "d1"}
    set_privacy_policy(store, P, {"consent_default": "no_training"})
    assert training_allowed(store, P, ids.values()) == {ids["cat"]}  # ann said nothing: the default now rules
    assert usable_for_training(store, P, rows) == {"c1", "c3"}
