"""Improvement loops (empty for now). Will hold the model backends (OpenAI-compatible, local HF,
classifier), embedders, the few-shot bank, the four loops (prompt, few-shot, fine-tuning, reward
model) and retrieval feedback; each run a record, each yielding candidate policy versions."""

__all__: list[str] = []
