"""What ``flyloop loops run`` and ``plan`` add for the training loops: a typed flag for every option
the registered loops take (read off each :class:`flyloop.improve.Loop`'s ``options``, so a loop
registered later gets its flags with no change here), the plan printed before a run (the rule and
the counts, the configuration, the device, the memory estimate) and the run's progress as it
trains."""

from __future__ import annotations

import contextlib
import functools
import inspect
import signal
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flyloop.cli.core import err_console
from flyloop.improve import Embedder, get_loop, loop_names

# Options whose flags the commands declare by hand (a date parsed, a default said in the help).
DECLARED = frozenset({"budget", "clusters", "since", "until", "dataset", "refresh", "embedder", "k", "min_quality"})


def _kinds(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def generated_options() -> dict[str, tuple[Any, str, bool]]:
    """``name: (flag type, help, many)`` for every loop option not declared by hand; the help
    says which loops take it and what it is. An option only the library can pass (a model
    backend object) has no flag."""
    found: dict[str, tuple[Any, list[str], str, bool]] = {}
    for loop in loop_names():
        for name, (kinds, what) in get_loop(loop).options.items():
            if name in DECLARED:
                continue
            types = set(_kinds(kinds))
            many = list in types
            if bool in types:
                flag: Any = bool
            elif float in types:
                flag = float
            elif int in types:
                flag = int
            elif str in types or Embedder in types or many:
                flag = str
            else:
                continue
            if name in found:
                found[name][1].append(loop)
            else:
                found[name] = (flag, [loop], what, many)
    return {
        name: (flag, f"{', '.join(loops)}: {what}{' (repeat for several)' if many else ''}.", many)
        for name, (flag, loops, what, many) in sorted(found.items())
    }


def loop_flags(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command a flag for each :func:`generated_options` option (``--learning-rate 2e-4``,
    ``--setfit/--no-setfit``, ``--target-modules q_proj --target-modules v_proj``), placed before
    ``--project``; the command gets those given as ``generated``, a dict of the loop's options."""
    options = generated_options()
    signature = inspect.signature(fn, eval_str=True)
    params = [p for p in signature.parameters.values() if p.name != "generated"]
    at = next(i for i, p in enumerate(params) if p.name in ("yes", "project"))
    added = []
    for name, (flag, help_text, many) in options.items():
        dashed = name.replace("_", "-")
        if flag is bool:
            default = typer.Option(None, f"--{dashed}/--no-{dashed}", help=help_text)
            annotation: Any = bool | None
        elif many:
            default = typer.Option(None, f"--{dashed}", help=help_text)
            annotation = list[str] | None
        else:
            default = typer.Option(None, f"--{dashed}", help=help_text)
            annotation = flag | None
        added.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation))
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]
    new_signature = signature.replace(parameters=[*params[:at], *added, *params[at:]])

    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> Any:
        given: dict[str, Any] = {}
        for name, (_flag, _help, many) in options.items():
            value = kwargs.pop(name, None)
            if many and value is not None:
                kinds = _kinds(get_kinds(name))
                # One name where the option also takes a string ("all-linear"), else the list.
                value = value[0] if len(value) == 1 and str in kinds else list(value) if value else None
            if value is not None:
                given[name] = value
        return fn(**kwargs, generated=given)

    wrapper.__signature__ = new_signature  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in new_signature.parameters.values()}
    return wrapper


def get_kinds(name: str) -> type | tuple[type, ...]:
    """What the first loop that takes option ``name`` accepts for it."""
    for loop in loop_names():
        found = get_loop(loop).options.get(name)
        if found is not None:
            return found[0]
    return str


# --- the plan ----------------------------------------------------------------------------------


def is_training_plan(planned: dict[str, Any]) -> bool:
    """Whether a plan is a training loop's (a rule with counts, or a need): one worth printing
    before the run, and a run worth following in a server's background."""
    return "rule" in planned or ("need" in planned and "due" in planned)


