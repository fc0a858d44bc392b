"""HELDOUT40 (bench/pii_heldout40.py): its names come from names-dataset's pools of Finland and Estonia, which no
earlier part drew, written in the two lands' forms (a Finnish name declined in the case its sentence asks, with its
stem's consonant gradation and the ending's vowel harmony; an Estonian surname alone after a lowercase hr or pr, an
Estonian double given name joined by a hyphen); labels are whole values at the right offsets and never overlap, every
phone, IP and card label is valid by its own rules (its cards pass Luhn, its phones are numbers of Finland, Åland or
Estonia in the context's form), the part is the same each time, and its negatives hold nothing to find (the loyalty
card fails Luhn, the business ID and the registry code are no numbers of the part's regions). Nothing is scored here:
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
for module in ("names_dataset", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout40, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_WORD = r"[A-ZÄÖÜÕŠŽ][a-zäöüõšž]+"
_FORMS = re.compile(rf"{_WORD}(?:-{_WORD})?(?: {_WORD})?")  # a given name (a double one), a surname after it or alone
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout40.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_SHAPES = {
    "e164": r"\+(?:358\d{7,9}|372\d{7})",
    "intl": r"\+358 (?:\d\d? \d{3} \d{4}|18 \d\d \d{3})|\+372 \d{3} \d{4}",
}
_PLAIN = {"FI": r"0\d\d?-\d{3} \d{4}", "AX": r"018-\d\d \d{3}", "EE": r"\d{3} \d{4}"}


@pytest.fixture(scope="module")
def heldout40() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout40", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout40.LOCAL_REGIONS)


def test_heldout40_source_gives_finlands_and_estonias_names():
    pools = pii_heldout40.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 100 for n in sizes.values()) and len(sizes) == 8, sizes
    assert {"Virtanen", "Korhonen", "Mäkelä", "Lehto", "Aalto", "Ranta"} <= set(pools["FI_last"])
    assert {"Mikko", "Pekka", "Matti", "Jukka"} <= set(pools["FI_men"]) and {"Liisa", "Hanna"} <= set(pools["FI_women"])
    assert {"Tamm", "Kask", "Sepp", "Mägi", "Põder"} <= set(pools["EE_last"])
    assert {"Margus", "Priit", "Toomas"} <= set(pools["EE_men"]) and {"Piret", "Liis"} <= set(pools["EE_women"])
    everyone = {n for ns in pools.values() for n in ns}
    # no surname of a sure ending unknown (Niemi, Laine, Lindholm), no word, no father's name, no Cyrillic
    assert not {"Niemi", "Laine", "Satu", "Olen", "Aleksandrovna", "Александр"} & everyone
    declined = pii_heldout40.declined
    names = ("Pekka", "Matti Virtanen", "Jukka Lehto", "Anna Mäkinen", "Ville")
    cases = [(n, c) for n in names for c in pii_heldout40._ENDINGS]
    assert [declined(n, c) for n, c in cases] == [
        "Pekan", "Pekalle", "Pekalta",
        "Matti Virtasen", "Matti Virtaselle", "Matti Virtaselta",
        "Jukka Lehdon", "Jukka Lehdolle", "Jukka Lehdolta",
        "Anna Mäkisen", "Anna Mäkiselle", "Anna Mäkiseltä",
        "Villen", "Villelle", "Villeltä",
    ]  # fmt: skip
    assert declined("Timo Ranta", "genitive") == "Timo Rannan" and declined("Aalto", "allative") == "Aallolle"
    assert declined("Satu", "nominative") == "Satu"
    with pytest.raises(ValueError):
        declined("Satu", "genitive")
    assert pii_heldout40.double("Mari", "Liis") == "Mari-Liis"
    values = pii_heldout40.Heldout40Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    assert values.person("Helistas hr {PERSON}, palun vasta") in pools["EE_last"]
    assert values.person("Lugupeetud pr {PERSON},") in pools["EE_last"]
    assert re.fullmatch(r"\S+(?: \S+)?lle", values.person("Soita {PERSON} numeroon {PHONE_NUMBER}"))


def test_heldout40_names_have_the_two_lands_forms(heldout40):
    people = part_labels(heldout40, "PERSON", ("generated",))
    assert len(people) > 250
    assert [p for p in people if not _FORMS.fullmatch(p)] == []
    assert sum(re.search(r"[a-zäö]-[A-ZÄÖ]", p) is not None for p in people) >= 5  # a double Estonian given name
    assert sum(re.search(r"se(?:n|lle|lt[aä])$", p) is not None for p in people) >= 5  # a -nen surname declined
    for text, spans in heldout40["generated"]:
        name = next(text[s:e] for kind, s, e in spans if kind == "PERSON")
        if text.startswith(("Soita", "Välitä terveisiä", "Lähetä lasku")):
            assert name.endswith("lle"), text
        elif text.startswith(("Kysy", "Viesti")):
            assert name.endswith(("lta", "ltä")), text
        elif re.search(r" (?:uusi|kanssa) ", text):
            assert name.endswith("n"), text
        elif re.search(r"\b(?:hr|pr) ", text):
            assert name in pii_heldout40.pools()["EE_last"], text


def test_heldout40_phone_formats_are_its_own_and_valid():
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        region = rng.choice(pii_heldout40.LOCAL_REGIONS)
        context = rng.choice(("plain", "intl", "e164"))
        places = [p for p, (r, _) in pii_heldout40._AREAS.items() if r == region]
        number, mobile = pii_heldout40.local_phone_in(rng, region, context, rng.choice(["", *places]))
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) == (_MOBILE if mobile else _FIXED), number
        assert re.fullmatch(_SHAPES.get(context) or _PLAIN[region], number), (context, number)
        kinds.add((region, mobile))
    assert kinds == {("FI", True), ("FI", False), ("AX", False), ("EE", True), ("EE", False)}
    values = pii_heldout40.Heldout40Values(pii_sets.Makers(1, ["en_US"], []))
    assert re.fullmatch(_SHAPES["e164"], values.phone('let c = Contact {{ phone: "{PHONE_NUMBER}".into() }};'))
    tartu = values.phone("Tere, {PERSON}! Helista mulle {PHONE_NUMBER}, olen Tartus")
    assert valid_phone(tartu, "EE")
    assert valid_phone(values.phone("Kontakt: {PERSON}, Mariehamn, tfn {PHONE_NUMBER}"), "AX")


def test_heldout40_cards_are_its_own_and_pass_luhn():
    cards = drawn(pii_heldout40.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "26"}
    runs = drawn(lambda r: pii_heldout40.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}


def test_heldout40_every_phone_ip_and_card_label_is_valid(heldout40):
    counts = {kind: len(part_labels(heldout40, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 30, counts
    assert part_labels(heldout40, "IBAN_CODE") == [] and part_labels(heldout40, "US_SSN") == []
    phones = part_labels(heldout40, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    for code in ("+358 ", "+358 18 ", "+372 "):
        assert sum(p.startswith(code) for p in phones) >= 2, code
    assert sum(re.fullmatch(_PLAIN["FI"], p) is not None for p in phones) >= 5  # a hyphen after the area
    assert sum(re.fullmatch(_PLAIN["AX"], p) is not None for p in phones) >= 2
    assert sum(re.fullmatch(_PLAIN["EE"], p) is not None for p in phones) >= 5  # seven digits, no trunk
    texts = [text for text, _ in heldout40["generated"]]
    assert any(re.search(r"X-Caller-Id: \+\d+\n", t) for t in texts)
    assert any(re.search(r"'puhelin' => '\+\d+'", t) for t in texts)
    assert any(re.search(r'phone: "\+\d+"\.into', t) for t in texts)
    assert any(re.search(r"'card_number' => '\d{15,16}'", t) for t in texts)
    assert any(re.search(r'pan: "\d{15,16}"\.into', t) for t in texts)
    assert invalid_labels(heldout40, pii_heldout40.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout40_labels_sit_where_their_values_are_and_never_overlap(heldout40):
    assert misplaced_labels(heldout40, _HAND) == []


def test_heldout40_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout40", 10, 400)["negative"]]
    cards = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"S-Etukortti ([\d ]+)$", t)] if m]
    assert len(cards) >= 10 and {len(a) for a in cards} == {16}, cards
    assert all(pii_heldout40.luhn_sum(a) != 0 for a in cards), cards
    ids = [m.group(1) for t in texts for m in [re.search(r"Y-tunnus ([\d-]+),", t)] if m]
    assert len(ids) >= 10 and all(re.fullmatch(r"\d{7}-\d", a) for a in ids), ids
    codes = [m.group(1) for t in texts for m in [re.search(r"Registrikood (\d+),", t)] if m]
    assert len(codes) >= 10 and {len(a) for a in codes} == {8}, codes
    assert not any(_valid_somewhere(a) for a in ids + codes), ids + codes
    assert pii_heldout40.never_valid("S-Etukortti 4111 1111 1111 1111").endswith("4111 1111 1111 1112")
    assert pii_heldout40.never_valid("Hinta 249,90 €") == "Hinta 249,90 €"


def test_heldout40_is_the_same_each_time_and_leaves_random_alone(heldout40):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout40.pools.cache_clear()
    again = pii_sets.build("heldout40", 300, 40)
    assert random.random() == expected
    assert again == heldout40
    assert len(heldout40["hand"]) == 26 and len(heldout40["negative"]) == 40 + 8
    assert len(heldout40["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout40["negative"] + heldout40["word_negative"])
