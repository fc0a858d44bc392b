"""The peers benchmark's figures: each driver's printed result read back and checked, the
flyloop / peer ratios, and the BENCHMARKS.md table. Pure functions (no subprocess, no network):
``tests/bench/test_peers.py`` checks them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# A driver prints its results on lines of their own behind this marker: a peer's libraries print
# to stdout too (warnings, progress), and a marker no library prints keeps them apart.
MARKER = "PEERS_RESULT "

# Every measured mode, in table order, with what it is.
MODES: dict[str, str] = {
    "mlflow.server_sequential": "MLflow `log_feedback` on traces, `mlflow server` (SQLite), one thread",
    "mlflow.server_threads16": "MLflow `log_feedback` on traces, `mlflow server` (SQLite), 16 threads",
    "mlflow.local_sequential": "MLflow `log_feedback` on traces, local SQLite store (no server), one thread",
    "mlflow.local_threads16": "MLflow `log_feedback` on traces, local SQLite store (no server), 16 threads",
    "phoenix.rest_single": "Phoenix span annotations, REST `POST /v1/span_annotations`, one per request",
    "phoenix.rest_batch100": "Phoenix span annotations, REST `POST /v1/span_annotations`, 100 per request",
    "phoenix.rest_single_sync": "the same, one per request, `sync=true` (stored before the answer)",
    "phoenix.rest_batch100_sync": "the same, 100 per request, `sync=true` (stored before the answer)",
    "flyloop.sdk_local": "flyloop SDK `signal` (rating), local store (SQLite file, no server), one thread",
    "flyloop.sdk_remote": "flyloop SDK `signal` (rating) against `flyloop serve` (SQLite), one thread",
    "flyloop.http_single": "flyloop HTTP `POST /v1/ingest` to `flyloop serve`, one per request",
    "flyloop.http_batch100": "flyloop HTTP `POST /v1/ingest` to `flyloop serve`, 100 per request",
}


@dataclass(frozen=True)
class Pair:
    """A flyloop mode and the peer's mode it is set against, and why they are alike."""

    flyloop: str
    peer: str
    why: str

    @property
    def key(self) -> str:
        return f"{self.flyloop}/{self.peer}"


PAIRS: tuple[Pair, ...] = (
    Pair("flyloop.sdk_remote", "mlflow.server_sequential", "an SDK call per feedback, to a server"),
    Pair("flyloop.sdk_remote", "mlflow.server_threads16", "an SDK call per feedback, to a server (MLflow threaded)"),
    Pair("flyloop.sdk_local", "mlflow.local_sequential", "an SDK call per feedback, local store"),
    Pair("flyloop.sdk_local", "mlflow.local_threads16", "an SDK call per feedback, local store (MLflow threaded)"),
    Pair("flyloop.http_single", "mlflow.server_sequential", "one HTTP request per feedback"),
    Pair("flyloop.http_single", "phoenix.rest_single", "one HTTP request per feedback"),
    Pair("flyloop.http_batch100", "phoenix.rest_batch100", "100 feedback per HTTP request"),
    Pair("flyloop.http_single", "phoenix.rest_single_sync", "one HTTP request per feedback, stored before the answer"),
    Pair("flyloop.http_batch100", "phoenix.rest_batch100_sync", "100 per HTTP request, stored before the answer"),
)


@dataclass(frozen=True)
class Run:
    """One measured mode: ``events`` pieces of feedback stored in ``seconds``."""

    mode: str
    events: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.events / self.seconds

    def figures(self) -> dict[str, Any]:
        return {"events": self.events, "seconds": round(self.seconds, 4), "per_second": round(self.per_second, 1)}


def result_line(mode: str, events: int, seconds: float, stored: int, **extra: Any) -> str:
    """The line a driver prints for one mode (``stored``: what it counted in the system's own
    store after the clock stopped)."""
    return MARKER + json.dumps({"mode": mode, "events": events, "seconds": seconds, "stored": stored, **extra})


def parse_driver_output(stdout: str) -> tuple[list[Run], dict[str, Any]]:
    """The runs a driver printed, and the extra fields of its lines (versions, say), merged.
    ValueError, naming the field, for a line that is not a complete result, an unknown mode, or
    feedback acknowledged but not all stored; and when the driver printed no result at all."""
    runs: list[Run] = []
    extra: dict[str, Any] = {}
    for number, line in enumerate(stdout.splitlines(), 1):
        if not line.startswith(MARKER):
            continue
        where = f"result line {number}"
        try:
            record = json.loads(line[len(MARKER) :])
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise ValueError(f"{where}: not a JSON object")
        mode = record.get("mode")
        if mode not in MODES:
            raise ValueError(f"{where}: mode {mode!r} is not one of {', '.join(MODES)}")
        for name in ("events", "stored"):
            value = record.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{where} ({mode}): {name} must be a count, got {value!r}")
        seconds = record.get("seconds")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not seconds > 0:
            raise ValueError(f"{where} ({mode}): seconds must be a positive number, got {seconds!r}")
        if record["events"] == 0:
            raise ValueError(f"{where} ({mode}): events must be at least 1")
        if record["stored"] != record["events"]:
            raise ValueError(f"{where} ({mode}): stored {record['stored']} of {record['events']} events")
        runs.append(Run(mode, record["events"], float(seconds)))
        extra.update({k: v for k, v in record.items() if k not in ("mode", "events", "seconds", "stored")})
    if not runs:
        raise ValueError("the driver printed no result line")
    return runs, extra


def ratios(runs: dict[str, Run]) -> dict[str, float | None]:
    """flyloop's rate over the peer's for every pair in :data:`PAIRS`; None where either side
    was not measured (a peer that could not be installed)."""
    out: dict[str, float | None] = {}
    for pair in PAIRS:
        ours, theirs = runs.get(pair.flyloop), runs.get(pair.peer)
        out[pair.key] = None if ours is None or theirs is None else round(ours.per_second / theirs.per_second, 1)
    return out


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def markdown(runs: dict[str, Run], failures: dict[str, str], saved: dict[str, float | None] | None = None) -> str:
    """The two tables of the section: every mode's rate, then the ratios (``saved``: as saved
    with the figures, when the section is re-rendered from them; else from ``runs``)."""
    lines = ["| system and mode | feedback | seconds | per second |", "|---|---|---|---|"]
    for mode, what in MODES.items():
        run = runs.get(mode)
        if run is None:
            system = mode.split(".")[0]
            lines.append(f"| {what} | not measured: {failures.get(system, 'not run')} | | |")
        else:
            lines.append(f"| {what} | {run.events:,} | {run.seconds:.2f} | **{_rate(run.per_second)}** |")
    lines += ["", "| flyloop mode / peer mode | alike in | ratio |", "|---|---|---|"]
    values = ratios(runs) if saved is None else saved
    for pair in PAIRS:
        ratio = values.get(pair.key)
        shown = "-" if ratio is None else f"**{ratio:,}x**"
        lines.append(f"| `{pair.flyloop}` / `{pair.peer}` | {pair.why} | {shown} |")
    return "\n".join(lines)
