"""Erasure (flyloop.privacy.erasure) reaching the copies of a user's data outside the rows it
deletes: dataset versions and their manifests, exports, labels derived from the user's signals,
the SDK's spool, journal and rejected events (locally and through a server), and the bytes in
the database's files (SQLite's secure_delete, PostgreSQL's until compaction).

The erasure of the rows themselves and its verification are in ``test_erasure.py``."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from test_erasure import P, dump, it, world

from flyloop import audit_log, erase_user, pseudonym
from flyloop.capture.ingest import Capture
from flyloop.privacy.pseudonyms import pseudonyms

# --- dataset versions that hold the user ------------------------------------------------------


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
