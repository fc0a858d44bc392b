"""The assistant track of the flywheel benchmark (issue 15): SmolLM2-135M-Instruct answering
arithmetic questions from ``mathematics-dataset`` for simulated users, several rounds, the static,
naive, flyloop and oracle arms side by side on the same seeded traffic; held-out exact match after
each round, measured by the harness (greedy, batched) on questions no arm ever trains on.

    python bench/bench_flywheel.py --track assistant            # the CPU default (<= 30 min, 2 cores)
    python bench/bench_flywheel.py --track assistant --rounds 4 --per-round 500 --heldout 300 \\
        --users 200 --steps 150 --preference dpo --preference-steps 80 --max-digits 3 --threads 8 \\
        --prompt-budget 16      # a larger run, for a GPU (documented, not run)

The CPU default: two-number sums and differences whose every number has at most two digits
(``--plain``) and none is negative (``--unsigned``), 3 rounds of 200 requests from 80 users, 40
LoRA steps a training, answers of at most 6 tokens. flyloop's datasets hold out 30% of the users
for its gates (``--eval-share``), take a rater's corrections once their trust is 0.6
(``--min-claim-trust``; a newcomer has 2/3) and use labels of confidence 0.6 (``--min-confidence``:
a lone thumbs-up, 0.5, is not enough; a correction or an outcome is). With the library's defaults
and 300 requests from 60 users, flyloop's gate never had 10 eval cases and its SFT never more than
18 rows (BENCHMARKS.md, the run of 2026-12-06 01:55); with lone thumbs-ups kept, habitual raters
not yet flagged made production's own rambling answers eval references (a dry run scored the
base model 35 points above every candidate).

Speed (the CPU default's 30 minutes): the arms run side by side, two processes at a time with one
torch thread each (``--workers``, :mod:`bench.flywheel.assistant_run`); the flyloop arm serves a
round in batches through its policies (:meth:`FlyloopArm.serve`), its evaluations answer in
batches (:mod:`flyloop.evaluate.answers`), and a production version that did not change is not
measured on the held-out set again. Each arm's wall time by phase lands in ``phase_seconds``.

Round 0 is the base model before any traffic. The users are the triage track's population
(:mod:`bench.flywheel.population`, every rate a flag with the same defaults): honest users who
correct a wrong answer to the right number, habitual thumbs-up users, silent ones, power users,
an adversarial share whose corrections are wrong numbers, outcomes a round later. Users judge
exactly: the answer, normalised (:func:`bench.flywheel.assistant_data.normalise`), is the truth.

The golden set (``--golden N``, default 100; 0: off, the eval split's gate alone as before): N
questions from the same seeded stream after the traffic pool and the held-out set (disjoint from
both by text, checked), with their answers, added to flyloop once before round 1 through
``fw.golden.add``. flyloop promotes a candidate when its golden gate passes and the eval split
shows no regression beyond its interval (:func:`bench.flywheel.assistant_arms.decide`). The eval
split alone could not judge: its references are the users' corrections and accepted answers, 12
to 18 cases from about 8 users a round in the default run, too few for an honest interval.
"""

from __future__ import annotations

import argparse
import math
import os
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, write_result
from bench.flywheel import assistant_data
from bench.flywheel.assistant_arms import (
    DAY,
    WORKLOAD,
)
from bench.flywheel.assistant_model import SYSTEM
from bench.flywheel.assistant_run import Setup, run_arms
from bench.flywheel.population import Population, PopulationConfig, Reaction, Request
from bench.flywheel.run import SMALL_PRODUCT, feedback_table, markdown_table, plot, summarise

