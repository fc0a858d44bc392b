"""The improvement loops that exist today, registered by name with :mod:`flyloop.improve.runs`
(which records every run and schedules them):

- ``fewshot`` (loop 2, :mod:`flyloop.improve.bank`): a bank from a dataset version, then a
  candidate that is the production version with that bank, its ``k`` (else ``loops_fewshot_k``)
  and a selector (the production version's when it already serves a bank, else ``balanced`` for a
  choice workload and ``similarity`` otherwise). ``refresh=True`` first builds the loop's own
  dataset version of the workload (``fewshot-<workload>``, sft only) on today's labels, so new
  examples reach the bank: scheduled runs refresh; a manual run reads the newest dataset version
  holding the workload's training examples unless told to. Due when ``loops_fewshot_min_new``
  corrected or confidently good labels arrived since the last bank (on by default, every
  ``loops_fewshot_every_s``: it spends no model calls, only embeddings).
- ``prompt`` (loop 1, :mod:`flyloop.improve.refine`): the workload's failure clusters, then a
  GEPA-like refinement of the production prompt on the largest ``clusters`` of them (all its
  failures in the window when none forms a cluster), within ``budget`` model calls split evenly
  between them. The estimate is stored on the run before the first call (:func:`flyloop.improve.runs.plan_loop`
  gives it without spending any); the proposals that beat production on the validation slice
  become candidates. The reflection model: ``loops_reflection_backend`` and ``loops_reflection_model``,
  else the production version's own. Due when ``loops_prompt_min_failures`` new failures arrived
  since its last run; off by default (``loops_prompt_every_s`` = 0), since each run spends calls.

Both need a production version: a candidate is a revision of what runs, and without one there is
no backend or model to start from (a default spec would have to guess them). A run without one
fails at once with a message saying how to set one. Candidates get ``created_by="loop:<run id>"``
and the production version as their parent.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from flyloop import datasets, errors, registry
from flyloop.capture import get_workload
from flyloop.improve.backends import Backend, backend
from flyloop.improve.bank import MIN_QUALITY, build_bank, latest_dataset, list_banks
from flyloop.improve.classifier import CLASSIFIER
from flyloop.improve.embedders import Embedder, embedder
from flyloop.improve.failures import DEFAULT_WINDOW_S, FailureCluster, failure_clusters
from flyloop.improve.head_model import is_head_id
from flyloop.improve.prototypes import is_prototypes
from flyloop.improve.refine import prepare_refine, run_refine
from flyloop.improve.runs import Loop, RunContext, Trigger, count_labels, last_started, register_loop, shared_options
from flyloop.settings import Settings
from flyloop.store import Store, schema

MIN_CONFIDENCE = 0.5  # a "confidently good" label: curation's default least confidence

# --- shared by the loops ------------------------------------------------------------------------------


def _production(ctx: RunContext, loop: str) -> registry.PolicyVersion:
    found = registry.production(ctx.store, ctx.project_id, ctx.workload)
    if found is None:
        raise errors.NotFound(
            f"workload {ctx.workload!r} has no production version for the {loop} loop to improve on: register "
            f"one and promote it (flyloop policies register --workload {ctx.workload} ...; flyloop policies "
            f"promote {ctx.workload} <version>)",
            field="production",
        )
    ctx.inputs["production"] = found.id
    return found


def _embedder(ctx: RunContext) -> Embedder | None:
    chosen = ctx.options.get("embedder")
    if chosen is None or not isinstance(chosen, str):
        return chosen
    return embedder(chosen, home=ctx.settings.home)


# --- loop 2: the few-shot bank ------------------------------------------------------------------------


def _fewshot_dataset(ctx: RunContext) -> str | None:
    if ctx.options.get("refresh"):
        # With the eval kind, the version that fills the bank also holds the held-out cases its
        # candidate is evaluated on (flyloop.evaluate): one split, so no user is on both sides.
        built = datasets.build(
            ctx.store,
            ctx.project_id,
            f"fewshot-{ctx.workload}",
            {"workloads": [ctx.workload], "kinds": ["sft", "eval"]},
        )
        ctx.details["dataset_refreshed"] = built.id
        return built.id
    given = ctx.options.get("dataset")
    return None if given is None else str(given)


def _fewshot(ctx: RunContext) -> None:
    least = ctx.options.get("min_quality")
    if least is not None and not 0 <= least <= 1:
        raise errors.ValidationError(f"min_quality must be from 0 to 1, not {least}", field="min_quality")
    production = _production(ctx, "fewshot")
    kind = get_workload(ctx.store, ctx.project_id, ctx.workload).type
    bank = build_bank(
        ctx.store,
        ctx.project_id,
        ctx.workload,
        dataset=_fewshot_dataset(ctx),
        embedder=ctx.options.get("embedder"),
        min_examples=int(ctx.options.get("min_examples", 10)),
        # A bank's default least quality (0.5) is above what one unopposed thumbs-up from a new
        # rater earns (confidence 0.5 x trust 2/3): a thumbs-only project may ask for less, knowing
        # that habitual raters' thumbs then reach the bank too (see bank.MIN_QUALITY).
        min_quality=MIN_QUALITY if least is None else float(least),
        settings=ctx.settings,
    )
    ctx.inputs.update(dataset=bank.dataset_version, embedder=bank.embedder)
    ctx.outputs["bank"] = bank.id
    k = int(ctx.options.get("k") or production.k or ctx.settings.loops_fewshot_k)
    # A production version that already serves a bank chose its selector; else the workload's type decides.
    selector = production.selector if production.bank else ("balanced" if kind == "choice" else "similarity")
    spec = {**production.definition(), "bank": bank.id, "k": k, "selector": selector}
    if production.backend == CLASSIFIER and is_prototypes(production.model):
        # A zero-shot classifier's successor votes over the bank: its label descriptions go with
        # the model they served (a prototypes model would answer without looking at the bank).
        params = {key: v for key, v in production.params.items() if key != "label_descriptions"}
        spec |= {"model": None, "params": params}
    elif production.backend == CLASSIFIER and is_head_id(production.model):
        # A trained head answers without looking at the bank: the head with a new bank would
        # answer every case as production does. The bank's candidate is its vote, against the head.
        spec |= {"model": None}
    ctx.details.update(
        bank={"id": bank.id, "size": bank.size, "live": bank.live, "counts": bank.manifest.get("counts")},
        k=k,
        selector=selector,
    )
    if spec == production.definition():
        ctx.outputs["candidates"] = []
        ctx.details["unchanged"] = "production already serves this bank with this k and selector"
        return
    candidate = registry.register(
        ctx.store,
        ctx.project_id,
        spec,
        parent=production.id,
        created_by=ctx.created_by,
        note=f"few-shot: bank {bank.id} ({bank.live} examples of dataset {bank.dataset_version[:12]}), k={k}",
    )
    if candidate.created_by != ctx.created_by:  # the same spec was registered before: one version
        ctx.details["registered_before_by"] = candidate.created_by
    ctx.outputs["candidates"] = [candidate.id]


def _fewshot_trigger(store: Store, project_id: str, workload: str, settings: Settings) -> Trigger:
    banks = list_banks(store, project_id, workload)
    last_run = last_started(store, project_id, "fewshot", workload, ("succeeded",))
    since = max([0.0] + [b.created_at for b in banks[:1]] + ([last_run] if last_run is not None else []))
    lb = schema.labels
    fresh = count_labels(
        store,
        project_id,
        workload,
        schema.labels.c.updated_at > since,
        sa.or_(lb.c.verdict == "corrected", sa.and_(lb.c.verdict == "good", lb.c.confidence >= MIN_CONFIDENCE)),
    )
    need = settings.loops_fewshot_min_new
    where = "since the last bank" if since else "so far (no bank yet)"
    return Trigger(
        fresh >= need,
        f"{fresh} new corrected or confidently good examples {where} (need {need})",
        {"new_examples": fresh, "need": need, "since": since},
    )


def _fewshot_plan(ctx: RunContext) -> dict[str, Any]:
    production = _production(ctx, "fewshot")
    dataset = ctx.options.get("dataset")
    if dataset is not None:
        dataset = datasets.get(ctx.store, ctx.project_id, str(dataset)).id
    elif not ctx.options.get("refresh"):
        dataset = latest_dataset(ctx.store, ctx.project_id, ctx.workload)
    return {"estimate": 0, "production": production.id, "dataset": dataset, "refresh": bool(ctx.options.get("refresh"))}


# --- loop 1: prompt refinement ------------------------------------------------------------------------


def _reflection(ctx: RunContext, production: registry.PolicyVersion) -> Backend | None:
    given = ctx.options.get("reflection")
    if given is not None:
        return given
    name, model = ctx.settings.loops_reflection_backend, ctx.settings.loops_reflection_model
    if name is None and model is None:
        return None  # refine's default: the production version's own backend reflects
    name = name or production.backend
    return backend(name, model=model or (production.model if name == production.backend else None))


def _refine_plans(ctx: RunContext, production: registry.PolicyVersion) -> list[Any]:
    budget = int(ctx.options.get("budget") or ctx.settings.loops_prompt_budget)
    wanted = int(ctx.options.get("clusters", 1))
    if wanted < 1:
        raise errors.ValidationError(f"clusters must be at least 1, got {wanted}", field="clusters")
    until = ctx.options.get("until")
    since = ctx.options.get("since")
    report = failure_clusters(
        ctx.store,
        ctx.project_id,
        ctx.workload,
        since=since,
        until=until,
        embedder=_embedder(ctx),
        settings=ctx.settings,
    )
    chosen: list[FailureCluster | None] = list(report.clusters[:wanted]) or [None]
    ctx.inputs.update(
        failures=report.failures, window=[report.since, report.until], clusters=[c.id for c in chosen if c is not None]
    )
    share = budget // len(chosen)  # the budget is split evenly; never more than it in all
    keys = ("validation_size", "minibatch_size", "keep", "seed", "dataset")
    extra = {k: ctx.options[k] for k in keys if ctx.options.get(k) is not None}
    return [
        prepare_refine(
            ctx.store,
            ctx.project_id,
            ctx.workload,
            parent=production,
            cluster=cluster,
            since=report.since,
            until=report.until,
            budget=share,
            **extra,
        )
        for cluster in chosen
    ]


def _prompt(ctx: RunContext) -> None:
    production = _production(ctx, "prompt")
    plans = _refine_plans(ctx, production)
    ctx.details["estimate"] = sum(p.estimate for p in plans)
    ctx.details["plans"] = [p.to_dict() for p in plans]
    reflection = _reflection(ctx, production)
    ctx.outputs["candidates"] = []
    ctx.details["results"] = []
    for plan in plans:
        result = run_refine(plan, reflection=reflection, target=ctx.options.get("target"))
        ctx.calls += result.calls
        ctx.tokens += result.tokens
        summary = {
            "cluster": plan.cluster_id,
            "parent_score": round(result.parent_score, 6),
            "proposals": [p.to_dict() for p in result.proposals],
            "best": [],
        }
        ctx.details["results"].append(summary)
        for proposal, definition in zip(result.best, result.candidates, strict=True):
            where = f"failure cluster {plan.cluster_id}" if plan.cluster_id else "the workload's failures"
            candidate = registry.register(
                ctx.store,
                ctx.project_id,
                definition,
                parent=production.id,
                created_by=ctx.created_by,
                note=(
                    f"prompt refined on {where}: validation score {proposal.score:.3f} against production's "
                    f"{result.parent_score:.3f}"
                ),
            )
            summary["best"].append({"proposal": proposal.id, "version": candidate.id, "score": proposal.score})
            if candidate.id not in ctx.outputs["candidates"]:
                ctx.outputs["candidates"].append(candidate.id)


def _prompt_trigger(store: Store, project_id: str, workload: str, settings: Settings) -> Trigger:
    # By the interactions' time, as refinement reads its window: a failure older than the window
    # would make the loop due and then not be read.
    window = time.time() - DEFAULT_WINDOW_S
    last = last_started(store, project_id, "prompt", workload, ("succeeded", "failed"))
    since = max(last, window) if last is not None else window
    lb = schema.labels
    fresh = count_labels(store, project_id, workload, lb.c.ts > since, lb.c.verdict.in_(("bad", "corrected")))
    need = settings.loops_prompt_min_failures
    where = "since the last run" if last is not None else "in the last 7 days"
    return Trigger(
        fresh >= need,
        f"{fresh} new failures {where} (need {need})",
        {"new_failures": fresh, "need": need, "since": since},
    )


def _prompt_plan(ctx: RunContext) -> dict[str, Any]:
    production = _production(ctx, "prompt")
    plans = _refine_plans(ctx, production)
    return {
        "estimate": sum(p.estimate for p in plans),
        "budget": sum(p.budget for p in plans),
        "production": production.id,
        "clusters": ctx.inputs.get("clusters", []),
        "failures": ctx.inputs.get("failures"),
        "plans": [p.to_dict() for p in plans],
    }


register_loop(
    Loop(
        name="fewshot",
        run=_fewshot,
        trigger=_fewshot_trigger,
        every_s=lambda s: s.loops_fewshot_every_s,
        options={
            **shared_options("dataset"),
            "refresh": (bool, "true or false"),
            "embedder": ((str, Embedder), "an embedder's name"),
            "k": (int, "a whole number of examples"),
            "min_examples": (int, "a whole number"),
            "min_quality": ((int, float), "a number from 0 to 1"),
        },
        plan=_fewshot_plan,
        cadence_options={"refresh": True},
    )
)
register_loop(
    Loop(
        name="prompt",
        run=_prompt,
        trigger=_prompt_trigger,
        every_s=lambda s: s.loops_prompt_every_s,
        options={
            "budget": (int, "a whole number of model calls"),
            "clusters": (int, "a whole number of failure clusters"),
            **shared_options("since", "until", "seed", "dataset"),
            "validation_size": (int, "a whole number"),
            "minibatch_size": (int, "a whole number"),
            "keep": (int, "a whole number"),
            "embedder": ((str, Embedder), "an embedder's name"),
            "reflection": (Backend, "a model backend (in the library only)"),
            "target": (Backend, "a model backend (in the library only)"),
        },
        plan=_prompt_plan,
    )
)
