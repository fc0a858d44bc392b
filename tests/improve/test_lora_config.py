"""The LoRA runner's configuration (flyloop.improve.lora_config), resolved before anything loads:
the defaults on a CPU and a GPU, the steps, the base model's default, the memory and time
estimates from a model's config.json alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flyloop import Settings, Store, errors, registry
from flyloop.capture import declare_workload
from flyloop.improve.lora_config import base_model as base_model_of
from flyloop.improve.lora_config import (
    check_target_modules,
    estimate_memory,
    estimate_seconds,
    lora_parameters,
    planned_steps,
    resolve_config,
)
from flyloop.improve.runs import RunContext

SMOLLM2 = {
    "hidden_size": 576,
    "intermediate_size": 1536,
    "num_attention_heads": 9,
    "num_key_value_heads": 3,
    "head_dim": 64,
    "num_hidden_layers": 30,
    "vocab_size": 49152,
    "dtype": "float32",
}


def _ctx(store: Store, settings: Settings, **options: object) -> RunContext:
    return RunContext("", store, "acme", "math", settings, dict(options))


def test_the_adapter_size_is_what_peft_counts() -> None:
    # SmolLM2-135M, rank 16 on q, k, v, o, gate, up and down of its 30 layers: peft says 4,884,480.
    assert lora_parameters(SMOLLM2, 16) == 4_884_480
    assert lora_parameters(SMOLLM2, 8) == 4_884_480 // 2


def test_defaults_on_a_cpu_and_a_gpu(store: Store, settings: Settings) -> None:
    cpu = resolve_config(_ctx(store, settings), "sft", "cpu", bf16_supported=True)
    assert (cpu["batch_size"], cpu["learning_rate"], cpu["bf16"], cpu["gradient_checkpointing"]) == (
        8,
        2e-4,
        False,
        False,
    )
    assert (cpu["rank"], cpu["alpha"], cpu["target_modules"], cpu["max_length"], cpu["beta"]) == (
        16,
        32,
        "all-linear",
        256,
        None,
    )
    gpu = resolve_config(_ctx(store, settings), "dpo", "cuda", bf16_supported=True)
    assert (gpu["batch_size"], gpu["learning_rate"], gpu["bf16"], gpu["beta"]) == (32, 1e-4, True, 0.1)
    given = resolve_config(_ctx(store, settings, rank=4, target_modules=["q_proj"], batch_size=2), "kto", "cpu")
    assert (given["rank"], given["target_modules"], given["batch_size"]) == (4, ["q_proj"], 2)
    with pytest.raises(errors.ValidationError) as caught:
        resolve_config(_ctx(store, settings, target_modules=[]), "sft", "cpu")
    assert caught.value.field == "target_modules"


def test_steps_come_from_the_option_else_the_epochs() -> None:
    config = {"steps": None, "epochs": 1.0, "batch_size": 8}
    assert [planned_steps(config, n) for n in (1, 8, 9, 530)] == [1, 1, 2, 67]
    assert planned_steps({**config, "epochs": 2.5}, 16) == 5
    assert planned_steps({**config, "steps": 3}, 530) == 3


def test_the_base_model_defaults_to_a_transformers_production(store: Store, settings: Settings) -> None:
    declare_workload(store, "acme", "math", type="generation")
    with pytest.raises(errors.ValidationError, match="has no production version") as caught:
        base_model_of(_ctx(store, settings))
    assert caught.value.field == "base_model"
    prod = registry.register(store, "acme", {"workload": "math", "backend": "transformers", "model": "/m"})
    registry.set_production(store, "acme", "math", prod.id)
    assert base_model_of(_ctx(store, settings)) == ("/m", prod)
    assert base_model_of(_ctx(store, settings, base_model="smollm2")) == ("smollm2", prod)


def test_memory_and_time_are_estimated_from_the_config_alone(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps(SMOLLM2))
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 1000)
    config = {"method": "sft", "rank": 16, "batch_size": 8, "max_length": 256, "bf16": False, "device": "cpu"}
    parts = estimate_memory(tmp_path, config)
    assert parts["weights"] == 1000 and parts["adapters_and_optimizer"] == 4_884_480 * 16
    assert parts["activations"] == 8 * 256 * 576 * 30 * 48 * 4 and parts["logits"] == 8 * 256 * 49152 * 4 * 3
    assert parts["total"] == sum(v for k, v in parts.items() if k != "total")
    dpo = estimate_memory(tmp_path, {**config, "method": "dpo"})
    assert dpo["activations"] == 2 * parts["activations"] and dpo["weights"] == parts["weights"]
    half = estimate_memory(tmp_path, {**config, "bf16": True})
    assert (half["weights"], half["activations"]) == (500, parts["activations"] // 2)
    # 10 steps of 8 rows of 30 tokens at 150 tokens a second on a CPU.
    assert estimate_seconds(config, 10, 30.0) == 16.0
    assert estimate_seconds({**config, "method": "kto"}, 10, 30.0) == 32.0


def test_a_target_module_the_model_lacks_is_refused_naming_the_field() -> None:
    """An unknown name used to reach PEFT inside the trainer: a traceback, and the run recorded
    failed with PEFT's error. A tiny model stands in: no weights to load."""
    torch = pytest.importorskip("torch")

    class Attention(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.q_proj, self.v_proj = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)

    model = torch.nn.Module()
    model.layers = torch.nn.ModuleList([Attention()])
    model.norm = torch.nn.LayerNorm(2)
    check_target_modules(model, ["q_proj", "v_proj"], "tiny")  # leaf names match
    check_target_modules(model, ["layers.0.q_proj"], "tiny")  # a dotted tail matches too
    check_target_modules(model, "all-linear", "tiny")  # PEFT's own choice, left to it
    with pytest.raises(errors.ValidationError) as refused:
        check_target_modules(model, ["q_proj", "nosuch", "norm_x"], "tiny")
    assert (refused.value.field, refused.value.message) == (
        "target_modules",
        "tiny has no module named nosuch, norm_x; its linear layers: q_proj, v_proj (or all-linear)",
    )


def test_one_module_name_is_a_list_of_one(store: Store, settings: Settings) -> None:
    """``--target-modules q_proj`` given once reaches the loop as the string "q_proj", which PEFT
    reads as a pattern of a whole dotted path: it matched no module and the run failed in the
    trainer. A name, or names joined by commas, is a list; only all-linear stays a string."""

    def targets(value: object) -> object:
        return resolve_config(_ctx(store, settings, target_modules=value), "sft", "cpu")["target_modules"]

    assert targets("q_proj") == ["q_proj"]
    assert targets("q_proj, v_proj") == ["q_proj", "v_proj"]
    assert targets("all-linear") == "all-linear"
    with pytest.raises(errors.ValidationError) as caught:
        targets("q_proj,,v_proj")
    assert (caught.value.field, caught.value.message) == (
        "target_modules",
        "target_modules is all-linear or a list of module names",
    )
