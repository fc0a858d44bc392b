"""A candidate compared with production on the same cases: every metric's value for each, the
paired difference and the ratio with cluster-bootstrap intervals, overall and per segment.

:func:`compare` lays every metric's per-case values out as columns (a mean: sum and count per arm;
macro-F1: per-label TP/FP/FN per arm; each scaled by the case's weight when cases carry weights,
so means and counts are weighted) and runs one bootstrap over all of them, so the metrics of
one comparison are judged on the same resampled users; each segment gets its own bootstrap among
its own users, seeded by its name (:func:`flyloop.evaluate.bootstrap.segment_seed`). Quantile
metrics (p95 latency) are compared as point estimates. The result is JSON-able (``to_dict``)
and reads as a table (:meth:`Comparison.rows`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from flyloop.evaluate.bootstrap import (
    DEFAULT_RESAMPLES,
    Codes,
    Estimate,
    Statistic,
    check_options,
    cluster_bootstrap,
    cluster_index,
    macro_f1,
    macro_f1_difference,
    macro_f1_ratio,
    mean_difference,
    mean_of,
    mean_ratio,
    segment_seed,
)
from flyloop.evaluate.metrics import PairedScores, get_metric

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class MetricResult:
    """One metric: each version's value, candidate minus production, and candidate over production."""

    metric: str
    title: str
    unit: str
    higher_is_better: bool
    production: float | None
    candidate: float | None
    difference: Estimate
    ratio: Estimate
    n_cases: int  # cases the metric applied to (in either version)
    # Users whose cases, summed, moved the metric the better way / the worse way (cases scored in
    # both versions); None for a metric not decomposable by user (macro-F1, quantiles). An interval
    # resamples users, so these say how many users its evidence rests on.
    users_better: int | None = None
    users_worse: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    """What :func:`compare` found, overall and per segment."""

    workload_type: str
    n_cases: int
    n_clusters: int
    n_resamples: int
    seed: int
    confidence: float
    method: str
    metrics: dict[str, MetricResult]
    segments: dict[str, dict[str, MetricResult]] = field(default_factory=dict)
    segment_cases: dict[str, int] = field(default_factory=dict)
    judge_first_position_rate: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[dict[str, Any]]:
        """One row per metric and segment (segment None: all cases), as a table shows them."""
        out = []
        for segment, results in [(None, self.metrics), *self.segments.items()]:
            for result in results.values():
                d = result.difference
                out.append(
                    {
                        "segment": segment,
                        "metric": result.metric,
                        "unit": result.unit,
                        "production": result.production,
                        "candidate": result.candidate,
                        "difference": d.point,
                        "low": d.low,
                        "high": d.high,
                        "ratio": result.ratio.point,
                        "n_cases": result.n_cases,
                        "n_clusters": d.n_clusters,
                    }
                )
        return out


def _point(value: float) -> float | None:
    return round(float(value), 12) if math.isfinite(value) else None


def _quantile(values: Floats, q: float) -> float:
    values = values[np.isfinite(values)]
    return float(np.quantile(values, q)) if values.size else math.nan


