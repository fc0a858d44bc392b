"""Erasure ("right to be forgotten"): remove everything a user left, synchronously, verifiably.

``erase_user(store, project, raw_user_id)`` (``flyloop users erase``, ``POST /v1/users/erase``)
looks the user up by pseudonym (and by raw id, for rows stored before pseudonymization), then:

1. reads which recorded export files hold the user's examples and runs every erase step of the
   copies later stages keep (:mod:`flyloop.privacy.derived`, the one list of them) with the
   interaction ids, while the rows still exist (dataset versions that hold them are tainted); a
   step that raises stops the erasure before anything is deleted;
2. in one transaction deletes the user's interactions; every signal on those interactions,
   whoever gave it (a rating or correction of an erased output quotes or describes it, and would
   be an orphan about content that is gone); every signal the user gave on anyone's interaction;
   outcomes attached to the erased interactions, and join-key outcomes no remaining interaction
   shares; the user's consent history; the feedback-token uses of those interactions; and the
   rows of any other table that names those interactions (``interaction_id``) or the user
   (``user_id``, ``actor``) by convention, such as labels; others' interactions the user rated
   or corrected are marked for their labels to be derived again without the user's signals,
   which happens as soon as the deletion committed (:func:`flyloop.privacy.derived.relabel`);
3. writes tombstones (keyed digests of the raw id and of the interaction ids, not the pseudonym)
   so events still in flight from SDK queues and spools are dropped at ingest for the grace
   period (setting ``erasure_grace_s``), after which retention removes them;
4. reaches the copies on disk: the SDK's spool folder through the ``spool`` step a surface passes
   (the SDK client and the CLI know the folder and pass :func:`flyloop.sdk.spool.spool_eraser`,
   which removes the user's events from the spool, the journal and ``rejected.jsonl``; a server
   does not, since spools live beside the apps); and every recorded export file, rewritten
   without the user's rows (or deleted, or reported missing). On a SQLite file the WAL is checkpointed, so with
   ``secure_delete`` (set on every connection) the erased bytes are zeroed on disk;
5. verifies the user's own traces are gone: no row names the user in a user column (``user_id``,
   ``actor``: pseudonym or raw id), no row names one of their interactions (``interaction_id``),
   and the pseudonym appears nowhere. A raw id that merely equals some other stored string (a
   workload, a verdict, another user's ``policy_version``) is not a trace. A failed check raises.

The audit row says that an erasure happened and how many rows of each kind and how many files
went, never whose. Aggregates computed from the erased rows (counts in a report written earlier)
are not rewritten. PostgreSQL keeps deleted bytes in table files and WAL until they are
rewritten: :func:`compact` (``flyloop privacy compact``) rewrites them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.privacy import audit, derived
from flyloop.privacy.pseudonyms import PSEUDONYM, current_secret, keyed_digest, pseudonym, user_columns
from flyloop.settings import Settings
from flyloop.store import Store, schema

DEFAULT_GRACE_S = 7 * 86400.0
_CHUNK = 900
# Tables erase_user handles by name; any other table is swept by its column names.
_HANDLED = {
    "interactions",
    "signals",
    "outcomes",
    "consents",
    "feedback_token_uses",
    "erasure_tombstones",
    "audit_log",
    "project_secrets",
    "privacy_policies",
    "privacy_drops",
    "projects",
    "api_keys",
    "workloads",
    "export_files",
}


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def erase_user(
    store: Store,
    project_id: str,
    user_id: str,
    *,
    actor: str = "library",
    grace_s: float = DEFAULT_GRACE_S,
    verify: bool = True,
    spool: Callable[[str], dict[str, Any]] | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Erase the user with raw id ``user_id`` from the project; returns what was removed.
    ``spool``: the step that removes the user's events from the SDK's spool folder of this
    project on this machine (:func:`flyloop.sdk.spool.spool_eraser`), run once the store's part is
    committed, its counts reported under ``"spool"``; None where no spool is in reach (a server),
    which the report says (``"spool": null``)."""
    if not isinstance(user_id, str) or not user_id:
        raise errors.ValidationError("a user id must be a non-empty string", field="user_id")
    if PSEUDONYM.match(user_id):
        # The store keeps only pseudonyms, so a pseudonym given here would match, through the
        # raw-id fallback below, the rows of the user it belongs to: someone else than the raw
        # id it hashes, whose tombstones, consent and spool copies would then be the wrong ones.
        raise errors.ValidationError(
            f"{user_id!r} is a pseudonym, the form the store keeps; erasure takes the raw user id the app logged",
            field="user_id",
        )
    stored = pseudonym(store, project_id, user_id)
    names = [stored, user_id]  # the raw id too: rows stored before pseudonymization hold it
    i, s, o = schema.interactions, schema.signals, schema.outcomes
    with store.read() as conn:
        found = conn.execute(
            sa.select(i.c.id, i.c.join_key).where(i.c.project_id == project_id, i.c.user_id.in_(names))
        ).all()
    interaction_ids = sorted(r.id for r in found)
    join_keys = sorted({r.join_key for r in found if r.join_key})

    report: dict[str, Any] = {
        "interactions": 0,
        "signals": 0,
        "outcomes": 0,
        "consents": 0,
        "token_uses": 0,
        "other": {},
    }
    # What the export files must lose is read before the dataset hook purges the examples.
    files_planned = derived.plan_export_files(store, project_id, stored, interaction_ids)
    for step in derived.erase_steps():
        extra = step(store, project_id, stored, list(interaction_ids))
        if extra:
            report.update(extra)

    now = time.time()
    _, tomb_key = current_secret(store, project_id, "tombstone")
    with store.write() as conn:
        # ingests in flight commit first (their rows are deleted below); later ones see the tombstones
        store.erasure_lock(conn, project_id, shared=False)
        # Rows an ingest committed after the first look (the SDK's sender replaying a spooled batch
        # while the app erases its user) are the user's too: read again under the lock and erased.
        known = set(interaction_ids)
        late = [
            r
            for r in conn.execute(
                sa.select(i.c.id, i.c.join_key).where(i.c.project_id == project_id, i.c.user_id.in_(names))
            )
            if r.id not in known
        ]
        if late:
            interaction_ids = sorted({*interaction_ids, *(r.id for r in late)})
            join_keys = sorted({*join_keys, *(r.join_key for r in late if r.join_key)})
        for chunk in _chunks(interaction_ids):
            report["signals"] += conn.execute(
                sa.delete(s).where(s.c.project_id == project_id, s.c.interaction_id.in_(chunk))
            ).rowcount
            report["outcomes"] += conn.execute(
                sa.delete(o).where(o.c.project_id == project_id, o.c.interaction_id.in_(chunk))
            ).rowcount
            report["token_uses"] += conn.execute(
                sa.delete(schema.feedback_token_uses).where(
                    schema.feedback_token_uses.c.project_id == project_id,
                    schema.feedback_token_uses.c.interaction_id.in_(chunk),
                )
            ).rowcount
        # Others' interactions the user rated or corrected: their labels were derived from the
        # user's signals (a correction's text among them) and are derived again without them.
        theirs = (
            conn.execute(
                sa.delete(s).where(s.c.project_id == project_id, s.c.actor.in_(names)).returning(s.c.interaction_id)
            )
            .scalars()
            .all()
        )
        report["signals"] += len(theirs)
        touched = sorted(set(theirs) - set(interaction_ids))
        if touched:
            conn.execute(
                sa.insert(schema.outbox).values(
                    project_id=project_id, marked_at=now, entries=len(touched), refs={"touch": touched}
                )
            )
        for chunk in _chunks(join_keys):
            shared = sa.exists().where(
                i.c.project_id == project_id, i.c.join_key == o.c.join_key, i.c.user_id.not_in(names)
            )
            report["outcomes"] += conn.execute(
                sa.delete(o).where(o.c.project_id == project_id, o.c.join_key.in_(chunk), ~shared)
            ).rowcount
        for chunk in _chunks(interaction_ids):
            report["interactions"] += conn.execute(
                sa.delete(i).where(i.c.project_id == project_id, i.c.id.in_(chunk))
            ).rowcount
        c = schema.consents
        report["consents"] = conn.execute(
            sa.delete(c).where(c.c.project_id == project_id, c.c.user_id.in_(names))
        ).rowcount
        for table in schema.metadata.sorted_tables:
            if table.name in _HANDLED or "project_id" not in table.c:
                continue
            removed = 0
            if "interaction_id" in table.c:
                for chunk in _chunks(interaction_ids):
                    removed += conn.execute(
                        sa.delete(table).where(table.c.project_id == project_id, table.c.interaction_id.in_(chunk))
                    ).rowcount
            for name in ("user_id", "actor"):
                if name in table.c:
                    removed += conn.execute(
                        sa.delete(table).where(table.c.project_id == project_id, table.c[name].in_(names))
                    ).rowcount
            if removed:
                report["other"][str(table.name)] = removed
        tombstones = [keyed_digest(tomb_key, f"user:{user_id}")] + [
            keyed_digest(tomb_key, f"interaction:{x}") for x in interaction_ids
        ]
        if grace_s > 0:
            conn.execute(
                store.insert(schema.erasure_tombstones),
                [
                    {"project_id": project_id, "digest": d, "erased_at": now, "expires_at": now + grace_s}
                    for d in tombstones
                ],
            )
        if verify:
            # Checked before the commit: a failed check rolls every deletion back, so the ids of
            # the user's interactions stay known and running it again checks the same things.
            leftovers = _traces(conn, project_id, names, interaction_ids)
            if leftovers:
                raise errors.Conflict(
                    f"erasure would leave traces in {', '.join(leftovers)}; nothing was deleted", tables=leftovers
                )
            report["verified"] = True
    if touched:
        derived.relabel(store, project_id, settings=settings)
    report["spool"] = spool(user_id) if spool is not None else None
    report["export_files"] = derived.rewrite_export_files(store, project_id, files_planned)
    report["wal_checkpointed"] = store.checkpoint()
    counts = {
        k: v
        for k, v in report.items()
        if isinstance(v, (int, dict)) and not isinstance(v, bool) and k not in ("verified", "spool")
    }
    details = {
        "removed": counts,
        "spool": report["spool"],
        "export_files": dict(Counter(f["action"] for f in report["export_files"])),
    }
    report["audit_id"] = audit.record(store, project_id, "users.erase", actor=actor, details=details)
    return report


