from __future__ import annotations

import itertools
import time
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from flyloop import Conflict, ValidationError, audit_log, erase_user, pseudonym, set_consent
from flyloop.capture.ingest import Capture
from flyloop.privacy import derived
from flyloop.privacy.erasure import remaining_traces
from flyloop.privacy.gate import drop_counts
from flyloop.privacy.pseudonyms import pseudonyms
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


def test_erasing_a_user_held_in_several_dataset_versions(store, settings):
    from collections import Counter

    from flyloop import Flywheel, datasets
    from flyloop.testing import Simulation

    with Flywheel(store=store, settings=settings) as fw:
        truth = Simulation(fw, users=25, seed=3, workload="math-help").run(300)
        assert fw.flush()
        project = fw.project
    first = datasets.build(store, project, "all", {"workloads": ["math-help"]})
    second = datasets.build(store, project, "balanced", {"workloads": ["math-help"], "balance": {"keys": ["plan"]}})
    user = Counter(truth.user_of.values()).most_common(1)[0][0]
    stored_id = pseudonym(store, project, user)
    with store.engine.connect() as conn:
        held = {
            row[0]
            for row in conn.execute(
                sa.text("select distinct dataset_id from dataset_members where user_id = :u"), {"u": stored_id}
            )
        }
    assert held == {first.id, second.id}  # the user is in both versions before
    report = erase_user(store, project, user)
    assert sorted(report["tainted_datasets"]) == sorted([first.id, second.id]) and report["verified"] is True
    assert all(datasets.get(store, project, v.id).tainted for v in (first, second))
    text = dump(store, project)
    assert stored_id not in text and f'"{user}"' not in text


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


# --- item 7 of issue 9: erasure reaches the copies on disk -----------------------------------


def test_erasure_reaches_the_sdk_spool_journal_and_rejected_events(capture, store, tmp_path):
    from flyloop import errors
    from flyloop.sdk.sender import Spool
    from flyloop.sdk.spool import spool_eraser, spool_folder

    folder = spool_folder(tmp_path / "home", P)
    assert folder == tmp_path / "home" / "spool" / P
    spool = Spool(folder)
    spool.put(
        [
            ("interactions", it("z9", "zoe-the-erased")),
            ("interactions", it("y9", "yann")),
            ("signals", {"id": "s9", "interaction_id": "z9", "kind": "thumbs_up"}),
            ("signals", {"id": "s10", "interaction_id": "y9", "kind": "thumbs_up", "actor": "zoe-the-erased"}),
        ]
    )
    spool.reject(
        ("interactions", it("z10", "zoe-the-erased", input="zoe@example.com wrote this")),
        errors.ValidationError("too long", field="input"),
    )
    (folder / "journal").mkdir()
    (folder / "journal" / "segment-1.jsonl").write_bytes(
        b"".join(
            orjson.dumps(e) + b"\n"
            for e in [
                ["interactions", it("z11", "zoe-the-erased")],
                ["signals", {"id": "s11", "interaction_id": "z11", "kind": "copy"}],
                ["interactions", it("y11", "yann")],
            ]
        )
    )
    capture.ingest(P, {"interactions": [it("z1", "zoe-the-erased")]})
    report = erase_user(store, P, "zoe-the-erased", spool=spool_eraser(folder))
    assert report["spool"] == {"spool": 3, "journal": 2, "rejected": 1} and report["verified"] is True
    left = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != "rejected.key")
    assert b"zoe" not in left and b"z9" not in left and b"z11" not in left and b"y9" in left and b"y11" in left
    assert audit_log(store, P, action="users.erase")[0]["details"]["spool"] == {"spool": 3, "journal": 2, "rejected": 1}
    # A server has no spool of the app's: the report says the spool was not reached.
    assert erase_user(store, P, "someone-else")["spool"] is None


