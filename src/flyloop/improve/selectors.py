"""Which of a bank's nearest examples go into the prompt, and in what order.

The index returns a shortlist of the examples nearest the input, best first (positions and
cosine scores). A selector picks ``k`` of them:

- ``similarity``: the ``k`` nearest;
- ``mmr`` (maximal marginal relevance, Carbonell and Goldstein 1998): each next pick maximises
  ``lambda * sim(input, x) - (1 - lambda) * max sim(x, picked)``, so near-copies of one example do
  not fill the prompt; the shortlist is ``SHORTLIST_FACTOR`` times ``k``;
- ``balanced`` (choice workloads): round-robin over the labels of the shortlist, each label's
  examples nearest first, labels in the order of their nearest example, so a prompt shows the
  model several answers rather than ``k`` copies of the most common one.

Then an optional token budget keeps the picks, in order, while their rough token count stays
within it (:func:`within_budget`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from flyloop import errors

Selector = Literal["similarity", "mmr", "balanced"]
SELECTORS: tuple[str, ...] = ("similarity", "mmr", "balanced")
SHORTLIST_FACTOR = 4
MIN_SHORTLIST = 20
MMR_LAMBDA = 0.7
TIE = 1e-6  # MMR values this close are equal (float rounding, not a preference)
CHARS_PER_TOKEN = 4


def check(selector: str) -> None:
    if selector not in SELECTORS:
        raise errors.ValidationError(f"unknown selector {selector!r}: one of {', '.join(SELECTORS)}", field="selector")


def shortlist_size(selector: str, k: int) -> int:
    """How many nearest examples the selector chooses among."""
    return k if selector == "similarity" else max(k * SHORTLIST_FACTOR, MIN_SHORTLIST)


def similarity(scores: NDArray[np.float32], k: int) -> list[int]:
    """The first ``k`` of the shortlist (already nearest first)."""
    return list(range(min(k, len(scores))))


def mmr(
    query: NDArray[np.float32],
    vectors: NDArray[np.float32],
    k: int,
    lambda_: float = MMR_LAMBDA,
) -> list[int]:
    """Indexes into the shortlist ``vectors`` (unit rows), picked by maximal marginal relevance.
    ``lambda_`` 1 is plain similarity; 0 only diversity. Ties go to the nearer (earlier) row."""
    if not 0.0 <= lambda_ <= 1.0:
        raise errors.ValidationError(f"mmr lambda must be within [0, 1], got {lambda_}", field="lambda_")
    n = len(vectors)
    if n == 0 or k <= 0:
        return []
    # In float64, and values within TIE of the best are a tie: float32 products round differently
    # from one BLAS kernel to another, and a query that repeats a shortlisted text makes exact ties
    # (its relevance row is that text's similarity row), which rounding must not break at random.
    vectors64 = np.asarray(vectors, dtype=np.float64)
    relevance = vectors64 @ np.asarray(query, dtype=np.float64)
    pairwise = vectors64 @ vectors64.T
    picked: list[int] = []
    redundancy = np.full(n, -np.inf)
    available = np.ones(n, dtype=bool)
    for _ in range(min(k, n)):
        penalty = np.where(np.isfinite(redundancy), redundancy, 0.0)
        value = lambda_ * relevance - (1.0 - lambda_) * penalty
        value[~available] = -np.inf
        best = int(np.flatnonzero(value >= value.max() - TIE)[0])  # of equal values, the first: the nearer
        picked.append(best)
        available[best] = False
        redundancy = np.maximum(redundancy, pairwise[best])
    return picked


def balanced(labels: Sequence[str | None], k: int) -> list[int]:
    """Round-robin over labels: indexes into the shortlist (nearest first). Examples without a
    label form one group of their own."""
    groups: OrderedDict[str | None, list[int]] = OrderedDict()
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    picked: list[int] = []
    depth = 0
    while len(picked) < min(k, len(labels)):
        for members in groups.values():
            if depth < len(members) and len(picked) < k:
                picked.append(members[depth])
        depth += 1
    return picked


def rough_tokens(text: str) -> int:
    """About four characters a token: what GPT-style BPE tokenizers average on English. A rough
    count on purpose: the budget guards the prompt's length, and loading the serving model's
    tokenizer for every request would cost more than the search itself. Never below 1."""
    return max(1, -(-len(text) // CHARS_PER_TOKEN))


def within_budget(costs: Sequence[int], budget: int | None) -> int:
    """How many of the picks, in order, fit: the count before the first pick that would take the
    running total past ``budget`` (None: all). A first pick over the budget alone gives 0."""
    if budget is None:
        return len(costs)
    if budget < 0:
        raise errors.ValidationError(f"token_budget must be 0 or more, got {budget}", field="token_budget")
    total = 0
    for n, cost in enumerate(costs):
        total += cost
        if total > budget:
            return n
    return len(costs)
