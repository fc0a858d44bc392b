"""Prompt refinement from failures (loop 1's second half), in the manner of GEPA's reflective prompt
evolution (Agrawal et al., 2025): a language model reads a few failures with what their users said
and did, and writes a revised system prompt; each proposal is scored on held-out cases; the best
survive and are refined further.

One run, step by step (:func:`prepare_refine` plans it, :func:`run_refine` runs it):

1. **The parent** is the workload's production version (or a spec given). It is scored on the
   validation slice first: every later score is compared with it.
2. **A minibatch** of ``minibatch_size`` failures from the pool (a cluster's failures, or all of
   the workload's), with their feedback (:func:`flyloop.improve.cases.feedback`); the pool is dealt
   in a seeded order, so successive minibatches show different failures.
3. **Reflection**: the reflection backend reads the current prompt and the minibatch and answers
   with a revised prompt between ``<prompt>`` tags (:func:`parse_proposal` also takes a fenced
   block or a "new system prompt:" heading: small models ramble). An answer with no prompt in it,
   or the same prompt, costs its call and is recorded as such.
4. **Scoring**: the target backend runs the proposal on every validation case; each answer is
   compared with the case's reference (``similarity``: rapidfuzz's normalised Indel ratio, for
   generation; ``exact``: the same text after case, spacing and surrounding punctuation are
   folded, for choice workloads). Validation cases are never failures of the pool, so a proposal
   is never scored on what it was written from.
5. **The candidates** kept are GEPA's Pareto set: every proposal that is best on at least one
   validation case. The next parent is drawn from it, weighted by the cases it is best on, so a
   prompt that fixes one kind of input is refined further even when its mean is not the highest.

**Budget**: every model call counts, reflection and scoring alike (a batch of n cases is n calls).
:func:`estimate` says how many a run makes: the parent's scoring (V calls for V cases), then as
many iterations (1 + V each) as fit in the budget; the run never passes it. The result holds the
proposals with their scores, the parent's score, the calls and tokens spent, and the best
proposals that beat the parent as PolicySpec-ready dicts (:attr:`RefineResult.candidates`).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import pydantic
from rapidfuzz import fuzz

from flyloop import capture, errors, registry
from flyloop.improve.backends import Backend, backend_for, generation_params
from flyloop.improve.cases import Case, consented, feedback, validation_cases
from flyloop.improve.failures import DEFAULT_WINDOW_S, Failure, FailureCluster, load_failures
from flyloop.store import Store

Metric = Literal["auto", "similarity", "exact"]
METRICS = ("auto", "similarity", "exact")
MIN_VALIDATION = 3
Progress = Callable[[str, int, int], None]  # (stage, calls spent, budget)

REFLECTION_SYSTEM = (
    "You improve the system prompt of an AI assistant from evidence of where it failed. You write "
    "instructions for the assistant, never answers to the particular examples."
)


@dataclass
class Proposal:
    """One revised prompt: where it came from and how it scored (``score`` None: not scored)."""

    id: str
    parent: str
    iteration: int
    system_prompt: str | None
    minibatch: list[str]
    score: float | None = None
    scores: list[float] = field(default_factory=list, repr=False)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent": self.parent,
            "iteration": self.iteration,
            "system_prompt": self.system_prompt,
            "minibatch": self.minibatch,
            "score": None if self.score is None else round(self.score, 6),
            "error": self.error,
        }


@dataclass
class RefinePlan:
    """What a run will read and spend, before it spends anything."""

    project_id: str
    workload: str
    parent: registry.PolicySpec
    parent_id: str | None
    cluster_id: str | None
    pool: list[Failure]
    validation: list[Case]
    metric: str
    budget: int
    minibatch_size: int
    iterations: int
    keep: int
    seed: int
    left_out: dict[str, int]
    notes: dict[str, list[str]] = field(repr=False, default_factory=dict)  # feedback per pool failure

    @property
    def estimate(self) -> int:
        """Model calls the run makes when every reflection answer holds a prompt (at most this)."""
        return estimate(self.budget, len(self.validation), self.iterations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "workload": self.workload,
            "parent": self.parent_id,
            "cluster": self.cluster_id,
            "pool": len(self.pool),
            "validation": len(self.validation),
            "validation_sources": sorted({c.source for c in self.validation}),
            "metric": self.metric,
            "budget": self.budget,
            "minibatch_size": self.minibatch_size,
            "iterations": self.iterations,
            "estimate": self.estimate,
            "left_out": self.left_out,
        }


@dataclass
class RefineResult:
    """A finished run: the parent's score, every proposal, what it cost, and the candidates."""

    plan: RefinePlan
    parent_score: float
    proposals: list[Proposal]
    best: list[Proposal]
    calls: int
    tokens: int

    @property
    def candidates(self) -> list[dict[str, Any]]:
        """The best proposals that beat the parent, best first, as PolicySpec definitions: the
        parent's spec with the proposal's system prompt (``registry.register`` takes them as is)."""
        base = self.plan.parent.definition()
        return [{**base, "system_prompt": p.system_prompt} for p in self.best]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.plan.to_dict(),
            "parent_score": round(self.parent_score, 6),
            "calls": self.calls,
            "tokens": self.tokens,
            "proposals": [p.to_dict() for p in self.proposals],
            "best": [p.id for p in self.best],
            "candidates": self.candidates,
        }


