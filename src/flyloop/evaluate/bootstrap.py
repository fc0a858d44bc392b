"""Paired differences with bootstrap confidence intervals, clustered by user.

**Why clusters.** Held-out cases are not independent: one user sends many, and a user's cases
succeed or fail together (their topic, their writing, their corrections). Resampling cases as if
they were independent then understates the uncertainty, most when a few users send most of the
traffic. So the bootstrap resamples *users* with replacement and keeps each drawn user's cases
together (the cluster bootstrap); a user drawn twice counts twice.

**Why sums.** Every statistic here is a function of column sums over the cases: a mean is
``sum / count`` (a ratio estimator, so clusters of different sizes weigh by their cases), a paired
difference is a difference of two such ratios, macro-F1 is a function of per-label TP/FP/FN
counts. Summing each column per cluster first turns one resample into ``counts @ cluster_sums``,
where ``counts`` are the multinomial draw counts of the clusters: drawing 10,000 resamples is a
few integer draws, one ``bincount`` and one matrix product per chunk, not a Python loop
(``bench/bench_evaluate.py`` measures it). The same draws serve every statistic of one call, so
the metrics of one comparison are judged on the same resamples.

**A bound at exactly 0.** Where no user got worse, a resample that leaves out every user who got
better gives a difference of exactly 0, and it happens with probability about ``(1 - k/C)**C`` for
``k`` such users of ``C``: above 2.5% for ``k <= 3`` once ``C >= 9`` (the gate asks for 10; it
tends to ``e**-3``, 5%, as ``C`` grows), so the 95% interval starts at 0.0. That is the data
speaking, not a defect: an exact sign test over users says the same more strictly (three users
better and none worse is 1 chance in 8). The gate names how many users an interval rests on
(:mod:`flyloop.evaluate.gates`).

**Intervals.** ``percentile`` (the default): the resampled statistic's quantiles. ``bca``
(bias-corrected and accelerated, Efron 1987): the quantiles shifted by the bootstrap's median
bias (ties with the point estimate counted half, since paired differences of 0/1 scores are
discrete) and by an acceleration from the leave-one-cluster-out jackknife, which is cheap here
(the total sums minus one cluster's). A BCa interval that cannot be formed (every resample on
one side of the point estimate) falls back to percentile, and the estimate says which was used.
Bounds are rounded to 12 decimals so that float noise in the sums cannot carry a bound across a
gate's margin. Resamples where a statistic is undefined (a denominator of zero: a metric no
drawn user has) are left out, and ``n_resamples`` counts those kept.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from flyloop import errors

Floats = NDArray[np.float64]
Codes = NDArray[np.intp]
# A statistic maps column sums (..., K) to a value per leading index (...): vectorised over resamples.
Statistic = Callable[[Floats], Floats]

METHODS = ("percentile", "bca")
DEFAULT_RESAMPLES = 10_000
MAX_RESAMPLES = 1_000_000
# Draw counts are built for this many (resample, cluster) cells at a time: 2 MB of int64.
CHUNK_CELLS = 1 << 18
DECIMALS = 12
_NORMAL = NormalDist()


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval (``low``/``high`` are None where no interval
    was formed: a statistic the bootstrap does not cover, such as a p95, or one never defined)."""

    point: float | None
    low: float | None
    high: float | None
    n_cases: int
    n_clusters: int
    n_resamples: int
    confidence: float
    method: str  # "percentile", "bca", or "none" (point only)

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies within the interval, bounds included."""
        return self.low is not None and self.high is not None and self.low <= value <= self.high

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), DECIMALS)


def cluster_index(clusters: Sequence[Hashable]) -> tuple[Codes, list[Hashable]]:
    """Each case's cluster number (in order of first appearance) and the cluster keys."""
    numbers: dict[Hashable, int] = {}
    codes = np.fromiter((numbers.setdefault(key, len(numbers)) for key in clusters), dtype=np.intp, count=len(clusters))
    return codes, list(numbers)


def cluster_sums(values: Floats, codes: Codes, n_clusters: int) -> Floats:
    """The column sums of ``values`` (cases x K) per cluster (clusters x K)."""
    sums = np.zeros((n_clusters, values.shape[1]))
    np.add.at(sums, codes, values)
    return sums


