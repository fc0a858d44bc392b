"""How the project handle reaches a project: :class:`Local` (a store this process opened) or
:class:`Remote` (a flyloop server, through the SDK's HTTP client), with what both modes share
before either is called: arguments checked alike (``check_*``), an API path built from an app's
ids, a body sent as JSON only when JSON can carry it, and an API answer turned back into the
flyloop error the server raised (:func:`answer_error`); and the :class:`Namespace` every stage's
verbs stand on, with :class:`AsyncNamespace` awaiting them."""

from __future__ import annotations

import asyncio
import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson

from flyloop import errors
from flyloop.settings import Settings

if TYPE_CHECKING:
    import httpx

    from flyloop.datasets import DatasetVersion, ExportResult
    from flyloop.store import Store


# --- transports --------------------------------------------------------------------------------


@dataclass
class Local:
    """The project in a store this process opened: verbs call the stages' functions."""

    store: Store
    project: str
    settings: Settings
    actor: str = "library"  # who the audit log names for what the verbs change
    spool_dir: Path | None = None  # this machine's SDK spool of the project, which erasure reaches


class Remote:
    """The project behind a flyloop server: verbs call its API with the key the client holds.

    ``sink`` is anything with an ``httpx.Client`` as ``.client`` (the SDK's HTTP sink), read on
    every call so the client and the sender share one connection pool."""

    def __init__(self, sink: Any, project: str, settings: Settings, spool_dir: Path | None = None) -> None:
        self.sink = sink
        self.project = project  # for messages only: the server takes the project from the key
        self.settings = settings
        self.spool_dir = spool_dir

    def fetch(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        wait_s: float | None = None,
    ) -> httpx.Response:
        """The raw answer to one call; a non-200 is raised as the flyloop error it stands for.
        ``wait_s``: how long to wait for the answer when the server works inside the request (a
        bank build, a loop run), instead of the SDK's timeout; connecting still takes no longer."""
        import httpx

        client: httpx.Client = self.sink.client
        query = {k: v for k, v in (params or {}).items() if v is not None}
        content = _json_body(body) if body is not None else None
        extra: dict[str, Any] = {}
        if wait_s is not None:
            quick = self.settings.sdk_timeout_s
            extra["timeout"] = (quick, wait_s, quick, quick)  # (connect, read, write, pool): any client takes a tuple
        try:
            # Built, then sent: the request carries its own timeout without touching the client's.
            request = client.build_request(
                method,
                path,
                params=query or None,
                content=content,
                headers={"Content-Type": "application/json"},
                **extra,
            )
            response = client.send(request)
        except httpx.HTTPError as exc:
            raise errors.TransportError(f"server unreachable: {exc}") from exc
        if response.status_code != 200:
            raise answer_error(response)
        return response

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        wait_s: float | None = None,
    ) -> Any:
        return self.fetch(method, path, params=params, body=body, wait_s=wait_s).json()


Transport = Local | Remote


def _json_body(body: Any) -> bytes:
    """``body`` as JSON, refused as the library would refuse it rather than changed on the way:
    orjson writes NaN and infinities as null (a retention of NaN days would arrive as "keep
    forever") and cannot write an integer past 64 bits (a TypeError)."""
    where = _not_finite(body, "")
    if where is not None:
        path, value = where
        raise errors.ValidationError(
            f"{path or 'the value'} must be a finite number, not {value!r}", field=path or None
        )
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError as exc:
        raise errors.ValidationError(f"the request cannot be sent as JSON: {exc}", field="body") from None


def _not_finite(value: Any, path: str) -> tuple[str, float] | None:
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, value)
    if isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _not_finite(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


# Every error the server can name in its body ({"error": "NotFound", ...}), back to its class.
_ERRORS: dict[str, type[errors.FlyloopError]] = {
    cls.__name__: cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.FlyloopError) and cls is not errors.FlyloopError
}
# An answer without a flyloop body (a proxy's, an older server's) still maps by its status.
_BY_STATUS: dict[int, type[errors.FlyloopError]] = {
    400: errors.MalformedBody,
    401: errors.AuthError,
    403: errors.PermissionDenied,
    404: errors.NotFound,
    409: errors.Conflict,
    413: errors.PayloadTooLarge,
    422: errors.ValidationError,
    429: errors.RateLimited,
}


