"""The gate (flyloop.evaluate.gates): the primary metric's interval beyond a margin, guardrails
within their bounds, segments within the parity band, explained in words and numbers."""

from __future__ import annotations

import json

import pytest

from flyloop import errors
from flyloop.evaluate.bootstrap import Estimate
from flyloop.evaluate.comparison import Comparison, MetricResult, compare
from flyloop.evaluate.gates import GateConfig, Guardrail, gate, show
from flyloop.evaluate.metrics import EvalCase, Output, get_metric, score_pairs


def estimate(point, low=None, high=None, clusters=40):
    method = "none" if low is None else "percentile"
    return Estimate(point, low, high, 400, clusters, 10_000 if low is not None else 0, 0.95, method)


def result(name, production, candidate, low=None, high=None, ratio=None, clusters=40):
    metric = get_metric(name)
    diff = candidate - production
    ratio = ratio if ratio is not None else (candidate / production if production else None)
    return MetricResult(
        metric=name,
        title=metric.title,
        unit=metric.unit,
        higher_is_better=metric.higher_is_better,
        production=production,
        candidate=candidate,
        difference=estimate(diff, low, high, clusters),
        ratio=estimate(ratio, None, None, clusters),
        n_cases=400,
    )


def comparison(metrics, segments=None, segment_cases=None, workload_type="choice"):
    return Comparison(
        workload_type=workload_type,
        n_cases=400,
        n_clusters=40,
        n_resamples=10_000,
        seed=0,
        confidence=0.95,
        method="percentile",
        metrics={m.metric: m for m in metrics},
        segments=segments or {},
        segment_cases=segment_cases or {},
    )


def passing():
    return comparison(
        [
            result("accuracy", 0.700, 0.741, 0.012, 0.070),
            result("macro_f1", 0.650, 0.660, -0.01, 0.03),
            result("latency_p95", 198.0, 212.0),
            result("cost", 0.002, 0.002, 0.0, 0.0),
        ],
        segments={
            "pro": {"accuracy": result("accuracy", 0.75, 0.6975, -0.1, 0.0, ratio=0.93)},
            "trial": {"accuracy": result("accuracy", 0.5, 0.9, 0.1, 0.6)},
        },
        segment_cases={"pro": 120, "trial": 12},
    )


def test_a_passing_candidate_explains_itself():
    verdict = gate(passing())
    assert verdict.passed
    assert verdict.summary == (
        "accuracy +4.1 points [1.2, 7.0] > margin 0; "
        "macro-F1 66.0% vs 65.0% (+1.0 points) no lower than -2.0 points; "
        "p95 latency 212 ms vs 198 ms (x1.07) within +20% or within +50 ms; "
        "cost $0.002 vs $0.002 (x1.00) within +20%; "
        "segment 'pro' ratio 0.93 within 0.8..1.25; "
        "segment 'trial' 12 cases < 30: not judged: PASS"
    )
    assert str(verdict) == verdict.summary
    assert [(c.kind, c.metric, c.passed) for c in verdict.checks] == [
        ("primary", "accuracy", True),
        ("guardrail", "macro_f1", True),
        ("guardrail", "latency_p95", True),
        ("guardrail", "cost", True),
        ("segment", "accuracy", True),
        ("segment", "accuracy", None),
    ]
    primary = verdict.checks[0]
    assert (primary.production, primary.candidate, primary.low, primary.high) == (0.7, 0.741, 0.012, 0.07)
    data = json.loads(json.dumps(verdict.to_dict()))
    assert data["passed"] is True and data["config"]["primary"] == "accuracy"
    assert data["checks"][2]["value"] == pytest.approx(212 / 198)


