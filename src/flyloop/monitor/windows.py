"""Windows: where an hour, a day or a week starts, in UTC epoch seconds.

Weeks start on Monday 00:00 UTC (ISO weeks), so a week's rollup is the sum of seven days'.
"""

from __future__ import annotations

import math

from flyloop import errors

HOUR = 3600.0
DAY = 86400.0
WEEK = 7 * DAY
GRAINS: dict[str, float] = {"hour": HOUR, "day": DAY, "week": WEEK}
# 1970-01-05, the first Monday after the epoch (a Thursday): weeks are counted from it.
_MONDAY = 4 * DAY


def check_grain(grain: str) -> str:
    """``grain`` if it is one of hour, day, week; else a ValidationError naming the field."""
    if grain not in GRAINS:
        raise errors.ValidationError(f"grain must be one of {', '.join(GRAINS)}, not {grain!r}", field="grain")
    return grain


def bucket_start(ts: float, grain: str) -> float:
    """The start of the ``grain`` window that holds ``ts``."""
    size = GRAINS[check_grain(grain)]
    offset = _MONDAY if grain == "week" else 0.0
    return math.floor((ts - offset) / size) * size + offset


def bucket_end(start: float, grain: str) -> float:
    return start + GRAINS[grain]
