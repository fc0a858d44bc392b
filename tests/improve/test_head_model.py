"""A head as data (flyloop.improve.head_model): arrays and JSON that load without running code, a
stable softmax, and word features that are scikit-learn's TF-IDF from the stored vocabulary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from flyloop import errors
from flyloop.improve.head_model import (
    ARRAYS,
    Head,
    is_head_id,
    softmax,
    word_features,
)


def test_loading_a_head_never_runs_code(tmp_path: Path) -> None:
    """An object array (what pickle would restore) is refused, and so is a head whose arrays do not fit."""
    folder = tmp_path / "head"
    head = Head(
        ("a", "b"), ("a", "b"), np.eye(2, 4, dtype=np.float32), np.zeros(2, dtype=np.float32), 1.0, "hashing", 4
    )
    head.save(folder)
    loaded = Head.load(folder)
    assert (loaded.classes, loaded.labels, loaded.temperature, loaded.embedder) == (
        ("a", "b"),
        ("a", "b"),
        1.0,
        "hashing",
    )
    assert np.array_equal(loaded.coef, head.coef) and np.array_equal(loaded.intercept, head.intercept)
    np.savez(folder / ARRAYS, coef=np.array([{"x": 1}], dtype=object), intercept=np.zeros(2))
    with pytest.raises(errors.BackendError) as refused:
        Head.load(folder)
    assert refused.value.field == "model" and "allow_pickle=False" in refused.value.message
    np.savez(folder / ARRAYS, coef=np.zeros((3, 4), dtype=np.float32), intercept=np.zeros(2, dtype=np.float32))
    with pytest.raises(errors.ValidationError) as misfit:
        Head.load(folder)
    assert misfit.value.field == "head" and "needs coef (2, 4)" in misfit.value.message


def test_what_names_a_head_and_a_stable_softmax() -> None:
    assert is_head_id("hd_" + "0" * 16) and not is_head_id("em_" + "0" * 16) and not is_head_id(None)
    assert np.allclose(softmax(np.array([[1000.0, 1000.0]])), [[0.5, 0.5]])


def test_word_features_are_scikit_learns_tfidf_from_the_stored_vocabulary() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [
        "invoice attached for the march order",
        "the invoice for your order is attached",
        "order invoice enclosed",
        "win a free prize now",
        "free prize waiting claim now",
        "claim your free prize",
    ]
    fitted = TfidfVectorizer(sublinear_tf=True, min_df=2).fit(texts)
    terms = list(fitted.get_feature_names_out())
    assert terms == ["attached", "claim", "for", "free", "invoice", "now", "order", "prize", "the", "your"]
    unseen = ["FREE free prize, the invoice", "nothing known here"]
    ours = word_features(unseen, terms, fitted.idf_.astype(np.float32)).toarray()
    assert np.allclose(ours, fitted.transform(unseen).toarray(), atol=1e-6)
    assert np.allclose(np.linalg.norm(ours[0]), 1.0) and (ours[1] == 0).all()  # no known term: zeros
