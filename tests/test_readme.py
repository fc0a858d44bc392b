"""The README's Python examples run as written, so they cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_top_gives_the_two_commands():
    head = README.read_text()[:800]
    assert "make demo" in head and "make test" in head


def test_readme_python_examples_run(tmp_path, monkeypatch, settings, capsys):
    blocks = python_blocks()
    assert blocks
    monkeypatch.setenv("FLYLOOP_DATABASE_URL", f"sqlite:///{tmp_path / 'readme.db'}")
    for block in blocks:
        exec(compile(block, str(README), "exec"), {"__name__": "readme"})
    assert "thumbs_up" in capsys.readouterr().out
