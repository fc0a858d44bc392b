"""flyloop banks and flyloop loops on the command line (flyloop.cli.improve): a bank built, a few-shot
run with its record, a prompt run that shows its estimate and waits for a yes (with a model that
answers by rule, registered by name), the failure clusters as a table and as JSON, bad input."""

from __future__ import annotations

import os
import random
import re
import signal
import time
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from conftest import eventually, hours_ago, seed
from flyloop import Capture, Settings, Store, errors, labels, registry
from flyloop.improve import Generation
from flyloop.improve import backends as backends_module
from flyloop.testing import question

runner = CliRunner()
P = "default"
CHECK = "Double-check every sum before answering."


@pytest.fixture(autouse=True)
def _empty_store(store, monkeypatch):
    """The commands open the database by URL; taking ``store`` empties PostgreSQL before each test."""
    monkeypatch.setenv("COLUMNS", "250")  # tables wide enough that ids are not wrapped


def invoke(database_url: str, *args: str, input: str | None = None):
    from flyloop.cli import app

    return runner.invoke(app, [*args, "--database-url", database_url], input=input)


def test_banks_and_a_fewshot_run(database_url, tmp_path, monkeypatch):
    from flyloop import datasets

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project=P)
    version = datasets.build(store, P, "math", {})
    out = invoke(database_url, "banks", "build", "math", "--embedder", "hashing", "--json")
    assert out.exit_code == 0, out.output
    bank = orjson.loads(out.output)
    assert (bank["workload"], bank["dataset_version"], bank["size"], bank["live"]) == ("math", version.id, 21, 21)
    assert [b["id"] for b in orjson.loads(invoke(database_url, "banks", "list", "--json").output)] == [bank["id"]]
    shown = invoke(database_url, "banks", "show", bank["id"])
    assert f"bank {bank['id']}" in shown.output and "21 (0 removed by erasure or consent, 21 served)" in shown.output
    assert bank["id"] in invoke(database_url, "banks", "list", "--workload", "math").output
    too_few = invoke(database_url, "banks", "build", "math", "--embedder", "hashing", "--min-examples", "50")
    assert too_few.exit_code == 2 and too_few.output == "error: dataset: not enough data: 21 of 50\n"

    # No production version: refused (by the plan the command asks for first), saying how to set one.
    out = invoke(database_url, "loops", "run", "fewshot", "--workload", "math", "--embedder", "hashing")
    assert out.exit_code == 2 and out.output.startswith("error: production: workload 'math' has no production")
    production = registry.register(store, P, {"workload": "math", "backend": "openai", "model": "m"})
    registry.set_production(store, P, "math", production.id)
    out = invoke(database_url, "loops", "run", "fewshot", "--workload", "math", "--embedder", "hashing")
    assert out.exit_code == 0, out.output
    (run_id,) = re.findall(r"lr_[0-9a-f]+", out.output)
    (candidate,) = re.findall(r"pv_[0-9a-f]{16}", out.output)
    assert re.fullmatch(
        rf"run {run_id} \(fewshot, math\): succeeded in \d+\.\d s; bank {bank['id']}; candidates {candidate}\n",
        out.output,
    )
    assert registry.get_version(store, P, candidate).created_by == f"loop:{run_id}"
    runs = orjson.loads(invoke(database_url, "loops", "list", "--json").output)
    assert [(r["id"], r["status"]) for r in runs] == [(run_id, "succeeded")]
    shown = orjson.loads(invoke(database_url, "loops", "show", run_id, "--json").output)
    assert shown["outputs"] == {"bank": bank["id"], "candidates": [candidate]}
    assert shown["inputs"] == {"production": production.id, "dataset": version.id, "embedder": "hashing"}
    table = invoke(database_url, "loops", "show", run_id).output
    assert f"loop run {run_id}" in table and "succeeded" in table
    assert run_id in invoke(database_url, "loops", "list", "--status", "succeeded").output
    assert run_id not in invoke(database_url, "loops", "list", "--status", "failed").output
    # An option the loop does not take, an unknown loop, an unknown run: one line, exit 2.
    for args, start in [
        (["run", "fewshot", "--workload", "math", "--budget", "5"], "error: budget: the fewshot loop takes no option"),
        (["run", "finetuning", "--workload", "math"], "error: loop: unknown loop 'finetuning'"),
        (["show", "lr_nope"], "error: run: no loop run 'lr_nope'"),
    ]:
        out = invoke(database_url, "loops", *args)
        assert out.exit_code == 2 and out.output.startswith(start) and out.output.count("\n") == 1, out.output
    store.close()


