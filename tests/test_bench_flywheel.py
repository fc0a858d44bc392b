"""The flywheel benchmark's harness (bench/flywheel, issue 15): the pieces its figures rest on. The
population's make-up and reactions, the traffic (same for every arm, each mail once, the pool
only), the time split of a labelled file, the kNN vote and the headline keys. No model loads here:
the benchmark itself is run by ``python bench/bench_flywheel.py``, not by the suite."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.flywheel.arms import HEAD_MIN_PAIRS, NaiveArm, knn_vote
from bench.flywheel.data import Mail, clean, from_jsonl
from bench.flywheel.flyloop_arm import choose
from bench.flywheel.population import Draws, Population, PopulationConfig, Request, User
from bench.flywheel.run import (
    diagnosis_lines,
    gate_reading,
    load_words,
    markdown_table,
    seed_lines,
    step_words,
    summarise,
    targets,
)

LABELS = ["ham", "spam"]


def _mail(i: int, label: str = "ham") -> Mail:
    return Mail(f"m{i}", f"text {i}", label, "g", i)


def _request(
    kind: str, segment: str = "casual", act: float = 0.0, which: float = 0.0, outcome: float = 0.99
) -> Request:
    user = User("user-1", kind, segment)  # type: ignore[arg-type]
    return Request(0, 0, user, _mail(0, "ham"), Draws(act=act, which=which, outcome=outcome, wrong_label=0.0))


def test_the_population_has_each_kind_in_its_share_and_the_power_segment() -> None:
    config = PopulationConfig(
        users=200, adversarial_share=0.05, habitual_share=0.10, silent_share=0.30, power_share=0.2
    )
    population = Population(config, LABELS, seed=7)
    assert population.kinds() == {"adversarial": 10, "habitual": 20, "silent": 60, "honest": 110}
    assert sum(u.segment == "power" for u in population.users) == 40
    assert len({u.id for u in population.users}) == 200
    # the same seed deals the same users; another seed deals them differently
    assert Population(config, LABELS, seed=7).users == population.users
    assert Population(config, LABELS, seed=8).users != population.users


def test_rates_that_do_not_fit_are_refused() -> None:
    with pytest.raises(ValueError, match="over 1"):
        PopulationConfig(adversarial_share=0.5, habitual_share=0.4, silent_share=0.3)
    with pytest.raises(ValueError, match="edit_wrong"):
        PopulationConfig(edit_wrong=1.5)


def test_honest_users_react_at_their_rates_and_power_users_at_a_multiple() -> None:
    config = PopulationConfig(up_right=0.1, down_wrong=0.15, edit_wrong=0.2, power_factor=3.0, outcome_rate=0.3)
    population = Population(config, LABELS, seed=1)
    # right answer: a thumbs-up below up_right, nothing above it
    assert population.react(_request("honest", act=0.05), "ham").thumbs == "up"
    assert population.react(_request("honest", act=0.15), "ham").thumbs is None
    # wrong answer: a correction to the truth below edit_wrong, then a thumbs-down up to edit + down
    assert population.react(_request("honest", act=0.1), "spam").edit == "ham"
    wrong = population.react(_request("honest", act=0.3), "spam")
    assert (wrong.thumbs, wrong.edit) == ("down", None)
    assert population.react(_request("honest", act=0.4), "spam").thumbs is None
    # a power user acts on three times the rate: 0.25 is under 0.1 * 3
    assert population.react(_request("honest", "power", act=0.25), "ham").thumbs == "up"
    # outcomes: measured below outcome_rate, for every kind, saying whether the mail ended where it
    # belongs: with the user's correction when there is one, else with the answer
    assert population.react(_request("silent", outcome=0.1), "spam").outcome == 0.0
    assert population.react(_request("silent", outcome=0.1), "ham").outcome == 1.0
    honest_fix = population.react(_request("honest", act=0.0, outcome=0.1), "spam")
    assert (honest_fix.edit, honest_fix.outcome) == ("ham", 1.0)  # a right correction of a wrong answer
    poisoned = population.react(_request("adversarial", outcome=0.1), "ham")
    assert (poisoned.edit, poisoned.outcome) == ("spam", 0.0)  # a wrong correction of a right answer
    assert population.react(_request("honest", outcome=0.5), "ham").outcome is None


def test_habitual_silent_and_adversarial_users() -> None:
    population = Population(PopulationConfig(habitual_up=0.9, adversarial_edit=0.5), LABELS, seed=1)
    assert population.react(_request("habitual", act=0.5), "spam").thumbs == "up"  # wrong, thumbed up anyway
    assert population.react(_request("habitual", act=0.95), "ham").thumbs is None
    silent = population.react(_request("silent", act=0.0), "spam")
    assert (silent.thumbs, silent.edit) == (None, None)
    # right answers are "corrected" to a wrong label or thumbed down; wrong ones thumbed up
    assert population.react(_request("adversarial", act=0.1, which=0.2), "ham").edit == "spam"
    assert population.react(_request("adversarial", act=0.1, which=0.7), "ham").thumbs == "down"
    assert population.react(_request("adversarial", act=0.1), "spam").thumbs == "up"
    assert population.react(_request("adversarial", act=0.9), "spam").thumbs is None


def test_the_traffic_is_seeded_sends_each_pool_mail_once_and_favours_power_users() -> None:
    pool = [_mail(i, "spam" if i % 7 == 0 else "ham") for i in range(600)]
    config = PopulationConfig(users=50, power_share=0.2, power_traffic=3.0)
    population = Population(config, LABELS, seed=3)
    rounds = population.traffic(pool, rounds=4, per_round=120)
    assert [len(r) for r in rounds] == [120] * 4
    flat = [q for batch in rounds for q in batch]
    assert [q.position for q in flat] == list(range(480))
    assert [q.round for q in flat] == [r for r in range(4) for _ in range(120)]
    assert len({q.mail.id for q in flat}) == 480  # no mail twice
    assert flat == [q for batch in Population(config, LABELS, seed=3).traffic(pool, 4, 120) for q in batch]
    power = sum(q.user.segment == "power" for q in flat) / len(flat)
    assert 0.35 < power < 0.60  # 10 power users at weight 3 against 40 at 1: 3/7 of the traffic expected


def test_a_labelled_file_splits_by_time_and_the_traffic_never_reaches_the_held_out_set(tmp_path: Path) -> None:
    rows = [{"text": f"mail number {i}", "label": ["a", "b", "c"][i % 3], "ts": 1000 - i} for i in range(100)]
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    data = from_jsonl(path, heldout_size=2000)
    assert data.labels == ["a", "b", "c"]
    assert (len(data.train), len(data.heldout)) == (70, 30)
    train_ts = {1000 - int(m.text.split()[-1]) for m in data.train}
    heldout_ts = {1000 - int(m.text.split()[-1]) for m in data.heldout}
    assert max(train_ts) < min(heldout_ts)  # the held-out set is the newest traffic
    population = Population(PopulationConfig(users=20), data.labels, seed=1)
    sent = {q.mail.text for batch in population.traffic(data.train, 2, 35) for q in batch}
    assert sent == {m.text for m in data.train} and not sent & {m.text for m in data.heldout}
    assert data.descriptions == {"a": "a", "b": "b", "c": "c"}


def test_a_labelled_file_may_name_its_split_and_bad_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "split.jsonl"
    rows = [
        {"text": f"t{i}", "label": "x" if i % 2 else "y", "split": "test" if i >= 8 else "train"} for i in range(10)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    data = from_jsonl(path, descriptions={"x": "the letter x"})
    assert [m.text for m in data.heldout] == ["t8", "t9"]
    assert data.descriptions == {"x": "the letter x", "y": "y"}
    path.write_text('{"text": "ok", "label": "a"}\n{"label": "b"}\n')
    with pytest.raises(SystemExit, match=r"split.jsonl:2: each line needs a non-empty string 'text'"):
        from_jsonl(path)


def test_text_is_subject_then_body_cut_on_a_word() -> None:
    assert clean("Hello  there", "line one\n\nline   two") == "Hello there\n\nline one line two"
    assert clean("S", "word " * 100, max_chars=40) == "S\n\nword word word word word word word"


def test_the_knn_vote_weighs_cosine_and_breaks_ties_to_the_nearer_label() -> None:
    bank = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)
    labels = ["a", "b", "b", "a"]
    queries = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    # k=3: query 1 sees a (1.0), b (0.8), b (0.0) -> a; query 3 sees b (0.96), b (0.8), a (0.6) -> b
    assert knn_vote(queries, bank, labels, k=3) == ["a", "b", "b"]
    assert knn_vote(queries[:1], bank, labels, k=1) == ["a"]


def test_the_headline_keys() -> None:
    rounds = {
        "static": [0.6, 0.6, 0.6],
        "naive": [0.6, 0.7, 0.65],
        "flyloop": [0.6, 0.8, 0.79],
        "oracle": [0.6, 0.9, 0.9],
    }
    assert summarise(rounds, 3.456) == {
        "minutes": 3.46,
        "lift_points": 19.0,
        "beat_naive_points": 14.0,
        "share_of_oracle": 0.8778,
        "oracle_over_naive_points": 25.0,
        "worst_round_drop_points": 1.0,
    }
    assert summarise({"static": [0.5]}, 1.0)["lift_points"] is None
    # when even the ceiling beats naive by less than the target, the words say so
    close = {"naive": [0.6, 0.88], "flyloop": [0.6, 0.9], "oracle": [0.6, 0.91]}
    assert (
        "beat_naive_points 2.0 (target >= 5: missed); "
        "the oracle itself beats naive by 3.0 points here, so no arm could meet it" in targets(summarise(close, 1.0))
    )
    assert targets(summarise(rounds, 3.456)) == (
        "lift_points 19.0 (target >= 20: missed); share_of_oracle 0.8778 (target >= 0.95: missed); "
        "beat_naive_points 14.0 (target >= 5: met); worst_round_drop_points 1.0 (target <= 1: met); "
        "minutes 3.46 (target < 15: met)"
    )
    assert markdown_table({"a": [0.5, 0.75]}).splitlines() == [
        "| round | a |",
        "|---:|---:|",
        "| 0 | 0.500 |",
        "| 1 | 0.750 |",
    ]


def test_every_rate_is_a_flag_with_its_default() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    PopulationConfig.add_flags(parser)
    config = PopulationConfig.from_args(parser.parse_args(["--adversarial-share", "0.2", "--users", "10"]))
    assert config == replace(PopulationConfig(), adversarial_share=0.2, users=10)
    assert "(default 0.05)" in parser.format_help()


def test_the_candidate_promoted_is_the_larger_gain_among_those_the_rule_lets_through() -> None:
    both = {"fewshot": {"passed": True, "gain": 0.02}, "head": {"passed": True, "gain": 0.05}}
    assert choose(both, "gate") == "head"
    assert choose({**both, "fewshot": {"passed": True, "gain": 0.06}}, "gate") == "fewshot"
    one = {"fewshot": {"passed": False, "gain": 0.09}, "head": {"passed": True, "gain": 0.01}}
    assert choose(one, "gate") == "head"
    assert choose(one, "any") == "fewshot"  # the no-gates ablation: the larger gain, gate or not
    assert choose({"fewshot": {"passed": False, "gain": 0.0}}, "gate") is None
    # the oracle: no loss on its true-label references (a tie ships the newer candidate)
    assert choose({"fewshot": {"passed": False, "gain": 0.01}, "head": {"passed": False, "gain": -0.02}}, "gain") == (
        "fewshot"
    )
    assert choose({"fewshot": {"passed": False, "gain": 0.0}, "head": {"passed": False, "gain": 0.0}}, "gain") == "head"
    assert (
        choose({"fewshot": {"passed": False, "gain": -0.01}, "head": {"passed": False, "gain": None}}, "gain") is None
    )
    # ... a loss under a point (a case or two of the oracle's 97%-right eval split) still ships
    assert choose({"fewshot": {"passed": False, "gain": -0.03}, "head": {"passed": False, "gain": -0.004}}, "gain") == (
        "head"
    )
    # a tie goes to the later loop (the head over the bank)
    assert choose({"fewshot": {"passed": True, "gain": 0.03}, "head": {"passed": True, "gain": 0.03}}, "gate") == "head"
    with pytest.raises(ValueError, match="rule is one of gate, any, gain"):
        choose(both, "maybe")


class _Prototypes:
    """Round 0's rule for the naive arm in a test: every input is ham."""

    labels = ["ham", "spam"]

    def predict(self, vectors: np.ndarray) -> list[str]:
        return ["ham"] * len(vectors)


