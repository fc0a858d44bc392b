"""The project handle's verbs for evaluation (``fw.evaluations``), golden sets (``fw.golden``)
and the gate (``fw.evaluations.gate`` / ``set_gate``), the same in both modes: the functions of
:mod:`flyloop.evaluate` on a local store, the ``/v1/evaluations``, ``/v1/golden`` and ``/v1/gate``
routes (:mod:`flyloop.server.evaluate`) through a server.

::

    ev = fw.evaluations.run("triage", "pv_1234", golden="hard-cases")
    print(ev.table()); ev.passed
    fw.golden.add("hard-cases", "triage", [{"input": "WIN A PRIZE", "expected": "spam"}])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flyloop import errors

from .transport import Namespace, api_path, check_text

if TYPE_CHECKING:
    from flyloop.evaluate import Evaluation, GateConfig

RUN_FIELDS = (
    "baseline",
    "dataset",
    "golden",
    "metrics",
    "gate",
    "judge",
    "reward",
    "limit",
    "seed",
    "segment_key",
    "n_resamples",
    "min_cases",
    "margin",
)
RUN_WAIT_S = 3600.0  # both versions answer every case inside the request when the caller waits


def evaluation_from(found: Mapping[str, Any]) -> Evaluation:
    from flyloop.evaluate import Evaluation

    return Evaluation(**found)


class Evaluations(Namespace):
    """Stored evaluations of candidates against production, and the project's gate."""

    def run(
        self,
        workload: str,
        candidate: str,
        *,
        on_progress: Callable[[str, int, int], None] | None = None,
        **options: Any,
    ) -> Evaluation:
        """Evaluate ``candidate`` against the production version (or ``baseline``) on the held-out
        eval split (or ``golden``: a golden set's name), store it and return it; ``options`` are
        :func:`flyloop.evaluate.run_evaluation`'s (``metrics``, ``gate``, ``judge`` a version id,
        ``reward``, ``limit``, ``seed``, ``segment_key``, ...). A failed evaluation is stored and
        its error raised. Through a server the call waits for the answer (``on_progress`` is local)."""
        from flyloop.evaluate import run_evaluation

        check_text(workload, "workload")
        check_text(candidate, "candidate")
        unknown = sorted(set(options) - set(RUN_FIELDS))
        if unknown:
            raise errors.ValidationError(
                f"unknown option {unknown[0]!r}; known: {', '.join(RUN_FIELDS)}", field=unknown[0]
            )
        gate = options.get("gate")
        if gate is not None and not isinstance(gate, dict):
            options["gate"] = gate.to_dict()
        if local := self._local:
            return run_evaluation(
                local.store, local.project, workload, candidate, settings=local.settings, by=local.actor,
                on_progress=on_progress, **options,
            )  # fmt: skip
        body = {"workload": workload, "candidate": candidate, **{k: v for k, v in options.items() if v is not None}}
        found = self._remote.call("POST", "/v1/evaluations", params={"wait": "true"}, body=body, wait_s=RUN_WAIT_S)
        return evaluation_from(found)

    def get(self, evaluation_id: str) -> Evaluation:
        """One evaluation by id (NotFound naming ``evaluation`` otherwise)."""
        from flyloop.evaluate import get_evaluation

        check_text(evaluation_id, "evaluation")
        if local := self._local:
            return get_evaluation(local.store, local.project, evaluation_id)
        return evaluation_from(self._remote.call("GET", api_path("v1", "evaluations", evaluation_id)))

    def list(self, workload: str | None = None, candidate: str | None = None, limit: int = 50) -> list[Evaluation]:
        """The project's evaluations, newest first (of one workload, one candidate)."""
        from flyloop.evaluate import list_evaluations

        if local := self._local:
            return list_evaluations(local.store, local.project, workload, candidate, limit)
        params = {"workload": workload, "candidate": candidate, "limit": limit}
        return [evaluation_from(e) for e in self._remote.call("GET", "/v1/evaluations", params=params)["items"]]

    def gate(self) -> dict[str, Any]:
        """The project's gate: ``{"gate": <config or None>, "custom": bool}`` (None: each workload
        type's default applies)."""
        from flyloop.evaluate import stored_gate

        if local := self._local:
            stored = stored_gate(local.store, local.project)
            return {"gate": stored, "custom": stored is not None}
        found: dict[str, Any] = self._remote.call("GET", "/v1/gate")
        return found

    def set_gate(self, config: GateConfig | Mapping[str, Any] | None) -> dict[str, Any]:
        """Set the project's gate (None: back to the defaults). Remotely an admin key's action."""
        from flyloop.evaluate import set_gate_config
        from flyloop.privacy import audit_record

        body = config.to_dict() if config is not None and not isinstance(config, Mapping) else config
        if local := self._local:
            parsed = set_gate_config(local.store, local.project, dict(body) if body is not None else None, local.actor)
            audit_record(local.store, local.project, "gate.set", actor=local.actor, target=local.project,
                         details={"gate": parsed.to_dict() if parsed else None})  # fmt: skip
            return self.gate()
        found: dict[str, Any] = self._remote.call("PUT", "/v1/gate", body={"gate": body})
        return found


class Golden(Namespace):
    """Golden sets: cases a person curates, per workload, that candidates are evaluated on."""

    def add(self, name: str, workload: str, cases: Sequence[Mapping[str, Any]]) -> int:
        """Add (or replace, by id) ``cases`` in golden set ``name`` of ``workload``; returns how
        many cases the set holds. Remotely an ingest key suffices."""
        from flyloop.evaluate import add_golden_cases

        if local := self._local:
            return add_golden_cases(local.store, local.project, name, workload, cases, local.actor)
        check_text(name, "name")
        body = {"workload": workload, "cases": [dict(c) for c in cases]}
        return int(self._remote.call("POST", api_path("v1", "golden", name), body=body)["cases"])

    def get(self, name: str) -> list[dict[str, Any]]:
        """The cases of golden set ``name`` (NotFound naming ``golden`` when there is none)."""
        from flyloop.evaluate import golden_cases

        if local := self._local:
            return golden_cases(local.store, local.project, name)
        check_text(name, "name")
        items: list[dict[str, Any]] = self._remote.call("GET", api_path("v1", "golden", name))["items"]
        return items

    def delete(self, name: str) -> int:
        """Delete golden set ``name``; returns how many cases went. Remotely an admin key's action."""
        from flyloop.evaluate import delete_golden_set

        if local := self._local:
            return delete_golden_set(local.store, local.project, name)
        check_text(name, "name")
        return int(self._remote.call("DELETE", api_path("v1", "golden", name))["deleted"])

    def list(self, workload: str | None = None) -> list[dict[str, Any]]:
        """Each golden set: name, workload, cases, labelled, updated_at."""
        from flyloop.evaluate import list_golden_sets

        if local := self._local:
            return list_golden_sets(local.store, local.project, workload)
        items: list[dict[str, Any]] = self._remote.call("GET", "/v1/golden", params={"workload": workload})["items"]
        return items
