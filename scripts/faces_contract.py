"""An import-linter contract type: a stage is reached through its face only.

Each stage of flyloop is a package whose ``__init__`` (its face) exports what later stages may
use; its other modules are its own business. import-linter's built-in types cannot say that
without renaming every module with a leading underscore (``private_modules``) or writing one
``protected`` contract per stage, which a new stage would silently escape. This contract reads
the rule off the layout instead: for every direct import between two different children of a
container (``flyloop.labels.verdicts -> flyloop.privacy.pseudonyms``), the imported module must
be the child itself (``flyloop.privacy``). Single-module children (``flyloop.errors``) are their
own face; the container's own ``__init__`` counts as outside every stage, so it too must import
faces. Inside a stage, modules import each other freely.

Configured in pyproject.toml (``contract_types = faces: scripts.faces_contract.FacesContract``);
lint-imports puts the working directory on ``sys.path``, so it runs from the repository root.
"""

from __future__ import annotations

from typing import TypedDict, cast

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


class _Breach(TypedDict):
    importer: str
    imported: str
    line_numbers: list[int]


class FacesContract(Contract):
    """Every import from one child of a container into another names the child itself.

    Options: ``containers`` (the packages whose children are the stages), ``ignore_imports`` (the
    declared exceptions, as in the built-in contracts).
    """

    type_name = "faces"

    containers = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        breaches: list[_Breach] = []
        for container in cast(list[str], self.containers):
            for importer in sorted(graph.find_descendants(container) | {container}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if _crosses_behind_a_face(container, importer, imported):
                        details = graph.get_import_details(importer=importer, imported=imported)
                        breaches.append(
                            {
                                "importer": importer,
                                "imported": imported,
                                "line_numbers": [detail["line_number"] for detail in details],
                            }
                        )
        return ContractCheck(
            kept=not breaches,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"breaches": breaches},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Import the stage's face (its package), not a module behind it:", bold=False)
        output.new_line()
        for breach in cast(list[_Breach], check.metadata["breaches"]):
            lines = ", ".join(map(str, breach["line_numbers"]))
            output.print_error(f"- {breach['importer']} -> {breach['imported']} (l.{lines})", bold=False)
        output.new_line()


def _stage_of(container: str, module: str) -> str | None:
    """The container's child that holds ``module`` (``flyloop.labels`` for
    ``flyloop.labels.verdicts``), or None for the container itself and modules outside it."""
    prefix = container + "."
    if not module.startswith(prefix):
        return None
    return prefix + module[len(prefix) :].split(".", 1)[0]


def _crosses_behind_a_face(container: str, importer: str, imported: str) -> bool:
    imported_stage = _stage_of(container, imported)
    if imported_stage is None or imported == imported_stage:
        return False
    return _stage_of(container, importer) != imported_stage