class Rules:
    """Writes the double-check prompt when asked to reflect; else adds the first two numbers of
    the question, one too many unless its system prompt says to double-check."""

    name, model = "rules", "rules-1"

    def generate(self, messages: list[dict[str, str]], **params: Any) -> Generation:
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        if "<current_prompt>" in messages[-1]["content"]:
            return Generation(f"<prompt>{CHECK}</prompt>", 100, 20, 1.0, self.model, "stop")
        numbers = [int(x) for x in re.findall(r"\d+", messages[-1]["content"])[:2]]
        total = sum(numbers) + (0 if CHECK in system else 1)
        return Generation(f"The answer is {total}.", 10, 5, 1.0, self.model, "stop")

    def generate_batch(self, batch: Sequence[list[dict[str, str]]], **params: Any) -> list[Generation]:
        return [self.generate(m) for m in batch]


def seed_sums(store: Store, database_url: str) -> float:
    """In the last hour: 12 sums answered one too many and corrected, 8 answered right and liked."""
    rng, now = random.Random(5), hours_ago(2)
    interactions, signals = [], []
    for n in range(20):
        text, right = question(rng)
        wrong = n < 12
        iid = f"sum{n}"
        output = f"The answer is {int(right) + 1}." if wrong else f"The answer is {right}."
        interactions.append(
            {"id": iid, "workload": "sums", "input": text, "output": output, "user_id": f"u{n}", "ts": now + n}
        )
        if wrong:
            signals.append(
                {
                    "id": f"{iid}-e",
                    "interaction_id": iid,
                    "kind": "edit",
                    "ts": now + n + 5,
                    "payload": {"text": f"The answer is {right}."},
                }
            )
        else:
            signals.append({"id": f"{iid}-up", "interaction_id": iid, "kind": "thumbs_up", "ts": now + n + 5})
    capture = Capture(store, Settings(database_url=database_url))
    capture.ingest(P, {"interactions": interactions})
    capture.ingest(P, {"signals": signals})
    labels.catch_up(store, P, settings=capture.settings)
    return now


