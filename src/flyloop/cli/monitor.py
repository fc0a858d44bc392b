"""``flyloop monitor``: the metrics read off the rollups, the alerts, and the upkeep that keeps
both (what the worker runs on its timer). Each body is the project handle's ``fw.monitor`` verbs,
so with ``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server and print
what the local store would."""

from __future__ import annotations

import time
from typing import Any

import typer
from rich.table import Table

from flyloop import monitor
from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.settings import Settings

monitor_app = typer.Typer(help="Monitor: metrics over windows, and alerts.", no_args_is_help=True)
app.add_typer(monitor_app, name="monitor")

SHOWN = ("acceptance_rate", "feedback_coverage", "approval_rate", "edit_rate", "requery_rate", "outcome_rate")


def _num(value: Any, pct: bool = True) -> str:
    if value is None:
        return "no data"
    return f"{100 * value:.1f}%" if pct else f"{value:.1f}"


def _close(fw: Any) -> None:
    fw.close()
    if fw.local is not None:
        fw.local.store.close()


@command(monitor_app, "metrics")
def metrics(
    grain: str = typer.Option("day", "--grain", help="hour, day or week."),
    workload: str | None = typer.Option(None, "--workload", "-w", help="One workload (default: all)."),
    by: str | None = typer.Option(None, "--by", help="Group by workload, version, arm (experiment arm) or segment."),
    segment_key: str | None = typer.Option(
        None,
        "--segment-key",
        help="The metadata key you mean to segment by (implies --by segment): refused unless the rollups "
        "are kept by it (FLYLOOP_MONITOR_SEGMENT_KEY) and some interaction carries it.",
    ),
    windows: int = typer.Option(14, "--windows", help="How many windows back, the current one included."),
    update: bool = typer.Option(True, "--update/--no-update", help="Bring the rollups up to date first."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Metrics per window: interactions, acceptance, feedback coverage, approval, edits, re-queries,
    outcomes, pairs and velocity, read off the rollups.

    Example: flyloop monitor metrics --grain day --by arm --workload support
    """
    settings = Settings(project=project, database_url=database_url)
    if segment_key is not None and by is None:
        by = "segment"
    # Whole windows ending with the current one: two calls in the same window ask the same span.
    until = monitor.bucket_start(time.time(), monitor.check_grain(grain)) + monitor.GRAINS[grain]
    fw = handle(settings)
    try:
        if update:
            fw.monitor.refresh(check=False)
        found = fw.monitor.metrics(
            grain,
            workload=workload,
            by=by,
            since=until - max(1, windows) * monitor.GRAINS[grain],
            until=until,
            segment_key=segment_key,
        )
    finally:
        _close(fw)
    if as_json:
        _print_json(found)
        return
    table = Table(title=f"metrics per {grain}" + (f", {workload}" if workload else ""))
    for col in ("window", *(["group"] if by else []), "interactions", *SHOWN, "velocity signal→release"):
        table.add_column(col)
    for w in found["windows"]:
        r = w["rates"]
        velocity = r["velocity_signal_to_release_s"]
        table.add_row(
            time.strftime("%Y-%m-%d %H:%M", time.gmtime(w["start"])),
            *([str(w["group"])] if by else []),
            str(w["counts"].get("interactions", 0)),
            *(_num(r[name]) for name in SHOWN),
            "no release" if velocity is None else f"{velocity / 3600:.1f} h",
        )
    if found["windows"]:
        console.print(table)
    for note in found["notes"]:
        console.print(note)


@command(monitor_app, "alerts")
def alerts(
    check: bool = typer.Option(True, "--check/--no-check", help="Update the rollups and run the checks first."),
    kind: str | None = typer.Option(None, "--kind", help="Only this kind of alert."),
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload."),
    limit: int = typer.Option(20, "--limit", help="How many, newest first."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Alerts: regressions after a release, segment disparity, metric gaming, feedback coverage
    bias, input drift and flywheel stall, each in words and numbers, with its webhook delivery.

    Example: flyloop monitor alerts --kind regression
    """
    settings = Settings(project=project, database_url=database_url)
    notes: list[str] = []
    fw = handle(settings)
    try:
        if check:
            notes = fw.monitor.refresh(workload=workload)["notes"]
        found = fw.monitor.alerts(kind=kind, workload=workload, limit=limit)
    finally:
        _close(fw)
    if as_json:
        _print_json({"items": [a.to_json() for a in found], "notes": notes})
        return
    if not found:
        console.print("no alerts" + (f" of kind {kind}" if kind else ""))
    for a in found:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(a.created_at))
        delivery = a.delivery if settings.monitor_webhook_url or a.delivery != "pending" else "pending (no webhook set)"
        console.print(f"[{a.severity}] {a.kind} {when} ({delivery})")
        console.print(f"  {a.message}")
    for note in notes:
        console.print(note)


@command(monitor_app, "refresh")
def refresh(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Check only this workload."),
    check: bool = typer.Option(True, "--check/--no-check", help="Run the alert checks and deliver them too."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The monitor's job now: the rollups brought up to date and the alert checks run, what is due
    delivered to the webhook (what the worker, or serve, runs every monitor_interval_s).

    Example: flyloop monitor refresh --workload support
    """
    settings = Settings(project=project, database_url=database_url)
    fw = handle(settings)
    try:
        done = fw.monitor.refresh(workload=workload, check=check)
    finally:
        _close(fw)
    if as_json:
        _print_json(done)
        return
    console.print(f"rollups up to date: {done['interactions']:,} interactions counted again")
    for note in done["notes"]:
        console.print(note)