def answer_error(response: httpx.Response) -> errors.FlyloopError:
    """The flyloop error an API answer carries, with its message, field and details as the
    server raised them, so a caller catches the same error in both modes."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"message": response.text[:200]}
    status = response.status_code
    message = str(body.get("message") or f"the server answered {status}")
    cls = _ERRORS.get(str(body.get("error"))) or _BY_STATUS.get(status)
    if cls is None:  # 5xx: nothing the request did wrong; it may be retried
        return errors.TransportError(f"server answered {status}: {message}")
    raw = body.get("details")
    details: dict[str, Any] = raw if isinstance(raw, dict) else {}
    field = body.get("field") if isinstance(body.get("field"), str) else None
    return cls(message, field=field, **{k: v for k, v in details.items() if k not in ("message", "field")})


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(value: Any, field: str) -> str:
    """A verb's string argument, checked before either transport sees it: a wrong type is the same
    ValidationError in both modes, not a TypeError from deep in a stage or from quoting a URL."""
    if not isinstance(value, str):
        raise errors.ValidationError(f"{field} must be a string, not {type(value).__name__}", field=field)
    # What the server's guard refuses in a path, query or body, refused here too: a lone surrogate
    # cannot even be encoded (a UnicodeEncodeError from the driver or the URL), PostgreSQL refuses a NUL.
    if "\x00" in value or (not value.isascii() and _SURROGATE.search(value)):
        raise errors.ValidationError(
            f"{field} holds a NUL character or a lone surrogate, which no store keeps in text", field=field
        )
    return value


def check_filters(**given: Any) -> None:
    """Optional filters checked alike in both modes (locally a wrong type matched nothing, or
    everything): a time bound is epoch seconds, a flag a bool, the rest text."""
    for field, value in given.items():
        if value is None:
            continue
        if field in ("since", "until"):
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise errors.ValidationError(
                    f"{field} must be a number of epoch seconds, not {type(value).__name__}", field=field
                )
        elif field == "infer":
            if not isinstance(value, bool):
                raise errors.ValidationError(f"{field} must be true or false, not {type(value).__name__}", field=field)
        else:
            check_text(value, field)


def check_segment(value: Any, field: str) -> str:
    """A name or id that travels as one segment of an API path, refused alike in both modes when it
    cannot: empty, or holding a '/' (a server decodes ``%2F`` before routing, so such a value would
    reach another route, or none), which no workload name or stored id holds."""
    check_text(value, field)
    if not value.strip() or "/" in value:
        raise errors.ValidationError(f"{field} must be a non-empty name without '/', not {value!r}", field=field)
    return value


def check_number(value: Any, field: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise errors.ValidationError(f"{field} must be a finite number, not {value!r}", field=field)
    return value


def check_whole(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise errors.ValidationError(f"{field} must be a whole number, not {type(value).__name__}", field=field)
    return value


def api_path(*parts: str) -> str:
    # ids are the app's: any character, escaped so a '/' or '?' in one stays in its segment
    return "/" + "/".join(quote(p, safe="") for p in parts)


# --- a remote answer made the library's object --------------------------------------------------


def remote_version(found: Mapping[str, Any]) -> DatasetVersion:
    """A version from what ``GET /v1/datasets/{ref}`` answers: its manifest (which repeats the
    version's columns) with its taint state."""
    from flyloop.datasets import DatasetVersion

    manifest = {k: v for k, v in found.items() if k not in ("tainted", "tainted_at", "taint_reason")}
    return DatasetVersion(
        manifest["id"],
        manifest["name"],
        manifest.get("parent_id"),
        manifest["created_at"],
        manifest["code_version"],
        manifest.get("config") or {},
        manifest,
        manifest.get("counts") or {},
        found.get("tainted_at"),
        found.get("taint_reason"),
    )


def remote_export(
    remote: Remote,
    ref: str,
    target: str,
    path: Path,
    *,
    fmt: str | None,
    splits: Sequence[str] | None,
    params: dict[str, Any],
    overwrite: bool,
) -> ExportResult:
    """An export through the server: its rows, written here by the same functions as a local export."""
    from flyloop.datasets import plan_out, write_files

    # The same files as a local export, planned and written by the same functions: only the
    # rows come from the server (after its taint and consent checks).
    path, as_file, fmt, splits = plan_out(path, target, fmt, splits)
    # Rows always travel as JSON lines: Parquet is written here, from them, like a local export.
    response = remote.fetch(
        "GET",
        api_path("v1", "datasets", ref, "export", target),
        params={**params, "split": splits, "format": "jsonl"},
    )
    parts: dict[str, list[dict[str, Any]]] = {}
    for line in response.content.splitlines():
        if line:
            row = orjson.loads(line)
            parts.setdefault(row.pop("split"), []).append(row)
    version_id = response.headers["X-Flyloop-Dataset"]
    check = json.loads(response.headers["X-Flyloop-Export"])
    version = remote_version(remote.call("GET", api_path("v1", "datasets", version_id)))
    return write_files(
        path,
        as_file,
        check["target"],  # the server's name for it: preference is written as dpo
        fmt,
        parts,
        version,
        check,
        lambda: remote.call("GET", api_path("v1", "datasets", version_id, "lineage")),
        overwrite=overwrite,
    )


# --- what a stage's verbs stand on ----------------------------------------------------------


class Namespace:
    """A stage's verbs over one transport."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    @property
    def _local(self) -> Local | None:
        return self._transport if isinstance(self._transport, Local) else None

    @property
    def _remote(self) -> Remote:
        assert isinstance(self._transport, Remote)
        return self._transport

    def _local_only(self, verb: str, why: str) -> Local:
        local = self._local
        if local is None:
            raise errors.ConfigError(f"{verb} runs where the store is, not through a server: {why}")
        return local


class AsyncNamespace:
    """A namespace whose verbs are awaited: each runs in a worker thread, off the event loop."""

    def __init__(self, namespace: Namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> Callable[..., Any]:
        verb = getattr(self._namespace, name)

        @functools.wraps(verb)
        async def run(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(verb, *args, **kwargs)

        return run
