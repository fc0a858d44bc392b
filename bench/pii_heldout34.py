"""HELDOUT34: the thirty-fourth held-out PII part (issue 9, item 8), made while HELDOUT33 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (looked at and left: ``mockjutsu``, lands Faker holds;
``e2llm-medsynth``, lands other parts drew; ``eu-pii-redact``, a web service's client; ``names-oracle``, no data;
``pyfaker``, Faker's old locales; ``nomix``, not on the index). So its names come, as the brief allows, from pools of a
spent source no part drew: ``names-dataset``'s tables (read from its data files, not imported; HELDOUT20 and HELDOUT33
drew fourteen other countries), the names people wrote in Albania, whose names no part's generator drew, and in Georgia,
whose names only HELDOUT2 drew (Faker's, in the Georgian script): here in the Latin letters Georgians type (``Xatuna``,
``Qeti``, ``Cecxladze``: x for kh, q for k', c for ts), in the script where a line is. Of each country's best-ranked 400
first and last names, those of one word are kept, less places and words (``_NOT_NAMES``); a Georgian surname only with a
Georgian ending, a given name only where Azerbaijan does not rank it higher (the tables' Azeri and Armenian names are
left); a first name's sex is the tables' (the world's), set here for the Georgian names the world reads the other way
(``Nino``, ``Nika``, ``Tako``). The forms are the lands' own and no part wrote them: an Albanian surname declined as the
sentence asks, the given name as it is (``me Arben Hoxhën``, ``numri i Ilir Kurtit``), a Georgian record's surname,
given name and father's name in the genitive before ``dze`` (son) or ``asuli`` (daughter): ``Beridze Giorgi Zurabis
dze``, a given name after ``batono`` or ``kalbatono`` (sir, madam), a QR contact's ``N:Surname,Given``, a given name or
nickname alone after a greeting.

Templates the other parts lack: Georgian in its script (``გამარჯობა``, ``გილოცავ``, ``ბარათის ნომერი``) and in the Latin
letters Georgians chat in (``gamarjoba dzmao``, ``momwere``), Gheg Albanian of Kosovo (``Tung``, ``Qysh je``,
``Falemnderit``), German of the Croatian coast's hotels, Georgian and Albanian diaspora English; a MECARD and an
``SMSTO:`` QR payload, a vCard's property group (``item1.TEL``, ``item1.X-ABLabel``), an access log with a card in the
URL's path, an SQL ``INSERT``, a debian/control ``Maintainer``, a public registry extract. Phone numbers: of Albania,
Kosovo, Georgia and Croatia, the lines of fifteen places (``_AREAS``) and mobiles, the regions the parts used least
(Croatia's only Faker made; the others' lines no part wrote), in forms no part wrote: E.164 run together in a MECARD's
``TEL:`` or after ``SMSTO:``, grouped in a vCard's ``item1.TEL``, a Georgian line before ``შიდა`` (internal) and an
extension, a Croatian one before ``Durchwahl``, Georgia's lines in pairs after the area code and its mobiles without the
trunk 0, in Georgian-script text, an Albanian mobile as 3-2-2-3. A template naming a place gets its numbers. Each is
written here, not by a library, and valid by ``phonenumbers`` as a number of its region and of its kind (the test
checks). Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, Maestro's 6759,
Amex's 34 and 37 of 15 digits), each completed by its Luhn digit, in forms of this part's own: a run in a URL path's
segment or an SQL string, fours parted by spaces after Georgian or Albanian words. The other types come from
``bench.pii_sets.Makers`` in the ka_GE, hr_HR and de_DE locales (only their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a loyalty card of sixteen digits
in fours (made to fail Luhn: the test checks), a Georgian company's code and a Kosovo business number of nine digits
(the test checks neither is a number of the part's regions), an Albanian firm's NIPT, plates, postcodes, ISBNs,
positions, amounts, a flight, a marshrutka, scores. Word lines: capitalized places, feasts and dishes with no person, in
Georgian (both scripts), Svan places, Gheg and Arbëresh Albanian, Croatian and English, some holding words of the pools
as a street's or a square's name (``Shota Rustaveli``, ``Ismail Qemali``, ``Zahir Pajaziti``).
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

HELDOUT34_SEED = 3434729
HELDOUT34_FAKER_LOCALES = ["ka_GE", "hr_HR", "de_DE"]  # only their non-name types are drawn
NAME_COUNTRIES = ("AL", "GE")
LOCAL_REGIONS = ("AL", "XK", "GE", "HR")
TOP = 400  # the best-ranked first and last names looked at per country
_LATIN = re.compile(r"[A-ZÇË][a-zçë]+")
_MKHEDRULI = re.compile(r"[\u10d0-\u10fa]{2,}")
_GEORGIAN_SURNAME = re.compile(r"\w+(?:dze|shvili|ia|ua|ava|uri|eli|iani)")
# places and words the tables rank among the two lands' names (Georgian's "unknown", "cancelled"), and first names
# they rank among last names
_NOT_NAMES = frozenset(
    "Albania Alb Elb Vlore Fier Durres Berat Tirona Tirana Tirane Shkoder Ime Georgia Gauqmebulia Gauqmda Gaukmda "
    "Gauq Gau Qmda Ucnobi Tbilisi Batumi".split()
)
_GIVEN_ONLY = frozenset("Ela Ina Eri Nika Andi Eni Visi Era Kristi Joni Jona Edi Natia".split())
_MEN = frozenset("Nika Zura Zaza Gela Gia Goga Beso Koba Jaba Lado Merab Beka Gogi Ucha Rati Kote Gega Guja".split())
_WOMEN = frozenset("Nino Ruso Tako Maka Sofo Tamo Tiko Maiko Nato Sopo Sofio Nuca Darejan Lamara".split())


def _sex(name: str, entry: dict) -> str:
    if name in _MEN or name in _WOMEN:
        return "men" if name in _MEN else "women"
    share = (entry.get("gender") or {}).get("M", 0.5)
    return "men" if share >= 0.8 else "women" if share <= 0.2 else ""


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``{AL,GE}_{men,women}`` (Latin first names by sex), ``{AL,GE}_last``, ``GE_script_{men,women}``
    (given names in the Georgian script), ``AL_declined`` (the Albanian surnames the part declines: a vowel after a
    consonant other than j ends them); the two tables are read once each, with the collector paused, and let go."""
    out: dict[str, set[str]] = {}
    for kind, table in names_dataset_tables("HELDOUT34"):
        for land in NAME_COUNTRIES:
            ranked = sorted((v["rank"][land], k) for k, v in table.items() if v["rank"].get(land))
            for _, name in ranked[:TOP]:
                if name in _NOT_NAMES or len(name) < 2:
                    continue
                entry = table[name]
                sex = _sex(name, entry) if kind == "first" else "last"
                if kind == "first" and land == "GE" and _MKHEDRULI.fullmatch(name) and sex:
                    out.setdefault(f"GE_script_{sex}", set()).add(name)
                elif not _LATIN.fullmatch(name) or not sex:
                    continue
                elif kind == "last" and name not in _GIVEN_ONLY and (land == "AL" or _GEORGIAN_SURNAME.fullmatch(name)):
                    out.setdefault(f"{land}_last", set()).add(name)
                elif kind == "first" and (land == "AL" or entry["rank"].get("AZ", TOP * 100) > entry["rank"][land]):
                    out.setdefault(f"{land}_{sex}", set()).add(name)
        del table  # let go before the next is read
    out["AL_declined"] = {n for n in out["AL_last"] if re.search(r"[^aeiouëj][aiu]$", n)}
    return {key: tuple(sorted(names)) for key, names in out.items()}


