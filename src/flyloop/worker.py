"""``flyloop worker``: the jobs ``flyloop serve`` otherwise runs in the background (the label
catch-up, :func:`flyloop.labels.catch_up_all`, retention, :func:`flyloop.privacy.apply_retention`,
and the improvement loops' cadence, :func:`flyloop.improve.run_due_all`, with the looks at running
experiments, :func:`flyloop.rollout.check_running`), in a process of its own,
at a lower CPU priority.

The jobs themselves live in their stages; ``serve``'s timers are :mod:`flyloop.server.background`,
and the garbage-collector tuning both processes share is :mod:`flyloop.process`.
"""

from __future__ import annotations

import logging
import threading
import time

from flyloop import labels
from flyloop.evaluate import fail_interrupted
from flyloop.improve import run_due_all
from flyloop.monitor import run_monitor
from flyloop.privacy import apply_retention
from flyloop.process import settle_heap
from flyloop.rollout import check_running
from flyloop.settings import Settings
from flyloop.store import Store

log = logging.getLogger("flyloop.worker")


def worker(settings: Settings | None = None, *, once: bool = False, stop: threading.Event | None = None) -> None:
    """``flyloop worker``: the jobs ``flyloop serve`` runs in the background (the label catch-up
    every ``label_interval_s``, retention every ``retention_interval_s``, the loops that are due
    every ``loops_interval_s``, the looks at running experiments every ``experiments_interval_s``),
    in a process of their own. Run one worker beside any number of ``serve`` processes started
    with ``FLYLOOP_LABEL_INTERVAL_S=0``, ``FLYLOOP_RETENTION_INTERVAL_S=0``,
    ``FLYLOOP_LOOPS_INTERVAL_S=0`` and ``FLYLOOP_EXPERIMENTS_INTERVAL_S=0``: ingest then never
    shares a core or the GIL with labelling, and two processes never start the same loop run.
    ``once`` runs each job a single time (for cron)."""
    settings = settings or Settings()
    stop = stop or threading.Event()
    store = Store(settings.database_url, synchronous=settings.sqlite_synchronous)
    if not once:  # a long-running process: tune its garbage collector
        settle_heap()
    # An evaluation whose process died (a killed serve, a closed terminal) would say running for ever.
    fail_interrupted(store)
    label_every = settings.label_interval_s if settings.label_interval_s > 0 else 1.0
    retention_every = settings.retention_interval_s
    next_retention = 0.0
    loops_every = settings.loops_interval_s
    next_loops = 0.0
    experiments_every = settings.experiments_interval_s
    next_experiments = 0.0
    monitor_every = settings.monitor_interval_s
    next_monitor = 0.0
    try:
        while True:
            try:
                labels.catch_up_all(store, settings=settings)
                if once or (retention_every > 0 and time.monotonic() >= next_retention):
                    apply_retention(store, actor="retention")
                    next_retention = time.monotonic() + retention_every
                # After the catch-up: a loop's trigger counts labels, which are now current.
                if loops_every > 0 and (once or time.monotonic() >= next_loops):
                    run_due_all(store, settings)
                    next_loops = time.monotonic() + loops_every
                # Each look at a running experiment acts at the project's automation level
                # (flyloop.rollout.check_running): on its own cadence, a guardrail's rollback
                # need not wait for the loops' (five minutes by default).
                if experiments_every > 0 and (once or time.monotonic() >= next_experiments):
                    check_running(store, settings)
                    next_experiments = time.monotonic() + experiments_every
                # After the catch-up too: the rollups count labels, which are now current.
                if monitor_every > 0 and (once or time.monotonic() >= next_monitor):
                    run_monitor(store, settings)
                    next_monitor = time.monotonic() + monitor_every
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
