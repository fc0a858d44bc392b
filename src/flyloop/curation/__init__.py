"""From labelled traffic to training examples: loading what consent allows, quality filters, dedup,
rater trust (the defence against poisoned feedback), example candidates per kind, segment
reweighting and stable user-disjoint, time-aware splits."""

from .curate import KINDS, Curated, CurationConfig, Progress, collector, held_back
from .curate import curate as curate_examples

__all__ = ["KINDS", "Curated", "CurationConfig", "Progress", "collector", "curate_examples", "held_back"]
