"""What one interaction adds to the rollups: counts in its own hour, for its workload, policy
version and segment, read off the interaction with its signals, label and outcomes; and the
experiment arm it was served under, if any (:func:`arms_of`).

Metrics are counts (or sums), never rates: a rate is the ratio of two of them, read off later
(:mod:`flyloop.monitor.series`), so hours add up into days, weeks and any group. A signal that
another overrides is left out, as the label leaves it out.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa

from flyloop.events import KINDS, measure
from flyloop.rollout import Experiment, experiments_in
from flyloop.store import fetch_by_ids, json_reader
from flyloop.store import schema as t

from .windows import bucket_start

NO_SEGMENT = "(none)"
# Input length in characters, as the bin of its base-2 logarithm: the feature summary the drift
# check compares between windows (bin 0: empty; bin 15: 16k characters and more).
INPUT_BINS = 16

Key = tuple[str, str, str]  # workload, version, segment


class Contribution(NamedTuple):
    """One interaction's part of the rollups: its group, its hour, its counts, and its experiment
    arm as ``<experiment id>:<control|candidate>`` ('' when it was served outside any)."""

    key: Key
    hour: float
    counts: dict[str, float]
    arm: str = ""


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


def arms_of(conn: sa.Connection, project_id: str, rows: Sequence[Any]) -> dict[str, str]:
    """The experiment arm each interaction was served under, by the experiment's own rule
    (:meth:`flyloop.rollout.Experiment.arm_served`, which its live metrics use too). ``rows``:
    (id, workload, policy_version, user_id, ts)."""
    by_workload: dict[str, list[Experiment]] = defaultdict(list)
    for experiment in experiments_in(conn, project_id):
        by_workload[experiment.workload].append(experiment)
    if not by_workload:
        return {}
    inside: dict[str, tuple[Experiment, tuple[Any, ...]]] = {}  # interaction: experiment, its row
    for row in rows:
        iid, workload, version, user_id, ts = row
        for experiment in by_workload.get(workload, ()):
            if experiment.arm_named(workload, version, user_id, float(ts)) is not None:
                inside[iid] = (experiment, (workload, version, user_id, float(ts)))
                break
    if not inside:
        return {}
    a = t.assignments
    users: dict[str, set[str]] = defaultdict(set)
    for experiment, (_, _, user, _) in inside.values():
        users[experiment.id].add(user)
    assigned: dict[tuple[str, str], str] = {}
    for eid, keys in users.items():  # by the primary key (project, experiment, user)
        ordered = sorted(keys)
        for k in range(0, len(ordered), 500):
            query = sa.select(a.c.user_key, a.c.arm).where(
                a.c.project_id == project_id, a.c.experiment_id == eid, a.c.user_key.in_(ordered[k : k + 500])
            )
            assigned.update(((eid, user), arm) for user, arm in conn.execute(query))
    found: dict[str, str] = {}
    for iid, (experiment, (workload, version, user, ts)) in inside.items():
        arm = experiment.arm_served(workload, version, user, ts, assigned.get((experiment.id, user)))
        if arm is not None:
            found[iid] = f"{experiment.id}:{arm}"
    return found


def contributions(
    conn: sa.Connection, project_id: str, ids: Sequence[str], segment_key: str | None
) -> dict[str, Contribution]:
    """What each of the interactions ``ids`` adds to the rollups now: its (workload, version,
    segment), its hour, its counts and its experiment arm. An id with no stored interaction (not
    arrived yet, or erased) is left out."""
    read = json_reader(conn)
    rows = fetch_by_ids(
        conn,
        t.interactions,
        ("id", "workload", "policy_version", "meta", "input", "output", "ts", "join_key", "user_id"),
        project_id,
        ids,
    )
    if not rows:
        return {}
    found = [r[0] for r in rows]
    signal_rows = fetch_by_ids(
        conn,
        t.signals,
        ("id", "interaction_id", "kind", "value", "payload", "ts", "overrides"),
        project_id,
        found,
        key="interaction_id",
    )
    overridden = {r[6] for r in signal_rows if r[6]}
    signals: dict[str, list[tuple[str, float | None, Any, float]]] = defaultdict(list)
    for sid, iid, kind, value, payload, ts, _ in signal_rows:
        if sid not in overridden:
            signals[iid].append((kind, value, payload, ts))
    verdicts: dict[str, str] = {
        r[0]: r[1]
        for r in fetch_by_ids(conn, t.labels, ("interaction_id", "verdict"), project_id, found, key="interaction_id")
    }
    with_outcome = {
        r[0] for r in fetch_by_ids(conn, t.outcomes, ("interaction_id",), project_id, found, key="interaction_id")
    }
    keys = sorted({r[7] for r in rows if r[7]})
    outcome_keys = {r[0] for r in fetch_by_ids(conn, t.outcomes, ("join_key",), project_id, keys, key="join_key")}
    arms = arms_of(conn, project_id, [(r[0], r[1], r[2], r[8], r[6]) for r in rows])
    out: dict[str, Contribution] = {}
    for iid, workload, version, meta, input_value, output, ts, join_key, _ in rows:
        c: dict[str, float] = defaultdict(float)
        outcome = iid in with_outcome or (join_key is not None and join_key in outcome_keys)
        _count_one(c, signals.get(iid, ()), verdicts.get(iid), outcome, output, read)
        c[f"input_chars.{input_bin(read(input_value))}"] += 1
        key = (workload, version or "", segment_of(read(meta), segment_key))
        out[iid] = Contribution(key, bucket_start(float(ts), "hour"), dict(c), arms.get(iid, ""))
    return out


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
