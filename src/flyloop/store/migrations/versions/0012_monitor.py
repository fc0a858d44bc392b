"""Monitor: rollups over hour, day and week windows, the upkeep's watermarks, alerts and their
webhook delivery; what each interaction adds to the rollups; an index on labels.updated_at for the upkeep.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "monitor_rollups",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("grain", sa.String(8), primary_key=True),
        sa.Column("bucket", sa.Double, primary_key=True),
        sa.Column("workload", sa.String(200), primary_key=True),
        sa.Column("version", sa.String(200), primary_key=True),
        sa.Column("segment", sa.String(200), primary_key=True),
        sa.Column("metric", sa.String(100), primary_key=True),
        sa.Column("value", sa.Double, nullable=False),
    )
    op.create_table(
        "monitor_watermarks",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("source", sa.String(40), primary_key=True),
        sa.Column("value", sa.Double, nullable=False),
        sa.Column("state", JSONType),
        sa.Column("updated_at", sa.Double, nullable=False),
    )
    op.create_table(
        "monitor_marks",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("interaction_id", Id, primary_key=True),
        sa.Column("bucket", sa.Double, nullable=False),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column("segment", sa.String(200), nullable=False),
        sa.Column("counts", JSONType, nullable=False),
    )
    op.create_table(
        "monitor_alerts",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("details", JSONType, nullable=False),
        sa.Column("window_start", sa.Double),
        sa.Column("window_end", sa.Double),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("delivery", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.Double),
        sa.Column("delivered_at", sa.Double),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_monitor_alerts_created", "monitor_alerts", ["project_id", "created_at"])
    op.create_index("ix_monitor_alerts_delivery", "monitor_alerts", ["project_id", "delivery", "next_attempt_at"])
    op.create_index("ix_labels_updated", "labels", ["project_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_labels_updated", table_name="labels")
    op.drop_index("ix_monitor_alerts_delivery", table_name="monitor_alerts")
    op.drop_index("ix_monitor_alerts_created", table_name="monitor_alerts")
    op.drop_table("monitor_alerts")
    op.drop_table("monitor_marks")
    op.drop_table("monitor_watermarks")
    op.drop_table("monitor_rollups")
