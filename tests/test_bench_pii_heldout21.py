"""HELDOUT21 (bench/pii_heldout21.py): its names come from nlpfaker's Taiwanese surnames and given-name characters,
a source no earlier part used, written in Han characters or in Wade-Giles letters; labels are whole values, every
phone, IP, card and IBAN label is valid by its own rules (its cards pass Luhn), the part is the same each time, and
its negatives hold nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped tax references fail mod-97,
the parcel code is no Taiwanese number). Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("nlpFaker", "pypinyin", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout21, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402


@pytest.fixture(scope="module")
def heldout21() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout21", 300, 40)


def test_heldout21_source_is_read_as_expected():
    pools = pii_heldout21._pools()
    last, last_weights = pools["last"]
    first, first_weights = pools["first"]
    assert len(last) == len(last_weights) == 363 and len(first) == len(first_weights) == 1500
    assert first[:3] == ["怡", "文", "婷"] and first_weights[:3] == [13925, 13858, 12641]
    assert last[:2] == ["刁", "丁"] and last_weights[:2] == [1, 10]
    assert all(len(c) == 1 for c in first) and all(1 <= len(n) <= 2 for n in last)


def test_heldout21_wade_giles_is_as_passports_write_it():
    assert pii_heldout21.latin("陳", "怡婷") == ("Chen", "I-ting")
    assert pii_heldout21.latin("許", "志明") == ("Hsu", "Chih-ming")
    assert pii_heldout21.latin("曾", "宏") == ("Tseng", "Hung")
    assert pii_heldout21.latin("呂", "佩珊") == ("Lu", "Pei-shan")


def test_heldout21_templates_choose_the_form():
    values = pii_heldout21.Heldout21Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template in (
        "姓名：{PERSON}",
        "{PERSON}小姐您好",
        "SSR DOCS CI HK1 P/TWN/1/{PERSON}",
        "BEGIN:VCARD\nN:{PERSON}",
        "Dear Ms. {PERSON}",
        "Escalation: {PERSON}",
    ):
        values.rng = random.Random(7)  # the same draws each time: only the template changes
        written.append(values.written(template))
    assert written == ["相群君", "相", "HSIANG/CHUN-CHUN", "Hsiang;Chun-chun", "Hsiang", "Hsiang Chun-chun"]


def test_heldout21_names_have_the_sources_forms(heldout21):
    people = part_labels(heldout21, "PERSON", ("generated",))
    assert len(people) > 250 and all(p.strip() == p for p in people)
    han = [p for p in people if re.fullmatch(r"[\u4e00-\u9fff]+", p)]
    assert len(han) >= 30 and all(1 <= len(p) <= 4 for p in han)
    assert sum(re.fullmatch(r"[A-Z]+/[A-Z]+(?:-[A-Z]+)?", p) is not None for p in people) >= 3  # SSR DOCS
    assert sum(re.fullmatch(r"[A-Z][a-z]+;[A-Z][a-z]+(?:-[a-z]+)?", p) is not None for p in people) >= 3  # vCard N:
    assert sum(", " in p for p in people) >= 10  # SURNAME, GIVEN-NAME
    assert sum(re.search(r"[A-Za-z]-[A-Za-z]", p) is not None for p in people) >= 30  # hyphenated given names
    assert any(p.isascii() and p.isupper() and "/" not in p and "," not in p for p in people)
    assert any(p.islower() for p in people)


def test_heldout21_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout21.local_phone_in(rng)[1] for _ in range(6)] == [
        "019-2259791",
        "+64 27 437 8876",
        "+232 76 860129",
        "+64 21 979 6669",
        "(682) 50273",
        "+232-88-468-695",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout21.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout21_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout21.card_in(rng) for _ in range(6)] == [
        "3780-730215-73689",
        "5164 2621 2997 2201",
        "4224538323640566",
        "5554990951454751",
        "625004056086 5693",
        "629313758584 7190",
    ]
    assert bad_cards(drawn(pii_heldout21.card_in), r"\d+(?:[ _/-]\d+)*", (15, 19)) == []


def test_heldout21_every_phone_ip_card_and_iban_label_is_valid(heldout21):
    counts = {kind: len(part_labels(heldout21, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout21, "IBAN_CODE", ("generated",))) >= 3
    assert invalid_labels(heldout21, pii_heldout21.LOCAL_REGIONS, ("FI", "NO", "RO", "GB"), card_digits=(12, 19)) == []


def test_heldout21_identifier_shaped_negatives_are_not_identifiers(heldout21):
    texts = [text for text, _ in heldout21["negative"]]
    codes = [
        m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Cod fiscal (RO\d\d RNCB[\d ]+\d)", t)] if m
    ]
    assert codes and all(len(c) == 24 and pii_heldout21.mod97(c) != 1 for c in codes), codes
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Gift card|Library barcode) ([\d ]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout21.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16}, shaped
    parcels = [m.group(1) for t in texts for m in [re.search(r"包裹編號 (\d{10})\b", t)] if m]
    assert parcels and not any(valid_phone(p, "TW") for p in parcels), parcels
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # firmware, OIDs and release numbers shaped like an IP address, which they are not here
    assert pii_heldout21.never_valid("Gift card 4111 1111 1111 1111") == "Gift card 4111 1111 1111 1112"
    # RO16 RNCB 0000 1234 0000 0000 passes mod-97 (its check digits computed here): moved to 17
    assert pii_heldout21.mod97("RO16RNCB0000123400000000") == 1
    assert (
        pii_heldout21.never_valid("Cod fiscal RO16 RNCB 0000 1234 0000 0000")
        == "Cod fiscal RO17 RNCB 0000 1234 0000 0000"
    )


def test_heldout21_is_the_same_each_time_and_leaves_random_alone(heldout21):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout21._pools.cache_clear()
    again = pii_sets.build("heldout21", 300, 40)
    assert random.random() == expected
    assert again == heldout21
    assert len(heldout21["hand"]) == 26 and len(heldout21["negative"]) == 40 + 4
    assert len(heldout21["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout21["negative"] + heldout21["word_negative"])
