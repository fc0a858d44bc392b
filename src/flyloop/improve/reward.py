"""Loop 4, an outcome reward model, registered as ``reward`` with :mod:`flyloop.improve.runs`.

**What it learns.** Whether an output was good for its input, from the product's own (on-policy)
interactions: the ``kto`` rows of a dataset version, which curation makes from the labels (a good
verdict is a desirable completion, a bad one an undesirable one, and a correction gives both: the
corrected text desirable and the original undesirable, on the same prompt). Labels already fold
outcomes into their verdicts (:mod:`flyloop.labels.verdicts`), so outcomes reach the model through
them, and each row weighs as much as its quality (the label's confidence times the rater's trust).

**Which rows, and why a dataset version.** Training reads the version's ``train`` and
``validation`` splits, and the figures are measured on its held-out ``eval`` split, read as
(reference, 1) and (rejected, 0) cases. Curation's splits are user-disjoint, stable (a keyed hash
of each user) and time-aware, so the held-out AUC is measured on users the model never saw, and
a version is what taint follows: a tainted one (erasure) is refused unless ``force`` with a
``reason``, recorded on the run (:func:`flyloop.improve.training.training_data`). When the version
holds no eval rows for the workload, the figures come from user-grouped cross-validation and the
run says so (``metrics_source``).

**The model.** Embeddings of the input and the output (the embedders' cache: no text is embedded
twice) as ``[e_in, e_out, e_in * e_out, |e_in - e_out|, lengths]``, standardised, into a weighted
logistic regression (scikit-learn), then Platt-calibrated on out-of-fold scores from folds grouped
by user (calibration fitted on the scores of users the fold never trained on). Platt rather than
isotonic: one monotone map keeps the ranking (hence AUC) intact and needs little data. Saved as
``reward.npz`` (the standardisation folded into the weights) and ``reward.json``, no pickle;
scoring is a dot product in numpy.

**Uses.** :func:`score` and :func:`score_batch` (an evaluation metric), best-of-n reranking in a
policy and likely-bad flags (:mod:`flyloop.improve.rerank`). A run registers a candidate when the
production version is a generation policy: production with ``reranker`` = the artifact and
``best_of`` = the ``n`` option (default 4), sampled at production's temperature or 0.7 when it
decodes greedily (n greedy samples would be one sample n times).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from flyloop import errors, registry
from flyloop.capture import get_workload
from flyloop.extras import require
from flyloop.improve import artifacts, training
from flyloop.improve.calibration import ECE_BINS, calibration_error
from flyloop.improve.embedders import Embedder, embedder
from flyloop.improve.runs import Loop, Options, RunContext, Trigger, count_labels, register_loop, shared_options
from flyloop.settings import Settings
from flyloop.store import Store, schema

MIN_EXAMPLES = 50  # kto rows in train + validation: below it the AUC is noise
DEFAULT_BEST_OF = 4
SAMPLING_TEMPERATURE = 0.7  # for a candidate whose production decodes greedily
MIN_CONFIDENCE = 0.5
FEATURES = "v1: e_in, e_out, e_in*e_out, |e_in-e_out|, log chars out, log words out, log chars out - in"
MODEL_FILE = "reward.npz"
CONFIG_FILE = "reward.json"
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
C_DEFAULT = 0.1

Floats = NDArray[np.float64]


def prompt_text(prompt: Any) -> str:
    """An input as one string: chat messages' contents joined by newlines (as curation does)."""
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, list):
        return "\n".join(str(m.get("content", "")) if isinstance(m, dict) else str(m) for m in prompt)
    return orjson.dumps(prompt).decode()


# --- features and the model ---------------------------------------------------------------------------


def features(model_embedder: Embedder, inputs: Sequence[Any], outputs: Sequence[str]) -> Floats:
    """The model's feature rows for (input, output) pairs (see :data:`FEATURES`)."""
    if len(inputs) != len(outputs):
        raise errors.ValidationError("inputs and outputs must be as many", field="outputs")
    ins = [prompt_text(x) for x in inputs]
    outs = [o if isinstance(o, str) else "" for o in outputs]
    if not ins:
        return np.zeros((0, 4 * model_embedder.dimension + 3))
    # One call for both sides: the cache answers repeated prompts (n samples share one input).
    vectors = np.asarray(model_embedder.embed([*ins, *outs]), dtype=np.float64)
    e_in, e_out = vectors[: len(ins)], vectors[len(ins) :]
    chars_in = np.log1p([len(t) for t in ins])
    chars_out = np.log1p([len(t) for t in outs])
    words_out = np.log1p([len(t.split()) for t in outs])
    lengths = np.stack([chars_out, words_out, chars_out - chars_in], axis=1)
    return np.hstack([e_in, e_out, e_in * e_out, np.abs(e_in - e_out), lengths])


