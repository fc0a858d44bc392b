"""Policy versions: what an app runs for a workload, as immutable, content-hashed data.

A :class:`PolicySpec` says everything a call needs: the backend and model, the system prompt and
the user-turn template (sandboxed Jinja2, its variables declared), the example bank with ``k`` and
a selector, generation parameters, and the adapter and reranker the training loops fill in.
Registering a spec makes a :class:`PolicyVersion`: its id is a hash of the spec, so the same spec
registered twice is one version (the first registration's lineage is kept: its ``parent`` and
``created_by``, a person or a loop run).

Which version a workload runs is a stage (:mod:`flyloop.registry.stages`), not a property of the
version: versions never change.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from typing import Any, Literal

import orjson
import pydantic
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, field_validator

from flyloop import errors
from flyloop.capture import get_workload
from flyloop.store import Store, schema

from .templates import check_template

Selector = Literal["similarity", "mmr", "balanced"]
SELECTORS: tuple[str, ...] = ("similarity", "mmr", "balanced")
MAX_K = 50
MAX_PROMPT_CHARS = 100_000

# Generation parameters a backend understands, with the range each must lie in. A typo in a
# parameter name is refused at registration rather than ignored by the backend at run time.
PARAMS: dict[str, tuple[type | tuple[type, ...], float | None, float | None]] = {
    "temperature": ((int, float), 0.0, 2.0),
    "top_p": ((int, float), 0.0, 1.0),
    "max_tokens": (int, 1, 131_072),
    "seed": (int, None, None),
    "stop": ((str, list), None, None),
    "timeout_s": ((int, float), 0.001, 3600.0),
    "retries": (int, 0, 10),
    "base_url": (str, None, None),
    "batch_size": (int, 1, 1024),
    "presence_penalty": ((int, float), -2.0, 2.0),
    "frequency_penalty": ((int, float), -2.0, 2.0),
    # How many samples a version with a reranker draws and reranks (best of n); never sent to a backend.
    "best_of": (int, 1, 64),
    # A zero-shot classifier's words for each label (model "prototypes:<embedder>").
    "label_descriptions": (dict, None, None),
}
# The fields that make a version what it is (and its id); lineage fields are not among them.
SPEC_FIELDS = (
    "workload",
    "backend",
    "model",
    "system_prompt",
    "template",
    "variables",
    "bank",
    "k",
    "selector",
    "token_budget",
    "params",
    "adapter",
    "reranker",
)


class PolicySpec(BaseModel):
    """What a policy version runs. Build one, then :func:`register` it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    workload: str
    backend: str = "openai"
    model: str | None = None
    system_prompt: str = Field("", max_length=MAX_PROMPT_CHARS)
    template: str = Field("{{ input }}", max_length=MAX_PROMPT_CHARS)
    variables: list[str] = []
    bank: str | None = None
    k: int = Field(0, ge=0, le=MAX_K)
    selector: Selector = "similarity"
    token_budget: int | None = Field(None, ge=1)
    params: dict[str, Any] = {}
    adapter: str | None = None
    reranker: str | None = None

    @field_validator("params")
    @classmethod
    def _known_params(cls, params: dict[str, Any]) -> dict[str, Any]:
        for name, value in params.items():
            if name not in PARAMS:
                raise ValueError(f"unknown parameter {name!r}; known: {', '.join(sorted(PARAMS))}")
            kinds, low, high = PARAMS[name]
            if isinstance(value, bool) or not isinstance(value, kinds):
                raise ValueError(f"parameter {name!r} has the wrong type ({type(value).__name__})")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"parameter {name!r} must be finite")
            if isinstance(value, int | float) and (
                (low is not None and value < low) or (high is not None and value > high)
            ):
                raise ValueError(f"parameter {name!r} must lie in [{low}, {high}]")
        return params

    def definition(self) -> dict[str, Any]:
        """The spec as plain JSON data, every field present, in a fixed order."""
        return self.model_dump(include=set(SPEC_FIELDS), mode="json")

    def digest(self) -> str:
        """The version id this spec gets: ``pv_`` and 16 hex digits of the SHA-256 of its definition."""
        canonical = orjson.dumps(self.definition(), option=orjson.OPT_SORT_KEYS)
        return "pv_" + hashlib.sha256(canonical).hexdigest()[:16]


class PolicyVersion(PolicySpec):
    """A registered, immutable policy version with its lineage."""

    id: str
    parent: str | None = None
    created_by: str = "user"
    note: str = ""
    created_at: float

    def spec(self) -> PolicySpec:
        return PolicySpec(**self.definition())


def parse_spec(spec: PolicySpec | Mapping[str, Any]) -> PolicySpec:
    """A spec from a mapping (a config file, a request body), errors naming the field."""
    if isinstance(spec, PolicySpec):
        return PolicySpec(**spec.definition())
    if not isinstance(spec, Mapping):
        raise errors.ValidationError("a policy is a mapping of its fields", field="policy")
    try:
        return PolicySpec.model_validate(dict(spec))
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "policy"
        message = first["msg"].removeprefix("Value error, ")
        raise errors.ValidationError(message, field=where) from None


