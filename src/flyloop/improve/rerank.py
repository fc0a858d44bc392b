"""Uses of a reward model (:mod:`flyloop.improve.reward`) beyond scoring: best-of-n reranking in a
policy, the held-out lift of each n with its guards, and interactions likely bad before anyone
said so.

**Best of n.** A policy version with a ``reranker`` (an ``rm_…`` artifact) and ``params.best_of``
= n samples n answers through its own backend and returns the one the reward model scores
highest (:func:`generate_best_of`; ``Policy.generate`` calls it). The answer's tokens are summed
over the n samples and its latency is the whole call's: what serving it cost. With a ``seed``, the
samples use seed, seed+1, ...: the same seed n times would sample one answer n times.

**The lift of each n** (:func:`best_of_n_lift`) is measured on held-out prompts whose outcomes are
known (judged against a reference, or by a judge): with m samples per prompt, best-of-n is
evaluated on each of the m // n disjoint groups of n samples and averaged, an unbiased estimate of
its accuracy that reuses one set of samples for every n. The recommended n is where the lift
stops growing by at least ``min_gain_points``: more samples cost more and, past the peak, only
exploit the reward model's errors. Two guards come with it: **length drift** (the mean length of
reranked answers against n = 1's: a reward model that learned "longer is better" drifts up) and
the **reward gap** (the mean reward score of the picked answers minus their held-out accuracy:
the larger it grows with n, the more the reranker chases the model's mistakes).

**Likely bad** (:func:`likely_bad`): a workload's interactions with no label yet (no row, or an
``unknown`` verdict) whose reward score is under a threshold, lowest first: what to look at before
feedback arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa

from flyloop import errors
from flyloop.improve.backends import Backend, Generation, Messages, backend_for, generation_params
from flyloop.improve.reward import prompt_text, score_batch
from flyloop.settings import Settings
from flyloop.store import Store, schema

NS = (1, 2, 4, 8)
DEFAULT_BEST_OF = 4
MIN_GAIN_POINTS = 1.0
LIKELY_BAD_THRESHOLD = 0.3
SCORE_BATCH = 256


@dataclass(frozen=True)
class Reranked:
    """What best-of-n did: the answer returned (tokens summed over the samples), every sample,
    their reward scores, and which one won."""

    best: Generation
    samples: list[Generation]
    scores: list[float]
    index: int


def sample(backend: Backend, messages: Messages, n: int, params: dict[str, Any]) -> list[Generation]:
    """``n`` answers to ``messages`` from ``backend``: one batch, or one call per seed
    (seed, seed+1, ...) when ``params`` fix a seed."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 64:
        raise errors.ValidationError(f"best_of must be a whole number from 1 to 64, not {n!r}", field="params.best_of")
    if n == 1:
        return [backend.generate(messages, **params)]
    seed = params.get("seed")
    if seed is not None:
        return [backend.generate(messages, **{**params, "seed": int(seed) + i}) for i in range(n)]
    return list(backend.generate_batch([messages] * n, **params))


def best_of_n(
    backend: Backend,
    messages: Messages,
    input: Any,
    *,
    n: int,
    reward_id: str,
    params: dict[str, Any] | None = None,
    settings: Settings | None = None,
) -> Reranked:
    """Sample ``n`` answers and keep the one reward model ``reward_id`` scores highest for
    ``input`` (ties: the first sampled)."""
    started = time.perf_counter()
    samples = sample(backend, messages, n, dict(params or {}))
    scores = score_batch(reward_id, [input] * len(samples), [g.text for g in samples], settings=settings)
    index = int(np.argmax(scores))
    chosen = samples[index]
    best = Generation(
        text=chosen.text,
        tokens_in=sum(g.tokens_in for g in samples),
        tokens_out=sum(g.tokens_out for g in samples),
        latency_ms=(time.perf_counter() - started) * 1000.0,
        model=chosen.model,
        finish_reason=chosen.finish_reason,
    )
    return Reranked(best, samples, scores, index)


