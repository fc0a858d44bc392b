"""The ``classifier`` backend for choice workloads: the input embedded with the bank's embedder,
its ``k`` nearest examples in the workload's few-shot bank, and a vote among their labels, each
neighbour weighing its cosine to the input (below zero: nothing) times its curation quality.

No model answers, so no tokens are spent and nothing leaves the process: a routing or triage
workload with a few hundred corrected examples gets a policy that answers in a millisecond, and
the bank it votes over improves with every build. The answer is a :class:`Classification` (a
:class:`~flyloop.improve.Generation` whose text is the winning label) carrying each label's share
of the vote (``scores``, every label of the workload, summing to 1) and the neighbours' ids.

The backend needs a loaded bank, which a policy names (``bank``) rather than its ``model``: the
serving side builds it with ``backend("classifier", bank=load_bank(...), k=...)`` or
:func:`classifier_for`. ``model`` names the model: ``None`` or ``"knn"``, the vote; a head
artifact ``"hd_..."`` trained by the finetune loop (:mod:`flyloop.improve.head_model`), which needs
no bank: its calibrated probabilities are the scores; or ``"prototypes:<embedder>"``, zero-shot
from the label descriptions in its params (:mod:`flyloop.improve.prototypes`), for round 0.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flyloop import errors
from flyloop.improve.backends import Backend, Generation, Messages, backend, register_backend
from flyloop.improve.bank_index import BankIndex
from flyloop.settings import Settings

CLASSIFIER = "classifier"
KNN = "knn"
DEFAULT_K = 10


@dataclass(frozen=True)
class Classification(Generation):
    """A :class:`Generation` whose ``text`` is the label, with every label's share of the vote
    and the ids of the examples that voted (nearest first)."""

    scores: dict[str, float] = field(default_factory=dict)
    neighbours: tuple[str, ...] = ()


def _last_user_turn(messages: Messages) -> str:
    for message in reversed(list(messages)):
        if message.get("role") == "user":
            return str(message.get("content", ""))
    raise errors.ValidationError("the classifier needs a user turn to classify", field="messages")


class ClassifierBackend:
    """A kNN vote over a choice workload's bank (see the module's docstring)."""

    name = CLASSIFIER

    def __init__(self, bank: BankIndex, *, k: int = DEFAULT_K, model: str | None = None) -> None:
        _check(model, None, {"k": k})
        labels = (bank.bank.manifest.get("rules") or {}).get("labels")
        if bank.bank.manifest.get("workload_type") != "choice" or not labels:
            raise errors.ConfigError(
                f"the classifier votes over a choice workload's bank; {bank.id} is of a "
                f"{bank.bank.manifest.get('workload_type', 'generation')} workload",
                field="bank",
            )
        self.bank = bank
        self.k = k
        self.labels: list[str] = list(labels)
        self.model = f"{KNN}:{bank.id}"

    def classify(self, input: Any) -> Classification:
        """The label of ``input`` (a text, chat messages' content, or a vector of the bank's dimension)."""
        started = time.perf_counter()
        neighbours = self.bank.search(input, self.k)
        if not neighbours:
            raise errors.BackendError(f"bank {self.bank.id} serves no examples to vote", field="bank")
        return vote(neighbours, self.labels, model=self.model, started=started)

    def generate(self, messages: Messages, **params: Any) -> Generation:
        """Classify the last user turn (generation parameters mean nothing to a vote: ignored)."""
        return self.classify(_last_user_turn(messages))

    def generate_batch(self, batch: Sequence[Messages], **params: Any) -> list[Generation]:
        return [self.generate(messages) for messages in batch]


def vote(
    neighbours: Sequence[Any], labels: Sequence[str] = (), *, model: str = KNN, started: float | None = None
) -> Classification:
    """The label the ``neighbours`` (examples with ``label``, ``score`` and ``quality``, nearest
    first) vote for, each weighing its cosine (below zero: nothing) times its quality; when every
    one is at or below zero, a head count. ``labels``: every label to report a share for (those
    met among the neighbours are added). Ties go to the label of the nearer neighbour. Served
    policies vote this way over the examples their bank retrieved, in either of the SDK's modes."""
    started = time.perf_counter() if started is None else started
    votes = dict.fromkeys(labels, 0.0)
    first_seen: dict[str, int] = {}
    for rank, ex in enumerate(neighbours):
        if ex.label is None:
            continue
        votes[ex.label] = votes.get(ex.label, 0.0) + max(ex.score, 0.0) * ex.quality
        first_seen.setdefault(ex.label, rank)
    if not first_seen:
        raise errors.BackendError("no retrieved example carries a label to vote with", field="bank")
    total = sum(votes.values())
    if total <= 0.0:  # every neighbour at or below cosine 0: count heads instead
        for ex in neighbours:
            if ex.label is not None:
                votes[ex.label] += 1.0
        total = sum(votes.values())
    winner = max(votes, key=lambda label: (votes[label], -first_seen.get(label, len(neighbours))))
    return Classification(
        text=winner,
        tokens_in=0,
        tokens_out=0,
        latency_ms=(time.perf_counter() - started) * 1e3,
        model=model,
        finish_reason="stop",
        scores={label: round(v / total, 6) for label, v in votes.items()},
        neighbours=tuple(ex.id for ex in neighbours),
    )


