"""Privacy and security: policies, project secrets, consent, audit log, minimization drops,
feedback token uses, erasure tombstones.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "privacy_policies",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("policy", JSONType, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
    )
    op.create_table(
        "project_secrets",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("purpose", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_table(
        "consents",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("ts", sa.Double, nullable=False),
        sa.Column("source", sa.String(60), nullable=False),
    )
    op.create_index("ix_consents_user", "consents", ["project_id", "user_id", "ts"])
    op.create_table(
        "audit_log",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("ts", sa.Double, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target", sa.String(200)),
        sa.Column("details", JSONType),
    )
    op.create_index("ix_audit_log_ts", "audit_log", ["project_id", "ts"])
    op.create_index("ix_audit_log_action", "audit_log", ["project_id", "action", "ts"])
    op.create_table(
        "privacy_drops",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("workload", sa.String(200), primary_key=True),
        sa.Column("what", sa.String(300), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
    )
    op.create_table(
        "feedback_token_uses",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("use", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("interaction_id", Id, nullable=False),
        sa.Column("used_at", sa.Double, nullable=False),
        sa.Column("expires_at", sa.Double, nullable=False),
    )
    op.create_index("ix_feedback_token_uses_expiry", "feedback_token_uses", ["project_id", "expires_at"])
    op.create_table(
        "erasure_tombstones",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("erased_at", sa.Double, nullable=False),
        sa.Column("expires_at", sa.Double, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "erasure_tombstones",
        "feedback_token_uses",
        "privacy_drops",
        "audit_log",
        "consents",
        "project_secrets",
        "privacy_policies",
    ):
        op.drop_table(table)
