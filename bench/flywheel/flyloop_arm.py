"""The flyloop arm of the triage track (:class:`FlyloopArm`, also ``flyloop-no-trust``,
``flyloop-no-gates``, ``flyloop-no-refit`` and ``oracle``; see :mod:`bench.flywheel.arms` for
the arms side by side): the round's loops, which candidate becomes production (:func:`choose`)
and a user's reaction as the SDK's signals.

The flyloop arms, per request: ``policy = fw.policy("triage", user_id=u)``,
``out = policy.generate(mail)``, ``it = policy.log(mail, out, ...)``, then the user's signals
(``it.thumbs_up()``, ``it.thumbs_down()``, ``it.edit(label)``) and, rounds later, the outcome
(``fw.outcome(...)``). After the round: ``fw.flush()``, one dataset version
(``fw.datasets.build``), the few-shot loop (``fw.loops.run("fewshot", ...)``: a bank) and the
fine-tuning loop (``fw.loops.run("finetune", ...)``: a calibrated head) each give a candidate;
each is evaluated against production on the held-out eval split of that version
(``fw.evaluations.run``: the users' verdicts are the reference, never the harness's truth), and
``fw.versions.promote`` makes production the one whose gate passed, the larger measured gain
when both did (:func:`choose`); a round with none keeps production and records the gates' words.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from bench.flywheel.arms import (
    EMBEDDER,
    HEAD_MIN_PAIRS,
    ORACLE_TOLERANCE,
    RULES,
    WORKLOAD,
    Arm,
    K,
    Prototypes,
    Step,
    _share_right,
)
from bench.flywheel.data import Mail
from bench.flywheel.population import Reaction, Request
from bench.flywheel.seeded import SeededIds, open_seeded


def build_dataset(fw: Any, dataset_config: dict[str, Any] | None) -> str | None:
    """The round's dataset version, ``fw.datasets.build``, that both loops train on and the
    evaluations hold out from; None (``dataset_config`` None) leaves each loop to refresh its own
    (the loops' defaults: curation, rater trust and splits as flyloop ships them)."""
    if dataset_config is None:
        return None
    built = fw.datasets.build(
        f"loops-{WORKLOAD}-bench", {"workloads": [WORKLOAD], "kinds": ["sft", "eval"], **dataset_config}
    )
    return str(built.id)


def fewshot_step(fw: Any, dataset: str | None) -> Step:
    """One run of the few-shot loop, ``fw.loops.run("fewshot", ...)``, on ``dataset`` (None: the
    loop refreshes its own): its candidate, or why there is none."""
    from flyloop import errors

    options: dict[str, Any] = {"embedder": "minilm-int8", "k": K}
    notes: dict[str, Any] = {"via": "fw.loops.run('fewshot')"}
    if dataset is None:
        options["refresh"] = True
    else:
        options["dataset"] = notes["dataset"] = dataset
    try:
        run = fw.loops.run("fewshot", WORKLOAD, **options)
    except errors.NotEnoughData as exc:
        return Step("skipped", None, notes | {"why": exc.message})
    bank = (run.details or {}).get("bank") or {}
    notes |= {
        "run": run.id,
        "status": run.status,
        "dataset": (run.inputs or {}).get("dataset"),
        "bank": bank.get("id"),
        "bank_size": bank.get("live"),
    }
    candidates = list((run.outputs or {}).get("candidates") or [])
    if run.status != "succeeded" or not candidates:
        return Step("skipped", None, notes | {"why": run.error or (run.details or {}).get("unchanged") or run.status})
    return Step("candidate", str(candidates[0]), notes)


def head_step(fw: Any, dataset: str | None) -> Step:
    """One run of the fine-tuning loop on the choice workload, ``fw.loops.run("finetune", ...)``
    (a calibrated head on the cached MiniLM embeddings) on ``dataset`` (None: a version built with
    flyloop's default curation): its candidate, or why there is none. The run's own validation
    figures (head, kNN vote, zero-shot) are kept as notes; the evaluation gate decides, as it does
    for a bank (a validation split drawn from the training traffic's mix says less than the gate's
    held-out production cases)."""
    from flyloop import errors

    if dataset is None:
        dataset = str(fw.datasets.build(f"finetune-{WORKLOAD}", {"workloads": [WORKLOAD], "kinds": ["sft", "eval"]}).id)
    options: dict[str, Any] = {"embedder": "minilm-int8", "min_pairs": HEAD_MIN_PAIRS, "dataset": dataset}
    notes: dict[str, Any] = {"via": "fw.loops.run('finetune')", "dataset": dataset}
    try:
        run = fw.loops.run("finetune", WORKLOAD, **options)
    except errors.NotEnoughData as exc:
        return Step("skipped", None, notes | {"why": exc.message})
    figures = (run.details or {}).get("head") or {}
    notes |= {
        "run": run.id,
        "artifact": (run.outputs or {}).get("artifact"),
        "validation_accuracy": figures.get("validation_accuracy"),
        "knn_accuracy": figures.get("knn_accuracy"),
        "zero_shot_accuracy": figures.get("zero_shot_accuracy"),
        "validation_rows": figures.get("validation_rows"),
        "seconds": figures.get("seconds"),
    }
    candidates = list((run.outputs or {}).get("candidates") or [])
    if run.status != "succeeded" or not candidates:
        return Step("skipped", None, notes | {"why": run.error or run.status})
    return Step("candidate", str(candidates[0]), notes)


def choose(verdicts: dict[str, dict[str, Any]], rule: str) -> str | None:
    """Which evaluated candidate (by loop: ``{"fewshot": {"passed": ..., "gain": ...}, ...}``)
    becomes production under ``rule`` (:data:`RULES`), or None: of those the rule lets through
    (``gate``: its gate passed; ``any``: every one; ``gain``: a measured loss under
    :data:`ORACLE_TOLERANCE`), the larger
    accuracy gain, the later loop on a tie (a head over a bank)."""
    if rule not in RULES:
        raise ValueError(f"rule is one of {', '.join(RULES)}, not {rule!r}")
    order = list(verdicts)

    def allowed(v: dict[str, Any]) -> bool:
        if rule == "any":
            return True
        if rule == "gain":
            return v.get("gain") is not None and v["gain"] > -ORACLE_TOLERANCE
        return bool(v.get("passed"))

    eligible = [kind for kind in order if allowed(verdicts[kind])]
    if not eligible:
        return None
    return max(eligible, key=lambda kind: (verdicts[kind].get("gain") or 0.0, order.index(kind)))


def send_reaction(it: Any, reaction: Reaction, user: str, at: float, new_id: Any = None) -> None:
    """A user's reaction as the SDK's signals on the logged interaction ``it``: a thumb a minute
    after the answer, an edit half a minute later; each signal's id from ``new_id()`` when given
    (:class:`SeededIds`), else the SDK's own."""

    def ids() -> dict[str, str]:
        return {"id": new_id()} if new_id is not None else {}

    if reaction.thumbs == "up":
        it.thumbs_up(ts=at + 60, actor=user, **ids())
    elif reaction.thumbs == "down":
        it.thumbs_down(ts=at + 60, actor=user, **ids())
    if reaction.edit is not None:
        it.edit(reaction.edit, ts=at + 90, actor=user, **ids())


class FlyloopArm(Arm):
    """flyloop, through its public interfaces only (see the module docstring). Its store and home
    are a temporary folder; the home's ``embeddings/`` is the bench cache's, so no mail is
    embedded twice across arms and runs.

    ``truth``: the oracle. Every user is a perfect rater who reacts to every answer: a thumbs-up
    on a right one, a correction to the true label of a wrong one, and every interaction's outcome
    arrives (a success: the mail ends where it belongs) in place of the population's. The same
    loops and evaluations then run on the true labels of every interaction seen so far."""

    def __init__(
        self,
        labels: list[str],
        prototypes: Prototypes,
        embeddings_dir: Path,
        *,
        name: str = "flyloop",
        dataset_config: dict[str, Any] | None = None,
        heads: bool = True,
        rule: str = "gate",
        truth: bool = False,
        seed: int = 7,
        settings: dict[str, Any] | None = None,
    ) -> None:
        import flyloop

        if rule not in RULES:
            raise ValueError(f"rule is one of {', '.join(RULES)}, not {rule!r}")
        self.name = name
        self.heads = heads
        self.rule = rule
        self.truth = truth
        self.prototypes = prototypes
        self.dataset_config = dataset_config
        self.folder = tempfile.TemporaryDirectory(prefix=f"flywheel-{name}-")
        home = Path(self.folder.name)
        embeddings_dir.mkdir(parents=True, exist_ok=True)
        os.symlink(embeddings_dir, home / "embeddings")
        # A round is a day of traffic compressed into seconds: the client must see each promotion
        # at once, not after the 30 s a real app would wait.
        # The mails are public corpus text, not a person's words: served inputs may keep their vectors
        # in the shared embeddings file (embed_query_cache), so a later run embeds none of them again.
        database_url = f"sqlite:///{home / 'flyloop.db'}"
        open_seeded(database_url, "bench", seed)
        self.new_id = SeededIds(seed)
        self.fw = flyloop.Flywheel(
            home=str(home),
            database_url=database_url,
            project="bench",
            policy_ttl_s=0.0,
            embed_query_cache=True,
            **(settings or {}),  # an ablation's settings (flyloop-no-refit)
        )
        self.fw.workloads.declare(WORKLOAD, type="choice", labels=labels)
        zero = self.fw.policies.register(
            {
                "workload": WORKLOAD,
                "backend": "classifier",
                "model": f"prototypes:{EMBEDDER}",
                "params": {"label_descriptions": prototypes.descriptions},
            },
            note="round 0: zero-shot from the label descriptions, before any traffic",
        )
        # The first production version has nothing to beat: no gate applies (rollout.require_gate).
        self.fw.versions.promote(zero.id, reason="round 0: zero-shot, before any traffic")
        self.production = zero.id
        self.ids: dict[int, str] = {}  # traffic position -> interaction id
        self.served: dict[str, Request] = {}  # interaction id -> its request (the harness's truth, for audit)
        self.labels = list(labels)
        self.measured: tuple[str, float] | None = None  # (production version, its held-out accuracy)
        self.as_sent: float | None = None  # the production head's, with its input redaction off

    def _answer(self, policy: Any, text: str, vector: np.ndarray) -> tuple[str, list[str]]:
        """The answer to ``text`` from flyloop's policy (zero-shot, the bank's vote or the head);
        the served examples reach the log through ``policy.log`` itself."""
        out = policy.generate(text)
        return str(out.text), []

    def serve(self, requests: list[Request], vectors: np.ndarray, react: Any, ts: list[float]) -> list[str]:
        answers = []
        for request, vector, at in zip(requests, vectors, ts):
            user = request.user.id
            policy = self.fw.policy(WORKLOAD, user_id=user)
            answer, shown = self._answer(policy, request.mail.text, vector)
            it = policy.log(request.mail.text, answer, ts=at, context_ids=shown, id=self.new_id())
            self.ids[request.position] = it.id
            self.served[it.id] = request
            reaction = react(request, answer)
            if self.truth:
                right = answer == request.mail.label
                reaction = Reaction("up" if right else None, None if right else request.mail.label, 1.0)
            send_reaction(it, reaction, user, at, self.new_id)
            if self.truth:
                # Every interaction's outcome too (the mail ended where it belongs, after the
                # correction): evidence the raters' votes are checked against, so rater trust
                # vouches for their corrections as it would for any rater borne out.
                self.fw.outcome("handled_right", 1.0, interaction_id=it.id, ts=at + 120, id=self.new_id())
            answers.append(answer)
        return answers

    def outcomes(self, due: list[tuple[Request, float, float]]) -> None:
        if self.truth:  # the oracle's came with each interaction (serve)
            return
        for request, value, at in due:
            self.fw.outcome("handled_right", value, interaction_id=self.ids[request.position], ts=at, id=self.new_id())

    def improve(self, round: int) -> Step:
        """The round's loops on one dataset version (few-shot, then the head), each candidate
        evaluated against production on the same held-out cases; the one whose gate passed is
        promoted, the larger accuracy gain of the two when both did. By :data:`RULES`: ``any``
        (the no-gates ablation) promotes the larger gain whatever the gate said, ``gain`` (the
        oracle, whose eval references are the truth) any loss under a point."""
        self.fw.flush()
        dataset = build_dataset(self.fw, self.dataset_config)
        notes: dict[str, Any] = {}
        steps = [("fewshot", fewshot_step)] + ([("head", head_step)] if self.heads else [])
        for kind, make in steps:
            candidate = make(self.fw, dataset)
            verdict = self._evaluate(candidate, round) if candidate.version is not None else {}
            notes[kind] = candidate.notes | verdict | ({"candidate": candidate.version} if candidate.version else {})
        if dataset is not None:
            notes["audit"] = self.audit(dataset)
        judged = [kind for kind, n in notes.items() if n.get("evaluation")]
        best = choose({kind: notes[kind] for kind in judged}, self.rule)
        if best is not None:
            chosen = notes[best]
            if chosen["passed"]:
                reason = f"flywheel bench round {round}: {best} passed its gate"
                self.fw.versions.promote(chosen["candidate"], reason=reason)
                chosen |= {"promoted": True, "promoted_by": "fw.versions.promote after its gate passed"}
            else:
                why = "ablation: no gates" if self.rule == "any" else "oracle: no loss on true labels"
                reason = f"flywheel bench round {round}: {best}; {why}"
                self.fw.versions.promote(chosen["candidate"], force=True, reason=reason)
                chosen |= {"promoted": True, "promoted_by": f"fw.versions.promote past the gate ({why})"}
            self.production = str(chosen["candidate"])
            for kind in judged:
                if kind != best:
                    notes[kind]["promoted"] = False
                    if notes[kind]["passed"]:
                        notes[kind]["why"] = f"passed, but {best}'s gain was larger"
            return Step("promoted", self.production, notes)
        for kind in judged:
            notes[kind]["promoted"] = False
        return Step("rejected" if judged else "kept", self.production, notes)

    def audit(self, dataset: str) -> dict[str, Any]:
        """The harness's look at the eval split the round's gates judge on (flyloop never sees
        this): how many of its references are the true label, overall, by the kind of user who
        gave them and weighed by the example's curated quality (what rater trust made of it)."""
        from flyloop.datasets import examples
        from flyloop.evaluate import eval_split_cases

        cases = eval_split_cases(self.fw.store, "bench", WORKLOAD, "choice", dataset=dataset, labels=self.labels)
        quality = {r["interaction_id"]: float(r["quality"]) for r in examples(self.fw.store, "bench", dataset, "eval")}
        kinds: dict[str, list[int]] = {}
        right = weight = weighed_right = 0.0
        for case in cases.cases:
            request = self.served.get(case.id)
            if request is None:
                continue
            ok = case.reference == request.mail.label
            tally = kinds.setdefault(request.user.kind, [0, 0])
            tally[0] += 1
            tally[1] += ok
            right += ok
            q = quality.get(case.id, 1.0)
            weight += q
            weighed_right += q * ok
        n = sum(t[0] for t in kinds.values())
        return {
            "eval_cases": n,
            "references_right": round(right / n, 4) if n else None,
            "references_right_quality_weighted": round(weighed_right / weight, 4) if weight else None,
            "by_kind": {kind: {"cases": t[0], "right": round(t[1] / t[0], 4)} for kind, t in sorted(kinds.items())},
        }

    def _evaluate(self, candidate: Step, round: int) -> dict[str, Any]:
        """Evaluate ``candidate`` against production on the held-out eval split: the verdict, the
        gate's words and the accuracy gain it measured (candidate minus production)."""
        from flyloop import errors

        try:
            evaluation = self.fw.evaluations.run(WORKLOAD, str(candidate.version), seed=round)
        except errors.FlyloopError as exc:  # too few eval cases, a case that fails: no verdict
            return {"evaluation": None, "cases": 0, "gate": exc.message, "passed": False}
        overall = [r for r in evaluation.rows() if r.get("segment") is None and r.get("metric") == "accuracy"]
        gain = overall[0].get("difference") if overall else None
        return {
            "evaluation": evaluation.id,
            "cases": evaluation.cases,
            "gate": evaluation.summary,
            "passed": bool(evaluation.passed),
            "gain": gain,
            "truth_gain": self.truth_gain(evaluation.dataset_version, evaluation.baseline, evaluation.candidate),
        }

    def truth_gain(self, dataset: str | None, baseline: str | None, candidate: str) -> float | None:
        """The harness's check of a verdict (flyloop never sees it): candidate minus production
        accuracy on the same eval cases, against their true labels instead of the users' references.
        It tells a gate misled by its references from one judging the traffic right (the held-out
        mails come from a later period than the traffic, so they may disagree with both)."""
        from flyloop import registry
        from flyloop.evaluate import answer_cases, eval_split_cases

        if dataset is None or baseline is None:
            return None
        store, settings = self.fw.store, self.fw.settings
        cases = eval_split_cases(store, "bench", WORKLOAD, "choice", dataset=dataset, labels=self.labels).cases
        cases = [c for c in cases if c.id in self.served]
        if not cases:
            return None
        truth = [self.served[c.id].mail.label for c in cases]
        right = []
        for version in (baseline, candidate):
            answers = answer_cases(
                store, "bench", registry.get_version(store, "bench", version), cases, settings=settings
            )
            right.append(sum(a.text == t for a, t in zip(answers, truth)) / len(cases))
        return round(right[1] - right[0], 6)

    def accuracy(self, heldout: list[Mail], vectors: np.ndarray) -> float:
        """Held-out accuracy of the production version; measured again only when it changed (a
        version answers the same mail the same way: no need to ask it 2,000 times more)."""
        production = self.production
        if self.measured is not None and self.measured[0] == production:
            return self.measured[1]
        policy = self.fw.policy(WORKLOAD)
        share = _share_right([self._answer(policy, m.text, v)[0] for m, v in zip(heldout, vectors)], heldout)
        self.measured = (production, share)
        self.as_sent = self._as_sent(heldout)
        return share

    def _as_sent(self, heldout: list[Mail]) -> float | None:
        """Held-out accuracy of the production head with its input redaction off (setting
        ``head_redact_inputs``): the same head, asked the mails as sent, as heads were served before
        they redacted their inputs like their training texts. None when production is no head."""
        from flyloop import registry
        from flyloop.improve import HeadClassifier
        from flyloop.settings import Settings

        model = registry.get_version(self.fw.store, "bench", self.production).model
        if not str(model or "").startswith("hd_"):
            return None
        head = HeadClassifier(str(model), Settings(home=self.fw.settings.home, head_redact_inputs=False))
        return _share_right([c.text for c in head.classify_many([m.text for m in heldout])], heldout)

    def close(self) -> None:
        self.fw.close()
        self.folder.cleanup()