def plan_lines(planned: dict[str, Any]) -> list[str]:
    """A training loop's plan (``plan_loop``'s answer) as lines: the rule and the counts (and why
    not, when it does not hold), the configuration, the device, the memory and time estimates."""
    rule = planned.get("rule") or {"due": planned.get("due"), "reason": "", "counts": {}}
    counts = rule.get("counts") or {}
    # The finetune loop's counts (they carry the workload's type); another loop's own reason says
    # what it counts (the reward loop's are labelled outputs, a correction counting twice).
    if {"need", "total", "corrected", "good", "bad", "type"} <= set(counts):
        what = "labelled examples" if counts.get("type") == "choice" else "training pairs"
        lines = [
            f"rule: at least {counts['need']} {what}; have {counts['total']} "
            f"({counts['corrected']} corrected, {counts['good']} good, {counts['bad']} bad)"
        ]
    elif rule.get("reason"):
        lines = [f"rule: {rule['reason']}"]
    else:  # a plan that gives its need and pairs (the retrieval loop's)
        pairs = planned.get("pairs")
        have = sum(pairs.values()) if isinstance(pairs, dict) else pairs
        lines = [f"rule: at least {planned.get('need')} training pairs; have {have} ({_short(pairs)})"]
    if not rule.get("due"):
        lines.append(
            "the rule does not hold, so the loop would not start on its own; "
            "a manual run goes ahead and stops if the data is too little"
        )
    if "examples" in planned:
        lines.append(f"data: dataset {planned.get('dataset') or 'none'}, {planned['examples']} training rows")
    elif planned.get("dataset"):  # a plan that does not count its rows (the reward loop's)
        lines.append(f"data: dataset {planned['dataset']}")
    for note in ("data_note", "model_note"):
        if planned.get(note):
            lines.append(f"note: {planned[note]}")
    config = planned.get("config")
    if isinstance(config, dict):
        lines.append("config: " + ", ".join(f"{k}={_short(v)}" for k, v in config.items()))
    if planned.get("device"):
        device = planned["device"]
        lines.append(f"device: {device}" + (" (no GPU here: it trains on the CPU)" if device == "cpu" else ""))
    if planned.get("memory_gib") is not None:
        available = planned.get("available_gib")
        lines.append(
            f"memory: about {planned['memory_gib']} GiB"
            + (f" of {available} GiB available" if available is not None else "")
        )
    if planned.get("estimated_seconds") is not None:
        lines.append(f"time: about {planned['estimated_seconds'] / 60:.1f} min")
    shown = {
        "loop",
        "workload",
        "estimate",
        "rule",
        "dataset",
        "examples",
        "data_note",
        "model_note",
        "config",
        "device",
        "memory_gib",
        "available_gib",
        "estimated_seconds",
        "need",
        "due",
        "pairs",
    }
    lines.extend(f"{k}: {_short(v)}" for k, v in planned.items() if k not in shown)
    return lines


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_short(v)}" for k, v in value.items())
    return str(value)


def progress_text(report: dict[str, Any] | None) -> str:
    """A progress report (``{"done", "total", "loss", ...}``) as one line: ``120/500 (24%), loss 1.2345``."""
    if not report:
        return ""
    done, total = report.get("done", 0), report.get("total", 0)
    line = f"{done}/{total}" + (f" ({done / total:.0%})" if total else "")
    extra = [f"{k} {_short(v)}" for k, v in report.items() if k not in ("done", "total")]
    return line + (", " + ", ".join(extra) if extra else "")


class Followed:
    """A Rich progress bar on stderr for a run's progress reports, shown from the first one (a
    loop that reports none, few-shot, shows nothing)."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task: Any = None

    def report(self, report: dict[str, Any]) -> None:
        total = report.get("total") or None
        figures = ", ".join(f"{k} {_short(v)}" for k, v in report.items() if k not in ("done", "total"))
        if self._progress is None:
            self._progress = Progress(
                TextColumn("training"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[figures]}"),
                TimeElapsedColumn(),
                console=err_console,
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("run", total=total, figures=figures)
        self._progress.update(self._task, completed=report.get("done", 0), total=total, figures=figures)

    def __enter__(self) -> Followed:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Inside, SIGTERM (``kill``, ``timeout``, a service manager stopping the shell) interrupts as
    Ctrl-C does, so a run ends cancelled with what it was writing removed; without this the
    process dies at once and the run's row says ``running`` for ever. Only the main thread may set
    a signal handler; elsewhere nothing changes. The previous handler is restored on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
