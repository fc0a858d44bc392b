"""HELDOUT16: the sixteenth held-out PII part, made because HELDOUT15's misses were studied (issue 9, item 8,
the thirteenth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from packages that no earlier part and no name list was built from, read from their data files
without importing them:

- ``az-data-generator``'s lists (``data_generator/data/data.json``): Azerbaijani given names and surnames in
  the Latin alphabet with its own letters (``Əbdülrəhmanlı``, ``Gülnarə``), surnames in ``-ov``/``-ova``,
  ``-li``/``-lı`` and ``-oğlu``; with the patronymic's ``oğlu``/``qızı`` now and then;
- ``baraqda-lib``'s registries (``baraqdalib/data/PL`` and ``DE``): Polish first, second and family names from
  the PESEL registry (written in capitals there; here in the case people write them, often with the second
  given name, drawn evenly so that rare surnames come as often as common ones) and German first names and
  surnames from its German lists (also drawn evenly: rare spellings and names of many origins).

Names are written in templates the other parts lack (Azerbaijani sentences and a patronymic form, Polish and
German mail, forms and chat, Albanian, Bosnian and Romanian greetings, a Macedonian one in Cyrillic, Romansh and Faroese
lines, a Guarani greeting; a helpdesk ticket, a git trailer, a CSV of a school's pupils, a boarding pass, a
YAML record, a journal's log line, an XML element, a Markdown table's row), sometimes in lowercase or capitals.
Phone numbers: Kosovar, North Macedonian, Montenegrin, Bosnian, Moldovan, Tajik, Turkmen, Liechtenstein,
Andorran, Faroese, Paraguayan and Bolivian mobile numbers as people write them (written here, not by a
library; each valid by ``phonenumbers`` and a mobile number of its region). Cards: written here, not by
Faker, from brands' prefixes (JCB, Diners Club, UnionPay, Mir, Troy, Discover, RuPay, Elo, Amex, Maestro,
Mastercard's 2-series) with lengths of 14 to 19 digits, grouped as each brand prints them, in runs or with
dashes, each completed by its Luhn digit, amid Azerbaijani, Polish, German, Albanian and Faroese words. The
other types come from ``bench.pii_sets.Makers`` in the az_AZ, pl_PL and de_AT locales (only their non-name
types are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, some with the shape of an identifier: a Polish KRS court
register number and a REGON (firms' numbers, with a real identifier's shape no type here covers); a German
case number (``Vorgangsnummer 030-...``, a Berlin phone's shape); a Faroese ferry booking of six digits in
pairs (a Faroese phone's shape); a consignment code of four groups of four digits and a 19-digit loyalty
account (card shapes; each made to fail Luhn, so never valid: the test checks); a Polish batch code of ``PL``,
two digits and six groups of four (a Polish IBAN's shape; check digits that would pass mod-97 are moved by
one, so never valid: the test checks); an electricity meter's OBIS code ``1-0:1.8.0.255``, a library's UDC
class ``821.161.1.09`` and a package version of four numbers (an IP address's shape); GPS coordinates near
Baku and Asunción; amounts in manat, złoty, somoni and guaraní; a train and a bus line. Word lines:
capitalized places, fairs, festivals and tours with no person in them, in Azerbaijani, Polish, German,
Albanian, Faroese, Romansh and Guarani words (some with words that are also names elsewhere: Święty Marcin,
Maria Saal, Gjergj Kastrioti Square, Nizami Street).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import luhn_complete, luhn_sum, mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT16_SEED = 916203
HELDOUT16_FAKER_LOCALES = ["az_AZ", "pl_PL", "de_AT"]  # only their non-name types are drawn
LOCAL_REGIONS = ("XK", "MK", "ME", "BA", "MD", "TJ", "TM", "LI", "AD", "FO", "PY", "BO")
_AZ = re.compile(r"Salam |Hörmətli|Təşəkkür|Vətəndaş|Xanım")
_PL = re.compile(r"Dzień dobry|Szanown|Pozdrawiam|Cześć|Pani |Pan |Dziękuję|Imię")
_DE = re.compile(r"Hallo |Sehr geehrte|Grüße|Grüezi|Servus|Moin|Danke |Herr |Frau ")
_SOURCE_OF = ((_AZ, "azeri"), (_PL, "polish"), (_DE, "german"))


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT16 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


_NAME = re.compile(r"[^\W\d_]+(?:[ '-][^\W\d_]+)*")


def _repaired(value: str) -> str:
    """``value`` as it was written: some of baraqda-lib's German first names are UTF-8 read as cp1250
    (``Ă–mer`` for ``Ömer``); those are decoded back, the others left as they are."""
    try:
        return value.encode("cp1250").decode("utf-8")
    except UnicodeError:
        return value


def _column(path: Path) -> list[str]:
    """A baraqda-lib list's names (its first column), in file order: repaired, and only those of letters with
    a space, hyphen or apostrophe between them (no initials, no ``JR.``, no ``null``, no stray marks, none
    with an ``Ă`` left by a byte the misreading lost, as in ``AmĂelie``)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    names = (_repaired(r[0].strip()) for r in rows if r)
    return [v for v in names if _NAME.fullmatch(v) and v != "null" and "Ă" not in v]


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """Every source's names, read once, in a fixed order."""
    az = json.loads((_package_dir("data_generator") / "data" / "data.json").read_text(encoding="utf-8"))
    pools = {k: list(az[k]) for k in ("female_names", "female_surnames", "male_names", "male_surnames")}
    reg = _package_dir("baraqdalib") / "data"
    for country in ("PL", "DE"):
        for key in ("female_first_name", "male_first_name", "female_second_name", "male_second_name"):
            pools[f"{country}_{key}"] = _column(reg / country / f"{key}.csv")
        pools[f"{country}_female_surname"] = _column(reg / country / "female_surname.csv")
        pools[f"{country}_male_surname"] = _column(reg / country / "male_surname.csv")
    return pools


