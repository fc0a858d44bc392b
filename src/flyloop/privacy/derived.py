"""The copies of user data that later stages keep, and the one path by which privacy reaches them.

Erasure and content removal must reach every copy of a user's data, including the ones stages
after privacy derive and store themselves. Those copies are listed here, once, in the order they
are handled:

- a label's ``corrected_text`` (:func:`flyloop.labels.relabel.forget_corrections`): the words of
  a correction; they go when consent or retention removes the content they came from;
- the examples a dataset version holds (:mod:`flyloop.datasets.tainting`): an erased user's rows,
  or removed content, leave every version, and those versions are marked tainted;
- the export files recorded on disk (:mod:`flyloop.datasets.export_files`): planned before the
  erasure deletes anything (the rows that say which files hold the user are still there), then
  rewritten without the user's rows once it committed;
- the labels of others' interactions the erased user rated or corrected: derived again, without
  the user's signals, once the erasure committed (:func:`relabel`);
- the few-shot banks' examples (:mod:`flyloop.improve.bank`): marked removed in every bank, their
  words, vectors and index entries gone, and each bank's ``removed`` count says so;
- the models trained on the user's data (:func:`flyloop.improve.artifacts.on_erase`): an artifact
  follows its dataset version's taint, and one trained on interactions directly (an embedder) is
  tainted when it learned from the user's;
- the policy versions resting on that data (:mod:`flyloop.registry.taints`, through the rollout
  face that serves them): a version whose
  bank, adapter, head or reranker came from a tainted dataset version or artifact is marked
  tainted, never promoted nor put in an experiment again.

Privacy is an earlier stage than labels and datasets and may not import them at load time: the
imports below happen inside the functions, when an erasure or a content removal runs. This module
is the single exception the layer contract declares (``pyproject.toml``, ``[tool.importlinter]``);
a new stage that keeps a copy of user data adds its step here, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from flyloop.settings import Settings
from flyloop.store import Store

Reason = Literal["consent", "retention"]
# erase(store, project_id, stored_user_id, interaction_ids) -> what to merge into the erasure report
EraseStep = Callable[[Store, str, str, list[str]], "dict[str, Any] | None"]
# remove(store, project_id, interaction_ids, reason): content of these interactions was removed
ContentStep = Callable[[Store, str, list[str], str], None]


def erase_steps() -> list[EraseStep]:
    """What :func:`flyloop.privacy.erasure.erase_user` runs before it deletes anything (so each step
    can still look the interactions up). A step that raises stops the erasure with nothing
    deleted; steps are idempotent, since the erasure is then retried."""
    from flyloop.datasets import on_erase as purge_versions
    from flyloop.improve import on_artifact_erase, on_bank_erase
    from flyloop.rollout import erase_assignments, on_version_erase

    # Versions last among the taints: they follow their dataset versions' and artifacts' marks.
    return [purge_versions, on_bank_erase, on_artifact_erase, on_version_erase, erase_assignments]


def content_steps() -> list[ContentStep]:
    """What runs after consent ('no_content') or retention removed stored content."""
    from flyloop.datasets import on_content_removed as purge_versions
    from flyloop.improve import on_bank_content_removed
    from flyloop.labels import forget_corrections
    from flyloop.rollout import on_version_content_removed

    return [forget_corrections, purge_versions, on_bank_content_removed, on_version_content_removed]


def remove_content(store: Store, project_id: str, interaction_ids: list[str], reason: Reason) -> None:
    """Run every :func:`content_steps` step for interactions whose content was just removed."""
    if interaction_ids:
        for step in content_steps():
            step(store, project_id, interaction_ids, reason)


def relabel(store: Store, project_id: str, *, settings: Settings | None = None) -> None:
    """After an erasure deleted a user's signals on others' interactions (and marked those in the
    outbox): label them again now, so no label keeps what the user said (a correction's text).
    ``settings``: the caller's (its windows decide inference), else those of the environment."""
    from flyloop.labels import catch_up

    catch_up(store, project_id, settings=settings)


def plan_export_files(
    store: Store, project_id: str, stored_user_id: str, interaction_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """Which recorded export files hold the user's rows; read while those rows still exist."""
    from flyloop.datasets import plan_erasure_of_exports

    return plan_erasure_of_exports(store, project_id, stored_user_id, list(interaction_ids))


def rewrite_export_files(store: Store, project_id: str, planned: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rewrite (or delete, or report missing) the planned files; one entry per file."""
    from flyloop.datasets import apply_erasure_to_exports

    return apply_erasure_to_exports(store, project_id, planned)