# --- the arithmetic of the budget -------------------------------------------------------------------


def estimate(budget: int, validation_size: int, max_iterations: int | None = None) -> int:
    """Model calls of a run: V (the parent scored on V validation cases) plus 1 + V per
    iteration, as many iterations as the budget holds (at most ``max_iterations``)."""
    return validation_size + _iterations(budget, validation_size, max_iterations) * (1 + validation_size)


def _iterations(budget: int, validation_size: int, max_iterations: int | None) -> int:
    fit = max(budget - validation_size, 0) // (1 + validation_size)
    return fit if max_iterations is None else min(fit, max_iterations)


# --- scoring ----------------------------------------------------------------------------------------

_EDGES = re.compile(r"^[\s\"'`.,;:!?()\[\]]+|[\s\"'`.,;:!?()\[\]]+$")


def _folded(text: str) -> str:
    return _EDGES.sub("", " ".join(text.split())).casefold()


def score(output: str, reference: str, metric: str) -> float:
    """How close an output is to its reference, 0..1 (see the module docstring for the metrics)."""
    if metric == "exact":
        return 1.0 if _folded(output) == _folded(reference) else 0.0
    return fuzz.ratio(" ".join(output.split()), " ".join(reference.split())) / 100.0


# --- reflection -------------------------------------------------------------------------------------

_TAGGED = re.compile(r"<prompt>(.*?)(?:</prompt>|\Z)", re.IGNORECASE | re.DOTALL)
_FENCED = re.compile(r"```[^\n`]*\n(.*?)```", re.DOTALL)
_HEADED = re.compile(
    r"(?:revised|new|improved|updated)\s+system\s+prompt\s*\**\s*:\s*\**\s*(.+)", re.IGNORECASE | re.DOTALL
)


def parse_proposal(answer: str) -> str | None:
    """The revised prompt in a reflection answer: the last ``<prompt>...</prompt>`` (an unclosed
    tag runs to the end: the answer was cut at max_tokens), else the last fenced block, else what
    follows a "new system prompt:" heading; None when there is none or it is empty."""
    found = _TAGGED.findall(answer)
    text: str | None = found[-1] if found else None
    if text is None:
        fenced = _FENCED.findall(answer)
        text = fenced[-1] if fenced else None
    if text is None:
        headed = _HEADED.search(answer)
        text = headed.group(1) if headed else None
    if text is None:
        return None
    text = text.strip().strip('"').strip()
    return text or None


