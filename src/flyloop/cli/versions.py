"""``flyloop versions``: each policy version's stage (candidate, canary, production, archived) and
taint, its lineage and the history of its moves with their gates, the diff of two, promotion under
the evaluation gate and rollback. Each body is one verb of the project handle (``fw.versions``), so
with ``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.cli.registry import JsonOpt, fields_table, version_rows, when
from flyloop.settings import Settings

versions_app = typer.Typer(
    help="Policy versions' stages: list, show (lineage), history, diff, promote under the gate, roll back, taint.",
    no_args_is_help=True,
)
app.add_typer(versions_app, name="versions")


def gate_words(gate: dict[str, Any] | None) -> str:
    """A move's gate in one line: its verdict's summary, and whether a person forced it."""
    if not gate:
        return ""
    summary = str(gate.get("summary") or ("passed" if gate.get("passed") else ""))
    return f"FORCED ({gate.get('reason', '')}): {summary}" if gate.get("forced") else summary


@command(versions_app, "list")
def versions_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's versions."),
    stage: str | None = typer.Option(
        None, help="Only versions in this stage: candidate, canary, production, archived."
    ),
    tainted: bool = typer.Option(False, "--tainted", help="Only versions trained on erased or condemned data."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List policy versions, oldest first, with their stage and taint.

    Example: flyloop versions list --workload triage --tainted
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).versions.list(workload, stage=stage, tainted=True if tainted else None)
    if as_json:
        _print_json([e.model_dump(mode="json") for e in found])
        return
    table = Table(title=f"policy versions{f' of {workload}' if workload else ''}")
    for col in ("id", "workload", "stage", "created", "by", "parent", "taint"):
        table.add_column(col, overflow="fold")
    for e in found:
        v = e.version
        table.add_row(v.id, v.workload, e.stage, when(v.created_at), v.created_by, v.parent or "", e.taint or "")
    console.print(table)


@command(versions_app, "show")
def versions_show(
    version_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show one version: its spec, stage and taint, where it came from (signals, dataset versions,
    loop run, bank, artifacts), its evaluations, experiments, and every stage move with its gate.

    Example: flyloop versions show pv_3f2a9c01b7e4d5a6
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).versions.show(version_id)
    if as_json:
        _print_json(found)
        return
    from flyloop.registry import PolicyVersion

    version = PolicyVersion.model_validate(found["version"])
    run = found["run"]
    rows: list[tuple[str, Any]] = [
        ("stage", found["stage"]),
        ("taint", found["taint"] or ""),
        *version_rows(version),
        ("ancestors", " <- ".join(found["ancestors"])),
        ("loop run", f"{run['id']} ({run['loop']}, {run['status']})" if run else ""),
        ("bank", f"{found['bank']['id']} ({found['bank']['size']} examples)" if found["bank"] else ""),
        ("artifacts", ", ".join(f"{a['field']}: {a['id']}" for a in found["artifacts"])),
        (
            "signals",
            f"{found['signals']['count']} (e.g. {', '.join(found['signals']['sample'][:3])})"
            if found["signals"]["count"]
            else "0",
        ),
    ]
    console.print(fields_table(f"policy version {version.id}", rows))
    if found["datasets"]:
        table = Table(title="trained on")
        for col in ("dataset version", "name", "used by", "interactions", "signals", "tainted"):
            table.add_column(col, overflow="fold")
        for d in found["datasets"]:
            table.add_row(
                d["id"],
                d["name"],
                ", ".join(d["used_by"]),
                str(d["interactions"]),
                str(d["signals"]),
                d["taint_reason"] or "",
            )
        console.print(table)
    if found["evaluations"]:
        table = Table(title="evaluations")
        for col in ("id", "at", "against", "source", "cases", "passed", "gate"):
            table.add_column(col, overflow="fold")
        for e in found["evaluations"]:
            passed = "" if e["passed"] is None else ("yes" if e["passed"] else "no")
            table.add_row(
                e["id"], when(e["created_at"]), e["baseline"] or "", e["source"], str(e["cases"]), passed, e["summary"]
            )
        console.print(table)
    if found["experiments"]:
        table = Table(title="experiments")
        for col in ("id", "role", "status", "control", "candidate", "started", "ended"):
            table.add_column(col, overflow="fold")
        for x in found["experiments"]:
            table.add_row(
                x["id"],
                x["role"],
                x["status"],
                x["control"],
                x["candidate"],
                when(x["started_at"]),
                when(x["ended_at"]),
            )
        console.print(table)
    table = Table(title="stage history")
    for col in ("at", "stage", "version", "previous", "by", "reason", "gate", "evaluation", "experiment"):
        table.add_column(col, overflow="fold")
    for m in found["moves"]:
        table.add_row(
            when(m["at"]),
            m["stage"],
            m["version_id"],
            m["previous"] or "",
            m["by"],
            m["reason"],
            gate_words(m["gate"]),
            m["evaluation_id"] or "",
            m["experiment_id"] or "",
        )
    console.print(table)


@command(versions_app, "diff")
def versions_diff(
    a: str = typer.Argument(..., help="The version to compare from."),
    b: str = typer.Argument(..., help="The version to compare to."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """What differs from version A to B: the prompts as unified diffs, then bank, adapter, model,
    parameters and the other fields.

    Example: flyloop versions diff pv_3f2a9c01b7e4d5a6 pv_9e8d7c6b5a4f3e2d
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).versions.diff(a, b)
    if as_json:
        _print_json(found)
        return
    if not found["changed"]:
        console.print(f"{a} and {b} have the same spec", highlight=False)
        return
    if found["workloads"][0] != found["workloads"][1]:
        console.print(f"workload: {found['workloads'][0]} -> {found['workloads'][1]}", highlight=False)
    for text in found["prompt"].values():
        console.print(text, end="", highlight=False)
    for name, values in found["fields"].items():
        console.print(f"{name}: {values['a']} -> {values['b']}", highlight=False)
    for name, values in found["params"].items():
        console.print(f"params.{name}: {values['a']} -> {values['b']}", highlight=False)


