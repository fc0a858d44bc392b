"""HELDOUT39: the thirty-ninth held-out PII part (issue 9, item 8), made while HELDOUT38 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (the brief's list each drawn or left by a part; ``habesha-names``,
drawn by HELDOUT7, is the only Ethiopian one). So its names come, as the brief allows, from pools of a spent source no
part drew: ``names-dataset``'s tables (read through ``names_dataset_tables``; HELDOUT20 and 33 to 38 drew twenty-four
other countries), the names people wrote in Ethiopia and in Belgium. HELDOUT7 wrote Ethiopian given names from
``habesha-names`` one after another as a person's and a father's, and no part drew a Belgian name; no part drew a name
from these two tables nor wrote the forms below. Of Ethiopia's first names, a man's of the best-ranked 1,500 and a
woman's of the best-ranked 3,000 (the table's Ethiopian rows are mostly men's), in Latin letters (Amharic's and
Oromo's spellings both: ``Tesfaye``, ``Abdii``); of its last names (a father's given name, since Ethiopians bear no
surname) the best-ranked 1,500; of Belgium's, a first name of its best-ranked 600 and a last name of its best-ranked
1,000, less the ones a land outside Belgium's kin (the Netherlands, France, Luxembourg) ranks twice as high; less words
(``_NOT_NAMES``) and, in Belgium's, names the other table ranks higher; a first name's sex is the tables'. The forms
are the lands' own and no part wrote them: an Ethiopian father's name that joins ``Gebre``, ``Wolde``, ``Haile``,
``Tekle`` or ``Habte`` to a saint's or an angel's, shortened by a slash as forms and letters write it (``Tesfaye
G/Meskel``, ``Hirut W/Gebriel``, ``H/Slassie``); a given name alone after Amharic ``Ato``, ``W/ro`` or ``W/rt`` or
Oromo ``Obbo`` or ``Aadde``; a Flemish surname's particle capitalized after a given name as Belgium registers it
(``Els Van den Broeck``, ``Koen De Smet``) and alone after ``Meneer``; a married Flemish woman's two surnames joined by
a hyphen, her husband's first (``Maria Peeters-Claes``); a given name alone after Flemish ``Dag``.

Templates the other parts lack: Flemish notes, a Flemish obituary, a Flemish shop's call-back, Belgian French, Amharic
and Tigrinya in Latin letters, Afaan Oromo (``Lakk. bilbilaa``, ``galatoomaa``), Amharic script labels, a logfmt log
line, a Go struct literal, a Redis ``HSET``. Phone numbers: of Belgium (lines of Brussels, Antwerp, Ghent, Liège,
Leuven and Bruges; mobiles), Ethiopia (lines of Addis Ababa, Adama, Hawassa, Bahir Dar and Mekelle; mobiles) and
Eritrea (Asmara's lines; mobiles), regions the parts used least, in forms no part wrote: a Belgian number's zone and
the rest parted by a slash and its pairs by full stops (``0470/12.34.56``, ``02/512.34.56``) after ``GSM``,
Ethiopia's mobile after its trunk as four and six joined by a hyphen (``0911-234567``), E.164 in a logfmt field, a Go
struct's string and a Redis command. A template naming a place gets its numbers; each is written here, not by a
library, and valid by ``phonenumbers`` as a number of its region (the test checks). Cards: written here from issuers'
prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, Amex's 34 and 37 of 15 digits), each completed by its Luhn
digit: a run in a logfmt field or a Go struct's string, fours after Flemish, Belgian French, Amharic (in Latin
letters) and Oromo words. The other types come from ``bench.pii_sets.Makers`` in the nl_BE, fr_BE and en_IE locales
(only their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Colruyt Xtra card of sixteen
digits (made to fail Luhn: the test checks), a Belgian enterprise number of ten digits from 0 (valid in none of the
part's regions: the test checks), a Belgian transfer's structured communication (``+++090/9337/55493+++``), an
Ethiopian TIN, postcodes, plates, an Ethiopian calendar's date, amounts in birr and nakfa, a flight, a tram, scores.
Word lines: capitalized places, feasts and sights with no person, in Flemish, Belgian French, Amharic, Oromo and
Tigrinya in Latin letters, many holding words of the pools or of a father's compound name as a place's (``Kidist
Mariam``, ``Medhane Alem``, ``Sint-Baafskathedraal``).
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

HELDOUT39_SEED = 3939393
HELDOUT39_FAKER_LOCALES = ["nl_BE", "fr_BE", "en_IE"]  # only their non-name types are drawn
LOCAL_REGIONS = ("BE", "ET", "ER")
_WINDOW = {("ET", "men"): 1500, ("ET", "women"): 3000, ("ET", "last"): 1500, ("BE", "first"): 600, ("BE", "last"): 1000}
_BE_KIN = ("BE", "NL", "FR", "LU")
_PARTICLES = ("Van", "De", "Den", "Der", "Vanden", "Vander", "Le", "La", "Du")
_BE_WORD = re.compile(r"[A-Z][a-zéèëï]+(?:-[A-Z][a-zéèëï]+)?")
_ET_WORD = re.compile(r"(?=(?:[^aeiou]*[aeiou]){2})[A-Z][a-z]{3,}")  # two vowels at least: not ``Wlg``, ``Shfa``
# a father's name that joins Gebre, Wolde, Haile, Tekle or Habte to another word, and the letter that shortens it
_COMPOUND = re.compile(r"(Gebre|Gebri|Wolde|Welde|Haile|Hayle|Tekle|Habte)([a-z]{3,})")
# words, places and nicknames the tables rank among the two lands' names
_NOT_NAMES = frozenset(
    "Ethiopa Ddsi Teppi Wallaggaa Walloo Gech Abush Mamush Liyu Qeerroo Vdb Ds Be Elb Rif Rifi Bou Bal Boon Smet "
    "Lisn Barite Abune Hawssa Del".split()
)


def _belgian_surname(name: str) -> str | None:
    """A Belgian surname as the register writes it (``Van den Broeck``, ``De Smet``), or None where ``name`` is none."""
    words = name.split()
    if not 1 <= len(words) <= 3 or not all(_BE_WORD.fullmatch(w) for w in words):
        return None
    if any(w not in _PARTICLES for w in words[:-1]) or words[-1] in _PARTICLES:
        return None
    if words[0] == "Van" and len(words) == 3:
        words[1] = words[1].lower()  # Van den, Van der, Van de: the article in lower case
    return " ".join(words)


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``ET_{men,women}`` (given names), ``ET_fathers`` (a father's given name), ``ET_compound``
    (a father's name of ``Gebre``, ``Wolde`` and the like joined to another word), ``BE_{men,women}`` and ``BE_last``;
    the two tables are read once each and let go (``names_dataset_tables``)."""
    out: dict[str, set[str]] = {}
    ranks: dict[tuple[str, str], dict[str, int]] = {}
    for kind, table in names_dataset_tables("HELDOUT39"):
        for name, v in table.items():
            rank = v["rank"]
            gender = (v.get("gender") or {}).get("M", 0.5)
            if name in _NOT_NAMES:
                continue
            if rank.get("ET") and rank["ET"] <= 3000 and _ET_WORD.fullmatch(name):
                if _COMPOUND.fullmatch(name):
                    out.setdefault("ET_compound", set()).add(name)
                elif kind == "last" and rank["ET"] <= _WINDOW["ET", "last"]:
                    out.setdefault("ET_fathers", set()).add(name)
                elif kind == "first":
                    sex = "men" if gender >= 0.8 else "women" if gender <= 0.2 else ""
                    if sex and rank["ET"] <= _WINDOW["ET", sex]:
                        out.setdefault(f"ET_{sex}", set()).add(name)
            if rank.get("BE") and rank["BE"] <= _WINDOW["BE", kind]:
                ranks.setdefault((kind, "BE"), {})[name] = rank["BE"]
                foreign = min((r for c, r in rank.items() if c not in _BE_KIN), default=10**7)
                if kind == "first" and _BE_WORD.fullmatch(name):
                    sex = "men" if gender >= 0.8 else "women" if gender <= 0.2 else ""
                    if sex:
                        out.setdefault(f"BE_{sex}", set()).add(name)
                elif kind == "last" and foreign * 2 >= rank["BE"]:
                    surname = _belgian_surname(name)
                    if surname:
                        out.setdefault("BE_last", set()).add(surname)
        del table  # let go before the next is read
    first, last = ranks["first", "BE"], ranks["last", "BE"]
    # a name the other table ranks higher is the other kind (``Laurent``, ``Simon``)
    for key in ("BE_men", "BE_women"):
        out[key] = {n for n in out[key] if last.get(n, 10**7) >= first[n]}
    out["BE_last"] = {n for n in out["BE_last"] if n not in first or first[n] >= last.get(n, 0)}
    return {key: tuple(sorted(names)) for key, names in out.items()}


