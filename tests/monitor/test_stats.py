"""The two-proportion z-test and the population stability index, against hand computations."""

from __future__ import annotations

import math

import pytest

from flyloop.monitor.stats import psi, two_proportions


def test_two_proportions():
    z, p = two_proportions(60, 100, 30, 100)
    se = math.sqrt(0.45 * 0.55 * 0.02)
    assert z == pytest.approx(-0.3 / se) and p == pytest.approx(math.erfc(0.3 / se / math.sqrt(2)))
    assert two_proportions(0, 50, 0, 50) == (0.0, 1.0)  # no variance: no evidence
    assert two_proportions(1, 0, 1, 10) == (0.0, 1.0)


def test_psi():
    assert psi([50, 50], [50, 50]) == 0.0
    assert psi([60, 40], [40, 60]) == pytest.approx(2 * 0.2 * math.log(1.5))
    assert psi([10, 0], [0, 10]) == pytest.approx(2 * (1 - 1e-4) * math.log(1e4))  # finite, floored
    assert psi([], []) == 0.0
