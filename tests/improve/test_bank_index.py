"""Serving a bank (flyloop.improve.bank_index): which examples come back for a query, the selectors
and the budget on a real bank, queries as text, messages or vectors, loading from what is on disk
(or rebuilding what is not), and removals made by another process reaching a loaded bank."""

from __future__ import annotations

import importlib.util
import shutil
import time

import numpy as np
import pytest
import sqlalchemy as sa
from test_bank import (
    SUPPORT,
    example,
    fresh_banks,  # noqa: F401  (the autouse fixture)
    stored_dataset,
)

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.improve import ann, choose_default, selectors
from flyloop.improve import bank_index as mod
from flyloop.improve.bank import LOADED, build_bank, folder
from flyloop.improve.bank_index import load_bank
from flyloop.store import schema

P = "acme"


@pytest.fixture
def bank(store, settings):
    declare_workload(store, P, "support")
    stored_dataset(store, [example(i, text, f"Answer {i}.") for i, text in enumerate(SUPPORT)])
    return build_bank(store, P, "support", embedder="hashing", settings=settings)


def ids(examples) -> list[str]:
    return [ex.id for ex in examples]


def test_search_returns_the_nearest_examples_with_their_fields(store, settings, bank):
    index = load_bank(store, P, bank.id, settings)
    assert load_bank(store, P, bank.id, settings) is index and len(index) == 12  # cached per process
    found = index.search("How can I reset the password?", 3)
    assert ids(found)[0] == "ex000"
    first = found[0]
    assert (first.interaction_id, first.input, first.output, first.label, first.quality) == (
        "it0",
        "How do I reset my password?",
        "Answer 0.",
        None,
        0.9,
    )
    assert 0.5 < first.score < 1.0 and found[0].score >= found[1].score >= found[2].score
    assert ids(index.search("Do you ship to Canada?", 1)) == ["ex010"]
    assert ids(index.search("my invoice was charged twice", 1)) == ["ex001"]
    # exclude by example or by interaction id (the interaction being evaluated is never its own example)
    assert ids(index.search("Do you ship to Canada?", 1, exclude=["ex010"]))[0] != "ex010"
    assert "ex010" not in ids(index.search("Do you ship to Canada?", 12, exclude=["it10"]))
    assert index.search("anything", 0) == []
    assert len(index.search("anything", 50)) == 12


def test_queries_as_messages_or_vectors_and_bad_queries(store, settings, bank):
    index = load_bank(store, P, bank.id, settings)
    by_text = ids(index.search("Where is my order?", 4))
    messages = [{"role": "user", "content": "Where is my order?"}]
    assert ids(index.search(messages, 4)) == by_text
    vector = index.embed("Where is my order?")
    assert ids(index.search(vector, 4)) == by_text
    with pytest.raises(errors.ValidationError) as info:
        index.search(np.ones(7, dtype=np.float32), 3)
    assert info.value.field == "query" and "7 dimensions for a bank of 384" in str(info.value)
    with pytest.raises(errors.ValidationError) as info:
        index.search(42, 3)
    assert info.value.field == "query"
    for bad in (-1, 2.5):
        with pytest.raises(errors.ValidationError) as info:
            index.search("x", bad)
        assert info.value.field == "k"
    with pytest.raises(errors.ValidationError) as info:
        index.search("x", 3, selector="random")
    assert info.value.field == "selector"


def test_mmr_and_the_token_budget_on_a_bank(store, settings):
    declare_workload(store, P, "support")
    texts = [
        "reset my password",
        "reset my password now",
        "reset my password today",
        "change my password",
        "Where is my order?",
        "Cancel my subscription",
    ]
    stored_dataset(store, [example(i, t, "x" * 20) for i, t in enumerate(texts)])
    bank = build_bank(store, P, "support", embedder="hashing", min_examples=3, settings=settings)
    index = load_bank(store, P, bank.id, settings)
    plain = ids(index.search("reset my password please", 3))
    diverse = ids(index.search("reset my password please", 3, selector="mmr", lambda_=0.4))
    assert plain == ["ex000", "ex002", "ex001"]  # three near copies (cosines 0.865, 0.811, 0.784)
    # MMR keeps the nearest and trades the copies for the two examples least like it (each choice
    # wins by 0.014 or more)
    assert diverse == ["ex000", "ex004", "ex005"]
    # A query that repeats a bank text ties every other example at lambda 0.5 (its relevance row
    # is that text's similarity row): a tie goes to the nearer, whatever the float rounding
    tied = ids(index.search("reset my password", 3, selector="mmr", lambda_=0.5))
    assert tied == ["ex000", "ex001", "ex002"]
    # "reset my password" + 20 characters of output: 37 characters, 10 rough tokens each (about)
    costs = [selectors.rough_tokens(ex.input + ex.output) for ex in index.search("reset my password", 3)]
    assert costs == [10, 11, 11]
    assert len(index.search("reset my password", 3, token_budget=21)) == 2
    assert len(index.search("reset my password", 3, token_budget=9)) == 0


