"""Golden sets: cases a person curates (an input and, optionally, the expected answer or label),
named per project, that a candidate is evaluated on beside the held-out production cases.

A case is ``{"input", "expected"?, "id"?, "user_id"?, "metadata"?}`` (``user_id`` stored as its
pseudonym, :func:`flyloop.privacy.pseudonym`, as capture stores one); its id defaults to a hash
of its input, so adding the same file twice changes nothing, and a case given again by id
replaces the stored one (an upsert). A golden set belongs to one workload.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
import sqlalchemy as sa

from flyloop import errors
from flyloop.capture import get_workload
from flyloop.improve import check_input
from flyloop.privacy import PSEUDONYM, pseudonym
from flyloop.registry import require_known
from flyloop.store import Store, schema

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,199}")
CASE_FIELDS = ("id", "input", "expected", "user_id", "metadata")
MAX_CASES = 100_000
_CHUNK = 500


def check_name(name: Any) -> str:
    """A golden set's name: letters, digits, ``_``, ``.``, ``-``, 1 to 200 characters."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise errors.ValidationError(
            "a golden set's name is 1 to 200 letters, digits, '_', '.' or '-' (starting with a letter or digit)",
            field="name",
        )
    return name


def _case(i: int, case: Any, labels: list[str] | None) -> dict[str, Any]:
    where = f"cases[{i}]"
    if not isinstance(case, Mapping):
        raise errors.ValidationError("each case is an object with an input", field=where)
    unknown = sorted(set(case) - set(CASE_FIELDS))
    if unknown:
        raise errors.ValidationError(
            f"unknown field {unknown[0]!r}; a case has {', '.join(CASE_FIELDS)}", field=f"{where}.{unknown[0]}"
        )
    if "input" not in case:
        raise errors.ValidationError("each case has an input", field=f"{where}.input")
    try:
        input = check_input(case["input"])
    except errors.ValidationError as exc:
        raise errors.ValidationError(exc.message, field=f"{where}.input") from None
    expected = case.get("expected")
    if expected is not None and not isinstance(expected, str):
        raise errors.ValidationError("expected is a string (the answer or the label)", field=f"{where}.expected")
    if labels is not None and expected is not None and expected not in labels:
        raise errors.ValidationError(
            f"expected {expected!r} is not a label of the workload ({', '.join(labels)})", field=f"{where}.expected"
        )
    for name in ("id", "user_id"):
        value = case.get(name)
        if value is not None and (not isinstance(value, str) or not value or len(value) > 200):
            raise errors.ValidationError(f"{name} is a string of 1 to 200 characters", field=f"{where}.{name}")
    metadata = case.get("metadata")
    metadata = {} if metadata is None else metadata
    if not isinstance(metadata, Mapping):
        raise errors.ValidationError("metadata is an object", field=f"{where}.metadata")
    case_id = case.get("id") or "g_" + hashlib.sha256(orjson.dumps(input)).hexdigest()[:16]
    return {
        "id": case_id,
        "input": input,
        "expected": expected,
        "user_id": case.get("user_id"),
        "metadata": dict(metadata),
    }


