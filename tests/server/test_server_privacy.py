"""The privacy and security routes (flyloop.server.privacy): policy, consent, erasure through the API."""

from __future__ import annotations


def test_the_policy_through_the_api(api):
    assert api.get("/v1/privacy/policy").json()["redaction"]["mode"] == "pattern"
    r = api.client.put("/v1/privacy/policy", headers=api.key("acme", "admin"), json={"consent_default": "no_training"})
    assert r.status_code == 200 and r.json()["consent_default"] == "no_training"
    r = api.client.put("/v1/privacy/policy", headers=api.key("acme", "admin"), json={"redaction": {"style": "blur"}})
    assert r.status_code == 422 and r.json()["field"] == "redaction.style"
    assert (
        api.client.put(
            "/v1/users/consent",
            headers=api.key("acme", "ingest"),
            json={"user_id": "u1", "state": "no_content", "source": "banner"},
        ).json()["state"]
        == "no_content"
    )
    got = api.get("/v1/users/consent", params={"user_id": "u1"}).json()
    assert (got["state"], got["history"][0]["source"]) == ("no_content", "banner")
    bad = api.client.put("/v1/users/consent", headers=api.key("acme", "ingest"), json={"user_id": "u1", "state": "all"})
    assert bad.status_code == 422 and bad.json()["field"] == "state"
    assert api.get("/v1/privacy/drops").json() == {"drops": {}}


def it(id, user, **kw):
    return {"id": id, "workload": "support", "input": f"question {id}", "output": f"answer {id}", "user_id": user, **kw}


def test_erasure_through_the_api_needs_admin(api):
    api.post("/v1/ingest", json={"interactions": [it("z1", "zoe")]})
    assert api.post("/v1/users/erase", json={"user_id": "zoe"}).status_code == 403  # ingest+read key
    r = api.post("/v1/users/erase", scopes=("admin",), json={"user_id": "zoe"})
    assert r.status_code == 200 and r.json()["interactions"] == 1 and r.json()["verified"] is True
    assert r.json()["spool"] is None  # the apps' spools are on their own hosts, out of the server's reach
    assert api.post("/v1/users/erase", scopes=("admin",), json={"user": "zoe"}).json()["field"] == "user_id"
    assert api.post("/v1/users/erase", scopes=("admin",), json=["zoe"]).status_code == 422


def test_redact_and_pseudonym_routes_answer_what_the_library_does(api, store):
    from flyloop.privacy import pseudonym, redact_text

    r = api.post("/v1/privacy/redact", json={"text": "Call Jane Doe at 415-555-0134"})
    assert r.status_code == 200 and r.json() == redact_text(store, "acme", "Call Jane Doe at 415-555-0134")
    for body, field in (({"text": 5}, "text"), ({"txt": "x"}, "txt"), ([], "body")):
        bad = api.post("/v1/privacy/redact", json=body)
        assert (bad.status_code, bad.json()["field"]) == (422, field), body
    huge = api.post("/v1/privacy/redact", json={"text": "x" * 200_001})
    assert (huge.status_code, huge.json()["field"]) == (413, "text")
    r = api.get("/v1/users/pseudonym", params={"user_id": "u-7"})
    assert r.json() == {"pseudonym": pseudonym(store, "acme", "u-7")}
    missing = api.get("/v1/users/pseudonym")
    assert (missing.status_code, missing.json()["field"]) == (422, "user_id")
