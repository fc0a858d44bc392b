"""HELDOUT40: the fortieth held-out PII part (issue 9, item 8), made while HELDOUT39 is still unstudied, so that with
it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (of the index's name packages not on the brief's list, none
holds names of a land no part drew: ``nepalpy`` and ``tamil-names`` were drawn by HELDOUT9, ``gender-guesser-first-
names`` is ``gender-guesser``'s list, drawn by HELDOUT4, ``instate`` holds Indian surnames, a spent origin). So its
names come, as the brief allows, from pools of a spent source no part drew: ``names-dataset``'s tables (read through
``names_dataset_tables``; HELDOUT20 and 33 to 39 drew twenty-six other countries), the names people wrote in Finland
and in Estonia. HELDOUT8 wrote Finnish names from ``finnish-name-generator`` in the nominative only, and no part drew an
Estonian name; no part drew a name from these two tables nor wrote the forms below. Of each land's first names, a
man's or a woman's of the best-ranked 800, and of its last names the best-ranked 1,200, in Latin letters, less the
ones a land outside its kin (Finland's: Estonia and Sweden; Estonia's: Finland) ranks twice as high, words
(``_NOT_NAMES``) and names the other table ranks higher; a Finnish name is kept only where its endings below are sure
(a vowel at its end, no consonant gradation but the regular ones). The forms are the lands' own and no part wrote
them: a Finnish name in the case its sentence asks, its last word declined with the consonant gradation of the stem
(the genitive ``Matti Virtasen``, ``Pekan``; the allative ``Soita Liisalle``, ``Jukka Lehdolle``; the ablative ``Kysy
Aallolta``, ``Mäkiseltä`` with the vowel harmony of the word); an Estonian surname alone after a lowercase ``hr`` or
``pr`` (``pr Kask``); an Estonian double given name joined by a hyphen (``Mari-Liis Tamm``, ``Karl-Erik``).

Templates the other parts lack: Finnish notes that decline a name (``Soita ... numeroon``, ``Kysy``, ``... kanssa``),
a Finnish obituary, Estonian notes and forms (``Lugupeetud pr``, ``Helista mulle``, ``Aitäh``), Åland Swedish, an HTTP
request's headers, a PHP array, a Rust struct literal. Phone numbers: of Finland (lines of Helsinki, Tampere, Turku,
Oulu and Jyväskylä; mobiles), Åland (Mariehamn's lines) and Estonia (lines of Tallinn, Tartu and Pärnu; mobiles),
regions the parts used least, in forms no part wrote: a Finnish number's trunk and area or network, a hyphen and the
rest in three and four (``040-123 4567``, ``09-612 3456``) after Finnish ``p.``; Åland's as ``018-25 000``; an
Estonian number of seven digits without a trunk in three and four (``502 3456``, ``612 3456``) after ``mob`` or
``Tel``; E.164 in an HTTP header, a PHP array's string and a Rust string. A template naming a place gets its numbers;
each is written here, not by a library, and valid by ``phonenumbers`` as a number of its region (the test checks).
Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, Amex's 34 and 37 of 15
digits), each completed by its Luhn digit: a run in a PHP array's string or a Rust string, fours after Finnish,
Estonian and Åland Swedish words. The other types come from ``bench.pii_sets.Makers`` in the fi_FI, et_EE and sv_SE
locales (only their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: an S-Etukortti loyalty card of
sixteen digits (made to fail Luhn: the test checks), a Finnish business ID (Y-tunnus) and an Estonian registry code
(valid in none of the part's regions: the test checks), a Finnish bank reference, postcodes, plates, a train, a
ferry, scores, prices. Word lines: capitalized streets, feasts and sights with no person, in Finnish, Estonian and
Åland Swedish, many holding a name of the pools declined as a place's (``Mikonkatu``, ``Annankatu``, ``Kadrioru
loss``, ``Jaani kirik``, ``Kadripäev``).
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

HELDOUT40_SEED = 4040404
HELDOUT40_FAKER_LOCALES = ["fi_FI", "et_EE", "sv_SE"]  # only their non-name types are drawn
LOCAL_REGIONS = ("FI", "AX", "EE")
_WINDOW = {"first": 800, "last": 1200}
_KIN = {"FI": ("FI", "EE", "SE"), "EE": ("EE", "FI")}
_WORD = re.compile(r"[A-ZÄÖÜÕŠŽ][a-zäöüõšž]{2,}")
_VOWEL = "aeiouyäöõü"
_PATRONYMIC = re.compile(r"(?:ovna|evna|ovich|evich|ovitš|evitš)$")  # a Russian father's name, no surname
# words, places and nicknames the tables rank among the two lands' names
_NOT_NAMES = frozenset("Olen Suomi Eesti Tallinn Tartu Helsinki Moi Tere Kulta Nalle Vaba Mina Sina Kala".split())
# the regular consonant gradations of a stem's last syllable before a closed ending (Pekka: Pekan, Lehto: Lehdon)
_GRADES = {"kk": "k", "pp": "p", "tt": "t", "nt": "nn", "lt": "ll", "rt": "rr", "nk": "ng", "mp": "mm", "ht": "hd"}
_LAST = re.compile(rf"(.*[{_VOWEL}])([^{_VOWEL}]+)([{_VOWEL}])")
_ENDINGS = {"genitive": "n", "allative": "lle", "ablative": "lta"}


def _stem(name: str, surname: bool) -> str | None:
    """A Finnish name's stem before a case ending (``Virtanen``: ``Virtase``, ``Pekka``: ``Peka``, ``Aalto``:
    ``Aallo``), or None where it is not sure: a consonant at its end, a surname's ``-i`` or ``-e`` (``Niemi``:
    ``Niemen``), a single k, p or t before its last vowel (``Satu``: ``Sadun``)."""
    if surname and name.endswith("nen"):
        return name[:-3] + "se"
    if name[-1] not in _VOWEL or (surname and name[-1] in "ie"):
        return None
    if name[-2] in _VOWEL:  # Kallio, Maria, Salonpää: no gradation
        return name
    m = _LAST.fullmatch(name)
    if not m:
        return None
    head, cluster, vowel = m.groups()
    for strong, weak in _GRADES.items():
        if cluster.endswith(strong):
            return head + cluster[: -len(strong)] + weak + vowel
    if cluster[-1] in "kpt":
        return None
    return name


def declined(name: str, case: str) -> str:
    """``name`` (a Finnish given name, or a full name whose last word is declined) in ``case``: "genitive",
    "allative", "ablative", or "nominative" (as it is). The ablative's vowel follows the word's harmony."""
    if case == "nominative":
        return name
    *first, last = name.split()
    stem = _stem(last, surname=bool(first))
    if stem is None:
        raise ValueError(f"no sure ending for {last!r}")
    ending = _ENDINGS[case]
    if case == "ablative" and not re.search("[aou]", stem):
        ending = "ltä"
    return " ".join([*first, stem + ending])


def double(first: str, second: str) -> str:
    """An Estonian double given name as it is registered: the two joined by a hyphen (``Mari-Liis``)."""
    return f"{first}-{second}"


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``FI_{men,women}`` and ``FI_last`` (each sure of its case endings), ``EE_{men,women}``,
    ``EE_short_{men,women}`` (the short ones, second in a double name) and ``EE_last``; the two tables are read once
    each and let go (``names_dataset_tables``)."""
    out: dict[str, set[str]] = {}
    ranks: dict[tuple[str, str], dict[str, int]] = {}
    for kind, table in names_dataset_tables("HELDOUT40"):
        for name, v in table.items():
            rank = v["rank"]
            if name in _NOT_NAMES or not _WORD.fullmatch(name):
                continue
            gender = (v.get("gender") or {}).get("M", 0.5)
            sex = "men" if gender >= 0.8 else "women" if gender <= 0.2 else ""
            for land, kin in _KIN.items():
                own = rank.get(land)
                if not own or own > _WINDOW[kind]:
                    continue
                ranks.setdefault((kind, land), {})[name] = own
                foreign = min((r for c, r in rank.items() if c not in kin), default=10**7)
                if foreign * 2 < own:
                    continue
                if land == "FI" and _stem(name, surname=kind == "last") is None:
                    continue
                if kind == "last" and not _PATRONYMIC.search(name):
                    out.setdefault(f"{land}_last", set()).add(name)
                elif sex:
                    out.setdefault(f"{land}_{sex}", set()).add(name)
        del table  # let go before the next is read
    for land in _KIN:
        first, last = ranks["first", land], ranks["last", land]
        # a name the other table ranks higher is the other kind (``Kari``, ``Lauri``)
        for key in (f"{land}_men", f"{land}_women"):
            out[key] = {n for n in out[key] if last.get(n, 10**7) >= first[n]}
        out[f"{land}_last"] = {n for n in out[f"{land}_last"] if n not in first or first[n] >= last.get(n, 0)}
    for sex in ("men", "women"):
        out[f"EE_short_{sex}"] = {n for n in out[f"EE_{sex}"] if len(n) <= 5}
    return {key: tuple(sorted(names)) for key, names in out.items()}


