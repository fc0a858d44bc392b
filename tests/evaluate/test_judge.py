"""The pairwise judge protocol (flyloop.evaluate.judge): seeded random order, verdicts un-swapped
to the candidate's side, ties, a position bias made visible, bad verdicts refused."""

from __future__ import annotations

import numpy as np
import pytest

from flyloop import errors
from flyloop.evaluate.judge import judge_pairs

N = 200
INPUTS = [f"q{i}" for i in range(N)]
PRODUCTION = [f"production answer {i}" for i in range(N)]
CANDIDATE = [f"candidate answer {i}" for i in range(N)]


def test_order_is_random_per_case_seeded_and_unswapped():
    shown = []

    def first_always_wins(input, a, b):
        shown.append((a, b))
        return "a"

    verdicts = judge_pairs(first_always_wins, INPUTS, PRODUCTION, CANDIDATE, seed=5)
    expected_order = np.random.default_rng(5).random(N) < 0.5
    assert verdicts.candidate_first.tolist() == expected_order.tolist()
    assert 80 < int(expected_order.sum()) < 120
    for i, (a, b) in enumerate(shown):
        assert (a, b) == ((CANDIDATE[i], PRODUCTION[i]) if expected_order[i] else (PRODUCTION[i], CANDIDATE[i]))
    # A judge that always picks the first shown: the candidate wins exactly where it was shown first,
    # and the position bias is there to see.
    assert verdicts.candidate_scores.tolist() == expected_order.astype(float).tolist()
    assert verdicts.first_position_rate == 1.0
    again = judge_pairs(first_always_wins, INPUTS, PRODUCTION, CANDIDATE, seed=5)
    assert again.candidate_first.tolist() == verdicts.candidate_first.tolist()
    other = judge_pairs(first_always_wins, INPUTS, PRODUCTION, CANDIDATE, seed=6)
    assert other.candidate_first.tolist() != verdicts.candidate_first.tolist()


def test_a_judge_that_reads_the_content_is_not_moved_by_the_order():
    def prefers_candidate(input, a, b):
        return "a" if a.startswith("candidate") else "b"

    verdicts = judge_pairs(prefers_candidate, INPUTS, PRODUCTION, CANDIDATE, seed=1)
    assert verdicts.candidate_scores.tolist() == [1.0] * N
    assert verdicts.first_position_rate == pytest.approx(verdicts.candidate_first.mean())


def test_ties_score_half_and_verdicts_are_read_loosely():
    answers = iter(["tie", " A ", "B", "TIE"])
    verdicts = judge_pairs(lambda i, a, b: next(answers), ["x"] * 4, ["p"] * 4, ["c"] * 4, seed=0)
    first = verdicts.candidate_first.tolist()
    assert verdicts.verdicts == ("tie", "a", "b", "tie")
    assert verdicts.candidate_scores.tolist() == [0.5, 1.0 if first[1] else 0.0, 0.0 if first[2] else 1.0, 0.5]
    assert judge_pairs(lambda i, a, b: "tie", ["x"], ["p"], ["c"]).first_position_rate is None


@pytest.mark.parametrize("answer", ["both", "", None, 1])
def test_a_verdict_outside_the_protocol_is_refused(answer):
    with pytest.raises(errors.ValidationError) as e:
        judge_pairs(lambda i, a, b: answer, ["x", "y"], ["p", "p"], ["c", "c"])
    assert e.value.field == "judge" and "case 0" in e.value.message


def test_mismatched_lengths_and_a_non_callable_are_refused():
    with pytest.raises(errors.ValidationError) as e:
        judge_pairs(lambda i, a, b: "a", ["x"], ["p", "p"], ["c"])
    assert e.value.field == "judge"
    with pytest.raises(errors.ValidationError):
        judge_pairs("gpt-4", ["x"], ["p"], ["c"])  # type: ignore[arg-type]
