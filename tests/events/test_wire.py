"""The wire shapes (flyloop.events.wire): a batch parsed from JSON bytes or a dict, timestamps
settled to epoch seconds, per-field limits, every problem listed under its field path, and the
values no store keeps found wherever they sit in a JSON value."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from flyloop import errors
from flyloop.events.wire import IngestResult, body_problem, json_problem, parse_batch, printable, to_epoch

LIMITS = {"max_text_chars": 10, "max_payload_bytes": 100, "max_clock_skew_s": 300.0}


def refused(body, limits=None) -> errors.ValidationError:
    with pytest.raises(errors.ValidationError) as caught:
        parse_batch(body, limits)
    return caught.value


def test_bytes_and_dicts_parse_to_one_batch_with_epoch_second_stamps():
    body = (
        b'{"interactions":[{"id":"i1","workload":"w","input":"q","output":"a","ts":1700000000000}],'
        b'"signals":[{"id":"s1","interaction_id":"i1","kind":"thumbs_up","ts":"2024-01-01T00:00:00"}]}'
    )
    batch = parse_batch(body)
    assert len(batch) == 2
    assert batch.interactions[0].ts == 1_700_000_000.0  # milliseconds, read as such
    assert batch.signals[0].ts == 1_704_067_200.0  # a naive ISO date-time is UTC
    as_dict = parse_batch({"interactions": [{"id": "i1", "workload": "w", "input": "q", "ts": 1_700_000_000}]})
    assert as_dict.interactions[0].ts == 1_700_000_000.0


def test_a_stamp_before_1970_or_past_the_clock_skew_is_refused():
    early = refused(b'{"interactions":[{"id":"i1","workload":"w","input":"q","ts":-5}]}')
    assert (early.field, early.message) == ("interactions[0].ts", "before 1970-01-01 (epoch seconds must be 0 or more)")
    ahead = refused({"interactions": [{"id": "i1", "workload": "w", "input": "q", "ts": time.time() + 3600}]})
    assert ahead.message == "in the future by more than the allowed clock skew of 300 s"


def test_limits_name_the_field_and_the_size():
    long = refused({"interactions": [{"id": "i1", "workload": "w", "input": "x" * 11}]}, LIMITS)
    assert (long.field, long.message) == ("interactions[0].input", "longer than 10 characters (11)")
    big = {"interactions": [{"id": "i1", "workload": "w", "input": "q", "metadata": {"k": "v" * 200}}]}
    assert refused(big, LIMITS).message == "larger than 100 bytes as JSON (208)"
    assert len(parse_batch({"interactions": [{"id": "i1", "workload": "w", "input": "x" * 10}]}, LIMITS)) == 1


def test_every_problem_is_listed_and_the_first_is_named():
    err = refused(
        {
            "signals": [{"id": "s1", "interaction_id": "i1", "kind": "nope"}],
            "interactions": [{"id": 5, "workload": "w"}],
        }
    )
    assert err.field == "interactions[0].id"
    assert err.message == "Input should be a valid string (and 2 more problems)"
    assert [p["field"] for p in err.details["problems"]] == [
        "interactions[0].id",
        "interactions[0].input",
        "signals[0].kind",
    ]
    assert err.details["problems"][2]["message"].startswith("unknown signal kind 'nope'; known kinds: abandon, ")
    assert refused({"bogus": []}).field == "bogus"


def test_one_id_names_one_event_in_a_batch():
    twice = {"id": "i1", "workload": "w", "input": "q"}
    assert len(parse_batch({"interactions": [twice, dict(twice)]})) == 2  # a retried copy; the store keeps one
    err = refused({"interactions": [twice, {**twice, "input": "r"}]})
    assert err.field == "interactions[1].id"
    assert err.message.startswith("interactions[0] and interactions[1] share the id 'i1' but differ")


def test_a_body_that_is_not_json_is_malformed_not_invalid():
    with pytest.raises(errors.MalformedBody) as caught:
        parse_batch(b'{"interactions": [')
    assert caught.value.message.startswith("the body is not valid JSON: ")
    assert caught.value.status_code == 400


def test_json_problem_finds_nul_surrogates_nan_and_depth_with_a_path():
    nul = "holds a NUL character (\\u0000), which no store keeps in text"
    assert json_problem({"a": [1, {"b\x00": 2}]}) == ("a[1].b\\u0000", f"its key {nul}")
    assert json_problem([float("nan")]) == ("[0]", "must be a finite number (NaN and Infinity are not JSON)")
    assert json_problem([[[]]], max_depth=2) == ("[0][0]", "nested deeper than 2 levels")
    assert json_problem({"k": "ok", "n": [1, 2.5, None, True]}) is None


def test_body_problem_reads_what_the_strict_parser_refuses():
    err = body_problem(b'{"config": {"workloads": ["x\\u0000"]}}')
    assert err is not None and err.field == "config.workloads[0]"
    assert body_problem(b"not json") is None
    assert body_problem(b'{"fine": "\\\\u0000"}') is None  # an escaped backslash, then text


def test_printable_and_to_epoch():
    assert printable("a\ud800b\x00c") == "a\\ud800b\\u0000c"
    assert to_epoch(datetime(2024, 1, 1)) == to_epoch(datetime(2024, 1, 1, tzinfo=UTC)) == 1_704_067_200.0
    assert (to_epoch(None), to_epoch(5.0)) == (None, 5.0)


def test_an_ingest_result_starts_at_zero():
    assert IngestResult().model_dump() == {"interactions": 0, "signals": 0, "outcomes": 0, "duplicates": 0}
