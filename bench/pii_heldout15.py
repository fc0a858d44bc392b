"""HELDOUT15: the fifteenth held-out PII part, made because HELDOUT14's misses were studied (issue 9, item 8,
the twelfth round on names); written, templates, negatives, generators, phone formats and hand cases, before
any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from packages that no earlier part and no name list was built from, read from their data files
without importing them:

- ``arabic-name-romanizer``'s index of full names (``names.sqlite3``): people's names from Algeria, Tunisia,
  Morocco, Mauritania, Somalia, Djibouti, Sudan, Iraq, Lebanon, Afghanistan and Iran, each in the Arabic or
  Persian script and as its country spells it in Latin letters (French spellings in the Maghreb, ``Ould``
  and ``Ben`` and ``El`` in them; English ones in the Mashriq; Persian in Latin letters, ``Abolfazl
  Alizadeh Sahraei``; Somali names of three or four words); written in Latin letters mostly, in the
  script (the index's own spelling, its letters normalized) in Arabic and Persian sentences;
- ``nameCreator``'s lists: Swedish given names and surnames (``Åsa Åkesson``), French women's given names
  that registries rarely hold (Abélarde, Abdonie), Spanish women's compound given names (``Maria Pilar``)
  and Chinese names in pinyin as a surname and one syllable.

Names are written in templates the other parts lack (Somali, Persian in its script and in Latin letters,
Algerian and Tunisian Arabic in Latin letters, Kabyle and Hassaniya greetings, Maghreb French, Lebanese and
Iraqi Arabic in Latin letters, Arabic, Swedish and Spanish sentences, a pinyin greeting; review comments, a
calendar invite, a CSV row, a chat export, a shipping label, a guest form, an SMS transcript), sometimes in
lowercase or capitals (Latin only). Phone numbers: Somali, Djiboutian, Comorian, Mauritanian, Algerian,
Tunisian, Afghan, Iranian, Iraqi and Lebanese mobile numbers as people write them (written here, not by a
library; each valid by ``phonenumbers``). The other types come from
``bench.pii_sets.Makers`` in the fa_IR, fr_DZ and sv_SE locales (only their non-name types are drawn;
only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, some with the shape of an identifier: an Algerian CCP
postal account with its key and a Swedish organisation number (``556123-4567``), both with a real
identifier's shape that no type here covers; a Swedish Bankgiro number with its OCR reference (8 digits,
``5050-1055``, a phone's shape); a two-parcel barcode in four groups of four digits (a card's shape; its
groups make the Luhn sum odd, so never valid: the test checks); a pallet code of ``SE``, two digits and five
groups of four (a Swedish IBAN's shape; check digits that would pass mod-97 are moved by one, so never
valid: the test checks); a firmware version, an X.500 OID and a clause number ``§ 4.2.1.3``, each of four
numbers (an IP address's shape); GPS coordinates near Algiers and Mogadishu; amounts in Somali shillings,
Comorian francs, Tunisian dinars, Algerian dinars and rials; a Jalali date; flight and container numbers.
Word lines: capitalized places, markets, festivals and tours with no person in them, in English, French,
Somali, Swedish, Persian in Latin letters, Kabyle and Comorian words (some with words that are also names
elsewhere: Sidi Bou Said, Bab El Oued, Liido Beach, Gamla Stan, Bagh-e Babur).
"""

from __future__ import annotations

