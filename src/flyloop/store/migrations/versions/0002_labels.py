"""Labels: one verdict per interaction, and each project's label weights.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("interaction_id", Id, primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(12), nullable=False),
        sa.Column("confidence", sa.Double, nullable=False),
        sa.Column("score", sa.Double, nullable=False),
        sa.Column("corrected_text", sa.Text),
        sa.Column("signal_ids", JSONType),
        sa.Column("updated_at", sa.Double, nullable=False),
        sa.Column("ts", sa.Double, nullable=False),
        sa.Column("edit_class", sa.String(20)),
        sa.Column("excluded", JSONType),
        sa.Column("time_to_action_s", sa.Double),
        sa.Column("settled_at", sa.Double),
    )
    op.create_index("ix_labels_verdict", "labels", ["project_id", "workload", "verdict"])
    op.create_index("ix_labels_unsettled", "labels", ["project_id", "settled_at", "ts"])
    op.create_table(
        "label_config",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("weights", JSONType, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("label_config")
    op.drop_table("labels")
