"""Loop 3 for a choice workload (flyloop.improve.heads): a calibrated head on frozen embeddings,
trained through the finetune loop on real labelled text (SpamAssassin subject lines,
tests/improve/data/spam_subjects.jsonl) captured, curated and versioned as an app's would be; its
artifact (no pickle), the classifier backend and the SDK serving it, and what it refuses."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_loops import fix_keys

from conftest import hours_ago
from flyloop import Flywheel, datasets, errors, registry, set_privacy_policy
from flyloop.capture import Capture, declare_workload
from flyloop.improve import (
    Classification,
    HashingEmbedder,
    HeadClassifier,
    backend_for,
    cancel_run,
    check_loadable,
    get_artifact,
    list_artifacts,
    list_runs,
    plan_loop,
    run_loop,
    start_run,
)
from flyloop.improve import artifacts as artifacts_module
from flyloop.improve import backends as backends_module
from flyloop.improve.head_model import ARRAYS, META
from flyloop.improve.heads import knn_accuracy, label_texts, zero_shot_accuracy
from flyloop.improve.runs import execute_run
from flyloop.registry import PolicySpec
from flyloop.settings import Settings

P = "acme"
SUBJECTS = [
    json.loads(line) for line in (Path(__file__).parent / "data" / "spam_subjects.jsonl").read_text().splitlines()
]
HAM = [r for r in SUBJECTS if r["label"] == "ham"]
SPAM = [r for r in SUBJECTS if r["label"] == "spam"]


@pytest.fixture(autouse=True)
def fresh_backends():
    """A head's backend is cached per process by its id, which repeats across tests (content hash)."""
    backends_module.clear_cache()
    yield
    backends_module.clear_cache()


def spam_project(
    capture: Capture,
    n: int = 400,
    *,
    extra: list[tuple[str, str]] = (),
    redaction: dict[str, Any] | None = None,
) -> registry.PolicyVersion:
    """``n`` subject lines, half spam, each answered with its label and accepted and liked by one of
    40 users; ``extra`` (text, answer) pairs likewise; a dataset version; a production version.
    ``redaction``: the project's redaction policy (default off)."""
    fix_keys(capture.store, P)  # the same users held out on every run
    # The subject lines as written: the head reads their words, and the figures below must not move
    # with the privacy stage's name detector (which reads some subject lines as names and redacts them).
    set_privacy_policy(capture.store, P, {"redaction": redaction or {"mode": "off"}})
    declare_workload(capture.store, P, "spam", type="choice", labels=["ham", "spam"])
    chosen = [(r["text"], r["label"]) for pair in zip(HAM[: n // 2], SPAM[: n // 2], strict=True) for r in pair]
    chosen += list(extra)
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"m{i}", "workload": "spam", "input": text, "output": label, "user_id": f"u{i % 40}"}
                | {"ts": now + i}
                for i, (text, label) in enumerate(chosen)
            ],
            "signals": [
                {"id": f"m{i}-{kind}", "interaction_id": f"m{i}", "kind": kind, "ts": now + i + 5}
                for i in range(len(chosen))
                for kind in ("accept", "thumbs_up")
            ],
        },
    )
    datasets.build(capture.store, P, "spam", {})
    prod = registry.register(capture.store, P, {"workload": "spam", "backend": "openai", "model": "m"})
    registry.set_production(capture.store, P, "spam", prod.id)
    return prod


def train(capture: Capture, **options: Any):
    options = {"embedder": "hashing", "min_pairs": 50, **options}
    return run_loop(capture.store, P, "finetune", "spam", settings=capture.settings, **options)


