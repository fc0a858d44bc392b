"""A project for the dashboard's tests (in process and in Chromium), built through the library:
a choice workload with a production version and a candidate that passed its gate, an experiment
at automation level ``approved`` over 600 users' traffic with a pending ramp decision, signals of
several kinds, labels, and the monitor's rollups kept up with segment key ``plan``."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import sqlalchemy as sa

from flyloop import labels, registry
from flyloop.capture import Capture, declare_workload
from flyloop.monitor import update_rollups
from flyloop.privacy import pseudonym
from flyloop.rollout import assign, check_experiment, set_automation, start_experiment
from flyloop.settings import Settings
from flyloop.store import Store, schema

P = "acme"
USERS = 600
SEGMENT_KEY = "plan"


@dataclass
class Seeded:
    production: str
    candidate: str
    experiment: str
    decision: str


def _passed_evaluation(store: Store, candidate: str, baseline: str) -> None:
    now = time.time()
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.evaluations),
            [
                {
                    "project_id": P,
                    "id": f"ev_{candidate[-16:]}",
                    "workload": "triage",
                    "candidate": candidate,
                    "baseline": baseline,
                    "source": "eval split",
                    "dataset_version": None,
                    "cases": 400,
                    "status": "succeeded",
                    "metrics": {},
                    "comparison": {},
                    "gate": {"passed": True, "summary": "accuracy +0.05 [+0.02, +0.08]", "checks": []},
                    "passed": True,
                    "config": {},
                    "error": None,
                    "run_id": None,
                    "created_by": "test",
                    "created_at": now,
                    "finished_at": now,
                }
            ],
        )


def seed_dashboard(store: Store, settings: Settings, *, users: int = USERS) -> Seeded:
    """The project above; returns the ids a test looks for."""
    capture = Capture(store, settings)
    declare_workload(store, P, "triage", type="choice", labels=["spam", "ham"])
    production = registry.register(
        store, P, {"workload": "triage", "model": "gpt-4o-mini", "system_prompt": "Sort mail."}
    ).id
    candidate = registry.register(
        store, P, {"workload": "triage", "model": "gpt-4o-mini", "system_prompt": "Sort mail carefully."}
    ).id
    registry.set_production(store, P, "triage", production)
    _passed_evaluation(store, candidate, production)
    set_automation(store, P, "approved", by="ana")
    exp = start_experiment(
        store, P, "triage", candidate, ramp=(50, 80, 100), primary="acceptance", min_users=users // 4
    )
    allocation, now = exp.allocation(), time.time()
    rng = random.Random(7)
    interactions, signals, rows = [], [], []
    for n in range(users):
        user = f"u{n}"
        key = pseudonym(store, P, user)
        arm = assign(key, allocation)
        rows.append({"project_id": P, "experiment_id": exp.id, "user_key": key, "arm": arm, "bucket": 0, "at": now})
        iid = f"i{n}"
        interactions.append(
            {
                "id": iid,
                "workload": "triage",
                "input": "Win a prize",
                "output": "spam",
                "user_id": user,
                "ts": now,
                "policy_version": exp.versions[arm],
                "metadata": {SEGMENT_KEY: "pro" if n % 3 == 0 else "free"},
            }
        )
        if rng.random() < 0.6:
            signals.append({"id": f"{iid}-a", "interaction_id": iid, "kind": "accept", "actor": user, "ts": now + 1})
        if n % 4 == 0:
            signals.append({"id": f"{iid}-t", "interaction_id": iid, "kind": "thumbs_up", "ts": now + 2})
        if n % 10 == 1:
            signals.append({"id": f"{iid}-d", "interaction_id": iid, "kind": "thumbs_down", "ts": now + 2})
    with store.write() as conn:
        conn.execute(sa.insert(schema.assignments), rows)
    capture.ingest(P, {"interactions": interactions})
    capture.ingest(P, {"signals": signals})
    labels.catch_up(store, P, settings=settings)
    decision = check_experiment(store, P, exp.id)
    assert (decision.action, decision.status) == ("ramp", "pending"), decision
    update_rollups(store, P, segment_key=SEGMENT_KEY)
    assert decision.id is not None
    return Seeded(production, candidate, exp.id, decision.id)
