"""The ``openai`` backend: any OpenAI-compatible chat endpoint through the official ``openai`` client.

The endpoint is ``base_url`` (the option, else the ``openai_base_url`` setting, else the official
client's own default: ``OPENAI_BASE_URL``, else OpenAI's API); the key is
``api_key``, else the ``openai_api_key`` setting, else ``OPENAI_API_KEY``, else ``"x"`` (local
servers such as ``transformers serve`` or vLLM accept any). Each try waits at most ``timeout_s``;
a try that timed out, was refused, or got a 5xx or 429 is retried ``retries`` times with doubling
backoff, then ONE error naming the model and the base URL: :class:`~flyloop.errors.BackendTimeout`
when the last try timed out, :class:`~flyloop.errors.BackendError` otherwise. Other answers (400,
401, 404: a wrong model name, a bad key) fail at once: retrying cannot fix them.

The retry loop is ours, not the client's (``max_retries=0``): the client honours a server's
Retry-After for up to a minute per try, and the bound on a call here must be the caller's
(``(retries + 1) * timeout_s`` plus the backoff), with the one error type the rest of flyloop
catches.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from flyloop import errors
from flyloop.extras import require
from flyloop.settings import Settings

from .backends import OPENAI, Generation, Messages, installed, split_params

FEATURE = "the openai backend"
EXTRA = "openai"


def base_url_of(options: Mapping[str, Any], settings: Settings | None = None) -> str | None:
    """The endpoint's base URL from the option, else the ``openai_base_url`` setting, checked to be
    an http(s) URL with a host (ConfigError, field ``base_url``). None when neither is set: the
    official client's own default then (``OPENAI_BASE_URL``, else OpenAI's API)."""
    url = options.get("base_url") or (settings or Settings()).openai_base_url
    if not url:
        return None
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise errors.ConfigError(f"base_url {url!r} is not an http(s) URL with a host", field="base_url")
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here, not on the first call
    except ValueError:
        raise errors.ConfigError(f"base_url {url!r} has a port that is not a number", field="base_url") from None
    return str(url).rstrip("/")


def check(model: str | None, adapter: str | None, options: Mapping[str, Any], settings: Settings | None = None) -> None:
    """The fast check :func:`~flyloop.improve.backends.check_loadable` runs: a model named, no
    adapter, a well-formed base URL if one is given. No call is made, and the ``openai`` package
    need not be installed where the version is registered: an app may send a version's messages
    with its own client, and the process that calls :meth:`OpenAIBackend.generate` is the one that
    needs it (it says so in one line)."""
    if not model:
        raise errors.ValidationError("the openai backend needs a model name", field="model")
    if adapter:
        raise errors.ValidationError(
            "the openai backend takes no adapter (serve the adapter at the endpoint and name that model)",
            field="adapter",
        )
    base_url_of(options, settings)
    _positive(options, "timeout_s", float)
    _positive(options, "retries", int, zero=True)
    _positive(options, "batch_size", int)


def _positive(options: Mapping[str, Any], key: str, kind: type, *, zero: bool = False) -> Any:
    value = options.get(key)
    if value is None:
        return None
    ok = isinstance(value, int | float) and not isinstance(value, bool) and (value >= 0 if zero else value > 0)
    if not ok or (kind is int and not isinstance(value, int)):
        raise errors.ValidationError(
            f"{key} must be a {'non-negative' if zero else 'positive'} {kind.__name__}, got {value!r}",
            field=f"params.{key}",
        )
    return kind(value)


class OpenAIBackend:
    """Chat completions from an OpenAI-compatible endpoint. ``generate_batch`` sends up to
    ``batch_size`` requests at once from a thread pool (the server batches them if it can)."""

    name = OPENAI

    def __init__(
        self,
        model: str | None = None,
        adapter: str | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float | None = None,
        retries: int | None = None,
        backoff_s: float = 0.5,
        batch_size: int = 8,
        settings: Settings | None = None,
    ) -> None:
        settings = settings or Settings()
        given = {"base_url": base_url, "timeout_s": timeout_s, "retries": retries, "batch_size": batch_size}
        check(model, adapter, given, settings)
        if not installed("openai"):
            raise errors.ConfigError(
                f"{FEATURE} needs the {EXTRA} extra (openai is not installed): pip install 'flyloop[{EXTRA}]'"
            )
        openai = require("openai", EXTRA, FEATURE)
        assert model is not None  # check() refused None
        self.model = model
        self.base_url = base_url_of({"base_url": base_url}, settings)
        self.timeout_s = float(timeout_s if timeout_s is not None else settings.backend_timeout_s)
        self.retries = int(retries if retries is not None else settings.backend_retries)
        self.backoff_s = backoff_s
        self.batch_size = max(1, batch_size)
        key = api_key or settings.openai_api_key or os.environ.get("OPENAI_API_KEY") or "x"
        self._openai = openai
        self._client = openai.OpenAI(base_url=self.base_url, api_key=key, timeout=self.timeout_s, max_retries=0)

    def __repr__(self) -> str:
        return f"OpenAIBackend(model={self.model!r}, base_url={self.base_url!r})"

    def _where(self) -> str:
        return f"model {self.model!r} at {self.base_url or self._client.base_url}"

    def generate(self, messages: Messages, **params: Any) -> Generation:
        """One chat completion; ``params``: max_tokens, temperature, top_p, stop, seed."""
        _, generation = split_params(params)
        request: dict[str, Any] = {"model": self.model, "messages": [dict(m) for m in messages], **generation}
        openai = self._openai
        last: Exception | None = None
        timed_out = False
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            started = time.perf_counter()
            try:
                response = self._client.chat.completions.create(**request)
            except openai.APITimeoutError as exc:  # before APIConnectionError: it is a subclass
                last, timed_out = exc, True
                continue
            except openai.APIConnectionError as exc:
                last, timed_out = exc, False
                continue
            except (openai.InternalServerError, openai.RateLimitError) as exc:
                last, timed_out = exc, False
                continue
            except openai.APIStatusError as exc:
                raise errors.BackendError(
                    f"{self._where()} refused the request ({exc.status_code}): {_said(exc)}",
                    model=self.model,
                    base_url=self.base_url,
                    status=exc.status_code,
                ) from None
            except openai.OpenAIError as exc:
                raise errors.BackendError(f"{self._where()}: {exc}", model=self.model, base_url=self.base_url) from None
            latency_ms = (time.perf_counter() - started) * 1000
            return self._generation(response, latency_ms)
        tries = self.retries + 1
        if timed_out:
            raise errors.BackendTimeout(
                f"{self._where()} did not answer within {self.timeout_s:g}s, {tries} tries",
                model=self.model,
                base_url=self.base_url,
                tries=tries,
            )
        raise errors.BackendError(
            f"{self._where()} failed {tries} tries: {_said(last)}",
            model=self.model,
            base_url=self.base_url,
            tries=tries,
        )

    def _generation(self, response: Any, latency_ms: float) -> Generation:
        if not getattr(response, "choices", None):
            raise errors.BackendError(f"{self._where()} answered no choices", model=self.model, base_url=self.base_url)
        choice = response.choices[0]
        usage = getattr(response, "usage", None)
        return Generation(
            text=choice.message.content or "",
            tokens_in=int(getattr(usage, "prompt_tokens", 0) or 0),
            tokens_out=int(getattr(usage, "completion_tokens", 0) or 0),
            latency_ms=latency_ms,
            model=getattr(response, "model", None) or self.model,
            finish_reason=choice.finish_reason or "stop",
        )

    def generate_batch(self, batch: Sequence[Messages], **params: Any) -> list[Generation]:
        """Each conversation's answer, in order, from at most ``batch_size`` requests in flight;
        the first failure (in order) is raised and the requests not yet sent are cancelled."""
        split_params(params)  # a bad parameter fails before any request
        if not batch:
            return []
        if len(batch) == 1:
            return [self.generate(batch[0], **params)]
        pool = ThreadPoolExecutor(max_workers=min(self.batch_size, len(batch)), thread_name_prefix="flyloop-openai")
        try:
            futures = [pool.submit(self.generate, messages, **params) for messages in batch]
            return [future.result() for future in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _said(exc: Exception | None) -> str:
    """What the endpoint said, in one line: the error body's message when there is one."""
    if exc is None:
        return "no answer"
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        detail = body.get("message") or body.get("detail") or body.get("error")
        if detail:
            return f"{type(exc).__name__}: {detail}"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
