"""MLflow's side of the peers benchmark, run in MLflow's own virtualenv (bench/.venvs/mlflow):
``python bench/peers/mlflow_driver.py --uri URI --db PATH --mode NAME --events N --threads T``.

For each ``--threads`` value: N traces made first the way an app makes them (``mlflow.start_span``
around a question and its answer; untimed, logged synchronously so all are stored before the
clock starts), then the same feedback as every system gets (:mod:`bench.peers.feedback`), one
``mlflow.log_feedback`` per piece (a HUMAN source, the rating as value, the comment as rationale)
from T threads, timed until the last call returns. The assessments are then counted in MLflow's
own SQLite database (``--db``) and the result printed as one ``PEERS_RESULT`` line per mode."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

# Traces are logged synchronously: the traces must all be stored before feedback is timed.
os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import mlflow  # after the environment above: it reads it on import
from bench.peers.compare import result_line
from bench.peers.feedback import NAME, feedback
from mlflow.entities import AssessmentSource, AssessmentSourceType

TRACE_THREADS = 8


def make_trace(n: int) -> str:
    """The trace an app makes around the n-th question and its answer; its id."""
    item = feedback(n)
    with mlflow.start_span(name="support-reply", span_type="LLM") as span:
        span.set_inputs({"question": item["question"]})
        span.set_outputs({"answer": item["answer"]})
    return str(span.trace_id)


def make_traces(start: int, count: int) -> list[str]:
    # In 8 threads: untimed set-up, and MLflow makes a trace in several writes (one request each
    # to a server), so one thread would spend minutes of a loaded machine's time on it.
    with ThreadPoolExecutor(TRACE_THREADS) as pool:
        return list(pool.map(make_trace, range(start, start + count)))


def count_feedback(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM assessments WHERE name = ?", (NAME,)).fetchone()[0])


def give_feedback(trace_ids: list[str], items: list[dict[str, object]], i: int) -> None:
    """The i-th piece of feedback, as an app gives it: a HUMAN source (the user), the rating as
    the value, the comment as the rationale."""
    item = items[i]
    mlflow.log_feedback(
        trace_id=trace_ids[i],
        name=NAME,
        value=item["rating"],
        rationale=str(item["comment"]),
        source=AssessmentSource(source_type=AssessmentSourceType.HUMAN, source_id=str(item["user"])),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", required=True, help="tracking URI: the server's http:// URL or sqlite:///PATH")
    parser.add_argument("--db", required=True, type=Path, help="the SQLite file behind it, to count what was stored")
    parser.add_argument("--mode", required=True, help="server or local: the mode names' prefix")
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 16])
    args = parser.parse_args()

    mlflow.set_tracking_uri(args.uri)
    mlflow.set_experiment("peers")
    start = 0
    for threads in args.threads:
        trace_ids = make_traces(start, args.events)
        items = [feedback(n) for n in range(start, start + args.events)]
        before = count_feedback(args.db)

        give = partial(give_feedback, trace_ids, items)
        started = time.perf_counter()
        if threads == 1:
            for i in range(args.events):
                give(i)
        else:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(give, range(args.events)))
        seconds = time.perf_counter() - started
        stored = count_feedback(args.db) - before
        name = f"mlflow.{args.mode}_sequential" if threads == 1 else f"mlflow.{args.mode}_threads{threads}"
        print(result_line(name, args.events, seconds, stored, mlflow_version=mlflow.__version__), flush=True)
        start += args.events


if __name__ == "__main__":
    main()
