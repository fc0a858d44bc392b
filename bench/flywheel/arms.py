"""The arms of the triage track, each serving the same traffic and improving its own way.

Every arm answers each request, hears the user's reaction, improves after each round, and is
measured by the harness on the held-out set (the truth is the harness's, never the arm's):

- :class:`StaticArm`: the round-0 policy forever;
- :class:`NaiveArm`: every thumbs-up (the answer) and every edit (the user's label) goes straight
  into its example bank, nothing filtered, every candidate shipped (the seed's sample code);
- :class:`OracleArm`: the true label of every interaction seen so far, the same kNN vote: the
  ceiling no feedback-driven system passes;
- :class:`FlyloopArm`: flyloop itself, driven only through its public interfaces (below); as
  ``flyloop-no-trust``, the same with the loop's dataset built with rater trust off (an ablation).

Round 0 has no labelled data: every arm starts from label-description prototypes (the input's
MiniLM vector against each label description's; the nearest wins). flyloop serves them itself:
its round-0 production version is the ``classifier`` backend's zero-shot model
(``prototypes:minilm-int8`` with the label descriptions), the same rule as the other arms'.

The kNN vote of the naive and oracle arms is the ``classifier`` backend's rule (the ``k`` nearest
by cosine, each weighing its cosine, at or below zero nothing; ties to the nearer label) over
the arm's own examples in memory, exact search, every example of quality 1: the same loop as
flyloop's few-shot bank, minus curation.

The flyloop arm, per request: ``policy = fw.policy("triage", user_id=u)``,
``out = policy.generate(mail)``, ``it = policy.log(mail, out, ...)``, then the user's signals
(``it.thumbs_up()``, ``it.thumbs_down()``, ``it.edit(label)``) and, rounds later, the outcome
(``fw.outcome(...)``). After the round: ``fw.flush()``, the few-shot loop
(``fw.loops.run("fewshot", ...)``, :func:`fewshot_step`) gives a candidate, the evaluation runs it
and production side by side on the held-out eval split of flyloop's own dataset version
(``fw.evaluations.run``: the users' verdicts are the reference, never the harness's truth), and
``fw.versions.promote`` makes it production only when it passed its gate; a rejected candidate's
round keeps production and records the gate's words. As ``flyloop-no-gates`` (an ablation) every
candidate is promoted past its gate, with that reason on record.
"""

from __future__ import annotations

import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from bench.flywheel.data import Mail
from bench.flywheel.population import Reaction, Request

WORKLOAD = "triage"
EMBEDDER = "minilm-int8"  # every arm's, and the bench cache's
K = 10  # the classifier backend's default vote size (flyloop.improve.classifier.DEFAULT_K)
MIN_EXAMPLES = 10  # flyloop's bank needs as many (flyloop.improve.bank.MIN_EXAMPLES): the same for every arm
DAY = 86_400.0


class Prototypes:
    """The zero-shot policy: the label whose description's vector is nearest the input's."""

    def __init__(self, embedder: Any, descriptions: dict[str, str]) -> None:
        self.embedder = embedder
        self.descriptions = dict(descriptions)
        self.labels = list(descriptions)
        self.matrix = embedder.embed([descriptions[label] for label in self.labels])

    def predict(self, vectors: np.ndarray) -> list[str]:
        scores = vectors @ self.matrix.T
        return [self.labels[i] for i in scores.argmax(axis=1)]


def knn_vote(queries: np.ndarray, vectors: np.ndarray, labels: Sequence[str], k: int = K) -> list[str]:
    """The classifier backend's vote (see the module docstring), for many queries at once."""
    sims = queries @ vectors.T
    k = min(k, len(labels))
    top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    out = []
    for row, idx in zip(sims, top):
        votes: dict[str, float] = {}
        first: dict[str, int] = {}
        for rank, j in enumerate(idx):
            label = labels[j]
            votes[label] = votes.get(label, 0.0) + max(float(row[j]), 0.0)
            first.setdefault(label, rank)
        if sum(votes.values()) <= 0.0:
            votes = {label: float(sum(1 for j in idx if labels[j] == label)) for label in votes}
        out.append(max(votes, key=lambda label: (votes[label], -first[label])))
    return out


