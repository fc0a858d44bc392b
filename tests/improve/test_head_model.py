"""A head as data (flyloop.improve.head_model): arrays and JSON that load without running code,
calibrated probabilities over every label that sum to 1, and the calibration error reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from flyloop import errors
from flyloop.improve.head_model import ARRAYS, Head, expected_calibration_error, is_head_id, softmax
from flyloop.improve.heads import fit_head


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


def test_calibration_is_reported_and_probabilities_sum_to_one() -> None:
    rng = np.random.default_rng(0)
    centre = rng.normal(size=(3, 16))
    truth = rng.integers(0, 3, size=600)
    x = centre[truth] + rng.normal(scale=1.5, size=(600, 16))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = ["x", "y", "z", "never"]
    fitted = fit_head(x[:400], [labels[t] for t in truth[:400]], labels, embedder="test", c=10.0)
    assert fitted.folds == 5 and fitted.head.classes == ("x", "y", "z")
    p = fitted.head.probabilities(x[400:])
    assert p.shape == (200, 4) and np.allclose(p.sum(axis=1), 1.0) and (p[:, 3] == 0).all()
    calibrated = expected_calibration_error(p, truth[400:])
    raw = expected_calibration_error(fitted.uncalibrated.probabilities(x[400:]), truth[400:])
    assert (round(calibrated, 4), round(raw, 4), fitted.head.temperature) == (0.0181, 0.0268, 1.104601)
    # Temperature never changes a label.
    assert (p.argmax(axis=1) == fitted.uncalibrated.probabilities(x[400:]).argmax(axis=1)).all()
    # A perfectly confident, always right classifier has no calibration error; a confident wrong one, all of it.
    assert expected_calibration_error(np.array([[1.0, 0.0]] * 4), np.array([0, 0, 0, 0])) == 0.0
    assert expected_calibration_error(np.array([[1.0, 0.0]] * 4), np.array([1, 1, 1, 1])) == 1.0


def test_what_names_a_head_and_a_stable_softmax() -> None:
    assert is_head_id("hd_" + "0" * 16) and not is_head_id("em_" + "0" * 16) and not is_head_id(None)
    assert np.allclose(softmax(np.array([[1000.0, 1000.0]])), [[0.5, 0.5]])
