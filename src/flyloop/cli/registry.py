"""``flyloop workloads`` and ``flyloop policies``: the workloads an app logs to (type, label set) and
the policy versions it is served (register, list, show, promote, history). Each body is one verb of
the project handle (``fw.workloads.declare`` for ``flyloop workloads declare``), so with
``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.table import Table

from flyloop import errors
from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.settings import Settings

workloads_app = typer.Typer(help="Workloads: declare their type and label set, list, show.", no_args_is_help=True)
app.add_typer(workloads_app, name="workloads")
policies_app = typer.Typer(
    help="Policy versions: register, list, show, promote to production, history.", no_args_is_help=True
)
app.add_typer(policies_app, name="policies")

JsonOpt = typer.Option(False, "--json", help="Print JSON.")


def when(ts: float | None) -> str:
    """Epoch seconds as an ISO 8601 UTC time to the second ('' for none)."""
    return "" if ts is None else datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def fields_table(title: str, rows: list[tuple[str, Any]]) -> Table:
    """A two-column table of a record's fields; dicts and lists shown as compact JSON."""
    table = Table(title=title, show_header=False)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    for name, value in rows:
        if isinstance(value, dict | list):
            value = orjson.dumps(value).decode()
        table.add_row(name, "" if value is None else str(value))
    return table


# --- workloads ---------------------------------------------------------------------------------