def remaining_traces(store: Store, project_id: str, user_id: str, interaction_ids: Iterable[str] = ()) -> list[str]:
    """Tables of the project that still hold a trace of the user: a row naming them in a user
    column (pseudonym or raw id), a row naming one of ``interaction_ids`` (their interactions,
    known to the caller from before the erasure), or the pseudonym anywhere (exact in string
    columns, inside text and JSON). The raw id elsewhere is no trace: it may be any word."""
    names = [pseudonym(store, project_id, user_id), user_id]
    with store.read() as conn:
        return _traces(conn, project_id, names, interaction_ids)


def _traces(conn: sa.Connection, project_id: str, names: list[str], interaction_ids: Iterable[str]) -> list[str]:
    """:func:`remaining_traces` on an open connection; ``names`` is [pseudonym, raw id]."""
    stored = names[0]
    ids = sorted(set(interaction_ids))
    users = {(t.name, c.name) for t, c in user_columns()}
    found = []
    for table in schema.metadata.sorted_tables:
        if "project_id" not in table.c or table.name == "project_secrets":
            continue
        conditions: list[sa.ColumnElement[bool]] = []
        for column in table.c:
            if column.name == "project_id":
                continue
            if (table.name, column.name) in users:
                conditions.append(column.in_(names))
            elif isinstance(column.type, (sa.JSON, sa.Text)):
                conditions.append(sa.cast(column, sa.Text).contains(stored, autoescape=True))
            elif isinstance(column.type, sa.String):
                conditions.append(column == stored)
        id_column = table.c.id if table.name == "interactions" else table.c.get("interaction_id")
        if id_column is not None:
            conditions.extend(id_column.in_(chunk) for chunk in _chunks(ids))
        if (
            conditions
            and conn.execute(
                sa.select(sa.literal(1))
                .select_from(table)
                .where(table.c.project_id == project_id, sa.or_(*conditions))
                .limit(1)
            ).first()
        ):
            found.append(table.name)
    return found


