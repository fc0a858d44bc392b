"""Run an evaluation: a candidate and the baseline (the production version) answer the same cases
through their real backends, exactly as serving would run them, and are scored, compared with the
user-clustered bootstrap, gated, and stored.

::

    evaluation = run_evaluation(store, "acme", "triage", "pv_1234", seed=0)
    print(evaluation.table())      # each metric: baseline, candidate, difference [interval], cases
    evaluation.passed              # the gate's verdict; evaluation.summary says why in numbers

**How each version answers.** Through its real backend, as :meth:`flyloop.sdk.Policy.generate`
serves it (:mod:`flyloop.evaluate.answers`): a classifier answers a label, any other version its
rendered messages. Both versions run on the same cases in the same order
(:mod:`flyloop.evaluate.cases`), block by block (a case, or a batch where a version's model runs in
this process and answers in padded batches; that module says what a case's latency then means),
the two versions taking turns to answer a block first (a cache one warms must not flatter the
other's latency). Figures are reproducible given ``seed`` (the bootstrap's draws and the judge's
order).

**Metrics.** By the workload's type (:mod:`flyloop.evaluate.metrics`): accuracy and macro-F1 for
choice workloads; exact match, similarity to the user's correction, a reward model's score (the
``reward`` given, else the candidate's or the baseline's ``reranker``) and a pairwise judge (a
callable, or any policy version id: that version reads both answers and says which is better)
for generation; latency, tokens, refusal rate and length as guardrails.

**Failure.** Bad arguments, an unknown version and too few cases are refused before anything is
stored. Once the versions start answering, a failure (a model that cannot load, a backend error
mid-way) is stored as a ``failed`` evaluation with the error naming its field (``candidate.model``)
and raised again; no figure of a failed evaluation is stored.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from flyloop import errors, registry
from flyloop.capture import get_workload
from flyloop.evaluate import answers as answering
from flyloop.evaluate.answers import IN_PROCESS, PRIME_ALL, Answers
from flyloop.evaluate.bootstrap import DEFAULT_RESAMPLES, MAX_RESAMPLES
from flyloop.evaluate.cases import CaseSet, eval_split_cases, golden_set_cases
from flyloop.evaluate.comparison import Comparison, compare
from flyloop.evaluate.gates import GateConfig
from flyloop.evaluate.gates import gate as judge_by
from flyloop.evaluate.interrupted import this_process
from flyloop.evaluate.judge import Judge
from flyloop.evaluate.metrics import EvalCase, Output, PairedScores, get_metric, score_pairs
from flyloop.evaluate.records import (
    Evaluation,
    finish_record,
    new_evaluation_id,
    parse_gate,
    start_record,
    stored_gate,
)
from flyloop.improve import CLASSIFIER, Generation, backend_for, check_loadable, generation_params, reward_score_batch

if TYPE_CHECKING:
    from flyloop.registry import PolicyVersion
    from flyloop.settings import Settings
    from flyloop.store import Store

# on_progress(phase, done, total): phase "baseline", "candidate", "judge" or "scoring".
Progress = Callable[[str, int, int], None]
MIN_CASES = 10
JUDGE_SYSTEM = (
    "You compare two answers to the same request. Reply with one word: A if answer A is better, "
    "B if answer B is better, or tie if neither is."
)
_VERDICT = re.compile(r"\b(tie|a|b)\b", re.IGNORECASE)


def _check_options(
    limit: int | None, seed: int, metrics: Sequence[str] | None, n_resamples: int, min_cases: int, by: str
) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise errors.ValidationError(f"limit is a whole number, 1 or more, not {limit!r}", field="limit")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise errors.ValidationError(f"seed is a whole number, 0 or more, not {seed!r}", field="seed")
    if isinstance(min_cases, bool) or not isinstance(min_cases, int) or min_cases < 1:
        raise errors.ValidationError(f"min_cases is a whole number, 1 or more, not {min_cases!r}", field="min_cases")
    # The range too, here: the bootstrap's own check comes after every case was answered and stored.
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int) or not 1 <= n_resamples <= MAX_RESAMPLES:
        raise errors.ValidationError(f"n_resamples is a whole number from 1 to {MAX_RESAMPLES:,}", field="n_resamples")
    if metrics is not None:
        if isinstance(metrics, str) or not all(isinstance(m, str) for m in metrics):
            raise errors.ValidationError("metrics is a list of metric names", field="metrics")
        for i, name in enumerate(metrics):
            try:
                get_metric(name)
            except errors.ValidationError as exc:
                raise errors.ValidationError(exc.message, field=f"metrics[{i}]") from None
    if not isinstance(by, str) or not by:
        raise errors.ValidationError("say who runs the evaluation", field="by")


def _version(store: Store, project_id: str, version_id: Any, workload: str, role: str) -> PolicyVersion:
    if not isinstance(version_id, str) or not version_id:
        raise errors.ValidationError(f"the {role} is a policy version id", field=role)
    try:
        version = registry.get_version(store, project_id, version_id)
    except errors.NotFound as exc:
        raise errors.NotFound(exc.message, field=role) from None
    if version.workload != workload:
        raise errors.ValidationError(
            f"the {role} {version_id} is a version of workload {version.workload!r}, not {workload!r}", field=role
        )
    return version


def version_judge(store: Store, project_id: str, judge_id: str, *, settings: Settings | None = None) -> Judge:
    """A pairwise judge run by policy version ``judge_id`` (any backend): it reads the request
    and both answers and replies A, B or tie; a reply that names none counts as a tie."""
    try:
        version = registry.get_version(store, project_id, judge_id)
    except errors.NotFound as exc:
        raise errors.NotFound(exc.message, field="judge") from None
    if version.backend == CLASSIFIER:
        raise errors.ValidationError("a judge reads two answers and writes a verdict: not a classifier", field="judge")
    backend = backend_for(version, settings)
    params = generation_params(version)

    def judge(input: Any, a: str, b: str) -> str:
        request = input if isinstance(input, str) else "\n".join(f"{m['role']}: {m['content']}" for m in input)
        messages = [
            {"role": "system", "content": JUDGE_SYSTEM},
            {"role": "user", "content": f"Request:\n{request}\n\nAnswer A:\n{a}\n\nAnswer B:\n{b}\n\nWhich is better?"},
        ]
        found = _VERDICT.search(backend.generate(messages, **params).text)
        return found.group(1).lower() if found else "tie"

    return judge


def _gate_config(
    store: Store, project_id: str, given: GateConfig | dict[str, Any] | None, workload_type: str, have: Sequence[str]
) -> GateConfig:
    if given is not None:
        return parse_gate(given)
    stored = stored_gate(store, project_id)
    if stored:
        config = parse_gate(stored)
        # The project's gate is one for every workload: a primary metric of another workload type
        # (a generation gate read for a choice workload) gives way to this type's default.
        if workload_type in get_metric(config.primary).workload_types:
            return config
    return GateConfig.default(workload_type, have)


def _references(store: Store, project_id: str, given: GateConfig | None, workload_type: str) -> str:
    """How the eval split's cases count, by the gate the evaluation will judge by (given, else the
    project's when it applies to this workload type, else the default: each once)."""
    if given is not None:
        return given.references
    stored = stored_gate(store, project_id)
    if stored:
        config = parse_gate(stored)
        if workload_type in get_metric(config.primary).workload_types:
            return config.references
    return "equal"