def test_the_naive_arm_ships_a_bank_then_a_head_once_it_has_enough_examples() -> None:
    rng = np.random.default_rng(0)
    arm = NaiveArm(_Prototypes(), heads=True)  # type: ignore[arg-type]

    def vector(label: str) -> np.ndarray:
        v = rng.normal(size=4) * 0.3 + (np.array([1.0, 0, 0, 0]) if label == "ham" else np.array([0, 1.0, 0, 0]))
        return (v / np.linalg.norm(v)).astype(np.float32)

    def add(n: int) -> None:
        for i in range(n):
            label = ["ham", "spam"][i % 2]
            arm.examples.append((vector(label), label))
            arm.texts.append(f"meeting notes {i}" if label == "ham" else f"cheap pills offer {i}")

    add(40)
    step = arm.improve(1)
    assert (step.action, step.version, arm.head) == ("promoted", "knn-40", None)
    add(HEAD_MIN_PAIRS - 40)
    step = arm.improve(2)
    assert (step.action, step.version, step.notes) == (
        "promoted",
        f"head-{HEAD_MIN_PAIRS}",
        {"bank_size": HEAD_MIN_PAIRS, "head_rows": HEAD_MIN_PAIRS},
    )
    queries = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0]], dtype=np.float32)
    assert arm.predict(queries, ["meeting notes", "cheap pills offer"]) == ["ham", "spam"]
    # one label only: no head can be fitted, the bank serves
    lone = NaiveArm(_Prototypes(), heads=True)  # type: ignore[arg-type]
    lone.examples = [(vector("ham"), "ham")] * HEAD_MIN_PAIRS
    lone.texts = ["meeting notes"] * HEAD_MIN_PAIRS
    assert lone.improve(1).version == f"knn-{HEAD_MIN_PAIRS}"


