"""The SDK's background sender: the app's thread only appends to a queue; this does the I/O.

A log call costs one ``deque.append``. A daemon thread drains the queue in batches (by count or
by time), validates each event, and hands the batch to a *sink*: the store directly (local
transport) or the flyloop server (HTTP transport). When a sink fails (server down, store
locked), the batch goes to an on-disk spool, written atomically and fsynced, and is retried with
the same ids until it is acknowledged; the server's idempotent ingest turns a retry of a batch it
already stored into a no-op. The spool is replayed first on every start, so a restarted app
sends what its previous run could not.

Events that break a rule (found here, off the app's thread) are never sent and never silently
dropped: each is written with its error to ``rejected.jsonl`` beside the spool, counted in
``stats.rejected`` and logged.
"""

from __future__ import annotations

import collections
import logging
import os
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
import orjson
import pydantic

from . import errors
from .models import IngestBatch, InteractionIn, OutcomeIn, SignalIn, translate

log = logging.getLogger("flyloop.sdk")

KIND_MODELS = {"interactions": InteractionIn, "signals": SignalIn, "outcomes": OutcomeIn}


class Sink(Protocol):
    """Where batches go. ``send`` returns once the batch is durably stored, or raises
    :class:`flyloop.errors.TransportError` (retry later) or a ``ValidationError`` (never retry)."""

    def send(self, batch: IngestBatch) -> None: ...

    def close(self) -> None: ...


class LocalSink:
    def __init__(self, capture: Any, project_id: str) -> None:
        self.capture = capture
        self.project_id = project_id

    def send(self, batch: IngestBatch) -> None:
        try:
            self.capture.ingest(self.project_id, batch)
        except errors.StoreError as exc:
            raise errors.TransportError(str(exc)) from exc

    def close(self) -> None:
        pass


