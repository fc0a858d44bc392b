"""Report benchmark: ``flyloop report`` (Markdown and HTML with plots) on a store of 1,000,000
interactions (``report_seconds_1m``).

The store is bulk-loaded into a SQLite file (interactions over 20 days, about 1.5 signals each,
a label per interaction with signals, a few loop runs and production moves), then the rollups are
built once, as the worker keeps them (every page of the backlog); that build is reported apart
(``report_rollup_build_s_1m``). The figure is one :func:`flyloop.monitor.write_report` with
``refresh=True``: it catches the rollups and alerts up (nothing new arrived, so little to do) and
reads every figure off them and the small tables. Merged into ``bench/results/dashboard.json`` (other keys kept).

    python bench/bench_report.py [--interactions 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import RESULTS, machine, write_result

from flyloop import Settings, Store
from flyloop.monitor import catch_up_rollups, write_report

PROJECT = "bench"
MIX = [
    ("thumbs_up", 0.2),
    ("thumbs_down", 0.08),
    ("accept", 0.35),
    ("edit", 0.07),
    ("requery", 0.15),
    ("outcome", 0.1),
    ("copy", 0.05),
]
VERDICT = {
    "thumbs_up": "good",
    "accept": "good",
    "copy": "good",
    "thumbs_down": "bad",
    "requery": "bad",
    "edit": "corrected",
    "outcome": "good",
}


def bulk_load(path: Path, n: int) -> None:
    Store(f"sqlite:///{path}").close()  # the schema, through the migrations
    rng = random.Random(3)
    start = (int(time.time()) // 3600 - 20 * 24) * 3600.0
    step = 20 * 86400 / n
    kinds, weights = zip(*MIX, strict=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    sig_n = 0
    for base in range(0, n, 100_000):
        inter, sigs, labs = [], [], []
        for k in range(base, min(base + 100_000, n)):
            iid, ts = f"i{k:07d}", start + k * step
            workload = "triage" if k % 3 else "draft"
            inter.append(
                (
                    PROJECT,
                    iid,
                    workload,
                    orjson.dumps(f"question {k % 997}").decode(),
                    "answer",
                    f"u{k % 40_000}",
                    ts,
                    ts,
                    "v2" if k > n // 2 else "v1",
                    "{}",
                )
            )
            got = rng.choices(kinds, weights, k=rng.choice((0, 1, 2, 3)))
            for kind in got:
                sig_n += 1
                payload = orjson.dumps({"text": "a better answer"}).decode() if kind == "edit" else "{}"
                value = 1.0 if kind == "outcome" else None
                sigs.append((PROJECT, f"s{sig_n:08d}", iid, kind, value, payload, "user", ts + 30, ts + 30))
            if got:
                labs.append((PROJECT, iid, workload, VERDICT[got[-1]], 0.7, 0.5, ts + 60, ts))
        conn.executemany(
            "INSERT INTO interactions (project_id, id, workload, input, output, user_id, ts, received_at,"
            " policy_version, meta) VALUES (?,?,?,?,?,?,?,?,?,?)",
            inter,
        )
        conn.executemany(
            "INSERT INTO signals (project_id, id, interaction_id, kind, value, payload, source, ts, received_at)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            sigs,
        )
        conn.executemany(
            "INSERT INTO labels (project_id, interaction_id, workload, verdict, confidence, score, updated_at, ts)"
            " VALUES (?,?,?,?,?,?,?,?)",
            labs,
        )
        conn.commit()
    # The workloads its interactions imply, as ingest writes them (Store.ingest).
    conn.executemany(
        "INSERT INTO workloads (project_id, name, created_at) VALUES (?, ?, ?)",
        [(PROJECT, name, start) for name in ("draft", "triage")],
    )
    for k in range(12):  # loop runs every ~40 hours, every third one making a candidate
        at = start + k * 40 * 3600
        conn.execute(
            'INSERT INTO loop_runs (project_id, id, loop, workload, status, "trigger", started_at, finished_at,'
            " inputs, outputs, calls, tokens, details) VALUES (?,?,?,?,?,?,?,?,?,?,0,0,'{}')",
            (
                PROJECT,
                f"r{k}",
                "prompt" if k % 2 else "fewshot",
                "triage",
                "succeeded",
                "schedule",
                at,
                at + 600,
                "{}",
                json.dumps({"candidates": [f"pv{k}"] if k % 3 == 0 else []}),
            ),
        )
    conn.commit()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.db"
        t0 = time.perf_counter()
        bulk_load(path, args.interactions)
        load_s = time.perf_counter() - t0
        url = f"sqlite:///{path}"
        settings = Settings(home=str(Path(tmp) / "home"), database_url=url)
        store = Store(url)
        t0 = time.perf_counter()
        catch_up_rollups(store, PROJECT, segment_key=settings.monitor_segment_key)  # every page, as the worker
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = write_report(store, PROJECT, Path(tmp) / "out", settings=settings)
        report_s = time.perf_counter() - t0
        interactions = done.report["audit"]["interactions"]
        store.close()
    print(
        f"loaded {args.interactions:,} in {load_s:.1f} s; rollups built in {build_s:.1f} s; report in {report_s:.2f} s"
    )
    assert interactions == args.interactions, interactions
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "dashboard.json"
    merged = json.loads(target.read_text()) if target.exists() else {}
    suffix = "1m" if args.interactions == 1_000_000 else f"{args.interactions}"
    merged.update(
        {
            f"report_seconds_{suffix}": round(report_s, 2),
            f"report_rollup_build_s_{suffix}": round(build_s, 1),
            f"_report_seconds_{suffix}_command": "python bench/bench_report.py"
            + ("" if args.interactions == 1_000_000 else f" --interactions {args.interactions}"),
            f"_report_seconds_{suffix}_machine": machine(),
        }
    )
    target.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    if args.interactions == 1_000_000:
        report_section(load_s, build_s, report_s)


def report_section(load_s: float, build_s: float, report_s: float, at: str | None = None) -> None:
    """bench/results/report.json and the report's section of BENCHMARKS.md."""
    figures = {
        "report_seconds_1m": round(report_s, 2),
        "report_rollup_build_s_1m": round(build_s, 1),
        "load_seconds": round(load_s, 1),
    }
    md = (
        "`flyloop report` (write_report: Markdown and HTML with plots, refresh on) over 1,000,000 interactions "
        "bulk-loaded into SQLite (20 days, about 1.5 signals each, a label for each of the three in four with a "
        "signal, twelve loop runs), after the rollups were built from nothing as the worker builds them.\n\n"
        f"| figure | value |\n|---|---|\n| bulk load | {load_s:.1f} s |\n"
        f"| rollups built from nothing | {build_s:.1f} s |\n| **report_seconds_1m** | **{report_s:.2f} s** |\n\n"
        "Target: under 30 s. The report reads the rollups and the small tables, never the million rows."
    )
    write_result("report", figures, md, command="python bench/bench_report.py", at=at)


if __name__ == "__main__":
    main()
