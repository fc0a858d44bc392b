"""Hand-built events the report's tests share: five interactions (one in a workload with no
signals), votes, an edit, a re-query, an outcome; two prompt-loop runs."""

from __future__ import annotations

import sqlalchemy as sa

from conftest import hours_ago
from flyloop import labels
from flyloop.store import schema as t

H = hours_ago(3)


def it(iid, at, workload="w", version="v1"):
    return {
        "id": iid,
        "workload": workload,
        "input": "what is the total?",
        "output": "The total is 84.",
        "ts": H + at,
        "user_id": "u-" + iid,
        "policy_version": version,
    }


def sig(sid, iid, kind, at, **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": H + at, **kw}


def seed(capture):
    capture.ingest(
        "acme",
        {
            "interactions": [it("a", 10), it("b", 20), it("c", 30), it("d", 40), it("q", 50, workload="quiet")],
            "signals": [
                sig("s1", "a", "thumbs_up", 60),
                sig("s2", "a", "accept", 61),
                sig("s3", "b", "edit", 70, payload={"text": "The total is 85."}),
                sig("s4", "b", "thumbs_down", 71),
                sig("s5", "c", "requery", 80),
            ],
            "outcomes": [{"id": "o1", "name": "paid", "value": 1.0, "ts": H + 500, "interaction_id": "a"}],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)


def add_runs(store):
    """Two prompt-loop runs (one made a candidate) and one production move, by hand."""
    with store.write() as conn:
        conn.execute(
            sa.insert(t.loop_runs),
            [
                {
                    "project_id": "acme",
                    "id": f"r{k}",
                    "loop": "prompt",
                    "workload": "w",
                    "status": status,
                    "trigger": "manual",
                    "started_at": H + 100 * k,
                    "finished_at": H + 100 * k + 50,
                    "inputs": {},
                    "outputs": {"candidates": made},
                    "details": {},
                }
                for k, (status, made) in enumerate((("succeeded", ["pv-2"]), ("failed", [])), start=1)
            ],
        )