import importlib.util
import random
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT15_SEED = 850417
HELDOUT15_FAKER_LOCALES = ["fa_IR", "fr_DZ", "sv_SE"]  # only their non-name types are drawn
LOCAL_REGIONS = ("SO", "DJ", "KM", "MR", "DZ", "TN", "AF", "IR", "IQ", "LB")
NAME_COUNTRIES = ("DZ", "TN", "MA", "MR", "SO", "DJ", "SD", "IQ", "LB", "AF", "IR")
_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]*[a-zà-ÿ]")
_MAGHREB = re.compile(r"Saha |Aslema|Bonjour|Madame|Azul|Chkoun|Mrahba|M\. ")
_MASHRIQ = re.compile(r"Salaan|Mudane|Marhaba|Shlonak|Kifak|Ahlan|Jambo|Iska")
_PERSIAN = re.compile(r"Salam |Agha|Khanom|Jaan|Tashakor|Dari|Kabul|Tehran")
_NAMECREATOR = re.compile(r"Hej |Hejsan|Vänliga|Tack |Hola |Estimada|Mme |Chère |Nǐ hǎo|Lǎoshī")
_SOURCE_OF = (
    (_SCRIPT, "script"),
    (_MAGHREB, "maghreb"),
    (_MASHRIQ, "mashriq"),
    (_PERSIAN, "persian"),
    (_NAMECREATOR, "creator"),
)
_REGION = {"maghreb": ("DZ", "TN", "MA", "MR"), "mashriq": ("SO", "DJ", "SD", "IQ", "LB"), "persian": ("AF", "IR")}


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT15 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def _lines(path: Path) -> list[str]:
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in a fixed order: (script, latin) pairs per country, and
    nameCreator's lists."""
    pools: dict[str, list] = {}
    index = _package_dir("arabic_name_romanizer") / "resources" / "names.sqlite3"
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT arabic_key, latin, country FROM full_names WHERE latin_lang IN ('en', 'fr') ORDER BY rowid"
        ).fetchall()
    finally:
        db.close()
    for country in NAME_COUNTRIES:
        pools[country] = [
            (script, latin)
            for script, latin, c in rows
            if c == country and _LATIN_NAME.fullmatch(latin) and " " in latin and " " in script
        ]
    names = _package_dir("nameCreator")
    pools["sv_given"] = _lines(names / "F" / "names" / "swedish.txt") + _lines(names / "M" / "names" / "swedish.txt")
    pools["sv_family"] = _lines(names / "L" / "names" / "swedish.txt")
    pools["fr_female"] = _lines(names / "F" / "names" / "french.txt")
    pools["fr_family"] = _lines(names / "L" / "names" / "french.txt")
    pools["es_female"] = [n for n in _lines(names / "F" / "names" / "spanish.txt") if " " in n]
    pools["es_family"] = _lines(names / "L" / "names" / "spanish.txt")
    pools["zh_given"] = _lines(names / "F" / "names" / "chineseR.txt") + _lines(names / "M" / "names" / "chineseR.txt")
    pools["zh_family"] = _lines(names / "L" / "names" / "chineseR.txt")
    return pools