def test_a_rounds_words_say_what_each_loop_gave_and_what_the_audit_found() -> None:
    head = {
        "artifact": "hd_1",
        "validation_accuracy": 0.9,
        "knn_accuracy": 0.85,
        "evaluation": "ev_1",
        "cases": 120,
        "gate": "accuracy +3.0 points [0.5, 6.0] > margin 0: PASS",
        "passed": True,
        "promoted": False,
    }
    assert step_words(head) == (
        "head hd_1 (validation 0.9, kNN 0.85); evaluation ev_1 on 120 held-out cases: passed, not promoted: "
        "accuracy +3.0 points [0.5, 6.0] > margin 0: PASS"
    )
    assert step_words(head | {"truth_gain": -0.0125}).endswith(": PASS (on the same cases' true labels: -1.2 points)")
    audit = {
        "eval_cases": 40,
        "references_right": 0.875,
        "references_right_quality_weighted": 0.9123,
        "by_kind": {"habitual": {"cases": 8, "right": 0.75}, "honest": {"cases": 32, "right": 0.90625}},
    }
    assert step_words(audit) == (
        "40 eval cases, references right 87.5% (weighed by quality 91.2%); by who gave them: "
        "habitual 8 (75%), honest 32 (91%)"
    )


def test_other_seeds_runs_are_a_line_each_in_seed_order(tmp_path: Path) -> None:
    def result(seed: int, final: float) -> dict[str, object]:
        rounds = {"naive": [0.7, 0.8], "flyloop": [0.7, final], "oracle": [0.7, 0.95]}
        return {**summarise(rounds, 9.5), "rounds": rounds, "seed": seed, "_command": f"c {seed}", "_at": "T"}

    for seed, final in ((23, 0.9), (11, 0.92)):
        (tmp_path / f"flywheel_triage_seed{seed}.json").write_text(json.dumps(result(seed, final)))
    (tmp_path / "flywheel_other_seed5.json").write_text("{}")
    assert seed_lines("flywheel_triage", tmp_path) == [
        "- seed 11 (`c 11`, T): flyloop 0.700 -> 0.920; lift 22.0 points, beat naive 12.0 (oracle over naive 15.0), "
        "share of oracle 0.9684, worst drop 0.0 points, 9.5 minutes.",
        "- seed 23 (`c 23`, T): flyloop 0.700 -> 0.900; lift 20.0 points, beat naive 10.0 (oracle over naive 15.0), "
        "share of oracle 0.9474, worst drop 0.0 points, 9.5 minutes.",
    ]


