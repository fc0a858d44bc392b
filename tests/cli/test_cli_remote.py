"""The CLI goes through the project handle: with FLYLOOP_SERVER_URL and FLYLOOP_API_KEY set it asks
a real ``flyloop serve`` (a subprocess), and no local database is opened or created."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from conftest import hours_ago
from flyloop import Capture, NotFound, Settings, Store
from flyloop.cli import app

runner = CliRunner()
P = "remote-cli"


@pytest.fixture
def served(tmp_path, database_url, settings) -> Iterator[tuple[Store, int]]:
    """``flyloop serve`` on a free port over ``database_url``, with a few labelled interactions."""
    store = Store(database_url)
    now = hours_ago(3)
    batch = {
        "interactions": [
            {"id": f"i{u}", "workload": "math", "input": f"{u} + 1?", "output": f"{u + 2}", "user_id": f"u{u}"}
            | {"ts": now + u}
            for u in range(4)
        ],
        "signals": [
            {"id": f"s{u}", "interaction_id": f"i{u}", "kind": "edit", "actor": f"u{u}", "ts": now + u + 5}
            | {"payload": {"text": f"{u + 1}"}}
            for u in range(4)
        ],
    }
    Capture(store, Settings(database_url=database_url)).ingest(P, batch)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
    env.update(FLYLOOP_HOME=str(tmp_path / "server-home"))
    server = subprocess.Popen(
        [sys.executable, "-c", "from flyloop.cli import main; main()", "serve", "--port", str(port)]
        + ["--database-url", database_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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
        yield store, port
    finally:
        server.terminate()
        server.wait(timeout=30)
        store.close()


def test_commands_with_a_server_url_ask_the_server(served, tmp_path, monkeypatch):
    store, port = served
    home = tmp_path / "client-home"  # no database here: a local read would fail naming it
    monkeypatch.setenv("FLYLOOP_HOME", str(home))
    monkeypatch.setenv("FLYLOOP_SERVER_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("FLYLOOP_PROJECT", P)
    monkeypatch.setenv("FLYLOOP_API_KEY", store.create_key(P, ["read"])[1])

    def run(*args: str) -> str:
        out = runner.invoke(app, list(args), terminal_width=200)
        assert out.exit_code == 0, (args, out.output)
        return out.output

    explained = orjson.loads(run("labels", "explain", "i1", "--json"))
    assert (explained["verdict"], explained["corrected_text"]) == ("corrected", "2")
    assert orjson.loads(run("labels", "get", "i2"))["corrected_text"] == "3"
    assert "corrected" in run("labels", "stats")
    assert orjson.loads(run("status", "--json"))["counts"] == {"interactions": 4, "signals": 4, "outcomes": 0}
    assert orjson.loads(run("privacy", "redact", "mail jo@example.com"))["text"] == "mail <EMAIL_ADDRESS>"
    assert orjson.loads(run("interactions", "get", "i0"))["signals"][0]["kind"] == "edit"
    assert [item["id"] for item in orjson.loads(run("interactions", "list", "--limit", "2"))["items"]] == ["i3", "i2"]
    assert orjson.loads(run("labels", "coverage", "--json"))["workloads"]["math"]["interactions"] == 4
    assert run("users", "pseudonym", "u1").strip() == store_pseudonym(store, "u1")
    refused = runner.invoke(app, ["datasets", "build", "--name", "m"])
    assert refused.exit_code == 2 and refused.output.strip() == "error: this key lacks the 'admin' scope"

    monkeypatch.setenv("FLYLOOP_API_KEY", store.create_key(P, ["read", "admin"])[1])
    built = run("datasets", "build", "--name", "m", "--config", str(write_config(tmp_path)))
    version = store_versions(store)[0]
    assert version[:12] in built
    assert f"{version[:12]}" in run("datasets", "list")
    assert len(orjson.loads(run("datasets", "lineage", "m"))["interaction_ids"]) == 4
    exported = run("export", "sft", "m", "--out", str(tmp_path / "out"))
    assert "rows ->" in exported and (tmp_path / "out" / "sft.manifest.json").exists()
    rows = [orjson.loads(line) for line in (tmp_path / "out" / "sft-train.jsonl").read_bytes().splitlines()]
    assert rows and set(rows[0]) == {"prompt", "completion"}
    assert orjson.loads(run("users", "show", "u3"))["state"] == "full"
    erased = run("users", "erase", "u3", "--yes")
    assert "erased: 1 interactions" in erased and "verified: yes" in erased
    with pytest.raises(NotFound):
        store.get_interaction(P, "i3")
    assert f"{P}: content removed from 0 interactions" in run("retention", "apply")
    refused = runner.invoke(app, ["retention", "apply", "--all-projects"])
    assert refused.exit_code == 2 and "a server key reaches its own project only" in refused.output
    policy = orjson.loads(run("privacy", "show"))
    assert policy["policy"]["consent_default"] == "full"
    actions = [row["action"] for row in orjson.loads(run("audit", "--json"))]
    assert actions[:3] == ["retention.apply", "users.erase", "datasets.build"]
    assert not home.joinpath("flyloop.db").exists()
    # --database-url names a store explicitly: that store is read, not the server.
    local = runner.invoke(app, ["labels", "stats", "--database-url", f"sqlite:///{tmp_path / 'none.db'}"])
    assert local.exit_code == 2 and "no flyloop database at" in local.output


def test_a_server_url_without_a_key_is_one_line(monkeypatch, settings):
    monkeypatch.setenv("FLYLOOP_SERVER_URL", "http://127.0.0.1:9")
    out = runner.invoke(app, ["labels", "stats"])
    assert out.exit_code == 2
    assert out.output.startswith("error: the server http://127.0.0.1:9 needs an API key: set FLYLOOP_API_KEY")


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.json"
    path.write_bytes(orjson.dumps({"splits": {"time_aware": False}, "integrity": {"min_claim_trust": 0}}))
    return path


def store_versions(store: Store) -> list[str]:
    from flyloop.datasets.catalog import list_versions

    return [v.id for v in list_versions(store, P)]


# Verbs whose command kept the name it had before the handle, and the handle's `status`.
CLI_NAMES = {
    ("datasets", "get"): ("datasets", "show"),
    ("datasets", "export"): ("export", "sft"),  # one command per target: flyloop export sft|dpo|...
    ("users", "consent"): ("users", "show"),
    ("users", "set_consent"): ("users", "consent"),
    ("privacy", "policy"): ("privacy", "show"),
    ("privacy", "drops"): ("privacy", "show"),
    ("privacy", "set_policy"): ("privacy", "set"),
    ("privacy", "rotate_key"): ("privacy", "rotate-key"),
    ("privacy", "export_keys"): ("privacy", "export-keys"),
    ("privacy", "import_keys"): ("privacy", "import-keys"),
    ("privacy", "audit"): ("audit",),
    ("workloads", "get"): ("workloads", "show"),  # shows the workload with its stats
    ("workloads", "stats"): ("workloads", "show"),
    ("policies", "get"): ("policies", "show"),
    ("banks", "get"): ("banks", "show"),
    ("artifacts", "get"): ("artifacts", "show"),
    ("artifacts", "download"): ("artifacts", "export"),  # export writes the downloaded folder where asked
    ("evaluations", "run"): ("eval", "run"),
    ("evaluations", "get"): ("eval", "show"),
    ("evaluations", "list"): ("eval", "list"),
    ("evaluations", "gate"): ("gate", "show"),
    ("evaluations", "set_gate"): ("gate", "set"),
    ("golden", "get"): ("golden", "show"),
    ("experiments", "get"): ("experiments", "show"),
    ("experiments", "metrics"): ("experiments", "show"),  # show prints the arms' live metrics
}


def test_every_verb_of_the_handle_has_a_command():
    import typing

    import typer

    from flyloop.sdk.project import Verbs

    root = typer.main.get_command(app)

    def found(path: tuple[str, ...]) -> bool:
        group = root
        for name in path:
            commands = getattr(group, "commands", {})
            if name not in commands:
                return False
            group = commands[name]
        return not hasattr(group, "commands")

    verbs = [("status",)]
    for space, cls in typing.get_type_hints(Verbs).items():
        verbs += [(space, verb) for verb, fn in vars(cls).items() if callable(fn) and not verb.startswith("_")]
    assert len(verbs) >= 30
    missing = [verb for verb in verbs if not found(CLI_NAMES.get(verb, verb))]
    assert missing == [], f"verbs without a command: {missing}"


def store_pseudonym(store: Store, user_id: str) -> str:
    from flyloop.privacy import pseudonym

    return pseudonym(store, P, user_id)


def test_commands_through_a_server_name_the_keys_project_not_the_local_default(served, tmp_path, monkeypatch):
    """--project does not reach past a key, so what a command says it acts on is the key's project
    (the erase prompt above all), not FLYLOOP_PROJECT's default."""
    store, port = served
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "client-home"))
    monkeypatch.setenv("FLYLOOP_SERVER_URL", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("FLYLOOP_PROJECT", raising=False)
    monkeypatch.setenv("FLYLOOP_API_KEY", store.create_key(P, ["read", "admin"])[1])
    listed = runner.invoke(app, ["datasets", "list"])
    assert listed.exit_code == 0 and f"dataset versions of project {P}" in listed.output
    audit = runner.invoke(app, ["audit"])
    assert audit.exit_code == 0 and f"audit log of project {P}" in audit.output
    asked = runner.invoke(app, ["users", "erase", "u1"], input="n\n")
    assert f"from project '{P}'?" in asked.output and "'default'" not in asked.output
    assert store.get_interaction(P, "i1")["id"] == "i1"  # refused at the prompt: nothing erased
