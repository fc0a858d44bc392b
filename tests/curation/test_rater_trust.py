"""Feedback integrity (flyloop.curation.rater_trust): which raters to trust, which signals to set
aside, a cap per user."""

from __future__ import annotations

from collections import Counter

import pytest

from flyloop.curation.rater_trust import Evidence, IntegrityConfig, Vote, assess, cap_per_user


def _evidence(votes, outcome, seen, prompt_of=None, output_of=None, edited=None):
    return Evidence(votes, outcome, Counter(seen), prompt_of or {}, output_of or {}, set(edited or ()))


def test_adversarial_raters_are_flagged_and_all_their_signals_quarantined():
    votes = []
    outcome = {}
    for n in range(6):  # an honest rater agreeing with outcomes
        votes.append(Vote(f"h{n}", f"i{n}", "honest", "thumbs_up" if n % 2 else "thumbs_down", 1 if n % 2 else -1))
        outcome[f"i{n}"] = 1 if n % 2 else -1
    for n in range(5):  # an adversary flipping every thumb
        votes.append(Vote(f"a{n}", f"j{n}", "mallory", "thumbs_up", 1))
        outcome[f"j{n}"] = -1
    votes.append(Vote("a-edit", "j9", "mallory", "edit", -1, text="The answer is 3."))
    report = assess(_evidence(votes, outcome, {"honest": 20, "mallory": 20}), IntegrityConfig())
    assert report.adversarial == {"mallory"}
    assert report.raters["mallory"].flags == ["adversarial", "habitual"]  # constant thumbs, contradicted: both
    assert report.raters["mallory"].disagree == 5
    assert report.raters["honest"].flags == []
    assert report.raters["honest"].trust == pytest.approx((6 + 2) / (6 + 3))
    assert {sid for sid in report.quarantined} == {"a0", "a1", "a2", "a3", "a4", "a-edit"}
    assert report.quarantined["a0"].startswith("adversarial rater: disagrees with outcomes and other raters on 5 of 5")


def test_habitual_raters_lose_their_thumbs_only():
    votes = [Vote(f"t{n}", f"i{n}", "clicky", "thumbs_up", 1) for n in range(6)]
    votes.append(Vote("e1", "i9", "clicky", "edit", -1, text="The answer is 7."))
    votes += [Vote(f"o{n}", f"k{n}", "honest", "thumbs_up", 1) for n in range(6)]  # also constant, but rates 6 of 40
    votes += [Vote(f"c{n}", f"m{n}", "critic", "thumbs_down", -1) for n in range(3)]  # the others are not all positive
    report = assess(_evidence(votes, {}, {"clicky": 7, "honest": 40, "critic": 10}), IntegrityConfig())
    assert report.raters["clicky"].flags == ["habitual"]
    assert report.raters["honest"].flags == []
    assert set(report.quarantined) == {f"t{n}" for n in range(6)}
    assert report.quarantined["t0"] == "habitual rater: 6 of 6 thumbs up on 86% of their interactions"


def test_when_every_rater_approves_and_nothing_contradicts_them_nobody_is_habitual():
    """Happy users: 40 raters, 5 thumbs-up each on everything they saw. Constancy alone is no
    evidence; an outcome or another rater that contradicts one of their thumbs is."""
    votes = [Vote(f"t{u}-{k}", f"i{u}-{k}", f"h{u}", "thumbs_up", 1) for u in range(40) for k in range(5)]
    seen = {f"h{u}": 5 for u in range(40)}
    report = assess(_evidence(votes, {}, seen), IntegrityConfig())
    assert report.summary()["habitual"] == 0 and report.quarantined == {}
    failed = assess(_evidence(votes, {"i0-0": -1}, seen), IntegrityConfig())
    assert [a for a, r in failed.raters.items() if r.flags] == ["h0"]
    assert failed.raters["h0"].flags == ["habitual"]
    assert set(failed.quarantined) == {f"t0-{k}" for k in range(5)}
    peer = votes + [Vote("p1", "i1-0", "h2", "thumbs_down", -1), Vote("p2", "i1-0", "h3", "thumbs_down", -1)]
    report = assess(_evidence(peer, {}, seen), IntegrityConfig())
    assert [a for a, r in sorted(report.raters.items()) if "habitual" in r.flags] == ["h1"]


def test_an_outlier_correction_is_quarantined_even_from_a_newcomer():
    prompt_of = {f"i{n}": "p" for n in range(5)}
    output_of = {
        "i0": "The answer is 85.",
        "i1": "The answer is 85.",
        "i2": "The answer is 84.",
        "i3": "The answer is 84.",
        "i4": "The answer is 84.",
    }
    outcome = {"i0": 1, "i1": 1}
    votes = [
        Vote("e-good", "i2", "ann", "edit", -1, text="The answer is 85."),
        Vote("e-bad", "i3", "newbie", "edit", -1, text="The answer is 88."),
        Vote("e-fail", "i4", "bob", "edit", -1, text="The answer is 85!"),
    ]
    outcome["i4"] = -1  # the task failed even with this correction
    report = assess(
        _evidence(votes, outcome, {"ann": 3, "newbie": 1, "bob": 2}, prompt_of, output_of, {"i2", "i3", "i4"}),
        IntegrityConfig(),
    )
    assert report.quarantined["e-bad"].startswith(
        "correction contradicts the consensus: 4 other raters or successful outputs"
    )
    assert report.quarantined["e-fail"] == "correction contradicts the outcome: the task failed with the corrected text"
    assert "e-good" not in report.quarantined


def test_claims_need_a_rater_the_evidence_vouches_for():
    votes = [
        Vote("h-up", "i1", "checked", "thumbs_up", 1),
        Vote("h-edit", "i2", "checked", "edit", -1, text="4"),
        Vote("n-edit", "i3", "newcomer", "edit", -1, text="5"),
        Vote("d-up", "i4", "contradicted", "thumbs_up", 1),
        Vote("d-edit", "i5", "contradicted", "edit", -1, text="6"),
    ]
    report = assess(
        _evidence(votes, {"i1": 1, "i4": -1}, {"checked": 9, "newcomer": 9, "contradicted": 9}), IntegrityConfig()
    )
    assert report.raters["checked"].trust == pytest.approx(3 / 4)
    assert report.raters["newcomer"].trust == pytest.approx(2 / 3)
    assert (
        report.vouched("checked"),
        report.vouched("newcomer"),
        report.vouched("contradicted"),
        report.vouched(None),
    ) == (True, False, False, False)
    assert (report.distrusted("checked"), report.distrusted("newcomer"), report.distrusted("contradicted")) == (
        False,
        False,
        True,
    )
    lenient = assess(_evidence(votes, {"i1": 1, "i4": -1}, {}), IntegrityConfig(min_claim_trust=0))
    assert lenient.vouched("newcomer") and lenient.vouched("contradicted")
    assert assess(_evidence(votes, {}, {}), IntegrityConfig(enabled=False)).vouched("newcomer")


def test_contribution_cap_per_user():
    items = [("a", n) for n in range(30)] + [("b", n) for n in range(5)] + [(None, n) for n in range(3)]
    kept, dropped = cap_per_user(items, user=lambda x: x[0], config=IntegrityConfig(max_user_share=0.1, min_user_cap=4))
    assert Counter(x[0] for x in kept) == {"a": 4, "b": 4, None: 3}
    assert dropped == 27
    kept, dropped = cap_per_user(items, user=lambda x: x[0], config=IntegrityConfig(max_user_share=None))
    assert dropped == 0
