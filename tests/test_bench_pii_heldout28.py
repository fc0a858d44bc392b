"""HELDOUT28 (bench/pii_heldout28.py): its names come from Statistics Norway's tables in norwegian-fake-data, a source
no earlier part drew, written in the forms of Norwegian naming; labels are whole values at the right offsets and never
overlap, every phone, IP, card and IBAN label is valid by its own rules (its cards pass Luhn, its phones are numbers
of Saint-Martin, North Korea, Western Sahara or the satellite networks), the part is the same each time, and its
negatives hold nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped case numbers fail mod-97, the MMSI is
no number of the part's regions). Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("norwegian_fake_data", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout28, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_NAME = re.compile(r"[^\W\d_]+(?:(?: |-|\. )[^\W\d_]+)*")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout28.txt"


@pytest.fixture(scope="module")
def heldout28() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout28", 300, 40)


def test_heldout28_source_gives_given_names_by_year_and_surnames():
    men, women, surnames = pii_heldout28.pools()
    assert (len(men), len(women), len(surnames)) == (932, 1042, 3620)
    assert all(re.fullmatch(r"[^\W\d_]+(?:[ '-][^\W\d_]+)*", n) for n in men + women + surnames)
    rng = random.Random(2)
    born = (pii_heldout28.ADULT, pii_heldout28.CHILD, pii_heldout28.OLD)
    assert [pii_heldout28.full_name(rng, woman, b) for woman, b in zip((False, True, False), born)] == [
        ("Aron", "Christian", "Brattås", "Larsen"),
        ("Lena", "Isabell", "Sæther", "Hansen"),
        ("Arne", "Sigmund", "Fossen", "Myreng"),
    ]
    values = pii_heldout28.Heldout28Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "ATTN MASTER. CREW CHANGE: {PERSON} SIGNS",
        "Barnehagen: {PERSON} blir",
        "Minneord: {PERSON} sovna",
        "Reply-To: {PERSON} <",
        "Crew list, MS Nordkapp: 4. {PERSON},",
        "Saluton {PERSON}! Mia",
    )
    assert [values.person(t) for t in templates] == [
        "LAILA BAKKE",
        "Magnus Rakvåg Berg",
        "Astri Brustad",
        "Håvard Tokle",
        "Bengt Axelsen",
        "Ruth Solgård",
    ]
    assert pii_heldout28.telex("Øystein Sæther Ålgård") == "OEYSTEIN SAETHER AALGAARD"


def test_heldout28_names_have_the_forms_of_norwegian_naming(heldout28):
    people = part_labels(heldout28, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    assert sum(" " in p for p in people) >= 250  # most are full names
    assert sum(p.count(" ") >= 2 for p in people) >= 60  # two given names, a middle name, an initial
    assert sum(bool(re.search(r" [A-ZÆØÅ]\. ", p)) for p in people) >= 8  # a middle initial
    assert sum("-" in p for p in people) >= 8  # a hyphenated pair of given names or of surnames
    assert sum(p.isupper() and not re.search("[ÆØÅ]", p) for p in people) >= 4  # a telex's capitals, æ ø å folded
    assert sum(bool(re.search("[æøåÆØÅ]", p)) for p in people) >= 30
    assert sum(" " not in p for p in people) >= 8  # a given name alone after a greeting


def test_heldout28_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout28.local_phone_in(rng)[1] for _ in range(6)] == [
        "0528-859791",
        "00870 783378876",
        "0528-886012",
        "+850 192 796 6697",
        "(+850 2) 381 2734",
        "(+850 2) 381 6958",
    ]
    rng = random.Random(11)
    kinds = {
        "MF": (phonenumbers.PhoneNumberType.FIXED_LINE,),
        "EH": (phonenumbers.PhoneNumberType.FIXED_LINE,),
        "KP": (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE),
        "001": (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.VOIP),  # Thuraya's are VoIP there
    }
    seen = set()
    for _ in range(3000):
        region, number = pii_heldout28.local_phone_in(rng)
        seen.add(region)
        parsed = phonenumbers.parse(number, "NO" if region == "001" else region)  # 00: dialled from Norway
        assert phonenumbers.is_valid_number(parsed), number
        if region == "EH":  # Western Sahara's numbers are Morocco's too
            assert phonenumbers.is_valid_number_for_region(parsed, "EH"), number
        else:
            assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in kinds[region], number
    assert seen == set(pii_heldout28.LOCAL_REGIONS)
    for region in ("MF", "EH", "KP"):
        assert pii_heldout28.local_phone_in(random.Random(1), region)[0] == region


def test_heldout28_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout28.card_in(rng) for _ in range(6)] == [
        "6703 8073 0215 7368 0",
        "4036\u20094262\u20091299\u20097222",
        "4322\u20074538\u20073236\u20074057",
        "5241\u20075499\u20070951\u20074543",
        "6703 7720 4056 0865 3",
        "9891\u20070702\u20079313\u20077580",
    ]
    cards = drawn(pii_heldout28.card_in)
    shape = r"\d{4}(?:\u2009\d{4}){3}|\d{4}(?:\u2007\d{4}){3}|\d{4}(?:\u2011\d{4}){3}|\d{4}(?: \d{4}){3} \d"
    assert bad_cards(cards, shape, (16, 17)) == []
    assert {sep for card in cards for sep in ("\u2009", "\u2007", "\u2011", " ") if sep in card} == {
        "\u2009",
        "\u2007",
        "\u2011",
        " ",
    }
    assert {c[:4] for c in cards} >= {"6703", "9860", "8600", "9051", "9112", "9891"}


def test_heldout28_every_phone_ip_card_and_iban_label_is_valid(heldout28):
    counts = {kind: len(part_labels(heldout28, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout28, "IBAN_CODE", ("generated",))) >= 3
    regions = ("MF", "EH", "KP", "NO")  # a satellite number with + is valid read from anywhere, with 00 from Norway
    assert invalid_labels(heldout28, regions, ("NO", "DK", "FR", "GB"), card_digits=(16, 17)) == []


def test_heldout28_labels_sit_where_their_values_are_and_never_overlap(heldout28):
    assert misplaced_labels(heldout28, _HAND) == []


def test_heldout28_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout28", 10, 400)["negative"]]
    refs = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Sagsnummer (DK\d\d [\d ]+\d)", t)] if m]
    assert refs and all(len(r) == 18 and pii_heldout28.mod97(r) != 1 for r in refs), refs
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Gavekort|Trumf) ([\d\u2009]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout28.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16}, shaped
    mmsi = [m.group(1) for t in texts for m in [re.search(r"MMSI (\d+)", t)] if m]
    regions = ("MF", "EH", "KP", "MA")
    assert mmsi and all(len(x) == 9 for x in mmsi), mmsi
    assert not any(valid_phone(x, r) for x in mmsi for r in regions), mmsi
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # firmware shaped like an IP address, which it is not here
    assert pii_heldout28.never_valid("Gavekort 4111\u20091111\u20091111\u20091111") == (
        "Gavekort 4111\u20091111\u20091111\u20091112"
    )
    passing = next(
        f"DK{k:02d}12345678901234" for k in range(100) if pii_heldout28.mod97(f"DK{k:02d}12345678901234") == 1
    )
    moved = pii_heldout28.never_valid(f"Sagsnummer {passing[:4]} 1234 5678 9012 34")
    assert pii_heldout28.mod97(moved.split(" ", 1)[1].replace(" ", "")) != 1


def test_heldout28_is_the_same_each_time_and_leaves_random_alone(heldout28):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout28.tables.cache_clear()
    pii_heldout28.pools.cache_clear()
    again = pii_sets.build("heldout28", 300, 40)
    assert random.random() == expected
    assert again == heldout28
    assert len(heldout28["hand"]) == 29 and len(heldout28["negative"]) == 40 + 7
    assert len(heldout28["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout28["negative"] + heldout28["word_negative"])
