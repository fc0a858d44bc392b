"""HELDOUT30 (bench/pii_heldout30.py): its names come from the Hawaiian, Samoan and Fijian lists of ethnicity, a source
no earlier part drew, written in those traditions' forms (glottal stops in four marks, matai titles, rosters, a card's
track); labels are whole values at the right offsets and never overlap, every phone, IP and card label is valid by its
own rules (its cards pass Luhn, its phones are numbers of Samoa, Tonga, American Samoa or Papua New Guinea of the kind
given, those after Samoa's access code read as dialled from Samoa), the part is the same each time, and its negatives
hold nothing to find (the card-shaped codes fail Luhn, the receipt number is no number of the part's regions). Nothing
is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("ethnicity", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout30, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_MARKS = "ʻ'’"
_WORD = rf"[^\W\d_]+(?:[{_MARKS}][^\W\d_]+)*"
_TRACK = r"[A-Z]+(?:[ -][A-Z]+)*/[A-Z]+(?:[ -][A-Z]+)*"  # a card's first track, FAMILY/GIVEN
_NAME = re.compile(rf"{_WORD}(?:(?: |-){_WORD})*(?:, {_WORD}(?: {_WORD})*)?|{_TRACK}")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout30.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_CONTEXTS = ("plain", "intl", "national", "e164", "samoa")


@pytest.fixture(scope="module")
def heldout30() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout30", 300, 40)


def _read(number: str, region: str) -> phonenumbers.PhoneNumber:
    """``number`` parsed as dialled (from Samoa after its access code)."""
    return phonenumbers.parse(number, pii_heldout30.dialled_from(number, region))


def test_heldout30_source_gives_three_pacific_traditions():
    pools = pii_heldout30.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert sizes == {
        "hawaiian_given": 73,
        "hawaiian_family": 37,
        "samoan_given": 44,
        "samoan_family": 150,
        "fijian_given": 363,
        "fijian_family": 406,
    }
    assert all(re.fullmatch(r"[A-Z][a-z]*(?:[-' ][A-Za-z][a-z]*)*", n) for names in pools.values() for n in names)
    assert {"Keoni", "Leilani"} <= set(pools["hawaiian_given"]) and "Kaanaana" in pools["hawaiian_family"]
    assert {"Henare", "La'ei"} <= set(pools["samoan_given"]) and "Samoa" not in pools["samoan_given"]
    assert {"Ah Sam", "Afamasaga"} <= set(pools["samoan_family"])
    assert "Sitiveni" in pools["fijian_given"] and "Mara-Rasova" in pools["fijian_family"]
    assert pii_heldout30.capitalized("mara-rasova") == "Mara-Rasova" and pii_heldout30.capitalized("la'ei") == "La'ei"
    assert [pii_heldout30.glottal(n, m) for n, m in (("Faaeteete", "ʻ"), ("La'ei", "’"), ("Kaanaana", ""))] == [
        "Faʻaeteʻete",
        "La’ei",
        "Kaanaana",
    ]
    values = pii_heldout30.Heldout30Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Tūtū {PERSON} stay at Queen's Hospital",
        "Outrigger canoe club roster, Waikīkī: {PERSON} (seat 3),",
        "%B{CREDIT_CARD}^{PERSON}^2812",
        "Fono notice, Apia: the village council meets {PERSON} on",
        "Sevens camp, Nadi: {PERSON} and",
        "Saofaʻi in Savaiʻi: the guests of {PERSON} reply",
    )
    assert [values.person(t) for t in templates] == [
        "Kiana",
        "Hekekia, Haukea",
        "TAUALAI/ALEKI",
        "Haych Asau",
        "Ben Lal",
        "Aleki Tuputala",
    ]


def test_heldout30_names_have_the_forms_of_their_traditions(heldout30):
    people = part_labels(heldout30, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    assert sum(" " in p and "/" not in p and "," not in p for p in people) >= 150  # most are full names
    for mark in _MARKS:  # a glottal stop in each of its marks
        assert sum(mark in p for p in people) >= 4, mark
    assert sum(len(p.split()) == 3 and "," not in p for p in people) >= 15  # a matai title or a second given name
    assert sum("," in p for p in people) >= 8  # a roster's Family, Given
    assert sum("/" in p for p in people) >= 4  # a card's first track, FAMILY/GIVEN
    assert sum(" " not in p for p in people) >= 15  # a given name alone after a greeting or Tūtū
    pools = pii_heldout30.pools()
    family = {n for key in ("hawaiian_family", "samoan_family", "fijian_family") for n in pools[key]}
    plain = [p for p in people if re.fullmatch(r"[A-Za-z' -]+", p) and "," not in p and " " in p]
    assert sum(p.split()[-1] in family for p in plain) >= 0.9 * len(plain)


def test_heldout30_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout30.local_phone_in(rng, None, c)[1] for c in _CONTEXTS] == [
        "+676 785 9791",
        "+675 323 7887",
        "7232 8601",
        "+6768804047",
        "0 675 7966 9725",
    ]
    rng = random.Random(11)
    seen, kinds = set(), set()
    for _ in range(3000):
        context = rng.choice(_CONTEXTS)
        region, number = pii_heldout30.local_phone_in(rng, None, context)
        seen.add(region)
        parsed = _read(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (_FIXED, _MOBILE), number
        kinds.add((region, phonenumbers.number_type(parsed)))
        assert context != "samoa" or (region != "WS" and re.match(r"0[ -]", number)), number
    assert seen == set(pii_heldout30.LOCAL_REGIONS)
    assert kinds == {(r, k) for r in pii_heldout30.LOCAL_REGIONS for k in (_FIXED, _MOBILE)}
    assert pii_heldout30.dialled_from("0-1-684-633-1234", "AS") == "WS"
    assert pii_heldout30.dialled_from("+676 23 456", "TO") == "TO"
    values = pii_heldout30.Heldout30Values(pii_sets.Makers(1, ["en_US"], []))
    assert values.phone("Tusitala Museum, Vailima: bookings 🇼🇸 {PHONE_NUMBER}").startswith("+685 ")
    assert values.phone("From Apia dial 0 first: {PERSON} in Nukuʻalofa is on {PHONE_NUMBER}").startswith("0")
    assert re.fullmatch(r"\+6\d{6,9}|\+1684\d{7}", values.phone('{{"phone": "{PHONE_NUMBER}"}}'))


def test_heldout30_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout30.card_in(rng) for _ in range(4)] + [
        pii_heldout30.card_in(rng, "plus"),
        pii_heldout30.card_in(rng, "run"),
    ] == [
        "3758 0730 2157 362",
        "3493 0364 2621 294",
        "3722 0033 2245 386",
        "5236 4056 2241 5491",
        "3495+145475+27721",
        "4056086569070299",
    ]
    cards = drawn(pii_heldout30.card_in)
    assert bad_cards(cards, r"\d{4} \d{4} \d{4} \d{3,4}", (15, 16)) == []
    assert {len(re.sub(r"\D", "", c)) for c in cards} == {15, 16}
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "27", "35", "34", "37"}
    plus = drawn(lambda r: pii_heldout30.card_in(r, "plus"))
    assert bad_cards(plus, r"\d{4}\+\d{4}\+\d{4}\+\d{4}|\d{4}\+\d{6}\+\d{5}", (15, 16)) == []
    runs = drawn(lambda r: pii_heldout30.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []


def test_heldout30_every_phone_ip_and_card_label_is_valid(heldout30):
    counts = {kind: len(part_labels(heldout30, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 40, counts
    assert part_labels(heldout30, "IBAN_CODE") == []
    for number in part_labels(heldout30, "PHONE_NUMBER"):
        assert any(phonenumbers.is_valid_number(_read(number, r)) for r in pii_heldout30.LOCAL_REGIONS), number
    part = {key: heldout30[key] for key in ("generated", "hand")}
    assert invalid_labels(part, pii_heldout30.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout30_labels_sit_where_their_values_are_and_never_overlap(heldout30):
    assert misplaced_labels(heldout30, _HAND) == []


def test_heldout30_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout30", 10, 400)["negative"]]
    card_shaped = re.compile(r'"member_no": (\d+)|giftcard=([\d+]+)')
    shaped = [m.group(1) or m.group(2) for t in texts for m in [card_shaped.search(t)] if m]
    assert len(shaped) >= 10 and all(pii_heldout30.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16}, shaped
    assert any("+" in s for s in shaped) and any("+" not in s for s in shaped)
    receipts = [m.group(1) for t in texts for m in [re.search(r"namba (\d+)", t)] if m]
    regions = (*pii_heldout30.LOCAL_REGIONS, "US", "FJ")
    assert receipts and {len(x) for x in receipts} == {7}, receipts
    assert not any(valid_phone(x, r) for x in receipts for r in regions), receipts
    assert [t for t in texts if re.search(r"\b\d+\.\d+\.\d+\.\d+\b", t)]  # a firmware shaped like an IP address
    assert pii_heldout30.never_valid("giftcard=4111+1111+1111+1111") == "giftcard=4111+1111+1111+1112"
    assert pii_heldout30.never_valid('{"member_no": 4111111111111111}') == '{"member_no": 4111111111111112}'
    assert pii_heldout30.never_valid("giftcard=4111+1111+1111+1112") == "giftcard=4111+1111+1111+1112"


def test_heldout30_is_the_same_each_time_and_leaves_random_alone(heldout30):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout30.pools.cache_clear()
    again = pii_sets.build("heldout30", 300, 40)
    assert random.random() == expected
    assert again == heldout30
    assert len(heldout30["hand"]) == 31 and len(heldout30["negative"]) == 40 + 7
    assert len(heldout30["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout30["negative"] + heldout30["word_negative"])
