"""API keys (flyloop.store.keys): scoped per project and per right, stored only as a hash of their secret."""

from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa

from flyloop import NotFound, Store, ValidationError
from flyloop.store import keys


def test_keys_are_stored_hashed_and_revocable(store: Store):
    key, secret = store.create_key("acme", ["ingest"], "web")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT secret_hash FROM api_keys")).scalar_one()
    assert secret not in stored and len(stored) == 64
    assert store.find_key(secret).project_id == "acme"
    assert store.find_key(secret + "x") is None
    store.revoke_key("acme", key.id)
    assert store.find_key(secret) is None
    with pytest.raises(NotFound):
        store.revoke_key("acme", key.id)


def test_key_scopes_are_checked(store: Store):
    with pytest.raises(ValidationError):
        store.create_key("acme", ["superuser"])
    with pytest.raises(ValidationError):
        store.create_key("acme", [])


def test_a_key_names_its_project_and_rights_and_admin_implies_the_others(store: Store):
    key, secret = keys.create_key(store, "acme", ["read", "ingest", "read"], "backend")
    assert re.fullmatch(rf"fl_{key.id}_[A-Za-z0-9_-]{{43}}", secret)
    assert (key.project_id, key.name, key.scopes) == ("acme", "backend", frozenset({"read", "ingest"}))
    assert key.allows("read") and key.allows("ingest") and not key.allows("admin")
    admin = keys.ApiKey("k", "acme", "k", frozenset({"admin"}))
    assert all(admin.allows(scope) for scope in keys.SCOPES)
    assert keys.find_key(store, secret) == key
    assert keys.hash_secret(secret) == hashlib.sha256(secret.encode()).hexdigest()
    assert "acme" in store.projects()  # a key's project exists from then on


def test_keys_are_listed_per_project_oldest_first_with_revocation(store: Store):
    first, _ = keys.create_key(store, "acme", ["read"])
    second, _ = keys.create_key(store, "acme", ["admin"], "ops")
    keys.create_key(store, "other", ["read"])
    keys.revoke_key(store, "acme", first.id)
    listed = keys.list_keys(store, "acme")
    assert [(k["id"], k["name"], k["scopes"]) for k in listed] == [
        (first.id, first.id, "read"),
        (second.id, "ops", "admin"),
    ]
    assert listed[0]["revoked_at"] is not None and listed[1]["revoked_at"] is None
    with pytest.raises(NotFound):
        keys.revoke_key(store, "other", second.id)  # another project's key is not found, not revoked
    assert keys.list_keys(store, "acme")[1]["revoked_at"] is None


def test_a_bad_scope_is_named_in_the_error(store: Store):
    with pytest.raises(ValidationError) as caught:
        keys.create_key(store, "acme", ["read", "superuser"])
    assert caught.value.field == "scopes"
    assert caught.value.message == "scopes must be some of ingest, read, admin; got read, superuser"
    assert keys.list_keys(store, "acme") == []
