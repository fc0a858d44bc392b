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
from flyloop.privacy.consent import usable_for_training

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


# --- one rule (issue 10, item 5): training consent is written once, in privacy.consent ---------


def test_a_withdrawal_reads_the_same_in_curation_export_and_the_rule(capture, store):
    """One consent change, seen by every consumer alike: curation leaves the user out of a new
    build, an export of a version built before leaves their rows out, and the rule says so."""
    from conftest import seed
    from flyloop import datasets
    from flyloop.curation.curate import CurationConfig
    from flyloop.curation.sources import load
    from flyloop.datasets.exports import prepare
    from flyloop.labels.catchup import catch_up

    seed(capture)  # 10 users x 4 interactions
    catch_up(store, P)
    version = datasets.build(store, P, "before", {"kinds": ["sft", "kto"]})
    _, before, _ = prepare(store, P, version.id, "kto")
    set_consent(store, P, "user1", "no_training")
    withdrawn = pseudonym(store, P, "user1")
    _, after, check = prepare(store, P, version.id, "kto")
    left_out = sum(len(rows) for rows in before.values()) - sum(len(rows) for rows in after.values())
    kto = datasets.examples(store, P, version.id, "kto", ["train", "validation"])
    theirs = sum(1 for row in kto if row["user_id"] == withdrawn)
    assert left_out == theirs == check["consent_recheck"]["consent_withdrawn"] and theirs > 0
    src = load(store, P, CurationConfig(), lambda *_: None)
    assert src.consent_report["interactions_refused"] == {"user consent now refuses training": 4}
    assert not any(r.user_id == withdrawn for r in src.records.values())
    rows = store.list_interactions(P, limit=100)[0]
    assert {r["id"] for r in rows if r["user_id"] == withdrawn} == {r["id"] for r in rows} - usable_for_training(
        store, P, rows
    )


def test_no_module_but_privacy_consent_decides_training_use():
    """A second copy of the rule would read a consent state itself: only privacy/consent.py may
    call allows_training (everyone else asks training_consent for the whole rule)."""
    import ast
    from pathlib import Path

    import flyloop

    root = Path(flyloop.__file__).parent
    callers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "allows_training"
    )
    assert callers == ["privacy/consent.py"] * len(callers) and callers
