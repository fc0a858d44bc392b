"""Stored evaluations and the project's gate: what :func:`flyloop.evaluate.run_evaluation` wrote,
read back, listed over time and shown as a table; the gate configuration each project keeps
(``rollout_config.gate``), which an evaluation uses unless it is given one.

An evaluation's row is written when it starts (``running``, so a caller following it from a
server sees it) and once more when it ends, in one statement: ``succeeded`` with every figure,
or ``failed`` with the error naming its field and no figures, never a half-written result.
"""

from __future__ import annotations

import secrets
import time
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.evaluate.gates import GateConfig, show
from flyloop.registry import require_known
from flyloop.store import Store, schema

Status = Literal["running", "succeeded", "failed"]
STATUSES = ("running", "succeeded", "failed")
EVAL_SPLIT = "eval split"
GOLDEN_PREFIX = "golden:"
MAX_LIST = 1000
# rollout_config.automation is NOT NULL and belongs to the rollout stage; a project whose row the
# gate creates first starts at the most conservative level, which that stage's own writes change.
DEFAULT_AUTOMATION = "manual"


COLUMNS = ("segment", "metric", "baseline", "candidate", "difference", "95% interval", "cases")


class Evaluation(BaseModel):
    """One evaluation of ``candidate`` against ``baseline`` on the same cases (the held-out eval
    split of ``dataset_version``, or a golden set: ``source``). ``metrics`` holds each version's
    value per metric, ``comparison`` the paired differences with their intervals (overall and per
    segment), ``gate`` the verdict in words and numbers (:attr:`summary`)."""

    model_config = ConfigDict(frozen=True)

    id: str
    workload: str
    candidate: str
    baseline: str | None
    source: str
    dataset_version: str | None
    cases: int
    status: Status
    metrics: dict[str, dict[str, float | None]]
    comparison: dict[str, Any]
    gate: dict[str, Any] | None
    passed: bool | None
    config: dict[str, Any]
    error: str | None
    run_id: str | None
    created_by: str
    created_at: float
    finished_at: float | None

    @property
    def summary(self) -> str:
        """The gate's verdict in words and numbers, the error of a failed run, or the status."""
        if self.gate is not None:
            return str(self.gate.get("summary", ""))
        return f"failed: {self.error}" if self.status == "failed" else self.status

    def rows(self) -> list[dict[str, Any]]:
        """The comparison as rows: one per metric and segment (segment None: every case)."""
        return list(self.comparison.get("rows", []))

    def cells(self) -> list[list[str]]:
        """The comparison's rows as a table shows them (:data:`COLUMNS`): values in their units,
        the difference signed, its interval, the cases."""
        out = []
        for row in self.rows():
            unit = row["unit"]
            low, high = row["low"], row["high"]
            out.append(
                [
                    row["segment"] or "all",
                    row["metric"],
                    _value(row["production"], unit),
                    _value(row["candidate"], unit),
                    "" if row["difference"] is None else show(row["difference"], unit, signed=True),
                    "" if low is None or high is None else interval_text(low, high, unit),
                    str(row["n_cases"]),
                ]
            )
        return out

    def table(self) -> str:
        """The comparison as a plain-text table: each metric (and segment) with the baseline's
        value, the candidate's, the difference and its confidence interval, and the cases."""
        head = f"evaluation {self.id}: {self.candidate} vs {self.baseline or '(no baseline)'} on {self.source}"
        head += f" ({self.cases} cases, {self.status})"
        if not self.rows():
            return head + ("" if self.error is None else f"\nerror: {self.error}")
        header = list(COLUMNS)
        body = [header, *self.cells()]
        widths = [max(len(r[i]) for r in body) for i in range(len(header))]
        lines = [head, ""]
        for n, r in enumerate(body):
            lines.append(
                "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
            )
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        if self.gate is not None:
            lines += ["", ("PASS: " if self.passed else "FAIL: ") + self.summary]
        return "\n".join(lines)


def _value(value: float | None, unit: str) -> str:
    return "" if value is None else show(value, unit)


def interval_text(low: float, high: float, unit: str) -> str:
    """An interval as the tables show it: points to one decimal, other units to 3 figures."""
    return f"[{100 * low:+.1f}, {100 * high:+.1f}]" if unit == "points" else f"[{low:+.3g}, {high:+.3g}]"


def new_evaluation_id() -> str:
    """A fresh evaluation id: ``ev_`` and 16 hex digits."""
    return "ev_" + secrets.token_hex(8)


def _evaluation(row: Any) -> Evaluation:
    m = row._mapping
    return Evaluation(**{c: m[c] for c in Evaluation.model_fields if c not in ("project_id",)})


def start_record(store: Store, project_id: str, evaluation: Evaluation) -> None:
    """Write a running evaluation's row (its id, what it compares, on what)."""
    with store.write() as conn:
        conn.execute(sa.insert(schema.evaluations).values(project_id=project_id, **evaluation.model_dump()))


def finish_record(store: Store, project_id: str, evaluation: Evaluation) -> None:
    """Replace a running evaluation's row by its final state, in one statement."""
    t = schema.evaluations
    values = evaluation.model_dump(exclude={"id"})
    with store.write() as conn:
        conn.execute(sa.update(t).where(t.c.project_id == project_id, t.c.id == evaluation.id).values(**values))