def test_a_prompt_run_shows_its_estimate_and_waits_for_a_yes(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    monkeypatch.setitem(backends_module._FACTORIES, "rules", lambda **kw: Rules())
    backends_module.clear_cache()
    store = Store(database_url)
    seed_sums(store, database_url)
    production = registry.register(
        store, P, {"workload": "sums", "backend": "rules", "model": "r", "system_prompt": "You add."}
    )
    registry.set_production(store, P, "sums", production.id)
    run = ["loops", "run", "prompt", "--workload", "sums", "--embedder", "hashing", "--budget", "60"]
    # The largest cluster of the twelve failures (hashing embedder) holds 3; the other nine corrected
    # failures and seven good answers make 16 validation cases: 16 + (60 - 16) // 17 = 2 iterations of 17.
    planned = orjson.loads(invoke(database_url, "loops", "plan", *run[2:]).output)
    assert (planned["loop"], planned["estimate"], planned["budget"], planned["failures"]) == ("prompt", 50, 60, 12)
    refused = invoke(database_url, *run, input="n\n")
    assert refused.exit_code == 1 and "would make up to 50 model calls (budget 60)" in refused.output
    assert invoke(database_url, "loops", "list", "--json").output == "[]\n"  # nothing ran, nothing recorded
    done = invoke(database_url, *run, input="y\n")
    assert done.exit_code == 0, done.output
    (candidate,) = re.findall(r"pv_[0-9a-f]{16}", done.output)
    assert registry.get_version(store, P, candidate).system_prompt == CHECK
    # Production and the first proposal scored (32 calls, 15 tokens each) and two reflections (120
    # each); the second proposal, the same prompt as its parent, is not scored.
    assert done.output.endswith(f"; candidates {candidate}; 34 model calls, 720 tokens\n")
    (record,) = orjson.loads(invoke(database_url, "loops", "list", "--loop", "prompt", "--json").output)
    assert (record["calls"], record["details"]["estimate"], record["inputs"]["failures"]) == (34, 50, 12)
    # --yes runs at once: the same proposal again, the same version.
    again = invoke(database_url, *run, "--yes")
    assert again.exit_code == 0 and "would make" not in again.output and candidate in again.output
    backends_module.clear_cache()
    store.close()


def test_loops_failures_as_a_table_and_as_json(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    seed_sums(store, database_url)
    report = orjson.loads(
        invoke(database_url, "loops", "failures", "-w", "sums", "--embedder", "hashing", "--json").output
    )
    assert (report["workload"], report["traffic"], report["failures"]) == ("sums", 20, 12)
    # The hashing embedder sees sums of different numbers as different texts: small clusters.
    assert ([c["size"] for c in report["clusters"]], report["unclustered"]) == ([3, 3, 3], 3)
    table = invoke(database_url, "loops", "failures", "--workload", "sums", "--embedder", "hashing").output
    assert "sums: 12 failures of 20 interactions, 3 clusters (3 unclustered)" in table
    assert all(c["id"] in table for c in report["clusters"])
    short = invoke(database_url, "loops", "failures", "-w", "sums", "--embedder", "hashing", "--min-failures", "13")
    assert short.exit_code == 2 and short.output.startswith("error: workload: not enough data: 12 of 13")
    bad = invoke(database_url, "loops", "failures", "-w", "sums", "--since", "yesterday")
    assert bad.exit_code == 2 and bad.output.startswith("error: since: ")
    store.close()


def test_the_commands_through_a_server(database_url, tmp_path, monkeypatch):
    """With FLYLOOP_SERVER_URL and FLYLOOP_API_KEY set, the same commands ask a real ``flyloop
    serve`` (its own process): declare, register, promote, a bank, a few-shot run and its record."""
    import http.client
    import os
    import socket
    import subprocess
    import sys

    from flyloop import datasets

    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project=P)
    version = datasets.build(store, P, "math", {})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
    # No scheduled loops in the server: every run here is the command's.
    env.update(FLYLOOP_HOME=str(tmp_path / "server-home"), FLYLOOP_LOOPS_INTERVAL_S="0")
    env.update(FLYLOOP_OPENAI_BASE_URL="http://127.0.0.1:9/v1")
    server = subprocess.Popen(
        [sys.executable, "-c", "from flyloop.cli import main; main()", "serve", "--port", str(port)]
        + ["--database-url", database_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "client-home"))  # no database here
        monkeypatch.setenv("FLYLOOP_SERVER_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("FLYLOOP_API_KEY", store.create_key(P, ["read", "admin"])[1])
        monkeypatch.setenv("FLYLOOP_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
        from flyloop.cli import app

        def remote(*args: str, input: str | None = None):
            return runner.invoke(app, list(args), input=input)

        assert remote("workloads", "declare", "math", "--description", "sums").output == "workload math: generation\n"
        registered = remote("policies", "register", "-w", "math", "--model", "m", "--json")
        assert registered.exit_code == 0, registered.output
        production = orjson.loads(registered.output)
        assert production["created_by"].startswith("key:")  # the server names the key as the author
        assert remote("policies", "promote", "math", production["id"]).exit_code == 0
        bank = orjson.loads(remote("banks", "build", "math", "--embedder", "hashing", "--json").output)
        assert (bank["dataset_version"], bank["size"]) == (version.id, 21)
        out = remote("loops", "run", "fewshot", "--workload", "math", "--embedder", "hashing")
        assert out.exit_code == 0 and "succeeded" in out.output, out.output
        (run,) = orjson.loads(remote("loops", "list", "--json").output)
        assert run["outputs"]["bank"] == bank["id"] and run["inputs"]["production"] == production["id"]
        (candidate,) = run["outputs"]["candidates"]
        assert registry.get_version(store, P, candidate).created_by == f"loop:{run['id']}"
        assert orjson.loads(remote("loops", "show", run["id"], "--json").output) == run
        out = remote("loops", "run", "prompt", "--workload", "math", "--embedder", "hashing")
        assert out.exit_code == 2 and out.output.startswith("error: workload: not enough data: 0 of 10 failures")
    finally:
        server.terminate()
        server.wait(timeout=30)
        store.close()


def test_a_fewshot_run_with_min_quality_on_thumbs_only_data(database_url, tmp_path, monkeypatch):
    """One thumbs-up earns quality 1/3, under a bank's default floor (0.5): a thumbs-only workload
    gets its bank with ``--min-quality 0.3``; a value outside 0..1 is one line naming the option."""
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    capture = Capture(store, Settings(database_url=database_url))
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"t{n}", "workload": "tags", "input": f"question {n} about topic {n % 4}", "output": "ok"}
                | {"user_id": f"u{n}", "ts": now + n}
                for n in range(30)
            ],
            "signals": [
                {"id": f"t{n}-up", "interaction_id": f"t{n}", "kind": "thumbs_up", "ts": now + n + 5} for n in range(30)
            ],
        },
    )
    production = registry.register(store, P, {"workload": "tags", "backend": "openai", "model": "m"})
    registry.set_production(store, P, "tags", production.id)
    run = ["loops", "run", "fewshot", "--workload", "tags", "--embedder", "hashing", "--refresh", "--yes"]
    out = invoke(database_url, *run)
    # how many land in train depends on the project's split key: every one of them is under the floor
    assert out.exit_code == 2, out.output
    assert re.fullmatch(r"error: dataset: not enough data: 0 of 10; dropped \d+ below min_quality 0\.5\n", out.output)
    out = invoke(database_url, *run, "--min-quality", "0.3")
    assert out.exit_code == 0 and re.search(r": succeeded in .*candidates pv_[0-9a-f]{16}\n$", out.output), out.output
    out = invoke(database_url, *run, "--min-quality", "3")
    assert (out.exit_code, out.output) == (2, "error: min_quality: min_quality must be from 0 to 1, not 3.0\n")
    # Erasing a user whose example a bank holds says so, bank by bank.
    from flyloop import datasets

    (bank,) = orjson.loads(invoke(database_url, "banks", "list", "--workload", "tags", "--json").output)
    held = datasets.examples(store, P, bank["dataset_version"], "sft", ["train"])[0]["interaction_id"]
    erased = invoke(database_url, "users", "erase", "u" + held.removeprefix("t"), "--yes")
    assert erased.exit_code == 0, erased.output
    assert f"few-shot bank {bank['id']}: 1 examples removed, served no more\n" in erased.output
    assert "dataset versions tainted (rebuild them): " in erased.output
    store.close()


