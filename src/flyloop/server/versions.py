"""HTTP routes for the registry's stages: each version's stage and taint, its lineage, the diff
of two, promotion under the evaluation gate and rollback. Read with a read key; promote, roll back
and taint with an admin key (each recorded in the audit log, the move naming the key:
``key:<id>``).

- ``GET /v1/versions?workload=&stage=&tainted=``: the catalogue (version, stage, taint);
- ``GET /v1/versions/{version_id}``: the version's lineage (:func:`flyloop.rollout.lineage`);
- ``GET /v1/versions/{a}/diff/{b}``: what differs (:func:`flyloop.rollout.diff_versions`);
- ``POST /v1/versions/{version_id}/promote`` ``{"workload"?, "reason"?, "force"?}``: the move;
- ``POST /v1/versions/rollback`` ``{"workload", "reason"?}``: the move;
- ``POST /v1/versions/{version_id}/taint`` ``{"reason"}``: ``{"version", "taint"}``.

The history of moves is ``GET /v1/stage-history?workload=&version=&stage=``
(:mod:`flyloop.server.registry`).
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from flyloop import errors
from flyloop.capture import get_workload
from flyloop.privacy import audit_record as record
from flyloop.registry import STAGES, catalog, get_version
from flyloop.rollout import diff_versions, lineage, promote, rollback, taint_version
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

PROMOTE_FIELDS = ("workload", "reason", "force")
ROLLBACK_FIELDS = ("workload", "reason")
Name = Annotated[str | None, Query(min_length=1, max_length=200)]
Stage = Annotated[str | None, Query(json_schema_extra={"enum": list(STAGES)})]


def _closed(body: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise errors.ValidationError(f"unknown field {unknown[0]!r}; known: {', '.join(known)}", field=unknown[0])


def _text(body: dict[str, Any], field: str, *, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None and required:
        raise errors.ValidationError(f"{field} is required", field=field)
    if value is not None and not isinstance(value, str):
        raise errors.ValidationError(f"{field} must be a string, not {type(value).__name__}", field=field)
    return value


def _body(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "additionalProperties": False, "required": required, "properties": properties}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


_TEXT = {"anyOf": [{"type": "string", "maxLength": 10_000}, {"type": "null"}]}
_NAME = {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 200}, {"type": "null"}]}


def versions_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(tags=["versions"])
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]

    @router.get("/v1/versions")
    def list_all(key: Read, workload: Name = None, stage: Stage = None, tainted: bool | None = None) -> dict[str, Any]:
        """The project's versions (of one workload, in one stage, tainted or not), oldest first,
        each ``{"version", "stage", "taint"}``."""
        found = catalog(store, key.project_id, workload, stage=stage, tainted=tainted)
        return {"items": [e.model_dump(mode="json") for e in found]}

    @router.post(
        "/v1/versions/rollback",
        openapi_extra=_body(["workload"], {"workload": {"type": "string", "minLength": 1}, "reason": _TEXT}),
    )
    def roll_back(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Give the workload's production back to the version that held it before the current
        one; the answer is the move. 404 naming ``workload`` with no production version, 409 with
        no earlier one (or one now tainted or unable to load)."""
        _closed(body, ROLLBACK_FIELDS)
        workload = _text(body, "workload", required=True)
        assert workload is not None
        reason = _text(body, "reason") or ""
        get_workload(store, key.project_id, workload)
        move = rollback(store, key.project_id, workload, by=f"key:{key.id}", reason=reason, settings=settings)
        record(
            store,
            key.project_id,
            "versions.rollback",
            actor=f"key:{key.id}",
            target=move.version_id,
            details={"workload": workload, "from": move.previous, "reason": reason},
        )
        return move.model_dump(mode="json")

    @router.get("/v1/versions/{version_id}")
    def show(version_id: str, key: Read) -> dict[str, Any]:
        """The version's lineage: its spec, stage, taint, the signals, dataset versions, loop run,
        bank and artifacts it came from, its evaluations, experiments, decisions and stage moves."""
        return lineage(store, key.project_id, version_id, settings=settings)

    @router.get("/v1/versions/{a}/diff/{b}")
    def diff(a: str, b: str, key: Read) -> dict[str, Any]:
        """What differs from version ``a`` to ``b``: the prompts as unified diffs, the other
        fields and the generation parameters as ``{"a", "b"}``."""
        return diff_versions(get_version(store, key.project_id, a), get_version(store, key.project_id, b))

    @router.post(
        "/v1/versions/{version_id}/promote",
        openapi_extra=_body([], {"workload": _NAME, "reason": _TEXT, "force": {"type": ["boolean", "null"]}}),
    )
    def promote_version(version_id: str, key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Make the version its workload's production version under the gate: 409 naming
        ``gate`` when its newest evaluation against production is missing or failed, unless
        ``force`` with a ``reason`` (recorded); 409 for a tainted version, one that cannot load,
        the production version itself, or production moved by another promotion meanwhile."""
        _closed(body, PROMOTE_FIELDS)
        reason = _text(body, "reason") or ""
        force = body.get("force") or False
        if not isinstance(force, bool):
            raise errors.ValidationError("force is true or false", field="force")
        workload = _text(body, "workload") or get_version(store, key.project_id, version_id).workload
        move = promote(
            store,
            key.project_id,
            workload,
            version_id,
            by=f"key:{key.id}",
            reason=reason,
            force=force,
            settings=settings,
        )
        record(
            store,
            key.project_id,
            "versions.promote",
            actor=f"key:{key.id}",
            target=version_id,
            details={"workload": workload, "previous": move.previous, "reason": reason, "forced": force},
        )
        return move.model_dump(mode="json")

    @router.post(
        "/v1/versions/{version_id}/taint",
        openapi_extra=_body(["reason"], {"reason": {"type": "string", "minLength": 1, "maxLength": 10_000}}),
    )
    def taint(version_id: str, key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Mark the version tainted with why: never promoted nor put in an experiment again; a running
        experiment whose candidate it is is rolled back at once."""
        _closed(body, ("reason",))
        reason = _text(body, "reason", required=True)
        assert reason is not None
        found = taint_version(store, key.project_id, version_id, reason, by=f"key:{key.id}")
        record(store, key.project_id, "versions.taint", actor=f"key:{key.id}", target=version_id, details={})
        return {"version": version_id, "taint": found}

    return router
