"""Immutable, content-hashed dataset versions with a manifest of their sources and filters, and
their exports in the trainers' formats (SFT, DPO, KTO, few-shot, eval; TRL's and OpenAI's), with
the record of every file written so that erasure can reach it."""

from .catalog import DatasetVersion, diff, examples, get, lineage, list_versions, show, summarize
from .export_files import apply as apply_erasure_to_exports
from .export_files import plan as plan_erasure_of_exports
from .exports import (
    KIND_OF,
    SUFFIXES,
    TARGETS,
    ExportResult,
    export,
    format_row,
    plan_out,
    prepare,
    serialize,
    write_files,
)
from .tainting import citing, on_content_removed, on_erase, taint
from .versions import build, rebuild

__all__ = [
    "KIND_OF",
    "SUFFIXES",
    "TARGETS",
    "DatasetVersion",
    "ExportResult",
    "apply_erasure_to_exports",
    "build",
    "citing",
    "diff",
    "examples",
    "export",
    "format_row",
    "get",
    "lineage",
    "list_versions",
    "on_content_removed",
    "on_erase",
    "plan_erasure_of_exports",
    "plan_out",
    "prepare",
    "rebuild",
    "serialize",
    "show",
    "summarize",
    "taint",
    "write_files",
]
