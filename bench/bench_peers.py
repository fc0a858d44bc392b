"""Peers benchmark (issue 15, the performance page): the same user feedback taken by MLflow 3,
Arize Phoenix and flyloop, in one run, on this machine, each peer in a virtualenv of its own
(bench/.venvs/, made by :mod:`bench.peers.venvs`), every server on loopback, telemetry off.

The feedback (:mod:`bench.peers.feedback`): a 1-5 rating with a comment, by one of 200 users, on
something that already exists, the same for every system:

- MLflow (``mlflow.log_feedback`` on traces): against ``mlflow server`` (SQLite backend store),
  and against a local SQLite store with no server; one thread, then 16;
- Phoenix (span annotations through its REST API, by its official client): one per request,
  then 100 per request, each with the client's default (asynchronous) and with ``sync=true``;
  its spans are made first and not timed;
- flyloop: the SDK on a local store, the SDK against ``flyloop serve``, and HTTP ingest, one
  signal per request, then 100 per request.

Each side runs as a subprocess (a driver in :mod:`bench.peers`, printing its results as JSON); a
rate is feedback per second until all of it is stored, counted in the system's own database after
the clock stops. ``--events`` pieces for the modes that send one at a time and the SDKs,
``--batch-events`` for the batched ones. The ratios (flyloop / peer) are in
``bench/results/peers.json`` and BENCHMARKS.md.

Run: ``python bench/bench_peers.py`` (about 9 minutes on the loaded 2-core machine; ``--quick`` for
a smoke run)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import write_result  # noqa: E402
from bench.peers import compare, services, venvs  # noqa: E402
from bench.peers.compare import Run  # noqa: E402

DRIVER_TIMEOUT_S = 600


def drive(command: list[str], log: Path) -> tuple[list[Run], dict[str, Any]]:
    """Run a driver; its runs and extra fields. RuntimeError with its last output on failure."""
    log.parent.mkdir(parents=True, exist_ok=True)
    answer = subprocess.run(
        command, cwd=ROOT, env=services.environment(), capture_output=True, text=True, timeout=DRIVER_TIMEOUT_S
    )
    log.write_text(answer.stdout + "\n--- stderr ---\n" + answer.stderr)
    if answer.returncode != 0:
        tail = (answer.stderr or answer.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{Path(command[1]).name} exited {answer.returncode}: {' / '.join(tail)}")
    return compare.parse_driver_output(answer.stdout)


class Bench:
    """The servers, up for the whole run, and the driver calls. Every server is started first
    and stays up until the end, so each mode runs beside the same idle servers; then each flyloop
    mode is measured right after the peer's mode it is set against (:data:`ORDER`), so a pair's
    two figures are minutes apart at most on a machine whose load drifts."""

    def __init__(self, folder: Path, systems: list[str], events: int, batch_events: int) -> None:
        self.folder = folder
        self.events = events
        self.batch_events = batch_events
        self.failures: dict[str, str] = {}
        self.versions: dict[str, str] = {}
        self.servers: dict[str, services.Service] = {}
        self.systems = systems
        for system in systems:
            if system == "flyloop":
                continue
            try:
                venvs.ensure(system)
            except RuntimeError as error:
                self.fail(system, error)
        for system in self.live():  # all started at once, then waited for: each takes a minute or so
            start = {"flyloop": self.start_flyloop, "mlflow": self.start_mlflow, "phoenix": self.start_phoenix}[system]
            self.servers[system] = start()
        for system, service in list(self.servers.items()):
            try:
                service.ready()
            except RuntimeError as error:
                self.fail(system, error)
                del self.servers[system]

    def live(self) -> list[str]:
        return [system for system in self.systems if system not in self.failures]

    def fail(self, system: str, error: BaseException) -> None:
        self.failures[system] = str(error)
        print(f"{system} not measured: {error}", flush=True)

    def start_flyloop(self) -> services.Service:
        from flyloop import Store, __version__

        self.versions["flyloop"] = __version__
        served = self.folder / "flyloop" / "served"
        served.mkdir(parents=True)
        self.flyloop_db = served / "flyloop.db"
        store = Store(f"sqlite:///{self.flyloop_db}")
        self.flyloop_key = store.create_key("peers", ["ingest", "read"])[1]
        store.close()
        return services.flyloop_server(served, f"sqlite:///{self.flyloop_db}", wait=False)

    def start_mlflow(self) -> services.Service:
        return services.mlflow_server(self.folder / "mlflow" / "server", wait=False)

    def start_phoenix(self) -> services.Service:
        return services.phoenix_server(self.folder / "phoenix", wait=False)

    def stop(self) -> None:
        for service in self.servers.values():
            service.stop()

    def command(self, step: str) -> list[str]:
        """The driver call of one step of :data:`ORDER`."""
        events, batched = str(self.events), str(self.batch_events)
        if step.startswith("flyloop."):
            mode = step.removeprefix("flyloop.")
            folder = self.folder / "flyloop" / ("local" if mode == "sdk_local" else "served")
            folder.mkdir(parents=True, exist_ok=True)
            call = [sys.executable, "bench/peers/flyloop_driver.py", mode, "--folder", str(folder)]
            if mode == "sdk_local":
                return [*call, "--events", events, "--db", str(folder / "flyloop.db")]
            server = [
                *call,
                "--db",
                str(self.flyloop_db),
                "--url",
                self.servers["flyloop"].url,
                "--key",
                self.flyloop_key,
            ]
            return [*server, "--events", batched if mode == "http_batch100" else events]
        if step.startswith("mlflow."):
            call = [str(venvs.python("mlflow")), "bench/peers/mlflow_driver.py", "--events", events]
            if step == "mlflow.server":
                db = self.folder / "mlflow" / "server" / "mlflow.db"
                return [*call, "--uri", self.servers["mlflow"].url, "--db", str(db), "--mode", "server"]
            local = self.folder / "mlflow" / "local" / "mlflow.db"
            local.parent.mkdir(parents=True, exist_ok=True)
            return [*call, "--uri", f"sqlite:///{local}", "--db", str(local), "--mode", "local"]
        batch = "1" if step == "phoenix.single" else "100"
        call = [str(venvs.python("phoenix")), "bench/peers/phoenix_driver.py", "--url", self.servers["phoenix"].url]
        db = self.folder / "phoenix" / "phoenix.db"
        return [*call, "--db", str(db), "--events", events if batch == "1" else batched, "--batch", batch]


# Each flyloop mode right after the peer's modes it is set against (see Bench).
ORDER = (
    "phoenix.single",  # rest_single and rest_single_sync
    "flyloop.http_single",
    "phoenix.batch100",  # rest_batch100 and rest_batch100_sync
    "flyloop.http_batch100",
    "mlflow.server",  # server_sequential and server_threads16
    "flyloop.sdk_remote",
    "mlflow.local",  # local_sequential and local_threads16
    "flyloop.sdk_local",
)


# By hand, from the four full runs of 2026-12-06 00:43 to 01:35 UTC on this machine (load average 7
# to 10; the first with 500 pieces, the rest with 300): how far single runs move here.
NOTES = """Across four full runs in one session (load average 7 to 10): the SDK rows time a few hundred
pieces that leave in one or two of the SDK's batches, tens of milliseconds, so they moved from
2,200 to 10,200 a second and their ratios to MLflow from 44x to 430x: two orders of magnitude in
every run, no finer. flyloop one per request over Phoenix one per request (asynchronous) was 0.5x
to 1.0x: a single request costs flyloop's ingest (it stores and fsyncs before it answers) about what
it costs Phoenix to queue one; over Phoenix with `sync=true` 1.1x to 2.4x. Batched, flyloop over
Phoenix was 1.1x to 2.6x (asynchronous) and 4.6x to 9.8x (`sync=true`); one per request, flyloop
over MLflow's server 1.7x to 4.0x."""


