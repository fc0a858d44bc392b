"""flyloop report (the flywheel report from live data) and the headline flyloop status ends with."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import hours_ago
from flyloop import Capture, Settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def _empty_store(store):
    """Taking ``store`` empties PostgreSQL before each test."""


def _seed(database_url):
    from flyloop import Store

    store = Store(database_url)
    h = hours_ago(2)
    its = [{"id": f"i{k}", "workload": "w", "input": "q", "output": "a", "ts": h + k * 60} for k in range(10)]
    Capture(store, Settings(database_url=database_url)).ingest(
        "default",
        {
            "interactions": its,
            "signals": [
                {"id": "s1", "interaction_id": "i0", "kind": "accept", "ts": h + 5},
                {"id": "s2", "interaction_id": "i1", "kind": "edit", "ts": h + 65, "payload": {"text": "b"}},
            ],
        },
    )
    store.close()


def test_report_writes_markdown_and_html(database_url, tmp_path, monkeypatch):
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FLYLOOP_REPORT_OWNERS", "*=ops-team")
    _seed(database_url)
    out = runner.invoke(
        app, ["report", "--out", str(tmp_path / "r"), "--database-url", database_url], terminal_width=200
    )
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert f"wrote {tmp_path / 'r' / 'flywheel-report.md'}" in lines
    assert f"wrote {tmp_path / 'r' / 'flywheel-report.html'}" in lines
    assert "How fast the wheel turns: 2 signals in the last 7 days" in out.output
    md = (tmp_path / "r" / "flywheel-report.md").read_text()
    assert "| interactions | 10 | 100% |" in md
    assert "| edit | explicit | 1 | 10 |" in md
    assert "is owned by ops-team" in md
    only_md = runner.invoke(
        app, ["report", "-o", str(tmp_path / "m"), "-f", "md", "--database-url", database_url], terminal_width=200
    )
    assert only_md.exit_code == 0, only_md.output
    assert sorted(p.suffix for p in (tmp_path / "m").iterdir() if p.name.startswith("flywheel")) == [".md"]


def test_report_bad_input_is_one_line(database_url, tmp_path, monkeypatch):
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    _seed(database_url)
    bad = runner.invoke(app, ["report", "-o", str(tmp_path), "-f", "pdf", "--database-url", database_url])
    assert bad.exit_code == 2 and bad.output == "error: format: format must be one of md, html, both, not 'pdf'\n"
    unknown = runner.invoke(
        app, ["report", "-o", str(tmp_path), "-w", "nope", "--database-url", database_url], terminal_width=300
    )
    assert unknown.exit_code == 2
    assert unknown.output == "error: workload: no workload 'nope' in project default (w)\n"


def test_report_on_an_empty_store_says_so(database_url, tmp_path, monkeypatch):
    from flyloop import Store
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    Store(database_url).close()
    out = runner.invoke(app, ["report", "-o", str(tmp_path / "r"), "--database-url", database_url], terminal_width=300)
    assert out.exit_code == 0, out.output
    assert out.output.startswith("note: The store holds no interactions for project default yet")
    assert "The wheel has not turned yet: no interactions in project default." in out.output


def test_status_ends_with_the_headline(database_url, tmp_path, monkeypatch):
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    _seed(database_url)
    out = runner.invoke(app, ["status", "--database-url", database_url], terminal_width=300)
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[-1] == (
        # no label yet: nothing ran the label catch-up
        "How fast the wheel turns: 2 signals in the last 7 days, 0 interactions labelled; "
        "0 loop runs and 0 releases in 30 days; no version built from signals has shipped yet."
    )
