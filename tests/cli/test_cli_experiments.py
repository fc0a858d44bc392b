"""flyloop experiments|decisions|automation on the command line (flyloop.cli.experiments): start,
list, show (the live metrics table), check, stop; decisions list, approve, dismiss; the automation
level; every command documented with an example; bad input as one line naming the field."""

from __future__ import annotations

import orjson
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from experiment_fixtures import arena, worse_traffic
from flyloop import Store, registry
from flyloop.store import schema

runner = CliRunner()
P = "default"


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


def test_start_show_check_approve_and_stop(database_url):
    from flyloop.capture import Capture
    from flyloop.rollout import get_experiment
    from flyloop.settings import Settings

    store = Store(database_url)
    production, candidate = arena(store, P)
    assert invoke(database_url, "automation", "show").output.strip() == "manual"
    assert invoke(database_url, "automation", "set", "approved").output.strip() == "automation: approved"
    started = invoke(database_url, "experiments", "start", "triage", candidate, "--ramp", "50,100",
                     "--primary", "acceptance", "--min-users", "200", "--json")  # fmt: skip
    assert started.exit_code == 0, started.output
    exp = orjson.loads(started.output)
    assert (exp["status"], exp["control"], exp["candidate"], exp["split"]) == (
        "running", production, candidate, {"control": 50.0, "candidate": 50.0}
    )  # fmt: skip
    listed = invoke(database_url, "experiments", "list")
    assert exp["id"] in listed.output and "50%" in listed.output
    worse_traffic(store, Capture(store, Settings(database_url=database_url)), P, get_experiment(store, P, exp["id"]))
    shown = invoke(database_url, "experiments", "show", exp["id"])
    assert shown.exit_code == 0, shown.output
    assert f"experiment {exp['id']} (triage, running, candidate at 50%)" in shown.output
    assert any(line.startswith("acceptance") for line in shown.output.splitlines())
    checked = invoke(database_url, "experiments", "check", exp["id"])
    first = checked.output.splitlines()[0]
    assert first.startswith("decision dc_") and first.endswith(f": rollback (pending) for experiment {exp['id']}")
    decision_id = first.split()[1].rstrip(":")
    pending = invoke(database_url, "decisions", "list", "--status", "pending", "--json")
    assert [d["id"] for d in orjson.loads(pending.output)] == [decision_id]
    approved = invoke(database_url, "decisions", "approve", decision_id)
    assert approved.output.startswith(f"decision {decision_id}: rollback (approved)")
    again = invoke(database_url, "decisions", "approve", decision_id)
    assert (again.exit_code, again.output.strip()) == (
        2,
        f"error: decision: decision {decision_id} is approved already",
    )
    assert registry.version_stage(store, P, candidate) == "archived"
    stop = invoke(database_url, "experiments", "stop", exp["id"])
    assert stop.exit_code == 2 and stop.output.startswith("error: experiment: experiment ")


def test_bad_input_is_one_line_naming_the_field(database_url):
    store = Store(database_url)
    _, candidate = arena(store, P)
    bad_ramp = invoke(database_url, "experiments", "start", "triage", candidate, "--ramp", "50,10,100")
    assert (bad_ramp.exit_code, bad_ramp.output.strip()) == (2, "error: ramp[1]: steps must increase: 10% follows 50%")
    words = invoke(database_url, "experiments", "start", "triage", candidate, "--ramp", "ten")
    assert words.output.strip() == "error: ramp: 'ten' is not a list of percentages such as 10,50,100"
    level = invoke(database_url, "automation", "set", "yolo")
    assert level.output.strip() == "error: level: 'yolo' is not one of manual, semi, approved, full"
    unknown = invoke(database_url, "experiments", "show", "ex_nope")
    assert unknown.output.strip() == "error: experiment: no experiment 'ex_nope' in this project"
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.experiments)).scalar_one() == 0


def test_every_command_has_help_with_an_example():
    from flyloop.cli import app

    for group in ("experiments", "decisions", "automation"):
        names = {"experiments": ["start", "list", "show", "stop", "check"], "decisions": ["list", "approve", "dismiss"],
                 "automation": ["show", "set"]}[group]  # fmt: skip
        for name in names:
            shown = runner.invoke(app, [group, name, "--help"])
            assert shown.exit_code == 0 and "Example: flyloop " in shown.output, (group, name)
