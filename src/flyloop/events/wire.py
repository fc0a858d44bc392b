"""The wire shapes of what flyloop captures: interactions, signals, outcomes, and a batch of them.

The same models validate SDK calls, HTTP bodies and CLI input, so a rule holds on every path.
Limits (text length, payload size) come from the settings through the validation context, and a
broken rule becomes a :class:`flyloop.errors.ValidationError` naming the field
(``signals[3].kind``). A batch is all or nothing: one bad item rejects it whole. Numbers are
strict and finite, and no text may hold a NUL or a lone surrogate (PostgreSQL refuses the first,
SQLite would keep it; neither can keep the second), so both stores answer alike.
"""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, NoReturn, Self

import orjson
import pydantic
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationInfo
from pydantic_core import PydanticCustomError

from flyloop import errors
from flyloop.events.kinds import KINDS, RuleError, SignalKind

Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Sources = Literal["user", "app", "inferred", "system"]

DEFAULT_LIMITS = {"max_text_chars": 200_000, "max_payload_bytes": 64_000, "max_clock_skew_s": 300.0}


def _limits(info: ValidationInfo) -> dict[str, Any]:
    return (info.context or {}).get("limits", DEFAULT_LIMITS)


def _chars_unchecked(info: ValidationInfo) -> bool:
    """False when :func:`parse_batch` already knows every string is clean: JSON text carries a
    NUL only as a ``\\u0000`` escape and a lone surrogate not at all (pydantic's parser refuses
    it), so one scan of the body replaces a check per string on the hot path."""
    return not (info.context or {}).get("chars_checked", False)


def _fail(field: str, message: str) -> NoReturn:
    """A broken rule, naming the field inside the event (the path to the event is pydantic's)."""
    raise PydanticCustomError("event_rule", message, {"field": field})


def _char_problem(value: str) -> str | None:
    """Why no store can keep this text, or None. PostgreSQL refuses a NUL character in text
    while SQLite keeps it: both stores refuse it here, before either sees it."""
    if "\x00" in value:
        return "holds a NUL character (\\u0000), which no store keeps in text"
    if not value.isascii():  # isascii is O(1): ASCII text skips the encode
        try:
            value.encode()
        except UnicodeEncodeError:  # a lone surrogate: no store, JSON body or spool can hold it
            return "not valid Unicode text (it holds a lone surrogate)"
    return None


def _text_problem(value: str, limit: int, chars: bool = True) -> str | None:
    if len(value) > limit:
        return f"longer than {limit} characters ({len(value)})"
    return _char_problem(value) if chars else None


def _check_chars(event: BaseModel, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(event, name)
        if value is not None and (problem := _char_problem(value)):
            _fail(name, problem)


MAX_JSON_DEPTH = 64  # for request bodies (flyloop.server.guard); events' metadata and payloads go to orjson's own
_ORJSON_MAX_DEPTH = 254


def printable(text: str) -> str:
    """``text`` as it can be shown in an error: a lone surrogate or a NUL written as an escape."""
    return text.encode("utf-8", "backslashreplace").decode().replace("\x00", "\\u0000")


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{printable(key)}" if path else printable(key)


def _under(field: str, path: str) -> str:
    return field + path if not path or path.startswith("[") else f"{field}.{path}"


def json_problem(value: Any, path: str = "", depth: int = 0, max_depth: int = MAX_JSON_DEPTH) -> tuple[str, str] | None:
    """Where a decoded JSON value holds what no store keeps, and what it is: a NUL character or
    a lone surrogate in a string or a key, NaN or an infinity, nesting deeper than
    ``max_depth``. None when the value is clean. Paths read like ``config.workloads[0]``."""
    if isinstance(value, str):
        problem = _char_problem(value)
        return (path, problem) if problem else None
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, "must be a finite number (NaN and Infinity are not JSON)")
    if isinstance(value, (dict, list)):
        if depth >= max_depth:
            return path, f"nested deeper than {max_depth} levels"
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            where = _join(path, key)
            if isinstance(key, str) and (problem := _char_problem(key)):
                return where, f"its key {problem}"
            found = json_problem(item, where, depth + 1, max_depth)
            if found:
                return found
    return None


