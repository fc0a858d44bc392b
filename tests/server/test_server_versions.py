"""The versions routes (flyloop.server.versions): scopes, the gate's 409 naming ``gate``, bodies
that name the unknown or wrong field, audit rows, and what the OpenAPI document says."""

from __future__ import annotations

from flyloop.privacy import audit_log
from flyloop.registry import production
from promotion_fixtures import P, evaluated, versions

ADMIN, READ = ("admin",), ("read",)


def test_promotion_under_the_gate_rollback_and_taint_over_http(api, store):
    a, b = versions(store, "A", "B")
    r = api.post(f"/v1/versions/{a.id}/promote", scopes=ADMIN, json={"reason": "launch"})
    assert r.status_code == 200, r.text
    assert (r.json()["version_id"], r.json()["previous"], r.json()["reason"]) == (a.id, None, "launch")
    r = api.post(f"/v1/versions/{b.id}/promote", scopes=ADMIN, json={})
    assert (r.status_code, r.json()["error"], r.json()["field"]) == (409, "Conflict", "gate")
    assert r.json()["message"].startswith(f"no evaluation of {b.id} against production {a.id}")
    evaluated(store, b.id, a.id, False, summary="accuracy -2.0 points: FAIL")
    r = api.post(f"/v1/versions/{b.id}/promote", scopes=ADMIN, json={"force": True})
    assert (r.status_code, r.json()["field"]) == (422, "reason")
    r = api.post(
        f"/v1/versions/{b.id}/promote", scopes=ADMIN, json={"force": True, "reason": "hotfix", "workload": "reply"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["gate"]["forced"] is True and r.json()["gate"]["summary"] == "accuracy -2.0 points: FAIL"
    assert production(store, P, "reply") == b
    listed = api.get("/v1/versions", scopes=READ, params={"workload": "reply", "stage": "archived"}).json()
    assert [(e["version"]["id"], e["stage"], e["taint"]) for e in listed["items"]] == [(a.id, "archived", None)]
    r = api.post("/v1/versions/rollback", scopes=ADMIN, json={"workload": "reply", "reason": "worse"})
    assert r.status_code == 200, r.text
    assert (r.json()["version_id"], r.json()["previous"]) == (a.id, b.id)
    r = api.post(f"/v1/versions/{b.id}/taint", scopes=ADMIN, json={"reason": "a leaked ticket"})
    assert r.json() == {"version": b.id, "taint": "a leaked ticket"}
    tainted = api.get("/v1/versions", scopes=READ, params={"tainted": "true"}).json()["items"]
    assert [(e["version"]["id"], e["taint"]) for e in tainted] == [(b.id, "a leaked ticket")]
    shown = api.get(f"/v1/versions/{b.id}", scopes=READ).json()
    assert (shown["stage"], shown["taint"], [m["stage"] for m in shown["moves"]]) == (
        "archived",
        "a leaked ticket",
        ["production", "production", "archived"],
    )
    diff = api.get(f"/v1/versions/{a.id}/diff/{b.id}", scopes=READ).json()
    assert (
        diff["prompt"]["system_prompt"] == f"--- {a.id}/system_prompt\n+++ {b.id}/system_prompt\n@@ -1 +1 @@\n-A\n+B\n"
    )
    moves = api.get("/v1/stage-history", scopes=READ, params={"version": b.id, "stage": "production"}).json()["items"]
    assert [m["version_id"] for m in moves] == [b.id, a.id]
    rows = audit_log(store, P, action="versions.")
    assert [(r["action"], r["actor"].startswith("key:"), r["target"]) for r in rows] == [
        ("versions.taint", True, b.id),
        ("versions.rollback", True, a.id),
        ("versions.promote", True, b.id),
        ("versions.promote", True, a.id),
    ]
    assert rows[2]["details"] == {"workload": "reply", "previous": a.id, "reason": "hotfix", "forced": True}


def test_scopes_and_bad_bodies_name_the_field_and_change_nothing(api, store):
    (a,) = versions(store, "A")
    for path, body in (
        (f"/v1/versions/{a.id}/promote", {}),
        ("/v1/versions/rollback", {"workload": "reply"}),
        (f"/v1/versions/{a.id}/taint", {"reason": "x"}),
    ):
        assert api.post(path, scopes=READ, json=body).status_code == 403
    assert api.get("/v1/versions", scopes=("ingest",)).status_code == 403
    cases = [
        (f"/v1/versions/{a.id}/promote", {"force": "yes"}, 422, "force"),
        (f"/v1/versions/{a.id}/promote", {"by": "me"}, 422, "by"),
        (f"/v1/versions/{a.id}/promote", {"reason": 3}, 422, "reason"),
        ("/v1/versions/pv_nope/promote", {}, 404, "version"),
        ("/v1/versions/rollback", {}, 422, "workload"),
        ("/v1/versions/rollback", {"workload": "nope"}, 404, "workload"),
        ("/v1/versions/rollback", {"workload": "reply"}, 404, "workload"),
        (f"/v1/versions/{a.id}/taint", {}, 422, "reason"),
    ]
    for path, body, status, field in cases:
        r = api.post(path, scopes=ADMIN, json=body)
        assert (r.status_code, r.json().get("field")) == (status, field), (path, body, r.text)
    for path, params, status, field in (
        ("/v1/versions", {"stage": "live"}, 422, "stage"),
        ("/v1/versions/pv_nope", {}, 404, "version"),
        (f"/v1/versions/{a.id}/diff/pv_nope", {}, 404, "version"),
    ):
        r = api.get(path, scopes=READ, params=params)
        assert (r.status_code, r.json().get("field")) == (status, field), (path, r.text)
    assert production(store, P, "reply") is None
    assert api.get("/v1/stage-history", scopes=READ).json() == {"items": []}
    assert audit_log(store, P, action="versions.") == []


def test_the_openapi_document_states_the_bodies(api):
    paths = api.client.get("/openapi.json").json()["paths"]
    promote = paths["/v1/versions/{version_id}/promote"]["post"]["requestBody"]["content"]["application/json"]
    assert sorted(promote["schema"]["properties"]) == ["force", "reason", "workload"]
    assert promote["schema"]["additionalProperties"] is False
    rollback = paths["/v1/versions/rollback"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert rollback["required"] == ["workload"]
    stage = next(p for p in paths["/v1/versions"]["get"]["parameters"] if p["name"] == "stage")
    assert stage["schema"]["enum"] == ["candidate", "canary", "production", "archived"]
