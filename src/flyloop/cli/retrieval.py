"""``flyloop retrieval`` and ``flyloop reward``: what the feedback says about a RAG workload's
documents (credit, failures, gaps), and the interactions a reward model flags as likely bad before
any feedback. Each body is a verb of ``fw.retrieval`` / ``fw.reward``, so with
``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.cli.datasets import _when
from flyloop.cli.registry import JsonOpt, when
from flyloop.settings import Settings

retrieval_app = typer.Typer(
    help="Retrieval feedback of a RAG workload: each document's credit, failing documents, context gaps.",
    no_args_is_help=True,
)
app.add_typer(retrieval_app, name="retrieval")
reward_app = typer.Typer(
    help="A reward model's view of the traffic: interactions flagged likely bad.", no_args_is_help=True
)
app.add_typer(reward_app, name="reward")

WorkloadOpt = typer.Option(..., "--workload", "-w", help="The RAG workload (its interactions log context ids).")
SinceOpt = typer.Option(None, help="Interactions at or after (epoch or ISO date; default: all).")
UntilOpt = typer.Option(None, help="Interactions before (epoch or ISO date; default: now).")


def _short(text: Any, width: int = 60) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@command(retrieval_app, "credit")
def retrieval_credit(
    workload: str = WorkloadOpt,
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Credit each document the workload retrieved from the verdicts and outcomes of the
    interactions that used it: uses, verdicts, helpfulness with its 95% interval.

    Example: flyloop retrieval credit --workload support-rag
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).retrieval.credit(workload, since=_when(since, "since"), until=_when(until, "until"))
    if as_json:
        _print_json(found)
        return
    table = Table(title=f"{workload}: {len(found)} documents")
    for col in ("document", "uses", "good", "bad", "corrected", "helpfulness", "95% interval"):
        table.add_column(col, overflow="fold", justify="left" if col == "document" else "right")
    for d in found:
        v = d["verdicts"]
        low, high = d["interval"]
        table.add_row(
            d["document"],
            str(d["uses"]),
            str(v.get("good", 0)),
            str(v.get("bad", 0)),
            str(v.get("corrected", 0)),
            f"{d['helpfulness']:.2f}",
            f"{low:.2f} to {high:.2f}",
        )
    console.print(table)


@command(retrieval_app, "failures")
def retrieval_failures(
    workload: str = WorkloadOpt,
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    min_ratio: float | None = typer.Option(None, help="Least failure-to-success ratio (default 2)."),
    min_failures: int | None = typer.Option(None, help="Fewest failures a document is listed with (default 3)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the documents that appear in the workload's failures far more than in its successes.

    Example: flyloop retrieval failures --workload support-rag --min-failures 5
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).retrieval.failures(
        workload,
        since=_when(since, "since"),
        until=_when(until, "until"),
        min_ratio=min_ratio,
        min_failures=min_failures,
    )
    if as_json:
        _print_json(found)
        return
    table = Table(title=f"{workload}: {len(found)} documents failures hold far more than successes")
    keys = list(found[0]) if found else ["document"]
    for col in keys:
        table.add_column(col, overflow="fold")
    for d in found:
        table.add_row(*[_short(d[k]) if not isinstance(d[k], float) else f"{d[k]:.3g}" for k in keys])
    console.print(table)


@command(retrieval_app, "gaps")
def retrieval_gaps(
    workload: str = WorkloadOpt,
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List interactions whose users' corrections added what the retrieved context lacked.

    Example: flyloop retrieval gaps --workload support-rag --since 2026-01-01
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).retrieval.gaps(workload, since=_when(since, "since"), until=_when(until, "until"))
    if as_json:
        _print_json(found)
        return
    table = Table(title=f"{workload}: {len(found)} corrections the context did not hold")
    keys = list(found[0]) if found else ["interaction"]
    for col in keys:
        table.add_column(col, overflow="fold")
    for g in found:
        table.add_row(*[_short(", ".join(map(str, g[k])) if isinstance(g[k], list) else g[k]) for k in keys])
    console.print(table)


@command(reward_app, "flags")
def reward_flags(
    workload: str = typer.Option(..., "--workload", "-w", help="The workload whose traffic to score."),
    model: str = typer.Option(..., help="The reward model's artifact id (rm_…)."),
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    threshold: float | None = typer.Option(None, help="Flag scores under this, 0 to 1 (default 0.3)."),
    limit: int | None = typer.Option(None, help="Most interactions listed (default 100)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the interactions with no verdict yet that a reward model scores likely bad, lowest first.

    Example: flyloop reward flags --workload math --model rm_3f2a9c01b7e4d5a6
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).reward.flags(
        workload,
        model,
        since=_when(since, "since"),
        until=_when(until, "until"),
        threshold=threshold,
        limit=limit,
    )
    if as_json:
        _print_json(found)
        return
    table = Table(title=f"{workload}: {len(found)} interactions {model} scores likely bad")
    for col in ("interaction", "score", "when", "input", "output"):
        table.add_column(col, overflow="fold", justify="right" if col == "score" else "left")
    for f in found:
        table.add_row(f["interaction_id"], f"{f['score']:.3f}", when(f["ts"]), _short(f["input"]), _short(f["output"]))
    console.print(table)
