"""Stored evaluations (flyloop.evaluate.runner, records): a candidate and the production version
answer the same held-out cases through their real backends (the kNN classifier over a bank, a
trained head) on real labelled text (SpamAssassin subject lines), scored, compared, gated and
stored; a generation workload through a registered backend; failures stored, bad input refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import fix_keys, hours_ago
from flyloop import datasets, errors, registry
from flyloop.capture import Capture, declare_workload
from flyloop.evaluate import (
    GateConfig,
    Guardrail,
    gate_config,
    get_evaluation,
    latest_evaluation,
    list_evaluations,
    run_evaluation,
    set_gate_config,
)
from flyloop.improve import backends as backends_module
from flyloop.improve import bank as bank_module
from flyloop.improve import build_bank, run_loop
from flyloop.store import schema

P = "acme"
DATA = Path(__file__).parents[1] / "improve" / "data" / "spam_subjects.jsonl"
SUBJECTS = [json.loads(line) for line in DATA.read_text().splitlines()]
HAM = [r for r in SUBJECTS if r["label"] == "ham"]
SPAM = [r for r in SUBJECTS if r["label"] == "spam"]
# The gate without the latency guardrail: latencies are wall times, and these tests pin figures.
GATE = GateConfig(primary="accuracy", guardrails=(Guardrail("macro_f1", "difference", low=-0.02),))


@pytest.fixture(autouse=True)
def fresh_backends(store):
    """Backends and banks are cached per process by content-hashed ids that repeat across tests."""
    backends_module.clear_cache()
    bank_module.LOADED.pop(store, None)
    yield
    backends_module.clear_cache()


def spam_project(capture: Capture, n: int = 800) -> registry.PolicyVersion:
    """``n`` subject lines, half spam, each answered with its label, accepted and liked by one of
    160 users (a plan each: 48 pro, the rest free); a dataset version of the first hour's 60
    (production: a kNN vote over its bank's handful of examples) and one of them all."""
    fix_keys(capture.store, P)
    declare_workload(capture.store, P, "spam", type="choice", labels=["ham", "spam"])
    chosen = [(r["text"], r["label"]) for pair in zip(HAM[: n // 2], SPAM[: n // 2], strict=True) for r in pair]
    now = hours_ago(2)
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"m{i:03d}", "workload": "spam", "input": text, "output": label, "user_id": f"u{i % 160}"}
                | {"ts": now + i, "metadata": {"plan": "pro" if i % 160 < 48 else "free"}}
                for i, (text, label) in enumerate(chosen)
            ],
            "signals": [
                {"id": f"m{i:03d}-{kind}", "interaction_id": f"m{i:03d}", "kind": kind, "ts": now + i + 5}
                for i in range(len(chosen))
                for kind in ("accept", "thumbs_up")
            ],
        },
    )
    early = datasets.build(capture.store, P, "early", {"until": now + 60})
    datasets.build(capture.store, P, "spam", {})
    small = build_bank(
        capture.store, P, "spam", dataset=early.id, embedder="hashing", index="exact", min_examples=1,
        settings=capture.settings,
    )  # fmt: skip
    prod = registry.register(capture.store, P, {"workload": "spam", "backend": "classifier", "bank": small.id, "k": 1})
    registry.set_production(capture.store, P, "spam", prod.id)
    return prod


def knn_candidate(capture: Capture, k: int = 15) -> registry.PolicyVersion:
    """A kNN vote over the bank of every training example."""
    bank = build_bank(capture.store, P, "spam", embedder="hashing", index="exact", settings=capture.settings)
    return registry.register(capture.store, P, {"workload": "spam", "backend": "classifier", "bank": bank.id, "k": k})


def head_candidate(capture: Capture) -> str:
    run = run_loop(capture.store, P, "finetune", "spam", settings=capture.settings, embedder="hashing", min_pairs=50)
    (candidate,) = run.candidates
    return candidate


