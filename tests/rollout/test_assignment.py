"""Sticky assignment (flyloop.rollout.assignment): golden buckets and arms for fixed ids, the same
arms in another process with another hash seed, splits validated by field, ramps that move only
the buckets they must and never a bucket the candidate already owned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flyloop import errors
from flyloop.rollout import BUCKETS, Allocation, Move, allocate, assign, bucket_of, moves, new_salt

SALT = "exp_7f3a"
USERS = [f"u-{i}" for i in range(10)]
# Keyed BLAKE2b-64 of each id under SALT, modulo 10,000: written down once, must never change
# (a change would move every persisted experiment's new users to other arms).
GOLDEN_BUCKETS = [4891, 3955, 6937, 2637, 3934, 1463, 4909, 9062, 9791, 4689]


def test_golden_buckets_and_arms():
    assert [bucket_of(user, SALT) for user in USERS] == GOLDEN_BUCKETS
    allocation = allocate(SALT, {"production": 90, "candidate": 10})
    # candidate owns 9000-9999: u-7 (9062) and u-8 (9791)
    assert [assign(user, allocation) for user in USERS] == ["production"] * 7 + ["candidate"] * 2 + ["production"]
    halves = allocate(SALT, {"a": 50, "b": 50})
    assert [assign(user, halves) for user in USERS] == ["a", "a", "b", "a", "a", "a", "a", "b", "b", "a"]


def test_another_salt_is_another_experiment():
    assert [bucket_of(user, "exp_other") for user in USERS] != GOLDEN_BUCKETS


def test_the_same_arms_in_another_process_with_another_hash_seed():
    users = [f"user-{i}" for i in range(2000)]
    allocation = allocate(SALT, {"a": 20, "b": 30, "c": 50})
    here = [assign(user, allocation) for user in users]
    script = (
        "import json, sys\n"
        "from flyloop.rollout import allocate, assign\n"
        f"a = allocate({SALT!r}, {{'a': 20, 'b': 30, 'c': 50}})\n"
        f"print(json.dumps([assign(f'user-{{i}}', a) for i in range(2000)]))\n"
    )
    for seed in ("4242",):  # one child: importing flyloop is most of its time
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        assert json.loads(out.stdout) == here


def test_the_split_holds_within_one_percent():
    allocation = allocate(new_salt(), {"a": 10, "b": 25, "c": 65})
    counts = Counter(assign(f"user-{i}", allocation) for i in range(100_000))
    for arm, share in {"a": 10, "b": 25, "c": 65}.items():
        assert abs(counts[arm] / 1000 - share) < 1.0, (arm, counts)


def test_allocation_layout_and_round_trip():
    allocation = allocate(SALT, {"production": 90, "candidate": 10})
    assert allocation.ranges == ((0, 9000, "production"), (9000, 10000, "candidate"))
    assert allocation.split == {"production": 90.0, "candidate": 10.0}
    again = Allocation.from_ranges(SALT, list(allocation.ranges), ["production", "candidate"])
    assert again == allocation
    assert [assign(u, again) for u in USERS] == [assign(u, allocation) for u in USERS]


def test_a_ramp_moves_only_what_it_must_and_keeps_the_candidate_buckets():
    ten = allocate(SALT, {"production": 90, "candidate": 10})
    fifty = ten.ramp({"production": 50, "candidate": 50})
    hundred = fifty.ramp({"production": 0, "candidate": 100})
    assert fifty.ranges == ((0, 5000, "production"), (5000, 10000, "candidate"))
    assert moves(ten, fifty) == (Move(5000, 9000, "production", "candidate"),)
    assert moves(ten, fifty)[0].percent == 40.0
    assert hundred.ranges == ((0, 10000, "candidate"),)
    assert moves(fifty, hundred) == (Move(0, 5000, "production", "candidate"),)
    assert hundred.split == {"production": 0.0, "candidate": 100.0}
    users = [f"user-{i}" for i in range(5000)]
    early = {user for user in users if assign(user, ten) == "candidate"}
    assert early and all(assign(user, fifty) == "candidate" for user in early)


def test_a_three_arm_ramp_hands_freed_buckets_in_the_new_splits_order():
    before = allocate("s", {"a": 20, "b": 30, "c": 50})
    after = before.ramp({"c": 10, "a": 45, "b": 45})
    assert after.ranges == (
        (0, 2000, "a"),
        (2000, 5000, "b"),
        (5000, 6000, "c"),
        (6000, 8500, "a"),
        (8500, 10000, "b"),
    )
    assert moves(before, after) == (Move(6000, 8500, "c", "a"), Move(8500, 10000, "c", "b"))
    # a new arm (0% before) and an arm left out (0% after)
    third = after.ramp({"a": 50, "d": 50})
    assert third.arms == ("a", "b", "c", "d")
    assert third.split == {"a": 50.0, "b": 0.0, "c": 0.0, "d": 50.0}


shares = st.lists(st.integers(min_value=0, max_value=BUCKETS), min_size=1, max_size=4)


def as_split(cuts: list[int]) -> dict[str, float]:
    points = sorted(cuts)
    edges = [0, *points, BUCKETS]
    return {f"arm{i}": (edges[i + 1] - edges[i]) / 100 for i in range(len(edges) - 1)}


@given(shares, shares)
def test_a_ramp_moves_the_least_possible(first: list[int], second: list[int]):
    before_split, after_split = as_split(first), as_split(second)
    before = allocate("salt", before_split)
    after = before.ramp(after_split)
    assert after.split == {arm: after_split.get(arm, 0.0) for arm in after.arms}
    moved = sum(move.buckets for move in moves(before, after))
    least = sum(max(0, round(100 * after_split.get(arm, 0) - 100 * before_split.get(arm, 0))) for arm in after.arms)
    assert moved == least


@pytest.mark.parametrize(
    ("split", "field"),
    [
        ({"a": 50, "b": 49}, "split"),
        ({"a": 60, "b": 60}, "split"),
        ({}, "split"),
        ({"a": -10, "b": 110}, "split.a"),
        ({"a": 50.005, "b": 49.995}, "split.a"),
        ({"a": True, "b": 99}, "split.a"),
        ({"a": float("nan"), "b": 100}, "split.a"),
        ({"a": "50", "b": 50}, "split.a"),
        ({"": 100}, "split"),
    ],
)
def test_bad_splits_name_their_field(split, field):
    with pytest.raises(errors.ValidationError) as caught:
        allocate(SALT, split)
    assert caught.value.field == field


def test_a_split_of_hundredths_is_exact():
    assert allocate(SALT, {"a": 33.33, "b": 33.33, "c": 33.34}).split == {"a": 33.33, "b": 33.33, "c": 33.34}


def test_bad_salts_users_and_ranges():
    with pytest.raises(errors.ValidationError) as caught:
        allocate("", {"a": 100})
    assert caught.value.field == "salt"
    with pytest.raises(errors.ValidationError) as caught:
        bucket_of("u", "x" * 65)
    assert caught.value.field == "salt"
    with pytest.raises(errors.ValidationError) as caught:
        assign("", allocate(SALT, {"a": 100}))
    assert caught.value.field == "user_id"
    with pytest.raises(errors.ValidationError) as caught:
        Allocation.from_ranges(SALT, [(0, 5000, "a"), (6000, 10000, "b")], ["a", "b"])
    assert caught.value.field == "ranges[1]"
    with pytest.raises(errors.ValidationError) as caught:
        Allocation.from_ranges(SALT, [(0, 5000, "a"), (5000, 10000, "z")], ["a", "b"])
    assert caught.value.field == "ranges[1]"
    with pytest.raises(errors.ValidationError) as caught:
        Allocation.from_ranges(SALT, [(0, 5000, "a")], ["a"])
    assert caught.value.field == "ranges"
    with pytest.raises(errors.ValidationError) as caught:
        moves(allocate("one", {"a": 100}), allocate("two", {"a": 100}))
    assert caught.value.field == "salt"


def test_new_salts_differ():
    assert len({new_salt() for _ in range(100)}) == 100
    assert len(new_salt()) == 32
