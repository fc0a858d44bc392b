"""Sample-ratio mismatch: did the arms get the users the split promised?

::

    srm_check({"production": 5300, "candidate": 4700}, {"production": 50, "candidate": 50})
    # Srm(statistic=36.0, p_value=1.97e-09, mismatch=True, expected={...}, reason='...')

When the arms' user counts stray from the split more than chance allows, something other than
the hash chose who saw what (a crash in one arm's path that loses its users' events, a bot, a
cache serving the old arm), and every metric comparing the arms is suspect. The check is
Pearson's chi-square goodness of fit of the counts against the split (scipy's ``chisquare``),
alerting at p < 0.001: strict, because it runs at every look and a false alarm stops an experiment.

Count each user once, in the arm first assigned, and compare the users first assigned under one
allocation with that allocation's split: after a ramp, persisted users keep their arms
(:mod:`flyloop.rollout.assignment`), so all users together follow neither split.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from flyloop import errors

from .assignment import bucket_counts

SRM_ALPHA = 0.001


@dataclass(frozen=True)
class Srm:
    """The check's chi-square statistic, its p-value, whether it alerts, and why."""

    statistic: float
    p_value: float
    mismatch: bool
    expected: dict[str, float] = field(default_factory=dict)  # users each arm should have had
    reason: str = ""


def srm_check(counts: Mapping[str, int], split: Mapping[str, float], *, alpha: float = SRM_ALPHA) -> Srm:
    """Chi-square goodness of fit of the arms' user ``counts`` to the ``split`` (percent).

    An arm with 0% that has users is a mismatch outright (no chance puts anyone there).
    """
    from scipy.stats import chisquare

    if not 0 < alpha < 1:
        raise errors.ValidationError(f"{alpha!r} is not a level between 0 and 1", field="alpha")
    buckets = bucket_counts(split)
    if set(counts) != set(buckets):
        raise errors.ValidationError(
            f"the counts name arms {sorted(counts)}, the split {sorted(buckets)}", field="counts"
        )
    for arm, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise errors.ValidationError(f"{count!r} is not a count of users", field=f"counts.{arm}")
    total = sum(counts.values())
    expected = {arm: total * share / sum(buckets.values()) for arm, share in buckets.items()}
    if total == 0:
        return Srm(0.0, 1.0, False, expected, "no users yet")
    stray = sorted(arm for arm, share in buckets.items() if share == 0 and counts[arm] > 0)
    if stray:
        reason = f"arms at 0% have users: {', '.join(f'{arm} ({counts[arm]})' for arm in stray)}"
        return Srm(math.inf, 0.0, True, expected, reason)
    live = [arm for arm in buckets if buckets[arm] > 0]
    if len(live) < 2:
        return Srm(0.0, 1.0, False, expected, "one arm takes all traffic: nothing to compare")
    result = chisquare([counts[arm] for arm in live], [expected[arm] for arm in live])
    statistic, p_value = float(result.statistic), float(result.pvalue)
    observed = ", ".join(f"{arm} {counts[arm]} (expected {expected[arm]:.1f})" for arm in live)
    verdict = "mismatch" if p_value < alpha else "consistent with the split"
    reason = f"{verdict}: {observed}; chi-square {statistic:.4g}, p {p_value:.3g} (alert below {alpha:g})"
    return Srm(statistic, p_value, p_value < alpha, expected, reason)
