"""The demo is the main job: it must run end to end, and what it prints must match the store."""

from __future__ import annotations

from typer.testing import CliRunner

from flyloop.cli import app


def test_demo_runs_end_to_end(tmp_path, settings):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    out = CliRunner().invoke(app, ["demo", "--interactions", "300", "--users", "40", "--database-url", url],
                             terminal_width=160)
    assert out.exit_code == 0, out.output
    for section in ("captured", "labels (one verdict per interaction)", "signal coverage of math-help",
                    "signals orphaned"):
        assert section in out.output
    assert "delivered=True, rejected=0" in out.output


def test_demo_counts_agree_with_the_truth(tmp_path, settings):
    from rich.console import Console

    from flyloop import Settings
    from flyloop.demo import run

    result = run(Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", home=str(tmp_path)),
                 interactions=300, users=40, seed=3, console=Console(file=open(tmp_path / "out.txt", "w")))
    truth = result["truth"]
    assert result["status"]["counts"]["interactions"] == len(truth.correct)
    assert result["status"]["orphaned_signals"] == 0
    assert sum(result["labels"]["verdicts"].values()) == len(truth.correct)
