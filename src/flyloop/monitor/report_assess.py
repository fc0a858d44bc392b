"""The report's judgements, each computed from the gathered figures (:mod:`report_data`): the moat
assessment, the risks found, the next 90 days' priorities with their owners, and seed 004's
quality check answered item by item. No figure here is typed in; the thresholds are the
project's settings (``loops_finetune_min_pairs``) or named constants with the reason they hold.
"""

from __future__ import annotations

import math
from typing import Any

from flyloop import errors
from flyloop.settings import Settings

from .windows import DAY, WEEK

AREAS = ("signals", "data", "loops", "release", "risks")
# Feedback coverage under this share leaves most outputs unjudged: the label set then speaks for the
# few users who vote (seed 003's feedback bias) rather than for the traffic.
MIN_FEEDBACK_COVERAGE = 0.05
# Which alert kinds make up each risk the report names.
RISKS: dict[str, tuple[str, ...]] = {
    "bias": ("coverage_bias", "segment_disparity"),
    "gaming": ("metric_gaming",),
    "poisoning": (),  # from curation's rater integrity and quarantine, not an alert
    "stall": ("flywheel_stall",),
    "drift": ("input_drift",),
    "regression": ("regression",),
}


def parse_owners(value: str | None) -> dict[str, str]:
    """``'signals=ana,*=bo'`` as {area: owner}; an unknown area or a pair without '=' is a
    ValidationError naming report_owners."""
    out: dict[str, str] = {}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        area, sep, owner = part.partition("=")
        area, owner = area.strip(), owner.strip()
        if not sep or not owner:
            raise errors.ValidationError(f"report_owners: {part.strip()!r} is not area=owner", field="report_owners")
        if area != "*" and area not in AREAS:
            raise errors.ValidationError(
                f"report_owners: unknown area {area!r} (one of {', '.join(AREAS)} or *)", field="report_owners"
            )
        out[area] = owner
    return out


