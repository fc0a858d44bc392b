"""The labelled PII sets behind bench/bench_redaction.py (bench/pii_sets.py, bench/pii_heldout3.py):
every labelled value is what its label says (cards pass Luhn, IBANs mod-97, SSNs have nine digits,
phone numbers from the library's metadata are valid), the parts are built the same way each time,
and no part's locales feed the name list. Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
pytest.importorskip("mimesis")
pytest.importorskip("phonenumbers")

from bench import pii_heldout3, pii_sets
from bench.pii_makers import invalid_labels, part_labels

from flyloop.privacy.pii_numbers import luhn


@pytest.fixture(scope="module")
def heldout3() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout3", 300, 50)


def _values(items: list[pii_sets.Item], kind: str) -> list[str]:
    return [text[s:e] for text, spans in items for t, s, e in spans if t == kind]


def test_heldout3_labels_hold_what_they_say(heldout3):
    labelled = heldout3["generated"] + heldout3["hand"]
    cards = [re.sub(r"[ -]", "", v) for v in _values(labelled, "CREDIT_CARD")]
    assert cards and all(12 <= len(c) <= 19 and c.isdigit() and luhn(c) for c in cards)
    ibans = [v.replace(" ", "") for v in _values(labelled, "IBAN_CODE")]
    assert ibans and all(pii_sets._iban_checks(v) for v in ibans)
    ssns = [re.sub(r"[ .-]", "", v) for v in _values(labelled, "US_SSN")]
    assert ssns and all(len(v) == 9 and v.isdigit() for v in ssns)
    assert all("@" in v for v in _values(labelled, "EMAIL_ADDRESS"))
    assert all(v.strip() == v and v for v in _values(labelled, "PERSON"))  # no stray spaces in a label


def test_heldout3_is_the_same_each_time(heldout3):
    again = pii_sets.build("heldout3", 300, 50)
    assert again == heldout3
    assert len(heldout3["negative"]) == 50 + 11  # and the 11 hand-written negatives
    assert all(spans == [] for _, spans in heldout3["negative"])


def test_no_held_out_locale_feeds_the_name_list():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import build_pii_names

    faker, mimesis = build_pii_names._excluded()
    assert set(pii_heldout3.HELDOUT3_FAKER_LOCALES) <= faker
    assert set(pii_heldout3.HELDOUT3_MIMESIS_LOCALES) <= mimesis
    assert set(pii_sets.HELDOUT_FAKER_LOCALES) | set(pii_sets.HELDOUT2_FAKER_LOCALES) <= faker


def test_invalid_labels_names_each_label_that_breaks_its_rule():
    values = {
        "PHONE_NUMBER": ["+44 20 7946 0958", "+44 20 7946 095"],
        "IP_ADDRESS": ["10.0.0.7", "10.0.0.999"],
        "CREDIT_CARD": ["4111 1111 1111 1111", "4111 1111 1111 1112"],
        "IBAN_CODE": ["GB82 WEST 1234 5698 7654 32", "GB83 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00"],
    }
    text, spans = "", []
    for kind, items in values.items():
        for value in items:
            spans.append((kind, len(text), len(text) + len(value)))
            text += value + "; "
    part = {"generated": [(text, spans)], "hand": []}
    assert part_labels(part, "IP_ADDRESS") == ["10.0.0.7", "10.0.0.999"]
    assert invalid_labels(part, ("GB",), ("GB",), card_digits=(12, 19)) == [
        "phone +44 20 7946 095",
        "ip 10.0.0.999",
        "card 4111 1111 1111 1112",
        "iban GB83WEST12345698765432",
        "iban DE89370400440532013000",
    ]


def test_prose_leaves_out_the_redaction_reports_section(tmp_path, monkeypatch):
    # the section quotes the held-out parts' names: read as prose, the figure grew with the report
    (tmp_path / "README.md").write_text("A plain sentence.\n", encoding="utf-8")
    (tmp_path / "BENCHMARKS.md").write_text(
        "Before it.\n<!-- bench:redaction -->\nQuoted: Ana Lima and Wan Chai.\n<!-- /bench:redaction -->\nAfter it.\n",
        encoding="utf-8",
    )
    (tmp_path / "src" / "flyloop").mkdir(parents=True)
    monkeypatch.setattr(pii_sets, "ROOT", tmp_path)
    monkeypatch.setattr(pii_sets, "SEEDS", tmp_path / "no-seeds")
    assert pii_sets.prose() == ["A plain sentence.", "Before it.", "After it."]
