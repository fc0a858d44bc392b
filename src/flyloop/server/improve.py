"""HTTP routes for the improvement loops: read banks, loop runs and failure clusters with a read
key; build a bank and run a loop with an admin key (each recorded in the audit log).

- ``POST /v1/banks`` ``{"workload", "dataset"?, "embedder"?, "min_examples"?, "min_quality"?,
  "index"?}``, ``GET /v1/banks?workload=``, ``GET /v1/banks/{bank_id}`` (the bank's download for
  apps is :mod:`flyloop.server.policies`');
- ``POST /v1/loops/{loop}/runs`` ``{"workload", "options"?}``, ``GET /v1/loops/runs?loop=&workload=&limit=``,
  ``GET /v1/loops/runs/{run_id}``;
- ``GET /v1/workloads/{name}/failures``: the failure clusters, as ``FailureReport.to_dict()``.

A bank build and a loop run are long work (embedding a dataset's examples; a loop's model calls),
done inside the request for now, in a worker thread so the event loop stays free: a client waits
for the answer (the SDK's timeout must allow it). A job queue with a run id to poll comes with the
worker's loop cadence.
"""

import functools
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from flyloop import errors
from flyloop.capture import get_workload
from flyloop.improve import (
    Bank,
    Embedder,
    build_bank,
    embedder_names,
    failure_clusters,
    get_bank,
    get_loop,
    get_run,
    list_banks,
    list_runs,
    loop_names,
    plan_loop,
    run_loop,
)
from flyloop.improve import embedder as make_embedder
from flyloop.privacy import audit_record as record
from flyloop.server.registry import NAME_SCHEMA, WorkloadName
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

BANK_FIELDS = ("workload", "dataset", "embedder", "min_examples", "min_quality", "index")
RUN_FIELDS = ("workload", "options")
MAX_RUNS = 1000
MAX_MIN_EXAMPLES = 10_000_000
# The failure clusters' counts, bounded: a read key must not make the server hold an n-by-n
# distance matrix of any size (max_failures of 5,000 and half as many before: 450 MB at most).
FAILURE_LIMITS = {
    "max_clusters": 100,
    "min_size": 100_000,
    "min_failures": 100_000,
    "max_failures": 5_000,
    "representatives": 100,
}
Name = Annotated[str | None, Query(min_length=1, max_length=200)]
Finite = Annotated[float | None, Query(allow_inf_nan=False)]


def bank_json(bank: Bank) -> dict[str, Any]:
    """A bank as the API answers it: its fields and ``live`` (the examples it still serves)."""
    return {**asdict(bank), "live": bank.live}