def test_a_runs_load_is_said_and_an_older_run_without_it_says_nothing() -> None:
    assert load_words({"load": {"start": [1.5, 2.0, 2.1], "end": [3.25, 2.5, 2.2]}}) == (
        " (load average 1.5 at the start, 3.25 at the end)"
    )
    assert load_words({}) == ""


def test_the_diagnosis_is_a_table_by_data_a_learning_curve_and_each_rounds_head(tmp_path: Path) -> None:
    assert diagnosis_lines("flywheel_triage", tmp_path) == []  # not run: no lines

    def fit(n: int, noise: float, accuracy: float) -> dict[str, float]:
        return {"n": n, "noise": noise, "accuracy": accuracy, "ham_recall": 0.99, "spam_recall": 0.8}

    head = {
        "eval_gain": 0.042,
        "passed": True,
        "promoted": True,
        "traffic_unseen": {"accuracy": 0.96, "ham_recall": 0.975, "spam_recall": 0.889},
        "heldout": {"accuracy": 0.91, "ham_recall": 0.99, "spam_recall": 0.828},
    }
    found = {
        "seed": 7,
        "_command": "python -m bench.flywheel.diagnose --seed 7",
        "_at": "T",
        "rounds": [{"round": 1}, {"round": 2, "head": head}],
        "table": {
            "a_flyloop_train_curated": fit(706, 0.0042, 0.914),
            "a2_flyloop_train_validation_curated": fit(850, 0.0047, 0.92),
            "c_every_interaction_true": fit(3246, 0.0, 0.955),
            "e_self_training": fit(2264, 0.0049, 0.921)
            | {"pseudo_labelled": 1414, "pool": 1600, "pseudo_noise": 0.0057, "confidence": 0.9, "weight": 0.3},
            "naive_examples": {"n": 818, "noise": 0.1846, "heldout": 0.898},
            "learning_curve_true_labels": {"1200": 0.9375, "150": 0.8495},
        },
    }
    (tmp_path / "flywheel_triage_diagnosis.json").write_text(json.dumps(found))
    assert diagnosis_lines("flywheel_triage", tmp_path) == [
        "Where flyloop's final head loses to the oracle (`python -m bench.flywheel.diagnose --seed 7`, T): the head "
        "flyloop's loop fits, on each data, measured on the held-out set (seed 7, after round 2):",
        "",
        "| data | rows | label noise | held-out | ham recall | spam recall |",
        "|---|---:|---:|---:|---:|---:|",
        "| (a) flyloop's train split, curated labels (the head its loop measures) | 706 | 0.4% | 0.914 | 0.990 | "
        "0.800 |",
        "| (a2) flyloop's train and validation splits, curated labels (the head its loop serves: the refit) | 850 | "
        "0.5% | 0.920 | 0.990 | 0.800 |",
        "| (c) every interaction seen, true labels (the oracle's data) | 3246 | 0.0% | 0.955 | 0.990 | 0.800 |",
        "| (e) (a2) and the head's own confident labels of the traffic without one (not in flyloop) | 2264 | 0.5% | "
        "0.921 | 0.990 | 0.800 |",
        "| naive's examples (its own head) | 818 | 18.5% | 0.898 | | |",
        "",
        "(e) is self-training, measured by the harness only: 1414 of the 1600 interactions with no example (users in "
        "neither the eval nor the validation split) labelled by the (a2) head where it was at least 0.9 sure, weight "
        "0.3; 0.6% of those labels wrong.",
        "",
        "The head's held-out accuracy on n random true labels of the traffic: 150: 0.850, 1200: 0.938.",
        "",
        "Each round's head candidate, on the next round's traffic (mails it has not trained on; round 2: its own) "
        "and on the held-out (later) mails, by label:",
        "",
        "| round | eval gain (gate) | traffic: ham / spam recall | held-out | held-out: ham / spam recall |",
        "|---:|---|---|---:|---|",
        "| 2 | +4.2 (promoted) | 0.975 / 0.889 | 0.910 | 0.990 / 0.828 |",
        "",
        "The head is fitted class-balanced, so the traffic's prior (15% spam) is not what it leans on; what moves "
        "between refreshes is spam recall on the later mails, which no split of the traffic shows.",
    ]


