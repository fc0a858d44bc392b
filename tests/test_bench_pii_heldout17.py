"""HELDOUT17 (bench/pii_heldout17.py): its names come from faker-ph's list (Filipino) and mingzi's lists (Chinese
names in Han characters), sources no earlier part used; labels are whole values, every phone, IP, card and IBAN
label is valid by its own rules (its cards of many brands pass Luhn), the part is the same each time, and its
negatives hold nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped customs batches fail mod-97).
Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("faker_ph", "mingzi", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout17, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402


@pytest.fixture(scope="module")
def heldout17() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout17", 300, 40)


def test_heldout17_sources_are_read_as_expected():
    pools = pii_heldout17._pools()
    assert {k: len(v) for k, v in pools.items()} == {
        "ph_surnames": 213,
        "ph_male": 91,
        "ph_female": 82,
        "ph_nicknames": 31,
        "zh_surnames": 358,
        "zh_male_single": 355,
        "zh_female_single": 385,
        "zh_male_double": 60,
        "zh_female_double": 60,
    }
    assert pools["ph_surnames"][:2] == ["Santos", "Reyes"]
    assert pools["ph_nicknames"][:3] == ["Jojo", "Jun", "Junjun"]
    assert "Luzviminda" in pools["ph_female"] and "Dimaandal" in pools["ph_surnames"]
    assert pools["zh_surnames"][:2] == ["李", "王"] and pools["zh_surnames"][-1] == "南宫"
    assert not any(n in ("Ate", "Boy") for k in pools for n in pools[k])  # kinship words, not names


def test_heldout17_templates_choose_the_source():
    values = pii_heldout17.Heldout17Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template, source in (
        ("Kumusta {PERSON}", "filipino"),
        ("Pangalan: {PERSON}", "filipino"),
        ("Salamat {PERSON}", "filipino"),
        ("收件人：{PERSON}", "chinese"),
    ):
        values.rng = random.Random(7)  # the same draws each time: only the template changes
        written.append(getattr(values, source)(template))
    assert written == ["Bongbong", "VILLANUEVA, MARGARITA GO", "Margarita G. Villanueva", "唐筱羽"]


def test_heldout17_names_have_the_sources_forms(heldout17):
    people = part_labels(heldout17, "PERSON", ("generated",))
    assert len(people) > 250 and all(p.strip() == p for p in people)
    han = [p for p in people if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", p)]
    assert len(han) >= 40  # Chinese names in Han characters, no space
    assert sum(re.search(r" [A-Z]\. ", p) is not None for p in people) >= 10  # a middle initial
    assert sum("," in p for p in people) >= 3  # SURNAME, GIVEN MIDDLE on forms
    assert sum(len(p.split()) >= 3 for p in people) >= 30
    assert sum(len(p.split()) == 1 and p.isascii() for p in people) >= 10  # nicknames alone
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)


def test_heldout17_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout17.local_phone_in(rng)[1] for _ in range(6)] == [
        "+856 20 96 825 979",
        "+299274833",
        "9876 2328",
        "+678 541 2904",
        "0799 666 972",
        "+9607727346",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout17.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout17_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout17.card_in(rng) for _ in range(5)] == [
        "3580/7302/1573/6814",
        "4426212997228",
        "4224538323640566",
        "3754 9909 5145471",
        "3720 4056 0865699",
    ]
    assert bad_cards(drawn(pii_heldout17.card_in), r"\d+(?:([ ./])\d+)*", (13, 19)) == []


def test_heldout17_every_phone_ip_card_and_iban_label_is_valid(heldout17):
    counts = {kind: len(part_labels(heldout17, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 60 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout17, "IBAN_CODE", ("generated",))) >= 3
    assert invalid_labels(heldout17, pii_heldout17.LOCAL_REGIONS, ("CN", "MX", "BE", "GB"), card_digits=(13, 19)) == []


def test_heldout17_identifier_shaped_negatives_are_not_identifiers(heldout17):
    texts = [text for text, _ in heldout17["negative"]]
    batches = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"partij (BE\d\d(?: \d{4}){3})", t)] if m]
    assert batches and all(pii_heldout17.mod97(b) != 1 for b in batches), batches
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Pallet|Gift voucher) ([\d ]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout17.luhn_sum(s) != 0 for s in shaped), shaped
    assert all(len(re.sub(r"\D", "", s)) == 16 for s in shaped), shaped
    lao = [m.group(1) for t in texts for m in [re.search(r"Tiket heua (020 \d+)", t)] if m]
    assert lao and not any(valid_phone(t, "LA") for t in lao), lao
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # OIDs, Windows builds and firmware versions shaped like an IP address, which they are not here
    assert pii_heldout17.never_valid("Gift voucher 4111111111111111") == "Gift voucher 4111111111111112"


def test_heldout17_is_the_same_each_time_and_leaves_random_alone(heldout17):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout17._pools.cache_clear()
    again = pii_sets.build("heldout17", 300, 40)
    assert random.random() == expected
    assert again == heldout17
    assert len(heldout17["hand"]) == 24 and len(heldout17["negative"]) == 40 + 7
    assert len(heldout17["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout17["negative"] + heldout17["word_negative"])
