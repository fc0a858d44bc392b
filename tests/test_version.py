"""The package's version (flyloop.version): one value, the one the distribution and the face carry."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import flyloop
from flyloop.version import __version__

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_the_one_pyproject_declares_and_the_face_exports():
    assert __version__ == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert flyloop.__version__ == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+([a-z0-9.+-]*)?", __version__)
