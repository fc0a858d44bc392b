"""The outbox: ingest records what changed, in its own transaction, for labels to catch up on.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("project_id", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("ref", sa.String(128), primary_key=True),
        sa.Column("marked_at", sa.Double, nullable=False),
    )
    op.create_index("ix_outbox_marked", "outbox", ["project_id", "marked_at"])
    # Databases that already hold interactions: mark them all, so the first catch-up labels
    # anything the removed inline listener had not.
    op.execute(
        "INSERT INTO outbox (project_id, kind, ref, marked_at) "
        "SELECT project_id, 'interaction', id, received_at FROM interactions"
    )


def downgrade() -> None:
    op.drop_table("outbox")
