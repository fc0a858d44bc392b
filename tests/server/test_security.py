from __future__ import annotations

import re

import orjson
import pytest
from fastapi.routing import APIRoute

from conftest import dump
from flyloop import audit_log, consent_of, pseudonym
from flyloop.store.engine import SCOPES

# Routes that take no API key, each for a stated reason.
PUBLIC = {
    ("GET", "/healthz"),  # liveness probes carry no secrets
    ("POST", "/v1/feedback"),
}  # authorized by a signed feedback token instead (tested below)


def required_scope(route: APIRoute) -> set[str] | None:
    """The scopes a route's key dependency accepts (read off the dependency's closure: one name,
    or a tuple of names where any of them will do)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        for cell in getattr(dep.call, "__closure__", None) or ():
            value = cell.cell_contents
            if isinstance(value, str) and value in SCOPES:
                return {value}
            if isinstance(value, tuple) and value and all(isinstance(v, str) and v in SCOPES for v in value):
                return set(value)
        stack.extend(dep.dependencies)
    return None


def endpoints(app):
    """(method, route, path) of every API route, inside included routers too."""

    def walk(routes, prefix):
        for route in routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods):
                    yield method, route, prefix + route.path
            elif hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)

    yield from walk(app.routes, "")


def call(client, method, route, headers):
    path = re.sub(r"\{([^}:]+)(:[^}]+)?\}", "x", route[1])
    return client.request(method, path, headers=headers, json={} if method in ("POST", "PUT", "PATCH") else None)


def test_every_route_checks_a_scope_and_refuses_missing_or_wrong_keys(api):
    checked = 0
    for method, route, path in endpoints(api.app):
        if (method, path) in PUBLIC:
            continue
        scope = required_scope(route)
        assert scope is not None, f"{method} {path} does not check an API key scope"
        for headers in ({}, {"Authorization": "Bearer fl_nope_nope"}, {"X-API-Key": "wrong"}):
            r = call(api.client, method, (route, path), headers)
            assert r.status_code == 401, (method, path, r.status_code, r.text)
        for held in SCOPES:
            if held == "admin":
                continue  # admin holds every scope
            r = call(api.client, method, (route, path), api.key("acme", held))
            if held not in scope:
                assert r.status_code == 403, (method, path, held, r.status_code)
            else:
                assert r.status_code not in (401, 403) and r.status_code < 500, (
                    method,
                    path,
                    held,
                    r.status_code,
                    r.text,
                )
        checked += 1
    assert checked >= 20


def test_an_ingest_key_reaches_only_the_capture_routes_and_the_policies_it_serves(api):
    # The app that logs also asks which policy to run: resolving one (and downloading its bank's
    # examples) is an ingest key's right, not a read key's.
    reached = {
        (method, path)
        for method, route, path in endpoints(api.app)
        if (method, path) not in PUBLIC
        and call(api.client, method, (route, path), api.key("acme", "ingest")).status_code not in (401, 403)
    }
    assert reached == {
        ("POST", "/v1/ingest"),
        ("PUT", "/v1/users/consent"),
        ("POST", "/v1/feedback-tokens"),
        ("GET", "/v1/policies/{workload}"),
        ("POST", "/v1/policies/{workload}/resolve"),
        ("GET", "/v1/banks/{bank_id}/download"),
        ("GET", "/v1/artifacts/{artifact_id}/download"),  # the adapter, head or reranker its version names
    }


def it(id, user="alice", **kw):
    return {"id": id, "workload": "support", "input": "q", "output": "a", "user_id": user, **kw}


def test_another_projects_key_reads_and_writes_only_its_own_project(api, store):
    assert api.post("/v1/ingest", json={"interactions": [it("i1")]}).status_code == 200
    b = "bravo"
    assert api.get("/v1/interactions/i1", project=b).status_code == 404
    assert api.get("/v1/interactions", project=b).json()["items"] == []
    assert api.get("/v1/interactions", project=b, params={"user_id": "alice"}).json()["items"] == []
    assert api.get("/v1/status", project=b).json()["counts"] == {"interactions": 0, "signals": 0, "outcomes": 0}
    # Writes naming acme's ids land in bravo, never in acme.
    api.post(
        "/v1/ingest",
        project=b,
        json={
            "interactions": [it("i1", output="bravo's")],
            "signals": [{"id": "s1", "interaction_id": "i1", "kind": "thumbs_down"}],
        },
    )
    assert (
        api.client.put(
            "/v1/users/consent", headers=api.key(b, "ingest"), json={"user_id": "alice", "state": "no_content"}
        ).status_code
        == 200
    )
    assert (
        api.post("/v1/users/erase", project=b, scopes=("admin",), json={"user_id": "alice"}).json()["interactions"] == 1
    )
    mine = store.get_interaction("acme", "i1")
    assert mine["output"] == "a" and [s["kind"] for s in mine["signals"] if s["source"] == "user"] == []
    assert consent_of(store, "acme", "alice")["default"] is True
    assert pseudonym(store, "acme", "alice") != pseudonym(store, b, "alice")
    # Tokens too: bravo's token for "i1" is a token for bravo's i1.
    token = api.post("/v1/feedback-tokens", project=b, json={"interaction_id": "i1"}).json()["token"]
    assert api.client.post("/v1/feedback", json={"token": token, "kind": "thumbs_up"}).status_code == 200
    assert [s for s in store.get_interaction("acme", "i1")["signals"] if s["source"] == "user"] == []


def test_the_store_layer_enforces_projects_too(capture, store):
    from flyloop import NotFound, erase_user

    capture.ingest("acme", {"interactions": [it("i1")]})
    with pytest.raises(NotFound):
        store.get_interaction("bravo", "i1")
    assert store.list_interactions("bravo")[0] == []
    assert erase_user(store, "bravo", "alice")["interactions"] == 0
    assert store.get_interaction("acme", "i1")["id"] == "i1"


def test_keys_are_stored_hashed_and_their_creation_is_audited(api, store):
    admin = api.key("acme", "admin")
    r = api.client.post("/v1/keys", headers=admin, json={"scopes": ["read"], "name": "dashboard"})
    secret, new_id = r.json()["secret"], r.json()["id"]
    assert secret not in dump(store) and admin["Authorization"][7:] not in dump(store)
    assert api.client.delete(f"/v1/keys/{new_id}", headers=admin).status_code == 200
    admin_id = store.find_key(admin["Authorization"][7:]).id
    rows = audit_log(store, "acme", action="keys.")
    assert [(r["action"], r["actor"], r["target"]) for r in rows] == [
        ("keys.revoke", f"key:{admin_id}", new_id),
        ("keys.create", f"key:{admin_id}", new_id),
    ]
    assert rows[1]["details"] == {"scopes": ["read"]}


def test_admin_actions_are_audited_through_the_api(api, store):
    admin = ("admin",)
    api.client.put("/v1/privacy/policy", headers=api.key("acme", *admin), json={"redaction": {"style": "mask"}})
    api.post("/v1/privacy/rotate-key", scopes=admin, json={"purpose": "pseudonym"})
    api.post("/v1/users/erase", scopes=admin, json={"user_id": "someone"})
    api.post("/v1/retention/apply", scopes=admin)
    got = api.get("/v1/audit", scopes=admin).json()["items"]
    assert [r["action"] for r in got] == ["retention.apply", "users.erase", "privacy.rotate_key", "privacy.set"]
    assert "someone" not in orjson.dumps(got).decode()
    assert (
        api.get("/v1/audit", scopes=admin, params={"action": "privacy."}).json()["items"][0]["action"]
        == "privacy.rotate_key"
    )
    assert api.get("/v1/audit", scopes=("read",)).status_code == 403


# --- feedback tokens --------------------------------------------------------------------------


def token_for(api, interaction_id="i1", project="acme", **body):
    r = api.post(
        "/v1/feedback-tokens", project=project, scopes=("ingest",), json={"interaction_id": interaction_id, **body}
    )
    assert r.status_code == 200, r.text
    return r.json()["token"]


def test_send_beacon_bodies_work_and_broken_ones_are_4xx(api, store):
    api.post("/v1/ingest", json={"interactions": [it("i1")]})
    token = token_for(api)
    r = api.client.post(
        "/v1/feedback",
        content=orjson.dumps({"token": token, "kind": "copy"}),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
    )
    assert r.status_code == 200
    assert api.client.post("/v1/feedback", content=b"{oops").status_code == 400
    assert api.client.post("/v1/feedback", json=["x"]).status_code == 422
    assert api.client.post("/v1/feedback", json={"token": token, "kind": "copy", "id": "mine"}).json()["field"] == "id"


def test_an_oversized_feedback_body_is_413(api):
    r = api.client.post("/v1/feedback", content=b"x" * 200_000)
    assert r.status_code == 413 and r.json()["field"] == "body"