def shortened(compound: str) -> str:
    """An Ethiopian compound name as forms write it: its first word's initial and a slash (``Gebremeskel`` to
    ``G/Meskel``, ``Woldegebriel`` to ``W/Gebriel``)."""
    m = _COMPOUND.fullmatch(compound)
    if not m:
        return compound
    return f"{m.group(1)[0]}/{m.group(2).capitalize()}"


def wife(husband: str, own: str) -> str:
    """A married Flemish woman's surnames as she signs them: her husband's, a hyphen, her own (``Peeters-Claes``)."""
    return f"{husband}-{own}"


# by the place a template names: a line's region and the heads its numbers open with (Belgium's eight national digits
# after the trunk for a zone of one digit, Brussels 2, Antwerp 3, Liège 4, Ghent 9; of two, Leuven 16 and Bruges 50;
# Ethiopia's nine, Addis Ababa 11, Adama 22, Hawassa 46, Bahir Dar 58, Mekelle 34; Eritrea's seven, Asmara 11), each
# head one whose every number is in a range of the region
_AREAS = {
    "Brussel": ("BE", ("22", "23", "25", "26", "27")), "Bruxelles": ("BE", ("22", "25", "27")),
    "Antwerpen": ("BE", ("32", "33", "34", "36")), "Liège": ("BE", ("42", "43")), "Gent": ("BE", ("92", "93", "94")),
    "Leuven": ("BE", ("16",)), "Brugge": ("BE", ("50",)),
    "Addis": ("ET", ("111", "112", "114")), "Bole": ("ET", ("112",)), "Adaamaa": ("ET", ("22111", "22112", "22113")),
    "Hawassa": ("ET", ("46220", "46221", "46222")), "Bahir Dar": ("ET", ("58220", "58221", "58226")),
    "Mekelle": ("ET", ("34440", "34441", "34442")), "Asmara": ("ER", ("111", "112", "115", "116", "118")),
}  # fmt: skip
_CODES = {"BE": "32", "ET": "251", "ER": "291"}
_MOBILES = {"BE": ("47", "49"), "ET": ("91", "92", "93", "94", "97"), "ER": ("7",)}
_LINES = {region: tuple(head for r, heads in _AREAS.values() if r == region for head in heads) for region in _CODES}
_LENGTH = {("BE", True): 9, ("BE", False): 8, ("ET", True): 9, ("ET", False): 9, ("ER", True): 7, ("ER", False): 7}


