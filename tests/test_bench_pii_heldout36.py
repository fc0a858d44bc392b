"""HELDOUT36 (bench/pii_heldout36.py): its names come from names-dataset's pools of Denmark and Cyprus, which no
earlier part drew, written in the two lands' forms (a Dane's hyphened given names, a middle name before the surname,
ae, oe and aa where a system takes ASCII, a given name alone after Mojn or Goddaw; a Cypriot's father's initial, a
pilgrim's Hadji, -ides his and -idou hers, a man's vocative after a greeting); labels are whole values at the right
offsets and never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn, its phones
are numbers of Denmark, the Faroes, Greenland or Cyprus in the context's form), the part is the same each time, and its
negatives hold nothing to find (the members' card fails Luhn, the CVR number is no number of the part's regions).
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
for module in ("names_dataset", "phonenumbers"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

import phonenumbers  # noqa: E402
from bench import pii_heldout36, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_WORD = r"[A-ZÆØÅ][a-zæøåé]+"
_GIVEN = rf"{_WORD}(?:-{_WORD})?"
_NAME = re.compile(rf"{_GIVEN}(?: (?:[A-Z][a-z]?\.|{_WORD}))?(?: {_WORD})?")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout36.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_EITHER = phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE  # most of Denmark's: a number keeps its owner's kind
_SHAPES = {
    "e164": r"\+(?:45\d{8}|298\d{6}|299\d{6}|357\d{8})",
    "intl": r"\+45(?: \d\d){4}|\+29[89](?: \d\d){3}|\+357 \d\d \d{6}",
}
_PLAIN = {"DK": r"\d\d(?: \d\d){3}", "FO": r"\d\d \d\d \d\d", "GL": r"\d\d \d\d \d\d", "CY": r"\d\d \d{6}"}


@pytest.fixture(scope="module")
def heldout36() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout36", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout36.LOCAL_REGIONS)


def test_heldout36_source_gives_denmarks_and_cyprus_names():
    pools = pii_heldout36.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 50 for n in sizes.values()), sizes
    names = {n for ns in pools.values() for n in ns}
    assert all(re.fullmatch(_WORD, n) for n in names)
    assert {"Søren", "Jens", "Morten"} <= set(pools["DK_men"]) and {"Mette", "Lærke"} <= set(pools["DK_women"])
    assert {"Jensen", "Nielsen", "Sørensen"} <= set(pools["DK_last"]) and "Nørgaard" in pools["DK_middle"]
    assert not any(n.endswith("sson") for n in pools["DK_middle"]) and "Abdinasir" not in pools["DK_men"]
    assert {"Andreas", "Stavros", "Marios"} <= set(pools["CY_men"]) and {"Eleni", "Despina"} <= set(pools["CY_women"])
    assert {"Georgiou", "Charalambous"} <= set(pools["CY_last"]) and "Michaelides" in pools["CY_last_men"]
    assert "Michaelidou" in pools["CY_last_women"] and not {"Cyprus", "Dk", "Takis"} & names
    assert pii_heldout36.ascii_danish("Søren Kjær Ågård") == "Soeren Kjaer Aagaard"
    assert [pii_heldout36.vocative(n) for n in ("Andreas", "Stavros", "Michalis", "Eleni")] == [
        "Andrea",
        "Stavro",
        "Michali",
        "Eleni",
    ]
    values = pii_heldout36.Heldout36Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    people = [values.person(t) for t in ("Mojn {PERSON}, æ", "NAVN={PERSON} PNR", "Kyrie {PERSON}, o")]
    assert re.fullmatch(_WORD, people[0]) and people[0] in pools["DK_men"] + pools["DK_women"]
    assert not re.search("[æøåÆØÅ]", people[1]) and people[2].split()[0] in pools["CY_men"]


def test_heldout36_names_have_the_two_lands_forms(heldout36):
    people = part_labels(heldout36, "PERSON", ("generated",))
    assert len(people) > 250
    bad = [p for p in people if not (_NAME.fullmatch(p) or re.fullmatch(rf"{_WORD} Hadji[a-z]+", p))]
    assert bad == []
    assert sum("-" in p for p in people) >= 5 and sum(" Hadji" in p for p in people) >= 3
    assert sum(re.search(r" [A-Z][a-z]?\. ", p) is not None for p in people) >= 5  # a father's initial
    assert sum(len(p.split()) == 3 and "." not in p for p in people) >= 5  # a Dane's middle name
    pools = pii_heldout36.pools()
    texts = [text for text, _ in heldout36["generated"]]
    for text in texts:
        for word in ("Yia sou", "Kalimera"):
            called = re.match(rf"{word} (\S+?)[!,]", text)
            if called:
                men = {pii_heldout36.vocative(n) for n in pools["CY_men"]}
                assert called.group(1) in men | set(pools["CY_women"]), text
        ascii_line = re.match(r"NAVN=(.+) PNR", text)
        if ascii_line:
            assert not re.search("[æøåÆØÅ]", ascii_line.group(1)), text
    assert any(re.match(r"Kalimera \S+a!", t) for t in texts)  # a vocative in -a


def test_heldout36_phone_formats_are_its_own_and_valid():
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        region = rng.choice(pii_heldout36.LOCAL_REGIONS)
        context = rng.choice(("plain", "intl", "e164"))
        number, mobile = pii_heldout36.local_phone_in(rng, region, context)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        expected = _MOBILE if mobile else _FIXED
        kinds_ok = (_FIXED, _MOBILE, _EITHER) if region == "DK" else (expected,)  # Denmark's numbers move freely
        assert phonenumbers.number_type(parsed) in kinds_ok, number
        assert re.fullmatch(_SHAPES.get(context) or _PLAIN[region], number), (context, number)
        kinds.add((region, mobile))
    assert kinds == {(r, m) for r in pii_heldout36.LOCAL_REGIONS for m in (True, False)}
    values = pii_heldout36.Heldout36Values(pii_sets.Makers(1, ["en_US"], []))
    sheet = "Danmark: {PHONE_NUMBER} · Føroyar: {PHONE_NUMBER} · Kalaallit Nunaat: {PHONE_NUMBER} (kontakt {PERSON})"
    numbers = [values.phone(sheet) for _ in range(3)]
    assert [valid_phone(n, r) for n, r in zip(numbers, ("DK", "FO", "GL"))] == [True] * 3, numbers
    assert re.fullmatch(r"\+45\d{8}", values.phone('{PERSON};="{PHONE_NUMBER}";Aarhus'))
    assert values.phone("Villa in Paphos, owner {PERSON}, call {PHONE_NUMBER}").replace("+357 ", "")[:2] in (
        "26",
        "94",
        "95",
        "96",
        "97",
        "99",
    )


def test_heldout36_cards_are_its_own_and_pass_luhn():
    cards = drawn(pii_heldout36.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"45", "40", "51", "55", "22", "26"}
    assert sum(c.startswith("4571") for c in cards) > 100
    runs = drawn(lambda r: pii_heldout36.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}


def test_heldout36_every_phone_ip_and_card_label_is_valid(heldout36):
    counts = {kind: len(part_labels(heldout36, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 30, counts
    assert part_labels(heldout36, "IBAN_CODE") == [] and part_labels(heldout36, "US_SSN") == []
    phones = part_labels(heldout36, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    assert sum(p.startswith("+45 ") for p in phones) >= 3 and sum(p.startswith("+357 ") for p in phones) >= 3
    texts = [text for text, _ in heldout36["generated"]]
    assert any(re.search(r';="\+45\d{8}";', t) for t in texts) and any("user=phone" in t for t in texts)
    assert any(re.search(r"lokal 214$", t) for t in texts)
    assert any(re.search(r"CARD=\d{15,16}\n", t) for t in texts) and any(
        re.search(r'card="\d{15,16}"', t) for t in texts
    )
    assert invalid_labels(heldout36, pii_heldout36.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout36_labels_sit_where_their_values_are_and_never_overlap(heldout36):
    assert misplaced_labels(heldout36, _HAND) == []


def test_heldout36_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout36", 10, 400)["negative"]]
    members = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"medlemskort ([\d ]+)$", t)] if m]
    assert len(members) >= 10 and {len(a) for a in members} == {16}, members
    assert all(pii_heldout36.luhn_sum(a) != 0 for a in members), members
    cvr = [m.group(1) for t in texts for m in [re.search(r"CVR-nr\. (\d+)", t)] if m]
    assert len(cvr) >= 10 and {len(a) for a in cvr} == {8}, cvr
    assert not any(_valid_somewhere(a) for a in cvr), cvr
    assert pii_heldout36.never_valid("Coop medlemskort 4111 1111 1111 1111") == "Coop medlemskort 4111 1111 1111 1112"
    assert pii_heldout36.never_valid("Pris kr. 249,95") == "Pris kr. 249,95"


def test_heldout36_is_the_same_each_time_and_leaves_random_alone(heldout36):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout36.pools.cache_clear()
    again = pii_sets.build("heldout36", 300, 40)
    assert random.random() == expected
    assert again == heldout36
    assert len(heldout36["hand"]) == 32 and len(heldout36["negative"]) == 40 + 5
    assert len(heldout36["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout36["negative"] + heldout36["word_negative"])