def check_id(evaluation_id: Any) -> str:
    if not isinstance(evaluation_id, str) or not evaluation_id or len(evaluation_id) > 64:
        raise errors.ValidationError("an evaluation id is a string such as ev_0123456789abcdef", field="evaluation")
    return evaluation_id


def get_evaluation(store: Store, project_id: str, evaluation_id: str) -> Evaluation:
    """One evaluation by id (:class:`~flyloop.errors.NotFound` naming ``evaluation`` otherwise)."""
    t = schema.evaluations
    check_id(evaluation_id)
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.id == evaluation_id)).first()
    if row is None:
        raise errors.NotFound(f"no evaluation {evaluation_id!r} in project {project_id!r}", field="evaluation")
    return _evaluation(row)


def list_evaluations(
    store: Store,
    project_id: str,
    workload: str | None = None,
    candidate: str | None = None,
    limit: int = 50,
    *,
    status: str | None = None,
) -> list[Evaluation]:
    """The project's evaluations, newest first (of one workload, one candidate, one status).
    NotFound naming ``workload`` or ``candidate`` when the filter names none of this project's."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIST:
        raise errors.ValidationError(f"limit must be between 1 and {MAX_LIST}, got {limit!r}", field="limit")
    if status is not None and status not in STATUSES:
        raise errors.ValidationError(f"status must be one of {', '.join(STATUSES)}", field="status")
    require_known(store, project_id, workload=workload, version=candidate, version_field="candidate")
    t = schema.evaluations
    query = sa.select(t).where(t.c.project_id == project_id)
    if workload is not None:
        query = query.where(t.c.workload == workload)
    if candidate is not None:
        query = query.where(t.c.candidate == candidate)
    if status is not None:
        query = query.where(t.c.status == status)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit)).all()
    return [_evaluation(r) for r in rows]


_UNSET: Any = object()


def latest_evaluation(
    store: Store, project_id: str, candidate: str, baseline: str | None = _UNSET
) -> Evaluation | None:
    """The newest succeeded evaluation of ``candidate`` (against ``baseline`` when given: None
    means an evaluation run with no production version), or None."""
    t = schema.evaluations
    query = sa.select(t).where(t.c.project_id == project_id, t.c.candidate == candidate, t.c.status == "succeeded")
    if baseline is not _UNSET:
        query = query.where(t.c.baseline.is_(None) if baseline is None else t.c.baseline == baseline)
    with store.read() as conn:
        row = conn.execute(query.order_by(t.c.created_at.desc(), t.c.id.desc()).limit(1)).first()
    return None if row is None else _evaluation(row)


# --- the project's gate ----------------------------------------------------------------------------


def gate_config(store: Store, project_id: str, workload_type: str = "choice") -> GateConfig:
    """The gate the project's evaluations are judged by: the one set with :func:`set_gate_config`,
    else the default of ``workload_type`` (:meth:`GateConfig.default`)."""
    stored = stored_gate(store, project_id)
    return GateConfig.from_dict(stored) if stored else GateConfig.default(workload_type)


def stored_gate(store: Store, project_id: str) -> dict[str, Any] | None:
    """The gate configuration stored for the project, as set (None: none set, the defaults apply)."""
    t = schema.rollout_config
    with store.read() as conn:
        value = conn.execute(sa.select(t.c.gate).where(t.c.project_id == project_id)).scalar()
    return dict(value) if value else None


def parse_gate(config: GateConfig | dict[str, Any]) -> GateConfig:
    """A gate configuration from a GateConfig or its dict (``to_dict``'s shape)."""
    if isinstance(config, GateConfig):
        return config
    if not isinstance(config, dict):
        raise errors.ValidationError("a gate configuration is an object such as {'primary': 'accuracy'}", field="gate")
    if "primary" not in config:
        raise errors.ValidationError("a gate configuration names its primary metric", field="primary")
    guardrails = config.get("guardrails", ())
    if not isinstance(guardrails, list | tuple) or not all(isinstance(g, dict) for g in guardrails):
        raise errors.ValidationError("guardrails is a list of objects {metric, bound, low?, high?}", field="guardrails")
    return GateConfig.from_dict(config)


def set_gate_config(
    store: Store, project_id: str, config: GateConfig | dict[str, Any] | None, by: str
) -> GateConfig | None:
    """Store the project's gate (None: back to the workload types' defaults); returns it."""
    if not isinstance(by, str) or not by:
        raise errors.ValidationError("say who sets the gate", field="by")
    parsed = None if config is None else parse_gate(config)
    value = {} if parsed is None else parsed.to_dict()
    now = time.time()
    t = schema.rollout_config
    statement = store.insert_or_update(
        t, ["project_id"], lambda excluded: {"gate": excluded.gate, "updated_at": now, "updated_by": by}
    ).values(project_id=project_id, automation=DEFAULT_AUTOMATION, gate=value, updated_at=now, updated_by=by)
    with store.write() as conn:
        conn.execute(statement)
    return parsed
