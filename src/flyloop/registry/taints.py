"""Taint: versions that rest on data that was later erased, or on a model part a person condemned.

A model cannot unlearn. A policy version's few-shot bank was built from a dataset version; its
adapter, head (a ``model`` that is an artifact), reranker, and its bank's fine-tuned embedder were
trained on one. When erasure (or content removal) taints that dataset version, or a person taints
the artifact, every version resting on it is tainted too: never promoted, never put in a new
experiment, listed by ``flyloop versions list --tainted``.

The mark is derived from the data each time it is read (so a taint set anywhere below is seen at
once), and the erasure hook (:func:`on_erase`, one of :func:`flyloop.privacy.derived.erase_steps`)
also writes it down in ``version_taints`` with the time it was found, as does a person with
:func:`taint_version`. Registry sits below the loops, so this module reads the banks', artifacts'
and dataset versions' rows directly rather than through their stages' functions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.store import Store, schema

from .policies import PolicyVersion, get_version, list_versions

# The spec fields that may name an artifact, as the reason names them.
_ARTIFACT_FIELDS = (("model", "model"), ("adapter", "adapter"), ("reranker", "reranker"))


def _stored(store: Store, project_id: str) -> dict[str, str]:
    t = schema.version_taints
    with store.read() as conn:
        rows = conn.execute(sa.select(t.c.version_id, t.c.reason).where(t.c.project_id == project_id)).all()
    return {row.version_id: row.reason for row in rows}


class _Sources:
    """The taint state of everything versions are built from, read once for a batch of versions."""

    def __init__(self, store: Store, project_id: str) -> None:
        b, a, d = schema.banks, schema.artifacts, schema.dataset_versions
        with store.read() as conn:
            self.datasets: dict[str, str] = {
                row.id: row.taint_reason or "tainted"
                for row in conn.execute(
                    sa.select(d.c.id, d.c.taint_reason).where(d.c.project_id == project_id, d.c.tainted_at.is_not(None))
                )
            }
            self.banks: dict[str, tuple[str, str]] = {
                row.id: (row.dataset_version, row.embedder)
                for row in conn.execute(
                    sa.select(b.c.id, b.c.dataset_version, b.c.embedder).where(b.c.project_id == project_id)
                )
            }
            self.artifacts: dict[str, tuple[str | None, str | None]] = {
                row.id: (row.taint_reason if row.tainted_at is not None else None, row.dataset_version)
                for row in conn.execute(
                    sa.select(a.c.id, a.c.tainted_at, a.c.taint_reason, a.c.dataset_version).where(
                        a.c.project_id == project_id
                    )
                )
            }

    def _artifact(self, artifact_id: str | None, what: str) -> list[str]:
        if artifact_id is None or artifact_id not in self.artifacts:
            return []
        own, dataset = self.artifacts[artifact_id]
        reasons = [f"its {what} {artifact_id} is tainted: {own}"] if own else []
        if dataset in self.datasets:
            reasons.append(
                f"its {what} {artifact_id} was trained on dataset version {dataset}, tainted: {self.datasets[dataset]}"
            )
        return reasons

    def reason(self, version: PolicyVersion) -> str | None:
        """Why ``version`` is tainted, in words, or None."""
        reasons: list[str] = []
        if version.bank is not None and version.bank in self.banks:
            dataset, embedder = self.banks[version.bank]
            if dataset in self.datasets:
                why = self.datasets[dataset]
                reasons.append(f"its bank {version.bank} was built from dataset version {dataset}, tainted: {why}")
            reasons += self._artifact(embedder, "bank's embedder")
        for field, what in _ARTIFACT_FIELDS:
            reasons += self._artifact(getattr(version, field), what)
        return "; ".join(reasons) or None


def version_taint(store: Store, project_id: str, version_id: str) -> str | None:
    """Why the version is tainted (the recorded reason, else the one its data gives), or None."""
    version = get_version(store, project_id, version_id)
    recorded = _stored(store, project_id).get(version_id)
    return recorded or _Sources(store, project_id).reason(version)


def tainted_versions(store: Store, project_id: str, workload: str | None = None) -> dict[str, str]:
    """Every tainted version (of one workload) with its reason, by id."""
    recorded = _stored(store, project_id)
    sources = _Sources(store, project_id)
    found: dict[str, str] = {}
    for version in list_versions(store, project_id, workload):
        reason = recorded.get(version.id) or sources.reason(version)
        if reason:
            found[version.id] = reason
    return found


def taint_version(store: Store, project_id: str, version_id: str, reason: str) -> str:
    """Mark a version tainted, keeping why (a person's call, or what erasure found). Marking it
    again adds a new reason and keeps the old. Returns the reason now recorded."""
    if not isinstance(reason, str) or not reason.strip():
        raise errors.ValidationError("say why the version is tainted", field="reason")
    if len(reason) > 10_000:
        raise errors.ValidationError("reason is at most 10,000 characters", field="reason")
    get_version(store, project_id, version_id)
    text = reason.strip()
    t = schema.version_taints
    with store.write() as conn:
        old = conn.execute(
            sa.select(t.c.reason).where(t.c.project_id == project_id, t.c.version_id == version_id)
        ).scalar_one_or_none()
        if old is None:
            conn.execute(
                sa.insert(t), [{"project_id": project_id, "version_id": version_id, "reason": text, "at": time.time()}]
            )
            return text
        if text in old:
            return str(old)  # idempotent: an erasure retried does not stack the same reason
        combined = f"{old}; {text}"
        conn.execute(
            sa.update(t).where(t.c.project_id == project_id, t.c.version_id == version_id).values(reason=combined)
        )
    return combined


def mark_tainted(store: Store, project_id: str) -> list[str]:
    """Write down the taint of every version whose data is tainted and that carries no mark yet;
    the ids newly marked, sorted."""
    recorded = _stored(store, project_id)
    sources = _Sources(store, project_id)
    marked = []
    for version in list_versions(store, project_id):
        if version.id in recorded:
            continue
        reason = sources.reason(version)
        if reason:
            taint_version(store, project_id, version.id, reason)
            marked.append(version.id)
    return sorted(marked)


def on_erase(
    store: Store, project_id: str, stored_user_id: str | None, interaction_ids: Sequence[str]
) -> dict[str, Any]:
    """Erasure hook (after the dataset versions' and artifacts' own): the versions resting on data
    the erasure tainted are marked. Returns ``{"versions": [ids newly marked]}``."""
    return {"versions": mark_tainted(store, project_id)}


def on_content_removed(store: Store, project_id: str, interaction_ids: list[str], reason: str) -> None:
    """Content hook: content removal taints the dataset versions that held it, and so the
    versions built on them."""
    mark_tainted(store, project_id)
