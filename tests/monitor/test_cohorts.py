"""What one interaction adds to the rollups: its input's length bin, its segment, its counts."""

from __future__ import annotations

from conftest import hours_ago
from flyloop.monitor.cohorts import NO_SEGMENT, contributions, input_bin, segment_of

H = hours_ago(2)


def test_input_bins_and_segments():
    assert [input_bin(x) for x in ("", "a", "abc", "x" * 40, "x" * 100000, None)] == [0, 1, 2, 5, 15, 0]
    assert input_bin({"q": "hi"}) == 3  # '{"q": "hi"}' is 11 characters
    assert segment_of({"plan": "pro"}, "plan") == "pro"
    assert segment_of({"plan": ""}, "plan") == NO_SEGMENT and segment_of(None, "plan") == NO_SEGMENT
    assert segment_of({"plan": "pro"}, None) == ""


def test_one_interaction_counts(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [
                {
                    "id": "a",
                    "workload": "w",
                    "input": "abc",
                    "output": "The total is 84.",
                    "ts": H + 30,
                    "policy_version": "v1",
                    "metadata": {"plan": "pro"},
                }
            ],
            "signals": [
                {"id": "s1", "interaction_id": "a", "kind": "thumbs_down", "ts": H + 40},
                {"id": "s2", "interaction_id": "a", "kind": "thumbs_up", "ts": H + 50},  # the later vote stands
                {
                    "id": "s3",
                    "interaction_id": "a",
                    "kind": "edit",
                    "ts": H + 60,
                    "payload": {"text": "The total is 85."},
                },
            ],
        },
    )
    with store.read() as conn:
        got = contributions(conn, "acme", ["a", "missing"], "plan")
    assert list(got) == ["a"]
    key, hour, counts, arm = got["a"]
    assert arm == ""
    assert (key, hour) == (("w", "v1", "pro"), H)
    assert counts == {
        "interactions": 1,
        "signals.thumbs_down": 1,
        "signals.thumbs_up": 1,
        "signals.edit": 1,
        "with_signal": 1,
        "with_feedback": 1,
        "edited": 1,
        "voted": 1,
        "approved": 1,
        "edits_measured": 1,
        "edit_distance": 1,
        "input_chars.2": 1,
    }
