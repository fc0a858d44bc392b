"""Reading dataset versions (flyloop.datasets.catalog): by id, prefix or name, listed, shown and diffed."""

from __future__ import annotations

import pytest

from conftest import seed
from flyloop import datasets, errors

PROJECT = "acme"
CONFIG = {"balance": {"keys": ["plan"]}}


def test_same_inputs_same_hash_and_lineage_across_versions(store, capture):
    seed(capture)
    first = datasets.build(store, PROJECT, "math", CONFIG)
    again = datasets.build(store, PROJECT, "math", CONFIG)
    assert again.id == first.id and len(datasets.list_versions(store, PROJECT)) == 1
    other = datasets.build(store, PROJECT, "math", {**CONFIG, "kinds": ["sft"]})
    assert other.id != first.id and other.parent_id == first.id
    assert datasets.get(store, PROJECT, "math").id == other.id  # a name means its newest version
    assert datasets.get(store, PROJECT, first.id[:10]).id == first.id  # a unique prefix works
    change = datasets.diff(store, PROJECT, first.id, other.id)
    assert change["examples"]["sft"] == {"added": 0, "removed": 0, "unchanged": 24, "moved_split": 0}
    assert change["examples"]["kto"]["removed"] == 32 and change["examples"]["kto"]["added"] == 0
    assert change["config"]["kinds"]["b"] == ["sft"]


def test_project_isolation(store, capture):
    seed(capture)
    version = datasets.build(store, PROJECT, "math", CONFIG)
    with pytest.raises(errors.NotFound):
        datasets.get(store, "other", version.id)
    assert datasets.list_versions(store, "other") == []


def test_a_name_finds_the_version_its_build_answered_with(store, capture, api):
    seed(capture)
    first = datasets.build(store, PROJECT, "math", CONFIG)
    same = datasets.build(store, PROJECT, "math-v2", CONFIG)  # the same content: the same version
    assert same.id == first.id and same.names == ["math", "math-v2"]
    assert datasets.get(store, PROJECT, "math-v2").id == first.id
    assert datasets.show(store, PROJECT, "math-v2")["id"] == first.id
    assert [v.id for v in datasets.list_versions(store, PROJECT, "math-v2")] == [first.id]
    # A name means the version its latest build answered with.
    other = datasets.build(store, PROJECT, "other", {**CONFIG, "kinds": ["sft"]})
    assert datasets.build(store, PROJECT, "math", {**CONFIG, "kinds": ["sft"]}).id == other.id
    assert datasets.get(store, PROJECT, "math").id == other.id
    built = api.post("/v1/datasets", scopes=("admin",), json={"name": "via-api", "config": CONFIG})
    assert built.status_code == 200 and built.json()["id"] == first.id and "via-api" in built.json()["names"]
    assert api.get("/v1/datasets/via-api").json()["id"] == first.id
