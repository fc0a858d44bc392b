"""The HTTP API: ``flyloop serve`` runs :func:`create_app` under uvicorn.

Every route but ``/healthz`` and ``/v1/feedback`` (which takes a signed feedback token, see
:mod:`flyloop.capture.feedback_tokens`) needs an API key (``Authorization: Bearer fl_...`` or
``X-API-Key``), and each key is rate limited (:mod:`flyloop.server.ratelimit`). A key belongs to one
project and carries scopes (ingest, read, admin); the project comes from the key, never from the
request, so a key cannot reach another project's data. Errors are JSON
``{"error", "message", "field"?}`` with a 4xx status; an unexpected exception is logged and answered
500 without internals, and the tests treat any 500 as a bug.

Ingest is acknowledged only after its transaction commits (with SQLite's ``synchronous=FULL``
by default, after fsync), so an acknowledged batch survives ``kill -9``.
"""

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Annotated, Any

import orjson
from fastapi import Body, Depends, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from flyloop import errors, labels
from flyloop.capture import Capture
from flyloop.events import IngestBatch, IngestResult, printable
from flyloop.privacy import PSEUDONYM, pseudonym
from flyloop.privacy import audit_record as record
from flyloop.process import settle_heap
from flyloop.server import background
from flyloop.server.artifacts import artifacts_router
from flyloop.server.dashboard import FORM_PATHS, dashboard_router
from flyloop.server.datasets import datasets_router
from flyloop.server.evaluate import evaluate_router
from flyloop.server.experiments import experiments_router
from flyloop.server.guard import RequestGuard
from flyloop.server.improve import BackgroundRuns, improve_router
from flyloop.server.monitor import monitor_router
from flyloop.server.openapi import describe
from flyloop.server.policies import policies_router
from flyloop.server.privacy import privacy_router
from flyloop.server.ratelimit import RateLimiter
from flyloop.server.registry import registry_router
from flyloop.server.versions import versions_router
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store, hash_secret
from flyloop.version import __version__

log = logging.getLogger("flyloop.server.app")

MAX_KEY_NAME_CHARS = 200
PENDING_HEADER = "X-Flyloop-Labels-Pending"
JsonBody = Annotated[Any, Body()]
STOP_GRACE_S = 2


class ORJSONResponse(JSONResponse):
    """JSON rendered by orjson: several times faster than the standard library on big pages."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)
        except orjson.JSONEncodeError:
            # An answer that quotes what it refuses (a lone surrogate in a field name, an integer
            # past 64 bits) must still render: such text is written with escapes, such a number
            # as its digits in a string.
            return orjson.dumps(_printable(content), option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return str(value)
    if isinstance(value, dict):
        return {printable(k) if isinstance(k, str) else k: _printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(v) for v in value]
    return value


class KeyCache:
    """Looked-up keys for ``ttl`` seconds, so ingest does not hit the keys table per request.
    A revoked key stops working within ``ttl``; :meth:`forget` makes it immediate in-process."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._keys: dict[str, tuple[ApiKey | None, float]] = {}
        self._lock = threading.Lock()

    _MISS = object()

    def cached(self, secret: str) -> Any:
        """The key if it was looked up within ``ttl`` (None: it is unknown), else ``_MISS``."""
        hit = self._keys.get(hash_secret(secret))
        return hit[0] if hit and hit[1] > time.monotonic() else self._MISS

    def get(self, secret: str) -> ApiKey | None:
        found = self.cached(secret)
        if found is not self._MISS:
            return found
        digest, now = hash_secret(secret), time.monotonic()
        key = self.store.find_key(secret)
        with self._lock:
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[digest] = (key, now + self.ttl)
        return key

    def forget(self) -> None:
        with self._lock:
            self._keys.clear()


