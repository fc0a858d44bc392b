"""How far predicted probabilities are from what happened: the expected calibration error both
trained models report (the choice head on its top label, the reward model on a good outcome)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

ECE_BINS = 10


def calibration_error(
    predicted: Sequence[float] | NDArray[Any], observed: Sequence[float] | NDArray[Any], bins: int = ECE_BINS
) -> float:
    """ECE over ``bins`` equal-width bins of the predicted probability: each bin's share of the
    cases times the gap between its mean prediction and its observed rate (``observed`` 0 or 1,
    or a rate), summed. A prediction of 1.0 falls in the last bin. No cases: 0."""
    p = np.asarray(predicted, dtype=np.float64)
    y = np.asarray(observed, dtype=np.float64)
    if not len(p):
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += float(mask.mean()) * abs(float(p[mask].mean()) - float(y[mask].mean()))
    return total
