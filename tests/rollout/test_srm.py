"""The sample-ratio check (flyloop.rollout.srm): chi-square statistics and p-values worked out by
hand (one degree of freedom: p = 2 (1 - Phi(sqrt(x))); two: p = exp(-x / 2)), the 0.001 alert,
arms at 0%, and bad counts by field."""

from __future__ import annotations

import math

import pytest

from flyloop import errors
from flyloop.rollout import SRM_ALPHA, Srm, srm_check

HALVES = {"production": 50, "candidate": 50}


def test_a_clear_mismatch_alerts():
    # (300^2 / 5000) * 2 = 36; 2 (1 - Phi(6)) = 1.9732e-9
    found = srm_check({"production": 5300, "candidate": 4700}, HALVES)
    assert found.statistic == pytest.approx(36.0)
    assert found.p_value == pytest.approx(1.97317529e-9, rel=1e-6)
    assert found.mismatch is True
    assert found.expected == {"production": 5000.0, "candidate": 5000.0}
    assert found.reason == (
        "mismatch: production 5300 (expected 5000.0), candidate 4700 (expected 5000.0); "
        "chi-square 36, p 1.97e-09 (alert below 0.001)"
    )


def test_chance_does_not_alert():
    # (100^2 / 5000) * 2 = 4; 2 (1 - Phi(2)) = 0.0455: significant at 5%, not at 0.1%
    found = srm_check({"production": 5100, "candidate": 4900}, HALVES)
    assert (found.statistic, round(found.p_value, 6), found.mismatch) == (pytest.approx(4.0), 0.0455, False)


def test_an_uneven_split():
    # 120^2 / 9000 + 120^2 / 1000 = 1.6 + 14.4 = 16; 2 (1 - Phi(4)) = 6.334e-5
    found = srm_check({"a": 9120, "b": 880}, {"a": 90, "b": 10})
    assert found.statistic == pytest.approx(16.0)
    assert found.p_value == pytest.approx(6.33424837e-5, rel=1e-6)
    assert found.mismatch is True


def test_three_arms():
    # 20^2 / 200 + 0 + 20^2 / 500 = 2.8 on two degrees of freedom: p = exp(-1.4)
    found = srm_check({"a": 220, "b": 300, "c": 480}, {"a": 20, "b": 30, "c": 50})
    assert found.statistic == pytest.approx(2.8)
    assert found.p_value == pytest.approx(math.exp(-1.4))
    assert found.mismatch is False


def test_users_in_an_arm_at_zero_percent_are_a_mismatch():
    found = srm_check({"production": 100, "candidate": 3}, {"production": 100, "candidate": 0})
    assert found == Srm(
        math.inf,
        0.0,
        True,
        {"production": 103.0, "candidate": 0.0},
        "arms at 0% have users: candidate (3)",
    )


def test_no_users_and_one_arm():
    assert srm_check({"a": 0, "b": 0}, {"a": 50, "b": 50}).mismatch is False
    assert srm_check({"a": 0, "b": 0}, {"a": 50, "b": 50}).reason == "no users yet"
    assert srm_check({"a": 10, "b": 0}, {"a": 100, "b": 0}).p_value == 1.0


def test_the_alert_level_is_a_setting_of_the_call():
    assert SRM_ALPHA == 0.001
    assert srm_check({"production": 5100, "candidate": 4900}, HALVES, alpha=0.05).mismatch is True


@pytest.mark.parametrize(
    ("counts", "split", "field"),
    [
        ({"a": 10}, {"a": 50, "b": 50}, "counts"),
        ({"a": 10, "b": -1}, {"a": 50, "b": 50}, "counts.b"),
        ({"a": 10, "b": 2.5}, {"a": 50, "b": 50}, "counts.b"),
        ({"a": 10, "b": 10}, {"a": 50, "b": 40}, "split"),
    ],
)
def test_bad_input_names_its_field(counts, split, field):
    with pytest.raises(errors.ValidationError) as caught:
        srm_check(counts, split)
    assert caught.value.field == field