def _world_with_datasets(store, settings):
    from collections import Counter

    from flyloop import Flywheel, datasets
    from flyloop.testing import Simulation

    with Flywheel(store=store, settings=settings) as fw:
        truth = Simulation(fw, users=12, seed=5, workload="math-help").run(240)
        assert fw.flush()
        project = fw.project
    version = datasets.build(store, project, "all", {"workloads": ["math-help"]})
    raw_of = {stored: raw for raw, stored in pseudonyms(store, project, set(truth.user_of.values())).items()}
    held = Counter(
        raw_of[ex["user_id"]] for kind in ("sft", "kto") for ex in datasets.examples(store, project, version.id, kind)
    )
    return project, version, held.most_common(1)[0][0]  # the user with the most examples


@pytest.mark.parametrize("secure_delete", ["ON", "OFF"])
def test_erased_text_leaves_the_sqlite_file(tmp_path, settings, secure_delete):
    from sqlalchemy import event

    from flyloop import Store
    from flyloop.capture.ingest import Capture

    path = tmp_path / "flyloop.db"
    store = Store(f"sqlite:///{path}")
    if secure_delete == "OFF":  # the control: without the pragma the bytes stay (some builds default to it)
        event.listen(store.engine, "connect", lambda dbapi_conn, _: dbapi_conn.execute("PRAGMA secure_delete=OFF"))
        store.engine.dispose()
    secret = b"PLUM-WALRUS-SECRET-4417"
    capture = Capture(store, settings)
    capture.ingest(
        P,
        {
            "interactions": [it("z1", "zoe", input=f"my code is {secret.decode()}"), it("y1", "yann")],
            "signals": [
                {
                    "id": "s1",
                    "interaction_id": "z1",
                    "kind": "edit",
                    "actor": "yann",
                    "payload": {"text": f"code {secret.decode()} fixed"},
                }
            ],
        },
    )

    def on_disk() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.glob("flyloop.db*"))

    assert secret in on_disk()  # the check can see it
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == (1 if secure_delete == "ON" else 0)
    report = erase_user(store, P, "zoe")
    assert report["wal_checkpointed"] is True
    assert (secret in on_disk()) is (secure_delete == "OFF")
    assert store.get_interaction(P, "y1")["input"] == "question y1"
    store.close()


def test_compact_rewrites_the_store_and_is_audited(capture, store):
    from flyloop.privacy.erasure import compact, user_tables

    capture.ingest(P, {"interactions": [it("z1", "zoe"), it("y1", "yann")]})
    erase_user(store, P, "zoe")

    def files() -> dict:
        with store.engine.connect() as conn:
            return {
                t: conn.exec_driver_sql(f"SELECT pg_relation_filenode('{t}')").scalar()
                for t in ("interactions", "signals")
            }

    before = files() if store.dialect == "postgresql" else None
    result = compact(store, P, actor="cli")
    assert (
        result["tables"] == user_tables() and "interactions" in result["tables"] and result["dialect"] == store.dialect
    )
    if store.dialect == "postgresql":  # VACUUM FULL wrote each table into a new file
        after = files()
        assert all(after[t] != before[t] for t in before)
    row = audit_log(store, P, action="privacy.compact")[0]
    assert (row["actor"], row["details"]["tables"]) == ("cli", user_tables())
    assert store.get_interaction(P, "y1")["input"] == "question y1"


def test_labels_derived_from_an_erased_users_signals_are_derived_again(capture, store):
    from flyloop import labels

    world(capture, store)
    labels.catch_up(store, P)  # ingested through Capture: label it
    assert labels.get(store, P, "z1").corrected_text == "better z1"  # the reviewer's correction
    assert "sz3" in labels.get(store, P, "y1").signal_ids  # zoe's thumbs down on yann's answer
    erase_user(store, P, "reviewer")
    assert labels.get(store, P, "z1").corrected_text is None and "better z1" not in dump(store, P)
    erase_user(store, P, "zoe-the-erased")
    assert "sz3" not in labels.get(store, P, "y1").signal_ids


