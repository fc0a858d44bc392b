"""Fitting a choice head (flyloop.improve.head_fit): calibrated by a temperature that never changes a
label, C chosen from its grid by the out-of-fold log-likelihood, the texts' words beside the
vectors, and the calibration error reported."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from flyloop import errors
from flyloop.improve.head_fit import fit_head, fit_words
from flyloop.improve.head_model import ARRAYS, META, Head, expected_calibration_error

WORDS = {
    "a": ["invoice attached for the march order", "the invoice for your order is attached", "order invoice enclosed"],
    "b": ["win a free prize now", "free prize waiting claim now", "claim your free prize"],
}


def test_calibration_is_reported_and_probabilities_sum_to_one() -> None:
    rng = np.random.default_rng(0)
    centre = rng.normal(size=(3, 16))
    truth = rng.integers(0, 3, size=600)
    x = centre[truth] + rng.normal(scale=1.5, size=(600, 16))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = ["x", "y", "z", "never"]
    fitted = fit_head(x[:400], [labels[t] for t in truth[:400]], labels, embedder="test", c=10.0)
    assert fitted.folds == 5 and fitted.head.classes == ("x", "y", "z") and fitted.c == 10.0
    assert fitted.head.terms == () and fitted.words_why == "not asked for"
    p = fitted.head.probabilities(x[400:])
    assert p.shape == (200, 4) and np.allclose(p.sum(axis=1), 1.0) and (p[:, 3] == 0).all()
    calibrated = expected_calibration_error(p, truth[400:])
    raw = expected_calibration_error(fitted.uncalibrated.probabilities(x[400:]), truth[400:])
    assert (round(calibrated, 4), round(raw, 4), fitted.head.temperature) == (0.0179, 0.0268, 1.109442)
    # Temperature never changes a label.
    assert (p.argmax(axis=1) == fitted.uncalibrated.probabilities(x[400:]).argmax(axis=1)).all()
    # A perfectly confident, always right classifier has no calibration error; a confident wrong one, all of it.
    assert expected_calibration_error(np.array([[1.0, 0.0]] * 4), np.array([0, 0, 0, 0])) == 0.0
    assert expected_calibration_error(np.array([[1.0, 0.0]] * 4), np.array([1, 1, 1, 1])) == 1.0


def test_a_head_with_words_reads_the_texts_saves_its_terms_and_a_format_1_head_still_loads(tmp_path: Path) -> None:
    # Vectors that say nothing (two random directions per label, shuffled): the words carry the label.
    rng = np.random.default_rng(3)
    texts = [t for _ in range(6) for rows in WORDS.values() for t in rows]
    labels = [label for _ in range(6) for label, rows in WORDS.items() for _ in rows]
    x = rng.normal(size=(len(texts), 8))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    plain = fit_head(x, labels, ["a", "b"], embedder="test")
    worded = fit_head(x, labels, ["a", "b"], embedder="test", texts=texts)
    assert (len(worded.head.terms), worded.head.coef.shape, worded.c) == (15, (2, 23), 3.0)
    assert list(worded.tried) == [0.1, 0.3, 1.0, 3.0, 10.0, 30.0] and worded.words_why == ""
    assert min(worded.tried.values()) == worded.tried[3.0] < min(plain.tried.values())
    unseen = ["please find the invoice attached", "you won a free prize"]
    noise = rng.normal(size=(2, 8))
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    p = worded.head.probabilities(noise, unseen)
    assert p.argmax(axis=1).tolist() == [0, 1] and np.allclose(p.sum(axis=1), 1.0)
    with pytest.raises(errors.ValidationError) as textless:
        worded.head.probabilities(noise)
    assert textless.value.field == "input" and "reads the texts as well" in textless.value.message

    folder = tmp_path / "worded"
    worded.head.save(folder)
    with np.load(folder / ARRAYS, allow_pickle=False) as arrays:
        assert sorted(arrays.files) == ["coef", "idf", "intercept"]
    loaded = Head.load(folder)
    assert loaded.terms == worded.head.terms and np.array_equal(loaded.probabilities(noise, unseen), p)
    # A head written before word features (format 1: no terms, no idf) loads and serves as it did.
    old = tmp_path / "old"
    plain.head.save(old)
    meta = json.loads((old / META).read_text())
    del meta["terms"]
    (old / META).write_text(json.dumps({**meta, "format": 1}))
    assert np.array_equal(Head.load(old).probabilities(noise), plain.head.probabilities(noise))
    # Terms without their idf, or repeated, are refused.
    with pytest.raises(errors.ValidationError) as no_idf:
        Head(("a", "b"), ("a", "b"), np.zeros((2, 10), np.float32), np.zeros(2, np.float32), 1.0, "t", 8, ("x", "y"))
    assert no_idf.value.field == "head" and "needs 2 idf weights" in no_idf.value.message
    with pytest.raises(errors.ValidationError):
        Head(
            ("a", "b"),
            ("a", "b"),
            np.zeros((2, 10), np.float32),
            np.zeros(2, np.float32),
            1.0,
            "t",
            8,
            ("x", "x"),
            np.ones(2, np.float32),
        )


def test_no_word_in_two_texts_means_no_word_features() -> None:
    fitted = fit_words(["alpha beta", "gamma delta", "epsilon zeta"])
    assert (fitted.terms, fitted.idf, fitted.why) == ((), None, "no word is in 2 training texts")