def _national(rng: random.Random, region: str, mobile: bool, place: str = "") -> str:
    """A national number without its trunk: a mobile of ``region``, or a line (of ``place``)."""
    heads = _MOBILES[region] if mobile else _AREAS[place][1] if place else _LINES[region]
    head = rng.choice(heads)
    return head + _digits(rng, _LENGTH[region, mobile] - len(head))


def _zone(region: str, n: str, mobile: bool) -> int:
    """How many digits of ``n`` (national, no trunk) its zone or mobile prefix takes."""
    if region == "BE":
        return 3 if mobile else 1 if n[0] in "2349" else 2
    return 2 if region == "ET" else 1


def _belgian_groups(rest: str) -> list[str]:
    """A Belgian number's digits after its zone in pairs, three first where they are seven (``512 34 56``)."""
    head, pairs = (rest[:3], rest[3:]) if len(rest) == 7 else ("", rest)
    return ([head] if head else []) + [pairs[i : i + 2] for i in range(0, len(pairs), 2)]


def _belgian(n: str, mobile: bool) -> str:
    """A Belgian number as Belgians long wrote it: the zone with its trunk, a slash, the rest in pairs parted by full
    stops (a line of a one-digit zone opening with three): ``0470/12.34.56``, ``02/512.34.56``, ``016/22.33.44``."""
    cut = _zone("BE", n, mobile)
    return f"0{n[:cut]}/{'.'.join(_belgian_groups(n[cut:]))}"


