"""The training loops' figures (issue 12): LoRA SFT, DPO and KTO on the small model, the choice
head, the reward model and the embedder fine-tune, each a part (``bench/training/<part>.py``).

    python bench/bench_training.py --part lora      # one part
    python bench/bench_training.py                  # every part

Each part writes its own section of BENCHMARKS.md and ``bench/results/training_<part>.json``;
``bench/results/training.json`` then holds every part's figures (the keys the issue names), each
part's command and when it was measured, merged from those files.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, write_result

PARTS = ("lora", "heads", "reward", "retrieval")


def merge() -> dict[str, object]:
    """training.json from every part's file: figures side by side, each part's command and time."""
    merged: dict[str, object] = {}
    parts: dict[str, object] = {}
    for part in PARTS:
        path = RESULTS / f"training_{part}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        merged.update({k: v for k, v in data.items() if not k.startswith("_")})
        parts[part] = {"command": data.get("_command"), "at": data.get("_at"), "machine": data.get("_machine")}
    merged["_parts"] = parts
    merged["_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    (RESULTS / "training.json").write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=PARTS, action="append", help="run only these parts")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, to try the harness")
    args, rest = parser.parse_known_args()
    for part in args.part or PARTS:
        module = importlib.import_module(f"bench.training.{part}")
        figures, markdown = module.run(args, rest)
        command = f"python bench/bench_training.py --part {part}" + (" --quick" if args.quick else "")
        command += "".join(f" {r}" for r in rest)
        write_result(f"training_{part}", figures, markdown, command=command)
    merge()
    print("merged into bench/results/training.json")


if __name__ == "__main__":
    main()
