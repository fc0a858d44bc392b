"""Loop 3 for a generation workload: LoRA fine-tuning of a local causal LM over TRL and PEFT, by
SFT (corrected and good answers), DPO (corrected against original, chosen against rejected) or KTO
(good and bad answers), on the workload's rows of a dataset version. The ``finetune`` loop
(:mod:`flyloop.improve.finetune`) calls :func:`train_lora` for a generation workload and
:func:`plan_lora` to say what a run would do before it does it.

A run: refuse the choice head's options; resolve the base model (offline: a model that is not on
disk is a BackendError naming it, nothing registered) and the configuration
(:mod:`flyloop.improve.lora_config`); read the training data (not enough: "not enough data: N of
M" before anything loads; a tainted version only when forced with a reason); estimate the memory
and refuse a run that cannot fit, before loading; train inside an artifact staging folder, with
progress and a cancel check at every step (a cancelled or failed run leaves no files and
registers nothing); save only the adapter; measure held-out exact match on validation rows before
and after (greedy, short answers) and the eval loss; commit the artifact with its manifest; then
register the candidate: production's spec (or a fresh one) on the transformers backend with the
base model and the adapter's artifact id, its parent production.

Rows are trained in the chat form the candidate will be served in: the version's system prompt
(or :data:`~flyloop.improve.lora_config.DEFAULT_SYSTEM`), the user turn rendered by its template,
the answer as the assistant's turn.
"""

from __future__ import annotations

import math
import shutil
import time
from typing import Any

from flyloop import datasets, errors, registry
from flyloop.extras import require
from flyloop.improve import artifacts, training
from flyloop.improve.backends import split_params
from flyloop.improve.lora_config import (
    DEFAULT_SYSTEM,
    EXACT_MATCH_ROWS,
    base_model,
    check_target_modules,
    estimate_memory,
    estimate_seconds,
    method_of,
    model_folder,
    planned_steps,
    refuse_choice_options,
    resolve_config,
)
from flyloop.improve.runs import RunContext

EXTRA = "train"
LOSS_POINTS = 10  # the manifest keeps this many points of the training loss curve
MAX_NEW_TOKENS = 48  # held-out exact match: answers are short; a longer one is wrong anyway


# --- rows in the served chat form ---------------------------------------------------------------------


def _text(value: Any) -> str:
    """An answer as text (a conversational row's answer is a list of one assistant turn)."""
    if isinstance(value, list):
        return "".join(str(m.get("content") or "") for m in value if isinstance(m, dict))
    return str(value)


def _prompt_messages(prompt: Any, spec: registry.PolicySpec) -> list[dict[str, str]]:
    """The messages the candidate would send for ``prompt``: its system prompt and template."""
    if spec.variables:  # the stored prompt was rendered already: a template's variables are not kept
        system = [{"role": "system", "content": spec.system_prompt}] if spec.system_prompt else []
        user = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else list(prompt)
        return system + [{"role": str(m["role"]), "content": str(m["content"])} for m in user]
    if isinstance(prompt, list):
        earlier = [{"role": str(m["role"]), "content": str(m["content"])} for m in prompt if m.get("role") != "system"]
        return registry.render_messages(spec, earlier)
    return registry.render_messages(spec, prompt)


def chat_rows(rows: list[dict[str, Any]], method: str, spec: registry.PolicySpec) -> list[dict[str, Any]]:
    """TRL's conversational rows of ``method`` (prompt as messages, answers as assistant turns)."""
    out = []
    for row in rows:
        prompt = _prompt_messages(row["prompt"], spec)
        if method == "dpo":
            out.append(
                {
                    "prompt": prompt,
                    "chosen": [{"role": "assistant", "content": _text(row["chosen"])}],
                    "rejected": [{"role": "assistant", "content": _text(row["rejected"])}],
                }
            )
        else:
            entry: dict[str, Any] = {
                "prompt": prompt,
                "completion": [{"role": "assistant", "content": _text(row["completion"])}],
            }
            if method == "kto":
                entry["label"] = bool(row["label"])
            out.append(entry)
    return out