class _Turns:
    """One at a time, per event loop (an app can be served by more than one, as tests do; an
    asyncio lock belongs to the loop it first waited in)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()

    def here(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock


def _background(
    store: Store, settings: Settings, runs: BackgroundRuns
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """The server's background jobs: the label catch-up (labels follow ingest within about
    ``label_interval_s``) and scheduled retention; on the way out, the loop runs it started in
    the background are cancelled and waited for."""

    @contextlib.asynccontextmanager
    async def run(_app: Any) -> AsyncIterator[None]:
        async with background.jobs(store, settings):
            try:
                yield
            finally:  # a training run in a thread of ours ends cancelled, not 'running' for ever
                await run_in_threadpool(runs.stop, store)

    return run


def create_app(store: Store | None = None, settings: Settings | None = None, capture: Capture | None = None) -> FastAPI:
    settings = settings or Settings()
    store = store or Store(settings.database_url, synchronous=settings.sqlite_synchronous)
    capture = capture or Capture(store, settings)
    keys = KeyCache(store, settings.key_cache_s)
    limiter = RateLimiter(settings.rate_limit, settings.rate_limit_storage)
    runs = BackgroundRuns()

    app = FastAPI(
        title="flyloop",
        version=__version__,
        default_response_class=ORJSONResponse,
        lifespan=_background(store, settings, runs),
        description="The data flywheel for AI products: capture interactions and signals, "
        "curate them, improve and ship.",
    )
    app.state.store = store
    app.state.capture = capture
    app.state.settings = settings
    app.state.keys = keys

    # --- errors -----------------------------------------------------------------------------

    @app.exception_handler(errors.FlyloopError)
    async def _flyloop_error(_request: Request, exc: errors.FlyloopError) -> ORJSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        if isinstance(exc, errors.RateLimited):
            headers = {"Retry-After": str(exc.details.get("retry_after_s", 1))}
        return ORJSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _request_error(_request: Request, exc: RequestValidationError) -> ORJSONResponse:
        first = exc.errors()[0]
        loc = first["loc"]
        field = ".".join(str(p) for p in loc if p not in ("query", "path", "body", "header"))
        # A body that is not an object at all (a JSON list, a number) fails at its root: name it.
        err = errors.ValidationError(first["msg"], field=field or (str(loc[0]) if loc else None))
        return ORJSONResponse(err.to_dict(), status_code=422)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> ORJSONResponse:
        # Starlette's own answers (no such route, a method a path does not take) in our schema.
        name = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HTTPError")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Starlette names the methods of the first route matching the path; a path served
            # by several routes (GET and POST /v1/keys) takes all of theirs.
            headers["Allow"] = ", ".join(sorted(_methods_of(app, _request.scope)))
        return ORJSONResponse(
            {"error": name, "message": str(exc.detail)}, status_code=exc.status_code, headers=headers or None
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> ORJSONResponse:
        log.exception("unexpected error")
        return ORJSONResponse(
            {"error": "InternalError", "message": "unexpected server error; it was logged"}, status_code=500
        )

    # --- auth -------------------------------------------------------------------------------

    # Both checks are coroutines on purpose: FastAPI runs a plain ``def`` dependency in its
    # thread pool, two thread hops per request for what is usually a dictionary look-up. What
    # may wait on I/O (a key not in the cache, a rate-limit store on the network) still goes to
    # the pool, so the event loop never blocks.
    async def authenticate(request: Request) -> ApiKey:
        header = request.headers.get("authorization", "")
        secret = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-key", "")
        if not secret:
            raise errors.AuthError("an API key is required: Authorization: Bearer <key>")
        key = keys.cached(secret)
        if key is KeyCache._MISS:
            key = await run_in_threadpool(keys.get, secret)
        if key is None:
            raise errors.AuthError("unknown or revoked API key")
        if limiter.in_process:
            limiter.check(f"key:{key.id}")
        else:
            await run_in_threadpool(limiter.check, f"key:{key.id}")
        return key

    def scope(name: str) -> Callable[[ApiKey], Awaitable[ApiKey]]:
        async def check(key: Annotated[ApiKey, Depends(authenticate)]) -> ApiKey:
            if not key.allows(name):
                raise errors.PermissionDenied(f"this key lacks the {name!r} scope")
            return key

        return check

    Ingest = Annotated[ApiKey, Depends(scope("ingest"))]
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]

    # --- routes -----------------------------------------------------------------------------

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.post(
        "/v1/ingest",
        tags=["capture"],
        response_model=IngestResult,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngestBatch"}}},
            }
        },
    )
    async def ingest(request: Request, key: Ingest) -> IngestResult:
        """Store a batch of interactions, signals and outcomes, all or nothing. Ids are the
        client's; a batch sent twice is stored once (the second answer counts duplicates)."""
        body = await request.body()  # the request guard has read it already, under the body limit
        if not body:
            raise errors.MalformedBody("the body is empty; send a JSON object with interactions, signals or outcomes")
        if not store.one_writer:
            return await run_in_threadpool(_ingest, key.project_id, body)
        async with ingest_turns.here():
            return await run_in_threadpool(_ingest, key.project_id, body)

    # SQLite takes one writer at a time, so batches wait their turn here, in the event loop,
    # rather than in threads that parse side by side and fight over the GIL: one at a time cut
    # serve's CPU per signal from 21.4 to 16.4 us and left the worker more of the machine
    # (medians of nine interleaved bench_ingest rounds each). PostgreSQL takes concurrent writers; its batches overlap.
    ingest_turns = _Turns()

    def _ingest(project_id: str, body: bytes) -> IngestResult:
        # Parsed on the same worker thread that stores it: the event loop only moves bytes, and
        # the GIL changes hands once per request instead of twice.
        batch = capture.parse(body)
        if len(batch) > settings.max_batch_items:
            raise errors.PayloadTooLarge(
                f"a batch holds at most {settings.max_batch_items} events ({len(batch)} sent)", field="body"
            )
        return capture.ingest(project_id, batch)

    @app.get("/v1/interactions/{interaction_id}", tags=["read"])
    def get_interaction(interaction_id: str, key: Read) -> dict[str, Any]:
        """One interaction with its signals and outcomes."""
        return store.get_interaction(key.project_id, interaction_id)

    @app.get("/v1/interactions", tags=["read"])
    def list_interactions(
        key: Read,
        workload: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        user_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        session_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        since: float | None = None,
        until: float | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """Interactions newest first; pass ``next_cursor`` back as ``cursor`` for the next page."""
        if user_id is not None and not PSEUDONYM.match(user_id):
            user_id = pseudonym(store, key.project_id, user_id)  # the store holds pseudonyms only
        rows, next_cursor = store.list_interactions(
            key.project_id,
            workload=workload,
            user_id=user_id,
            session_id=session_id,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )
        return {"items": rows, "next_cursor": next_cursor}

    @app.get("/v1/status", tags=["read"])
    def status(key: Read) -> dict[str, Any]:
        """Counts, the newest event, and signals still waiting for (or orphaned from) their interaction."""
        return store.status(key.project_id, orphan_window_s=settings.orphan_window_s)

    def _pending(response: Response, project_id: str) -> None:
        # Label reads never write: what ingest stored and the background catch-up has not labelled
        # yet is said in a header (outbox entries waiting), not caught up on by the read.
        response.headers[PENDING_HEADER] = str(labels.pending(store, project_id))

    @app.get("/v1/labels/stats", tags=["labels"])
    def label_stats(key: Read, response: Response, workload: str | None = None) -> dict[str, Any]:
        """Verdicts per workload, edit classes, waiting signals and unattributed outcomes, as
        labelled so far (``X-Flyloop-Labels-Pending``: entries still waiting to be labelled)."""
        _pending(response, key.project_id)
        return labels.stats(store, key.project_id, workload=workload, settings=settings)

    @app.get("/v1/labels/{interaction_id}", tags=["labels"])
    def get_label(interaction_id: str, key: Read, response: Response) -> dict[str, Any]:
        """One interaction's verdict, with each signal's weight and evidence and why any was left out
        (``X-Flyloop-Labels-Pending``: the project's entries still waiting to be labelled)."""
        _pending(response, key.project_id)
        return labels.explain(store, key.project_id, interaction_id, settings=settings)

    @app.post("/v1/labels/recompute", tags=["labels"])
    async def recompute_labels(key: Admin, body: JsonBody = None) -> dict[str, Any]:
        """Relabel every interaction (of one workload) from its stored signals, after a change of
        weights say: ``{"workload"?, "infer"?}``; ``infer`` re-runs attribution and inference first."""
        body = {} if body is None else body
        if not isinstance(body, dict):
            raise errors.ValidationError("the body must be a JSON object with workload and infer", field="body")
        unknown = sorted(set(body) - {"workload", "infer"})
        if unknown:
            raise errors.ValidationError(
                f"unknown fields {', '.join(unknown)}; known: infer, workload", field=unknown[0]
            )
        workload = body.get("workload")
        if workload is not None and (not isinstance(workload, str) or not 1 <= len(workload) <= 200):
            raise errors.ValidationError("workload must be a string of 1 to 200 characters", field="workload")
        infer = body.get("infer", False)
        if not isinstance(infer, bool):
            raise errors.ValidationError("infer must be true or false", field="infer")
        result = await run_in_threadpool(
            labels.recompute, store, key.project_id, workload=workload, infer=infer, settings=settings
        )
        record(store, key.project_id, "labels.recompute", actor=f"key:{key.id}", details={"workload": workload})
        return result.as_dict()

    @app.get("/v1/coverage", tags=["labels"])
    def get_coverage(
        key: Read,
        response: Response,
        workload: str | None = None,
        since: float | None = None,
        until: float | None = None,
    ) -> dict[str, Any]:
        """Per workload: the share of interactions with each kind of signal, and kinds never collected
        (``X-Flyloop-Labels-Pending``: entries whose inferred and attributed signals are still to come)."""
        _pending(response, key.project_id)
        return labels.measure_coverage(store, key.project_id, workload=workload, since=since, until=until)

    @app.post("/v1/keys", tags=["admin"])
    def create_key(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """A new key for this project; the secret is in this answer only: {"scopes", "name"?}."""
        unknown = sorted(set(body) - {"scopes", "name"})
        if unknown:
            raise errors.ValidationError(f"unknown fields {', '.join(unknown)}; known: name, scopes", field=unknown[0])
        scopes = body.get("scopes")
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise errors.ValidationError('scopes must be a list such as ["ingest"]', field="scopes")
        name = body.get("name", "")
        if not isinstance(name, str) or len(name) > MAX_KEY_NAME_CHARS:
            # one limit on both stores (PostgreSQL's column would refuse more, SQLite keep it)
            raise errors.ValidationError(
                f"name must be a string of at most {MAX_KEY_NAME_CHARS} characters", field="name"
            )
        new, secret = store.create_key(key.project_id, scopes, name)
        record(
            store,
            key.project_id,
            "keys.create",
            actor=f"key:{key.id}",
            target=new.id,
            details={"scopes": sorted(new.scopes)},
        )
        return {"id": new.id, "project": new.project_id, "scopes": sorted(new.scopes), "secret": secret}

    @app.get("/v1/keys", tags=["admin"])
    def list_keys(key: Admin) -> dict[str, Any]:
        return {"items": store.list_keys(key.project_id)}

    @app.delete("/v1/keys/{key_id}", tags=["admin"])
    def revoke_key(key_id: str, key: Admin) -> dict[str, Any]:
        store.revoke_key(key.project_id, key_id)
        keys.forget()
        record(store, key.project_id, "keys.revoke", actor=f"key:{key.id}", target=key_id)
        return {"revoked": key_id}

    app.include_router(privacy_router(store, settings, capture, scope))
    app.include_router(datasets_router(store, settings, scope))
    app.include_router(registry_router(store, settings, scope))
    app.include_router(improve_router(store, settings, scope, runs))
    app.include_router(artifacts_router(store, settings, scope))
    app.include_router(evaluate_router(store, settings, scope, runs))
    app.include_router(experiments_router(store, settings, scope))
    app.include_router(versions_router(store, settings, scope))
    app.include_router(policies_router(store, settings, scope))
    app.include_router(monitor_router(store, settings, scope))
    app.include_router(dashboard_router(store, settings, keys.get))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            batch_schema = IngestBatch.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(batch_schema.pop("$defs", {}))
            components["IngestBatch"] = batch_schema
            schema["components"]["securitySchemes"] = {"apiKey": {"type": "http", "scheme": "bearer"}}
            schema["security"] = [{"apiKey": []}]
            describe(schema, key_name_chars=MAX_KEY_NAME_CHARS)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    # Added last, so it runs first: no route, FastAPI's body parsing included, sees a body
    # over its limit or a value no store keeps (see flyloop.server.guard).
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        raw_paths=("/v1/ingest", *FORM_PATHS),  # the dashboard's forms are not JSON
        path_limits={"/v1/feedback": feedback_body_bytes(settings)},
        respond=lambda exc: ORJSONResponse(exc.to_dict(), status_code=exc.status_code),
    )
    origins = [o.strip() for o in str(settings.cors_origins or "").split(",") if o.strip()]
    if origins:
        app.add_middleware(FeedbackCors, origins=origins)
    return app


def _methods_of(app: FastAPI, scope: MutableMapping[str, Any]) -> set[str]:
    from starlette.routing import Match

    methods: set[str] = set()
    for route in app.router.routes:
        route_methods = getattr(route, "methods", None)  # a mount has none
        if route_methods and route.matches(scope)[0] != Match.NONE:
            methods |= set(route_methods)
    return methods


def feedback_body_bytes(settings: Settings) -> int:
    """A browser's feedback body: a payload plus the token and the kind. It takes no API key, so
    its limit is far below the others'."""
    return settings.max_payload_bytes + 8192


class FeedbackCors:
    """CORS for ``/v1/feedback`` only: a page on an allowed origin may post a signal with its
    feedback token; no other route answers a browser's preflight (they take API keys, which
    never belong in a page)."""

    def __init__(self, app: Any, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app, allow_origins=origins, allow_methods=["POST"], allow_headers=["content-type"], max_age=600
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/feedback":
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def serve(settings: Settings | None = None) -> None:
    """Run the API under uvicorn on the configured host and port."""
    import uvicorn

    settings = settings or Settings()
    app = create_app(settings=settings)
    settle_heap()
    # A stop (SIGTERM, Ctrl-C) gives requests in flight STOP_GRACE_S to finish; the background
    # jobs stop as fast (flyloop.server.background). What is not yet labelled is left to the outbox, and a
    # batch not acknowledged was not stored: its sender retries it.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=STOP_GRACE_S,
    )
