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


def test_readme_points_at_nothing_outside_the_repository():
    text = README.read_text()
    assert not re.search(r"(?<!\.)\.\./\w", text), "a path above the repository"
    root = README.parent
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" not in target:
            assert (root / target).exists(), target


def test_readme_says_how_to_install_and_what_each_extra_brings():
    import tomllib

    text = README.read_text()
    assert "pip install flyloop" in text
    extras = tomllib.loads((README.parent / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    install = text[text.index("## Install into your own app") :]
    for extra in extras:
        assert re.search(rf"^\| `{extra}` \| [^|]+\| [^|]+\|$", install, re.M), (
            f"the install table lacks the {extra} extra"
        )


def test_readme_says_where_the_demo_and_the_cli_keep_their_data():
    text = " ".join(README.read_text().split())
    assert "by default `~/.flyloop`" in text and "flyloop status --project demo" in text


def test_every_python_name_the_readme_gives_exists():
    """``flyloop.x.y`` in the prose is something a reader will import or call: it must resolve
    (a name left behind by a move of modules reads fine and fails at once)."""
    import importlib

    not_python = {"flyloop.db", "flyloop.internal", "flyloop.example.com"}
    names = set(re.findall(r"\bflyloop(?:\.[A-Za-z_]\w*)+", README.read_text())) - not_python
    assert "flyloop.Flywheel" in names
    missing = []
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):  # the longest importable module, then attributes
            try:
                found: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    found = getattr(found, attr)
            except AttributeError:
                missing.append(name)
            break
    assert missing == []
