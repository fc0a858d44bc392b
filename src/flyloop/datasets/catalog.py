"""The stored dataset versions, read: the :class:`DatasetVersion` type, finding a version by id,
prefix or name (:func:`get`), listing them, a manifest for people (:func:`show`,
:func:`summarize`), a version's examples and lineage, and what changed between two (:func:`diff`).

These reads write nothing. Building and storing a version is :mod:`flyloop.datasets.versions`';
tainting and purging on erasure :mod:`flyloop.datasets.tainting`'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.store import Store, schema


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
