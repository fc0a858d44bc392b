"""Loop 2's artefact: the few-shot example bank of a workload, an immutable version built from a
dataset version's curated examples, with a nearest-neighbour index saved beside it.

:func:`build_bank` takes the dataset version's ``sft`` examples of the workload in the ``train``
split (corrections and confidently good outputs; curation already applied consent and dedup),
drops those below ``min_quality`` and exact duplicates of an input (normalised: NFKC, case-folded,
whitespace collapsed, closing punctuation dropped: two users asking the same question would show
the model the same example twice), and for a choice workload those whose output is not one of
its labels. Each drop is counted by reason in the manifest. The rest are embedded (through the
embedders' cache, so a rebuild embeds nothing twice), indexed (:mod:`flyloop.improve.ann`) and
stored: a row in ``banks``, one per example in ``bank_examples``, and on disk under
``$FLYLOOP_HOME/banks/<project>/<bank id>/`` the vectors (``vectors.npy``, float32, one row per
position) and the index file, written to a temporary folder and renamed into place.

The id is ``bk_`` and 16 hex digits of the SHA-256 of the dataset version, the workload, the
embedder and its dimension, the selection rules and the example ids: building the same bank again
returns the stored one. Serving it is :mod:`flyloop.improve.bank_index`'s.

Erasure (:func:`on_erase`, :func:`on_content_removed`, run by :mod:`flyloop.privacy.derived`)
keeps a bank's positions but empties the erased rows (no input, output, label or user; an erased
user's interaction ids go too) and stamps ``removed_at``; it zeroes their vectors on disk, takes
them out of the index file and of every index loaded in this process, and counts them in the
bank's ``removed``. Other processes see the count change and drop them within a second.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
import shutil
import tempfile
import time
import unicodedata
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import orjson
import sqlalchemy as sa

from flyloop import datasets, errors
from flyloop.capture import get_workload
from flyloop.improve import ann
from flyloop.improve.embedders import CachedEmbedder, Embedder, choose_default, embedder
from flyloop.settings import Settings
from flyloop.store import Store, add_new, bulk_insert, schema

MIN_EXAMPLES = 10
# Curation's quality is the label's confidence times its rater's trust: one unopposed thumbs-up
# from a rater without a record is 0.5 x 2/3 = 1/3, under this floor. A bank shows the model its
# examples as right answers, so it asks for more than one stranger's thumb: a second rater, a
# rater with a record, an outcome, or a vouched correction. Measured on the flywheel benchmark
# (triage, seed 7): with a floor of 0.3 the first round's bank, built from single thumbs-ups that
# habitual raters gave to wrong answers too, took held-out accuracy from 0.709 to 0.601; with 0.5
# that round keeps its policy and the next one, with records, reaches 0.87.
MIN_QUALITY = 0.5
EMBED_CHUNK = 4096
_CHUNK = 500  # ids per IN (...) clause


@dataclass(frozen=True, slots=True)
class Bank:
    """One stored bank version (a ``banks`` row)."""

    id: str
    workload: str
    dataset_version: str
    embedder: str
    dimension: int
    size: int
    removed: int
    manifest: dict[str, Any]
    created_at: float

    @property
    def live(self) -> int:
        """Examples it still serves."""
        return self.size - self.removed


# --- texts -------------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def input_text(value: Any) -> str:
    """An example's input as the text to embed: a string as is, chat messages' contents joined by
    newlines, any other JSON as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(m, dict) for m in value):
        return "\n".join(str(m.get("content", "")) for m in value)
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def normalised(text: str) -> str:
    """The key two inputs share when they are the same question (curation's dedup normalises
    the same way; its function is internal to curation, a stage this one reaches only by face)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", text).strip().rstrip(".!?;:,").strip()


# --- where a bank lives ------------------------------------------------------------------------------


def folder(settings: Settings, project_id: str, bank_id: str) -> Path:
    return Path(settings.home) / "banks" / project_id / bank_id


def bank_embedder(name: str, settings: Settings) -> Embedder:
    """The bank's embedder, cached in memory and on disk under the home's ``embeddings/``; one
    instance per (name, home) in a process, however many banks use it (a model loads once)."""
    return _shared_embedder(name, str(settings.home))


@functools.lru_cache(maxsize=16)
def _shared_embedder(name: str, home: str) -> Embedder:
    return embedder(name, home=home)


# --- reading -----------------------------------------------------------------------------------------


def _bank(row: Any) -> Bank:
    return Bank(
        id=row.id,
        workload=row.workload,
        dataset_version=row.dataset_version,
        embedder=row.embedder,
        dimension=row.dimension,
        size=row.size,
        removed=row.removed,
        manifest=row.manifest,
        created_at=row.created_at,
    )


def get_bank(store: Store, project_id: str, bank_id: str) -> Bank:
    """A bank by id; :class:`~flyloop.errors.NotFound` naming ``bank`` otherwise."""
    b = schema.banks
    with store.read() as conn:
        row = conn.execute(sa.select(b).where(b.c.project_id == project_id, b.c.id == bank_id)).first()
    if row is None:
        raise errors.NotFound(f"no bank {bank_id!r} in project {project_id!r}", field="bank")
    return _bank(row)


def list_banks(store: Store, project_id: str, workload: str | None = None) -> list[Bank]:
    """The project's banks (of one workload), newest first."""
    b = schema.banks
    query = sa.select(b).where(b.c.project_id == project_id)
    if workload is not None:
        query = query.where(b.c.workload == workload)
    with store.read() as conn:
        rows = conn.execute(query.order_by(b.c.created_at.desc(), b.c.id)).all()
    return [_bank(r) for r in rows]


