"""Part 1 of the ingest benchmark (``bench/bench_ingest.py``): HTTP batch ingest into a live server,
each deployment in turn, beside the same rows written by raw ``sqlite3``, round by round
(``throughput``); the full deployment again on PostgreSQL (``postgres_throughput``); and where
the time of one batch goes inside ``Capture.ingest`` (``stage_costs``)."""

from __future__ import annotations

import http.client
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil
from bench.ingest_server import PROJECT, Server, count_signals
from bench.ingest_traffic import BATCH, SIGNALS_PER_INTERACTION, interaction_bodies, make_signals

from flyloop import Store
from flyloop.store.rows import SIGNAL_COLUMNS  # the store's own columns: the raw baseline writes the same rows


def raw_rows(batches: list[list[dict[str, Any]]]) -> list[list[tuple]]:
    received = time.time()
    return [
        [
            (
                PROJECT,
                s["id"],
                s["interaction_id"],
                s["kind"],
                s.get("value"),
                "{}",
                s["source"],
                None,
                s["ts"],
                received,
                None,
            )
            for s in batch
        ]
        for batch in batches
    ]


def raw_round(db_path: Path, rows: list[list[tuple]]) -> float:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    sql = f"INSERT INTO signals ({', '.join(SIGNAL_COLUMNS)}) VALUES ({', '.join('?' * len(SIGNAL_COLUMNS))})"
    started = time.perf_counter()
    for batch in rows:
        conn.execute("BEGIN")
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return sum(map(len, rows)) / elapsed


def http_round(server: Server, bodies: list[bytes], threads: int) -> float:
    """POST every body over ``threads`` keep-alive connections; signals acknowledged per second.

    The load generator is the standard library's ``http.client``, not the SDK: it shares the
    2 cores with the server being measured, and httpx spends about 3 ms of CPU on each 60 kB
    request (a sixth of the server's own cost per batch), which http.client does not."""
    work = iter(bodies)
    lock = threading.Lock()
    failures: list[str] = []
    headers = server.headers()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            while True:
                with lock:
                    body = next(work, None)
                if body is None:
                    return
                conn.request("POST", "/v1/ingest", body=body, headers=headers)
                answer = conn.getresponse()
                text = answer.read()
                if answer.status != 200:
                    failures.append(f"{answer.status} {text[:200]!r}")
                    return
        finally:
            conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        sys.exit(f"ingest failed: {failures[0]}")
    return len(bodies) * BATCH / elapsed


def prepare(server: Server) -> None:
    """Warm up: first-use costs (lazy imports, caches) are not steady-state ingest."""
    base = time.time() - 120
    with httpx.Client(base_url=server.url, headers=server.headers(), timeout=120) as client:
        for body in interaction_bodies("warm-", 2_000, base):
            assert client.post("/v1/ingest", content=body).status_code == 200
        for batch in make_signals("warm-", 4, 2_000, base):
            assert client.post("/v1/ingest", content=orjson.dumps({"signals": batch})).status_code == 200


def pending(server: Server) -> int:
    if server.url_db.startswith("sqlite:///"):
        with sqlite3.connect(server.folder / "flyloop.db") as conn:
            return conn.execute(
                "SELECT coalesce(sum(entries), 0) FROM outbox WHERE project_id = ?", (PROJECT,)
            ).fetchone()[0]
    from flyloop import labels

    if server.reader is None:  # one engine for every poll, not one per poll
        server.reader = Store(server.url_db, migrate=False)
    return labels.pending(server.reader, PROJECT)


