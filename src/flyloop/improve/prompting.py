"""What a policy version sends for one input: the examples its bank retrieves (by its selector
and token budget) and the messages its template renders around them.

Serving (:mod:`flyloop.rollout`) renders a request with it, and evaluation
(:mod:`flyloop.evaluate`) renders each held-out case the same way, so that a version is measured
on exactly the messages its users would be sent.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from flyloop import errors
from flyloop.registry import MAX_K, PolicyVersion, render_messages

from .bank_index import BankIndex, load_bank
from .embedders import Embedder, embedder

if TYPE_CHECKING:
    from flyloop.settings import Settings
    from flyloop.store import Store


@dataclass(frozen=True)
class Rendered:
    """What one request sends: the messages, and the examples retrieved for its input."""

    version: PolicyVersion
    messages: list[dict[str, str]]
    examples: list[Any] = field(default_factory=list)

    @property
    def example_ids(self) -> list[str]:
        return [e.id for e in self.examples]


def check_k(k: Any) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k <= MAX_K:
        raise errors.ValidationError(f"k must be a whole number from 0 to {MAX_K}", field="k")
    return k


def check_input(input: Any) -> str | list[dict[str, str]]:
    """An interaction's input as a policy takes it: a text, or chat messages ``{"role", "content"}``."""
    if isinstance(input, str):
        return input
    if isinstance(input, list) and input:
        for n, message in enumerate(input):
            if (
                not isinstance(message, Mapping)
                or not isinstance(message.get("role"), str)
                or not isinstance(message.get("content"), str)
            ):
                raise errors.ValidationError(
                    "each message must be an object with a role and a content string", field=f"input[{n}]"
                )
        return [dict(m) for m in input]
    raise errors.ValidationError("input must be a text or a non-empty list of chat messages", field="input")


def query_text(input: str | Sequence[Mapping[str, str]]) -> str:
    """The text examples are retrieved for: the input, or the last user message of a chat."""
    if isinstance(input, str):
        return input
    for message in reversed(input):
        if message.get("role") == "user":
            return str(message.get("content", ""))
    return str(input[-1].get("content", ""))


def examples(
    store: Store,
    project_id: str,
    version: PolicyVersion,
    input: str | Sequence[Mapping[str, str]],
    k: int | None = None,
    *,
    settings: Settings | None = None,
) -> list[Any]:
    """The examples ``version`` shows the model for ``input``: ``k`` (the version's by default)
    from its bank, by its selector and token budget. None when it has no bank or ``k`` is 0."""
    k = check_k(version.k if k is None else k)
    if not version.bank or k == 0:
        return []
    return search(load_bank(store, project_id, version.bank, settings), version, input, k, settings=settings)


def search(
    bank: BankIndex,
    version: PolicyVersion,
    input: str | Sequence[Mapping[str, str]],
    k: int,
    *,
    settings: Settings | None = None,
) -> list[Any]:
    """``k`` examples of ``bank`` for ``input``, by the version's selector and token budget."""
    home = settings.home if settings is not None and settings.embed_query_cache else None
    vector = query_vector(bank.bank.embedder, query_text(input), home=home)
    return list(bank.search(vector, k, selector=version.selector, token_budget=version.token_budget))


# Query embedders, one per embedder name, cached in memory only. A request's input is embedded
# here rather than by the bank's own embedder, whose cache is a file under the home: every
# distinct question users ask would be appended to it (and the file mapped again), and a user's
# words would outlive the request on disk, out of erasure's reach. The ``embed_query_cache``
# setting opts in to the file for inputs that are not personal (a benchmark, public documents).
_QUERY_EMBEDDERS: dict[tuple[str, str | None], Embedder] = {}
_QUERY_LOCK = threading.Lock()


def query_embedder(name: str, home: str | None = None) -> Embedder:
    """The embedder ``name`` for queries (loaded once per process; an LRU in memory, and the file
    cache under ``home`` only when one is given). ConfigError or ImportError when it does not load here."""
    key = (name, home)
    found = _QUERY_EMBEDDERS.get(key)
    if found is None:
        with _QUERY_LOCK:
            found = _QUERY_EMBEDDERS.get(key)
            if found is None:
                found = _QUERY_EMBEDDERS[key] = embedder(name, home=home)
    return found


def query_vector(name: str, text: str, *, home: str | None = None) -> NDArray[np.float32]:
    return np.asarray(query_embedder(name, home).embed([text])[0], dtype=np.float32)


def render(
    store: Store,
    project_id: str,
    version: PolicyVersion,
    input: str | list[dict[str, str]],
    *,
    variables: Mapping[str, Any] | None = None,
    k: int | None = None,
    settings: Settings | None = None,
) -> Rendered:
    """The messages ``version`` sends for ``input``: system prompt, the retrieved examples as
    turns, then the input (:func:`flyloop.registry.render_messages`), with the examples used."""
    input = check_input(input)
    shown = examples(store, project_id, version, input, k, settings=settings)
    return Rendered(version, render_messages(version, input, shown, **dict(variables or {})), shown)
