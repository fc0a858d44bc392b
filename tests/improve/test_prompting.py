"""What a version sends for one input (flyloop.improve.prompting): the examples its bank
retrieves and the messages its template renders around them, on the real bank of the seeded
project that tests/conftest.py's with_policy builds (hashing embedder, exact index)."""

from __future__ import annotations

import pytest

from conftest import PROJECT as P
from conftest import with_policy
from flyloop import errors
from flyloop.improve import check_input, examples, load_bank, render


@pytest.fixture
def served(store, capture, settings):
    return with_policy(store, capture, settings)


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
