"""The project handle's verbs for experiments (``fw.experiments``), their decisions
(``fw.decisions``) and the project's automation level (``fw.automation``), the same in both modes:
the functions of :mod:`flyloop.rollout` on a local store, the routes of
:mod:`flyloop.server.experiments` through a server.

::

    exp = fw.experiments.start("triage", "pv_1234", ramp=[10, 50, 100], primary="acceptance")
    fw.experiments.metrics(exp.id)["comparisons"]["acceptance"]
    fw.automation.set("approved")
    decision = fw.experiments.check(exp.id)          # 'ramp', 'pending'
    fw.decisions.approve(decision.id)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flyloop import errors

from .transport import Namespace, api_path, check_text

if TYPE_CHECKING:
    from flyloop.rollout import Decision, Experiment

START_OPTIONS = ("ramp", "primary", "guardrails", "min_users", "alpha", "segment", "force", "reason")


def experiment_from(found: Mapping[str, Any]) -> Experiment:
    from flyloop.rollout import Experiment

    return Experiment(**{k: v for k, v in found.items() if k not in ("share", "split")})


def decision_from(found: Mapping[str, Any]) -> Decision:
    from flyloop.rollout import Decision

    return Decision(**found)


class Experiments(Namespace):
    """A candidate against production on a ramp of traffic, users sticky to their arm."""

    def start(self, workload: str, candidate: str, **options: Any) -> Experiment:
        """Start an experiment (:func:`flyloop.rollout.start_experiment`; ``options``: ``ramp``,
        ``primary``, ``guardrails``, ``min_users``, ``alpha``, ``segment``, ``force``, ``reason``)."""
        from flyloop.rollout import start_experiment

        check_text(workload, "workload")
        check_text(candidate, "candidate")
        unknown = sorted(set(options) - set(START_OPTIONS))
        if unknown:
            raise errors.ValidationError(
                f"unknown option {unknown[0]!r}; known: {', '.join(START_OPTIONS)}", field=unknown[0]
            )
        if local := self._local:
            return start_experiment(
                local.store, local.project, workload, candidate, by=local.actor, settings=local.settings, **options
            )
        body = {"workload": workload, "candidate": candidate, **options}
        if "ramp" in body:
            body["ramp"] = list(body["ramp"])
        return experiment_from(self._remote.call("POST", "/v1/experiments", body=body))

    def get(self, experiment_id: str) -> Experiment:
        """One experiment (NotFound naming ``experiment`` otherwise)."""
        from flyloop.rollout import get_experiment

        check_text(experiment_id, "experiment")
        if local := self._local:
            return get_experiment(local.store, local.project, experiment_id)
        return experiment_from(self._remote.call("GET", api_path("v1", "experiments", experiment_id)))

    def list(self, workload: str | None = None, status: str | None = None, limit: int = 50) -> list[Experiment]:
        """The project's experiments, newest first."""
        from flyloop.rollout import list_experiments

        if local := self._local:
            return list_experiments(local.store, local.project, workload, status, limit)
        params = {"workload": workload, "status": status, "limit": limit}
        return [experiment_from(e) for e in self._remote.call("GET", "/v1/experiments", params=params)["items"]]

    def metrics(self, experiment_id: str) -> dict[str, Any]:
        """The arms' live metrics, always-valid comparisons and the sample-ratio check."""
        from flyloop.rollout import experiment_metrics

        check_text(experiment_id, "experiment")
        if local := self._local:
            return experiment_metrics(local.store, local.project, experiment_id)
        found: dict[str, Any] = self._remote.call("GET", api_path("v1", "experiments", experiment_id, "metrics"))
        return found

    def stop(self, experiment_id: str, reason: str = "") -> Experiment:
        """End a running experiment without a decision."""
        from flyloop.rollout import stop_experiment

        check_text(experiment_id, "experiment")
        if local := self._local:
            return stop_experiment(local.store, local.project, experiment_id, by=local.actor, reason=reason)
        path = api_path("v1", "experiments", experiment_id, "stop")
        return experiment_from(self._remote.call("POST", path, body={"reason": reason}))

    def check(self, experiment_id: str) -> Decision:
        """Look at a running experiment now and act at the project's automation level."""
        from flyloop.rollout import check_experiment

        check_text(experiment_id, "experiment")
        if local := self._local:
            return check_experiment(local.store, local.project, experiment_id, settings=local.settings)
        return decision_from(self._remote.call("POST", api_path("v1", "experiments", experiment_id, "check")))


class Decisions(Namespace):
    """What the automation decided for experiments, and what became of it."""

    def list(
        self,
        workload: str | None = None,
        experiment: str | None = None,
        status: str | None = None,
        limit: int = 50,
    ) -> list[Decision]:
        """Recorded decisions, newest first."""
        from flyloop.rollout import list_decisions

        if local := self._local:
            return list_decisions(
                local.store, local.project, workload=workload, experiment_id=experiment, status=status, limit=limit
            )
        params = {"workload": workload, "experiment": experiment, "status": status, "limit": limit}
        return [decision_from(d) for d in self._remote.call("GET", "/v1/decisions", params=params)["items"]]

    def approve(self, decision_id: str) -> Decision:
        """Apply a flagged or pending decision (Conflict if it is closed or its experiment ended)."""
        from flyloop.rollout import approve_decision

        check_text(decision_id, "decision")
        if local := self._local:
            return approve_decision(local.store, local.project, decision_id, by=local.actor)
        return decision_from(self._remote.call("POST", api_path("v1", "decisions", decision_id, "approve")))

    def dismiss(self, decision_id: str) -> Decision:
        """Close a flagged or pending decision without applying it."""
        from flyloop.rollout import dismiss_decision

        check_text(decision_id, "decision")
        if local := self._local:
            return dismiss_decision(local.store, local.project, decision_id, by=local.actor)
        return decision_from(self._remote.call("POST", api_path("v1", "decisions", decision_id, "dismiss")))


class Automation(Namespace):
    """The project's automation level: manual, semi, approved or full."""

    def show(self) -> str:
        """The level in force."""
        from flyloop.rollout import automation

        if local := self._local:
            return automation(local.store, local.project)
        return str(self._remote.call("GET", "/v1/automation")["level"])

    def set(self, level: str) -> str:
        """Set the level (remotely an admin key's action, audited)."""
        from flyloop.privacy import audit_record
        from flyloop.rollout import set_automation

        if local := self._local:
            done = set_automation(local.store, local.project, level, by=local.actor)
            audit_record(local.store, local.project, "automation.set", actor=local.actor, target=local.project,
                         details={"level": done})  # fmt: skip
            return done
        return str(self._remote.call("PUT", "/v1/automation", body={"level": level})["level"])
