"""The Python SDK: what the app calls.

::

    import flyloop

    fw = flyloop.Flywheel()                      # local: writes the embedded store
    fw = flyloop.Flywheel(server_url="http://flyloop:8000", api_key="fl_...")   # HTTP

    it = fw.log("support-reply", input=question, output=answer, user_id="u-42")
    it.thumbs_up()
    it.edit(corrected_text)
    fw.outcome("ticket_resolved", 1.0, interaction_id=it.id)

Every call returns at once: it builds a small dict and appends it to the sender's queue (see
:mod:`flyloop.sdk.sender`), so the app never waits on disk or network (in durable mode, one
``write()`` to the journal too). A log call never raises for an I/O reason: what cannot be
delivered is spooled, and what cannot even be spooled is counted in ``fw.stats.dropped``. Ids are made here, by the
client, so a retried send can never store an event twice. Cheap checks (a known signal kind, a
workload name) run on the call and raise at once; the full rules run on the sender's thread.
"""

from __future__ import annotations

import atexit
import itertools
import secrets
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flyloop import errors
from flyloop.capture import Capture, issue_feedback_token
from flyloop.events import KINDS
from flyloop.sdk.project import Verbs
from flyloop.sdk.sender import HTTPSink, LocalSink, Sender, SenderStats
from flyloop.sdk.spool import spool_folder
from flyloop.sdk.transport import AsyncNamespace, Local, Remote
from flyloop.settings import Settings
from flyloop.store import Store

if TYPE_CHECKING:
    from flyloop.sdk.policy import Policy, PolicyCache

# Strong references: a client the app dropped without close() still has events in its sender's
# queue, and the exit hooks below must deliver them (a WeakSet lost them when the client was
# collected first). A client leaves this set only through close().
_LIVE: set[Flywheel] = set()


def _deliver_before_teardown() -> None:
    # Runs inside threading's shutdown, before any atexit hook: the libraries an app imported
    # (spaCy, torch) tear their state down in atexit hooks, and redacting on the sender's thread
    # after that corrupted the heap (NER mode with torch: abort at exit). So everything logged
    # so far is delivered here, while they are whole; the client stays open, since the app's
    # non-daemon threads are still running and may log more.
    for fw in list(_LIVE):
        try:
            fw._exit_flushed = fw.flush(timeout=5.0)
        except Exception:  # a refused key, say: close() below keeps the events spooled
            fw._exit_flushed = False


@atexit.register
def _close_at_exit() -> None:
    # After the app's threads were joined: what they logged since is sent (usually nothing), the
    # sender thread is joined, and the rest is spooled. By then threading refuses new atexit
    # hooks, so nothing on this path may import lazily (concurrent.futures, torch): Flywheel()
    # loaded what the sender needs for that reason.
    for fw in list(_LIVE):
        fw.close(timeout=5.0 if fw._exit_flushed else 1.0)


# A private hook of the standard library's (3.9+; what concurrent.futures uses for the same
# reason). Without it, the atexit hook above does all the work.
_register_before_threads_join = getattr(threading, "_register_atexit", None)
if _register_before_threads_join is not None:
    _register_before_threads_join(_deliver_before_teardown)


