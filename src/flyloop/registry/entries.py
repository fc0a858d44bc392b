"""The registry's catalogue: each version with the stage it is in and its taint, as ``flyloop
versions list`` shows them (a version's spec alone says neither: both change, versions never do)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.store import Store

from .policies import PolicyVersion, list_versions, require_known
from .stages import CANDIDATE, STAGES, stages_of
from .taints import tainted_versions


class VersionEntry(BaseModel):
    """A version, the stage it is in now, and why it is tainted (None: it is not)."""

    model_config = ConfigDict(frozen=True)

    version: PolicyVersion
    stage: str
    taint: str | None


def catalog(
    store: Store,
    project_id: str,
    workload: str | None = None,
    *,
    stage: str | None = None,
    tainted: bool | None = None,
) -> list[VersionEntry]:
    """The project's versions (of one workload; in one stage; tainted or not), oldest first,
    each with its stage and taint."""
    if stage is not None and stage not in STAGES:
        raise errors.ValidationError(f"stage must be one of {', '.join(STAGES)}", field="stage")
    if tainted is not None and not isinstance(tainted, bool):
        raise errors.ValidationError("tainted is true or false", field="tainted")
    require_known(store, project_id, workload=workload)
    stages = stages_of(store, project_id, workload)
    taints = tainted_versions(store, project_id, workload)
    entries = [
        VersionEntry(version=v, stage=stages.get(v.id, CANDIDATE), taint=taints.get(v.id))
        for v in list_versions(store, project_id, workload)
    ]
    return [
        e
        for e in entries
        if (stage is None or e.stage == stage) and (tainted is None or (e.taint is not None) == tainted)
    ]