def test_an_interval_reaching_the_margin_fails():
    c = comparison([result("accuracy", 0.70, 0.72, -0.004, 0.044)])
    verdict = gate(c)
    assert not verdict.passed
    assert verdict.summary == "accuracy +2.0 points [-0.4, 4.4] lower bound not above margin 0: FAIL"
    # A margin of 1 point: an interval starting at +1.2 points passes it, one at +0.8 does not.
    one_point = GateConfig(primary="accuracy", margin=0.01)
    assert gate(comparison([result("accuracy", 0.7, 0.74, 0.012, 0.07)]), one_point).passed
    failed = gate(comparison([result("accuracy", 0.7, 0.74, 0.008, 0.07)]), one_point)
    assert failed.summary == "accuracy +4.0 points [0.8, 7.0] lower bound not above margin 1 points: FAIL"


def test_too_few_users_fail_however_narrow_the_interval():
    c = comparison([result("accuracy", 0.5, 0.9, 0.3, 0.5, clusters=4)])
    verdict = gate(c, GateConfig(primary="accuracy"))
    assert verdict.summary == "accuracy +40.0 points [30.0, 50.0] from 4 users < 10: too few to judge: FAIL"


def test_a_guardrail_beyond_its_bound_fails_and_says_by_how_much():
    c = comparison([result("accuracy", 0.7, 0.75, 0.02, 0.08), result("latency_p95", 200.0, 260.0)])
    verdict = gate(c, GateConfig(primary="accuracy", guardrails=(Guardrail("latency_p95", "ratio", high=1.2),)))
    assert not verdict.passed
    assert verdict.checks[1].reason == "p95 latency 260 ms vs 200 ms (x1.30) outside: must be within +20%"


def test_a_guardrails_slack_passes_a_change_too_small_to_matter_whatever_its_ratio():
    rail = Guardrail("latency_p95", "ratio", high=1.2, slack=50.0)
    small = gate(comparison([result("accuracy", 0.7, 0.75, 0.02, 0.08), result("latency_p95", 0.1, 0.6)]),
                 GateConfig(primary="accuracy", guardrails=(rail,)))  # fmt: skip
    assert small.passed
    assert small.checks[1].reason == "p95 latency 0.6 ms vs 0.1 ms (x6.00) within +20% or within +50 ms"
    large = gate(comparison([result("accuracy", 0.7, 0.75, 0.02, 0.08), result("latency_p95", 200.0, 260.0)]),
                 GateConfig(primary="accuracy", guardrails=(rail,)))  # fmt: skip
    assert large.checks[1].reason == (
        "p95 latency 260 ms vs 200 ms (x1.30) outside: must be within +20% or within +50 ms"
    )
    for bad in (-1.0, float("nan"), True, "5"):
        with pytest.raises(errors.ValidationError) as caught:
            Guardrail("latency_p95", "ratio", high=1.2, slack=bad)
        assert caught.value.field == "slack"


def test_a_difference_guardrail_and_one_judged_on_its_interval():
    c = comparison(
        [
            result("exact_match", 0.5, 0.6, 0.05, 0.15),
            result("refusal_rate", 0.010, 0.012, -0.004, 0.011),
            result("length_chars", 400.0, 420.0),
        ],
        workload_type="generation",
    )
    rails = (Guardrail("refusal_rate", "difference", high=0.01), Guardrail("length_chars", "ratio", low=0.5, high=1.5))
    verdict = gate(c, GateConfig(primary="exact_match", guardrails=rails))
    assert verdict.passed
    assert verdict.checks[1].reason == "refusal rate 1.2% vs 1.0% (+0.2 points) within +1.0 points"
    assert verdict.checks[2].reason == "length 420 chars vs 400 chars (x1.05) within 0.5..1.5"
    # Non-inferiority: the interval's upper end (+1.1 points) passes the bound of +1 point: fail.
    strict = (Guardrail("refusal_rate", "difference", high=0.01, use_ci=True),)
    verdict = gate(c, GateConfig(primary="exact_match", guardrails=strict))
    assert not verdict.passed
    assert verdict.checks[1].reason == (
        "refusal rate 1.2% vs 1.0% (+0.2 points) outside: must be within +1.0 points [interval -0.004..0.011]"
    )


