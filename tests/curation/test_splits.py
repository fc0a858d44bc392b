"""Train / validation / held-out splits (flyloop.curation.splits): user-disjoint, stable, time-aware, leak-free."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from flyloop import errors
from flyloop.curation.dedup import DedupConfig, normalize
from flyloop.curation.splits import SplitConfig, assign, split_of_group
from flyloop.datasets.versions import parse_config


@dataclass
class Item:
    user: str
    prompt: str
    ts: float


KEY = b"k" * 32


def _assign(items, config=None):
    return assign(
        items,
        group=lambda x: x.user,
        ts=lambda x: x.ts,
        prompt=lambda x: x.prompt,
        config=config or SplitConfig(),
        dedup=DedupConfig(),
        key=KEY,
    )


def test_splits_are_a_keyed_hash_of_the_user():
    items = [Item(f"u{u}", f"question {u}-{k} about topic {u * 7 + k}", 50.0) for u in range(200) for k in range(2)]
    split, report = _assign(items, SplitConfig(time_aware=False))
    by_user: dict[str, set] = {}
    for item, s in zip(items, split):
        by_user.setdefault(item.user, set()).add(s)
    assert all(len(s) == 1 for s in by_user.values())
    assert by_user["u0"] == {split_of_group(KEY, "u0", SplitConfig())}
    assert report["groups"] == {"train": 158, "validation": 21, "eval": 21}  # 80/10/10 of users, as dealt
    # Another key deals the users again; the same key always the same way.
    assert [split_of_group(b"x" * 32, f"u{u}", SplitConfig()) for u in range(200)] != [
        split_of_group(KEY, f"u{u}", SplitConfig()) for u in range(200)
    ]


def test_removing_a_user_moves_no_other_item_between_splits():
    items = [
        Item(f"u{u}", f"question {u}-{k} about topic {u * 7 + k}", float(u * 7 % 97 + k))
        for u in range(60)
        for k in range(5)
    ]
    before, _ = _assign(items)
    kept = [(i, item) for i, item in enumerate(items) if item.user != "u3"]
    after, _ = _assign([item for _, item in kept])
    moved = [
        (i, before[i], s)
        for (i, _), s in zip(kept, after)
        if before[i] is not None and s is not None and before[i] != s
    ]
    assert moved == []


def test_eval_comes_after_train_in_time():
    items = [Item(f"u{u}", f"q {u} {k}", u * 3600.0 + k * 7200.0) for u in range(40) for k in range(10)]
    split, report = _assign(items, SplitConfig(near_duplicates=False))
    cut = report["cutoff"]
    assert cut == 41 * 3600.0  # the newest fifth of the items lies after it, rounded down to the hour
    train = [item.ts for item, s in zip(items, split) if s == "train"]
    held = [item.ts for item, s in zip(items, split) if s == "eval"]
    assert train and held and max(train) < cut <= min(held)
    assert report["time_range"]["train"][1] < report["time_range"]["eval"][0]
    assert report["dropped"]["outside_time_window:train"] == sum(
        1 for item, s in zip(items, split) if s is None and split_of_group(KEY, item.user, SplitConfig()) == "train"
    )


def test_strict_time_boundary_drops_what_crosses_it():
    items = [Item(f"u{u}", f"q {u} {k}", float(k)) for u in range(10) for k in range(10)]
    split, report = _assign(items, SplitConfig(holdout_after=5.0, near_duplicates=False))
    for item, s in zip(items, split):
        if s == "train":
            assert item.ts < 5.0
        elif s == "eval":
            assert item.ts >= 5.0
    assert report["cutoff"] == 5.0
    assert sum(report["dropped"].values()) == sum(
        5 for u in range(10) if split_of_group(KEY, f"u{u}", SplitConfig()) in ("train", "eval")
    )
    with pytest.raises(errors.ValidationError, match="time_aware is false"):
        parse_config({"splits": {"holdout_after": 5.0, "time_aware": False}})


def test_traffic_too_recent_to_split_by_time_is_split_by_user_only():
    """All traffic within the hour: a cut-off on the hour would leave train nothing, so the split
    is user-disjoint only, and the report says why."""
    items = [Item(f"u{u}", f"q {u} {k}", 7200.0 + u * 60 + k) for u in range(30) for k in range(2)]
    split, report = _assign(items, SplitConfig(near_duplicates=False))
    plain, _ = _assign(items, SplitConfig(time_aware=False, near_duplicates=False))
    assert split == plain and report["cutoff"] is None and report["dropped"] == {}
    assert report["time_split"]["applied"] is False
    assert report["time_split"]["reason"].startswith(
        "the usable interactions span 1970-01-01T02:00:00+00:00 to "
        "1970-01-01T02:29:01+00:00, too little time for a cut-off"
    )
    # A cut-off on the hour after the oldest item, but no train user has anything before it.
    early = [Item("e2", "early", 3599.0)] + items
    assert split_of_group(KEY, "e2", SplitConfig()) == "validation"
    split, report = _assign(early, SplitConfig(near_duplicates=False))
    assert report["cutoff"] is None and report["time_split"]["reason"].startswith(
        "no train item lies before the cut-off"
    )
    assert split[1:] == plain
    # A cut-off the user set is kept as given.
    _, report = _assign(items, SplitConfig(holdout_after=9000.0, near_duplicates=False))
    assert report["cutoff"] == 9000.0 and report["time_split"]["applied"] is True


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 6), st.floats(0, 1000)), min_size=1, max_size=80))
def test_no_user_and_no_duplicate_prompt_crosses_a_split(rows):
    items = [Item(f"u{u}", f"what is {p} plus {p}?", ts) for u, p, ts in rows]
    split, _report = _assign(items, SplitConfig(time_aware=False))
    users: dict[str, set] = {}
    prompts: dict[str, set] = {}
    for item, s in zip(items, split):
        if s is None:
            continue
        users.setdefault(item.user, set()).add(s)
        prompts.setdefault(normalize(item.prompt), set()).add(s)
    assert all(len(s) == 1 for s in users.values())
    assert all(len(s) == 1 for s in prompts.values())
    assert any(s is not None for s in split)
