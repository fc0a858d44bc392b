"""The simulated user population: reproducible, every rate a parameter, every kind of signal."""

from __future__ import annotations

import time
from collections import Counter

from flyloop import Flywheel, labels
from flyloop.testing import Rates, Simulation, rephrase, simulate


class Recorder:
    """A stand-in Flywheel that records what the simulation sends."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def log(self, workload, input, output, **kw):
        self.events.append(("log", workload, input, output, tuple(sorted((k, repr(v)) for k, v in kw.items()))))
        recorder, iid = self, kw["id"]

        class Handle:
            id = iid

            def __getattr__(self, name):
                return lambda *a, **k: recorder.events.append((name, iid, a, tuple(sorted(k.items()))))

        return Handle()

    def outcome(self, name, value=None, **kw):
        self.events.append(("outcome", name, value, tuple(sorted(kw.items()))))


START = 1_700_000_000.0


def run(seed=7, n=300, **kw):
    fw = Recorder()
    sim = Simulation(fw, users=50, seed=seed, start=START, **kw)
    truth = sim.run(n)
    return fw.events, truth, sim


def test_the_same_seed_gives_the_same_events_and_another_seed_does_not():
    a, truth_a, _ = run(7)
    b, truth_b, _ = run(7)
    c, _, _ = run(8)
    assert a == b and truth_a == truth_b
    assert a != c


def test_reactions_follow_the_rates():
    events, truth, _ = run(n=600)
    kinds = Counter(e[0] for e in events)
    for kind in (
        "log",
        "thumbs_up",
        "thumbs_down",
        "rate",
        "comment",
        "choose",
        "edit",
        "accept",
        "copy",
        "reject",
        "regenerate",
        "escalate",
        "dwell",
        "outcome",
    ):
        assert kinds[kind] > 0, kind
    assert truth.requery_of and truth.regenerated and truth.follow_up_of and truth.abandoned and truth.corrected
    # most users say nothing explicit
    explicit = kinds["thumbs_up"] + kinds["thumbs_down"] + kinds["rate"] + kinds["comment"]
    assert explicit < 0.35 * kinds["log"]
    quiet, _, _ = run(
        n=600, rates=Rates(explicit_rate=0.0, habitual_thumbs_rate=0.0, adversarial_rate=0.0, choice_rate=0.0)
    )
    assert not {e[0] for e in quiet} & {"thumbs_up", "thumbs_down", "rate", "comment", "choose"}


def test_user_types_behave_as_documented():
    events, truth, _sim = run(
        n=800, rates=Rates(type_shares={"honest": 0.4, "habitual": 0.2, "silent": 0.2, "adversarial": 0.2})
    )
    owner = {iid: truth.user_type[user] for iid, user in truth.user_of.items()}
    silent_explicit = [
        e
        for e in events
        if e[0] in ("thumbs_up", "thumbs_down", "rate", "comment", "edit", "choose") and owner[e[1]] == "silent"
    ]
    assert silent_explicit == []
    adversarial_edits = [e for e in events if e[0] == "edit" and owner[e[1]] == "adversarial"]
    assert adversarial_edits and all(truth.correct[e[1]] for e in adversarial_edits)  # they "fix" right answers
    habitual_downs = [e for e in events if e[0] == "thumbs_down" and owner[e[1]] == "habitual"]
    assert habitual_downs == []


def test_outcomes_are_held_until_due_and_some_fall_outside_the_window():
    fw = Recorder()
    sim = Simulation(fw, users=50, seed=3, start=time.time() - 3 * 86400, days=2.0)
    sim.run(400, deliver_outcomes=False)
    assert not [e for e in fw.events if e[0] == "outcome"]
    held = len(sim.pending)
    sent = sim.deliver_outcomes()
    assert 0 < sent < held and len(sim.pending) == held - sent  # the rest are still in the future
    assert all(ts > time.time() for ts, _kw in sim.pending)
    assert sim.deliver_outcomes(until=time.time() + 30 * 86400) == held - sent


def test_rephrase_keeps_the_numbers():
    import random

    rng = random.Random(1)
    for text in ("What is 37 + 48?", "Subtract 12 from 40.", "Compute 3 times 4."):
        again = rephrase(text, rng)
        assert sorted(int(x) for x in __import__("re").findall(r"\d+", again)) == sorted(
            int(x) for x in __import__("re").findall(r"\d+", text)
        )


def test_a_simulated_run_through_flyloop_yields_every_kind_and_sensible_labels(store, settings):
    fw = Flywheel(store=store, settings=settings, spool_dir=settings.home + "/spool")
    truth = simulate(fw, 600, users=60, seed=5)
    assert fw.flush(60)
    kinds = set(store.status(fw.project)["signal_kinds"])
    fw.close()
    labels.recompute(store, fw.project, infer=True)
    kinds = set(store.status(fw.project)["signal_kinds"])
    assert kinds >= {
        "thumbs_up",
        "thumbs_down",
        "rating",
        "edit",
        "comment",
        "choice",
        "accept",
        "reject",
        "copy",
        "regenerate",
        "requery",
        "follow_up",
        "abandon",
        "dwell",
        "escalate",
        "outcome",
    }
    verdicts = Counter((lb.verdict, truth.correct[lb.interaction_id]) for lb in labels.iter_labels(store, fw.project))
    assert verdicts[("bad", False)] > 10 * max(1, verdicts[("bad", True)])
