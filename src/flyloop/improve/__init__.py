"""Improvement loops. Today: the embedders (hashing, MiniLM int8 ONNX, sentence-transformers)
behind one Protocol, with a cache by content hash. To come: the model backends (OpenAI-compatible,
local HF, classifier), the few-shot bank, the four loops (prompt, few-shot, fine-tuning, reward
model) and retrieval feedback; each run a record, each yielding candidate policy versions."""

from .embedders import (
    HASHING,
    MINILM_INT8,
    SENTENCE_TRANSFORMERS,
    CachedEmbedder,
    Embedder,
    HashingEmbedder,
    MiniLMInt8Embedder,
    SentenceTransformersEmbedder,
    choose_default,
    content_key,
    embedder,
)
from .embedders import names as embedder_names
from .embedders import register as register_embedder

__all__ = [
    "HASHING",
    "MINILM_INT8",
    "SENTENCE_TRANSFORMERS",
    "CachedEmbedder",
    "Embedder",
    "HashingEmbedder",
    "MiniLMInt8Embedder",
    "SentenceTransformersEmbedder",
    "choose_default",
    "content_key",
    "embedder",
    "embedder_names",
    "register_embedder",
]
