"""Live metrics of an experiment's arms, from what their users did.

::

    found = experiment_metrics(store, "acme", "ex_…")
    found["arms"]["candidate"]["metrics"]["good_rate"]     # {'mean': 0.84, 'users': 1210}
    found["comparisons"]["good_rate"]                      # difference, always-valid interval, p, BH
    found["srm"]["mismatch"]                               # True when p < 0.001 at some step

An arm's interactions are those of its assigned users that name the arm's version
(``policy_version``), logged since the experiment started. Each metric is a per-user mean (a user
with many interactions counts once, so the users are the independent units the statistics need):

* ``good_rate``: interactions whose label says ``good``, among those with a verdict other than
  ``unknown`` (a correction counts against: the output needed fixing);
* ``acceptance``: with an ``accept`` signal; ``edit_rate``: with an ``edit``; ``requery_rate``:
  with a ``requery`` or ``regenerate`` (the user asked again);
* ``completion``: with an outcome (an outcome row or an ``outcome`` signal) whose value is not 0;
* ``cost`` and ``latency_ms``: the interactions' own, where logged.

Comparisons are always-valid (:func:`flyloop.rollout.sequential.compare`, tau from the metric's
effect worth finding) and their p-values go through Benjamini-Hochberg across metrics and
segments. A project that segments its users names a key of the interactions' ``meta`` in the
experiment's config (``segment``): each value seen becomes a segment of its own.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from flyloop.store import schema

from .experiments import ARMS, CANDIDATE, CONTROL, METRICS, Experiment, assignment_counts, get_experiment
from .sequential import ArmStats, Estimate, benjamini_hochberg, choose_tau, compare
from .srm import srm_check

if TYPE_CHECKING:
    from flyloop.store import Store

MAX_SEGMENTS = 20  # the most common values of the segment key; the rest are only in "all"
ALL = "all"
REQUERY_KINDS = ("requery", "regenerate")
SIGNAL_KINDS = ("accept", "edit", "outcome", *REQUERY_KINDS)


@dataclass
class _User:
    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, metric: str, value: float | None) -> None:
        if value is not None and math.isfinite(value):
            self.sums[metric] += value
            self.counts[metric] += 1

    def means(self) -> dict[str, float]:
        return {m: self.sums[m] / n for m, n in self.counts.items() if n}


@dataclass(frozen=True)
class Collected:
    """Per segment (``"all"`` first), per metric, per arm: the arm's users as :class:`ArmStats`;
    with the interactions and users each arm had."""

    stats: dict[str, dict[str, dict[str, ArmStats]]]
    interactions: dict[str, int]
    users: dict[str, int]


def _in_experiment(experiment: Experiment, now: float | None) -> Any:
    i = schema.interactions
    where = [
        i.c.workload == experiment.workload,
        i.c.ts >= experiment.started_at,
        i.c.policy_version.in_([experiment.control, experiment.candidate]),
        i.c.user_id.is_not(None),
    ]
    end = experiment.ended_at if experiment.ended_at is not None else now
    if end is not None:
        where.append(i.c.ts <= end)
    return sa.and_(*where)


def collect(store: Store, project_id: str, experiment: Experiment, *, now: float | None = None) -> Collected:
    """Read the arms' interactions, labels, signals and outcomes and reduce them to per-user means."""
    i, a, lb, sg, oc = schema.interactions, schema.assignments, schema.labels, schema.signals, schema.outcomes
    among = sa.and_(i.c.project_id == project_id, _in_experiment(experiment, now))
    segment_key = experiment.config.get("segment")
    with store.read() as conn:
        arms = dict(
            conn.execute(
                sa.select(a.c.user_key, a.c.arm).where(a.c.project_id == project_id, a.c.experiment_id == experiment.id)
            ).all()
        )
        rows = conn.execute(
            sa.select(i.c.id, i.c.user_id, i.c.policy_version, i.c.ts, i.c.cost, i.c.latency_ms, i.c.meta).where(among)
        ).all()
        verdicts = dict(
            conn.execute(
                sa.select(lb.c.interaction_id, lb.c.verdict)
                .join(i, sa.and_(i.c.project_id == lb.c.project_id, i.c.id == lb.c.interaction_id))
                .where(lb.c.project_id == project_id, among)
            ).all()
        )
        signals = conn.execute(
            sa.select(sg.c.interaction_id, sg.c.kind, sg.c.value)
            .join(i, sa.and_(i.c.project_id == sg.c.project_id, i.c.id == sg.c.interaction_id))
            .where(sg.c.project_id == project_id, sg.c.kind.in_(SIGNAL_KINDS), among)
        ).all()
        outcomes = conn.execute(
            sa.select(oc.c.interaction_id, oc.c.value)
            .join(i, sa.and_(i.c.project_id == oc.c.project_id, i.c.id == oc.c.interaction_id))
            .where(oc.c.project_id == project_id, among)
        ).all()
    kinds: dict[str, set[str]] = defaultdict(set)
    for interaction_id, kind, value in signals:
        kinds[interaction_id].add("completed" if kind == "outcome" and value != 0 else kind)
    for interaction_id, value in outcomes:
        if value != 0:
            kinds[interaction_id].add("completed")
    users: dict[tuple[str, str, str], _User] = defaultdict(_User)  # (segment, arm, user)
    seen: dict[str, int] = defaultdict(int)
    segment_sizes: dict[str, int] = defaultdict(int)
    kept: list[tuple[Any, str, str | None]] = []
    for row in rows:
        arm = experiment.arm_served(experiment.workload, row.policy_version, row.user_id, row.ts, arms.get(row.user_id))
        if arm is None:
            continue  # a user whose row erasure removed, or served the other arm's version (a stale cache)
        segment = None
        if segment_key and isinstance(row.meta, Mapping) and isinstance(row.meta.get(segment_key), str | int | bool):
            segment = f"{segment_key}={row.meta[segment_key]}"
            segment_sizes[segment] += 1
        kept.append((row, arm, segment))
        seen[arm] += 1
    top = set(sorted(segment_sizes, key=lambda s: (-segment_sizes[s], s))[:MAX_SEGMENTS])
    for row, arm, segment in kept:
        done = kinds.get(row.id, set())
        verdict = verdicts.get(row.id)
        values = {
            "good_rate": None if verdict in (None, "unknown") else float(verdict == "good"),
            "acceptance": float("accept" in done),
            "edit_rate": float("edit" in done),
            "requery_rate": float(bool(done & set(REQUERY_KINDS))),
            "completion": float("completed" in done),
            "cost": row.cost,
            "latency_ms": row.latency_ms,
        }
        for where in (ALL, segment) if segment in top else (ALL,):
            assert where is not None
            user = users[(where, arm, row.user_id)]
            for metric, value in values.items():
                user.add(metric, value)
    per: dict[str, dict[str, dict[str, list[float]]]] = {}
    for (where, arm, _), user in users.items():
        for metric, mean in user.means().items():
            per.setdefault(where, {}).setdefault(metric, {}).setdefault(arm, []).append(mean)
    stats: dict[str, dict[str, dict[str, ArmStats]]] = {}
    for where in [ALL, *sorted(s for s in per if s != ALL)]:
        stats[where] = {
            metric: {arm: ArmStats.of_values(per.get(where, {}).get(metric, {}).get(arm, [])) for arm in ARMS}
            for metric in METRICS
        }
    counted = {arm: len({u for (w, a_, u) in users if w == ALL and a_ == arm}) for arm in ARMS}
    return Collected(stats=stats, interactions={arm: seen[arm] for arm in ARMS}, users=counted)