def _check_text(field: str, value: str | None, limits: dict[str, Any], chars: bool = True) -> None:
    if value is not None:
        problem = _text_problem(value, limits["max_text_chars"], chars)
        if problem:
            _fail(field, problem)


def _check_json_size(field: str, value: Any, limits: dict[str, Any]) -> None:
    if not value:  # {} and [] are small; most events carry nothing here
        return
    limit = limits["max_payload_bytes"]
    try:
        dumped = orjson.dumps(value)
    except orjson.JSONEncodeError as exc:  # a set, an object, a lone surrogate: a 422, not a crash
        found = json_problem(value, max_depth=_ORJSON_MAX_DEPTH)
        if found:
            _fail(_under(field, found[0]), found[1])
        _fail(field, f"cannot be stored as JSON: {exc}")
    # orjson writes NaN and the infinities as null and a NUL as \u0000: only a dump holding
    # either is walked (rarely: most metadata holds neither), so clean events pay two scans.
    if b"null" in dumped or b"\\u0000" in dumped:
        found = json_problem(value, max_depth=_ORJSON_MAX_DEPTH)
        if found:
            _fail(_under(field, found[0]), found[1])
    if len(dumped) > limit:
        _fail(field, f"larger than {limit} bytes as JSON ({len(dumped)})")


def _settle_ts(event: BaseModel, limits: dict[str, Any]) -> None:
    """Turn the event's ``ts`` into epoch seconds and refuse one too far ahead.

    A number is epoch seconds, or milliseconds past 2e10 (as pydantic reads a number given for a
    datetime); a string is an ISO 8601 date-time; a naive one is UTC. A clock far ahead would put
    an event after everything that follows it; such a stamp is refused (the sender can fix its
    clock), never stored to mislabel later."""
    ts = event.ts  # type: ignore[attr-defined]
    if ts is None:
        return
    if isinstance(ts, datetime):
        ts = to_epoch(ts)
    elif not -_MILLISECONDS_FROM <= ts <= _MILLISECONDS_FROM:
        ts = ts / 1000.0
    if ts < 0:  # the datetime branch takes any number pydantic can read as a date
        _fail("ts", "before 1970-01-01 (epoch seconds must be 0 or more)")
    skew = limits.get("max_clock_skew_s", DEFAULT_LIMITS["max_clock_skew_s"])
    if ts > time.time() + skew:
        _fail("ts", f"in the future by more than the allowed clock skew of {skew:g} s")
    object.__setattr__(event, "ts", ts)


def to_epoch(value: datetime | float | None) -> float | None:
    """UTC epoch seconds; a naive datetime is taken as UTC."""
    if value is None or isinstance(value, (int, float)):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