def compact(store: Store, project_id: str, *, actor: str = "library") -> dict[str, Any]:
    """Rewrite the store's files so deleted rows (erased users, expired events) leave the disk.

    PostgreSQL marks deleted rows dead and leaves their bytes in the table files until the pages
    are reused, and in WAL segments until they are recycled: ``VACUUM (FULL)`` rewrites each table
    that holds user data into new files (it locks each table while it runs: ingest waits), then a
    ``CHECKPOINT`` lets old WAL segments be recycled where the role may run it. Backups, WAL
    archives and replicas are beyond its reach. SQLite: ``VACUUM`` rebuilds the file without free
    pages, and a ``wal_checkpoint(TRUNCATE)`` empties the WAL. The whole store is compacted; the
    audit row goes to ``project_id``."""
    tables = [t for t in user_tables() if t in schema.metadata.tables]
    started = time.perf_counter()
    result = {**store.compact(tables), "seconds": round(time.perf_counter() - started, 3)}
    result["audit_id"] = audit.record(store, project_id, "privacy.compact", actor=actor, details=result)
    return result


def user_tables() -> list[str]:
    """Tables erasure sweeps by convention, for the documentation and the tests."""
    return sorted(
        {t.name for t, _ in user_columns()}
        | {t.name for t in schema.metadata.sorted_tables if "interaction_id" in t.c and "project_id" in t.c}
    )
