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
import http.client
import os
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import write_result  # noqa: E402

from flyloop import Flywheel, Store  # noqa: E402

PROJECT = "bench"
BATCH = 500
KINDS = [
    ("thumbs_up", None),
    ("accept", None),
    ("copy", None),
    ("thumbs_down", None),
    ("rating", 4.0),
    ("dwell", 7.5),
    ("thumbs_up", None),
    ("accept", None),
]
SIGNALS_PER_INTERACTION = 4
SIGNAL_COLUMNS = (
    "project_id",
    "id",
    "interaction_id",
    "kind",
    "value",
    "payload",
    "source",
    "actor",
    "ts",
    "received_at",
    "overrides",
)


def core_app() -> Any:
    """The app with capture's own work only: validation, idempotent store, acknowledgement."""
    from flyloop.capture.ingest import Capture
    from flyloop.server.app import create_app
    from flyloop.settings import Settings

    class CoreCapture(Capture):
        def gate(self, project_id: str, batch: Any) -> Any:
            return batch, None

        def record(self, *args: Any) -> None:
            pass

    settings = Settings()
    store = Store(settings.database_url)
    return create_app(store, settings, CoreCapture(store, settings))


# --- a live server ---------------------------------------------------------------------------------


class Server:
    """A live server in subprocesses, in one of three deployments:

    - ``full``: ``flyloop serve`` with its in-process label loop off, beside one ``flyloop
      worker`` process that labels, infers and applies retention (the deployment for throughput);
    - ``single``: plain ``flyloop serve`` with its defaults: labelling every second in the same
      process;
    - ``core``: the same app through a factory whose capture runs no later stage (no privacy
      gate) and no background job: capture's own cost."""

    def __init__(self, folder: Path, mode: str = "full", database_url: str | None = None) -> None:
        self.folder = folder
        self.mode = mode
        folder.mkdir(parents=True, exist_ok=True)
        self.url_db = database_url or f"sqlite:///{folder / 'flyloop.db'}"
        self.reader: Store | None = None  # for polling a PostgreSQL outbox (see pending)
        store = Store(self.url_db)
        self.secret = store.create_key(PROJECT, ["ingest", "read"])[1]
        store.close()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
        # One key sends everything here; the per-key rate limit (a policy, default 6000/minute)
        # would measure the limiter, not ingest.
        env.update(FLYLOOP_HOME=str(folder / "home"), FLYLOOP_RATE_LIMIT="off", FLYLOOP_DATABASE_URL=self.url_db)
        if mode != "single":
            env.update(FLYLOOP_LABEL_INTERVAL_S="0", FLYLOOP_RETENTION_INTERVAL_S="0")
        self.worker = None
        script = Path(sys.executable).with_name("flyloop")
        base = [str(script)] if script.exists() else [sys.executable, "-c", "from flyloop.cli import main; main()"]
        command = base + ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--database-url", self.url_db]
        if mode == "core":
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.bench_ingest:core_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
            ]
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=open(folder / "server.log", "ab"), stderr=subprocess.STDOUT
        )
        if mode == "full":
            # The worker looks for new work every 0.2 s (its default is serve's label_interval_s,
            # 1 s): the labelled-throughput figure should time labelling, not the worker's nap.
            worker_env = {**env, "FLYLOOP_LABEL_INTERVAL_S": "0.2"}
            self.worker = subprocess.Popen(
                base + ["worker", "--database-url", self.url_db],
                env=worker_env,
                cwd=ROOT,
                stdout=open(folder / "worker.log", "ab"),
                stderr=subprocess.STDOUT,
            )
        self.ps = psutil.Process(self.process.pid)
        self.peak_rss = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"flyloop serve exited: {(folder / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        sys.exit("flyloop serve did not start")

    def hwm_mb(self) -> float:
        """Peak RSS of the server process so far (the kernel's high-water mark)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return self.ps.memory_info().rss / 2**20

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"}

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.close()
        # Every figure is taken (and every acknowledged row checked) before this: a server slow
        # to finish its graceful shutdown on a busy machine is killed rather than waited on.
        if self.worker is not None:
            self.worker.terminate()
            try:
                self.worker.wait(10)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def count_signals(db_path: Path, prefix: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT count(*) FROM signals WHERE project_id = ? AND id >= ? AND id < ?", (PROJECT, prefix, prefix + "~")
        ).fetchone()[0]


# --- 1. HTTP batch ingest vs raw sqlite3 ------------------------------------------------------------


def make_signals(prefix: str, batches: int, interactions: int, base: float) -> list[list[dict[str, Any]]]:
    """``batches`` batches of 500 signals about the interactions ``interaction_bodies(prefix,
    interactions, base)`` made, in turn: signal n is about interaction n % interactions, so every
    signal of a batch touches a different interaction (the labeller's worst case) and each
    interaction gets its signals one to a few seconds after it, as feedback comes."""
    out = []
    for b in range(batches):
        batch = []
        for i in range(BATCH):
            n = b * BATCH + i
            k = n % interactions
            kind, value = KINDS[n % len(KINDS)]
            signal: dict[str, Any] = {
                "id": f"{prefix}s{n:08d}",
                "interaction_id": f"{prefix}it{k:06d}",
                "kind": kind,
                "ts": base + k * 0.001 + 1 + n // interactions,
                "source": "user",
            }
            if value is not None:
                signal["value"] = value
            batch.append(signal)
        out.append(batch)
    return out


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


def interaction_bodies(prefix: str, count: int, base: float) -> list[bytes]:
    """``count`` interactions in batches of 500, from 4,000 users, a millisecond apart from ``base``."""
    return [
        orjson.dumps(
            {
                "interactions": [
                    {
                        "id": f"{prefix}it{n:06d}",
                        "workload": "support",
                        "input": f"How do I reset my password? (case {n})",
                        "output": "Open Settings, then Security, then Reset password.",
                        "user_id": f"u{n % 4000}",
                        "session_id": f"{prefix}s{n // 4}",
                        "ts": base + n * 0.001,
                        "latency_ms": 850.0,
                        "tokens_in": 12,
                        "tokens_out": 14,
                    }
                    for n in range(start, min(count, start + BATCH))
                ]
            }
        )
        for start in range(0, count, BATCH)
    ]


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


# --- 2. the SDK's log call on the app's thread -------------------------------------------------------


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


def durable_row(figures: dict[str, Any]) -> str:
    if "sdk_durable_log_p50_us" not in figures:
        return ""
    return (
        f"| SDK `log` in durable mode (`sdk_durable`: one journal `write()` per call, no fsync), p50 / p99 / p99.9, "
        f"{figures['sdk_durable_log_calls']:,} calls at {figures['sdk_durable_log_rate_per_s']:,}/s | "
        f"{figures['sdk_durable_log_p50_us']} / {figures['sdk_durable_log_p99_us']} / "
        f"{figures['sdk_durable_log_p999_us']} us | p50 <= 10 |\n"
    )


# --- 3. memory while ingesting a million signals ----------------------------------------------------


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
            __file__,
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


def postgres_row(figures: dict[str, Any]) -> str:
    if "pg_http_signals_per_s" not in figures:
        return ""
    return (
        f"| extra: the same deployment on PostgreSQL 15 (its server on the same 2 cores), acknowledged / labelled "
        f"| {figures['pg_http_signals_per_s']:,} / {figures['pg_http_labelled_signals_per_s']:,} signals/s | |\n"
    )


def report(figures: dict[str, Any]) -> str:
    """The BENCHMARKS.md section for these figures."""
    pg_rounds = (
        f"; PostgreSQL acknowledged {figures['pg_rounds']}, labelled {figures['pg_labelled_rounds']}"
        if "pg_rounds" in figures
        else ""
    )
    return f"""
| figure | measured | target |
|---|---|---|
| HTTP batch ingest, SQLite `synchronous=FULL`, batches of 500: `flyloop serve` beside a `flyloop worker` | \
{figures["http_signals_per_s"]:,} signals/s acknowledged | >= 20,000 |
| raw `sqlite3` `executemany`, same rows and schema, WAL + FULL, commit per 500 | {figures["raw_sqlite_rows_per_s"]:,} \
rows/s | |
| ratio HTTP / raw: median of the per-round ratios (each round's two figures taken back to back); ratio of the medians \
| {figures["http_to_raw_ratio"]}; {figures.get("http_to_raw_ratio_of_medians", "-")} | >= 0.25 |
| the same rounds until the worker had labelled every signal (acknowledged and labelled) | \
{figures["http_labelled_signals_per_s"]:,} signals/s | |
| extra: plain `flyloop serve`, labelling in the same process every second | \
{figures["http_single_process_signals_per_s"]:,} signals/s | |
{postgres_row(figures)}| extra: HTTP, capture core only (no privacy gate, no labels) | \
{figures["http_core_signals_per_s"]:,} signals/s, ratio {figures["http_core_to_raw_ratio"]} | |
| extra: CPU per signal, serve / worker (full deployment) | {figures["serve_cpu_us_per_signal"]} / \
{figures["worker_cpu_us_per_signal"]} us | |
| extra: in-process cost per signal: parse / gates / store / listeners | {figures["stage_parse_us_per_signal"]} / \
{figures["stage_gates_us_per_signal"]} / {figures["stage_store_us_per_signal"]} / \
{figures["stage_listeners_us_per_signal"]} us | |
| HTTP interactions (extra: before the signals) | {figures["http_interactions_per_s"]:,} interactions/s | |
| SDK `log` on the app thread, p50 / p99 / p99.9 ({figures["sdk_log_calls"]:,} calls at \
{figures["sdk_log_rate_per_s"]:,}/s, sender draining) | {figures["sdk_log_p50_us"]} / {figures["sdk_log_p99_us"]} / \
{figures["sdk_log_p999_us"]} us | p50 < 20, p99 < 200 |
{durable_row(figures)}| peak RSS, {figures["signals_1m"]:,} signals (and {figures["interactions_1m"]:,} interactions: \
a day of 20,000 users' traffic) through the SDK: server / SDK client | {figures["rss_server_mb_1m"]} / \
{figures["rss_client_mb_1m"]} MB | < 500 |

Rounds (medians above): acknowledged {figures["full_rounds"]} signals/s; labelled {figures["labelled_rounds"]};
single process {figures["single_rounds"]}; core {figures["core_rounds"]}; raw {figures["raw_rounds"]} rows/s{pg_rounds}.
{figures["http_client_threads"]} keep-alive `http.client` connections send pre-encoded batches (the load generator \
shares
the 2 cores; httpx would spend about 3 ms of CPU on each 60 kB request). Each round first stores
{figures.get("round_interactions", 12_500):,} new interactions (untimed, and labelled before the clock starts), then \
times {figures.get("round_signals", 50_000):,} signals
about them, four each: signal n names interaction n mod {figures.get("round_interactions", 12_500):,}, so every signal \
of a batch touches
a different interaction (the labeller's worst case) and each interaction is touched four times.
The worker runs throughout at its default CPU niceness (`worker_nice`, 10), sharing the 2 cores
with the server and the clients; after each round the benchmark waits until it has labelled
everything, and the labelled figure counts that wait. The single-process server labels every
second in its own process, so much of a round's labelling falls after its clock stops there.
Rounds last one to three seconds on a machine whose speed drifts, so single rounds vary by a
fifth or more: compare the medians.
Every acknowledged signal is checked to be in the store after each round. The raw figure is
SQLite's own cost for these rows (four B-tree inserts each: the table, its key and two indexes),
the floor under any server writing them durably.
In the 1M run the app's thread logged every event in {figures["sdk_1m_app_logging_s"]} s, far faster
than any server takes them, so {figures["sdk_1m_overflowed_to_spool"]:,} events overflowed the SDK's in-memory queue
(100,000 events) to its disk spool, none lost; all were stored {figures["sdk_1m_elapsed_s"]} s after the start
({figures["sdk_1m_signals_per_s"]:,} signals/s through the whole pipeline, client and server sharing the 2 cores). \
Load average before / after:
{figures["load_average_before"]} / {figures["load_average_after"]} (other work on the machine skews every figure).
{sdk_note(figures)}"""


def sdk_note(figures: dict[str, Any]) -> str:
    if "_sdk_command" not in figures:
        return ""
    return (
        f"\nThe two SDK `log` rows were measured together, later, by `{figures['_sdk_command']}` "
        f"({figures['_sdk_at']}, load average {figures.get('_sdk_load_average', '-')}); "
        "the other rows by the command above.\n"
    )


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
