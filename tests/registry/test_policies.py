"""Policy versions: content-hashed, immutable, checked at registration."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.registry import PolicySpec, get_version, list_versions, register

P = "acme"


@pytest.fixture
def reply(store):
    declare_workload(store, P, "reply")
    return "reply"


def test_the_same_spec_is_one_version_whose_id_is_its_hash_and_whose_first_lineage_stays(store, reply):
    spec = PolicySpec(workload=reply, model="m", system_prompt="Be brief.", params={"temperature": 0.0})
    first = register(store, P, spec, created_by="user:ana", note="first")
    again = register(store, P, dict(spec.definition()), created_by="loop:r1", note="again")
    assert first.id == again.id == spec.digest()
    assert first.id.startswith("pv_") and len(first.id) == 19
    assert (again.created_by, again.note, again.parent) == ("user:ana", "first", None)
    assert get_version(store, P, first.id) == first
    other = register(
        store, P, spec.model_copy(update={"system_prompt": "Be kind."}), parent=first.id, created_by="loop:r2"
    )
    assert other.id != first.id
    assert (other.parent, other.created_by) == (first.id, "loop:r2")
    assert [v.id for v in list_versions(store, P, reply)] == [first.id, other.id]
    assert list_versions(store, P, "nothing") == []
    assert other.spec() == PolicySpec(workload=reply, model="m", system_prompt="Be kind.", params={"temperature": 0.0})


def test_the_id_covers_every_field_of_the_definition_and_nothing_else():
    base = PolicySpec(workload="w")
    changed = [
        base.model_copy(update={name: value})
        for name, value in [
            ("backend", "transformers"),
            ("model", "x"),
            ("system_prompt", "s"),
            ("template", "Q: {{ input }}"),
            ("k", 2),
            ("selector", "mmr"),
            ("token_budget", 100),
            ("params", {"max_tokens": 5}),
            ("adapter", "a"),
            ("reranker", "r"),
            ("bank", "bk_1"),
            ("variables", ["tone"]),
        ]
    ]
    ids = {base.digest(), *(c.digest() for c in changed)}
    assert len(ids) == 13


def test_a_template_naming_an_undeclared_variable_is_refused_naming_it_and_nothing_is_registered(store, reply):
    with pytest.raises(errors.ValidationError) as caught:
        register(store, P, {"workload": reply, "template": "{{ tone }}: {{ input }} for {{ user.name }}"})
    assert caught.value.field == "template"
    assert caught.value.message == "the template uses tone, user, which are not declared in variables"
    assert caught.value.details == {"undeclared": ["tone", "user"]}
    assert list_versions(store, P) == []
    ok = register(store, P, {"workload": reply, "template": "{{ tone }}: {{ input }}", "variables": ["tone"]})
    assert ok.variables == ["tone"]


@pytest.mark.parametrize(
    "spec, field, message",
    [
        ({"workload": "reply", "template": "{{ input "}, "template", "the template does not parse"),
        ({"workload": "reply", "params": {"temprature": 0.1}}, "params", "unknown parameter 'temprature'"),
        (
            {"workload": "reply", "params": {"temperature": 3}},
            "params",
            "parameter 'temperature' must lie in [0.0, 2.0]",
        ),
        (
            {"workload": "reply", "params": {"max_tokens": True}},
            "params",
            "parameter 'max_tokens' has the wrong type (bool)",
        ),
        ({"workload": "reply", "k": 51}, "k", "Input should be less than or equal to 50"),
        ({"workload": "reply", "k": 3}, "bank", "k=3 examples need a bank"),
        ({"workload": "reply", "bank": "bk_x", "k": 3}, "bank", "no bank 'bk_x' in this project"),
        ({"workload": "reply", "selector": "balanced"}, "selector", "the balanced selector is for choice workloads"),
        (
            {"workload": "reply", "backend": "classifier"},
            "backend",
            "the classifier backend is for choice workloads; 'reply' is a generation workload",
        ),
        ({"workload": "reply", "colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"workload": "reply", "variables": ["input"]}, "variables", "'input' cannot be declared as a variable"),
    ],
)
def test_bad_specs_name_their_field(store, reply, spec, field, message):
    with pytest.raises(errors.ValidationError) as caught:
        register(store, P, spec)
    assert caught.value.field == field
    assert caught.value.message.startswith(message)
    assert list_versions(store, P) == []


def test_an_unknown_workload_and_a_parent_of_another_workload_are_refused(store, reply):
    with pytest.raises(errors.NotFound) as caught:
        register(store, P, {"workload": "nope"})
    assert caught.value.field == "workload"
    declare_workload(store, P, "other")
    theirs = register(store, P, {"workload": "other"})
    with pytest.raises(errors.ValidationError) as refused:
        register(store, P, {"workload": reply}, parent=theirs.id)
    assert (refused.value.field, refused.value.message) == (
        "parent",
        f"parent {theirs.id} is a version of another workload",
    )
    with pytest.raises(errors.NotFound):
        register(store, P, {"workload": reply}, parent="pv_missing")
    with pytest.raises(errors.NotFound):
        get_version(store, "another-project", theirs.id)
