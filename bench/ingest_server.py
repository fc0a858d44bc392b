"""The ingest benchmark's live server (``bench/bench_ingest.py``): ``flyloop serve`` in a subprocess,
with or without a ``flyloop worker`` beside it, or the capture core alone (``core_app``), on a
SQLite file or a PostgreSQL database, and a count of the signals a SQLite file holds."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from flyloop import Store

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "bench"


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
                "bench.ingest_server:core_app",
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