def run(capture: Capture, candidate: str, **options: Any):
    options = {"gate": GATE, "settings": capture.settings, "by": "ana", "segment_key": "plan", **options}
    return run_evaluation(capture.store, P, "spam", candidate, **options)


def test_a_better_candidate_passes_on_the_held_out_split_and_is_stored(capture: Capture) -> None:
    prod = spam_project(capture)
    cand = knn_candidate(capture)
    seen: list[tuple[str, int, int]] = []
    ev = run(capture, cand.id, on_progress=lambda *step: seen.append(step))
    # Fixed data, split keys and seed: exact figures. 59 held-out cases of 13 users (none of them
    # in training), both versions on the same ones.
    assert (ev.status, ev.cases, ev.source, ev.baseline, ev.candidate) == (
        "succeeded",
        59,
        "eval split",
        prod.id,
        cand.id,
    )
    assert ev.dataset_version == datasets.get(capture.store, P, "spam").id
    assert ev.metrics[prod.id]["accuracy"] == pytest.approx(36 / 59, abs=1e-12)
    assert ev.metrics[cand.id]["accuracy"] == pytest.approx(49 / 59, abs=1e-12)
    accuracy = ev.comparison["metrics"]["accuracy"]["difference"]
    assert (accuracy["point"], accuracy["low"], accuracy["high"], accuracy["n_clusters"]) == (
        0.220338983051,
        0.083333333333,
        0.366666666667,
        13,
    )
    assert ev.comparison["segment_cases"] == {"free": 25, "pro": 34}
    assert ev.passed is True and ev.gate is not None
    assert ev.summary == (
        "accuracy +22.0 points [8.3, 36.7] > margin 0; macro-F1 83.0% vs 60.6% (+22.4 points) no lower than "
        "-2.0 points; segment 'free' 25 cases < 30: not judged; segment 'pro' ratio 1.39 outside 0.8..1.25, "
        "on the side of improvement: PASS"
    )
    assert [c["kind"] for c in ev.gate["checks"]] == ["primary", "guardrail", "segment", "segment"]
    assert set(ev.metrics[cand.id]) == {"accuracy", "macro_f1", "latency_mean", "latency_p95"}
    # Progress: each version over the 59 cases, then the scoring.
    assert [s for s in seen if s[1] in (0, 59)][:4] == [("baseline", 0, 59), ("baseline", 59, 59),
                                                        ("candidate", 0, 59), ("candidate", 59, 59)]  # fmt: skip
    assert seen[-1] == ("scoring", 1, 1)

    stored = get_evaluation(capture.store, P, ev.id)
    assert stored == ev and ev.id.startswith("ev_") and len(ev.id) == 19
    assert latest_evaluation(capture.store, P, cand.id) == ev
    assert latest_evaluation(capture.store, P, cand.id, baseline=prod.id) == ev
    assert latest_evaluation(capture.store, P, cand.id, baseline=None) is None
    assert latest_evaluation(capture.store, P, prod.id) is None
    table = ev.table().splitlines()
    assert table[0] == f"evaluation {ev.id}: {cand.id} vs {prod.id} on eval split (59 cases, succeeded)"
    assert table[2].split() == ["segment", "metric", "baseline", "candidate", "difference", "95%", "interval", "cases"]
    assert table[4].split() == ["all", "accuracy", "61.0%", "83.1%", "+22.0", "points", "[+8.3,", "+36.7]", "59"]
    assert table[-1].startswith("PASS: accuracy +22.0 points [8.3, 36.7] > margin 0;")
    assert [r["segment"] for r in ev.rows()] == [None] * 4 + ["free"] * 4 + ["pro"] * 4

    # Listed over time, newest first; the same seed gives the same figures, another seed others.
    again = run(capture, cand.id)
    other = run(capture, cand.id, seed=7)
    quality = ("accuracy", "macro_f1")  # latencies are wall times: every other figure repeats exactly
    assert again.id != ev.id
    assert [again.comparison["metrics"][m] for m in quality] == [ev.comparison["metrics"][m] for m in quality]
    assert [again.comparison["segments"]["pro"][m] for m in quality] == [
        ev.comparison["segments"]["pro"][m] for m in quality
    ]
    assert other.comparison["metrics"]["accuracy"]["difference"]["point"] == accuracy["point"]
    assert other.comparison["metrics"]["accuracy"]["difference"]["low"] != accuracy["low"]
    assert [e.id for e in list_evaluations(capture.store, P, workload="spam")] == [other.id, again.id, ev.id]
    assert [e.id for e in list_evaluations(capture.store, P, candidate=prod.id)] == []
    assert latest_evaluation(capture.store, P, cand.id) == other


