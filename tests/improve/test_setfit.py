"""The SetFit-style contrastive fine-tune (flyloop.improve.setfit): pairs drawn with a seed, and
the finetune loop tuning MiniLM into an embedder artifact, then fitting its head on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_heads import SPAM, P, spam_project, train

from flyloop.capture import Capture
from flyloop.improve import HeadClassifier, get_artifact
from flyloop.improve.setfit import draw_pairs


def test_pairs_are_half_same_label_half_different_and_seeded() -> None:
    labels = ["a", "a", "a", "b", "b", "c"]
    pairs = draw_pairs(labels, 10, seed=3)
    assert pairs == draw_pairs(labels, 10, seed=3) and len(pairs) == 10
    assert [p[2] for p in pairs] == [1.0, 0.0] * 5
    assert all((labels[i] == labels[j]) == (y == 1.0) and i != j for i, j, y in pairs)
    assert [p[2] for p in draw_pairs(["a", "b"], 4, seed=0)] == [0.0] * 4  # no label has two rows


@pytest.mark.slow
def test_setfit_tunes_the_embedder_then_fits_the_head_on_it(capture: Capture) -> None:
    pytest.importorskip("sentence_transformers")
    spam_project(capture, n=60)
    run = train(capture, setfit=True, setfit_pairs=16, min_pairs=20)
    tuned = get_artifact(capture.store, P, run.outputs["embedder_artifact"], settings=capture.settings)
    assert tuned.kind == "embedder" and tuned.manifest["base_embedder"] == "sentence-transformers"
    assert tuned.manifest["dimension"] == 384 and tuned.manifest["config"]["pairs"] == 16
    assert (Path(tuned.path) / "model" / "modules.json").is_file()
    head = get_artifact(capture.store, P, run.outputs["artifact"], settings=capture.settings)
    assert head.manifest["embedder"] == {**head.manifest["embedder"], "name": tuned.id, "base": "hashing"}
    served = HeadClassifier(head.id)
    assert served.embedder.name == tuned.id
    assert served.classify(SPAM[300]["text"]).text in ("ham", "spam")