_FO_HEADS = tuple(str(h) for h in (*range(21, 30), *range(50, 60), *range(71, 80), 91, 96))
_PY_HEADS = ("961", "971", "972", "973", "975", "976", "981", "982", "983", "984", "985", "991", "992", "993", "995")


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Kosovar, North Macedonian, Montenegrin, Bosnian, Moldovan, Tajik, Turkmen,
    Liechtenstein, Andorran, Faroese, Paraguayan or Bolivian mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "XK":
        h, r = rng.choice(["43", "44", "45", "46", "48", "49"]), _digits(rng, 6)
        forms = [f"+383 {h} {r[:3]} {r[3:]}", f"0{h} {r[:3]} {r[3:]}", f"+383{h}{r}", f"00383 {h}-{r[:3]}-{r[3:]}"]
    elif country == "MK":
        h, r = rng.choice(["70", "71", "72", "75", "76", "77", "78"]), _digits(rng, 6)
        forms = [f"+389 {h} {r[:3]} {r[3:]}", f"0{h}/{r[:3]}-{r[3:]}", f"0{h} {r}", f"+389{h}{r}"]
    elif country == "ME":
        h, r = rng.choice(["67", "68", "69"]), _digits(rng, 6)
        forms = [f"+382 {h} {r[:3]} {r[3:]}", f"0{h}/{r[:3]}-{r[3:]}", f"0{h} {r[:3]} {r[3:]}"]
    elif country == "BA":
        h, r = rng.choice(["61", "62", "63", "65", "66"]), _digits(rng, 6)
        forms = [f"+387 {h} {r[:3]} {r[3:]}", f"0{h}/{r[:3]}-{r[3:]}", f"0{h} {r[:3]} {r[3:]}", f"00387 {h} {r}"]
    elif country == "MD":
        h, r = rng.choice(["60", "62", "67", "68", "69", "78", "79"]), _digits(rng, 6)
        forms = [f"+373 {h} {r[:3]} {r[3:]}", f"0{h} {r[:3]} {r[3:]}", f"+373{h}{r}"]
    elif country == "TJ":
        h, r = rng.choice(["90", "91", "92", "93", "98"]), _digits(rng, 7)
        forms = [f"+992 {h} {r[:3]} {r[3:]}", f"+992{h}{r}", f"+992 {h}-{r[:3]}-{r[3:5]}-{r[5:]}"]
    elif country == "TM":
        h, r = rng.choice(["61", "62", "63", "64", "65", "71"]), _digits(rng, 6)
        forms = [f"+993 {h} {r[:2]}-{r[2:4]}-{r[4:]}", f"+993{h}{r}", f"8 {h} {r}"]
    elif country == "LI":
        h, r = rng.choice("89"), _digits(rng, 5)
        forms = [f"+423 7{h}{r[0]} {r[1:3]} {r[3:]}", f"+4237{h}{r}", f"004237{h}{r}"]
    elif country == "AD":
        h, r = rng.choice("36"), _digits(rng, 5)
        forms = [f"+376 {h}{r[:2]} {r[2:]}", f"+376{h}{r}", f"{h}{r[:2]} {r[2:]}"]
    elif country == "FO":
        h, r = rng.choice(_FO_HEADS), _digits(rng, 4)
        forms = [f"+298 {h}{r}", f"{h} {r[:2]} {r[2:]}", f"+298 {h} {r[:2]} {r[2:]}"]
    elif country == "PY":
        h, r = rng.choice(_PY_HEADS), _digits(rng, 6)
        forms = [f"+595 {h} {r[:3]} {r[3:]}", f"0{h} {r[:3]} {r[3:]}", f"+595{h}{r}", f"(0{h}) {r}"]
    else:
        h, r = rng.choice("67"), _digits(rng, 7)
        forms = [f"+591 {h}{r}", f"{h}{r[:3]}-{r[3:]}", f"+591 {h}{r[:3]} {r[3:]}"]
    return country, rng.choice(forms)


