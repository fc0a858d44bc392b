"""Golden sets (flyloop.evaluate.golden): cases a person curates, stored per project and
workload, upserted by id, checked case by case before any is written; an evaluation on one."""

from __future__ import annotations

import pytest
from test_runner import HAM, SPAM, P, knn_candidate, run, spam_project

from flyloop import errors
from flyloop.capture import Capture, declare_workload
from flyloop.evaluate import add_golden_cases, delete_golden_set, golden_cases, list_golden_sets

# Subject lines the project never saw (the first 400 of each label are its traffic).
HARD = [{"input": r["text"], "expected": r["label"]} for pair in zip(HAM[400:420], SPAM[400:420]) for r in pair]


def test_add_list_show_upsert_and_delete(capture: Capture) -> None:
    store = capture.store
    declare_workload(store, P, "spam", type="choice", labels=["ham", "spam"])
    assert add_golden_cases(store, P, "hard", "spam", HARD[:4], by="ana") == 4
    assert add_golden_cases(store, P, "hard", "spam", HARD[:4], by="ana") == 4  # ids from the input: no copies
    cases = golden_cases(store, P, "hard")
    assert {type(k) for c in cases for k in c} == {str}  # orjson (golden show --json) takes no str subclass
    assert [c["input"] for c in cases] == sorted([c["input"] for c in HARD[:4]], key=lambda t: [
        c["id"] for c in cases if c["input"] == t][0])  # fmt: skip
    assert {c["expected"] for c in cases} == {"ham", "spam"} and all(c["id"].startswith("g_") for c in cases)
    first = cases[0]
    assert add_golden_cases(store, P, "hard", "spam", [{"id": first["id"], "input": first["input"]}], by="bo") == 4
    replaced = next(c for c in golden_cases(store, P, "hard") if c["id"] == first["id"])
    assert (replaced["expected"], replaced["created_by"]) == (None, "bo")
    add_golden_cases(store, P, "mine", "spam", [{"id": "x1", "input": "hello", "user_id": "u1"}], by="ana")
    listed = list_golden_sets(store, P)
    assert [(g["name"], g["workload"], g["cases"], g["labelled"]) for g in listed] == [
        ("hard", "spam", 4, 3),
        ("mine", "spam", 1, 0),
    ]
    declare_workload(store, P, "other")
    assert list_golden_sets(store, P, workload="other") == []  # a workload with no set: an empty list
    assert delete_golden_set(store, P, "mine") == 1
    with pytest.raises(errors.NotFound) as caught:
        golden_cases(store, P, "mine")
    assert caught.value.field == "golden"
    with pytest.raises(errors.NotFound):
        delete_golden_set(store, P, "mine")


@pytest.mark.parametrize(
    ("name", "cases", "field"),
    [
        ("bad name!", [{"input": "x"}], "name"),
        ("g", [], "cases"),
        ("g", "text", "cases"),
        ("g", [{"expected": "ham"}], "cases[0].input"),
        ("g", [{"input": "x"}, {"input": ""}], None),
        ("g", [{"input": "x"}, 3], "cases[1]"),
        ("g", [{"input": "x", "expected": "maybe"}], "cases[0].expected"),
        ("g", [{"input": "x", "label": "ham"}], "cases[0].label"),
        ("g", [{"input": "x", "metadata": []}], "cases[0].metadata"),
        ("g", [{"input": 5}], "cases[0].input"),
        ("g", [{"id": "a", "input": "x"}, {"id": "a", "input": "y"}], "cases[1].id"),
    ],
)
def test_a_bad_case_is_refused_naming_it_and_nothing_is_written(
    capture: Capture, name: str, cases: object, field: str | None
) -> None:
    declare_workload(capture.store, P, "spam", type="choice", labels=["ham", "spam"])
    if field is None:  # an empty input is a text like any other: it is kept
        assert add_golden_cases(capture.store, P, name, "spam", cases, by="ana") == 2  # type: ignore[arg-type]
        return
    with pytest.raises(errors.ValidationError) as caught:
        add_golden_cases(capture.store, P, name, "spam", cases, by="ana")  # type: ignore[arg-type]
    assert caught.value.field == field
    assert list_golden_sets(capture.store, P) == []


