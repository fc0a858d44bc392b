"""The signal vocabulary: what a user can do about an output, and what each act means.

Each kind is a small class registered by name. Its docstring says what the user did and what it
tells us; ``category`` is explicit (the user meant to tell us), implicit (we read it off
behaviour) or outcome (what happened downstream); ``polarity`` is the direction of the evidence
(+1 the output was good, -1 it was bad, 0 neutral or depends on the value); ``check`` validates
and normalizes ``value`` and ``payload`` at ingest, raising ``ValueError`` with a message that
names the problem; ``evidence`` turns one stored signal into a number in [-1, 1] for the label
(polarity by default; a rating reads its place on the scale, an edit its class, an outcome its
value); ``direction`` is that evidence's sign (+1, -1 or 0) for stages that need a direction
rather than a weight (curation's rater trust and outcome checks), so no stage re-derives what a
signal means with cut-offs of its own. Three flags tell the label and inference rules how to
treat a kind: ``action`` (the user did something with the output: it was not abandoned, and
time-to-action runs to it), ``vote`` (an opinion: a later vote by the same actor replaces an
earlier one) and ``correction`` (it carries the text the output should have been). New kinds are
added with :func:`register`, never by editing a switch::

    @register
    class Bookmark(SignalKind):
        '''The user saved the output for later: a mild positive.'''
        name = "bookmark"
        category = "implicit"
        polarity = 1.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Literal

from flyloop.events.edits import EditThresholds, measure

Category = Literal["explicit", "implicit", "outcome"]

KINDS: dict[str, type[SignalKind]] = {}


@dataclass(frozen=True)
class Context:
    """What evidence may look at besides the signal: the output it is about, and the project's
    edit thresholds."""

    output: str | None = None
    edit_thresholds: EditThresholds = field(default_factory=EditThresholds)


class SignalKind:
    """Base of every signal kind."""

    name: ClassVar[str]
    category: ClassVar[Category]
    polarity: ClassVar[float] = 0.0
    action: ClassVar[bool] = False
    vote: ClassVar[bool] = False
    correction: ClassVar[bool] = False

    @classmethod
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        return value, payload

    @classmethod
    def evidence(cls, value: float | None, payload: dict[str, Any], context: Context) -> float:
        """How much this signal says the output was good (+1) or bad (-1)."""
        return cls.polarity

    @classmethod
    def direction(cls, value: float | None, payload: dict[str, Any]) -> int:
        """Which way the signal points: +1 the output was good, -1 bad, 0 neither. The sign of
        :meth:`evidence` where that needs no output to compare with; else the sign of ``polarity``
        (an edit whose text is not compared: a correction says the output was not what was wanted;
        a comment, whose sentiment curation does not read: neither)."""
        return _sign(cls.polarity)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


class RuleError(ValueError):
    """A broken kind rule, naming the field it is about (``value``, ``payload.text``), so the
    ingest error can say ``signals[3].value``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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
        raise RuleError(f"payload.{key}", f"a {kind_name} signal needs payload.{key} as a string")


def _require_nonnegative(value: float | None, kind_name: str, unit: str) -> None:
    if value is None or value < 0:
        raise RuleError("value", f"a {kind_name} signal needs a value >= 0 ({unit})")


# --- explicit -------------------------------------------------------------------------------


@register
class ThumbsUp(SignalKind):
    """The user clicked thumbs-up: they say the output was good. Cheap to give, so also cheap to
    give without reading (habitual raters); worth more when other signals agree."""

    name = "thumbs_up"
    category = "explicit"
    polarity = 1.0
    action = vote = True


@register
class ThumbsDown(SignalKind):
    """The user clicked thumbs-down: they say the output was bad."""

    name = "thumbs_down"
    category = "explicit"
    polarity = -1.0
    action = vote = True


@register
class Rating(SignalKind):
    """The user rated the output on a bounded scale (``payload.scale`` = [low, high], default
    [1, 5]); the value's place on the scale is the evidence."""

    name = "rating"
    category = "explicit"
    polarity = 0.0
    action = vote = True

    @classmethod
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        scale = payload.get("scale", [1, 5])
        if not (isinstance(scale, (list, tuple)) and len(scale) == 2):
            raise RuleError("payload.scale", "payload.scale must be [low, high] with low < high")
        low, high = scale
        if not (isinstance(low, (int, float)) and isinstance(high, (int, float)) and low < high):
            raise RuleError("payload.scale", "payload.scale must be [low, high] with low < high")
        if value is None or not low <= value <= high:
            raise RuleError("value", f"a rating needs a value within its scale [{low}, {high}]")
        return value, {**payload, "scale": [low, high]}

    @classmethod
    def evidence(cls, value: float | None, payload: dict[str, Any], context: Context) -> float:
        low, high = payload.get("scale", [1, 5])
        if value is None or not low <= value <= high:
            return 0.0  # rejected at ingest; a row written around the API says nothing
        return 2.0 * (value - low) / (high - low) - 1.0

    @classmethod
    def direction(cls, value: float | None, payload: dict[str, Any]) -> int:
        """Above the middle of the scale good, below it bad, at it neither."""
        return _sign(cls.evidence(value, payload, _NO_OUTPUT))


@register
class Edit(SignalKind):
    """The user corrected the output; ``payload.text`` is what they made of it. The diff is the
    highest-quality label there is: the corrected text is the output they wanted."""

    name = "edit"
    category = "explicit"
    polarity = -0.5
    action = correction = True
    # An edit's evidence by its class: a touch-up keeps the output (mildly good), a fix or a
    # rewrite says it was wrong.
    by_class: ClassVar[dict[str, float]] = {"unchanged": 0.6, "trivial": 0.3, "substantive": -0.8, "rewrite": -1.0}

    @classmethod
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        _require_text(payload, "text", cls.name)
        return value, payload

    @classmethod
    def evidence(cls, value: float | None, payload: dict[str, Any], context: Context) -> float:
        if not isinstance(payload.get("text"), str):  # the privacy gate kept the event, not the text
            return cls.polarity
        return cls.by_class[measure(context.output, payload["text"], context.edit_thresholds).edit_class]


