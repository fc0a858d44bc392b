"""HELDOUT32 (bench/pii_heldout32.py): its names come from genuine-fake's Zimbabwean given names and surnames, a source
no earlier part drew, written in Zimbabwe's forms (a second given name, ``Mai`` or ``Baba`` and a child's name, an
Ndebele woman's ``Ma`` and clan name, a burial society's initials, EcoCash's capitals); labels are whole values at the
right offsets and never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn, its
phones are numbers of Zimbabwe, Zambia, Malawi or Mozambique of the kind given, in the context's form), the part is
the same each time, and its negatives hold nothing to find (the prepaid token fails Luhn, the meter, tax and TPIN
numbers are no numbers of the part's regions). Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("genuine", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout32, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_WORD = r"[^\W\d_]+(?:['-][^\W\d_]+)*"
_NAME = re.compile(rf"(?:[A-Z]\. )*{_WORD}(?: {_WORD})*")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout32.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_CONTEXTS = ("plain", "run", "dial", "msisdn", "national")
_SHAPES = {"run": r"07[78]\d{7}", "dial": r"\+\d{10,12}", "msisdn": r"\d{12}", "national": r"0?\d{2,3}(?: \d+)+"}


@pytest.fixture(scope="module")
def heldout32() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout32", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout32.LOCAL_REGIONS)


def test_heldout32_source_gives_zimbabwes_given_names_and_surnames():
    pools = pii_heldout32.pools()
    assert {key: len(names) for key, names in pools.items()} == {"given": 581, "family": 1031, "nguni": 39}
    assert all(re.fullmatch(_WORD, n) for names in pools.values() for n in names)
    assert {"Learnmore", "Lastborn", "Tinotenda", "Thandolwenkosi", "S'phesihle"} <= set(pools["given"])
    assert {"Moyo", "Chigumira", "Shoko", "Sixpence"} <= set(pools["family"])  # Shoko without its stray comma
    assert not {"Mulenga", "Chilufya", "Naidoo", "Van", "Phtrt", "kelvin"} & set(pools["family"] + pools["given"])
    assert {"Ncube", "Khumalo", "Dlodlo", "Mhlanga"} <= set(pools["nguni"]) and "Sixpence" not in pools["nguni"]
    assert set(pools["nguni"]) <= set(pools["family"])
    values = pii_heldout32.Heldout32Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Gogo {PERSON} waseNkulumane, {PHONE_NUMBER}",
        "Fresh covo and tomatoes from {PERSON}'s stall at Mbare Musika, WhatsApp {PHONE_NUMBER}",
        "Leicester Burial Society: {PERSON} paid £10 for May. Zim line {PHONE_NUMBER}",
        "Transfer Confirmation. US$20.00 sent to {PERSON} {PHONE_NUMBER}. New wallet balance: US$4.50",
        "Ibizo lami ngu{PERSON}, ngihlala eBulawayo. {PHONE_NUMBER}",
        "HIFA volunteer roster, Harare Gardens: {PERSON}, {EMAIL_ADDRESS}",
        "Avuxeni {PERSON}! Xai-Xai, {PHONE_NUMBER}",
    )
    assert [values.person(t) for t in templates] == [
        "MaLuphahla",
        "Baba Humphrey",
        "D. Chiripanyanga",
        "LIHLE DZIKITI",
        "Charlene Ganya",
        "Busi Jani",
        "Carl Samkeliso Chinyoka",
    ]


def test_heldout32_names_have_zimbabwes_forms(heldout32):
    people = part_labels(heldout32, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    assert not set(people) & pii_heldout32.FAMOUS
    pools = pii_heldout32.pools()
    words = set(pools["given"] + pools["family"])
    clans = [p for p in people if re.fullmatch(r"Ma[A-Z]\w+", p)]
    assert len(clans) >= 3 and all(p[2:] in pools["nguni"] for p in clans), clans
    assert sum(re.fullmatch(r"(?:Mai|Amai|Baba) \S+", p) is not None for p in people) >= 5  # a child's name
    assert sum(re.match(r"[A-Z]\. ", p) is not None for p in people) >= 3  # a burial society's initials
    assert sum(p.isupper() for p in people) >= 3  # an EcoCash confirmation's capitals
    assert sum(" " not in p and p in pools["given"] for p in people) >= 10  # a given name alone after a greeting
    assert sum(len(p.split()) == 3 and not p.isupper() for p in people) >= 25  # a second given name
    for p in people:
        if not p.isupper() and not re.match(r"(?:Mai|Amai|Baba|[A-Z]\.) |Ma[A-Z]", p):
            assert set(p.split()) <= words, p


def test_heldout32_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    assert [pii_heldout32.local_phone_in(rng, None, c)[1] for c in (*_CONTEXTS, "plain")] == [
        "0211 597 919",
        "0784833788",
        "+25828223286",
        "263781290404",
        "85 669 7251",
        "+263 714 646 869",
    ]
    rng = random.Random(11)
    seen, kinds = set(), set()
    for _ in range(3000):
        context = rng.choice(_CONTEXTS)
        region, number = pii_heldout32.local_phone_in(rng, None, context)
        seen.add(region)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        kind = phonenumbers.number_type(parsed)
        assert kind == (_FIXED if context == "dial" else _MOBILE) or context == "plain", number
        kinds.add((region, kind))
        if context in _SHAPES:
            assert re.fullmatch(_SHAPES[context], number), number
    assert seen == set(pii_heldout32.LOCAL_REGIONS)
    assert kinds == {(r, k) for r in pii_heldout32.LOCAL_REGIONS for k in (_FIXED, _MOBILE)}
    values = pii_heldout32.Heldout32Values(pii_sets.Makers(1, ["en_US"], []))
    assert re.fullmatch(r"07[78]\d{7}", values.phone("EcoCash: dial *151*1*1*{PHONE_NUMBER}# to send {PERSON}"))
    assert values.phone("Yewo chomene {PERSON}! Mzuzu, {PHONE_NUMBER}").startswith(("0", "+265 "))
    assert values.phone("DESCRIPTION:Harare. Join by phone: {PHONE_NUMBER},,84213097#").startswith("+263")


def test_heldout32_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout32.card_in(rng) for _ in range(2)] + [
        pii_heldout32.card_in(rng, "hyphens"),
        pii_heldout32.card_in(rng, "run"),
    ] == ["2672 5807 3021 5732", "6293 0364 2621 2996", "6220-0332-2453-8324", "5440562241549902"]
    cards = drawn(pii_heldout32.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "27", "62"}
    hyphens = drawn(lambda r: pii_heldout32.card_in(r, "hyphens"))
    assert bad_cards(hyphens, r"\d{4}(?:-\d{4}){3}", (16, 16)) == []
    runs = drawn(lambda r: pii_heldout32.card_in(r, "run"))
    assert bad_cards(runs, r"\d{16}", (16, 16)) == []


def test_heldout32_every_phone_ip_and_card_label_is_valid(heldout32):
    counts = {kind: len(part_labels(heldout32, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 20, counts
    assert part_labels(heldout32, "IBAN_CODE") == [] and part_labels(heldout32, "US_SSN") == []
    phones = part_labels(heldout32, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    assert sum(re.fullmatch(r"\d{12}", p) is not None for p in phones) >= 5  # an MSISDN
    assert sum(re.fullmatch(r"07[78]\d{7}", p) is not None for p in phones) >= 5  # run into a USSD code
    texts = [text for text, _ in heldout32["generated"]]
    assert any(re.search(r"\*151\*1\*1\*07[78]\d{7}#", t) for t in texts)
    assert any(re.search(r"\+263\d{9},,\d+#", t) for t in texts)  # a dial-in's pauses and PIN
    assert invalid_labels(heldout32, pii_heldout32.LOCAL_REGIONS, (), card_digits=(16, 16)) == []


def test_heldout32_labels_sit_where_their_values_are_and_never_overlap(heldout32):
    assert misplaced_labels(heldout32, _HAND) == []


def test_heldout32_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout32", 10, 400)["negative"]]
    tokens = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"token: ([\d ]+)$", t)] if m]
    assert len(tokens) >= 10 and {len(t) for t in tokens} == {20}, tokens
    assert all(pii_heldout32.luhn_sum(t[:16]) != 0 and pii_heldout32.luhn_sum(t) != 0 for t in tokens), tokens
    codes = [m.group(1) for t in texts for m in [re.search(r"(?:Meter No\.|BP No\.|TPIN) (\d+)", t)] if m]
    assert {len(c) for c in codes} == {10, 11}, codes
    assert not any(valid_phone(c, r) for c in codes for r in (*pii_heldout32.LOCAL_REGIONS, "ZA", "BW")), codes
    merchants = [m.group(1) for t in texts for m in [re.search(r"\*151\*2\*2\*(\d+)\*", t)] if m]
    assert merchants and not any(_valid_somewhere(m) for m in merchants), merchants
    token = "ZESA token: 4111 1111 1111 1111 0000"
    assert pii_heldout32.luhn_sum("4111111111111111") == 0
    assert pii_heldout32.never_valid(token) == "ZESA token: 4111 1111 1111 1112 0000"
    assert pii_heldout32.never_valid("ZESA token: 4111 1111 1111 1112 0009") == "ZESA token: 4111 1111 1111 1112 0000"


def test_heldout32_is_the_same_each_time_and_leaves_random_alone(heldout32):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout32.pools.cache_clear()
    again = pii_sets.build("heldout32", 300, 40)
    assert random.random() == expected
    assert again == heldout32
    assert len(heldout32["hand"]) == 36 and len(heldout32["negative"]) == 40 + 7
    assert len(heldout32["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout32["negative"] + heldout32["word_negative"])
