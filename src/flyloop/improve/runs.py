"""Loop runs as records, and the cadence that schedules them.

Every run of an improvement loop is a ``loop_runs`` row saying what it read (dataset, bank and
production versions), what it made (candidate policy versions, a bank), what it spent (model
calls, tokens, seconds) and how it ended. A run is written ``running`` before any work, then
``succeeded``, ``failed`` (the error kept on the row, the exception raised again: a flyloop error
gains ``details["run"]``; an unexpected one is raised as it is, since it is a bug to see whole),
``cancelled`` (a cancel request from any process, :func:`cancel_run`, seen by a long body between
its steps through :meth:`RunContext.check_cancelled`; or Ctrl-C: raised as
:class:`~flyloop.errors.Cancelled`, nothing it made kept) or ``skipped`` (a run asked for by a
trigger that no longer holds). Candidates are never promoted here: they wait for the evaluation
gate. A long body reports :meth:`RunContext.progress`, kept on the row (``details["progress"]``)
and passed to the caller's ``on_progress``.

Loops are registered by name (:func:`register_loop`, a :class:`Loop`): the few-shot and prompt
loops are :mod:`flyloop.improve.loops`'; a training loop will be one more registration.

The cadence (:func:`due_runs`, :func:`run_due`, :func:`run_due_all`; run by ``flyloop serve`` and
``flyloop worker`` every ``loops_interval_s``) looks only at workloads that have a production
version, so a project that serves no policies does no background work. A loop is due for a
workload when its interval (``Loop.every_s``, a setting; 0: never scheduled) has passed since its
last run that was not skipped, and its trigger holds. Two processes checking at once could both
start a run; run one worker and start ``serve`` with ``FLYLOOP_LOOPS_INTERVAL_S=0`` beside it.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors, registry
from flyloop.capture import get_workload
from flyloop.settings import Settings
from flyloop.store import Store, schema

from . import embedders

log = logging.getLogger("flyloop.improve.runs")

Status = Literal["running", "succeeded", "failed", "cancelled", "skipped"]
STATUSES: tuple[str, ...] = ("running", "succeeded", "failed", "cancelled", "skipped")
PROGRESS_EVERY_S = 2.0  # how often progress is written to the row
CANCEL_POLL_S = 1.0  # how often a cancel request is looked for
MANUAL = "manual"
MAX_TRIGGER_CHARS = 200  # the loop_runs.trigger column


class LoopRun(BaseModel):
    """One run of an improvement loop, as recorded."""

    model_config = ConfigDict(frozen=True)

    id: str
    loop: str
    workload: str
    status: Status
    trigger: str
    started_at: float
    finished_at: float | None
    duration_s: float | None
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    calls: int
    tokens: int
    error: str | None
    details: dict[str, Any]
    cancel_requested_at: float | None = None

    @property
    def candidates(self) -> list[str]:
        """The policy versions the run made."""
        return list(self.outputs.get("candidates", []))


@dataclass
class RunContext:
    """What a loop body reads (the run's id, store, project, workload, settings, options) and fills
    in as it goes (inputs, outputs, calls, tokens, details): a run that fails half-way is recorded
    with what it had read and spent by then."""

    run_id: str
    store: Store
    project_id: str
    workload: str
    settings: Settings
    options: dict[str, Any]
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    calls: int = 0
    tokens: int = 0
    on_progress: Callable[[dict[str, Any]], None] | None = None
    loop: str = ""
    trigger: str = MANUAL
    _progress_at: float = 0.0
    _cancel_checked_at: float = 0.0

    @property
    def created_by(self) -> str:
        return f"loop:{self.run_id}"

    def progress(self, done: int, total: int, **figures: Any) -> None:
        """Say how far the run is (``done`` of ``total`` steps, and figures such as the loss):
        passed to ``on_progress`` every time, written to the row every few seconds."""
        report = {"done": done, "total": total, **figures}
        self.details["progress"] = report
        if self.on_progress is not None:
            self.on_progress(report)
        now = time.monotonic()
        if self.run_id and (now - self._progress_at >= PROGRESS_EVERY_S or done >= total):
            self._progress_at = now
            t = schema.loop_runs
            with self.store.write() as conn:
                conn.execute(
                    sa.update(t)
                    .where(t.c.project_id == self.project_id, t.c.id == self.run_id)
                    .values(details=self.details, calls=self.calls, tokens=self.tokens)
                )

    def cancel_requested(self) -> bool:
        """Whether someone asked this run to stop (polled from the row at most once a second)."""
        now = time.monotonic()
        if not self.run_id or now - self._cancel_checked_at < CANCEL_POLL_S:
            return False
        self._cancel_checked_at = now
        t = schema.loop_runs
        with self.store.read() as conn:
            asked = conn.execute(
                sa.select(t.c.cancel_requested_at).where(t.c.project_id == self.project_id, t.c.id == self.run_id)
            ).scalar()
        return asked is not None

    def check_cancelled(self) -> None:
        """Raise :class:`~flyloop.errors.Cancelled` when a cancel request came (call between steps)."""
        if self.cancel_requested():
            raise errors.Cancelled(f"loop run {self.run_id} was cancelled on request", run=self.run_id)


@dataclass(frozen=True)
class Trigger:
    """Whether a loop's trigger holds for a workload, why, and the counts it was decided on."""

    due: bool
    reason: str
    counts: dict[str, Any]


@dataclass(frozen=True)
class Loop:
    """A registered loop: its body, its trigger, its interval, the options it takes, the options a
    scheduled run adds, and the planner that says what a run would spend before it spends it."""

    name: str
    run: Callable[[RunContext], None]
    trigger: Callable[[Store, str, str, Settings], Trigger]
    every_s: Callable[[Settings], float]
    # Each option's accepted types and what it is, for the error naming it (bool is never an int here).
    options: Mapping[str, tuple[type | tuple[type, ...], str]]
    plan: Callable[[RunContext], dict[str, Any]]
    cadence_options: Mapping[str, Any] = field(default_factory=dict)
    # Checks of the options that need the store (the workload's type, ...), run before a row is
    # written: a ValidationError naming the option, never a failed run left in the records.
    check: Callable[[RunContext], None] | None = None


Options = dict[str, tuple[type | tuple[type, ...], str]]

# The options several loops take, declared once (type, and what it is for the error naming it).
SHARED_OPTIONS: Options = {
    "dataset": (str, "a dataset version's id or name"),
    "since": ((int, float), "epoch seconds"),
    "until": ((int, float), "epoch seconds"),
    "seed": (int, "a whole number"),
    "force": (bool, "true or false"),
    "reason": (str, "why a tainted dataset version is used anyway"),
    "batch_size": (int, "a whole number"),
    "learning_rate": ((int, float), "a number above 0"),
    "max_length": (int, "a whole number of tokens"),
}


def shared_options(*names: str) -> Options:
    """Those of :data:`SHARED_OPTIONS`, for a loop's ``options``."""
    return {name: SHARED_OPTIONS[name] for name in names}


_LOOPS: dict[str, Loop] = {}


def register_loop(loop: Loop) -> None:
    """Make ``loop`` runnable by name (``run_loop``, ``flyloop loops run``) and schedulable."""
    _LOOPS[loop.name] = loop


def loop_names() -> list[str]:
    return sorted(_LOOPS)


def get_loop(name: str) -> Loop:
    found = _LOOPS.get(name)
    if found is None:
        raise errors.ValidationError(f"unknown loop {name!r}; loops: {', '.join(loop_names())}", field="loop")
    return found


# --- records -----------------------------------------------------------------------------------------


def _new_id(now: float) -> str:
    # Time first, so ids sort as runs started; random bits keep two runs in one microsecond apart.
    return f"lr_{int(now * 1_000_000):014x}{secrets.token_hex(3)}"


def _run(row: Any) -> LoopRun:
    m = row._mapping
    finished = m["finished_at"]
    return LoopRun(
        id=m["id"],
        loop=m["loop"],
        workload=m["workload"],
        status=m["status"],
        trigger=m["trigger"],
        started_at=m["started_at"],
        finished_at=finished,
        duration_s=None if finished is None else round(finished - m["started_at"], 3),
        inputs=m["inputs"] or {},
        outputs=m["outputs"] or {},
        calls=m["calls"],
        tokens=m["tokens"],
        error=m["error"],
        details=m["details"] or {},
        cancel_requested_at=m["cancel_requested_at"],
    )


def get_run(store: Store, project_id: str, run_id: str) -> LoopRun:
    """One run by id (:class:`~flyloop.errors.NotFound` naming ``run`` otherwise)."""
    if not isinstance(run_id, str) or not run_id:
        raise errors.ValidationError("a loop run id is a non-empty string", field="run")
    t = schema.loop_runs
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.id == run_id)).first()
    if row is None:
        raise errors.NotFound(f"no loop run {run_id!r} in project {project_id!r}", field="run")
    return _run(row)


