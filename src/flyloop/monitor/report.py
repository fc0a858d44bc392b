"""The flywheel report (seed 004's design document, written from live data) and the headline:
how fast the wheel is turning.

:func:`build_report` gathers every figure (:mod:`report_data`) and judgement
(:mod:`report_assess`) into one JSON-able dict; :func:`write_report` writes it as Markdown and
HTML with plots (:mod:`report_render`, :mod:`report_plots`); :func:`headline` is the one line
``flyloop status`` and the demo end with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.settings import Settings
from flyloop.store import Store
from flyloop.store import schema as t

from . import report_assess, report_data
from .alerts import check_alerts, list_alerts
from .rollups import update_rollups
from .series import check_segment_key, derive, totals
from .windows import DAY, WEEK

FORMATS = ("md", "html")


@dataclass
class ReportFiles:
    """What :func:`write_report` wrote, the notes it printed, and how long it took."""

    files: list[Path] = field(default_factory=list)
    plots: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)


def _refresh(store: Store, project_id: str, settings: Settings, now: float) -> None:
    """Bring the rollups up to date and run the alert checks (both idempotent; the worker does the
    same on its timer, so with a worker running this only catches up the last minute)."""
    update_rollups(store, project_id, segment_key=settings.monitor_segment_key, now=now)
    check_alerts(store, project_id, settings=settings, now=now)


def _sum(groups: dict[str, dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for counts in groups.values():
        for k, v in counts.items():
            out[k] = out.get(k, 0.0) + v
    return out


def build_report(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    settings: Settings | None = None,
    now: float | None = None,
    refresh: bool = True,
) -> dict[str, Any]:
    """Every figure and judgement of the report, as a dict. ``refresh`` first brings the rollups
    and alerts up to date. An unknown workload is a NotFound naming ``workload``; an empty store
    or a workload with no signals is a report that says so in ``notes``."""
    settings = settings or Settings()
    owners = report_assess.parse_owners(settings.report_owners)
    now = report_data.now_or(now)
    if refresh:
        _refresh(store, project_id, settings, now)
    declared = report_data.workloads(store, project_id)
    report_data.check_workload(store, project_id, workload, declared)
    counts = _sum(totals(store, project_id, start=0.0, end=now + 1, workload=workload, grain="week"))
    spanned = report_data.span(store, project_id, workload)
    from flyloop.privacy import drop_counts

    audit = report_data.audit(store, project_id, workload, counts, drop_counts(store, project_id))
    design = report_data.signal_design(store, project_id, counts)
    loops = report_data.loops(store, project_id, workload, settings, now)
    velocity = (
        report_data.velocity(store, project_id, workload, counts, spanned[0], now)
        if spanned
        else {
            "grain": None,
            "windows": [],
            "trends": {},
            "signals_7d": 0,
            "signals_prior_7d": 0,
            "interactions_7d": 0,
            "labelled_7d": 0,
            "legs": {},
            "rates": {},
            "notes": [],
        }
    )
    alerts = [a.to_json() for a in list_alerts(store, project_id, workload=workload, limit=1000)]
    checked = refresh or bool(alerts)
    moat = report_assess.moat(audit, design, loops, velocity, settings)
    risks = report_assess.risks(alerts, audit, checked)
    plan = report_assess.priorities(audit, design, loops, velocity, moat, risks, owners)
    notes = _notes(project_id, workload, audit, declared)
    if settings.monitor_segment_key and audit["interactions"]:
        try:  # a segment key nobody carries: said once, plainly, rather than one '(none)' segment
            check_segment_key(store, project_id, settings.monitor_segment_key)
        except errors.ValidationError as exc:
            notes.append(f"Segments: {exc.message}.")
    report: dict[str, Any] = {
        "project_id": project_id,
        "workload": workload,
        "generated_at": now,
        "span": list(spanned) if spanned else None,
        "workloads": declared,
        "notes": notes,
        "audit": audit,
        "signals": design,
        "loops": loops,
        "velocity": velocity,
        "moat": moat,
        "alerts": alerts,
        "risks": risks,
        "priorities": plan,
        "owners": owners,
    }
    report["quality_check"] = report_assess.quality_check(audit, design, loops, velocity, moat, plan)
    report["headline"] = _headline_from(project_id, workload, audit, loops, velocity)
    return report


def _notes(project_id: str, workload: str | None, audit: dict[str, Any], declared: dict[str, str]) -> list[str]:
    scope = f"workload {workload}" if workload else f"project {project_id}"
    if audit["interactions"] == 0:
        if workload:
            return [f"{scope} has no interactions yet: there is nothing to audit, learn from or measure."]
        return [
            f"The store holds no interactions for {scope} yet: there is nothing to audit, learn from or measure. "
            "Send interactions and their signals (the SDK's log and signal calls, or POST /v1/ingest), then run "
            "flyloop report again."
        ]
    if audit["signals"] == 0:
        return [
            f"{scope} has {audit['interactions']:,} interactions and no signals: no user has judged an output, "
            "so nothing can become a label yet."
        ]
    return []


def _headline_from(
    project_id: str, workload: str | None, audit: dict[str, Any], loops: dict[str, Any], velocity: dict[str, Any]
) -> str:
    scope = f"workload {workload}" if workload else f"project {project_id}"
    if audit["interactions"] == 0:
        return f"The wheel has not turned yet: no interactions in {scope}."
    if audit["signals"] == 0:
        return (
            f"The wheel is not turning: {audit['interactions']:,} interactions in {scope}, "
            "and no signals to learn from."
        )
    now7, before7 = velocity["signals_7d"], velocity["signals_prior_7d"]
    change = f" ({(now7 - before7) / before7:+.0%} on the 7 days before)" if before7 else ""
    s2r = (velocity["legs"].get("signal_to_release") or {}).get("mean_s")
    tail = (
        f"; a signal reaches a shipped version in {s2r / DAY:.1f} days on average"
        if s2r is not None
        else "; no version built from signals has shipped yet"
    )
    return (
        f"How fast the wheel turns: {now7:,} signals in the last 7 days{change}, "
        f"{velocity['labelled_7d']:,} interactions labelled; {loops['runs_30d']} loop runs and "
        f"{loops['releases_30d']} releases in 30 days{tail}."
    )


def headline(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    settings: Settings | None = None,
    now: float | None = None,
    refresh: bool = True,
) -> str:
    """One line: how fast the wheel is turning (signals this week against last, labels, loop runs
    and releases in 30 days, signal-to-release time), read off the rollups. ``refresh`` first
    brings the rollups up to date (incremental: cheap when the worker keeps them)."""
    settings = settings or Settings()
    now = report_data.now_or(now)
    if refresh:
        update_rollups(store, project_id, segment_key=settings.monitor_segment_key, now=now)
    counts = _sum(totals(store, project_id, start=0.0, end=now + 1, workload=workload, grain="week"))
    signals = int(sum(v for k, v in counts.items() if k.startswith("signals.")))
    audit = {"interactions": int(counts.get("interactions", 0)), "signals": signals}
    if not audit["interactions"] or not signals:
        return _headline_from(project_id, workload, audit, {}, {})
    week = _sum(totals(store, project_id, start=now - WEEK, end=now + 1, workload=workload, grain="hour"))
    prior = _sum(totals(store, project_id, start=now - 2 * WEEK, end=now - WEEK, workload=workload, grain="hour"))
    rates = derive(counts)
    velocity = {
        "signals_7d": int(sum(v for k, v in week.items() if k.startswith("signals."))),
        "signals_prior_7d": int(sum(v for k, v in prior.items() if k.startswith("signals."))),
        "labelled_7d": int(week.get("labelled", 0)),
        "legs": {"signal_to_release": {"mean_s": rates.get("velocity_signal_to_release_s")}},
    }
    return _headline_from(project_id, workload, audit, _recent_pipeline(store, project_id, workload, now), velocity)


def _recent_pipeline(store: Store, project_id: str, workload: str | None, now: float) -> dict[str, int]:
    """Loop runs and releases (production moves that are not rollbacks) in the last 30 days."""
    lr, h = t.loop_runs, t.policy_stage_history
    since = now - 30 * DAY
    with store.read() as conn:
        q = sa.select(sa.func.count()).where(lr.c.project_id == project_id, lr.c.started_at >= since)
        if workload is not None:
            q = q.where(lr.c.workload == workload)
        runs = int(conn.execute(q).scalar_one())
        mq = sa.select(h.c.workload, h.c.version_id, h.c.previous, h.c.at).where(
            h.c.project_id == project_id, h.c.stage == "production"
        )
        if workload is not None:
            mq = mq.where(h.c.workload == workload)
        moves = list(conn.execute(mq.order_by(h.c.at)).all())
    releases = sum(1 for k, m in enumerate(moves) if m[3] >= since and not report_data._is_rollback(moves, k))
    return {"runs_30d": runs, "releases_30d": releases}


def write_report(
    store: Store,
    project_id: str,
    out: str | Path,
    *,
    workload: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    settings: Settings | None = None,
    now: float | None = None,
    refresh: bool = True,
) -> ReportFiles:
    """Write the report to folder ``out``: ``flywheel-report.md`` (plots linked as PNG files beside
    it) and/or ``flywheel-report.html`` (plots embedded). Without matplotlib (the ``report`` extra)
    the Markdown and HTML are written and say that plots need it."""
    from . import report_plots, report_render

    started = time.perf_counter()
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise errors.ValidationError(f"format must be md, html or both, not {', '.join(bad) or 'none'}", field="format")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise errors.ValidationError(f"{folder} is a file, not a folder", field="out")
    # Made before the report is built, so a folder that cannot be written fails in a line at once.
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise errors.ValidationError(f"cannot make the folder {folder}: {exc.strerror}", field="out") from None
    report = build_report(store, project_id, workload=workload, settings=settings, now=now, refresh=refresh)
    result = ReportFiles(report=report, notes=list(report["notes"]))
    plots, missing = report_plots.draw(report)
    if missing:
        result.notes.append(missing)
    if "md" in formats:
        for name, png in plots.items():
            path = folder / f"{name}.png"
            path.write_bytes(png)
            result.plots.append(path)
        path = folder / "flywheel-report.md"
        path.write_text(report_render.markdown(report, plots, missing))
        result.files.append(path)
    if "html" in formats:
        path = folder / "flywheel-report.html"
        path.write_text(report_render.html(report, plots, missing))
        result.files.append(path)
    result.seconds = time.perf_counter() - started
    return result
