"""HTTP routes for experiments, their decisions and the project's automation level.

- ``POST /v1/experiments`` ``{"workload", "candidate", "ramp"?, "primary"?, "guardrails"?,
  "min_users"?, "alpha"?, "segment"?, "force"?, "reason"?}`` (admin): start one (the candidate
  against production on the ramp's first step); ``GET /v1/experiments?workload=&status=&limit=``
  and ``GET /v1/experiments/{id}`` (read); ``GET /v1/experiments/{id}/metrics`` (read): the arms'
  live metrics, always-valid comparisons and the sample-ratio check;
  ``POST /v1/experiments/{id}/stop`` ``{"reason"?}`` and ``POST /v1/experiments/{id}/check``
  (admin): end it, or look at it now and act at the project's automation level.
- ``GET /v1/decisions?workload=&experiment=&status=&limit=`` (read);
  ``POST /v1/decisions/{id}/approve`` and ``/dismiss`` (admin).
- ``GET /v1/automation`` (read) and ``PUT /v1/automation`` ``{"level"}`` (admin, audited).

Every action by a key records ``key:<id>`` as who did it. Bad input is a 4xx naming the field.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from flyloop import errors
from flyloop.privacy import audit_record
from flyloop.rollout import (
    Decision,
    Experiment,
    approve_decision,
    automation,
    check_experiment,
    dismiss_decision,
    experiment_metrics,
    get_experiment,
    list_decisions,
    list_experiments,
    set_automation,
    start_experiment,
    stop_experiment,
)
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

START_FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "workload": (str, "a workload's name"),
    "candidate": (str, "a policy version id"),
    "ramp": (list, "a list of percentages"),
    "primary": ((str, dict), "a metric's name or {metric, effect, better}"),
    "guardrails": (list, "a list of metrics"),
    "min_users": (int, "a whole number"),
    "alpha": ((int, float), "a number"),
    "segment": (str, "a metadata key"),
    "force": (bool, "true or false"),
    "reason": (str, "text"),
}


def experiment_json(experiment: Experiment) -> dict[str, Any]:
    """An experiment as the API answers it: its fields, the candidate's share and the split."""
    return {**experiment.model_dump(mode="json"), "share": experiment.share, "split": experiment.split}


def decision_json(decision: Decision) -> dict[str, Any]:
    return dict(decision.model_dump(mode="json"))


def start_options(body: dict[str, Any]) -> dict[str, Any]:
    """The body of ``POST /v1/experiments`` checked: every field known and of its type."""
    unknown = sorted(set(body) - set(START_FIELDS))
    if unknown:
        raise errors.ValidationError(
            f"unknown field {unknown[0]!r}; known: {', '.join(sorted(START_FIELDS))}", field=unknown[0]
        )
    out: dict[str, Any] = {}
    for name, value in body.items():
        kinds, what = START_FIELDS[name]
        if value is None:
            continue
        if kinds is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if (isinstance(value, bool) and kinds is not bool) or not isinstance(value, kinds):
            raise errors.ValidationError(f"{name} must be {what}, not {type(value).__name__}", field=name)
        out[name] = value
    for name in ("workload", "candidate"):
        if name not in out:
            raise errors.ValidationError(f"{name} is required", field=name)
    return out


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise errors.ValidationError(f"{name} must be text", field=name)
    return value


def experiments_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(tags=["experiments"])
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]
    Name = Annotated[str | None, Query(min_length=1, max_length=200)]
    Limit = Annotated[int, Query(ge=1, le=1000)]

    @router.post("/v1/experiments")
    async def start(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Start an experiment: the candidate against production on the ramp's first step."""
        options = start_options(body)
        workload, candidate = options.pop("workload"), options.pop("candidate")
        found = await run_in_threadpool(
            lambda: start_experiment(
                store, key.project_id, workload, candidate, by=f"key:{key.id}", settings=settings, **options
            )
        )
        return experiment_json(found)

    @router.get("/v1/experiments")
    async def listing(key: Read, workload: Name = None, status: Name = None, limit: Limit = 50) -> dict[str, Any]:
        """The project's experiments, newest first."""
        found = await run_in_threadpool(list_experiments, store, key.project_id, workload, status, limit)
        return {"items": [experiment_json(e) for e in found]}

    @router.get("/v1/experiments/{experiment_id}")
    async def one(key: Read, experiment_id: str) -> dict[str, Any]:
        """One experiment: arms, ramp and step, configuration and state (last look, SRM)."""
        return experiment_json(await run_in_threadpool(get_experiment, store, key.project_id, experiment_id))

    @router.get("/v1/experiments/{experiment_id}/metrics")
    async def metrics(key: Read, experiment_id: str) -> dict[str, Any]:
        """The arms' live metrics, their always-valid comparisons (BH-adjusted) and the SRM check."""
        return await run_in_threadpool(experiment_metrics, store, key.project_id, experiment_id)

    @router.post("/v1/experiments/{experiment_id}/stop")
    async def stop(key: Admin, experiment_id: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """End a running experiment without a decision: production for everyone again."""
        reason = _text(body or {}, "reason")
        found = await run_in_threadpool(
            lambda: stop_experiment(store, key.project_id, experiment_id, by=f"key:{key.id}", reason=reason)
        )
        return experiment_json(found)

    @router.post("/v1/experiments/{experiment_id}/check")
    async def check(key: Admin, experiment_id: str) -> dict[str, Any]:
        """Look at a running experiment now and act at the project's automation level."""
        found = await run_in_threadpool(
            lambda: check_experiment(store, key.project_id, experiment_id, settings=settings)
        )
        return decision_json(found)

    @router.get("/v1/decisions")
    async def decisions(
        key: Read, workload: Name = None, experiment: Name = None, status: Name = None, limit: Limit = 50
    ) -> dict[str, Any]:
        """Recorded decisions, newest first."""
        found = await run_in_threadpool(
            lambda: list_decisions(
                store, key.project_id, workload=workload, experiment_id=experiment, status=status, limit=limit
            )
        )
        return {"items": [decision_json(d) for d in found]}

    @router.post("/v1/decisions/{decision_id}/approve")
    async def approve(key: Admin, decision_id: str) -> dict[str, Any]:
        """Apply a flagged or pending decision."""
        found = await run_in_threadpool(
            lambda: approve_decision(store, key.project_id, decision_id, by=f"key:{key.id}")
        )
        return decision_json(found)

    @router.post("/v1/decisions/{decision_id}/dismiss")
    async def dismiss(key: Admin, decision_id: str) -> dict[str, Any]:
        """Close a flagged or pending decision without applying it."""
        found = await run_in_threadpool(
            lambda: dismiss_decision(store, key.project_id, decision_id, by=f"key:{key.id}")
        )
        return decision_json(found)

    @router.get("/v1/automation")
    async def level(key: Read) -> dict[str, Any]:
        """The project's automation level: manual, semi, approved or full."""
        return {"level": await run_in_threadpool(automation, store, key.project_id)}

    @router.put("/v1/automation")
    async def set_level(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Set the project's automation level (audited)."""
        value = body.get("level")
        if not isinstance(value, str):
            raise errors.ValidationError("level is one of manual, semi, approved, full", field="level")
        done = await run_in_threadpool(lambda: set_automation(store, key.project_id, value, by=f"key:{key.id}"))
        audit_record(
            store, key.project_id, "automation.set", actor=f"key:{key.id}", target=key.project_id,
            details={"level": done},
        )  # fmt: skip
        return {"level": done}

    return router
