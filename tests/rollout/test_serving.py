"""Serving (flyloop.rollout.serving): the version a request runs, why, its ETag, the messages it
sends with the examples its bank retrieves, and a bank's copy for the app's side, on a real bank
built from the seeded project (hashing embedder, exact index: the same neighbours on every run)."""

from __future__ import annotations

import pytest

from conftest import PROJECT as P
from conftest import seed
from flyloop import datasets, errors, labels, registry
from flyloop.capture import declare_workload
from flyloop.improve import build_bank, load_bank
from flyloop.improve.bank import LOADED
from flyloop.rollout import (
    BankRef,
    Resolution,
    bank_download,
    check_input,
    choose,
    examples,
    open_bank,
    render,
    resolve,
    served_context_ids,
    served_example_ids,
)

SPEC = {
    "workload": "math",
    "model": "some-model",
    "system_prompt": "Answer with the sum.",
    "template": "{{ input }} ({{ tone }})",
    "variables": ["tone"],
    "k": 2,
}


def with_policy(store, capture, settings, **spec):
    """The seeded project with a bank of its 21 train examples and a production version using it."""
    # Banks loaded by earlier tests on a reused store (PostgreSQL's) would be served from memory
    # under the same content-hashed id: this test builds its own.
    LOADED.pop(store, None)
    seed(capture)
    labels.catch_up(store, P, settings=settings)
    datasets.build(store, P, "math", {"workloads": ["math"]})
    bank = build_bank(store, P, "math", embedder="hashing", min_examples=1, index="exact", settings=settings)
    version = registry.register(store, P, {**SPEC, "bank": bank.id, **spec})
    registry.set_production(store, P, "math", version.id)
    return version, bank


@pytest.fixture
def served(store, capture, settings):
    return with_policy(store, capture, settings)


def test_resolve_gives_the_production_version_its_bank_revision_and_why(store, served):
    version, bank = served
    found = resolve(store, P, "math", "u-1")
    assert found.version == version
    assert (found.workload, found.reason, found.user_id) == ("math", "production", "u-1")
    assert found.bank == BankRef(bank.id, "hashing", 384, 21, 0)
    assert found.etag == f'"{version.id}.{bank.id}.0"'
    assert Resolution.from_dict(found.as_dict(), "u-1") == found
    assert choose(store, P, "math") == (version, "production")


def test_a_new_production_version_is_resolved_at_once(store, served):
    version, _ = served
    plain = registry.register(store, P, {"workload": "math", "system_prompt": "Be brief."})
    registry.set_production(store, P, "math", plain.id, reason="no examples")
    found = resolve(store, P, "math")
    assert (found.version.id, found.bank, found.etag) == (plain.id, None, f'"{plain.id}"')
    assert plain.id != version.id


def test_an_unknown_workload_is_not_found_naming_it(store, served):
    with pytest.raises(errors.NotFound) as caught:
        resolve(store, P, "nope")
    assert caught.value.field == "workload"
    assert caught.value.message == "unknown workload 'nope': nothing declared or logged it in this project"


def test_a_workload_without_a_production_version_says_how_to_set_one(store, served):
    declare_workload(store, P, "triage", type="choice", labels=["bug", "question"])
    with pytest.raises(errors.NotFound) as caught:
        resolve(store, P, "triage")
    assert caught.value.field == "workload"
    assert caught.value.message == (
        "workload 'triage' has no production version: register one and set it "
        "(flyloop.registry.set_production(store, project, 'triage', version_id))"
    )


@pytest.mark.parametrize(
    ("workload", "user_id", "field"), [("", None, "workload"), (7, None, "workload"), ("math", "", "user_id")]
)
def test_bad_names_are_refused_naming_the_field(store, workload, user_id, field):
    with pytest.raises(errors.ValidationError) as caught:
        resolve(store, P, workload, user_id)
    assert caught.value.field == field


def test_render_sends_the_system_prompt_the_nearest_examples_and_the_input(store, served, settings):
    version, _ = served
    sent = render(store, P, version, "What is 3 + 10?", variables={"tone": "warm"}, settings=settings)
    # The input itself is in the bank (score 1), then the two at 0.81 tie: the earlier position wins.
    assert [(e.interaction_id, round(e.score, 4)) for e in sent.examples] == [("g3", 1.0), ("g4", 0.8095)]
    assert sent.messages == [
        {"role": "system", "content": "Answer with the sum."},
        {"role": "user", "content": "What is 3 + 10? (warm)"},
        {"role": "assistant", "content": "The answer is 13."},
        {"role": "user", "content": "What is 4 + 10? (warm)"},
        {"role": "assistant", "content": "The answer is 14."},
        {"role": "user", "content": "What is 3 + 10? (warm)"},
    ]
    assert sent.example_ids == [e.id for e in sent.examples]
    assert sent.example_ids == [e.id for e in load_bank(store, P, version.bank, settings).search("What is 3 + 10?", 2)]


