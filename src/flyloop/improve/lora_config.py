"""The LoRA runner's configuration, resolved before anything loads: the options a run takes (with
defaults sized for the small model on a CPU, scaled on a GPU), the base model (the option, else
production's when it runs on the ``transformers`` backend), and what the run will cost (memory,
estimated from the model's ``config.json`` and refused before loading when it does not fit; time,
from a throughput measured once on this project's machines).

Defaults (SmolLM2-135M on 2 CPU cores; see ../shared/RESOURCES.md and BENCHMARKS.md's training
section): LoRA rank 16, alpha 32, every linear layer; learning rate 2e-4 for SFT, 1e-4 for DPO and
KTO (TRL's 1e-6 is a full fine-tune's: a LoRA adapter barely moves at it); batch 8; 256 tokens;
one epoch. TRL's configs default to bf16 and gradient checkpointing: both off on a CPU (bf16 is
emulated there, and checkpointing trades time that a CPU lacks for memory that it has). On a GPU:
bf16 where supported and batch 32.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from flyloop import errors, registry
from flyloop.improve.backend_hf import resolve_model
from flyloop.improve.backends import TRANSFORMERS
from flyloop.improve.runs import RunContext

METHODS = ("sft", "dpo", "kto")
# The choice loop's options: a generation workload's run refuses them rather than ignore them.
CHOICE_OPTIONS = ("embedder", "setfit", "setfit_pairs", "c", "words")
# The chat template's default system prompt (SmolLM2's is ~20 tokens) roughly doubles a step on
# short examples: a run without a production system prompt trains (and serves) with this one.
DEFAULT_SYSTEM = "Answer briefly."
LEARNING_RATES = {"sft": 2e-4, "dpo": 1e-4, "kto": 1e-4}
CPU_BATCH, GPU_BATCH = 8, 32
DEFAULTS: dict[str, Any] = {
    "rank": 16,
    "alpha": 32,
    "target_modules": "all-linear",
    "epochs": 1.0,
    "max_length": 256,
    "beta": 0.1,
    "seed": 0,
}
# Held-out exact match is measured on at most this many validation rows (greedy, short answers).
EXACT_MATCH_ROWS = {"cpu": 48, "cuda": 256}

# --- the cost model ---------------------------------------------------------------------------------
# Activations kept for the backward pass, per token per layer, in units of hidden_size values: the
# attention and MLP inputs, the MLP's intermediate (x intermediate/hidden), norms, LoRA's own inputs.
# Measured once on SmolLM2-135M (fp32, LoRA r16 on every linear layer, batch 8 x 256 tokens, no
# checkpointing: peak RSS 8.05 GiB against 0.42 GiB loaded; the logits' share taken out).
ACTIVATION_FACTOR = 48
# The logits, their log-softmax and its gradient: three vocab-sized fp32 tensors per token.
LOGIT_COPIES = 3
# DPO runs the chosen and the rejected answer (and a reference pass); KTO an answer and a KL batch.
SEQUENCES = {"sft": 1, "dpo": 2, "kto": 2}
RUNTIME_BYTES = 512 << 20  # torch, the tokenizer, the data: the process before the model
# Tokens through the trainer per second (forward and backward, LoRA on every linear layer),
# measured on SmolLM2-135M, fp32, 2 shared CPU cores: ~150 on short chat rows (~35 tokens), ~80 at
# 256 tokens. The GPU's figure is a rough guess until a GPU run measures it (BENCHMARKS.md).
TOKENS_PER_S = {"cpu": 150.0, "cuda": 20000.0}


def refuse_choice_options(ctx: RunContext) -> None:
    """A ValidationError naming the first option that belongs to a choice workload's head."""
    given = [name for name in CHOICE_OPTIONS if ctx.options.get(name) is not None]
    if given:
        raise errors.ValidationError(
            f"{given[0]} is an option of the choice head; workload {ctx.workload!r} is a generation workload, "
            f"trained with LoRA (options: method, base_model, rank, alpha, target_modules, learning_rate, steps, "
            f"epochs, batch_size, max_length, beta, seed)",
            field=given[0],
        )


