"""The policy registry (empty for now). Will hold policy versions (backend, model, prompt, bank,
adapter, reranker, parameters), their stages and the history of every stage move, and the lineage
from signals to decisions."""

__all__: list[str] = []
