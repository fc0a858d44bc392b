"""The outcome reward model (loop 4, flyloop.improve.reward) on the small model's real answers.

    python bench/bench_training.py --part reward [--quick] [--embedder minilm-int8]

SmolLM2-135M-Instruct answers one-digit additions ("What is 7 + 5?", told to answer with the
number only) at temperature 1 with a few tokens (``MAX_TOKENS``): it is seldom right, and its
wrong answers range from other numbers to the start of an explanation. A simulated user judges
each answer exactly (the last number in it against the sum): a right one is thumbed up and
accepted, a wrong one thumbed down, and one wrong answer in three corrected by an edit to
"a + b = sum". Those interactions go through flyloop as an app's would (capture, labels, a
dataset version, ``run_loop("reward", ...)``); the figures are measured on other users whose
questions were never logged: 8 samples of each, every one judged.

- ``reward_auc``, ``reward_ece``: the reward model's calibrated score against the held-out
  samples' outcomes (right/wrong).
- ``best_of_4_lift_points``: held-out exact match of best-of-4 by reward minus one sample's, in
  points; ``reward_best_of_n`` the same for n = 1, 2, 4, 8 with length drift and the reward gap
  (each best-of-n averaged over the disjoint groups of n among the 8 samples: one set of samples
  serves every n).

Generations are cached (``$FLYLOOP_BENCH_CACHE/training-reward-generations.json``): the first
run samples every answer (minutes on 2 cores), a rerun none.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from bench.policy_corpus import CACHE

from flyloop import datasets
from flyloop.capture import Capture
from flyloop.improve import (
    backend,
    best_of_n_lift,
    choose_default,
    expected_calibration_error,
    reward_score_batch,
    run_loop,
    smollm2_folder,
)
from flyloop.improve.reward import auc
from flyloop.settings import Settings
from flyloop.store import Store

SEED = 0
SYSTEM = "Answer with the number only."
TRAIN_USERS, HELDOUT_USERS, QUESTIONS_PER_USER = 8, 4, 2
TRAIN_SAMPLES, HELDOUT_SAMPLES = 4, 8
# 10 tokens: "7 + 5 = 12" is eight of SmolLM2's (one per digit); at 6 most answers were cut before their sum.
MAX_TOKENS, TEMPERATURE, BATCH = 10, 1.0, 32
NS = (1, 2, 4, 8)
MIN_ROWS = 30  # kto rows the loop needs: a benchmark of 32 questions makes about 60
GENERATIONS = CACHE / "training-reward-generations.json"
MODELS = Path(__file__).resolve().parents[2] / ".pytest_cache" / "flyloop-models"


def right(a: int, b: int, text: str) -> bool:
    """The simulated user's judgement: the answer's last number is the sum."""
    numbers = re.findall(r"-?\d+", text)
    return bool(numbers) and int(numbers[-1]) == a + b


def questions(users: int, rng: random.Random) -> list[tuple[str, int, int]]:
    return [(f"u{u}", rng.randint(1, 9), rng.randint(1, 9)) for u in range(users) for _ in range(QUESTIONS_PER_USER)]


def _messages(a: int, b: int) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": f"What is {a} + {b}?"}]


class Samples:
    """Answers per question text, cached in a JSON file (appended as more are needed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: dict[str, list[str]] = json.loads(path.read_text()) if path.exists() else {}
        self.generated = 0
        self.seconds = 0.0

    def get(self, pairs: list[tuple[int, int]], k: int) -> list[list[str]]:
        key = [f"{a}+{b}|{MAX_TOKENS}|{TEMPERATURE}" for a, b in pairs]
        wanted: list[tuple[str, int, int]] = []
        for (a, b), name in zip(pairs, key, strict=True):
            have = len(self.found.get(name, [])) + sum(1 for w in wanted if w[0] == name)
            wanted += [(name, a, b)] * max(0, k - have)
        if wanted:
            model = backend("transformers", model=str(smollm2_folder(models_dir=MODELS)))
            for start in range(0, len(wanted), BATCH):
                part = wanted[start : start + BATCH]
                began = time.perf_counter()
                answers = model.generate_batch(
                    [_messages(a, b) for _, a, b in part],
                    temperature=TEMPERATURE,
                    max_tokens=MAX_TOKENS,
                    seed=SEED + len(self.found) + start,
                )
                self.seconds += time.perf_counter() - began
                self.generated += len(part)
                for (name, _, _), answer in zip(part, answers, strict=True):
                    self.found.setdefault(name, []).append(answer.text)
                self.path.parent.mkdir(parents=True, exist_ok=True)
                partial = self.path.with_suffix(".tmp")  # replaced whole: a killed run never leaves half a file
                partial.write_text(json.dumps(self.found, indent=0, sort_keys=True))
                partial.replace(self.path)
                print(f"  sampled {min(start + BATCH, len(wanted))}/{len(wanted)} answers", flush=True)
        # Each repeat of a question in the list takes its own samples, in order.
        used: dict[str, int] = {}
        out = []
        for name in key:
            first = used.get(name, 0)
            out.append(
                self.found[name][first : first + k] if first + k <= len(self.found[name]) else self.found[name][:k]
            )
            used[name] = first + k
        return out


def _log(capture: Capture, train: list[tuple[str, int, int]], answers: list[list[str]], t0: float) -> dict[str, int]:
    """The train users' answers as interactions, with what the simulated user did about each."""
    interactions, signals = [], []
    counts = {"right": 0, "wrong": 0, "corrected": 0}
    for q, ((user, a, b), texts) in enumerate(zip(train, answers, strict=True)):
        for s, text in enumerate(texts):
            iid, ts = f"t{q}_{s}", t0 + q * 60 + s
            interactions.append(
                {
                    "id": iid,
                    "workload": "add",
                    "input": f"What is {a} + {b}?",
                    "output": text,
                    "user_id": user,
                    "ts": ts,
                }
            )
            if right(a, b, text):
                counts["right"] += 1
                signals += [
                    {"id": f"{iid}u", "interaction_id": iid, "kind": "thumbs_up", "actor": user, "ts": ts + 2},
                    {"id": f"{iid}a", "interaction_id": iid, "kind": "accept", "actor": user, "ts": ts + 3},
                ]
                continue
            counts["wrong"] += 1
            signals.append({"id": f"{iid}d", "interaction_id": iid, "kind": "thumbs_down", "actor": user, "ts": ts + 2})
            if (q + s) % 3 == 0:
                counts["corrected"] += 1
                fix = {"text": f"{a} + {b} = {a + b}"}
                signals.append(
                    {
                        "id": f"{iid}e",
                        "interaction_id": iid,
                        "kind": "edit",
                        "actor": user,
                        "ts": ts + 4,
                        "payload": fix,
                    }
                )
    capture.ingest("bench", {"interactions": interactions})
    capture.ingest("bench", {"signals": signals})
    return counts


def run(args: argparse.Namespace, rest: list[str]) -> tuple[dict[str, Any], str]:
    parser = argparse.ArgumentParser(prog="bench_training.py --part reward")
    parser.add_argument("--embedder", default=None, help="default: minilm-int8 when installed, else hashing")
    parser.add_argument("--train-users", type=int, default=TRAIN_USERS)
    parser.add_argument("--heldout-users", type=int, default=HELDOUT_USERS)
    own = parser.parse_args(rest)
    embedder_name = own.embedder or choose_default()[0]
    rng = random.Random(SEED)
    train = questions(8 if args.quick else own.train_users, rng)
    heldout = [(f"h{u}", a, b) for (u, a, b) in questions(4 if args.quick else own.heldout_users, rng)]
    samples = Samples(GENERATIONS)
    train_answers = samples.get([(a, b) for _, a, b in train], TRAIN_SAMPLES)
    held_answers = samples.get([(a, b) for _, a, b in heldout], HELDOUT_SAMPLES)

    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=home, database_url=f"sqlite:///{home}/bench.db")
        store = Store(settings.database_url)
        capture = Capture(store, settings)
        t0 = (int(time.time()) // 3600 - 48) * 3600.0
        counts = _log(capture, train, train_answers, t0)
        version = datasets.build(
            store, "bench", "add", {"integrity": {"min_claim_trust": 0}, "splits": {"time_aware": False}}
        )
        began = time.perf_counter()
        loop = run_loop(
            store, "bench", "reward", "add", settings=settings, embedder=embedder_name, seed=SEED, min_pairs=MIN_ROWS
        )
        train_seconds = time.perf_counter() - began
        rid = loop.outputs["artifact"]
        inputs = [f"What is {a} + {b}?" for _, a, b in heldout for _ in range(HELDOUT_SAMPLES)]
        flat = [t for texts in held_answers for t in texts]
        flat_scores = reward_score_batch(rid, inputs, flat, settings=settings)
        store.engine.dispose()
    outcomes = [right(a, b, t) for (_, a, b), texts in zip(heldout, held_answers, strict=True) for t in texts]
    scores = [flat_scores[i : i + HELDOUT_SAMPLES] for i in range(0, len(flat_scores), HELDOUT_SAMPLES)]
    correct = [outcomes[i : i + HELDOUT_SAMPLES] for i in range(0, len(outcomes), HELDOUT_SAMPLES)]
    lengths = [[len(t) for t in texts] for texts in held_answers]
    report = best_of_n_lift(scores, correct, lengths, ns=NS)
    held_auc = auc(flat_scores, [1.0 if o else 0.0 for o in outcomes])
    held_ece = expected_calibration_error(flat_scores, [1.0 if o else 0.0 for o in outcomes])
    loop_metrics = loop.details["metrics"]
    figures: dict[str, Any] = {
        "reward_auc": None if held_auc is None else round(held_auc, 4),
        "reward_ece": round(held_ece, 4),
        "best_of_4_lift_points": report.lift(4),
        "reward_best_of_n": report.per_n,
        "reward_recommended_n": report.recommended_n,
        "reward_heldout": {
            "users": len({u for u, _, _ in heldout}),
            "prompts": len(heldout),
            "samples": len(flat),
            "right": int(sum(outcomes)),
            "base_accuracy": round(float(np.mean(outcomes)), 4),
        },
        "reward_train": {
            "prompts": len(train),
            "interactions": len(train) * TRAIN_SAMPLES,
            **counts,
            "dataset_kto": version.counts.get("kto", {}),
            "embedder": embedder_name,
            "c": loop.details.get("c"),
            "seconds": round(train_seconds, 2),
        },
        "reward_loop_eval_split": {
            k: loop_metrics.get(k)
            for k in ("metrics_source", "reward_auc", "reward_ece", "cases", "pairs", "pair_accuracy")
        },
        "reward_generation": {
            "model": "SmolLM2-135M-Instruct",
            "max_tokens": MAX_TOKENS,
            "temperature": TEMPERATURE,
            "sampled_now": samples.generated,
            "sampling_seconds": round(samples.seconds, 1),
        },
    }
    rows = "\n".join(
        f"| {r['n']} | {r['accuracy']:.3f} | {r['lift_points']:+.1f} | {r['mean_length']:.1f} | "
        f"{r['length_drift']:+.3f} | {r['mean_score']:.3f} | {r['reward_gap']:+.3f} |"
        for r in report.per_n
    )
    markdown = f"""
SmolLM2-135M-Instruct's answers to one-digit additions (temperature {TEMPERATURE}, at most {MAX_TOKENS}
tokens), judged exactly by a simulated user; {len(train)} questions of {len({u for u, _, _ in train})} users x
{TRAIN_SAMPLES} answers logged ({counts["right"]} right, {counts["wrong"]} wrong, {counts["corrected"]} of them
corrected), a dataset version of them, and the `reward` loop with the {embedder_name} embedder ({train_seconds:.1f} s).
Measured on {len(heldout)} questions of {figures["reward_heldout"]["users"]} other users, {HELDOUT_SAMPLES} answers each
(one answer in {1 / max(figures["reward_heldout"]["base_accuracy"], 1e-9):.0f} right):

- `reward_auc` {figures["reward_auc"]}, `reward_ece` {figures["reward_ece"]} (aim <= 0.05)
- `best_of_4_lift_points` {figures["best_of_4_lift_points"]:+.1f}; recommended n: {report.recommended_n}
- the loop's own figures on its dataset version's eval users: {figures["reward_loop_eval_split"]}

| n | exact match | lift (points) | mean length | length drift | mean reward | reward gap |
|---|---|---|---|---|---|---|
{rows}
"""
    return figures, markdown