def test_a_segment_outside_the_parity_band_fails_and_a_missing_guardrail_is_not_judged():
    c = comparison(
        [result("accuracy", 0.7, 0.75, 0.02, 0.08)],
        segments={"free": {"accuracy": result("accuracy", 0.8, 0.56, -0.3, -0.1)}},
        segment_cases={"free": 200},
    )
    verdict = gate(c, GateConfig(primary="accuracy", guardrails=(Guardrail("cost", "ratio", high=1.2),)))
    assert not verdict.passed
    assert [c.reason for c in verdict.checks[1:]] == [
        "cost: no data, not judged",
        "segment 'free' ratio 0.70 outside 0.8..1.25",
    ]
    assert gate(c, GateConfig(primary="accuracy", segment_band=None)).passed
    # Far above the band is an improvement: reported, failed only when both sides are judged.
    up = comparison(
        [result("accuracy", 0.7, 0.75, 0.02, 0.08)],
        segments={"new": {"accuracy": result("accuracy", 0.5, 0.8, 0.1, 0.5)}},
        segment_cases={"new": 40},
    )
    verdict = gate(up, GateConfig(primary="accuracy"))
    assert verdict.passed
    assert verdict.checks[1].reason == "segment 'new' ratio 1.60 outside 0.8..1.25, on the side of improvement"
    assert not gate(up, GateConfig(primary="accuracy", segment_two_sided=True)).passed
    # For a lower-is-better primary the regression side is the high end.
    dearer = comparison(
        [result("cost", 0.010, 0.008, -0.003, -0.001)],
        segments={"eu": {"cost": result("cost", 0.010, 0.013, 0.001, 0.005)}},
        segment_cases={"eu": 40},
    )
    assert gate(dearer, GateConfig(primary="cost")).checks[1].reason == "segment 'eu' ratio 1.30 outside 0.8..1.25"
    # Production scored 0 in a segment: no ratio; the candidate must not be worse there.
    zero = comparison(
        [result("accuracy", 0.7, 0.75, 0.02, 0.08)],
        segments={"new": {"accuracy": result("accuracy", 0.0, 0.2, 0.1, 0.3)}},
        segment_cases={"new": 40},
    )
    assert gate(zero, GateConfig(primary="accuracy")).checks[1].reason == "segment 'new' accuracy 20.0% vs 0 (no ratio)"


def test_a_primary_metric_without_data_fails():
    verdict = gate(comparison([result("latency_p95", 100.0, 90.0)]), GateConfig(primary="accuracy"))
    assert verdict.summary == "accuracy: no data to judge: FAIL"


def test_a_lower_is_better_primary_must_come_down():
    c = comparison([result("cost", 0.010, 0.008, -0.003, -0.001)])
    verdict = gate(c, GateConfig(primary="cost", segment_band=None))
    assert verdict.passed and verdict.checks[0].reason.endswith("< margin -0")


def test_defaults_by_workload_type():
    choice = GateConfig.default("choice")
    assert choice.primary == "accuracy" and choice.segment_band == (0.8, 1.25)
    assert [g.metric for g in choice.guardrails] == ["macro_f1", "latency_p95", "cost"]
    generation = GateConfig.default("generation", ["judge", "correction_similarity", "refusal_rate", "latency_p95"])
    assert generation.primary == "correction_similarity"
    assert [g.metric for g in generation.guardrails] == ["refusal_rate", "latency_p95"]
    assert GateConfig.default("generation", ["judge"]).primary == "judge"
    # Length: both ways within 0.5..1.5x, except that checked answers may shorten (a model that
    # learned to answer "-84" instead of a paragraph is not refused for it).
    length = {g.metric: g for g in GateConfig.default("generation").guardrails}["length_chars"]
    assert (length.low, length.high) == (None, 1.5)
    similar = GateConfig.default("generation", ["correction_similarity", "length_chars"])
    assert [(g.metric, g.low, g.high) for g in similar.guardrails] == [("length_chars", 0.5, 1.5)]
    with pytest.raises(errors.ValidationError) as e:
        GateConfig.default("generation", ["latency_p95"])
    assert e.value.field == "primary"
    # gate() with no configuration takes the comparison's workload type's default
    assert gate(passing()).config == GateConfig.default("choice", passing().metrics)


