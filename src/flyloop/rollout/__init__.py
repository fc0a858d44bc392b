"""Rollout: which policy version each request runs, and what it sends. Today :mod:`serving`
resolves a workload's production version for a user (the one seam experiments will extend:
sticky persisted assignment, traffic split, the sample-ratio-mismatch check, always-valid
statistics, guardrails, ramps, automatic promotion and rollback), renders its messages with the
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

__all__ = [
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
