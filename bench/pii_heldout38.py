"""HELDOUT38: the thirty-eighth held-out PII part (issue 9, item 8), made while HELDOUT37 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (``az-data-generator``, ``nepalpy``, ``tamil-names`` and
``si-person-maker`` drawn by HELDOUT9, 10 and 16, and the ones the brief lists, each drawn or left by a part). So its
names come, as the brief allows, from pools of a spent source no part drew: ``names-dataset``'s tables (read through
``names_dataset_tables``; HELDOUT20 and 33 to 37 drew twenty-two other countries), the names people wrote in Lithuania
and in Hong Kong. HELD-OUT drew Faker's lt_LT (men's surname forms only) and HELDOUT21 wrote Taiwanese names in
Wade-Giles; no part drew a name from these two tables nor wrote their forms. Of Lithuania's best-ranked 1,000 first
and last names, those of the land's letters and endings are kept (a man's given name and surname in -as, -is, -ys or
-us, a woman's given name in -a or -ė; a surname's ASCII spelling, ``Stankevicius``, beside its own); of Hong Kong's,
a Cantonese given name of two syllables (3,000 looked at), an English given name another English-speaking land ranks
and a surname of its best-ranked 250; less words (``_NOT_NAMES``), names the other table ranks higher and names a land
outside the country's kin ranks twice as high (Russia's and Poland's in Lithuania's rows, China's, Taiwan's and
Singapore's pinyin and Hokkien in Hong Kong's); a first name's sex is the tables'. The forms are the lands' own and no
part wrote them: a Lithuanian woman's surname made from a man's as the law writes it, married (``Kazlauskienė``,
``Butkuvienė``) or not (``Kazlauskaitė``, ``Petraitytė``, ``Stankevičiūtė``), in ASCII where the man's is; the
vocative after a greeting (``Labas, Jonai``, ``Sveikas, Andriau``, ``Gerbiamasis Tadai Kazlauskai``) and a surname
alone after ``p.``; Hong Kong's English name before the surname and a hyphened Cantonese given name (``Kelvin Lau
Chi-keung``) or after the whole (``Chan Tai Man Peter``, a school roll's order), a surname before ``sir`` (a teacher
or an officer: ``Wong sir``) and a syllable after ``Ah`` (``Ah Keung``).

Templates the other parts lack: Lithuanian letters and notes (``Gerbiamoji``, ``Pagarbiai``, ``p.``), Latvian desk
lines (``tālr.``), Cantonese in Han characters (``打俾``, ``內線``), a Python call's keyword arguments, an iCalendar
ORGANIZER with a ``tel:`` address, a protobuf text-format message, a GraphQL mutation's arguments. Phone numbers: of
Lithuania (Vilnius's, Kaunas's and Klaipėda's lines; mobiles), Hong Kong and Latvia (Riga's lines; mobiles), regions
one earlier part each wrote, in forms no part wrote: Lithuania's old trunk 8 beside its new 0 (2025), Hong Kong's
fours joined by a hyphen, ``內線`` and ``ext.`` after a Hong Kong number, E.164 in an ORGANIZER's ``tel:``, a protobuf
string and a Python keyword argument. A template naming a place gets its numbers; each is written here, not by a
library, and valid by ``phonenumbers`` as a number of its region (the test checks). Cards: written here from
issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, UnionPay's 62, Amex's 34 and 37 of 15 digits),
each completed by its Luhn digit: a run in a GraphQL argument or a protobuf string, fours after Lithuanian, Latvian
and Cantonese words. The other types come from ``bench.pii_sets.Makers`` in the lt_LT, lv_LV and en_GB locales (only
their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Maxima loyalty card of
sixteen digits (made to fail Luhn: the test checks), a Lithuanian company code of nine digits from 30 (valid in none
of the part's regions: the test checks), a VAT number, a Hong Kong business registration, postcodes, plates,
positions, amounts, a flight, a tram, scores. Word lines: capitalized places, feasts and sights with no person, in
Lithuanian, Latvian and Hong Kong's Cantonese in Latin letters, many holding words of the pools as a place's name
(``Gedimino prospektas``, ``Wong Tai Sin``, ``Lai Chi Kok``).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, issuer_card, names_dataset_tables, nudge_luhn

# luhn_sum stays importable from here: the part's tests check its cards and negatives with it
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT38_SEED = 3838383
HELDOUT38_FAKER_LOCALES = ["lt_LT", "lv_LV", "en_GB"]  # only their non-name types are drawn
LOCAL_REGIONS = ("LT", "HK", "LV")
_WINDOW = {("LT", "first"): 1000, ("LT", "last"): 1000, ("HK", "first"): 3000, ("HK", "last"): 250}
_LT_WORD = re.compile(r"[A-ZĄČĘĖĮŠŲŪŽ][a-ząčęėįšųūž]{3,}")
_SYLLABLE = r"[A-Z][a-z]{1,5}"
_KIN = {"LT": ("LT", "LV"), "HK": ("HK", "MO")}
_ENGLISH = ("US", "GB", "CA", "IE")
# words, placeholders, titles, towns and nicknames the tables rank among the two lands' names
_NOT_NAMES = frozenset(
    "Vardenis Pavardenis Ponas Geras Sieras Paslaptis Reikalas Kaunas Nesvarbu Lietuvis Rius Lius Olia Nastia Olesia "
    "Boy Can Stone Tiger King Will Paco Rico Kiko Sai Hongkong Gurung Limbu Ghale Grg Putri Hello Haha Shop".split()
)
_MEN_END, _WOMEN_END = re.compile(r"(?:as|is|ys|us)$"), re.compile(r"[aė]$|[^i]e$")


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``LT_{men,women,last}`` (a surname in a man's form), ``HK_{men,women}`` (Cantonese given
    names of two syllables, ``Chi Keung``), ``HK_en_{men,women}`` (English given names) and ``HK_last``; the two
    tables are read once each and let go (``names_dataset_tables``)."""
    seen: dict[tuple[str, str], dict[str, tuple[int, int, int, float]]] = {}
    for kind, table in names_dataset_tables("HELDOUT38"):
        for land in ("LT", "HK"):
            window = _WINDOW[land, kind]
            seen[kind, land] = {
                k: (
                    v["rank"][land],
                    min((r for c, r in v["rank"].items() if c not in _KIN[land]), default=10**7),
                    min(v["rank"].get(c) or 10**7 for c in _ENGLISH),
                    (v.get("gender") or {}).get("M", 0.5),
                )
                for k, v in table.items()
                if v["rank"].get(land) and v["rank"][land] <= window
            }
        del table  # let go before the next is read
    out: dict[str, set[str]] = {}
    for (kind, land), names in seen.items():
        other = seen["last" if kind == "first" else "first", land]
        for name, (rank, foreign, english, share) in names.items():
            if name in _NOT_NAMES:
                continue
            sex = "men" if share >= 0.8 else "women" if share <= 0.2 else ""
            o_rank = other.get(name, (10**7,))[0]
            if land == "LT":
                # a name the other table ranks higher (a surname: twice as high) is the other kind; a name a land
                # outside the kin ranks twice as high that land's
                if not _LT_WORD.fullmatch(name) or o_rank < rank * (1 + (kind == "last")) or foreign * 2 < rank:
                    continue
                if kind == "last" and _MEN_END.search(name) and not name.endswith(("ovas", "evas")):
                    out.setdefault("LT_last", set()).add(name)
                elif kind == "first" and sex and (_MEN_END if sex == "men" else _WOMEN_END).search(name):
                    out.setdefault(f"LT_{sex}", set()).add(name)
            elif kind == "first" and sex and re.fullmatch(f"{_SYLLABLE} {_SYLLABLE}", name) and foreign * 2 >= rank:
                out.setdefault(f"HK_{sex}", set()).add(name)
            elif kind == "first" and sex and rank <= 1000 and english <= 1000 and re.fullmatch(r"[A-Z][a-z]{2,}", name):
                out.setdefault(f"HK_en_{sex}", set()).add(name)
            elif kind == "last" and re.fullmatch(_SYLLABLE, name) and o_rank >= rank and foreign * 2 >= rank:
                out.setdefault("HK_last", set()).add(name)
    syllables = {s for key in ("HK_men", "HK_women") for n in out[key] for s in n.split()} | out["HK_last"]
    for key in ("HK_en_men", "HK_en_women"):
        out[key] -= syllables  # ``Man``, ``Wing`` and ``Ming`` are Cantonese here
    return {key: tuple(sorted(names)) for key, names in out.items()}


