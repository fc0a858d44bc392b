"""The gate a candidate passes before any user sees it.

A candidate passes when

* its **primary** metric improves: the confidence interval of the paired difference (candidate
  minus production, clustered by user) lies wholly beyond ``margin`` (its lower bound above the
  margin; for a lower-is-better metric, its upper bound below minus the margin), on at least
  ``min_clusters`` users: an interval from a handful of users says little however narrow it is;
* no **guardrail** regresses beyond its bound: each bounds either the ratio candidate/production
  (``p95 latency within +20%``: ``Guardrail("latency_p95", "ratio", high=1.2)``) or the
  difference (``refusal rate up at most 1 point``: ``Guardrail("refusal_rate", "difference",
  high=0.01)``). By default a guardrail is judged on its point estimate; ``use_ci`` judges it on
  the whole interval (a non-inferiority test: stricter, and it needs more cases);
* no **segment** with at least ``min_segment_cases`` cases takes its primary metric out of the
  parity band of production's there (``segment_band``, 0.8..1.25 by default: the four-fifths rule
  either way). Only the band's regression side is judged (the low end of a higher-is-better metric,
  the high end of a lower-is-better one): a segment improving far more than the rest is reported,
  not failed, unless ``segment_two_sided``. Smaller segments are reported and not judged.

**References.** An eval split's references are what users said, and some users say things the
evidence doubts. With ``references="quality"`` each eval-split case counts by its example's curated
quality (the label's confidence times its rater's trust) in every mean and count, so a habitual
thumbs-up backing production's own answer weighs less than a correction an outcome bore out; by
default each counts once. The evaluation applies it (:mod:`flyloop.evaluate.runner`); the gate
says so in its words.

A guardrail whose metric has no data (no latency recorded) is reported as not judged; a primary
metric with no data fails. The result explains itself in words and numbers (:attr:`GateResult.summary`,
"accuracy +4.1 points [1.2, 7.0] > margin 0; p95 latency 212 ms vs 198 ms within +20%; ...: PASS")
and as data (``to_dict``) to store with the candidate.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from flyloop import errors
from flyloop.evaluate.comparison import Comparison, MetricResult
from flyloop.evaluate.metrics import WORKLOAD_TYPES, get_metric

Bound = Literal["ratio", "difference"]
# How each eval-split case counts: "equal", once; "quality", weighed by its example's curated
# quality (the label's confidence times its rater's trust, flyloop.curation), so a reference that
# a habitual thumbs-up or a doubted rater gave counts for less than one the evidence backs.
REFERENCES = ("equal", "quality")
# Primary metrics of generation workloads by preference: a checkable answer says most, then the
# user's own correction, then a reward model, then a judge.
GENERATION_PRIMARY = ("exact_match", "correction_similarity", "reward", "judge")


@dataclass(frozen=True)
class Guardrail:
    """A metric that must not regress beyond its bounds: ``low``/``high`` on the ratio
    candidate/production or on the difference candidate - production (None: unbounded)."""

    metric: str
    bound: Bound
    low: float | None = None
    high: float | None = None
    use_ci: bool = False
    # A change this small, in the metric's own units, passes whatever its ratio: 0.1 ms against
    # 0.6 ms is six times slower and of no consequence to anyone (0: no allowance).
    slack: float = 0.0

    def __post_init__(self) -> None:
        get_metric(self.metric)
        if self.bound not in ("ratio", "difference"):
            raise errors.ValidationError("a guardrail bounds the 'ratio' or the 'difference'", field="bound")
        for name in ("low", "high"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise errors.ValidationError(f"the guardrail on {self.metric}: {name} is a number", field=name)
        if self.low is None and self.high is None:
            raise errors.ValidationError(f"the guardrail on {self.metric} gives low, high or both", field="high")
        slack = self.slack
        if isinstance(slack, bool) or not isinstance(slack, int | float) or not math.isfinite(slack) or slack < 0:
            raise errors.ValidationError(f"the guardrail on {self.metric}: slack is a number >= 0", field="slack")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise errors.ValidationError(f"the guardrail on {self.metric} has low above high", field="low")


@dataclass(frozen=True)
class GateConfig:
    """What a workload's candidates must show. :meth:`default` gives each workload type's."""

    primary: str
    margin: float = 0.0
    guardrails: tuple[Guardrail, ...] = ()
    segment_band: tuple[float, float] | None = (0.8, 1.25)
    min_segment_cases: int = 30
    min_clusters: int = 10
    segment_two_sided: bool = False
    # How the eval split's cases count (see REFERENCES): a golden set's cases count once whatever
    # this says (a person wrote their references).
    references: str = "equal"

    def __post_init__(self) -> None:
        if self.references not in REFERENCES:
            raise errors.ValidationError(
                f"references is one of {', '.join(REFERENCES)}, not {self.references!r}", field="references"
            )
        if get_metric(self.primary).kind == "quantile":
            raise errors.ValidationError("the primary metric needs an interval: not a quantile", field="primary")
        if not isinstance(self.margin, int | float) or not math.isfinite(self.margin) or self.margin < 0:
            raise errors.ValidationError("margin is a number >= 0, in the metric's units", field="margin")
        if self.segment_band is not None:
            band = self.segment_band
            if len(band) != 2 or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in band):
                raise errors.ValidationError("segment_band is two numbers (low, high)", field="segment_band")
            low, high = band
            if not 0 <= low <= 1 <= high:
                raise errors.ValidationError("segment_band is (low, high) with low <= 1 <= high", field="segment_band")
        for name in ("min_segment_cases", "min_clusters"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise errors.ValidationError(f"{name} is a positive integer", field=name)

    @classmethod
    def default(cls, workload_type: str, available: Collection[str] | None = None) -> GateConfig:
        """The default gate of a workload type. ``available``: the metrics the evaluation has
        (a comparison's); a generation workload's primary is the first of
        :data:`GENERATION_PRIMARY` there, and guardrails on absent metrics are left out."""
        if workload_type not in WORKLOAD_TYPES:
            raise errors.ValidationError(f"workload_type is one of {', '.join(WORKLOAD_TYPES)}", field="workload_type")
        have = set(available) if available is not None else None
        if workload_type == "choice":
            primary = "accuracy"
            rails = [Guardrail("macro_f1", "difference", low=-0.02)]
        else:
            found = [m for m in GENERATION_PRIMARY if have is None or m in have]
            if not found:
                raise errors.ValidationError(
                    "a generation gate needs one of " + ", ".join(GENERATION_PRIMARY) + " measured", field="primary"
                )
            primary = found[0]
            # Length within 0.5..1.5x production's; where answers are checked (exact match), only
            # the growth is guarded: an answer checked right is right however short, a short wrong
            # one already costs the primary, and a model taught to stop rambling ("-84" where the
            # base model wrote a paragraph) would otherwise be refused for its brevity.
            shortest = None if primary == "exact_match" else 0.5
            rails = [
                Guardrail("refusal_rate", "difference", high=0.01),
                Guardrail("length_chars", "ratio", low=shortest, high=1.5),
            ]
        # Latency within +20%, or within 50 ms whatever the ratio (a kNN vote after a zero-shot
        # one is many times slower and still answers in milliseconds).
        rails += [Guardrail("latency_p95", "ratio", high=1.2, slack=50.0), Guardrail("cost", "ratio", high=1.2)]
        if have is not None:
            rails = [r for r in rails if r.metric in have]
        return cls(primary=primary, guardrails=tuple(rails))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GateConfig:
        """A configuration as :meth:`to_dict` wrote it (stored per workload)."""
        if not isinstance(data, dict):
            raise errors.ValidationError("a gate configuration is an object", field="gate")
        _names(data, GATE_FIELDS, {"primary"}, "gate")
        given = data.get("guardrails", ())
        if not isinstance(given, list | tuple):
            raise errors.ValidationError("guardrails is a list of objects", field="guardrails")
        rails = []
        for n, g in enumerate(given):
            if not isinstance(g, dict):
                raise errors.ValidationError("a guardrail is an object", field=f"guardrails[{n}]")
            _names(g, GUARDRAIL_FIELDS, {"metric", "bound"}, f"guardrails[{n}]")
            rails.append(Guardrail(**g))
        band = data.get("segment_band", (0.8, 1.25))
        if band is not None and not isinstance(band, list | tuple):
            raise errors.ValidationError("segment_band is two numbers (low, high)", field="segment_band")
        return cls(**{**data, "guardrails": tuple(rails), "segment_band": tuple(band) if band is not None else None})


GATE_FIELDS = (
    "primary",
    "margin",
    "guardrails",
    "segment_band",
    "min_segment_cases",
    "min_clusters",
    "segment_two_sided",
    "references",
)
GUARDRAIL_FIELDS = ("metric", "bound", "low", "high", "use_ci", "slack")


def _names(data: dict[str, Any], known: tuple[str, ...], required: set[str], where: str) -> None:
    """Refuse an unknown or missing key of a gate configuration, naming it."""
    for key in data:
        if key not in known:
            raise errors.ValidationError(f"unknown key {key!r}; known: {', '.join(known)}", field=f"{where}.{key}")
    for key in sorted(required - set(data)):
        raise errors.ValidationError(f"{key} is required", field=f"{where}.{key}")


@dataclass(frozen=True)
class Check:
    """One thing the gate looked at: ``passed`` None when it was not judged (no data, too small)."""

    kind: Literal["primary", "guardrail", "segment"]
    metric: str
    passed: bool | None
    reason: str
    segment: str | None = None
    production: float | None = None
    candidate: float | None = None
    value: float | None = None  # the difference or ratio judged
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class GateResult:
    """The verdict, every check behind it, and the configuration it was judged by."""

    passed: bool
    summary: str
    checks: tuple[Check, ...]
    config: GateConfig
    n_cases: int
    n_clusters: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return self.summary


def _num(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def show(value: float, unit: str, *, signed: bool = False) -> str:
    """A metric value in its unit ("71.2%", "212 ms"); ``signed`` for a difference ("+4.1 points")."""
    if unit == "points":
        text = f"{100 * value:+.1f}" if signed else f"{100 * value:.1f}"
        return text + (" points" if signed else "%")
    sign = "+" if signed and value >= 0 else ""
    if unit == "usd":
        return f"{sign}${value:.4g}" if value >= 0 else f"-${-value:.4g}"
    return f"{sign}{_num(value)} {unit}"


def _bounds(low: float | None, high: float | None, unit: str, bound: Bound) -> str:
    def one(v: float) -> str:
        if bound == "ratio":
            return f"{v - 1:+.0%}" if low is None or high is None else f"{v:g}"
        return show(v, unit, signed=True)

    if low is None and high is not None:
        return f"within {one(high)}"
    if high is None and low is not None:
        return f"no lower than {one(low)}"
    assert low is not None and high is not None
    return f"within {one(low)}..{one(high)}"


def _check(
    kind: Literal["primary", "guardrail", "segment"],
    metric: str,
    passed: bool | None,
    reason: str,
    result: MetricResult | None = None,
    *,
    segment: str | None = None,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
) -> Check:
    production = result.production if result is not None else None
    candidate = result.candidate if result is not None else None
    return Check(kind, metric, passed, reason, segment, production, candidate, value, low, high)


def _primary(result: MetricResult | None, config: GateConfig) -> Check:
    name = config.primary
    if result is None or result.difference.point is None:
        return _check("primary", name, False, f"{name}: no data to judge")
    d, point = result.difference, result.difference.point
    title, unit = result.title, result.unit
    margin = f"{100 * config.margin:g} points" if unit == "points" else show(config.margin, unit)
    margin = "0" if config.margin == 0 else margin
    if d.low is None or d.high is None:
        return _check("primary", name, False, f"{title} {show(point, unit, signed=True)}: no interval", result)
    scale = 100 if unit == "points" else 1
    weighed = " (references weighed by quality)" if config.references == "quality" else ""
    stated = f"{title}{weighed} {show(point, unit, signed=True)} [{d.low * scale:.1f}, {d.high * scale:.1f}]"
    if d.n_clusters < config.min_clusters:
        reason = f"{stated} from {d.n_clusters} users < {config.min_clusters}: too few to judge"
        return _check("primary", name, False, reason, result, value=point, low=d.low, high=d.high)
    if result.higher_is_better:
        ok = d.low > config.margin
        words = f"> margin {margin}" if ok else f"lower bound not above margin {margin}"
    else:
        ok = d.high < -config.margin
        words = f"< margin -{margin}" if ok else f"upper bound not below margin -{margin}"
    if not ok:
        words += _resting_on(result, d.n_clusters)
    return _check("primary", name, ok, f"{stated} {words}", result, value=point, low=d.low, high=d.high)


def _resting_on(result: MetricResult, n_users: int) -> str:
    """Why an interval did not clear its margin, in users: it resamples users, so a gain that a
    few users carry cannot clear it however large, and no test could tell it from chance (with
    k users better and none worse, an exact sign test over users says 2**-k one-sided: 3 users
    give 1 in 8)."""
    better, worse = result.users_better, result.users_worse
    if better is None or worse is None:
        return ""
    if better == worse == 0:
        return f": no user's {result.title} moved, of {n_users}"
    if worse == 0 and better <= 3:
        rests = "the gain rests on 1 user" if better == 1 else f"the gain rests on {better} users"
        return f": no user worse, but {rests} of {n_users}, too few to tell from chance"
    return f" ({better} user{'' if better == 1 else 's'} better, {worse} worse, of {n_users})"


def _guardrail(result: MetricResult | None, rail: Guardrail) -> Check:
    if result is None or result.production is None or result.candidate is None:
        return _check("guardrail", rail.metric, None, f"{rail.metric}: no data, not judged")
    estimate = result.ratio if rail.bound == "ratio" else result.difference
    value = estimate.point
    versus = f"{result.title} {show(result.candidate, result.unit)} vs {show(result.production, result.unit)}"
    if value is None:
        return _check("guardrail", rail.metric, None, f"{versus}: ratio undefined, not judged", result)
    lowest, highest = (estimate.low, estimate.high) if rail.use_ci else (value, value)
    if lowest is None or highest is None:
        lowest, highest = value, value
    inside = (rail.low is None or lowest >= rail.low) and (rail.high is None or highest <= rail.high)
    where = _bounds(rail.low, rail.high, result.unit, rail.bound)
    if rail.slack:
        where += f" or within {show(rail.slack, result.unit, signed=True)}"
        inside = inside or abs(result.candidate - result.production) <= rail.slack
    shown = f" (x{value:.2f})" if rail.bound == "ratio" else f" ({show(value, result.unit, signed=True)})"
    words = f"{versus}{shown} {where}" if inside else f"{versus}{shown} outside: must be {where}"
    if rail.use_ci:
        words += f" [interval {lowest:.3g}..{highest:.3g}]"
    return _check("guardrail", rail.metric, inside, words, result, value=value, low=estimate.low, high=estimate.high)


def _segment(segment: str, n: int, result: MetricResult | None, config: GateConfig) -> Check:
    name = config.primary
    assert config.segment_band is not None
    low, high = config.segment_band
    if n < config.min_segment_cases:
        reason = f"segment {segment!r} {n} cases < {config.min_segment_cases}: not judged"
        return _check("segment", name, None, reason, result, segment=segment)
    if result is None or result.production is None or result.candidate is None:
        return _check("segment", name, None, f"segment {segment!r}: no {name} data, not judged", segment=segment)
    ratio = result.ratio.point
    if ratio is None:
        # Production scored 0 there: there is no ratio, and the candidate must not be worse.
        ok = result.candidate >= result.production if result.higher_is_better else result.candidate <= result.production
        words = f"segment {segment!r} {name} {show(result.candidate, result.unit)} vs 0 (no ratio)"
        return _check("segment", name, ok, words, result, segment=segment)
    band = f"{low:g}..{high:g}"
    if low <= ratio <= high:
        ok, words = True, f"segment {segment!r} ratio {ratio:.2f} within {band}"
    elif config.segment_two_sided or (ratio < low) == result.higher_is_better:
        ok, words = False, f"segment {segment!r} ratio {ratio:.2f} outside {band}"
    else:
        ok, words = True, f"segment {segment!r} ratio {ratio:.2f} outside {band}, on the side of improvement"
    return _check("segment", name, ok, words, result, segment=segment, value=ratio)


def gate(comparison: Comparison, config: GateConfig | None = None) -> GateResult:
    """Judge a comparison by ``config`` (the workload type's default when None)."""
    config = config or GateConfig.default(comparison.workload_type, comparison.metrics)
    checks = [_primary(comparison.metrics.get(config.primary), config)]
    checks += [_guardrail(comparison.metrics.get(rail.metric), rail) for rail in config.guardrails]
    if config.segment_band is not None:
        for segment, results in comparison.segments.items():
            checks.append(
                _segment(segment, comparison.segment_cases.get(segment, 0), results.get(config.primary), config)
            )
    passed = all(c.passed is not False for c in checks)
    summary = "; ".join(c.reason for c in checks) + (": PASS" if passed else ": FAIL")
    extra = {}
    if comparison.judge_first_position_rate is not None:
        extra["judge_first_position_rate"] = comparison.judge_first_position_rate
    return GateResult(passed, summary, tuple(checks), config, comparison.n_cases, comparison.n_clusters, extra)