# Epoch seconds (a JSON number, validated in compiled code: the common case; pydantic's datetime
# from a number cost about 2.8 us more per signal) or an ISO 8601 date-time; events hold epoch
# seconds after validation. A stamp lies between 1970 and the clock skew past now (-1e308 and
# 1e308 are refused, never stored).
Timestamp = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)] | datetime
# Numbers are strict: "5" and true are not numbers, NaN and the infinities are not JSON.
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0, le=2_147_483_647)]
# A classmethod read off its class is a bound method; mypy types it as a plain callable.
_BASE_CHECK = SignalKind.check.__func__  # type: ignore[attr-defined]
_MILLISECONDS_FROM = 2e10  # a timestamp this large (either sign) is milliseconds, as pydantic reads one


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "user", "assistant", "tool"]
    content: str


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InteractionIn(_Event):
    """One input and output of a workload, as the app saw it."""

    id: Id
    workload: Name
    input: str | list[Message]
    output: str | None = None
    user_id: Annotated[str, Field(max_length=200)] | None = None
    session_id: Annotated[str, Field(max_length=200)] | None = None
    ts: Timestamp | None = None
    policy_version: Annotated[str, Field(max_length=200)] | None = None
    latency_ms: Annotated[Number, Field(ge=0)] | None = None
    # Bounded by the INTEGER column (32 bits on PostgreSQL; SQLite overflows past 64): a larger
    # count is a 422 naming the field, never a 500 from the driver.
    tokens_in: Count | None = None
    tokens_out: Count | None = None
    cost: Annotated[Number, Field(ge=0)] | None = None
    context_ids: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=1000)
    metadata: dict[str, Any] = Field(default_factory=dict)
    join_key: Annotated[str, Field(max_length=200)] | None = None
    # The user's consent as the app knows it at this moment (see flyloop.privacy.consent); the privacy
    # gate records the most restrictive of this and the user's stored state.
    consent: Literal["full", "no_training", "no_content"] | None = None

    # One validator for every rule that compiled constraints cannot say: one Python call per
    # event, not one per field (ingest validates hundreds of thousands of events a minute).
    @pydantic.model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        limits = _limits(info)
        _settle_ts(self, limits)
        chars = _chars_unchecked(info)
        if chars:
            _check_chars(self, ("workload", "user_id", "session_id", "policy_version", "join_key"))
            for n, context_id in enumerate(self.context_ids):
                if problem := _char_problem(context_id):
                    _fail(f"context_ids[{n}]", problem)
        _check_text("output", self.output, limits, chars)
        if isinstance(self.input, str):
            _check_text("input", self.input, limits, chars)
        elif not self.input:
            _fail("input", "a chat input needs at least one message")
        else:
            for n, message in enumerate(self.input):
                _check_text(f"input[{n}].content", message.content, limits, chars)
        _check_json_size("metadata", self.metadata, limits)
        return self


class SignalIn(_Event):
    """An event about one interaction; its ``kind`` must be registered in :mod:`flyloop.events.kinds`."""

    id: Id
    interaction_id: Id
    kind: str
    value: Number | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    source: Sources = "user"
    actor: Annotated[str, Field(max_length=200)] | None = None
    ts: Timestamp | None = None
    overrides: Id | None = None

    @pydantic.model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        kind = KINDS.get(self.kind)
        if kind is None:
            _fail("kind", f"unknown signal kind {self.kind!r}; known kinds: {', '.join(sorted(KINDS))}")
        limits = _limits(info)
        ts = self.ts
        # The common case inline (ingest validates every signal of every batch here): seconds,
        # well before now. Anything else takes the general path.
        if ts is not None and not (ts.__class__ is float and -_MILLISECONDS_FROM <= ts < time.time()):
            _settle_ts(self, limits)
        if self.actor is not None and _chars_unchecked(info):
            _check_chars(self, ("actor",))
        payload = self.payload
        if payload:
            _check_json_size("payload", payload, limits)
            for key in ("text", "chosen"):
                if isinstance(payload.get(key), str):
                    _check_text(f"payload.{key}", payload[key], limits)
        if kind.check.__func__ is not _BASE_CHECK:  # type: ignore[attr-defined]  # most kinds have no rule of their own
            try:
                value, payload = kind.check(self.value, dict(payload))
            except RuleError as exc:  # keep the field the rule names, for signals[3].value
                _fail(exc.field, str(exc))
            object.__setattr__(self, "value", value)
            object.__setattr__(self, "payload", payload)
        return self


class OutcomeIn(_Event):
    """A downstream result (task done, reply received, purchase), possibly hours later. It names
    the interaction it belongs to, or a ``join_key`` the app also set on interactions."""

    id: Id
    name: Name
    value: Number | None = None
    interaction_id: Id | None = None
    join_key: Annotated[str, Field(max_length=200)] | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    ts: Timestamp | None = None

    @pydantic.model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        if (self.interaction_id is None) == (self.join_key is None):
            raise ValueError("an outcome needs exactly one of interaction_id or join_key")
        limits = _limits(info)
        _settle_ts(self, limits)
        if _chars_unchecked(info):
            _check_chars(self, ("name", "join_key"))
        _check_json_size("payload", self.payload, limits)
        return self


