"""Monitor: an index on outcomes.received_at, the watermark the rollup upkeep reads outcomes by
(without it every upkeep read all of a project's outcomes and sorted them).

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outcomes_received", "outcomes", ["project_id", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_outcomes_received", table_name="outcomes")
