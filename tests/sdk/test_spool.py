"""What the SDK keeps on the app's disk (flyloop.sdk.spool): batches, rejected records without
identifying strings, 0600 files, and a user's erasure from them."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from flyloop import ValidationError
from flyloop.sdk.sender import Spool, forget_user
from flyloop.sdk.spool import hash_user


def rejected_lines(spool: Path) -> list[dict[str, Any]]:
    path = spool / "rejected.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def spooled_events(spool: Path) -> list[list[Any]]:
    return [event for path in sorted(spool.glob("*.json")) for event in orjson.loads(path.read_bytes())]


def test_a_rejected_record_hashes_an_id_sent_with_the_wrong_type_and_redacts_unknown_fields(tmp_path):
    folder = tmp_path / "spool"
    spool = Spool(folder)
    spool.reject(
        (
            "interactions",
            {
                "id": "i1",
                "workload": "w",
                "input": "q",
                "user_id": 4155550123,
                "email": "priya.r@example.org",
                "session_id": "s-1",
            },
        ),
        ValidationError("session_id s-1 is not allowed here", field="session_id"),
    )
    (record,) = rejected_lines(folder)
    key = bytes.fromhex((folder / "rejected.key").read_text())
    assert record["event"] == {
        "id": "i1",
        "workload": "w",
        "input": "q",
        "user_id": hash_user(key, "4155550123"),
        "email": "<EMAIL_ADDRESS>",
        "session_id": hash_user(key, "s-1"),
    }
    assert record["error"]["message"] == f"session_id {hash_user(key, 's-1')} is not allowed here"
    spool.reject(
        ("interactions", {"id": "i2", "workload": "w", "user_id": "1"}),
        ValidationError("output is over 100 characters (101)"),
    )
    assert rejected_lines(folder)[1]["error"]["message"] == "output is over 100 characters (101)"  # "1" as a word only


def test_spool_batches_journal_segments_and_rejected_records_are_created_0600(tmp_path):
    from flyloop.sdk.journal import Journal

    previous = os.umask(0o022)  # the usual umask, which would leave a plain open() world-readable
    try:
        folder = tmp_path / "spool"
        spool = Spool(folder)
        batch = spool.put([("interactions", {"id": "i1", "workload": "w", "input": "q", "user_id": "u"})])
        spool.reject(("interactions", {"id": "i2", "workload": ""}), ValidationError("empty", field="workload"))
        journal = Journal(folder / "journal")
        assert journal.write(b'["interactions",{"id":"i3"}]\n')
        (segment,) = (folder / "journal").glob("*.jsonl")
    finally:
        os.umask(previous)
    modes = {path.name: path.stat().st_mode & 0o777 for path in (batch, segment, folder / "rejected.jsonl")}
    assert modes == {batch.name: 0o600, segment.name: 0o600, "rejected.jsonl": 0o600}


def test_forget_user_removes_outcomes_joined_by_their_join_key_unless_another_user_shares_it(tmp_path):
    folder = tmp_path / "spool"
    spool = Spool(folder)
    spool.put(
        [
            ("interactions", {"id": "i1", "workload": "w", "input": "q", "user_id": "alice", "join_key": "order-1"}),
            ("interactions", {"id": "i2", "workload": "w", "input": "q", "user_id": "alice", "join_key": "cart-9"}),
            ("interactions", {"id": "i3", "workload": "w", "input": "q", "user_id": "bob", "join_key": "cart-9"}),
            ("outcomes", {"id": "o1", "name": "paid", "join_key": "order-1"}),
            ("outcomes", {"id": "o2", "name": "paid", "join_key": "cart-9"}),
        ]
    )
    spool.reject(("outcomes", {"id": "o3", "name": "", "join_key": "order-1"}), ValidationError("empty", field="name"))

    assert forget_user(folder, "alice") == {"spool": 3, "journal": 0, "rejected": 1}
    assert [event["id"] for _, event in spooled_events(folder)] == ["i3", "o2"]
    assert rejected_lines(folder) == []


def test_forget_user_removes_every_event_of_theirs_from_the_spool_journal_and_rejected(tmp_path):
    folder = tmp_path / "spool"
    spool = Spool(folder)
    mixed = spool.put(
        [
            ("interactions", {"id": "i1", "workload": "w", "input": "q", "user_id": "alice"}),
            ("signals", {"id": "s1", "interaction_id": "i1", "kind": "thumbs_up"}),  # about hers
            ("interactions", {"id": "i2", "workload": "w", "input": "q", "user_id": "bob"}),
            ("signals", {"id": "s2", "interaction_id": "i2", "kind": "thumbs_up", "actor": "alice"}),
        ]
    )
    only_hers = spool.put([("outcomes", {"id": "o1", "interaction_id": "i1", "name": "resolved"})])
    (folder / "journal").mkdir()
    segment = folder / "journal" / "00000000000000000001-1-000001.jsonl"
    segment.write_bytes(
        b'["interactions",{"id":"i3","workload":"w","input":"q","user_id":"alice"}]\n'
        b'["interactions",{"id":"i4","workload":"w","input":"q","user_id":"carol"}]\n'
    )
    spool.reject(
        ("interactions", {"id": "i5", "workload": "", "user_id": "alice"}), ValidationError("empty", field="workload")
    )
    spool.reject(
        ("interactions", {"id": "i6", "workload": "", "user_id": "bob"}), ValidationError("empty", field="workload")
    )

    assert forget_user(folder, "alice") == {"spool": 4, "journal": 1, "rejected": 1}
    assert orjson.loads(mixed.read_bytes()) == [
        ["interactions", {"id": "i2", "workload": "w", "input": "q", "user_id": "bob"}]
    ]
    assert not only_hers.exists()
    assert [orjson.loads(line)[1]["id"] for line in segment.read_bytes().splitlines()] == ["i4"]
    assert [line["event"]["id"] for line in rejected_lines(folder)] == ["i6"]
    assert sorted(p.name for p in folder.rglob("*.tmp")) == []
    assert forget_user(folder, "alice") == {"spool": 0, "journal": 0, "rejected": 0}
    assert forget_user(tmp_path / "never-made", "alice") == {"spool": 0, "journal": 0, "rejected": 0}
    with pytest.raises(ValidationError):
        forget_user(folder, "")


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Every ``os.write`` fails as on a full disk until the returned switch is turned off."""
    switch = {"on": 1, "calls": 0}
    real = os.write

    def write(fd: int, data: Any) -> int:
        if switch["on"]:
            switch["calls"] += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    return switch


def test_a_spool_write_that_fails_leaves_nothing_behind(tmp_path, monkeypatch):
    spool = Spool(tmp_path / "spool")
    _disk_full(monkeypatch)
    with pytest.raises(OSError):
        spool.put([("interactions", {"id": "a"})])
    assert list((tmp_path / "spool").iterdir()) == []
