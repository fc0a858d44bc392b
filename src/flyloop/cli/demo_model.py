"""The demo app's own model for its triage workload: an embedding model that reads a chat prompt
the way a language model would, registered as the backend ``embedding-vote``.

Round 0 of the demo has no labelled mail, only each label's description. The shipped
``classifier`` backend votes over a bank or runs a trained head, and has neither yet; an app would
start with a prompted model. This backend is that model, small enough for a laptop: it embeds
(``model``: an embedder name, ``minilm-int8`` or ``hashing``) and answers from what the rendered
messages hold, so a policy version's prompt and bank decide its answers, as they would an LLM's:

- the system prompt's ``label: description`` lines are its prototypes: with no example in the
  messages, the label whose description is nearest the input wins (zero-shot);
- the examples a version's bank retrieved (each a user turn and the assistant's label) vote, each
  weighing its cosine to the input (at or below zero: nothing), as the classifier's kNN does.

So the few-shot loop's candidate (the same version with a bank) is served, evaluated and canaried
through exactly the path a prompted model's would be. It lives in the demo, registered by the demo
for its process: an app brings its own model the same way (``flyloop.improve.register_backend``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from flyloop import errors, improve

NAME = "embedding-vote"


def system_prompt(descriptions: Mapping[str, str], instruction: str = "Label the email.") -> str:
    """The system prompt carrying each label's description, one ``label: description`` a line."""
    return "\n".join([instruction, *(f"{label}: {text}" for label, text in descriptions.items())])


def prototypes(system: str) -> dict[str, str]:
    """The ``label: description`` lines of a system prompt (the first line is the instruction)."""
    out: dict[str, str] = {}
    for line in system.splitlines()[1:]:
        label, sep, text = line.partition(":")
        if sep and label.strip() and " " not in label.strip():
            out[label.strip()] = text.strip()
    return out


class EmbeddingVote:
    """The backend (see the module's docstring). ``home``: the flyloop home whose embeddings cache
    it shares with the banks' queries."""

    name = NAME

    def __init__(self, model: str, home: str | None = None) -> None:
        self.model = model
        self.embedder = improve.query_embedder(model, home)
        self._labels: dict[str, tuple[list[str], np.ndarray]] = {}

    def _prototypes(self, system: str) -> tuple[list[str], np.ndarray]:
        found = self._labels.get(system)
        if found is None:
            described = prototypes(system)
            if len(described) < 2:
                raise errors.ValidationError(
                    "the embedding-vote model needs a system prompt with two or more 'label: description' lines",
                    field="system_prompt",
                )
            labels = list(described)
            found = self._labels[system] = (labels, self.embedder.embed([described[x] for x in labels]))
        return found

    def _answer(self, messages: Sequence[Mapping[str, str]], query: np.ndarray, started: float) -> improve.Generation:
        system = next((str(m.get("content", "")) for m in messages if m.get("role") == "system"), "")
        labels, label_vectors = self._prototypes(system)
        turns = [m for m in messages if m.get("role") in ("user", "assistant")][:-1]
        shots = [
            (str(u.get("content", "")), str(a.get("content", "")).strip()) for u, a in zip(turns[::2], turns[1::2])
        ]
        shots = [(text, label) for text, label in shots if label in labels]
        if shots:
            sims = self.embedder.embed([text for text, _ in shots]) @ query
            votes = dict.fromkeys(labels, 0.0)
            for (_, label), sim in zip(shots, sims):
                votes[label] += max(float(sim), 0.0)
            winner = max(labels, key=lambda x: votes[x])
        else:
            winner = labels[int(np.argmax(label_vectors @ query))]
        return improve.Generation(
            text=winner,
            tokens_in=0,
            tokens_out=0,
            latency_ms=(time.perf_counter() - started) * 1e3,
            model=f"{NAME}:{self.model}",
            finish_reason="stop",
        )

    def generate(self, messages: Sequence[Mapping[str, str]], **params: Any) -> improve.Generation:
        return self.generate_batch([messages])[0]

    def generate_batch(self, batch: Sequence[Sequence[Mapping[str, str]]], **params: Any) -> list[improve.Generation]:
        """Every conversation's label; the inputs are embedded in one call."""
        started = time.perf_counter()
        inputs = []
        for messages in batch:
            last = [m for m in messages if m.get("role") == "user"]
            if not last:
                raise errors.ValidationError("the embedding-vote model needs a user turn to label", field="messages")
            inputs.append(str(last[-1].get("content", "")))
        queries = self.embedder.embed(inputs)
        return [self._answer(messages, query, started) for messages, query in zip(batch, queries)]


def register(home: str | None = None) -> None:
    """Register the backend for this process; its embeddings are cached under ``home``."""

    def factory(*, model: str | None = None, adapter: str | None = None, **options: Any) -> improve.Backend:
        _check(model, adapter, options)
        assert model is not None
        return EmbeddingVote(model, home)

    improve.register_backend(NAME, factory, check=_check)


def _check(model: str | None, adapter: str | None, options: Mapping[str, Any]) -> None:
    if model not in improve.embedder_names():
        raise errors.ValidationError(
            f"the embedding-vote model is an embedder's name ({', '.join(improve.embedder_names())}), not {model!r}",
            field="model",
        )
    if adapter is not None:
        raise errors.ValidationError("the embedding-vote model takes no adapter", field="adapter")
