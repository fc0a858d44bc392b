"""Tainting dataset versions (flyloop.datasets.tainting): erasure and removed content purge their rows."""

from __future__ import annotations

import pytest

from conftest import seed
from flyloop import datasets, errors
from flyloop.datasets import exports
from flyloop.privacy.consent import set_consent
from flyloop.privacy.erasure import erase_user

PROJECT = "acme"
CONFIG = {"balance": {"keys": ["plan"]}}


def test_erasure_taints_purges_and_a_rebuild_leaves_the_user_out(store, capture, tmp_path):
    seed(capture)
    version = datasets.build(store, PROJECT, "math", CONFIG)
    report = erase_user(store, PROJECT, "user0")
    assert report["tainted_datasets"] == [version.id]
    tainted = datasets.get(store, PROJECT, version.id)
    assert tainted.tainted and "erasure" in tainted.taint_reason
    assert all(
        e["interaction_id"] not in ("g0", "c0", "r0", "r0b")
        for kind in ("sft", "preference", "kto", "fewshot", "eval")
        for e in datasets.examples(store, PROJECT, version.id, kind)
    )
    with pytest.raises(errors.Conflict, match="tainted"):
        exports.export(store, PROJECT, version.id, "sft", tmp_path / "a")
    rebuilt = datasets.rebuild(store, PROJECT, version.id)
    assert rebuilt.id != version.id and rebuilt.parent_id == version.id and not rebuilt.tainted
    assert rebuilt.manifest["sources"]["interactions"] == 36
    assert "g0" not in datasets.lineage(store, PROJECT, rebuilt.id)["interaction_ids"]


@pytest.mark.parametrize("removal", ["consent", "retention"])
def test_removed_content_leaves_labels_and_dataset_copies(store, capture, removal):
    from flyloop import apply_retention, labels, set_privacy_policy

    seed(capture)
    version = datasets.build(store, PROJECT, "math", CONFIG)
    assert labels.get(store, PROJECT, "c0").corrected_text == "The answer is 20."
    held = {
        e["interaction_id"]
        for kind in ("sft", "preference", "kto", "fewshot", "eval")
        for e in datasets.examples(store, PROJECT, version.id, kind)
    }
    assert "c0" in held and "c1" in held
    if removal == "consent":
        set_consent(store, PROJECT, "user0", "no_content")
        gone, kept = {"g0", "c0", "r0", "r0b"}, "c1"
    else:
        set_privacy_policy(store, PROJECT, {"retention": {"content_days": 1}})
        apply_retention(store, PROJECT)
        gone, kept = held, None
    assert labels.get(store, PROJECT, "c0").corrected_text is None
    assert labels.get(store, PROJECT, "c0").verdict == "corrected"  # the verdict is usage and stays
    tainted = datasets.get(store, PROJECT, version.id)
    assert tainted.tainted and f"{removal}: source content was removed" in tainted.taint_reason
    left = {
        e["interaction_id"]
        for kind in ("sft", "preference", "kto", "fewshot", "eval")
        for e in datasets.examples(store, PROJECT, version.id, kind)
    }
    assert left.isdisjoint(gone)
    if kept:
        assert labels.get(store, PROJECT, kept).corrected_text == "The answer is 21."
        assert kept in left


def test_erasing_a_user_moves_no_other_example_between_splits(store, capture):
    seed(capture, users=20)
    config = {**CONFIG, "splits": {"train": 0.6, "validation": 0.2, "eval": 0.2}}
    before = datasets.build(store, PROJECT, "math", config)
    erase_user(store, PROJECT, "user3")
    after = datasets.rebuild(store, PROJECT, before.id)
    change = datasets.diff(store, PROJECT, before.id, after.id)
    assert all(row["moved_split"] == 0 for row in change["examples"].values())
    assert change["examples"]["sft"]["unchanged"] > 0
    # Eval is newer than anything in train: the cut-off separates them.
    spans = after.manifest["splits"]["time_range"]
    assert spans["train"][1] < after.manifest["splits"]["cutoff"] <= spans["eval"][0]
