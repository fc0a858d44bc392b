"""Workloads: the AI call sites of an app, each with a type that decides its metrics and loops.

A workload is ``generation`` (free text or chat output) or ``choice`` (the output is one of a
declared label set: routing, triage, tagging, tool selection). Logging to a name never declared
works as it always did: the workload exists, implicitly, as a generation workload. Declaring it
says more, and capture holds choice workloads to it: an output outside the label set is stored
(nothing acknowledged is dropped), flagged ``outside_label_set`` on its row, and counted by
:func:`workload_stats`.

Capture checks every interaction of a batch against the declarations, so they are read through a
small per-process cache (:data:`CACHE_TTL_S`): a declaration made in this process takes effect at
once; one made by another process within that many seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.events import IngestBatch
from flyloop.store import Store, schema

WorkloadType = Literal["generation", "choice"]
WORKLOAD_TYPES: tuple[str, ...] = ("generation", "choice")
OUTSIDE_LABEL_SET = "outside_label_set"
CACHE_TTL_S = 5.0
MAX_LABELS = 1000
MAX_NAME = 200


class Workload(BaseModel):
    """One workload as declared (or implied by the interactions logged to it)."""

    model_config = ConfigDict(frozen=True)

    name: str
    type: WorkloadType = "generation"
    labels: list[str] | None = None
    description: str = ""
    declared: bool = True
    created_at: float
    updated_at: float | None = None


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise errors.ValidationError("a workload's name is a non-empty string", field="workload")
    if len(name) > MAX_NAME or "/" in name or any(ord(c) < 32 for c in name):
        raise errors.ValidationError(
            f"a workload's name has at most {MAX_NAME} characters, no '/' and no control characters", field="workload"
        )
    return name


def _check_labels(type_: str, labels: Sequence[str] | None) -> list[str] | None:
    if type_ not in WORKLOAD_TYPES:
        raise errors.ValidationError(f"type must be one of {', '.join(WORKLOAD_TYPES)}, not {type_!r}", field="type")
    if type_ == "generation":
        if labels:
            raise errors.ValidationError("labels belong to choice workloads only", field="labels")
        return None
    if isinstance(labels, str) or labels is None:
        raise errors.ValidationError("a choice workload declares its label set: a list of strings", field="labels")
    out: list[str] = []
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_NAME:
            raise errors.ValidationError(
                f"a label is a non-empty string of at most {MAX_NAME} characters", field=f"labels[{i}]"
            )
        if label in out:
            raise errors.ValidationError(f"label {label!r} is declared twice", field=f"labels[{i}]")
        out.append(label)
    if len(out) < 2 or len(out) > MAX_LABELS:
        raise errors.ValidationError(f"a choice workload has 2 to {MAX_LABELS} labels, not {len(out)}", field="labels")
    return out


def _row(row: Any) -> Workload:
    m = row._mapping
    return Workload(
        name=m["name"],
        type=m["type"],
        labels=m["labels"],
        description=m["description"],
        declared=m["updated_at"] is not None,
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def declare_workload(
    store: Store,
    project_id: str,
    name: str,
    *,
    type: str = "generation",
    labels: Sequence[str] | None = None,
    description: str = "",
) -> Workload:
    """Declare (or re-declare) a workload's type, label set and description. Re-declaring replaces
    them; interactions already stored keep the flag they were stored with."""
    name = _check_name(name)
    checked = _check_labels(type, labels)
    if not isinstance(description, str) or len(description) > 10_000:
        raise errors.ValidationError("description is a string of at most 10,000 characters", field="description")
    now = time.time()
    values = {"type": type, "labels": checked, "description": description, "updated_at": now}
    with store.write() as conn:
        conn.execute(
            store.insert_or_update(
                schema.workloads, ("project_id", "name"), lambda excluded: {k: excluded[k] for k in values}
            ),
            [{"project_id": project_id, "name": name, "created_at": now, **values}],
        )
    _forget(store, project_id)
    return get_workload(store, project_id, name)


def get_workload(store: Store, project_id: str, name: str) -> Workload:
    """A workload by name: declared, or implied by interactions logged to it (then a generation
    workload, ``declared=False``). Neither: :class:`~flyloop.errors.NotFound`."""
    name = _check_name(name)
    t = schema.workloads
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.name == name)).first()
    if row is None:
        raise errors.NotFound(f"no workload named {name!r} in this project", field="workload", workload=name)
    return _row(row)


def list_workloads(store: Store, project_id: str) -> list[Workload]:
    """Every workload of the project, declared or implied, by name."""
    t = schema.workloads
    with store.read() as conn:
        rows = conn.execute(sa.select(t).where(t.c.project_id == project_id).order_by(t.c.name)).all()
    return [_row(r) for r in rows]


def workload_stats(store: Store, project_id: str, name: str) -> dict[str, Any]:
    """How many interactions the workload has, and how many of them were flagged by rule."""
    workload = get_workload(store, project_id, name)
    t = schema.interactions
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t.c.flag, sa.func.count())
            .where(t.c.project_id == project_id, t.c.workload == workload.name)
            .group_by(t.c.flag)
        ).all()
    counts = {flag: n for flag, n in rows}
    return {
        "workload": workload.name,
        "type": workload.type,
        "interactions": sum(counts.values()),
        OUTSIDE_LABEL_SET: counts.get(OUTSIDE_LABEL_SET, 0),
    }


# --- what capture asks on every batch -------------------------------------------------------------

_cache: dict[tuple[int, str], tuple[float, dict[str, frozenset[str]]]] = {}
_cache_lock = threading.Lock()


def _forget(store: Store, project_id: str) -> None:
    with _cache_lock:
        _cache.pop((id(store), project_id), None)


def label_sets(store: Store, project_id: str) -> Mapping[str, frozenset[str]]:
    """The label set of each declared choice workload of the project (cached briefly)."""
    key = (id(store), project_id)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    t = schema.workloads
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t.c.name, t.c.labels).where(t.c.project_id == project_id, t.c.type == "choice")
        ).all()
    sets = {name: frozenset(labels or ()) for name, labels in rows}
    with _cache_lock:
        _cache[key] = (now + CACHE_TTL_S, sets)
    return sets


def flags_for(store: Store, project_id: str, batch: IngestBatch) -> dict[str, str]:
    """Interaction id to the rule its output breaks, for the interactions of ``batch``: a choice
    workload's output that is none of its labels. An interaction without output is not flagged."""
    if not batch.interactions:
        return {}
    sets = label_sets(store, project_id)
    if not sets:
        return {}
    flags = {}
    for it in batch.interactions:
        allowed = sets.get(it.workload)
        if allowed is not None and it.output is not None and it.output not in allowed:
            flags[it.id] = OUTSIDE_LABEL_SET
    return flags
