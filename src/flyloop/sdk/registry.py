"""The project handle's verbs for workloads and policy versions (``fw.workloads``, ``fw.policies``),
the same in both modes: the capture and registry functions on a local store, the
``/v1/workloads`` and ``/v1/policy-versions`` routes (:mod:`flyloop.server.registry`) through a
server.

::

    fw.workloads.declare("triage", type="choice", labels=["billing", "bug", "other"])
    v = fw.policies.register({"workload": "triage", "backend": "openai", "model": "gpt-4o-mini",
                              "system_prompt": "Answer with one label.", "params": {"base_url": url}})
    fw.policies.promote("triage", v.id, reason="first version")
    fw.policies.production("triage") == v
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flyloop import errors

from .transport import Namespace, api_path, check_filters, check_segment, check_text

if TYPE_CHECKING:
    from flyloop.capture import Workload
    from flyloop.registry import PolicySpec, PolicyVersion, StageMove
    from flyloop.settings import Settings

# Who a registration or a stage move names when it is made on the local store (a server names
# the key that made it: ``key:<id>``).
LOCAL_AUTHOR = "user"


def loadable(spec: PolicySpec, settings: Settings | None = None) -> None:
    """Refuse a spec whose backend could not load here (:func:`flyloop.improve.check_loadable`:
    names, folders, URLs; nothing is loaded). A model or adapter that is not there is the
    request's fault, so it is a ValidationError naming ``model`` (or ``adapter``) with the path in
    its details, not the 502 a backend failing at run time is; the server's route does the same.
    ``settings``: the project's, whose home holds the artifacts a spec may name."""
    from flyloop.improve import check_loadable

    try:
        check_loadable(spec, settings)
    except errors.BackendError as exc:
        field = "adapter" if "adapter" in exc.details else "model"
        raise errors.ValidationError(exc.message, field=field, **exc.details) from None


class Workloads(Namespace):
    """The workloads (AI call sites) of the project, with their type and label set."""

    def declare(
        self,
        name: str,
        type: str = "generation",
        labels: Sequence[str] | None = None,
        description: str = "",
    ) -> Workload:
        """Declare (or re-declare) a workload: ``generation``, or ``choice`` with its label set.
        Remotely an admin key's action, audited."""
        from flyloop.capture import Workload, declare_workload

        check_segment(name, "workload")
        check_text(type, "type")
        check_text(description, "description")
        if labels is not None and (isinstance(labels, str) or not isinstance(labels, Sequence)):
            raise errors.ValidationError("labels must be a list of strings", field="labels")
        if local := self._local:
            return declare_workload(local.store, local.project, name, type=type, labels=labels, description=description)
        body = {
            "name": name,
            "type": type,
            "labels": None if labels is None else list(labels),
            "description": description,
        }
        return Workload.model_validate(self._remote.call("POST", "/v1/workloads", body=body))

    def get(self, name: str) -> Workload:
        """A workload by name, declared or implied by interactions logged to it; NotFound otherwise."""
        from flyloop.capture import Workload, get_workload

        check_segment(name, "workload")
        if local := self._local:
            return get_workload(local.store, local.project, name)
        return Workload.model_validate(self._remote.call("GET", api_path("v1", "workloads", name)))

    def list(self) -> list[Workload]:
        """Every workload of the project, by name."""
        from flyloop.capture import Workload, list_workloads

        if local := self._local:
            return list_workloads(local.store, local.project)
        return [Workload.model_validate(w) for w in self._remote.call("GET", "/v1/workloads")["items"]]

    def stats(self, name: str) -> dict[str, Any]:
        """How many interactions the workload has, and how many a rule flagged
        (``outside_label_set``: a choice workload's output that is none of its labels)."""
        from flyloop.capture import workload_stats

        check_segment(name, "workload")
        if local := self._local:
            return workload_stats(local.store, local.project, name)
        return self._remote.call("GET", api_path("v1", "workloads", name, "stats"))


