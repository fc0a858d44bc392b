"""The SDK client's durable mode (``sdk_durable``): each call is journaled, the journal rotates
once a batch is stored, and an app killed with SIGKILL loses nothing and stores nothing twice."""

from __future__ import annotations

import textwrap
import uuid

import orjson
from test_client import Outage, counts, make, spooled_events
from test_sdk_client import run_app

from flyloop import Flywheel, Store


def test_durable_mode_journals_each_call_and_deletes_what_was_delivered(store, tmp_path, settings):
    client = make(store, tmp_path, sdk_durable=True, sdk_flush_interval_s=3600, sdk_batch_size=1000)
    Outage(client)
    handles = [client.log("w", f"q{n}", id=f"d-{n}") for n in range(20)]
    handles[0].thumbs_up(id="d-s0")
    journal = tmp_path / "spool" / "journal"
    (segment,) = journal.glob("*.jsonl")
    lines = [orjson.loads(line) for line in segment.read_bytes().splitlines()]
    assert [event["id"] for _, event in lines] == [f"d-{n}" for n in range(20)] + ["d-s0"]
    assert lines[0] == ["interactions", {"id": "d-0", "workload": "w", "input": "q0", "ts": lines[0][1]["ts"]}]
    client.close(timeout=0.3)  # the store is down: everything is spooled, so the journal goes
    assert list(journal.iterdir()) == [] and len(spooled_events(tmp_path / "spool")) == 21


def test_durable_mode_rotates_the_journal_once_a_batch_is_stored(store, tmp_path, settings):
    client = make(store, tmp_path, sdk_durable=True)
    for n in range(50):
        client.log("w", f"q{n}")
    assert client.flush()
    journal = tmp_path / "spool" / "journal"
    assert [p.stat().st_size for p in journal.glob("*.jsonl")] == [0]  # only the fresh segment, empty
    client.close()
    assert list(journal.iterdir()) == []


KILLED = textwrap.dedent("""
    import os, signal, sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4],
                          sdk_durable=True, sdk_flush_interval_s=3600, sdk_batch_size=100000)
    for n in range(int(sys.argv[5])):
        fw.log("w", f"q{n}", id=f"k-{n}").thumbs_up(id=f"k-s{n}")
    os.kill(os.getpid(), signal.SIGKILL)  # before anything was sent: only the journal has them
""")


def test_an_app_killed_with_sigkill_in_durable_mode_loses_nothing_and_stores_nothing_twice(
    database_url, tmp_path, settings
):
    project = f"kill-{uuid.uuid4().hex[:8]}"
    spool = tmp_path / "spool"
    done = run_app(KILLED, database_url, tmp_path, project, "3000", spool=spool)
    assert done.returncode == -9, done.stderr
    assert sum(len(p.read_bytes().splitlines()) for p in (spool / "journal").glob("*.jsonl")) == 6000
    fw = Flywheel(database_url=database_url, home=str(tmp_path / "home"), project=project, spool_dir=spool)
    try:
        assert fw.flush(timeout=30) is True
        assert fw.stats.sent == 6000
    finally:
        fw.close()
    db = Store(database_url)
    try:
        assert counts(db, project) == {"interactions": 3000, "signals": 3000, "outcomes": 0}
    finally:
        db.close()
    assert list((spool / "journal").iterdir()) == [] and list(spool.glob("*.json")) == []
