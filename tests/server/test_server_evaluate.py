"""The evaluation routes (flyloop.server.evaluate): run inside the request or in the background
(202, then the stored record), read them back; golden sets; the gate; scopes and bad input as a
4xx naming the field."""

from __future__ import annotations

import time

from evaluate_fixtures import GOLDEN, spam_versions
from flyloop import audit_log
from flyloop.improve import backends as backends_module
from flyloop.improve import bank as bank_module

ADMIN, READ, INGEST = ("admin",), ("read",), ("ingest",)
P = "acme"
GATE = {"primary": "accuracy", "min_clusters": 2}


def setup(api, capture) -> tuple[str, str]:
    backends_module.clear_cache()
    bank_module.LOADED.pop(capture.store, None)
    versions = spam_versions(capture)
    # A golden set is the truth candidates are gated on: an app's ingest key may not write it.
    refused = api.post("/v1/golden/hard", scopes=INGEST, json={"workload": "spam", "cases": GOLDEN})
    assert refused.status_code == 403
    r = api.post("/v1/golden/hard", scopes=ADMIN, json={"workload": "spam", "cases": GOLDEN})
    assert r.status_code == 200 and r.json() == {"name": "hard", "workload": "spam", "cases": 20}
    return versions


def test_run_waiting_and_in_the_background(api, capture) -> None:
    prod, cand = setup(api, capture)
    body = {"workload": "spam", "candidate": cand, "golden": "hard", "gate": GATE}
    r = api.post("/v1/evaluations?wait=true", scopes=ADMIN, json=body)
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["baseline"], done["cases"], done["source"]) == ("succeeded", prod, 20, "golden:hard")
    assert done["gate"]["summary"].endswith(("PASS", "FAIL")) and done["passed"] in (True, False)

    r = api.post("/v1/evaluations", scopes=ADMIN, json=body)
    assert r.status_code == 202 and r.json()["id"].startswith("ev_")
    started = r.json()
    assert started["status"] in ("running", "succeeded")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = api.get(f"/v1/evaluations/{started['id']}", scopes=READ).json()
        if found["status"] != "running":
            break
        time.sleep(0.05)
    assert (
        found["status"] == "succeeded"
        and found["comparison"]
        == done["comparison"]
        | {k: found["comparison"][k] for k in ("metrics", "rows", "segments") if "latency" in str(k)}
        or found["metrics"][cand]["accuracy"] == done["metrics"][cand]["accuracy"]
    )
    listed = api.get("/v1/evaluations?workload=spam", scopes=READ).json()["items"]
    assert [e["id"] for e in listed] == [started["id"], done["id"]]
    assert api.get(f"/v1/evaluations?candidate={prod}", scopes=READ).json() == {"items": []}
    actions = [
        (e["action"], e["details"]["status"]) for e in audit_log(capture.store, P) if e["action"] == "evaluations.run"
    ]
    assert actions == [("evaluations.run", "running"), ("evaluations.run", "succeeded")]  # newest first


def test_golden_and_gate_routes(api, capture) -> None:
    setup(api, capture)
    assert api.get("/v1/golden", scopes=READ).json()["items"][0]["cases"] == 20
    cases = api.get("/v1/golden/hard", scopes=READ).json()["items"]
    assert len(cases) == 20 and {c["expected"] for c in cases} == {"ham", "spam"}
    assert api.get("/v1/gate", scopes=READ).json() == {"gate": None, "custom": False}
    r = api.client.put("/v1/gate", headers=api.key(P, *ADMIN), json={"gate": {"primary": "accuracy", "margin": 0.02}})
    assert r.status_code == 200 and r.json()["gate"]["margin"] == 0.02 and r.json()["custom"] is True
    assert api.client.put("/v1/gate", headers=api.key(P, *READ), json={"gate": None}).status_code == 403
    r = api.client.put("/v1/gate", headers=api.key(P, *ADMIN), json={"gate": None})
    assert r.json() == {"gate": None, "custom": False}
    assert api.client.delete("/v1/golden/hard", headers=api.key(P, *INGEST)).status_code == 403
    r = api.client.delete("/v1/golden/hard", headers=api.key(P, *ADMIN))
    assert r.json() == {"name": "hard", "deleted": 20}
    assert api.get("/v1/golden/hard", scopes=READ).status_code == 404
    assert [e["action"] for e in audit_log(capture.store, P) if e["action"] in ("gate.set", "golden.delete")] == [
        "golden.delete",
        "gate.set",
        "gate.set",
    ]