def srm_by_step(store: Store, project_id: str, experiment: Experiment) -> dict[str, Any]:
    """The sample-ratio check of the users first assigned under each step against that step's
    split; ``mismatch`` when any step's p-value is below 0.001."""
    steps: list[dict[str, Any]] = []
    for index, counts in enumerate(assignment_counts(store, project_id, experiment)):
        share = float(experiment.ramp[index])
        found = srm_check(counts, {CONTROL: 100.0 - share, CANDIDATE: share})
        steps.append({"step": index, "share": share, "counts": counts, "p_value": found.p_value,
                      "mismatch": found.mismatch, "reason": found.reason})  # fmt: skip
    worst = min(steps, key=lambda s: s["p_value"]) if steps else None
    return {
        "mismatch": any(s["mismatch"] for s in steps),
        "p_value": worst["p_value"] if worst else 1.0,
        "reason": worst["reason"] if worst else "no users yet",
        "steps": steps,
    }


def estimate_dict(estimate: Estimate) -> dict[str, Any]:
    """An estimate as JSON holds it (infinite bounds as the strings "inf" and "-inf")."""
    return {k: (v if not isinstance(v, float) or math.isfinite(v) else str(v)) for k, v in asdict(estimate).items()}


def estimate_of(value: Mapping[str, Any]) -> Estimate:
    """Back from :func:`estimate_dict`."""
    fields: dict[str, Any] = {k: (float(v) if v in ("inf", "-inf") else v) for k, v in value.items()}
    return Estimate(**fields)


