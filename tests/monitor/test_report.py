"""The flywheel report as a whole: an empty store and a workload with no signals said in words,
an unknown workload named, the headline read off the rollups."""

from __future__ import annotations

import pytest
from report_events import H, add_runs, seed

from flyloop import errors
from flyloop.monitor.report import build_report, headline, write_report


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


def test_a_folder_that_cannot_be_made_names_out(store, settings, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(errors.ValidationError) as e:
        write_report(store, "acme", tmp_path / "file" / "sub", settings=settings, now=H)
    assert e.value.field == "out"
    assert str(e.value) == f"out: cannot make the folder {tmp_path / 'file' / 'sub'}: Not a directory"


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


def test_a_segment_key_no_interaction_carries_is_a_note(capture, store, settings):
    seed(capture)
    settings.monitor_segment_key = "nope"
    report = build_report(store, "acme", settings=settings, now=H + 3000)
    assert report["notes"] == [
        "Segments: no interaction carries the metadata key 'nope' (monitor_segment_key): every one would be in "
        "segment '(none)'; name a key the interactions' metadata has."
    ]
