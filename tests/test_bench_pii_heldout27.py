"""HELDOUT27 (bench/pii_heldout27.py): its names come from ArabicNames' tables of given and family names, a source
no earlier part drew, written in the forms of Arab naming; labels are whole values, every phone, IP, card and IBAN
label is valid by its own rules (its cards pass Luhn), the part is the same each time, and its negatives hold
nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped deposit numbers fail mod-97, the parcel is no
number of the part's regions). Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("ArabicNames", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (make install puts it in)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout27, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402

_NAME = re.compile(r"[A-Za-z'-]+(?: [A-Za-z'-]+)*")


@pytest.fixture(scope="module")
def heldout27() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout27", 300, 40)


def test_heldout27_source_gives_given_and_family_names():
    men, women, families = pii_heldout27.pools()
    assert (len(men), len(women), len(families)) == (8166, 8723, 1097)
    assert all(re.fullmatch(r"[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?", n) for n in men + women + families)
    rng = random.Random(2)
    assert [pii_heldout27.full_name(rng, woman) for woman in (False, True, False)] == [
        ("Yazan", "Souhila", "Alyami"),
        ("Bahar", "Ahtras", "Nahas"),
        ("Shawkat", "Ataoullah", "Mahmood"),
    ]
    values = pii_heldout27.Heldout27Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Nom et prénom : {PERSON}\nTéléphone",
        "Marhaba {PERSON}, tawasal",
        "Rakam el mobile beta3 {PERSON}:",
        "Ezayak ya {PERSON}? Rakam",
        "dn: cn={PERSON},ou=people",
    )
    assert [values.person(t) for t in templates] == [
        "ALMALKI Fatheha",
        "Bamou bint Hayam Al Amal",
        "Salema Adeeba Hisami",
        "Dawoud Hanafy",
        "Rkhis El-Hami",
    ]


def test_heldout27_names_have_the_forms_of_arab_naming(heldout27):
    people = part_labels(heldout27, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    assert sum(" " in p for p in people) >= 250  # most are full names
    assert sum(p.count(" ") >= 2 for p in people) >= 30  # chains, three-part names, compound given names
    assert sum(" bin " in p or " bint " in p for p in people) >= 10  # a Gulf chain
    assert sum(p.startswith(("Abu ", "Umm ")) for p in people) >= 3  # a kunya
    assert sum("El-" in p for p in people) >= 10
    assert sum(bool(re.match(r"[A-Z'-]{2,}(?: [A-Z'-]{2,})* [A-Z][a-z]", p)) for p in people) >= 3  # a French form


def test_heldout27_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout27.local_phone_in(rng)[1] for _ in range(6)] == [
        "00290 8982",
        "0047 79791907",
        "00590590273378",
        "+61-8-9164-2328",
        "0020-10-2904-0479",
        "0011 61 891646972",
    ]
    rng = random.Random(11)
    mobile = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    landline = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    seen = set()
    for _ in range(3000):
        region, number = pii_heldout27.local_phone_in(rng)
        seen.add(region)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        kinds = mobile if region in pii_heldout27.MOBILE_REGIONS else landline
        assert phonenumbers.number_type(parsed) in kinds, number
    assert seen == set(pii_heldout27.LOCAL_REGIONS)


def test_heldout27_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout27.card_in(rng) for _ in range(6)] == [
        "3758.073021.57362",
        "3493.036426.21294",
        "3722.003322.45386",
        "6011.2364.0562.2410",
        "3495.145475.27721",
        "5078 - 0905 - 6086 - 5690",
    ]
    cards = drawn(pii_heldout27.card_in)
    assert bad_cards(cards, r"\d+(?:(?: |\.| - )\d+)*", (15, 19)) == []
    assert {sep for card in cards for sep in (".", " - ") if sep in card} == {".", " - "}
    assert {len(re.sub(r"\D", "", c)) for c in cards} == {15, 16, 19}


def test_heldout27_every_phone_ip_card_and_iban_label_is_valid(heldout27):
    counts = {kind: len(part_labels(heldout27, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout27, "IBAN_CODE", ("generated",))) >= 3
    regions = pii_heldout27.LOCAL_REGIONS
    assert invalid_labels(heldout27, regions, ("GB", "SA", "EE", "GE"), card_digits=(15, 19)) == []


def test_heldout27_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout27", 10, 400)["negative"]]
    refs = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Wadia (SA\d\d [\d ]+\d)", t)] if m]
    assert refs and all(len(r) == 24 and pii_heldout27.mod97(r) != 1 for r in refs), refs
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Gift card|Membership) ([\d .]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout27.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16}, shaped
    regions = pii_heldout27.LOCAL_REGIONS + ("SA", "MA")
    parcels = [m.group(1) for t in texts for m in [re.search(r"TDC (\d+)", t)] if m]
    assert parcels and not any(valid_phone(x, r) for x in parcels for r in regions), parcels
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # builds and versions shaped like an IP address, which they are not here
    assert pii_heldout27.never_valid("Gift card 4111.1111.1111.1111") == "Gift card 4111.1111.1111.1112"
    passing = next(
        f"SA{k:02d}80000000608010167519"
        for k in range(100)
        if pii_heldout27.mod97(f"SA{k:02d}80000000608010167519") == 1
    )
    moved = pii_heldout27.never_valid(f"Wadia {passing[:4]} 8000 0000 6080 1016 7519")
    assert pii_heldout27.mod97(moved.split(" ", 1)[1].replace(" ", "")) != 1


def test_heldout27_is_the_same_each_time_and_leaves_random_alone(heldout27):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout27.pools.cache_clear()
    again = pii_sets.build("heldout27", 300, 40)
    assert random.random() == expected
    assert again == heldout27
    assert len(heldout27["hand"]) == 28 and len(heldout27["negative"]) == 40 + 7
    assert len(heldout27["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout27["negative"] + heldout27["word_negative"])
