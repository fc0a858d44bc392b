"""The two tests the alerts name: a two-proportion z-test and the population stability index.

Written here rather than taken from SciPy: SciPy is not a core dependency, and both are a few
lines of closed form (the normal tail is ``math.erfc``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# Added to every bin's share before PSI's logarithm, so an empty bin on one side gives a large,
# finite index instead of an infinite one.
PSI_FLOOR = 1e-4


def two_proportions(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float]:
    """z and the two-sided p-value of the difference ``x2/n2 - x1/n1`` (pooled variance). A
    difference with no variance at all (both 0% or both 100%) is z = 0, p = 1."""
    if n1 <= 0 or n2 <= 0:
        return 0.0, 1.0
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (x2 / n2 - x1 / n1) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def psi(before: Sequence[float], after: Sequence[float]) -> float:
    """Population stability index of two histograms over the same bins: sum over bins of
    (after share - before share) * ln(after share / before share). Under 0.1 stable, 0.1 to 0.25
    a moderate shift, above 0.25 a major one (the credit-scoring rule of thumb)."""
    nb, na = sum(before), sum(after)
    if nb <= 0 or na <= 0:
        return 0.0
    total = 0.0
    for b, a in zip(before, after, strict=True):
        p, q = max(b / nb, PSI_FLOOR), max(a / na, PSI_FLOOR)
        total += (q - p) * math.log(q / p)
    return total