@command(versions_app, "promote")
def versions_promote(
    version_id: str,
    workload: str | None = typer.Option(
        None, "--workload", "-w", help="The workload (checked; default: the version's)."
    ),
    force: bool = typer.Option(False, "--force", help="Promote past a failed or missing gate (needs --reason)."),
    reason: str = typer.Option("", help="Why: kept in the stage history (required with --force)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Make a version its workload's production version, if its newest evaluation against the
    current production version passed its gate (or --force with a --reason, recorded).

    Example: flyloop versions promote pv_3f2a9c01b7e4d5a6 --reason "passed on the eval split"
    """
    settings = Settings(project=project, database_url=database_url)
    move = handle(settings).versions.promote(version_id, workload=workload, reason=reason, force=force)
    if as_json:
        _print_json(move.model_dump(mode="json"))
        return
    before = f" (was {move.previous}, now archived)" if move.previous else ""
    console.print(f"{move.workload}: production is {move.version_id}{before}", highlight=False)
    if move.gate:
        console.print(f"gate: {gate_words(move.gate)}", highlight=False)


@command(versions_app, "rollback")
def versions_rollback(
    workload: str,
    reason: str = typer.Option(..., help="Why: kept in the stage history."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Give a workload's production back to the version that held it before the current one.

    Example: flyloop versions rollback triage --reason "misroutes doubled since the last promotion"
    """
    settings = Settings(project=project, database_url=database_url)
    move = handle(settings).versions.rollback(workload, reason=reason)
    if as_json:
        _print_json(move.model_dump(mode="json"))
        return
    console.print(f"{move.workload}: production is {move.version_id} again (was {move.previous})", highlight=False)


@command(versions_app, "history")
def versions_history(
    workload: str | None = typer.Argument(None, help="Only this workload's moves."),
    version: str | None = typer.Option(None, help="Only this version's moves (and those that replaced it)."),
    stage: str | None = typer.Option(None, help="Only moves to this stage."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Every stage move, oldest first: which version went where, when, by whom or what, why, and
    the gate, evaluation and experiment it rested on.

    Example: flyloop versions history triage --stage production
    """
    settings = Settings(project=project, database_url=database_url)
    moves = handle(settings).versions.history(workload, version=version, stage=stage)
    if as_json:
        _print_json([m.model_dump(mode="json") for m in moves])
        return
    table = Table(title=f"stage history{f' of {workload}' if workload else ''}")
    for col in ("at", "workload", "stage", "version", "previous", "by", "reason", "gate"):
        table.add_column(col, overflow="fold")
    for m in moves:
        table.add_row(
            when(m.at), m.workload, m.stage, m.version_id, m.previous or "", m.by, m.reason, gate_words(m.gate)
        )
    console.print(table)


@command(versions_app, "taint")
def versions_taint(
    version_id: str,
    reason: str = typer.Option(..., help="Why it must not be served: kept with the mark."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Mark a version tainted: it is never promoted nor put in an experiment again.

    Example: flyloop versions taint pv_3f2a9c01b7e4d5a6 --reason "its bank holds a leaked ticket"
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).versions.taint(version_id, reason)
    if as_json:
        _print_json({"version": version_id, "taint": found})
        return
    console.print(f"{version_id} is tainted: {found}", highlight=False)
