"""HELDOUT11: the eleventh held-out PII part, made because HELDOUT10's misses were studied (issue 9, item 8,
the eighth round on names); written, templates, negatives, generators, phone formats and hand cases, before
any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from packages that no earlier part and no name list was built from, in naming customs
that no earlier part's generator wrote names in:

- ``faker-pk``'s database: Pakistani given names (often two, often after ``Muhammad``), its surnames and
  the caste and clan names written as surnames (Sheikh, Ansari, Raja ...), sometimes with ``s/o`` and a
  father's name;
- ``cajun-name-generator``'s lists: Cajun (Louisiana French) given names and surnames, sometimes written
  surname first with a comma, as rosters do;
- ``lv-namedays``' extended calendar: Latvian given names (with ā, ē, ī, ū, ķ, ļ, ņ, š, ž), one or two of them,
  sometimes with an initial;
- ``deklinacija``: Serbian names, in Cyrillic or in Latin letters, declined as the sentence around them
  asks (the vocative after ``Драги``, the genitive after ``од``, the dative, the instrumental after
  ``са``); given names from its own list of names in -а, surnames in -ић made from them.

Names are written in templates the other parts lack (Urdu in Latin letters, Latvian, Serbian, Cajun
French, Lithuanian, Estonian, Albanian and Fijian sentences around a name, delivery-rider chats, school and
clinic notices, IRC-style logs, CSV exports, git trailers, CRM notes), sometimes in lowercase or capitals
(Latin only). Phone numbers: Pakistani, Latvian, Serbian, Lithuanian, Estonian, Albanian, Georgian,
Jamaican, Fijian and Somali numbers as people write them (written here, not by a library; each valid by
``phonenumbers``), or else from ``bench.pii_sets.Makers`` in Faker locales whose other types no part used,
with this part's seed, kept only when valid for one of those locales' countries; the other types from
``Makers``. ``data/pii/hard_heldout11.txt`` holds hand-written hard cases (Welsh, Hawaiian, Inuit, Quechua,
Albanian, Kurdish, Uzbek, Kazakh, Lithuanian, Estonian, Fijian, Samoan, Tongan, Jamaican, Haitian, Amazigh,
Malagasy and Somali names among them). Negatives: numbers that are not personal data (form numbers in groups
of 5, 5-8 and 1 digits, some shaped like a Pakistani CNIC, which no type here covers; challan and PNR
numbers, amounts in rupees, euros, dinars and lari, parcel and meter numbers as long as a phone number), and
lines of capitalized or Cyrillic words that hold no person (places, events, teams, services).
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import random_digits as _digits
from bench.pii_makers import valid_phone

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT11_SEED = 419733
HELDOUT11_FAKER_LOCALES = ["lv_LV", "lt_LT", "sk_SK", "hr_HR"]  # only their non-name types are drawn
FAKER_REGIONS = ("LV", "LT", "SK", "HR", "US")  # their countries, and en_US's, where a provider falls back
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SERBIAN = re.compile(r"Драг|Dragi|Draga |Поштован|Poštovan|од |od |са |sa |Пошаљите|Pošaljite|Хвала|Hvala")
_PAKISTANI = re.compile(r"Assalam|Shukriya|JazzCash|Easypaisa|s/o")
_LATVIAN = re.compile(r"Sveik|Ar cieņu|Labdien")
_CAJUN = re.compile(r"Ça c'est bon|Cher|Parish|crawfish")
_SCRIPT_OR_PLACE = ((_SERBIAN, "serbian"), (_PAKISTANI, "pakistani"), (_LATVIAN, "latvian"), (_CAJUN, "cajun"))
# The case a Serbian name takes after each cue (the nominative where none is given).
_SERBIAN_CASES = (
    (re.compile(r"Драг|Dragi|Draga |Поштован|Poštovan"), "vokativ"),
    (re.compile(r"од |od "), "genitiv"),
    (re.compile(r"са |sa "), "instrumental"),
    (re.compile(r"Пошаљите|Pošaljite|Хвала|Hvala"), "dativ"),
)


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT11 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def sr_surname(given: str) -> str:
    """A Serbian surname in -ић made from a given name in -а (Лука -> Лукић, Илија -> Илић)."""
    stem = given[:-3] if given.endswith("ија") else given[:-1]
    return stem + "ић"


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in a fixed order."""
    from cajun_name_generator.cajunnamelist import firstnames, lastnames

    pools: dict[str, list] = {}
    db = sqlite3.connect(_package_dir("faker_pk") / "faker_pk.db")
    try:
        pools["pk_male"] = [n for (n,) in db.execute("SELECT name FROM names WHERE type = 'male' ORDER BY id")]
        pools["pk_female"] = [n for (n,) in db.execute("SELECT name FROM names WHERE type = 'female' ORDER BY id")]
        pools["pk_family"] = [n for (n,) in db.execute("SELECT name FROM names WHERE type = 'last' ORDER BY id")]
        pools["pk_family"] += [n for (n,) in db.execute("SELECT name FROM castes ORDER BY id")]
        pools["pk_prefix"] = [p for (p,) in db.execute("SELECT prefix FROM sim_prefixes ORDER BY id")]
    finally:
        db.close()
    pools["cajun_given"], pools["cajun_family"] = list(firstnames), list(lastnames)
    calendar = json.loads((_package_dir("lv_namedays") / "data" / "paplasinatais_saraksts.json").read_text("utf-8"))
    latvian = [name for day in sorted(calendar) for name in calendar[day]]
    pools["lv_given"] = list(dict.fromkeys(n for n in latvian if n.isalpha()))
    rows = (_package_dir("deklinacija") / "vokativ_database.csv").read_text("utf-8-sig").splitlines()
    pools["sr_given"] = [row.split(";")[0] for row in rows if row.strip()]
    return pools


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Pakistani, Latvian, Serbian, Lithuanian, Estonian, Albanian, Georgian, Jamaican,
    Fijian or Somali mobile number as people write it."""
    country = rng.choice(["PK", "LV", "RS", "LT", "EE", "AL", "GE", "JM", "FJ", "SO"])
    if country == "PK":
        net, rest = rng.choice(_pools()["pk_prefix"]), _digits(rng, 7)
        forms = [f"0{net}-{rest}", f"0{net} {rest}", f"+92 {net} {rest}", f"+92{net}{rest}", f"0092 {net} {rest}"]
    elif country == "LV":
        a, b, c = rng.choice(["20", "21", "22", "24", "25", "26", "27", "28", "29"]), _digits(rng, 3), _digits(rng, 3)
        forms = [f"+371 {a}{b[0]} {b[1:]}{c}", f"{a} {b} {c}", f"+371 {a}{b}{c}", f"(+371) {a}{b}{c}"]
    elif country == "RS":
        net, a, b = rng.choice(["60", "61", "62", "63", "64", "65", "66", "69"]), _digits(rng, 3), _digits(rng, 4)
        forms = [f"0{net} {a} {b}", f"0{net}/{a}-{b}", f"+381 {net} {a}{b}", f"+381 {net} {a} {b[:2]} {b[2:]}"]
    elif country == "LT":
        a, b = "6" + _digits(rng, 2), _digits(rng, 5)
        forms = [f"+370 {a} {b}", f"8 {a} {b}", f"8{a}{b}", f"+370{a}{b}"]
    elif country == "EE":
        a, b = "5" + _digits(rng, 3), _digits(rng, 4)
        forms = [f"+372 {a} {b}", f"{a} {b}", f"+372{a}{b}"]
    elif country == "AL":
        a, b = _digits(rng, 3), _digits(rng, 4)
        forms = [f"+355 69 {a} {b}", f"069 {a} {b}", f"069{a}{b}", f"+355 (0)69 {a} {b}"]
    elif country == "GE":
        net, a = (
            rng.choice(["555", "557", "558", "568", "571", "577", "591", "593", "595", "597", "599"]),
            _digits(rng, 6),
        )
        forms = [f"+995 {net} {a[:2]} {a[2:4]} {a[4:]}", f"{net} {a[:3]} {a[3:]}", f"(+995) {net}{a}"]
    elif country == "JM":
        ex, b = rng.choice(["312", "318", "322", "348", "364", "382", "421", "470", "550", "579"]), _digits(rng, 4)
        forms = [f"876-{ex}-{b}", f"(876) {ex}-{b}", f"+1 876 {ex} {b}", f"1-876-{ex}-{b}"]
    elif country == "FJ":
        a, b = rng.choice(["70", "72", "83", "86", "92", "97"]) + _digits(rng, 1), _digits(rng, 4)
        forms = [f"+679 {a} {b}", f"{a} {b}", f"{a}{b}", f"(679) {a}{b}"]
    else:
        net, rest = rng.choice(["61", "62", "63", "65", "66", "68", "77"]), _digits(rng, 7)
        forms = [f"+252 {net} {rest}", f"0{net} {rest[:3]} {rest[3:]}", f"+252{net}{rest}"]
    return country, rng.choice(forms)


def local_phone(rng: random.Random) -> str:
    return local_phone_in(rng)[1]


class Heldout11Values:
    """Names and most phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.faker_phone = makers.PHONE_NUMBER
        self.rng = random.Random(HELDOUT11_SEED + 53)
        self.pools = _pools()

    def _pick(self, key: str) -> str:
        return self.rng.choice(self.pools[key])

    def pakistani(self, template: str = "") -> str:
        rng = self.rng
        female = rng.random() < 0.4
        given = self._pick("pk_female" if female else "pk_male")
        roll = rng.random()
        if not female and roll < 0.3 and given != "Muhammad":
            given = f"Muhammad {given}"
        elif roll < 0.5:
            given = f"{given} {self._pick('pk_female' if female else 'pk_male')}"
        name = given if rng.random() < 0.3 else f"{given} {self._pick('pk_family')}"
        if "s/o" in template:  # the father's name follows in the template, as its own span
            return self._pick("pk_male") if rng.random() < 0.5 else name
        return name

    def cajun(self, template: str = "") -> str:
        rng = self.rng
        given, family = self._pick("cajun_given"), self._pick("cajun_family")
        roll = rng.random()
        if roll < 0.1:
            return given
        if roll < 0.25 and "," not in template:
            return f"{family}, {given}"
        return f"{given} {family}"

    def latvian(self, template: str = "") -> str:
        rng = self.rng
        given = self._pick("lv_given")
        roll = rng.random()
        if roll < 0.25:
            return f"{given} {self._pick('lv_given')}"
        if roll < 0.45:
            return f"{given} {rng.choice('ABDEGIJKLMNOPRSTUVZ')}."
        return given

    def serbian(self, template: str = "") -> str:
        from deklinacija import Gender, dativ, genitiv, instrumental, toLatin, vokativ

        rng = self.rng
        given = self._pick("sr_given")
        name = given if rng.random() < 0.2 else f"{given} {sr_surname(self._pick('sr_given'))}"
        case = next((c for cue, c in _SERBIAN_CASES if cue.search(template)), "")
        decline = {"vokativ": vokativ, "genitiv": genitiv, "instrumental": instrumental, "dativ": dativ}.get(case)
        if decline is not None:  # a woman's surname stays as it is; her given name in -а declines
            name = decline(name, Gender.FEMALE)
        latin = not _CYRILLIC.search(template) if template else rng.random() < 0.5
        return toLatin(name) if latin else name

    def person(self, template: str = "") -> str:
        rng = self.rng
        for cue, source in _SCRIPT_OR_PLACE:
            if cue.search(template):
                return getattr(self, source)(template)
        source = rng.choices(["pakistani", "cajun", "latvian", "serbian"], weights=[35, 25, 25, 15])[0]
        name = getattr(self, source)(template)
        if _CYRILLIC.search(name):
            return name
        roll = rng.random()
        if roll < 0.05:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        """A number of this part's own formats, or else one from ``Makers`` that is a valid number of one
        of its locales' countries (Faker writes many that no numbering plan issues: those are drawn again)."""
        if self.rng.random() < 0.7:
            return local_phone(self.rng)
        for _ in range(20):
            number = self.faker_phone(template)
            if any(valid_phone(number, region) for region in FAKER_REGIONS):
                return number
        return local_phone(self.rng)


