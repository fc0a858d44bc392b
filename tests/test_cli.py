from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from flyloop import Store
from flyloop.cli import app

runner = CliRunner()


def all_commands(group, prefix: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from all_commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


def test_every_command_has_help_with_an_example():
    root = typer.main.get_command(app)
    commands = list(all_commands(root))
    assert len(commands) >= 7
    for path, cmd in commands:
        example = re.search(r"^Example: .*$", cmd.help or "", re.M)
        assert example and f"flyloop {' '.join(path)}" in example.group(0), f"flyloop {' '.join(path)} lacks an example"



def test_keys_create_list_revoke(database_url, settings):
    made = runner.invoke(app, ["keys", "create", "--scope", "ingest", "--scope", "read", "--name", "web", "--database-url", database_url])
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert secret.startswith("fl_")
    store = Store(database_url)
    key = store.find_key(secret)
    assert key.project_id == "default" and key.scopes == {"ingest", "read"}
    listed = runner.invoke(app, ["keys", "list", "--database-url", database_url])
    assert key.id in listed.output and secret not in listed.output
    revoked = runner.invoke(app, ["keys", "revoke", key.id, "--database-url", database_url])
    assert revoked.exit_code == 0 and store.find_key(secret) is None
    store.close()


def test_errors_are_one_line_with_exit_2(database_url, settings):
    bad = runner.invoke(app, ["keys", "create", "--scope", "root", "--database-url", database_url])
    assert bad.exit_code == 2
    assert bad.output.strip() == "error: scopes: scopes must be some of ingest, read, admin; got root"
    missing = runner.invoke(app, ["keys", "revoke", "nope", "--database-url", database_url])
    assert missing.exit_code == 2 and missing.output.count("\n") == 1
    assert "no live key 'nope'" in missing.output


def test_status_reports_counts_and_orphans(database_url, settings):
    from flyloop.models import parse_batch

    store = Store(database_url)
    store.ingest("default", parse_batch({"interactions": [{"id": "i1", "workload": "w", "input": "q"}],
                                         "signals": [{"id": "s1", "interaction_id": "i1", "kind": "copy"},
                                                     {"id": "s2", "interaction_id": "ghost", "kind": "copy"}]}))
    out = runner.invoke(app, ["status", "--json", "--database-url", database_url])
    assert out.exit_code == 0, out.output
    import json

    report = json.loads(out.output)
    assert report["counts"] == {"interactions": 1, "signals": 2, "outcomes": 0}
    assert report["waiting_signals"] == 1
    table = runner.invoke(app, ["status", "--database-url", database_url])
    assert "signals waiting for their interaction" in table.output
    store.close()


def test_config_shows_values_and_sources(monkeypatch, settings):
    monkeypatch.setenv("FLYLOOP_PORT", "9123")
    out = runner.invoke(app, ["config"], terminal_width=200)
    assert out.exit_code == 0
    line = next(l for l in out.output.splitlines() if " port " in l)
    assert "9123" in line and "FLYLOOP_PORT" in line


def test_bad_setting_in_environment_is_one_line(monkeypatch, settings):
    monkeypatch.setenv("FLYLOOP_PORT", "eighty")
    out = runner.invoke(app, ["config"])
    assert out.exit_code == 2
    assert out.output.strip().startswith("error: port: setting port from FLYLOOP_PORT")
