"""Best-of-n by a reward model (flyloop.improve.rerank): a policy version with a reranker answers
with the sample its reward model scores highest (through the SDK, with a backend registered here
that answers fixed texts in turn, and with the real small model sampling), the lift of each n with
its guards computed by hand, and the best_of parameter's checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from test_reward import P, W, _bad, _good, support_project, train

from flyloop import Flywheel, errors, registry
from flyloop.capture import Capture
from flyloop.improve import (
    Generation,
    best_of_n,
    best_of_n_lift,
    generation_params,
    register_backend,
    reward_score_batch,
)
from flyloop.improve import backends as backends_module
from flyloop.improve.rerank import judge_exact, measure_lift, sample

QUESTION = "How do I reset my router? (ticket 99-0)"
# Two wrong answers around the right one: the reward model must pick the middle one.
TURNS = (_bad("reset", "router", 0), _good("reset", "router", 0), _bad("reset", "router", 2))


class Turns:
    """A backend that answers its texts in turn, one per call (a batch takes the next ones), and
    remembers the parameters of each call: a real Backend, by the Protocol."""

    name = "test-turns"

    def __init__(self, model: str | None = None, adapter: str | None = None, **options: Any) -> None:
        self.model = model or "turns"
        self.texts: Sequence[str] = TURNS
        self.next = 0
        self.calls: list[dict[str, Any]] = []

    def generate(self, messages: Sequence[Any], **params: Any) -> Generation:
        self.calls.append(dict(params))
        text = self.texts[self.next % len(self.texts)]
        self.next += 1
        return Generation(
            text, tokens_in=10, tokens_out=len(text.split()), latency_ms=1.0, model=self.model, finish_reason="stop"
        )

    def generate_batch(self, batch: Sequence[Any], **params: Any) -> list[Generation]:
        return [self.generate(m, **params) for m in batch]


@pytest.fixture
def reward_id(capture: Capture) -> str:
    support_project(capture)
    return str(train(capture).outputs["artifact"])


@pytest.fixture
def turns() -> Any:
    register_backend("test-turns", Turns)
    yield backends_module.backend("test-turns", model="fixed")
    backends_module.clear_cache()


def test_a_version_with_a_reranker_answers_with_the_best_scored_sample(
    capture: Capture, reward_id: str, turns: Any, tmp_path: Any
) -> None:
    version = registry.register(
        capture.store,
        P,
        {
            "workload": W,
            "backend": "test-turns",
            "model": "fixed",
            "reranker": reward_id,
            "params": {"best_of": 3, "temperature": 0.7, "max_tokens": 16},
        },
    )
    registry.set_production(capture.store, P, W, version.id)
    assert generation_params(version) == {"temperature": 0.7, "max_tokens": 16}  # best_of reaches no backend
    with Flywheel(store=capture.store, project=P, home=capture.settings.home, spool_dir=tmp_path / "spool") as fw:
        answer = fw.policy(W, "ann").generate(QUESTION)
    assert answer.text == TURNS[1]
    # What serving it cost: every sample's tokens.
    assert (answer.tokens_in, answer.tokens_out, answer.model) == (30, sum(len(t.split()) for t in TURNS), "fixed")
    assert turns.calls == [{"temperature": 0.7, "max_tokens": 16}] * 3
    scores = reward_score_batch(reward_id, [QUESTION] * 3, list(TURNS), settings=capture.settings)
    assert max(scores) == scores[1] and scores[1] > 0.5 > max(scores[0], scores[2])


def test_a_seed_gives_each_sample_its_own(capture: Capture, reward_id: str, turns: Any) -> None:
    turns.texts = (TURNS[2], TURNS[0], TURNS[2], TURNS[1])
    found = best_of_n(
        turns,
        [{"role": "user", "content": QUESTION}],
        QUESTION,
        n=4,
        reward_id=reward_id,
        params={"temperature": 1.0, "seed": 7},
        settings=capture.settings,
    )
    assert [c["seed"] for c in turns.calls] == [7, 8, 9, 10]
    assert (found.index, found.best.text, len(found.samples)) == (3, TURNS[1], 4)
    assert found.scores[3] == max(found.scores)
    with pytest.raises(errors.ValidationError) as caught:
        sample(turns, [], 65, {})
    assert caught.value.field == "params.best_of"


@pytest.mark.slow
def test_best_of_two_on_the_small_model_returns_the_higher_scored_sample(
    capture: Capture, reward_id: str, hf_backend: Any
) -> None:
    messages = [{"role": "user", "content": QUESTION}]
    params = {"temperature": 1.0, "max_tokens": 4}  # one batch of two sampled answers
    found = best_of_n(
        hf_backend, messages, QUESTION, n=2, reward_id=reward_id, params=params, settings=capture.settings
    )
    texts = [g.text for g in found.samples]
    assert len(texts) == 2 and all(isinstance(t, str) for t in texts)
    scores = reward_score_batch(reward_id, [QUESTION] * 2, texts, settings=capture.settings)
    assert found.scores == scores and found.index == (0 if scores[0] >= scores[1] else 1)
    assert found.best.text == texts[found.index]
    assert found.best.tokens_out == sum(g.tokens_out for g in found.samples)


def test_the_lift_of_each_n_with_its_guards_by_hand() -> None:
    scores = [[0.9, 0.1, 0.2, 0.8], [0.3, 0.7, 0.6, 0.4]]
    correct = [[True, False, False, True], [False, True, False, False]]
    lengths = [[10, 20, 30, 40], [5, 5, 50, 5]]
    report = best_of_n_lift(scores, correct, lengths, ns=(1, 2, 4))
    # n=1: every sample (3 of 8 right); n=2: the better of each pair, (0.9, 0.8 | 0.7, 0.6): 3 of 4
    # right; n=4: the best of each prompt, 0.9 and 0.7: both right.
    assert report.per_n == [
        {
            "n": 1,
            "accuracy": 0.375,
            "mean_score": 0.5,
            "reward_gap": 0.125,
            "groups": 8,
            "mean_length": 20.625,
            "lift_points": 0.0,
            "length_drift": 0.0,
        },
        {
            "n": 2,
            "accuracy": 0.75,
            "mean_score": 0.75,
            "reward_gap": 0.0,
            "groups": 4,
            "mean_length": 26.25,
            "lift_points": 37.5,
            "length_drift": 0.272727,
        },
        {
            "n": 4,
            "accuracy": 1.0,
            "mean_score": 0.8,
            "reward_gap": -0.2,
            "groups": 2,
            "mean_length": 7.5,
            "lift_points": 62.5,
            "length_drift": -0.636364,
        },
    ]
    assert (report.recommended_n, report.prompts, report.samples_per_prompt, report.lift(4)) == (4, 2, 4, 62.5)
    # Stop where it peaks: n=4 adds 25 points over n=2, under a 30-point bar.
    assert best_of_n_lift(scores, correct, ns=(1, 2, 4), min_gain_points=30).recommended_n == 2
    # No lift at all: stay at one sample.
    assert best_of_n_lift([[0.4, 0.5]], [[True, False]], ns=(1, 2)).recommended_n == 1
    with pytest.raises(errors.ValidationError) as caught:
        best_of_n_lift(scores, correct, ns=(1, 8))
    assert caught.value.field == "scores"


def test_measure_lift_samples_scores_and_judges_held_out_prompts(capture: Capture, reward_id: str, turns: Any) -> None:
    turns.texts = (TURNS[0], TURNS[1], TURNS[2], TURNS[0])
    references = [TURNS[1]]
    report = measure_lift(
        reward_id,
        turns,
        [QUESTION],
        [[{"role": "user", "content": QUESTION}]],
        lambda i, text: judge_exact(references[i], text),
        ns=(1, 2, 4),
        params={"temperature": 1.0},
        settings=capture.settings,
    )
    assert [(r["n"], r["accuracy"], r["lift_points"]) for r in report.per_n] == [
        (1, 0.25, 0.0),
        (2, 0.5, 25.0),
        (4, 1.0, 75.0),
    ]
    assert (report.recommended_n, report.calls, report.tokens) == (4, 4, 40 + sum(len(t.split()) for t in turns.texts))
    with pytest.raises(errors.ValidationError) as caught:
        measure_lift(reward_id, turns, [QUESTION], [[]], lambda i, t: True, params={"temperature": 0})
    assert caught.value.field == "params.temperature"


def test_judge_exact_reads_short_answers() -> None:
    assert judge_exact("42", "42 is the answer") and judge_exact("Paris", " paris ")
    assert not judge_exact("42", "41") and not judge_exact("Paris", "Lyon")


def test_best_of_is_a_checked_policy_parameter(capture: Capture) -> None:
    support_project(capture, users=2)
    for bad in (0, 65, 2.5, True):
        with pytest.raises(errors.ValidationError) as caught:
            registry.register(capture.store, P, {"workload": W, "params": {"best_of": bad}})
        assert caught.value.field == "params"
    assert backends_module.split_params({"best_of": 4, "base_url": "http://x", "top_p": 0.5}) == (
        {"base_url": "http://x"},
        {"top_p": 0.5},
    )
