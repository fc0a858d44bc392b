"""The rounds of the triage track: every arm serves the same traffic, hears its users, improves,
and is measured on the held-out set after each round; then the table, the JSON, the plot.

Round 0 is the zero-shot policy before any traffic; round ``r`` is the production policy after
the ``r``-th batch of traffic and the improvement step that followed it. Simulated time: round
``r``'s traffic is stamped across day ``r`` (in the past: the run ends today), signals a minute
after their interaction, outcomes ``outcome_delay`` days after.

Reproducible: the seed fixes the users, the traffic and every reaction's dice, and in each
flyloop arm's store the project's keys (imported from the seed before the first event,
``flyloop.privacy.import_keys``: which users the split holds out is a keyed hash) and every
event's id (the SDK's ``id=``, :class:`bench.flywheel.seeded.SeededIds`: ids order dataset and
training rows). Two runs of one command give the same accuracies, round by round, for every arm.
What still differs between them: timings, the ids flyloop makes itself (evaluations, runs), and
the latencies each gate measures (its guardrail allows +50 ms; these policies answer in a
millisecond, so it never decides here). Simulated days end at the hour the run started.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from bench.common import RESULTS, write_result
from bench.flywheel import arms as arm_kinds
from bench.flywheel.data import TriageData, from_jsonl, spam_assassin
from bench.flywheel.diagnosis_report import diagnosis_lines, parity_lines
from bench.flywheel.flyloop_arm import FlyloopArm
from bench.flywheel.population import Population, PopulationConfig, Reaction, Request
from bench.policy_corpus import CACHE

EMBEDDINGS = CACHE / "flywheel" / "home" / "embeddings"  # shared by the harness and every flyloop arm
# flyloop-no-trust: the ablation of rater trust (the loop's dataset built with integrity off);
# flyloop-no-gates: the ablation of the evaluation gates (every candidate promoted past its gate).
ARMS = ("static", "naive", "flyloop", "flyloop-no-trust", "flyloop-no-gates", "oracle")
# flyloop-no-head: flyloop with the few-shot loop alone (the bank; no fine-tuned head), as runs before
# 2026-12-06 measured it; oracle-knn: the in-memory kNN vote over every true label (the ceiling those
# runs used: 0.911 at round 6, seed 7); flyloop-no-refit: the head served as measured, fitted on the
# train split alone (setting loops_finetune_head_refit off: the ablation of the refit on train and validation).
OPTIONAL_ARMS: tuple[str, ...] = ("flyloop-no-head", "flyloop-no-refit", "oracle-knn")
# The split every flyloop arm's datasets use by default. As shipped, a dataset holds out a tenth of
# the users and only their newest fifth of the traffic: with 200 simulated users that is under 10
# labelled eval cases a round, too few for any gate ("too few to judge"), and the wheel never
# turns (measured: 0.709 at every round, seed 7). A fifth of the users, all of their traffic (still
# user-disjoint: no eval user's example is trained on) gives the gates 38 to 154 cases.
DEFAULT_SEED = 7
SMALL_PRODUCT = {"splits": {"time_aware": False, "train": 0.7, "validation": 0.1, "eval": 0.2}}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bench/bench_flywheel.py",
        description="The flywheel benchmark (issue 15): arms side by side on simulated users.",
        epilog="example: python bench/bench_flywheel.py --track triage --rounds 6 --seed 7",
    )
    p.add_argument(
        "--track",
        default="triage",
        choices=["triage", "assistant"],
        help="triage, or assistant (its own flags: --track assistant --help)",
    )
    p.add_argument("--rounds", type=int, default=6, help="rounds of traffic (default 6)")
    p.add_argument("--per-round", type=int, default=0, help="requests per round (default: the pool split evenly)")
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"seeds the users, the traffic and their dice (default {DEFAULT_SEED}; another seed's run writes "
        "bench/results/flywheel_triage_seedN.json, a line in the default run's section)",
    )
    p.add_argument("--dataset", help="a labelled JSONL file (text, label; optional split, ts) instead of SpamAssassin")
    p.add_argument("--descriptions", help="a JSON file: label -> description, for round 0 with --dataset")
    p.add_argument("--heldout", type=int, default=2000, help="held-out mails measured (default 2000)")
    p.add_argument(
        "--arms",
        default=",".join(ARMS),
        help=f"comma-separated, of {', '.join(ARMS + OPTIONAL_ARMS)} (default {','.join(ARMS)})",
    )
    p.add_argument(
        "--dataset-config",
        default=json.dumps(SMALL_PRODUCT),
        help="a JSON object of curation options every flyloop arm builds its datasets with, or 'none' for the "
        f"loops' own refresh (flyloop as shipped); default {json.dumps(SMALL_PRODUCT)} (see SMALL_PRODUCT)",
    )
    p.add_argument("--no-write", action="store_true", help="print only: no JSON, plot or BENCHMARKS.md")
    p.add_argument("--prepare", action="store_true", help="only fill the embedding cache (every mail), then stop")
    PopulationConfig.add_flags(p)
    return p


def load(args: argparse.Namespace) -> TriageData:
    if args.dataset:
        descriptions = json.loads(Path(args.descriptions).read_text()) if args.descriptions else None
        return from_jsonl(args.dataset, heldout_size=args.heldout, descriptions=descriptions)
    return spam_assassin(heldout_size=args.heldout)


def embed_all(embedder: Any, texts: list[str], chunk: int = 256) -> np.ndarray:
    """Every text's vector, through the cache, with progress for what is not cached yet."""
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    started = time.perf_counter()
    for start in range(0, len(texts), chunk):
        out[start : start + chunk] = embedder.embed(texts[start : start + chunk])
        if embedder.embedded and (start // chunk) % 4 == 3:
            print(
                f"  embedded {min(start + chunk, len(texts))}/{len(texts)} in {time.perf_counter() - started:.0f}s",
                flush=True,
            )
    return out


def prepare(data: TriageData, embedder: Any) -> None:
    """Fill the embedding cache with every text a run can embed: each mail of the pool and the
    held-out set, and each pool mail as flyloop stores it (its privacy gate redacts addresses and
    the like before a bank embeds the stored text). Interrupted, it keeps what it embedded."""
    import tempfile

    import flyloop

    embed_all(embedder, [m.text for m in data.train] + [m.text for m in data.heldout])
    with tempfile.TemporaryDirectory() as home:
        fw = flyloop.Flywheel(home=home, database_url=f"sqlite:///{home}/redact.db", project="bench")
        try:
            redacted = [fw.privacy.redact(m.text)["text"] for m in data.train]
        finally:
            fw.close()
    embed_all(embedder, redacted)
    print(f"cache ready: {embedder.stats()}", flush=True)


def make_arm(
    name: str,
    data: TriageData,
    prototypes: arm_kinds.Prototypes,
    config: dict[str, Any] | None = None,
    seed: int = 7,
) -> arm_kinds.Arm:
    if name == "static":
        return arm_kinds.StaticArm(prototypes)
    if name == "naive":
        return arm_kinds.NaiveArm(prototypes, heads=True)
    if name == "oracle-knn":
        return arm_kinds.OracleArm(prototypes)
    flyloop_arms: dict[str, dict[str, Any]] = {
        "flyloop": {},
        "flyloop-no-head": {"heads": False},
        "flyloop-no-gates": {"rule": "any"},
        "flyloop-no-refit": {"settings": {"loops_finetune_head_refit": False}},
        "flyloop-no-trust": {"dataset_config": {**(config or {}), "integrity": {"enabled": False}}},
        "oracle": {"truth": True, "rule": "gain"},
    }
    if name in flyloop_arms:
        options: dict[str, Any] = {"dataset_config": config, **flyloop_arms[name]}
        return FlyloopArm(data.labels, prototypes, EMBEDDINGS, name=name, seed=seed, **options)
    raise SystemExit(f"unknown arm {name!r}: one of {', '.join(ARMS + OPTIONAL_ARMS)}")


Pending = list[tuple[int, Request, float, float]]  # (due round, request, outcome value, its timestamp)


def serve_round(
    arm: Any, population: Any, batch: list[Request], vectors: Any, react: Any, r: int, base: float, delay: int,
    pending: Pending,
) -> tuple[list[tuple[Request, float, float]], Pending]:  # fmt: skip
    """Round ``r``'s traffic through ``arm`` over most of that day, each request's outcome queued
    ``delay`` rounds later: the outcomes due now and those still pending."""
    day = base + r * arm_kinds.DAY
    ts = [day + (i + 0.5) * 0.9 * arm_kinds.DAY / len(batch) for i in range(len(batch))]
    answers = arm.serve(batch, vectors, react, ts)
    for request, answer, at in zip(batch, answers, ts):
        reaction = population.react(request, answer)
        if reaction.outcome is not None:
            pending.append((r + delay, request, reaction.outcome, at + delay * arm_kinds.DAY))
    return [(q, v, at) for d, q, v, at in pending if d <= r], [p for p in pending if p[0] > r]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    track = argparse.ArgumentParser(add_help=False)
    track.add_argument("--track", default="triage")
    if track.parse_known_args(argv)[0].track == "assistant":  # its own flags: bench/flywheel/assistant.py
        from bench.flywheel.assistant import main as assistant

        return assistant(argv)
    args = parser().parse_args(argv)
    started = time.perf_counter()
    load_at_start = os.getloadavg()
    names = [a.strip() for a in args.arms.split(",") if a.strip()]
    if args.rounds < 1:
        raise SystemExit("--rounds must be 1 or more")
    config = PopulationConfig.from_args(args)
    data = load(args)
    print(data.summary(), flush=True)
    per_round = args.per_round or len(data.train) // args.rounds
    if per_round * args.rounds > len(data.train):
        raise SystemExit(
            f"{args.rounds} rounds of {per_round} need {per_round * args.rounds} mails; the pool has {len(data.train)}"
        )

    from flyloop.improve import embedder as make_embedder

    embedder = make_embedder("minilm-int8", home=EMBEDDINGS.parent, capacity=len(data.train) + len(data.heldout) + 100)
    if args.prepare:
        prepare(data, embedder)
        return {}
    population = Population(config, data.labels, args.seed)
    traffic = population.traffic(data.train, args.rounds, per_round)
    print(f"population: {population.kinds()}; {args.rounds} rounds of {per_round} requests", flush=True)
    t0 = time.perf_counter()
    flat = [request for batch in traffic for request in batch]
    request_vectors = embed_all(embedder, [r.mail.text for r in flat])
    heldout_vectors = embed_all(embedder, [m.text for m in data.heldout])
    print(f"embeddings ready in {time.perf_counter() - t0:.0f}s ({embedder.stats()})", flush=True)

    prototypes = arm_kinds.Prototypes(embedder, data.descriptions)
    now = math.floor(time.time() / 3600) * 3600
    base = now - (args.rounds + config.outcome_delay + 2) * arm_kinds.DAY

    rounds: dict[str, list[float]] = {}
    steps: dict[str, list[dict[str, Any]]] = {}
    feedback: dict[str, Counter[str]] = {}
    seconds: dict[str, float] = {}
    for name in names:
        arm_started = time.perf_counter()
        built_with = None if args.dataset_config.strip().lower() == "none" else json.loads(args.dataset_config)
        arm = make_arm(name, data, prototypes, built_with, seed=args.seed)
        counts: Counter[str] = Counter()
        pending: list[tuple[int, Request, float, float]] = []  # (due round, request, value, ts)

        def react(request: Request, answer: str, counts: Counter[str] = counts) -> Reaction:
            reaction = population.react(request, answer)
            counts["right" if answer == request.mail.label else "wrong"] += 1
            for kind, happened in (("thumbs_up", reaction.thumbs == "up"), ("thumbs_down", reaction.thumbs == "down")):
                counts[kind] += happened
            if reaction.edit is not None:
                counts["edit" if reaction.edit == request.mail.label else "edit_wrong_label"] += 1
            return reaction

        try:
            accuracy = [arm.accuracy(data.heldout, heldout_vectors)]
            arm_steps: list[dict[str, Any]] = []
            print(f"[{name}] round 0: {accuracy[0]:.3f}", flush=True)
            for r, batch in enumerate(traffic):
                vectors = request_vectors[r * per_round : r * per_round + len(batch)]
                delay = config.outcome_delay
                due, pending = serve_round(arm, population, batch, vectors, react, r, base, delay, pending)
                arm.outcomes(due)
                counts["outcomes"] += len(due)
                step = arm.improve(r + 1)
                accuracy.append(arm.accuracy(data.heldout, heldout_vectors))
                arm_steps.append(round_record(name, r + 1, accuracy[-1], step, arm_started, step_words))
                if getattr(arm, "as_sent", None) is not None:  # a flyloop head: the same head without its redaction
                    arm_steps[-1]["as_sent"] = round(arm.as_sent, 4)  # type: ignore[attr-defined]
                    print(f"    the same head asked the mails as sent (redaction off): {arm_steps[-1]['as_sent']:.3f}")
        finally:
            arm.close()
        rounds[name] = [round(a, 4) for a in accuracy]
        steps[name] = arm_steps
        feedback[name] = counts
        seconds[name] = round(time.perf_counter() - arm_started, 1)

    minutes = (time.perf_counter() - started) / 60
    figures = summarise(rounds, minutes)
    figures |= {
        "rounds": rounds,
        "steps": steps,
        "feedback": {name: dict(sorted(c.items())) for name, c in feedback.items()},
        "arm_seconds": seconds,
        "data": data.summary(),
        "population": {**vars(config), "kinds": population.kinds()},
        "per_round": per_round,
        "seed": args.seed,
        "dataset_config": args.dataset_config,
        # The machine's 1/5/15-minute load averages as the run began and ended (2 cores, shared).
        "load": {"start": [round(x, 2) for x in load_at_start], "end": [round(x, 2) for x in os.getloadavg()]},
    }
    table = markdown_table(rounds)
    print(table)
    print(
        json.dumps(
            {
                k: figures[k]
                for k in ("lift_points", "beat_naive_points", "share_of_oracle", "worst_round_drop_points", "minutes")
            }
        )
    )
    if not args.no_write:
        name = "flywheel_triage" if not args.dataset else f"flywheel_{Path(args.dataset).stem}"
        if args.seed != DEFAULT_SEED:
            # Another seed's run: its JSON beside the default's; the default run's section lists it.
            write_seed_result(name, args.seed, figures)
        else:
            plotted = plot(rounds, RESULTS / f"{name}.png")
            write_result(name, figures, describe(figures, table, plotted, name))
    return figures


def write_seed_result(name: str, seed: int, figures: dict[str, Any]) -> Path:
    """``bench/results/NAME_seedN.json``: a run of another seed than the default, with the command
    and the time it ran (the default run's section gives it a line)."""
    path = RESULTS / f"{name}_seed{seed}.json"
    payload = {
        **figures,
        "_command": "python bench/bench_flywheel.py " + " ".join(sys.argv[1:]),
        "_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    print(f"wrote {path.relative_to(RESULTS.parent.parent)} (seed {seed}: a line in the default run's section)")
    return path


def seed_lines(name: str, results: Path = RESULTS) -> list[str]:
    """A line per other seed's run found beside the default's JSON (``NAME_seedN.json``)."""
    lines = []
    found = sorted(results.glob(f"{name}_seed*.json"), key=lambda p: int(p.stem.rsplit("seed", 1)[1]))
    for path in found:
        f = json.loads(path.read_text())
        fly = f["rounds"].get("flyloop") or []
        curve = " -> ".join(f"{a:.3f}" for a in fly)
        lines.append(
            f"- seed {f['seed']} (`{f['_command']}`, {f['_at']}): flyloop {curve}; lift {f['lift_points']} points, "
            f"beat naive {f['beat_naive_points']} (oracle over naive {f.get('oracle_over_naive_points')}), share of "
            f"oracle {f['share_of_oracle']}, worst drop {f['worst_round_drop_points']} points, {f['minutes']} minutes"
            f"{load_words(f)}{as_sent_words(f)}."
        )
    return lines


def as_sent_words(figures: dict[str, Any], arm: str = "flyloop") -> str:
    """The last round's served head beside the same head asked the mails as sent (its input
    redaction off), where the run measured it."""
    steps = figures.get("steps", {}).get(arm) or []
    if not steps or "as_sent" not in steps[-1]:
        return ""
    served = figures["rounds"][arm][-1]
    return (
        f"; its round-{steps[-1]['round']} head {served:.3f} redacting the held-out mails as its training texts "
        f"were, {steps[-1]['as_sent']:.3f} asked them as sent (the same head, redaction off)"
    )


def round_record(
    name: str, number: int, accuracy: float, step: Any, started: float, words: Callable[[dict[str, Any]], str]
) -> dict[str, Any]:
    """Print how an arm's round went (its measure, what it did, each loop's notes in ``words``)
    and return the round's record for the JSON; both tracks report their rounds here."""
    print(
        f"[{name}] round {number}: {accuracy:.3f} ({step.action} {step.version or ''}) "
        f"{time.perf_counter() - started:.0f}s",
        flush=True,
    )
    for kind, n in step.notes.items():
        if isinstance(n, dict):
            print(f"    {kind}: {words(n)}", flush=True)
    return {"round": number, "action": step.action, "version": step.version, **step.notes}


def summarise(rounds: dict[str, list[float]], minutes: float) -> dict[str, Any]:
    """The issue's headline keys (None where an arm they need did not run)."""
    fly = rounds.get("flyloop")
    naive, oracle = rounds.get("naive"), rounds.get("oracle")
    out: dict[str, Any] = {"minutes": round(minutes, 2)}
    out["lift_points"] = round((fly[-1] - fly[0]) * 100, 2) if fly else None
    out["beat_naive_points"] = round((fly[-1] - naive[-1]) * 100, 2) if fly and naive else None
    out["share_of_oracle"] = round(fly[-1] / oracle[-1], 4) if fly and oracle and oracle[-1] else None
    # The most any arm can beat naive by: the ceiling's own lead over it at the final round.
    out["oracle_over_naive_points"] = round((oracle[-1] - naive[-1]) * 100, 2) if oracle and naive else None
    out["worst_round_drop_points"] = (
        round(max([0.0] + [(a - b) * 100 for a, b in zip(fly, fly[1:])]), 2) if fly else None
    )
    return out


def markdown_table(rounds: dict[str, list[float]]) -> str:
    names = list(rounds)
    n = max(len(v) for v in rounds.values())
    lines = ["| round | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for r in range(n):
        lines.append(f"| {r} | " + " | ".join(f"{rounds[a][r]:.3f}" for a in names) + " |")
    return "\n".join(lines)


def plot(
    rounds: dict[str, list[float]],
    path: Path,
    *,
    ylabel: str = "held-out accuracy",
    title: str = "Triage flywheel: held-out accuracy by round",
) -> bool:
    """The curves as a PNG, when matplotlib is installed (the dev extra); both tracks draw here."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install 'flyloop[dev]')")
        return False
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    for name, values in rounds.items():
        ax.plot(range(len(values)), values, marker="o", label=name)
    ax.set_xlabel("round")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    print(f"wrote {path}")
    return True


TARGETS = (
    ("lift_points", ">=", 20.0),
    ("share_of_oracle", ">=", 0.95),
    ("beat_naive_points", ">=", 5.0),
    ("worst_round_drop_points", "<=", 1.0),
    ("minutes", "<", 15.0),
)


def load_words(figures: dict[str, Any]) -> str:
    """`` (load average 1.2 at the start, 2.3 at the end)`` from a run's ``load``, else nothing."""
    load = figures.get("load")
    if not load:
        return ""
    return f" (load average {load['start'][0]} at the start, {load['end'][0]} at the end)"


def targets(figures: dict[str, Any]) -> str:
    """Each headline figure against issue 15's number, met or missed."""
    out = []
    for key, op, bound in TARGETS:
        value = figures.get(key)
        if value is None:
            out.append(f"{key} not measured")
            continue
        met = value >= bound if op == ">=" else value <= bound if op == "<=" else value < bound
        words = f"{key} {value} (target {op} {bound:g}: {'met' if met else 'missed'})"
        ceiling = figures.get("oracle_over_naive_points")
        if key == "beat_naive_points" and not met and ceiling is not None and ceiling < bound:
            words += f"; the oracle itself beats naive by {ceiling} points here, so no arm could meet it"
        out.append(words)
    return "; ".join(out)


def feedback_table(feedback: dict[str, dict[str, int]]) -> str:
    """What each arm's users did over the run (the same users and dice; the answers differ)."""
    columns = ("right", "wrong", "thumbs_up", "thumbs_down", "edit", "edit_wrong_label", "outcomes")
    lines = ["| arm | " + " | ".join(c.replace("_", " ") for c in columns) + " |", "|---|" + "---:|" * len(columns)]
    for arm, counts in feedback.items():
        lines.append(f"| {arm} | " + " | ".join(str(counts.get(c, 0)) for c in columns) + " |")
    return "\n".join(lines)


def step_words(n: dict[str, Any]) -> str:
    """One candidate's line: what made it, then its evaluation and gate (or why there was none);
    or the harness's audit of the eval split's references."""
    if "eval_cases" in n:
        kinds = ", ".join(f"{k} {v['cases']} ({100 * v['right']:.0f}%)" for k, v in n["by_kind"].items())
        right, weighed = n.get("references_right"), n.get("references_right_quality_weighted")
        if right is None:
            return "the eval split holds no served case"
        return (
            f"{n['eval_cases']} eval cases, references right {100 * right:.1f}% "
            f"(weighed by quality {100 * (weighed or 0):.1f}%); by who gave them: {kinds}"
        )
    made = f"bank {n['bank']} of {n['bank_size']} examples" if n.get("bank") else ""
    if n.get("artifact"):
        made = f"head {n['artifact']} (validation {n.get('validation_accuracy')}, kNN {n.get('knn_accuracy')})"
    if "gate" not in n:
        return f"{made}: no candidate ({n.get('why', '')})" if made else f"no candidate ({n.get('why', '')})"
    verdict = "promoted" if n.get("promoted") else "passed, not promoted" if n.get("passed") else "rejected"
    truth = n.get("truth_gain")
    check = f" (on the same cases' true labels: {100 * truth:+.1f} points)" if truth is not None else ""
    return f"{made}; evaluation {n.get('evaluation')} on {n.get('cases')} held-out cases: {verdict}: {n['gate']}{check}"


def gate_reading(arm_steps: list[dict[str, Any]]) -> str:
    """What the harness's checks say of an arm's gates: how right the eval split's references were
    (the audit) and how the verdicts compare with the same cases' true labels (``truth_gain``)."""
    audits = [s["audit"] for s in arm_steps if isinstance(s.get("audit"), dict) and s["audit"].get("references_right")]
    judged = [n for s in arm_steps for n in s.values() if isinstance(n, dict) and n.get("evaluation")]
    checked = [n for n in judged if n.get("truth_gain") is not None]
    if not checked:
        return "no candidate was evaluated"
    passed = [n for n in checked if n.get("passed")]
    rejected = [n for n in checked if not n.get("passed")]
    missed = [n for n in rejected if n["truth_gain"] > 0.01]
    losses = [n for n in passed if n["truth_gain"] < 0]
    words = []
    if audits:
        right = [a["references_right"] for a in audits]
        weighed = [a.get("references_right_quality_weighted") or 0.0 for a in audits]
        words.append(
            f"the eval split's references were the true label for {100 * min(right):.1f}-{100 * max(right):.1f}% "
            f"of its cases round by round ({100 * min(weighed):.1f}-{100 * max(weighed):.1f}% weighed by quality)"
        )
    words.append(
        f"of {len(checked)} candidates evaluated, the gate passed {len(passed)} (on the same cases' true labels "
        f"{len(losses)} of them lost accuracy) and rejected {len(rejected)} ({len(missed)} of them gained more than "
        "1 point on those true labels)"
    )
    return "; ".join(words)


def describe(figures: dict[str, Any], table: str, plotted: bool, name: str) -> str:
    p = figures["population"]
    flow = [n for s in figures["steps"].get("flyloop") or [] for n in s.values() if isinstance(n, dict)]
    how = sorted({n.get("promoted_by") for n in flow if n.get("promoted_by")})
    lines = [
        f"{figures['data']}; {p['users']} simulated users ({p['kinds']}), {figures['per_round']} requests per round, "
        f"seed {figures['seed']}; flyloop's datasets built with {figures.get('dataset_config')} (see "
        "SMALL_PRODUCT in bench/flywheel/run.py). Held-out accuracy by round (round 0: label-description "
        "prototypes, before any traffic):",
        "",
        table,
        "",
        f"- lift over round 0 (flyloop): {figures['lift_points']} points; beat naive by {figures['beat_naive_points']} "
        f"points; share of oracle {figures['share_of_oracle']}; worst round-to-round drop "
        f"{figures['worst_round_drop_points']} points; {figures['minutes']} minutes{load_words(figures)}"
        f"{as_sent_words(figures)}.",
        f"- issue 15's targets: {targets(figures)}.",
        f"- flyloop promotes through: {', '.join(how) or 'nothing promoted'}.",
        f"- flyloop's gates, checked by the harness: {gate_reading(figures['steps'].get('flyloop') or [])}. "
        "The gates judge on the eval split of the traffic (the pool's mix); the held-out mails are a later "
        "period with another mix, so a verdict right on the traffic can still move held-out accuracy either way. "
        'A gate may weigh each eval case by its label\'s curated quality (`GateConfig(references="quality")`); '
        "the default gate, as shipped, judges here.",
    ]
    others = seed_lines(name)
    if others:
        lines += ["", "The same run with other seeds (each its own users, traffic and dice):", "", *others]
    diagnosis = diagnosis_lines(name)
    if diagnosis:
        lines += ["", *diagnosis]
    lines += parity_lines(name)
    lines += ["", feedback_table(figures["feedback"]), ""]
    for arm, arm_steps in figures["steps"].items():
        if not arm.startswith("flyloop") and arm != "oracle":
            continue
        lines.append(f"- {arm}'s versions, round by round (each candidate, its evaluation and its gate's words):")
        for s in arm_steps:
            lines.append(f"  - round {s['round']}: {s['action']} {s['version'] or ''}")
            for kind, n in s.items():
                if isinstance(n, dict):
                    lines.append(f"    - {kind}: {step_words(n)}")
    if plotted:
        lines.append(f"\n![curves](bench/results/{name}.png)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