def test_a_head_beats_zero_shot_on_held_out_rows_and_becomes_a_classifier_candidate(capture: Capture) -> None:
    prod = spam_project(capture)
    run = train(capture)
    assert run.status == "succeeded" and run.inputs["production"] == prod.id and run.inputs["embedder"] == "hashing"
    head = run.details["head"]
    # Fixed data, split keys and seed: exact figures. The validation rows are the version's own
    # validation split (users held out from train), unseen by the head and its temperature.
    assert (head["train_rows"], head["validation_rows"], head["validation_from"]) == (293, 40, "split")
    # The head reads the subject lines' words beside their (hashed) vectors, C chosen by
    # cross-validation (0.3 of the grid here). On these 40 rows it ties the vectors alone at C = 1
    # (the next test: 0.800, macro-F1 0.749) and the kNN vote is one row better; the figures that
    # compare heads are the benchmark's (BENCHMARKS.md, training_heads).
    assert (head["validation_accuracy"], head["zero_shot_accuracy"], head["knn_accuracy"]) == (0.8, 0.475, 0.825)
    assert head["validation_accuracy"] > head["zero_shot_accuracy"]
    assert (head["validation_macro_f1"], head["validation_ece"]) == (0.761905, 0.137802)
    assert head["validation_ece_uncalibrated"] == 0.20212  # the temperature took 32% off the calibration error
    # Measured, the head is fitted again (C kept) on the training and validation rows, 333 of them:
    # the served head's vocabulary (284 words) and temperature are that fit's.
    assert (head["c"], head["served_rows"], head["terms"], head["temperature"]) == (0.3, 333, 284, 0.23996)
    assert head["train_accuracy"] == 0.928328 and head["embedded"] == 335 and head["dropped"] == {}

    art = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings)
    assert art.kind == "head" and art.id.startswith("hd_") and art.run_id == run.id
    assert art.dataset_version == run.inputs["dataset"] and not art.tainted
    m = art.manifest
    assert (m["labels"], m["classes"], m["dimension"], m["embedder"]["name"]) == (
        ["ham", "spam"],
        ["ham", "spam"],
        384,
        "hashing",
    )
    assert m["calibration"] == {
        "method": "temperature",
        "temperature": 0.23996,
        "fitted_on": "5-fold out-of-fold logits of the training and validation rows, labels weighed alike",
    }
    assert (m["config"]["c"], m["config"]["c_from"], m["config"]["words"], m["config"]["refit"]) == (
        0.3,
        "5-fold out-of-fold log-likelihood",
        {"terms": 284, "min_df": 2, "max_terms": 20000, "tf": "sublinear"},
        True,
    )
    assert m["config"]["c_tried"] == {
        "0.1": 0.516448,
        "0.3": 0.513688,
        "1": 0.514737,
        "3": 0.522714,
        "10": 0.533655,
        "30": 0.541674,
    }
    assert m["metrics"]["validation_accuracy"] == 0.8 and sorted(f["name"] for f in m["files"]) == [META, ARRAYS]

    (candidate_id,) = run.candidates
    candidate = registry.get_version(capture.store, P, candidate_id)
    assert (candidate.backend, candidate.model, candidate.parent, candidate.created_by) == (
        "classifier",
        art.id,
        prod.id,
        f"loop:{run.id}",
    )
    assert candidate.params == {} and candidate.note.startswith(
        f"choice head {art.id} on hashing and words: validation accuracy 0.800"
    )
    assert registry.production(capture.store, P, "spam") == prod  # waits for the evaluation gate
    check_loadable(candidate)  # what registration through the SDK or the server runs

    # Retraining embeds nothing again: every text comes from the embedders' cache.
    again = train(capture)
    assert again.details["head"]["embedded"] == 0 and again.outputs["artifact"] == art.id
    assert again.candidates == [candidate_id]


