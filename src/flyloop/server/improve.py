"""HTTP routes for the improvement loops: read banks, loop runs and failure clusters with a read
key; build a bank and run a loop with an admin key (each recorded in the audit log).

- ``POST /v1/banks`` ``{"workload", "dataset"?, "embedder"?, "min_examples"?, "min_quality"?,
  "index"?}``, ``GET /v1/banks?workload=``, ``GET /v1/banks/{bank_id}`` (the bank's download for
  apps is :mod:`flyloop.server.policies`');
- ``POST /v1/loops/{loop}/runs`` ``{"workload", "options"?}`` (``?wait=``),
  ``GET /v1/loops/runs?loop=&workload=&limit=``, ``GET /v1/loops/runs/{run_id}``,
  ``POST /v1/loops/runs/{run_id}/cancel``;
- ``GET /v1/workloads/{name}/failures``: the failure clusters, as ``FailureReport.to_dict()``;
- ``GET /v1/workloads/{name}/retrieval/{credit|failures|gaps}``: retrieval feedback of a RAG
  workload, ``{"items": [...]}``; ``GET /v1/workloads/{name}/reward/flags?model=rm_…``: the
  interactions a reward model scores likely bad before any feedback.

A bank build and a quick loop's run (``fewshot``, ``prompt``) are done inside the request, in a
worker thread so the event loop stays free: a client waits for the answer (the SDK's timeout must
allow it). A training loop's run (``finetune``, ``retrieval``, ``reward``: minutes of CPU) is
answered at once, 202 with its record ``running``, and runs on in a thread of the server's
(:func:`flyloop.improve.start_run`, then :func:`flyloop.improve.execute_run`, which records how it
ended); ``GET /v1/loops/runs/{run_id}`` shows its progress (``details.progress``) and
``POST /v1/loops/runs/{run_id}/cancel`` asks it to stop. ``?wait=true`` runs any loop inside the
request, ``?wait=false`` any in the background. A server that stops asks each run still going to
cancel and waits a while for it (:class:`flyloop.server.background.BackgroundRuns`); a loop run
that outlasts the wait keeps its row ``running`` with the process gone: cancel it, or start
another.
"""

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from flyloop import errors
from flyloop.capture import get_workload
from flyloop.improve import (
    Bank,
    Embedder,
    build_bank,
    cancel_run,
    context_gaps,
    document_credit,
    embedder_names,
    execute_run,
    failure_clusters,
    failure_documents,
    get_artifact,
    get_bank,
    get_loop,
    get_run,
    likely_bad,
    list_banks,
    list_runs,
    loop_names,
    plan_loop,
    run_loop,
    start_run,
)
from flyloop.improve import embedder as make_embedder
from flyloop.privacy import audit_record as record
from flyloop.server.background import BackgroundRuns
from flyloop.server.registry import NAME_SCHEMA, WorkloadName
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

log = logging.getLogger("flyloop.server.improve")

BANK_FIELDS = ("workload", "dataset", "embedder", "min_examples", "min_quality", "index")
RUN_FIELDS = ("workload", "options")
MAX_RUNS = 1000
RUN_STATUSES = Literal["running", "succeeded", "failed", "cancelled", "skipped"]
# Loops whose runs take minutes (training): answered 202 at once unless the caller asks to wait.
LONG_LOOPS = frozenset({"finetune", "retrieval", "reward"})
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


_JSON_TYPES: dict[type, str] = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array"}


