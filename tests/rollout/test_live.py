"""Live metrics of an experiment's arms (flyloop.rollout.live): per-user means from interactions that
name the arm's version, their labels, signals and outcomes; always-valid comparisons with BH across
metrics and segments; the sample-ratio check per step; the table."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping

import pytest
import sqlalchemy as sa
from test_experiments import arena

from conftest import PROJECT as P
from flyloop import labels
from flyloop.privacy import pseudonym
from flyloop.rollout import Experiment, experiment_metrics, metrics_table, start_experiment
from flyloop.store import Store, schema


def enrol(store: Store, exp: Experiment, users: list[str], *, arms: Mapping[str, str] | None = None) -> dict[str, str]:
    """Assign ``users`` (raw ids) in one write: {raw id: arm}; ``arms`` where given, otherwise the
    step's split in exact proportion, spread evenly through the list.

    Serving's hash of a pseudonym (keyed per store, so different in every run) is tested in
    test_assignment; here it would leave each test a chance in a thousand of a sample-ratio
    mismatch (p < 0.001 is the check's threshold), which holds an advance and failed a CI run."""
    share = exp.share / 100.0
    out, rows, now = {}, [], time.time()
    for n, user in enumerate(users):
        key = pseudonym(store, P, user)
        quota = "candidate" if math.floor((n + 1) * share) > math.floor(n * share) else "control"
        out[user] = (arms or {}).get(user) or quota
        rows.append(
            {"project_id": P, "experiment_id": exp.id, "user_key": key, "arm": out[user], "bucket": 0, "at": now}
        )
    with store.write() as conn:
        conn.execute(sa.insert(schema.assignments), rows)
    return out


def traffic(capture, exp: Experiment, arms: Mapping[str, str], rates: Mapping[str, float], *, seed: int = 0,
            kind: str = "accept", meta: Mapping[str, dict] | None = None) -> None:  # fmt: skip
    """One interaction per user naming their arm's version; a ``kind`` signal with the arm's rate."""
    rng = random.Random(seed)
    now = time.time()
    interactions, signals = [], []
    for n, (user, arm) in enumerate(arms.items()):
        iid = f"{exp.id}-{seed}-{n}"
        interactions.append({"id": iid, "workload": "triage", "input": "Win a prize", "output": "spam",
                             "user_id": user, "ts": now, "policy_version": exp.versions[arm],
                             "metadata": (meta or {}).get(user, {})})  # fmt: skip
        if rng.random() < rates[arm]:
            signals.append({"id": f"{iid}-s", "interaction_id": iid, "kind": kind, "actor": user, "ts": now + 1})
    capture.ingest(P, {"interactions": interactions})
    if signals:
        capture.ingest(P, {"signals": signals})


def test_per_arm_means_count_each_user_once_and_only_their_arms_version(store, capture):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(50, 100))
    arms = enrol(
        store, exp, ["a", "b", "c", "d"], arms={"a": "control", "b": "control", "c": "candidate", "d": "candidate"}
    )
    now = time.time()
    capture.ingest(P, {"interactions": [
        {"id": "a1", "workload": "triage", "input": "x", "output": "spam", "user_id": "a", "ts": now,
         "policy_version": exp.control, "cost": 0.002, "latency_ms": 100.0},
        {"id": "a2", "workload": "triage", "input": "x", "output": "spam", "user_id": "a", "ts": now,
         "policy_version": exp.control, "cost": 0.004, "latency_ms": 300.0},
        {"id": "b1", "workload": "triage", "input": "x", "output": "spam", "user_id": "b", "ts": now,
         "policy_version": exp.control, "cost": 0.003, "latency_ms": 200.0},
        {"id": "c1", "workload": "triage", "input": "x", "output": "ham", "user_id": "c", "ts": now,
         "policy_version": exp.candidate, "cost": 0.001, "latency_ms": 50.0},
        # served the other arm's version (a stale cache): not counted
        {"id": "c2", "workload": "triage", "input": "x", "output": "ham", "user_id": "c", "ts": now,
         "policy_version": exp.control, "cost": 9.0},
        # before the experiment started: not counted
        {"id": "d0", "workload": "triage", "input": "x", "output": "ham", "user_id": "d", "ts": exp.started_at - 60,
         "policy_version": exp.candidate},
        {"id": "d1", "workload": "triage", "input": "x", "output": "ham", "user_id": "d", "ts": now,
         "policy_version": exp.candidate, "cost": 0.003, "latency_ms": 150.0},
        # no assignment: not in the experiment
        {"id": "z1", "workload": "triage", "input": "x", "output": "ham", "user_id": "z", "ts": now,
         "policy_version": exp.candidate},
    ]})  # fmt: skip
    capture.ingest(P, {"signals": [
        {"id": "s1", "interaction_id": "a1", "kind": "accept", "actor": "a", "ts": now + 1},
        {"id": "s2", "interaction_id": "b1", "kind": "edit", "actor": "b", "ts": now + 1, "payload": {"text": "ham"}},
        {"id": "s3", "interaction_id": "c1", "kind": "accept", "actor": "c", "ts": now + 1},
        {"id": "s4", "interaction_id": "d1", "kind": "requery", "actor": "d", "ts": now + 1},
        {"id": "s5", "interaction_id": "c2", "kind": "accept", "actor": "c", "ts": now + 1},
    ], "outcomes": [
        {"id": "o1", "interaction_id": "c1", "name": "resolved", "value": 1.0, "ts": now + 2},
        {"id": "o2", "interaction_id": "d1", "name": "resolved", "value": 0.0, "ts": now + 2}]})  # fmt: skip
    found = experiment_metrics(store, P, exp.id)
    control, cand = found["arms"]["control"], found["arms"]["candidate"]
    assert (control["users"], control["interactions"], cand["users"], cand["interactions"]) == (2, 3, 2, 2)
    assert arms == {"a": "control", "b": "control", "c": "candidate", "d": "candidate"}
    m, t = control["metrics"], cand["metrics"]
    # user a: 1 of 2 accepted → 0.5; user b: 0 of 1 → mean over users 0.25
    assert m["acceptance"] == {"mean": 0.25, "users": 2}
    assert t["acceptance"] == {"mean": 0.5, "users": 2}
    assert m["edit_rate"]["mean"] == 0.5 and t["edit_rate"]["mean"] == 0.0
    assert t["requery_rate"]["mean"] == 0.5 and t["completion"]["mean"] == 0.5
    assert m["cost"]["mean"] == pytest.approx((0.003 + 0.003) / 2)  # a: mean(0.002, 0.004); b: 0.003
    assert m["latency_ms"]["mean"] == pytest.approx(200.0) and t["latency_ms"]["mean"] == pytest.approx(100.0)
    # too few users for evidence: infinite bounds, p 1, nothing significant
    acc = found["comparisons"]["acceptance"]
    assert (acc["difference"], acc["lower"], acc["upper"], acc["p_value"]) == (0.25, "-inf", "inf", 1.0)
    assert not any(c["significant"] for c in found["comparisons"].values())
    # ... and the table says there is no interval yet rather than printing "[-inf, +inf]"
    row = next(line for line in metrics_table(found).splitlines() if line.startswith("acceptance"))
    assert row.split() == ["acceptance", "0.25", "0.5", "+0.25", "(none", "yet)", "1"]


