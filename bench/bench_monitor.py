"""Monitor benchmark: what the rollup upkeep costs per ingested event.

``rollup_ingest_ratio``: the same stream of events (interactions with their signals, in time
order over ``--hours`` hours, as live traffic arrives) ingested into two fresh SQLite files in one
run: once alone, once with :func:`flyloop.monitor.update_rollups` run after every
``--upkeep-every`` events (the worker's timer, made deterministic). The ratio is the second
total over the first; the upkeep runs in the worker, off the ingest path, so ingest's own rate is
unchanged: the ratio is the CPU the rollups add per ingested event. Also reported: a read of 30
days of daily metrics off the rollups, which touches no raw event.

    python bench/bench_monitor.py [--interactions 60000] [--hours 24] [--upkeep-every 10000]
"""

from __future__ import annotations

import argparse
import json
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
    upkeep_s, upkeeps, since = 0.0, 0, 0
    started = time.perf_counter()
    for chunk in stream:
        capture.ingest(PROJECT, chunk)
        since += len(chunk["interactions"]) + len(chunk["signals"])
        if every is not None and since >= every:
            t0 = time.perf_counter()
            update_rollups(store, PROJECT, segment_key="plan")
            upkeep_s += time.perf_counter() - t0
            upkeeps, since = upkeeps + 1, 0
    if every is not None:
        t0 = time.perf_counter()
        update_rollups(store, PROJECT, segment_key="plan")
        upkeep_s += time.perf_counter() - t0
        upkeeps += 1
    total = time.perf_counter() - started
    store.close()
    return total, upkeep_s, upkeeps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interactions", type=int, default=60000)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--upkeep-every", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    stream = batches(args.interactions, args.hours, args.batch)
    # As serve and the worker do (flyloop.process.settle_heap): the event stream held in memory
    # would otherwise be walked by every full collection, in both runs.
    settle_heap()
    events = sum(len(c["interactions"]) + len(c["signals"]) for c in stream)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain, _, _ = run(folder, "plain", stream, None)
        with_rollups, upkeep_s, upkeeps = run(folder, "rollups", stream, args.upkeep_every)
        store = Store(f"sqlite:///{folder / 'rollups'}.db")
        t0 = time.perf_counter()
        read = metrics(store, PROJECT, grain="day", by="version", since=time.time() - 30 * 86400)
        read_ms = (time.perf_counter() - t0) * 1000
        store.close()
    ratio = with_rollups / plain
    figures = {
        "rollup_ingest_ratio": round(ratio, 3),
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
        f"upkeep after every {args.upkeep_every:,} events ({upkeeps} upkeeps).\n\n"
        f"| figure | value |\n|---|---|\n"
        f"| ingest alone | {plain:.2f} s |\n| ingest + upkeep | {with_rollups:.2f} s |\n"
        f"| **rollup_ingest_ratio** | **{ratio:.3f}** |\n| upkeep per event | {upkeep_s / events * 1e6:.1f} µs |\n"
        f"| 30 days of daily metrics by version, read off the rollups | {read_ms:.1f} ms |\n\n"
        "The upkeep runs in the worker (or serve's timer), not on the ingest path: acknowledged ingest is "
        "unchanged; the ratio is the CPU the rollups add per ingested event."
    )
    write_result("monitor", figures, md)
    # dashboard.json is shared with the dashboard's and the report's benchmarks: merge our key.
    shared = RESULTS / "dashboard.json"
    merged = json.loads(shared.read_text()) if shared.exists() else {}
    merged["rollup_ingest_ratio"] = figures["rollup_ingest_ratio"]
    merged["_rollup_ingest_ratio_command"] = "python bench/bench_monitor.py"
    shared.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