class Interaction:
    """A handle on one logged interaction: signals about it read naturally from here."""

    __slots__ = ("fw", "id")

    def __init__(self, fw: Flywheel, interaction_id: str) -> None:
        self.fw = fw
        self.id = interaction_id

    def __repr__(self) -> str:
        return f"Interaction({self.id!r})"

    def signal(self, kind: str, value: float | None = None, **kwargs: Any) -> str:
        return self.fw.signal(self.id, kind, value, **kwargs)

    def thumbs_up(self, **kw: Any) -> str:
        return self.signal("thumbs_up", **kw)

    def thumbs_down(self, **kw: Any) -> str:
        return self.signal("thumbs_down", **kw)

    def rate(self, value: float, scale: tuple[float, float] = (1, 5), **kw: Any) -> str:
        return self.signal("rating", value, payload={"scale": list(scale)}, **kw)

    def edit(self, corrected_text: str, **kw: Any) -> str:
        return self.signal("edit", payload={"text": corrected_text}, **kw)

    def comment(self, text: str, **kw: Any) -> str:
        return self.signal("comment", payload={"text": text}, **kw)

    def choose(self, chosen: str, rejected: Sequence[str], **kw: Any) -> str:
        return self.signal("choice", payload={"chosen": chosen, "rejected": list(rejected)}, **kw)

    def accept(self, **kw: Any) -> str:
        return self.signal("accept", **kw)

    def reject(self, **kw: Any) -> str:
        return self.signal("reject", **kw)

    def copy(self, **kw: Any) -> str:
        return self.signal("copy", **kw)

    def regenerate(self, **kw: Any) -> str:
        return self.signal("regenerate", **kw)

    def requery(self, **kw: Any) -> str:
        return self.signal("requery", **kw)

    def follow_up(self, **kw: Any) -> str:
        return self.signal("follow_up", **kw)

    def abandon(self, **kw: Any) -> str:
        return self.signal("abandon", **kw)

    def dwell(self, seconds: float, **kw: Any) -> str:
        return self.signal("dwell", seconds, **kw)

    def escalate(self, **kw: Any) -> str:
        return self.signal("escalate", **kw)

    def outcome(self, name: str, value: float | None = None, **kw: Any) -> str:
        return self.fw.outcome(name, value, interaction_id=self.id, **kw)


