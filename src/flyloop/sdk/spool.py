"""What the SDK keeps on the app's disk, and how a user is erased from it.

A project's spool folder (``<home>/spool/<project>/``) holds:

- ``*.json``: batches waiting to be sent, one file each, ``[[kind, event], ...]``, written to a
  temporary file, fsynced and renamed, so a reader never sees half a batch;
- ``journal/*.jsonl``: the durable mode's append-only journal (see :mod:`flyloop.sdk.journal`);
- ``rejected.jsonl``: events that broke a rule, with their error, for a person to read. These
  never reach the server's privacy gate, so they are scrubbed here before they touch the disk:
  the ids that name a person or their doings (``user_id``, ``actor``, ``session_id``,
  ``join_key``) become a keyed hash (HMAC-SHA256 under ``rejected.key``, a random key of this
  folder's own, mode 0600), and every other string but the event's structure (its ids, kind,
  workload, name, source) goes through the pattern redactor, unknown fields included;
- ``rejected.key``: that key. Without it the hashes cannot be tested against guessed ids.

Batches and journal hold events as the app sent them (raw user ids, unredacted text) because
they are still to be delivered, and the server's gate does the redacting; like everything in the
folder they are created mode 0600. :func:`forget_user` removes a user's events from all three,
rewriting each file atomically; :func:`spool_eraser` is that removal as the step
:func:`flyloop.privacy.erasure.erase_user` takes from a surface that knows the folder (the SDK
client, the CLI): privacy itself never reaches into the app's disk.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from flyloop import errors
from flyloop.process import pid_alive

log = logging.getLogger("flyloop.sdk.client")

Event = tuple[str, dict[str, Any]]
KEY_FILE = "rejected.key"
REJECTED_FILE = "rejected.jsonl"
# Fields of a rejected event kept as they are: the event's own ids (what a person reading the
# record looks up, and what erasure matches signals by) and the words of its structure. Numbers
# and booleans are kept too. Anything else that is a string is redacted, unless hashed below.
STRUCTURE = ("id", "interaction_id", "overrides", "kind", "workload", "name", "source", "consent", "ts")
# Fields that identify a person (or a session, an order, an email used as a join key): hashed
# with the folder's key, so equal values stay equal and erasure can still match them.
HASHED_FIELDS = ("user_id", "actor", "session_id", "join_key")


def _write_atomically(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` or what it held before, never a part; no temporary file is left."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Spool:
    """Batches waiting on disk, one JSON file each, replayed oldest first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._seq = 0
        self.scrubber = Scrubber(folder)
        self._remove_stale_temporaries()

    def _remove_stale_temporaries(self) -> None:
        # A process killed inside ``put`` leaves its temporary file; the pid in the name says
        # whether its writer is gone (a live client beside us may be writing one right now).
        for tmp in self.folder.glob("*.tmp"):
            parts = tmp.name.split("-")
            if len(parts) >= 2 and parts[1].isdigit() and pid_alive(int(parts[1])):
                continue
            tmp.unlink(missing_ok=True)

    def put(self, events: list[Event]) -> Path:
        """Write one batch file; raises ``OSError`` (the disk is full, say), leaving nothing behind."""
        with self._lock:
            self._seq += 1
            name = f"{time.time_ns():020d}-{os.getpid()}-{self._seq:06d}.json"
        data = orjson.dumps(events)  # before the file exists: a failure leaves nothing behind
        final = self.folder / name
        _write_atomically(final, data)
        return final

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.json"))

    def load(self, path: Path) -> list[Event]:
        return [tuple(e) for e in orjson.loads(path.read_bytes())]

    def reject(self, event: Event, error: errors.FlyloopError) -> None:
        """Put a rejected event on record, scrubbed (see the module docstring)."""
        record = self.scrubber.record(event, error)
        try:
            line = orjson.dumps(record, default=repr)
        except orjson.JSONEncodeError:  # a lone surrogate: keep the event as its repr, never lose the record
            line = orjson.dumps({**record, "event": self.scrubber.text(ascii(record["event"]))})
        # 0600 like every file here (the umask would leave it world-readable): scrubbed is not public
        fd = os.open(self.folder / REJECTED_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        with self._lock, open(fd, "ab") as fh:
            fh.write(line + b"\n")


# --- scrubbing rejected events --------------------------------------------------------------


def folder_key(folder: Path, *, create: bool = True) -> bytes | None:
    """The folder's random key for hashing user ids, made (0600) on first use."""
    path = folder / KEY_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        if not create:
            return None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:  # another client made it first: use theirs
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def hash_user(key: bytes, raw: str) -> str:
    return "h_" + hmac.new(key, raw.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]


class Scrubber:
    """Hashes the identifying ids and redacts every other string of a rejected event before it
    is written (see the module docstring)."""

    WITHHELD = "[withheld: the redactor could not load]"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._key: bytes | None = None
        self._redact: Callable[[list[str]], list[str]] | None = None

    @property
    def key(self) -> bytes:
        if self._key is None:  # made with the first rejected record, not before
            self._key = folder_key(self.folder)
        return self._key  # type: ignore[return-value]

    def load(self) -> None:
        """Load the redactor now (it is otherwise loaded by the first rejected event)."""
        self._redactor()

    def _redactor(self) -> Callable[[list[str]], list[str]]:
        if self._redact is None:
            try:
                from flyloop.privacy import Redactor

                redactor = Redactor(mode="pattern")
                self._redact = lambda texts: [r.text for r in redactor.redact_many(texts)]
            except Exception as exc:  # never write raw text because a dependency is missing
                log.error("flyloop: the pattern redactor could not load (%s); rejected events keep no text", exc)
                self._redact = lambda texts: [self.WITHHELD] * len(texts)
        return self._redact

    def text(self, value: str) -> str:
        return self._redactor()([value])[0]

    def _value(self, value: Any) -> Any:
        from flyloop.privacy import json_replace, json_strings

        found = list(json_strings(value))
        if not found:
            return value
        redacted = self._redactor()([text for _, text in found])
        return json_replace(value, {path: text for (path, _), text in zip(found, redacted)})

    def record(self, event: Event, error: errors.FlyloopError) -> dict[str, Any]:
        kind, data = event
        message = error.to_dict()
        hashed: list[str] = []
        if isinstance(data, dict):
            data = dict(data)
            for name, value in data.items():
                if name in HASHED_FIELDS and value is not None:
                    # a rule broken by the type (an int user id, say) still hashes what was sent
                    raw = value if isinstance(value, str) else orjson.dumps(value, default=repr).decode()
                    hashed.append(raw)
                    data[name] = hash_user(self.key, raw)
                elif name not in STRUCTURE or not isinstance(value, (str, int, float, bool)):
                    data[name] = self._value(value)
        else:
            data = self._value(str(data))
        # An error message may quote what was sent: it gets the same treatment.
        text = str(message.get("message", ""))
        for raw in sorted(hashed, key=len, reverse=True):
            if raw:  # as a whole word: a user "1" leaves "100 characters" alone
                text = re.sub(rf"(?<!\w){re.escape(raw)}(?!\w)", hash_user(self.key, raw), text)
        message["message"] = self.text(text) if text else text
        if "details" in message:  # per-field problems may quote values too
            message["details"] = self._value(message["details"])
        return {"kind": kind, "event": data, "error": message, "at": time.time()}


# --- erasure --------------------------------------------------------------------------------


def _owned(event: Any, users: set[str], interactions: set[str]) -> bool:
    if not isinstance(event, dict):
        return False
    return event.get("user_id") in users or event.get("actor") in users or event.get("interaction_id") in interactions


def _rewrite_lines(path: Path, keep: Callable[[bytes], bool]) -> int:
    lines = path.read_bytes().splitlines()
    kept = [line for line in lines if not line.strip() or keep(line)]
    removed = len(lines) - len(kept)
    if removed:
        _write_atomically(path, b"".join(line + b"\n" for line in kept))
    return removed


def spool_folder(home: str | Path, project_id: str) -> Path:
    """The spool folder of a project under a home folder (``<home>/spool/<project>``), its name
    made safe for any file system."""
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in project_id) or "default"
    return Path(home) / "spool" / name


