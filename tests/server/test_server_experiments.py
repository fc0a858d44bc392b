"""Experiment routes (flyloop.server.experiments): start, list, show, metrics, check, stop; decisions
approve and dismiss; the automation level; bad input as a 4xx naming the field, state unchanged."""

from __future__ import annotations

from conftest import PROJECT as P
from experiment_fixtures import arena, worse_traffic
from flyloop import registry

ADMIN = ("admin",)


def test_start_list_show_metrics_and_stop(api, store):
    production, candidate = arena(store, P)
    started = api.post("/v1/experiments", scopes=ADMIN, json={"workload": "triage", "candidate": candidate,
                                                              "ramp": [20, 100], "primary": "acceptance"})  # fmt: skip
    assert started.status_code == 200, started.text
    exp = started.json()
    assert (exp["status"], exp["control"], exp["candidate"], exp["share"]) == ("running", production, candidate, 20.0)
    assert exp["split"] == {"control": 80.0, "candidate": 20.0}
    assert exp["created_by"].startswith("key:")
    assert api.get("/v1/experiments").json()["items"] == [exp]
    assert api.get(f"/v1/experiments/{exp['id']}").json() == exp
    metrics = api.get(f"/v1/experiments/{exp['id']}/metrics").json()
    assert metrics["arms"]["candidate"]["version"] == candidate and metrics["srm"]["mismatch"] is False
    resolved = api.get("/v1/policies/triage", params={"user_id": "someone"}).json()
    assert resolved["reason"].startswith(f"experiment:{exp['id']}:")
    stopped = api.post(f"/v1/experiments/{exp['id']}/stop", scopes=ADMIN, json={"reason": "enough"})
    assert stopped.json()["status"] == "stopped"
    again = api.post(f"/v1/experiments/{exp['id']}/stop", scopes=ADMIN, json={})
    assert (again.status_code, again.json()["field"]) == (409, "experiment")


def test_check_approve_and_the_level(api, store, capture):
    from flyloop.rollout import get_experiment

    _, candidate = arena(store, P)
    assert api.get("/v1/automation").json() == {"level": "manual"}
    assert api.client.put("/v1/automation", headers=api.key(P, "admin"), json={"level": "approved"}).json() == {
        "level": "approved"
    }
    exp_id = api.post("/v1/experiments", scopes=ADMIN, json={"workload": "triage", "candidate": candidate,
                                                             "ramp": [50, 100], "primary": "acceptance",
                                                             "min_users": 200}).json()["id"]  # fmt: skip
    worse_traffic(store, capture, P, get_experiment(store, P, exp_id))
    decision = api.post(f"/v1/experiments/{exp_id}/check", scopes=ADMIN).json()
    assert (decision["action"], decision["status"]) == ("rollback", "pending")
    assert api.get("/v1/decisions", params={"status": "pending"}).json()["items"] == [decision]
    approved = api.post(f"/v1/decisions/{decision['id']}/approve", scopes=ADMIN)
    assert approved.json()["status"] == "approved"
    assert api.get(f"/v1/experiments/{exp_id}").json()["status"] == "rolled_back"
    twice = api.post(f"/v1/decisions/{decision['id']}/approve", scopes=ADMIN)
    assert (twice.status_code, twice.json()["field"]) == (409, "decision")
    dismissed = api.post(f"/v1/decisions/{decision['id']}/dismiss", scopes=ADMIN)
    assert dismissed.status_code == 409
    assert registry.version_stage(store, P, candidate) == "archived"


def test_bad_input_names_the_field_and_changes_nothing(api, store):
    _, candidate = arena(store, P)
    cases = [
        ({"workload": "triage", "candidate": candidate, "ramp": [50, 10, 100]}, 422, "ramp[1]"),
        ({"workload": "triage", "candidate": candidate, "ramp": "10,100"}, 422, "ramp"),
        ({"workload": "triage", "candidate": candidate, "speed": 3}, 422, "speed"),
        ({"workload": "triage"}, 422, "candidate"),
        ({"workload": "triage", "candidate": "pv_nope"}, 404, None),
    ]
    for body, status, field in cases:
        answer = api.post("/v1/experiments", scopes=ADMIN, json=body)
        assert answer.status_code == status, (body, answer.text)
        if field:
            assert answer.json()["field"] == field
    assert api.get("/v1/experiments").json()["items"] == []
    assert api.get("/v1/experiments/ex_nope").status_code == 404
    bad_level = api.client.put("/v1/automation", headers=api.key(P, "admin"), json={"level": "yolo"})
    assert (bad_level.status_code, bad_level.json()["field"]) == (422, "level")
    # a read key cannot start one
    assert api.post("/v1/experiments", json={"workload": "triage", "candidate": candidate}).status_code == 403
    first = api.post("/v1/experiments", scopes=ADMIN, json={"workload": "triage", "candidate": candidate})
    second = api.post("/v1/experiments", scopes=ADMIN, json={"workload": "triage", "candidate": candidate})
    assert first.status_code == 200 and (second.status_code, second.json()["field"]) == (409, "workload")
