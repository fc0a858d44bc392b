"""HELDOUT24 (bench/pii_heldout24.py): its names come from pt-name-gen's Brazilian given names and surnames and
genderdetectfrance's given names and surnames, sources no earlier part used; labels are whole values, every phone,
IP, card and IBAN label is valid by its own rules (its cards pass Luhn), the part is the same each time, and its
negatives hold nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped file references fail mod-97, the
shipment number is no number of the part's regions, the licence is no Dominican number). Nothing is scored here:
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
for module in ("pt_name_gen", "genderdetectfrance", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout24, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402


@pytest.fixture(scope="module")
def heldout24() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout24", 300, 40)


def test_heldout24_sources_are_read_as_expected():
    pools = pii_heldout24._pools()
    assert {k: len(v) for k, v in pools.items()} == {
        "br_male": 209370,
        "br_female": 310105,
        "br_surname": 585,
        "ch_male": 25200,
        "ch_female": 30566,
        "ch_surname": 85817,
    }
    assert pools["br_surname"][:3] == ["ABREU", "AGUIAR", "ALANOCA"] and "CLARA DA CRUZ" in pools["br_surname"]
    assert pools["ch_male"][:3] == ["AADAM", "AADAN", "AADEL"] and "LOUIS-MARIE" in pools["ch_male"]
    assert pools["ch_surname"][:3] == ["AAGUIRRE", "AALI", "AALSBURG"]


def test_heldout24_names_are_written_as_people_write_them():
    assert pii_heldout24.mixed_case("DE MEDEIROS", first=False) == "de Medeiros"
    assert pii_heldout24.mixed_case("CLARA DA CRUZ", first=False) == "Clara da Cruz"
    assert pii_heldout24.mixed_case("LOUIS-MARIE") == "Louis-Marie"
    assert pii_heldout24.mixed_case("D'ANGELO") == "D'Angelo"
    values = pii_heldout24.Heldout24Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = ("Oi {PERSON}, tudo", "NOME COMPLETO: {PERSON}", "Name, Vorname: {PERSON}", "dn: cn={PERSON},ou")
    assert [values.person(t) for t in templates] == [
        "Gerenice Lucas Dias",
        "SILEIR DA PARAÍBA",
        "GIOVANNI Niftalem",
        "Makaely",
    ]


def test_heldout24_names_have_the_sources_forms(heldout24):
    people = part_labels(heldout24, "PERSON", ("generated",))
    pools = pii_heldout24._pools()
    given = {pii_heldout24.mixed_case(n) for k in ("br_male", "br_female", "ch_male", "ch_female") for n in pools[k]}
    assert len(people) > 250
    for person in people:
        if person.isupper():  # a NOME field: the files' capitals, given name then surname
            assert person.split(" ")[0] in set(pools["br_male"]) | set(pools["br_female"]), person
        elif person.split(" ")[0].isupper():  # a Swiss register: SURNAME Given
            assert person.split(" ")[-1] in given, person
        else:  # a mixed-case given name, alone or before a surname
            assert person.split(" ")[0] in given, person
    assert sum(" " in p for p in people) >= 200  # most are full names
    assert (
        sum(p.isupper() for p in people) >= 5
        and sum(p.split(" ")[0].isupper() and not p.isupper() for p in people) >= 5
    )


def test_heldout24_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout24.local_phone_in(rng)[1] for _ in range(6)] == [
        "0639 20 97 91",
        "0958337887",
        "784-433-3286",
        "784-432-2904",
        "57 966 697",
        "017734646",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout24.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout24_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout24.card_in(rng) for _ in range(6)] == [
        "1580 73021 573685",
        "1036 42621 299721",
        "4389.3503.3224.5382",
        "6011  6405  6224  1544",
        "6011.1454.7527.7205",
        "6011.6086.5690.7023",
    ]
    cards = drawn(pii_heldout24.card_in)
    assert bad_cards(cards, r"\d+(?:(?:[ .\u202f-]|  )\d+)*", (14, 16)) == []
    assert {sep for card in cards for sep in (".", "\u202f", "  ", "-") if sep in card} == {".", "\u202f", "  ", "-"}


def test_heldout24_every_phone_ip_card_and_iban_label_is_valid(heldout24):
    counts = {kind: len(part_labels(heldout24, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout24, "IBAN_CODE", ("generated",))) >= 3
    assert invalid_labels(heldout24, pii_heldout24.LOCAL_REGIONS, ("BR", "DE", "FR"), card_digits=(14, 16)) == []


def test_heldout24_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout24", 10, 400)["negative"]]
    refs = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Dossier (CH\d\d [\d ]+\d)", t)] if m]
    assert refs and all(len(r) == 21 and pii_heldout24.mod97(r) != 1 for r in refs), refs
    shaped = [
        m.group(1) for t in texts for m in [re.search(r"(?:Código de rastreio|Carte fidélité) ([\d .]+\d)", t)] if m
    ]
    assert len(shaped) >= 2 and all(pii_heldout24.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16}, shaped
    regions = pii_heldout24.LOCAL_REGIONS + ("FR", "BR", "CH", "RE")
    shipments = [m.group(1) for t in texts for m in [re.search(r"Remessa nº (0599 8[\d ]+\d)", t)] if m]
    assert shipments and not any(valid_phone(x, r) for x in shipments for r in regions), shipments
    licences = [m.group(1) for t in texts for m in [re.search(r"Licence DM (767-\d{3}-\d{4})", t)] if m]
    assert licences and not any(valid_phone(x, "DM") for x in licences), licences
    keys = [re.sub(r"\D", "", t) for t in texts if t.startswith("Chave de acesso")]
    assert keys and {len(k) for k in keys} == {44}
    lines = [re.sub(r"\D", "", t) for t in texts if t.startswith("Linha digitável")]
    assert lines and {len(x) for x in lines} == {47}
    refs27 = [re.sub(r"\D", "", t) for t in texts if t.startswith("Referenz 21")]
    assert refs27 and {len(x) for x in refs27} == {27}
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # OIDs, builds and rules shaped like an IP address, which they are not here
    assert pii_heldout24.never_valid("Carte fidélité 4111 1111 1111 1111") == "Carte fidélité 4111 1111 1111 1112"
    # CH93 0076 2011 6238 5295 7 passes mod-97 (a published example): moved to 94
    assert pii_heldout24.mod97("CH9300762011623852957") == 1
    assert pii_heldout24.never_valid("Dossier CH93 0076 2011 6238 5295 7") == "Dossier CH94 0076 2011 6238 5295 7"


def test_heldout24_is_the_same_each_time_and_leaves_random_alone(heldout24):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout24._pools.cache_clear()
    again = pii_sets.build("heldout24", 300, 40)
    assert random.random() == expected
    assert again == heldout24
    assert len(heldout24["hand"]) == 28 and len(heldout24["negative"]) == 40 + 7
    assert len(heldout24["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout24["negative"] + heldout24["word_negative"])
