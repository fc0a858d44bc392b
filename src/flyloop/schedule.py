"""Background jobs of ``flyloop serve``: run a blocking job every so often, off the event loop.

Retention and the label catch-up use this; each run happens in a worker thread, a failed run is
logged and retried at the next interval, and the server keeps serving either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, AsyncIterator, Callable

log = logging.getLogger("flyloop.schedule")


@contextlib.asynccontextmanager
async def every(name: str, interval_s: float, job: Callable[[], Any]) -> AsyncIterator[None]:
    """While inside, run ``job()`` every ``interval_s`` seconds (never, when it is 0 or less)."""
    if interval_s <= 0:
        yield
        return
    stop = asyncio.Event()

    async def loop() -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(job)
            except Exception:
                log.exception("scheduled %s failed; retrying in %.0fs", name, interval_s)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)

    task = asyncio.create_task(loop(), name=f"flyloop-{name}")
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 30)
