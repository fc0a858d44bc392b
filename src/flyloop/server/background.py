"""``flyloop serve``'s background jobs: the label catch-up, retention and the improvement loops'
cadence, each on a timer of its own in a thread, off the event loop.

Each run happens in a worker thread; a failed run is logged and retried at the next interval, and
the server keeps serving either way. Set an interval to 0 to leave that job to ``flyloop worker``
(:mod:`flyloop.worker`), which runs the same jobs in a process of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from flyloop import labels
from flyloop.improve import run_due_all
from flyloop.monitor import run_monitor
from flyloop.privacy import apply_retention
from flyloop.rollout import check_running
from flyloop.settings import Settings
from flyloop.store import Store

log = logging.getLogger("flyloop.server.background")

STOP_WAIT_S = 1.5


@contextlib.asynccontextmanager
async def every(name: str, interval_s: float, job: Callable[[], Any]) -> AsyncIterator[None]:
    """While inside, run ``job()`` every ``interval_s`` seconds (never, when it is 0 or less).

    The job runs in a daemon thread of its own. On the way out, a run still going after
    ``STOP_WAIT_S`` is left behind (it dies with the process): a label catch-up after heavy
    ingest can take half a minute, and a stopping server should not wait on it. Its transaction
    never commits, and the next catch-up starts from the outbox where this one left off."""
    if interval_s <= 0:
        yield
        return
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                job()
            except Exception:
                log.exception("scheduled %s failed; retrying in %.0fs", name, interval_s)
            stop.wait(interval_s)

    thread = threading.Thread(target=loop, name=f"flyloop-{name}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        deadline = time.monotonic() + STOP_WAIT_S
        while thread.is_alive() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if thread.is_alive():
            log.info("stopping without waiting for the running %s job; the next run picks up its work", name)


@contextlib.asynccontextmanager
async def jobs(store: Store, settings: Settings) -> AsyncIterator[None]:
    """The label catch-up every ``label_interval_s`` (labels follow ingest within about that),
    retention every ``retention_interval_s``, the loops that are due every ``loops_interval_s``
    (:func:`flyloop.improve.run_due_all`), the looks at running experiments every
    ``experiments_interval_s`` (:func:`flyloop.rollout.check_running`) and the monitor's rollups, alerts and webhook every
    ``monitor_interval_s`` (:func:`flyloop.monitor.run_monitor`), for the server's lifespan."""
    async with (
        every("labels", settings.label_interval_s, lambda: labels.catch_up_all(store, settings=settings)),
        every("retention", settings.retention_interval_s, lambda: apply_retention(store, actor="retention")),
        every("loops", settings.loops_interval_s, lambda: run_due_all(store, settings)),
        every("experiments", settings.experiments_interval_s, lambda: check_running(store, settings)),
        every("monitor", settings.monitor_interval_s, lambda: run_monitor(store, settings)),
    ):
        yield