@command(workloads_app, "declare")
def workloads_declare(
    name: str = typer.Argument(..., help="The workload's name, as the app logs it."),
    kind: str = typer.Option("generation", "--type", "-t", help="generation (text or chat) or choice (one label)."),
    label: list[str] = typer.Option([], "--label", "-l", help="A label of a choice workload (repeat)."),
    description: str = typer.Option("", help="What the workload does."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Declare a workload (or change its declaration): its type and, for a choice workload, its labels.

    Example: flyloop workloads declare triage --type choice --label billing --label bug --label other
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings, create=True).workloads.declare(
        name, type=kind, labels=label or None, description=description
    )
    labels = f" labels {', '.join(found.labels)}" if found.labels else ""
    console.print(f"workload {found.name}: {found.type}{labels}", highlight=False)


@command(workloads_app, "list")
def workloads_list(project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """List the project's workloads: declared ones and those only logged to.

    Example: flyloop workloads list --json
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).workloads.list()
    if as_json:
        _print_json([w.model_dump(mode="json") for w in found])
        return
    table = Table(title="workloads")
    for col in ("name", "type", "labels", "declared", "description"):
        table.add_column(col, overflow="fold")
    for w in found:
        table.add_row(w.name, w.type, ", ".join(w.labels or []), "yes" if w.declared else "", w.description)
    console.print(table)


@command(workloads_app, "show")
def workloads_show(
    name: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show one workload: its declaration and its counts (interactions, outputs outside its labels).

    Example: flyloop workloads show triage
    """
    settings = Settings(project=project, database_url=database_url)
    fw = handle(settings)
    found = fw.workloads.get(name)
    stats = fw.workloads.stats(name)
    if as_json:
        _print_json({**found.model_dump(mode="json"), "stats": stats})
        return
    rows: list[tuple[str, Any]] = [
        ("type", found.type),
        ("labels", ", ".join(found.labels or [])),
        ("declared", "yes" if found.declared else "no (implied by its interactions)"),
        ("description", found.description),
        ("created", when(found.created_at)),
        *[(key, value) for key, value in stats.items() if key != "name"],
    ]
    console.print(fields_table(f"workload {found.name}", rows))


# --- policies ----------------------------------------------------------------------------------


def read_spec(path: str | None) -> dict[str, Any]:
    """A policy spec file: JSON, or TOML by its suffix."""
    if path is None:
        return {}
    file = Path(path)
    if not file.is_file():
        raise errors.ValidationError(f"no such file {path!r}", field="file")
    try:
        found = tomllib.loads(file.read_text()) if file.suffix == ".toml" else orjson.loads(file.read_bytes())
    except (tomllib.TOMLDecodeError, orjson.JSONDecodeError, UnicodeDecodeError) as exc:
        kind = "TOML" if file.suffix == ".toml" else "JSON"
        raise errors.ValidationError(f"{path}: not valid {kind} ({exc})", field="file") from None
    if not isinstance(found, dict):
        raise errors.ValidationError(f"{path}: a policy is an object of its fields", field="file")
    return found


def parse_params(items: list[str]) -> dict[str, Any]:
    """``key=value`` pairs; each value read as JSON when it is JSON (0.2, 256, true, ["x"]), else as text."""
    params: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise errors.ValidationError(f"a parameter is key=value, not {item!r}", field="param")
        try:
            params[key] = orjson.loads(raw)
        except orjson.JSONDecodeError:
            params[key] = raw
    return params


def version_rows(v: Any) -> list[tuple[str, Any]]:
    return [
        ("workload", v.workload),
        ("backend", v.backend),
        ("model", v.model),
        ("system prompt", v.system_prompt),
        ("template", v.template),
        ("variables", v.variables),
        ("bank", v.bank),
        ("k", v.k),
        ("selector", v.selector),
        ("token budget", v.token_budget),
        ("params", v.params),
        ("adapter", v.adapter),
        ("reranker", v.reranker),
        ("parent", v.parent),
        ("created by", v.created_by),
        ("note", v.note),
        ("created", when(v.created_at)),
    ]


@command(policies_app, "register")
def policies_register(
    file: str | None = typer.Argument(None, help="A JSON (or .toml) file of the policy's fields."),
    workload: str | None = typer.Option(None, "--workload", "-w", help="The workload it serves."),
    backend: str | None = typer.Option(None, help="Model backend: openai, transformers, ..."),
    model: str | None = typer.Option(None, help="The backend's model (a name, or a local folder)."),
    system_prompt: str | None = typer.Option(None, "--system-prompt", help="The system prompt."),
    template: str | None = typer.Option(None, help="Jinja2 template of the user turn (default '{{ input }}')."),
    variable: list[str] = typer.Option([], "--variable", help="A template variable besides input (repeat)."),
    bank: str | None = typer.Option(None, help="A bank id of the workload (few-shot examples)."),
    k: int | None = typer.Option(None, "--k", help="Examples per call from the bank."),
    selector: str | None = typer.Option(None, help="similarity, mmr or balanced (choice workloads)."),
    param: list[str] = typer.Option([], "--param", help="A generation parameter key=value (repeat)."),
    parent: str | None = typer.Option(None, help="The version this one revises."),
    note: str = typer.Option("", help="Why this version exists."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Register a policy version from a file or options (options override the file's fields); the
    same spec twice is one version. Print its id.

    Example: flyloop policies register --workload triage --model gpt-4o-mini --system-prompt "Route it."
    """
    spec = read_spec(file)
    given = {
        "workload": workload,
        "backend": backend,
        "model": model,
        "system_prompt": system_prompt,
        "template": template,
        "variables": variable or None,
        "bank": bank,
        "k": k,
        "selector": selector,
        "params": {**spec.get("params", {}), **parse_params(param)} if param else None,
    }
    spec.update({key: value for key, value in given.items() if value is not None})
    if not spec.get("workload"):
        raise errors.ValidationError("name the workload: --workload or a workload field in the file", field="workload")
    settings = Settings(project=project, database_url=database_url)
    version = handle(settings).policies.register(spec, parent=parent, note=note)
    if as_json:
        _print_json(version.model_dump(mode="json"))
        return
    console.print(f"policy version {version.id} of workload {version.workload}", highlight=False)


@command(policies_app, "list")
def policies_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's versions."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List policy versions, oldest first, with the one in production marked.

    Example: flyloop policies list --workload triage
    """
    settings = Settings(project=project, database_url=database_url)
    fw = handle(settings)
    found = fw.policies.list(workload)
    if as_json:
        _print_json([v.model_dump(mode="json") for v in found])
        return
    serving = {w: fw.policies.production(w) for w in sorted({v.workload for v in found})}
    table = Table(title=f"policy versions{f' of {workload}' if workload else ''}")
    for col in ("id", "workload", "backend", "model", "bank", "k", "parent", "created by", "created"):
        table.add_column(col, overflow="fold")
    for v in found:
        prod = serving.get(v.workload)
        table.add_row(
            f"{v.id} (production)" if prod is not None and prod.id == v.id else v.id,
            v.workload,
            v.backend,
            v.model or "",
            v.bank or "",
            str(v.k),
            v.parent or "",
            v.created_by,
            when(v.created_at),
        )
    console.print(table)


@command(policies_app, "show")
def policies_show(
    version_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show one policy version: every field of its spec and its lineage.

    Example: flyloop policies show pv_3f2a9c01b7e4d5a6
    """
    settings = Settings(project=project, database_url=database_url)
    version = handle(settings).policies.get(version_id)
    if as_json:
        _print_json(version.model_dump(mode="json"))
        return
    console.print(fields_table(f"policy version {version.id}", version_rows(version)))


@command(policies_app, "promote")
def policies_promote(
    workload: str,
    version_id: str,
    reason: str = typer.Option("", help="Why: kept in the stage history."),
    force: bool = typer.Option(False, "--force", help="Past a missing or failed gate (needs --reason, recorded)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Make a version the workload's production version (what every user of it is served), under
    its gate: its newest evaluation against production must have passed (flyloop eval run).

    Example: flyloop policies promote triage pv_3f2a9c01b7e4d5a6 --reason "fewer misroutes in review"
    """
    settings = Settings(project=project, database_url=database_url)
    move = handle(settings).policies.promote(workload, version_id, reason, force=force)
    before = f" (was {move.previous})" if move.previous else ""
    console.print(f"{move.workload}: production is {move.version_id}{before}", highlight=False)


@command(policies_app, "production")
def policies_production(
    workload: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show the version a workload's users are served now (its production version), if any.

    Example: flyloop policies production triage
    """
    settings = Settings(project=project, database_url=database_url)
    version = handle(settings).policies.production(workload)
    if as_json:
        _print_json(None if version is None else version.model_dump(mode="json"))
        return
    if version is None:
        console.print(f"{workload} has no production version: flyloop policies promote {workload} <version>")
        return
    console.print(fields_table(f"production version of {workload}: {version.id}", version_rows(version)))


@command(policies_app, "history")
def policies_history(
    workload: str | None = typer.Argument(None, help="Only this workload's moves."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Every move to production, oldest first: which version, when, by whom, why (every stage's
    moves, with their gates: flyloop versions show).

    Example: flyloop policies history triage
    """
    settings = Settings(project=project, database_url=database_url)
    moves = handle(settings).policies.history(workload)
    if as_json:
        _print_json([m.model_dump(mode="json") for m in moves])
        return
    table = Table(title=f"stage history{f' of {workload}' if workload else ''}")
    for col in ("at", "workload", "stage", "version", "previous", "by", "reason"):
        table.add_column(col, overflow="fold")
    for m in moves:
        table.add_row(when(m.at), m.workload, m.stage, m.version_id, m.previous or "", m.by, m.reason)
    console.print(table)
