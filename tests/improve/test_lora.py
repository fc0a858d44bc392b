"""Loop 3 for a generation workload (flyloop.improve.lora) with the real small model: LoRA SFT
really changes its greedy answers on its training examples toward their targets; DPO and KTO
register candidates whose adapters the transformers backend loads by artifact id; a cancel midway,
too little data, a tainted dataset, a configuration over the memory limit and a base model that
is not on disk each leave nothing behind. The data: tests/conftest.py's seed() (ten users of the
math workload: good answers, corrected ones, regenerated ones), as test_loops.py builds it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_loops import P, math_project

from flyloop import datasets, errors, registry
from flyloop.capture import Capture
from flyloop.improve import artifacts as artifacts_module
from flyloop.improve import (
    backend_for,
    cancel_run,
    execute_run,
    get_run,
    list_artifacts,
    plan_loop,
    run_loop,
    start_run,
)
from flyloop.improve import runs as runs_module
from flyloop.improve.lora import DEFAULT_SYSTEM, MAX_NEW_TOKENS
from flyloop.settings import Settings

pytestmark = pytest.mark.slow
FAST = {"min_pairs": 1, "max_length": 64}  # the math rows are ~40 tokens in the chat template


def _settings(capture: Capture, **overrides: Any) -> Settings:
    return Settings(home=capture.settings.home, database_url="sqlite://", **overrides)


def _nothing_left(capture: Capture, before: list[str]) -> None:
    """No artifact row, no artifact or staging folder, no new policy version."""
    assert list_artifacts(capture.store, P) == []
    root = artifacts_module.root(capture.settings)
    assert not root.exists() or sorted(p.name for p in root.iterdir()) == []
    assert [v.id for v in registry.list_versions(capture.store, P, workload="math")] == before


def _answers(version: registry.PolicySpec, prompts: list[str]) -> list[str]:
    model = backend_for(version)
    batch = [registry.render_messages(version, prompt) for prompt in prompts]
    return [g.text.strip() for g in model.generate_batch(batch, max_tokens=MAX_NEW_TOKENS)]


def test_sft_learns_its_training_answers_and_registers_a_loadable_candidate(
    capture: Capture, smollm2_dir: Path
) -> None:
    dataset, prod = math_project(capture)
    assert prod is not None
    _, rows, _ = datasets.prepare(capture.store, P, dataset, "sft", splits=["train"], workloads=["math"])
    prompts, wanted = [r["prompt"] for r in rows["train"]], [r["completion"] for r in rows["train"]]
    assert len(prompts) == 21

    run = run_loop(
        capture.store,
        P,
        "finetune",
        "math",
        settings=capture.settings,
        base_model=str(smollm2_dir),
        steps=12,
        learning_rate=1e-3,
        seed=0,
        **FAST,
    )
    assert (run.status, run.error) == ("succeeded", None)
    (candidate_id,) = run.candidates
    art = run.outputs["artifact"]
    assert run.outputs == {"artifact": art, "candidates": [candidate_id]}
    assert run.inputs == {
        "production": prod.id,
        "base_model": str(smollm2_dir),
        "dataset": dataset,
        "examples": {"train": 21},
    }
    assert run.details["device"] == "cpu" and run.details["config"]["steps"] == 12
    assert run.details["progress"] == {"done": 12, "total": 12, "loss": run.details["metrics"]["loss_curve"][-1][1]}

    # The adapter only, and its manifest: no checkpoints, no trainer state.
    (stored,) = list_artifacts(capture.store, P)
    folder = Path(stored.path)
    assert stored.id == art and stored.kind == "adapter" and stored.dataset_version == dataset
    assert {p.name for p in folder.iterdir()} >= {"adapter_config.json", "adapter_model.safetensors", "manifest.json"}
    assert not [p for p in folder.rglob("*") if "checkpoint" in p.name or p.name == "trainer"]
    manifest = artifacts_module.load_manifest(art, capture.settings)
    assert manifest["base_model"] == {"name": str(smollm2_dir), "path": str(smollm2_dir.resolve())}
    assert (manifest["method"], manifest["device"], manifest["run"]) == ("sft", "cpu", run.id)
    metrics = manifest["metrics"]
    assert (metrics["steps"], metrics["train_rows"], metrics["exact_match_split"]) == (12, 21, "eval")
    assert metrics["loss_curve"][-1][1] < metrics["loss_curve"][0][1]
    assert manifest["code_version"] and manifest["config"]["learning_rate"] == 1e-3

    candidate = registry.get_version(capture.store, P, candidate_id)
    assert (candidate.backend, candidate.model, candidate.adapter) == ("transformers", str(smollm2_dir), art)
    assert (candidate.parent, candidate.created_by) == (prod.id, f"loop:{run.id}")
    assert candidate.system_prompt == prod.system_prompt and candidate.params == {}
    assert candidate.note.startswith("LoRA SFT of") and "12 steps" in candidate.note
    assert registry.production(capture.store, P, "math") == prod  # waits for the evaluation gate

    # The base model answers 2 of its 21 training examples word for word (greedy: the same every
    # run); with the adapter (loaded by the transformers backend from the artifact id), most.
    base = registry.PolicySpec(**{**candidate.definition(), "adapter": None})
    before = sum(a == w for a, w in zip(_answers(base, prompts), wanted, strict=True))
    after = sum(a == w for a, w in zip(_answers(candidate, prompts), wanted, strict=True))
    assert before == 2
    assert after >= 15, after


def test_dpo_and_kto_register_candidates_whose_adapters_load(capture: Capture, smollm2_dir: Path) -> None:
    dataset, prod = math_project(capture)
    assert prod is not None
    for method, rows in (("dpo", 15), ("kto", 28)):
        run = run_loop(
            capture.store,
            P,
            "finetune",
            "math",
            settings=capture.settings,
            base_model=str(smollm2_dir),
            method=method,
            steps=2,
            batch_size=4,
            **FAST,
        )
        assert (run.status, run.inputs["examples"]["train"]) == ("succeeded", rows)
        config = run.details["config"]
        assert (config["method"], config["learning_rate"], config["beta"], config["bf16"]) == (method, 1e-4, 0.1, False)
        (candidate_id,) = run.candidates
        candidate = registry.get_version(capture.store, P, candidate_id)
        assert candidate.adapter == run.outputs["artifact"] and candidate.parent == prod.id
        assert f"LoRA {method.upper()}" in candidate.note
        manifest = artifacts_module.load_manifest(candidate.adapter, capture.settings)
        assert (manifest["method"], manifest["metrics"]["steps"], manifest["dataset_version"]) == (method, 2, dataset)
        answer = backend_for(candidate).generate(registry.render_messages(candidate, "What is 2 + 2?"), max_tokens=8)
        assert answer.text and answer.tokens_out >= 1
    assert len(list_artifacts(capture.store, P)) == 2


def test_a_cancel_midway_leaves_nothing(capture: Capture, smollm2_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    math_project(capture)
    before = [v.id for v in registry.list_versions(capture.store, P, workload="math")]
    monkeypatch.setattr(runs_module, "CANCEL_POLL_S", 0.0)
    ctx = start_run(
        capture.store,
        P,
        "finetune",
        "math",
        settings=capture.settings,
        base_model=str(smollm2_dir),
        steps=50,
        batch_size=2,
        **FAST,
    )
    seen: list[int] = []

    def on_progress(report: dict[str, Any]) -> None:
        seen.append(report["done"])
        if report["done"] == 2:
            cancel_run(capture.store, P, ctx.run_id)

    ctx.on_progress = on_progress
    with pytest.raises(errors.Cancelled):
        execute_run(ctx)
    run = get_run(capture.store, P, ctx.run_id)
    assert run.status == "cancelled" and run.outputs == {} and seen == [1, 2]
    _nothing_left(capture, before)


def test_too_little_data_is_refused_before_anything_loads(capture: Capture, smollm2_dir: Path) -> None:
    math_project(capture)
    with pytest.raises(errors.NotEnoughData, match=r"^dataset: not enough data: 21 of 500 sft examples") as caught:
        run_loop(capture.store, P, "finetune", "math", settings=capture.settings, base_model=str(smollm2_dir))
    assert (caught.value.details["have"], caught.value.details["need"]) == (21, 500)
    (run,) = [r for r in runs_module.list_runs(capture.store, P) if r.loop == "finetune"]
    assert run.status == "failed" and "metrics" not in run.details and "memory" not in run.details
    assert list_artifacts(capture.store, P) == []


def test_a_tainted_dataset_trains_only_when_forced_with_a_reason(capture: Capture, smollm2_dir: Path) -> None:
    dataset, _ = math_project(capture)
    datasets.taint(capture.store, P, dataset, "user3 erased")
    common = {"settings": capture.settings, "base_model": str(smollm2_dir), "steps": 1, "batch_size": 2, **FAST}
    with pytest.raises(errors.Conflict, match="is tainted: .*user3 erased"):
        run_loop(capture.store, P, "finetune", "math", **common)
    with pytest.raises(errors.ValidationError) as caught:
        run_loop(capture.store, P, "finetune", "math", force=True, **common)
    assert caught.value.field == "reason"
    assert list_artifacts(capture.store, P) == []
    run = run_loop(capture.store, P, "finetune", "math", force=True, reason="a replay for the audit", **common)
    forced = run.details["forced_taint"]
    assert (forced["dataset"], forced["reason"]) == (dataset, "a replay for the audit")
    manifest = artifacts_module.load_manifest(run.outputs["artifact"], capture.settings)
    assert manifest["forced_taint"] == forced
    (art,) = list_artifacts(capture.store, P)
    assert art.tainted and "user3 erased" in (art.taint_reason or "")


def test_a_configuration_over_the_memory_limit_is_refused_with_its_estimate_before_loading(
    capture: Capture, smollm2_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    math_project(capture)
    import transformers

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", never)
    tiny = _settings(capture, train_memory_fraction=0.0001)
    with pytest.raises(errors.ConfigError, match=r"LoRA SFT of .* needs about 8\.5 GiB on cpu") as caught:
        run_loop(capture.store, P, "finetune", "math", settings=tiny, base_model=str(smollm2_dir), min_pairs=1)
    assert caught.value.field == "config"
    estimate = caught.value.details["estimate_bytes"]
    (run,) = runs_module.list_runs(capture.store, P)
    assert run.status == "failed" and run.details["memory"]["estimate_gib"] == round(estimate / (1 << 30), 2)
    assert list_artifacts(capture.store, P) == []


def test_a_base_model_not_on_disk_is_named(capture: Capture, tmp_path: Path) -> None:
    math_project(capture)
    missing = str(tmp_path / "no-such-model")
    with pytest.raises(errors.BackendError, match="no-such-model") as caught:
        run_loop(capture.store, P, "finetune", "math", settings=capture.settings, base_model=missing, min_pairs=1)
    assert caught.value.details["model"] == missing
    assert list_artifacts(capture.store, P) == []
    # Production runs on the openai backend: there is no transformers model to default to.
    with pytest.raises(errors.ValidationError, match="name the base model") as named:
        run_loop(capture.store, P, "finetune", "math", settings=capture.settings, min_pairs=1)
    assert named.value.field == "base_model"


def test_the_choice_heads_options_and_a_bad_method_are_refused(capture: Capture) -> None:
    math_project(capture)
    for options, field in (({"setfit": True}, "setfit"), ({"c": 1.0}, "c"), ({"method": "ppo"}, "method")):
        with pytest.raises(errors.ValidationError) as caught:
            run_loop(capture.store, P, "finetune", "math", settings=capture.settings, base_model="smollm2", **options)
        assert caught.value.field == field
    with pytest.raises(errors.ValidationError) as kto:
        run_loop(
            capture.store,
            P,
            "finetune",
            "math",
            settings=capture.settings,
            base_model="smollm2",
            method="kto",
            batch_size=1,
        )
    assert kto.value.field == "batch_size"


def test_the_plan_says_what_a_run_would_do_without_loading_a_model(
    capture: Capture, smollm2_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset, _ = math_project(capture)
    import transformers

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", None)
    plan = plan_loop(capture.store, P, "finetune", "math", settings=capture.settings, base_model=str(smollm2_dir))
    assert (plan["method"], plan["base_model"], plan["device"], plan["dataset"]) == (
        "sft",
        str(smollm2_dir),
        "cpu",
        dataset,
    )
    assert (plan["examples"], plan["need"], plan["rule"]["due"]) == (21, 500, False)
    assert plan["config"] == {
        "method": "sft",
        "rank": 16,
        "alpha": 32,
        "target_modules": "all-linear",
        "learning_rate": 2e-4,
        "steps": 3,
        "epochs": 1.0,
        "batch_size": 8,
        "max_length": 256,
        "beta": None,
        "seed": 0,
        "bf16": False,
        "gradient_checkpointing": False,
        "device": "cpu",
    }
    assert plan["memory_gib"] == 8.53 and plan["estimated_seconds"] > 0
    assert DEFAULT_SYSTEM == "Answer briefly."


def test_rows_take_the_served_chat_form() -> None:
    from flyloop.improve.lora import chat_rows, targets

    spec = registry.PolicySpec(workload="math", system_prompt="Add.", template="Q: {{ input }}")
    rows = [{"prompt": "1 + 1?", "chosen": "2", "rejected": "3"}]
    expected_prompt = [{"role": "system", "content": "Add."}, {"role": "user", "content": "Q: 1 + 1?"}]
    assert chat_rows(rows, "dpo", spec) == [
        {
            "prompt": expected_prompt,
            "chosen": [{"role": "assistant", "content": "2"}],
            "rejected": [{"role": "assistant", "content": "3"}],
        }
    ]
    kto = chat_rows([{"prompt": "1 + 1?", "completion": "3", "label": False}], "kto", spec)
    assert kto == [{"prompt": expected_prompt, "completion": [{"role": "assistant", "content": "3"}], "label": False}]
    assert targets(kto, "kto") == [] and targets(chat_rows(rows, "dpo", spec), "dpo") == [(expected_prompt, "2")]


def test_exact_match_generates_no_further_than_the_longest_target_can_match(monkeypatch: pytest.MonkeyPatch) -> None:
    from flyloop.improve import lora

    asked: list[int] = []

    def fake_greedy(model: Any, tokenizer: Any, prompts: list[Any], *, max_new_tokens: int = 0) -> list[str]:
        asked.append(max_new_tokens)
        return ["85", "wrong"][: len(prompts)]

    def tokenizer(text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        return {"input_ids": list(range(len(text.split())))}  # a token a word

    monkeypatch.setattr(lora, "greedy", fake_greedy)
    pairs = [
        ([{"role": "user", "content": "37 + 48?"}], " 85 "),
        ([{"role": "user", "content": "a sum"}], "one two three"),
    ]
    assert lora.exact_match(None, tokenizer, pairs) == 0.5
    assert asked == [3 + 4]  # the longest target's three tokens, and four of slack
    long_target = [([{"role": "user", "content": "essay"}], "word " * 100)]
    lora.exact_match(None, tokenizer, long_target)
    assert asked[-1] == MAX_NEW_TOKENS
