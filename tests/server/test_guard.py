"""What every HTTP request passes before a route (flyloop.server.guard): size as bytes arrive, text
every store keeps, JSON whatever the content type."""

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


def test_nan_is_refused_in_every_json_body_not_only_ingest(api):
    r = api.client.put(
        "/v1/privacy/policy",
        content=raw({"retention": {"content_days": float("inf")}}),
        headers=api.key("acme", "admin"),
    )
    assert r.status_code == 422 and r.json()["field"] == "retention.content_days"
    assert "finite number" in r.json()["message"]


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
