"""Serving: which policy version a request runs, and what it sends to the model.

::

    found = resolve(store, "acme", "support-reply", user_id="u-42")
    found.version.id, found.reason, found.etag        # 'pv_…', 'production', '"pv_….bk_….0"'
    sent = render(store, "acme", found.version, "Where is my order?", variables={"tone": "brief"})
    sent.messages, sent.example_ids

:func:`choose` is the one place that decides the version for a user: the workload's production
version (:func:`flyloop.registry.production`), or, while an experiment runs, the user's arm,
sticky per user (:mod:`flyloop.rollout.experiments`). The SDK's policy cache, the server's routes
and the resolution's ETag all go through :func:`resolve`; a resolution made for one user of an
experiment says so (:attr:`Resolution.per_user`), and the caches keyed by workload keep it for that
user only.

The ETag names the version and its bank's revision (the bank id and how many examples erasure has
taken out of it since it was built), so a client that cached a bank learns of an erasure on its
next revalidation and drops its copy.

The examples a request was served are recorded on the interaction it logs as ``context_ids``
entries ``example:<example id>`` (:func:`served_context_ids`): identifiers are never redacted (a
redacted one would join nothing), and the prefix keeps them apart from the app's own context ids
(retrieved documents), so a later loop can credit each example with the signals its outputs earned
(:func:`served_example_ids` reads them back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from flyloop import errors
from flyloop.capture import get_workload
from flyloop.improve import Bank, BankIndex, ExactIndex, get_bank, load_bank, query_embedder
from flyloop.registry import PolicyVersion, get_version, production

if TYPE_CHECKING:
    from flyloop.settings import Settings
    from flyloop.store import Store

REASON_PRODUCTION = "production"
REASON_DEFAULT = "default"  # the SDK's fallback given in code (never chosen here)
REASON_EXPERIMENT = "experiment:"  # then the experiment's id and the arm: per user, so never cached per workload
EXAMPLE_PREFIX = "example:"
MAX_NAME_CHARS = 200  # a workload name, as capture accepts it


@dataclass(frozen=True)
class BankRef:
    """What a client needs to know of a version's bank to cache it: its identity and revision."""

    id: str
    embedder: str
    dimension: int
    size: int
    removed: int = 0

    @property
    def revision(self) -> str:
        """Changes when erasure takes examples out: a cached copy of another revision is stale."""
        return f"{self.id}.{self.removed}"


@dataclass(frozen=True)
class Resolution:
    """The version to run for one request, why it was chosen, and the ETag a client revalidates with."""

    workload: str
    version: PolicyVersion
    reason: str
    bank: BankRef | None = None
    user_id: str | None = None

    @property
    def etag(self) -> str:
        """A strong HTTP entity tag: the version id and the bank's revision (quoted, as HTTP writes it)."""
        return f'"{self.version.id}.{self.bank.revision}"' if self.bank else f'"{self.version.id}"'

    @property
    def per_user(self) -> bool:
        """Whether another user may get another version (an experiment runs): a cache keyed by
        workload alone must not answer a different user with this resolution."""
        return self.reason.startswith(REASON_EXPERIMENT)

    def as_dict(self) -> dict[str, Any]:
        """The resolution as the policy route answers it (and the SDK's disk cache keeps it)."""
        return {
            "workload": self.workload,
            "reason": self.reason,
            "etag": self.etag,
            "version": self.version.model_dump(mode="json"),
            "bank": asdict(self.bank) if self.bank else None,
        }

    @classmethod
    def from_dict(cls, found: Mapping[str, Any], user_id: str | None = None) -> Resolution:
        """A resolution back from :meth:`as_dict` (the route's answer, a cache file)."""
        bank = found.get("bank")
        return cls(
            workload=found["workload"],
            version=PolicyVersion.model_validate(found["version"]),
            reason=found["reason"],
            bank=BankRef(**bank) if bank else None,
            user_id=user_id,
        )


# --- choosing the version -------------------------------------------------------------------------


def check_workload(workload: Any) -> str:
    if not isinstance(workload, str) or not 1 <= len(workload) <= MAX_NAME_CHARS:
        raise errors.ValidationError(f"workload must be a string of 1 to {MAX_NAME_CHARS} characters", field="workload")
    return workload


def check_user(user_id: Any) -> str | None:
    if user_id is not None and (not isinstance(user_id, str) or not 1 <= len(user_id) <= MAX_NAME_CHARS):
        raise errors.ValidationError(f"user_id must be a string of 1 to {MAX_NAME_CHARS} characters", field="user_id")
    return user_id


