"""LoRA SFT, DPO and KTO (loop 3 for a generation workload, flyloop.improve.lora) on the small
model, through the whole wheel: 2-digit additions asked by simulated users, the model's wrong
answers corrected by them (an edit to the right sum, no thumbs: a user who thumbs down nearly every
answer looks habitual to curation; a right answer accepted with a thumbs-up; the task completed an hour
later, an outcome that vouches for the user),
flyloop's labels, one dataset version, then the ``finetune`` loop through ``run_loop`` for each
method with its defaults (one epoch, batch 8, 256 tokens, rank 16 on every linear layer).

    python bench/bench_training.py --part lora [--methods sft,dpo,kto] [--interactions 640]

Measured per method: the run's minutes (the whole run: load, exact match before and after on
the validation rows, training, the artifact, the candidate) and the held-out exact-match gain in
points: greedy answers of the production version (the base model) and of the candidate (base and
adapter, loaded by the transformers backend from the artifact id) on additions the training never
saw (disjoint operand pairs), an answer right when it is the sum and nothing else.

The simulated users' "model answers" are drawn, not generated (generating 640 answers would add
minutes for nothing the loop reads): wrong sums (off by 1 to 10) worded as the base model words
its answers, 12% right.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import DOC, RESULTS, write_result

from flyloop import Settings, Store, datasets, registry
from flyloop.capture import Capture
from flyloop.improve import backend_for, run_loop
from flyloop.improve.backend_hf import SMOLLM2_FOLDER, smollm2_folder
from flyloop.improve.backends import generation_params

COMMAND = "python bench/bench_training.py --part lora"
PROJECT = "bench"
WORKLOAD = "add"
SYSTEM = "Reply with the sum only."
SEED = 0
HELDOUT = 200
RIGHT_SHARE = 0.12
USERS = 64
KEYS = {
    "sft": ("lora_sft_minutes", "lora_heldout_gain_points", "lora_sft_heldout_exact_match", "lora_sft_train_seconds"),
    "dpo": ("dpo_minutes", "dpo_heldout_gain_points", "dpo_heldout_exact_match", "dpo_train_seconds"),
    "kto": ("kto_minutes", "kto_heldout_gain_points", "kto_heldout_exact_match", "kto_train_seconds"),
}
WORDINGS = ("The sum of {a} and {b} is {s}.", "{a} + {b} = {s}", "The answer is {s}.", "{s}")


def _problems(rng: random.Random, count: int, held: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    pairs = [(a, b) for a in range(10, 100) for b in range(10, 100)]
    rng.shuffle(pairs)
    return pairs[:count], pairs[count : count + held]


def _traffic(capture: Capture, problems: list[tuple[int, int]], rng: random.Random) -> dict[str, int]:
    """One interaction per problem, its user's reaction a minute later (see the module docstring)."""
    start = time.time() - 30 * 86400
    interactions, signals, outcomes = [], [], []
    right = 0
    for n, (a, b) in enumerate(problems):
        user = f"u{n % USERS}"
        ts = start + n * 600
        iid = f"i{n}"
        correct = rng.random() < RIGHT_SHARE
        total = a + b if correct else a + b + rng.choice([-1, 1]) * rng.randint(1, 10)
        output = rng.choice(WORDINGS).format(a=a, b=b, s=total)
        interactions.append(
            {
                "id": iid,
                "workload": WORKLOAD,
                "input": f"What is {a} + {b}?",
                "output": output,
                "user_id": user,
                "session_id": f"s{n}",
                "ts": ts,
            }
        )
        if correct and output == str(a + b):
            right += 1
            signals.append({"id": f"{iid}-acc", "interaction_id": iid, "kind": "accept", "actor": user, "ts": ts + 30})
            signals.append(
                {"id": f"{iid}-up", "interaction_id": iid, "kind": "thumbs_up", "actor": user, "ts": ts + 31}
            )
        else:  # a wrong sum, or a right one in words: the user wants the number alone
            signals.append(
                {
                    "id": f"{iid}-edit",
                    "interaction_id": iid,
                    "kind": "edit",
                    "actor": user,
                    "ts": ts + 40,
                    "payload": {"text": str(a + b)},
                }
            )
        # The task then succeeded (with the right sum): the outcome vouches for the user's judgement,
        # which is what lets flyloop use a correction's text (curation's rater trust).
        outcomes.append(
            {"id": f"{iid}-done", "interaction_id": iid, "name": "task_completed", "value": 1.0, "ts": ts + 3600}
        )
    for chunk in range(0, len(interactions), 500):
        capture.ingest(PROJECT, {"interactions": interactions[chunk : chunk + 500]})
    for chunk in range(0, len(signals), 500):
        capture.ingest(PROJECT, {"signals": signals[chunk : chunk + 500]})
    for chunk in range(0, len(outcomes), 500):
        capture.ingest(PROJECT, {"outcomes": outcomes[chunk : chunk + 500]})
    return {"interactions": len(interactions), "accepted_right": right}