def options_schema() -> dict[str, Any]:
    """The ``options`` object of a run or plan body: every registered loop's options with their
    JSON types (an option of several loops takes what any of them takes; which loop takes which is
    said in the description, a rule across the path and the body). Options only the library can
    pass (a model backend object) are left out: over HTTP they are a 422."""
    properties: dict[str, set[str]] = {}
    for name in loop_names():
        for option, (kinds, _what) in get_loop(name).options.items():
            # An embedder is given by name over HTTP; a backend object has no JSON form.
            found = {_JSON_TYPES.get(k, "string" if k is Embedder else "") for k in _kinds(kinds)} - {""}
            if found:
                properties.setdefault(option, set()).update(found)
    described = "; ".join(
        f"{name}: {', '.join(sorted(o for o in get_loop(name).options if o in properties))}" for name in loop_names()
    )
    for types in properties.values():
        if "number" in types:
            types.discard("integer")  # JSON's number holds its integers
    typed: dict[str, dict[str, Any]] = {
        option: {"type": sorted(types)[0]} if len(types) == 1 else {"type": sorted(types)}
        for option, types in sorted(properties.items())
    }
    for value in typed.values():
        if value["type"] == "array" or "array" in value["type"]:
            value["items"] = {"type": "string"}
    return {
        "anyOf": [{"type": "object", "additionalProperties": False, "properties": typed}, {"type": "null"}],
        "description": f"The loop's own options; any other is a 422 naming it. {described}",
    }


