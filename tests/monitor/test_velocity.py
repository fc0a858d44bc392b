"""The wheel's own events in the rollups: pairs per export kind, loop runs and candidates,
releases, rollbacks and the share of promotions rolled back, and velocity, on hand-built rows."""

from __future__ import annotations

import sqlalchemy as sa

from conftest import hours_ago
from flyloop.monitor import metrics, update_rollups
from flyloop.store import schema as t

H = hours_ago(5)
P = "acme"


def insert(store, table, **row):
    with store.write() as conn:
        conn.execute(sa.insert(table), [{"project_id": P, **row}])


def move(store, version, at, previous):
    insert(
        store,
        t.policy_stage_history,
        id=f"m{at}",
        workload="w",
        stage="production",
        version_id=version,
        previous=previous,
        at=H + at,
        by="bob",
        reason="test",
    )


def build(capture, store):
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": "a", "workload": "w", "input": "q", "output": "o", "ts": H + 10},
                {"id": "b", "workload": "w", "input": "q", "output": "o", "ts": H + 20},
            ],
            "signals": [
                {"id": "s1", "interaction_id": "a", "kind": "thumbs_up", "ts": H + 60},
                {"id": "s2", "interaction_id": "b", "kind": "accept", "ts": H + 100},
            ],
        },
    )
    insert(
        store,
        t.dataset_versions,
        id="D1",
        name="d",
        parent_id=None,
        created_at=H + 1000,
        code_version="x",
        config={"workloads": ["w"]},
        manifest={},
        counts={"sft": {"train": 2}, "dpo": {"train": 1}},
    )
    for iid in ("a", "b"):
        insert(store, t.dataset_members, dataset_id="D1", interaction_id=iid, user_id=None)
    insert(
        store,
        t.loop_runs,
        id="R1",
        loop="fewshot",
        workload="w",
        status="succeeded",
        trigger="test",
        started_at=H + 1100,
        finished_at=H + 1300,
        inputs={"dataset": "D1"},
        outputs={"candidates": ["V2"]},
        details={},
    )
    insert(
        store,
        t.policy_versions,
        id="V1",
        workload="w",
        definition={},
        parent=None,
        created_by="t",
        note="",
        created_at=H,
    )
    insert(
        store,
        t.policy_versions,
        id="V2",
        workload="w",
        definition={},
        parent="V1",
        created_by="t",
        note="",
        created_at=H + 1300,
    )
    move(store, "V1", 5, None)
    move(store, "V2", 2000, "V1")


def hour_window(store):
    (window,) = metrics(store, P, grain="hour", since=H, until=H + 3600)["windows"]
    return window


def test_velocity_cadence_and_rollback_share(capture, store):
    build(capture, store)
    update_rollups(store, P)
    w = hour_window(store)
    c, r = w["counts"], w["rates"]
    assert (c["datasets"], c["loop_runs"], c["loop_runs.succeeded"], c["candidates"], c["releases"]) == (1, 1, 1, 1, 2)
    assert "promotions_rolled_back" not in c and r["rollback_share"] == 0.0
    assert r["pairs"] == {"dpo": 1, "sft": 2}
    assert (
        metrics(store, P, grain="hour", workload="w", since=H, until=H + 3600)["windows"][0]["counts"]["datasets"] == 1
    )
    assert r["velocity_signal_to_dataset_s"] == 920.0  # (1000 - 60 + 1000 - 100) / 2
    assert r["velocity_dataset_to_candidate_s"] == 300.0
    assert r["velocity_candidate_to_release_s"] == 352.5  # (5 - 0 + 2000 - 1300) / 2
    assert r["velocity_signal_to_release_s"] == 1920.0  # 920 to the dataset, then 1000 to production
    # Production goes back to V1: V2's promotion becomes one rolled back; the next upkeep sees it.
    move(store, "V1", 3000, "V2")
    update_rollups(store, P)
    c, r = hour_window(store)["counts"], hour_window(store)["rates"]
    assert (c["releases"], c["rollbacks"], c["promotions_rolled_back"]) == (2, 1, 1)
    assert r["rollback_share"] == 0.5
    day = metrics(store, P, grain="day", since=H, until=H + 3600)["windows"]
    assert sum(x["counts"].get("rollbacks", 0) for x in day) == 1
    by_version = metrics(store, P, grain="hour", by="version", since=H, until=H + 3600)["windows"]
    assert {x["group"]: x["counts"].get("releases", 0) for x in by_version if x["group"] in ("V1", "V2")} == {
        "V1": 1,
        "V2": 1,
    }
