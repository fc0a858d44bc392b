"""A choice head as data, and the classifier that serves it: no pickle anywhere.

A head is a multinomial logistic regression over an embedder's unit vectors and, optionally, the
text's words (TF-IDF), calibrated by one temperature: ``softmax((X @ coef.T + intercept) /
temperature)`` where a row of X is the input's unit vector followed by its word features. The word
features are the unit-length TF-IDF row of the input over the head's ``terms`` (sublinear term
frequency times the stored ``idf``): scikit-learn's ``CountVectorizer`` counts the terms, given the
stored vocabulary, so training and serving tokenize alike (:func:`word_features`). The finetune
loop trains it with scikit-learn (:mod:`flyloop.improve.heads`); what it keeps is the arrays
(``head.npz``: ``coef``, ``intercept`` and, with words, ``idf``; read with ``allow_pickle=False``:
an artifact may come from elsewhere, and loading one must never run code) and the rest as JSON
(``head.json``: the classes in column order, every label of the workload, the temperature, the
embedder's name and dimension, the terms in column order). A two-class head is stored as two rows
(the first all zeros), so one softmax serves any number of classes and equals scikit-learn's
sigmoid. Format 1 (vectors only) still loads.

:class:`HeadClassifier` is what the ``classifier`` backend builds for ``model="hd_..."``: the head
loaded from its artifact folder (by id alone, under ``$FLYLOOP_HOME/artifacts``), its embedder
loaded by name (a fine-tuned one, ``em_...``, from its own artifact), and a
:class:`~flyloop.improve.classifier.Classification` per input whose ``scores`` hold every label's
calibrated probability (a label the head never saw in training: 0).

**Train/serve parity.** The texts a head learns from are the inputs as stored, after the privacy
gate's redaction (``Ada Lovelace`` became ``<PERSON>``), while a policy hands it the input as sent.
So the finetune loop records the project's redaction configuration in the head's manifest
(``redaction``: mode, entities, style, score floor; never a key), and :class:`HeadClassifier`
redacts each input the same way before it embeds it and counts its words
(:func:`serving_redactor`; setting ``head_redact_inputs``, default on). Measured on the triage
benchmark's mails (BENCHMARKS.md, flywheel_triage): heads fitted offline lost 0.3 to 0.8 points of
held-out accuracy to the skew; the benchmark's own round-6 heads, the same head asked both ways,
+0.4, -0.2 and -0.3 points (seeds 7, 11, 23): parity is kept for correctness, not for a gain. Where the
recorded configuration cannot be repeated exactly, the nearest one that can: ``ner`` without the
``pii`` extra installed is served in ``pattern`` mode (one warning per process naming the install
command, never a failure); ``hash`` style needs the project's key, which the serving side may not
hold, so a head serves hash tokens made with a stand-in key (:data:`STAND_IN_KEY`): the token has
the shape and the type the head learned, and one value gives one token, though not the stored
one's digits (a head fitted on hash-redacted mails scored 0.919 asked them as sent, 0.926 with tag
tokens, 0.931 with stand-in hash tokens, 0.929 with the project's own: ``python -m
bench.flywheel.parity``). A head whose manifest has no ``redaction`` (trained before this) reads
inputs as sent. The kNN vote (:mod:`flyloop.improve.classifier`) keeps reading queries as sent,
though its bank holds the inputs as stored: there, redacting the query measured no better (0.873
against 0.875). The zero-shot prototypes compare with label descriptions nobody redacts: no skew.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from flyloop import errors, privacy
from flyloop.extras import require
from flyloop.improve import artifacts
from flyloop.improve.backends import Generation, Messages
from flyloop.improve.bank import input_text
from flyloop.improve.calibration import ECE_BINS, calibration_error
from flyloop.improve.classifier import CLASSIFIER, Classification, _last_user_turn
from flyloop.improve.embedders import Embedder
from flyloop.settings import Settings

ARRAYS = "head.npz"
META = "head.json"
FORMAT = 2
FORMATS = (1, 2)  # 1: vectors only (before word features); still served
REDACTION_FIELDS = ("mode", "entities", "style", "min_score")
# Hash-style tokens without the project's key: the shape and type the head learned, not the digits.
STAND_IN_KEY = b"flyloop head serving: not a project key"
PII_FALLBACK = (
    "head {model} learned from texts redacted in ner mode, but the pii extra is not installed here: "
    "its inputs are redacted in pattern mode (pip install 'flyloop[pii]' for the same redaction)"
)

log = logging.getLogger("flyloop.improve.head_model")
_warned: set[str] = set()


class WordFeatures:
    """The unit-length TF-IDF rows of texts over ``terms`` (a scipy CSR matrix, one column per
    term): scikit-learn's ``CountVectorizer`` with the given vocabulary (its defaults: lower case,
    words of two or more word characters), term frequency ``1 + log(count)``, times ``idf``, each
    row scaled to length 1 (a text with none of the terms: a row of zeros). The same numbers as
    ``TfidfVectorizer(sublinear_tf=True)`` fitted to give ``terms`` and ``idf``. Built once per
    head: a vectorizer made per call cost a served case 0.4 ms (p95 8.6 ms on a busy machine),
    one kept 0.09 ms."""

    def __init__(self, terms: Sequence[str], idf: NDArray[Any]) -> None:
        text = require("sklearn.feature_extraction.text", "embed", "a head's word features")
        self._counter = text.CountVectorizer(vocabulary={t: i for i, t in enumerate(terms)}, dtype=np.float64)
        self._idf = np.asarray(idf, dtype=np.float64)

    def __call__(self, texts: Sequence[str]) -> Any:
        counts = self._counter.transform(list(texts))
        counts.data = (1.0 + np.log(counts.data)) * self._idf[counts.indices]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, weights=counts.data**2, minlength=counts.shape[0]))
        counts.data /= norms[rows]  # a row with data has a norm above 0
        return counts


def word_features(texts: Sequence[str], terms: Sequence[str], idf: NDArray[Any]) -> Any:
    """:class:`WordFeatures` of ``texts`` over ``terms`` and ``idf``, once."""
    return WordFeatures(terms, idf)(texts)


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
    rows of ``coef``; ``labels``: every label of the workload, the order scores are reported in;
    ``terms`` and ``idf``: the word features' vocabulary (empty: vectors only). ``coef`` has
    ``dimension + len(terms)`` columns, the vector's first."""

    classes: tuple[str, ...]
    labels: tuple[str, ...]
    coef: NDArray[np.float32]
    intercept: NDArray[np.float32]
    temperature: float
    embedder: str
    dimension: int
    terms: tuple[str, ...] = ()
    idf: NDArray[np.float32] | None = None

    def __post_init__(self) -> None:
        c, d, t = len(self.classes), self.dimension, len(self.terms)
        if c < 2 or self.coef.shape != (c, d + t) or self.intercept.shape != (c,):
            raise errors.ValidationError(
                f"a head of {c} classes over {d} dimensions and {t} terms needs coef ({c}, {d + t}) and "
                f"intercept ({c},), not {self.coef.shape} and {self.intercept.shape}",
                field="head",
            )
        if t and (self.idf is None or self.idf.shape != (t,) or not (np.isfinite(self.idf) & (self.idf > 0)).all()):
            raise errors.ValidationError(f"a head of {t} terms needs {t} idf weights above 0", field="head")
        if t and len(set(self.terms)) != t:
            raise errors.ValidationError("a head's terms are distinct", field="head")
        if not set(self.classes) <= set(self.labels) or len(set(self.classes)) != c:
            raise errors.ValidationError("a head's classes are distinct labels of its workload", field="head")
        if not (math.isfinite(self.temperature) and self.temperature > 0):
            raise errors.ValidationError(f"temperature must be above 0, not {self.temperature}", field="head")
        if not (np.isfinite(self.coef).all() and np.isfinite(self.intercept).all()):
            raise errors.ValidationError("a head's coefficients must be finite", field="head")

    @cached_property
    def _coef(self) -> NDArray[np.float64]:
        return self.coef.astype(np.float64)  # once: with 20,000 terms a copy per served case shows

    @cached_property
    def _word_coef(self) -> NDArray[np.float64]:
        return np.ascontiguousarray(self._coef[:, self.dimension :].T)  # (terms, classes), for the sparse product

    @cached_property
    def _words(self) -> WordFeatures:
        assert self.idf is not None  # __post_init__: terms come with their idf
        return WordFeatures(self.terms, self.idf)

    def logits(self, vectors: NDArray[Any], texts: Sequence[str] | None = None) -> NDArray[np.float64]:
        """Uncalibrated scores, one column per class, of the inputs whose unit vectors are
        ``vectors`` and (for a head with terms) whose texts are ``texts``."""
        x = np.asarray(vectors, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.dimension:
            raise errors.ValidationError(
                f"the head reads vectors of dimension {self.dimension}, not shape {x.shape}", field="input"
            )
        coef = self._coef
        out: NDArray[np.float64] = x @ coef[:, : self.dimension].T + self.intercept.astype(np.float64)
        if self.terms:
            if texts is None or len(texts) != len(x):
                raise errors.ValidationError(
                    f"this head reads the texts as well as their vectors ({len(self.terms)} terms): give one text "
                    "per vector",
                    field="input",
                )
            out += np.asarray(self._words(texts) @ self._word_coef)
        return out

    def class_probabilities(self, vectors: NDArray[Any], texts: Sequence[str] | None = None) -> NDArray[np.float64]:
        """Calibrated probabilities over :attr:`classes` (rows sum to 1)."""
        return softmax(self.logits(vectors, texts) / self.temperature)

    def probabilities(self, vectors: NDArray[Any], texts: Sequence[str] | None = None) -> NDArray[np.float64]:
        """Calibrated probabilities over every label (:attr:`labels`; unseen ones 0)."""
        p = self.class_probabilities(vectors, texts)
        out = np.zeros((len(p), len(self.labels)), dtype=np.float64)
        for j, label in enumerate(self.classes):
            out[:, self.labels.index(label)] = p[:, j]
        return out

    # --- files -------------------------------------------------------------------------------------

    def save(self, folder: Path) -> list[Path]:
        """Write ``head.npz`` and ``head.json`` into ``folder``; returns their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        arrays = folder / ARRAYS
        saved: dict[str, Any] = {"coef": self.coef.astype("<f4"), "intercept": self.intercept.astype("<f4")}
        if self.terms:
            saved["idf"] = np.asarray(self.idf).astype("<f4")
        with arrays.open("wb") as handle:
            np.savez(handle, **saved)
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
                    "terms": list(self.terms),
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
                idf = np.asarray(arrays["idf"], dtype=np.float32) if "idf" in arrays.files else None
            if meta.get("format") not in FORMATS:
                raise ValueError(f"format {meta.get('format')!r}, not one of {', '.join(map(str, FORMATS))}")
            return cls(
                classes=tuple(str(c) for c in meta["classes"]),
                labels=tuple(str(c) for c in meta["labels"]),
                coef=coef,
                intercept=intercept,
                temperature=float(meta["temperature"]),
                embedder=str(meta["embedder"]),
                dimension=int(meta["dimension"]),
                terms=tuple(str(t) for t in meta.get("terms") or ()),
                idf=idf,
            )
        except (OSError, ValueError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
            raise errors.BackendError(
                f"cannot load the head in {folder}: {exc}", field="model", path=str(folder)
            ) from exc


def redaction_record(policy: privacy.PrivacyPolicy) -> dict[str, Any]:
    """What a head's manifest keeps of the redaction its training texts went through: the
    project's mode, entities, style and score floor (never its key)."""
    r = policy.redaction
    return {"mode": r.mode, "entities": list(r.entities), "style": r.style, "min_score": r.min_score}


def serving_redactor(
    record: Any, settings: Settings | None = None, model: str = "the head"
) -> tuple[privacy.Redactor | None, dict[str, Any] | None]:
    """The redactor a head serves its inputs through, and the configuration it runs (see the
    module's docstring): None for a head with no ``record``, a record of mode ``off``, or the
    setting ``head_redact_inputs`` off. A malformed record: ValidationError naming its field."""
    settings = settings or Settings()
    if record is None or not settings.head_redact_inputs:
        return None, None
    if not isinstance(record, dict) or set(REDACTION_FIELDS) - set(record):
        raise errors.ValidationError(
            f"{model}'s manifest records its redaction as {{{', '.join(REDACTION_FIELDS)}}}, not {record!r}",
            field="redaction",
        )
    config = {name: record[name] for name in REDACTION_FIELDS}
    if config["mode"] == "off":
        return None, None
    if config["style"] == "hash":
        config["key"] = "stand-in"
    key = STAND_IN_KEY if config["style"] == "hash" else None
    args = (config["entities"], config["style"], float(config["min_score"]))
    try:
        return privacy.Redactor(config["mode"], *args, hash_key=key), config
    except errors.ConfigError:
        if config["mode"] != "ner":
            raise
    if model not in _warned:  # once per head and process: serving goes on, a little less alike
        _warned.add(model)
        log.warning(PII_FALLBACK.format(model=model))
    config["mode"] = "pattern"
    return privacy.Redactor("pattern", *args, hash_key=key), config


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
        # How this head redacts its inputs (None: as sent): the manifest's record, as this process can run it.
        self.redactor, self.redaction = serving_redactor(self.manifest.get("redaction"), settings, model)

    def classify_many(self, inputs: Sequence[Any]) -> list[Classification]:
        """The label of each input (a text, or chat messages whose contents are joined, as the
        head's training texts were), redacted as its training texts were (:attr:`redaction`)."""
        started = time.perf_counter()
        texts = [input_text(i) for i in inputs]
        if self.redactor is not None:
            texts = [r.text for r in self.redactor.redact_many(texts)]
        probabilities = self.head.probabilities(self.embedder.embed(texts), texts)
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
