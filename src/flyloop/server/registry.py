"""HTTP routes for workloads and policy versions: read with a read key; declare a workload, register
a version and promote one with an admin key (each recorded in the audit log). A version registered
or promoted here names the key that did it (``key:<id>``).

- ``POST /v1/workloads`` ``{"name", "type"?, "labels"?, "description"?}``, ``GET /v1/workloads``,
  ``GET /v1/workloads/{name}``, ``GET /v1/workloads/{name}/stats``;
- ``POST /v1/policy-versions`` (a policy spec's fields, plus ``parent``? and ``note``?),
  ``GET /v1/policy-versions?workload=``, ``GET /v1/policy-versions/{version_id}``;
- ``PUT /v1/workloads/{name}/production`` ``{"version", "reason"?}``,
  ``GET /v1/workloads/{name}/production`` (``{"workload", "version"}``, the version null when none
  was set), ``GET /v1/stage-history?workload=&version=&stage=``.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from flyloop import errors
from flyloop.capture import WORKLOAD_TYPES, declare_workload, get_workload, list_workloads, workload_stats
from flyloop.improve import check_loadable
from flyloop.privacy import audit_record as record
from flyloop.registry import (
    STAGES,
    PolicySpec,
    get_version,
    list_versions,
    parse_spec,
    production,
    register,
    stage_history,
)
from flyloop.rollout import promote as rollout_promote
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

WORKLOAD_FIELDS = ("name", "type", "labels", "description")
LINEAGE_FIELDS = ("parent", "note")
PROMOTE_FIELDS = ("version", "reason", "force")
Name = Annotated[str | None, Query(min_length=1, max_length=200)]

# A workload's name as capture accepts it (flyloop.capture.workloads): at most 200 characters, no
# '/', no control character, not only whitespace. Stated in the OpenAPI document for the path and
# the bodies; capture checks it, so its own message answers a name that breaks it.
_SPACE = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace())
NAME_PATTERN = f"^[^\\u0000-\\u001f/]*[^\\u0000-\\u001f/{_SPACE}][^\\u0000-\\u001f/]*$"
NAME_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NAME_PATTERN}
LABELS_SCHEMA = {
    "type": "array",
    "minItems": 2,
    "maxItems": 1000,
    "uniqueItems": True,
    "items": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": f"^[^\\u0000]*[^\\u0000{_SPACE}][^\\u0000]*$",
    },
}
WorkloadName = Annotated[str, Path(json_schema_extra={"maxLength": 200, "pattern": NAME_PATTERN})]


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _closed(body: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise errors.ValidationError(
            f"unknown field {unknown[0]!r}; known: {', '.join(sorted(known))}", field=unknown[0]
        )


def _text(body: dict[str, Any], field: str, default: str | None = None, *, required: bool = False) -> Any:
    value = body.get(field)
    if value is None:
        value = default
    if value is None and required:
        raise errors.ValidationError(f"{field} is required", field=field)
    if value is not None and not isinstance(value, str):
        raise errors.ValidationError(f"{field} must be a string, not {type(value).__name__}", field=field)
    return value


def loadable(spec: PolicySpec, settings: Settings | None = None) -> None:
    """The backend check :mod:`flyloop.sdk.registry` runs before registering, the same here: a
    model or adapter that is not there is the request's fault, a 422 naming the field with the
    path in its details (a backend failing at run time is a 502)."""
    try:
        check_loadable(spec, settings)
    except errors.BackendError as exc:
        field = "adapter" if "adapter" in exc.details else "model"
        raise errors.ValidationError(exc.message, field=field, **exc.details) from None


def _spec_body() -> dict[str, Any]:
    """The registration body as the OpenAPI document states it: the spec's fields and the lineage."""
    schema = PolicySpec.model_json_schema()
    schema.pop("title", None)
    properties = schema["properties"]
    properties["parent"] = _or_null({"type": "string", "minLength": 1})
    properties["note"] = _or_null({"type": "string"})
    properties["workload"] = NAME_SCHEMA
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _body(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "additionalProperties": False, "required": required, "properties": properties}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def registry_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(tags=["registry"])
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]

    # --- workloads ------------------------------------------------------------------------------

    declare_body = _body(
        ["name"],
        {
            "name": NAME_SCHEMA,
            "type": _or_null({"enum": list(WORKLOAD_TYPES)}),
            "labels": _or_null({"type": "array", "items": {"type": "string"}}),
            "description": _or_null({"type": "string", "maxLength": 10_000}),
        },
    )
    # A choice workload declares 2 to 1,000 distinct labels; any other declares none.
    declare_body["requestBody"]["content"]["application/json"]["schema"]["allOf"] = [
        {
            "if": {"required": ["type"], "properties": {"type": {"const": "choice"}}},
            "then": {"required": ["labels"], "properties": {"labels": LABELS_SCHEMA}},
            "else": {"properties": {"labels": {"anyOf": [{"type": "null"}, {"type": "array", "maxItems": 0}]}}},
        }
    ]

    @router.post("/v1/workloads", openapi_extra=declare_body)
    def declare(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Declare (or re-declare) a workload: ``generation``, or ``choice`` with its label set
        (2 to 1,000 labels). Re-declaring replaces the type, labels and description."""
        _closed(body, WORKLOAD_FIELDS)
        name = _text(body, "name", required=True)
        type_ = _text(body, "type", "generation")
        labels = body.get("labels")
        if labels is not None and not isinstance(labels, list):
            raise errors.ValidationError("labels must be a list of strings", field="labels")
        description = _text(body, "description", "")
        workload = declare_workload(store, key.project_id, name, type=type_, labels=labels, description=description)
        record(
            store,
            key.project_id,
            "workloads.declare",
            actor=f"key:{key.id}",
            target=workload.name,
            details={"type": workload.type, "labels": workload.labels},
        )
        return workload.model_dump(mode="json")

    @router.get("/v1/workloads")
    def list_all(key: Read) -> dict[str, Any]:
        """Every workload of the project, declared or implied by interactions, by name."""
        return {"items": [w.model_dump(mode="json") for w in list_workloads(store, key.project_id)]}

    @router.get("/v1/workloads/{name}")
    def show(name: WorkloadName, key: Read) -> dict[str, Any]:
        """One workload: its type, label set and description (404 naming an unknown one)."""
        return get_workload(store, key.project_id, name).model_dump(mode="json")

    @router.get("/v1/workloads/{name}/stats")
    def stats(name: WorkloadName, key: Read) -> dict[str, Any]:
        """The workload's interactions, and those flagged ``outside_label_set``."""
        return workload_stats(store, key.project_id, name)

    # --- policy versions ------------------------------------------------------------------------

    @router.post("/v1/policy-versions", openapi_extra=_spec_body())
    def register_version(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Register a policy version (the same spec twice: the first registration, lineage kept).
        Refused with nothing registered when a field breaks a rule, the workload does not exist, or
        the backend could not load (a 422 naming the field: ``model`` with the path it looked at).
        Rules across fields, each a 4xx naming the field: the backend decides what else a version
        needs (``openai``: a model and an endpoint, ``params.base_url`` or the server's
        ``openai_base_url``; ``transformers``: a local model folder); ``k`` above 0 needs a
        ``bank``, which must be one of the workload's; ``balanced`` is for choice workloads."""
        parent = _text(body, "parent")
        note = _text(body, "note", "")
        spec = parse_spec({k: v for k, v in body.items() if k not in LINEAGE_FIELDS})
        loadable(spec, settings)
        version = register(store, key.project_id, spec, parent=parent, created_by=f"key:{key.id}", note=note)
        record(
            store,
            key.project_id,
            "policies.register",
            actor=f"key:{key.id}",
            target=version.id,
            details={"workload": version.workload, "parent": version.parent},
        )
        return version.model_dump(mode="json")

    @router.get("/v1/policy-versions")
    def list_policy_versions(key: Read, workload: Name = None) -> dict[str, Any]:
        """The project's policy versions (of one workload), oldest first."""
        return {"items": [v.model_dump(mode="json") for v in list_versions(store, key.project_id, workload)]}

    @router.get("/v1/policy-versions/{version_id}")
    def show_version(version_id: str, key: Read) -> dict[str, Any]:
        """One policy version with its lineage (404 naming ``version`` for an unknown id)."""
        return get_version(store, key.project_id, version_id).model_dump(mode="json")

    # --- stages ---------------------------------------------------------------------------------

    @router.put(
        "/v1/workloads/{name}/production",
        openapi_extra=_body(
            ["version"],
            {
                "version": {"type": "string", "minLength": 1},
                "reason": _or_null({"type": "string", "maxLength": 10_000}),
                "force": _or_null({"type": "boolean"}),
            },
        ),
    )
    def promote(name: WorkloadName, key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Make a version of the workload its production version under its gate (as
        ``POST /v1/versions/{id}/promote``): ``{"version", "reason"?, "force"?}``; 409 naming
        ``gate`` when its newest evaluation against production is missing or failed, unless
        ``force`` with a ``reason`` (recorded). The first production version has nothing to beat.
        The answer is the move."""
        _closed(body, PROMOTE_FIELDS)
        version_id = _text(body, "version", required=True)
        reason = _text(body, "reason", "") or ""
        force = body.get("force") or False
        if not isinstance(force, bool):
            raise errors.ValidationError("force is true or false", field="force")
        get_workload(store, key.project_id, name)
        assert version_id is not None
        move = rollout_promote(
            store, key.project_id, name, version_id, by=f"key:{key.id}", reason=reason, force=force, settings=settings
        )
        record(
            store,
            key.project_id,
            "policies.promote",
            actor=f"key:{key.id}",
            target=version_id,
            details={"workload": name, "previous": move.previous, "reason": reason, "forced": force},
        )
        return move.model_dump(mode="json")

    @router.get("/v1/workloads/{name}/production")
    def production_version(name: WorkloadName, key: Read) -> dict[str, Any]:
        """The workload's production version (``version`` null when none was set)."""
        get_workload(store, key.project_id, name)
        found = production(store, key.project_id, name)
        return {"workload": name, "version": None if found is None else found.model_dump(mode="json")}

    @router.get("/v1/stage-history")
    def history(
        key: Read,
        workload: Name = None,
        version: Name = None,
        stage: Annotated[str | None, Query(json_schema_extra={"enum": list(STAGES)})] = None,
    ) -> dict[str, Any]:
        """Every stage move (of one workload; of one version, with those that replaced it in
        production; to one stage), oldest first: who, when, why, what it replaced, and what it
        rested on (gate verdict, evaluation, experiment)."""
        moves = stage_history(store, key.project_id, workload, version_id=version, stage=stage)
        return {"items": [m.model_dump(mode="json") for m in moves]}

    return router
