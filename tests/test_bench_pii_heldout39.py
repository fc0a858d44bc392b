"""HELDOUT39 (bench/pii_heldout39.py): its names come from names-dataset's pools of Ethiopia and Belgium, which no
earlier part drew, written in the two lands' forms (an Ethiopian father's compound name shortened by a slash, a given
name alone after Ato, W/ro, Obbo or Aadde; a Flemish surname's particle capitalized after a given name, a married
Flemish woman's two surnames joined by a hyphen, a surname alone after Meneer); labels are whole values at the right
offsets and never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn, its phones
are numbers of Belgium, Ethiopia or Eritrea in the context's form), the part is the same each time, and its negatives
hold nothing to find (the loyalty card fails Luhn, the enterprise number is no number of the part's regions). Nothing
is scored here: the benchmark does that."""

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
from bench import pii_heldout39, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_BE = r"[A-Z][a-zéèëï]+(?:-[A-Z][a-zéèëï]+)?"
_SURNAME = r"(?:(?:Van|De|Vanden|Vander|Le|La|Du) (?:(?:den|der|de) )?)?[A-Z][a-zéèëï]+"
_ET = r"[A-Z][a-z]+"
_FATHER = rf"(?:[GWHT]/[A-Z][a-z]+|{_ET})"
_FORMS = re.compile(
    rf"{_BE} {_SURNAME}(?:-{_SURNAME})?"  # a Belgian's given name and surname (a wife's two)
    rf"|{_SURNAME}"  # a surname alone after Meneer, a given name alone
    rf"|{_ET} {_FATHER}(?: {_FATHER})?"  # an Ethiopian's name and the father's (and the grandfather's)
)
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout39.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_SHAPES = {
    "e164": r"\+(?:32\d{8,9}|251\d{9}|291\d{7})",
    "intl": r"\+32 (?:4\d\d \d\d \d\d \d\d|\d \d{3} \d\d \d\d|\d\d \d\d \d\d \d\d)|\+251 \d\d \d{3} \d{4}"
    r"|\+291 \d \d{3} \d{3}",
}
_PLAIN = {
    "BE": r"0(?:4\d\d/\d\d\.\d\d\.\d\d|\d/\d{3}\.\d\d\.\d\d|\d\d/\d\d\.\d\d\.\d\d)",
    "ET": r"09\d\d-\d{6}|0\d\d \d{3} \d{4}",
    "ER": r"0\d \d{3} \d{3}",
}


@pytest.fixture(scope="module")
def heldout39() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout39", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout39.LOCAL_REGIONS)


def test_heldout39_source_gives_ethiopias_and_belgiums_names():
    pools = pii_heldout39.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 100 for k, n in sizes.items() if k != "ET_compound") and sizes["ET_compound"] >= 25, sizes
    assert {"Tesfaye", "Girma", "Dereje", "Abdii"} <= set(pools["ET_men"]) and "Bezawit" in pools["ET_women"]
    assert {"Kedir", "Gemechu", "Getahun"} <= set(pools["ET_fathers"])
    assert {"Gebremeskel", "Woldegebriel", "Haileslassie"} <= set(pools["ET_compound"])
    assert {"Peeters", "Janssens", "De Smet", "Van den Broeck", "Van de Velde"} <= set(pools["BE_last"])
    assert {"Koen", "Bart", "Wim"} <= set(pools["BE_men"]) and {"Els", "Nathalie"} <= set(pools["BE_women"])
    everyone = {n for ns in pools.values() for n in ns}
    assert not {"Ethiopa", "Wlg", "Van Den Broeck", "Yilmaz", "Del"} & everyone
    shortened = pii_heldout39.shortened
    assert [shortened(n) for n in ("Gebremeskel", "Woldegebriel", "Haileslassie", "Tekletsadik", "Kedir")] == [
        "G/Meskel",
        "W/Gebriel",
        "H/Slassie",
        "T/Tsadik",
        "Kedir",
    ]
    assert pii_heldout39.wife("Peeters", "Claes") == "Peeters-Claes"
    values = pii_heldout39.Heldout39Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    assert values.person("Meneer {PERSON} heeft gebeld") in pools["BE_last"]
    assert values.person("Aadde {PERSON}, galatoomaa!") in pools["ET_women"]
    assert values.person("Ato {PERSON}, please call") in pools["ET_men"]


