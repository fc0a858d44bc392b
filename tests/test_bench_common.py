"""The benchmarks' command lines (bench/common.py's no_options, bench/bench_redaction.py's options): --help
answers and an unknown option is refused at once, instead of a run that takes minutes and rewrites results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, f"bench/{script}", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("script", ["bench_embed.py", "bench_labels.py", "bench_policy.py", "bench_resolve.py"])
def test_a_benchmark_without_options_answers_help_and_refuses_the_rest(script):
    helped = run(script, "--help")
    assert (helped.returncode, helped.stdout.splitlines()[0]) == (0, f"usage: python bench/{script} [-h]")
    refused = run(script, "--bogus")
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[-1] == f"python bench/{script}: error: unrecognized arguments: --bogus"


def test_the_redaction_benchmark_refuses_an_unknown_option_part_or_mode():
    before = (ROOT / "bench" / "results" / "redaction.json").read_bytes()
    for args, error in (
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--quality", "nowhere"], "unknown part 'nowhere': one of dev, heldout,"),
        (["--misses", "dev", "regex"], "unknown mode 'regex': pattern or ner"),
    ):
        done = run("bench_redaction.py", *args)
        assert done.returncode == 2
        assert error in done.stderr.splitlines()[-1]
    assert (ROOT / "bench" / "results" / "redaction.json").read_bytes() == before
