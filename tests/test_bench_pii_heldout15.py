"""HELDOUT15 (bench/pii_heldout15.py): its names come from arabic-name-romanizer's index (names in the Arabic
script and as their countries spell them in Latin letters) and nameCreator's lists (Swedish, French, Spanish,
Chinese in pinyin), sources no earlier part used; labels are whole values, every phone, IP, card and IBAN label
is valid by its own rules, the part is the same each time, and its negatives hold nothing to find (the card-shaped
parcel codes fail Luhn, the IBAN-shaped pallet codes fail mod-97). Nothing is scored here: the benchmark does
that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("arabic_name_romanizer", "nameCreator", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout15, pii_sets  # noqa: E402
from bench.pii_makers import invalid_labels, mod97, part_labels  # noqa: E402


@pytest.fixture(scope="module")
def heldout15() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout15", 300, 40)


def _labels(part: dict[str, list[pii_sets.Item]], kind: str, key: str = "generated") -> list[str]:
    return [text[s:e] for text, spans in part[key] for t, s, e in spans if t == kind]


def _luhn(number: str) -> int:
    digits = [int(c) for c in number if c.isdigit()]
    return (sum(digits[-1::-2]) + sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])) % 10


def test_heldout15_sources_are_read_as_expected():
    pools = pii_heldout15._pools()
    assert {k: len(v) for k, v in pools.items()} == {
        "DZ": 6486,
        "TN": 4739,
        "MA": 4940,
        "MR": 275,
        "SO": 626,
        "DJ": 123,
        "SD": 719,
        "IQ": 3485,
        "LB": 2905,
        "AF": 986,
        "IR": 13813,
        "sv_given": 443,
        "sv_family": 220,
        "fr_female": 1861,
        "fr_family": 399,
        "es_female": 278,
        "es_family": 499,
        "zh_given": 561,
        "zh_family": 1806,
    }
    assert pools["DZ"][0] == ("ابتسام دودو", "Ibtissem Doudou")
    assert pools["IR"][0] == ("اباذر اسلامي", "Abazar Eslami")
    assert pools["sv_family"][:2] == ["Åberg", "Abrahamsson"]
    assert pools["fr_female"][:2] == ["Abdonie", "Abdonise"]
    assert pools["es_female"][:2] == ["Ana Maria", "Maria Pilar"]


def test_heldout15_templates_choose_the_source():
    values = pii_heldout15.Heldout15Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template, source in (
        ("Salaan {PERSON}", "mashriq"),
        ("Bonjour {PERSON}", "maghreb"),
        ("Khanom {PERSON}", "persian"),
        ("سلام {PERSON} عزیز", "script"),
        ("Hej {PERSON}", "creator"),
        ("Estimada {PERSON}", "creator"),
        ("Nǐ hǎo {PERSON}", "creator"),
    ):
        values.rng = random.Random(7)  # the same draws each time: only the source changes
        written.append(getattr(values, source)(template))
    assert written == [
        "Ann",
        "Hammadi Ammour",
        "Javad Allahverdi",
        "جواد اللهوردي",
        "Ronja Bergman",
        "Alicia Maria Chaves Ferrer",
        "Shun Qiong",
    ]


def test_heldout15_names_have_the_sources_forms(heldout15):
    people = _labels(heldout15, "PERSON")
    assert len(people) > 250 and all(p.strip() == p for p in people)
    assert sum(bool(re.search(r"[\u0600-\u06ff]", p)) for p in people) >= 20  # in the Arabic script
    assert sum(any(w in p.split() for w in ("Ould", "Ben", "El", "Bou")) for p in people) >= 5
    assert sum(len(p.split()) >= 3 for p in people) >= 20
    assert sum(len(p.split()) == 1 and p.isascii() for p in people) >= 10  # given names alone
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)


def test_heldout15_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout15.local_phone_in(rng)[1] for _ in range(6)] == [
        "+222 40 82 59 79",
        "03/748337",
        "+964 796 232 8601",
        "03/404796",
        "0093 769725102",
        "29 64 68 69",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout15.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number


def test_heldout15_every_phone_ip_card_and_iban_label_is_valid(heldout15):
    counts = {kind: len(part_labels(heldout15, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 60 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 5, counts
    assert len(_labels(heldout15, "IBAN_CODE")) > 3
    regions = pii_heldout15.LOCAL_REGIONS
    assert invalid_labels(heldout15, regions, ("IR", "GB", "SE", "DZ")) == []  # Maestro may have 12 digits
    cards = part_labels(heldout15, "CREDIT_CARD")  # 12 to 19 characters besides spaces and dashes, not only digits
    assert all(12 <= len(card.replace(" ", "").replace("-", "")) <= 19 for card in cards), cards


def test_heldout15_identifier_shaped_negatives_are_not_identifiers(heldout15):
    texts = [text for text, _ in heldout15["negative"]]
    pallets = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Pall (SE\d\d(?: \d{4}){5})", t)] if m]
    assert pallets and all(mod97(p) != 1 for p in pallets), pallets
    parcels = [m.group(1) for t in texts for m in [re.search(r"Colis (\d{4} \d{4} \d{4} \d{4})", t)] if m]
    assert parcels and all(_luhn(p) != 0 for p in parcels), parcels
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # version strings, OIDs and clause numbers shaped like an IP address, which they are not here


def test_heldout15_is_the_same_each_time_and_leaves_random_alone(heldout15):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout15._pools.cache_clear()
    again = pii_sets.build("heldout15", 300, 40)
    assert random.random() == expected
    assert again == heldout15
    assert len(heldout15["hand"]) == 24 and len(heldout15["negative"]) == 40 + 6
    assert len(heldout15["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout15["negative"] + heldout15["word_negative"])