@dataclass
class Step:
    """What an arm's improvement step did after a round (printed and kept in the JSON)."""

    action: str  # 'promoted', 'rejected' (a candidate failed its gate), 'kept', 'skipped'
    version: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)


class Arm(ABC):
    """An arm: ``serve`` a round, ``improve`` after it, ``accuracy`` on the held-out set."""

    name = "arm"

    @abstractmethod
    def serve(self, requests: list[Request], vectors: np.ndarray, react: Any, ts: list[float]) -> list[str]:
        """Answer a round's requests, calling ``react`` for each answer; the answers."""

    def outcomes(self, due: list[tuple[Request, float, float]]) -> None:  # noqa: B027 (a hook, ignored by default)
        """Outcomes arriving now: (request, value, ts). Only flyloop reads them."""

    @abstractmethod
    def improve(self, round: int) -> Step:
        """What the arm does between rounds (a new bank, a promotion, nothing)."""

    @abstractmethod
    def accuracy(self, heldout: list[Mail], vectors: np.ndarray) -> float:
        """The share of the held-out mails it labels right now."""

    def close(self) -> None:  # noqa: B027 (a hook: only flyloop's arm has a store to close)
        """Release what the arm holds."""


class StaticArm(Arm):
    name = "static"

    def __init__(self, prototypes: Prototypes) -> None:
        self.prototypes = prototypes

    def serve(self, requests: list[Request], vectors: np.ndarray, react: Any, ts: list[float]) -> list[str]:
        answers = self.prototypes.predict(vectors)
        for request, answer in zip(requests, answers):
            react(request, answer)
        return answers

    def improve(self, round: int) -> Step:
        return Step("kept", "prototypes", {"why": "the static arm never changes"})

    def accuracy(self, heldout: list[Mail], vectors: np.ndarray) -> float:
        return _share_right(self.prototypes.predict(vectors), heldout)


class KnnArm(Arm):
    """The in-memory kNN arms (naive, oracle): examples gathered as the arm's rule says, a new
    bank after every round, shipped without a check."""

    def __init__(self, prototypes: Prototypes) -> None:
        self.prototypes = prototypes
        self.examples: list[tuple[np.ndarray, str]] = []
        self.bank: tuple[np.ndarray, list[str]] | None = None

    def predict(self, vectors: np.ndarray) -> list[str]:
        if self.bank is None:
            return self.prototypes.predict(vectors)
        return knn_vote(vectors, self.bank[0], self.bank[1])

    @abstractmethod
    def collect(self, request: Request, vector: np.ndarray, answer: str, reaction: Reaction) -> None:
        """Keep (or not) one served request as an example, by the arm's rule."""

    def serve(self, requests: list[Request], vectors: np.ndarray, react: Any, ts: list[float]) -> list[str]:
        answers = self.predict(vectors)
        for request, vector, answer in zip(requests, vectors, answers):
            self.collect(request, vector, answer, react(request, answer))
        return answers

    def improve(self, round: int) -> Step:
        if len(self.examples) < MIN_EXAMPLES:
            return Step("skipped", None, {"why": f"not enough data: {len(self.examples)} of {MIN_EXAMPLES}"})
        self.bank = (np.stack([v for v, _ in self.examples]), [label for _, label in self.examples])
        return Step("promoted", f"knn-{len(self.examples)}", {"bank_size": len(self.examples)})

    def accuracy(self, heldout: list[Mail], vectors: np.ndarray) -> float:
        return _share_right(self.predict(vectors), heldout)


class NaiveArm(KnnArm):
    name = "naive"

    def collect(self, request: Request, vector: np.ndarray, answer: str, reaction: Reaction) -> None:
        if reaction.edit is not None:
            self.examples.append((vector, reaction.edit))
        elif reaction.thumbs == "up":
            self.examples.append((vector, answer))


