"""The report as Markdown (plots linked beside it) and HTML (plots embedded), same sections."""

from __future__ import annotations

import base64
import re

import pytest
from report_events import H, seed

from flyloop.monitor.report import write_report


def test_markdown_links_plots_and_html_embeds_them(capture, store, settings, tmp_path):
    pytest.importorskip("matplotlib")
    seed(capture)
    done = write_report(store, "acme", tmp_path, settings=settings, now=H + 3000)
    md = (tmp_path / "flywheel-report.md").read_text()
    html = (tmp_path / "flywheel-report.html").read_text()
    for section in (
        "1. Data audit",
        "2. Signal design",
        "3. Improvement loops",
        "4. Velocity",
        "5. Moat assessment",
        "6. Risks found",
        "7. The next 90 days",
        "8. Quality check (seed 004)",
    ):
        assert f"## {section}" in md and f"<h2>{section}</h2>" in html
    assert sorted(p.name for p in done.plots) == ["lagging.png", "signal_mix.png", "verdicts.png", "volume.png"]
    for p in done.plots:
        assert f"]({p.name})" in md and p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(embedded) == 4 and base64.b64decode(embedded[0])[:4] == b"\x89PNG"
    assert "| interactions | 5 | 100% |" in md
