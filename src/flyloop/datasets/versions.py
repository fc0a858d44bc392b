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
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from itertools import chain
from typing import Any

import orjson
import pydantic
import sqlalchemy as sa

from flyloop import errors, labels
from flyloop.curation import CurationConfig, Progress, collector
from flyloop.curation import curate_examples as curate
from flyloop.events import translate
from flyloop.store import Store, bulk_insert, schema
from flyloop.version import __version__

FORMAT_VERSION = "1"
CODE_VERSION = f"flyloop {__version__}; dataset format {FORMAT_VERSION}"
_CHUNK = 900  # ids per IN (...) list: under SQLite's bound-parameter limit on any build


@dataclass(frozen=True)
class DatasetVersion:
    id: str
    name: str
    parent_id: str | None
    created_at: float
    code_version: str
    config: dict[str, Any]
    manifest: dict[str, Any]
    counts: dict[str, dict[str, int]]
    tainted_at: float | None
    taint_reason: str | None

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def tainted(self) -> bool:
        return self.tainted_at is not None

    @property
    def names(self) -> list[str]:
        """Every name the version answers to: the one it was first built under, and each other
        name a build with the same content was asked for."""
        return sorted({self.name, *(self.manifest.get("names") or {})})

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "names": self.names,
            "parent_id": self.parent_id,
            "created_at": self.created_at,
            "code_version": self.code_version,
            "counts": self.counts,
            "tainted": self.tainted,
            "tainted_at": self.tainted_at,
            "taint_reason": self.taint_reason,
        }


def _version(row: Any) -> DatasetVersion:
    return DatasetVersion(
        row.id,
        row.name,
        row.parent_id,
        row.created_at,
        row.code_version,
        row.config or {},
        row.manifest or {},
        row.counts or {},
        row.tainted_at,
        row.taint_reason,
    )


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


def _by_name(conn: sa.Connection, project_id: str, name: str) -> Any:
    """The row a name means: of the versions built (or asked for again) under it, the latest."""
    t = schema.dataset_versions
    best: tuple[tuple[float, float], Any] | None = None
    for row in conn.execute(sa.select(t).where(t.c.project_id == project_id)):
        names = (row.manifest or {}).get("names") or {}
        if row.name == name or name in names:
            when = (float(names.get(name, row.created_at)), row.created_at)
            if best is None or when > best[0]:
                best = (when, row)
    return best[1] if best is not None else None


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


def list_versions(store: Store, project_id: str, name: str | None = None) -> list[DatasetVersion]:
    """The project's versions, newest first (of one name, if given)."""
    t = schema.dataset_versions
    query = sa.select(t).where(t.c.project_id == project_id)
    with store.read() as conn:
        versions = [_version(r) for r in conn.execute(query.order_by(t.c.created_at.desc(), t.c.id))]
    return versions if name is None else [v for v in versions if name in v.names]


def get(store: Store, project_id: str, ref: str) -> DatasetVersion:
    """A version by full id, by a unique id prefix (6+ characters), or by name (its newest)."""
    t = schema.dataset_versions
    if not ref:
        raise errors.ValidationError("name a dataset version by id, id prefix or name", field="ref")
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.id == ref)).first()
        if row is None and len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref):
            rows = conn.execute(
                sa.select(t).where(t.c.project_id == project_id, t.c.id.startswith(ref, autoescape=True)).limit(2)
            ).all()
            if len(rows) > 1:
                raise errors.ValidationError(
                    f"{ref!r} is the prefix of several versions; give more of the id", field="ref"
                )
            row = rows[0] if rows else None
        if row is None:
            row = _by_name(conn, project_id, ref)
    if row is None:
        raise errors.NotFound(f"no dataset version {ref!r} in project {project_id!r}")
    return _version(row)


def show(store: Store, project_id: str, ref: str) -> dict[str, Any]:
    """The version's manifest, with its taint state."""
    version = get(store, project_id, ref)
    return {
        **version.manifest,
        "tainted": version.tainted,
        "tainted_at": version.tainted_at,
        "taint_reason": version.taint_reason,
    }


