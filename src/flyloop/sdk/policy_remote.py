"""The SDK's policy cache through a server (see :mod:`flyloop.sdk.policy` for the whole story):
each workload's resolution kept in memory for ``policy_ttl_s`` and revalidated with its ETag, every
new one written to a disk cache under ``$FLYLOOP_HOME/cache/`` so that a restarted app serves its
last known version while the server is away, a bank downloaded once per revision and searched
here, the artifacts a version names fetched into the SDK's home, and no call waiting on the server
longer than ``policy_timeout_s``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import orjson

from flyloop import errors
from flyloop.registry import PolicyVersion
from flyloop.rollout import Resolution, check_k, open_bank, search
from flyloop.sdk.policy import Default, Policy, PolicyCache, default_resolution, log
from flyloop.sdk.transport import Remote, answer_error, api_path

if TYPE_CHECKING:
    from flyloop.sdk.client import Flywheel
    from flyloop.settings import Settings


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
        # The user goes along: while an experiment runs, the answer is theirs (Resolution.per_user).
        key = ("policy", f"{workload}\n{user_id or ''}")
        pending = self._background(key, lambda: self._fetch(workload, etag, last, user_id))
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
        if last is not None and not _anyones(last) and last.user_id != user_id:
            # Another user's arm of a running experiment: what the disk keeps is what every user
            # outside the candidate's arm is served (production), never someone's candidate.
            last = self._read_disk(workload)
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

    def _fetch(
        self, workload: str, etag: str | None, last: Resolution | None, user_id: str | None = None
    ) -> Resolution:
        """One revalidation (on a background thread): updates memory and disk, or raises."""
        path = api_path("v1", "policies", workload)
        response = self._get(path + (f"?{urlencode({'user_id': user_id})}" if user_id else ""), etag)
        if response.status_code == 304 and last is not None:
            found = replace(last, user_id=user_id) if last.per_user else last
        elif response.status_code == 200:
            try:
                found = Resolution.from_dict(response.json(), user_id)
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
        if not _anyones(found):
            return  # a candidate arm is one user's answer: the disk keeps what anyone may be served
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


def _anyones(found: Resolution) -> bool:
    """Whether ``found`` may answer any user of its workload: no experiment, or its control arm
    (the production version, which everyone outside the candidate's arm gets)."""
    return not found.per_user or found.reason.split(":")[2:3] == ["control"]
