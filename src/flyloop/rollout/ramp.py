"""The ramp's decisions: roll back when a guardrail breaks, move on, or promote.

::

    ramp = Ramp(stages=(10, 50, 100), min_users=1000)
    latency = Guardrail("latency_ms", better="lower", bound=50, effect=100)
    checks = [(latency, latency.check(production_latency, candidate_latency, previous=last_check))]
    verdict = decide(primary, checks, ramp=ramp, stage=0, stage_users=1200)
    verdict.action, verdict.reasons       # 'advance', ('no guardrail broke over 1200 ...',)

The candidate's share of traffic climbs the ramp's stages (10, then 50, then 100%). At every look:

* **rollback** when a guardrail broke: its always-valid interval lies wholly beyond the bound it
  may not cross ("no worse than bound"). The guardrails' one-sided always-valid p-values, across
  metrics and segments, go through Benjamini-Hochberg first, so checking ten guardrails in five
  segments does not multiply the false alarms (on A/A traffic the chance of any rollback stays
  near alpha: BH's "anything rejected" is Simes' test of the global null);
* **promote** (to the last stage) at the stage just before it, once that stage has seen
  ``min_users`` candidate users, when the primary metric's lower bound is above 0 (better, with
  the confidence of every look at once);
* **advance** to the next stage when the stage has seen ``min_users`` candidate users and no
  guardrail broke (the primary need not have won yet: the next stage gathers the evidence faster);
* otherwise **hold**.

Bounds are in the metric's own units (0.01 for one point of a rate, 50 for 50 ms); ``better`` says
which way is good, so "worse" means below for a rate of good verdicts and above for latency.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from flyloop import errors

from .sequential import ArmStats, Estimate, benjamini_hochberg, check_alpha, choose_tau, compare, running

Better = Literal["higher", "lower"]
Action = Literal["rollback", "promote", "advance", "hold"]
DIRECTIONS: tuple[Better, ...] = ("higher", "lower")


def _check_better(better: str, field: str) -> None:
    if better not in DIRECTIONS:
        raise errors.ValidationError(f"{better!r} is not one of {DIRECTIONS}", field=field)


def _format(value: float) -> str:
    return f"{value:+.4g}" if math.isfinite(value) else ("+inf" if value > 0 else "-inf")


@dataclass(frozen=True)
class Guardrail:
    """A metric the candidate may not make worse than ``bound`` (in the metric's units).

    ``effect``: the regression beyond the bound that should be caught fastest (it sets the
    mixture's tau, :func:`~flyloop.rollout.sequential.choose_tau`). ``segment`` names the slice
    of users this check covers (None: all of them).
    """

    metric: str
    effect: float
    bound: float = 0.0
    better: Better = "higher"
    segment: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.metric, str) or not self.metric:
            raise errors.ValidationError("a guardrail names its metric", field="metric")
        if not math.isfinite(self.bound) or self.bound < 0:
            raise errors.ValidationError(f"{self.bound!r} is not a tolerated loss of 0 or more", field="bound")
        _check_better(self.better, "better")
        choose_tau(self.effect)  # validates it

    @property
    def label(self) -> str:
        return self.metric if self.segment is None else f"{self.metric} [{self.segment}]"

    @property
    def worst(self) -> float:
        """The worst difference (candidate - control) still allowed."""
        return 0.0 - self.bound if self.better == "higher" else self.bound  # 0.0 - : never -0.0

    def check(
        self, control: ArmStats, candidate: ArmStats, *, alpha: float = 0.05, previous: Estimate | None = None
    ) -> Estimate:
        """This look's always-valid estimate against the bound, kept running with ``previous``.

        Its p-value counts only evidence of being worse than allowed (one-sided), and it is at most
        ``alpha`` exactly when the interval has lain wholly beyond the bound at some look.
        """
        found = compare(
            control,
            candidate,
            tau=choose_tau(self.effect, alpha),
            alpha=alpha,
            null=self.worst,
            side="below" if self.better == "higher" else "above",
        )
        return running(previous, found)


@dataclass(frozen=True)
class Ramp:
    """The candidate's share of traffic at each stage, in percent, ending at 100 (promoted), and
    the candidate users a stage must see before the ramp moves on."""

    stages: tuple[float, ...] = (10.0, 50.0, 100.0)
    min_users: int = 1000

    def __post_init__(self) -> None:
        stages = tuple(self.stages)
        if len(stages) < 2 or stages[-1] != 100 or any(not 0 < s <= 100 for s in stages):
            raise errors.ValidationError("stages are percentages above 0, ending at 100", field="stages")
        if any(b <= a for a, b in zip(stages, stages[1:], strict=False)):
            raise errors.ValidationError("stages must climb", field="stages")
        if isinstance(self.min_users, bool) or not isinstance(self.min_users, int) or self.min_users < 1:
            raise errors.ValidationError(f"{self.min_users!r} is not a count of users", field="min_users")

    def split(self, stage: int, *, control: str = "production", candidate: str = "candidate") -> dict[str, float]:
        """The traffic split at a stage, for :meth:`~flyloop.rollout.assignment.Allocation.ramp`."""
        self._check_stage(stage)
        share = float(self.stages[stage])
        return {control: 100.0 - share, candidate: share}

    def _check_stage(self, stage: int) -> None:
        if isinstance(stage, bool) or not isinstance(stage, int) or not 0 <= stage < len(self.stages):
            raise errors.ValidationError(f"{stage!r} is not a stage of {self.stages}", field="stage")


@dataclass(frozen=True)
class Verdict:
    """What the ramp does now, the stage it ends at (None after a rollback), the candidate's share
    of traffic from now on, and why in words and numbers."""

    action: Action
    stage: int | None
    share: float
    reasons: tuple[str, ...]
    broken: tuple[str, ...] = ()  # labels of the guardrails that broke
    adjusted_p_values: tuple[float, ...] = ()  # the guardrails', after Benjamini-Hochberg, in order


def decide(
    primary: Estimate,
    guardrails: Sequence[tuple[Guardrail, Estimate]],
    *,
    ramp: Ramp,
    stage: int,
    stage_users: int,
    primary_better: Better = "higher",
    alpha: float = 0.05,
) -> Verdict:
    """The ramp's move at one look (the rules are in this module's docstring).

    ``primary`` and each guardrail's estimate are running ones (:func:`running`,
    :meth:`Guardrail.check`); ``stage_users`` counts the candidate's users at the current stage.
    """
    ramp._check_stage(stage)
    check_alpha(alpha)
    _check_better(primary_better, "primary_better")
    if stage == len(ramp.stages) - 1:
        raise errors.Conflict("the candidate already serves all traffic: the ramp is over", field="stage")
    if isinstance(stage_users, bool) or not isinstance(stage_users, int) or stage_users < 0:
        raise errors.ValidationError(f"{stage_users!r} is not a count of users", field="stage_users")
    adjusted = benjamini_hochberg([estimate.p_value for _, estimate in guardrails], alpha)
    broken = [
        (guardrail, estimate)
        for (guardrail, estimate), rejected in zip(guardrails, adjusted.rejected, strict=True)
        if rejected
    ]
    if broken:
        reasons = tuple(
            f"{g.label} broke its guardrail: the difference {_format(e.difference)} lies in "
            f"[{_format(e.lower)}, {_format(e.upper)}], wholly {'below' if g.better == 'higher' else 'above'} "
            f"the worst allowed {_format(g.worst)} (adjusted p {p:.3g} <= {alpha:g})"
            for (g, e), p, rejected in zip(guardrails, adjusted.p_values, adjusted.rejected, strict=True)
            if rejected
        )
        return Verdict("rollback", None, 0.0, reasons, tuple(g.label for g, _ in broken), adjusted.p_values)
    share = float(ramp.stages[stage])
    if stage_users < ramp.min_users:
        reason = f"{stage_users} of {ramp.min_users} candidate users at {share:g}%: waiting"
        return Verdict("hold", stage, share, (reason,), (), adjusted.p_values)
    gain_lower = primary.lower if primary_better == "higher" else -primary.upper
    interval = f"[{_format(primary.lower)}, {_format(primary.upper)}]"
    if stage == len(ramp.stages) - 2:
        if gain_lower > 0:
            reason = f"the primary metric improved: its difference {_format(primary.difference)} lies in {interval}"
            return Verdict("promote", stage + 1, 100.0, (reason, "no guardrail broke"), (), adjusted.p_values)
        if math.isfinite(primary.lower) and math.isfinite(primary.upper):
            reason = f"the primary metric has not improved yet: its difference lies in {interval}, which holds 0"
        else:
            # An interval is formed once each arm has users with the metric's data (and a spread).
            reason = "the primary metric has no interval yet: too few users with its data in each arm"
        return Verdict("hold", stage, share, (reason,), (), adjusted.p_values)
    reason = f"no guardrail broke over {stage_users} candidate users at {share:g}%"
    return Verdict("advance", stage + 1, float(ramp.stages[stage + 1]), (reason,), (), adjusted.p_values)
