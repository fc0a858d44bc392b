"""Where windows start: hours, days, and ISO weeks from Monday 00:00 UTC."""

from __future__ import annotations

import calendar

import pytest

from flyloop import errors
from flyloop.monitor.windows import bucket_end, bucket_start


def test_bucket_starts():
    ts = calendar.timegm((2026, 12, 5, 21, 15, 27))  # a Saturday
    assert bucket_start(ts, "hour") == calendar.timegm((2026, 12, 5, 21, 0, 0))
    assert bucket_start(ts, "day") == calendar.timegm((2026, 12, 5, 0, 0, 0))
    monday = calendar.timegm((2026, 11, 30, 0, 0, 0))
    assert bucket_start(ts, "week") == monday and bucket_start(monday, "week") == monday
    assert bucket_end(monday, "week") == monday + 7 * 86400


def test_unknown_grain():
    with pytest.raises(errors.ValidationError) as e:
        bucket_start(0, "month")
    assert e.value.field == "grain"
