from __future__ import annotations

import re

import orjson
import typer
from typer.testing import CliRunner

from flyloop import Store
from flyloop.cli import app
from flyloop.cli.core import PIPED_WIDTH, make_console

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
    made = runner.invoke(
        app, ["keys", "create", "--scope", "ingest", "--scope", "read", "--name", "web", "--database-url", database_url]
    )
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
    from flyloop.events.wire import parse_batch

    store = Store(database_url)
    store.ingest(
        "default",
        parse_batch(
            {
                "interactions": [{"id": "i1", "workload": "w", "input": "q"}],
                "signals": [
                    {"id": "s1", "interaction_id": "i1", "kind": "copy"},
                    {"id": "s2", "interaction_id": "ghost", "kind": "copy"},
                ],
            }
        ),
    )
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
    line = next(row for row in out.output.splitlines() if " port " in row)
    assert "9123" in line and "FLYLOOP_PORT" in line


def test_bad_setting_in_environment_is_one_line(monkeypatch, settings):
    monkeypatch.setenv("FLYLOOP_PORT", "eighty")
    out = runner.invoke(app, ["config"])
    assert out.exit_code == 2
    assert out.output.strip().startswith("error: port: setting port from FLYLOOP_PORT")


READ_COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["labels", "show", "i-1"],
    ["labels", "stats"],
    ["coverage"],
    ["datasets", "list"],
    ["datasets", "show", "x"],
    ["privacy", "show"],
    ["users", "show", "u-1"],
    ["audit"],
    ["keys", "list"],
    ["datasets", "diff", "a", "b"],
    ["export", "sft", "x"],
]


def test_read_commands_never_create_a_database(tmp_path, monkeypatch, settings):
    home = tmp_path / "nobody-home"
    monkeypatch.setenv("FLYLOOP_HOME", str(home))
    for args in READ_COMMANDS:
        out = runner.invoke(app, args, terminal_width=80)
        assert out.exit_code == 2, (args, out.output)
        assert out.output.count("\n") == 1, (args, out.output)
        assert out.output.startswith(
            f"error: no flyloop database at {home / 'flyloop.db'} (home {home}, from FLYLOOP_HOME); "
            "`flyloop demo` or an app's first Flywheel() creates one"
        ), (args, out.output)
        assert not home.exists(), args
    assert runner.invoke(app, ["config"]).exit_code == 0 and not home.exists()
    elsewhere = tmp_path / "other" / "f.db"
    out = runner.invoke(app, ["labels", "stats", "--database-url", f"sqlite:///{elsewhere}"])
    assert out.exit_code == 2 and f"no flyloop database at {elsewhere}" in out.output
    assert not elsewhere.parent.exists()


def test_writing_commands_still_create_the_store(tmp_path, monkeypatch, settings):
    home = tmp_path / "fresh"
    monkeypatch.setenv("FLYLOOP_HOME", str(home))
    assert runner.invoke(app, ["keys", "create", "--scope", "ingest"]).exit_code == 0
    assert (home / "flyloop.db").exists()
    other = tmp_path / "policy-first.db"
    out = runner.invoke(app, ["privacy", "set", "--content-days", "30", "--database-url", f"sqlite:///{other}"])
    assert out.exit_code == 0, out.output


