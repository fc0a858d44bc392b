"""HELDOUT16 (bench/pii_heldout16.py): its names come from az-data-generator's lists (Azerbaijani) and
baraqda-lib's registries (Polish PESEL names, German lists), sources no earlier part used; labels are whole
values, every phone, IP, card and IBAN label is valid by its own rules (its cards of many brands pass Luhn), the
part is the same each time, and its negatives hold nothing to find (the card-shaped codes fail Luhn, the
IBAN-shaped batch codes fail mod-97). Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("data_generator", "baraqdalib", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout16, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels  # noqa: E402


@pytest.fixture(scope="module")
def heldout16() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout16", 300, 40)


def _labels(part: dict[str, list[pii_sets.Item]], kind: str, key: str = "generated") -> list[str]:
    return [text[s:e] for text, spans in part[key] for t, s, e in spans if t == kind]


def test_heldout16_sources_are_read_as_expected():
    pools = pii_heldout16._pools()
    assert {k: len(v) for k, v in pools.items()} == {
        "female_names": 282,
        "female_surnames": 137,
        "male_names": 360,
        "male_surnames": 178,
        "PL_female_first_name": 19070,
        "PL_male_first_name": 26570,
        "PL_female_second_name": 8602,
        "PL_male_second_name": 10721,
        "PL_female_surname": 328027,
        "PL_male_surname": 321918,
        "DE_female_first_name": 26562,
        "DE_male_first_name": 27765,
        "DE_female_second_name": 0,
        "DE_male_second_name": 0,
        "DE_female_surname": 16843,
        "DE_male_surname": 16843,
    }
    assert pools["female_names"][:2] == ["Adilə", "Afaq"]
    assert pools["male_surnames"][:2] == ["Hüseynoğlu", "Qasımov"]
    assert pools["PL_female_surname"][:2] == ["NOWAK", "KOWALSKA"]
    assert pools["DE_male_surname"][:2] == ["Müller", "Schmidt"]
    assert "Ömer" in pools["DE_male_first_name"]  # read back from its cp1250 misreading
    assert not any("Ă" in n or n == "null" for k in pools for n in pools[k])


def test_heldout16_templates_choose_the_source():
    values = pii_heldout16.Heldout16Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template, source in (
        ("Salam {PERSON}", "azeri"),
        ("Vətəndaş {PERSON}", "azeri"),
        ("Dzień dobry {PERSON}", "polish"),
        ("Sehr geehrte Frau {PERSON}", "german"),
    ):
        values.rng = random.Random(7)  # the same draws each time: only the source changes
        written.append(getattr(values, source)(template))
    assert written == ["Gülsüm", "Tapdıqlı Gülsüm Xudu qızı", "Tong Siemieniewska", "Feliz Kittel"]


def test_heldout16_names_have_the_sources_forms(heldout16):
    people = _labels(heldout16, "PERSON")
    assert len(people) > 250 and all(p.strip() == p for p in people)
    assert sum("ə" in p.lower() for p in people) >= 40  # Azerbaijani letters
    assert sum(any(c in p.lower() for c in "łńśżźęąć") for p in people) >= 12  # Polish letters
    assert sum(p.split()[-1] in ("oğlu", "qızı") for p in people) >= 5  # patronymics
    assert sum(len(p.split()) >= 3 for p in people) >= 20
    assert sum(len(p.split()) == 1 for p in people) >= 10  # given names alone
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)


def test_heldout16_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout16.local_phone_in(rng)[1] for _ in range(6)] == [
        "+387 66 825 979",
        "+298 217483",
        "+591 7887 6232",
        "+993 71 01-29-04",
        "+373 68 966 697",
        "+992900273464",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout16.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout16_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout16.card_in(rng) for _ in range(5)] == [
        "6304 8073 02157 36815",
        "3541 4262 1299 7220 030",
        "625383236405622417",
        "6761951454751",
        "4389-4056-0865-6900",
    ]
    assert bad_cards(drawn(pii_heldout16.card_in), r"\d+(?:([ -])\d+)*", (13, 19)) == []


def test_heldout16_every_phone_ip_card_and_iban_label_is_valid(heldout16):
    counts = {kind: len(part_labels(heldout16, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 60 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(_labels(heldout16, "IBAN_CODE")) > 3
    regions = pii_heldout16.LOCAL_REGIONS
    assert invalid_labels(heldout16, regions, ("AZ", "PL", "AT", "GB"), card_digits=(13, 19)) == []


def test_heldout16_identifier_shaped_negatives_are_not_identifiers(heldout16):
    texts = [text for text, _ in heldout16["negative"]]
    batches = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Partia (PL\d\d(?: \d{4}){6})", t)] if m]
    assert batches and all(pii_heldout16.mod97(b) != 1 for b in batches), batches
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Sendung|Treuekonto) ([\d ]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout16.luhn_sum(s) != 0 for s in shaped), shaped
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # an OBIS code, UDC classes and versions shaped like an IP address, which they are not here
    assert pii_heldout16.never_valid("Sendung 4111 1111 1111 1111, 2 Pakete") == "Sendung 4111 1111 1111 1112, 2 Pakete"


def test_heldout16_is_the_same_each_time_and_leaves_random_alone(heldout16):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout16._pools.cache_clear()
    again = pii_sets.build("heldout16", 300, 40)
    assert random.random() == expected
    assert again == heldout16
    assert len(heldout16["hand"]) == 24 and len(heldout16["negative"]) == 40 + 6
    assert len(heldout16["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout16["negative"] + heldout16["word_negative"])
