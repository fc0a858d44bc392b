"""Promotion under the gate, rollback through the production history, and the diff of two
versions: every refusal names its field and changes nothing."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from flyloop import errors
from flyloop.registry import (
    get_version,
    production,
    register,
    set_production,
    stage_history,
    stages_of,
    taint_version,
)
from flyloop.rollout import diff_versions, production_stack, promote, require_gate, rollback
from flyloop.rollout import promotion as promotion_module
from flyloop.store import Store, schema
from promotion_fixtures import URL, P, evaluated, versions


def state(store):
    """What a refused call must leave as it was."""
    held = production(store, P, "reply")
    return (None if held is None else held.id, stages_of(store, P), stage_history(store, P))


def test_the_first_production_version_needs_no_gate(store):
    (a,) = versions(store, "A")
    move = promote(store, P, "reply", a.id, by="user:ana", reason="launch")
    assert (move.stage, move.version_id, move.previous, move.by, move.reason) == (
        "production",
        a.id,
        None,
        "user:ana",
        "launch",
    )
    assert (move.gate, move.evaluation_id) == (None, None)
    assert production(store, P, "reply") == a


def test_a_candidate_that_passed_against_production_takes_it_and_the_old_one_is_archived(store):
    a, b = versions(store, "A", "B")
    promote(store, P, "reply", a.id, by="user")
    evaluated(store, b.id, "pv_someone_else", False)  # against another baseline: does not count
    passed = evaluated(store, b.id, a.id, True, summary="accuracy +4.0 points [1.2, 6.8] > margin 0: PASS")
    assert require_gate(store, P, b.id).id == passed
    move = promote(store, P, "reply", b.id, by="user:bo", reason="better")
    assert (move.previous, move.evaluation_id, move.gate) == (
        a.id,
        passed,
        {"passed": True, "summary": "accuracy +4.0 points [1.2, 6.8] > margin 0: PASS", "checks": []},
    )
    assert stages_of(store, P) == {a.id: "archived", b.id: "production"}
    assert [(m.stage, m.version_id) for m in stage_history(store, P)] == [
        ("production", a.id),
        ("production", b.id),
        ("archived", a.id),
    ]


def test_no_evaluation_against_production_or_a_failed_gate_is_refused_unless_forced_with_a_reason(store):
    a, b = versions(store, "A", "B")
    promote(store, P, "reply", a.id, by="user")
    before = state(store)
    with pytest.raises(errors.Conflict) as caught:
        promote(store, P, "reply", b.id, by="user")
    assert (caught.value.field, caught.value.message) == (
        "gate",
        f"no evaluation of {b.id} against production {a.id}: run flyloop eval run reply {b.id}, or force with a reason",
    )
    failed = evaluated(store, b.id, a.id, False, summary="accuracy -3.0 points [-5.1, -0.9]: FAIL")
    evaluated(store, b.id, a.id, True, status="failed")  # a run that failed is no verdict
    with pytest.raises(errors.Conflict) as caught:
        promote(store, P, "reply", b.id, by="user")
    assert (caught.value.field, caught.value.details["evaluation"]) == ("gate", failed)
    assert caught.value.message == (
        f"{b.id} failed its gate against production {a.id} (evaluation {failed}): "
        "accuracy -3.0 points [-5.1, -0.9]: FAIL; force with a reason to promote it anyway"
    )
    for reason in ("", "   "):
        with pytest.raises(errors.ValidationError) as caught:
            promote(store, P, "reply", b.id, by="user", force=True, reason=reason)
        assert caught.value.field == "reason"
    assert state(store) == before
    move = promote(store, P, "reply", b.id, by="user:ana", force=True, reason="the eval set predates the new labels")
    assert (move.evaluation_id, move.reason) == (failed, "the eval set predates the new labels")
    assert move.gate == {
        "passed": False,
        "summary": "accuracy -3.0 points [-5.1, -0.9]: FAIL",
        "checks": [],
        "forced": True,
        "reason": "the eval set predates the new labels",
    }
    assert stage_history(store, P)[-2] == move


def test_forcing_with_no_evaluation_records_that_there_was_none(store):
    a, b = versions(store, "A", "B")
    promote(store, P, "reply", a.id, by="user")
    move = promote(store, P, "reply", b.id, by="user", force=True, reason="hotfix")
    assert (move.evaluation_id, move.gate) == (
        None,
        {"passed": None, "summary": f"no evaluation against {a.id}", "forced": True, "reason": "hotfix"},
    )


def test_tainted_unloadable_unknown_foreign_and_current_versions_are_refused(store, tmp_path):
    a, b = versions(store, "A", "B")
    (theirs,) = versions(store, "T", workload="other")
    gone = register(store, P, {"workload": "reply", "backend": "transformers", "model": str(tmp_path / "gone")})
    promote(store, P, "reply", a.id, by="user")
    for v in (b, gone):
        evaluated(store, v.id, a.id, True)
    taint_version(store, P, b.id, "trained on a leaked ticket")
    before = state(store)
    cases = [
        (b.id, errors.Conflict, "version", f"{b.id} is tainted (trained on a leaked ticket): it serves no one"),
        (gone.id, errors.Conflict, "model", None),
        ("pv_nope", errors.NotFound, "version", "no policy version 'pv_nope' in this project"),
        (theirs.id, errors.ValidationError, "version", f"version {theirs.id} belongs to workload 'other', not 'reply'"),
        (a.id, errors.Conflict, "version", f"{a.id} is the production version of 'reply' already"),
    ]
    for version_id, kind, field, message in cases:
        with pytest.raises(kind) as caught:
            promote(store, P, "reply", version_id, by="user", force=True, reason="try anyway")
        assert caught.value.field == field, version_id
        if message is not None:
            assert caught.value.message == message
    with pytest.raises(errors.Conflict) as caught:
        promote(store, P, "reply", gone.id, by="user")
    assert caught.value.message.startswith(f"{gone.id} cannot load: ")
    assert str(tmp_path / "gone") in caught.value.message
    assert state(store) == before


def test_a_workload_whose_experiment_is_deciding_takes_no_other_promotion(store):
    a, b, c = versions(store, "A", "B", "C")
    promote(store, P, "reply", a.id, by="user")
    evaluated(store, c.id, a.id, True)
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.experiments),
            [
                {"project_id": P, "id": "ex_1", "workload": "reply", "status": "running", "active_workload": "reply"}
                | {"control": a.id, "treatment": b.id, "salt": "s", "ramp": [10, 100], "step": 0, "config": {}}
                | {"state": {}, "created_by": "user", "started_at": time.time()}
            ],
        )
    before = state(store)
    with pytest.raises(errors.Conflict) as caught:
        promote(store, P, "reply", c.id, by="user")
    assert (caught.value.field, caught.value.message) == (
        "workload",
        f"workload 'reply' runs experiment ex_1 (candidate {b.id}): let it decide, or stop it first",
    )
    assert state(store) == before
    evaluated(store, b.id, a.id, True)
    verdict = {"passed": True, "summary": "good-verdict rate +5.1 points, always-valid p=0.003"}
    move = promote(store, P, "reply", b.id, by="experiment:ex_1", gate=verdict, experiment_id="ex_1")
    assert (move.gate, move.experiment_id) == (verdict, "ex_1")


def test_a_promotion_whose_production_moved_after_its_gate_was_checked_changes_nothing(store, monkeypatch):
    a, b, c = versions(store, "A", "B", "C")
    promote(store, P, "reply", a.id, by="user")
    for v in (b, c):
        evaluated(store, v.id, a.id, True)
    real = promotion_module.require_gate

    def interleaved(*args, **kwargs):
        found = real(*args, **kwargs)
        if args[2] == b.id:  # while b's promotion is between its gate and its move, c takes production
            promote(store, P, "reply", c.id, by="user:other")
        return found

    monkeypatch.setattr(promotion_module, "require_gate", interleaved)
    with pytest.raises(errors.Conflict) as caught:
        promote(store, P, "reply", b.id, by="user")
    assert (caught.value.field, caught.value.details) == ("version", {"holder": c.id})
    assert production(store, P, "reply") == c
    assert stages_of(store, P) == {a.id: "archived", c.id: "production"}
    assert [m.version_id for m in stage_history(store, P, stage="production")] == [a.id, c.id]


@pytest.mark.parametrize("two_stores", [False, True], ids=["threads", "two-stores"])
def test_two_promotions_at_once_one_wins_the_other_gets_a_conflict(store, database_url, two_stores):
    stores = [Store(database_url), Store(database_url)] if two_stores else [store, store]
    try:
        a, b, c = versions(stores[0], "A", "B", "C")
        promote(stores[0], P, "reply", a.id, by="user")
        for v in (b, c):
            evaluated(stores[0], v.id, a.id, True)
        barrier = threading.Barrier(2)
        outcome: dict[str, object] = {}

        def race(s: Store, version_id: str) -> None:
            barrier.wait()
            try:
                outcome[version_id] = promote(s, P, "reply", version_id, by="user")
            except errors.FlyloopError as exc:
                outcome[version_id] = exc

        threads = [threading.Thread(target=race, args=(s, v.id)) for s, v in zip(stores, (b, c), strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        won = [v for v, o in outcome.items() if not isinstance(o, Exception)]
        lost = [o for o in outcome.values() if isinstance(o, Exception)]
        assert len(won) == 1 and len(lost) == 1, outcome
        assert isinstance(lost[0], errors.Conflict) and lost[0].field in ("version", "gate"), lost[0]
        assert production(stores[1], P, "reply").id == won[0]
        assert [m.version_id for m in stage_history(stores[1], P, stage="production")] == [a.id, won[0]]
    finally:
        if two_stores:
            for s in stores:
                s.close()


def test_rollback_walks_back_through_earlier_production_versions(store):
    a, b, c = versions(store, "A", "B", "C")
    with pytest.raises(errors.NotFound) as caught:
        rollback(store, P, "reply", by="user")
    assert (caught.value.field, caught.value.message) == (
        "workload",
        "workload 'reply' has no production version to roll back",
    )
    for v in (a, b, c):
        set_production(store, P, "reply", v.id)
    assert production_stack(store, P, "reply") == [a.id, b.id, c.id]
    first = rollback(store, P, "reply", by="user:ana", reason="error rate up")
    assert (first.version_id, first.previous, first.reason) == (b.id, c.id, f"rollback from {c.id}: error rate up")
    assert stages_of(store, P) == {a.id: "archived", b.id: "production", c.id: "archived"}
    second = rollback(store, P, "reply", by="user")
    assert (second.version_id, second.reason) == (a.id, f"rollback from {b.id}")
    before = state(store)
    with pytest.raises(errors.Conflict) as caught:
        rollback(store, P, "reply", by="user")
    assert (caught.value.field, caught.value.message) == (
        "workload",
        f"no earlier production version of 'reply' to roll back to (production is {a.id})",
    )
    assert state(store) == before
    assert production_stack(store, P, "reply") == [a.id]


def test_rollback_refuses_an_earlier_version_now_tainted(store):
    a, b = versions(store, "A", "B")
    set_production(store, P, "reply", a.id)
    set_production(store, P, "reply", b.id)
    taint_version(store, P, a.id, "erasure: a user's data was removed")
    before = state(store)
    with pytest.raises(errors.Conflict) as caught:
        rollback(store, P, "reply", by="user")
    assert (caught.value.field, caught.value.message) == (
        "version",
        f"{a.id} is tainted (erasure: a user's data was removed): it serves no one",
    )
    assert state(store) == before


def test_diff_names_each_field_that_differs_and_shows_the_prompt_as_a_unified_diff(store):
    (a,) = versions(store, "Answer briefly.\nBe kind.")
    b = register(
        store,
        P,
        {"workload": "reply", "model": "m2", "system_prompt": "Answer briefly.\nBe exact.", "params": {"base_url": URL}}
        | {"template": "Q: {{ input }}", "token_budget": 500},
    )
    b = get_version(store, P, b.id)
    diff = diff_versions(a, b)
    assert diff["changed"] == ["system_prompt", "template", "model", "token_budget"]
    assert diff["fields"] == {"model": {"a": "m", "b": "m2"}, "token_budget": {"a": None, "b": 500}}
    assert diff["params"] == {}
    assert diff["prompt"]["system_prompt"] == (
        f"--- {a.id}/system_prompt\n+++ {b.id}/system_prompt\n"
        "@@ -1,2 +1,2 @@\n Answer briefly.\n-Be kind.\n+Be exact.\n"
    )
    assert diff["prompt"]["template"] == (
        f"--- {a.id}/template\n+++ {b.id}/template\n@@ -1 +1 @@\n-{{{{ input }}}}\n+Q: {{{{ input }}}}\n"
    )
    c = register(
        store,
        P,
        {"workload": "reply", "model": "m", "system_prompt": "Answer briefly.\nBe kind."}
        | {"params": {"base_url": URL, "temperature": 0.2}},
    )
    assert diff_versions(a, c)["params"] == {"temperature": {"a": None, "b": 0.2}}
    assert diff_versions(a, c)["changed"] == ["params"]
    assert diff_versions(a, a)["changed"] == []


def test_the_real_evaluation_runner_gates_a_promotion(capture):
    """On real labelled text (SpamAssassin subject lines): the kNN classifier over the training
    split's bank in production, a k=15 vote as the candidate, both run on the held-out split by
    :func:`flyloop.evaluate.run_evaluation`. A gate no candidate can pass (a margin of 100 points)
    refuses the promotion naming that evaluation; forcing it keeps the runner's own verdict."""
    import json
    from pathlib import Path

    from conftest import fix_keys, hours_ago
    from flyloop import datasets
    from flyloop.capture import declare_workload
    from flyloop.evaluate import GateConfig, run_evaluation
    from flyloop.improve import build_bank

    store, data = capture.store, Path(__file__).parents[1] / "improve" / "data" / "spam_subjects.jsonl"
    rows = [json.loads(line) for line in data.read_text().splitlines()]
    ham, spam = [r for r in rows if r["label"] == "ham"], [r for r in rows if r["label"] == "spam"]
    chosen = [(r["text"], r["label"]) for pair in zip(ham[:200], spam[:200], strict=True) for r in pair]
    fix_keys(store, P)
    declare_workload(store, P, "spam", type="choice", labels=["ham", "spam"])
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {
                    "id": f"m{i}",
                    "workload": "spam",
                    "input": text,
                    "output": label,
                    "user_id": f"u{i % 80}",
                    "ts": now + i,
                }
                for i, (text, label) in enumerate(chosen)
            ],
            "signals": [
                {"id": f"m{i}-{kind}", "interaction_id": f"m{i}", "kind": kind, "ts": now + i + 5}
                for i in range(len(chosen))
                for kind in ("accept", "thumbs_up")
            ],
        },
    )
    datasets.build(store, P, "spam", {})
    bank = build_bank(store, P, "spam", embedder="hashing", index="exact", settings=capture.settings)
    prod = register(store, P, {"workload": "spam", "backend": "classifier", "bank": bank.id, "k": 1})
    cand = register(store, P, {"workload": "spam", "backend": "classifier", "bank": bank.id, "k": 15})
    promote(store, P, "spam", prod.id, by="user", settings=capture.settings)
    ev = run_evaluation(
        store, P, "spam", cand.id, gate=GateConfig(primary="accuracy", margin=1.0), settings=capture.settings
    )
    assert (ev.status, ev.baseline, ev.passed) == ("succeeded", prod.id, False)
    with pytest.raises(errors.Conflict) as caught:
        promote(store, P, "spam", cand.id, by="user", settings=capture.settings)
    assert (caught.value.field, caught.value.details["evaluation"]) == ("gate", ev.id)
    assert ev.summary in caught.value.message
    assert production(store, P, "spam") == prod
    move = promote(
        store, P, "spam", cand.id, by="user", force=True, reason="k=15 reads better", settings=capture.settings
    )
    assert (move.evaluation_id, move.gate) == (ev.id, {**ev.gate, "forced": True, "reason": "k=15 reads better"})
