"""Erasure (flyloop.privacy.erasure) in the store: every trace of a user removed and nothing else,
a failing step stopping it before anything is deleted, events still in flight dropped for the
grace period, erasing twice harmless, completeness whatever the data, and the verification of
what is left (a raw id equal to another stored string is no trace; a real leftover is caught).

How erasure reaches the copies (the SDK's spool, the database files, labels, dataset versions
and exports) is in ``test_privacy_erasure.py``."""

from __future__ import annotations

import itertools
import time

import orjson
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from flyloop import Conflict, ValidationError, audit_log, erase_user, pseudonym, set_consent
from flyloop.privacy import derived
from flyloop.privacy.erasure import remaining_traces
from flyloop.privacy.gate import drop_counts
from flyloop.store.tables import metadata

P = "acme"


def dump(store, project: str | None = None) -> str:
    out = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            query = sa.select(table)
            if project is not None and "project_id" in table.c:
                query = query.where(table.c.project_id == project)
            out.extend(orjson.dumps(list(row), default=str).decode() for row in conn.execute(query))
    return "\n".join(out)


def it(id, user, **kw):
    return {"id": id, "workload": "support", "input": f"question {id}", "output": f"answer {id}", "user_id": user, **kw}


def world(capture, store):
    """zoe-the-erased has two interactions; others rate and correct them; she rates theirs."""
    set_consent(store, P, "zoe-the-erased", "no_training")
    set_consent(store, P, "zoe-the-erased", "full")
    capture.ingest(
        P,
        {
            "interactions": [
                it("z1", "zoe-the-erased", join_key="order-z"),
                it("z2", "zoe-the-erased", join_key="order-shared"),
                it("y1", "yann", join_key="order-shared"),
                it("y2", "yann"),
            ],
            "signals": [
                {"id": "sz1", "interaction_id": "z1", "kind": "thumbs_up"},
                {
                    "id": "sz2",
                    "interaction_id": "z1",
                    "kind": "edit",
                    "actor": "reviewer",
                    "payload": {"text": "better z1"},
                },
                {"id": "sz3", "interaction_id": "y1", "kind": "thumbs_down", "actor": "zoe-the-erased"},
                {"id": "sy1", "interaction_id": "y1", "kind": "thumbs_up", "actor": "yann"},
                {"id": "sy2", "interaction_id": "y2", "kind": "copy"},
            ],
            "outcomes": [
                {"id": "oz1", "name": "resolved", "interaction_id": "z2", "value": 1.0},
                {"id": "oz2", "name": "sale", "join_key": "order-z", "value": 20.0},
                {"id": "os1", "name": "sale", "join_key": "order-shared", "value": 5.0},
                {"id": "oy1", "name": "resolved", "interaction_id": "y2", "value": 0.0},
            ],
        },
    )


def user_rows(store, table, ids):
    t = metadata.tables[table]
    with store.engine.connect() as conn:
        return sorted(conn.execute(sa.select(t.c.id).where(t.c.project_id == P, t.c.id.in_(ids))).scalars())


def test_erasure_removes_every_trace_and_nothing_else(capture, store, monkeypatch):
    world(capture, store)
    capture.ingest("other-project", {"interactions": [it("z1", "zoe-the-erased")]})
    stored_id = pseudonym(store, P, "zoe-the-erased")
    with store.engine.connect() as conn:  # on her interactions (also inferred ones) or given by her
        signals_before = conn.execute(
            sa.text(
                "select count(*) from signals where project_id = :p and (interaction_id in ('z1', 'z2') or actor = :u)"
            ),
            {"p": P, "u": stored_id},
        ).scalar()
    calls = []
    steps = derived.erase_steps()

    def spy(s, project, user, ids):
        calls.append((project, user, ids))
        return {"datasets_tainted": ["v1"]}

    monkeypatch.setattr(derived, "erase_steps", lambda: [*steps, spy])
    report = erase_user(store, P, "zoe-the-erased", actor="key:adm")
    assert calls == [(P, stored_id, ["z1", "z2"])]
    assert {
        k: report[k] for k in ("interactions", "signals", "outcomes", "consents", "verified", "datasets_tainted")
    } == {
        "interactions": 2,
        "signals": signals_before,
        "outcomes": 2,
        "consents": 2,
        "verified": True,
        "datasets_tainted": ["v1"],
    }
    text = dump(store, P)
    assert "zoe-the-erased" not in text and stored_id not in text and "better z1" not in text
    assert remaining_traces(store, P, "zoe-the-erased") == []
    # Others keep theirs, including the outcome shared through a join key.
    assert user_rows(store, "interactions", ["z1", "z2", "y1", "y2"]) == ["y1", "y2"]
    assert signals_before >= 3
    assert user_rows(store, "signals", ["sz1", "sz2", "sz3", "sy1", "sy2"]) == ["sy1", "sy2"]
    assert user_rows(store, "outcomes", ["oz1", "oz2", "os1", "oy1"]) == ["os1", "oy1"]
    assert store.get_interaction("other-project", "z1")["input"] == "question z1"  # another project is untouched
    row = audit_log(store, P, action="users.erase")[0]
    assert (
        row["actor"] == "key:adm"
        and "zoe" not in orjson.dumps(row).decode()
        and stored_id not in orjson.dumps(row).decode()
    )
    assert row["details"]["removed"]["interactions"] == 2


