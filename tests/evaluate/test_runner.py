"""Stored evaluations (flyloop.evaluate.runner, records): a candidate and the production version
answer the same held-out cases through their real backends (the kNN classifier over a bank, a
trained head) on real labelled text (SpamAssassin subject lines), scored, compared, gated and
stored; a generation workload through a registered backend; failures stored, bad input refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import fix_keys, hours_ago
from flyloop import datasets, errors, registry
from flyloop.capture import Capture, declare_workload
from flyloop.evaluate import (
    GateConfig,
    Guardrail,
    gate_config,
    get_evaluation,
    latest_evaluation,
    list_evaluations,
    run_evaluation,
    set_gate_config,
)
from flyloop.improve import backends as backends_module
from flyloop.improve import bank as bank_module
from flyloop.improve import build_bank, run_loop
from flyloop.store import schema

P = "acme"
DATA = Path(__file__).parents[1] / "improve" / "data" / "spam_subjects.jsonl"
SUBJECTS = [json.loads(line) for line in DATA.read_text().splitlines()]
HAM = [r for r in SUBJECTS if r["label"] == "ham"]
SPAM = [r for r in SUBJECTS if r["label"] == "spam"]
# The gate without the latency guardrail: latencies are wall times, and these tests pin figures.
GATE = GateConfig(primary="accuracy", guardrails=(Guardrail("macro_f1", "difference", low=-0.02),))


@pytest.fixture(autouse=True)
def fresh_backends(store):
    """Backends and banks are cached per process by content-hashed ids that repeat across tests."""
    backends_module.clear_cache()
    bank_module.LOADED.pop(store, None)
    yield
    backends_module.clear_cache()


def spam_project(capture: Capture, n: int = 800) -> registry.PolicyVersion:
    """``n`` subject lines, half spam, each answered with its label, accepted and liked by one of
    160 users (a plan each: 48 pro, the rest free); a dataset version; production a kNN vote (k=1) over the
    bank of its training split."""
    fix_keys(capture.store, P)
    declare_workload(capture.store, P, "spam", type="choice", labels=["ham", "spam"])
    chosen = [(r["text"], r["label"]) for pair in zip(HAM[: n // 2], SPAM[: n // 2], strict=True) for r in pair]
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"m{i}", "workload": "spam", "input": text, "output": label, "user_id": f"u{i % 160}"}
                | {"ts": now + i, "metadata": {"plan": "pro" if i % 160 < 48 else "free"}}
                for i, (text, label) in enumerate(chosen)
            ],
            "signals": [
                {"id": f"m{i}-{kind}", "interaction_id": f"m{i}", "kind": kind, "ts": now + i + 5}
                for i in range(len(chosen))
                for kind in ("accept", "thumbs_up")
            ],
        },
    )
    datasets.build(capture.store, P, "spam", {})
    bank = build_bank(capture.store, P, "spam", embedder="hashing", index="exact", settings=capture.settings)
    prod = registry.register(capture.store, P, {"workload": "spam", "backend": "classifier", "bank": bank.id, "k": 1})
    registry.set_production(capture.store, P, "spam", prod.id)
    return prod


def head_candidate(capture: Capture) -> str:
    run = run_loop(capture.store, P, "finetune", "spam", settings=capture.settings, embedder="hashing", min_pairs=50)
    (candidate,) = run.candidates
    return candidate


def test_a_head_against_a_knn_production_on_the_held_out_split(capture: Capture) -> None:
    prod = spam_project(capture)
    cand = head_candidate(capture)
    ev = run_evaluation(capture.store, P, "spam", cand, gate=GATE, settings=capture.settings, by="ana", segment_key="plan")
    print(ev.table())
    k15 = registry.register(capture.store, P, {"workload": "spam", "backend": "classifier", "bank": prod.bank, "k": 15})
    ev = run_evaluation(capture.store, P, "spam", k15.id, gate=GATE, settings=capture.settings, by="ana", segment_key="plan")
    print(ev.table())
    print(ev.model_dump())
