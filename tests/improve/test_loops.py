"""Loop runs as records (flyloop.improve.runs) and the two loops (flyloop.improve.loops): the few-shot
loop end to end on captured interactions (dataset, bank, candidate with its lineage, the run's
inputs and outputs), its trigger and the cadence, failed runs recorded with their error, bad
arguments refused before any row, and the prompt loop with backends that answer by rule."""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from test_failures import PROJECT as ASSIST_PROJECT
from test_failures import T, seed_failures

from flyloop import datasets, errors, labels, registry
from flyloop.capture import Capture
from flyloop.improve import (
    Generation,
    due_runs,
    get_run,
    list_banks,
    list_runs,
    loop_names,
    plan_loop,
    run_due,
    run_due_all,
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


seed = _shared_conftest().seed


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


def test_the_loops_are_registered_by_name() -> None:
    assert loop_names() == ["fewshot", "prompt"]


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


def test_a_trigger_not_met_is_recorded_as_skipped(capture: Capture) -> None:
    math_project(capture)
    strict = settings_for(capture, loops_fewshot_min_new=50)
    skipped = run_loop(capture.store, P, "fewshot", "math", trigger="nightly", settings=strict, embedder="hashing")
    assert (skipped.status, skipped.outputs, skipped.inputs) == ("skipped", {}, {})
    assert skipped.details["trigger"] == {
        "due": False,
        "reason": "30 new corrected or confidently good examples so far (no bank yet) (need 50)",
        "counts": {"new_examples": 30, "need": 50, "since": 0.0},
    }
    assert list_banks(capture.store, P) == []
    ran = run_loop(
        capture.store, P, "fewshot", "math", trigger="nightly", settings=settings_for(capture, loops_fewshot_min_new=30)
    )
    assert ran.status == "succeeded" and ran.details["trigger"]["due"] is True
    # After that run no label is new: the trigger does not hold however low the bar.
    after = run_loop(
        capture.store, P, "fewshot", "math", trigger="nightly", settings=settings_for(capture, loops_fewshot_min_new=1)
    )
    assert after.status == "skipped" and after.details["trigger"]["counts"]["new_examples"] == 0


def test_a_failed_run_is_recorded_with_its_error(capture: Capture) -> None:
    math_project(capture, production=False)
    with pytest.raises(errors.NotFound) as caught:
        run_loop(capture.store, P, "fewshot", "math", settings=capture.settings)
    assert caught.value.field == "production" and "flyloop policies promote math" in caught.value.message
    (failed,) = list_runs(capture.store, P)
    assert caught.value.details == {"run": failed.id}
    assert (failed.status, failed.error, failed.outputs) == ("failed", f"production: {caught.value.message}", {})
    assert failed.finished_at is not None

    # A failure half-way keeps what the run had read by then.
    prod = registry.register(capture.store, P, MATH)
    registry.set_production(capture.store, P, "math", prod.id)
    with pytest.raises(errors.NotEnoughData):
        run_loop(capture.store, P, "fewshot", "math", settings=capture.settings, embedder="hashing", min_examples=500)
    latest = list_runs(capture.store, P, limit=1)[0]
    assert (latest.status, latest.inputs) == ("failed", {"production": prod.id})
    assert latest.error == "dataset: not enough data: 21 of 500"


def test_bad_arguments_are_refused_before_any_row(capture: Capture) -> None:
    math_project(capture)
    cases: list[tuple[dict[str, Any], type[errors.FlyloopError], str]] = [
        ({"loop": "finetune"}, errors.ValidationError, "loop"),
        ({"workload": "nope"}, errors.NotFound, "workload"),
        ({"workload": ""}, errors.ValidationError, "workload"),
        ({"budgte": 5}, errors.ValidationError, "budgte"),
        ({"trigger": ""}, errors.ValidationError, "trigger"),
        ({"k": True}, errors.ValidationError, "k"),
        ({"refresh": "yes"}, errors.ValidationError, "refresh"),
        ({"loop": "prompt", "budget": "20"}, errors.ValidationError, "budget"),
        ({"loop": "prompt", "reflection": "gpt-4o"}, errors.ValidationError, "reflection"),
    ]
    for change, kind, where in cases:
        arguments: dict[str, Any] = {"loop": "fewshot", "workload": "math", **change}
        with pytest.raises(kind) as caught:
            run_loop(capture.store, P, settings=capture.settings, **arguments)
        assert caught.value.field == where, change
    with pytest.raises(errors.NotFound):
        get_run(capture.store, P, "lr_nope")
    for bad in ({"limit": 0}, {"status": "done"}):
        with pytest.raises(errors.ValidationError):
            list_runs(capture.store, P, **bad)
    assert list_runs(capture.store, P) == []


def test_the_cadence_runs_what_is_due_once_per_interval(capture: Capture) -> None:
    math_project(capture, production=False)
    eager = settings_for(capture, loops_fewshot_min_new=30)
    # No production version: the workload serves no policy, so nothing is scheduled for it.
    assert due_runs(capture.store, P, eager) == [] and run_due_all(capture.store, eager) == {}
    prod = registry.register(capture.store, P, MATH)
    registry.set_production(capture.store, P, "math", prod.id)
    assert due_runs(capture.store, P, settings_for(capture, loops_fewshot_min_new=31)) == []
    assert due_runs(capture.store, P, settings_for(capture, loops_fewshot_min_new=30, loops_fewshot_every_s=0)) == []
    why = "cadence: 30 new corrected or confidently good examples so far (no bank yet) (need 30)"
    # The prompt loop is off by default (loops_prompt_every_s = 0): it would spend model calls.
    assert due_runs(capture.store, P, eager) == [("fewshot", "math", why)]
    (run,) = run_due_all(capture.store, eager)[P]
    assert (run.status, run.trigger) == ("succeeded", why)
    # A scheduled run builds the loop's own dataset on today's labels first.
    refreshed = datasets.get(capture.store, P, run.details["dataset_refreshed"])
    assert refreshed.name == "fewshot-math" and run.inputs["dataset"] == refreshed.id
    assert run.outputs["bank"] == list_banks(capture.store, P, "math")[0].id
    # Within the interval nothing is due; past it, nothing new has arrived.
    assert due_runs(capture.store, P, eager) == [] and run_due(capture.store, P, eager) == []
    later = run.started_at + eager.loops_fewshot_every_s + 1
    assert due_runs(capture.store, P, settings_for(capture, loops_fewshot_min_new=1), now=later) == []


def test_a_failing_scheduled_run_is_recorded_and_the_cadence_goes_on(capture: Capture) -> None:
    math_project(capture)
    now = time.time()
    # A second served workload with three good answers: too few for a bank.
    capture.ingest(
        P,
        {
            "interactions": [
                {
                    "id": f"t{n}",
                    "workload": "tiny",
                    "input": f"Spell {n}",
                    "output": "ok",
                    "user_id": f"t{n}",
                    "ts": now,
                }
                for n in range(3)
            ]
        },
    )
    capture.ingest(
        P,
        {"signals": [{"id": f"t{n}-up", "interaction_id": f"t{n}", "kind": "thumbs_up", "ts": now} for n in range(3)]},
    )
    labels.catch_up(capture.store, P, settings=capture.settings)
    tiny = registry.register(capture.store, P, {**MATH, "workload": "tiny"})
    registry.set_production(capture.store, P, "tiny", tiny.id)
    eager = settings_for(capture, loops_fewshot_min_new=1, loops_prompt_every_s=3600, loops_prompt_min_failures=1)
    runs = run_due(capture.store, P, eager)
    # math's twenty failures are ten days old, outside the prompt loop's window: it is not due.
    assert [(r.loop, r.workload, r.status) for r in runs] == [
        ("fewshot", "math", "succeeded"),
        ("fewshot", "tiny", "failed"),
    ]
    assert runs[1].error == "dataset: not enough data: 0 of 10"
    assert runs[1].trigger == "cadence: 3 new corrected or confidently good examples so far (no bank yet) (need 1)"
    assert due_runs(capture.store, P, eager) == []  # a failed run counts for the interval too


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
