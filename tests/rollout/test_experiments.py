"""Experiments (flyloop.rollout.experiments) and serving through them (flyloop.rollout.serving.choose):
sticky, persisted assignment that survives restarts and ramps, the split, no user id → control,
the candidate's stage, stopping, and bad input refused with state unchanged."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from conftest import PROJECT as P
from flyloop import errors, registry
from flyloop.capture import declare_workload
from flyloop.privacy import erase_user, pseudonym, rotate_key
from flyloop.rollout import (
    Experiment,
    get_experiment,
    list_experiments,
    resolve,
    running_experiment,
    start_experiment,
    stop_experiment,
)
from flyloop.rollout.experiments import CANDIDATE, CONTROL, arm_for, assignment_counts, update_experiment
from flyloop.store import Store, schema

LABELS = ["spam", "ham"]


def passed_evaluation(store: Store, candidate: str, baseline: str, *, passed: bool = True) -> str:
    """A stored evaluation of ``candidate`` against ``baseline`` (what the gate reads)."""
    now = time.time()
    evaluation_id = f"ev_{candidate[-16:]}"
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.evaluations),
            [
                {
                    "project_id": P,
                    "id": evaluation_id,
                    "workload": "triage",
                    "candidate": candidate,
                    "baseline": baseline,
                    "source": "eval split",
                    "dataset_version": None,
                    "cases": 400,
                    "status": "succeeded",
                    "metrics": {},
                    "comparison": {},
                    "gate": {"passed": passed, "summary": "accuracy +0.05 [+0.02, +0.08]", "checks": []},
                    "passed": passed,
                    "config": {},
                    "error": None,
                    "run_id": None,
                    "created_by": "test",
                    "created_at": now,
                    "finished_at": now,
                }
            ],
        )
    return evaluation_id


def arena(store: Store, *, passed: bool = True) -> tuple[str, str]:
    """A choice workload with a production version and a candidate that passed its gate."""
    declare_workload(store, P, "triage", type="choice", labels=LABELS)
    base = {"workload": "triage", "model": "gpt-4o-mini"}
    production = registry.register(store, P, {**base, "system_prompt": "Sort mail."})
    candidate = registry.register(store, P, {**base, "system_prompt": "Sort mail carefully."})
    registry.set_production(store, P, "triage", production.id)
    passed_evaluation(store, candidate.id, production.id, passed=passed)
    return production.id, candidate.id


def test_start_serves_the_first_step_and_moves_the_candidate_to_canary(store):
    production, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(10, 50, 100), by="ana", min_users=50)
    assert (exp.status, exp.control, exp.candidate, exp.step, exp.ramp) == (
        "running", production, candidate, 0, [10.0, 50.0, 100.0]
    )  # fmt: skip
    assert exp.split == {CONTROL: 90.0, CANDIDATE: 10.0}
    assert exp.evaluation_id == f"ev_{candidate[-16:]}"
    assert exp.config["primary"] == {"metric": "good_rate", "effect": 0.03, "better": "higher"}
    assert exp.config["guardrails"] == [{"metric": "good_rate", "effect": 0.03, "better": "higher", "bound": 0.0}]
    assert registry.version_stage(store, P, candidate) == "canary"
    assert running_experiment(store, P, "triage") == exp == get_experiment(store, P, exp.id)
    assert list_experiments(store, P, workload="triage") == [exp]


def test_assignment_is_sticky_persisted_and_survives_a_restart(store, database_url):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(50, 100))
    first = {u: resolve(store, P, "triage", f"user-{u}") for u in range(200)}
    arms = {u: found.reason.rsplit(":", 1)[1] for u, found in first.items()}
    assert set(arms.values()) == {CONTROL, CANDIDATE}
    for u, found in first.items():
        assert found.reason == f"experiment:{exp.id}:{arms[u]}"
        assert found.version.id == exp.versions[arms[u]]
        assert found.per_user
    # asked again: the same arm, from the stored row
    assert all(resolve(store, P, "triage", f"user-{u}").reason == first[u].reason for u in range(200))
    with store.read() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(schema.assignments)).scalar_one()
        keys = conn.execute(sa.select(schema.assignments.c.user_key)).scalars().all()
    assert rows == 200
    assert pseudonym(store, P, "user-0") in keys and "user-0" not in keys  # never the raw id


def test_a_rotated_pseudonym_key_keeps_every_assigned_user_in_their_arm(store):
    _, candidate = arena(store)
    start_experiment(store, P, "triage", candidate, ramp=(50, 100))
    before = {u: resolve(store, P, "triage", f"user-{u}").reason for u in range(100)}
    old_key = pseudonym(store, P, "user-0")
    rotate_key(store, P, "pseudonym")
    assert pseudonym(store, P, "user-0") != old_key
    with store.read() as conn:
        keys = set(conn.execute(sa.select(schema.assignments.c.user_key)).scalars().all())
    assert pseudonym(store, P, "user-0") in keys and old_key not in keys and len(keys) == 100
    assert {u: resolve(store, P, "triage", f"user-{u}").reason for u in range(100)} == before


def test_a_ramp_never_moves_an_assigned_user_but_widens_new_users(store):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(10, 50, 100))
    before = {u: resolve(store, P, "triage", f"u{u}").reason for u in range(300)}
    steps = [*exp.state["steps"], {"step": 1, "share": 50.0, "at": time.time()}]
    ramped = update_experiment(store, P, exp, step=1, state={**exp.state, "steps": steps})
    assert ramped.split == {CONTROL: 50.0, CANDIDATE: 50.0}
    assert {u: resolve(store, P, "triage", f"u{u}").reason for u in range(300)} == before
    # users never seen follow the wider split; those the ramp moved would have been control before
    fresh = [arm_for(store, P, ramped, pseudonym(store, P, f"new{u}")) for u in range(1000)]
    assert 0.44 < fresh.count(CANDIDATE) / 1000 < 0.56
    counts = assignment_counts(store, P, ramped)
    assert sum(counts[0].values()) == 300 and sum(counts[1].values()) == 1000


def test_the_split_holds_within_one_percent(store):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(10, 50, 100))
    allocation = exp.allocation()
    from flyloop.rollout import assign

    arms = [assign(f"u_{i:032x}", allocation) for i in range(100_000)]
    assert abs(arms.count(CANDIDATE) / len(arms) - 0.10) < 0.01


def test_no_user_id_gets_control_and_the_reason_says_so(store):
    production, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate)
    found = resolve(store, P, "triage")
    assert (found.version.id, found.reason) == (production, f"experiment:{exp.id}:control:no user id")


def test_stop_ends_it_serves_production_and_returns_the_candidate(store):
    production, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(50, 100))
    resolve(store, P, "triage", "someone")
    stopped = stop_experiment(store, P, exp.id, by="ana", reason="wrong candidate")
    assert (stopped.status, stopped.decision) == (
        "stopped",
        {"action": "stop", "by": "ana", "reason": "wrong candidate"},
    )
    assert stopped.ended_at is not None
    assert running_experiment(store, P, "triage") is None
    assert resolve(store, P, "triage", "someone").reason == "production"
    assert registry.version_stage(store, P, candidate) == "candidate"
    with pytest.raises(errors.Conflict) as caught:
        stop_experiment(store, P, exp.id)
    assert caught.value.field == "experiment"
    # a new experiment may start on the workload now
    assert start_experiment(store, P, "triage", candidate).status == "running"


def test_erasure_removes_the_users_assignments(store):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate)
    resolve(store, P, "triage", "leaver")
    resolve(store, P, "triage", "stayer")
    erase_user(store, P, "leaver", actor="test")
    with store.read() as conn:
        keys = conn.execute(sa.select(schema.assignments.c.user_key)).scalars().all()
    assert keys == [pseudonym(store, P, "stayer")]
    assert exp.id


# --- bad input: refused with a clear error, nothing written -------------------------------------


def state(store: Store) -> tuple[int, str]:
    with store.read() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(schema.experiments)).scalar_one()
    return n, registry.version_stage(store, P, registry.list_versions(store, P, "triage")[-1].id)


@pytest.mark.parametrize(
    ("ramp", "field", "message"),
    [
        ((50, 10, 100), "ramp[1]", "steps must increase: 10% follows 50%"),
        ((10, 50), "ramp", "the last step is 100% (promotion), not 50%"),
        ((0, 100), "ramp[0]", "0% is outside (0, 100]"),
        ((10, 150), "ramp[1]", "150% is outside (0, 100]"),
        ((100,), "ramp", "a ramp needs a step below 100% before promotion, such as [10, 100]"),
        ((), "ramp", "ramp is a list of percentages, such as [10, 50, 100]"),
        (("ten", 100), "ramp[0]", "'ten' is not a percentage"),
    ],
)
def test_ramps_that_do_not_climb_to_100_are_refused(store, ramp, field, message):
    _, candidate = arena(store)
    before = state(store)
    with pytest.raises(errors.ValidationError) as caught:
        start_experiment(store, P, "triage", candidate, ramp=ramp)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert state(store) == before


def test_a_second_experiment_on_the_workload_is_a_conflict(store):
    production, candidate = arena(store)
    other = registry.register(store, P, {"workload": "triage", "model": "gpt-4o-mini",
                                         "system_prompt": "Another."})  # fmt: skip
    passed_evaluation(store, other.id, production)
    first = start_experiment(store, P, "triage", candidate)
    with pytest.raises(errors.Conflict) as caught:
        start_experiment(store, P, "triage", other.id)
    assert caught.value.field == "workload"
    assert caught.value.message == f"workload 'triage' already runs experiment {first.id}: stop it first"
    assert registry.version_stage(store, P, other.id) == "candidate"
    assert list_experiments(store, P) == [first]


def test_a_tainted_candidate_is_refused(store):
    _, candidate = arena(store)
    registry.taint_version(store, P, candidate, "its bank's dataset held an erased user")
    with pytest.raises(errors.Conflict) as caught:
        start_experiment(store, P, "triage", candidate)
    assert caught.value.field == "candidate"
    assert "trained on erased data" in caught.value.message
    assert list_experiments(store, P) == []


def test_a_candidate_that_failed_its_gate_needs_force_and_a_reason(store):
    _, candidate = arena(store, passed=False)
    with pytest.raises(errors.Conflict) as caught:
        start_experiment(store, P, "triage", candidate)
    assert caught.value.field == "gate"
    with pytest.raises(errors.ValidationError) as caught_reason:
        start_experiment(store, P, "triage", candidate, force=True)
    assert caught_reason.value.field == "reason"
    assert list_experiments(store, P) == []
    exp = start_experiment(store, P, "triage", candidate, force=True, reason="the gate's golden set is stale")
    assert exp.config["forced"] is True and exp.config["reason"] == "the gate's golden set is stale"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"primary": "happiness"}, "primary.metric"),
        ({"guardrails": [{"metric": "latency_ms", "bound": -5}]}, "guardrails[0].bound"),
        ({"guardrails": [{"metric": "cost", "speed": 1}]}, "guardrails[0]"),
        ({"guardrails": "good_rate"}, "guardrails"),
        ({"min_users": 0}, "min_users"),
        ({"by": ""}, "by"),
    ],
)
def test_bad_metrics_and_arguments_name_their_field(store, kwargs, field):
    _, candidate = arena(store)
    with pytest.raises(errors.ValidationError) as caught:
        start_experiment(store, P, "triage", candidate, **kwargs)
    assert caught.value.field == field
    assert list_experiments(store, P) == []


def test_unknown_experiments_and_candidates_are_not_found(store):
    production, _ = arena(store)
    with pytest.raises(errors.NotFound) as caught:
        get_experiment(store, P, "ex_nope")
    assert caught.value.field == "experiment"
    with pytest.raises(errors.NotFound):
        start_experiment(store, P, "triage", "pv_nope")
    with pytest.raises(errors.Conflict) as same:
        start_experiment(store, P, "triage", production)
    assert same.value.field == "candidate"


def test_a_candidate_whose_model_cannot_load_is_refused(store):
    production, _ = arena(store)
    broken = registry.register(store, P, {"workload": "triage", "system_prompt": "No model named."})
    passed_evaluation(store, broken.id, production)
    with pytest.raises(errors.Conflict) as caught:
        start_experiment(store, P, "triage", broken.id)
    assert caught.value.field == "candidate"
    assert caught.value.message == f"{broken.id} cannot load: the openai backend needs a model name"
    assert list_experiments(store, P) == []


def test_two_starts_at_once_one_wins_the_other_conflicts(store):
    import threading

    _, candidate = arena(store)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        barrier.wait()  # one store, two threads: its pool gives each a connection of its own
        try:
            results.append(start_experiment(store, P, "triage", candidate).id)
        except errors.Conflict as exc:
            results.append(exc.field)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results))[1] == "workload" and str(sorted(map(str, results))[0]).startswith("ex_")
    assert len(list_experiments(store, P, status="running")) == 1


def _experiment(ended_at: float | None) -> Experiment:
    return Experiment(
        id="ex_1", workload="triage", status="running", control="pv_a", candidate="pv_b", salt="s",
        ramp=[10.0, 100.0], step=0, config={}, state={}, created_by="t", started_at=100.0, ended_at=ended_at,
    )  # fmt: skip


def test_the_arm_rule_the_live_metrics_and_the_monitor_share():
    running, ended = _experiment(None), _experiment(200.0)
    assert running.arm_served("triage", "pv_b", "u1", 150.0, "candidate") == "candidate"
    assert running.arm_served("triage", "pv_a", "u1", 100.0, "control") == "control"  # from its first second
    assert running.arm_served("triage", "pv_a", "u1", 150.0, "candidate") is None  # a stale cache
    assert running.arm_served("triage", "pv_b", "u1", 150.0, None) is None  # no assignment (erased)
    assert running.arm_served("triage", "pv_b", None, 150.0, "candidate") is None  # no user
    assert running.arm_served("other", "pv_b", "u1", 150.0, "candidate") is None
    assert running.arm_served("triage", "pv_b", "u1", 99.0, "candidate") is None  # before it started
    assert running.arm_served("triage", "pv_c", "u1", 150.0, "candidate") is None
    assert running.arm_served("triage", "pv_b", "u1", 10_000.0, "candidate") == "candidate"
    assert ended.arm_served("triage", "pv_b", "u1", 200.0, "candidate") == "candidate"
    assert ended.arm_served("triage", "pv_b", "u1", 200.5, "candidate") is None  # after it ended
    assert ended.arm_named("triage", "pv_b", "u1", 150.0) == "candidate"