def reflow(text: str, width: int = 100) -> str:
    """Prose paragraphs re-wrapped once the figures are in; tables left as they are."""
    paragraphs = text.strip().split("\n\n")
    return "\n\n".join(
        part
        if part.lstrip().startswith("|")
        else textwrap.fill(" ".join(part.split()), width, break_long_words=False, break_on_hyphens=False)
        for part in paragraphs
    )


def report(figures: dict[str, Any], runs: dict[str, Run]) -> str:
    versions = figures["versions"]
    return reflow(f"""
The same feedback, a 1-5 rating with a comment by one of 200 users on something already stored,
given to each system in one run: {figures["events"]:,} pieces to each mode that sends one at a
time (and to each SDK), {figures["batch_events"]:,} to each batched mode. A rate runs from the first
call until the last piece is stored (each driver counts them in its system's own database after
the clock stops, and fails unless all are there); what the feedback is about (traces, spans,
interactions) is made first and not timed. Versions: MLflow {versions.get("mlflow", "-")}, Arize
Phoenix {versions.get("phoenix", "-")} (client {versions.get("phoenix_client", "-")}), flyloop
{versions.get("flyloop", "-")}; each peer in a virtualenv of its own (`python -m bench.peers.venvs`),
servers on loopback with their defaults (`mlflow server`: 4 uvicorn workers, SQLite backend store;
`phoenix serve` and `flyloop serve`: one process, SQLite; flyloop's per-key rate limit off, the
peers have none), telemetry off (`MLFLOW_DISABLE_TELEMETRY`, `DO_NOT_TRACK`,
`PHOENIX_TELEMETRY_ENABLED=false`). The three servers are up for the whole run, and each flyloop
mode runs right after the peer's modes it is set against (Phoenix one per request, flyloop one per
request, Phoenix batched, flyloop batched, MLflow's server, flyloop's SDK to its server, MLflow
local, flyloop's SDK local), so a pair is measured a minute or two apart. Load average before /
after: {figures["load_average_before"]} / {figures["load_average_after"]} on 2 cores shared with
other work: single runs, whose rates move by a half between runs here; read the ratios' order of
magnitude, not their decimals.

{compare.markdown(runs, figures["failures"], figures["ratios"])}

How each is given: MLflow, `mlflow.log_feedback(trace_id=..., name=..., value=rating,
rationale=comment, source=AssessmentSource(HUMAN, user))` on traces made by `mlflow.start_span`
(logged synchronously, untimed). Phoenix, HUMAN span annotations (score and label the rating,
explanation the comment) by `phoenix.client.Client().spans.log_span_annotations` on spans made
through its REST span endpoint (untimed); the client's default is asynchronous (the server answers
at once and writes later), so the clock runs until they are in its database; the `sync=true` rows
ask it to store each request before answering, as flyloop's ingest always does. flyloop, a `rating`
signal (the comment in its payload, the user as actor): the SDK's `signal` then `flush()` (which
returns once all is stored), or `POST /v1/ingest` by one keep-alive `httpx` client, as Phoenix's
client sends. The SDK sends in the background, in batches of up to 500 (its design: a log call
never waits on the network; {figures["events"]:,} pieces are a batch or two), while MLflow's
`log_feedback` makes one request, or one transaction, per call.

{NOTES}

The issue's figures, from another loaded machine, for scale: MLflow 14/s one thread and 54/s with
16 threads; Phoenix 22/s one per request and 863/s 100 per request.
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", type=int, default=300, help="feedback per one-at-a-time mode and per SDK mode (default 300)"
    )
    parser.add_argument(
        "--batch-events", type=int, default=5_000, help="feedback per batched mode, 100 a request (default 5,000)"
    )
    parser.add_argument(
        "--only", nargs="+", choices=["flyloop", "mlflow", "phoenix"], help="measure only these (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 50 and 500 pieces, results not saved")
    parser.add_argument("--render", action="store_true", help="rewrite the BENCHMARKS.md section from the last results")
    args = parser.parse_args()
    if args.render:  # the prose changed, not the figures: no new measurement
        saved = json.loads((ROOT / "bench" / "results" / "peers.json").read_text())
        figures = {k: v for k, v in saved.items() if not k.startswith("_")}
        # From the saved rate (to 0.1/s), not the seconds (rounded to the millisecond: an SDK row lasts 30).
        runs = {
            mode: Run(mode, run["events"], run["events"] / run["per_second"]) for mode, run in figures["runs"].items()
        }
        write_result("peers", figures, report(figures, runs), command=saved["_command"], at=saved["_at"])
        return
    if args.quick:
        args.events, args.batch_events = 50, 500
    systems = args.only or ["flyloop", "mlflow", "phoenix"]
    load_before = os.getloadavg()[0]
    runs: dict[str, Run] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="flyloop-peers-") as tmp:
        bench = Bench(Path(tmp), systems, args.events, args.batch_events)
        try:
            print(f"servers up after {time.monotonic() - started:.0f} s", flush=True)
            for step in ORDER:
                system = step.split(".")[0]
                if system not in bench.live():  # its venv or its server failed: said once, above
                    continue
                began = time.monotonic()
                try:
                    found, extra = drive(bench.command(step), Path(tmp) / "logs" / f"{step}.log")
                except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
                    bench.fail(system, error)
                    continue
                print(f"-- {step}: {time.monotonic() - began:.0f} s, set-up included", flush=True)
                for run in found:
                    runs[run.mode] = run
                    print(f"{run.mode}: {run.events:,} in {run.seconds:.2f} s = {run.per_second:,.1f}/s", flush=True)
                bench.versions.update(
                    {k.removesuffix("_version"): v for k, v in extra.items() if k.endswith("_version")}
                )
        finally:
            bench.stop()
        failures, versions = bench.failures, bench.versions
    ratios = compare.ratios(runs)
    for key, ratio in ratios.items():
        print(f"{key}: {'-' if ratio is None else f'{ratio}x'}", flush=True)
    figures: dict[str, Any] = {
        "runs": {mode: run.figures() for mode, run in runs.items()},
        "ratios": ratios,
        "versions": versions,
        "failures": failures,
        "events": args.events,
        "batch_events": args.batch_events,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    if args.quick:
        return
    write_result("peers", figures, report(figures, runs))
    if failures:
        sys.exit(f"not measured: {', '.join(failures)}")


if __name__ == "__main__":
    main()
