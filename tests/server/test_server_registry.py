"""The registry's routes (flyloop.server.registry): workloads and policy versions over HTTP, their
scopes, their 404s and 422s naming the field, the audit rows, and the OpenAPI bodies."""

from __future__ import annotations

import re

import pytest

from flyloop import audit_log

URL = "http://127.0.0.1:9/v1"
ADMIN, READ, INGEST = ("admin",), ("read",), ("ingest",)


def spec(**kw) -> dict:
    return {"workload": "triage", "model": "gpt-test", "params": {"base_url": URL}, **kw}


@pytest.fixture
def triage(api) -> dict:
    """A declared choice workload, through the API."""
    r = api.post("/v1/workloads", scopes=ADMIN, json={"name": "triage", "type": "choice", "labels": ["bug", "billing"]})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_workload_is_declared_read_and_counted(api, store, triage):
    assert {k: triage[k] for k in ("name", "type", "labels", "description", "declared")} == {
        "name": "triage",
        "type": "choice",
        "labels": ["bug", "billing"],
        "description": "",
        "declared": True,
    }
    assert api.get("/v1/workloads/triage", scopes=READ).json() == triage
    assert api.get("/v1/workloads", scopes=READ).json() == {"items": [triage]}
    api.post("/v1/ingest", json={"interactions": [{"id": "i1", "workload": "triage", "input": "x", "output": "spam"}]})
    assert api.get("/v1/workloads/triage/stats", scopes=READ).json() == {
        "workload": "triage",
        "type": "choice",
        "interactions": 1,
        "outside_label_set": 1,
    }
    (row,) = audit_log(store, "acme", action="workloads.")
    assert (row["action"], row["target"], row["details"]) == (
        "workloads.declare",
        "triage",
        {"type": "choice", "labels": ["bug", "billing"]},
    )


def test_a_version_is_registered_promoted_and_read_with_its_history(api, store, triage):
    r = api.post("/v1/policy-versions", scopes=ADMIN, json={**spec(system_prompt="One label."), "note": "v1"})
    assert r.status_code == 200, r.text
    version = r.json()
    key_id = store.list_keys("acme")[-1]["id"]
    assert (version["workload"], version["system_prompt"], version["created_by"], version["note"]) == (
        "triage",
        "One label.",
        f"key:{key_id}",
        "v1",
    )
    assert api.get(f"/v1/policy-versions/{version['id']}", scopes=READ).json() == version
    assert api.get("/v1/policy-versions", scopes=READ, params={"workload": "triage"}).json() == {"items": [version]}
    assert api.get("/v1/policy-versions", scopes=READ, params={"workload": "other"}).json() == {"items": []}
    none = api.get("/v1/workloads/triage/production", scopes=READ).json()
    assert none == {"workload": "triage", "version": None}
    moved = api.client.put(
        "/v1/workloads/triage/production",
        headers=api.key("acme", *ADMIN),
        json={"version": version["id"], "reason": "launch"},
    )
    assert moved.status_code == 200, moved.text
    move = moved.json()
    assert (move["workload"], move["stage"], move["version_id"], move["previous"], move["by"], move["reason"]) == (
        "triage",
        "production",
        version["id"],
        None,
        f"key:{key_id}",
        "launch",
    )
    assert api.get("/v1/workloads/triage/production", scopes=READ).json() == {"workload": "triage", "version": version}
    assert api.get("/v1/stage-history", scopes=READ).json() == {"items": [move]}
    unknown = api.get("/v1/stage-history", scopes=READ, params={"workload": "other"})
    assert (unknown.status_code, unknown.json()["field"]) == (404, "workload")  # not an empty list
    assert [r["action"] for r in audit_log(store, "acme", action="policies.")] == [
        "policies.promote",
        "policies.register",
    ]


def test_reads_need_a_read_key_and_writes_an_admin_key(api, triage):
    version = api.post("/v1/policy-versions", scopes=ADMIN, json=spec()).json()
    put = api.client.put
    for scopes in (READ, INGEST):
        headers = api.key("acme", *scopes)
        assert api.post("/v1/workloads", scopes=scopes, json={"name": "x"}).status_code == 403
        assert api.post("/v1/policy-versions", scopes=scopes, json=spec(system_prompt="b")).status_code == 403
        assert (
            put("/v1/workloads/triage/production", headers=headers, json={"version": version["id"]}).status_code == 403
        )
    for path in (
        "/v1/workloads",
        "/v1/workloads/triage",
        "/v1/workloads/triage/stats",
        "/v1/policy-versions",
        f"/v1/policy-versions/{version['id']}",
        "/v1/workloads/triage/production",
        "/v1/stage-history",
    ):
        assert api.get(path, scopes=INGEST).status_code == 403, path
        assert api.get(path, scopes=READ).status_code == 200, path
    assert api.get("/v1/policy-versions", scopes=READ).json()["items"] == [version]  # nothing else registered
    # another project's key sees none of it
    assert api.get("/v1/workloads/triage", project="bravo", scopes=READ).status_code == 404
    assert api.get(f"/v1/policy-versions/{version['id']}", project="bravo", scopes=READ).status_code == 404


