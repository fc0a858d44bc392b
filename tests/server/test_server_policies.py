"""HTTP routes that serve policies (flyloop.server.policies): the resolved version with its ETag
and 304s, the resolve route's messages and example ids, the bank download, scopes, and every bad
input a 4xx naming its field."""

from __future__ import annotations

import io

import numpy as np
import orjson
import pytest

from conftest import PROJECT as P
from conftest import Api, seed
from flyloop import datasets, labels, registry
from flyloop.capture import declare_workload
from flyloop.improve import build_bank
from flyloop.improve.bank import LOADED
from flyloop.rollout import open_bank

SPEC = {
    "workload": "math",
    "model": "some-model",
    "system_prompt": "Answer with the sum.",
    "template": "{{ input }} ({{ tone }})",
    "variables": ["tone"],
    "k": 2,
}


@pytest.fixture
def api(store, settings):
    """The app in process, reading the registry on every request: a stage move shows at once
    (the server's short cache has its own test)."""
    settings.policy_server_cache_s = 0.0
    return Api(store, settings)


@pytest.fixture
def served(store, capture, settings):
    """The seeded project with a bank of its 21 train examples and a production version using it."""
    # Banks loaded by earlier tests on a reused store (PostgreSQL's) would be served from memory
    # under the same content-hashed id: this test builds its own.
    LOADED.pop(store, None)
    seed(capture)
    labels.catch_up(store, P, settings=settings)
    datasets.build(store, P, "math", {"workloads": ["math"]})
    bank = build_bank(store, P, "math", embedder="hashing", min_examples=1, index="exact", settings=settings)
    version = registry.register(store, P, {**SPEC, "bank": bank.id})
    registry.set_production(store, P, "math", version.id)
    return version, bank


def test_the_policy_route_answers_the_version_with_an_etag_and_304s_a_match(api, served):
    version, bank = served
    r = api.get("/v1/policies/math", scopes=("ingest",), params={"user_id": "u-1"})
    assert r.status_code == 200, r.text
    etag = f'"{version.id}.{bank.id}.0"'
    assert (r.headers["etag"], r.headers["cache-control"]) == (etag, "no-cache")
    body = r.json()
    assert body == {
        "workload": "math",
        "reason": "production",
        "etag": etag,
        "version": version.model_dump(mode="json"),
        "bank": {"id": bank.id, "embedder": "hashing", "dimension": 384, "size": 21, "removed": 0},
    }
    again = api.client.get("/v1/policies/math", headers={**api.key(P, "ingest"), "If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        hit = api.client.get("/v1/policies/math", headers={**api.key(P, "ingest"), "If-None-Match": header})
        assert hit.status_code == 304, header
    stale = api.client.get("/v1/policies/math", headers={**api.key(P, "ingest"), "If-None-Match": '"pv_old"'})
    assert stale.status_code == 200 and stale.json()["version"]["id"] == version.id


def test_a_new_production_version_changes_the_etag(api, store, served):
    version, _ = served
    plain = registry.register(store, P, {"workload": "math", "system_prompt": "Be brief."})
    registry.set_production(store, P, "math", plain.id)
    r = api.client.get("/v1/policies/math", headers={**api.key(P, "ingest"), "If-None-Match": f'"{version.id}"'})
    assert (r.status_code, r.headers["etag"], r.json()["bank"]) == (200, f'"{plain.id}"', None)


def test_unknown_workloads_and_workloads_without_production_are_404_naming_the_workload(api, store, served):
    r = api.get("/v1/policies/nope", scopes=("ingest",))
    assert r.status_code == 404
    assert r.json() == {
        "error": "NotFound",
        "message": "unknown workload 'nope': nothing declared or logged it in this project",
        "field": "workload",
    }
    declare_workload(store, P, "triage")
    r = api.get("/v1/policies/triage", scopes=("ingest",))
    assert (r.status_code, r.json()["field"]) == (404, "workload")
    assert "has no production version" in r.json()["message"]
    r = api.post("/v1/policies/nope/resolve", scopes=("ingest",), json={"input": "hi"})
    assert (r.status_code, r.json()["field"]) == (404, "workload")


def test_the_resolve_route_answers_the_messages_and_the_example_ids(api, served):
    version, _ = served
    r = api.post(
        "/v1/policies/math/resolve",
        scopes=("ingest",),
        json={"input": "What is 3 + 10?", "user_id": "u-1", "variables": {"tone": "warm"}},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["workload"], body["reason"], body["version"]["id"]) == ("math", "production", version.id)
    assert body["messages"] == [
        {"role": "system", "content": "Answer with the sum."},
        {"role": "user", "content": "What is 3 + 10? (warm)"},
        {"role": "assistant", "content": "The answer is 13."},
        {"role": "user", "content": "What is 4 + 10? (warm)"},
        {"role": "assistant", "content": "The answer is 14."},
        {"role": "user", "content": "What is 3 + 10? (warm)"},
    ]
    assert [e["interaction_id"] for e in body["examples"]] == ["g3", "g4"]
    assert body["example_ids"] == [e["id"] for e in body["examples"]]
    assert set(body["examples"][0]) == {"id", "interaction_id", "input", "output", "label", "quality", "score"}
    none = api.post(
        "/v1/policies/math/resolve", scopes=("ingest",), json={"input": "x", "variables": {"tone": "a"}, "k": 0}
    )
    assert (none.json()["example_ids"], len(none.json()["messages"])) == ([], 2)


def test_the_resolve_route_renders_an_asked_version_of_the_workload(api, store, served):
    version, _ = served
    plain = registry.register(store, P, {"workload": "math", "system_prompt": "Be brief."})
    r = api.post("/v1/policies/math/resolve", scopes=("ingest",), json={"input": "2 + 2?", "version": plain.id})
    assert r.json()["reason"] == "asked"
    assert r.json()["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2 + 2?"}]
    declare_workload(store, P, "other")
    elsewhere = registry.register(store, P, {"workload": "other"})
    r = api.post("/v1/policies/math/resolve", scopes=("ingest",), json={"input": "2 + 2?", "version": elsewhere.id})
    assert (r.status_code, r.json()["field"]) == (404, "version")
    r = api.post("/v1/policies/math/resolve", scopes=("ingest",), json={"input": "2 + 2?", "version": "pv_nope"})
    assert (r.status_code, r.json()["field"]) == (404, "version")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "input"),
        ({"input": 3, "variables": {"tone": "a"}}, 422, "input"),
        ({"input": [{"role": "user"}], "variables": {"tone": "a"}}, 422, "input[0]"),
        ({"input": "q"}, 422, "variables.tone"),
        ({"input": "q", "variables": ["warm"]}, 422, "variables"),
        ({"input": "q", "variables": {"tone": "a", "mood": "b"}}, 422, "variables.mood"),
        ({"input": "q", "variables": {"tone": "a"}, "k": 51}, 422, "k"),
        ({"input": "q", "variables": {"tone": "a"}, "k": -1}, 422, "k"),
        ({"input": "q", "variables": {"tone": "a"}, "k": "2"}, 422, "k"),
        ({"input": "q", "variables": {"tone": "a"}, "user_id": 5}, 422, "user_id"),
        ({"input": "q", "variables": {"tone": "a"}, "version": ""}, 422, "version"),
        ({"input": "q", "temperature": 2}, 422, "temperature"),
    ],
)
def test_bad_resolve_requests_are_4xx_naming_the_field(api, served, body, status, field):
    r = api.post("/v1/policies/math/resolve", scopes=("ingest",), json=body)
    assert (r.status_code, r.json().get("field")) == (status, field), r.text


