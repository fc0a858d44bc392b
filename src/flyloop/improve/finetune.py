"""Loop 3, fine-tuning, registered as ``finetune`` with :mod:`flyloop.improve.runs`: one loop name
whose body the workload's type picks.

- a **generation** workload: LoRA over TRL and PEFT (``method`` ``sft``, ``dpo`` or ``kto``) on the
  workload's rows of a dataset version (:mod:`flyloop.improve.lora`); the adapter becomes an
  artifact and a candidate version of the ``transformers`` backend with that adapter;
- a **choice** workload: a calibrated head on frozen embeddings and the texts' words, optionally after a SetFit-style
  contrastive fine-tune of the embedder (:mod:`flyloop.improve.heads`); a candidate version of the
  ``classifier`` backend whose model is the head.

Due when the workload has ``loops_finetune_min_pairs`` training examples (default 500: corrected
labels, and good or bad ones held with curation's least confidence). Off the cadence by default
(``loops_finetune_every_s`` = 0): a run takes minutes of CPU. With
``loops_finetune_after_failed_gates`` = N > 0 it also waits until the N newest evaluated prompt and
few-shot candidates in a row failed their gates: the cheap loops first. ``flyloop loops run finetune`` prints
the rule and the counts before it starts, and says why not when it would not be due.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from flyloop.capture import get_workload
from flyloop.improve.embedders import Embedder
from flyloop.improve.runs import Loop, Options, RunContext, Trigger, count_labels, register_loop, shared_options
from flyloop.settings import Settings
from flyloop.store import Store, schema

MIN_CONFIDENCE = 0.5  # as the few-shot loop's: curation's default least confidence
METHODS = ("sft", "dpo", "kto")
CHEAP_LOOPS = ("prompt", "fewshot")  # what fine-tuning waits on when loops_finetune_after_failed_gates > 0


def trainable_labels(store: Store, project_id: str, workload: str) -> dict[str, int]:
    """What the fine-tuning trigger counts: corrected labels (an SFT target and a preference pair
    each), and good and bad ones held with at least :data:`MIN_CONFIDENCE` (SFT or KTO rows)."""
    lb = schema.labels
    confident = lb.c.confidence >= MIN_CONFIDENCE
    corrected = count_labels(store, project_id, workload, lb.c.verdict == "corrected")
    good = count_labels(store, project_id, workload, lb.c.verdict == "good", confident)
    bad = count_labels(store, project_id, workload, lb.c.verdict == "bad", confident)
    return {"corrected": corrected, "good": good, "bad": bad, "total": corrected + good + bad}


def cheap_loop_gates(store: Store, project_id: str, workload: str, n: int) -> list[bool]:
    """Whether each of the ``n`` newest evaluated candidates of the prompt and few-shot loops of
    ``workload`` passed its gate, newest first (one entry per candidate: its newest evaluation).
    Read from the evaluations table directly: evaluation is a later stage than improve."""
    ev, pv, lr = schema.evaluations, schema.policy_versions, schema.loop_runs
    with store.read() as conn:
        rows = conn.execute(
            sa.select(ev.c.candidate, ev.c.passed, pv.c.created_by)
            .join(pv, sa.and_(pv.c.project_id == ev.c.project_id, pv.c.id == ev.c.candidate))
            .where(ev.c.project_id == project_id, ev.c.workload == workload, ev.c.status == "succeeded")
            .where(ev.c.passed.is_not(None), pv.c.created_by.like("loop:%"))
            .order_by(ev.c.created_at.desc(), ev.c.id.desc())
            .limit(500)
        ).all()
        run_ids = {r.created_by.removeprefix("loop:") for r in rows}
        loops = dict(
            conn.execute(
                sa.select(lr.c.id, lr.c.loop).where(lr.c.project_id == project_id, lr.c.id.in_(sorted(run_ids)))
            ).all()
        )
    seen: set[str] = set()
    out: list[bool] = []
    for row in rows:
        if row.candidate in seen or loops.get(row.created_by.removeprefix("loop:")) not in CHEAP_LOOPS:
            continue
        seen.add(row.candidate)
        out.append(bool(row.passed))
        if len(out) == n:
            break
    return out


def _trigger(store: Store, project_id: str, workload: str, settings: Settings) -> Trigger:
    counts = trainable_labels(store, project_id, workload)
    need = settings.loops_finetune_min_pairs
    kind = get_workload(store, project_id, workload).type
    what = "labelled examples" if kind == "choice" else "training pairs"
    reason = (
        f"{counts['total']} {what} ({counts['corrected']} corrected, {counts['good']} good, {counts['bad']} bad "
        f"with confidence >= {MIN_CONFIDENCE}); the rule: at least {need} (loops_finetune_min_pairs)"
    )
    due = counts["total"] >= need
    failed_gates = settings.loops_finetune_after_failed_gates
    extra: dict[str, Any] = {}
    if failed_gates > 0:
        gates = cheap_loop_gates(store, project_id, workload, failed_gates)
        failed = len(gates) if not any(gates) else gates.index(True)
        due = due and failed >= failed_gates
        reason += (
            f", and the {failed_gates} newest evaluated prompt and few-shot candidates failed their gates "
            f"(loops_finetune_after_failed_gates): {failed} in a row did"
            + (f" of {len(gates)} evaluated" if len(gates) < failed_gates else "")
        )
        extra = {"failed_gates": failed, "need_failed_gates": failed_gates}
    return Trigger(due, reason, {**counts, "need": need, "type": kind, **extra})


def _run(ctx: RunContext) -> None:
    if get_workload(ctx.store, ctx.project_id, ctx.workload).type == "choice":
        from flyloop.improve import heads

        heads.train_head(ctx)
    else:
        from flyloop.improve import lora

        lora.train_lora(ctx)


def _check(ctx: RunContext) -> None:
    """The other body's options, refused by name before a run is recorded."""
    if get_workload(ctx.store, ctx.project_id, ctx.workload).type == "choice":
        from flyloop.improve import heads

        heads._options(ctx)  # the head's own check: LoRA options refused by name
    else:
        from flyloop.improve import lora_config

        lora_config.refuse_choice_options(ctx)
        lora_config.method_of(ctx)


