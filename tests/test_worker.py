"""``flyloop worker`` (flyloop.worker): the background jobs in a process of their own, at a lower priority."""

from __future__ import annotations

import time

import pytest

from flyloop import Settings, labels

P = "acme"


DAY = 86400.0


def it(id, ts, **kw):
    return {
        "id": id,
        "workload": "support",
        "input": f"question {id}",
        "output": f"answer {id}",
        "user_id": "u1",
        "ts": ts,
        "latency_ms": 10.0,
        **kw,
    }


T = time.time() - 86400


OUT = "The answer is 84."


def interaction(iid="i1", **kw):
    return {
        "id": iid,
        "workload": "math",
        "input": "What is 37 + 48?",
        "output": OUT,
        "user_id": "u1",
        "session_id": "s-" + iid,
        "ts": T,
        **kw,
    }


def signal(sid, kind, at=10.0, iid="i1", **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": T + at, **kw}


def test_worker_once_labels_everything_pending(database_url, settings):
    import sqlalchemy as sa

    from flyloop import Capture, Store
    from flyloop.store import tables as schema
    from flyloop.worker import worker

    store = Store(database_url)
    Capture(store, settings).ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    assert labels.pending(store, "acme") == 2
    worker(Settings(database_url=database_url, home=settings.home), once=True)
    lb = schema.labels
    with store.read() as conn:
        verdict = conn.execute(
            sa.select(lb.c.verdict).where(lb.c.project_id == "acme", lb.c.interaction_id == "i1")
        ).scalar()
    assert (labels.pending(store, "acme"), verdict) == (0, "good")
    store.close()


def test_the_worker_command_labels_at_its_niceness_and_refuses_a_bad_one(database_url, settings):
    """``flyloop worker --once`` in its own process (it lowers that process's priority)."""
    import os
    import subprocess
    import sys

    from flyloop import Capture, Store

    store = Store(database_url)
    # Ids of its own: on PostgreSQL the database outlives each test.
    Capture(store, settings).ingest(
        "acme", {"interactions": [interaction("wk1")], "signals": [signal("wk-s1", "thumbs_down", iid="wk1")]}
    )
    env = {**os.environ, "FLYLOOP_HOME": settings.home, "FLYLOOP_WORKER_NICE": "12"}
    command = [
        sys.executable,
        "-c",
        "from flyloop.cli import main; main()",
        "worker",
        "--once",
        "--database-url",
        database_url,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (labels.pending(store, "acme"), labels.get(store, "acme", "wk1").verdict) == (0, "bad")
    bad = subprocess.run(command, env={**env, "FLYLOOP_WORKER_NICE": "40"}, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "worker_nice must be between 0 and 19" in bad.stdout + bad.stderr
    assert len((bad.stdout + bad.stderr).strip().splitlines()) == 1  # a one-line error, no traceback
    store.close()


def test_the_worker_lowers_its_own_cpu_priority_and_refuses_a_bad_niceness():
    import os
    import subprocess
    import sys

    from flyloop import ConfigError
    from flyloop.worker import lower_priority

    code = (
        "import os; from flyloop.worker import lower_priority; "
        "lower_priority(7); a = os.getpriority(os.PRIO_PROCESS, 0); "
        "lower_priority(3); print(a, os.getpriority(os.PRIO_PROCESS, 0))"
    )
    start = os.getpriority(os.PRIO_PROCESS, 0)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # Never raised back: going from 7 to 3 would need privileges, and is not what was asked.
    assert out == ([str(max(7, start))] * 2)
    for bad in (-1, 20):
        with pytest.raises(ConfigError, match="worker_nice"):
            lower_priority(bad)


def test_worker_once_runs_the_loops_that_are_due(store, database_url, settings):
    """After its catch-up the worker runs the loops the cadence says are due (here the few-shot
    loop of a served workload with 30 new examples); with loops_interval_s=0 it runs none."""
    from conftest import seed
    from flyloop import Capture, Store, registry
    from flyloop.improve import list_runs
    from flyloop.worker import worker

    own = Store(database_url)
    seed(Capture(own, settings), project=P)
    production = registry.register(own, P, {"workload": "math", "backend": "openai", "model": "m"})
    registry.set_production(own, P, "math", production.id)
    quiet = Settings(database_url=database_url, home=settings.home, loops_interval_s=0, loops_fewshot_min_new=30)
    worker(quiet, once=True)
    assert list_runs(own, P) == []
    worker(Settings(database_url=database_url, home=settings.home, loops_fewshot_min_new=30), once=True)
    (run,) = list_runs(own, P)
    assert (run.loop, run.workload, run.status) == ("fewshot", "math", "succeeded")
    assert run.trigger == "cadence: 30 new corrected or confidently good examples so far (no bank yet) (need 30)"
    assert registry.get_version(own, P, run.candidates[0]).parent == production.id
    own.close()


def test_worker_looks_at_running_experiments_on_their_own_interval(database_url, settings):
    """Experiments are looked at every ``experiments_interval_s``, not on the loops' cadence: with
    loops off the worker still looks (and records the look's state); with experiments off it does
    not, whatever the loops' setting."""
    from experiment_fixtures import arena
    from flyloop import Store
    from flyloop.rollout import get_experiment, start_experiment
    from flyloop.worker import worker

    own = Store(database_url)
    _, candidate = arena(own, P)
    exp = start_experiment(own, P, "triage", candidate, ramp=(50, 100), primary="acceptance")
    assert "users" not in exp.state  # never looked at
    home = settings.home
    worker(Settings(database_url=database_url, home=home, experiments_interval_s=0), once=True)
    assert get_experiment(own, P, exp.id).state == exp.state
    worker(Settings(database_url=database_url, home=home, loops_interval_s=0), once=True)
    looked = get_experiment(own, P, exp.id)
    assert (looked.status, looked.state["users"]) == ("running", {"control": 0, "candidate": 0})
    assert Settings().experiments_interval_s == 60.0
    own.close()