def test_examples_built_from_an_erased_reviewers_signals_leave_versions_and_exports(store, settings, tmp_path):
    from flyloop import datasets
    from flyloop.datasets import exports
    from flyloop.store.tables import dataset_examples

    project, _, _ = _world_with_datasets(store, settings)
    with store.engine.connect() as conn:
        targets = conn.execute(
            sa.text("select id, output from interactions where project_id = :p order by id limit 20"), {"p": project}
        ).all()
    Capture(store, settings).ingest(
        project,
        {
            "signals": [
                {
                    "id": f"rv{n}",
                    "interaction_id": i,
                    "kind": "edit",
                    "actor": "rev",
                    "payload": {"text": f"reviewed: {o}"},
                }
                for n, (i, o) in enumerate(targets)
            ]
        },
    )
    # The reviewer has no checked record, so their corrections would be held back (integrity's
    # min_claim_trust): taken at face value here, where what matters is what erasure does to them.
    version = datasets.build(
        store, project, "reviewed", {"workloads": ["math-help"], "integrity": {"min_claim_trust": 0}}
    )

    def citing() -> list:
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(dataset_examples.c.kind, dataset_examples.c.split, dataset_examples.c.signal_ids).where(
                    dataset_examples.c.project_id == project, dataset_examples.c.dataset_id == version.id
                )
            ).all()
        return [(kind, split) for kind, split, ids in rows if any(s.startswith("rv") for s in ids or ())]

    cited = citing()
    assert cited, "the reviewer's signals must reach some examples for this test to mean anything"
    result = exports.export(store, project, version.id, "sft", tmp_path / "out")
    report = erase_user(store, project, "rev")
    assert report["verified"] is True and version.id in report["tainted_datasets"] and citing() == []
    removed = sum(r["rows_removed"] for r in report["export_files"])
    assert removed == sum(1 for kind, split in cited if kind == "sft" and split in result.rows)


def test_a_spool_that_cannot_be_rewritten_is_reported_and_the_erasure_still_audited(
    capture, store, tmp_path, monkeypatch
):
    from flyloop.sdk import spool
    from flyloop.sdk.spool import spool_eraser

    def broken(folder, user_id):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(spool, "forget_user", broken)
    capture.ingest(P, {"interactions": [it("z1", "zoe")]})
    report = erase_user(store, P, "zoe", spool=spool_eraser(tmp_path))
    assert report["spool"] == {
        "spool": 0,
        "journal": 0,
        "rejected": 0,
        "error": f"PermissionError: [Errno 13] Permission denied: '{tmp_path}'",
    }
    assert audit_log(store, P, action="users.erase")[0]["details"]["spool"]["error"].startswith("PermissionError")


def test_the_sdk_erases_from_the_store_and_its_own_spool(store, settings, tmp_path):
    from flyloop import Flywheel
    from flyloop.sdk.sender import Spool

    folder = tmp_path / "spool"
    with Flywheel(store=store, settings=settings, spool_dir=folder) as fw:
        fw.log("support", "question", "answer", user_id="zoe")
        assert fw.flush()
        Spool(folder).put([("interactions", it("z2", "zoe"))])  # waiting from an earlier run
        report = fw.erase_user("zoe")
    # The sender may store the spooled z2 before the erasure (counted with the store's rows), or
    # not (counted in the spool), or hold it while both run (its tombstone drops it on arrival).
    assert report["interactions"] + report["spool"]["spool"] in (1, 2)
    assert (report["spool"]["journal"], report["spool"]["rejected"], report["verified"]) == (0, 0, True)
    assert b"z2" not in b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())
    assert store.list_interactions(fw.project, user_id=pseudonym(store, fw.project, "zoe"))[0] == []
    assert audit_log(store, fw.project, action="users.erase")[0]["actor"] == "sdk"