def targets(rows: list[dict[str, Any]], method: str) -> list[tuple[list[dict[str, str]], str]]:
    """(prompt, the answer held right) of chat rows: the completion (SFT; KTO's desirable rows
    only) or the chosen answer (DPO)."""
    if method == "dpo":
        return [(r["prompt"], _text(r["chosen"])) for r in rows]
    return [(r["prompt"], _text(r["completion"])) for r in rows if method == "sft" or r.get("label")]


# --- held-out exact match -----------------------------------------------------------------------------


def _exact_match_pairs(
    ctx: RunContext,
    method: str,
    version: str,
    validation: list[dict[str, Any]],
    spec: registry.PolicySpec,
    limit: int,
) -> tuple[list[tuple[list[dict[str, str]], str]], str | None]:
    """What exact match is measured on: the validation rows' targets, else (a version without a
    validation split) the same version's held-out eval references, read only to measure."""
    pairs = targets(validation, method)
    if pairs:
        return pairs[:limit], "validation"
    try:
        # The taint was decided when the training rows were read: force here only skips asking again.
        _, rows, _ = datasets.prepare(
            ctx.store, ctx.project_id, version, "eval", splits=["eval"], force=True, workloads=[ctx.workload]
        )
    except (errors.NotFound, errors.Conflict):
        return [], None
    held = rows.get("eval", [])
    pairs = [(_prompt_messages(r["prompt"], spec), _text(r["reference"])) for r in held if r.get("reference")]
    return pairs[:limit], ("eval" if pairs else None)


def greedy(
    model: Any,
    tokenizer: Any,
    prompts: list[list[dict[str, str]]],
    *,
    batch_size: int = 16,
    max_new_tokens: int = MAX_NEW_TOKENS,
) -> list[str]:
    """Greedy answers to chat prompts, left-padded batches, at most ``max_new_tokens`` each."""
    torch = require("torch", EXTRA, "LoRA fine-tuning")
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    device = next(model.parameters()).device
    answers: list[str] = []
    was_training = model.training
    model.eval()
    try:
        for start in range(0, len(prompts), batch_size):
            encoded = [
                list(
                    tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=True, return_dict=True)[
                        "input_ids"
                    ]
                )
                for p in prompts[start : start + batch_size]
            ]
            width = max(len(e) for e in encoded)
            ids = torch.full((len(encoded), width), pad, dtype=torch.long)
            mask = torch.zeros((len(encoded), width), dtype=torch.long)
            for row, e in enumerate(encoded):
                ids[row, width - len(e) :] = torch.tensor(e, dtype=torch.long)
                mask[row, width - len(e) :] = 1
            with torch.inference_mode():
                out = model.generate(
                    input_ids=ids.to(device),
                    attention_mask=mask.to(device),
                    max_new_tokens=max_new_tokens,
                    do_sample=False,
                    temperature=None,
                    top_p=None,
                    top_k=None,
                    pad_token_id=pad,
                )
            answers.extend(tokenizer.decode(o[width:], skip_special_tokens=True).strip() for o in out)
    finally:
        model.train(was_training)
    return answers


def exact_match(model: Any, tokenizer: Any, pairs: list[tuple[list[dict[str, str]], str]]) -> float:
    """The share of ``pairs`` whose greedy answer equals the target (whitespace trimmed)."""
    if not pairs:
        return 0.0
    # An answer longer than the longest target cannot match one: generating past it (a few tokens
    # of slack for how context changes a tokenization) is CPU time spent on a known miss.
    longest = max(len(tokenizer(t.strip(), add_special_tokens=False)["input_ids"]) for _, t in pairs)
    answers = greedy(model, tokenizer, [p for p, _ in pairs], max_new_tokens=min(MAX_NEW_TOKENS, longest + 4))
    return sum(a == t.strip() for a, (_, t) in zip(answers, pairs, strict=True)) / len(pairs)


