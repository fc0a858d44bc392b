"""Always-valid inference (flyloop.rollout.sequential): the mSPRT statistic, its p-value and its
confidence sequence against values worked from the formula, tau's choice, running estimates,
Benjamini-Hochberg on the textbook example, the fixed-horizon yardstick, and a simulation showing
that peeking at every look keeps the error rate (where a t-test peeked at the same looks does not)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from flyloop import errors
from flyloop.rollout import (
    MIN_ARM_USERS,
    ArmStats,
    Estimate,
    benjamini_hochberg,
    choose_tau,
    compare,
    fixed_horizon_size,
    half_width,
    log_likelihood_ratio,
    running,
)


def test_the_statistic_from_the_formula():
    # V = 0.005/100 + 0.005/100 = 1e-4, tau^2 = 1e-4, Delta = 0.02:
    # Lambda = sqrt(1/2) exp(1e-4 * 4e-4 / (2 * 1e-4 * 2e-4)) = e / sqrt(2)
    control, candidate = ArmStats(100, 0.50, 0.005), ArmStats(100, 0.52, 0.005)
    found = compare(control, candidate, tau=0.01)
    assert found.variance == pytest.approx(1e-4)
    assert math.exp(log_likelihood_ratio(0.02, 1e-4, 0.01)) == pytest.approx(math.e / math.sqrt(2))
    assert found.p_value == pytest.approx(math.sqrt(2) / math.e)  # 0.52026
    # half-width sqrt(V (V + tau^2) / tau^2 (log 2 + 2 log 20)) = sqrt(2e-4 * 6.684612)
    assert half_width(1e-4, 0.01) == pytest.approx(math.sqrt(2e-4 * (math.log(2) + 2 * math.log(20))))
    assert half_width(1e-4, 0.01) == pytest.approx(0.0365639, abs=1e-7)
    assert (found.lower, found.upper) == (pytest.approx(0.02 - 0.0365639, abs=1e-7), pytest.approx(0.0565639, abs=1e-7))


def test_two_rates():
    # 400/1000 against 460/1000: V = 0.24/1000 + 0.2484/1000 = 4.884e-4; tau = 0.03:
    # Lambda = sqrt(4.884e-4 / 1.3884e-3) exp(9e-4 * 0.0036 / (2 * 4.884e-4 * 1.3884e-3))
    #        = 0.593104 * exp(2.389046) = 6.46667
    found = compare(ArmStats.proportion(400, 1000), ArmStats.proportion(460, 1000), tau=0.03)
    assert found.difference == pytest.approx(0.06)
    assert found.variance == pytest.approx(4.884e-4)
    assert 1 / found.p_value == pytest.approx(6.466669, rel=1e-6)
    assert found.upper - found.difference == pytest.approx(0.0728105, abs=1e-7)
    assert found.lower < 0 < found.upper  # a fixed-horizon z-test would call this significant (z = 2.72)


def test_a_null_and_a_side():
    control, candidate = ArmStats.proportion(400, 1000), ArmStats.proportion(460, 1000)
    above = compare(control, candidate, tau=0.03, null=0.06, side="both")
    assert above.p_value == 1.0  # Delta sits on the null: Lambda = sqrt(V / (V + tau^2)) < 1
    assert compare(control, candidate, tau=0.03, side="below").p_value == 1.0  # evidence points up
    assert compare(control, candidate, tau=0.03, side="above").p_value == pytest.approx(1 / 6.466669, rel=1e-6)


def test_too_few_users_carry_no_evidence():
    found = compare(ArmStats.proportion(1, 1), ArmStats.proportion(0, 5), tau=0.03)
    assert (found.lower, found.upper, found.p_value) == (-math.inf, math.inf, 1.0)
    # both arms constant: no variance, no evidence (rather than a division by zero)
    found = compare(ArmStats.proportion(200, 200), ArmStats.proportion(200, 200), tau=0.03)
    assert (found.lower, found.upper, found.p_value) == (-math.inf, math.inf, 1.0)
    # under MIN_ARM_USERS (100) per arm a look is no evidence: 90 of 99 against 10 of 99
    assert MIN_ARM_USERS == 100
    found = compare(ArmStats.proportion(90, 99), ArmStats.proportion(10, 99), tau=0.03)
    assert (found.lower, found.upper, found.p_value) == (-math.inf, math.inf, 1.0)
    found = compare(ArmStats.proportion(90, 99), ArmStats.proportion(10, 99), tau=0.03, min_users=2)
    assert found.p_value < 1e-6
    assert half_width(np.array([0.0, 1e-4]), 0.01).tolist() == [math.inf, pytest.approx(0.0365639, abs=1e-7)]


def test_arm_stats_three_ways():
    assert ArmStats.proportion(3, 4) == ArmStats(4, 0.75, 0.1875)
    for stats in (ArmStats.of_values([0.0, 1.0, 2.0, 3.0]), ArmStats.from_sums(4, 6.0, 14.0)):
        assert (stats.n, stats.mean, stats.variance) == (4, 1.5, pytest.approx(5 / 3))
    assert ArmStats.from_sums(1, 2.0, 4.0) == ArmStats(1, 2.0, 0.0)
    assert ArmStats.proportion(0, 0) == ArmStats(0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ArmStats.proportion(5, 4), "successes"),
        (lambda: ArmStats.proportion(1, -1), "n"),
        (lambda: ArmStats(3, 0.5, -1.0), "variance"),
        (lambda: ArmStats(3, math.nan, 1.0), "mean"),
        (lambda: ArmStats.of_values([1.0, math.inf]), "values"),
        (lambda: compare(ArmStats(3, 0, 1), ArmStats(3, 0, 1), tau=0), "tau"),
        (lambda: compare(ArmStats(3, 0, 1), ArmStats(3, 0, 1), tau=1, alpha=1.5), "alpha"),
        (lambda: compare(ArmStats(3, 0, 1), ArmStats(3, 0, 1), tau=1, side="left"), "side"),  # type: ignore[arg-type]
        (lambda: compare(ArmStats(3, 0, 1), ArmStats(3, 0, 1), tau=1, min_users=1), "min_users"),
        (lambda: choose_tau(0.0), "effect"),
        (lambda: benjamini_hochberg([0.5, 1.2]), "p_values"),
        (lambda: fixed_horizon_size(0.99, 0.03), "effect"),
        (lambda: fixed_horizon_size(0.5, 0.03, power=1.0), "power"),
    ],
)
def test_bad_input_names_its_field(build, field):
    with pytest.raises(errors.ValidationError) as caught:
        build()
    assert caught.value.field == field


def test_running_keeps_what_every_look_proved():
    first = Estimate(-0.05, -0.09, -0.01, 0.004, 1e-4, 500, 500)
    second = Estimate(-0.02, -0.05, 0.01, 0.2, 5e-5, 1000, 1000)
    kept = running(first, second)
    assert (kept.difference, kept.lower, kept.upper, kept.p_value, kept.n_candidate) == (
        -0.02,
        -0.05,
        -0.01,
        0.004,
        1000,
    )
    assert running(None, second) is second
    with pytest.raises(errors.ValidationError) as caught:
        running(first, Estimate(-0.02, -0.05, 0.01, 0.2, 5e-5, 1000, 1000, null=-0.01))
    assert caught.value.field == "previous"


def largest_variance_found(effect: float, tau: float) -> float:
    """The largest V (least traffic) at which the interval around a true ``effect`` excludes 0."""
    from scipy.optimize import brentq

    return math.exp(brentq(lambda log_v: half_width(math.exp(log_v), tau) - effect, -30.0, 5.0))


def test_choose_tau_finds_the_effect_with_the_least_traffic():
    tau = choose_tau(0.03)
    assert tau == pytest.approx(0.028325, abs=1e-6)
    assert choose_tau(-0.03) == tau
    # the factor (1 + 1/r)(log(1 + r) + 2 log 20) is smallest near r = 8, where it is about 9.22
    ratios = np.exp(np.linspace(-5, 5, 20001))
    factor = (1 + 1 / ratios) * (np.log1p(ratios) + 2 * math.log(20))
    best = int(factor.argmin())
    assert tau == pytest.approx(0.03 * math.sqrt(ratios[best] / factor[best]), rel=1e-4)
    found = largest_variance_found(0.03, tau)
    assert found == pytest.approx(0.03**2 / factor[best], rel=1e-4)
    for other in (0.5 * tau, 0.8 * tau, 1.25 * tau, 2 * tau):
        assert largest_variance_found(0.03, other) < found


def test_benjamini_hochberg_on_the_textbook_example():
    # Benjamini and Hochberg (1995), section 4: fifteen p-values, q = 0.05: four rejected
    # (Bonferroni's 0.05 / 15 = 0.0033 would reject three). Adjusted: min over j >= i of p_j 15 / j.
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240]
    p += [0.4262, 0.5719, 0.6528, 0.7590, 1.0000]
    adjusted = benjamini_hochberg(p, 0.05)
    assert adjusted.rejected == (True,) * 4 + (False,) * 11
    expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0298 * 15 / 7, 0.0298 * 15 / 7, 0.0645, 0.0765]
    assert adjusted.p_values[:9] == pytest.approx(expected)
    # in the order given, not sorted
    shuffled = benjamini_hochberg([0.0459, 0.0001, 0.3], 0.05)
    assert shuffled.p_values == pytest.approx((0.0459 * 3 / 2, 0.0003, 0.3))
    assert shuffled.rejected == (False, True, False)
    assert benjamini_hochberg([]) == ((), ())


def test_fixed_horizon_size():
    # z = 1.959964 + 1.281552; (0.8 * 0.2 + 0.77 * 0.23) / 0.5 = 0.6742; z^2 * 0.6742 / 0.03^2 = 7871.2
    assert fixed_horizon_size(0.8, -0.03) == 7872
    # a tenth of the traffic to the candidate: 0.16 / 0.9 + 0.1771 / 0.1 = 1.94878 -> 22752
    assert fixed_horizon_size(0.8, -0.03, share=0.1) == 22752


def test_peeking_at_every_look_keeps_the_error_rate():
    """A/A: 2,000 experiments of 500 looks, 10 users per arm between looks (Gaussian, sd 1)."""
    rng = np.random.default_rng(13)
    reps, looks, step = 2000, 500, 10
    # the difference of two arms' running means, look by look
    sums = rng.normal(0, math.sqrt(2 * step), size=(reps, looks)).cumsum(axis=1)
    n = step * np.arange(1, looks + 1)
    difference, variance = sums / n, 2.0 / n
    tau = choose_tau(0.1)
    always_valid = (np.abs(difference) >= half_width(variance, tau)).any(axis=1).mean()
    log_ratio = log_likelihood_ratio(difference, variance, tau)
    assert ((log_ratio >= math.log(20)) == (np.abs(difference) >= half_width(variance, tau))).all()
    naive = (np.abs(difference) >= 1.959964 * np.sqrt(variance)).any(axis=1).mean()
    assert always_valid <= 0.05
    assert naive > 0.3  # the fixed-horizon test, peeked at 500 times
