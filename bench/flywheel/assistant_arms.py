"""The arms of the assistant track: the small instruct model answering arithmetic questions.

- :class:`StaticArm`: the base model forever (SmolLM2-135M-Instruct, system prompt
  :data:`~bench.flywheel.assistant_model.SYSTEM`);
- :class:`NaiveArm`: every thumbs-up answer (as the model wrote it) and every user edit go
  straight into SFT training, nothing filtered; each round's adapter is shipped unchecked;
- :class:`OracleArm`: the same training on the true answer of every interaction seen so far;
- :class:`FlyloopArm`: flyloop, driven only through its public interfaces.

The first three drive transformers directly (:mod:`bench.flywheel.assistant_model`), batched.

The flyloop arm, per request: ``policy = fw.policy(W, user_id=u)``, its answer (as
``policy.generate(q)`` gives it, but batched: ``policy.messages(q)`` through the version's backend's
``generate_batch``, as a product that batches its model calls would), ``it = policy.log(q, out,
ts=...)``, the user's signals (``it.thumbs_up()``, ``it.thumbs_down()``,
``it.edit(text)``) and, rounds later, the outcome (``fw.outcome(...)``). After the round:
``fw.flush()``, one dataset version (``fw.datasets.build``: sft, preference, kto and eval rows,
user-disjoint splits), then the loops through ``fw.loops.run``: few-shot (loop 2), LoRA SFT and a
preference method (DPO or KTO; loop 3), and prompt refinement (loop 1) when given a budget. Each
candidate is evaluated against production on the eval split of that version
(``fw.evaluations.run``: the users' corrections and accepted answers are the references, never
the harness's truth) and promoted with ``fw.versions.promote`` only when it passed its gate.

With a golden set (``--golden N``, the default 100): before round 1 the arm adds N questions a
person would curate, generated like the traffic's but disjoint from it and from the held-out set,
with their answers (``fw.golden.add(GOLDEN, W, [{"input", "expected"}])``). Each candidate is then
evaluated twice against production, on the golden set (``fw.evaluations.run(W, v, golden=GOLDEN)``)
and on the eval split as before, both judged by the product's gate, and the rule
(:func:`decide`) is:

- **promote** when the golden evaluation passed its gate (exact match's 95% interval of the
  paired difference above zero, over the golden cases, each its own cluster; the guardrails held)
  **and** the eval split shows no regression beyond its interval: the upper bound of exact match's
  interval on the eval split is not below zero. An eval split too small to judge (too few cases or
  users, no interval) shows no regression and does not block: that smallness is why the golden set
  is there; its gate's own verdict (usually "too few to judge") is recorded beside.
- **reject** when the golden gate failed (its reason recorded), or when the eval split's whole
  interval lies below zero (the production cases say the candidate is worse).

Without a golden set (``--golden 0``) the eval split's gate alone decides, as before.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from abc import ABC, abstractmethod
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.flywheel.arms import Step
from bench.flywheel.assistant_data import normalise
from bench.flywheel.assistant_model import SYSTEM, LocalModel
from bench.flywheel.data import Mail
from bench.flywheel.flyloop_arm import send_reaction
from bench.flywheel.population import Reaction, Request
from bench.flywheel.seeded import SeededIds, open_seeded

WORKLOAD = "arithmetic"
GOLDEN = "arithmetic-golden"  # the golden set's name in the flyloop arm's project
DAY = 86_400.0
# The gate of the product (set through fw.evaluations.set_gate): flyloop's default for generation
# minus its length guardrail. The product asks for the number alone, so an answer a tenth as long
# as the base model's sentence ("To add 68 + -37, ...") is the improvement, not a regression.
# (The default's length guardrail was 0.5..1.5x and refused every candidate that learned the
# format; since 2026-12-06 it guards only growth where the primary is exact match, so this gate
# differs from the default by that growth bound alone: answers are capped at a few tokens anyway.)
PRODUCT_GATE: dict[str, Any] = {
    "primary": "exact_match",
    "guardrails": [
        {"metric": "refusal_rate", "bound": "difference", "high": 0.01},
        {"metric": "latency_p95", "bound": "ratio", "high": 1.2, "slack": 50.0},
        {"metric": "cost", "bound": "ratio", "high": 1.2},
    ],
}


def product_gate(min_eval_users: int = 10) -> dict[str, Any]:
    """:data:`PRODUCT_GATE` needing ``min_eval_users`` users with a reference (``min_clusters``)."""
    return {**PRODUCT_GATE, "min_clusters": min_eval_users}


def share_right(answers: list[str], questions: list[Mail]) -> float:
    return sum(normalise(a) == normalise(q.label) for a, q in zip(answers, questions)) / max(1, len(questions))


class Arm(ABC):
    """``serve`` a round, ``improve`` after it, ``accuracy`` (exact match) on the held-out set.
    ``seconds``: wall time by phase (the harness times serve, outcomes, improve and held-out; an
    arm may split its own improve: flyloop's dataset build, each loop, each evaluation)."""

    name = "arm"
    seconds: Counter[str]

    @contextmanager
    def timed(self, phase: str) -> Any:
        """Add the block's wall time to ``seconds[phase]``."""
        if not hasattr(self, "seconds"):
            self.seconds = Counter()
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] += time.perf_counter() - started

    @abstractmethod
    def serve(self, requests: list[Request], react: Any, ts: list[float]) -> list[str]:
        """Answer a round's requests, calling ``react(request, answer)`` for each; the answers."""

    def outcomes(self, due: list[tuple[Request, float, float]]) -> None:  # noqa: B027 (a hook)
        """Outcomes arriving now: (request, value, ts). Only flyloop reads them."""

    @abstractmethod
    def improve(self, round: int) -> Step:
        """What the arm does between rounds."""

    @abstractmethod
    def accuracy(self, heldout: list[Mail]) -> float:
        """The share of held-out questions answered exactly right now."""

    def close(self) -> None:  # noqa: B027 (a hook)
        """Release what the arm holds."""