@register
class Comment(SignalKind):
    """The user wrote free text about the output (``payload.text``). Its polarity is the app's
    ``payload.sentiment`` (-1..1) when it sends one, else VADER's compound score of the text."""

    name = "comment"
    category = "explicit"
    action = True

    @classmethod
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        _require_text(payload, "text", cls.name)
        sentiment = payload.get("sentiment")
        if sentiment is not None and not (isinstance(sentiment, (int, float)) and -1 <= sentiment <= 1):
            raise RuleError("payload.sentiment", "payload.sentiment must be a number from -1 to 1")
        return value, payload

    @classmethod
    def evidence(cls, value: float | None, payload: dict[str, Any], context: Context) -> float:
        if payload.get("sentiment") is not None:
            return float(payload["sentiment"])
        return sentiment(payload.get("text", ""))


@register
class Choice(SignalKind):
    """Shown alternatives, the user picked one: ``payload.chosen`` is the picked output (text),
    ``payload.rejected`` the others. A preference pair straight from the user."""

    name = "choice"
    category = "explicit"
    polarity = 1.0
    action = vote = True

    @classmethod
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        _require_text(payload, "chosen", cls.name)
        rejected = payload.get("rejected")
        if not (isinstance(rejected, list) and rejected and all(isinstance(r, str) for r in rejected)):
            raise RuleError("payload.rejected", "a choice signal needs payload.rejected as a non-empty list of strings")
        return value, payload

    @classmethod
    def evidence(cls, value: float | None, payload: dict[str, Any], context: Context) -> float:
        # Picking this output is praise; picking another over it is the opposite. When the
        # output is neither (the app showed other texts), the choice says nothing about it.
        if context.output is not None and payload.get("chosen") == context.output:
            return 1.0
        if context.output is not None and context.output in payload.get("rejected", []):
            return -1.0
        return 0.0


# --- implicit -------------------------------------------------------------------------------


@register
class Accept(SignalKind):
    """The user took the output as it was (inserted the suggestion, sent the draft)."""

    name = "accept"
    category = "implicit"
    polarity = 1.0
    action = True


@register
class Reject(SignalKind):
    """The user dismissed or discarded the output."""

    name = "reject"
    category = "implicit"
    polarity = -1.0
    action = True


@register
class Copy(SignalKind):
    """The user copied the output: they found something in it worth keeping."""

    name = "copy"
    category = "implicit"
    polarity = 0.5
    action = True


@register
class Regenerate(SignalKind):
    """The user asked for another output to the same input: this one was not good enough."""

    name = "regenerate"
    category = "implicit"
    polarity = -1.0
    action = True


@register
class Requery(SignalKind):
    """The user asked again, in other words, soon after this output: it missed."""

    name = "requery"
    category = "implicit"
    polarity = -0.7
    action = True


@register
class FollowUp(SignalKind):
    """The user asked a follow-up question: engaged, though the output may have been incomplete."""

    name = "follow_up"
    category = "implicit"
    polarity = 0.0
    action = True


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
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        _require_nonnegative(value, cls.name, "seconds")
        return value, payload


@register
class Escalate(SignalKind):
    """The user went to a human (support ticket, agent hand-off): the output failed them."""

    name = "escalate"
    category = "implicit"
    polarity = -1.0
    action = True


# --- outcome --------------------------------------------------------------------------------


@register
class Outcome(SignalKind):
    """A downstream result attributed to this interaction (``payload.name``: task_completed,
    reply_received, purchase ...; ``value`` its measure). Attribution (:mod:`flyloop.labels.attribution`)
    writes these from the outcomes table, by interaction id or join key within the attribution
    window, with ``payload.caused_by`` naming the outcome; an app may also send one directly.

    Evidence from the value: none (the event happened) is +1; 0..1 maps linearly onto -1..+1
    (task_completed 1.0 is +1, 0.0 is -1); above 1 (an amount) is +1; below 0 is -1."""

    name = "outcome"
    category = "outcome"
    polarity = 1.0

    @classmethod
    def check(cls, value: float | None, payload: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        _require_text(payload, "name", cls.name)
        return value, payload

    @classmethod
    def evidence(cls, value: float | None, payload: dict[str, Any], context: Context) -> float:
        if value is None:
            return 1.0
        if value < 0:
            return -1.0
        return 2.0 * value - 1.0 if value <= 1 else 1.0

    @classmethod
    def direction(cls, value: float | None, payload: dict[str, Any], *, threshold: float = 0.5) -> int:
        """Success (+1) or failure (-1): no value (the event happened) and amounts above 1 succeed,
        negative values fail, and a 0..1 measure succeeds above ``threshold`` and fails below it
        (at it: neither). At the default 0.5 this is the sign of :meth:`evidence`; curation's
        ``outcome_threshold`` moves the line for what it counts as success."""
        if value is None or value > 1:
            return 1
        if value < 0:
            return -1
        return _sign(value - threshold)


_NO_OUTPUT = Context()
_ANALYZER: Any = None


@lru_cache(maxsize=16_384)
def sentiment(text: str) -> float:
    """VADER's compound polarity of ``text`` (-1..1): rule-based, fast, no model to download."""
    global _ANALYZER
    if _ANALYZER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _ANALYZER = SentimentIntensityAnalyzer()
    return float(_ANALYZER.polarity_scores(text)["compound"])
