"""Stages: where each version of a workload stands, and the history of every move.

A version is a ``candidate`` when a loop or a person registers it, a ``canary`` while an
experiment serves it to part of the traffic, ``production`` while every other user is served it,
and ``archived`` once production moved on or its experiment was rolled back. Production has one
holder per workload (``policy_stages``); the stage of every version is a row of
``version_stages`` (none: a candidate). The history is append-only: a move is never edited or
removed, and each says who or what made it, why, and what it rested on (the gate's verdict, the
evaluation that gave it, the experiment that decided it), so "who put this version in production,
when, why, and on what evidence" always has an answer.

Moving production is a compare-and-set on its holder: two promotions at once cannot both win (the
second gets :class:`~flyloop.errors.Conflict`, nothing changed), and the holder it replaced is
archived in the same transaction, both moves recorded.
"""

from __future__ import annotations

import secrets
import time
from typing import Any, Final

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.store import Store, schema

from .policies import PolicyVersion, get_version, require_known

CANDIDATE = "candidate"
CANARY = "canary"
PRODUCTION = "production"
ARCHIVED = "archived"
STAGES: tuple[str, ...] = (CANDIDATE, CANARY, PRODUCTION, ARCHIVED)


class _AnyHolder:
    """The default of ``expected``: move production whoever holds it (read just before)."""

    def __repr__(self) -> str:
        return "ANY_HOLDER"


ANY_HOLDER: Final = _AnyHolder()


class StageMove(BaseModel):
    """One move of a version to a stage: who made it, when, why, what held the stage before (for
    production) and what it rested on (gate verdict, evaluation, experiment)."""

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


def _check_author(by: Any, reason: Any) -> None:
    if not isinstance(by, str) or not by or len(by) > 200:
        raise errors.ValidationError("by is a non-empty string of at most 200 characters", field="by")
    if not isinstance(reason, str) or len(reason) > 10_000:
        raise errors.ValidationError("reason is a string of at most 10,000 characters", field="reason")


def _holder(conn: sa.Connection, project_id: str, workload: str) -> str | None:
    t = schema.policy_stages
    found: str | None = conn.execute(
        sa.select(t.c.version_id).where(t.c.project_id == project_id, t.c.workload == workload, t.c.stage == PRODUCTION)
    ).scalar_one_or_none()
    return found


def _take_production(
    conn: sa.Connection,
    store: Store,
    project_id: str,
    workload: str,
    version_id: str,
    expected: str | None,
    now: float,
    by: str,
) -> None:
    """The compare-and-set, as the transaction's first statement: a write takes SQLite's write
    lock at once (a read first would leave a snapshot another writer can outdate), and on
    PostgreSQL a concurrent update makes this one re-check its condition and match nothing."""
    t = schema.policy_stages
    if expected is None:
        # No holder yet: two first promotions race on the primary key, and the one that comes
        # second inserts nothing (insert-or-ignore waits for the first to commit on PostgreSQL).
        row = {
            "project_id": project_id,
            "workload": workload,
            "stage": PRODUCTION,
            "version_id": version_id,
            "set_at": now,
            "set_by": by,
        }
        # RETURNING says whether this statement inserted (a driver's rowcount for an ignored
        # insert is not the same everywhere).
        inserted = conn.execute(store.insert(t).values(**row).returning(t.c.version_id)).first()
        if inserted is None:
            _lost(conn, project_id, workload, expected)
        return
    done = conn.execute(
        sa.update(t)
        .where(
            t.c.project_id == project_id,
            t.c.workload == workload,
            t.c.stage == PRODUCTION,
            t.c.version_id == expected,
        )
        .values(version_id=version_id, set_at=now, set_by=by)
    )
    if done.rowcount != 1:
        _lost(conn, project_id, workload, expected)


def _lost(conn: sa.Connection, project_id: str, workload: str, expected: str | None) -> None:
    now_held = _holder(conn, project_id, workload)
    raise errors.Conflict(
        f"production of {workload!r} is now {now_held or 'unset'}, not {expected or 'unset'}: another promotion or "
        "rollback moved it first; nothing was changed",
        field="version",
        holder=now_held,
    )