def list_runs(
    store: Store,
    project_id: str,
    *,
    loop: str | None = None,
    workload: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> list[LoopRun]:
    """The project's runs (of one loop, workload, status), newest first, at most ``limit``."""
    if not 1 <= limit <= 1000:
        raise errors.ValidationError(f"limit must be between 1 and 1000, got {limit}", field="limit")
    if status is not None and status not in STATUSES:
        raise errors.ValidationError(f"status must be one of {', '.join(STATUSES)}", field="status")
    t = schema.loop_runs
    query = sa.select(t).where(t.c.project_id == project_id)
    for column, value in (("loop", loop), ("workload", workload), ("status", status)):
        if value is not None:
            query = query.where(t.c[column] == value)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.started_at.desc(), t.c.id.desc()).limit(limit)).all()
    return [_run(r) for r in rows]


def _finish(store: Store, project_id: str, ctx: RunContext, status: str, error: str | None = None) -> None:
    t = schema.loop_runs
    with store.write() as conn:
        conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == ctx.run_id)
            .values(
                status=status,
                finished_at=time.time(),
                inputs=ctx.inputs,
                outputs=ctx.outputs,
                calls=ctx.calls,
                tokens=ctx.tokens,
                error=error,
                details=ctx.details,
            )
        )


# --- running -----------------------------------------------------------------------------------------

