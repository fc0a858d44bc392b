"""Loop 3 for a choice workload: a calibrated head on frozen embeddings, optionally after a
SetFit-style contrastive fine-tune of the embedder, registered as a ``classifier`` candidate.

The finetune loop (:mod:`flyloop.improve.finetune`) calls :func:`train_head` for a choice workload:

1. **Data**: the workload's labelled ``sft`` examples of a dataset version (the completion is the
   label), at least ``min_pairs`` of them (``loops_finetune_min_pairs``); completions outside the
   workload's label set are dropped and counted, as are repeated inputs (the best-quality copy is
   kept) and validation rows whose input is also a training row's. The validation rows are the
   version's validation split when it holds :data:`MIN_VALIDATION` rows or more (at most
   ``validation_size`` of them), else ``validation_size`` rows (default a fifth) drawn from the
   training rows with ``seed``.
2. **Embeddings** through the embedders' cache (memory, then ``$FLYLOOP_HOME/embeddings/``), so a
   retrain embeds nothing twice. The embedder: the ``embedder`` option, else the production
   version's bank's, else the default one.
3. **Head**: scikit-learn's multinomial ``LogisticRegression`` (``C`` = the ``c`` option), each
   example weighed by its curation quality and the labels balanced; calibrated by one temperature fitted (weighted
   negative log-likelihood) on out-of-fold logits of the training rows, so the validation rows
   stay unseen for the figures. A temperature keeps the argmax: calibration never changes a label.
4. **Figures** on the validation rows, side by side: the head's accuracy, macro-F1 and expected
   calibration error (before and after the temperature), a zero-shot baseline (each input to its
   nearest label text: the label, or ``label: description`` when the workload has a description)
   and the kNN vote the ``classifier`` backend would give over the training rows.
5. **Artifact** ``hd_...`` (:mod:`flyloop.improve.head_model`: arrays and JSON, no pickle) and a
   candidate: the production version with backend ``classifier`` and ``model`` the head (its bank
   and ``k`` kept; its generation params and adapter dropped: they mean nothing to a head).

``setfit=True`` first tunes all-MiniLM-L6-v2 (fp32) on ``setfit_pairs`` pairs (:mod:`.setfit`);
the tuned model becomes an ``em_...`` artifact and the head is fitted on its embeddings. The
baselines stay on the un-tuned embedder: they are what the workload has without this run.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from flyloop import errors, registry
from flyloop.capture import get_workload
from flyloop.extras import require
from flyloop.improve import artifacts, training
from flyloop.improve.bank import get_bank, input_text, normalised
from flyloop.improve.classifier import DEFAULT_K, vote
from flyloop.improve.embedders import (
    CachedEmbedder,
    Embedder,
    SentenceTransformersEmbedder,
    choose_default,
    is_fine_tuned,
)
from flyloop.improve.embedders import names as embedder_names
from flyloop.improve.head_model import Head, check_head, expected_calibration_error, softmax
from flyloop.improve.runs import RunContext
from flyloop.improve.setfit import DEFAULT_PAIRS, load_embedder

# The LoRA loop's options: a choice workload's run refuses them by name rather than ignore them.
LORA_OPTIONS = (
    "method",
    "base_model",
    "rank",
    "alpha",
    "target_modules",
    "learning_rate",
    "steps",
    "epochs",
    "batch_size",
    "max_length",
    "beta",
)
DEFAULT_C = 1.0
FOLDS = 5
MIN_VALIDATION = 20
VALIDATION_SHARE = 0.2
EMBED_CHUNK = 256
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


def fit_temperature(logits: NDArray[Any], truth: NDArray[Any], weights: NDArray[Any] | None = None) -> float:
    """The temperature minimising the (weighted) negative log-likelihood of ``softmax(logits / T)``,
    searched over T in [0.05, 20] (scipy's bounded scalar search on log T)."""
    from scipy.optimize import minimize_scalar

    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(truth)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)

    def nll(log_t: float) -> float:
        p = softmax(z / np.exp(log_t))[np.arange(len(y)), y]
        return float(-(w * np.log(np.maximum(p, 1e-12))).sum() / w.sum())

    found = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded", options={"xatol": 1e-4})
    return round(float(np.exp(found.x)), 6)


