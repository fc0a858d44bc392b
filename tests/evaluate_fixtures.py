"""The small choice project the evaluation surfaces' tests share (tests/cli/test_cli_evaluate.py,
tests/sdk/test_sdk_evaluate.py, tests/server/test_server_evaluate.py): 120 labelled subject lines
of the spam workload, a production kNN vote with k=1 over their bank and a candidate with k=7, and
a golden set of 20 other lines."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import fix_keys, hours_ago
from flyloop import datasets, registry
from flyloop.capture import declare_workload
from flyloop.improve import build_bank

P = "acme"
DATA = Path(__file__).parent / "improve" / "data" / "spam_subjects.jsonl"
SUBJECTS = [json.loads(line) for line in DATA.read_text().splitlines()]
HAM = [r for r in SUBJECTS if r["label"] == "ham"]
SPAM = [r for r in SUBJECTS if r["label"] == "spam"]
GOLDEN = [
    {"input": r["text"], "expected": r["label"], "user_id": f"g{i % 8}"}
    for i, r in enumerate(r for pair in zip(HAM[100:110], SPAM[100:110]) for r in pair)
]


def spam_versions(capture) -> tuple[str, str]:
    """A choice workload from 120 labelled subject lines; production a kNN vote with k=1 over its
    bank, the candidate the same with k=7."""
    store = capture.store
    fix_keys(store, P)
    declare_workload(store, P, "spam", type="choice", labels=["ham", "spam"])
    rows = [r for pair in zip(HAM[:60], SPAM[:60]) for r in pair]
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"m{i}", "workload": "spam", "input": r["text"], "output": r["label"], "user_id": f"u{i % 30}"}
                | {"ts": now + i}
                for i, r in enumerate(rows)
            ],
            "signals": [
                {"id": f"m{i}-{kind}", "interaction_id": f"m{i}", "kind": kind, "ts": now + i + 5}
                for i in range(len(rows))
                for kind in ("accept", "thumbs_up")
            ],
        },
    )
    datasets.build(store, P, "spam", {})
    bank = build_bank(store, P, "spam", embedder="hashing", index="exact", min_examples=1, settings=capture.settings)
    prod = registry.register(store, P, {"workload": "spam", "backend": "classifier", "bank": bank.id, "k": 1})
    registry.set_production(store, P, "spam", prod.id)
    cand = registry.register(store, P, {"workload": "spam", "backend": "classifier", "bank": bank.id, "k": 7})
    return prod.id, cand.id
