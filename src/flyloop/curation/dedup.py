"""Deduplication: exact (normalized hash) and near-duplicate (MinHash LSH, datasketch).

Duplicates overweight whatever users repeat and leak between training and held-out splits, so a
dataset keeps one copy of each. Items are taken best first (the caller's ranking: the
best-labelled copy wins); an item is dropped when its normalized text was already kept
(``exact``) or when a better-ranked kept item's estimated Jaccard similarity over word shingles
reaches ``near_threshold`` (``near``).

:func:`near_duplicate_groups` clusters texts instead (connected components of the
near-duplicate graph, SciPy's ``connected_components``): the splits use it so that no
near-duplicate prompt lands on both sides of a split.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

T = TypeVar("T")

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


class DedupConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    exact: bool = True
    near: bool = True
    near_threshold: float = Field(0.85, gt=0, lt=1)
    num_perm: int = Field(64, ge=16, le=512)
    shingle_words: int = Field(3, ge=1, le=10)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", text).strip().rstrip(".!?;:,").strip()


@lru_cache(maxsize=500_000)  # prompts and outputs repeat across kinds and stages: normalize each once
def normalize(text: str) -> str:
    """Unicode-compatible, case-folded, whitespace-collapsed, without closing punctuation:
    ``"The answer is  85."`` and ``"the answer is 85"`` are the same text."""
    return _normalize(text)


@lru_cache(maxsize=500_000)
def digest(text: str) -> bytes:
    return hashlib.blake2b(normalize(text).encode(), digest_size=16).digest()


def _digest_once(text: str) -> bytes:
    """:func:`digest` for a text seen once (a whole example's parts joined): it stays out of
    the caches, where it would only evict the prompts and outputs that do repeat."""
    return hashlib.blake2b(_normalize(text).encode(), digest_size=16).digest()


def shingles(text: str, size: int) -> list[bytes]:
    """Word ``size``-grams of the normalized text; a shorter text is one shingle of all its words."""
    words = _WORD.findall(normalize(text))
    if len(words) <= size:
        return [" ".join(words).encode()] if words else []
    return list({" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)})


class Signatures:
    """MinHash signatures (datasketch) of text parts, computed once per distinct normalized part.

    An example's signature is the element-wise minimum of its parts' signatures: the MinHash of
    a union of shingle sets is the minimum of their MinHashes, so a prompt shared by a thousand
    examples is hashed once, not a thousand times. Signatures live in one table, a row per
    distinct part; row 0 is the empty set's (all maximal: the identity of the minimum)."""

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self._slot: dict[bytes, int] = {}
        self._text: dict[str, int] = {}  # the same text verbatim: its row without normalizing it again
        self._blocks: list[np.ndarray] = [np.full((1, config.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)]
        self._size = 1

    def slots(self, parts: Sequence[str | None]) -> np.ndarray:
        """The table row of each part (None: the empty set), hashing the parts not seen yet."""
        from datasketch import MinHash

        slot, by_text, size = self._slot, self._text, self.config.shingle_words
        out = [0] * len(parts)
        todo: dict[bytes, list[bytes]] = {}
        pending: list[tuple[int, str, bytes]] = []
        for n, part in enumerate(parts):
            if part is None:
                continue
            row = by_text.get(part)
            if row is not None:
                out[n] = row
                continue
            key = digest(part)
            row = slot.get(key)
            if row is not None:
                out[n] = by_text[part] = row
                continue
            if key not in todo:
                todo[key] = shingles(part, size)
                if not todo[key]:
                    slot[key] = by_text[part] = 0
                    del todo[key]
                    continue
            pending.append((n, part, key))
        if todo:
            # One MinHash, cleared between parts: what MinHash.bulk computes, without a new
            # sketch object per part (which was most of its cost).
            sketch = MinHash(num_perm=self.config.num_perm, seed=1)
            block = np.empty((len(todo), self.config.num_perm), dtype=np.uint32)
            for n, (key, grams) in enumerate(todo.items()):
                sketch.clear()
                sketch.update_batch(grams)
                block[n] = sketch.hashvalues
                slot[key] = self._size + n
            self._blocks.append(block)
            self._size += len(todo)
        for n, part, key in pending:
            out[n] = by_text[part] = slot[key]
        return np.array(out, dtype=np.int64)

    def _table(self) -> np.ndarray:
        if len(self._blocks) > 1:
            self._blocks = [np.concatenate(self._blocks)]
        return self._blocks[0]

    def matrix(self, items: Sequence[Sequence[str]]) -> np.ndarray:
        """One signature row per item (a sequence of parts)."""
        width = max((len(parts) for parts in items), default=1) or 1
        flat: list[str | None] = []
        for parts in items:
            flat.extend(parts)
            flat.extend([None] * (width - len(parts)))
        index = self.slots(flat).reshape(len(items), width)
        table = self._table()
        out = table[index[:, 0]]
        for col in range(1, width):
            np.minimum(out, table[index[:, col]], out=out)
        return out


def near_pairs(sig: np.ndarray, config: DedupConfig, fanout: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j), i < j, whose estimated Jaccard similarity reaches the threshold.

    Banding follows datasketch's LSH (its ``_optimal_param`` picks bands and rows); the buckets
    are built with numpy sorts instead of its index, which inserts one key at a time (~25 µs
    each: too slow for a million examples). Within a bucket each item is paired with at most
    ``fanout`` items ranked before it, which bounds the work on a huge bucket of look-alikes."""
    from datasketch.lsh import _optimal_param

    n = sig.shape[0]
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    bands, rows = _optimal_param(config.near_threshold, config.num_perm, 0.5, 0.5)
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    wide = sig.astype(np.uint64)
    for b in range(bands):
        h = np.zeros(n, dtype=np.uint64)
        for col in range(b * rows, (b + 1) * rows):
            h = h * np.uint64(1_000_003) + wide[:, col]  # wraps modulo 2**64, as intended
        order = np.argsort(h, kind="stable")  # stable: a bucket's members in index order
        hs = h[order]
        same = hs[1:] == hs[:-1]
        if not same.any():
            continue
        # Each member of a bucket pairs with the (up to) ``fanout`` members just before it:
        # one vectorized pass per distance instead of a Python loop per bucket.
        starts = np.flatnonzero(np.r_[True, ~same])
        rank = np.arange(n) - starts[np.cumsum(np.r_[True, ~same]) - 1]
        at = np.flatnonzero(rank >= 1)
        for d in range(1, fanout + 1):
            at = at[rank[at] >= d]
            if not len(at):
                break
            left.append(order[at - d])
            right.append(order[at])
    if not left:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # Each pair once, in (i, j) order: as one int64 key, a much cheaper sort than rows.
    keys = np.unique(np.concatenate(left).astype(np.int64) * n + np.concatenate(right))
    i, j = keys // n, keys % n
    similar = np.empty(len(i), dtype=bool)
    for start in range(0, len(i), 200_000):
        a, b = i[start : start + 200_000], j[start : start + 200_000]
        similar[start : start + 200_000] = (sig[a] == sig[b]).mean(axis=1) >= config.near_threshold
    return i[similar], j[similar]


def deduplicate(
    items: Sequence[T],
    *,
    parts: Callable[[T], Sequence[str]],
    rank: Callable[[T], SupportsRichComparison],
    config: DedupConfig,
    signatures: Signatures | None = None,
) -> tuple[list[T], dict[str, int]]:
    """Keep the best-ranked copy of each (near-)duplicate; returns the kept items in rank order
    and how many each rule removed. An item is its text ``parts`` (prompt, completion ...)."""
    ordered = sorted(items, key=rank)
    texts = [parts(item) for item in ordered]
    removed = {"exact": 0, "near": 0}
    if config.exact:
        seen: set[bytes] = set()
        seen_raw: set[tuple[str, ...]] = set()  # the same parts verbatim: a duplicate without normalizing
        keep_exact: list[int] = []
        for n, item_parts in enumerate(texts):
            raw = tuple(item_parts)
            if raw in seen_raw:
                removed["exact"] += 1
                continue
            seen_raw.add(raw)
            key = _digest_once(" || ".join(item_parts))
            if key in seen:
                removed["exact"] += 1
                continue
            seen.add(key)
            keep_exact.append(n)
        ordered, texts = [ordered[n] for n in keep_exact], [texts[n] for n in keep_exact]
    if config.near and len(ordered) > 1:
        signatures = signatures or Signatures(config)
        i, j = near_pairs(signatures.matrix(texts), config)
        # Greedy in rank order: an item goes when a better-ranked item that stayed is its near-duplicate.
        earlier: dict[int, list[int]] = {}
        for a, b in zip(i.tolist(), j.tolist()):
            earlier.setdefault(b, []).append(a)
        keep = [True] * len(ordered)
        for b in sorted(earlier):
            if any(keep[a] for a in earlier[b]):
                keep[b] = False
        removed["near"] = keep.count(False)
        ordered = [x for x, k in zip(ordered, keep) if k]
    return ordered, removed


def near_duplicate_groups(
    texts: Sequence[str], config: DedupConfig, signatures: Signatures | None = None
) -> np.ndarray:
    """A group label per text: texts equal after normalization, or near-duplicates (directly or
    through a chain of them), share a label (SciPy's ``connected_components``)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first: dict[bytes, int] = {}
    slot = np.empty(n, dtype=np.int64)
    unique: list[str] = []
    for k, t in enumerate(texts):
        key = digest(t)
        if key not in first:
            first[key] = len(unique)
            unique.append(t)
        slot[k] = first[key]
    m = len(unique)
    rows, cols = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if config.near and m > 1:
        signatures = signatures or Signatures(config)
        rows, cols = near_pairs(signatures.matrix([[t] for t in unique]), config)
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(m, m))
    _count, labels = connected_components(graph, directed=False)
    return labels[slot]
