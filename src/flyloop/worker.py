"""Background jobs of ``flyloop serve``: run a blocking job every so often, off the event loop.

Retention and the label catch-up use this; each run happens in a worker thread, a failed run is
logged and retried at the next interval, and the server keeps serving either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

log = logging.getLogger("flyloop.worker")


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


def worker(settings: Any = None, *, once: bool = False, stop: Any = None) -> None:
    """``flyloop worker``: the jobs ``flyloop serve`` runs in the background (the label catch-up
    every ``label_interval_s``, retention every ``retention_interval_s``), in a process of their
    own. Run one worker beside any number of ``serve`` processes started with
    ``FLYLOOP_LABEL_INTERVAL_S=0`` and ``FLYLOOP_RETENTION_INTERVAL_S=0``: ingest then never shares
    a core or the GIL with labelling. ``once`` runs each job a single time (for cron)."""
    from flyloop.labels import verdicts as labels
    from flyloop.privacy import retention
    from flyloop.settings import Settings
    from flyloop.store.engine import Store

    settings = settings or Settings()
    stop = stop or threading.Event()
    store = Store(settings.database_url, synchronous=settings.sqlite_synchronous)
    if not once:  # a long-running process: tune its garbage collector
        settle_heap()
    label_every = settings.label_interval_s if settings.label_interval_s > 0 else 1.0
    retention_every = float(getattr(settings, "retention_interval_s", 0) or 0)
    next_retention = 0.0
    try:
        while True:
            try:
                labels.catch_up_all(store, settings=settings)
                if once or (retention_every > 0 and time.monotonic() >= next_retention):
                    retention.apply_retention(store, actor="retention")
                    next_retention = time.monotonic() + retention_every
            except Exception:
                if once:
                    raise
                log.exception("worker run failed; retrying in %.1fs", label_every)
            if once or stop.wait(label_every):
                return
    finally:
        store.close()


def lower_priority(nice: int) -> None:
    """Run at CPU niceness ``nice`` (never raising the priority: that needs privileges). The
    worker's work is background work: beside a busy ``serve`` on 2 cores, niceness 10 lifted the
    acknowledged ingest rate from 37.9k to 47.2k signals/s and left the labelled rate as it was
    (one bench_ingest A/B run)."""
    import os

    if not 0 <= nice <= 19:
        from flyloop.errors import ConfigError

        raise ConfigError(f"worker_nice must be between 0 and 19, not {nice}", field="worker_nice")
    if nice and hasattr(os, "getpriority"):
        current = os.getpriority(os.PRIO_PROCESS, 0)
        if nice > current:
            os.setpriority(os.PRIO_PROCESS, 0, nice)


def settle_heap() -> None:
    """Tune the garbage collector for a long-running server or worker. Everything loaded at
    start-up (modules, the app, compiled validators) is moved out of its sight: it would otherwise
    re-walk those objects in every full collection, and ingest and labelling allocate enough to
    trigger many (measured: a fifth of the label catch-up's time, before the threshold change)."""
    import gc

    gc.collect()
    gc.freeze()
    # A batch of 500 events allocates thousands of objects that die with the request; collecting
    # the young generation every 700 allocations (the default) walks them again and again for
    # nothing. Every 20,000 cut serve's CPU per signal from 13.7 to 12.0 us (medians of eight
    # bench_ingest rounds each).
    gc.set_threshold(20_000, 10, 10)
