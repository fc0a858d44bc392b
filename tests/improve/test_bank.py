"""Building few-shot banks (flyloop.improve.bank): what is kept and dropped and why, the id, the
files, not enough data, and erasure reaching every bank, on both stores."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa

from flyloop import datasets, errors
from flyloop.capture import declare_workload
from flyloop.improve import ann
from flyloop.improve.bank import LOADED, build_bank, folder, get_bank, list_banks, normalised
from flyloop.improve.bank_index import load_bank
from flyloop.privacy import erase_user, pseudonym
from flyloop.privacy.derived import remove_content
from flyloop.privacy.erasure import remaining_traces
from flyloop.store import schema

P = "acme"


def _shared_conftest() -> Any:
    """tests/conftest.py: ``from conftest import`` finds tests/improve/conftest.py (the model
    fixtures) first from this folder, so the top one is loaded by its path."""
    spec = importlib.util.spec_from_file_location("flyloop_tests_conftest", Path(__file__).parents[1] / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dump, seed = _shared_conftest().dump, _shared_conftest().seed

SUPPORT = [
    "How do I reset my password?",
    "My invoice was charged twice this month",
    "Cancel my subscription please",
    "The app crashes when I open it",
    "Where is my order?",
    "Can I change my shipping address?",
    "How do I export my data to a spreadsheet?",
    "What is your refund policy?",
    "I cannot log in to my account",
    "The page loads very slowly",
    "Do you ship to Canada?",
    "How do I add a second user to my plan?",
]


def example(
    i: int,
    text: Any,
    output: str | None,
    *,
    workload: str = "support",
    quality: float = 0.9,
    user: str | None = None,
    split: str = "train",
    kind: str = "sft",
) -> dict[str, Any]:
    return {
        "id": f"ex{i:03d}",
        "kind": kind,
        "split": split,
        "workload": workload,
        "interaction_id": f"it{i}",
        "interaction_ids": [f"it{i}"],
        "user_id": user or f"user{i % 4}",
        "prompt": text,
        "completion": output,
        "chosen": None,
        "rejected": None,
        "label": None,
        "weight": 1.0,
        "quality": quality,
        "source": "good",
        "segment": "",
        "signal_ids": [],
        "ts": 1000.0 + i,
    }


def stored_dataset(
    store,
    examples: list[dict[str, Any]],
    version: str = "d" * 64,
    *,
    created_at: float = 1.0,
    tainted: bool = False,
    project: str = P,
) -> str:
    """A dataset version holding ``examples``, as curation stores them."""
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.dataset_versions).values(
                project_id=project,
                id=version,
                name="v",
                parent_id=None,
                created_at=created_at,
                code_version="test",
                config={},
                manifest={},
                counts={},
                tainted_at=time.time() if tainted else None,
            )
        )
        if examples:
            conn.execute(
                sa.insert(schema.dataset_examples),
                [{"project_id": project, "dataset_id": version, **e} for e in examples],
            )
    return version


@pytest.fixture(autouse=True)
def fresh_banks():
    """Banks loaded by an earlier test are not this test's: on PostgreSQL the store object is
    shared by the whole session (emptied between tests), and the same content gives the same id."""
    LOADED.clear()
    yield
    LOADED.clear()


def support_examples() -> list[dict[str, Any]]:
    return [example(i, text, f"Answer {i}.") for i, text in enumerate(SUPPORT)]


@pytest.fixture
def support(store):
    declare_workload(store, P, "support")
    return stored_dataset(store, support_examples())


def test_build_keeps_the_good_examples_and_counts_every_drop(store, settings, support):
    extra = [
        example(20, "how do I  reset my password", "Answer 20."),  # the same question as ex000, normalised
        example(21, "Is there a mobile app?", "Answer 21.", quality=0.3),  # below min_quality
        example(22, "Is there a desktop app?", None),  # no output
        example(23, "Is there an API?", "Answer 23.", split="eval"),  # not training data
        example(24, "What is 2 + 2?", "4", workload="math"),  # another workload
        example(25, "Is there a dark mode?", "Answer 25.", kind="kto"),  # another kind
    ]
    with store.write() as conn:
        conn.execute(sa.insert(schema.dataset_examples), [{"project_id": P, "dataset_id": support, **e} for e in extra])
    bank = build_bank(store, P, "support", embedder="hashing", settings=settings)
    assert bank.id.startswith("bk_") and len(bank.id) == 19
    assert (bank.workload, bank.dataset_version, bank.embedder, bank.dimension) == ("support", support, "hashing", 384)
    assert (bank.size, bank.removed, bank.live) == (12, 0, 12)
    m = bank.manifest
    assert m["counts"] == {
        "candidates": 15,
        "dropped": {"below_min_quality": 1, "duplicate_input": 1, "no_output": 1},
        "kept": 12,
    }
    assert m["embedder"] == {"name": "hashing", "dimension": 384} and m["embedded"] == 12
    assert m["rules"] == {
        "kind": "sft",
        "splits": ["train"],
        "min_quality": 0.5,
        "dedup": "normalised input",
        "labels": None,
    }
    assert m["index"]["kind"] == ann.default_kind()[0] and m["build_seconds"] > 0
    with store.read() as conn:
        rows = conn.execute(
            sa.select(schema.bank_examples.c.position, schema.bank_examples.c.example_id, schema.bank_examples.c.input)
            .where(schema.bank_examples.c.bank_id == bank.id)
            .order_by(schema.bank_examples.c.position)
        ).all()
    # equal quality: by example id; the duplicate ex020 lost to ex000
    assert [r.example_id for r in rows] == [f"ex{i:03d}" for i in range(12)]
    assert rows[0].input == "How do I reset my password?"
    files = folder(settings, P, bank.id)
    assert np.load(files / "vectors.npy").shape == (12, 384)
    assert sorted(p.name for p in files.iterdir()) == sorted(
        ["vectors.npy"] + ([ann.index_file(m["index"]["kind"])] if ann.index_file(m["index"]["kind"]) else [])
    )


def test_building_the_same_bank_again_returns_it_and_embeds_nothing(store, settings, support):
    first = build_bank(store, P, "support", embedder="hashing", settings=settings)
    again = build_bank(store, P, "support", embedder="hashing", settings=settings)
    assert again == first and [b.id for b in list_banks(store, P)] == [first.id]
    stricter = build_bank(store, P, "support", embedder="hashing", min_quality=0.8, settings=settings)
    assert stricter.id != first.id  # the rules are part of the id
    assert [b.id for b in list_banks(store, P, "support")] == sorted(
        [first.id, stricter.id], key=lambda i: -get_bank(store, P, i).created_at
    )
    assert list_banks(store, P, "other") == []
    with pytest.raises(errors.NotFound) as info:
        get_bank(store, P, "bk_0000000000000000")
    assert info.value.field == "bank"


def test_too_few_examples_is_not_enough_data_n_of_m(store, settings):
    declare_workload(store, P, "support")
    with pytest.raises(errors.NotEnoughData) as info:
        build_bank(store, P, "support", embedder="hashing", settings=settings)
    assert str(info.value).startswith("dataset: not enough data: 0 of 10")
    assert info.value.details == {"have": 0, "need": 10} and info.value.status_code == 409
    stored_dataset(store, support_examples()[:3])
    with pytest.raises(errors.NotEnoughData) as info:
        build_bank(store, P, "support", embedder="hashing", settings=settings)
    assert info.value.message == "not enough data: 3 of 10" and info.value.details == {"have": 3, "need": 10}
    assert build_bank(store, P, "support", embedder="hashing", min_examples=3, settings=settings).size == 3
    with pytest.raises(errors.ValidationError) as bad:
        build_bank(store, P, "support", min_examples=0, settings=settings)
    assert bad.value.field == "min_examples"


def test_the_newest_untainted_version_is_the_default(store, settings):
    declare_workload(store, P, "support")
    old = stored_dataset(store, support_examples()[:10], "a" * 64, created_at=1.0)
    stored_dataset(store, support_examples(), "b" * 64, created_at=3.0, tainted=True)
    stored_dataset(store, [example(40, "What is 2 + 2?", "4", workload="math")], "c" * 64, created_at=5.0)
    assert build_bank(store, P, "support", embedder="hashing", settings=settings).dataset_version == old
    named = build_bank(store, P, "support", dataset="b" * 64, embedder="hashing", settings=settings)
    assert named.dataset_version == "b" * 64 and named.size == 12
    with pytest.raises(errors.NotFound):
        build_bank(store, P, "support", dataset="nope", embedder="hashing", settings=settings)


def test_a_choice_workload_keeps_only_outputs_in_its_label_set(store, settings):
    declare_workload(store, P, "triage", type="choice", labels=["billing", "bug", "account"])
    outputs = ["billing", "bug", "account", "bug", "refunds", "billing", "Bug", "account", "bug", "billing", "bug"]
    stored_dataset(store, [example(i, SUPPORT[i], out, workload="triage") for i, out in enumerate(outputs)])
    bank = build_bank(store, P, "triage", embedder="hashing", min_examples=5, settings=settings)
    assert bank.manifest["counts"]["dropped"] == {"outside_label_set": 2}
    assert bank.manifest["labels"] == {"account": 2, "billing": 3, "bug": 4}
    assert bank.manifest["rules"]["labels"] == ["billing", "bug", "account"]
    index = load_bank(store, P, bank.id, settings)
    assert [ex.label for ex in index.search("The app crashes when I open it", 1)] == ["bug"]


def test_normalised_inputs():
    assert normalised("How do I  reset my PASSWORD?") == normalised("how do i reset my password")
    assert normalised("Ｆｕｌｌ width.") == "full width"


# --- erasure -----------------------------------------------------------------------------------------


def test_erasure_removes_the_user_from_every_bank_and_each_bank_says_so(store, capture, settings):
    """The real path: interactions and signals captured, labelled, curated into a dataset, two
    banks built from it; erasing a user takes their examples out of both, the loaded index stops
    serving them, no row or file keeps their words, and the erasure reports it."""
    seed(capture)
    version = datasets.build(store, P, "math", {"balance": {"keys": ["plan"]}})
    first = build_bank(store, P, "math", dataset=version.id, embedder="hashing", min_examples=5, settings=settings)
    second = build_bank(
        store,
        P,
        "math",
        dataset=version.id,
        embedder="hashing",
        min_examples=5,
        min_quality=0.0,
        index=ann.EXACT,
        settings=settings,
    )
    assert first.id != second.id
    stored = pseudonym(store, P, "user3")
    with store.read() as conn:
        theirs = conn.execute(
            sa.select(schema.bank_examples.c.position, schema.bank_examples.c.input).where(
                schema.bank_examples.c.bank_id == first.id, schema.bank_examples.c.user_id == stored
            )
        ).all()
    assert sorted(r.input for r in theirs) == ["What is 3 + 10?", "What is 3 + 20?", "What is 3 + 30?"]
    loaded = load_bank(store, P, first.id, settings)
    assert [ex.input for ex in loaded.search("What is 3 + 10?", 1)] == ["What is 3 + 10?"]

    report = erase_user(store, P, "user3", settings=settings)
    assert report["banks"] == {first.id: 3, second.id: 3} and report["verified"] is True
    assert (get_bank(store, P, first.id).removed, get_bank(store, P, second.id).removed) == (3, 3)
    served = [ex.input for ex in loaded.search("What is 3 + 10?", 30)]
    assert "What is 3 + 10?" not in served and "What is 3 + 20?" not in served and len(served) == first.size - 3
    text = dump(store)
    assert stored not in text and "What is 3 + 10?" not in text and "The answer is 13." not in text
    assert remaining_traces(store, P, "user3", ["g3", "c3", "r3", "r3b"]) == []
    vectors = np.load(folder(settings, P, first.id) / "vectors.npy")
    assert not vectors[[r.position for r in theirs]].any() and vectors.any(axis=1).sum() == first.size - 3
    # erasing again finds nothing more
    assert erase_user(store, P, "user3", settings=settings).get("banks", {}) == {}


def test_removed_content_leaves_the_banks(store, settings, support):
    bank = build_bank(store, P, "support", embedder="hashing", settings=settings)
    loaded = load_bank(store, P, bank.id, settings)
    remove_content(store, P, ["it0", "it5"], "retention")
    assert get_bank(store, P, bank.id).removed == 2
    assert {"ex000", "ex005"}.isdisjoint(ex.id for ex in loaded.search("How do I reset my password?", 12))
    with store.read() as conn:
        rows = conn.execute(
            sa.select(schema.bank_examples).where(schema.bank_examples.c.interaction_id.in_(["it0", "it5"]))
        ).all()
    # the words go; the user and interaction were not erased and stay
    assert [(r.input, r.output, r.user_id, r.removed_at is not None) for r in rows] == [
        (None, None, "user0", True),
        (None, None, "user1", True),
    ]


@pytest.mark.skipif(importlib.util.find_spec("faiss") is None, reason="faiss is not installed (embed extra)")
def test_erasure_rewrites_the_index_file(store, settings, support):
    from flyloop.improve.bank import on_erase

    bank = build_bank(store, P, "support", embedder="hashing", settings=settings)
    on_erase(store, P, None, ["it3"])
    saved = ann.FaissIndex.load(folder(settings, P, bank.id) / "index.faiss", {})
    assert len(saved) == 11 and 3 not in saved.search(np.load(folder(settings, P, bank.id) / "vectors.npy")[0], 12)[0]
