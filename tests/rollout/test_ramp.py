"""The ramp's decisions (flyloop.rollout.ramp): a broken guardrail rolls back (with its numbers in
words), Benjamini-Hochberg across guardrails and segments, promotion on the primary's lower bound,
advancing and holding, metrics where lower is better, and bad input by field."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.rollout import ArmStats, Estimate, Guardrail, Ramp, Verdict, choose_tau, compare, decide

RAMP = Ramp(stages=(10, 50, 100), min_users=1000)
GOOD = Guardrail("good_verdict", effect=0.03)
PRODUCTION = ArmStats.proportion(1600, 2000)  # 80% good verdicts


def primary_of(candidate: ArmStats) -> Estimate:
    return compare(PRODUCTION, candidate, tau=choose_tau(0.03))


def test_a_broken_guardrail_rolls_back_with_its_numbers():
    worse = ArmStats.proportion(1440, 2000)  # 72%
    check = GOOD.check(PRODUCTION, worse)
    # V = 0.16 / 2000 + 0.72 * 0.28 / 2000 = 1.808e-4; half-width 0.0412615 at tau = 0.028325
    assert check.variance == pytest.approx(1.808e-4)
    assert (check.lower, check.upper) == (pytest.approx(-0.1212615, abs=1e-7), pytest.approx(-0.0387385, abs=1e-7))
    assert check.p_value == pytest.approx(1.24366e-6, rel=1e-5)
    verdict = decide(primary_of(worse), [(GOOD, check)], ramp=RAMP, stage=1, stage_users=2000)
    assert (verdict.action, verdict.stage, verdict.share, verdict.broken) == ("rollback", None, 0.0, ("good_verdict",))
    assert verdict.reasons == (
        "good_verdict broke its guardrail: the difference -0.08 lies in [-0.1213, -0.03874], wholly below "
        "the worst allowed +0 (adjusted p 1.24e-06 <= 0.05)",
    )
    # a guardrail breaks at any stage, before the stage has its users
    assert decide(primary_of(worse), [(GOOD, check)], ramp=RAMP, stage=0, stage_users=5).action == "rollback"


def test_a_bound_tolerates_a_small_loss():
    slightly = ArmStats.proportion(1560, 2000)  # 78%: two points worse, within a bound of 5
    lenient = Guardrail("good_verdict", effect=0.03, bound=0.05)
    check = lenient.check(PRODUCTION, slightly)
    assert lenient.worst == -0.05 and check.null == -0.05 and check.p_value == 1.0
    assert decide(primary_of(slightly), [(lenient, check)], ramp=RAMP, stage=0, stage_users=2000).action == "advance"


def test_lower_is_better_for_latency():
    latency = Guardrail("latency_ms", effect=100.0, bound=50.0, better="lower")
    fast = ArmStats(4000, 800.0, 250_000.0)  # sd 500 ms
    slow = ArmStats(4000, 1000.0, 250_000.0)  # 200 ms slower: beyond the 50 ms allowed
    check = latency.check(fast, slow)
    assert (latency.worst, check.side) == (50.0, "above")
    assert check.lower > 50.0
    verdict = decide(primary_of(PRODUCTION), [(latency, check)], ramp=RAMP, stage=0, stage_users=4000)
    assert verdict.action == "rollback"
    assert "wholly above the worst allowed +50" in verdict.reasons[0]
    faster = latency.check(slow, fast)
    assert faster.p_value == 1.0


def test_running_checks_remember_a_break():
    first = GOOD.check(PRODUCTION, ArmStats.proportion(1440, 2000))
    later = GOOD.check(ArmStats.proportion(8000, 10000), ArmStats.proportion(7990, 10000), previous=first)
    assert later.p_value == first.p_value and later.upper == first.upper
    assert decide(primary_of(PRODUCTION), [(GOOD, later)], ramp=RAMP, stage=1, stage_users=10000).action == "rollback"


def estimate(p_value: float) -> Estimate:
    return Estimate(-0.01, -0.03, 0.01, p_value, 1e-4, 2000, 2000, side="below")


def test_benjamini_hochberg_across_guardrails_and_segments():
    rails = [Guardrail("good_verdict", effect=0.03, segment=s) for s in ("all", "mobile", "new users")]
    # raw 0.03 is below 0.05, but adjusted 0.03 * 3 / 1 = 0.09: no rollback
    calm = decide(primary_of(PRODUCTION), list(zip(rails, map(estimate, [0.03, 0.5, 0.9]), strict=True)), ramp=RAMP,
                  stage=0, stage_users=2000)  # fmt: skip
    assert calm.action == "advance"
    assert calm.adjusted_p_values == pytest.approx((0.09, 0.75, 0.9))
    # 0.01 and 0.04: adjusted 0.03 and 0.06: only the first breaks
    stormy = decide(primary_of(PRODUCTION), list(zip(rails, map(estimate, [0.01, 0.04, 0.9]), strict=True)),
                    ramp=RAMP, stage=0, stage_users=2000)  # fmt: skip
    assert (stormy.action, stormy.broken) == ("rollback", ("good_verdict [all]",))
    assert stormy.adjusted_p_values == pytest.approx((0.03, 0.06, 0.9))


def test_promote_on_the_primary_lower_bound_at_the_last_stage():
    better = ArmStats.proportion(1700, 2000)  # 85%
    primary = primary_of(better)
    # V = 0.16 / 2000 + 0.85 * 0.15 / 2000 = 1.4375e-4; half-width 0.0365374 at tau = 0.028325
    assert primary.lower == pytest.approx(0.0134627, abs=1e-6)
    check = GOOD.check(PRODUCTION, better)
    assert decide(primary, [(GOOD, check)], ramp=RAMP, stage=1, stage_users=2000) == Verdict(
        "promote",
        2,
        100.0,
        ("the primary metric improved: its difference +0.05 lies in [+0.01346, +0.08654]", "no guardrail broke"),
        (),
        (1.0,),
    )
    # at 10% the same numbers advance to 50% (guardrails need the next stage's traffic too)
    assert decide(primary, [(GOOD, check)], ramp=RAMP, stage=0, stage_users=2000) == Verdict(
        "advance", 1, 50.0, ("no guardrail broke over 2000 candidate users at 10%",), (), (1.0,)
    )
    # lower is better for the primary (cost): the same numbers are a loss, a lower mean the improvement
    assert decide(primary, [], ramp=RAMP, stage=1, stage_users=2000, primary_better="lower").action == "hold"
    cheaper = compare(ArmStats(2000, 1.00, 0.25), ArmStats(2000, 0.90, 0.25), tau=choose_tau(0.05))
    assert cheaper.upper < 0
    verdict = decide(cheaper, [], ramp=RAMP, stage=1, stage_users=2000, primary_better="lower")
    assert (verdict.action, verdict.share) == ("promote", 100.0)


def test_hold():
    same = primary_of(ArmStats.proportion(1610, 2000))
    waiting = decide(same, [], ramp=RAMP, stage=0, stage_users=999)
    assert waiting == Verdict("hold", 0, 10.0, ("999 of 1000 candidate users at 10%: waiting",), (), ())
    undecided = decide(same, [], ramp=RAMP, stage=1, stage_users=2000)
    assert (undecided.action, undecided.stage, undecided.share) == ("hold", 1, 50.0)
    assert undecided.reasons[0].startswith("the primary metric has not improved yet")
    # before either arm has data the interval is unbounded: the reason says so in words
    unbounded = Estimate(0.0, float("-inf"), float("inf"), 1.0, float("inf"), 0, 0)
    first = decide(unbounded, [], ramp=RAMP, stage=1, stage_users=2000)
    assert first.reasons == ("the primary metric has no interval yet: too few users with its data in each arm",)


def test_ramp_splits():
    assert RAMP.split(0) == {"production": 90.0, "candidate": 10.0}
    assert Ramp(stages=(5, 25, 100)).split(1, control="v1", candidate="v2") == {"v1": 75.0, "v2": 25.0}


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Ramp(stages=(10, 50)), "stages"),
        (lambda: Ramp(stages=(50, 10, 100)), "stages"),
        (lambda: Ramp(stages=(0, 100)), "stages"),
        (lambda: Ramp(min_users=0), "min_users"),
        (lambda: RAMP.split(3), "stage"),
        (lambda: Guardrail("", effect=0.03), "metric"),
        (lambda: Guardrail("m", effect=0.03, bound=-1), "bound"),
        (lambda: Guardrail("m", effect=0.0), "effect"),
        (lambda: Guardrail("m", effect=0.03, better="up"), "better"),  # type: ignore[arg-type]
        (lambda: decide(estimate(1.0), [], ramp=RAMP, stage=0, stage_users=-1), "stage_users"),
        (lambda: decide(estimate(1.0), [], ramp=RAMP, stage=0, stage_users=1, primary_better="up"), "primary_better"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_names_its_field(build, field):
    with pytest.raises(errors.ValidationError) as caught:
        build()
    assert caught.value.field == field


def test_the_ramp_is_over_at_the_last_stage():
    with pytest.raises(errors.Conflict) as caught:
        decide(estimate(1.0), [], ramp=RAMP, stage=2, stage_users=10)
    assert caught.value.field == "stage"