class BaseAnswers:
    """The base model's answers, computed once per question (greedy: the same every time), shared
    by the static arm and by every local arm before its first adapter."""

    def __init__(self, model: LocalModel) -> None:
        self.model = model
        self.known: dict[str, str] = {}

    def answer(self, questions: list[str]) -> list[str]:
        missing = sorted({q for q in questions if q not in self.known})
        if missing:
            was = self.model.model
            self.model.model = self.model.base
            try:
                self.known.update(zip(missing, self.model.answer(missing)))
            finally:
                self.model.model = was
        return [self.known[q] for q in questions]


class StaticArm(Arm):
    name = "static"

    def __init__(self, base: BaseAnswers) -> None:
        self.base = base

    def serve(self, requests: list[Request], react: Any, ts: list[float]) -> list[str]:
        answers = self.base.answer([r.mail.text for r in requests])
        for request, answer in zip(requests, answers):
            react(request, answer)
        return answers

    def improve(self, round: int) -> Step:
        return Step("kept", "base", {"why": "the static arm never changes"})

    def accuracy(self, heldout: list[Mail]) -> float:
        return share_right(self.base.answer([q.text for q in heldout]), heldout)


class TrainedArm(Arm):
    """naive and oracle: rows gathered by the arm's rule; after each round a fresh adapter on
    everything gathered so far, shipped without a check."""

    def __init__(
        self,
        model: LocalModel,
        base: BaseAnswers,
        *,
        steps: int,
        seed: int,
        max_length: int,
        learning_rate: float | None = None,
    ) -> None:
        self.model = model
        self.base = base
        self.steps, self.seed, self.max_length, self.learning_rate = steps, seed, max_length, learning_rate
        self.rows: list[tuple[str, str]] = []
        self.trained = False

    def _answers(self, questions: list[str]) -> list[str]:
        return self.model.answer(questions) if self.trained else self.base.answer(questions)

    @abstractmethod
    def collect(self, request: Request, answer: str, reaction: Reaction) -> None:
        """Keep (or not) a served request as a training row, by the arm's rule."""

    def serve(self, requests: list[Request], react: Any, ts: list[float]) -> list[str]:
        answers = self._answers([r.mail.text for r in requests])
        for request, answer in zip(requests, answers):
            self.collect(request, answer, react(request, answer))
        return answers

    def improve(self, round: int) -> Step:
        if not self.rows:
            return Step("skipped", None, {"why": "no training rows yet"})
        figures = self.model.train(
            self.rows, steps=self.steps, seed=self.seed, max_length=self.max_length, learning_rate=self.learning_rate
        )
        self.trained = True
        return Step("promoted", self.model.version, figures)

    def accuracy(self, heldout: list[Mail]) -> float:
        return share_right(self._answers([q.text for q in heldout]), heldout)


