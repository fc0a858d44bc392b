"""Fitting a choice head and measuring it beside its baselines: the arithmetic of
:mod:`flyloop.improve.heads` (the finetune loop's body for choice workloads), kept apart from the
loop's data handling so that a benchmark or a test fits a head from plain arrays.

:func:`fit_head` fits scikit-learn's ``LogisticRegression`` on unit vectors and, given the texts,
their word features (:func:`fit_words`, :func:`~flyloop.improve.head_model.word_features`);
chooses C from :data:`C_GRID` by the out-of-fold negative log-likelihood after each C's own
temperature, and calibrates with that temperature. :func:`scores`, :func:`zero_shot_accuracy` and
:func:`knn_accuracy` give the figures the loop reports side by side.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from flyloop import errors
from flyloop.extras import require
from flyloop.improve.classifier import DEFAULT_K, vote
from flyloop.improve.head_model import Head, expected_calibration_error, softmax, word_features

DEFAULT_C = 1.0  # a head whose labels are too few for folds, and the C a fixed grid of one starts from
# C is chosen from these by the out-of-fold log-likelihood: with noisy feedback the best C is small
# (0.1-0.3 at 15% flipped labels), with clean thousands large (3-10); no single C served both.
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
MIN_DF = 2  # a word in one training text says nothing about the next text
MAX_TERMS = 20_000  # bounds the artifact (the terms are JSON) and a served case's work
FOLDS = 5
MAX_ITER = 1000


# --- the head, from vectors ----------------------------------------------------------------------------


def _logits(model: Any, x: NDArray[Any]) -> NDArray[np.float64]:
    """scikit-learn's decision values as one column per class (a binary model's one column z
    becomes [0, z]: softmax of it is the sigmoid scikit-learn applies)."""
    z = np.asarray(model.decision_function(x), dtype=np.float64)
    return np.column_stack([np.zeros_like(z), z]) if z.ndim == 1 else z


def _rows(model: Any) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    coef = np.asarray(model.coef_, dtype=np.float32)
    intercept = np.asarray(model.intercept_, dtype=np.float32)
    if coef.shape[0] == 1:
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros(1, dtype=np.float32), intercept])
    return coef, intercept


def _temperature(logits: NDArray[Any], truth: NDArray[Any], weights: NDArray[Any] | None = None) -> tuple[float, float]:
    """(temperature, its weighted mean negative log-likelihood): see :func:`fit_temperature`."""
    from scipy.optimize import minimize_scalar

    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(truth)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)

    def nll(log_t: float) -> float:
        p = softmax(z / np.exp(log_t))[np.arange(len(y)), y]
        return float(-(w * np.log(np.maximum(p, 1e-12))).sum() / w.sum())

    found = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded", options={"xatol": 1e-4})
    return round(float(np.exp(found.x)), 6), float(found.fun)


def fit_temperature(logits: NDArray[Any], truth: NDArray[Any], weights: NDArray[Any] | None = None) -> float:
    """The temperature minimising the (weighted) negative log-likelihood of ``softmax(logits / T)``,
    searched over T in [0.05, 20] (scipy's bounded scalar search on log T)."""
    return _temperature(logits, truth, weights)[0]


@dataclass
class Words:
    """The word features' vocabulary fitted on the training texts: ``terms`` in column order and
    their ``idf``; ``why`` says why a head has none when ``terms`` is empty."""

    terms: tuple[str, ...]
    idf: NDArray[np.float32] | None
    why: str = ""


def fit_words(texts: list[str]) -> Words:
    """The vocabulary of the head's word features: the :data:`MAX_TERMS` most frequent words met in
    at least :data:`MIN_DF` training texts, with scikit-learn's smoothed idf. Fitted on the training
    texts alone (no label is read): the validation rows stay unseen."""
    TfidfVectorizer = require("sklearn.feature_extraction.text", "embed", "the choice head").TfidfVectorizer
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=MIN_DF, max_features=MAX_TERMS)
    try:
        vectorizer.fit(texts)
    except ValueError:  # scikit-learn's "no terms remain": no word is in two texts
        return Words((), None, f"no word is in {MIN_DF} training texts")
    terms = tuple(str(t) for t in vectorizer.get_feature_names_out())
    return Words(terms, np.asarray(vectorizer.idf_, dtype=np.float32))


