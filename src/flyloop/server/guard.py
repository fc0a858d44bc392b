"""What every HTTP request passes before a route sees it (an ASGI middleware of
:func:`flyloop.server.app.create_app`), so no route can forget a rule:

- **Size, as bytes arrive.** A body declared or streamed past its limit is answered 413 as soon
  as the limit is crossed; the rest is never read, so a chunked body of any size costs at most
  the limit in memory. Each path may have a limit of its own (``/v1/feedback`` takes no key,
  so its bodies are small).
- **Text every store keeps.** A NUL character (PostgreSQL refuses it, SQLite would keep it) in
  the path or a query parameter, and in a JSON body a NUL, a lone surrogate, NaN, an infinity or
  nesting deeper than :data:`flyloop.events.wire.MAX_JSON_DEPTH`, is a 422 naming the field, the
  same on both stores, before any route or store sees the value.
- **JSON whatever the content type.** A body that parses as JSON is JSON: ``curl -d`` sends
  ``application/x-www-form-urlencoded`` and ``navigator.sendBeacon`` sends ``text/plain``; both
  reach the route as ``application/json``. A body that is not JSON is a 400.

Paths in ``raw_paths`` (ingest: large bodies its own models validate in compiled code) keep
only the size rule.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

import orjson

from flyloop import errors
from flyloop.events import json_problem, printable

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Respond = Callable[[errors.FlyloopError], Any]


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        respond: Respond,
        path_limits: dict[str, int] | None = None,
        raw_paths: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.path_limits = path_limits or {}
        self.raw_paths = frozenset(raw_paths)
        self.respond = respond  # the app's own error rendering, so every answer has one schema

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _check_target(scope)
            limit = self.path_limits.get(scope["path"], self.max_body_bytes)
            body, disconnected = await _read(scope, receive, limit)
            if disconnected:
                return  # the client went away; nobody is left to answer
            if body and scope["path"] not in self.raw_paths:
                _check_json(body)
                scope = _as_json(scope)
        except errors.FlyloopError as exc:
            await self.respond(exc)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _check_target(scope: Scope) -> None:
    if "\x00" in scope["path"]:
        raise errors.ValidationError("the path holds a NUL character (%00), which no store keeps in text", field="path")
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                raise errors.ValidationError(
                    "holds a NUL character (%00), which no store keeps in text", field=printable(name)
                )


async def _read(scope: Scope, receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole body (at most ``limit`` bytes read), and whether the client disconnected."""
    declared = _header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise errors.PayloadTooLarge(f"the body is {int(declared)} bytes; the limit is {limit}", field="body")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"", True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:  # answered now: the rest of the body is never read
            raise errors.PayloadTooLarge(f"the body is over the limit of {limit} bytes", field="body")
        if chunk:
            chunks.append(chunk)
        if not message.get("more_body", False):
            return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), False


def _check_json(body: bytes) -> None:
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        # orjson refuses NaN, the infinities and lone surrogates as it refuses broken JSON;
        # Python's parser reads them, so the answer can name the field that holds one.
        try:
            value = json.loads(body)
        except RecursionError:
            raise errors.MalformedBody("the body is not valid JSON: nested too deeply") from None
        except ValueError:
            raise errors.MalformedBody(f"the body is not valid JSON: {exc}") from None
    found = json_problem(value)
    if found:
        raise errors.ValidationError(found[1], field=found[0] or "body")


def _as_json(scope: Scope) -> Scope:
    content_type = _header(scope, b"content-type") or ""
    if content_type.split(";")[0].strip().lower() == "application/json":
        return scope
    headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
    return {**scope, "headers": [*headers, (b"content-type", b"application/json")]}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body, once, then whatever the server says next (a disconnect, when it comes)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
