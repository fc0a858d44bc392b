"""Experiments: a candidate version against production, on a ramp of traffic, users sticky to arms.

::

    exp = start_experiment(store, "acme", "triage", "pv_cand…", ramp=(10, 50, 100))
    exp.split                       # {'control': 90.0, 'candidate': 10.0}
    arm_for(store, "acme", exp, "u_3f…")     # 'candidate', now and after every restart and ramp
    stop_experiment(store, "acme", exp.id, by="ana", reason="wrong candidate")

An experiment has two arms: ``control`` (the workload's production version when it started) and
``candidate``. Its salt is fresh, so its buckets are independent of every other experiment's; a
user's pseudonym is hashed into one of 10,000 buckets (:mod:`flyloop.rollout.assignment`), and the
arm it lands in is written to ``assignments`` the first time the user is served: from then on the
stored row answers, so a ramp (10 → 50 → 100%) never moves an assigned user, in any process.

The allocation at each step is not stored: it is rebuilt from the salt and the ramp, since
:meth:`~flyloop.rollout.assignment.Allocation.ramp` is deterministic (and kept in memory per
experiment and step). The experiment's ``state`` records when each step began (the SRM check
compares the users first assigned under a step with that step's split), the running always-valid
estimates of every guardrail (so intervals only narrow between looks) and the last look's metrics
and sample-ratio check. One running experiment per workload: the store's unique ``active_workload``
refuses a second one even when two processes start them at once.
"""

from __future__ import annotations

import functools
import math
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.improve import check_loadable
from flyloop.registry import get_version, production, require_known
from flyloop.store import schema

from .assignment import Allocation, allocate, assign, bucket_of
from .ramp import Guardrail, Ramp
from .sequential import check_alpha

if TYPE_CHECKING:
    from flyloop.settings import Settings
    from flyloop.store import Store

CONTROL = "control"
CANDIDATE = "candidate"
ARMS = (CONTROL, CANDIDATE)
STATUSES = ("running", "promoted", "rolled_back", "stopped")
RUNNING = "running"
DEFAULT_RAMP = (10.0, 50.0, 100.0)
DEFAULT_MIN_USERS = 1000
MAX_BY_CHARS = 200
MAX_REASON_CHARS = 10_000

# The metrics an experiment can gate on: which way is better and the effect worth finding fast,
# in the metric's own units (rates in fractions, cost in the app's currency, latency in ms).
METRICS: dict[str, tuple[str, float]] = {
    "good_rate": ("higher", 0.03),
    "acceptance": ("higher", 0.03),
    "edit_rate": ("lower", 0.03),
    "requery_rate": ("lower", 0.03),
    "completion": ("higher", 0.03),
    "cost": ("lower", 0.001),
    "latency_ms": ("lower", 100.0),
}


class Experiment(BaseModel):
    """One experiment: its arms' versions, the ramp and the step it is on, its configuration
    (primary metric, guardrails, users a step needs, alpha) and its state (see the module)."""

    model_config = ConfigDict(frozen=True)

    id: str
    workload: str
    status: str
    control: str
    candidate: str
    salt: str
    ramp: list[float]
    step: int
    config: dict[str, Any]
    state: dict[str, Any]
    evaluation_id: str | None = None
    created_by: str
    started_at: float
    ended_at: float | None = None
    decision: dict[str, Any] | None = None

    @property
    def share(self) -> float:
        """The candidate's share of new users now, in percent."""
        return float(self.ramp[self.step])

    @property
    def split(self) -> dict[str, float]:
        return {CONTROL: 100.0 - self.share, CANDIDATE: self.share}

    @property
    def versions(self) -> dict[str, str]:
        """Each arm's version id."""
        return {CONTROL: self.control, CANDIDATE: self.candidate}

    def ramp_config(self) -> Ramp:
        return Ramp(stages=tuple(self.ramp), min_users=int(self.config["min_users"]))

    def guardrails(self) -> list[Guardrail]:
        return [Guardrail(**g) for g in self.config["guardrails"]]

    def primary(self) -> dict[str, Any]:
        return dict(self.config["primary"])

    def allocation(self, step: int | None = None) -> Allocation:
        """The bucket owners at ``step`` (now, by default)."""
        return _allocation(self.salt, tuple(self.ramp), self.step if step is None else step)

    def arm_named(self, workload: str, version: str | None, user_id: str | None, ts: float) -> str | None:
        """The arm whose version an interaction names when it falls inside the experiment (its
        workload, logged from the start to the end, by a known user); None otherwise. It counts in
        that arm only when its user is also assigned to it (:meth:`arm_served`)."""
        if workload != self.workload or user_id is None or not self.started_at <= ts:
            return None
        if self.ended_at is not None and ts > self.ended_at:
            return None
        return {self.control: CONTROL, self.candidate: CANDIDATE}.get(version or "")

    def arm_served(
        self, workload: str, version: str | None, user_id: str | None, ts: float, assigned: str | None
    ) -> str | None:
        """The arm an interaction counts in, under the one rule the experiment's own metrics
        (:mod:`flyloop.rollout.live`) and the monitor's per-arm rollups share: it falls inside the
        experiment, its user is assigned to an arm (``assigned``), and it names that arm's version.
        One naming the other arm's version (a stale cache) or by a user whose assignment erasure
        removed counts in neither."""
        arm = self.arm_named(workload, version, user_id, ts)
        return arm if arm is not None and arm == assigned else None

    def summary(self) -> str:
        """One line: id, workload, arms, status and share."""
        return (
            f"{self.id} {self.workload}: {self.candidate} vs {self.control} ({self.status}, "
            f"candidate at {self.share:g}%, step {self.step + 1} of {len(self.ramp)})"
        )