@dataclass
class Fitted:
    """A fitted head and how it was fitted (the folds its temperature was fitted on)."""

    head: Head
    folds: int
    uncalibrated: Head
    seconds: float


def fit_head(
    vectors: NDArray[Any],
    labels: list[str],
    all_labels: list[str],
    *,
    embedder: str,
    weights: NDArray[Any] | None = None,
    c: float = DEFAULT_C,
    seed: int = 0,
    folds: int = FOLDS,
) -> Fitted:
    """Fit the head on ``vectors`` (unit rows) labelled ``labels`` (each one of ``all_labels``)
    and calibrate it on out-of-fold logits (see the module's docstring)."""
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
    x = np.asarray(vectors, dtype=np.float64)
    y = np.array([classes.index(label) for label in labels])
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w / w.mean()  # weights relative to each other: C keeps its meaning

    def model() -> Any:
        # Balanced: a label the feedback under-represents is not out-voted by the others' prior
        # (SpamAssassin's 15%-spam training mails, measured on a 49% later mix: 0.86 -> 0.93).
        return LogisticRegression(C=c, max_iter=MAX_ITER, class_weight="balanced")

    # One BLAS thread: a few thousand rows of a few hundred dimensions gain nothing from more, and
    # on a busy machine (a worker beside the server) more threads thrash: 1.6 s a fit against 0.1 s.
    limits = require("threadpoolctl", "embed", "the choice head").threadpool_limits(limits=1, user_api="blas")
    with limits:
        final = model().fit(x, y, sample_weight=w)
        coef, intercept = _rows(final)
        smallest = min(Counter(y.tolist()).values())
        n_folds = min(folds, smallest)
        temperature = 1.0
        if n_folds >= 2:
            held = np.zeros((len(y), len(classes)), dtype=np.float64)
            for train, test in StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(x, y):
                part = model().fit(x[train], y[train], sample_weight=w[train])
                held[test] = _logits(part, x[test])
            temperature = fit_temperature(held, y, w)

    def head(t: float) -> Head:
        return Head(tuple(classes), tuple(all_labels), coef, intercept, t, embedder, x.shape[1])

    return Fitted(head(temperature), n_folds if n_folds >= 2 else 0, head(1.0), time.perf_counter() - started)


def scores(head: Head, vectors: NDArray[Any], labels: list[str]) -> dict[str, float]:
    """Accuracy, macro-F1 (over the labels met in truth or prediction) and ECE of ``head``."""
    f1_score = require("sklearn.metrics", "embed", "the choice head").f1_score
    if not labels:
        return {"accuracy": 0.0, "macro_f1": 0.0, "ece": 0.0}
    p = head.probabilities(vectors)
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


# --- the loop's data -----------------------------------------------------------------------------------


@dataclass
class Examples:
    """The texts, labels and qualities a head trains and validates on, and what was dropped."""

    train: list[tuple[str, str, float]]
    validation: list[tuple[str, str, float]]
    dropped: dict[str, int]
    validation_from: str


def _options(ctx: RunContext) -> None:
    for name in LORA_OPTIONS:
        if ctx.options.get(name) is not None:
            raise errors.ValidationError(
                f"{name} is an option of LoRA fine-tuning (generation workloads); workload {ctx.workload!r} is a "
                f"choice workload, whose run trains a head (options: embedder, setfit, setfit_pairs, c, seed, "
                f"validation_size, min_pairs, dataset, force, reason)",
                field=name,
            )
    if ctx.options.get("setfit_pairs") is not None and not ctx.options.get("setfit"):
        raise errors.ValidationError(
            "setfit_pairs is the contrastive fine-tune's: give setfit=True", field="setfit_pairs"
        )


def _need(ctx: RunContext) -> int:
    return int(ctx.options.get("min_pairs") or ctx.settings.loops_finetune_min_pairs)