def test_a_failing_hook_stops_the_erasure_before_anything_is_deleted(capture, store, monkeypatch):
    world(capture, store)

    def broken(*_args):
        raise Conflict("dataset store is down")

    steps = derived.erase_steps()
    monkeypatch.setattr(derived, "erase_steps", lambda: [*steps, broken])
    with pytest.raises(Conflict):
        erase_user(store, P, "zoe-the-erased")
    assert user_rows(store, "interactions", ["z1", "z2"]) == ["z1", "z2"]


def test_events_still_in_flight_are_dropped_for_the_grace_period(capture, store):
    world(capture, store)
    erase_user(store, P, "zoe-the-erased", grace_s=3600)
    capture.ingest(
        P,
        {
            "interactions": [it("z3", "zoe-the-erased"), it("y3", "yann")],
            "signals": [
                {"id": "late1", "interaction_id": "z1", "kind": "thumbs_down"},
                {"id": "late2", "interaction_id": "y2", "kind": "thumbs_up", "actor": "zoe-the-erased"},
                {"id": "ok1", "interaction_id": "y2", "kind": "thumbs_up", "actor": "yann"},
            ],
            "outcomes": [{"id": "late3", "name": "sale", "interaction_id": "z2"}],
        },
    )
    assert user_rows(store, "interactions", ["z3", "y3"]) == ["y3"]
    assert user_rows(store, "signals", ["late1", "late2", "ok1"]) == ["ok1"]
    assert user_rows(store, "outcomes", ["late3"]) == []
    assert drop_counts(store, P) == {
        "support": {"erased_user": 1},
        "(signals)": {"erased_user": 2},
        "(outcomes)": {"erased_user": 1},
    }
    assert "zoe-the-erased" not in dump(store, P)
    with store.engine.begin() as conn:  # the grace period ends
        conn.execute(sa.text("update erasure_tombstones set expires_at = :t"), {"t": time.time() - 1})
    capture.ingest(P, {"interactions": [it("z4", "zoe-the-erased")]})
    assert user_rows(store, "interactions", ["z4"]) == ["z4"]


def test_erasing_twice_or_an_unknown_user_is_harmless(capture, store):
    world(capture, store)
    erase_user(store, P, "zoe-the-erased")
    again = erase_user(store, P, "zoe-the-erased")
    assert (again["interactions"], again["signals"], again["verified"]) == (0, 0, True)
    assert erase_user(store, P, "never-seen")["interactions"] == 0
    with pytest.raises(ValidationError):
        erase_user(store, P, "")


def user_rows_for(store, project):
    with store.engine.connect() as conn:
        return sorted(
            conn.execute(sa.text("select id from interactions where project_id = :p"), {"p": project}).scalars()
        )


users = st.sampled_from(["u1", "u2", "u3", "victim"])
_projects = itertools.count()


@hyp_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    owners=st.lists(users, min_size=1, max_size=8),
    votes=st.lists(st.tuples(st.integers(0, 7), users), max_size=12),
    consents=st.lists(st.tuples(users, st.sampled_from(["full", "no_training", "no_content"])), max_size=4),
)
def test_erasure_is_complete_whatever_the_data(capture, store, owners, votes, consents):
    project = f"h{next(_projects)}"  # a project per example: the store is shared by every example
    for user, state in consents:
        set_consent(store, project, user, state)
    interactions = [it(f"i{n}", owner, metadata={"owner_note": "plain"}) for n, owner in enumerate(owners)]
    signals = [
        {"id": f"s{n}", "interaction_id": f"i{target % len(owners)}", "kind": "thumbs_up", "actor": actor}
        for n, (target, actor) in enumerate(votes)
    ]
    capture.ingest(project, {"interactions": interactions, "signals": signals})
    stored_id = pseudonym(store, project, "victim")
    report = erase_user(store, project, "victim", grace_s=0)
    text = dump(store, project)
    assert "victim" not in text and stored_id not in text
    kept = [n for n, owner in enumerate(owners) if owner != "victim"]
    assert user_rows_for(store, project) == sorted(f"i{n}" for n in kept)
    assert report["interactions"] == len(owners) - len(kept)


