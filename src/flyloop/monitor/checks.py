"""The alert checks, each read off the rollups (:func:`flyloop.monitor.metrics.totals`), never
the event tables. Each returns the alerts it finds (:class:`Finding`) and, where it could not
look, a note saying why in words (no data in the window, no segment key, too few releases).

- **regression**: a lagging metric (acceptance, outcome, re-query, abandonment rate) worse in the
  window after a production move than in the window before it, by a two-proportion z-test; the
  alert names the release (version, time, who, why).
- **segment_disparity**: a segment whose quality (acceptance, outcome rate) is below the rest's
  by more than the parity band allows (ratio under 0.8), or that improved less than 0.8 times as
  much as the rest between the last two windows.
- **metric_gaming**: explicit approval rising between the last two windows while outcomes do
  not rise and corrections (edits) do not fall.
- **coverage_bias**: a segment whose share of explicit feedback is out of proportion to its share
  of interactions (ratio outside 0.8 to 1.25, its feedback rate differing from the rest's by a
  z-test).
- **input_drift**: the distribution of input lengths shifting between the last two windows: the
  population stability index over 16 log2 bins of characters, above 0.25.
- **flywheel_stall**: quality (acceptance rate after each release) flat over the last N release
  cycles: no release raised it by the minimum step over the first of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flyloop import errors
from flyloop.registry import StageMove, stage_history
from flyloop.store import Store

from .cohorts import INPUT_BINS, NO_SEGMENT
from .series import LAGGING, RATES, totals
from .stats import psi, two_proportions
from .windows import HOUR, bucket_start

PARITY_BAND = (0.8, 1.25)
ALPHA = 0.01
MIN_DELTA = 0.02  # two percentage points: smaller moves are not worth a person's attention
PSI_ALERT = 0.25
QUALITY = ("acceptance_rate", "outcome_rate")


@dataclass
class Finding:
    """One alert before it is stored: what, where, in words and numbers."""

    kind: str
    workload: str
    subject: str
    severity: str
    message: str
    details: dict[str, Any]
    window_start: float | None
    window_end: float | None


@dataclass
class Context:
    store: Store
    project_id: str
    now: float
    window_s: float
    min_n: int
    stall_cycles: int
    segment_key: str | None
    notes: list[str] = field(default_factory=list)

    def sums(self, workload: str, start: float, end: float, by: str | None = None) -> dict[str, dict[str, float]]:
        return totals(self.store, self.project_id, start=start, end=end, workload=workload, by=by)

    def windows(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The last window (to the end of this hour) and the one before it."""
        end = bucket_start(self.now, "hour") + HOUR
        return (end - 2 * self.window_s, end - self.window_s), (end - self.window_s, end)


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))


def _rate(c: dict[str, float], name: str) -> tuple[float, float]:
    num, den, _ = RATES[name]
    return c.get(num, 0.0), c.get(den, 0.0)


def _production_moves(ctx: Context, workload: str) -> list[StageMove]:
    """The workload's moves into production; none for a workload the registry does not know (its
    traffic was loaded around the API): one such workload must not fail every check of the project."""
    try:
        return stage_history(ctx.store, ctx.project_id, workload, stage="production")
    except errors.NotFound:
        ctx.notes.append(f"{workload}: not a declared workload; no releases to check")
        return []


def regression(ctx: Context, workload: str) -> list[Finding]:
    moves = [m for m in _production_moves(ctx, workload) if m.at >= ctx.now - 7 * ctx.window_s]
    out: list[Finding] = []
    for move in moves:
        release_hour = bucket_start(move.at, "hour")
        before = ctx.sums(workload, release_hour - ctx.window_s, release_hour).get("", {})
        after = ctx.sums(workload, release_hour + HOUR, release_hour + HOUR + ctx.window_s).get("", {})
        if before.get("interactions", 0) < ctx.min_n or after.get("interactions", 0) < ctx.min_n:
            ctx.notes.append(
                f"{workload}: release of {move.version_id[:12]} at {iso(move.at)} not judged yet: "
                f"{int(before.get('interactions', 0))} interactions before and {int(after.get('interactions', 0))} "
                f"after it (at least {ctx.min_n} each)"
            )
            continue
        for metric, better in LAGGING.items():
            x1, n1 = _rate(before, metric)
            x2, n2 = _rate(after, metric)
            if not n1 or not n2 or (x1 == 0 and x2 == 0):
                continue
            z, p = two_proportions(x1, n1, x2, n2)
            change = x2 / n2 - x1 / n1
            if change * better <= -MIN_DELTA and p < ALPHA:
                words = "fell" if change < 0 else "rose"
                out.append(
                    Finding(
                        "regression",
                        workload,
                        f"{move.version_id}@{move.at:.0f}:{metric}",
                        "critical",
                        f"{workload}: {metric} {words} from {pct(x1 / n1)} ({int(x1)} of {int(n1)}) in the "
                        f"{_span(ctx.window_s)} before to {pct(x2 / n2)} ({int(x2)} of {int(n2)}) in the "
                        f"{_span(ctx.window_s)} after release {move.version_id[:12]} went to production at "
                        f"{iso(move.at)} (by {move.by}: {move.reason!r}); two-proportion z-test z={z:.2f}, p={p:.2g}",
                        {
                            "metric": metric,
                            "release": {
                                "version": move.version_id,
                                "at": move.at,
                                "by": move.by,
                                "reason": move.reason,
                                "previous": move.previous,
                            },
                            "before": {"rate": x1 / n1, "count": x1, "n": n1},
                            "after": {"rate": x2 / n2, "count": x2, "n": n2},
                            "test": "two-proportion z-test",
                            "z": z,
                            "p": p,
                        },
                        release_hour - ctx.window_s,
                        release_hour + HOUR + ctx.window_s,
                    )
                )
    return out