class NaiveArm(TrainedArm):
    name = "naive"

    def collect(self, request: Request, answer: str, reaction: Reaction) -> None:
        if reaction.edit is not None:
            self.rows.append((request.mail.text, reaction.edit))
        elif reaction.thumbs == "up":
            self.rows.append((request.mail.text, answer))


class OracleArm(TrainedArm):
    name = "oracle"

    def collect(self, request: Request, answer: str, reaction: Reaction) -> None:
        self.rows.append((request.mail.text, request.mail.label))


# --- flyloop ------------------------------------------------------------------------------------------


def primary_interval(gate: dict[str, Any] | None) -> tuple[float | None, float | None]:
    """The primary check's interval (low, high) of a stored evaluation's gate (None where the gate
    formed none: too few cases or users, no gate)."""
    for check in (gate or {}).get("checks") or []:
        if check.get("kind") == "primary":
            return check.get("low"), check.get("high")
    return None, None


def decide(golden: dict[str, Any] | None, split: dict[str, Any]) -> tuple[bool, str]:
    """The flyloop arm's promotion rule (module docstring): ``golden`` and ``split`` are the notes
    of a candidate's two evaluations (``passed``; ``high``, the upper bound of the primary's
    interval, None when none formed); ``golden`` None: no golden set, the eval split's gate alone.
    Returns (promote, why)."""
    if golden is None:
        return bool(split.get("passed")), "eval split gate " + ("passed" if split.get("passed") else "failed")
    if not golden.get("passed"):
        return False, "golden gate failed"
    high = split.get("high")
    if high is not None and high < 0:
        return (
            False,
            f"golden gate passed, but the eval split shows a regression (upper bound {100 * high:+.1f} points)",
        )
    if high is None:
        return True, "golden gate passed; the eval split formed no interval (too small to show a regression)"
    return True, f"golden gate passed; no regression on the eval split (upper bound {100 * high:+.1f} points)"


def golden_cases(questions: list[Mail]) -> list[dict[str, str]]:
    """The golden set's cases as ``fw.golden.add`` takes them: the question and its answer."""
    return [{"input": q.text, "expected": q.label} for q in questions]


def curation(manifest: dict[str, Any]) -> dict[str, Any]:
    """What a dataset version's manifest says of the feedback behind it: the verdicts curation
    reached (``correction_unvouched``: a correction held back until the rater has a record) and
    the raters integrity flagged."""
    integrity = manifest.get("integrity") or {}
    return {
        "verdicts": {k: v for k, v in (manifest.get("verdicts") or {}).items() if v},
        "flagged": {k: integrity.get(k, 0) for k in ("habitual", "adversarial")},
    }