def test_with_refit_off_the_measured_head_is_served(capture: Capture) -> None:
    spam_project(capture)
    off = Settings(home=capture.settings.home, database_url="sqlite://", loops_finetune_head_refit=False)
    run = run_loop(capture.store, P, "finetune", "spam", settings=off, embedder="hashing", min_pairs=50)
    head = run.details["head"]
    # The same first fit and figures as with refit on (the test above); served as it was measured:
    # the vocabulary of the 293 training rows and the temperature of their folds.
    assert (head["validation_accuracy"], head["validation_ece"], head["c"]) == (0.8, 0.137802, 0.3)
    assert (head["served_rows"], head["terms"], head["temperature"]) == (293, 237, 0.244362)
    manifest = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings).manifest
    assert manifest["config"]["refit"] is False
    fitted_on = manifest["calibration"]["fitted_on"]
    assert fitted_on == "5-fold out-of-fold logits of the training rows, labels weighed alike"
    served = HeadClassifier(run.outputs["artifact"], capture.settings)
    assert len(served.head.terms) == 237 and served.head.temperature == 0.244362


def test_without_words_and_with_a_given_c_the_head_reads_vectors_alone(capture: Capture) -> None:
    spam_project(capture)
    run = train(capture, words=False, c=1.0)
    head = run.details["head"]
    # The head before word features and cross-validated C, on the same rows.
    assert (head["validation_accuracy"], head["validation_macro_f1"]) == (0.8, 0.749216)
    assert (head["c"], head["terms"]) == (1.0, 0)
    config = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings).manifest["config"]
    assert (config["c_from"], config["c_tried"], config["words"]) == (
        "given",
        {"1": 0.5598},
        {"terms": 0, "why": "not asked for"},
    )
    served = HeadClassifier(run.outputs["artifact"], capture.settings)
    assert served.head.terms == () and served.classify(SPAM[200]["text"]).text == "spam"


def test_the_artifact_loads_in_a_fresh_backend_with_the_same_calibrated_scores(capture: Capture) -> None:
    spam_project(capture)
    run = train(capture)
    (candidate_id,) = run.candidates
    version = registry.get_version(capture.store, P, candidate_id)
    texts = [r["text"] for r in HAM[150:160] + SPAM[150:160]]
    served = backend_for(version)
    assert isinstance(served, HeadClassifier) and served.model == run.outputs["artifact"]
    first = served.classify_many(texts)
    backends_module.clear_cache()
    fresh = HeadClassifier(run.outputs["artifact"])
    again = fresh.classify_many(texts)
    assert [(c.text, c.scores) for c in first] == [(c.text, c.scores) for c in again]
    for c in again:
        assert isinstance(c, Classification) and sorted(c.scores) == ["ham", "spam"]
        assert abs(sum(c.scores.values()) - 1.0) < 1e-5 and c.text == max(c.scores, key=c.scores.__getitem__)
    assert [c.text for c in again].count("spam") == 10 and served.generate(  # every spam subject read as spam
        [{"role": "user", "content": texts[0]}]
    ).text == again[0].text

    # The numbers are numpy's, from plain arrays and JSON: no pickle anywhere.
    folder = artifacts_module.folder_of(run.outputs["artifact"], capture.settings)
    with np.load(folder / ARRAYS, allow_pickle=False) as arrays:
        assert sorted(arrays.files) == ["coef", "idf", "intercept"] and arrays["coef"].dtype == np.float32
        assert arrays["coef"].shape == (2, 384 + 284) and arrays["idf"].shape == (284,)
    assert b"pickle" not in (folder / ARRAYS).read_bytes()
    meta = json.loads((folder / META).read_text())
    assert (meta["classes"], meta["embedder"], meta["format"], len(meta["terms"])) == (
        ["ham", "spam"],
        "hashing",
        2,
        284,
    )


def test_the_baselines_measured_beside() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    assert zero_shot_accuracy(vectors[:2], ["a", "b"], vectors[2:], ["a", "a"]) == 0.5
    assert knn_accuracy(vectors[:2], ["a", "b"], np.array([1.0, 1.0]), vectors[2:], ["a", "b"], k=1) == 1.0
    assert label_texts(["ham", "spam"], "mail triage") == ["ham: mail triage", "spam: mail triage"]
    assert label_texts(["ham"]) == ["ham"]


