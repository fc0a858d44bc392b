"""Erasure ("right to be forgotten"): remove everything a user left, synchronously, verifiably.

``erase_user(store, project, raw_user_id)`` (``flyloop users erase``, ``POST /v1/users/erase``)
looks the user up by pseudonym (and by raw id, for rows stored before pseudonymization), then:

1. calls every :func:`flyloop.privacy.on_erase` hook with the interaction ids, while the rows
   still exist (dataset builders mark the versions that hold them tainted); a hook that raises
   stops the erasure before anything is deleted;
2. in one transaction deletes the user's interactions; every signal on those interactions,
   whoever gave it (a rating or correction of an erased output quotes or describes it, and would
   be an orphan about content that is gone); every signal the user gave on anyone's interaction;
   outcomes attached to the erased interactions, and join-key outcomes no remaining interaction
   shares; the user's consent history; the feedback-token uses of those interactions; and the
   rows of any other table that names those interactions (``interaction_id``) or the user
   (``user_id``, ``actor``) by convention, such as labels;
3. writes tombstones (keyed digests of the raw id and of the interaction ids, not the pseudonym)
   so events still in flight from SDK queues and spools are dropped at ingest for the grace
   period (setting ``erasure_grace_s``), after which retention removes them;
4. scans every table of the project for the raw id and the pseudonym (exact matches in string
   columns, quoted matches inside JSON) and reports ``verified``; a failed check raises.

The audit row says that an erasure happened and how many rows of each kind went, never whose.
Aggregates computed from the erased rows (counts in a report written earlier) are not rewritten.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from . import audit, errors, schema
from .privacy import erase_hooks
from .pseudonyms import current_secret, keyed_digest, pseudonym, user_columns
from .store import Store

DEFAULT_GRACE_S = 7 * 86400.0
_CHUNK = 900
# Tables erase_user handles by name; any other table is swept by its column names.
_HANDLED = {"interactions", "signals", "outcomes", "consents", "feedback_token_uses", "erasure_tombstones", "audit_log",
            "project_secrets", "privacy_policies", "privacy_drops", "projects", "api_keys", "workloads"}


def _chunks(items: list[str]):
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def erase_user(store: Store, project_id: str, user_id: str, *, actor: str = "library",
               grace_s: float = DEFAULT_GRACE_S, verify: bool = True) -> dict[str, Any]:
    """Erase the user with raw id ``user_id`` from the project; returns what was removed."""
    if not isinstance(user_id, str) or not user_id:
        raise errors.ValidationError("a user id must be a non-empty string", field="user_id")
    stored = pseudonym(store, project_id, user_id)
    names = [stored, user_id]
    i, s, o = schema.interactions, schema.signals, schema.outcomes
    with store.read() as conn:
        found = conn.execute(sa.select(i.c.id, i.c.join_key).where(i.c.project_id == project_id, i.c.user_id.in_(names))).all()
    interaction_ids = sorted(r.id for r in found)
    join_keys = sorted({r.join_key for r in found if r.join_key})

    report: dict[str, Any] = {"interactions": 0, "signals": 0, "outcomes": 0, "consents": 0, "token_uses": 0, "other": {}}
    for hook in erase_hooks():
        extra = hook(store, project_id, stored, list(interaction_ids))
        if extra:
            report.update(extra)

    now = time.time()
    _, tomb_key = current_secret(store, project_id, "tombstone")
    with store.write() as conn:
        for chunk in _chunks(interaction_ids):
            report["signals"] += conn.execute(sa.delete(s).where(s.c.project_id == project_id, s.c.interaction_id.in_(chunk))).rowcount
            report["outcomes"] += conn.execute(sa.delete(o).where(o.c.project_id == project_id, o.c.interaction_id.in_(chunk))).rowcount
            report["token_uses"] += conn.execute(sa.delete(schema.feedback_token_uses).where(
                schema.feedback_token_uses.c.project_id == project_id,
                schema.feedback_token_uses.c.interaction_id.in_(chunk))).rowcount
        report["signals"] += conn.execute(sa.delete(s).where(s.c.project_id == project_id, s.c.actor.in_(names))).rowcount
        for chunk in _chunks(join_keys):
            shared = sa.exists().where(i.c.project_id == project_id, i.c.join_key == o.c.join_key, i.c.user_id.not_in(names))
            report["outcomes"] += conn.execute(sa.delete(o).where(o.c.project_id == project_id, o.c.join_key.in_(chunk),
                                                                  ~shared)).rowcount
        for chunk in _chunks(interaction_ids):
            report["interactions"] += conn.execute(sa.delete(i).where(i.c.project_id == project_id, i.c.id.in_(chunk))).rowcount
        c = schema.consents
        report["consents"] = conn.execute(sa.delete(c).where(c.c.project_id == project_id, c.c.user_id.in_(names))).rowcount
        for table in schema.metadata.sorted_tables:
            if table.name in _HANDLED or "project_id" not in table.c:
                continue
            removed = 0
            if "interaction_id" in table.c:
                for chunk in _chunks(interaction_ids):
                    removed += conn.execute(sa.delete(table).where(table.c.project_id == project_id,
                                                                   table.c.interaction_id.in_(chunk))).rowcount
            for name in ("user_id", "actor"):
                if name in table.c:
                    removed += conn.execute(sa.delete(table).where(table.c.project_id == project_id,
                                                                   table.c[name].in_(names))).rowcount
            if removed:
                report["other"][str(table.name)] = removed
        tombstones = [keyed_digest(tomb_key, f"user:{user_id}")] + [keyed_digest(tomb_key, f"interaction:{x}") for x in interaction_ids]
        if grace_s > 0:
            conn.execute(store.insert(schema.erasure_tombstones),
                         [{"project_id": project_id, "digest": d, "erased_at": now, "expires_at": now + grace_s} for d in tombstones])
    if verify:
        leftovers = remaining_traces(store, project_id, user_id)
        if leftovers:
            raise errors.Conflict(f"erasure left traces in {', '.join(leftovers)}; run it again", tables=leftovers)
        report["verified"] = True
    counts = {k: v for k, v in report.items() if isinstance(v, (int, dict)) and k != "verified"}
    report["audit_id"] = audit.record(store, project_id, "users.erase", actor=actor, details={"removed": counts})
    return report


def remaining_traces(store: Store, project_id: str, user_id: str) -> list[str]:
    """Tables of the project that still hold the raw id or the pseudonym (exact matches in
    string columns, quoted matches in JSON columns)."""
    stored = pseudonym(store, project_id, user_id)
    names = [stored, user_id]
    found = []
    with store.read() as conn:
        for table in schema.metadata.sorted_tables:
            if "project_id" not in table.c or table.name == "project_secrets":
                continue
            conditions = []
            for column in table.c:
                if column.name == "project_id":
                    continue
                if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Text):
                    conditions.append(column.in_(names))
                elif isinstance(column.type, (sa.JSON, sa.Text)):
                    text = sa.cast(column, sa.Text)
                    conditions.extend(text.contains(f'"{n}"', autoescape=True) for n in names)
            if conditions and conn.execute(sa.select(sa.literal(1)).select_from(table)
                                           .where(table.c.project_id == project_id, sa.or_(*conditions)).limit(1)).first():
                found.append(table.name)
    return found


def user_tables() -> list[str]:
    """Tables erasure sweeps by convention, for the documentation and the tests."""
    return sorted({t.name for t, _ in user_columns()} | {t.name for t in schema.metadata.sorted_tables
                                                         if "interaction_id" in t.c and "project_id" in t.c})