def spool_eraser(folder: str | Path) -> Callable[[str], dict[str, Any]]:
    """The erasure step for one spool folder: ``step(raw_user_id)`` removes the user's events (see
    :func:`forget_user`) and returns the counts, for ``erase_user(..., spool=step)``. The store's
    part is committed by the time it runs, so a folder it cannot reach is reported, not raised:
    the audit row is still written and the operator can run the erasure again."""

    def forget(user_id: str) -> dict[str, Any]:
        try:
            return dict(forget_user(Path(folder), user_id))
        except OSError as exc:
            return {"spool": 0, "journal": 0, "rejected": 0, "error": f"{type(exc).__name__}: {exc}"}

    return forget


def forget_user(spool_dir: Path, user_id: str) -> dict[str, int]:
    """Remove every event of ``user_id`` from a spool folder: their interactions, the signals
    and outcomes about those, and signals they acted on, in waiting batches, journal segments
    and ``rejected.jsonl`` (where ids are hashed). Each file is rewritten atomically or deleted
    when nothing is left. Returns how many events were removed, by file kind:
    ``{"spool": n, "journal": n, "rejected": n}``.

    A live client's journal segment is rewritten too; what that client appends to it afterwards
    is still delivered from memory, but is not crash-safe until its next rotation (at most one
    flush interval later)."""
    if not isinstance(user_id, str) or not user_id:
        raise errors.ValidationError("a user id must be a non-empty string", field="user_id")
    folder = Path(spool_dir)
    removed = {"spool": 0, "journal": 0, "rejected": 0}
    if not folder.is_dir():
        return removed
    key = folder_key(folder, create=False)
    users = {user_id} | ({hash_user(key, user_id)} if key else set())
    batches = sorted(folder.glob("*.json"))
    segments = sorted((folder / "journal").glob("*.jsonl"))
    rejected = folder / REJECTED_FILE

    # First the user's interactions, wherever they wait: a signal about one of them is theirs even
    # when it carries no actor (a thumbs up sent by the app), and so is an outcome joined by one
    # of their join keys that no other user's interaction here shares (the server's rule).
    interactions: set[Any] = set()  # ids as the events hold them, whatever their type
    join_keys: set[str] = set()
    shared_keys: set[str] = set()

    def note(kind: Any, event: Any, hashed: bool) -> None:
        if kind != "interactions" or not isinstance(event, dict):
            return
        mine = event.get("user_id") in users
        if mine:
            interactions.add(event.get("id"))
        join_key = event.get("join_key")
        if isinstance(join_key, str):
            # a rejected record holds the join key hashed; a batch or the journal holds it raw
            forms = {join_key} | ({hash_user(key, join_key)} if key and not hashed else set())
            (join_keys if mine else shared_keys).update(forms)

    for path in batches:
        try:
            for kind, event in orjson.loads(path.read_bytes()):
                note(kind, event, False)
        except (OSError, ValueError, TypeError):
            continue
    for path in segments:
        try:
            lines = path.read_bytes().splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                kind, event = orjson.loads(line)
            except (ValueError, TypeError):
                continue
            note(kind, event, False)
    if rejected.exists():
        for line in rejected.read_bytes().splitlines():
            try:
                record = orjson.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                note(record.get("kind"), record.get("event"), True)
    join_keys -= shared_keys

    def theirs(kind: str, event: Any) -> bool:
        if _owned(event, users, interactions):
            return True
        if not isinstance(event, dict):
            return False
        if kind == "interactions":
            return event.get("id") in interactions
        return kind == "outcomes" and event.get("join_key") in join_keys

    for path in batches:
        try:
            events = orjson.loads(path.read_bytes())
        except (OSError, ValueError):
            continue
        kept = [e for e in events if not theirs(e[0], e[1])]
        if len(kept) == len(events):
            continue
        removed["spool"] += len(events) - len(kept)
        if kept:
            _write_atomically(path, orjson.dumps(kept))
        else:
            path.unlink(missing_ok=True)

    def journal_keep(line: bytes) -> bool:
        try:
            kind, event = orjson.loads(line)
        except (ValueError, TypeError):
            return True
        return not theirs(kind, event)

    for path in segments:
        try:
            removed["journal"] += _rewrite_lines(path, journal_keep)
        except FileNotFoundError:  # rotated away meanwhile: its events were delivered
            continue

    def rejected_keep(line: bytes) -> bool:
        try:
            record = orjson.loads(line)
        except ValueError:
            return True
        return not (isinstance(record, dict) and theirs(record.get("kind", ""), record.get("event")))

    if rejected.exists():
        removed["rejected"] += _rewrite_lines(rejected, rejected_keep)
    return removed
