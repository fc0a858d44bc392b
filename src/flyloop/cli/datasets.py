"""``flyloop datasets`` and ``flyloop export``: versioned datasets and trainer-ready exports. Each body
is one verb of the project handle (``fw.datasets.build`` for ``flyloop datasets build``), so with
``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server (an export then
writes the server's rows to files here)."""

from __future__ import annotations

import tomllib
from datetime import UTC
from typing import TYPE_CHECKING, Any

import orjson
import typer
from rich.table import Table

from flyloop import errors
from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, err_console, handle, project_name
from flyloop.settings import Settings

if TYPE_CHECKING:
    from rich.progress import Progress

datasets_app = typer.Typer(help="Dataset versions: build, list, show, diff, taint, rebuild.", no_args_is_help=True)
app.add_typer(datasets_app, name="datasets")
export_app = typer.Typer(
    help="Export a dataset version in a trainer's row format (JSONL or Parquet).", no_args_is_help=True
)
app.add_typer(export_app, name="export")


def _when(value: str | None, field: str) -> float | None:
    """Epoch seconds or an ISO 8601 date/time (UTC when no zone is given)."""
    if value is None:
        return None
    from datetime import datetime

    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise errors.ValidationError(f"{value!r} is neither epoch seconds nor an ISO 8601 date", field=field) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _build_config(config_file: str | None, **options: Any) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if config_file:
        from pathlib import Path

        path = Path(config_file)
        if not path.exists():
            raise errors.ValidationError(f"no such file {config_file!r}", field="config")
        try:
            config = tomllib.loads(path.read_text()) if path.suffix == ".toml" else orjson.loads(path.read_bytes())
        except (tomllib.TOMLDecodeError, orjson.JSONDecodeError) as exc:
            raise errors.ValidationError(
                f"{config_file}: not valid {'TOML' if path.suffix == '.toml' else 'JSON'} ({exc})", field="config"
            ) from None
    for key, value in options.items():
        if value is None or value == []:
            continue
        if key == "segment_keys":
            config.setdefault("balance", {})["keys"] = value
        else:
            config[key] = value
    return config


