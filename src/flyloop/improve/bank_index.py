"""Serving a bank: :func:`load_bank` gives a :class:`BankIndex`, whose :meth:`~BankIndex.search`
returns the examples to put in a prompt for an input.

A loaded bank is cached per process (per store, project and bank id): its example rows, its
vectors and its index. Loading reads the index file saved with the bank, or rebuilds the index
from the vectors file when the index file is missing (and saves it), or embeds the stored inputs
again when the vectors are missing too (another machine's home; the embedders' cache makes that
cheap when it holds them).

Removed examples never come back: erasure in this process drops them from every loaded index at
once (:data:`flyloop.improve.bank.LOADED`), and a search checks the bank's ``removed`` count in
the store at most every ``REFRESH_S`` seconds, so an erasure made by another process (the worker,
the CLI) reaches a long-lived server within that time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray

from flyloop import errors
from flyloop.improve import ann, selectors
from flyloop.improve.bank import LOADED, Bank, bank_embedder, folder, get_bank, input_text
from flyloop.improve.embedders import Embedder
from flyloop.settings import Settings
from flyloop.store import Store, fetch_all, json_reader, schema

REFRESH_S = 1.0


@dataclass(frozen=True, slots=True)
class BankExample:
    """One example served: ``input`` as stored (a text or chat messages), the ideal ``output``,
    its ``label`` (choice workloads), curation's ``quality`` and the cosine ``score`` to the query."""

    id: str
    interaction_id: str
    input: Any
    output: str
    label: str | None
    quality: float
    score: float


class BankIndex:
    """A bank ready to search. Thread-safe: searches share the index, erasure swaps sets."""

    def __init__(
        self,
        store: Store,
        project_id: str,
        bank: Bank,
        rows: list[tuple[Any, ...]],
        vectors: NDArray[np.float32],
        index: ann.VectorIndex,
        settings: Settings,
    ) -> None:
        self.store, self.project_id, self.bank, self.settings = store, project_id, bank, settings
        self.where = folder(settings, project_id, bank.id)
        self.vectors = vectors
        self.index = index
        # rows: (example_id, interaction_id, input, output, label, quality, removed_at), by position
        self.ids = [r[0] for r in rows]
        self.interactions = [r[1] for r in rows]
        self.inputs = [r[2] for r in rows]
        self.outputs = [r[3] for r in rows]
        self.labels = [r[4] for r in rows]
        self.quality = [float(r[5]) for r in rows]
        self.removed = frozenset(i for i, r in enumerate(rows) if r[6] is not None)
        self._by_id: dict[str, list[int]] = {}
        for position, (example_id, interaction_id) in enumerate(zip(self.ids, self.interactions, strict=True)):
            self._by_id.setdefault(example_id, []).append(position)
            if interaction_id:
                self._by_id.setdefault(interaction_id, []).append(position)
        self._removed_count = bank.removed
        self._checked = time.monotonic()
        self.stale = False
        self._embedder: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def id(self) -> str:
        return self.bank.id

    def __len__(self) -> int:
        """Examples it serves."""
        return len(self.ids) - len(self.removed)

    # -- erasure --------------------------------------------------------------------------------------

    def drop(self, positions: Iterable[int]) -> None:
        """Stop serving these positions (erasure); their text leaves memory too."""
        positions = [p for p in positions if p not in self.removed]
        if not positions:
            return
        with self._lock:
            self.index.remove(positions)
            for p in positions:
                self.inputs[p] = self.outputs[p] = self.labels[p] = None
                self.vectors[p] = 0.0
            self.removed = self.removed | frozenset(positions)
            self._removed_count += len(positions)

    def refresh(self) -> None:
        """Pick up removals made by other processes (one primary-key read; the positions only when
        the count changed). A bank row gone, or stored again since this copy was loaded (its
        project emptied and the same bank built anew), marks this copy ``stale``: it serves
        nothing more, and :func:`load_bank` loads the bank again."""
        b, e = schema.banks, schema.bank_examples
        with self.store.read() as conn:
            row = conn.execute(
                sa.select(b.c.removed, b.c.created_at).where(b.c.project_id == self.project_id, b.c.id == self.bank.id)
            ).first()
            if row is None or row.created_at != self.bank.created_at:
                self.stale = True
                self.drop(range(len(self.ids)))
            elif row.removed != self._removed_count:
                gone = conn.execute(
                    sa.select(e.c.position).where(
                        e.c.project_id == self.project_id, e.c.bank_id == self.bank.id, e.c.removed_at.is_not(None)
                    )
                ).scalars()
                self.drop(list(gone))
                self._removed_count = row.removed
        self._checked = time.monotonic()

    # -- search ---------------------------------------------------------------------------------------

    def embed(self, text: str) -> NDArray[np.float32]:
        if self._embedder is None:
            self._embedder = bank_embedder(self.bank.embedder, self.settings)
        return self._embedder.embed([text])[0]

    def _query(self, query: Any) -> NDArray[np.float32]:
        if isinstance(query, np.ndarray):
            vector = np.asarray(query, dtype=np.float32).reshape(-1)
            if vector.shape[0] != self.bank.dimension:
                raise errors.ValidationError(
                    f"a query vector of {vector.shape[0]} dimensions for a bank of {self.bank.dimension}", field="query"
                )
            return vector
        if isinstance(query, str | list | dict):
            return self.embed(input_text(query))
        raise errors.ValidationError(
            f"a query is a text, chat messages or a vector, not {type(query).__name__}", field="query"
        )

    def search(
        self,
        query: Any,
        k: int,
        *,
        selector: str = "similarity",
        token_budget: int | None = None,
        exclude: Sequence[str] = (),
        lambda_: float = selectors.MMR_LAMBDA,
    ) -> list[BankExample]:
        """The examples for ``query`` (a text, chat messages, or a unit vector of the bank's
        dimension), chosen by ``selector`` among the nearest, within ``token_budget`` (rough
        tokens of input and output: :func:`~flyloop.improve.selectors.rough_tokens`). ``exclude``:
        example or interaction ids never to return (the interaction being evaluated)."""
        selectors.check(selector)
        if not isinstance(k, int) or k < 0:
            raise errors.ValidationError(f"k must be a whole number, 0 or more, got {k!r}", field="k")
        if k == 0:
            return []
        vector = self._query(query)
        if time.monotonic() - self._checked > REFRESH_S:
            self.refresh()
        skip = set(self.removed)
        for key in exclude:
            skip.update(self._by_id.get(key, ()))
        wanted = selectors.shortlist_size(selector, k)
        # ask for the skipped too: a stale index (another process's erasure not yet seen) may return them
        positions, scores = self.index.search(vector, wanted + len(skip))
        keep = [i for i, p in enumerate(positions.tolist()) if p not in skip][:wanted]
        positions, scores = positions[keep], scores[keep]
        if selector == "mmr":
            order = selectors.mmr(vector, self.vectors[positions], k, lambda_)
        elif selector == "balanced":
            order = selectors.balanced([self.labels[p] for p in positions.tolist()], k)
        else:
            order = selectors.similarity(scores, k)
        picked = [
            BankExample(
                id=self.ids[p],
                interaction_id=self.interactions[p],
                input=self.inputs[p],
                output=self.outputs[p],
                label=self.labels[p],
                quality=self.quality[p],
                score=float(scores[i]),
            )
            for i in order
            for p in (int(positions[i]),)
        ]
        if token_budget is not None:
            costs = [selectors.rough_tokens(input_text(ex.input) + ex.output) for ex in picked]
            picked = picked[: selectors.within_budget(costs, token_budget)]
        return picked


