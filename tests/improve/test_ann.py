"""The nearest-neighbour indexes: faiss's HNSW agrees with exact search, removal, saving and
loading, and a bank folder without its index file rebuilds it."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from flyloop import errors
from flyloop.improve import ann

needs_faiss = pytest.mark.skipif(
    importlib.util.find_spec("faiss") is None, reason="faiss is not installed (embed extra)"
)


def clustered(n: int = 2000, dim: int = 32, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, dim))
    rows = centres[rng.integers(0, 40, n)] + 0.3 * rng.normal(size=(n, dim))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_exact_index_orders_by_inner_product_then_position():
    vectors = np.array([[1, 0], [0, 1], [1, 0], [0.6, 0.8]], dtype=np.float32)
    index = ann.ExactIndex(vectors)
    positions, scores = index.search(np.array([1, 0], dtype=np.float32), 3)
    assert positions.tolist() == [0, 2, 3] and scores.tolist() == pytest.approx([1.0, 1.0, 0.6])
    index.remove([0])
    assert index.search(np.array([1, 0], dtype=np.float32), 5)[0].tolist() == [2, 3, 1]
    assert len(index) == 3
    assert ann.ExactIndex(vectors, removed=[0, 1, 2, 3]).search(vectors[0], 2)[0].tolist() == []


@needs_faiss
def test_faiss_agrees_with_exact_search_and_forgets_removed_rows(tmp_path):
    vectors = clustered()
    hnsw, exact = ann.build_index(vectors, ann.FAISS), ann.build_index(vectors, ann.EXACT)
    assert hnsw.kind == ann.FAISS and hnsw.params() == ann.HNSW_DEFAULTS
    hits = 0
    for q in vectors[:200]:
        got, scores = hnsw.search(q, 5)
        want, want_scores = exact.search(q, 5)
        hits += len(set(got.tolist()) & set(want.tolist()))
        assert scores[0] == pytest.approx(want_scores[0], abs=1e-5)
    assert hits / 1000 >= 0.98
    assert hnsw.search(vectors[7], 1)[0].tolist() == [7]
    hnsw.remove([7, 7, 99999])  # twice, and a position it never had: harmless
    assert 7 not in hnsw.search(vectors[7], 10)[0].tolist() and len(hnsw) == len(vectors) - 1
    hnsw.save(tmp_path / "index.faiss")
    loaded = ann.FaissIndex.load(tmp_path / "index.faiss", {"expansion_search": 100})
    assert loaded.params()["expansion_search"] == 100 and len(loaded) == len(vectors) - 1
    assert loaded.search(vectors[8], 3)[0].tolist() == hnsw.search(vectors[8], 3)[0].tolist()


@needs_faiss
def test_open_index_loads_the_file_or_rebuilds_without_removed_rows(tmp_path):
    vectors = clustered(300)
    ann.build_index(vectors, ann.FAISS).save(tmp_path / "index.faiss")
    index, rebuilt = ann.open_index(tmp_path, ann.FAISS, {}, vectors, [])
    assert rebuilt is False and len(index) == 300
    (tmp_path / "index.faiss").unlink()
    index, rebuilt = ann.open_index(tmp_path, ann.FAISS, {}, vectors, [4, 5])
    assert rebuilt is True and len(index) == 298 and 4 not in index.search(vectors[4], 5)[0].tolist()
    exact, rebuilt = ann.open_index(tmp_path, ann.EXACT, {}, vectors, [4])
    assert exact.kind == ann.EXACT and rebuilt is False and len(exact) == 299


def test_default_kind_says_why_and_unknown_kinds_are_refused():
    kind, why = ann.default_kind()
    assert (kind, "faiss is installed" in why) in {(ann.FAISS, True), (ann.EXACT, False)}
    with pytest.raises(errors.ConfigError) as info:
        ann.build_index(clustered(10), "annoy")
    assert info.value.field == "index" and "faiss-hnsw, exact" in str(info.value)
