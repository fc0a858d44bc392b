"""Loop runs may be asked to stop (a cancel request any process can set); the training loops'
artifacts (adapters, heads, embedders, reward models) get their table.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    # Nullable, no default: a metadata-only change on both databases.
    op.add_column("loop_runs", sa.Column("cancel_requested_at", sa.Double))
    op.create_table(
        "artifacts",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("dataset_version", sa.String(64)),
        sa.Column("run_id", sa.String(64)),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("manifest", JSONType, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("tainted_at", sa.Double),
        sa.Column("taint_reason", sa.Text),
    )
    op.create_index("ix_artifacts_workload", "artifacts", ["project_id", "workload", "kind", "created_at"])
    op.create_index("ix_artifacts_dataset", "artifacts", ["project_id", "dataset_version"])


def downgrade() -> None:
    op.drop_index("ix_artifacts_dataset", table_name="artifacts")
    op.drop_index("ix_artifacts_workload", table_name="artifacts")
    op.drop_table("artifacts")
    with op.batch_alter_table("loop_runs") as batch:
        batch.drop_column("cancel_requested_at")