# by the place a template names: a line's region and the heads its national digits open with (Finland's area codes,
# Helsinki 9, Tampere 3, Turku 2, Oulu 8, Jyväskylä 14, seven digits after; Åland's 18 and five; Estonia's seven
# digits, Tallinn 6, Tartu 7, Pärnu 44), each head one whose every number is in a range of the region
_AREAS = {
    "Helsin": ("FI", ("96", "97", "98")), "Tamper": ("FI", ("32", "33", "34")), "Tur": ("FI", ("22", "23", "24")),
    "Oulu": ("FI", ("85", "86", "88")), "Jyväskylä": ("FI", ("142", "143", "144")),
    "Mariehamn": ("AX", ("1812", "1814", "1815", "1825")), "Tallinn": ("EE", ("61", "62", "64", "66", "67")),
    "Tartu": ("EE", ("73", "74")), "Pärnu": ("EE", ("44",)),
}  # fmt: skip
_CODES = {"FI": "358", "AX": "358", "EE": "372"}
_MOBILES = {"FI": ("40", "41", "44", "45", "46", "50"), "EE": ("50", "52")}  # of seven digits
_LINES = {region: tuple(head for r, heads in _AREAS.values() if r == region for head in heads) for region in _CODES}
_LENGTH = {("FI", True): 9, ("FI", False): 8, ("AX", False): 7, ("EE", True): 7, ("EE", False): 7}