def _sigmoid(z: Floats) -> Floats:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0))), dtype=np.float64)


@dataclass(frozen=True)
class RewardModel:
    """A trained reward model: ``p(good | input, output) = sigmoid(a * (x . coef + intercept) + b)``
    over :func:`features` ``x`` of ``embedder_name``'s embeddings, ``(a, b)`` the Platt map."""

    embedder_name: str
    dimension: int
    coef: Floats
    intercept: float
    platt: tuple[float, float]
    c: float = 1.0

    def raw(self, x: Floats) -> Floats:
        return np.asarray(x @ self.coef + self.intercept, dtype=np.float64)

    def probability(self, x: Floats) -> Floats:
        a, b = self.platt
        return _sigmoid(a * self.raw(x) + b)

    def save(self, folder: Any) -> None:
        """``reward.npz`` (arrays) and ``reward.json`` (what they mean) in ``folder``: no pickle."""
        from pathlib import Path

        path = Path(folder)
        np.savez(
            path / MODEL_FILE,
            coef=self.coef,
            intercept=np.array([self.intercept]),
            platt=np.array(self.platt, dtype=np.float64),
            c=np.array([self.c]),
        )
        config = {"embedder": self.embedder_name, "dimension": self.dimension, "features": FEATURES}
        (path / CONFIG_FILE).write_bytes(orjson.dumps(config, option=orjson.OPT_INDENT_2))

    @classmethod
    def load(cls, folder: Any) -> RewardModel:
        from pathlib import Path

        path = Path(folder)
        config = orjson.loads((path / CONFIG_FILE).read_bytes())
        if config.get("features") != FEATURES:
            raise errors.ConfigError(
                f"reward model at {path} was saved with features {config.get('features')!r}; this flyloop reads "
                f"{FEATURES!r}: train it again",
                field="reranker",
            )
        with np.load(path / MODEL_FILE, allow_pickle=False) as arrays:
            coef = np.asarray(arrays["coef"], dtype=np.float64)
            intercept = float(arrays["intercept"][0])
            a, b = (float(v) for v in arrays["platt"])
            c = float(arrays["c"][0])
        return cls(str(config["embedder"]), int(config["dimension"]), coef, intercept, (a, b), c)


def expected_calibration_error(
    probabilities: Sequence[float] | Floats, targets: Sequence[float] | Floats, bins: int = ECE_BINS
) -> float:
    """ECE over ``bins`` equal-width bins of the predicted probability: the share of cases in each
    bin times the gap between its mean prediction and its share of positives, summed (1.0 falls
    in the last bin)."""
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    if p.shape != y.shape or p.ndim != 1:
        raise errors.ValidationError("probabilities and targets must be two lists of one length", field="targets")
    if not len(p):
        raise errors.ValidationError("no cases to measure calibration on", field="targets")
    return calibration_error(p, y, bins)


def auc(scores: Sequence[float] | Floats, targets: Sequence[float] | Floats) -> float | None:
    """ROC AUC (scikit-learn's), None when only one class is present."""
    roc_auc_score = require("sklearn.metrics", "embed", "the reward model").roc_auc_score

    y = np.asarray(targets)
    if len(set(y.tolist())) < 2:
        return None
    return float(roc_auc_score(y, np.asarray(scores)))


def _folds(groups: Sequence[str], targets: Floats, seed: int) -> list[tuple[NDArray[Any], NDArray[Any]]]:
    """User-grouped folds (at most 5) whose training side holds both classes."""
    selection = require("sklearn.model_selection", "embed", "the reward model")
    GroupKFold, StratifiedKFold = selection.GroupKFold, selection.StratifiedKFold

    distinct = len(set(groups))
    if distinct >= 3:
        splitter: Any = GroupKFold(n_splits=min(5, distinct))
        folds = list(splitter.split(targets, targets, groups=list(groups)))
    else:  # one or two users: no user-disjoint folds to be had; rows then
        smallest = int(min((targets == 1).sum(), (targets == 0).sum()))
        splitter = StratifiedKFold(n_splits=max(2, min(5, smallest)), shuffle=True, random_state=seed)
        folds = list(splitter.split(targets, targets))
    return [(tr, te) for tr, te in folds if len(set(targets[tr].tolist())) == 2]


