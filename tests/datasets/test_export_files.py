"""Export files on disk (flyloop.datasets.export_files): recorded when written, rewritten or deleted
when a user in them is erased."""

from __future__ import annotations

from pathlib import Path

import orjson
import sqlalchemy as sa

from flyloop import audit_log, erase_user, pseudonym
from flyloop.privacy.pseudonyms import pseudonyms


def _world_with_datasets(store, settings):
    from collections import Counter

    from flyloop import Flywheel, datasets
    from flyloop.testing import Simulation

    with Flywheel(store=store, settings=settings) as fw:
        truth = Simulation(fw, users=12, seed=5, workload="math-help").run(240)
        assert fw.flush()
        project = fw.project
    version = datasets.build(store, project, "all", {"workloads": ["math-help"]})
    raw_of = {stored: raw for raw, stored in pseudonyms(store, project, set(truth.user_of.values())).items()}
    held = Counter(
        raw_of[ex["user_id"]] for kind in ("sft", "kto") for ex in datasets.examples(store, project, version.id, kind)
    )
    return project, version, held.most_common(1)[0][0]  # the user with the most examples


def _rows(path: Path) -> list:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_erasure_rewrites_every_recorded_export_file(store, settings, tmp_path):
    from flyloop.datasets import exports
    from flyloop.store.tables import dataset_examples, dataset_members, export_files

    project, version, user = _world_with_datasets(store, settings)
    stored_id = pseudonym(store, project, user)
    written = []
    for target, fmt in (("sft", "jsonl"), ("sft", "parquet"), ("kto", "jsonl"), ("openai", "jsonl")):
        written.append(exports.export(store, project, version.id, target, tmp_path / f"{target}-{fmt}", fmt=fmt))
    exports.export(
        store, project, version.id, "sft", tmp_path / "sft-jsonl", fmt="jsonl", overwrite=True
    )  # the same paths again
    with store.engine.connect() as conn:
        recorded = (
            conn.execute(sa.select(export_files.c.path).where(export_files.c.project_id == project)).scalars().all()
        )
        theirs = conn.execute(
            sa.select(dataset_examples.c.kind, dataset_examples.c.split).where(
                dataset_examples.c.project_id == project,
                dataset_examples.c.dataset_id == version.id,
                dataset_examples.c.user_id == stored_id,
            )
        ).all()
        their_ids = set(
            conn.execute(
                sa.select(dataset_members.c.interaction_id).where(
                    dataset_members.c.project_id == project, dataset_members.c.user_id == stored_id
                )
            ).scalars()
        )
    files = [Path(f).resolve() for result in written for f in result.files]
    manifests = [Path(result.manifest).resolve() for result in written]
    assert sorted(recorded) == sorted(map(str, files + manifests))  # one row per file, re-exports included
    expected = {}
    for result, path in ((r, Path(f).resolve()) for r in written for f in r.files):
        split = path.stem.split("-", 1)[1]
        expected[path] = sum(1 for kind, s in theirs if kind == exports.KIND_OF[result.target] and s == split)
    assert sum(expected.values()) >= 4 and their_ids  # the user is in every file kind: the test means something
    before = {path: _rows(path) for path in files}
    missing = [path for path in files if expected[path]][-1]
    missing.unlink()  # moved away by someone: reported, not an error

    report = erase_user(store, project, user)

    assert report["verified"] is True
    actions = {Path(r["path"]): (r["action"], r["rows_removed"]) for r in report["export_files"]}
    assert actions[missing] == ("missing", 0)
    for path in (
        path for path in files if path != missing
    ):  # a user is in one split: the files of the other split are left alone
        assert actions.get(path, ("untouched", 0)) == ("rewritten" if expected[path] else "untouched", expected[path])
        after = _rows(path)
        assert len(after) == len(before[path]) - expected[path]
        assert all(row in before[path] for row in after)
    for path in manifests:
        assert actions[path] == ("rewritten", 0)
        lineage = orjson.loads(path.read_bytes())["lineage"]
        assert lineage["interaction_ids"] and not set(lineage["interaction_ids"]) & their_ids
    assert not list(tmp_path.rglob("*.erasing"))
    audit = audit_log(store, project, action="users.erase")[0]["details"]["export_files"]
    assert audit == {"missing": 1, "rewritten": sum(1 for path in files if expected[path]) - 1 + len(manifests)}
    # The next erasure no longer knows the missing file; the others are recorded still.
    assert [r["action"] for r in erase_user(store, project, "nobody")["export_files"]] == []


def test_an_export_file_that_cannot_be_read_is_deleted(store, settings, tmp_path):
    from flyloop.datasets import exports

    project, version, user = _world_with_datasets(store, settings)
    result = exports.export(store, project, version.id, "sft", tmp_path / "out")
    for path in result.files:  # splits are per user: break every file, the user's among them
        Path(path).write_bytes(b"this is not JSON lines\n")
    report = erase_user(store, project, user)
    data = [r for r in report["export_files"] if not r["path"].endswith("manifest.json")]
    assert [(r["action"], r["reason"]) for r in data] == [("deleted", "could not be rewritten: JSONDecodeError")]
    assert not Path(data[0]["path"]).exists() and report["verified"] is True
