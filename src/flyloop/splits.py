"""Train / validation / held-out-eval splits: user-disjoint, time-aware, leak-free.

A model evaluated on users or prompts it trained on looks better than it is. So:

* **User-disjoint.** Items are grouped by user (an item without a user is a group of its own);
  a group lands whole in one split.
* **Time-aware.** Groups are taken most-recently-active first and fill the held-out split, then
  validation, then train, each up to its share of items; the held-out split is the newest
  traffic the product saw from users the model never trained on. ``holdout_after`` makes it
  strict: train keeps only items before that time, validation and held-out only items at or
  after it (the rest are dropped, and counted).
* **No near-duplicate across splits.** Prompts equal after normalization, or near-duplicates
  (MinHash LSH, :func:`flyloop.dedup.near_duplicate_groups`), must stay on one side. When such a
  cluster spans splits, the held-out side keeps it (then validation, then train) and the other
  copies are dropped: the evaluation set stays a fair sample of traffic, and training loses what
  would have leaked into it.

Everything is deterministic: ties break on a hash of the group key, never on randomness.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Callable, Sequence, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .dedup import DedupConfig, Signatures, near_duplicate_groups

T = TypeVar("T")
SPLITS = ("train", "validation", "eval")
PRIORITY = {"eval": 0, "validation": 1, "train": 2}


class SplitConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    train: float = Field(0.8, ge=0, le=1)
    validation: float = Field(0.1, ge=0, le=1)
    eval: float = Field(0.1, ge=0, le=1)
    holdout_after: float | None = None
    near_duplicates: bool = True

    @model_validator(mode="after")
    def _shares(self) -> SplitConfig:
        total = self.train + self.validation + self.eval
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"train, validation and eval shares must add up to 1 (they add up to {total:g})")
        if self.train == 0:
            raise ValueError("train share is 0: a dataset needs a training split")
        return self


def _tiebreak(key: str) -> bytes:
    return hashlib.blake2b(key.encode(), digest_size=8).digest()


def assign(items: Sequence[T], *, group: Callable[[T], str], ts: Callable[[T], float], prompt: Callable[[T], str],
           config: SplitConfig, dedup: DedupConfig, signatures: Signatures | None = None) -> tuple[list[str | None], dict[str, Any]]:
    """The split of each item (None when it had to be dropped) and a report for the manifest."""
    n = len(items)
    groups = [group(item) for item in items]
    times = [ts(item) for item in items]
    members: Counter[str] = Counter(groups)
    latest: dict[str, float] = {}
    for key, t in zip(groups, times):
        latest[key] = max(latest.get(key, float("-inf")), t)
    targets = {"eval": config.eval * n, "validation": config.validation * n}
    filled: Counter[str] = Counter()
    of_group: dict[str, str] = {}
    for key in sorted(members, key=lambda k: (-latest[k], _tiebreak(k))):
        size = members[key]
        chosen = "train"
        for name in ("eval", "validation"):
            room = targets[name] - filled[name]
            # A group may overshoot an empty split a little: otherwise one mid-sized user could
            # leave the held-out split empty on a small dataset.
            if targets[name] > 0 and (size <= room or (filled[name] == 0 and size <= max(1.0, 2 * targets[name]))):
                chosen = name
                break
        of_group[key] = chosen
        filled[chosen] += size
    split: list[str | None] = [of_group[key] for key in groups]

    dropped: Counter[str] = Counter()
    if config.holdout_after is not None:
        cut = config.holdout_after
        for i, t in enumerate(times):
            s = split[i]
            if (s == "train" and t >= cut) or (s in ("eval", "validation") and t < cut):
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
    for key, t, s in zip(groups, times, split):
        if s is not None:
            in_split[s].add(key)
            lo, hi = spans.get(s, [t, t])
            spans[s] = [min(lo, t), max(hi, t)]
    users = {name: len(in_split[name]) for name in SPLITS}
    report = {"config": config.model_dump(), "counts": {s: counts.get(s, 0) for s in SPLITS}, "groups": users,
              "time_range": {s: spans.get(s) for s in SPLITS}, "dropped": dict(sorted(dropped.items()))}
    return split, report