def test_unknown_workloads_and_versions_are_404_naming_the_field(api, triage):
    put = api.client.put
    headers = api.key("acme", *ADMIN)
    for r, field in (
        (api.get("/v1/workloads/nope", scopes=READ), "workload"),
        (api.get("/v1/workloads/nope/stats", scopes=READ), "workload"),
        (api.get("/v1/workloads/nope/production", scopes=READ), "workload"),
        (api.get("/v1/policy-versions/pv_0000000000000000", scopes=READ), "version"),
        (put("/v1/workloads/nope/production", headers=headers, json={"version": "pv_0"}), "workload"),
        (put("/v1/workloads/triage/production", headers=headers, json={"version": "pv_0"}), "version"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json=spec(workload="nope")), "workload"),
    ):
        assert (r.status_code, r.json()["error"], r.json().get("field")) == (404, "NotFound", field), r.text


def test_bad_bodies_are_422_naming_the_field_and_register_nothing(api, triage, tmp_path):
    put = api.client.put
    headers = api.key("acme", *ADMIN)
    for r, field in (
        (api.post("/v1/workloads", scopes=ADMIN, json={}), "name"),
        (api.post("/v1/workloads", scopes=ADMIN, json={"name": "t", "colour": "red"}), "colour"),
        (api.post("/v1/workloads", scopes=ADMIN, json={"name": 5}), "name"),
        (api.post("/v1/workloads", scopes=ADMIN, json={"name": "t", "type": "choice", "labels": "ab"}), "labels"),
        (api.post("/v1/workloads", scopes=ADMIN, json={"name": "t", "type": "choice", "labels": ["a"]}), "labels"),
        (api.post("/v1/workloads", scopes=ADMIN, json={"name": "t", "type": ["choice"]}), "type"),
        (api.post("/v1/workloads", scopes=ADMIN, json={"name": "t", "description": None, "labels": [1]}), "labels"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json={}), "workload"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json=spec(colour="red")), "colour"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json=spec(k="three")), "k"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json=spec(template="{{ input }} {{ tone }}")), "template"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json=spec(backend="carrier-pigeon")), "backend"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json={**spec(), "parent": 5}), "parent"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json={**spec(), "note": ["a"]}), "note"),
        (api.post("/v1/policy-versions", scopes=ADMIN, json=spec(selector="balanced", workload="chat")), "workload"),
        (put("/v1/workloads/triage/production", headers=headers, json={}), "version"),
        (put("/v1/workloads/triage/production", headers=headers, json={"version": "v", "why": "x"}), "why"),
        (put("/v1/workloads/triage/production", headers=headers, json={"version": ["v"]}), "version"),
        (api.get("/v1/policy-versions", scopes=READ, params={"workload": ""}), "workload"),
        # A body that is not an object at all is named as the body.
        (api.post("/v1/policy-versions", scopes=ADMIN, json=[1, 2]), "body"),
        (api.post("/v1/workloads", scopes=ADMIN, json="triage"), "body"),
        (api.post("/v1/banks", scopes=ADMIN, json=[]), "body"),
        (api.post("/v1/loops/fewshot/runs", scopes=ADMIN, json=3), "body"),
    ):
        assert r.status_code in (404, 422) and r.json().get("field") == field, (field, r.status_code, r.text)
    assert api.get("/v1/policy-versions", scopes=READ).json() == {"items": []}
    assert [w["name"] for w in api.get("/v1/workloads", scopes=READ).json()["items"]] == ["triage"]


def test_a_model_folder_that_is_not_there_is_a_422_naming_the_model_and_its_path(api, triage, tmp_path):
    pytest.importorskip("transformers")
    gone = tmp_path / "gone"
    r = api.post("/v1/policy-versions", scopes=ADMIN, json=spec(backend="transformers", model=str(gone), params={}))
    body = r.json()
    assert (r.status_code, body["error"], body["field"]) == (422, "ValidationError", "model")
    assert body["details"] == {"model": str(gone), "path": str(gone.resolve())}
    assert api.get("/v1/policy-versions", scopes=READ).json() == {"items": []}


def test_the_openapi_document_states_the_bodies(api):
    doc = api.client.get("/openapi.json").json()

    def body(method: str, path: str) -> dict:
        return doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]

    declare = body("post", "/v1/workloads")
    assert (declare["required"], declare["additionalProperties"]) == (["name"], False)
    assert declare["properties"]["type"] == {"anyOf": [{"enum": ["generation", "choice"]}, {"type": "null"}]}
    assert declare["properties"]["name"]["maxLength"] == 200
    # the name's rule, as capture checks it: no '/', no control character, not only whitespace
    (name,) = [p for p in doc["paths"]["/v1/workloads/{name}"]["get"]["parameters"] if p["name"] == "name"]
    pattern = re.compile(name["schema"]["pattern"])
    assert [bool(pattern.fullmatch(n)) for n in ("triage", "a b", " x ", "a/b", "a\x07b", " ", "\u3000")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    register = body("post", "/v1/policy-versions")
    assert register["required"] == ["workload"] and register["additionalProperties"] is False
    assert {"model", "template", "params", "parent", "note"} <= set(register["properties"])
    (choice,) = declare["allOf"]
    assert choice["then"]["properties"]["labels"]["minItems"] == 2
    promote = body("put", "/v1/workloads/{name}/production")
    assert (promote["required"], sorted(promote["properties"])) == (["version"], ["force", "reason", "version"])
