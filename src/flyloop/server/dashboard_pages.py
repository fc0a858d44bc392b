"""What each dashboard page shows, as data: blocks of words, tables and charts.

A page is built from the library's faces only (the monitor's rollups, the registry, rollout,
datasets and improve), never from raw event scans, so a page stays fast at a million
interactions. Every block carries words: a chart with no data is replaced by a sentence saying
what is missing, and a number that cannot be computed reads "no data", never NaN.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from flyloop import datasets, errors, monitor, registry, rollout
from flyloop.improve import list_runs
from flyloop.settings import Settings
from flyloop.store import Store

DAY = 86400.0
WINDOWS = {"hour": 48, "day": 30, "week": 12}  # how many windows of each grain a page looks back
OPEN_DECISIONS = ("flagged", "pending")


@dataclass
class Page:
    """A page: its title, the blocks in order, and the query it was asked with."""

    title: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)

    def note(self, text: str) -> None:
        self.blocks.append({"kind": "note", "text": text})

    def heading(self, text: str) -> None:
        self.blocks.append({"kind": "heading", "text": text})

    def table(self, columns: list[str], rows: list[list[Any]], *, empty: str, title: str = "") -> None:
        """Rows of cells: a cell is text, or {"text", "href"} for a link."""
        self.blocks.append({"kind": "table", "title": title, "columns": columns, "rows": rows, "empty": empty})

    def chart(
        self, name: str, title: str, traces: list[dict[str, Any]], *, words: str, empty: str, **layout: Any
    ) -> None:
        """A Plotly figure with a sentence of what it shows; with no points, the ``empty`` words only."""
        has_points = any(len(tr.get("y") or tr.get("x") or []) for tr in traces)
        shape: dict[str, Any] = {"title": {"text": title}, **layout}
        figure = {"data": traces, "layout": shape} if has_points else None
        self.blocks.append(
            {
                "kind": "chart",
                "id": f"chart-{name}",
                "title": title,
                "figure": figure,
                "words": words if has_points else empty,
            }
        )

    def decisions(self, items: list[rollout.Decision], *, can_approve: bool) -> None:
        self.blocks.append({"kind": "decisions", "items": [d.model_dump() for d in items], "can_approve": can_approve})


# --- formatting --------------------------------------------------------------------------------


def number(value: Any, *, percent: bool = False, digits: int = 3) -> str:
    """A number for people: None, NaN and infinities read "no data"; rates as percentages."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    value = clean(value)
    if value is None:
        return "no data"
    if percent:
        return f"{100 * float(value):.1f}%"
    return f"{float(value):.{digits}g}"


def duration(seconds: Any) -> str:
    if seconds is None or not math.isfinite(float(seconds)):
        return "no data"
    s = float(seconds)
    for unit, size in (("days", DAY), ("hours", 3600.0), ("minutes", 60.0)):
        if s >= size:
            return f"{s / size:.1f} {unit}"
    return f"{s:.0f} s"


def when(ts: float | None) -> str:
    return "—" if ts is None else time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))