def _national(rng: random.Random, region: str, mobile: bool, place: str = "") -> str:
    """A national number without its trunk: a mobile of ``region``, or a line (of ``place``); Jyväskylä's area code
    of two digits makes its number one longer."""
    heads = _MOBILES[region] if mobile else _AREAS[place][1] if place else _LINES[region]
    head = rng.choice(heads)
    extra = 1 if region == "FI" and not mobile and head.startswith("14") else 0
    return head + _digits(rng, _LENGTH[region, mobile] + extra - len(head))


def local_phone_in(rng: random.Random, region: str, context: str = "plain", place: str = "") -> tuple[str, bool]:
    """(number, mobile): a number of ``region`` as people write it in ``context``: "e164" (run together after ``+``),
    "intl" (grouped after ``+`` and the country code), "plain" (national: Finland's trunk and area or network, a
    hyphen and the rest in three and four, ``040-123 4567``, ``09-612 3456``; Åland's ``018-25 000``; Estonia's seven
    digits, no trunk, in three and four, ``502 3456``). Åland's mobiles are Finland's: its numbers here are lines."""
    mobile = region != "AX" and (rng.random() < 0.5 if not place else rng.random() < 0.3)
    n = _national(rng, region, mobile, place if place and _AREAS[place][0] == region else "")
    if context == "e164":
        return f"+{_CODES[region]}{n}", mobile
    cut = 0 if region == "EE" else 2 if mobile or region == "AX" or n.startswith("14") else 1
    head, rest = n[:cut], n[cut:]
    groups = f"{rest[:2]} {rest[2:]}" if region == "AX" else f"{rest[:3]} {rest[3:]}"
    if context == "intl":
        return f"+{_CODES[region]} {head + ' ' if head else ''}{groups}", mobile
    return (groups if region == "EE" else f"0{head}-{groups}"), mobile