def reflection_messages(
    current: str, minibatch: Sequence[Failure], notes: dict[str, list[str]]
) -> list[dict[str, str]]:
    """The meta-prompt: the current system prompt, then each failure with its feedback, then the
    task (generalise, keep what works, answer between prompt tags)."""
    parts = [
        "An AI assistant runs with this system prompt:",
        f"<current_prompt>\n{current or '(none: the assistant has no system prompt)'}\n</current_prompt>",
        f"Its users judged these {len(minibatch)} answers as failures. Each shows the input, the "
        "assistant's output, and what the users said and did about it.",
    ]
    for n, f in enumerate(minibatch, 1):
        lines = "\n".join(f"- {line}" for line in notes.get(f.interaction_id, []))
        parts.append(f"## Failure {n}\nInput:\n{_clip(f.text)}\nOutput:\n{_clip(f.output)}\nFeedback:\n{lines}")
    parts.append(
        "Find what these failures have in common and which general instructions would have "
        "prevented them; do not copy these particular inputs, the prompt must work on inputs not "
        "shown here. Keep what the current prompt does well. Write the complete revised system "
        "prompt between <prompt> and </prompt>."
    )
    return [{"role": "system", "content": REFLECTION_SYSTEM}, {"role": "user", "content": "\n\n".join(parts)}]


def _clip(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- planning ---------------------------------------------------------------------------------------


def _parent(store: Store, project_id: str, workload: str, parent: Any) -> tuple[registry.PolicySpec, str | None]:
    if parent is None:
        parent = registry.production(store, project_id, workload)
        if parent is None:
            raise errors.NotFound(
                f"workload {workload!r} has no production version to refine: register one and set it "
                "(flyloop policies), or give the parent spec",
                field="parent",
            )
    if isinstance(parent, registry.PolicyVersion):
        return parent.spec(), parent.id
    spec = registry.parse_spec(parent)
    if spec.workload != workload:
        raise errors.ValidationError(
            f"the parent is a policy of workload {spec.workload!r}, not {workload!r}", field="parent"
        )
    return spec, None


def _metric(store: Store, project_id: str, workload: str, metric: str) -> str:
    if metric not in METRICS:
        raise errors.ValidationError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}", field="metric")
    if metric != "auto":
        return metric
    try:
        kind = capture.get_workload(store, project_id, workload).type
    except errors.NotFound:
        kind = "generation"
    return "exact" if kind == "choice" else "similarity"


