"""The alert checks on hand-built traffic: each fires with its words and numbers, stays quiet when it
should, and says plainly what it could not check."""

from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

from conftest import hours_ago
from flyloop import Settings, errors
from flyloop.monitor import check_alerts, list_alerts, update_rollups
from flyloop.store import schema as t

BASE = hours_ago(30)
HOUR = 3600.0


def settings_for(settings: Settings, **kw) -> Settings:
    return Settings(
        home=settings.home,
        database_url="sqlite://",
        monitor_window_s=7200,
        monitor_segment_key="plan",
        monitor_min_interactions=30,
        **kw,
    )


def traffic(
    capture, tag, start, n, *, accept=0, up=0, down=0, edit=0, outcome=0, feedback_plan=None, plan="pro", chars=20
):
    """n interactions spread over the two hours from `start`; the first `accept` get an accept,
    the first `up` a thumbs up, the next `down` a thumbs down, and so on."""
    its, sigs = [], []
    for k in range(n):
        iid = f"{tag}-{k}"
        its.append(
            {
                "id": iid,
                "workload": "w",
                "input": "x" * chars,
                "output": "The total is 84.",
                "ts": start + k * (7000 / n),
                "user_id": f"u{k}",
                "policy_version": "v",
                "metadata": {"plan": plan},
            }
        )
        at = start + k * (7000 / n) + 1
        if k < accept:
            sigs.append({"id": f"{iid}-a", "interaction_id": iid, "kind": "accept", "ts": at})
        if k < up:
            sigs.append({"id": f"{iid}-u", "interaction_id": iid, "kind": "thumbs_up", "ts": at})
        elif k < up + down:
            sigs.append({"id": f"{iid}-d", "interaction_id": iid, "kind": "thumbs_down", "ts": at})
        if k < edit:
            sigs.append(
                {
                    "id": f"{iid}-e",
                    "interaction_id": iid,
                    "kind": "edit",
                    "ts": at,
                    "payload": {"text": "The total is 85."},
                }
            )
        if k < outcome:
            sigs.append(
                {
                    "id": f"{iid}-o",
                    "interaction_id": iid,
                    "kind": "outcome",
                    "ts": at,
                    "value": 1.0,
                    "payload": {"name": "paid"},
                }
            )
    capture.ingest("acme", {"interactions": its, "signals": sigs})


def release(store, version, at, previous=None, by="alice", reason="gate passed"):
    with store.write() as conn:
        conn.execute(
            sa.insert(t.policy_stage_history),
            [
                {
                    "project_id": "acme",
                    "id": f"m-{version}-{at:.0f}",
                    "workload": "w",
                    "stage": "production",
                    "version_id": version,
                    "previous": previous,
                    "at": at,
                    "by": by,
                    "reason": reason,
                }
            ],
        )


def run(store, settings, now, kinds=None):
    update_rollups(store, "acme", segment_key="plan")
    return check_alerts(store, "acme", settings=settings, now=now, kinds=kinds)


def test_regression_after_release_names_it(capture, store, settings):
    s = settings_for(settings)
    traffic(capture, "before", BASE, 100, accept=60)
    release(store, "v2" * 8, BASE + 2 * HOUR + 1800, previous="v1" * 8)
    traffic(capture, "after", BASE + 3 * HOUR, 100, accept=30)
    got = run(store, s, BASE + 6 * HOUR, kinds=["regression"])
    assert [a.kind for a in got.raised] == ["regression"]
    a = got.raised[0]
    assert a.details["before"] == {"rate": 0.6, "count": 60.0, "n": 100.0}
    assert a.details["after"] == {"rate": 0.3, "count": 30.0, "n": 100.0}
    assert a.details["z"] == pytest.approx(-4.2640, abs=1e-4)
    assert a.details["release"]["version"] == "v2" * 8 and a.details["release"]["by"] == "alice"
    assert a.message.startswith(
        "w: acceptance_rate fell from 60.0% (60 of 100) in the 2 hours before to 30.0% (30 of 100)"
    )
    assert "release v2v2v2v2v2v2 went to production at" in a.message and "p=2e-05" in a.message
    again = run(store, s, BASE + 6 * HOUR + 60, kinds=["regression"])
    assert again.raised == [] and [x.id for x in again.alerts] == [a.id]  # stored once