def test_a_configuration_round_trips_through_json():
    config = GateConfig(
        primary="exact_match",
        margin=0.02,
        guardrails=(Guardrail("refusal_rate", "difference", high=0.01, use_ci=True),),
        segment_band=None,
        min_segment_cases=50,
    )
    assert GateConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    with pytest.raises(errors.ValidationError) as e:
        GateConfig.from_dict({"primary": "accuracy", "threshold": 3})
    assert e.value.field == "gate.threshold"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: GateConfig(primary="bleu"), "metric"),
        (lambda: GateConfig(primary="latency_p95"), "primary"),
        (lambda: GateConfig(primary="accuracy", margin=-0.1), "margin"),
        (lambda: GateConfig(primary="accuracy", segment_band=(1.1, 1.25)), "segment_band"),
        (lambda: GateConfig(primary="accuracy", min_clusters=0), "min_clusters"),
        (lambda: Guardrail("cost", "ratio"), "high"),
        (lambda: Guardrail("cost", "percent", high=1.2), "bound"),
        (lambda: Guardrail("cost", "ratio", low=1.5, high=1.2), "low"),
        (lambda: Guardrail("cost", "ratio", high="20%"), "high"),
        (lambda: GateConfig(primary="accuracy", segment_band=("0.8", 1.25)), "segment_band"),
        (lambda: GateConfig.default("chat"), "workload_type"),
    ],
)
def test_a_configuration_that_cannot_work_is_refused(make, field):
    with pytest.raises(errors.ValidationError) as e:
        make()
    assert e.value.field == field


def test_show_formats_values_in_their_units():
    assert (show(0.712, "points"), show(0.041, "points", signed=True)) == ("71.2%", "+4.1 points")
    assert (show(212.0, "ms"), show(-14.0, "ms", signed=True)) == ("212 ms", "-14 ms")
    assert (show(0.0021, "usd"), show(1234.0, "tokens")) == ("$0.0021", "1,234 tokens")


def test_end_to_end_a_better_classifier_passes_and_a_worse_one_does_not():
    cases, production, better, worse = [], [], [], []
    for i in range(600):
        gold = ["spam", "ham", "promo"][i % 3]
        cases.append(EvalCase(f"c{i}", f"u{i % 60}", f"mail {i}", reference=gold, segment=["a", "b"][i % 60 % 2]))
        production.append(Output(gold if i % 10 < 7 else "ham", latency_ms=100.0))
        better.append(Output(gold if i % 10 < 9 else "ham", latency_ms=105.0))
        worse.append(Output(gold if i % 10 < 6 else "ham", latency_ms=100.0))
    good = gate(compare(score_pairs(cases, production, better, workload_type="choice"), seed=0))
    assert good.passed, good.summary
    assert good.summary.startswith("accuracy +")
    bad = gate(compare(score_pairs(cases, production, worse, workload_type="choice"), seed=0))
    assert not bad.passed and bad.checks[0].passed is False


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ("accuracy", "gate", "a gate configuration is an object"),
        ({"margin": 0.01}, "gate.primary", "primary is required"),
        ({"primary": "accuracy", "speed": 2}, "gate.speed", "unknown key 'speed'"),
        ({"primary": "accuracy", "guardrails": {"metric": "cost"}}, "guardrails", "guardrails is a list of objects"),
        (
            {"primary": "accuracy", "guardrails": [{"metric": "cost", "high": 1.2}]},
            "guardrails[0].bound",
            "bound is required",
        ),
        (
            {"primary": "accuracy", "guardrails": [{"metric": "cost", "bound": "ratio", "hi": 1}]},
            "guardrails[0].hi",
            "unknown key 'hi'",
        ),
        ({"primary": "accuracy", "segment_band": 0.8}, "segment_band", "segment_band is two numbers (low, high)"),
    ],
)
def test_a_stored_or_sent_gate_names_what_is_wrong(data, field, message):
    with pytest.raises(errors.ValidationError) as caught:
        GateConfig.from_dict(data)
    assert caught.value.field == field and caught.value.message.startswith(message)
    round_trip = GateConfig.default("choice")
    assert GateConfig.from_dict(round_trip.to_dict()) == round_trip


