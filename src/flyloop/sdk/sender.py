"""The SDK's background sender: the app's thread only appends to a queue; this does the I/O.

A log call costs one ``deque.append``. A daemon thread drains the queue in batches (by count or
by time), validates each event, and hands the batch to a *sink*: the store directly (local
transport) or the flyloop server (HTTP transport). When a sink fails (server down, store
locked), the batch goes to an on-disk spool, written atomically and fsynced, and is retried with
the same ids until it is acknowledged; the server's idempotent ingest turns a retry of a batch it
already stored into a no-op. The spool is replayed first on every start, so a restarted app
sends what its previous run could not.

Events that break a rule (found here, off the app's thread) are never sent and never silently
dropped: each is written with its error to ``rejected.jsonl`` beside the spool (scrubbed, see
:mod:`flyloop.sdk.spool`), counted in ``stats.rejected`` and logged.

What can still go wrong, and what the sender does:

- *The disk under the spool is full.* A log call never raises for it. The sender keeps what it
  could not spool in memory; only when memory is full too (or at ``close``) is an event dropped,
  and then it is counted in ``stats.dropped``, warned about once, and the next ``flush`` returns
  False.
- *The server was down.* Retries back off, capped at ``sdk_max_backoff_s``; meanwhile a cheap
  probe (``GET /healthz``) every ``PROBE_INTERVAL_S`` ends the wait as soon as it answers.
- *A wrong key (401/403).* Retrying cannot help: sending stops for this client, the events stay
  in the spool for one with a working key, ``stats.auth_failed`` is set and ``flush`` raises the
  :class:`flyloop.errors.AuthError` once.
- *The app is killed* (``kill -9``): with ``sdk_durable`` on, each log call is in the journal
  before it returns (see :mod:`flyloop.sdk.journal`), and the next client replays it.
"""

from __future__ import annotations

import collections
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import orjson
import pydantic

from flyloop import errors
from flyloop.events import IngestBatch, InteractionIn, OutcomeIn, SignalIn, translate
from flyloop.sdk.journal import Journal
from flyloop.sdk.journal import replay as replay_journal
from flyloop.sdk.spool import Spool, forget_user

if TYPE_CHECKING:
    from flyloop.capture import Capture

__all__ = ["HTTPSink", "LocalSink", "Sender", "SenderStats", "Sink", "Spool", "forget_user"]

log = logging.getLogger("flyloop.sdk.client")

# During a sustained burst the local transport labels at most this often (each catch-up takes
# every batch stored since the last one); a drain that empties the queue labels at once.
AFTER_DELIVERY_EVERY_S = 1.0

KIND_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "interactions": InteractionIn,
    "signals": SignalIn,
    "outcomes": OutcomeIn,
}


class Sink(Protocol):
    """Where batches go. ``send`` returns once the batch is durably stored, or raises
    :class:`flyloop.errors.TransportError` (retry later) or a ``ValidationError`` (never retry)."""

    def send(self, batch: IngestBatch) -> None: ...

    def probe(self) -> bool:
        """True when a send would likely succeed now; cheap (no batch)."""
        ...

    def close(self) -> None: ...


class LocalSink:
    def __init__(self, capture: Capture, project_id: str) -> None:
        self.capture = capture
        self.project_id = project_id
        self._catch_up_failing = False

    def send(self, batch: IngestBatch) -> None:
        try:
            self.capture.ingest(self.project_id, batch)
        except errors.StoreError as exc:
            raise errors.TransportError(str(exc)) from exc

    def catch_up(self) -> bool:
        """The local transport labels what it stored (:func:`flyloop.labels.catch_up`), on the
        sender's thread, once per drain (a burst of batches is labelled together), before the
        drain counts as done: so ``flush()`` returning True means stored and labelled, and a
        label read right after it is fresh without the read writing. A failure (a locked store,
        say) answers False: the outbox keeps what is not labelled yet, and the sender runs this
        again at its next drain (the next flush's), logging only the first failure in a row."""
        from flyloop import labels

        try:
            labels.catch_up(self.capture.store, self.project_id, settings=self.capture.settings)
        except Exception:
            if not self._catch_up_failing:
                log.exception("flyloop: the label catch-up after delivery failed; the next drain tries again")
            self._catch_up_failing = True
            return False
        self._catch_up_failing = False
        return True

    def probe(self) -> bool:
        return False  # no cheaper test than the send itself: wait out the (capped) backoff

    def close(self) -> None:
        pass


