"""The traffic the ingest benchmark sends (``bench/bench_ingest.py``): interactions in batches of
``BATCH`` from 4,000 users, and signals about them, ``SIGNALS_PER_INTERACTION`` each, of the
``KINDS`` in turn."""

from __future__ import annotations

from typing import Any

import orjson

BATCH = 500
KINDS = [
    ("thumbs_up", None),
    ("accept", None),
    ("copy", None),
    ("thumbs_down", None),
    ("rating", 4.0),
    ("dwell", 7.5),
    ("thumbs_up", None),
    ("accept", None),
]
SIGNALS_PER_INTERACTION = 4


def make_signals(prefix: str, batches: int, interactions: int, base: float) -> list[list[dict[str, Any]]]:
    """``batches`` batches of 500 signals about the interactions ``interaction_bodies(prefix,
    interactions, base)`` made, in turn: signal n is about interaction n % interactions, so every
    signal of a batch touches a different interaction (the labeller's worst case) and each
    interaction gets its signals one to a few seconds after it, as feedback comes."""
    out = []
    for b in range(batches):
        batch = []
        for i in range(BATCH):
            n = b * BATCH + i
            k = n % interactions
            kind, value = KINDS[n % len(KINDS)]
            signal: dict[str, Any] = {
                "id": f"{prefix}s{n:08d}",
                "interaction_id": f"{prefix}it{k:06d}",
                "kind": kind,
                "ts": base + k * 0.001 + 1 + n // interactions,
                "source": "user",
            }
            if value is not None:
                signal["value"] = value
            batch.append(signal)
        out.append(batch)
    return out


def interaction_bodies(prefix: str, count: int, base: float) -> list[bytes]:
    """``count`` interactions in batches of 500, from 4,000 users, a millisecond apart from ``base``."""
    return [
        orjson.dumps(
            {
                "interactions": [
                    {
                        "id": f"{prefix}it{n:06d}",
                        "workload": "support",
                        "input": f"How do I reset my password? (case {n})",
                        "output": "Open Settings, then Security, then Reset password.",
                        "user_id": f"u{n % 4000}",
                        "session_id": f"{prefix}s{n // 4}",
                        "ts": base + n * 0.001,
                        "latency_ms": 850.0,
                        "tokens_in": 12,
                        "tokens_out": 14,
                    }
                    for n in range(start, min(count, start + BATCH))
                ]
            }
        )
        for start in range(0, count, BATCH)
    ]
