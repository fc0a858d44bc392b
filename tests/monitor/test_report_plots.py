"""The report's plots: drawn with matplotlib, or a note naming the extra when it is missing."""

from __future__ import annotations

from report_events import H, seed

from flyloop import errors
from flyloop.monitor.report import write_report


def test_without_matplotlib_markdown_says_plots_need_the_extra(capture, store, settings, tmp_path, monkeypatch):
    import flyloop.monitor.report_plots as plots

    def missing(module, extra, feature):
        raise errors.ConfigError(
            f"{feature} needs the {extra} extra (matplotlib is not installed): pip install 'flyloop[report]'"
        )

    monkeypatch.setattr(plots, "require", missing)
    seed(capture)
    done = write_report(store, "acme", tmp_path, formats=("md",), settings=settings, now=H + 3000)
    md = (tmp_path / "flywheel-report.md").read_text()
    assert "pip install 'flyloop[report]'" in md and done.plots == []
    assert "not drawn (the report's plots needs the report extra (matplotlib is not installed))" in md


def test_draws_what_has_data_and_nothing_for_an_empty_report():
    import pytest

    pytest.importorskip("matplotlib")
    from flyloop.monitor.report_plots import draw

    empty = {"velocity": {"windows": [], "grain": None}, "signals": {"kinds": [], "verdicts": {}}}
    assert draw(empty) == ({}, None)
    one = {
        "velocity": {
            "windows": [{"start": H, "interactions": 3, "signals": 2, "acceptance_rate": None}],
            "grain": "hour",
        },
        "signals": {"kinds": [{"kind": "accept", "count": 2}], "verdicts": {}},
    }
    plots, missing = draw(one)
    assert missing is None and sorted(plots) == ["signal_mix", "volume"]  # no rate to draw, no verdict
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for png in plots.values())