def test_answers_outside_the_label_set_are_dropped_and_counted(capture: Capture) -> None:
    spam_project(capture, extra=[(f"are you sure about ticket {i}?", "maybe") for i in range(12)])
    run = train(capture)
    dropped = run.details["head"]["dropped"]
    assert dropped == {"outside_label_set": sum(dropped.values())} and 0 < dropped["outside_label_set"] <= 12


def test_too_little_data_is_refused_with_n_of_m_and_nothing_is_made(capture: Capture) -> None:
    spam_project(capture)
    with pytest.raises(errors.NotEnoughData) as caught:
        train(capture, min_pairs=500)
    assert caught.value.message.startswith("not enough data: 293 of 500 sft examples of workload 'spam'")
    (failed,) = list_runs(capture.store, P)
    assert failed.status == "failed" and failed.error == str(caught.value)
    assert list_artifacts(capture.store, P) == [] and len(registry.list_versions(capture.store, P, "spam")) == 1


def test_a_tainted_version_is_refused_unless_forced_with_a_reason(capture: Capture) -> None:
    spam_project(capture)
    version = datasets.list_versions(capture.store, P)[0]
    datasets.taint(capture.store, P, version.id, "user3 asked for erasure")
    with pytest.raises(errors.Conflict) as refused:
        train(capture)
    assert refused.value.field == "dataset" and "is tainted" in refused.value.message
    with pytest.raises(errors.ValidationError) as no_reason:
        train(capture, force=True)
    assert no_reason.value.field == "reason"
    run = train(capture, force=True, reason="the erased user's rows were purged")
    assert run.details["forced_taint"]["reason"] == "the erased user's rows were purged"
    art = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings)
    assert art.tainted
    # The reason is in the head's manifest too (it was on the run only).
    forced = art.manifest["forced_taint"]
    assert forced == run.details["forced_taint"]
    assert (forced["dataset"], forced["reason"]) == (version.id, "the erased user's rows were purged")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ user3 asked for erasure", forced["taint"])


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"method": "sft"}, "method"),
        ({"rank": 8}, "rank"),
        ({"learning_rate": 1e-4}, "learning_rate"),
        ({"setfit_pairs": 10}, "setfit_pairs"),
        ({"c": 0}, "c"),
        ({"c": "big"}, "c"),
        ({"setfit": "yes"}, "setfit"),
        ({"words": "yes"}, "words"),
        ({"embedder": 3}, "embedder"),
    ],
)
def test_option_misuse_is_refused_naming_the_option(capture: Capture, options: dict[str, Any], field: str) -> None:
    spam_project(capture, n=60)
    with pytest.raises(errors.ValidationError) as refused:
        train(capture, **options)
    assert refused.value.field == field
    assert list_artifacts(capture.store, P) == []


def test_an_embedder_instance_must_bear_a_name_flyloop_loads(capture: Capture) -> None:
    spam_project(capture, n=60)

    class Renamed(HashingEmbedder):
        name = "my-own"

    with pytest.raises(errors.ValidationError) as refused:
        train(capture, embedder=Renamed(), min_pairs=20)
    assert refused.value.field == "embedder" and "'my-own' is not one flyloop loads" in refused.value.message
    run = train(capture, embedder=HashingEmbedder(), min_pairs=20)
    assert run.status == "succeeded" and run.inputs["embedder"] == "hashing"


def test_the_plan_says_what_a_run_would_do(capture: Capture) -> None:
    prod = spam_project(capture)
    plan = plan_loop(capture.store, P, "finetune", "spam", settings=capture.settings, embedder="hashing", min_pairs=50)
    assert {
        k: plan[k] for k in ("method", "embedder", "examples", "need", "enough", "labels", "setfit", "production")
    } == {
        "method": "head",
        "embedder": "hashing",
        "examples": 293,
        "need": 50,
        "enough": True,
        "labels": ["ham", "spam"],
        "setfit": False,
        "production": prod.id,
    }
    assert plan["rule"]["counts"]["need"] == capture.settings.loops_finetune_min_pairs


