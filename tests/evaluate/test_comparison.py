"""Candidate against production on the same cases (flyloop.evaluate.comparison): every metric's
values, paired differences and ratios with clustered intervals, overall and per segment."""

from __future__ import annotations

import json

import numpy as np
import pytest

from flyloop import errors
from flyloop.evaluate.comparison import compare
from flyloop.evaluate.metrics import EvalCase, Output, score_pairs


def choice_scores():
    # Users u0..u9, three cases each; segments: even users "pro", odd users "free".
    cases, production, candidate = [], [], []
    for u in range(10):
        for k in range(3):
            i = 3 * u + k
            gold = ["spam", "ham"][i % 2]
            cases.append(EvalCase(f"c{i}", f"u{u}", f"mail {i}", reference=gold, segment=["pro", "free"][u % 2]))
            right_before = i % 3 != 0  # production: 20 of 30 right
            right_after = i % 5 != 0  # candidate: 24 of 30 right
            other = "ham" if gold == "spam" else "spam"
            production.append(Output(gold if right_before else other, latency_ms=100 + i, cost=0.01))
            candidate.append(Output(gold if right_after else other, latency_ms=110 + i, cost=0.01))
    return score_pairs(cases, production, candidate, workload_type="choice", labels=["spam", "ham"])


def test_values_differences_and_ratios_by_hand():
    result = compare(choice_scores(), n_resamples=2000, seed=1)
    assert (result.n_cases, result.n_clusters, result.n_resamples, result.method) == (30, 10, 2000, "percentile")
    accuracy = result.metrics["accuracy"]
    assert (accuracy.production, accuracy.candidate) == (pytest.approx(20 / 30), pytest.approx(24 / 30))
    assert accuracy.difference.point == pytest.approx(4 / 30)
    assert accuracy.ratio.point == pytest.approx(24 / 20)
    assert accuracy.difference.low < accuracy.difference.point < accuracy.difference.high
    assert (accuracy.n_cases, accuracy.difference.n_clusters, accuracy.unit) == (30, 10, "points")
    latency = result.metrics["latency_mean"]
    assert (latency.production, latency.candidate, latency.difference.point) == (114.5, 124.5, 10.0)
    assert (latency.difference.low, latency.difference.high) == (10.0, 10.0)  # the same 10 ms on every case
    p95 = result.metrics["latency_p95"]
    # latencies 100..129: numpy's linear quantile at 0.95 is 100 + 0.95 * 29 = 127.55
    assert (p95.production, p95.candidate) == (pytest.approx(127.55), pytest.approx(137.55))
    assert (p95.difference.point, p95.difference.low, p95.difference.method) == (pytest.approx(10.0), None, "none")
    assert p95.ratio.point == pytest.approx(137.55 / 127.55)
    assert result.metrics["cost"].difference.point == 0.0
    assert "tokens" not in result.metrics  # no case recorded tokens
    macro = result.metrics["macro_f1"]
    assert macro.production == pytest.approx(2 / 3, abs=0.02) and macro.difference.point > 0


def test_metrics_of_one_comparison_share_their_resamples():
    # accuracy and macro-F1 of a two-label workload move together across the same resampled users
    result = compare(choice_scores(), n_resamples=500, seed=2)
    assert result.metrics["accuracy"].difference.n_resamples == result.metrics["macro_f1"].difference.n_resamples


def test_segments_each_with_their_own_users():
    result = compare(choice_scores(), n_resamples=500, seed=1)
    assert sorted(result.segments) == ["free", "pro"]
    assert result.segment_cases == {"free": 15, "pro": 15}
    pro = result.segments["pro"]["accuracy"]
    assert pro.difference.n_clusters == 5 and pro.n_cases == 15
    # pro: users u0, u2, u4, u6, u8 -> cases 0-2, 6-8, 12-14, 18-20, 24-26
    cases = [i for u in (0, 2, 4, 6, 8) for i in range(3 * u, 3 * u + 3)]
    before = sum(i % 3 != 0 for i in cases) / 15
    after = sum(i % 5 != 0 for i in cases) / 15
    assert (pro.production, pro.candidate) == (pytest.approx(before), pytest.approx(after))
    assert compare(choice_scores(), n_resamples=100, segments=False).segments == {}
    assert sorted(compare(choice_scores(), n_resamples=100, segments=["pro"]).segments) == ["pro"]
    assert sorted(compare(choice_scores(), n_resamples=100, segments="free").segments) == ["free"]


