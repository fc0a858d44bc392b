"""Automation (flyloop.rollout.decisions): the project's level, what a look decides (ramp, promote,
roll back, hold) in words and numbers, flagged/pending/applied per level, approving and dismissing,
the SRM hold, and bad input: an unknown level, approving twice, a decision of an ended experiment."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_experiments import arena
from test_live import enrol, traffic

from conftest import PROJECT as P
from flyloop import errors, registry
from flyloop.rollout import (
    approve_decision,
    automation,
    check_experiment,
    check_running,
    dismiss_decision,
    get_experiment,
    list_decisions,
    resolve,
    set_automation,
    start_experiment,
)
from flyloop.store import schema

USERS = [f"u{i}" for i in range(1200)]


def started(store, capture, rates, *, ramp=(50, 100), level="full", min_users=200, seed=0):
    """An experiment on ``ramp`` with 1,200 users' traffic at ``rates`` (acceptance) per arm."""
    production, candidate = arena(store)
    set_automation(store, P, level, by="ana")
    exp = start_experiment(store, P, "triage", candidate, ramp=ramp, primary="acceptance", min_users=min_users)
    traffic(capture, exp, enrol(store, exp, USERS), rates, seed=seed)
    return production, candidate, exp


def test_the_level_is_manual_until_set_and_bad_levels_are_refused(store):
    assert automation(store, P) == "manual"
    assert set_automation(store, P, "approved", by="ana") == "approved"
    assert automation(store, P) == "approved"
    with pytest.raises(errors.ValidationError) as caught:
        set_automation(store, P, "yolo")
    assert caught.value.field == "level"
    assert automation(store, P) == "approved"
    with store.read() as conn:
        row = conn.execute(sa.select(schema.rollout_config)).one()
    assert (row.automation, row.updated_by) == ("approved", "ana")


def test_a_worse_candidate_is_rolled_back_at_level_full(store, capture):
    production, candidate, exp = started(store, capture, {"control": 0.7, "candidate": 0.5})
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status, decision.decided_by) == ("rollback", "applied", "automation")
    assert decision.reason.startswith("acceptance broke its guardrail: the difference -0.")
    assert "wholly below the worst allowed +0" in decision.reason
    assert decision.details["verdict"]["broken"] == ["acceptance"]
    ended = get_experiment(store, P, exp.id)
    assert (ended.status, ended.decision) == ("rolled_back", {"decision": decision.id, "by": "automation"})
    assert registry.version_stage(store, P, candidate) == "archived"
    assert registry.production(store, P, "triage").id == production
    assert resolve(store, P, "triage", "u1").reason == "production"
    assert list_decisions(store, P) == [decision]


def test_a_better_candidate_is_promoted_at_level_full(store, capture):
    production, candidate, exp = started(store, capture, {"control": 0.5, "candidate": 0.7})
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status) == ("promote", "applied")
    assert decision.reason.startswith("the primary metric improved: its difference +0.")
    assert get_experiment(store, P, exp.id).status == "promoted"
    assert registry.production(store, P, "triage").id == candidate
    assert resolve(store, P, "triage", "u1").reason == "production"
    move = [m for m in registry.stage_history(store, P, "triage") if m.version_id == candidate][-1]
    assert (move.stage, move.experiment_id, move.gate["action"]) == ("production", exp.id, "promote")


def test_ramp_pending_at_level_approved_then_approved_by_a_person(store, capture):
    _, _, exp = started(store, capture, {"control": 0.6, "candidate": 0.6}, ramp=(50, 80, 100), level="approved")
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status) == ("ramp", "pending")
    assert decision.reason.startswith("no guardrail broke over ")
    assert decision.details["from_step"] == 0 and decision.details["to_step"] == 1
    assert get_experiment(store, P, exp.id).step == 0  # nothing applied yet
    assert check_experiment(store, P, exp.id) == decision  # the same move is not recorded twice
    approved = approve_decision(store, P, decision.id, by="ana")
    assert (approved.status, approved.decided_by) == ("approved", "ana")
    assert get_experiment(store, P, exp.id).split == {"control": 20.0, "candidate": 80.0}
    with pytest.raises(errors.Conflict) as twice:
        approve_decision(store, P, decision.id, by="ana")
    assert (twice.value.field, twice.value.message) == ("decision", f"decision {decision.id} is approved already")