@functools.lru_cache(maxsize=256)
def _allocation(salt: str, ramp: tuple[float, ...], step: int) -> Allocation:
    # Step 0 is a fresh allocation, each later one ramps the previous: what ramping did, redone.
    allocation = allocate(salt, {CONTROL: 100.0 - ramp[0], CANDIDATE: ramp[0]})
    for share in ramp[1 : step + 1]:
        allocation = allocation.ramp({CONTROL: 100.0 - share, CANDIDATE: share})
    return allocation


# --- checks -------------------------------------------------------------------------------------


def check_by(by: Any) -> str:
    if not isinstance(by, str) or not by.strip() or len(by) > MAX_BY_CHARS:
        raise errors.ValidationError(f"by is a non-empty string of at most {MAX_BY_CHARS} characters", field="by")
    return by


def check_reason(reason: Any) -> str:
    if not isinstance(reason, str) or len(reason) > MAX_REASON_CHARS:
        raise errors.ValidationError(f"reason is a string of at most {MAX_REASON_CHARS} characters", field="reason")
    return reason


def check_ramp(ramp: Any) -> tuple[float, ...]:
    """Steps are the candidate's share in percent, climbing within (0, 100] and ending at 100."""
    if isinstance(ramp, str | bytes) or not isinstance(ramp, Sequence) or not ramp:
        raise errors.ValidationError("ramp is a list of percentages, such as [10, 50, 100]", field="ramp")
    steps: list[float] = []
    for index, share in enumerate(ramp):
        if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share):
            raise errors.ValidationError(f"{share!r} is not a percentage", field=f"ramp[{index}]")
        if not 0 < share <= 100:
            raise errors.ValidationError(f"{share:g}% is outside (0, 100]", field=f"ramp[{index}]")
        if steps and share <= steps[-1]:
            raise errors.ValidationError(
                f"steps must increase: {share:g}% follows {steps[-1]:g}%", field=f"ramp[{index}]"
            )
        if abs(share * 100 - round(share * 100)) > 1e-6:
            raise errors.ValidationError(f"{share}% is finer than one bucket (0.01%)", field=f"ramp[{index}]")
        steps.append(float(share))
    if steps[-1] != 100:
        raise errors.ValidationError(f"the last step is 100% (promotion), not {steps[-1]:g}%", field="ramp")
    if len(steps) < 2:
        raise errors.ValidationError("a ramp needs a step below 100% before promotion, such as [10, 100]", field="ramp")
    return tuple(steps)


