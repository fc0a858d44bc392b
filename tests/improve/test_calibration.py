"""The calibration error both trained models report (flyloop.improve.calibration)."""

from __future__ import annotations

import pytest

from flyloop.improve.calibration import calibration_error


def test_the_calibration_error_weighs_each_bins_gap_by_its_share() -> None:
    # Bin 0.8-0.9: four cases at 0.8, three happened (gap 0.05); bin 0.2-0.3: one at 0.2, it did not (0.2).
    assert calibration_error([0.8, 0.8, 0.8, 0.8, 0.2], [1, 1, 1, 0, 0]) == pytest.approx(4 / 5 * 0.05 + 1 / 5 * 0.2)
    assert calibration_error([1.0, 1.0], [1, 1]) == 0.0  # 1.0 falls in the last bin
    assert calibration_error([0.0, 1.0], [1, 0]) == 1.0
    assert calibration_error([], []) == 0.0
    assert calibration_error([0.55, 0.65], [1, 0], bins=1) == pytest.approx(0.1)
