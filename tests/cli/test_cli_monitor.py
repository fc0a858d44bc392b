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
