"""The two loops (flyloop.improve.loops): the few-shot loop end to end on captured interactions
(dataset, bank, candidate with its lineage, the run's inputs and outputs), and the prompt loop with
backends that answer by rule (estimate, calls and tokens, the better prompt registered). The records
and the cadence are tests/improve/test_runs.py's."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from test_failures import PROJECT as ASSIST_PROJECT
from test_failures import T, seed_failures

from conftest import hours_ago
from flyloop import datasets, errors, registry
from flyloop.capture import Capture, declare_workload
from flyloop.improve import (
    Generation,
    get_run,
    list_banks,
    list_runs,
    plan_loop,
    run_loop,
)
from flyloop.improve import backends as backends_module
from flyloop.settings import Settings

P = "acme"
MATH = {"workload": "math", "backend": "openai", "model": "m", "system_prompt": "You add numbers."}


def _shared_conftest() -> Any:
    """tests/conftest.py, by its path (``from conftest import`` finds tests/improve/conftest.py)."""
    spec = importlib.util.spec_from_file_location("flyloop_tests_conftest", Path(__file__).parents[1] / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


seed, fix_keys = _shared_conftest().seed, _shared_conftest().fix_keys


def settings_for(capture: Capture, **overrides: Any) -> Settings:
    return Settings(home=capture.settings.home, database_url="sqlite://", **overrides)


def math_project(capture: Capture, *, production: bool = True) -> tuple[str, registry.PolicyVersion | None]:
    """seed()'s ten users of the math workload, a dataset version of them, and (by default) a
    production version without a bank."""
    seed(capture, project=P)
    version = datasets.build(capture.store, P, "math", {})
    if not production:
        return version.id, None
    prod = registry.register(capture.store, P, MATH)
    registry.set_production(capture.store, P, "math", prod.id)
    return version.id, prod


def test_fewshot_run_builds_a_bank_and_a_candidate_and_records_both(capture: Capture) -> None:
    dataset, prod = math_project(capture)
    assert prod is not None
    run = run_loop(capture.store, P, "fewshot", "math", settings=capture.settings, embedder="hashing")
    (bank,) = list_banks(capture.store, P, "math")
    assert (run.loop, run.workload, run.status, run.trigger, run.error) == (
        "fewshot",
        "math",
        "succeeded",
        "manual",
        None,
    )
    assert run.inputs == {"production": prod.id, "dataset": dataset, "embedder": "hashing"}
    assert run.outputs == {"bank": bank.id, "candidates": run.candidates}
    assert (run.calls, run.tokens) == (0, 0)
    assert run.finished_at is not None and run.duration_s == round(run.finished_at - run.started_at, 3)
    assert run.details["bank"]["size"] == bank.size == 21 and (run.details["k"], run.details["selector"]) == (
        4,
        "similarity",
    )
    (candidate_id,) = run.candidates
    candidate = registry.get_version(capture.store, P, candidate_id)
    assert (candidate.parent, candidate.created_by) == (prod.id, f"loop:{run.id}")
    assert (candidate.bank, candidate.k, candidate.selector) == (bank.id, 4, "similarity")
    assert candidate.system_prompt == prod.system_prompt and candidate.model == "m"
    # Not promoted: the candidate waits for the evaluation gate.
    assert registry.production(capture.store, P, "math") == prod
    assert get_run(capture.store, P, run.id) == run and list_runs(capture.store, P) == [run]

    # The same data again: the same bank, the same version (its first lineage kept), said so.
    again = run_loop(capture.store, P, "fewshot", "math", settings=capture.settings, embedder="hashing")
    assert again.candidates == [candidate_id] and again.details["registered_before_by"] == f"loop:{run.id}"
    assert [r.id for r in list_runs(capture.store, P, loop="fewshot", workload="math")] == [again.id, run.id]
    assert list_runs(capture.store, P, loop="prompt") == [] and list_runs(capture.store, P, limit=1) == [again]

    # Once production serves that bank, a run changes nothing and makes no candidate.
    registry.set_production(capture.store, P, "math", candidate_id)
    same = run_loop(capture.store, P, "fewshot", "math", settings=capture.settings, embedder="hashing", k=4)
    assert same.candidates == [] and "already serves this bank" in same.details["unchanged"]


def test_a_choice_workload_gets_the_balanced_selector(capture: Capture) -> None:
    """A production version without a bank: the candidate's selector follows the workload's type."""
    fix_keys(capture.store, P)  # the same users held out on every run
    declare_workload(capture.store, P, "triage", type="choice", labels=["billing", "bug"])
    tickets = [f"My invoice {n} was charged twice" for n in range(20)] + [
        f"The app crashes on screen {n}" for n in range(20)
    ]
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"tk{n}", "workload": "triage", "input": text, "output": "billing" if n < 20 else "bug"}
                | {"user_id": f"u{n}", "ts": now + n}
                for n, text in enumerate(tickets)
            ],
            # Accepted and liked: confident enough for a bank (one thumbs-up alone is not).
            "signals": [
                {"id": f"tk{n}-{kind}", "interaction_id": f"tk{n}", "kind": kind, "ts": now + n + 5}
                for n in range(len(tickets))
                for kind in ("accept", "thumbs_up")
            ],
        },
    )
    prod = registry.register(capture.store, P, {"workload": "triage", "backend": "openai", "model": "m", "k": 0})
    registry.set_production(capture.store, P, "triage", prod.id)
    run = run_loop(capture.store, P, "fewshot", "triage", settings=capture.settings, embedder="hashing", refresh=True)
    candidate = registry.get_version(capture.store, P, run.candidates[0])
    assert (candidate.selector, candidate.k, candidate.parent) == ("balanced", 4, prod.id)
    bank = list_banks(capture.store, P, "triage")[0]
    assert (bank.size, bank.manifest["labels"]) == (30, {"billing": 18, "bug": 12})
    assert run.details["dataset_refreshed"] == bank.dataset_version


# --- the prompt loop, with models that answer by rule ---------------------------------------------

CHECK = "Double-check every sum before answering."
ASSIST = {"workload": "assist", "backend": "openai", "model": "m", "system_prompt": "You answer questions."}


class Adder:
    """Adds the first two numbers of the user turn, one too many unless told to double-check."""

    name, model = "adder", "adder-1"

    def generate(self, messages: list[dict[str, str]], **params: Any) -> Generation:
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        numbers = [int(x) for x in re.findall(r"\d+", messages[-1]["content"])[:2]]
        if len(numbers) < 2:  # a validation case of another kind of failure
            return Generation("I cannot tell.", 10, 5, 1.0, self.model, "stop")
        total = sum(numbers) + (0 if CHECK in system else 1)
        return Generation(f"The answer is {total}.", 10, 5, 1.0, self.model, "stop")

    def generate_batch(self, batch: Sequence[list[dict[str, str]]], **params: Any) -> list[Generation]:
        return [self.generate(m) for m in batch]


class Reflector:
    """Always proposes the double-check prompt; counts its calls."""

    name, model = "reflector", "reflector-1"
    calls = 0

    def generate(self, messages: list[dict[str, str]], **params: Any) -> Generation:
        Reflector.calls += 1
        return Generation(f"<prompt>{CHECK}</prompt>", 100, 20, 1.0, self.model, "stop")

    def generate_batch(self, batch: Sequence[list[dict[str, str]]], **params: Any) -> list[Generation]:
        return [self.generate(m) for m in batch]


def test_prompt_run_spends_its_budget_and_registers_the_better_prompt(
    capture: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_failures(capture)
    store = capture.store
    prod = registry.register(store, ASSIST_PROJECT, ASSIST)
    registry.set_production(store, ASSIST_PROJECT, "assist", prod.id)
    # The reflection model comes from the settings: a backend registered by name.
    monkeypatch.setitem(backends_module._FACTORIES, "reflector", lambda **kw: Reflector())
    backends_module.clear_cache()
    settings = settings_for(capture, loops_reflection_backend="reflector")
    options: dict[str, Any] = {
        "since": T,
        "until": T + 1000,
        "validation_size": 4,
        "budget": 20,
        "embedder": "hashing",
        "target": Adder(),
    }
    planned = plan_loop(store, ASSIST_PROJECT, "prompt", "assist", settings=settings, **options)
    assert (planned["estimate"], planned["budget"], planned["production"]) == (19, 20, prod.id)
    assert list_runs(store, ASSIST_PROJECT) == []  # planning records nothing and spends nothing
    Reflector.calls = 0
    run = run_loop(store, ASSIST_PROJECT, "prompt", "assist", settings=settings, **options)
    backends_module.clear_cache()
    assert run.status == "succeeded" and run.details["estimate"] == 19
    assert run.inputs["production"] == prod.id and run.inputs["clusters"] == planned["clusters"]
    assert run.inputs["failures"] == 30 and len(run.inputs["clusters"]) == 1
    (result,) = run.details["results"]
    assert result["cluster"] == run.inputs["clusters"][0] and result["parent_score"] < 1.0
    (candidate_id,) = run.candidates
    candidate = registry.get_version(store, ASSIST_PROJECT, candidate_id)
    assert (candidate.system_prompt, candidate.parent, candidate.created_by) == (CHECK, prod.id, f"loop:{run.id}")
    assert candidate.model == "m" and result["best"][0]["version"] == candidate_id
    # Three reflections; production and two proposals scored on 4 cases each (the second proposal,
    # drawn from the first and the same prompt, costs its reflection only): 15 of the estimated 19.
    assert (run.calls, run.tokens, Reflector.calls) == (15, 12 * 15 + 3 * 120, 3)
    # Both scored proposals are the same prompt: one version, listed once among the candidates.
    assert [(b["proposal"], b["version"]) for b in result["best"]] == [("p1", candidate_id), ("p3", candidate_id)]
    assert result["parent_score"] == 0.545882 and result["best"][0]["score"] == pytest.approx(0.59)


def test_prompt_run_refused_over_a_budget_too_small(capture: Capture) -> None:
    seed_failures(capture)
    prod = registry.register(capture.store, ASSIST_PROJECT, ASSIST)
    registry.set_production(capture.store, ASSIST_PROJECT, "assist", prod.id)
    with pytest.raises(errors.ValidationError) as caught:
        run_loop(
            capture.store,
            ASSIST_PROJECT,
            "prompt",
            "assist",
            settings=capture.settings,
            since=T,
            until=T + 1000,
            validation_size=4,
            budget=8,
            embedder="hashing",
            target=Adder(),
        )
    assert caught.value.field == "budget"
    (failed,) = list_runs(capture.store, ASSIST_PROJECT)
    assert failed.status == "failed" and failed.calls == 0 and "at least 9" in (failed.error or "")


def test_fewshot_takes_min_quality_for_a_thumbs_only_workload(capture: Capture) -> None:
    """One thumbs-up from a new rater earns quality 1/3 (confidence 0.5 x trust 2/3), under a
    bank's default 0.5: a thumbs-only workload gets its bank only when it asks for less."""
    fix_keys(capture.store, P)
    declare_workload(capture.store, P, "triage", type="choice", labels=["billing", "bug"])
    tickets = [f"My invoice {n} was charged twice" for n in range(20)] + [
        f"The app crashes on screen {n}" for n in range(20)
    ]
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"tk{n}", "workload": "triage", "input": text, "output": "billing" if n < 20 else "bug"}
                | {"user_id": f"u{n}", "ts": now + n}
                for n, text in enumerate(tickets)
            ],
            "signals": [
                {"id": f"tk{n}-up", "interaction_id": f"tk{n}", "kind": "thumbs_up", "ts": now + n + 5}
                for n in range(len(tickets))
            ],
        },
    )
    prod = registry.register(capture.store, P, {"workload": "triage", "backend": "openai", "model": "m", "k": 0})
    registry.set_production(capture.store, P, "triage", prod.id)
    options: dict[str, Any] = {"settings": capture.settings, "embedder": "hashing", "refresh": True}
    with pytest.raises(
        errors.NotEnoughData, match=r"^dataset: not enough data: 0 of 10; dropped \d+ below min_quality 0.5$"
    ):
        run_loop(capture.store, P, "fewshot", "triage", **options)
    run = run_loop(capture.store, P, "fewshot", "triage", min_quality=0.3, **options)
    bank = list_banks(capture.store, P, "triage")[0]
    assert (run.status, bank.size, bank.manifest["rules"]["min_quality"]) == ("succeeded", 30, 0.3)
    with pytest.raises(errors.ValidationError, match="min_quality must be a number from 0 to 1, not str"):
        run_loop(capture.store, P, "fewshot", "triage", min_quality="low", **options)
