"""Clustered paired bootstrap (flyloop.evaluate.bootstrap): the vectorised resampling against a slow
loop on the same draws, macro-F1 against scikit-learn, clustering that really resamples users."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sklearn.metrics import f1_score

from flyloop import errors
from flyloop.evaluate.bootstrap import (
    by_segment,
    cluster_bootstrap,
    cluster_index,
    cluster_sums,
    label_counts,
    macro_f1,
    macro_f1_difference,
    mean_difference,
    mean_of,
    mean_ratio,
    resample_sums,
    segment_seed,
)


def paired_columns(candidate, production):
    """Columns [cand sum, cand count, prod sum, prod count] of two per-case score lists (None: missing)."""
    rows = []
    for c, p in zip(candidate, production):
        rows.append([c or 0.0, c is not None, p or 0.0, p is not None])
    return np.asarray(rows, dtype=np.float64)


DIFF = {"d": mean_difference((0, 1), (2, 3))}


def test_cluster_index_numbers_clusters_in_order_of_first_appearance():
    codes, keys = cluster_index(["b", "a", "b", "c", "a"])
    assert codes.tolist() == [0, 1, 0, 2, 1]
    assert keys == ["b", "a", "c"]
    sums = cluster_sums(np.asarray([[1.0], [2.0], [3.0], [4.0], [5.0]]), codes, 3)
    assert sums.tolist() == [[4.0], [7.0], [4.0]]


def test_resample_sums_match_a_loop_drawing_one_resample_at_a_time(monkeypatch):
    rng = np.random.default_rng(3)
    sums = rng.integers(0, 5, size=(7, 3)).astype(np.float64)
    # Small chunks, so the test crosses chunk boundaries as a big input does.
    monkeypatch.setattr("flyloop.evaluate.bootstrap.CHUNK_CELLS", 7 * 4)
    fast = resample_sums(sums, 50, np.random.default_rng(11))
    slow_rng = np.random.default_rng(11)
    slow = np.stack([sums[slow_rng.integers(0, 7, size=7)].sum(axis=0) for _ in range(50)])
    assert np.array_equal(fast, slow)


def slow_percentile_bootstrap(candidate, production, users, n_resamples, seed, confidence=0.95):
    """The definition, as a loop: draw users with replacement, pool their cases, difference of means."""
    keys = list(dict.fromkeys(users))
    rng = np.random.default_rng(seed)
    by_user = {k: [i for i, u in enumerate(users) if u == k] for k in keys}
    draws = []
    for _ in range(n_resamples):
        cases = [i for k in rng.integers(0, len(keys), size=len(keys)) for i in by_user[keys[k]]]
        c = [candidate[i] for i in cases]
        p = [production[i] for i in cases]
        draws.append(sum(c) / len(c) - sum(p) / len(p))
    alpha = (1 - confidence) / 2
    return np.percentile(draws, [100 * alpha, 100 * (1 - alpha)]), np.asarray(draws)


def test_percentile_interval_equals_the_slow_loop_on_the_same_seed():
    users = ["u1", "u1", "u1", "u2", "u3", "u3", "u4", "u5", "u5", "u5", "u5", "u6"]
    candidate = [1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1]
    production = [0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1]
    (low, high), _ = slow_percentile_bootstrap(candidate, production, users, 2000, seed=7)
    got = cluster_bootstrap(paired_columns(candidate, production), users, DIFF, n_resamples=2000, seed=7)["d"]
    assert got.point == pytest.approx(9 / 12 - 5 / 12, abs=1e-12)
    assert (got.low, got.high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
    assert (got.n_cases, got.n_clusters, got.n_resamples, got.method) == (12, 6, 2000, "percentile")


def slow_bca(draws, point, jackknife, confidence=0.95):
    normal = NormalDist()
    below = np.mean(draws < point) + 0.5 * np.mean(draws == point)
    z0 = normal.inv_cdf(below)
    d = jackknife.mean() - jackknife
    a = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
    alpha = (1 - confidence) / 2
    levels = [
        normal.cdf(z0 + (z0 + z) / (1 - a * (z0 + z))) for z in (normal.inv_cdf(alpha), normal.inv_cdf(1 - alpha))
    ]
    return np.percentile(draws, [100 * levels[0], 100 * levels[1]])


def test_bca_interval_equals_the_textbook_formula_with_a_leave_one_user_out_jackknife():
    rng = np.random.default_rng(5)
    users = [f"u{rng.integers(0, 9)}" for _ in range(40)]
    candidate = rng.integers(0, 2, size=40).tolist()
    production = (rng.random(40) < 0.3).astype(int).tolist()
    _, draws = slow_percentile_bootstrap(candidate, production, users, 3000, seed=2)
    keys = list(dict.fromkeys(users))
    point = np.mean(candidate) - np.mean(production)
    jack = []
    for k in keys:
        keep = [i for i, u in enumerate(users) if u != k]
        jack.append(np.mean([candidate[i] for i in keep]) - np.mean([production[i] for i in keep]))
    low, high = slow_bca(draws, point, np.asarray(jack))
    got = cluster_bootstrap(paired_columns(candidate, production), users, DIFF, n_resamples=3000, seed=2, method="bca")[
        "d"
    ]
    assert got.method == "bca"
    assert (got.low, got.high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))


def test_bca_on_independent_cases_agrees_with_scipy_within_resampling_noise():
    from scipy.stats import bootstrap as scipy_bootstrap

    rng = np.random.default_rng(8)
    x = rng.exponential(1.0, size=300)  # skewed, where BCa and percentile differ
    ones = np.ones_like(x)
    values = np.column_stack([x, ones, np.zeros_like(x), ones])
    mine = cluster_bootstrap(values, list(range(300)), DIFF, n_resamples=20_000, seed=1, method="bca")["d"]
    ref = scipy_bootstrap((x,), np.mean, n_resamples=20_000, method="BCa", random_state=1).confidence_interval
    assert mine.low == pytest.approx(ref.low, abs=0.02)
    assert mine.high == pytest.approx(ref.high, abs=0.02)


def test_bca_falls_back_to_percentile_when_every_resample_is_on_one_side():
    # Production scored 0 where the candidate scored 1 on every case: each resample's difference is 1.
    values = paired_columns([1, 1, 1, 1], [0, 0, 0, 0])
    got = cluster_bootstrap(values, ["a", "b", "c", "d"], DIFF, n_resamples=200, seed=0, method="bca")["d"]
    assert (got.point, got.low, got.high) == (1.0, 1.0, 1.0)


def test_one_user_dominating_widens_the_interval_beyond_an_iid_bootstrap():
    # 60 users of one case each, and one user with 140 cases the candidate gets all right: cases of one
    # user move together, so resampling users must be far less sure than resampling cases.
    rng = np.random.default_rng(0)
    users = [f"small{i}" for i in range(60)] + ["big"] * 140
    candidate = (rng.random(60) < 0.5).astype(int).tolist() + [1] * 140
    production = (rng.random(60) < 0.5).astype(int).tolist() + [0] * 140
    values = paired_columns(candidate, production)
    clustered = cluster_bootstrap(values, users, DIFF, n_resamples=4000, seed=1)["d"]
    iid = cluster_bootstrap(values, list(range(200)), DIFF, n_resamples=4000, seed=1)["d"]
    assert clustered.point == iid.point
    assert (clustered.n_clusters, iid.n_clusters) == (61, 200)
    assert clustered.high - clustered.low > 2.5 * (iid.high - iid.low)


def test_ratio_metrics_weigh_clusters_by_their_cases_and_skip_missing_values():
    # Latency known on 3 of 4 cases per arm: means over the known ones.
    values = paired_columns([100.0, None, 300.0, 200.0], [100.0, 200.0, None, 100.0])
    got = cluster_bootstrap(
        values,
        ["a", "a", "b", "c"],
        {"cand": mean_of(0, 1), "prod": mean_of(2, 3), "ratio": mean_ratio((0, 1), (2, 3))},
        n_resamples=100,
    )
    assert got["cand"].point == pytest.approx(200.0)
    assert got["prod"].point == pytest.approx(400 / 3)
    assert got["ratio"].point == pytest.approx(1.5)


def test_label_counts_and_macro_f1_by_hand():
    # labels 0, 1, 2; gold, predicted (-1: outside the label set / no gold)
    gold = np.asarray([0, 0, 1, 2, -1, 1])
    predicted = np.asarray([0, 1, 1, -1, 0, 1])
    counts = label_counts(gold, predicted, 3)
    #                 TP0 TP1 TP2 FP0 FP1 FP2 FN0 FN1 FN2
    assert counts.tolist() == [
        [1, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 1, 0, 0],
        [0, 1, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 1],  # outside the label set: a miss of label 2 only
        [0, 0, 0, 0, 0, 0, 0, 0, 0],  # no gold label: nothing counted
        [0, 1, 0, 0, 0, 0, 0, 0, 0],
    ]
    # F1: label 0: 2*1/(2+0+1) = 2/3; label 1: 2*2/(4+1+0) = 4/5; label 2: 0/(0+0+1) = 0
    got = macro_f1(0, 3)(counts.sum(axis=0)[None, :])[0]
    assert got == pytest.approx((2 / 3 + 4 / 5 + 0) / 3)


def test_macro_f1_equals_scikit_learn_on_the_sample_and_on_resamples():
    rng = np.random.default_rng(4)
    n, labels = 120, 4
    gold = rng.integers(0, labels, size=n)
    cand = np.where(rng.random(n) < 0.7, gold, rng.integers(0, labels, size=n))
    prod = np.where(rng.random(n) < 0.5, gold, rng.integers(0, labels, size=n))
    values = np.hstack([label_counts(gold, cand, labels), label_counts(gold, prod, labels)])
    users = [f"u{i % 17}" for i in range(n)]
    stats = {"cand": macro_f1(0, labels), "diff": macro_f1_difference(0, 3 * labels, labels)}
    got = cluster_bootstrap(values, users, stats, n_resamples=50, seed=3)
    expected = f1_score(gold, cand, average="macro") - f1_score(gold, prod, average="macro")
    assert got["diff"].point == pytest.approx(expected, abs=1e-12)
    assert got["cand"].point == pytest.approx(f1_score(gold, cand, average="macro"), abs=1e-12)
    # Resample 0, rebuilt by hand and scored by scikit-learn.
    codes, keys = cluster_index(users)
    drawn = np.random.default_rng(3).integers(0, len(keys), size=len(keys))
    cases = np.concatenate([np.flatnonzero(codes == k) for k in drawn])
    sums = resample_sums(cluster_sums(values, codes, len(keys)), 1, np.random.default_rng(3))
    assert stats["cand"](sums)[0] == pytest.approx(f1_score(gold[cases], cand[cases], average="macro"), abs=1e-12)


def test_seeded_same_seed_same_interval_other_seed_other_interval():
    rng = np.random.default_rng(9)
    values = paired_columns(rng.random(80).tolist(), rng.random(80).tolist())
    users = [f"u{i % 20}" for i in range(80)]
    one = cluster_bootstrap(values, users, DIFF, n_resamples=500, seed=1)["d"]
    assert cluster_bootstrap(values, users, DIFF, n_resamples=500, seed=1)["d"] == one
    assert cluster_bootstrap(values, users, DIFF, n_resamples=500, seed=2)["d"] != one


def test_segments_resample_their_own_users_with_a_seed_of_their_own():
    values = paired_columns([1, 0, 1, 1, 0, 1, 1, 0], [0, 0, 1, 0, 0, 1, 0, 0])
    users = ["a", "a", "b", "c", "d", "d", "e", "f"]
    segments = ["pro", "pro", "pro", "free", "free", None, "pro", "free"]
    got = by_segment(values, users, segments, DIFF, n_resamples=300, seed=4)
    assert sorted(got) == ["free", "pro"]
    assert (got["pro"]["d"].n_cases, got["pro"]["d"].n_clusters) == (4, 3)
    assert got["pro"]["d"].point == pytest.approx(3 / 4 - 1 / 4)
    alone = cluster_bootstrap(
        values[[0, 1, 2, 6]], ["a", "a", "b", "e"], DIFF, n_resamples=300, seed=segment_seed(4, "pro")
    )
    assert got["pro"]["d"] == alone["d"]  # whatever other segments there are


def test_a_statistic_undefined_in_some_resamples_keeps_the_defined_ones():
    # The candidate's latency is known for user "a" only: resamples without "a" have no mean.
    values = paired_columns([120.0, None, None], [100.0, 100.0, 100.0])
    got = cluster_bootstrap(values, ["a", "b", "c"], {"r": mean_ratio((0, 1), (2, 3))}, n_resamples=1000, seed=0)["r"]
    assert got.point == pytest.approx(1.2)
    assert 600 < got.n_resamples < 1000  # P(a drawn) = 1 - (2/3)^3 = 0.70
    nothing = cluster_bootstrap(paired_columns([None], [1.0]), ["a"], {"m": mean_of(0, 1)}, n_resamples=10)["m"]
    assert (nothing.point, nothing.low, nothing.high, nothing.method) == (None, None, None, "none")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_resamples": 0}, "n_resamples"),
        ({"n_resamples": 2.5}, "n_resamples"),
        ({"confidence": 1.0}, "confidence"),
        ({"method": "studentized"}, "method"),
    ],
)
def test_bad_options_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(errors.ValidationError) as e:
        cluster_bootstrap(paired_columns([1], [0]), ["a"], DIFF, **kwargs)
    assert e.value.field == field


def test_bad_inputs_are_refused_naming_the_field():
    with pytest.raises(errors.ValidationError) as e:
        cluster_bootstrap(np.zeros((0, 4)), [], DIFF)
    assert e.value.field == "cases"
    with pytest.raises(errors.ValidationError) as e:
        cluster_bootstrap(paired_columns([1, 1], [0, 0]), ["a"], DIFF)
    assert e.value.field == "clusters"
    with pytest.raises(errors.ValidationError) as e:
        cluster_bootstrap(np.asarray([[np.nan, 1.0, 0.0, 1.0]]), ["a"], DIFF)
    assert e.value.field == "values"
    with pytest.raises(errors.ValidationError) as e:
        by_segment(paired_columns([1], [0]), ["a"], [], DIFF)
    assert e.value.field == "segments"


case_scores = st.lists(
    st.tuples(st.integers(0, 6), st.floats(0, 1, allow_nan=False), st.floats(0, 1, allow_nan=False)),
    min_size=1,
    max_size=40,
)


@hsettings(max_examples=60, deadline=None)
@given(case_scores, st.integers(0, 2**31 - 1))
def test_percentile_interval_contains_the_point_estimate(cases, seed):
    values = paired_columns([c for _, c, _ in cases], [p for _, _, p in cases])
    got = cluster_bootstrap(values, [u for u, _, _ in cases], DIFF, n_resamples=200, seed=seed)["d"]
    assert got.contains(got.point)


@hsettings(max_examples=60, deadline=None)
@given(case_scores, st.integers(0, 2**31 - 1), st.sampled_from(["percentile", "bca"]))
def test_no_difference_gives_an_interval_straddling_zero(cases, seed, method):
    # The candidate scores what production scores on every case, or scores swapped between paired
    # cases of one user (a zero difference on every resample either way).
    scores = [c for _, c, _ in cases]
    swapped = [c for _, _, c in cases]
    values = paired_columns(scores + swapped, swapped + scores)
    users = [u for u, _, _ in cases] * 2
    got = cluster_bootstrap(values, users, DIFF, n_resamples=200, seed=seed, method=method)["d"]
    assert got.point == pytest.approx(0, abs=1e-12)
    assert got.low <= 0 <= got.high


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=60))
def test_macro_f1_is_scikit_learns_on_any_labelling(pairs):
    gold = np.asarray([g for g, _ in pairs])
    predicted = np.asarray([p for _, p in pairs])
    got = macro_f1(0, 5)(label_counts(gold, predicted, 5).sum(axis=0)[None, :])[0]
    assert got == pytest.approx(f1_score(gold, predicted, average="macro"), abs=1e-12)
