"""HTTP routes for dataset versions (flyloop.server.datasets): list, show, build, export, and their enums."""

from __future__ import annotations

import orjson

from conftest import seed
from flyloop.datasets import catalog as datasets

PROJECT = "acme"


CONFIG = {"balance": {"keys": ["plan"]}}


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


def test_lineage_full_listing_and_the_export_check_header(api, capture):
    import json

    seed(capture)
    admin = ("admin",)
    built = api.post("/v1/datasets", scopes=admin, json={"name": "m", "config": CONFIG}).json()
    version = datasets.get(capture.store, PROJECT, built["id"])
    assert api.get("/v1/datasets/m/lineage").json() == datasets.lineage(capture.store, PROJECT, version.id)
    assert api.get("/v1/datasets/nope/lineage").status_code == 404
    [item] = api.get("/v1/datasets", params={"full": "true"}).json()["items"]
    assert (item["config"], item["manifest"]) == (version.config, version.manifest)
    assert "manifest" not in api.get("/v1/datasets").json()["items"][0]
    r = api.get(
        "/v1/datasets/m/export/sft", params={"system": "Be terse.", "weights": "true", "sft_format": "messages"}
    )
    assert r.status_code == 200
    check = json.loads(r.headers["X-Flyloop-Export"])
    assert (check["target"], check["splits"], check["forced"]) == ("sft", ["train", "validation"], False)
    first = orjson.loads(r.content.splitlines()[0])
    assert first["messages"][0] == {"role": "system", "content": "Be terse."} and "weight" in first