def fit(
    x: Floats,
    targets: Sequence[float],
    weights: Sequence[float],
    groups: Sequence[str],
    *,
    embedder_name: str,
    dimension: int,
    c: float | None = None,
    seed: int = 0,
) -> tuple[RewardModel, Floats]:
    """Train the model on feature rows ``x`` (targets 0/1, sample weights, user groups) and
    calibrate it on out-of-fold scores; ``c``: the logistic regression's inverse regularisation
    (None: chosen from :data:`C_GRID` on the user-grouped folds). Returns the model and the
    out-of-fold probabilities (each row's calibrated score from a model that never saw its user)."""
    threadpool_limits = require("threadpoolctl", "embed", "the reward model").threadpool_limits

    # Hundreds of rows: BLAS threads cost more than they save (10-20x slower on 2 cores, measured).
    with threadpool_limits(limits=1):
        return _fit(x, targets, weights, groups, embedder_name, dimension, c, seed)


def _fit(
    x: Floats,
    targets: Sequence[float],
    weights: Sequence[float],
    groups: Sequence[str],
    embedder_name: str,
    dimension: int,
    c: float | None,
    seed: int,
) -> tuple[RewardModel, Floats]:
    LogisticRegression = require("sklearn.linear_model", "embed", "the reward model").LogisticRegression
    StandardScaler = require("sklearn.preprocessing", "embed", "the reward model").StandardScaler

    y = np.asarray(targets, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)

    def train(rows: NDArray[Any], strength: float) -> tuple[Floats, float]:
        scaler = StandardScaler().fit(x[rows])
        scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
        lr = LogisticRegression(C=strength, max_iter=2000, random_state=seed)
        lr.fit((x[rows] - scaler.mean_) / scale, y[rows], sample_weight=w[rows])
        # The standardisation folded into the weights: inference is one dot product.
        coef = lr.coef_[0] / scale
        return coef, float(lr.intercept_[0] - scaler.mean_ @ coef)

    folds = _folds(groups, y, seed)

    def out_of_fold(strength: float) -> Floats:
        raw = np.full(len(y), np.nan)
        for tr, te in folds:
            coef, intercept = train(tr, strength)
            raw[te] = x[te] @ coef + intercept
        return raw

    if c is None:
        c, oof_raw = _choose_c(out_of_fold, y, w)
    else:
        oof_raw = out_of_fold(c)
    seen = ~np.isnan(oof_raw)
    platt = (1.0, 0.0)
    if seen.sum() >= 2 and len(set(y[seen].tolist())) == 2:
        # Platt scaling: a one-feature logistic regression, barely regularised, on held-out scores.
        cal = LogisticRegression(C=1e4, max_iter=1000)
        cal.fit(oof_raw[seen].reshape(-1, 1), y[seen], sample_weight=w[seen])
        platt = (float(cal.coef_[0][0]), float(cal.intercept_[0]))
    coef, intercept = train(np.arange(len(y)), c)
    model = RewardModel(embedder_name, dimension, coef, intercept, platt, c)
    oof = np.where(seen, _sigmoid(platt[0] * np.nan_to_num(oof_raw) + platt[1]), np.nan)
    return model, oof


def _choose_c(out_of_fold: Any, y: Floats, w: Floats) -> tuple[float, Floats]:
    """The regularisation (of :data:`C_GRID`) whose out-of-fold scores, Platt-mapped, have the
    least weighted log loss: embeddings give hundreds of features for a few hundred rows, and
    too little regularisation learns the training texts' words instead of what makes an answer good."""
    LogisticRegression = require("sklearn.linear_model", "embed", "the reward model").LogisticRegression
    log_loss = require("sklearn.metrics", "embed", "the reward model").log_loss

    best: tuple[float, float, Floats] | None = None
    for strength in C_GRID:
        raw = out_of_fold(strength)
        seen = ~np.isnan(raw)
        if seen.sum() < 2 or len(set(y[seen].tolist())) < 2:
            return C_DEFAULT, raw  # no folds to choose with
        cal = LogisticRegression(C=1e4, max_iter=1000).fit(raw[seen].reshape(-1, 1), y[seen], sample_weight=w[seen])
        loss = float(log_loss(y[seen], cal.predict_proba(raw[seen].reshape(-1, 1))[:, 1], sample_weight=w[seen]))
        if best is None or loss < best[0] - 1e-9:
            best = (loss, strength, raw)
    assert best is not None
    return best[1], best[2]


