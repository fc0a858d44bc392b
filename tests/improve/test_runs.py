"""Loop runs as records and their cadence (flyloop.improve.runs): a trigger not met recorded as
skipped, a failed run recorded with its error (a flyloop error with the run's id, a foreign one as
it is, an interrupt too), bad arguments refused before any row, a loop added by registration, and
the cadence: only served workloads, once per interval, a failing run recorded while the rest go on."""

from __future__ import annotations

import time
from typing import Any

import pytest
from test_loops import MATH, P, math_project, settings_for

from flyloop import datasets, errors, labels, registry
from flyloop.capture import Capture
from flyloop.improve import (
    Loop,
    RunContext,
    Trigger,
    cancel_run,
    due_runs,
    get_run,
    list_banks,
    list_runs,
    loop_names,
    register_loop,
    run_due,
    run_due_all,
    run_loop,
)
from flyloop.improve import runs as runs_module


def test_the_loops_are_registered_by_name() -> None:
    assert loop_names() == ["fewshot", "finetune", "prompt", "retrieval", "reward"]


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
        ({"loop": "finetuning"}, errors.ValidationError, "loop"),
        ({"workload": "nope"}, errors.NotFound, "workload"),
        ({"workload": ""}, errors.ValidationError, "workload"),
        ({"budgte": 5}, errors.ValidationError, "budgte"),
        ({"trigger": ""}, errors.ValidationError, "trigger"),
        ({"k": True}, errors.ValidationError, "k"),
        ({"refresh": "yes"}, errors.ValidationError, "refresh"),
        ({"loop": "prompt", "budget": "20"}, errors.ValidationError, "budget"),
        ({"loop": "prompt", "reflection": "gpt-4o"}, errors.ValidationError, "reflection"),
        # out of bounds: refused with the types, before a run is recorded
        ({"min_quality": -0.5}, errors.ValidationError, "min_quality"),
        ({"min_examples": -3}, errors.ValidationError, "min_examples"),
        ({"k": 100_000}, errors.ValidationError, "k"),
        ({"loop": "prompt", "budget": -1}, errors.ValidationError, "budget"),
        ({"loop": "prompt", "since": 1e300}, errors.ValidationError, "since"),
        ({"loop": "prompt", "until": float("nan")}, errors.ValidationError, "until"),
        ({"embedder": "nope"}, errors.ValidationError, "embedder"),  # once a failed run in the records
    ]
    for change, kind, where in cases:
        arguments: dict[str, Any] = {"loop": "fewshot", "workload": "math", **change}
        with pytest.raises(kind) as caught:
            run_loop(capture.store, P, settings=capture.settings, **arguments)
        assert caught.value.field == where, change
    with pytest.raises(errors.ValidationError) as caught:
        run_loop(capture.store, P, "prompt", "math", settings=capture.settings, budget=-1)
    assert caught.value.message == "budget must be from 1 to 1000000, not -1"
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
    # single thumbs-ups earn 1/3, under the floor (the message counts those the split key put in train)
    assert (runs[1].error or "").startswith("dataset: not enough data: 0 of 10")
    assert runs[1].trigger == "cadence: 3 new corrected or confidently good examples so far (no bank yet) (need 1)"
    assert due_runs(capture.store, P, eager) == []  # a failed run counts for the interval too


class Boom(Exception):
    pass


def _counting(ctx: RunContext) -> None:
    """A loop body that spends, then fails as its ``fail`` option says."""
    ctx.inputs["seen"] = ctx.workload
    ctx.calls, ctx.tokens = 3, 42
    fail = ctx.options.get("fail")
    if fail == "boom":
        raise Boom("the model server went away")
    if fail == "interrupt":
        raise KeyboardInterrupt
    ctx.outputs["candidates"] = []
    ctx.details["note"] = "counted"


