"""HTTP routes for evaluation: run a candidate against production and read the stored results;
golden sets; the project's gate.

- ``POST /v1/evaluations`` ``{"workload", "candidate", "baseline"?, "dataset"?, "golden"?,
  "metrics"?, "gate"?, "judge"?, "reward"?, "limit"?, "seed"?, "segment_key"?, "n_resamples"?,
  "min_cases"?, "margin"?}`` (admin): ``?wait=true`` runs inside the request and answers the stored
  evaluation (a failed one is answered as its error, and stored); by default the answer is 202
  with the evaluation ``running``, which runs on in a thread of the server's (a stopping server
  cancels it between cases: the record says failed, "the server stopped"; one whose process died
  is marked failed, interrupted, when serve or worker next starts). Bad input is a 4xx
  naming the field either way, before anything is stored.
- ``GET /v1/evaluations?workload=&candidate=&limit=`` and ``GET /v1/evaluations/{id}`` (read).
- ``GET /v1/golden?workload=``, ``GET /v1/golden/{name}`` (read); ``POST /v1/golden/{name}``
  ``{"workload", "cases"}`` and ``DELETE /v1/golden/{name}`` (admin: a golden set is the truth
  candidates are gated on, never what an app's ingest key may write).
- ``GET /v1/gate`` (read), ``PUT /v1/gate`` ``{"gate": {...} | null}`` (admin, audited).
"""

import logging
import threading
from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from flyloop import errors
from flyloop.evaluate import (
    Evaluation,
    add_golden_cases,
    delete_golden_set,
    fail_running,
    get_evaluation,
    golden_cases,
    list_evaluations,
    list_golden_sets,
    new_evaluation_id,
    run_evaluation,
    set_gate_config,
    stored_gate,
)
from flyloop.privacy import audit_record as record
from flyloop.server.background import BackgroundRuns
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

log = logging.getLogger("flyloop.server.evaluate")

RUN_FIELDS = (
    "workload",
    "candidate",
    "baseline",
    "dataset",
    "golden",
    "metrics",
    "gate",
    "judge",
    "reward",
    "limit",
    "seed",
    "segment_key",
    "n_resamples",
    "min_cases",
    "margin",
)
# Each optional field's JSON type and what it is, for the error naming it.
TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "workload": (str, "a workload's name"),
    "candidate": (str, "a policy version id"),
    "baseline": (str, "a policy version id"),
    "dataset": (str, "a dataset version's id or name"),
    "golden": (str, "a golden set's name"),
    "metrics": (list, "a list of metric names"),
    "gate": (dict, "a gate configuration object"),
    "judge": (str, "a policy version id"),
    "reward": (str, "a reward model id (rm_...)"),
    "limit": (int, "a whole number"),
    "seed": (int, "a whole number"),
    "segment_key": (str, "a metadata key"),
    "n_resamples": (int, "a whole number"),
    "min_cases": (int, "a whole number"),
    "margin": ((int, float), "a number"),
}
STOPPED = "the server stopped before it finished"
START_WAIT_S = 600.0  # how long a 202 waits for the running row: the cases are read before it


def evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    return dict(evaluation.model_dump(mode="json"))


def run_options(body: dict[str, Any]) -> dict[str, Any]:
    """The body of ``POST /v1/evaluations`` checked: every field known and of its type."""
    unknown = sorted(set(body) - set(RUN_FIELDS))
    if unknown:
        raise errors.ValidationError(
            f"unknown field {unknown[0]!r}; known: {', '.join(sorted(RUN_FIELDS))}", field=unknown[0]
        )
    out: dict[str, Any] = {}
    for name, value in body.items():
        kinds, what = TYPES[name]
        if kinds is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
            raise errors.ValidationError(f"{name} must be {what}, not {type(value).__name__}", field=name)
        if value is not None:
            out[name] = value
    for name in ("workload", "candidate"):
        if name not in out:
            raise errors.ValidationError(f"{name} is required", field=name)
    return out


