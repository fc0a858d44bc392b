"""HELDOUT35 (bench/pii_heldout35.py): its names come from names-dataset's pools of Bangladesh and Mauritius, which no
earlier part drew, written in the two lands' forms (a Bangladeshi's ``Md.`` or ``Mst.``, a lineage, initials, a
servant's name of God, a woman's ``Akter`` and a man's ``Hossain``, a Hindu woman's ``Rani``, a given name before
``bhai``, ``apu``, ``da``, ``di``, ``bhaiya`` or ``didi`` or after ``Tonton`` or ``Tantine``); labels are whole values
at the right offsets and never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn,
its phones are numbers of Bangladesh, Mauritius, Réunion or Seychelles of the kind given, in the context's form, in
Bengali digits where the text is Bengali), the part is the same each time, and its negatives hold nothing to find (the
loyalty card fails Luhn, the electricity account is no number of the part's regions). Nothing is scored here: the
benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("names_dataset", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout35, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_WORD = r"[A-Z][a-zàâçéèêëîïôûü]+"
_PREFIX = r"(?:Md\. |Md |MD\. |Mohammad |Syed |Kazi |Sheikh |Mst\. |Most\. |Syeda |A K M |S M |A B M )"
_NAME = re.compile(rf"{_PREFIX}?(?:{_WORD} Rani {_WORD}|Abdu[lrs] {_WORD}|{_WORD}(?: {_WORD})?)")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout35.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_CONTEXTS = ("plain", "intl", "e164", "query", "dial")
_SHAPES = {
    "e164": r"\+(?:880|230|262|248)\d{7,10}",
    "query": r"%2B(?:880|230|262|248)\d{7,10}",
    "dial": r"00(?:880|230|262|248)\d{7,10}",
    "intl": r"\+880 \d{1,4}-\d{6,8}|\+230 \d{3,4} \d{4}|\+262 \d{3}(?: \d\d){3}|\+248 \d \d{3} \d{3}",
    "bengali": r"(?:\+880 |0)(?:1[3-9]\d\d-\d{6}|\d{1,3}-\d{6,8})",  # read in ASCII digits
    "plus88": r"\+88 0(?:1[3-9]\d\d-\d{6}|\d{1,3}-\d{6,8})",
    "run": r"01[3-9]\d{8}",
}
_PLAIN = {
    "BD": r"01[3-9]\d\d-\d{6}|0\d{1,3}-\d{6,8}",
    "MU": r"5\d{3} \d{4}|[2-8]\d\d \d{4}",
    "RE": r"0[26] \d\d(?: \d\d){3}",
    "SC": r"[24] \d{3} \d{3}",
}


@pytest.fixture(scope="module")
def heldout35() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout35", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(unquote(number), r) for r in pii_heldout35.LOCAL_REGIONS)


def test_heldout35_source_gives_bangladeshs_and_mauritius_names():
    pools = pii_heldout35.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 100 for key, n in sizes.items() if not key.startswith(("BD_hindu", "BD_divine"))), sizes
    assert min(sizes["BD_hindu_men"], sizes["BD_hindu_women"], sizes["BD_divine"]) >= 10, sizes
    names = {n for ns in pools.values() for n in ns}
    assert all(re.fullmatch(_WORD, n) for n in names)
    assert {"Rafiqul", "Shahidul", "Tanvir"} <= set(pools["BD_men"]) and {"Nusrat", "Farzana"} <= set(pools["BD_women"])
    assert {"Akter", "Begum", "Khatun", "Islam", "Chowdhury"} <= set(pools["BD_last_women"])
    assert {"Hossain", "Uddin", "Islam", "Mia"} <= set(pools["BD_last_men"]) and "Akter" not in pools["BD_last_men"]
    assert not {"Hossain", "Uddin"} & set(pools["BD_last_women"])
    assert {"Das", "Saha", "Roy"} <= set(pools["BD_hindu_last"]) and {"Subrata", "Rupa"} <= names
    assert not set(pools["BD_hindu_last"]) & set(pools["BD_last_men"] + pools["BD_last_women"])
    assert {"Vikash", "Didier", "Kavish"} <= set(pools["MU_men"]) and {"Reshma", "Corinne"} <= set(pools["MU_women"])
    assert {"Beeharry", "Ramchurn", "Jolicoeur", "Joomun", "How"} <= set(pools["MU_last"])
    assert {"Rahman", "Samad", "Karim"} <= set(pools["BD_divine"])
    # the table's Portuguese, abbreviations, titles, words, nicknames borne as surnames, a woman's name as a surname
    left = {"Silva", "Pedro", "Joana", "Sousa", "Md", "Mst", "Engr", "Angel", "Mohammad", "Kazi", "Dhaka", "Mauritius"}
    assert not left & names and not {"Sumon", "Rubel", "Tania", "Chy", "Ctg"} & set(pools["BD_last_men"])
    values = pii_heldout35.Heldout35Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Name: {PERSON}\nMobile: {PHONE_NUMBER}\nDistrict: Khulna",
        "Dutch-Bangla Bank, Nominee: {PERSON}, relation: spouse",
        "{PERSON} da, pujar chanda bKash korlam, number {PHONE_NUMBER}",
        "Tantine {PERSON} inn fer gato pou nou, Curepipe. Telefonn li {PHONE_NUMBER}",
        "GET /cgi-bin/send?to={PHONE_NUMBER}&text=Hello+{PERSON} HTTP/1.1",
        "Kita khobor {PERSON}? Sylhet aile call dio {PHONE_NUMBER}",
        "Flat in Quatre Bornes to let, contact {PERSON} on {PHONE_NUMBER}",
    )
    assert [values.person(t) for t in templates] == [
        "Mst. Samiya Salam",
        "Abdul Awal",
        "Shamol",
        "Esha",
        "Md.+Abdur+Rahman",
        "Mousumi Sinha",
        "Reshad Panchoo",
    ]


def test_heldout35_writes_servants_names_and_bengali_digits():
    assert [pii_heldout35.servant(n) for n in ("Rahman", "Rouf", "Samad", "Sattar", "Karim", "Malek")] == [
        "Abdur Rahman",
        "Abdur Rouf",
        "Abdus Samad",
        "Abdus Sattar",
        "Abdul Karim",
        "Abdul Malek",
    ]
    assert pii_heldout35.bengali("+880 1711-234567, 2026") == "+৮৮০ ১৭১১-২৩৪৫৬৭, ২০২৬"


def test_heldout35_names_have_the_two_lands_forms(heldout35):
    people = part_labels(heldout35, "PERSON", ("generated",))
    assert len(people) > 250
    plain = [p.replace("+", " ") for p in people]
    assert all(_NAME.fullmatch(p) for p in plain), [p for p in plain if not _NAME.fullmatch(p)]
    assert sum(re.match(r"Md\.? |MD\. |Mohammad ", p) is not None for p in plain) >= 10
    assert sum(re.match(r"Mst\. |Most\. ", p) is not None for p in plain) >= 5
    assert sum(re.search(r"\bAbdu[lrs] ", p) is not None for p in plain) >= 5
    assert sum(" Rani " in p for p in plain) >= 2 and sum("+" in p for p in people) >= 5
    assert sum(re.fullmatch(_WORD, p) is not None for p in people) >= 40  # a given name alone
    pools = pii_heldout35.pools()
    women = set(pools["BD_women"] + pools["BD_hindu_women"])
    for p in plain:
        words = re.sub(_PREFIX, "", p).split()
        if len(words) == 2 and words[1] in pii_heldout35._WOMEN_LAST:
            assert words[0] in women, p
        if len(words) == 2 and words[1] in pii_heldout35._MEN_LAST:
            assert words[0] in pools["BD_men"], p
    kin = {
        r"(\S+) bhai\b": "BD_men",
        r"(\S+) apu\b": "BD_women",
        r"(\S+) da,": "BD_hindu_men",
        r"(\S+) di!": "BD_hindu_women",
        r"Tonton (\S+),": "MU_men",
        r"Tantine (\S+) ": "MU_women",
        r"(\S+) didi,": "MU_women",
    }
    for text, _ in heldout35["generated"]:
        for pattern, pool in kin.items():
            given = re.search(pattern, text)
            if given:
                assert given.group(1) in pools[pool], text


def test_heldout35_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    forms = (("BD", "plain"), ("BD", "bengali"), ("BD", "plus88"), ("MU", "plain"), ("RE", "plain"), ("SC", "intl"))
    forms += (("MU", "e164"), ("RE", "query"), ("BD", "dial"), ("BD", "run"))
    assert [pii_heldout35.local_phone_in(rng, r, c)[0] for r, c in forms] == [
        "01725-979190",
        "০৭২১-৮১৮৩৩৭",
        "+88 0721-773286",
        "263 2904",
        "02 62 35 96 66",
        "+248 4 232 510",
        "+23057746468",
        "%2B262262318969",
        "008801504925899",
        "01339441177",
    ]
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        region = rng.choice(pii_heldout35.LOCAL_REGIONS)
        context = rng.choice(_CONTEXTS + (("bengali", "plus88", "run") if region == "BD" else ()))
        number, mobile = pii_heldout35.local_phone_in(rng, region, context)
        parsed = phonenumbers.parse(unquote(number), region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) == (_MOBILE if mobile else _FIXED), number
        if context == "bengali":  # Bengali digits only, in a shape of Bangladesh's
            assert not re.search(r"[0-9]", number), number
            number = number.translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789"))
        assert re.fullmatch(_SHAPES.get(context) or _PLAIN[region], number), (context, number)
        assert mobile or context != "run", number
        kinds.add((region, mobile))
    assert kinds == {(r, m) for r in pii_heldout35.LOCAL_REGIONS for m in (True, False)}
    values = pii_heldout35.Heldout35Values(pii_sets.Makers(1, ["en_US"], []))
    assert re.fullmatch(r"0(?:1[3-9]\d\d-\d{6}|2-\d{8})", values.phone("Account Name: {PERSON}, Dhaka branch"))
    assert re.fullmatch(r"[০-৯+ -]+", values.phone("{PERSON} ভাইয়ের নম্বর: {PHONE_NUMBER}"))
    assert values.phone("Applicant: {PERSON} (Rajshahi), imo/WhatsApp {PHONE_NUMBER}").startswith("+88 0")
    assert values.phone("Rodrigues: gîte chez {PERSON}, tel {PHONE_NUMBER}")[:2] in ("83", "57", "58", "59")


def test_heldout35_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    cards = [pii_heldout35.card_in(rng) for _ in range(2)] + [pii_heldout35.card_in(rng, "run")]
    assert cards + [pii_heldout35.card_in(rng, "bengali")] == [
        "2628 5807 3021 5737",
        "6293 0364 2621 2996",
        "6220033224538324",
        "৫৪৪০ ৫৬২২ ৪১৫৪ ৯৯০২",
    ]
    cards = drawn(pii_heldout35.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "26", "62"}
    runs = drawn(lambda r: pii_heldout35.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}
    bengali = drawn(lambda r: pii_heldout35.card_in(r, "bengali"))
    assert bad_cards(bengali, r"[০-৯]{4}(?: [০-৯]{4}){3}", (16, 16)) == []  # Luhn read from Bengali digits


def test_heldout35_every_phone_ip_and_card_label_is_valid(heldout35):
    counts = {kind: len(part_labels(heldout35, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 30, counts
    assert part_labels(heldout35, "IBAN_CODE") == [] and part_labels(heldout35, "US_SSN") == []
    phones = part_labels(heldout35, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    assert sum(re.fullmatch(r"[০-৯+ -]+", p) is not None for p in phones) >= 5  # Bengali digits
    assert sum(p.startswith("+88 0") for p in phones) >= 3 and sum(p.startswith("%2B") for p in phones) >= 3
    assert sum(p.startswith("00") for p in phones) >= 3 and sum(p.startswith("+230") for p in phones) >= 1
    texts = [text for text, _ in heldout35["generated"]]
    assert any(re.search(r'AT\+CMGS="\+\d+"', t) for t in texts) and any(re.match(r"ATD\+\d+;", t) for t in texts)
    assert any(re.search(r'number: "\d{15,16}"', t) for t in texts)  # a card in a YAML fixture's string
    assert any(re.search(r"\t\d{15,16}\t", t) for t in texts)  # and in a TSV row
    assert any(re.search(r"কার্ড নম্বর: [০-৯]{4} ", t) for t in texts)
    unphoned = {
        key: [(text, [s for s in spans if s[0] != "PHONE_NUMBER"]) for text, spans in heldout35[key]]
        for key in ("generated", "hand")
    }
    assert invalid_labels(unphoned, pii_heldout35.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout35_labels_sit_where_their_values_are_and_never_overlap(heldout35):
    assert misplaced_labels(heldout35, _HAND) == []


def test_heldout35_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout35", 10, 400)["negative"]]
    loyalty = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"কার্ড ([০-৯ ]+)$", t)] if m]
    assert len(loyalty) >= 10 and {len(a) for a in loyalty} == {16}, loyalty
    assert all(pii_heldout35.luhn_sum(a) != 0 for a in loyalty), loyalty
    assert not any(re.search(r"[0-9]", t) for t in texts if re.search(r"[\u0980-\u09ff]", t))  # Bengali digits there
    accounts = [m.group(1) for t in texts for m in [re.search(r"account (\d+)", t)] if m]
    assert len(accounts) >= 10 and {len(a) for a in accounts} == {11}, accounts
    assert not any(_valid_somewhere(a) for a in accounts), accounts
    card = "আড়ং রিওয়ার্ড কার্ড 4111 1111 1111 1111"
    assert pii_heldout35.never_valid(card) == "আড়ং রিওয়ার্ড কার্ড ৪১১১ ১১১১ ১১১১ ১১১২"
    assert pii_heldout35.never_valid("Hotline 16247, 24/7") == "Hotline 16247, 24/7"


def test_heldout35_is_the_same_each_time_and_leaves_random_alone(heldout35):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout35.pools.cache_clear()
    again = pii_sets.build("heldout35", 300, 40)
    assert random.random() == expected
    assert again == heldout35
    assert len(heldout35["hand"]) == 38 and len(heldout35["negative"]) == 40 + 5
    assert len(heldout35["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout35["negative"] + heldout35["word_negative"])
