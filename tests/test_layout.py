"""The tests mirror the package: every module under ``src/flyloop`` has a test module of its name.

``src/flyloop/<stage>/<module>.py`` is tested in ``tests/<stage>/test_<module>.py`` and a top-level
``src/flyloop/<module>.py`` in ``tests/test_<module>.py``. Test modules are imported by basename
(no ``__init__.py`` in tests/, so ``from conftest import ...`` keeps working), so a basename may
be used once: where two surfaces have a module of one name (``server/datasets.py``,
``cli/datasets.py``), each test module carries its stage too: ``tests/server/test_server_datasets.py``.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "flyloop"
TESTS = ROOT / "tests"

# Modules that cannot have a test module of their own name, each with the reason.
ALLOWED_WITHOUT = {
    # A package's face only re-exports what its modules define (those modules are tested);
    # tests/test_public_api.py checks the top-level face.
    "__init__.py",
    # Alembic's environment and the revisions run only inside an upgrade: tests/store/test_migrations.py
    # upgrades through every one of them and checks the result against the tables on both stores.
    "store/migrations/env.py",
    "store/migrations/versions/*.py",
}


# Test modules under a stage folder that test the stage as a whole rather than one module of it.
STAGE_WIDE = {
    # every route checks a scope, keys reach only their project, audit of admin actions: all routes at once
    "server/test_security.py",
    # the CLI through the project handle against a real server: every command group at once
    "cli/test_cli_remote.py",
    # no module outside flyloop/store names a database: a property of the whole package, kept by the store
    "store/test_boundary.py",
}


def allowed(relative: Path) -> bool:
    return relative.name == "__init__.py" or any(
        relative.match(pattern) for pattern in ALLOWED_WITHOUT - {"__init__.py"}
    )


def expected_test_modules(relative: Path) -> list[Path]:
    """Where the tests of ``src/flyloop/<relative>`` may live (the first is the usual name)."""
    stage = relative.parent
    plain = TESTS / stage / f"test_{relative.stem}.py"
    if stage == Path("."):
        return [plain]
    return [plain, TESTS / stage / f"test_{'_'.join(stage.parts)}_{relative.stem}.py"]


def defines_a_test(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
        for node in tree.body
    )


def test_every_module_has_a_test_module_of_its_name_with_tests_in_it() -> None:
    missing, empty = [], []
    for module in sorted(PACKAGE.rglob("*.py")):
        relative = module.relative_to(PACKAGE)
        if allowed(relative):
            continue
        found = [path for path in expected_test_modules(relative) if path.exists()]
        if not found:
            missing.append(f"{relative} -> {expected_test_modules(relative)[0].relative_to(ROOT)}")
        elif not any(defines_a_test(path) for path in found):
            empty.append(str(found[0].relative_to(ROOT)))
    assert missing == [], "modules without a test module:\n" + "\n".join(missing)
    assert empty == [], "test modules without a test:\n" + "\n".join(empty)


def test_the_allow_lists_name_only_what_exists() -> None:
    # A stale entry would quietly excuse a module added later under the same name.
    for pattern in ALLOWED_WITHOUT - {"__init__.py"}:
        assert any(p.relative_to(PACKAGE).match(pattern) for p in PACKAGE.rglob("*.py")), pattern
    for name in STAGE_WIDE:
        assert (TESTS / name).exists(), name


def test_test_module_basenames_are_unique() -> None:
    # pytest imports each test module by its basename (rootdir-relative "prepend" mode, no packages).
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []


def test_no_test_module_is_left_for_a_module_that_is_gone() -> None:
    # A test module under a stage folder names a module of that stage (or of the stage, prefixed),
    # unless it is one of the few that test the stage as a whole.
    stray = []
    for path in sorted(TESTS.rglob("test_*.py")):
        stage = path.parent.relative_to(TESTS)
        if stage == Path(".") or str(path.relative_to(TESTS)) in STAGE_WIDE:
            continue
        name = path.stem.removeprefix("test_")
        prefix = "_".join(stage.parts) + "_"
        candidates = {name, name.removeprefix(prefix)}
        if not any((PACKAGE / stage / f"{c}.py").exists() or (PACKAGE / stage / c).is_dir() for c in candidates):
            stray.append(str(path.relative_to(ROOT)))
    assert stray == []
