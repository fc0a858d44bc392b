"""What each interaction earned: implicit signals inferred from behaviour, late outcomes attributed,
one verdict per interaction from all its signals and their weights, the catch-up that keeps
labels fresh after ingest, and coverage (which signal kinds each workload collects).

The reads exported here (get, explain, iter_labels, stats, measure_coverage) never write: they show
what is stored, and ``pending`` says how much still waits to be labelled. Labels follow stored
events through :func:`catch_up`, which writers call: the SDK's local transport after each drain
(so a read right after ``fw.flush()`` is fresh), ``flyloop serve``'s timer or ``flyloop worker``,
a dataset build and ``recompute`` at their start; a program that calls ``Capture.ingest`` itself
calls ``catch_up(store, project)`` when it wants fresh labels (:mod:`flyloop.labels.catchup`)."""

from .catchup import catch_up, catch_up_all, pending, recompute
from .coverage import coverage as measure_coverage
from .coverage import table as coverage_table
from .queries import explain, get, iter_labels, stats
from .relabel import forget_corrections, update
from .verdicts import VERDICTS, Label, LabelStats, decide
from .weights import Weights, configure, load_weights

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
