"""Export files on disk are recorded, so an erasure can find and rewrite the copies it made.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "export_files",
        sa.Column("project_id", sa.String(128), primary_key=True),
        sa.Column("path", sa.String(1024), primary_key=True),
        sa.Column("dataset_id", sa.String(64), nullable=False),
        sa.Column("target", sa.String(20), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("split", sa.String(20)),
        sa.Column("options", JSONType, nullable=False),
        sa.Column("written_at", sa.Double, nullable=False),
    )
    op.create_index("ix_export_files_dataset", "export_files", ["project_id", "dataset_id"])


def downgrade() -> None:
    op.drop_index("ix_export_files_dataset", "export_files")
    op.drop_table("export_files")
