"""Nearest-neighbour indexes over a bank's unit vectors: faiss's HNSW graph when the ``embed``
extra is installed, exact numpy search otherwise.

Both answer the same question (the positions of the rows with the highest inner product with a
unit query, best first, with that product as the score) behind one Protocol, so a bank works the
same on a core install, only slower past some tens of thousands of examples. faiss was picked
after measuring it beside usearch's HNSW with the same graph parameters on the bank benchmark's
100,000 MiniLM vectors of real text (``bench/bench_policy.py``, ``ann_comparison_100k``): at
equal recall@5 faiss answered one query in about 40% of usearch's time and built the graph in
about half of it on two cores. usearch can delete a node in place and faiss's HNSW cannot; a
removed position is masked and its stored vector zeroed instead (:class:`FaissIndex`).

A position is the row of the example in the bank (``bank_examples.position``), and the id the
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

FAISS = "faiss-hnsw"
EXACT = "exact"
KINDS = (FAISS, EXACT)

# HNSW parameters: 16 links a node (faiss's M), a breadth of 64 while inserting (efConstruction)
# and 128 while searching (efSearch). Measured on the benchmark's 100,000 real-text vectors
# (bench/bench_policy.py): insert breadth 64 builds in ~30 CPU seconds (40: 19 s, but recall@5
# 0.93 at search breadth 64); search breadth 128 keeps recall@5 against exact search near 0.97 for
# ~0.4 ms a query on one core (64: 0.95 for 0.23 ms, too close to the 0.95 target).
HNSW_DEFAULTS: dict[str, Any] = {"connectivity": 16, "expansion_add": 64, "expansion_search": 128}


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
    rows; what a core install (no faiss) uses. Saves nothing: it is rebuilt from the vectors."""

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


class FaissIndex:
    """faiss's HNSW graph over float32 rows (``IndexHNSWFlat``), inner-product metric (the rows
    are unit vectors, so the inner product is the cosine). One query searches on one thread
    (faiss parallelises over queries, and serving asks one at a time).

    An HNSW graph cannot drop a node, so :meth:`remove` masks the position (never returned
    again) and overwrites its stored vector with zeros (the saved file then holds nothing of
    the erased text); the graph keeps routing through the node, which is harmless."""

    kind = FAISS

    def __init__(self, index: Any, params: dict[str, Any]) -> None:
        self._index = index
        self._params = params
        self._index.hnsw.efSearch = int(params.get("expansion_search", HNSW_DEFAULTS["expansion_search"]))
        # removed positions are those whose stored vector is all zeros (a unit row never is)
        self._removed = set(np.flatnonzero(~self._rows().any(axis=1)).tolist()) if self._index.ntotal else set()

    def _rows(self) -> Vectors:
        """The stored vectors, as a writable view of faiss's own buffer (no copy)."""
        faiss = require("faiss", "embed", "the bank's HNSW index")
        storage = faiss.downcast_index(self._index.storage)
        flat = faiss.rev_swig_ptr(storage.get_xb(), self._index.ntotal * self._index.d)
        return flat.reshape(self._index.ntotal, self._index.d)

    @classmethod
    def build(cls, vectors: Vectors, **params: Any) -> FaissIndex:
        faiss = require("faiss", "embed", "the bank's HNSW index")
        chosen = {**HNSW_DEFAULTS, **params}
        index = faiss.IndexHNSWFlat(vectors.shape[1], int(chosen["connectivity"]), faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = int(chosen["expansion_add"])
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index, chosen)

    @classmethod
    def load(cls, path: Path, params: dict[str, Any]) -> FaissIndex:
        faiss = require("faiss", "embed", "the bank's HNSW index")
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise errors.ConfigError(f"not a faiss index file: {path} ({exc})") from None
        return cls(index, {**HNSW_DEFAULTS, **params})

    def search(self, query: Vectors, count: int) -> tuple[Positions, Scores]:
        count = min(count + len(self._removed), self._index.ntotal)
        if count <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, positions = self._index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), count)
        keep = [i for i, p in enumerate(positions[0].tolist()) if p >= 0 and p not in self._removed]
        return positions[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def remove(self, positions: list[int]) -> None:
        present = [p for p in positions if 0 <= p < self._index.ntotal and p not in self._removed]
        if present:
            self._rows()[present] = 0.0
            self._removed.update(present)

    def save(self, path: Path) -> None:
        faiss = require("faiss", "embed", "the bank's HNSW index")
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        os.replace(tmp, path)

    def params(self) -> dict[str, Any]:
        return dict(self._params)

    def __len__(self) -> int:
        return int(self._index.ntotal) - len(self._removed)


def default_kind() -> tuple[str, str]:
    """(kind, why): faiss's HNSW when installed, else exact numpy search with the reason."""
    if importlib.util.find_spec("faiss") is None:
        return EXACT, "faiss is not installed (pip install 'flyloop[embed]'): exact numpy search"
    return FAISS, "faiss is installed (the embed extra)"


def build_index(vectors: Vectors, kind: str | None = None, **params: Any) -> VectorIndex:
    """An index of ``kind`` (None: :func:`default_kind`) over ``vectors``, keyed by row."""
    kind = kind or default_kind()[0]
    if kind == FAISS:
        return FaissIndex.build(vectors, **params)
    if kind == EXACT:
        return ExactIndex(vectors)
    raise errors.ConfigError(f"unknown index kind {kind!r}: one of {', '.join(KINDS)}", field="index")


def index_file(kind: str) -> str | None:
    """The file name an index of ``kind`` is saved under in the bank's folder (None: none)."""
    return "index.faiss" if kind == FAISS else None


def open_index(
    folder: Path, kind: str, params: dict[str, Any], vectors: Vectors, removed: list[int]
) -> tuple[VectorIndex, bool]:
    """The bank's index from its folder: loaded from its file, or rebuilt from ``vectors`` (without
    the ``removed`` positions) when the file is missing, or exact search when faiss is not installed here. Returns
    (index, rebuilt)."""
    name = index_file(kind)
    if kind == FAISS and importlib.util.find_spec("faiss") is not None:
        assert name is not None
        if (folder / name).is_file():
            return FaissIndex.load(folder / name, params), False
        index: VectorIndex = FaissIndex.build(vectors, **params)
        index.remove(removed)
        return index, True
    return ExactIndex(vectors, removed), kind != EXACT