class Policies(Namespace):
    """Policy versions (immutable, content-hashed) and the production stage of each workload."""

    def register(
        self, spec: PolicySpec | Mapping[str, Any], *, parent: str | None = None, note: str = ""
    ) -> PolicyVersion:
        """Register a version from a :class:`~flyloop.registry.PolicySpec` or its fields (the
        same spec twice: the first registration). Refused, with nothing registered, when a field
        breaks a rule or the backend could not load (a model folder that is not there: a
        ValidationError naming ``model`` and the path). Remotely an admin key's action, audited,
        and the version names the key as its author."""
        from flyloop.registry import PolicyVersion, parse_spec, register

        checked = parse_spec(spec)
        if parent is not None:
            check_segment(parent, "parent")
        check_text(note, "note")
        if local := self._local:
            loadable(checked, local.settings)
            return register(local.store, local.project, checked, parent=parent, created_by=LOCAL_AUTHOR, note=note)
        from flyloop.improve import is_artifact_id

        if not (is_artifact_id(checked.model) or is_artifact_id(checked.adapter)):
            # An artifact (a head, an adapter) lies in the server's home, which checks it; the
            # rest (names, parameters, a model folder or endpoint) is checked here first.
            loadable(checked)
        body = {**checked.definition(), "parent": parent, "note": note}
        return PolicyVersion.model_validate(self._remote.call("POST", "/v1/policy-versions", body=body))

    def get(self, version_id: str) -> PolicyVersion:
        """One version by id; NotFound if the project has none such."""
        from flyloop.registry import PolicyVersion, get_version

        check_segment(version_id, "version")
        if local := self._local:
            return get_version(local.store, local.project, version_id)
        return PolicyVersion.model_validate(self._remote.call("GET", api_path("v1", "policy-versions", version_id)))

    def promote(self, workload: str, version_id: str, reason: str = "", *, force: bool = False) -> StageMove:
        """Make ``version_id`` the workload's production version under its gate
        (:func:`flyloop.rollout.promote`, as ``fw.versions.promote``): a Conflict naming ``gate``
        when its newest evaluation against production is missing or failed, unless ``force`` with
        a ``reason`` (recorded). The first production version has nothing to beat. Recorded in
        the stage history with ``reason``; remotely an admin key's action, audited."""
        from flyloop.capture import get_workload
        from flyloop.registry import StageMove
        from flyloop.rollout import promote

        check_segment(workload, "workload")
        check_segment(version_id, "version")
        check_text(reason, "reason")
        if not isinstance(force, bool):
            raise errors.ValidationError("force is true or false", field="force")
        if local := self._local:
            get_workload(local.store, local.project, workload)  # NotFound first, as the route answers
            return promote(
                local.store, local.project, workload, version_id, by=LOCAL_AUTHOR, reason=reason, force=force,
                settings=local.settings,
            )  # fmt: skip
        body = {"version": version_id, "reason": reason, **({"force": True} if force else {})}
        moved = self._remote.call("PUT", api_path("v1", "workloads", workload, "production"), body=body)
        return StageMove.model_validate(moved)

    def production(self, workload: str) -> PolicyVersion | None:
        """The workload's production version (None when none was set); NotFound for a workload
        that does not exist."""
        from flyloop.capture import get_workload
        from flyloop.registry import PolicyVersion, production

        check_segment(workload, "workload")
        if local := self._local:
            get_workload(local.store, local.project, workload)
            return production(local.store, local.project, workload)
        found = self._remote.call("GET", api_path("v1", "workloads", workload, "production"))["version"]
        return None if found is None else PolicyVersion.model_validate(found)

    def history(self, workload: str | None = None) -> list[StageMove]:
        """Every move to production (of one workload), oldest first: who, when, why, and what it
        replaced (``fw.versions.history`` has every stage's moves)."""
        from flyloop.registry import PRODUCTION, StageMove, stage_history

        check_filters(workload=workload)
        if local := self._local:
            return stage_history(local.store, local.project, workload, stage=PRODUCTION)
        found = self._remote.call("GET", "/v1/stage-history", params={"workload": workload, "stage": PRODUCTION})
        return [StageMove.model_validate(m) for m in found["items"]]

    def list(self, workload: str | None = None) -> list[PolicyVersion]:
        """The project's versions (of one workload), oldest first."""
        from flyloop.registry import PolicyVersion, list_versions

        check_filters(workload=workload)
        if local := self._local:
            return list_versions(local.store, local.project, workload)
        found = self._remote.call("GET", "/v1/policy-versions", params={"workload": workload})
        return [PolicyVersion.model_validate(v) for v in found["items"]]