def compare_all(collected: Collected, experiment: Experiment) -> dict[str, dict[str, Any]]:
    """Each metric (in each segment) compared, two-sided, always-valid, BH-adjusted across all."""
    alpha = float(experiment.config.get("alpha", 0.05))
    found: dict[str, Estimate] = {}
    for where, metrics in collected.stats.items():
        for metric, arms in metrics.items():
            label = metric if where == ALL else f"{metric} [{where}]"
            found[label] = compare(
                arms[CONTROL], arms[CANDIDATE], tau=choose_tau(METRICS[metric][1], alpha), alpha=alpha
            )
    adjusted = benjamini_hochberg([e.p_value for e in found.values()], alpha)
    out: dict[str, dict[str, Any]] = {}
    for (label, estimate), p, rejected in zip(found.items(), adjusted.p_values, adjusted.rejected, strict=True):
        out[label] = {**estimate_dict(estimate), "adjusted_p_value": p, "significant": rejected}
    return out


def experiment_metrics(
    store: Store, project_id: str, experiment_id: str, *, now: float | None = None
) -> dict[str, Any]:
    """Per arm: its version, users, interactions and each metric's mean; each metric's
    always-valid comparison (BH across metrics and segments); the sample-ratio check."""
    experiment = get_experiment(store, project_id, experiment_id)
    collected = collect(store, project_id, experiment, now=now)
    arms: dict[str, Any] = {}
    for arm in ARMS:
        arms[arm] = {
            "version": experiment.versions[arm],
            "users": collected.users[arm],
            "interactions": collected.interactions[arm],
            "metrics": {
                metric: {"mean": by_arm[arm].mean, "users": by_arm[arm].n}
                for metric, by_arm in collected.stats[ALL].items()
            },
        }
    return {
        "experiment": experiment.id,
        "workload": experiment.workload,
        "status": experiment.status,
        "share": experiment.share,
        "arms": arms,
        "comparisons": compare_all(collected, experiment),
        "segments": [s for s in collected.stats if s != ALL],
        "srm": srm_by_step(store, project_id, experiment),
    }


def metrics_table(found: Mapping[str, Any]) -> str:
    """The metrics as a plain text table: one row per metric, both arms, the difference and its
    always-valid interval, BH-adjusted p."""
    arms = found["arms"]
    lines = [
        f"experiment {found['experiment']} ({found['workload']}, {found['status']}, candidate at {found['share']:g}%)",
        f"users: control {arms[CONTROL]['users']}, candidate {arms[CANDIDATE]['users']}; "
        f"sample ratio: {found['srm']['reason']}",
        f"{'metric':<14} {'control':>10} {'candidate':>10} {'difference':>11}  {'interval':<22} {'adj. p':>8}",
    ]
    for metric in METRICS:
        c, t = arms[CONTROL]["metrics"][metric], arms[CANDIDATE]["metrics"][metric]
        cmp = found["comparisons"][metric]
        low, high = (float(cmp["lower"]), float(cmp["upper"]))
        # Unbounded until each arm has users with the metric's data: say so rather than "[-inf, +inf]".
        interval = f"[{low:+.4g}, {high:+.4g}]" if math.isfinite(low) and math.isfinite(high) else "(none yet)"
        lines.append(
            f"{metric:<14} {c['mean']:>10.4g} {t['mean']:>10.4g} {cmp['difference']:>+11.4g}  {interval:<22} "
            f"{cmp['adjusted_p_value']:>8.3g}{' *' if cmp['significant'] else ''}"
        )
    return "\n".join(lines)
