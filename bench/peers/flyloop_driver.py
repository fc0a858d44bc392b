"""flyloop's side of the peers benchmark, run like the peers' drivers, as a subprocess (in the
project's own virtualenv): ``python bench/peers/flyloop_driver.py MODE --events N ...``.

Every mode first stores N interactions (a question and its answer; untimed, flushed), then times
the same feedback as every system gets (:mod:`bench.peers.feedback`) as one ``rating`` signal per
piece (the rating as value on a 1-5 scale, the comment in the payload, the user as actor) about
an interaction already stored, until all of it is stored, and counts the signals in flyloop's
SQLite file afterwards:

- ``sdk_local``: ``Flywheel(database_url=...)``, the SDK writing the store itself (no server);
  one ``signal`` call per piece, then ``flush()``, which returns once everything is stored;
- ``sdk_remote``: ``Flywheel(server_url=..., api_key=...)`` against ``flyloop serve``; the same;
- ``http_single`` / ``http_batch100``: ``POST /v1/ingest`` with ``{"signals": [...]}``, one or
  100 to a request, through one keep-alive ``httpx`` client (as Phoenix's official client sends
  its annotations); every answer must be 200 with every signal accepted.

One ``PEERS_RESULT`` line per mode."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.peers.compare import result_line
from bench.peers.feedback import feedback

PROJECT = "peers"
WORKLOAD = "support-reply"


def signal(n: int, prefix: str, interaction_id: str, ts: float) -> dict[str, Any]:
    """The n-th piece of feedback as an ingest signal (the SDK's ``signal`` builds the same)."""
    item = feedback(n)
    return {
        "id": f"{prefix}-f{n:08d}",
        "interaction_id": interaction_id,
        "kind": "rating",
        "value": float(item["rating"]),  # type: ignore[arg-type]
        "payload": {"scale": [1, 5], "comment": item["comment"]},
        "actor": item["user"],
        "source": "user",
        "ts": ts,
    }


def count_ratings(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM signals WHERE project_id = ? AND kind = 'rating'", (PROJECT,)
            ).fetchone()[0]
        )


def sdk(mode: str, events: int, db: Path, folder: Path, url: str | None, key: str | None) -> None:
    from flyloop import Flywheel

    where: dict[str, Any] = {"server_url": url, "api_key": key} if url else {"database_url": f"sqlite:///{db}"}
    fw = Flywheel(project=PROJECT, home=str(folder / f"{mode}-home"), spool_dir=folder / f"{mode}-spool", **where)
    handles = []
    for n in range(events):
        item = feedback(n)
        handles.append(fw.log(WORKLOAD, str(item["question"]), str(item["answer"]), user_id=str(item["user"])))
    if not fw.flush(300):
        raise SystemExit(f"{mode}: the interactions were not all stored within 300 s")
    before = count_ratings(db)
    items = [feedback(n) for n in range(events)]
    started = time.perf_counter()
    for handle, item in zip(handles, items):
        fw.signal(
            handle.id,
            "rating",
            float(item["rating"]),  # type: ignore[arg-type]
            payload={"scale": [1, 5], "comment": item["comment"]},
            actor=str(item["user"]),
        )
    stored_in_time = fw.flush(300)
    seconds = time.perf_counter() - started
    fw.close()
    if not stored_in_time:
        raise SystemExit(f"{mode}: the feedback was not all stored within 300 s")
    print(result_line(f"flyloop.{mode}", events, seconds, count_ratings(db) - before), flush=True)


def http(mode: str, events: int, batch: int, db: Path, url: str, key: str) -> None:
    import httpx
    import orjson

    base = time.time() - 600
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        interactions = []
        for n in range(events):
            item = feedback(n)
            interactions.append(
                {
                    "id": f"{mode}-i{n:08d}",
                    "workload": WORKLOAD,
                    "input": item["question"],
                    "output": item["answer"],
                    "user_id": item["user"],
                    "ts": base + n * 0.001,
                }
            )
        for first in range(0, events, 500):
            answer = client.post(
                "/v1/ingest", content=orjson.dumps({"interactions": interactions[first : first + 500]})
            )
            answer.raise_for_status()
        signals = [signal(n, mode, f"{mode}-i{n:08d}", base + n * 0.001 + 5) for n in range(events)]
        bodies = [orjson.dumps({"signals": signals[first : first + batch]}) for first in range(0, events, batch)]
        before = count_ratings(db)
        started = time.perf_counter()
        for body in bodies:
            answer = client.post("/v1/ingest", content=body)
            if answer.status_code != 200:
                raise SystemExit(f"{mode}: ingest answered {answer.status_code}: {answer.text[:300]}")
        seconds = time.perf_counter() - started
    print(result_line(f"flyloop.{mode}", events, seconds, count_ratings(db) - before), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["sdk_local", "sdk_remote", "http_single", "http_batch100"])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--db", required=True, type=Path, help="the SQLite file the feedback lands in")
    parser.add_argument("--folder", required=True, type=Path, help="for the SDK's home and spool")
    parser.add_argument("--url", help="flyloop serve's URL (every mode but sdk_local)")
    parser.add_argument("--key", help="an API key with the ingest scope (every mode but sdk_local)")
    args = parser.parse_args()
    if args.mode != "sdk_local" and not (args.url and args.key):
        parser.error(f"{args.mode} needs --url and --key")
    if args.mode.startswith("sdk"):
        sdk(args.mode, args.events, args.db, args.folder, args.url, args.key)
    else:
        http(args.mode, args.events, 1 if args.mode == "http_single" else 100, args.db, args.url, args.key)


if __name__ == "__main__":
    main()
