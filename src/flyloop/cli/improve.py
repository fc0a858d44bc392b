"""``flyloop banks`` and ``flyloop loops``: few-shot example banks, and the improvement loops' runs
(run, list, show) with the failure clusters loop 1 starts from. Each body is a verb of the project
handle (``fw.loops.run`` for ``flyloop loops run``), so with ``FLYLOOP_SERVER_URL`` and
``FLYLOOP_API_KEY`` set the commands ask the server; ``loops run`` asks ``fw.loops.plan`` first
for what a run would spend, and waits for a yes before one that costs model calls."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import typer
from rich.table import Table

from flyloop import errors
from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, err_console, handle
from flyloop.cli.datasets import _when
from flyloop.cli.registry import JsonOpt, fields_table, when
from flyloop.cli.training import (
    Followed,
    is_training_plan,
    loop_flags,
    plan_lines,
    progress_text,
    terminate_as_interrupt,
)
from flyloop.improve import loop_names
from flyloop.settings import Settings

banks_app = typer.Typer(help="Few-shot example banks: build, list, show.", no_args_is_help=True)
app.add_typer(banks_app, name="banks")
loops_app = typer.Typer(
    help=f"Improvement loops: run one ({', '.join(loop_names())}), cancel one, list and show runs, "
    "the failure clusters.",
    no_args_is_help=True,
)
app.add_typer(loops_app, name="loops")


# --- banks -------------------------------------------------------------------------------------


def bank_json(bank: Any) -> dict[str, Any]:
    """A bank as the API answers it: its fields and ``live`` (the examples it still serves)."""
    return {**asdict(bank), "live": bank.live}


def bank_rows(bank: Any) -> list[tuple[str, Any]]:
    manifest = bank.manifest or {}
    return [
        ("workload", bank.workload),
        ("dataset version", bank.dataset_version),
        ("embedder", f"{bank.embedder} ({bank.dimension} dimensions)"),
        ("examples", f"{bank.size} ({bank.removed} removed by erasure or consent, {bank.live} served)"),
        ("counts", manifest.get("counts")),
        ("labels", manifest.get("labels")),
        ("index", manifest.get("index")),
        ("rules", manifest.get("rules")),
        ("created", when(bank.created_at)),
    ]


@command(banks_app, "build")
def banks_build(
    workload: str,
    dataset: str | None = typer.Option(None, help="Dataset version id, prefix or name (default: the newest)."),
    embedder: str | None = typer.Option(None, help="Embedder name (default: the best installed)."),
    min_examples: int | None = typer.Option(None, help="Fewest examples a bank may have (default 10)."),
    min_quality: float | None = typer.Option(
        None, help="Least example quality kept (default 0.5; one unopposed thumbs-up of a new rater is 1/3)."
    ),
    index: str | None = typer.Option(
        None, help="Index kind: faiss-hnsw or exact (default: faiss-hnsw when faiss is installed)."
    ),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Build (or find) a workload's few-shot bank from a dataset version's training examples.

    Example: flyloop banks build support-reply --dataset support
    """
    settings = Settings(project=project, database_url=database_url)
    bank = handle(settings).banks.build(
        workload, dataset, embedder=embedder, min_examples=min_examples, min_quality=min_quality, index=index
    )
    if as_json:
        _print_json(bank_json(bank))
        return
    console.print(fields_table(f"bank {bank.id}", bank_rows(bank)))


@command(banks_app, "list")
def banks_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's banks."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the project's banks, newest first.

    Example: flyloop banks list --workload support-reply
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).banks.list(workload)
    if as_json:
        _print_json([bank_json(b) for b in found])
        return
    table = Table(title="banks")
    for col in ("id", "workload", "dataset", "embedder", "examples", "removed", "created"):
        table.add_column(col, justify="right" if col in ("examples", "removed") else "left")
    for b in found:
        table.add_row(
            b.id, b.workload, b.dataset_version[:12], b.embedder, str(b.size), str(b.removed), when(b.created_at)
        )
    console.print(table)


