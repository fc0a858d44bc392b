"""The report's plots as PNG bytes, drawn with matplotlib (the ``report`` extra) off-screen.

Each plot is drawn only when it has something to show; the renderer says in words why one is
missing, so no chart is ever empty.
"""

from __future__ import annotations

import io
import time
from typing import Any

from flyloop import errors
from flyloop.extras import require

# name: (title, what it shows): the renderer's caption and alt text.
PLOTS: dict[str, tuple[str, str]] = {
    "volume": ("Volume per window", "interactions and signals per window"),
    "lagging": ("Lagging indicators per window", "acceptance, re-query, outcome and abandonment rates per window"),
    "signal_mix": ("Signal mix", "signals received per kind, all time"),
    "verdicts": ("Verdict mix", "labelled interactions per verdict, all time"),
}


def draw(report: dict[str, Any]) -> tuple[dict[str, bytes], str | None]:
    """The plots that have data, and a note when matplotlib is missing (then no plots)."""
    windows = report["velocity"]["windows"]
    kinds = [(r["kind"], r["count"]) for r in report["signals"]["kinds"] if r["count"]]
    verdicts = report["signals"]["verdicts"]
    if not (windows or kinds or verdicts):
        return {}, None  # nothing to draw: matplotlib (seconds to import) is not loaded at all
    try:
        mpl = require("matplotlib", "report", "the report's plots")
    except errors.ConfigError as exc:
        return {}, str(exc)
    mpl.use("Agg", force=True)  # off-screen: no display on a server or in CI
    import matplotlib.pyplot as plt

    out: dict[str, bytes] = {}
    grain = report["velocity"]["grain"] or "window"
    if windows:
        labels = [_label(w["start"], grain) for w in windows]
        fig, ax = plt.subplots(figsize=(8, 3.2))
        ax.bar(labels, [w["interactions"] for w in windows], color="#9ecae1", label="interactions")
        ax.plot(labels, [w["signals"] for w in windows], color="#08519c", marker="o", label="signals")
        _finish(ax, fig, f"{PLOTS['volume'][0]} ({grain})", "count")
        out["volume"] = _png(plt, fig)
        fig, ax = plt.subplots(figsize=(8, 3.2))
        drawn = False
        for key, colour in (
            ("acceptance_rate", "#2ca02c"),
            ("requery_rate", "#d62728"),
            ("outcome_rate", "#9467bd"),
            ("abandonment_rate", "#ff7f0e"),
        ):
            values = [w.get(key) for w in windows]
            if any(v is not None for v in values):
                ax.plot(
                    labels,
                    [float("nan") if v is None else v for v in values],
                    marker=".",
                    color=colour,
                    label=key.replace("_", " "),
                )
                drawn = True
        if drawn:
            ax.set_ylim(0, 1)
            _finish(ax, fig, f"{PLOTS['lagging'][0]} ({grain})", "share of interactions")
            out["lagging"] = _png(plt, fig)
        else:
            plt.close(fig)
    if kinds:
        fig, ax = plt.subplots(figsize=(8, 0.4 * len(kinds) + 1.2))
        ax.barh([k for k, _ in reversed(kinds)], [v for _, v in reversed(kinds)], color="#3182bd")
        _finish(ax, fig, PLOTS["signal_mix"][0], "signals", legend=False)
        out["signal_mix"] = _png(plt, fig)
    if verdicts:
        colours = {"good": "#2ca02c", "bad": "#d62728", "corrected": "#1f77b4", "unknown": "#aaaaaa"}
        fig, ax = plt.subplots(figsize=(6, 3))
        names = sorted(verdicts)
        ax.bar(names, [verdicts[n] for n in names], color=[colours.get(n, "#777777") for n in names])
        _finish(ax, fig, PLOTS["verdicts"][0], "labelled interactions", legend=False)
        out["verdicts"] = _png(plt, fig)
    return out, None


def _label(ts: float, grain: str) -> str:
    return time.strftime("%m-%d %H:00" if grain == "hour" else "%Y-%m-%d", time.gmtime(ts))


def _finish(ax: Any, fig: Any, title: str, ylabel: str, legend: bool = True) -> None:
    ax.set_title(title)
    ax.set_ylabel(ylabel) if ylabel != "signals" else ax.set_xlabel(ylabel)
    if legend:
        ax.legend(loc="upper left", fontsize=8)
    for tick in ax.get_xticklabels():
        tick.set_rotation(45)
        tick.set_horizontalalignment("right")
        tick.set_fontsize(7)
    fig.tight_layout()


def _png(plt: Any, fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()
