"""A tainted candidate stops being served in the operation that tainted it (flyloop.rollout.tainted):
erasing a user whose data trained it, content removal, or a person's taint rolls back its running
experiment at once, at every automation level, so the very next resolution is production."""

from __future__ import annotations

from conftest import PROJECT as P
from conftest import SPEC, with_policy
from flyloop import datasets, registry
from flyloop.improve import get_bank
from flyloop.privacy import erase_user
from flyloop.rollout import (
    check_experiment,
    get_experiment,
    list_decisions,
    resolve,
    start_experiment,
    taint_version,
)


def experiment_on_the_bank_version(store, capture, settings):
    """Production a version with no bank; the candidate (at 50% of new users) uses the bank built
    from the seeded users' data."""
    candidate, bank = with_policy(store, capture, settings)
    production = registry.register(store, P, {**SPEC, "system_prompt": "No examples.", "k": 0})
    registry.set_production(store, P, "math", production.id)
    exp = start_experiment(store, P, "math", candidate.id, ramp=(50, 100), force=True, reason="the test's candidate")
    # A user on the candidate's arm (the salt is fresh: which users are is not fixed).
    served = {u: resolve(store, P, "math", u).version.id for u in (f"app-user-{i}" for i in range(40))}
    user = next(u for u, v in served.items() if v == candidate.id)
    return production.id, candidate.id, exp, user


def test_erasing_a_user_who_trained_the_candidate_serves_production_at_the_next_resolve(store, capture, settings):
    production, candidate, exp, user = experiment_on_the_bank_version(store, capture, settings)
    report = erase_user(store, P, "user3", settings=settings, grace_s=0)
    assert report["versions"] == [candidate] and report["experiments"] == [exp.id]
    found = resolve(store, P, "math", user)  # the automation level is manual: no look was needed
    assert (found.version.id, found.reason) == (production, "production")
    ended = get_experiment(store, P, exp.id)
    (decision,) = list_decisions(store, P)
    assert (ended.status, ended.decision) == ("rolled_back", {"decision": decision.id, "by": "erasure"})
    assert (decision.action, decision.status, decision.decided_by, decision.version_id) == (
        "rollback",
        "applied",
        "erasure",
        candidate,
    )
    taint = registry.version_taint(store, P, candidate)
    assert decision.reason == f"the candidate was trained on erased data ({taint}): rolling back"
    assert (decision.details["level"], decision.details["taint"]) == ("manual", taint)
    assert registry.version_stage(store, P, candidate) == "archived"
    # Erasing another user later finds nothing more to roll back.
    assert "experiments" not in erase_user(store, P, "user4", settings=settings, grace_s=0)


def test_a_person_tainting_the_candidate_rolls_its_experiment_back_and_supersedes_open_decisions(
    store, capture, settings
):
    production, candidate, exp, user = experiment_on_the_bank_version(store, capture, settings)
    other = registry.register(store, P, {**SPEC, "system_prompt": "Unrelated.", "k": 0})
    assert taint_version(store, P, other.id, "not in any experiment", by="ana") == "not in any experiment"
    assert get_experiment(store, P, exp.id).status == "running"
    assert taint_version(store, P, candidate, "a leaked ticket", by="ana") == "a leaked ticket"
    assert resolve(store, P, "math", user).reason == "production"
    (decision,) = list_decisions(store, P)
    assert (decision.decided_by, decision.reason) == (
        "ana",
        "the candidate was trained on erased data (a leaked ticket): rolling back",
    )


def test_a_look_rolls_back_a_candidate_tainted_below_the_rollout_stage_at_level_manual(store, capture, settings):
    """A dataset version (or an artifact) a person condemns in a lower stage ends no experiment
    itself: the next look rolls its candidate back, whatever the level."""
    production, candidate, exp, user = experiment_on_the_bank_version(store, capture, settings)
    bank = get_bank(store, P, registry.get_version(store, P, candidate).bank)
    datasets.taint(store, P, bank.dataset_version, "a leaked ticket in the data")
    assert resolve(store, P, "math", user).version.id == candidate
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status, decision.decided_by) == ("rollback", "applied", "automation")
    assert decision.details["level"] == "manual"
    assert resolve(store, P, "math", user).version.id == production