def _progress() -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        TextColumn("{task.completed:,}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def summary_table(manifest: dict[str, Any]) -> Table:
    from flyloop.datasets import summarize

    table = Table(title=f"dataset {manifest.get('name')} {str(manifest.get('id', ''))[:12]}", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    for what, value in summarize(manifest):
        table.add_row(what, value)
    return table


@command(datasets_app, "build")
def datasets_build(
    name: str = typer.Option("default", "--name", "-n", help="Dataset name; versions of a name form a lineage."),
    config_file: str | None = typer.Option(None, "--config", help="JSON or TOML file with the curation configuration."),
    workload: list[str] = typer.Option([], "--workload", "-w", help="Only these workloads (repeat)."),
    since: str | None = typer.Option(None, help="Only interactions at or after (epoch or ISO date)."),
    until: str | None = typer.Option(None, help="Only interactions before (epoch or ISO date)."),
    kind: list[str] = typer.Option(
        [], "--kind", "-k", help="sft, preference (dpo means the same), kto, fewshot, eval (repeat; default all)."
    ),
    segment_key: list[str] = typer.Option([], "--segment-key", help="Metadata key(s) whose segments weigh by usage."),
    min_confidence: float | None = typer.Option(None, help="Least label confidence used (default 0.5)."),
    parent: str | None = typer.Option(None, help="Parent version (default: the newest of this name)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Curate and store an immutable, content-hashed dataset version; print its manifest summary.

    Example: flyloop datasets build --name support --workload support-reply --segment-key plan
    """
    settings = Settings(project=project, database_url=database_url)
    config = _build_config(
        config_file,
        workloads=workload or None,
        since=_when(since, "since"),
        until=_when(until, "until"),
        kinds=kind,
        segment_keys=segment_key,
        min_confidence=min_confidence,
    )
    fw = handle(settings)
    with _progress() as progress:
        tasks: dict[str, Any] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        version = fw.datasets.build(name, config, parent=parent, progress=tick)
    console.print(summary_table(version.manifest))


@command(datasets_app, "list")
def datasets_list(
    name: str | None = typer.Option(None, help="Only versions of this name."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List dataset versions, newest first.

    Example: flyloop datasets list --name support
    """
    from datetime import datetime

    settings = Settings(project=project, database_url=database_url)
    fw = handle(settings)
    versions = fw.datasets.list(name)
    if as_json:
        _print_json([v.as_dict() for v in versions])
        return
    table = Table(title=f"dataset versions of project {project_name(settings, fw)}")
    for col in ("id", "name", "created", "examples", "parent", "tainted"):
        table.add_column(col)
    for v in versions:
        examples = ", ".join(f"{k} {sum(s.values()):,}" for k, s in sorted(v.counts.items()))
        table.add_row(
            v.short_id,
            v.name,
            datetime.fromtimestamp(v.created_at, UTC).isoformat(timespec="seconds"),
            examples,
            (v.parent_id or "")[:12],
            "yes" if v.tainted else "",
        )
    console.print(table)


@command(datasets_app, "show")
def datasets_show(
    ref: str = typer.Argument(..., help="Version id, unique id prefix, or name (its newest)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the whole manifest as JSON."),
) -> None:
    """Show a version's manifest: sources, filters and their counts, integrity, splits, segments, consent, lineage.

    Example: flyloop datasets show support --json
    """
    settings = Settings(project=project, database_url=database_url)
    manifest = handle(settings).datasets.show(ref)
    if as_json:
        _print_json(manifest)
        return
    console.print(summary_table(manifest))


@command(datasets_app, "diff")
def datasets_diff(
    a: str = typer.Argument(..., help="The older version."),
    b: str = typer.Argument(..., help="The newer version."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What changed between two versions: examples per kind, sources, configuration, filter counts.

    Example: flyloop datasets diff 3f2a9c01b7e4 8c1d0e5f2a6b
    """
    settings = Settings(project=project, database_url=database_url)
    report = handle(settings).datasets.diff(a, b)
    if as_json:
        _print_json(report)
        return
    table = Table(title=f"dataset diff {report['a']['id'][:12]} -> {report['b']['id'][:12]}")
    for col in ("kind", "added", "removed", "unchanged", "moved split"):
        table.add_column(col)
    for kind, row in report["examples"].items():
        table.add_row(
            kind, f"{row['added']:,}", f"{row['removed']:,}", f"{row['unchanged']:,}", f"{row['moved_split']:,}"
        )
    console.print(table)
    s = report["sources"]
    console.print(f"source interactions: +{s['added']:,} -{s['removed']:,} ={s['unchanged']:,}")
    for key, change in report["config"].items():
        console.print(f"config {key}: {change['a']!r} -> {change['b']!r}")
    for rule, change in report["filters"].items():
        console.print(f"filter {rule} removed: {change['a']} -> {change['b']}")


@command(datasets_app, "lineage")
def datasets_lineage(
    ref: str = typer.Argument(..., help="Version id, prefix or name."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Print the id lists behind a version as JSON: source interactions, signals, quarantined signals.

    Example: flyloop datasets lineage support
    """
    settings = Settings(project=project, database_url=database_url)
    _print_json(handle(settings).datasets.lineage(ref))


@command(datasets_app, "taint")
def datasets_taint(
    ref: str = typer.Argument(..., help="Version id, prefix or name."),
    reason: str = typer.Option(..., help="Why the version must not be used."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Mark a version as tainted: exports refuse it unless forced.

    Example: flyloop datasets taint 3f2a9c01b7e4 --reason "labels were computed with broken weights"
    """
    settings = Settings(project=project, database_url=database_url)
    version = handle(settings).datasets.taint(ref, reason)
    console.print(f"tainted {version.short_id}: {version.taint_reason}")


@command(datasets_app, "rebuild")
def datasets_rebuild(
    ref: str = typer.Argument(..., help="Version id, prefix or name."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Build a new version from a version's configuration on today's data (without erased users).

    Example: flyloop datasets rebuild 3f2a9c01b7e4
    """
    settings = Settings(project=project, database_url=database_url)
    version = handle(settings).datasets.rebuild(ref)
    console.print(summary_table(version.manifest))


def _export_command(target: str, what: str, example: str) -> None:
    def run(
        ref: str = typer.Argument(..., help="Version id, prefix or name."),
        out: str = typer.Option(
            "exports",
            "--out",
            "-o",
            help="A folder (one file per split, <target>.manifest.json) or one .jsonl/.parquet file "
            "(one split, train unless --split says).",
        ),
        fmt: str | None = typer.Option(
            None, "--format", "-f", help="jsonl (default) or parquet; a file's suffix sets it."
        ),
        split: list[str] = typer.Option([], "--split", help="Splits to write (repeat; default train and validation)."),
        style: str = typer.Option("auto", help="auto, standard (plain text) or conversational (chat messages)."),
        sft_format: str = typer.Option("prompt_completion", help="sft only: prompt_completion or messages."),
        system: str | None = typer.Option(None, help="A system message to put first (chat formats)."),
        weights: bool = typer.Option(False, "--weights", help="Add each row's segment weight as a 'weight' column."),
        force: bool = typer.Option(False, "--force", help="Export a tainted version anyway."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Replace files an earlier export left there."),
        project: str | None = ProjectOpt,
        database_url: str | None = DbOpt,
    ) -> None:
        settings = Settings(project=project, database_url=database_url)
        result = handle(settings).datasets.export(
            ref,
            target,
            out,
            fmt=fmt,
            splits=split or None,
            style=style,
            sft_format=sft_format,
            system=system,
            weights=weights,
            force=force,
            overwrite=overwrite,
        )
        if result.forced_taint:
            err_console.print(
                f"warning: exported a tainted version ({result.forced_taint})", highlight=False, markup=False
            )
        for path, (split_name, rows) in zip(result.files, result.rows.items()):
            console.print(f"{split_name}: {rows:,} rows -> {path}")
        left_out = ", ".join(f"{n:,} {why}" for why, n in result.excluded.items() if n)
        if left_out:
            console.print(f"left out at export: {left_out}")
        console.print(f"manifest: {result.manifest}")

    run.__doc__ = f"Export {what}.\n\n    Example: {example}\n    "
    command(export_app, target)(run)


_export_command(
    "sft",
    "SFT rows for TRL ({prompt, completion} or {messages})",
    "flyloop export sft support --out data/ --format parquet",
)
_export_command(
    "dpo", "preference pairs for TRL's DPO ({prompt, chosen, rejected})", "flyloop export dpo support --out data/"
)
_export_command(
    "preference",
    "preference pairs, as `export dpo` writes them (the kind's name for its target)",
    "flyloop export preference support --out data/",
)
_export_command(
    "kto", "binary examples for TRL's KTO ({prompt, completion, label})", "flyloop export kto support --out data/"
)
_export_command(
    "openai", "OpenAI chat fine-tuning JSONL ({messages})", "flyloop export openai support --system 'You are terse.'"
)
_export_command("openai-dpo", "OpenAI preference fine-tuning JSONL", "flyloop export openai-dpo support --out data/")
_export_command("fewshot", "the few-shot example bank", "flyloop export fewshot support --out data/")
_export_command("eval", "the held-out eval cases", "flyloop export eval support --split eval --out data/")
