"""Parts 2 and 3 of the ingest benchmark (``bench/bench_ingest.py``), the SDK's side: the cost of
``Flywheel.log`` on the app's thread, call by call, plain or durable (``log_latency``), and the
peak memory of a server and of an SDK client process while a million signals go through
(``memory``, whose client is ``bench_ingest.py --client``, i.e. ``client_main``)."""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
from bench.ingest_server import PROJECT, Server, count_signals
from bench.ingest_traffic import KINDS, SIGNALS_PER_INTERACTION

from flyloop import Flywheel

# The command line that runs client_main in a process of its own.
CLI = Path(__file__).with_name("bench_ingest.py")


def log_latency(folder: Path, calls: int, rate: float, durable: bool = False) -> dict[str, Any]:
    mode = "sdk-durable" if durable else "sdk"
    server = Server(folder / mode)  # full: serve beside a worker
    fw = Flywheel(
        server_url=server.url,
        api_key=server.secret,
        spool_dir=folder / f"{mode}-spool",
        home=str(folder / f"{mode}-home"),
        sdk_durable=durable,
    )
    question = "How do I reset my password?"
    answer = "Open Settings, then Security, then Reset password."
    # Many users asking varied questions, as production traffic does (one user repeating one
    # question thousands of times would time the re-query inference, not the SDK).
    questions = [f"{question} (ticket {n})" for n in range(1000)]
    users = [f"u{n}" for n in range(5000)]
    for n in range(2_000):  # warm the path (and the server) before timing
        fw.log("support", questions[n % 1000], answer, user_id=users[-1 - n])
    fw.flush(60)
    timings = [0] * calls
    clock = time.perf_counter_ns
    burst = 100
    started = time.perf_counter()
    sent_before = fw.stats.sent
    for start in range(0, calls, burst):
        for n in range(start, min(calls, start + burst)):
            text = questions[n % 1000]  # prepared outside the timed call, as an app's are
            user = users[n % 5000]
            t0 = clock()
            fw.log("support", text, answer, user_id=user, latency_ms=812.0, tokens_in=12, tokens_out=14)
            timings[n] = clock() - t0
        ahead = started + (start + burst) / rate - time.perf_counter()
        if ahead > 0:
            time.sleep(ahead)
    logged_s = time.perf_counter() - started
    sent_during = fw.stats.sent - sent_before
    delivered = fw.flush(300)
    stats = fw.stats
    fw.close()
    server.stop()
    if not delivered or stats.rejected or stats.overflowed:
        sys.exit(f"the SDK run was not clean: delivered={delivered} {stats}")
    if durable and stats.journal_failures:
        sys.exit(f"the durable SDK run could not write its journal: {stats}")
    timings.sort()
    if durable:
        return {
            "sdk_durable_log_p50_us": round(timings[len(timings) // 2] / 1000, 2),
            "sdk_durable_log_p99_us": round(timings[int(len(timings) * 0.99)] / 1000, 2),
            "sdk_durable_log_p999_us": round(timings[int(len(timings) * 0.999)] / 1000, 2),
            "sdk_durable_log_calls": calls,
            "sdk_durable_log_rate_per_s": round(calls / logged_s),
        }
    return {
        "sdk_log_p50_us": round(timings[len(timings) // 2] / 1000, 2),
        "sdk_log_p99_us": round(timings[int(len(timings) * 0.99)] / 1000, 2),
        "sdk_log_p999_us": round(timings[int(len(timings) * 0.999)] / 1000, 2),
        "sdk_log_calls": calls,
        "sdk_log_rate_per_s": round(calls / logged_s),
        "sdk_events_sent_while_timing": sent_during,
    }


def client_main(url: str, secret: str, spool: str, home: str, signals: int) -> None:
    """The SDK client process of part 3: logs ``signals`` signals and reports its own peak RSS."""
    fw = Flywheel(server_url=url, api_key=secret, spool_dir=spool, home=home)
    started = time.perf_counter()
    # A day of traffic replayed: 20,000 users, timestamps spread over the last 24 hours (the
    # stages that look at a user's recent history see a day's worth, not a day squeezed into
    # minutes), four signals per interaction, as feedback comes after its interaction.
    step = 86_400 / (signals / SIGNALS_PER_INTERACTION)
    day_start = time.time() - 86_400 - 60
    for n in range(signals):
        k = n // SIGNALS_PER_INTERACTION
        if n % SIGNALS_PER_INTERACTION == 0:
            it = fw.log("support", f"question {k}", "answer", user_id=f"u{k % 20_000}", ts=day_start + k * step)
        kind, value = KINDS[n % len(KINDS)]
        it.signal(kind, value, ts=day_start + k * step + 1 + n % SIGNALS_PER_INTERACTION)
    logged = time.perf_counter() - started
    delivered = fw.flush(timeout=1800)
    elapsed = time.perf_counter() - started
    stats = fw.stats
    fw.close()
    print(
        orjson.dumps(
            {
                "delivered": delivered,
                "logged_s": logged,
                "interactions": fw.stats.sent - signals,
                "elapsed_s": elapsed,
                "sent": stats.sent,
                "overflowed": stats.overflowed,
                "rejected": stats.rejected,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        ).decode()
    )


def memory(folder: Path, signals: int) -> dict[str, Any]:
    server = Server(folder / "rss")
    peak = 0.0
    child = subprocess.Popen(
        [
            sys.executable,
            str(CLI),
            "--client",
            server.url,
            server.secret,
            str(folder / "rss-spool"),
            str(folder / "rss-home"),
            str(signals),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    while child.poll() is None:
        peak = max(peak, server.ps.memory_info().rss / 2**20)
        time.sleep(0.25)
    report = orjson.loads(child.stdout.read().strip().splitlines()[-1])
    server_peak = max(peak, server.hwm_mb())
    stored = count_signals(folder / "rss" / "flyloop.db", "")
    server.stop()
    if not report["delivered"] or report["rejected"]:
        sys.exit(f"the 1M run was not clean: {report}")
    with sqlite3.connect(folder / "rss" / "flyloop.db") as conn:
        sent_signals = conn.execute(
            "SELECT count(*) FROM signals WHERE project_id = ? AND source = 'user'", (PROJECT,)
        ).fetchone()[0]
    if sent_signals != signals:
        sys.exit(f"stored {sent_signals} signals of {signals} sent")
    return {
        "rss_mb_1m": round(max(server_peak, report["peak_rss_mb"]), 1),
        "rss_server_mb_1m": round(server_peak, 1),
        "rss_client_mb_1m": round(report["peak_rss_mb"], 1),
        "signals_1m": signals,
        "interactions_1m": report["interactions"],
        "signals_stored_1m": stored,
        "sdk_1m_elapsed_s": round(report["elapsed_s"], 1),
        "sdk_1m_app_logging_s": round(report["logged_s"], 1),
        "sdk_1m_signals_per_s": round(signals / report["elapsed_s"]),
        "sdk_1m_overflowed_to_spool": report["overflowed"],
    }
