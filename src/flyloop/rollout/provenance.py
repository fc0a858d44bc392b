"""Lineage (provenance): where a policy version came from and what became of it, in one record.

From the signals a dataset version was built from, to that dataset version, to the loop run that
made the version (and the bank and artifacts it made on the way), to the version itself and its
parents, to the evaluations that judged it, the experiments that served it, the decisions taken
on it and every stage move it made: the chain the issue asks a registry to keep ("what data
trained each version"). Everything is read from the records each stage keeps; nothing is copied.
A link that is gone (a run or an artifact of another home) is left out rather than failing the
whole record.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from flyloop import datasets, errors
from flyloop.evaluate import list_evaluations
from flyloop.improve import get_artifact, get_bank, get_run, is_artifact_id
from flyloop.registry import PolicyVersion, get_version, stage_history, version_stage, version_taint
from flyloop.settings import Settings
from flyloop.store import Store, schema

SIGNAL_SAMPLE = 10  # signal ids shown per dataset version; the count is always whole
MAX_ANCESTORS = 100
LOOP_AUTHOR = "loop:"


def _ancestors(store: Store, project_id: str, version: PolicyVersion) -> list[str]:
    chain: list[str] = []
    parent = version.parent
    while parent is not None and parent not in chain and len(chain) < MAX_ANCESTORS:
        chain.append(parent)
        try:
            parent = get_version(store, project_id, parent).parent
        except errors.NotFound:
            break
    return chain


def _run(store: Store, project_id: str, version: PolicyVersion) -> dict[str, Any] | None:
    if not version.created_by.startswith(LOOP_AUTHOR):
        return None
    try:
        run = get_run(store, project_id, version.created_by.removeprefix(LOOP_AUTHOR))
    except errors.NotFound:
        return None
    return {
        "id": run.id,
        "loop": run.loop,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "inputs": run.inputs,
        "candidates": run.candidates,
    }


def _artifacts(
    store: Store, project_id: str, version: PolicyVersion, embedder: str | None, settings: Settings | None
) -> list[dict[str, Any]]:
    named = [("model", version.model), ("adapter", version.adapter), ("reranker", version.reranker)]
    named.append(("bank embedder", embedder))
    found = []
    for field, artifact_id in named:
        if not is_artifact_id(artifact_id):
            continue
        try:
            artifact = get_artifact(store, project_id, str(artifact_id), settings=settings)
        except errors.NotFound:
            continue
        found.append(
            {
                "field": field,
                "id": artifact.id,
                "kind": artifact.kind,
                "dataset_version": artifact.dataset_version,
                "run_id": artifact.run_id,
                "tainted": artifact.tainted,
                "taint_reason": artifact.taint_reason,
            }
        )
    return found


def _dataset(
    store: Store, project_id: str, dataset_id: str, used_by: list[str]
) -> tuple[dict[str, Any], list[str]] | None:
    """A dataset version's record, and the ids of the signals its examples came from."""
    try:
        version = datasets.get(store, project_id, dataset_id)
    except errors.NotFound:
        return None
    ids = datasets.lineage(store, project_id, version.id)
    return {
        "id": version.id,
        "name": version.name,
        "created_at": version.created_at,
        "used_by": used_by,
        "tainted": version.tainted,
        "taint_reason": version.taint_reason,
        "interactions": len(ids["interaction_ids"]),
        "signals": len(ids["signal_ids"]),
    }, ids["signal_ids"]


def _experiments(store: Store, project_id: str, version_id: str) -> list[dict[str, Any]]:
    t = schema.experiments
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t)
            .where(t.c.project_id == project_id, sa.or_(t.c.treatment == version_id, t.c.control == version_id))
            .order_by(t.c.started_at, t.c.id)
        ).all()
    return [
        {
            "id": row.id,
            "role": "candidate" if row.treatment == version_id else "control",
            "status": row.status,
            "control": row.control,
            "candidate": row.treatment,
            "evaluation_id": row.evaluation_id,
            "started_at": row.started_at,
            "ended_at": row.ended_at,
        }
        for row in rows
    ]


def _decisions(store: Store, project_id: str, version_id: str) -> list[dict[str, Any]]:
    t = schema.decisions
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t)
            .where(t.c.project_id == project_id, t.c.version_id == version_id)
            .order_by(t.c.created_at, t.c.id)
        ).all()
    return [
        {
            "id": row.id,
            "experiment_id": row.experiment_id,
            "action": row.action,
            "status": row.status,
            "reason": row.reason,
            "created_at": row.created_at,
            "decided_at": row.decided_at,
            "decided_by": row.decided_by,
        }
        for row in rows
    ]


def lineage(store: Store, project_id: str, version_id: str, *, settings: Settings | None = None) -> dict[str, Any]:
    """The version's whole chain (see the module's docstring): ``version`` (its spec and
    authorship), ``stage``, ``taint``, ``ancestors`` (parent first), ``signals`` (how many
    distinct signals its dataset versions' examples came from, and the first ids), ``datasets``,
    ``run``, ``bank``, ``artifacts``, ``evaluations`` (newest first, with the gate's words),
    ``experiments``, ``decisions`` and ``moves`` (its stage moves, oldest first). NotFound
    naming ``version`` for an unknown id."""
    version = get_version(store, project_id, version_id)
    bank = None
    embedder = None
    used: dict[str, list[str]] = {}
    if version.bank is not None:
        try:
            found = get_bank(store, project_id, version.bank)
        except errors.NotFound:
            found = None
        if found is not None:
            embedder = found.embedder
            bank = {
                "id": found.id,
                "dataset_version": found.dataset_version,
                "embedder": found.embedder,
                "size": found.size,
                "removed": found.removed,
            }
            used.setdefault(found.dataset_version, []).append(f"bank {found.id}")
    artifacts = _artifacts(store, project_id, version, embedder, settings)
    for artifact in artifacts:
        if artifact["dataset_version"]:
            used.setdefault(artifact["dataset_version"], []).append(f"{artifact['kind']} {artifact['id']}")
    run = _run(store, project_id, version)
    if run is not None and isinstance(run["inputs"].get("dataset"), str):
        used.setdefault(run["inputs"]["dataset"], []).append(f"run {run['id']}")
    found_datasets: list[dict[str, Any]] = []
    signal_ids: set[str] = set()
    for dataset_id, used_by in used.items():
        dataset = _dataset(store, project_id, dataset_id, used_by)
        if dataset is not None:
            found_datasets.append(dataset[0])
            signal_ids.update(dataset[1])
    evaluations = [
        {
            "id": e.id,
            "baseline": e.baseline,
            "source": e.source,
            "dataset_version": e.dataset_version,
            "cases": e.cases,
            "status": e.status,
            "passed": e.passed,
            "summary": e.summary,
            "created_at": e.created_at,
        }
        for e in list_evaluations(store, project_id, candidate=version_id, limit=1000)
    ]
    return {
        "version": version.model_dump(mode="json"),
        "stage": version_stage(store, project_id, version_id),
        "taint": version_taint(store, project_id, version_id),
        "ancestors": _ancestors(store, project_id, version),
        "signals": {"count": len(signal_ids), "sample": sorted(signal_ids)[:SIGNAL_SAMPLE]},
        "datasets": found_datasets,
        "run": run,
        "bank": bank,
        "artifacts": artifacts,
        "evaluations": evaluations,
        "experiments": _experiments(store, project_id, version_id),
        "decisions": _decisions(store, project_id, version_id),
        "moves": [m.model_dump(mode="json") for m in stage_history(store, project_id, version_id=version_id)],
    }
