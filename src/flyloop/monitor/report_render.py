"""The report as Markdown and as HTML, from one list of blocks, so both say exactly the same.

A block is a heading, a paragraph, a bullet list, a table or a plot. Markdown links each plot as
the PNG written beside it; HTML embeds it (base64), so the one file can be mailed. A plot that
could not be drawn is a sentence saying why, never an empty chart.
"""

from __future__ import annotations

import base64
import html as html_lib
import math
import time
from typing import Any

from .report_assess import _days, _pct
from .report_plots import PLOTS

Block = tuple[Any, ...]


def _ts(ts: float | None) -> str:
    return "never" if ts is None else time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))


def _n(x: float | int | None) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def blocks(report: dict[str, Any], plots: dict[str, bytes], missing: str | None) -> list[Block]:
    """The report's content, section by section (seed 004's design document)."""
    a, s, lp, v, m = report["audit"], report["signals"], report["loops"], report["velocity"], report["moat"]
    scope = f"project {report['project_id']}" + (f", workload {report['workload']}" if report["workload"] else "")
    span = report["span"]
    out: list[Block] = [
        ("h1", f"Flywheel report: {scope}"),
        (
            "p",
            f"Written {_ts(report['generated_at'])} from live data"
            + (f" covering {_ts(span[0])} to {_ts(span[1])}." if span else "."),
        ),
    ]
    out += [("note", n) for n in report["notes"]]
    if missing:
        out.append(("note", missing))
    out += [("p", report["headline"])]

    out += [("h2", "1. Data audit"), ("h3", "What is captured")]
    out.append(
        (
            "table",
            ["what", "count", "share of interactions"],
            [
                ["interactions", _n(a["interactions"]), "100%" if a["interactions"] else "n/a"],
                ["signals", _n(a["signals"]), ""],
            ]
            + [[f"interactions with {k}", _n(c["count"]), _pct(c["share"])] for k, c in a["coverage"].items()],
        )
    )
    out.append(("h3", "Coverage per signal kind"))
    kinds = [r for r in s["kinds"] if r["count"]]
    out.append(
        (
            "table",
            ["kind", "category", "signals", "per 100 interactions"],
            [[r["kind"], r["category"], _n(r["count"]), _n(r["per_100"])] for r in kinds],
        )
        if kinds
        else ("p", "No signal of any kind has arrived.")
    )
    out.append(("h3", "What is discarded, and why"))
    discard = [
        f"Interactions with no signal at all (captured, never judged): {_n(a['unused_interactions'])}.",
        f"Dropped by the privacy policy at ingest (minimization, consent, erasure): {_n(a['privacy_dropped'])}"
        + (
            " ("
            + "; ".join(
                f"{w or '(all)'}: " + ", ".join(f"{k} {c:,}" for k, c in d.items())
                for w, d in a["privacy_drops"].items()
            )
            + ")."
            if a["privacy_drops"]
            else "."
        ),
        f"Signals quarantined by curation's rater integrity: {_n(a['quarantined_signals'])}.",
    ]
    out.append(("list", discard))
    if a["datasets"]:
        out.append(
            (
                "table",
                ["workload", "newest dataset version", "built", "examples", "removed by curation (why: count)"],
                [
                    [
                        d["workload"],
                        d["name"] + (" (tainted)" if d["tainted"] else ""),
                        _ts(d["created_at"]),
                        _n(d["examples"]),
                        ", ".join(f"{k}: {c:,}" for k, c in sorted(d["removed"].items(), key=lambda kv: -kv[1]))
                        or "nothing",
                    ]
                    for d in a["datasets"]
                ],
            )
        )
    else:
        out.append(("p", "No dataset version has been built, so curation has discarded nothing yet."))

    out += [("h2", "2. Signal design")]
    out.append(
        (
            "p",
            f"{len(s['in_use'])} of {len(s['kinds'])} registered signal kinds are in use. Labels: {_n(s['labelled'])} "
            "interactions, "
            f"signal quality rate (decisive verdicts among labels) {_pct(s['signal_quality_rate'])}; high-quality "
            "signals: "
            f"{_n(s['high_quality'].get('edit'))} edits, {_n(s['high_quality'].get('outcome'))} outcome signals.",
        )
    )
    out.append(
        (
            "table",
            ["kind", "category", "per 100 interactions", "label weight", "becomes"],
            [[r["kind"], r["category"], _n(r["per_100"]), f"{r['weight']:g}", r["becomes"]] for r in s["kinds"]],
        )
    )
    if s["verdicts"]:
        out.append(("table", ["verdict", "interactions"], [[k, _n(c)] for k, c in sorted(s["verdicts"].items())]))
    out.append(_plot("verdicts", plots, "no interaction has been labelled yet"))

    out += [("h2", "3. Improvement loops")]
    out.append(
        (
            "table",
            ["loop", "cadence", "runs", "by status", "candidates", "last run"],
            [
                [
                    e["loop"],
                    e["cadence"] + (" (overdue)" if e["overdue"] else ""),
                    _n(e["runs"]),
                    ", ".join(f"{k} {c}" for k, c in sorted(e["by_status"].items())) or "-",
                    _n(e["candidates"]),
                    "never"
                    if e["last"] is None
                    else f"{e['last']['status']} {_ts(e['last']['started_at'])} ({e['last']['workload']})",
                ]
                for e in lp["loops"]
            ],
        )
    )
    last_eval = lp["last_evaluation"]
    out.append(
        (
            "list",
            [
                f"Evaluations: {lp['evaluations']} ({lp['evaluations_succeeded']} ran; gates passed "
                f"{lp['gates_passed']}, failed {lp['gates_failed']})."
                + (
                    f" Last: {last_eval['candidate']} {('passed' if last_eval['passed'] else 'did not pass')} on "
                    f"{_ts(last_eval['at'])}" + (f": {last_eval['summary']}" if last_eval.get("summary") else "") + "."
                    if last_eval
                    else ""
                ),
                f"Releases to production: {lp['releases']} ({lp['releases_30d']} in 30 days), rollbacks "
                f"{lp['rollbacks']}"
                + (
                    f"; last {lp['last_release']['version']} ({lp['last_release']['workload']}) on "
                    f"{_ts(lp['last_release']['at'])}."
                    if lp["last_release"]
                    else "."
                ),
                "Experiments: " + (", ".join(f"{k} {c}" for k, c in sorted(lp["experiments"].items())) or "none") + ".",
            ],
        )
    )

    out += [("h2", "4. Velocity")]
    trends = v["trends"]
    legs = v["legs"]
    out.append(
        (
            "list",
            [
                f"Leading: {_n(v['signals_7d'])} signals in the last 7 days ({_n(v['signals_prior_7d'])} the 7 "
                "before); "
                f"signal quality rate {_pct(s['signal_quality_rate'])}; {lp['prompt_updates_30d']} prompt updates and "
                f"{lp['runs_30d']} loop runs in 30 days.",
                "Lagging (all time, trend per "
                + (v["grain"] or "window")
                + "): "
                + "; ".join(
                    f"{k.replace('_', ' ')} {_pct(v['rates'].get(k))} ({trends.get(k, {}).get('direction', 'no data')})"
                    for k in ("acceptance_rate", "requery_rate", "outcome_rate", "abandonment_rate")
                )
                + ".",
                "Velocity, mean time per leg: "
                + "; ".join(
                    f"{leg.replace('_', ' ')} {_days((legs.get(leg) or {}).get('mean_s'))} "
                    f"(n={_n((legs.get(leg) or {}).get('n', 0))})"
                    for leg in (
                        "signal_to_dataset",
                        "dataset_to_candidate",
                        "candidate_to_release",
                        "signal_to_release",
                    )
                )
                + f"; rollback share {_pct(v['rates'].get('rollback_share'))}.",
            ],
        )
    )
    out.append(_plot("volume", plots, "no window holds interactions"))
    out.append(_plot("lagging", plots, "no window has a lagging rate to draw"))
    out.append(_plot("signal_mix", plots, "no signal has arrived"))

    out += [("h2", "5. Moat assessment")]
    out.append(
        (
            "list",
            [
                f"Volume: {_n(m['volume']['interactions'])} interactions, {_n(m['volume']['signals'])} signals "
                f"({_n(m['volume']['signals_7d'])} in 7 days), {_n(m['volume']['decisive_labels'])} decisive labels, "
                f"{_n(m['volume']['dataset_examples'])} examples in the newest dataset versions.",
                f"Quality: signal quality rate {_pct(m['quality']['signal_quality_rate'])}; high-quality signals "
                "(edits, outcomes) "
                f"{_n(m['quality']['high_quality_signals'])} ({_pct(m['quality']['high_quality_share'])} of signals); "
                f"{_n(m['quality']['adversarial_raters'])} adversarial of {_n(m['quality']['raters'])} raters; "
                f"{_n(m['quality']['quarantined_signals'])} signals quarantined.",
                f"Specificity: {_n(m['specificity']['corrected_labels'])} labels carry the users' own corrected text "
                f"({_pct(m['specificity']['corrected_share'])} of decisive labels); "
                f"{m['specificity']['signal_kinds_in_use']} signal kinds in use.",
                f"Defensible {m['defensible_when']}. How this is estimated: {m['estimate']}.",
            ],
        )
    )

    out += [("h2", "6. Risks found")]
    out.append(
        (
            "table",
            ["risk", "status", "evidence"],
            [[risk, e["status"], e["words"]] for risk, e in report["risks"].items()],
        )
    )

    out += [("h2", "7. The next 90 days")]
    out.append(
        (
            "table",
            ["priority", "what", "why (from the data)", "area", "owner"],
            [
                [str(p["rank"]), p["what"], p["why"], p["area"], p["owner"] or "unassigned (set report_owners)"]
                for p in report["priorities"]
            ],
        )
    )

    out += [("h2", "8. Quality check (seed 004)")]
    out.append(("checks", [(c["passed"], c["item"], c["answer"]) for c in report["quality_check"]]))
    return out