def _span(seconds: float) -> str:
    return {3600.0: "hour", 86400.0: "day", 604800.0: "week"}.get(seconds, f"{seconds / 3600:g} hours")


def _segments(ctx: Context, workload: str, start: float, end: float) -> dict[str, dict[str, float]] | None:
    if not ctx.segment_key:
        return None
    by = {
        s: c for s, c in ctx.sums(workload, start, end, by="segment").items() if c.get("interactions", 0) >= ctx.min_n
    }
    return by if len(by) >= 2 else None


def _rest(by: dict[str, dict[str, float]], segment: str) -> dict[str, float]:
    rest: dict[str, float] = {}
    for s, c in by.items():
        if s != segment:
            for k, v in c.items():
                rest[k] = rest.get(k, 0.0) + v
    return rest


def segment_disparity(ctx: Context, workload: str) -> list[Finding]:
    (p0, p1), (c0, c1) = ctx.windows()
    current = _segments(ctx, workload, c0, c1)
    if current is None:
        ctx.notes.append(_no_segments(ctx, workload))
        return []
    previous = _segments(ctx, workload, p0, p1) or {}
    out = []
    for segment, c in sorted(current.items()):
        if segment == NO_SEGMENT:
            continue
        rest = _rest(current, segment)
        for metric in QUALITY:
            x, n = _rate(c, metric)
            xr, nr = _rate(rest, metric)
            if not xr or not n:
                continue
            ratio = (x / n) / (xr / nr)
            z, p = two_proportions(xr, nr, x, n)
            if ratio < PARITY_BAND[0] and p < ALPHA:
                out.append(
                    Finding(
                        "segment_disparity",
                        workload,
                        f"{segment}:{metric}:level",
                        "warning",
                        f"{workload}: segment {ctx.segment_key}={segment} is falling behind on {metric}: {pct(x / n)} "
                        f"({int(x)} of {int(n)}) against {pct(xr / nr)} for the rest ({int(xr)} of {int(nr)}) "
                        f"in the last "
                        f"{_span(ctx.window_s)}, a ratio of {ratio:.2f}, outside the parity band "
                        f"{PARITY_BAND[0]}-{PARITY_BAND[1]}; two-proportion z-test z={z:.2f}, p={p:.2g}",
                        {
                            "segment": segment,
                            "metric": metric,
                            "ratio": ratio,
                            "band": list(PARITY_BAND),
                            "z": z,
                            "p": p,
                            "segment_rate": x / n,
                            "rest_rate": xr / nr,
                            "n": n,
                            "rest_n": nr,
                        },
                        c0,
                        c1,
                    )
                )
            if segment not in previous:
                continue
            prev_rest = _rest(previous, segment)
            px, pn = _rate(previous[segment], metric)
            pxr, pnr = _rate(prev_rest, metric)
            if not pn or not pnr:
                continue
            gain, gain_rest = x / n - px / pn, xr / nr - pxr / pnr
            if gain_rest >= MIN_DELTA and gain / gain_rest < PARITY_BAND[0]:
                out.append(
                    Finding(
                        "segment_disparity",
                        workload,
                        f"{segment}:{metric}:improvement",
                        "warning",
                        f"{workload}: segment {ctx.segment_key}={segment} is improving more slowly on {metric}: "
                        f"{pct(px / pn)} to {pct(x / n)} ({gain * 100:+.1f} points) while the rest went "
                        f"{pct(pxr / pnr)} to {pct(xr / nr)} ({gain_rest * 100:+.1f} points) between the last two "
                        f"{_span(ctx.window_s)}s: {gain / gain_rest:.2f} of the rest's improvement, "
                        "under the parity band's "
                        f"{PARITY_BAND[0]}",
                        {
                            "segment": segment,
                            "metric": metric,
                            "gain": gain,
                            "rest_gain": gain_rest,
                            "ratio": gain / gain_rest,
                            "band": list(PARITY_BAND),
                        },
                        p0,
                        c1,
                    )
                )
    return out


