"""Metrics read off the rollups: counts per window and group, and the rates they make.

Reading touches only ``monitor_rollups`` (one grouped query), never the event tables. A rate
whose denominator is zero is ``None`` and the answer says why in ``notes``: never a NaN.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.store import Store, fetch_all
from flyloop.store import schema as t

from .cohorts import NO_SEGMENT
from .rollups import ARM_GRAINS
from .windows import GRAINS, bucket_end, bucket_start, check_grain

GROUPS = ("workload", "version", "arm", "segment")

# name: (numerator, denominator, what it is)
RATES: dict[str, tuple[str, str, str]] = {
    "signal_rate": ("with_signal", "interactions", "share of interactions with any signal"),
    "feedback_coverage": ("with_feedback", "interactions", "share of interactions with explicit feedback"),
    "approval_rate": ("approved", "voted", "share of votes (thumbs, ratings) that approve"),
    "acceptance_rate": ("accepted", "interactions", "share of interactions accepted or copied"),
    "edit_rate": ("edited", "interactions", "share of interactions corrected by an edit"),
    "mean_edit_distance": ("edit_distance", "edits_measured", "mean characters changed by an edit"),
    "requery_rate": ("requeried", "interactions", "share of interactions re-asked"),
    "regenerate_rate": ("regenerated", "interactions", "share of interactions regenerated"),
    "abandonment_rate": ("abandoned", "interactions", "share of interactions abandoned"),
    "outcome_rate": ("with_outcome", "interactions", "share of interactions with a downstream outcome"),
    "rollback_share": ("promotions_rolled_back", "releases", "share of promotions later rolled back"),
    "velocity_signal_to_dataset_s": (
        "velocity.signal_to_dataset_s",
        "velocity.signal_to_dataset_n",
        "mean seconds from a signal to the first dataset version holding it",
    ),
    "velocity_dataset_to_candidate_s": (
        "velocity.dataset_to_candidate_s",
        "velocity.dataset_to_candidate_n",
        "mean seconds from a dataset version to a loop run's candidates",
    ),
    "velocity_candidate_to_release_s": (
        "velocity.candidate_to_release_s",
        "velocity.candidate_to_release_n",
        "mean seconds from a version's registration to production",
    ),
    "velocity_signal_to_release_s": (
        "velocity.signal_to_release_s",
        "velocity.signal_to_release_n",
        "mean seconds from a signal to the production version trained on it",
    ),
}
# Lagging metrics and which way is better: what a release may regress.
LAGGING: dict[str, int] = {"acceptance_rate": 1, "outcome_rate": 1, "requery_rate": -1, "abandonment_rate": -1}


def derive(counts: dict[str, float]) -> dict[str, Any]:
    """The rates, signal rates by kind and verdict mix of one window's counts (None: no data)."""
    out: dict[str, Any] = {}
    for name, (num, den, _) in RATES.items():
        d = counts.get(den, 0.0)
        out[name] = round(counts.get(num, 0.0) / d, 6) if d else None
    n = counts.get("interactions", 0.0)
    out["signals_by_kind"] = {
        k.split(".", 1)[1]: round(v / n, 6) for k, v in sorted(counts.items()) if k.startswith("signals.") and n
    }
    labelled = counts.get("labelled", 0.0)
    out["verdict_mix"] = {
        k.split(".", 1)[1]: round(v / labelled, 6)
        for k, v in sorted(counts.items())
        if k.startswith("verdict.") and labelled
    }
    out["pairs"] = {k.split(".", 1)[1]: int(v) for k, v in sorted(counts.items()) if k.startswith("pairs.")}
    return out


def _check_group(by: str | None) -> str | None:
    if by is not None and by not in GROUPS:
        raise errors.ValidationError(f"by must be one of {', '.join(GROUPS)}, not {by!r}", field="by")
    return by


def _layout(by: str | None, grain: str) -> tuple[Any, str]:
    """The column a group reads and the grain its rows are kept in: an experiment's arms are
    rows of their own grain, the arm (``<experiment>:<arm>``) in the version column."""
    r = t.monitor_rollups
    if by == "arm":
        return r.c.version, ARM_GRAINS[grain]
    return (r.c[by] if by else sa.literal("")), grain


def check_segment_key(store: Store, project_id: str, segment_key: str | None, asked: str | None = None) -> None:
    """Refuse, naming ``segment_key``, a segment key the rollups are not kept by (``asked``, when
    it is not the configured ``segment_key``) or one that no interaction carries: a breakdown by
    it would be one segment, '(none)', which says nothing."""
    if asked is not None and asked != segment_key:
        kept = f"the metadata key {segment_key!r}" if segment_key else "no metadata key"
        raise errors.ValidationError(
            f"the rollups are segmented by {kept} (monitor_segment_key), not {asked!r}: set "
            f"FLYLOOP_MONITOR_SEGMENT_KEY={asked} where the rollups are kept to segment by it",
            field="segment_key",
        )
    if not segment_key:
        return
    r = t.monitor_rollups
    with store.read() as conn:
        counted = conn.execute(
            sa.select(r.c.segment)
            .where(r.c.project_id == project_id, r.c.grain == "week", r.c.metric == "interactions")
            .limit(1)
        ).first()
        carried = conn.execute(
            sa.select(r.c.segment)
            .where(
                r.c.project_id == project_id,
                r.c.grain == "week",
                r.c.metric == "interactions",
                r.c.segment.not_in(("", NO_SEGMENT)),
            )
            .limit(1)
        ).first()
    if counted is not None and carried is None:
        raise errors.ValidationError(
            f"no interaction carries the metadata key {segment_key!r} (monitor_segment_key): every one "
            f"would be in segment {NO_SEGMENT!r}; name a key the interactions' metadata has",
            field="segment_key",
        )


