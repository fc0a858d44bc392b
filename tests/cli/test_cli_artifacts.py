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


def test_the_commands_through_a_server(database_url, tmp_path, monkeypatch):
    """With FLYLOOP_SERVER_URL and FLYLOOP_API_KEY set, the commands ask a real ``flyloop serve``
    (its own process, its own home): artifacts listed, shown, tainted and exported (downloaded into
    this machine's home first), and a training run that the server starts in its background and the
    command follows, refused for too little data in the same line as a local run."""
    import http.client
    import os
    import subprocess
    import sys
    import time

    from conftest import free_port, seed
    from flyloop import Capture, datasets, labels

    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project=P)
    labels.catch_up(store, P)
    version = datasets.build(store, P, "math", {})
    server_home = tmp_path / "server-home"
    adapter = make(
        store, Settings(home=str(server_home)), "adapter", {"adapter_config.json": b"{}", "w.bin": b"\0" * 9}
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
    env.update(FLYLOOP_HOME=str(server_home), FLYLOOP_LOOPS_INTERVAL_S="0")
    server = subprocess.Popen(
        [sys.executable, "-c", "from flyloop.cli import main; main()", "serve", "--port", str(port)]
        + ["--database-url", database_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "client-home"))  # no database here
        monkeypatch.setenv("FLYLOOP_SERVER_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("FLYLOOP_API_KEY", store.create_key(P, ["read", "admin"])[1])
        from flyloop.cli import app

        def remote(*args: str):
            return runner.invoke(app, list(args))

        (listed,) = orjson.loads(remote("artifacts", "list", "--json").output)
        assert listed["id"] == adapter.id and "path" not in listed
        assert orjson.loads(remote("artifacts", "show", adapter.id, "--json").output) == listed
        shown = remote("artifacts", "show", adapter.id).output
        assert str(tmp_path / "client-home" / "artifacts" / adapter.id) in shown  # where this machine keeps it
        out = remote("artifacts", "export", adapter.id, "--out", str(tmp_path / "exported"))
        assert out.output == f"artifact {adapter.id} written to {tmp_path / 'exported'} (3 files)\n"
        assert (tmp_path / "exported" / "w.bin").read_bytes() == b"\0" * 9
        assert (tmp_path / "client-home" / "artifacts" / adapter.id / "w.bin").is_file()
        tainted = remote("artifacts", "taint", adapter.id, "--reason", "bad labels")
        assert re.fullmatch(rf"artifact {adapter.id} tainted: {STAMP} bad labels\n", tainted.output)

        out = remote("loops", "run", "finetune", "-w", "math", "--base-model", "smollm2")
        assert out.exit_code == 2, out.output
        assert out.output.splitlines()[0] == "rule: at least 500 training pairs; have 30 (10 corrected, 20 good, 0 bad)"
        assert out.output.splitlines()[-1] == (
            "error: dataset: not enough data: 21 of 500 sft examples of workload 'math' "
            f"in dataset version {version.id[:12]}'s train split; curation held back 10 low confidence, "
            "labels waiting for more evidence or a trusted rater (the version's verdicts: "
            f"flyloop datasets show {version.id[:12]} --json)"
        )
        (run,) = orjson.loads(remote("loops", "list", "--json").output)
        assert run["status"] == "failed"
        refused = remote("loops", "cancel", run["id"])
        assert (refused.exit_code, refused.output) == (
            2,
            f"error: run: loop run {run['id']} is failed, not running: nothing to cancel\n",
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        store.close()
