"""The policy registry: policy versions as immutable, content-hashed data (backend, model, prompt
template, example bank, adapter, reranker, parameters) with their lineage; the stage each holds
(candidate, canary, production, archived) and the append-only history of every stage move, with
what each rested on; the taint of versions resting on erased data; the rendering of a
version's chat from its sandboxed template."""

from .entries import VersionEntry, catalog
from .policies import (
    MAX_K,
    PARAMS,
    SELECTORS,
    PolicySpec,
    PolicyVersion,
    Selector,
    get_version,
    list_versions,
    parse_spec,
    register,
    require_known,
)
from .stages import (
    ANY_HOLDER,
    ARCHIVED,
    CANARY,
    CANDIDATE,
    PRODUCTION,
    STAGES,
    StageMove,
    production,
    set_production,
    set_stage,
    stage_history,
    stage_holder,
    stages_of,
    version_stage,
)
from .taints import mark_tainted, taint_version, tainted_versions, version_taint
from .taints import on_content_removed as on_version_content_removed
from .taints import on_erase as on_version_erase
from .templates import check_template, render_messages, template_variables

__all__ = [
    "VersionEntry",
    "catalog",
    "ANY_HOLDER",
    "ARCHIVED",
    "CANARY",
    "CANDIDATE",
    "mark_tainted",
    "on_version_content_removed",
    "on_version_erase",
    "stages_of",
    "taint_version",
    "tainted_versions",
    "version_stage",
    "version_taint",
    "MAX_K",
    "PARAMS",
    "PRODUCTION",
    "SELECTORS",
    "STAGES",
    "PolicySpec",
    "PolicyVersion",
    "Selector",
    "StageMove",
    "check_template",
    "get_version",
    "list_versions",
    "parse_spec",
    "production",
    "register",
    "require_known",
    "render_messages",
    "set_production",
    "set_stage",
    "stage_history",
    "stage_holder",
    "template_variables",
]
