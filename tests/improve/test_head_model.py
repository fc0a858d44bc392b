"""A head as data (flyloop.improve.head_model): arrays and JSON that load without running code, a
stable softmax, and word features that are scikit-learn's TF-IDF from the stored vocabulary; and
the served head reads its inputs the way it learned them (train/serve parity): the texts it trains
on are stored after the privacy gate's redaction, so it records the project's redaction in its
manifest and redacts what it serves the same way."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_heads import HAM, SPAM, P, spam_project, train

from flyloop import Flywheel, errors, registry
from flyloop.capture import Capture
from flyloop.improve import HeadClassifier, head_model
from flyloop.improve import artifacts as artifacts_module
from flyloop.improve.head_model import (
    ARRAYS,
    PII_FALLBACK,
    STAND_IN_KEY,
    Head,
    is_head_id,
    serving_redactor,
    softmax,
    word_features,
)
from flyloop.privacy import Redactor
from flyloop.privacy import redaction as redaction_module
from flyloop.privacy.pseudonyms import keyed_digest
from flyloop.settings import Settings


def test_loading_a_head_never_runs_code(tmp_path: Path) -> None:
    """An object array (what pickle would restore) is refused, and so is a head whose arrays do not fit."""
    folder = tmp_path / "head"
    head = Head(
        ("a", "b"), ("a", "b"), np.eye(2, 4, dtype=np.float32), np.zeros(2, dtype=np.float32), 1.0, "hashing", 4
    )
    head.save(folder)
    loaded = Head.load(folder)
    assert (loaded.classes, loaded.labels, loaded.temperature, loaded.embedder) == (
        ("a", "b"),
        ("a", "b"),
        1.0,
        "hashing",
    )
    assert np.array_equal(loaded.coef, head.coef) and np.array_equal(loaded.intercept, head.intercept)
    np.savez(folder / ARRAYS, coef=np.array([{"x": 1}], dtype=object), intercept=np.zeros(2))
    with pytest.raises(errors.BackendError) as refused:
        Head.load(folder)
    assert refused.value.field == "model" and "allow_pickle=False" in refused.value.message
    np.savez(folder / ARRAYS, coef=np.zeros((3, 4), dtype=np.float32), intercept=np.zeros(2, dtype=np.float32))
    with pytest.raises(errors.ValidationError) as misfit:
        Head.load(folder)
    assert misfit.value.field == "head" and "needs coef (2, 4)" in misfit.value.message


def test_what_names_a_head_and_a_stable_softmax() -> None:
    assert is_head_id("hd_" + "0" * 16) and not is_head_id("em_" + "0" * 16) and not is_head_id(None)
    assert np.allclose(softmax(np.array([[1000.0, 1000.0]])), [[0.5, 0.5]])


def test_word_features_are_scikit_learns_tfidf_from_the_stored_vocabulary() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [
        "invoice attached for the march order",
        "the invoice for your order is attached",
        "order invoice enclosed",
        "win a free prize now",
        "free prize waiting claim now",
        "claim your free prize",
    ]
    fitted = TfidfVectorizer(sublinear_tf=True, min_df=2).fit(texts)
    terms = list(fitted.get_feature_names_out())
    assert terms == ["attached", "claim", "for", "free", "invoice", "now", "order", "prize", "the", "your"]
    unseen = ["FREE free prize, the invoice", "nothing known here"]
    ours = word_features(unseen, terms, fitted.idf_.astype(np.float32)).toarray()
    assert np.allclose(ours, fitted.transform(unseen).toarray(), atol=1e-6)
    assert np.allclose(np.linalg.norm(ours[0]), 1.0) and (ours[1] == 0).all()  # no known term: zeros


# --- train/serve parity: the served head redacts its inputs as its training texts were ---

DEFAULT_ENTITIES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "IBAN_CODE", "PERSON"]
PEOPLE = [("John Smith", "john.smith"), ("Maria Garcia", "maria.garcia"), ("David Brown", "david.brown")]
# Subject lines that name a person and an address: the gate stores them with <PERSON> and <EMAIL_ADDRESS>.
NAMED = [
    (f"Re: the invoice {name} sent from {user}@corp.example, number {n}", "ham")
    for n in range(6)
    for name, user in PEOPLE
] + [
    (f"{name}, claim your FREE prize now at {user}@win.example ({n})", "spam")
    for n in range(6)
    for name, user in PEOPLE
]
RAW = "Re: the invoice Ada Lovelace sent from ada.lovelace@example.com, number 9"
STORED = "Re: the invoice <PERSON> sent from <EMAIL_ADDRESS>, number 9"


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(head_model, "_warned", set())


def answers(served: HeadClassifier, texts: list[str]) -> list[tuple[str, dict[str, float]]]:
    return [(c.text, c.scores) for c in served.classify_many(texts)]


def trained(capture: Capture, redaction: dict[str, Any]) -> str:
    spam_project(capture, n=200, extra=NAMED, redaction=redaction)
    run = train(capture)
    assert run.status == "succeeded"
    return str(run.outputs["artifact"])


def test_a_head_trained_on_redacted_text_reads_a_raw_input_as_its_redacted_form(capture: Capture) -> None:
    head_id = trained(capture, {"mode": "pattern"})
    assert Redactor("pattern").redact(RAW) == STORED
    manifest = artifacts_module.load_manifest(head_id, capture.settings)
    assert manifest["redaction"] == {"mode": "pattern", "entities": DEFAULT_ENTITIES, "style": "tag", "min_score": 0.0}
    served = HeadClassifier(head_id, capture.settings)
    # It learned the stored texts: the tokens are words of its vocabulary, the names and addresses are not.
    assert {"person", "email_address"} <= set(served.head.terms) and "smith" not in served.head.terms
    assert served.redaction == {"mode": "pattern", "entities": DEFAULT_ENTITIES, "style": "tag", "min_score": 0.0}
    texts = [RAW, "Lunch with Maria Garcia? mail maria@corp.example", SPAM[150]["text"], HAM[150]["text"]]
    stored = [r.text for r in Redactor("pattern").redact_many(texts)]
    assert stored[1] == "Lunch with <PERSON>? mail <EMAIL_ADDRESS>" and stored[2:] == texts[2:]
    assert answers(served, texts) == answers(served, stored)
    assert served.generate([{"role": "user", "content": RAW}]).scores == served.classify(STORED).scores
    # Served through the SDK, as production serves it.
    (candidate,) = [v for v in registry.list_versions(capture.store, P, "spam") if v.model == head_id]
    registry.set_production(capture.store, P, "spam", candidate.id)
    with Flywheel(store=capture.store, project=P, home=capture.settings.home) as fw:
        answer = fw.policy("spam", user_id="ann").generate(RAW)
    assert (answer.text, answer.scores) == answers(served, [STORED])[0]

    # Turned off, the same head reads the input as sent, and its scores move.
    unredacted = HeadClassifier(head_id, Settings(home=capture.settings.home, head_redact_inputs=False))
    assert unredacted.redactor is None and unredacted.redaction is None
    assert unredacted.classify(STORED).scores == served.classify(RAW).scores
    assert unredacted.classify(RAW).scores != served.classify(RAW).scores


def test_a_head_trained_before_the_record_reads_inputs_as_sent(capture: Capture) -> None:
    head_id = trained(capture, {"mode": "pattern"})
    path = artifacts_module.folder_of(head_id, capture.settings) / artifacts_module.MANIFEST
    manifest = json.loads(path.read_text())
    del manifest["redaction"]
    path.write_text(json.dumps(manifest))
    old = HeadClassifier(head_id, capture.settings)
    assert old.redactor is None and old.redaction is None
    new_style = HeadClassifier(head_id, Settings(home=capture.settings.home, head_redact_inputs=False))
    assert answers(old, [RAW, STORED]) == answers(new_style, [RAW, STORED])
    assert old.classify(RAW).scores != old.classify(STORED).scores


def test_a_project_without_redaction_records_it_off_and_serves_as_sent(capture: Capture) -> None:
    head_id = trained(capture, {"mode": "off"})
    manifest = artifacts_module.load_manifest(head_id, capture.settings)
    assert manifest["redaction"] == {"mode": "off", "entities": DEFAULT_ENTITIES, "style": "tag", "min_score": 0.0}
    assert HeadClassifier(head_id, capture.settings).redactor is None


def test_hash_style_is_recorded_without_the_key_and_served_with_a_stand_in(capture: Capture) -> None:
    head_id = trained(capture, {"mode": "pattern", "style": "hash", "entities": ["EMAIL_ADDRESS"]})
    folder = artifacts_module.folder_of(head_id, capture.settings)
    manifest = artifacts_module.load_manifest(head_id, capture.settings)
    assert manifest["redaction"] == {
        "mode": "pattern",
        "entities": ["EMAIL_ADDRESS"],
        "style": "hash",
        "min_score": 0.0,
    }
    from flyloop.privacy import current_secret

    key = current_secret(capture.store, P, "redaction")[1]
    for file in folder.iterdir():
        assert key.hex().encode() not in file.read_bytes() and key not in file.read_bytes()
    served = HeadClassifier(head_id, capture.settings)
    assert served.redaction == {
        "mode": "pattern",
        "entities": ["EMAIL_ADDRESS"],
        "style": "hash",
        "min_score": 0.0,
        "key": "stand-in",
    }
    digest = keyed_digest(STAND_IN_KEY, "EMAIL_ADDRESS:ada.lovelace@example.com")[:12]
    assert served.redactor is not None
    assert served.redactor.redact(RAW) == f"Re: the invoice Ada Lovelace sent from <EMAIL_ADDRESS:{digest}>, number 9"
    plain = HeadClassifier(head_id, Settings(home=capture.settings.home, head_redact_inputs=False))
    assert served.classify(RAW).scores == plain.classify(served.redactor.redact(RAW)).scores


def test_a_ner_head_served_without_spacy_falls_back_to_pattern_mode_with_one_warning(
    capture: Capture, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    head_id = trained(capture, {"mode": "ner"})
    assert artifacts_module.load_manifest(head_id, capture.settings)["redaction"]["mode"] == "ner"
    with_spacy = HeadClassifier(head_id, capture.settings)
    assert with_spacy.redaction is not None and with_spacy.redaction["mode"] == "ner"
    # Where the pii extra is not installed: spaCy cannot be imported.
    monkeypatch.setitem(sys.modules, "spacy", None)
    redaction_module._spacy.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="flyloop.improve.head_model"):
            served = HeadClassifier(head_id, capture.settings)
            again = HeadClassifier(head_id, capture.settings)
            answered = answers(served, [RAW])
        assert [r.getMessage() for r in caplog.records] == [PII_FALLBACK.format(model=head_id)]
        assert "pip install 'flyloop[pii]'" in caplog.records[0].getMessage()
        assert (
            served.redaction
            == again.redaction
            == {
                "mode": "pattern",
                "entities": DEFAULT_ENTITIES,
                "style": "tag",
                "min_score": 0.0,
            }
        )
        plain = HeadClassifier(head_id, Settings(home=capture.settings.home, head_redact_inputs=False))
        assert answered == answers(plain, [STORED])
    finally:
        redaction_module._spacy.cache_clear()


def test_a_malformed_record_is_refused_naming_its_field() -> None:
    with pytest.raises(errors.ValidationError) as refused:
        serving_redactor({"mode": "pattern"}, Settings(), "hd_0123456789abcdef")
    assert refused.value.field == "redaction" and "hd_0123456789abcdef" in refused.value.message
    assert serving_redactor(None, Settings()) == (None, None)