def test_no_regression_when_it_holds(capture, store, settings):
    s = settings_for(settings)
    traffic(capture, "before", BASE, 100, accept=60)
    release(store, "v2", BASE + 2 * HOUR + 1800)
    traffic(capture, "after", BASE + 3 * HOUR, 100, accept=62)
    assert run(store, s, BASE + 6 * HOUR, kinds=["regression"]).raised == []


def test_segment_falling_behind_and_improving_slowly(capture, store, settings):
    s = settings_for(settings)
    traffic(capture, "p-prev", BASE, 100, accept=40, plan="pro")
    traffic(capture, "f-prev", BASE, 100, accept=40, plan="free")
    traffic(capture, "p-cur", BASE + 2 * HOUR, 100, accept=70, plan="pro")
    traffic(capture, "f-cur", BASE + 2 * HOUR, 100, accept=42, plan="free")
    got = run(store, s, BASE + 3 * HOUR, kinds=["segment_disparity"])
    by_subject = {a.subject: a for a in got.raised}
    assert sorted(by_subject) == ["free:acceptance_rate:improvement", "free:acceptance_rate:level"]
    level = by_subject["free:acceptance_rate:level"]
    assert level.details["ratio"] == pytest.approx(0.6)
    assert "falling behind on acceptance_rate: 42.0% (42 of 100) against 70.0% for the rest" in level.message
    assert "outside the parity band 0.8-1.25" in level.message
    slow = by_subject["free:acceptance_rate:improvement"]
    assert slow.details["ratio"] == pytest.approx(2 / 30)
    assert "40.0% to 42.0% (+2.0 points) while the rest went 40.0% to 70.0% (+30.0 points)" in slow.message


def test_gaming_approval_up_outcomes_flat(capture, store, settings):
    s = settings_for(settings)
    traffic(capture, "prev", BASE, 100, up=30, down=30, outcome=20, edit=10)
    traffic(capture, "cur", BASE + 2 * HOUR, 100, up=50, down=10, outcome=20, edit=10)
    got = run(store, s, BASE + 3 * HOUR, kinds=["metric_gaming"])
    assert [a.kind for a in got.raised] == ["metric_gaming"]
    a = got.raised[0]
    assert a.details["approval"] == [0.5, pytest.approx(5 / 6)]
    assert a.details["outcome_rate"] == [0.2, 0.2] and a.details["edit_rate"] == [0.1, 0.1]
    assert a.message.startswith("w: explicit approval rose from 50.0% (30 of 60 votes) to 83.3% (50 of 60;")
    again = run(store, s, BASE + 3 * HOUR + 60, kinds=["metric_gaming"])
    assert again.raised == [] and [x.id for x in again.alerts] == [a.id]  # found again, stored once


def test_gaming_quiet_when_outcomes_rise(capture, store, settings):
    s = settings_for(settings)
    traffic(capture, "prev", BASE, 100, up=30, down=30, outcome=20)
    traffic(capture, "cur", BASE + 2 * HOUR, 100, up=50, down=10, outcome=60)
    assert run(store, s, BASE + 3 * HOUR, kinds=["metric_gaming"]).raised == []


def test_coverage_bias(capture, store, settings):
    s = settings_for(settings)
    traffic(capture, "p", BASE + 2 * HOUR, 100, up=60, plan="pro")
    traffic(capture, "f", BASE + 2 * HOUR, 100, up=10, plan="free")
    got = run(store, s, BASE + 3 * HOUR, kinds=["coverage_bias"])
    ratios = {a.subject: round(a.details["ratio"], 4) for a in got.raised}
    assert ratios == {"free": round(10 / 70 / 0.5, 4), "pro": round(60 / 70 / 0.5, 4)}
    free = next(a for a in got.raised if a.subject == "free")
    assert (
        "gives 14.3% of the feedback (10 of 70 interactions with feedback) but makes 50.0% of the use" in free.message
    )


