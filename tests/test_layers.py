"""The layer contract in pyproject.toml covers every stage, and the faces contract catches an import
behind a face. `make lint` runs the contracts themselves (lint-imports); these tests keep the
contract file from silently falling behind the layout."""

from __future__ import annotations

import importlib
import importlib.util
import pathlib
import tomllib
from types import ModuleType
from typing import Any

import grimp

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "flyloop"
# The wheel's stages, earliest first (DESIGN.md): the layers contract must keep this order. The
# registry sits below the loops: policy versions are data that improve creates, evaluate judges and
# rollout serves, so each of them imports the registry, never the other way round.
WHEEL = ["events", "store", "privacy", "capture", "labels", "curation", "datasets"]
WHEEL += ["registry", "improve", "evaluate", "rollout", "monitor"]


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert config["root_package"] == "flyloop"
    return {contract["id"]: contract for contract in config["contracts"]}


def _layers() -> list[list[str]]:
    """The layers contract's layers, latest first, each a list of the stages it groups (an optional
    one, in parentheses, by its name)."""
    layers = _contracts()["layers"]["layers"]
    return [[name.strip().strip("()") for name in layer.replace(":", "|").split("|")] for layer in layers]


def _children() -> set[str]:
    """Every package and top-level module under src/flyloop."""
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    return packages | modules


def test_every_package_and_module_of_flyloop_is_placed_in_the_layers_contract():
    placed = [name for layer in _layers() for name in layer]
    assert len(placed) == len(set(placed))
    raw = [name.strip() for layer in _contracts()["layers"]["layers"] for name in layer.replace(":", "|").split("|")]
    optional = {name[1:-1] for name in raw if name.startswith("(")}
    assert _children() <= set(placed)
    assert set(placed) - _children() <= optional  # an optional layer may not exist yet
    contract = _contracts()["layers"]
    assert contract["type"] == "layers"
    assert contract["containers"] == ["flyloop"]
    assert contract["exhaustive"] is True  # lint-imports itself refuses an unplaced child


def test_the_layers_keep_the_wheels_order_with_surfaces_on_top_and_the_foundation_below():
    order = {name: depth for depth, layer in enumerate(reversed(_layers())) for name in layer}
    assert sorted(WHEEL, key=order.__getitem__) == WHEEL
    foundation = {"errors", "settings", "extras", "process", "version"}
    surfaces = {"sdk", "server", "cli", "worker", "testing"}
    assert max(order[name] for name in foundation) < order["events"]
    assert min(order[name] for name in surfaces) > order["monitor"]
    assert order["cli"] == max(order.values())


def test_the_only_declared_exception_is_privacy_reaching_the_stages_that_keep_copies():
    ignored = _contracts()["layers"].get("ignore_imports", [])
    assert all(rule.split(" -> ")[0] == "flyloop.privacy.derived" for rule in ignored)
    # labels (corrected text), datasets (versions, export files), improve (example banks), rollout
    # (experiment assignments)
    assert {rule.split(" -> ")[1] for rule in ignored} <= {
        "flyloop.labels",
        "flyloop.datasets",
        "flyloop.improve",
        "flyloop.rollout",
    }
    faces = _contracts()["faces"]
    assert faces["type"] == "faces"
    assert faces["containers"] == ["flyloop"]
    assert "ignore_imports" not in faces  # the exception goes through the faces too


def test_every_stage_package_has_a_face_whose_names_exist():
    for child in sorted(_children()):
        if not (PACKAGE / child / "__init__.py").exists():
            continue
        face = importlib.import_module(f"flyloop.{child}")
        assert face.__doc__ and face.__doc__.strip(), child
        assert isinstance(face.__all__, list), child
        assert [name for name in face.__all__ if not hasattr(face, name)] == [], child
        # A name that is also a module of the package reads, to import-linter, as that module.
        modules = {p.stem for p in (PACKAGE / child).glob("*.py")} | {p.name for p in (PACKAGE / child).glob("*/")}
        assert set(face.__all__) & modules == set(), child


def _faces_contract_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("faces_contract", ROOT / "scripts" / "faces_contract.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for name in ["app", "app.low", "app.low.inner", "app.high", "app.high.inner", "app.single"]:
        graph.add_module(name)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=3, line_contents=f"import {imported}")
    return graph


def _check(graph: grimp.ImportGraph, **options: Any) -> list[tuple[str, str]]:
    contract_class = _faces_contract_module().FacesContract
    contract = contract_class(
        name="faces", session_options={"root_packages": ["app"]}, contract_options={"containers": ["app"], **options}
    )
    check = contract.check(graph, verbose=False)
    found = [(breach["importer"], breach["imported"]) for breach in check.metadata["breaches"]]
    assert check.kept is (found == [])
    return found


def test_the_faces_contract_allows_faces_siblings_and_single_modules():
    graph = _graph(
        ("app.high.inner", "app.low"),  # another stage's face
        ("app.high.inner", "app.high"),  # its own face
        ("app.low", "app.low.inner"),  # a face importing its own module
        ("app.high.inner", "app.single"),  # a single-module stage is its own face
        ("app", "app.low"),  # the container imports faces
    )
    assert _check(graph) == []


def test_the_faces_contract_flags_a_module_behind_another_stages_face():
    graph = _graph(("app.high.inner", "app.low.inner"), ("app", "app.high.inner"), ("app.high", "app.low"))
    assert _check(graph) == [("app", "app.high.inner"), ("app.high.inner", "app.low.inner")]
    declared = {"ignore_imports": ["app.high.inner -> app.low.inner"]}
    assert _check(graph, **declared) == [("app", "app.high.inner")]
