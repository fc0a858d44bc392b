"""Foundation: projects, keys, workloads, interactions, signals, outcomes.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("project_id", Id, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", sa.String(100), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("revoked_at", sa.Double),
    )
    op.create_index("ix_api_keys_project_id", "api_keys", ["project_id"])
    op.create_table(
        "workloads",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_table(
        "interactions",
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
    )
    op.create_index("ix_interactions_workload_ts", "interactions", ["project_id", "workload", "ts"])
    op.create_index("ix_interactions_user", "interactions", ["project_id", "user_id", "ts"])
    op.create_index("ix_interactions_session", "interactions", ["project_id", "session_id"])
    op.create_index("ix_interactions_join_key", "interactions", ["project_id", "join_key"])
    op.create_index("ix_interactions_received", "interactions", ["project_id", "received_at"])
    op.create_table(
        "signals",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", Id, primary_key=True),
        sa.Column("interaction_id", Id, nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("value", sa.Double),
        sa.Column("payload", JSONType),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200)),
        sa.Column("ts", sa.Double, nullable=False),
        sa.Column("received_at", sa.Double, nullable=False),
        sa.Column("overrides", Id),
    )
    op.create_index("ix_signals_interaction", "signals", ["project_id", "interaction_id"])
    op.create_index("ix_signals_received", "signals", ["project_id", "received_at"])
    op.create_table(
        "outcomes",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("value", sa.Double),
        sa.Column("interaction_id", Id),
        sa.Column("join_key", sa.String(200)),
        sa.Column("payload", JSONType),
        sa.Column("ts", sa.Double, nullable=False),
        sa.Column("received_at", sa.Double, nullable=False),
    )
    op.create_index("ix_outcomes_interaction", "outcomes", ["project_id", "interaction_id"])
    op.create_index("ix_outcomes_join_key", "outcomes", ["project_id", "join_key"])


def downgrade() -> None:
    for table in ("outcomes", "signals", "interactions", "workloads", "api_keys", "projects"):
        op.drop_table(table)