def summarize(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """A manifest as (what, value) lines for people: the CLI and the demo print these."""
    from datetime import datetime

    def n(value: Any) -> str:
        return f"{value:,}" if isinstance(value, int) else str(value)

    src, consent = manifest.get("sources", {}), manifest.get("consent", {})
    created = manifest.get("created_at")
    lines = [
        ("id", str(manifest.get("id"))),
        ("name", ", ".join(sorted({str(manifest.get("name")), *(manifest.get("names") or {})}))),
        ("parent", str(manifest.get("parent_id") or "none")),
        ("created", datetime.fromtimestamp(created, UTC).isoformat(timespec="seconds") if created else "?"),
        ("code", str(manifest.get("code_version"))),
        (
            "sources",
            f"{n(src.get('interactions'))} interactions in scope, {n(src.get('consented'))} usable under consent, "
            f"{n(src.get('labelled'))} labelled, {n(src.get('signals'))} signals; examples come from "
            f"{n(src.get('source_interactions'))} interactions and {n(src.get('source_signals'))} signals",
        ),
        (
            "consent",
            f"{consent.get('users_refused', 0):,} of {consent.get('users_checked', 0):,} users refused; "
            + (
                ", ".join(f"{k}: {v:,}" for k, v in consent.get("interactions_refused", {}).items())
                or "no interaction refused"
            ),
        ),
    ]
    for kind, splits in sorted(manifest.get("counts", {}).items()):
        lines.append((f"examples: {kind}", ", ".join(f"{s} {c:,}" for s, c in sorted(splits.items()))))
    removed = []
    for rule, entry in manifest.get("filters", {}).items():
        total = sum(entry.get("removed", {}).values())
        if total:
            removed.append(f"{rule} {total:,}")
    lines.append(("filters removed", ", ".join(removed) or "nothing"))
    dedup = manifest.get("dedup", {}).get("removed", {})
    lines.append(
        (
            "duplicates removed",
            ", ".join(
                f"{k} {v.get('exact', 0):,} exact + {v.get('near', 0):,} near"
                for k, v in sorted(dedup.items())
                if sum(v.values())
            )
            or "none",
        )
    )
    integ = manifest.get("integrity", {})
    lines.append(
        (
            "integrity",
            f"{integ.get('raters', 0):,} raters; {integ.get('adversarial', 0):,} adversarial, "
            f"{integ.get('habitual', 0):,} habitual; {integ.get('quarantined_signals', 0):,} signals quarantined",
        )
    )
    splits = manifest.get("splits", {})
    dropped = splits.get("dropped", {})
    by_time = sum(n for why, n in dropped.items() if why.startswith("outside_time_window"))
    cut = splits.get("cutoff")
    when = datetime.fromtimestamp(cut, UTC).isoformat(timespec="minutes") if cut is not None else None
    lines.append(
        (
            "splits",
            ", ".join(
                f"{s} {c:,} ({splits.get('groups', {}).get(s, 0):,} users)" for s, c in splits.get("counts", {}).items()
            )
            + (f"; train before {when}, eval from then on ({by_time:,} dropped outside their window)" if when else "")
            + f"; {sum(dropped.values()) - by_time:,} near-duplicates dropped to keep them apart"
            + (
                f"; not split by time: {splits['time_split']['reason']}"
                if (splits.get("time_split") or {}).get("reason") and splits["config"].get("time_aware")
                else ""
            ),
        )
    )
    segments = manifest.get("segments", {})
    for seg, cov in segments.get("coverage", {}).items() if segments.get("keys") else ():
        lines.append(
            (
                f"segment {seg}",
                f"usage {cov['usage_share']:.1%}, feedback coverage {cov['feedback_coverage']:.1%}, "
                f"examples {cov['example_share']:.1%}",
            )
        )
    if manifest.get("tainted"):
        lines.append(("TAINTED", str(manifest.get("taint_reason"))))
    return lines


def examples(
    store: Store, project_id: str, ref: str, kind: str, splits: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The stored examples of one kind (and splits), in a stable order."""
    version = get(store, project_id, ref)
    t = schema.dataset_examples
    query = sa.select(t).where(t.c.project_id == project_id, t.c.dataset_id == version.id, t.c.kind == kind)
    if splits is not None:
        query = query.where(t.c.split.in_(list(splits)))
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.split, t.c.id)).all()
    return [dict(r._mapping) for r in rows]


def lineage(store: Store, project_id: str, ref: str) -> dict[str, Any]:
    """The full id lists behind a version: source interactions, signals, quarantined signals."""
    version = get(store, project_id, ref)
    m, e, q = schema.dataset_members, schema.dataset_examples, schema.dataset_quarantine
    with store.read() as conn:
        interactions = list(
            conn.execute(
                sa.select(m.c.interaction_id)
                .where(m.c.project_id == project_id, m.c.dataset_id == version.id)
                .order_by(m.c.interaction_id)
            ).scalars()
        )
        signal_ids = sorted(
            {
                sid
                for ids in conn.execute(
                    sa.select(e.c.signal_ids).where(e.c.project_id == project_id, e.c.dataset_id == version.id)
                ).scalars()
                for sid in ids or ()
            }
        )
        quarantined = [
            {"signal_id": r.signal_id, "reason": r.reason}
            for r in conn.execute(
                sa.select(q.c.signal_id, q.c.reason)
                .where(q.c.project_id == project_id, q.c.dataset_id == version.id)
                .order_by(q.c.signal_id)
            )
        ]
    return {"interaction_ids": interactions, "signal_ids": signal_ids, "quarantined": quarantined}


def diff(store: Store, project_id: str, a: str, b: str) -> dict[str, Any]:
    """What changed from version ``a`` to ``b``: examples added, removed and moved between
    splits per kind; source interactions added and removed; configuration and filter changes."""
    va, vb = get(store, project_id, a), get(store, project_id, b)
    e, m = schema.dataset_examples, schema.dataset_members
    with store.read() as conn:

        def rows(v: DatasetVersion) -> dict[tuple[str, str], str]:
            return {
                (r.kind, r.id): r.split
                for r in conn.execute(
                    sa.select(e.c.kind, e.c.id, e.c.split).where(e.c.project_id == project_id, e.c.dataset_id == v.id)
                )
            }

        def sources(v: DatasetVersion) -> set[str]:
            return set(
                conn.execute(
                    sa.select(m.c.interaction_id).where(m.c.project_id == project_id, m.c.dataset_id == v.id)
                ).scalars()
            )

        ea, eb, sa_, sb = rows(va), rows(vb), sources(va), sources(vb)
    kinds = sorted({k for k, _ in ea} | {k for k, _ in eb})
    per_kind = {}
    for kind in kinds:
        ka = {i for k, i in ea if k == kind}
        kb = {i for k, i in eb if k == kind}
        per_kind[kind] = {
            "added": len(kb - ka),
            "removed": len(ka - kb),
            "unchanged": len(ka & kb),
            "moved_split": sum(1 for i in ka & kb if ea[(kind, i)] != eb[(kind, i)]),
        }
    config = _changes(va.config, vb.config)
    filters = {
        rule: {
            "a": va.manifest.get("filters", {}).get(rule, {}).get("removed", {}),
            "b": vb.manifest.get("filters", {}).get(rule, {}).get("removed", {}),
        }
        for rule in sorted(set(va.manifest.get("filters", {})) | set(vb.manifest.get("filters", {})))
    }
    return {
        "a": va.as_dict(),
        "b": vb.as_dict(),
        "examples": per_kind,
        "sources": {"added": len(sb - sa_), "removed": len(sa_ - sb), "unchanged": len(sa_ & sb)},
        "config": config,
        "filters": {k: v for k, v in filters.items() if v["a"] != v["b"]},
    }


def _changes(a: Any, b: Any, path: str = "") -> dict[str, Any]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: dict[str, Any] = {}
        for key in sorted(set(a) | set(b)):
            out.update(_changes(a.get(key), b.get(key), f"{path}.{key}" if path else key))
        return out
    return {} if a == b else {path: {"a": a, "b": b}}


def taint(store: Store, project_id: str, ref: str, reason: str) -> DatasetVersion:
    """Mark a version as not fit for use (exports refuse it unless forced); the reason is kept."""
    if not reason or not reason.strip():
        raise errors.ValidationError("say why the version is tainted", field="reason")
    version = get(store, project_id, ref)
    _mark(store, project_id, [version.id], reason.strip())
    return get(store, project_id, version.id)


def _mark(store: Store, project_id: str, ids: Sequence[str], reason: str, conn: sa.Connection | None = None) -> None:
    t = schema.dataset_versions
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))

    def run(c: sa.Connection) -> None:
        for vid in ids:
            old = c.execute(sa.select(t.c.taint_reason).where(t.c.project_id == project_id, t.c.id == vid)).scalar()
            text = f"{old}; {stamp} {reason}" if old else f"{stamp} {reason}"
            c.execute(
                sa.update(t)
                .where(t.c.project_id == project_id, t.c.id == vid)
                .values(tainted_at=sa.func.coalesce(t.c.tainted_at, now), taint_reason=text)
            )

    if conn is not None:
        run(conn)
    else:
        with store.write() as c:
            run(c)


def rebuild(store: Store, project_id: str, ref: str, *, progress: Progress | None = None) -> DatasetVersion:
    """A new version from a version's name and configuration, on the data as it is now (without
    whatever was erased since); its parent is the version it rebuilds."""
    version = get(store, project_id, ref)
    return build(store, project_id, version.name, version.config, parent=version.id, progress=progress)


def _purge(
    store: Store, project_id: str, stored_user_id: str | None, interaction_ids: Sequence[str], why: str
) -> dict[str, Any]:
    """Taint every version holding these interactions (or this user's), and purge their rows
    (examples, source records, quarantine entries) from every version, in one transaction."""
    e, m, q = schema.dataset_examples, schema.dataset_members, schema.dataset_quarantine
    ids = sorted(set(interaction_ids))
    tainted: set[str] = set()
    purged = 0
    with store.write() as conn:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            tainted.update(
                conn.execute(
                    sa.select(m.c.dataset_id)
                    .distinct()
                    .where(m.c.project_id == project_id, m.c.interaction_id.in_(chunk))
                ).scalars()
            )
            purged += (
                conn.execute(sa.delete(e).where(e.c.project_id == project_id, e.c.interaction_id.in_(chunk))).rowcount
                or 0
            )
            conn.execute(sa.delete(m).where(m.c.project_id == project_id, m.c.interaction_id.in_(chunk)))
        if stored_user_id is not None:
            tainted.update(
                conn.execute(
                    sa.select(m.c.dataset_id)
                    .distinct()
                    .where(m.c.project_id == project_id, m.c.user_id == stored_user_id)
                ).scalars()
            )
            purged += (
                conn.execute(sa.delete(e).where(e.c.project_id == project_id, e.c.user_id == stored_user_id)).rowcount
                or 0
            )
            conn.execute(sa.delete(m).where(m.c.project_id == project_id, m.c.user_id == stored_user_id))
            conn.execute(sa.delete(q).where(q.c.project_id == project_id, q.c.actor == stored_user_id))
            # Examples on others' interactions built from this user's signals (a reviewer's
            # correction as the completion) hold the user's content too.
            for row in citing(conn, project_id, stored_user_id):
                tainted.add(row["dataset_id"])
                purged += (
                    conn.execute(
                        sa.delete(e).where(
                            e.c.project_id == project_id, e.c.dataset_id == row["dataset_id"], e.c.id == row["id"]
                        )
                    ).rowcount
                    or 0
                )
            # A manifest names raters by pseudonym (integrity.raters_flagged): the user leaves it.
            v = schema.dataset_versions
            for version_row in conn.execute(
                sa.select(v.c.id, v.c.manifest).where(
                    v.c.project_id == project_id,
                    sa.cast(v.c.manifest, sa.Text).contains(stored_user_id, autoescape=True),
                )
            ):
                conn.execute(
                    sa.update(v)
                    .where(v.c.project_id == project_id, v.c.id == version_row.id)
                    .values(manifest=_without_user(version_row.manifest, stored_user_id))
                )
                tainted.add(version_row.id)
        if tainted:
            _mark(
                store,
                project_id,
                sorted(tainted),
                f"{why} ({len(ids)} interactions, {purged} examples purged); rebuild this version",
                conn,
            )
    return {"tainted_datasets": sorted(tainted), "purged_examples": purged}


def _without_user(value: Any, stored_user_id: str) -> Any:
    """``value`` (a manifest) without the user: an object naming them in a list is dropped (a
    flagged rater's entry), any other mention of the pseudonym becomes ``"<erased>"``."""
    if isinstance(value, dict):
        return {k: _without_user(v, stored_user_id) for k, v in value.items()}
    if isinstance(value, list):
        return [
            _without_user(item, stored_user_id)
            for item in value
            if not (isinstance(item, dict) and stored_user_id in item.values())
        ]
    if isinstance(value, str) and stored_user_id in value:
        return value.replace(stored_user_id, "<erased>")
    return value


def citing(conn: sa.Connection, project_id: str, actor: str) -> list[dict[str, Any]]:
    """Stored examples, in any version, whose source signals include one given by ``actor``."""
    s, e = schema.signals, schema.dataset_examples
    given = {
        r.id: r.interaction_id
        for r in conn.execute(
            sa.select(s.c.id, s.c.interaction_id).where(s.c.project_id == project_id, s.c.actor == actor)
        )
    }
    targets = sorted(set(given.values()))
    out = []
    for start in range(0, len(targets), _CHUNK):
        for row in conn.execute(
            sa.select(e).where(e.c.project_id == project_id, e.c.interaction_id.in_(targets[start : start + _CHUNK]))
        ):
            if given.keys() & set(row.signal_ids or ()):
                out.append(dict(row._mapping))
    return out


def on_erase(
    store: Store, project_id: str, stored_user_id: str | None, interaction_ids: Sequence[str]
) -> dict[str, Any]:
    """Erasure hook: the erased user's rows leave every version, and those versions are tainted."""
    return _purge(store, project_id, stored_user_id, interaction_ids, "erasure: a user's data was removed")


def on_content_removed(store: Store, project_id: str, interaction_ids: list[str], reason: str) -> None:
    """Content hook: when consent ('no_content') or retention removes the words of interactions,
    the copies a version holds go too. A dataset is a copy of content, not a way around the
    policy; the tainted version can be rebuilt from what remains."""
    _purge(store, project_id, None, interaction_ids, f"{reason}: source content was removed")