@dataclass
class Fitted:
    """A fitted head and how it was fitted: the folds its temperature and C were chosen on, the
    C used, each C tried with its out-of-fold negative log-likelihood (after its temperature),
    and why the head has no word features when it has none."""

    head: Head
    folds: int
    uncalibrated: Head
    seconds: float
    c: float = DEFAULT_C
    tried: dict[float, float] = field(default_factory=dict)
    words_why: str = ""


def features(vectors: NDArray[Any], texts: list[str] | None, words: Words | None) -> Any:
    """The head's input rows: the unit vectors, followed by the texts' word features when ``words``
    has terms (a scipy CSR matrix then, else the dense vectors)."""
    x = np.asarray(vectors, dtype=np.float64)
    if words is None or not words.terms or texts is None:
        return x
    sparse = require("scipy.sparse", "embed", "the choice head")
    assert words.idf is not None
    return sparse.hstack([sparse.csr_matrix(x), word_features(texts, words.terms, words.idf)], format="csr")


def fit_head(
    vectors: NDArray[Any],
    labels: list[str],
    all_labels: list[str],
    *,
    embedder: str,
    weights: NDArray[Any] | None = None,
    c: float | None = None,
    seed: int = 0,
    folds: int = FOLDS,
    texts: list[str] | None = None,
) -> Fitted:
    """Fit the head on ``vectors`` (unit rows) labelled ``labels`` (each one of ``all_labels``),
    with the word features of ``texts`` beside them when given, choose C (``c``: that one, else
    the one of :data:`C_GRID` whose out-of-fold logits, after their temperature, give the lowest
    negative log-likelihood) and calibrate the head on those logits (see the module's docstring)."""
    # Through require(): scikit-learn ships no types, and require() answers a missing extra in one line.
    LogisticRegression = require("sklearn.linear_model", "embed", "the choice head").LogisticRegression
    StratifiedKFold = require("sklearn.model_selection", "embed", "the choice head").StratifiedKFold

    started = time.perf_counter()
    classes = [label for label in all_labels if label in set(labels)]
    if len(classes) < 2:
        raise errors.NotEnoughData(
            f"not enough data: a head needs examples of at least 2 labels; the training rows hold only {classes}",
            field="dataset",
            have=len(classes),
            need=2,
        )
    y = np.array([classes.index(label) for label in labels])
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w / w.mean()  # weights relative to each other: C keeps its meaning
    # Balanced: a label the feedback under-represents is not out-voted by the others' prior
    # (SpamAssassin's 15%-spam training mails, measured on a 49% later mix: 0.86 -> 0.93). The
    # choice of C and the temperature weigh the rows so too: each label's rows count alike.
    counts = np.bincount(y, weights=w, minlength=len(classes))
    balanced = w * (counts.sum() / (len(classes) * counts))[y]
    words = fit_words(texts) if texts is not None else None
    x = features(vectors, texts, words)
    grid = (float(c),) if c is not None else C_GRID

    def model(value: float) -> Any:
        # warm_start: along the grid each fold's fit starts from the previous C's solution.
        return LogisticRegression(C=value, max_iter=MAX_ITER, class_weight="balanced", warm_start=True)

    # One BLAS thread: a few thousand rows of a few hundred dimensions gain nothing from more, and
    # on a busy machine (a worker beside the server) more threads thrash: 1.6 s a fit against 0.1 s.
    limits = require("threadpoolctl", "embed", "the choice head").threadpool_limits(limits=1, user_api="blas")
    converged = require("sklearn.exceptions", "embed", "the choice head").ConvergenceWarning
    with limits, warnings.catch_warnings():
        # lbfgs may stop at MAX_ITER on a loose C of the grid: that C then scores what it reached.
        warnings.simplefilter("ignore", category=converged)
        n_folds = min(folds, min(Counter(y.tolist()).values()))
        chosen, temperature, tried = grid[0] if len(grid) == 1 else DEFAULT_C, 1.0, {}
        if n_folds >= 2:
            held = {value: np.zeros((len(y), len(classes)), dtype=np.float64) for value in grid}
            for train, test in StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
                part = model(grid[0])
                for value in grid:
                    part.set_params(C=value).fit(x[train], y[train], sample_weight=w[train])
                    held[value][test] = _logits(part, x[test])
            best = None
            for value in grid:  # ascending: on a tie the stronger regularisation is kept
                t, nll = _temperature(held[value], y, balanced)
                tried[value] = round(nll, 6)
                if best is None or nll < best[0] - 1e-9:
                    best, chosen, temperature = (nll, value), value, t
        final = model(chosen).fit(x, y, sample_weight=w)
        coef, intercept = _rows(final)

    def head(t: float) -> Head:
        return Head(
            tuple(classes),
            tuple(all_labels),
            coef,
            intercept,
            t,
            embedder,
            int(np.asarray(vectors).shape[1]),
            words.terms if words is not None else (),
            words.idf if words is not None and words.terms else None,
        )

    return Fitted(
        head(temperature),
        n_folds if n_folds >= 2 else 0,
        head(1.0),
        time.perf_counter() - started,
        chosen,
        tried,
        words.why if words is not None else "not asked for",
    )


