"""The durable mode's journal on its own: what a segment holds, which segments a starting client
replays, and what an OS crash's torn line costs. The SDK around it is tested in ``test_client.py``."""

from __future__ import annotations

import errno
import os
from typing import Any

import orjson

from flyloop.sdk.journal import Journal, read_segment, replay


def write(journal: Journal, kind: str, event: dict[str, Any]) -> bool:
    with journal.lock:
        return journal.write(orjson.dumps((kind, event)) + b"\n")


def test_a_live_segment_is_never_replayed_and_an_orphaned_one_is_replayed_once(tmp_path):
    folder = tmp_path / "journal"
    live = Journal(folder)
    assert write(live, "interactions", {"id": "live-1"})
    orphan = folder / "00000000000000000001-1-000001.jsonl"  # no process holds its lock
    orphan.write_bytes(b'["interactions",{"id":"a"}]\n["signals",{"id":"b","interaction_id":"a"}]\n')
    got: list[list[tuple[str, dict[str, Any]]]] = []
    assert replay(folder, got.append) == 2
    assert got == [[("interactions", {"id": "a"}), ("signals", {"id": "b", "interaction_id": "a"})]]
    assert sorted(folder.iterdir()) == [live.active()]
    assert replay(folder, got.append) == 0
    live.close(delivered=True)
    assert list(folder.iterdir()) == []


def test_a_torn_last_line_costs_that_line_only(tmp_path):
    segment = tmp_path / "s.jsonl"
    segment.write_bytes(b'["interactions",{"id":"a"}]\n["interactions",{"id":"b"}]\n["interactions",{"id"')
    assert read_segment(segment) == ([("interactions", {"id": "a"}), ("interactions", {"id": "b"})], 1)


def test_a_failed_write_is_cut_so_the_next_line_is_read_whole(tmp_path, monkeypatch):
    journal = Journal(tmp_path / "journal")
    assert write(journal, "interactions", {"id": "a"})
    real = os.write

    def half(fd: int, data: bytes) -> int:  # a full disk mid-line: part of it lands
        real(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half)
    assert write(journal, "interactions", {"id": "torn"}) is False
    monkeypatch.setattr(os, "write", real)
    assert write(journal, "interactions", {"id": "c"})
    assert read_segment(journal.active()) == ([("interactions", {"id": "a"}), ("interactions", {"id": "c"})], 0)
    assert journal.failures == 1
    journal.close(delivered=True)


def test_rotation_retires_the_written_segment_and_release_deletes_it(tmp_path):
    journal = Journal(tmp_path / "journal")
    assert journal.rotate() is False  # nothing written: nothing to retire
    first = journal.active()
    write(journal, "interactions", {"id": "a"})
    assert journal.rotate() is True
    assert journal.active() != first and first.exists()
    journal.release()
    assert not first.exists() and sorted((tmp_path / "journal").iterdir()) == [journal.active()]
    journal.close(delivered=False)  # kept for the next client
    assert [p.name for p in (tmp_path / "journal").iterdir()] == [journal.active().name]


def test_fsync_mode_flushes_each_write(tmp_path, monkeypatch):
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    journal = Journal(tmp_path / "journal", fsync=True)
    for n in range(3):
        write(journal, "interactions", {"id": str(n)})
    assert len(calls) == 3
    journal.close(delivered=True)
