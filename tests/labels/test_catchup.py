"""The outbox and the label catch-up (flyloop.labels.catchup): what ingest leaves for labels, and catching up on it."""

from __future__ import annotations

import time

from flyloop import labels

T = time.time() - 86400


OUT = "The answer is 84."


def interaction(iid="i1", **kw):
    return {
        "id": iid,
        "workload": "math",
        "input": "What is 37 + 48?",
        "output": OUT,
        "user_id": "u1",
        "session_id": "s-" + iid,
        "ts": T,
        **kw,
    }


def signal(sid, kind, at=10.0, iid="i1", **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": T + at, **kw}


def test_serve_labels_in_the_background_without_a_read(store, settings):
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from flyloop import Settings
    from flyloop.server.app import create_app
    from flyloop.store import tables as schema

    fast = Settings(database_url="sqlite://", home=settings.home, label_interval_s=0.05)
    _key, secret = store.create_key("acme", ["ingest"])
    with TestClient(create_app(store, fast)) as client:  # runs the lifespan, as uvicorn does
        r = client.post(
            "/v1/ingest",
            headers={"Authorization": f"Bearer {secret}"},
            json={"interactions": [interaction()], "signals": [signal("s1", "thumbs_down")]},
        )
        assert r.status_code == 200
        deadline = time.time() + 10
        while labels.pending(store, "acme") and time.time() < deadline:
            time.sleep(0.05)
    assert labels.pending(store, "acme") == 0
    lb = schema.labels
    with store.read() as conn:  # the table itself: labels.get would catch up on its own
        verdict = conn.execute(
            sa.select(lb.c.verdict).where(lb.c.project_id == "acme", lb.c.interaction_id == "i1")
        ).scalar()
    assert verdict == "bad"


def test_an_ingest_leaves_work_in_the_outbox_until_a_catch_up(capture, store):
    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    assert labels.pending(store, "acme") == 2  # the new interaction, and the one the signal touched
    done = labels.catch_up(store, "acme")
    assert (done.labelled, done.counts["good"], labels.pending(store, "acme")) == (1, 1, 0)
    assert labels.catch_up(store, "acme").labelled == 0  # idempotent: nothing left


def test_a_catch_up_in_small_chunks_labels_every_waiting_batch_once(capture, store):
    for n in range(5):
        capture.ingest(
            "acme", {"interactions": [interaction(f"i{n}")], "signals": [signal(f"s{n}", "thumbs_up", iid=f"i{n}")]}
        )
    capture.ingest("acme", {"signals": [signal("s9", "thumbs_down", at=20.0, iid="i0")]})
    assert labels.pending(store, "acme") == 11  # 5 batches of 2 entries, then one touch
    done = labels.catch_up(store, "acme", chunk=3)  # a batch at a time: each holds 2 entries
    assert (done.labelled, labels.pending(store, "acme")) == (6, 0)  # i0 twice: its batch, then the touch
    verdicts = {n: labels.get(store, "acme", f"i{n}").verdict for n in range(5)}
    assert verdicts == {0: "bad", 1: "good", 2: "good", 3: "good", 4: "good"}  # i0: the later vote stands


# --- issue 10, item 4: label freshness lives here, and reads do not write ---------------------


def test_reads_write_nothing_and_say_what_waits(capture, store):
    import pytest

    from flyloop import NotFound
    from flyloop.labels import coverage, queries

    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    waiting = labels.pending(store, "acme")
    assert waiting > 0
    with pytest.raises(NotFound):
        queries.get(store, "acme", "i1")  # not caught up on yet: the read says so, and leaves it
    assert list(queries.iter_labels(store, "acme")) == []
    assert queries.stats(store, "acme")["unlabelled_interactions"] == 1
    assert coverage.coverage(store, "acme")["workloads"]["math"]["interactions"] == 1
    with pytest.raises(NotFound):
        labels.get(store, "acme", "i1")  # the public face's reads are the same pure reads
    assert labels.measure_coverage(store, "acme")["workloads"]["math"]["interactions"] == 1
    assert labels.pending(store, "acme") == waiting  # none of the reads above wrote anything
    labels.catch_up(store, "acme")  # the writer's step
    assert labels.pending(store, "acme") == 0
    assert labels.get(store, "acme", "i1").verdict == queries.get(store, "acme", "i1").verdict == "good"


def test_the_local_sdk_labels_what_it_delivered_before_flush_returns(store, settings, tmp_path):
    """Freshness on the write side: the SDK's local transport catches up on its sender thread
    after delivering, so a read right after fw.flush() sees the label (the README's example)."""
    from flyloop import Flywheel

    with Flywheel(store=store, settings=settings, spool_dir=tmp_path / "spool") as fw:
        it = fw.log("math", "What is 37 + 48?", "The answer is 84.", user_id="u1")
        it.edit("The answer is 85.")
        assert fw.flush()
        assert labels.pending(store, fw.project) == 0
        label = labels.get(store, fw.project, it.id)
    assert (label.verdict, label.corrected_text) == ("corrected", "The answer is 85.")


def test_the_rule_and_the_reads_do_not_reach_back_into_the_catch_up():
    """One direction: the catch-up calls the label rule; the rule, the reads and coverage never
    import the catch-up (the circle labels <-> outbox <-> schedule <-> retention is gone)."""
    import ast
    from pathlib import Path

    import flyloop

    root = Path(flyloop.__file__).parent
    for module in (
        "labels/verdicts.py",
        "labels/queries.py",
        "labels/coverage.py",
        "privacy/retention.py",
        "privacy/gate.py",
    ):
        tree = ast.parse((root / module).read_text())
        imported = {
            (node.module or "") + "." + alias.name if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }
        assert not {name for name in imported if "catchup" in name or "worker" in name or "capture" in name}, module
