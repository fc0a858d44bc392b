"""The improvement routes (flyloop.server.improve): banks, loop runs and failure clusters over HTTP,
their scopes, their 404s and 422s naming the field, and the audit rows, on a seeded project whose
"math" workload has good and corrected answers."""

from __future__ import annotations

import pytest

from conftest import T0, seed
from flyloop import audit_log, datasets, labels

ADMIN, READ, INGEST = ("admin",), ("read",), ("ingest",)
URL = "http://127.0.0.1:9/v1"
WINDOW = {"since": T0 - 1, "until": T0 + 30 * 3600}


@pytest.fixture
def seeded(api, store, settings, capture) -> str:
    """The seeded project labelled, with one dataset version; its id."""
    seed(capture)
    labels.catch_up(store, "acme", settings=settings)
    return datasets.build(store, "acme", "math").id


def test_a_bank_is_built_listed_and_read(api, store, seeded):
    r = api.post("/v1/banks", scopes=ADMIN, json={"workload": "math", "embedder": "hashing", "min_examples": 3})
    assert r.status_code == 200, r.text
    bank = r.json()
    assert {k: bank[k] for k in ("workload", "dataset_version", "embedder", "size", "removed", "live")} == {
        "workload": "math",
        "dataset_version": seeded,
        "embedder": "hashing",
        "size": 21,
        "removed": 0,
        "live": 21,
    }
    assert bank["id"].startswith("bk_") and bank["manifest"]["counts"]["kept"] == 21
    assert api.get(f"/v1/banks/{bank['id']}", scopes=READ).json() == bank
    assert api.get("/v1/banks", scopes=READ).json() == {"items": [bank]}
    assert api.get("/v1/banks", scopes=READ, params={"workload": "other"}).json() == {"items": []}
    (row,) = audit_log(store, "acme", action="banks.")
    assert (row["action"], row["target"], row["details"]) == (
        "banks.build",
        bank["id"],
        {"workload": "math", "dataset_version": seeded, "size": 21},
    )


def test_bank_builds_refuse_bad_input_naming_the_field(api, seeded):
    for body, status, field in (
        ({}, 422, "workload"),
        ({"workload": 5}, 422, "workload"),
        ({"workload": "math", "colour": "red"}, 422, "colour"),
        ({"workload": "math", "min_examples": "3"}, 422, "min_examples"),
        ({"workload": "math", "min_examples": True}, 422, "min_examples"),
        ({"workload": "math", "min_examples": 0, "embedder": "hashing"}, 422, "min_examples"),
        ({"workload": "math", "min_quality": "high"}, 422, "min_quality"),
        ({"workload": "math", "min_quality": 1.5}, 422, "min_quality"),
        ({"workload": "math", "min_examples": 10**20}, 422, "min_examples"),  # never a need past 64 bits
        ({"workload": "math", "embedder": "word2vec"}, 422, "embedder"),
        ({"workload": "math", "dataset": ["a"]}, 422, "dataset"),
        ({"workload": "math", "index": "faiss", "embedder": "hashing", "min_examples": 3}, 400, "index"),
        ({"workload": "nope", "embedder": "hashing"}, 404, "workload"),
        ({"workload": "math", "embedder": "hashing", "min_examples": 50.0}, 409, "dataset"),  # JSON's 50.0 is 50
    ):
        r = api.post("/v1/banks", scopes=ADMIN, json=body)
        assert (r.status_code, r.json().get("field")) == (status, field), (body, r.text)
    short = api.post("/v1/banks", scopes=ADMIN, json={"workload": "math", "embedder": "hashing", "min_examples": 50})
    assert short.json()["message"] == "not enough data: 21 of 50"
    assert api.get("/v1/banks/bk_0000000000000000", scopes=READ).json()["field"] == "bank"
    assert api.get("/v1/banks", scopes=READ).json() == {"items": []}


def test_a_loop_runs_in_the_request_and_its_record_is_read(api, store, seeded):
    version = api.post(
        "/v1/policy-versions", scopes=ADMIN, json={"workload": "math", "model": "m", "params": {"base_url": URL}}
    ).json()
    api.client.put("/v1/workloads/math/production", headers=api.key("acme", *ADMIN), json={"version": version["id"]})
    options = {"embedder": "hashing", "min_examples": 3}
    plan = api.post("/v1/loops/fewshot/plan", scopes=READ, json={"workload": "math", "options": options})
    assert plan.status_code == 200, plan.text
    assert (plan.json()["estimate"], plan.json()["production"], plan.json()["dataset"]) == (0, version["id"], seeded)
    assert api.get("/v1/loops/runs", scopes=READ).json() == {"items": []}  # a plan records nothing
    r = api.post("/v1/loops/fewshot/runs", scopes=ADMIN, json={"workload": "math", "options": options})
    assert r.status_code == 200, r.text
    run = r.json()
    assert (run["loop"], run["workload"], run["status"], run["trigger"], run["error"]) == (
        "fewshot",
        "math",
        "succeeded",
        "manual",
        None,
    )
    (candidate,) = run["outputs"]["candidates"]
    made = api.get(f"/v1/policy-versions/{candidate}", scopes=READ).json()
    assert (made["parent"], made["created_by"], made["bank"]) == (
        version["id"],
        f"loop:{run['id']}",
        run["outputs"]["bank"],
    )
    assert api.get(f"/v1/loops/runs/{run['id']}", scopes=READ).json() == run
    assert api.get("/v1/loops/runs", scopes=READ, params={"loop": "fewshot", "workload": "math"}).json() == {
        "items": [run]
    }
    assert api.get("/v1/loops/runs", scopes=READ, params={"status": "failed"}).json() == {"items": []}
    (row,) = audit_log(store, "acme", action="loops.")
    assert (row["target"], row["details"]) == (
        run["id"],
        {"loop": "fewshot", "workload": "math", "status": "succeeded"},
    )