def declined(surname: str, case: str) -> str:
    """An Albanian surname in the accusative ("acc") or the genitive, definite as a name is: ``Hoxha``, ``Hoxhën``,
    ``Hoxhës``; ``Kurti``, ``Kurtin``, ``Kurtit``; ``Shehu``, ``Shehun``, ``Shehut``."""
    if surname.endswith("a"):
        return surname[:-1] + ("ën" if case == "acc" else "ës")
    return surname + ("n" if case == "acc" else "t")


def genitive_ka(name: str) -> str:
    """A Georgian given name in the genitive, as a patronymic writes it: ``Zurabi`` and ``Zurab`` give ``Zurabis``,
    ``Davit`` ``Davitis``, ``Shota`` ``Shotas``."""
    if name.endswith("i"):
        return name[:-1] + "is"
    return name + ("s" if name[-1] in "aeou" else "is")


# a line's first digits after the country code (its area code and the first of its own) and the digits after them, by
# the place a template names
_AREAS = {
    "Tiran": ("AL", ("422", "423", "424", "425", "427"), 5),
    "Durrës": ("AL", ("522", "523", "524"), 5),
    "Shkodër": ("AL", ("222", "223", "224"), 5),
    "Vlorë": ("AL", ("332", "333", "334"), 5),
    "Korçë": ("AL", ("822", "823", "824"), 5),
    "Prishtin": ("XK", ("382", "383", "384", "385"), 5),
    "Prizren": ("XK", ("292", "293", "294"), 5),
    "Pej": ("XK", ("392", "393", "394"), 5),
    "Tbilisi": ("GE", ("322",), 6),
    "Batumi": ("GE", ("4222", "4227"), 5),
    "Kutaisi": ("GE", ("4312", "4314"), 5),
    "Mestia": ("GE", ("4392",), 5),
    "Zagreb": ("HR", ("12", "13", "14", "15", "16"), 6),
    "Split": ("HR", ("212", "213", "214"), 5),
    "Dubrovnik": ("HR", ("203", "204", "206"), 5),
}
_CODES = {"AL": "355", "XK": "383", "GE": "995", "HR": "385"}
_MOBILES = {  # (prefixes, national digits)
    "AL": (("672", "678", "682", "686", "692", "694", "696", "698"), 9),
    "XK": (("43", "44", "45", "46", "48", "49"), 8),
    "GE": (("551", "555", "557", "558", "568", "571", "577", "591", "593", "595", "597", "598", "599"), 9),
    "HR": (("91", "92", "95", "98", "99"), 9),
}


