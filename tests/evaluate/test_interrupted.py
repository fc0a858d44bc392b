"""Evaluations whose process is gone (flyloop.evaluate.interrupted): each records the process that
runs it; one left ``running`` by a dead process is marked failed, one of a live process (or of
another host, which cannot be asked) is left running; an evaluation asked to stop between cases is
stored failed with the reason; Ctrl-C mid-run leaves it failed, not running."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest
from test_records import record

from evaluate_fixtures import GOLDEN, spam_versions
from flyloop import errors
from flyloop.evaluate import add_golden_cases, fail_interrupted, fail_running, get_evaluation, run_evaluation
from flyloop.evaluate import answers as answers_module
from flyloop.evaluate.interrupted import process_gone, this_process
from flyloop.evaluate.records import finish_record, start_record
from flyloop.improve import backends as backends_module
from flyloop.improve import bank as bank_module

P = "acme"
HOST = socket.gethostname()


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_the_running_evaluations_of_a_gone_process_are_marked_failed(store) -> None:
    gone = dead_pid()
    owners = {
        "ev_dead": {"host": HOST, "pid": gone, "started": None},
        "ev_mine": this_process(),
        "ev_away": {"host": HOST + "-elsewhere", "pid": gone, "started": None},
        "ev_legacy": None,  # written before evaluations recorded their process
    }
    for evaluation_id, owner in owners.items():
        config = {} if owner is None else {"process": owner}
        start_record(store, P, record(id=evaluation_id, config=config))
    finished = record(id="ev_done", config={"process": owners["ev_dead"]})
    start_record(store, P, finished)
    finish_record(store, P, finished.model_copy(update={"status": "succeeded", "finished_at": 101.0}))

    assert fail_interrupted(store) == [(P, "ev_dead"), (P, "ev_legacy")]
    dead = get_evaluation(store, P, "ev_dead")
    assert (dead.status, dead.error) == (
        "failed",
        f"interrupted: the process running it (pid {gone} on {HOST}) ended before it finished",
    )
    assert dead.config["error"] == {"type": "Interrupted", "field": None, "message": dead.error}
    assert dead.finished_at is not None and dead.summary == f"failed: {dead.error}"
    assert get_evaluation(store, P, "ev_legacy").error == (
        "interrupted: the process running it (a process of an earlier version) ended before it finished"
    )
    assert [get_evaluation(store, P, e).status for e in ("ev_mine", "ev_away", "ev_done")] == [
        "running",
        "running",
        "succeeded",
    ]
    assert fail_interrupted(store) == []  # marked once
    # One that ended meanwhile keeps its result.
    assert fail_running(store, P, "ev_done", "the server stopped") is False
    assert get_evaluation(store, P, "ev_done").status == "succeeded"
    assert fail_running(store, P, "ev_mine", "the server stopped") is True
    assert get_evaluation(store, P, "ev_mine").error == "the server stopped"


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/stat"), reason="start times come from /proc")
def test_a_reused_pid_does_not_pass_for_the_process_that_ran_it() -> None:
    parent = os.getppid()  # alive, but it did not start at tick 1
    assert process_gone({"host": HOST, "pid": parent, "started": 1}) is True
    assert process_gone({"host": HOST, "pid": parent, "started": None}) is False
    assert process_gone(this_process()) is False
    assert process_gone({"host": HOST, "pid": True}) is True
    assert this_process()["started"] == this_process()["started"] is not None


@pytest.fixture
def spam(capture):
    backends_module.clear_cache()
    bank_module.LOADED.pop(capture.store, None)
    prod, cand = spam_versions(capture)
    add_golden_cases(capture.store, P, "hard", "spam", GOLDEN, "ana")
    yield prod, cand
    backends_module.clear_cache()


def test_an_evaluation_asked_to_stop_is_stored_failed_with_the_reason(capture, spam) -> None:
    _, cand = spam
    asked = []

    def cancelled() -> str | None:
        asked.append(1)
        # Asked once per case in each version's untimed pass (2 x 20), then before each timed case.
        return "the server stopped" if len(asked) > 40 + 3 else None

    with pytest.raises(errors.Cancelled) as caught:
        run_evaluation(capture.store, P, "spam", cand, golden="hard", evaluation_id="ev_stop", cancelled=cancelled)
    stored = get_evaluation(capture.store, P, "ev_stop")
    assert (
        stored.error == "evaluation ev_stop was cancelled after 3 of 20 cases: the server stopped" == str(caught.value)
    )
    assert (stored.status, stored.metrics, stored.passed) == ("failed", {}, None)
    assert stored.config["process"] == this_process()
    assert stored.config["error"]["type"] == "Cancelled"


def test_ctrl_c_mid_run_leaves_the_evaluation_failed(capture, spam, monkeypatch) -> None:
    _, cand = spam
    real = answers_module.answerer

    def interrupted_after_two(store, project_id, version, *, settings=None):
        answer = real(store, project_id, version, settings=settings)
        calls = []

        def one(case):
            calls.append(1)
            if version.id == cand and len(calls) > 2:
                raise KeyboardInterrupt
            return answer(case)

        return one

    monkeypatch.setattr(answers_module, "answerer", interrupted_after_two)
    with pytest.raises(KeyboardInterrupt):
        run_evaluation(capture.store, P, "spam", cand, golden="hard", evaluation_id="ev_ctrlc")
    stored = get_evaluation(capture.store, P, "ev_ctrlc")
    assert (stored.status, stored.error) == ("failed", "interrupted (KeyboardInterrupt) at the candidate step")
    assert re.fullmatch(r"failed: interrupted \(KeyboardInterrupt\) at the candidate step", stored.summary)