def test_status_of_an_empty_project_names_the_projects_that_hold_data(
    store, database_url, settings
):  # store: PostgreSQL emptied
    from flyloop.events.wire import parse_batch

    db = Store(database_url)
    db.ensure_project("demo")
    db.ingest("demo", parse_batch({"interactions": [{"id": "i1", "workload": "w", "input": "q"}]}))
    out = runner.invoke(app, ["status", "--database-url", database_url], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert (
        out.output.splitlines()[-1]
        == "project default is empty; this store also holds demo: flyloop status --project demo"
    )
    db.close()


def test_an_unreachable_postgresql_is_one_line_without_the_password(settings):
    url = "postgresql://flyloop:s3cret-pw@127.0.0.1:1/flyloop"
    for args in (["status"], ["keys", "create"], ["serve"], ["demo", "--interactions", "5"], ["worker", "--once"]):
        out = runner.invoke(app, [*args, "--database-url", url], terminal_width=60)
        assert out.exit_code == 2, (args, out.output)
        assert out.output.count("\n") == 1 and "s3cret-pw" not in out.output, (args, out.output)
        assert out.output.startswith(
            "error: cannot open the store (PostgreSQL at 127.0.0.1:1/flyloop): connection failed:"
        ), args


def test_errors_keep_their_brackets(database_url, settings):
    """Rich reads `[pii]` as a style tag and drops it: the CLI prints text, never markup."""
    from flyloop.cli.core import command, keys_app
    from flyloop.errors import ConfigError

    Store(database_url).close()
    missing = runner.invoke(app, ["keys", "revoke", "flyloop[pii]", "--database-url", database_url], terminal_width=40)
    assert missing.exit_code == 2
    assert missing.output == "error: no live key 'flyloop[pii]' in project 'default'\n"

    @command(keys_app, "bracket-test")
    def bracket_test() -> None:
        """Example: flyloop keys bracket-test"""
        raise ConfigError("PII redaction needs the pii extra: pip install 'flyloop[pii]' [bold]now[/bold]")

    try:
        out = runner.invoke(app, ["keys", "bracket-test"], terminal_width=40)
    finally:
        keys_app.registered_commands.pop()
    assert out.exit_code == 2
    assert out.output == "error: PII redaction needs the pii extra: pip install 'flyloop[pii]' [bold]now[/bold]\n"


def test_labels_show_prints_an_edit_with_brackets_as_written(database_url, settings):
    from flyloop import Flywheel

    with Flywheel(database_url=database_url, spool_dir=settings.home + "/spool") as fw:
        it = fw.log("math", "What is 37 + 48?", "The answer is 84.", id="cli-b1")
        it.edit("The answer is [bold]85[/bold].")
    diff = orjson.loads(
        runner.invoke(app, ["labels", "show", "cli-b1", "--json", "--database-url", database_url]).output
    )["edit"]["diff"]
    assert "bold" in diff and diff.count("[") == 3  # the diff's own [-84-] and the user's two tags
    out = runner.invoke(app, ["labels", "show", "cli-b1", "--database-url", database_url], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[2] == "  " + diff


def test_interactions_get_and_list_print_json_from_the_local_store(database_url, settings):
    """Read rows' keys were SQLAlchemy's quoted names, a str subclass orjson refuses as a key: the
    local commands failed with a traceback (only the remote ones, through FastAPI, printed)."""
    import uuid

    from flyloop.events.wire import parse_batch

    project = f"cli-json-{uuid.uuid4().hex[:8]}"  # its own: on PostgreSQL the tests share one database
    store = Store(database_url)
    batch = {
        "interactions": [{"id": "i1", "workload": "w", "input": "q", "output": "a", "ts": 1_700_000_000}],
        "signals": [{"id": "s1", "interaction_id": "i1", "kind": "copy", "ts": 1_700_000_001}],
        "outcomes": [{"id": "o1", "interaction_id": "i1", "name": "done", "value": 1.0, "ts": 1_700_000_002}],
    }
    store.ingest(project, parse_batch(batch))
    got = runner.invoke(app, ["interactions", "get", "i1", "-p", project, "--database-url", database_url])
    assert got.exit_code == 0, got.output
    found = orjson.loads(got.output)
    assert (found["id"], found["signals"][0]["kind"], found["outcomes"][0]["name"]) == ("i1", "copy", "done")
    listed = runner.invoke(app, ["interactions", "list", "-p", project, "--database-url", database_url])
    assert listed.exit_code == 0, listed.output
    assert [item["id"] for item in orjson.loads(listed.output)["items"]] == ["i1"]
    assert all(type(k) is str for k in store.get_interaction(project, "i1"))
    store.close()


def test_output_to_a_pipe_or_a_log_is_wide_enough_for_tables(monkeypatch):
    # Under make or CI, output goes to a pipe: Rich's 80 columns would wrap tables and cut ids.
    monkeypatch.delenv("COLUMNS", raising=False)
    console = make_console()
    assert not console.is_terminal and console.width >= PIPED_WIDTH == 160
    monkeypatch.setenv("COLUMNS", "100")  # a width asked for wins, at each print
    assert console.width == 100
