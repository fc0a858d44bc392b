"""Improvement loops. Today: the embedders (hashing, MiniLM int8 ONNX, sentence-transformers)
behind one Protocol, with a cache by content hash; the model backends (OpenAI-compatible, local HF)
behind another, registered by name. To come: the classifier backend, the few-shot bank, the four
loops (prompt, few-shot, fine-tuning, reward model) and retrieval feedback; each run a record, each
yielding candidate policy versions."""

from . import (  # noqa: F401  (importing them registers the fewshot, prompt, finetune, retrieval and reward loops)
    embedder_tune,
    finetune,
    loops,
    reward,
)
from .ann import ExactIndex, VectorIndex, build_index
from .artifacts import KINDS as ARTIFACT_KINDS
from .artifacts import Artifact, get_artifact, is_artifact_id, list_artifacts, taint_artifact
from .artifacts import folder_of as artifact_folder
from .artifacts import on_erase as on_artifact_erase
from .backend_hf import smollm2_folder
from .backends import (
    Backend,
    Generation,
    backend,
    backend_for,
    backend_names,
    check_loadable,
    generation_params,
    register_backend,
)
from .bank import Bank, build_bank, get_bank, list_banks
from .bank import on_content_removed as on_bank_content_removed
from .bank import on_erase as on_bank_erase
from .bank_index import BankExample, BankIndex, load_bank
from .classifier import CLASSIFIER, Classification, ClassifierBackend, classifier_for, vote
from .embedder_tune import export_embedder, recall_at_k
from .embedders import (
    HASHING,
    MINILM_INT8,
    SENTENCE_TRANSFORMERS,
    CachedEmbedder,
    Embedder,
    HashingEmbedder,
    MiniLMInt8Embedder,
    SentenceTransformersEmbedder,
    choose_default,
    content_key,
    embedder,
)
from .embedders import names as embedder_names
from .embedders import register as register_embedder
from .failures import FailureCluster, FailureReport, failure_clusters
from .head_model import Head, HeadClassifier
from .lora import plan_lora, train_lora
from .prompting import (
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
from .prototypes import PrototypeClassifier
from .refine import RefinePlan, RefineResult, prepare_refine, refine_prompt, run_refine
from .refine import estimate as estimate_refine
from .rerank import LiftReport, LikelyBad, Reranked, best_of_n, best_of_n_lift, generate_best_of, likely_bad
from .retrieval import ContextGap, DocumentCredit, FailureDocument, context_gaps, document_credit, failure_documents
from .reward import RewardModel, expected_calibration_error
from .reward import score as reward_score
from .reward import score_batch as reward_score_batch
from .runs import (
    Loop,
    LoopRun,
    RunContext,
    Trigger,
    cancel_run,
    due_runs,
    execute_run,
    get_loop,
    get_run,
    list_runs,
    loop_names,
    plan_loop,
    register_loop,
    run_due,
    run_due_all,
    run_loop,
    start_run,
)

__all__ = [
    "PrototypeClassifier",
    "on_artifact_erase",
    "Rendered",
    "check_input",
    "check_k",
    "examples",
    "query_embedder",
    "query_text",
    "query_vector",
    "render",
    "search",
    "HASHING",
    "Bank",
    "BankExample",
    "BankIndex",
    "CLASSIFIER",
    "Classification",
    "ClassifierBackend",
    "classifier_for",
    "vote",
    "ExactIndex",
    "VectorIndex",
    "build_index",
    "build_bank",
    "get_bank",
    "list_banks",
    "load_bank",
    "on_bank_content_removed",
    "on_bank_erase",
    "Backend",
    "Generation",
    "backend",
    "backend_for",
    "backend_names",
    "check_loadable",
    "generation_params",
    "register_backend",
    "smollm2_folder",
    "MINILM_INT8",
    "SENTENCE_TRANSFORMERS",
    "CachedEmbedder",
    "Embedder",
    "HashingEmbedder",
    "MiniLMInt8Embedder",
    "SentenceTransformersEmbedder",
    "choose_default",
    "content_key",
    "embedder",
    "embedder_names",
    "register_embedder",
    "FailureCluster",
    "FailureReport",
    "failure_clusters",
    "plan_lora",
    "train_lora",
    "RefinePlan",
    "RefineResult",
    "estimate_refine",
    "prepare_refine",
    "refine_prompt",
    "run_refine",
    "Artifact",
    "get_artifact",
    "ARTIFACT_KINDS",
    "artifact_folder",
    "is_artifact_id",
    "list_artifacts",
    "taint_artifact",
    "cancel_run",
    "Loop",
    "LoopRun",
    "RunContext",
    "Trigger",
    "due_runs",
    "get_loop",
    "get_run",
    "list_runs",
    "loop_names",
    "plan_loop",
    "register_loop",
    "run_due",
    "run_due_all",
    "run_loop",
    "start_run",
    "execute_run",
    "ContextGap",
    "DocumentCredit",
    "FailureDocument",
    "context_gaps",
    "document_credit",
    "export_embedder",
    "failure_documents",
    "recall_at_k",
    "Head",
    "HeadClassifier",
    "LiftReport",
    "LikelyBad",
    "Reranked",
    "RewardModel",
    "best_of_n",
    "best_of_n_lift",
    "expected_calibration_error",
    "generate_best_of",
    "likely_bad",
    "reward_score",
    "reward_score_batch",
]
