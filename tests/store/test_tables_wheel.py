"""The later stages' tables (flyloop.store.tables_wheel): in the one metadata the migrations and
the schema namespace share, each named on ``schema`` too, each keyed first by its project."""

from __future__ import annotations

from flyloop.store import schema, tables_wheel

WHEEL = {
    "policy_versions", "policy_stages", "policy_stage_history", "version_stages", "version_taints", "banks",
    "bank_examples", "loop_runs", "artifacts", "golden_cases", "evaluations", "rollout_config", "experiments",
    "assignments", "decisions", "monitor_rollups", "monitor_watermarks", "monitor_marks", "monitor_alerts",
}  # fmt: skip


def test_the_wheels_tables_share_the_one_metadata_and_the_schema_namespace():
    defined = {name for name, value in vars(tables_wheel).items() if value is not None and hasattr(value, "c")}
    defined -= {"metadata"}
    assert defined == WHEEL
    for name in WHEEL:
        table = getattr(tables_wheel, name)
        assert getattr(schema, name) is table and schema.metadata.tables[name] is table
        assert next(iter(table.primary_key.columns)).name == "project_id", name
