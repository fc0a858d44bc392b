"""The tables of the wheel's later stages: the registry's versions and stages, the improvement
loops' banks, runs and artifacts, evaluation, rollout and monitoring. One metadata with
:mod:`flyloop.store.tables` (which re-exports these names, so ``schema.evaluations`` reads as any
other table); apart only so that neither file grows past what one reads at a sitting."""

from __future__ import annotations

import sqlalchemy as sa

from .tables import Id, JSONType, metadata

# --- the registry: policy versions and the stages they hold ---------------------------------------

policy_versions = sa.Table(
    "policy_versions",
    metadata,
    # Immutable: id is a hash of `definition`, so a row is never updated, only added.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("definition", JSONType, nullable=False),
    sa.Column("parent", sa.String(64)),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Index("ix_policy_versions_workload", "project_id", "workload", "created_at"),
)

policy_stages = sa.Table(
    "policy_stages",
    metadata,
    # Which version holds each stage of a workload now ('production'; later issues add more).
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("workload", sa.String(200), primary_key=True),
    sa.Column("stage", sa.String(40), primary_key=True),
    sa.Column("version_id", sa.String(64), nullable=False),
    sa.Column("set_at", sa.Double, nullable=False),
    sa.Column("set_by", sa.String(200), nullable=False),
)

