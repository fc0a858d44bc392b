"""How a version answers evaluation cases (flyloop.evaluate.answers), on the real transformers
backend (SmolLM2-135M-Instruct): in padded batches of the backend's batch_size, each case's
latency its batch's model time divided by its rows, the answers those one-by-one generation gives;
and a stored evaluation whose two versions answer in alternating batches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flyloop import registry
from flyloop.capture import Capture, declare_workload
from flyloop.evaluate import EvalCase, add_golden_cases, answer_cases, run_evaluation
from flyloop.evaluate import answers as answers_module
from flyloop.improve import backend_for, generation_params, render
from flyloop.improve import backends as backends_module

pytestmark = pytest.mark.slow  # a real model: each batch takes a second or more

P = "acme"
SYSTEM = "Reply with the number only."
# Ten sums whose prompts differ in length (one or two digits): a batch pads some rows.
SUMS = [(3, 4), (12, 30), (7, 58), (41, 9), (66, 21), (5, 5), (90, 8), (14, 73), (2, 60), (38, 38)]
# SmolLM2's first six tokens, greedy: it explains before it answers (room for the loops to lift it).
WORDY = [
    "To add 3 and ",
    "12 + 30",
    "To add 7 and ",
    "To add 41 and",
    "To add 66 and",
    "5 + 5 = ",
    "To add 90 and",
    "To add 14 and",
    "To solve this problem, we",
    "To add 38 and",
]
CASES = [
    EvalCase(id=f"c{i}", user=f"u{i % 4}", input=f"What is {a} + {b}?", reference=str(a + b))
    for i, (a, b) in enumerate(SUMS)
]


@pytest.fixture(autouse=True)
def fresh_backends() -> Any:
    backends_module.clear_cache()
    yield
    backends_module.clear_cache()


def transformers_version(capture: Capture, model: Path, **params: Any) -> registry.PolicyVersion:
    declare_workload(capture.store, P, "math", type="generation")
    spec = {"workload": "math", "backend": "transformers", "model": str(model), "system_prompt": SYSTEM}
    return registry.register(capture.store, P, spec | {"params": {"max_tokens": 6, **params}})


def one_by_one(capture: Capture, version: registry.PolicyVersion) -> list[str]:
    backend = backend_for(version, capture.settings)
    return [
        backend.generate(render(capture.store, P, version, case.input).messages, **generation_params(version)).text
        for case in CASES
    ]


def test_a_transformers_version_answers_in_batches_each_case_its_batchs_share_of_the_time(
    capture: Capture, smollm2_dir: Path
) -> None:
    version = transformers_version(capture, smollm2_dir)
    assert answers_module.batch_size(version, capture.settings) == 8  # the backend's default
    done: list[int] = []
    outputs = answer_cases(capture.store, P, version, CASES, settings=capture.settings, on_case=done.append)
    assert done == [8, 10]  # after each batch
    # The same answers one by one gives (the padding is masked), in the cases' order.
    texts = [o.text for o in outputs]
    assert texts == one_by_one(capture, version)
    assert texts == WORDY
    # Tokens: the prompt's and the answer's as the tokenizer counted them, per case.
    assert [o.tokens for o in outputs] == [35, 37, 36, 36, 37, 35, 36, 37, 36, 37]
    # Two batches (8 cases, then 2): within one, every case carries the same share of its time.
    latencies = [o.latency_ms for o in outputs]
    assert len(set(latencies[:8])) == 1 and len(set(latencies[8:])) == 1
    assert latencies[0] != latencies[8] and all(ms is not None and ms > 0 for ms in latencies)


def test_a_versions_batch_size_sets_its_batches_and_1_answers_one_case_at_a_time(
    capture: Capture, smollm2_dir: Path
) -> None:
    fours = transformers_version(capture, smollm2_dir, batch_size=4)
    assert answers_module.batch_size(fours, capture.settings) == 4
    outputs = answer_cases(capture.store, P, fours, CASES, settings=capture.settings)
    latencies = [o.latency_ms for o in outputs]
    # Batches of 4, 4 and 2: three shares of three batches' times.
    assert [len(set(latencies[i : i + 4])) for i in (0, 4, 8)] == [1, 1, 1]
    assert len(set(latencies)) == 3
    assert [o.text for o in outputs] == WORDY
    single = transformers_version(capture, smollm2_dir, batch_size=1)
    assert answers_module.batch_size(single, capture.settings) == 1
    assert [o.text for o in answer_cases(capture.store, P, single, CASES[:3], settings=capture.settings)] == WORDY[:3]


def test_an_evaluation_of_two_transformers_versions_answers_them_in_batches(
    capture: Capture, smollm2_dir: Path
) -> None:
    prod = transformers_version(capture, smollm2_dir)
    registry.set_production(capture.store, P, "math", prod.id)
    wordy = registry.register(
        capture.store,
        P,
        {"workload": "math", "backend": "transformers", "model": str(smollm2_dir), "params": {"max_tokens": 6}},
    )
    add_golden_cases(
        capture.store, P, "sums", "math", [{"input": c.input, "expected": c.reference} for c in CASES], by="ana"
    )
    phases: list[tuple[str, int]] = []
    ev = run_evaluation(
        capture.store, P, "math", wordy.id, golden="sums", settings=capture.settings,
        on_progress=lambda phase, done, total: phases.append((phase, done)),
    )  # fmt: skip
    assert (ev.status, ev.cases) == ("succeeded", 10)
    # Block by block: 8 cases, then 2; the versions take turns to answer a block first.
    answered = [p for p in phases if p[0] in ("baseline", "candidate") and p[1] > 0]
    assert answered == [("baseline", 8), ("candidate", 8), ("candidate", 10), ("baseline", 10)]
    m = ev.comparison["metrics"]
    # The base model's wordy answers with either system prompt: tokens as the tokenizer counted them
    # (SmolLM2's own system prompt, where a version gives none, is the longer).
    assert (m["exact_match"]["production"], m["exact_match"]["candidate"]) == (0.0, 0.0)
    assert (m["tokens"]["production"], m["tokens"]["candidate"]) == (36.2, 45.2)
    assert (m["length_chars"]["production"], m["length_chars"]["candidate"]) == (13.1, 10.5)
    assert (m["latency_mean"]["n_cases"], m["latency_p95"]["n_cases"]) == (10, 10)
