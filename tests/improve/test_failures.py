"""Failure clusters on real text of three kinds (arithmetic questions from flyloop.testing, mortgage
spam subject lines from the SpamAssassin public corpus, tech-support questions from
chatterbot-corpus): exact membership where the data leaves no doubt, exact share, trend and
segment arithmetic, the common edit, the label, JSON and the table, and too few failures."""

from __future__ import annotations

import random

import orjson
import pytest

from flyloop import errors, labels
from flyloop.capture import Capture
from flyloop.improve import HashingEmbedder, choose_default
from flyloop.improve.failures import (
    FailureReport,
    cluster_vectors,
    failure_clusters,
    load_failures,
)
from flyloop.testing import question

PROJECT = "acme"
T = 1_700_000_000.0  # the window is [T, T + 1000); the one before it [T - 1000, T)

# Subject lines of spam-1 and spam-2 of the SpamAssassin public corpus (one theme: mortgages).
MORTGAGE = [
    "You CAN have the best MORTGAGE rate",
    "3.5% fixed payment 30 year loan",
    "Best rates on mortgage in the country!",
    "ADV: FREE Mortgage Rate Quote - Save THOUSANDS!",
    "ADV: Interest rates slashed! Don't wait!",
    "Do you need a second MORTGAGE?",
    "Get the BEST Rate On a Home Loan!",
    "Is Your Mortgage Payment Too High? Reduce It Now",
    "Lenders WILL COMPETE for your mortgage",
    "Let Us Search For You-Refinance Now",
]
# chatterbot-corpus 1.3, english/tech_support.yml: its distinct questions.
SUPPORT = [
    "My system is overheating.",
    "My computer won't turn on.",
    "My mouse is not responding.",
    "My laptop screen is black.",
    "I can't hear any sound.",
    "My internet is not working.",
    "My webcam isn't detected.",
    "I forgot my password.",
    "My printer is not printing.",
    "My screen is flickering.",
]
HELPDESK = " If the problem persists, open a ticket with the help desk."

needs_int8 = pytest.mark.skipif(
    choose_default()[0] != "minilm-int8", reason=f"minilm-int8 cannot load here: {choose_default()[1]}"
)


