"""Ingest validation in process: microseconds per event that ``parse_batch`` spends on a batch of
500, this working tree beside a git revision (default HEAD~1, or ``--against``), run
alternately in fresh interpreters so both see the same machine. The figure is the best of
``--rounds`` rounds in each of ``--pairs`` processes per side (the machine is shared; the best
is the least disturbed).

Two bodies like bench_ingest's: 500 signals (thumbs, copies, regenerations), and 500
interactions with texts, numbers, a session and small metadata.

Run: ``python bench/bench_validation.py --against <commit>``; writes bench/results/validation.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = r"""
import sys, time, json
sys.path.insert(0, sys.argv[1])
import orjson
try:
    from flyloop.events.wire import parse_batch
except ImportError:  # a revision before the house (issue 10)
    from flyloop.models import parse_batch

base = time.time() - 86400
kinds = ["thumbs_up", "copy", "thumbs_down", "regenerate"]
bodies = {
    "signals": orjson.dumps({"signals": [{"id": f"s{n}", "interaction_id": f"i{n // 4}", "kind": kinds[n % 4],
                                          "ts": base + n * 0.001, "source": "user"} for n in range(500)]}),
    "interactions": orjson.dumps({"interactions": [
        {"id": f"i{n}", "workload": "support", "input": "How do I reset my password? " * 3,
         "output": "Click forgot and follow the mail. " * 4, "user_id": f"u{n % 50}", "session_id": f"s{n // 4}",
         "ts": base + n * 0.001, "latency_ms": 850.0, "tokens_in": 12, "tokens_out": 14,
         "metadata": {"model": "m1", "temperature": 0.2}} for n in range(500)]}),
}
best = {name: float("inf") for name in bodies}
for _ in range(int(sys.argv[2])):
    for name, body in bodies.items():
        start = time.perf_counter()
        for _ in range(5):
            parse_batch(body)
        best[name] = min(best[name], (time.perf_counter() - start) / (5 * 500) * 1e6)
print(json.dumps(best))
"""


def measure(src: Path, rounds: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(src), str(rounds)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", default="HEAD~1", help="git revision to compare with")
    parser.add_argument("--pairs", type=int, default=5, help="alternating process pairs")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", args.against, "src"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        before: list[dict[str, float]] = []
        after: list[dict[str, float]] = []
        for _ in range(args.pairs):
            before.append(measure(Path(tmp) / "src", args.rounds))
            after.append(measure(ROOT / "src", args.rounds))
    result: dict[str, object] = {
        "_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "_command": f"python bench/bench_validation.py --against {args.against}",
        "_against": subprocess.run(
            ["git", "rev-parse", "--short", args.against], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }
    for name in ("signals", "interactions"):
        b = min(r[name] for r in before)
        a = min(r[name] for r in after)
        result[f"{name}_us_per_event_before"] = round(b, 3)
        result[f"{name}_us_per_event_after"] = round(a, 3)
        print(f"{name}: {b:.3f} -> {a:.3f} us/event ({(a / b - 1) * 100:+.1f}%)")
    out = ROOT / "bench" / "results" / "validation.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