def generate_best_of(version: Any, messages: Messages, input: Any, settings: Settings | None = None) -> Generation:
    """A reranking policy version's answer (module docstring): ``params.best_of`` samples (default
    :data:`DEFAULT_BEST_OF`) through its backend, the best by its ``reranker``."""
    n = (version.params or {}).get("best_of", DEFAULT_BEST_OF)
    return best_of_n(
        backend_for(version, settings),
        messages,
        input,
        n=n,
        reward_id=version.reranker,
        params=generation_params(version),
        settings=settings,
    ).best


# --- the lift of each n -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiftReport:
    """Held-out accuracy of best-of-n for each n, its lift over n = 1 in points, the guards (length
    drift, reward gap), and the n to use (where the lift peaks)."""

    per_n: list[dict[str, Any]]
    recommended_n: int
    prompts: int
    samples_per_prompt: int
    calls: int = 0
    tokens: int = 0
    notes: list[str] = field(default_factory=list)

    def lift(self, n: int) -> float:
        """The lift of best-of-``n`` in points (KeyError for an n not measured)."""
        for row in self.per_n:
            if row["n"] == n:
                return float(row["lift_points"])
        raise KeyError(n)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def best_of_n_lift(
    scores: Sequence[Sequence[float]],
    correct: Sequence[Sequence[bool]],
    lengths: Sequence[Sequence[int]] | None = None,
    *,
    ns: Sequence[int] = NS,
    min_gain_points: float = MIN_GAIN_POINTS,
) -> LiftReport:
    """The lift report of precomputed samples: per prompt, each sample's reward score, whether it
    was right (its held-out outcome) and its length (characters). Every prompt needs at least
    ``max(ns)`` samples; best-of-n picks the highest score within each of the disjoint groups of n."""
    if not scores or len(scores) != len(correct) or (lengths is not None and len(lengths) != len(scores)):
        raise errors.ValidationError("scores, correct (and lengths) need one list per prompt", field="scores")
    ns = sorted({int(n) for n in ns})
    if not ns or ns[0] < 1:
        raise errors.ValidationError("ns are whole numbers from 1", field="ns")
    m = min(len(s) for s in scores)
    if m < ns[-1] or any(len(s) != len(c) for s, c in zip(scores, correct, strict=True)):
        raise errors.ValidationError(
            f"every prompt needs {ns[-1]} scored and judged samples; found {m}", field="scores"
        )
    per_n: list[dict[str, Any]] = []
    for n in ns:
        picked_right: list[float] = []
        picked_score: list[float] = []
        picked_length: list[float] = []
        for i, row in enumerate(scores):
            for start in range(0, (m // n) * n, n):
                j = start + int(np.argmax(row[start : start + n]))
                picked_right.append(1.0 if correct[i][j] else 0.0)
                picked_score.append(float(row[j]))
                if lengths is not None:
                    picked_length.append(float(lengths[i][j]))
        accuracy = float(np.mean(picked_right))
        mean_score = float(np.mean(picked_score))
        entry: dict[str, Any] = {
            "n": n,
            "accuracy": round(accuracy, 6),
            "mean_score": round(mean_score, 6),
            "reward_gap": round(mean_score - accuracy, 6),
            "groups": len(picked_right),
        }
        if lengths is not None:
            entry["mean_length"] = round(float(np.mean(picked_length)), 3)
        per_n.append(entry)
    base = per_n[0]
    for entry in per_n:
        entry["lift_points"] = round(100.0 * (entry["accuracy"] - base["accuracy"]), 3)
        if lengths is not None and base["mean_length"]:
            entry["length_drift"] = round(entry["mean_length"] / base["mean_length"] - 1.0, 6)
    # Stop where it peaks: climb while each next n adds at least min_gain_points.
    recommended = per_n[0]
    for entry in per_n[1:]:
        if entry["lift_points"] - recommended["lift_points"] < min_gain_points:
            break
        recommended = entry
    return LiftReport(per_n, int(recommended["n"]), len(scores), m)


def judge_exact(reference: str, output: str) -> bool:
    """Right when the output equals the reference after trimming and case-folding, or when the
    reference is a number the output's first number equals (short answers to arithmetic)."""
    import re

    ref, out = reference.strip().casefold(), output.strip().casefold()
    if ref == out:
        return True
    number = re.fullmatch(r"-?\d+(?:\.\d+)?", ref)
    found = re.search(r"-?\d+(?:\.\d+)?", out)
    return bool(number and found and float(found.group()) == float(ref))


def measure_lift(
    reward_id: str,
    backend: Backend,
    inputs: Sequence[Any],
    messages: Sequence[Messages],
    judge: Callable[[int, str], bool],
    *,
    ns: Sequence[int] = NS,
    params: dict[str, Any] | None = None,
    settings: Settings | None = None,
    min_gain_points: float = MIN_GAIN_POINTS,
) -> LiftReport:
    """Sample ``max(ns)`` answers to each held-out prompt through ``backend``, score them with the
    reward model, judge each (``judge(prompt index, output)``: its outcome) and report the lift of
    each n (:func:`best_of_n_lift`). ``params``: the generation parameters (sampling: temperature > 0)."""
    if len(inputs) != len(messages) or not inputs:
        raise errors.ValidationError("one conversation per held-out input, at least one", field="inputs")
    params = dict(params or {})
    if not params.get("temperature"):
        raise errors.ValidationError("best-of-n needs sampling: set temperature above 0", field="params.temperature")
    m = max(ns)
    scores, correct, lengths = [], [], []
    calls = tokens = 0
    for i, (x, conversation) in enumerate(zip(inputs, messages, strict=True)):
        samples = sample(backend, conversation, m, params)
        calls += len(samples)
        tokens += sum(g.tokens_in + g.tokens_out for g in samples)
        texts = [g.text for g in samples]
        scores.append(score_batch(reward_id, [x] * m, texts, settings=settings))
        correct.append([judge(i, t) for t in texts])
        lengths.append([len(t) for t in texts])
    report = best_of_n_lift(scores, correct, lengths, ns=ns, min_gain_points=min_gain_points)
    return LiftReport(report.per_n, report.recommended_n, report.prompts, report.samples_per_prompt, calls, tokens)


# --- likely bad -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LikelyBad:
    """An unlabelled interaction the reward model scores low."""

    interaction_id: str
    score: float
    input: Any
    output: str
    ts: float


def likely_bad(
    store: Store,
    project_id: str,
    workload: str,
    reward_id: str,
    *,
    since: float | None = None,
    until: float | None = None,
    threshold: float = LIKELY_BAD_THRESHOLD,
    limit: int = 100,
    settings: Settings | None = None,
) -> list[LikelyBad]:
    """The workload's interactions (``since`` <= ts < ``until``) with no label yet whose reward
    score is under ``threshold``, lowest first, at most ``limit``."""
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise errors.ValidationError(f"threshold must be from 0 to 1, not {threshold!r}", field="threshold")
    if not 1 <= limit <= 10_000:
        raise errors.ValidationError(f"limit must be from 1 to 10000, not {limit}", field="limit")
    i, lb = schema.interactions, schema.labels
    query = (
        sa.select(i.c.id, i.c.input, i.c.output, i.c.ts)
        .select_from(i.outerjoin(lb, sa.and_(lb.c.project_id == i.c.project_id, lb.c.interaction_id == i.c.id)))
        .where(
            i.c.project_id == project_id,
            i.c.workload == workload,
            i.c.output.is_not(None),
            sa.or_(lb.c.interaction_id.is_(None), lb.c.verdict == "unknown"),
        )
    )
    if since is not None:
        query = query.where(i.c.ts >= since)
    if until is not None:
        query = query.where(i.c.ts < until)
    with store.read() as conn:
        rows = conn.execute(query.order_by(i.c.ts, i.c.id)).all()
    flagged: list[LikelyBad] = []
    for start in range(0, len(rows), SCORE_BATCH):
        part = rows[start : start + SCORE_BATCH]
        found = score_batch(
            reward_id, [prompt_text(r.input) for r in part], [r.output for r in part], settings=settings
        )
        flagged += [
            LikelyBad(r.id, s, r.input, r.output, r.ts) for r, s in zip(part, found, strict=True) if s < threshold
        ]
    flagged.sort(key=lambda f: (f.score, f.interaction_id))
    return flagged[:limit]
