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
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from flyloop import errors
from flyloop.registry import PolicySpec, PolicyVersion, parse_spec, render_messages
from flyloop.rollout import (
    REASON_DEFAULT,
    Resolution,
    check_input,
    check_user,
    check_workload,
    served_context_ids,
)
from flyloop.rollout import examples as bank_examples
from flyloop.sdk.transport import Local, Remote

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
        from flyloop.improve import (
            CLASSIFIER,
            HeadClassifier,
            PrototypeClassifier,
            backend_for,
            generation_params,
            vote,
        )

        if self.version.backend == CLASSIFIER:
            model = backend_for(self.version, self._fw.settings) if self.version.model not in (None, "knn") else None
            if isinstance(model, HeadClassifier | PrototypeClassifier):
                return model.classify(check_input(input))
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
        # The hot path: one dict look-up and a clock read. While an experiment runs, a resolution
        # holds one user's arm (per_user): another user resolves again (the store keeps the arm).
        hit = self._memory.get(workload) if isinstance(workload, str) else None
        if hit is not None and hit[0] > time.monotonic() and (not hit[1].per_user or hit[1].user_id == user_id):
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
        if hit is not None and hit[1].per_user and hit[1].user_id != user_id:
            return None
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


def policy_cache(transport: Local | Remote, settings: Settings) -> PolicyCache:
    """The cache a client's ``fw.policy()`` reads, for its transport."""
    if isinstance(transport, Local):
        return LocalPolicies(transport.store, transport.project, settings)
    from flyloop.sdk.policy_remote import RemotePolicies, cache_folder

    folder = cache_folder(settings.home, str(settings.server_url), str(settings.api_key))
    return RemotePolicies(transport, settings, folder)