# --- the training loops: the plan, too little data, progress, cancel ------------------------------------


def labelled_math(database_url: str):
    """The seeded project, labelled, with one dataset version: its store and the version."""
    from flyloop import datasets

    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project=P)
    labels.catch_up(store, P)
    return store, datasets.build(store, P, "math", {})


def test_a_finetune_run_prints_its_plan_and_too_little_data_is_one_line(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store, version = labelled_math(database_url)
    out = invoke(database_url, "loops", "run", "finetune", "-w", "math", "--base-model", "smollm2", "--rank", "8")
    assert out.exit_code == 2, out.output
    lines = out.output.splitlines()
    assert lines[:3] == [
        "rule: at least 500 training pairs; have 30 (10 corrected, 20 good, 0 bad)",
        "the rule does not hold, so the loop would not start on its own; "
        "a manual run goes ahead and stops if the data is too little",
        f"data: dataset {version.id}, 21 training rows",
    ]
    assert (
        lines[3].startswith("config: method=sft, rank=8, alpha=")
        and "device: cpu (no GPU here: it trains on the CPU)" in lines
    )
    assert lines[-1] == (
        "error: dataset: not enough data: 21 of 500 sft examples of workload 'math' "
        f"in dataset version {version.id[:12]}'s train split; curation held back 10 low confidence, "
        "labels waiting for more evidence or a trusted rater (the version's verdicts: "
        f"flyloop datasets show {version.id[:12]} --json)"
    )
    (run,) = orjson.loads(invoke(database_url, "loops", "list", "--json").output)
    assert (run["loop"], run["status"], run["error"]) == ("finetune", "failed", lines[-1].removeprefix("error: "))
    bad = invoke(database_url, "loops", "run", "finetune", "-w", "math", "--steps", "0")
    assert (bad.exit_code, bad.output) == (2, "error: steps: steps must be from 1 to 1000000, not 0\n")
    store.close()


COUNT = {"interrupt_at": None, "hold": False, "terminate_at": None}


@pytest.fixture
def count_loop():
    """A loop registered for the test, ``steps`` steps (default 3) reporting progress and looking
    for a cancel request between them; COUNT says when it is interrupted (Ctrl-C) or holds on."""
    from flyloop.improve import Loop, Trigger, register_loop, runs

    def body(ctx):
        total = ctx.options.get("steps", 3)
        for step in range(1, total + 1):
            ctx.check_cancelled()
            if COUNT["interrupt_at"] == step:
                raise KeyboardInterrupt
            if COUNT["terminate_at"] == step:
                os.kill(os.getpid(), signal.SIGTERM)  # as `kill PID` or `timeout` would
                time.sleep(0.5)  # the handler runs here, on the main thread
            ctx.progress(step, total, loss=round(1 / step, 4))
        deadline = time.monotonic() + 30
        while COUNT["hold"] and time.monotonic() < deadline:
            ctx.check_cancelled()
            time.sleep(0.02)

    register_loop(
        Loop(
            name="count",
            run=body,
            trigger=lambda *_: Trigger(True, "always", {}),
            every_s=lambda _settings: 0,
            options={"steps": (int, "a whole number")},
            plan=lambda ctx: {"estimate": 0},
        )
    )
    COUNT.update(interrupt_at=None, hold=False, terminate_at=None)
    yield "count"
    runs._LOOPS.pop("count", None)


def test_progress_ctrl_c_and_cancel(database_url, tmp_path, monkeypatch, count_loop):
    import threading

    from flyloop.improve import list_runs, run_loop

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store, _version = labelled_math(database_url)
    out = invoke(database_url, "loops", "run", "count", "-w", "math", "--steps", "4")
    assert out.exit_code == 0, out.output
    (run_id,) = set(re.findall(r"lr_[0-9a-f]+", out.output))
    assert "training" in out.output and "4/4" in out.output and "loss 0.25" in out.output  # the progress bar
    assert out.output.splitlines()[-1].startswith(f"run {run_id} (count, math): succeeded in ")
    shown = invoke(database_url, "loops", "show", run_id).output
    assert re.search(r"progress\s+│ 4/4 \(100%\), loss 0.25", shown)

    COUNT["interrupt_at"] = 2
    out = invoke(database_url, "loops", "run", "count", "-w", "math")
    assert out.exit_code == 2
    interrupted = list_runs(store, P, loop="count", status="cancelled")[0].id
    assert out.output.splitlines()[-1] == (
        f"run {interrupted} (count, math): cancelled (loop run {interrupted} was interrupted); nothing it made was kept"
    )

    COUNT.update(interrupt_at=None, hold=True)
    held = threading.Thread(target=lambda: pytest.raises(errors.Cancelled, run_loop, store, P, "count", "math"))
    held.start()
    assert eventually(lambda: list_runs(store, P, loop="count", status="running"))
    (running,) = list_runs(store, P, loop="count", status="running")
    out = invoke(database_url, "loops", "cancel", running.id)
    assert (out.exit_code, out.output) == (
        0,
        f"run {running.id} (count, math): cancel requested; it ends cancelled at its next step\n",
    )
    held.join(timeout=30)
    shown = orjson.loads(invoke(database_url, "loops", "show", running.id, "--json").output)
    assert (shown["status"], shown["error"]) == ("cancelled", f"loop run {running.id} was cancelled on request")
    assert shown["details"]["progress"] == {"done": 3, "total": 3, "loss": 0.3333}
    again = invoke(database_url, "loops", "cancel", running.id)
    assert (again.exit_code, again.output) == (
        2,
        f"error: run: loop run {running.id} is cancelled, not running: nothing to cancel\n",
    )
    listed = invoke(database_url, "loops", "list", "--status", "cancelled", "--json").output
    assert sorted(r["id"] for r in orjson.loads(listed)) == sorted([interrupted, running.id])
    store.close()


def test_sigterm_ends_a_run_cancelled_not_running(database_url, tmp_path, monkeypatch, count_loop):
    """``kill PID`` (SIGTERM) during ``loops run`` ends the run cancelled, as Ctrl-C does; it used
    to kill the process at once and leave the run ``running`` for ever. The handler in force
    before the command (here a guard, so that a regression fails the test rather than killing
    pytest) is back afterwards."""
    from flyloop.improve import list_runs

    caught: list[int] = []
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    guard = signal.signal(signal.SIGTERM, lambda signum, frame: caught.append(signum))
    try:
        mine = signal.getsignal(signal.SIGTERM)
        store, _version = labelled_math(database_url)
        COUNT["terminate_at"] = 2
        out = invoke(database_url, "loops", "run", "count", "-w", "math", "--steps", "4")
        assert out.exit_code == 2, out.output
        (run,) = list_runs(store, P, loop="count")
        assert (run.status, run.error) == ("cancelled", "interrupted (KeyboardInterrupt)")
        assert run.details["progress"] == {"done": 1, "total": 4, "loss": 1.0}
        assert out.output.splitlines()[-1] == (
            f"run {run.id} (count, math): cancelled (loop run {run.id} was interrupted); nothing it made was kept"
        )
        assert caught == [] and signal.getsignal(signal.SIGTERM) is mine
        store.close()
    finally:
        signal.signal(signal.SIGTERM, guard)
