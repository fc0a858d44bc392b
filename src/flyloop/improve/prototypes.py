"""Zero-shot classification for a choice workload before it has any labelled data: each label is
described in words, the descriptions and the input are embedded, and the nearest description wins.

Round 0 of a triage or routing workload has no examples for a bank to vote over and no labels
for a head to learn from, yet the app must answer from its first request, through flyloop, so that
every interaction it logs names the version that answered. A ``classifier`` version whose model
is ``prototypes:<embedder>`` (a registered embedder name, or a fine-tuned ``em_`` artifact) with
``params={"label_descriptions": {label: text, ...}}`` covering every declared label does that::

    fw.policies.register({"workload": "triage", "backend": "classifier", "model": "prototypes:minilm-int8",
                          "params": {"label_descriptions": {"spam": "Unsolicited bulk advertising ...",
                                                            "ham": "A personal or work email ..."}}})

The scores are a softmax of the cosines at a fixed temperature (:data:`TEMPERATURE`): they order
the labels, they are not calibrated probabilities (a head's are). How well it does depends on the
wording of the descriptions (on SpamAssassin, 0.59 to 0.70 accuracy by wording with MiniLM): it is
a starting point for the wheel, which the bank and the head then replace.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from flyloop import errors
from flyloop.improve.backends import Generation, Messages
from flyloop.improve.classifier import CLASSIFIER, Classification
from flyloop.settings import Settings

PREFIX = "prototypes:"
TEMPERATURE = 0.05  # cosines of MiniLM vectors differ by hundredths: sharpen them into shares
MAX_DESCRIPTION_CHARS = 4000


def is_prototypes(model: str | None) -> bool:
    return isinstance(model, str) and model.startswith(PREFIX)


def check_descriptions(descriptions: Any) -> dict[str, str]:
    """``descriptions`` as a label → text mapping, refused naming the field when it is not one.
    (That they describe each of the workload's labels is the registry's check, which knows them.)"""
    field = "params.label_descriptions"
    if descriptions is None:
        # Zero-shot prototypes are the descriptions' embeddings: without them there is nothing to vote.
        raise errors.ValidationError(
            "a prototypes model needs a description of each label: label_descriptions, an object of "
            'label: text (on the command line: --param \'label_descriptions={"spam": "...", "ham": "..."}\')',
            field=field,
        )
    if not isinstance(descriptions, Mapping) or not descriptions:
        raise errors.ValidationError("label_descriptions must be an object of label: text", field=field)
    for label, text in descriptions.items():
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_DESCRIPTION_CHARS:
            raise errors.ValidationError(
                f"the description of {label!r} must be a text of 1 to {MAX_DESCRIPTION_CHARS} characters",
                field=f"{field}.{label}",
            )
    return {str(k): str(v) for k, v in descriptions.items()}


def check(model: str, options: Mapping[str, Any]) -> None:
    """The fast check of a prototypes model (no model loads): its embedder named, its descriptions given."""
    name = model[len(PREFIX) :]
    if not name:
        raise errors.ValidationError("name the embedder: prototypes:<embedder>", field="model")
    check_descriptions(options.get("label_descriptions"))
    unknown = sorted(set(options) - {"label_descriptions", "k", "home"})
    if unknown:
        raise errors.ValidationError(
            f"the classifier backend has no option {unknown[0]!r}", field=f"params.{unknown[0]}"
        )


class PrototypeClassifier:
    """The ``classifier`` backend for a ``prototypes:<embedder>`` model (see the module's docstring)."""

    name = CLASSIFIER

    def __init__(self, model: str, descriptions: Mapping[str, str], settings: Settings | None = None) -> None:
        from flyloop.improve.setfit import load_embedder

        check(model, {"label_descriptions": descriptions})
        self.model = model
        self.labels = sorted(descriptions)  # JSONB (PostgreSQL) keeps no key order: sorted, on both stores
        self.embedder = load_embedder(model[len(PREFIX) :], settings or Settings())
        vectors = np.asarray(self.embedder.embed([descriptions[label] for label in self.labels]), dtype=np.float32)
        self.prototypes = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def classify_many(self, inputs: Sequence[Any]) -> list[Classification]:
        """The nearest label description to each input (a text, or chat messages' contents)."""
        from flyloop.improve.bank import input_text

        started = time.perf_counter()
        vectors = np.asarray(self.embedder.embed([input_text(i) for i in inputs]), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        cosines = vectors @ self.prototypes.T
        elapsed = (time.perf_counter() - started) * 1e3
        out = []
        for row in cosines:
            shares = np.exp((row - row.max()) / TEMPERATURE)
            shares /= shares.sum()
            out.append(
                Classification(
                    text=self.labels[int(row.argmax())],
                    tokens_in=0,
                    tokens_out=0,
                    latency_ms=elapsed,
                    model=self.model,
                    finish_reason="stop",
                    scores={label: round(float(p), 6) for label, p in zip(self.labels, shares, strict=True)},
                )
            )
        return out

    def classify(self, input: Any) -> Classification:
        return self.classify_many([input])[0]

    def generate(self, messages: Messages, **params: Any) -> Generation:
        """Classify the last user turn (generation parameters mean nothing here: ignored)."""
        from flyloop.improve.classifier import _last_user_turn

        return self.classify(_last_user_turn(messages))

    def generate_batch(self, batch: Sequence[Messages], **params: Any) -> list[Generation]:
        from flyloop.improve.classifier import _last_user_turn

        return list(self.classify_many([_last_user_turn(m) for m in batch]))
