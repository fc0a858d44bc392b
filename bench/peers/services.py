"""The servers the peers benchmark talks to, each a subprocess on loopback with its own data
folder and its telemetry off, started and stopped by the benchmark: ``mlflow server`` on a SQLite
backend store, ``phoenix serve`` on its own SQLite working folder, ``flyloop serve`` on a SQLite
file. Each runs with its defaults otherwise (MLflow: 4 uvicorn workers; Phoenix and flyloop: one
process), as a user who starts it would have it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENVS = ROOT / "bench" / ".venvs"

# Telemetry off, in every process of the benchmark (servers and drivers): MLflow reads
# MLFLOW_DISABLE_TELEMETRY (and DO_NOT_TRACK, as other tools do); Phoenix reads
# PHOENIX_TELEMETRY_ENABLED, and PHOENIX_ALLOW_EXTERNAL_RESOURCES=false keeps its pages from
# loading anything from outside. Nothing here reaches beyond loopback anyway.
QUIET = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "PHOENIX_TELEMETRY_ENABLED": "false",
    "PHOENIX_ALLOW_EXTERNAL_RESOURCES": "false",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without flyloop's, MLflow's or Phoenix's own settings (a
    developer's shell may carry a tracking URI or a server URL), plus :data:`QUIET` and ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLYLOOP_", "MLFLOW_", "PHOENIX_", "OTEL_"))}
    return {**env, **QUIET, **extra}


class Service:
    """A server in a subprocess, started at once and up once ``health`` answers 200
    (:meth:`ready`); its output goes to ``log``."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, health: str, log: Path) -> None:
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self.health = self.url + health
        self.process = subprocess.Popen(
            command, env=env, cwd=log.parent, stdout=open(log, "ab"), stderr=subprocess.STDOUT
        )

    def ready(self, timeout: float = 240) -> Service:
        """Wait until it answers; RuntimeError (and stopped) if it exits or does not answer."""
        url = self.health
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout:.0f} s: {self.tail()}")

    def tail(self, chars: int = 1500) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self) -> None:
        """Terminate it (and wait), killing it if it has not gone in 20 s. MLflow's workers are
        its children: terminating the parent is how ``mlflow server`` is meant to be stopped."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def mlflow_server(folder: Path, wait: bool = True) -> Service:
    """``mlflow server`` on a SQLite backend store in ``folder`` (artifacts there too)."""
    port = free_port()
    command = [
        str(VENVS / "mlflow" / "bin" / "mlflow"),
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--backend-store-uri",
        f"sqlite:///{folder / 'mlflow.db'}",
        "--default-artifact-root",
        str(folder / "artifacts"),
    ]
    service = Service("mlflow server", command, environment(), port, "/health", folder / "server.log")
    return service.ready() if wait else service


def phoenix_server(folder: Path, wait: bool = True) -> Service:
    """``phoenix serve`` with its SQLite database in ``folder`` (its working folder)."""
    port = free_port()
    env = environment(
        PHOENIX_WORKING_DIR=str(folder),
        PHOENIX_HOST="127.0.0.1",
        PHOENIX_PORT=str(port),
        PHOENIX_GRPC_PORT=str(free_port()),  # its OTLP gRPC receiver; the default 4317 may be taken
    )
    command = [str(VENVS / "phoenix" / "bin" / "phoenix"), "serve"]
    service = Service("phoenix serve", command, env, port, "/healthz", folder / "server.log")
    return service.ready() if wait else service


def flyloop_server(folder: Path, database_url: str, wait: bool = True) -> Service:
    """``flyloop serve`` on ``database_url``. The per-key rate limit (a policy, 6,000 requests a
    minute by default) is off: one key sends everything here, and the peers have no limit."""
    port = free_port()
    env = environment(FLYLOOP_HOME=str(folder / "home"), FLYLOOP_RATE_LIMIT="off")
    script = Path(sys.executable).with_name("flyloop")  # the virtualenv running the benchmark
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from flyloop.cli import main; main()"]
    command = [*base, "serve", "--host", "127.0.0.1", "--port", str(port), "--database-url", database_url]
    service = Service("flyloop serve", command, env, port, "/healthz", folder / "server.log")
    return service.ready() if wait else service
