"""Stages: which version of a workload holds which role, and the history of every move.

Today one stage exists, ``production``: the version :func:`flyloop.rollout` serves to every user of
the workload, set by a person (``flyloop policies promote``). Later stages (candidate, gated,
experiment arms) are rows of the same two tables. The current holder of a stage is one row, the
history is append-only: a move is never edited or removed, so "who put this version in
production, when and why" always has an answer.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.store import Store, schema

from .policies import PolicyVersion, get_version

PRODUCTION = "production"
STAGES: tuple[str, ...] = (PRODUCTION,)


class StageMove(BaseModel):
    """One move of a stage to a version: who made it, when, why, and what held it before."""

    model_config = ConfigDict(frozen=True)

    id: str
    workload: str
    stage: str
    version_id: str
    previous: str | None
    at: float
    by: str
    reason: str
    gate: dict[str, Any] | None = None
    evaluation_id: str | None = None
    experiment_id: str | None = None


def _move_id(now: float) -> str:
    # Time first, so ids sort as the moves happened; random bits keep two moves in one microsecond apart.
    return f"{int(now * 1_000_000):016x}{secrets.token_hex(4)}"


def set_stage(
    store: Store, project_id: str, workload: str, stage: str, version_id: str, *, by: str = "user", reason: str = ""
) -> StageMove:
    """Give ``stage`` of ``workload`` to ``version_id`` (a version of that workload) and record the move."""
    if stage not in STAGES:
        raise errors.ValidationError(f"stage must be one of {', '.join(STAGES)}", field="stage")
    version = get_version(store, project_id, version_id)
    if version.workload != workload:
        raise errors.ValidationError(
            f"version {version_id} belongs to workload {version.workload!r}, not {workload!r}", field="version"
        )
    if not isinstance(by, str) or not by or len(by) > 200:
        raise errors.ValidationError("by is a non-empty string of at most 200 characters", field="by")
    if not isinstance(reason, str) or len(reason) > 10_000:
        raise errors.ValidationError("reason is a string of at most 10,000 characters", field="reason")
    now = time.time()
    t, h = schema.policy_stages, schema.policy_stage_history
    with store.write() as conn:
        previous = conn.execute(
            sa.select(t.c.version_id).where(t.c.project_id == project_id, t.c.workload == workload, t.c.stage == stage)
        ).scalar_one_or_none()
        conn.execute(
            store.insert_or_update(
                t,
                ("project_id", "workload", "stage"),
                lambda ex: {"version_id": ex.version_id, "set_at": ex.set_at, "set_by": ex.set_by},
            ),
            [
                {
                    "project_id": project_id,
                    "workload": workload,
                    "stage": stage,
                    "version_id": version_id,
                    "set_at": now,
                    "set_by": by,
                }
            ],
        )
        move = StageMove(
            id=_move_id(now),
            workload=workload,
            stage=stage,
            version_id=version_id,
            previous=previous,
            at=now,
            by=by,
            reason=reason,
        )
        conn.execute(sa.insert(h), [{"project_id": project_id, **move.model_dump()}])
    return move


def set_production(
    store: Store, project_id: str, workload: str, version_id: str, *, by: str = "user", reason: str = ""
) -> StageMove:
    """Make ``version_id`` the workload's production version (until experiments exist, the one
    version every user of the workload is served)."""
    return set_stage(store, project_id, workload, PRODUCTION, version_id, by=by, reason=reason)


def stage_holder(store: Store, project_id: str, workload: str, stage: str) -> PolicyVersion | None:
    t = schema.policy_stages
    with store.read() as conn:
        version_id = conn.execute(
            sa.select(t.c.version_id).where(t.c.project_id == project_id, t.c.workload == workload, t.c.stage == stage)
        ).scalar_one_or_none()
    return None if version_id is None else get_version(store, project_id, version_id)


def production(store: Store, project_id: str, workload: str) -> PolicyVersion | None:
    """The workload's production version, or None when none was set."""
    return stage_holder(store, project_id, workload, PRODUCTION)


def stage_history(store: Store, project_id: str, workload: str | None = None) -> list[StageMove]:
    """Every stage move (of one workload), oldest first."""
    h = schema.policy_stage_history
    query = sa.select(h).where(h.c.project_id == project_id)
    if workload is not None:
        query = query.where(h.c.workload == workload)
    with store.read() as conn:
        rows = conn.execute(query.order_by(h.c.at, h.c.id)).all()
    out: list[StageMove] = []
    for row in rows:
        m: dict[str, Any] = {str(k): v for k, v in row._mapping.items()}
        m.pop("project_id")
        out.append(StageMove(**m))
    return out