@command(banks_app, "show")
def banks_show(
    bank_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show one bank: its dataset version, embedder, selection rules, counts and index.

    Example: flyloop banks show bk_3f2a9c01b7e4d5a6
    """
    settings = Settings(project=project, database_url=database_url)
    bank = handle(settings).banks.get(bank_id)
    if as_json:
        _print_json(bank_json(bank))
        return
    console.print(fields_table(f"bank {bank.id}", bank_rows(bank)))


# --- loops -------------------------------------------------------------------------------------


def run_rows(run: Any) -> list[tuple[str, Any]]:
    return [
        ("loop", run.loop),
        ("workload", run.workload),
        ("status", run.status),
        ("trigger", run.trigger),
        ("started", when(run.started_at)),
        ("duration", "" if run.duration_s is None else f"{run.duration_s:.1f} s"),
        ("inputs", run.inputs),
        ("outputs", run.outputs),
        ("model calls", run.calls),
        ("tokens", run.tokens),
        ("error", run.error),
        ("progress", progress_text(run.details.get("progress"))),
        ("cancel requested", when(run.cancel_requested_at)),
        ("details", {k: v for k, v in run.details.items() if k != "progress"}),
    ]


def summary(run: Any) -> str:
    """One line: the run, how it ended, what it made and spent."""
    line = f"run {run.id} ({run.loop}, {run.workload}): {run.status}"
    if run.duration_s is not None:
        line += f" in {run.duration_s:.1f} s"
    if run.status == "skipped":
        return line + f": {run.details.get('trigger', {}).get('reason', 'its trigger does not hold')}"
    if "bank" in run.outputs:
        line += f"; bank {run.outputs['bank']}"
    candidates = run.outputs.get("candidates") or []
    line += f"; candidates {', '.join(candidates)}" if candidates else "; no new candidate"
    if run.calls:
        line += f"; {run.calls} model calls, {run.tokens} tokens"
    return line


def loop_options(
    budget: int | None,
    clusters: int | None,
    since: str | None,
    until: str | None,
    dataset: str | None,
    refresh: bool,
    embedder: str | None,
    k: int | None,
    min_quality: float | None = None,
    generated: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The loop options given on the command line (those left out take the loop's defaults)."""
    given = {
        "budget": budget,
        "clusters": clusters,
        "since": _when(since, "since"),
        "until": _when(until, "until"),
        "dataset": dataset,
        "refresh": refresh or None,
        "embedder": embedder,
        "k": k,
        "min_quality": min_quality,
        **(generated or {}),
    }
    return {key: value for key, value in given.items() if value is not None}


LoopArg = typer.Argument(..., help=f"The loop: {', '.join(loop_names())}.")
WorkloadOpt = typer.Option(..., "--workload", "-w", help="The workload to improve.")
BudgetOpt = typer.Option(None, help="prompt: most model calls to spend (default loops_prompt_budget).")
ClustersOpt = typer.Option(None, help="prompt: how many of the largest failure clusters (default 1).")
SinceOpt = typer.Option(None, help="prompt: failures at or after (epoch or ISO date; default 7 days ago).")
UntilOpt = typer.Option(None, help="prompt: failures before (epoch or ISO date; default now).")
DatasetOpt = typer.Option(None, help="The dataset version to read (default: the newest).")
RefreshOpt = typer.Option(False, "--refresh", help="fewshot: build the loop's dataset on today's labels first.")
EmbedderOpt = typer.Option(None, help="Embedder name (default: the best installed).")
KOpt = typer.Option(None, "--k", help="fewshot: examples per call (default: production's, else 4).")
MinQualityOpt = typer.Option(
    None, help="fewshot: least quality of a bank's example, 0 to 1 (default 0.5; one thumbs-up earns 0.33)."
)


@command(loops_app, "plan")
@loop_flags
def loops_plan(
    loop: str = LoopArg,
    workload: str = WorkloadOpt,
    budget: int | None = BudgetOpt,
    clusters: int | None = ClustersOpt,
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    dataset: str | None = DatasetOpt,
    refresh: bool = RefreshOpt,
    embedder: str | None = EmbedderOpt,
    k: int | None = KOpt,
    min_quality: float | None = MinQualityOpt,
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    generated: dict[str, Any] | None = None,
) -> None:
    """Print, as JSON, what a run of a loop would read and spend (estimate: model calls; a
    training loop's rule and counts, configuration, device and memory estimate), spending nothing
    and recording nothing.

    Example: flyloop loops plan finetune --workload support-reply --method dpo
    """
    settings = Settings(project=project, database_url=database_url)
    options = loop_options(budget, clusters, since, until, dataset, refresh, embedder, k, min_quality, generated)
    _print_json(handle(settings).loops.plan(loop, workload, **options))


@command(loops_app, "run")
@loop_flags
def loops_run(
    loop: str = LoopArg,
    workload: str = WorkloadOpt,
    budget: int | None = BudgetOpt,
    clusters: int | None = ClustersOpt,
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    dataset: str | None = DatasetOpt,
    refresh: bool = RefreshOpt,
    embedder: str | None = EmbedderOpt,
    k: int | None = KOpt,
    min_quality: float | None = MinQualityOpt,
    yes: bool = typer.Option(False, "--yes", "-y", help="Run without asking, whatever it would spend."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
    generated: dict[str, Any] | None = None,
) -> None:
    """Run an improvement loop for a workload now; its candidates wait for evaluation. What the
    run would spend is shown first (model calls: a run that spends any waits for a yes; a training
    loop: its rule and the counts, configuration, device and memory estimate), then its progress.
    Ctrl-C, or `flyloop loops cancel` from anywhere, ends it cancelled, keeping nothing it made.

    Example: flyloop loops run finetune --workload support-reply --method sft --steps 50
    """
    options = loop_options(budget, clusters, since, until, dataset, refresh, embedder, k, min_quality, generated)
    settings = Settings(project=project, database_url=database_url)
    fw = handle(settings)
    planned = fw.loops.plan(loop, workload, **options)
    training = is_training_plan(planned)
    if training:
        for line in plan_lines(planned):
            err_console.print(line, highlight=False, soft_wrap=True)
    if not yes and planned.get("estimate"):
        err_console.print(
            f"the {loop} loop for {workload} would make up to {planned['estimate']} model calls "
            f"(budget {planned.get('budget', planned['estimate'])})",
            highlight=False,
        )
        typer.confirm("run it?", abort=True, err=True)
    try:
        with Followed() as followed, terminate_as_interrupt():
            # Through a server, a quick loop runs inside the request (its error keeps its class);
            # a training loop runs in the server's background, followed.
            follow = followed.report if training or fw.local is not None else None
            run = fw.loops.run(loop, workload, on_progress=follow, **options)
    except errors.Cancelled as exc:
        run_id = exc.details.get("run", "")
        err_console.print(
            f"run {run_id} ({loop}, {workload}): cancelled ({exc.message}); nothing it made was kept",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2) from None
    if as_json:
        _print_json(run.model_dump(mode="json"))
        return
    console.print(summary(run), highlight=False, soft_wrap=True)


@command(loops_app, "cancel")
def loops_cancel(
    run_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Ask a running loop run to stop, from any shell: it sees the request between its steps,
    removes what it was writing, registers nothing and ends cancelled.

    Example: flyloop loops cancel lr_0622c9a1b2c3d4e5f6
    """
    settings = Settings(project=project, database_url=database_url)
    run = handle(settings).loops.cancel(run_id)
    if as_json:
        _print_json(run.model_dump(mode="json"))
        return
    console.print(
        f"run {run.id} ({run.loop}, {run.workload}): cancel requested; it ends cancelled at its next step",
        highlight=False,
        soft_wrap=True,
    )


@command(loops_app, "list")
def loops_list(
    loop: str | None = typer.Option(None, help="Only this loop's runs."),
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's runs."),
    status: str | None = typer.Option(
        None, help="Only runs that are running, succeeded, failed, cancelled or skipped."
    ),
    limit: int = typer.Option(50, help="Most runs to list (1 to 1000)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List loop runs, newest first.

    Example: flyloop loops list --workload support-reply --status succeeded
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).loops.list(loop, workload, limit, status=status)
    if as_json:
        _print_json([r.model_dump(mode="json") for r in found])
        return
    table = Table(title="loop runs")
    for col in ("id", "loop", "workload", "status", "trigger", "started", "seconds", "calls", "candidates"):
        table.add_column(col, overflow="fold", justify="right" if col in ("seconds", "calls") else "left")
    for r in found:
        table.add_row(
            r.id,
            r.loop,
            r.workload,
            r.status,
            r.trigger,
            when(r.started_at),
            "" if r.duration_s is None else f"{r.duration_s:.1f}",
            str(r.calls),
            ", ".join(r.outputs.get("candidates") or []),
        )
    console.print(table)


@command(loops_app, "show")
def loops_show(
    run_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show one run: what it read, what it made, what it spent, how it ended.

    Example: flyloop loops show lr_0622c9a1b2c3d4e5f6
    """
    settings = Settings(project=project, database_url=database_url)
    run = handle(settings).loops.show(run_id)
    if as_json:
        _print_json(run.model_dump(mode="json"))
        return
    console.print(fields_table(f"loop run {run.id}", run_rows(run)))


def failures_table(report: dict[str, Any]) -> Table:
    """The failure clusters (``FailureReport.to_dict()``, from the store or a server) as a table."""
    title = (
        f"{report['workload']}: {report['failures']} failures of {report['traffic']} interactions, "
        f"{len(report['clusters'])} clusters ({report['unclustered']} unclustered)"
    )
    table = Table(title=title)
    for name in ("cluster", "label", "size", "share", "trend", "common edit", "top segment", "example"):
        table.add_column(name, justify="right" if name in ("size", "share", "trend") else "left", overflow="fold")
    for c in report["clusters"]:
        trend = "new" if c["trend"] is None else f"{c['trend'] * 100:+.1f} pt"
        top = next(iter(c["segments"].items()), None)
        segment = f"{top[0]}={top[1][0]['value']} ({top[1][0]['share']:.0%})" if top and top[1] else ""
        example = " ".join(str(c["representatives"][0]["input"]).split()) if c["representatives"] else ""
        table.add_row(
            c["id"],
            c["label"],
            str(c["size"]),
            f"{c['share']:.1%}",
            trend,
            (c.get("common_edit") or {}).get("summary", ""),
            segment,
            example if len(example) <= 60 else example[:59] + "…",
        )
    return table


@command(loops_app, "failures")
def loops_failures(
    workload: str = typer.Option(..., "--workload", "-w", help="The workload whose failures to cluster."),
    since: str | None = typer.Option(None, help="Failures at or after (epoch or ISO date; default: 7 days ago)."),
    until: str | None = typer.Option(None, help="Failures before (epoch or ISO date; default now)."),
    max_clusters: int | None = typer.Option(None, help="Most clusters (default 8)."),
    min_size: int | None = typer.Option(None, help="Smallest cluster shown (default 3)."),
    min_failures: int | None = typer.Option(None, help="Fewest failures to cluster (default 10)."),
    segment_key: list[str] = typer.Option([], "--segment-key", help="Metadata key to break clusters down by (repeat)."),
    embedder: str | None = typer.Option(None, help="Embedder name (default: the best installed)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """What a workload gets wrong: its bad and corrected interactions, clustered, with each
    cluster's size, share of traffic, trend, common edit and segments.

    Example: flyloop loops failures --workload support-reply --segment-key plan
    """
    settings = Settings(project=project, database_url=database_url)
    report = handle(settings).loops.failures(
        workload,
        since=_when(since, "since"),
        until=_when(until, "until"),
        max_clusters=max_clusters,
        min_size=min_size,
        min_failures=min_failures,
        segment_keys=segment_key or None,
        embedder=embedder,
    )
    if as_json:
        _print_json(report)
        return
    console.print(failures_table(report))
