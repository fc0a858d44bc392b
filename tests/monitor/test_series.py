"""Rates read off counts: exact ratios, None (never NaN) where there is nothing to divide by."""

from __future__ import annotations

from flyloop.monitor import RATES, derive


def test_rates_from_counts():
    got = derive(
        {
            "interactions": 8,
            "accepted": 2,
            "with_feedback": 4,
            "voted": 4,
            "approved": 3,
            "edit_distance": 10,
            "edits_measured": 4,
            "signals.accept": 2,
            "labelled": 4,
            "verdict.good": 3,
            "verdict.bad": 1,
            "pairs.dpo": 5,
        }
    )
    assert (got["acceptance_rate"], got["feedback_coverage"], got["approval_rate"]) == (0.25, 0.5, 0.75)
    assert got["mean_edit_distance"] == 2.5
    assert got["signals_by_kind"] == {"accept": 0.25}
    assert got["verdict_mix"] == {"bad": 0.25, "good": 0.75}
    assert got["pairs"] == {"dpo": 5}
    assert got["outcome_rate"] == 0.0 and got["rollback_share"] is None


def test_nothing_counted_is_none_everywhere():
    got = derive({})
    assert all(got[name] is None for name in RATES)
    assert (got["signals_by_kind"], got["verdict_mix"], got["pairs"]) == ({}, {}, {})
