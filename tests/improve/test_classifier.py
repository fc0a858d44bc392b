"""The classifier backend: a kNN vote over a choice workload's bank, on real labelled text
(SpamAssassin subject lines, ham or spam: tests/improve/data/spam_subjects.jsonl, built by
``python bench/policy_corpus.py subjects``), through the backends' registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_bank import (
    example,
    fresh_banks,  # noqa: F401  (the autouse fixture)
    stored_dataset,
)

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.improve import (
    Classification,
    backend,
    backend_names,
    build_bank,
    check_loadable,
    choose_default,
    classifier_for,
    embedder,
    load_bank,
)
from flyloop.registry import PolicySpec

P = "acme"
SUBJECTS = [
    json.loads(line) for line in (Path(__file__).parent / "data" / "spam_subjects.jsonl").read_text().splitlines()
]
TEST = SUBJECTS[::4]  # a quarter held out; the bank holds the rest
TRAIN = [row for i, row in enumerate(SUBJECTS) if i % 4]


def spam_bank(store, settings, embedder):
    declare_workload(store, P, "spam", type="choice", labels=["ham", "spam"])
    examples = [example(i, row["text"], row["label"], workload="spam") for i, row in enumerate(TRAIN)]
    stored_dataset(store, examples, "5" * 64)
    bank = build_bank(store, P, "spam", embedder=embedder, settings=settings)
    return load_bank(store, P, bank.id, settings)


def accuracy(classifier, rows) -> float:
    return sum(classifier.classify(row["text"]).text == row["label"] for row in rows) / len(rows)


def test_the_fixture_is_real_and_balanced():
    assert len(SUBJECTS) == 1400 and {r["label"] for r in SUBJECTS} == {"ham", "spam"}
    assert sum(r["label"] == "spam" for r in SUBJECTS) == 700
    assert len({r["text"] for r in SUBJECTS}) == 1400


def test_classifier_votes_over_the_bank(store, settings):
    index = spam_bank(store, settings, "hashing")
    assert "classifier" in backend_names()
    classifier = classifier_for(index, k=10)
    assert classifier_for(index, k=10) is classifier  # cached like every backend
    answer = classifier.classify(TEST[0]["text"])
    assert isinstance(answer, Classification) and answer.model == f"knn:{index.id}"
    assert set(answer.scores) == {"ham", "spam"} and sum(answer.scores.values()) == pytest.approx(1.0, abs=1e-5)
    assert answer.text == max(answer.scores, key=answer.scores.__getitem__) and len(answer.neighbours) == 10
    assert (answer.tokens_in, answer.tokens_out, answer.finish_reason) == (0, 0, "stop")
    # through the Backend Protocol: the last user turn is classified
    messages = [
        {"role": "system", "content": "Label the mail."},
        {"role": "user", "content": "ignored: an earlier turn"},
        {"role": "user", "content": TEST[0]["text"]},
    ]
    assert classifier.generate(messages).text == answer.text
    assert [g.text for g in classifier.generate_batch([messages, messages])] == [answer.text] * 2
    # the hashing embedder sees shared words and list tags, not meaning: 0.78 measured
    assert accuracy(classifier, TEST) >= 0.75


@pytest.mark.skipif(choose_default()[0] != "minilm-int8", reason=f"minilm-int8 cannot load here: {choose_default()[1]}")
def test_classifier_with_minilm(store, settings):
    # 0.854 measured on the 350 held-out subjects (k=10; a subject line alone is a hard call)
    # the vectors persist in the checkout's pytest cache: the second run of the suite (PostgreSQL)
    # and later runs embed nothing
    cached = embedder("minilm-int8", home=Path(__file__).resolve().parents[2] / ".pytest_cache" / "flyloop-embeddings")
    classifier = classifier_for(spam_bank(store, settings, cached), k=10)
    vectors = cached.embed([row["text"] for row in TEST])  # one batch, cached, instead of 350 single queries
    right = sum(classifier.classify(v).text == row["label"] for v, row in zip(vectors, TEST, strict=True))
    assert right / len(TEST) >= 0.83


def test_what_the_classifier_refuses(store, settings):
    declare_workload(store, P, "support")
    stored_dataset(store, [example(i, f"question {i}", f"answer {i}") for i in range(12)])
    generation = load_bank(
        store, P, build_bank(store, P, "support", embedder="hashing", settings=settings).id, settings
    )
    with pytest.raises(errors.ConfigError) as info:
        classifier_for(generation)
    assert info.value.field == "bank" and "choice workload's bank" in str(info.value)
    with pytest.raises(errors.ConfigError) as info:
        backend("classifier")
    assert info.value.field == "bank"
    with pytest.raises(errors.ValidationError) as bad:
        check_loadable(PolicySpec(workload="spam", backend="classifier", model="gpt-4o"))
    assert bad.value.field == "model"
    check_loadable(PolicySpec(workload="spam", backend="classifier", bank="bk_0123456789abcdef"))
    choice = classifier_for(spam_bank(store, settings, "hashing"))
    with pytest.raises(errors.ValidationError) as bad:
        choice.generate([{"role": "system", "content": "no user turn"}])
    assert bad.value.field == "messages"