def _national(rng: random.Random, region: str, mobile: bool, place: str = "") -> str:
    """A national number without its trunk 0: a mobile of ``region``, or a line of ``place`` (or of one of its)."""
    if mobile:
        prefixes, length = _MOBILES[region]
        prefix = rng.choice(prefixes)
        return prefix + _digits(rng, length - len(prefix))
    place = place or rng.choice([p for p, (r, _, _) in _AREAS.items() if r == region])
    _, heads, rest = _AREAS[place]
    return rng.choice(heads) + _digits(rng, rest)


def _grouped(region: str, n: str, mobile: bool) -> str:
    """A national number grouped as its land writes it: Albania's mobiles 2-2-2-3 (``69 20 48 831``), Georgia's
    mobiles 3-2-2-2 and lines in pairs after the area code (``32 2 12 34 56``, ``422 27 12 34``), Croatia's mobiles
    ``91 234 5678``, the other lines after their area code (``4 223 4567``, ``52 234 567``, ``38 234 567``,
    ``1 4567 890``)."""
    if region == "GE":
        cut = 3 if mobile or n[0] == "4" else 2
        rest = n[cut:]
        odd = len(rest) % 2
        return " ".join([n[:cut]] + ([rest[0]] if odd else []) + [rest[i : i + 2] for i in range(odd, len(rest), 2)])
    if mobile:
        return f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}" if region == "AL" else f"{n[:2]} {n[2:5]} {n[5:]}"
    if region == "HR" and n[0] == "1":
        return f"1 {n[1:5]} {n[5:]}"
    cut = 1 if n[0] == "4" else 2
    rest = n[cut:]
    return f"{n[:cut]} {rest[:3]} {rest[3:]}"


