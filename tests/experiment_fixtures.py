"""The experiment surfaces' shared setup (tests/cli/test_cli_experiments.py,
tests/server/test_server_experiments.py, tests/sdk/test_sdk_experiments.py): a triage workload
with a production version and a candidate whose evaluation passed (or failed) its gate, and
traffic on which the candidate's users accept a third less often."""

from __future__ import annotations

import time

import sqlalchemy as sa

from flyloop import registry
from flyloop.capture import declare_workload
from flyloop.store import schema

LABELS = ["spam", "ham"]


def arena(store, project, *, passed=True):
    """A workload with a production version and a candidate whose evaluation passed its gate."""
    now = time.time()
    declare_workload(store, project, "triage", type="choice", labels=LABELS)
    base = {"workload": "triage", "model": "gpt-4o-mini"}
    production = registry.register(store, project, {**base, "system_prompt": "Sort mail."})
    candidate = registry.register(store, project, {**base, "system_prompt": "Sort mail carefully."})
    registry.set_production(store, project, "triage", production.id)
    with store.write() as conn:
        conn.execute(sa.insert(schema.evaluations), [{
            "project_id": project, "id": "ev_" + candidate.id[-16:], "workload": "triage", "candidate": candidate.id,
            "baseline": production.id, "source": "eval split", "dataset_version": None, "cases": 400,
            "status": "succeeded", "metrics": {}, "comparison": {}, "config": {}, "error": None, "run_id": None,
            "gate": {"passed": passed, "summary": "accuracy +0.05", "checks": []}, "passed": passed,
            "created_by": "test", "created_at": now, "finished_at": now}])  # fmt: skip
    return production.id, candidate.id


def worse_traffic(store, capture, project, exp, users=1200):
    """Users enrolled as serving would, a third fewer accepting on the candidate's arm."""
    from flyloop.privacy import pseudonym
    from flyloop.rollout import assign

    now, rows, interactions, signals = time.time(), [], [], []
    for n in range(users):
        user = f"u{n}"
        key = pseudonym(store, project, user)
        arm = assign(key, exp.allocation())
        rows.append(
            {"project_id": project, "experiment_id": exp.id, "user_key": key, "arm": arm, "bucket": 0, "at": now}
        )
        iid = f"{exp.id}-{n}"
        interactions.append({"id": iid, "workload": "triage", "input": "Win", "output": "spam", "user_id": user,
                             "ts": now, "policy_version": exp.versions[arm]})  # fmt: skip
        if n % 10 < (7 if arm == "control" else 5):
            signals.append({"id": f"{iid}-a", "interaction_id": iid, "kind": "accept", "actor": user, "ts": now + 1})
    with store.write() as conn:
        conn.execute(sa.insert(schema.assignments), rows)
    capture.ingest(project, {"interactions": interactions})
    capture.ingest(project, {"signals": signals})
