"""Exports (flyloop.datasets.exports): a version in the row formats its consumers read, with taint and
consent rechecked."""

from __future__ import annotations

import orjson
import pytest

from conftest import fix_keys, seed
from flyloop import Settings, datasets, errors
from flyloop.datasets import exports
from flyloop.privacy.consent import set_consent

PROJECT = "acme"


CONFIG = {"balance": {"keys": ["plan"]}}


def test_exports_load_with_hugging_face_datasets(store, capture, tmp_path):
    hf = pytest.importorskip("datasets")
    seed(capture)
    version = datasets.build(store, PROJECT, "math", CONFIG)
    expected = {
        "sft": ["prompt", "completion"],
        "dpo": ["prompt", "chosen", "rejected"],
        "kto": ["prompt", "completion", "label"],
        "openai": ["messages"],
        "openai-dpo": ["input", "preferred_output", "non_preferred_output"],
        "fewshot": ["workload", "input", "output", "interaction_id", "quality"],
        "eval": ["id", "workload", "prompt", "reference", "rejected", "verdict", "segment", "interaction_id", "ts"],
    }
    for target, columns in expected.items():
        for fmt in ("jsonl", "parquet"):
            result = exports.export(store, PROJECT, version.id, target, tmp_path / fmt / target, fmt=fmt)
            for path in result.files:
                loaded = hf.load_dataset(
                    "json" if fmt == "jsonl" else "parquet",
                    data_files=path,
                    split="train",
                    cache_dir=str(tmp_path / "hf-cache"),
                )
                assert loaded.column_names == columns, (target, fmt)
                assert len(loaded) == result.rows[path.rsplit("-", 1)[1].split(".")[0]]
    sft = hf.load_dataset(
        "json",
        data_files=str(tmp_path / "jsonl" / "sft" / "sft-train.jsonl"),
        split="train",
        cache_dir=str(tmp_path / "hf-cache"),
    )
    assert {"prompt": "What is 0 + 20?", "completion": "The answer is 20."} in list(sft)
    kto = hf.load_dataset(
        "parquet",
        data_files=str(tmp_path / "parquet" / "kto" / "kto-train.parquet"),
        split="train",
        cache_dir=str(tmp_path / "hf-cache"),
    )
    assert {"prompt": "What is 0 + 20?", "completion": "The answer is 21.", "label": False} in list(kto)
    chat = exports.export(store, PROJECT, version.id, "openai", tmp_path / "chat", system="Be terse.")
    first = orjson.loads(open(chat.files[0], "rb").readline())
    assert first["messages"][0] == {"role": "system", "content": "Be terse."}
    assert [m["role"] for m in first["messages"]] == ["system", "user", "assistant"]
    conv = exports.export(store, PROJECT, version.id, "dpo", tmp_path / "conv", style="conversational")
    row = orjson.loads(open(conv.files[0], "rb").readline())
    assert row["prompt"][0]["role"] == "user" and row["chosen"][0]["role"] == "assistant"
    manifest = orjson.loads((tmp_path / "conv" / "dpo.manifest.json").read_bytes())
    assert manifest["id"] == version.id and manifest["export"]["rows"] == conv.rows
    assert len(manifest["lineage"]["interaction_ids"]) == 32
    with pytest.raises(errors.ValidationError, match="reserved for evaluation"):
        exports.export(store, PROJECT, version.id, "sft", tmp_path / "leak", splits=["eval"])


def test_tainted_version_is_refused_unless_forced(store, capture, tmp_path):
    seed(capture)
    version = datasets.build(store, PROJECT, "math", CONFIG)
    datasets.taint(store, PROJECT, version.id, "labels came from broken weights")
    with pytest.raises(errors.Conflict) as caught:
        exports.export(store, PROJECT, version.id, "sft", tmp_path / "a")
    assert "is tainted" in caught.value.message and "labels came from broken weights" in caught.value.message
    result = exports.export(store, PROJECT, version.id, "sft", tmp_path / "b", force=True)
    assert result.rows == {"train": 21}
    assert "labels came from broken weights" in result.forced_taint
    with pytest.raises(errors.ValidationError):
        datasets.taint(store, PROJECT, version.id, "  ")


def test_consent_withdrawn_after_build_is_rechecked_at_export(store, capture, tmp_path):
    seed(capture)
    version = datasets.build(store, PROJECT, "math", CONFIG)
    set_consent(store, PROJECT, "user0", "no_training")
    result = exports.export(store, PROJECT, version.id, "sft", tmp_path / "a")
    # user0 had 3 training SFT examples; they are left out, and the count says so.
    assert result.rows == {"train": 18}
    assert result.excluded == {"consent_withdrawn": 3, "source_gone": 0}
    manifest = orjson.loads((tmp_path / "a" / "sft.manifest.json").read_bytes())
    assert manifest["export"]["consent_recheck"]["consent_withdrawn"] == 3
    lines = (tmp_path / "a" / "sft-train.jsonl").read_text()
    assert "What is 0 + 20?" not in lines
    rebuilt = datasets.build(store, PROJECT, "math", CONFIG)
    assert rebuilt.manifest["consent"]["users_refused"] == 1
    assert rebuilt.manifest["sources"]["consented"] == 36
    for user in range(1, 10):
        set_consent(store, PROJECT, f"user{user}", "no_training")
    with pytest.raises(errors.Conflict, match="nothing left to export: all 21 rows were excluded"):
        exports.export(store, PROJECT, version.id, "sft", tmp_path / "b")
    with pytest.raises(errors.NotFound, match="none may be used for training"):
        datasets.build(store, PROJECT, "math", CONFIG)


def test_dpo_and_preference_name_the_same_thing(store, capture, tmp_path):
    seed(capture)
    version = datasets.build(store, PROJECT, "math", {**CONFIG, "kinds": ["dpo"]})
    assert version.config["kinds"] == ["preference"] and set(version.counts) == {"preference"}
    result = exports.export(store, PROJECT, version.id, "preference", tmp_path / "p")
    assert result.target == "dpo" and result.rows == {"train": 15}


def test_every_export_kind_is_right_against_the_simulators_truth(database_url, tmp_path, monkeypatch):
    """The simulator knows which answers are right. At its default population (5% adversarial,
    10% habitual raters) at least 98% of SFT completions, DPO pairs (chosen right and rejected
    wrong) and KTO labels must be right; the naive rule (every thumbs-up and every edit) is not."""
    import re

    from flyloop import Flywheel, Store
    from flyloop.cli.demo import accuracy
    from flyloop.testing import Simulation

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    fix_keys(store, "sim")  # the same users held out on every run
    store.close()
    fw = Flywheel(settings=Settings(database_url=database_url, home=str(tmp_path / "home"), project="sim"))
    try:
        truth = Simulation(fw, users=200, seed=7).run(3000)  # the demo's population
        assert fw.flush(timeout=60)
    finally:
        fw.close()

    def right(text, interaction_id):
        numbers = re.findall(r"-?\d+", text or "")
        return bool(numbers) and numbers[-1] == re.findall(r"-?\d+", truth.answer[interaction_id])[-1]

    store = Store(database_url)
    version = datasets.build(store, "sim", "sim", {"balance": {"keys": ["plan"]}})
    scores = accuracy(store, "sim", version.id, right)
    store.close()
    for kind in ("sft", "preference", "kto"):
        hits, total = scores["curated"][kind]
        naive_hits, naive_total = scores["naive"][kind]
        assert total >= 50 and hits / total >= 0.98, (kind, hits, total)
        assert naive_hits / naive_total < 0.9, (kind, naive_hits, naive_total)
