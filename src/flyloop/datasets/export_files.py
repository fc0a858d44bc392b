"""Export files on disk: recorded when written, rewritten when a user in them is erased.

An export (:func:`flyloop.datasets.exports.export`) copies examples out of the database into JSONL or
Parquet files and a ``manifest.json``; each file is recorded in ``export_files`` with how its rows
were formatted. Erasure then finds every recorded file of a dataset version that held the erased
user's examples, formats those examples the same way, and rewrites the file without the rows
that match (atomically: a temporary file beside it, then ``os.replace``). The manifest loses the
user's interaction and signal ids and its row counts are corrected. A file that can no longer be
read (edited by hand, Parquet without pyarrow) is deleted instead; a file that is gone is
reported as missing and forgotten. Files copied elsewhere after the export are out of reach:
the report lists the paths so an operator can follow them.

Matching is by the formatted row, so of two identical rows from two users one is removed: the
copy left is indistinguishable from the other user's.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from flyloop.extras import require
from flyloop.store import Store, schema

_CHUNK = 900


def record_export(
    store: Store,
    project_id: str,
    version_id: str,
    result: Any,
    *,
    fmt: str,
    style: str,
    sft_format: str,
    system: str | None,
    weights: bool,
) -> None:
    """Record the files an export wrote (an :class:`flyloop.datasets.exports.ExportResult`); the export
    writer calls this once the files are in place."""
    options = {"style": style, "sft_format": sft_format, "system": system, "weights": weights}
    now = time.time()
    rows = [
        {
            "project_id": project_id,
            "path": str(Path(path).resolve()),
            "dataset_id": version_id,
            "target": result.target,
            "format": fmt,
            "split": split,
            "options": options,
            "written_at": now,
        }
        for split, path in zip(result.rows, result.files)
    ]
    if result.manifest:
        rows.append(
            {
                "project_id": project_id,
                "path": str(Path(result.manifest).resolve()),
                "dataset_id": version_id,
                "target": result.target,
                "format": "manifest",
                "split": None,
                "options": options,
                "written_at": now,
            }
        )
    t = schema.export_files
    with store.write() as conn:
        for row in rows:  # a second export to the same path replaces the first: one row per file
            conn.execute(sa.delete(t).where(t.c.project_id == project_id, t.c.path == row["path"]))
        conn.execute(sa.insert(t), rows)


def plan(store: Store, project_id: str, stored_user_id: str, interaction_ids: list[str]) -> list[dict[str, Any]]:
    """Read, before anything is deleted, what each recorded file of the user's dataset versions
    must lose: [{"path", "format", "rows": [formatted rows], "interaction_ids", "signal_ids"}]."""
    from flyloop.datasets.exports import KIND_OF, format_row
    from flyloop.datasets.tainting import citing

    e, f = schema.dataset_examples, schema.export_files
    erased = set(interaction_ids)
    with store.read() as conn:
        versions = set(conn.execute(sa.select(f.c.dataset_id).distinct().where(f.c.project_id == project_id)).scalars())
        if not versions:
            return []
        # The user's examples as the dataset hook purges them: by user, by interaction, by their signals.
        in_versions = (e.c.project_id == project_id) & e.c.dataset_id.in_(sorted(versions))
        examples = {
            (r.dataset_id, r.id): dict(r._mapping)
            for r in conn.execute(sa.select(e).where(in_versions, e.c.user_id == stored_user_id))
        }
        ids = sorted(erased)
        for start in range(0, len(ids), _CHUNK):
            examples.update(
                {
                    (r.dataset_id, r.id): dict(r._mapping)
                    for r in conn.execute(
                        sa.select(e).where(in_versions, e.c.interaction_id.in_(ids[start : start + _CHUNK]))
                    )
                }
            )
        examples.update(
            {
                (r["dataset_id"], r["id"]): r
                for r in citing(conn, project_id, stored_user_id)
                if r["dataset_id"] in versions
            }
        )
        files = conn.execute(sa.select(f).where(f.c.project_id == project_id).order_by(f.c.path)).all()
    theirs: dict[str, list[dict[str, Any]]] = {}
    for (dataset_id, _), ex in sorted(examples.items()):
        theirs.setdefault(dataset_id, []).append(ex)
    out = []
    for file in files:
        mine = theirs.get(file.dataset_id)
        if not mine:
            continue
        options = file.options
        entry: dict[str, Any] = {"path": file.path, "format": file.format, "rows": []}
        if file.format == "manifest":
            entry["interaction_ids"] = sorted(
                {i for ex in mine for i in (ex["interaction_ids"] or ())}
                | {ex["interaction_id"] for ex in mine}
                | (erased & _members(store, project_id, file.dataset_id, erased))
            )
            entry["signal_ids"] = sorted({s for ex in mine for s in ex["signal_ids"] or ()})
            entry["removed_per_split"] = dict(
                Counter(ex["split"] for ex in mine if ex["kind"] == KIND_OF.get(file.target))
            )
        else:
            for ex in mine:
                if ex["kind"] != KIND_OF.get(file.target) or ex["split"] != file.split:
                    continue
                try:
                    row = format_row(
                        file.target,
                        ex,
                        conversational=options["style"] == "conversational",
                        sft_format=options["sft_format"],
                        system=options["system"],
                    )
                except Exception:  # a row the export could not have written either
                    continue
                if options.get("weights"):
                    row["weight"] = ex["weight"]
                entry["rows"].append(row)
            if not entry["rows"]:
                continue
        out.append(entry)
    return out


def _members(store: Store, project_id: str, dataset_id: str, erased: set[str]) -> set[str]:
    m = schema.dataset_members
    ids = sorted(erased)
    found: set[str] = set()
    with store.read() as conn:
        for start in range(0, len(ids), _CHUNK):
            found.update(
                conn.execute(
                    sa.select(m.c.interaction_id).where(
                        m.c.project_id == project_id,
                        m.c.dataset_id == dataset_id,
                        m.c.interaction_id.in_(ids[start : start + _CHUNK]),
                    )
                ).scalars()
            )
    return found


def apply(store: Store, project_id: str, planned: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rewrite (or delete) each planned file; returns [{"path", "action", "rows_removed"}] with
    action 'rewritten', 'deleted', 'missing' or 'failed' (with the error)."""
    report = []
    for entry in planned:
        path = Path(entry["path"])
        done: dict[str, Any] = {"path": str(path), "action": "rewritten", "rows_removed": 0}
        if not path.exists():
            done["action"] = "missing"
            _forget(store, project_id, str(path))
        else:
            try:
                if entry["format"] == "manifest":
                    _rewrite_manifest(path, entry)
                else:
                    done["rows_removed"] = _rewrite_rows(path, entry["format"], entry["rows"])
            except Exception as exc:  # unreadable or not writable as it was: the copy must still go
                try:
                    path.unlink()
                    done["action"] = "deleted"
                    done["reason"] = f"could not be rewritten: {type(exc).__name__}"
                    _forget(store, project_id, str(path))
                except OSError as gone:
                    done.update(action="failed", error=f"{type(gone).__name__}: {gone}")
        report.append(done)
    return report


