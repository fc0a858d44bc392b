"""``flyloop experiments``: a candidate against production on a ramp of traffic; ``flyloop
decisions``: what the automation decided, for a person to approve or dismiss; ``flyloop
automation``: the project's level. Each body is a verb of ``fw.experiments``, ``fw.decisions`` or
``fw.automation``, so with ``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set they ask the server."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.cli.registry import JsonOpt, fields_table, when
from flyloop.settings import Settings

experiments_app = typer.Typer(
    help="Experiments: a candidate against production on a ramp: start, list, show, stop, check.",
    no_args_is_help=True,
)
decisions_app = typer.Typer(help="What the automation decided: list, approve, dismiss.", no_args_is_help=True)
automation_app = typer.Typer(
    help="The project's automation level (manual, semi, approved, full): show, set.", no_args_is_help=True
)
app.add_typer(experiments_app, name="experiments")
app.add_typer(decisions_app, name="decisions")
app.add_typer(automation_app, name="automation")


def experiment_json(experiment: Any) -> dict[str, Any]:
    return {**experiment.model_dump(mode="json"), "share": experiment.share, "split": experiment.split}


def print_decision(decision: Any) -> None:
    where = f"decision {decision.id}" if decision.id else "look"
    console.print(f"{where}: {decision.action} ({decision.status}) for experiment {decision.experiment_id}")
    console.print(decision.reason)


def print_metrics(found: dict[str, Any]) -> None:
    from flyloop.rollout import metrics_table

    console.print(metrics_table(found), markup=False, highlight=False)
    if found["srm"]["mismatch"]:
        console.print(f"SAMPLE RATIO MISMATCH: {found['srm']['reason']}", markup=False)


@command(experiments_app, "start")
def experiments_start(
    workload: str,
    candidate: str,
    ramp: str = typer.Option("10,50,100", help="The candidate's share at each step, in percent, ending at 100."),
    primary: str | None = typer.Option(None, help="The metric that must improve (default good_rate)."),
    guardrail: list[str] | None = typer.Option(
        None, "--guardrail", "-g", help="A metric the candidate may not make worse (repeat; default: the primary)."
    ),
    min_users: int = typer.Option(1000, help="Candidate users a step needs before the ramp moves on."),
    segment: str | None = typer.Option(None, help="A metadata key whose values are segments (such as plan)."),
    force: bool = typer.Option(False, help="Start a candidate that failed its gate (needs --reason)."),
    reason: str = typer.Option("", help="Why (recorded; required with --force)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Start an experiment: the candidate against the production version, new users assigned by a
    salted hash of their pseudonym and kept in their arm.

    Example: flyloop experiments start triage pv_0123456789abcdef --ramp 10,50,100 --primary acceptance
    """
    from flyloop import errors

    try:
        steps = [float(s) for s in ramp.split(",") if s.strip()]
    except ValueError:
        raise errors.ValidationError(f"{ramp!r} is not a list of percentages such as 10,50,100", field="ramp") from None
    options: dict[str, Any] = {"ramp": steps, "min_users": min_users, "force": force, "reason": reason}
    if primary is not None:
        options["primary"] = primary
    if guardrail:
        options["guardrails"] = guardrail
    if segment is not None:
        options["segment"] = segment
    found = handle(Settings(project=project, database_url=database_url)).experiments.start(
        workload, candidate, **options
    )
    if as_json:
        _print_json(experiment_json(found))
        return
    console.print(f"started {found.summary()}", markup=False)


