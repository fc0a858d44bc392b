"""Train / validation / held-out-eval splits: user-disjoint, stable, time-aware, leak-free.

A model evaluated on users or prompts it trained on looks better than it is, and versions can
only be compared on a held-out split that does not move under them. So:

* **User-disjoint and stable.** Items are grouped by user (an item without a user is a group of
  its own, by session or interaction). A group's split is a function of the group alone: an
  HMAC-SHA256 of its key (the user's pseudonym) under the project's ``split`` secret
  (:func:`flyloop.privacy.pseudonyms.current_secret`), read as a number in [0, 1), against the
  cumulative shares (eval, then validation, then train). Adding or erasing one user moves no
  other user's items between splits; the shares are expected shares of *users*. Rotating the
  ``split`` key (or the pseudonym key) deals the users again.
* **Time-aware (by default).** Evaluation comes after training: with a cut-off time ``T``, train
  keeps only items before ``T`` and the held-out eval split only items at or after it, so the
  eval split is newer traffic, from users the model never trained on, than anything in train.
  Validation (users never trained on either, for early stopping) keeps all of its users' items.
  What falls on the wrong side of ``T`` is dropped and counted. ``T`` is ``holdout_after`` when
  given; otherwise the time after which the newest ``holdout_window`` share of the items lies,
  rounded down to the hour (so a small change in the data rarely moves it). ``time_aware=False``
  keeps every item of every group.
* **Too recent to split by time.** A default cut-off must leave train something to learn from:
  when the hour it rounds to is not after the oldest item (say, all the traffic was logged
  within the current hour), or no train item lies before it, there is no time to split by, and
  the split is user-disjoint only; the report says so and why (``time_split``). A
  ``holdout_after`` the user set is kept as given.
* **No near-duplicate across splits.** Prompts equal after normalization, or near-duplicates
  (MinHash LSH, :func:`flyloop.curation.dedup.near_duplicate_groups`), must stay on one side. When such a
  cluster spans splits, the held-out side keeps it (then validation, then train) and the other
  copies are dropped: the evaluation set stays a fair sample of traffic, and training loses what
  would have leaked into it.

Which split an item lands in never depends on other users; whether it is kept (the cut-off, a
near-duplicate on the held-out side) may.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flyloop.curation.dedup import DedupConfig, Signatures, near_duplicate_groups

T = TypeVar("T")
SPLITS = ("train", "validation", "eval")
PRIORITY = {"eval": 0, "validation": 1, "train": 2}


class SplitConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    train: float = Field(0.8, ge=0, le=1)
    validation: float = Field(0.1, ge=0, le=1)
    eval: float = Field(0.1, ge=0, le=1)
    time_aware: bool = True
    holdout_after: float | None = None
    holdout_window: float = Field(0.2, gt=0, lt=1)
    near_duplicates: bool = True

    @model_validator(mode="after")
    def _shares(self) -> SplitConfig:
        total = self.train + self.validation + self.eval
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"train, validation and eval shares must add up to 1 (they add up to {total:g})")
        if self.train == 0:
            raise ValueError("train share is 0: a dataset needs a training split")
        if self.holdout_after is not None and not self.time_aware:
            raise ValueError("holdout_after is set but time_aware is false: set one or the other")
        return self


def bucket(key: bytes, group: str) -> float:
    """Where a group falls in [0, 1): the first 8 bytes of an HMAC-SHA256 of its key."""
    digest = hmac.new(key, group.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_of_group(key: bytes, group: str, config: SplitConfig) -> str:
    """The split of every item of ``group``: a function of the group and the key alone."""
    at = bucket(key, group)
    if at < config.eval:
        return "eval"
    if at < config.eval + config.validation:
        return "validation"
    return "train"


def cutoff(times: Sequence[float], config: SplitConfig) -> float | None:
    """The time that separates train from eval (see the module docstring), or None. The default
    cut-off is None, too, when it would not be after the oldest of ``times``."""
    if not config.time_aware or not times:
        return None
    if config.holdout_after is not None:
        return config.holdout_after
    ordered = sorted(times)
    at = ordered[min(len(ordered) - 1, int(len(ordered) * (1 - config.holdout_window)))]
    cut = math.floor(at / 3600) * 3600
    return cut if cut > ordered[0] else None


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def assign(
    items: Sequence[T],
    *,
    group: Callable[[T], str],
    ts: Callable[[T], float],
    prompt: Callable[[T], str],
    config: SplitConfig,
    dedup: DedupConfig,
    key: bytes,
    signatures: Signatures | None = None,
    window_times: Sequence[float] | None = None,
) -> tuple[list[str | None], dict[str, Any]]:
    """The split of each item (None when it had to be dropped) and a report for the manifest.
    ``window_times``: the times the default cut-off is taken from (the items' own by default; a
    build passes every usable interaction's, so the cut-off does not depend on the kinds built)."""
    n = len(items)
    groups = [group(item) for item in items]
    times = [ts(item) for item in items]
    of_group = {g: split_of_group(key, g, config) for g in set(groups)}
    split: list[str | None] = [of_group[g] for g in groups]

    dropped: Counter[str] = Counter()
    window = times if window_times is None else window_times
    cut = cutoff(window, config)
    time_split: dict[str, Any] = {"applied": cut is not None, "reason": None}
    if not config.time_aware:
        time_split["reason"] = "time_aware is false"
    elif cut is None and window:
        time_split["reason"] = (
            f"the usable interactions span {_iso(min(window))} to {_iso(max(window))}, too "
            f"little time for a cut-off on the hour that leaves train anything; the split is "
            f"user-disjoint only"
        )
    elif (
        cut is not None
        and config.holdout_after is None
        and any(s == "train" for s in split)
        and not any(s == "train" and t < cut for s, t in zip(split, times))
    ):
        time_split = {
            "applied": False,
            "reason": f"no train item lies before the cut-off {_iso(cut)}, so it would "
            f"leave train nothing; the split is user-disjoint only",
        }
        cut = None
    if cut is not None:
        for i, t in enumerate(times):
            s = split[i]
            if (s == "train" and t >= cut) or (s == "eval" and t < cut):
                dropped[f"outside_time_window:{s}"] += 1
                split[i] = None

    if config.near_duplicates and n:
        live = [i for i in range(n) if split[i] is not None]
        labels = near_duplicate_groups([prompt(items[i]) for i in live], dedup, signatures).tolist()
        best: dict[int, str] = {}
        for i, label in zip(live, labels):
            s = split[i]
            assert s is not None
            if label not in best or PRIORITY[s] < PRIORITY[best[label]]:
                best[label] = s
        for i, label in zip(live, labels):
            if split[i] != best[label]:
                dropped[f"near_duplicate_of_{best[label]}:{split[i]}"] += 1
                split[i] = None

    counts = Counter(s for s in split if s is not None)
    in_split: dict[str, set[str]] = {name: set() for name in SPLITS}
    spans: dict[str, list[float]] = {}
    for g, t, s in zip(groups, times, split):
        if s is not None:
            in_split[s].add(g)
            lo, hi = spans.get(s, [t, t])
            spans[s] = [min(lo, t), max(hi, t)]
    users = {name: len(in_split[name]) for name in SPLITS}
    report = {
        "config": config.model_dump(),
        "rule": "split by a keyed hash of the user; train before the cut-off, eval at or after it",
        "cutoff": cut,
        "time_split": time_split,
        "counts": {s: counts.get(s, 0) for s in SPLITS},
        "groups": users,
        "time_range": {s: spans.get(s) for s in SPLITS},
        "dropped": dict(sorted(dropped.items())),
    }
    return split, report