def examples(ctx: RunContext, data: training.TrainingData, labels: list[str], need: int) -> Examples:
    """The head's rows from ``data`` (see the module's docstring, step 1)."""
    allowed = set(labels)
    dropped: Counter[str] = Counter()

    def rows(split: str) -> list[tuple[str, str, float]]:
        kept = []
        for src in sorted(data.sources.get(split, []), key=lambda s: (-float(s["quality"]), s["id"])):
            if src.get("completion") not in allowed:
                dropped["outside_label_set"] += 1
                continue
            kept.append((input_text(src["prompt"]), str(src["completion"]), float(src["quality"])))
        return kept

    seen: set[str] = set()
    train = []
    for row in rows("train"):
        key = normalised(row[0])
        if key in seen:
            dropped["duplicate_input"] += 1
            continue
        seen.add(key)
        train.append(row)
    validation = []
    for row in rows("validation"):
        if normalised(row[0]) in seen:
            dropped["validation_also_in_train"] += 1
            continue
        validation.append(row)
    if len(train) < need:
        why = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in sorted(dropped.items()))
        raise errors.NotEnoughData(
            f"not enough data: {len(train)} of {need} labelled examples of workload {ctx.workload!r}"
            + (f" (dropped {why})" if why else ""),
            field="dataset",
            have=len(train),
            need=need,
            dropped=dict(dropped),
        )
    size = ctx.options.get("validation_size")
    if len(validation) >= MIN_VALIDATION:
        return Examples(train, validation[: size or len(validation)], dict(dropped), "split")
    size = size or max(1, round(len(train) * VALIDATION_SHARE))
    if size > len(train) - 2:
        raise errors.ValidationError(
            f"validation_size {size} leaves too few of the {len(train)} training examples to train on",
            field="validation_size",
        )
    order = np.random.default_rng(int(ctx.options.get("seed") or 0)).permutation(len(train))
    held = set(order[:size].tolist())
    return Examples(
        [r for i, r in enumerate(train) if i not in held],
        [r for i, r in enumerate(train) if i in held],
        dict(dropped),
        "drawn from train",
    )


def _production(ctx: RunContext) -> registry.PolicyVersion:
    found = registry.production(ctx.store, ctx.project_id, ctx.workload)
    if found is None:
        raise errors.NotFound(
            f"workload {ctx.workload!r} has no production version for the finetune loop to improve on: register "
            f"one and promote it (flyloop policies register --workload {ctx.workload} ...; flyloop policies "
            f"promote {ctx.workload} <version>)",
            field="production",
        )
    ctx.inputs["production"] = found.id
    return found


def _embedder_choice(ctx: RunContext, production: registry.PolicyVersion | None) -> tuple[str, str]:
    chosen = ctx.options.get("embedder")
    if isinstance(chosen, str):
        return chosen, "asked for"
    if chosen is not None:
        return str(chosen.name), "asked for"
    if production is not None and production.bank:
        return get_bank(ctx.store, ctx.project_id, production.bank).embedder, f"production's bank {production.bank}"
    name, why = choose_default()
    return name, f"the default ({why})"


def _embedder(ctx: RunContext, name: str) -> Embedder:
    chosen = ctx.options.get("embedder")
    if chosen is not None and not isinstance(chosen, str):
        # The head is served by its embedder's name: an instance under a name nothing loads
        # would train a head no backend could serve.
        if name not in embedder_names() and not is_fine_tuned(name):
            raise errors.ValidationError(
                f"the embedder's name {name!r} is not one flyloop loads ({', '.join(embedder_names())}, or em_...): "
                "a head is served by its embedder's name",
                field="embedder",
            )
        return chosen if isinstance(chosen, CachedEmbedder) else CachedEmbedder(chosen)
    return load_embedder(name, ctx.settings)


def _embed(ctx: RunContext, model: Embedder, texts: list[str], what: str) -> NDArray[np.float32]:
    out = np.zeros((len(texts), model.dimension), dtype=np.float32)
    for start in range(0, len(texts), EMBED_CHUNK):
        ctx.check_cancelled()
        out[start : start + EMBED_CHUNK] = model.embed(texts[start : start + EMBED_CHUNK])
        ctx.progress(min(start + EMBED_CHUNK, len(texts)), len(texts), stage=f"embedding {what}")
    return out


# --- the loop body --------------------------------------------------------------------------------------


