"""HELDOUT22 (bench/pii_heldout22.py): its names come from synth-data-tn's Tunisian lists and fusuk's British ones,
sources no earlier part used; labels are whole values, every phone, IP, card and IBAN label is valid by its own
rules (its cards pass Luhn), the part is the same each time, and its negatives hold nothing to find (the
card-shaped codes fail Luhn, the IBAN-shaped file references fail mod-97, the case number is no Libyan number).
Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("synth_data_tn", "fusuk", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout22, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402


@pytest.fixture(scope="module")
def heldout22() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout22", 300, 40)


def test_heldout22_sources_are_read_as_expected():
    pools = pii_heldout22._pools()
    assert [len(pools[k]) for k in ("tn_male", "tn_female", "tn_last", "uk_first")] == [60, 60, 94, 2232]
    assert pools["tn_male"][:3] == ["Mohamed", "Ahmed", "Ali"] and pools["tn_female"][:2] == ["Fatma", "Mariem"]
    assert pools["tn_last"][:3] == ["Ben Ali", "Trabelsi", "Chaabane"] and "Guezguez" in pools["tn_last"]
    assert pools["uk_first"][:3] == ["Aaron", "Aarron", "Abbey"]
    assert len(pools["uk_last"]) == 38377 and pools["uk_last"][:5] == [
        "Dhillon",
        "Aspinall",
        "Whitworth",
        "McClean",
        "Luke",
    ]
    assert all(len(n) > 2 for n in pools["uk_last"]) and "Co-Ordinator" not in pools["uk_last"]


def test_heldout22_british_surnames_are_written_as_people_write_them():
    assert [pii_heldout22.british(n) for n in ("O-brien", "Mckeown", "Lloyd-jones", "Mcdonald-smith", "D-silva")] == [
        "O'Brien",
        "McKeown",
        "Lloyd-Jones",
        "McDonald-Smith",
        "D'Silva",
    ]
    assert pii_heldout22.british("Mack") == "Mack" and pii_heldout22.british("Mc") == "Mc"


def test_heldout22_templates_choose_the_source_and_form():
    values = pii_heldout22.Heldout22Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template in (
        "Nom et prénom : {PERSON}",
        "Mme {PERSON}",
        "Aslema {PERSON}",
        "1 NAME {PERSON}",
        "PID|1||{PERSON}",
        "Dear Mrs {PERSON}",
        "Moghrey mie {PERSON}",
        "Signed-off-by: {PERSON}",
    ):
        values.rng = random.Random(7)  # the same draws each time: only the template changes
        written.append(values.written(template))
    assert written == [
        "Sana Gharsalli",
        "Gharsalli",
        "Sana",
        "Racha /Mrad/",
        "MRAD^RACHA",
        "Mileham",
        "Laine",
        "Racha bent Seif Mrad",
    ]


def test_heldout22_names_have_the_sources_forms(heldout22):
    people = part_labels(heldout22, "PERSON", ("generated",))
    assert len(people) > 250 and all(p.strip() == p for p in people)
    pools = pii_heldout22._pools()
    tunisian, british = set(pools["tn_last"]), set(pools["uk_last"])
    assert sum(any(s in p for s in tunisian) for p in people) >= 80
    assert sum(any(w in british for w in re.split(r"[ ,/^]+", p)) for p in people) >= 60
    assert sum(re.fullmatch(r"\S.* /.+/", p) is not None for p in people) >= 3  # GEDCOM NAME
    assert sum("^" in p for p in people) >= 3  # HL7 PID
    assert sum(re.search(r" (?:ben|bent) ", p) is not None for p in people) >= 5  # patronymics
    assert sum(", " in p for p in people) >= 5  # Surname, Given
    assert sum(re.match(r"[A-Z]\. ", p) is not None for p in people) >= 3  # G. Surname
    assert any(p.islower() for p in people) and any(p.isupper() and "^" not in p for p in people)


def test_heldout22_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout22.local_phone_in(rng)[1] for _ in range(6)] == [
        "85 82 59 79",
        "07624-448-337",
        "99 232860",
        "+227-74-04-04-79",
        "7869 7251",
        "+227-88-34-64-68",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout22.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout22_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout22.card_in(rng) for _ in range(6)] == [
        "5018.8073.0215.7368.194",
        "2201426212997225",
        "9792.3224.5383.2363",
        "3824 154990 9519",
        "9792 - 5277 - 2040 - 5609",
        "6590 7029 3137 5855",
    ]
    assert bad_cards(drawn(pii_heldout22.card_in), r"\d+(?:(?:[ .]| - )\d+)*", (14, 19)) == []


def test_heldout22_every_phone_ip_card_and_iban_label_is_valid(heldout22):
    counts = {kind: len(part_labels(heldout22, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout22, "IBAN_CODE", ("generated",))) >= 3
    assert invalid_labels(heldout22, pii_heldout22.LOCAL_REGIONS, ("CH", "GB"), card_digits=(14, 19)) == []


def test_heldout22_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout22", 10, 400)["negative"]]
    refs = [m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Réf\. dossier (TN\d\d [\d ]+\d)", t)] if m]
    assert refs and all(len(r) == 24 and pii_heldout22.mod97(r) != 1 for r in refs), refs
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Billet de loterie|Meter serial) ([\d. ]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout22.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16}, shaped
    cases = [m.group(1) for t in texts for m in [re.search(r"Dossier n° (\d{10})\b", t)] if m]
    assert cases and not any(valid_phone(c, "LY") for c in cases), cases
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # OIDs, versions and clauses shaped like an IP address, which they are not here
    assert pii_heldout22.never_valid("Billet de loterie 4111.1111.1111.1111") == "Billet de loterie 4111.1111.1111.1112"
    # TN59 0401 8104 0049 4271 2345 passes mod-97 (a published example): moved to 60
    assert pii_heldout22.mod97("TN5904018104004942712345") == 1
    assert (
        pii_heldout22.never_valid("Réf. dossier TN59 0401 8104 0049 4271 2345")
        == "Réf. dossier TN60 0401 8104 0049 4271 2345"
    )


def test_heldout22_is_the_same_each_time_and_leaves_random_alone(heldout22):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout22._pools.cache_clear()
    again = pii_sets.build("heldout22", 300, 40)
    assert random.random() == expected
    assert again == heldout22
    assert len(heldout22["hand"]) == 26 and len(heldout22["negative"]) == 40 + 5
    assert len(heldout22["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout22["negative"] + heldout22["word_negative"])