def totals(
    store: Store,
    project_id: str,
    *,
    start: float,
    end: float,
    workload: str | None = None,
    by: str | None = None,
    grain: str = "hour",
) -> dict[str, dict[str, float]]:
    """Sums of every metric over the ``grain`` windows starting in ``[start, end)``, per group
    (``by``: workload, version, arm or segment; '' when not grouped)."""
    r = t.monitor_rollups
    _check_group(by)
    group, kept = _layout(by, check_grain(grain))
    query = (
        sa.select(group, r.c.metric, sa.func.sum(r.c.value))
        .where(r.c.project_id == project_id, r.c.grain == kept, r.c.bucket >= start, r.c.bucket < end)
        .group_by(group, r.c.metric)
    )
    if workload is not None:
        query = query.where(r.c.workload == workload)
    out: dict[str, dict[str, float]] = defaultdict(dict)
    with store.read() as conn:
        for g, metric, value in fetch_all(conn, query):
            out[str(g)][metric] = float(value)
    return dict(out)


def metrics(
    store: Store,
    project_id: str,
    *,
    grain: str = "day",
    workload: str | None = None,
    by: str | None = None,
    since: float | None = None,
    until: float | None = None,
    segment_key: str | None = None,
    asked_segment_key: str | None = None,
) -> dict[str, Any]:
    """The metrics per ``grain`` window (hour, day, week) from ``since`` (default: 30 windows
    back) to ``until`` (default: now), for one workload or all, grouped ``by`` workload,
    version, arm (``<experiment>:control`` or ``<experiment>:candidate``: the interactions its
    assigned users were served under the experiment, as it measures them) or segment.
    ``segment_key``: the metadata key the rollups are kept by; ``asked_segment_key``: the one the
    caller means, refused (naming ``segment_key``) when it differs, as is grouping by a key no
    interaction carries. ``notes`` says plainly what is missing: an empty store, a workload with
    no data, no segment key configured, no experiment."""
    check_grain(grain)
    _check_group(by)
    now = time.time() if until is None else until
    since = now - 30 * GRAINS[grain] if since is None else since
    if since >= now:
        raise errors.ValidationError("since must be before until", field="since")
    if by == "segment" or asked_segment_key is not None:
        check_segment_key(store, project_id, segment_key, asked_segment_key)
    r = t.monitor_rollups
    group, kept = _layout(by, grain)
    query = (
        sa.select(r.c.bucket, group, r.c.metric, sa.func.sum(r.c.value))
        .where(
            r.c.project_id == project_id, r.c.grain == kept, r.c.bucket >= bucket_start(since, grain), r.c.bucket < now
        )
        .group_by(r.c.bucket, group, r.c.metric)
        .order_by(r.c.bucket)
    )
    if workload is not None:
        query = query.where(r.c.workload == workload)
    cells: dict[tuple[float, str], dict[str, float]] = defaultdict(dict)
    with store.read() as conn:
        for bucket, g, metric, value in fetch_all(conn, query):
            cells[(float(bucket), str(g))][metric] = float(value)
        anything = conn.execute(sa.select(r.c.metric).where(r.c.project_id == project_id).limit(1)).first() is not None
    windows: list[dict[str, Any]] = [
        {
            "start": bucket,
            "end": bucket_end(bucket, grain),
            "group": g if by else None,
            # A count that went back to 0 (a verdict that moved) is left out, as if never counted.
            "counts": {k: (int(v) if float(v).is_integer() else round(v, 6)) for k, v in sorted(counts.items()) if v},
            "rates": derive(counts),
        }
        for (bucket, g), counts in sorted(cells.items())
    ]
    notes = []
    if not anything:
        notes.append(
            "no data: the store holds no interactions or releases for this project yet (or the rollups have not run)"
        )
    elif not windows:
        scope = f"workload {workload!r}" if workload else "the project"
        what = "no interaction served under an experiment's arm" if by == "arm" else "no data"
        notes.append(f"{what} for {scope} between {_iso(since)} and {_iso(now)}")
    elif sum(w["counts"].get("interactions", 0) for w in windows) == 0:
        notes.append("no interactions in these windows: only pipeline events (datasets, runs, releases)")
    if by == "segment" and not segment_key:
        notes.append("no segment key is configured (monitor_segment_key): every interaction is in segment ''")
    return {
        "project_id": project_id,
        "grain": grain,
        "workload": workload,
        "by": by,
        "since": bucket_start(since, grain),
        "until": now,
        "windows": windows,
        "notes": notes,
    }


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))