def _forget(store: Store, project_id: str, path: str) -> None:
    t = schema.export_files
    with store.write() as conn:
        conn.execute(sa.delete(t).where(t.c.project_id == project_id, t.c.path == path))


def _key(row: Any) -> bytes:
    return orjson.dumps(row, option=orjson.OPT_SORT_KEYS)


def _without(rows: list[Any], remove: list[dict[str, Any]]) -> list[Any]:
    left = Counter(_key(r) for r in remove)
    kept = []
    for row in rows:
        key = _key(row)
        if left[key] > 0:
            left[key] -= 1
            continue
        kept.append(row)
    return kept


def _rewrite_rows(path: Path, fmt: str, remove: list[dict[str, Any]]) -> int:
    if fmt == "jsonl":
        rows = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
        kept = _without(rows, remove)
        if len(kept) != len(rows):
            _replace(path, b"".join(orjson.dumps(r) + b"\n" for r in kept))
        return len(rows) - len(kept)
    if fmt != "parquet":
        raise ValueError(f"unknown export format {fmt!r}")
    pa = require("pyarrow", "exports", "Parquet")
    pq = require("pyarrow.parquet", "exports", "Parquet")

    table = pq.read_table(path)
    rows = table.to_pylist()
    kept = _without(rows, remove)
    if len(kept) != len(rows):
        tmp = path.with_name(path.name + ".erasing")
        pq.write_table(pa.Table.from_pylist(kept, schema=table.schema), tmp)
        _sync_replace(tmp, path)
    return len(rows) - len(kept)


def _rewrite_manifest(path: Path, entry: dict[str, Any]) -> None:
    manifest = orjson.loads(path.read_bytes())
    lineage = manifest.get("lineage") or {}
    gone_ids, gone_signals = set(entry["interaction_ids"]), set(entry["signal_ids"])
    if "interaction_ids" in lineage:
        lineage["interaction_ids"] = [i for i in lineage["interaction_ids"] if i not in gone_ids]
    if "signal_ids" in lineage:
        lineage["signal_ids"] = [s for s in lineage["signal_ids"] if s not in gone_signals]
    if "quarantined" in lineage:
        lineage["quarantined"] = [q for q in lineage["quarantined"] if q.get("signal_id") not in gone_signals]
    rows = (manifest.get("export") or {}).get("rows")
    if isinstance(rows, dict):
        for split, n in entry["removed_per_split"].items():
            if split in rows:
                rows[split] = max(0, rows[split] - n)
    manifest["erasures"] = manifest.get("erasures", 0) + 1
    _replace(path, orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".erasing")
    with tmp.open("wb") as fh:
        fh.write(data)
    _sync_replace(tmp, path)


def _sync_replace(tmp: Path, path: Path) -> None:
    # fsync before the rename: after a crash the file is either the old copy or the new one,
    # never an empty one that lost the other users' rows too.
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
