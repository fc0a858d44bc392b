"""One schemathesis run against a live ``flyloop serve`` (see scripts/fuzz.sh).

Opens the store (``FLYLOOP_TEST_DATABASE_URL``, else a SQLite file in a temporary folder),
makes an admin key, starts ``flyloop serve`` on a free loopback port with rate limits off (the
fuzzer would only meet 429s), runs ``st run`` with every check and NUL bytes on, stops the
server and prints a summary from schemathesis' NDJSON report: test cases, failed checks by
name, errors. Exits 1 when a check failed, when schemathesis met an error other than one of its
own (see TOOL_ERRORS), or when the server wrote a traceback (an unexpected error is a bug even
when the answer was a 4xx); otherwise 0.

Every check is on, except ``positive_data_acceptance`` for the few operations in
``NOT_IN_THE_DOCUMENT``: there the API refuses schema-valid input by a rule JSON Schema cannot
state, so a 422 is the right answer and the check would call it a failure.
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
from collections import Counter
from pathlib import Path
from typing import Any

# (method, path, why): operations whose rules the OpenAPI document states in words only
# (flyloop/openapi.py, _document_rules), so schemathesis draws schema-valid requests that the
# server rightly answers with a 422. Only the check that expects those to pass is off, only here.
NOT_IN_THE_DOCUMENT = [
    (
        "GET",
        "/v1/datasets/{ref}/export/{target}",
        "only the eval target may read the held-out eval split: a rule across a path and a query parameter",
    ),
    (
        "GET",
        "/v1/interactions",
        "a cursor is only one this API returned: its shape is in the document, what it decodes to is not",
    ),
    (
        "POST",
        "/v1/datasets",
        "a curation config's rules across fields (split shares add up to 1, a minimum not above its maximum, ...)",
    ),
    (
        "POST",
        "/v1/ingest",
        "per-kind signal rules (a rating within its scale, a choice with its chosen and rejected texts, ...)",
    ),
    (
        "POST",
        "/v1/policy-versions",
        "what each backend needs (a model folder on disk, a base URL), a template's variables",
    ),
    ("POST", "/v1/loops/{loop}/runs", "which options each loop takes, and a production version to start from"),
    ("POST", "/v1/loops/{loop}/plan", "which options each loop takes, and a production version to start from"),
    ("GET", "/v1/workloads/{name}/failures", "since before until, and enough failures in the window to cluster"),
]

# Errors raised inside schemathesis or Hypothesis while drawing a request, not by the API. Seen on
# POST /v1/datasets (the largest body schema) in the coverage phase: Hypothesis' lambda
# pretty-printer is not thread-safe under --workers 2 (SystemError "AST constructor recursion depth
# mismatch", or a KeyError in its AST cache that Hypothesis, replaying the draw, reports as
# FlakyFailure "Inconsistent results"). No request was sent, so they say nothing about the server,
# but the operation went untested in that phase: it is run once more on one worker (no race), and
# a tool error that stays is reported without failing the run. Any other error (a connection
# refused, a timeout) fails it.
TOOL_ERRORS = {"FlakyFailure", "Flaky", "FlakyStrategyDefinition", "FlakyReplay"}
TOOL_ERROR_MESSAGES = ("Inconsistent results", "AST constructor recursion depth mismatch")


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
                raise SystemExit("fuzz: flyloop serve did not start") from None
            time.sleep(0.2)


# The first switch to NER redaction (PUT /v1/privacy/policy) loads the model inside the request:
# about 11 s on two busy cores, over schemathesis' default 10 s. A slower answer still fails.
MAX_RESPONSE_TIME_S = 30


def write_config(path: Path) -> Path:
    """Every check on, but the exceptions above. In the file, not as ``--checks all``: a check
    named on the command line overrides any per-operation setting (schemathesis 4)."""
    lines = ["[checks]", "enabled = true", ""]
    for method, operation, why in NOT_IN_THE_DOCUMENT:
        lines += [
            f"# {why}",
            "[[operations]]",
            f'include-path = "{operation}"',
            f'include-method = "{method}"',
            "checks.positive_data_acceptance.enabled = false",
            "",
        ]
    path.write_text("\n".join(lines))
    return path


def is_tool_error(value: dict[str, Any]) -> bool:
    kind, message = str(value.get("type", "")), str(value.get("message", ""))
    return kind in TOOL_ERRORS or any(text in message for text in TOOL_ERROR_MESSAGES)


def summarize(report: Path) -> dict[str, Any]:
    """What the NDJSON report holds: test cases, failed checks (each (operation, check) once),
    errors, split into the API's and the tool's."""
    cases = 0
    failed: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    errors: list[str] = []
    tool_errors: list[tuple[str, str]] = []  # (operation, what)
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "ScenarioFinished" in event:
            recorder = event["ScenarioFinished"]["recorder"]
            cases += len(recorder.get("cases", {}))
            for checks in recorder.get("checks", {}).values():
                for check in checks:
                    key = (recorder["label"], check["name"])
                    if check["status"] == "failure" and key not in seen:
                        seen.add(key)
                        failed[check["name"]] += 1
        for name in ("NonFatalError", "FatalError"):
            if name in event:
                error = event[name]
                value = error.get("value", {})
                text = f"{error.get('label', '')}: {value.get('type')}: {str(value.get('message'))[:200]}"
                if name == "NonFatalError" and is_tool_error(value):
                    tool_errors.append((str(error.get("label", "")), text))
                else:
                    errors.append(text)
    return {"cases": cases, "failed": failed, "errors": errors, "tool_errors": tool_errors}


def latest_summary(report_dir: Path) -> dict[str, Any] | None:
    reports = sorted(report_dir.glob("*.ndjson"), key=lambda p: p.stat().st_mtime)
    return summarize(reports[-1]) if reports else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", 25)))
    parser.add_argument(
        "--max-time",
        type=int,
        default=int(os.environ.get("FUZZ_MAX_TIME", 300)),
        help="seconds for the whole schemathesis run",
    )
    parser.add_argument(
        "--report-dir",
        default=os.environ.get("FUZZ_REPORT_DIR"),
        help="where schemathesis writes its report (default: the run's temporary folder)",
    )
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
    env.update(
        FLYLOOP_HOME=str(work),
        FLYLOOP_DATABASE_URL=database_url,
        FLYLOOP_RATE_LIMIT="off",
        FLYLOOP_FEEDBACK_RATE_LIMIT="off",
        FLYLOOP_PORT=str(port),
    )
    server_log = work / "serve.log"
    flyloop = bin_dir / "flyloop"
    command = [str(flyloop)] if flyloop.exists() else [sys.executable, "-c", "from flyloop.cli import main; main()"]
    with open(server_log, "wb") as log:
        server = subprocess.Popen([*command, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    report_dir = Path(args.report_dir or work / "report") / store_name
    report_dir.mkdir(parents=True, exist_ok=True)
    status, found, retried = 1, None, []
    try:
        wait_ready(url, server)
        st = bin_dir / "st"
        config = write_config(work / "schemathesis.toml")
        run = [
            str(st) if st.exists() else "st",
            "--config-file",
            str(config),
            "run",
            f"{url}/openapi.json",
            "--max-response-time",
            str(MAX_RESPONSE_TIME_S),
            "--generation-allow-x00",
            "true",
            "--max-examples",
            str(args.max_examples),
            "--max-time",
            str(args.max_time),
            "--workers",
            "2",
            "--no-color",
            "-H",
            f"Authorization: Bearer {secret}",
            "--request-timeout",
            "30",
            "--output-sanitize",
            "false",
            "--generation-database",
            "none",
            "--report",
            "ndjson",
            "--report-dir",
            str(report_dir),
            "--suppress-health-check",
            "all",
        ]
        if args.seed is not None:
            run += ["--seed", str(args.seed)]
        print(f"fuzz: {store_name}: {' '.join(run[:5])} ...", flush=True)
        status = subprocess.run(run).returncode
        found = latest_summary(report_dir)
        retried = sorted({label for label, _ in found["tool_errors"]}) if found else []
        if retried:
            retry_dir = report_dir / "retry"
            retry_dir.mkdir(exist_ok=True)
            for stale in retry_dir.glob("*.ndjson"):  # an earlier run's, with FUZZ_REPORT_DIR reused
                stale.unlink()
            rerun = [*run[: run.index("--workers")], "--workers", "1", *run[run.index("--workers") + 2 :]]
            rerun[rerun.index("--report-dir") + 1] = str(retry_dir)
            rerun[rerun.index("--max-time") + 1] = str(min(args.max_time, 60))
            for label in retried:
                rerun += ["--include-name", label]
            print(f"fuzz: {store_name}: tool errors on {', '.join(retried)}; once more on one worker", flush=True)
            retry_status = subprocess.run(rerun).returncode
            again = latest_summary(retry_dir)
            if again is None:
                found["errors"].append(f"the retry of {', '.join(retried)} wrote no report (exit {retry_status})")
            else:
                found["cases"] += again["cases"]
                found["failed"] += again["failed"]
                found["errors"] += again["errors"]
                found["tool_errors"] = again["tool_errors"]
                status = retry_status if not (found["failed"] or found["errors"]) else 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    tracebacks = server_log.read_text(errors="replace").count("Traceback (most recent call last)")
    if found is None:
        print(f"fuzz: {store_name}: schemathesis exit {status} and no report; server tracebacks {tracebacks}")
        return 1
    failed = ", ".join(f"{name} {n}" for name, n in sorted(found["failed"].items())) or "none"
    print(
        f"fuzz: {store_name}: {found['cases']} test cases; failed checks: {failed}; "
        f"errors {len(found['errors'])}; tool errors {len(found['tool_errors'])}"
        f"{f' (after retrying {len(retried)} operations)' if retried else ''}; server tracebacks {tracebacks} "
        f"(schemathesis exit {status}; log: {server_log}; reports: {report_dir})"
    )
    for _, text in found["tool_errors"]:
        print(f"fuzz: {store_name}: tool error (not the API's, not counted): {text}")
    for text in found["errors"]:
        print(f"fuzz: {store_name}: error: {text}")
    # schemathesis exits 1 for a tool error too: its exit counts only when the report holds a
    # failure or an error of the API's (or nothing explains it).
    explained = status != 0 and not found["failed"] and not found["errors"] and found["tool_errors"]
    bad = found["failed"] or found["errors"] or tracebacks or (status != 0 and not explained)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