def _set_version_stage(
    conn: sa.Connection, store: Store, project_id: str, workload: str, version_id: str, stage: str, now: float, by: str
) -> None:
    conn.execute(
        store.insert_or_update(
            schema.version_stages,
            ("project_id", "version_id"),
            lambda ex: {"stage": ex.stage, "set_at": ex.set_at, "set_by": ex.set_by},
        ),
        [
            {
                "project_id": project_id,
                "version_id": version_id,
                "workload": workload,
                "stage": stage,
                "set_at": now,
                "set_by": by,
            }
        ],
    )


def set_stage(
    store: Store,
    project_id: str,
    workload: str,
    stage: str,
    version_id: str,
    *,
    by: str = "user",
    reason: str = "",
    gate: dict[str, Any] | None = None,
    evaluation_id: str | None = None,
    experiment_id: str | None = None,
    expected: str | None | _AnyHolder = ANY_HOLDER,
) -> StageMove:
    """Move ``version_id`` (a version of ``workload``) to ``stage`` and record the move with what
    it rested on. Moving to production replaces the holder, which is archived (both moves
    recorded); ``expected``: the holder the caller saw (None: none), and a different one now is a
    :class:`~flyloop.errors.Conflict` with nothing changed. The production version itself moves
    only by another version taking production (a promotion or a rollback)."""
    if stage not in STAGES:
        raise errors.ValidationError(f"stage must be one of {', '.join(STAGES)}", field="stage")
    version = get_version(store, project_id, version_id)
    if version.workload != workload:
        raise errors.ValidationError(
            f"version {version_id} belongs to workload {version.workload!r}, not {workload!r}", field="version"
        )
    _check_author(by, reason)
    if gate is not None and not isinstance(gate, dict):
        raise errors.ValidationError("gate is a mapping (the verdict's words and numbers)", field="gate")
    now = time.time()
    if stage != PRODUCTION:
        return _move_aside(
            store, project_id, workload, stage, version_id, now, by, reason, gate, evaluation_id, experiment_id
        )
    if isinstance(expected, _AnyHolder):
        with store.read() as conn:
            expected = _holder(conn, project_id, workload)
    move = StageMove(
        id=_move_id(now),
        workload=workload,
        stage=PRODUCTION,
        version_id=version_id,
        previous=expected,
        at=now,
        by=by,
        reason=reason,
        gate=gate,
        evaluation_id=evaluation_id,
        experiment_id=experiment_id,
    )
    h = schema.policy_stage_history
    with store.write() as conn:
        _take_production(conn, store, project_id, workload, version_id, expected, now, by)
        _set_version_stage(conn, store, project_id, workload, version_id, PRODUCTION, now, by)
        conn.execute(sa.insert(h), [{"project_id": project_id, **move.model_dump()}])
        if expected is not None and expected != version_id:
            # Recorded just after the promotion (a microsecond later), so the history reads in order.
            _set_version_stage(conn, store, project_id, workload, expected, ARCHIVED, now, by)
            archived = StageMove(
                id=_move_id(now + 1e-6),
                workload=workload,
                stage=ARCHIVED,
                version_id=expected,
                previous=None,
                at=now + 1e-6,
                by=by,
                reason=f"replaced in production by {version_id}",
                experiment_id=experiment_id,
            )
            conn.execute(sa.insert(h), [{"project_id": project_id, **archived.model_dump()}])
    return move


def _move_aside(
    store: Store,
    project_id: str,
    workload: str,
    stage: str,
    version_id: str,
    now: float,
    by: str,
    reason: str,
    gate: dict[str, Any] | None,
    evaluation_id: str | None,
    experiment_id: str | None,
) -> StageMove:
    move = StageMove(
        id=_move_id(now),
        workload=workload,
        stage=stage,
        version_id=version_id,
        previous=None,
        at=now,
        by=by,
        reason=reason,
        gate=gate,
        evaluation_id=evaluation_id,
        experiment_id=experiment_id,
    )
    t = schema.version_stages
    with store.write() as conn:
        # Claim the version's row first (a write: see _take_production), then check production.
        conn.execute(sa.update(t).where(t.c.project_id == project_id, t.c.version_id == version_id).values(set_at=now))
        if _holder(conn, project_id, workload) == version_id:
            raise errors.Conflict(
                f"{version_id} is the production version of {workload!r}: promote another version or roll back",
                field="stage",
            )
        _set_version_stage(conn, store, project_id, workload, version_id, stage, now, by)
        conn.execute(sa.insert(schema.policy_stage_history), [{"project_id": project_id, **move.model_dump()}])
    return move


