"""Labels: the verdict rules (flyloop.labels.verdicts), overrides and conflicts, bad input."""

from __future__ import annotations

import math
import time

import pytest

from flyloop import NotFound, labels

T = time.time() - 86400
OUT = "The answer is 84."


def interaction(iid="i1", **kw):
    return {
        "id": iid,
        "workload": "math",
        "input": "What is 37 + 48?",
        "output": OUT,
        "user_id": "u1",
        "session_id": "s-" + iid,
        "ts": T,
        **kw,
    }


def signal(sid, kind, at=10.0, iid="i1", **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": T + at, **kw}


def confidence(side, total, scale=1 / math.log(2)):
    return round(side / total * (1 - math.exp(-side / scale)), 6)


def test_thumbs_up_alone_is_good_with_the_documented_confidence(capture, store):
    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.score, label.confidence, label.signal_ids) == ("good", 1.0, confidence(1, 1), ["s1"])
    # One unopposed explicit vote is exactly enough for curation's default min_confidence.
    assert label.confidence == 0.5
    assert label.corrected_text is None and label.workload == "math" and label.ts == pytest.approx(T)


def test_no_signal_is_unknown(capture, store):
    capture.ingest("acme", {"interactions": [interaction()]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.confidence, label.score, label.signal_ids) == ("unknown", 0.0, 0.0, [])


def test_thumbs_up_then_edit_is_corrected_and_the_conflict_lowers_confidence(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [signal("s1", "thumbs_up"), signal("s2", "edit", 20, payload={"text": "The answer is 85."})],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert (
        label.verdict == "corrected"
        and label.corrected_text == "The answer is 85."
        and label.edit_class == "substantive"
    )
    # edit: 3 x -0.8 = -2.4 against; thumbs +1 for: agreement 2.4 / 3.4
    assert label.score == pytest.approx(-1.4)
    assert label.confidence == confidence(2.4, 3.4)
    assert label.signal_ids == ["s1", "s2"]


def test_a_signal_after_the_edit_judges_the_corrected_text(capture, store):
    fix = {"text": "The answer is 85."}
    outcome = {"name": "task_success"}
    capture.ingest(
        "acme",
        {
            "interactions": [interaction(), interaction("i2"), interaction("i3")],
            "signals": [
                # i1: corrected, then a thumbs-up and a success: both back the correction
                signal("s1", "edit", 10, payload=fix),
                signal("s2", "thumbs_up", 20),
                signal("s3", "outcome", 30, value=1.0, payload=outcome),
                # i2: corrected, then the task failed with the corrected text: disputes it
                signal("s4", "edit", 10, iid="i2", payload=fix),
                signal("s5", "outcome", 30, iid="i2", value=0.0, payload=outcome),
                # i3: a thumbs-down of the output before the edit agrees with it
                signal("s6", "thumbs_down", 5, iid="i3"),
                signal("s7", "edit", 10, iid="i3", payload=fix),
            ],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    praised, failed, doubled = (labels.get(store, "acme", i) for i in ("i1", "i2", "i3"))
    assert {praised.verdict, failed.verdict, doubled.verdict} == {"corrected"}
    # edit 3 x -0.8 = -2.4 on the output; after it, thumbs +1 and outcome +3 on the corrected text:
    # all 6.4 of the evidence backs the correction (the score still sums for and against the output)
    assert praised.score == pytest.approx(1.6)
    assert praised.confidence == confidence(6.4, 6.4)
    # the failure after the edit (-3) disputes the correction: 2.4 of 5.4
    assert failed.confidence == confidence(2.4, 5.4)
    # thumbs-down (-1) before the edit agrees: 3.4 of 3.4
    assert doubled.confidence == confidence(3.4, 3.4)


def test_a_touch_up_keeps_its_text_but_counts_as_praise(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction(output="The answer is 85.")],
            "signals": [signal("s1", "edit", payload={"text": "the answer is 85!"})],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.edit_class, label.corrected_text) == ("good", "trivial", "the answer is 85!")
    assert label.score == pytest.approx(0.9)


def test_the_latest_vote_of_an_actor_wins_and_others_votes_still_count(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [
                signal("s1", "thumbs_up", 10, actor="u1"),
                signal("s2", "thumbs_down", 20, actor="u1"),
                signal("s3", "rating", 30, actor="u2", value=2, payload={"scale": [1, 5]}),
            ],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert label.verdict == "bad" and label.score == pytest.approx(-1.5)
    assert label.signal_ids == ["s2", "s3"]
    assert label.excluded == [{"signal_id": "s1", "reason": "superseded"}]


def test_an_explicit_override_removes_the_signal_it_names(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [signal("s1", "escalate", 10), signal("s2", "accept", 20, overrides="s1")],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.signal_ids) == ("good", ["s2"])
    assert {"signal_id": "s1", "reason": "overridden"} in label.excluded


def test_the_latest_correction_wins(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [
                signal("s1", "edit", 10, payload={"text": "The answer is 86."}),
                signal("s2", "edit", 20, payload={"text": "The answer is 85."}),
            ],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert (label.corrected_text, label.signal_ids) == ("The answer is 85.", ["s2"])
    assert label.excluded == [{"signal_id": "s1", "reason": "superseded"}]


def test_a_signal_stamped_before_its_interaction_is_stored_and_left_out(capture, store):
    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_down", -3600)]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    label = labels.get(store, "acme", "i1")
    assert label.verdict == "unknown" and label.excluded == [{"signal_id": "s1", "reason": "before_interaction"}]
    assert store.status("acme")["counts"]["signals"] == 1
    # within the clock skew allowance it counts
    capture.ingest("acme", {"signals": [signal("s2", "thumbs_down", -60)]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "i1").verdict == "bad"


def test_an_edit_of_an_unknown_interaction_waits_and_labels_when_it_arrives(capture, store):
    capture.ingest("acme", {"signals": [signal("s1", "edit", payload={"text": "The answer is 85."})]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    with pytest.raises(NotFound):
        labels.get(store, "acme", "i1")
    assert store.status("acme")["waiting_signals"] == 1
    assert labels.stats(store, "acme")["signals_waiting_for_interaction"] == 1
    capture.ingest("acme", {"interactions": [interaction()]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "i1").verdict == "corrected"
    assert labels.stats(store, "acme")["signals_waiting_for_interaction"] == 0


def test_a_direct_outcome_outside_the_window_is_stored_and_not_counted(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction(ts=T - 10 * 86400)],
            "outcomes": [{"id": "o1", "name": "task_completed", "value": 1.0, "interaction_id": "i1", "ts": T}],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "i1").verdict == "unknown"
    assert labels.stats(store, "acme")["unattributed_outcomes"]["outside_attribution_window"] == 1
    shown = labels.explain(store, "acme", "i1")
    assert shown["unattributed_outcomes"] == [
        {"outcome_id": "o1", "name": "task_completed", "reason": "outside_attribution_window"}
    ]


def test_an_outcome_signal_sent_directly_outside_the_window_is_left_out(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction(ts=T - 10 * 86400)],
            "signals": [signal("s1", "outcome", value=1.0, payload={"name": "sale"})],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "i1").excluded == [{"signal_id": "s1", "reason": "outside_attribution_window"}]
