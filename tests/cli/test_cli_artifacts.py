"""flyloop artifacts on the command line (flyloop.cli.artifacts): list, show (the manifest, tainted
and why), taint, export (an embedder as a sentence-transformers folder), as tables and as JSON, and
bad input as one line naming the field."""

from __future__ import annotations

import re

import orjson
import pytest
from typer.testing import CliRunner

from flyloop import Settings, Store
from flyloop.improve import artifacts

runner = CliRunner()
P = "default"
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


@pytest.fixture(autouse=True)
def _wide(store, monkeypatch, tmp_path):
    """The commands open the database by URL; taking ``store`` empties PostgreSQL before each test."""
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    for name in ("FLYLOOP_SERVER_URL", "FLYLOOP_API_KEY", "FLYLOOP_PROJECT"):
        monkeypatch.delenv(name, raising=False)


def invoke(database_url: str, *args: str):
    from flyloop.cli import app

    return runner.invoke(app, [*args, "--database-url", database_url])


def make(store, settings, kind, files, workload="math"):
    with artifacts.staging(kind, settings) as stage:
        for name, data in files.items():
            (stage.folder / name).parent.mkdir(parents=True, exist_ok=True)
            (stage.folder / name).write_bytes(data)
        return artifacts.commit(
            store,
            P,
            stage,
            workload=workload,
            manifest={"base_model": "smollm2", "config": {"rank": 8}, "metrics": {"loss": 0.5}},
            run_id="lr_test",
            settings=settings,
        )


def test_list_show_taint_and_export(database_url, tmp_path):
    store = Store(database_url)
    settings = Settings(home=str(tmp_path / "home"))
    adapter = make(
        store, settings, "adapter", {"adapter_config.json": b"{}", "adapter_model.safetensors": b"\0" * 1500}
    )
    embedder = make(store, settings, "embedder", {"model/modules.json": b"[]", "model/model.safetensors": b"\1" * 10})

    listed = orjson.loads(invoke(database_url, "artifacts", "list", "--json").output)
    assert [a["id"] for a in listed] == [embedder.id, adapter.id]
    assert set(listed[1]) == {
        "id",
        "kind",
        "workload",
        "dataset_version",
        "run_id",
        "size_bytes",
        "manifest",
        "created_at",
        "tainted",
        "taint_reason",
    }
    assert orjson.loads(invoke(database_url, "artifacts", "show", adapter.id, "--json").output) == listed[1]
    table = invoke(database_url, "artifacts", "list", "--kind", "adapter").output
    assert adapter.id in table and embedder.id not in table
    shown = invoke(database_url, "artifacts", "show", adapter.id).output
    assert f"artifact {adapter.id}" in shown
    assert "adapter_config.json (2 B), adapter_model.safetensors (1.5 kB)" in shown
    assert re.search(r"tainted\s+│ no", shown) and re.search(r'config\s+│ \{"rank":8\}', shown)

    out = invoke(database_url, "artifacts", "taint", adapter.id, "--reason", "a leaked ticket")
    assert out.exit_code == 0, out.output
    assert re.fullmatch(rf"artifact {adapter.id} tainted: {STAMP} a leaked ticket\n", out.output)
    shown = invoke(database_url, "artifacts", "show", adapter.id).output
    assert re.search(rf"tainted\s+│ yes: {STAMP} a leaked ticket", shown)
    assert orjson.loads(invoke(database_url, "artifacts", "list", "--json", "-w", "math").output)[1]["tainted"]

    written = invoke(database_url, "artifacts", "export", embedder.id, "--out", str(tmp_path / "retriever"))
    assert written.output == f"artifact {embedder.id} written to {tmp_path / 'retriever'} (3 files)\n"
    assert sorted(p.name for p in (tmp_path / "retriever").iterdir()) == [
        "flyloop-manifest.json",
        "model.safetensors",
        "modules.json",
    ]
    written = invoke(database_url, "artifacts", "export", adapter.id, "--out", str(tmp_path / "adapter"))
    assert written.output == f"artifact {adapter.id} written to {tmp_path / 'adapter'} (3 files)\n"
    store.close()


def test_bad_input_is_one_line_naming_the_field(database_url, tmp_path):
    store = Store(database_url)
    settings = Settings(home=str(tmp_path / "home"))
    adapter = make(store, settings, "adapter", {"adapter_config.json": b"{}"})
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    not_empty = f"error: out: {tmp_path / 'full'} exists and is not an empty folder"
    for args, line in (
        (
            ("artifacts", "show", "ad_12"),
            "error: artifact: 'ad_12' is not an artifact id (ad_, hd_, em_ or rm_ and 16 hex digits)",
        ),
        (
            ("artifacts", "show", "hd_0000000000000000"),
            "error: artifact: no artifact 'hd_0000000000000000' in project 'default'",
        ),
        (
            ("artifacts", "list", "--kind", "lora"),
            "error: kind: artifact kind must be one of adapter, head, embedder, reward",
        ),
        (("artifacts", "list", "--limit", "0"), "error: limit: limit must be between 1 and 1000, got 0"),
        (
            ("artifacts", "taint", adapter.id, "--reason", " "),
            "error: reason: say why the artifact is tainted: reason is a non-empty string",
        ),
        (("artifacts", "export", adapter.id, "--out", str(tmp_path / "full")), not_empty),
    ):
        out = invoke(database_url, *args)
        assert (out.exit_code, out.output) == (2, line + "\n"), args
    store.close()
