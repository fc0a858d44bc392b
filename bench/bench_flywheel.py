"""The flywheel benchmark (issue 15), triage track: a simulated product run through the whole wheel
for several rounds, the static, naive, flyloop, flyloop-no-trust (rater trust off) and oracle arms
side by side on the same seeded traffic, held-out accuracy per round. See :mod:`bench.flywheel`.
``--prepare`` fills the embedding cache first (every mail once; minutes on a loaded machine).

    python bench/bench_flywheel.py --track triage --rounds 6 --seed 7
    python bench/bench_flywheel.py --dataset my_labelled.jsonl --rounds 4 --adversarial-share 0.1

Writes ``bench/results/flywheel_triage.json`` (keys ``rounds``, ``lift_points``,
``beat_naive_points``, ``share_of_oracle``, ``worst_round_drop_points``, ``minutes``), the curves'
PNG beside it (when matplotlib is installed) and its section of ``BENCHMARKS.md``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.flywheel.run import main

if __name__ == "__main__":
    main()
