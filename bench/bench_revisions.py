"""The hot paths of this working tree beside a git revision: ingest, the label catch-up and
recompute, a curated dataset build, and pattern-mode redaction, timed on the same data in fresh
interpreters that alternate between the two trees (before, after, before, after, ...), so that
both see the same machine. Each figure is the best of ``--pairs`` runs per side (the machine is
shared; the best run is the least disturbed) and the report gives each ratio after / before.

Made for a re-layout (the house, issue 10): nothing may get slower. The measuring code reaches
each call by its public name where one exists and, where the module moved, by either path.

Run: ``python bench/bench_revisions.py --against <revision>`` (``make bench`` compares with
HEAD~1); writes bench/results/revisions.json and its section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import write_result

ROOT = Path(__file__).resolve().parent.parent

# Runs inside a fresh interpreter with one tree's src/ first on sys.path.
MEASURE = r"""
import importlib, json, sys, time
sys.path.insert(0, sys.argv[1])
data = json.load(open(sys.argv[2]))
folder = sys.argv[3]
import flyloop
from flyloop import Redactor, Settings, Store

assert flyloop.__file__.startswith(sys.argv[1]), flyloop.__file__


def first(*paths):
    # The same call under its old module path or its new one.
    for path in paths:
        module, _, name = path.rpartition(".")
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            found = None
        if found is not None:
            return found
    raise SystemExit(f"none of {paths} exists")


Capture = first("flyloop.Capture", "flyloop.capture.Capture")
catch_up = first("flyloop.labels.catch_up", "flyloop.labels.catchup.catch_up", "flyloop.labels.verdicts.catch_up")
recompute = first("flyloop.labels.recompute", "flyloop.labels.verdicts.recompute")
build = first("flyloop.datasets.build", "flyloop.datasets.versions.build")

figures = {}
store = Store(f"sqlite:///{folder}/bench.db")
settings = Settings()
capture = Capture(store, settings)
started = time.perf_counter()
for batch in data["batches"]:
    capture.ingest("bench", batch)
figures["ingest_s"] = time.perf_counter() - started
started = time.perf_counter()
catch_up(store, "bench", settings=settings)
figures["label_catch_up_s"] = time.perf_counter() - started
started = time.perf_counter()
recompute(store, "bench")
figures["label_recompute_s"] = time.perf_counter() - started
started = time.perf_counter()
version = build(store, "bench", "bench")
figures["dataset_build_s"] = time.perf_counter() - started
figures["dataset_examples"] = sum(sum(split.values()) for split in version.counts.values())
redactor = Redactor("pattern")
started = time.perf_counter()
for text in data["texts"]:
    redactor.redact(text)