def evaluate_router(
    store: Store, settings: Settings, scope: Callable[[str], Any], background_runs: BackgroundRuns | None = None
) -> APIRouter:
    router = APIRouter(tags=["evaluate"])
    runs = background_runs or BackgroundRuns()
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]
    Name = Annotated[str | None, Query(min_length=1, max_length=200)]

    @router.post(
        "/v1/evaluations",
        responses={202: {"description": "The evaluation started in the background: its record, status running."}},
    )
    async def run(key: Admin, body: dict[str, Any], wait: bool = False) -> Any:
        """Evaluate a candidate against the production version (or ``baseline``) on the held-out
        eval split or a golden set, and store the result (see the module's docstring)."""
        options = run_options(body)
        workload, candidate = options.pop("workload"), options.pop("candidate")
        by = f"key:{key.id}"
        if wait:
            done = await run_in_threadpool(
                lambda: run_evaluation(store, key.project_id, workload, candidate, settings=settings, by=by, **options)
            )
            _audit(key, done.id, candidate, done.status)
            return evaluation_json(done)
        evaluation_id = new_evaluation_id()
        started = threading.Event()
        failure: list[BaseException] = []
        stopping: list[str] = []  # a stopping server's reason, seen by the evaluation between cases

        def execute() -> None:
            try:
                run_evaluation(
                    store, key.project_id, workload, candidate, settings=settings, by=by,
                    evaluation_id=evaluation_id, on_progress=lambda *_: started.set(),
                    cancelled=lambda: stopping[0] if stopping else None, **options,
                )  # fmt: skip
            except BaseException as exc:  # refused before the row (answered below) or stored failed
                failure.append(exc)
                log.info("evaluation %s ended: %s", evaluation_id, exc)
            finally:
                runs.done(key.project_id, evaluation_id)
                started.set()

        thread = threading.Thread(target=execute, name=f"flyloop-evaluation-{evaluation_id}", daemon=True)
        project_id = key.project_id
        runs.add(
            project_id, evaluation_id, thread, kind="evaluation",
            cancel=lambda _store: stopping.append("the server stopped"),
            abandon=lambda _store: fail_running(_store, project_id, evaluation_id, STOPPED),
        )  # fmt: skip
        thread.start()
        await run_in_threadpool(started.wait, START_WAIT_S)
        try:
            found = await run_in_threadpool(get_evaluation, store, key.project_id, evaluation_id)
        except errors.NotFound:
            if failure:  # refused before anything was stored: bad input, too few cases
                raise failure[0] from None
            raise
        _audit(key, evaluation_id, candidate, "running")
        return Response(orjson.dumps(evaluation_json(found)), status_code=202, media_type="application/json")

    def _audit(key: ApiKey, evaluation_id: str, candidate: str, status: str) -> None:
        record(
            store, key.project_id, "evaluations.run", actor=f"key:{key.id}", target=evaluation_id,
            details={"candidate": candidate, "status": status},
        )  # fmt: skip

    @router.get("/v1/evaluations")
    async def listing(
        key: Read, workload: Name = None, candidate: Name = None, limit: Annotated[int, Query(ge=1, le=1000)] = 50
    ) -> dict[str, Any]:
        """The project's evaluations, newest first."""
        found = await run_in_threadpool(list_evaluations, store, key.project_id, workload, candidate, limit)
        return {"items": [evaluation_json(e) for e in found]}

    @router.get("/v1/evaluations/{evaluation_id}")
    async def one(key: Read, evaluation_id: str) -> dict[str, Any]:
        """One evaluation: its figures, per segment, and the gate's verdict in words and numbers."""
        return evaluation_json(await run_in_threadpool(get_evaluation, store, key.project_id, evaluation_id))

    @router.get("/v1/golden")
    async def golden_list(key: Read, workload: Name = None) -> dict[str, Any]:
        """Each golden set: name, workload, cases, labelled, updated_at."""
        return {"items": await run_in_threadpool(list_golden_sets, store, key.project_id, workload)}

    @router.get("/v1/golden/{name}")
    async def golden_show(key: Read, name: str) -> dict[str, Any]:
        """The cases of one golden set."""
        return {"items": await run_in_threadpool(golden_cases, store, key.project_id, name)}

    @router.post("/v1/golden/{name}")
    async def golden_add(key: Admin, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """Add (or replace by id) cases ``{"workload", "cases": [{"input", "expected"?, "id"?,
        "user_id"?, "metadata"?}]}``; answers how many cases the set holds."""
        unknown = sorted(set(body) - {"workload", "cases"})
        if unknown:
            raise errors.ValidationError(f"unknown field {unknown[0]!r}; known: cases, workload", field=unknown[0])
        workload, cases = body.get("workload"), body.get("cases")
        if not isinstance(workload, str) or not workload:
            raise errors.ValidationError("workload is a workload's name", field="workload")
        if not isinstance(cases, list):
            raise errors.ValidationError("cases is a list of objects", field="cases")
        count = await run_in_threadpool(add_golden_cases, store, key.project_id, name, workload, cases, f"key:{key.id}")
        return {"name": name, "workload": workload, "cases": count}

    @router.delete("/v1/golden/{name}")
    async def golden_delete(key: Admin, name: str) -> dict[str, Any]:
        """Delete a golden set; answers how many cases went."""
        gone = await run_in_threadpool(delete_golden_set, store, key.project_id, name)
        record(store, key.project_id, "golden.delete", actor=f"key:{key.id}", target=name, details={"cases": gone})
        return {"name": name, "deleted": gone}

    @router.get("/v1/gate")
    async def gate_show(key: Read) -> dict[str, Any]:
        """The project's gate (``null``: each workload type's default applies)."""
        stored = await run_in_threadpool(stored_gate, store, key.project_id)
        return {"gate": stored, "custom": stored is not None}

    @router.put("/v1/gate")
    async def gate_set(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Set the project's gate ``{"gate": {"primary", "margin"?, "guardrails"?, ...} | null}``."""
        unknown = sorted(set(body) - {"gate"})
        if unknown or "gate" not in body:
            raise errors.ValidationError("the body is {'gate': {...} or null}", field=unknown[0] if unknown else "gate")
        parsed = await run_in_threadpool(set_gate_config, store, key.project_id, body["gate"], f"key:{key.id}")
        record(
            store, key.project_id, "gate.set", actor=f"key:{key.id}", target=key.project_id,
            details={"gate": parsed.to_dict() if parsed else None},
        )  # fmt: skip
        stored = await run_in_threadpool(stored_gate, store, key.project_id)
        return {"gate": stored, "custom": stored is not None}

    return router