def plan_head(ctx: RunContext) -> dict[str, Any]:
    """What a run would do, spending nothing: the embedder and why, how many labelled examples
    the dataset version holds against the rule, the labels, whether it fine-tunes the embedder."""
    _options(ctx)
    workload = get_workload(ctx.store, ctx.project_id, ctx.workload)
    production = registry.production(ctx.store, ctx.project_id, ctx.workload)
    name, why = _embedder_choice(ctx, production)
    need = _need(ctx)
    labels = list(workload.labels or [])
    try:
        data = training.training_data(ctx, "sft", need=0)
        have = sum(1 for s in data.sources.get("train", []) if s.get("completion") in set(labels))
        dataset = data.version.id
    except errors.NotEnoughData:
        have, dataset = 0, None
    setfit = bool(ctx.options.get("setfit"))
    return {
        "method": "head",
        "embedder": name,
        "embedder_why": why,
        "dataset": dataset,
        "examples": have,
        "need": need,
        "enough": have >= need,
        "labels": labels,
        "setfit": setfit,
        "setfit_pairs": int(ctx.options.get("setfit_pairs") or DEFAULT_PAIRS) if setfit else 0,
        "c": float(ctx.options.get("c") or DEFAULT_C),
        "production": production.id if production is not None else None,
    }


