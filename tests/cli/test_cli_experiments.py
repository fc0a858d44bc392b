"""flyloop experiments|decisions|automation on the command line (flyloop.cli.experiments): start,
list, show (the live metrics table), check, stop; decisions list, approve, dismiss; the automation
level; every command documented with an example; bad input as one line naming the field."""

from __future__ import annotations

import time

import orjson
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from flyloop import Store, registry
from flyloop.capture import declare_workload
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


LABELS = ["spam", "ham"]


def arena(store, project, *, passed=True):
    """A workload with a production version and a candidate whose evaluation passed its gate."""
    now = time.time()
    declare_workload(store, project, "triage", type="choice", labels=LABELS)
    base = {"workload": "triage", "model": "gpt-4o-mini"}
    production = registry.register(store, project, {**base, "system_prompt": "Sort mail."})
    candidate = registry.register(store, project, {**base, "system_prompt": "Sort mail carefully."})
    registry.set_production(store, project, "triage", production.id)
    with store.write() as conn:
        conn.execute(sa.insert(schema.evaluations), [{
            "project_id": project, "id": "ev_" + candidate.id[-16:], "workload": "triage", "candidate": candidate.id,
            "baseline": production.id, "source": "eval split", "dataset_version": None, "cases": 400,
            "status": "succeeded", "metrics": {}, "comparison": {}, "config": {}, "error": None, "run_id": None,
            "gate": {"passed": passed, "summary": "accuracy +0.05", "checks": []}, "passed": passed,
            "created_by": "test", "created_at": now, "finished_at": now}])  # fmt: skip
    return production.id, candidate.id


def worse_traffic(store, capture, project, exp, users=1200):
    """Users enrolled as serving would, a third fewer accepting on the candidate's arm."""
    from flyloop.privacy import pseudonym
    from flyloop.rollout import assign

    now, rows, interactions, signals = time.time(), [], [], []
    for n in range(users):
        user = f"u{n}"
        key = pseudonym(store, project, user)
        arm = assign(key, exp.allocation())
        rows.append(
            {"project_id": project, "experiment_id": exp.id, "user_key": key, "arm": arm, "bucket": 0, "at": now}
        )
        iid = f"{exp.id}-{n}"
        interactions.append({"id": iid, "workload": "triage", "input": "Win", "output": "spam", "user_id": user,
                             "ts": now, "policy_version": exp.versions[arm]})  # fmt: skip
        if n % 10 < (7 if arm == "control" else 5):
            signals.append({"id": f"{iid}-a", "interaction_id": iid, "kind": "accept", "actor": user, "ts": now + 1})
    with store.write() as conn:
        conn.execute(sa.insert(schema.assignments), rows)
    capture.ingest(project, {"interactions": interactions})
    capture.ingest(project, {"signals": signals})


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
