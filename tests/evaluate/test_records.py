"""Stored evaluations read back (flyloop.evaluate.records): how one reads as a table in each state,
listing's bounds, the project's gate set, checked and reset."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.evaluate import (
    EVALUATION_COLUMNS,
    Evaluation,
    GateConfig,
    Guardrail,
    gate_config,
    get_evaluation,
    list_evaluations,
    set_gate_config,
    stored_gate,
)
from flyloop.evaluate.records import finish_record, start_record

P = "acme"
ROW = {
    "segment": None, "metric": "accuracy", "unit": "points", "production": 0.5, "candidate": 0.625,
    "difference": 0.125, "low": 0.02, "high": 0.25, "ratio": 1.25, "n_cases": 40, "n_clusters": 12,
}  # fmt: skip


def record(**fields) -> Evaluation:
    base = dict(
        id="ev_0123456789abcdef", workload="spam", candidate="pv_b", baseline="pv_a", source="eval split",
        dataset_version="d" * 64, cases=40, status="running", metrics={}, comparison={}, gate=None, passed=None,
        config={}, error=None, run_id=None, created_by="ana", created_at=100.0, finished_at=None,
    )  # fmt: skip
    return Evaluation(**(base | fields))


def test_running_then_finished_in_one_write_and_read_back(store) -> None:
    running = record()
    start_record(store, P, running)
    assert get_evaluation(store, P, running.id) == running and running.summary == "running"
    done = running.model_copy(
        update={
            "status": "succeeded",
            "comparison": {"rows": [ROW, ROW | {"segment": "pro", "metric": "latency_mean", "unit": "ms",
                                                "production": 12.0, "candidate": 10.5, "difference": -1.5,
                                                "low": None, "high": None}]},
            "gate": {"summary": "accuracy +12.5 points [2.0, 25.0] > margin 0: PASS"},
            "passed": True,
            "finished_at": 101.0,
        }
    )  # fmt: skip
    finish_record(store, P, done)
    assert get_evaluation(store, P, done.id) == done
    assert done.cells() == [
        ["all", "accuracy", "50.0%", "62.5%", "+12.5 points", "[+2.0, +25.0]", "40"],
        ["pro", "latency_mean", "12 ms", "10.5 ms", "-1.5 ms", "", "40"],
    ]
    lines = done.table().splitlines()
    assert lines[0] == f"evaluation {done.id}: pv_b vs pv_a on eval split (40 cases, succeeded)"
    assert lines[2].split("  ")[0] == EVALUATION_COLUMNS[0] and lines[3].startswith("-------")
    assert lines[-1] == "PASS: accuracy +12.5 points [2.0, 25.0] > margin 0: PASS"


def test_a_failed_evaluation_reads_as_its_error() -> None:
    failed = record(status="failed", error="candidate.model: the candidate failed: no head")
    assert failed.summary == "failed: candidate.model: the candidate failed: no head"
    assert failed.table().splitlines() == [
        "evaluation ev_0123456789abcdef: pv_b vs pv_a on eval split (40 cases, failed)",
        "error: candidate.model: the candidate failed: no head",
    ]


def test_listing_is_newest_first_and_bounded(store) -> None:
    from promotion_fixtures import versions

    # The filters name a workload and versions this project has (an unknown one is a NotFound).
    pv_0, _ = versions(store, "Sort.", "Sort well.", workload="spam")
    declare_workload(store, P, "other")
    for n in range(3):
        start_record(
            store, P, record(id=f"ev_{n:016x}", created_at=100.0 + n, candidate=f"pv_{n % 2}" if n % 2 else pv_0.id)
        )
    assert [e.id for e in list_evaluations(store, P)] == [
        "ev_0000000000000002",
        "ev_0000000000000001",
        "ev_0000000000000000",
    ]
    assert [e.id for e in list_evaluations(store, P, candidate=pv_0.id, limit=1)] == ["ev_0000000000000002"]
    with pytest.raises(errors.NotFound) as unknown:
        list_evaluations(store, P, candidate="pv_1")  # listed rows name it, but no such version exists
    assert unknown.value.field == "candidate"
    assert list_evaluations(store, P, workload="other") == [] and list_evaluations(store, "other") == []
    assert len(list_evaluations(store, P, status="running")) == 3
    for kwargs, field in (({"limit": 0}, "limit"), ({"limit": True}, "limit"), ({"status": "done"}, "status")):
        with pytest.raises(errors.ValidationError) as caught:
            list_evaluations(store, P, **kwargs)
        assert caught.value.field == field
    for bad in ("", 5, "x" * 65):
        with pytest.raises(errors.ValidationError):
            get_evaluation(store, P, bad)  # type: ignore[arg-type]
    with pytest.raises(errors.NotFound) as caught:
        get_evaluation(store, "other", "ev_0000000000000000")
    assert caught.value.field == "evaluation"


def test_the_projects_gate(store) -> None:
    assert stored_gate(store, P) is None and gate_config(store, P) == GateConfig.default("choice")
    assert gate_config(store, P, "generation") == GateConfig.default("generation")
    config = GateConfig("accuracy", margin=0.02, guardrails=(Guardrail("latency_p95", "ratio", high=1.5),))
    assert set_gate_config(store, P, config, by="ana") == config
    assert gate_config(store, P) == config and stored_gate(store, P) == config.to_dict() | {
        "guardrails": [Guardrail("latency_p95", "ratio", high=1.5).__dict__],
        "segment_band": [0.8, 1.25],
    }
    set_gate_config(
        store, P, {"primary": "macro_f1", "guardrails": [{"metric": "cost", "bound": "ratio", "high": 2}]}, by="bo"
    )
    assert gate_config(store, P).guardrails == (Guardrail("cost", "ratio", high=2),)
    assert set_gate_config(store, P, None, by="ana") is None and stored_gate(store, P) is None
    for bad, field in (
        ("accuracy", "gate"),
        ({"margin": 0.1}, "primary"),
        ({"primary": "bleu"}, "metric"),
        ({"primary": "latency_p95"}, "primary"),
        ({"primary": "accuracy", "margin": -1}, "margin"),
        ({"primary": "accuracy", "guardrails": "cost"}, "guardrails"),
        ({"primary": "accuracy", "guardrails": [{"metric": "cost", "bound": "sum", "high": 1}]}, "bound"),
        ({"primary": "accuracy", "colour": "red"}, "gate.colour"),
    ):
        with pytest.raises(errors.ValidationError) as caught:
            set_gate_config(store, P, bad, by="ana")  # type: ignore[arg-type]
        assert caught.value.field == field, bad
    with pytest.raises(errors.ValidationError) as caught:
        set_gate_config(store, P, config, by="")
    assert caught.value.field == "by" and stored_gate(store, P) is None