# --- loading and scoring ------------------------------------------------------------------------------

_LOADED: dict[tuple[str, str], tuple[RewardModel, Embedder]] = {}
_LOCK = threading.Lock()


def load(reward_id: str, settings: Settings | None = None) -> tuple[RewardModel, Embedder]:
    """The reward model of artifact ``reward_id`` and its embedder (cached per process: a policy
    scores every call with it)."""
    settings = settings or Settings()
    key = (reward_id, str(settings.home))
    with _LOCK:
        found = _LOADED.get(key)
    if found is not None:
        return found
    manifest = artifacts.load_manifest(reward_id, settings)
    if manifest.get("kind") != "reward":
        raise errors.ValidationError(
            f"{reward_id} is a {manifest.get('kind')!r} artifact, not a reward model", field="reranker"
        )
    model = RewardModel.load(artifacts.folder_of(reward_id, settings))
    pair = (model, embedder(model.embedder_name, home=settings.home))
    with _LOCK:
        _LOADED[key] = pair
    return pair


def score_batch(
    reward_id: str, inputs: Sequence[Any], outputs: Sequence[str], *, settings: Settings | None = None
) -> list[float]:
    """The calibrated probability that each output was good for its input (0..1), by reward model
    ``reward_id`` (an ``rm_…`` artifact under the settings' home)."""
    model, emb = load(reward_id, settings)
    return [float(p) for p in model.probability(features(emb, inputs, outputs))]


def score(reward_id: str, input: Any, output: str, *, settings: Settings | None = None) -> float:
    """:func:`score_batch` of one pair (the evaluation metric ``reward``)."""
    return score_batch(reward_id, [input], [output], settings=settings)[0]


# --- the loop -----------------------------------------------------------------------------------------


def _window(rows: list[dict[str, Any]], since: float | None, until: float | None) -> list[dict[str, Any]]:
    return [r for r in rows if (since is None or r["ts"] >= since) and (until is None or r["ts"] < until)]


def _heldout(rows: list[dict[str, Any]]) -> tuple[list[Any], list[str], list[float], list[tuple[int, int]]]:
    """Eval rows as (input, output, target) cases, and the (good, bad) case pairs of corrections."""
    inputs: list[Any] = []
    outputs: list[str] = []
    targets: list[float] = []
    pairs: list[tuple[int, int]] = []
    for row in rows:
        good = bad = None
        for text, target in ((row.get("completion"), 1.0), (row.get("rejected"), 0.0)):
            if isinstance(text, str) and text:
                if target:
                    good = len(targets)
                else:
                    bad = len(targets)
                inputs.append(row["prompt"])
                outputs.append(text)
                targets.append(target)
        if good is not None and bad is not None:
            pairs.append((good, bad))
    return inputs, outputs, targets, pairs


def _metrics(probabilities: Floats, targets: Sequence[float], pairs: Sequence[tuple[int, int]]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "reward_auc": auc(probabilities, targets),
        "reward_ece": round(expected_calibration_error(probabilities, targets), 6),
        "cases": len(targets),
        "positives": int(sum(targets)),
        "mean_score": round(float(np.mean(probabilities)), 6),
        "positive_rate": round(float(np.mean(targets)), 6),
    }
    if found["reward_auc"] is not None:
        found["reward_auc"] = round(found["reward_auc"], 6)
    if pairs:
        wins = sum(1 for good, bad in pairs if probabilities[good] > probabilities[bad])
        found["pairs"] = len(pairs)
        found["pair_accuracy"] = round(wins / len(pairs), 6)
    return found