_ASCII = str.maketrans("ąčęėįšųūž", "aceeisuuz")


def lithuanian_woman(surname: str, married: bool, ascii: bool = False) -> str:
    """A woman's surname made from a man's: married ``-ienė`` (``-uvienė`` after ``-us``), unmarried ``-aitė``,
    ``-ytė``, ``-iūtė`` or ``-utė``; in ASCII where ``ascii`` (the man's is a spelling without its diacritics)."""
    forms = {"ius": ("ienė", "iūtė"), "us": ("uvienė", "utė"), "as": ("ienė", "aitė")}
    end = next((e for e in forms if surname.endswith(e)), surname[-2:])
    wife, daughter = forms.get(end, ("ienė", "ytė"))  # -is, -ys
    out = surname[: -len(end)] + (wife if married else daughter)
    return out.translate(_ASCII) if ascii else out


@lru_cache(maxsize=1)
def _ascii_spellings() -> frozenset[str]:
    """The surnames of the pool that are another's spelling without its diacritics (``Stankevicius``)."""
    return frozenset(n.translate(_ASCII) for n in pools()["LT_last"] if not n.isascii())


def vocative(name: str) -> str:
    """A Lithuanian name as it is called: ``-as`` to ``-ai``, ``-ius`` to ``-iau``, ``-us`` to ``-au``, ``-is`` and
    ``-ys`` lose their ``s``; a woman's final ``-ė`` to ``-e``."""
    for end, called in (("ius", "iau"), ("us", "au"), ("as", "ai"), ("is", "i"), ("ys", "y"), ("ė", "e")):
        if name.endswith(end):
            return name[: -len(end)] + called
    return name


