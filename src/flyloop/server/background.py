"""``flyloop serve``'s background jobs: the label catch-up, retention, the improvement loops'
cadence and the looks at experiments, each on a timer of its own in a thread, off the event loop;
and the runs it started in threads of its own (:class:`BackgroundRuns`: loop runs, evaluations).

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
from dataclasses import dataclass
from typing import Any

from flyloop import errors, labels
from flyloop.evaluate import fail_interrupted
from flyloop.improve import cancel_run, run_due_all
from flyloop.monitor import run_monitor
from flyloop.privacy import apply_retention
from flyloop.rollout import check_running
from flyloop.settings import Settings
from flyloop.store import Store

log = logging.getLogger("flyloop.server.background")

STOP_WAIT_S = 1.5
# How long a stopping server waits for its background runs to see their cancel request: a run sees
# it between steps, and one LoRA step on a busy CPU takes tens of seconds.
RUNS_STOP_WAIT_S = 120.0


@dataclass
class _Run:
    kind: str
    thread: threading.Thread
    cancel: Callable[[Store], Any]
    abandon: Callable[[Store], Any] | None


class BackgroundRuns:
    """The runs this server process is running in its background threads: loop runs and
    evaluations. Stopping the server (``flyloop serve`` ended by SIGTERM or Ctrl-C) asks each to
    cancel and waits a while for it to end so: its thread dies with the process, and its record
    would say ``running`` for ever. One still going after the wait is abandoned: its ``abandon``
    marks its record (an evaluation's says failed, the server stopped)."""

    def __init__(self) -> None:
        self._runs: dict[tuple[str, str], _Run] = {}
        self._lock = threading.Lock()

    def add(
        self,
        project_id: str,
        run_id: str,
        thread: threading.Thread,
        *,
        kind: str = "loop run",
        cancel: Callable[[Store], Any] | None = None,
        abandon: Callable[[Store], Any] | None = None,
    ) -> None:
        """Track ``thread``, running ``run_id``. ``cancel(store)`` asks it to stop (default: a
        loop run's cancel request, :func:`flyloop.improve.cancel_run`); ``abandon(store)`` marks
        its record when it did not stop in time."""
        if cancel is None:

            def cancel(store: Store) -> None:
                cancel_run(store, project_id, run_id)

        with self._lock:
            self._runs[(project_id, run_id)] = _Run(kind, thread, cancel, abandon)

    def done(self, project_id: str, run_id: str) -> None:
        """Forget ``run_id``: its thread ended (its record says how)."""
        with self._lock:
            self._runs.pop((project_id, run_id), None)

    def running(self) -> list[tuple[str, str]]:
        """The (project, run id) pairs still tracked."""
        with self._lock:
            return sorted(self._runs)

    def stop(self, store: Store, wait_s: float = RUNS_STOP_WAIT_S) -> None:
        """Ask every run still going to cancel, then wait up to ``wait_s`` for them all; abandon
        those still going."""
        with self._lock:
            going = list(self._runs.items())
        for _, run in going:
            if run.thread.is_alive():
                try:
                    run.cancel(store)
                except errors.FlyloopError:  # it ended meanwhile
                    pass
        deadline = time.monotonic() + wait_s
        for _, run in going:
            run.thread.join(max(0.0, deadline - time.monotonic()))
        for (_, run_id), run in going:
            if not run.thread.is_alive():
                continue
            if run.abandon is not None:
                run.abandon(store)
                log.warning("%s %s did not stop within %.0f s; its record says failed", run.kind, run_id, wait_s)
            else:
                log.warning("%s %s did not stop within %.0f s; its record still says running", run.kind, run_id, wait_s)


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
    ``experiments_interval_s`` (:func:`flyloop.rollout.check_running`) and the monitor's rollups,
    alerts and webhook every ``monitor_interval_s`` (:func:`flyloop.monitor.run_monitor`), for the server's lifespan.
    First, evaluations left ``running`` by a process that is gone are marked failed
    (:func:`flyloop.evaluate.fail_interrupted`)."""
    try:
        fail_interrupted(store)
    except Exception:  # the server serves either way
        log.exception("marking interrupted evaluations failed")
    async with (
        every("labels", settings.label_interval_s, lambda: labels.catch_up_all(store, settings=settings)),
        every("retention", settings.retention_interval_s, lambda: apply_retention(store, actor="retention")),
        every("loops", settings.loops_interval_s, lambda: run_due_all(store, settings)),
        every("experiments", settings.experiments_interval_s, lambda: check_running(store, settings)),
        every("monitor", settings.monitor_interval_s, lambda: run_monitor(store, settings)),
    ):
        yield