def test_heldout39_names_have_the_two_lands_forms(heldout39):
    people = part_labels(heldout39, "PERSON", ("generated",))
    assert len(people) > 250
    assert [p for p in people if not _FORMS.fullmatch(p)] == []
    assert sum(re.search(r" [GWHT]/[A-Z]", p) is not None for p in people) >= 5  # a shortened father's name
    assert sum(re.search(r"[a-z]-(?:Van |De )?[A-Z]", p) is not None for p in people) >= 5  # a wife's two surnames
    assert sum(re.search(r" (?:Van|De) ", p) is not None for p in people) >= 5  # a particle after a given name
    for text, _ in heldout39["generated"]:
        titled = re.match(r"(Ato|W/ro|W/rt|Obbo|Aadde) (\S+?),? ", text)
        if titled:
            sex = "men" if titled.group(1) in ("Ato", "Obbo") else "women"
            assert titled.group(2) in pii_heldout39.pools()[f"ET_{sex}"], text


def test_heldout39_phone_formats_are_its_own_and_valid():
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        region = rng.choice(pii_heldout39.LOCAL_REGIONS)
        context = rng.choice(("plain", "intl", "e164"))
        places = [p for p, (r, _) in pii_heldout39._AREAS.items() if r == region]
        number, mobile = pii_heldout39.local_phone_in(rng, region, context, rng.choice(["", *places]))
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) == (_MOBILE if mobile else _FIXED), number
        assert re.fullmatch(_SHAPES.get(context) or _PLAIN[region], number), (context, number)
        kinds.add((region, mobile))
    assert kinds == {(r, m) for r in pii_heldout39.LOCAL_REGIONS for m in (True, False)}
    values = pii_heldout39.Heldout39Values(pii_sets.Makers(1, ["en_US"], []))
    assert re.fullmatch(_SHAPES["e164"], values.phone('c := Contact{{Phone: "{PHONE_NUMBER}"}}'))
    gent = values.phone("Dag {PERSON}, bel me op {PHONE_NUMBER}, ik ben in Gent")
    assert valid_phone(gent, "BE")


def test_heldout39_cards_are_its_own_and_pass_luhn():
    cards = drawn(pii_heldout39.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "26"}
    runs = drawn(lambda r: pii_heldout39.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}


def test_heldout39_every_phone_ip_and_card_label_is_valid(heldout39):
    counts = {kind: len(part_labels(heldout39, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 30, counts
    assert part_labels(heldout39, "IBAN_CODE") == [] and part_labels(heldout39, "US_SSN") == []
    phones = part_labels(heldout39, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    for code in ("+32 ", "+251 ", "+291 "):
        assert sum(p.startswith(code) for p in phones) >= 2, code
    assert sum(re.fullmatch(r"0\d{1,3}/[\d.]+", p) is not None for p in phones) >= 5  # Belgium's slash and stops
    assert sum(re.fullmatch(r"09\d\d-\d{6}", p) is not None for p in phones) >= 3
    texts = [text for text, _ in heldout39["generated"]]
    assert any(re.search(r"caller=\+\d+ ", t) for t in texts) and any(re.search(r'Phone: "\+\d+"', t) for t in texts)
    assert any(re.search(r'phone "\+\d+"$', t) for t in texts)
    assert any(re.search(r"pan=\d{15,16} ", t) for t in texts) and any(re.search(r'PAN: "\d{15,16}"', t) for t in texts)
    assert invalid_labels(heldout39, pii_heldout39.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout39_labels_sit_where_their_values_are_and_never_overlap(heldout39):
    assert misplaced_labels(heldout39, _HAND) == []


def test_heldout39_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout39", 10, 400)["negative"]]
    cards = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"Xtra-kaart ([\d ]+)$", t)] if m]
    assert len(cards) >= 10 and {len(a) for a in cards} == {16}, cards
    assert all(pii_heldout39.luhn_sum(a) != 0 for a in cards), cards
    numbers = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"nummer ([\d.]+),", t)] if m]
    assert len(numbers) >= 10 and {len(a) for a in numbers} == {10}, numbers
    tins = [m.group(1) for t in texts for m in [re.search(r"TIN (\d+)", t)] if m]
    assert len(tins) >= 10 and {len(a) for a in tins} == {10}, tins
    assert not any(_valid_somewhere(a) for a in numbers + tins), numbers + tins
    assert pii_heldout39.never_valid("Colruyt Xtra-kaart 4111 1111 1111 1111").endswith("4111 1111 1111 1112")
    assert pii_heldout39.never_valid("Prijs 249,99 €") == "Prijs 249,99 €"


def test_heldout39_is_the_same_each_time_and_leaves_random_alone(heldout39):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout39.pools.cache_clear()
    again = pii_sets.build("heldout39", 300, 40)
    assert random.random() == expected
    assert again == heldout39
    assert len(heldout39["hand"]) == 26 and len(heldout39["negative"]) == 40 + 8
    assert len(heldout39["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout39["negative"] + heldout39["word_negative"])
