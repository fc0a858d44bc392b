"""Evaluation: a candidate against the production version on the same held-out cases.

Per-case scores by workload type (:mod:`~flyloop.evaluate.metrics`, with the pairwise judge
protocol of :mod:`~flyloop.evaluate.judge`), paired differences with bootstrap confidence
intervals clustered by user, overall and per segment (:mod:`~flyloop.evaluate.bootstrap`,
:mod:`~flyloop.evaluate.comparison`), and the gate a candidate must pass, which explains itself
(:mod:`~flyloop.evaluate.gates`)::

    scores = score_pairs(cases, production_outputs, candidate_outputs, workload_type="choice")
    result = gate(compare(scores, seed=0))
    print(result.summary)  # "accuracy +4.1 points [1.2, 7.0] > margin 0; ...: PASS"

Stored evaluations (:mod:`~flyloop.evaluate.runner`, :mod:`~flyloop.evaluate.records`): both
versions' real backends answer the same cases (the held-out eval split of a dataset version,
:mod:`~flyloop.evaluate.cases`, or a golden set a person curates, :mod:`~flyloop.evaluate.golden`),
scored, compared, gated by the project's gate and stored, comparable over time::

    evaluation = run_evaluation(store, "acme", "triage", "pv_0123456789abcdef")
    print(evaluation.table()); evaluation.passed
"""

from flyloop.evaluate.answers import answer_cases
from flyloop.evaluate.bootstrap import (
    Estimate,
    by_segment,
    cluster_bootstrap,
    label_counts,
    macro_f1,
    macro_f1_difference,
    mean_difference,
    mean_of,
    mean_ratio,
)
from flyloop.evaluate.cases import CaseSet, eval_split_cases, golden_set_cases, latest_eval_dataset
from flyloop.evaluate.comparison import Comparison, MetricResult, compare
from flyloop.evaluate.gates import Check, GateConfig, GateResult, Guardrail, gate
from flyloop.evaluate.golden import add_golden_cases, delete_golden_set, golden_cases, list_golden_sets
from flyloop.evaluate.interrupted import fail_interrupted, fail_running
from flyloop.evaluate.judge import Judge, JudgeVerdicts, judge_pairs
from flyloop.evaluate.metrics import (
    REFUSAL_PATTERNS,
    EvalCase,
    Metric,
    Output,
    PairedScores,
    correction_similarity,
    exact_match,
    get_metric,
    is_refusal,
    metric_names,
    normalize_answer,
    register_metric,
    score_pairs,
)
from flyloop.evaluate.records import COLUMNS as EVALUATION_COLUMNS
from flyloop.evaluate.records import (
    Evaluation,
    gate_config,
    get_evaluation,
    latest_evaluation,
    list_evaluations,
    new_evaluation_id,
    set_gate_config,
    stored_gate,
)
from flyloop.evaluate.runner import run_evaluation, version_judge

__all__ = [
    "CaseSet",
    "EVALUATION_COLUMNS",
    "Evaluation",
    "new_evaluation_id",
    "stored_gate",
    "add_golden_cases",
    "answer_cases",
    "delete_golden_set",
    "eval_split_cases",
    "fail_interrupted",
    "fail_running",
    "gate_config",
    "get_evaluation",
    "golden_cases",
    "golden_set_cases",
    "latest_eval_dataset",
    "latest_evaluation",
    "list_evaluations",
    "list_golden_sets",
    "run_evaluation",
    "set_gate_config",
    "version_judge",
    "REFUSAL_PATTERNS",
    "Check",
    "Comparison",
    "Estimate",
    "EvalCase",
    "GateConfig",
    "GateResult",
    "Guardrail",
    "Judge",
    "JudgeVerdicts",
    "Metric",
    "MetricResult",
    "Output",
    "PairedScores",
    "cluster_bootstrap",
    "by_segment",
    "compare",
    "correction_similarity",
    "exact_match",
    "gate",
    "get_metric",
    "is_refusal",
    "judge_pairs",
    "label_counts",
    "macro_f1",
    "macro_f1_difference",
    "mean_difference",
    "mean_of",
    "mean_ratio",
    "metric_names",
    "normalize_answer",
    "register_metric",
    "score_pairs",
]
