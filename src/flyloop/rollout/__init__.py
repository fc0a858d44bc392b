"""Rollout: which policy version each request runs, and what it sends. :mod:`serving` resolves a
workload's production version for a user, or while an experiment runs (:mod:`experiments`) the
user's sticky, persisted arm; :mod:`live` measures the arms, :mod:`decisions` looks at them at the
project's automation level (ramp, promote, roll back); serving renders a version's messages with the
examples its bank retrieves, and packs a bank for the app's side. The experiments' statistics are
pure modules: :mod:`assignment` (sticky salted-hash buckets, ramps that move no assigned user),
:mod:`srm` (the sample-ratio check), :mod:`sequential` (always-valid mSPRT estimates, confidence
sequences, Benjamini-Hochberg) and :mod:`ramp` (guardrails and the ramp's decisions)."""

# What a request sends is rendered as evaluation renders it (flyloop.improve.prompting).
from flyloop.improve import (
    Rendered,
    check_input,
    check_k,
    examples,
    query_embedder,
    query_text,
    query_vector,
    render,
    search,
)

from .assignment import BUCKETS, Allocation, Move, allocate, assign, bucket_of, moves, new_salt
from .decisions import (
    LEVELS,
    Decision,
    approve_decision,
    automation,
    check_experiment,
    check_running,
    dismiss_decision,
    get_decision,
    list_decisions,
    set_automation,
)
from .experiments import (
    METRICS,
    Experiment,
    erase_assignments,
    experiments_in,
    get_experiment,
    list_experiments,
    running_experiment,
    start_experiment,
    stop_experiment,
)
from .live import experiment_metrics, metrics_table
from .promotion import diff_versions, production_stack, promote, require_gate, rollback
from .provenance import lineage
from .ramp import Guardrail, Ramp, Verdict, decide
from .sequential import (
    MIN_ARM_USERS,
    Adjusted,
    ArmStats,
    Estimate,
    benjamini_hochberg,
    choose_tau,
    compare,
    fixed_horizon_size,
    half_width,
    log_likelihood_ratio,
    running,
)
from .serving import (
    EXAMPLE_PREFIX,
    REASON_DEFAULT,
    REASON_EXPERIMENT,
    REASON_PRODUCTION,
    BankRef,
    Resolution,
    bank_download,
    bank_ref,
    check_user,
    check_workload,
    choose,
    open_bank,
    resolve,
    served_context_ids,
    served_example_ids,
)
from .srm import SRM_ALPHA, Srm, srm_check

# The erasure hooks that mark versions resting on erased data (flyloop.registry.taints) and roll
# back the experiments serving them; privacy reaches them through this stage's face.
from .tainted import on_version_content_removed, on_version_erase, roll_back_tainted, taint_version

__all__ = [
    "diff_versions",
    "on_version_content_removed",
    "on_version_erase",
    "roll_back_tainted",
    "taint_version",
    "lineage",
    "production_stack",
    "promote",
    "require_gate",
    "rollback",
    "LEVELS",
    "METRICS",
    "Decision",
    "Experiment",
    "approve_decision",
    "automation",
    "check_experiment",
    "check_running",
    "dismiss_decision",
    "erase_assignments",
    "experiments_in",
    "experiment_metrics",
    "get_decision",
    "get_experiment",
    "list_decisions",
    "list_experiments",
    "metrics_table",
    "running_experiment",
    "set_automation",
    "start_experiment",
    "stop_experiment",
    "BUCKETS",
    "MIN_ARM_USERS",
    "SRM_ALPHA",
    "Adjusted",
    "Allocation",
    "ArmStats",
    "Estimate",
    "Guardrail",
    "Move",
    "Ramp",
    "Srm",
    "Verdict",
    "allocate",
    "assign",
    "benjamini_hochberg",
    "bucket_of",
    "choose_tau",
    "compare",
    "decide",
    "fixed_horizon_size",
    "half_width",
    "log_likelihood_ratio",
    "moves",
    "new_salt",
    "running",
    "srm_check",
    "EXAMPLE_PREFIX",
    "REASON_DEFAULT",
    "REASON_EXPERIMENT",
    "REASON_PRODUCTION",
    "BankRef",
    "Rendered",
    "Resolution",
    "bank_download",
    "bank_ref",
    "check_input",
    "check_k",
    "check_user",
    "check_workload",
    "choose",
    "examples",
    "open_bank",
    "query_text",
    "query_embedder",
    "query_vector",
    "render",
    "resolve",
    "search",
    "served_context_ids",
    "served_example_ids",
]
