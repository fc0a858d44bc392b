"""HTTP routes for dataset versions (flyloop.server.datasets): list, show, build, export, and their enums."""

from __future__ import annotations

import time

import orjson
import sqlalchemy as sa

from flyloop import Capture
from flyloop.datasets import versions as datasets

PROJECT = "acme"


T0 = (int(time.time()) // 3600 - 240) * 3600.0  # on the hour: the split cut-off is rounded to one


CONFIG = {"balance": {"keys": ["plan"]}}


def fix_keys(store, project: str = PROJECT) -> None:
    """Fixed pseudonym and split keys, so which users are held out is the same on every run."""
    from flyloop.store import tables as schema

    with store.write() as conn:
        conn.execute(
            sa.insert(schema.project_secrets),
            [
                {
                    "project_id": project,
                    "purpose": purpose,
                    "version": 1,
                    "secret": (purpose.encode() * 32)[:32].hex(),
                    "created_at": 0.0,
                }
                for purpose in ("pseudonym", "split")
            ],
        )


def seed(capture: Capture, users: int = 10, project: str = PROJECT) -> None:
    """Per user: a good answer (accepted, thumbs-up, and the task then succeeded: the outcome
    vouches for the user's judgement), a wrong one corrected by an edit, and a wrong one
    regenerated into a right one in the same session; user0 also picks between two drafts."""
    fix_keys(capture.store, project)
    interactions, signals, outcomes = [], [], []

    def it(iid, user, session, text, output, ts, plan):
        interactions.append(
            {
                "id": iid,
                "workload": "math",
                "input": text,
                "output": output,
                "user_id": user,
                "session_id": session,
                "ts": ts,
                "metadata": {"plan": plan},
            }
        )

    def sg(sid, iid, kind, user, ts, **kw):
        signals.append({"id": sid, "interaction_id": iid, "kind": kind, "actor": user, "ts": ts, **kw})

    for u in range(users):
        user, plan, base = f"user{u}", "pro" if u < 3 else "free", T0 + u * 3600
        it(f"g{u}", user, f"s{u}a", f"What is {u} + 10?", f"The answer is {u + 10}.", base, plan)
        sg(f"g{u}-acc", f"g{u}", "accept", user, base + 5)
        sg(f"g{u}-up", f"g{u}", "thumbs_up", user, base + 6)
        outcomes.append(
            {"id": f"g{u}-done", "interaction_id": f"g{u}", "name": "task_completed", "value": 1.0, "ts": base + 3600}
        )
        it(f"c{u}", user, f"s{u}b", f"What is {u} + 20?", f"The answer is {u + 21}.", base + 100, plan)
        sg(f"c{u}-down", f"c{u}", "thumbs_down", user, base + 105)
        sg(f"c{u}-edit", f"c{u}", "edit", user, base + 110, payload={"text": f"The answer is {u + 20}."})
        it(f"r{u}", user, f"s{u}c", f"What is {u} + 30?", f"The answer is {u + 33}.", base + 200, plan)
        sg(f"r{u}-regen", f"r{u}", "regenerate", user, base + 202)
        it(f"r{u}b", user, f"s{u}c", f"What is {u} + 30?", f"The answer is {u + 30}.", base + 206, plan)
        sg(f"r{u}b-acc", f"r{u}b", "accept", user, base + 210)
        sg(f"r{u}b-up", f"r{u}b", "thumbs_up", user, base + 211)
    sg(
        "g0-choice",
        "g0",
        "choice",
        "user0",
        T0 + 7,
        payload={"chosen": "The answer is 10.", "rejected": ["The answer is 11."]},
    )
    capture.ingest(project, {"interactions": interactions})
    capture.ingest(project, {"signals": signals})
    capture.ingest(project, {"outcomes": outcomes})


def rows(store, version, kind):
    return {tuple(e["interaction_ids"]): e for e in datasets.examples(store, PROJECT, version.id, kind)}


def test_api_routes(api, capture):
    seed(capture)
    built = api.post("/v1/datasets", scopes=("admin",), json={"name": "math", "config": CONFIG})
    assert built.status_code == 200, built.text
    version_id = built.json()["id"]
    assert api.post("/v1/datasets", json={"name": "math"}).status_code == 403  # an ingest+read key cannot build
    listed = api.get("/v1/datasets").json()["items"]
    assert [v["id"] for v in listed] == [version_id]
    assert api.get(f"/v1/datasets/{version_id[:12]}").json()["counts"]["sft"] == {"train": 21, "eval": 3}
    assert api.get("/v1/datasets/nope").status_code == 404
    bad = api.post("/v1/datasets", scopes=("admin",), json={"name": "math", "config": {"splits": {"train": 2}}})
    assert bad.status_code == 422 and bad.json()["field"].startswith("splits")
    exported = api.get(f"/v1/datasets/{version_id}/export/dpo", params={"split": "train"})
    assert exported.status_code == 200
    lines = [orjson.loads(line) for line in exported.text.splitlines()]
    assert len(lines) == 15 and set(lines[0]) == {"prompt", "chosen", "rejected", "split"}
    assert (
        api.post(f"/v1/datasets/{version_id}/taint", scopes=("admin",), json={"reason": "bad batch"}).status_code == 200
    )
    refused = api.get(f"/v1/datasets/{version_id}/export/sft")
    assert refused.status_code == 409 and "bad batch" in refused.json()["message"]
    assert api.get(f"/v1/datasets/{version_id}/export/sft", params={"force": "true"}).status_code == 200
    assert api.get(f"/v1/datasets/{version_id}/diff/{version_id}").json()["examples"]["sft"]["unchanged"] == 24


def test_api_export_has_a_split_column_and_honours_parquet(api, capture):
    import io

    import pyarrow.parquet as pq

    seed(capture)
    version_id = api.post("/v1/datasets", scopes=("admin",), json={"name": "math", "config": CONFIG}).json()["id"]
    both = api.get(f"/v1/datasets/{version_id}/export/sft", params={"split": ["train", "validation"]})
    rows = [orjson.loads(line) for line in both.text.splitlines()]
    assert both.headers["content-type"] == "application/x-ndjson" and len(rows) == 21
    assert {r["split"] for r in rows} == {"train"} and set(rows[0]) == {"prompt", "completion", "split"}
    parquet = api.get(f"/v1/datasets/{version_id}/export/kto", params={"format": "parquet"})
    assert parquet.status_code == 200 and parquet.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.column_names == ["prompt", "completion", "label", "split"] and table.num_rows == 28
    bad = api.get(f"/v1/datasets/{version_id}/export/sft", params={"format": "csv"})
    assert bad.status_code == 422 and bad.json()["field"] == "format"
    assert api.get(f"/v1/datasets/{version_id}/export/preference").status_code == 200


def test_the_export_routes_enums_match_the_library():
    """The route declares its targets and splits as enums for the OpenAPI document; they must be
    exactly what the library accepts."""
    from typing import get_args

    from flyloop.curation import splits
    from flyloop.datasets import exports
    from flyloop.server import datasets as dataset_routes

    assert set(get_args(dataset_routes.Target)) == set(exports.TARGETS) | set(exports.TARGET_ALIASES)
    assert get_args(dataset_routes.Split) == splits.SPLITS
