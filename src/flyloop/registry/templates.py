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
_ENV = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


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
    except jinja2.exceptions.SecurityError as exc:
        raise errors.ValidationError(f"the template broke the sandbox: {exc}", field="template") from None


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
