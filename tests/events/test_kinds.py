"""The signal vocabulary: registry, per-kind rules and evidence, and the ingest rules for bad input."""

from __future__ import annotations

import time

import pytest

from flyloop import KINDS, SignalKind, ValidationError, labels, register
from flyloop.events.kinds import Context, sentiment

T = time.time() - 86400


def test_every_kind_has_a_category_and_a_docstring():
    assert {
        "thumbs_up",
        "thumbs_down",
        "rating",
        "edit",
        "comment",
        "choice",
        "accept",
        "reject",
        "copy",
        "regenerate",
        "requery",
        "follow_up",
        "abandon",
        "dwell",
        "escalate",
        "outcome",
    } <= set(KINDS)
    for name, kind in KINDS.items():
        assert kind.category in ("explicit", "implicit", "outcome") and kind.__doc__, name


def test_a_new_kind_is_registered_and_labelled_without_a_switch(capture, store):
    @register
    class Bookmark(SignalKind):
        """The user saved the output for later: a mild positive."""

        name = "bookmark_test"
        category = "implicit"
        polarity = 1.0
        action = True

    try:
        capture.ingest(
            "acme",
            {
                "interactions": [{"id": "i1", "workload": "w", "input": "q", "output": "a", "ts": T}],
                "signals": [{"id": "s1", "interaction_id": "i1", "kind": "bookmark_test", "ts": T + 5}],
            },
        )
        labels.catch_up(capture.store, "acme", settings=capture.settings)
        label = labels.get(store, "acme", "i1")
        # an implicit kind without a weight of its own gets the implicit category's 0.5
        assert (label.verdict, label.score, label.signal_ids) == ("good", 0.5, ["s1"])
        with pytest.raises(ValueError):

            @register
            class Clash(SignalKind):
                """Same name twice."""

                name = "bookmark_test"
                category = "implicit"
    finally:
        KINDS.pop("bookmark_test")


def test_evidence_per_kind():
    ctx = Context(output="The answer is 85.")
    assert KINDS["rating"].evidence(5, {"scale": [1, 5]}, ctx) == 1.0
    assert KINDS["rating"].evidence(3, {"scale": [1, 5]}, ctx) == 0.0
    assert KINDS["rating"].evidence(0, {"scale": [0, 10]}, ctx) == -1.0
    assert KINDS["choice"].evidence(None, {"chosen": "The answer is 85.", "rejected": ["x"]}, ctx) == 1.0
    assert KINDS["choice"].evidence(None, {"chosen": "x", "rejected": ["The answer is 85."]}, ctx) == -1.0
    assert KINDS["choice"].evidence(None, {"chosen": "x", "rejected": ["y"]}, ctx) == 0.0
    assert KINDS["outcome"].evidence(1.0, {"name": "t"}, ctx) == 1.0
    assert KINDS["outcome"].evidence(0.0, {"name": "t"}, ctx) == -1.0
    assert KINDS["outcome"].evidence(0.75, {"name": "t"}, ctx) == 0.5
    assert KINDS["outcome"].evidence(59.9, {"name": "purchase"}, ctx) == 1.0
    assert KINDS["outcome"].evidence(None, {"name": "reply_received"}, ctx) == 1.0
    assert KINDS["edit"].evidence(None, {"text": "The answer is 84."}, ctx) == -0.8
    assert KINDS["edit"].evidence(None, {"text": "the answer is 85!"}, ctx) == 0.3
    assert KINDS["comment"].evidence(None, {"text": "whatever", "sentiment": -0.4}, ctx) == -0.4
    assert (
        KINDS["comment"].evidence(None, {"text": "Wrong answer, useless"}, ctx)
        == sentiment("Wrong answer, useless")
        < -0.5
    )
    assert sentiment("Perfect, thanks!") > 0.5