def test_a_set_belongs_to_one_workload(capture: Capture) -> None:
    declare_workload(capture.store, P, "spam", type="choice", labels=["ham", "spam"])
    declare_workload(capture.store, P, "reply")
    add_golden_cases(capture.store, P, "g", "spam", [{"input": "x"}], by="ana")
    with pytest.raises(errors.Conflict) as caught:
        add_golden_cases(capture.store, P, "g", "reply", [{"input": "y"}], by="ana")
    assert caught.value.field == "workload"
    with pytest.raises(errors.NotFound):
        add_golden_cases(capture.store, P, "h", "nope", [{"input": "y"}], by="ana")


def test_an_evaluation_on_a_golden_set(capture: Capture) -> None:
    prod = spam_project(capture)
    cand = knn_candidate(capture)
    cases = [
        c | {"user_id": f"g{i % 12}", "metadata": {"plan": "pro" if i % 2 else "free"}} for i, c in enumerate(HARD)
    ]
    add_golden_cases(capture.store, P, "hard", "spam", cases, by="ana")
    ev = run(capture, cand.id, golden="hard")
    assert (ev.source, ev.dataset_version, ev.cases, ev.baseline) == ("golden:hard", None, 40, prod.id)
    assert (ev.metrics[prod.id]["accuracy"], ev.metrics[cand.id]["accuracy"]) == (0.65, 0.725)
    accuracy = ev.comparison["metrics"]["accuracy"]["difference"]
    assert (accuracy["low"], accuracy["high"], accuracy["n_clusters"]) == (-0.05, 0.2, 12)
    assert ev.comparison["segment_cases"] == {"free": 20, "pro": 20}
    assert ev.passed is False and ev.summary.startswith("accuracy +7.5 points [-5.0, 20.0] lower bound not above")
    # A set without users resamples case by case; a small set is evaluated as it is.
    add_golden_cases(capture.store, P, "three", "spam", HARD[:3], by="ana")
    small = run(capture, cand.id, golden="three", segment_key=None)
    assert (small.cases, small.comparison["n_clusters"]) == (3, 3)
    declare_workload(capture.store, P, "reply")
    add_golden_cases(capture.store, P, "replies", "reply", [{"input": "hi"}], by="ana")
    with pytest.raises(errors.ValidationError, match="is of workload 'reply', not 'spam'") as caught:
        run(capture, cand.id, golden="replies")
    assert caught.value.field == "golden"


def test_a_cases_user_is_stored_as_its_pseudonym_erased_and_re_keyed_with_the_users_data(capture: Capture) -> None:
    """Golden cases name users as capture does (a keyed pseudonym, never the raw id); erasing the
    raw id deletes them; rotation re-keys them; the bootstrap still groups a user's cases."""
    from flyloop.evaluate import golden_set_cases
    from flyloop.privacy import erase_user, pseudonym, rotate_key

    store = capture.store
    declare_workload(store, P, "spam", type="choice", labels=["ham", "spam"])
    cases = [
        {"id": "a", "input": "Win a prize", "expected": "spam", "user_id": "alice@example.com"},
        {"id": "b", "input": "Lunch?", "expected": "ham", "user_id": "alice@example.com"},
        {"id": "c", "input": "Cheap pills", "expected": "spam", "user_id": "bob@example.com"},
        {"id": "d", "input": "Minutes", "expected": "ham", "user_id": pseudonym(store, P, "carol")},
        {"id": "e", "input": "Hello", "expected": "ham"},
    ]
    add_golden_cases(store, P, "users", "spam", cases, by="ana")
    alice, bob, carol = (pseudonym(store, P, u) for u in ("alice@example.com", "bob@example.com", "carol"))
    stored = {c["id"]: c["user_id"] for c in golden_cases(store, P, "users")}
    assert stored == {"a": alice, "b": alice, "c": bob, "d": carol, "e": None}
    assert [c.user for c in golden_set_cases(store, P, "spam", "users").cases] == [alice, alice, bob, carol, "e"]
    rotate_key(store, P, "pseudonym")
    alice = pseudonym(store, P, "alice@example.com")
    assert {c["id"]: c["user_id"] for c in golden_cases(store, P, "users")}["a"] == alice
    erase_user(store, P, "alice@example.com", grace_s=0)
    assert [c["id"] for c in golden_cases(store, P, "users")] == ["c", "d", "e"]
