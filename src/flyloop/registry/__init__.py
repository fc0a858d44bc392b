"""The policy registry: policy versions as immutable, content-hashed data (backend, model, prompt
template, example bank, adapter, reranker, parameters) with their lineage; the stage each holds
(``production`` today) and the append-only history of every stage move; the rendering of a
version's chat from its sandboxed template."""

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
)
from .stages import PRODUCTION, STAGES, StageMove, production, set_production, set_stage, stage_history, stage_holder
from .templates import check_template, render_messages, template_variables

__all__ = [
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
    "render_messages",
    "set_production",
    "set_stage",
    "stage_history",
    "stage_holder",
    "template_variables",
]