def _closed(body: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise errors.ValidationError(
            f"unknown field {unknown[0]!r}; known: {', '.join(sorted(known))}", field=unknown[0]
        )


def _typed(body: dict[str, Any], field: str, kinds: type | tuple[type, ...], what: str) -> Any:
    value = body.get(field)
    if kinds is int and isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON's 3.0 is an integer too
    if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
        raise errors.ValidationError(f"{field} must be {what}, not {type(value).__name__}", field=field)
    return value


def _count(value: int | None) -> int | None:
    if value is not None and value > MAX_MIN_EXAMPLES:
        raise errors.ValidationError(
            f"min_examples must be at most {MAX_MIN_EXAMPLES:,}, not {value}", field="min_examples"
        )
    return value


def _quality(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1:
        raise errors.ValidationError(f"min_quality must be from 0 to 1, not {value}", field="min_quality")
    return value


def _embedder(name: str | None) -> str | None:
    if name is not None and name not in embedder_names():
        raise errors.ValidationError(
            f"unknown embedder {name!r}: one of {', '.join(embedder_names())}", field="embedder"
        )
    return name


@functools.lru_cache(maxsize=8)
def named_embedder(name: str, home: str) -> Embedder:
    """One instance of each embedder a request names, per flyloop home, for the process: a model
    loads once, not on every request (and its cache by content hash stays warm)."""
    return make_embedder(name, home=home)


def _run_body(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    _closed(body, RUN_FIELDS)
    workload = _typed(body, "workload", str, "a workload's name")
    if workload is None:
        raise errors.ValidationError("workload is required", field="workload")
    return workload, _typed(body, "options", dict, "an object of the loop's options") or {}


def _json(value: Any) -> Any:
    """``value`` as JSON reads it back (NumPy numbers made plain): what the SDK's local verb answers."""
    return orjson.loads(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS))


def _body(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "additionalProperties": False, "required": required, "properties": properties}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def improve_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(tags=["improve"])
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]

    # --- banks ----------------------------------------------------------------------------------

    @router.post(
        "/v1/banks",
        openapi_extra=_body(
            ["workload"],
            {
                "workload": NAME_SCHEMA,
                "dataset": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}]},
                "embedder": {"anyOf": [{"enum": embedder_names()}, {"type": "null"}]},
                "min_examples": {
                    "anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_MIN_EXAMPLES}, {"type": "null"}]
                },
                "min_quality": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}]},
                "index": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
        ),
    )
    async def build(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Build (or find) a workload's few-shot bank from a dataset version (default: the newest
        with training examples of the workload). Runs inside the request. 409 when too few
        examples are left ("not enough data: N of M")."""
        _closed(body, BANK_FIELDS)
        workload = _typed(body, "workload", str, "a workload's name")
        if workload is None:
            raise errors.ValidationError("workload is required", field="workload")
        dataset = _typed(body, "dataset", str, "a dataset version's id or name")
        rules = {
            "embedder": _embedder(_typed(body, "embedder", str, "an embedder's name")),
            "min_examples": _count(_typed(body, "min_examples", int, "a whole number")),
            "min_quality": _quality(_typed(body, "min_quality", (int, float), "a number")),
            "index": _typed(body, "index", str, "an index kind"),
        }
        rules = {k: v for k, v in rules.items() if v is not None}
        bank = await run_in_threadpool(
            build_bank, store, key.project_id, workload, dataset=dataset, settings=settings, **rules
        )
        record(
            store,
            key.project_id,
            "banks.build",
            actor=f"key:{key.id}",
            target=bank.id,
            details={"workload": workload, "dataset_version": bank.dataset_version, "size": bank.size},
        )
        return bank_json(bank)

    @router.get("/v1/banks")
    def banks(key: Read, workload: Name = None) -> dict[str, Any]:
        """The project's banks (of one workload), newest first."""
        return {"items": [bank_json(b) for b in list_banks(store, key.project_id, workload)]}

    @router.get("/v1/banks/{bank_id}")
    def bank(bank_id: str, key: Read) -> dict[str, Any]:
        """One bank with its manifest (dataset version, embedder, rules, counts, index)."""
        return bank_json(get_bank(store, key.project_id, bank_id))

    # --- loop runs ------------------------------------------------------------------------------

    run_body = _body(
        ["workload"],
        {
            "workload": NAME_SCHEMA,
            "options": {
                "anyOf": [{"$ref": "#/components/schemas/JsonObject"}, {"type": "null"}],
                # a rule across the path and the body, so said in words: each loop takes its own
                "description": "The loop's own options; any other is a 422 naming it. "
                + "; ".join(f"{name}: {', '.join(sorted(get_loop(name).options))}" for name in loop_names()),
            },
        },
    )

    # The loops registered when the app starts (flyloop.improve's face registers fewshot and prompt).
    Loop = Annotated[str, Path(json_schema_extra={"enum": loop_names()})]

    @router.post("/v1/loops/{loop}/runs", openapi_extra=run_body)
    async def run(loop: Loop, key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Run an improvement loop (``fewshot``, ``prompt``) for a workload now, inside the
        request: ``{"workload", "options"?}`` (the loop's own options, ``budget`` for ``prompt``).
        The answer is the run's record; a run that failed is recorded, then answered as its error."""
        workload, options = _run_body(body)
        done = await run_in_threadpool(
            lambda: run_loop(store, key.project_id, loop, workload, settings=settings, **options)
        )
        record(
            store,
            key.project_id,
            "loops.run",
            actor=f"key:{key.id}",
            target=done.id,
            details={"loop": loop, "workload": workload, "status": done.status},
        )
        return done.model_dump(mode="json")

    @router.post("/v1/loops/{loop}/plan", openapi_extra=run_body)
    async def plan(loop: Loop, key: Read, body: dict[str, Any]) -> dict[str, Any]:
        """What a run would read and spend (``estimate``: model calls), spending nothing and
        recording nothing: ``{"workload", "options"?}``, as for a run. A read key's question."""
        workload, options = _run_body(body)
        planned = await run_in_threadpool(
            lambda: plan_loop(store, key.project_id, loop, workload, settings=settings, **options)
        )
        return _json(planned)

    @router.get("/v1/loops/runs")
    def runs(
        key: Read,
        loop: Name = None,
        workload: Name = None,
        status: Annotated[Literal["running", "succeeded", "failed", "skipped"] | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_RUNS)] = 50,
    ) -> dict[str, Any]:
        """Loop runs, newest first (of one loop, one workload, one status)."""
        found = list_runs(store, key.project_id, loop=loop, workload=workload, status=status, limit=limit)
        return {"items": [r.model_dump(mode="json") for r in found]}

    @router.get("/v1/loops/runs/{run_id}")
    def show_run(run_id: str, key: Read) -> dict[str, Any]:
        """One run's record: inputs, outputs (candidate versions), cost, status and error."""
        return get_run(store, key.project_id, run_id).model_dump(mode="json")

    # --- failures -------------------------------------------------------------------------------

    @router.get("/v1/workloads/{name}/failures")
    async def failures(
        name: WorkloadName,
        key: Read,
        since: Finite = None,
        until: Finite = None,
        window_s: Annotated[float | None, Query(gt=0, allow_inf_nan=False)] = None,
        max_clusters: Annotated[int | None, Query(ge=1, le=FAILURE_LIMITS["max_clusters"])] = None,
        min_size: Annotated[int | None, Query(ge=1, le=FAILURE_LIMITS["min_size"])] = None,
        min_failures: Annotated[int | None, Query(ge=3, le=FAILURE_LIMITS["min_failures"])] = None,
        max_failures: Annotated[int | None, Query(ge=1, le=FAILURE_LIMITS["max_failures"])] = None,
        representatives: Annotated[int | None, Query(ge=0, le=FAILURE_LIMITS["representatives"])] = None,
        segment_key: Annotated[list[str] | None, Query()] = None,
        embedder: Annotated[str | None, Query(json_schema_extra={"enum": embedder_names()})] = None,
    ) -> dict[str, Any]:
        """The workload's failure clusters (its bad and corrected interactions in the window,
        ``until`` now and ``window_s`` 7 days by default): size, share, trend, representatives,
        the common edit, segments. ``segment_key`` (repeated): metadata keys to break clusters
        down by. ``since`` must be before ``until`` (a 422 naming ``since``). 409 under
        ``min_failures`` failures."""
        options = {
            "since": since,
            "until": until,
            "window_s": window_s,
            "max_clusters": max_clusters,
            "min_size": min_size,
            "min_failures": min_failures,
            "max_failures": max_failures,
            "representatives": representatives,
        }
        options = {k: v for k, v in options.items() if v is not None}
        _embedder(embedder)
        return await run_in_threadpool(_failures, key.project_id, name, options, segment_key, embedder)

    def _failures(
        project_id: str, workload: str, options: dict[str, Any], segment_keys: list[str] | None, embedder: str | None
    ) -> dict[str, Any]:
        get_workload(store, project_id, workload)  # an unknown workload is a 404, not "0 failures"
        model = named_embedder(embedder, str(settings.home)) if embedder is not None else None
        report = failure_clusters(
            store, project_id, workload, segment_keys=segment_keys, embedder=model, settings=settings, **options
        )
        return _json(report.to_dict())

    return router