_ISSUERS = (
    (("4",), 16), (("51", "52", "53", "54", "55"), 16), (tuple(str(p) for p in range(2221, 2721, 41)), 16),
    (("34", "37"), 15),
)  # fmt: skip


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": a PHP array's string, a Rust string),
    fours parted by spaces ("plain"; Amex's fifteen only as a run here)."""
    return issuer_card(rng, _ISSUERS, context == "run")


_ESTONIA = re.compile(r"Tere|Aitäh|Lugupeetud|Helista|helistas|Kaardi|Nimi:|Sisselogimine|Tallinn|Tartu|Pärnu| mob ")
_FINLAND = re.compile(r"Soita|Kysy|kanssa|Välitä|Viesti|Lähetä|Rakkaamme|Kortin|Tilaaja|uusi|Kirjautunut|Mariehamn")
# the case a Finnish template asks of the name in it
_CASES = (
    (re.compile(r"\{PERSON\} (?:uusi|kanssa)"), "genitive"),
    (re.compile(r"(?:Soita|Välitä terveisiä|Lähetä lasku) \{PERSON\}"), "allative"),
    (re.compile(r"(?:Kysy|Viesti) \{PERSON\}"), "ablative"),
)
_WOMEN_CUE = re.compile(r"\bpr \{")
_MEN_CUE = re.compile(r"\bhr \{")


class Heldout40Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT40_SEED + 19)

    def _estonian_given(self, sex: str) -> str:
        """An Estonian given name, now and then a double one (its second a short name)."""
        rng, pool = self.rng, pools()
        given = rng.choice(pool[f"EE_{sex}"])
        if rng.random() < 0.3:
            second = rng.choice(pool[f"EE_short_{sex}"])
            given = double(given, second) if second != given else given
        return given

    def _finnish(self, sex: str, case: str) -> str:
        """A Finnish given name and surname (a given name alone, now and then, where it is declined), its last word
        in ``case``."""
        rng, pool = self.rng, pools()
        name = rng.choice(pool[f"FI_{sex}"])
        if case == "nominative" or rng.random() < 0.6:
            name = f"{name} {rng.choice(pool['FI_last'])}"
        return declined(name, case)

    def person(self, template: str = "") -> str:
        """A name as the land of ``template`` writes it: a Finnish name in the case its sentence asks (the last word
        declined); an Estonian surname alone after ``hr`` or ``pr``, a given name alone (at times a double one) after
        ``Tere`` or ``Aitäh``; else a full name of its land."""
        rng, pool = self.rng, pools()
        sex = "women" if _WOMEN_CUE.search(template) else "men" if _MEN_CUE.search(template) else ""
        sex = sex or rng.choice(("men", "women"))
        case = next((c for pattern, c in _CASES if pattern.search(template)), "")
        if case:
            return self._finnish(sex, case)
        if re.search(r"\b(?:hr|pr) \{PERSON\}", template):
            return rng.choice(pool["EE_last"])
        if re.search(r"(?:Tere|Aitäh), \{PERSON\}!", template):
            return self._estonian_given(sex)
        estonia = bool(_ESTONIA.search(template)) or (not _FINLAND.search(template) and rng.random() < 0.5)
        if estonia:
            return f"{self._estonian_given(sex)} {rng.choice(pool['EE_last'])}"
        return self._finnish(sex, "nominative")

    def phone(self, template: str = "") -> str:
        place = next((p for p in _AREAS if p in template), "")
        if place:
            region = _AREAS[place][0]
        elif _ESTONIA.search(template):
            region = "EE"
        elif _FINLAND.search(template):
            region = "FI"
        else:
            region = self.rng.choice(LOCAL_REGIONS)
        e164 = any(cue in template for cue in ("X-Caller-Id: {", "'puhelin' => '{", 'phone: "{'))
        context = "e164" if e164 else "intl" if self.rng.random() < 0.3 else "plain"
        return local_phone_in(self.rng, region, context, place)[0]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if "'card_number' => '{" in template or 'pan: "{' in template else "plain")


