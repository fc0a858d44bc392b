"""Dataset versions: immutable, content-hashed snapshots of curated examples, with lineage.

``build`` runs :func:`flyloop.curation.curate.curate` and stores the result as a version whose id is the
SHA-256 of everything that determines it: the code version, the configuration, and every
example (content, split, weight, source signals) and quarantined signal. The same inputs give the
same id, so building twice stores one version; anything that changes the data changes the id.

The manifest says where the data came from (how many interactions and signals, with digests of
their id lists; the lists themselves are in ``dataset_members`` and the examples' ``signal_ids``,
and an export writes them out in full), what every filter removed, what dedup, integrity, splits
and segment balancing did, the consent check, the configuration, the code version and the
parent version (the previous version of the same name, or the one it was rebuilt from).

A version is never edited. Two things may happen to it: it is **tainted** (a user whose data it
holds was erased, or a person marked it), which purges the erased user's rows at once and makes
exports refuse it unless forced; and it is **rebuilt**, giving a new version from the same
configuration without the erased data, whose parent is the tainted one.

This module builds and stores versions (:func:`build`, :func:`rebuild`, :func:`parse_config`);
reading them (get, list, show, examples, lineage, diff) is :mod:`flyloop.datasets.catalog`'s, and
tainting and purging them :mod:`flyloop.datasets.tainting`'s.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from itertools import chain
from typing import Any

import orjson
import pydantic
import sqlalchemy as sa

from flyloop import errors, labels
from flyloop.curation import CurationConfig, Progress, collector
from flyloop.curation import curate_examples as curate
from flyloop.datasets.catalog import DatasetVersion, _by_name, _version, get
from flyloop.events import translate
from flyloop.store import Store, bulk_insert, schema
from flyloop.version import __version__

FORMAT_VERSION = "1"
CODE_VERSION = f"flyloop {__version__}; dataset format {FORMAT_VERSION}"


def parse_config(config: CurationConfig | dict[str, Any] | None) -> CurationConfig:
    """A configuration from a model, a dict (JSON/TOML file) or None (defaults); a broken rule
    is a :class:`flyloop.errors.ValidationError` naming the field."""
    if isinstance(config, CurationConfig):
        return config
    try:
        return CurationConfig.model_validate(config or {})
    except pydantic.ValidationError as exc:
        raise translate(exc) from None


def _sha(parts: Iterator[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
        h.update(b"\n")
    return h.hexdigest()


def build(
    store: Store,
    project_id: str,
    name: str = "default",
    config: CurationConfig | dict[str, Any] | None = None,
    *,
    parent: str | None = None,
    progress: Progress | None = None,
) -> DatasetVersion:
    """Curate and store a dataset version; returns the existing version when one with the same
    content hash is already stored, which from then on answers to ``name`` too (its newest)."""
    if not name or len(name) > 200:
        raise errors.ValidationError("a dataset name is 1 to 200 characters", field="name")
    if "/" in name or name in (".", ".."):  # one segment of /v1/datasets/{ref}: else the API could not reach it
        raise errors.ValidationError(f"a dataset name may not be '.' or '..' or hold '/', not {name!r}", field="name")
    conf = parse_config(config)
    parent_version = get(store, project_id, parent) if parent else None
    labels.catch_up(store, project_id)  # build on every signal stored so far, not on a lagging label
    with collector.paused():
        return _build(store, project_id, name, conf, parent_version, progress)


def _build(
    store: Store,
    project_id: str,
    name: str,
    conf: CurationConfig,
    parent_version: DatasetVersion | None,
    progress: Progress | None,
) -> DatasetVersion:
    curated = curate(store, project_id, conf, progress=progress)
    examples = sorted(curated.examples, key=lambda ex: (ex.kind, ex.id))
    members: dict[str, str | None] = {}
    signal_ids: set[str] = set()
    for ex in examples:
        for iid in ex.interaction_ids:
            members[iid] = ex.user_id
        signal_ids.update(ex.signal_ids)
    config_json = conf.model_dump(mode="json")
    # Streamed into the hash, never held: each orjson output keeps a buffer far larger than
    # itself, so a list of them briefly took a gigabyte on a million-interaction build.
    version_id = _sha(
        chain(
            (CODE_VERSION.encode(), orjson.dumps(config_json, option=orjson.OPT_SORT_KEYS)),
            (orjson.dumps([ex.kind, ex.id, ex.split, round(ex.weight, 6), sorted(ex.signal_ids)]) for ex in examples),
            (orjson.dumps(list(q)) for q in curated.quarantine),
        )
    )
    with store.read() as conn:
        existing = conn.execute(
            sa.select(schema.dataset_versions).where(
                schema.dataset_versions.c.project_id == project_id, schema.dataset_versions.c.id == version_id
            )
        ).first()
        if existing is None:
            newest = _by_name(conn, project_id, name) if parent_version is None else None
            latest = parent_version.id if parent_version is not None else newest.id if newest is not None else None
    if existing is not None:
        return _answer_to(store, project_id, _version(existing), name)
    counts: dict[str, dict[str, int]] = {}
    for ex in examples:
        counts.setdefault(ex.kind, {}).setdefault(ex.split, 0)
        counts[ex.kind][ex.split] += 1
    now = time.time()
    report = curated.report
    manifest = {
        "id": version_id,
        "name": name,
        "names": {name: now},
        "parent_id": latest,
        "code_version": CODE_VERSION,
        "created_at": now,
        "config": config_json,
        "counts": counts,
        "sources": {
            **report["scope"],
            "source_interactions": len(members),
            "source_signals": len(signal_ids),
            "interaction_ids_sha256": _sha(i.encode() for i in sorted(members)),
            "signal_ids_sha256": _sha(s.encode() for s in sorted(signal_ids)),
        },
        "consent": {**report["consent"], "checked_at": now},
        **{
            k: report[k]
            for k in ("verdicts", "funnel", "filters", "dedup", "integrity", "splits", "segments", "timings_s")
        },
    }
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.dataset_versions),
            [
                {
                    "project_id": project_id,
                    "id": version_id,
                    "name": name,
                    "parent_id": latest,
                    "created_at": now,
                    "code_version": CODE_VERSION,
                    "config": config_json,
                    "manifest": manifest,
                    "counts": counts,
                }
            ],
        )
        # The store's bulk insert takes JSON columns as text.
        json = _json_text
        bulk_insert(
            conn,
            schema.dataset_examples,
            _EXAMPLE_COLUMNS,
            (
                (
                    project_id,
                    version_id,
                    ex.id,
                    ex.kind,
                    ex.split,
                    ex.workload,
                    ex.interaction_id,
                    json(list(ex.interaction_ids)),
                    ex.user_id,
                    json(ex.prompt),
                    ex.completion,
                    ex.chosen,
                    ex.rejected,
                    ex.label,
                    ex.weight,
                    ex.quality,
                    ex.source,
                    ex.segment,
                    json(list(ex.signal_ids)),
                    ex.ts,
                )
                for ex in examples
            ),
        )
        bulk_insert(
            conn,
            schema.dataset_members,
            ("project_id", "dataset_id", "interaction_id", "user_id"),
            ((project_id, version_id, iid, uid) for iid, uid in sorted(members.items())),
        )
        bulk_insert(
            conn,
            schema.dataset_quarantine,
            ("project_id", "dataset_id", "signal_id", "actor", "reason"),
            ((project_id, version_id, sid, actor, why[:2000]) for sid, actor, why in curated.quarantine),
        )
    return get(store, project_id, version_id)


def _answer_to(store: Store, project_id: str, version: DatasetVersion, name: str) -> DatasetVersion:
    """``version``, now answering to ``name`` as its newest: a build asked for ``name`` gave
    this content, so ``name`` must find it (the content hash, not the name, identifies it)."""
    t = schema.dataset_versions
    manifest = {**version.manifest, "names": {**(version.manifest.get("names") or {}), name: time.time()}}
    with store.write() as conn:
        conn.execute(sa.update(t).where(t.c.project_id == project_id, t.c.id == version.id).values(manifest=manifest))
    return get(store, project_id, version.id)


_EXAMPLE_COLUMNS = (
    "project_id",
    "dataset_id",
    "id",
    "kind",
    "split",
    "workload",
    "interaction_id",
    "interaction_ids",
    "user_id",
    "prompt",
    "completion",
    "chosen",
    "rejected",
    "label",
    "weight",
    "quality",
    "source",
    "segment",
    "signal_ids",
    "ts",
)


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def rebuild(store: Store, project_id: str, ref: str, *, progress: Progress | None = None) -> DatasetVersion:
    """A new version from a version's name and configuration, on the data as it is now (without
    whatever was erased since); its parent is the version it rebuilds."""
    version = get(store, project_id, ref)
    return build(store, project_id, version.name, version.config, parent=version.id, progress=progress)
