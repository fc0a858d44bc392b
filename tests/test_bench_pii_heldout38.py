"""HELDOUT38 (bench/pii_heldout38.py): its names come from names-dataset's pools of Lithuania and Hong Kong, which no
earlier part drew, written in the two lands' forms (a Lithuanian woman's married and unmarried surname made from a
man's, a name called in the vocative, a surname alone after p.; a Hong Konger's English name before the surname and a
hyphened Cantonese given name or after the whole, a surname before sir, a syllable after Ah); labels are whole values
at the right offsets and never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn,
its phones are numbers of Lithuania, Hong Kong or Latvia in the context's form), the part is the same each time, and
its negatives hold nothing to find (the loyalty card fails Luhn, the company code is no number of the part's regions).
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
from bench import pii_heldout38, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_LT = r"[A-ZĄČĘĖĮŠŲŪŽ][a-ząčęėįšųūž]+"
_HK = r"[A-Z][a-z]+"
_FORMS = re.compile(
    rf"{_LT}(?: {_LT})?"  # a Lithuanian's name (or one of its words alone)
    rf"|(?:{_HK} )?{_HK} {_HK}-[a-z]+"  # an English name, a surname, a hyphened given name
    rf"|{_HK} {_HK} {_HK}(?: {_HK})?"  # a surname and a given name of two (and a roll's English name)
)
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout38.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_SHAPES = {
    "e164": r"\+(?:370|852|371)\d{8}",
    "intl": r"\+370 (?:\d{3} \d{5}|5 \d{3} \d{4}|\d\d \d{6})|\+85[2] \d{4} \d{4}|\+371 \d{4} \d{4}",
}
_PLAIN = {"LT": r"[80] (?:\d{3} \d{5}|5 2\d\d \d{4}|\d\d \d{6})", "HK": r"\d{4}[ -]\d{4}", "LV": r"\d{4} \d{4}"}


@pytest.fixture(scope="module")
def heldout38() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout38", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout38.LOCAL_REGIONS)


def test_heldout38_source_gives_lithuanias_and_hong_kongs_names():
    pools = pii_heldout38.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 100 for n in sizes.values()), sizes
    assert {"Jonas", "Mindaugas", "Vytautas"} <= set(pools["LT_men"]) and {"Rasa", "Rūta"} <= set(pools["LT_women"])
    assert {"Kazlauskas", "Petraitis", "Butkus", "Stankevičius"} <= set(pools["LT_last"])
    assert {"Chi Keung", "Ka Chun"} <= set(pools["HK_men"]) and "Mei Ling" in pools["HK_women"]
    assert {"Chan", "Wong", "Cheung"} <= set(pools["HK_last"]) and "Kelvin" in pools["HK_en_men"]
    assert not {"Vardenis", "Ponas", "Zhang", "Tan", "Man", "Wing"} & {n for ns in pools.values() for n in ns}
    assert not any(n.endswith(("ienė", "aitė", "iene")) for n in pools["LT_last"])
    woman = pii_heldout38.lithuanian_woman
    assert [woman(s, True) for s in ("Kazlauskas", "Butkus", "Stankevičius", "Kairys", "Petraitis")] == [
        "Kazlauskienė",
        "Butkuvienė",
        "Stankevičienė",
        "Kairienė",
        "Petraitienė",
    ]
    assert [
        woman(s, False, s == "Stankevicius") for s in ("Kazlauskas", "Butkus", "Stankevičius", "Kairys", "Stankevicius")
    ] == [
        "Kazlauskaitė",
        "Butkutė",
        "Stankevičiūtė",
        "Kairytė",
        "Stankeviciute",
    ]
    vocative = pii_heldout38.vocative
    assert [vocative(n) for n in ("Jonas", "Andrius", "Karolis", "Kazys", "Herkus", "Eglė", "Rasa")] == [
        "Jonai",
        "Andriau",
        "Karoli",
        "Kazy",
        "Herkau",
        "Egle",
        "Rasa",
    ]
    assert pii_heldout38.cantonese("Chi Keung", True) == "Chi-keung"
    values = pii_heldout38.Heldout38Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    sir = values.person("{PERSON} sir 話聽日測驗")
    assert sir in pools["HK_last"]
    called = values.person("Sveikas, {PERSON}, ačiū")
    assert called in {vocative(n) for n in pools["LT_men"]}


def test_heldout38_names_have_the_two_lands_forms(heldout38):
    people = part_labels(heldout38, "PERSON", ("generated",))
    assert len(people) > 250
    assert [p for p in people if not _FORMS.fullmatch(p)] == []
    assert sum(re.search(r"(?:ienė|iene) ?", p) is not None for p in people) >= 5  # a wife's surname
    assert sum(re.search(r"(?:aitė|ytė|iūtė|utė|aite|yte|iute|ute)$", p) is not None for p in people) >= 3
    assert sum(re.search(r" [A-Z][a-z]+-[a-z]+$", p) is not None for p in people) >= 10  # a hyphened given name
    texts = [text for text, _ in heldout38["generated"]]
    pools = pii_heldout38.pools()
    for text in texts:
        called = re.match(r"(Labas|Sveikas|Sveika|Ačiū), (\S+?)[,!]", text)
        if called:
            sexes = ("men",) if called.group(1) == "Sveikas" else ("women",) if called.group(1) == "Sveika" else ()
            names = {pii_heldout38.vocative(n) for s in sexes or ("men", "women") for n in pools[f"LT_{s}"]}
            assert called.group(2) in names, text


def test_heldout38_phone_formats_are_its_own_and_valid():
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        region = rng.choice(pii_heldout38.LOCAL_REGIONS)
        context = rng.choice(("plain", "intl", "e164"))
        number, mobile = pii_heldout38.local_phone_in(rng, region, context)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) == (_MOBILE if mobile else _FIXED), number
        assert re.fullmatch(_SHAPES.get(context) or _PLAIN[region], number), (context, number)
        kinds.add((region, mobile))
    assert kinds == {(r, m) for r in pii_heldout38.LOCAL_REGIONS for m in (True, False)}
    values = pii_heldout38.Heldout38Values(pii_sets.Makers(1, ["en_US"], []))
    assert re.fullmatch(r"\+(?:370|852|371)\d{8}", values.phone('contact {{\n  phone: "{PHONE_NUMBER}"\n}}'))
    riga = values.phone("Rīgas birojs: {PERSON}, tālr. {PHONE_NUMBER}")
    assert valid_phone(riga, "LV") and riga.replace("+371 ", "")[:2] in ("67", "66") + tuple(
        f"2{d}" for d in "0123456789"
    )


def test_heldout38_cards_are_its_own_and_pass_luhn():
    cards = drawn(pii_heldout38.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "26", "62"}
    runs = drawn(lambda r: pii_heldout38.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}


def test_heldout38_every_phone_ip_and_card_label_is_valid(heldout38):
    counts = {kind: len(part_labels(heldout38, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 30, counts
    assert part_labels(heldout38, "IBAN_CODE") == [] and part_labels(heldout38, "US_SSN") == []
    phones = part_labels(heldout38, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    for code in ("+370 ", "+852 ", "+371 "):
        assert sum(p.startswith(code) for p in phones) >= 2, code
    assert sum(re.fullmatch(r"8 .+", p) is not None for p in phones) >= 3
    assert sum(re.fullmatch(r"0 .+", p) is not None for p in phones) >= 2
    assert sum(re.fullmatch(r"\d{4}-\d{4}", p) is not None for p in phones) >= 3
    texts = [text for text, _ in heldout38["generated"]]
    assert any(re.search(r":tel:\+370\d{8}\n", t) for t in texts) and any(re.search(r"內線 302$", t) for t in texts)
    assert any(re.search(r'phone: "\+\d+"', t) for t in texts) and any(re.search(r'to="\+\d+"', t) for t in texts)
    assert any(re.search(r'number: "\d{15,16}"', t) for t in texts) and any(
        re.search(r'pan: "\d{15,16}"', t) for t in texts
    )
    assert invalid_labels(heldout38, pii_heldout38.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout38_labels_sit_where_their_values_are_and_never_overlap(heldout38):
    assert misplaced_labels(heldout38, _HAND) == []


def test_heldout38_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout38", 10, 400)["negative"]]
    cards = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"kortelė ([\d ]+)$", t)] if m]
    assert len(cards) >= 10 and {len(a) for a in cards} == {16}, cards
    assert all(pii_heldout38.luhn_sum(a) != 0 for a in cards), cards
    codes = [m.group(1) for t in texts for m in [re.search(r"Įmonės kodas (\d+)", t)] if m]
    assert len(codes) >= 10 and {len(a) for a in codes} == {9}, codes
    brs = [m.group(1) for t in texts for m in [re.search(r"BR No\. (\d+)", t)] if m]
    assert len(brs) >= 10 and {len(a) for a in brs} == {8}, brs
    assert not any(_valid_somewhere(a) for a in codes + brs), codes + brs
    assert pii_heldout38.never_valid("Maxima AČIŪ kortelė 4111 1111 1111 1111").endswith("4111 1111 1111 1112")
    assert pii_heldout38.never_valid("Kaina 249,99 €") == "Kaina 249,99 €"


def test_heldout38_is_the_same_each_time_and_leaves_random_alone(heldout38):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout38.pools.cache_clear()
    again = pii_sets.build("heldout38", 300, 40)
    assert random.random() == expected
    assert again == heldout38
    assert len(heldout38["hand"]) == 31 and len(heldout38["negative"]) == 40 + 7
    assert len(heldout38["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout38["negative"] + heldout38["word_negative"])
