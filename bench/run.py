"""``make bench``: run every ``bench/bench_*.py`` in turn (each writes its own results)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    only = set(sys.argv[1:])
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        command = [sys.executable, str(script)]
        if name == "ingest":  # it also measures PostgreSQL, on a throwaway server of its own
            command = [str(HERE.parent / "scripts" / "postgres.sh"), "run", *command]
        if subprocess.call(command, cwd=HERE.parent) != 0:
            failed.append(name)
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")
