"""Workloads get a type and a label set; interactions a flag; the registry's policy versions and
stages; improve's example banks and loop runs.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    with op.batch_alter_table("workloads") as batch:
        batch.add_column(sa.Column("type", sa.String(20), nullable=False, server_default="generation"))
        batch.add_column(sa.Column("labels", JSONType))
        batch.add_column(sa.Column("description", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("updated_at", sa.Double))
    # A nullable column without a default: a metadata-only change on both databases, however
    # many interactions are stored.
    op.add_column("interactions", sa.Column("flag", sa.String(40)))

    op.create_table(
        "policy_versions",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("definition", JSONType, nullable=False),
        sa.Column("parent", sa.String(64)),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_index("ix_policy_versions_workload", "policy_versions", ["project_id", "workload", "created_at"])
    op.create_table(
        "policy_stages",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("workload", sa.String(200), primary_key=True),
        sa.Column("stage", sa.String(40), primary_key=True),
        sa.Column("version_id", sa.String(64), nullable=False),
        sa.Column("set_at", sa.Double, nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "policy_stage_history",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("version_id", sa.String(64), nullable=False),
        sa.Column("previous", sa.String(64)),
        sa.Column("at", sa.Double, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_policy_stage_history_workload", "policy_stage_history", ["project_id", "workload", "at"])
    op.create_table(
        "banks",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("dataset_version", sa.String(64), nullable=False),
        sa.Column("embedder", sa.String(100), nullable=False),
        sa.Column("dimension", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("removed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("manifest", JSONType, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_index("ix_banks_workload", "banks", ["project_id", "workload", "created_at"])
    op.create_table(
        "bank_examples",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("bank_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("example_id", sa.String(64), nullable=False),
        sa.Column("interaction_id", Id, nullable=False),
        sa.Column("user_id", sa.String(200)),
        sa.Column("input", JSONType),
        sa.Column("output", sa.Text),
        sa.Column("label", sa.String(200)),
        sa.Column("quality", sa.Double, nullable=False),
        sa.Column("removed_at", sa.Double),
    )
    op.create_index("ix_bank_examples_user", "bank_examples", ["project_id", "user_id"])
    op.create_index("ix_bank_examples_interaction", "bank_examples", ["project_id", "interaction_id"])
    op.create_table(
        "loop_runs",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("loop", sa.String(40), nullable=False),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("trigger", sa.String(200), nullable=False),
        sa.Column("started_at", sa.Double, nullable=False),
        sa.Column("finished_at", sa.Double),
        sa.Column("inputs", JSONType, nullable=False),
        sa.Column("outputs", JSONType, nullable=False),
        sa.Column("calls", sa.Integer, nullable=False, server_default="0"),
        sa.Column("tokens", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("details", JSONType, nullable=False),
    )
    op.create_index("ix_loop_runs_workload", "loop_runs", ["project_id", "loop", "workload", "started_at"])


def downgrade() -> None:
    for index, table in (
        ("ix_loop_runs_workload", "loop_runs"),
        ("ix_bank_examples_interaction", "bank_examples"),
        ("ix_bank_examples_user", "bank_examples"),
        ("ix_banks_workload", "banks"),
        ("ix_policy_stage_history_workload", "policy_stage_history"),
        ("ix_policy_versions_workload", "policy_versions"),
    ):
        op.drop_index(index, table)
    for table in ("loop_runs", "bank_examples", "banks", "policy_stage_history", "policy_stages", "policy_versions"):
        op.drop_table(table)
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("flag")
    with op.batch_alter_table("workloads") as batch:
        for column in ("updated_at", "description", "labels", "type"):
            batch.drop_column(column)