def metric_spec(value: Any, field: str, *, bound: bool) -> dict[str, Any]:
    """A primary metric or guardrail as stored: {metric, effect, better[, bound]} (defaults from
    :data:`METRICS`); a name alone takes every default."""
    spec: dict[str, Any] = {"metric": value} if isinstance(value, str) else value
    if isinstance(value, Guardrail):
        spec = {"metric": value.metric, "effect": value.effect, "bound": value.bound, "better": value.better}
    if not isinstance(spec, Mapping):
        raise errors.ValidationError("give a metric name or {metric, effect, better, bound}", field=field)
    allowed = {"metric", "effect", "better"} | ({"bound"} if bound else set())
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise errors.ValidationError(f"unknown keys {unknown}; allowed: {sorted(allowed)}", field=field)
    metric = spec.get("metric")
    if metric not in METRICS:
        raise errors.ValidationError(f"{metric!r} is not one of {sorted(METRICS)}", field=f"{field}.metric")
    better, effect = METRICS[metric]
    out = {"metric": metric, "effect": spec.get("effect", effect), "better": spec.get("better", better)}
    if bound:
        out["bound"] = spec.get("bound", 0.0)
    try:
        Guardrail(**out) if bound else Guardrail(**out, bound=0.0)
    except errors.ValidationError as exc:
        raise errors.ValidationError(exc.message, field=f"{field}.{exc.field}") from None
    except TypeError:
        raise errors.ValidationError("effect and bound are numbers", field=field) from None
    return out


# --- reading -----------------------------------------------------------------------------------


def _experiment(row: Any) -> Experiment:
    m = {str(k): v for k, v in row._mapping.items()}
    m.pop("project_id")
    m.pop("active_workload")
    m["candidate"] = m.pop("treatment")
    return Experiment(**m)


def get_experiment(store: Store, project_id: str, experiment_id: str) -> Experiment:
    """One experiment; NotFound naming ``experiment`` when this project has none of that id."""
    t = schema.experiments
    if not isinstance(experiment_id, str) or not experiment_id:
        raise errors.ValidationError("an experiment id is a non-empty string", field="experiment")
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.id == experiment_id)).first()
    if row is None:
        raise errors.NotFound(f"no experiment {experiment_id!r} in this project", field="experiment")
    return _experiment(row)


def experiments_in(conn: sa.Connection, project_id: str) -> list[Experiment]:
    """Every experiment of a project, read on an open connection (the monitor's rollups read them
    inside their own transaction)."""
    t = schema.experiments
    return [_experiment(r) for r in conn.execute(sa.select(t).where(t.c.project_id == project_id))]


def running_experiment(store: Store, project_id: str, workload: str) -> Experiment | None:
    """The workload's running experiment, if any (what serving consults per request)."""
    t = schema.experiments
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.active_workload == workload)).first()
    return None if row is None else _experiment(row)


def list_experiments(
    store: Store, project_id: str, workload: str | None = None, status: str | None = None, limit: int = 50
) -> list[Experiment]:
    """Experiments, newest first (of one workload, in one status). NotFound naming ``workload``
    when it names none of this project's."""
    if status is not None and status not in STATUSES:
        raise errors.ValidationError(f"{status!r} is not one of {STATUSES}", field="status")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 10_000:
        raise errors.ValidationError("limit is a count from 1 to 10,000", field="limit")
    require_known(store, project_id, workload=workload)
    t = schema.experiments
    query = sa.select(t).where(t.c.project_id == project_id)
    if workload is not None:
        query = query.where(t.c.workload == workload)
    if status is not None:
        query = query.where(t.c.status == status)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.started_at.desc(), t.c.id).limit(limit)).all()
    return [_experiment(r) for r in rows]


# --- starting and ending --------------------------------------------------------------------------


