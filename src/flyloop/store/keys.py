"""API keys: scoped per project and per right, stored only as a hash of their secret."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.store import tables as schema

if TYPE_CHECKING:
    from flyloop.store.engine import Store

SCOPES = ("ingest", "read", "admin")


@dataclass(frozen=True)
class ApiKey:
    id: str
    project_id: str
    name: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        # admin implies read and ingest: one key can run the whole project.
        return scope in self.scopes or "admin" in self.scopes


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(store: Store, project_id: str, scopes: Sequence[str], name: str = "") -> tuple[ApiKey, str]:
    """A new key; returns it with its secret, which is never stored and never shown again."""
    bad = sorted(set(scopes) - set(SCOPES))
    if bad or not scopes:
        raise errors.ValidationError(
            f"scopes must be some of {', '.join(SCOPES)}; got {', '.join(scopes) or 'none'}", field="scopes"
        )
    store.ensure_project(project_id)
    key_id = secrets.token_hex(6)
    key_name = name or key_id
    secret = f"fl_{key_id}_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    row = {
        "id": key_id,
        "project_id": project_id,
        "name": key_name,
        "secret_hash": hash_secret(secret),
        "scopes": ",".join(sorted(set(scopes))),
        "created_at": time.time(),
    }
    with store.write() as conn:
        conn.execute(sa.insert(schema.api_keys), [row])
    return ApiKey(key_id, project_id, key_name, frozenset(scopes)), secret


def find_key(store: Store, secret: str) -> ApiKey | None:
    """The live key with this secret, or None."""
    t = schema.api_keys
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.secret_hash == hash_secret(secret), t.c.revoked_at.is_(None))).first()
    if row is None:
        return None
    return ApiKey(row.id, row.project_id, row.name, frozenset(row.scopes.split(",")))


def list_keys(store: Store, project_id: str) -> list[dict[str, Any]]:
    t = schema.api_keys
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t.c.id, t.c.name, t.c.scopes, t.c.created_at, t.c.revoked_at)
            .where(t.c.project_id == project_id)
            .order_by(t.c.created_at)
        )
        return [dict(r._mapping) for r in rows]


def revoke_key(store: Store, project_id: str, key_id: str) -> None:
    t = schema.api_keys
    with store.write() as conn:
        done = conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == key_id, t.c.revoked_at.is_(None))
            .values(revoked_at=time.time())
        )
        if done.rowcount == 0:
            raise errors.NotFound(f"no live key {key_id!r} in project {project_id!r}")