# --- item 6 of issue 9: a raw id that equals another stored string is no trace ---------------


def label_row(project: str, interaction_id: str, verdict: str) -> dict:
    return {
        "project_id": project,
        "interaction_id": interaction_id,
        "workload": "support",
        "verdict": verdict,
        "confidence": 0.9,
        "score": 1.0,
        "updated_at": 1.0,
        "ts": 1.0,
    }


@pytest.mark.parametrize("victim", ["7", "support-reply", "plan-gold", "good"])
def test_a_user_named_like_another_stored_string_is_erased_and_verified(capture, store, victim):
    """'7' is another user's policy_version, 'support-reply' a workload, 'plan-gold' a metadata
    value, 'good' a label verdict: none of them is a trace of the user."""
    from flyloop.store.tables import labels

    capture.ingest(
        P,
        {
            "interactions": [
                it("v1", victim),
                it("y1", "yann", policy_version="7", metadata={"plan": "plan-gold"}),
                {**it("y2", "yann"), "workload": "support-reply"},
            ],
            "signals": [
                {"id": "sv1", "interaction_id": "y1", "kind": "thumbs_up", "actor": victim},
                {
                    "id": "sy1",
                    "interaction_id": "y2",
                    "kind": "comment",
                    "actor": "yann",
                    "payload": {"text": f"as {victim} said"},
                },
            ],
        },
    )
    with store.write() as conn:
        conn.execute(sa.insert(labels), [label_row(P, "y1", "good"), label_row(P, "v1", "good")])
    report = erase_user(store, P, victim)
    assert (report["interactions"], report["signals"], report["verified"]) == (1, 1, True)
    assert report["other"] == {"labels": 1}
    assert [r["details"]["removed"]["interactions"] for r in audit_log(store, P, action="users.erase")] == [1]
    assert user_rows(store, "interactions", ["v1", "y1", "y2"]) == ["y1", "y2"]
    assert store.get_interaction(P, "y1")["policy_version"] == "7"
    assert store.get_interaction(P, "y2")["signals"][0]["payload"] == {"text": f"as {victim} said"}
    assert remaining_traces(store, P, victim, ["v1"]) == []


def test_a_pseudonym_given_as_the_raw_id_is_refused_and_erases_nobody(capture, store):
    """An operator who pastes a pseudonym from a dataset or the API into an erasure once deleted
    the rows of the user it belongs to, through the raw-id fallback, with tombstones and consent
    for a user who does not exist, and reported it verified."""
    capture.ingest(P, {"interactions": [it("v1", "victim")]})
    victim = pseudonym(store, P, "victim")
    capture.ingest(P, {"interactions": [it("a1", victim)]})  # a raw id shaped like that pseudonym
    with pytest.raises(ValidationError) as refused:
        erase_user(store, P, victim)
    assert refused.value.field == "user_id"
    assert str(refused.value) == (
        f"user_id: {victim!r} is a pseudonym, the form the store keeps; erasure takes the raw user id the app logged"
    )
    assert user_rows(store, "interactions", ["v1", "a1"]) == ["a1", "v1"]
    assert audit_log(store, P, action="users.erase") == []
    assert erase_user(store, P, "victim")["interactions"] == 1
    assert user_rows(store, "interactions", ["v1", "a1"]) == ["a1"]