# The bounds of the numeric options any loop takes, checked with the types before a run is recorded:
# a bad value is a ValidationError naming the option, never a failed run left in the records.
# (low, high), None for open; epoch seconds must be finite and not before 1970.
_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "k": (0, 50),
    "min_examples": (1, 10_000_000),
    "min_quality": (0, 1),
    "budget": (1, 1_000_000),
    "clusters": (1, 100),
    "validation_size": (1, 100_000),
    "minibatch_size": (1, 1_000),
    "keep": (1, 1_000),
    "min_pairs": (1, 10_000_000),
    "rank": (1, 1024),
    "alpha": (1, 4096),
    "learning_rate": (1e-9, 1.0),
    "steps": (1, 1_000_000),
    "epochs": (0.01, 1000),
    "batch_size": (1, 4096),
    "max_length": (8, 131_072),
    "beta": (1e-6, 100),
    "setfit_pairs": (1, 10_000_000),
    "c": (1e-6, 1e6),
    "n": (1, 64),
    "since": (0, 32_503_680_000),  # year 3000
    "until": (0, 32_503_680_000),
}


def _check_bounds(name: str, value: Any) -> None:
    bounds = _BOUNDS.get(name)
    if bounds is None or isinstance(value, bool) or not isinstance(value, int | float):
        return
    low, high = bounds
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        raise errors.ValidationError(f"{name} must be from {low} to {high}, not {value}", field=name)


def _context(
    store: Store, project_id: str, loop: Loop, workload: str, settings: Settings, options: dict[str, Any]
) -> RunContext:
    unknown = sorted(set(options) - set(loop.options))
    if unknown:
        raise errors.ValidationError(
            f"the {loop.name} loop takes no option {unknown[0]!r}; it takes {', '.join(sorted(loop.options))}",
            field=unknown[0],
        )
    for name, value in options.items():
        kinds, what = loop.options[name]
        wrong_bool = isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,))
        if value is not None and (wrong_bool or not isinstance(value, kinds)):
            raise errors.ValidationError(f"{name} must be {what}, not {type(value).__name__}", field=name)
        _check_bounds(name, value)
    given = options.get("embedder")
    if isinstance(given, str) and given not in embedders.names() and not embedders.is_fine_tuned(given):
        raise errors.ValidationError(
            f"unknown embedder {given!r}: one of {', '.join(embedders.names())}, or an embedder artifact's id (em_…)",
            field="embedder",
        )
    if not isinstance(workload, str) or not workload:
        raise errors.ValidationError("name the workload the loop runs for", field="workload")
    get_workload(store, project_id, workload)  # NotFound for a workload nobody declared or logged
    ctx = RunContext("", store, project_id, workload, settings, dict(options))
    if loop.check is not None:
        loop.check(ctx)
    return ctx


