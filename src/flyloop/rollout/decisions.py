"""Automation: what a look at an experiment decides, and who applies it.

::

    set_automation(store, "acme", "approved", by="ana")
    decision = check_experiment(store, "acme", "ex_…")
    decision.action, decision.status, decision.reason   # 'ramp', 'pending', 'no guardrail broke over 1204 …'
    approve_decision(store, "acme", decision.id, by="ana")   # the candidate now gets 50% of new users

Each look (:func:`check_experiment`: the worker and ``flyloop serve``'s timer look at every running
experiment) reads the arms' live metrics, checks the sample ratio, keeps every guardrail's
always-valid estimate running (intervals only narrow between looks) and asks the ramp
(:func:`flyloop.rollout.ramp.decide`) to **ramp** up, **promote**, **roll back** or **hold**. What
becomes of that depends on the project's automation level:

* ``manual``: nothing is recorded but the metrics in the experiment's state; people act with
  ``flyloop experiments stop`` and ``flyloop versions promote``;
* ``semi``: the decision is recorded ``flagged`` for a person to look at (and approve, or dismiss);
* ``approved``: recorded ``pending``; :func:`approve_decision` (``flyloop decisions approve``) applies it;
* ``full``: applied at once and recorded ``applied``.

Applying a ramp moves the experiment to its next step (new users only: assigned users keep their
arm); a promotion makes the candidate the production version through
:func:`flyloop.rollout.promotion.promote` (its history names the experiment and carries the verdict
as the gate) and ends the experiment; a rollback ends it and archives the candidate, production
unchanged. Either way every user is served the one production version from the next resolution,
so the served policy follows within the policy cache's TTL. A sample-ratio mismatch holds any
ramp or promotion (something other than the hash chose who saw what) but never a rollback.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.registry import require_known, version_taint
from flyloop.store import schema

from .experiments import (
    CANDIDATE,
    CONTROL,
    RUNNING,
    Experiment,
    assignment_counts,
    check_by,
    end_experiment,
    get_experiment,
    update_experiment,
)
from .live import ALL, collect, estimate_dict, estimate_of, srm_by_step
from .ramp import Guardrail, Verdict, decide
from .sequential import choose_tau, compare, running

if TYPE_CHECKING:
    from flyloop.settings import Settings
    from flyloop.store import Store

log = logging.getLogger("flyloop.rollout.decisions")

LEVELS = ("manual", "semi", "approved", "full")
DEFAULT_LEVEL = "manual"  # as the evaluation writes the row when it sets a gate first
ACTIONS = {"advance": "ramp", "promote": "promote", "rollback": "rollback", "hold": "hold"}
OPEN = ("flagged", "pending")
DECISION_STATUSES = ("applied", "flagged", "pending", "approved", "dismissed", "superseded")
AUTOMATION = "automation"  # who applies a decision at level full


class Decision(BaseModel):
    """What one look decided for an experiment and what became of it. ``id`` is None for a look
    that recorded nothing (a hold, or any look at level manual: ``status`` says which)."""

    model_config = ConfigDict(frozen=True)

    id: str | None
    workload: str
    experiment_id: str | None
    action: str
    version_id: str | None
    status: str
    reason: str
    details: dict[str, Any]
    created_at: float
    decided_at: float | None = None
    decided_by: str | None = None


# --- the project's level ------------------------------------------------------------------------


def automation(store: Store, project_id: str) -> str:
    """The project's automation level (``manual`` until someone sets one)."""
    t = schema.rollout_config
    with store.read() as conn:
        level = conn.execute(sa.select(t.c.automation).where(t.c.project_id == project_id)).scalar_one_or_none()
    return str(level) if level in LEVELS else DEFAULT_LEVEL


def set_automation(store: Store, project_id: str, level: str, by: str = "user") -> str:
    """Set the project's automation level: one of manual, semi, approved, full."""
    if level not in LEVELS:
        raise errors.ValidationError(f"{level!r} is not one of {', '.join(LEVELS)}", field="level")
    check_by(by)
    t = schema.rollout_config
    row = {"project_id": project_id, "automation": level, "gate": {}, "updated_at": time.time(), "updated_by": by}
    with store.write() as conn:  # the gate column is the evaluation's: an update leaves it alone
        conn.execute(
            store.insert_or_update(
                t,
                ("project_id",),
                lambda ex: {"automation": ex.automation, "updated_at": ex.updated_at, "updated_by": ex.updated_by},
            ),
            [row],
        )
    return level


# --- decisions ------------------------------------------------------------------------------------


def _decision(row: Any) -> Decision:
    m = {str(k): v for k, v in row._mapping.items()}
    m.pop("project_id")
    return Decision(**m)