def method_of(ctx: RunContext) -> str:
    method = ctx.options.get("method") or "sft"
    if method not in METHODS:
        raise errors.ValidationError(f"method must be one of {', '.join(METHODS)}, not {method!r}", field="method")
    return str(method)


def base_model(ctx: RunContext) -> tuple[str, registry.PolicyVersion | None]:
    """The base model's reference (the ``base_model`` option, else production's model when
    production runs on the transformers backend) and the production version (None without one)."""
    production = registry.production(ctx.store, ctx.project_id, ctx.workload)
    if production is not None:
        ctx.inputs["production"] = production.id
    given = ctx.options.get("base_model")
    if given:
        return str(given), production
    if production is not None and production.backend == TRANSFORMERS and production.model:
        return production.model, production
    why = (
        f"production runs on the {production.backend} backend (model {production.model!r})"
        if production is not None
        else f"workload {ctx.workload!r} has no production version"
    )
    raise errors.ValidationError(
        f"name the base model to fine-tune (base_model='smollm2' or a local model folder): {why}, so there is "
        "no transformers model to start from",
        field="base_model",
    )


def _targets(value: Any) -> str | list[str]:
    if isinstance(value, list):
        if not value or not all(isinstance(v, str) and v for v in value):
            raise errors.ValidationError(
                "target_modules is all-linear or a list of module names", field="target_modules"
            )
        return list(value)
    if value == DEFAULTS["target_modules"]:
        return "all-linear"
    # One name (``--target-modules q_proj`` given once) or names joined by commas: PEFT would read
    # a single string as a pattern that must match a module's whole dotted path, so "q_proj" alone
    # matched nothing and the run failed inside the trainer.
    names = [n.strip() for n in str(value).split(",")]
    if not all(names):
        raise errors.ValidationError("target_modules is all-linear or a list of module names", field="target_modules")
    return names


def check_target_modules(model: Any, target_modules: str | list[str], reference: str) -> None:
    """Refuse, naming ``target_modules``, a listed module name the loaded model has none of (PEFT
    matches a name to a module whose dotted path is it or ends with it); PEFT would raise its own
    error from inside the trainer instead. ``all-linear`` is left to PEFT."""
    if isinstance(target_modules, str):
        return
    paths = [name for name, _ in model.named_modules() if name]
    missing = [t for t in target_modules if not any(p == t or p.endswith("." + t) for p in paths)]
    if missing:
        linear = sorted({p.rsplit(".", 1)[-1] for p, m in model.named_modules() if type(m).__name__ == "Linear"})
        raise errors.ValidationError(
            f"{reference} has no module named {', '.join(missing)}; "
            f"its linear layers: {', '.join(linear)} (or all-linear)",
            field="target_modules",
        )


def resolve_config(ctx: RunContext, method: str, device: str, *, bf16_supported: bool = False) -> dict[str, Any]:
    """Every training value the run will use, from its options and the defaults for ``device``."""
    options = ctx.options
    gpu = device == "cuda"

    def pick(name: str, default: Any) -> Any:
        value = options.get(name)
        return default if value is None else value

    config: dict[str, Any] = {
        "method": method,
        "rank": int(pick("rank", DEFAULTS["rank"])),
        "alpha": int(pick("alpha", DEFAULTS["alpha"])),
        "target_modules": _targets(pick("target_modules", DEFAULTS["target_modules"])),
        "learning_rate": float(pick("learning_rate", LEARNING_RATES[method])),
        "steps": None if options.get("steps") is None else int(options["steps"]),
        "epochs": float(pick("epochs", DEFAULTS["epochs"])),
        "batch_size": int(pick("batch_size", GPU_BATCH if gpu else CPU_BATCH)),
        "max_length": int(pick("max_length", DEFAULTS["max_length"])),
        "beta": float(pick("beta", DEFAULTS["beta"])) if method != "sft" else None,
        "seed": int(pick("seed", DEFAULTS["seed"])),
        "bf16": bool(gpu and bf16_supported),
        "gradient_checkpointing": False,
        "device": device,
    }
    if method == "kto" and config["batch_size"] < 2:
        # KTO's KL estimate pairs each answer with another prompt of its batch: one row has none.
        raise errors.ValidationError("KTO needs batch_size of at least 2 (its KL term pairs rows)", field="batch_size")
    return config