def cantonese(given: str, hyphened: bool) -> str:
    """A Cantonese given name of two syllables as Hong Kong writes it: ``Chi-keung`` or ``Chi Keung``."""
    first, second = given.split()
    return f"{first}-{second.lower()}" if hyphened else given


# by the place a template names: a line's region and its area code (Lithuania's eight national digits after the
# trunk: Vilnius 52 + six, Kaunas 37 + six, Klaipėda 46 + six; Riga's eight from 67 or 66; Hong Kong's by district)
_AREAS = {
    "Vilni": ("LT", "52"), "Kaun": ("LT", "37"), "Klaipėd": ("LT", "46"), "Rīg": ("LV", "67"), "Jūrmal": ("LV", "67"),
    "Kwun Tong": ("HK", "23"), "Sha Tin": ("HK", "26"), "Tsim Sha Tsui": ("HK", "27"),
}  # fmt: skip
_CODES = {"LT": "370", "HK": "852", "LV": "371"}
_MOBILES = {
    "LT": ("6",), "LV": ("2",),
    "HK": ("51", "53", "54", "59", "61", "63", "65", "69", "90", "91", "92", "93", "97", "98"),
}  # fmt: skip
_LINES = {
    "LT": ("52", "37", "46", "41", "45"),
    "HK": ("21", "23", "25", "26", "27", "31", "35", "36", "39"),
    "LV": ("67", "66"),
}
_NEXT = {"LT": "2345678", "HK": "24678", "LV": "24678"}  # the digit after the head: one no range leaves out


def _national(rng: random.Random, region: str, mobile: bool, place: str = "") -> str:
    """A national number of eight digits without its trunk: a mobile of ``region``, or a line (of ``place``)."""
    head = rng.choice(_MOBILES[region]) if mobile else _AREAS[place][1] if place else rng.choice(_LINES[region])
    return head + rng.choice(_NEXT[region]) + _digits(rng, 8 - len(head) - 1)