def _kinds(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def improve_router(
    store: Store, settings: Settings, scope: Callable[[str], Any], background_runs: BackgroundRuns | None = None
) -> APIRouter:
    router = APIRouter(tags=["improve"])
    background_runs = background_runs or BackgroundRuns()
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

    run_body = _body(["workload"], {"workload": NAME_SCHEMA, "options": options_schema()})

    # The loops registered when the app starts (flyloop.improve's face registers them all).
    Loop = Annotated[str, Path(json_schema_extra={"enum": loop_names()})]
    Wait = Annotated[
        bool | None,
        Query(
            description="true: run inside the request and answer the record as it ended; false: answer 202 "
            "with the record running at once. Default: true for fewshot and prompt, false for the training loops."
        ),
    ]

    @router.post(
        "/v1/loops/{loop}/runs",
        openapi_extra=run_body,
        responses={202: {"description": "The run started in the background: its record, status running."}},
    )
    async def run(loop: Loop, key: Admin, body: dict[str, Any], wait: Wait = None) -> Any:
        """Run an improvement loop for a workload now: ``{"workload", "options"?}`` (the loop's own
        options, ``budget`` for ``prompt``, ``method`` and ``steps`` for ``finetune``). Inside the
        request, the answer is the run's record, and a run that failed is recorded, then answered
        as its error. In the background (a training loop, or ``?wait=false``) the answer is 202
        with the record ``running``; its end, error included, is read on the record. Bad options
        are a 422 naming the option either way, before any record."""
        workload, options = _run_body(body)
        if wait is None:
            wait = loop not in LONG_LOOPS
        if wait:
            done = await run_in_threadpool(
                lambda: run_loop(store, key.project_id, loop, workload, settings=settings, **options)
            )
            _audit(key, done.id, loop, workload, done.status)
            return done.model_dump(mode="json")
        ctx = await run_in_threadpool(
            lambda: start_run(store, key.project_id, loop, workload, settings=settings, **options)
        )
        thread = threading.Thread(target=_execute, args=(ctx,), name=f"flyloop-run-{ctx.run_id}", daemon=True)
        background_runs.add(key.project_id, ctx.run_id, thread)
        thread.start()
        _audit(key, ctx.run_id, loop, workload, "running")
        started = await run_in_threadpool(get_run, store, key.project_id, ctx.run_id)
        return Response(orjson.dumps(started.model_dump(mode="json")), status_code=202, media_type="application/json")

    def _execute(ctx: Any) -> None:
        try:
            execute_run(ctx)
        except errors.FlyloopError as exc:  # recorded on the run by execute_run; nothing waits for it here
            log.info("loop run %s ended: %s", ctx.run_id, exc)
        except BaseException:
            log.exception("loop run %s failed", ctx.run_id)
        finally:
            background_runs.done(ctx.project_id, ctx.run_id)

    def _audit(key: ApiKey, run_id: str, loop: str, workload: str, status: str) -> None:
        record(
            store,
            key.project_id,
            "loops.run",
            actor=f"key:{key.id}",
            target=run_id,
            details={"loop": loop, "workload": workload, "status": status},
        )

    @router.post("/v1/loops/runs/{run_id}/cancel")
    def cancel(run_id: str, key: Admin) -> dict[str, Any]:
        """Ask a running loop run to stop: the answer is its record, ``cancel_requested_at`` set;
        the run sees the request between its steps, removes what it was writing and ends
        ``cancelled``. A run that already ended is a 409 naming its status."""
        asked = cancel_run(store, key.project_id, run_id)
        record(
            store, key.project_id, "loops.cancel", actor=f"key:{key.id}", target=run_id, details={"loop": asked.loop}
        )
        return asked.model_dump(mode="json")

    @router.post("/v1/loops/{loop}/plan", openapi_extra=run_body)
    async def plan(loop: Loop, key: Read, body: dict[str, Any]) -> dict[str, Any]:
        """What a run would read and spend (``estimate``: model calls; a training loop adds its
        rule and counts, configuration, device and memory estimate), spending nothing and
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
        status: Annotated[RUN_STATUSES | None, Query()] = None,
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

    # --- retrieval feedback, the reward model's flags --------------------------------------------

    @router.get("/v1/workloads/{name}/retrieval/{view}")
    async def retrieval(
        name: WorkloadName,
        view: Literal["credit", "failures", "gaps"],
        key: Read,
        since: Finite = None,
        until: Finite = None,
        min_ratio: Annotated[float | None, Query(gt=0, allow_inf_nan=False)] = None,
        min_failures: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    ) -> dict[str, Any]:
        """Retrieval feedback of a RAG workload (its interactions' context ids): ``credit``, each
        document's uses, verdicts, outcomes and helpfulness with a 95% interval; ``failures``, the
        documents failures hold far more than successes (``min_ratio``, ``min_failures``: those
        only); ``gaps``, corrections that added what the context lacked."""
        options = {"since": since, "until": until}
        if view == "failures":
            options |= {"min_ratio": min_ratio, "min_failures": min_failures}
        elif min_ratio is not None or min_failures is not None:
            field = "min_ratio" if min_ratio is not None else "min_failures"
            raise errors.ValidationError(f"{field} is an option of the failures view only", field=field)
        given = {k: v for k, v in options.items() if v is not None}
        make = {"credit": document_credit, "failures": failure_documents, "gaps": context_gaps}[view]

        def work() -> dict[str, Any]:
            get_workload(store, key.project_id, name)  # an unknown workload is a 404, not []
            found = make(store, key.project_id, name, settings=settings, **given)  # type: ignore[operator]
            return {"items": _json([item.as_dict() for item in found])}

        return await run_in_threadpool(work)

    @router.get("/v1/workloads/{name}/reward/flags")
    async def reward_flags(
        name: WorkloadName,
        key: Read,
        model: Annotated[str, Query(pattern=r"^rm_[0-9a-f]{16}$", description="The reward model's artifact id.")],
        since: Finite = None,
        until: Finite = None,
        threshold: Annotated[float | None, Query(ge=0, le=1, allow_inf_nan=False)] = None,
        limit: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    ) -> dict[str, Any]:
        """Interactions with no verdict yet that reward model ``model`` scores under ``threshold``
        (default 0.3), lowest first: likely bad before any feedback arrives."""
        given = {"since": since, "until": until, "threshold": threshold, "limit": limit}
        options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}

        def work() -> dict[str, Any]:
            get_workload(store, key.project_id, name)
            get_artifact(store, key.project_id, model, settings=settings)  # a 404, whatever is left to score
            found = likely_bad(store, key.project_id, name, model, settings=settings, **options)
            return {"items": _json([asdict(item) for item in found])}

        return await run_in_threadpool(work)

    return router