def _plot(name: str, plots: dict[str, bytes], why_not: str) -> Block:
    return ("plot", name, plots.get(name), why_not)


def markdown(report: dict[str, Any], plots: dict[str, bytes], missing: str | None) -> str:
    """The report as Markdown; plots are linked as ``NAME.png`` beside the file."""
    lines: list[str] = []
    for b in blocks(report, plots, missing):
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + b[1], ""]
        elif kind == "p":
            lines += [b[1], ""]
        elif kind == "note":
            lines += [f"> **Note:** {b[1]}", ""]
        elif kind == "list":
            lines += [f"- {item}" for item in b[1]] + [""]
        elif kind == "table":
            lines += ["| " + " | ".join(b[1]) + " |", "|" + "---|" * len(b[1])]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b[2]] + [""]
        elif kind == "plot":
            name, png, why_not = b[1], b[2], b[3]
            title, alt = PLOTS[name]
            if png is not None:
                lines += [f"![{title}: {alt}]({name}.png)", ""]
            elif missing:
                lines += [f"*{title}: not drawn ({missing.split(':')[0]}).*", ""]
            else:
                lines += [f"*{title}: nothing to plot, {why_not}.*", ""]
        elif kind == "checks":
            lines += [
                f"- [{'x' if ok else ' '}] **{item}**: {'yes' if ok else 'no'}. {answer}" for ok, item, answer in b[1]
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


_STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.note{background:#fff7d6;border-left:4px solid #e0b000;padding:.5rem 1rem}
.pass{color:#1a7f37}.fail{color:#b42318}figure{margin:1rem 0}figcaption{color:#555;font-size:.9rem}"""


def html(report: dict[str, Any], plots: dict[str, bytes], missing: str | None) -> str:
    """The report as one self-contained HTML page; plots embedded as base64 PNG."""
    e = html_lib.escape
    body: list[str] = []
    title = ""
    for b in blocks(report, plots, missing):
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            title = title or b[1]
            body.append(f"<{kind}>{e(b[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{e(b[1])}</p>")
        elif kind == "note":
            body.append(f'<p class="note"><strong>Note:</strong> {e(b[1])}</p>')
        elif kind == "list":
            body.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in b[1])
            rows = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in b[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif kind == "plot":
            name, png, why_not = b[1], b[2], b[3]
            caption, alt = PLOTS[name]
            if png is not None:
                data = base64.b64encode(png).decode()
                body.append(
                    f'<figure><img alt="{e(caption)}: {e(alt)}" src="data:image/png;base64,{data}">'
                    f"<figcaption>{e(caption)}: {e(alt)}</figcaption></figure>"
                )
            else:
                why = f"not drawn ({missing.split(':')[0]})" if missing else f"nothing to plot, {why_not}"
                body.append(f"<p><em>{e(caption)}: {e(why)}.</em></p>")
        elif kind == "checks":
            body.append(
                "<ul>"
                + "".join(
                    f'<li><strong class="{"pass" if ok else "fail"}">{"✔ yes" if ok else "✘ no"}</strong> '
                    f"<strong>{e(item)}</strong>: {e(answer)}</li>"
                    for ok, item, answer in b[1]
                )
                + "</ul>"
            )
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"<style>{_STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