def local_phone_in(rng: random.Random, region: str, context: str = "plain", place: str = "") -> tuple[str, bool]:
    """(number, mobile): a number of ``region`` as people write it in ``context``: "e164" (run together after ``+``),
    "intl" (grouped after ``+`` and the country code), "plain" (national: Belgium's zone, a slash and pairs parted by
    full stops, ``0470/12.34.56``; Ethiopia's mobile after its trunk as four and six joined by a hyphen,
    ``0911-234567``, a line's zone and the rest, ``011 551 5000``; Eritrea's ``07 123 456``)."""
    mobile = rng.random() < 0.5 if not place else rng.random() < 0.3
    n = _national(rng, region, mobile, place if place and _AREAS[place][0] == region else "")
    if context == "e164":
        return f"+{_CODES[region]}{n}", mobile
    cut = _zone(region, n, mobile)
    if context == "intl":
        if region == "BE":
            return f"+32 {n[:cut]} {' '.join(_belgian_groups(n[cut:]))}", mobile
        last = 4 if region == "ET" else 3  # +251 91 123 4567, +291 7 123 456
        return f"+{_CODES[region]} {n[:cut]} {n[cut:-last]} {n[-last:]}", mobile
    if region == "BE":
        return _belgian(n, mobile), mobile
    if region == "ET":
        return (f"0{n[:3]}-{n[3:]}" if mobile else f"0{n[:2]} {n[2:5]} {n[5:]}"), mobile
    return f"0{n[0]} {n[1:4]} {n[4:]}", mobile


