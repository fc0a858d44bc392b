"""The assistant track of the flywheel benchmark (issue 15): SmolLM2-135M-Instruct answering
arithmetic questions from ``mathematics-dataset`` for simulated users, several rounds, the static,
naive, flyloop and oracle arms side by side on the same seeded traffic; held-out exact match after
each round, measured by the harness (greedy, batched) on questions no arm ever trains on.

    python bench/bench_flywheel.py --track assistant            # the CPU default (~30 min, 2 cores)
    python bench/bench_flywheel.py --track assistant --rounds 4 --per-round 400 --heldout 300 \\
        --users 200 --steps 150 --preference-steps 80 --max-digits 3 --threads 8 --prompt-budget 16
        # a larger run, for a GPU (documented, not run)

Round 0 is the base model before any traffic. The users are the triage track's population
(:mod:`bench.flywheel.population`, every rate a flag with the same defaults): honest users who
correct a wrong answer to the right number, habitual thumbs-up users, silent ones, power users,
an adversarial share whose corrections are wrong numbers, outcomes a round later. Users judge
exactly: the answer, normalised (:func:`bench.flywheel.assistant_data.normalise`), is the truth.
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import RESULTS, write_result
from bench.flywheel import assistant_data
from bench.flywheel.assistant_arms import (
    DAY,
    WORKLOAD,
    Arm,
    BaseAnswers,
    FlyloopArm,
    NaiveArm,
    OracleArm,
    StaticArm,
)
from bench.flywheel.assistant_model import SYSTEM, LocalModel
from bench.flywheel.population import Population, PopulationConfig, Reaction, Request
from bench.flywheel.run import SMALL_PRODUCT, feedback_table, markdown_table, plot, round_record, summarise

ARMS = ("flyloop", "static", "naive", "oracle")
NAME = "flywheel_assistant"
WRONG = "<a wrong number>"  # the population's label set: an adversarial correction is replaced below
# A larger configuration, for a GPU (documented, not run here): flyloop's LoRA loop moves to CUDA
# by itself; the naive and oracle arms' trainer (assistant_model.LocalModel) stays on the CPU.
GPU_FLAGS = (
    "--rounds 4 --per-round 400 --heldout 300 --users 200 --steps 150 --preference-steps 80 --max-digits 3 "
    "--threads 8 --prompt-budget 16"
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
    p.add_argument("--per-round", type=int, default=100, help="requests per round (default 100)")
    p.add_argument("--heldout", type=int, default=100, help="held-out questions measured (default 100)")
    p.add_argument("--pool", type=int, default=0, help="questions generated for traffic (default rounds x per-round)")
    p.add_argument("--seed", type=int, default=7, help="seeds the questions, users, traffic and dice (default 7)")
    p.add_argument("--modules", default=assistant_data.DEFAULT_MODULES, help="mathematics-dataset modules")
    p.add_argument("--max-digits", type=int, default=2, help="longest answer kept, in digits (default 2)")
    p.add_argument("--max-new-tokens", type=int, default=8, help="answer length cap, every arm (default 8)")
    p.add_argument(
        "--steps", type=int, default=30, help="LoRA SFT optimizer steps per training, every arm (default 30)"
    )
    p.add_argument("--max-length", type=int, default=64, help="training row length in tokens (default 64)")
    p.add_argument(
        "--preference", default="dpo", choices=["dpo", "kto", "none"], help="flyloop's loop-3 method after SFT"
    )
    p.add_argument("--preference-steps", type=int, default=20, help="flyloop's DPO/KTO optimizer steps (default 20)")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (default 1: on 2 cores shared with other work, 2 threads ran 6-9x slower than 1)",
    )
    p.add_argument("--no-fewshot", action="store_true", help="flyloop without its few-shot loop")
    p.add_argument("--prompt-budget", type=int, default=0, help="model calls of flyloop's prompt loop a round (0: off)")
    p.add_argument("--min-pairs", type=int, default=10, help="flyloop's least training rows for a LoRA run")
    p.add_argument(
        "--gate", default="product", choices=["product", "default"], help="flyloop's gate (see PRODUCT_GATE)"
    )
    p.add_argument("--arms", default=",".join(ARMS), help=f"comma-separated, of {', '.join(ARMS)}")
    p.add_argument("--no-write", action="store_true", help="print only: no JSON, plot or BENCHMARKS.md")
    PopulationConfig.add_flags(p)
    # A smaller product than triage's: 300 requests from 200 users is 1.5 each, too little history
    # for any rater to be checked; 60 users keep 12 in a fifth's eval split (the gate's least
    # number of users is 10). Every rate keeps the triage population's default.
    p.set_defaults(users=60)
    return p


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parser().parse_args(argv)
    started = time.perf_counter()
    import torch

    torch.set_num_threads(max(1, args.threads))
    names = [a.strip() for a in args.arms.split(",") if a.strip()]
    unknown = [n for n in names if n not in ARMS]
    if unknown or args.rounds < 1 or args.per_round < 1:
        raise SystemExit(f"--arms of {', '.join(ARMS)}; --rounds and --per-round 1 or more (got {unknown or args})")
    config = PopulationConfig.from_args(args)
    pool = args.pool or args.rounds * args.per_round
    data = assistant_data.load(args.seed, pool, args.heldout, args.modules, args.max_digits)
    print(data.summary(), flush=True)
    if args.rounds * args.per_round > len(data.train):
        raise SystemExit(
            f"{args.rounds} rounds of {args.per_round} need more questions than the pool's {len(data.train)}"
        )

    from flyloop.improve import smollm2_folder

    folder = smollm2_folder(models_dir=Path(".pytest_cache/flyloop-models").resolve())
    population = MathPopulation(config, args.seed)
    traffic = population.traffic(data.train, args.rounds, args.per_round)
    print(f"population: {population.kinds()}; {args.rounds} rounds of {args.per_round} requests", flush=True)
    model = LocalModel(folder, max_new_tokens=args.max_new_tokens)
    base = BaseAnswers(model)
    now = math.floor(time.time() / 3600) * 3600
    start_day = now - (args.rounds + config.outcome_delay + 2) * DAY
    options = {
        "gate": args.gate,
        "max_new_tokens": args.max_new_tokens,
        "dataset_config": SMALL_PRODUCT,
        "prompt_budget": args.prompt_budget,
        "fewshot": not args.no_fewshot,
        "embedder": "minilm-int8",
        "steps": args.steps,
        "min_pairs": args.min_pairs,
        "max_length": args.max_length,
        "preference": args.preference,
        "preference_steps": args.preference_steps,
    }

    def make(name: str) -> Arm:
        train = {"steps": args.steps, "seed": args.seed, "max_length": args.max_length}
        if name == "static":
            return StaticArm(base)
        if name == "naive":
            return NaiveArm(LocalModel(folder, max_new_tokens=args.max_new_tokens), base, **train)
        if name == "oracle":
            return OracleArm(LocalModel(folder, max_new_tokens=args.max_new_tokens), base, **train)
        return FlyloopArm(folder, options)

    rounds: dict[str, list[float]] = {}
    steps: dict[str, list[dict[str, Any]]] = {}
    feedback: dict[str, dict[str, int]] = {}
    seconds: dict[str, float] = {}
    for name in names:
        arm_started = time.perf_counter()
        arm = make(name)
        counts: Counter[str] = Counter()

        def react(request: Request, answer: str, counts: Counter[str] = counts) -> Reaction:
            reaction = population.react(request, answer)
            right = assistant_data.normalise(answer) == request.mail.label
            counts["right" if right else "wrong"] += 1
            counts["thumbs_up"] += reaction.thumbs == "up"
            counts["thumbs_down"] += reaction.thumbs == "down"
            if reaction.edit is not None:
                counts["edit" if reaction.edit == request.mail.label else "edit_wrong_label"] += 1
            return reaction

        pending: list[tuple[int, Request, float, float]] = []
        try:
            accuracy = [arm.accuracy(data.heldout)]
            arm_steps: list[dict[str, Any]] = []
            print(f"[{name}] round 0: {accuracy[0]:.3f} ({time.perf_counter() - arm_started:.0f}s)", flush=True)
            for r, batch in enumerate(traffic):
                day = start_day + r * DAY
                ts = [day + (i + 0.5) * 0.9 * DAY / len(batch) for i in range(len(batch))]
                answers = arm.serve(batch, react, ts)
                for request, answer, at in zip(batch, answers, ts):
                    outcome = population.react(request, answer).outcome
                    if outcome is not None:
                        pending.append((r + config.outcome_delay, request, outcome, at + config.outcome_delay * DAY))
                due = [(q, v, at) for d, q, v, at in pending if d <= r]
                pending = [p for p in pending if p[0] > r]
                arm.outcomes(due)
                counts["outcomes"] += len(due)
                step = arm.improve(r + 1)
                accuracy.append(arm.accuracy(data.heldout))
                arm_steps.append(round_record(name, r + 1, accuracy[-1], step, arm_started, step_words))
        finally:
            arm.close()
        rounds[name] = [round(a, 4) for a in accuracy]
        steps[name] = arm_steps
        feedback[name] = dict(sorted(counts.items()))
        seconds[name] = round(time.perf_counter() - arm_started, 1)

    minutes = (time.perf_counter() - started) / 60
    figures = summarise(rounds, minutes)
    if "flyloop" in rounds and "static" in rounds:
        # The assistant figure: held-out exact-match gain over the base model (round 0 is it).
        figures["lift_points"] = round((rounds["flyloop"][-1] - rounds["static"][-1]) * 100, 2)
    figures |= {
        "rounds": rounds,
        "steps": steps,
        "feedback": feedback,
        "arm_seconds": seconds,
        "data": data.summary(),
        "population": {**vars(config), "kinds": population.kinds()},
        "per_round": args.per_round,
        "seed": args.seed,
        "options": {**options, "system_prompt": SYSTEM, "workload": WORKLOAD, "heldout": args.heldout},
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
        return f"dataset {n['id']}: {n['counts']}"
    made = ""
    if n.get("steps") is not None:
        made = f"{n.get('train_rows')} rows, {n.get('steps')} steps, {n.get('seconds')} s, loss {n.get('train_loss')}"
        if n.get("validation_em"):
            made += f", validation exact match {n['validation_em'][0]} -> {n['validation_em'][1]}"
    if "gate" not in n:
        return f"{made + ': ' if made else ''}no candidate ({n.get('why', '')})"
    verdict = "promoted" if n.get("promoted") else "rejected"
    return (
        f"{made + '; ' if made else ''}{n.get('candidate', '')} on {n.get('cases')} eval cases: {verdict}: {n['gate']}"
    )


def reading(figures: dict[str, Any]) -> str:
    """What flyloop's loops did over the run, in numbers: the candidates made, how many its gate
    could judge (enough eval cases) and promoted, and the largest eval split and training set."""
    runs = [n for s in figures["steps"].get("flyloop", []) for n in s.values() if isinstance(n, dict) and "run" in n]
    made = [n for n in runs if n.get("candidate")]
    judged = [n for n in made if n.get("cases")]
    promoted = [n for n in made if n.get("promoted")]
    sizes = [n["counts"] for s in figures["steps"].get("flyloop", []) for k, n in s.items() if k == "dataset"]
    most_eval = max([sum((c.get("eval") or {}).values()) for c in sizes] or [0])
    most_sft = max([(c.get("sft") or {}).get("train", 0) for c in sizes] or [0])
    return (
        f"- flyloop's loops made {len(made)} candidates; its gate could judge {len(judged)} (the others had too few "
        f"eval cases) and promoted {len(promoted)}. Its largest dataset version held {most_sft} SFT training rows "
        f"and {most_eval} eval cases (rows whose verdict flyloop's curation kept: corrections from raters an outcome "
        "had vouched for, answers accepted by raters it trusts)."
    )


def describe(figures: dict[str, Any], table: str, plotted: bool) -> str:
    p, o = figures["population"], figures["options"]
    lines = [
        f"{figures['data']}; {p['users']} simulated users ({p['kinds']}), {figures['per_round']} requests per "
        f"round, seed {figures['seed']}; {o['heldout']} held-out questions, greedy, at most {o['max_new_tokens']} new "
        f"tokens, system prompt {o['system_prompt']!r}. Every trained arm: LoRA SFT with flyloop's CPU defaults, "
        f"{o['steps']} steps a round, a fresh adapter on the base model over everything it gathered. flyloop's "
        f"datasets: {o['dataset_config']}; its gate: {o['gate']} (bench/flywheel/assistant_arms.py PRODUCT_GATE); "
        f"its loops a round: {'few-shot, ' if o['fewshot'] else ''}SFT"
        f"{', ' + o['preference'].upper() if o['preference'] != 'none' else ''}"
        f"{', prompt (budget ' + str(o['prompt_budget']) + ')' if o['prompt_budget'] else ''}. "
        "Held-out exact match by round (round 0: the base model):",
        "",
        table,
        "",
        f"- flyloop's gain over the base model: {figures['lift_points']} points; beat naive by "
        f"{figures['beat_naive_points']} points; share of oracle {figures['share_of_oracle']}; worst round-to-round "
        f"drop {figures['worst_round_drop_points']} points; {figures['minutes']} minutes.",
        "",
        feedback_table(figures["feedback"]),
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
