"""What each interaction earned: implicit signals inferred from behaviour, late outcomes attributed,
one verdict per interaction from all its signals and their weights, the catch-up that keeps
labels fresh after ingest, and coverage (which signal kinds each workload collects).

The reads exported here (get, explain, iter_labels, stats, measure_coverage) are the fresh ones of
:mod:`flyloop.labels.catchup`: each catches up first, so a read right after a flush sees it."""

from .catchup import (
    catch_up,
    catch_up_all,
    explain,
    get,
    iter_labels,
    measure_coverage,
    pending,
    recompute,
    stats,
)
from .coverage import table as coverage_table
from .verdicts import VERDICTS, Label, LabelStats, configure, decide, forget_corrections, load_weights, update
from .weights import Weights

__all__ = [
    "VERDICTS",
    "Label",
    "LabelStats",
    "Weights",
    "catch_up",
    "catch_up_all",
    "configure",
    "coverage_table",
    "decide",
    "explain",
    "forget_corrections",
    "get",
    "iter_labels",
    "load_weights",
    "measure_coverage",
    "pending",
    "recompute",
    "stats",
    "update",
]