def additions(seed: int, n: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [question(rng) for _ in range(n)]


def seed_failures(capture: Capture, project: str = PROJECT) -> dict[str, list[str]]:
    """In the window: 10 arithmetic answers off by one (corrected), 10 spam subjects answered
    "Not spam." (thumbs down), 10 support questions given a generic reply (5 corrected with the
    same added sentence, 5 thumbs down), 20 good answers (thumbs up): 50 interactions. Before it:
    5 arithmetic failures, 1 support failure, 14 good: 20. Returns the ids of each kind."""
    interactions: list[dict] = []
    signals: list[dict] = []
    ids: dict[str, list[str]] = {"add": [], "spam": [], "support": [], "good": [], "before": []}

    def log(kind: str, iid: str, text: str, output: str, ts: float, plan: str, user: str) -> None:
        ids[kind].append(iid)
        interactions.append(
            {
                "id": iid,
                "workload": "assist",
                "input": text,
                "output": output,
                "user_id": user,
                "ts": ts,
                "metadata": {"plan": plan},
            }
        )

    def sig(iid: str, kind: str, ts: float, **kw: object) -> None:
        signals.append({"id": f"{iid}-{kind}", "interaction_id": iid, "kind": kind, "ts": ts, **kw})

    for n, (text, right) in enumerate(additions(3, 10)):
        iid, ts = f"add{n}", T + n
        log("add", iid, text, f"The answer is {int(right) + 1}.", ts, "pro", f"u{n}")
        sig(iid, "edit", ts + 5, payload={"text": f"The answer is {right}."})
    for n, text in enumerate(MORTGAGE):
        iid, ts = f"spam{n}", T + 100 + n
        log("spam", iid, text, "Not spam.", ts, "free", f"u{n}")
        sig(iid, "thumbs_down", ts + 5)
    for n, text in enumerate(SUPPORT):
        iid, ts = f"sup{n}", T + 200 + n
        log("support", iid, text, "Please restart your device.", ts, "pro" if n < 8 else "free", f"u{n}")
        if n % 2 == 0:
            sig(iid, "edit", ts + 5, payload={"text": "Please restart your device." + HELPDESK})
        else:
            sig(iid, "thumbs_down", ts + 5)
    for n in range(20):
        iid, ts = f"good{n}", T + 300 + n
        log("good", iid, f"What is {n} + 1?", f"The answer is {n + 1}.", ts, "free", f"u{n}")
        sig(iid, "thumbs_up", ts + 5)
    # The window before: 5 arithmetic failures, one support failure, 14 good answers.
    for n, (text, right) in enumerate(additions(11, 5)):
        iid, ts = f"old-add{n}", T - 900 + n
        log("before", iid, text, f"The answer is {int(right) - 2}.", ts, "pro", f"u{n}")
        sig(iid, "edit", ts + 5, payload={"text": f"The answer is {right}."})
    log("before", "old-sup", SUPPORT[2], "Please restart your device.", T - 800, "pro", "u1")
    sig("old-sup", "thumbs_down", T - 795)
    for n in range(14):
        iid, ts = f"old-good{n}", T - 700 + n
        log("before", iid, f"What is {n} + 2?", f"The answer is {n + 2}.", ts, "free", f"u{n}")
        sig(iid, "thumbs_up", ts + 5)
    capture.ingest(project, {"interactions": interactions})
    capture.ingest(project, {"signals": signals})
    labels.catch_up(capture.store, project, settings=capture.settings)
    return ids


def clusters_of(capture: Capture, **kw: object) -> FailureReport:
    return failure_clusters(capture.store, PROJECT, "assist", since=T, until=T + 1000, settings=capture.settings, **kw)


def test_failures_read_from_labels_newest_first(capture: Capture) -> None:
    seed_failures(capture)
    window = load_failures(capture.store, PROJECT, "assist", T, T + 1000)
    assert len(window) == 30
    assert [f.interaction_id for f in window[:2]] == ["sup9", "sup8"]
    verdicts = {f.interaction_id: f.verdict for f in window}
    assert verdicts["add0"] == "corrected" and verdicts["spam0"] == "bad" and verdicts["sup1"] == "bad"
    assert {f.interaction_id: f.corrected_text for f in window}["sup0"] == "Please restart your device." + HELPDESK
    assert len(load_failures(capture.store, PROJECT, "assist", T - 1000, T)) == 6


@needs_int8
def test_three_kinds_of_failure_three_clusters(capture: Capture) -> None:
    ids = seed_failures(capture)
    report = clusters_of(capture)
    assert report.embedder == "minilm-int8"
    assert (report.traffic, report.failures, report.previous_traffic, report.previous_failures) == (50, 30, 20, 6)
    assert report.method["k"] == 3 and report.unclustered == 0
    members = {frozenset(c.member_ids) for c in report.clusters}
    assert members == {frozenset(ids["add"]), frozenset(ids["spam"]), frozenset(ids["support"])}
    by_kind = {
        kind: next(c for c in report.clusters if set(c.member_ids) == set(ids[kind]))
        for kind in ("add", "spam", "support")
    }
    for c in report.clusters:
        assert (c.size, c.share) == (10, 0.2)
    # Trend: this window's share against the window before (5 of 20, 0 of 20, 1 of 20).
    assert by_kind["add"].previous_share == 0.25 and by_kind["add"].trend == pytest.approx(-0.05, abs=1e-12)
    assert by_kind["spam"].previous_share == 0.0 and by_kind["spam"].trend == 0.2
    assert by_kind["support"].previous_share == 0.05 and by_kind["support"].trend == pytest.approx(0.15, abs=1e-12)
    assert by_kind["spam"].verdicts == {"bad": 10}
    assert by_kind["support"].verdicts == {"bad": 5, "corrected": 5}
    # The label is what sets the cluster apart from the other failures.
    assert "mortgage" in by_kind["spam"].keywords
    assert "plus" in by_kind["add"].keywords
    # Segments: share in the cluster beside the share among all 30 failures.
    assert by_kind["spam"].segments == {"plan": [{"value": "free", "count": 10, "share": 1.0, "baseline": 0.4}]}
    assert by_kind["support"].segments["plan"] == [
        {"value": "pro", "count": 8, "share": 0.8, "baseline": 0.6},
        {"value": "free", "count": 2, "share": 0.2, "baseline": 0.4},
    ]
    # Representatives are members, nearest the centroid first, with output and correction.
    rep = by_kind["support"].representatives
    assert len(rep) == 3 and {r["interaction_id"] for r in rep} <= set(ids["support"])
    assert all(r["output"] == "Please restart your device." for r in rep)
    # The common edit of the support cluster: every correction added the same sentence.
    edit = by_kind["support"].common_edit
    assert (edit["corrected"], edit["typical"], edit["typical_share"]) == (5, "add", 1.0)
    assert edit["inserted"] == [{"phrase": HELPDESK.strip().lower(), "count": 5}]
    assert by_kind["add"].common_edit["typical"] == "replace" and by_kind["add"].common_edit["classes"] == {
        "substantive": 10
    }
    # Stable ids: a hash of the members, the same on a second run.
    assert [c.id for c in clusters_of(capture).clusters] == [c.id for c in report.clusters]
    assert report.cluster(by_kind["spam"].id[:8]) is by_kind["spam"]


@needs_int8
def test_report_as_json_and_table(capture: Capture) -> None:
    seed_failures(capture)
    report = clusters_of(capture)
    body = orjson.loads(orjson.dumps(report.to_dict()))
    assert body["failure_share"] == 0.6 and len(body["clusters"]) == 3
    assert sorted(len(c["members"]) for c in body["clusters"]) == [10, 10, 10]
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(report.table())
    text = console.export_text()
    for c in report.clusters:
        assert c.id in text
    assert "30 failures of 50 interactions" in text and "+20.0 pt" in text
    assert "plan=free 100% (all: 40%)" in text  # the spam cluster: every one on the free plan
    with pytest.raises(errors.NotFound) as caught:
        report.cluster("fc_nope")
    assert caught.value.field == "cluster"


def test_small_clusters_are_unclustered_and_min_failures_refused(capture: Capture) -> None:
    seed_failures(capture)
    # A core-install embedder: the same calls work without the embed extra's model.
    report = clusters_of(capture, embedder=HashingEmbedder(), min_size=30)
    assert report.clusters == [] and report.unclustered == 30
    with pytest.raises(errors.NotEnoughData) as caught:
        clusters_of(capture, embedder=HashingEmbedder(), min_failures=31)
    assert caught.value.details == {"have": 30, "need": 31}
    assert "30 of 31" in str(caught.value)
    with pytest.raises(errors.ValidationError) as bad:
        failure_clusters(capture.store, PROJECT, "assist", since=T, until=T)
    assert bad.value.field == "since"
    with pytest.raises(errors.ValidationError) as bad:
        clusters_of(capture, max_clusters=0)
    assert bad.value.field == "max_clusters"


def test_one_repeated_failure_is_one_cluster() -> None:
    # One question asked ten times (the case differs, the hashing embedder folds it): no cut of
    # identical points separates anything, so no silhouette reaches the floor.
    texts = ["What is 2 + 2?", "what is 2 + 2?", "WHAT IS 2 + 2?"] * 3 + ["What Is 2 + 2?"]
    labels_, method = cluster_vectors(HashingEmbedder().embed(texts), 8)
    assert method["k"] == 1 and labels_.tolist() == [0] * 10


@needs_int8
def test_a_sample_of_the_failures_gives_the_same_shares(capture: Capture) -> None:
    ids = seed_failures(capture)
    # 15 of the window's 30 failures, evenly spaced in time: every other one, 5 of each kind.
    report = clusters_of(capture, max_failures=15)
    assert report.method["sampled"] == {"now": 15, "of": 30, "before": 6, "of_before": 6}
    assert (report.failures, report.previous_failures) == (30, 6)
    assert sorted(c.size for c in report.clusters) == [5, 5, 5]
    for c in report.clusters:
        kind = next(k for k in ("add", "spam", "support") if set(c.member_ids) <= set(ids[k]))
        assert c.share == 0.2 and c.previous_share == {"add": 0.25, "spam": 0.0, "support": 0.05}[kind]


def test_without_scikit_learn_the_error_names_the_extra(capture: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    seed_failures(capture)
    monkeypatch.setitem(sys.modules, "sklearn.metrics", None)  # what a core install sees
    with pytest.raises(errors.ConfigError) as caught:
        clusters_of(capture, embedder=HashingEmbedder())
    assert "pip install 'flyloop[embed]'" in str(caught.value) and "failure clusters" in str(caught.value)
