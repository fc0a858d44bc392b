"""Edits measured: distances, similarity, diff and class."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flyloop import EditThresholds, ValidationError
from flyloop.events.edits import diff, measure


def test_a_changed_number_is_a_substantive_fix_with_exact_figures():
    m = measure("The answer is 84.", "The answer is 85.")
    assert (m.char_distance, m.token_distance) == (1, 1)
    assert m.similarity == pytest.approx(1 - 1 / 17, abs=1e-6)
    assert m.token_similarity == pytest.approx(0.8)
    assert m.edit_class == "substantive"
    assert m.diff == "The answer is [-84-]{+85+}."


def test_classes():
    assert measure("The answer is 85.", "The answer is 85.").edit_class == "unchanged"
    assert measure("The answer is 85.", "the answer is 85!").edit_class == "trivial"
    assert (
        measure(
            "Thanks for writing in, we will refund the order today.",
            "Thanks for writing in, we will refund the order today!",
        ).edit_class
        == "trivial"
    )
    assert measure("The answer is 84.", "It is 85, since 37 + 48 gives 85.").edit_class == "rewrite"
    assert (
        measure("Please restart the router and wait.", "Please restart the modem and call us.").edit_class
        == "substantive"
    )
    assert (
        measure("Please restart the router and wait.", "Please restart the modem and wait.").edit_class == "substantive"
    )
    assert measure(None, "Something new").edit_class == "rewrite"


def test_thresholds_are_configurable_and_checked():
    text, fixed = "Please restart the router and wait.", "Please restart the modem and wait."
    assert measure(text, fixed).edit_class == "substantive"
    assert measure(text, fixed, EditThresholds(trivial_similarity=0.85)).edit_class == "trivial"
    with pytest.raises(ValidationError) as err:
        EditThresholds(trivial_similarity=0.3, rewrite_similarity=0.5)
    assert err.value.field == "edit_thresholds"


def test_diff_marks_insertions_and_deletions():
    assert diff("a b c", "a c d") == "a [-b-] c {+d+}"


@given(st.text(max_size=60), st.text(max_size=60))
def test_measure_invariants(a, b):
    m = measure(a, b)
    assert 0.0 <= m.similarity <= 1.0 and 0.0 <= m.token_similarity <= 1.0
    assert m.char_distance == measure(b, a).char_distance
    assert (m.edit_class == "unchanged") == (a == b)
    assert (m.char_distance == 0) == (a == b)
