"""Rollout: which policy version each request runs, and what it sends. Today :mod:`serving`
resolves a workload's production version for a user (the one seam experiments will extend:
sticky persisted assignment, traffic split, the sample-ratio-mismatch check, always-valid
statistics, guardrails, ramps, automatic promotion and rollback), renders its messages with the
examples its bank retrieves, and packs a bank for the app's side."""

from .serving import (
    EXAMPLE_PREFIX,
    REASON_DEFAULT,
    REASON_PRODUCTION,
    BankRef,
    Rendered,
    Resolution,
    bank_download,
    bank_ref,
    check_input,
    check_k,
    check_user,
    check_workload,
    choose,
    examples,
    open_bank,
    query_embedder,
    query_text,
    query_vector,
    render,
    resolve,
    search,
    served_context_ids,
    served_example_ids,
)

__all__ = [
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
