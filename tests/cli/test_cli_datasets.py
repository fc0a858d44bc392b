"""flyloop datasets and flyloop export on the command line (flyloop.cli.datasets)."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from conftest import seed
from flyloop import Capture, Settings

PROJECT = "acme"


@pytest.fixture(autouse=True)
def _empty_store(store):
    """The commands here open the database by URL; taking ``store`` empties PostgreSQL before each
    test (both seed the project 'default', so one test's rows would collide with the next's)."""


def test_cli_build_show_list_and_export(database_url, tmp_path, monkeypatch):
    from flyloop import Store
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project="default")
    runner = CliRunner()
    out = runner.invoke(
        app, ["datasets", "build", "--name", "math", "--segment-key", "plan", "--database-url", database_url]
    )
    assert out.exit_code == 0, out.output
    assert "examples: sft" in out.output and "train 21" in out.output
    listed = runner.invoke(app, ["datasets", "list", "--json", "--database-url", database_url])
    version_id = orjson.loads(listed.output)[0]["id"]
    out = runner.invoke(
        app,
        ["export", "kto", "math", "--out", str(tmp_path / "x"), "--format", "parquet", "--database-url", database_url],
    )
    assert out.exit_code == 0, out.output
    assert (tmp_path / "x" / "kto-train.parquet").exists()
    out = runner.invoke(app, ["datasets", "build", "--workload", "nope", "--database-url", database_url])
    assert out.exit_code == 2 and "no interactions in project 'default' match" in out.output
    out = runner.invoke(app, ["datasets", "taint", version_id[:12], "--reason", "oops", "--database-url", database_url])
    assert out.exit_code == 0
    out = runner.invoke(
        app, ["export", "sft", version_id[:12], "--out", str(tmp_path / "y"), "--database-url", database_url]
    )
    assert out.exit_code == 2 and "tainted" in out.output
    out = runner.invoke(
        app, ["export", "sft", version_id[:12], "--out", str(tmp_path / "y"), "--force", "--database-url", database_url]
    )
    assert out.exit_code == 0 and "warning: exported a tainted version" in out.output
    store.close()


def test_cli_export_paths_folders_files_and_overwrites(database_url, tmp_path, monkeypatch):
    from flyloop import Store
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project="default")
    runner = CliRunner()
    db = ["--database-url", database_url]
    assert runner.invoke(app, ["datasets", "build", "--name", "math", "--segment-key", "plan", *db]).exit_code == 0
    out = runner.invoke(
        app,
        [
            "datasets",
            "build",
            "--name",
            "again",
            "--segment-key",
            "plan",
            "--kind",
            "sft",
            "--kind",
            "dpo",
            "--kind",
            "kto",
            "--kind",
            "fewshot",
            "--kind",
            "eval",
            *db,
        ],
    )
    assert out.exit_code == 0, out.output
    shown = runner.invoke(app, ["datasets", "show", "again", *db])
    assert shown.exit_code == 0 and "again, math" in shown.output
    # A folder: per-target files and manifests; two targets do not clobber each other.
    for target in ("sft", "dpo"):
        assert runner.invoke(app, ["export", target, "math", "--out", str(tmp_path / "data"), *db]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "dpo-train.jsonl",
        "dpo.manifest.json",
        "sft-train.jsonl",
        "sft.manifest.json",
    ]
    # A file: that file (the train split), its manifest beside it.
    out = runner.invoke(app, ["export", "sft", "math", "--out", str(tmp_path / "train.jsonl"), *db])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "train.jsonl").is_file() and len((tmp_path / "train.jsonl").read_text().splitlines()) == 21
    assert (tmp_path / "train.manifest.json").is_file()
    again = runner.invoke(app, ["export", "sft", "math", "--out", str(tmp_path / "train.jsonl"), *db])
    assert again.exit_code == 2 and "already exists" in again.output and "--overwrite" in again.output
    assert "Traceback" not in again.output and len(again.output.strip().splitlines()) == 1
    assert (
        runner.invoke(
            app, ["export", "sft", "math", "--out", str(tmp_path / "train.jsonl"), "--overwrite", *db]
        ).exit_code
        == 0
    )
    out = runner.invoke(app, ["export", "kto", "math", "--out", str(tmp_path / "kto.parquet"), *db])
    assert out.exit_code == 0 and (tmp_path / "kto.parquet").read_bytes()[:4] == b"PAR1"
    out = runner.invoke(app, ["export", "sft", "math", "--out", str(tmp_path / "x.parquet"), "--format", "jsonl", *db])
    assert out.exit_code == 2 and "is a parquet file" in out.output
    out = runner.invoke(
        app,
        [
            "export",
            "sft",
            "math",
            "--out",
            str(tmp_path / "two.jsonl"),
            "--split",
            "train",
            "--split",
            "validation",
            *db,
        ],
    )
    assert out.exit_code == 2 and "holds one split" in out.output
    store.close()
