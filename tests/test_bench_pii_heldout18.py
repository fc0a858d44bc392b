"""HELDOUT18 (bench/pii_heldout18.py): its names come from jpntextgen's romanized mail names (Japanese names in
Latin letters) and imenar's lists (Slovenia's register), sources no earlier part used; labels are whole values,
every phone, IP, card and IBAN label is valid by its own rules (its cards of many brands pass Luhn), the part is
the same each time, and its negatives hold nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped
invoice references fail mod-97, the Malawian ticket is a digit short of a phone). Nothing is scored here: the
benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("jpntextgen", "imenar", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout18, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402


@pytest.fixture(scope="module")
def heldout18() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout18", 300, 40)


def test_heldout18_sources_are_read_as_expected():
    pools = pii_heldout18._pools()
    assert {k: len(v) for k, v in pools.items()} == {"jp_pairs": 668, "si_given": 7745, "si_surnames": 29495}
    assert pools["jp_pairs"][:2] == [("Kawamura", "Jun"), ("Hamanaga", "Shogo")]
    assert ("Show", "Hint") not in pools["jp_pairs"]  # a mail name that is not a person's
    assert all(len(a) >= 3 and len(b) >= 3 for a, b in pools["jp_pairs"])  # no initials
    assert pools["si_given"][:2] == ["Aaron", "Abaz"] and pools["si_given"][-1] == "Yvonne"
    assert pools["si_surnames"][:2] == ["Abakumov", "Abaz"] and pools["si_surnames"][-1] == "Žvorc"
    assert "Festim" in pools["si_given"] and "Gajraku" in pools["si_surnames"] and "Al Mansour" in pools["si_surnames"]


def test_heldout18_templates_choose_the_source():
    values = pii_heldout18.Heldout18Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template, source in (
        ("Hi {PERSON}-san", "japanese"),
        ("Ryokan {PERSON}", "japanese"),
        ("Ime in priimek: {PERSON}", "slovenian"),
        ("Pozdravljeni {PERSON}", "slovenian"),
    ):
        values.rng = random.Random(7)  # the same draws each time: only the template changes
        written.append(getattr(values, source)(template))
    assert written == ["Takahiro", "Suedomi Takahiro", "DLOPST PANCHE", "Panche Dlopst"]


def test_heldout18_names_have_the_sources_forms(heldout18):
    people = part_labels(heldout18, "PERSON", ("generated",))
    assert len(people) > 250 and all(p.strip() == p for p in people)
    assert sum(re.search(r"[čšžćđČŠŽĆĐ]", p) is not None for p in people) >= 30  # Slovenian letters
    assert sum(len(p.split()) == 1 for p in people) >= 15  # a family name alone before -san or after ga.
    assert sum(re.fullmatch(r"[A-Z]{3,} [A-Z][a-z]+", p) is not None for p in people) >= 10  # FAMILY Given
    assert sum(len(p.split()) >= 3 for p in people) >= 5  # double given names, compound surnames
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)


def test_heldout18_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout18.local_phone_in(rng)[1] for _ in range(6)] == [
        "081 597 9190",
        "078 337 8876",
        "081 860 1290",
        "7779-6669",
        "0991027346",
        "0779 589 693",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout18.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout18_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout18.card_in(rng) for _ in range(5)] == [
        "3780 730215 73689",
        "2201426212997225",
        "2201224538323642",
        "6759-4154-9909-5149",
        "9792 2772 0405 6086",
    ]
    assert bad_cards(drawn(pii_heldout18.card_in), r"\d+(?:([ -])\d+)*", (14, 19)) == []


def test_heldout18_every_phone_ip_card_and_iban_label_is_valid(heldout18):
    counts = {kind: len(part_labels(heldout18, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout18, "IBAN_CODE", ("generated",))) >= 3
    assert invalid_labels(heldout18, pii_heldout18.LOCAL_REGIONS, ("JP", "SI", "IE", "GB"), card_digits=(14, 19)) == []


def test_heldout18_identifier_shaped_negatives_are_not_identifiers(heldout18):
    texts = [text for text, _ in heldout18["negative"]]
    refs = [
        m.group(1).replace(" ", "")
        for t in texts
        for m in [re.search(r"Referenca (SI\d\d(?: \d{4}){3} \d{3})", t)]
        if m
    ]
    assert refs and all(len(r) == 19 and pii_heldout18.mod97(r) != 1 for r in refs), refs
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Container seal|Transaction ref) ([\d ]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout18.luhn_sum(s) != 0 for s in shaped), shaped
    assert all(len(re.sub(r"\D", "", s)) == 16 for s in shaped), shaped
    tickets = [m.group(1) for t in texts for m in [re.search(r"basi (0999 \d{3} \d{2})", t)] if m]
    assert tickets and not any(valid_phone(t, "MW") for t in tickets), tickets
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # OIDs and kernel versions shaped like an IP address, which they are not here
    assert pii_heldout18.never_valid("Container seal 4111 1111 1111 1111") == "Container seal 4111 1111 1111 1112"
    # SI56 1910 0000 0123 438 passes mod-97 (the IBAN registry's Slovenian example): moved to 57
    assert pii_heldout18.never_valid("Referenca SI56 1910 0000 0123 438") == "Referenca SI57 1910 0000 0123 438"


def test_heldout18_is_the_same_each_time_and_leaves_random_alone(heldout18):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout18._pools.cache_clear()
    again = pii_sets.build("heldout18", 300, 40)
    assert random.random() == expected
    assert again == heldout18
    assert len(heldout18["hand"]) == 26 and len(heldout18["negative"]) == 40 + 8
    assert len(heldout18["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout18["negative"] + heldout18["word_negative"])