# --- training ------------------------------------------------------------------------------------------


def _callback(ctx: RunContext, total: int, curve: list[tuple[int, float]]) -> Any:
    transformers = require("transformers", EXTRA, "LoRA fine-tuning")

    class RunProgress(transformers.TrainerCallback):  # type: ignore[name-defined]
        """Each step: the loss into the curve, progress on the run, and the cancel check (raising
        :class:`~flyloop.errors.Cancelled` out of ``train()``, so the staging folder goes)."""

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kw: Any) -> None:
            # logging_steps=1: a training step's loss arrives here, after its on_step_end.
            if logs and "loss" in logs:
                curve.append((int(state.global_step), float(logs["loss"])))
                ctx.progress(int(state.global_step), total, loss=round(float(logs["loss"]), 4))

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            ctx.check_cancelled()

    return RunProgress()


def _trainer(
    method: str,
    model: Any,
    tokenizer: Any,
    config: dict[str, Any],
    steps: int,
    folder: str,
    train_rows: list[dict[str, Any]],
    eval_rows: list[dict[str, Any]],
    callback: Any,
) -> Any:
    trl = require("trl", EXTRA, "LoRA fine-tuning")
    peft = require("peft", EXTRA, "LoRA fine-tuning")
    hf_datasets = require("datasets", EXTRA, "LoRA fine-tuning")
    common: dict[str, Any] = {
        "output_dir": folder,
        "max_steps": steps,
        "per_device_train_batch_size": config["batch_size"],
        "per_device_eval_batch_size": config["batch_size"],
        "learning_rate": config["learning_rate"],
        "max_length": config["max_length"],
        "seed": config["seed"],
        "data_seed": config["seed"],
        "bf16": config["bf16"],
        "gradient_checkpointing": config["gradient_checkpointing"],
        "use_cpu": config["device"] == "cpu",
        "logging_steps": 1,
        "save_strategy": "no",  # only the adapter, saved once at the end: no checkpoints
        "report_to": [],
        "disable_tqdm": True,
        "dataloader_num_workers": 0,
    }
    lora = peft.LoraConfig(
        r=config["rank"],
        lora_alpha=config["alpha"],
        target_modules=config["target_modules"],
        lora_dropout=0.0,  # deterministic with the seed; a short run gains nothing from dropout
        bias="none",
        task_type="CAUSAL_LM",
    )
    train_ds = hf_datasets.Dataset.from_list(train_rows)
    eval_ds = hf_datasets.Dataset.from_list(eval_rows) if eval_rows else None
    kwargs: dict[str, Any] = {
        "model": model,
        "processing_class": tokenizer,
        "train_dataset": train_ds,
        "eval_dataset": eval_ds,
        "peft_config": lora,
        "callbacks": [callback],
    }
    if method == "sft":
        return trl.SFTTrainer(args=trl.SFTConfig(**common), **kwargs)
    if method == "dpo":
        return trl.DPOTrainer(args=trl.DPOConfig(**common, beta=config["beta"]), **kwargs)
    return trl.KTOTrainer(args=trl.KTOConfig(**common, beta=config["beta"]), **kwargs)


def _spec(
    ctx: RunContext, production: registry.PolicyVersion | None, reference: str
) -> tuple[dict[str, Any], registry.PolicySpec]:
    """The candidate's spec without its adapter yet: production's on the transformers backend
    (its generation params kept, another backend's options dropped), else a fresh one."""
    if production is None:
        base: dict[str, Any] = {"workload": ctx.workload}
    else:
        _, generation = split_params(production.params)
        base = {**production.definition(), "params": generation}
    base.update(backend="transformers", model=reference, adapter=None)
    if not base.get("system_prompt"):
        base["system_prompt"] = DEFAULT_SYSTEM
    return base, registry.PolicySpec(**base)


