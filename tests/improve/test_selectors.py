"""The selectors: which of a shortlist go into the prompt (similarity, MMR, label-balanced) and the
token budget, on vectors and labels whose right answer is known by construction."""

from __future__ import annotations

import numpy as np
import pytest

from flyloop import errors
from flyloop.improve import selectors


def unit(*rows: list[float]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_similarity_takes_the_first_k_of_the_shortlist():
    assert selectors.similarity(np.array([0.9, 0.8, 0.7], dtype=np.float32), 2) == [0, 1]
    assert selectors.similarity(np.array([0.9], dtype=np.float32), 5) == [0]


def test_mmr_skips_a_near_copy_of_what_it_already_picked():
    query = unit([1.0, 0.0, 0.0])[0]
    # 0 and 1 are near copies, both nearest the query; 2 is a little further but different.
    shortlist = unit([1.0, 0.10, 0.0], [1.0, 0.11, 0.0], [0.8, 0.0, 0.6], [0.0, 0.0, 1.0])
    assert selectors.mmr(query, shortlist, 2, lambda_=0.5) == [0, 2]
    # lambda 1 is plain similarity: the near copy comes second
    assert selectors.mmr(query, shortlist, 2, lambda_=1.0) == [0, 1]
    assert selectors.mmr(query, shortlist, 10, lambda_=0.5) == [0, 2, 1, 3]
    assert selectors.mmr(query, shortlist[:0], 3) == []


def test_mmr_lambda_out_of_range_names_it():
    with pytest.raises(errors.ValidationError) as info:
        selectors.mmr(unit([1.0, 0.0])[0], unit([1.0, 0.0]), 1, lambda_=1.5)
    assert info.value.field == "lambda_"


def test_balanced_goes_round_robin_over_labels_nearest_first():
    labels = ["billing", "billing", "billing", "bug", "billing", "account", "bug"]
    assert selectors.balanced(labels, 5) == [0, 3, 5, 1, 6]
    assert selectors.balanced(labels, 2) == [0, 3]
    assert selectors.balanced(["a", "a"], 5) == [0, 1]
    assert selectors.balanced([None, "x", None], 3) == [0, 1, 2]


def test_rough_tokens_is_four_characters_a_token_rounded_up():
    assert [selectors.rough_tokens(t) for t in ("", "abc", "abcd", "abcde", "x" * 400)] == [1, 1, 1, 2, 100]


def test_budget_keeps_the_picks_that_fit_in_order():
    assert selectors.within_budget([10, 10, 10], None) == 3
    assert selectors.within_budget([10, 10, 10], 25) == 2
    assert selectors.within_budget([10, 10, 10], 30) == 3
    # stops at the first that does not fit, even if a later, shorter one would
    assert selectors.within_budget([10, 30, 1], 20) == 1
    assert selectors.within_budget([50], 20) == 0
    with pytest.raises(errors.ValidationError) as info:
        selectors.within_budget([1], -1)
    assert info.value.field == "token_budget"


def test_shortlists_and_unknown_selectors():
    assert selectors.shortlist_size("similarity", 5) == 5
    assert selectors.shortlist_size("mmr", 5) == 20 and selectors.shortlist_size("balanced", 8) == 32
    with pytest.raises(errors.ValidationError) as info:
        selectors.check("random")
    assert info.value.field == "selector" and "similarity, mmr, balanced" in str(info.value)
