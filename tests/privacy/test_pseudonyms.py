"""Pseudonymous users (flyloop.privacy.pseudonyms): the store holds keyed hashes, and rotation re-keys them."""

from __future__ import annotations

import hashlib
import hmac

import pytest
import sqlalchemy as sa

from conftest import dump
from flyloop import ValidationError, consent_of, pseudonym, set_consent
from flyloop.privacy.pseudonyms import rotate

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


def test_rotation_rekeys_every_stored_pseudonym(capture, store):
    set_consent(store, P, "alice", "no_training")
    capture.ingest(
        P,
        {
            "interactions": [it("i1"), it("i2", user="bob")],
            "signals": [{"id": "s1", "interaction_id": "i2", "kind": "thumbs_up", "actor": "alice"}],
        },
    )
    with store.engine.begin() as conn:  # a row from before pseudonymization existed
        conn.execute(sa.text("update interactions set user_id = 'legacy-raw' where id = 'i2'"))
    before = pseudonym(store, P, "alice")
    result = rotate(store, P)
    after = pseudonym(store, P, "alice")
    assert result["version"] == 2 and after != before
    assert stored(store, "i1")["user_id"] == after and stored(store, "i2")["signals"][0]["actor"] == after
    assert stored(store, "i2")["user_id"] == pseudonym(store, P, "legacy-raw")
    assert consent_of(store, P, "alice")["state"] == "no_training"  # the history followed the user
    capture.ingest(P, {"interactions": [it("i3")]})
    assert stored(store, "i3")["user_id"] == after and stored(store, "i3")["consent"] == "no_training"
    assert before not in dump(store)


def test_a_pseudonym_is_a_keyed_hash_stable_per_project_and_different_across_projects(store):
    from flyloop.privacy import pseudonyms as ps

    one = ps.pseudonym(store, "acme", "alice")
    assert ps.PSEUDONYM.match(one) and one == ps.pseudonym(store, "acme", "alice")
    assert one != ps.pseudonym(store, "other", "alice") and one != ps.pseudonym(store, "acme", "bob")
    ((version, key),) = ps.secrets_of(store, "acme", "pseudonym")
    assert version == 1 and len(key) == 32
    assert one == "u_" + hmac.new(key, b"alice", hashlib.sha256).hexdigest()[:32]
    assert ps.pseudonyms(store, "acme", ["alice", "bob", "", "alice"]) == {
        "alice": one,
        "bob": ps.pseudonym(store, "acme", "bob"),
    }
    assert ps.pseudonyms(store, "acme", []) == {}
    assert ps.keyed_digest(key, "alice") == hmac.new(key, b"alice", hashlib.sha256).hexdigest()


def test_reading_a_key_from_outside_never_makes_one(store):
    from flyloop.privacy import pseudonyms as ps

    assert ps.secrets_of(store, "acme", "feedback", create=False) == []
    assert ps.latest_existing(store, "acme", "feedback") is None
    version, key = ps.current_secret(store, "acme", "feedback")  # made on first use
    assert (
        ps.latest_existing(store, "acme", "feedback") == (version, key) == ps.current_secret(store, "acme", "feedback")
    )


def test_a_bad_user_id_or_purpose_is_refused_naming_it(store):
    from flyloop.privacy import pseudonyms as ps

    for bad in ("", None, 7):
        with pytest.raises(ValidationError) as caught:
            ps.pseudonym(store, "acme", bad)
        assert caught.value.field == "user_id"
    with pytest.raises(ValidationError) as caught:
        ps.secrets_of(store, "acme", "nope")
    assert caught.value.field == "purpose"


def test_user_columns_are_every_user_id_and_actor_but_the_operators_in_the_audit_log():
    from flyloop.privacy import pseudonyms as ps

    named = {(t.name, c.name) for t, c in ps.user_columns()}
    assert {("interactions", "user_id"), ("signals", "actor"), ("consents", "user_id")} <= named
    assert ("audit_log", "actor") not in named