def test_the_sdk_erases_through_the_server_and_from_its_own_spool(api, tmp_path):
    from fastapi.testclient import TestClient

    from flyloop import Flywheel
    from flyloop.sdk.sender import Spool

    api.post("/v1/ingest", json={"interactions": [it("z1", "zoe")]})
    folder = tmp_path / "spool"
    with Flywheel(
        server_url="http://testserver", api_key="unused", spool_dir=folder, home=str(tmp_path / "home")
    ) as fw:
        fw._sink.client = TestClient(api.app, headers={**api.key(P, "admin"), "Content-Type": "application/json"})
        Spool(folder).put([("interactions", it("z2", "zoe")), ("interactions", it("y2", "yann"))])
        report = fw.erase_user("zoe")
    # The background sender may deliver the spooled z2 before the erasure reaches it (the server
    # erases and counts it), or not (the spool does), or hold it in flight while both run: then
    # it arrives after, and the server's tombstone drops it. In every case zoe is gone for good.
    assert report["interactions"] + report["spool"]["spool"] in (1, 2)
    assert (report["spool"]["journal"], report["spool"]["rejected"], report["verified"]) == (0, 0, True)
    assert b"z2" not in b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())
    assert [row["id"] for row in api.get("/v1/interactions", params={"user_id": "yann"}).json()["items"]] == ["y2"]
    assert api.get("/v1/interactions", params={"user_id": "zoe"}).json()["items"] == []


def test_postgresql_keeps_erased_bytes_in_its_table_files_until_compaction(capture, store):
    """What the README says of PostgreSQL, shown on the server's own files (when this process
    may read them: the throwaway server of scripts/postgres.sh)."""
    from flyloop.privacy.erasure import compact

    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL's files")
    secret = "PLUM-WALRUS-SECRET-4417"
    capture.ingest(P, {"interactions": [it("z1", "zoe", input=f"my code is {secret}"), it("y1", "yann")]})
    with store.engine.connect() as conn:
        try:
            folder = Path(conn.exec_driver_sql("SHOW data_directory").scalar())
        except sa.exc.DBAPIError:
            pytest.skip("this role may not see where the server keeps its files")

    def in_table_file() -> bool:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("CHECKPOINT")  # shared buffers to the files
            relative = conn.exec_driver_sql("SELECT pg_relation_filepath('interactions')").scalar()
        try:
            return secret.encode() in (folder / relative).read_bytes()
        except PermissionError:
            pytest.skip("the server's files are not readable by this process")

    assert in_table_file()
    erase_user(store, P, "zoe")
    assert in_table_file()  # deleted, yet still in the table's file
    compact(store, P)
    assert not in_table_file()
    assert store.get_interaction(P, "y1")["input"] == "question y1"


def test_a_flagged_rater_leaves_the_manifests_that_name_them(capture, store):
    """A manifest lists flagged raters by pseudonym; erasing one of them once failed verification
    forever ("erasure would leave traces in dataset_versions"), which the demo hit."""
    from flyloop.store.tables import dataset_versions

    capture.ingest(P, {"interactions": [it("r1", "rater-x")]})
    rater = pseudonym(store, P, "rater-x")
    manifest = {
        "integrity": {"raters_flagged": [{"actor": rater, "votes": 3}, {"actor": "u_" + "0" * 32, "votes": 2}]},
        "note": f"checked {rater}",
    }
    with store.write() as conn:
        conn.execute(
            sa.insert(dataset_versions),
            [
                {
                    "project_id": P,
                    "id": "v" * 64,
                    "name": "n",
                    "parent_id": None,
                    "created_at": 1.0,
                    "code_version": "t",
                    "config": {},
                    "manifest": manifest,
                    "counts": {},
                }
            ],
        )
    report = erase_user(store, P, "rater-x")
    assert report["verified"] is True
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(dataset_versions.c.manifest, dataset_versions.c.tainted_at).where(
                dataset_versions.c.id == "v" * 64
            )
        ).one()
    assert row.manifest == {
        "integrity": {"raters_flagged": [{"actor": "u_" + "0" * 32, "votes": 2}]},
        "note": "checked <erased>",
    }
    assert row.tainted_at is not None