def test_good_rate_reads_the_labels(store, capture, settings):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(50, 100))
    arms = enrol(store, exp, [f"u{i}" for i in range(40)])
    traffic(capture, exp, arms, {"control": 0.2, "candidate": 0.9}, kind="thumbs_up", seed=1)
    labels.catch_up(store, P, settings=settings)
    found = experiment_metrics(store, P, exp.id)
    with store.read() as conn:
        verdicts = dict(conn.execute(sa.select(schema.labels.c.interaction_id, schema.labels.c.verdict)).all())
    ups = {iid for iid, v in verdicts.items() if v == "good"}
    for arm in ("control", "candidate"):
        users = [u for u, a in arms.items() if a == arm]
        ids = [f"{exp.id}-1-{n}" for n, u in enumerate(arms) if arms[u] == arm]
        known = [i for i in ids if verdicts.get(i) not in (None, "unknown")]
        expected = sum(i in ups for i in known) / len(known)
        assert found["arms"][arm]["metrics"]["good_rate"]["mean"] == pytest.approx(expected)
        assert found["arms"][arm]["users"] == len(users)


def test_a_clear_difference_is_significant_after_benjamini_hochberg(store, capture):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(50, 100))
    arms = enrol(store, exp, [f"u{i}" for i in range(1200)])
    traffic(capture, exp, arms, {"control": 0.5, "candidate": 0.7}, seed=2)
    found = experiment_metrics(store, P, exp.id)
    acc = found["comparisons"]["acceptance"]
    assert acc["lower"] > 0 and acc["significant"] and acc["adjusted_p_value"] <= 0.05
    # seven metrics compared at once: the adjusted p-value is BH's, at least the raw one
    assert acc["adjusted_p_value"] >= acc["p_value"]
    assert set(found["comparisons"]) == {"good_rate", "acceptance", "edit_rate", "requery_rate", "completion",
                                         "cost", "latency_ms"}  # fmt: skip
    assert not found["srm"]["mismatch"]
    table = metrics_table(found)
    assert table.splitlines()[0] == f"experiment {exp.id} (triage, running, candidate at 50%)"
    assert any(line.startswith("acceptance") and line.endswith(" *") for line in table.splitlines())


def test_segments_are_compared_each_and_adjusted_together(store, capture):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(50, 100), segment="plan")
    arms = enrol(store, exp, [f"u{i}" for i in range(400)])
    meta = {u: {"plan": "pro" if n % 4 == 0 else "free"} for n, u in enumerate(arms)}
    traffic(capture, exp, arms, {"control": 0.5, "candidate": 0.5}, seed=3, meta=meta)
    found = experiment_metrics(store, P, exp.id)
    assert found["segments"] == ["plan=free", "plan=pro"]
    assert {"acceptance", "acceptance [plan=free]", "acceptance [plan=pro]"} <= set(found["comparisons"])
    assert len(found["comparisons"]) == 21


def test_a_sample_ratio_mismatch_is_flagged_per_step(store, capture):
    _, candidate = arena(store)
    exp = start_experiment(store, P, "triage", candidate, ramp=(10, 50, 100))
    users = [f"u{i}" for i in range(400)]
    enrol(store, exp, users, arms={u: "candidate" if i % 2 else "control" for i, u in enumerate(users)})
    srm = experiment_metrics(store, P, exp.id)["srm"]
    assert srm["mismatch"] and srm["p_value"] < 0.001
    assert srm["steps"][0]["counts"] == {"control": 200, "candidate": 200}
    assert srm["reason"].startswith("mismatch: control 200 (expected 360.0), candidate 200 (expected 40.0)")