class OracleArm(KnnArm):
    name = "oracle"

    def collect(self, request: Request, vector: np.ndarray, answer: str, reaction: Reaction) -> None:
        self.examples.append((vector, request.mail.label))


def _share_right(answers: Sequence[str], mails: Sequence[Mail]) -> float:
    return sum(a == m.label for a, m in zip(answers, mails)) / max(1, len(mails))


# --- flyloop ------------------------------------------------------------------------------------------


def fewshot_step(fw: Any, dataset_config: dict[str, Any] | None) -> Step:
    """One run of the few-shot loop, ``fw.loops.run("fewshot", ...)``: its candidate, or why
    there is none. ``dataset_config`` None: the loop refreshes its own dataset version (its
    defaults: curation, rater trust and splits as flyloop ships them); else the harness builds
    the dataset with that config (an ablation) and names it to the loop."""
    from flyloop import errors

    options: dict[str, Any] = {"embedder": "minilm-int8", "k": K}
    notes: dict[str, Any] = {"via": "fw.loops.run('fewshot')"}
    if dataset_config is None:
        options["refresh"] = True
    else:
        dataset = fw.datasets.build(
            f"fewshot-{WORKLOAD}-bench", {"workloads": [WORKLOAD], "kinds": ["sft", "eval"], **dataset_config}
        )
        options["dataset"] = dataset.id
        notes["dataset"] = dataset.id
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


HEAD_MIN_PAIRS = 100  # the bench's rounds are small; the loop's default rule is 500


def head_step(fw: Any, dataset_config: dict[str, Any] | None) -> Step:
    """One run of the fine-tuning loop on the choice workload, ``fw.loops.run("finetune", ...)``
    (a calibrated head on the cached MiniLM embeddings): its candidate when the head beats the kNN
    vote on the run's own validation rows (flyloop's figures, never the benchmark's held-out mails),
    else why not."""
    from flyloop import errors

    options: dict[str, Any] = {"embedder": "minilm-int8", "min_pairs": HEAD_MIN_PAIRS}
    notes: dict[str, Any] = {"via": "fw.loops.run('finetune')"}
    if dataset_config is not None:
        dataset = fw.datasets.build(
            f"finetune-{WORKLOAD}-bench", {"workloads": [WORKLOAD], "kinds": ["sft", "eval"], **dataset_config}
        )
        options["dataset"] = dataset.id
    else:
        options["dataset"] = fw.datasets.build(
            f"finetune-{WORKLOAD}", {"workloads": [WORKLOAD], "kinds": ["sft", "eval"]}
        ).id
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
    if not candidates:
        return Step("skipped", None, notes | {"why": run.error or run.status})
    if (figures.get("validation_accuracy") or 0.0) <= (figures.get("knn_accuracy") or 0.0):
        return Step("skipped", None, notes | {"why": "the head did not beat the kNN vote on the run's validation rows"})
    return Step("candidate", str(candidates[0]), notes)


def send_reaction(it: Any, reaction: Reaction, user: str, at: float) -> None:
    """A user's reaction as the SDK's signals on the logged interaction ``it``: a thumb a minute
    after the answer, an edit half a minute later."""
    if reaction.thumbs == "up":
        it.thumbs_up(ts=at + 60, actor=user)
    elif reaction.thumbs == "down":
        it.thumbs_down(ts=at + 60, actor=user)
    if reaction.edit is not None:
        it.edit(reaction.edit, ts=at + 90, actor=user)


def seed_secrets(database_url: str, project: str, seed: int) -> None:
    """The project's keys (pseudonyms, the split, redaction, ...) drawn from ``seed`` before flyloop
    first opens the store, instead of at random: the user-disjoint split deals users by a keyed hash,
    so with a random key two runs of one seed held different users out and ended a point apart.
    Set-up of the deployment, as an operator restoring a store's keys would; no shortcut through
    the wheel."""
    import hashlib
    import time

    from flyloop.privacy.pseudonyms import PURPOSES
    from flyloop.store import Store, schema

    store = Store(database_url)
    try:
        store.migrate()
        store.ensure_project(project)
        rows = [
            {
                "project_id": project,
                "purpose": purpose,
                "version": 1,
                "secret": hashlib.sha256(f"flywheel:{seed}:{purpose}".encode()).hexdigest(),
                "created_at": time.time(),
            }
            for purpose in PURPOSES
        ]
        with store.write() as conn:
            conn.execute(store.insert(schema.project_secrets), rows)
    finally:
        store.close()


