"""The flywheel report on hand-built events: every figure computed from the store, the sections
of seed 004's design document, the quality check answered from the data; an empty store and a
workload with no signals said in words; the headline."""

from __future__ import annotations

import base64
import re

import pytest
import sqlalchemy as sa

from conftest import hours_ago
from flyloop import errors, labels
from flyloop.monitor.report import build_report, headline, write_report
from flyloop.monitor.report_assess import parse_owners
from flyloop.monitor.report_data import _trend, choose_grain
from flyloop.settings import Settings
from flyloop.store import schema as t

H = hours_ago(3)


def it(iid, at, workload="w", version="v1"):
    return {
        "id": iid,
        "workload": workload,
        "input": "what is the total?",
        "output": "The total is 84.",
        "ts": H + at,
        "user_id": "u-" + iid,
        "policy_version": version,
    }


def sig(sid, iid, kind, at, **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": H + at, **kw}


def seed(capture):
    capture.ingest(
        "acme",
        {
            "interactions": [it("a", 10), it("b", 20), it("c", 30), it("d", 40), it("q", 50, workload="quiet")],
            "signals": [
                sig("s1", "a", "thumbs_up", 60),
                sig("s2", "a", "accept", 61),
                sig("s3", "b", "edit", 70, payload={"text": "The total is 85."}),
                sig("s4", "b", "thumbs_down", 71),
                sig("s5", "c", "requery", 80),
            ],
            "outcomes": [{"id": "o1", "name": "paid", "value": 1.0, "ts": H + 500, "interaction_id": "a"}],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)


def add_runs(store):
    """Two prompt-loop runs (one made a candidate) and one production move, by hand."""
    with store.write() as conn:
        conn.execute(
            sa.insert(t.loop_runs),
            [
                {
                    "project_id": "acme",
                    "id": f"r{k}",
                    "loop": "prompt",
                    "workload": "w",
                    "status": status,
                    "trigger": "manual",
                    "started_at": H + 100 * k,
                    "finished_at": H + 100 * k + 50,
                    "inputs": {},
                    "outputs": {"candidates": made},
                    "details": {},
                }
                for k, (status, made) in enumerate((("succeeded", ["pv-2"]), ("failed", [])), start=1)
            ],
        )


def test_figures_are_computed_from_the_store(capture, store, settings):
    seed(capture)
    add_runs(store)
    report = build_report(store, "acme", settings=settings, now=H + 3000)
    a = report["audit"]
    # the outcome joined to interaction a is stored as an outcome signal too
    assert (a["interactions"], a["signals"], a["unused_interactions"]) == (5, 6, 2)
    assert list(a["signals_by_kind"]) == ["accept", "edit", "outcome", "requery", "thumbs_down", "thumbs_up"]
    assert a["coverage"]["explicit feedback"] == {"count": 2, "share": 0.4}
    assert a["coverage"]["an outcome"] == {"count": 1, "share": 0.2}
    s = report["signals"]
    assert s["high_quality"] == {"edit": 1, "outcome": 1}
    assert s["in_use"] == ["accept", "edit", "outcome", "requery", "thumbs_down", "thumbs_up"]
    assert (s["labelled"], s["verdicts"]) == (5, {"bad": 1, "corrected": 1, "good": 1, "unknown": 2})
    assert s["signal_quality_rate"] == 0.6
    prompt = next(e for e in report["loops"]["loops"] if e["loop"] == "prompt")
    assert (prompt["runs"], prompt["candidates"], prompt["by_status"]) == (2, 1, {"failed": 1, "succeeded": 1})
    assert prompt["every_s"] == settings.loops_prompt_every_s
    assert report["loops"]["prompt_updates_30d"] == 1
    assert report["velocity"]["signals_7d"] == 6 and report["velocity"]["grain"] == "hour"
    assert report["moat"]["threshold"] == settings.loops_finetune_min_pairs
    assert report["notes"] == []
    assert report["risks"]["poisoning"]["status"] == "not checked"


def test_priorities_follow_the_gaps_and_name_owners(capture, store, tmp_path):
    seed(capture)
    settings = Settings(home=str(tmp_path / "h"), database_url="sqlite://", report_owners="data=dana,*=sam")
    report = build_report(store, "acme", settings=settings, now=H + 3000)
    plan = report["priorities"]
    # edits arrive (1), outcomes too: the first gap is the labels' volume (data), then the prompt loop never ran.
    assert [p["area"] for p in plan[:2]] == ["data", "loops"]
    assert plan[0]["owner"] == "dana" and plan[1]["owner"] == "sam"
    assert plan[0]["what"] == f"Reach {settings.loops_finetune_min_pairs:,} decisive labels for fine-tuning"
    check = {c["item"]: c for c in report["quality_check"]}
    assert len(check) == 6
    assert check["90-day sprint has an engineering owner for priority 1"]["passed"] is True
    assert "dana" in check["90-day sprint has an engineering owner for priority 1"]["answer"]
    assert check["At least one high-quality labelling signal is defined (edits or outcome data)"]["passed"] is True


def test_without_owner_the_check_says_which_setting(capture, store, settings):
    seed(capture)
    report = build_report(store, "acme", settings=settings, now=H + 3000)
    last = report["quality_check"][-1]
    assert last["passed"] is False and "report_owners" in last["answer"]


def test_empty_store_says_so(store, settings, tmp_path):
    done = write_report(store, "acme", tmp_path / "out", settings=settings, now=H)
    text = (tmp_path / "out" / "flywheel-report.md").read_text()
    assert "The store holds no interactions for project acme yet" in text
    assert "The wheel has not turned yet" in text
    assert "nothing to plot" in text and "nan" not in text.lower().replace("financ", "")
    assert done.notes[0].startswith("The store holds no interactions")
    assert [p.name for p in done.plots] == []


def test_workload_with_no_signals_says_so(capture, store, settings, tmp_path):
    seed(capture)
    report = build_report(store, "acme", workload="quiet", settings=settings, now=H + 3000)
    assert report["notes"] == [
        "workload quiet has 1 interactions and no signals: no user has judged an output, so nothing can become a "
        "label yet."
    ]
    assert report["headline"].startswith("The wheel is not turning: 1 interactions in workload quiet")


def test_unknown_workload_and_bad_format_name_the_field(capture, store, settings, tmp_path):
    seed(capture)
    with pytest.raises(errors.NotFound) as e:
        build_report(store, "acme", workload="nope", settings=settings, now=H + 3000)
    assert e.value.field == "workload"
    with pytest.raises(errors.ValidationError) as v:
        write_report(store, "acme", tmp_path, formats=("pdf",), settings=settings)
    assert v.value.field == "format"
    with pytest.raises(errors.ValidationError) as o:
        parse_owners("signals=ana,moon=bo")
    assert o.value.field == "report_owners" and "moon" in str(o.value)


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


def test_headline_reads_the_rollups(capture, store, settings):
    assert (
        headline(store, "acme", settings=settings, now=H)
        == "The wheel has not turned yet: no interactions in project acme."
    )
    seed(capture)
    add_runs(store)
    assert headline(store, "acme", settings=settings, now=H + 3000) == (
        "How fast the wheel turns: 6 signals in the last 7 days, 5 interactions labelled; 2 loop runs and "
        "0 releases in 30 days; no version built from signals has shipped yet."
    )


def test_trend_and_grain():
    assert _trend([1, 2, 3, 4]) == {"slope": 1.0, "direction": "rising", "windows": 4}
    assert _trend([0.5, 0.5, None, 0.5])["direction"] == "flat"
    assert _trend([1, None])["direction"] == "too few windows"
    assert (choose_grain(0, 86400), choose_grain(0, 10 * 86400), choose_grain(0, 90 * 86400)) == ("hour", "day", "week")