def _metrics_of(comparison: Comparison, baseline: str | None, candidate: str) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {candidate: {}}
    if baseline is not None:
        out[baseline] = {}
    for name, result in comparison.metrics.items():
        out[candidate][name] = result.candidate
        if baseline is not None:
            out[baseline][name] = result.production
    return out


def _comparison_dict(comparison: Comparison, baseline: str | None) -> dict[str, Any]:
    body = comparison.to_dict()
    rows = comparison.rows()
    if baseline is None:  # nothing to compare with: the candidate's own figures only
        keep = ("segment", "metric", "unit", "candidate", "n_cases", "n_clusters")
        rows = [{k: (r[k] if k in keep else None) for k in r} for r in rows]
        body = {k: body[k] for k in ("workload_type", "n_cases", "n_clusters", "seed")}
    return body | {"rows": rows}


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """As stored and read back (tuples as lists): the returned evaluation equals the stored one."""
    out: dict[str, Any] = orjson.loads(orjson.dumps(value))
    return out


def _fail(exc: BaseException, role: str) -> errors.FlyloopError:
    """The error, naming which version it came from (``candidate.model``), of the same class."""
    if isinstance(exc, errors.FlyloopError):
        field = f"{role}.{exc.field}" if exc.field else role
        return type(exc)(f"the {role} failed: {exc.message}", field=field, **exc.details)
    return errors.BackendError(f"the {role} failed: {type(exc).__name__}: {exc}", field=role)