def test_the_gates_reading_counts_verdicts_against_the_same_cases_true_labels() -> None:
    def audit(right: float, weighed: float) -> dict[str, object]:
        return {"eval_cases": 50, "references_right": right, "references_right_quality_weighted": weighed}

    steps = [
        {"round": 1, "audit": audit(0.6667, 0.7), "fewshot": {"why": "not enough data"}},
        {
            "round": 2,
            "audit": audit(0.96, 0.98),
            "fewshot": {"evaluation": "ev_1", "passed": True, "truth_gain": 0.05},
            "head": {"evaluation": "ev_2", "passed": True, "truth_gain": -0.01},
        },
        {
            "round": 3,
            "audit": audit(0.99, 0.995),
            "fewshot": {"evaluation": "ev_3", "passed": False, "truth_gain": 0.02},
            "head": {"evaluation": "ev_4", "passed": False, "truth_gain": 0.005},
        },
    ]
    assert gate_reading(steps) == (
        "the eval split's references were the true label for 66.7-99.0% of its cases round by round "
        "(70.0-99.5% weighed by quality); of 4 candidates evaluated, the gate passed 2 (on the same cases' true "
        "labels 1 of them lost accuracy) and rejected 2 (1 of them gained more than 1 point on those true labels)"
    )
    assert gate_reading(steps[:1]) == "no candidate was evaluated"


