"""The peers benchmark's pure parts (bench/peers, issue 15's performance page): the feedback every
system is given, reading a driver's result lines back (and refusing incomplete or lossy ones),
the flyloop / peer ratios and the section's tables. No virtualenv, server or peer is touched
here: ``python bench/bench_peers.py`` does that."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.peers.compare import MARKER, MODES, PAIRS, Run, markdown, parse_driver_output, ratios, result_line
from bench.peers.feedback import COMMENTS, USERS, feedback


def test_feedback_is_the_same_for_every_system_and_covers_the_whole_scale() -> None:
    assert feedback(0) == {
        "rating": 1,
        "comment": COMMENTS[0],
        "user": "u000",
        "question": "How do I reset my password? (case 0)",
        "answer": "Open Settings, then Security, then Reset password.",
    }
    assert feedback(1)["rating"] == 3 and feedback(1)["comment"] == COMMENTS[3] and feedback(1)["user"] == "u001"
    assert sorted({feedback(n)["rating"] for n in range(5)}) == [1, 2, 3, 4, 5]  # type: ignore[type-var]
    assert {feedback(n)["comment"] for n in range(5)} == set(COMMENTS)
    assert feedback(USERS)["user"] == "u000"


def test_a_driver_line_round_trips_and_library_chatter_is_skipped() -> None:
    stdout = "\n".join(
        [
            "2026/12/06 INFO mlflow.tracking.fluent: Experiment with name 'peers' does not exist.",
            result_line("mlflow.server_sequential", 500, 12.5, 500, mlflow_version="3.17.2"),
            '{"mode": "mlflow.server_threads16"}',  # JSON without the marker is a library's, not a result
            result_line("mlflow.server_threads16", 500, 4.0, 500, mlflow_version="3.17.2"),
        ]
    )
    runs, extra = parse_driver_output(stdout)
    assert runs == [Run("mlflow.server_sequential", 500, 12.5), Run("mlflow.server_threads16", 500, 4.0)]
    assert extra == {"mlflow_version": "3.17.2"}
    assert runs[0].per_second == 40.0
    assert runs[1].figures() == {"events": 500, "seconds": 4.0, "per_second": 125.0}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"mode": "mlflow.nope", "events": 1, "seconds": 1, "stored": 1}, "mode 'mlflow.nope' is not one of"),
        ({"mode": "phoenix.rest_single", "seconds": 1, "stored": 1}, "events must be a count, got None"),
        ({"mode": "phoenix.rest_single", "events": True, "seconds": 1, "stored": 1}, "events must be a count"),
        ({"mode": "phoenix.rest_single", "events": 5, "seconds": 1, "stored": -1}, "stored must be a count, got -1"),
        ({"mode": "phoenix.rest_single", "events": 5, "seconds": 0, "stored": 5}, "seconds must be a positive number"),
        ({"mode": "phoenix.rest_single", "events": 5, "seconds": "2", "stored": 5}, "seconds must be a positive"),
        ({"mode": "phoenix.rest_single", "events": 0, "seconds": 1, "stored": 0}, "events must be at least 1"),
        ({"mode": "phoenix.rest_single", "events": 500, "seconds": 1, "stored": 499}, "stored 499 of 500 events"),
    ],
)
def test_a_bad_result_line_is_refused_naming_the_field(record: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match="result line 2") as caught:
        parse_driver_output("chatter\n" + MARKER + json.dumps(record))
    assert message in str(caught.value)


def test_a_driver_that_printed_no_result_or_broken_json_is_refused() -> None:
    with pytest.raises(ValueError, match="^the driver printed no result line$"):
        parse_driver_output("Traceback (most recent call last):\n  ...\n")
    with pytest.raises(
        ValueError, match=r"^result line 1: not JSON \(Expecting property name enclosed in double quotes\)$"
    ):
        parse_driver_output(MARKER + "{'mode': 1}")
    with pytest.raises(ValueError, match="^result line 1: not a JSON object$"):
        parse_driver_output(MARKER + "[1, 2]")


def _runs(**per_second: float) -> dict[str, Run]:
    """Runs of 100 events whose rate is the given one, keyed by mode (dots as double underscores)."""
    out = {}
    for key, rate in per_second.items():
        mode = key.replace("__", ".")
        out[mode] = Run(mode, 100, 100 / rate)
    return out


def test_ratios_are_flyloop_over_peer_and_none_where_a_side_was_not_measured() -> None:
    runs = _runs(
        flyloop__sdk_remote=2000,
        flyloop__sdk_local=1500,
        flyloop__http_single=80,
        flyloop__http_batch100=4000,
        mlflow__server_sequential=40,
        mlflow__server_threads16=64,
        mlflow__local_sequential=120,
        mlflow__local_threads16=30,
    )
    assert ratios(runs) == {
        "flyloop.sdk_remote/mlflow.server_sequential": 50.0,
        "flyloop.sdk_remote/mlflow.server_threads16": 31.2,
        "flyloop.sdk_local/mlflow.local_sequential": 12.5,
        "flyloop.sdk_local/mlflow.local_threads16": 50.0,
        "flyloop.http_single/mlflow.server_sequential": 2.0,
        "flyloop.http_single/phoenix.rest_single": None,  # Phoenix not measured
        "flyloop.http_batch100/phoenix.rest_batch100": None,
        "flyloop.http_single/phoenix.rest_single_sync": None,
        "flyloop.http_batch100/phoenix.rest_batch100_sync": None,
    }


def test_every_pair_names_measured_modes_one_flyloop_side_and_one_peer() -> None:
    for pair in PAIRS:
        assert pair.flyloop in MODES and pair.peer in MODES
        assert pair.flyloop.startswith("flyloop.") and not pair.peer.startswith("flyloop.")
    assert len({pair.key for pair in PAIRS}) == len(PAIRS)


def test_the_tables_show_rates_ratios_and_why_a_peer_is_missing() -> None:
    runs = _runs(
        flyloop__http_single=80, flyloop__http_batch100=4000, phoenix__rest_single=20, phoenix__rest_batch100=1000
    )
    text = markdown(runs, {"mlflow": "pip install mlflow==3.17.2 failed: no matching distribution"})
    lines = text.splitlines()
    assert lines[0] == "| system and mode | feedback | seconds | per second |"
    assert (
        "| MLflow `log_feedback` on traces, `mlflow server` (SQLite), one thread | not measured: pip install "
        "mlflow==3.17.2 failed: no matching distribution | | |"
    ) in lines
    assert "| flyloop HTTP `POST /v1/ingest` to `flyloop serve`, 100 per request | 100 | 0.03 | **4,000** |" in lines
    assert (
        "| Phoenix span annotations, REST `POST /v1/span_annotations`, one per request | 100 | 5.00 | **20.0** |"
        in lines
    )
    assert (
        "| flyloop SDK `signal` (rating), local store (SQLite file, no server), one thread | not measured: not run "
        "| | |" in lines
    )
    assert "| `flyloop.http_single` / `phoenix.rest_single` | one HTTP request per feedback | **4.0x** |" in lines
    assert "| `flyloop.http_batch100` / `phoenix.rest_batch100` | 100 feedback per HTTP request | **4.0x** |" in lines
    assert "| `flyloop.sdk_local` / `mlflow.local_sequential` | an SDK call per feedback, local store | - |" in lines
    # Re-rendered from saved figures, the saved ratios stand (the rates are rounded, the ratios were not).
    again = markdown(runs, {}, {"flyloop.http_single/phoenix.rest_single": 4.1}).splitlines()
    assert "| `flyloop.http_single` / `phoenix.rest_single` | one HTTP request per feedback | **4.1x** |" in again
    assert "| `flyloop.http_batch100` / `phoenix.rest_batch100` | 100 feedback per HTTP request | - |" in again
