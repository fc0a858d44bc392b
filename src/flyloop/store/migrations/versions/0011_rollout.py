"""Prove and ship: golden sets and evaluations; every version's stage, erasure's taint marks and
what each stage move rested on (gate, evaluation, experiment); per-project automation, experiments,
their sticky assignments, and the automation's decisions.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)


def upgrade() -> None:
    # Nullable, no default: metadata-only changes on both databases.
    op.add_column("policy_stage_history", sa.Column("gate", JSONType))
    op.add_column("policy_stage_history", sa.Column("evaluation_id", sa.String(64)))
    op.add_column("policy_stage_history", sa.Column("experiment_id", sa.String(64)))
    op.create_table(
        "version_stages",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("version_id", sa.String(64), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("set_at", sa.Double, nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_version_stages_workload", "version_stages", ["project_id", "workload", "stage"])
    op.create_table(
        "version_taints",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("version_id", sa.String(64), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.Double, nullable=False),
    )
    op.create_table(
        "golden_cases",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("golden_set", sa.String(200), primary_key=True),
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("input", JSONType, nullable=False),
        sa.Column("expected", sa.Text),
        sa.Column("user_id", sa.String(200)),
        sa.Column("metadata", JSONType, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_golden_cases_workload", "golden_cases", ["project_id", "workload"])
    op.create_table(
        "evaluations",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("candidate", sa.String(64), nullable=False),
        sa.Column("baseline", sa.String(64)),
        sa.Column("source", sa.String(220), nullable=False),
        sa.Column("dataset_version", sa.String(64)),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("metrics", JSONType, nullable=False),
        sa.Column("comparison", JSONType, nullable=False),
        sa.Column("gate", JSONType),
        sa.Column("passed", sa.Boolean),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("run_id", sa.String(64)),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("finished_at", sa.Double),
    )
    op.create_index("ix_evaluations_workload", "evaluations", ["project_id", "workload", "created_at"])
    op.create_index("ix_evaluations_candidate", "evaluations", ["project_id", "candidate", "created_at"])
    op.create_table(
        "rollout_config",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("automation", sa.String(20), nullable=False),
        sa.Column("gate", JSONType, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "experiments",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("active_workload", sa.String(200)),
        sa.Column("control", sa.String(64), nullable=False),
        sa.Column("treatment", sa.String(64), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("ramp", JSONType, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("state", JSONType, nullable=False),
        sa.Column("evaluation_id", sa.String(64)),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("started_at", sa.Double, nullable=False),
        sa.Column("ended_at", sa.Double),
        sa.Column("decision", JSONType),
        sa.UniqueConstraint("project_id", "active_workload", name="uq_experiments_active_workload"),
    )
    op.create_index("ix_experiments_workload", "experiments", ["project_id", "workload", "started_at"])
    op.create_table(
        "assignments",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("experiment_id", sa.String(64), primary_key=True),
        sa.Column("user_key", sa.String(200), primary_key=True),
        sa.Column("arm", sa.String(20), nullable=False),
        sa.Column("bucket", sa.Integer, nullable=False),
        sa.Column("at", sa.Double, nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("project_id", Id, primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workload", sa.String(200), nullable=False),
        sa.Column("experiment_id", sa.String(64)),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("version_id", sa.String(64)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("details", JSONType, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("decided_at", sa.Double),
        sa.Column("decided_by", sa.String(200)),
    )
    op.create_index("ix_decisions_workload", "decisions", ["project_id", "workload", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_decisions_workload", table_name="decisions")
    op.drop_table("decisions")
    op.drop_table("assignments")
    op.drop_index("ix_experiments_workload", table_name="experiments")
    op.drop_table("experiments")
    op.drop_table("rollout_config")
    op.drop_index("ix_evaluations_candidate", table_name="evaluations")
    op.drop_index("ix_evaluations_workload", table_name="evaluations")
    op.drop_table("evaluations")
    op.drop_index("ix_golden_cases_workload", table_name="golden_cases")
    op.drop_table("golden_cases")
    op.drop_table("version_taints")
    op.drop_index("ix_version_stages_workload", table_name="version_stages")
    op.drop_table("version_stages")
    with op.batch_alter_table("policy_stage_history") as batch:
        batch.drop_column("experiment_id")
        batch.drop_column("evaluation_id")
        batch.drop_column("gate")
