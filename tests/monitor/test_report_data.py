"""The report's figures, computed from hand-built events: captured, discarded, coverage per signal
kind, the signal design, the loops' runs and cadence, velocity; trends and window grains."""

from __future__ import annotations

from report_events import H, add_runs, seed

from flyloop import labels
from flyloop.monitor.report import build_report
from flyloop.monitor.report_data import _trend, choose_grain


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


def test_trend_and_grain():
    assert _trend([1, 2, 3, 4]) == {"slope": 1.0, "direction": "rising", "windows": 4}
    assert _trend([0.5, 0.5, None, 0.5])["direction"] == "flat"
    assert _trend([1, None])["direction"] == "too few windows"
    assert (choose_grain(0, 86400), choose_grain(0, 10 * 86400), choose_grain(0, 90 * 86400)) == ("hour", "day", "week")


def test_curation_discards_come_from_the_newest_dataset_version(capture, store, settings):
    from conftest import seed as seed_users
    from flyloop import datasets

    seed_users(capture)
    labels.catch_up(store, "acme", settings=settings)
    version = datasets.build(store, "acme", "d1", {"workloads": ["math"]})
    report = build_report(store, "acme", settings=settings)
    (d,) = report["audit"]["datasets"]
    manifest = version.manifest
    assert (d["workload"], d["id"], d["name"]) == ("math", version.id, "d1")
    assert d["examples"] == sum(sum(s.values()) for s in manifest["counts"].values())
    removed_by_filters = sum(sum(e.get("removed", {}).values()) for e in manifest["filters"].values())
    assert sum(v for k, v in d["removed"].items() if k.startswith("filter ")) == removed_by_filters
    assert report["audit"]["curation_removed"] == d["removed_total"] == sum(d["removed"].values())
    assert report["risks"]["poisoning"]["status"] in ("found", "none found")
