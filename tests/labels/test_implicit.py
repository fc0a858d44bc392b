"""Implicit inference: re-query, regeneration, follow-up, abandonment, time-to-action."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from flyloop import labels
from flyloop.labels.implicit import settle, similarity
from flyloop.store import tables as schema

T = time.time() - 86400


def ask(iid, text, at=0.0, user="u1", session="s1", output="The answer is 84."):
    return {
        "id": iid,
        "workload": "math",
        "input": text,
        "output": output,
        "user_id": user,
        "session_id": session,
        "ts": T + at,
    }


def inferred(store, project="acme"):
    labels.catch_up(store, project)  # inference runs off the ingest path; bring it up to date
    s = schema.signals
    with store.read() as conn:
        rows = conn.execute(
            sa.select(s.c.interaction_id, s.c.kind, s.c.payload, s.c.value)
            .where(s.c.project_id == project, s.c.source == "inferred")
            .order_by(s.c.interaction_id, s.c.kind)
        ).all()
    return [(r.interaction_id, r.kind, r.payload.get("caused_by"), r.value) for r in rows]


@pytest.mark.parametrize(
    "earlier, later, expected",
    [
        ("What is 37 + 48?", "what's 37+48", 0.85),
        ("Compute 37 plus 48.", "no, I asked: 37 + 48", 0.9),
        ("Add 37 and 48.", "please add 37 and 48 correctly", 0.9),
        ("What is 37 + 48?", "What is 37 * 48?", 0.0),  # same figures, another operation
        ("Add 37 and 48.", "Multiply 37 and 48.", 0.0),
        ("What is 37 + 48?", "What is 38 + 48?", 0.0),  # other figures
        ("How do I reset my password?", "password reset not working", 1.0),
        ("How do I reset my password?", "How do I change my email?", 0.23),
    ],
)
def test_similarity(earlier, later, expected):
    assert similarity(earlier, later) == pytest.approx(expected, abs=0.01)


def test_a_re_ask_marks_the_earlier_output_requeried_with_its_cause(capture, store):
    capture.ingest("acme", {"interactions": [ask("a", "What is 37 + 48?"), ask("b", "no, I asked: 37 + 48", 30)]})
    assert ("a", "requery", "b", None) in inferred(store)
    label = labels.get(store, "acme", "a")
    assert label.verdict == "bad" and label.score == pytest.approx(-0.56)


def test_hard_negatives_are_not_requeries(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [
                ask("a", "What is 37 + 48?"),
                ask("b", "What is 37 * 48?", 30),  # same numbers, a different question
                ask("c", "no, I asked: 37 + 48", 60, user="u2", session="s2"),  # another user
                ask("d", "What is 12 + 13?", 0, user="u3", session="s3"),
                ask("e", "no, I asked: 12 + 13", 3600, user="u3", session="s4"),  # outside the window
            ]
        },
    )
    kinds = {(iid, kind) for iid, kind, _cause, _v in inferred(store)}
    assert not any(kind == "requery" for _iid, kind in kinds)
    assert ("a", "follow_up") in kinds  # b went on in the same session


def test_requery_is_found_when_the_earlier_question_arrives_late(capture, store):
    capture.ingest("acme", {"interactions": [ask("b", "no, I asked: 37 + 48", 30)]})
    capture.ingest("acme", {"interactions": [ask("a", "What is 37 + 48?")]})
    assert ("a", "requery", "b", None) in inferred(store)


def test_the_same_input_again_is_a_regeneration_unless_the_app_said_so(capture, store):
    capture.ingest("acme", {"interactions": [ask("a", "What is 37 + 48?"), ask("b", "What is 37 + 48?", 10)]})
    assert ("a", "regenerate", "b", None) in inferred(store)
    assert labels.get(store, "acme", "a").verdict == "bad"
    capture.ingest(
        "acme",
        {
            "interactions": [
                ask("c", "What is 1 + 2?", 0, user="u9", session="s9"),
                ask("d", "What is 1 + 2?", 10, user="u9", session="s9"),
            ],
            "signals": [{"id": "r1", "interaction_id": "c", "kind": "regenerate", "ts": T + 9}],
        },
    )
    assert not any(iid == "c" and kind == "regenerate" for iid, kind, _c, _v in inferred(store))


def test_time_to_action_is_read_from_the_first_action_unless_the_app_reported_it(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [ask("a", "q"), ask("b", "r", 0, user="u2", session="s2")],
            "signals": [
                {"id": "s2", "interaction_id": "a", "kind": "copy", "ts": T + 12.5},
                {"id": "s1", "interaction_id": "a", "kind": "accept", "ts": T + 7.25},
                {"id": "s3", "interaction_id": "b", "kind": "accept", "ts": T + 9},
                {"id": "s4", "interaction_id": "b", "kind": "dwell", "value": 4.5, "ts": T + 9},
            ],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "a").time_to_action_s == 7.25
    assert labels.get(store, "acme", "b").time_to_action_s == 4.5
    assert inferred(store) == []


def test_abandonment_is_decided_after_the_window_and_withdrawn_by_a_late_action(capture, store, settings):
    capture.ingest(
        "acme",
        {
            "interactions": [
                ask("a", "What is 37 + 48?"),
                ask("b", "Add 5 and 6.", 0, user="u2", session="s2"),
                ask("c", "Add 7 and 8.", 0, user="u3", session="s3"),
                ask("d", "Add 7 and 9.", 60, user="u3", session="s3"),
            ],
            "signals": [{"id": "s1", "interaction_id": "b", "kind": "accept", "ts": T + 5}],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert not [r for r in inferred(store) if r[1] == "abandon"]  # the batch itself is not settled yet
    abandoned = settle(store, "acme", settings=settings)
    assert abandoned == {"a", "d"}  # b acted on; c was followed in its session
    assert ("a", "abandon", "a", None) in inferred(store)
    labels.update(store, "acme", abandoned)
    assert labels.get(store, "acme", "a").score == pytest.approx(-0.15)
    assert settle(store, "acme", settings=settings) == set()  # settled once
    capture.ingest("acme", {"signals": [{"id": "late", "interaction_id": "a", "kind": "copy", "ts": T + 50}]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "a")
    assert {
        "signal_id": next(s["id"] for s in store.get_interaction("acme", "a")["signals"] if s["kind"] == "abandon"),
        "reason": "withdrawn",
    } in label.excluded
    assert label.verdict == "unknown" and label.score == pytest.approx(0.2)


def test_a_later_batch_settles_earlier_ones(capture, store):
    capture.ingest("acme", {"interactions": [ask("a", "What is 37 + 48?")]})
    capture.ingest("acme", {"interactions": [ask("z", "What is 1 + 1?", 0, user="u5", session="s5")]})
    assert [r[:2] for r in inferred(store) if r[1] == "abandon"] == [("a", "abandon")]


def test_open_windows_are_not_settled(capture, store, settings):
    capture.ingest("acme", {"interactions": [{**ask("a", "q"), "ts": time.time() - 60}]})
    assert settle(store, "acme", settings=settings) == set()


def test_inference_is_idempotent(capture, store):
    batch = {"interactions": [ask("a", "What is 37 + 48?"), ask("b", "no, I asked: 37 + 48", 30)]}
    capture.ingest("acme", batch)
    first = inferred(store)
    capture.ingest("acme", batch)
    labels.recompute(store, "acme", infer=True)
    assert [r for r in inferred(store) if r[1] != "abandon"] == [r for r in first if r[1] != "abandon"]