def choose(store: Store, project_id: str, workload: str, user_id: str | None = None) -> tuple[PolicyVersion, str]:
    """The version ``user_id`` runs for ``workload``, and why. The one place that decides.

    While the workload runs an experiment (:mod:`flyloop.rollout.experiments`), the user's arm:
    the stored assignment of their pseudonym, else a fresh one by its salted hash, stored before it
    is answered (reason ``experiment:<id>:<arm>``); a request without a user id gets the control
    arm (reason ``experiment:<id>:control:no user id``): nothing to keep it sticky by. Otherwise
    the production version, for every user (reason ``production``). NotFound for a workload nobody
    declared or logged, and for one without a production version."""
    from flyloop.privacy import pseudonym

    from .experiments import CONTROL, arm_for, running_experiment

    experiment = running_experiment(store, project_id, workload)
    if experiment is not None:
        if user_id is None:
            return get_version(
                store, project_id, experiment.control
            ), f"{REASON_EXPERIMENT}{experiment.id}:{CONTROL}:no user id"
        arm = arm_for(store, project_id, experiment, pseudonym(store, project_id, user_id))
        return get_version(store, project_id, experiment.versions[arm]), f"{REASON_EXPERIMENT}{experiment.id}:{arm}"
    version = production(store, project_id, workload)
    if version is not None:
        return version, REASON_PRODUCTION
    try:
        get_workload(store, project_id, workload)
    except errors.NotFound:
        raise errors.NotFound(
            f"unknown workload {workload!r}: nothing declared or logged it in this project", field="workload"
        ) from None
    raise errors.NotFound(
        f"workload {workload!r} has no production version: register one and set it "
        f"(flyloop.registry.set_production(store, project, {workload!r}, version_id))",
        field="workload",
    )


def resolve(store: Store, project_id: str, workload: str, user_id: str | None = None) -> Resolution:
    """The version to run for ``user_id``'s request to ``workload``, with its bank's revision and
    the reason it was chosen (see :func:`choose`)."""
    check_workload(workload)
    check_user(user_id)
    version, reason = choose(store, project_id, workload, user_id)
    return Resolution(workload, version, reason, bank_ref(store, project_id, version.bank), user_id)


def bank_ref(store: Store, project_id: str, bank_id: str | None) -> BankRef | None:
    """The bank a version names, as a client caches it; None when the version has none."""
    if not bank_id:
        return None
    bank = get_bank(store, project_id, bank_id)
    return BankRef(bank.id, bank.embedder, bank.dimension, bank.size, bank.removed)


# --- what the interaction records -----------------------------------------------------------------


def served_context_ids(example_ids: Iterable[str], context_ids: Iterable[str] = ()) -> list[str]:
    """An interaction's ``context_ids``: the app's own, then each example served as ``example:<id>``."""
    return [*context_ids, *(EXAMPLE_PREFIX + i for i in example_ids)]


def served_example_ids(context_ids: Iterable[str] | None) -> list[str]:
    """The ids of the examples an interaction was served, read back from its ``context_ids``."""
    return [c[len(EXAMPLE_PREFIX) :] for c in context_ids or () if c.startswith(EXAMPLE_PREFIX)]


# --- a bank's copy on the app's side -------------------------------------------------------------


def bank_download(
    store: Store, project_id: str, bank_id: str, settings: Settings | None = None
) -> tuple[BankRef, bytes]:
    """A bank's live examples and their vectors as one NumPy ``.npz`` (``vectors``: float32 rows;
    ``examples``: JSON bytes of the bank and its rows, in the same order), with its revision: what
    the SDK keeps on disk and searches there (:func:`open_bank`). Erased examples are not in it."""
    ref = bank_ref(store, project_id, bank_id)
    assert ref is not None
    # The revision is read before the rows: an erasure in between leaves the copy with fewer
    # examples than its revision says, never more, and the next revalidation fetches it again.
    index = load_bank(store, project_id, bank_id, settings)
    index.refresh()
    live = [p for p in range(len(index.ids)) if p not in index.removed]
    rows = [
        [index.ids[p], index.interactions[p], index.inputs[p], index.outputs[p], index.labels[p], index.quality[p]]
        for p in live
    ]
    head = {"bank": {**asdict(ref), "manifest": index.bank.manifest}, "rows": rows}
    out = BytesIO()
    np.savez(
        out,
        vectors=np.ascontiguousarray(index.vectors[live], dtype=np.float32).reshape(len(live), ref.dimension),
        examples=np.frombuffer(orjson.dumps(head), dtype=np.uint8),
    )
    return ref, out.getvalue()


def open_bank(data: bytes, settings: Settings) -> Any:
    """A bank downloaded by :func:`bank_download`, ready to search here (exact search over its
    vectors, with the bank's selectors). ConfigError or ImportError when its embedder does not
    load on this machine: the server's resolve route searches it then."""
    with np.load(BytesIO(data), allow_pickle=False) as found:
        vectors = np.ascontiguousarray(found["vectors"], dtype=np.float32)
        head = orjson.loads(found["examples"].tobytes())
    info = head["bank"]
    query_embedder(info["embedder"])  # loads here, or raises now rather than at the first search
    bank = Bank(
        id=info["id"],
        workload="",
        dataset_version="",
        embedder=info["embedder"],
        dimension=info["dimension"],
        size=info["size"],
        removed=info["removed"],
        manifest=info.get("manifest") or {},
        created_at=0.0,
    )
    rows = [(*row, None) for row in head["rows"]]
    return _BankCopy(None, "", bank, rows, vectors, ExactIndex(vectors), settings)  # type: ignore[arg-type]


class _BankCopy(BankIndex):
    """A downloaded bank: no store behind it, so nothing to refresh (an erasure makes a new
    revision, which the client downloads again)."""

    def refresh(self) -> None:
        return None
