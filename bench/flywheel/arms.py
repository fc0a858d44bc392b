"""The arms of the triage track, each serving the same traffic and improving its own way.

Every arm answers each request, hears the user's reaction, improves after each round, and is
measured by the harness on the held-out set (the truth is the harness's, never the arm's):

- :class:`StaticArm`: the round-0 policy forever;
- :class:`NaiveArm`: every thumbs-up (the answer) and every edit (the user's label) goes straight
  into its examples, nothing filtered, every candidate shipped (the seed's sample code): a kNN
  bank, then from :data:`HEAD_MIN_PAIRS` examples a head fitted on them, shipped last;
- :class:`~bench.flywheel.flyloop_arm.FlyloopArm`: flyloop itself, driven only through its public
  interfaces; as ``flyloop-no-trust`` with the loops' dataset built with rater trust off, as
  ``flyloop-no-gates`` promoting its best-measured candidate whatever the gate said (ablations);
  as ``oracle`` the same loops on the true label of every interaction seen so far: the ceiling no
  feedback-driven system passes;
- :class:`OracleArm` (``oracle-knn``, optional): the true labels in an in-memory kNN vote, the
  ceiling of runs before the head joined the loops.

Round 0 has no labelled data: every arm starts from label-description prototypes (the input's
MiniLM vector against each label description's; the nearest wins). flyloop serves them itself:
its round-0 production version is the ``classifier`` backend's zero-shot model
(``prototypes:minilm-int8`` with the label descriptions), the same rule as the other arms'.

The kNN vote of the in-memory arms is the ``classifier`` backend's rule (the ``k`` nearest by
cosine, each weighing its cosine, at or below zero nothing; ties to the nearer label) over the
arm's own examples, exact search, every example of quality 1: the same loop as flyloop's few-shot
bank, minus curation.

The flyloop arm (its loops, how it chooses a candidate, what it sends as the app) is in
:mod:`bench.flywheel.flyloop_arm`; the seed's keys and event ids of its store in
:mod:`bench.flywheel.seeded`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from bench.flywheel.data import Mail
from bench.flywheel.population import Reaction, Request

WORKLOAD = "triage"
EMBEDDER = "minilm-int8"  # every arm's, and the bench cache's
K = 10  # the classifier backend's default vote size (flyloop.improve.classifier.DEFAULT_K)
MIN_EXAMPLES = 10  # flyloop's bank needs as many (flyloop.improve.bank.MIN_EXAMPLES): the same for every arm
DAY = 86_400.0
# How a flyloop arm decides which candidate becomes production: "gate" (flyloop: the evaluation's
# gate must pass), "any" (the no-gates ablation: the larger measured gain, gate or not), "gain"
# (the oracle: no measured loss of ORACLE_TOLERANCE or more, its eval references being the true
# labels: a newer candidate trained on more true labels ships unless they show it worse; the eval
# split's traffic is easy enough that two good versions often tie on it).
RULES = ("gate", "any", "gain")
# The oracle's eval split is 97-98% right for every head from round 2 on: one or two of its 300-570
# cases decide a "loss" there. With no tolerance the ceiling stalled at its round-2 head (seed 7,
# 06:51: 0.932 from round 2, its later heads measured -0.2 to -0.8 points on true labels), under the
# 0.955 that a head on every interaction's true label reaches (bench/flywheel/diagnose.py, (c)).
ORACLE_TOLERANCE = 0.01
HEAD_MIN_PAIRS = 100  # the bench's rounds are small; the loop's default rule is 500


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
    """The in-memory arms (naive, oracle-knn): examples gathered as the arm's rule says, a new
    kNN bank after every round and, with ``heads`` and :data:`HEAD_MIN_PAIRS` examples of two
    labels or more, a head fitted on them after it, each shipped without a check (the head last,
    so it serves). The head is the one flyloop's fine-tuning loop fits
    (``flyloop.improve.head_fit.fit_head``: the MiniLM vectors and the texts' words, C chosen by
    cross-validation), on the arm's examples as they are, every one of weight 1."""

    def __init__(self, prototypes: Prototypes, *, heads: bool = False) -> None:
        self.prototypes = prototypes
        self.heads = heads
        self.examples: list[tuple[np.ndarray, str]] = []
        self.texts: list[str] = []  # each example's text (the head reads its words), in step with examples
        self.bank: tuple[np.ndarray, list[str]] | None = None
        self.head: Any = None

    def predict(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> list[str]:
        if self.head is not None:
            p = self.head.probabilities(vectors, list(texts) if texts is not None else None)
            return [self.head.labels[i] for i in p.argmax(axis=1)]
        if self.bank is None:
            return self.prototypes.predict(vectors)
        return knn_vote(vectors, self.bank[0], self.bank[1])

    @abstractmethod
    def collect(self, request: Request, vector: np.ndarray, answer: str, reaction: Reaction) -> None:
        """Keep (or not) one served request as an example, by the arm's rule."""

    def keep(self, request: Request, vector: np.ndarray, label: str) -> None:
        self.examples.append((vector, label))
        self.texts.append(request.mail.text)

    def serve(self, requests: list[Request], vectors: np.ndarray, react: Any, ts: list[float]) -> list[str]:
        answers = self.predict(vectors, [r.mail.text for r in requests])
        for request, vector, answer in zip(requests, vectors, answers):
            self.collect(request, vector, answer, react(request, answer))
        return answers

    def improve(self, round: int) -> Step:
        if len(self.examples) < MIN_EXAMPLES:
            return Step("skipped", None, {"why": f"not enough data: {len(self.examples)} of {MIN_EXAMPLES}"})
        self.bank = (np.stack([v for v, _ in self.examples]), [label for _, label in self.examples])
        labels = self.bank[1]
        if not self.heads or len(labels) < HEAD_MIN_PAIRS or len(set(labels)) < 2:
            return Step("promoted", f"knn-{len(self.examples)}", {"bank_size": len(self.examples)})
        # The loop's own fitting (not on flyloop's face: head_fit keeps it apart for such callers).
        from flyloop.improve.head_fit import fit_head

        fitted = fit_head(self.bank[0], labels, list(self.prototypes.labels), embedder=EMBEDDER, texts=self.texts)
        self.head = fitted.head
        return Step("promoted", f"head-{len(labels)}", {"bank_size": len(labels), "head_rows": len(labels)})

    def accuracy(self, heldout: list[Mail], vectors: np.ndarray) -> float:
        return _share_right(self.predict(vectors, [m.text for m in heldout]), heldout)


class NaiveArm(KnnArm):
    name = "naive"

    def collect(self, request: Request, vector: np.ndarray, answer: str, reaction: Reaction) -> None:
        if reaction.edit is not None:
            self.keep(request, vector, reaction.edit)
        elif reaction.thumbs == "up":
            self.keep(request, vector, answer)


class OracleArm(KnnArm):
    """The true label of every interaction seen so far in memory (``oracle-knn``: the kNN ceiling
    of earlier runs; the ``oracle`` arm is flyloop's own loops on the true labels)."""

    name = "oracle-knn"

    def collect(self, request: Request, vector: np.ndarray, answer: str, reaction: Reaction) -> None:
        self.keep(request, vector, request.mail.label)


def _share_right(answers: Sequence[str], mails: Sequence[Mail]) -> float:
    return sum(a == m.label for a, m in zip(answers, mails)) / max(1, len(mails))
