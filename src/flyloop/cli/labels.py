"""``flyloop labels`` and ``flyloop coverage``: verdicts from signals, and which signals are collected.
Each body is one verb of the project handle (``fw.labels.explain`` for ``flyloop labels explain``),
so with ``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.settings import Settings

labels_app = typer.Typer(help="Labels: one verdict per interaction from its signals.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")


def _explain(
    interaction_id: str,
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).labels.explain(interaction_id)
    if as_json:
        _print_json(found)
        return
    # Text pieces, not markup: an interaction id or workload is the user's and may hold brackets.
    console.print(
        Text.assemble(
            (found["interaction_id"], "bold"),
            f" ({found['workload']}): ",
            (found["verdict"], "bold"),
            f" confidence {found['confidence']:.2f}, score {found['score']:+.2f}",
        )
    )
    if found["edit"]:
        edit = found["edit"]
        console.print(
            f"edit: {edit['edit_class']}, {edit['char_distance']} characters / "
            f"{edit['token_distance']} tokens changed, "
            f"similarity {edit['similarity']:.2f}",
            highlight=False,
        )
        console.print(f"  {edit['diff']}", highlight=False)
    table = Table(title="signals")
    for col in ("kind", "source", "weight", "evidence", "counted", "note"):
        table.add_column(col)
    for sig in found["signals"]:
        note = sig["excluded"] or (f"caused by {sig['caused_by']}" if sig["caused_by"] else "")
        table.add_row(
            sig["kind"],
            sig["source"],
            f"{sig['weight']:g}",
            f"{sig['evidence']:+.2f}",
            "yes" if sig["counted"] else "",
            note,
        )
    console.print(table)
    for item in found["unattributed_outcomes"]:
        console.print(f"outcome {item['outcome_id']} ({item['name']}) not counted: {item['reason']}")


def _explain_command(name: str, doc: str) -> None:
    def run(
        interaction_id: str,
        project: str | None = ProjectOpt,
        database_url: str | None = DbOpt,
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        _explain(interaction_id, project, database_url, as_json)

    run.__doc__ = doc
    command(labels_app, name)(run)


_explain_command(
    "explain",
    """Explain one interaction's label: the signals that decided it, and any left out with why.

    Example: flyloop labels explain sim-i-00000042
    """,
)
_explain_command(
    "show",
    """Show one interaction's label (the same as `labels explain`, the library's name).

    Example: flyloop labels show sim-i-00000042
    """,
)


@command(labels_app, "get")
def labels_get(
    interaction_id: str,
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Print one interaction's label as JSON: verdict, confidence, score, corrected text, signals counted.

    Example: flyloop labels get sim-i-00000042
    """
    settings = Settings(project=project, database_url=database_url)
    _print_json(handle(settings).labels.get(interaction_id).as_dict())


@command(labels_app, "stats")
def labels_stats(
    workload: str | None = typer.Option(None, help="Only this workload."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Label distribution per workload, edit classes, and signals or outcomes that count for nothing yet.

    Example: flyloop labels stats --workload support-reply
    """
    settings = Settings(project=project, database_url=database_url)
    report = handle(settings).labels.stats(workload=workload)
    if as_json:
        _print_json(report)
        return
    table = Table(title=f"labels of project {report['project']}")
    table.add_column("workload")
    for verdict in report["verdicts"]:
        table.add_column(verdict, justify="right")
    for name, entry in report["workloads"].items():
        table.add_row(name, *(f"{n:,}" for n in entry["verdicts"].values()))
    table.add_row("all", *(f"{n:,}" for n in report["verdicts"].values()))
    console.print(table)
    console.print("edits: " + ", ".join(f"{k} {v:,}" for k, v in report["edit_classes"].items()))
    console.print(
        f"signals waiting for their interaction: {report['signals_waiting_for_interaction']:,}; "
        f"interactions not labelled yet: {report['unlabelled_interactions']:,}"
    )
    console.print(
        "outcomes counted for no interaction: "
        + ", ".join(f"{k} {v:,}" for k, v in report["unattributed_outcomes"].items())
    )


@command(labels_app, "recompute")
def labels_recompute(
    workload: str | None = typer.Option(None, help="Only this workload."),
    infer: bool = typer.Option(False, "--infer", help="Re-run attribution and inference first."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Relabel every interaction from its stored signals (after changing weights, say).

    Example: flyloop labels recompute --infer
    """
    settings = Settings(project=project, database_url=database_url)
    result = handle(settings).labels.recompute(workload=workload, infer=infer)
    console.print(
        f"labelled {result.labelled:,} interactions in {result.seconds:.2f}s: "
        + ", ".join(f"{k} {v:,}" for k, v in result.counts.items())
    )


def _coverage(workload: str | None, project: str | None, database_url: str | None, as_json: bool) -> None:
    settings = Settings(project=project, database_url=database_url)
    report = handle(settings).labels.coverage(workload=workload)
    if as_json:
        _print_json(report)
        return
    from flyloop.labels import coverage_table as table

    for name, entry in report["workloads"].items():
        console.print(table(name, entry))


def _coverage_command(target: typer.Typer, name: str, example: str) -> None:
    def run(
        workload: str | None = typer.Option(None, help="Only this workload."),
        project: str | None = ProjectOpt,
        database_url: str | None = DbOpt,
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        _coverage(workload, project, database_url, as_json)

    run.__doc__ = f"""Per workload, the share of interactions with each kind of signal, and kinds never collected.

    Example: {example}
    """
    command(target, name)(run)


_coverage_command(labels_app, "coverage", "flyloop labels coverage --workload support-reply")
_coverage_command(app, "coverage", "flyloop coverage --workload support-reply")
