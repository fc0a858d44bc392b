"""The report's judgements: priorities from the gaps with their owners (report_owners), seed 004's
quality check answered from the data."""

from __future__ import annotations

import pytest
from report_events import H, seed

from flyloop import errors
from flyloop.monitor.report import build_report
from flyloop.monitor.report_assess import parse_owners
from flyloop.settings import Settings


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


def test_owners_setting_is_parsed_and_checked():
    assert parse_owners("signals=ana, *=bo") == {"signals": "ana", "*": "bo"}
    assert parse_owners(None) == {}
    with pytest.raises(errors.ValidationError) as o:
        parse_owners("signals=ana,moon=bo")
    assert o.value.field == "report_owners" and "moon" in str(o.value)
    with pytest.raises(errors.ValidationError) as p:
        parse_owners("signals")
    assert p.value.field == "report_owners"


def test_moat_estimates_when_the_data_becomes_defensible(tmp_path):
    from flyloop.monitor.report_assess import moat

    settings = Settings(home=str(tmp_path), database_url="sqlite://", loops_finetune_min_pairs=100)
    audit = {"interactions": 1000, "signals": 400, "datasets": [], "quarantined_signals": 0}
    design = {
        "verdicts": {"good": 30, "bad": 10, "unknown": 40},
        "labelled": 80,
        "signal_quality_rate": 0.5,
        "high_quality": {"edit": 20, "outcome": 0},
        "in_use": ["edit", "accept"],
    }
    loops = {"gates_passed": 0, "releases": 0}
    # 40 labelled in 7 days, half of them decisive: 20 a week; 60 more needed: 3 weeks.
    m = moat(audit, design, loops, {"labelled_7d": 40, "signals_7d": 100}, settings)
    assert (m["volume"]["decisive_labels"], m["eta_s"], m["defensible_when"]) == (40, 21 * 86400, "in about 21 days")
    assert m["quality"]["high_quality_share"] == 0.05
    stalled = moat(audit, design, loops, {"labelled_7d": 0, "signals_7d": 0}, settings)
    assert (stalled["eta_s"], stalled["defensible_when"], stalled["identified"]) == (
        None,
        "not at the current rate",
        False,
    )
    enough = moat(
        audit, {**design, "verdicts": {"good": 100, "bad": 20}}, loops, {"labelled_7d": 0, "signals_7d": 0}, settings
    )
    assert enough["identified"] is True and enough["eta_s"] is None
    assert enough["defensible_when"] == "once a candidate built from them passes its gate and ships"
    design["verdicts"] = {"good": 100, "corrected": 20}
    done = moat(audit, design, {"gates_passed": 1, "releases": 1}, {"labelled_7d": 0, "signals_7d": 0}, settings)
    assert done["defensible"] is True and done["specificity"]["corrected_share"] == pytest.approx(20 / 120, abs=1e-6)
