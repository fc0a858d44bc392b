"""HELDOUT33 (bench/pii_heldout33.py): its names come from names-dataset's pools of Malaysia and Brunei, which no
earlier part drew, written in the two lands' forms (a father's name after ``bin``, ``binti``, ``a/l`` or ``anak``,
Brunei's titles, a Chinese surname beside an English given name); labels are whole values at the right offsets and
never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn, its phones are numbers of
Malaysia, Brunei or Singapore of the kind given, in the context's form), the part is the same each time, and its
negatives hold nothing to find (the utility account fails Luhn, the company number is no number of the part's
regions). Nothing is scored here: the benchmark does that."""

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
from bench import pii_heldout33, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_WORD = r"[A-Z][a-z]+"
_TITLES = r"(?:(?:Pg|Dk|Awg|Dyg|Hj|Hjh) )*"
_NAME = re.compile(rf"{_TITLES}{_WORD}(?: {_WORD})*(?: (?:bin|binti|a/l|anak) {_TITLES}{_WORD})?")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout33.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_CONTEXTS = ("plain", "samb", "duitnow", "glued", "run", "sg")
_SHAPES = {
    "duitnow": r"01\d{8,9}",
    "glued": r"\+601\d-\d{3,4} \d{4}",
    "sg": r"[689]\d{3}-\d{4}",
    "samb": r"0\d{1,2}-\d{3,4} \d{3,4}|\d{3} \d{4}",
}


@pytest.fixture(scope="module")
def heldout33() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout33", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout33.LOCAL_REGIONS)


def test_heldout33_source_gives_malaysias_and_bruneis_names():
    pools = pii_heldout33.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 100 for key, n in sizes.items() if key[:2] in ("MY", "BN")), sizes
    assert sizes["han"] >= 40 and sizes["indian"] >= 4 and sizes["indian_men"] >= 4 and sizes["english"] >= 50, sizes
    assert all(re.fullmatch(_WORD, n) for names in pools.values() for n in names)
    assert {"Khairul", "Amirul", "Haziq"} <= set(pools["MY_men"]) & set(pools["BN_men"])
    assert {"Siti", "Nurul", "Aisyah"} & set(pools["MY_women"]) and {"Jason", "Jenny"} <= set(pools["english"])
    assert {"Tan", "Lim", "Wong", "Liew"} <= set(pools["han"]) and {"Kumar", "Raj"} <= set(pools["indian"])
    everyone = {n for names in pools.values() for n in names}
    assert not {"Hj", "Hjh", "Pg", "Dk", "Mohd", "Brunei", "Bn", "Encik", "Pengiran"} & everyone
    assert not set(pools["MY_men"]) & (pii_heldout33.HAN | pii_heldout33.INDIAN)
    values = pii_heldout33.Heldout33Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Temburong homestay, host {PERSON}, {PHONE_NUMBER}",
        "Nama aku {PERSON}, ari Kuching. Telefon aku {PHONE_NUMBER}",
        "Kenduri at Kampung Baru, RSVP {PERSON} {PHONE_NUMBER}",
        "ADMINS = [('{PERSON}', '{EMAIL_ADDRESS}')]",
        "Surau Al-Ikhlas committee: treasurer {PERSON}, {PHONE_NUMBER}",
        "Kopivosian {PERSON}! Tamu Donggongon, Penampang. Call {PHONE_NUMBER}",
    )
    assert [values.person(t) for t in templates] == [
        "Pg Babah bin Pg Junaidi",
        "Amirah anak Jerry",
        "Kenny Chia",
        "Catherine Tan",
        "Mei binti Amar",
        "Fong Ros",
    ]


