"""HELDOUT12 (bench/pii_heldout12.py): its names come from chileanfakeinfo, indofaker and pyranda (Czech
vocatives by vokativ), sources no earlier part used; labels are whole values, every phone, IP, card and
IBAN label is valid by its own rules, the part is the same each time, and its negatives hold nothing to
find. Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("chileanfakeinfo", "indofaker", "pyranda", "vokativ", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout12, pii_sets  # noqa: E402
from bench.pii_makers import invalid_labels  # noqa: E402


@pytest.fixture(scope="module")
def heldout12() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout12", 300, 40)


def _labels(part: dict[str, list[pii_sets.Item]], kind: str, key: str = "generated") -> list[str]:
    return [text[s:e] for text, spans in part[key] for t, s, e in spans if t == kind]


def _known_words() -> set[str]:
    """Every word a HELDOUT12 name may hold: the sources' names, Chilean initials, and the Czech names in
    the vocative."""
    pools = pii_heldout12._pools()
    words: set[str] = set()
    for key in ("cl_male", "cl_female", "cl_family", "id_male", "id_female", "id_java", "id_batak"):
        for name in pools[key]:
            words |= set(name.split())
    words |= {f"{name[0]}." for name in pools["cl_family"]}
    for key, woman in (("cz_male", False), ("cz_female", True)):
        words |= {w for name in pools[key] for w in (name, pii_heldout12.cz_vocative(name, woman, False))}
    for his, hers in pools["cz_family"]:
        words |= {his, hers, pii_heldout12.cz_vocative(his, False, True), pii_heldout12.cz_vocative(hers, True, True)}
    return {w.casefold() for w in words}


def test_heldout12_names_come_from_its_own_sources(heldout12):
    known = _known_words()
    people = _labels(heldout12, "PERSON")
    assert len(people) > 250 and all(p.strip() == p for p in people)
    for person in people:
        assert all(w.casefold() in known for w in person.split()), person
    assert sum(p.endswith("ová") for p in people) >= 10  # Czech women's surnames
    assert sum(len(p.split()) == 1 for p in people) >= 20  # one-word names: Indonesian, vocatives
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)
    assert any(re.fullmatch(r".+ [A-ZÁÉÍÓÚÑ]\.", p) for p in people)  # a Chilean mother's initial


def test_heldout12_sources_are_read_as_expected():
    pools = pii_heldout12._pools()
    assert {k: len(v) for k, v in pools.items()} == {
        "cl_male": 354,
        "cl_female": 350,
        "cl_family": 320,
        "id_male": 27,
        "id_female": 20,
        "id_java": 37,
        "id_batak": 29,
        "cz_male": 121,
        "cz_female": 63,
        "cz_family": 288,
    }
    assert "Simanjuntak" in pools["id_batak"] and "Widodo" in pools["id_java"]


def test_heldout12_czech_names_take_the_vocative_where_addressed():
    assert pii_heldout12.cz_vocative("Novák", False, True) == "Nováku"
    assert pii_heldout12.cz_vocative("Nováková", True, True) == "Nováková"
    assert pii_heldout12.cz_vocative("Petr", False, False) == "Petře"
    assert pii_heldout12.cz_vocative("Jana", True, False) == "Jano"
    values = pii_heldout12.Heldout12Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    templates = (
        "Děkujeme, {PERSON}.",
        "Dobrý den, pane {PERSON}.",
        "Vážená paní {PERSON}.",
        "Milá {PERSON}!",
        "Ahoj {PERSON}",
    )
    for template in templates:
        values.rng = random.Random(7)  # the same draws each time: only the form changes
        written.append(values.czech(template))
    # the same draws: her name, his surname (pane), hers (paní: the vocative is the nominative), her given name
    assert written == ["Dita Eysseltová", "Eysselte", "Eysseltová", "Dito", "Dito"]


def test_heldout12_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout12.local_phone(rng) for _ in range(6)] == [
        "(+374) 43-259791",
        "(+56) 9 5483-3788",
        "+26776232860",
        "00420 603 904 047",
        "+267 74 972 510",
        "+67571464686",
    ]
    rng = random.Random(11)
    for _ in range(2000):
        region, number = pii_heldout12.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number


def test_heldout12_every_phone_ip_card_and_iban_label_is_valid(heldout12):
    counts = {kind: len(_labels(heldout12, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 60 and counts["IP_ADDRESS"] > 10 and counts["CREDIT_CARD"] > 10, counts
    regions = (*pii_heldout12.FAKER_REGIONS, *pii_heldout12.LOCAL_REGIONS)
    assert invalid_labels(heldout12, regions, ("CZ",)) == []  # Maestro numbers may have 12 digits
    cards = _labels(heldout12, "CREDIT_CARD")
    assert all(re.fullmatch(r"[\d -]+", card) for card in cards), cards  # grouped by spaces or dashes only
    ibans = [iban.replace(" ", "") for iban in _labels(heldout12, "IBAN_CODE")]
    assert ibans and all(len(iban) == 24 for iban in ibans), ibans


def test_heldout12_hand_phones_are_valid(heldout12):
    regions = {"9 ": "CL", "98": "PE", "09": "UY", "86": "TT"}
    phones = _labels(heldout12, "PHONE_NUMBER", "hand")
    assert len(phones) == 12
    for phone in phones:
        parsed = phonenumbers.parse(phone, regions.get(phone[:2]))
        assert phonenumbers.is_valid_number(parsed), phone


def test_heldout12_is_the_same_each_time_and_leaves_random_alone(heldout12):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout12._pools.cache_clear()
    again = pii_sets.build("heldout12", 300, 40)
    assert random.random() == expected
    assert again == heldout12
    assert len(heldout12["hand"]) == 30 and len(heldout12["negative"]) == 40 + 5
    assert len(heldout12["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout12["negative"] + heldout12["word_negative"])