@command(experiments_app, "list")
def experiments_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's experiments."),
    status: str | None = typer.Option(None, help="Only those running, promoted, rolled_back or stopped."),
    limit: int = typer.Option(50, help="Most experiments to list."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List experiments, newest first.

    Example: flyloop experiments list --status running
    """
    found = handle(Settings(project=project, database_url=database_url)).experiments.list(workload, status, limit)
    if as_json:
        _print_json([experiment_json(e) for e in found])
        return
    table = Table(title="experiments")
    for col in ("id", "workload", "candidate", "control", "status", "share", "started"):
        table.add_column(col, overflow="fold")
    for e in found:
        table.add_row(e.id, e.workload, e.candidate, e.control, e.status, f"{e.share:g}%", when(e.started_at))
    console.print(table)


@command(experiments_app, "show")
def experiments_show(
    experiment_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show an experiment and its arms' live metrics: each metric's always-valid interval, the
    Benjamini-Hochberg adjusted p-value, and the sample-ratio check.

    Example: flyloop experiments show ex_0123456789abcdef
    """
    fw = handle(Settings(project=project, database_url=database_url))
    found = fw.experiments.get(experiment_id)
    metrics = fw.experiments.metrics(experiment_id)
    if as_json:
        _print_json({"experiment": experiment_json(found), "metrics": metrics})
        return
    last = found.state.get("last_check") or {}
    rows = [
        ("workload", found.workload),
        ("status", found.status),
        ("control", found.control),
        ("candidate", found.candidate),
        ("ramp", " → ".join(f"{s:g}%" for s in found.ramp) + f" (now {found.share:g}%)"),
        ("primary", found.config["primary"]["metric"]),
        ("guardrails", ", ".join(g["metric"] for g in found.config["guardrails"])),
        ("started", f"{when(found.started_at)} by {found.created_by}"),
        ("last look", f"{last.get('action', '')}: {'; '.join(last.get('reasons', []))}" if last else "none yet"),
    ]
    console.print(fields_table(f"experiment {found.id}", rows))
    print_metrics(metrics)


@command(experiments_app, "stop")
def experiments_stop(
    experiment_id: str,
    reason: str = typer.Option("", help="Why (recorded)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """End a running experiment without a decision: production for everyone again.

    Example: flyloop experiments stop ex_0123456789abcdef --reason "wrong candidate"
    """
    found = handle(Settings(project=project, database_url=database_url)).experiments.stop(experiment_id, reason)
    if as_json:
        _print_json(experiment_json(found))
        return
    console.print(f"stopped {found.summary()}", markup=False)


@command(experiments_app, "check")
def experiments_check(
    experiment_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Look at a running experiment now: ramp up, promote, roll back or hold, acted on at the
    project's automation level (the worker does this on its own).

    Example: flyloop experiments check ex_0123456789abcdef
    """
    found = handle(Settings(project=project, database_url=database_url)).experiments.check(experiment_id)
    if as_json:
        _print_json(found.model_dump(mode="json"))
        return
    print_decision(found)


@command(decisions_app, "list")
def decisions_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's decisions."),
    experiment: str | None = typer.Option(None, help="Only this experiment's decisions."),
    status: str | None = typer.Option(None, help="Only flagged, pending, applied, approved, dismissed, superseded."),
    limit: int = typer.Option(50, help="Most decisions to list."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the automation's decisions, newest first, with their reasons.

    Example: flyloop decisions list --status pending
    """
    fw = handle(Settings(project=project, database_url=database_url))
    found = fw.decisions.list(workload, experiment, status, limit)
    if as_json:
        _print_json([d.model_dump(mode="json") for d in found])
        return
    table = Table(title="decisions")
    for col in ("id", "experiment", "action", "status", "reason", "made"):
        table.add_column(col, overflow="fold")
    for d in found:
        table.add_row(d.id or "", d.experiment_id or "", d.action, d.status, d.reason, when(d.created_at))
    console.print(table)


@command(decisions_app, "approve")
def decisions_approve(
    decision_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Apply a flagged or pending decision (ramp the experiment, promote, or roll back).

    Example: flyloop decisions approve dc_0123456789abcdef
    """
    found = handle(Settings(project=project, database_url=database_url)).decisions.approve(decision_id)
    if as_json:
        _print_json(found.model_dump(mode="json"))
        return
    print_decision(found)


@command(decisions_app, "dismiss")
def decisions_dismiss(
    decision_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Close a flagged or pending decision without applying it.

    Example: flyloop decisions dismiss dc_0123456789abcdef
    """
    found = handle(Settings(project=project, database_url=database_url)).decisions.dismiss(decision_id)
    if as_json:
        _print_json(found.model_dump(mode="json"))
        return
    print_decision(found)


@command(automation_app, "show")
def automation_show(project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
    """Print the project's automation level.

    Example: flyloop automation show
    """
    console.print(handle(Settings(project=project, database_url=database_url)).automation.show())


@command(automation_app, "set")
def automation_set(level: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
    """Set the project's automation level: manual (people act), semi (decisions flagged for a
    person), approved (pending until `flyloop decisions approve`), full (applied at once).

    Example: flyloop automation set approved
    """
    done = handle(Settings(project=project, database_url=database_url)).automation.set(level)
    console.print(f"automation: {done}")
