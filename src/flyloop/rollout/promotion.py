"""Promotion and rollback: how a version becomes what a workload's users are served, under the gate.

:func:`promote` moves a version to production only when the newest evaluation of it against the
current production version passed its gate (:mod:`flyloop.evaluate`); a person may go past a
failed or missing gate with ``force`` and a reason, both recorded in the move. It refuses a
version trained on erased data, a version whose model cannot load, a version of another workload,
and a workload whose experiment is deciding between other versions. The move itself is a
compare-and-set on the production holder the gate was checked against
(:func:`flyloop.registry.set_stage` with ``expected``): two promotions at once, one wins and the
other gets :class:`~flyloop.errors.Conflict`, with nothing changed.

:func:`rollback` gives production back to the version that held it before the current one. The
history is read as a stack: a move to the version just below the top pops (a rollback, or a
person reverting by hand), any other move pushes, so rolling back twice from A, B, C reaches A.

:func:`diff_versions` says what differs between two versions' specs (the prompt as a unified diff).
"""

from __future__ import annotations

import difflib
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.capture import get_workload
from flyloop.evaluate import Evaluation, latest_evaluation
from flyloop.improve import check_loadable
from flyloop.registry import (
    PRODUCTION,
    PolicyVersion,
    StageMove,
    get_version,
    production,
    set_stage,
    stage_history,
    version_taint,
)
from flyloop.settings import Settings
from flyloop.store import Store, schema

# The spec fields shown as a unified diff rather than as two values.
PROMPT_FIELDS = ("system_prompt", "template")
DIFF_FIELDS = ("backend", "model", "variables", "bank", "k", "selector", "token_budget", "adapter", "reranker")


def _check_author(by: Any, reason: Any) -> None:
    if not isinstance(by, str) or not by or len(by) > 200:
        raise errors.ValidationError("by is a non-empty string of at most 200 characters", field="by")
    if not isinstance(reason, str) or len(reason) > 10_000:
        raise errors.ValidationError("reason is a string of at most 10,000 characters", field="reason")


def require_gate(
    store: Store, project_id: str, version_id: str, *, force: bool = False, reason: str = ""
) -> Evaluation | None:
    """The evaluation that lets ``version_id`` take production (or an experiment): the newest
    succeeded one against the workload's current production version, which must have passed its
    gate. Refused with :class:`~flyloop.errors.Conflict` naming ``gate`` when there is none, or it
    failed, unless ``force`` with a non-empty ``reason`` (then that evaluation, or None, is
    returned for the caller to record). A workload with no production version has nothing to beat:
    the newest evaluation of the version, if any, is returned and nothing is refused."""
    if not isinstance(force, bool):
        raise errors.ValidationError("force is true or false", field="force")
    _check_author("-", reason)
    if force and not reason.strip():
        raise errors.ValidationError("going past the gate needs a reason, which is recorded", field="reason")
    version = get_version(store, project_id, version_id)
    current = production(store, project_id, version.workload)
    if current is None or current.id == version_id:
        return latest_evaluation(store, project_id, version_id)
    found = latest_evaluation(store, project_id, version_id, baseline=current.id)
    if found is None:
        if force:
            return None
        raise errors.Conflict(
            f"no evaluation of {version_id} against production {current.id}: run flyloop eval run "
            f"{version.workload} {version_id}, or force with a reason",
            field="gate",
            production=current.id,
        )
    if found.passed is not True and not force:
        raise errors.Conflict(
            f"{version_id} failed its gate against production {current.id} (evaluation {found.id}): "
            f"{found.summary}; force with a reason to promote it anyway",
            field="gate",
            evaluation=found.id,
            production=current.id,
        )
    return found


def _loadable(version: PolicyVersion, settings: Settings | None) -> None:
    """A version whose model (or adapter) is not there would fail every request it is served."""
    try:
        check_loadable(version.spec(), settings)
    except errors.BackendError as exc:
        field = "adapter" if "adapter" in exc.details else "model"
        raise errors.Conflict(f"{version.id} cannot load: {exc.message}", field=field, **exc.details) from None


def _untainted(store: Store, project_id: str, version_id: str) -> None:
    taint = version_taint(store, project_id, version_id)
    if taint:
        raise errors.Conflict(f"{version_id} is tainted ({taint}): it serves no one", field="version", taint=taint)


def _running_experiment(store: Store, project_id: str, workload: str) -> tuple[str, str] | None:
    """The experiment deciding the workload now, as (id, candidate), if any."""
    t = schema.experiments
    with store.read() as conn:
        row = conn.execute(
            sa.select(t.c.id, t.c.treatment).where(t.c.project_id == project_id, t.c.active_workload == workload)
        ).first()
    return None if row is None else (row.id, row.treatment)


def _version_of(store: Store, project_id: str, workload: str, version_id: str) -> PolicyVersion:
    version = get_version(store, project_id, version_id)
    if version.workload != workload:
        raise errors.ValidationError(
            f"version {version_id} belongs to workload {version.workload!r}, not {workload!r}", field="version"
        )
    return version


