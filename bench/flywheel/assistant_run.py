"""Running the assistant track's arms: each arm's rounds (serve, outcomes, improve, held-out
exact match), timed by phase, and the arms side by side in worker processes.

The arms share nothing but the seeded traffic (:mod:`bench.flywheel.assistant_arms`): each has its
own model, adapter and store. With ``workers`` > 1 each arm runs in a process of its own (spawned,
``workers`` at a time, the dearest first), one torch thread each: on the 2-core machine two arms at
once use both cores, where one process with two torch threads gained little over one thread (and
lost 5 to 9 times under load, BENCHMARKS.md). Every worker rebuilds the same questions, users and
traffic from the seed (:func:`prepare`), so an arm's figures do not depend on where it ran; with
one worker the arms run one after another in this process and share the base model's answers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.flywheel import assistant_data
from bench.flywheel.assistant_arms import Arm, BaseAnswers, FlyloopArm, NaiveArm, OracleArm, StaticArm
from bench.flywheel.assistant_model import LocalModel
from bench.flywheel.population import Population, PopulationConfig, Reaction, Request

# The order arms start in when they run side by side: the dearest first, so the cheap static arm
# fills a worker that would otherwise idle at the end.
COST_ORDER = ("flyloop", "oracle", "naive", "static")


@dataclass(frozen=True)
class Setup:
    """What every arm's run needs, picklable for a worker: the parsed flags, the model folder,
    the flyloop arm's options, the first round's day and the population's config."""

    args: argparse.Namespace
    folder: Path
    options: dict[str, Any]
    start_day: float
    config: PopulationConfig


@dataclass
class ArmRun:
    """One arm's figures: exact match after each round (round 0 first), each round's record, the
    users' feedback counted, its wall time and its wall time by phase."""

    accuracy: list[float]
    steps: list[dict[str, Any]]
    feedback: dict[str, int]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)


def prepare(args: argparse.Namespace) -> tuple[assistant_data.MathData, Population, list[list[Request]]]:
    """The questions, the population and its traffic, all from the seed (the same in every worker)."""
    from bench.flywheel.assistant import MathPopulation

    pool = args.pool or args.rounds * args.per_round
    data = assistant_data.load(
        args.seed, pool, args.heldout, args.modules, args.max_digits, args.plain, args.unsigned, args.golden
    )
    population = MathPopulation(PopulationConfig.from_args(args), args.seed)
    return data, population, population.traffic(data.train, args.rounds, args.per_round)


def make_arm(name: str, setup: Setup, base: BaseAnswers) -> Arm:
    args = setup.args
    train = {"steps": args.steps, "seed": args.seed, "max_length": args.max_length, "learning_rate": args.learning_rate}
    if name == "static":
        return StaticArm(base)
    if name == "naive":
        return NaiveArm(LocalModel(setup.folder, max_new_tokens=args.max_new_tokens), base, **train)
    if name == "oracle":
        return OracleArm(LocalModel(setup.folder, max_new_tokens=args.max_new_tokens), base, **train)
    return FlyloopArm(setup.folder, setup.options)


def run_arm(name: str, setup: Setup, base: BaseAnswers | None = None) -> ArmRun:
    """``name``'s rounds on the seeded traffic: held-out exact match before any traffic and after
    each round, each phase timed (:meth:`Arm.timed`)."""
    from bench.flywheel.assistant import step_words
    from bench.flywheel.run import round_record

    args, config = setup.args, setup.config
    data, population, traffic = prepare(args)
    started = time.perf_counter()
    if base is None:
        base = BaseAnswers(LocalModel(setup.folder, max_new_tokens=args.max_new_tokens))
    arm = make_arm(name, setup, base)
    counts: Counter[str] = Counter()

    def react(request: Request, answer: str) -> Reaction:
        reaction = population.react(request, answer)
        right = assistant_data.normalise(answer) == request.mail.label
        counts["right" if right else "wrong"] += 1
        counts["thumbs_up"] += reaction.thumbs == "up"
        counts["thumbs_down"] += reaction.thumbs == "down"
        if reaction.edit is not None:
            counts["edit" if reaction.edit == request.mail.label else "edit_wrong_label"] += 1
        return reaction

    pending: list[tuple[int, Request, float, float]] = []
    steps: list[dict[str, Any]] = []
    try:
        with arm.timed("held-out"):
            accuracy = [arm.accuracy(data.heldout)]
        print(f"[{name}] round 0: {accuracy[0]:.3f} ({time.perf_counter() - started:.0f}s)", flush=True)
        for r, batch in enumerate(traffic):
            day = setup.start_day + r * 86_400.0
            ts = [day + (i + 0.5) * 0.9 * 86_400.0 / len(batch) for i in range(len(batch))]
            with arm.timed("serve"):
                answers = arm.serve(batch, react, ts)
            for request, answer, at in zip(batch, answers, ts):
                outcome = population.react(request, answer).outcome
                if outcome is not None:
                    pending.append((r + config.outcome_delay, request, outcome, at + config.outcome_delay * 86_400.0))
            due = [(q, v, at) for d, q, v, at in pending if d <= r]
            pending = [p for p in pending if p[0] > r]
            with arm.timed("outcomes"):
                arm.outcomes(due)
            counts["outcomes"] += len(due)
            with arm.timed("improve"):
                step = arm.improve(r + 1)
            with arm.timed("held-out"):
                accuracy.append(arm.accuracy(data.heldout))
            steps.append(round_record(name, r + 1, accuracy[-1], step, started, step_words))
    finally:
        arm.close()
    phases = {k: round(v, 1) for k, v in sorted(arm.seconds.items())}
    print(f"[{name}] seconds by phase: {phases}", flush=True)
    return ArmRun(
        [round(a, 4) for a in accuracy],
        steps,
        dict(sorted(counts.items())),
        round(time.perf_counter() - started, 1),
        phases,
    )


def _worker_start(threads: int) -> None:
    import torch

    torch.set_num_threads(max(1, threads))


def run_arms(names: list[str], setup: Setup, workers: int) -> dict[str, ArmRun]:
    """Every arm in ``names``: one after another here (``workers`` 1, the base model's answers
    shared), else in ``workers`` spawned processes at once, the dearest arm first. In ``names``'
    order."""
    if workers <= 1 or len(names) == 1:
        base = BaseAnswers(LocalModel(setup.folder, max_new_tokens=setup.args.max_new_tokens))
        return {name: run_arm(name, setup, base) for name in names}
    ordered = sorted(names, key=lambda n: COST_ORDER.index(n) if n in COST_ORDER else len(COST_ORDER))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(names)),
        mp_context=context,
        initializer=_worker_start,
        initargs=(setup.args.threads,),
    ) as pool:
        futures = {name: pool.submit(run_arm, name, setup) for name in ordered}
        return {name: futures[name].result() for name in names}