figures["redaction_s"] = time.perf_counter() - started
print(json.dumps(figures))
"""

FIRST = ["Maria", "John", "Aiko", "Pavel", "Fatima", "Lucas", "Grace", "Omar"]
TOPICS = ["reset my password", "export invoices", "change the plan", "add a teammate", "cancel the order"]


def make_data(interactions: int, seed: int = 7) -> dict:
    """Interactions of 800 users over two weeks, each with signals of the kinds apps send most
    (thumbs, copies, edits with text, regenerations) and some outcomes: what ingest, labels and
    curation meet in production, in batches of 500 as the SDK sends them."""
    rng = random.Random(seed)
    base = time.time() - 15 * 86400  # a day of room: outcomes arrive an hour after their interaction
    events: list[tuple[str, dict]] = []
    for n in range(interactions):
        topic = rng.choice(TOPICS)
        ts = base + n * (14 * 86400 / interactions)
        answer = f"To {topic}, open Settings and follow the steps for step {n % 9}."
        events.append(
            (
                "interactions",
                {
                    "id": f"i{n}",
                    "workload": "support" if n % 3 else "triage",
                    "input": f"How do I {topic}? ({n})",
                    "output": answer,
                    "user_id": f"u{n % 800}",
                    "session_id": f"s{n // 3}",
                    "ts": ts,
                    "latency_ms": 420.0,
                    "tokens_in": 12,
                    "tokens_out": 18,
                },
            )
        )
        roll = rng.random()
        actor = f"u{n % 800}"
        if roll < 0.35:
            events.append(
                (
                    "signals",
                    {"id": f"s{n}a", "interaction_id": f"i{n}", "kind": "thumbs_up", "ts": ts + 5, "actor": actor},
                )
            )
        elif roll < 0.55:
            events.append(
                (
                    "signals",
                    {"id": f"s{n}a", "interaction_id": f"i{n}", "kind": "thumbs_down", "ts": ts + 5, "actor": actor},
                )
            )
        elif roll < 0.7:
            events.append(
                (
                    "signals",
                    {
                        "id": f"s{n}a",
                        "interaction_id": f"i{n}",
                        "kind": "edit",
                        "ts": ts + 9,
                        "actor": actor,
                        "payload": {"text": answer.replace("open Settings", "open the Admin page")},
                    },
                )
            )
        if rng.random() < 0.4:
            events.append(
                ("signals", {"id": f"s{n}b", "interaction_id": f"i{n}", "kind": "copy", "ts": ts + 3, "actor": actor})
            )
        if rng.random() < 0.1:
            events.append(
                (
                    "signals",
                    {"id": f"s{n}c", "interaction_id": f"i{n}", "kind": "regenerate", "ts": ts + 2, "actor": actor},
                )
            )
        if rng.random() < 0.15:
            events.append(
                (
                    "outcomes",
                    {
                        "id": f"o{n}",
                        "interaction_id": f"i{n}",
                        "name": "ticket_resolved",
                        "value": float(rng.random() < 0.7),
                        "ts": ts + 3600,
                    },
                )
            )
    batches = []
    for start in range(0, len(events), 500):
        batch: dict[str, list] = {}
        for table, event in events[start : start + 500]:
            batch.setdefault(table, []).append(event)
        batches.append(batch)
    texts = []
    for n in range(3000):
        name = rng.choice(FIRST)
        texts.append(
            f"Hi, this is {name} (order {n}); write to {name.lower()}{n}@example.com or call "
            f"+1 415 555 {n % 10000:04d}. The card ending 4242 was charged twice on 3 May."
        )
    return {"batches": batches, "texts": texts}


def worktree(revision: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="flyloop-bench-rev-"))
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), revision], cwd=ROOT, check=True, capture_output=True
    )
    return folder


def run_side(src: Path, data_file: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="flyloop-bench-side-") as folder:
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(src), str(data_file), folder],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    if done.returncode:
        raise SystemExit(f"{src}: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD~1", help="git revision to compare with")
    parser.add_argument("--pairs", type=int, default=3, help="alternating process pairs")
    parser.add_argument("--interactions", type=int, default=20_000)
    args = parser.parse_args()
    revision = subprocess.run(
        ["git", "rev-parse", "--short", args.against], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    data = make_data(args.interactions)
    old = worktree(revision)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(data, handle)
        sides: dict[str, list[dict]] = {"before": [], "after": []}
        for pair in range(args.pairs):
            for side, src in (("before", old / "src"), ("after", ROOT / "src")):
                sides[side].append(run_side(src, Path(handle.name)))
                print(f"pair {pair + 1} {side}: {sides[side][-1]}", flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, capture_output=True)
        Path(handle.name).unlink(missing_ok=True)
    timed = [key for key in sides["before"][0] if key.endswith("_s")]
    best = {side: {key: min(run[key] for run in runs) for key in timed} for side, runs in sides.items()}
    ratios = {key: round(best["after"][key] / best["before"][key], 3) for key in timed}
    figures = {
        "before": revision,
        "after": f"{head} + working tree",
        "pairs": args.pairs,
        "events": sum(len(rows) for batch in data["batches"] for rows in batch.values()),
        "texts": len(data["texts"]),
        "dataset_examples": {side: [run["dataset_examples"] for run in runs] for side, runs in sides.items()},
        "before_s": {key: round(value, 3) for key, value in best["before"].items()},
        "after_s": {key: round(value, 3) for key, value in best["after"].items()},
        "ratio_after_before": ratios,
    }
    what = {
        "ingest_s": f"ingest of {figures['events']:,} events in batches of 500 (Capture, SQLite file)",
        "label_catch_up_s": "the label catch-up of them",
        "label_recompute_s": "a full label recompute",
        "dataset_build_s": "a curated dataset build",
        "redaction_s": f"pattern-mode redaction of {len(data['texts']):,} texts",
    }
    rows = "\n".join(
        f"| {what[key]} | {best['before'][key]:.3f} s | {best['after'][key]:.3f} s | **{ratios[key]:.3f}** |"
        for key in timed
    )
    markdown = (
        f"This tree ({head} + working tree) beside {revision}, the best of {args.pairs} fresh interpreters per "
        f"side, run alternately.\n\n| hot path | {revision} | this tree | after / before |\n|---|---|---|---|\n"
        f"{rows}\n\nExamples per build (each run; splits hash pseudonyms under a per-project random key, so "
        f"leak removal varies a little between runs): before {figures['dataset_examples']['before']}, "
        f"after {figures['dataset_examples']['after']}."
    )
    write_result("revisions", figures, markdown)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
