"""The tables, as SQLAlchemy Core metadata.

This is the shape the code reads and writes; the Alembic revisions in ``migrations/versions``
create it, and ``tests/test_store.py`` checks the two never drift apart. Every row carries its
``project_id`` and every key starts with it: project isolation is a property of the tables, not
only of the routes.

Times are UTC epoch seconds in ``Double`` columns: cheap to compare and index on SQLite and
PostgreSQL alike, and what an analytics engine ingests without conversion.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("project_id", Id, nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    # sha256 of the secret: keys are 32 random bytes, so a fast hash is enough (no dictionary
    # attack against 256 bits), and lookups stay O(1) on the hot ingest path.
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("scopes", sa.String(100), nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Column("revoked_at", sa.Double),
)

workloads = sa.Table(
    "workloads",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("created_at", sa.Double, nullable=False),
)

interactions = sa.Table(
    "interactions",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", Id, primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("input", JSONType),
    sa.Column("output", sa.Text),
    sa.Column("user_id", sa.String(200)),
    sa.Column("session_id", sa.String(200)),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("received_at", sa.Double, nullable=False),
    sa.Column("policy_version", sa.String(200)),
    sa.Column("latency_ms", sa.Double),
    sa.Column("tokens_in", sa.Integer),
    sa.Column("tokens_out", sa.Integer),
    sa.Column("cost", sa.Double),
    sa.Column("context_ids", JSONType),
    sa.Column("meta", JSONType),
    sa.Column("join_key", sa.String(200)),
    sa.Column("consent", sa.String(40)),
    sa.Index("ix_interactions_workload_ts", "project_id", "workload", "ts"),
    sa.Index("ix_interactions_user", "project_id", "user_id", "ts"),
    sa.Index("ix_interactions_session", "project_id", "session_id"),
    sa.Index("ix_interactions_join_key", "project_id", "join_key"),
    sa.Index("ix_interactions_received", "project_id", "received_at"),
)

signals = sa.Table(
    "signals",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", Id, primary_key=True),
    # No foreign key: a signal may arrive before its interaction (batching, browser feedback).
    # It is kept and joins the interaction when that lands; `status` reports the ones that never do.
    sa.Column("interaction_id", Id, nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("value", sa.Double),
    sa.Column("payload", JSONType),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(200)),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("received_at", sa.Double, nullable=False),
    # Append-only: a correction of a signal is a new signal naming the one it overrides.
    sa.Column("overrides", Id),
    sa.Index("ix_signals_interaction", "project_id", "interaction_id"),
    sa.Index("ix_signals_received", "project_id", "received_at"),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("value", sa.Double),
    # One of the two: the interaction it belongs to, or a key the app also set on interactions
    # (an order id, a ticket id) so one outcome can reach the interactions that led to it.
    sa.Column("interaction_id", Id),
    sa.Column("join_key", sa.String(200)),
    sa.Column("payload", JSONType),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("received_at", sa.Double, nullable=False),
    sa.Index("ix_outcomes_interaction", "project_id", "interaction_id"),
    sa.Index("ix_outcomes_join_key", "project_id", "join_key"),
)
