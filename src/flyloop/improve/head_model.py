"""A choice head as data, and the classifier that serves it: no pickle, no scikit-learn at serving.

A head is a multinomial logistic regression over an embedder's unit vectors, calibrated by one
temperature: ``softmax((X @ coef.T + intercept) / temperature)``. The finetune loop trains it with
scikit-learn (:mod:`flyloop.improve.heads`); what it keeps is the arrays (``head.npz``, read with
``allow_pickle=False``: an artifact may come from elsewhere, and loading one must never run code)
and the rest as JSON (``head.json``: the classes in column order, every label of the workload, the
temperature, the embedder's name and dimension). A two-class head is stored as two rows (the first
all zeros), so one softmax serves any number of classes and equals scikit-learn's sigmoid.

:class:`HeadClassifier` is what the ``classifier`` backend builds for ``model="hd_..."``: the head
loaded from its artifact folder (by id alone, under ``$FLYLOOP_HOME/artifacts``), its embedder
loaded by name (a fine-tuned one, ``em_...``, from its own artifact), and a
:class:`~flyloop.improve.classifier.Classification` per input whose ``scores`` hold every label's
calibrated probability (a label the head never saw in training: 0).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from flyloop import errors
from flyloop.improve import artifacts
from flyloop.improve.backends import Generation, Messages
from flyloop.improve.bank import input_text
from flyloop.improve.calibration import ECE_BINS, calibration_error
from flyloop.improve.classifier import CLASSIFIER, Classification, _last_user_turn
from flyloop.improve.embedders import Embedder
from flyloop.settings import Settings

ARRAYS = "head.npz"
META = "head.json"
FORMAT = 1


def softmax(logits: NDArray[Any]) -> NDArray[np.float64]:
    """Row-wise softmax, shifted by each row's maximum so no exponent overflows."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return out


def expected_calibration_error(probabilities: NDArray[Any], truth: NDArray[Any], bins: int = ECE_BINS) -> float:
    """ECE of the top label: the rows binned by their highest probability (``bins`` equal widths),
    each bin's gap between mean confidence and accuracy, weighted by its share of rows."""
    p = np.asarray(probabilities, dtype=np.float64)
    if len(p) == 0:
        return 0.0
    confidence = p.max(axis=1)
    correct = (p.argmax(axis=1) == np.asarray(truth)).astype(np.float64)
    return calibration_error(confidence, correct, bins)


