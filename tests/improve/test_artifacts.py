"""Artifacts (flyloop.improve.artifacts): written whole or not at all, named by their content,
swept when the process that staged them died, tainted with the dataset version they came from."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from test_loops import P, math_project

from flyloop import datasets, errors
from flyloop.capture import Capture
from flyloop.improve import artifacts
from flyloop.improve.artifacts import commit, folder_of, get_artifact, list_artifacts, staging, taint_artifact


def _staged_files(folder: Path) -> None:
    (folder / "weights.bin").write_bytes(b"\x00\x01\x02")
    (folder / "sub").mkdir()
    (folder / "sub" / "config.json").write_text('{"rank": 4}')


def test_a_committed_artifact_is_a_folder_a_manifest_and_a_row(capture: Capture) -> None:
    dataset, _ = math_project(capture)
    with staging("adapter", capture.settings) as stage:
        _staged_files(stage.folder)
        art = commit(
            capture.store,
            P,
            stage,
            workload="math",
            manifest={"base_model": "smollm2", "config": {"rank": 4}},
            dataset_version=dataset,
            run_id="lr_1",
            settings=capture.settings,
        )
    identity = orjson.dumps(
        {
            "kind": "adapter",
            "workload": "math",
            "dataset_version": dataset,
            "files": [
                {"name": "sub/config.json", "bytes": 11, "sha256": hashlib.sha256(b'{"rank": 4}').hexdigest()},
                {"name": "weights.bin", "bytes": 3, "sha256": hashlib.sha256(b"\x00\x01\x02").hexdigest()},
            ],
        },
        option=orjson.OPT_SORT_KEYS,
    )
    assert art.id == "ad_" + hashlib.sha256(identity).hexdigest()[:16]
    folder = folder_of(art.id, capture.settings)
    assert art.path == str(folder) and sorted(p.name for p in folder.iterdir()) == [
        "manifest.json",
        "sub",
        "weights.bin",
    ]
    on_disk = orjson.loads((folder / "manifest.json").read_bytes())
    assert on_disk == art.manifest
    assert {k: on_disk[k] for k in ("id", "kind", "workload", "dataset_version", "run", "base_model", "config")} == {
        "id": art.id,
        "kind": "adapter",
        "workload": "math",
        "dataset_version": dataset,
        "run": "lr_1",
        "base_model": "smollm2",
        "config": {"rank": 4},
    }
    assert on_disk["code_version"].startswith("0.1.0")
    assert (art.kind, art.dataset_version, art.run_id, art.tainted, art.taint_reason) == (
        "adapter",
        dataset,
        "lr_1",
        False,
        None,
    )
    assert art.size_bytes == 14 + len((folder / "manifest.json").read_bytes())
    assert artifacts.load_manifest(art.id, capture.settings) == on_disk
    assert [a.id for a in list_artifacts(capture.store, P)] == [art.id]
    assert list_artifacts(capture.store, P, kind="head") == [] and list_artifacts(capture.store, P, workload="x") == []
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".staging-")]

    # The same files from the same data are the same artifact: committed again, the stored one.
    with staging("adapter", capture.settings) as again:
        _staged_files(again.folder)
        same = commit(
            capture.store, P, again, workload="math", manifest={}, dataset_version=dataset, settings=capture.settings
        )
    assert same == art and len(list_artifacts(capture.store, P)) == 1
    assert sorted(p.name for p in folder.parent.iterdir()) == [art.id]  # the staged copy went


def test_a_failed_or_interrupted_body_leaves_nothing(capture: Capture) -> None:
    math_project(capture)
    base = artifacts.root(capture.settings)
    for raised in (RuntimeError("the trainer broke"), KeyboardInterrupt(), errors.Cancelled("asked to stop")):
        with pytest.raises(type(raised)), staging("head", capture.settings) as stage:
            _staged_files(stage.folder)
            raise raised
    assert list(base.iterdir()) == [] and list_artifacts(capture.store, P) == []
    # Staged but never committed: nothing either.
    with staging("reward", capture.settings) as stage:
        _staged_files(stage.folder)
    assert list(base.iterdir()) == []
    with pytest.raises(errors.ValidationError) as empty, staging("embedder", capture.settings) as stage:
        commit(capture.store, P, stage, workload="math", manifest={}, settings=capture.settings)
    assert (empty.value.field, empty.value.message) == ("files", "an artifact needs at least one file")


def test_a_staging_folder_of_a_killed_process_is_swept(capture: Capture) -> None:
    base = artifacts.root(capture.settings)
    base.mkdir(parents=True)
    # A process that staged a folder and was killed (SIGKILL: no finally ran).
    script = (
        "import os, sys\n"
        "from flyloop.improve.artifacts import staging\n"
        "from flyloop.settings import Settings\n"
        "with staging('adapter', Settings(home=sys.argv[1])) as stage:\n"
        "    (stage.folder / 'half.bin').write_bytes(b'x')\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, capture.settings.home], check=False)
    assert killed.returncode == -9
    (left,) = list(base.iterdir())
    assert left.name.startswith(".staging-adapter-") and (left / "half.bin").exists()
    # An artifact folder no row names (killed between the rename and the row), old enough.
    orphan = base / "hd_0123456789abcdef"
    orphan.mkdir()
    (orphan / "w.npz").write_bytes(b"x")
    os.utime(orphan, (0, 0))
    assert sorted(artifacts.sweep(capture.settings, capture.store)) == sorted([left.name, orphan.name])
    assert list(base.iterdir()) == []
    # Another live process's staging folder is left alone.
    mine = base / f".staging-head-{os.getppid()}-abcd1234"
    mine.mkdir()
    assert artifacts.sweep(capture.settings) == [] and mine.exists()


def test_an_artifact_is_tainted_with_its_dataset_version_or_by_a_person(capture: Capture) -> None:
    dataset, _ = math_project(capture)
    with staging("reward", capture.settings) as stage:
        (stage.folder / "model.npz").write_bytes(b"w")
        art = commit(
            capture.store, P, stage, workload="math", manifest={}, dataset_version=dataset, settings=capture.settings
        )
    datasets.taint(capture.store, P, dataset, "user7 asked for erasure")
    found = get_artifact(capture.store, P, art.id, settings=capture.settings)
    assert found.tainted and found.taint_reason is not None
    assert found.taint_reason.startswith(f"its dataset version {dataset} is tainted: ")
    assert found.taint_reason.endswith("user7 asked for erasure")
    assert list_artifacts(capture.store, P)[0].taint_reason == found.taint_reason
    marked = taint_artifact(capture.store, P, art.id, "trained with a bad label map", settings=capture.settings)
    assert marked.taint_reason is not None and marked.taint_reason.count(";") == 1
    assert "trained with a bad label map" in marked.taint_reason
    with pytest.raises(errors.ValidationError) as no_reason:
        taint_artifact(capture.store, P, art.id, " ")
    assert no_reason.value.field == "reason"


def test_bad_references_are_refused_naming_the_field(capture: Capture) -> None:
    for bad in ("ad_123", "xx_0123456789abcdef", "../etc", ""):
        with pytest.raises(errors.ValidationError) as caught:
            get_artifact(capture.store, P, bad)
        assert caught.value.field == "artifact"
    with pytest.raises(errors.NotFound) as missing:
        get_artifact(capture.store, P, "ad_0123456789abcdef")
    assert missing.value.field == "artifact"
    with pytest.raises(errors.NotFound) as no_folder:
        artifacts.load_manifest("ad_0123456789abcdef", capture.settings)
    assert "trained with another FLYLOOP_HOME?" in no_folder.value.message
    with pytest.raises(errors.ValidationError) as kind:
        list_artifacts(capture.store, P, kind="model")
    assert kind.value.field == "kind"
    with pytest.raises(errors.ValidationError):
        with staging("model", capture.settings):
            pass
