"""The tables (flyloop.store.tables): project isolation is a property of the tables (every row
carries its project, every key and index starts with it), times are epoch seconds in doubles,
and JSON is JSONB on PostgreSQL. That the migrations build exactly these is in test_migrations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from flyloop.store import tables

# Keys that are not per project, each for a reason.
GLOBAL_KEYS = {
    "projects": ["id"],  # the project itself
    "api_keys": ["id"],  # a request names its key, not its project: the key says which project
    "outbox": ["seq"],  # one sequence over every project, so catch-up order is ingest order
}


def test_every_row_carries_its_project():
    for table in tables.metadata.sorted_tables:
        if table.name == "projects":
            continue
        assert "project_id" in table.c, table.name
        assert table.c.project_id.nullable is False, table.name


def test_every_key_and_index_starts_with_the_project():
    for table in tables.metadata.sorted_tables:
        key = [c.name for c in table.primary_key.columns]
        if table.name in GLOBAL_KEYS:
            assert key == GLOBAL_KEYS[table.name], table.name
        else:
            assert key[0] == "project_id", table.name
        for index in table.indexes:
            assert [c.name for c in index.columns][0] == "project_id", (table.name, index.name)


def test_times_are_epoch_seconds_in_doubles():
    times = [
        (table.name, column)
        for table in tables.metadata.sorted_tables
        for column in table.columns
        if column.name == "ts" or column.name.endswith("_at")
    ]
    assert len(times) >= 25
    assert [(name, c.name) for name, c in times if not isinstance(c.type, sa.Double)] == []


def test_json_is_jsonb_on_postgresql_and_json_on_sqlite():
    payload = tables.signals.c.payload.type
    assert isinstance(payload.dialect_impl(postgresql.dialect()), postgresql.JSONB)
    assert isinstance(payload.dialect_impl(sqlite.dialect()), sa.JSON)
    assert not isinstance(payload.dialect_impl(sqlite.dialect()), postgresql.JSONB)


def test_a_key_is_looked_up_by_its_secrets_hash_only():
    keys = tables.api_keys
    assert keys.c.secret_hash.unique is True and keys.c.secret_hash.type.length == 64  # sha256 in hex
    assert "secret" not in keys.c  # the secret itself is never stored