def _curve(points: list[tuple[int, float]]) -> list[list[float]]:
    if len(points) <= LOSS_POINTS:
        return [[s, round(v, 4)] for s, v in points]
    picked = {round(i * (len(points) - 1) / (LOSS_POINTS - 1)) for i in range(LOSS_POINTS)}
    return [[points[i][0], round(points[i][1], 4)] for i in sorted(picked)]


def train_lora(ctx: RunContext) -> None:
    """The finetune loop's body for a generation workload (module docstring)."""
    refuse_choice_options(ctx)
    method = method_of(ctx)
    reference, production = base_model(ctx)
    ctx.inputs["base_model"] = reference
    dev = training.device(ctx.settings, ctx)
    torch = require("torch", EXTRA, "LoRA fine-tuning")
    bf16 = dev == "cuda" and bool(torch.cuda.is_bf16_supported())
    config = resolve_config(ctx, method, dev, bf16_supported=bf16)
    need = int(ctx.options.get("min_pairs") or ctx.settings.loops_finetune_min_pairs)
    data = training.training_data(ctx, method, need=need)
    folder = model_folder(reference, ctx)
    memory = estimate_memory(folder, config)
    training.check_memory(ctx, memory["total"], f"LoRA {method.upper()} of {reference}", dev)
    ctx.details["memory"]["parts_gib"] = {k: round(v / training.GiB, 2) for k, v in memory.items()}

    spec_base, spec = _spec(ctx, production, reference)
    train_rows = chat_rows(data.rows.get("train", []), method, spec)
    limit = ctx.options.get("validation_size")
    validation = chat_rows(data.rows.get("validation", [])[: limit or None], method, spec)
    steps = planned_steps(config, len(train_rows))
    config["steps"] = steps
    ctx.details["config"] = config
    transformers = require("transformers", EXTRA, "LoRA fine-tuning")
    transformers.set_seed(config["seed"])  # the adapters' initial values and the data order
    started = time.perf_counter()
    dtype = torch.bfloat16 if config["bf16"] else torch.float32
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = transformers.AutoModelForCausalLM.from_pretrained(str(folder), local_files_only=True, dtype=dtype)
    except Exception as exc:  # unreadable weights or tokenizer: a foreign error at the boundary
        raise errors.BackendError(
            f"base model {reference!r} could not load from {folder}: {type(exc).__name__}: {exc}",
            model=reference,
            path=str(folder),
        ) from exc
    check_target_modules(model, config["target_modules"], reference)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model.to(dev)
    load_s = time.perf_counter() - started

    pairs, pairs_split = _exact_match_pairs(ctx, method, data.version.id, validation, spec, EXACT_MATCH_ROWS[dev])
    before = exact_match(model, tokenizer, pairs) if pairs else None
    ctx.check_cancelled()
    curve: list[tuple[int, float]] = []
    with artifacts.staging("adapter", ctx.settings) as stage:
        work = stage.folder / "trainer"
        # KTO pairs rows for its KL term: an eval set of one row has no pair.
        eval_rows = validation if len(validation) >= (2 if method == "kto" else 1) else []
        trainer = _trainer(
            method, model, tokenizer, config, steps, str(work), train_rows, eval_rows, _callback(ctx, steps, curve)
        )
        train_started = time.perf_counter()
        result = trainer.train()
        train_s = time.perf_counter() - train_started
        eval_loss = None
        if eval_rows:
            eval_loss = float(trainer.evaluate().get("eval_loss", math.nan))
        ctx.check_cancelled()
        trained = trainer.model
        after = exact_match(trained, tokenizer, pairs) if pairs else None
        shutil.rmtree(work, ignore_errors=True)
        trained.save_pretrained(str(stage.folder), safe_serialization=True)  # the adapter only
        metrics = {
            "train_loss": round(float(result.training_loss), 4),
            "loss_curve": _curve(curve),
            "eval_loss": None if eval_loss is None or math.isnan(eval_loss) else round(eval_loss, 4),
            "exact_match_before": before,
            "exact_match_after": after,
            "exact_match_rows": len(pairs),
            "exact_match_split": pairs_split,
            "train_rows": len(train_rows),
            "validation_rows": len(validation),
            "steps": int(result.global_step),
            "seconds": round(train_s, 1),
            "load_seconds": round(load_s, 1),
        }
        manifest: dict[str, Any] = {
            "base_model": {"name": reference, "path": str(folder.resolve())},
            "method": method,
            "config": config,
            "device": dev,
            "system_prompt": spec.system_prompt,
            "metrics": metrics,
        }
        if "forced_taint" in ctx.details:
            manifest["forced_taint"] = ctx.details["forced_taint"]
        ctx.check_cancelled()  # the last moment a cancel request keeps the artifact from existing
        art = artifacts.commit(
            ctx.store,
            ctx.project_id,
            stage,
            workload=ctx.workload,
            manifest=manifest,
            dataset_version=data.version.id,
            run_id=ctx.run_id,
            settings=ctx.settings,
        )
    ctx.outputs["artifact"] = art.id
    ctx.details["metrics"] = metrics
    em = "" if before is None else f", exact match {before:.2f} -> {after:.2f} on {len(pairs)} {pairs_split} rows"
    candidate = registry.register(
        ctx.store,
        ctx.project_id,
        {**spec_base, "adapter": art.id},
        parent=None if production is None else production.id,
        created_by=ctx.created_by,
        note=(
            f"LoRA {method.upper()} of {reference} on dataset {data.version.short_id}: {metrics['steps']} steps, "
            f"train loss {metrics['train_loss']}"
            + ("" if metrics["eval_loss"] is None else f", eval loss {metrics['eval_loss']}")
            + em
        ),
    )
    ctx.outputs["candidates"] = [candidate.id]