# --- loading -----------------------------------------------------------------------------------------

_load_lock = threading.Lock()


def load_bank(store: Store, project_id: str, bank_id: str, settings: Settings | None = None) -> BankIndex:
    """The bank ready to search, loaded once per process and store (again when the copy went
    stale: :meth:`BankIndex.refresh`)."""
    loaded = LOADED.setdefault(store, {})
    cached = loaded.get((project_id, bank_id))
    if isinstance(cached, BankIndex) and not cached.stale:
        return cached
    with _load_lock:
        cached = loaded.get((project_id, bank_id))
        if isinstance(cached, BankIndex) and not cached.stale:
            return cached
        index = _load(store, project_id, get_bank(store, project_id, bank_id), settings or Settings())
        loaded[(project_id, bank_id)] = index
        return index


def _load(store: Store, project_id: str, bank: Bank, settings: Settings) -> BankIndex:
    e = schema.bank_examples
    with store.read() as conn:
        fetched = fetch_all(
            conn,
            sa.select(e.c.example_id, e.c.interaction_id, e.c.input, e.c.output, e.c.label, e.c.quality, e.c.removed_at)
            .where(e.c.project_id == project_id, e.c.bank_id == bank.id)
            .order_by(e.c.position),
        )
        loads = json_reader(conn)
    rows: list[tuple[Any, ...]] = [(r[0], r[1], loads(r[2]), r[3], r[4], r[5], r[6]) for r in fetched]
    removed = [i for i, r in enumerate(rows) if r[6] is not None]
    where = folder(settings, project_id, bank.id)
    vectors = _vectors(where, bank, rows, settings)
    info = bank.manifest.get("index") or {}
    index, rebuilt = ann.open_index(where, info.get("kind", ann.EXACT), info.get("params") or {}, vectors, removed)
    index.remove(removed)  # an index file written before a removal this process missed
    name = ann.index_file(index.kind)
    if rebuilt and name is not None:
        index.save(where / name)
    return BankIndex(store, project_id, bank, rows, vectors, index, settings)


def _vectors(where: Path, bank: Bank, rows: list[tuple[Any, ...]], settings: Settings) -> NDArray[np.float32]:
    path = where / "vectors.npy"
    if path.is_file():
        vectors = np.load(path)
        if vectors.shape == (len(rows), bank.dimension):
            return np.ascontiguousarray(vectors, dtype=np.float32)
    # Not on this machine (or not whole): embed the stored inputs again; removed rows stay zero.
    vectors = np.zeros((len(rows), bank.dimension), dtype=np.float32)
    live = [i for i, r in enumerate(rows) if r[6] is None]
    if live:
        vectors[live] = bank_embedder(bank.embedder, settings).embed([input_text(rows[i][2]) for i in live])
    where.mkdir(parents=True, exist_ok=True)
    tmp = where / "vectors.npy.tmp.npy"
    np.save(tmp, vectors)
    tmp.replace(path)
    return vectors