def wait_labelled(server: Server, timeout: float = 300) -> float:
    """Seconds until the worker has labelled everything acknowledged (the outbox is empty)."""
    started = time.perf_counter()
    while pending(server):
        if time.perf_counter() - started > timeout:
            sys.exit(f"the worker did not catch up within {timeout} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def throughput(folder: Path, rounds: int, batches: int, threads: int) -> dict[str, Any]:
    """Each round: new interactions (SIGNALS_PER_INTERACTION signals each) stored and labelled
    untimed, then their signals, timed: raw sqlite3, then each deployment in turn."""
    servers = {mode: Server(folder / f"http-{mode}", mode) for mode in ("full", "core", "single")}
    raw_db = folder / "raw.db"
    Store(f"sqlite:///{raw_db}").close()  # the same schema, from the same migrations
    for server in servers.values():
        prepare(server)
    rates: dict[str, list[float]] = {
        "raw": [],
        "full": [],
        "labelled": [],
        "core": [],
        "single": [],
        "interactions": [],
    }
    cpu: dict[str, float] = {"serve": 0.0, "worker": 0.0}
    interactions = batches * BATCH // SIGNALS_PER_INTERACTION
    for r in range(rounds):
        prefix, base = f"r{r}-", time.time() - 120
        for mode, server in servers.items():
            rate = http_round(server, interaction_bodies(prefix, interactions, base), threads)
            if mode == "full":
                rates["interactions"].append(rate)
        full = servers["full"]
        wait_labelled(full)
        batches_ = make_signals(prefix, batches, interactions, base)
        bodies = [orjson.dumps({"signals": b}) for b in batches_]
        rates["raw"].append(raw_round(raw_db, raw_rows(batches_)))
        before = {
            name: sum(psutil.Process(p.pid).cpu_times()[:2])
            for name, p in (("serve", full.process), ("worker", full.worker))
        }
        started = time.perf_counter()
        rates["full"].append(http_round(full, bodies, threads))
        acknowledged = time.perf_counter() - started
        drained = wait_labelled(full)
        rates["labelled"].append(len(bodies) * BATCH / (acknowledged + drained))
        for name, p in (("serve", full.process), ("worker", full.worker)):
            cpu[name] += sum(psutil.Process(p.pid).cpu_times()[:2]) - before[name]
        rates["core"].append(http_round(servers["core"], bodies, threads))
        rates["single"].append(http_round(servers["single"], bodies, threads))
        for mode, server in servers.items():
            stored = count_signals(server.folder / "flyloop.db", prefix + "s")
            if stored != batches * BATCH:
                sys.exit(f"round {r} ({mode}): {stored} signals stored of {batches * BATCH} acknowledged")
        print(
            f"round {r}: http {rates['full'][-1]:,.0f} signals/s acknowledged, {rates['labelled'][-1]:,.0f}/s labelled "
            f"(capture core only {rates['core'][-1]:,.0f}, single process {rates['single'][-1]:,.0f}); "
            f"raw sqlite3 {rates['raw'][-1]:,.0f} rows/s",
            flush=True,
        )
    for server in servers.values():
        server.stop()
    med = {name: statistics.median(values) for name, values in rates.items()}
    signals = rounds * batches * BATCH
    return {
        "http_signals_per_s": round(med["full"]),
        "raw_sqlite_rows_per_s": round(med["raw"]),
        # Each round's raw and HTTP figures are taken back to back: the median of the
        # per-round ratios compares like with like on a machine whose speed drifts.
        "http_to_raw_ratio": round(statistics.median(h / r for h, r in zip(rates["full"], rates["raw"])), 3),
        "http_to_raw_ratio_of_medians": round(med["full"] / med["raw"], 3),
        "http_labelled_signals_per_s": round(med["labelled"]),
        "http_single_process_signals_per_s": round(med["single"]),
        "http_core_signals_per_s": round(med["core"]),
        "http_core_to_raw_ratio": round(statistics.median(c / r for c, r in zip(rates["core"], rates["raw"])), 3),
        "serve_cpu_us_per_signal": round(cpu["serve"] / signals * 1e6, 1),
        "worker_cpu_us_per_signal": round(cpu["worker"] / signals * 1e6, 1),
        "http_interactions_per_s": round(med["interactions"]),
        **{f"{name}_rounds": [round(x) for x in values] for name, values in rates.items() if name != "interactions"},
        "http_client_threads": threads,
        "round_signals": batches * BATCH,
        "round_interactions": interactions,
    }


def postgres_throughput(folder: Path, database_url: str, rounds: int, batches: int, threads: int) -> dict[str, Any]:
    """The full deployment's rounds again on PostgreSQL (its server shares the 2 cores too)."""
    server = Server(folder / "http-postgres", "full", database_url)
    prepare(server)
    acknowledged_rates, labelled_rates = [], []
    interactions = batches * BATCH // SIGNALS_PER_INTERACTION
    for r in range(rounds):
        prefix, base = f"pg{r}-", time.time() - 120
        http_round(server, interaction_bodies(prefix, interactions, base), threads)
        wait_labelled(server)
        bodies = [orjson.dumps({"signals": b}) for b in make_signals(prefix, batches, interactions, base)]
        started = time.perf_counter()
        acknowledged_rates.append(http_round(server, bodies, threads))
        acknowledged = time.perf_counter() - started
        labelled_rates.append(len(bodies) * BATCH / (acknowledged + wait_labelled(server)))
        store = Store(database_url, migrate=False)
        try:
            with store.read() as conn:
                stored = conn.exec_driver_sql(
                    "SELECT count(*) FROM signals WHERE project_id = %s AND id LIKE %s", (PROJECT, f"{prefix}s%")
                ).scalar_one()
        finally:
            store.close()
        if stored != batches * BATCH:
            sys.exit(f"PostgreSQL round {r}: {stored} signals stored of {batches * BATCH} acknowledged")
        print(
            f"PostgreSQL round {r}: {acknowledged_rates[-1]:,.0f} signals/s acknowledged, "
            f"{labelled_rates[-1]:,.0f}/s labelled",
            flush=True,
        )
    server.stop()
    return {
        "pg_http_signals_per_s": round(statistics.median(acknowledged_rates)),
        "pg_http_labelled_signals_per_s": round(statistics.median(labelled_rates)),
        "pg_rounds": [round(x) for x in acknowledged_rates],
        "pg_labelled_rounds": [round(x) for x in labelled_rates],
    }


def stage_costs(folder: Path, batches: int) -> dict[str, float]:
    """Microseconds per signal spent in each part of ``Capture.ingest``, in this process, on a
    SQLite file: where the HTTP figure goes."""
    from flyloop.capture.ingest import Capture
    from flyloop.settings import Settings

    url = f"sqlite:///{folder / 'stages.db'}"
    store = Store(url)
    capture = Capture(store, Settings(database_url=url, home=str(folder / "stages-home")))
    base = time.time() - 120
    prepare_in_process = [
        *interaction_bodies("warm-", 2_000, base),
        *(orjson.dumps({"signals": b}) for b in make_signals("warm-", 4, 2_000, base)),
        *interaction_bodies("stage-", batches * BATCH // SIGNALS_PER_INTERACTION, base),
    ]
    for body in prepare_in_process:
        capture.ingest(PROJECT, body)
    import gc

    from flyloop.process import settle_heap

    threshold = gc.get_threshold()
    settle_heap()  # the garbage collector as serve runs it; put back after (the SDK part is an app's)
    spent = {"parse": 0.0, "gates": 0.0, "store": 0.0, "listeners": 0.0}
    bodies = [
        orjson.dumps({"signals": b})
        for b in make_signals("stage-", batches, batches * BATCH // SIGNALS_PER_INTERACTION, base)
    ]
    clock = time.perf_counter
    for body in bodies:
        t0 = clock()
        batch = capture.parse(body)
        t1 = clock()
        batch, report = capture.gate(PROJECT, batch)
        t2 = clock()
        result = store.ingest(PROJECT, batch)
        t3 = clock()
        capture.record(PROJECT, batch, report, result)
        t4 = clock()
        for name, took in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            spent[name] += took
    store.close()
    gc.unfreeze()
    gc.set_threshold(*threshold)
    n = len(bodies) * BATCH
    return {f"stage_{name}_us_per_signal": round(took / n * 1e6, 1) for name, took in spent.items()}
