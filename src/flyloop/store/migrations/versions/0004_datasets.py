"""Datasets: immutable versions, their examples, source interactions and quarantined signals.

Revision ID: 0004
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "dataset_versions",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_id", sa.String(64)),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("code_version", sa.String(60), nullable=False),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("manifest", JSONType, nullable=False),
        sa.Column("counts", JSONType, nullable=False),
        sa.Column("tainted_at", sa.Double),
        sa.Column("taint_reason", sa.Text),
    )
    op.create_index("ix_dataset_versions_name", "dataset_versions", ["project_id", "name", "created_at"])
    op.create_table(
        "dataset_examples",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("dataset_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("split", sa.String(20), nullable=False),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("interaction_id", Id, nullable=False),
        sa.Column("interaction_ids", JSONType, nullable=False),
        sa.Column("user_id", sa.String(200)),
        sa.Column("prompt", JSONType, nullable=False),
        sa.Column("completion", sa.Text),
        sa.Column("chosen", sa.Text),
        sa.Column("rejected", sa.Text),
        sa.Column("label", sa.Boolean),
        sa.Column("weight", sa.Double, nullable=False),
        sa.Column("quality", sa.Double, nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("segment", sa.String(200), nullable=False),
        sa.Column("signal_ids", JSONType),
        sa.Column("ts", sa.Double, nullable=False),
    )
    op.create_index("ix_dataset_examples_kind", "dataset_examples", ["project_id", "dataset_id", "kind", "split"])
    op.create_index("ix_dataset_examples_user", "dataset_examples", ["project_id", "user_id"])
    op.create_table(
        "dataset_members",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("dataset_id", sa.String(64), primary_key=True),
        sa.Column("interaction_id", Id, primary_key=True),
        sa.Column("user_id", sa.String(200)),
    )
    op.create_index("ix_dataset_members_interaction", "dataset_members", ["project_id", "interaction_id"])
    op.create_index("ix_dataset_members_user", "dataset_members", ["project_id", "user_id"])
    op.create_table(
        "dataset_quarantine",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("dataset_id", sa.String(64), primary_key=True),
        sa.Column("signal_id", Id, primary_key=True),
        sa.Column("actor", sa.String(200)),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_dataset_quarantine_actor", "dataset_quarantine", ["project_id", "actor"])


def downgrade() -> None:
    for table in ("dataset_quarantine", "dataset_members", "dataset_examples", "dataset_versions"):
        op.drop_table(table)
