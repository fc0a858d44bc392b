"""A tainted candidate stops being served in the operation that tainted it.

When erasure (or content removal) reaches the data a version was trained on, or a person marks a
version tainted, the registry records the taint (:mod:`flyloop.registry.taints`); the running
experiments whose candidate that version is are rolled back in the same call
(:func:`flyloop.rollout.decisions.taint_rollback`, recorded ``applied`` by who tainted it, at every
automation level), so the very next resolution serves production. Checking the taint at resolve
time instead would add four table reads to every per-user resolution of a running experiment;
ending the experiment costs serving nothing.

These wrap the registry's erasure and content hooks (privacy calls them through this stage's face,
:func:`flyloop.privacy.derived.erase_steps`) and its :func:`~flyloop.registry.taint_version`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from flyloop import registry
from flyloop.store import schema

from .decisions import Decision, taint_rollback
from .experiments import RUNNING, get_experiment

if TYPE_CHECKING:
    from flyloop.store import Store


def roll_back_tainted(store: Store, project_id: str, *, by: str) -> list[Decision]:
    """Roll back every running experiment of the project whose candidate is tainted; the
    decisions recorded (one per experiment), oldest experiment first."""
    t = schema.experiments
    with store.read() as conn:
        found = conn.execute(
            sa.select(t.c.id).where(t.c.project_id == project_id, t.c.status == RUNNING).order_by(t.c.started_at)
        ).scalars()
        running = list(found)
    out = []
    for experiment_id in running:
        decision = taint_rollback(store, project_id, get_experiment(store, project_id, experiment_id), by=by)
        if decision is not None:
            out.append(decision)
    return out


def on_version_erase(
    store: Store, project_id: str, stored_user_id: str | None, interaction_ids: Sequence[str]
) -> dict[str, Any]:
    """Erasure step: mark the versions resting on the erased data (:func:`flyloop.registry.on_version_erase`)
    and roll back the experiments whose candidate is one. ``{"versions": [ids newly marked]}``, and
    ``"experiments"`` (the ids rolled back) when any was."""
    found = dict(registry.on_version_erase(store, project_id, stored_user_id, interaction_ids))
    rolled = roll_back_tainted(store, project_id, by="erasure")
    if rolled:
        found["experiments"] = [d.experiment_id for d in rolled]
    return found


def on_version_content_removed(store: Store, project_id: str, interaction_ids: list[str], reason: str) -> None:
    """Content step: mark the versions built on removed content, and roll back the experiments
    whose candidate is one."""
    registry.on_version_content_removed(store, project_id, interaction_ids, reason)
    roll_back_tainted(store, project_id, by="content removal")


def taint_version(store: Store, project_id: str, version_id: str, reason: str, *, by: str = "user") -> str:
    """Mark a version tainted (:func:`flyloop.registry.taint_version`) and roll back a running
    experiment whose candidate it is, recorded as ``by``'s. Returns the reason now recorded."""
    text = registry.taint_version(store, project_id, version_id, reason)
    roll_back_tainted(store, project_id, by=by)
    return text