def _results(
    scores: PairedScores, mask: NDArray[np.bool_], *, n_resamples: int, seed: int | list[int], confidence: float,
    method: str,
) -> dict[str, MetricResult]:  # fmt: skip
    columns: list[Floats] = []
    statistics: dict[str, Statistic] = {}
    applied: dict[str, int] = {}
    quantiles: dict[str, tuple[float, float]] = {}
    directions: dict[str, tuple[int, int]] = {}
    users = [u for u, keep in zip(scores.users, mask) if keep]
    codes, keys = cluster_index(users)

    weights = scores.weights[mask][:, None] if scores.weights is not None else None

    def add(block: Floats) -> int:
        # A weighted case adds its weight to every count and weight x value to every sum: each
        # mean becomes a weighted mean, each macro-F1 count a weighted count.
        first = sum(c.shape[1] for c in columns)
        columns.append(block * weights if weights is not None else block)
        return first

    for name in scores.metrics:
        metric = get_metric(name)
        if metric.kind == "macro_f1":
            if scores.gold is None:
                continue
            cand = add(scores.label_counts("candidate")[mask])
            prod = add(scores.label_counts("production")[mask])
            n = len(scores.labels)
            statistics |= {
                f"{name}:candidate": macro_f1(cand, n),
                f"{name}:production": macro_f1(prod, n),
                f"{name}:difference": macro_f1_difference(cand, prod, n),
                f"{name}:ratio": macro_f1_ratio(cand, prod, n),
            }
            applied[name] = int(np.sum(scores.gold[mask] >= 0))
            continue
        cand_values, prod_values = scores.candidate[name][mask], scores.production[name][mask]
        applied[name] = int(np.sum(np.isfinite(cand_values) | np.isfinite(prod_values)))
        if metric.kind == "quantile":
            q = metric.quantile if metric.quantile is not None else 0.5
            quantiles[name] = (_quantile(prod_values, q), _quantile(cand_values, q))
            continue
        block = np.column_stack(
            [
                np.nan_to_num(cand_values),
                np.isfinite(cand_values),
                np.nan_to_num(prod_values),
                np.isfinite(prod_values),
            ]
        ).astype(np.float64)
        first = add(block)
        directions[name] = _directions(cand_values, prod_values, codes, len(keys), weights, metric.higher_is_better)
        a, b = (first, first + 1), (first + 2, first + 3)
        statistics |= {
            f"{name}:candidate": mean_of(*a),
            f"{name}:production": mean_of(*b),
            f"{name}:difference": mean_difference(a, b),
            f"{name}:ratio": mean_ratio(a, b),
        }
    n_cases, n_clusters = int(mask.sum()), len(keys)
    estimates: dict[str, Estimate] = {}
    if columns:
        estimates = cluster_bootstrap(
            np.hstack(columns), users, statistics, n_resamples=n_resamples, seed=seed, confidence=confidence,
            method=method,
        )  # fmt: skip
    out: dict[str, MetricResult] = {}
    for name in scores.metrics:
        metric = get_metric(name)
        if name in quantiles:
            prod_q, cand_q = quantiles[name]
            ratio = cand_q / prod_q if prod_q else math.nan

            def only(value: float) -> Estimate:
                return Estimate(_point(value), None, None, n_cases, n_clusters, 0, confidence, "none")

            difference, ratio_estimate, prod_point, cand_point = (
                only(cand_q - prod_q), only(ratio), _point(prod_q), _point(cand_q),
            )  # fmt: skip
        elif f"{name}:difference" in estimates:
            difference, ratio_estimate = estimates[f"{name}:difference"], estimates[f"{name}:ratio"]
            prod_point, cand_point = estimates[f"{name}:production"].point, estimates[f"{name}:candidate"].point
        else:
            continue
        if applied[name] == 0:
            continue  # nothing to compare: no case carried it (say, no cost recorded)
        out[name] = MetricResult(
            metric=name,
            title=metric.title,
            unit=metric.unit,
            higher_is_better=metric.higher_is_better,
            production=prod_point,
            candidate=cand_point,
            difference=difference,
            ratio=ratio_estimate,
            n_cases=applied[name],
            users_better=directions[name][0] if name in directions else None,
            users_worse=directions[name][1] if name in directions else None,
        )
    return out


def _directions(
    candidate: Floats, production: Floats, codes: Codes, n_users: int, weights: Floats | None, higher_is_better: bool
) -> tuple[int, int]:
    """How many users' paired differences (candidate minus production over their cases scored in
    both versions, weighed as the means are) went the better way and the worse way; ``codes``:
    each case's user number (:func:`~flyloop.evaluate.bootstrap.cluster_index`)."""
    both = np.isfinite(candidate) & np.isfinite(production)
    differences = np.where(both, np.nan_to_num(candidate) - np.nan_to_num(production), 0.0)
    if weights is not None:
        differences = differences * weights[:, 0]
    # A sum of float differences that cancel can leave noise of 1e-16: that user moved nothing.
    per_user = np.round(np.bincount(codes, weights=differences, minlength=n_users), 12)
    up, down = int(np.sum(per_user > 0)), int(np.sum(per_user < 0))
    return (up, down) if higher_is_better else (down, up)


def compare(
    scores: PairedScores,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    confidence: float = 0.95,
    method: str = "percentile",
    segments: bool | Sequence[str] = True,
) -> Comparison:
    """Compare the candidate with production on ``scores``: paired differences with intervals
    clustered by user, overall and per segment (``segments``: all of them, none, or those named)."""
    check_options(n_resamples, confidence, method)
    options: dict[str, Any] = {"n_resamples": n_resamples, "confidence": confidence, "method": method}
    everything = np.ones(len(scores.case_ids), dtype=bool)
    overall = _results(scores, everything, seed=seed, **options)
    names = sorted({s for s in scores.segments if s is not None})
    if segments is not True:
        wanted = {segments} if isinstance(segments, str) else set(segments or ())
        names = [s for s in names if s in wanted]
    per_segment: dict[str, dict[str, MetricResult]] = {}
    counts: dict[str, int] = {}
    keys = np.asarray([s if s is not None else "" for s in scores.segments], dtype=object)
    known = np.asarray([s is not None for s in scores.segments])
    for segment in names:
        mask = known & (keys == segment)
        counts[segment] = int(mask.sum())
        per_segment[segment] = _results(scores, mask, seed=segment_seed(seed, segment), **options)
    return Comparison(
        workload_type=scores.workload_type,
        n_cases=len(scores.case_ids),
        n_clusters=len(set(scores.users)),
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
        method=method,
        metrics=overall,
        segments=per_segment,
        segment_cases=counts,
        judge_first_position_rate=scores.judge.first_position_rate if scores.judge is not None else None,
    )
