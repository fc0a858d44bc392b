"""Ingest benchmark (issue 2): the capture path, end to end, on this machine.

1. ``http_signals_per_s``: batches of 500 signals POSTed to a live ``flyloop serve`` subprocess
   (loopback, keep-alive ``http.client`` connections in a few threads) running beside a
   ``flyloop worker`` that labels what arrives, durable on a SQLite file (WAL,
   ``synchronous=FULL``: each acknowledged batch was fsynced). Side by side in the same run,
   ``raw_sqlite_rows_per_s``: the same rows written by the standard library's ``sqlite3``
   ``executemany`` into the same schema (WAL, ``synchronous=FULL``, one commit per 500 rows).
   Also timed each round: until the worker has labelled every signal
   (``http_labelled_signals_per_s``), a plain single-process ``flyloop serve``, and the capture
   core alone (no privacy gate, no labels). Each figure is the median of its rounds. Given a
   PostgreSQL database (``--postgres-url``, or ``FLYLOOP_TEST_DATABASE_URL`` as ``make bench``
   sets it through ``scripts/postgres.sh run``), the full deployment's rounds run there too.
2. ``sdk_log_p50_us`` / ``sdk_log_p99_us``: the cost of ``Flywheel.log`` on the app's thread,
   timed call by call over ``--sdk-calls`` calls, paced so the background sender keeps draining
   to the live server (HTTP transport) throughout. ``sdk_durable_log_p50_us`` / ``_p99_us``: the
   same in durable mode (``sdk_durable``: a journal ``write()`` per call), measured in the same
   run. ``--sdk-only`` measures just these two and merges them into the saved results.
3. ``rss_mb_1m``: a fresh server ingests ``--signals`` (1,000,000) signals sent by the SDK in a
   separate client process as fast as it can log them; the peak RSS of the server process and
   of the client process are both reported, the key is the larger.

Run: ``scripts/postgres.sh run .venv/bin/python bench/bench_ingest.py`` (without the wrapper:
SQLite only; ``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import write_result  # noqa: E402
from bench.ingest_report import report  # noqa: E402
from bench.ingest_rounds import postgres_throughput, stage_costs, throughput  # noqa: E402
from bench.ingest_sdk import client_main, log_latency, memory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=200, help="batches of 500 per HTTP round")
    parser.add_argument("--threads", type=int, default=3, help="HTTP client threads")
    parser.add_argument("--sdk-calls", type=int, default=120_000)
    parser.add_argument("--sdk-rate", type=float, default=6_000, help="log calls per second while timing")
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres-url",
        help="also measure the full deployment on this PostgreSQL database "
        "(default: FLYLOOP_TEST_DATABASE_URL, which `scripts/postgres.sh run` sets)",
    )
    parser.add_argument("--render", action="store_true", help="rewrite the BENCHMARKS.md section from the last results")
    parser.add_argument(
        "--sdk-only",
        action="store_true",
        help="measure only the SDK log call (plain and durable, "
        "in one run) and merge the figures into the saved results",
    )
    parser.add_argument("--client", nargs=5, metavar=("URL", "KEY", "SPOOL", "HOME", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        url, secret, spool, home, n = args.client
        client_main(url, secret, spool, home, int(n))
        return
    if args.render:  # the prose changed, not the figures: no new measurement
        saved = orjson.loads((ROOT / "bench" / "results" / "ingest.json").read_bytes())
        figures = {k: v for k, v in saved.items() if not k.startswith("_") or k.startswith("_sdk_")}
        write_result("ingest", figures, report(figures), command=saved["_command"], at=saved["_at"])
        return
    if args.sdk_only:  # the rest of the saved figures stand; these two are measured side by side
        saved = orjson.loads((ROOT / "bench" / "results" / "ingest.json").read_bytes())
        figures = {k: v for k, v in saved.items() if not k.startswith("_")}
        with tempfile.TemporaryDirectory(prefix="flyloop-bench-") as tmp:
            figures.update(log_latency(Path(tmp), args.sdk_calls, args.sdk_rate))
            figures.update(log_latency(Path(tmp), args.sdk_calls, args.sdk_rate, durable=True))
        print(
            f"sdk log p50 {figures['sdk_log_p50_us']} us, p99 {figures['sdk_log_p99_us']} us; durable p50 "
            f"{figures['sdk_durable_log_p50_us']} us, p99 {figures['sdk_durable_log_p99_us']} us",
            flush=True,
        )
        figures["_sdk_command"] = " ".join(["python bench/bench_ingest.py", *sys.argv[1:]])
        figures["_sdk_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        figures["_sdk_load_average"] = round(os.getloadavg()[0], 2)
        write_result("ingest", figures, report(figures), command=saved["_command"], at=saved["_at"])
        return
    if args.quick:
        args.rounds, args.batches, args.sdk_calls, args.signals = 1, 10, 5_000, 20_000
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="flyloop-bench-") as tmp:
        folder = Path(tmp)
        figures = throughput(folder, args.rounds, args.batches, args.threads)
        postgres_url = args.postgres_url or os.environ.get("FLYLOOP_TEST_DATABASE_URL")
        if postgres_url:
            figures.update(postgres_throughput(folder, postgres_url, args.rounds, args.batches, args.threads))
        figures.update(stage_costs(folder, min(args.batches, 40)))
        figures.update(log_latency(folder, args.sdk_calls, args.sdk_rate))
        figures.update(log_latency(folder, args.sdk_calls, args.sdk_rate, durable=True))
        print(
            f"sdk log p50 {figures['sdk_log_p50_us']} us, p99 {figures['sdk_log_p99_us']} us; durable p50 "
            f"{figures['sdk_durable_log_p50_us']} us",
            flush=True,
        )
        figures.update(memory(folder, args.signals))
    figures["load_average_before"] = round(load_before, 2)
    figures["load_average_after"] = round(os.getloadavg()[0], 2)
    command = None
    if not args.postgres_url and os.environ.get("FLYLOOP_TEST_DATABASE_URL"):  # started by scripts/postgres.sh
        command = " ".join(["scripts/postgres.sh run python bench/bench_ingest.py", *sys.argv[1:]])
    write_result("ingest", figures, report(figures), command=command)


if __name__ == "__main__":
    main()