def get_decision(store: Store, project_id: str, decision_id: str) -> Decision:
    t = schema.decisions
    if not isinstance(decision_id, str) or not decision_id:
        raise errors.ValidationError("a decision id is a non-empty string", field="decision")
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.id == decision_id)).first()
    if row is None:
        raise errors.NotFound(f"no decision {decision_id!r} in this project", field="decision")
    return _decision(row)


def list_decisions(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    experiment_id: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> list[Decision]:
    """Recorded decisions, newest first (of one workload, experiment, status). NotFound naming
    ``workload`` or ``experiment`` when the filter names none of this project's."""
    if status is not None and status not in DECISION_STATUSES:
        raise errors.ValidationError(f"{status!r} is not one of {DECISION_STATUSES}", field="status")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 10_000:
        raise errors.ValidationError("limit is a count from 1 to 10,000", field="limit")
    require_known(store, project_id, workload=workload)
    if experiment_id is not None:
        get_experiment(store, project_id, experiment_id)
    t = schema.decisions
    query = sa.select(t).where(t.c.project_id == project_id)
    if workload is not None:
        query = query.where(t.c.workload == workload)
    if experiment_id is not None:
        query = query.where(t.c.experiment_id == experiment_id)
    if status is not None:
        query = query.where(t.c.status == status)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit)).all()
    return [_decision(r) for r in rows]


def _claim(store: Store, project_id: str, decision: Decision, status: str, by: str) -> None:
    """Compare-and-set an open decision to ``status``: Conflict when it is no longer open."""
    t = schema.decisions
    with store.write() as conn:
        done = conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == decision.id, t.c.status.in_(OPEN))
            .values(status=status, decided_at=time.time(), decided_by=by)
        ).rowcount
    if not done:
        current = get_decision(store, project_id, str(decision.id))
        raise errors.Conflict(f"decision {decision.id} is {current.status} already", field="decision")


def approve_decision(store: Store, project_id: str, decision_id: str, *, by: str = "user") -> Decision:
    """Apply a flagged or pending decision (a person confirms it). Conflict, with nothing changed,
    for one approved, dismissed or applied before, one whose experiment has ended, or one made at
    an earlier step than the experiment is on now."""
    check_by(by)
    decision = get_decision(store, project_id, decision_id)
    if decision.status not in OPEN:
        raise errors.Conflict(f"decision {decision_id} is {decision.status} already", field="decision")
    if decision.experiment_id is None:
        raise errors.Conflict(f"decision {decision_id} names no experiment", field="decision")
    experiment = get_experiment(store, project_id, decision.experiment_id)
    if experiment.status != RUNNING:
        raise errors.Conflict(
            f"experiment {experiment.id} has ended ({experiment.status}): decision {decision_id} no longer applies",
            field="decision",
        )
    if decision.details.get("from_step") != experiment.step:
        raise errors.Conflict(
            f"decision {decision_id} was made at step {decision.details.get('from_step')}, the experiment is at "
            f"step {experiment.step} now: check it again",
            field="decision",
        )
    _claim(store, project_id, decision, "approved", by)
    try:
        _apply(store, project_id, experiment, decision, by=by)
    except Exception:
        t = schema.decisions  # the decision stays open: nothing was applied
        with store.write() as conn:
            conn.execute(
                sa.update(t)
                .where(t.c.project_id == project_id, t.c.id == decision_id)
                .values(status=decision.status, decided_at=None, decided_by=None)
            )
        raise
    return get_decision(store, project_id, decision_id)


def dismiss_decision(store: Store, project_id: str, decision_id: str, *, by: str = "user") -> Decision:
    """Close a flagged or pending decision without applying it (Conflict if it is closed)."""
    check_by(by)
    decision = get_decision(store, project_id, decision_id)
    if decision.status not in OPEN:
        raise errors.Conflict(f"decision {decision_id} is {decision.status} already", field="decision")
    _claim(store, project_id, decision, "dismissed", by)
    return get_decision(store, project_id, decision_id)


# --- applying --------------------------------------------------------------------------------------