class HTTPSink:
    def __init__(self, url: str, api_key: str, timeout_s: float = 10.0) -> None:
        self.client = httpx.Client(base_url=url.rstrip("/"), timeout=timeout_s,
                                   headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"})

    def send(self, batch: IngestBatch) -> None:
        body = orjson.dumps(batch.model_dump(mode="json", exclude_defaults=True))
        try:
            response = self.client.post("/v1/ingest", content=body)
        except httpx.HTTPError as exc:
            raise errors.TransportError(f"server unreachable: {exc}") from exc
        if response.status_code == 200:
            return
        try:
            detail = response.json()
        except ValueError:
            detail = {"message": response.text[:200]}
        message = detail.get("message", str(detail))
        if response.status_code in (400, 413, 422):
            # The data is at fault (malformed, too large, breaks a rule): retrying cannot help.
            raise errors.ValidationError(message, field=detail.get("field"))
        # 401/403 (a wrong key), 429 and 5xx: keep the batch and retry; the data is not at fault.
        raise errors.TransportError(f"server answered {response.status_code}: {message}")

    def close(self) -> None:
        self.client.close()


@dataclass
class SenderStats:
    sent: int = 0
    spooled: int = 0
    rejected: int = 0
    overflowed: int = 0
    batches: int = 0
    failures: int = 0


class Spool:
    """Batches waiting on disk, one JSON file each, replayed oldest first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._seq = 0

    def put(self, events: list[tuple[str, dict[str, Any]]]) -> Path:
        with self._lock:
            self._seq += 1
            name = f"{time.time_ns():020d}-{os.getpid()}-{self._seq:06d}.json"
        data = orjson.dumps(events)  # before the file exists: a failure leaves nothing behind
        tmp = self.folder / (name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        final = self.folder / name
        os.replace(tmp, final)
        return final

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.json"))

    def load(self, path: Path) -> list[tuple[str, dict[str, Any]]]:
        return [tuple(e) for e in orjson.loads(path.read_bytes())]

    def reject(self, event: tuple[str, dict[str, Any]], error: errors.FlyloopError) -> None:
        record = {"kind": event[0], "event": event[1], "error": error.to_dict(), "at": time.time()}
        try:
            line = orjson.dumps(record, default=repr)
        except orjson.JSONEncodeError:  # a lone surrogate: keep the event as its repr, never lose the record
            line = orjson.dumps({**record, "event": ascii(event[1])})
        with self._lock, open(self.folder / "rejected.jsonl", "ab") as fh:
            fh.write(line + b"\n")


class Sender:
    """Bounded queue + batching thread + spool. ``put`` is the only call on the app's thread."""

    def __init__(self, sink: Sink, spool_dir: Path, *, queue_size: int = 100_000, batch_size: int = 500,
                 flush_interval_s: float = 0.5, max_backoff_s: float = 30.0,
                 limits: dict[str, int] | None = None) -> None:
        self.sink = sink
        self.context = {"limits": limits} if limits else None
        self.spool = Spool(spool_dir)
        self.queue_size = queue_size
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.max_backoff_s = max_backoff_s
        self.stats = SenderStats()
        self._queue: collections.deque[tuple[str, dict[str, Any]]] = collections.deque()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._stop = False
        self._backoff = 0.0
        self._thread = threading.Thread(target=self._run, name="flyloop-sender", daemon=True)
        self._thread.start()

    # --- the app's thread -------------------------------------------------------------------

    def put(self, kind: str, event: dict[str, Any]) -> None:
        queue = self._queue
        if len(queue) >= self.queue_size:
            self._overflow((kind, event))
            return
        queue.append((kind, event))
        if len(queue) >= self.batch_size and not self._wake.is_set():  # is_set: no lock taken
            self._wake.set()

    def _overflow(self, event: tuple[str, dict[str, Any]]) -> None:
        # Backpressure without loss: the queue is full (the sink is far behind), so the oldest
        # batch and this event go to disk in one file, replayed before the queue. The app pays
        # one fsync per batch, not per event; this is the only path where it pays any I/O.
        spill = []
        try:
            while len(spill) < self.batch_size - 1:
                spill.append(self._queue.popleft())
        except IndexError:  # the sender thread emptied the queue meanwhile
            pass
        spill.append(event)
        self._spool(spill)
        self.stats.overflowed += len(spill)

    # --- control ----------------------------------------------------------------------------

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Send everything queued and spooled; True when nothing is left undelivered."""
        deadline = None if timeout is None else time.monotonic() + timeout
        self._backoff = 0.0
        while True:
            self._idle.clear()
            self._wake.set()
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not self._idle.wait(remaining):
                return False
            if not self._queue and not self.spool.files():
                return True
            if self._backoff and (deadline is None or time.monotonic() + 0.05 < deadline):
                # The sink is failing; wait out a short pause rather than spinning.
                time.sleep(min(0.2, remaining or 0.2))
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                continue
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def close(self, timeout: float = 10.0) -> bool:
        delivered = self.flush(timeout)
        self._stop = True
        self._wake.set()
        self._thread.join(timeout=max(1.0, timeout))
        # Whatever is still in memory goes to disk, to be sent by the next run.
        leftover = []
        while self._queue:
            leftover.append(self._queue.popleft())
        if leftover:
            self.stats.spooled += self._spool(leftover)
        self.sink.close()
        return delivered and not leftover

    @property
    def pending(self) -> int:
        return len(self._queue)

    # --- the sender's thread ----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait(self._backoff or self.flush_interval_s)
            self._wake.clear()
            try:
                self._drain()
            except Exception:  # never let the thread die: the app would silently lose events
                log.exception("flyloop sender failed; retrying")
                self._backoff = min(self.max_backoff_s, max(0.5, self._backoff * 2))
            self._idle.set()

    def _drain(self) -> None:
        for path in self.spool.files():
            try:
                events = self.spool.load(path)
            except (OSError, ValueError) as exc:
                # Kept aside, never deleted: a person can inspect it; the rest keeps flowing.
                log.error("flyloop: spool file %s is unreadable (%s); moved aside as .corrupt", path, exc)
                path.replace(path.with_suffix(".corrupt"))
                continue
            left = self._deliver(events)
            if left:
                if len(left) != len(events):  # some were stored or rejected: keep only the rest
                    self._spool(left)
                    path.unlink(missing_ok=True)
                return
            path.unlink(missing_ok=True)
        while self._queue:
            events = []
            while self._queue and len(events) < self.batch_size:
                events.append(self._queue.popleft())
            left = self._deliver(events)
            if left:
                self.stats.spooled += self._spool(left)
                while self._queue:  # the sink is down: move the rest to disk too
                    rest = []
                    while self._queue and len(rest) < self.batch_size:
                        rest.append(self._queue.popleft())
                    self.stats.spooled += self._spool(rest)
                return

    def _deliver(self, events: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        """Send ``events``; returns those still to deliver later (empty when every one is stored
        or rejected on record). Events rejected here are never returned, so a retry cannot
        reject (and count) them twice."""
        batch, good = self._validate(events)
        if not good:
            return []
        try:
            self.sink.send(batch)
        except errors.ValidationError as exc:
            # The server's limits are stricter than ours: isolate the bad events by halving.
            if len(good) == 1:
                self._reject(good[0], exc)
                return []
            middle = len(good) // 2
            left = self._deliver(good[:middle])
            return left + good[middle:] if left else self._deliver(good[middle:])
        except Exception as exc:
            # TransportError (server down, store locked) and anything unforeseen alike: the
            # events are kept and retried with the same ids, never dropped with the exception.
            if not isinstance(exc, errors.TransportError):
                log.exception("flyloop: unexpected error sending a batch")
            self.stats.failures += 1
            self._backoff = min(self.max_backoff_s, max(0.25, self._backoff * 2)) * (0.8 + 0.4 * random.random())
            log.warning("flyloop: %s; %d events kept for retry", exc, len(good))
            return good
        self._backoff = 0.0
        self.stats.sent += len(good)
        self.stats.batches += 1
        return []

    def _validate(self, events: list[tuple[str, dict[str, Any]]]) -> tuple[IngestBatch, list]:
        parts: dict[str, list] = {"interactions": [], "signals": [], "outcomes": []}
        good = []
        for event in events:
            kind, data = event
            try:
                parts[kind].append(KIND_MODELS[kind].model_validate(data, context=self.context))
                good.append(event)
            except pydantic.ValidationError as exc:
                self._reject(event, translate(exc))
            except Exception as exc:  # a rule that crashed on odd input: on record, not lost
                self._reject(event, errors.ValidationError(f"the event could not be validated: {exc!r}"))
        return IngestBatch.model_construct(**parts), good

    def _spool(self, events: list[tuple[str, dict[str, Any]]]) -> int:
        """Write events to the spool; returns how many. One that cannot be written as JSON (a set
        in its metadata, say) is rejected on record rather than sinking the others with it."""
        try:
            self.spool.put(events)
            return len(events)
        except orjson.JSONEncodeError:
            keep = []
            for event in events:
                try:
                    orjson.dumps(event)
                    keep.append(event)
                except orjson.JSONEncodeError as exc:
                    self._reject(event, errors.ValidationError(f"cannot be stored as JSON: {exc}"))
            if keep:
                self.spool.put(keep)
            return len(keep)

    def _reject(self, event: tuple[str, dict[str, Any]], error: errors.FlyloopError) -> None:
        self.stats.rejected += 1
        self.spool.reject(event, error)
        log.error("flyloop: rejected a %s event (id %s): %s", event[0][:-1], event[1].get("id"), error)