def test_k_overrides_the_versions_and_is_checked(store, served, settings):
    version, _ = served
    assert len(examples(store, P, version, "What is 5 + 20?", 5, settings=settings)) == 5
    assert examples(store, P, version, "What is 5 + 20?", 0, settings=settings) == []
    for bad in (-1, 51, 2.0, True, "3"):
        with pytest.raises(errors.ValidationError) as caught:
            examples(store, P, version, "What is 5 + 20?", bad, settings=settings)
        assert caught.value.field == "k"


def test_a_chat_input_retrieves_by_its_last_user_turn(store, served, settings):
    version, _ = served
    chat = [
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "hi"},
        {"role": "user", "content": "What is 6 + 30?"},
    ]
    sent = render(store, P, version, chat, variables={"tone": "dry"}, settings=settings)
    assert sent.examples[0].input == "What is 6 + 30?"
    assert sent.messages[-3:] == [
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "hi"},
        {"role": "user", "content": "What is 6 + 30? (dry)"},
    ]


def test_a_missing_variable_is_refused_naming_it(store, served, settings):
    version, _ = served
    with pytest.raises(errors.ValidationError) as caught:
        render(store, P, version, "What is 1 + 1?", settings=settings)
    assert caught.value.field == "variables.tone"


@pytest.mark.parametrize(
    ("value", "field"),
    [(None, "input"), ([], "input"), (3, "input"), ([{"role": "user"}], "input[0]"), (["hi"], "input[0]")],
)
def test_bad_input_is_refused_naming_the_field(value, field):
    with pytest.raises(errors.ValidationError) as caught:
        check_input(value)
    assert caught.value.field == field


def test_served_examples_go_to_context_ids_after_the_apps_own():
    ids = served_context_ids(["e1", "e2"], ["doc-9"])
    assert ids == ["doc-9", "example:e1", "example:e2"]
    assert served_example_ids(ids) == ["e1", "e2"]
    assert served_example_ids(None) == []


def test_a_banks_copy_searches_like_the_bank_and_leaves_out_what_erasure_removed(store, served, settings):
    version, bank = served
    ref, data = bank_download(store, P, bank.id, settings)
    assert ref == BankRef(bank.id, "hashing", 384, 21, 0)
    copy = open_bank(data, settings)
    index = load_bank(store, P, bank.id, settings)
    for query in ("What is 3 + 10?", "What is 5 + 20?", "What is 0 + 30?"):
        assert [e.id for e in copy.search(query, 4)] == [e.id for e in index.search(query, 4)]
    assert len(copy) == 21

    from flyloop.privacy import erase_user

    erase_user(store, P, "user3")
    ref, data = bank_download(store, P, bank.id, settings)
    assert ref.removed == 3  # user3's good answer, correction and regenerated answer
    assert resolve(store, P, "math").etag == f'"{version.id}.{bank.id}.3"'
    copy = open_bank(data, settings)
    assert len(copy) == 18
    assert "g3" not in [e.interaction_id for e in copy.search("What is 3 + 10?", 5)]


def test_a_question_served_is_not_written_to_the_embeddings_file(store, served, settings):
    from pathlib import Path

    version, _ = served
    cache = Path(settings.home) / "embeddings" / "hashing-384.f32cache"
    before = cache.stat().st_size
    assert before == 21 * (32 + 4 * 384)  # the bank's inputs, embedded once when it was built
    sent = render(store, P, version, "A question nobody asked before?", variables={"tone": "x"}, settings=settings)
    assert len(sent.examples) == 2
    assert cache.stat().st_size == before
    # opted in (inputs that are not personal: a benchmark), the served input's vector is kept too
    settings.embed_query_cache = True
    again = render(store, P, version, "A question nobody asked before?", variables={"tone": "x"}, settings=settings)
    assert [e.id for e in again.examples] == [e.id for e in sent.examples]
    assert cache.stat().st_size == before + 32 + 4 * 384
