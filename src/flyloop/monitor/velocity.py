"""What one hour of the wheel's own events adds to the rollups: dataset versions and the pairs
they hold, loop runs and their candidates, releases and rollbacks, and velocity: how long a
signal took to reach a dataset version, a dataset version a candidate, a candidate production.

Each event is counted in the hour it happened (a dataset version when it was built, a run when it
started, a release when production moved). Velocity is kept as a sum of seconds and a count
(``velocity.<leg>_s`` and ``velocity.<leg>_n``), so a mean over any window is their ratio:

- ``signal_to_dataset``: for each signal of an interaction a dataset version holds for the first
  time, from the signal to that version's creation;
- ``dataset_to_candidate``: from a dataset version to the end of a loop run that used it and
  made candidates;
- ``candidate_to_release``: from a version's registration to its first move to production;
- ``signal_to_release``: the first leg's mean for the dataset behind a released version, plus the
  time from that dataset to the release.

A production move back to the version production held before the previous move is a rollback;
the promotion it undid counts in ``promotions_rolled_back`` (in the promotion's hour).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from flyloop.store import fetch_all, json_reader
from flyloop.store import schema as t

from .cohorts import Key

PRODUCTION = "production"
# The metrics this module writes: counted again per hour, never per interaction.
PIPELINE_METRICS = ("datasets", "candidates", "releases", "rollbacks", "promotions_rolled_back")
PIPELINE_PREFIXES = ("pairs.", "loop_runs", "velocity.")


def is_pipeline(metric: Any) -> Any:
    """SQL: the rollup row's ``metric`` is one of the wheel's events (this module's)."""
    return sa.or_(metric.in_(PIPELINE_METRICS), *(metric.startswith(p, autoescape=True) for p in PIPELINE_PREFIXES))


def dataset_workload(config: Any, manifest: Any) -> str:
    """The workload a dataset version was built for ('' when it spans several or says none)."""
    # Curation's config names its scope `workloads` (a list); a manifest's sources may too.
    for source in (config, (manifest or {}).get("sources") if isinstance(manifest, dict) else None):
        if not isinstance(source, dict):
            continue
        for key in ("workloads", "workload"):
            w = source.get(key)
            if isinstance(w, str):
                return w
            if isinstance(w, list) and len(w) == 1:
                return str(w[0])
    return ""


def _signal_lag(conn: sa.Connection, project_id: str, dataset_id: str, created: float) -> tuple[float, float]:
    """Sum and count of (creation - signal time) over the signals of the interactions this
    dataset version is the first to hold."""
    m, m2, d2, s = t.dataset_members, t.dataset_members.alias("m2"), t.dataset_versions.alias("d2"), t.signals
    held_before = (
        sa.select(m2.c.interaction_id)
        .select_from(m2.join(d2, sa.and_(d2.c.project_id == m2.c.project_id, d2.c.id == m2.c.dataset_id)))
        .where(
            m2.c.project_id == project_id,
            m2.c.interaction_id == m.c.interaction_id,
            d2.c.created_at < created,
        )
        .exists()
    )
    row = conn.execute(
        sa.select(sa.func.count(), sa.func.sum(created - s.c.ts))
        .select_from(m.join(s, sa.and_(s.c.project_id == m.c.project_id, s.c.interaction_id == m.c.interaction_id)))
        .where(m.c.project_id == project_id, m.c.dataset_id == dataset_id, s.c.ts <= created, ~held_before)
    ).one()
    return float(row[1] or 0.0), float(row[0] or 0)


def hour_events(conn: sa.Connection, project_id: str, start: float, end: float) -> dict[Key, dict[str, float]]:
    """The pipeline counts of the events that happened in ``start <= time < end``."""
    read = json_reader(conn)
    counts: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    dv = t.dataset_versions
    datasets = {
        r[0]: (float(r[1]), dataset_workload(read(r[2]), read(r[3])), read(r[4]) or {})
        for r in fetch_all(
            conn,
            sa.select(dv.c.id, dv.c.created_at, dv.c.config, dv.c.manifest, dv.c.counts).where(
                dv.c.project_id == project_id
            ),
        )
    }
    for dataset_id, (created, workload, kinds) in datasets.items():
        if not start <= created < end:
            continue
        c = counts[(workload, "", "")]
        c["datasets"] += 1
        for kind, splits in kinds.items():
            c[f"pairs.{kind}"] += sum(splits.values()) if isinstance(splits, dict) else 0
        lag, n = _signal_lag(conn, project_id, dataset_id, created)
        c["velocity.signal_to_dataset_s"] += lag
        c["velocity.signal_to_dataset_n"] += n
    lr = t.loop_runs
    runs = fetch_all(
        conn,
        sa.select(
            lr.c.workload, lr.c.loop, lr.c.status, lr.c.started_at, lr.c.finished_at, lr.c.inputs, lr.c.outputs
        ).where(lr.c.project_id == project_id),
    )
    made_by: dict[str, tuple[str, float]] = {}  # candidate -> (dataset, run end)
    for workload, loop, status, started, finished, inputs, outputs in runs:
        inputs, outputs = read(inputs) or {}, read(outputs) or {}
        candidates = [str(v) for v in outputs.get("candidates") or []]
        dataset = inputs.get("dataset")
        for v in candidates:
            if isinstance(dataset, str) and finished is not None:
                made_by[v] = (dataset, float(finished))
        if not start <= started < end:
            continue
        c = counts[(workload, "", "")]
        c["loop_runs"] += 1
        c[f"loop_runs.{status}"] += 1
        c[f"loop_runs.loop.{loop}"] += 1
        c["candidates"] += len(candidates)
        if isinstance(dataset, str) and dataset in datasets and candidates and finished is not None:
            c["velocity.dataset_to_candidate_s"] += float(finished) - datasets[dataset][0]
            c["velocity.dataset_to_candidate_n"] += 1
    _releases(conn, project_id, start, end, counts, datasets, made_by)
    return {k: dict(v) for k, v in counts.items()}


def _releases(
    conn: sa.Connection,
    project_id: str,
    start: float,
    end: float,
    counts: dict[Key, dict[str, float]],
    datasets: dict[str, tuple[float, str, Any]],
    made_by: dict[str, tuple[str, float]],
) -> None:
    h, pv = t.policy_stage_history, t.policy_versions
    moves = fetch_all(
        conn,
        sa.select(h.c.workload, h.c.version_id, h.c.previous, h.c.at, pv.c.created_at)
        .select_from(h.outerjoin(pv, sa.and_(pv.c.project_id == h.c.project_id, pv.c.id == h.c.version_id)))
        .where(h.c.project_id == project_id, h.c.stage == PRODUCTION)
        .order_by(h.c.workload, h.c.at),
    )
    by_workload: dict[str, list[tuple[str, str | None, float, float | None]]] = defaultdict(list)
    for workload, version, previous, at, registered in moves:
        by_workload[workload].append((version, previous, float(at), registered))
    for workload, seq in by_workload.items():
        released: set[str] = set()
        for n, (version, previous, at, registered) in enumerate(seq):
            rolled_back = n > 0 and seq[n - 1][1] is not None and version == seq[n - 1][1]
            undone = n + 1 < len(seq) and previous is not None and seq[n + 1][0] == previous
            first = version not in released
            released.add(version)
            if not start <= at < end:
                continue
            c = counts[(workload, version, "")]
            c["rollbacks" if rolled_back else "releases"] += 1
            if rolled_back:
                continue
            if undone:
                c["promotions_rolled_back"] += 1
            if first and registered is not None:
                c["velocity.candidate_to_release_s"] += at - float(registered)
                c["velocity.candidate_to_release_n"] += 1
            source = made_by.get(version)
            if first and source is not None and source[0] in datasets:
                lag, k = _signal_lag(conn, project_id, source[0], datasets[source[0]][0])
                if k:
                    c["velocity.signal_to_release_s"] += lag / k + (at - datasets[source[0]][0])
                    c["velocity.signal_to_release_n"] += 1


def event_times(conn: sa.Connection, project_id: str, since: float) -> tuple[list[float], float]:
    """The times of pipeline events changed after ``since`` (each with the hours it touches),
    and the newest change seen."""
    dv, lr, h = t.dataset_versions, t.loop_runs, t.policy_stage_history
    times: list[float] = []
    newest = since
    for (created,) in fetch_all(
        conn, sa.select(dv.c.created_at).where(dv.c.project_id == project_id, dv.c.created_at > since)
    ):
        times.append(created)
        newest = max(newest, created)
    changed = sa.func.coalesce(lr.c.finished_at, lr.c.started_at)
    for started, at in fetch_all(
        conn, sa.select(lr.c.started_at, changed).where(lr.c.project_id == project_id, changed > since)
    ):
        times.append(started)
        newest = max(newest, at)
    new_moves = fetch_all(
        conn,
        sa.select(h.c.workload, h.c.at).where(h.c.project_id == project_id, h.c.stage == PRODUCTION, h.c.at > since),
    )
    if new_moves:
        # A new move can make an older promotion a rolled-back one: the workload's moves are few,
        # so every hour holding one is counted again.
        workloads = {w for w, _ in new_moves}
        for (at,) in fetch_all(
            conn,
            sa.select(h.c.at).where(h.c.project_id == project_id, h.c.stage == PRODUCTION, h.c.workload.in_(workloads)),
        ):
            times.append(at)
        newest = max(newest, max(at for _, at in new_moves))
    return times, newest
