"""Sticky assignment: which arm of an experiment a user sees.

::

    allocation = allocate("exp_7f3a", {"production": 90, "candidate": 10})
    assign("u-42", allocation)                          # 'production', in every process, every day
    wider = allocation.ramp({"production": 50, "candidate": 50})
    moves(allocation, wider)                            # (Move(start=5000, stop=9000, ...),)

A user's pseudonymous id is hashed with the experiment's salt (keyed BLAKE2b, never Python's
``hash()``, which is salted per process) into one of :data:`BUCKETS` buckets, and each arm owns a
set of buckets in proportion to its share of the traffic split. The bucket depends only on the salt
and the id, so the same user lands in the same arm in every process and after every restart; a
fresh salt per experiment keeps one experiment's arms independent of another's.

A changed split never moves a user who was already assigned. The design has two halves:

* the caller persists each user's arm the first time :func:`assign` answers for them, and
  answers from that record ever after; :func:`assign` is only asked about users never seen;
* :meth:`Allocation.ramp` changes the split by moving as few buckets as possible (an arm that
  shrinks keeps its lowest buckets and frees the rest, an arm that grows takes freed buckets in
  order), so on a ramp of 10 → 50 → 100% the buckets the candidate already owned stay its own.
  :func:`moves` names the bucket ranges that changed owner: only new users in those buckets land
  in a different arm than they would have before; persisted users keep theirs.

The traffic each arm receives after a ramp therefore mixes the old and the new split (early users
keep their arms): the sample-ratio check (:mod:`flyloop.rollout.srm`) compares the users first
assigned under one allocation with that allocation's split. Promotion ends the experiment: the
winner then serves everyone, and stickiness no longer applies.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from flyloop import errors

BUCKETS = 10_000
PERCENT_BUCKETS = BUCKETS // 100  # buckets in one percent of traffic: a split's resolution is 0.01%
MAX_SALT_BYTES = 64  # BLAKE2b's key size
MAX_ARM_CHARS = 200


@dataclass(frozen=True)
class Move:
    """Buckets ``start`` to ``stop - 1`` passed from arm ``before`` to arm ``after``."""

    start: int
    stop: int
    before: str
    after: str

    @property
    def buckets(self) -> int:
        return self.stop - self.start

    @property
    def percent(self) -> float:
        """The share of traffic that moved, in percent."""
        return self.buckets / PERCENT_BUCKETS


@dataclass(frozen=True)
class Allocation:
    """An experiment's salt and which arm owns each of its :data:`BUCKETS` buckets.

    Build one with :func:`allocate`, change its split with :meth:`ramp`; store :attr:`salt`,
    :attr:`split` and :attr:`ranges` to rebuild it (:meth:`from_ranges`).
    """

    salt: str
    owners: tuple[str, ...] = field(repr=False)  # owners[bucket] = arm
    arms: tuple[str, ...]  # every arm the split names, in its order (a 0% arm owns no bucket)
    _hasher: hashlib.blake2b = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_salt(self.salt)
        if len(self.owners) != BUCKETS:
            raise errors.ValidationError(f"must own all {BUCKETS} buckets, not {len(self.owners)}", field="ranges")
        # One keyed hasher per allocation, copied per user: half the cost of keying each time.
        object.__setattr__(self, "_hasher", hashlib.blake2b(digest_size=8, key=self.salt.encode()))

    @property
    def split(self) -> dict[str, float]:
        """Each arm's share of the traffic, in percent."""
        counts = dict.fromkeys(self.arms, 0)
        for arm in self.owners:
            counts[arm] += 1
        return {arm: count / PERCENT_BUCKETS for arm, count in counts.items()}

    @property
    def ranges(self) -> tuple[tuple[int, int, str], ...]:
        """``(start, stop, arm)`` runs of buckets, in bucket order: the allocation as stored."""
        out: list[tuple[int, int, str]] = []
        start = 0
        for bucket in range(1, BUCKETS + 1):
            if bucket == BUCKETS or self.owners[bucket] != self.owners[start]:
                out.append((start, bucket, self.owners[start]))
                start = bucket
        return tuple(out)

    @classmethod
    def from_ranges(
        cls, salt: str, ranges: list[tuple[int, int, str]] | tuple[tuple[int, int, str], ...], arms: list[str]
    ) -> Allocation:
        """Rebuild a stored allocation; the ranges must cover every bucket once, in order."""
        owners: list[str] = []
        for index, (start, stop, arm) in enumerate(ranges):
            if start != len(owners) or stop <= start or stop > BUCKETS:
                raise errors.ValidationError(f"range {start}-{stop} leaves a gap or overlaps", field=f"ranges[{index}]")
            if arm not in arms:
                raise errors.ValidationError(f"arm {arm!r} is not one of {arms}", field=f"ranges[{index}]")
            owners.extend([arm] * (stop - start))
        return cls(salt=salt, owners=tuple(owners), arms=tuple(arms))

    def ramp(self, split: Mapping[str, float]) -> Allocation:
        """The same experiment under a new split, moving as few buckets as possible.

        Arms keep the buckets they can: one that shrinks keeps its lowest-numbered buckets, one
        that grows takes the freed buckets in ascending order, arms served in the split's order.
        An arm missing from ``split`` is taken to be 0%.
        """
        target = bucket_counts(split)
        arms = tuple(dict.fromkeys([*self.arms, *target]))
        kept: dict[str, int] = dict.fromkeys(arms, 0)
        owners: list[str | None] = []
        for arm in self.owners:
            if kept[arm] < target.get(arm, 0):
                kept[arm] += 1
                owners.append(arm)
            else:
                owners.append(None)
        growing = iter([arm for arm, count in target.items() for _ in range(count - kept[arm])])
        filled = tuple(owner if owner is not None else next(growing) for owner in owners)
        return Allocation(salt=self.salt, owners=filled, arms=arms)


