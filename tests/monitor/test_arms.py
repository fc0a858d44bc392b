"""Metrics per experiment arm: an interaction is in an arm when its workload ran the experiment at
its time, its user is assigned to the arm, and it names the arm's version (as the experiment's own
metrics count it); kept in the rollups and read ``by="arm"``, exactly."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import hours_ago
from experiment_fixtures import arena
from flyloop.monitor import metrics, totals, update_rollups
from flyloop.privacy import pseudonym
from flyloop.rollout import start_experiment, stop_experiment
from flyloop.store import schema

P = "arms"
H = hours_ago(3)


@pytest.fixture
def experiment(store, capture):
    production, candidate = arena(store, P)
    exp = start_experiment(store, P, "triage", candidate, by="test")
    users = {u: pseudonym(store, P, u) for u in ("u1", "u2", "u3", "u4")}
    with store.write() as conn:
        conn.execute(
            sa.update(schema.experiments)
            .where(schema.experiments.c.project_id == P, schema.experiments.c.id == exp.id)
            .values(started_at=H + 600)
        )
        conn.execute(
            sa.insert(schema.assignments),
            [
                {"project_id": P, "experiment_id": exp.id, "user_key": users[u], "arm": arm, "bucket": 0, "at": H}
                for u, arm in (("u1", "control"), ("u2", "candidate"), ("u3", "candidate"))
            ],
        )

    def it(iid, user, version, at):
        return {"id": iid, "workload": "triage", "input": "Win", "output": "spam", "user_id": user, "ts": H + at,
                "policy_version": version}  # fmt: skip

    capture.ingest(
        P,
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
                {"id": "s1", "interaction_id": "b", "kind": "accept", "ts": H + 805},
                {"id": "s2", "interaction_id": "g", "kind": "thumbs_up", "ts": H + 1105},
                {"id": "s3", "interaction_id": "f", "kind": "accept", "ts": H + 1005},
            ],
        },
    )
    return exp


def test_an_interaction_is_in_the_arm_it_was_served_under(store, capture, experiment):
    update_rollups(store, P)
    control, candidate = f"{experiment.id}:control", f"{experiment.id}:candidate"
    got = totals(store, P, start=H, end=H + 7200, by="arm")
    assert set(got) == {control, candidate}
    assert (got[control]["interactions"], got[control].get("accepted", 0)) == (1, 0)
    assert (got[candidate]["interactions"], got[candidate]["accepted"], got[candidate]["approved"]) == (3, 1, 1)
    # The plain rollups still count all seven, by version as before.
    assert totals(store, P, start=H, end=H + 7200)[""]["interactions"] == 7
    found = metrics(store, P, grain="hour", by="arm", since=H, until=H + 3600, segment_key=None)
    assert [(w["start"], w["group"], w["counts"]["interactions"]) for w in found["windows"]] == [
        (H, candidate, 3),
        (H, control, 1),
    ]
    (cand,) = [w for w in found["windows"] if w["group"] == candidate]
    assert (cand["rates"]["acceptance_rate"], cand["rates"]["approval_rate"]) == (0.333333, 1.0)
    assert found["notes"] == []


def test_a_late_signal_moves_its_arm_once_and_an_ended_experiment_takes_no_more(store, capture, experiment):
    update_rollups(store, P)
    stop_experiment(store, P, experiment.id, by="test", reason="enough")
    with store.write() as conn:
        conn.execute(
            sa.update(schema.experiments)
            .where(schema.experiments.c.project_id == P, schema.experiments.c.id == experiment.id)
            .values(ended_at=H + 1500)
        )
    capture.ingest(
        P,
        {
            "interactions": [
                {
                    "id": "h",
                    "workload": "triage",
                    "input": "Win",
                    "output": "spam",
                    "user_id": "u1",
                    "ts": H + 1600,
                    "policy_version": experiment.control,
                }
            ],  # fmt: skip
            "signals": [{"id": "s4", "interaction_id": "a", "kind": "accept", "ts": H + 1700}],
        },
    )
    assert update_rollups(store, P).interactions == 2
    assert update_rollups(store, P).interactions == 0  # run again: nothing changes
    control = f"{experiment.id}:control"
    got = totals(store, P, start=0, end=H + 7200, by="arm", grain="day")
    assert (got[control]["interactions"], got[control]["accepted"]) == (1, 1)
    assert totals(store, P, start=0, end=H + 7200, grain="day")[""]["interactions"] == 8


def test_no_experiment_says_so(store, capture):
    capture.ingest(P, {"interactions": [{"id": "x", "workload": "w", "input": "q", "output": "a", "ts": H + 5}]})
    update_rollups(store, P)
    found = metrics(store, P, grain="hour", by="arm", since=H, until=H + 3600)
    assert found["windows"] == []
    assert found["notes"] == [
        f"no interaction served under an experiment's arm for the project between {_iso(H)} and {_iso(H + 3600)}"
    ]


def _iso(ts: float) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))
