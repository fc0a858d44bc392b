"""Curation benchmark: a dataset version built from 1,000,000 interactions and 3,000,000 signals.

1. The simulator (:mod:`flyloop.testing`, default population: 5% adversarial and 10% habitual
   raters) drives a recorder instead of the SDK; its events are bulk-loaded into a SQLite file
   with raw ``executemany`` (outcomes as the attributed ``outcome`` signals attribution would
   write: by interaction id, or last touch by join key). The simulator makes ~1.6 signals per
   interaction; repeated views of outputs, reported as neutral ``dwell`` signals (no evidence
   either way), bring the total to 3 per interaction.
2. Labels are recomputed (:func:`flyloop.labels.relabel.recompute`; timed as an extra figure).
3. ``build_seconds_1m`` / ``build_rss_mb``: :func:`flyloop.datasets.versions.build` (curation with dedup,
   integrity, splits, balance, and the version write) in a child process, so its peak RSS is its
   own, not the generator's. Its CPU time and the machine's load average before and after go
   beside it: on a shared machine, wall time alone says little.
4. Accuracy of every export kind against the simulator's truth (:func:`flyloop.cli.demo.accuracy`,
   which the demo prints too), each beside the naive rule "every thumbs-up and every edit goes
   into training", from the same run: ``curated_label_accuracy`` / ``naive_label_accuracy``, the
   share of SFT completions that give the right answer; ``dpo_pair_accuracy`` /
   ``naive_dpo_pair_accuracy``, the share of checkable preference pairs whose chosen answer is
   right *and* rejected answer wrong (naive: each edit's text over the output);
   ``kto_label_accuracy`` / ``naive_kto_label_accuracy``, the share of KTO rows whose label says
   rightly whether the completion is right (naive: thumbed-up outputs and edits' texts desirable,
   edited outputs undesirable).

Run: ``python bench/bench_curation.py`` (``--interactions N`` for a smaller run).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import write_result  # noqa: E402

PROJECT = "bench"


class Recorder:
    """Stands in for :class:`flyloop.Flywheel`: the simulator's calls become rows in memory."""

    def __init__(self) -> None:
        self.interactions: list[tuple] = []
        self.signals: list[tuple] = []
        self.last_by_key: dict[str, str] = {}
        self.seq = 0

    def log(
        self,
        workload: str,
        input: Any,
        output: str | None = None,
        *,
        user_id: str | None = None,
        session_id: str | None = None,
        id: str,
        ts: float,
        metadata: dict | None = None,
        join_key: str | None = None,
        **_: Any,
    ) -> Any:
        from flyloop.sdk.client import Interaction

        self.interactions.append(
            (
                PROJECT,
                id,
                workload,
                orjson.dumps(input).decode(),
                output,
                user_id,
                session_id,
                ts,
                ts,
                "v1",
                "[]",
                orjson.dumps(metadata or {}).decode(),
                join_key,
            )
        )
        if join_key:
            self.last_by_key[join_key] = id
        return Interaction(self, id)  # type: ignore[arg-type]

    def signal(
        self,
        interaction_id: str,
        kind: str,
        value: float | None = None,
        *,
        payload: dict | None = None,
        source: str = "user",
        actor: str | None = None,
        ts: float | None = None,
        **_: Any,
    ) -> str:
        self.seq += 1
        sid = f"b{self.seq:09d}"
        self.signals.append(
            (
                PROJECT,
                sid,
                interaction_id,
                kind,
                value,
                orjson.dumps(payload or {}).decode(),
                source,
                actor,
                ts,
                ts,
                None,
            )
        )
        return sid

    def outcome(
        self,
        name: str,
        value: float | None = None,
        *,
        interaction_id: str | None = None,
        join_key: str | None = None,
        ts: float | None = None,
        id: str | None = None,
        **_: Any,
    ) -> str:
        target = interaction_id or self.last_by_key.get(join_key or "")
        if target is None:
            return ""
        return self.signal(target, "outcome", value, payload={"name": name, "caused_by": id}, source="system", ts=ts)


