"""Zero-shot classification from label descriptions (flyloop.improve.prototypes): a classifier
version ``prototypes:<embedder>`` answers before the workload has any labelled data, registered,
checked and served like any version (hashing embedder: lexical overlap, exact and instant)."""

from __future__ import annotations

import pytest
from test_loops import fix_keys

from conftest import hours_ago
from flyloop import errors, registry
from flyloop.capture import Capture, declare_workload
from flyloop.improve import PrototypeClassifier, backend_for, check_loadable, run_loop
from flyloop.improve import backends as backends_module
from flyloop.sdk import Flywheel

P = "acme"
DESCRIPTIONS = {
    "billing": "an invoice, a refund, a charge on my card, the price of the plan, a payment that failed",
    "bug": "the app crashes, an error message, a button does nothing, the page will not load",
}
SPEC = {
    "workload": "tickets",
    "backend": "classifier",
    "model": "prototypes:hashing",
    "params": {"label_descriptions": DESCRIPTIONS},
}


@pytest.fixture(autouse=True)
def fresh_backends():
    backends_module.clear_cache()
    yield
    backends_module.clear_cache()


@pytest.fixture
def tickets(capture: Capture) -> registry.PolicyVersion:
    declare_workload(capture.store, P, "tickets", type="choice", labels=["billing", "bug"])
    return registry.register(capture.store, P, SPEC)


def test_the_nearest_description_wins_with_every_labels_share(capture: Capture, tickets) -> None:
    model = backend_for(tickets, capture.settings)
    assert isinstance(model, PrototypeClassifier) and model.labels == ["billing", "bug"]
    refund = model.classify("I was charged twice on my card, please refund the payment")
    crash = model.classify("the app crashes with an error message when the page loads")
    assert (refund.text, crash.text) == ("billing", "bug")
    assert refund.model == "prototypes:hashing" and refund.tokens_in == 0
    assert set(refund.scores) == {"billing", "bug"} and abs(sum(refund.scores.values()) - 1.0) < 1e-5
    assert refund.scores["billing"] > 0.5 > refund.scores["bug"]
    # A chat answers by its last user turn, in one batch with the others.
    chat = [{"role": "user", "content": "hello"}, {"role": "user", "content": "the button does nothing"}]
    assert [g.text for g in model.generate_batch([chat, [{"role": "user", "content": "a refund please"}]])] == [
        "bug",
        "billing",
    ]


def test_the_app_is_served_it_through_the_policy_before_any_data(capture: Capture, tickets) -> None:
    registry.set_production(capture.store, P, "tickets", tickets.id)
    fw = Flywheel(store=capture.store, project=P, home=str(capture.settings.home))
    try:
        policy = fw.policy("tickets", user_id="u1")
        answer = policy.generate("my invoice shows the wrong price for the plan")
        assert (policy.version.id, answer.text) == (tickets.id, "billing")
    finally:
        fw.close()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"label_descriptions": {"billing": "money"}},
            "params.label_descriptions",
            "label_descriptions has no description of 'bug'",
        ),
        (
            {"label_descriptions": {**DESCRIPTIONS, "spam": "buy now"}},
            "params.label_descriptions",
            "label_descriptions: 'spam' not among the workload's labels",
        ),
    ],
)
def test_descriptions_must_cover_the_declared_labels_exactly(capture: Capture, params, field, message) -> None:
    declare_workload(capture.store, P, "tickets", type="choice", labels=["billing", "bug"])
    with pytest.raises(errors.ValidationError) as caught:
        registry.register(capture.store, P, {**SPEC, "params": params})
    assert (caught.value.field, caught.value.message) == (field, message)
    assert registry.list_versions(capture.store, P) == []


def test_the_backend_checks_the_model_and_the_texts_without_loading_anything(capture: Capture) -> None:
    cases = [
        ({**SPEC, "model": "prototypes:"}, "model", "name the embedder: prototypes:<embedder>"),
        (
            {**SPEC, "params": {"label_descriptions": {"billing": " ", "bug": "x"}}},
            "params.label_descriptions.billing",
            "the description of 'billing' must be a text of 1 to 4000 characters",
        ),
        (
            {**SPEC, "params": {}},
            "params.label_descriptions",
            "a prototypes model needs a description of each label: label_descriptions, an object of label: text "
            """(on the command line: --param 'label_descriptions={"spam": "...", "ham": "..."}')""",
        ),
        (
            {**SPEC, "params": {"label_descriptions": {}}},
            "params.label_descriptions",
            "label_descriptions must be an object of label: text",
        ),
    ]
    for spec, field, message in cases:
        with pytest.raises(errors.ValidationError) as caught:
            check_loadable(registry.PolicySpec(**spec), capture.settings)
        assert (caught.value.field, caught.value.message) == (field, message)


def test_descriptions_belong_to_a_classifier(capture: Capture) -> None:
    declare_workload(capture.store, P, "tickets", type="choice", labels=["billing", "bug"])
    with pytest.raises(errors.ValidationError) as caught:
        registry.register(capture.store, P, {**SPEC, "backend": "openai", "model": "m"})
    assert caught.value.field == "params.label_descriptions"


def test_the_few_shot_loop_turns_a_zero_shot_production_into_a_vote_over_its_bank(capture: Capture, tickets) -> None:
    fix_keys(capture.store, P)
    now = hours_ago(2)
    texts = [f"My invoice {n} was charged twice" for n in range(20)] + [
        f"The app crashes on screen {n}" for n in range(20)
    ]
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"t{n}", "workload": "tickets", "input": text, "output": "billing" if n < 20 else "bug"}
                | {"user_id": f"u{n}", "ts": now + n, "policy_version": tickets.id}
                for n, text in enumerate(texts)
            ],
            "signals": [
                {"id": f"t{n}-{kind}", "interaction_id": f"t{n}", "kind": kind, "ts": now + n + 5}
                for n in range(len(texts))
                for kind in ("accept", "thumbs_up")
            ],
        },
    )
    registry.set_production(capture.store, P, "tickets", tickets.id)
    run = run_loop(capture.store, P, "fewshot", "tickets", settings=capture.settings, embedder="hashing", refresh=True)
    candidate = registry.get_version(capture.store, P, run.candidates[0])
    # The descriptions went with the prototypes model: the candidate is the vote, over the bank.
    assert (candidate.backend, candidate.model, candidate.params) == ("classifier", None, {})
    assert candidate.bank == run.outputs["bank"] and candidate.parent == tickets.id
    fw = Flywheel(store=capture.store, project=P, home=str(capture.settings.home))
    try:
        registry.set_production(capture.store, P, "tickets", candidate.id)
        answer = fw.policy("tickets", user_id="u1").generate("My invoice 99 was charged twice")
        assert answer.text == "billing" and answer.model == f"knn:{candidate.bank}"
    finally:
        fw.close()
