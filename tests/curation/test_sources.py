"""What a curation run reads (flyloop.curation.sources): the interactions in scope, with consent
applied, their labels, and the signals that back them, in one streaming pass per table."""

from __future__ import annotations

import pytest

from conftest import T0, seed
from flyloop import set_consent
from flyloop.curation.curate import CurationConfig
from flyloop.curation.sources import load
from flyloop.labels.catchup import catch_up

P = "acme"


@pytest.fixture
def seeded(capture, store):
    seed(capture)  # 10 users x 4 interactions (g, c, r, rb), 81 signals, 10 outcomes
    catch_up(store, P)
    return store


def test_everything_in_scope_is_read_with_its_label_and_evidence(seeded):
    ticks: list[tuple[str, int, int]] = []
    src = load(seeded, P, CurationConfig(), lambda *tick: ticks.append(tick))
    assert (src.in_scope, src.consented, src.labelled, src.signal_count, src.outcome_count) == (40, 40, 40, 81, 10)
    assert (
        ticks[0] == ("interactions", 0, 40) and ("interactions", 40, 40) in ticks and ticks[-1] == ("signals", 81, 81)
    )
    c1 = src.records["c1"]
    assert (c1.workload, c1.input, c1.output, c1.verdict, c1.corrected, c1.session_id) == (
        "math",
        "What is 1 + 20?",
        "The answer is 22.",
        "corrected",
        "The answer is 21.",
        "s1b",
    )
    assert c1.user_id.startswith("u_")  # a pseudonym: the raw id never reaches curation
    assert len(src.edits) == 10 and len(src.choices) == 1  # an edit per user, user0's choice
    assert [sid for sid, _ in src.regenerated["r1"]] == ["r1-regen"]
    assert {iid: o for iid, o in src.outcome.items() if iid.startswith("g")} == {f"g{u}": 1 for u in range(10)}
    assert dict(src.usage) == {"all": 40} and dict(src.with_explicit) == {"all": 30}


def test_time_workload_and_segment_scope(seeded):
    assert load(seeded, P, CurationConfig(since=T0 + 5 * 3600), lambda *_: None).in_scope == 20  # users 5-9
    assert load(seeded, P, CurationConfig(until=T0 + 5 * 3600), lambda *_: None).in_scope == 20
    assert load(seeded, P, CurationConfig(workloads=["other"]), lambda *_: None).in_scope == 0
    assert load(seeded, P, CurationConfig(exclude_workloads=["other"]), lambda *_: None).in_scope == 40
    pro = load(seeded, P, CurationConfig(segments={"plan": ["pro"]}, balance={"keys": ["plan"]}), lambda *_: None)
    assert pro.in_scope == 12 and dict(pro.usage) == {"plan=pro": 12}  # users 0-2 are on pro
    assert {r.segment for r in pro.records.values()} == {"plan=pro"}


def test_a_user_who_refuses_training_now_is_left_out_and_counted(seeded):
    set_consent(seeded, P, "user1", "no_training")
    src = load(seeded, P, CurationConfig(), lambda *_: None)
    assert (src.in_scope, src.consented) == (40, 36)
    assert src.consent_report["users_checked"] == 10 and src.consent_report["users_refused"] == 1
    assert src.consent_report["interactions_refused"] == {"user consent now refuses training": 4}
    assert not {"g1", "c1", "r1", "r1b"} & set(src.records)


def test_another_project_reads_nothing(seeded):
    src = load(seeded, "other", CurationConfig(), lambda *_: None)
    assert (src.in_scope, src.records, src.signal_count) == (0, {}, 0)


def test_what_each_signal_says_is_its_kind_classs_direction(capture, store):
    """Curation reads a vote's direction and an outcome's success from the kind classes
    (flyloop.events.kinds), not from cut-offs of its own: for every kind it streams, each
    signal's polarity equals KINDS[kind].direction(value, payload)."""
    from flyloop import KINDS
    from flyloop.curation.curate import CurationConfig as Config

    sent = {
        "up": ("thumbs_up", None, {}),
        "down": ("thumbs_down", None, {}),
        "r1": ("rating", 1.0, {}),
        "r3": ("rating", 3.0, {}),
        "r4": ("rating", 4.0, {}),
        "r10": ("rating", 6.0, {"scale": [1, 10]}),  # above the middle of 1..10
        "r11": ("rating", 5.0, {"scale": [1, 10]}),  # below it
        "ed": ("edit", None, {"text": "The answer is 5."}),
        "ch": ("choice", None, {"chosen": "The answer is 4.", "rejected": ["Four."]}),
        "o0": ("outcome", 0.0, {"name": "done"}),
        "o5": ("outcome", 0.5, {"name": "done"}),
        "o7": ("outcome", 0.7, {"name": "done"}),
        "on": ("outcome", None, {"name": "done"}),
        "ob": ("outcome", 250.0, {"name": "done"}),
        "ox": ("outcome", -1.0, {"name": "done"}),
    }
    interactions = [
        {"id": f"i-{sid}", "workload": "math", "input": "What is 2 + 2?", "output": "The answer is 4.", "user_id": "u"}
        for sid in sent
    ]
    signals = [
        {"id": sid, "interaction_id": f"i-{sid}", "kind": kind, "value": value, "payload": payload, "actor": f"r-{sid}"}
        for sid, (kind, value, payload) in sent.items()
    ]
    capture.ingest(P, {"interactions": interactions, "signals": signals})
    src = load(store, P, Config(), lambda *_: None)
    votes = {vote.signal_id: vote.polarity for vote in src.votes}
    expected = {sid: KINDS[kind].direction(value, payload) for sid, (kind, value, payload) in sent.items()}
    assert votes == {sid: p for sid, p in expected.items() if sent[sid][0] != "outcome"}
    assert src.outcome == {f"i-{sid}": p for sid, p in expected.items() if sent[sid][0] == "outcome"}
    assert (votes["r3"], votes["r10"], votes["r11"], src.outcome["i-o5"], src.outcome["i-o7"]) == (0, 1, -1, 0, 1)
