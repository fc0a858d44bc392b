"""The SDK's durable mode: every log call is appended to a local journal before it returns.

Without it an event lives only in the sender's memory until its batch is sent or spooled, so an
app killed with ``kill -9`` loses what was still queued. With ``sdk_durable`` on, the app's thread
writes the event as one JSON line, ``[kind, event]``, to an append-only *segment* file under
``<spool>/journal/`` with a single ``write()`` on a descriptor it keeps open. What that promises:

- A write that returned is in the kernel's page cache, which outlives the process: ``kill -9``,
  an unhandled exception or ``os._exit`` lose nothing.
- An OS crash or power loss can lose the page cache; ``sdk_durable_fsync`` adds an ``fsync`` per
  call (about a millisecond or more on a real disk instead of microseconds) for that case.

The sender thread *rotates* the journal: it opens a fresh segment for new calls, delivers (or
spools, which fsyncs) everything queued before the switch, then deletes the retired segments.
A segment's writer holds an exclusive ``flock`` on it for as long as it lives, so a starting
client replays only segments whose writer is gone (two processes may share one spool folder) and
never deletes a live one. Replay turns a segment into a spool file (same ids), so an event can be
sent twice only when it was in both; the server stores an id once, so that is harmless.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger("flyloop.sdk.client")

Event = tuple[str, dict[str, Any]]


class Journal:
    """Append-only segments of ``[kind, event]`` lines; ``append`` is the app thread's one call."""

    def __init__(self, folder: Path, *, fsync: bool = False) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fsync = fsync
        self.failures = 0
        self.lock = threading.Lock()
        self._seq = 0
        self._retired: list[tuple[Path, int]] = []
        self._path, self._fd = self._open()
        self._size = 0

    def _open(self) -> tuple[Path, int]:
        self._seq += 1
        path = self.folder / f"{time.time_ns():020d}-{os.getpid()}-{self._seq:06d}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return path, fd

    # --- the app's thread -------------------------------------------------------------------

    def write(self, line: bytes) -> bool:
        """Append one encoded line; the caller holds ``lock`` (and queues the event under it, so
        a rotation never sees a segment holding an event that is not yet queued). False when it
        could not be written (the disk is full, say): the event is then only not crash-safe."""
        fd = self._fd
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, "short write to the journal")
            if self.fsync:
                os.fsync(fd)
        except OSError:
            # A torn line would glue itself to the next one and hide it from replay: cut it.
            try:
                os.ftruncate(fd, self._size)
            except OSError:
                pass
            self.failures += 1
            return False
        self._size += written
        return True

    # --- the sender's thread ----------------------------------------------------------------

    def rotate(self) -> bool:
        """Start a fresh segment for new calls; the one before is retired, to be deleted by
        :meth:`release` once everything queued before this call is delivered or spooled. False
        when nothing was written since the last rotation (nothing to retire)."""
        with self.lock:
            if self._size == 0:
                return False
            try:
                path, fd = self._open()
            except OSError:
                return False  # keep writing to the current segment; it is retired next time
            self._retired.append((self._path, self._fd))
            self._path, self._fd, self._size = path, fd, 0
            return True

    def release(self) -> None:
        """Delete the retired segments: what they hold is stored, rejected on record or spooled."""
        retired, self._retired = self._retired, []
        for path, fd in retired:
            path.unlink(missing_ok=True)
            os.close(fd)

    def abandon(self) -> None:
        """Let go of the retired segments without deleting them (the sender failed midway, so
        what they hold may be neither stored nor spooled): the next client replays them."""
        retired, self._retired = self._retired, []
        for _, fd in retired:
            os.close(fd)

    def close(self, delivered: bool) -> None:
        """Close every segment; delete them when ``delivered`` (everything queued is stored or
        spooled), else leave them for the next client to replay."""
        with self.lock:
            segments = self._retired + [(self._path, self._fd)]
            self._retired = []
            self._fd = -1
        for path, fd in segments:
            if delivered:
                path.unlink(missing_ok=True)
            os.close(fd)

    def active(self) -> Path:
        return self._path


def _claim(path: Path) -> int | None:
    """A descriptor holding ``path``'s lock, or None when a live client writes it (or it is gone).
    Holding the lock while replaying keeps two starting clients from replaying one segment."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def read_segment(path: Path) -> tuple[list[Event], int]:
    """The events of one segment and how many lines could not be read (a line an OS crash cut)."""
    events, bad = [], 0
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        try:
            kind, event = orjson.loads(line)
        except (ValueError, TypeError):
            bad += 1
            continue
        events.append((kind, event))
    return events, bad


def replay(folder: Path, put: Callable[[list[Event]], Any]) -> int:
    """Hand every orphaned segment's events (its writer is gone) to ``put`` (the spool), then
    delete the segment; returns how many events. A segment ``put`` fails on stays for next time."""
    if not folder.is_dir():
        return 0
    total = 0
    for path in sorted(folder.glob("*.jsonl")):
        fd = _claim(path)
        if fd is None:
            continue
        try:
            if not path.exists():  # another client replayed it between our listing and our lock
                continue
            events, bad = read_segment(path)
            if bad:
                log.error("flyloop: %d unreadable lines in journal segment %s (cut by a crash?)", bad, path)
            if events:
                put(events)
            path.unlink(missing_ok=True)
            total += len(events)
        finally:
            os.close(fd)
    return total
