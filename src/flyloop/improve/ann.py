"""Nearest-neighbour indexes over a bank's unit vectors: usearch's HNSW graph when the ``embed``
extra is installed, exact numpy search otherwise.

Both answer the same question (the positions of the rows with the highest inner product with a
unit query, best first, with that product as the score) behind one Protocol, so a bank works the
same on a core install, only slower past some tens of thousands of examples. usearch was picked
after measuring it beside faiss's HNSW on the bank benchmark's 100,000 MiniLM vectors of real
text (``bench/bench_policy.py``): both meet the recall target, usearch builds faster on two cores,
saves to one file, and supports removing a key in place, which erasure needs.

A position is the row of the example in the bank (``bank_examples.position``), and the key the
index stores. Erasure removes positions from the index (:meth:`VectorIndex.remove`); the exact
index masks them.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from flyloop import errors
from flyloop.extras import require

Vectors = NDArray[np.float32]
Positions = NDArray[np.int64]
Scores = NDArray[np.float32]

USEARCH = "usearch-hnsw"
EXACT = "exact"
KINDS = (USEARCH, EXACT)

# HNSW parameters. connectivity 16 and expansion_add 128 are usearch's defaults; expansion_search
# 64 is where the benchmark's recall@5 against exact search passes 0.95 at 100,000 and 1,000,000
# real-text vectors with sub-millisecond queries (bench/results/policy.json).
HNSW_DEFAULTS: dict[str, Any] = {"connectivity": 16, "expansion_add": 128, "expansion_search": 64}


class VectorIndex(Protocol):
    """Inner-product search over unit rows keyed by position."""

    kind: str

    def search(self, query: Vectors, count: int) -> tuple[Positions, Scores]:
        """The ``count`` best positions (fewer when the index holds fewer), best first, and their scores."""
        ...

    def remove(self, positions: list[int]) -> None: ...

    def save(self, path: Path) -> None: ...

    def params(self) -> dict[str, Any]: ...

    def __len__(self) -> int: ...


class ExactIndex:
    """Every row scored by one matrix product: exact, and fast enough up to tens of thousands of
    rows; what a core install (no usearch) uses. Saves nothing: it is rebuilt from the vectors."""

    kind = EXACT

    def __init__(self, vectors: Vectors, removed: list[int] | tuple[int, ...] = ()) -> None:
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.alive = np.ones(len(self.vectors), dtype=bool)
        self.alive[list(removed)] = False

    def search(self, query: Vectors, count: int) -> tuple[Positions, Scores]:
        scores = self.vectors @ np.asarray(query, dtype=np.float32)
        scores[~self.alive] = -np.inf
        count = min(count, int(self.alive.sum()))
        if count <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        top = np.argpartition(-scores, count - 1)[:count] if count < len(scores) else np.arange(len(scores))
        # ties broken by position, so the answer is the same on every run
        order = np.lexsort((top, -scores[top]))
        best = top[order].astype(np.int64)
        return best, scores[best].astype(np.float32)

    def remove(self, positions: list[int]) -> None:
        self.alive[positions] = False

    def save(self, path: Path) -> None:
        """Nothing to write: the vectors file is the index."""

    def params(self) -> dict[str, Any]:
        return {}

    def __len__(self) -> int:
        return int(self.alive.sum())


class UsearchIndex:
    """usearch's HNSW graph, inner-product metric over float32 rows (the rows are unit vectors, so
    the inner product is the cosine). Single queries run on one thread: for one query of a few
    hundred dimensions a thread pool's hand-off costs more than the search."""

    kind = USEARCH

    def __init__(self, index: Any, params: dict[str, Any]) -> None:
        self._index = index
        self._params = params

    @classmethod
    def build(cls, vectors: Vectors, **params: Any) -> UsearchIndex:
        usearch_index = require("usearch.index", "embed", "the bank's HNSW index")
        chosen = {**HNSW_DEFAULTS, **params}
        index = usearch_index.Index(ndim=vectors.shape[1], metric="ip", dtype="f32", **chosen)
        if len(vectors):
            index.add(np.arange(len(vectors), dtype=np.uint64), np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index, chosen)

    @classmethod
    def load(cls, path: Path, params: dict[str, Any]) -> UsearchIndex:
        usearch_index = require("usearch.index", "embed", "the bank's HNSW index")
        index = usearch_index.Index.restore(str(path))
        if index is None:
            raise errors.ConfigError(f"not a usearch index file: {path}")
        # the search breadth is not part of the graph: set it again from the manifest
        index.expansion_search = int(params.get("expansion_search", HNSW_DEFAULTS["expansion_search"]))
        return cls(index, {**HNSW_DEFAULTS, **params})

    def search(self, query: Vectors, count: int) -> tuple[Positions, Scores]:
        if count <= 0 or len(self._index) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        matches = self._index.search(np.asarray(query, dtype=np.float32), count, threads=1)
        # the ip metric's distance is 1 - inner product
        return matches.keys.astype(np.int64), (1.0 - matches.distances).astype(np.float32)

    def remove(self, positions: list[int]) -> None:
        present = [p for p in positions if self._index.contains(p)]
        if present:
            self._index.remove(np.asarray(present, dtype=np.uint64))

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        self._index.save(str(tmp))
        os.replace(tmp, path)

    def params(self) -> dict[str, Any]:
        return dict(self._params)

    def __len__(self) -> int:
        return len(self._index)


def default_kind() -> tuple[str, str]:
    """(kind, why): usearch's HNSW when installed, else exact numpy search with the reason."""
    if importlib.util.find_spec("usearch") is None:
        return EXACT, "usearch is not installed (pip install 'flyloop[embed]'): exact numpy search"
    return USEARCH, "usearch is installed (the embed extra)"


def build_index(vectors: Vectors, kind: str | None = None, **params: Any) -> VectorIndex:
    """An index of ``kind`` (None: :func:`default_kind`) over ``vectors``, keyed by row."""
    kind = kind or default_kind()[0]
    if kind == USEARCH:
        return UsearchIndex.build(vectors, **params)
    if kind == EXACT:
        return ExactIndex(vectors)
    raise errors.ConfigError(f"unknown index kind {kind!r}: one of {', '.join(KINDS)}", field="index")


def index_file(kind: str) -> str | None:
    """The file name an index of ``kind`` is saved under in the bank's folder (None: none)."""
    return "index.usearch" if kind == USEARCH else None


def open_index(
    folder: Path, kind: str, params: dict[str, Any], vectors: Vectors, removed: list[int]
) -> tuple[VectorIndex, bool]:
    """The bank's index from its folder: loaded from its file, or rebuilt from ``vectors`` (without
    the ``removed`` positions) when the file is missing or usearch is not installed here. Returns
    (index, rebuilt)."""
    name = index_file(kind)
    if kind == USEARCH and importlib.util.find_spec("usearch") is not None:
        assert name is not None
        if (folder / name).is_file():
            return UsearchIndex.load(folder / name, params), False
        index: VectorIndex = UsearchIndex.build(vectors, **params)
        index.remove(removed)
        return index, True
    return ExactIndex(vectors, removed), kind != EXACT