ARMS = ("flyloop", "static", "naive", "oracle")
# The CPU default's sizes (each a flag; the section of BENCHMARKS.md says what they gave).
STEPS = 40
USERS = 80
WORKERS = 2  # arms side by side, one process each (bench/flywheel/assistant_run.py)
GOLDEN = 100  # questions in the golden set a person curates (--golden; 0: none)
EVAL_SHARE = 0.3
MIN_CLAIM_TRUST = 0.6
MIN_CONFIDENCE = 0.6
# Measured on a loaded machine, LoRA SFT 40 steps, batch 8: 200 true rows of signed two-digit
# sums and differences gave 0.02 held-out exact match (loss flat at ~1.1); 100 true rows of
# unsigned ones gave 0.21 (47 held out; loss still falling, 0.7).
UNSIGNED = True
NAME = "flywheel_assistant"
WRONG = "<a wrong number>"  # the population's label set: an adversarial correction is replaced below
# A larger configuration, for a GPU (documented, not run here): flyloop's LoRA loop moves to CUDA
# by itself; the naive and oracle arms' trainer (assistant_model.LocalModel) stays on the CPU.
GPU_FLAGS = (
    "--rounds 4 --per-round 500 --heldout 300 --users 200 --steps 150 --preference dpo --preference-steps 80 "
    "--max-digits 3 --threads 8 --prompt-budget 16"
)


class MathPopulation(Population):
    """The triage population, judging numbers: its adversarial correction (a wrong label of a
    choice workload) becomes a wrong number, the truth moved by 1 to 10 either way, drawn from the
    interaction's own dice (the same in every arm)."""

    def __init__(self, config: PopulationConfig, seed: int) -> None:
        super().__init__(config, [WRONG], seed)

    def react(self, request: Request, answer: str) -> Reaction:
        reaction = super().react(request, assistant_data.normalise(answer))
        if reaction.edit is not None and reaction.edit != request.mail.label:
            return Reaction(
                reaction.thumbs, wrong_number(request.mail.label, request.draws.wrong_label), reaction.outcome
            )
        return reaction


def wrong_number(truth: str, draw: float) -> str:
    """A number 1 to 10 away from ``truth`` (``draw`` in [0, 1) picks the distance and the side)."""
    slot = min(19, int(draw * 20))
    offset = slot // 2 + 1
    return str(int(truth) + (offset if slot % 2 else -offset))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bench/bench_flywheel.py --track assistant",
        description="The flywheel benchmark's assistant track (issue 15): SmolLM2 on arithmetic.",
    )
    p.add_argument("--track", default="assistant", choices=["assistant"])
    p.add_argument("--rounds", type=int, default=3, help="rounds of traffic (default 3)")
    p.add_argument(
        "--per-round",
        type=int,
        default=200,
        help="requests per round (default 200: with 80 users, enough raters with a record for >= 10 eval users a gate)",
    )
    p.add_argument("--heldout", type=int, default=100, help="held-out questions measured (default 100)")
    p.add_argument(
        "--golden",
        type=int,
        default=GOLDEN,
        help=f"questions in the golden set flyloop gates on, disjoint from traffic and held-out (default {GOLDEN}; "
        "0: none, the eval split's gate alone)",
    )
    p.add_argument("--pool", type=int, default=0, help="questions generated for traffic (default rounds x per-round)")
    p.add_argument(
        "--seed",
        type=int,
        default=7,
        help="seeds the questions, users, traffic, dice, store keys and event ids (default 7)",
    )
    p.add_argument(
        "--modules",
        default=assistant_data.DEFAULT_MODULES,
        help=f"mathematics-dataset modules, comma-separated (default {assistant_data.DEFAULT_MODULES})",
    )
    p.add_argument("--max-digits", type=int, default=2, help="longest answer kept, in digits (default 2)")
    p.add_argument(
        "--plain",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="every number of a question an integer of at most --max-digits digits (default on: no '-1.4 - -0.4')",
    )
    p.add_argument(
        "--unsigned",
        action=argparse.BooleanOptionalAction,
        default=UNSIGNED,
        help=f"no negative number in a question or its answer (default {'on' if UNSIGNED else 'off'})",
    )
    p.add_argument(
        "--max-new-tokens", type=int, default=6, help="answer length cap, every arm (default 6: '-84' and its end)"
    )
    p.add_argument(
        "--steps",
        type=int,
        default=STEPS,
        help=f"LoRA SFT optimizer steps per training, every arm (default {STEPS}: batch 8, a fresh adapter a round)",
    )
    p.add_argument("--max-length", type=int, default=64, help="training row length in tokens (default 64)")
    p.add_argument(
        "--preference",
        default="none",
        choices=["dpo", "kto", "none"],
        help="flyloop's loop-3 method after SFT (default none on a CPU: a DPO step costs two SFT steps, and DPO from "
        "the base model measured +4 points where SFT measured +77 (BENCHMARKS.md training_lora); the GPU run uses dpo)",
    )
    p.add_argument("--preference-steps", type=int, default=20, help="flyloop's DPO/KTO optimizer steps (default 20)")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (default 1: on 2 cores shared with other work, 2 threads ran 6-9x slower than 1)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=WORKERS,
        help=f"arms run at once, each in a process of its own with --threads torch threads (default {WORKERS}: "
        "the machine's 2 cores; 1: one after another in this process)",
    )
    p.add_argument("--no-fewshot", action="store_true", help="flyloop without its few-shot loop")
    p.add_argument("--prompt-budget", type=int, default=0, help="model calls of flyloop's prompt loop a round (0: off)")
    p.add_argument("--min-pairs", type=int, default=10, help="flyloop's least training rows for a LoRA run")
    p.add_argument(
        "--eval-share",
        type=float,
        default=EVAL_SHARE,
        help=f"share of users flyloop's datasets hold out for its gates (default {EVAL_SHARE}; validation 0.1, "
        "train the rest; user-disjoint, all of their traffic)",
    )
    p.add_argument(
        "--min-claim-trust",
        default=str(MIN_CLAIM_TRUST),
        help=f"trust a rater needs before flyloop trains on their corrections (default {MIN_CLAIM_TRUST}: a newcomer's "
        "2/3 passes, one contradiction on record does not; 'none': the library's default, a record that vouches)",
    )
    p.add_argument(
        "--min-confidence",
        type=float,
        default=MIN_CONFIDENCE,
        help=f"least label confidence flyloop's datasets use (default {MIN_CONFIDENCE}: a lone thumbs-up, 0.5, is "
        "no reference; a correction or an outcome is; 0.5 is the library's)",
    )
    p.add_argument(
        "--learning-rate",
        type=float,
        default=None,
        help="LoRA SFT learning rate, every arm (default: flyloop's, 2e-4)",
    )
    p.add_argument(
        "--min-eval-users",
        type=int,
        default=10,
        help="users with a reference in the eval split a gate needs (its min_clusters; default 10, the library's)",
    )
    p.add_argument(
        "--gate", default="product", choices=["product", "default"], help="flyloop's gate (see PRODUCT_GATE)"
    )
    p.add_argument("--arms", default=",".join(ARMS), help=f"comma-separated, of {', '.join(ARMS)}")
    p.add_argument("--no-write", action="store_true", help="print only: no JSON, plot or BENCHMARKS.md")
    PopulationConfig.add_flags(p)
    # A smaller product than triage's: 600 requests from 200 users is 3 each, too little history
    # for most raters to be checked; 80 users (of whom a 0.3 eval share holds out 24) send 7.5
    # each. Every rate keeps the triage population's default.
    p.set_defaults(users=USERS)
    return p


