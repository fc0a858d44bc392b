"""What every benchmark shares: write its figures to ``bench/results/NAME.json`` and its section
of ``BENCHMARKS.md`` (between ``<!-- bench:NAME -->`` markers, so sections from different
benchmarks never clobber each other), with the command that produced them and the machine."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "BENCHMARKS.md"

HEADER = """# Benchmarks

Figures measured on this project's machines (2 cores, no GPU) by `make bench` or the command
given in each section. Comparisons are made side by side in one run, as ratios, because the
machines are noisy. Each benchmark also writes `bench/results/NAME.json`.
"""


def no_options(doc: str | None, script: str) -> None:
    """A benchmark that takes no option still answers ``--help`` (with its docstring's first
    paragraph) and refuses an unknown option, instead of running for minutes and writing results."""
    argparse.ArgumentParser(
        prog=f"python bench/{Path(script).name}", description=(doc or "").split("\n\n")[0]
    ).parse_args()


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_result(
    name: str, figures: dict[str, Any], markdown: str, command: str | None = None, at: str | None = None
) -> None:
    """``at``: when the figures were measured (now, unless a section is re-rendered from its JSON)."""
    command = command or "python " + " ".join(
        [str(Path(sys.argv[0]).relative_to(ROOT)) if Path(sys.argv[0]).is_absolute() else sys.argv[0], *sys.argv[1:]]
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        **figures,
        "_command": command,
        "_machine": machine(),
        "_at": at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    section = (
        f"<!-- bench:{name} -->\n## {name}\n\nCommand: `{command}`  \nMachine: {machine()}  \n"
        f"Measured: {payload['_at']}\n\n{markdown.strip()}\n<!-- /bench:{name} -->"
    )
    text = DOC.read_text() if DOC.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text)
    print(f"wrote bench/results/{name}.json and its section of BENCHMARKS.md")
