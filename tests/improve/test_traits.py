"""What a failure cluster has in common: the common edit measured on real corrections, its
segments against the baseline, the metadata keys that segment, and its distinctive words."""

from __future__ import annotations

import numpy as np
import pytest

from flyloop.improve.failures import Failure, input_text
from flyloop.improve.traits import common_edit, default_segment_keys, keywords, segments


def test_common_edit_measures() -> None:
    edit = common_edit(
        [
            ("Sure! The answer is 12. Hope this helps!", "The answer is 12."),
            ("Sure! It is Paris. Hope this helps!", "It is Paris."),
            ("The answer is 5.", "The answer is 6."),
        ]
    )
    assert edit["corrected"] == 3
    assert edit["actions"] == {"replace": 1, "shorten": 2}
    assert edit["typical"] == "shorten" and edit["typical_share"] == pytest.approx(2 / 3, abs=1e-6)
    assert edit["deleted"] == [{"phrase": "hope this helps!", "count": 2}, {"phrase": "sure!", "count": 2}]
    assert edit["summary"] == "shorten (2 of 3), often deletes 'hope this helps!'"
    assert common_edit([]) == {"corrected": 0, "summary": "no corrections"}


def test_segment_keys_and_input_text() -> None:
    from flyloop.improve.failures import Failure

    def f(i: int, meta: dict) -> Failure:
        return Failure(str(i), 0.0, "q", "q", "a", "bad", None, None, None, None, meta)

    failures = [f(i, {"plan": "pro" if i % 2 else "free", "request_id": f"r{i}", "tags": ["x"]}) for i in range(20)]
    assert default_segment_keys(failures) == ["plan"]  # request_id is an identifier, tags not a scalar
    chat = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
        {"role": "user", "content": "there"},
    ]
    assert input_text(chat) == "Hi\nthere"
    assert input_text("plain") == "plain"


def test_segments_beside_their_baseline() -> None:
    def f(i: int, plan: str | None) -> Failure:
        return Failure(str(i), 0.0, "q", "q", "a", "bad", None, None, None, None, {"plan": plan} if plan else {})

    everyone = [f(0, "pro"), f(1, "pro"), f(2, "free"), f(3, None)]
    assert segments(everyone[:2] + everyone[3:], everyone, ["plan"]) == {
        "plan": [
            {"value": "pro", "count": 2, "share": pytest.approx(2 / 3, abs=1e-6), "baseline": 0.5},
            {"value": "(none)", "count": 1, "share": pytest.approx(1 / 3, abs=1e-6), "baseline": 0.25},
        ]
    }


def test_keywords_set_a_group_apart() -> None:
    texts = ["refund my order", "refund was late", "password reset", "reset my password please", "42"]
    words = keywords(texts, np.array([0, 0, 1, 1, 1]))
    assert words[0][0] == "refund" and set(words[1][:2]) == {"password", "reset"}
    assert keywords(["12", "34"], np.array([0, 1])) == {0: [], 1: []}