def one_blas_thread() -> AbstractContextManager[Any]:
    """BLAS limited to one thread while resampling, where threadpoolctl is installed (it is not a
    core dependency). The products here are thin (a few columns) and memory-bound: threads gain
    nothing, and on a busy 2-core machine threaded products ran up to ten times slower."""
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def resample_sums(sums: Floats, n_resamples: int, rng: np.random.Generator) -> Floats:
    """Column sums of ``n_resamples`` cluster resamples (resamples x K): each resample draws as
    many clusters as there are, uniformly with replacement, and adds up their sums.

    Resample ``r`` uses the ``r``-th row of ``rng.integers(0, C, size=(n_resamples, C))``: a loop
    drawing ``rng.integers(0, C, size=C)`` once per resample reproduces it exactly."""
    n_clusters = sums.shape[0]
    out = np.empty((n_resamples, sums.shape[1]))
    chunk = max(1, CHUNK_CELLS // n_clusters)
    # Offsetting row r by r*C lets one bincount count every row's draws at once.
    offsets = (np.arange(chunk) * n_clusters)[:, None]
    with one_blas_thread():
        for start in range(0, n_resamples, chunk):
            rows = min(chunk, n_resamples - start)
            drawn = rng.integers(0, n_clusters, size=(rows, n_clusters))
            drawn += offsets[:rows]
            counts = np.bincount(drawn.ravel(), minlength=rows * n_clusters).reshape(rows, n_clusters)
            out[start : start + rows] = counts @ sums
    return out


def _interval(
    draws: Floats, point: float, jackknife: Floats, confidence: float, method: str
) -> tuple[float, float, str]:
    alpha = (1 - confidence) / 2
    if method == "bca":
        below = float(np.mean(draws < point) + 0.5 * np.mean(draws == point))
        jack = jackknife[np.isfinite(jackknife)]
        if 0 < below < 1 and jack.size > 1:
            z0 = _NORMAL.inv_cdf(below)
            deviation = jack.mean() - jack
            spread = float(np.sum(deviation**2))
            acceleration = float(np.sum(deviation**3)) / (6 * spread**1.5) if spread > 0 else 0.0
            levels = []
            for z in (_NORMAL.inv_cdf(alpha), _NORMAL.inv_cdf(1 - alpha)):
                shrink = 1 - acceleration * (z0 + z)
                if shrink <= 0:
                    break
                levels.append(_NORMAL.cdf(z0 + (z0 + z) / shrink))
            if len(levels) == 2:
                low, high = np.percentile(draws, [100 * levels[0], 100 * levels[1]])
                return float(low), float(high), "bca"
    low, high = np.percentile(draws, [100 * alpha, 100 * (1 - alpha)])
    return float(low), float(high), "percentile"


def check_options(n_resamples: int, confidence: float, method: str) -> None:
    """Refuse options the bootstrap cannot honour, naming the field."""
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int) or not 1 <= n_resamples <= MAX_RESAMPLES:
        raise errors.ValidationError(f"n_resamples is an integer from 1 to {MAX_RESAMPLES:,}", field="n_resamples")
    if not isinstance(confidence, float | int) or not 0 < confidence < 1:
        raise errors.ValidationError("confidence is a number between 0 and 1, such as 0.95", field="confidence")
    if method not in METHODS:
        raise errors.ValidationError(f"method is one of {', '.join(METHODS)}, not {method!r}", field="method")


def cluster_bootstrap(
    values: Floats,
    clusters: Sequence[Hashable],
    statistics: Mapping[str, Statistic],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | Sequence[int] = 0,
    confidence: float = 0.95,
    method: str = "percentile",
) -> dict[str, Estimate]:
    """Each statistic of the column sums of ``values`` (cases x K), with a cluster-bootstrap
    confidence interval: ``clusters`` gives each case's cluster (its user). Seeded: the same
    inputs and seed give the same intervals."""
    check_options(n_resamples, confidence, method)
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] == 0:
        raise errors.ValidationError("there are no cases to evaluate", field="cases")
    if len(clusters) != values.shape[0]:
        raise errors.ValidationError(
            f"{len(clusters)} cluster keys for {values.shape[0]} cases: one per case", field="clusters"
        )
    if not np.isfinite(values).all():
        raise errors.ValidationError(
            "case values must be finite (mark a missing value with a zero count)", field="values"
        )
    codes, keys = cluster_index(clusters)
    sums = cluster_sums(values, codes, len(keys))
    total = sums.sum(axis=0)
    draws = resample_sums(sums, n_resamples, np.random.default_rng(seed))
    results: dict[str, Estimate] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, statistic in statistics.items():
            point = float(statistic(total[None, :])[0])
            drawn = statistic(draws)
            drawn = drawn[np.isfinite(drawn)]
            if not math.isfinite(point) or drawn.size == 0:
                results[name] = Estimate(
                    _round(point), None, None, values.shape[0], len(keys), int(drawn.size), confidence, "none"
                )
                continue
            jackknife = statistic(total[None, :] - sums) if method == "bca" else np.empty(0)
            low, high, used = _interval(drawn, point, jackknife, confidence, method)
            results[name] = Estimate(
                _round(point), _round(low), _round(high), values.shape[0], len(keys), int(drawn.size), confidence, used
            )
    return results


def segment_seed(seed: int, segment: str) -> list[int]:
    """A segment's own seed: stable per segment name, whatever other segments there are."""
    return [seed, zlib.crc32(segment.encode())]


