"""HELDOUT20 (bench/pii_heldout20.py): its names come from names-dataset's tables (the first and last names of
twelve countries no part drew), a source no earlier part used; labels are whole values, every phone, IP, card and
IBAN label is valid by its own rules (its cards of many brands pass Luhn), the part is the same each time, and
its negatives hold nothing to find (the card-shaped codes fail Luhn, the IBAN-shaped supplier codes fail mod-97,
the Puerto Rican account and the Kuwaiti case number are no phone numbers). Nothing is scored here: the benchmark
does that."""

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
from bench import pii_heldout20, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, part_labels, valid_phone  # noqa: E402


@pytest.fixture(scope="module")
def heldout20() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout20", 300, 40)


def test_heldout20_source_is_read_as_expected():
    pools = pii_heldout20._pools()
    assert set(pools) == set(pii_heldout20.NAME_COUNTRIES)
    assert all(len(p["first"]) == len(p["last"]) == 400 for p in pools.values())
    assert pools["FJ"]["first"][:3] == ["Tevita", "Tinai", "Viliame"] and pools["FJ"]["last"][0] == "Goundar"
    assert pools["FJ"]["first"][-1] == "Subhag" and pools["FJ"]["last"][-1] == "Valetini"
    assert pools["BO"]["last"][:3] == ["Mamani", "Flores", "Quispe"]
    assert pools["YE"]["last"][-1] == "النصيري"
    assert {"Батыр", "Myrat"} <= set(pools["TM"]["first"]) and "الشرعبي" in pools["YE"]["last"]
    every = {n for p in pools.values() for names in p.values() for n in names}
    assert not every & pii_heldout20._NOT_NAMES  # "Fiji", "Kwt", "ام" and the like are left out
    assert {pii_heldout20.script(n) for n in every} == {"Latin", "Cyrillic", "Arabic"}


def test_heldout20_script_is_one_or_none():
    script = pii_heldout20.script
    assert script("Ieong Kuok Wa") == "Latin" and script("Tuyết") == "Latin"
    assert script("Батыр") == "Cyrillic" and script("صالح الشرعبي") == "Arabic"
    assert script("재석") == "" and script("Shageldi Алиева") == ""


def test_heldout20_templates_choose_the_form():
    values = pii_heldout20.Heldout20Values(pii_sets.Makers(1, ["en_US"], []))
    written = []
    for template in (
        "PASSENGER: {PERSON}",
        "PID|1||1||{PERSON}",
        "Dear Mrs. {PERSON}",
        "Ni sa bula {PERSON}",
        "Guest: {PERSON}",
    ):
        values.rng = random.Random(7)  # the same draws each time: only the template changes
        written.append(values.written(template))
    assert written == ["QUINTEROS/BRAYAN", "Quinteros^Brayan", "Quinteros", "Brayan", "Brayan Quinteros"]


def test_heldout20_names_have_the_sources_forms(heldout20):
    people = part_labels(heldout20, "PERSON", ("generated",))
    assert len(people) > 250 and all(p.strip() == p for p in people)
    assert (
        sum(
            re.fullmatch(r"[^\W\d_' -]+(?: [^\W\d_' -]+)*/[^\W\d_' -]+(?: [^\W\d_' -]+)*(?: MRS?| MS)?", p) is not None
            for p in people
        )
        >= 10
    )
    assert sum("^" in p for p in people) >= 3  # HL7's Surname^Given
    assert sum(", " in p for p in people) >= 10  # Surname, Given
    assert sum(len(p.split()) == 1 for p in people) >= 10  # a given name or a surname alone
    assert any(pii_heldout20.script(p) == "Arabic" for p in people)
    assert any(pii_heldout20.script(p) == "Cyrillic" for p in people)
    assert any(p.isupper() and "/" not in p for p in people) and any(p.islower() for p in people)


def test_heldout20_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout20.local_phone_in(rng)[1] for _ in range(6)] == [
        "(297) 747 8259",
        "330-5907",
        "731-8876",
        "569-8601",
        "(+257) 6140-4796",
        "00962 79 2972510",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        region, number = pii_heldout20.local_phone_in(rng)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ), number


def test_heldout20_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout20.card_in(rng) for _ in range(6)] == [
        "3841 - 0073 - 0215 - 7369",
        "6363.6864.2621.2993",
        "5083.3224.5383.2369",
        "3824 154990 9519",
        "3841.0027.7204.0560.860",
        "2204 2931 3758 5841",
    ]
    assert bad_cards(drawn(pii_heldout20.card_in), r"\d+(?:(?: - |[ .])\d+)*", (12, 19)) == []


def test_heldout20_every_phone_ip_card_and_iban_label_is_valid(heldout20):
    counts = {kind: len(part_labels(heldout20, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 100 and counts["IP_ADDRESS"] > 5 and counts["CREDIT_CARD"] > 20, counts
    assert len(part_labels(heldout20, "IBAN_CODE", ("generated",))) >= 3
    assert invalid_labels(heldout20, pii_heldout20.LOCAL_REGIONS, ("PT", "IT", "IE", "GB"), card_digits=(12, 19)) == []


def test_heldout20_identifier_shaped_negatives_are_not_identifiers(heldout20):
    texts = [text for text, _ in heldout20["negative"]]
    codes = [
        m.group(1).replace(" ", "") for t in texts for m in [re.search(r"Codice fornitore (IT\d\d X[\d ]+\d)", t)] if m
    ]
    assert codes and all(len(c) == 27 and pii_heldout20.mod97(c) != 1 for c in codes), codes
    shaped = [m.group(1) for t in texts for m in [re.search(r"(?:Loyalty card|Voucher) ([\d ]+\d)", t)] if m]
    assert len(shaped) >= 2 and all(pii_heldout20.luhn_sum(s) != 0 for s in shaped), shaped
    assert {len(re.sub(r"\D", "", s)) for s in shaped} == {16, 19}, shaped
    accounts = [m.group(1) for t in texts for m in [re.search(r"Utility account (787-\d{3}-\d{4})", t)] if m]
    assert accounts and not any(valid_phone(a, "PR") for a in accounts), accounts
    cases = [m.group(1) for t in texts for m in [re.search(r"Civil service case (\d{8})\b", t)] if m]
    assert cases and not any(valid_phone(c, "KW") for c in cases), cases
    four = [m.group(0) for t in texts for m in re.finditer(r"\b\d+\.\d+\.\d+\.\d+\b", t)]
    assert four  # OIDs and Windows builds shaped like an IP address, which they are not here
    assert pii_heldout20.never_valid("Loyalty card 4111 1111 1111 1111") == "Loyalty card 4111 1111 1111 1112"
    # IT60 X054 2811 1010 0000 0123 456 passes mod-97 (the IBAN registry's Italian example): moved to 61
    assert (
        pii_heldout20.never_valid("Codice fornitore IT60 X054 2811 1010 0000 0123 456")
        == "Codice fornitore IT61 X054 2811 1010 0000 0123 456"
    )


def test_heldout20_is_the_same_each_time_and_leaves_random_alone(heldout20):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout20._pools.cache_clear()
    again = pii_sets.build("heldout20", 300, 40)
    assert random.random() == expected
    assert again == heldout20
    assert len(heldout20["hand"]) == 27 and len(heldout20["negative"]) == 40 + 8
    assert len(heldout20["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout20["negative"] + heldout20["word_negative"])