def prepare_refine(
    store: Store,
    project_id: str,
    workload: str,
    *,
    parent: registry.PolicySpec | dict[str, Any] | None = None,
    cluster: FailureCluster | None = None,
    since: float | None = None,
    until: float | None = None,
    minibatch_size: int = 4,
    validation: Sequence[Case] | None = None,
    validation_size: int = 16,
    dataset: str | None = None,
    budget: int = 100,
    max_iterations: int | None = None,
    keep: int = 3,
    metric: Metric = "auto",
    seed: int = 0,
) -> RefinePlan:
    """Plan a run: the parent (production unless given), the pool (``cluster``'s failures, or the
    workload's failures in ``[since, until)``, by default the last 7 days), the validation slice
    (``validation`` as given, else :func:`flyloop.improve.cases.validation_cases`), the metric
    (``auto``: exact for choice workloads) and the iterations the budget holds. Only failures and
    cases whose consent allows training are read. Refused: a budget too small for one iteration
    (ValidationError, ``budget``), fewer than 3 validation cases or no failure (NotEnoughData)."""
    for name, value in (("minibatch_size", minibatch_size), ("validation_size", validation_size), ("keep", keep)):
        if value < 1:
            raise errors.ValidationError(f"{name} must be at least 1, got {value}", field=name)
    spec, parent_id = _parent(store, project_id, workload, parent)
    chosen = _metric(store, project_id, workload, metric)
    if cluster is not None:
        everything = list(cluster.failures)
    else:
        end = float(until) if until is not None else time.time()
        start = float(since) if since is not None else end - DEFAULT_WINDOW_S
        everything = load_failures(store, project_id, workload, start, end)
    pool = consented(store, project_id, everything)
    if not pool:
        raise errors.NotEnoughData(
            f"not enough data: 0 of 1 failures of workload {workload!r} may be used for training",
            field="cluster",
            have=0,
            need=1,
        )
    pool_ids = {f.interaction_id for f in everything}
    left_out = {"failures_without_consent": len(everything) - len(pool), "missing_variables": 0}
    if validation is not None:
        cases = list(validation)
        overlap = sorted(c.interaction_id for c in cases if c.interaction_id in pool_ids)
        if overlap:
            raise errors.ValidationError(
                f"{len(overlap)} validation cases are failures of the pool (first: {overlap[0]}); a proposal "
                "must never be scored on the failures it was written from",
                field="validation",
            )
    else:
        cases, dropped = validation_cases(
            store,
            project_id,
            workload,
            exclude=pool_ids,
            size=validation_size,
            dataset=dataset,
            variables=spec.variables,
        )
        left_out.update(dropped)
    if len(cases) < MIN_VALIDATION:
        raise errors.NotEnoughData(
            f"not enough data: {len(cases)} of {MIN_VALIDATION} validation cases for workload {workload!r} "
            "(a dataset's validation split, corrected failures outside the pool, or good interactions)",
            field="validation",
            have=len(cases),
            need=MIN_VALIDATION,
        )
    iterations = _iterations(budget, len(cases), max_iterations)
    if iterations < 1:
        need = 2 * len(cases) + 1
        raise errors.ValidationError(
            f"a budget of {budget} calls cannot score the parent and one proposal on {len(cases)} validation "
            f"cases: give at least {need}",
            field="budget",
        )
    return RefinePlan(
        project_id=project_id,
        workload=workload,
        parent=spec,
        parent_id=parent_id,
        cluster_id=cluster.id if cluster is not None else None,
        pool=pool,
        validation=cases,
        metric=chosen,
        budget=budget,
        minibatch_size=minibatch_size,
        iterations=iterations,
        keep=keep,
        seed=seed,
        left_out=left_out,
        notes=feedback(store, project_id, pool),
    )


# --- the run ----------------------------------------------------------------------------------------


class _Meter:
    """Calls and tokens spent, checked against the budget before every call. A call counts when it
    is made, so one that fails (a timeout after its retries) is spent too."""

    def __init__(self, budget: int, progress: Progress | None) -> None:
        self.budget, self.progress = budget, progress
        self.calls = self.tokens = 0

    def call(self, stage: str, calls: int, make: Callable[[], list[Any]]) -> list[Any]:
        """``make()``'s answers, once its ``calls`` are counted against the budget."""
        if self.calls + calls > self.budget:  # never reached: the plan's iterations fit the budget
            raise errors.ValidationError(f"the budget of {self.budget} calls is spent", field="budget")
        self.calls += calls
        answers = make()
        self.tokens += sum(int(g.tokens_in) + int(g.tokens_out) for g in answers)
        if self.progress is not None:
            self.progress(stage, self.calls, self.budget)
        return answers

    def afford(self, calls: int) -> bool:
        return self.calls + calls <= self.budget


def _evaluate(plan: RefinePlan, target: Backend, system_prompt: str, meter: _Meter, stage: str) -> list[float]:
    spec = registry.PolicySpec(**{**plan.parent.definition(), "system_prompt": system_prompt})
    batch = [registry.render_messages(spec, c.input, **c.variables) for c in plan.validation]
    params = generation_params(plan.parent)
    answers = meter.call(stage, len(batch), lambda: target.generate_batch(batch, **params))
    return [score(a.text, c.reference, plan.metric) for a, c in zip(answers, plan.validation, strict=True)]


def _front(candidates: Sequence[Proposal]) -> dict[str, int]:
    """GEPA's Pareto front: each candidate that is best (ties included) on at least one case,
    with the number of such cases."""
    wins: dict[str, int] = {}
    for case in range(len(candidates[0].scores)):
        top = max(c.scores[case] for c in candidates)
        for c in candidates:
            if c.scores[case] >= top - 1e-12:
                wins[c.id] = wins.get(c.id, 0) + 1
    return wins