def generate(path: Path, interactions: int) -> dict[str, Any]:
    from flyloop import Store
    from flyloop.testing import Rates, Simulation

    Store(f"sqlite:///{path}").close()  # the schema, through the migrations
    recorder = Recorder()
    started = time.perf_counter()
    users = max(200, interactions // 50)
    sim = Simulation(
        recorder, users=users, seed=11, rates=Rates(), workload="math-help", start=time.time() - 40 * 86400, days=30
    )
    first = int(interactions / 1.2)
    truth = sim.run(first)
    while len(recorder.interactions) < interactions:
        sim.run(max(1000, int((interactions - len(recorder.interactions)) / 1.2)))
        truth = sim.truth
    # The simulator makes ~1.6 signals per interaction; the app here also reports each further
    # view of an output as a dwell (neutral: no evidence either way), up to 3 signals each.
    padding = 3 * len(recorder.interactions) - len(recorder.signals)
    views = recorder.interactions
    for n in range(max(0, padding)):
        row = views[n % len(views)]
        recorder.signal(row[1], "dwell", float(5 + n % 50), actor=row[5], ts=row[7] + 60 + n % 600)
    simulated = time.perf_counter() - started
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    conn.executemany(
        "INSERT INTO interactions (project_id, id, workload, input, output, user_id, session_id, ts, received_at,"
        " policy_version, context_ids, meta, join_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        recorder.interactions,
    )
    conn.executemany(
        "INSERT INTO signals (project_id, id, interaction_id, kind, value, payload, source, actor, ts, received_at,"
        " overrides) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        recorder.signals,
    )
    conn.execute("INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)", (PROJECT, PROJECT, time.time()))
    conn.commit()
    conn.close()
    answers = {iid: re.findall(r"-?\d+", text)[-1] for iid, text in truth.answer.items()}
    return {
        "interactions": len(recorder.interactions),
        "signals": len(recorder.signals),
        "users": users,
        "simulate_s": round(simulated, 1),
        "load_s": round(time.perf_counter() - started, 1),
        "answers": answers,
    }


def build_child(path: Path) -> None:
    """Run in a child process: build the version, print its id, seconds and peak RSS as JSON."""
    import resource

    from flyloop import Store
    from flyloop.datasets import versions as datasets

    store = Store(f"sqlite:///{path}", synchronous="OFF")
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    version = datasets.build(store, PROJECT, "bench", {"balance": {"keys": ["plan"]}})
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = dict(version.manifest["timings_s"])
    # What the manifest's stages leave out: the label catch-up before curation, the content
    # hash and the version write after it.
    stages["catch_up_hash_and_write"] = round(seconds - sum(stages.values()), 3)
    print(
        json.dumps(
            {
                "id": version.id,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "rss_mb": rss,
                "counts": version.counts,
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "integrity": {
                    k: v for k, v in version.manifest["integrity"].items() if k not in ("raters_flagged", "config")
                },
                "timings_s": stages,
            }
        )
    )


def right(text: str | None, answer: str) -> bool:
    numbers = re.findall(r"-?\d+", text or "")
    return bool(numbers) and numbers[-1] == answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        build_child(Path(args.child))
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from flyloop import Store, labels

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        data = generate(path, args.interactions)
        answers = data.pop("answers")
        print(
            f"simulated {data['interactions']:,} interactions and {data['signals']:,} signals "
            f"({data['simulate_s']}s), loaded in {data['load_s']}s",
            flush=True,
        )
        store = Store(f"sqlite:///{path}", synchronous="OFF")
        started = time.perf_counter()
        stats = labels.recompute(store, PROJECT)
        label_seconds = time.perf_counter() - started
        print(f"labels recomputed in {label_seconds:.1f}s: {stats.counts}", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            sys.exit(f"build failed:\n{child.stderr[-4000:]}")
        built = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"dataset built in {built['seconds']:.1f}s ({built['cpu_seconds']:.1f}s CPU; load average "
            f"{built['load_average'][0]} before, {built['load_average'][1]} after), peak RSS {built['rss_mb']:.0f} MB",
            flush=True,
        )
        from flyloop.cli.demo import accuracy

        def right(text: str | None, interaction_id: str) -> bool | None:
            answer = answers.get(interaction_id)
            if answer is None:
                return None
            numbers = re.findall(r"-?\d+", text or "")
            return bool(numbers) and numbers[-1] == answer

        scores = accuracy(store, PROJECT, built["id"], right)
        share = {
            side: {kind: hits / total if total else 0.0 for kind, (hits, total) in by_kind.items()}
            for side, by_kind in scores.items()
        }
        curated, naive = share["curated"]["sft"], share["naive"]["sft"]
        store.close()
    figures = {
        "build_seconds_1m": round(built["seconds"], 2),
        "build_rss_mb": round(built["rss_mb"], 1),
        "build_cpu_seconds": round(built["cpu_seconds"], 2),
        "load_average_1min_before_after": built["load_average"],
        "curated_label_accuracy": round(curated, 4),
        "naive_label_accuracy": round(naive, 4),
        "dpo_pair_accuracy": round(share["curated"]["preference"], 4),
        "naive_dpo_pair_accuracy": round(share["naive"]["preference"], 4),
        "kto_label_accuracy": round(share["curated"]["kto"], 4),
        "naive_kto_label_accuracy": round(share["naive"]["kto"], 4),
        "checked_examples": {
            side: {kind: total for kind, (_hits, total) in by_kind.items()} for side, by_kind in scores.items()
        },
        "interactions": data["interactions"],
        "signals": data["signals"],
        "users": data["users"],
        "label_recompute_seconds": round(label_seconds, 2),
        "curated_sft_examples": scores["curated"]["sft"][1],
        "naive_examples": scores["naive"]["sft"][1],
        "version_counts": built["counts"],
        "integrity": built["integrity"],
        "build_stage_seconds": built["timings_s"],
    }
    rows = "\n".join(
        f"| {what} | {share['curated'][kind]:.2%} of {scores['curated'][kind][1]:,} | "
        f"{share['naive'][kind]:.2%} of {scores['naive'][kind][1]:,} |"
        for kind, what in (
            ("sft", "SFT label accuracy"),
            ("preference", "DPO pairs (chosen right, rejected wrong)"),
            ("kto", "KTO label accuracy"),
        )
    )
    markdown = f"""
Dataset version built from {data["interactions"]:,} simulated interactions and {data["signals"]:,} signals
({data["users"]:,} users: 5% adversarial, 10% habitual), bulk-loaded into a SQLite file; labels recomputed first
({label_seconds:.1f} s, not part of the build).

| figure | value |
|---|---|
| build time (curation, dedup, integrity, splits, balance, version write) | {built["seconds"]:.1f} s |
| build CPU time (one process; SQLite runs in it) | {built["cpu_seconds"]:.1f} s |
| machine load average (1 min) before / after the build | {built["load_average"][0]} / {built["load_average"][1]} |
| build peak RSS (its own process) | {built["rss_mb"]:.0f} MB |

Against the simulator's truth, curated beside the naive rule "every thumbs-up and every edit goes into training":

| export | curated | naive |
|---|---|---|
{rows}

Stages (s): {", ".join(f"{k} {v}" for k, v in built["timings_s"].items())}.
Integrity: {built["integrity"]["adversarial"]} adversarial and {built["integrity"]["habitual"]} habitual raters flagged,
{built["integrity"]["quarantined_signals"]:,} signals quarantined.
"""
    write_result("curation", figures, markdown)


if __name__ == "__main__":
    main()
