"""``flyloop report``: the flywheel report (seed 004's design document) written from live data,
as Markdown with its plots beside it and as one self-contained HTML page. The body is one call of
:func:`flyloop.monitor.write_report`; it reads the store itself, so it runs where the store is."""

from __future__ import annotations

from pathlib import Path

import typer

from flyloop import errors
from flyloop.cli.core import DbOpt, ProjectOpt, _store, app, command, console
from flyloop.settings import Settings

FORMATS = {"md": ("md",), "html": ("html",), "both": ("md", "html")}


@command(app, "report")
def report(
    out: Path = typer.Option(Path("flywheel-report"), "--out", "-o", help="Folder the report is written to."),
    workload: str | None = typer.Option(None, "--workload", "-w", help="Report on one workload (default: all)."),
    fmt: str = typer.Option("both", "--format", "-f", help="md, html or both."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Write the flywheel report from live data: the data audit, signal design, loops, velocity,
    moat, risks, the next 90 days with their owners (report_owners) and seed 004's quality check.

    Example: flyloop report --out report/ --workload triage --format both
    """
    if fmt not in FORMATS:
        raise errors.ValidationError(f"format must be one of md, html, both, not {fmt!r}", field="format")
    from flyloop.monitor import write_report

    settings = Settings(project=project, database_url=database_url)
    done = write_report(
        _store(settings), settings.project, out, workload=workload, formats=FORMATS[fmt], settings=settings
    )
    for note in done.notes:
        console.print(f"note: {note}", highlight=False, soft_wrap=True)
    for path in done.files:
        console.print(f"wrote {path}", highlight=False, soft_wrap=True)
    if done.plots:
        console.print(
            f"wrote {len(done.plots)} plots beside it: {', '.join(p.name for p in done.plots)}", highlight=False
        )
    console.print(done.report["headline"], highlight=False, soft_wrap=True)
    console.print(f"in {done.seconds:.1f} s", highlight=False)