class FlyloopArm(Arm):
    """flyloop through its public interfaces (module docstring); a temporary home and store."""

    name = "flyloop"

    def __init__(self, model_folder: Path, options: dict[str, Any]) -> None:
        import flyloop

        self.options = options
        self.folder = tempfile.TemporaryDirectory(prefix="flywheel-assistant-")
        home = Path(self.folder.name)
        database_url = f"sqlite:///{home / 'flyloop.db'}"
        # The store's keys from the seed (as the triage track): which users the split holds out is
        # a keyed hash, so a random key moved the eval split, and the figures, between runs.
        open_seeded(database_url, "bench", options["seed"])
        self.new_id = SeededIds(options["seed"])  # event ids from the seed too (see SeededIds)
        # policy_ttl_s=0: a round is a day compressed into seconds; the client sees a promotion at once.
        self.fw = flyloop.Flywheel(home=str(home), database_url=database_url, project="bench", policy_ttl_s=0.0)
        self.fw.workloads.declare(WORKLOAD, type="generation", description="arithmetic questions, number answers")
        if options["gate"] == "product":
            self.fw.evaluations.set_gate(product_gate(options["min_eval_users"]))
        base = self.fw.policies.register(
            {
                "workload": WORKLOAD,
                "backend": "transformers",
                "model": str(model_folder),
                "system_prompt": SYSTEM,
                "params": {"max_tokens": options["max_new_tokens"]},
            },
            note="round 0: the base model, before any traffic",
        )
        self.fw.versions.promote(base.id, reason="round 0: the base model, before any traffic")
        self.production = base.id
        self.ids: dict[int, str] = {}
        self.measured: dict[str, float] = {}  # held-out exact match by production version
        golden: list[Mail] = options.get("golden") or []
        # Added once, before any traffic: a person's set does not grow with the rounds.
        self.golden = GOLDEN if golden else None
        self.golden_size = self.fw.golden.add(GOLDEN, WORKLOAD, golden_cases(golden)) if golden else 0

    def serve(self, requests: list[Request], react: Any, ts: list[float]) -> list[str]:
        """The round's requests as a product that batches its model calls serves them: each user's
        policy (``fw.policy``) and the messages it would send (``policy.messages``: its system
        prompt, its bank's examples, remembered for ``policy.log``), answered through the
        version's backend in batches of its ``batch_size`` (greedy: the answers
        ``policy.generate`` gives one by one), then logged with the answer (its latency the
        batch's share) and the user's reaction, in order."""
        from flyloop.improve import backend_for, generation_params

        policies = [self.fw.policy(WORKLOAD, user_id=request.user.id) for request in requests]
        messages = [policy.messages(request.mail.text) for policy, request in zip(policies, requests)]
        outs: list[Any] = [None] * len(requests)
        by_version: dict[str, list[int]] = {}
        for i, policy in enumerate(policies):
            by_version.setdefault(policy.version.id, []).append(i)
        for rows in by_version.values():
            version = policies[rows[0]].version
            backend = backend_for(version, self.fw.settings)
            size = max(1, int(getattr(backend, "batch_size", 1)))
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                generated = backend.generate_batch([messages[i] for i in chunk], **generation_params(version))
                for i, out in zip(chunk, generated):
                    outs[i] = dataclasses.replace(out, latency_ms=out.latency_ms / len(chunk))
        answers = []
        for request, at, policy, out in zip(requests, ts, policies, outs):
            it = policy.log(request.mail.text, out, ts=at, id=self.new_id())
            self.ids[request.position] = it.id
            answer = str(out.text)
            send_reaction(it, react(request, answer), request.user.id, at, self.new_id)
            answers.append(answer)
        return answers

    def outcomes(self, due: list[tuple[Request, float, float]]) -> None:
        for request, value, at in due:
            self.fw.outcome("answered_right", value, interaction_id=self.ids[request.position], ts=at, id=self.new_id())

    def improve(self, round: int) -> Step:
        from flyloop import errors

        o = self.options
        with self.timed("improve: flush and dataset build"):
            self.fw.flush()
            dataset = self.fw.datasets.build(
                f"{WORKLOAD}-bench",
                {"workloads": [WORKLOAD], "kinds": ["sft", "preference", "kto", "eval"], **o["dataset_config"]},
            )
        notes: dict[str, Any] = {"dataset": {"id": dataset.id, "counts": dataset.counts, **curation(dataset.manifest)}}
        runs: list[tuple[str, str, dict[str, Any]]] = []
        if o["prompt_budget"] > 0:
            runs.append(("prompt", "prompt", {"budget": o["prompt_budget"], "dataset": dataset.id}))
        if o["fewshot"]:
            runs.append(("fewshot", "fewshot", {"dataset": dataset.id, "embedder": o["embedder"]}))
        common = {
            "dataset": dataset.id,
            "steps": o["steps"],
            "min_pairs": o["min_pairs"],
            "max_length": o["max_length"],
            **({"learning_rate": o["learning_rate"]} if o.get("learning_rate") else {}),
        }
        runs.append(("sft", "finetune", {**common, "method": "sft"}))
        if o["preference"] != "none":
            # --learning-rate is SFT's: DPO and KTO keep the loop's own rate (1e-4).
            preference = {k: v for k, v in common.items() if k != "learning_rate"}
            preference |= {"method": o["preference"], "steps": o["preference_steps"]}
            runs.append((o["preference"], "finetune", preference))
        promoted: str | None = None
        for kind, loop, options in runs:
            try:
                with self.timed(f"improve: {kind} loop"):
                    run = self.fw.loops.run(loop, WORKLOAD, **options)
            except errors.FlyloopError as exc:  # not enough data, nothing to refine: no candidate
                notes[kind] = {"why": exc.message}
                continue
            candidates = list((run.outputs or {}).get("candidates") or [])
            note: dict[str, Any] = {"run": run.id, "status": run.status}
            metrics = (run.details or {}).get("metrics") or {}
            if metrics:
                note |= {k: metrics.get(k) for k in ("train_rows", "steps", "seconds", "train_loss")}
                note["validation_em"] = [metrics.get("exact_match_before"), metrics.get("exact_match_after")]
            if run.status != "succeeded" or not candidates:
                notes[kind] = note | {"why": run.error or (run.details or {}).get("unchanged") or run.status}
                continue
            verdict = self._judge(str(candidates[0]), round, kind, dataset.id)
            notes[kind] = note | {"candidate": str(candidates[0])} | verdict
            if verdict.get("promoted"):
                promoted = self.production = str(candidates[0])
        if promoted is not None:
            return Step("promoted", promoted, notes)
        rejected = any(isinstance(n, dict) and n.get("gate") for n in notes.values())
        return Step("rejected" if rejected else "kept", self.production, notes)

    def _judge(self, version: str, round: int, kind: str, dataset: str) -> dict[str, Any]:
        """Evaluate ``version`` against production on the eval split of this round's dataset
        version (and on the golden set when there is one); promote it by :func:`decide`."""
        with self.timed("improve: evaluate on the eval split"):
            split = self._evaluate(version, round, dataset=dataset)
        out: dict[str, Any] = dict(split)
        golden = None
        if self.golden is not None:
            with self.timed("improve: evaluate on the golden set"):
                golden = self._evaluate(version, round, golden=self.golden)
            out["golden"] = golden
        promote, why = decide(golden, split)
        out["rule"] = why
        if promote:
            self.fw.versions.promote(version, reason=f"assistant bench round {round}: {kind}: {why}")
        return out | {"promoted": promote}

    def _evaluate(self, version: str, round: int, **source: str) -> dict[str, Any]:
        """One evaluation's note: its id, cases, the gate's words and verdict, the primary's
        interval (a refusal for too few cases is a note with no verdict and no interval)."""
        from flyloop import errors

        try:
            evaluation = self.fw.evaluations.run(WORKLOAD, version, seed=round, **source)
        except errors.FlyloopError as exc:  # too few eval cases: no verdict
            return {"gate": exc.message, "cases": 0, "passed": False, "low": None, "high": None}
        low, high = primary_interval(evaluation.gate)
        return {
            "evaluation": evaluation.id,
            "cases": evaluation.cases,
            "gate": evaluation.summary,
            "passed": bool(evaluation.passed),
            "low": low,
            "high": high,
        }

    def accuracy(self, heldout: list[Mail]) -> float:
        """The production version's answers, batched: the messages it would send
        (``policy.messages``: its system prompt, its bank's examples) through its backend."""
        from flyloop.improve import backend_for, generation_params

        policy = self.fw.policy(WORKLOAD)
        known = self.measured.get(policy.version.id)
        if known is not None:  # production did not change since it was measured (greedy: the same answers)
            return known
        prompts = [policy.messages(q.text) for q in heldout]
        model = backend_for(policy.version, self.fw.settings)
        answers = model.generate_batch(prompts, **generation_params(policy.version))
        self.measured[policy.version.id] = share_right([a.text for a in answers], heldout)
        return self.measured[policy.version.id]

    def close(self) -> None:
        self.fw.close()
        self.folder.cleanup()