def _heldout_rows(ctx: RunContext, version_id: str) -> list[dict[str, Any]]:
    """The version's held-out eval rows of the workload (none: an empty list, said on the run)."""
    examples = dict(ctx.inputs.get("examples", {}))
    ctx.options.setdefault("dataset", version_id)  # the eval split of the very version trained on
    data = training.training_data(ctx, "eval", need=0, splits=("eval",))
    rows = data.sources.get("eval", [])
    ctx.inputs["examples"] = {**examples, "eval": len(rows)}
    return rows


def train_reward(ctx: RunContext) -> None:
    """The ``reward`` loop's body (module docstring)."""
    need = int(ctx.options.get("min_pairs") or MIN_EXAMPLES)
    seed = int(ctx.options.get("seed") or 0)
    since, until = ctx.options.get("since"), ctx.options.get("until")
    if since is not None and until is not None and since >= until:
        raise errors.ValidationError(f"since ({since}) must be before until ({until})", field="since")
    data = training.training_data(ctx, "kto", need=need)
    pool = _window([*data.sources.get("train", []), *data.sources.get("validation", [])], since, until)
    targets = [1.0 if r["label"] else 0.0 for r in pool]
    positives = int(sum(targets))
    if len(pool) < need or positives == 0 or positives == len(pool):
        raise errors.NotEnoughData(
            f"not enough data: {len(pool)} of {need} labelled outputs of workload {ctx.workload!r} in the window, "
            f"{positives} good and {len(pool) - positives} bad (a reward model needs both)",
            field="dataset",
            have=len(pool),
            need=need,
        )
    heldout = _window(_heldout_rows(ctx, data.version.id), since, until)
    cap = ctx.options.get("validation_size")
    if cap is not None and len(heldout) > cap:
        keep = np.random.default_rng(seed).choice(len(heldout), size=int(cap), replace=False)
        heldout = [heldout[i] for i in sorted(keep)]
    name = ctx.options.get("embedder")
    emb = name if isinstance(name, Embedder) and not isinstance(name, str) else embedder(name, home=ctx.settings.home)
    ctx.inputs["embedder"] = emb.name
    ctx.progress(0, 3, step="embedding")
    x = features(emb, [r["prompt"] for r in pool], [r["completion"] or "" for r in pool])
    ctx.check_cancelled()
    ctx.progress(1, 3, step="training")
    weights = [max(float(r["quality"]), 0.05) * float(r["weight"] or 1.0) for r in pool]
    groups = [str(r["user_id"] or r["interaction_id"]) for r in pool]
    given_c = ctx.options.get("c")
    model, oof = fit(
        x,
        targets,
        weights,
        groups,
        embedder_name=emb.name,
        dimension=emb.dimension,
        c=None if given_c is None else float(given_c),
        seed=seed,
    )
    ctx.check_cancelled()
    ctx.progress(2, 3, step="measuring")
    seen = ~np.isnan(oof)
    cross = _metrics(oof[seen], [t for t, s in zip(targets, seen, strict=True) if s], []) if seen.any() else {}
    h_inputs, h_outputs, h_targets, h_pairs = _heldout(heldout)
    if h_targets and len(set(h_targets)) == 2:
        metrics = _metrics(model.probability(features(emb, h_inputs, h_outputs)), h_targets, h_pairs)
        metrics["metrics_source"] = "eval"
    else:
        metrics = {**cross, "metrics_source": "cross-validation"}
        ctx.details["metrics_note"] = (
            f"the held-out eval split holds {len(h_targets)} cases of this workload"
            f"{' of one class' if h_targets else ''}: AUC and ECE come from user-grouped cross-validation"
        )
    metrics["cross_validation"] = cross
    counts = {"rows": len(pool), "good": positives, "bad": len(pool) - positives, "users": len(set(groups))}
    ctx.details.update(metrics=metrics, counts=counts, calibration="platt", platt=list(model.platt), c=model.c)
    with artifacts.staging("reward", ctx.settings) as stage:
        model.save(stage.folder)
        ctx.check_cancelled()
        art = artifacts.commit(
            ctx.store,
            ctx.project_id,
            stage,
            workload=ctx.workload,
            manifest={
                "embedder": emb.name,
                "dimension": emb.dimension,
                "features": FEATURES,
                "config": {"c": model.c, "seed": seed, "calibration": "platt", "since": since, "until": until},
                "metrics": metrics,
                "counts": counts,
                "forced_taint": ctx.details.get("forced_taint"),
            },
            dataset_version=data.version.id,
            run_id=ctx.run_id,
            settings=ctx.settings,
        )
    ctx.outputs["artifact"] = art.id
    ctx.progress(3, 3, step="done", reward_auc=metrics.get("reward_auc"))
    _register_candidate(ctx, art.id, metrics)


