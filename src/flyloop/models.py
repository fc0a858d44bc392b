"""The wire shapes of what flyloop captures: interactions, signals, outcomes, and a batch of them.

The same models validate SDK calls, HTTP bodies and CLI input, so a rule holds on every path.
Limits (text length, payload size) come from the settings through the validation context, and a
broken rule becomes a :class:`flyloop.errors.ValidationError` naming the field
(``signals[3].kind``). A batch is all or nothing: one bad item rejects it whole.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

import orjson
import pydantic
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from . import errors
from .signals import KINDS, RuleError

Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Sources = Literal["user", "app", "inferred", "system"]

DEFAULT_LIMITS = {"max_text_chars": 200_000, "max_payload_bytes": 64_000, "max_clock_skew_s": 300.0}


def _limits(info: ValidationInfo) -> dict[str, int]:
    return (info.context or {}).get("limits", DEFAULT_LIMITS)


def _check_text(value: str | None, info: ValidationInfo) -> str | None:
    limit = _limits(info)["max_text_chars"]
    if value is not None and len(value) > limit:
        raise ValueError(f"longer than {limit} characters ({len(value)})")
    if value is not None and not value.isascii():  # isascii is O(1): ASCII text skips the encode
        try:
            value.encode()
        except UnicodeEncodeError:  # a lone surrogate: no store, JSON body or spool can hold it
            raise ValueError("not valid Unicode text (it holds a lone surrogate)") from None
    return value


def _check_json_size(value: Any, info: ValidationInfo) -> Any:
    limit = _limits(info)["max_payload_bytes"]
    try:
        size = len(orjson.dumps(value))
    except orjson.JSONEncodeError as exc:  # a set, an object, a lone surrogate: a 422, not a crash
        raise ValueError(f"cannot be stored as JSON: {exc}") from None
    if size > limit:
        raise ValueError(f"larger than {limit} bytes as JSON ({size})")
    return value


def _check_not_future(value: datetime | None, info: ValidationInfo) -> datetime | None:
    # A clock far ahead would put an event after everything that follows it; such a stamp is
    # refused (the sender can fix its clock), never stored to mislabel later.
    skew = _limits(info).get("max_clock_skew_s", DEFAULT_LIMITS["max_clock_skew_s"])
    if value is not None and to_epoch(value) > time.time() + skew:
        raise ValueError(f"in the future by more than the allowed clock skew of {skew:g} s")
    return value


def to_epoch(value: datetime | float | None) -> float | None:
    """UTC epoch seconds; a naive datetime is taken as UTC."""
    if value is None or isinstance(value, (int, float)):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


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
    ts: datetime | None = None
    policy_version: Annotated[str, Field(max_length=200)] | None = None
    latency_ms: Annotated[float, Field(ge=0)] | None = None
    # Bounded by the INTEGER column (32 bits on PostgreSQL; SQLite overflows past 64): a larger
    # count is a 422 naming the field, never a 500 from the driver.
    tokens_in: Annotated[int, Field(ge=0, le=2_147_483_647)] | None = None
    tokens_out: Annotated[int, Field(ge=0, le=2_147_483_647)] | None = None
    cost: Annotated[float, Field(ge=0)] | None = None
    context_ids: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=1000)
    metadata: dict[str, Any] = Field(default_factory=dict)
    join_key: Annotated[str, Field(max_length=200)] | None = None
    # The user's consent as the app knows it at this moment (see flyloop.consent); the privacy
    # gate records the most restrictive of this and the user's stored state.
    consent: Literal["full", "no_training", "no_content"] | None = None

    @field_validator("ts")
    @classmethod
    def _ts_not_future(cls, value, info):
        return _check_not_future(value, info)

    @field_validator("output")
    @classmethod
    def _output_size(cls, value, info):
        return _check_text(value, info)

    @field_validator("input")
    @classmethod
    def _input_size(cls, value, info):
        if isinstance(value, str):
            return _check_text(value, info)
        if not value:
            raise ValueError("a chat input needs at least one message")
        for message in value:
            _check_text(message.content, info)
        return value

    @field_validator("metadata")
    @classmethod
    def _metadata_size(cls, value, info):
        return _check_json_size(value, info)


class SignalIn(_Event):
    """An event about one interaction; its ``kind`` must be registered in :mod:`flyloop.signals`."""

    id: Id
    interaction_id: Id
    kind: str
    value: float | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    source: Sources = "user"
    actor: Annotated[str, Field(max_length=200)] | None = None
    ts: datetime | None = None
    overrides: Id | None = None

    @field_validator("ts")
    @classmethod
    def _ts_not_future(cls, value, info):
        return _check_not_future(value, info)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value):
        if value not in KINDS:
            raise ValueError(f"unknown signal kind {value!r}; known kinds: {', '.join(sorted(KINDS))}")
        return value

    @field_validator("payload")
    @classmethod
    def _payload_size(cls, value, info):
        _check_json_size(value, info)
        for key in ("text", "chosen"):
            if isinstance(value.get(key), str):
                _check_text(value[key], info)
        return value

    @pydantic.model_validator(mode="after")
    def _kind_rules(self):
        if self.kind in KINDS:
            try:
                value, payload = KINDS[self.kind].check(self.value, dict(self.payload))
            except RuleError as exc:  # keep the field the rule names, for signals[3].value
                raise PydanticCustomError("signal_rule", str(exc), {"field": exc.field}) from None
            object.__setattr__(self, "value", value)
            object.__setattr__(self, "payload", payload)
        return self


class OutcomeIn(_Event):
    """A downstream result (task done, reply received, purchase), possibly hours later. It names
    the interaction it belongs to, or a ``join_key`` the app also set on interactions."""

    id: Id
    name: Name
    value: float | None = None
    interaction_id: Id | None = None
    join_key: Annotated[str, Field(max_length=200)] | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    ts: datetime | None = None

    @field_validator("ts")
    @classmethod
    def _ts_not_future(cls, value, info):
        return _check_not_future(value, info)

    @field_validator("payload")
    @classmethod
    def _payload_size(cls, value, info):
        return _check_json_size(value, info)

    @pydantic.model_validator(mode="after")
    def _has_target(self):
        if (self.interaction_id is None) == (self.join_key is None):
            raise ValueError("an outcome needs exactly one of interaction_id or join_key")
        return self


class IngestBatch(BaseModel):
    """What one ingest call carries. Interactions, signals and outcomes may come in any mix."""

    model_config = ConfigDict(extra="forbid")
    interactions: list[InteractionIn] = Field(default_factory=list)
    signals: list[SignalIn] = Field(default_factory=list)
    outcomes: list[OutcomeIn] = Field(default_factory=list)

    def __len__(self) -> int:
        return len(self.interactions) + len(self.signals) + len(self.outcomes)


class IngestResult(BaseModel):
    """What the store did with a batch. ``duplicates`` were already stored and left as they were."""

    interactions: int = 0
    signals: int = 0
    outcomes: int = 0
    duplicates: int = 0


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("str", "list[Message]", "function-after[_input_size(), union[str,list[Message]]]"):
            continue  # pydantic's union branch names add nothing for a reader
        else:
            path += f".{part}" if path else str(part)
    return path


def translate(exc: pydantic.ValidationError) -> errors.ValidationError:
    """A pydantic error as flyloop's, naming the first broken field and listing all of them."""
    problems = []
    for item in exc.errors(include_url=False, include_input=False):
        if item["type"] == "json_invalid":
            raise errors.MalformedBody(f"the body is not valid JSON: {item['ctx'].get('error', item['msg'])}")
        message = item["msg"].removeprefix("Value error, ")
        path = _field_path(item["loc"])
        if item["type"] == "signal_rule":
            path = f"{path}.{item['ctx']['field']}" if path else item["ctx"]["field"]
        problems.append({"field": path, "message": message})
    first = problems[0]
    summary = first["message"] if len(problems) == 1 else f"{first['message']} (and {len(problems) - 1} more problems)"
    return errors.ValidationError(summary, field=first["field"] or None, problems=problems[:50])


def parse_batch(body: bytes | str | dict, limits: dict[str, int] | None = None) -> IngestBatch:
    """Validate a batch from JSON text or a dict; raises :class:`flyloop.errors.ValidationError`."""
    context = {"limits": limits or DEFAULT_LIMITS}
    try:
        if isinstance(body, dict):
            return IngestBatch.model_validate(body, context=context)
        return IngestBatch.model_validate_json(body, context=context)
    except pydantic.ValidationError as exc:
        raise translate(exc) from None