def plan_lora(ctx: RunContext) -> dict[str, Any]:
    """What a run would do, loading no model: method, base model, every configuration value,
    device, the examples available against the rule, the memory estimate and the time estimate."""
    refuse_choice_options(ctx)
    method = method_of(ctx)
    reference, _ = base_model(ctx)
    dev = training.device(ctx.settings)
    bf16 = False
    if dev == "cuda":
        bf16 = bool(require("torch", EXTRA, "LoRA fine-tuning").cuda.is_bf16_supported())
    config = resolve_config(ctx, method, dev, bf16_supported=bf16)
    need = int(ctx.options.get("min_pairs") or ctx.settings.loops_finetune_min_pairs)
    plan: dict[str, Any] = {"method": method, "base_model": reference, "device": dev, "need": need}
    try:
        data = training.training_data(ctx, method, need=0)
        rows = data.rows.get("train", [])
        plan.update(dataset=data.version.id, examples=len(rows))
    except errors.FlyloopError as exc:  # no version, or a tainted one: the run would say the same
        rows = []
        plan.update(dataset=None, examples=0, data_note=exc.message)
    config["steps"] = planned_steps(config, max(len(rows), 1))
    plan["config"] = config
    try:
        folder = model_folder(reference, ctx, convert=False)
        memory = estimate_memory(folder, config) if folder.is_dir() else None
    except errors.FlyloopError as exc:
        memory, plan["model_note"] = None, exc.message
    if memory is not None:
        plan["memory_gib"] = round(memory["total"] / training.GiB, 2)
        plan["available_gib"] = round(training.available_memory(dev) / training.GiB, 2)
    # ~4 characters a token, and ~12 tokens of chat template around each turn.
    chars = [len(str(r.get("prompt"))) + len(str(r.get("completion") or r.get("chosen") or "")) for r in rows]
    mean_tokens = (sum(chars) / len(chars) / 4 + 24) if chars else 64.0
    plan["estimated_seconds"] = estimate_seconds(config, config["steps"], mean_tokens)
    return plan