policy_stage_history = sa.Table(
    "policy_stage_history",
    metadata,
    # Append-only: every stage move, who made it and why.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("version_id", sa.String(64), nullable=False),
    sa.Column("previous", sa.String(64)),
    sa.Column("at", sa.Double, nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    # What the move rested on: the gate's verdict (its words and numbers), the evaluation that
    # gave it, the experiment that decided it (each None for a move a person made without one).
    sa.Column("gate", JSONType),
    sa.Column("evaluation_id", sa.String(64)),
    sa.Column("experiment_id", sa.String(64)),
    sa.Index("ix_policy_stage_history_workload", "project_id", "workload", "at"),
)

version_stages = sa.Table(
    "version_stages",
    metadata,
    # The stage each version is in now: 'candidate', 'canary', 'production' or 'archived' (a
    # version with no row is a candidate). policy_stages says who holds the one-holder stages.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("version_id", sa.String(64), primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("set_at", sa.Double, nullable=False),
    sa.Column("set_by", sa.String(200), nullable=False),
    sa.Index("ix_version_stages_workload", "project_id", "workload", "stage"),
)

version_taints = sa.Table(
    "version_taints",
    metadata,
    # A version trained on data that was later erased (its bank's dataset version, an adapter,
    # head or reranker artifact): marked by erasure, never served to a new experiment.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("version_id", sa.String(64), primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.Double, nullable=False),
)

# --- improve: example banks and loop runs ---------------------------------------------------------

banks = sa.Table(
    "banks",
    metadata,
    # An immutable few-shot bank version; its vectors and index lie on disk beside it, and
    # `removed` counts the examples erasure has taken out since it was built.
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
    sa.Index("ix_banks_workload", "project_id", "workload", "created_at"),
)

bank_examples = sa.Table(
    "bank_examples",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("bank_id", sa.String(64), primary_key=True),
    # The example's key in the bank's index.
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("example_id", sa.String(64), nullable=False),
    sa.Column("interaction_id", Id, nullable=False),
    sa.Column("user_id", sa.String(200)),
    sa.Column("input", JSONType),
    sa.Column("output", sa.Text),
    sa.Column("label", sa.String(200)),
    sa.Column("quality", sa.Double, nullable=False),
    sa.Column("removed_at", sa.Double),
    sa.Index("ix_bank_examples_user", "project_id", "user_id"),
    sa.Index("ix_bank_examples_interaction", "project_id", "interaction_id"),
)

loop_runs = sa.Table(
    "loop_runs",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("loop", sa.String(40), nullable=False),
    sa.Column("workload", sa.String(200), nullable=False),
    # 'running', 'succeeded', 'failed', 'cancelled' or 'skipped' (a trigger not met).
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
    # Set by a cancel request from any process; a long run polls it between steps and stops.
    sa.Column("cancel_requested_at", sa.Double),
    sa.Index("ix_loop_runs_workload", "project_id", "loop", "workload", "started_at"),
)

artifacts = sa.Table(
    "artifacts",
    metadata,
    # A trained model part a loop made (a LoRA adapter, a choice head, an embedder, a reward
    # model): its files lie in a folder under the home (`path`, relative to it) with the same
    # manifest as here; written whole or not at all. Tainted like a dataset version when data it
    # was trained on is erased.
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
    sa.Index("ix_artifacts_workload", "project_id", "workload", "kind", "created_at"),
    sa.Index("ix_artifacts_dataset", "project_id", "dataset_version"),
)

# --- evaluate: golden sets and evaluations -----------------------------------------------------

golden_cases = sa.Table(
    "golden_cases",
    metadata,
    # A case a person curated: an input and (optionally) the expected answer or label.
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
    sa.Index("ix_golden_cases_workload", "project_id", "workload"),
)

evaluations = sa.Table(
    "evaluations",
    metadata,
    # One evaluation of a candidate against a baseline (production) on the same cases: the
    # held-out eval split of a dataset version, or a golden set. Written once when it finishes.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("candidate", sa.String(64), nullable=False),
    sa.Column("baseline", sa.String(64)),
    # 'eval split' or 'golden:<name>'.
    sa.Column("source", sa.String(220), nullable=False),
    sa.Column("dataset_version", sa.String(64)),
    sa.Column("cases", sa.Integer, nullable=False),
    # 'running', 'succeeded', 'failed'.
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
    sa.Index("ix_evaluations_workload", "project_id", "workload", "created_at"),
    sa.Index("ix_evaluations_candidate", "project_id", "candidate", "created_at"),
)

# --- rollout: automation, experiments, assignments, decisions ------------------------------------

rollout_config = sa.Table(
    "rollout_config",
    metadata,
    # Per project: who decides ('manual', 'semi', 'approved', 'full') and the gate's settings.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("automation", sa.String(20), nullable=False),
    sa.Column("gate", JSONType, nullable=False),
    sa.Column("updated_at", sa.Double, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
)

experiments = sa.Table(
    "experiments",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    # 'running', then 'promoted', 'rolled_back' or 'stopped'.
    sa.Column("status", sa.String(20), nullable=False),
    # The workload while the experiment runs, None after: one running experiment per workload.
    sa.Column("active_workload", sa.String(200)),
    sa.Column("control", sa.String(64), nullable=False),
    sa.Column("treatment", sa.String(64), nullable=False),
    sa.Column("salt", sa.String(64), nullable=False),
    # The ramp's steps (treatment shares in percent) and the step it is on.
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
    sa.Index("ix_experiments_workload", "project_id", "workload", "started_at"),
)

assignments = sa.Table(
    "assignments",
    metadata,
    # A user's arm in an experiment, kept so that a changed split never moves an assigned user.
    # user_key is the pseudonym (never the raw id); erasure removes the user's rows.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("experiment_id", sa.String(64), primary_key=True),
    sa.Column("user_key", sa.String(200), primary_key=True),
    sa.Column("arm", sa.String(20), nullable=False),
    sa.Column("bucket", sa.Integer, nullable=False),
    sa.Column("at", sa.Double, nullable=False),
)

decisions = sa.Table(
    "decisions",
    metadata,
    # What the automation decided for an experiment (ramp, promote, rollback) and what became of
    # it: applied at once ('full'), waiting for a person ('semi': flagged; 'approved': confirm
    # with the CLI), approved, dismissed.
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
    sa.Index("ix_decisions_workload", "project_id", "workload", "created_at"),
)

# --- monitor: rollups, their watermarks, alerts (issue 14) --------------------------------------

monitor_rollups = sa.Table(
    "monitor_rollups",
    metadata,
    # Sums over one window ('hour', 'day' or 'week', starting at `bucket`) for one workload,
    # policy version ('' when none) and segment ('' when unsegmented): a count, a sum of seconds
    # or a sum of distances, named by `metric`. Rates are read off as ratios of two rows, so
    # windows and groups add up. Derived: monitor.rebuild drops them and makes them again.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("grain", sa.String(8), primary_key=True),
    sa.Column("bucket", sa.Double, primary_key=True),
    sa.Column("workload", sa.String(200), primary_key=True),
    sa.Column("version", sa.String(200), primary_key=True),
    sa.Column("segment", sa.String(200), primary_key=True),
    sa.Column("metric", sa.String(100), primary_key=True),
    sa.Column("value", sa.Double, nullable=False),
)

monitor_watermarks = sa.Table(
    "monitor_watermarks",
    metadata,
    # How far the rollup upkeep has read each source (its received_at, updated_at or at);
    # `state` keeps what the rollups were built with (the segment key), so a change rebuilds them.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("source", sa.String(40), primary_key=True),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("state", JSONType),
    sa.Column("updated_at", sa.Double, nullable=False),
)

monitor_marks = sa.Table(
    "monitor_marks",
    metadata,
    # What each interaction adds to the rollups now (its hour, workload, version, segment and
    # counts), so an upkeep that sees it change (a late signal, a new verdict) takes the old
    # contribution out and puts the new one in, touching that interaction only.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("interaction_id", Id, primary_key=True),
    sa.Column("bucket", sa.Double, nullable=False),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("version", sa.String(200), nullable=False),
    sa.Column("segment", sa.String(200), nullable=False),
    sa.Column("counts", JSONType, nullable=False),
)

monitor_alerts = sa.Table(
    "monitor_alerts",
    metadata,
    # One alert, written once by its check (id: a hash of kind, workload, subject and window, so a
    # rerun never doubles it); only its delivery columns change afterwards.
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
    # 'pending', 'delivered', 'undelivered' (retries spent; still retried, slower) or 'unsent'
    # (no webhook configured when it was raised).
    sa.Column("delivery", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.Double),
    sa.Column("delivered_at", sa.Double),
    sa.Column("last_error", sa.Text),
    sa.Index("ix_monitor_alerts_created", "project_id", "created_at"),
    sa.Index("ix_monitor_alerts_delivery", "project_id", "delivery", "next_attempt_at"),
)
