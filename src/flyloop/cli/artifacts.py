"""``flyloop artifacts``: what the training loops made (LoRA adapters, choice heads, fine-tuned
embedders, reward models): list, show (the manifest, and whether it is tainted and why), taint,
export. Each body is a verb of ``fw.artifacts``, so with ``FLYLOOP_SERVER_URL`` and
``FLYLOOP_API_KEY`` set the commands ask the server (``export`` downloads the folder)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.cli.registry import JsonOpt, fields_table, when
from flyloop.settings import Settings

artifacts_app = typer.Typer(
    help="What the training loops made (adapters, heads, embedders, reward models): list, show, taint, export.",
    no_args_is_help=True,
)
app.add_typer(artifacts_app, name="artifacts")


def artifact_json(artifact: Any) -> dict[str, Any]:
    """An artifact as the API answers it (the folder's path is this machine's, not the server's)."""
    return dict(artifact.model_dump(mode="json", exclude={"path"}))


def size_text(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def artifact_rows(artifact: Any) -> list[tuple[str, Any]]:
    manifest = artifact.manifest or {}
    common = {"id", "kind", "workload", "dataset_version", "run", "code_version", "created_at", "files"}
    return [
        ("kind", artifact.kind),
        ("workload", artifact.workload),
        ("dataset version", artifact.dataset_version),
        ("run", artifact.run_id),
        ("size", size_text(artifact.size_bytes)),
        ("created", when(artifact.created_at)),
        ("code version", manifest.get("code_version")),
        ("tainted", f"yes: {artifact.taint_reason}" if artifact.tainted else "no"),
        ("files", ", ".join(f"{f['name']} ({size_text(f['bytes'])})" for f in manifest.get("files", []))),
        *[(name, value) for name, value in manifest.items() if name not in common],
        ("folder", artifact.path),
    ]


@command(artifacts_app, "list")
def artifacts_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's artifacts."),
    kind: str | None = typer.Option(None, help="Only this kind: adapter, head, embedder or reward."),
    limit: int = typer.Option(50, help="Most artifacts to list (1 to 1000)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the project's artifacts, newest first, with their taint marks.

    Example: flyloop artifacts list --workload support-reply --kind adapter
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).artifacts.list(workload, kind, limit)
    if as_json:
        _print_json([artifact_json(a) for a in found])
        return
    table = Table(title="artifacts")
    for col in ("id", "kind", "workload", "dataset", "run", "size", "created", "tainted"):
        table.add_column(col, overflow="fold", justify="right" if col == "size" else "left")
    for a in found:
        table.add_row(
            a.id,
            a.kind,
            a.workload,
            (a.dataset_version or "")[:12],
            a.run_id or "",
            size_text(a.size_bytes),
            when(a.created_at),
            "yes" if a.tainted else "",
        )
    console.print(table)


@command(artifacts_app, "show")
def artifacts_show(
    artifact_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show one artifact: its manifest (base model, configuration, metrics, files), the dataset
    version and run it came from, and whether it is tainted and why.

    Example: flyloop artifacts show ad_3f2a9c01b7e4d5a6
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).artifacts.get(artifact_id)
    if as_json:
        _print_json(artifact_json(found))
        return
    console.print(fields_table(f"artifact {found.id}", artifact_rows(found)))


@command(artifacts_app, "taint")
def artifacts_taint(
    artifact_id: str,
    reason: str = typer.Option(..., help="Why it is unfit for use (kept with the mark)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Mark an artifact unfit for use, keeping why; its files stay, for the record.

    Example: flyloop artifacts taint ad_3f2a9c01b7e4d5a6 --reason "trained on a leaked ticket"
    """
    settings = Settings(project=project, database_url=database_url)
    marked = handle(settings).artifacts.taint(artifact_id, reason)
    if as_json:
        _print_json(artifact_json(marked))
        return
    console.print(f"artifact {marked.id} tainted: {marked.taint_reason}", highlight=False, soft_wrap=True)


@command(artifacts_app, "export")
def artifacts_export(
    artifact_id: str,
    out: str = typer.Option(..., help="A new or empty folder to write it into."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Write an artifact's folder for use outside flyloop: an embedder as a sentence-transformers
    folder (SentenceTransformer(out) loads it), an adapter as a PEFT folder, with the manifest.

    Example: flyloop artifacts export em_3f2a9c01b7e4d5a6 --out ./retriever
    """
    settings = Settings(project=project, database_url=database_url)
    written = handle(settings).artifacts.export(artifact_id, out)
    files = sorted(p.name for p in written.rglob("*") if p.is_file())
    console.print(f"artifact {artifact_id} written to {written} ({len(files)} files)", highlight=False, soft_wrap=True)