@dataclass(frozen=True)
class Head:
    """A calibrated linear head (see the module's docstring). ``classes``: the labels of the
    rows of ``coef``; ``labels``: every label of the workload, the order scores are reported in."""

    classes: tuple[str, ...]
    labels: tuple[str, ...]
    coef: NDArray[np.float32]
    intercept: NDArray[np.float32]
    temperature: float
    embedder: str
    dimension: int

    def __post_init__(self) -> None:
        c, d = len(self.classes), self.dimension
        if c < 2 or self.coef.shape != (c, d) or self.intercept.shape != (c,):
            raise errors.ValidationError(
                f"a head of {c} classes over {d} dimensions needs coef ({c}, {d}) and intercept ({c},), "
                f"not {self.coef.shape} and {self.intercept.shape}",
                field="head",
            )
        if not set(self.classes) <= set(self.labels) or len(set(self.classes)) != c:
            raise errors.ValidationError("a head's classes are distinct labels of its workload", field="head")
        if not (math.isfinite(self.temperature) and self.temperature > 0):
            raise errors.ValidationError(f"temperature must be above 0, not {self.temperature}", field="head")
        if not (np.isfinite(self.coef).all() and np.isfinite(self.intercept).all()):
            raise errors.ValidationError("a head's coefficients must be finite", field="head")

    def logits(self, vectors: NDArray[Any]) -> NDArray[np.float64]:
        x = np.asarray(vectors, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.dimension:
            raise errors.ValidationError(
                f"the head reads vectors of dimension {self.dimension}, not shape {x.shape}", field="input"
            )
        out: NDArray[np.float64] = x @ self.coef.T.astype(np.float64) + self.intercept.astype(np.float64)
        return out

    def class_probabilities(self, vectors: NDArray[Any]) -> NDArray[np.float64]:
        """Calibrated probabilities over :attr:`classes` (rows sum to 1)."""
        return softmax(self.logits(vectors) / self.temperature)

    def probabilities(self, vectors: NDArray[Any]) -> NDArray[np.float64]:
        """Calibrated probabilities over every label (:attr:`labels`; unseen ones 0)."""
        p = self.class_probabilities(vectors)
        out = np.zeros((len(p), len(self.labels)), dtype=np.float64)
        for j, label in enumerate(self.classes):
            out[:, self.labels.index(label)] = p[:, j]
        return out

    # --- files -------------------------------------------------------------------------------------

    def save(self, folder: Path) -> list[Path]:
        """Write ``head.npz`` and ``head.json`` into ``folder``; returns their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        arrays = folder / ARRAYS
        with arrays.open("wb") as handle:
            np.savez(handle, coef=self.coef.astype("<f4"), intercept=self.intercept.astype("<f4"))
        meta = folder / META
        meta.write_bytes(
            orjson.dumps(
                {
                    "format": FORMAT,
                    "classes": list(self.classes),
                    "labels": list(self.labels),
                    "temperature": self.temperature,
                    "embedder": self.embedder,
                    "dimension": self.dimension,
                },
                option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS,
            )
        )
        return [arrays, meta]

    @classmethod
    def load(cls, folder: Path) -> Head:
        """Read a head from ``folder``. Arrays are read with ``allow_pickle=False`` and the rest is
        JSON: a file that would need code to load is refused (BackendError naming the path)."""
        try:
            meta = orjson.loads((folder / META).read_bytes())
            with np.load(folder / ARRAYS, allow_pickle=False) as arrays:
                coef = np.asarray(arrays["coef"], dtype=np.float32)
                intercept = np.asarray(arrays["intercept"], dtype=np.float32)
            if meta.get("format") != FORMAT:
                raise ValueError(f"format {meta.get('format')!r}, not {FORMAT}")
            return cls(
                classes=tuple(str(c) for c in meta["classes"]),
                labels=tuple(str(c) for c in meta["labels"]),
                coef=coef,
                intercept=intercept,
                temperature=float(meta["temperature"]),
                embedder=str(meta["embedder"]),
                dimension=int(meta["dimension"]),
            )
        except (OSError, ValueError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
            raise errors.BackendError(
                f"cannot load the head in {folder}: {exc}", field="model", path=str(folder)
            ) from exc


def is_head_id(model: Any) -> bool:
    """Whether a classifier's ``model`` names a head artifact (``hd_`` and 16 hex digits)."""
    return artifacts.is_artifact_id(model) and str(model).startswith("hd_")


def check_head(model: str, settings: Settings | None = None) -> dict[str, Any]:
    """The fast check before a policy naming head ``model`` is registered: its folder is under
    this home, its manifest says ``head``, its files are there, and its embedder is one this
    process could load (a registered name, or an embedder artifact whose folder is here). Returns
    the manifest; loads no model."""
    from flyloop.improve.embedders import names

    manifest = artifacts.load_manifest(model, settings)  # NotFound naming the home when absent
    if manifest.get("kind") != "head":
        raise errors.ValidationError(f"{model} is a {manifest.get('kind')} artifact, not a head", field="model")
    folder = artifacts.folder_of(model, settings)
    for name in (ARRAYS, META):
        if not (folder / name).is_file():
            raise errors.BackendError(f"head {model} lacks {name} in {folder}", field="model", path=str(folder))
    embedder_name = str((manifest.get("embedder") or {}).get("name", ""))
    if artifacts.is_artifact_id(embedder_name):
        if not (artifacts.folder_of(embedder_name, settings) / "model").is_dir():
            raise errors.BackendError(
                f"head {model}'s embedder {embedder_name} has no model folder under {artifacts.root(settings)}",
                field="model",
            )
    elif embedder_name not in names():
        raise errors.ConfigError(f"head {model}'s embedder {embedder_name!r} is not one this process knows")
    return manifest


class HeadClassifier:
    """The ``classifier`` backend for a trained head (see the module's docstring)."""

    name = CLASSIFIER

    def __init__(self, model: str, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        from flyloop.improve.setfit import load_embedder

        settings = settings or Settings()
        self.manifest = check_head(model, settings)
        self.head = Head.load(artifacts.folder_of(model, settings))
        self.embedder = embedder or load_embedder(self.head.embedder, settings)
        if self.embedder.dimension != self.head.dimension:
            raise errors.ConfigError(
                f"head {model} reads {self.head.dimension}-dimensional vectors; embedder {self.embedder.name} "
                f"gives {self.embedder.dimension}",
                field="model",
            )
        self.model = model
        self.labels = list(self.head.labels)

    def classify_many(self, inputs: Sequence[Any]) -> list[Classification]:
        """The label of each input (a text, or chat messages whose contents are joined, as the
        head's training texts were)."""
        started = time.perf_counter()
        vectors = self.embedder.embed([input_text(i) for i in inputs])
        probabilities = self.head.probabilities(vectors)
        elapsed = (time.perf_counter() - started) * 1e3
        out = []
        for row in probabilities:
            out.append(
                Classification(
                    text=self.labels[int(row.argmax())],
                    tokens_in=0,
                    tokens_out=0,
                    latency_ms=elapsed,
                    model=self.model,
                    finish_reason="stop",
                    scores={label: round(float(p), 6) for label, p in zip(self.labels, row, strict=True)},
                )
            )
        return out

    def classify(self, input: Any) -> Classification:
        """The label of one input, with every label's calibrated probability."""
        return self.classify_many([input])[0]

    def generate(self, messages: Messages, **params: Any) -> Generation:
        """Classify the last user turn (generation parameters mean nothing to a head: ignored)."""
        return self.classify(_last_user_turn(messages))

    def generate_batch(self, batch: Sequence[Messages], **params: Any) -> list[Generation]:
        return list(self.classify_many([_last_user_turn(m) for m in batch]))
