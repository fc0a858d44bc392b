"""Loop 3 for a choice workload: a calibrated head on frozen embeddings, optionally after a
SetFit-style contrastive fine-tune of the embedder, registered as a ``classifier`` candidate.

The finetune loop (:mod:`flyloop.improve.finetune`) calls :func:`train_head` for a choice workload:

1. **Data**: the workload's labelled ``sft`` examples of a dataset version (the completion is the
   label), at least ``min_pairs`` of them (``loops_finetune_min_pairs``); completions outside the
   workload's label set are dropped and counted, as are repeated inputs (the best-quality copy is
   kept) and validation rows whose input is also a training row's. The validation rows are the
   version's validation split when it holds :data:`MIN_VALIDATION` rows or more (at most
   ``validation_size`` of them), else ``validation_size`` rows (default a fifth) drawn from the
   training rows with ``seed``. The bad verdicts (a trusted thumbs-down, a failed outcome) reach
   the head through these rows on a workload of two labels, where curation makes each an ``sft``
   example of the other label (source ``other_label``): in the flywheel benchmark 86-100% of them
   named the true label, and the head fitted with them scored -1.3 to +8.0 points of held-out
   accuracy against the one fitted without, +0.4 on average at the last round of three seeds
   (BENCHMARKS.md, flywheel_triage). With more labels a bad verdict only rules one out, and the head leaves it
   out: spread over the other labels (each copy weighing 1 / (K - 1)) it cost 0.2 to 0.8 points
   on a three-label SpamAssassin task (``python -m bench.flywheel.complementary``).
2. **Embeddings** through the embedders' cache (memory, then ``$FLYLOOP_HOME/embeddings/``), so a
   retrain embeds nothing twice. The embedder: the ``embedder`` option, else the production
   version's bank's, else the default one.
3. **Head**: scikit-learn's multinomial ``LogisticRegression`` over each input's unit vector and
   (``words``, default on) its words: the unit-length TF-IDF row over a vocabulary fitted on the
   training texts (:func:`~flyloop.improve.head_fit.fit_words`; MiniLM reads a mail's first 256
   tokens as one meaning, the words keep what it blurs). Measured on SpamAssassin, 230 to 3,000
   rows, three draws each: the words add 0.5 to 1.5 points of held-out accuracy with clean labels
   and 3.3 to 3.8 with 15% of them flipped; with C chosen as below, 0.5 to 1.7 and 4 to 6 points
   over the head this loop fitted before (vectors alone, C = 1; BENCHMARKS.md, training_heads).
   Each example weighed by its curation quality and the labels balanced. ``C``: the ``c`` option,
   else the one of :data:`~flyloop.improve.head_fit.C_GRID` whose 5-fold out-of-fold logits, after
   their own temperature, have the lowest negative log-likelihood (labels weighed alike); that
   temperature calibrates the head, so the validation rows stay unseen for the figures. A
   temperature keeps the argmax: calibration never changes a label.
4. **Figures** on the validation rows, side by side: the head's accuracy, macro-F1 and expected
   calibration error (before and after the temperature), a zero-shot baseline (each input to its
   nearest label text: the label, or ``label: description`` when the workload has a description)
   and the kNN vote the ``classifier`` backend would give over the training rows.
   **Refit** (setting ``loops_finetune_head_refit``, default on): once measured, the head is
   fitted again, its C kept (its words and temperature fitted anew), on the training and
   validation rows together, and that head is the one served: feedback is scarce, and the
   validation rows are honest labels from users the first fit never saw. The figures stay those
   of the first fit, on rows it never saw (a slight understatement of the served head); the
   evaluation gate judges the served one on the dataset version's eval split, which neither fit
   reads. Off, the measured head is served.
5. **Artifact** ``hd_...`` (:mod:`flyloop.improve.head_model`: arrays and JSON, no pickle; its
   manifest records the project's redaction, which the served head repeats on its inputs) and a
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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from flyloop import errors, privacy, registry
from flyloop.capture import get_workload
from flyloop.improve import artifacts, training
from flyloop.improve.bank import get_bank, input_text, normalised
from flyloop.improve.classifier import DEFAULT_K
from flyloop.improve.embedders import (
    CachedEmbedder,
    Embedder,
    SentenceTransformersEmbedder,
    choose_default,
    is_fine_tuned,
)
from flyloop.improve.embedders import names as embedder_names
from flyloop.improve.head_fit import (
    C_GRID,
    FOLDS,
    MAX_TERMS,
    MIN_DF,
    fit_head,
    knn_accuracy,
    label_texts,
    scores,
    zero_shot_accuracy,
)
from flyloop.improve.head_model import check_head, redaction_record
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
MIN_VALIDATION = 20
VALIDATION_SHARE = 0.2
EMBED_CHUNK = 256


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
                f"choice workload, whose run trains a head (options: embedder, words, setfit, setfit_pairs, c, "
                f"seed, validation_size, min_pairs, dataset, force, reason)",
                field=name,
            )
    if ctx.options.get("setfit_pairs") is not None and not ctx.options.get("setfit"):
        raise errors.ValidationError(
            "setfit_pairs is the contrastive fine-tune's: give setfit=True", field="setfit_pairs"
        )


def _c(ctx: RunContext) -> float | None:
    given = ctx.options.get("c")
    return None if given is None else float(given)


def _words(ctx: RunContext) -> bool:
    return ctx.options.get("words") is not False  # default on: the texts' words beside their vectors


def _refit(ctx: RunContext) -> bool:
    return bool(ctx.settings.loops_finetune_head_refit)  # default on: the served head learns from validation too


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
        "c": _c(ctx) or f"chosen by {FOLDS}-fold cross-validation from {', '.join(f'{c:g}' for c in C_GRID)}",
        "words": _words(ctx),
        "refit": _refit(ctx),
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
    c = _c(ctx)
    words = _words(ctx)
    setfit = bool(ctx.options.get("setfit"))
    train_texts = [r[0] for r in rows.train]
    train_labels = [r[1] for r in rows.train]
    quality = np.array([r[2] for r in rows.train])
    val_texts = [r[0] for r in rows.validation]
    val_labels = [r[1] for r in rows.validation]
    val_quality = np.array([r[2] for r in rows.validation])
    refit = _refit(ctx)
    fitted_rows = "training and validation rows" if refit else "training rows"

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
        fitted = fit_head(
            head_train,
            train_labels,
            labels,
            embedder="pending",
            weights=quality,
            c=c,
            seed=seed,
            texts=train_texts if words else None,
        )
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
        # The figures are the head fitted on the training rows alone, on validation rows it never saw.
        measured = replace(fitted.head, embedder=embedder_name)
        uncalibrated = replace(fitted.uncalibrated, embedder=embedder_name)
        validation = scores(measured, head_val, val_labels, val_texts)
        train_accuracy = scores(measured, head_train, train_labels, train_texts)["accuracy"]
        ctx.check_cancelled()
        served = fitted
        if refit:
            # Then, its C kept, the served head is fitted again on the training and validation rows
            # together: feedback is scarce, and a head gains from every honest label (the flywheel
            # benchmark's diagnosis, seed 7: 706 curated training rows 0.913 held-out, with the
            # validation and eval splits' rows too, 1,063 of them, 0.935).
            served = fit_head(
                np.vstack([head_train, head_val]),
                train_labels + val_labels,
                labels,
                embedder="pending",
                weights=np.concatenate([quality, val_quality]),
                c=fitted.c,
                seed=seed,
                texts=train_texts + val_texts if words else None,
            )
        head = replace(served.head, embedder=embedder_name)
        head.save(head_stage.folder)
        metrics = {
            "train_accuracy": train_accuracy,
            "validation_accuracy": validation["accuracy"],
            "validation_macro_f1": validation["macro_f1"],
            "validation_ece": validation["ece"],
            "validation_ece_uncalibrated": scores(uncalibrated, head_val, val_labels, val_texts)["ece"],
            "c": fitted.c,
            "terms": len(head.terms),
            "zero_shot_accuracy": zero_shot,
            "knn_accuracy": knn,
            "knn_k": knn_k,
            "train_rows": len(train_labels),
            "validation_rows": len(val_labels),
            "validation_from": rows.validation_from,
            "served_rows": len(train_labels) + (len(val_labels) if refit else 0),
            "embedded": embedded,
            "embed_seconds": round(embed_seconds, 3),
            "fit_seconds": round(fitted.seconds + (served.seconds if refit else 0.0), 3),
            "seconds": round(time.perf_counter() - started, 3),
        }
        manifest = {
            "embedder": {"name": embedder_name, "dimension": head.dimension, "base": base_name, "why": why},
            "labels": labels,
            "classes": list(head.classes),
            "dimension": head.dimension,
            "config": {
                "c": fitted.c,
                "c_from": "given" if c is not None else f"{fitted.folds}-fold out-of-fold log-likelihood",
                "c_tried": {f"{value:g}": nll for value, nll in fitted.tried.items()},
                "words": (
                    {"terms": len(head.terms), "min_df": MIN_DF, "max_terms": MAX_TERMS, "tf": "sublinear"}
                    if head.terms
                    else {"terms": 0, "why": served.words_why}
                ),
                "seed": seed,
                "refit": refit,
                "sample_weight": "curation quality",
                "class_weight": "balanced",
                "setfit": setfit,
                "setfit_pairs": tuned_manifest.get("config", {}).get("pairs", 0),
            },
            "calibration": {
                "method": "temperature",
                "temperature": head.temperature,
                "fitted_on": f"{served.folds}-fold out-of-fold logits of the {fitted_rows}, labels weighed alike"
                if served.folds
                else "none (a label has a single training example): temperature 1",
            },
            "counts": {"dropped": rows.dropped, "labels": dict(sorted(Counter(train_labels).items()))},
            "metrics": metrics,
            # The texts above are the inputs as stored: the head redacts what it serves the same way.
            "redaction": redaction_record(privacy.privacy_policy(ctx.store, ctx.project_id)),
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
            f"choice head {art.id} on {embedder_name}{' and words' if head.terms else ''}: "
            f"validation accuracy {metrics['validation_accuracy']:.3f} "
            f"(zero-shot {zero_shot:.3f}, kNN {knn:.3f}), macro-F1 {metrics['validation_macro_f1']:.3f}, "
            f"ECE {metrics['validation_ece']:.3f}, {len(train_labels)} training examples"
        ),
    )
    if candidate.created_by != ctx.created_by:
        ctx.details["registered_before_by"] = candidate.created_by
    ctx.outputs["artifact"] = art.id
    ctx.outputs["candidates"] = [candidate.id]
    ctx.details["head"] = {**metrics, "temperature": head.temperature, "dropped": rows.dropped}
