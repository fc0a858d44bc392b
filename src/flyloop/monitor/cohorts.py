"""What one hour of interactions adds to the rollups: counts per workload, policy version and
segment, read off the interactions whose own time falls in the hour, with their signals,
labels and outcomes.

Metrics are counts (or sums), never rates: a rate is the ratio of two of them, read off later
(:mod:`flyloop.monitor.metrics`), so hours add up into days, weeks and any group. A signal that
another overrides is left out, as the label leaves it out.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from flyloop.events import KINDS, measure
from flyloop.store import fetch_all, json_reader
from flyloop.store import schema as t

NO_SEGMENT = "(none)"
# Input length in characters, as the bin of its base-2 logarithm: the feature summary the drift
# check compares between windows (bin 0: empty; bin 15: 16k characters and more).
INPUT_BINS = 16

Key = tuple[str, str, str]  # workload, version, segment


def input_bin(value: Any) -> int:
    """The log2 bin of an input's length in characters (a JSON input counted as its JSON text)."""
    text = value if isinstance(value, str) else "" if value is None else json.dumps(value, sort_keys=True)
    return min(INPUT_BINS - 1, int(math.log2(len(text) + 1)))


def segment_of(meta: Any, segment_key: str | None) -> str:
    if not segment_key:
        return ""
    if isinstance(meta, dict) and meta.get(segment_key) not in (None, ""):
        return str(meta[segment_key])[:200]
    return NO_SEGMENT


def hour_counts(
    conn: sa.Connection, project_id: str, start: float, end: float, segment_key: str | None
) -> dict[Key, dict[str, float]]:
    """The counts of the interactions with ``start <= ts < end``, by (workload, version, segment)."""
    read = json_reader(conn)
    i = t.interactions
    in_window = (i.c.project_id == project_id, i.c.ts >= start, i.c.ts < end)
    rows = fetch_all(
        conn, sa.select(i.c.id, i.c.workload, i.c.policy_version, i.c.meta, i.c.input, i.c.output).where(*in_window)
    )
    if not rows:
        return {}
    s = t.signals
    joined = s.join(i, sa.and_(s.c.project_id == i.c.project_id, s.c.interaction_id == i.c.id))
    signal_rows = fetch_all(
        conn,
        sa.select(s.c.id, s.c.interaction_id, s.c.kind, s.c.value, s.c.payload, s.c.ts, s.c.overrides)
        .select_from(joined)
        .where(*in_window),
    )
    overridden = {r[6] for r in signal_rows if r[6]}
    signals: dict[str, list[tuple[str, float | None, Any, float]]] = defaultdict(list)
    for sid, iid, kind, value, payload, ts, _ in signal_rows:
        if sid not in overridden:
            signals[iid].append((kind, value, payload, ts))
    lb = t.labels
    verdicts: dict[str, str] = {
        r[0]: r[1]
        for r in fetch_all(
            conn,
            sa.select(lb.c.interaction_id, lb.c.verdict).where(
                lb.c.project_id == project_id, lb.c.ts >= start, lb.c.ts < end
            ),
        )
    }
    o = t.outcomes
    with_outcome: set[str] = {
        r[0]
        for r in fetch_all(
            conn,
            sa.select(i.c.id)
            .select_from(o.join(i, sa.and_(o.c.project_id == i.c.project_id, o.c.interaction_id == i.c.id)))
            .where(*in_window),
        )
    }
    with_outcome.update(
        r[0]
        for r in fetch_all(
            conn,
            sa.select(i.c.id)
            .select_from(o.join(i, sa.and_(o.c.project_id == i.c.project_id, o.c.join_key == i.c.join_key)))
            .where(*in_window, o.c.join_key.is_not(None)),
        )
    )
    counts: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for iid, workload, version, meta, input_value, output in rows:
        c = counts[(workload, version or "", segment_of(read(meta), segment_key))]
        _count_one(c, signals.get(iid, ()), verdicts.get(iid), iid in with_outcome, output, read)
        c[f"input_chars.{input_bin(read(input_value))}"] += 1
    return {k: dict(v) for k, v in counts.items()}


def _count_one(
    c: dict[str, float],
    signals: Any,
    verdict: str | None,
    outcome_row: bool,
    output: str | None,
    read: Any,
) -> None:
    c["interactions"] += 1
    kinds = set()
    last_vote: tuple[float, int] | None = None
    last_edit: tuple[float, Any] | None = None
    for kind, value, payload, ts in signals:
        c[f"signals.{kind}"] += 1
        kinds.add(kind)
        spec = KINDS.get(kind)
        if spec is None:
            continue
        payload = read(payload) or {}
        if spec.vote and (last_vote is None or ts >= last_vote[0]):
            last_vote = (ts, spec.direction(value, payload))
        if spec.correction and isinstance(payload.get("text"), str) and (last_edit is None or ts >= last_edit[0]):
            last_edit = (ts, payload["text"])
    categories = {KINDS[k].category for k in kinds if k in KINDS}
    flags = {
        "with_signal": bool(kinds),
        "with_feedback": "explicit" in categories,
        "accepted": bool(kinds & {"accept", "copy"}),
        "edited": "edit" in kinds,
        "requeried": "requery" in kinds,
        "regenerated": "regenerate" in kinds,
        "abandoned": "abandon" in kinds,
        "with_outcome": outcome_row or "outcome" in kinds,
        "voted": last_vote is not None,
        "approved": last_vote is not None and last_vote[1] > 0,
        "labelled": verdict is not None,
    }
    for name, on in flags.items():
        if on:
            c[name] += 1
    if verdict is not None:
        c[f"verdict.{verdict}"] += 1
    if last_edit is not None:
        c["edits_measured"] += 1
        c["edit_distance"] += measure(output, last_edit[1]).char_distance
