"""``flyloop serve``'s background jobs (flyloop.server.background): the label catch-up,
retention and the loops' cadence on timers of their own, off the event loop."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from flyloop import Settings, audit_log, set_privacy_policy
from flyloop.server.app import create_app

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


def test_serve_applies_retention_on_a_schedule(store, settings, capture):
    now = time.time()
    set_privacy_policy(store, P, {"retention": {"content_days": 1}})
    capture.ingest(P, {"interactions": [it("old", now - 5 * DAY)]})
    app = create_app(store, Settings(home=settings.home, database_url="sqlite://", retention_interval_s=0.05))
    with TestClient(app):  # runs the lifespan, as uvicorn does
        deadline = time.time() + 10
        while store.get_interaction(P, "old")["input"] is not None and time.time() < deadline:
            time.sleep(0.05)
    assert store.get_interaction(P, "old")["input"] is None
    assert audit_log(store, P, action="retention.apply")[0]["actor"] == "retention"


def test_a_stop_does_not_wait_for_a_long_background_run():
    """A label catch-up after heavy load can run for half a minute; leaving the scheduler waits
    STOP_WAIT_S at most and leaves the rest to the next run (the outbox keeps what is unlabelled)."""
    import asyncio
    import threading
    import time

    from flyloop.server.background import STOP_WAIT_S, every

    started, release = threading.Event(), threading.Event()

    def slow_job() -> None:
        started.set()
        release.wait(30)

    async def main() -> float:
        async with every("slow", 0.05, slow_job):
            while not started.is_set():
                await asyncio.sleep(0.01)
        return time.monotonic()

    begin = time.monotonic()
    try:
        left = asyncio.run(main())
    finally:
        release.set()
    assert left - begin < STOP_WAIT_S + 1.0


def test_serve_runs_the_loops_that_are_due_on_a_schedule(store, settings, capture):
    from conftest import seed
    from flyloop import labels, registry
    from flyloop.improve import list_runs

    seed(capture, project=P)
    labels.catch_up(store, P, settings=capture.settings)  # the loops' trigger counts labels
    production = registry.register(store, P, {"workload": "math", "backend": "openai", "model": "m"})
    registry.set_production(store, P, "math", production.id)
    app = create_app(
        store,
        Settings(
            home=settings.home,
            database_url="sqlite://",
            label_interval_s=0,
            loops_interval_s=0.05,
            loops_fewshot_min_new=30,
            loops_fewshot_every_s=3600,
        ),
    )
    with TestClient(app):
        deadline = time.time() + 30
        while not [r for r in list_runs(store, P) if r.status != "running"] and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # a few more ticks: within the interval none runs again
    (run,) = list_runs(store, P)
    assert (run.loop, run.status, run.trigger[:8]) == ("fewshot", "succeeded", "cadence:")
    assert run.outputs["candidates"] and run.inputs["production"] == production.id


def test_a_background_run_that_does_not_stop_in_time_is_abandoned(store):
    """A tracked run asked to cancel that is still going after the wait is abandoned: its record
    is marked (an evaluation's says failed); one that stopped is not."""
    import threading

    from flyloop.server.background import BackgroundRuns

    runs, release, seen = BackgroundRuns(), threading.Event(), []
    stubborn = threading.Thread(target=release.wait, daemon=True)
    polite_stop = threading.Event()
    polite = threading.Thread(target=polite_stop.wait, daemon=True)
    for run_id, thread, cancel in (
        ("ev_stubborn", stubborn, lambda s: None),
        ("ev_polite", polite, lambda s: polite_stop.set()),
    ):
        runs.add(P, run_id, thread, kind="evaluation", cancel=cancel, abandon=lambda s, r=run_id: seen.append((s, r)))
        thread.start()
    assert runs.running() == [(P, "ev_polite"), (P, "ev_stubborn")]
    runs.stop(store, wait_s=0.2)
    assert seen == [(store, "ev_stubborn")]
    release.set()
    runs.done(P, "ev_stubborn")
    runs.done(P, "ev_polite")
    assert runs.running() == []
