from __future__ import annotations

import orjson
import pytest

from flyloop import Settings


def body(interactions=(), signals=(), outcomes=()):
    return orjson.dumps({"interactions": list(interactions), "signals": list(signals), "outcomes": list(outcomes)})


def it(id, **kw):
    return {"id": id, "workload": "support", "input": "How do I reset my password?", "output": "Click 'forgot'.", **kw}


def sig(id, interaction_id, kind="thumbs_up", **kw):
    return {"id": id, "interaction_id": interaction_id, "kind": kind, **kw}


def test_ingest_then_read_back(api):
    r = api.post("/v1/ingest", content=body([it("i1", user_id="u1")], [sig("s1", "i1"), sig("s2", "i1", "copy")]))
    assert r.status_code == 200
    assert r.json() == {"interactions": 1, "signals": 2, "outcomes": 0, "duplicates": 0}
    got = api.get("/v1/interactions/i1").json()
    assert got["output"] == "Click 'forgot'."
    assert [s["kind"] for s in got["signals"]] == ["thumbs_up", "copy"]


def test_same_batch_twice_is_stored_once(api):
    payload = body([it("i1")], [sig("s1", "i1")])
    api.post("/v1/ingest", content=payload)
    r = api.post("/v1/ingest", content=payload)
    assert r.json() == {"interactions": 0, "signals": 0, "outcomes": 0, "duplicates": 2}
    assert api.get("/v1/status").json()["counts"] == {"interactions": 1, "signals": 1, "outcomes": 0}


@pytest.mark.parametrize("payload, status, field, words", [
    (b"{not json", 400, None, "not valid JSON"),
    (b"", 400, None, "empty"),
    (b"[1, 2]", 422, None, "Input should be an object"),
    (body([{"workload": "w", "input": "q"}]), 422, "interactions[0].id", "Field required"),
    (body([it("i1", latency_ms="fast")]), 422, "interactions[0].latency_ms", "valid number"),
    (body([it("i1", latency_ms=-3)]), 422, "interactions[0].latency_ms", "greater than or equal to 0"),
    (body([it("i1", tokens_in=1.5)]), 422, "interactions[0].tokens_in", "valid integer"),
    (body([it("bad id!")]), 422, "interactions[0].id", "pattern"),
    (body([it("i1", surprise=1)]), 422, "interactions[0].surprise", "Extra inputs"),
    (body(signals=[sig("s1", "i1", "zap")]), 422, "signals[0].kind", "unknown signal kind 'zap'"),
    (body(signals=[sig("s1", "i1", "rating", value=7)]), 422, "signals[0].value", "within its scale [1, 5]"),
    (body(signals=[sig("s1", "i1", "edit")]), 422, "signals[0].payload.text", "payload.text"),
    (body(signals=[sig("s1", "i1", source="martians")]), 422, "signals[0].source", "'user', 'app', 'inferred' or 'system'"),
    (body(outcomes=[{"id": "o1", "name": "sale"}]), 422, "outcomes[0]", "exactly one of interaction_id or join_key"),
    (orjson.dumps({"interactions": [], "extra": []}), 422, "extra", "Extra inputs"),
    (body(signals=[sig("s1", "i1", ts="yesterday")]), 422, "signals[0].ts", "valid datetime"),
    (body(signals=[sig("s1", "i1", ts=True)]), 422, "signals[0].ts", "valid datetime"),
    (body(signals=[sig("s1", "i1", ts=4e9)]), 422, "signals[0].ts", "in the future"),
    (body([it("i1", ts="2999-01-01T00:00:00Z")]), 422, "interactions[0].ts", "in the future"),
    (body([it("i1", input=[])]), 422, "interactions[0].input", "at least one message"),
    (body([it("i1", metadata={"k": "x" * 70_000})]), 422, "interactions[0].metadata", "larger than 64000 bytes"),
])
def test_bad_input_is_a_4xx_naming_the_field(api, payload, status, field, words):
    r = api.post("/v1/ingest", content=payload)
    assert r.status_code == status, r.text
    data = r.json()
    assert words in data["message"]
    assert data.get("field") == field


def test_a_batch_is_all_or_nothing(api):
    r = api.post("/v1/ingest", content=body([it("good1"), it("good2")], [sig("s1", "good1"), sig("s2", "good1", "zap")]))
    assert r.status_code == 422
    assert r.json()["field"] == "signals[1].kind"
    assert api.get("/v1/status").json()["counts"] == {"interactions": 0, "signals": 0, "outcomes": 0}


def test_every_problem_is_listed(api):
    r = api.post("/v1/ingest", content=body(signals=[sig("s1", "i", "zap"), sig("s2", "i", "zop")]))
    problems = r.json()["details"]["problems"]
    assert [p["field"] for p in problems] == ["signals[0].kind", "signals[1].kind"]


