"""The project handle's verbs for the registry's stages (``fw.versions``), the same in both modes:
:mod:`flyloop.registry` and :mod:`flyloop.rollout` on a local store, the ``/v1/versions`` routes
(:mod:`flyloop.server.versions`) through a server.

::

    fw.versions.list(workload="triage", stage="production")   # VersionEntry: version, stage, taint
    fw.versions.show("pv_3f2a9c01b7e4d5a6")["evaluations"]     # the whole lineage
    fw.versions.promote("pv_3f2a9c01b7e4d5a6", reason="passed its gate")
    fw.versions.rollback("triage", reason="error rate up since 14:00")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flyloop import errors

from .transport import Namespace, api_path, check_filters, check_segment, check_text

if TYPE_CHECKING:
    from flyloop.registry import StageMove, VersionEntry


class Versions(Namespace):
    """Policy versions with their stage (candidate, canary, production, archived), taint, lineage
    and history; promotion under the evaluation gate, and rollback. (``list`` comes last: its
    name would shadow the builtin in the annotations below it.)"""

    def show(self, version_id: str) -> dict[str, Any]:
        """The version's lineage (:func:`flyloop.rollout.lineage`): its spec, stage, taint, the
        data, run, bank and artifacts it came from, its evaluations, experiments, decisions and
        stage moves."""
        from flyloop.rollout import lineage

        check_segment(version_id, "version")
        if local := self._local:
            return lineage(local.store, local.project, version_id, settings=local.settings)
        found: dict[str, Any] = self._remote.call("GET", api_path("v1", "versions", version_id))
        return found

    def diff(self, a: str, b: str) -> dict[str, Any]:
        """What differs from version ``a`` to ``b`` (:func:`flyloop.rollout.diff_versions`)."""
        from flyloop.registry import get_version
        from flyloop.rollout import diff_versions

        check_segment(a, "a")
        check_segment(b, "b")
        if local := self._local:
            return diff_versions(get_version(local.store, local.project, a), get_version(local.store, local.project, b))
        found: dict[str, Any] = self._remote.call("GET", api_path("v1", "versions", a, "diff", b))
        return found

    def promote(
        self, version_id: str, *, workload: str | None = None, reason: str = "", force: bool = False
    ) -> StageMove:
        """Make the version its workload's production version under the gate
        (:func:`flyloop.rollout.promote`): refused, naming ``gate``, when its newest evaluation
        against production is missing or failed, unless ``force`` with a ``reason`` (recorded).
        ``workload``: checked against the version's own when given. Remotely an admin key's
        action, audited."""
        from flyloop.registry import StageMove, get_version
        from flyloop.rollout import promote

        check_segment(version_id, "version")
        if workload is not None:
            check_segment(workload, "workload")
        check_text(reason, "reason")
        if not isinstance(force, bool):
            raise errors.ValidationError("force is true or false", field="force")
        if local := self._local:
            target = workload or get_version(local.store, local.project, version_id).workload
            return promote(
                local.store,
                local.project,
                target,
                version_id,
                by=local.actor,
                reason=reason,
                force=force,
                settings=local.settings,
            )
        body = {"workload": workload, "reason": reason, "force": force}
        return StageMove.model_validate(
            self._remote.call("POST", api_path("v1", "versions", version_id, "promote"), body=body)
        )

    def rollback(self, workload: str, *, reason: str = "") -> StageMove:
        """Give the workload's production back to the version that held it before
        (:func:`flyloop.rollout.rollback`). Remotely an admin key's action, audited."""
        from flyloop.registry import StageMove
        from flyloop.rollout import rollback

        check_segment(workload, "workload")
        check_text(reason, "reason")
        if local := self._local:
            return rollback(
                local.store, local.project, workload, by=local.actor, reason=reason, settings=local.settings
            )
        body = {"workload": workload, "reason": reason}
        return StageMove.model_validate(self._remote.call("POST", "/v1/versions/rollback", body=body))

    def history(
        self, workload: str | None = None, *, version: str | None = None, stage: str | None = None
    ) -> list[StageMove]:
        """Every stage move (of one workload, of one version, to one stage), oldest first, with
        who made it, why, and the gate, evaluation and experiment it rested on."""
        from flyloop.registry import StageMove, stage_history

        check_filters(workload=workload, version=version, stage=stage)
        if local := self._local:
            return stage_history(local.store, local.project, workload, version_id=version, stage=stage)
        params = {"workload": workload, "version": version, "stage": stage}
        found = self._remote.call("GET", "/v1/stage-history", params=params)
        return [StageMove.model_validate(m) for m in found["items"]]

    def taint(self, version_id: str, reason: str) -> str:
        """Mark a version tainted, with why (:func:`flyloop.rollout.taint_version`); it is never
        promoted nor put in an experiment again, and a running experiment whose candidate it is
        is rolled back at once. Returns the reason now recorded. Remotely an admin key's action,
        audited."""
        from flyloop.rollout import taint_version

        check_segment(version_id, "version")
        check_text(reason, "reason")
        if local := self._local:
            return taint_version(local.store, local.project, version_id, reason)
        found = self._remote.call("POST", api_path("v1", "versions", version_id, "taint"), body={"reason": reason})
        return str(found["taint"])

    def list(
        self, workload: str | None = None, *, stage: str | None = None, tainted: bool | None = None
    ) -> list[VersionEntry]:
        """The project's versions (of one workload; in one stage; tainted or not), oldest first,
        each with its stage and taint."""
        from flyloop.registry import VersionEntry, catalog

        check_filters(workload=workload, stage=stage)
        if tainted is not None and not isinstance(tainted, bool):
            raise errors.ValidationError(
                f"tainted must be true or false, not {type(tainted).__name__}", field="tainted"
            )
        if local := self._local:
            return catalog(local.store, local.project, workload, stage=stage, tainted=tainted)
        params = {"workload": workload, "stage": stage, "tainted": None if tainted is None else str(tainted).lower()}
        found = self._remote.call("GET", "/v1/versions", params=params)
        return [VersionEntry.model_validate(e) for e in found["items"]]