def train_head(ctx: RunContext) -> None:
    """The finetune loop's body for a choice workload (see the module's docstring)."""
    started = time.perf_counter()
    _options(ctx)
    workload = get_workload(ctx.store, ctx.project_id, ctx.workload)
    labels = list(workload.labels or [])
    production = _production(ctx)
    need = _need(ctx)
    data = training.training_data(ctx, "sft", need=need)
    rows = examples(ctx, data, labels, need)
    base_name, why = _embedder_choice(ctx, production)
    ctx.inputs["embedder"] = base_name
    base = _embedder(ctx, base_name)
    seed = int(ctx.options.get("seed") or 0)
    c = float(ctx.options.get("c") or DEFAULT_C)
    setfit = bool(ctx.options.get("setfit"))
    train_texts = [r[0] for r in rows.train]
    train_labels = [r[1] for r in rows.train]
    quality = np.array([r[2] for r in rows.train])
    val_texts = [r[0] for r in rows.validation]
    val_labels = [r[1] for r in rows.validation]

    embed_started = time.perf_counter()
    before = base.embedded if isinstance(base, CachedEmbedder) else None
    train_vectors = _embed(ctx, base, train_texts, "training examples")
    val_vectors = _embed(ctx, base, val_texts, "validation examples")
    label_vectors = base.embed(label_texts(labels, workload.description))
    embedded = None if before is None else base.embedded - before  # type: ignore[attr-defined]
    embed_seconds = time.perf_counter() - embed_started
    zero_shot = zero_shot_accuracy(label_vectors, labels, val_vectors, val_labels)
    knn_k = production.k or DEFAULT_K
    knn = knn_accuracy(train_vectors, train_labels, quality, val_vectors, val_labels, knn_k)

    with ExitStack() as stack:
        tuned_stage = stack.enter_context(artifacts.staging("embedder", ctx.settings)) if setfit else None
        head_stage = stack.enter_context(artifacts.staging("head", ctx.settings))
        tuned_manifest: dict[str, Any] = {}
        if tuned_stage is not None:
            from flyloop.improve.setfit import fine_tune

            def step(done: int, total: int, loss: float) -> None:
                ctx.check_cancelled()
                ctx.progress(done, total, loss=round(loss, 6), stage="contrastive fine-tune")

            pairs = int(ctx.options.get("setfit_pairs") or DEFAULT_PAIRS)
            folder: Path = tuned_stage.folder / "model"
            tuned_manifest = fine_tune(train_texts, train_labels, folder, pairs=pairs, seed=seed, on_step=step)
            # Not yet an artifact, so not yet named: a cache in memory only, dropped after this run.
            tuned = CachedEmbedder(SentenceTransformersEmbedder(model=folder))
            head_train, head_val = (
                _embed(ctx, tuned, train_texts, "training examples (tuned)"),
                _embed(ctx, tuned, val_texts, "validation examples (tuned)"),
            )
        else:
            head_train, head_val = train_vectors, val_vectors
        ctx.check_cancelled()
        fitted = fit_head(head_train, train_labels, labels, embedder="pending", weights=quality, c=c, seed=seed)
        ctx.check_cancelled()
        embedder_name = base_name
        if tuned_stage is not None:
            tuned_art = artifacts.commit(
                ctx.store,
                ctx.project_id,
                tuned_stage,
                workload=ctx.workload,
                manifest={
                    **tuned_manifest,
                    **({"forced_taint": ctx.details["forced_taint"]} if "forced_taint" in ctx.details else {}),
                },
                dataset_version=data.version.id,
                run_id=ctx.run_id or None,
                settings=ctx.settings,
            )
            embedder_name = tuned_art.id
            ctx.outputs["embedder_artifact"] = tuned_art.id
        head = replace(fitted.head, embedder=embedder_name)
        uncalibrated = replace(fitted.uncalibrated, embedder=embedder_name)
        head.save(head_stage.folder)
        validation = scores(head, head_val, val_labels)
        metrics = {
            "train_accuracy": scores(head, head_train, train_labels)["accuracy"],
            "validation_accuracy": validation["accuracy"],
            "validation_macro_f1": validation["macro_f1"],
            "validation_ece": validation["ece"],
            "validation_ece_uncalibrated": scores(uncalibrated, head_val, val_labels)["ece"],
            "zero_shot_accuracy": zero_shot,
            "knn_accuracy": knn,
            "knn_k": knn_k,
            "train_rows": len(train_labels),
            "validation_rows": len(val_labels),
            "validation_from": rows.validation_from,
            "embedded": embedded,
            "embed_seconds": round(embed_seconds, 3),
            "fit_seconds": round(fitted.seconds, 3),
            "seconds": round(time.perf_counter() - started, 3),
        }
        manifest = {
            "embedder": {"name": embedder_name, "dimension": head.dimension, "base": base_name, "why": why},
            "labels": labels,
            "classes": list(head.classes),
            "dimension": head.dimension,
            "config": {
                "c": c,
                "seed": seed,
                "sample_weight": "curation quality",
                "class_weight": "balanced",
                "setfit": setfit,
                "setfit_pairs": tuned_manifest.get("config", {}).get("pairs", 0),
            },
            "calibration": {
                "method": "temperature",
                "temperature": head.temperature,
                "fitted_on": f"{fitted.folds}-fold out-of-fold logits of the training rows"
                if fitted.folds
                else "none (a label has a single training example): temperature 1",
            },
            "counts": {"dropped": rows.dropped, "labels": dict(sorted(Counter(train_labels).items()))},
            "metrics": metrics,
            # Forced onto a tainted version: the reason travels with what it made, as LoRA's does.
            **({"forced_taint": ctx.details["forced_taint"]} if "forced_taint" in ctx.details else {}),
        }
        art = artifacts.commit(
            ctx.store,
            ctx.project_id,
            head_stage,
            workload=ctx.workload,
            manifest=manifest,
            dataset_version=data.version.id,
            run_id=ctx.run_id or None,
            settings=ctx.settings,
        )
    check_head(art.id, ctx.settings)
    spec = {
        **production.definition(),
        "backend": "classifier",
        "model": art.id,
        "params": {},
        "adapter": None,
        "reranker": None,
    }
    candidate = registry.register(
        ctx.store,
        ctx.project_id,
        spec,
        parent=production.id,
        created_by=ctx.created_by,
        note=(
            f"choice head {art.id} on {embedder_name}: validation accuracy {metrics['validation_accuracy']:.3f} "
            f"(zero-shot {zero_shot:.3f}, kNN {knn:.3f}), macro-F1 {metrics['validation_macro_f1']:.3f}, "
            f"ECE {metrics['validation_ece']:.3f}, {len(train_labels)} training examples"
        ),
    )
    if candidate.created_by != ctx.created_by:
        ctx.details["registered_before_by"] = candidate.created_by
    ctx.outputs["artifact"] = art.id
    ctx.outputs["candidates"] = [candidate.id]
    ctx.details["head"] = {**metrics, "temperature": head.temperature, "dropped": rows.dropped}
