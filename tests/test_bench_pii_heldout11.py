"""HELDOUT11 (bench/pii_heldout11.py): its names come from faker-pk, cajun-name-generator, lv-namedays and
deklinacija, sources no earlier part used; labels are whole values, every phone label is a valid number
of its country, the part is the same each time, and its negatives hold nothing to find. Nothing is scored
here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("faker_pk", "cajun_name_generator", "lv_namedays", "deklinacija", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout11, pii_sets  # noqa: E402


@pytest.fixture(scope="module")
def heldout11() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout11", 300, 40)


def _known_words() -> set[str]:
    """Every word a HELDOUT11 name may hold: the sources' names, Latvian initials, the Serbian given names
    and the surnames made from them in every case written, in Cyrillic and in Latin letters."""
    from deklinacija import Gender, dativ, genitiv, instrumental, toLatin, vokativ

    pools = pii_heldout11._pools()
    words: set[str] = {"muhammad"}
    for key in ("pk_male", "pk_female", "pk_family", "cajun_given", "cajun_family", "lv_given"):
        for name in pools[key]:
            words |= set(name.split())
    words |= {f"{letter}." for letter in "ABDEGIJKLMNOPRSTUVZ"}
    serbian = set(pools["sr_given"]) | {pii_heldout11.sr_surname(g) for g in pools["sr_given"]}
    for name in serbian:
        forms = {name} | {case(name, Gender.FEMALE) for case in (vokativ, genitiv, dativ, instrumental)}
        words |= forms | {toLatin(form) for form in forms}
    return {w.casefold() for w in words}


def test_heldout11_names_come_from_its_own_sources(heldout11):
    known = _known_words()
    people = [text[s:e] for text, spans in heldout11["generated"] for t, s, e in spans if t == "PERSON"]
    assert len(people) > 250 and all(p.strip() == p for p in people)
    for person in people:
        assert all(w.casefold() in known for w in person.replace(",", " ").split()), person
    assert sum(bool(pii_heldout11._CYRILLIC.search(p)) for p in people) >= 5
    assert sum(bool(re.search(r"[āēīūķļņšž]", p, re.IGNORECASE)) for p in people) >= 10
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)
    assert any(", " in p for p in people)  # a Cajun roster's "Surname, Given"


def test_heldout11_serbian_names_take_the_case_of_their_sentence():
    assert pii_heldout11.sr_surname("Лука") == "Лукић" and pii_heldout11.sr_surname("Илија") == "Илић"
    values = pii_heldout11.Heldout11Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template in (
        "Састанак {PERSON} је померен.",  # no cue: the nominative
        "Драги {PERSON}, хвала на поруци.",
        "Poruka od {PERSON} je stigla juče.",
        "Састанак са {PERSON} је померен за петак.",
        "Pošaljite ugovor {PERSON} do petka.",
    ):
        values.rng = random.Random(7)  # the same draws each time: only the case and the script change
        written.append(values.serbian(template))
    assert written == ["Моша Росић", "Мошо Росић", "Moše Rosić", "Мошом Росић", "Moši Rosić"]


def test_heldout11_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout11.local_phone(rng) for _ in range(6)] == [
        "+370 698 25979",
        "+252617483378",
        "1-876-421-2328",
        "+923481290404",
        "+252 68 6669725",
        "+923087346468",
    ]
    rng = random.Random(11)
    for _ in range(2000):
        region, number = pii_heldout11.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number


def test_heldout11_every_phone_label_is_a_valid_number(heldout11):
    regions = {*pii_heldout11.FAKER_REGIONS, "PK", "LV", "RS", "LT", "EE", "AL", "GE", "JM", "FJ", "SO"}
    phones = [text[s:e] for text, spans in heldout11["generated"] for t, s, e in spans if t == "PHONE_NUMBER"]
    assert len(phones) > 60
    for phone in phones:
        assert any(pii_heldout11.valid_phone(phone, region) for region in regions), phone


def test_heldout11_hand_phones_are_valid(heldout11):
    regions = {"03": "PK", "87": "JM"}
    phones = [text[s:e] for text, spans in heldout11["hand"] for t, s, e in spans if t == "PHONE_NUMBER"]
    assert len(phones) == 9
    for phone in phones:
        parsed = phonenumbers.parse(phone, regions.get(phone[:2]))
        assert phonenumbers.is_valid_number(parsed), phone


def test_heldout11_is_the_same_each_time_and_leaves_random_alone(heldout11):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout11._pools.cache_clear()
    again = pii_sets.build("heldout11", 300, 40)
    assert random.random() == expected
    assert again == heldout11
    assert len(heldout11["hand"]) == 27 and len(heldout11["negative"]) == 40 + 8
    assert len(heldout11["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout11["negative"] + heldout11["word_negative"])
