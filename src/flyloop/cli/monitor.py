"""``flyloop monitor``: the metrics read off the rollups, the alerts, and the upkeep that keeps
both (what the worker runs on its timer), on the local store."""

from __future__ import annotations

import time
from typing import Any

import typer
from rich.table import Table

from flyloop import monitor
from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, _store, app, command, console
from flyloop.settings import Settings

monitor_app = typer.Typer(help="Monitor: metrics over windows, and alerts.", no_args_is_help=True)
app.add_typer(monitor_app, name="monitor")

SHOWN = ("acceptance_rate", "feedback_coverage", "approval_rate", "edit_rate", "requery_rate", "outcome_rate")


def _num(value: Any, pct: bool = True) -> str:
    if value is None:
        return "no data"
    return f"{100 * value:.1f}%" if pct else f"{value:.1f}"


@command(monitor_app, "metrics")
def metrics(
    grain: str = typer.Option("day", "--grain", help="hour, day or week."),
    workload: str | None = typer.Option(None, "--workload", "-w", help="One workload (default: all)."),
    by: str | None = typer.Option(None, "--by", help="Group by workload, version or segment."),
    windows: int = typer.Option(14, "--windows", help="How many windows back from now."),
    update: bool = typer.Option(True, "--update/--no-update", help="Bring the rollups up to date first."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Metrics per window: interactions, acceptance, feedback coverage, approval, edits, re-queries,
    outcomes, pairs and velocity, read off the rollups.

    Example: flyloop monitor metrics --grain day --by version --workload support
    """
    settings = Settings(project=project, database_url=database_url)
    store = _store(settings)
    try:
        if update:
            monitor.catch_up_rollups(store, settings.project, segment_key=settings.monitor_segment_key)
        step = monitor.GRAINS.get(grain, 86400.0)
        found = monitor.metrics(
            store,
            settings.project,
            grain=grain,
            workload=workload,
            by=by,
            since=time.time() - max(1, windows) * step,
            segment_key=settings.monitor_segment_key,
        )
    finally:
        store.close()
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
    store = _store(settings)
    notes: list[str] = []
    try:
        if check:
            monitor.catch_up_rollups(store, settings.project, segment_key=settings.monitor_segment_key)
            notes = monitor.check_alerts(store, settings.project, settings=settings, workload=workload).notes
            monitor.deliver_configured(store, settings.project, settings)
        found = monitor.list_alerts(store, settings.project, kind=kind, workload=workload, limit=limit)
    finally:
        store.close()
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
