"""HELDOUT14 (bench/pii_heldout14.py): its names come from random-name-type (foreign names in Chinese characters,
compound surnames), pt-names and bible-male-names, sources no earlier part used; labels are whole values, every
phone, IP, card and IBAN label is valid by its own rules, the part is the same each time, and its negatives hold
nothing to find (the IBAN-shaped lot codes fail mod-97). Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("random_name_type", "pt_names", "bible_male_names", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout14, pii_sets  # noqa: E402
from bench.pii_makers import invalid_labels, mod97, part_labels  # noqa: E402


@pytest.fixture(scope="module")
def heldout14() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout14", 300, 40)


def _labels(part: dict[str, list[pii_sets.Item]], kind: str, key: str = "generated") -> list[str]:
    return [text[s:e] for text, spans in part[key] for t, s, e in spans if t == kind]


def test_heldout14_sources_are_read_as_expected():
    pools = pii_heldout14._pools()
    assert {k: len(v) for k, v in pools.items()} == {
        "foreign": 6,
        "cn_compound": 60,
        "cn_male": 150,
        "cn_female": 149,
        "pt_male": 209676,
        "pt_female": 310307,
        "pt_family": 585,
        "bible": 1997,
    }
    assert [region for region, _ in pools["foreign"]] == [
        "english",
        "french",
        "german",
        "spanish",
        "italian",
        "russian",
    ]
    assert pools["cn_compound"][:3] == ["欧阳", "太史", "端木"]
    assert pools["pt_family"][:3] == ["DE IGLESIAS", "DE PAIVA", "HENRIQUE DA COSTA"]
    assert pools["bible"][:2] == ["Aaron", "Abagtha"]


def test_heldout14_portuguese_names_keep_their_particles_lowercase():
    assert [pii_heldout14.pt_title(n) for n in ("HENRIQUE DA COSTA", "DE ASSIS", "MARIA DOS SANTOS E SILVA")] == [
        "Henrique da Costa",
        "De Assis",
        "Maria dos Santos e Silva",
    ]


def test_heldout14_templates_choose_the_form():
    values = pii_heldout14.Heldout14Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template, source in (
        ("尊敬的{PERSON}", "chinese"),
        ("澳門{PERSON}先生", "chinese"),
        ("Olá {PERSON}", "portuguese"),
        ("Nome completo: {PERSON}", "portuguese"),
        ("Brother {PERSON}", "bible"),
    ):
        values.rng = random.Random(7)  # the same draws each time: only the form changes
        written.append(getattr(values, source)(template))
    assert written == ["莫妮克·洛朗", "洛朗", "Katerini Deila", "KATERINI DEILA BRANCO", "Hallohesh Ibnijah"]


def test_heldout14_names_have_the_sources_forms(heldout14):
    people = _labels(heldout14, "PERSON")
    assert len(people) > 250 and all(p.strip() == p for p in people)
    assert sum("·" in p for p in people) >= 30  # foreign names in characters, joined by a middle dot
    assert sum(p[:2] in pii_heldout14._pools()["cn_compound"] for p in people) >= 10  # compound surnames
    assert sum(any(w in p.split() for w in ("da", "de", "do", "dos", "das")) for p in people) >= 20
    assert sum(len(p.split()) == 1 and p.isascii() for p in people) >= 20  # given names alone
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)


def test_heldout14_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout14.local_phone_in(rng)[1] for _ in range(6)] == [
        "+853 6582 5979",
        "00968 7983 3788",
        "1-246-820-2328",
        "+244912904047",
        "+1 246 236 6972",
        "00258 822734646",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout14.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number


def test_heldout14_every_phone_ip_card_and_iban_label_is_valid(heldout14):
    counts = {kind: len(part_labels(heldout14, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 60 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 5, counts
    assert len(_labels(heldout14, "IBAN_CODE")) > 5
    assert invalid_labels(heldout14, pii_heldout14.LOCAL_REGIONS, ("PT", "GB")) == []  # Maestro may have 12 digits
    cards = part_labels(heldout14, "CREDIT_CARD")
    assert all(re.fullmatch(r"[\d -]+", card) for card in cards), cards  # grouped by spaces or dashes only


def test_heldout14_identifier_shaped_negatives_are_not_identifiers(heldout14):
    texts = [text for text, _ in heldout14["negative"]]
    lots = [
        m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Lote (PT\d\d(?: \d{4}){3} \d{3})", t)] if m
    ]
    assert lots and all(mod97(lot) != 1 for lot in lots), lots
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # version strings and OIDs shaped like an IP address, which they are not here


def test_heldout14_is_the_same_each_time_and_leaves_random_alone(heldout14):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout14._pools.cache_clear()
    again = pii_sets.build("heldout14", 300, 40)
    assert random.random() == expected
    assert again == heldout14
    assert len(heldout14["hand"]) == 24 and len(heldout14["negative"]) == 40 + 6
    assert len(heldout14["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout14["negative"] + heldout14["word_negative"])
