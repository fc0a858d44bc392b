"""Phoenix's side of the peers benchmark, run in Phoenix's own virtualenv (bench/.venvs/phoenix):
``python bench/peers/phoenix_driver.py --url URL --db PATH --events N --batch 1 100``.

For each ``--batch`` size: N spans made first through Phoenix's REST span endpoint
(``POST /v1/projects/peers/spans`` by the official client's ``spans.log_spans``, 500 a request;
untimed, and waited for until every one is in Phoenix's database, since annotations need their
span), then the same feedback as every system gets (:mod:`bench.peers.feedback`) as HUMAN span
annotations (the rating as score and label, the comment as explanation, the user in metadata)
through the client's ``spans.log_span_annotations`` (``POST /v1/span_annotations``), ``--batch``
to a request, in two ways (``--ways``) on the same spans: the client's default, asynchronous (the
server queues the annotations and answers at once), where the clock runs until every annotation
is in Phoenix's own SQLite database (``--db``, polled every 20 ms: acknowledged is not stored);
and ``sync=true`` (the server stores a request's annotations before it answers, as flyloop's
ingest always does). One ``PEERS_RESULT`` line per mode."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.peers.compare import result_line
from bench.peers.feedback import NAME, feedback

PROJECT = "peers"
SPAN_BATCH = 500


def count(db: Path, sql: str, *params: object) -> int:
    # Phoenix writes in WAL mode; a reader here never blocks its writer.
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def wait_for(db: Path, sql: str, target: int, what: str, timeout: float = 300, *params: object) -> None:
    deadline = time.monotonic() + timeout
    while (have := count(db, sql, *params)) < target:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {have} of {target} {what} stored after {timeout:.0f} s")
        time.sleep(0.02)


def span_ids(batch: int, events: int) -> list[str]:
    """Hex span ids, unique per batch size: each is run by a driver of its own on one server."""
    return [f"{batch:04x}{n:012x}" for n in range(events)]


def make_spans(client: object, batch: int, events: int) -> list[str]:
    ids = span_ids(batch, events)
    now = datetime.now(UTC) - timedelta(minutes=5)
    spans = []
    for offset, span_id in enumerate(ids):
        item = feedback(offset)
        began = now + timedelta(milliseconds=offset)
        spans.append(
            {
                "name": "support-reply",
                "context": {"trace_id": f"{batch:04x}{offset:028x}", "span_id": span_id},
                "span_kind": "LLM",
                "start_time": began.isoformat(),
                "end_time": (began + timedelta(milliseconds=850)).isoformat(),
                "status_code": "OK",
                "attributes": {"input.value": item["question"], "output.value": item["answer"]},
            }
        )
    for first in range(0, len(spans), SPAN_BATCH):
        client.spans.log_spans(project_identifier=PROJECT, spans=spans[first : first + SPAN_BATCH])  # type: ignore[attr-defined]
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True, type=Path, help="Phoenix's SQLite file, to count what was stored")
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 100])
    parser.add_argument(
        "--ways",
        nargs="+",
        choices=["async", "sync"],
        default=["async", "sync"],
        help="async: the client's default (the server queues, then writes); sync: sync=true (stored before it answers)",
    )
    args = parser.parse_args()

    from importlib.metadata import version

    from phoenix.client import Client

    client = Client(base_url=args.url)
    spans_sql = "SELECT count(*) FROM spans"
    notes_sql = "SELECT count(*) FROM span_annotations WHERE name = ?"
    for batch in args.batch:
        spans_before = count(args.db, spans_sql)
        ids = make_spans(client, batch, args.events)
        wait_for(args.db, spans_sql, spans_before + args.events, "spans")
        for way in args.ways:
            # Both ways annotate the same spans (making spans is most of the run's time): the
            # second under an identifier of its own, so its annotations are new rows as the first's
            # were, not updates of them.
            annotations = []
            for offset, span_id in enumerate(ids):
                item = feedback(offset)
                annotation = {
                    "name": NAME,
                    "annotator_kind": "HUMAN",
                    "span_id": span_id,
                    "result": {"label": str(item["rating"]), "score": item["rating"], "explanation": item["comment"]},
                    "metadata": {"user_id": item["user"]},
                }
                if way != args.ways[0]:
                    annotation["identifier"] = way
                annotations.append(annotation)
            sync = way == "sync"
            before = count(args.db, notes_sql, NAME)
            started = time.perf_counter()
            for first in range(0, len(annotations), batch):
                client.spans.log_span_annotations(span_annotations=annotations[first : first + batch], sync=sync)
            wait_for(args.db, notes_sql, before + args.events, "annotations", 300, NAME)
            seconds = time.perf_counter() - started
            stored = count(args.db, notes_sql, NAME) - before
            mode = ("phoenix.rest_single" if batch == 1 else f"phoenix.rest_batch{batch}") + ("_sync" if sync else "")
            print(
                result_line(
                    mode,
                    args.events,
                    seconds,
                    stored,
                    phoenix_version=version("arize-phoenix"),
                    phoenix_client_version=version("arize-phoenix-client"),
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
