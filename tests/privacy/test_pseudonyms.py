"""Pseudonymous users (flyloop.privacy.pseudonyms): the store holds keyed hashes, and rotation re-keys them."""

from __future__ import annotations

import orjson
import sqlalchemy as sa

from flyloop import (
    consent_of,
    pseudonym,
    set_consent,
)
from flyloop.privacy.pseudonyms import rotate
from flyloop.store.tables import metadata

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


def dump(store) -> str:
    """Every row of every table, as text: what a leak test searches."""
    out = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                out.append(orjson.dumps(list(row), default=str).decode())
    return "\n".join(out)


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
