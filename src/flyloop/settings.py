"""Every flyloop setting, declared once.

Each setting has a name, a type, a default, an environment variable (``FLYLOOP_<NAME>``) and a
line of help. Precedence, highest first: an explicit argument, the environment, the config file
(``$FLYLOOP_HOME/config.toml``, a flat ``name = value`` table), the default. ``flyloop config``
prints what is in force and where each value came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flyloop.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    type: Callable[[str], Any]
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "FLYLOOP_" + self.name.upper()


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


SETTINGS: tuple[Setting, ...] = (
    Setting("home", str, None, "Folder for the embedded store, spool and config file (default ~/.flyloop)."),
    Setting(
        "database_url",
        str,
        None,
        "Store URL: sqlite:///path, sqlite:// (memory) or postgresql://... (default: a SQLite file in home).",
    ),
    Setting("project", str, "default", "Project the local SDK and CLI act on."),
    Setting("server_url", str, None, "flyloop server the SDK sends to; unset means the local transport."),
    Setting("api_key", str, None, "API key for the HTTP transport and the CLI's remote calls."),
    Setting("host", str, "127.0.0.1", "Address `flyloop serve` binds."),
    Setting("port", int, 8000, "Port `flyloop serve` binds."),
    Setting("max_body_bytes", int, 8_000_000, "Largest request body the API accepts (413 beyond)."),
    Setting("max_batch_items", int, 10_000, "Most interactions plus signals in one ingest batch."),
    Setting("max_text_chars", int, 200_000, "Longest input, output or correction text accepted."),
    Setting("max_payload_bytes", int, 64_000, "Largest JSON payload or metadata object on one event."),
    Setting(
        "orphan_window_s",
        float,
        3600.0,
        "A signal whose interaction has not arrived after this many seconds is reported as orphaned.",
    ),
    Setting(
        "sqlite_synchronous",
        str,
        "FULL",
        "SQLite synchronous pragma: FULL fsyncs every commit (durable on power loss), NORMAL survives process crashes only.",
    ),
    Setting("sdk_queue_size", int, 100_000, "Events the SDK holds in memory before overflowing to its on-disk spool."),
    Setting("sdk_batch_size", int, 500, "Events the SDK sends in one batch."),
    Setting("sdk_flush_interval_s", float, 0.5, "Longest time an event waits in the SDK before its batch is sent."),
    Setting("sdk_timeout_s", float, 10.0, "HTTP timeout of one SDK send."),
    Setting(
        "sdk_max_backoff_s",
        float,
        5.0,
        "Longest wait between SDK retries while the server is unreachable (a probe every half second ends the wait as soon as it answers).",
    ),
    Setting(
        "sdk_durable",
        bool,
        False,
        "Append each SDK log call to a journal in the spool folder before it returns, so an app killed with kill -9 loses nothing (a write() per call, a few microseconds).",
    ),
    Setting(
        "sdk_durable_fsync",
        bool,
        False,
        "With sdk_durable, also fsync each journal write, so an OS crash or power loss loses nothing either (a disk flush per call).",
    ),
    Setting(
        "label_interval_s",
        float,
        1.0,
        "How often `flyloop serve` labels what arrived since the last run (0: only when labels are read).",
    ),
    Setting(
        "worker_nice",
        int,
        10,
        "CPU niceness `flyloop worker` takes (0 to 19; 0 keeps the priority it started with): on a machine it shares with `flyloop serve`, ingest gets the CPU first and labelling the rest.",
    ),
    Setting(
        "key_cache_s", float, 30.0, "How long the server trusts a looked-up API key before checking the store again."
    ),
    # signals and labels (issue 3)
    Setting(
        "max_clock_skew_s",
        float,
        300.0,
        "An event stamped more than this many seconds after the server's clock is rejected; a signal stamped this long before its interaction is left out of its label.",
    ),
    Setting(
        "attribution_window_s",
        float,
        7 * 86400.0,
        "An outcome counts for an interaction only if it happened within this many seconds after it.",
    ),
    Setting(
        "attribution_policy",
        str,
        "last",
        "Which interactions sharing an outcome's join key get it: 'last' (the latest before the outcome) or 'all'.",
    ),
    Setting(
        "requery_window_s",
        float,
        600.0,
        "A similar question by the same user within this many seconds of an output marks that output re-queried.",
    ),
    Setting(
        "requery_similarity",
        float,
        0.55,
        "Similarity (0..1) from which a later question counts as the same question asked again.",
    ),
    Setting(
        "regenerate_window_s",
        float,
        300.0,
        "The same input from the same user within this many seconds means the earlier output was regenerated.",
    ),
    Setting(
        "abandon_window_s",
        float,
        1800.0,
        "An output with no action and no later interaction in its session for this many seconds was abandoned.",
    ),
    # privacy and security (issue 4)
    Setting(
        "rate_limit",
        str,
        "6000/minute",
        "Requests one API key may make, in the limits library's notation ('off' disables); 429 beyond.",
    ),
    Setting(
        "feedback_rate_limit",
        str,
        "120/minute",
        "Browser feedback requests one client address may make ('off' disables).",
    ),
    Setting(
        "rate_limit_storage",
        str,
        "memory://",
        "Where rate-limit counters live: memory:// (per process) or redis://host:port (shared by every server).",
    ),
    Setting(
        "retention_interval_s",
        float,
        3600.0,
        "How often `flyloop serve` applies every project's retention policy (0 turns the schedule off).",
    ),
    Setting(
        "erasure_grace_s",
        float,
        7 * 86400.0,
        "For this long after an erasure, events still in flight for the erased user are dropped at ingest.",
    ),
    Setting("feedback_token_ttl_s", float, 86400.0, "Default lifetime of a browser feedback token."),
    Setting(
        "cors_origins",
        str,
        "",
        "Web origins whose pages may post browser feedback to /v1/feedback, comma-separated (https://app.example.com; '*' for any; empty: none).",
    ),
)

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


def _convert(setting: Setting, raw: Any, origin: str) -> Any:
    if raw is None:
        return None
    try:
        return _bool(raw) if setting.type is bool else setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {setting.name} from {origin}: {exc}", field=setting.name) from exc


class Settings:
    """The settings in force: ``Settings(port=9000).port``; ``.sources`` says where each came from."""

    def __init__(self, **overrides: Any) -> None:
        unknown = sorted(set(overrides) - set(_BY_NAME))
        if unknown:
            raise ConfigError(f"unknown settings {', '.join(unknown)}")
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        home_setting = _BY_NAME["home"]
        # `~` expanded here: a quoted FLYLOOP_HOME="~/x" would otherwise make a folder named `~`.
        home = str(Path(overrides.get("home") or os.environ.get(home_setting.env) or _default_home()).expanduser())
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

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(name, value, source, help) for every setting; secrets are masked."""
        out = []
        for setting in SETTINGS:
            value = self.values[setting.name]
            shown = "****" if setting.name == "api_key" and value else repr(value)
            out.append((setting.name, shown, self.sources[setting.name], setting.help))
        return out