def run_evaluation(
    store: Store,
    project_id: str,
    workload: str,
    candidate: str,
    *,
    baseline: str | None = None,
    dataset: str | None = None,
    golden: str | None = None,
    metrics: Sequence[str] | None = None,
    gate: GateConfig | dict[str, Any] | None = None,
    judge: Judge | str | None = None,
    reward: str | None = None,
    limit: int | None = None,
    seed: int = 0,
    settings: Settings | None = None,
    by: str = "user",
    run_id: str | None = None,
    on_progress: Progress | None = None,
    segment_key: str | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    min_cases: int = MIN_CASES,
    evaluation_id: str | None = None,
    margin: float | None = None,
    cancelled: Callable[[], str | None] | None = None,
) -> Evaluation:
    """Evaluate ``candidate`` against ``baseline`` (None: the workload's production version; with
    none, the candidate's own figures and no gate) on the eval split of ``dataset`` (None: the
    newest untainted version with eval cases of the workload) or on golden set ``golden``.
    ``gate``: the configuration to judge by (None: the project's, else the workload type's
    default); ``margin`` replaces its margin. ``segment_key``: a metadata key results are also
    given per. ``cancelled``: asked between cases; a reason it answers (such as "the server
    stopped") ends the evaluation, stored ``failed`` with that reason, and raises
    :class:`~flyloop.errors.Cancelled`. Returns the stored :class:`Evaluation` (see the module's
    docstring for what is refused and what is stored failed)."""
    _check_options(limit, seed, metrics, n_resamples, min_cases, by)
    spec = get_workload(store, project_id, workload)
    cand = _version(store, project_id, candidate, workload, "candidate")
    if baseline is None:
        base = registry.production(store, project_id, workload)
    else:
        base = _version(store, project_id, baseline, workload, "baseline")
    for i, name in enumerate(metrics or ()):
        if spec.type not in get_metric(name).workload_types:
            raise errors.ValidationError(f"{name} is not a metric of {spec.type} workloads", field=f"metrics[{i}]")
    if base is not None and base.id == cand.id:
        raise errors.ValidationError(f"{cand.id} is both the candidate and the baseline", field="baseline")
    given_gate = parse_gate(gate) if gate is not None else None  # a bad one is refused before anything runs
    if golden is not None and dataset is not None:
        raise errors.ValidationError("evaluate on a dataset's eval split or on a golden set, not both", field="golden")
    if margin is not None and (isinstance(margin, bool) or not isinstance(margin, int | float) or margin < 0):
        raise errors.ValidationError("margin is a number >= 0, in the primary metric's units", field="margin")
    if segment_key is not None and (not isinstance(segment_key, str) or not segment_key):
        raise errors.ValidationError("segment_key is a metadata key such as 'plan'", field="segment_key")
    if reward is not None and (not isinstance(reward, str) or not reward.startswith("rm_")):
        raise errors.ValidationError("reward names a reward model artifact (rm_...)", field="reward")
    if judge is not None and not (callable(judge) or isinstance(judge, str)):
        raise errors.ValidationError("judge is a policy version id or a callable(input, a, b)", field="judge")
    if spec.type == "choice" and (judge is not None or reward is not None):
        raise errors.ValidationError(
            "a choice workload is judged by its labels: no judge or reward", field="judge" if judge else "reward"
        )
    # A golden set's references are a person's: its cases count once whatever the gate says.
    weigh = golden is None and _references(store, project_id, given_gate, spec.type) == "quality"
    if golden is not None:
        found: CaseSet = golden_set_cases(store, project_id, workload, golden, segment_key=segment_key)
        need = 1 if min_cases == MIN_CASES else min_cases  # a person's set is as large as it is
    else:
        found = eval_split_cases(
            store, project_id, workload, spec.type, dataset=dataset, segment_key=segment_key, labels=spec.labels,
            weigh=weigh,
        )  # fmt: skip
        need = min_cases
    cases = found.cases[:limit] if limit is not None else found.cases
    if len(cases) < need:
        raise errors.NotEnoughData(
            f"not enough data: {len(cases)} of {need} eval cases of workload {workload!r} ({found.source}"
            + (f" of dataset version {found.dataset_version[:12]}" if found.dataset_version else "")
            + ")"
            # The default split holds out a tenth of the users and only their newest traffic: a
            # small product has few such cases. Say what would give more.
            + (
                "; a dataset built with a larger splits.eval share, or splits.time_aware false, holds more"
                if golden is None
                else ""
            ),
            field="golden" if golden is not None else "dataset",
            have=len(cases),
            need=need,
        )
    reward_id = reward or (cand.reranker or (base.reranker if base is not None else None))
    if spec.type == "choice":
        reward_id = None
    now = time.time()
    config: dict[str, Any] = {
        "metrics": list(metrics) if metrics is not None else None,
        "seed": seed,
        "limit": limit,
        "segment_key": segment_key,
        "judge": judge if isinstance(judge, str) else ("callable" if judge is not None else None),
        "reward": reward_id,
        "n_resamples": n_resamples,
        "workload_type": spec.type,
        "labels": list(spec.labels or []) if spec.type == "choice" else None,
        "dropped": found.dropped,
        **({"inferred_from_rejection": found.inferred} if found.inferred else {}),
        # Eval-split cases weighed by their examples' curated quality (the gate's references).
        **({"references": "quality"} if weigh else {}),
        # Cases whose metadata lacks the segment key: in the overall figures, in no segment.
        **({"segment_key_missing": found.lacking_segment} if segment_key else {}),
        # Who runs it: a process that dies leaves the row running; its successor marks it failed
        # (flyloop.evaluate.interrupted).
        "process": this_process(),
    }
    record = Evaluation(
        id=evaluation_id or new_evaluation_id(),
        workload=workload,
        candidate=cand.id,
        baseline=base.id if base else None,
        source=found.source,
        dataset_version=found.dataset_version,
        cases=len(cases),
        status="running",
        metrics={},
        comparison={},
        gate=None,
        passed=None,
        config=config,
        error=None,
        run_id=run_id,
        created_by=by,
        created_at=now,
        finished_at=None,
    )
    start_record(store, project_id, record)
    role = "candidate"

    def check_cancelled(done: int) -> None:
        reason = cancelled() if cancelled is not None else None
        if reason:
            raise errors.Cancelled(
                f"evaluation {record.id} was cancelled after {done} of {len(cases)} cases: {reason}",
                evaluation=record.id,
            )

    try:
        total = len(cases)

        def progress(phase: str, done: int, of: int) -> None:
            if on_progress is not None:
                on_progress(phase, done, of)

        answerers: dict[str, Callable[[EvalCase], Generation]] = {}
        batched: dict[str, Answers] = {}
        block = 1
        for role, version in (("baseline", base), ("candidate", cand)):
            if version is not None:
                check_loadable(version, settings)
                answerers[role] = answering.answerer(store, project_id, version, settings=settings)
                if version.backend in PRIME_ALL:
                    # Every case once, untimed, before any is timed (a classifier's answer costs
                    # milliseconds): each version then answers from its own warm caches. Else one
                    # whose embedder keeps a file cache (zero-shot prototypes: curation embedded
                    # every input already) answers from it in 0.2 ms while a kNN vote embeds live
                    # (50 to 150 ms on a loaded machine), and the latency guardrail compares a
                    # cache hit with a model run (bench/bench_evaluate_latency.py).
                    for case in cases:
                        check_cancelled(0)
                        answerers[role](case)
                elif version.backend in IN_PROCESS and cases:
                    # One answer, untimed, before any is timed: the first loads the model and
                    # would stand in the latency's p95 alone (a generation is too dear to repeat).
                    answerers[role](cases[0])
                block = max(block, answering.batch_size(version, settings))
                batched[role] = answering.batch_answerer(store, project_id, version, settings=settings)
                progress(role, 0, total)
        # Block by block (a case, or a batch where a version batches), the two versions taking turns
        # to answer first: whatever one warms for the other (an embedding both look up, a page of
        # the bank) is shared evenly, so neither's latency pays for the other's.
        outputs: dict[str, list[Output]] = {role: [] for role in answerers}
        for n, start in enumerate(range(0, total, block)):
            check_cancelled(start)
            rows = cases[start : start + block]
            for role in sorted(answerers, reverse=n % 2 == 1):
                outputs[role] += batched[role](rows)
                progress(role, start + len(rows), total)
        check_cancelled(total)
        role = "judge"
        the_judge = version_judge(store, project_id, judge, settings=settings) if isinstance(judge, str) else judge
        role = "reward"
        scorer: Callable[[Sequence[Any], Sequence[str]], list[float]] | None = None
        if reward_id is not None:
            scorer = functools.partial(reward_score_batch, reward_id, settings=settings)

        role = "scoring"
        progress("scoring", 0, 1)
        production = outputs.get("baseline", outputs["candidate"])
        scores: PairedScores = score_pairs(
            cases, production, outputs["candidate"], workload_type=spec.type,
            labels=spec.labels if spec.type == "choice" else None, metrics=metrics, reward=scorer,
            judge=the_judge if base is not None else None, seed=seed,
        )  # fmt: skip
        comparison = compare(scores, n_resamples=n_resamples, seed=seed)
        verdict = None
        if base is not None:
            config_used = _gate_config(store, project_id, given_gate, spec.type, list(comparison.metrics))
            if margin is not None:
                config_used = dataclasses.replace(config_used, margin=float(margin))
            verdict = judge_by(comparison, config_used)
        progress("scoring", 1, 1)
    except Exception as exc:
        failure = exc if isinstance(exc, errors.Cancelled) else _fail(exc, role)
        config["error"] = {"type": type(failure).__name__, "field": failure.field, "message": failure.message}
        finished = record.model_copy(
            update={"status": "failed", "error": str(failure), "config": config, "finished_at": time.time()}
        )
        finish_record(store, project_id, finished)
        if failure is exc:
            raise
        raise failure from exc
    except BaseException as exc:  # Ctrl-C, SystemExit: the row must not say running for ever
        error = f"interrupted ({type(exc).__name__}) at the {role} step"
        config["error"] = {"type": "Interrupted", "field": None, "message": error}
        finish_record(
            store,
            project_id,
            record.model_copy(
                update={"status": "failed", "error": error, "config": config, "finished_at": time.time()}
            ),
        )
        raise
    if verdict is not None:
        config["gate"] = _plain(verdict.config.to_dict())
    done = record.model_copy(
        update={
            "status": "succeeded",
            "metrics": _metrics_of(comparison, record.baseline, record.candidate),
            "comparison": _plain(_comparison_dict(comparison, record.baseline)),
            "gate": _plain(verdict.to_dict()) if verdict is not None else None,
            "passed": verdict.passed if verdict is not None else None,
            "config": config,
            "finished_at": time.time(),
        }
    )
    finish_record(store, project_id, done)
    return done
