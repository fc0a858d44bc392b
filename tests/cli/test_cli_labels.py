"""flyloop labels and flyloop coverage on the command line (flyloop.cli.labels)."""

from __future__ import annotations

import time

from typer.testing import CliRunner

from flyloop import Flywheel

T = time.time() - 86400


OUT = "The answer is 84."


def test_cli_labels_and_coverage(database_url, settings, monkeypatch):
    from flyloop.cli import app
    from flyloop.store.engine import Store

    monkeypatch.setenv("FLYLOOP_DATABASE_URL", database_url)
    with Flywheel(database_url=database_url, project="cli", spool_dir=settings.home + "/spool2") as fw:
        it = fw.log("math", "What is 37 + 48?", OUT, id="cli-1", ts=T)
        it.edit("The answer is 85.", ts=T + 5)
    runner = CliRunner()
    shown = runner.invoke(app, ["labels", "show", "cli-1", "--project", "cli"])
    assert shown.exit_code == 0 and "corrected" in shown.stdout and "[-84-]{+85+}" in shown.stdout
    assert runner.invoke(app, ["labels", "show", "nope", "--project", "cli"]).exit_code == 2
    stats = runner.invoke(app, ["labels", "stats", "--project", "cli", "--json"])
    assert stats.exit_code == 0 and '"corrected": 1' in stats.stdout
    again = runner.invoke(app, ["labels", "recompute", "--project", "cli", "--infer"])
    assert again.exit_code == 0 and "labelled 1 interactions" in again.stdout
    cov = runner.invoke(app, ["coverage", "--project", "cli"])
    assert cov.exit_code == 0 and "never collected" in cov.stdout
    Store(database_url).close()