def _apply(store: Store, project_id: str, experiment: Experiment, decision: Decision, *, by: str) -> None:
    from flyloop.registry import set_stage

    from . import promotion

    details = decision.details
    if decision.action == "ramp":
        step = int(details["to_step"])
        steps = [*experiment.state.get("steps", []), {"step": step, "share": experiment.ramp[step], "at": time.time()}]
        update_experiment(store, project_id, experiment, step=step, state={**experiment.state, "steps": steps})
    elif decision.action == "promote":
        forced = bool(experiment.config.get("forced"))
        reason = f"experiment {experiment.id}: {decision.reason}"
        if forced:
            reason += f" (started past its gate: {experiment.config.get('reason', '')})"
        promotion.promote(
            store,
            project_id,
            experiment.workload,
            experiment.candidate,
            by=by,
            reason=reason,
            force=forced,
            gate=details.get("verdict"),
            evaluation_id=experiment.evaluation_id,
            experiment_id=experiment.id,
        )
        end_experiment(store, project_id, experiment, "promoted", {"decision": decision.id, "by": by})
    elif decision.action == "rollback":
        end_experiment(store, project_id, experiment, "rolled_back", {"decision": decision.id, "by": by})
        set_stage(
            store,
            project_id,
            experiment.workload,
            "archived",
            experiment.candidate,
            by=by,
            reason=f"experiment {experiment.id} rolled back: {decision.reason}",
            gate=details.get("verdict"),
            experiment_id=experiment.id,
        )
    else:
        raise errors.ValidationError(f"nothing to apply for a {decision.action!r} decision", field="action")


# --- looking ---------------------------------------------------------------------------------------


def _look(store: Store, project_id: str, experiment: Experiment, now: float | None) -> tuple[Verdict, dict[str, Any]]:
    """One look: the verdict and the experiment's new state (running estimates, SRM, metrics)."""
    config = experiment.config
    alpha = float(config.get("alpha", 0.05))
    collected = collect(store, project_id, experiment, now=now)
    previous = experiment.state.get("running", {})
    kept: dict[str, Any] = {}
    checks = []
    for spec in config["guardrails"]:
        for where, metrics in collected.stats.items():
            rail = Guardrail(**spec, segment=None if where == ALL else where)
            arms = metrics[rail.metric]
            before = previous.get(f"guardrail:{rail.label}")
            found = rail.check(arms[CONTROL], arms[CANDIDATE], alpha=alpha,
                               previous=estimate_of(before) if before else None)  # fmt: skip
            kept[f"guardrail:{rail.label}"] = estimate_dict(found)
            checks.append((rail, found))
    primary = config["primary"]
    arms = collected.stats[ALL][primary["metric"]]
    before = previous.get(f"primary:{primary['metric']}")
    estimate = running(
        estimate_of(before) if before else None,
        compare(arms[CONTROL], arms[CANDIDATE], tau=choose_tau(primary["effect"], alpha), alpha=alpha),
    )
    kept[f"primary:{primary['metric']}"] = estimate_dict(estimate)
    step = experiment.step
    stage_users = assignment_counts(store, project_id, experiment)[step][CANDIDATE]
    verdict = decide(
        estimate,
        checks,
        ramp=experiment.ramp_config(),
        stage=step,
        stage_users=stage_users,
        primary_better=primary["better"],
        alpha=alpha,
    )
    srm = srm_by_step(store, project_id, experiment)
    if srm["mismatch"] and verdict.action in ("advance", "promote"):
        verdict = Verdict("hold", step, experiment.share, (f"sample ratio mismatch, holding: {srm['reason']}",),
                          (), verdict.adjusted_p_values)  # fmt: skip
    state = {
        **experiment.state,
        "running": kept,
        "srm": srm,
        "users": collected.users,
        "interactions": collected.interactions,
        "means": {
            metric: {arm: s.mean for arm, s in by_arm.items()} for metric, by_arm in collected.stats[ALL].items()
        },
        "last_check": {
            "at": time.time() if now is None else now,
            "action": ACTIONS[verdict.action],
            "reasons": list(verdict.reasons),
        },  # fmt: skip
    }
    return verdict, state


def taint_rollback(store: Store, project_id: str, experiment: Experiment, *, by: str) -> Decision | None:
    """Roll back ``experiment`` at once if its candidate is tainted (trained on erased data, or
    marked by a person), whatever the project's automation level: a tainted version serves no
    one, and waiting for a person's approval would keep serving it. Recorded ``applied`` by
    ``by``; open decisions of the experiment are superseded. None when the candidate is clean or
    the experiment ended meanwhile."""
    taint = version_taint(store, project_id, experiment.candidate)
    if not taint or experiment.status != RUNNING:
        return None
    reason = f"the candidate was trained on erased data ({taint}): rolling back"
    verdict = Verdict("rollback", None, 0.0, (reason,), ("taint",))
    moment = time.time()
    details = {
        "level": automation(store, project_id),
        "from_step": experiment.step,
        "to_step": None,
        "share": 0.0,
        "verdict": {**asdict(verdict), "passed": False, "summary": reason},
        "taint": taint,
    }
    decision = Decision(
        id="dc_" + secrets.token_hex(8), workload=experiment.workload, experiment_id=experiment.id,
        action="rollback", version_id=experiment.candidate, status="applied", reason=reason,
        details=orjson.loads(orjson.dumps(details)), created_at=moment, decided_at=moment, decided_by=by,
    )  # fmt: skip
    try:
        _apply(store, project_id, experiment, decision, by=by)
    except errors.Conflict:  # another process ended it first
        return None
    t = schema.decisions
    with store.write() as conn:
        conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.experiment_id == experiment.id, t.c.status.in_(OPEN))
            .values(status="superseded", decided_at=moment, decided_by=by)
        )
        conn.execute(sa.insert(t), [{"project_id": project_id, **decision.model_dump()}])
    log.warning("experiment %s of project %s rolled back: %s", experiment.id, project_id, reason)
    return decision


