"""flyloop eval, golden and gate on the command line (flyloop.cli.evaluate): a run with its progress,
the comparison table and the gate's words (exit status 1 on a fail), list and show, golden sets from a
JSONL file, the gate set and shown; bad input as one line naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from evaluate_fixtures import GOLDEN, spam_versions
from flyloop import Settings, Store
from flyloop.capture import Capture
from flyloop.improve import backends as backends_module

runner = CliRunner()
P = "acme"


@pytest.fixture(autouse=True)
def _wide(store, monkeypatch, tmp_path):
    """The commands open the database by URL; taking ``store`` empties PostgreSQL before each test."""
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    for name in ("FLYLOOP_SERVER_URL", "FLYLOOP_API_KEY", "FLYLOOP_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    backends_module.clear_cache()


def invoke(database_url: str, *args: str):
    from flyloop.cli import app

    return runner.invoke(app, [*args, "--project", P, "--database-url", database_url])


@pytest.fixture
def project(database_url, tmp_path) -> tuple[str, str, Path]:
    capture = Capture(Store(database_url), Settings(home=str(tmp_path / "home"), database_url=database_url))
    prod, cand = spam_versions(capture)
    cases = tmp_path / "hard.jsonl"
    cases.write_text("\n".join(json.dumps(c) for c in GOLDEN) + "\n\n")
    return prod, cand, cases


def test_golden_eval_and_gate(database_url, project) -> None:
    prod, cand, cases = project
    out = invoke(database_url, "golden", "add", "hard", "spam", str(cases))
    assert (out.exit_code, out.output.strip()) == (0, "golden set hard of spam: 20 cases")
    listed = orjson.loads(invoke(database_url, "golden", "list", "--json").output)
    assert [(g["name"], g["cases"], g["labelled"]) for g in listed] == [("hard", 20, 20)]
    assert "golden set hard (spam)" in invoke(database_url, "golden", "show", "hard").output
    shown = orjson.loads(invoke(database_url, "golden", "show", "hard", "--json").output)
    assert (len(shown), {c["workload"] for c in shown}) == (20, {"spam"})

    out = invoke(database_url, "gate", "show")
    assert out.exit_code == 0 and out.output.startswith("no gate set")
    out = invoke(database_url, "gate", "set", "--primary", "accuracy", "--min-clusters", "2", "--json")
    assert orjson.loads(out.output)["gate"]["min_clusters"] == 2

    out = invoke(database_url, "eval", "run", "spam", cand, "--golden", "hard")
    assert out.exit_code in (0, 1), out.output
    lines = out.output.strip().splitlines()  # the progress bar, gone, leaves a blank line
    assert lines[0].startswith("evaluation ev_") and lines[0].endswith("20 cases of spam (golden:hard), succeeded")
    assert any(line.split()[:2] == ["all", "accuracy"] for line in out.output.replace("│", " ").splitlines())
    assert lines[-1].startswith(("PASS: accuracy", "FAIL: accuracy"))
    assert out.exit_code == (0 if lines[-1].startswith("PASS") else 1)

    strict = invoke(database_url, "eval", "run", "spam", cand, "--golden", "hard", "--margin", "0.9", "--json")
    found = orjson.loads(strict.output)
    assert strict.exit_code == 1 and found["passed"] is False and found["config"]["gate"]["margin"] == 0.9
    assert "lower bound not above margin 90 points" in found["gate"]["summary"]

    listed = orjson.loads(invoke(database_url, "eval", "list", "--workload", "spam", "--json").output)
    assert [e["id"] for e in listed][0] == found["id"] and len(listed) == 2
    table = invoke(database_url, "eval", "list").output
    assert found["id"] in table and "golden:hard" in table
    shown = invoke(database_url, "eval", "show", found["id"])
    assert shown.exit_code == 0 and shown.output.splitlines()[-1].startswith("FAIL: accuracy")
    assert orjson.loads(invoke(database_url, "eval", "show", found["id"], "--json").output) == found

    out = invoke(database_url, "gate", "set", "--reset")
    assert out.output.strip() == "gate reset: the defaults apply"
    out = invoke(database_url, "golden", "delete", "hard")
    assert out.output.strip() == "deleted golden set hard (20 cases)"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("eval", "run", "spam", "pv_nope", "--golden", "hard"), "candidate: no policy version"),
        (("eval", "run", "spam", "CAND", "--limit", "0"), "limit: limit is a whole number, 1 or more, not 0"),
        (("eval", "run", "spam", "CAND", "--metric", "bleu"), "metrics[0]: no metric 'bleu'"),
        (("eval", "run", "spam", "CAND"), "dataset: not enough data: "),
        (("eval", "show", "ev_0000000000000000"), "evaluation: no evaluation 'ev_0000000000000000'"),
        (("golden", "show", "nope"), "golden: no golden set 'nope'"),
        (("golden", "add", "g", "spam", "BAD"), "file:2: "),
        (("golden", "add", "g", "spam", "/nonexistent.jsonl"), "file: cannot read /nonexistent.jsonl"),
        (("gate", "set", "--margin", "1"), "primary: name the primary metric (--primary), or --reset"),
        (
            ("gate", "set", "--primary", "accuracy", "--guardrail", "cost"),
            "guardrail: a guardrail is metric:bound:low:high",
        ),
        (
            ("gate", "set", "--primary", "accuracy", "--segment-band", "2,3"),
            "segment_band: segment_band is (low, high)",
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_field(database_url, project, tmp_path, args, line) -> None:
    prod, cand, cases = project
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"input": "x"}\nnot json\n')
    args = tuple(cand if a == "CAND" else str(bad) if a == "BAD" else a for a in args)
    out = invoke(database_url, *args)
    assert out.exit_code == 2, out.output
    assert len(out.output.strip().splitlines()) == 1 and line in out.output, out.output
