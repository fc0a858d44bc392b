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


ONE, TWO = "11" * 32, "22" * 32


def test_imported_keys_are_the_ones_pseudonyms_and_splits_use(store):
    from flyloop.privacy import export_keys, import_keys
    from flyloop.privacy import pseudonyms as ps

    assert import_keys(store, P, {"pseudonym": [ONE, TWO.upper()], "split": [TWO]}) == {"pseudonym": 2, "split": 1}
    # HMAC under ONE, then again under TWO: the chain of a key rotated once.
    assert pseudonym(store, P, "alice") == "u_848a08f81e638b02dbc2fc0d1cde1fd3"
    assert ps.current_secret(store, P, "split") == (1, bytes.fromhex(TWO))
    assert export_keys(store, P) == {"pseudonym": [ONE, TWO], "split": [TWO]}
    (row,) = [r for r in audit_rows(store) if r["action"] == "privacy.import_keys"]
    assert row["details"] == {"versions": {"pseudonym": 2, "split": 1}} and ONE not in str(row)
    # A purpose not imported still makes its own key on first use.
    assert ps.current_secret(store, P, "feedback")[0] == 1


def test_a_project_moved_between_stores_keeps_its_pseudonyms_and_keys(capture, store):
    from flyloop import Store
    from flyloop.privacy import export_keys, import_keys

    capture.ingest(P, {"interactions": [it("i1"), it("i2", user="bob")]})
    rotate(store, P)
    capture.ingest(P, {"interactions": [it("i3", user="carol")]})
    keys = export_keys(store, P)
    assert {purpose: len(versions) for purpose, versions in keys.items()} == {"pseudonym": 2}
    other = Store("sqlite://")
    try:
        assert import_keys(other, P, keys) == {"pseudonym": 2}
        for user, stored_in in (("alice", "i1"), ("bob", "i2"), ("carol", "i3")):
            assert pseudonym(other, P, user) == pseudonym(store, P, user) == stored(store, stored_in)["user_id"]
        assert export_keys(other, P) == keys
    finally:
        other.close()
    exported = [r for r in audit_rows(store) if r["action"] == "privacy.export_keys"]
    assert [r["details"] for r in exported] == [{"versions": {"pseudonym": 2}}]
    logged = str(audit_rows(store))
    assert all(key not in logged for key in keys["pseudonym"])


def audit_rows(store):
    from flyloop.privacy import audit_log

    return audit_log(store, P)


def test_an_import_is_refused_where_the_project_already_has_a_key_and_writes_nothing(store):
    from flyloop import Conflict
    from flyloop.privacy import export_keys, import_keys

    import_keys(store, P, {"split": [ONE]})
    with pytest.raises(Conflict) as caught:  # a re-import
        import_keys(store, P, {"split": [TWO]})
    assert caught.value.field == "keys.split" and TWO not in str(caught.value)
    pseudonym(store, P, "alice")  # the pseudonym key is made on first use
    made = export_keys(store, P)["pseudonym"]
    with pytest.raises(Conflict) as caught:  # all or nothing: tombstone is new, pseudonym is not
        import_keys(store, P, {"tombstone": [TWO], "pseudonym": [TWO]})
    assert caught.value.field == "keys.pseudonym"
    assert export_keys(store, P) == {"pseudonym": made, "split": [ONE]}
    assert [r["details"]["versions"] for r in audit_rows(store) if r["action"] == "privacy.import_keys"] == [
        {"split": 1}
    ]


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        (None, "keys"),
        ({}, "keys"),
        ([ONE], "keys"),
        ({"passwords": [ONE]}, "keys"),
        ({ONE: [ONE]}, "keys"),  # a key where a purpose goes is not echoed back
        ({"split": []}, "keys.split"),
        ({"split": ONE}, "keys.split"),
        ({"split": [ONE[:-2]]}, "keys.split[0]"),
        ({"pseudonym": [ONE, "zz" + ONE[2:]]}, "keys.pseudonym[1]"),
        ({"pseudonym": [ONE, ONE + "00"]}, "keys.pseudonym[1]"),
        ({"feedback": [7]}, "keys.feedback[0]"),
    ],
)
def test_a_malformed_import_is_refused_naming_the_field_without_the_key(store, keys, field):
    from flyloop.privacy import export_keys, import_keys

    with pytest.raises(ValidationError) as caught:
        import_keys(store, P, keys)
    assert caught.value.field == field
    assert ONE[:-2] not in str(caught.value) and ONE[2:] not in str(caught.value)
    assert export_keys(store, P) == {}