class HTTPSink:
    def __init__(self, url: str, api_key: str, timeout_s: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.client = httpx.Client(
            base_url=self.url,
            timeout=timeout_s,
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        )

    def probe(self) -> bool:
        try:
            return self.client.get("/healthz", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def send(self, batch: IngestBatch) -> None:
        body = orjson.dumps(batch.model_dump(mode="json", exclude_defaults=True))
        try:
            response = self.client.post("/v1/ingest", content=body)
        except httpx.HTTPError as exc:
            raise errors.TransportError(f"server unreachable: {exc}") from exc
        if response.status_code == 200:
            return
        raise _answer_error(response)

    def close(self) -> None:
        self.client.close()


def _answer_error(response: httpx.Response) -> errors.FlyloopError:
    try:
        detail = response.json()
    except ValueError:
        detail = {"message": response.text[:200]}
    if not isinstance(detail, dict):
        detail = {"message": str(detail)[:200]}
    message = str(detail.get("message", detail))
    status = response.status_code
    if status in (400, 413, 422):
        # The data is at fault (malformed, too large, breaks a rule): retrying cannot help.
        return errors.ValidationError(message, field=detail.get("field"))
    if status in (401, 403):
        # The key is at fault: no retry can help either, but the events are not to blame.
        cls = errors.PermissionDenied if status == 403 else errors.AuthError
        return cls(f"the server refused the API key ({status}: {message})")
    if status == 404:
        return errors.NotFound(message, field=detail.get("field"))
    # 429 and 5xx: keep the batch and retry; the data is not at fault.
    return errors.TransportError(f"server answered {status}: {message}")


@dataclass
class SenderStats:
    """What the sender did. ``dropped``: events lost because neither the disk nor memory could
    hold them (a full disk); ``journal_failures``: log calls that reached the queue but not the
    durable journal; ``auth_failed``: the server refused the key, so sending stopped."""

    sent: int = 0
    spooled: int = 0
    rejected: int = 0
    overflowed: int = 0
    batches: int = 0
    failures: int = 0
    dropped: int = 0
    journal_failures: int = 0
    auth_failed: bool = False


PROBE_INTERVAL_S = 0.5


class Sender:
    """Bounded queue + batching thread + spool. ``put`` is the only call on the app's thread."""

    def __init__(
        self,
        sink: Sink,
        spool_dir: Path,
        *,
        queue_size: int = 100_000,
        batch_size: int = 500,
        flush_interval_s: float = 0.5,
        max_backoff_s: float = 5.0,
        limits: dict[str, float] | None = None,
        durable: bool = False,
        durable_fsync: bool = False,
        after_delivery: Callable[[], bool | None] | None = None,
    ) -> None:
        self.sink = sink
        # Run on this thread after deliveries: when a drain leaves the queue empty (a burst ended,
        # or a flush is waiting on it) and at most every AFTER_DELIVERY_EVERY_S during a burst;
        # one that answers False failed and stays owed, for the next drain.
        self.after_delivery = after_delivery
        self._after_owed = False
        self._after_at = 0.0
        self.context = {"limits": limits} if limits else None
        self.spool = Spool(spool_dir)
        self.journal = Journal(spool_dir / "journal", fsync=durable_fsync) if durable else None
        self.queue_size = queue_size
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.max_backoff_s = max_backoff_s
        self.stats = SenderStats()
        self._queue: collections.deque[tuple[str, dict[str, Any]]] = collections.deque()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._stop = False
        self._backoff = 0.0  # the current pause between retries; doubles on each failure
        self._retry_at = 0.0  # monotonic time before which only probes are made
        self._probe_at = 0.0
        self._auth_error: errors.AuthError | None = None
        self._auth_raised = False
        self._dropped_seen = 0  # stats.dropped when flush last reported it
        self._warned: set[str] = set()
        self.spool.scrubber.load()  # here, not on the sender's thread at the first rejection
        self._thread = threading.Thread(target=self._run, name="flyloop-sender", daemon=True)
        self._thread.start()

    # --- the app's thread -------------------------------------------------------------------

    def put(self, kind: str, event: dict[str, Any]) -> None:
        journal = self.journal
        if journal is None:
            self._enqueue(kind, event)
            return
        try:
            line = orjson.dumps((kind, event)) + b"\n"
        except (orjson.JSONEncodeError, TypeError):  # not JSON at all: rejected on record, nothing to replay
            self._enqueue(kind, event)
            return
        with journal.lock:
            if not journal.write(line):
                self.stats.journal_failures += 1
                self._warn_once(
                    "journal",
                    "flyloop: the durable journal could not be written (disk full?); "
                    "events are still queued but not crash-safe until it can; see stats.journal_failures",
                )
            self._enqueue(kind, event)

    def _enqueue(self, kind: str, event: dict[str, Any]) -> None:
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
        spill: list[tuple[str, dict[str, Any]]] = []
        try:
            while len(spill) < self.batch_size - 1:
                spill.append(self._queue.popleft())
        except IndexError:  # the sender thread emptied the queue meanwhile
            pass
        spill.append(event)
        written = self._spool(spill)
        if written is None:  # the disk is full and so is memory: nowhere left to keep them
            self._drop(len(spill))
        else:
            self.stats.overflowed += len(spill)  # rejected on record or on disk: either way off the queue

    def _drop(self, count: int) -> None:
        self.stats.dropped += count
        self._warn_once(
            "dropped",
            f"flyloop: the spool could not be written (disk full?) and the queue is full: "
            f"{count} events dropped; see stats.dropped (counted from now on without a warning)",
        )

    def _warn_once(self, what: str, message: str) -> None:
        if what not in self._warned:
            self._warned.add(what)
            log.warning(message)

    # --- control ----------------------------------------------------------------------------

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Send everything queued and spooled; True when nothing is left undelivered and nothing
        was dropped since the last flush. Raises :class:`flyloop.errors.AuthError` once when the
        server refused the key (the events are kept in the spool)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        self._retry_at = 0.0  # the caller is waiting: try now rather than at the end of a pause
        while True:
            self._raise_auth()
            self._idle.clear()
            self._wake.set()
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not self._idle.wait(remaining):
                return False
            self._raise_auth()
            if not self._queue and not self.spool.files():
                dropped_since, self._dropped_seen = self.stats.dropped - self._dropped_seen, self.stats.dropped
                return dropped_since == 0
            if self._auth_error is not None:
                return False
            if self._retry_at and (deadline is None or time.monotonic() + 0.05 < deadline):
                # The sink is failing; wait out a short pause rather than spinning.
                time.sleep(min(0.2, remaining or 0.2))
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                self._retry_at = 0.0
                continue
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def _raise_auth(self) -> None:
        if self._auth_error is not None and not self._auth_raised:
            self._auth_raised = True
            exc = self._auth_error
            raise type(exc)(
                f"{exc.message}; sending stopped, the events are kept in the spool "
                f"({self.spool.folder}) for a client with a working key (FLYLOOP_API_KEY)"
            )

    def close(self, timeout: float = 10.0) -> bool:
        try:
            delivered = self.flush(timeout)
        except errors.AuthError:
            delivered = False
        self._stop = True
        self._wake.set()
        self._thread.join(timeout=max(1.0, timeout))
        # Whatever is still in memory goes to disk, to be sent by the next run.
        leftover = []
        while self._queue:
            leftover.append(self._queue.popleft())
        lost = False
        if leftover:
            written = self._spool(leftover)
            if written is None:
                self._drop(len(leftover))
                lost = True
            else:
                self.stats.spooled += written
        if self.journal is not None:
            # Everything it holds is now stored or spooled, unless the spool failed just now
            # or the thread is still busy: then it is left for the next client to replay.
            self.journal.close(delivered=not lost and not self._thread.is_alive())
        self.sink.close()
        return delivered and not leftover

    @property
    def pending(self) -> int:
        return len(self._queue)

    # --- the sender's thread ----------------------------------------------------------------

    def _run(self) -> None:
        try:
            replay_journal(self.spool.folder / "journal", self.spool.put)
        except Exception:  # a full disk, say: the segments stay and are replayed next time
            log.exception("flyloop: could not replay the journal a previous run left")
        while not self._stop:
            now = time.monotonic()
            waiting = self._retry_at > now
            self._wake.wait(min(self._retry_at - now, PROBE_INTERVAL_S) if waiting else self.flush_interval_s)
            self._wake.clear()
            if self._stop:
                break
            if self._retry_at > time.monotonic() and not self._probe():
                self._idle.set()
                continue
            try:
                self._drain()
            except Exception:  # never let the thread die: the app would silently lose events
                log.exception("flyloop sender failed; retrying")
                self._failed()
                if self.journal is not None:
                    self.journal.abandon()
            self._idle.set()

    def _probe(self) -> bool:
        """During a pause, ask the sink (at most every ``PROBE_INTERVAL_S``) whether it is back."""
        now = time.monotonic()
        if now < self._probe_at:
            return False
        self._probe_at = now + PROBE_INTERVAL_S
        if self.sink.probe():
            self._retry_at = 0.0
            return True
        return False

    def _failed(self) -> None:
        self.stats.failures += 1
        self._backoff = min(self.max_backoff_s, max(0.25, self._backoff * 2))
        self._retry_at = time.monotonic() + self._backoff * (0.8 + 0.4 * random.random())
        self._probe_at = time.monotonic() + PROBE_INTERVAL_S

    def _drain(self) -> None:
        sent = self.stats.batches
        try:
            self._deliver_all()
        finally:
            self._after_owed = self._after_owed or self.stats.batches != sent
            if self._after_owed and self.after_delivery is not None:
                now = time.monotonic()
                # A flush returns only after a drain that emptied the queue: that one always runs it.
                if not self._queue or now >= self._after_at:
                    self._after_at = now + AFTER_DELIVERY_EVERY_S
                    self._after_owed = self.after_delivery() is False

    def _deliver_all(self) -> None:
        if self._auth_error is None:
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
                        if self._spool(left) is not None:
                            path.unlink(missing_ok=True)
                    return
                path.unlink(missing_ok=True)
        # Everything queued before this point was journalled in the segments retired here; once
        # it is stored, rejected or spooled, they go.
        if self.journal is not None:
            self.journal.rotate()
        while self._queue:
            events = []
            while self._queue and len(events) < self.batch_size:
                events.append(self._queue.popleft())
            left = events if self._auth_error is not None else self._deliver(events)
            if left:
                # The sink is down (or refuses the key): move this batch and the rest to disk.
                if not self._spool_or_requeue(left):
                    return
                while self._queue:
                    rest: list[tuple[str, dict[str, Any]]] = []
                    while self._queue and len(rest) < self.batch_size:
                        rest.append(self._queue.popleft())
                    if not self._spool_or_requeue(rest):
                        return
                break
        if self.journal is not None:
            self.journal.release()

    def _spool_or_requeue(self, events: list[tuple[str, dict[str, Any]]]) -> bool:
        """Spool ``events``; when the disk cannot take them, put them back at the head of the
        queue (memory is the last place left) and say so."""
        written = self._spool(events)
        if written is None:
            self._queue.extendleft(reversed(events))
            if not self._retry_at:
                self._failed()
            return False
        self.stats.spooled += written
        return True

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
        except errors.AuthError as exc:
            self.stats.failures += 1
            self.stats.auth_failed = True
            if self._auth_error is None:
                self._auth_error = exc
                log.error("flyloop: %s; sending stopped, events are kept in the spool (%s)", exc, self.spool.folder)
            return good
        except Exception as exc:
            # TransportError (server down, store locked) and anything unforeseen alike: the
            # events are kept and retried with the same ids, never dropped with the exception.
            if not isinstance(exc, errors.TransportError):
                log.exception("flyloop: unexpected error sending a batch")
            self._failed()
            log.warning("flyloop: %s; %d events kept for retry", exc, len(good))
            return good
        self._backoff = 0.0
        self._retry_at = 0.0
        self.stats.sent += len(good)
        self.stats.batches += 1
        return []

    def _validate(
        self, events: list[tuple[str, dict[str, Any]]]
    ) -> tuple[IngestBatch, list[tuple[str, dict[str, Any]]]]:
        parts: dict[str, list[Any]] = {"interactions": [], "signals": [], "outcomes": []}
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
        batch = IngestBatch.model_construct(
            interactions=parts["interactions"], signals=parts["signals"], outcomes=parts["outcomes"]
        )
        return batch, good

    def _spool(self, events: list[tuple[str, dict[str, Any]]]) -> int | None:
        """Write events to the spool; returns how many, or None when the disk refused (full,
        read-only): the caller decides where they go instead. One that cannot be written as JSON
        (a set in its metadata, say) is rejected on record rather than sinking the others."""
        try:
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
        except OSError as exc:
            self._warn_once(
                "spool",
                f"flyloop: cannot write the spool in {self.spool.folder} ({exc}); "
                "undelivered events stay in memory while it fails",
            )
            return None

    def _reject(self, event: tuple[str, dict[str, Any]], error: errors.FlyloopError) -> None:
        self.stats.rejected += 1
        try:
            self.spool.reject(event, error)
        except OSError as exc:
            self._warn_once(
                "rejected", f"flyloop: cannot write rejected.jsonl ({exc}); rejected events are only logged"
            )
        log.error(
            "flyloop: rejected a %s event (id %s): %s",
            event[0][:-1],
            event[1].get("id") if isinstance(event[1], dict) else None,
            error,
        )