def set_production(
    store: Store,
    project_id: str,
    workload: str,
    version_id: str,
    *,
    by: str = "user",
    reason: str = "",
    expected: str | None | _AnyHolder = ANY_HOLDER,
) -> StageMove:
    """Make ``version_id`` the workload's production version directly, with no gate (a person's
    call; :func:`flyloop.rollout.promote` is the gated way). The holder it replaces is archived."""
    return set_stage(store, project_id, workload, PRODUCTION, version_id, by=by, reason=reason, expected=expected)


def stage_holder(store: Store, project_id: str, workload: str, stage: str) -> PolicyVersion | None:
    """The version holding a one-holder stage (production) of ``workload``, or None."""
    t = schema.policy_stages
    with store.read() as conn:
        version_id = conn.execute(
            sa.select(t.c.version_id).where(t.c.project_id == project_id, t.c.workload == workload, t.c.stage == stage)
        ).scalar_one_or_none()
    return None if version_id is None else get_version(store, project_id, version_id)


def production(store: Store, project_id: str, workload: str) -> PolicyVersion | None:
    """The workload's production version, or None when none was set."""
    return stage_holder(store, project_id, workload, PRODUCTION)


def version_stage(store: Store, project_id: str, version_id: str) -> str:
    """The stage ``version_id`` is in now (NotFound for an unknown version)."""
    version = get_version(store, project_id, version_id)
    return stages_of(store, project_id, version.workload).get(version_id, CANDIDATE)


def stages_of(store: Store, project_id: str, workload: str | None = None) -> dict[str, str]:
    """The stage of every version (of one workload) that left ``candidate``, by version id. The
    production holder is production even where it was set before stages were rows."""
    v, p = schema.version_stages, schema.policy_stages
    query = sa.select(v.c.version_id, v.c.stage).where(v.c.project_id == project_id)
    holders = sa.select(p.c.version_id).where(p.c.project_id == project_id, p.c.stage == PRODUCTION)
    if workload is not None:
        query = query.where(v.c.workload == workload)
        holders = holders.where(p.c.workload == workload)
    with store.read() as conn:
        found = {row.version_id: row.stage for row in conn.execute(query)}
        held = set(conn.execute(holders).scalars())
    for version_id, stage in list(found.items()):
        if stage == PRODUCTION and version_id not in held:
            found[version_id] = ARCHIVED  # replaced in production before the archive was a row
    found.update(dict.fromkeys(held, PRODUCTION))
    return found


def stage_history(
    store: Store,
    project_id: str,
    workload: str | None = None,
    *,
    version_id: str | None = None,
    stage: str | None = None,
) -> list[StageMove]:
    """Every stage move (of one workload; of one version: its own moves and those that replaced
    it in production; to one stage), oldest first. NotFound naming ``workload`` or ``version``
    when the filter names none of this project's."""
    if stage is not None and stage not in STAGES:
        raise errors.ValidationError(f"stage must be one of {', '.join(STAGES)}", field="stage")
    require_known(store, project_id, workload=workload, version=version_id)
    h = schema.policy_stage_history
    query = sa.select(h).where(h.c.project_id == project_id)
    if workload is not None:
        query = query.where(h.c.workload == workload)
    if stage is not None:
        query = query.where(h.c.stage == stage)
    if version_id is not None:
        query = query.where(sa.or_(h.c.version_id == version_id, h.c.previous == version_id))
    with store.read() as conn:
        rows = conn.execute(query.order_by(h.c.at, h.c.id)).all()
    out: list[StageMove] = []
    for row in rows:
        m: dict[str, Any] = {str(k): v for k, v in row._mapping.items()}
        m.pop("project_id")
        out.append(StageMove(**m))
    return out
