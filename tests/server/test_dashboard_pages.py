"""The dashboard's page data (flyloop.server.dashboard_pages): numbers for people with no NaN, a chart
without points replaced by words, and a bad window named."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.server.dashboard_pages import Page, check_grain, clean, duration, number


@pytest.mark.parametrize(
    "value, kw, text",
    [
        (None, {}, "no data"),
        (float("nan"), {}, "no data"),
        ("inf", {}, "no data"),
        ("-inf", {}, "no data"),
        (True, {}, "yes"),
        (1234567, {}, "1,234,567"),
        (0.123456, {}, "0.123"),
        (0.6351, {"percent": True}, "63.5%"),
        ("0.25", {"percent": True}, "25.0%"),
    ],
)
def test_numbers_read_plainly(value, kw, text):
    assert number(value, **kw) == text


def test_clean_keeps_finite_numbers_only():
    assert [clean(v) for v in (1, 2.5, "3", "inf", float("nan"), None, "x", False)] == [
        1.0,
        2.5,
        3.0,
        None,
        None,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    "seconds, text", [(None, "no data"), (float("inf"), "no data"), (42, "42 s"), (90, "1.5 minutes"),
                      (5400, "1.5 hours"), (3 * 86400, "3.0 days")]
)  # fmt: skip
def test_durations(seconds, text):
    assert duration(seconds) == text


def test_a_chart_without_points_is_its_words_only():
    page = Page("t")
    page.chart("a", "A", [{"type": "bar", "x": [], "y": []}], words="has data", empty="no data to chart")
    page.chart("b", "B", [{"type": "bar", "x": ["k"], "y": [3]}], words="three", empty="never shown")
    assert page.blocks[0] == {
        "kind": "chart",
        "id": "chart-a",
        "title": "A",
        "figure": None,
        "words": "no data to chart",
    }
    assert page.blocks[1]["figure"] == {
        "data": [{"type": "bar", "x": ["k"], "y": [3]}],
        "layout": {"title": {"text": "B"}},
    }
    assert page.blocks[1]["words"] == "three"


def test_a_bad_grain_is_named():
    assert check_grain("week") == "week"
    with pytest.raises(errors.ValidationError) as caught:
        check_grain("month")
    assert caught.value.field == "grain" and "hour, day, week" in caught.value.message
