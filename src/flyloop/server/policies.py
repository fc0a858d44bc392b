"""HTTP routes that serve policies to apps, for the SDK's policy cache and for apps in other languages:

- ``GET /v1/policies/{workload}?user_id=``: the version to run (its whole definition), why it was
  chosen, and its bank's revision; an ``ETag``, and 304 to a matching ``If-None-Match``.
- ``POST /v1/policies/{workload}/resolve`` ``{"input", "user_id"?, "variables"?, "k"?, "version"?,
  "messages"?}``:
  the version with the messages to send for this input (system prompt, retrieved examples, the
  input) and the ids of the examples in them; ``version`` renders a given version of the
  workload instead of resolving one (what the SDK asks when the bank cannot be searched on its side).
- ``GET /v1/banks/{bank_id}/download``: a bank's live examples and their vectors in one NumPy
  ``.npz`` (what the SDK keeps on disk and searches there); the ``ETag`` is the bank's revision.

An app's key reads them: the ingest scope (what an app holds; admin implies it).
"""

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from flyloop import errors
from flyloop.rollout import (
    Resolution,
    bank_download,
    check_input,
    check_k,
    check_user,
    check_workload,
    examples,
    render,
    resolve,
)
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

RESOLVE_FIELDS = ("input", "user_id", "variables", "k", "version", "messages")


