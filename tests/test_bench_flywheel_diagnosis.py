"""The triage section's tables from the diagnosis scripts' JSON (bench/flywheel/diagnosis_report.py):
the bad verdicts round by round and seed by seed, what curation held back, and the three-label
measure of a thumbs-down spread over the other labels. No model loads here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.flywheel.diagnosis_report import bad_verdict_lines, complementary_lines


def _round(n: int, with_: float, random_mean: float, held: dict[str, dict[str, int]]) -> dict[str, object]:
    return {
        "round": n,
        "bad_verdicts": {
            "other_label_train": {"n": 84, "true": 80},
            "other_label_validation": {"n": 12, "true": 12},
            "other_label_eval": {"n": 23, "true": 22},
            "eval_bad_cases": {"n": 23, "true": 22},
            "train_rows": 211,
            "train_spam_share": 0.2038,
            "held_back_truth": held,
            "served_rows": 242,
            "heldout_with_other_label": with_,
            "heldout_without_other_label": 0.937,
            "random_true_same_size": {"n": 242, "mean": random_mean, "min": 0.877, "max": 0.91},
        },
    }


def _write(folder: Path, seed: int, rounds: list[dict[str, object]]) -> None:
    suffix = "" if seed == 7 else f"_seed{seed}"
    found = {"seed": seed, "_at": f"T{seed}", "rounds": [{"round": 1}, *rounds], "table": {}}
    (folder / f"flywheel_triage_diagnosis{suffix}.json").write_text(json.dumps(found))


def test_bad_verdicts_are_a_row_per_seed_and_round_in_seed_order(tmp_path: Path) -> None:
    assert bad_verdict_lines("flywheel_triage", tmp_path) == []  # not run: no lines
    held = {"good:unsupported_after_quarantine": {"n": 300, "true": 234}, "bad:low_confidence": {"n": 27, "true": 27}}
    _write(tmp_path, 11, [_round(2, 0.901, 0.884, {})])
    _write(tmp_path, 7, [_round(2, 0.926, 0.892, {}), _round(3, 0.917, 0.902, held)])
    lines = bad_verdict_lines("flywheel_triage", tmp_path)
    assert lines[1].endswith("(`python -m bench.flywheel.diagnose --seed N`, T7, T11):")
    assert lines[3:] == [
        "| seed | round | train rows (spam) | other_label: train / validation / eval | held-out with / without "
        "| random true labels, as many | held back |",
        "|---:|---:|---:|---|---|---|---:|",
        "| 7 | 2 | 211 (20%) | 84 (80) / 12 (12) / 23 (22) | 0.926 / 0.937 | 0.892 (0.877-0.910) | 0 (0) |",
        "| 7 | 3 | 211 (20%) | 84 (80) / 12 (12) / 23 (22) | 0.917 / 0.937 | 0.902 (0.877-0.910) | 327 (261) |",
        "| 11 | 2 | 211 (20%) | 84 (80) / 12 (12) / 23 (22) | 0.901 / 0.937 | 0.884 (0.877-0.910) | 0 (0) |",
        "",
        "flyloop's curated rows minus as many random true labels, in points of held-out accuracy, round by round "
        "(seed 7: +3.4, +1.5; seed 11: +1.7; round 1's few rows say little): round 2's rows, largely the zero-shot "
        "policy's mistakes found by the bad verdicts and corrections, teach more than random ones; the rows of "
        "later rounds are mostly the head's own right answers confirmed (good verdicts), which add less than as "
        "many random labels would, so the edge shrinks and the later heads gain little from the added rows.",
        "",
        "What curation held back at the last round, by verdict and why (true in brackets):",
        "",
        "- seed 7: good:unsupported_after_quarantine 300 (234), bad:low_confidence 27 (27).",
        "- seed 11: nothing.",
    ]


def test_a_diagnosis_from_before_the_bad_verdicts_gives_no_such_table(tmp_path: Path) -> None:
    (tmp_path / "flywheel_triage_diagnosis.json").write_text(
        json.dumps({"seed": 7, "_at": "T", "rounds": [{"round": 1}, {"round": 2}], "table": {}})
    )
    assert bad_verdict_lines("flywheel_triage", tmp_path) == []


def test_the_spread_thumbs_down_says_what_it_cost_at_each_size(tmp_path: Path) -> None:
    assert complementary_lines("flywheel_triage", tmp_path) == []

    def size(left_out: float, spread: float) -> dict[str, object]:
        draw = {"labelled": 700, "thumbs_down": 37, "left_out": left_out, "spread": spread, "true_label": 0.95}
        return {**draw, "draws": [draw, draw]}

    path = tmp_path / "flywheel_triage_complementary.json"
    found = {"_command": "python -m bench.flywheel.complementary", "_at": "T", "first": {}}
    found["first"] = {"150": size(0.9437, 0.9415), "40": size(0.9336, 0.9252)}
    path.write_text(json.dumps(found))
    lines = complementary_lines("flywheel_triage", tmp_path)
    assert lines == [
        "",
        "With more than two labels a thumbs-down only rules one out; flyloop's head leaves it out. Spread over the "
        "other labels instead (each copy weighing 1 / (K - 1)), on the SpamAssassin mails labelled easy_ham / "
        "hard_ham / spam by folder (`python -m bench.flywheel.complementary`, T; held-out accuracy, mean of 2 "
        "draws): first head on 40 labels: 700 labelled rows and 37 thumbs-downs, left out 0.934, spread 0.925, "
        "their true labels 0.950; first head on 150 labels: 700 labelled rows and 37 thumbs-downs, left out 0.944, "
        "spread 0.942, their true labels 0.950; spreading cost accuracy every time, so flyloop's head does not "
        "spread them.",
    ]
    found["first"] = {"40": size(0.9336, 0.9252), "150": size(0.94, 0.95)}
    path.write_text(json.dumps(found))
    assert complementary_lines("flywheel_triage", tmp_path)[1].endswith("; spreading cost accuracy at some sizes only.")


def test_the_parity_paragraph_reads_its_two_files(tmp_path: Path) -> None:
    from bench.flywheel.diagnosis_report import parity_lines

    assert parity_lines("flywheel_triage", tmp_path) == []

    def acc(value: float) -> dict[str, float]:
        return {"accuracy": value}

    (tmp_path / "flywheel_triage_parity.json").write_text(
        json.dumps(
            {
                "seed": 7,
                "train": 1200,
                "heldout": 1000,
                "redacted_heldout": 850,
                "head trained on tag-redacted mails": {"as sent": acc(0.93), "tag": acc(0.934)},
                "head trained on hash-redacted mails": {
                    "as sent": acc(0.919),
                    "tag": acc(0.926),
                    "hash (stand-in key)": acc(0.931),
                    "hash (project key)": acc(0.929),
                },
                "kNN vote over a tag-redacted bank (k=10)": {"as sent": 0.875, "tag": 0.873},
                "zero-shot prototypes": {"as sent": 0.689, "tag": 0.73},
            }
        )
    )
    lines = parity_lines("flywheel_triage", tmp_path)
    assert len(lines) == 2 and lines[0] == ""
    for words in (
        "one draw, seed 7, 1200 training mails",
        "1000 held-out mails of which redaction changes 850",
        "0.930 asked the mails as sent, 0.934 redacted alike",
        "0.919 as sent, 0.926 with tag tokens, 0.931 with hash tokens of a stand-in key",
        "0.929 with the project's key",
        "0.875 as sent, 0.873 redacted",
        "0.689 as sent, 0.730 redacted",
    ):
        assert words in lines[1], words
    assert "What it costs" not in lines[1]
    (tmp_path / "flywheel_triage_parity_latency.json").write_text(
        json.dumps(
            {
                "mails": 300,
                "mean_chars": 855.4,
                "redaction on": {"mean_ms": 128.84},
                "redaction off": {"mean_ms": 120.21},
                "redaction alone": {"mean_ms": 8.2},
                "redaction share of classify": 0.0636,
            }
        )
    )
    assert parity_lines("flywheel_triage", tmp_path)[1].endswith(
        "classify 128.8 ms a mail with the redaction, 120.2 without; the redaction alone 8.2 ms "
        "(6.4%; mails of 855 characters on average)."
    )


def test_the_as_sent_words_appear_only_where_the_run_measured_them() -> None:
    from bench.flywheel.run import as_sent_words

    figures = {"rounds": {"flyloop": [0.709, 0.92]}, "steps": {"flyloop": [{"round": 1}]}}
    assert as_sent_words(figures) == ""
    assert as_sent_words({"rounds": {}, "steps": {}}) == ""
    figures["steps"]["flyloop"][-1]["as_sent"] = 0.9155
    assert as_sent_words(figures) == (
        "; its round-1 head 0.920 redacting the held-out mails as its training texts were, 0.915 asked them "
        "as sent (the same head, redaction off)"
    )