@pytest.mark.parametrize(
    "signal, field",
    [
        ({"kind": "rating", "value": 7}, "signals[0].value"),
        ({"kind": "rating", "value": 0, "payload": {"scale": [1, 5]}}, "signals[0].value"),
        ({"kind": "rating", "value": 3, "payload": {"scale": [5, 1]}}, "signals[0].payload.scale"),
        ({"kind": "edit", "payload": {}}, "signals[0].payload.text"),
        ({"kind": "comment", "payload": {"text": "ok", "sentiment": 3}}, "signals[0].payload.sentiment"),
        ({"kind": "choice", "payload": {"chosen": "a", "rejected": []}}, "signals[0].payload.rejected"),
        ({"kind": "dwell", "value": -1}, "signals[0].value"),
        ({"kind": "outcome", "value": 1}, "signals[0].payload.name"),
        ({"kind": "thumbs_up", "ts": time.time() + 3600}, "signals[0].ts"),
    ],
)
def test_bad_signals_are_rejected_naming_the_field_and_nothing_is_stored(capture, store, signal, field):
    batch = {
        "interactions": [{"id": "i1", "workload": "w", "input": "q", "output": "a", "ts": T}],
        "signals": [{"id": "s1", "interaction_id": "i1", **signal}],
    }
    with pytest.raises(ValidationError) as err:
        capture.ingest("acme", batch)
    assert err.value.field == field
    assert store.status("acme")["counts"] == {"interactions": 0, "signals": 0, "outcomes": 0}


def test_future_outcomes_and_interactions_are_rejected_too(capture):
    future = time.time() + 3600
    with pytest.raises(ValidationError) as err:
        capture.ingest("acme", {"outcomes": [{"id": "o1", "name": "sale", "join_key": "k", "ts": future}]})
    assert err.value.field == "outcomes[0].ts"
    with pytest.raises(ValidationError) as err:
        capture.ingest("acme", {"interactions": [{"id": "i1", "workload": "w", "input": "q", "ts": future}]})
    assert err.value.field == "interactions[0].ts"
    # within the clock skew allowance (300 s by default) a stamp ahead of the server is fine
    capture.ingest("acme", {"interactions": [{"id": "i2", "workload": "w", "input": "q", "ts": time.time() + 60}]})


def test_the_api_answers_bad_signals_with_422_naming_the_field(api):
    body = {"signals": [{"id": "s1", "interaction_id": "i1", "kind": "rating", "value": 9}]}
    response = api.post("/v1/ingest", json=body)
    assert response.status_code == 422
    assert response.json()["field"] == "signals[0].value"


# --- one rule (issue 10, item 5): what a signal means is its kind class's --------------------


def _sign(x):
    return (x > 0) - (x < 0)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_kinds_direction_is_the_sign_of_its_evidence(name):
    """direction() is what stages without an output at hand (curation) read; it must agree
    with the label's evidence wherever that evidence needs no output."""
    cls = KINDS[name]
    samples = {
        "rating": [
            (v, {"scale": s}) for s in ([1, 5], [1, 10], [0, 1]) for v in (s[0], s[1], (s[0] + s[1]) / 2, s[0] + 0.3)
        ],
        "outcome": [(v, {"name": "done"}) for v in (None, -2.0, -0.1, 0.0, 0.3, 0.5, 0.51, 1.0, 7.0)],
        "comment": [(None, {"text": "thanks", "sentiment": 0.0})],
        "dwell": [(3.0, {})],
        "edit": [(None, {})],  # text withheld: the kind's polarity is its evidence
        "choice": [(None, {"chosen": "a", "rejected": ["b"]})],
    }.get(name, [(None, {})])
    for value, payload in samples:
        evidence = cls.evidence(value, payload, Context("a" if name == "choice" else None))
        assert cls.direction(value, payload) == _sign(evidence), (name, value, payload)


def test_an_outcome_threshold_moves_only_the_line_between_success_and_failure():
    outcome = KINDS["outcome"]
    assert [outcome.direction(v, {}, threshold=0.8) for v in (None, -1.0, 0.5, 0.8, 0.9, 1.0, 5.0)] == [
        1,
        -1,
        -1,
        0,
        1,
        1,
        1,
    ]