def _register_candidate(ctx: RunContext, reward_id: str, metrics: dict[str, Any]) -> None:
    ctx.outputs["candidates"] = []
    production = registry.production(ctx.store, ctx.project_id, ctx.workload)
    kind = get_workload(ctx.store, ctx.project_id, ctx.workload).type
    if production is None or kind != "generation" or production.backend == "classifier":
        why = "no production version" if production is None else f"production is a {kind} policy"
        ctx.details["candidate"] = f"none: {why} (best-of-n reranks a generation policy's samples)"
        return
    ctx.inputs["production"] = production.id
    n = int(ctx.options.get("n") or DEFAULT_BEST_OF)
    params = dict(production.params)
    params["best_of"] = n
    if not params.get("temperature"):
        params["temperature"] = SAMPLING_TEMPERATURE
    spec = {**production.definition(), "reranker": reward_id, "params": params}
    auc_text = "n/a" if metrics.get("reward_auc") is None else f"{metrics['reward_auc']:.3f}"
    candidate = registry.register(
        ctx.store,
        ctx.project_id,
        spec,
        parent=production.id,
        created_by=ctx.created_by,
        note=(
            f"reward: best of {n} by reward model {reward_id} (held-out AUC {auc_text}, "
            f"ECE {metrics.get('reward_ece')}, from {metrics.get('metrics_source')}), "
            f"temperature {params['temperature']}"
        ),
    )
    ctx.outputs["candidates"] = [candidate.id]


def labelled_outputs(store: Store, project_id: str, workload: str) -> dict[str, int]:
    """What the reward trigger counts: outputs with a verdict a reward model learns from."""
    lb = schema.labels
    corrected = count_labels(store, project_id, workload, lb.c.verdict == "corrected")
    good = count_labels(store, project_id, workload, lb.c.verdict == "good", lb.c.confidence >= MIN_CONFIDENCE)
    bad = count_labels(store, project_id, workload, lb.c.verdict == "bad", lb.c.confidence >= MIN_CONFIDENCE)
    # A correction is two rows: the corrected text good, the original bad.
    return {"corrected": corrected, "good": good, "bad": bad, "total": 2 * corrected + good + bad}


def _trigger(store: Store, project_id: str, workload: str, settings: Settings) -> Trigger:
    counts = labelled_outputs(store, project_id, workload)
    has_both = counts["corrected"] > 0 or (counts["good"] > 0 and counts["bad"] > 0)
    due = counts["total"] >= MIN_EXAMPLES and has_both
    return Trigger(
        due,
        f"{counts['total']} labelled outputs ({counts['corrected']} corrected, {counts['good']} good, "
        f"{counts['bad']} bad with confidence >= {MIN_CONFIDENCE}); the rule: at least {MIN_EXAMPLES}, good and bad",
        {**counts, "need": MIN_EXAMPLES},
    )


def _plan(ctx: RunContext) -> dict[str, Any]:
    trigger = _trigger(ctx.store, ctx.project_id, ctx.workload, ctx.settings)
    dataset = ctx.options.get("dataset") or training.latest_version(ctx.store, ctx.project_id, ctx.workload, "kto")
    return {
        "estimate": 0,
        "rule": {"due": trigger.due, "reason": trigger.reason, "counts": trigger.counts},
        "dataset": dataset,
        "best_of": int(ctx.options.get("n") or DEFAULT_BEST_OF),
    }


OPTIONS: Options = {
    **shared_options("dataset", "since", "until", "seed", "force", "reason"),
    "embedder": ((str, Embedder), "an embedder's name"),
    "min_pairs": (int, "a whole number of labelled outputs"),
    "validation_size": (int, "a whole number of held-out eval rows"),
    "n": (int, "how many samples the candidate reranks (best_of)"),
    "c": ((int, float), "the inverse regularisation, a number above 0 (default: chosen by cross-validation)"),
}

register_loop(
    Loop(
        name="reward",
        run=train_reward,
        trigger=_trigger,
        every_s=lambda s: s.loops_reward_every_s,
        options=OPTIONS,
        plan=_plan,
    )
)