def _plan(ctx: RunContext) -> dict[str, Any]:
    trigger = _trigger(ctx.store, ctx.project_id, ctx.workload, ctx.settings)
    rule = {"due": trigger.due, "reason": trigger.reason, "counts": trigger.counts}
    if get_workload(ctx.store, ctx.project_id, ctx.workload).type == "choice":
        from flyloop.improve import heads

        return {"estimate": 0, "rule": rule, **heads.plan_head(ctx)}
    from flyloop.improve import lora

    return {"estimate": 0, "rule": rule, **lora.plan_lora(ctx)}


OPTIONS: Options = {
    **shared_options("dataset", "force", "reason", "seed", "learning_rate", "batch_size", "max_length"),
    # both
    "min_pairs": (int, "a whole number of training examples"),
    "validation_size": (int, "a whole number"),
    # generation: LoRA
    "method": (str, "sft, dpo or kto"),
    "base_model": (str, "a model the transformers backend loads (default: production's)"),
    "rank": (int, "the LoRA rank, a whole number"),
    "alpha": (int, "the LoRA alpha, a whole number"),
    "target_modules": ((str, list), "all-linear, or a list of module names"),
    "steps": (int, "a whole number of optimizer steps"),
    "epochs": ((int, float), "a number of passes over the data"),
    "beta": ((int, float), "the DPO/KTO beta, a number above 0"),
    # choice: the head
    "embedder": ((str, Embedder), "an embedder's name"),
    "setfit": (bool, "true or false: a contrastive fine-tune of the embedder first"),
    "setfit_pairs": (int, "a whole number of contrastive pairs"),
    "words": (bool, "true or false: the texts' words (TF-IDF) beside their vectors (default true)"),
    "c": ((int, float), "the head's inverse regularisation, a number above 0 (default: chosen by cross-validation)"),
}

register_loop(
    Loop(
        name="finetune",
        run=_run,
        trigger=_trigger,
        every_s=lambda s: s.loops_finetune_every_s,
        options=OPTIONS,
        plan=_plan,
        check=_check,
    )
)