def test_a_head_not_surely_better_fails_the_gate_and_says_why(capture: Capture) -> None:
    prod = spam_project(capture)
    head = head_candidate(capture)
    assert registry.get_version(capture.store, P, head).model.startswith("hd_")
    ev = run(capture, head)
    assert (ev.status, ev.passed, ev.cases) == ("succeeded", False, 59)
    assert ev.metrics[prod.id]["accuracy"] == pytest.approx(36 / 59, abs=1e-12)
    assert ev.summary.startswith("accuracy +11.9 points [-12.3, 33.3] lower bound not above margin 0; ")
    assert ev.summary.endswith(": FAIL")
    assert ev.gate is not None and ev.gate["checks"][0]["passed"] is False


def test_the_default_gate_and_the_projects_own(capture: Capture) -> None:
    spam_project(capture)
    cand = knn_candidate(capture)
    default = run(capture, cand.id, gate=None, segment_key=None)
    assert default.config["gate"]["primary"] == "accuracy"
    assert [g["metric"] for g in default.config["gate"]["guardrails"]] == ["macro_f1", "latency_p95"]
    assert default.comparison["segments"] == {}  # the dataset was built without balance keys: no segments

    set_gate_config(capture.store, P, {"primary": "accuracy", "margin": 0.3}, by="ana")
    assert gate_config(capture.store, P) == GateConfig(primary="accuracy", margin=0.3)
    strict = run(capture, cand.id, gate=None)
    assert strict.passed is False and "lower bound not above margin 30 points" in strict.summary
    lenient = run(capture, cand.id, gate=None, margin=0.05)  # the call's margin replaces the stored one
    assert lenient.passed is True and lenient.config["gate"]["margin"] == 0.05
    # A stored generation gate gives way to a choice workload's default.
    set_gate_config(capture.store, P, {"primary": "exact_match"}, by="ana")
    assert run(capture, cand.id, gate=None).config["gate"]["primary"] == "accuracy"
    set_gate_config(capture.store, P, None, by="ana")
    assert gate_config(capture.store, P) == GateConfig.default("choice")


def test_with_no_production_version_the_candidates_own_figures_and_no_gate(capture: Capture) -> None:
    spam_project(capture)
    cand = knn_candidate(capture)
    with capture.store.write() as conn:
        conn.execute(schema.policy_stages.delete())
    ev = run(capture, cand.id)
    assert (ev.baseline, ev.gate, ev.passed, ev.status) == (None, None, None, "succeeded")
    assert ev.metrics == {cand.id: pytest.approx(ev.metrics[cand.id])}
    assert ev.metrics[cand.id]["accuracy"] == pytest.approx(49 / 59, abs=1e-12)
    assert ev.rows()[0]["production"] is None and ev.rows()[0]["difference"] is None


def test_a_candidate_whose_model_cannot_load_is_stored_failed_naming_the_field(capture: Capture) -> None:
    spam_project(capture)
    broken = registry.register(
        capture.store, P, {"workload": "spam", "backend": "classifier", "model": "hd_0123456789abcdef"}
    )
    with pytest.raises(errors.FlyloopError) as caught:
        run(capture, broken.id)
    assert caught.value.field is not None and caught.value.field.startswith("candidate.")
    (failed,) = list_evaluations(capture.store, P)
    assert (failed.status, failed.metrics, failed.comparison, failed.gate, failed.passed) == (
        "failed",
        {},
        {},
        None,
        None,
    )
    assert failed.error == str(caught.value) and failed.finished_at is not None
    assert failed.config["error"]["field"] == caught.value.field
    assert latest_evaluation(capture.store, P, broken.id) is None
    assert failed.table().endswith(f"error: {failed.error}")


