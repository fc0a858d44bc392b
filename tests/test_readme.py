"""The README's Python examples run as written, and each ``print(...)  # expected`` prints what
its comment says (up to a ``: `` that starts an explanation), so the examples cannot drift."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def expected_prints(block: str) -> list[str]:
    out = []
    for line in block.splitlines():
        match = re.match(r"\s*print\(.*\)\s+#\s*(.*)$", line)
        if match:
            out.append(match.group(1).split(": ")[0].strip())
    return out


def test_readme_top_gives_the_two_commands():
    head = README.read_text()[:800]
    assert "make demo" in head and "make test" in head


def test_readme_python_examples_run_and_print_what_they_say(tmp_path, monkeypatch, settings):
    blocks = python_blocks()
    assert len(blocks) >= 3
    monkeypatch.setenv("FLYLOOP_DATABASE_URL", f"sqlite:///{tmp_path / 'readme.db'}")
    for block in blocks:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, str(README), "exec"), {"__name__": "readme"})
        expected = expected_prints(block)
        assert expected, "every example shows what it prints"
        assert printed.getvalue().splitlines() == expected