_ISSUERS = (
    (("4",), 16), (("51", "52", "53", "54", "55"), 16), (tuple(str(p) for p in range(2221, 2721, 37)), 16),
    (("34", "37"), 15),
)  # fmt: skip


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": a logfmt field, a Go struct's string),
    fours parted by spaces ("plain"; Amex's fifteen only as a run here)."""
    return issuer_card(rng, _ISSUERS, context == "run")


_ETHIOPIA = re.compile(
    r"[\u1200-\u137f]|Ato |W/r|Obbo|Aadde|Addis|Bole|Adaamaa|Hawassa|Bahir Dar|Mekelle|Asmara|Selam|kutr|kaardii"
)
_BELGIUM = re.compile(r"GSM|Meneer|Mevrouw|Dag |Bedankt|Kaartnummer|Bonjour|Numéro|Aangemeld|Schrijf|overlijden")
_FLEMISH_CUE = re.compile(r"Dag \{PERSON\}|Bedankt \{PERSON\}")
_WOMEN_CUE = re.compile(r"W/r|Aadde|Mevrouw")
_MEN_CUE = re.compile(r"Ato |Obbo|Meneer")


class Heldout39Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT39_SEED + 17)

    def _ethiopian(self, sex: str) -> str:
        """A given name and the father's (and at times the grandfather's), a compound one shortened by a slash."""
        rng, pool = self.rng, pools()
        names = [rng.choice(pool[f"ET_{sex}"])]
        for _ in range(1 + (rng.random() < 0.3)):
            roll = rng.random()
            names.append(
                shortened(rng.choice(pool["ET_compound"]))
                if roll < 0.35
                else rng.choice(pool["ET_compound"])
                if roll < 0.45
                else rng.choice(pool["ET_fathers"])
            )
        return " ".join(names)

    def _belgian(self, sex: str, template: str) -> str:
        """A Belgian given name and surname, a married woman's two surnames (her husband's first) where the template
        is an obituary or a letter to her, else now and then."""
        rng, pool = self.rng, pools()
        given, surname = rng.choice(pool[f"BE_{sex}"]), rng.choice(pool["BE_last"])
        if sex == "women" and (re.search(r"overlijden|Mevrouw", template) or rng.random() < 0.2):
            surname = wife(surname, rng.choice(pool["BE_last"]))
        return f"{given} {surname}"

    def person(self, template: str = "") -> str:
        """A name as the land of ``template`` writes it: an Ethiopian given name alone after ``Ato``, ``W/ro``,
        ``W/rt``, ``Obbo``, ``Aadde`` or ``Selam``; a Flemish given name alone after ``Dag`` or ``Bedankt``, a surname
        alone after ``Meneer``; else a full name of its land's forms."""
        rng, pool = self.rng, pools()
        ethiopia = bool(_ETHIOPIA.search(template)) or (not _BELGIUM.search(template) and rng.random() < 0.5)
        sex = "women" if _WOMEN_CUE.search(template) else "men" if _MEN_CUE.search(template) else ""
        sex = sex or rng.choice(("men", "women"))
        if re.search(r"(?:Ato|W/ro|W/rt|Obbo|Aadde|Selam) \{PERSON\}", template):
            return rng.choice(pool[f"ET_{sex}"])
        if _FLEMISH_CUE.search(template):
            return rng.choice(pool[f"BE_{sex}"])
        if "Meneer {PERSON}" in template:
            return rng.choice(pool["BE_last"])
        return self._ethiopian(sex) if ethiopia else self._belgian(sex, template)

    def phone(self, template: str = "") -> str:
        place = next((p for p in _AREAS if p in template), "")
        if place:
            region = _AREAS[place][0]
        elif re.search(r"Eritrea|kemey", template):
            region = "ER"
        elif _ETHIOPIA.search(template):
            region = "ET"
        elif _BELGIUM.search(template):
            region = "BE"
        else:
            region = self.rng.choice(LOCAL_REGIONS)
        e164 = any(cue in template for cue in ("caller={", 'Phone: "{', 'phone "{'))
        context = "e164" if e164 else "intl" if self.rng.random() < 0.3 else "plain"
        return local_phone_in(self.rng, region, context, place)[0]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if "pan={" in template or 'PAN: "{' in template else "plain")


