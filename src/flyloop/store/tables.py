"""The tables, as SQLAlchemy Core metadata.

This is the shape the code reads and writes; the Alembic revisions in ``migrations/versions``
create it, and ``tests/store/test_engine.py`` checks the two never drift apart. Every row carries its
``project_id`` and every key starts with it: project isolation is a property of the tables, not
only of the routes.

Times are UTC epoch seconds in ``Double`` columns: cheap to compare and index on SQLite and
PostgreSQL alike, and what an analytics engine ingests without conversion.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(128)

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("project_id", Id, nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    # sha256 of the secret: keys are 32 random bytes, so a fast hash is enough (no dictionary
    # attack against 256 bits), and lookups stay O(1) on the hot ingest path.
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("scopes", sa.String(100), nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Column("revoked_at", sa.Double),
)

workloads = sa.Table(
    "workloads",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("created_at", sa.Double, nullable=False),
    # 'generation' or 'choice' (the output is one of `labels`): it decides the metrics and loops.
    sa.Column("type", sa.String(20), nullable=False, server_default="generation"),
    sa.Column("labels", JSONType),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", sa.Double),
)

interactions = sa.Table(
    "interactions",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", Id, primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("input", JSONType),
    sa.Column("output", sa.Text),
    sa.Column("user_id", sa.String(200)),
    sa.Column("session_id", sa.String(200)),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("received_at", sa.Double, nullable=False),
    sa.Column("policy_version", sa.String(200)),
    sa.Column("latency_ms", sa.Double),
    sa.Column("tokens_in", sa.Integer),
    sa.Column("tokens_out", sa.Integer),
    sa.Column("cost", sa.Double),
    sa.Column("context_ids", JSONType),
    sa.Column("meta", JSONType),
    sa.Column("join_key", sa.String(200)),
    sa.Column("consent", sa.String(40)),
    # Set by capture when the stored output breaks a declared rule of its workload
    # ('outside_label_set': a choice workload's output that is none of its labels): kept, flagged, counted.
    sa.Column("flag", sa.String(40)),
    sa.Index("ix_interactions_workload_ts", "project_id", "workload", "ts"),
    sa.Index("ix_interactions_user", "project_id", "user_id", "ts"),
    sa.Index("ix_interactions_session", "project_id", "session_id"),
    sa.Index("ix_interactions_join_key", "project_id", "join_key"),
    sa.Index("ix_interactions_received", "project_id", "received_at"),
)

signals = sa.Table(
    "signals",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", Id, primary_key=True),
    # No foreign key: a signal may arrive before its interaction (batching, browser feedback).
    # It is kept and joins the interaction when that lands; `status` reports the ones that never do.
    sa.Column("interaction_id", Id, nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("value", sa.Double),
    sa.Column("payload", JSONType),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(200)),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("received_at", sa.Double, nullable=False),
    # Append-only: a correction of a signal is a new signal naming the one it overrides.
    sa.Column("overrides", Id),
    sa.Index("ix_signals_interaction", "project_id", "interaction_id"),
    sa.Index("ix_signals_received", "project_id", "received_at"),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("value", sa.Double),
    # One of the two: the interaction it belongs to, or a key the app also set on interactions
    # (an order id, a ticket id) so one outcome can reach the interactions that led to it.
    sa.Column("interaction_id", Id),
    sa.Column("join_key", sa.String(200)),
    sa.Column("payload", JSONType),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("received_at", sa.Double, nullable=False),
    sa.Index("ix_outcomes_interaction", "project_id", "interaction_id"),
    sa.Index("ix_outcomes_join_key", "project_id", "join_key"),
)


# --- the outbox: what derived state must catch up on -----------------------------------------

outbox = sa.Table(
    "outbox",
    metadata,
    # One row per ingest batch, written by Store.ingest in the batch's own transaction, so the
    # outbox can neither miss a stored event nor name one that was rolled back. Labels (and their
    # inference) consume it off the ingest path and delete the rows they processed. A row per
    # batch, not per event: ingest pays one small insert for 500 signals, and the catch-up reads
    # and deletes a handful of rows. seq only grows (AUTOINCREMENT on SQLite, an identity on
    # PostgreSQL), so a consumer deleting what it read can never delete a newer row.
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("project_id", Id, nullable=False),
    sa.Column("marked_at", sa.Double, nullable=False),  # the batch's received time
    sa.Column("entries", sa.Integer, nullable=False),  # how many refs, for outbox.pending
    # {"interaction": [new interaction ids], "touch": [ids a signal arrived for],
    #  "outcome": [new outcome ids]}; an empty kind is left out.
    sa.Column("refs", JSONType, nullable=False),
    sa.Index("ix_outbox_project", "project_id", "seq"),
    sqlite_autoincrement=True,
)


# --- labels (issue 3: signals and labels) ----------------------------------------------------
# One derived verdict per interaction, rebuilt from its signals whenever they change; never a
# source of truth (drop the table and `flyloop labels recompute` makes it again).

labels = sa.Table(
    "labels",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("interaction_id", Id, primary_key=True),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("verdict", sa.String(12), nullable=False),
    sa.Column("confidence", sa.Double, nullable=False),
    sa.Column("score", sa.Double, nullable=False),
    sa.Column("corrected_text", sa.Text),
    sa.Column("signal_ids", JSONType),
    sa.Column("updated_at", sa.Double, nullable=False),
    # The interaction's own time, so time-aware splits and sweeps need no join.
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("edit_class", sa.String(20)),
    # Signals left out of the verdict, each with its reason: [{"signal_id", "reason"}].
    sa.Column("excluded", JSONType),
    # Seconds from the output to the user's first action on it (the app's dwell when reported).
    sa.Column("time_to_action_s", sa.Double),
    # When inference last closed this interaction's windows (abandonment decided); NULL while open.
    sa.Column("settled_at", sa.Double),
    sa.Index("ix_labels_verdict", "project_id", "workload", "verdict"),
    sa.Index("ix_labels_unsettled", "project_id", "settled_at", "ts"),
)

label_config = sa.Table(
    "label_config",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    # A project's label weights (flyloop.labels.verdicts.Weights as JSON): the incremental updates and a
    # full recompute read the same ones, so they always agree.
    sa.Column("weights", JSONType, nullable=False),
    sa.Column("updated_at", sa.Double, nullable=False),
)


# --- privacy and security (issue 4) ---------------------------------------------------------
# Policy, consent, secrets and the audit trail are data, so they are inspectable, editable and
# covered by the same isolation as events. None of these tables holds a raw user id: users are
# named by their pseudonym (see flyloop.privacy.pseudonyms), and audit rows never hold a redacted value.

privacy_policies = sa.Table(
    "privacy_policies",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    # flyloop.privacy.gate.PrivacyPolicy as JSON; a project without a row runs the defaults.
    sa.Column("policy", JSONType, nullable=False),
    sa.Column("updated_at", sa.Double, nullable=False),
)

project_secrets = sa.Table(
    "project_secrets",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    # 'pseudonym' (user ids), 'redaction' (hash-style replacement), 'feedback' (browser tokens).
    sa.Column("purpose", sa.String(40), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("secret", sa.String(128), nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
)

consents = sa.Table(
    "consents",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(40), primary_key=True),
    # The user's pseudonym; the latest row per user is the consent in force, older rows its history.
    sa.Column("user_id", sa.String(200), nullable=False),
    sa.Column("state", sa.String(40), nullable=False),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Column("source", sa.String(60), nullable=False),
    sa.Index("ix_consents_user", "project_id", "user_id", "ts"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("ts", sa.Double, nullable=False),
    # Who: 'key:<id>' for the API, 'cli' for the command line, 'capture' for the ingest gate.
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("target", sa.String(200)),
    # What was done, in counts and names: entity types and field paths, never the values.
    sa.Column("details", JSONType),
    sa.Index("ix_audit_log_ts", "project_id", "ts"),
    sa.Index("ix_audit_log_action", "project_id", "action", "ts"),
)

privacy_drops = sa.Table(
    "privacy_drops",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("workload", sa.String(200), primary_key=True),
    # 'field:<name>', 'metadata:<key>' (minimization), 'content:<consent state>', 'erased_user'.
    sa.Column("what", sa.String(300), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.Double, nullable=False),
)

feedback_token_uses = sa.Table(
    "feedback_token_uses",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    # The token's nonce and the use it spent: the primary key is what refuses a replay.
    sa.Column("nonce", sa.String(64), primary_key=True),
    sa.Column("use", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("interaction_id", Id, nullable=False),
    sa.Column("used_at", sa.Double, nullable=False),
    sa.Column("expires_at", sa.Double, nullable=False),
    sa.Index("ix_feedback_token_uses_expiry", "project_id", "expires_at"),
)

erasure_tombstones = sa.Table(
    "erasure_tombstones",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    # HMAC of the erased user's pseudonym under a key of its own: lets ingest refuse events still
    # in flight for that user, without keeping the pseudonym itself. Removed after the grace period.
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("erased_at", sa.Double, nullable=False),
    sa.Column("expires_at", sa.Double, nullable=False),
)


# --- datasets (issue 5: curation and datasets) ----------------------------------------------
# Immutable dataset versions: a version's id is the SHA-256 of its content, config and code
# version, so rows are written once and never updated, except the taint mark (erasure, or by
# hand) and the purge of an erased user's rows, which is what a taint records.

dataset_versions = sa.Table(
    "dataset_versions",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("parent_id", sa.String(64)),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Column("code_version", sa.String(60), nullable=False),
    sa.Column("config", JSONType, nullable=False),
    # Lineage and accounting: sources (counts and digests), filters and what each removed,
    # dedup, integrity, splits, segments, consent check. Ids themselves live in the tables below.
    sa.Column("manifest", JSONType, nullable=False),
    sa.Column("counts", JSONType, nullable=False),
    sa.Column("tainted_at", sa.Double),
    sa.Column("taint_reason", sa.Text),
    sa.Index("ix_dataset_versions_name", "project_id", "name", "created_at"),
)

dataset_examples = sa.Table(
    "dataset_examples",
    metadata,
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("dataset_id", sa.String(64), primary_key=True),
    # SHA-256 of the example's kind, content and source interactions: stable across versions,
    # so a diff is a set difference.
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("split", sa.String(20), nullable=False),
    sa.Column("workload", sa.String(200), nullable=False),
    sa.Column("interaction_id", Id, nullable=False),
    # Every source interaction (a regeneration pair has two: the accepted and the rejected attempt).
    sa.Column("interaction_ids", JSONType, nullable=False),
    sa.Column("user_id", sa.String(200)),
    sa.Column("prompt", JSONType, nullable=False),
    sa.Column("completion", sa.Text),
    sa.Column("chosen", sa.Text),
    sa.Column("rejected", sa.Text),
    sa.Column("label", sa.Boolean),
    sa.Column("weight", sa.Double, nullable=False),
    sa.Column("quality", sa.Double, nullable=False),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("segment", sa.String(200), nullable=False),
    sa.Column("signal_ids", JSONType),
    sa.Column("ts", sa.Double, nullable=False),
    sa.Index("ix_dataset_examples_kind", "project_id", "dataset_id", "kind", "split"),
    sa.Index("ix_dataset_examples_user", "project_id", "user_id"),
)

dataset_members = sa.Table(
    "dataset_members",
    metadata,
    # Every interaction whose content reached a version (a regeneration pair names two): what
    # erasure looks up to taint versions, and what export re-checks consent against.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("dataset_id", sa.String(64), primary_key=True),
    sa.Column("interaction_id", Id, primary_key=True),
    sa.Column("user_id", sa.String(200)),
    sa.Index("ix_dataset_members_interaction", "project_id", "interaction_id"),
    sa.Index("ix_dataset_members_user", "project_id", "user_id"),
)

dataset_quarantine = sa.Table(
    "dataset_quarantine",
    metadata,
    # Signals a build set aside (kept, never deleted from `signals`), each with its reason.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("dataset_id", sa.String(64), primary_key=True),
    sa.Column("signal_id", Id, primary_key=True),
    sa.Column("actor", sa.String(200)),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index("ix_dataset_quarantine_actor", "project_id", "actor"),
)

export_files = sa.Table(
    "export_files",
    metadata,
    # Every file an export wrote (absolute path), so an erasure can rewrite the copies of the
    # erased user's examples that left the database. A re-export to the same path replaces the row.
    sa.Column("project_id", Id, primary_key=True),
    sa.Column("path", sa.String(1024), primary_key=True),
    sa.Column("dataset_id", sa.String(64), nullable=False),
    sa.Column("target", sa.String(20), nullable=False),
    # 'jsonl' or 'parquet'; 'manifest' for the manifest.json beside the data files.
    sa.Column("format", sa.String(10), nullable=False),
    sa.Column("split", sa.String(20)),
    # How rows were formatted (style, sft_format, system, weights): erasure formats the erased
    # user's examples the same way to find their rows in the file.
    sa.Column("options", JSONType, nullable=False),
    sa.Column("written_at", sa.Double, nullable=False),
    sa.Index("ix_export_files_dataset", "project_id", "dataset_id"),
)

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

# The upkeep finds labels changed since its watermark without scanning the table.
sa.Index("ix_labels_updated", labels.c.project_id, labels.c.updated_at)