class LoadSampler:
    """The machine's 1-minute load average, sampled every ``every`` seconds in a daemon thread
    while a run lasts: the run's minutes mean little without how busy the 2 shared cores were."""

    def __init__(self, every: float = 30.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(self.every):
                return

    def start(self) -> LoadSampler:
        self._thread.start()
        return self

    def stop(self) -> dict[str, float]:
        """Stop sampling; the samples' min, mean and max (empty before the first sample)."""
        self._stop.set()
        self._thread.join()
        if not self.samples:
            return {}
        mean = sum(self.samples) / len(self.samples)
        return {"min": round(min(self.samples), 2), "mean": round(mean, 2), "max": round(max(self.samples), 2)}


def flyloop_datasets(
    eval_share: float, min_claim_trust: str | float | None, min_confidence: float = 0.5
) -> dict[str, Any]:
    """The curation options flyloop's dataset builds take in this product: the triage track's
    user-disjoint split (``SMALL_PRODUCT``: all of an eval user's traffic, not only their newest)
    with ``eval_share`` of the users held out, and rater trust's ``min_claim_trust`` (None or
    "none": the library's default). A share outside (0, 0.9) is a SystemExit naming the flag."""
    if not 0 < eval_share < 0.9:
        raise SystemExit(f"--eval-share must lie in (0, 0.9) (validation keeps 0.1, train the rest), got {eval_share}")
    splits = {**SMALL_PRODUCT["splits"], "eval": eval_share, "validation": 0.1, "train": round(0.9 - eval_share, 6)}
    out: dict[str, Any] = {"splits": splits}
    if min_confidence != 0.5:  # the library's default left out: the options say what this product changed
        if not 0 <= min_confidence <= 1:
            raise SystemExit(f"--min-confidence is a number in [0, 1], got {min_confidence}")
        out["min_confidence"] = min_confidence
    if min_claim_trust is not None and str(min_claim_trust).lower() != "none":
        try:
            trust = float(min_claim_trust)
        except ValueError:
            raise SystemExit(f"--min-claim-trust is a number in [0, 1] or 'none', got {min_claim_trust!r}") from None
        if not 0 <= trust <= 1:
            raise SystemExit(f"--min-claim-trust is a number in [0, 1] or 'none', got {min_claim_trust!r}")
        out["integrity"] = {"min_claim_trust": trust}
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parser().parse_args(argv)
    started = time.perf_counter()
    load = LoadSampler().start()
    import torch

    torch.set_num_threads(max(1, args.threads))
    names = [a.strip() for a in args.arms.split(",") if a.strip()]
    unknown = [n for n in names if n not in ARMS]
    if args.golden < 0:
        raise SystemExit(f"--golden is 0 (none) or more questions, got {args.golden}")
    if unknown or args.rounds < 1 or args.per_round < 1:
        raise SystemExit(f"--arms of {', '.join(ARMS)}; --rounds and --per-round 1 or more (got {unknown or args})")
    config = PopulationConfig.from_args(args)
    dataset_config = flyloop_datasets(args.eval_share, args.min_claim_trust, args.min_confidence)
    pool = args.pool or args.rounds * args.per_round
    data = assistant_data.load(
        args.seed, pool, args.heldout, args.modules, args.max_digits, args.plain, args.unsigned, args.golden
    )
    print(data.summary(), flush=True)
    if args.rounds * args.per_round > len(data.train):
        raise SystemExit(
            f"{args.rounds} rounds of {args.per_round} need more questions than the pool's {len(data.train)}"
        )

    from flyloop.improve import smollm2_folder

    folder = smollm2_folder(models_dir=Path(".pytest_cache/flyloop-models").resolve())
    population = MathPopulation(config, args.seed)
    print(f"population: {population.kinds()}; {args.rounds} rounds of {args.per_round} requests", flush=True)
    now = math.floor(time.time() / 3600) * 3600
    start_day = now - (args.rounds + config.outcome_delay + 2) * DAY
    options = {
        "gate": args.gate,
        "max_new_tokens": args.max_new_tokens,
        "dataset_config": dataset_config,
        "min_eval_users": args.min_eval_users,
        "seed": args.seed,
        "prompt_budget": args.prompt_budget,
        "fewshot": not args.no_fewshot,
        "embedder": "minilm-int8",
        "steps": args.steps,
        "learning_rate": args.learning_rate,
        "min_pairs": args.min_pairs,
        "max_length": args.max_length,
        "preference": args.preference,
        "preference_steps": args.preference_steps,
        "golden": data.golden,
    }
    runs = run_arms(names, Setup(args, folder, options, start_day, config), args.workers)
    rounds = {name: run.accuracy for name, run in runs.items()}
    steps = {name: run.steps for name, run in runs.items()}
    feedback = {name: run.feedback for name, run in runs.items()}
    seconds = {name: run.seconds for name, run in runs.items()}
    phases = {name: run.phases for name, run in runs.items()}

    minutes = (time.perf_counter() - started) / 60
    figures = summarise(rounds, minutes)
    figures["load_average"] = load.stop()
    figures["golden"] = golden_check(data)
    if "flyloop" in rounds and "static" in rounds:
        # The assistant figure: held-out exact-match gain over the base model (round 0 is it).
        figures["lift_points"] = round((rounds["flyloop"][-1] - rounds["static"][-1]) * 100, 2)
    figures |= {
        "rounds": rounds,
        "steps": steps,
        "feedback": feedback,
        "arm_seconds": seconds,
        "phase_seconds": phases,
        "data": data.summary(),
        "population": {**vars(config), "kinds": population.kinds()},
        "per_round": args.per_round,
        "seed": args.seed,
        "options": {
            **{k: v for k, v in options.items() if k != "golden"},
            "golden": len(data.golden),
            "threads": args.threads,
            "workers": args.workers,
            "system_prompt": SYSTEM,
            "workload": WORKLOAD,
            "heldout": args.heldout,
        },
    }
    table = markdown_table(rounds)
    print(table)
    keys = ("lift_points", "beat_naive_points", "share_of_oracle", "worst_round_drop_points", "minutes")
    print({k: figures[k] for k in keys})
    if not args.no_write:
        plotted = plot(
            rounds,
            RESULTS / f"{NAME}.png",
            ylabel="held-out exact match",
            title="Assistant flywheel (SmolLM2-135M, arithmetic): exact match by round",
        )
        write_result(NAME, figures, describe(figures, table, plotted))
    return figures


def step_words(n: dict[str, Any]) -> str:
    """One loop run's line: what it trained, its candidate's evaluation and gate (or why none)."""
    if "id" in n and "counts" in n:
        verdicts = f"; curation's verdicts {n['verdicts']}" if n.get("verdicts") else ""
        flagged = f"; raters flagged {n['flagged']}" if n.get("flagged") else ""
        return f"dataset {n['id'][:12]}: {n['counts']}{verdicts}{flagged}"
    made = ""
    if n.get("steps") is not None:
        made = f"{n.get('train_rows')} rows, {n.get('steps')} steps, {n.get('seconds')} s, loss {n.get('train_loss')}"
        if n.get("validation_em"):
            made += f", validation exact match {n['validation_em'][0]} -> {n['validation_em'][1]}"
    if "gate" not in n:
        return f"{made + ': ' if made else ''}no candidate ({n.get('why', '')})"
    verdict = "promoted" if n.get("promoted") else "rejected"
    if isinstance(n.get("golden"), dict):
        g = n["golden"]
        return (
            f"{made + '; ' if made else ''}{n.get('candidate', '')}: {verdict} ({n.get('rule')}); golden set, "
            f"{g.get('cases')} cases: {g.get('gate')}; eval split, {n.get('cases')} cases: {n['gate']}"
        )
    return (
        f"{made + '; ' if made else ''}{n.get('candidate', '')} on {n.get('cases')} eval cases: {verdict}: {n['gate']}"
    )


def phase_words(phases: dict[str, dict[str, float]], seconds: dict[str, float]) -> str:
    """Where each arm's wall time went (seconds by phase; improve holds flyloop's sub-phases)."""
    if not phases:
        return "- (no timing by phase in this run)"
    lines = ["- wall seconds by phase (flyloop's 'improve: ...' parts are inside its improve):"]
    for arm, by in phases.items():
        parts = ", ".join(f"{k} {v:g}" for k, v in by.items())
        lines.append(f"  - {arm} ({seconds.get(arm, 0):g} s in all): {parts}")
    return "\n".join(lines)


def golden_check(data: assistant_data.MathData) -> dict[str, int]:
    """The golden set's size and the questions it shares, by normalised text, with the traffic
    pool and the held-out set (0 and 0, else :func:`assistant_data.golden_after` refused it)."""
    golden = {assistant_data.normalise(m.text) for m in data.golden}
    return {
        "questions": len(data.golden),
        "shared_with_traffic": len(golden & {assistant_data.normalise(m.text) for m in data.train}),
        "shared_with_heldout": len(golden & {assistant_data.normalise(m.text) for m in data.heldout}),
    }


def reading(figures: dict[str, Any]) -> str:
    """What the arms trained on and what flyloop's gate did, in numbers: the candidates made, how
    many its gate could judge (enough eval cases from enough users) and promoted, flyloop's largest
    training set and eval split beside the rows naive and the oracle trained on last."""
    steps = figures["steps"].get("flyloop", [])
    runs = [n for s in steps for n in s.values() if isinstance(n, dict) and "run" in n]
    made = [n for n in runs if n.get("candidate")]
    judged = [n for n in made if n.get("cases") and "too few to judge" not in str(n.get("gate"))]
    promoted = [n for n in made if n.get("promoted")]
    golden = [n["golden"] for n in made if isinstance(n.get("golden"), dict)]
    sizes = [n["counts"] for s in steps for k, n in s.items() if k == "dataset"]
    most_eval = max([sum((c.get("eval") or {}).values()) for c in sizes] or [0])
    most_sft = max([(c.get("sft") or {}).get("train", 0) for c in sizes] or [0])
    last = {
        arm: ([s.get("train_rows") for s in figures["steps"].get(arm, []) if s.get("train_rows")] or [0])[-1]
        for arm in ("naive", "oracle")
    }
    gate = (
        f"the golden gate passed {sum(bool(g.get('passed')) for g in golden)} of {len(golden)}; the eval split's "
        f"gate could judge {len(judged)} (the others: too few eval cases or users); flyloop promoted {len(promoted)}"
        if golden
        else f"its gate could judge {len(judged)} (the others: too few eval cases or users) and promoted "
        f"{len(promoted)}"
    )
    return (
        f"- flyloop's loops made {len(made)} candidates; {gate}. Its largest dataset version held {most_sft} SFT "
        f"training rows and {most_eval} eval cases (rows whose verdict curation kept: corrections from raters "
        f"trusted enough, answers accepted by raters it trusts); naive's last training had {last['naive']} rows, "
        f"the oracle's {last['oracle']}."
    )


def golden_words(golden: dict[str, int] | None) -> str:
    """The golden set's clause of the section (a run before golden sets, or --golden 0: the eval split's gate alone)."""
    if not golden or not golden.get("questions"):
        return "no golden set (the eval split's gate alone decides);"
    return (
        f"a golden set of {golden['questions']} questions with their answers, added once before round 1 "
        f"(shared with the traffic pool: {golden['shared_with_traffic']}, with the held-out set: "
        f"{golden['shared_with_heldout']}); a candidate is promoted when its golden gate passes and the eval split's "
        "exact-match interval does not lie wholly below zero (bench/flywheel/assistant_arms.py decide);"
    )


def describe(figures: dict[str, Any], table: str, plotted: bool) -> str:
    p, o = figures["population"], figures["options"]
    lines = [
        f"{figures['data']}; {p['users']} simulated users ({p['kinds']}), {figures['per_round']} requests per "
        f"round, seed {figures['seed']}; {o['heldout']} held-out questions, greedy, at most {o['max_new_tokens']} new "
        f"tokens, system prompt {o['system_prompt']!r}. Every trained arm: LoRA SFT with flyloop's CPU defaults, "
        f"{o['steps']} steps a round, a fresh adapter on the base model over everything it gathered. flyloop's "
        f"datasets: {o['dataset_config']}; its gate: {o['gate']} (bench/flywheel/assistant_arms.py PRODUCT_GATE), "
        f"min_clusters {o.get('min_eval_users', 10)}; {golden_words(figures.get('golden'))} "
        f"its loops a round: {'few-shot, ' if o['fewshot'] else ''}SFT"
        f"{', ' + o['preference'].upper() if o['preference'] != 'none' else ''}"
        f"{', prompt (budget ' + str(o['prompt_budget']) + ')' if o['prompt_budget'] else ''}. "
        "Held-out exact match by round (round 0: the base model):",
        "",
        table,
        "",
        f"- flyloop's gain over the base model: {figures['lift_points']} points; beat naive by "
        f"{figures['beat_naive_points']} points; share of oracle {figures['share_of_oracle']}; worst round-to-round "
        f"drop {figures['worst_round_drop_points']} points; {figures['minutes']} minutes, torch threads "
        f"{o.get('threads', 1)}, {o.get('workers', 1)} arm(s) at a time, the machine's 1-minute load average over "
        f"the run {figures.get('load_average')} (2 cores shared with other work).",
        "",
        feedback_table(figures["feedback"]),
        "",
        phase_words(figures.get("phase_seconds") or {}, figures.get("arm_seconds") or {}),
        "",
        "- flyloop's versions, round by round (each loop run, its candidate's evaluation and the gate's words):",
    ]
    for s in figures["steps"].get("flyloop", []):
        lines.append(f"  - round {s['round']}: {s['action']} {s['version'] or ''}")
        for kind, n in s.items():
            if isinstance(n, dict):
                lines.append(f"    - {kind}: {step_words(n)}")
    lines += ["", reading(figures)]
    lines.append(
        "\nA larger configuration (documented, not run): "
        f"`python bench/bench_flywheel.py --track assistant {GPU_FLAGS}`."
    )
    if plotted:
        lines.append(f"\n![curves](bench/results/{NAME}.png)")
    return "\n".join(lines)