def test_scopes_and_bad_input(api, capture) -> None:
    prod, cand = setup(api, capture)
    ok = {"workload": "spam", "candidate": cand, "golden": "hard"}
    assert api.post("/v1/evaluations", scopes=READ, json=ok).status_code == 403
    assert api.post("/v1/evaluations", scopes=INGEST, json=ok).status_code == 403
    for body, status, field in (
        ({"workload": "spam"}, 422, "candidate"),
        ({**ok, "colour": "red"}, 422, "colour"),
        ({**ok, "limit": "ten"}, 422, "limit"),
        ({**ok, "limit": True}, 422, "limit"),
        ({**ok, "metrics": "accuracy"}, 422, "metrics"),
        ({**ok, "candidate": "pv_nope"}, 404, "candidate"),
        ({**ok, "golden": "nope"}, 404, "golden"),
        ({**ok, "gate": {"margin": 0}}, 422, "primary"),
        ({"workload": "spam", "candidate": cand}, 409, "dataset"),
    ):
        for wait in ("true", "false"):
            r = api.post(f"/v1/evaluations?wait={wait}", scopes=ADMIN, json=body)
            assert (r.status_code, r.json().get("field")) == (status, field), (body, wait, r.text)
    assert api.get("/v1/evaluations", scopes=READ).json() == {"items": []}
    assert api.get("/v1/evaluations/ev_0000000000000000", scopes=READ).status_code == 404
    assert api.get("/v1/evaluations?limit=0", scopes=READ).status_code == 422
    r = api.post("/v1/golden/hard", scopes=ADMIN, json={"workload": "spam", "cases": [{"input": 3}]})
    assert (r.status_code, r.json()["field"]) == (422, "cases[0].input")
    r = api.post("/v1/golden/hard", scopes=ADMIN, json={"workload": "spam", "cases": {}})
    assert (r.status_code, r.json()["field"]) == (422, "cases")
    r = api.client.put("/v1/gate", headers=api.key(P, *ADMIN), json={"gate": {"primary": "accuracy"}, "x": 1})
    assert (r.status_code, r.json()["field"]) == (422, "x")


def test_stopping_the_server_fails_its_background_evaluation(api, capture, monkeypatch) -> None:
    """``flyloop serve`` stopped while an evaluation ran in one of its threads: the record said
    ``running`` for ever. Now the server's shutdown asks it to stop between cases and it is stored
    failed, saying the server stopped."""
    import re
    import threading

    from fastapi.testclient import TestClient

    from flyloop.evaluate import answers as answers_module
    from flyloop.evaluate import get_evaluation

    prod, cand = setup(api, capture)
    real, answering = answers_module.answerer, threading.Event()

    def slow(store, project_id, version, *, settings=None):
        answer = real(store, project_id, version, settings=settings)

        def one(case):
            answering.set()
            time.sleep(0.05)  # 20 cases take two seconds: the server stops first
            return answer(case)

        return one

    monkeypatch.setattr(answers_module, "answerer", slow)
    body = {"workload": "spam", "candidate": cand, "golden": "hard", "gate": GATE}
    with TestClient(api.app) as client:  # the app's lifespan runs: its shutdown at the end
        r = client.post("/v1/evaluations", headers=api.key(P, *ADMIN), json=body)
        assert r.status_code == 202, r.text
        started = r.json()["id"]
        assert answering.wait(30)
    ended = get_evaluation(capture.store, P, started)
    assert ended.status == "failed"
    assert re.fullmatch(rf"evaluation {started} was cancelled after \d+ of 20 cases: the server stopped", ended.error)