def _grouped(region: str, n: str, mobile: bool) -> str:
    """A national number as its land writes it: Lithuania's mobile 3-5 (``612 34567``), a line's area and the rest
    (``5 212 3456``, ``37 212345``); Hong Kong's and Latvia's 4-4."""
    if region != "LT":
        return f"{n[:4]} {n[4:]}"
    if mobile:
        return f"{n[:3]} {n[3:]}"
    return f"5 {n[1:4]} {n[4:]}" if n[0] == "5" else f"{n[:2]} {n[2:]}"


def local_phone_in(rng: random.Random, region: str, context: str = "plain", place: str = "") -> tuple[str, bool]:
    """(number, mobile): a number of ``region`` as people write it in ``context``: "e164" (run together after ``+``),
    "intl" (grouped after ``+`` and the country code), "plain" (national: Lithuania's after its old trunk 8 or its new
    0, ``8 612 34567``; Hong Kong's fours parted by a space or joined by a hyphen, ``9123-4567``; Latvia's fours)."""
    mobile = rng.random() < 0.5 if not place else rng.random() < 0.3
    n = _national(rng, region, mobile, place if place and _AREAS[place][0] == region else "")
    if context == "e164":
        return f"+{_CODES[region]}{n}", mobile
    grouped = _grouped(region, n, mobile)
    if context == "intl":
        return f"+{_CODES[region]} {grouped}", mobile
    if region == "LT":
        return f"{rng.choice('880')} {grouped}", mobile
    return grouped.replace(" ", "-") if region == "HK" and rng.random() < 0.5 else grouped, mobile


_ISSUERS = (
    (("4",), 16), (("51", "52", "53", "54", "55"), 16), (tuple(str(p) for p in range(2221, 2721, 41)), 16),
    (("62",), 16), (("34", "37"), 15),
)  # fmt: skip


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": a GraphQL argument, a protobuf string),
    fours parted by spaces ("plain"; Amex's fifteen only as a run here)."""
    return issuer_card(rng, _ISSUERS, context == "run")


_HONG_KONG = re.compile(r"[\u4e00-\u9fff]|Kwun Tong|Sha Tin|Tsim Sha Tsui|Ah \{|sir|roll|HKID|\.hk\b|Hi \{")
_BALTIC = re.compile(r"[ąčęėįšųūžāēīķļņ]|Labas|Vardas|p\. \{|Gerbiam|tālr|Daugavpils|Vilni|Kaun|Rīg")
_CALLED = re.compile(r"(?:Labas|Sveikas|Sveika|Ačiū), \{PERSON\}")
_CALLED_FULL = re.compile(r"Gerbiam(?:asis|oji) \{PERSON\}")
_WOMEN_CUE = re.compile(r"Sveika,|Gerbiamoji|Ponia")


class Heldout38Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT38_SEED + 17)

    def _lithuanian(self, sex: str, called: bool = False) -> str:
        """A Lithuanian's given name and surname, a woman's surname married or not; both called where ``called``."""
        rng, pool = self.rng, pools()
        given, surname = rng.choice(pool[f"LT_{sex}"]), rng.choice(pool["LT_last"])
        if sex == "women":
            surname = lithuanian_woman(surname, rng.random() < 0.6, surname in _ascii_spellings())
        return f"{vocative(given)} {vocative(surname)}" if called else f"{given} {surname}"

    def _hong_kong(self, sex: str, template: str) -> str:
        """A Hong Konger's surname and Cantonese given name, an English name before them (the given name hyphened) or
        after them (a roll's order), or neither."""
        rng, pool = self.rng, pools()
        surname, given = rng.choice(pool["HK_last"]), rng.choice(pool[f"HK_{sex}"])
        english = rng.choice(pool[f"HK_en_{sex}"])
        if "roll" in template:
            return f"{surname} {given} {english}"
        roll = rng.random()
        if roll < 0.5:
            return f"{english} {surname} {cantonese(given, True)}"
        return f"{surname} {cantonese(given, roll < 0.75)}"

    def person(self, template: str = "") -> str:
        """A name as the land of ``template`` writes it: a Lithuanian given name called after a greeting, a full name
        called after ``Gerbiamasis`` or ``Gerbiamoji``, a surname alone after ``p.``; a Hong Kong surname before
        ``sir``, a syllable after ``Ah``; else a full name of its land's forms."""
        rng, pool = self.rng, pools()
        hong_kong = bool(_HONG_KONG.search(template)) or (not _BALTIC.search(template) and rng.random() < 0.5)
        sex = "women" if _WOMEN_CUE.search(template) else rng.choice(("men", "women"))
        if any(cue in template for cue in ("{PERSON} sir", "Gerbiamasis", "Sveikas,")):
            sex = "men"
        if "{PERSON} sir" in template:
            return rng.choice(pool["HK_last"])
        if "Ah {PERSON}" in template:
            return rng.choice(pool[f"HK_{sex}"]).split()[1]
        if _CALLED.search(template):
            return vocative(rng.choice(pool[f"LT_{sex}"]))
        if _CALLED_FULL.search(template):
            return self._lithuanian(sex, called=True)
        if "p. {PERSON}" in template:
            surname = rng.choice(pool["LT_last"])
            if sex == "women":
                return lithuanian_woman(surname, rng.random() < 0.6, surname in _ascii_spellings())
            return surname
        return self._hong_kong(sex, template) if hong_kong else self._lithuanian(sex)

    def phone(self, template: str = "") -> str:
        place = next((p for p in _AREAS if p in template), "")
        if place:
            region = _AREAS[place][0]
        elif _HONG_KONG.search(template):
            region = "HK"
        elif re.search(r"tālr|Latvij|Daugavpil", template):
            region = "LV"
        elif _BALTIC.search(template):
            region = "LT"
        else:
            region = self.rng.choice(LOCAL_REGIONS)
        e164 = any(cue in template for cue in (":tel:{", 'phone: "{', 'to="{'))
        context = "e164" if e164 else "intl" if self.rng.random() < 0.3 else "plain"
        return local_phone_in(self.rng, region, context, place)[0]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if 'number: "{' in template or 'pan: "{' in template else "plain")