def test_a_body_that_is_not_an_object_is_refused(api, served):
    r = api.post("/v1/policies/math/resolve", scopes=("ingest",), json=["q"])
    assert r.status_code == 422


def test_the_bank_download_is_the_banks_live_examples_and_vectors(api, served, settings):
    _, bank = served
    r = api.get(f"/v1/banks/{bank.id}/download", scopes=("ingest",))
    assert r.status_code == 200
    assert (r.headers["etag"], r.headers["x-flyloop-bank-revision"]) == (f'"{bank.id}.0"', f"{bank.id}.0")
    with np.load(io.BytesIO(r.content), allow_pickle=False) as found:
        assert found["vectors"].shape == (21, 384) and found["vectors"].dtype == np.float32
        head = orjson.loads(found["examples"].tobytes())
    assert head["bank"]["id"] == bank.id and len(head["rows"]) == 21
    copy = open_bank(r.content, settings)
    assert [e.interaction_id for e in copy.search("What is 3 + 10?", 2)] == ["g3", "g4"]
    again = api.client.get(
        f"/v1/banks/{bank.id}/download", headers={**api.key(P, "ingest"), "If-None-Match": r.headers["etag"]}
    )
    assert (again.status_code, again.content) == (304, b"")
    missing = api.get("/v1/banks/bk_nope/download", scopes=("ingest",))
    assert (missing.status_code, missing.json()["field"]) == (404, "bank")


def test_the_routes_take_an_app_key_and_stay_in_its_project(api, served):
    _, bank = served
    paths = [("GET", "/v1/policies/math"), ("GET", f"/v1/banks/{bank.id}/download")]
    for method, path in paths:
        assert api.client.request(method, path).status_code == 401
        assert api.client.request(method, path, headers=api.key(P, "read")).status_code == 403
        assert api.client.request(method, path, headers=api.key(P, "ingest")).status_code == 200
        assert api.client.request(method, path, headers=api.key(P, "admin")).status_code == 200
        # another project's key finds nothing of this one
        assert api.client.request(method, path, headers=api.key("bravo", "ingest")).status_code == 404
    resolve = api.client.post(
        "/v1/policies/math/resolve", headers=api.key(P, "read"), json={"input": "q", "variables": {"tone": "a"}}
    )
    assert resolve.status_code == 403


def test_the_server_reuses_a_resolution_for_its_cache_time(store, settings, served):
    version, _ = served
    settings.policy_server_cache_s = 60.0
    cached = Api(store, settings)
    assert cached.get("/v1/policies/math", scopes=("ingest",)).json()["version"]["id"] == version.id
    plain = registry.register(store, P, {"workload": "math", "system_prompt": "Be brief."})
    registry.set_production(store, P, "math", plain.id)
    assert cached.get("/v1/policies/math", scopes=("ingest",)).json()["version"]["id"] == version.id
    assert cached.get("/v1/policies/math", scopes=("ingest",), params={"user_id": ""}).status_code == 422
    settings.policy_server_cache_s = 0.0
    assert Api(store, settings).get("/v1/policies/math", scopes=("ingest",)).json()["version"]["id"] == plain.id
