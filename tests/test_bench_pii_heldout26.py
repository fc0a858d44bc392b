"""HELDOUT26 (bench/pii_heldout26.py): its names come from nominate's pools of Malta, Burkina Faso, Cameroon,
Guatemala, Botswana and Honduras, a source and countries no earlier part drew; labels are whole values, every
phone, IP, card and IBAN label is valid by its own rules (its cards pass Luhn), the part is the same each time,
and its negatives hold nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped deposit numbers fail
mod-97, the post box is no number of the part's regions, the lot is no Anguilla number). Nothing is scored here:
the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("nominate", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout26, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402

_NAME = re.compile(r"[A-Za-zÀ-ÿĀ-ž'-]+(?: [A-Za-zÀ-ÿĀ-ž'-]+)*")


@pytest.fixture(scope="module")
def heldout26() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout26", 300, 40)


def test_heldout26_source_gives_full_names_of_its_countries():
    rng = random.Random(2)
    assert [pii_heldout26.full_name(rng, c) for c in pii_heldout26.NAME_COUNTRIES] == [
        ("Robert", "Camilleri"),
        ("Yvette", "Ganame"),
        ("Joseph", "Noah"),
        ("Karla", "Aguilar"),
        ("Gift", "Ndaba"),
        ("Alba", "Castañeda"),
    ]
    values = pii_heldout26.Heldout26Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Nom : {PERSON}\nTél.",
        "Karta tal-Identità — {PERSON}, email",
        "Nombre completo: {PERSON}",
        "Dumela {PERSON}, leletsa",
        "Co-authored-by: {PERSON} <",
    )
    assert [values.person(t) for t in templates] == [
        "KY Emma",
        "MARCELLE BORG",
        "Kathy Bu Licona",
        "Boitshepo Ndaba",
        "Amanda Spiteri",
    ]


def test_heldout26_names_have_the_sources_forms(heldout26):
    people = part_labels(heldout26, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    assert sum(" " in p for p in people) >= 230  # most are full names
    assert sum(p.count(" ") >= 2 for p in people) >= 20  # two surnames or two given names
    assert sum(p.isupper() for p in people) >= 3  # an ID card's line
    assert sum(bool(re.match(r"[A-ZÀ-Þ'-]{2,} [A-Z][a-z]", p)) for p in people) >= 3  # a French form's order


def test_heldout26_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout26.local_phone_in(rng)[1] for _ in range(6)] == [
        "+1284.440.8259",
        "+690-7290",
        "+1340.422.3378",
        "+599 770 3286",
        "1-869-5569040",
        "(+290) 6 6697",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout26.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout26_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout26.card_in(rng) for _ in range(6)] == [
        "2202/5807/3021/5731",
        "403642621299 7222",
        "3633 224538 3232",
        "979205622415 4992",
        "506114 5475277204050",
        "3608 656907 0292",
    ]
    cards = drawn(pii_heldout26.card_in)
    assert bad_cards(cards, r"\d+(?:(?: |/|  )\d+)*", (14, 19)) == []
    assert {sep for card in cards for sep in ("/", "  ") if sep in card} == {"/", "  "}
    assert {len(re.sub(r"\D", "", c)) for c in cards} == {14, 16, 19}


def test_heldout26_every_phone_ip_card_and_iban_label_is_valid(heldout26):
    counts = {kind: len(part_labels(heldout26, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout26, "IBAN_CODE", ("generated",))) >= 3
    regions = pii_heldout26.LOCAL_REGIONS
    assert invalid_labels(heldout26, regions, ("GB", "BE", "HR", "MT"), card_digits=(14, 19)) == []


def test_heldout26_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout26", 10, 400)["negative"]]
    refs = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Depożitu (MT\d\d [A-Z\d ]+\d)", t)] if m]
    assert refs and all(len(r) == 31 and pii_heldout26.mod97(r) != 1 for r in refs), refs
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Voucher|Loyalty) ([\d /]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout26.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16}, shaped
    regions = pii_heldout26.LOCAL_REGIONS + ("MT", "BF", "CM", "GT", "BW", "HN")
    boxes = [m.group(1) for t in texts for m in [re.search(r"BOX (\d+)", t)] if m]
    assert boxes and not any(valid_phone(x, r) for x in boxes for r in regions), boxes
    lots = [m.group(1) for t in texts for m in [re.search(r"Anguilla lot (264-\d{3}-\d{4})", t)] if m]
    assert lots and not any(valid_phone(x, "AI") for x in lots), lots
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # OIDs and firmware shaped like an IP address, which they are not here
    assert pii_heldout26.never_valid("Voucher 4111/1111/1111/1111") == "Voucher 4111/1111/1111/1112"
    passing = next(
        f"MT{k:02d}VALL0100200300400500600078"
        for k in range(100)
        if pii_heldout26.mod97(f"MT{k:02d}VALL0100200300400500600078") == 1
    )
    moved = pii_heldout26.never_valid(f"Depożitu {passing[:4]} VALL 0100 2003 0040 0500 6000 78")
    assert pii_heldout26.mod97(moved.split(" ", 1)[1].replace(" ", "")) != 1


def test_heldout26_is_the_same_each_time_and_leaves_random_alone(heldout26):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout26._generator.cache_clear()
    again = pii_sets.build("heldout26", 300, 40)
    assert random.random() == expected
    assert again == heldout26
    assert len(heldout26["hand"]) == 28 and len(heldout26["negative"]) == 40 + 7
    assert len(heldout26["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout26["negative"] + heldout26["word_negative"])