def matches(request: Request, etag: str) -> bool:
    """Whether the client's ``If-None-Match`` names ``etag`` (a list, ``*``, or a weak form)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


class Resolutions:
    """What this server resolved lately, per project and workload, reused for
    ``policy_server_cache_s``: the registry is read once a second, not per request (three reads,
    half of a resolve request's work). A stage move or an erasure shows within that time, as a
    loaded bank's erasures do. Experiments will make the choice per user: then this keeps the
    workload's plan, and the user's arm is drawn from it per request."""

    LIMIT = 10_000  # workloads remembered before the memory starts over

    def __init__(self, store: Store, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._found: dict[tuple[str, str], tuple[float, Resolution]] = {}

    def resolve(self, project_id: str, workload: str, user_id: str | None) -> Resolution:
        if self.ttl <= 0:
            return resolve(self.store, project_id, workload, user_id)
        now = time.monotonic()
        hit = self._found.get((project_id, workload))
        if hit is not None and hit[0] > now and (not hit[1].per_user or hit[1].user_id == user_id):
            check_user(user_id)
            return hit[1] if hit[1].user_id == user_id else replace(hit[1], user_id=user_id)
        found = resolve(self.store, project_id, workload, user_id)
        if len(self._found) >= self.LIMIT:
            self._found.clear()
        self._found[(project_id, workload)] = (now + self.ttl, found)
        return found


def policies_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(tags=["policies"])
    resolutions = Resolutions(store, settings.policy_server_cache_s)
    # The app's key: ingest is what an app holds (admin implies it). A read key (a dashboard's)
    # reads versions through the registry's routes, not these.
    AppKey = Annotated[ApiKey, Depends(scope("ingest"))]

    @router.get("/v1/policies/{workload}", response_model=None)
    def get_policy(workload: str, key: AppKey, request: Request, user_id: str | None = None) -> Response:
        """The version ``user_id`` runs for ``workload`` (404 naming an unknown workload, or one with
        no production version), its bank's revision and the reason it was chosen. ``ETag``: the
        version and bank revision; a matching ``If-None-Match`` is answered 304 with no body."""
        found = resolutions.resolve(key.project_id, workload, check_user(user_id))
        headers = {"ETag": found.etag, "Cache-Control": "no-cache"}
        if matches(request, found.etag):
            return Response(status_code=304, headers=headers)
        return _json(found.as_dict(), headers)

    @router.post("/v1/policies/{workload}/resolve", response_model=None)
    async def resolve_policy(workload: str, key: AppKey, body: dict[str, Any]) -> Response:
        """The version with the messages it sends for ``input`` and the ids of the examples in them:
        ``{"workload", "reason", "version", "messages", "example_ids", "examples"}``. ``variables``:
        the template's declared variables; ``k``: examples to retrieve (0 to 50; the version's by
        default); ``version``: render this version of the workload instead of resolving one;
        ``messages``: false for the examples alone (no variables needed)."""
        unknown = sorted(set(body) - set(RESOLVE_FIELDS))
        if unknown:
            raise errors.ValidationError(
                f"unknown field {unknown[0]!r}; known: {', '.join(sorted(RESOLVE_FIELDS))}", field=unknown[0]
            )
        if "input" not in body:
            raise errors.ValidationError("input is required: the text or chat messages to answer", field="input")
        input = check_input(body["input"])
        user_id = check_user(body.get("user_id"))
        variables = body.get("variables") or {}
        if not isinstance(variables, dict):
            raise errors.ValidationError("variables must be an object of the template's variables", field="variables")
        k = body.get("k")
        if k is not None:
            check_k(k)
        asked = body.get("version")
        if asked is not None and (not isinstance(asked, str) or not asked):
            raise errors.ValidationError("version must be a policy version id", field="version")
        wanted = body.get("messages", True)
        if not isinstance(wanted, bool):
            raise errors.ValidationError("messages must be true or false", field="messages")
        check_workload(workload)
        answer = await run_in_threadpool(
            _resolve, key.project_id, workload, input, user_id, variables, k, asked, wanted
        )
        return _json(answer)

    def _resolve(
        project_id: str,
        workload: str,
        input: Any,
        user_id: str | None,
        variables: dict[str, Any],
        k: int | None,
        asked: str | None,
        wanted: bool,
    ) -> dict[str, Any]:
        if asked is None:
            found = resolutions.resolve(project_id, workload, user_id)
            version, reason = found.version, found.reason
        else:
            from flyloop.registry import get_version

            version, reason = get_version(store, project_id, asked), "asked"
            if version.workload != workload:
                raise errors.NotFound(f"version {asked!r} is not a version of workload {workload!r}", field="version")
        if wanted:
            sent = render(store, project_id, version, input, variables=variables, k=k, settings=settings)
            shown, messages = sent.examples, sent.messages
        else:  # the examples only: the SDK renders its messages itself
            shown, messages = examples(store, project_id, version, input, k, settings=settings), []
        return {
            "workload": workload,
            "reason": reason,
            "version": version.model_dump(mode="json"),
            "messages": messages,
            "example_ids": [e.id for e in shown],
            "examples": [_example(e) for e in shown],
        }

    @router.get("/v1/banks/{bank_id}/download")
    def download_bank(bank_id: str, key: AppKey, request: Request) -> Response:
        """A bank's live examples and their vectors, one NumPy ``.npz`` (arrays ``vectors``, float32
        rows in the order of ``examples``, and ``examples``, JSON as bytes). ``ETag``: the bank's
        revision (its id and the count of examples erasure took out); 304 to a match."""
        ref, payload = bank_download(store, key.project_id, bank_id, settings)
        etag = f'"{ref.revision}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache", "X-Flyloop-Bank-Revision": ref.revision}
        if matches(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(payload, media_type="application/octet-stream", headers=headers)

    return router


def _json(content: Any, headers: dict[str, str] | None = None) -> Response:
    # Rendered here rather than by FastAPI: its jsonable_encoder walk of a resolve answer cost more
    # than the rest of the route's own work (150 us of the messages and examples, against 2 for orjson).
    return Response(orjson.dumps(content), media_type="application/json", headers=headers)


def _example(example: Any) -> dict[str, Any]:
    return {
        "id": example.id,
        "interaction_id": example.interaction_id,
        "input": example.input,
        "output": example.output,
        "label": example.label,
        "quality": example.quality,
        "score": example.score,
    }
