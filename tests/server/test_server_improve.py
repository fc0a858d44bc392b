"""The improvement routes (flyloop.server.improve): banks, loop runs and failure clusters over HTTP,
their scopes, their 404s and 422s naming the field, and the audit rows, on a seeded project whose
"math" workload has good and corrected answers."""

from __future__ import annotations

import time

import pytest

from conftest import T0, eventually, seed
from flyloop import audit_log, datasets, labels
from flyloop.improve import get_run

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


# --- training loops: in the background, cancelled, their options ------------------------------------


def wait_for(api, run_id: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        found = api.get(f"/v1/loops/runs/{run_id}", scopes=READ).json()
        if found["status"] != "running" or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture
def count_loop():
    """A loop registered for the test: ``steps`` steps reporting progress and looking for a cancel
    request between them; with ``hold``, it goes on until cancelled (30 s at most)."""
    from flyloop.improve import Loop, Trigger, register_loop, runs

    def body(ctx):
        total = ctx.options.get("steps", 3)
        for step in range(1, total + 1):
            ctx.check_cancelled()
            ctx.progress(step, total, loss=round(1 / step, 4))
        deadline = time.monotonic() + 30
        while ctx.options.get("hold") and time.monotonic() < deadline:
            ctx.check_cancelled()
            time.sleep(0.02)
        ctx.outputs["candidates"] = []

    register_loop(
        Loop(
            name="count",
            run=body,
            trigger=lambda *_: Trigger(True, "always", {}),
            every_s=lambda _settings: 0,
            options={"steps": (int, "a whole number"), "hold": (bool, "true or false")},
            plan=lambda ctx: {"estimate": 0},
        )
    )
    yield "count"
    runs._LOOPS.pop("count", None)


def test_a_training_loop_runs_in_the_background_and_its_end_is_read_on_the_record(api, store, seeded):
    started = api.post(
        "/v1/loops/finetune/runs",
        scopes=ADMIN,
        json={"workload": "math", "options": {"min_pairs": 50, "base_model": "smollm2"}},
    )
    assert started.status_code == 202, started.text
    run = started.json()
    assert (run["loop"], run["workload"], run["status"], run["finished_at"]) == ("finetune", "math", "running", None)
    ended = wait_for(api, run["id"])
    # The seeded project's version holds 21 SFT rows of math to train on: the body refuses before
    # loading any model.
    short = (
        f"not enough data: 21 of 50 sft examples of workload 'math' in dataset version {seeded[:12]}'s train split"
        f"; curation held back 10 low confidence, labels waiting for more evidence or a trusted rater "
        f"(the version's verdicts: flyloop datasets show {seeded[:12]} --json)"
    )
    assert (ended["status"], ended["error"]) == ("failed", f"dataset: {short}")
    (row,) = audit_log(store, "acme", action="loops.")
    assert (row["target"], row["details"]) == (run["id"], {"loop": "finetune", "workload": "math", "status": "running"})
    # Asked to wait, the same refusal is the answer: a 409 naming the dataset, the run recorded.
    waited = api.post(
        "/v1/loops/finetune/runs",
        scopes=ADMIN,
        params={"wait": "true"},
        json={"workload": "math", "options": {"min_pairs": 50, "base_model": "smollm2"}},
    )
    assert (waited.status_code, waited.json()["field"], waited.json()["message"]) == (
        409,
        "dataset",
        short,
    )
    assert waited.json()["details"]["run"] != run["id"]
    statuses = [
        r["status"] for r in api.get("/v1/loops/runs", scopes=READ, params={"loop": "finetune"}).json()["items"]
    ]
    assert statuses == ["failed", "failed"]


def test_training_options_are_checked_before_any_record(api, seeded):
    for options, field in (
        ({"steps": 0}, "steps"),
        ({"steps": "ten"}, "steps"),
        ({"learning_rate": -1}, "learning_rate"),
        ({"rank": True}, "rank"),
        ({"setfit": "yes"}, "setfit"),
        ({"colour": "red"}, "colour"),
    ):
        r = api.post("/v1/loops/finetune/runs", scopes=ADMIN, json={"workload": "math", "options": options})
        assert (r.status_code, r.json().get("field")) == (422, field), (options, r.text)
    bad_wait = api.post("/v1/loops/finetune/runs", scopes=ADMIN, params={"wait": "maybe"}, json={"workload": "math"})
    assert (bad_wait.status_code, bad_wait.json()["field"]) == (422, "wait")
    assert api.get("/v1/loops/runs", scopes=READ).json() == {"items": []}


def test_a_background_run_shows_its_progress_and_is_cancelled(api, store, seeded, count_loop):
    done = api.post("/v1/loops/count/runs", scopes=ADMIN, params={"wait": "false"}, json={"workload": "math"})
    assert done.status_code == 202, done.text
    finished = wait_for(api, done.json()["id"])
    assert (finished["status"], finished["details"]["progress"]) == (
        "succeeded",
        {"done": 3, "total": 3, "loss": 0.3333},
    )

    held = api.post(
        "/v1/loops/count/runs",
        scopes=ADMIN,
        params={"wait": "false"},
        json={"workload": "math", "options": {"hold": True}},
    ).json()
    asked = api.post(f"/v1/loops/runs/{held['id']}/cancel", scopes=ADMIN)
    assert asked.status_code == 200, asked.text
    assert asked.json()["cancel_requested_at"] is not None
    ended = wait_for(api, held["id"])
    assert (ended["status"], ended["error"]) == ("cancelled", f"loop run {held['id']} was cancelled on request")
    assert api.get("/v1/loops/runs", scopes=READ, params={"status": "cancelled"}).json()["items"] == [ended]
    again = api.post(f"/v1/loops/runs/{held['id']}/cancel", scopes=ADMIN)
    assert (again.status_code, again.json()["field"]) == (409, "run")
    assert again.json()["message"] == f"loop run {held['id']} is cancelled, not running: nothing to cancel"
    missing = api.post("/v1/loops/runs/lr_0000/cancel", scopes=ADMIN)
    assert (missing.status_code, missing.json()["field"]) == (404, "run")
    assert api.post(f"/v1/loops/runs/{held['id']}/cancel", scopes=READ).status_code == 403
    actions = [r["action"] for r in audit_log(store, "acme", action="loops.")]
    assert sorted(actions) == ["loops.cancel", "loops.run", "loops.run"]


def test_stopping_the_server_cancels_its_background_runs(api, store, seeded, count_loop):
    """``flyloop serve`` stopped (SIGTERM, Ctrl-C) while a training run went on in one of its
    threads: the thread died with the process and the record said ``running`` for ever. Now the
    server's shutdown asks the run to cancel and waits for it to end so."""
    from fastapi.testclient import TestClient

    with TestClient(api.app) as client:  # the app's lifespan runs: its shutdown at the end
        held = client.post(
            "/v1/loops/count/runs",
            headers=api.key("acme", *ADMIN),
            params={"wait": "false"},
            json={"workload": "math", "options": {"hold": True}},
        ).json()
        assert eventually(lambda: get_run(store, "acme", held["id"]).details.get("progress"))
        assert get_run(store, "acme", held["id"]).status == "running"
    ended = get_run(store, "acme", held["id"])
    assert (ended.status, ended.error) == ("cancelled", f"loop run {held['id']} was cancelled on request")


def test_the_openapi_document_types_each_loops_options(api):
    doc = api.client.get("/openapi.json").json()
    body = doc["paths"]["/v1/loops/{loop}/runs"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    options = body["properties"]["options"]
    typed = options["anyOf"][0]["properties"]
    assert options["anyOf"][0]["additionalProperties"] is False
    assert (typed["steps"]["type"], typed["learning_rate"]["type"], typed["setfit"]["type"]) == (
        "integer",
        "number",
        "boolean",
    )
    assert typed["target_modules"]["type"] == ["array", "string"]
    assert "reflection" not in typed  # a model backend object: the library's only
    assert "finetune: alpha, base_model, batch_size, beta, c, dataset" in options["description"]
    wait = [p for p in doc["paths"]["/v1/loops/{loop}/runs"]["post"]["parameters"] if p["name"] == "wait"]
    assert wait[0]["in"] == "query" and "202" in doc["paths"]["/v1/loops/{loop}/runs"]["post"]["responses"]
