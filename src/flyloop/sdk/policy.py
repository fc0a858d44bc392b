"""The served policy, and the SDK's policy cache.

::

    policy = fw.policy("support-reply", user_id="u-42", default={"system_prompt": "Be brief."})
    messages = policy.messages(question, tone="warm")     # system prompt, examples, the question
    answer = my_llm(messages)                             # or: policy.generate(question, tone="warm")
    policy.log(question, answer)                          # names the version and the examples served

**Locally** (the client writes the store) a resolution is read from the store and kept in memory
for ``policy_ttl_s``: from there ``fw.policy()`` costs about a microsecond.

**Through a server** the client keeps each workload's resolution in memory for ``policy_ttl_s``,
then revalidates it (``If-None-Match``: a 304 costs no body), and writes every new one to a disk
cache under ``$FLYLOOP_HOME/cache/``, so an app restarted while the server is away still serves its
last known version. A bank is downloaded once per revision (its id, and the count of examples
erasure has taken out: a new revision replaces the old file) and searched here when its embedder
loads here; else the server's resolve route retrieves the examples. No call waits on the server
longer than ``policy_timeout_s``: then the last known version, else the ``default`` given in code
(an unregistered version, ``policy.is_default``), else :class:`flyloop.errors.Unavailable`. After a
failure the client does not ask again for ``policy_ttl_s`` (it serves what it has meanwhile).

An authoritative answer is not a failure: a workload the server does not know, or one without a
production version, is the server's NotFound (or the ``default``), and a refused key its AuthError.

What an interaction records: ``policy.log`` sets ``policy_version`` to the version's id and adds
each example the same input was served (through this client, among the last
:data:`SERVED_MEMORY` inputs) to ``context_ids`` as ``example:<id>``
(:func:`flyloop.rollout.served_example_ids` reads them back).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from flyloop import errors
from flyloop.registry import PolicySpec, PolicyVersion, parse_spec, render_messages
from flyloop.rollout import (
    REASON_DEFAULT,
    Resolution,
    check_input,
    check_k,
    check_user,
    check_workload,
    open_bank,
    search,
    served_context_ids,
)
from flyloop.rollout import examples as bank_examples
from flyloop.sdk.transport import Local, Remote, answer_error, api_path

if TYPE_CHECKING:
    from flyloop.improve import Generation
    from flyloop.sdk.client import Flywheel, Interaction
    from flyloop.settings import Settings
    from flyloop.store import Store

log = logging.getLogger("flyloop.sdk.policy")

SERVED_MEMORY = 1024  # inputs whose served examples a client remembers for policy.log
Default = PolicySpec | Mapping[str, Any] | None


CLASSIFIER_K = 10  # neighbours a classifier version with k=0 votes over (the classifier backend's default)


class Policy:
    """The version one request runs: ``.version`` (a :class:`flyloop.registry.PolicyVersion`),
    ``.workload``, ``.user_id``, ``.reason`` ('production', or 'default' for the one given in
    code), ``.is_default``, and ``.stale`` (served from cache while the server is away)."""

    __slots__ = ("_cache", "_fw", "bank", "reason", "stale", "user_id", "version", "workload")

    def __init__(
        self,
        fw: Flywheel,
        cache: PolicyCache,
        resolution: Resolution,
        user_id: str | None,
        stale: bool = False,
    ) -> None:
        self._fw = fw
        self._cache = cache
        self.workload = resolution.workload
        self.version = resolution.version
        self.reason = resolution.reason
        self.bank = resolution.bank
        self.user_id = user_id
        self.stale = stale

    @property
    def is_default(self) -> bool:
        return self.reason == REASON_DEFAULT

    def __repr__(self) -> str:
        return f"Policy({self.workload!r}, version={self.version.id!r}, reason={self.reason!r})"

    def examples(self, input: str | list[dict[str, str]], k: int | None = None) -> list[Any]:
        """The examples of the version's bank retrieved for ``input`` (``k``: the version's by
        default), by its selector; each has ``id``, ``interaction_id``, ``input``, ``output``,
        ``label`` and ``score``. Empty when the version has no bank."""
        input = check_input(input)
        shown = self._cache.examples(self, input, k)
        self._cache.served.remember(self.version.id, input, [e.id for e in shown])
        return shown

    def messages(self, input: str | list[dict[str, str]], **variables: Any) -> list[dict[str, str]]:
        """The chat messages to send for ``input``: the system prompt, each retrieved example as a
        user and an assistant turn, then the input through the template with ``variables``."""
        shown = self.examples(input)
        return render_messages(self.version, input, shown, **variables)

    def generate(self, input: str | list[dict[str, str]], **variables: Any) -> Generation:
        """Send :meth:`messages` through the version's backend and model (its options and
        generation parameters from ``params``): the :class:`flyloop.improve.Generation` it answered.
        A ``classifier`` version (a choice workload's kNN vote) votes over the examples its bank
        retrieves for ``input`` (``k``: the version's, else 10), here or through the server as
        :meth:`examples` does: a :class:`flyloop.improve.Classification` whose ``scores`` hold the
        share of each label met among them. A classifier version whose ``model`` is a trained head
        (``hd_...``) classifies ``input`` through it instead: every label's calibrated probability."""
        from flyloop.improve import CLASSIFIER, HeadClassifier, backend_for, generation_params, vote

        if self.version.backend == CLASSIFIER:
            head = backend_for(self.version, self._fw.settings) if self.version.model not in (None, "knn") else None
            if isinstance(head, HeadClassifier):
                return head.classify(check_input(input))
            started = time.perf_counter()
            neighbours = self.examples(input, self.version.k or CLASSIFIER_K)
            if not neighbours:
                raise errors.BackendError(
                    f"policy {self.version.id}'s bank {self.version.bank!r} retrieved no examples to vote", field="bank"
                )
            return vote(neighbours, model=f"knn:{self.version.bank}", started=started)
        messages = self.messages(input, **variables)
        if self.version.reranker:  # best of n by a reward model (flyloop.improve.rerank)
            from flyloop.improve import generate_best_of

            return generate_best_of(self.version, messages, input, self._fw.settings)
        return backend_for(self.version, self._fw.settings).generate(messages, **generation_params(self.version))

    async def agenerate(self, input: str | list[dict[str, str]], **variables: Any) -> Generation:
        """:meth:`generate` in a worker thread, for asyncio apps."""
        import asyncio

        return await asyncio.to_thread(self.generate, input, **variables)

    def log(
        self,
        input: str | list[dict[str, str]],
        output: str | Generation | None = None,
        *,
        context_ids: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> Interaction:
        """Log the interaction through the client (``fw.log``), naming this version
        (``policy_version``) and the examples this input was served (``context_ids`` entries
        ``example:<id>``, after the app's own). ``output`` may be the Generation
        :meth:`generate` answered: its text, tokens and latency are recorded. ``user_id``
        defaults to the policy's; the rest are ``fw.log``'s arguments."""
        text = output
        if output is not None and not isinstance(output, str):
            text = output.text
            for name in ("tokens_in", "tokens_out", "latency_ms"):
                if getattr(output, name, None) is not None:
                    kwargs.setdefault(name, getattr(output, name))
        kwargs.setdefault("user_id", self.user_id)
        served = self._cache.served.recall(self.version.id, input)
        return self._fw.log(
            self.workload,
            input,
            text,  # type: ignore[arg-type]
            policy_version=self.version.id,
            context_ids=served_context_ids(served, context_ids or ()),
            **kwargs,
        )


class Served:
    """Which examples each recent input was served, per version: what ``policy.log`` records.
    Bounded (the oldest input is forgotten first); a dict's operations are atomic under the GIL."""

    def __init__(self, capacity: int = SERVED_MEMORY) -> None:
        self.capacity = capacity
        self._ids: dict[tuple[str, str], list[str]] = {}

    @staticmethod
    def _key(version_id: str, input: Any) -> tuple[str, str]:
        return version_id, input if isinstance(input, str) else orjson.dumps(input).decode()

    def remember(self, version_id: str, input: Any, ids: list[str]) -> None:
        key = self._key(version_id, input)
        self._ids.pop(key, None)
        self._ids[key] = ids
        while len(self._ids) > self.capacity:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del self._ids[next(iter(self._ids))]

    def recall(self, version_id: str, input: Any) -> list[str]:
        return self._ids.get(self._key(version_id, input), [])


def default_resolution(workload: str, default: PolicySpec | Mapping[str, Any]) -> Resolution:
    """The version given in code for when none can be resolved: checked like a registered one (a
    PolicySpec, or its fields with ``workload`` filled in), with the id the registry would give
    it, but never registered (``created_by`` is 'default')."""
    if not isinstance(default, PolicySpec | Mapping):
        raise errors.ValidationError("default must be a PolicySpec or a mapping of its fields", field="default")
    try:
        spec = parse_spec(default if isinstance(default, PolicySpec) else {"workload": workload, **default})
    except errors.ValidationError as exc:
        raise errors.ValidationError(f"the default policy: {exc.message}", field=f"default.{exc.field}") from None
    if spec.workload != workload:
        raise errors.ValidationError(
            f"the default policy is for workload {spec.workload!r}, not {workload!r}", field="default.workload"
        )
    version = PolicyVersion(
        **spec.definition(),
        id=spec.digest(),
        created_by="default",
        note="the default given in code; not registered",
        created_at=0.0,
    )
    return Resolution(workload, version, REASON_DEFAULT)


class PolicyCache(ABC):
    """Resolutions kept in memory for ``policy_ttl_s``; a miss goes to :meth:`_resolve`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ttl = settings.policy_ttl_s
        self.served = Served()
        # workload -> (fresh until, on the monotonic clock; the resolution; whether it is stale)
        self._memory: dict[str, tuple[float, Resolution, bool]] = {}
        # workload -> (until when; the answer): a workload without a version is not asked for
        # again within the TTL either, so an app serving its default per request does not pay
        # a store read or a round trip each time.
        self._missing: dict[str, tuple[float, errors.FlyloopError]] = {}

    def policy(self, fw: Flywheel, workload: str, user_id: str | None = None, default: Default = None) -> Policy:
        """The policy ``user_id`` runs for ``workload`` (see :meth:`flyloop.Flywheel.policy`)."""
        # The hot path: one dict look-up and a clock read. The user does not change the version
        # today; experiments will pick an arm from the cached workload plan, per user, here.
        hit = self._memory.get(workload) if isinstance(workload, str) else None
        if hit is not None and hit[0] > time.monotonic():
            if user_id is not None:
                check_user(user_id)
            return Policy(fw, self, hit[1], user_id, hit[2])
        check_workload(workload)
        check_user(user_id)
        missing = self._missing.get(workload)
        if missing is not None and missing[0] > time.monotonic():
            return self._default(fw, workload, user_id, default, missing[1])
        return self._resolve(fw, workload, user_id, default)

    def cached(self, fw: Flywheel, workload: str, user_id: str | None = None) -> Policy | None:
        """The policy if it is in memory and fresh, without waiting on anything; else None."""
        hit = self._memory.get(workload)
        if hit is not None and hit[0] > time.monotonic() and isinstance(workload, str):
            return Policy(fw, self, hit[1], check_user(user_id), hit[2])
        return None

    def forget(self) -> None:
        """Drop every resolution from memory: the next call resolves again."""
        self._memory.clear()
        self._missing.clear()

    def _keep(self, resolution: Resolution, stale: bool = False, ttl: float | None = None) -> None:
        ttl = self.ttl if ttl is None else ttl
        self._missing.pop(resolution.workload, None)
        self._memory[resolution.workload] = (time.monotonic() + ttl, resolution, stale)

    def _absent(self, workload: str, error: errors.NotFound) -> None:
        self._memory.pop(workload, None)
        self._missing[workload] = (time.monotonic() + self.ttl, error)

    def _default(
        self, fw: Flywheel, workload: str, user_id: str | None, default: Default, error: errors.FlyloopError
    ) -> Policy:
        if default is None:  # a fresh error each time: a remembered one would grow its traceback
            raise type(error)(error.message, field=error.field, **error.details)
        return Policy(fw, self, default_resolution(workload, default), user_id)

    @abstractmethod
    def _resolve(self, fw: Flywheel, workload: str, user_id: str | None, default: Default) -> Policy:
        """The policy for this request from the source behind the cache (the store, or a server)."""

    @abstractmethod
    def examples(self, policy: Policy, input: str | list[dict[str, str]], k: int | None) -> list[Any]:
        """The examples of ``policy``'s bank for ``input``, searched where this cache can."""


class LocalPolicies(PolicyCache):
    """Resolved from the store this client writes."""

    def __init__(self, store: Store, project: str, settings: Settings) -> None:
        super().__init__(settings)
        self.store = store
        self.project = project

    def _resolve(self, fw: Flywheel, workload: str, user_id: str | None, default: Default) -> Policy:
        from flyloop.rollout import resolve

        try:
            found = resolve(self.store, self.project, workload, user_id)
        except errors.NotFound as exc:
            self._absent(workload, exc)
            return self._default(fw, workload, user_id, default, exc)
        except errors.StoreError as exc:
            return self._default(fw, workload, user_id, default, exc)
        self._keep(found)
        return Policy(fw, self, found, user_id)

    def examples(self, policy: Policy, input: str | list[dict[str, str]], k: int | None) -> list[Any]:
        return bank_examples(self.store, self.project, policy.version, input, k, settings=self.settings)


# --- through a server --------------------------------------------------------------------------


def cache_folder(home: str | os.PathLike[str], server_url: str, api_key: str) -> Path:
    """This client's disk cache: one folder per server and key (a key belongs to one project, so
    two apps of different projects on one host never read each other's copies)."""
    digest = hashlib.sha256(f"{server_url.rstrip('/')}\n{api_key}".encode()).hexdigest()[:16]
    return Path(home) / "cache" / digest


class _Pending:
    """One background fetch: callers wait on it as long as their bound allows, and a fetch that
    outlives them still lands in the cache for the next call."""

    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class RemotePolicies(PolicyCache):
    """Resolved by the server, revalidated with ETags, kept on disk for when the server is away."""

    def __init__(self, remote: Remote, settings: Settings, folder: Path) -> None:
        super().__init__(settings)
        self.remote = remote
        self.timeout = settings.policy_timeout_s
        self.folder = folder
        self._lock = threading.Lock()
        self._inflight: dict[tuple[str, str], _Pending] = {}
        self._quiet_until: dict[str, float] = {}  # workload -> no request before (after a failure)
        self._failure: dict[str, errors.FlyloopError] = {}
        self._banks: dict[str, Any] = {}  # bank revision -> a searchable bank, or None (search remotely)

    # --- resolutions --------------------------------------------------------------------------

    def _resolve(self, fw: Flywheel, workload: str, user_id: str | None, default: Default) -> Policy:
        known = self._memory.get(workload)
        last = known[1] if known else self._read_disk(workload)
        now = time.monotonic()
        if now < self._quiet_until.get(workload, 0.0):  # the server failed lately: do not wait again
            failure = self._failure.get(workload) or errors.Unavailable("the server is unavailable")
            return self._fallback(fw, workload, user_id, default, last, failure)
        etag = last.etag if last else None
        pending = self._background(("policy", workload), lambda: self._fetch(workload, etag, last))
        if not pending.done.wait(self.timeout):
            failure = errors.Unavailable(f"the server did not answer within {self.timeout:g} s")
            return self._fallback(fw, workload, user_id, default, last, failure)
        if pending.error is None:
            return Policy(fw, self, pending.value, user_id)
        error = pending.error
        if isinstance(error, errors.TransportError | errors.Unavailable | errors.RateLimited):
            return self._fallback(fw, workload, user_id, default, last, error)
        if isinstance(error, errors.NotFound):
            return self._default(fw, workload, user_id, default, error)
        raise error

    def _fallback(
        self,
        fw: Flywheel,
        workload: str,
        user_id: str | None,
        default: Default,
        last: Resolution | None,
        failure: errors.FlyloopError,
    ) -> Policy:
        quiet = max(self.ttl, self.timeout)
        self._quiet_until[workload] = time.monotonic() + quiet
        self._failure[workload] = failure
        if last is not None:
            self._keep(last, stale=True, ttl=quiet)
            return Policy(fw, self, last, user_id, stale=True)
        if default is not None:
            return Policy(fw, self, default_resolution(workload, default), user_id)
        raise errors.Unavailable(
            f"no version of workload {workload!r} is known here and the server cannot say: {failure.message}; "
            "pass default= to fw.policy() to serve one given in code",
            field="workload",
        ) from failure

    def _fetch(self, workload: str, etag: str | None, last: Resolution | None) -> Resolution:
        """One revalidation (on a background thread): updates memory and disk, or raises."""
        response = self._get(api_path("v1", "policies", workload), etag)
        if response.status_code == 304 and last is not None:
            found = last
        elif response.status_code == 200:
            try:
                found = Resolution.from_dict(response.json())
            except (ValueError, KeyError, TypeError) as exc:  # a newer server's fields, a proxy's page
                raise errors.TransportError(f"the server's answer for {workload!r} could not be read: {exc}") from exc
            self._fetch_artifacts(found.version)  # before the resolution is kept: never one without its files
            self._write_disk(found)
        else:
            error = answer_error(response)
            if isinstance(error, errors.NotFound):  # the server's word: forget the copies
                self._absent(workload, error)
                with contextlib.suppress(OSError):
                    self._policy_path(workload).unlink(missing_ok=True)
            raise error
        self._quiet_until.pop(workload, None)
        self._keep(found)
        if found.bank is not None:
            self._prefetch(found.bank.id, found.bank.revision)
        return found

    def _fetch_artifacts(self, version: PolicyVersion) -> None:
        """Bring the artifacts ``version`` names (an adapter ``ad_…``, a classifier's head ``hd_…``
        as its model, a reranker ``rm_…``) into this machine's home, once each, whole
        (:func:`flyloop.sdk.artifacts.fetch`), where the backends load them by id. A failure is
        the server's unavailability to the caller: it serves what it had, and the next call tries
        again."""
        from flyloop.improve import is_artifact_id
        from flyloop.sdk.artifacts import fetch

        for name in (version.adapter, version.model, version.reranker):
            if isinstance(name, str) and is_artifact_id(name):
                try:
                    fetch(self.remote, name)
                except errors.FlyloopError as exc:
                    raise errors.Unavailable(
                        f"artifact {name} of version {version.id} could not be fetched: {exc}", field="artifact"
                    ) from exc

    def _get(self, path: str, etag: str | None = None) -> Any:
        import httpx

        headers = {"If-None-Match": etag} if etag else None
        try:
            # Twice the caller's bound: the caller stops waiting first (and serves what it has),
            # while a slow answer still lands in the cache for the next call.
            return self.remote.sink.client.get(path, headers=headers, timeout=2 * self.timeout)
        except httpx.HTTPError as exc:
            raise errors.TransportError(f"server unreachable: {exc}") from exc

    def _background(self, key: tuple[str, str], work: Callable[[], Any]) -> _Pending:
        with self._lock:
            pending = self._inflight.get(key)
            if pending is not None:
                return pending
            pending = self._inflight[key] = _Pending()
        thread = threading.Thread(target=self._run, args=(key, pending, work), name="flyloop-policy", daemon=True)
        thread.start()
        return pending

    def _run(self, key: tuple[str, str], pending: _Pending, work: Callable[[], Any]) -> None:
        try:
            pending.value = work()
        except BaseException as exc:  # handed to the waiting caller, which decides
            pending.error = exc
        finally:
            with self._lock:
                self._inflight.pop(key, None)
            pending.done.set()

    # --- the disk cache -------------------------------------------------------------------------

    def _policy_path(self, workload: str) -> Path:
        return self.folder / "policies" / (hashlib.sha256(workload.encode()).hexdigest()[:32] + ".json")

    def _read_disk(self, workload: str) -> Resolution | None:
        try:
            found = orjson.loads(self._policy_path(workload).read_bytes())
            return Resolution.from_dict(found) if found.get("workload") == workload else None
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:  # a torn or foreign file: ignore it
            log.warning("policy cache file for %r unreadable: %s", workload, exc)
            return None

    def _write_disk(self, found: Resolution) -> None:
        path = self._policy_path(found.workload)
        try:
            _write_atomically(path, orjson.dumps(found.as_dict()))
        except OSError as exc:  # a full or read-only disk costs the outage fallback, not the call
            log.warning("could not write the policy cache %s: %s", path, exc)

    # --- examples -------------------------------------------------------------------------------

    def examples(self, policy: Policy, input: str | list[dict[str, str]], k: int | None) -> list[Any]:
        version = policy.version
        k = check_k(version.k if k is None else k)
        if not version.bank or k == 0:
            return []
        # A default given in code names a bank but no revision: its copy is keyed by the bank id.
        revision = policy.bank.revision if policy.bank else version.bank
        if revision not in self._banks:
            if revision != version.bank and (self.folder / "banks" / f"{revision}.npz").is_file():
                self._load_bank(version.bank, revision)  # on this disk already: no network, no wait
            else:
                self._prefetch(version.bank, revision)
        bank = self._banks.get(revision)
        if bank is not None:
            return search(bank, version, input, k, settings=self.settings)
        return self._examples_from_server(policy, input, k)

    def _examples_from_server(self, policy: Policy, input: Any, k: int) -> list[Any]:
        """The examples the server's resolve route retrieves, within ``policy_timeout_s``."""
        from flyloop.improve import BankExample

        body = {"input": input, "k": k, "version": policy.version.id, "messages": False}
        if policy.user_id is not None:
            body["user_id"] = policy.user_id
        path = api_path("v1", "policies", policy.workload, "resolve")

        def ask() -> Any:
            return self.remote.sink.client.post(path, content=orjson.dumps(body), timeout=2 * self.timeout)

        pending = self._background(("examples", f"{id(body)}"), ask)
        failure = None
        if not pending.done.wait(self.timeout):
            failure = f"did not answer within {self.timeout:g} s"
        elif pending.error is not None:
            if isinstance(pending.error, errors.FlyloopError) and not isinstance(pending.error, errors.TransportError):
                raise pending.error
            failure = f"did not answer: {pending.error}"
        if failure is not None:
            raise errors.Unavailable(
                f"bank {policy.version.bank!r} cannot be searched here and the server {failure}", field="bank"
            )
        response = pending.value
        if response.status_code != 200:
            raise answer_error(response)
        return [BankExample(**e) for e in response.json()["examples"]]

    def _prefetch(self, bank_id: str, revision: str) -> None:
        """Start downloading a bank's revision (once) if no copy of it is open here yet."""
        if revision not in self._banks:
            self._background(("bank", revision), lambda: self._load_bank(bank_id, revision))

    def _load_bank(self, bank_id: str, wanted: str) -> Any:
        """Open a bank's copy (on a background thread): from the disk cache when this revision is
        there, else downloaded once. None when its embedder does not load here (the server's
        resolve route searches it then). ``wanted``: the revision the resolution named, or the
        bank id alone (a default's bank: whatever revision the server has)."""
        folder = self.folder / "banks"
        path = folder / f"{wanted}.npz"
        if wanted == bank_id or not path.is_file():  # a bank id alone: ask for the server's revision
            response = self.remote.sink.client.get(
                api_path("v1", "banks", bank_id, "download"), timeout=max(self.timeout, 60.0)
            )
            if response.status_code != 200:
                raise answer_error(response)
            path = folder / f"{response.headers['X-Flyloop-Bank-Revision']}.npz"
            _write_atomically(path, response.content)
            for older in folder.glob(f"{bank_id}.*.npz"):  # an erasure made a new revision: the old copy goes
                if older != path:
                    with contextlib.suppress(OSError):
                        older.unlink()
        try:
            bank = open_bank(path.read_bytes(), self.settings)
        except (errors.FlyloopError, ImportError) as exc:
            log.info("bank %s is searched by the server: its embedder does not load here (%s)", bank_id, exc)
            bank = None
        except (OSError, ValueError, KeyError) as exc:  # a torn copy: the next call downloads it again
            log.warning("bank copy %s unreadable, removed: %s", path, exc)
            path.unlink(missing_ok=True)
            return None
        self._banks[wanted] = bank
        return bank


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def policy_cache(transport: Local | Remote, settings: Settings) -> PolicyCache:
    """The cache a client's ``fw.policy()`` reads, for its transport."""
    if isinstance(transport, Local):
        return LocalPolicies(transport.store, transport.project, settings)
    folder = cache_folder(settings.home, str(settings.server_url), str(settings.api_key))
    return RemotePolicies(transport, settings, folder)