def start_run(
    store: Store,
    project_id: str,
    loop: str,
    workload: str,
    *,
    trigger: str = MANUAL,
    settings: Settings | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    **options: Any,
) -> RunContext:
    """Check the arguments and record the run ``running``; :func:`execute_run` then runs it. Split
    from :func:`run_loop` so that a server can answer with the run's id at once and run the body
    in the background (a fine-tuning run takes minutes). Bad arguments raise before any row."""
    spec = get_loop(loop)
    if not isinstance(trigger, str) or not trigger or len(trigger) > MAX_TRIGGER_CHARS:
        raise errors.ValidationError(f"trigger is 1 to {MAX_TRIGGER_CHARS} characters", field="trigger")
    settings = settings or Settings()
    ctx = _context(store, project_id, spec, workload, settings, options)
    ctx.on_progress = on_progress
    ctx.loop = loop
    ctx.trigger = trigger
    now = time.time()
    ctx.run_id = _new_id(now)
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.loop_runs),
            [
                {
                    "project_id": project_id,
                    "id": ctx.run_id,
                    "loop": loop,
                    "workload": workload,
                    "status": "running",
                    "trigger": trigger,
                    "started_at": now,
                    "inputs": {},
                    "outputs": {},
                    "calls": 0,
                    "tokens": 0,
                    "details": {},
                }
            ],
        )
    return ctx


def execute_run(ctx: RunContext) -> LoopRun:
    """Run a started run's body and record how it ended (module docstring)."""
    spec = get_loop(ctx.loop)
    store, project_id = ctx.store, ctx.project_id
    try:
        if ctx.trigger != MANUAL:
            held = spec.trigger(store, project_id, ctx.workload, ctx.settings)
            ctx.details["trigger"] = {"due": held.due, "reason": held.reason, "counts": held.counts}
            if not held.due:
                _finish(store, project_id, ctx, "skipped")
                return get_run(store, project_id, ctx.run_id)
        spec.run(ctx)
    except (errors.Cancelled, KeyboardInterrupt) as exc:
        # Asked to stop (a cancel request, Ctrl-C): recorded as cancelled, raised as Cancelled.
        reason = str(exc) if isinstance(exc, errors.Cancelled) else "interrupted (KeyboardInterrupt)"
        _finish(store, project_id, ctx, "cancelled", reason)
        if isinstance(exc, errors.Cancelled):
            exc.details.setdefault("run", ctx.run_id)
            raise
        raise errors.Cancelled(f"loop run {ctx.run_id} was interrupted", run=ctx.run_id) from exc
    except BaseException as exc:  # SystemExit too: a row left 'running' would claim a run goes on
        message = str(exc) if isinstance(exc, errors.FlyloopError) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, errors.FlyloopError):
            # The error's class and field, so a caller following the run from elsewhere (a
            # server's background run) raises what a local run raises.
            ctx.details["error"] = {"type": type(exc).__name__, "field": exc.field, "message": exc.message}
        _finish(store, project_id, ctx, "failed", message or type(exc).__name__)
        if isinstance(exc, errors.FlyloopError):
            exc.details.setdefault("run", ctx.run_id)
        raise
    _finish(store, project_id, ctx, "succeeded")
    return get_run(store, project_id, ctx.run_id)


def run_loop(
    store: Store,
    project_id: str,
    loop: str,
    workload: str,
    *,
    trigger: str = MANUAL,
    settings: Settings | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    **options: Any,
) -> LoopRun:
    """Run loop ``loop`` for ``workload`` and record it (module docstring). ``trigger``: why it
    runs; anything but ``"manual"`` checks the loop's trigger first and records a ``skipped`` run
    when it does not hold. ``options`` are the loop's own (``fewshot``: dataset, refresh, embedder,
    k, min_examples; ``prompt``: budget, clusters, since, until, validation_size, minibatch_size,
    keep, seed, embedder, reflection, target; ``finetune``: :data:`flyloop.improve.finetune.OPTIONS`).
    ``on_progress`` gets each progress report of a long run. Bad arguments raise before a row is
    written; an error during the run is recorded on it and raised again (a flyloop error gains
    ``details["run"]``)."""
    ctx = start_run(
        store, project_id, loop, workload, trigger=trigger, settings=settings, on_progress=on_progress, **options
    )
    return execute_run(ctx)


