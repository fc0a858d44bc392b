"""Per-case scores by workload type (flyloop.evaluate.metrics): exact match under its normaliser,
similarity to the correction, the refusal detector, the registry, and scoring both versions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from flyloop import errors
from flyloop.evaluate.metrics import (
    EvalCase,
    Metric,
    Output,
    correction_similarity,
    exact_match,
    get_metric,
    is_refusal,
    metric_names,
    normalize_answer,
    register_metric,
    score_pairs,
)


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Paris.", "paris"),
        ("  PARIS  ", "paris"),
        ("Paris , France!", "paris , france"),
        ("ﬁve\u00a0dollars?!", "five dollars"),  # NFKC: the ligature and the no-break space
        ("Straße", "strasse"),  # case folding, not just lower()
        ("42 …", "42"),
        ("答案。", "答案"),
        ("e.g.", "e.g"),
    ],
)
def test_normalize_answer(text, normal):
    assert normalize_answer(text) == normal


def test_exact_match_under_the_normaliser():
    assert exact_match("Paris.", "paris") == 1.0
    assert exact_match("Paris, France", "Paris") == 0.0
    assert exact_match("the  answer\nis 4", "The answer is 4!") == 1.0


def test_correction_similarity_is_the_token_sort_ratio():
    assert correction_similarity("The cat sat.", "sat the CAT") == 1.0
    # sorted tokens "cat mat on sat the the" (22 chars) and "cat the" (7): the second is a subsequence
    # of the first, so the Indel similarity is 2 * 7 / (22 + 7). A padded answer is not a perfect one.
    assert correction_similarity("the cat sat on the mat", "the cat") == pytest.approx(14 / 29)
    # "hello there" / "hello world": longest common subsequence "hello r", 7 of 11 + 11
    assert correction_similarity("Hello there", "hello world") == pytest.approx(14 / 22)
    assert correction_similarity("", "anything") == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "I can't help with that.",
        "I cannot help you with this request.",
        "I’m sorry, but I can’t assist with that.",
        "Sorry, I cannot provide that information.",
        "I'm unable to comply with this request.",
        "As an AI language model, I don't have opinions.",
        "I must decline to answer.",
        "I'm not allowed to share internal documents.",
        "Unfortunately, we are unable to process refunds here.",
    ],
)
def test_refusals_are_detected(text):
    assert is_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can't wait to help you plan the trip! Here is an itinerary.",
        "I cannot stress enough how useful unit tests are.",
        "Here is the summary you asked for.",
        "The API can't help but return 404 when the key is missing.",
        "Sure: " + "x" * 400 + " I can't help with that.",  # past the opening: an answer quoting a refusal
        "",
    ],
)
def test_answers_are_not_refusals(text):
    assert not is_refusal(text)


def test_the_registry_names_the_builtin_metrics_by_workload_type():
    assert metric_names("choice") == ["accuracy", "macro_f1", "latency_mean", "latency_p95", "tokens", "cost"]
    assert metric_names("generation") == [
        "exact_match",
        "correction_similarity",
        "reward",
        "judge",
        "latency_mean",
        "latency_p95",
        "tokens",
        "cost",
        "refusal_rate",
        "length_chars",
        "length_words",
    ]
    assert get_metric("latency_p95").quantile == 0.95
    assert get_metric("accuracy").higher_is_better and not get_metric("cost").higher_is_better
    with pytest.raises(errors.ValidationError) as e:
        get_metric("bleu")
    assert e.value.field == "metric" and "accuracy" in e.value.message


@pytest.fixture
def custom_metric():
    from flyloop.evaluate import metrics

    metric = register_metric(
        Metric(
            "mentions_price", "mentions a price", "mean", True, "points", ("generation",), "says a price",
            lambda case, output: float("$" in output.text),
        )
    )  # fmt: skip
    yield metric
    metrics._METRICS.pop(metric.name)


def test_a_registered_metric_is_scored_like_the_builtins(custom_metric):
    cases = [EvalCase("c1", "u1", "q1"), EvalCase("c2", "u2", "q2")]
    scores = score_pairs(
        cases, [Output("free"), Output("$3")], [Output("$5"), Output("$4")], workload_type="generation",
        metrics=["mentions_price"],
    )  # fmt: skip
    assert scores.production["mentions_price"].tolist() == [0.0, 1.0]
    assert scores.candidate["mentions_price"].tolist() == [1.0, 1.0]
    with pytest.raises(errors.Conflict):
        register_metric(custom_metric)


@pytest.mark.parametrize(
    ("metric", "field"),
    [
        (Metric("Bad Name", "x", "mean", True, "points", ("choice",), "x", lambda c, o: 1.0), "name"),
        (Metric("no_scorer", "x", "mean", True, "points", ("choice",), "x"), "per_case"),
        (Metric("p200", "x", "quantile", False, "ms", ("choice",), "x", lambda c, o: 1.0, quantile=2.0), "quantile"),
    ],
)
def test_a_metric_that_cannot_work_is_refused(metric, field):
    with pytest.raises(errors.ValidationError) as e:
        register_metric(metric)
    assert e.value.field == field


LABELS = ["spam", "ham", "promo"]


def choice_cases():
    cases = [
        EvalCase("c1", "u1", "win money", reference="spam", segment="pro"),
        EvalCase("c2", "u1", "lunch?", reference="ham", segment="pro"),
        EvalCase("c3", "u2", "50% off", reference="promo"),
        EvalCase("c4", "u3", "hi mum", reference="ham", segment="free"),
        EvalCase("c5", "u3", "unlabelled"),
    ]
    production = [
        Output("spam", latency_ms=100, cost=0.002),
        Output("spam", latency_ms=120, cost=0.002),
        Output("promo", latency_ms=90),
        Output("junk", latency_ms=110, cost=0.002),
        Output("ham", latency_ms=100, cost=0.002),
    ]
    candidate = [
        Output("spam", latency_ms=80, cost=0.001),
        Output(" ham ", latency_ms=90, cost=0.001),
        Output("ham", latency_ms=70, cost=0.001),
        Output("ham", latency_ms=85, tokens=3, cost=0.001),
        Output("spam", latency_ms=60, cost=0.001),
    ]
    return cases, production, candidate


def test_choice_scores_by_hand():
    cases, production, candidate = choice_cases()
    scores = score_pairs(cases, production, candidate, workload_type="choice", labels=LABELS)
    assert scores.metrics == ["accuracy", "macro_f1", "latency_mean", "latency_p95", "tokens", "cost"]
    nan = math.nan
    np.testing.assert_array_equal(scores.production["accuracy"], [1, 0, 1, 0, nan])
    np.testing.assert_array_equal(scores.candidate["accuracy"], [1, 1, 0, 1, nan])
    np.testing.assert_array_equal(scores.production["cost"], [0.002, 0.002, nan, 0.002, 0.002])
    np.testing.assert_array_equal(scores.candidate["tokens"], [nan, nan, nan, 3, nan])
    assert scores.gold.tolist() == [0, 1, 2, 1, -1]
    assert scores.production_predicted.tolist() == [0, 0, 2, -1, 1]  # "junk" is outside the label set
    assert scores.candidate_predicted.tolist() == [0, 1, 1, 1, 0]
    #                                                TP s h p  FP s h p  FN s h p
    assert scores.label_counts("production").sum(axis=0).tolist() == [1, 0, 1, 1, 0, 0, 0, 2, 0]
    assert scores.label_counts("candidate").sum(axis=0).tolist() == [1, 2, 0, 0, 1, 0, 0, 0, 1]
    assert (scores.users, scores.segments) == (["u1", "u1", "u2", "u3", "u3"], ["pro", "pro", None, "free", None])


def test_choice_labels_default_to_those_the_references_use():
    cases, production, candidate = choice_cases()
    scores = score_pairs(cases, production, candidate, workload_type="choice")
    assert scores.labels == ["ham", "promo", "spam"]


class LengthJudge:
    """Prefers the longer output; a tie when equal."""

    def __call__(self, input, a, b):
        return "tie" if len(a) == len(b) else ("a" if len(a) > len(b) else "b")


def test_generation_scores_with_a_reward_hook_and_a_judge():
    cases = [
        EvalCase("g1", "u1", "capital of France?", reference="Paris"),
        EvalCase("g2", "u2", "write a haiku", correction="old pond frog jumps in"),
        EvalCase("g3", "u2", "how do I pick a lock?"),
    ]
    production = [Output("paris."), Output("a frog"), Output("Here is how: ...")]
    candidate = [Output("Lyon"), Output("old pond, a frog jumps in"), Output("I can't help with that.")]
    calls = []

    def reward(inputs, outputs):
        calls.append(list(outputs))
        return [len(o) / 10 for o in outputs]

    scores = score_pairs(
        cases, production, candidate, workload_type="generation", reward=reward, judge=LengthJudge(), seed=3
    )
    assert scores.metrics == [
        "exact_match", "correction_similarity", "reward", "judge", "latency_mean", "latency_p95", "tokens", "cost",
        "refusal_rate", "length_chars", "length_words",
    ]  # fmt: skip
    nan = math.nan
    np.testing.assert_array_equal(scores.production["exact_match"], [1, nan, nan])
    np.testing.assert_array_equal(scores.candidate["exact_match"], [0, nan, nan])
    # sorted tokens "a frog in jumps old pond" (24 chars) and "frog in jumps old pond" (22): 2 * 22 / 46
    assert scores.candidate["correction_similarity"][1] == pytest.approx(22 / 23)
    assert calls == [
        ["paris.", "a frog", "Here is how: ..."],
        ["Lyon", "old pond, a frog jumps in", "I can't help with that."],
    ]
    np.testing.assert_allclose(scores.candidate["reward"], [0.4, 2.5, 2.3])
    # Longer wins: the candidate loses g1 (4 < 6 chars), wins g2, wins g3 (23 > 16), whatever the order shown.
    assert scores.candidate["judge"].tolist() == [0.0, 1.0, 1.0]
    assert scores.production["judge"].tolist() == [1.0, 0.0, 0.0]
    assert scores.candidate["refusal_rate"].tolist() == [0.0, 0.0, 1.0]
    assert scores.candidate["length_words"].tolist() == [1.0, 6.0, 5.0]
    assert scores.production["length_chars"].tolist() == [6.0, 6.0, 16.0]
    assert np.isnan(scores.production["latency_mean"]).all()


def test_generation_without_hooks_leaves_their_metrics_out():
    cases = [EvalCase("g1", "u1", "q")]
    scores = score_pairs(cases, [Output("a")], [Output("b")], workload_type="generation")
    assert "reward" not in scores.metrics and "judge" not in scores.metrics
    assert "exact_match" not in scores.metrics and "correction_similarity" not in scores.metrics


def bad(kind):
    cases = [EvalCase("c1", "u1", "q", reference="spam"), EvalCase("c2", "u2", "q", reference="ham")]
    production, candidate = [Output("spam"), Output("ham")], [Output("spam"), Output("spam")]
    options = {"workload_type": "choice"}
    if kind == "empty":
        return [], [], [], options
    if kind == "short":
        return cases, production, candidate[:1], options
    if kind == "twice":
        return [cases[0], cases[0]], production, candidate, options
    if kind == "user":
        return [cases[0], EvalCase("c2", "", "q")], production, candidate, options
    if kind == "latency":
        return cases, production, [candidate[0], Output("spam", latency_ms=-1)], options
    if kind == "type":
        return cases, production, candidate, {"workload_type": "chat"}
    if kind == "labels":
        return cases, production, candidate, {**options, "labels": ["spam", "spam"]}
    if kind == "judge":
        return cases, production, candidate, {"workload_type": "generation", "metrics": ["judge"]}
    if kind == "metric":
        return cases, production, candidate, {**options, "metrics": ["exact_match"]}
    if kind == "reward":
        return cases, production, candidate, {"workload_type": "generation", "reward": lambda i, o: [1.0]}
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("empty", "cases"),
        ("short", "candidate"),
        ("twice", "cases[1].id"),
        ("user", "cases[1].user"),
        ("latency", "candidate[1].latency_ms"),
        ("type", "workload_type"),
        ("labels", "labels"),
        ("judge", "metrics[0]"),
        ("metric", "metrics[0]"),
        ("reward", "reward"),
    ],
)
def test_bad_input_is_refused_naming_the_field(kind, field):
    cases, production, candidate, options = bad(kind)
    with pytest.raises(errors.ValidationError) as e:
        score_pairs(cases, production, candidate, **options)
    assert e.value.field == field
