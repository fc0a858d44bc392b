"""Quality filters: which candidate examples are fit to train on.

Each filter is a named rule with its own configuration, and every removal is counted per filter
and per example kind, so a dataset's manifest says exactly what was dropped and why. The rules:

* ``length``: prompt and completion length bounds, in characters;
* ``language``: the text's language must be one of ``languages`` (py3langid: a small, offline,
  numpy-only classifier, ~20 µs a text);
* ``empty_edit`` / ``trivial_edit``: a correction that is empty, or so close to the original
  (rapidfuzz normalized similarity at or above ``trivial_edit_similarity``) that it teaches
  nothing;
* ``refusal`` and ``boilerplate``: completions matching refusal or boilerplate patterns
  (regular expressions, configurable; English defaults), and optionally a completion repeated
  verbatim across more than ``boilerplate_max_prompts`` distinct prompts (a canned answer);
* ``schema``: for workloads that declare a JSON Schema for their output, completions that are not
  JSON or do not validate (jsonschema);
* ``identical_pair``: a preference pair whose chosen and rejected texts are the same once
  normalized.

Filters read only the text a trainer would learn from (the completion, or the chosen side of a
pair, whose rejected side is meant to be bad), plus the prompt for length and language.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz import fuzz

from flyloop.curation.dedup import normalize
from flyloop.extras import require

DEFAULT_REFUSALS = (
    r"\b(i'?m|i am) (sorry|afraid),? (but )?i (can(no|')?t|won'?t|am unable|'m unable)",
    r"\bi (can(no|')?t|won'?t|am unable to) (help|assist|comply|provide|do that)",
    r"\bas an ai( language model)?\b",
    r"\bi'?m not able to (help|assist|provide)",
)
DEFAULT_BOILERPLATE = (
    r"\blorem ipsum\b",
    r"\[(insert|your|placeholder)[^\]]*\]",
    r"^\s*(n/?a|todo|tbd|none|null|\.\.\.)\s*$",
)


class FilterConfig(BaseModel):
    """How strict the quality filters are; ``None`` switches a rule off."""

    model_config = ConfigDict(extra="forbid")
    min_prompt_chars: int = Field(1, ge=0)
    max_prompt_chars: int = Field(32_000, ge=1)
    min_completion_chars: int = Field(1, ge=0)
    max_completion_chars: int = Field(32_000, ge=1)
    languages: list[str] | None = None
    exclude_languages: list[str] | None = None
    trivial_edit_similarity: float | None = Field(0.98, gt=0, le=1)
    refusal_patterns: list[str] | None = Field(default_factory=lambda: list(DEFAULT_REFUSALS))
    boilerplate_patterns: list[str] | None = Field(default_factory=lambda: list(DEFAULT_BOILERPLATE))
    boilerplate_max_prompts: int | None = Field(None, ge=1)
    output_schemas: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> FilterConfig:
        # Conflicting bounds would silently empty the dataset; refuse them up front, naming the field.
        if self.min_prompt_chars > self.max_prompt_chars:
            raise ValueError(
                f"min_prompt_chars ({self.min_prompt_chars}) is above max_prompt_chars ({self.max_prompt_chars})"
            )
        if self.min_completion_chars > self.max_completion_chars:
            raise ValueError(
                f"min_completion_chars ({self.min_completion_chars}) "
                f"is above max_completion_chars ({self.max_completion_chars})"
            )
        both = sorted(set(self.languages or ()) & set(self.exclude_languages or ()))
        if both:
            raise ValueError(f"languages {', '.join(both)} are both required and excluded")
        if self.languages is not None and not self.languages:
            raise ValueError("languages is empty: nothing could pass; leave it unset to accept any language")
        for name in ("refusal_patterns", "boilerplate_patterns"):
            for pattern in getattr(self, name) or ():
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{name}: {pattern!r} is not a regular expression ({exc})") from None
        for workload, schema in self.output_schemas.items():
            jsonschema = require("jsonschema", "exports", "output_schemas")
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as exc:
                raise ValueError(f"output_schemas[{workload!r}] is not a JSON Schema: {exc.message}") from None
        return self


def prompt_text(prompt: str | list[dict[str, Any]]) -> str:
    """The prompt as one string: chat messages joined by newlines."""
    if isinstance(prompt, str):
        return prompt
    return "\n".join(str(m.get("content", "")) for m in prompt)


@lru_cache(maxsize=200_000)
def _language(text: str) -> str:
    return require("py3langid", "exports", "the language filter").classify(text)[0]


def edit_problem(original: str | None, corrected: str, config: FilterConfig) -> str | None:
    """``empty_edit`` or ``trivial_edit`` when a correction teaches nothing; None when it is usable."""
    if not corrected.strip():
        return "empty_edit"
    if config.trivial_edit_similarity is not None and original is not None:
        if normalize(original) == normalize(corrected):
            return "trivial_edit"
        if fuzz.ratio(original, corrected) / 100.0 >= config.trivial_edit_similarity:
            return "trivial_edit"
    return None


class Filters:
    """The configured filters, compiled once, with their removal counts."""

    def __init__(self, config: FilterConfig) -> None:
        self.config = config
        self.removed: dict[str, Counter[str]] = defaultdict(Counter)
        self._refusal = [re.compile(p, re.I | re.M) for p in config.refusal_patterns or ()]
        self._boilerplate = [re.compile(p, re.I | re.M) for p in config.boilerplate_patterns or ()]
        self._canned: set[str] = set()
        self._verdicts: dict[tuple[str, str], str | None] = {}
        self._validators: dict[str, Any] = {}
        # Read once: the checks below run for every candidate of a million-interaction build.
        self._prompt_chars = (config.min_prompt_chars, config.max_prompt_chars)
        self._completion_chars = (config.min_completion_chars, config.max_completion_chars)
        self._by_language = config.languages is not None or config.exclude_languages is not None
        if config.output_schemas:
            validator = require("jsonschema", "exports", "output_schemas").Draft202012Validator
            self._validators = {w: validator(s) for w, s in config.output_schemas.items()}

    def count(self, rule: str, kind: str, n: int = 1) -> None:
        self.removed[rule][kind] += n

    def learn_canned(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Find canned answers: completions repeated across too many distinct prompts."""
        limit = self.config.boilerplate_max_prompts
        if limit is None:
            return
        prompts: dict[str, set[str]] = defaultdict(set)
        for prompt, completion in pairs:
            key = normalize(completion)
            if len(prompts[key]) <= limit:
                prompts[key].add(normalize(prompt))
        self._canned = {text for text, seen in prompts.items() if len(seen) > limit}

    def check(
        self,
        kind: str,
        workload: str,
        prompt: str,
        completion: str,
        *,
        rejected: str | None = None,
        desirable: bool = True,
    ) -> str | None:
        """The first rule the example breaks (counted), or None when it passes every one. An
        undesirable completion (a KTO negative, a known-bad eval case) is meant to be bad, so only
        the length and language rules apply to it."""
        rule = self._first_problem(workload, prompt, completion, rejected, desirable)
        if rule is not None:
            self.removed[rule][kind] += 1
        return rule

    def _first_problem(
        self, workload: str, prompt: str, completion: str, rejected: str | None, desirable: bool
    ) -> str | None:
        low, high = self._prompt_chars
        if not low <= len(prompt) <= high:
            return "length"
        low, high = self._completion_chars
        if not low <= len(completion) <= high or (rejected is not None and not low <= len(rejected) <= high):
            return "length"
        if not desirable:
            return self._language_problem(prompt, completion) if self._by_language else None
        if rejected is not None and normalize(completion) == normalize(rejected):
            return "identical_pair"
        key = (workload, completion)
        problem: str | Literal[False] | None = self._verdicts.get(key, False)
        if problem is False:  # outputs repeat: judge each distinct text once
            problem = self._verdicts[key] = self._text_problem(workload, completion)
        if problem is None and self._by_language:
            return self._language_problem(prompt, completion)
        return problem

    def _text_problem(self, workload: str, completion: str) -> str | None:
        if any(p.search(completion) for p in self._refusal):
            return "refusal"
        if any(p.search(completion) for p in self._boilerplate) or (
            self._canned and normalize(completion) in self._canned
        ):
            return "boilerplate"
        validator = self._validators.get(workload)
        if validator is not None:
            import orjson

            try:
                document = orjson.loads(completion)
            except orjson.JSONDecodeError:
                return "schema"
            if not validator.is_valid(document):
                return "schema"
        return None

    def _language_problem(self, prompt: str, completion: str) -> str | None:
        c = self.config
        if c.languages is not None or c.exclude_languages is not None:
            language = _language(prompt + "\n" + completion)
            if c.languages is not None and language not in c.languages:
                return "language"
            if c.exclude_languages is not None and language in c.exclude_languages:
                return "language"
        return None

    def report(self) -> dict[str, Any]:
        """Each rule with its configuration and what it removed, per kind (for the manifest)."""
        c = self.config
        settings = {
            "length": {
                "prompt_chars": [c.min_prompt_chars, c.max_prompt_chars],
                "completion_chars": [c.min_completion_chars, c.max_completion_chars],
            },
            "language": {"languages": c.languages, "exclude_languages": c.exclude_languages},
            "empty_edit": {},
            "trivial_edit": {"similarity": c.trivial_edit_similarity},
            "refusal": {"patterns": len(self._refusal)},
            "boilerplate": {"patterns": len(self._boilerplate), "max_prompts": c.boilerplate_max_prompts},
            "schema": {"workloads": sorted(c.output_schemas)},
            "identical_pair": {},
        }
        return {
            rule: {"config": conf, "removed": dict(sorted(self.removed.get(rule, Counter()).items()))}
            for rule, conf in settings.items()
        }
