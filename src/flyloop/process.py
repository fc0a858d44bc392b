"""How a long-running flyloop process tunes its interpreter: ``flyloop serve`` and ``flyloop worker``
call :func:`settle_heap` once everything is loaded. Short-lived uses (a script, a test, an app
that logs through the SDK) leave the interpreter as they found it. And :func:`pid_alive`, how a
process tells whether another one on this host still runs (its leftovers are swept otherwise)."""

from __future__ import annotations

import gc
import os


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists on this host (one another user owns counts: it may
    be a reused pid, which the caller checks further where it can)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def settle_heap() -> None:
    """Tune the garbage collector for a long-running server or worker. Everything loaded at
    start-up (modules, the app, compiled validators) is moved out of its sight: it would otherwise
    re-walk those objects in every full collection, and ingest and labelling allocate enough to
    trigger many (measured: a fifth of the label catch-up's time, before the threshold change)."""
    gc.collect()
    gc.freeze()
    # A batch of 500 events allocates thousands of objects that die with the request; collecting
    # the young generation every 700 allocations (the default) walks them again and again for
    # nothing. Every 20,000 cut serve's CPU per signal from 13.7 to 12.0 us (medians of eight
    # bench_ingest rounds each).
    gc.set_threshold(20_000, 10, 10)
