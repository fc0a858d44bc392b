"""fw.experiments, fw.decisions and fw.automation (flyloop.sdk.experiments): the same answers and
errors on the local store and through the server; and the wheel end to end through the SDK: users
served by the policy cache log interactions and accept what they are shown, the worker's look ramps
a truly better candidate, then promotes it (the served policy follows within the cache's TTL),
and rolls a truly worse one back."""

from __future__ import annotations

import random
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from experiment_fixtures import arena
from flyloop import Flywheel, Settings, errors, registry
from flyloop.rollout import check_running
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Remote
from flyloop.store import schema

P = "acme"


def far_project(api, tmp_path: Path) -> Project:
    client = TestClient(api.app, headers=api.key(P, "admin"))
    settings = Settings(home=str(tmp_path / "client-home"), database_url="sqlite://")
    return Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings))


@pytest.mark.parametrize("mode", ["local", "remote"])
def test_the_verbs_answer_alike(mode, api, store, settings, tmp_path):
    _, candidate = arena(store, P)
    fw = Project.on_store(store, P, settings) if mode == "local" else far_project(api, tmp_path)
    assert fw.automation.show() == "manual"
    assert fw.automation.set("approved") == "approved" and fw.automation.show() == "approved"
    exp = fw.experiments.start("triage", candidate, ramp=(25, 100), primary="acceptance", min_users=10)
    assert (exp.status, exp.share, exp.candidate) == ("running", 25.0, candidate)
    assert fw.experiments.get(exp.id) == exp and fw.experiments.list() == [exp]
    assert fw.experiments.metrics(exp.id)["arms"]["control"]["users"] == 0
    look = fw.experiments.check(exp.id)
    assert (look.id, look.action, look.reason) == (None, "hold", "0 of 10 candidate users at 25%: waiting")
    assert fw.decisions.list() == []
    with pytest.raises(errors.NotFound) as unknown:
        fw.decisions.approve("dc_nope")
    assert unknown.value.field == "decision"
    with pytest.raises(errors.ValidationError) as bad:
        fw.automation.set("sometimes")
    assert bad.value.field == "level"
    with pytest.raises(errors.Conflict) as twice:
        fw.experiments.start("triage", candidate)
    assert twice.value.field == "workload"
    with pytest.raises(errors.ValidationError) as option:
        fw.experiments.start("triage", candidate, speed=2)
    assert option.value.field == "speed"
    stopped = fw.experiments.stop(exp.id, reason="done")
    assert stopped.status == "stopped" and fw.experiments.list(status="running") == []


def simulate(fw: Flywheel, users: range, accept: dict[str, float], rng: random.Random) -> dict[str, int]:
    """Each user asks once through the policy cache, the app logs what it served, and the user
    accepts with the probability of the version they were served. Returns who got which version."""
    served: dict[str, int] = {}
    for u in users:
        policy = fw.policy("triage", user_id=f"user{u}")
        interaction = policy.log("Claim your prize now", "spam")
        if rng.random() < accept[policy.version.id]:
            interaction.accept()
        served[policy.version.id] = served.get(policy.version.id, 0) + 1
    assert fw.flush()
    return served


def test_the_wheel_through_the_sdk_ramps_promotes_and_rolls_back(store, tmp_path):
    production, better = arena(store, P)
    Project.on_store(store, P, Settings(home=str(tmp_path / "home"))).automation.set("full")
    rng = random.Random(7)
    with Flywheel(store=store, project=P, home=str(tmp_path / "home"), policy_ttl_s=0.3) as fw:
        exp = fw.experiments.start("triage", better, ramp=(20, 50, 100), primary="acceptance", min_users=100)
        quality = {production: 0.55, better: 0.8}
        served = simulate(fw, range(0, 700), quality, rng)
        assert 0.15 < served[better] / 700 < 0.25  # the first step's 20%
        (ramp,) = check_running(store)
        assert (ramp.action, ramp.status, fw.experiments.get(exp.id).share) == ("ramp", "applied", 50.0)
        # assigned users keep their arm after the ramp
        again = {u: fw.policy("triage", user_id=f"user{u}").version.id for u in range(50)}
        with store.read() as conn:
            kept = conn.execute(sa.select(sa.func.count()).select_from(schema.assignments)).scalar_one()
        assert kept == 700 and len(again) == 50
        served = simulate(fw, range(700, 1000), quality, rng)
        assert 0.35 < served[better] / 300 < 0.65
        (promote,) = check_running(store)
        assert (promote.action, promote.status) == ("promote", "applied"), promote.reason
        assert registry.production(store, P, "triage").id == better
        time.sleep(0.35)  # the policy cache's TTL: then every user is served the new production
        after = {fw.policy("triage", user_id=f"user{u}").version.id for u in range(0, 1000, 10)}
        assert after == {better}

        worse = registry.register(store, P, {"workload": "triage", "model": "gpt-4o-mini", "system_prompt": "Guess."})
        now = time.time()
        with store.write() as conn:
            conn.execute(sa.insert(schema.evaluations), [{
                "project_id": P, "id": "ev_worse", "workload": "triage", "candidate": worse.id, "baseline": better,
                "source": "eval split", "dataset_version": None, "cases": 400, "status": "succeeded", "metrics": {},
                "comparison": {}, "config": {}, "error": None, "run_id": None, "gate": {"passed": True},
                "passed": True, "created_by": "test", "created_at": now, "finished_at": now}])  # fmt: skip
        second = fw.experiments.start("triage", worse.id, ramp=(50, 100), primary="acceptance", min_users=100)
        time.sleep(0.35)
        simulate(fw, range(2000, 2500), {better: 0.8, worse.id: 0.4}, rng)
        (rollback,) = check_running(store)
        assert (rollback.action, rollback.status) == ("rollback", "applied"), rollback.reason
        assert fw.experiments.get(second.id).status == "rolled_back"
        assert registry.production(store, P, "triage").id == better
        assert registry.version_stage(store, P, worse.id) == "archived"
        time.sleep(0.35)
        assert {fw.policy("triage", user_id=f"user{u}").version.id for u in range(2000, 2500, 10)} == {better}


def test_through_a_server_each_user_gets_their_own_arm(api, store, tmp_path):
    production, candidate = arena(store, P)
    Project.on_store(store, P, Settings(home=str(tmp_path / "home"))).experiments.start(
        "triage", candidate, ramp=(50, 100)
    )
    fw = Flywheel(server_url="http://testserver", api_key="k", project=P, home=str(tmp_path / "home"), policy_ttl_s=60)
    fw._sink.client = TestClient(api.app, headers={**api.key(P, "ingest"), "Content-Type": "application/json"})
    with fw:
        first = {u: fw.policy("triage", user_id=f"user{u}") for u in range(60)}
        assert {p.version.id for p in first.values()} == {production, candidate}
        for u, policy in first.items():
            assert policy.reason.endswith(":candidate" if policy.version.id == candidate else ":control")
            assert fw.policy("triage", user_id=f"user{u}").version.id == policy.version.id  # sticky
        assert fw.policy("triage").version.id == production  # no user id: control