def test_heldout33_names_have_the_two_lands_forms(heldout33):
    people = part_labels(heldout33, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    pools = pii_heldout33.pools()
    assert sum(re.search(r" binti? ", p) is not None for p in people) >= 40  # a Malay father's name
    assert sum(" a/l " in p for p in people) >= 5 and sum(" anak " in p for p in people) >= 5
    titled = [p for p in people if re.match(r"(?:Pg|Dk|Awg|Dyg|Hj|Hjh) ", p)]
    assert len(titled) >= 10, titled  # Brunei's titles
    han = [p for p in people if set(p.split()) & set(pools["han"])]
    assert len(han) >= 20 and all(len(p.split()) == 2 for p in han), han
    assert sum(" " not in p for p in people) >= 10  # a given name alone after a greeting
    for p in people:
        father = re.search(r" (?:bin|binti) (?:(?:Pg|Hj|Awg) )*(\w+)$", p)
        if father:
            land = "BN" if p in titled or "Hj" in p or "Awg" in p or "Pg" in p else "MY"
            assert father.group(1) in pools["MY_men"] + pools["BN_men"], (p, land)
            assert not set(p.split()) & set(pools["english"]) or land == "BN", p


def test_heldout33_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout33.local_phone_in(rng, None, c)[1] for c in (*_CONTEXTS, "plain")] == [
        "013-497 9190",
        "453 3788",
        "0166232860",
        "+6017-404 0479",
        "3697251",
        "9146-4686",
        "7650492",
    ]
    rng = random.Random(11)
    seen, kinds = set(), set()
    for _ in range(3000):
        context = rng.choice(_CONTEXTS)
        region, number = pii_heldout33.local_phone_in(rng, rng.choice((None, "MY", "BN")), context)
        seen.add(region)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        kind = phonenumbers.number_type(parsed)
        if context == "duitnow" or (context == "glued" and region == "MY"):
            assert (region, kind) == ("MY", _MOBILE), number
        if context == "samb":
            assert kind == _FIXED, number
        kinds.add((region, kind))
        if context in _SHAPES and (region == "MY" or context in ("samb", "sg")):
            assert re.fullmatch(_SHAPES[context], number), number
        if region == "BN" and context in ("run", "plain", "glued"):
            assert re.fullmatch(r"[2-8]\d{6}", number), number
    assert seen == set(pii_heldout33.LOCAL_REGIONS)
    assert kinds == {(r, k) for r in pii_heldout33.LOCAL_REGIONS for k in (_FIXED, _MOBILE)}
    values = pii_heldout33.Heldout33Values(pii_sets.Makers(1, ["en_US"], []))
    assert values.phone("Kopivosian {PERSON}! Tamu Donggongon, Penampang. Call {PHONE_NUMBER}").startswith(
        ("01", "088-")
    )
    assert re.fullmatch(r"0\d{9,10}", values.phone("DuitNow to {PHONE_NUMBER} ({PERSON}) RM35.00"))
    contact = "CONTACT:{PERSON}\\, {PHONE_NUMBER}\nEND:VEVENT"
    assert re.fullmatch(r"\d{7}", values.phone("SUMMARY:Tamu Kianggeh stall permit\n" + contact))
    assert values.phone("SUMMARY:Penang site visit\n" + contact).startswith("+60")


def test_heldout33_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout33.card_in(rng) for _ in range(2)] + [pii_heldout33.card_in(rng, "run")] == [
        "2628 5807 3021 5737",
        "6293 0364 2621 2996",
        "6220033224538324",
    ]
    cards = drawn(pii_heldout33.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "27", "62"}
    runs = drawn(lambda r: pii_heldout33.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}


def test_heldout33_every_phone_ip_and_card_label_is_valid(heldout33):
    counts = {kind: len(part_labels(heldout33, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 20, counts
    assert part_labels(heldout33, "IBAN_CODE") == [] and part_labels(heldout33, "US_SSN") == []
    phones = part_labels(heldout33, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    assert sum(re.fullmatch(r"\+601\d-.*", p) is not None for p in phones) >= 5  # the country code glued
    assert sum(re.fullmatch(r"[2-8]\d{6}", p) is not None for p in phones) >= 5  # Brunei's seven digits run
    texts = [text for text, _ in heldout33["generated"]]
    assert any(re.search(r"\d samb\. \d+", t) for t in texts)  # an extension after Malay's word
    assert any(re.search(r"\|\d{15,16}\|", t) for t in texts)  # a card between a record's pipes
    assert any(re.search(r"[\u0600-\u06ff] 0\d", t) for t in texts)  # a number in Jawi text
    assert invalid_labels(heldout33, pii_heldout33.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout33_labels_sit_where_their_values_are_and_never_overlap(heldout33):
    assert misplaced_labels(heldout33, _HAND) == []


def test_heldout33_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout33", 10, 400)["negative"]]
    accounts = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"account ([\d ]+)$", t)] if m]
    assert len(accounts) >= 10 and {len(a) for a in accounts} == {16}, accounts
    assert all(pii_heldout33.luhn_sum(a) != 0 for a in accounts), accounts
    companies = [m.group(1) for t in texts for m in [re.search(r"Company No\. (\d+)", t)] if m]
    assert companies and {len(c) for c in companies} == {12}, companies
    assert not any(_valid_somewhere(c) for c in companies), companies
    parcels = [m.group(1) for t in texts for m in [re.search(r"EP(\d+)MY", t)] if m]
    assert parcels and {len(p) for p in parcels} == {9}, parcels  # nine digits between the carrier's letters
    account = "TNB bill account 4111 1111 1111 1111"
    assert pii_heldout33.never_valid(account) == "TNB bill account 4111 1111 1111 1112"
    assert pii_heldout33.never_valid("TNB bill account 4111 1111 1111 1112") == "TNB bill account 4111 1111 1111 1112"


def test_heldout33_is_the_same_each_time_and_leaves_random_alone(heldout33):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout33.pools.cache_clear()
    again = pii_sets.build("heldout33", 300, 40)
    assert random.random() == expected
    assert again == heldout33
    assert len(heldout33["hand"]) == 31 and len(heldout33["negative"]) == 40 + 5
    assert len(heldout33["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout33["negative"] + heldout33["word_negative"])
