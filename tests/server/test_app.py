from __future__ import annotations

import orjson
import pytest
import sqlalchemy as sa

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


@pytest.mark.parametrize(
    "payload, status, field, words",
    [
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
        (
            body(signals=[sig("s1", "i1", source="martians")]),
            422,
            "signals[0].source",
            "'user', 'app', 'inferred' or 'system'",
        ),
        (
            body(outcomes=[{"id": "o1", "name": "sale"}]),
            422,
            "outcomes[0]",
            "exactly one of interaction_id or join_key",
        ),
        (orjson.dumps({"interactions": [], "extra": []}), 422, "extra", "Extra inputs"),
        (body(signals=[sig("s1", "i1", ts="yesterday")]), 422, "signals[0].ts", "valid datetime"),
        (body(signals=[sig("s1", "i1", ts=True)]), 422, "signals[0].ts", "valid datetime"),
        (body(signals=[sig("s1", "i1", ts=4e9)]), 422, "signals[0].ts", "in the future"),
        (body([it("i1", ts="2999-01-01T00:00:00Z")]), 422, "interactions[0].ts", "in the future"),
        (body([it("i1", input=[])]), 422, "interactions[0].input", "at least one message"),
        (body([it("i1", metadata={"k": "x" * 70_000})]), 422, "interactions[0].metadata", "larger than 64000 bytes"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(api, payload, status, field, words):
    r = api.post("/v1/ingest", content=payload)
    assert r.status_code == status, r.text
    data = r.json()
    assert words in data["message"]
    assert data.get("field") == field


def test_a_batch_is_all_or_nothing(api):
    r = api.post(
        "/v1/ingest", content=body([it("good1"), it("good2")], [sig("s1", "good1"), sig("s2", "good1", "zap")])
    )
    assert r.status_code == 422
    assert r.json()["field"] == "signals[1].kind"
    assert api.get("/v1/status").json()["counts"] == {"interactions": 0, "signals": 0, "outcomes": 0}


def test_every_problem_is_listed(api):
    r = api.post("/v1/ingest", content=body(signals=[sig("s1", "i", "zap"), sig("s2", "i", "zop")]))
    problems = r.json()["details"]["problems"]
    assert [p["field"] for p in problems] == ["signals[0].kind", "signals[1].kind"]


def test_oversize_body_and_fields_are_413_or_422(store, tmp_path):
    from conftest import Api

    small = Settings(
        home=str(tmp_path),
        database_url="sqlite://",
        max_body_bytes=2000,
        max_text_chars=50,
        max_payload_bytes=100,
        max_batch_items=3,
    )
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
    assert api.client.delete(f"/v1/keys/{made['id']}", headers=api.key("acme", "admin")).json() == {
        "revoked": made["id"]
    }
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
    stamps = {
        "a": 1_700_000_000.25,
        "b": 1_700_000_000_250,
        "c": "2023-11-14T22:13:20.25Z",
        "d": "2023-11-14T22:13:20.25",
    }
    r = api.post(
        "/v1/ingest", content=body([it("i1", ts=1_700_000_000)], [sig(f"s-{k}", "i1", ts=v) for k, v in stamps.items()])
    )
    assert r.status_code == 200, r.text
    got = api.get("/v1/interactions/i1").json()
    assert got["ts"] == 1_700_000_000.0
    assert {s["id"]: s["ts"] for s in got["signals"]} == {f"s-{k}": 1_700_000_000.25 for k in stamps}


# --- bad input gets a clear 4xx, everywhere (issue 9, items 12 to 15) ----------------------------


def raw(value) -> bytes:
    """JSON text as a client may send it: json.dumps writes a lone surrogate as its escape."""
    import json

    return json.dumps(value).encode()


LONE = "a\ud800"


@pytest.mark.parametrize(
    "method, path, scope, payload, field",
    [
        ("PUT", "/v1/users/consent", "ingest", {"user_id": LONE, "state": "full"}, "user_id"),
        ("PUT", "/v1/users/consent", "ingest", {"user_id": "u1", "state": "full", "source": LONE}, "source"),
        ("POST", "/v1/users/erase", "admin", {"user_id": LONE}, "user_id"),
        ("POST", "/v1/keys", "admin", {"scopes": ["read"], "name": LONE}, "name"),
        ("PUT", "/v1/privacy/policy", "admin", {"workloads": {LONE: {"fields": None}}}, "workloads.a\\ud800"),
        ("POST", "/v1/datasets", "admin", {"name": LONE}, "name"),
        ("POST", "/v1/datasets", "admin", {"name": "d", "config": {"workloads": ["w", LONE]}}, "config.workloads[1]"),
        ("POST", "/v1/datasets/d1/taint", "admin", {"reason": LONE}, "reason"),
        ("POST", "/v1/feedback-tokens", "ingest", {"interaction_id": "i1", "kinds": [LONE]}, "kinds[0]"),
        ("POST", "/v1/ingest", "ingest", {"interactions": [it("i1", user_id=LONE)]}, "interactions[0].user_id"),
        (
            "POST",
            "/v1/ingest",
            "ingest",
            {"signals": [sig("s1", "i1", payload={"note": LONE})]},
            "signals[0].payload.note",
        ),
    ],
)
def test_a_lone_surrogate_is_a_422_naming_the_field_on_every_route(api, store, method, path, scope, payload, field):
    r = api.client.request(method, path, content=raw(payload), headers=api.key("acme", scope))
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    assert "lone surrogate" in r.json()["message"]
    assert api.get("/v1/status").json()["counts"] == {"interactions": 0, "signals": 0, "outcomes": 0}


@pytest.mark.parametrize(
    "method, path, scope, payload, field",
    [
        ("PUT", "/v1/users/consent", "ingest", {"user_id": "u\x001", "state": "full"}, "user_id"),
        ("POST", "/v1/keys", "admin", {"scopes": ["read"], "name": "web\x00"}, "name"),
        ("POST", "/v1/datasets", "admin", {"name": "d", "config": {"workloads": ["w\x00"]}}, "config.workloads[0]"),
        (
            "POST",
            "/v1/ingest",
            "ingest",
            {"interactions": [it("i1", workload="sup\x00port")]},
            "interactions[0].workload",
        ),
        ("POST", "/v1/ingest", "ingest", {"interactions": [it("i1", output="o\x00")]}, "interactions[0].output"),
        (
            "POST",
            "/v1/ingest",
            "ingest",
            {"interactions": [it("i1", metadata={"k": ["x\x00"]})]},
            "interactions[0].metadata.k[0]",
        ),
        (
            "POST",
            "/v1/ingest",
            "ingest",
            {"outcomes": [{"id": "o1", "name": "sale\x00", "join_key": "j"}]},
            "outcomes[0].name",
        ),
    ],
)
def test_a_nul_character_is_the_same_422_on_both_stores(api, method, path, scope, payload, field):
    """PostgreSQL refuses NUL in text and SQLite keeps it: both refuse it before the store."""
    r = api.client.request(method, path, content=orjson.dumps(payload), headers=api.key("acme", scope))
    assert r.status_code == 422, r.text
    assert r.json() == {
        "error": "ValidationError",
        "field": field,
        "message": "holds a NUL character (\\u0000), which no store keeps in text",
    }


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(api):
    r = api.post("/v1/ingest", content=orjson.dumps({"interactions": [it("i1", output="C:\\u0000")]}))
    assert r.status_code == 200, r.text
    assert api.get("/v1/interactions/i1").json()["output"] == "C:\\u0000"


def test_a_nul_in_the_query_or_path_is_a_422(api):
    r = api.get("/v1/interactions?workload=sup%00port")
    assert r.status_code == 422 and r.json()["field"] == "workload"
    r = api.get("/v1/interactions/i%001")
    assert r.status_code == 422 and r.json()["field"] == "path"


def test_a_key_name_has_one_length_limit_on_both_stores(api):
    r = api.post("/v1/keys", json={"scopes": ["read"], "name": "k" * 10_000}, scopes=("admin",))
    assert r.status_code == 422 and r.json()["field"] == "name"
    assert r.json()["message"] == "name must be a string of at most 200 characters"
    assert api.post("/v1/keys", json={"scopes": ["read"], "name": "k" * 200}, scopes=("admin",)).status_code == 200


@pytest.mark.parametrize(
    "path, scope", [("/v1/keys", "admin"), ("/v1/users/consent", "ingest"), ("/v1/ingest", "ingest")]
)
def test_deeply_nested_json_is_answered_in_our_error_schema(api, path, scope):
    deep = b"[" * 10_000 + b"]" * 10_000
    method = "PUT" if "consent" in path else "POST"
    r = api.client.request(method, path, content=deep, headers=api.key("acme", scope))
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "MalformedBody" and "detail" not in r.json()


def test_nesting_past_the_depth_limit_is_a_422_naming_where(api):
    from flyloop.events.wire import MAX_JSON_DEPTH

    config: dict = {"filters": {}}
    node = config["filters"]
    for _ in range(MAX_JSON_DEPTH):
        node["x"] = {}
        node = node["x"]
    r = api.post("/v1/datasets", json={"name": "d", "config": config}, scopes=("admin",))
    assert r.status_code == 422 and r.json()["message"] == f"nested deeper than {MAX_JSON_DEPTH} levels"
    assert r.json()["field"].startswith("config.filters.x.x.")


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "text/plain"])
def test_json_routes_take_json_whatever_the_content_type(api, content_type):
    """The README's ``curl -d`` sends form encoding; a body that is JSON is read as JSON."""
    headers = {**api.key("acme", "admin"), **({"Content-Type": content_type} if content_type else {})}
    r = api.client.post("/v1/keys", content=b'{"scopes": ["read"], "name": "curl"}', headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["scopes"] == ["read"]
    r = api.client.put(
        "/v1/users/consent",
        content=b'{"user_id": "u1", "state": "no_training"}',
        headers={**api.key("acme", "ingest"), **({"Content-Type": content_type} if content_type else {})},
    )
    assert r.status_code == 200, r.text
    r = api.client.post("/v1/keys", content=b"scopes=read", headers=headers)
    assert r.status_code == 400 and r.json()["error"] == "MalformedBody"


def test_unknown_routes_and_methods_answer_in_our_error_schema(api):
    r = api.get("/v1/nothing-here")
    assert r.status_code == 404 and r.json() == {"error": "NotFound", "message": "Not Found"}
    r = api.client.patch("/v1/ingest", headers=api.key())
    assert r.status_code == 405 and r.json()["error"] == "MethodNotAllowed" and "POST" in r.headers["allow"]


@pytest.mark.parametrize(
    "event, field, words",
    [
        (sig("s1", "i1", "rating", value=float("nan")), "signals[0].value", "finite number"),
        (sig("s1", "i1", "rating", value=float("inf")), "signals[0].value", "finite number"),
        (sig("s1", "i1", "rating", value="5"), "signals[0].value", "valid number"),
        (sig("s1", "i1", "rating", value=True), "signals[0].value", "valid number"),
        (sig("s1", "i1", payload={"score": float("-inf")}), "signals[0].payload.score", "finite number"),
        (sig("s1", "i1", ts=-1e308), "signals[0].ts", "valid datetime"),
        (sig("s1", "i1", ts=-5), "signals[0].ts", "before 1970-01-01"),
        (sig("s1", "i1", ts=1e308), "signals[0].ts", "in the future"),
        (it("i1", latency_ms=float("nan")), "interactions[0].latency_ms", "finite number"),
        (it("i1", cost=float("inf")), "interactions[0].cost", "finite number"),
        (it("i1", tokens_in="5"), "interactions[0].tokens_in", "valid integer"),
        (it("i1", tokens_out=True), "interactions[0].tokens_out", "valid integer"),
        (it("i1", latency_ms="12"), "interactions[0].latency_ms", "valid number"),
        (it("i1", metadata={"t": [1, float("nan")]}), "interactions[0].metadata.t[1]", "finite number"),
        (it("i1", ts="1000-01-01T00:00:00Z"), "interactions[0].ts", "before 1970-01-01"),
        ({"id": "o1", "name": "sale", "join_key": "j", "value": float("nan")}, "outcomes[0].value", "finite number"),
    ],
)
def test_numbers_are_strict_and_finite(api, event, field, words):
    """NaN and Infinity (which Python's json writes as bare words) and numbers in strings or
    booleans are refused, naming the field; timestamps lie between 1970 and the clock skew."""
    part = "interactions" if "workload" in event else "outcomes" if "name" in event else "signals"
    r = api.post("/v1/ingest", content=raw({part: [event]}))
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    assert words in r.json()["message"]


def test_nan_is_refused_in_every_json_body_not_only_ingest(api):
    r = api.client.put(
        "/v1/privacy/policy",
        content=raw({"retention": {"content_days": float("inf")}}),
        headers=api.key("acme", "admin"),
    )
    assert r.status_code == 422 and r.json()["field"] == "retention.content_days"
    assert "finite number" in r.json()["message"]


def test_two_different_events_under_one_id_are_refused_naming_both(api):
    r = api.post("/v1/ingest", content=body([it("i1"), it("i2"), it("i1", output="another answer")]))
    assert r.status_code == 422
    assert r.json()["field"] == "interactions[2].id"
    assert r.json()["message"].startswith("interactions[0] and interactions[2] share the id 'i1' but differ")
    assert api.get("/v1/status").json()["counts"]["interactions"] == 0
    r = api.post("/v1/ingest", content=body(signals=[sig("s1", "i1"), sig("s1", "i1", "thumbs_down")]))
    assert r.status_code == 422 and r.json()["field"] == "signals[1].id"
    # identical copies (a retried send) stay one event and a duplicate
    r = api.post("/v1/ingest", content=body([it("i1"), it("i1")], [sig("s1", "i1"), sig("s1", "i1")]))
    assert r.status_code == 200 and r.json() == {"interactions": 1, "signals": 1, "outcomes": 0, "duplicates": 2}


def test_an_error_that_quotes_a_lone_surrogate_still_renders():
    from flyloop.server.app import ORJSONResponse

    rendered = ORJSONResponse({"error": "ValidationError", "message": f"unknown kind {LONE!r}", "field": LONE}).body
    assert orjson.loads(rendered) == {
        "error": "ValidationError",
        "message": "unknown kind 'a\\ud800'",
        "field": "a\\ud800",
    }


def test_the_openapi_document_lists_every_error_with_our_schema(api):
    doc = api.client.get("/openapi.json").json()
    assert set(doc["components"]["schemas"]["ErrorBody"]["required"]) == {"error", "message"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "413", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
            assert ("401" in operation["responses"]) is (path != "/healthz"), (method, path)
            assert (operation.get("security") == []) is (path in ("/healthz", "/v1/feedback")), (method, path)


# --- size limits as bytes arrive (item 14) -----------------------------------------------------


def test_a_chunked_body_over_the_limit_is_refused_as_it_arrives(store, settings):
    """The limit holds on every route, key or none, whatever the client declares: the app stops
    reading at the first chunk past it (memory stays bounded) and answers 413 in JSON."""
    import asyncio

    from flyloop.server.app import create_app

    app = create_app(store, Settings(home=settings.home, database_url="sqlite://", max_body_bytes=100_000))
    chunk = b"x" * 65_536

    def run(path: str) -> tuple[int, int, bytes]:
        pulled = 0
        answer: dict = {}

        async def receive():
            nonlocal pulled
            pulled += 1
            return {"type": "http.request", "body": chunk, "more_body": pulled < 5_000}  # 300 MB offered

        async def send(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"] = answer.get("body", b"") + message.get("body", b"")

        scope = {
            "type": "http",
            "method": "POST",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [(b"transfer-encoding", b"chunked")],
            "http_version": "1.1",
            "scheme": "http",
            "server": ("test", 80),
            "client": ("127.0.0.1", 1),
            "root_path": "",
            "app": app,
        }
        asyncio.run(app(scope, receive, send))
        return answer["status"], pulled, answer["body"]

    for path, limit in (
        ("/v1/ingest", 100_000),
        ("/v1/keys", 100_000),
        ("/v1/feedback", 64_000 + 8192),
        ("/v1/users/consent", 100_000),
    ):
        status, pulled, answer = run(path)
        assert status == 413, path
        assert pulled == limit // len(chunk) + 1, path  # never a chunk more than needed to cross the limit
        assert orjson.loads(answer) == {
            "error": "PayloadTooLarge",
            "field": "body",
            "message": f"the body is over the limit of {limit} bytes",
        }


def test_a_declared_oversize_body_is_refused_before_it_is_read(api):
    r = api.client.post("/v1/feedback", content=b"{}" + b" " * 80_000)
    assert r.status_code == 413 and r.json()["message"] == "the body is 80002 bytes; the limit is 72192"
    r = api.post("/v1/keys", content=b"{}" + b" " * 9_000_000, scopes=("admin",))
    assert r.status_code == 413 and r.json()["message"] == "the body is 9000002 bytes; the limit is 8000000"


# --- browser feedback (item 18) ----------------------------------------------------------------


def feedback_token(api, **kw) -> str:
    api.post("/v1/ingest", content=body([it("i1")]))
    return api.post("/v1/feedback-tokens", json={"interaction_id": "i1", **kw}).json()["token"]


def test_feedback_answers_a_browsers_preflight_from_allowed_origins_only(store, tmp_path):
    from conftest import Api

    api = Api(
        store,
        Settings(
            home=str(tmp_path),
            database_url="sqlite://",
            cors_origins="https://app.example.com, https://beta.example.com",
        ),
    )
    preflight = {
        "Origin": "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    r = api.client.options("/v1/feedback", headers=preflight)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert (
        api.client.options("/v1/feedback", headers={**preflight, "Origin": "https://evil.example"}).status_code == 400
    )
    # routes that take API keys never answer a browser's preflight
    assert api.client.options("/v1/ingest", headers=preflight).status_code == 405
    token = feedback_token(api)
    r = api.client.post(
        "/v1/feedback", json={"token": token, "kind": "thumbs_up"}, headers={"Origin": "https://app.example.com"}
    )
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://app.example.com"
    bad = api.client.post(
        "/v1/feedback", json={"token": token, "kind": "thumbs_up"}, headers={"Origin": "https://app.example.com"}
    )
    assert bad.status_code == 409 and bad.headers["access-control-allow-origin"] == "https://app.example.com"


def test_without_allowed_origins_there_is_no_cors(api):
    r = api.client.options(
        "/v1/feedback", headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}
    )
    assert r.status_code == 405 and "access-control-allow-origin" not in r.headers


def test_feedback_errors_name_the_fields_the_browser_sent(api):
    token = feedback_token(api, kinds=["comment", "rating"])
    r = api.client.post("/v1/feedback", json={"token": token, "kind": "comment", "value": "wrong answer"})
    assert r.status_code == 422
    assert r.json()["field"] == "value"
    assert r.json()["message"] == (
        "Input should be a valid number; value is a number (a rating, a score): "
        'text goes in payload.text, as {"payload": {"text": ...}}'
    )
    r = api.client.post("/v1/feedback", json={"token": token, "kind": "comment", "payload": {}})
    assert r.status_code == 422 and r.json()["field"] == "payload.text"
    r = api.client.post(
        "/v1/feedback",
        content=b'{"token": "%s", "kind": "comment", "payload": {"text": "wrong answer"}}' % token.encode(),
        headers={"Content-Type": "text/plain"},
    )  # navigator.sendBeacon
    assert r.status_code == 200 and r.json()["stored"] is True


# --- a fast stop (item 19) ---------------------------------------------------------------------


def test_a_stop_does_not_wait_for_a_long_background_run():
    """A label catch-up after heavy load can run for half a minute; leaving the scheduler waits
    STOP_WAIT_S at most and leaves the rest to the next run (the outbox keeps what is unlabelled)."""
    import asyncio
    import threading
    import time

    from flyloop.worker import STOP_WAIT_S, every

    started, release = threading.Event(), threading.Event()

    def slow_job() -> None:
        started.set()
        release.wait(30)

    async def main() -> float:
        async with every("slow", 0.05, slow_job):
            while not started.is_set():
                await asyncio.sleep(0.01)
        return time.monotonic()

    begin = time.monotonic()
    try:
        left = asyncio.run(main())
    finally:
        release.set()
    assert left - begin < STOP_WAIT_S + 1.0


def test_serve_stops_within_5_s_of_sigterm_under_load_and_keeps_every_acknowledged_event(tmp_path, database_url):
    import http.client
    import os
    import signal
    import socket
    import subprocess
    import sys
    import threading
    import time

    from flyloop import Store

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = Store(database_url)
    secret = store.create_key("stop-test", ["ingest", "read"])[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
    env.update(FLYLOOP_HOME=str(tmp_path / "home"), FLYLOOP_LABEL_INTERVAL_S="0.2")
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from flyloop.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--database-url",
            database_url,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        acknowledged: list[str] = []
        stop_sending = threading.Event()

        def send(worker: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            n = 0
            while not stop_sending.is_set():
                prefix = f"w{worker}-{n}"
                batch = body(
                    [it(f"{prefix}-i{k}") for k in range(50)],
                    [sig(f"{prefix}-s{k}", f"{prefix}-i{k % 50}") for k in range(200)],
                )
                try:
                    conn.request("POST", "/v1/ingest", body=batch, headers={"Authorization": f"Bearer {secret}"})
                    answer = conn.getresponse()
                    answer.read()
                    if answer.status == 200:
                        acknowledged.append(prefix)
                except (OSError, http.client.HTTPException):
                    return  # the server is going away: this batch was not acknowledged
                n += 1

        senders = [threading.Thread(target=send, args=(w,)) for w in range(3)]
        for t in senders:
            t.start()
        time.sleep(2.0)
        begin = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        stopped_after = time.monotonic() - begin
        stop_sending.set()
        for t in senders:
            t.join()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert stopped_after < 5.0, stopped_after
    assert len(acknowledged) >= 3, server.stderr.read().decode()[-2000:] if server.stderr else ""
    with store.engine.connect() as conn:
        stored = {row[0] for row in conn.execute(sa.text("SELECT id FROM interactions WHERE project_id = 'stop-test'"))}
        stored |= {row[0] for row in conn.execute(sa.text("SELECT id FROM signals WHERE project_id = 'stop-test'"))}
    missing = [
        p for p in acknowledged if not {f"{p}-i{k}" for k in range(50)} | {f"{p}-s{k}" for k in range(200)} <= stored
    ]
    assert missing == []
    store.close()


# --- what the fuzzing run found (scripts/fuzz.sh) ---------------------------------------------


def test_fuzz_findings_are_4xx(api):
    r = api.client.put("/v1/users/consent", json={"user_id": "u1", "state": {}}, headers=api.key("acme", "ingest"))
    assert r.status_code == 422 and r.json()["field"] == "state"  # was a 500 (an unhashable state)
    r = api.client.put(
        "/v1/users/consent", json={"user_id": "u1", "state": "full", "sauce": "x"}, headers=api.key("acme", "ingest")
    )
    assert r.status_code == 422 and r.json()["field"] == "sauce"
    r = api.post("/v1/keys", json={"scopes": ["read"], "nmae": "typo"}, scopes=("admin",))
    assert r.status_code == 422 and r.json()["field"] == "nmae"
    r = api.post("/v1/privacy/rotate-key", json={"purpose": "feedback", "now": True}, scopes=("admin",))
    assert r.status_code == 422 and r.json()["field"] == "now"
    for bad in ({"parent": [None, None]}, {"config": []}):  # a list parent was a 500; [] was taken as no config
        r = api.post("/v1/datasets", json=bad, scopes=("admin",))
        assert r.status_code == 422 and r.json()["field"] == next(iter(bad))
    r = api.post("/v1/datasets", json={"config": {"kinds": [{}]}}, scopes=("admin",))  # was a 500 (unhashable)
    assert r.status_code == 422 and r.json()["field"].startswith("kinds")
    api.post("/v1/ingest", content=body([it("i1")]))
    r = api.post("/v1/feedback-tokens", json={"interaction_id": "i1", "max_uses": 2.0})
    assert r.status_code == 200 and r.json()["max_uses"] == 2  # JSON's integer 2, written 2.0
    r = api.client.options("/v1/keys", headers=api.key("acme", "admin"))
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"  # every method of the path
    r = api.client.put("/v1/privacy/policy", json={"redaction": {"min_score": False}}, headers=api.key("acme", "admin"))
    assert r.status_code == 422 and r.json()["field"] == "redaction.min_score"  # false is not a score
    outcome = api.client.get("/openapi.json").json()["components"]["schemas"]["OutcomeIn"]
    assert [one["required"] for one in outcome["oneOf"]] == [["interaction_id"], ["join_key"]]
    kinds = api.client.get("/openapi.json").json()["components"]["schemas"]["SignalIn"]["properties"]["kind"]["enum"]
    assert {"thumbs_up", "rating", "comment"} <= set(kinds)


def test_the_openapi_document_states_the_rules_it_can_and_names_the_others(api):
    """What scripts/fuzz.py leaves to words (positive_data_acceptance off) is in the document."""
    import re as regex

    doc = api.client.get("/openapi.json").json()
    api.post("/v1/ingest", content=body([it(f"i{n}", ts=1000 + n) for n in range(3)]))
    cursor = api.get("/v1/interactions?limit=1").json()["next_cursor"]
    (param,) = [p for p in doc["paths"]["/v1/interactions"]["get"]["parameters"] if p["name"] == "cursor"]
    string = param["schema"]["anyOf"][0]
    assert regex.fullmatch(string["pattern"], cursor) and api.get("/v1/interactions?cursor=").status_code == 200
    assert "next_cursor" in param["description"]
    (split,) = [
        p for p in doc["paths"]["/v1/datasets/{ref}/export/{target}"]["get"]["parameters"] if p["name"] == "split"
    ]
    assert "eval" in split["description"]
    config = doc["components"]["schemas"]["CurationConfig"]
    assert config["properties"]["kinds"]["minItems"] == 1
    assert config["properties"]["workloads"]["anyOf"][0]["minItems"] == 1
    assert "add up to 1" in config["description"]
    assert "rating" in doc["components"]["schemas"]["SignalIn"]["properties"]["value"]["description"]


def test_the_openapi_document_says_no_string_holds_a_nul(api):
    doc = api.client.get("/openapi.json").json()
    consent = doc["paths"]["/v1/users/consent"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert consent["properties"]["user_id"]["pattern"] == "^[^\\u0000]*$"
    assert consent["additionalProperties"] is False
    assert doc["components"]["schemas"]["JsonObject"]["propertyNames"] == {"pattern": "^[^\\u0000]*$"}
