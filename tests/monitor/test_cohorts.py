"""What one interaction adds to the rollups: its input's length bin, its segment, its counts, and
the experiment arm it was served under."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import hours_ago
from experiment_fixtures import arena
from flyloop.monitor import metrics, totals, update_rollups
from flyloop.monitor.cohorts import NO_SEGMENT, contributions, input_bin, segment_of
from flyloop.privacy import pseudonym
from flyloop.rollout import start_experiment, stop_experiment
from flyloop.store import schema

H = hours_ago(2)


def test_input_bins_and_segments():
    assert [input_bin(x) for x in ("", "a", "abc", "x" * 40, "x" * 100000, None)] == [0, 1, 2, 5, 15, 0]
    assert input_bin({"q": "hi"}) == 3  # '{"q": "hi"}' is 11 characters
    assert segment_of({"plan": "pro"}, "plan") == "pro"
    assert segment_of({"plan": ""}, "plan") == NO_SEGMENT and segment_of(None, "plan") == NO_SEGMENT
    assert segment_of({"plan": "pro"}, None) == ""


def test_one_interaction_counts(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [
                {
                    "id": "a",
                    "workload": "w",
                    "input": "abc",
                    "output": "The total is 84.",
                    "ts": H + 30,
                    "policy_version": "v1",
                    "metadata": {"plan": "pro"},
                }
            ],
            "signals": [
                {"id": "s1", "interaction_id": "a", "kind": "thumbs_down", "ts": H + 40},
                {"id": "s2", "interaction_id": "a", "kind": "thumbs_up", "ts": H + 50},  # the later vote stands
                {
                    "id": "s3",
                    "interaction_id": "a",
                    "kind": "edit",
                    "ts": H + 60,
                    "payload": {"text": "The total is 85."},
                },
            ],
        },
    )
    with store.read() as conn:
        got = contributions(conn, "acme", ["a", "missing"], "plan")
    assert list(got) == ["a"]
    key, hour, counts, arm = got["a"]
    assert arm == ""
    assert (key, hour) == (("w", "v1", "pro"), H)
    assert counts == {
        "interactions": 1,
        "signals.thumbs_down": 1,
        "signals.thumbs_up": 1,
        "signals.edit": 1,
        "with_signal": 1,
        "with_feedback": 1,
        "edited": 1,
        "voted": 1,
        "approved": 1,
        "edits_measured": 1,
        "edit_distance": 1,
        "input_chars.2": 1,
    }


# --- experiment arms: an interaction is in an arm when its workload ran the experiment at its time,
# its user is assigned to the arm, and it names the arm's version (as the experiment's own metrics
# count it); kept in the rollups and read by="arm", exactly.

AP = "arms"
AH = hours_ago(3)


@pytest.fixture
def experiment(store, capture):
    production, candidate = arena(store, AP)
    exp = start_experiment(store, AP, "triage", candidate, by="test")
    users = {u: pseudonym(store, AP, u) for u in ("u1", "u2", "u3", "u4")}
    with store.write() as conn:
        conn.execute(
            sa.update(schema.experiments)
            .where(schema.experiments.c.project_id == AP, schema.experiments.c.id == exp.id)
            .values(started_at=AH + 600)
        )
        conn.execute(
            sa.insert(schema.assignments),
            [
                {"project_id": AP, "experiment_id": exp.id, "user_key": users[u], "arm": arm, "bucket": 0, "at": AH}
                for u, arm in (("u1", "control"), ("u2", "candidate"), ("u3", "candidate"))
            ],
        )

    def it(iid, user, version, at):
        return {"id": iid, "workload": "triage", "input": "Win", "output": "spam", "user_id": user, "ts": AH + at,
                "policy_version": version}  # fmt: skip

    capture.ingest(
        AP,
        {
            "interactions": [
                it("a", "u1", production, 700),  # control
                it("b", "u2", candidate, 800),  # candidate
                it("c", "u3", candidate, 900),  # candidate
                it("d", "u1", production, 100),  # before the experiment started: no arm
                it("e", "u4", production, 700),  # a user never assigned: no arm
                it("f", "u2", production, 1000),  # the other arm's version (a stale cache): no arm
                it("g", "u3", candidate, 1100),  # candidate
            ],
            "signals": [
                {"id": "s1", "interaction_id": "b", "kind": "accept", "ts": AH + 805},
                {"id": "s2", "interaction_id": "g", "kind": "thumbs_up", "ts": AH + 1105},
                {"id": "s3", "interaction_id": "f", "kind": "accept", "ts": AH + 1005},
            ],
        },
    )
    return exp


def test_an_interaction_is_in_the_arm_it_was_served_under(store, capture, experiment):
    update_rollups(store, AP)
    control, candidate = f"{experiment.id}:control", f"{experiment.id}:candidate"
    got = totals(store, AP, start=AH, end=AH + 7200, by="arm")
    assert set(got) == {control, candidate}
    assert (got[control]["interactions"], got[control].get("accepted", 0)) == (1, 0)
    assert (got[candidate]["interactions"], got[candidate]["accepted"], got[candidate]["approved"]) == (3, 1, 1)
    # The plain rollups still count all seven, by version as before.
    assert totals(store, AP, start=AH, end=AH + 7200)[""]["interactions"] == 7
    found = metrics(store, AP, grain="hour", by="arm", since=AH, until=AH + 3600, segment_key=None)
    assert [(w["start"], w["group"], w["counts"]["interactions"]) for w in found["windows"]] == [
        (AH, candidate, 3),
        (AH, control, 1),
    ]
    (cand,) = [w for w in found["windows"] if w["group"] == candidate]
    assert (cand["rates"]["acceptance_rate"], cand["rates"]["approval_rate"]) == (0.333333, 1.0)
    assert found["notes"] == []


def test_a_late_signal_moves_its_arm_once_and_an_ended_experiment_takes_no_more(store, capture, experiment):
    update_rollups(store, AP)
    stop_experiment(store, AP, experiment.id, by="test", reason="enough")
    with store.write() as conn:
        conn.execute(
            sa.update(schema.experiments)
            .where(schema.experiments.c.project_id == AP, schema.experiments.c.id == experiment.id)
            .values(ended_at=AH + 1500)
        )
    capture.ingest(
        AP,
        {
            "interactions": [
                {
                    "id": "h",
                    "workload": "triage",
                    "input": "Win",
                    "output": "spam",
                    "user_id": "u1",
                    "ts": AH + 1600,
                    "policy_version": experiment.control,
                }
            ],  # fmt: skip
            "signals": [{"id": "s4", "interaction_id": "a", "kind": "accept", "ts": AH + 1700}],
        },
    )
    assert update_rollups(store, AP).interactions == 2
    assert update_rollups(store, AP).interactions == 0  # run again: nothing changes
    control = f"{experiment.id}:control"
    got = totals(store, AP, start=0, end=AH + 7200, by="arm", grain="day")
    assert (got[control]["interactions"], got[control]["accepted"]) == (1, 1)
    assert totals(store, AP, start=0, end=AH + 7200, grain="day")[""]["interactions"] == 8


def test_no_experiment_says_so(store, capture):
    capture.ingest(AP, {"interactions": [{"id": "x", "workload": "w", "input": "q", "output": "a", "ts": AH + 5}]})
    update_rollups(store, AP)
    found = metrics(store, AP, grain="hour", by="arm", since=AH, until=AH + 3600)
    assert found["windows"] == []
    assert found["notes"] == [
        f"no interaction served under an experiment's arm for the project between {_iso(AH)} and {_iso(AH + 3600)}"
    ]


def _iso(ts: float) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))
