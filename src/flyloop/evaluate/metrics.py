"""Per-case scores of a candidate and the production version on the same cases, by workload type.

An evaluation reads pairs: a held-out case (:class:`EvalCase`: its input, its user, what right
looks like when known) and what each version answered for it (:class:`Output`). Each metric gives
one number per case and version, or nothing where it does not apply (no reference, no latency
recorded); the bootstrap (:mod:`flyloop.evaluate.bootstrap`) turns those into paired differences.

**Choice** workloads: ``accuracy`` (the output is the reference label) and ``macro_f1`` (from the
per-label TP/FP/FN counts of each case, so that it is recomputed on every resample).

**Generation** workloads: ``exact_match`` under :func:`normalize_answer` where an answer is
checkable (the case has a reference); ``correction_similarity`` to the user's correction where
there is one; ``reward`` from a reward model given in (``reward(inputs, outputs) -> scores``,
the shape of :func:`flyloop.improve.score_batch`); ``judge``, a pairwise judge given in
(:mod:`flyloop.evaluate.judge`).

**Guardrails**, any workload: ``latency_mean`` and ``latency_p95`` (ms), ``tokens``, ``cost``,
and for generation ``refusal_rate`` (:func:`is_refusal`), ``length_chars`` and ``length_words``.

Metrics live in a registry by name (:func:`register_metric`, :func:`get_metric`), which is how
gates name them; a project's own per-case metric is one registration away.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, utils

from flyloop import errors
from flyloop.evaluate.bootstrap import label_counts
from flyloop.evaluate.judge import Judge, JudgeVerdicts, judge_pairs

Floats = NDArray[np.float64]
WorkloadType = Literal["generation", "choice"]
WORKLOAD_TYPES = ("generation", "choice")
MetricKind = Literal["mean", "macro_f1", "quantile"]
# How a metric's values read: "points" are proportions or 0..1 scores shown as percentage points.
Unit = Literal["points", "ms", "tokens", "usd", "chars", "words"]


@dataclass(frozen=True)
class EvalCase:
    """One held-out case: ``user`` (pseudonymous; the bootstrap's cluster), ``reference`` (the
    right label of a choice case, or a checkable answer), ``correction`` (the user's own edit of
    the output they were shown), ``segment`` (a key results are also given per, such as a plan),
    ``weight`` (how much the case counts in every metric's mean and count: 1, or how far its
    reference is trusted, such as its example's curated quality; see :mod:`.cases`)."""

    id: str
    user: str
    input: Any
    reference: str | None = None
    correction: str | None = None
    segment: str | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class Output:
    """What one version answered for a case, with what it cost."""

    text: str
    latency_ms: float | None = None
    tokens: int | None = None
    cost: float | None = None


PerCase = Callable[[EvalCase, Output], float | None]
# A reward model, batched: one score per (input, output), higher is better.
Reward = Callable[[Sequence[Any], Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Metric:
    """A metric by name. ``per_case`` scores one (case, output); ``None`` for the metrics that
    are not per output (``macro_f1`` from label counts, ``reward`` and ``judge`` from their
    hooks). ``quantile`` metrics (a p95) are compared as point estimates, without an interval."""

    name: str
    title: str
    kind: MetricKind
    higher_is_better: bool
    unit: Unit
    workload_types: tuple[str, ...]
    description: str
    per_case: PerCase | None = field(default=None, compare=False)
    quantile: float | None = None
    needs: str | None = None  # "reference", "correction", "reward", "judge", "labels"


_CLOSING = ".,;:!?…。！？、"
_SPACE = re.compile(r"\s+")


def normalize_answer(text: str) -> str:
    """An answer as compared for exact match: Unicode NFKC, case-folded, runs of whitespace as
    one space, trimmed, and closing punctuation (``.,;:!?…`` and CJK full stops) at the end
    dropped, so "Paris." and " paris" match but "Paris, France" and "Paris" do not."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return text.rstrip(_CLOSING).rstrip()


def exact_match(output: str, reference: str) -> float:
    """1.0 when the output equals the reference under :func:`normalize_answer`, else 0.0."""
    return float(normalize_answer(output) == normalize_answer(reference))


def correction_similarity(output: str, correction: str) -> float:
    """How close the output is to the user's correction, 0..1: rapidfuzz's token sort ratio
    after its default processing (case, punctuation). Not ``token_set_ratio`` or ``token_ratio``:
    they score an output that contains the correction plus anything else as identical, so
    padding an answer would look perfect. The correction edited what production showed at the
    time, which leans towards outputs like that one; the paired difference reads with that in mind."""
    return fuzz.token_sort_ratio(output, correction, processor=utils.default_process) / 100


# A refusal declines the task in its opening words. Kept small and readable on purpose: "I can't"
# or "I cannot" followed by a verb of helping, an apology that turns into one, an explicit decline,
# "as an AI" disclaimers. "I can't wait to help" or "I cannot stress enough" are not refusals.
REFUSAL_PATTERNS: tuple[str, ...] = (
    r"\bi(?: can ?not| can't| won't| will not| am unable to|'m unable to| am not able to|'m not able to)"
    r" (?:help|assist|provide|do that|do this|comply|answer|fulfil|fulfill|share|support|create|write|give|"
    r"generate|complete|process|respond)",
    r"\bi(?: am|'m) (?:not (?:allowed|permitted) to|sorry,? but i (?:can|won|am|'m))",
    r"\bi (?:must|have to) (?:decline|refuse)",
    r"\bas an ai(?: language model| assistant)?,? i\b",
    r"\b(?:sorry|unfortunately),? (?:but )?(?:i|we) (?:can ?not|can't|won't|are unable|am unable)",
)
_REFUSAL = re.compile("|".join(REFUSAL_PATTERNS))
REFUSAL_WINDOW = 300  # characters from the start: a refusal says so up front


def is_refusal(text: str) -> bool:
    """Whether an output declines the task (:data:`REFUSAL_PATTERNS` in its first
    :data:`REFUSAL_WINDOW` characters, after NFKC, case folding and straight apostrophes)."""
    opening = unicodedata.normalize("NFKC", text[: REFUSAL_WINDOW * 2]).casefold().replace("\u2019", "'")
    return _REFUSAL.search(opening[:REFUSAL_WINDOW]) is not None


def _choice_correct(case: EvalCase, output: Output) -> float | None:
    return None if case.reference is None else float(output.text.strip() == case.reference)


def _exact(case: EvalCase, output: Output) -> float | None:
    return None if case.reference is None else exact_match(output.text, case.reference)


def _similarity(case: EvalCase, output: Output) -> float | None:
    return None if case.correction is None else correction_similarity(output.text, case.correction)


def _number(value: float | int | None) -> float | None:
    return None if value is None else float(value)


_METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric, *, replace: bool = False) -> Metric:
    """Add a metric to the registry (gates name it); ``replace`` to redefine one."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", metric.name):
        raise errors.ValidationError("a metric's name is lower_snake_case, at most 64 characters", field="name")
    if metric.name in _METRICS and not replace:
        raise errors.Conflict(f"metric {metric.name!r} is already registered", field="name")
    if metric.kind == "mean" and metric.per_case is None and metric.needs not in ("reward", "judge"):
        raise errors.ValidationError("a mean metric scores each case: give per_case", field="per_case")
    if metric.kind == "quantile" and not (metric.quantile is not None and 0 < metric.quantile < 1):
        raise errors.ValidationError("a quantile metric gives its quantile, between 0 and 1", field="quantile")
    _METRICS[metric.name] = metric
    return metric


def get_metric(name: str) -> Metric:
    """The registered metric ``name``."""
    try:
        return _METRICS[name]
    except KeyError:
        raise errors.ValidationError(
            f"no metric {name!r}; the metrics are {', '.join(sorted(_METRICS))}", field="metric"
        ) from None


def metric_names(workload_type: str | None = None) -> list[str]:
    """The registered metrics' names, in registration order (those for ``workload_type``)."""
    return [m.name for m in _METRICS.values() if workload_type is None or workload_type in m.workload_types]


BOTH = ("generation", "choice")
for _metric in (
    Metric("accuracy", "accuracy", "mean", True, "points", ("choice",), "the output is the reference label",
           _choice_correct, needs="reference"),
    Metric("macro_f1", "macro-F1", "macro_f1", True, "points", ("choice",),
           "mean F1 over the labels, from per-label TP/FP/FN counts", needs="labels"),
    Metric("exact_match", "exact match", "mean", True, "points", ("generation",),
           "the output equals the reference answer after normalize_answer", _exact, needs="reference"),
    Metric("correction_similarity", "similarity to the correction", "mean", True, "points", ("generation",),
           "token sort ratio to the user's correction, 0..1", _similarity, needs="correction"),
    Metric("reward", "reward", "mean", True, "points", ("generation",), "the reward model's score", needs="reward"),
    Metric("judge", "judge net wins", "mean", True, "points", ("generation",),
           "pairwise judge: 1 win, 0.5 tie, 0 loss (production: the complement)", needs="judge"),
    Metric("latency_mean", "mean latency", "mean", False, "ms", BOTH, "milliseconds to answer",
           lambda c, o: _number(o.latency_ms)),
    Metric("latency_p95", "p95 latency", "quantile", False, "ms", BOTH, "95th percentile of milliseconds to answer",
           lambda c, o: _number(o.latency_ms), quantile=0.95),
    Metric("tokens", "tokens", "mean", False, "tokens", BOTH, "tokens the backend reported per answer",
           lambda c, o: _number(o.tokens)),
    Metric("cost", "cost", "mean", False, "usd", BOTH, "cost per answer", lambda c, o: _number(o.cost)),
    Metric("refusal_rate", "refusal rate", "mean", False, "points", ("generation",), "the output declines (is_refusal)",
           lambda c, o: float(is_refusal(o.text))),
    Metric("length_chars", "length", "mean", False, "chars", ("generation",), "characters per output",
           lambda c, o: float(len(o.text))),
    Metric("length_words", "length in words", "mean", False, "words", ("generation",), "words per output",
           lambda c, o: float(len(o.text.split()))),
):  # fmt: skip
    register_metric(_metric)


@dataclass
class PairedScores:
    """Per-case scores of both versions on the same cases (NaN where a metric does not apply),
    and for choice workloads the label numbers macro-F1 counts from (-1: none)."""

    workload_type: str
    case_ids: list[str]
    users: list[str]
    segments: list[str | None]
    metrics: list[str]
    production: dict[str, Floats]
    candidate: dict[str, Floats]
    labels: list[str] = field(default_factory=list)
    gold: NDArray[np.intp] | None = None
    production_predicted: NDArray[np.intp] | None = None
    candidate_predicted: NDArray[np.intp] | None = None
    judge: JudgeVerdicts | None = None
    # Each case's weight (EvalCase.weight); None when every case counts once.
    weights: Floats | None = None

    def label_counts(self, arm: Literal["production", "candidate"]) -> Floats:
        """Per case, ``[TP x L, FP x L, FN x L]`` of ``arm`` over :attr:`labels`."""
        predicted = self.production_predicted if arm == "production" else self.candidate_predicted
        if self.gold is None or predicted is None:
            raise errors.ValidationError("label counts belong to choice workloads", field="workload_type")
        return label_counts(self.gold, predicted, len(self.labels))


def _check_cases(cases: Sequence[EvalCase], production: Sequence[Output], candidate: Sequence[Output]) -> None:
    if not cases:
        raise errors.ValidationError("there are no cases to evaluate", field="cases")
    if not len(cases) == len(production) == len(candidate):
        raise errors.ValidationError(
            f"{len(cases)} cases, {len(production)} production and {len(candidate)} candidate outputs: "
            "one of each per case",
            field="candidate" if len(production) == len(cases) else "production",
        )
    seen: set[str] = set()
    for i, case in enumerate(cases):
        if not isinstance(case, EvalCase):
            raise errors.ValidationError("each case is an EvalCase", field=f"cases[{i}]")
        if not isinstance(case.user, str) or not case.user:
            raise errors.ValidationError("each case names its (pseudonymous) user", field=f"cases[{i}].user")
        if case.id in seen:
            raise errors.ValidationError(f"case {case.id!r} appears twice", field=f"cases[{i}].id")
        seen.add(case.id)
        w = case.weight
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w <= 0:
            raise errors.ValidationError(f"a case's weight is a number > 0, not {w!r}", field=f"cases[{i}].weight")
    for arm, outputs in (("production", production), ("candidate", candidate)):
        for i, output in enumerate(outputs):
            if not isinstance(output, Output) or not isinstance(output.text, str):
                raise errors.ValidationError("each output is an Output with text", field=f"{arm}[{i}]")
            for name in ("latency_ms", "tokens", "cost"):
                value = getattr(output, name)
                if value is not None and (not isinstance(value, int | float) or not math.isfinite(value) or value < 0):
                    raise errors.ValidationError(f"{name} is a non-negative number", field=f"{arm}[{i}].{name}")


def _choose(workload_type: str, metrics: Sequence[str] | None, has: dict[str, bool]) -> list[str]:
    if metrics is None:
        return [
            name
            for name in metric_names(workload_type)
            if (need := get_metric(name).needs) is None or has.get(need, False)
        ]
    chosen = []
    for i, name in enumerate(metrics):
        metric = get_metric(name)
        if workload_type not in metric.workload_types:
            raise errors.ValidationError(f"{name} is not a metric of {workload_type} workloads", field=f"metrics[{i}]")
        if metric.needs in ("reward", "judge", "labels") and not has[metric.needs]:
            raise errors.ValidationError(f"{name} needs {metric.needs}: give it", field=f"metrics[{i}]")
        chosen.append(name)
    return chosen


def _label_numbers(texts: Sequence[str | None], numbers: dict[str, int]) -> NDArray[np.intp]:
    return np.asarray([numbers.get(t.strip(), -1) if t is not None else -1 for t in texts], dtype=np.intp)


def _hook_scores(reward: Reward, inputs: list[Any], outputs: list[str], arm: str) -> Floats:
    scores = np.asarray(list(reward(inputs, outputs)), dtype=np.float64)
    if scores.shape != (len(outputs),) or not np.isfinite(scores).all():
        raise errors.ValidationError(f"the reward gave no finite score per {arm} output", field="reward")
    return scores


def score_pairs(
    cases: Sequence[EvalCase],
    production: Sequence[Output],
    candidate: Sequence[Output],
    *,
    workload_type: WorkloadType,
    labels: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
    reward: Reward | None = None,
    judge: Judge | None = None,
    seed: int = 0,
) -> PairedScores:
    """Score both versions' outputs on the same cases. ``metrics``: by name; by default every
    metric of the workload type whose inputs are there (references, corrections, ``labels``, a
    ``reward`` or a ``judge``). ``labels``: a choice workload's label set (by default the labels
    its references use). ``seed`` orders the judge's pairs."""
    if workload_type not in WORKLOAD_TYPES:
        raise errors.ValidationError(f"workload_type is one of {', '.join(WORKLOAD_TYPES)}", field="workload_type")
    _check_cases(cases, production, candidate)
    if workload_type == "choice" and labels is None:
        labels = sorted({c.reference for c in cases if c.reference is not None})
    if labels is not None and (len(set(labels)) != len(labels) or not all(isinstance(x, str) for x in labels)):
        raise errors.ValidationError("labels are distinct strings", field="labels")
    has = {
        "reference": any(c.reference is not None for c in cases),
        "correction": any(c.correction is not None for c in cases),
        "labels": workload_type == "choice" and bool(labels) and any(c.reference is not None for c in cases),
        "reward": reward is not None,
        "judge": judge is not None,
    }
    chosen = _choose(workload_type, metrics, has)
    arms = {"production": production, "candidate": candidate}
    values: dict[str, dict[str, Floats]] = {"production": {}, "candidate": {}}
    inputs = [c.input for c in cases]
    verdicts = None
    for name in chosen:
        metric = get_metric(name)
        if metric.needs == "reward" and reward is not None:
            for arm, outputs in arms.items():
                values[arm][name] = _hook_scores(reward, inputs, [o.text for o in outputs], arm)
        elif metric.needs == "judge" and judge is not None:
            verdicts = judge_pairs(judge, inputs, [o.text for o in production], [o.text for o in candidate], seed=seed)
            values["candidate"][name] = verdicts.candidate_scores
            values["production"][name] = 1.0 - verdicts.candidate_scores
        elif metric.per_case is not None:
            per_case = metric.per_case
            for arm, outputs in arms.items():
                values[arm][name] = np.asarray(
                    [math.nan if (v := per_case(c, o)) is None else v for c, o in zip(cases, outputs)], dtype=np.float64
                )
    scores = PairedScores(
        workload_type=workload_type,
        case_ids=[c.id for c in cases],
        users=[c.user for c in cases],
        segments=[c.segment for c in cases],
        metrics=chosen,
        production=values["production"],
        candidate=values["candidate"],
        judge=verdicts,
        weights=(
            np.asarray([float(c.weight) for c in cases], dtype=np.float64)
            if any(c.weight != 1.0 for c in cases)
            else None
        ),
    )
    if workload_type == "choice" and labels:
        numbers = {label: i for i, label in enumerate(labels)}
        scores.labels = list(labels)
        scores.gold = _label_numbers([c.reference for c in cases], numbers)
        scores.production_predicted = _label_numbers([o.text for o in production], numbers)
        scores.candidate_predicted = _label_numbers([o.text for o in candidate], numbers)
    return scores
