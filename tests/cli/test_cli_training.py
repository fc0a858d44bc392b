"""What the CLI adds for the training loops (flyloop.cli.training): a typed flag per loop option,
generated from the registered loops' options; the plan as lines (the rule and the counts, why not,
the configuration, the device, memory and time); a progress report as one line."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from flyloop.cli.training import generated_options, is_training_plan, loop_flags, plan_lines, progress_text
from flyloop.improve import get_loop, loop_names

runner = CliRunner()


def test_every_loop_option_has_a_flag_or_is_declared_by_hand():
    options = generated_options()
    declared = {"budget", "clusters", "since", "until", "dataset", "refresh", "embedder", "k", "min_quality"}
    library_only = {"reflection", "target"}  # model backend objects (the prompt loop's)
    for loop in loop_names():
        for name in get_loop(loop).options:
            assert name in options or name in declared | library_only, (loop, name)
    assert options["steps"] == (int, "finetune: a whole number of optimizer steps.", False)
    assert options["learning_rate"][:1] == (float,) and options["setfit"][0] is bool
    assert options["target_modules"] == (
        str,
        "finetune: all-linear, or a list of module names (repeat for several).",
        True,
    )
    assert options["seed"][1].startswith("finetune, prompt, ")  # each loop that takes it is named


def test_generated_flags_are_typed_and_reach_the_command_as_the_loops_options():
    app = typer.Typer()
    got: list[dict] = []

    @app.command()
    @loop_flags
    def run(loop: str, yes: bool = False, generated: dict | None = None) -> None:
        """Example: run finetune"""
        got.append({"loop": loop, **(generated or {})})

    ok = runner.invoke(
        app,
        ["finetune", "--steps", "5", "--learning-rate", "2e-4", "--setfit", "--target-modules", "q_proj"]
        + ["--target-modules", "v_proj", "--method", "dpo"],
    )
    assert ok.exit_code == 0, ok.output
    assert got == [
        {
            "loop": "finetune",
            "steps": 5,
            "learning_rate": 0.0002,
            "setfit": True,
            "target_modules": ["q_proj", "v_proj"],
            "method": "dpo",
        }
    ]
    # One module name where the option also takes a string is that string ("all-linear").
    assert runner.invoke(app, ["finetune", "--target-modules", "all-linear", "--no-setfit"]).exit_code == 0
    assert got[-1] == {"loop": "finetune", "target_modules": "all-linear", "setfit": False}
    bad = runner.invoke(app, ["finetune", "--steps", "ten"])
    assert bad.exit_code == 2 and "Invalid value for '--steps'" in bad.output


def test_a_plan_reads_as_lines():
    planned = {
        "loop": "finetune",
        "workload": "math",
        "estimate": 0,
        "rule": {
            "due": False,
            "reason": "212 training pairs ...",
            "counts": {"corrected": 80, "good": 120, "bad": 12, "total": 212, "need": 500, "type": "generation"},
        },
        "method": "sft",
        "base_model": "smollm2",
        "device": "cpu",
        "need": 500,
        "dataset": "ds1",
        "examples": 190,
        "config": {"rank": 16, "learning_rate": 0.0002, "target_modules": ["q_proj", "v_proj"]},
        "memory_gib": 1.25,
        "available_gib": 12.0,
        "estimated_seconds": 270,
    }
    assert plan_lines(planned) == [
        "rule: at least 500 training pairs; have 212 (80 corrected, 120 good, 12 bad)",
        "the rule does not hold, so the loop would not start on its own; "
        "a manual run goes ahead and stops if the data is too little",
        "data: dataset ds1, 190 training rows",
        "config: rank=16, learning_rate=0.0002, target_modules=q_proj,v_proj",
        "device: cpu (no GPU here: it trains on the CPU)",
        "memory: about 1.25 GiB of 12.0 GiB available",
        "time: about 4.5 min",
        "method: sft",
        "base_model: smollm2",
    ]
    other = {"loop": "reward", "rule": {"due": True, "reason": "120 verdicts; the rule: at least 100", "counts": {}}}
    assert plan_lines(other) == ["rule: 120 verdicts; the rule: at least 100"]
    # The reward loop's plan: its counts are labelled outputs (a correction counts twice) and it
    # does not count rows; it read "at least 50 training pairs; have 160 (40 corrected, 40 good,
    # 40 bad)" and "0 training rows".
    reward = {
        "loop": "reward",
        "estimate": 0,
        "rule": {
            "due": True,
            "reason": "160 labelled outputs (40 corrected, 40 good, 40 bad with confidence >= 0.5); "
            "the rule: at least 50, good and bad",
            "counts": {"corrected": 40, "good": 40, "bad": 40, "total": 160, "need": 50},
        },
        "dataset": "fb38fa731ea8",
        "best_of": 4,
    }
    assert plan_lines(reward) == [
        "rule: 160 labelled outputs (40 corrected, 40 good, 40 bad with confidence >= 0.5); "
        "the rule: at least 50, good and bad",
        "data: dataset fb38fa731ea8",
        "best_of: 4",
    ]
    retrieval = {"loop": "retrieval", "estimate": 0, "pairs": {"train": 80, "held_out": 20}, "need": 200, "due": False}
    assert is_training_plan(retrieval) and not is_training_plan({"loop": "fewshot", "estimate": 0})
    assert plan_lines(retrieval | {"documents": 40}) == [
        "rule: at least 200 training pairs; have 100 (train 80, held_out 20)",
        "the rule does not hold, so the loop would not start on its own; "
        "a manual run goes ahead and stops if the data is too little",
        "documents: 40",
    ]


def test_a_progress_report_reads_as_one_line():
    assert progress_text({"done": 120, "total": 500, "loss": 1.23456789}) == "120/500 (24%), loss 1.23457"
    assert progress_text({"done": 3, "total": 0}) == "3/0"
    assert progress_text(None) == ""
