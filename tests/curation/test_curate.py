"""Curation's parts on their own: filters, dedup, integrity, splits, segment balance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from flyloop import errors
from flyloop.curation.dedup import DedupConfig, deduplicate, near_duplicate_groups, normalize
from flyloop.curation.filters import FilterConfig, Filters, edit_problem
from flyloop.curation.rater_trust import Evidence, IntegrityConfig, Vote, assess, cap_per_user
from flyloop.curation.segments import BalanceConfig, balance
from flyloop.curation.splits import SplitConfig, assign, split_of_group
from flyloop.datasets.versions import parse_config

# --- filters ----------------------------------------------------------------------------------


def test_each_filter_names_its_rule_and_counts_it():
    f = Filters(
        FilterConfig(max_completion_chars=40, output_schemas={"json-wl": {"type": "object", "required": ["a"]}})
    )
    assert f.check("sft", "w", "Q?", "The answer is 85.") is None
    assert f.check("sft", "w", "Q?", "x" * 41) == "length"
    assert f.check("sft", "w", "", "ok") == "length"
    assert f.check("sft", "w", "Q?", "I'm sorry, but I can't help with that.") == "refusal"
    assert f.check("sft", "w", "Q?", "As an AI language model, no.") == "refusal"
    assert f.check("sft", "w", "Q?", "Lorem ipsum dolor") == "boilerplate"
    assert f.check("sft", "w", "Q?", "Dear [insert name]") == "boilerplate"
    assert f.check("preference", "w", "Q?", "The answer is 5.", rejected="the answer is 5") == "identical_pair"
    assert f.check("sft", "json-wl", "Q?", '{"a": 1}') is None
    assert f.check("sft", "json-wl", "Q?", '{"b": 1}') == "schema"
    assert f.check("sft", "json-wl", "Q?", "not json") == "schema"
    # A known-bad completion is meant to be bad: only length and language apply to it.
    assert f.check("kto", "w", "Q?", "I'm sorry, but I can't help with that.", desirable=False) is None
    report = f.report()
    assert report["length"]["removed"] == {"sft": 2}
    assert report["refusal"]["removed"] == {"sft": 2}
    assert report["boilerplate"]["removed"] == {"sft": 2}
    assert report["schema"]["removed"] == {"sft": 2}
    assert report["identical_pair"]["removed"] == {"preference": 1}


def test_language_filter():
    f = Filters(FilterConfig(languages=["en"]))
    assert f.check("sft", "w", "What is the capital of France?", "The capital of France is Paris.") is None
    assert (
        f.check("sft", "w", "Quelle est la capitale de la France ?", "La capitale de la France est Paris.")
        == "language"
    )
    assert (
        Filters(FilterConfig(exclude_languages=["fr"])).check(
            "sft", "w", "Quelle est la capitale de la France ?", "La capitale de la France est Paris."
        )
        == "language"
    )


def test_canned_answers_are_boilerplate_when_configured():
    f = Filters(FilterConfig(boilerplate_max_prompts=2))
    f.learn_canned([(f"question {n}", "Thanks for reaching out!") for n in range(3)] + [("q", "A real answer.")])
    assert f.check("sft", "w", "question 9", "thanks for reaching out") == "boilerplate"
    assert f.check("sft", "w", "q", "A real answer.") is None


def test_trivial_and_empty_edits():
    config = FilterConfig()
    assert edit_problem("The answer is 85.", "   ", config) == "empty_edit"
    assert edit_problem("The answer is 85.", "the answer is 85", config) == "trivial_edit"
    assert edit_problem("The answer is 85.", "The answer is 86.", config) is None
    assert (
        edit_problem(
            "A long paragraph that explains the answer in detail, line by line.",
            "A long paragraph that explains the answer in detail, line by line!",
            config,
        )
        == "trivial_edit"
    )


@pytest.mark.parametrize(
    "config, field, words",
    [
        (
            {"filters": {"min_completion_chars": 50, "max_completion_chars": 10}},
            "filters",
            "above max_completion_chars",
        ),
        ({"filters": {"languages": ["en"], "exclude_languages": ["en"]}}, "filters", "both required and excluded"),
        ({"filters": {"refusal_patterns": ["(unclosed"]}}, "filters", "not a regular expression"),
        ({"workloads": ["a"], "exclude_workloads": ["a"]}, None, "both included and excluded"),
        ({"since": 100.0, "until": 50.0}, None, "must be before until"),
        ({"splits": {"train": 0.9, "validation": 0.2, "eval": 0.1}}, "splits", "add up to 1"),
        ({"kinds": ["eval"], "splits": {"train": 0.9, "validation": 0.1, "eval": 0.0}}, None, "eval split share is 0"),
        ({"segments": {"plan": []}}, None, "no interaction could match"),
        ({"min_confidence": 1.5}, "min_confidence", "less than or equal to 1"),
        ({"no_such_option": 1}, "no_such_option", "Extra inputs"),
    ],
)
def test_conflicting_or_unknown_settings_are_refused_with_the_field(config, field, words):
    with pytest.raises(errors.ValidationError) as caught:
        parse_config(config)
    assert words in caught.value.message
    if field:
        assert caught.value.field.startswith(field)


# --- dedup ------------------------------------------------------------------------------------


def test_exact_and_near_duplicates_keep_the_best_copy():
    long = (
        "Please summarise the quarterly report for the board meeting with the key revenue numbers, the main risks, "
        "the hiring plan, the product roadmap for next year, and the open questions from the last audit committee"
    )
    items = [
        (3, "What is 2 + 2?", "The answer is 4."),
        (1, "what is 2 + 2?", "the answer is 4"),  # exact once normalized; ranked first, so it stays
        (2, long, "Revenue grew."),
        (4, long + " today", "Revenue grew."),  # near duplicate
        (5, "Something else entirely", "Different."),
    ]
    kept, removed = deduplicate(items, parts=lambda x: (x[1], x[2]), rank=lambda x: x[0], config=DedupConfig())
    assert [x[0] for x in kept] == [1, 2, 5]
    assert removed == {"exact": 1, "near": 1}
    kept, removed = deduplicate(
        items, parts=lambda x: (x[1], x[2]), rank=lambda x: x[0], config=DedupConfig(near=False)
    )
    assert [x[0] for x in kept] == [1, 2, 4, 5]
    assert removed == {"exact": 1, "near": 0}


def test_near_duplicate_groups_chain_and_separate():
    base = "the quick brown fox jumps over the lazy dog near the river bank in the morning light"
    texts = [
        base,
        base + " today",
        "The Quick brown fox jumps over the lazy dog near the river bank in the morning light.",
        "completely unrelated words about databases and indexes and queries",
    ]
    labels = near_duplicate_groups(texts, DedupConfig())
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] != labels[0]
    assert normalize("  The answer IS 85. ") == "the answer is 85"


# --- integrity --------------------------------------------------------------------------------


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


# --- splits -----------------------------------------------------------------------------------


@dataclass
class Item:
    user: str
    prompt: str
    ts: float


KEY = b"k" * 32


def _assign(items, config=None):
    return assign(
        items,
        group=lambda x: x.user,
        ts=lambda x: x.ts,
        prompt=lambda x: x.prompt,
        config=config or SplitConfig(),
        dedup=DedupConfig(),
        key=KEY,
    )


def test_splits_are_a_keyed_hash_of_the_user():
    items = [Item(f"u{u}", f"question {u}-{k} about topic {u * 7 + k}", 50.0) for u in range(200) for k in range(2)]
    split, report = _assign(items, SplitConfig(time_aware=False))
    by_user: dict[str, set] = {}
    for item, s in zip(items, split):
        by_user.setdefault(item.user, set()).add(s)
    assert all(len(s) == 1 for s in by_user.values())
    assert by_user["u0"] == {split_of_group(KEY, "u0", SplitConfig())}
    assert report["groups"] == {"train": 158, "validation": 21, "eval": 21}  # 80/10/10 of users, as dealt
    # Another key deals the users again; the same key always the same way.
    assert [split_of_group(b"x" * 32, f"u{u}", SplitConfig()) for u in range(200)] != [
        split_of_group(KEY, f"u{u}", SplitConfig()) for u in range(200)
    ]


def test_removing_a_user_moves_no_other_item_between_splits():
    items = [
        Item(f"u{u}", f"question {u}-{k} about topic {u * 7 + k}", float(u * 7 % 97 + k))
        for u in range(60)
        for k in range(5)
    ]
    before, _ = _assign(items)
    kept = [(i, item) for i, item in enumerate(items) if item.user != "u3"]
    after, _ = _assign([item for _, item in kept])
    moved = [
        (i, before[i], s)
        for (i, _), s in zip(kept, after)
        if before[i] is not None and s is not None and before[i] != s
    ]
    assert moved == []


def test_eval_comes_after_train_in_time():
    items = [Item(f"u{u}", f"q {u} {k}", u * 3600.0 + k * 7200.0) for u in range(40) for k in range(10)]
    split, report = _assign(items, SplitConfig(near_duplicates=False))
    cut = report["cutoff"]
    assert cut == 41 * 3600.0  # the newest fifth of the items lies after it, rounded down to the hour
    train = [item.ts for item, s in zip(items, split) if s == "train"]
    held = [item.ts for item, s in zip(items, split) if s == "eval"]
    assert train and held and max(train) < cut <= min(held)
    assert report["time_range"]["train"][1] < report["time_range"]["eval"][0]
    assert report["dropped"]["outside_time_window:train"] == sum(
        1 for item, s in zip(items, split) if s is None and split_of_group(KEY, item.user, SplitConfig()) == "train"
    )


def test_strict_time_boundary_drops_what_crosses_it():
    items = [Item(f"u{u}", f"q {u} {k}", float(k)) for u in range(10) for k in range(10)]
    split, report = _assign(items, SplitConfig(holdout_after=5.0, near_duplicates=False))
    for item, s in zip(items, split):
        if s == "train":
            assert item.ts < 5.0
        elif s == "eval":
            assert item.ts >= 5.0
    assert report["cutoff"] == 5.0
    assert sum(report["dropped"].values()) == sum(
        5 for u in range(10) if split_of_group(KEY, f"u{u}", SplitConfig()) in ("train", "eval")
    )
    with pytest.raises(errors.ValidationError, match="time_aware is false"):
        parse_config({"splits": {"holdout_after": 5.0, "time_aware": False}})


def test_traffic_too_recent_to_split_by_time_is_split_by_user_only():
    """All traffic within the hour: a cut-off on the hour would leave train nothing, so the split
    is user-disjoint only, and the report says why."""
    items = [Item(f"u{u}", f"q {u} {k}", 7200.0 + u * 60 + k) for u in range(30) for k in range(2)]
    split, report = _assign(items, SplitConfig(near_duplicates=False))
    plain, _ = _assign(items, SplitConfig(time_aware=False, near_duplicates=False))
    assert split == plain and report["cutoff"] is None and report["dropped"] == {}
    assert report["time_split"]["applied"] is False
    assert report["time_split"]["reason"].startswith(
        "the usable interactions span 1970-01-01T02:00:00+00:00 to "
        "1970-01-01T02:29:01+00:00, too little time for a cut-off"
    )
    # A cut-off on the hour after the oldest item, but no train user has anything before it.
    early = [Item("e2", "early", 3599.0)] + items
    assert split_of_group(KEY, "e2", SplitConfig()) == "validation"
    split, report = _assign(early, SplitConfig(near_duplicates=False))
    assert report["cutoff"] is None and report["time_split"]["reason"].startswith(
        "no train item lies before the cut-off"
    )
    assert split[1:] == plain
    # A cut-off the user set is kept as given.
    _, report = _assign(items, SplitConfig(holdout_after=9000.0, near_duplicates=False))
    assert report["cutoff"] == 9000.0 and report["time_split"]["applied"] is True


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 6), st.floats(0, 1000)), min_size=1, max_size=80))
def test_no_user_and_no_duplicate_prompt_crosses_a_split(rows):
    items = [Item(f"u{u}", f"what is {p} plus {p}?", ts) for u, p, ts in rows]
    split, _report = _assign(items, SplitConfig(time_aware=False))
    users: dict[str, set] = {}
    prompts: dict[str, set] = {}
    for item, s in zip(items, split):
        if s is None:
            continue
        users.setdefault(item.user, set()).add(s)
        prompts.setdefault(normalize(item.prompt), set()).add(s)
    assert all(len(s) == 1 for s in users.values())
    assert all(len(s) == 1 for s in prompts.values())
    assert any(s is not None for s in split)


# --- segments ---------------------------------------------------------------------------------


@dataclass
class Ex:
    kind: str
    segment: str
    weight: float = 1.0


def test_segments_weigh_by_usage_not_by_feedback():
    examples = [Ex("sft", "plan=pro") for _ in range(5)] + [Ex("sft", "plan=free") for _ in range(5)]
    usage = Counter({"plan=free": 90, "plan=pro": 10})
    kept, report = balance(examples, usage, BalanceConfig(keys=["plan"]))
    assert len(kept) == 10
    assert report["sft"] == {"plan=free": {"examples": 5, "weight": 1.8}, "plan=pro": {"examples": 5, "weight": 0.2}}
    assert sum(e.weight for e in kept) == pytest.approx(10)
    examples = [Ex("sft", "plan=pro") for _ in range(5)] + [Ex("sft", "plan=free") for _ in range(20)]
    kept, report = balance(
        examples, Counter({"plan=free": 80, "plan=pro": 20}), BalanceConfig(keys=["plan"], mode="resample")
    )
    assert Counter(e.segment for e in kept) == {"plan=free": 20, "plan=pro": 5}
    kept, _ = balance(
        examples, Counter({"plan=free": 50, "plan=pro": 50}), BalanceConfig(keys=["plan"], mode="resample")
    )
    assert Counter(e.segment for e in kept) == {"plan=free": 5, "plan=pro": 5}
