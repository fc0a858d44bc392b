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


def test_a_key_name_has_one_length_limit_on_both_stores(api):
    r = api.post("/v1/keys", json={"scopes": ["read"], "name": "k" * 10_000}, scopes=("admin",))
    assert r.status_code == 422 and r.json()["field"] == "name"
    assert r.json()["message"] == "name must be a string of at most 200 characters"
    assert api.post("/v1/keys", json={"scopes": ["read"], "name": "k" * 200}, scopes=("admin",)).status_code == 200


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


def test_an_error_that_quotes_an_integer_past_64_bits_still_renders():
    from flyloop.server.app import ORJSONResponse

    huge = 2**70
    rendered = ORJSONResponse({"error": "ValidationError", "details": {"got": huge, "ok": 5, "flag": True}}).body
    assert orjson.loads(rendered) == {"error": "ValidationError", "details": {"got": str(huge), "ok": 5, "flag": True}}


# --- size limits as bytes arrive (item 14) -----------------------------------------------------


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


def test_labels_recompute_route_relabels_and_is_audited(api, store):
    from flyloop.privacy import audit_log

    api.post(
        "/v1/ingest",
        json={
            "interactions": [{"id": "i1", "workload": "w", "input": "q", "output": "a"}],
            "signals": [{"id": "s1", "interaction_id": "i1", "kind": "thumbs_down"}],
        },
    )
    done = api.post("/v1/labels/recompute", scopes=("admin",))
    assert done.status_code == 200, done.text
    assert (done.json()["labelled"], done.json()["counts"]["bad"]) == (1, 1)
    assert api.post("/v1/labels/recompute", scopes=("admin",), json={"workload": "w", "infer": True}).status_code == 200
    for body, field in (({"infer": "yes"}, "infer"), ({"workload": ""}, "workload"), ({"all": 1}, "all")):
        bad = api.post("/v1/labels/recompute", scopes=("admin",), json=body)
        assert (bad.status_code, bad.json()["field"]) == (422, field), body
    assert api.post("/v1/labels/recompute").status_code == 403  # a read key
    assert [row["action"] for row in audit_log(store, "acme", action="labels.")] == ["labels.recompute"] * 2