def start_experiment(
    store: Store,
    project_id: str,
    workload: str,
    candidate: str,
    *,
    ramp: Sequence[float] = DEFAULT_RAMP,
    guardrails: Sequence[Any] | None = None,
    primary: Any = None,
    by: str = "user",
    force: bool = False,
    reason: str = "",
    min_users: int = DEFAULT_MIN_USERS,
    alpha: float = 0.05,
    segment: str | None = None,
    settings: Settings | None = None,
) -> Experiment:
    """Start serving ``candidate`` to the first step of the ramp against the production version.

    Refused, with nothing written: a ramp that does not climb within (0, 100] to 100 (ValidationError
    naming ``ramp[i]``); a candidate of another workload, or the production version itself; a
    tainted candidate (Conflict naming ``candidate``); one whose latest evaluation against
    production did not pass its gate, unless ``force`` with a ``reason`` (recorded in the config);
    a workload with no production version; a second running experiment on the workload (Conflict
    naming ``workload``). The candidate moves to stage ``canary``. ``segment``: a key of the
    interactions' ``meta`` whose values split the users into segments, each guardrail checked in
    each (Benjamini-Hochberg across them all).
    """
    from flyloop.registry import set_stage, version_taint

    from . import promotion

    steps = check_ramp(ramp)
    check_by(by)
    check_reason(reason)
    check_alpha(alpha)
    if isinstance(min_users, bool) or not isinstance(min_users, int) or min_users < 1:
        raise errors.ValidationError(f"{min_users!r} is not a count of users", field="min_users")
    if segment is not None and (not isinstance(segment, str) or not 1 <= len(segment) <= MAX_BY_CHARS):
        raise errors.ValidationError(f"segment is a metadata key of 1 to {MAX_BY_CHARS} characters", field="segment")
    if force and not reason.strip():
        raise errors.ValidationError("forcing past the gate needs a reason, which is recorded", field="reason")
    primary_spec = metric_spec(primary if primary is not None else "good_rate", "primary", bound=False)
    if guardrails is None:
        guardrails = [{**primary_spec, "bound": 0.0}]
    if isinstance(guardrails, str | bytes | Mapping) or not isinstance(guardrails, Sequence):
        raise errors.ValidationError("guardrails is a list of metrics", field="guardrails")
    rails = [metric_spec(g, f"guardrails[{i}]", bound=True) for i, g in enumerate(guardrails)]
    version = get_version(store, project_id, candidate)
    if version.workload != workload:
        raise errors.ValidationError(
            f"version {candidate} belongs to workload {version.workload!r}, not {workload!r}", field="candidate"
        )
    control = production(store, project_id, workload)
    if control is None:
        raise errors.Conflict(f"workload {workload!r} has no production version to compare against", field="workload")
    if control.id == candidate:
        raise errors.Conflict(f"{candidate} is the production version already", field="candidate")
    taint = version_taint(store, project_id, candidate)
    if taint:
        raise errors.Conflict(f"{candidate} was trained on erased data ({taint}): it serves no one", field="candidate")
    try:  # a candidate that cannot load would fail every request of its arm
        check_loadable(version.spec(), settings)
    except (errors.BackendError, errors.ValidationError) as exc:
        raise errors.Conflict(f"{candidate} cannot load: {exc.message}", field="candidate") from None
    running = running_experiment(store, project_id, workload)
    if running is not None:
        raise errors.Conflict(
            f"workload {workload!r} already runs experiment {running.id}: stop it first", field="workload"
        )
    evaluation = promotion.require_gate(store, project_id, candidate, force=force, reason=reason)
    now = time.time()
    experiment = Experiment(
        id="ex_" + secrets.token_hex(8),
        workload=workload,
        status=RUNNING,
        control=control.id,
        candidate=candidate,
        salt=secrets.token_hex(16),
        ramp=list(steps),
        step=0,
        config={
            "primary": primary_spec,
            "guardrails": rails,
            "min_users": min_users,
            "alpha": alpha,
            "forced": bool(force),
            "reason": reason,
            "segment": segment,
        },
        state={"steps": [{"step": 0, "share": steps[0], "at": now}]},
        evaluation_id=evaluation.id if evaluation is not None else None,
        created_by=by,
        started_at=now,
    )
    row = experiment.model_dump()
    row["treatment"] = row.pop("candidate")
    try:  # the unique active_workload refuses a second start racing this one
        with store.write() as conn:
            conn.execute(
                sa.insert(schema.experiments), [{"project_id": project_id, "active_workload": workload, **row}]
            )
    except errors.Conflict:
        raise errors.Conflict(
            f"workload {workload!r} started another experiment meanwhile: stop it first", field="workload"
        ) from None
    set_stage(
        store,
        project_id,
        workload,
        "canary",
        candidate,
        by=by,
        reason=f"experiment {experiment.id} started at {steps[0]:g}%",
        evaluation_id=experiment.evaluation_id,
        experiment_id=experiment.id,
    )
    return experiment


