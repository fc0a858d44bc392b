"""Prompt templates: sandboxed Jinja2, with every variable declared and checked.

A policy's ``template`` renders the user turn. It runs in Jinja2's immutable sandbox (no attribute
access to Python internals, no mutation of what it is given) with strict undefined: a template may
only name ``input`` and the variables its policy declares. That is checked when the policy is
registered (:func:`check_template`), so a typo fails at registration, naming the variable, not at
the first request in production.

:func:`render_messages` builds the chat a backend receives: the system prompt, each retrieved
example as a user turn and an assistant turn, then the user turn for this input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from flyloop import errors

if TYPE_CHECKING:
    from .policies import PolicySpec

BUILTIN = ("input",)
# The most characters (or items) one ``*`` in a template may make, and the largest exponent of a
# ``**``: the sandbox bounds ``range`` but not these, and ``'a' * 10**9`` would take a gigabyte.
MAX_PRODUCT = 1_000_000
MAX_EXPONENT = 1_000


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with ``*`` and ``**`` bounded (:data:`MAX_PRODUCT`, :data:`MAX_EXPONENT`)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise jinja2.exceptions.SecurityError(f"an exponent above {MAX_EXPONENT:,} is refused")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_PRODUCT:
                    raise jinja2.exceptions.SecurityError(f"a repetition longer than {MAX_PRODUCT:,} is refused")
        return super().call_binop(context, operator, left, right)


_ENV = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=512)
def _compile(template: str) -> jinja2.Template:
    return _ENV.from_string(template)


def template_variables(template: str) -> set[str]:
    """The names a template reads from its context (ValidationError if it does not parse)."""
    try:
        return set(meta.find_undeclared_variables(_ENV.parse(template)))
    except jinja2.TemplateSyntaxError as exc:
        raise errors.ValidationError(
            f"the template does not parse: {exc.message} (line {exc.lineno})", field="template"
        ) from None


def check_template(template: str, variables: Sequence[str]) -> None:
    """Refuse a template that names a variable neither built in (``input``) nor declared."""
    declared = set(variables)
    for name in variables:
        if not name.isidentifier() or name in BUILTIN:
            raise errors.ValidationError(f"{name!r} cannot be declared as a variable", field="variables")
    missing = sorted(template_variables(template) - declared - set(BUILTIN))
    if missing:
        raise errors.ValidationError(
            f"the template uses {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not declared "
            "in variables",
            field="template",
            undeclared=missing,
        )
    _compile(template)
    # A trial render with placeholder values: a template that always breaks the sandbox (an
    # attribute of Python's internals, a range or repetition past the bounds) is refused now, not
    # at its first request. Other failures may depend on the values an app passes: left to render.
    try:
        _compile(template).render({**dict.fromkeys(declared, "x"), "input": "x"})
    except (jinja2.exceptions.SecurityError, OverflowError) as exc:
        raise errors.ValidationError(f"the template breaks the sandbox: {exc}", field="template") from None
    except Exception:  # a failure that depends on the values: reported when they render it
        pass


def _field(example: Any, name: str) -> Any:
    return example.get(name) if isinstance(example, Mapping) else getattr(example, name)


def _split_input(value: Any) -> tuple[list[dict[str, str]], Any]:
    """A chat input (a list of role/content turns) keeps its earlier turns; its last user turn's
    content is what the template sees as ``input``. Any other input is ``input`` as it is."""
    if isinstance(value, list) and value and all(isinstance(t, Mapping) and "role" in t for t in value):
        turns = [{"role": str(t["role"]), "content": str(t.get("content") or "")} for t in value]
        if turns[-1]["role"] == "user":
            return turns[:-1], turns[-1]["content"]
        return turns, ""
    return [], value


def render_user(template: str, value: Any, variables: Mapping[str, Any]) -> str:
    try:
        return _compile(template).render({**variables, "input": value})
    except jinja2.UndefinedError as exc:
        raise errors.ValidationError(f"the template could not render: {exc.message}", field="variables") from None
    except (jinja2.exceptions.SecurityError, OverflowError) as exc:  # OverflowError: range past MAX_RANGE
        raise errors.ValidationError(f"the template broke the sandbox: {exc}", field="template") from None
    except Exception as exc:  # what a template computes from the values (1/0, "a" + 1) failed
        raise errors.ValidationError(
            f"the template could not render: {type(exc).__name__}: {exc}", field="template"
        ) from None


def render_messages(
    version: PolicySpec, input: Any, examples: Iterable[Any] = (), **variables: Any
) -> list[dict[str, str]]:
    """The chat for ``input``: the system prompt, the examples (each a user and an assistant
    turn), the user turn. Every declared variable must be given; no other may be."""
    declared = set(version.variables)
    missing = sorted(declared - set(variables))
    if missing:
        raise errors.ValidationError(f"missing template variable {', '.join(missing)}", field=f"variables.{missing[0]}")
    extra = sorted(set(variables) - declared)
    if extra:
        raise errors.ValidationError(
            f"{', '.join(extra)} {'is' if len(extra) == 1 else 'are'} not declared by this policy",
            field=f"variables.{extra[0]}",
        )
    messages: list[dict[str, str]] = []
    if version.system_prompt:
        messages.append({"role": "system", "content": version.system_prompt})
    for example in examples:
        _, shown = _split_input(_field(example, "input"))
        messages.append({"role": "user", "content": render_user(version.template, shown, variables)})
        messages.append({"role": "assistant", "content": str(_field(example, "output") or "")})
    earlier, value = _split_input(input)
    messages.extend(earlier)
    messages.append({"role": "user", "content": render_user(version.template, value, variables)})
    return messages