def _is_head(model: str | None) -> bool:
    from flyloop.improve.head_model import is_head_id

    return is_head_id(model)


def _settings(options: dict[str, Any]) -> Settings | None:
    """The project's settings when its home was given (``backend_for(spec, settings)``)."""
    home = options.pop("home", None)
    return Settings(home=home) if home is not None else None


def _check(model: str | None, adapter: str | None, options: Mapping[str, Any]) -> None:
    options = dict(options)
    settings = _settings(options)
    if is_prototypes(model):
        assert model is not None
        if adapter is not None:
            raise errors.ValidationError("the classifier backend takes no adapter", field="adapter")
        check_prototypes(model, options)
        return
    if _is_head(model):
        from flyloop.improve.head_model import check_head

        assert model is not None
        check_head(model, settings)  # the artifact is here, a head, with an embedder this process can load
    elif model not in (None, KNN):
        raise errors.ValidationError(
            f"the classifier backend's model is the vote ({KNN!r}), a head artifact (hd_...) or zero-shot "
            f"label descriptions (prototypes:<embedder>), not {model!r}; "
            "the bank is the policy's bank",
            field="model",
        )
    if adapter is not None:
        raise errors.ValidationError("the classifier backend takes no adapter", field="adapter")
    k = options.get("k", DEFAULT_K)
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise errors.ValidationError(f"the classifier's k must be a whole number, 1 or more, got {k!r}", field="k")


def _factory(*, model: str | None = None, adapter: str | None = None, **options: Any) -> Backend:
    bank = options.pop("bank", None)
    if is_prototypes(model):
        assert model is not None
        _check(model, adapter, options)
        return PrototypeClassifier(model, options["label_descriptions"], _settings(options))
    settings = _settings(options)
    if _is_head(model):
        from flyloop.improve.head_model import HeadClassifier

        _check(None, adapter, options)
        unknown = sorted(set(options) - {"k"})  # a head needs no bank and ignores k
        if unknown:
            raise errors.ValidationError(
                f"the classifier backend has no option {unknown[0]!r}", field=f"params.{unknown[0]}"
            )
        assert model is not None
        return HeadClassifier(model, settings)
    if not isinstance(bank, BankIndex):
        raise errors.ConfigError(
            "the classifier backend needs the policy's bank: backend('classifier', bank=load_bank(...))", field="bank"
        )
    _check(model, adapter, options)
    unknown = sorted(set(options) - {"k"})
    if unknown:
        raise errors.ValidationError(
            f"the classifier backend has no option {unknown[0]!r}", field=f"params.{unknown[0]}"
        )
    return ClassifierBackend(bank, k=options.get("k", DEFAULT_K), model=model)


def classifier_for(bank: BankIndex, k: int | None = None) -> ClassifierBackend:
    """The (cached) classifier over a loaded bank; ``k`` None or 0: :data:`DEFAULT_K`."""
    built = backend(CLASSIFIER, bank=bank, k=k or DEFAULT_K)
    assert isinstance(built, ClassifierBackend)
    return built


# Imported last: the prototypes module builds its Classification from this one.
from flyloop.improve.prototypes import PrototypeClassifier, is_prototypes  # noqa: E402
from flyloop.improve.prototypes import check as check_prototypes  # noqa: E402

register_backend(CLASSIFIER, _factory, check=_check)