def check_experiment(
    store: Store, project_id: str, experiment_id: str, *, settings: Settings | None = None, now: float | None = None
) -> Decision:
    """Look at a running experiment and act at the project's automation level (see the module).

    Returns the decision: recorded (``flagged``, ``pending`` or ``applied``), or with ``id`` None
    for a hold or at level manual. An open decision of the same move is returned again rather than
    recorded twice; an open one of another move is ``superseded``. Conflict for an ended experiment.
    """
    experiment = get_experiment(store, project_id, experiment_id)
    if experiment.status != RUNNING:
        raise errors.Conflict(f"experiment {experiment_id} has ended ({experiment.status})", field="experiment")
    # A candidate tainted by a way that does not end its experiment itself (an artifact a person
    # condemned): rolled back at this look, at every level.
    rolled_back = taint_rollback(store, project_id, experiment, by=AUTOMATION)
    if rolled_back is not None:
        return rolled_back
    level = automation(store, project_id)
    verdict, state = _look(store, project_id, experiment, now)
    experiment = update_experiment(store, project_id, experiment, state=state)
    action = ACTIONS[verdict.action]
    moment = time.time()
    details = {
        "level": level,
        "from_step": experiment.step,
        "to_step": verdict.stage,
        "share": verdict.share,
        "verdict": {**asdict(verdict), "passed": verdict.action != "rollback", "summary": "; ".join(verdict.reasons)},
        "primary": state["running"][f"primary:{experiment.config['primary']['metric']}"],
        "srm": {k: state["srm"][k] for k in ("mismatch", "p_value", "reason")},
        "users": state["users"],
    }
    details = orjson.loads(orjson.dumps(details))  # as the store gives it back: lists, not tuples
    unrecorded = Decision(
        id=None,
        workload=experiment.workload,
        experiment_id=experiment.id,
        action=action,
        version_id=experiment.candidate,
        status="hold" if action == "hold" else "manual",
        reason="; ".join(verdict.reasons),
        details=details,
        created_at=moment,
    )
    if action == "hold" or level == "manual":
        return unrecorded
    t = schema.decisions
    for open_one in list_decisions(store, project_id, experiment_id=experiment.id, limit=10_000):
        if open_one.status not in OPEN:
            continue
        if open_one.action == action and open_one.details.get("from_step") == experiment.step:
            return open_one  # flagged or pending already: not recorded twice
        with store.write() as conn:
            conn.execute(
                sa.update(t)
                .where(t.c.project_id == project_id, t.c.id == open_one.id, t.c.status.in_(OPEN))
                .values(status="superseded", decided_at=moment, decided_by=AUTOMATION)
            )
    status = {"semi": "flagged", "approved": "pending", "full": "applied"}[level]
    decision = unrecorded.model_copy(update={"id": "dc_" + secrets.token_hex(8), "status": status})
    if status == "applied":
        _apply(store, project_id, experiment, decision, by=AUTOMATION)
        decision = decision.model_copy(update={"decided_at": time.time(), "decided_by": AUTOMATION})
    with store.write() as conn:
        conn.execute(sa.insert(t), [{"project_id": project_id, **decision.model_dump()}])
    return decision


def check_running(store: Store, settings: Settings | None = None, project_id: str | None = None) -> list[Decision]:
    """Look at every running experiment (of one project, or all): the worker's and ``serve``'s job.
    One experiment's failure is logged and does not stop the others."""
    t = schema.experiments
    query = sa.select(t.c.project_id, t.c.id).where(t.c.status == RUNNING)
    if project_id is not None:
        query = query.where(t.c.project_id == project_id)
    with store.read() as conn:
        found = conn.execute(query.order_by(t.c.started_at)).all()
    out = []
    for project, experiment_id in found:
        try:
            out.append(check_experiment(store, project, experiment_id, settings=settings))
        except errors.Conflict:
            continue  # it ended between the listing and the look
        except Exception:
            log.exception("checking experiment %s of project %s failed", experiment_id, project)
    return out


def experiment_summary(experiment: Experiment) -> Mapping[str, Any]:
    """An experiment as the surfaces show it (JSON), with its share and split."""
    return {**experiment.model_dump(mode="json"), "share": experiment.share, "split": experiment.split}