HELDOUT11_TEMPLATES = [
    "Assalam o Alaikum {PERSON}, aap ka parcel aaj deliver ho jaye ga. Rider: {PHONE_NUMBER}",
    "Shukriya {PERSON}! Rs. 2,500 JazzCash se receive ho gaye.",
    "Easypaisa: Rs 1,200 sent to {PERSON} ({PHONE_NUMBER}) Trx ID 38122047719",
    "Admission form: {PERSON} s/o {PERSON}, contact {PHONE_NUMBER}",
    "Sveiki, {PERSON}! Jūsu pasūtījums ir nosūtīts.",
    "Ar cieņu,\n{PERSON}\ntālr. {PHONE_NUMBER}",
    "Labdien, {PERSON}, jūsu vizīte ir apstiprināta.",
    "Драги {PERSON}, хвала на поруци.",
    "Dragi {PERSON}, vidimo se sutra u 10.",
    "Poruka od {PERSON} je stigla juče.",
    "Састанак са {PERSON} је померен за петак.",
    "Pošaljite ugovor {PERSON} do petka.",
    "Ça c'est bon, {PERSON}! See you at the boucherie Saturday.",
    "Cher, call {PERSON} about the crawfish order: {PHONE_NUMBER}",
    "Lafourche Parish roster: {PERSON}",
    "Laba diena, {PERSON}, skambinkite {PHONE_NUMBER}",
    "Tere, {PERSON}! Sinu tellimus on teel.",
    "Përshëndetje {PERSON}, na telefononi në {PHONE_NUMBER}",
    "Bula {PERSON}, your boat leaves at noon.",
    "[09:41] <{PERSON}> anyone seen the deploy key?",
    "name,phone,email\n{PERSON},{PHONE_NUMBER},{EMAIL_ADDRESS}",
    "Co-authored-by: {PERSON} <{EMAIL_ADDRESS}>",
    "CRM note: spoke to {PERSON}, prefers calls after 5 on {PHONE_NUMBER}",
    "Your rider {PERSON} is arriving in 3 min",
    "Parent-teacher meeting: {PERSON} (guardian), Grade 4",
    "Patient: {PERSON}   DOB on file   Ward 7",
    "Refund to card {CREDIT_CARD} approved for {PERSON}",
    "Wire to {IBAN_CODE}, beneficiary {PERSON}",
    "{PERSON} logged in from {IP_ADDRESS}",
    "SSN {US_SSN} belongs to {PERSON}; verify before payroll",
    "thx {PERSON}!! will ping u at {PHONE_NUMBER}",
    "Both {PERSON} and {PERSON} are on call this weekend.",
    "mail {EMAIL_ADDRESS} if the card {CREDIT_CARD} is declined again",
    "blocked {IP_ADDRESS} after 12 failed attempts",
]
HELDOUT11_NEGATIVES = [
    "Challan no. {long}, amount Rs. {c},{b:02d}0, due {d}/{m}/{year}",
    "Form {zip}-{order}-{q}, received {d}.{m}.{year}",
    "PNR {zip4}{b:02d}, flight PK {c}, seat {a}{q}",
    "Rēķins Nr. {order}, summa {c},{b:02d} EUR",
    "Рачун бр. {long}, износ {c}.{b:02d}0 дин.",
    "Sąskaita {order}-{year}, suma {c},{b:02d} €",
    "Arve nr {long}, tasuda {c},{b:02d} EUR",
    "ინვოისი {order}, თანხა {c} ლარი",
    "parcel {long} out for delivery, {a} stops away",
    "meter {long} read {c}.{b} kWh on {d}/{m}",
    "build {year}.{m}.{d}+{c} passed {a} of {a} checks",
    "order #{order} x{q} @ FJ${c}.{b:02d}",
]
HELDOUT11_WORD_NEGATIVES = [
    "Badshahi Mosque Visiting Hours",
    "Lahore Qalandars Training Camp {year}",
    "Rīgas Centrāltirgus Paviljoni",
    "Jūrmala Beach Volleyball Finals",
    "Калемегдан Тврђава Улаз",
    "Exit Festival Novi Sad Camping",
    "Atchafalaya Basin Swamp Tours",
    "Mardi Gras Parade Route Map",
    "Vilnius Old Town Walking Tour",
    "Tallinn Song Festival Grounds",
    "Blue Eye Spring Theth Valley",
    "Narikala Fortress Cable Car",
    "Blue Mountains Coffee Estate",
    "Coral Coast Reef Snorkel Trip",
    "Mogadishu Lido Beach Cafe",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT11."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT11_SEED, HELDOUT11_FAKER_LOCALES, [])
    values = Heldout11Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    texts = (HELDOUT11_TEMPLATES, HELDOUT11_NEGATIVES, HELDOUT11_WORD_NEGATIVES)
    return pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout11.txt")
