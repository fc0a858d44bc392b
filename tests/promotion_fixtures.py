"""Versions and stored evaluations for the promotion, lineage and versions-surface tests: an
evaluation row written as :func:`flyloop.evaluate.run_evaluation` writes it, so a test of the gate
pins the verdict it needs without running models (tests/rollout/test_promotion.py runs the real
runner once)."""

from __future__ import annotations

import itertools
import time
from typing import Any

import sqlalchemy as sa

from flyloop.capture import declare_workload
from flyloop.registry import PolicyVersion, register
from flyloop.store import Store, schema

P = "acme"
URL = "http://127.0.0.1:9/v1"  # never called: promotion checks that a version could load, it loads nothing
_ids = itertools.count(1)


def versions(store: Store, *prompts: str, workload: str = "reply") -> list[PolicyVersion]:
    """A generation workload and one OpenAI-backed version per system prompt."""
    declare_workload(store, P, workload)
    return [
        register(store, P, {"workload": workload, "model": "m", "system_prompt": p, "params": {"base_url": URL}})
        for p in prompts
    ]


def evaluated(
    store: Store,
    candidate: str,
    baseline: str | None,
    passed: bool,
    *,
    summary: str | None = None,
    workload: str = "reply",
    status: str = "succeeded",
) -> str:
    """Store a finished evaluation of ``candidate`` against ``baseline`` with its gate's verdict."""
    evaluation_id = f"ev_{next(_ids):016x}"
    words = summary or f"accuracy {'+4.0' if passed else '-3.0'} points: {'PASS' if passed else 'FAIL'}"
    now = time.time()
    row: dict[str, Any] = {
        "project_id": P,
        "id": evaluation_id,
        "workload": workload,
        "candidate": candidate,
        "baseline": baseline,
        "source": "eval split",
        "dataset_version": None,
        "cases": 200,
        "status": status,
        "metrics": {},
        "comparison": {},
        "gate": {"passed": passed, "summary": words, "checks": []},
        "passed": passed,
        "config": {},
        "error": None,
        "run_id": None,
        "created_by": "test",
        "created_at": now,
        "finished_at": now,
    }
    with store.write() as conn:
        conn.execute(sa.insert(schema.evaluations), [row])
    return evaluation_id
