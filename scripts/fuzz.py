"""One schemathesis run against a live ``flyloop serve`` (see scripts/fuzz.sh).

Opens the store (``FLYLOOP_TEST_DATABASE_URL``, else a SQLite file in a temporary folder),
makes an admin key, starts ``flyloop serve`` on a free loopback port with rate limits off (the
fuzzer would only meet 429s), runs ``st run`` with every check and NUL bytes on, stops the
server and prints one summary line from schemathesis' JSON report. Exits with schemathesis'
status, or 1 when the server wrote a traceback (an unexpected error is a bug even when the
answer was a 4xx).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("fuzz: flyloop serve did not start")
            time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", 25)))
    parser.add_argument("--max-time", type=int, default=int(os.environ.get("FUZZ_MAX_TIME", 300)),
                        help="seconds for the whole schemathesis run")
    parser.add_argument("--report-dir", default=os.environ.get("FUZZ_REPORT_DIR"),
                        help="where schemathesis writes its report (default: the run's temporary folder)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    from flyloop import Store

    bin_dir = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="flyloop-fuzz-"))
    database_url = os.environ.get("FLYLOOP_TEST_DATABASE_URL") or f"sqlite:///{work / 'flyloop.db'}"
    store_name = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    store = Store(database_url)
    secret = store.create_key("fuzz", ["admin"], "fuzz")[1]
    store.close()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
    env.update(FLYLOOP_HOME=str(work), FLYLOOP_DATABASE_URL=database_url, FLYLOOP_RATE_LIMIT="off",
               FLYLOOP_FEEDBACK_RATE_LIMIT="off", FLYLOOP_PORT=str(port))
    server_log = work / "serve.log"
    flyloop = bin_dir / "flyloop"
    command = [str(flyloop)] if flyloop.exists() else [sys.executable, "-c", "from flyloop.cli import main; main()"]
    with open(server_log, "wb") as log:
        server = subprocess.Popen([*command, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    report_dir = Path(args.report_dir or work / "report") / store_name
    report_dir.mkdir(parents=True, exist_ok=True)
    try:
        wait_ready(url, server)
        st = bin_dir / "st"
        run = [str(st) if st.exists() else "st", "run", f"{url}/openapi.json", "--checks", "all",
               "--generation-allow-x00", "true", "--max-examples", str(args.max_examples),
               "--max-time", str(args.max_time), "--workers", "2", "--no-color",
               "-H", f"Authorization: Bearer {secret}", "--request-timeout", "30", "--output-sanitize", "false", "--generation-database", "none",
               "--report", "ndjson", "--report-dir", str(report_dir), "--suppress-health-check", "all"]
        if args.seed is not None:
            run += ["--seed", str(args.seed)]
        print(f"fuzz: {store_name}: {' '.join(run[:3])} ...", flush=True)
        status = subprocess.run(run).returncode
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    tracebacks = server_log.read_text(errors="replace").count("Traceback (most recent call last)")
    print(f"fuzz: {store_name}: schemathesis exit {status}; server tracebacks {tracebacks} (log: {server_log})")
    return status or (1 if tracebacks else 0)


if __name__ == "__main__":
    sys.exit(main())