def promote(
    store: Store,
    project_id: str,
    workload: str,
    version_id: str,
    *,
    by: str,
    reason: str = "",
    force: bool = False,
    gate: dict[str, Any] | None = None,
    evaluation_id: str | None = None,
    experiment_id: str | None = None,
    settings: Settings | None = None,
) -> StageMove:
    """Make ``version_id`` the production version of ``workload`` under the gate (see the
    module's docstring), archiving the version it replaces. The move records ``by``, ``reason``,
    the gate's verdict (``gate``, given by an experiment, else the evaluation's; marked
    ``forced`` when forced) and the evaluation and experiment it rested on. Every refusal names
    its field and changes nothing."""
    _check_author(by, reason)
    if gate is not None and not isinstance(gate, dict):
        raise errors.ValidationError("gate is a mapping (the verdict's words and numbers)", field="gate")
    version = _version_of(store, project_id, workload, version_id)
    current = production(store, project_id, workload)
    if current is not None and current.id == version_id:
        raise errors.Conflict(f"{version_id} is the production version of {workload!r} already", field="version")
    running = _running_experiment(store, project_id, workload)
    if running is not None and running[0] != experiment_id:
        raise errors.Conflict(
            f"workload {workload!r} runs experiment {running[0]} (candidate {running[1]}): let it decide, or stop "
            "it first",
            field="workload",
            experiment=running[0],
        )
    _untainted(store, project_id, version_id)
    _loadable(version, settings)
    evaluation = require_gate(store, project_id, version_id, force=force, reason=reason)
    verdict = dict(gate) if gate is not None else (dict(evaluation.gate) if evaluation and evaluation.gate else None)
    if force and current is not None and (evaluation is None or evaluation.passed is not True):
        summary = evaluation.summary if evaluation is not None else f"no evaluation against {current.id}"
        verdict = {**(verdict or {"passed": None, "summary": summary}), "forced": True, "reason": reason}
    return set_stage(
        store,
        project_id,
        workload,
        PRODUCTION,
        version_id,
        by=by,
        reason=reason,
        gate=verdict,
        evaluation_id=evaluation_id or (evaluation.id if evaluation is not None else None),
        experiment_id=experiment_id,
        expected=None if current is None else current.id,
    )


def production_stack(store: Store, project_id: str, workload: str) -> list[str]:
    """The production holders a rollback walks back through, oldest first; the last is the
    holder now (see the module's docstring)."""
    stack: list[str] = []
    for move in stage_history(store, project_id, workload, stage=PRODUCTION):
        if len(stack) >= 2 and stack[-2] == move.version_id:
            stack.pop()
        elif not stack or stack[-1] != move.version_id:
            stack.append(move.version_id)
    return stack


def rollback(
    store: Store,
    project_id: str,
    workload: str,
    *,
    by: str,
    reason: str = "",
    experiment_id: str | None = None,
    settings: Settings | None = None,
) -> StageMove:
    """Give production of ``workload`` back to the version that held it before the current one,
    with no gate (it was production already), archiving the current one. Refused, nothing
    changed: no production version (NotFound, ``workload``), no earlier one (Conflict,
    ``workload``), an earlier one now tainted or unable to load (Conflict naming it), or another
    rollback or promotion moving production meanwhile (Conflict, ``version``)."""
    _check_author(by, reason)
    get_workload(store, project_id, workload)  # an unknown workload is NotFound by that name first
    current = production(store, project_id, workload)
    if current is None:
        raise errors.NotFound(f"workload {workload!r} has no production version to roll back", field="workload")
    stack = production_stack(store, project_id, workload)
    if len(stack) < 2 or stack[-1] != current.id:
        raise errors.Conflict(
            f"no earlier production version of {workload!r} to roll back to (production is {current.id})",
            field="workload",
        )
    target = get_version(store, project_id, stack[-2])
    _untainted(store, project_id, target.id)
    _loadable(target, settings)
    return set_stage(
        store,
        project_id,
        workload,
        PRODUCTION,
        target.id,
        by=by,
        reason=f"rollback from {current.id}" + (f": {reason}" if reason else ""),
        experiment_id=experiment_id,
        expected=current.id,
    )


def _unified(a: str, b: str, name: str, a_id: str, b_id: str) -> str:
    lines = difflib.unified_diff(
        a.splitlines(keepends=True), b.splitlines(keepends=True), f"{a_id}/{name}", f"{b_id}/{name}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def diff_versions(a: PolicyVersion, b: PolicyVersion) -> dict[str, Any]:
    """What differs from version ``a`` to ``b``: ``prompt`` (system prompt and template, each as a
    unified diff), ``fields`` (backend, model, bank, k, adapter, ...: ``{"a", "b"}``), ``params``
    (each generation parameter that differs), and ``changed``, the names of every field that
    differs, in the spec's order."""
    prompt = {
        name: _unified(getattr(a, name), getattr(b, name), name, a.id, b.id)
        for name in PROMPT_FIELDS
        if getattr(a, name) != getattr(b, name)
    }
    fields = {
        name: {"a": getattr(a, name), "b": getattr(b, name)}
        for name in DIFF_FIELDS
        if getattr(a, name) != getattr(b, name)
    }
    params = {
        key: {"a": a.params.get(key), "b": b.params.get(key)}
        for key in sorted(set(a.params) | set(b.params))
        if a.params.get(key) != b.params.get(key)
    }
    order = (*PROMPT_FIELDS, *DIFF_FIELDS, "params")
    changed = [name for name in order if name in prompt or name in fields or (name == "params" and params)]
    if a.workload != b.workload:
        changed.insert(0, "workload")
    return {
        "a": a.id,
        "b": b.id,
        "workloads": [a.workload, b.workload],
        "changed": changed,
        "prompt": prompt,
        "fields": fields,
        "params": params,
    }