def by_segment(
    values: Floats,
    clusters: Sequence[Hashable],
    segments: Sequence[str | None],
    statistics: Mapping[str, Statistic],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    confidence: float = 0.95,
    method: str = "percentile",
) -> dict[str, dict[str, Estimate]]:
    """:func:`cluster_bootstrap` within each segment (cases whose segment is None belong to none):
    clusters are resampled among the segment's own users."""
    values = np.asarray(values, dtype=np.float64)
    if len(segments) != values.shape[0]:
        raise errors.ValidationError(f"{len(segments)} segment keys for {values.shape[0]} cases", field="segments")
    keys = np.asarray([s if s is not None else "" for s in segments], dtype=object)
    present = np.asarray([s is not None for s in segments])
    cluster_array = np.asarray(clusters, dtype=object)
    out: dict[str, dict[str, Estimate]] = {}
    for segment in sorted({s for s in segments if s is not None}):
        mask = present & (keys == segment)
        out[segment] = cluster_bootstrap(
            values[mask],
            list(cluster_array[mask]),
            statistics,
            n_resamples=n_resamples,
            seed=segment_seed(seed, segment),
            confidence=confidence,
            method=method,
        )
    return out


# --- statistics of column sums ----------------------------------------------------------------------


def _ratio(numerator: Floats, denominator: Floats) -> Floats:
    return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def mean_of(sum_column: int, count_column: int) -> Statistic:
    """A mean over the cases where it is defined: the sum column over the count column."""
    return lambda s: _ratio(s[..., sum_column], s[..., count_column])


def mean_difference(a: tuple[int, int], b: tuple[int, int]) -> Statistic:
    """Mean of arm ``a`` minus mean of arm ``b``; each arm a (sum column, count column) pair."""
    mean_a, mean_b = mean_of(*a), mean_of(*b)
    return lambda s: mean_a(s) - mean_b(s)


def mean_ratio(a: tuple[int, int], b: tuple[int, int]) -> Statistic:
    """Mean of arm ``a`` over mean of arm ``b`` (undefined where ``b``'s mean is 0)."""
    mean_a, mean_b = mean_of(*a), mean_of(*b)

    def ratio(s: Floats) -> Floats:
        below = mean_b(s)
        return np.where(below != 0, mean_a(s) / np.where(below != 0, below, 1), np.nan)

    return ratio


def label_counts(gold: Codes, predicted: Codes, n_labels: int) -> Floats:
    """Per case, the per-label counts macro-F1 needs, as columns ``[TP x L, FP x L, FN x L]``.

    ``gold`` and ``predicted`` are label numbers, -1 for none: a case without a gold label counts
    nothing; a prediction outside the label set is a false negative of the gold label only (there
    is no label it could be a false positive of)."""
    n = len(gold)
    counts = np.zeros((n, 3 * n_labels))
    rows = np.arange(n)
    has_gold = gold >= 0
    hit = has_gold & (predicted == gold)
    miss = has_gold & (predicted != gold)
    counts[rows[hit], gold[hit]] = 1
    wrong = miss & (predicted >= 0)
    counts[rows[wrong], n_labels + predicted[wrong]] = 1
    counts[rows[miss], 2 * n_labels + gold[miss]] = 1
    return counts


def macro_f1(first_column: int, n_labels: int) -> Statistic:
    """Macro-F1 from ``[TP x L, FP x L, FN x L]`` columns starting at ``first_column``: the mean
    F1 over the labels seen (as gold or prediction) in the sample, which is scikit-learn's
    ``f1_score(average="macro")`` over the labels present; a label absent from a resample is
    left out of that resample's mean rather than counted as an F1 of 0."""

    def statistic(s: Floats) -> Floats:
        tp = s[..., first_column : first_column + n_labels]
        fp = s[..., first_column + n_labels : first_column + 2 * n_labels]
        fn = s[..., first_column + 2 * n_labels : first_column + 3 * n_labels]
        denominator = 2 * tp + fp + fn
        seen = denominator > 0
        f1 = np.where(seen, 2 * tp / np.where(seen, denominator, 1), 0.0)
        return _ratio(f1.sum(axis=-1), seen.sum(axis=-1).astype(np.float64))

    return statistic


def macro_f1_difference(a_column: int, b_column: int, n_labels: int) -> Statistic:
    """Macro-F1 of arm ``a`` minus arm ``b`` (each a block of ``3 * n_labels`` count columns)."""
    f1_a, f1_b = macro_f1(a_column, n_labels), macro_f1(b_column, n_labels)
    return lambda s: f1_a(s) - f1_b(s)


def macro_f1_ratio(a_column: int, b_column: int, n_labels: int) -> Statistic:
    """Macro-F1 of arm ``a`` over arm ``b`` (undefined where ``b``'s is 0)."""
    f1_a, f1_b = macro_f1(a_column, n_labels), macro_f1(b_column, n_labels)

    def ratio(s: Floats) -> Floats:
        below = f1_b(s)
        return np.where(below != 0, f1_a(s) / np.where(below != 0, below, 1), np.nan)

    return ratio