def test_a_flyloop_arms_keys_and_event_ids_come_from_the_seed(tmp_path: Path) -> None:
    """What makes two runs of one seed agree (run.py's docstring): every flyloop arm's store starts
    from keys drawn from the seed, imported through flyloop.privacy before the first event, and
    every event it logs carries an id drawn from the seed. A real store and the SDK; no model."""
    import time

    from bench.flywheel.flyloop_arm import send_reaction
    from bench.flywheel.population import Reaction
    from bench.flywheel.seeded import SeededIds, open_seeded, seeded_keys

    import flyloop
    from flyloop.privacy import export_keys, pseudonym

    new_id = SeededIds(7)
    assert [new_id(), new_id()] == ["424610a9c6960000000001", "424610a9c6960000000002"]
    assert SeededIds(7)() == "424610a9c6960000000001" and SeededIds(8)() == "fe759d53e86c0000000001"
    assert seeded_keys(7)["split"] == ["d2d54ae4dca04690a7e748271c408d489f6d37d268e139d7bb86876a48748c25"]
    urls = [f"sqlite:///{tmp_path / name}.db" for name in ("one", "two")]
    for url in urls:
        open_seeded(url, "bench", 7)
    with pytest.raises(flyloop.Conflict):  # keys are never replaced: a store opened twice is refused
        open_seeded(urls[0], "bench", 8)
    stores = [flyloop.Store(url) for url in urls]
    try:
        for store in stores:
            assert pseudonym(store, "bench", "user-3") == "u_ccbb495f157fe049eef295caff2ad9a8"
            assert export_keys(store, "bench") == seeded_keys(7)
    finally:
        for store in stores:
            store.close()
    fw = flyloop.Flywheel(home=str(tmp_path), database_url=urls[0], project="bench")
    try:
        ids = SeededIds(7)
        at = time.time() - 600
        it = fw.log("triage", "Cheap watches!", "ham", user_id="user-3", ts=at, id=ids())
        send_reaction(it, Reaction("down", "spam", None), "user-3", at, ids)
        fw.flush()
        stored = fw.store.get_interaction("bench", it.id)
    finally:
        fw.close()
    assert (stored["id"], stored["user_id"]) == ("424610a9c6960000000001", "u_ccbb495f157fe049eef295caff2ad9a8")
    assert [(s["id"], s["kind"]) for s in stored["signals"]] == [
        ("424610a9c6960000000002", "thumbs_down"),
        ("424610a9c6960000000003", "edit"),
    ]
