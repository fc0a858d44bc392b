"""HTTP routes for what the training loops make (:class:`flyloop.improve.Artifact`: a LoRA adapter,
a choice head, a fine-tuned embedder, a reward model):

- ``GET /v1/artifacts?workload=&kind=&limit=`` and ``GET /v1/artifacts/{artifact_id}``: the records,
  manifest included, with ``tainted`` and ``taint_reason`` (a read key);
- ``POST /v1/artifacts/{artifact_id}/taint`` ``{"reason"}``: mark one unfit for use (an admin key;
  audited);
- ``GET /v1/artifacts/{artifact_id}/download``: the folder as one uncompressed tar (``manifest.json``
  and the files it lists, by their names in the folder), for a read key or an app's ingest key (an
  app serving a policy whose version names an adapter, a head or a reward model fetches it once,
  as it fetches a bank). ``X-Flyloop-Artifact`` names the id.

The answers leave out the folder's path on the server: a client keeps its copy under its own home.
"""

import inspect
import os
import tarfile
import tempfile
import typing
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from flyloop import errors
from flyloop.improve import Artifact, get_artifact, list_artifacts, taint_artifact
from flyloop.privacy import audit_record as record
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

KIND = Literal["adapter", "head", "embedder", "reward"]  # flyloop.improve's artifact kinds
MAX_ITEMS = 1000
MAX_REASON_CHARS = 2000


def artifact_json(artifact: Artifact) -> dict[str, Any]:
    """An artifact as the API answers it: its record without the server's path."""
    return artifact.model_dump(mode="json", exclude={"path"})


def either_scope(scope: Callable[[str], Any], *names: str) -> Callable[..., Any]:
    """A dependency passing a key that has any of ``names`` (the app's own ``scope`` checks one).
    It reuses the dependency ``scope`` authenticates with, read off its signature, so the key is
    looked up and rate-limited once, as for every other route."""
    authenticated = typing.get_args(inspect.signature(scope(names[0])).parameters["key"].annotation)[1]

    async def check(key: Annotated[ApiKey, authenticated]) -> ApiKey:
        if not any(key.allows(name) for name in names):
            raise errors.PermissionDenied(f"this key lacks the {' or '.join(repr(n) for n in names)} scope")
        return key

    return check


def _tar(artifact: Artifact) -> str:
    """The artifact's folder as a tar in a temporary file (removed once sent); NotFound when this
    server's home lacks the folder."""
    folder = FilePath(artifact.path)
    if not (folder / "manifest.json").is_file():
        raise errors.NotFound(
            f"artifact {artifact.id} has no folder on this server (trained with another FLYLOOP_HOME?)",
            field="artifact",
        )
    handle, name = tempfile.mkstemp(prefix=f"flyloop-{artifact.id}-", suffix=".tar")
    try:
        with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(folder)), recursive=False)
    except BaseException:
        os.unlink(name)
        raise
    return name


def artifacts_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(tags=["artifacts"])
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]
    ReadOrApp = Annotated[ApiKey, Depends(either_scope(scope, "read", "ingest"))]

    @router.get("/v1/artifacts")
    def artifacts(
        key: Read,
        workload: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        kind: Annotated[KIND | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_ITEMS)] = 50,
    ) -> dict[str, Any]:
        """The project's artifacts (of one workload, one kind), newest first."""
        found = list_artifacts(store, key.project_id, workload=workload, kind=kind, limit=limit, settings=settings)
        return {"items": [artifact_json(a) for a in found]}

    @router.get("/v1/artifacts/{artifact_id}")
    def artifact(artifact_id: str, key: Read) -> dict[str, Any]:
        """One artifact: kind, workload, dataset version, run, size, manifest (base model,
        configuration, metrics, files), and whether it is tainted and why."""
        return artifact_json(get_artifact(store, key.project_id, artifact_id, settings=settings))

    @router.post(
        "/v1/artifacts/{artifact_id}/taint",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["reason"],
                            "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": MAX_REASON_CHARS}},
                        }
                    }
                },
            }
        },
    )
    def taint(artifact_id: str, key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Mark an artifact unfit for use, keeping why (``{"reason"}``); its files stay. The
        answer is its record, ``tainted`` true."""
        unknown = sorted(set(body) - {"reason"})
        if unknown:
            raise errors.ValidationError(f"unknown field {unknown[0]!r}; known: reason", field=unknown[0])
        reason = body.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise errors.ValidationError(
                "say why the artifact is tainted: reason is a non-empty string", field="reason"
            )
        if len(reason) > MAX_REASON_CHARS:
            raise errors.ValidationError(f"reason is at most {MAX_REASON_CHARS} characters", field="reason")
        marked = taint_artifact(store, key.project_id, artifact_id, reason, settings=settings)
        record(
            store,
            key.project_id,
            "artifacts.taint",
            actor=f"key:{key.id}",
            target=marked.id,
            details={"reason": reason},
        )
        return artifact_json(marked)

    @router.get(
        "/v1/artifacts/{artifact_id}/download",
        response_class=FileResponse,
        responses={200: {"content": {"application/x-tar": {}}, "description": "The artifact's folder as a tar."}},
    )
    async def download(artifact_id: str, key: ReadOrApp) -> FileResponse:
        """The artifact's folder as one tar (``manifest.json`` and its files), for a read key or an
        app's ingest key."""
        found = await run_in_threadpool(get_artifact, store, key.project_id, artifact_id, settings=settings)
        path = await run_in_threadpool(_tar, found)
        return FileResponse(
            path,
            media_type="application/x-tar",
            filename=f"{found.id}.tar",
            headers={"X-Flyloop-Artifact": found.id},
            background=BackgroundTask(os.unlink, path),
        )

    return router
