"""Model backends: messages in, a :class:`Generation` out, behind one Protocol, registered by name.

Two ship here: ``openai`` (any OpenAI-compatible endpoint through the official ``openai`` client;
the ``openai`` extra; :mod:`.backend_openai`) and ``transformers`` (a local Hugging Face causal LM
in process, with an optional PEFT adapter; the ``train`` extra; :mod:`.backend_hf`). Others (the
classifier for choice workloads) register themselves with :func:`register_backend`.

A backend is built by :func:`backend` and cached per (name, model, adapter, options), so a model
loads once per process whoever asks for it. Every heavy import happens inside a factory, so the
core install imports this module and answers a missing extra with one line naming it.

:func:`check_loadable` answers, before a policy version is registered, whether its backend could
load: fast checks only (names, folders, URLs), never a model load or a network call.

A policy's ``params`` hold two kinds of keys: how to reach and run the backend (``base_url``,
``timeout_s``, ``retries``, ``batch_size``: :data:`OPTION_KEYS`, given to the factory) and how to
generate (``max_tokens``, ``temperature``, ``top_p``, ``stop``, ``seed``, the two penalties:
:data:`GENERATION_KEYS`, given to each call). The registry's parameter table checks their types and
ranges at registration; the checks here guard direct callers. :func:`backend_for` and
:func:`generation_params` split them.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from flyloop import errors

Message = Mapping[str, str]
Messages = Sequence[Message]

OPENAI = "openai"
TRANSFORMERS = "transformers"

# Keys of a policy's params that configure the backend itself (one client per value), not a call.
OPTION_KEYS = frozenset({"base_url", "timeout_s", "retries", "batch_size", "label_descriptions"})
# Keys every backend understands for one generation (OpenAI's names; the transformers backend maps them).
GENERATION_KEYS = frozenset(
    {"max_tokens", "temperature", "top_p", "stop", "seed", "presence_penalty", "frequency_penalty"}
)
# Keys the policy itself acts on, never sent to a backend (best_of: samples a reranker picks from).
POLICY_KEYS = frozenset({"best_of"})


@dataclass(frozen=True)
class Generation:
    """One answer. ``tokens_in``/``tokens_out`` as the model counted them (the endpoint's usage, or
    the tokenizer's; 0 when an endpoint reports no usage); ``latency_ms`` is the wall time of the
    call that produced it (in a batch, the batch's); ``finish_reason`` is ``stop`` (an end token or
    a stop string) or ``length`` (``max_tokens`` reached), or what the endpoint said."""

    text: str
    tokens_in: int
    tokens_out: int
    latency_ms: float
    model: str
    finish_reason: str


@runtime_checkable
class Backend(Protocol):
    """A model that answers chat messages (``[{"role": ..., "content": ...}, ...]``).

    ``generate_batch`` answers many conversations in order; backends batch them for evaluation (a
    bounded pool of concurrent requests, or one padded forward pass)."""

    name: str
    model: str

    def generate(self, messages: Messages, **params: Any) -> Generation: ...

    def generate_batch(self, batch: Sequence[Messages], **params: Any) -> list[Generation]: ...


Factory = Callable[..., Backend]
# check(model, adapter, options): raises ConfigError/BackendError/ValidationError; fast, no load.
Check = Callable[[str | None, str | None, Mapping[str, Any]], None]


def _openai_factory(*, model: str | None = None, adapter: str | None = None, **options: Any) -> Backend:
    from .backend_openai import OpenAIBackend

    return OpenAIBackend(model=model, adapter=adapter, **options)


def _openai_check(model: str | None, adapter: str | None, options: Mapping[str, Any]) -> None:
    from .backend_openai import check

    check(model, adapter, options)


def _home_settings(options: dict[str, Any]) -> Any:
    """The project's settings when ``backend_for`` gave its home (an artifact to load), else None."""
    home = options.pop("home", None)
    if home is None:
        return None
    from flyloop.settings import Settings

    return Settings(home=home)


def _transformers_factory(*, model: str | None = None, adapter: str | None = None, **options: Any) -> Backend:
    from .backend_hf import TransformersBackend

    settings = _home_settings(options)
    return TransformersBackend(model=model, adapter=adapter, settings=settings, **options)


def _transformers_check(model: str | None, adapter: str | None, options: Mapping[str, Any]) -> None:
    from .backend_hf import check

    rest = dict(options)
    settings = _home_settings(rest)
    check(model, adapter, rest, settings)


_FACTORIES: dict[str, Factory] = {OPENAI: _openai_factory, TRANSFORMERS: _transformers_factory}
_CHECKS: dict[str, Check] = {OPENAI: _openai_check, TRANSFORMERS: _transformers_check}
_CACHE: dict[tuple[str, str | None, str | None, str], Backend] = {}
_LOCK = threading.Lock()
_LOADING: dict[tuple[str, str | None, str | None, str], threading.Lock] = {}


def installed(module: str) -> bool:
    """Whether ``module`` could be imported, found without importing it (a finder that refuses it
    counts as missing, as on a core install)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def register_backend(name: str, factory: Factory, *, check: Check | None = None) -> None:
    """Add a backend under ``name``: ``factory(model=..., adapter=..., **options)`` builds it (import
    heavy libraries inside it); ``check(model, adapter, options)`` is the fast test
    :func:`check_loadable` runs (none: only the name is checked). Replacing a name drops its cached
    instances."""
    with _LOCK:
        _FACTORIES[name] = factory
        if check is None:
            _CHECKS.pop(name, None)
        else:
            _CHECKS[name] = check
        for key in [k for k in _CACHE if k[0] == name]:
            del _CACHE[key]


def backend_names() -> list[str]:
    """The registered backends' names, sorted."""
    return sorted(_FACTORIES)


def _unknown(name: str) -> errors.ValidationError:
    return errors.ValidationError(
        f"unknown backend {name!r}: one of {', '.join(backend_names())}", field="backend", known=backend_names()
    )


def _options_key(options: Mapping[str, Any]) -> str:
    # Options are small JSON-able values (URLs, numbers); repr() of anything else still tells apart
    # what differs, and sorting makes the key independent of argument order.
    return json.dumps(options, sort_keys=True, default=repr)


def backend(name: str, *, model: str | None = None, adapter: str | None = None, **options: Any) -> Backend:
    """The backend ``name`` for ``model`` (and ``adapter``), built once per process for each set of
    options and then reused. Unknown names raise ValidationError (field ``backend``); a missing
    extra ConfigError naming it; a model that cannot load BackendError naming it and the path
    tried. A failed build is not cached: the next call tries again."""
    key = (name, model, adapter, _options_key(options))
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            return found
        factory = _FACTORIES.get(name)
        if factory is None:
            raise _unknown(name)
        loading = _LOADING.setdefault(key, threading.Lock())
    # One lock per key while it loads: two threads asking for the same model wait for one load
    # instead of loading it twice; other models load meanwhile.
    with loading:
        with _LOCK:
            found = _CACHE.get(key)
        if found is not None:
            return found
        try:
            built = factory(model=model, adapter=adapter, **options)
            with _LOCK:
                _CACHE[key] = built
        finally:
            with _LOCK:
                _LOADING.pop(key, None)
        return built


def clear_cache() -> None:
    """Forget every built backend (tests; a process that wants its memory back)."""
    with _LOCK:
        _CACHE.clear()


def cached_backends() -> list[tuple[str, str | None, str | None]]:
    """(name, model, adapter) of each backend built so far in this process."""
    with _LOCK:
        return [(k[0], k[1], k[2]) for k in _CACHE]


def _params_of(spec: Any) -> Mapping[str, Any]:
    params = getattr(spec, "params", None) or {}
    if not isinstance(params, Mapping):
        raise errors.ValidationError("params must be a mapping", field="params")
    return params


def split_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(backend options, generation params) of a policy's params; an unknown key is a
    ValidationError naming it (``params.<key>``), so a typo never passes silently."""
    options: dict[str, Any] = {}
    generation: dict[str, Any] = {}
    for key, value in params.items():
        if key in OPTION_KEYS:
            options[key] = value
        elif key in GENERATION_KEYS:
            generation[key] = value
        elif key in POLICY_KEYS:
            continue
        else:
            known = ", ".join(sorted(OPTION_KEYS | GENERATION_KEYS | POLICY_KEYS))
            raise errors.ValidationError(f"unknown parameter {key!r}: one of {known}", field=f"params.{key}")
    _check_generation(generation)
    return options, generation


def _check_generation(params: Mapping[str, Any]) -> None:
    max_tokens = params.get("max_tokens")
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1):
        raise errors.ValidationError(
            f"max_tokens must be a positive integer, got {max_tokens!r}", field="params.max_tokens"
        )
    for key, low, high in (("temperature", 0.0, 2.0), ("top_p", 0.0, 1.0)):
        value = params.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise errors.ValidationError(
                f"{key} must be a number in [{low}, {high}], got {value!r}", field=f"params.{key}"
            )
    stop = params.get("stop")
    if stop is not None and not (
        isinstance(stop, str) or (isinstance(stop, list | tuple) and all(isinstance(s, str) and s for s in stop))
    ):
        raise errors.ValidationError("stop must be a string or a list of non-empty strings", field="params.stop")


def generation_params(spec: Any) -> dict[str, Any]:
    """The per-call generation parameters of a policy spec (``max_tokens``, ``temperature``, ...)."""
    return split_params(_params_of(spec))[1]


def _artifact_home(spec: Any, settings: Any) -> dict[str, Any]:
    """``{"home": ...}`` when the spec's model or adapter is an artifact (``hd_…``, ``ad_…``): the
    factory loads it from that home's ``artifacts/``, which a project opened with its own home
    (``Flywheel(home=...)``, a server's settings) knows and the environment may not."""
    from flyloop.improve.artifacts import is_artifact_id

    if settings is None:
        return {}
    model = getattr(spec, "model", None)
    if is_artifact_id(model) or is_artifact_id(getattr(spec, "adapter", None)):
        return {"home": str(settings.home)}
    if isinstance(model, str) and model.startswith("prototypes:"):  # its embedder may be an em_ artifact
        return {"home": str(settings.home)}
    return {}


def backend_for(spec: Any, settings: Any = None) -> Backend:
    """The (cached) backend a policy spec names: ``spec.backend`` with ``spec.model``,
    ``spec.adapter`` and the backend options among ``spec.params`` (``base_url``, ...).
    ``settings``: the project's (its home holds the artifacts a spec may name)."""
    options, _ = split_params(_params_of(spec))
    options.update(_artifact_home(spec, settings))
    return backend(spec.backend, model=spec.model, adapter=getattr(spec, "adapter", None), **options)


def check_loadable(spec: Any, settings: Any = None) -> None:
    """Raise before a policy version is registered if its backend could not load: an unknown
    backend name (ValidationError, field ``backend``, listing the names), an unknown or bad
    parameter (ValidationError, ``params.<key>``), then the backend's own fast check (a missing
    extra or a bad URL: ConfigError; a model folder that is not there: BackendError naming the
    path). Never loads a model or calls an endpoint."""
    name = getattr(spec, "backend", None)
    if not isinstance(name, str) or name not in _FACTORIES:
        raise _unknown(str(name))
    options, _ = split_params(_params_of(spec))
    options.update(_artifact_home(spec, settings))
    check = _CHECKS.get(name)
    if check is not None:
        check(getattr(spec, "model", None), getattr(spec, "adapter", None), options)
