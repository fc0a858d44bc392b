"""HELDOUT29 (bench/pii_heldout29.py): its names come from pynames' Mongolian, Old Norse and old Slavic lists, a source
no earlier part drew, written with the patronymics and surnames those traditions make; labels are whole values at the
right offsets and never overlap, every phone, IP, card and IBAN label is valid by its own rules (its cards pass Luhn,
its phones are numbers of Mongolia, Iceland or Belarus, read from where their access code is dialled, a line break
inside one read as a space), the part is the same each time, and its negatives hold nothing to find (the card-shaped
codes fail Luhn, the IBAN-shaped references fail mod-97, the order and payer numbers are no number of the part's
regions). Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("pynames", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout29, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_NAME = re.compile(r"[^\W\d_]+(?:(?: |-|\. ?|\.)[^\W\d_]+)*")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout29.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_KINDS = {"MN": (_FIXED, _MOBILE), "IS": (_FIXED,), "BY": (_FIXED,)}


@pytest.fixture(scope="module")
def heldout29() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout29", 300, 40)


def _read(number: str, region: str) -> phonenumbers.PhoneNumber:
    """``number`` parsed as dialled (a line break inside it read as a space)."""
    return phonenumbers.parse(number.replace("\n", " "), pii_heldout29.dialled_from(number, region))


def test_heldout29_source_gives_three_traditions_and_their_patronymics():
    pools = pii_heldout29.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert sizes == {
        "mongolian": 152,
        "genitive": 12,
        "norse_m": 1213,
        "norse_f": 348,
        "slavic_m": 155,
        "slavic_f": 85,
        "slavic_fathers": 143,
    }
    assert all(re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", n) for names in pools.values() for pair in names for n in pair)
    assert ("Yumjaagiyn", "Юмжагин") in pools["genitive"] and ("Altan", "Алтан") in pools["mongolian"]
    assert [pii_heldout29.patronymic(f, w) for f, w in (("Agnarr", False), ("Tryggvi", True), ("Adils", False))] == [
        "Agnarsson",
        "Tryggvadóttir",
        "Adilsson",
    ]
    assert pii_heldout29.patronymic("Sigsteinn", True, accent=False) == "Sigsteinsdottir"
    assert pii_heldout29.slavic_surname(("Bozhko", "Божко")) == ("Bozhkovich", "Божкович")
    assert pii_heldout29.slavic_surname(("Bogdan", "Богдан"), slovak=True) == ("Bogdanovič", "Богданович")
    values = pii_heldout29.Heldout29Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Овог нэр: {PERSON}\nУтас:",
        "Naadam tour, Ulaanbaatar: the driver for {PERSON} is",
        "Longship crew list: helmsman {PERSON},",
        "Нумар карткі {CREDIT_CARD}, уладальнік {PERSON}",
        "Dobrý deň, {PERSON}, ďakujeme",
        "/Author ({PERSON})",
    )
    assert [values.person(t) for t in templates] == [
        "О.Делгер",
        "BURILGI Toghrul",
        "SIFLED ARNSTENSDÓTTIR",
        "Божидар Домаславович",
        "Zhiroslav Bozhkovič",
        "Gyrid Ufadottir",
    ]


def test_heldout29_names_have_the_forms_of_their_traditions(heldout29):
    people = part_labels(heldout29, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    assert sum(" " in p for p in people) >= 200  # most are full names
    assert sum(bool(re.fullmatch(r"[A-ZА-Я]\.\S+", p)) for p in people) >= 8  # a father's initial glued, D.Altan
    assert sum(bool(re.match(r"[A-ZА-Я]\. ", p)) for p in people) >= 8  # or parted, D. Altan
    assert sum(bool(re.search(r"(?:son|d[oó]ttir)$", p)) for p in people) >= 30  # an Old Norse patronymic
    assert sum(bool(re.search(r"(?:ovich|ovič|ович)$", p)) for p in people) >= 20  # a surname made from a father's name
    assert sum(bool(re.search(r"(?:yn|iin|iyn|ijn|ny|ин|ын|ижн|ни) ", p)) for p in people) >= 4  # a genitive patronymic
    assert sum(bool(re.search("[А-Яа-я]", p)) for p in people) >= 30  # Mongolian and Belarusian lines in Cyrillic
    assert sum(" " not in p and "." not in p for p in people) >= 8  # a given name alone after a greeting


def test_heldout29_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    contexts = ("plain", "link", "uri", "attr", "ru", "na", "mn")
    assert [pii_heldout29.local_phone_in(rng, None, c)[1] for c in contexts] == [
        "+976 9459\n7919",
        "97672483378",
        "+375162623286",
        "+375-17-129-04-04",
        "8~10 375 162 66-97-25",
        "011-976-11-34-6468",
        "001 375 232 89-69-35",
    ]
    rng = random.Random(11)
    seen = set()
    for _ in range(3000):
        region, number = pii_heldout29.local_phone_in(rng, None, rng.choice(contexts))
        seen.add(region)
        parsed = _read(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in _KINDS[region], number
    assert seen == set(pii_heldout29.LOCAL_REGIONS)
    plain = [pii_heldout29.local_phone_in(random.Random(s), r)[1] for s in range(40) for r in ("MN", "IS", "BY")]
    assert sum("\n" in p for p in plain) >= 10 and sum(p.startswith("8 (0") for p in plain) >= 5
    assert pii_heldout29.dialled_from("8~10 976 8051 6219", "MN") == "RU"
    assert pii_heldout29.dialled_from("+976 8051 6219", "MN") == "MN"


def test_heldout29_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout29.card_in(rng) for _ in range(4)] + [pii_heldout29.card_in(rng, "run")] == [
        "6258 0730\n2157 3681",
        "4036 4262\n1299 7222",
        "4332 2453\n8323 6405",
        "5422 4154\n9909 5148",
        "5375277204056089",
    ]
    cards = drawn(pii_heldout29.card_in)
    shape = r"\d{4} \d{4}\n\d{4} \d{4}(?: \d{3})?|\d{4} \d{3} \d{3} \d{3}"
    assert bad_cards(cards, shape, (13, 19)) == []
    assert {len(re.sub(r"\D", "", c)) for c in cards} == {13, 16, 19}
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "27", "62"}
    runs = drawn(lambda r: pii_heldout29.card_in(r, "run"))
    assert bad_cards(runs, r"\d{13}|\d{16}|\d{19}", (13, 19)) == []


def test_heldout29_every_phone_ip_card_and_iban_label_is_valid(heldout29):
    counts = {kind: len(part_labels(heldout29, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout29, "IBAN_CODE", ("generated",))) >= 3
    for number in part_labels(heldout29, "PHONE_NUMBER"):
        assert any(phonenumbers.is_valid_number(_read(number, r)) for r in pii_heldout29.LOCAL_REGIONS), number

    # the shared check, with each phone's line break read as a space (offsets stay) and dialled from where it says
    def readable(items: list) -> list:
        return [(text.replace("\n", " "), spans) for text, spans in items]

    part = {key: readable(heldout29[key]) for key in ("generated", "hand")}
    regions = ("MN", "IS", "BY", "US", "RU")
    assert invalid_labels(part, regions, ("SK", "GB", "PL"), card_digits=(13, 19)) == []


def test_heldout29_labels_sit_where_their_values_are_and_never_overlap(heldout29):
    assert misplaced_labels(heldout29, _HAND) == []


def test_heldout29_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout29", 10, 400)["negative"]]
    refs = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"značka (SK\d\d [\d ]+\d)", t)] if m]
    assert refs and all(len(r) == 24 and pii_heldout29.mod97(r) != 1 for r in refs), refs
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Бэлгийн карт|Klubová karta) ([\d \n]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout29.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {13, 16}, shaped
    numbers = [m.group(1) for t in texts for m in [re.search(r"(?:дугаар|УНП) (\d{8,9})\b", t)] if m]
    regions = ("MN", "IS", "BY", "RU")
    assert {len(x) for x in numbers} == {8, 9}, numbers
    assert not any(valid_phone(x, r) for x in numbers for r in regions), numbers
    assert [t for t in texts if re.search(r"\b\d+\.\d+\.\d+\.\d+\b", t)]  # a version shaped like an IP address
    assert pii_heldout29.never_valid("Klubová karta 4111 111 111 119") == "Klubová karta 4111 111 111 110"
    passing = next(
        f"SK{k:02d}12345678901234567890"
        for k in range(100)
        if pii_heldout29.mod97(f"SK{k:02d}12345678901234567890") == 1
    )
    moved = pii_heldout29.never_valid(f"Spisová značka {passing[:4]} 1234 5678 9012 3456 7890")
    assert pii_heldout29.mod97(moved.split("značka ", 1)[1].replace(" ", "")) != 1


def test_heldout29_is_the_same_each_time_and_leaves_random_alone(heldout29):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout29.pools.cache_clear()
    again = pii_sets.build("heldout29", 300, 40)
    assert random.random() == expected
    assert again == heldout29
    assert len(heldout29["hand"]) == 31 and len(heldout29["negative"]) == 40 + 7
    assert len(heldout29["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout29["negative"] + heldout29["word_negative"])