HELDOUT40_TEMPLATES = [
    "{PERSON} uusi numero on {PHONE_NUMBER}, tallenna se",
    "Soita {PERSON} numeroon {PHONE_NUMBER} ennen kolmea",
    "Kysy {PERSON}, hän tietää. p. {PHONE_NUMBER}",
    "Tapasin {PERSON} kanssa Tampereella, p. {PHONE_NUMBER}",
    "Välitä terveisiä {PERSON}! Nähdään Turussa",
    "Viesti {PERSON}: soitan takaisin, p. {PHONE_NUMBER}",
    "Lähetä lasku {PERSON}, Jyväskylä, p. {PHONE_NUMBER}",
    "Rakkaamme {PERSON} nukkui pois Oulussa",
    "Tilaaja: {PERSON}\nPuh. {PHONE_NUMBER}\nToimitus: Helsinki",
    "Kortin numero {CREDIT_CARD}, kortinhaltija {PERSON}, Helsinki",
    "Kirjautunut: {PERSON} <{EMAIL_ADDRESS}> osoitteesta {IP_ADDRESS}",
    "Tere, {PERSON}! Helista mulle {PHONE_NUMBER}, olen Tartus",
    "Lugupeetud pr {PERSON},\nteie broneering Tallinnas on kinnitatud.\nTel {PHONE_NUMBER}",
    "Helistas hr {PERSON}, palun vasta: mob {PHONE_NUMBER}",
    "Nimi: {PERSON}\nTelefon: {PHONE_NUMBER}\nLinn: Pärnu",
    "Kaardi number {CREDIT_CARD}, kaardi omanik {PERSON}",
    "Aitäh, {PERSON}! Kohtume Tallinnas",
    "Sisselogimine: {PERSON}, IP {IP_ADDRESS}",
    "Kontakt: {PERSON}, Mariehamn, tfn {PHONE_NUMBER}",
    "Kortets nummer {CREDIT_CARD}, innehavare {PERSON}, Mariehamn",
    "GET /api/callback HTTP/1.1\nX-Caller-Id: {PHONE_NUMBER}\nX-Agent-Name: {PERSON}",
    "$contact = ['nimi' => '{PERSON}', 'puhelin' => '{PHONE_NUMBER}'];",
    "$payment = ['holder' => '{PERSON}', 'card_number' => '{CREDIT_CARD}'];",
    'let c = Contact {{ name: "{PERSON}".into(), phone: "{PHONE_NUMBER}".into() }};',
    'let p = Card {{ holder: "{PERSON}".into(), pan: "{CREDIT_CARD}".into() }};',
    "From: {PERSON} <{EMAIL_ADDRESS}>\nAihe: Kokous Helsingissä",
]
HELDOUT40_NEGATIVES = [
    "S-Etukortti {c}{q} {zip4} {c}{q} {a:02d}{b:02d}",  # sixteen digits made to fail Luhn
    "Y-tunnus 11{c}{b:02d}-{q}, Helsinki",
    "Registrikood 11{c}{c}, Tallinn",
    "Viitenumero {c}{a:02d} {zip4}{q}",
    "00{c} Helsinki",
    "1{q}{c} Tallinn",
    "AX-22{c} Mariehamn",
    "Rekisterinumero ABC-{c}",
    "Numbrimärk {c} BKM",
    "Tallink Star Helsinki–Tallinn, kansi {q}, hytti {c}",
    "IC {c} Helsinki – Oulu, vaunu {a}, paikka {b}",
    "Elron {c}, Tallinn – Tartu, kell {q}.30",
    "HIFK {q} – {q} Tappara, Helsingin jäähalli",
    "FC Flora {q} – {q} Levadia, A. Le Coq Arena",
    "Hinta {c},90 € sis. alv 25,5 %",
    "Sauna {a} °C, Löyly, Hernesaari",
    "Juhannus {d}.6.{year}, Seurasaari",
    "Kortteli {c}, tontti {q}, Kallio",
    "Helsinki 60.1{zip4} 24.9{c}",
    "Korter {a}, {c} m², Kalamaja",
]
HELDOUT40_WORD_NEGATIVES = [
    "Annankatu Eerikinkatu Fredrikinkatu Liisankatu Mikonkatu Kampintori",
    "Juhannus Vappu Laskiainen Pikkujoulu Itsenäisyyspäivä Helsinki",
    "Suomenlinna Kauppatori Senaatintori Tuomiokirkko Uspenskin katedraali",
    "Pyynikki Näsinneula Särkänniemi Tampere Hämeenkatu",
    "Jaanipäev Vastlapäev Mardipäev Kadripäev Võidupüha",
    "Toompea Raekoja plats Kadrioru loss Pirita klooster Telliskivi",
    "Toomemägi Emajõgi Jaani kirik Tartu Ülikool",
    "Pärnu rand Kuressaare linnus Haapsalu Viljandi Lossimäed",
    "Mariehamn Kastelholm Bomarsund Sjökvarteret Ålands museum",
    "Aleksanterinkatu Esplanadi Stockmann Akateeminen Kirjakauppa Kiasma",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT40."""
    texts = (HELDOUT40_TEMPLATES, HELDOUT40_NEGATIVES, HELDOUT40_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT40_SEED,
        HELDOUT40_FAKER_LOCALES,
        Heldout40Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout40.txt",
        never_valid,
    )


_ETUKORTTI = re.compile(r"S-Etukortti ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a loyalty card whose sixteen digits happen to pass Luhn given a last digit one higher (0 after
    9): the shape of a card, never one."""
    return nudge_luhn(text, _ETUKORTTI)
