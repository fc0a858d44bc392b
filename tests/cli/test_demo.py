"""The demo is the main job: it must run end to end, and what it prints must match the store.
Here its capture tour (``--no-wheel``); tests/cli/test_cli_demo_wheel.py turns the wheel on a
synthetic corpus."""

from __future__ import annotations

from typer.testing import CliRunner

from flyloop.cli import app


def test_demo_runs_end_to_end(tmp_path, settings):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    out = CliRunner().invoke(
        app, ["demo", "--no-wheel", "--interactions", "300", "--users", "40", "--database-url", url], terminal_width=160
    )
    assert out.exit_code == 0, out.output
    for section in (
        "captured",
        "labels (one verdict per interaction)",
        "signal coverage of math-help",
        "signals orphaned",
    ):
        assert section in out.output
    assert "delivered=True, rejected=0" in out.output


def test_demo_counts_agree_with_the_truth(tmp_path, settings):
    from rich.console import Console

    from flyloop import Settings
    from flyloop.cli.demo import run

    result = run(
        Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", home=str(tmp_path)),
        interactions=300,
        users=40,
        wheel=False,
        seed=3,
        console=Console(file=open(tmp_path / "out.txt", "w")),
    )
    truth = result["truth"]
    assert result["status"]["counts"]["interactions"] == len(truth.correct)
    assert result["status"]["orphaned_signals"] == 0
    assert sum(result["labels"]["verdicts"].values()) == len(truth.correct)


def test_the_demo_writes_where_the_cli_reads_and_runs_again(tmp_path, monkeypatch, settings):
    """One home rule: the demo and every command use FLYLOOP_HOME (default ~/.flyloop); a second
    run resets the demo's own project instead of failing on what the first one left."""
    import json

    home = tmp_path / "home"
    monkeypatch.setenv("FLYLOOP_HOME", str(home))
    args = ["demo", "--no-wheel", "--interactions", "120", "--users", "20", "--seed", "5"]
    first = CliRunner().invoke(app, args, terminal_width=160)
    assert first.exit_code == 0, first.output
    assert f"store: sqlite:///{home / 'flyloop.db'}, project demo" in first.output
    assert "earlier demo run" not in first.output
    status = json.loads(CliRunner().invoke(app, ["status", "--project", "demo", "--json"]).output)
    assert status["counts"]["interactions"] > 100
    second = CliRunner().invoke(app, args, terminal_width=160)
    assert second.exit_code == 0, second.output
    assert (
        f"project demo held an earlier demo run ({status['counts']['interactions']:,} interactions): reset it"
        in second.output
    )
    again = json.loads(CliRunner().invoke(app, ["status", "--project", "demo", "--json"]).output)
    assert again["counts"] == status["counts"]


def test_the_demo_never_resets_a_project_it_did_not_make(database_url, settings):
    from flyloop import Flywheel

    with Flywheel(database_url=database_url, project="mine", spool_dir=settings.home + "/spool") as fw:
        fw.log("support", input="q", output="a", id="keep-me")
    out = CliRunner().invoke(app, ["demo", "--no-wheel", "--project", "mine", "--database-url", database_url])
    assert out.exit_code == 2
    assert "project 'mine' holds data the demo did not write" in out.output
    from flyloop import Store

    store = Store(database_url)
    assert store.get_interaction("mine", "keep-me")["output"] == "a"
    store.close()


def test_make_demo_leaves_the_home_to_the_settings():
    """`make demo` once pointed FLYLOOP_HOME at ./.flyloop while the CLI read ~/.flyloop."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "demo"], cwd=root, capture_output=True, text=True, check=True
    )
    demo_line = planned.stdout.strip().splitlines()[-1]
    assert demo_line.endswith("flyloop demo") and "FLYLOOP_HOME" not in demo_line


def test_a_kind_with_no_example_is_said_not_fatal(tmp_path, monkeypatch):
    """A small run can leave a kind (often DPO) with no example in the exported splits: the demo
    says so and finishes (it once exited 2 on a run of 120 interactions)."""
    from flyloop import datasets as exports
    from flyloop import errors

    real = exports.export

    def export(store, project_id, ref, target, *args, **kwargs):
        if target == "dpo":
            raise errors.NotFound("dataset version v has no preference examples in train, validation")
        return real(store, project_id, ref, target, *args, **kwargs)

    monkeypatch.setattr(exports, "export", export)
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(
        app, ["demo", "--no-wheel", "--interactions", "120", "--users", "20", "--seed", "5"], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())  # the console wraps long lines
    assert "exported dpo: nothing (dataset version v has no preference examples in train, validation)" in words


def test_the_demo_writes_the_local_store_when_the_cli_is_pointed_at_a_server(tmp_path, monkeypatch, settings):
    """With FLYLOOP_SERVER_URL and a key exported for the other commands, the demo still writes its
    own project in the local store (it sent its traffic to the key's project and then failed)."""
    import json

    home = tmp_path / "home"
    monkeypatch.setenv("FLYLOOP_HOME", str(home))
    monkeypatch.setenv("FLYLOOP_SERVER_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("FLYLOOP_API_KEY", "fl_x_y")
    out = CliRunner().invoke(app, ["demo", "--no-wheel", "--interactions", "120", "--users", "20"], terminal_width=160)
    assert out.exit_code == 0, out.output
    assert "delivered=True, rejected=0" in out.output
    local = ["status", "--project", "demo", "--json", "--database-url", f"sqlite:///{home / 'flyloop.db'}"]
    assert json.loads(CliRunner().invoke(app, local).output)["counts"]["interactions"] > 100