def _check_descriptions(descriptions: dict[str, Any], labels: list[str]) -> None:
    """A zero-shot classifier describes each declared label, and only those (the texts themselves
    are the backend's to check: flyloop.improve.prototypes)."""
    field = "params.label_descriptions"
    missing = ", ".join(repr(label) for label in labels if label not in descriptions)
    extra = ", ".join(repr(label) for label in sorted(set(descriptions) - set(labels)))
    if missing:
        raise errors.ValidationError(f"label_descriptions has no description of {missing}", field=field)
    if extra:
        raise errors.ValidationError(f"label_descriptions: {extra} not among the workload's labels", field=field)


def _check(store: Store, project_id: str, spec: PolicySpec) -> None:
    workload = get_workload(store, project_id, spec.workload)
    check_template(spec.template, spec.variables)
    if spec.selector == "balanced" and workload.type != "choice":
        raise errors.ValidationError("the balanced selector is for choice workloads", field="selector")
    # The classifier answers with one of the labels its bank's examples carry: a generation
    # workload's answer is text it cannot vote for.
    if spec.backend == "classifier" and workload.type != "choice":
        raise errors.ValidationError(
            f"the classifier backend is for choice workloads; {spec.workload!r} is a {workload.type} workload",
            field="backend",
        )
    descriptions = spec.params.get("label_descriptions")
    if descriptions is not None:
        if spec.backend != "classifier":
            raise errors.ValidationError(
                "label_descriptions are a classifier's zero-shot labels", field="params.label_descriptions"
            )
        _check_descriptions(descriptions, workload.labels or [])
    if spec.k and not spec.bank:
        raise errors.ValidationError(f"k={spec.k} examples need a bank", field="bank")
    if spec.bank:
        t = schema.banks
        with store.read() as conn:
            owner = conn.execute(
                sa.select(t.c.workload).where(t.c.project_id == project_id, t.c.id == spec.bank)
            ).scalar_one_or_none()
        if owner is None:
            raise errors.ValidationError(f"no bank {spec.bank!r} in this project", field="bank")
        if owner != spec.workload:
            raise errors.ValidationError(f"bank {spec.bank} belongs to workload {owner!r}", field="bank")


def _version(row: Any) -> PolicyVersion:
    m = row._mapping
    return PolicyVersion(
        **m["definition"],
        id=m["id"],
        parent=m["parent"],
        created_by=m["created_by"],
        note=m["note"],
        created_at=m["created_at"],
    )


def register(
    store: Store,
    project_id: str,
    spec: PolicySpec | Mapping[str, Any],
    *,
    parent: str | None = None,
    created_by: str = "user",
    note: str = "",
) -> PolicyVersion:
    """Register a policy version (or return the one already registered with this spec). The
    workload must exist, the template may use only ``input`` and its declared variables, a bank
    must be the workload's own; a ``parent`` must be a version of the same workload."""
    checked = parse_spec(spec)
    _check(store, project_id, checked)
    if parent is not None:
        if get_version(store, project_id, parent).workload != checked.workload:
            raise errors.ValidationError(f"parent {parent} is a version of another workload", field="parent")
    if not isinstance(created_by, str) or not created_by or len(created_by) > 200:
        raise errors.ValidationError("created_by is a non-empty string of at most 200 characters", field="created_by")
    version_id = checked.digest()
    t = schema.policy_versions
    row = {
        "project_id": project_id,
        "id": version_id,
        "workload": checked.workload,
        "definition": checked.definition(),
        "parent": parent,
        "created_by": created_by,
        "note": note,
        "created_at": time.time(),
    }
    with store.write() as conn:
        conn.execute(store.insert(t), [row])  # insert-or-ignore: the first registration's lineage stays
    return get_version(store, project_id, version_id)


def get_version(store: Store, project_id: str, version_id: str) -> PolicyVersion:
    """One version by id (:class:`~flyloop.errors.NotFound` if this project has none such)."""
    if not isinstance(version_id, str) or not version_id:
        raise errors.ValidationError("a version id is a non-empty string", field="version")
    t = schema.policy_versions
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.id == version_id)).first()
    if row is None:
        raise errors.NotFound(f"no policy version {version_id!r} in this project", field="version")
    return _version(row)


def require_known(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    version: str | None = None,
    version_field: str = "version",
) -> None:
    """A listing's filters checked: NotFound naming the field when one names a workload or a
    version this project does not have. A known one with nothing to list lists nothing; a typo
    must not read the same."""
    if workload is not None:
        get_workload(store, project_id, workload)
    if version is not None:
        try:
            get_version(store, project_id, version)
        except errors.NotFound as exc:
            raise errors.NotFound(exc.message, field=version_field) from None


def list_versions(store: Store, project_id: str, workload: str | None = None) -> list[PolicyVersion]:
    """The project's versions (of one workload), oldest first."""
    t = schema.policy_versions
    query = sa.select(t).where(t.c.project_id == project_id)
    if workload is not None:
        query = query.where(t.c.workload == workload)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.created_at, t.c.id)).all()
    return [_version(r) for r in rows]