def _no_segments(ctx: Context, workload: str) -> str:
    if not ctx.segment_key:
        return f"{workload}: segment checks skipped: no segment key is configured (monitor_segment_key)"
    _, (c0, c1) = ctx.windows()
    seen = {s for s, c in ctx.sums(workload, c0, c1, by="segment").items() if c.get("interactions")}
    if seen == {NO_SEGMENT}:
        return (
            f"{workload}: segment checks skipped: no interaction in the last {_span(ctx.window_s)} carries the "
            f"metadata key {ctx.segment_key!r} (monitor_segment_key)"
        )
    return (
        f"{workload}: segment checks skipped: fewer than two segments of {ctx.segment_key!r} with "
        f"{ctx.min_n} interactions in the last {_span(ctx.window_s)}"
    )


def metric_gaming(ctx: Context, workload: str) -> list[Finding]:
    (p0, p1), (c0, c1) = ctx.windows()
    prev, cur = ctx.sums(workload, p0, p1).get("", {}), ctx.sums(workload, c0, c1).get("", {})
    a1, v1 = _rate(prev, "approval_rate")
    a2, v2 = _rate(cur, "approval_rate")
    if v1 < ctx.min_n or v2 < ctx.min_n:
        ctx.notes.append(
            f"{workload}: gaming check skipped: {int(v1)} and {int(v2)} votes in the last two windows "
            f"(at least {ctx.min_n} each)"
        )
        return []
    z, p = two_proportions(a1, v1, a2, v2)
    rise = a2 / v2 - a1 / v1
    if rise < MIN_DELTA or p >= ALPHA:
        return []
    o1, n1 = _rate(prev, "outcome_rate")
    o2, n2 = _rate(cur, "outcome_rate")
    e1, _ = _rate(prev, "edit_rate")
    e2, _ = _rate(cur, "edit_rate")
    zo, po = two_proportions(o1, n1, o2, n2)
    ze, pe = two_proportions(e1, n1, e2, n2)
    outcomes_rose = zo > 0 and po < ALPHA
    edits_fell = ze < 0 and pe < ALPHA
    if outcomes_rose or edits_fell:
        return []
    return [
        Finding(
            "metric_gaming",
            workload,
            "approval",
            "warning",
            f"{workload}: explicit approval rose from {pct(a1 / v1)} ({int(a1)} of {int(v1)} votes) to {pct(a2 / v2)} "
            f"({int(a2)} of {int(v2)}; z={z:.2f}, p={p:.2g}) while outcomes did not rise "
            f"({_maybe(o1, n1)} to {_maybe(o2, n2)}, p={po:.2g}) and corrections did not fall "
            f"(edit rate {_maybe(e1, n1)} to {_maybe(e2, n2)}, p={pe:.2g}): approval may be gamed "
            "(two-proportion z-tests, previous against last window)",
            {
                "approval": [a1 / v1, a2 / v2],
                "votes": [v1, v2],
                "outcome_rate": [_ratio(o1, n1), _ratio(o2, n2)],
                "edit_rate": [_ratio(e1, n1), _ratio(e2, n2)],
                "z": z,
                "p": p,
                "test": "two-proportion z-test",
            },
            p0,
            c1,
        )
    ]


def _ratio(x: float, n: float) -> float | None:
    return x / n if n else None


def _maybe(x: float, n: float) -> str:
    return pct(x / n) if n else "no data"


def coverage_bias(ctx: Context, workload: str) -> list[Finding]:
    _, (c0, c1) = ctx.windows()
    current = _segments(ctx, workload, c0, c1)
    if current is None:
        return []
    n_all = sum(c.get("interactions", 0.0) for c in current.values())
    f_all = sum(c.get("with_feedback", 0.0) for c in current.values())
    if f_all < ctx.min_n:
        ctx.notes.append(
            f"{workload}: coverage check skipped: {int(f_all)} interactions with feedback in the last window "
            f"(at least {ctx.min_n})"
        )
        return []
    out = []
    for segment, c in sorted(current.items()):
        n, f = c.get("interactions", 0.0), c.get("with_feedback", 0.0)
        ratio = (f / f_all) / (n / n_all)
        z, p = two_proportions(f_all - f, n_all - n, f, n)
        if not PARITY_BAND[0] <= ratio <= PARITY_BAND[1] and p < ALPHA:
            out.append(
                Finding(
                    "coverage_bias",
                    workload,
                    segment,
                    "warning",
                    f"{workload}: segment {ctx.segment_key}={segment} gives {pct(f / f_all)} of the feedback "
                    f"({int(f)} of {int(f_all)} interactions with feedback) but makes {pct(n / n_all)} of the use "
                    f"({int(n)} of {int(n_all)}): {ratio:.2f} times its share, outside the parity band "
                    f"{PARITY_BAND[0]}-{PARITY_BAND[1]}; its feedback rate {pct(f / n)} against "
                    f"{pct((f_all - f) / (n_all - n))} for the rest (two-proportion z-test z={z:.2f}, p={p:.2g})",
                    {
                        "segment": segment,
                        "feedback_share": f / f_all,
                        "usage_share": n / n_all,
                        "ratio": ratio,
                        "band": list(PARITY_BAND),
                        "z": z,
                        "p": p,
                    },
                    c0,
                    c1,
                )
            )
    return out