def end_experiment(
    store: Store, project_id: str, experiment: Experiment, status: str, decision: Mapping[str, Any] | None
) -> Experiment:
    """Mark a running experiment ended (compare-and-set on ``running``: Conflict when another
    process ended it first). Its assignments stay until erasure or the project's removal."""
    t = schema.experiments
    now = time.time()
    with store.write() as conn:
        done = conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == experiment.id, t.c.status == RUNNING)
            .values(status=status, active_workload=None, ended_at=now, decision=dict(decision or {}))
        ).rowcount
    if not done:
        raise errors.Conflict(f"experiment {experiment.id} has ended already", field="experiment")
    return get_experiment(store, project_id, experiment.id)


def stop_experiment(
    store: Store, project_id: str, experiment_id: str, *, by: str = "user", reason: str = ""
) -> Experiment:
    """End a running experiment without a decision: everyone gets production again, the candidate
    goes back to stage ``candidate``. Conflict when it has ended already."""
    from flyloop.registry import set_stage

    check_by(by)
    check_reason(reason)
    experiment = get_experiment(store, project_id, experiment_id)
    if experiment.status != RUNNING:
        raise errors.Conflict(f"experiment {experiment_id} has ended already ({experiment.status})", field="experiment")
    ended = end_experiment(store, project_id, experiment, "stopped", {"action": "stop", "by": by, "reason": reason})
    set_stage(
        store,
        project_id,
        experiment.workload,
        "candidate",
        experiment.candidate,
        by=by,
        reason=f"experiment {experiment_id} stopped" + (f": {reason}" if reason else ""),
        experiment_id=experiment_id,
    )
    return ended


def update_experiment(store: Store, project_id: str, experiment: Experiment, **values: Any) -> Experiment:
    """Write ``step`` and/or ``state`` of a running experiment (Conflict if it ended meanwhile)."""
    t = schema.experiments
    with store.write() as conn:
        done = conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == experiment.id, t.c.status == RUNNING)
            .values(**values)
        ).rowcount
    if not done:
        raise errors.Conflict(f"experiment {experiment.id} has ended already", field="experiment")
    return get_experiment(store, project_id, experiment.id)


# --- assignment -------------------------------------------------------------------------------------


def arm_for(store: Store, project_id: str, experiment: Experiment, user_key: str) -> str:
    """The arm of a user (by pseudonym): the stored one, else assigned now under the current
    allocation and stored. Two processes assigning one user at once store one row (the first),
    and both answer with it."""
    t = schema.assignments
    where = (t.c.project_id == project_id, t.c.experiment_id == experiment.id, t.c.user_key == user_key)
    with store.read() as conn:
        arm = conn.execute(sa.select(t.c.arm).where(*where)).scalar_one_or_none()
    if arm is not None:
        return str(arm)
    allocation = experiment.allocation()
    arm = assign(user_key, allocation)
    row = {
        "project_id": project_id,
        "experiment_id": experiment.id,
        "user_key": user_key,
        "arm": arm,
        "bucket": bucket_of(user_key, experiment.salt),
        "at": time.time(),
    }
    with store.write() as conn:
        conn.execute(store.insert(t), [row])
        stored = conn.execute(sa.select(t.c.arm).where(*where)).scalar_one()
    return str(stored)


def assignment_counts(store: Store, project_id: str, experiment: Experiment) -> list[dict[str, int]]:
    """Users first assigned under each step, per arm: ``[{control: n, candidate: m}, ...]``."""
    t = schema.assignments
    starts = [float(s["at"]) for s in experiment.state.get("steps", [])] or [experiment.started_at]
    counts = [dict.fromkeys(ARMS, 0) for _ in starts]
    step_of = sa.case(*[(t.c.at >= at, index) for index, at in reversed(list(enumerate(starts)))], else_=0).label(
        "step"
    )
    query = (
        sa.select(step_of, t.c.arm, sa.func.count())
        .where(t.c.project_id == project_id, t.c.experiment_id == experiment.id)
        .group_by(step_of, t.c.arm)
    )
    with store.read() as conn:
        for step, arm, n in conn.execute(query):
            if arm in ARMS:
                counts[int(step)][arm] += int(n)
    return counts


def erase_assignments(store: Store, project_id: str, user_key: str, interaction_ids: list[str]) -> dict[str, Any]:
    """Erasure's step: the user's assignment rows, in every experiment, are deleted."""
    t = schema.assignments
    with store.write() as conn:
        removed = conn.execute(sa.delete(t).where(t.c.project_id == project_id, t.c.user_key == user_key)).rowcount
    return {"assignments": int(removed or 0)}
