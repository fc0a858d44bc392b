"""Monitor benchmark: what the rollup upkeep costs per ingested event.

``rollup_ingest_ratio``: the same stream of events (interactions with their signals, in time
order over ``--hours`` hours, as live traffic arrives) ingested into two fresh SQLite files in one
run: once alone, once with :func:`flyloop.monitor.update_rollups` run after every
``--upkeep-every`` events (the worker's timer, made deterministic). The ratio is the second's
CPU seconds over the first's (the process's CPU time: waits on the disk and the neighbours' load
are left out), the median of ``--repeat`` such pairs; the upkeep runs in the worker, off the
ingest path, so ingest's own rate is unchanged: the ratio is the CPU the rollups add per
ingested event. Also reported: a read of 30 days of daily metrics off the rollups, which touches
no raw event.

    python bench/bench_monitor.py [--interactions 60000] [--hours 24] [--upkeep-every 10000] [--repeat 3]

``first_build_seconds_1m`` (``--first-build``): the rollups built from nothing over a store of
1,000,000 interactions (bench_report's bulk load: 20 days, about 1.5 signals and a label each,
plus an outcome row for one in ten), as the worker does it (:func:`flyloop.monitor.catch_up_rollups`,
a page of each source per call). With ``--before SRC`` the same build of another source tree
(``git archive <commit> src``) runs on a copy of the same file, without the index that tree's
migrations lacked, so before and after are measured in one run.

    python bench/bench_monitor.py --first-build [--interactions 1000000] [--before /tmp/old/src]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import RESULTS, write_result

from flyloop import Settings, Store
from flyloop.capture.ingest import Capture
from flyloop.monitor import metrics, update_rollups
from flyloop.process import settle_heap

PROJECT = "bench"
KINDS = [("accept", 0.3), ("thumbs_up", 0.15), ("thumbs_down", 0.05), ("requery", 0.1), ("copy", 0.1)]


def batches(n: int, hours: int, batch: int) -> list[dict]:
    rng = random.Random(7)
    start = (int(time.time()) // 3600 - hours - 1) * 3600.0
    events: list[tuple[str, dict]] = []
    for k in range(n):
        ts = start + k * hours * 3600.0 / n
        iid = f"i{k}"
        events.append(
            (
                "interactions",
                {
                    "id": iid,
                    "workload": f"w{k % 3}",
                    "input": "q" * rng.randint(5, 400),
                    "output": "the answer is 42",
                    "ts": ts,
                    "user_id": f"u{k % 5000}",
                    "policy_version": "v2" if k % 2 else "v1",
                    "metadata": {"plan": rng.choice(["free", "pro", "team"])},
                },
            )
        )
        for j, (kind, share) in enumerate(KINDS):
            if rng.random() < share:
                events.append(("signals", {"id": f"{iid}-{j}", "interaction_id": iid, "kind": kind, "ts": ts + 5}))
    out = []
    for b in range(0, len(events), batch):
        chunk: dict[str, list[dict]] = {"interactions": [], "signals": []}
        for table, row in events[b : b + batch]:
            chunk[table].append(row)
        out.append(chunk)
    return out


def run(folder: Path, name: str, stream: list[dict], every: int | None) -> tuple[float, float, int]:
    url = f"sqlite:///{folder / name}.db"
    settings = Settings(home=str(folder / "home"), database_url=url)
    store = Store(url)
    capture = Capture(store, settings)
    # CPU seconds of this process, not wall time: the figure is the CPU the rollups add, and on a
    # shared machine wall time swung one pair's ratio from 0.80 to 1.25 with the neighbours' load.
    upkeep_s, upkeeps, since = 0.0, 0, 0
    started = time.process_time()
    for chunk in stream:
        capture.ingest(PROJECT, chunk)
        since += len(chunk["interactions"]) + len(chunk["signals"])
        if every is not None and since >= every:
            t0 = time.process_time()
            update_rollups(store, PROJECT, segment_key="plan")
            upkeep_s += time.process_time() - t0
            upkeeps, since = upkeeps + 1, 0
    if every is not None:
        t0 = time.process_time()
        update_rollups(store, PROJECT, segment_key="plan")
        upkeep_s += time.process_time() - t0
        upkeeps += 1
    total = time.process_time() - started
    store.close()
    return total, upkeep_s, upkeeps


# One build in a process of its own, on the code at PYTHONPATH: (seconds, interactions counted).
BUILD = """
import json, sys, time
from flyloop import Store
from flyloop.monitor import catch_up_rollups
store = Store(sys.argv[1], migrate=False)
t0 = time.perf_counter()
done = catch_up_rollups(store, sys.argv[2], segment_key=None)
print(json.dumps([time.perf_counter() - t0, done.interactions]))
"""


def first_build(n: int, before: str | None) -> None:
    import shutil
    import sqlite3
    import subprocess

    from bench.bench_report import PROJECT as REPORT_PROJECT
    from bench.bench_report import bulk_load

    runs: dict[str, tuple[float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "first.db"
        t0 = time.perf_counter()
        bulk_load(path, n)
        conn = sqlite3.connect(path)
        ids = [r[0] for r in conn.execute("SELECT id, received_at FROM interactions WHERE rowid % 10 = 0")]
        conn.executemany(
            "INSERT INTO outcomes (project_id, id, name, value, interaction_id, ts, received_at)"
            " SELECT ?, ?, 'resolved', 1.0, id, ts + 3600, received_at + 3600 FROM interactions"
            " WHERE project_id = ? AND id = ?",
            [(REPORT_PROJECT, f"o{k}", REPORT_PROJECT, iid) for k, iid in enumerate(ids)],
        )
        conn.commit()
        conn.close()
        load_s = time.perf_counter() - t0
        print(f"loaded {n:,} interactions and {len(ids):,} outcomes in {load_s:.0f} s", flush=True)
        trees = {"after": str(Path(__file__).resolve().parent.parent / "src")}
        if before:
            trees = {"before": before, **trees}
        for name, src in trees.items():
            copy = Path(tmp) / f"{name}.db"
            shutil.copy(path, copy)
            if name == "before":  # that tree's schema: no outcomes index (migration 0013)
                conn = sqlite3.connect(copy)
                conn.execute("DROP INDEX IF EXISTS ix_outcomes_received")
                conn.close()
            out = subprocess.run(
                [sys.executable, "-c", BUILD, f"sqlite:///{copy}", REPORT_PROJECT],
                env={**os.environ, "PYTHONPATH": src},
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, counted = json.loads(out.stdout.strip().splitlines()[-1])
            runs[name] = (seconds, counted)
            print(f"{name}: built in {seconds:.1f} s, {counted:,} interactions counted", flush=True)
            copy.unlink()
    suffix = "1m" if n == 1_000_000 else str(n)
    figures: dict[str, object] = {
        f"first_build_seconds_{suffix}": round(runs["after"][0], 1),
        "first_build_interactions_counted": runs["after"][1],
        "interactions": n,
    }
    if "before" in runs:
        figures[f"first_build_seconds_{suffix}_before"] = round(runs["before"][0], 1)
        figures["first_build_interactions_counted_before"] = runs["before"][1]
    rows = "\n".join(f"| {name} | {s:.1f} s | {c:,} |" for name, (s, c) in runs.items())
    md = (
        f"The rollups built from nothing (`catch_up_rollups`, as the worker) over {n:,} interactions "
        "(bench_report's bulk load: 20 days, about 1.5 signals and a label each, an outcome row for one in "
        "ten), each build in a fresh process on a copy of the same SQLite file; `before` is the source tree "
        "before issue 14's leftovers (without the outcomes index), `after` this one.\n\n"
        f"| code | first build | interactions counted |\n|---|---|---|\n{rows}\n\n"
        "What made it slow was not a missing index on interactions (every read of the build is an index "
        "search: EXPLAIN on SQLite and PostgreSQL) but counting each interaction about twice: the sources "
        "were paged apart, so an interaction counted with one page of interactions was counted again with "
        "the later page that held its signals, and again with its label's. Each upkeep now takes every "
        "source up to the stamp the shortest page reaches, and sums per hour before spreading over the "
        "day and week. Outcomes had no index on received_at (each upkeep sorted all of them): added."
    )
    write_result("monitor_first_build", figures, md)
    target = RESULTS / "monitor.json"
    merged = json.loads(target.read_text()) if target.exists() else {}
    merged.update({k: v for k, v in figures.items() if k.startswith("first_build_seconds")})
    target.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(json.dumps(figures, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--first-build", action="store_true", help="time the rollups' first build instead")
    parser.add_argument("--before", help="with --first-build: a source tree (src folder) to time the same build on")
    parser.add_argument("--interactions", type=int, default=None)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--upkeep-every", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs; the median pair is reported")
    args = parser.parse_args()
    if args.first_build:
        first_build(args.interactions or 1_000_000, args.before)
        return
    args.interactions = args.interactions or 60000
    stream = batches(args.interactions, args.hours, args.batch)
    # As serve and the worker do (flyloop.process.settle_heap): the event stream held in memory
    # would otherwise be walked by every full collection, in both runs.
    settle_heap()
    events = sum(len(c["interactions"]) + len(c["signals"]) for c in stream)
    # Pairs run back to back, alternating which goes first; the median pair is reported, every
    # pair's ratio beside it.
    pairs: list[tuple[float, float, float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.repeat):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            if n % 2:
                with_rollups, upkeep_s, upkeeps = run(folder, "rollups", stream, args.upkeep_every)
                plain, _, _ = run(folder, "plain", stream, None)
            else:
                plain, _, _ = run(folder, "plain", stream, None)
                with_rollups, upkeep_s, upkeeps = run(folder, "rollups", stream, args.upkeep_every)
            pairs.append((plain, with_rollups, upkeep_s, upkeeps))
        store = Store(f"sqlite:///{Path(tmp) / '0' / 'rollups'}.db")
        t0 = time.perf_counter()
        read = metrics(store, PROJECT, grain="day", by="version", since=time.time() - 30 * 86400)
        read_ms = (time.perf_counter() - t0) * 1000
        store.close()
    ratios = [w / p for p, w, _, _ in pairs]
    plain, with_rollups, upkeep_s, upkeeps = sorted(pairs, key=lambda x: x[1] / x[0])[len(pairs) // 2]
    ratio = with_rollups / plain
    figures = {
        "rollup_ingest_ratio": round(ratio, 3),
        "rollup_ingest_ratios": [round(r, 3) for r in ratios],
        "repeats": args.repeat,
        "events": events,
        "interactions": args.interactions,
        "hours": args.hours,
        "upkeep_every_events": args.upkeep_every,
        "ingest_seconds": round(plain, 2),
        "ingest_with_upkeep_seconds": round(with_rollups, 2),
        "upkeep_seconds": round(upkeep_s, 2),
        "upkeeps": upkeeps,
        "upkeep_us_per_event": round(upkeep_s / events * 1e6, 1),
        "metrics_read_ms_30_days": round(read_ms, 1),
        "metrics_windows_read": len(read["windows"]),
    }
    md = (
        f"{events:,} events ({args.interactions:,} interactions and their signals over {args.hours} hours, in time "
        f"order) ingested with the library's capture into a fresh SQLite file, once alone and once with the rollup "
        f"upkeep after every {args.upkeep_every:,} events ({upkeeps} upkeeps); {args.repeat} such pairs, alternating "
        f"which runs first, and the median pair reported (every pair's ratio: "
        f"{', '.join(f'{r:.3f}' for r in ratios)}).\n\n"
        f"| figure | value |\n|---|---|\n"
        f"| ingest alone (CPU) | {plain:.2f} s |\n| ingest + upkeep (CPU) | {with_rollups:.2f} s |\n"
        f"| **rollup_ingest_ratio** | **{ratio:.3f}** |\n| upkeep per event | {upkeep_s / events * 1e6:.1f} µs |\n"
        f"| 30 days of daily metrics by version, read off the rollups | {read_ms:.1f} ms |\n\n"
        "The upkeep runs in the worker (or serve's timer), not on the ingest path: acknowledged ingest is "
        "unchanged; the ratio is the CPU the rollups add per ingested event."
    )
    earlier = json.loads((RESULTS / "monitor.json").read_text()) if (RESULTS / "monitor.json").exists() else {}
    write_result("monitor", figures, md)
    # monitor.json also keeps --first-build's figures, measured apart: carry them over.
    kept = {k: v for k, v in earlier.items() if k.startswith("first_build_seconds")}
    if kept:
        target = RESULTS / "monitor.json"
        target.write_text(json.dumps(json.loads(target.read_text()) | kept, indent=2, sort_keys=True) + "\n")
    # dashboard.json is shared with the dashboard's and the report's benchmarks: merge our key.
    shared = RESULTS / "dashboard.json"
    merged = json.loads(shared.read_text()) if shared.exists() else {}
    merged["rollup_ingest_ratio"] = figures["rollup_ingest_ratio"]
    merged["_rollup_ingest_ratio_command"] = "python bench/bench_monitor.py"
    shared.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