def add_golden_cases(
    store: Store, project_id: str, name: str, workload: str, cases: Iterable[Mapping[str, Any]], by: str
) -> int:
    """Add ``cases`` to the golden set ``name`` of ``workload`` (created by its first case;
    upserted by id). Returns how many cases the set holds now. Every case is checked before any
    is written: a bad one is refused naming ``cases[i].<field>`` and nothing changes."""
    check_name(name)
    if not isinstance(by, str) or not by:
        raise errors.ValidationError("say who adds the cases", field="by")
    spec = get_workload(store, project_id, workload)
    labels = list(spec.labels or []) if spec.type == "choice" else None
    if isinstance(cases, str | bytes | Mapping):
        raise errors.ValidationError("cases is a list of objects", field="cases")
    checked = [_case(i, c, labels) for i, c in enumerate(cases)]
    if not checked:
        raise errors.ValidationError("there are no cases to add", field="cases")
    seen: dict[str, int] = {}
    for i, c in enumerate(checked):
        if c["id"] in seen:
            raise errors.ValidationError(
                f"case {c['id']!r} appears twice (cases {seen[c['id']]} and {i})", field=f"cases[{i}].id"
            )
        seen[c["id"]] = i
    # The store never holds a raw user id: a case's user is kept as capture keeps one (its
    # pseudonym), so erasure by raw id finds it, rotation re-keys it, and the bootstrap still
    # groups a user's cases together. One already a pseudonym (copied from stored traffic) stays.
    raw = {c["user_id"] for c in checked if c["user_id"] and not PSEUDONYM.match(c["user_id"])}
    stored_of = {user: pseudonym(store, project_id, user) for user in raw}
    for c in checked:
        c["user_id"] = stored_of.get(c["user_id"], c["user_id"])
    existing = _workload_of(store, project_id, name)
    if existing is not None and existing != workload:
        raise errors.Conflict(
            f"golden set {name!r} belongs to workload {existing!r}, not {workload!r}", field="workload"
        )
    now = time.time()
    t = schema.golden_cases
    statement = store.insert_or_update(
        t,
        ["project_id", "golden_set", "id"],
        lambda x: {"input": x.input, "expected": x.expected, "user_id": x.user_id, "metadata": x.metadata,
                   "created_at": x.created_at, "created_by": x.created_by},
    )  # fmt: skip
    rows = [
        {"project_id": project_id, "golden_set": name, "workload": workload, "created_at": now, "created_by": by} | c
        for c in checked
    ]
    if len(rows) > MAX_CASES:
        raise errors.ValidationError(f"at most {MAX_CASES:,} cases at a time, not {len(rows):,}", field="cases")
    with store.write() as conn:
        for start in range(0, len(rows), _CHUNK):
            conn.execute(statement, rows[start : start + _CHUNK])
        return int(
            conn.execute(
                sa.select(sa.func.count()).where(t.c.project_id == project_id, t.c.golden_set == name)
            ).scalar_one()
        )


def _workload_of(store: Store, project_id: str, name: str) -> str | None:
    t = schema.golden_cases
    with store.read() as conn:
        return conn.execute(
            sa.select(t.c.workload).where(t.c.project_id == project_id, t.c.golden_set == name).limit(1)
        ).scalar()


def golden_cases(store: Store, project_id: str, name: str) -> list[dict[str, Any]]:
    """The cases of golden set ``name``, by id (NotFound naming ``golden`` when there is none)."""
    check_name(name)
    t = schema.golden_cases
    columns = [t.c.id, t.c.workload, t.c.input, t.c.expected, t.c.user_id, t.c.metadata, t.c.created_at, t.c.created_by]
    with store.read() as conn:
        rows = conn.execute(
            sa.select(*columns).where(t.c.project_id == project_id, t.c.golden_set == name).order_by(t.c.id)
        ).all()
    if not rows:
        raise errors.NotFound(f"no golden set {name!r} in project {project_id!r}", field="golden")
    # Plain str keys: SQLAlchemy's are quoted_name, a str subclass orjson refuses (golden show --json).
    return [{str(k): v for k, v in r._mapping.items()} for r in rows]


def list_golden_sets(store: Store, project_id: str, workload: str | None = None) -> list[dict[str, Any]]:
    """Each golden set: ``name``, ``workload``, ``cases``, ``labelled`` (cases with an expected
    answer) and ``updated_at``, by name. NotFound naming ``workload`` when it names none of this
    project's."""
    require_known(store, project_id, workload=workload)
    t = schema.golden_cases
    query = sa.select(
        t.c.golden_set,
        t.c.workload,
        sa.func.count().label("cases"),
        sa.func.count(t.c.expected).label("labelled"),
        sa.func.max(t.c.created_at).label("updated_at"),
    ).where(t.c.project_id == project_id)
    if workload is not None:
        query = query.where(t.c.workload == workload)
    with store.read() as conn:
        rows = conn.execute(query.group_by(t.c.golden_set, t.c.workload).order_by(t.c.golden_set)).all()
    return [
        {
            "name": r.golden_set,
            "workload": r.workload,
            "cases": r.cases,
            "labelled": r.labelled,
            "updated_at": r.updated_at,
        }
        for r in rows
    ]


def delete_golden_set(store: Store, project_id: str, name: str) -> int:
    """Delete golden set ``name``; returns how many cases went (NotFound when there is none)."""
    check_name(name)
    t = schema.golden_cases
    with store.write() as conn:
        gone = conn.execute(sa.delete(t).where(t.c.project_id == project_id, t.c.golden_set == name)).rowcount
    if not gone:
        raise errors.NotFound(f"no golden set {name!r} in project {project_id!r}", field="golden")
    return int(gone)