def input_drift(ctx: Context, workload: str) -> list[Finding]:
    (p0, p1), (c0, c1) = ctx.windows()
    prev, cur = ctx.sums(workload, p0, p1).get("", {}), ctx.sums(workload, c0, c1).get("", {})
    before = [prev.get(f"input_chars.{b}", 0.0) for b in range(INPUT_BINS)]
    after = [cur.get(f"input_chars.{b}", 0.0) for b in range(INPUT_BINS)]
    if sum(before) < ctx.min_n or sum(after) < ctx.min_n:
        ctx.notes.append(
            f"{workload}: drift check skipped: {int(sum(before))} and {int(sum(after))} inputs in the last two windows "
            f"(at least {ctx.min_n} each)"
        )
        return []
    index = psi(before, after)
    if index <= PSI_ALERT:
        return []
    shifted = sorted(range(INPUT_BINS), key=lambda b: -abs(after[b] / sum(after) - before[b] / sum(before)))[:2]
    moves = ", ".join(
        f"{2**b - 1}-{2 ** (b + 1) - 2} chars {pct(before[b] / sum(before))} to {pct(after[b] / sum(after))}"
        for b in shifted
    )
    return [
        Finding(
            "input_drift",
            workload,
            "input_chars",
            "warning",
            f"{workload}: inputs drifted between the last two {_span(ctx.window_s)}s: population stability index "
            f"{index:.2f} over 16 log2 bins of input length in characters (above {PSI_ALERT}); largest moves: {moves}",
            {
                "test": "PSI over 16 log2 bins of input length (characters)",
                "psi": index,
                "threshold": PSI_ALERT,
                "before": before,
                "after": after,
            },
            p0,
            c1,
        )
    ]


def flywheel_stall(ctx: Context, workload: str) -> list[Finding]:
    releases = _releases(_production_moves(ctx, workload))
    n = ctx.stall_cycles
    if len(releases) < n:
        ctx.notes.append(f"{workload}: stall check skipped: {len(releases)} releases, {n} needed")
        return []
    last = releases[-n:]
    quality = []
    for k, move in enumerate(last):
        start = bucket_start(move.at, "hour") + HOUR
        end = min(start + ctx.window_s, bucket_start(last[k + 1].at, "hour") if k + 1 < n else start + ctx.window_s)
        x, m = _rate(ctx.sums(workload, start, end).get("", {}), "acceptance_rate")
        if m < ctx.min_n:
            ctx.notes.append(
                f"{workload}: stall check skipped: {int(m)} interactions after release {move.version_id[:12]} "
                f"(at least {ctx.min_n})"
            )
            return []
        quality.append(x / m)
    best_gain = max(quality[1:]) - quality[0]
    if best_gain >= MIN_DELTA:
        return []
    listed = ", ".join(f"{m.version_id[:12]} ({iso(m.at)}) {pct(q)}" for m, q in zip(last, quality, strict=True))
    return [
        Finding(
            "flywheel_stall",
            workload,
            ",".join(m.version_id for m in last),
            "warning",
            f"{workload}: the flywheel has stalled: acceptance rate after each of the last {n} releases was {listed}; "
            f"the best gain over the first is {best_gain * 100:+.1f} points, under {MIN_DELTA * 100:.0f}",
            {
                "releases": [m.version_id for m in last],
                "quality": quality,
                "metric": "acceptance_rate",
                "min_gain": MIN_DELTA,
            },
            bucket_start(last[0].at, "hour"),
            ctx.now,
        )
    ]


def _releases(moves: list[StageMove]) -> list[StageMove]:
    """Production moves that are not rollbacks (a move back to what the previous move replaced)."""
    out = []
    for k, m in enumerate(moves):
        if k > 0 and moves[k - 1].previous is not None and m.version_id == moves[k - 1].previous:
            continue
        out.append(m)
    return out


CHECKS: dict[str, Callable[[Context, str], list[Finding]]] = {
    "regression": regression,
    "segment_disparity": segment_disparity,
    "metric_gaming": metric_gaming,
    "coverage_bias": coverage_bias,
    "input_drift": input_drift,
    "flywheel_stall": flywheel_stall,
}