class FlyloopArm(Arm):
    """flyloop, through its public interfaces only (see the module docstring). Its store and home
    are a temporary folder; the home's ``embeddings/`` is the bench cache's, so no mail is
    embedded twice across arms and runs."""

    def __init__(
        self,
        labels: list[str],
        prototypes: Prototypes,
        embeddings_dir: Path,
        *,
        name: str = "flyloop",
        dataset_config: dict[str, Any] | None = None,
        heads: bool = False,
        gates: bool = True,
        seed: int = 7,
    ) -> None:
        import flyloop

        self.name = name
        self.heads = heads
        self.gates = gates
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
        seed_secrets(database_url, "bench", seed)
        self.fw = flyloop.Flywheel(
            home=str(home),
            database_url=database_url,
            project="bench",
            policy_ttl_s=0.0,
            embed_query_cache=True,
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
            it = policy.log(request.mail.text, answer, ts=at, context_ids=shown)
            self.ids[request.position] = it.id
            send_reaction(it, react(request, answer), user, at)
            answers.append(answer)
        return answers

    def outcomes(self, due: list[tuple[Request, float, float]]) -> None:
        for request, value, at in due:
            self.fw.outcome("handled_right", value, interaction_id=self.ids[request.position], ts=at)

    def improve(self, round: int) -> Step:
        self.fw.flush()
        notes: dict[str, Any] = {}
        promoted: str | None = None
        steps = [("fewshot", fewshot_step)] + ([("head", head_step)] if self.heads else [])
        for kind, make in steps:
            candidate = make(self.fw, self.dataset_config)
            verdict = self._judge(candidate, round, kind) if candidate.version is not None else {}
            notes[kind] = candidate.notes | verdict
            if verdict.get("promoted"):
                promoted = self.production = str(candidate.version)
        rejected = [n for n in notes.values() if n.get("gate") and not n.get("promoted")]
        if promoted is not None:
            return Step("promoted", promoted, notes)
        return Step("rejected" if rejected else "kept", self.production, notes)

    def _judge(self, candidate: Step, round: int, kind: str) -> dict[str, Any]:
        """Evaluate ``candidate`` against production on the held-out eval split and promote it
        when it passes its gate (or, with gates off, past it with the reason on record)."""
        from flyloop import errors

        version = str(candidate.version)
        try:
            evaluation = self.fw.evaluations.run(WORKLOAD, version, seed=round)
        except errors.FlyloopError as exc:  # too few eval cases, a case that fails: no verdict
            evaluation = None
            why = exc.message
        else:
            why = evaluation.summary
        out: dict[str, Any] = {
            "evaluation": evaluation.id if evaluation else None,
            "cases": evaluation.cases if evaluation else 0,
            "gate": why,
            "passed": bool(evaluation and evaluation.passed),
        }
        if out["passed"]:
            self.fw.versions.promote(version, reason=f"flywheel bench round {round}: {kind} passed its gate")
            return out | {"promoted": True, "promoted_by": "fw.versions.promote after its gate passed"}
        if not self.gates:
            self.fw.versions.promote(
                version, force=True, reason=f"flywheel bench round {round}: {kind}; ablation: no gates"
            )
            return out | {"promoted": True, "promoted_by": "fw.versions.promote past the gate (ablation)"}
        return out | {"promoted": False}

    def accuracy(self, heldout: list[Mail], vectors: np.ndarray) -> float:
        policy = self.fw.policy(WORKLOAD)
        return _share_right([self._answer(policy, m.text, v)[0] for m, v in zip(heldout, vectors)], heldout)

    def close(self) -> None:
        self.fw.close()
        self.folder.cleanup()