def test_a_gate_on_quality_weighed_references_says_so_and_round_trips():
    config = GateConfig(primary="accuracy", segment_band=None, references="quality")
    verdict = gate(comparison([result("accuracy", 0.700, 0.741, 0.012, 0.070)]), config)
    assert verdict.summary == "accuracy (references weighed by quality) +4.1 points [1.2, 7.0] > margin 0: PASS"
    assert GateConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    assert GateConfig.from_dict({"primary": "accuracy"}).references == "equal"
    with pytest.raises(errors.ValidationError) as e:
        GateConfig.from_dict({"primary": "accuracy", "references": "trust"})
    assert (e.value.field, e.value.message) == ("references", "references is one of equal, quality, not 'trust'")


def users_improved(better: int, worse: int = 0, n_users: int = 12):
    """Two cases per user; production wrong on every first case, the candidate right on the first
    case of the first ``better`` users and wrong on the second of the next ``worse``."""
    cases, production, candidate = [], [], []
    for u in range(n_users):
        for k in range(2):
            cases.append(EvalCase(f"c{u}-{k}", f"u{u}", f"mail {u} {k}", reference="spam"))
            production.append(Output("spam" if k else "ham"))
            fixed = k == 0 and u < better
            broken = k == 1 and better <= u < better + worse
            candidate.append(Output("spam" if (k and not broken) or fixed else "ham"))
    return compare(score_pairs(cases, production, candidate, workload_type="choice", labels=["spam", "ham"]))


def test_a_gain_that_three_users_carry_cannot_pass_and_the_gate_says_so():
    # 3 of 12 users better and none worse: each resample leaves out all three with probability
    # (9/12)**12 = 3.2% > 2.5%, so the lower bound is exactly 0, and an exact sign test over users
    # agrees (1 in 8). The gate names the users its evidence rests on.
    three = users_improved(3)
    accuracy = three.metrics["accuracy"]
    assert (accuracy.users_better, accuracy.users_worse) == (3, 0)
    assert (accuracy.difference.point, accuracy.difference.low) == (0.125, 0.0)
    verdict = gate(three, GateConfig(primary="accuracy"))
    assert verdict.summary == (
        f"accuracy +12.5 points [0.0, {100 * accuracy.difference.high:.1f}] lower bound not above margin 0: "
        "no user worse, but the gain rests on 3 users of 12, too few to tell from chance: FAIL"
    )
    # A fourth user: (8/12)**12 = 0.8% of resamples leave all four out, and the bound clears 0.
    four = gate(users_improved(4), GateConfig(primary="accuracy"))
    assert four.passed and four.checks[0].low == pytest.approx(1 / 24)
    # Users who got worse are counted too.
    mixed = users_improved(4, worse=3)
    assert (mixed.metrics["accuracy"].users_better, mixed.metrics["accuracy"].users_worse) == (4, 3)
    assert (
        "lower bound not above margin 0 (4 users better, 3 worse, of 12): FAIL"
        in gate(mixed, GateConfig(primary="accuracy")).summary
    )