# --- building ----------------------------------------------------------------------------------------


def latest_dataset(store: Store, project_id: str, workload: str) -> str | None:
    """The newest untainted dataset version holding training ``sft`` examples of ``workload``."""
    v, e = schema.dataset_versions, schema.dataset_examples
    has_examples = (
        sa.select(sa.literal(1))
        .where(
            e.c.project_id == project_id,
            e.c.dataset_id == v.c.id,
            e.c.kind == "sft",
            e.c.split == "train",
            e.c.workload == workload,
        )
        .exists()
    )
    query = (
        sa.select(v.c.id)
        .where(v.c.project_id == project_id, v.c.tainted_at.is_(None), has_examples)
        .order_by(v.c.created_at.desc(), v.c.id)
        .limit(1)
    )
    with store.read() as conn:
        return conn.execute(query).scalar()


def _select(
    rows: list[dict[str, Any]], labels: Sequence[str] | None, min_quality: float
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """The examples a bank keeps, best first (quality, then id), and what was dropped, by reason."""
    dropped: Counter[str] = Counter()
    kept, seen = [], set()
    label_set = set(labels) if labels is not None else None
    for row in sorted(rows, key=lambda r: (-r["quality"], r["id"])):
        output = row.get("completion")
        if not output:
            dropped["no_output"] += 1
            continue
        if row["quality"] < min_quality:
            dropped["below_min_quality"] += 1
            continue
        key = normalised(input_text(row["prompt"]))
        if key in seen:
            dropped["duplicate_input"] += 1
            continue
        if label_set is not None and output not in label_set:
            dropped["outside_label_set"] += 1
            continue
        seen.add(key)
        kept.append(row)
    return kept, dropped


def bank_id(dataset_version: str, workload: str, embedder_name: str, dimension: int, rules: Any, ids: list[str]) -> str:
    payload = orjson.dumps(
        [dataset_version, workload, embedder_name, dimension, rules, ids], option=orjson.OPT_SORT_KEYS
    )
    return "bk_" + hashlib.sha256(payload).hexdigest()[:16]


def build_bank(
    store: Store,
    project_id: str,
    workload: str,
    *,
    dataset: str | None = None,
    embedder: str | Embedder | None = None,
    min_examples: int = MIN_EXAMPLES,
    min_quality: float = MIN_QUALITY,
    index: str | None = None,
    settings: Settings | None = None,
) -> Bank:
    """Build (or find) the bank of ``workload`` from ``dataset`` (a version id, prefix or name;
    None: the newest untainted version with training examples of the workload). ``embedder``: a
    name or an instance (None: :func:`~flyloop.improve.choose_default`'s choice); ``index``: an
    :mod:`~flyloop.improve.ann` kind (None: faiss's HNSW when installed, else exact). Fewer than
    ``min_examples`` kept raises :class:`~flyloop.errors.NotEnoughData` ("not enough data: N of M")."""
    started = time.perf_counter()
    settings = settings or Settings()
    if not workload:
        raise errors.ValidationError("name the workload the bank is for", field="workload")
    if min_examples < 1:
        raise errors.ValidationError(f"min_examples must be 1 or more, got {min_examples}", field="min_examples")
    spec = get_workload(store, project_id, workload)
    version = datasets.get(store, project_id, dataset).id if dataset else latest_dataset(store, project_id, workload)
    if version is None:
        raise errors.NotEnoughData(
            f"not enough data: 0 of {min_examples} (no dataset version has training examples of {workload!r})",
            field="dataset",
            have=0,
            need=min_examples,
        )
    rows = [r for r in datasets.examples(store, project_id, version, "sft", ["train"]) if r["workload"] == workload]
    labels = list(spec.labels or []) if spec.type == "choice" else None
    kept, dropped = _select(rows, labels, min_quality)
    if len(kept) < min_examples:
        # Say what the selection dropped: a thumbs-only workload's examples all fall under the
        # quality floor, and "0 of 10" alone would send the user looking for missing data.
        why = ", ".join(
            f"{n} below min_quality {min_quality:g}"
            if reason == "below_min_quality"
            else f"{n} {reason.replace('_', ' ')}"
            for reason, n in sorted(dropped.items())
            if n
        )
        raise errors.NotEnoughData(
            f"not enough data: {len(kept)} of {min_examples}" + (f"; dropped {why}" if why else ""),
            field="dataset",
            have=len(kept),
            need=min_examples,
            **({"dropped": {k: v for k, v in sorted(dropped.items()) if v}} if why else {}),
        )

    if embedder is None or isinstance(embedder, str):
        name = embedder or choose_default()[0]
        model: Embedder = bank_embedder(name, settings)
    else:
        model = embedder
    rules = {
        "kind": "sft",
        "splits": ["train"],
        "min_quality": min_quality,
        "dedup": "normalised input",
        "labels": labels,
    }
    ids = [r["id"] for r in kept]
    new_id = bank_id(version, workload, model.name, model.dimension, rules, ids)
    try:
        return get_bank(store, project_id, new_id)
    except errors.NotFound:
        pass

    texts = [input_text(r["prompt"]) for r in kept]
    embedded_before = model.embedded if isinstance(model, CachedEmbedder) else None
    vectors = np.zeros((len(texts), model.dimension), dtype=np.float32)
    for start in range(0, len(texts), EMBED_CHUNK):
        vectors[start : start + EMBED_CHUNK] = model.embed(texts[start : start + EMBED_CHUNK])
    kind, why = (index, "asked for") if index else ann.default_kind()
    built = ann.build_index(vectors, kind)
    target = folder(settings, project_id, new_id)
    _write_files(target, vectors, built)

    manifest = {
        "dataset_version": version,
        "workload": workload,
        "workload_type": spec.type,
        "embedder": {"name": model.name, "dimension": model.dimension},
        "rules": rules,
        "counts": {"candidates": len(rows), "dropped": dict(sorted(dropped.items())), "kept": len(kept)},
        "labels": dict(sorted(Counter(r["completion"] for r in kept).items())) if labels is not None else None,
        "index": {"kind": built.kind, "params": built.params(), "why": why, "file": ann.index_file(built.kind)},
        "embedded": None if embedded_before is None else model.embedded - embedded_before,  # type: ignore[attr-defined]
        "build_seconds": 0.0,
    }
    manifest["build_seconds"] = round(time.perf_counter() - started, 3)
    now = time.time()
    with store.write() as conn:
        fresh = add_new(
            conn,
            schema.banks,
            (
                "project_id",
                "id",
                "workload",
                "dataset_version",
                "embedder",
                "dimension",
                "size",
                "removed",
                "manifest",
                "created_at",
            ),
            [
                (
                    project_id,
                    new_id,
                    workload,
                    version,
                    model.name,
                    model.dimension,
                    len(kept),
                    0,
                    orjson.dumps(manifest).decode(),
                    now,
                )
            ],
        )
        if fresh:  # else a concurrent build of the same bank stored it first
            bulk_insert(
                conn,
                schema.bank_examples,
                _EXAMPLE_COLUMNS,
                [
                    (
                        project_id,
                        new_id,
                        position,
                        r["id"],
                        r["interaction_id"],
                        r["user_id"],
                        orjson.dumps(r["prompt"]).decode(),
                        r["completion"],
                        r["completion"] if labels is not None else None,
                        float(r["quality"]),
                        None,
                    )
                    for position, r in enumerate(kept)
                ],
            )
    return get_bank(store, project_id, new_id)


_EXAMPLE_COLUMNS = (
    "project_id",
    "bank_id",
    "position",
    "example_id",
    "interaction_id",
    "user_id",
    "input",
    "output",
    "label",
    "quality",
    "removed_at",
)


def _write_files(target: Path, vectors: np.ndarray, index: ann.VectorIndex) -> None:
    """The vectors and the index into a temporary folder beside ``target``, then renamed to it,
    so a reader never sees half a bank. A folder already there (an earlier build whose rows were
    never stored, or the same bank built by a concurrent process) is replaced."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        np.save(tmp / "vectors.npy", vectors)
        name = ann.index_file(index.kind)
        if name is not None:
            index.save(tmp / name)
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


# --- erasure -----------------------------------------------------------------------------------------


class _Loaded(Protocol):
    where: Path  # the bank's folder under the home it was loaded from

    def drop(self, positions: list[int]) -> None: ...


# The banks loaded in this process (:func:`flyloop.improve.bank_index.load_bank` fills it), by
# store, then (project, bank id): erasure takes removed examples out of them at once. Weak on the
# store, so a closed test store's banks go with it.
LOADED: weakref.WeakKeyDictionary[Store, dict[tuple[str, str], _Loaded]] = weakref.WeakKeyDictionary()


def on_erase(
    store: Store, project_id: str, stored_user_id: str | None, interaction_ids: Sequence[str]
) -> dict[str, Any]:
    """Erasure hook: the user's examples (by stored user id, or by interaction) leave every bank.
    Their rows keep their position but lose input, output, label, user and interaction id;
    returns ``{"banks": {bank_id: examples removed}}`` for the erasure report."""
    e = schema.bank_examples
    conditions: list[sa.ColumnElement[bool]] = [
        e.c.interaction_id.in_(chunk) for chunk in _chunks(sorted(set(interaction_ids)))
    ]
    if stored_user_id:
        conditions.append(e.c.user_id == stored_user_id)
    if not conditions:
        return {"banks": {}}
    removed = _remove(store, project_id, sa.or_(*conditions), forget_interaction=True)
    return {"banks": removed}


def on_content_removed(store: Store, project_id: str, interaction_ids: list[str], reason: str) -> None:
    """Content hook: consent ('no_content') or retention removed these interactions' words, so the
    banks' copies go too (the rows keep their user and interaction, which were not erased)."""
    e = schema.bank_examples
    conditions = [e.c.interaction_id.in_(chunk) for chunk in _chunks(sorted(set(interaction_ids)))]
    if conditions:
        _remove(store, project_id, sa.or_(*conditions), forget_interaction=False)


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _remove(store: Store, project_id: str, condition: Any, *, forget_interaction: bool) -> dict[str, int]:
    e, b = schema.bank_examples, schema.banks
    now = time.time()
    by_bank: dict[str, list[int]] = {}
    with store.write() as conn:
        for row in conn.execute(
            sa.select(e.c.bank_id, e.c.position).where(
                e.c.project_id == project_id, e.c.removed_at.is_(None), condition
            )
        ):
            by_bank.setdefault(row.bank_id, []).append(row.position)
        emptied: dict[str, Any] = {"removed_at": now, "input": None, "output": None, "label": None}
        if forget_interaction:
            # interaction_id is part of no key and may not be null: the empty string says "erased"
            emptied.update(user_id=None, interaction_id="")
        for bank, positions in by_bank.items():
            for start in range(0, len(positions), _CHUNK):
                conn.execute(
                    sa.update(e)
                    .where(
                        e.c.project_id == project_id,
                        e.c.bank_id == bank,
                        e.c.position.in_(positions[start : start + _CHUNK]),
                    )
                    .values(**emptied)
                )
            conn.execute(
                sa.update(b)
                .where(b.c.project_id == project_id, b.c.id == bank)
                .values(removed=b.c.removed + len(positions))
            )
    # The erasure hooks get no settings: the environment's home, and the home each loaded copy
    # of the bank came from, when it differs (a server started with another home).
    settings = Settings()
    for bank, positions in by_bank.items():
        folders = {folder(settings, project_id, bank)}
        loaded = LOADED.get(store, {}).get((project_id, bank))
        if loaded is not None:
            loaded.drop(positions)
            folders.add(loaded.where)
        for where in sorted(folders):
            _remove_from_files(where, positions)
    return {bank: len(positions) for bank, positions in sorted(by_bank.items())}


def _remove_from_files(where: Path, positions: list[int]) -> None:
    """Zero the removed rows of the vectors file and take them out of the index file, in place:
    the vectors are derived from the user's words, and must not outlive them."""
    vectors = where / "vectors.npy"
    if vectors.is_file():
        rows = np.load(vectors, mmap_mode="r+")
        rows[positions] = 0.0
        rows.flush()
        del rows
    for kind in ann.KINDS:
        name = ann.index_file(kind)
        if name is not None and (where / name).is_file() and importlib.util.find_spec("faiss") is not None:
            index = ann.FaissIndex.load(where / name, {})
            index.remove(positions)
            index.save(where / name)