def test_loop_runs_refuse_bad_input_and_a_failed_run_is_recorded(api, seeded):
    for loop, body, status, field in (
        ("fewshot", {}, 422, "workload"),
        ("fewshot", {"workload": "math", "colour": "red"}, 422, "colour"),
        ("fewshot", {"workload": "math", "options": [1]}, 422, "options"),
        ("fewshot", {"workload": "math", "options": {"colour": "red"}}, 422, "colour"),
        ("distil", {"workload": "math"}, 422, "loop"),
        ("fewshot", {"workload": "nope"}, 404, "workload"),
    ):
        r = api.post(f"/v1/loops/{loop}/runs", scopes=ADMIN, json=body)
        assert (r.status_code, r.json().get("field")) == (status, field), (loop, body, r.text)
    assert api.get("/v1/loops/runs", scopes=READ).json() == {"items": []}  # refused before a row is written
    failed = api.post(
        "/v1/loops/fewshot/runs", scopes=ADMIN, json={"workload": "math", "options": {"embedder": "hashing"}}
    )
    assert failed.status_code < 500 and "no production version" in failed.json()["message"]
    (run,) = api.get("/v1/loops/runs", scopes=READ).json()["items"]
    assert (run["status"], failed.json()["details"]["run"]) == ("failed", run["id"])
    assert "no production version" in run["error"]
    for params, field in (({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"status": "done"}, "status")):
        assert api.get("/v1/loops/runs", scopes=READ, params=params).json()["field"] == field
    missing = api.get("/v1/loops/runs/lr_0000", scopes=READ)
    assert (missing.status_code, missing.json()["field"]) == (404, "run")


def test_failure_clusters_are_read_with_a_read_key(api, seeded):
    r = api.get("/v1/workloads/math/failures", scopes=READ, params={"embedder": "hashing", "min_failures": 3, **WINDOW})
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["workload"], report["traffic"], report["failures"], report["embedder"]) == (
        "math",
        40,
        20,
        "hashing",
    )
    assert sum(c["size"] for c in report["clusters"]) + report["unclustered"] == 20
    for params, status, field in (
        ({}, 409, "workload"),  # the default window (the last 7 days) holds none of the seeded failures
        ({"since": "nan"}, 422, "since"),
        ({"until": "inf"}, 422, "until"),
        ({"window_s": 0}, 422, "window_s"),
        ({"max_failures": 0}, 422, "max_failures"),
        ({"max_clusters": 0}, 422, "max_clusters"),
        ({"max_failures": 5001}, 422, "max_failures"),  # a read key cannot ask for a distance matrix of any size
        ({"min_failures": 10**20}, 422, "min_failures"),
        ({"min_failures": "many"}, 422, "min_failures"),
        ({"embedder": "word2vec"}, 422, "embedder"),
    ):
        got = api.get("/v1/workloads/math/failures", scopes=READ, params={"embedder": "hashing", **params})
        assert (got.status_code, got.json().get("field")) == (status, field), (params, got.text)
    missing = api.get("/v1/workloads/nope/failures", scopes=READ, params={"embedder": "hashing"})
    assert (missing.status_code, missing.json()["field"]) == (404, "workload")


def test_reads_need_a_read_key_and_writes_an_admin_key(api):
    for scopes in (READ, INGEST):
        assert api.post("/v1/banks", scopes=scopes, json={"workload": "math"}).status_code == 403
        assert api.post("/v1/loops/fewshot/runs", scopes=scopes, json={"workload": "math"}).status_code == 403
    for path in ("/v1/banks", "/v1/banks/bk_x", "/v1/loops/runs", "/v1/loops/runs/lr_x", "/v1/workloads/math/failures"):
        assert api.get(path, scopes=INGEST).status_code == 403, path
    assert api.post("/v1/loops/fewshot/plan", scopes=INGEST, json={"workload": "math"}).status_code == 403
    assert api.get("/v1/banks", scopes=READ).json() == {"items": []}
    assert api.get("/v1/loops/runs", scopes=READ).json() == {"items": []}


def test_the_openapi_document_states_what_the_routes_accept(api):
    doc = api.client.get("/openapi.json").json()
    for path in ("/v1/loops/{loop}/runs", "/v1/loops/{loop}/plan"):
        loop = doc["paths"][path]["post"]["parameters"][0]
        assert loop["schema"]["enum"] == ["fewshot", "finetune", "prompt", "retrieval", "reward"]
        body = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert (body["required"], body["additionalProperties"]) == (["workload"], False)
    build = doc["paths"]["/v1/banks"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert build["properties"]["min_quality"]["anyOf"][0] == {"type": "number", "minimum": 0, "maximum": 1}
    assert build["properties"]["embedder"]["anyOf"][0]["enum"] == ["hashing", "minilm-int8", "sentence-transformers"]
    params = {p["name"]: p["schema"] for p in doc["paths"]["/v1/workloads/{name}/failures"]["get"]["parameters"]}
    assert params["min_failures"]["anyOf"][0]["minimum"] == 3
    assert params["embedder"]["enum"] == ["hashing", "minilm-int8", "sentence-transformers"]