HELDOUT38_TEMPLATES = [
    "Labas, {PERSON}! Paskambink man {PHONE_NUMBER}, aš jau Vilniuje",
    "Sveika, {PERSON}! Mano naujas numeris {PHONE_NUMBER}",
    "Sveikas, {PERSON}, ačiū už vakarą Kaune! Tel. {PHONE_NUMBER}",
    "Gerbiamasis {PERSON},\nJūsų vizitas Klaipėdoje patvirtintas.\nPagarbiai, registratūra",
    "Gerbiamoji {PERSON}, Jūsų kortelės nr. {CREDIT_CARD} galioja iki 08/29",
    "p. {PERSON} skambino dėl sąskaitos, prašė perskambinti {PHONE_NUMBER}",
    "Vardas, pavardė: {PERSON}\nMob. tel.: {PHONE_NUMBER}\nMiestas: Vilnius",
    "Kortelės turėtojas: {PERSON}, kortelė {CREDIT_CARD}",
    "Ačiū, {PERSON}! Iki pasimatymo Kaune",
    'send_sms(to="{PHONE_NUMBER}", name="{PERSON}", lang="lt")',
    "BEGIN:VEVENT\nSUMMARY:Susitikimas Vilniuje\nORGANIZER;CN={PERSON}:tel:{PHONE_NUMBER}\nEND:VEVENT",
    "Rīgas birojs: {PERSON}, tālr. {PHONE_NUMBER}",
    "Latvijas filiāle, kontaktpersona {PERSON}, tālr. {PHONE_NUMBER}",
    "Kartes numurs {CREDIT_CARD}, īpašnieks {PERSON}, Daugavpils",
    "Hi {PERSON}, please call me at {PHONE_NUMBER} ext. 218, Kwun Tong office",
    "聯絡人：{PERSON}\n電話：{PHONE_NUMBER} 內線 302",
    "打俾 {PERSON} 啦，佢電話係 {PHONE_NUMBER}",
    "{PERSON} sir 話聽日測驗，有問題 WhatsApp {PHONE_NUMBER}",
    "Ah {PERSON}，今晚食飯？{PHONE_NUMBER}",
    "Class 4B roll: {PERSON}\nParent's mobile: {PHONE_NUMBER}",
    "卡號：{CREDIT_CARD}\n持卡人：{PERSON}",
    'mutation {{\n  addCard(holder: "{PERSON}", number: "{CREDIT_CARD}") {{ id }}\n}}',
    'contact {{\n  name: "{PERSON}"\n  phone: "{PHONE_NUMBER}"\n}}',
    'payment {{\n  holder: "{PERSON}"\n  pan: "{CREDIT_CARD}"\n}}',
    "Sha Tin branch: {PERSON}, {PHONE_NUMBER} (9am-6pm)",
    "Tsim Sha Tsui 分店：{PERSON} {PHONE_NUMBER}",
    "Prisijungė {PERSON} <{EMAIL_ADDRESS}> iš {IP_ADDRESS}",
    "From: {PERSON} <{EMAIL_ADDRESS}>\nSubject: 會議 Kwun Tong",
    "Rašykite {PERSON} adresu {EMAIL_ADDRESS} arba skambinkite {PHONE_NUMBER}",
]
HELDOUT38_NEGATIVES = [
    "Maxima AČIŪ kortelė 9{c} {zip4} {c}{q} {a:02d}{b:02d}",  # sixteen digits made to fail Luhn
    "Įmonės kodas 30{c}{a:02d}{b:02d}, Vilnius",
    "PVM mokėtojo kodas LT100{c}{zip4}{q}{q}",
    "BR No. 1{c}{zip4}-000-0{q}-2{q}-{q}",
    "LT-{zip4}{q} Vilnius",
    "LV-{zip4} Rīga",
    "Valst. nr. KAB {c}",
    "Reg. nr. HK {zip4}, Wan Chai",
    "Vilnius 54.6{zip4} 25.2{c}",
    "Hong Kong 22.3{zip4} 114.1{c}",
    "Kaina {c},99 € su PVM",
    "HK${c}.5 一碗雲吞麵, Mong Kok",
    "Tramvajs {q}, Rīga, pietura {a}",
    "BT {c} Vilnius – Rīga, vieta {a}C",
    "CX {c} HKG – VNO, seat {a}A",
    "Žalgiris {a} – {b} Rytas, Kaunas",
    "Kitchee {q} – {q} Eastern, Mong Kok Stadium",
    "Byla Nr. e2-{zip4}-{c}/{year}",
    "Minibus {a}M, Kwun Tong – Tsim Sha Tsui",
    "Butas {a}, {c} kv. m, Šiauliai",
]
HELDOUT38_WORD_NEGATIVES = [
    "Gedimino prospektas Katedros aikštė Užupis Trakų pilis",
    "Užgavėnės Joninės Kaziuko mugė Vėlinės Kūčios",
    "Vytauto Didžiojo universitetas Laisvės alėja Kaunas",
    "Kuršių nerija Nida Palanga Juodkrantė Raganų kalnas",
    "Jāņi Līgo Vecrīga Doma laukums Brīvības piemineklis",
    "Jūrmala Dzintari Majori Sigulda Turaida Gauja",
    "Wong Tai Sin Lai Chi Kok Sham Shui Po Kwun Tong",
    "Tin Hau Cheung Chau Bun Festival Tai Hang Fire Dragon",
    "Lan Kwai Fong Tsim Sha Tsui Mong Kok Ladies Market",
    "Sai Kung Tai Po Yuen Long Tuen Mun Ma On Shan",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT38."""
    texts = (HELDOUT38_TEMPLATES, HELDOUT38_NEGATIVES, HELDOUT38_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT38_SEED,
        HELDOUT38_FAKER_LOCALES,
        Heldout38Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout38.txt",
        never_valid,
    )


_MAXIMA = re.compile(r"kortelė ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a loyalty card whose sixteen digits happen to pass Luhn given a last digit one higher (0 after
    9): the shape of a card, never one."""
    return nudge_luhn(text, _MAXIMA)