def test_a_loop_is_added_by_registration(capture: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    math_project(capture)
    monkeypatch.setattr(runs_module, "_LOOPS", dict(runs_module._LOOPS))  # the registration ends with the test
    register_loop(
        Loop(
            name="counting",
            run=_counting,
            trigger=lambda store, project, workload, settings: Trigger(True, "always", {}),
            every_s=lambda settings: 0.0,
            options={"fail": (str, "boom or interrupt")},
            plan=lambda ctx: {"estimate": 3},
        )
    )
    assert loop_names() == ["counting", "fewshot", "finetune", "prompt", "retrieval", "reward"]
    done = run_loop(capture.store, P, "counting", "math", settings=capture.settings)
    assert (done.status, done.inputs, done.calls, done.tokens, done.details) == (
        "succeeded",
        {"seen": "math"},
        3,
        42,
        {"note": "counted"},
    )
    # A foreign error is recorded with its type and raised as it is (a bug is seen whole).
    with pytest.raises(Boom):
        run_loop(capture.store, P, "counting", "math", settings=capture.settings, fail="boom")
    boom = list_runs(capture.store, P, limit=1)[0]
    assert (boom.status, boom.error, boom.calls, boom.inputs) == (
        "failed",
        "Boom: the model server went away",
        3,
        {"seen": "math"},
    )
    # An interrupt (Ctrl-C) leaves no run claiming to go on: it is recorded cancelled, raised as Cancelled.
    with pytest.raises(errors.Cancelled) as caught:
        run_loop(capture.store, P, "counting", "math", settings=capture.settings, fail="interrupt")
    interrupted = list_runs(capture.store, P, limit=1)[0]
    assert (interrupted.status, interrupted.error, list_runs(capture.store, P, status="running")) == (
        "cancelled",
        "interrupted (KeyboardInterrupt)",
        [],
    )
    assert caught.value.details == {"run": interrupted.id}
    # Never scheduled: its interval is 0.
    assert [d[0] for d in due_runs(capture.store, P, settings_for(capture, loops_fewshot_min_new=1))] == ["fewshot"]


def _stepping(ctx: RunContext) -> None:
    # Ten steps; between them, a cancel request from "another process" arrives after step 3.
    for step in range(1, 11):
        ctx.check_cancelled()
        ctx.progress(step, 10, loss=round(1.0 / step, 3))
        if step == 3:
            cancel_run(ctx.store, ctx.project_id, ctx.run_id)
            ctx._cancel_checked_at = 0.0  # the poll's throttle, skipped so the test needs no sleep
    ctx.outputs["candidates"] = []


def test_a_running_loop_reports_progress_and_stops_on_a_cancel_request(
    capture: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    math_project(capture)
    monkeypatch.setattr(runs_module, "_LOOPS", dict(runs_module._LOOPS))
    register_loop(
        Loop(
            name="stepping",
            run=_stepping,
            trigger=lambda store, project, workload, settings: Trigger(True, "always", {}),
            every_s=lambda settings: 0.0,
            options={},
            plan=lambda ctx: {"estimate": 0},
        )
    )
    seen: list[dict[str, Any]] = []
    with pytest.raises(errors.Cancelled) as caught:
        run_loop(capture.store, P, "stepping", "math", settings=capture.settings, on_progress=seen.append)
    run = get_run(capture.store, P, caught.value.details["run"])
    assert seen == [
        {"done": 1, "total": 10, "loss": 1.0},
        {"done": 2, "total": 10, "loss": 0.5},
        {"done": 3, "total": 10, "loss": 0.333},
    ]
    assert (run.status, run.error, run.details["progress"]) == (
        "cancelled",
        f"loop run {run.id} was cancelled on request",
        {"done": 3, "total": 10, "loss": 0.333},
    )
    assert run.cancel_requested_at is not None
    # Only a running run can be cancelled; a missing one is not found.
    with pytest.raises(errors.Conflict) as ended:
        cancel_run(capture.store, P, run.id)
    assert ended.value.message == f"loop run {run.id} is cancelled, not running: nothing to cancel"
    with pytest.raises(errors.NotFound):
        cancel_run(capture.store, P, "lr_nope")