def planned_steps(config: dict[str, Any], examples: int) -> int:
    """Optimizer steps: the ``steps`` option, else ``epochs`` passes of ``batch_size`` rows."""
    if config["steps"] is not None:
        return int(config["steps"])
    return max(1, math.ceil(config["epochs"] * examples / config["batch_size"]))


def model_folder(reference: str, ctx: RunContext, *, convert: bool = True) -> Path:
    """The base model's folder (the smollm2 alias converted on first use); a model that is not on
    disk is a BackendError naming it (flyloop loads models offline, never downloads)."""
    try:
        return resolve_model(reference, ctx.settings, convert=convert)
    except errors.ValidationError as exc:
        raise errors.ValidationError(exc.message, field="base_model") from exc


def _model_config(folder: Path) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = json.loads((folder / "config.json").read_text())
    except (OSError, ValueError) as exc:
        raise errors.BackendError(
            f"base model at {folder}: config.json unreadable ({exc})", model=str(folder), path=str(folder)
        ) from exc
    return loaded


def _weight_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.safetensors")) or sum(
        p.stat().st_size for p in folder.glob("*.bin")
    )


def lora_parameters(model_config: dict[str, Any], rank: int) -> int:
    """Trainable values of rank-``rank`` adapters on every linear layer of a Llama-like block
    (q, k, v, o, gate, up, down): rank x (inputs + outputs) each."""
    hidden = int(model_config.get("hidden_size", 0))
    inner = int(model_config.get("intermediate_size", 4 * hidden))
    heads = int(model_config.get("num_attention_heads", 1)) or 1
    kv = int(model_config.get("num_key_value_heads", heads))
    head_dim = int(model_config.get("head_dim") or hidden // heads)
    layers = int(model_config.get("num_hidden_layers", 0))
    per_layer = (
        (hidden + heads * head_dim) * 2  # q and o
        + (hidden + kv * head_dim) * 2  # k and v
        + (hidden + inner) * 3  # gate, up and down
    )
    return layers * rank * per_layer


def estimate_memory(folder: Path, config: dict[str, Any]) -> dict[str, int]:
    """Bytes the run will hold at its peak, by part, from the model's config and files (no load):
    weights, the adapters with their gradients and Adam's two moments, the activations kept for
    the backward pass, the logits, and the runtime."""
    model_config = _model_config(folder)
    bytes_per = 2 if config["bf16"] else 4
    stored = 2 if str(model_config.get("dtype") or model_config.get("torch_dtype")) in ("bfloat16", "float16") else 4
    weights = _weight_bytes(folder) * bytes_per // stored
    adapters = lora_parameters(model_config, config["rank"]) * 4 * 4  # value, gradient, two moments: fp32
    tokens = config["batch_size"] * config["max_length"] * SEQUENCES[config["method"]]
    hidden = int(model_config.get("hidden_size", 0))
    layers = int(model_config.get("num_hidden_layers", 0))
    activations = tokens * hidden * layers * ACTIVATION_FACTOR * bytes_per
    logits = tokens * int(model_config.get("vocab_size", 0)) * 4 * LOGIT_COPIES
    parts = {
        "weights": weights,
        "adapters_and_optimizer": adapters,
        "activations": activations,
        "logits": logits,
        "runtime": RUNTIME_BYTES,
    }
    parts["total"] = sum(parts.values())
    return parts


def estimate_seconds(config: dict[str, Any], steps: int, mean_tokens: float) -> float:
    """Seconds of training: steps x rows x tokens per row (x sequences per row) over the measured
    throughput of ``config["device"]``."""
    tokens = steps * config["batch_size"] * max(mean_tokens, 1.0) * SEQUENCES[config["method"]]
    return round(tokens / TOKENS_PER_S[config["device"]], 1)
