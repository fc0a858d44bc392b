"""Workload declarations, and capture holding choice workloads to their label set."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.capture import Capture, declare_workload, get_workload, list_workloads, workload_stats

P = "acme"


def log(capture: Capture, workload: str, outputs: list[str | None]) -> None:
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"{workload}-{i}", "workload": workload, "input": "q", "output": o}
                for i, o in enumerate(outputs)
            ]
        },
    )


def test_an_undeclared_workload_is_an_implicit_generation_workload(store, capture):
    with pytest.raises(errors.NotFound) as caught:
        get_workload(store, P, "reply")
    assert caught.value.field == "workload"
    log(capture, "reply", ["hello"])
    w = get_workload(store, P, "reply")
    assert (w.name, w.type, w.labels, w.declared) == ("reply", "generation", None, False)


def test_a_choice_workload_stores_flags_and_counts_outputs_outside_its_label_set(store, capture):
    w = declare_workload(
        store, P, "triage", type="choice", labels=["billing", "bug", "other"], description="route tickets"
    )
    assert (w.type, w.labels, w.description, w.declared) == (
        "choice",
        ["billing", "bug", "other"],
        "route tickets",
        True,
    )
    log(capture, "triage", ["billing", "refund", None, "bug", "Bug"])
    stored = {i: store.get_interaction(P, f"triage-{i}") for i in range(5)}
    assert [stored[i]["flag"] for i in range(5)] == [None, "outside_label_set", None, None, "outside_label_set"]
    assert [stored[i]["output"] for i in range(5)] == ["billing", "refund", None, "bug", "Bug"]  # stored anyway
    assert workload_stats(store, P, "triage") == {
        "workload": "triage",
        "type": "choice",
        "interactions": 5,
        "outside_label_set": 2,
    }


def test_redeclaring_replaces_the_declaration_and_keeps_stored_flags(store, capture):
    declare_workload(store, P, "triage", type="choice", labels=["a", "b"])
    log(capture, "triage", ["c"])
    w = declare_workload(store, P, "triage", type="choice", labels=["a", "b", "c"])
    assert w.labels == ["a", "b", "c"]
    capture.ingest(P, {"interactions": [{"id": "later", "workload": "triage", "input": "q", "output": "c"}]})
    assert store.get_interaction(P, "triage-0")["flag"] == "outside_label_set"
    assert store.get_interaction(P, "later")["flag"] is None
    assert [x.name for x in list_workloads(store, P)] == ["triage"]
    assert list_workloads(store, "other-project") == []


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"type": "ranking"}, "type", "type must be one of generation, choice, not 'ranking'"),
        ({"type": "choice"}, "labels", "a choice workload declares its label set: a list of strings"),
        ({"type": "choice", "labels": "ab"}, "labels", "a choice workload declares its label set: a list of strings"),
        ({"type": "choice", "labels": ["a"]}, "labels", "a choice workload has 2 to 1000 labels, not 1"),
        ({"type": "choice", "labels": ["a", "a"]}, "labels[1]", "label 'a' is declared twice"),
        (
            {"type": "choice", "labels": ["a", ""]},
            "labels[1]",
            "a label is a non-empty string of at most 200 characters",
        ),
        ({"labels": ["a", "b"]}, "labels", "labels belong to choice workloads only"),
    ],
)
def test_a_bad_declaration_names_its_field_and_stores_nothing(store, kwargs, field, message):
    with pytest.raises(errors.ValidationError) as caught:
        declare_workload(store, P, "w", **kwargs)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert list_workloads(store, P) == []


@pytest.mark.parametrize("name", ["", "a/b", "x" * 201, "tab\there"])
def test_a_bad_workload_name_is_refused(store, name):
    with pytest.raises(errors.ValidationError) as caught:
        declare_workload(store, P, name)
    assert caught.value.field == "workload"
