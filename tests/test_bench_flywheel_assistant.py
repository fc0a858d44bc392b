"""The flywheel benchmark's assistant track (bench/flywheel/assistant*.py, issue 15): the pure
pieces its figures rest on. Answer normalisation (how a simulated user judges), the question
cache's lines and the held-out split, the users' dice on numbers (an adversarial correction is a
wrong number, the same in every arm). No model loads and no venv is made here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.flywheel.assistant import LoadSampler, MathPopulation, flyloop_datasets, parser, wrong_number
from bench.flywheel.assistant_arms import curation, product_gate, share_right
from bench.flywheel.assistant_data import cache_file, normalise, parse_line, read_questions, split
from bench.flywheel.data import Mail
from bench.flywheel.math_questions import plain, unsigned
from bench.flywheel.population import Draws, PopulationConfig, Request, User

from flyloop.curation import CurationConfig
from flyloop.evaluate import GateConfig, normalize_answer


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("-36", "-36"),
        (" -36. ", "-36"),
        ("-36\n", "-36"),
        ("１２", "12"),  # NFKC: full-width digits
        ("The answer is -36.", "the answer is -36"),
        ("12 ", "12"),
        ("12!?", "12"),
    ],
)
def test_normalise_is_what_a_user_compares(answer: str, expected: str) -> None:
    assert normalise(answer) == expected
    assert normalise(answer) == normalize_answer(answer)  # users and flyloop's exact match agree


def test_share_right_counts_exact_answers_only() -> None:
    questions = [Mail(f"q{i}", f"What is {i} + 1?", str(i + 1), "m", i) for i in range(4)]
    assert share_right(["1", "2.", "The answer is 3.", "5"], questions) == 0.5


def test_parse_line_names_the_bad_field() -> None:
    assert parse_line('{"question": " What is 1 + 1? ", "answer": "2", "module": "a"}') == {
        "question": "What is 1 + 1?",
        "answer": "2",
        "module": "a",
    }
    assert parse_line('{"question": "q", "answer": "2"}')["module"] == ""
    with pytest.raises(ValueError, match="field 'answer' must be a non-empty string"):
        parse_line('{"question": "q", "answer": 2}')
    with pytest.raises(ValueError, match="field 'question'"):
        parse_line('{"answer": "2"}')
    with pytest.raises(ValueError, match="f.jsonl line 3: not JSON"):
        parse_line("{nope", "f.jsonl line 3")
    with pytest.raises(ValueError, match="a line must be a JSON object"):
        parse_line("[1, 2]")


def test_split_holds_out_the_last_questions_and_drops_their_twins(tmp_path: Path) -> None:
    lines = [
        '{"question": "What is 1 + 1?", "answer": "2", "module": "add"}',
        '{"question": "what is 2 + 2? ", "answer": "4", "module": "add"}',  # the held-out one's twin
        "",
        '{"question": "What is 3 + 3?", "answer": "6", "module": "add"}',
        '{"question": "What is 2 + 2?", "answer": "4", "module": "add"}',
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n")
    questions = read_questions(path)
    assert [(q.id, q.text, q.label, q.group) for q in questions] == [
        ("q0", "What is 1 + 1?", "2", "add"),
        ("q1", "what is 2 + 2?", "4", "add"),
        ("q3", "What is 3 + 3?", "6", "add"),
        ("q4", "What is 2 + 2?", "4", "add"),
    ]
    pool, heldout = split(questions, 1)
    assert [q.id for q in heldout] == ["q4"]
    assert [q.id for q in pool] == ["q0", "q3"]
    with pytest.raises(ValueError, match="heldout must be from 1 to 3, got 4"):
        split(questions, 4)


def test_cache_file_names_what_it_holds() -> None:
    assert cache_file(7, 550, "arithmetic__add_or_sub", 2).name == "arithmetic-add_or_sub-d2-n550-s7.jsonl"
    assert cache_file(7, 700, "arithmetic__add_or_sub", 2, plain=True).name == (
        "arithmetic-add_or_sub-d2-plain-n700-s7.jsonl"
    )
    assert cache_file(7, 700, "arithmetic__add_or_sub", 2, plain=True, unsigned=True).name == (
        "arithmetic-add_or_sub-d2-plain-unsigned-n700-s7.jsonl"
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is -34 - 50?", True),
        ("What is the distance between 43 and 5?", True),
        ("-3 - -79", True),
        ("What is -1.4 - -0.4?", False),  # decimals, however round the answer
        ("Work out -117 - -55.", False),  # a three-digit number
        ("Sum 61 and -144.", False),
    ],
)
def test_plain_questions_have_short_integers_only(question: str, expected: bool) -> None:
    assert plain(question, 2) is expected


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("What is 63 - 3?", "60", True),  # a minus between numbers is an operator
        ("63-3", "60", True),
        ("Add together 31 and 13.", "44", True),
        ("What is 3 - 63?", "-60", False),  # a negative answer
        ("-3 + 63", "60", False),
        ("Work out 26 - -35.", "61", False),
        ("60+-3", "57", False),
        ("(-4 - 1) + 9", "4", False),
    ],
)
def test_unsigned_questions_have_no_negative_number(question: str, answer: str, expected: bool) -> None:
    assert unsigned(question, answer) is expected


def test_flyloop_datasets_are_options_curation_accepts() -> None:
    config = flyloop_datasets(0.3, "0.6", 0.6)
    assert config == {
        "splits": {"time_aware": False, "train": 0.6, "validation": 0.1, "eval": 0.3},
        "min_confidence": 0.6,
        "integrity": {"min_claim_trust": 0.6},
    }
    built = CurationConfig(**config)
    assert (built.splits.eval, built.integrity.min_claim_trust, built.min_confidence) == (0.3, 0.6, 0.6)
    # "none": rater trust as the library ships it (a record that vouches for the rater).
    assert flyloop_datasets(0.2, "none") == {
        "splits": {"time_aware": False, "train": 0.7, "validation": 0.1, "eval": 0.2}
    }
    with pytest.raises(SystemExit, match="--eval-share must lie in"):
        flyloop_datasets(0.9, None)
    with pytest.raises(SystemExit, match="--min-claim-trust is a number in \\[0, 1\\] or 'none', got '1.5'"):
        flyloop_datasets(0.3, "1.5")
    with pytest.raises(SystemExit, match="got 'high'"):
        flyloop_datasets(0.3, "high")
    with pytest.raises(SystemExit, match="--min-confidence is a number in \\[0, 1\\], got 2"):
        flyloop_datasets(0.3, None, 2)


def test_the_defaults_are_the_documented_cpu_run() -> None:
    args = parser().parse_args([])
    assert (args.rounds, args.per_round, args.users, args.preference) == (3, 200, 80, "none")
    assert (args.eval_share, args.min_claim_trust, args.min_eval_users, args.plain) == (0.3, "0.6", 10, True)
    assert (args.min_confidence, args.max_new_tokens, args.learning_rate, args.unsigned) == (0.6, 6, None, True)
    assert parser().parse_args(["--no-plain"]).plain is False
    assert (args.workers, args.threads) == (2, 1)  # two arms at once, a process and a torch thread each


def test_phase_words_say_where_each_arms_time_went() -> None:
    from bench.flywheel.assistant import phase_words

    assert phase_words({}, {}) == "- (no timing by phase in this run)"
    assert phase_words({"naive": {"held-out": 12.5, "improve": 300.0}}, {"naive": 320.0}) == (
        "- wall seconds by phase (flyloop's 'improve: ...' parts are inside its improve):\n"
        "  - naive (320 s in all): held-out 12.5, improve 300"
    )


def test_an_arm_adds_each_timed_blocks_wall_time_to_its_phase() -> None:
    from bench.flywheel.assistant_arms import StaticArm

    arm = StaticArm(base=None)  # type: ignore[arg-type]  # timing needs no model
    with arm.timed("serve"):
        pass
    with arm.timed("serve"):
        pass
    with pytest.raises(ValueError), arm.timed("improve"):
        raise ValueError("a failed phase still counts its time")
    assert sorted(arm.seconds) == ["improve", "serve"] and all(v >= 0 for v in arm.seconds.values())


def test_product_gate_is_a_gate_the_library_accepts() -> None:
    gate = GateConfig.from_dict(product_gate(8))
    assert (gate.primary, gate.min_clusters) == ("exact_match", 8)
    # No length guardrail: a candidate that stops rambling answers a tenth as long, on purpose.
    assert [g.metric for g in gate.guardrails] == ["refusal_rate", "latency_p95", "cost"]


def test_curation_reads_the_manifest_verdicts_and_flags() -> None:
    manifest = {
        "verdicts": {"corrected": 41, "correction_unvouched": 24, "choice_unvouched": 0},
        "integrity": {"raters": 46, "habitual": 3, "adversarial": 0, "quarantined_signals": 29},
    }
    assert curation(manifest) == {
        "verdicts": {"corrected": 41, "correction_unvouched": 24},
        "flagged": {"habitual": 3, "adversarial": 0},
    }
    assert curation({}) == {"verdicts": {}, "flagged": {"habitual": 0, "adversarial": 0}}


def test_wrong_number_is_one_to_ten_away_and_never_the_truth() -> None:
    assert [wrong_number("-36", d) for d in (0.0, 0.05, 0.1, 0.15, 0.999)] == ["-37", "-35", "-38", "-34", "-26"]
    seen = {int(wrong_number("5", i / 1000)) - 5 for i in range(1000)}
    assert seen == {d for d in range(-10, 11) if d != 0}


def _request(kind: str, act: float, which: float = 0.1, wrong: float = 0.3, segment: str = "casual") -> Request:
    user = User("u1", kind, segment)  # type: ignore[arg-type]
    return Request(0, 0, user, Mail("q1", "What is 40 - 52?", "-12", "add", 0), Draws(act, which, 0.9, wrong))


def test_population_judges_numbers_exactly() -> None:
    population = MathPopulation(PopulationConfig(users=10), seed=1)
    # An honest user whose act die is under edit_wrong (0.2) corrects a wrong or wordy answer to the number.
    assert population.react(_request("honest", 0.1), "The answer is -12.").edit == "-12"
    assert population.react(_request("honest", 0.1), "-13").edit == "-12"
    # A right answer (its full stop is not a difference) is thumbed up under up_right (0.1).
    right = population.react(_request("honest", 0.05), "-12.")
    assert (right.thumbs, right.edit) == ("up", None)
    # Habitual users thumb up the wrong answer too, and never correct.
    habitual = population.react(_request("habitual", 0.5), "7")
    assert (habitual.thumbs, habitual.edit) == ("up", None)


def test_adversarial_corrections_are_wrong_numbers() -> None:
    population = MathPopulation(PopulationConfig(users=10), seed=1)
    # A right answer, the act die under adversarial_edit (0.5) and which < 0.5: a wrong correction.
    poisoned = population.react(_request("adversarial", 0.2, which=0.1, wrong=0.3), "-12")
    assert poisoned.edit == wrong_number("-12", 0.3) == "-16"
    # which >= 0.5: a flipped thumb instead; a wrong answer gets a thumbs-up.
    assert population.react(_request("adversarial", 0.2, which=0.7), "-12").thumbs == "down"
    assert population.react(_request("adversarial", 0.2), "3").thumbs == "up"


def test_load_sampler_summarises_its_samples() -> None:
    sampler = LoadSampler(every=0.01).start()
    figures = sampler.stop()
    assert sorted(figures) == ["max", "mean", "min"]  # one sample at least: taken as the thread starts
    assert figures["min"] <= figures["mean"] <= figures["max"]
    assert len(sampler.samples) >= 1


def test_describe_writes_the_section_from_a_runs_figures() -> None:
    from bench.flywheel.assistant import describe, parser
    from bench.flywheel.run import markdown_table, summarise

    rounds = {
        "flyloop": [0.0, 0.0, 0.31],
        "static": [0.0, 0.0, 0.0],
        "naive": [0.0, 0.1, 0.2],
        "oracle": [0.0, 0.2, 0.4],
    }
    args = parser().parse_args([])
    sft = {"run": "lr_1", "status": "succeeded", "train_rows": 44, "steps": 40, "seconds": 187.3, "train_loss": 0.93}
    judged_not = {"candidate": "pv_1", "cases": 11, "promoted": False}
    judged_not["gate"] = "exact match +27.3 points [7.1, 55.6] from 8 users < 10: too few to judge"
    dataset = {
        "id": "d" * 64,
        "counts": {"sft": {"train": 44}, "eval": {"eval": 30}},
        "verdicts": {"corrected": 80},
        "flagged": {"habitual": 3},
    }
    passed = {"candidate": "pv_2", "cases": 30, "gate": "PASS", "promoted": True}
    options = {
        "gate": "product",
        "max_new_tokens": 6,
        "dataset_config": {"splits": {"eval": 0.3}},
        "min_eval_users": 10,
        "fewshot": True,
        "preference": args.preference,
        "prompt_budget": 0,
        "steps": 40,
        "threads": 1,
        "system_prompt": "Reply with the number only.",
        "heldout": 100,
    }
    figures = summarise(rounds, 19.5) | {
        "load_average": {"min": 1.0, "mean": 2.0, "max": 3.0},
        "rounds": rounds,
        "steps": {
            "flyloop": [
                {"round": 1, "action": "rejected", "version": "pv_base", "sft": sft | judged_not},
                {"round": 2, "action": "promoted", "version": "pv_2", "dataset": dataset, "sft": sft | passed},
            ],
            "naive": [{"round": 1, "train_rows": 74}, {"round": 2, "train_rows": 150}],
            "oracle": [{"round": 1, "train_rows": 200}, {"round": 2, "train_rows": 400}],
        },
        "feedback": {"flyloop": {"right": 3, "wrong": 397}},
        "data": "mathematics-dataset (q.jsonl): 600 questions",
        "population": {"users": 80, "kinds": {"honest": 44}},
        "per_round": 200,
        "seed": 7,
        "options": options,
    }
    text = describe(figures, markdown_table(rounds), plotted=False)
    assert "flyloop's gain over the base model: 31.0 points; beat naive by 11.0 points" in text
    assert "load average over the run {'min': 1.0, 'mean': 2.0, 'max': 3.0}" in text
    assert (
        "- flyloop's loops made 2 candidates; its gate could judge 1 (the others: too few eval cases or users)" in text
    )
    assert "naive's last training had 150 rows, the oracle's 400." in text
    assert f"dataset {'d' * 12}: {{'sft': {{'train': 44}}, 'eval': {{'eval': 30}}}}; curation's verdicts" in text


# --- the golden set (--golden) ------------------------------------------------------------------------


def _stream(n: int) -> list[Mail]:
    return [Mail(f"q{i}", f"What is {i} + 1?", str(i + 1), "add", i) for i in range(n)]


def test_the_golden_set_is_the_streams_next_questions_disjoint_from_traffic_and_held_out() -> None:
    from bench.flywheel.assistant_data import golden_after

    stream = _stream(10)
    pool, heldout = split(stream[:7], 2)
    golden = golden_after(stream, 7, 3, pool, heldout)
    assert [m.id for m in golden] == ["q7", "q8", "q9"]
    # A twin of a traffic question (by normalised text) is refused, naming it.
    twin = [*stream[:7], Mail("q7", "what is 0 + 1? ", "1", "add", 7)]
    with pytest.raises(
        ValueError, match=r"golden: not disjoint from the traffic and held-out questions \(\['what is 0"
    ):
        golden_after(twin, 7, 1, pool, heldout)
    with pytest.raises(ValueError, match="golden: 4 questions asked, the file holds 3 after the first 7"):
        golden_after(stream, 7, 4, pool, heldout)
    with pytest.raises(ValueError, match="golden must be 1 or more, got 0"):
        golden_after(stream, 7, 0)


def test_golden_check_counts_what_the_golden_set_shares() -> None:
    from bench.flywheel.assistant import golden_check
    from bench.flywheel.assistant_data import MathData

    stream = _stream(6)
    data = MathData("m", stream[:3], stream[3:5], stream[5:])
    assert golden_check(data) == {"questions": 1, "shared_with_traffic": 0, "shared_with_heldout": 0}
    assert golden_check(MathData("m", stream[:3], stream[3:5], [stream[0], stream[4]])) == {
        "questions": 2,
        "shared_with_traffic": 1,
        "shared_with_heldout": 1,
    }
    assert data.summary() == "m: 3 questions in the traffic pool, 2 held out, 1 in the golden set (modules add)"
    assert (
        MathData("m", stream[:3], stream[3:5]).summary()
        == "m: 3 questions in the traffic pool, 2 held out (modules add)"
    )


def test_golden_is_a_flag_defaulting_to_100_and_cases_are_questions_with_answers() -> None:
    from bench.flywheel.assistant_arms import golden_cases

    assert parser().parse_args([]).golden == 100
    assert parser().parse_args(["--golden", "0"]).golden == 0
    assert golden_cases(_stream(2)) == [
        {"input": "What is 0 + 1?", "expected": "1"},
        {"input": "What is 1 + 1?", "expected": "2"},
    ]


def test_the_promotion_rule_needs_the_golden_gate_and_no_regression_on_the_eval_split() -> None:
    from bench.flywheel.assistant_arms import decide, primary_interval

    passed, failed = {"passed": True}, {"passed": False}
    # Without a golden set the eval split's gate alone decides (the old rule).
    assert decide(None, {"passed": True, "high": 0.2}) == (True, "eval split gate passed")
    assert decide(None, {"passed": False, "high": None}) == (False, "eval split gate failed")
    # The golden gate failed: rejected, whatever the eval split says.
    assert decide(failed, {"passed": True, "high": 0.3}) == (False, "golden gate failed")
    # The golden gate passed; the eval split's interval reaches zero or above: promoted, even where
    # its own gate said 'too few to judge' (passed False).
    assert decide(passed, {"passed": False, "high": 0.143}) == (
        True,
        "golden gate passed; no regression on the eval split (upper bound +14.3 points)",
    )
    assert decide(passed, {"passed": False, "high": 0.0})[0] is True
    assert decide(passed, {"passed": False, "high": None}) == (
        True,
        "golden gate passed; the eval split formed no interval (too small to show a regression)",
    )
    # The eval split's whole interval below zero: a regression the production cases show.
    assert decide(passed, {"passed": False, "high": -0.05}) == (
        False,
        "golden gate passed, but the eval split shows a regression (upper bound -5.0 points)",
    )
    gate = {"checks": [{"kind": "guardrail", "low": 9, "high": 9}, {"kind": "primary", "low": 0.02, "high": 0.11}]}
    assert primary_interval(gate) == (0.02, 0.11)
    assert primary_interval(None) == (None, None)
    assert primary_interval({"checks": [{"kind": "primary", "low": None, "high": None}]}) == (None, None)


def test_a_candidates_words_give_both_gates_and_the_rule() -> None:
    from bench.flywheel.assistant import step_words

    note = {
        "candidate": "pv_3",
        "cases": 14,
        "gate": "exact match +14.3 points [0.0, 35.7] from 8 users < 10: too few to judge",
        "promoted": True,
        "rule": "golden gate passed; no regression on the eval split (upper bound +35.7 points)",
        "golden": {"cases": 100, "gate": "PASS exact match +21.0 points [13.0, 29.0]", "passed": True},
    }
    assert step_words(note) == (
        "pv_3: promoted (golden gate passed; no regression on the eval split (upper bound +35.7 points)); "
        "golden set, 100 cases: PASS exact match +21.0 points [13.0, 29.0]; eval split, 14 cases: "
        "exact match +14.3 points [0.0, 35.7] from 8 users < 10: too few to judge"
    )


def test_the_section_says_the_golden_set_and_counts_both_gates() -> None:
    from bench.flywheel.assistant import golden_words, reading

    assert golden_words(None) == "no golden set (the eval split's gate alone decides);"
    assert golden_words({"questions": 0, "shared_with_traffic": 0, "shared_with_heldout": 0}) == golden_words(None)
    words = golden_words({"questions": 100, "shared_with_traffic": 0, "shared_with_heldout": 0})
    assert words.startswith(
        "a golden set of 100 questions with their answers, added once before round 1 (shared with the traffic "
        "pool: 0, with the held-out set: 0); a candidate is promoted when its golden gate passes"
    )
    golden_pass = {"cases": 100, "gate": "PASS", "passed": True}
    golden_fail = {"cases": 100, "gate": "FAIL", "passed": False}
    too_few = "exact match +5.6 points [0.0, 11.5] from 8 users < 10: too few to judge"
    steps = [
        {"round": 1, "fewshot": {"run": "lr_1", "candidate": "pv_1", "cases": 12, "gate": too_few,
                                 "golden": golden_fail, "promoted": False}},
        {"round": 2, "sft": {"run": "lr_2", "candidate": "pv_2", "cases": 14, "gate": "FAIL lower bound",
                             "golden": golden_pass, "promoted": True}},
    ]  # fmt: skip
    figures = {"steps": {"flyloop": steps, "naive": [{"train_rows": 90}], "oracle": [{"train_rows": 400}]}}
    assert reading(figures).startswith(
        "- flyloop's loops made 2 candidates; the golden gate passed 1 of 2; the eval split's gate could judge 1 "
        "(the others: too few eval cases or users); flyloop promoted 1. "
    )