class IngestBatch(BaseModel):
    """What one ingest call carries. Interactions, signals and outcomes may come in any mix."""

    # Only keys repeat from event to event: caching every string value (ids, texts) costs more
    # than it saves.
    model_config = ConfigDict(extra="forbid", cache_strings="keys")
    interactions: list[InteractionIn] = Field(default_factory=list)
    signals: list[SignalIn] = Field(default_factory=list)
    outcomes: list[OutcomeIn] = Field(default_factory=list)

    @pydantic.model_validator(mode="after")
    def _one_content_per_id(self) -> Self:
        """Identical copies of an event in one batch are one event (a retried send); two
        different events under one id are a client bug, refused rather than one of them dropped."""
        for part in ("interactions", "signals", "outcomes"):
            events = getattr(self, part)
            if len(events) < 2 or len({event.id for event in events}) == len(events):
                continue
            first: dict[str, int] = {}
            for n, event in enumerate(events):
                seen = first.setdefault(event.id, n)
                if seen != n and events[seen] != event:
                    _fail(
                        f"{part}[{n}].id",
                        f"{part}[{seen}] and {part}[{n}] share the id {event.id!r} but differ; "
                        "an id names one event (identical copies count as a duplicate)",
                    )
        return self

    def __len__(self) -> int:
        return len(self.interactions) + len(self.signals) + len(self.outcomes)


class IngestResult(BaseModel):
    """What the store did with a batch. ``duplicates`` were already stored and left as they were."""

    interactions: int = 0
    signals: int = 0
    outcomes: int = 0
    duplicates: int = 0


# pydantic names the branch of a union it tried (``ts.float``, ``input.list[Message]``): nothing
# a reader needs, so the path leaves them out.
_UNION_BRANCHES = frozenset({"str", "float", "constrained-float", "datetime", "list[Message]"})


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in _UNION_BRANCHES:
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


def translate(exc: pydantic.ValidationError) -> errors.ValidationError:
    """A pydantic error as flyloop's, naming the first broken field and listing all of them."""
    problems: dict[str, str] = {}
    for item in exc.errors(include_url=False, include_input=False):
        if item["type"] == "json_invalid":
            raise errors.MalformedBody(f"the body is not valid JSON: {item['ctx'].get('error', item['msg'])}")
        message = item["msg"].removeprefix("Value error, ")
        path = _field_path(item["loc"])
        if item["type"] == "event_rule":
            path = f"{path}.{item['ctx']['field']}" if path else item["ctx"]["field"]
        # A value no branch of a union took fails once per branch; the last branch (a datetime
        # for ``ts``, a message list for ``input``) says best what was expected.
        problems.pop(path, None)
        problems[path] = message
    listed = [{"field": path, "message": message} for path, message in problems.items()]
    first = listed[0]
    summary = first["message"] if len(listed) == 1 else f"{first['message']} (and {len(listed) - 1} more problems)"
    return errors.ValidationError(summary, field=first["field"] or None, problems=listed[:50])


def parse_batch(body: bytes | str | dict[str, Any], limits: dict[str, float] | None = None) -> IngestBatch:
    """Validate a batch from JSON text or a dict; raises :class:`flyloop.errors.ValidationError`."""
    context: dict[str, Any] = {"limits": limits or DEFAULT_LIMITS}
    if isinstance(body, bytes):
        if b"\\u0000" in body:  # rare: find the field (or learn it was an escaped backslash)
            problem = body_problem(body)
            if problem:
                raise problem
        context["chars_checked"] = True
    try:
        if isinstance(body, dict):
            return IngestBatch.model_validate(body, context=context)
        return IngestBatch.model_validate_json(body, context=context)
    except pydantic.ValidationError as exc:
        try:
            error = translate(exc)
        except errors.MalformedBody as malformed:
            # pydantic's parser refuses a lone surrogate escape as broken JSON; it is JSON, with
            # a string no store can keep, so the answer names where it is.
            error = (None if isinstance(body, dict) else body_problem(body)) or malformed
    raise error


def body_problem(body: bytes | str) -> errors.ValidationError | None:
    """A 422 naming the first value of a JSON body that no store keeps (see
    :func:`json_problem`), when the body is JSON that Python's lenient parser reads; else None."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    found = json_problem(value)
    if found is None:
        return None
    return errors.ValidationError(found[1], field=found[0] or None)