def cancel_run(store: Store, project_id: str, run_id: str) -> LoopRun:
    """Ask a running loop run to stop: its body sees the request between steps (within a second
    or one training step), removes what it was writing and ends ``cancelled``. A run that already
    ended is a :class:`~flyloop.errors.Conflict` naming its status."""
    found = get_run(store, project_id, run_id)
    if found.status != "running":
        raise errors.Conflict(f"loop run {run_id} is {found.status}, not running: nothing to cancel", field="run")
    t = schema.loop_runs
    with store.write() as conn:
        conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == run_id, t.c.cancel_requested_at.is_(None))
            .values(cancel_requested_at=time.time())
        )
    return get_run(store, project_id, run_id)


def plan_loop(
    store: Store, project_id: str, loop: str, workload: str, *, settings: Settings | None = None, **options: Any
) -> dict[str, Any]:
    """What a run of ``loop`` with ``options`` would read and spend, without spending anything and
    without a record: ``{"loop", "workload", "estimate" (model calls), ...}``. The CLI prints it and
    asks before a run that spends model calls."""
    spec = get_loop(loop)
    ctx = _context(store, project_id, spec, workload, settings or Settings(), options)
    return {"loop": loop, "workload": workload, **spec.plan(ctx)}


def last_started(store: Store, project_id: str, loop: str, workload: str, statuses: tuple[str, ...]) -> float | None:
    """When the newest run of ``loop`` for ``workload`` with one of ``statuses`` started."""
    t = schema.loop_runs
    with store.read() as conn:
        return conn.execute(
            sa.select(sa.func.max(t.c.started_at)).where(
                t.c.project_id == project_id, t.c.loop == loop, t.c.workload == workload, t.c.status.in_(statuses)
            )
        ).scalar()


def count_labels(store: Store, project_id: str, workload: str, *conditions: Any) -> int:
    """Labels of ``workload`` that meet ``conditions`` (what the loops' triggers count)."""
    lb = schema.labels
    with store.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).where(lb.c.project_id == project_id, lb.c.workload == workload, *conditions)
            ).scalar()
            or 0
        )


# --- the cadence -------------------------------------------------------------------------------------


def _served_workloads(store: Store, project_id: str) -> list[str]:
    t = schema.policy_stages
    with store.read() as conn:
        return sorted(
            conn.execute(
                sa.select(t.c.workload).where(t.c.project_id == project_id, t.c.stage == registry.PRODUCTION)
            ).scalars()
        )


def due_runs(
    store: Store, project_id: str, settings: Settings | None = None, *, now: float | None = None
) -> list[tuple[str, str, str]]:
    """``(loop, workload, trigger)`` for every loop due now (module docstring): its interval is set
    and has passed since its last run that was not skipped, and its trigger holds."""
    settings = settings or Settings()
    now = time.time() if now is None else now
    due: list[tuple[str, str, str]] = []
    workloads = _served_workloads(store, project_id)
    for name in loop_names():
        loop = _LOOPS[name]
        every = loop.every_s(settings)
        if every <= 0:
            continue
        for workload in workloads:
            last = last_started(store, project_id, name, workload, ("running", "succeeded", "failed"))
            if last is not None and now - last < every:
                continue
            held = loop.trigger(store, project_id, workload, settings)
            if held.due:
                due.append((name, workload, f"cadence: {held.reason}"[:MAX_TRIGGER_CHARS]))
    return due


def run_due(store: Store, project_id: str, settings: Settings | None = None) -> list[LoopRun]:
    """Run every loop :func:`due_runs` names, each recorded; a failed run is logged (its row says
    why) and the others still run."""
    settings = settings or Settings()
    runs: list[LoopRun] = []
    for name, workload, trigger in due_runs(store, project_id, settings):
        try:
            runs.append(
                run_loop(
                    store,
                    project_id,
                    name,
                    workload,
                    trigger=trigger,
                    settings=settings,
                    **_LOOPS[name].cadence_options,
                )
            )
        except Exception as exc:
            log.warning("scheduled %s loop of %s/%s failed: %s", name, project_id, workload, exc)
            runs.extend(list_runs(store, project_id, loop=name, workload=workload, limit=1))
    return runs


def run_due_all(store: Store, settings: Settings | None = None) -> dict[str, list[LoopRun]]:
    """:func:`run_due` for every project that has a production version (serve's and the worker's job)."""
    t = schema.policy_stages
    with store.read() as conn:
        projects = sorted(
            conn.execute(sa.select(t.c.project_id).where(t.c.stage == registry.PRODUCTION).distinct()).scalars()
        )
    return {project: run_due(store, project, settings) for project in projects}
