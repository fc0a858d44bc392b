"""Pseudonymous users: the store never holds a raw user id, only a keyed hash of it.

At ingest the privacy gate replaces ``user_id`` and every signal's ``actor`` with
``pseudonym(store, project, raw_id)``: ``"u_"`` and 32 hex digits of an HMAC-SHA256 under a key of
the project's own (kept in ``project_secrets``). The same user always gets the same pseudonym
within a project, so joins, per-user splits and consent still work, and two projects never share
one. Erasure and consent take the raw id and hash it the same way.

Rotation. ``rotate(store, project)`` adds a key version and re-keys every stored pseudonym in
one transaction: a pseudonym ``p`` becomes ``HMAC(new_key, p)``, which is exactly what hashing
the raw id through the whole key chain gives, so one user keeps one pseudonym and lookups by raw
id still find them. What rotation buys: pseudonyms that left the store before it (exports, logs,
dataset manifests) no longer match anything in it, and a leaked older key alone no longer links
raw ids to stored rows. Old key versions are kept because the chain needs them. Rows stored
before pseudonymization existed (raw ids) are pseudonymized by the same pass. Events ingested in
the milliseconds between a gate reading the keys and its commit can carry the previous chain:
rotate while ingest is quiet. Identifiers held in tables outside the known user columns (any
table with ``user_id`` or ``actor``) are re-keyed too; pseudonyms inside JSON are not.

The keys live in the database next to the data: a dump of the whole database lets its holder
test guesses of raw ids (say, email addresses) against the pseudonyms. Keep the database as
private as the raw ids would be; rotation does not change that.

Moving a project. ``export_keys(store, project)`` gives every key version of the project as hex,
oldest first per purpose; ``import_keys(other_store, project, keys)`` installs them in another
store before any data arrives there, so the same raw id gets the same pseudonym and lands in the
same split, tombstones still match and feedback tokens still verify. An import is refused when the
project already holds a key of a purpose given (keys are never replaced: that would orphan every
pseudonym made under them) or a key is not 64 hex digits. Both are audited; neither writes key
material to the audit log or into an error message. The same pair lets a benchmark or a test fix
the keys it starts from, so which users a split holds out is the same run after run.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import bindparam

from flyloop import errors
from flyloop.privacy import audit
from flyloop.store import Store, schema

PURPOSES = ("pseudonym", "redaction", "feedback", "tombstone", "split")
PSEUDONYM = re.compile(r"^u_[0-9a-f]{32}$")
KEY_HEX = re.compile(r"^[0-9a-fA-F]{64}$")  # a key as export_keys gives it: 32 bytes in hex


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise errors.ValidationError(f"purpose must be one of {', '.join(PURPOSES)}", field="purpose")
    return purpose


def secrets_of(store: Store, project_id: str, purpose: str, *, create: bool = True) -> list[tuple[int, bytes]]:
    """The project's key versions for ``purpose``, oldest first; the first is made on first use
    (unless ``create`` is False: checking a token from outside must never write)."""
    t = schema.project_secrets
    query = (
        sa.select(t.c.version, t.c.secret)
        .where(t.c.project_id == project_id, t.c.purpose == _purpose(purpose))
        .order_by(t.c.version)
    )
    with store.read() as conn:
        rows = conn.execute(query).all()
    if not rows and create:
        # Two processes may race to make the first key: the primary key lets one win, and both
        # read back the winner's.
        with store.write() as conn:
            conn.execute(
                store.insert(t),
                [
                    {
                        "project_id": project_id,
                        "purpose": purpose,
                        "version": 1,
                        "secret": secrets.token_hex(32),
                        "created_at": time.time(),
                    }
                ],
            )
        with store.read() as conn:
            rows = conn.execute(query).all()
    return [(r.version, bytes.fromhex(r.secret)) for r in rows]


def current_secret(store: Store, project_id: str, purpose: str) -> tuple[int, bytes]:
    """The newest key version for ``purpose`` and its bytes."""
    return secrets_of(store, project_id, purpose)[-1]


def latest_existing(store: Store, project_id: str, purpose: str) -> tuple[int, bytes] | None:
    """The newest key version for ``purpose`` if the project has one; never makes one."""
    keys = secrets_of(store, project_id, purpose, create=False)
    return keys[-1] if keys else None


def _step(key: bytes, value: str) -> str:
    return "u_" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _chain(keys: list[bytes], raw: str) -> str:
    value = raw
    for key in keys:
        value = _step(key, value)
    return value


def pseudonym(store: Store, project_id: str, raw_user_id: str) -> str:
    """The id the store holds for ``raw_user_id`` in this project."""
    if not isinstance(raw_user_id, str) or not raw_user_id:
        raise errors.ValidationError("a user id must be a non-empty string", field="user_id")
    keys = [k for _, k in secrets_of(store, project_id, "pseudonym")]
    return _chain(keys, raw_user_id)


def pseudonyms(store: Store, project_id: str, raw_user_ids: Iterable[str]) -> dict[str, str]:
    """``pseudonym`` for many ids with one read of the keys: {raw: stored}."""
    raws = {r for r in raw_user_ids if r}
    if not raws:
        return {}
    keys = [k for _, k in secrets_of(store, project_id, "pseudonym")]
    return {raw: _chain(keys, raw) for raw in raws}


def keyed_digest(key: bytes, value: str) -> str:
    """A hex HMAC-SHA256 of ``value``: for tombstones and hash-style redaction."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def user_columns() -> list[tuple[sa.Table, sa.Column]]:
    """Every (table, column) that names a user by convention: ``user_id``, ``actor`` or
    ``user_key`` (an experiment's assignment) in a table with a ``project_id``. Rotation re-keys
    them (so an assigned user keeps their arm) and erasure looks in them."""
    out = []
    for table in schema.metadata.sorted_tables:
        if "project_id" not in table.c or table.name == "audit_log":  # its actor is an operator, not a user
            continue
        for name in ("user_id", "actor", "user_key"):
            if name in table.c:
                out.append((table, table.c[name]))
    return out


