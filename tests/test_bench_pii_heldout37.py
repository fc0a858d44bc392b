"""HELDOUT37 (bench/pii_heldout37.py): its names come from names-dataset's pools of South Africa and Peru, which no
earlier part drew, written in the two lands' forms (an Afrikaans surname's particles in lower case after a given name
or initials and capitalized alone, a given name alone after Oom or Tannie, a surname alone after Ntate, Mme, Mnr. or
Mev.; a Peruvian given name of two words, two surnames, a wife's de and a widow's Vda. de); labels are whole values at
the right offsets and never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn, its
phones are numbers of South Africa, Peru, Lesotho or Eswatini in the context's form), the part is the same each time,
and its negatives hold nothing to find (the loyalty card fails Luhn, the RUC is no number of the part's regions).
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
from bench import pii_heldout37, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_WORD = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+"
_AFRIKAANS = r"(?:(?:Janse )?(?:van|de|du|le)(?: de[nr])? )?" + _WORD
_SOUTH_AFRICAN = re.compile(rf"(?:{_WORD}|(?:[A-Z]\.){{1,2}}) {_AFRIKAANS}")
_PERUVIAN = re.compile(rf"{_WORD}(?: {_WORD})?(?: {_WORD}){{1,2}}(?: (?:de|Vda\. de) {_WORD})?")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout37.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_SHAPES = {
    "e164": r"\+(?:27\d{9}|51\d{8,9}|26[68]\d{8})",
    "intl": r"\+27 \d\d \d{3} \d{4}|\+51 (?:\d{3} \d{3} \d{3}|1 \d{3} \d{4}|\d\d \d{6})|\+26[68] \d{4} \d{4}",
}
_PLAIN = {"ZA": r"0\d\d \d{3} \d{4}", "PE": r"\d{3} \d{3} \d{3}|01 \d{3} \d{4}|0\d\d \d{6}", "LS": r"\d{4} \d{4}"}
_PLAIN["SZ"] = _PLAIN["LS"]


@pytest.fixture(scope="module")
def heldout37() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout37", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout37.LOCAL_REGIONS)


def test_heldout37_source_gives_south_africas_and_perus_names():
    pools = pii_heldout37.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 100 for n in sizes.values()), sizes
    assert {"Thabo", "Sipho", "Pieter"} <= set(pools["ZA_men"]) and "Lerato" in pools["ZA_women"]
    assert {"Van Der Merwe", "Du Plessis", "Janse Van Rensburg", "Dlamini", "Botha"} <= set(pools["ZA_last"])
    assert {"Juan Carlos", "Jose Luis"} <= set(pools["PE_men"]) and {"Quispe", "Mamani", "Flores"} <= set(
        pools["PE_last"]
    )
    assert not {"Smith", "Peru", "Junior"} & {n for ns in pools.values() for n in ns}
    assert not any(" " in n for n in pools["PE_last"] + pools["ZA_men"] + pools["ZA_women"])
    particles = pii_heldout37.particles
    assert [particles("Van Der Merwe"), particles("Janse Van Rensburg"), particles("Du Plessis", alone=True)] == [
        "van der Merwe",
        "Janse van Rensburg",
        "Du Plessis",
    ]
    assert particles("Van Der Merwe", alone=True) == "Van der Merwe" and particles("Quispe") == "Quispe"
    assert pii_heldout37.initials("Jan Hendrik") == "J.H."
    values = pii_heldout37.Heldout37Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    oom = values.person("Oom {PERSON} sê die braai")
    assert oom in pools["ZA_men"]
    ntate = values.person("Lumela Ntate {PERSON}, kea leboha!")
    assert ntate in {particles(n, alone=True) for n in pools["ZA_last"]}


def test_heldout37_names_have_the_two_lands_forms(heldout37):
    people = part_labels(heldout37, "PERSON", ("generated",))
    assert len(people) > 250
    bad = [p for p in people if not (re.fullmatch(_WORD, p) or re.fullmatch(r"(?:Van|De|Du|Le|Janse) .+", p))]
    bad = [p for p in bad if not (_SOUTH_AFRICAN.fullmatch(p) or _PERUVIAN.fullmatch(p))]
    assert bad == []
    assert sum(re.search(r" (?:van|du|de|le) [A-Z]", p) is not None for p in people) >= 5  # particles after a name
    assert sum(re.match(r"(?:[A-Z]\.){1,2} ", p) is not None for p in people) >= 3  # initials
    assert sum(" de " in p for p in people) >= 3 and sum(" Vda. de " in p for p in people) >= 1
    texts = [text for text, _ in heldout37["generated"]]
    pools = pii_heldout37.pools()
    for text in texts:
        called = re.match(r"(Oom|Tannie) (\S+) ", text)
        if called:
            assert called.group(2) in pools["ZA_men" if called.group(1) == "Oom" else "ZA_women"], text


def test_heldout37_phone_formats_are_its_own_and_valid():
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        region = rng.choice(pii_heldout37.LOCAL_REGIONS)
        context = rng.choice(("plain", "intl", "e164"))
        number, mobile = pii_heldout37.local_phone_in(rng, region, context)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) == (_MOBILE if mobile else _FIXED), number
        assert re.fullmatch(_SHAPES.get(context) or _PLAIN[region], number), (context, number)
        kinds.add((region, mobile))
    assert kinds == {(r, m) for r in pii_heldout37.LOCAL_REGIONS for m in (True, False)}
    values = pii_heldout37.Heldout37Values(pii_sets.Makers(1, ["en_US"], []))
    assert re.fullmatch(r"\+(?:27|51)\d{8,9}", values.phone('[contact]\nname = "{PERSON}"\nphone = "{PHONE_NUMBER}"'))
    maseru = values.phone("Mme {PERSON} o tla fihla Maseru hosane, {PHONE_NUMBER}")
    assert valid_phone(maseru, "LS") and maseru.replace("+266 ", "")[:2] in ("22", "57", "58", "59", "62", "63")


def test_heldout37_cards_are_its_own_and_pass_luhn():
    cards = drawn(pii_heldout37.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "26"}
    runs = drawn(lambda r: pii_heldout37.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}


def test_heldout37_every_phone_ip_and_card_label_is_valid(heldout37):
    counts = {kind: len(part_labels(heldout37, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 30, counts
    assert part_labels(heldout37, "IBAN_CODE") == [] and part_labels(heldout37, "US_SSN") == []
    phones = part_labels(heldout37, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    for code in ("+27 ", "+51 ", "+266 ", "+268 "):
        assert sum(p.startswith(code) for p in phones) >= 2, code
    texts = [text for text, _ in heldout37["generated"]]
    assert any(re.search(r'phone = "\+\d+"', t) for t in texts) and any(re.search(r"anexo \d+", t) for t in texts)
    assert any(re.search(r"\d \((?:Vodacom|MTN|Claro)\)$", t) for t in texts)
    assert any(re.search(r'card = "\d{15,16}"', t) for t in texts) and any(
        re.search(r"\| \d{15,16} \|$", t) for t in texts
    )
    assert invalid_labels(heldout37, pii_heldout37.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout37_labels_sit_where_their_values_are_and_never_overlap(heldout37):
    assert misplaced_labels(heldout37, _HAND) == []


def test_heldout37_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout37", 10, 400)["negative"]]
    clubs = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"ClubCard ([\d ]+)$", t)] if m]
    assert len(clubs) >= 10 and {len(a) for a in clubs} == {16}, clubs
    assert all(pii_heldout37.luhn_sum(a) != 0 for a in clubs), clubs
    ruc = [m.group(1) for t in texts for m in [re.search(r"RUC (\d+)", t)] if m]
    assert len(ruc) >= 10 and {len(a) for a in ruc} == {11}, ruc
    assert not any(_valid_somewhere(a) for a in ruc), ruc
    assert pii_heldout37.never_valid("Clicks ClubCard 4111 1111 1111 1111") == "Clicks ClubCard 4111 1111 1111 1112"
    assert pii_heldout37.never_valid("Prys R249,99") == "Prys R249,99"


def test_heldout37_is_the_same_each_time_and_leaves_random_alone(heldout37):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout37.pools.cache_clear()
    again = pii_sets.build("heldout37", 300, 40)
    assert random.random() == expected
    assert again == heldout37
    assert len(heldout37["hand"]) == 31 and len(heldout37["negative"]) == 40 + 7
    assert len(heldout37["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout37["negative"] + heldout37["word_negative"])