def test_verification_still_catches_a_real_leftover(capture, store, monkeypatch):
    from flyloop.privacy import erasure
    from flyloop.store.tables import dataset_members, interactions, labels, signals

    capture.ingest(P, {"interactions": [it("v1", "7"), it("y1", "yann", policy_version="7")]})
    with store.write() as conn:
        conn.execute(sa.insert(labels), [label_row(P, "v1", "good")])
    # A sweep that misses a table (here: labels left alone) fails the check: 409, nothing is
    # deleted, no audit row.
    monkeypatch.setattr(erasure, "_HANDLED", erasure._HANDLED | {"labels"})
    with pytest.raises(Conflict) as caught:
        erase_user(store, P, "7")
    assert caught.value.details == {"tables": ["labels"]}
    assert audit_log(store, P, action="users.erase") == []
    assert user_rows(store, "interactions", ["v1", "y1"]) == ["v1", "y1"]
    monkeypatch.undo()
    assert erase_user(store, P, "7")["verified"] is True  # run again, it completes
    stored_id = pseudonym(store, P, "7")
    assert remaining_traces(store, P, "7", ["v1"]) == []
    # Rows put back behind its back: in a user column (pseudonym or raw id, as rows stored before
    # pseudonymization were), and in an interaction-id column.
    with store.write() as conn:
        conn.execute(
            sa.insert(signals),
            [
                {
                    "project_id": P,
                    "id": "late",
                    "interaction_id": "y1",
                    "kind": "thumbs_up",
                    "source": "app",
                    "actor": stored_id,
                    "ts": 1.0,
                    "received_at": 1.0,
                }
            ],
        )
        conn.execute(sa.insert(dataset_members), [{"project_id": P, "dataset_id": "d1", "interaction_id": "v1"}])
        conn.execute(
            sa.insert(interactions),
            [{"project_id": P, "id": "old", "workload": "support", "user_id": "7", "ts": 1.0, "received_at": 1.0}],
        )
    assert sorted(remaining_traces(store, P, "7", ["v1"])) == ["dataset_members", "interactions", "signals"]


def test_an_erasure_between_the_gate_and_the_write_drops_the_erased_users_events(capture, store, monkeypatch):
    # The gate reads the tombstones, then the store writes: an erasure that commits in between (the SDK's
    # sender replaying a spooled batch while the app erases its user) must not bring the user back. The
    # write checks the batch's tombstones under the erasure's lock and has the batch gated again.
    from flyloop.capture import ingest

    capture.ingest(P, {"interactions": [it("z1", "zoe")]})
    gate, erased = ingest.privacy_gate, []

    def gate_then_erase(store_, project_id, batch):
        gated = gate(store_, project_id, batch)
        if not erased:
            erased.append(erase_user(store, P, "zoe", grace_s=3600))
        return gated

    monkeypatch.setattr(ingest, "privacy_gate", gate_then_erase)
    result = capture.ingest(P, {"interactions": [it("z2", "zoe"), it("y1", "yann")]})
    assert (result.interactions, erased[0]["interactions"]) == (1, 1)
    assert user_rows(store, "interactions", ["z1", "z2", "y1"]) == ["y1"]
    assert drop_counts(store, P) == {"support": {"erased_user": 1}}


def test_erasures_that_keep_landing_between_gate_and_write_give_a_clear_error(capture, store, monkeypatch):
    from flyloop import errors
    from flyloop.store import ErasedMeanwhile

    tries = []

    def always_erased(project_id, batch, flags=None, **guard):
        tries.append(guard["erased_since"])
        raise ErasedMeanwhile(project_id)

    monkeypatch.setattr(capture.store, "ingest", always_erased)
    with pytest.raises(errors.Unavailable, match="being erased; send the batch again"):
        capture.ingest(P, {"interactions": [it("w1", "wes")]})
    assert len(tries) == 5
    assert drop_counts(store, P) == {}


def test_an_ingest_that_commits_before_the_erasures_lock_is_erased_with_the_rest(capture, store, monkeypatch):
    # The erasure reads the user's interactions, runs its steps, then takes its lock: a batch that
    # commits in between (the SDK's sender replaying the spool while the app erases its user) is read
    # again under the lock and erased, where it once failed the verification ("would leave traces").
    capture.ingest(
        P, {"interactions": [it("z1", "zoe")], "signals": [{"id": "s1", "interaction_id": "z1", "kind": "thumbs_up"}]}
    )
    steps = derived.erase_steps()

    def an_ingest_lands(*_args):
        capture.ingest(
            P,
            {
                "interactions": [it("z2", "zoe"), it("y1", "yann")],
                "signals": [{"id": "s2", "interaction_id": "z2", "kind": "thumbs_down"}],
            },
        )

    monkeypatch.setattr(derived, "erase_steps", lambda: [*steps, an_ingest_lands])
    report = erase_user(store, P, "zoe", grace_s=3600)
    assert (report["interactions"], report["signals"], report["verified"]) == (2, 2, True)
    assert user_rows(store, "interactions", ["z1", "z2", "y1"]) == ["y1"]
    assert remaining_traces(store, P, "zoe", ["z1", "z2"]) == []
    capture.ingest(P, {"signals": [{"id": "s3", "interaction_id": "z2", "kind": "thumbs_up"}]})  # z2's tombstone
    assert user_rows(store, "signals", ["s1", "s2", "s3"]) == []