def test_oversize_body_and_fields_are_413_or_422(store, tmp_path):
    from conftest import Api

    small = Settings(home=str(tmp_path), database_url="sqlite://", max_body_bytes=2000, max_text_chars=50,
                     max_payload_bytes=100, max_batch_items=3)
    api = Api(store, small)
    r = api.post("/v1/ingest", content=body([it(f"i{n}") for n in range(40)]))
    assert r.status_code == 413 and r.json()["message"] == "the body is 3995 bytes; the limit is 2000"
    r = api.post("/v1/ingest", content=body([it("i1", output="x" * 51)]))
    assert r.status_code == 422 and r.json()["field"] == "interactions[0].output"
    assert "longer than 50 characters" in r.json()["message"]
    r = api.post("/v1/ingest", content=body([it("i1", metadata={"blob": "y" * 200})]))
    assert r.status_code == 422 and r.json()["field"] == "interactions[0].metadata"
    r = api.post("/v1/ingest", content=body(signals=[sig(f"s{n}", "i") for n in range(4)]))
    assert r.status_code == 413 and "at most 3 events" in r.json()["message"]


def test_missing_wrong_and_revoked_keys_are_401(api, store):
    assert api.client.post("/v1/ingest", content=body([it("i1")])).status_code == 401
    r = api.client.post("/v1/ingest", content=body([it("i1")]), headers={"Authorization": "Bearer fl_nope"})
    assert r.status_code == 401 and r.json()["message"] == "unknown or revoked API key"
    key, secret = store.create_key("acme", ["ingest"])
    store.revoke_key("acme", key.id)
    r = api.client.post("/v1/ingest", content=body([it("i1")]), headers={"X-API-Key": secret})
    assert r.status_code == 401


def test_scopes_are_enforced(api):
    r = api.post("/v1/ingest", content=body([it("i1")]), scopes=("read",))
    assert r.status_code == 403 and "'ingest' scope" in r.json()["message"]
    r = api.get("/v1/status", scopes=("ingest",))
    assert r.status_code == 403
    r = api.post("/v1/keys", json={"scopes": ["read"]}, scopes=("ingest", "read"))
    assert r.status_code == 403


def test_a_key_only_reaches_its_own_project(api):
    api.post("/v1/ingest", project="acme", content=body([it("i1")]))
    assert api.get("/v1/interactions/i1", project="globex").status_code == 404
    assert api.get("/v1/status", project="globex").json()["counts"]["interactions"] == 0
    # Writing with globex's key lands in globex, whatever the body says.
    api.post("/v1/ingest", project="globex", content=body([it("i1", output="globex")]))
    assert api.get("/v1/interactions/i1", project="acme").json()["output"] == "Click 'forgot'."


def test_list_pages_and_query_errors(api):
    api.post("/v1/ingest", content=body([it(f"i{n}", ts=1000 + n) for n in range(5)]))
    first = api.get("/v1/interactions?limit=2").json()
    assert [r["id"] for r in first["items"]] == ["i4", "i3"]
    second = api.get(f"/v1/interactions?limit=2&cursor={first['next_cursor']}").json()
    assert [r["id"] for r in second["items"]] == ["i2", "i1"]
    bad = api.get("/v1/interactions?limit=5000")
    assert bad.status_code == 422 and bad.json()["field"] == "limit"
    bad = api.get("/v1/interactions?cursor=zzz")
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"
    assert api.get("/v1/interactions/nope").status_code == 404


def test_admin_keys_routes(api):
    made = api.post("/v1/keys", json={"scopes": ["ingest"], "name": "web"}, scopes=("admin",)).json()
    assert made["scopes"] == ["ingest"] and made["secret"].startswith("fl_")
    listed = api.get("/v1/keys", scopes=("admin",)).json()["items"]
    assert "web" in [k["name"] for k in listed]
    assert all("secret" not in k and "secret_hash" not in k for k in listed)
    r = api.client.post("/v1/ingest", content=body([it("i1")]), headers={"Authorization": f"Bearer {made['secret']}"})
    assert r.status_code == 200
    assert api.client.delete(f"/v1/keys/{made['id']}", headers=api.key("acme", "admin")).json() == {"revoked": made["id"]}
    r = api.client.post("/v1/ingest", content=body([it("i2")]), headers={"Authorization": f"Bearer {made['secret']}"})
    assert r.status_code == 401
    bad = api.post("/v1/keys", json={"scopes": "ingest"}, scopes=("admin",))
    assert bad.status_code == 422 and bad.json()["field"] == "scopes"


def test_openapi_documents_the_ingest_body(api):
    doc = api.client.get("/openapi.json").json()
    ref = doc["paths"]["/v1/ingest"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/IngestBatch"
    assert {"InteractionIn", "SignalIn", "OutcomeIn", "IngestBatch"} <= set(doc["components"]["schemas"])


def test_healthz_needs_no_key(api):
    assert api.client.get("/healthz").json()["status"] == "ok"


def test_a_timestamp_is_epoch_seconds_milliseconds_or_iso_8601(api):
    """Events hold epoch seconds; a number past 2e10 is milliseconds (a browser's Date.now()),
    and an ISO 8601 string without a zone is UTC."""
    stamps = {"a": 1_700_000_000.25, "b": 1_700_000_000_250, "c": "2023-11-14T22:13:20.25Z", "d": "2023-11-14T22:13:20.25"}
    r = api.post("/v1/ingest", content=body([it("i1", ts=1_700_000_000)],
                                            [sig(f"s-{k}", "i1", ts=v) for k, v in stamps.items()]))
    assert r.status_code == 200, r.text
    got = api.get("/v1/interactions/i1").json()
    assert got["ts"] == 1_700_000_000.0
    assert {s["id"]: s["ts"] for s in got["signals"]} == {f"s-{k}": 1_700_000_000.25 for k in stamps}