def clean(value: Any) -> float | None:
    """A finite number or None: NaN, the infinities (also as the strings JSON carries them in)
    and what is not a number become None (Plotly draws None as a gap, JSON has no NaN)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return found if math.isfinite(found) else None


def link(text: str, href: str) -> dict[str, str]:
    return {"text": text, "href": href}


# --- query parameters --------------------------------------------------------------------------


def check_grain(grain: str) -> str:
    if grain not in WINDOWS:
        raise errors.ValidationError(f"grain must be one of {', '.join(WINDOWS)}, not {grain!r}", field="grain")
    return grain


def window(grain: str, now: float) -> tuple[float, float]:
    return now - WINDOWS[grain] * monitor.GRAINS[grain], now


def _metrics(store: Store, project_id: str, grain: str, workload: str | None, **kw: Any) -> dict[str, Any]:
    since, until = window(check_grain(grain), time.time())
    return monitor.metrics(store, project_id, grain=grain, workload=workload, since=since, until=until, **kw)


def _notes(page: Page, found: dict[str, Any]) -> None:
    for text in found["notes"]:
        page.note(text)


# --- pages -------------------------------------------------------------------------------------


def overview(store: Store, project_id: str, *, workload: str | None = None, grain: str = "week") -> Page:
    """Velocity: how fast the wheel turns, from a signal to the shipped version, per window."""
    page = Page("Velocity", filters={"workload": workload, "grain": grain})
    found = _metrics(store, project_id, grain, workload)
    _notes(page, found)
    sums: dict[str, float] = {}
    for w in found["windows"]:
        for k, v in w["counts"].items():
            sums[k] = sums.get(k, 0.0) + float(v)
    rates = monitor.derive(sums)
    page.table(
        ["measure", f"last {WINDOWS[grain]} {grain}s"],
        [
            ["interactions", number(int(sums.get("interactions", 0)))],
            ["signal rate", number(rates["signal_rate"], percent=True)],
            ["feedback coverage", number(rates["feedback_coverage"], percent=True)],
            ["signal → dataset", duration(rates["velocity_signal_to_dataset_s"])],
            ["dataset → candidate", duration(rates["velocity_dataset_to_candidate_s"])],
            ["candidate → release", duration(rates["velocity_candidate_to_release_s"])],
            ["signal → shipped version", duration(rates["velocity_signal_to_release_s"])],
            ["releases", number(int(sums.get("releases", 0)))],
            ["share of promotions later rolled back", number(rates["rollback_share"], percent=True)],
        ],
        empty="no data",
        title="The wheel",
    )
    stages = [
        ("velocity_signal_to_dataset_s", "signal → dataset"),
        ("velocity_dataset_to_candidate_s", "dataset → candidate"),
        ("velocity_signal_to_release_s", "signal → shipped"),
    ]
    traces = []
    for name, label in stages:
        points = [(w["start"], w["rates"][name]) for w in found["windows"] if w["rates"][name] is not None]
        if points:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": label,
                    "x": [when(p[0]) for p in points],
                    "y": [round(p[1] / 3600.0, 4) for p in points],
                }
            )
    page.chart(
        "velocity",
        f"Velocity per {grain} (hours)",
        traces,
        words=f"Mean hours from each stage to the next, per {grain}: "
        + "; ".join(f"{tr['name']} latest {tr['y'][-1]:g} h" for tr in traces),
        empty=f"no velocity yet in the last {WINDOWS[grain]} {grain}s: no signal has reached a dataset version, "
        "a candidate or a release in that time",
        yaxis={"title": {"text": "hours"}},
    )
    return page


def signal_mix(store: Store, project_id: str, *, workload: str | None = None, grain: str = "day") -> Page:
    """Signals by kind per window (counts), stacked."""
    page = Page("Signal mix", filters={"workload": workload, "grain": grain})
    found = _metrics(store, project_id, grain, workload)
    _notes(page, found)
    kinds = sorted({k.split(".", 1)[1] for w in found["windows"] for k in w["counts"] if k.startswith("signals.")})
    x = [when(w["start"]) for w in found["windows"]]
    traces = [
        {"type": "bar", "name": kind, "x": x, "y": [w["counts"].get(f"signals.{kind}", 0) for w in found["windows"]]}
        for kind in kinds
    ]
    totals = {kind: sum(int(w["counts"].get(f"signals.{kind}", 0)) for w in found["windows"]) for kind in kinds}
    page.chart(
        "signals",
        f"Signals by kind per {grain}",
        traces,
        words="Signals in these windows: " + ", ".join(f"{k} {v:,}" for k, v in totals.items()),
        empty=f"no signals in the last {WINDOWS[grain]} {grain}s"
        + (f" for workload {workload!r}" if workload else "")
        + ": nothing to chart",
        barmode="stack",
    )
    page.table(["kind", "signals"], [[k, number(v)] for k, v in totals.items()], empty="no signals")
    return page


def verdicts(store: Store, project_id: str, *, workload: str | None = None, grain: str = "day") -> Page:
    """The verdict mix (share of labelled interactions per verdict) per window."""
    page = Page("Verdict trend", filters={"workload": workload, "grain": grain})
    found = _metrics(store, project_id, grain, workload)
    _notes(page, found)
    labelled = [w for w in found["windows"] if w["rates"]["verdict_mix"]]
    names = sorted({v for w in labelled for v in w["rates"]["verdict_mix"]})
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": v,
            "x": [when(w["start"]) for w in labelled],
            "y": [w["rates"]["verdict_mix"].get(v, 0.0) for w in labelled],
        }
        for v in names
    ]
    latest = labelled[-1]["rates"]["verdict_mix"] if labelled else {}
    page.chart(
        "verdicts",
        f"Share of labelled interactions per verdict, per {grain}",
        traces,
        words="Latest window: " + ", ".join(f"{v} {number(s, percent=True)}" for v, s in latest.items()),
        empty=f"no labelled interactions in the last {WINDOWS[grain]} {grain}s: no verdicts to chart",
        yaxis={"tickformat": ".0%", "range": [0, 1]},
    )
    return page


def versions(store: Store, project_id: str, *, workload: str | None = None) -> Page:
    page = Page("Versions", filters={"workload": workload})
    found = registry.list_versions(store, project_id, workload=workload)
    tainted = registry.tainted_versions(store, project_id)
    rows = [
        [
            link(v.id, f"/dashboard/versions/{v.id}"),
            v.workload,
            registry.version_stage(store, project_id, v.id),
            v.parent or "—",
            v.created_by,
            when(v.created_at),
            tainted.get(v.id, ""),
        ]
        for v in reversed(found[-200:])
    ]
    page.table(
        ["version", "workload", "stage", "parent", "by", "created", "taint"],
        rows,
        empty="no policy versions yet: register one (flyloop policies register) to see it here",
    )
    return page


def lineage(store: Store, project_id: str, version_id: str) -> Page:
    found = rollout.lineage(store, project_id, version_id)
    page = Page(f"Version {version_id}")
    v = found["version"]
    page.table(
        ["field", "value"],
        [
            ["workload", v.get("workload", "")],
            ["stage", found.get("stage") or "—"],
            ["taint", found.get("taint") or "none"],
            ["parent", v.get("parent") or "—"],
            ["created by", v.get("created_by", "")],
            ["note", v.get("note") or "—"],
        ],
        empty="",
        title="The version",
    )
    signals = found.get("signals") or {}
    page.table(
        ["signals", "first ids"],
        [[number(signals.get("count", 0)), ", ".join(signals.get("sample", [])[:5])]],
        empty="",
        title="Signals behind it",
    )
    page.table(
        ["dataset version", "name", "signals", "used by"],
        [
            [d.get("id", ""), d.get("name", ""), number(d.get("signals")), ", ".join(d.get("used_by", []))]
            for d in found.get("datasets", [])
        ],
        empty="no dataset version: this version was not built from captured data",
        title="Datasets",
    )
    run = found.get("run")
    page.table(
        ["loop run", "loop", "status"],
        [[run.get("id", ""), run.get("loop", ""), run.get("status", "")]] if run else [],
        empty="no loop run made this version",
        title="Loop run",
    )
    page.table(
        ["artifact", "kind"],
        [[a.get("id", ""), a.get("kind", "")] for a in found.get("artifacts", [])],
        empty="no artifacts",
        title="Artifacts",
    )
    page.table(
        ["evaluation", "against", "passed", "gate"],
        [
            [
                e.get("id", ""),
                e.get("baseline") or "—",
                number(e.get("passed")),
                e.get("summary") or e.get("status", ""),
            ]
            for e in found.get("evaluations", [])
        ],
        empty="never evaluated",
        title="Evaluations",
    )
    page.table(
        ["experiment", "status", "role"],
        [
            [link(e.get("id", ""), f"/dashboard/experiments/{e.get('id', '')}"), e.get("status", ""), e.get("role", "")]
            for e in found.get("experiments", [])
        ],
        empty="in no experiment",
        title="Experiments",
    )
    page.table(
        ["stage", "at", "by", "reason"],
        [[m.get("stage", ""), when(m.get("at")), m.get("by", ""), m.get("reason", "")] for m in found.get("moves", [])],
        empty="never moved between stages",
        title="Stage moves",
    )
    return page


def experiments(store: Store, project_id: str, *, workload: str | None = None) -> Page:
    page = Page("Experiments", filters={"workload": workload})
    found = rollout.list_experiments(store, project_id, workload=workload, limit=100)
    rows = [
        [
            link(e.id, f"/dashboard/experiments/{e.id}"),
            e.workload,
            e.status,
            e.control,
            e.candidate,
            f"{e.share:g}%",
            when(e.started_at),
            when(e.ended_at),
        ]
        for e in found
    ]
    page.table(
        ["experiment", "workload", "status", "control", "candidate", "candidate share", "started", "ended"],
        rows,
        empty="no experiments yet: start one with flyloop experiments start",
    )
    return page


def experiment(store: Store, project_id: str, experiment_id: str, *, can_approve: bool) -> Page:
    """One experiment: per-arm metrics and the difference with its always-valid interval."""
    found = rollout.experiment_metrics(store, project_id, experiment_id)
    page = Page(f"Experiment {experiment_id}")
    arms = found["arms"]
    page.note(
        f"{found['workload']}, {found['status']}, candidate at {found['share']:g}% of new users; users: "
        f"control {arms['control']['users']:,}, candidate {arms['candidate']['users']:,}; "
        f"sample ratio: {found['srm']['reason']}"
    )
    names = [m for m in found["comparisons"]]
    rows = []
    diffs, lows, highs = [], [], []
    for m in names:
        c, k, cmp = arms["control"]["metrics"][m], arms["candidate"]["metrics"][m], found["comparisons"][m]
        low, high = clean(cmp.get("lower")), clean(cmp.get("upper"))
        interval = (
            "unbounded: too few users or no variation yet"
            if low is None or high is None
            else f"[{number(low)}, {number(high)}]"
        )
        rows.append(
            [
                m,
                number(c["mean"]),
                number(k["mean"]),
                number(cmp.get("difference")),
                interval,
                number(cmp.get("adjusted_p_value")),
                "yes" if cmp.get("significant") else "no",
            ]
        )
        diffs.append(clean(cmp.get("difference")))
        lows.append(low)
        highs.append(high)
    page.table(
        ["metric", "control", "candidate", "difference", "interval", "adjusted p", "significant"],
        rows,
        empty="no metrics yet",
        title="Per arm",
    )
    # Only metrics with a bounded interval are drawn: an unbounded one has no bar to show.
    bounded = [
        (names[i], d, lo, hi)
        for i, (d, lo, hi) in enumerate(zip(diffs, lows, highs, strict=True))
        if d is not None and lo is not None and hi is not None
    ]
    traces = []
    if bounded:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "candidate − control",
                "x": [b[0] for b in bounded],
                "y": [b[1] for b in bounded],
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [round(b[3] - b[1], 6) for b in bounded],
                    "arrayminus": [round(b[1] - b[2], 6) for b in bounded],
                },
            }
        )
    page.chart(
        "arms",
        "Candidate − control, with always-valid intervals",
        traces,
        words="Difference per metric: " + ", ".join(f"{b[0]} {number(b[1])}" for b in bounded),
        empty="no interval is bounded yet: too few users in an arm, or no interaction names either arm's version",
    )
    _arm_rates(page, store, project_id, experiment_id)
    page.heading("Decisions")
    page.decisions(rollout.list_decisions(store, project_id, experiment_id=experiment_id), can_approve=can_approve)
    return page


def _arm_rates(page: Page, store: Store, project_id: str, experiment_id: str) -> None:
    """The arms' rates over their interactions, read off the rollups (the monitor's by-arm rows)."""
    sums = monitor.totals(store, project_id, start=0.0, end=time.time() + 7 * DAY, by="arm", grain="week")
    rows = []
    for arm in ("control", "candidate"):
        counts = sums.get(f"{experiment_id}:{arm}", {})
        r = monitor.derive(counts)
        rows.append([arm, number(int(counts.get("interactions", 0)))] + [
            number(r[m], percent=True) for m in ("acceptance_rate", "feedback_coverage", "edit_rate", "requery_rate")
        ])  # fmt: skip
    page.table(
        ["arm", "interactions", "acceptance", "feedback coverage", "edit rate", "re-query rate"],
        rows if any(sums.get(f"{experiment_id}:{arm}") for arm in ("control", "candidate")) else [],
        empty="no interaction served under either arm has been counted by the monitor yet",
        title="Per arm, per interaction (the monitor's rollups)",
    )


def segments(
    store: Store, project_id: str, settings: Settings, *, workload: str | None = None, grain: str = "day"
) -> Page:
    page = Page("Segments", filters={"workload": workload, "grain": grain})
    key = settings.monitor_segment_key
    found = _metrics(store, project_id, grain, workload, by="segment", segment_key=key)
    _notes(page, found)
    sums: dict[str, dict[str, float]] = {}
    for w in found["windows"]:
        cell = sums.setdefault(w["group"], {})
        for k, v in w["counts"].items():
            cell[k] = cell.get(k, 0.0) + float(v)
    rates = {g: monitor.derive(c) for g, c in sorted(sums.items())}
    page.table(
        ["segment", "interactions", "feedback coverage", "acceptance", "edit rate", "re-query rate"],
        [
            [
                g or "(all)",
                number(int(sums[g].get("interactions", 0))),
                number(r["feedback_coverage"], percent=True),
                number(r["acceptance_rate"], percent=True),
                number(r["edit_rate"], percent=True),
                number(r["requery_rate"], percent=True),
            ]
            for g, r in rates.items()
        ],
        empty="no interactions in these windows",
        title=f"Per segment (metadata key {key!r})" if key else "Per segment (no segment key configured)",
    )
    shown = [g for g, r in rates.items() if r["acceptance_rate"] is not None]
    page.chart(
        "segments",
        "Acceptance per segment",
        [
            {
                "type": "bar",
                "name": "acceptance",
                "x": [g or "(all)" for g in shown],
                "y": [rates[g]["acceptance_rate"] for g in shown],
            }
        ]
        if shown
        else [],
        words="Acceptance: "
        + ", ".join(f"{g or '(all)'} {number(rates[g]['acceptance_rate'], percent=True)}" for g in shown),
        empty="no segment has interactions in these windows: nothing to compare",
        yaxis={"tickformat": ".0%"},
    )
    return page


def dataset_versions(store: Store, project_id: str) -> Page:
    page = Page("Datasets")
    found = datasets.list_versions(store, project_id)[:200]
    rows = []
    for d in found:
        counts = {kind: sum(split.values()) for kind, split in d.counts.items()}
        rows.append(
            [
                d.short_id,
                d.name,
                when(d.created_at),
                ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())) or "empty",
                d.taint_reason or ("tainted" if d.tainted else ""),
            ]
        )
    page.table(
        ["version", "name", "built", "rows per export", "taint"],
        rows,
        empty="no dataset versions yet: build one with flyloop datasets build --workload W",
    )
    total = [(d.short_id, sum(sum(s.values()) for s in d.counts.values())) for d in reversed(found)]
    page.chart(
        "datasets",
        "Rows per dataset version",
        [{"type": "bar", "name": "rows", "x": [t[0] for t in total], "y": [t[1] for t in total]}] if total else [],
        words="Rows: " + ", ".join(f"{t[0]} {t[1]:,}" for t in total[-10:]),
        empty="no dataset versions: nothing to chart",
    )
    return page


def loop_runs(store: Store, project_id: str, *, workload: str | None = None) -> Page:
    page = Page("Loop runs", filters={"workload": workload})
    found = list_runs(store, project_id, workload=workload, limit=100)
    rows = [
        [
            r.id,
            r.loop,
            r.workload,
            r.status,
            r.trigger,
            when(r.started_at),
            duration(r.duration_s),
            ", ".join(r.candidates) or "—",
            r.error or "",
        ]
        for r in found
    ]
    page.table(
        ["run", "loop", "workload", "status", "trigger", "started", "took", "candidates", "error"],
        rows,
        empty="no loop runs yet: flyloop loops run starts one",
    )
    return page


def alerts(store: Store, project_id: str, *, workload: str | None = None) -> Page:
    page = Page("Alerts", filters={"workload": workload})
    found = monitor.list_alerts(store, project_id, workload=workload, limit=200)
    rows = [[a.kind, a.workload, a.severity, a.message, when(a.created_at), a.delivery] for a in found]
    page.table(
        ["kind", "workload", "severity", "what happened", "raised", "webhook"],
        rows,
        empty="no alerts: no check has found a regression, disparity, gaming, coverage bias, drift or stall",
    )
    return page


def decisions(store: Store, project_id: str, *, can_approve: bool) -> Page:
    page = Page("Decisions")
    page.note(f"automation level: {rollout.automation(store, project_id)}")
    page.decisions(rollout.list_decisions(store, project_id, limit=200), can_approve=can_approve)
    return page