def _ask(backend: Backend, messages: list[dict[str, str]], params: dict[str, Any]) -> list[Any]:
    return [backend.generate(messages, **params)]


def _iterate(
    plan: RefinePlan,
    reflection: Backend,
    target: Backend,
    params: dict[str, Any],
    meter: _Meter,
    rng: random.Random,
    root: Proposal,
    proposals: list[Proposal],
) -> None:
    scored = [root]
    order = list(plan.pool)
    rng.shuffle(order)
    dealt = 0
    for iteration in range(1, plan.iterations + 1):
        if not meter.afford(1 + len(plan.validation)):
            break
        wins = _front(scored)
        names = sorted(wins)
        chosen = rng.choices(names, weights=[wins[n] for n in names])[0]
        parent = next(c for c in scored if c.id == chosen)
        minibatch = [order[(dealt + j) % len(order)] for j in range(min(plan.minibatch_size, len(order)))]
        dealt += len(minibatch)
        prompt = reflection_messages(parent.system_prompt or "", minibatch, plan.notes)
        [answer] = meter.call("reflection", 1, partial(_ask, reflection, prompt, params))
        proposal = Proposal(
            f"p{iteration}", parent.id, iteration, parse_proposal(answer.text), [f.interaction_id for f in minibatch]
        )
        proposals.append(proposal)
        if proposal.system_prompt is None:
            proposal.error = "the answer held no prompt"
            continue
        if proposal.system_prompt == parent.system_prompt:
            proposal.error = "the same prompt as its parent"
            continue
        try:
            registry.PolicySpec(**{**plan.parent.definition(), "system_prompt": proposal.system_prompt})
        except pydantic.ValidationError as exc:  # a prompt over the registry's length limit
            proposal.error = f"not a valid policy: {exc.errors()[0]['msg']}"
            continue
        proposal.scores = _evaluate(plan, target, proposal.system_prompt, meter, "scoring")
        proposal.score = sum(proposal.scores) / len(proposal.scores)
        scored.append(proposal)


def run_refine(
    plan: RefinePlan,
    *,
    reflection: Backend | None = None,
    target: Backend | None = None,
    reflection_params: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> RefineResult:
    """Run a planned refinement (module docstring). ``target`` defaults to the parent's own
    backend, ``reflection`` to the target; ``reflection_params`` are its generation parameters
    (default: temperature 0.7, max_tokens 1024). Stops at the budget: ``calls`` <= ``plan.budget``."""
    target = target if target is not None else backend_for(plan.parent)
    reflection = reflection if reflection is not None else target
    params = {"temperature": 0.7, "max_tokens": 1024, **(reflection_params or {})}
    meter = _Meter(plan.budget, progress)
    rng = random.Random(plan.seed)
    root = Proposal("parent", "", 0, plan.parent.system_prompt, [])
    proposals: list[Proposal] = []
    try:
        root.scores = _evaluate(plan, target, plan.parent.system_prompt, meter, "parent")
        root.score = sum(root.scores) / len(root.scores)
        _iterate(plan, reflection, target, params, meter, rng, root, proposals)
    except errors.FlyloopError as exc:
        # A backend that failed for good ends the run; what it spent stays on the error's record.
        exc.details.setdefault("calls", meter.calls)
        exc.details.setdefault("tokens", meter.tokens)
        raise
    parent_score = root.score or 0.0
    beating = [p for p in proposals if p.score is not None and p.score > parent_score + 1e-12]
    best = sorted(beating, key=lambda p: (-(p.score or 0.0), p.iteration))[: plan.keep]
    return RefineResult(plan, parent_score, proposals, best, meter.calls, meter.tokens)


def refine_prompt(
    store: Store,
    project_id: str,
    workload: str,
    *,
    reflection: Backend | None = None,
    target: Backend | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> RefineResult:
    """:func:`prepare_refine` with ``options``, then :func:`run_refine`: one call for a whole run."""
    plan = prepare_refine(store, project_id, workload, **options)
    return run_refine(plan, reflection=reflection, target=target, progress=progress)