def moat(
    audit: dict[str, Any], design: dict[str, Any], loops: dict[str, Any], velocity: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    """Volume, quality and specificity of the data, and when the advantage becomes defensible.

    Defensible here means a competitor with the same base model cannot catch up by prompting: the
    project holds at least ``loops_finetune_min_pairs`` decisive labels (seed 004's fine-tuning
    threshold) and a version built from them passed its gate against production. The date is
    estimated by extrapolating the last 7 days' rate of decisive labels linearly."""
    need = int(settings.loops_finetune_min_pairs)
    verdicts = design["verdicts"]
    decisive = sum(v for k, v in verdicts.items() if k != "unknown")
    signals = max(audit["signals"], 0)
    high = sum(design["high_quality"].values())
    raters = sum(d["raters"] for d in audit["datasets"])
    adversarial = sum(d["adversarial_raters"] for d in audit["datasets"])
    examples = sum(d["examples"] for d in audit["datasets"])
    corrected = int(verdicts.get("corrected", 0))
    rate_per_week = float(velocity["labelled_7d"]) * (decisive / design["labelled"] if design["labelled"] else 0.0)
    gated = loops["gates_passed"] > 0 and loops["releases"] > 0
    if decisive >= need and gated:
        when, how = "now", f"{decisive:,} decisive labels (≥ {need:,}) and a candidate passed its gate and shipped"
        eta_s: float | None = 0.0
    elif decisive >= need:
        when = "once a candidate built from them passes its gate and ships"
        how = (
            f"{decisive:,} decisive labels already (≥ {need:,}); "
            f"{loops['gates_passed']} gates passed, {loops['releases']} releases"
        )
        eta_s = None
    elif rate_per_week > 0:
        eta_s = (need - decisive) / rate_per_week * WEEK
        when = f"in about {eta_s / DAY:,.0f} days"
        how = (
            f"{need - decisive:,} more decisive labels needed to reach {need:,} (loops_finetune_min_pairs), "
            f"at the last 7 days' {rate_per_week:,.1f} a week, extrapolated linearly; then a gated release"
        )
    else:
        eta_s, when = None, "not at the current rate"
        how = f"{decisive:,} of {need:,} decisive labels and none arrived in the last 7 days"
    return {
        "volume": {
            "interactions": audit["interactions"],
            "signals": signals,
            "signals_7d": velocity["signals_7d"],
            "decisive_labels": decisive,
            "dataset_examples": examples,
        },
        "quality": {
            "signal_quality_rate": design["signal_quality_rate"],
            "high_quality_signals": high,
            "high_quality_share": round(high / signals, 6) if signals else None,
            "raters": raters,
            "adversarial_raters": adversarial,
            "quarantined_signals": audit["quarantined_signals"],
        },
        "specificity": {
            "corrected_labels": corrected,
            "corrected_share": round(corrected / decisive, 6) if decisive else None,
            "signal_kinds_in_use": len(design["in_use"]),
        },
        "threshold": need,
        "defensible": when == "now",
        "defensible_when": when,
        # a date or a condition the data can meet; only a stalled inflow leaves it open
        "identified": eta_s is not None or decisive >= need,
        "estimate": how,
        "eta_s": eta_s,
    }


def risks(alerts: list[dict[str, Any]], audit: dict[str, Any], checked: bool) -> dict[str, Any]:
    """Each named risk: the alerts that found it (with their words), or why none is reported."""
    out: dict[str, Any] = {}
    for risk, kinds in RISKS.items():
        found = [a for a in alerts if a["kind"] in kinds]
        if risk == "poisoning":
            adversarial = sum(d["adversarial_raters"] for d in audit["datasets"])
            quarantined = audit["quarantined_signals"]
            status = "found" if adversarial or quarantined else "none found"
            words = (
                f"{adversarial:,} adversarial raters and {quarantined:,} quarantined signals in the newest dataset "
                "versions"
                if audit["datasets"]
                else "no dataset version built yet: curation's rater integrity has not looked"
            )
            out[risk] = {"status": status if audit["datasets"] else "not checked", "alerts": [], "words": words}
            continue
        status = "found" if found else "none found" if checked else "not checked"
        words = (
            "; ".join(a["message"] for a in found[:3])
            if found
            else f"no {' or '.join(k.replace('_', ' ') for k in kinds)} alert"
            if checked
            else "the alert checks have not run for this project"
        )
        out[risk] = {"status": status, "alerts": [a["id"] for a in found], "words": words}
    return out


def priorities(
    audit: dict[str, Any],
    design: dict[str, Any],
    loops: dict[str, Any],
    velocity: dict[str, Any],
    moat_: dict[str, Any],
    risks_: dict[str, Any],
    owners: dict[str, str],
) -> list[dict[str, Any]]:
    """The next 90 days' priorities, from the gaps, most valuable first (seed 004's order: edit
    capture first, then outcomes, coverage, volume, the loops, the gate, the risks)."""
    gaps: list[tuple[str, str, str]] = []  # area, what, why
    hq = design["high_quality"]
    n = audit["interactions"]
    coverage = audit["coverage"]["explicit feedback"]["share"]
    if n == 0:
        gaps.append(("signals", "Send interactions and their signals to flyloop", "the store holds no interactions"))
    if n and not hq.get("edit"):
        gaps.append(
            (
                "signals",
                "Capture edits of AI outputs (the edit event and its text)",
                f"0 edits among {n:,} interactions",
            )
        )
    if n and not hq.get("outcome") and not audit["coverage"]["an outcome"]["count"]:
        gaps.append(
            ("data", "Join downstream outcomes to interactions (join_key)", f"0 outcomes among {n:,} interactions")
        )
    if n and (coverage or 0) < MIN_FEEDBACK_COVERAGE:
        gaps.append(
            (
                "signals",
                "Raise explicit feedback coverage (inline thumbs, feedback tokens)",
                f"{_pct(coverage)} of interactions carry explicit feedback (under {MIN_FEEDBACK_COVERAGE:.0%})",
            )
        )
    if not moat_["defensible"] and moat_["volume"]["decisive_labels"] < moat_["threshold"]:
        gaps.append(
            (
                "data",
                f"Reach {moat_['threshold']:,} decisive labels for fine-tuning",
                f"{moat_['volume']['decisive_labels']:,} now; defensible {moat_['defensible_when']}",
            )
        )
    prompt = next((e for e in loops["loops"] if e["loop"] == "prompt"), None)
    if prompt is not None and not prompt["every_s"]:
        gaps.append(
            (
                "loops",
                "Schedule the prompt-improvement loop (loops_prompt_every_s, e.g. weekly)",
                f"it runs only on demand: {prompt['runs']} runs so far",
            )
        )
    elif prompt is not None and (prompt["runs"] == 0 or prompt["overdue"]):
        why = "it never ran" if prompt["runs"] == 0 else f"its last run is past twice its cadence ({prompt['cadence']})"
        gaps.append(("loops", "Run the prompt-improvement loop on its cadence", why))
    if loops["candidates"] and not loops["evaluations"]:
        gaps.append(
            (
                "release",
                "Evaluate candidates against production before they ship",
                f"{loops['candidates']} candidates, 0 evaluations",
            )
        )
    elif loops["evaluations_succeeded"] and not loops["gates_passed"]:
        gaps.append(
            (
                "loops",
                "Find why every candidate fails its gate",
                f"{loops['gates_failed']} of {loops['evaluations_succeeded']} evaluations failed",
            )
        )
    if loops["gates_passed"] and not loops["releases"]:
        gaps.append(
            ("release", "Ship a candidate that passed its gate", f"{loops['gates_passed']} gates passed, 0 releases")
        )
    for risk, entry in risks_.items():
        if entry["status"] == "found":
            gaps.append(("risks", f"Resolve the {risk} risk", entry["words"][:300]))
    if not gaps:
        gaps.append(("loops", "Keep the cadence and raise the bar of the gate", "no gap found in the data"))
    return [
        {"rank": k, "area": area, "what": what, "why": why, "owner": owners.get(area) or owners.get("*")}
        for k, (area, what, why) in enumerate(gaps, start=1)
    ]


def quality_check(
    audit: dict[str, Any],
    design: dict[str, Any],
    loops: dict[str, Any],
    velocity: dict[str, Any],
    moat_: dict[str, Any],
    plan: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Seed 004's six items, each answered yes or no from the data, with the figures."""
    n = audit["interactions"]
    discarded = (
        f"discarded: {audit['privacy_dropped']:,} by privacy at ingest, {audit['curation_removed']:,} by curation, "
        f"{audit['quarantined_signals']:,} signals quarantined, {audit['unused_interactions']:,} interactions with no "
        "signal"
    )
    hq = design["high_quality"]
    prompt = next((e for e in loops["loops"] if e["loop"] == "prompt"), None)
    first = plan[0] if plan else None
    area = first["area"] if first else "signals"
    legs = velocity.get("legs", {})
    s2r = (legs.get("signal_to_release") or {}).get("mean_s")
    items = [
        (
            "Current data audit is honest, including what is being discarded",
            n > 0,
            f"{n:,} interactions and {audit['signals']:,} signals captured; {discarded}"
            if n
            else "nothing captured yet",
        ),
        (
            "At least one high-quality labelling signal is defined (edits or outcome data)",
            bool(hq.get("edit") or hq.get("outcome") or audit["coverage"]["an outcome"]["count"]),
            f"{hq.get('edit', 0):,} edits and {audit['coverage']['an outcome']['count']:,} interactions with an "
            "outcome",
        ),
        (
            "At least Loop Type 1 (prompt improvement) is defined with a cadence",
            bool(prompt and prompt["every_s"]),
            f"prompt loop {prompt['cadence']}, {prompt['runs']} runs, {loops['prompt_updates_30d']} prompt updates in "
            "30 days"
            if prompt
            else "no prompt loop registered",
        ),
        (
            "Flywheel velocity metrics are specific",
            bool(velocity.get("windows")),
            f"{velocity.get('signals_7d', 0):,} signals in the last 7 days; signal quality rate "
            f"{_pct(design['signal_quality_rate'])}; "
            f"{loops['prompt_updates_30d']} prompt updates in 30 days; acceptance "
            f"{velocity.get('trends', {}).get('acceptance_rate', {}).get('direction', 'unknown')}; "
            f"signal to release {_days(s2r)}",
        ),
        (
            "Moat assessment identifies when the data advantage becomes defensible",
            moat_["identified"],
            f"defensible {moat_['defensible_when']}: {moat_['estimate']}",
        ),
        (
            "90-day sprint has an engineering owner for priority 1",
            bool(first and first["owner"]),
            f"priority 1 ({first['area']}: {first['what']}) is owned by {first['owner']}"
            if first and first["owner"]
            else f"priority 1 ({area}) has no owner: set report_owners (e.g. FLYLOOP_REPORT_OWNERS='{area}=name')",
        ),
    ]
    return [{"item": item, "passed": ok, "answer": answer} for item, ok, answer in items]


def _pct(share: float | None) -> str:
    return "n/a" if share is None or not math.isfinite(share) else f"{100 * share:.1f}%"


def _days(seconds: float | None) -> str:
    if seconds is None:
        return "not measured yet"
    return f"{seconds / DAY:.1f} days" if seconds >= DAY else f"{seconds / 3600:.1f} hours"
