"""``flyloop demo``: the main job, end to end, on the embedded default.

A simulated AI app (see :mod:`flyloop.simulate`) logs a few thousand interactions through the
SDK, with every kind of signal and late outcomes; then the demo prints what flyloop captured.
Later stages (labels, curation, loops, rollout) add their own sections here as they land.
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.table import Table

from .sdk import Flywheel
from .settings import Settings
from .simulate import Simulation


def run(settings: Settings | None = None, *, interactions: int = 3000, users: int = 200, seed: int = 7,
        console: Console | None = None) -> dict[str, Any]:
    settings = settings or Settings()
    console = console or Console()
    console.rule("[bold]flyloop demo")
    console.print(f"store: {settings.database_url}")
    started = time.perf_counter()
    fw = Flywheel(settings=settings)
    try:
        sim = Simulation(fw, users=users, seed=seed, workload="math-help")
        truth = sim.run(interactions)
        logged = time.perf_counter() - started
        delivered = fw.flush(timeout=120)
        stored = time.perf_counter() - started
        report = fw.store.status(fw.project, orphan_window_s=settings.orphan_window_s)
    finally:
        fw.close()
    stats = fw.stats
    console.print(f"simulated {users} users over {sim.days:.0f} days: {len(truth.correct):,} interactions "
                  f"({sum(truth.correct.values()) / max(1, len(truth.correct)):.0%} answered right, known only to the simulator)")
    console.print(f"SDK: {stats.sent:,} events sent in {stats.batches} batches; app thread busy {logged:.2f}s, "
                  f"all stored after {stored:.2f}s; delivered={delivered}, rejected={stats.rejected}")
    table = Table(title="captured")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in report["counts"].items():
        table.add_row(name, f"{count:,}")
    for name, count in report["signal_kinds"].items():
        table.add_row(f"  {name}", f"{count:,}")
    table.add_row("signals waiting for their interaction", str(report["waiting_signals"]))
    table.add_row("signals orphaned", str(report["orphaned_signals"]))
    console.print(table)
    return {"status": report, "truth": truth}
