"""HELDOUT34 (bench/pii_heldout34.py): its names come from names-dataset's pools of Albania and Georgia, which no
earlier part drew, written in the two lands' forms (an Albanian surname declined as the sentence asks, a Georgian
record's father's name in the genitive before ``dze`` or ``asuli``, a given name after ``batono`` or ``kalbatono``, a
QR contact's ``Surname,Given``, given names in the Georgian script); labels are whole values at the right offsets and
never overlap, every phone, IP and card label is valid by its own rules (its cards pass Luhn, its phones are numbers of
Albania, Kosovo, Georgia or Croatia of the kind given, in the context's form), the part is the same each time, and its
negatives hold nothing to find (the loyalty card fails Luhn, the firms' numbers are no numbers of the part's regions).
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
from bench import pii_heldout34, pii_sets  # noqa: E402
from bench.pii_makers import bad_cards, drawn, invalid_labels, misplaced_labels, part_labels, valid_phone  # noqa: E402

_WORD = r"[A-ZÇË][a-zçë]+"
_SCRIPT = r"[\u10d0-\u10fa]+"
_PATRONYMIC = re.compile(rf"({_WORD}) ({_WORD}) ({_WORD}s) (dze|asuli)")
_NAME = re.compile(rf"{_SCRIPT}|{_WORD}(?: {_WORD})?|{_WORD},{_WORD}|{_PATRONYMIC.pattern}")
_HAND = Path(__file__).resolve().parent.parent / "bench" / "data" / "pii" / "hard_heldout34.txt"
_FIXED, _MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE
_CONTEXTS = ("plain", "e164", "intl", "shida", "durchwahl")
_SHAPES = {
    "e164": r"\+(?:355|383|995|385)\d{8,9}",
    "intl": r"\+(?:355|383|995|385)(?: \d{1,4}){3,5}",
    "durchwahl": r"\+\d{3} \d{1,4} \d{3,4} \d{3}",
    "shida": r"0(?:32 2 \d\d|4\d\d \d\d) \d\d \d\d",
}
_PLAIN = {
    "AL": r"06[789] \d\d \d\d \d{3}|0\d{1,2} \d{3} \d{3,4}",
    "XK": r"0(?:38|29|39) \d{3} \d{3}",
    "GE": rf"5\d\d \d\d \d\d \d\d|{_SHAPES['shida']}",
    "HR": r"09\d \d{3} \d{4}|0\d{1,2} \d{3,4} \d{3}",
}


@pytest.fixture(scope="module")
def heldout34() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout34", 300, 40)


def _valid_somewhere(number: str) -> bool:
    return any(valid_phone(number, r) for r in pii_heldout34.LOCAL_REGIONS)


def test_heldout34_source_gives_albanias_and_georgias_names():
    pools = pii_heldout34.pools()
    sizes = {key: len(names) for key, names in pools.items()}
    assert all(n >= 80 for key, n in sizes.items() if not key.startswith("GE_script")), sizes
    assert sizes["GE_script_men"] >= 20 and sizes["GE_script_women"] >= 20, sizes
    latin = [n for key, names in pools.items() if not key.startswith("GE_script") for n in names]
    assert all(re.fullmatch(_WORD, n) for n in latin)
    assert all(re.fullmatch(_SCRIPT, n) for key in ("GE_script_men", "GE_script_women") for n in pools[key])
    assert {"Arben", "Ilir", "Besnik"} <= set(pools["AL_men"]) and {"Drita", "Mimoza"} <= set(pools["AL_women"])
    assert {"Hoxha", "Kurti", "Shehu", "Berisha", "Hoxhaj"} <= set(pools["AL_last"])
    assert {"Giorgi", "Davit", "Nika", "Zurab"} <= set(pools["GE_men"])
    assert {"Nino", "Tako", "Xatuna"} <= set(pools["GE_women"])  # the world's reading set right, the typed x kept
    assert {"Beridze", "Maisuradze", "Cecxladze", "Gelashvili"} <= set(pools["GE_last"])
    assert all(re.search(r"(?:dze|shvili|ia|ua|ava|uri|eli|iani)$", n) for n in pools["GE_last"])
    everyone = set(latin)
    assert not {"Tural", "Elnur", "Mamedov", "Aliyev", "Grigoryan", "Gauqmda", "Ucnobi", "Georgia", "Durres"} & everyone
    assert not {"Ela", "Natia", "Nika"} & set(pools["AL_last"] + pools["GE_last"])
    assert set(pools["AL_declined"]) <= set(pools["AL_last"]) and "Hoxhaj" not in pools["AL_declined"]
    values = pii_heldout34.Heldout34Values(pii_sets.Makers(1, ["en_US"], []))
    values.rng = random.Random(7)
    templates = (
        "Public Registry extract 882/2026, Tbilisi: owner {PERSON}",
        "Takim me {PERSON} nesër në Tiranë, ora 10. Tel. {PHONE_NUMBER}",
        "Numri i {PERSON}: {PHONE_NUMBER} (Durrës)",
        "MECARD:N:{PERSON};TEL:{PHONE_NUMBER};EMAIL:{EMAIL_ADDRESS};;",
        "ქალბატონო {PERSON}, ბარათის ნომერი: {CREDIT_CARD}",
        "kalbatono {PERSON}, Mestia guesthouse-shi adgili gvaqvs: {PHONE_NUMBER}",
        "Khachapuri night in the Bronx, RSVP to {PERSON} at {PHONE_NUMBER}",
    )
    assert [values.person(t) for t in templates] == [
        "Bendeliani Iamze Malxazis asuli",
        "Tonin Zenelin",
        "Fation Bosit",
        "Manaj,Ardi",
        "ნანა",
        "Darejan",
        "Kledi Lushi",
    ]


def test_heldout34_declines_albanian_surnames_and_georgian_fathers():
    declined = pii_heldout34.declined
    assert [declined(s, c) for s in ("Hoxha", "Kurti", "Shehu") for c in ("acc", "gen")] == [
        "Hoxhën",
        "Hoxhës",
        "Kurtin",
        "Kurtit",
        "Shehun",
        "Shehut",
    ]
    fathers = ("Zurabi", "Zurab", "Davit", "Shota", "Tornike", "Giorgi")
    assert [pii_heldout34.genitive_ka(n) for n in fathers] == [
        "Zurabis",
        "Zurabis",
        "Davitis",
        "Shotas",
        "Tornikes",
        "Giorgis",
    ]


def test_heldout34_names_have_the_two_lands_forms(heldout34):
    people = part_labels(heldout34, "PERSON", ("generated",))
    assert len(people) > 250
    assert all(_NAME.fullmatch(p) for p in people), [p for p in people if not _NAME.fullmatch(p)]
    pools = pii_heldout34.pools()
    records = [m for p in people for m in [_PATRONYMIC.fullmatch(p)] if m]
    assert len(records) >= 10 and {m.group(4) for m in records} == {"dze", "asuli"}, records
    men = {pii_heldout34.genitive_ka(n) for n in pools["GE_men"]}
    assert all(m.group(1) in pools["GE_last"] and m.group(3) in men for m in records), records
    assert all(m.group(2) in pools[f"GE_{'men' if m.group(4) == 'dze' else 'women'}"] for m in records), records
    cases = {pii_heldout34.declined(s, c) for s in pools["AL_declined"] for c in ("acc", "gen")}
    assert sum(p.split()[-1] in cases and p.split()[-1] not in pools["AL_last"] for p in people) >= 20
    assert sum("," in p for p in people) >= 5  # a QR contact's Surname,Given
    assert sum(re.fullmatch(_SCRIPT, p) is not None for p in people) >= 20  # given names in the Georgian script
    assert sum(re.fullmatch(_WORD, p) is not None for p in people) >= 20  # a given name alone
    texts = [text for text, _ in heldout34["generated"]]
    for text in texts:
        for word, sex in (("kalbatono ", "women"), ("batono ", "men")):
            given = re.search(rf"\b{word}({_WORD})", text)
            if given:
                assert given.group(1) in pools[f"GE_{sex}"], text


def test_heldout34_phone_formats_are_its_own_and_valid():
    rng = random.Random(3)
    forms = (("AL", "plain"), ("XK", "plain"), ("GE", "plain"), ("HR", "plain"))
    forms += (("GE", "shida"), ("HR", "durchwahl"), ("AL", "e164"), ("XK", "intl"))
    assert [pii_heldout34.local_phone_in(rng, r, c)[0] for r, c in forms] == [
        "068 25 97 919",
        "038 548 337",
        "0439 22 32 86",
        "020 329 040",
        "0431 49 66 69",
        "+385 21 251 027",
        "+355696468695",
        "+383 29 435 049",
    ]
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        region, context = rng.choice(pii_heldout34.LOCAL_REGIONS), rng.choice(_CONTEXTS)
        region = {"shida": "GE", "durchwahl": "HR"}.get(context, region)
        number, mobile = pii_heldout34.local_phone_in(rng, region, context)
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region, number
        assert phonenumbers.number_type(parsed) == (_MOBILE if mobile else _FIXED), number
        assert re.fullmatch(_SHAPES.get(context) or _PLAIN[region], number), (context, number)
        assert not mobile or context not in ("shida", "durchwahl") and (region, context) != ("XK", "plain"), number
        kinds.add((region, mobile))
    assert kinds == {(r, m) for r in pii_heldout34.LOCAL_REGIONS for m in (True, False)}
    values = pii_heldout34.Heldout34Values(pii_sets.Makers(1, ["en_US"], []))
    assert values.phone("ოფისი, Tbilisi: {PHONE_NUMBER} შიდა 214").startswith("032 2 ")
    assert values.phone("Buchung für {PERSON}, Hotel in Dubrovnik: Rezeption {PHONE_NUMBER}, Durchwahl 214")[:8] == (
        "+385 20 "
    )
    assert re.fullmatch(r"\+995\d{9}", values.phone("SMSTO:{PHONE_NUMBER}:Gamarjoba {PERSON}, supra 20:00-ze"))
    assert values.phone("Zyra në Prishtinë: {PHONE_NUMBER}, pyet për {PERSON}").startswith("038 ")


def test_heldout34_cards_are_its_own_and_pass_luhn():
    rng = random.Random(5)
    assert [pii_heldout34.card_in(rng) for _ in range(2)] + [pii_heldout34.card_in(rng, "run")] == [
        "2672 5807 3021 5732",
        "6759 9303 6426 2129",
        "372200332245386",
    ]
    cards = drawn(pii_heldout34.card_in)
    assert bad_cards(cards, r"\d{4}(?: \d{4}){3}", (16, 16)) == []
    assert {c[:2] for c in cards} >= {"40", "51", "55", "22", "26", "67"}
    runs = drawn(lambda r: pii_heldout34.card_in(r, "run"))
    assert bad_cards(runs, r"\d{15,16}", (15, 16)) == []
    assert {c[:2] for c in runs if len(c) == 15} == {"34", "37"}


def test_heldout34_every_phone_ip_and_card_label_is_valid(heldout34):
    counts = {kind: len(part_labels(heldout34, kind)) for kind in ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD")}
    assert counts["PHONE_NUMBER"] > 150 and counts["IP_ADDRESS"] > 3 and counts["CREDIT_CARD"] > 20, counts
    assert part_labels(heldout34, "IBAN_CODE") == [] and part_labels(heldout34, "US_SSN") == []
    phones = part_labels(heldout34, "PHONE_NUMBER")
    assert [p for p in phones if not _valid_somewhere(p)] == []
    assert sum(re.fullmatch(r"\+\d{11,12}", p) is not None for p in phones) >= 5  # E.164 run together
    assert sum(re.fullmatch(r"5\d\d \d\d \d\d \d\d", p) is not None for p in phones) >= 5  # Georgia's mobiles
    assert sum(p.startswith("+385") for p in phones) >= 5 and sum(p.startswith("038 ") for p in phones) >= 5
    texts = [text for text, _ in heldout34["generated"]]
    assert any(re.search(r"\d შიდა \d+", t) for t in texts)  # an extension after Georgian's "internal"
    assert any(re.search(r"\d, Durchwahl \d+", t) for t in texts)
    assert any(re.search(r"/cards/\d{15,16}/", t) for t in texts)  # a card in an API path's segment
    assert any(re.search(r"[\u10d0-\u10fa]: 5\d\d \d\d", t) for t in texts)  # a number in Georgian-script text
    assert any(t.startswith("MECARD:N:") and ";TEL:+" in t for t in texts)
    assert invalid_labels(heldout34, pii_heldout34.LOCAL_REGIONS, (), card_digits=(15, 16)) == []


def test_heldout34_labels_sit_where_their_values_are_and_never_overlap(heldout34):
    assert misplaced_labels(heldout34, _HAND) == []


def test_heldout34_identifier_shaped_negatives_are_not_identifiers():
    texts = [text for text, _ in pii_sets.build("heldout34", 10, 400)["negative"]]
    loyalty = [re.sub(r"\D", "", m.group(1)) for t in texts for m in [re.search(r"ბარათი ([\d ]+)$", t)] if m]
    assert len(loyalty) >= 10 and {len(a) for a in loyalty} == {16}, loyalty
    assert all(pii_heldout34.luhn_sum(a) != 0 for a in loyalty), loyalty
    firms = [m.group(1) for t in texts for m in [re.search(r"(?:კოდი|NRB) (\d+)", t)] if m]
    assert len(firms) >= 10 and {len(c) for c in firms} == {9}, firms
    assert not any(_valid_somewhere(c) for c in firms), firms
    assert all(re.fullmatch(r"L\d{8}A", m.group(1)) for t in texts for m in [re.search(r"NIPT (\S+),", t)] if m)
    card = "Nikora ბარათი 4111 1111 1111 1111"
    assert pii_heldout34.never_valid(card) == "Nikora ბარათი 4111 1111 1111 1112"
    assert pii_heldout34.never_valid("Nikora ბარათი 4111 1111 1111 1112") == "Nikora ბარათი 4111 1111 1111 1112"


def test_heldout34_is_the_same_each_time_and_leaves_random_alone(heldout34):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout34.pools.cache_clear()
    again = pii_sets.build("heldout34", 300, 40)
    assert random.random() == expected
    assert again == heldout34
    assert len(heldout34["hand"]) == 32 and len(heldout34["negative"]) == 40 + 5
    assert len(heldout34["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout34["negative"] + heldout34["word_negative"])
