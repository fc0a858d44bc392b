"""What may happen to a stored dataset version: it is tainted, by a person (:func:`taint`) or when
a user's data is erased or content removed (the hooks :func:`on_erase` and
:func:`on_content_removed`), which purge the erased rows from every version at once.

A tainted version is refused by exports unless forced; :func:`flyloop.datasets.versions.rebuild`
makes a new one without the erased data. :func:`citing` finds examples built from one actor's
signals on others' interactions (export files reach them too).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.datasets.catalog import DatasetVersion, get
from flyloop.store import Store, schema

_CHUNK = 900  # ids per IN (...) list: under SQLite's bound-parameter limit on any build


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