_DZ_HEADS = ("55", "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "77", "78", "79")
_TN_HEADS = tuple(f"{a}{b}" for a in "259" for b in "0123456789") + tuple(f"4{b}" for b in "012345678")
_MR_HEADS = tuple(f"{a}{b}" for a in "234" for b in "012346789")
_IR_HEADS = ("901", "902", "903", "905", "910", "912", "913", "915", "917", "919", "921", "930", "935", "937", "939")


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Somali, Djiboutian, Comorian, Mauritanian, Algerian, Tunisian, Afghan, Iranian, Iraqi
    or Lebanese mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "SO":
        head, rest = rng.choice(["61", "62", "63", "65", "68", "90"]), _digits(rng, 7)
        forms = [
            f"+252 {head} {rest[:3]} {rest[3:]}",
            f"0{head} {rest[:3]} {rest[3:]}",
            f"+252{head}{rest}",
            f"00252 {head}{rest}",
        ]
    elif country == "DJ":
        rest = _digits(rng, 6)
        forms = [f"+253 77 {rest[:2]} {rest[2:4]} {rest[4:]}", f"77 {rest[:2]} {rest[2:4]} {rest[4:]}", f"+25377{rest}"]
    elif country == "KM":
        head, rest = rng.choice(["32", "33", "34", "39"]), _digits(rng, 5)
        forms = [
            f"+269 {head}{rest[0]} {rest[1:3]} {rest[3:]}",
            f"{head}{rest[0]} {rest[1:3]} {rest[3:]}",
            f"+269{head}{rest}",
        ]
    elif country == "MR":
        head, rest = rng.choice(_MR_HEADS), _digits(rng, 6)
        forms = [
            f"+222 {head} {rest[:2]} {rest[2:4]} {rest[4:]}",
            f"{head} {rest[:2]} {rest[2:4]} {rest[4:]}",
            f"00222{head}{rest}",
        ]
    elif country == "DZ":
        full = rng.choice(_DZ_HEADS) + _digits(rng, 7)
        forms = [
            f"0{full[0]} {full[1:3]} {full[3:5]} {full[5:7]} {full[7:]}",
            f"+213 {full[0]} {full[1:3]} {full[3:5]} {full[5:7]} {full[7:]}",
            f"+213{full}",
            f"0{full[:3]}.{full[3:5]}.{full[5:7]}.{full[7:]}",
        ]
    elif country == "TN":
        head, rest = rng.choice(_TN_HEADS), _digits(rng, 6)
        forms = [
            f"+216 {head} {rest[:3]} {rest[3:]}",
            f"{head} {rest[:3]} {rest[3:]}",
            f"{head}{rest}",
            f"00216 {head}{rest}",
        ]
    elif country == "AF":
        head, rest = "7" + rng.choice("0123456789"), _digits(rng, 7)
        forms = [
            f"+93 {head} {rest[:3]} {rest[3:]}",
            f"0{head} {rest[:3]} {rest[3:]}",
            f"+93{head}{rest}",
            f"0093 {head}{rest}",
        ]
    elif country == "IR":
        head, rest = rng.choice(_IR_HEADS), _digits(rng, 7)
        forms = [
            f"0{head} {rest[:3]} {rest[3:]}",
            f"+98 {head} {rest[:3]} {rest[3:]}",
            f"0{head}{rest}",
            f"+98-{head}-{rest}",
        ]
    elif country == "IQ":
        head, rest = "7" + rng.choice("5789") + rng.choice("0123456789"), _digits(rng, 7)
        forms = [
            f"0{head} {rest[:3]} {rest[3:]}",
            f"+964 {head} {rest[:3]} {rest[3:]}",
            f"+964{head}{rest}",
            f"00964 {head}{rest}",
        ]
    else:
        head, rest = rng.choice(["3", "70", "71", "81"]), _digits(rng, 6)
        if head == "3":
            forms = [f"03 {rest[:3]} {rest[3:]}", f"+961 3 {rest[:3]} {rest[3:]}", f"03/{rest}"]
        else:
            forms = [f"{head} {rest[:3]} {rest[3:]}", f"+961 {head} {rest[:3]} {rest[3:]}", f"+961{head}{rest}"]
    return country, rng.choice(forms)


class Heldout15Values:
    """Names and phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT15_SEED + 67)
        self.pools = _pools()

    def _pair(self, countries: tuple[str, ...]) -> tuple[str, str]:
        return self.rng.choice(self.pools[self.rng.choice(countries)])

    def script(self, template: str = "") -> str:
        countries = _REGION["persian"] if re.search(r"[پچژگکی]", template) else NAME_COUNTRIES
        return self._pair(countries)[0]

    def _latin(self, region: str, template: str) -> str:
        latin = self._pair(_REGION[region])[1]
        if re.search(r"Salaan|Saha|Salam |Kifak|Shlonak|Aslema", template) and self.rng.random() < 0.5:
            return latin.split()[0]  # a greeting's given name alone
        return latin

    def maghreb(self, template: str = "") -> str:
        return self._latin("maghreb", template)

    def mashriq(self, template: str = "") -> str:
        return self._latin("mashriq", template)

    def persian(self, template: str = "") -> str:
        return self._latin("persian", template)

    def creator(self, template: str = "") -> str:
        rng, pools = self.rng, self.pools
        if "Hej" in template or "Vänliga" in template or "Tack" in template:
            given, family = rng.choice(pools["sv_given"]), rng.choice(pools["sv_family"])
        elif "Hola" in template or "Estimada" in template:
            given = rng.choice(pools["es_female"])
            family = " ".join(rng.choice(pools["es_family"]) for _ in range(2))
        elif "Nǐ hǎo" in template or "Lǎoshī" in template:
            return f"{rng.choice(pools['zh_family'])} {rng.choice(pools['zh_given'])}"
        else:
            given, family = rng.choice(pools["fr_female"]), rng.choice(pools["fr_family"])
        return given if rng.random() < 0.2 else f"{given} {family}"

    def person(self, template: str = "") -> str:
        rng = self.rng
        for cue, source in _SOURCE_OF:
            if cue.search(template):
                return getattr(self, source)(template)
        source = rng.choices(["maghreb", "mashriq", "persian", "creator"], weights=[25, 30, 25, 20])[0]
        name = getattr(self, source)(template)
        roll = rng.random()
        if roll < 0.05:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]


HELDOUT15_TEMPLATES = [
    "Salaan {PERSON}, dalabkaagu wuu yimid. Na soo wac {PHONE_NUMBER}",
    "Mudane {PERSON}, lacagta waa la helay, mahadsanid.",
    "Saha {PERSON}, el colis wsel, 3ayetli {PHONE_NUMBER}",
    "Aslema {PERSON}, chnowa ahwelek? Kalemni {PHONE_NUMBER}",
    "Bonjour {PERSON}, votre rendez-vous à la mairie est confirmé.",
    "Madame {PERSON}, merci de rappeler le {PHONE_NUMBER}",
    "Azul {PERSON}, tanemmirt i tmenniḍt-ik.",
    "Mrahba {PERSON}, ech-chay jahez, kellemni {PHONE_NUMBER}",
    "Marhaba {PERSON}, el talab wosil.",
    "Kifak {PERSON}? Fik tehkine 3ala {PHONE_NUMBER}",
    "Shlonak {PERSON}, il ghurfa mahjooza, ittasil {PHONE_NUMBER}",
    "Salam {PERSON} jaan, sefaresh-et resid.",
    "Agha-ye {PERSON}, lotfan ba {PHONE_NUMBER} tamas begirid",
    "Khanom {PERSON}, nobat-e shoma farda saat 10 ast.",
    "Tashakor az {PERSON} baraye komak-e diruz.",
    "سلام {PERSON} عزیز، سفارش شما ارسال شد.",
    "آقای {PERSON}، لطفا با {PHONE_NUMBER} تماس بگیرید",
    "السيد {PERSON}، تم استلام طلبك. للاستفسار {PHONE_NUMBER}",
    "شكرا {PERSON} على مساعدتك",
    "Hej {PERSON}! Paketet har kommit, ring {PHONE_NUMBER}",
    "Tack {PERSON} för hjälpen i går.",
    "Vänliga hälsningar,\n{PERSON}\n{EMAIL_ADDRESS}",
    "Hola {PERSON}, tu pedido está en camino.",
    "Estimada {PERSON}: adjuntamos la factura de abril.",
    "Chère {PERSON}, la réunion est reportée à jeudi.",
    "Nǐ hǎo {PERSON}, the tutor session is at 7pm",
    "@{PERSON} left a review comment: please rebase onto main",
    "Invitation: Weekly sync @ Tue 10:00 ({PERSON}, {EMAIL_ADDRESS})",
    "{PERSON},{EMAIL_ADDRESS},{PHONE_NUMBER},active",
    "[12/03/2024, 09:14] {PERSON}: on arrive dans 10 min",
    "SHIP TO: {PERSON}\nTEL: {PHONE_NUMBER}",
    "Guest name: {PERSON}\nPassport holder IP check: {IP_ADDRESS}",
    "SMS from {PHONE_NUMBER}: it's {PERSON}, call me back",
    "Card on file ({CREDIT_CARD}) belongs to {PERSON}",
    "Kortnummer {CREDIT_CARD} spärrat",
    "login ok user=deploy src={IP_ADDRESS}",
    "SSN {US_SSN} verified for {PERSON}",
    "IBAN {IBAN_CODE}, kontohavare {PERSON}",
    "{PERSON} & {PERSON} will cover the night shift",
    "Missed call from {PHONE_NUMBER} - {PERSON} wants a quote",
    "Cc: {PERSON} <{EMAIL_ADDRESS}>",
]
HELDOUT15_NEGATIVES = [
    "CCP 00{order:08d} clé {b:02d}, versement {c},00 DA",
    "Organisationsnummer 556{c}-{zip4}, faktura {order}",
    "Bankgiro {zip4}-{zip4}, OCR {order}",
    "Colis {zip4} {zip4} {c}0 {c}1, poids {a} kg",  # two parcels: never Luhn-valid (an odd sum)
    "Pall SE{a:02d} {zip4} {zip4} {zip4} {zip4} {zip4}",
    "firmware 3.{a}.{b}.{q} deployed on {d}/{m}/{year}",
    "X.500 OID 2.5.4.{a} in the subject",
    "See § {q}.{a}.{b}.{q} of the tender",
    "GPS 36.{order} 3.{order}, altitude {c} m",
    "Muqdisho 2.{order} 45.{order}, {a} km",
    "Total {c} {c} SOS, rasiid {order}",
    "Montant {c} KMF, reçu {order}",
    "{c},{b:02d} DT payés le {d}/{m}/{year}",
    "Qeymat {c},{c} rial, tarikh 14{b:02d}/{m:02d}/{d:02d}",
    "Gemini flight KB {c}, gate {q}{a}, boarding {q}:{d:02d}",
    "Container MSCU{order:07d}, {a} pallets, {c} kr",
]
HELDOUT15_WORD_NEGATIVES = [
    "Sidi Bou Said Sunset Walk",
    "Bab El Oued Market Tour",
    "Casbah of Algiers Heritage Visit",
    "Festival International de Timgad",
    "Liido Beach Morning Swim",
    "Bakaara Market Food Stalls",
    "Laas Geel Cave Paintings Trip",
    "Lac Assal Salt Flats Drive",
    "Gamla Stan Christmas Market {year}",
    "Midsommar Dance Workshop",
    "Bagh-e Babur Garden Concert",
    "Band-e Amir Lake Hike",
    "Nowruz Haft Sin Table",
    "Tafsut Imazighen Celebration",
    "Mutsamudu Medina Night Walk",
    "Chinguetti Library Desert Tour",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT15."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT15_SEED, HELDOUT15_FAKER_LOCALES, [])
    values = Heldout15Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    texts = (HELDOUT15_TEMPLATES, HELDOUT15_NEGATIVES, HELDOUT15_WORD_NEGATIVES)
    part = pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout15.txt")
    part["negative"] = [(offmod97(text), spans) for text, spans in part["negative"]]
    return part


_PALLET = re.compile(r"Pall SE(\d\d)((?: \d{4}){5})")


def offmod97(text: str) -> str:
    """``text`` with a pallet code that happens to pass the IBAN check (about one in 97) given check digits one
    higher (one lower from 99), which then leave 2 (or 0), not 1, after mod-97: an IBAN's shape, never an IBAN."""
    m = _PALLET.search(text)
    if not m or mod97(f"SE{m.group(1)}{m.group(2).replace(' ', '')}") != 1:
        return text
    digits = int(m.group(1))
    return f"{text[: m.start(1)]}{digits + 1 if digits < 99 else digits - 1:02d}{text[m.end(1) :]}"