def test_a_cancelled_run_registers_nothing_and_leaves_no_files(capture: Capture) -> None:
    spam_project(capture)

    def cancel(report: dict[str, Any]) -> None:
        if list_runs(capture.store, P)[0].cancel_requested_at is None:
            cancel_run(capture.store, P, ctx.run_id)
            time.sleep(1.05)  # a run looks for a cancel request at most once a second

    ctx = start_run(
        capture.store,
        P,
        "finetune",
        "spam",
        settings=capture.settings,
        on_progress=cancel,
        embedder="hashing",
        min_pairs=50,
    )
    with pytest.raises(errors.Cancelled):
        execute_run(ctx)
    assert list_runs(capture.store, P)[0].status == "cancelled"
    assert list_artifacts(capture.store, P) == [] and len(registry.list_versions(capture.store, P, "spam")) == 1
    root = artifacts_module.root(capture.settings)
    assert not root.exists() or os.listdir(root) == []


def test_policy_generate_of_a_head_version_returns_the_heads_label(capture: Capture) -> None:
    spam_project(capture)
    run = train(capture)
    (candidate_id,) = run.candidates
    registry.set_production(capture.store, P, "spam", candidate_id)
    text = SPAM[200]["text"]
    direct = HeadClassifier(run.outputs["artifact"]).classify(text)
    with Flywheel(store=capture.store, project=P, home=capture.settings.home) as fw:
        answer = fw.policy("spam", user_id="ann").generate(text)
    assert (answer.text, answer.scores, answer.model) == (direct.text, direct.scores, run.outputs["artifact"])
    assert answer.tokens_in == answer.tokens_out == 0


def test_a_head_spec_is_loadable_only_when_its_artifact_is_here(capture: Capture) -> None:
    spam_project(capture, n=60)
    missing = PolicySpec(workload="spam", backend="classifier", model="hd_" + "0" * 16)
    with pytest.raises(errors.NotFound) as absent:
        check_loadable(missing)
    assert absent.value.field == "artifact"
    with pytest.raises(errors.ValidationError) as wrong:
        check_loadable(PolicySpec(workload="spam", backend="classifier", model="hd_nothex"))
    assert wrong.value.field == "model"


def test_a_project_opened_with_its_own_home_serves_its_head(
    capture: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The environment's home is another one: the artifact must be looked for in the project's home.
    spam_project(capture)
    run = train(capture)
    (candidate_id,) = run.candidates
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "elsewhere"))
    text = SPAM[200]["text"]
    direct = HeadClassifier(run.outputs["artifact"], Settings(home=capture.settings.home)).classify(text)
    with Flywheel(store=capture.store, project=P, home=capture.settings.home) as fw:
        version = fw.policies.register(registry.get_version(capture.store, P, candidate_id).definition())
        fw.policies.promote("spam", version.id, reason="the head, by hand", force=True)
        answer = fw.policy("spam", user_id="ann").generate(text)
    assert (answer.text, answer.scores) == (direct.text, direct.scores)
    with pytest.raises(errors.NotFound) as elsewhere:
        check_loadable(registry.get_version(capture.store, P, candidate_id))
    assert elsewhere.value.field == "artifact"


def test_the_bank_loop_after_a_head_proposes_the_banks_vote(capture: Capture) -> None:
    """A head answers without its bank: the few-shot loop's candidate on a head production version
    is the bank's kNN vote (the head with a new bank would answer every case as production)."""
    spam_project(capture)
    (head_id,) = train(capture).candidates
    registry.set_production(capture.store, P, "spam", head_id)
    run = run_loop(capture.store, P, "fewshot", "spam", settings=capture.settings, embedder="hashing")
    (candidate_id,) = run.candidates
    head, candidate = (
        registry.get_version(capture.store, P, head_id),
        registry.get_version(capture.store, P, candidate_id),
    )
    assert (candidate.backend, candidate.model, candidate.parent) == ("classifier", None, head_id)
    assert candidate.bank == run.outputs["bank"] and head.bank != candidate.bank
