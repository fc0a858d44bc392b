"""Evaluations of a generation workload (flyloop.evaluate.runner): exact match against the
accepted or corrected answer, similarity to the user's correction, a pairwise judge that is itself
a policy version, refusals and length as guardrails; through a backend registered the way a
project registers its own (rules over the question, so every figure is exact), and through the
real transformers backend on SmolLM2."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from conftest import seed
from flyloop import datasets, labels, registry
from flyloop.capture import Capture
from flyloop.evaluate import GateConfig, Guardrail, run_evaluation
from flyloop.improve import Generation
from flyloop.improve import backends as backends_module

P = "acme"
QUESTION = re.compile(r"What is (\d+) \+ (\d+)\?")


class Arithmetic:
    """Answers "What is X + Y?" by rule: ``right`` with the sum, ``off`` one more, ``refuse``
    declines; ``judge`` reads a judging request and picks the answer that holds the sum."""

    name = "arith"

    def __init__(self, model: str | None = None, adapter: str | None = None, **options: Any) -> None:
        self.model = model or "right"

    def _answer(self, text: str) -> str:
        found = QUESTION.search(text)
        if found is None:
            return "tie"
        total = int(found.group(1)) + int(found.group(2))
        if self.model == "judge":
            a, b = text.split("Answer A:\n")[1].split("\n\nAnswer B:\n")
            b = b.split("\n\nWhich")[0]
            right_a, right_b = str(total) in a, str(total) in b
            return "A" if right_a and not right_b else "B" if right_b and not right_a else "tie"
        if self.model == "refuse":
            return "I cannot help with that."
        return f"The answer is {total + (self.model == 'off')}."

    def generate(self, messages: Sequence[dict[str, str]], **params: Any) -> Generation:
        text = self._answer(messages[-1]["content"])
        return Generation(text, 12, len(text.split()), 1.0, self.model, "stop")

    def generate_batch(self, batch: Sequence[Sequence[dict[str, str]]], **params: Any) -> list[Generation]:
        return [self.generate(m) for m in batch]


@pytest.fixture
def arith() -> Iterator[None]:
    backends_module.register_backend("arith", Arithmetic)
    yield
    backends_module._FACTORIES.pop("arith", None)
    backends_module.clear_cache()


def math_project(capture: Capture, **production: Any) -> registry.PolicyVersion:
    """The seeded math workload with 40 users (a good answer, a corrected one, a regenerated one
    each), a dataset version holding half of them out, and a production version."""
    seed(capture, users=40)
    labels.catch_up(capture.store, P, settings=capture.settings)
    # Half the users held out, whenever they came: the seeded traffic spans 40 hours.
    splits = {"train": 0.5, "validation": 0.0, "eval": 0.5, "time_aware": False}
    datasets.build(capture.store, P, "math", {"workloads": ["math"], "splits": splits})
    prod = registry.register(capture.store, P, {"workload": "math", **production})
    registry.set_production(capture.store, P, "math", prod.id)
    return prod


def version(capture: Capture, **spec: Any) -> str:
    return registry.register(capture.store, P, {"workload": "math", **spec}).id


def test_exact_match_correction_similarity_and_a_version_as_judge(capture: Capture, arith: None) -> None:
    prod = math_project(capture, backend="arith", model="off")
    right = version(capture, backend="arith", model="right")
    judge = version(capture, backend="arith", model="judge")
    ev = run_evaluation(capture.store, P, "math", right, judge=judge, settings=capture.settings, segment_key="plan")
    assert (ev.status, ev.cases, ev.baseline, ev.config["judge"]) == ("succeeded", 48, prod.id, judge)
    m = ev.comparison["metrics"]
    # The right answers match every accepted or corrected answer; one off matches none.
    assert (m["exact_match"]["production"], m["exact_match"]["candidate"], m["exact_match"]["n_cases"]) == (
        0.0,
        1.0,
        48,
    )
    # The 16 corrected cases: "The answer is 21." against the user's "The answer is 20." and so on.
    assert (m["correction_similarity"]["candidate"], m["correction_similarity"]["n_cases"]) == (1.0, 16)
    assert m["correction_similarity"]["production"] == 0.9375
    # The judge (a policy version) picked the right sum in every pair, whichever side it was shown on.
    assert (m["judge"]["production"], m["judge"]["candidate"]) == (0.0, 1.0)
    assert ev.comparison["judge_first_position_rate"] == pytest.approx(20 / 48)
    assert (m["tokens"]["candidate"], m["refusal_rate"]["candidate"], m["length_words"]["candidate"]) == (
        16.0,
        0.0,
        4.0,
    )
    assert ev.config["gate"]["primary"] == "exact_match" and ev.passed is True
    assert ev.summary.startswith("exact match +100.0 points [100.0, 100.0] > margin 0; refusal rate 0.0% vs 0.0%")
    assert ev.comparison["segment_cases"] == {"free": 45, "pro": 3}

    refuses = version(capture, backend="arith", model="refuse")
    gate = GateConfig(primary="judge", guardrails=(Guardrail("refusal_rate", "difference", high=0.01),))
    bad = run_evaluation(capture.store, P, "math", refuses, judge=judge, gate=gate, settings=capture.settings)
    assert bad.passed is False
    assert bad.summary == (
        "judge net wins +0.0 points [0.0, 0.0] lower bound not above margin 0; refusal rate 100.0% vs 0.0% "
        "(+100.0 points) outside: must be within +1.0 points: FAIL"
    )


def test_a_callable_judge_sees_each_pair_in_a_seeded_order(capture: Capture, arith: None) -> None:
    math_project(capture, backend="arith", model="off")
    right = version(capture, backend="arith", model="right")
    shown: list[tuple[str, str]] = []

    def prefers_first(input: Any, a: str, b: str) -> str:
        shown.append((a, b))
        return "a"

    ev = run_evaluation(capture.store, P, "math", right, judge=prefers_first, metrics=["judge"], seed=3)
    assert len(shown) == 48
    # A judge that always picks the first shown scores the candidate by how often it came first.
    share = ev.comparison["metrics"]["judge"]["candidate"]
    assert ev.comparison["judge_first_position_rate"] == 1.0 and 0 < share < 1
    again = run_evaluation(capture.store, P, "math", right, judge=prefers_first, metrics=["judge"], seed=3)
    assert again.comparison["metrics"]["judge"] == ev.comparison["metrics"]["judge"]
    assert ev.config["judge"] == "callable" and list(ev.metrics[right]) == ["judge"]


@pytest.mark.slow
def test_the_transformers_backend_answers_the_held_out_cases(
    capture: Capture, smollm2_dir: Any, hf_backend: Any
) -> None:
    # The session's SmolLM2 (hf_backend) is the backend both versions get: same model, same options.
    model = str(smollm2_dir)
    params = {"max_tokens": 4, "temperature": 0.0}
    math_project(capture, backend="transformers", model=model, params=params)
    brief = version(capture, backend="transformers", model=model, params=params, system_prompt="Answer in one line.")
    ev = run_evaluation(capture.store, P, "math", brief, limit=10, settings=capture.settings)
    assert (ev.status, ev.cases) == ("succeeded", 10)
    m = ev.comparison["metrics"]
    assert set(m) >= {"exact_match", "latency_mean", "tokens", "refusal_rate", "length_chars"}
    # Prompt and answer tokens as the tokenizer counted them; the system prompts differ (SmolLM2's
    # chat template supplies its own when a version gives none).
    assert m["tokens"]["candidate"] > 4 and m["tokens"]["production"] > 4
    assert m["tokens"]["candidate"] != m["tokens"]["production"]
    assert m["latency_mean"]["production"] > 0 and m["exact_match"]["n_cases"] == 10