def scores(head: Head, vectors: NDArray[Any], labels: list[str], texts: list[str] | None = None) -> dict[str, float]:
    """Accuracy, macro-F1 (over the labels met in truth or prediction) and ECE of ``head``."""
    f1_score = require("sklearn.metrics", "embed", "the choice head").f1_score
    if not labels:
        return {"accuracy": 0.0, "macro_f1": 0.0, "ece": 0.0}
    p = head.probabilities(vectors, texts)
    truth = np.array([head.labels.index(label) for label in labels])
    predicted = p.argmax(axis=1)
    met = sorted(set(truth.tolist()) | set(predicted.tolist()))
    return {
        "accuracy": round(float((predicted == truth).mean()), 6),
        "macro_f1": round(float(f1_score(truth, predicted, labels=met, average="macro", zero_division=0)), 6),
        "ece": round(expected_calibration_error(p, truth), 6),
    }


def label_texts(labels: list[str], description: str = "") -> list[str]:
    """What the zero-shot baseline embeds for each label: the label, or ``label: description``."""
    return [f"{label}: {description}" if description else label for label in labels]


def zero_shot_accuracy(
    label_vectors: NDArray[Any], labels: list[str], vectors: NDArray[Any], truth: list[str]
) -> float:
    """Accuracy of labelling each row with the label whose text embeds nearest (cosine)."""
    if not truth:
        return 0.0
    predicted = (np.asarray(vectors) @ np.asarray(label_vectors).T).argmax(axis=1)
    return round(float(np.mean([labels[i] == t for i, t in zip(predicted, truth, strict=True)])), 6)


class _Neighbour(NamedTuple):
    id: str
    label: str
    score: float
    quality: float


def knn_accuracy(
    train: NDArray[Any],
    train_labels: list[str],
    quality: NDArray[Any],
    vectors: NDArray[Any],
    truth: list[str],
    k: int = DEFAULT_K,
) -> float:
    """Accuracy of the classifier backend's vote (:func:`~flyloop.improve.classifier.vote`) over
    the ``k`` nearest training rows (exact cosine), on ``vectors``."""
    if not truth:
        return 0.0
    k = min(k, len(train_labels))
    similarity = np.asarray(vectors) @ np.asarray(train).T
    right = 0
    for row, label in zip(similarity, truth, strict=True):
        nearest = np.argpartition(-row, k - 1)[:k]
        nearest = nearest[np.argsort(-row[nearest], kind="stable")]
        shown = [_Neighbour(str(i), train_labels[i], float(row[i]), float(quality[i])) for i in nearest]
        right += vote(shown).text == label
    return round(right / len(truth), 6)