# (brand, prefixes, lengths, grouping of a printed number)
_BRANDS = (
    ("jcb", ("3528", "3541", "3566", "3589"), (16, 19), (4, 4, 4, 4, 3)),
    ("diners", ("300", "305", "36", "38"), (14,), (4, 6, 4)),
    ("unionpay", ("62", "6212", "6250"), (16, 17, 18, 19), (4, 4, 4, 4, 3)),
    ("mir", ("2200", "2202", "2204"), (16,), (4, 4, 4, 4)),
    ("troy", ("9792",), (16,), (4, 4, 4, 4)),
    ("discover", ("6011", "644", "65"), (16, 19), (4, 4, 4, 4, 3)),
    ("rupay", ("508", "6521", "6522", "817", "82"), (16,), (4, 4, 4, 4)),
    ("elo", ("4011", "4389", "5067", "6363", "6504"), (16,), (4, 4, 4, 4)),
    ("amex", ("34", "37"), (15,), (4, 6, 5)),
    ("maestro", ("5018", "5020", "6304", "6759", "6761"), (13, 15, 18, 19), (4, 4, 5, 6)),
    ("mastercard2", ("2221", "2300", "2520", "2720"), (16,), (4, 4, 4, 4)),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the brands above, passing Luhn, in one of the ways people write it."""
    _, prefixes, lengths, groups = rng.choice(_BRANDS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    parts, at = [], 0
    for g in groups:
        if at < length:
            parts.append(number[at : at + g])
            at += g
    if at < length:
        parts[-1] += number[at:]
    style = rng.random()
    if style < 0.35:
        return number
    return ("-" if style < 0.55 else " ").join(parts)


class Heldout16Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT16_SEED + 71)
        self.pools = _pools()

    def azeri(self, template: str = "") -> str:
        rng, pools = self.rng, self.pools
        female = rng.random() < 0.5
        given = rng.choice(pools["female_names" if female else "male_names"])
        family = rng.choice(pools["female_surnames" if female else "male_surnames"])
        if "Vətəndaş" in template or rng.random() < 0.1:
            father = rng.choice(pools["male_names"])
            return f"{family} {given} {father} {'qızı' if female else 'oğlu'}"
        if "Salam" in template and rng.random() < 0.5:
            return given
        return f"{given} {family}"

    def _registry(self, country: str, template: str) -> str:
        rng, pools = self.rng, self.pools
        sex = "female" if rng.random() < 0.5 else "male"
        given = rng.choice(pools[f"{country}_{sex}_first_name"])
        if rng.random() < 0.25 and pools[f"{country}_{sex}_second_name"]:
            given = f"{given} {rng.choice(pools[f'{country}_{sex}_second_name'])}"
        family = rng.choice(pools[f"{country}_{sex}_surname"])
        name = f"{given} {family}".title() if country == "PL" else f"{given} {family}"
        if re.search(r"Cześć|Hallo|Moin|Servus", template) and rng.random() < 0.5:
            return name.split()[0]
        return name

    def polish(self, template: str = "") -> str:
        return self._registry("PL", template)

    def german(self, template: str = "") -> str:
        return self._registry("DE", template)

    def person(self, template: str = "") -> str:
        for cue, source in _SOURCE_OF:
            if cue.search(template):
                return getattr(self, source)(template)
        rng = self.rng
        name = getattr(self, rng.choices(["azeri", "polish", "german"], weights=[40, 35, 25])[0])(template)
        roll = rng.random()
        if roll < 0.05:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT16_TEMPLATES = [
    "Salam {PERSON}, sifarişiniz yoldadır. Sual olsa zəng edin: {PHONE_NUMBER}",
    "Hörmətli {PERSON}, ödənişiniz qəbul olundu.",
    "Təşəkkür edirik, {PERSON}! Kart {CREDIT_CARD} ilə ödəniş uğurludur.",
    "Vətəndaş {PERSON} arayış üçün müraciət edib",
    "Xanım {PERSON} sabah saat 11-də qəbuldadır",
    "Dzień dobry {PERSON}, paczka czeka w paczkomacie. Tel. {PHONE_NUMBER}",
    "Szanowna Pani {PERSON}, w załączeniu faktura za marzec.",
    "Pozdrawiam serdecznie\n{PERSON}\n{EMAIL_ADDRESS}",
    "Cześć {PERSON}, oddzwoń proszę na {PHONE_NUMBER}",
    "Imię i nazwisko: {PERSON}; numer karty: {CREDIT_CARD}",
    "Sehr geehrte Frau {PERSON}, Ihr Termin wurde verschoben.",
    "Hallo {PERSON}, ruf mich bitte unter {PHONE_NUMBER} zurück",
    "Viele Grüße aus Graz\n{PERSON}",
    "Danke {PERSON} für die schnelle Hilfe!",
    "Kartennummer {CREDIT_CARD}, Karteninhaber {PERSON}",
    "Përshëndetje {PERSON}, porosia juaj ka arritur. Tel: {PHONE_NUMBER}",
    "Zdravo {PERSON}, javi se na {PHONE_NUMBER}",
    "Здраво {PERSON}, пратката е испорачана.",
    "Bun venit, {PERSON}! Sunați la {PHONE_NUMBER} pentru detalii",
    "Allegra {PERSON}, grazia fitg per la brev.",
    "Góðan dag {PERSON}, ring til {PHONE_NUMBER}",
    "Mba'éichapa {PERSON}, ehenói {PHONE_NUMBER}",
    "Ticket 4411 opened by {PERSON} ({EMAIL_ADDRESS}): printer offline",
    "Co-authored-by: {PERSON} <{EMAIL_ADDRESS}>",
    "{PERSON};7b;{PHONE_NUMBER};zwolniony z WF",
    "BOARDING PASS  {PERSON}  GATE B12  SEAT 14C",
    'owner:\n  name: {PERSON}\n  phone: "{PHONE_NUMBER}"',
    "Dec 06 10:14:22 host sshd[811]: Accepted publickey for deploy from {IP_ADDRESS}",
    "<contact><name>{PERSON}</name><tel>{PHONE_NUMBER}</tel></contact>",
    "| {PERSON} | {EMAIL_ADDRESS} | {PHONE_NUMBER} |",
    "paid with {CREDIT_CARD} (exp 09/29) by {PERSON}",
    "Karte {CREDIT_CARD} wurde gesperrt",
    "kortnummar {CREDIT_CARD} er stongt",
    "IBAN {IBAN_CODE} lautend auf {PERSON}",
    "PESEL check failed for {PERSON}, SSN {US_SSN} on the US form",
    "{PERSON} i {PERSON} mają dyżur w sobotę",
    "{PERSON} und {PERSON} haben gewonnen",
    "Missed call: {PHONE_NUMBER} ({PERSON})",
    "new login for {PERSON} from {IP_ADDRESS}",
]
HELDOUT16_NEGATIVES = [
    "KRS 00006{c}{b:02d}, REGON {c}{zip4}{b:02d}",
    "Vorgangsnummer 030-{c}{zip4}, Sachbearbeitung Referat {q}",
    "Ferðaskipan nr. {a:02d} {b:02d} {d:02d}, Smyril",
    "Sendung {zip4} {d:02d}{m:02d} {c}{q} {a:02d}{b:02d}, {q} Pakete",  # made to fail Luhn
    "Treuekonto 9{zip4}{fedex}{a:02d}",  # made to fail Luhn
    "Partia PL{a:02d} {zip4} {c}{q} {b:02d}{d:02d} {m:02d}{a:02d} {zip4} {c}{q}",  # made to fail mod-97
    "Zählerstand OBIS 1-0:1.8.0.255 = {order} kWh",
    "UKD 821.{c}.{q}.{b:02d}",
    "paket 2.{a}.{b}.{c} quraşdırıldı",
    "GPS 40.{order} 49.{order}, hündürlük {c} m",
    "Asunción -25.{order} -57.{order}",
    "Məbləğ {c},{b:02d} AZN, qəbz {order}",
    "Kwota {c},{b:02d} zł, zamówienie {order}",
    "Маблағ {c} сомонӣ, квитансия {order}",
    "Total Gs. {c}.{b:02d}0.000, factura 001-{q}0{a:02d}-{order}",
    "IC {c}{q} Wien–Graz, Wagen {a}, Platz {b}",
    "Linia {a}, kurs {q}:{d:02d}, przystanek {c}",
]
HELDOUT16_WORD_NEGATIVES = [
    "İçərişəhər Gecə Turu",
    "Nizami Street Christmas Fair",
    "Qız Qalası Light Show {year}",
    "Novruz Bayramı Konserti",
    "Jarmark Świętego Marcina",
    "Święty Marcin Parade, Poznań",
    "Rynek Główny Night Walk",
    "Maria Saal Wallfahrt",
    "Wiener Christkindlmarkt am Rathausplatz",
    "Gjergj Kastrioti Square Concert",
    "Festivali i Këngës në Tiranë",
    "Ólavsøka Róðrarkapping í Havn",
    "Chalandamarz Cortege a Scuol",
    "Arete Guasu Jerokyha",
    "Grüner Veltliner Tasting Tour",
    "Bjelašnica Ski Opening",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT16."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT16_SEED, HELDOUT16_FAKER_LOCALES, [])
    values = Heldout16Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    makers.CREDIT_CARD = values.card  # type: ignore[method-assign]
    texts = (HELDOUT16_TEMPLATES, HELDOUT16_NEGATIVES, HELDOUT16_WORD_NEGATIVES)
    part = pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout16.txt")
    part["negative"] = [(never_valid(text), spans) for text, spans in part["negative"]]
    return part


_BATCH = re.compile(r"Partia PL(\d\d)((?: \d{4}){6})")
_CARD_SHAPED = re.compile(r"(?:Sendung|Treuekonto) ([\d ]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a batch code that happens to pass the IBAN check given check digits one higher (one lower
    from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9): the
    shapes of an IBAN and a card, never one."""
    m = _BATCH.search(text)
    if m and mod97(f"PL{m.group(1)}{m.group(2).replace(' ', '')}") == 1:
        digits = int(m.group(1))
        text = f"{text[: m.start(1)]}{digits + 1 if digits < 99 else digits - 1:02d}{text[m.end(1) :]}"
    m = _CARD_SHAPED.search(text)
    if m and luhn_sum(m.group(1)) == 0:
        last = str((int(m.group(1)[-1]) + 1) % 10)
        text = f"{text[: m.end(1) - 1]}{last}{text[m.end(1) :]}"
    return text