def _exact_match(version: registry.PolicyVersion, heldout: list[tuple[int, int]]) -> float:
    model = backend_for(version)
    prompts = [registry.render_messages(version, f"What is {a} + {b}?") for a, b in heldout]
    answers = model.generate_batch(prompts, **{**generation_params(version), "max_tokens": 16})
    hits = sum(g.text.strip() == str(a + b) for g, (a, b) in zip(answers, heldout, strict=True))
    return hits / len(heldout)


def _earlier_rows(figures: dict[str, Any], methods: list[str]) -> list[str]:
    """A run of some methods keeps the others' figures and table rows from the last run that measured
    them (its JSON and its section of BENCHMARKS.md), each row marked with when it was measured:
    one method's CPU run takes up to half an hour, and rerunning one should not erase the rest."""
    path = RESULTS / "training_lora.json"
    if not path.exists() or set(KEYS) <= set(methods):
        return []
    earlier = json.loads(path.read_text())
    section = re.search(r"<!-- bench:training_lora -->(.*?)<!-- /bench:training_lora -->", DOC.read_text(), re.S)
    rows = []
    for method, keys in KEYS.items():
        if method in methods or earlier.get(keys[0]) is None:
            continue
        figures.update({k: earlier[k] for k in keys if k in earlier})
        at = earlier.get(f"{method}_measured_at") or earlier.get("_at")
        figures[f"{method}_measured_at"] = at
        found = re.search(rf"^\| {method} \|.*$", section.group(1) if section else "", re.M)
        if found:
            rows.append(found.group(0).replace(f"| {method} |", f"| {method} (measured {at}) |", 1))
    return rows


