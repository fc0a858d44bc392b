"""flyloop monitor metrics and flyloop monitor alerts on the command line (flyloop.cli.monitor)."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from conftest import hours_ago
from flyloop import Capture, Settings


@pytest.fixture(autouse=True)
def _empty_store(store):
    """Taking ``store`` empties PostgreSQL before each test."""


def test_metrics_and_alerts(database_url, tmp_path, monkeypatch):
    from flyloop import Store
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    h = hours_ago(2)
    its = [{"id": f"i{k}", "workload": "w", "input": "q", "output": "a", "ts": h + k * 60} for k in range(10)]
    Capture(store, Settings(database_url=database_url)).ingest(
        "default",
        {"interactions": its, "signals": [{"id": "s", "interaction_id": "i0", "kind": "accept", "ts": h + 5}]},
    )
    store.close()
    runner = CliRunner()
    out = runner.invoke(app, ["monitor", "metrics", "--grain", "hour", "--json", "--database-url", database_url])
    assert out.exit_code == 0, out.output
    (window,) = orjson.loads(out.output)["windows"]
    assert window["start"] == h and window["counts"]["interactions"] == 10 and window["rates"]["acceptance_rate"] == 0.1
    table = runner.invoke(
        app, ["monitor", "metrics", "--grain", "hour", "--database-url", database_url], terminal_width=200
    )
    assert table.exit_code == 0 and "metrics per hour" in table.output
    alerts = runner.invoke(app, ["monitor", "alerts", "--database-url", database_url])
    assert alerts.exit_code == 0, alerts.output
    assert alerts.output.startswith("no alerts\n")
    assert "w: stall check skipped: 0 releases, 3 needed" in alerts.output
    bad = runner.invoke(app, ["monitor", "metrics", "--grain", "month", "--database-url", database_url])
    assert bad.exit_code == 2 and bad.output == "error: grain: grain must be one of hour, day, week, not 'month'\n"


def test_through_a_server_the_json_is_the_local_stores(store, settings, api, monkeypatch):
    """With a server configured the commands go through the SDK and HTTP (the app in process, on
    the same store) and print exactly what the local store gives."""
    from types import SimpleNamespace

    from fastapi.testclient import TestClient

    from flyloop.cli import app
    from flyloop.cli import monitor as cli_monitor
    from flyloop.sdk.project import Project
    from flyloop.sdk.transport import Remote

    h = hours_ago(2)
    its = [
        {"id": f"i{k}", "workload": "w", "input": "q", "output": "a", "ts": h + k * 60, "policy_version": f"v{k % 2}"}
        for k in range(10)
    ]
    sigs = [{"id": f"s{k}", "interaction_id": f"i{k}", "kind": "accept", "ts": h + k * 60 + 5} for k in (0, 1, 3)]
    Capture(store, settings).ingest("default", {"interactions": its, "signals": sigs})
    client = TestClient(api.app, headers=api.key("default", "read"))

    def remote(given):
        return Project(Remote(SimpleNamespace(client=client, close=lambda: None), "default", given))

    runner = CliRunner()

    def both(*args):
        monkeypatch.setattr(cli_monitor, "handle", lambda s: Project.on_store(store, "default", s))
        mine = runner.invoke(app, ["monitor", *args])
        monkeypatch.setattr(cli_monitor, "handle", remote)
        theirs = runner.invoke(app, ["monitor", *args])
        return mine, theirs

    store.close = lambda: None  # the in-memory store outlives each command's close
    first = both("refresh", "--json")  # the first one to ask counts the ten, the other finds them counted
    assert [orjson.loads(r.output)["interactions"] for r in first] == [10, 0]
    for args in (
        ("refresh", "--json"),
        ("metrics", "--grain", "hour", "--json"),
        ("metrics", "--grain", "day", "--by", "version", "--json"),
        ("metrics", "--grain", "week", "--by", "arm", "--windows", "2", "--json"),
        ("alerts", "--json"),
        ("alerts", "--no-check", "--kind", "regression", "--json"),
    ):
        mine, theirs = both(*args)
        assert mine.exit_code == theirs.exit_code == 0, (args, mine.output, theirs.output)
        assert mine.output == theirs.output, args
    found = orjson.loads(both("metrics", "--grain", "day", "--by", "version", "--json")[1].output)
    assert [(w["group"], w["counts"]["interactions"], w["rates"]["acceptance_rate"]) for w in found["windows"]] == [
        ("v0", 5, 0.2),
        ("v1", 5, 0.4),
    ]
    # Bad input: one line, the same either way.
    for args, line in (
        (("metrics", "--by", "colour"), "error: by: by must be one of workload, version, arm, segment, not 'colour'"),
        (
            ("metrics", "--segment-key", "nope"),
            "error: segment_key: the rollups are segmented by no metadata key (monitor_segment_key), not 'nope': "
            "set FLYLOOP_MONITOR_SEGMENT_KEY=nope where the rollups are kept to segment by it",
        ),
    ):
        mine, theirs = both(*args)
        assert mine.exit_code == theirs.exit_code == 2, (mine.output, theirs.output)
        assert mine.output.replace("\n", " ").strip() == theirs.output.replace("\n", " ").strip() == line
