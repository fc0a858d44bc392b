"""The Alembic revisions (flyloop.store.migrations): they build what tables.py declares, with one head,
from every old revision."""

from __future__ import annotations

import orjson
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from flyloop import Store
from flyloop.store.tables import metadata


def test_migrations_match_schema(store: Store):
    """schema.py is what the code uses, the migrations are what databases get: they must agree."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_migrations_have_one_head_and_upgrade_from_each_old_revision(tmp_path):
    """A database at any earlier revision upgrades to the single head."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(resources.files("flyloop.store") / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == ["0013"]
    for old in ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008"):
        url = f"sqlite:///{tmp_path / f'at-{old}.db'}"
        store = Store(url, migrate=False)
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, old)
        store.migrate()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == ["0013"]
        store.close()


def test_outbox_entries_waiting_at_0006_carry_over_to_one_row_per_batch(tmp_path):
    """0007 groups the per-event outbox into per-batch rows; nothing waiting is lost, and the
    downgrade gives the same entries back."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    from flyloop import labels

    config = Config()
    config.set_main_option("script_location", str(resources.files("flyloop.store") / "migrations"))
    store = Store(f"sqlite:///{tmp_path / 'old.db'}", migrate=False)
    old = [
        ("acme", "interaction", "i1", 10.0),
        ("acme", "touch", "i1", 10.0),
        ("acme", "touch", "i2", 12.5),
        ("acme", "outcome", "o1", 12.5),
        ("beta", "interaction", "j1", 10.0),
    ]
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
        conn.exec_driver_sql("DELETE FROM outbox")
        conn.exec_driver_sql("INSERT INTO outbox (project_id, kind, ref, marked_at) VALUES (?, ?, ?, ?)", old)
    store.migrate()
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT seq, project_id, marked_at, entries, refs FROM outbox ORDER BY seq").all()
    assert [tuple(r[1:4]) + (orjson.loads(r[4]),) for r in rows] == [
        ("acme", 10.0, 2, {"interaction": ["i1"], "touch": ["i1"]}),
        ("beta", 10.0, 1, {"interaction": ["j1"]}),
        ("acme", 12.5, 2, {"touch": ["i2"], "outcome": ["o1"]}),
    ]
    assert (labels.pending(store, "acme"), labels.pending(store, "beta"), labels.pending(store, "nobody")) == (4, 1, 0)
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
        back = conn.exec_driver_sql(
            "SELECT project_id, kind, ref, marked_at FROM outbox ORDER BY project_id, marked_at, kind, ref"
        ).all()
    assert [tuple(r) for r in back] == sorted(old, key=lambda r: (r[0], r[3], r[1], r[2]))
    store.close()
