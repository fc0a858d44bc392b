"""Rate limits per API key (and per client address for browser feedback), with the ``limits``
library: a sliding-window counter, ~3 µs a check.

The limit is a setting in ``limits``' notation (``rate_limit = "6000/minute"``; ``"off"``
disables it). Counters live in memory by default, so each server process counts on its own;
behind a load balancer set ``rate_limit_storage`` to a shared store (``redis://host:6379``,
needs the ``redis`` package) and the limit holds across processes. Over the limit, the API
answers 429 with a ``Retry-After`` header and a message saying when to retry.
"""

from __future__ import annotations

import math
import time

from flyloop import errors


class RateLimiter:
    """``check(key)`` counts one request for ``key`` and raises RateLimited past the limit."""

    def __init__(self, rate: str | None, storage_uri: str = "memory://") -> None:
        self.rate = (rate or "off").strip()
        self.enabled = self.rate.lower() not in ("off", "0", "none", "")
        # Counted in this process's memory (or not at all): a check never waits on I/O.
        self.in_process = not self.enabled or storage_uri.startswith("memory://")
        if not self.enabled:
            return
        from limits import parse, storage, strategies

        try:
            self.item = parse(self.rate)
        except ValueError as exc:
            raise errors.ConfigError(
                f"not a rate limit: {self.rate!r} (write it like '6000/minute')", field="rate_limit"
            ) from exc
        try:
            backend = storage.storage_from_string(storage_uri)
        except Exception as exc:  # an unknown scheme or a missing driver
            raise errors.ConfigError(
                f"rate limit storage {storage_uri!r} cannot be used: {exc}", field="rate_limit_storage"
            ) from exc
        self.limiter = strategies.SlidingWindowCounterRateLimiter(backend)

    def check(self, key: str) -> None:
        if not self.enabled or self.limiter.hit(self.item, key):
            return
        reset = self.limiter.get_window_stats(self.item, key).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        raise errors.RateLimited(
            f"rate limit of {self.rate} exceeded for this key; retry in {wait} s", retry_after_s=wait
        )