def test_the_result_is_json_and_reads_as_a_table():
    result = compare(choice_scores(), n_resamples=200, seed=0)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["metrics"]["accuracy"]["difference"]["n_clusters"] == 10
    rows = result.rows()
    assert rows[0] == {
        "segment": None,
        "metric": "accuracy",
        "unit": "points",
        "production": pytest.approx(20 / 30),
        "candidate": pytest.approx(24 / 30),
        "difference": pytest.approx(4 / 30),
        "low": result.metrics["accuracy"].difference.low,
        "high": result.metrics["accuracy"].difference.high,
        "ratio": pytest.approx(1.2),
        "n_cases": 30,
        "n_clusters": 10,
    }
    assert len(rows) == 5 * 3  # accuracy, macro_f1, latency mean and p95, cost; overall, free, pro


def test_judge_net_wins_and_its_position_rate():
    cases = [EvalCase(f"g{i}", f"u{i % 4}", "q") for i in range(8)]
    production = [Output("short")] * 8
    candidate = [Output("a longer answer")] * 6 + [Output("tiny")] * 2

    def longer(input, a, b):
        return "a" if len(a) > len(b) else "b"

    scores = score_pairs(cases, production, candidate, workload_type="generation", judge=longer, seed=0)
    result = compare(scores, n_resamples=200)
    # 6 wins, 2 losses of 8: candidate 0.75, production 0.25, net wins +0.5
    judge = result.metrics["judge"]
    assert (judge.candidate, judge.production, judge.difference.point) == (0.75, 0.25, 0.5)
    shown_first_won = scores.judge.candidate_first == (scores.judge.candidate_scores == 1)
    assert result.judge_first_position_rate == pytest.approx(float(np.mean(shown_first_won)))


def test_bca_is_available_and_said():
    result = compare(choice_scores(), n_resamples=1000, seed=1, method="bca")
    assert result.method == "bca"
    assert result.metrics["accuracy"].difference.method in ("bca", "percentile")


def test_bad_options_are_refused():
    with pytest.raises(errors.ValidationError) as e:
        compare(choice_scores(), n_resamples=0)
    assert e.value.field == "n_resamples"


def test_weighted_cases_give_weighted_means_and_counts():
    # Four cases of two users; production right on c0, c1; the candidate on c1, c2, c3. Case c0's
    # reference is doubted (weight 0.25), the others trusted (1): weighted accuracy is
    # production (0.25 + 1) / 3.25, candidate 3 / 3.25; unweighted 2/4 against 3/4.
    gold = ["spam", "ham", "spam", "ham"]
    weights = [0.25, 1.0, 1.0, 1.0]
    cases = [
        EvalCase(f"c{i}", f"u{i // 2}", f"mail {i}", reference=g, weight=w)
        for i, (g, w) in enumerate(zip(gold, weights))
    ]
    flip = {"spam": "ham", "ham": "spam"}
    production = [Output(g if i < 2 else flip[g]) for i, g in enumerate(gold)]
    candidate = [Output(g if i > 0 else flip[g]) for i, g in enumerate(gold)]
    scores = score_pairs(cases, production, candidate, workload_type="choice", labels=["spam", "ham"])
    assert scores.weights is not None and scores.weights.tolist() == weights
    accuracy = compare(scores, n_resamples=200, seed=0).metrics["accuracy"]
    assert (accuracy.production, accuracy.candidate) == (pytest.approx(1.25 / 3.25), pytest.approx(3 / 3.25))
    assert accuracy.difference.point == pytest.approx(1.75 / 3.25)
    assert accuracy.n_cases == 4  # cases, not weights
    # macro-F1 from weighted counts: production's spam TP 0.25, FP 1 (c3), FN 1 (c2) -> F1 0.5 / 2.5;
    # its ham TP 1, FP 1 (c2), FN 1 (c3) -> 2 / 4
    macro = compare(scores, n_resamples=200, seed=0).metrics["macro_f1"]
    assert macro.production == pytest.approx((0.5 / 2.5 + 0.5) / 2)  # 0.35
    # every weight 1: no weights at all, the figures as before
    even = score_pairs(
        [EvalCase(c.id, c.user, c.input, reference=c.reference) for c in cases], production, candidate,
        workload_type="choice", labels=["spam", "ham"],
    )  # fmt: skip
    assert even.weights is None
    assert compare(even, n_resamples=200, seed=0).metrics["accuracy"].difference.point == pytest.approx(0.25)


@pytest.mark.parametrize("weight", [0, -1.0, float("nan"), True, "1"])
def test_a_case_weight_is_a_positive_number(weight):
    with pytest.raises(errors.ValidationError) as caught:
        score_pairs(
            [EvalCase("c0", "u0", "x", reference="spam", weight=weight)], [Output("spam")], [Output("ham")],
            workload_type="choice",
        )  # fmt: skip
    assert caught.value.field == "cases[0].weight"