def test_balanced_shows_several_labels(store, settings):
    declare_workload(store, P, "triage", type="choice", labels=["billing", "bug"])
    texts = [
        ("refund for a double charge", "billing"),
        ("refund for a double charge please", "billing"),
        ("refund for a double charge today", "billing"),
        ("refund for a crash", "bug"),
        ("the app shows a crash", "bug"),
    ]
    stored_dataset(store, [example(i, t, label, workload="triage") for i, (t, label) in enumerate(texts)])
    bank = build_bank(store, P, "triage", embedder="hashing", min_examples=5, settings=settings)
    index = load_bank(store, P, bank.id, settings)
    assert [ex.label for ex in index.search("refund for a double charge", 2)] == ["billing", "billing"]
    assert [ex.label for ex in index.search("refund for a double charge", 2, selector="balanced")] == ["billing", "bug"]
    assert [ex.label for ex in index.search("refund for a double charge", 4, selector="balanced")] == [
        "billing",
        "bug",
        "billing",
        "bug",
    ]


def test_loading_rebuilds_what_is_missing_on_disk(store, settings, bank):
    where = folder(settings, P, bank.id)
    want = ids(load_bank(store, P, bank.id, settings).search("Where is my order?", 5))
    kind = bank.manifest["index"]["kind"]
    name = ann.index_file(kind)
    LOADED.clear()
    if name is not None:
        (where / name).unlink()
        assert ids(load_bank(store, P, bank.id, settings).search("Where is my order?", 5)) == want
        assert (where / name).is_file()  # rebuilt and saved
    LOADED.clear()
    shutil.rmtree(where)  # another machine's home: the stored inputs are embedded again
    again = load_bank(store, P, bank.id, settings)
    assert ids(again.search("Where is my order?", 5)) == want
    assert np.load(where / "vectors.npy").shape == (12, 384)


def test_a_removal_by_another_process_reaches_a_loaded_bank(store, settings, bank, monkeypatch):
    index = load_bank(store, P, bank.id, settings)
    assert ids(index.search("Do you ship to Canada?", 1)) == ["ex010"]
    # what another process's erasure leaves in the store: the row emptied, the count raised
    e, b = schema.bank_examples, schema.banks
    with store.write() as conn:
        conn.execute(
            sa.update(e)
            .where(e.c.bank_id == bank.id, e.c.position == 10)
            .values(removed_at=time.time(), input=None, output=None)
        )
        conn.execute(sa.update(b).where(b.c.id == bank.id).values(removed=1))
    # within REFRESH_S the loaded bank may still serve it; after, never
    monkeypatch.setattr(mod, "REFRESH_S", 0.0)
    assert "ex010" not in ids(index.search("Do you ship to Canada?", 12))
    assert len(index) == 11 and len(index.search("Do you ship to Canada?", 50)) == 11


@pytest.mark.skipif(
    choose_default()[0] != "minilm-int8" or importlib.util.find_spec("faiss") is None,
    reason=f"minilm-int8 or faiss cannot load here: {choose_default()[1]}",
)
def test_minilm_finds_paraphrases(store, settings):
    declare_workload(store, P, "support")
    stored_dataset(store, [example(i, text, f"Answer {i}.") for i, text in enumerate(SUPPORT)])
    bank = build_bank(store, P, "support", embedder="minilm-int8", settings=settings)
    assert bank.manifest["index"]["kind"] == ann.FAISS and bank.dimension == 384
    index = load_bank(store, P, bank.id, settings)
    # no word in common with the example it should find
    assert ids(index.search("I forgot my login credentials", 2)) == ["ex000", "ex008"]
    assert ids(index.search("Please terminate my membership", 1)) == ["ex002"]
    assert ids(index.search("The application keeps crashing on launch", 1)) == ["ex003"]


def test_a_bank_stored_again_is_loaded_again(store, settings, bank, monkeypatch):
    index = load_bank(store, P, bank.id, settings)
    with store.write() as conn:  # the project emptied, then the same bank built anew
        conn.execute(sa.delete(schema.bank_examples).where(schema.bank_examples.c.bank_id == bank.id))
        conn.execute(sa.delete(schema.banks).where(schema.banks.c.id == bank.id))
    monkeypatch.setattr(mod, "REFRESH_S", 0.0)
    assert index.search("Where is my order?", 3) == [] and index.stale
    again = build_bank(store, P, "support", embedder="hashing", settings=settings)
    assert again.id == bank.id and again.created_at > bank.created_at
    fresh = load_bank(store, P, bank.id, settings)
    assert fresh is not index and ids(fresh.search("Where is my order?", 1)) == ["ex004"]