def test_a_backend_that_breaks_midway_is_stored_failed(capture: Capture) -> None:
    spam_project(capture)
    cand = knn_candidate(capture)
    calls = {"n": 0}

    def fail_on_the_fifth(phase: str, done: int, total: int) -> None:
        calls["n"] += 1
        if phase == "candidate" and done == 5:
            raise errors.BackendError("the endpoint went away", field="model")

    with pytest.raises(errors.BackendError, match="the candidate failed: the endpoint went away") as caught:
        run(capture, cand.id, on_progress=fail_on_the_fifth)
    assert caught.value.field == "candidate.model"
    (failed,) = list_evaluations(capture.store, P)
    assert (failed.status, failed.metrics, failed.error) == (
        "failed",
        {},
        "candidate.model: the candidate failed: the endpoint went away",
    )


BAD = [
    ({"candidate": "pv_nope"}, errors.NotFound, "candidate"),
    ({"baseline": "pv_nope"}, errors.NotFound, "baseline"),
    ({"limit": 0}, errors.ValidationError, "limit"),
    ({"seed": -1}, errors.ValidationError, "seed"),
    ({"metrics": ["bleu"]}, errors.ValidationError, "metrics[0]"),
    ({"metrics": ["accuracy", "exact_match"]}, errors.ValidationError, "metrics[1]"),
    ({"golden": "g", "dataset": "spam"}, errors.ValidationError, "golden"),
    ({"golden": "nope"}, errors.NotFound, "golden"),
    ({"dataset": "nope"}, errors.NotFound, None),
    ({"judge": "pv_x"}, errors.ValidationError, "judge"),
    ({"reward": "nope"}, errors.ValidationError, "reward"),
    ({"margin": -1}, errors.ValidationError, "margin"),
    ({"segment_key": ""}, errors.ValidationError, "segment_key"),
    ({"limit": 5}, errors.NotEnoughData, "dataset"),
    ({"workload": "nope"}, errors.NotFound, "workload"),
]


def test_bad_input_is_refused_naming_the_field_before_anything_is_stored(capture: Capture) -> None:
    spam_project(capture)
    cand = knn_candidate(capture)
    for options, error, field in BAD:
        args = {"workload": "spam", "candidate": cand.id, **options}
        workload, candidate = args.pop("workload"), args.pop("candidate")
        with pytest.raises(error) as caught:
            run_evaluation(capture.store, P, workload, candidate, settings=capture.settings, **args)
        assert (options, getattr(caught.value, "field", None)) == (options, field)
        if error is errors.NotEnoughData:
            assert str(caught.value).startswith("dataset: not enough data: 5 of 10 eval cases of workload 'spam'")
    assert list_evaluations(capture.store, P) == []
    datasets.taint(capture.store, P, "spam", "a user's content was erased")
    with pytest.raises(errors.Conflict, match="is tainted") as caught:
        run_evaluation(capture.store, P, "spam", cand.id, dataset="spam")
    assert caught.value.field == "dataset"
    with pytest.raises(errors.NotEnoughData) as caught:  # the newest untainted version has too few
        run_evaluation(capture.store, P, "spam", cand.id)
    assert str(caught.value).startswith("dataset: not enough data:")


def test_the_candidate_and_the_baseline_must_differ_and_share_the_workload(capture: Capture) -> None:
    prod = spam_project(capture)
    with pytest.raises(errors.ValidationError) as caught:
        run_evaluation(capture.store, P, "spam", prod.id)
    assert caught.value.field == "baseline"
    declare_workload(capture.store, P, "other", type="choice", labels=["a", "b"])
    with pytest.raises(errors.ValidationError, match="a version of workload 'spam', not 'other'"):
        run_evaluation(capture.store, P, "other", prod.id)