def run(args: argparse.Namespace, rest: list[str]) -> tuple[dict[str, Any], str]:
    parser = argparse.ArgumentParser(prog="bench_training.py --part lora")
    parser.add_argument("--methods", default="sft,dpo,kto")
    parser.add_argument("--interactions", type=int, default=760)  # 500+ train rows whatever the split key
    parser.add_argument("--heldout", type=int, default=HELDOUT)
    own = parser.parse_args(rest)
    methods = [m for m in own.methods.split(",") if m]
    count, held_size = (own.interactions, own.heldout) if not args.quick else (120, 40)
    need = 500 if not args.quick else 60
    home = Path(tempfile.mkdtemp(prefix="flyloop-bench-lora-"))
    # The transformers backend finds an adapter by its artifact id under FLYLOOP_HOME.
    os.environ["FLYLOOP_HOME"] = str(home)
    settings = Settings(home=str(home), database_url=f"sqlite:///{home / 'flyloop.db'}")
    store = Store(settings.database_url)
    capture = Capture(store, settings)
    store.create_key(PROJECT, ["ingest", "read"])
    rng = random.Random(SEED)
    train_problems, heldout = _problems(rng, count, held_size)
    traffic = _traffic(capture, train_problems, rng)
    # Split by user only: the default also holds the newest days out by time, which would drop a
    # fifth of a month of simulated traffic that this benchmark replaces with its own held-out set.
    # A correction's text is used once its author is vouched for (min_claim_trust 0: every simulated
    # user is honest here; curation's rater trust is measured by bench_curation, not here).
    version = datasets.build(
        store, PROJECT, f"{WORKLOAD}-v1", {"splits": {"time_aware": False}, "integrity": {"min_claim_trust": 0}}
    )
    model = str(smollm2_folder(models_dir=Path(".pytest_cache/flyloop-models").resolve()))
    assert model.endswith(SMOLLM2_FOLDER)
    production = registry.register(
        store, PROJECT, {"workload": WORKLOAD, "backend": "transformers", "model": model, "system_prompt": SYSTEM}
    )
    registry.set_production(store, PROJECT, WORKLOAD, production.id)
    started = time.perf_counter()
    base = _exact_match(production, heldout)
    base_seconds = time.perf_counter() - started
    print(f"base model: held-out exact match {base:.3f} on {len(heldout)} ({base_seconds:.0f} s)", flush=True)

    figures: dict[str, Any] = {
        "lora_base_heldout_exact_match": round(base, 4),
        "lora_heldout_rows": len(heldout),
        "lora_dataset_counts": version.counts,
        "lora_traffic": traffic,
    }
    lines = [
        f"{traffic['interactions']} additions of two 2-digit numbers from {USERS} simulated users "
        f"({traffic['accepted_right']} right answers accepted, the rest corrected to the sum); dataset version counts "
        f"{version.counts}. Held-out: {len(heldout)} additions whose operand pairs the training never saw; the base "
        f"model (production, system prompt {SYSTEM!r}) answers {base:.1%} of them exactly.",
        "",
        "| method | train rows | steps | run minutes | train seconds | held-out exact match | gain (points) "
        "| validation EM before/after | train loss |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += _earlier_rows(figures, methods)
    for method in methods:
        print(f"{method}: training ...", flush=True)
        last = [0.0]

        def report(p: dict[str, Any], m: str = method, last: list[float] = last) -> None:
            if time.monotonic() - last[0] > 30:
                last[0] = time.monotonic()
                print(f"  {m}: step {p['done']} of {p['total']}, loss {p.get('loss')}", flush=True)

        result = run_loop(
            store,
            PROJECT,
            "finetune",
            WORKLOAD,
            settings=settings,
            on_progress=report,
            method=method,
            dataset=version.id,
            min_pairs=need,
        )
        (candidate_id,) = result.candidates
        candidate = registry.get_version(store, PROJECT, candidate_id)
        after = _exact_match(candidate, heldout)
        metrics = result.details["metrics"]
        minutes = round((result.duration_s or 0) / 60, 2)
        gain = round((after - base) * 100, 1)
        minutes_key, gain_key, match_key, seconds_key = KEYS[method]
        figures.update(
            {minutes_key: minutes, gain_key: gain, match_key: round(after, 4), seconds_key: metrics["seconds"]}
        )
        before, em_after = metrics["exact_match_before"], metrics["exact_match_after"]
        em = f"{before:.3g} / {em_after:.3g} ({metrics['exact_match_rows']} rows)"
        lines.append(
            f"| {method} | {metrics['train_rows']} | {metrics['steps']} | {minutes} | {metrics['seconds']} | "
            f"{after:.3f} | {gain:+.1f} | {em} | {metrics['train_loss']} |"
        )
        print(f"{method}: {minutes} min, held-out {base:.3f} -> {after:.3f} ({gain:+.1f} points)", flush=True)
        # Each method's figures are kept as soon as they exist: a CPU run of all three takes long.
        write_result("training_lora", figures, "\n".join(lines) + "\n\n(partial: methods so far)", command=COMMAND)
    config = result.details["config"] if methods else {}
    lines += [
        "",
        f"Configuration (the loop's CPU defaults): {config}. The memory estimate of the last run: "
        f"{result.details.get('memory') if methods else None}.",
    ]
    store.close()
    return figures, "\n".join(lines)
