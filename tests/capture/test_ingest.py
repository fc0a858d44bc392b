"""The one door for captured events (flyloop.capture.ingest): a raw body validated against the
settings' limits, gated by privacy before the store sees it, stored all or nothing, counted."""

from __future__ import annotations

import pytest

from flyloop import Settings, ValidationError
from flyloop.capture.ingest import Capture
from flyloop.events.wire import IngestBatch, parse_batch

P = "acme"


def test_the_limits_are_the_settings_in_force(store, settings):
    tight = Capture(store, Settings(home=settings.home, database_url="sqlite://", max_text_chars=5))
    assert tight.limits["max_text_chars"] == 5
    assert set(tight.limits) == {"max_text_chars", "max_payload_bytes", "max_clock_skew_s"}
    with pytest.raises(ValidationError) as caught:
        tight.ingest(P, b'{"interactions":[{"id":"i1","workload":"w","input":"too long"}]}')
    assert (caught.value.field, caught.value.message) == ("interactions[0].input", "longer than 5 characters (8)")
    assert store.list_interactions(P)[0] == []


def test_bytes_text_dicts_and_parsed_batches_are_one_path_with_counts(capture, store):
    one = {"id": "i1", "workload": "w", "input": "q", "output": "a"}
    first = capture.ingest(
        P, {"interactions": [one], "signals": [{"id": "s1", "interaction_id": "i1", "kind": "thumbs_up"}]}
    )
    assert first.model_dump() == {"interactions": 1, "signals": 1, "outcomes": 0, "duplicates": 0}
    again = capture.ingest(P, b'{"interactions":[{"id":"i1","workload":"w","input":"q","output":"a"}]}')
    assert again.model_dump() == {"interactions": 0, "signals": 0, "outcomes": 0, "duplicates": 1}
    text = capture.ingest(P, '{"outcomes":[{"id":"o1","interaction_id":"i1","name":"resolved"}]}')
    assert text.outcomes == 1
    parsed = parse_batch({"interactions": [{**one, "id": "i2"}]})
    assert isinstance(parsed, IngestBatch) and capture.ingest(P, parsed).interactions == 1
    assert sorted(i["id"] for i in store.list_interactions(P)[0]) == ["i1", "i2"]


def test_a_batch_with_one_bad_event_stores_nothing(capture, store):
    with pytest.raises(ValidationError):
        capture.ingest(
            P,
            {
                "interactions": [{"id": "i1", "workload": "w", "input": "q"}],
                "signals": [{"id": "s1", "interaction_id": "i1", "kind": "no_such_kind"}],
            },
        )
    assert store.list_interactions(P)[0] == []


def test_what_is_stored_has_been_through_the_privacy_gate(capture, store):
    capture.ingest(
        P, {"interactions": [{"id": "i1", "workload": "w", "input": "mail bob@example.com", "user_id": "bob"}]}
    )
    stored = store.get_interaction(P, "i1")
    assert stored["input"] == "mail <EMAIL_ADDRESS>"
    assert stored["user_id"] not in (None, "bob")  # a pseudonym, never the raw id


def test_a_capture_without_settings_uses_the_defaults(store, settings):  # settings: FLYLOOP_* cleared
    assert Capture(store).limits == {
        "max_text_chars": Settings().max_text_chars,
        "max_payload_bytes": Settings().max_payload_bytes,
        "max_clock_skew_s": Settings().max_clock_skew_s,
    }
