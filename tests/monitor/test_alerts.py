"""Alerts stored once per window, listed newest first with filters, and kept JSON-clean."""

from __future__ import annotations

import math

import pytest

from conftest import hours_ago
from flyloop import Settings, errors
from flyloop.monitor import check_alerts, list_alerts, update_rollups
from flyloop.monitor.alerts import _clean

BASE = hours_ago(30)


def drift(capture, store, settings, at):
    its = [
        {"id": f"i{at}-{k}", "workload": "w", "input": "x" * (20 if k < 40 else 500), "output": "o", "ts": at + k * 90}
        for k in range(80)
    ]
    capture.ingest("acme", {"interactions": its})
    update_rollups(store, "acme")
    s = Settings(home=settings.home, database_url="sqlite://", monitor_window_s=3600)
    return check_alerts(store, "acme", settings=s, now=at + 7000)


def test_stored_once_per_window_and_listed_newest_first(capture, store, settings):
    first = drift(capture, store, settings, BASE)
    assert [a.kind for a in first.raised] == ["input_drift"]
    s = Settings(home=settings.home, database_url="sqlite://", monitor_window_s=3600)
    again = check_alerts(store, "acme", settings=s, now=BASE + 7010)
    assert again.raised == [] and [a.id for a in again.alerts] == [first.raised[0].id]
    later = drift(capture, store, settings, BASE + 4 * 3600)  # the same drift, windows later: a new alert
    assert len(later.raised) == 1 and later.raised[0].id != first.raised[0].id
    listed = list_alerts(store, "acme")
    assert [a.id for a in listed] == [later.raised[0].id, first.raised[0].id]
    assert list_alerts(store, "acme", kind="regression") == []
    assert [a.id for a in list_alerts(store, "acme", limit=1)] == [later.raised[0].id]
    assert list_alerts(store, "other") == []
    with pytest.raises(errors.ValidationError) as e:
        list_alerts(store, "acme", limit=0)
    assert e.value.field == "limit"


def test_details_never_hold_nan():
    assert _clean({"a": math.nan, "b": [1.0, math.inf], "c": {"d": 2.5}}) == {
        "a": None,
        "b": [1.0, None],
        "c": {"d": 2.5},
    }


def test_a_window_shorter_than_an_hour_is_refused(store, settings):
    s = Settings(home=settings.home, database_url="sqlite://", monitor_window_s=60)
    with pytest.raises(errors.ConfigError) as e:
        check_alerts(store, "acme", settings=s)
    assert e.value.field == "monitor_window_s"