def local_phone_in(rng: random.Random, region: str, context: str = "plain", place: str = "") -> tuple[str, bool]:
    """(number, mobile): a number of ``region`` as people write it in ``context``: "e164" (run together after ``+``:
    a MECARD's ``TEL:``, an ``SMSTO:``), "intl" (grouped after ``+`` and the country code: a vCard's ``item1.TEL``),
    "durchwahl" (a line so, before ``Durchwahl``), "shida" (a Georgian line, national, before ``შიდა``), "plain"
    (national: Georgia's mobiles without the trunk 0, as Georgians write them; Kosovo's lines only); a line is of
    ``place`` where one is named."""
    lines_only = context in ("shida", "durchwahl") or (context, region) == ("plain", "XK")
    mobile = not lines_only and rng.random() < 0.5
    n = _national(rng, region, mobile, place)
    if context == "e164":
        return f"+{_CODES[region]}{n}", mobile
    grouped = _grouped(region, n, mobile)
    if context in ("intl", "durchwahl"):
        return f"+{_CODES[region]} {grouped}", mobile
    return (grouped if region == "GE" and mobile else "0" + grouped), mobile


_ISSUERS = (
    (("4",), 16),
    (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 41)), 16),
    (("6759",), 16),
    (("34", "37"), 15),
)


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": an API path's segment, an SQL string),
    else fours parted by spaces (Amex's fifteen only as a run here)."""
    return issuer_card(rng, _ISSUERS, context == "run")


_GEORGIAN = ("Tbilisi", "Batumi", "Kutaisi", "Mestia", "amarjoba", "atono", "dzmao", "Public Registry", "supra")
_ALBANIAN = ("Tiran", "Durrës", "Shkodër", "Vlorë", "Korçë", "Prishtin", "Prizren", "Tung", "Falemnderit", "emri")
_GREETINGS = ("Tung {", "Qysh je {", "amarjoba {", "dzmao {", "Urime {")
_CASES = (("me", "acc"), ("për", "acc"), ("i", "gen"), ("e", "gen"))  # the Albanian words a case follows
_CONTEXTS = {"MECARD:": "e164", "SMSTO:": "e164", "item1.TEL": "intl", "შიდა": "shida", "Durchwahl": "durchwahl"}


class Heldout34Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT34_SEED + 17)

    @staticmethod
    def _land(template: str) -> str:
        """The land a template's words name: "GE", "AL" (Albania or Kosovo) or "" (either)."""
        if _MKHEDRULI.search(template) or any(w in template for w in _GEORGIAN):
            return "GE"
        return "AL" if any(w in template for w in _ALBANIAN) else ""

    def person(self, template: str = "") -> str:
        """A name as the land of ``template`` writes it: a given name alone in the Georgian script in a line in it, or
        after ``batono``/``kalbatono`` or (often) a greeting; a registry's ``Surname Given Father-is dze`` (``asuli``);
        an Albanian given name and surname declined after ``me``/``për`` or ``i``/``e``; a QR contact's
        ``Surname,Given``; else given name and surname."""
        rng, pool = self.rng, pools()
        sex = "women" if "ალბატონ" in template or "kalbatono" in template else ""
        sex = sex or ("men" if re.search("ბატონ|batono|dzmao", template) else rng.choice(("men", "women")))
        if _MKHEDRULI.search(template):
            return rng.choice(pool[f"GE_script_{sex}"])
        land = self._land(template) or rng.choice(NAME_COUNTRIES)
        given = rng.choice(pool[f"{land}_{sex}"])
        if "atono {PERSON}" in template or (any(g in template for g in _GREETINGS) and rng.random() < 0.6):
            return given
        if land == "GE" and "Public Registry" in template:
            father = genitive_ka(rng.choice([n for n in pool["GE_men"] if len(n) > 4]))
            return f"{rng.choice(pool['GE_last'])} {given} {father} {'dze' if sex == 'men' else 'asuli'}"
        case = next((c for w, c in _CASES if f" {w} {{PERSON}}" in template), "")
        if land == "AL" and case:
            return f"{given} {declined(rng.choice(pool['AL_declined']), case)}"
        surname = rng.choice(pool[f"{land}_last"])
        return f"{surname},{given}" if "MECARD:" in template else f"{given} {surname}"

    def phone(self, template: str = "") -> str:
        place = next((p for p in _AREAS if p in template), "")
        context = next((c for words, c in _CONTEXTS.items() if words in template), "plain")
        land = self._land(template)
        if place:
            region = _AREAS[place][0]
        elif context == "durchwahl" or land == "GE":
            region = "HR" if context == "durchwahl" else "GE"
        else:
            region = self.rng.choice(("AL", "XK") if land == "AL" else ("AL", "XK", "GE"))  # Croatia's: by its places
        return local_phone_in(self.rng, region, context, place)[0]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if "/{CREDIT_CARD}/" in template or "'{CREDIT_CARD}'" in template else "plain")