def rotate(store: Store, project_id: str, purpose: str = "pseudonym") -> dict[str, int]:
    """Add a key version for ``purpose``. For 'pseudonym', re-key every stored user id in the
    same transaction (see the module docstring); for 'feedback', outstanding browser tokens stop
    working; for 'redaction', hash-style replacements made from now on differ from earlier ones."""
    keys = secrets_of(store, project_id, purpose)
    version = keys[-1][0] + 1
    new_key = secrets.token_bytes(32)
    rewritten = 0
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.project_secrets),
            [
                {
                    "project_id": project_id,
                    "purpose": purpose,
                    "version": version,
                    "secret": new_key.hex(),
                    "created_at": time.time(),
                }
            ],
        )
        if purpose == "pseudonym":
            old_keys = [k for _, k in keys]
            for table, column in user_columns():
                stored = (
                    conn.execute(
                        sa.select(column).distinct().where(table.c.project_id == project_id, column.is_not(None))
                    )
                    .scalars()
                    .all()
                )
                mapping = [
                    {"old": value, "new": _step(new_key, value if PSEUDONYM.match(value) else _chain(old_keys, value))}
                    for value in stored
                ]
                if mapping:
                    conn.execute(
                        sa.update(table)
                        .where(table.c.project_id == project_id, column == bindparam("old"))
                        .values({column.name: bindparam("new")}),
                        mapping,
                    )
                    rewritten += len(mapping)
    return {"version": version, "user_ids_rekeyed": rewritten}


def export_keys(store: Store, project_id: str, *, actor: str = "library") -> dict[str, list[str]]:
    """Every key version the project holds, by purpose, oldest first, each as 64 hex digits: what
    :func:`import_keys` takes. Purposes with no key yet are left out (none is made). The export is
    audited (which purposes, how many versions); the keys themselves are not."""
    t = schema.project_secrets
    out: dict[str, list[str]] = {}
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t.c.purpose, t.c.version, t.c.secret)
            .where(t.c.project_id == project_id)
            .order_by(t.c.purpose, t.c.version)
        ).all()
    for row in rows:
        out.setdefault(row.purpose, []).append(row.secret.lower())
    audit.record(
        store, project_id, "privacy.export_keys", actor=actor, details={"versions": {p: len(k) for p, k in out.items()}}
    )
    return out


def _checked_keys(keys: object) -> dict[str, list[str]]:
    """``keys`` as {purpose: [hex, ...]} after checking every field; never echoes a key."""
    if not isinstance(keys, dict) or not keys:
        raise errors.ValidationError(
            "keys must be a non-empty mapping of purpose to a list of hex keys, oldest first", field="keys"
        )
    out: dict[str, list[str]] = {}
    for purpose, versions in keys.items():
        if purpose not in PURPOSES:
            # The name is not echoed: a caller's mistake might have put a key where a purpose goes.
            raise errors.ValidationError(f"unknown purpose; purposes are {', '.join(PURPOSES)}", field="keys")
        field = f"keys.{purpose}"
        if not isinstance(versions, list | tuple) or not versions:
            raise errors.ValidationError("must be a non-empty list of hex keys, oldest first", field=field)
        for i, key in enumerate(versions):
            if not isinstance(key, str) or not KEY_HEX.match(key):
                raise errors.ValidationError("a key must be 64 hex digits (32 bytes)", field=f"{field}[{i}]")
        out[purpose] = [k.lower() for k in versions]
    return out


def import_keys(store: Store, project_id: str, keys: dict[str, list[str]], *, actor: str = "library") -> dict[str, int]:
    """Install ``keys`` ({purpose: [hex key, ...]}, oldest first, as :func:`export_keys` gives
    them) as the project's key versions 1, 2, ...: from then on the project pseudonymizes, splits,
    redacts and signs with them instead of keys of its own. Purposes not given keep making their
    own key on first use. All or nothing, in one transaction: refused (Conflict, naming the
    purpose) when the project already holds a key of a purpose given (import before any data
    arrives), and (ValidationError, naming the field) when a key is malformed. Audited, without
    the keys. Returns the number of versions installed by purpose."""
    checked = _checked_keys(keys)
    t = schema.project_secrets
    now = time.time()
    with store.write() as conn:
        held = set(
            conn.execute(
                sa.select(t.c.purpose).distinct().where(t.c.project_id == project_id, t.c.purpose.in_(list(checked)))
            ).scalars()
        )
        if held:
            first = sorted(held)[0]
            raise errors.Conflict(
                f"project {project_id!r} already has a {first} key; keys are imported before any data "
                "arrives and never replace stored ones (rotate instead)",
                field=f"keys.{first}",
            )
        conn.execute(
            sa.insert(t),
            [
                {"project_id": project_id, "purpose": purpose, "version": v, "secret": key, "created_at": now}
                for purpose, versions in checked.items()
                for v, key in enumerate(versions, start=1)
            ],
        )
        counts = {purpose: len(versions) for purpose, versions in checked.items()}
        audit.record_many(
            store,
            conn,
            [audit.row(project_id, "privacy.import_keys", actor=actor, details={"versions": counts})],
        )
    return counts
