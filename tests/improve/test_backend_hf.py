"""The transformers backend on a real model (SmolLM2-135M-Instruct, loaded once per session):
greedy answers exact and repeatable, a padded batch equal to one-by-one, token counts the
tokenizer's, stop strings, a PEFT adapter, and models that are not there."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from flyloop import Settings, errors
from flyloop.improve import Generation, backend, smollm2_folder
from flyloop.improve import backend_hf as hf

# A real model: the session loads it once (and serves it once), yet each answer takes a second or more.
pytestmark = pytest.mark.slow

ADDITION = [{"role": "user", "content": "What is 12 + 30?"}]
CAPITAL = [{"role": "system", "content": "Answer with one word."}, {"role": "user", "content": "Capital of France?"}]
HAIKU = [{"role": "user", "content": "Write a haiku about the sea, please, with many words in it."}]


def same(a: Generation, b: Generation) -> bool:
    """Equal but for the wall time."""
    return (a.text, a.tokens_in, a.tokens_out, a.model, a.finish_reason) == (
        b.text,
        b.tokens_in,
        b.tokens_out,
        b.model,
        b.finish_reason,
    )


@pytest.fixture(scope="module")
def one_by_one(hf_backend: Any) -> list[Generation]:
    return [hf_backend.generate(m, max_tokens=12) for m in (ADDITION, CAPITAL, HAIKU)]


def test_greedy_answers_are_exact_repeatable_and_counted_by_the_tokenizer(hf_backend, one_by_one):
    addition, capital, haiku = one_by_one
    # The small model gets the sum wrong: room for the loops to lift it.
    assert addition.text == "12 + 30 = 32\n\n"
    assert (addition.finish_reason, addition.tokens_out) == ("length", 12)
    tokenizer = hf_backend.tokenizer
    for g, messages in zip(one_by_one, (ADDITION, CAPITAL, HAIKU), strict=True):
        expected = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=True)
        assert g.tokens_in == len(expected["input_ids"])
        assert g.model == hf_backend.model and g.latency_ms > 0
    assert (addition.tokens_in, capital.tokens_in, haiku.tokens_in) == (40, 23, 46)
    # An answer that ended with the end token: "stop", and the end token counted.
    assert capital.text == 'The answer to this question is "France".'
    assert capital.finish_reason == "stop"
    assert capital.tokens_out == len(tokenizer(capital.text, add_special_tokens=False)["input_ids"]) + 1
    assert same(hf_backend.generate(ADDITION, max_tokens=12), addition)


def test_a_padded_batch_answers_as_one_by_one_in_the_callers_order(hf_backend, one_by_one):
    batch = hf_backend.generate_batch([HAIKU, ADDITION, CAPITAL], max_tokens=12)
    addition, capital, haiku = one_by_one
    assert [same(a, b) for a, b in zip(batch, [haiku, addition, capital], strict=True)] == [True, True, True]
    assert len({g.latency_ms for g in batch}) == 1  # one forward pass: one wall time
    assert hf_backend.generate_batch([]) == []


def test_a_stop_string_ends_the_answer_and_is_left_out(hf_backend):
    g = hf_backend.generate(ADDITION, max_tokens=12, stop=["="])
    assert (g.text, g.finish_reason) == ("12 + 30 ", "stop")
    assert g.tokens_out == len(hf_backend.tokenizer("12 + 30 =", add_special_tokens=False)["input_ids"])


def test_parameters_the_backend_cannot_honour_are_refused(hf_backend):
    with pytest.raises(errors.ValidationError) as caught:
        hf_backend.generate(ADDITION, presence_penalty=0.5)
    assert caught.value.field == "params.presence_penalty"
    with pytest.raises(errors.ValidationError) as caught:
        hf_backend.generate(ADDITION, max_tokenz=3)
    assert caught.value.field == "params.max_tokenz"


def test_sampling_with_a_seed_is_repeatable(hf_backend):
    a = hf_backend.generate(HAIKU, max_tokens=6, temperature=1.0, seed=7)
    b = hf_backend.generate(HAIKU, max_tokens=6, temperature=1.0, seed=7)
    assert a.text == b.text and a.tokens_out == b.tokens_out


def test_a_peft_adapter_is_applied(smollm2_dir, hf_backend, one_by_one, tmp_path):
    import peft
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    base = AutoModelForCausalLM.from_pretrained(str(smollm2_dir), local_files_only=True)
    # Random B matrices (the default init makes a LoRA a no-op until trained): the answer must change.
    config = peft.LoraConfig(r=4, lora_alpha=16, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    peft.get_peft_model(base, config).save_pretrained(str(tmp_path / "lora"))
    tuned = backend("transformers", model=str(smollm2_dir), adapter=str(tmp_path / "lora"))
    assert isinstance(tuned._model, peft.PeftModel)
    assert tuned is not hf_backend
    g = tuned.generate(ADDITION, max_tokens=12)
    assert g.tokens_in == one_by_one[0].tokens_in
    assert g.text != one_by_one[0].text
    assert tuned.generate(ADDITION, max_tokens=12).text == g.text
    # The shared base backend is untouched by the adapter's load.
    assert same(hf_backend.generate(ADDITION, max_tokens=12), one_by_one[0])


def test_a_model_that_is_not_there_is_a_backend_error_naming_it_and_the_path(tmp_path):
    with pytest.raises(errors.BackendError) as caught:
        backend("transformers", model=str(tmp_path / "missing"))
    assert caught.value.details == {"model": str(tmp_path / "missing"), "path": str(tmp_path / "missing")}
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_text('{"model_type": "llama"}')
    with pytest.raises(errors.BackendError) as caught:
        backend("transformers", model=str(tmp_path / "broken"))
    assert str(caught.value).startswith(f"model '{tmp_path / 'broken'}' could not load from {tmp_path / 'broken'}: ")
    with pytest.raises(errors.BackendError) as caught:
        backend("transformers", model="HuggingFaceTB/SmolLM2-135M-Instruct")  # a hub id: never downloaded
    assert "flyloop loads models offline" in str(caught.value)


def test_an_adapter_that_is_not_there_is_a_backend_error(smollm2_dir, tmp_path):
    with pytest.raises(errors.BackendError) as caught:
        backend("transformers", model=str(smollm2_dir), adapter=str(tmp_path / "no-lora"))
    assert caught.value.details == {
        "model": str(smollm2_dir),
        "adapter": str(tmp_path / "no-lora"),
        "path": str(tmp_path / "no-lora"),
    }


def test_the_smollm2_alias_is_the_converted_folder_returned_at_once(smollm2_dir, tmp_path):
    started = time.perf_counter()
    assert smollm2_folder(models_dir=smollm2_dir.parent) == smollm2_dir
    assert time.perf_counter() - started < 0.5
    assert sorted(p.name for p in smollm2_dir.iterdir() if not p.name.startswith(".")) == [
        "chat_template.jinja",
        "config.json",
        "generation_config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
    ]
    assert '"quantization_config"' not in (smollm2_dir / "config.json").read_text()
    settings = Settings(home=str(tmp_path), models_dir=str(smollm2_dir.parent))
    assert hf.resolve_model("smollm2", settings) == smollm2_dir
    assert hf.default_models_dir(settings=Settings(home=str(tmp_path))) == Path(tmp_path) / "models"