def test_semi_flags_and_a_dismissed_decision_changes_nothing(store, capture):
    _, _, exp = started(store, capture, {"control": 0.7, "candidate": 0.5}, level="semi")
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status) == ("rollback", "flagged")
    assert get_experiment(store, P, exp.id).status == "running"
    dismissed = dismiss_decision(store, P, decision.id, by="ana")
    assert dismissed.status == "dismissed"
    assert get_experiment(store, P, exp.id).status == "running"
    with pytest.raises(errors.Conflict):
        approve_decision(store, P, decision.id)


def test_manual_records_only_the_metrics(store, capture):
    _, _, exp = started(store, capture, {"control": 0.7, "candidate": 0.5}, level="manual")
    decision = check_experiment(store, P, exp.id)
    assert (decision.id, decision.action, decision.status) == (None, "rollback", "manual")
    assert list_decisions(store, P) == []
    state = get_experiment(store, P, exp.id).state
    assert state["last_check"]["action"] == "rollback"
    assert state["users"]["control"] + state["users"]["candidate"] == 1200
    assert state["running"]["guardrail:acceptance"]["upper"] < 0


def test_a_decision_of_an_ended_experiment_cannot_be_approved(store, capture):
    _, _, exp = started(store, capture, {"control": 0.7, "candidate": 0.5}, level="approved")
    decision = check_experiment(store, P, exp.id)
    from flyloop.rollout import stop_experiment

    stop_experiment(store, P, exp.id, by="ana")
    with pytest.raises(errors.Conflict) as caught:
        approve_decision(store, P, decision.id)
    assert caught.value.field == "decision"
    assert "has ended (stopped)" in caught.value.message
    assert list_decisions(store, P)[0].status == "pending"
    with pytest.raises(errors.Conflict) as ended:
        check_experiment(store, P, exp.id)
    assert ended.value.field == "experiment"
    with pytest.raises(errors.NotFound):
        approve_decision(store, P, "dc_nope")


def test_too_few_users_hold_with_the_count(store, capture):
    _, _, exp = started(store, capture, {"control": 0.6, "candidate": 0.6}, min_users=5000)
    decision = check_experiment(store, P, exp.id)
    assert (decision.id, decision.action, decision.status) == (None, "hold", "hold")
    users = get_experiment(store, P, exp.id).state["users"]["candidate"]
    assert decision.reason == f"{users} of 5000 candidate users at 50%: waiting"


def test_a_sample_ratio_mismatch_holds_a_ramp(store, capture):
    _, candidate = arena(store)
    set_automation(store, P, "full")
    exp = start_experiment(store, P, "triage", candidate, ramp=(10, 50, 100), primary="acceptance", min_users=100)
    arms = enrol(store, exp, USERS, arms={u: "candidate" if i % 2 else "control" for i, u in enumerate(USERS)})
    traffic(capture, exp, arms, {"control": 0.6, "candidate": 0.6})
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status) == ("hold", "hold")
    assert decision.reason.startswith("sample ratio mismatch, holding: mismatch: control 600 (expected 1080.0)")
    assert get_experiment(store, P, exp.id).state["srm"]["mismatch"] is True
    assert [(d.experiment_id, d.action) for d in check_running(store)] == [(exp.id, "hold")]


def test_a_candidate_tainted_mid_experiment_is_rolled_back_whatever_its_metrics(store, capture):
    production, candidate, exp = started(store, capture, {"control": 0.5, "candidate": 0.7}, level="full")
    registry.taint_version(store, P, candidate, "its bank's dataset held an erased user")
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status) == ("rollback", "applied")
    assert decision.reason.startswith("the candidate was trained on erased data (")
    assert decision.reason.endswith("): rolling back")
    assert get_experiment(store, P, exp.id).status == "rolled_back"
    assert registry.production(store, P, "triage").id == production
