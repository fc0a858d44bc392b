"""What the flywheel report says, gathered from live data: the data audit, the signal design, the
improvement loops, velocity with its trends.

Volume is read off the rollups (:mod:`flyloop.monitor.series`), never off raw events: the
interactions, signals, labels and outcomes of a million-interaction store are a few thousand rollup
rows. The small tables (workloads, dataset versions, loop runs, evaluations, stage moves,
experiments, privacy drops, alerts) are read as they are. Everything here is a plain JSON-able
dict, so the Markdown, the HTML, the plots and the tests read the same numbers.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.events import KINDS
from flyloop.settings import Settings
from flyloop.store import Store, fetch_all, json_reader
from flyloop.store import schema as t

from .series import derive, metrics, totals
from .windows import DAY, GRAINS, HOUR, WEEK

# The explicit-signal kinds that carry the most information per event (seed 004: "the diff is your
# highest-quality training signal"; outcome data "the most valuable").
HIGH_QUALITY = ("edit", "outcome")
LAGGING = ("acceptance_rate", "requery_rate", "outcome_rate", "abandonment_rate")


def span(store: Store, project_id: str, workload: str | None) -> tuple[float, float] | None:
    """The first and last hour holding interactions, off the hourly rollups (None: none)."""
    r = t.monitor_rollups
    query = sa.select(sa.func.min(r.c.bucket), sa.func.max(r.c.bucket)).where(
        r.c.project_id == project_id, r.c.grain == "hour", r.c.metric == "interactions"
    )
    if workload is not None:
        query = query.where(r.c.workload == workload)
    with store.read() as conn:
        first, last = conn.execute(query).one()
    return None if first is None else (float(first), float(last) + HOUR)


def workloads(store: Store, project_id: str) -> dict[str, str]:
    """Declared workloads and their type."""
    w = t.workloads
    with store.read() as conn:
        return {
            str(n): str(k)
            for n, k in fetch_all(
                conn, sa.select(w.c.name, w.c.type).where(w.c.project_id == project_id).order_by(w.c.name)
            )
        }


def check_workload(store: Store, project_id: str, workload: str | None, declared: dict[str, str]) -> None:
    """A workload neither declared nor seen in the rollups is a NotFound naming the field."""
    if workload is None or workload in declared:
        return
    r = t.monitor_rollups
    with store.read() as conn:
        seen = conn.execute(
            sa.select(r.c.metric).where(r.c.project_id == project_id, r.c.workload == workload).limit(1)
        ).first()
    if seen is None:
        names = ", ".join(declared) or "none declared"
        raise errors.NotFound(f"no workload {workload!r} in project {project_id} ({names})", field="workload")


def audit(
    store: Store, project_id: str, workload: str | None, counts: dict[str, float], privacy_drops: dict[str, Any]
) -> dict[str, Any]:
    """What is captured, what is discarded and why, and the coverage of each signal kind."""
    n = int(counts.get("interactions", 0))
    kinds = {k.split(".", 1)[1]: int(v) for k, v in counts.items() if k.startswith("signals.")}
    coverage = {
        "any signal": counts.get("with_signal", 0),
        "explicit feedback": counts.get("with_feedback", 0),
        "an outcome": counts.get("with_outcome", 0),
        "a label": counts.get("labelled", 0),
    }
    drops = {w: d for w, d in privacy_drops.items() if workload is None or w == workload}
    datasets = _newest_datasets(store, project_id, workload)
    return {
        "interactions": n,
        "signals": sum(kinds.values()),
        "signals_by_kind": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        "coverage": {k: {"count": int(v), "share": _share(v, n)} for k, v in coverage.items()},
        "unused_interactions": max(0, n - int(counts.get("with_signal", 0))),
        "privacy_drops": drops,
        "privacy_dropped": sum(sum(d.values()) for d in drops.values()),
        "datasets": datasets,
        "curation_removed": sum(d["removed_total"] for d in datasets),
        "quarantined_signals": sum(d["quarantined"] for d in datasets),
    }


def _newest_datasets(store: Store, project_id: str, workload: str | None) -> list[dict[str, Any]]:
    """The newest dataset version of each workload, with what its curation discarded and why."""
    dv, q = t.dataset_versions, t.dataset_quarantine
    with store.read() as conn:
        read = json_reader(conn)
        rows = fetch_all(
            conn,
            sa.select(dv.c.id, dv.c.name, dv.c.created_at, dv.c.config, dv.c.tainted_at)
            .where(dv.c.project_id == project_id)
            .order_by(dv.c.created_at),
        )
        newest: dict[str, tuple[str, str, float, bool]] = {}
        for vid, name, created, config, tainted in rows:
            cfg = read(config) or {}
            # curation's config names its scope as `workloads` (a list; unset: every workload)
            w = (cfg.get("workloads") or cfg.get("workload")) if isinstance(cfg, dict) else None
            key = w if isinstance(w, str) else ", ".join(map(str, w)) if isinstance(w, list) else ""
            if workload is None or not w or key == workload or (isinstance(w, list) and workload in w):
                newest[key] = (vid, name, float(created), tainted is not None)
        quarantined: dict[str, int] = {
            str(d): int(c)
            for d, c in fetch_all(
                conn,
                sa.select(q.c.dataset_id, sa.func.count()).where(q.c.project_id == project_id).group_by(q.c.dataset_id),
            )
        }
        out = []
        for key, (vid, name, created, tainted) in sorted(newest.items()):
            # a typed column read with execute() comes back decoded already
            manifest = (
                conn.execute(sa.select(dv.c.manifest).where(dv.c.project_id == project_id, dv.c.id == vid)).scalar()
                or {}
            )
            removed: dict[str, int] = {}
            for rule, entry in (manifest.get("filters") or {}).items():
                total = sum((entry.get("removed") or {}).values()) if isinstance(entry, dict) else 0
                if total:
                    removed[f"filter {rule}"] = int(total)
            for kind, how in (manifest.get("dedup", {}).get("removed") or {}).items():
                total = sum(how.values()) if isinstance(how, dict) else 0
                if total:
                    removed[f"duplicates ({kind})"] = int(total)
            consent = manifest.get("consent") or {}
            for why, k in (consent.get("interactions_refused") or {}).items():
                if k:
                    removed[f"consent: {why}"] = int(k)
            for why, k in ((manifest.get("splits") or {}).get("dropped") or {}).items():
                if k:
                    removed[f"split: {why}"] = int(k)
            integrity = manifest.get("integrity") or {}
            examples = sum(sum(s.values()) for s in (manifest.get("counts") or {}).values() if isinstance(s, dict))
            out.append(
                {
                    "workload": key or "(all)",
                    "id": vid,
                    "name": name,
                    "created_at": created,
                    "tainted": tainted,
                    "examples": int(examples),
                    "pairs": {k: sum(s.values()) for k, s in (manifest.get("counts") or {}).items()},
                    "removed": removed,
                    "removed_total": sum(removed.values()),
                    "quarantined": int(quarantined.get(vid, integrity.get("quarantined_signals", 0)) or 0),
                    "raters": int(integrity.get("raters", 0) or 0),
                    "adversarial_raters": int(integrity.get("adversarial", 0) or 0),
                }
            )
    return out


def signal_design(store: Store, project_id: str, counts: dict[str, float]) -> dict[str, Any]:
    """Each registered signal kind: its category, how it becomes a label, its weight, how often it
    arrives (per 100 interactions); and the verdict mix it produced."""
    from flyloop.labels import load_weights

    weights = load_weights(store, project_id)
    n = counts.get("interactions", 0.0)
    rows: list[dict[str, Any]] = []
    for name, spec in KINDS.items():
        seen = int(counts.get(f"signals.{name}", 0))
        role = (
            "a correction: the edited text is the label (an SFT pair; with the output, a DPO pair)"
            if spec.correction
            else "a vote: its direction sets the verdict"
            if spec.vote
            else "downstream evidence: outcome rate and the reward model's target"
            if spec.category == "outcome"
            else "weighted evidence toward good or bad"
            if spec.polarity
            else "context only (no direction)"
        )
        rows.append(
            {
                "kind": name,
                "category": spec.category,
                "count": seen,
                "per_100": round(100 * seen / n, 2) if n else None,
                "weight": float(weights.kinds.get(name, 0.0)),
                "becomes": role,
            }
        )
    rows.sort(key=lambda r: (-int(r["count"]), str(r["kind"])))
    labelled = counts.get("labelled", 0.0)
    verdicts = {k.split(".", 1)[1]: int(v) for k, v in counts.items() if k.startswith("verdict.")}
    decisive = sum(v for k, v in verdicts.items() if k != "unknown")
    return {
        "kinds": rows,
        "in_use": [r["kind"] for r in rows if r["count"]],
        "high_quality": {k: int(counts.get(f"signals.{k}", 0)) for k in HIGH_QUALITY},
        "labelled": int(labelled),
        "verdicts": verdicts,
        "signal_quality_rate": _share(decisive, labelled),
    }


def loops(store: Store, project_id: str, workload: str | None, settings: Settings, now: float) -> dict[str, Any]:
    """Each loop's cadence (from the settings) and its runs, candidates, evaluations and gates,
    releases and experiments."""
    from flyloop.improve import get_loop, loop_names

    lr, ev, h, ex = t.loop_runs, t.evaluations, t.policy_stage_history, t.experiments

    def scoped(table: sa.Table, query: sa.Select[Any]) -> sa.Select[Any]:
        query = query.where(table.c.project_id == project_id)
        return query if workload is None else query.where(table.c.workload == workload)

    with store.read() as conn:
        read = json_reader(conn)
        runs = fetch_all(
            conn,
            scoped(
                lr,
                sa.select(
                    lr.c.loop, lr.c.workload, lr.c.status, lr.c.started_at, lr.c.finished_at, lr.c.outputs, lr.c.error
                ),
            ).order_by(lr.c.started_at),
        )
        evals = fetch_all(
            conn,
            scoped(
                ev, sa.select(ev.c.id, ev.c.candidate, ev.c.status, ev.c.passed, ev.c.gate, ev.c.created_at)
            ).order_by(ev.c.created_at),
        )
        moves = fetch_all(
            conn,
            scoped(h, sa.select(h.c.workload, h.c.version_id, h.c.previous, h.c.at, h.c.reason))
            .where(h.c.stage == "production")
            .order_by(h.c.at),
        )
        experiments = fetch_all(conn, scoped(ex, sa.select(ex.c.id, ex.c.status, ex.c.started_at, ex.c.decision)))
    per_loop: dict[str, dict[str, Any]] = {}
    for name in loop_names():
        every = float(get_loop(name).every_s(settings))
        per_loop[name] = {
            "loop": name,
            "every_s": every,
            "cadence": _cadence(every),
            "runs": 0,
            "by_status": {},
            "candidates": 0,
            "last": None,
        }
    for loop, w, status, started, finished, outputs, error in runs:
        entry = per_loop.setdefault(
            loop,
            {
                "loop": loop,
                "every_s": 0.0,
                "cadence": "not registered here",
                "runs": 0,
                "by_status": {},
                "candidates": 0,
                "last": None,
            },
        )
        made = list((read(outputs) or {}).get("candidates") or [])
        entry["runs"] += 1
        entry["by_status"][status] = entry["by_status"].get(status, 0) + 1
        entry["candidates"] += len(made)
        entry["last"] = {
            "workload": w,
            "status": status,
            "started_at": float(started),
            "finished_at": None if finished is None else float(finished),
            "candidates": len(made),
            "error": (error or "")[:200] or None,
        }
    for entry in per_loop.values():
        last = entry["last"]
        entry["overdue"] = bool(entry["every_s"] and (last is None or now - last["started_at"] > 2 * entry["every_s"]))
    succeeded = [e for e in evals if e[2] == "succeeded"]
    passed = sum(1 for e in succeeded if e[3])
    last_eval = None
    if evals:
        eid, cand, status, ok, gate, at = evals[-1]
        summary = (read(gate) or {}).get("summary") if gate is not None else None
        last_eval = {"id": eid, "candidate": cand, "status": status, "passed": ok, "summary": summary, "at": float(at)}
    releases = [m for k, m in enumerate(moves) if not _is_rollback(moves, k)]
    rollbacks = len(moves) - len(releases)
    exp_status: dict[str, int] = defaultdict(int)
    for _, status, _, _ in experiments:
        exp_status[str(status)] += 1
    month = now - 30 * DAY
    return {
        "loops": sorted(per_loop.values(), key=lambda e: (-e["runs"], e["loop"])),
        "runs": len(runs),
        "candidates": sum(e["candidates"] for e in per_loop.values()),
        "prompt_updates_30d": sum(
            1
            for loop, _, status, started, _, outputs, _ in runs
            if loop == "prompt" and started >= month and (read(outputs) or {}).get("candidates")
        ),
        "runs_30d": sum(1 for r in runs if r[3] >= month),
        "evaluations": len(evals),
        "evaluations_succeeded": len(succeeded),
        "gates_passed": passed,
        "gates_failed": len(succeeded) - passed,
        "last_evaluation": last_eval,
        "releases": len(releases),
        "releases_30d": sum(1 for m in releases if m[3] >= month),
        "rollbacks": rollbacks,
        "last_release": None
        if not releases
        else {"workload": releases[-1][0], "version": releases[-1][1], "at": float(releases[-1][3])},
        "experiments": dict(exp_status),
    }


def _is_rollback(moves: list[Any], k: int) -> bool:
    """A production move back to what production held before the previous move (same workload)."""
    if k == 0:
        return False
    before = [m for m in moves[:k] if m[0] == moves[k][0]]
    return bool(before) and before[-1][2] is not None and moves[k][1] == before[-1][2]


def _cadence(every_s: float) -> str:
    if not every_s:
        return "not scheduled (runs on demand)"
    for size, unit in ((WEEK, "week"), (DAY, "day"), (HOUR, "hour")):
        if every_s >= size:
            k = every_s / size
            return f"every {k:g} {unit}{'s' if k != 1 else ''}"
    return f"every {every_s:g} s"


def choose_grain(first: float, now: float) -> str:
    """Hours for under two days of data, days for under 60, else weeks: enough windows for a trend."""
    days = (now - first) / DAY
    return "hour" if days <= 2 else "day" if days <= 60 else "week"


def velocity(
    store: Store, project_id: str, workload: str | None, counts: dict[str, float], first: float, now: float
) -> dict[str, Any]:
    """Leading and lagging indicators per window with their trend (least-squares slope per window),
    and the velocity legs (signal → dataset → candidate → release)."""
    grain = choose_grain(first, now)
    size = GRAINS[grain]
    since = max(first, now - (48 if grain == "hour" else 30 if grain == "day" else 26) * size)
    series = metrics(store, project_id, grain=grain, workload=workload, since=since, until=now + 1)
    windows = [
        {
            "start": w["start"],
            "interactions": int(w["counts"].get("interactions", 0)),
            "signals": int(sum(v for k, v in w["counts"].items() if k.startswith("signals."))),
            "labelled": int(w["counts"].get("labelled", 0)),
            **{k: w["rates"].get(k) for k in ("feedback_coverage", "approval_rate", *LAGGING)},
        }
        for w in series["windows"]
    ]
    trends = {k: _trend([w[k] for w in windows]) for k in ("interactions", "signals", "feedback_coverage", *LAGGING)}
    week = totals(store, project_id, start=now - WEEK, end=now + 1, workload=workload, grain="hour")
    last_week = {k: v for g in week.values() for k, v in g.items()} if week else {}
    prior = totals(store, project_id, start=now - 2 * WEEK, end=now - WEEK, workload=workload, grain="hour")
    prior_week = {k: v for g in prior.values() for k, v in g.items()} if prior else {}
    rates = derive(counts)
    legs = {
        leg: {"mean_s": rates.get(f"velocity_{leg}_s"), "n": int(counts.get(f"velocity.{leg}_n", 0))}
        for leg in ("signal_to_dataset", "dataset_to_candidate", "candidate_to_release", "signal_to_release")
    }
    return {
        "grain": grain,
        "windows": windows,
        "trends": trends,
        "signals_7d": int(sum(v for k, v in last_week.items() if k.startswith("signals."))),
        "signals_prior_7d": int(sum(v for k, v in prior_week.items() if k.startswith("signals."))),
        "interactions_7d": int(last_week.get("interactions", 0)),
        "labelled_7d": int(last_week.get("labelled", 0)),
        "legs": legs,
        "rates": {k: rates.get(k) for k in ("feedback_coverage", "approval_rate", "rollback_share", *LAGGING)},
        "notes": series["notes"],
    }


def _trend(values: list[float | None]) -> dict[str, Any]:
    """The least-squares slope per window over the windows that have a value, and its direction
    relative to the mean (flat: the whole run moves under 5% of the mean)."""
    points = [(float(x), float(v)) for x, v in enumerate(values) if v is not None and math.isfinite(v)]
    if len(points) < 3:
        return {"slope": None, "direction": "too few windows", "windows": len(points)}
    xs, ys = zip(*points, strict=True)
    if len(set(ys)) == 1:
        return {"slope": 0.0, "direction": "flat", "windows": len(points)}
    slope = statistics.linear_regression(xs, ys).slope
    mean = statistics.fmean(ys)
    moved = slope * (xs[-1] - xs[0])
    flat = abs(moved) < 0.05 * abs(mean) if mean else moved == 0
    return {
        "slope": round(slope, 6),
        "direction": "flat" if flat else "rising" if slope > 0 else "falling",
        "windows": len(points),
    }


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 6) if whole else None


def now_or(now: float | None) -> float:
    return time.time() if now is None else now