def test_input_drift_names_psi(capture, store, settings):
    s = settings_for(settings)
    traffic(capture, "prev", BASE, 100, chars=20)
    traffic(capture, "cur", BASE + 2 * HOUR, 100, chars=500)
    got = run(store, s, BASE + 3 * HOUR, kinds=["input_drift"])
    (a,) = got.raised
    expected = 2 * (1 - 1e-4) * math.log(1e4)
    assert a.details["psi"] == pytest.approx(expected)
    assert a.details["test"] == "PSI over 16 log2 bins of input length (characters)"
    assert "population stability index 18.42 over 16 log2 bins" in a.message
    # The same inputs in both windows: no drift.
    traffic(capture, "next", BASE + 4 * HOUR, 100, chars=500)
    assert run(store, s, BASE + 5 * HOUR, kinds=["input_drift"]).raised == []


def test_flywheel_stall_over_three_releases(capture, store, settings):
    s = settings_for(settings)
    for k, (version, accepted) in enumerate([("a1", 50), ("a2", 51), ("a3", 50)]):
        release(store, version, BASE + k * 3 * HOUR + 1800, previous=None if k == 0 else f"a{k}")
        traffic(capture, version, BASE + k * 3 * HOUR + HOUR, 100, accept=accepted)
    got = run(store, s, BASE + 10 * HOUR, kinds=["flywheel_stall"])
    (a,) = got.raised
    assert a.details["quality"] == [0.5, 0.51, 0.5]
    assert "the best gain over the first is +1.0 points, under 2" in a.message


def test_no_stall_when_quality_climbs(capture, store, settings):
    s = settings_for(settings)
    for k, (version, accepted) in enumerate([("a1", 40), ("a2", 50), ("a3", 60)]):
        release(store, version, BASE + k * 3 * HOUR + 1800)
        traffic(capture, version, BASE + k * 3 * HOUR + HOUR, 100, accept=accepted)
    assert run(store, s, BASE + 10 * HOUR, kinds=["flywheel_stall"]).raised == []


def test_empty_store_and_thin_windows_say_so(capture, store, settings):
    s = settings_for(settings)
    got = check_alerts(store, "acme", settings=s, now=BASE)
    assert got.alerts == [] and got.notes == [
        "no data: the rollups hold nothing for this project yet, so there is nothing to check"
    ]
    traffic(capture, "few", BASE, 10, plan="pro")
    got = run(store, s, BASE + 3 * HOUR)
    assert got.raised == []
    assert "w: drift check skipped: 10 and 0 inputs in the last two windows (at least 30 each)" in got.notes
    assert "w: stall check skipped: 0 releases, 3 needed" in got.notes
    assert all(n and "nan" not in n.lower() for n in got.notes)
    with pytest.raises(errors.ValidationError) as e:
        check_alerts(store, "acme", settings=s, kinds=["vibes"])
    assert e.value.field == "kind"
    with pytest.raises(errors.ValidationError) as e:
        list_alerts(store, "acme", delivery="lost")
    assert e.value.field == "delivery"


def test_a_segment_key_nobody_carries_is_named_in_the_note(capture, store, settings):
    s = Settings(home=settings.home, database_url="sqlite://", monitor_window_s=7200, monitor_segment_key="region")
    traffic(capture, "cur", BASE + 2 * HOUR, 100, accept=40, plan="pro")
    update_rollups(store, "acme", segment_key="region")
    got = check_alerts(store, "acme", settings=s, now=BASE + 3 * HOUR, kinds=["segment_disparity"])
    assert got.raised == []
    assert got.notes == [
        "w: segment checks skipped: no interaction in the last 2 hours carries the metadata key 'region' "
        "(monitor_segment_key)"
    ]


def test_a_workload_the_registry_does_not_know_has_no_releases_and_a_note(store):
    # Traffic loaded around the API leaves no workloads row: the checks go on for the others.
    from flyloop.monitor import checks

    ctx = checks.Context(store, "acme", now=hours_ago(0), window_s=86_400.0, min_n=1, stall_cycles=3, segment_key=None)
    assert checks.regression(ctx, "undeclared") == []
    assert checks.flywheel_stall(ctx, "undeclared") == []
    assert ctx.notes[0] == "undeclared: not a declared workload; no releases to check"