class Flywheel(Verbs):
    """The client. Local when no ``server_url`` is set (``FLYLOOP_SERVER_URL`` included).

    Beside the hot path (``log``, ``signal``, ``outcome``), it carries the project's verbs, the
    same in both modes (see :mod:`flyloop.sdk.project`): ``fw.labels.get(id)``,
    ``fw.labels.explain(id)``, ``fw.datasets.build(...)``, ``fw.datasets.export(...)``,
    ``fw.users.erase(id)``, ``fw.privacy.policy()``. Remotely they need a key with the verb's
    scope (read, or admin for what changes data)."""

    def __init__(
        self,
        *,
        server_url: str | None = None,
        api_key: str | None = None,
        project: str | None = None,
        database_url: str | None = None,
        store: Store | None = None,
        settings: Settings | None = None,
        spool_dir: str | Path | None = None,
        **overrides: Any,
    ) -> None:
        self.settings = settings or Settings(
            server_url=server_url, api_key=api_key, project=project, database_url=database_url, **overrides
        )
        s = self.settings
        self.project = s.project
        self.capture: Capture | None = None
        folder = Path(spool_dir) if spool_dir else spool_folder(s.home, self.project)
        self.spool_dir = folder
        if s.server_url and store is None:
            if not s.api_key:
                raise errors.ConfigError("the HTTP transport needs an api_key (FLYLOOP_API_KEY)")
            sink: Any = HTTPSink(s.server_url, s.api_key, s.sdk_timeout_s)
            self.transport = "http"
            self._attach(Remote(sink, self.project, s, folder))
        else:
            self._own_store = store is None
            self.store = store or Store(s.database_url, synchronous=s.sqlite_synchronous)
            try:
                self.store.ensure_project(self.project)
                _load_redaction(self.store, self.project)
            except BaseException:
                if self._own_store:
                    self.store.close()
                raise
            self.capture = Capture(self.store, s)
            sink = LocalSink(self.capture, self.project)
            self.transport = "local"
            self._attach(Local(self.store, self.project, s, actor="sdk", spool_dir=folder))
        self._sink = sink
        self._sender = Sender(
            sink,
            folder,
            queue_size=s.sdk_queue_size,
            batch_size=s.sdk_batch_size,
            flush_interval_s=s.sdk_flush_interval_s,
            max_backoff_s=s.sdk_max_backoff_s,
            limits={
                "max_text_chars": s.max_text_chars,
                "max_payload_bytes": s.max_payload_bytes,
                "max_clock_skew_s": s.max_clock_skew_s,
            },
            durable=s.sdk_durable,
            durable_fsync=s.sdk_durable_fsync,
            after_delivery=sink.catch_up if isinstance(sink, LocalSink) else None,
        )
        self._prefix = secrets.token_hex(6)
        self._counter = itertools.count(1)
        self._closed = False
        self._exit_flushed = True
        _LIVE.add(self)

    # --- ids --------------------------------------------------------------------------------

    def new_id(self) -> str:
        """A unique id: 48 random bits per client, then a counter (no uuid4 on the hot path)."""
        return f"{self._prefix}{next(self._counter):010x}"

    # --- the hot path -----------------------------------------------------------------------

    def log(
        self,
        workload: str,
        input: str | list[dict[str, str]],
        output: str | None = None,
        *,
        user_id: str | None = None,
        session_id: str | None = None,
        id: str | None = None,
        ts: float | None = None,
        policy_version: str | None = None,
        latency_ms: float | None = None,
        tokens_in: int | None = None,
        tokens_out: int | None = None,
        cost: float | None = None,
        context_ids: Sequence[str] | None = None,
        metadata: dict[str, Any] | None = None,
        join_key: str | None = None,
        consent: str | None = None,
    ) -> Interaction:
        """Record one input and output of ``workload``; returns a handle for its signals.
        ``consent`` ('full', 'no_training', 'no_content') is the user's consent as the app knows
        it now; the privacy gate records the most restrictive of it and the user's stored state."""
        if self._closed:
            raise errors.ConfigError("this Flywheel is closed")
        if not workload or not isinstance(workload, str):
            raise errors.ValidationError("workload must be a non-empty string", field="workload")
        interaction_id = id or self.new_id()
        event: dict[str, Any] = {
            "id": interaction_id,
            "workload": workload,
            "input": input,
            "ts": ts if ts is not None else time.time(),
        }
        if output is not None:
            event["output"] = output
        if user_id is not None:
            event["user_id"] = user_id
        if session_id is not None:
            event["session_id"] = session_id
        if policy_version is not None:
            event["policy_version"] = policy_version
        if latency_ms is not None:
            event["latency_ms"] = latency_ms
        if tokens_in is not None:
            event["tokens_in"] = tokens_in
        if tokens_out is not None:
            event["tokens_out"] = tokens_out
        if cost is not None:
            event["cost"] = cost
        if context_ids:
            event["context_ids"] = list(context_ids)
        if metadata:
            event["metadata"] = metadata
        if join_key is not None:
            event["join_key"] = join_key
        if consent is not None:
            event["consent"] = consent
        self._sender.put("interactions", event)
        return Interaction(self, interaction_id)

    def signal(
        self,
        interaction_id: str,
        kind: str,
        value: float | None = None,
        *,
        payload: dict[str, Any] | None = None,
        source: str = "user",
        actor: str | None = None,
        ts: float | None = None,
        overrides: str | None = None,
        id: str | None = None,
    ) -> str:
        """Record that something happened to an interaction; returns the signal's id."""
        if self._closed:
            raise errors.ConfigError("this Flywheel is closed")
        if kind not in KINDS:
            raise errors.ValidationError(
                f"unknown signal kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}", field="kind"
            )
        signal_id = id or self.new_id()
        event: dict[str, Any] = {
            "id": signal_id,
            "interaction_id": interaction_id,
            "kind": kind,
            "ts": ts if ts is not None else time.time(),
            "source": source,
        }
        if value is not None:
            event["value"] = value
        if payload:
            event["payload"] = payload
        if actor is not None:
            event["actor"] = actor
        if overrides is not None:
            event["overrides"] = overrides
        self._sender.put("signals", event)
        return signal_id

    def outcome(
        self,
        name: str,
        value: float | None = None,
        *,
        interaction_id: str | None = None,
        join_key: str | None = None,
        payload: dict[str, Any] | None = None,
        ts: float | None = None,
        id: str | None = None,
    ) -> str:
        """Record a downstream result for one interaction, or for every one sharing ``join_key``."""
        if self._closed:
            raise errors.ConfigError("this Flywheel is closed")
        if (interaction_id is None) == (join_key is None):
            raise errors.ValidationError(
                "an outcome needs exactly one of interaction_id or join_key", field="interaction_id"
            )
        outcome_id = id or self.new_id()
        event: dict[str, Any] = {"id": outcome_id, "name": name, "ts": ts if ts is not None else time.time()}
        if value is not None:
            event["value"] = value
        if interaction_id is not None:
            event["interaction_id"] = interaction_id
        if join_key is not None:
            event["join_key"] = join_key
        if payload:
            event["payload"] = payload
        self._sender.put("outcomes", event)
        return outcome_id

    # --- policies ---------------------------------------------------------------------------

    _policies: PolicyCache | None = None

    def policy(self, workload: str, user_id: str | None = None, *, default: Any = None) -> Policy:
        """The policy version ``user_id``'s request to ``workload`` runs (today the workload's
        production version), with its prompt, its examples for an input and its model:
        ``policy.messages(input, **variables)``, ``policy.generate(input)``,
        ``policy.log(input, output)`` (see :mod:`flyloop.sdk.policy`). Cached for
        ``policy_ttl_s``; through a server, never waits past ``policy_timeout_s``: then the last
        known version, else ``default`` (a PolicySpec or its fields, served unregistered), else
        :class:`flyloop.errors.Unavailable`. NotFound for an unknown workload, or one without a
        production version, unless ``default`` is given."""
        policies = self._policies
        if policies is None:
            from flyloop.sdk.policy import policy_cache

            policies = self._policies = policy_cache(self._verbs_transport, self.settings)
        return policies.policy(self, workload, user_id, default)

    # --- browser feedback -------------------------------------------------------------------

    def feedback_token(
        self, interaction_id: str, *, kinds: Sequence[str] | None = None, ttl_s: float | None = None, max_uses: int = 1
    ) -> dict[str, Any]:
        """A signed token the app puts in its page so the browser can send up to ``max_uses``
        signals of ``kinds`` about one interaction to ``POST /v1/feedback`` without an API key:
        ``{"token", "expires_at", "kinds", "max_uses"}``. Minted by the server
        (``POST /v1/feedback-tokens``, an ingest key) or, locally, from the store's key."""
        ttl = self.settings.feedback_token_ttl_s if ttl_s is None else ttl_s
        if isinstance(kinds, str):  # one kind named on its own, not its letters
            kinds = [kinds]
        if self.capture is None:
            body: dict[str, Any] = {"interaction_id": interaction_id, "ttl_s": ttl, "max_uses": max_uses}
            if kinds is not None:
                body["kinds"] = list(kinds)
            # Through the handle's transport: a refusal is the error the server raised, as for its verbs.
            remote = self._verbs_transport
            assert isinstance(remote, Remote)
            return remote.call("POST", "/v1/feedback-tokens", body=body)
        return issue_feedback_token(
            self.store,
            self.project,
            interaction_id,
            ttl_s=ttl,
            kinds=list(kinds) if kinds is not None else None,
            max_uses=max_uses,
        )

    def erase_user(self, user_id: str) -> dict[str, Any]:
        """Erase a user everywhere this client reaches: the store (locally, or through the
        server's ``POST /v1/users/erase``, which needs an admin key) and this client's spool
        folder (waiting batches, journal, ``rejected.jsonl``), which only the app's host can
        reach. Returns the erasure's report, its ``spool`` counts those of this folder.
        The same as ``fw.users.erase(user_id)``."""
        return self.users.erase(user_id)

    # --- delivery ---------------------------------------------------------------------------

    @property
    def stats(self) -> SenderStats:
        """What the background sender did: ``sent``, ``spooled``, ``rejected``, ``overflowed``
        (queue full, went to disk), ``dropped`` (disk and memory full), ``failures``,
        ``journal_failures`` and ``auth_failed`` (the server refused the key)."""
        return self._sender.stats

    @property
    def pending(self) -> int:
        return self._sender.pending

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Block until everything logged so far is stored; False if the timeout came first (what
        is left stays queued or spooled, and is sent later) or if events were dropped since the
        last flush (``stats.dropped``). Raises :class:`flyloop.errors.AuthError` once when the
        server refused the API key: sending stops, and the events wait in the spool."""
        return self._sender.flush(timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Flush, stop the sender, and spool anything undelivered for the next run."""
        if self._closed:
            return True
        self._closed = True
        _LIVE.discard(self)
        delivered = self._sender.close(timeout)
        if self.capture is not None and self._own_store:
            self.store.close()
        return delivered

    def __enter__(self) -> Flywheel:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncFlywheel:
    """The same client for asyncio code. ``log``, ``signal`` and ``outcome`` never block, so they
    stay plain methods; ``flush`` and ``aclose`` wait in a worker thread, not on the event loop,
    and so do the project's verbs: ``await afw.labels.get(id)``, ``await afw.datasets.build(...)``."""

    def __init__(self, **kwargs: Any) -> None:
        self._fw = Flywheel(**kwargs)

    def log(self, *args: Any, **kwargs: Any) -> Interaction:
        return self._fw.log(*args, **kwargs)

    def signal(self, *args: Any, **kwargs: Any) -> str:
        return self._fw.signal(*args, **kwargs)

    def outcome(self, *args: Any, **kwargs: Any) -> str:
        return self._fw.outcome(*args, **kwargs)

    @property
    def stats(self) -> SenderStats:
        return self._fw.stats

    # The project's verbs (flyloop.sdk.project), awaited: ``await afw.labels.get(id)``. Each
    # runs in a worker thread, since it waits on the store or the server. One property per
    # namespace Verbs declares (set below the class), so a new stage's verbs arrive here too.
    interactions: Any
    labels: Any
    datasets: Any
    users: Any
    privacy: Any
    retention: Any

    async def policy(self, workload: str, user_id: str | None = None, *, default: Any = None) -> Policy:
        """:meth:`Flywheel.policy`: from memory at once when cached, else in a worker thread (it may
        read the store or wait on the server, up to ``policy_timeout_s``)."""
        import asyncio

        fw = self._fw
        if fw._policies is not None:
            cached = fw._policies.cached(fw, workload, user_id)
            if cached is not None:
                return cached
        return await asyncio.to_thread(fw.policy, workload, user_id, default=default)

    async def status(self) -> dict[str, Any]:
        import asyncio

        return await asyncio.to_thread(self._fw.status)

    async def erase_user(self, user_id: str) -> dict[str, Any]:
        import asyncio

        return await asyncio.to_thread(self._fw.erase_user, user_id)

    async def feedback_token(self, interaction_id: str, **kwargs: Any) -> dict[str, Any]:
        """:meth:`Flywheel.feedback_token`, in a worker thread (it may ask the server)."""
        import asyncio

        return await asyncio.to_thread(self._fw.feedback_token, interaction_id, **kwargs)

    async def flush(self, timeout: float | None = 30.0) -> bool:
        import asyncio

        return await asyncio.to_thread(self._fw.flush, timeout)

    async def aclose(self, timeout: float = 10.0) -> bool:
        import asyncio

        return await asyncio.to_thread(self._fw.close, timeout)

    async def __aenter__(self) -> AsyncFlywheel:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


def _awaited(name: str) -> property:
    return property(lambda self: AsyncNamespace(getattr(self._fw, name)), doc=f"``{name}``'s verbs, awaited.")


for _name in Verbs.__annotations__:
    setattr(AsyncFlywheel, _name, _awaited(_name))


def _load_redaction(store: Store, project: str) -> None:
    """Load the project's redaction engine now, on the caller's thread: a missing dependency is
    then one clear error from ``Flywheel()`` rather than a failure per batch on the sender's
    thread, and heavy imports (spaCy, torch) never run there, where an exiting interpreter can
    no longer import (``can't register atexit after shutdown``)."""
    from flyloop.privacy import load_redaction, privacy_policy

    mode = privacy_policy(store, project).redaction.mode
    try:
        load_redaction(mode)
    except errors.FlyloopError:
        raise
    except ImportError as exc:
        raise errors.ConfigError(
            f"redaction mode {mode!r} needs a package that is not installed ({exc.name or exc}): "
            "pip install 'flyloop[pii]'"
        ) from exc
