"""Attribution of late outcomes by interaction id or join key within the window."""

from __future__ import annotations

import time

import pytest

from flyloop import Settings, labels
from flyloop.capture.ingest import Capture
from flyloop.labels.attribution import unattributed

T = time.time() - 20 * 86400


def it(iid, at=0.0, key=None):
    return {"id": iid, "workload": "w", "input": "q " + iid, "output": "a", "ts": T + at, "join_key": key}


def outcome(oid, at, value=1.0, **target):
    return {"id": oid, "name": "task_completed", "value": value, "ts": T + at, **target}


def test_by_key_last_touch_gets_it(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [it("a", 0, "k"), it("b", 100, "k"), it("c", 50, "other")],
            "outcomes": [outcome("o1", 3600, join_key="k")],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "b").verdict == "good"
    assert labels.get(store, "acme", "a").verdict == "unknown"
    sig = next(s for s in store.get_interaction("acme", "b")["signals"] if s["kind"] == "outcome")
    assert sig["source"] == "system"
    assert sig["payload"] == {
        "name": "task_completed",
        "caused_by": "o1",
        "caused_by_type": "outcome",
        "via": "join_key",
        "delay_s": 3500.0,
    }


def test_by_key_all_policy_gives_it_to_each(store, settings):
    capture = Capture(store, Settings(database_url="sqlite://", home=settings.home, attribution_policy="all"))
    capture.ingest(
        "acme",
        {
            "interactions": [it("a", 0, "k"), it("b", 100, "k")],
            "outcomes": [outcome("o1", 3600, value=0.0, join_key="k")],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    # Labelling runs off the ingest path, under the settings in force where it runs.
    got = [labels.get(store, "acme", iid).verdict for iid in ("a", "b")]
    assert got == ["bad", "bad"]


def test_an_outcome_before_its_interaction_arrives_is_attributed_on_arrival(capture, store):
    capture.ingest("acme", {"outcomes": [outcome("o1", 600, interaction_id="a"), outcome("o2", 600, join_key="k")]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert unattributed(store, "acme") == {
        "waiting_for_interaction": 1,
        "outside_attribution_window": 0,
        "before_interaction": 0,
        "no_interaction_in_window": 1,
    }
    capture.ingest("acme", {"interactions": [it("a"), it("b", 10, "k")]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "a").verdict == "good" and labels.get(store, "acme", "b").verdict == "good"
    assert unattributed(store, "acme") == dict.fromkeys(unattributed(store, "acme"), 0)


def test_outcomes_outside_the_window_or_before_the_interaction_are_kept_and_reported(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [it("a", 0, "k"), it("b", 0)],
            "outcomes": [
                outcome("late", 8 * 86400, interaction_id="a"),
                outcome("late-key", 8 * 86400, join_key="k"),
                outcome("early", -3600, interaction_id="b"),
            ],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "a").verdict == labels.get(store, "acme", "b").verdict == "unknown"
    assert store.status("acme")["counts"]["outcomes"] == 3
    assert unattributed(store, "acme") == {
        "waiting_for_interaction": 0,
        "outside_attribution_window": 1,
        "before_interaction": 1,
        "no_interaction_in_window": 1,
    }


def test_a_wider_window_setting_reaches_further(store, settings):
    capture = Capture(store, Settings(database_url="sqlite://", home=settings.home, attribution_window_s=10 * 86400))
    capture.ingest("acme", {"interactions": [it("a")], "outcomes": [outcome("late", 8 * 86400, interaction_id="a")]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "a").verdict == "good"


def test_attribution_policy_is_checked(store, settings):
    from flyloop import ConfigError
    from flyloop.labels.attribution import attribute

    with pytest.raises(ConfigError):
        attribute(
            store,
            "acme",
            outcome_ids=["x"],
            settings=Settings(database_url="sqlite://", home=settings.home, attribution_policy="first"),
        )