def check_salt(salt: str) -> None:
    if not isinstance(salt, str) or not salt or len(salt.encode()) > MAX_SALT_BYTES:
        raise errors.ValidationError(f"must be a non-empty string of at most {MAX_SALT_BYTES} bytes", field="salt")


def new_salt() -> str:
    """A fresh random salt for a new experiment (32 hex characters)."""
    return secrets.token_hex(16)


def bucket_counts(split: Mapping[str, float]) -> dict[str, int]:
    """Buckets per arm for a split given in percent; the shares must sum to 100%.

    Each share must be a multiple of 0.01% (one bucket), so no rounding decides who gets the rest.
    """
    if not isinstance(split, Mapping) or not split:
        raise errors.ValidationError("give each arm's share of the traffic in percent", field="split")
    counts: dict[str, int] = {}
    for arm, share in split.items():
        if not isinstance(arm, str) or not arm.strip() or len(arm) > MAX_ARM_CHARS:
            raise errors.ValidationError(f"an arm is a name of 1 to {MAX_ARM_CHARS} characters", field="split")
        name = f"split.{arm}"
        if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share):
            raise errors.ValidationError(f"{share!r} is not a percentage", field=name)
        if share < 0 or share > 100:
            raise errors.ValidationError(f"{share}% is outside 0 to 100%", field=name)
        buckets = round(share * PERCENT_BUCKETS)
        if abs(share * PERCENT_BUCKETS - buckets) > 1e-6:
            raise errors.ValidationError(f"{share}% is finer than one bucket (0.01%)", field=name)
        counts[arm] = buckets
    total = sum(counts.values())
    if total != BUCKETS:
        raise errors.ValidationError(f"the arms' shares sum to {total / PERCENT_BUCKETS:g}%, not 100%", field="split")
    return counts


def allocate(salt: str, split: Mapping[str, float]) -> Allocation:
    """A new experiment's allocation: each arm a contiguous run of buckets, in the split's order."""
    counts = bucket_counts(split)
    owners = tuple(arm for arm, count in counts.items() for _ in range(count))
    return Allocation(salt=salt, owners=owners, arms=tuple(counts))


def bucket_of(user_id: str, salt: str) -> int:
    """The bucket (0 to 9,999) a pseudonymous user id falls in under an experiment's salt."""
    check_salt(salt)
    digest = hashlib.blake2b(user_id.encode(), digest_size=8, key=salt.encode()).digest()
    return int.from_bytes(digest, "big") % BUCKETS


def assign(user_id: str, allocation: Allocation) -> str:
    """The arm a user never assigned before lands in; persist it and answer from the record after.

    A pure function of the salt, the id and the bucket owners: the same in every process.
    """
    if not isinstance(user_id, str) or not user_id:
        raise errors.ValidationError("a pseudonymous user id is required to assign an arm", field="user_id")
    hasher = allocation._hasher.copy()
    hasher.update(user_id.encode())
    # 2**64 is not a multiple of 10,000: the modulo favours low buckets by under 1e-15, nothing.
    return allocation.owners[int.from_bytes(hasher.digest(), "big") % BUCKETS]


def moves(before: Allocation, after: Allocation) -> tuple[Move, ...]:
    """Bucket ranges whose owner differs between two allocations of one experiment.

    New users in these buckets land in the ``after`` arm; users persisted before keep theirs.
    """
    if before.salt != after.salt:
        raise errors.ValidationError("two allocations of one experiment share its salt", field="salt")
    out: list[Move] = []
    start: int | None = None
    for bucket in range(BUCKETS + 1):
        changed = bucket < BUCKETS and before.owners[bucket] != after.owners[bucket]
        same_run = (
            start is not None
            and changed
            and (before.owners[bucket], after.owners[bucket]) == (before.owners[start], after.owners[start])
        )
        if start is not None and not same_run:
            out.append(Move(start, bucket, before.owners[start], after.owners[start]))
            start = None
        if changed and start is None:
            start = bucket
    return tuple(out)
