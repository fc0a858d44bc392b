"""The tables, as SQLAlchemy Core metadata.

This is the shape the code reads and writes; the Alembic revisions in ``migrations/versions``
create it, and ``tests/store/test_engine.py`` checks the two never drift apart. Every row carries its
``project_id`` and every key starts with it: project isolation is a property of the tables, not
only of the routes.

Times are UTC epoch seconds in ``Double`` columns: cheap to compare and index on SQLite and
PostgreSQL alike, and what an analytics engine ingests without conversion.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata: sa.MetaData = sa.MetaData()

JSONType: sa.types.TypeEngine[Any] = sa.JSON().with_variant(JSONB(), "postgresql")
Id: sa.String = sa.String(128)

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
    sa.Index("ix_outcomes_received", "project_id", "received_at"),
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

# The monitor's upkeep finds labels changed since its watermark without scanning the table.
sa.Index("ix_labels_updated", labels.c.project_id, labels.c.updated_at)

# The later stages' tables, in the same metadata (defined there, named here too).
from .tables_wheel import (  # noqa: E402, F401
    artifacts,
    assignments,
    bank_examples,
    banks,
    decisions,
    evaluations,
    experiments,
    golden_cases,
    loop_runs,
    monitor_alerts,
    monitor_marks,
    monitor_rollups,
    monitor_watermarks,
    policy_stage_history,
    policy_stages,
    policy_versions,
    rollout_config,
    version_stages,
    version_taints,
)