HELDOUT34_TEMPLATES = [
    "გამარჯობა {PERSON}! დამირეკე {PHONE_NUMBER}",
    "გილოცავ დაბადების დღეს, {PERSON}! 🎂",
    "ბატონო {PERSON}, თქვენი ჯავშანი დადასტურებულია, Batumi. ტელ: {PHONE_NUMBER}",
    "ქალბატონო {PERSON}, ბარათის ნომერი: {CREDIT_CARD}",
    "ოფისი, Tbilisi: {PHONE_NUMBER} შიდა 214 (საკონტაქტო პირი: ბატონი {PERSON})",
    "მადლობა, {PERSON}! Kutaisi, {PHONE_NUMBER} შიდა 12",
    "gamarjoba dzmao {PERSON}, rogor xar? momwere {PHONE_NUMBER}",
    "Gamarjoba {PERSON}! supra xval chventan, damireke {PHONE_NUMBER}",
    "madloba, batono {PERSON}! damireket {PHONE_NUMBER}",
    "kalbatono {PERSON}, Mestia guesthouse-shi adgili gvaqvs: {PHONE_NUMBER}",
    "Public Registry extract 882/2026, Tbilisi: owner {PERSON}",
    "Public Registry, Batumi: parcel 05.24.08 sold by {PERSON} to {PERSON}",
    "Supra at our place in Brooklyn Saturday, tamada {PERSON}! Batumi cousins call {PHONE_NUMBER}",
    "Tung {PERSON}, qysh je? A po vjen sonte në Prishtinë?",
    "Qysh je {PERSON}! Falemnderit për ndihmën, shihemi në Prizren",
    "Zyra në Prishtinë: {PHONE_NUMBER}, pyet për {PERSON}",
    "Takim me {PERSON} nesër në Tiranë, ora 10. Tel. {PHONE_NUMBER}",
    "Numri i {PERSON}: {PHONE_NUMBER} (Durrës)",
    "Dyqani i {PERSON}, Shkodër, {PHONE_NUMBER}",
    "Pyet për {PERSON} në recepsion, Vlorë, {PHONE_NUMBER}",
    "Urime {PERSON}! Gëzuar ditëlindjen nga të gjithë në Korçë",
    "Falemnderit {PERSON}, pagesa me kartën {CREDIT_CARD} u krye",
    "Karta e {PERSON} (Tiranë): {CREDIT_CARD}",
    "Buchung für {PERSON}, Hotel in Dubrovnik: Rezeption {PHONE_NUMBER}, Durchwahl 214",
    "Ferienwohnung in Split für {PERSON}; Vermieter erreichbar unter {PHONE_NUMBER}",
    "Zagreb office {PHONE_NUMBER}, Durchwahl 31, ask for {PERSON}",
    "MECARD:N:{PERSON};TEL:{PHONE_NUMBER};EMAIL:{EMAIL_ADDRESS};;",
    "SMSTO:{PHONE_NUMBER}:Gamarjoba {PERSON}, supra 20:00-ze",
    "BEGIN:VCARD\nVERSION:3.0\nFN:{PERSON}\nitem1.TEL;type=CELL:{PHONE_NUMBER}\nitem1.X-ABLabel:Viber\nEND:VCARD",
    '{IP_ADDRESS} - - [07/Dec/2026:10:12:01 +0400] "GET /api/v2/cards/{CREDIT_CARD}/balance HTTP/1.1" 200 512',
    "INSERT INTO pagesat (emri, karta) VALUES ('{PERSON}', '{CREDIT_CARD}');",
    "Source: transit-feeds\nMaintainer: {PERSON} <{EMAIL_ADDRESS}>",
    "VPN session {IP_ADDRESS} opened by {PERSON}, Prishtina office",
    "Khachapuri night in the Bronx, RSVP to {PERSON} at {PHONE_NUMBER}",
]
HELDOUT34_NEGATIVES = [
    "Nikora ბარათი 6{c} {zip4} {zip4} {q}{c}",  # made to fail Luhn (sixteen digits in fours)
    "საიდენტიფიკაციო კოდი 45{c}{zip4}, Tbilisi",
    "NIPT L{a:02d}{c}{b:02d}{q}A, Tiranë",
    "NRB 81{c}{zip4}, Prishtinë",
    "Targa 01-{c}-AB, Prishtinë",
    "მანქანის ნომერი AB-{c}-CD, Tbilisi",
    "Kodi postar {q}0{a:02d}, Tiranë",
    "Tbilisi 0{c}, Rustaveli Ave",
    "Kodi postar 10{c}, Prishtinë",
    "21{c} Split, Riva",
    "ISBN 978-9928-{c}-{a:02d}-{q}",
    "ISBN 978-9941-{a:02d}-{c}-{q}",
    "ISBN 978-9951-{c}-{a:02d}-{q}",
    "Tiranë 41.3{zip4} 19.8{c}",
    "Prishtinë 42.6{zip4} 21.1{c}",
    "Tbilisi 41.7{zip4} 44.8{c}",
    "Mestia 43.0{zip4} 42.7{c}",
    "{c} lekë byrek me spinaq",
    "{a}.{b:02d} ₾ ხაჭაპური",
    "€{a} taksi Prishtinë – Shkup",
    "W6 {c} Kutaisi – Memmingen, seat {a}C",
    "მარშრუტკა {c}, Tbilisi – Mtskheta",
    "Dinamo Tbilisi {q} – {q} Torpedo Kutaisi",
    "Saperavi {year}, qvevri {c}",
    "Partizani {q} – {q} Tirana, Air Albania Stadium",
]
HELDOUT34_WORD_NEGATIVES = [
    "თბილისობა, რთველი, ალავერდობა — მცხეთა, სვეტიცხოველი",
    "Tbilisoba Rtveli Alaverdoba Svetitskhoveli Mtskheta",
    "Lamproba Ushguli Mestia Svaneti Tetnuldi Chalaadi Glacier",
    "Shota Rustaveli Avenue Freedom Square Narikala Fortress",
    "Batumi Boulevard Gonio Fortress Makhuntseti Waterfall",
    "Khachapuri Adjaruli Churchkhela Tklapi Kakheti Tsinandali",
    "Sheshi Skënderbej Rruga Ismail Qemali Blloku Tiranë",
    "Aeroporti Nënë Tereza Sheshi Zahir Pajaziti Prishtinë",
    "Hora e Arbëreshëvet Piana degli Albanesi Vallja e Pashkëve",
    "Flija Gjakovë Çarshia e Madhe Lidhja e Prizrenit Shadërvan",
    "Sinjska Alka Dioklecijanova Palača Riva Marjan Split",
    "Dubrovnik Summer Festival Stradun Lokrum Festa Svetog Vlaha",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT34."""
    texts = (HELDOUT34_TEMPLATES, HELDOUT34_NEGATIVES, HELDOUT34_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT34_SEED,
        HELDOUT34_FAKER_LOCALES,
        Heldout34Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout34.txt",
        never_valid,
    )


_LOYALTY = re.compile(r"ბარათი ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a loyalty card whose sixteen digits happen to pass Luhn given a last digit one higher (0 after 9):
    the shape of a card, never one."""
    return nudge_luhn(text, _LOYALTY)