HELDOUT39_TEMPLATES = [
    "Dag {PERSON}, bel me eens terug op {PHONE_NUMBER}, ik ben nog in Gent",
    "Mevrouw {PERSON},\nUw afspraak in Leuven is bevestigd.\nVragen? Bel {PHONE_NUMBER}",
    "Meneer {PERSON} heeft gebeld voor zijn bestelling, GSM {PHONE_NUMBER}",
    "Met droefheid melden wij het overlijden van {PERSON}, geboren te Brugge",
    "Naam: {PERSON}\nGSM: {PHONE_NUMBER}\nGemeente: Antwerpen",
    "Kaartnummer {CREDIT_CARD} op naam van {PERSON}, Brussel",
    "Bedankt {PERSON}! Tot zaterdag in Brugge",
    "Bonjour {PERSON}, votre colis vous attend à Liège. Tél. {PHONE_NUMBER}",
    "Numéro de carte {CREDIT_CARD}, titulaire {PERSON}, Bruxelles",
    'level=info msg="callback requested" caller={PHONE_NUMBER} agent="{PERSON}"',
    'level=warn msg="card stored unmasked" pan={CREDIT_CARD} holder="{PERSON}"',
    'c := Contact{{Name: "{PERSON}", Phone: "{PHONE_NUMBER}"}}',
    'p := Payment{{Holder: "{PERSON}", PAN: "{CREDIT_CARD}"}}',
    'HSET user:4471 name "{PERSON}" phone "{PHONE_NUMBER}"',
    "Ato {PERSON}, please call the Bole office at {PHONE_NUMBER}",
    "W/ro {PERSON} — ስልክ: {PHONE_NUMBER}",
    "W/rt {PERSON}, your results are ready at the Addis Ababa office",
    "Obbo {PERSON}, Lakk. bilbilaa: {PHONE_NUMBER}, Adaamaa",
    "Aadde {PERSON}, galatoomaa! Bilbilaa {PHONE_NUMBER}",
    "Name: {PERSON}\nMobile: {PHONE_NUMBER}\nCity: Hawassa",
    "ሙሉ ስም: {PERSON}\nስልክ: {PHONE_NUMBER}",
    "Selam {PERSON}, Bahir Dar metah? {PHONE_NUMBER} lay dewlilign",
    "Ye card kutr {CREDIT_CARD}, bale card {PERSON}",
    "Lakk. kaardii {CREDIT_CARD}, abbaa kaardii {PERSON}",
    "From: {PERSON} <{EMAIL_ADDRESS}>\nSubject: Meeting in Mekelle",
    "Aangemeld: {PERSON} <{EMAIL_ADDRESS}> vanaf {IP_ADDRESS}",
    "Asmara office: {PERSON}, tel. {PHONE_NUMBER}",
    "Selam {PERSON}, kemey aleka? Eritrea number {PHONE_NUMBER}",
    "Schrijf {PERSON} op {EMAIL_ADDRESS} of bel {PHONE_NUMBER}",
]
HELDOUT39_NEGATIVES = [
    "Colruyt Xtra-kaart 2{c} {zip4} {c}{q} {a:02d}{b:02d}",  # sixteen digits made to fail Luhn
    "Ondernemingsnummer 04{q}{q}.{c}.{c}, Gent",
    "Gestructureerde mededeling +++{c}/{zip4}/{c}{a:02d}+++",
    "TIN 00{c}{zip4}{q}, Addis Ababa",
    "B-{zip4} Antwerpen",
    "{q}000 Leuven",
    "Nummerplaat 1-ABC-{c}",
    "Code 3 A{zip4}{q} AA",
    "Brussel 50.8{zip4} 4.3{c}",
    "Addis Ababa 9.0{zip4} 38.7{c}",
    "Prijs {c},99 € incl. btw",
    "Birr {c}.50 for shiro and injera, Piassa",
    "{a} Nakfa, Asmara central market",
    "Tram {a}, Antwerpen, halte {b}",
    "ET {c} ADD – BRU, seat {a}A",
    "Club Brugge {q} – {q} Anderlecht, Jan Breydel",
    "Saint George {q} – {q} Fasil Kenema, Addis Ababa Stadium",
    "Meskerem {d}, 20{a:02d} E.C.",
    "Rolnummer A/{year}/{zip4}, Rechtbank Gent",
    "Appartement {a}, {c} m², Liège",
]
HELDOUT39_WORD_NEGATIVES = [
    "Gentse Feesten Graslei Korenlei Sint-Baafskathedraal Gravensteen",
    "Grote Markt Meir Groenplaats Onze-Lieve-Vrouwekathedraal Antwerpen",
    "Ros Beiaard Dendermonde Ommegang Sinksenfoor Sint-Maarten",
    "Doudou Mons Carnaval de Binche Gilles Fêtes de Wallonie",
    "Manneken Pis Atomium Marollen Zavel Kunstberg",
    "Meskel Square Merkato Piassa Entoto Kazanchis Bole Medhane Alem",
    "Timket Meskel Enkutatash Fasika Genna Irreecha",
    "Lalibela Bete Giyorgis Fasil Ghebbi Gondar Axum Kidist Mariam",
    "Hora Arsadi Bishoftu Finfinnee Adaamaa Jimma Nekemte",
    "Asmara Massawa Keren Fiat Tagliero Harnet Avenue Enda Mariam",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT39."""
    texts = (HELDOUT39_TEMPLATES, HELDOUT39_NEGATIVES, HELDOUT39_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT39_SEED,
        HELDOUT39_FAKER_LOCALES,
        Heldout39Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout39.txt",
        never_valid,
    )


_XTRA = re.compile(r"Xtra-kaart ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a loyalty card whose sixteen digits happen to pass Luhn given a last digit one higher (0 after
    9): the shape of a card, never one."""
    return nudge_luhn(text, _XTRA)
