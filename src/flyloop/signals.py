"""The signal vocabulary: what a user can do about an output, and what each act means.

Each kind is a small class registered by name. Its docstring says what the user did and what it
tells us; ``category`` is explicit (the user meant to tell us), implicit (we read it off
behaviour) or outcome (what happened downstream); ``polarity`` is the direction of the evidence
(+1 the output was good, -1 it was bad, 0 neutral or depends on the value); ``check`` validates
and normalizes ``value`` and ``payload`` at ingest, raising ``ValueError`` with a message that
names the problem. New kinds are added with :func:`register`, never by editing a switch::

    @register
    class Bookmark(SignalKind):
        '''The user saved the output for later: a mild positive.'''
        name = "bookmark"
        category = "implicit"
        polarity = 1.0
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

Category = Literal["explicit", "implicit", "outcome"]

KINDS: dict[str, type[SignalKind]] = {}


class SignalKind:
    """Base of every signal kind."""

    name: ClassVar[str]
    category: ClassVar[Category]
    polarity: ClassVar[float] = 0.0

    @classmethod
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        return value, payload


def register(cls: type[SignalKind]) -> type[SignalKind]:
    """Add a kind to the vocabulary; its ``name`` must be new."""
    if not getattr(cls, "name", None) or getattr(cls, "category", None) not in ("explicit", "implicit", "outcome"):
        raise TypeError(f"{cls.__name__} needs a name and a category")
    if cls.name in KINDS and KINDS[cls.name] is not cls:
        raise ValueError(f"signal kind {cls.name!r} is already registered")
    KINDS[cls.name] = cls
    return cls


def kind(name: str) -> type[SignalKind]:
    """The registered kind called ``name``; ``KeyError`` if there is none."""
    return KINDS[name]


def _require_text(payload: dict[str, Any], key: str, kind_name: str) -> None:
    text = payload.get(key)
    if not isinstance(text, str):
        raise ValueError(f"a {kind_name} signal needs payload.{key} as a string")


def _require_nonnegative(value: float | None, kind_name: str, unit: str) -> None:
    if value is None or value < 0:
        raise ValueError(f"a {kind_name} signal needs a value >= 0 ({unit})")


# --- explicit -------------------------------------------------------------------------------


@register
class ThumbsUp(SignalKind):
    """The user clicked thumbs-up: they say the output was good. Cheap to give, so also cheap to
    give without reading (habitual raters); worth more when other signals agree."""

    name = "thumbs_up"
    category = "explicit"
    polarity = 1.0


@register
class ThumbsDown(SignalKind):
    """The user clicked thumbs-down: they say the output was bad."""

    name = "thumbs_down"
    category = "explicit"
    polarity = -1.0


@register
class Rating(SignalKind):
    """The user rated the output on a bounded scale (``payload.scale`` = [low, high], default
    [1, 5]); the value's place on the scale is the evidence."""

    name = "rating"
    category = "explicit"
    polarity = 0.0

    @classmethod
    def check(cls, value, payload):
        low, high = payload.get("scale", [1, 5])
        if not (isinstance(low, (int, float)) and isinstance(high, (int, float)) and low < high):
            raise ValueError("payload.scale must be [low, high] with low < high")
        if value is None or not low <= value <= high:
            raise ValueError(f"a rating needs a value within its scale [{low}, {high}]")
        return value, {**payload, "scale": [low, high]}


@register
class Edit(SignalKind):
    """The user corrected the output; ``payload.text`` is what they made of it. The diff is the
    highest-quality label there is: the corrected text is the output they wanted."""

    name = "edit"
    category = "explicit"
    polarity = -0.5

    @classmethod
    def check(cls, value, payload):
        _require_text(payload, "text", cls.name)
        return value, payload


@register
class Comment(SignalKind):
    """The user wrote free text about the output (``payload.text``); its polarity is read later."""

    name = "comment"
    category = "explicit"

    @classmethod
    def check(cls, value, payload):
        _require_text(payload, "text", cls.name)
        return value, payload


@register
class Choice(SignalKind):
    """Shown alternatives, the user picked one: ``payload.chosen`` is the picked output (text),
    ``payload.rejected`` the others. A preference pair straight from the user."""

    name = "choice"
    category = "explicit"
    polarity = 1.0

    @classmethod
    def check(cls, value, payload):
        _require_text(payload, "chosen", cls.name)
        rejected = payload.get("rejected")
        if not (isinstance(rejected, list) and rejected and all(isinstance(r, str) for r in rejected)):
            raise ValueError("a choice signal needs payload.rejected as a non-empty list of strings")
        return value, payload


# --- implicit -------------------------------------------------------------------------------


@register
class Accept(SignalKind):
    """The user took the output as it was (inserted the suggestion, sent the draft)."""

    name = "accept"
    category = "implicit"
    polarity = 1.0


@register
class Reject(SignalKind):
    """The user dismissed or discarded the output."""

    name = "reject"
    category = "implicit"
    polarity = -1.0


@register
class Copy(SignalKind):
    """The user copied the output: they found something in it worth keeping."""

    name = "copy"
    category = "implicit"
    polarity = 0.5


@register
class Regenerate(SignalKind):
    """The user asked for another output to the same input: this one was not good enough."""

    name = "regenerate"
    category = "implicit"
    polarity = -1.0


@register
class Requery(SignalKind):
    """The user asked again, in other words, soon after this output: it missed."""

    name = "requery"
    category = "implicit"
    polarity = -0.7


@register
class FollowUp(SignalKind):
    """The user asked a follow-up question: engaged, though the output may have been incomplete."""

    name = "follow_up"
    category = "implicit"
    polarity = 0.0


@register
class Abandon(SignalKind):
    """The session ended with no action on the output."""

    name = "abandon"
    category = "implicit"
    polarity = -0.5


@register
class Dwell(SignalKind):
    """Seconds from showing the output to the user's next action (``value``)."""

    name = "dwell"
    category = "implicit"

    @classmethod
    def check(cls, value, payload):
        _require_nonnegative(value, cls.name, "seconds")
        return value, payload


@register
class Escalate(SignalKind):
    """The user went to a human (support ticket, agent hand-off): the output failed them."""

    name = "escalate"
    category = "implicit"
    polarity = -1.0
