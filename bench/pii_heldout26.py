"""HELDOUT26: the twenty-sixth held-out PII part, made because HELDOUT25's misses were studied (issue 9, item 8, the
twenty-third round on names); written, templates, negatives, generators, phone and card formats and hand cases,
before any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from one package that no earlier part and no name list was built from: ``nominate`` (given names and
surnames per country, weighted by how often they are borne, from the Onomaverse names bucket, a Kaggle table of
forenames and surnames by country and a table of popular names by country; none of them the ``names-dataset``
HELDOUT20 drew), drawn here from six countries whose names no earlier part drew and whose names Faker and mimesis
lack: Malta (``Connie Caruana``, ``Marco Camilleri``), Burkina Faso (``Isaac Ouédraogo``), Cameroon (``Carolle
Oumarou``), Guatemala (``Agustin De León``), Botswana (``Olebogeng Ndaba``) and Honduras (``Erick Romero``), the
Guatemalan and Honduran often with two surnames, each full name drawn with a seed from this part's own random source
(HELDOUT20's Burundi and Maldives pools are left alone). Only one such source was found: ``nombres-arg`` (Argentine
names) downloads its tables when first used, ``global-names`` holds an empty module and ``python-greek-names`` only
declines Greek given names, so the forms beyond the package's own are written here from its pools as people write
them: a French form's surname in capitals before the given names (``OUÉDRAOGO Isaac``, in Burkina Faso and
Cameroon), a Central American name with two surnames and two given names, a Maltese ID card's name in capitals and a
given name alone after a greeting.

Templates the other parts lack: Maltese (``Isem u kunjom``, ``Bongu``), Burkinabé French forms and Mooré and Dioula
greetings, Cameroonian Pidgin (``How na``) and a Cameroonian form (``Noms et prénoms``), K'iche' (``Saqarik``) and
Guatemalan Spanish (``Chapín``), Setswana (``Dumela``, ``Leina``), Honduran Spanish (``Nombre completo``,
``Catracho``), greetings and notes of Anguilla, Saint Kitts and Nevis, Montserrat, the British and US Virgin
Islands, Sint Maarten, Bonaire (Papiamentu ``Bon dia``), Saint Helena, Norfolk Island (Norf'k ``Watawieh``) and
Tokelau (``Mālō ni``); a Matrix display name, an ``.mailmap`` line, a Kubernetes annotation, a Zendesk requester, a
vCard ``FN``, an Apache access log with a user, a Git trailer ``Co-authored-by``, an HL7 ``PID`` segment.
Phone numbers: mobile numbers of Anguilla, Saint Kitts and Nevis, Montserrat, the British and US Virgin Islands,
Sint Maarten, Bonaire (Caribbean Netherlands), Saint Helena, Norfolk Island and Tokelau as people write them
(written here, not by a library; each valid by ``phonenumbers`` and a mobile number of its region: the test checks).
Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 2221 to 2720, Maestro's 6759 and 6761 of 16
digits, Troy's 9792, Mir's 2200 to 2204, Verve's 5061 of 19 digits, Diners' 36 of 14 digits), each completed by its
Luhn digit, in forms of this part's own: fours parted by slashes, fours parted by two spaces, the last four parted
from a run of twelve, nineteen as 6-13, and Diners' fourteen as 4-6-4.
The other types come from ``bench.pii_sets.Makers`` in the mt_MT, nl_BE and hr_HR locales (only their non-name types
are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Bonaire post box ``BOX 71``
+ four digits (a Bonaire mobile number's shape with a digit too few, and no Tokelau number: the test checks it is
valid in none of the part's regions); an Anguilla lot ``264-1`` + two digits + four (a NANP number's shape, an
exchange beginning with 1, so never valid: the test checks); a voucher of 16 digits in fours parted by slashes and a
loyalty number of twelve and four (card shapes; each made to fail Luhn: the test checks); a deposit ``MT`` + two
digits + four letters and digits in groups (a Maltese IBAN's shape; check digits that would pass mod-97 are moved by
one: the test checks); a Maltese VAT number ``MT`` + eight digits (a firm's) and a Honduran RTN of fourteen digits
(a firm's); an LDAP OID ``2.16.840.1.{a}``, a Debian package version ``1:{a}.{b}.{c}-1`` and a printer's firmware
``4.{a}.{b}.{c}`` (an IP address's shape, a valid one when its last field is under 256); coordinates near Valletta,
Ouagadougou, Yaoundé, Guatemala City, Gaborone, Tegucigalpa, The Valley, Basseterre, Brades, Road Town, Charlotte
Amalie, Philipsburg, Kralendijk, Jamestown, Kingston (Norfolk) and Fakaofo; amounts in euros, CFA francs (of West
and Central Africa), quetzales, pula, lempiras, East Caribbean dollars and Saint Helena pounds.
Word lines: capitalized feasts, places and fairs with no person in them, in Maltese, Burkinabé French, Cameroonian
French and Duala, Guatemalan Spanish, Setswana, Honduran Spanish, Papiamentu, Norf'k and Tokelauan, none of whose
words are drawn as names here, some holding words that are names elsewhere (Santa Marija, San Pawl, Victoria,
Kingston, Jamestown, Rincon).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bench.pii_makers import build_with_values, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT26_SEED = 2626141
HELDOUT26_FAKER_LOCALES = ["mt_MT", "nl_BE", "hr_HR"]  # only their non-name types are drawn
LOCAL_REGIONS = ("AI", "KN", "MS", "VG", "VI", "SX", "BQ", "SH", "NF", "TK")
NAME_COUNTRIES = ("MT", "BF", "CM", "GT", "BW", "HN")


@lru_cache(maxsize=len(NAME_COUNTRIES))
def _generator(country: str) -> Any:
    try:
        from nominate import NameGenerator
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError("HELDOUT26 needs the package 'nominate' (the dev extra)") from e
    return NameGenerator(countries=[country], seed=0)


def full_name(rng: random.Random, country: str, forenames: int = 1, surnames: int = 1) -> tuple[str, str]:
    """(given names, surnames) of nominate's ``country`` pool, drawn with a seed from ``rng``."""
    import numpy as np

    generator = _generator(country)
    generator.rng = np.random.default_rng(rng.getrandbits(64))
    name = generator.generate(forenames=forenames, surnames=surnames)
    return " ".join(name.forenames), " ".join(name.surnames)


def _nanp(rng: random.Random, area: str, exchanges: tuple[str, ...]) -> list[str]:
    exchange, line = rng.choice(exchanges), _digits(rng, 4)
    return [
        f"{area}-{exchange}-{line}",
        f"+1 ({area}) {exchange} {line}",
        f"1-{area}-{exchange}{line}",
        f"+1{area}.{exchange}.{line}",
    ]


_NANP_MOBILE = {
    "AI": ("264", ("235", "469", "476", "477", "536", "537", "538", "539", "581", "582", "583", "584", "729", "772")),
    "KN": ("869", ("488", "489", "556", "557", "558", "660", "662", "665", "668", "760", "762", "763", "765")),
    "MS": ("664", ("349", "391", "392", "393", "394", "395", "396", "492", "493", "494", "495", "496")),
    "VG": ("284", ("245", "300", "301", "302", "340", "343", "346", "368", "393", "440", "444", "496", "540", "547")),
    "VI": ("340", ("201", "205", "210", "226", "244", "277", "332", "344", "422", "473", "513", "555", "626", "998")),
    "SX": ("721", ("510", "512", "520", "524", "527", "550", "553", "554", "556", "557", "559", "580", "586")),
}


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a mobile number of Anguilla, Saint Kitts and Nevis, Montserrat, the British or US Virgin
    Islands, Sint Maarten, Bonaire, Saint Helena, Norfolk Island or Tokelau as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country in _NANP_MOBILE:
        forms = _nanp(rng, *_NANP_MOBILE[country])
    elif country == "BQ":
        n = rng.choice(["700", "701", "770", "777", "780", "785", "788", "790", "795", "796"]) + _digits(rng, 4)
        forms = [f"+599 {n[:3]} {n[3:]}", f"{n[:3]}-{n[3:]}", f"00599{n}", f"(+599) {n}"]
    elif country == "SH":
        n = rng.choice("56") + _digits(rng, 4)
        forms = [f"+290 {n}", f"(+290) {n[:1]} {n[1:]}", f"00290 {n}", f"+290-{n}"]
    elif country == "NF":
        n = rng.choice(["35", "38"]) + _digits(rng, 4)
        forms = [f"+672 3 {n[1:]}", f"+672 {n[:2]} {n[2:]}", f"00672 {n}", f"(+672) {n}"]
    else:
        n = "7" + rng.choice("234") + _digits(rng, 2)
        forms = [f"+690 {n}", f"(+690) {n}", f"00690 {n}", f"+690-{n}"]
    return country, rng.choice(forms)


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (tuple(str(n) for n in range(2221, 2721)), 16),
    (("6759", "6761"), 16),
    (("9792",), 16),
    (("2200", "2201", "2202", "2203", "2204"), 16),
    (("5061",), 19),
    (("36",), 14),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: sixteen digits'
    fours parted by slashes or by two spaces, or twelve and the last four; nineteen as 6-13 parted by a space;
    Diners' fourteen as 4-6-4 parted by spaces (the label is the digits and what parts them)."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if length == 14:
        return " ".join([number[:4], number[4:10], number[10:]])
    if length == 19:
        return f"{number[:6]} {number[6:]}"
    roll = rng.random()
    if roll < 0.3:
        return f"{number[:12]} {number[12:]}"
    fours = [number[i : i + 4] for i in range(0, 16, 4)]
    return ("/" if roll < 0.65 else "  ").join(fours)


# A template's country: its names come from that country's pool
_COUNTRY_MARKS = {
    "MT": ("Isem", "Bongu", "Karta tal-Identità", "Valletta"),
    "BF": ("Nom :", "Ne y windiga", "I ni ce", "Ouaga"),
    "CM": ("Noms et prénoms", "How na", "Yaoundé"),
    "GT": ("Saqarik", "Chapín", "Guate"),
    "BW": ("Dumela", "Leina", "Gaborone"),
    "HN": ("Nombre completo", "Catracho", "Tegucigalpa", "Honduras"),
}
_GREETINGS = ("Bongu", "Ne y windiga", "I ni ce", "How na", "Saqarik", "Dumela", "Catracho")


class Heldout26Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT26_SEED + 67)

    def person(self, template: str = "") -> str:
        """A full name of the template's country (of any of the six elsewhere), in the forms that country's
        people write it: a given name alone after a greeting now and then, a French form's surname in capitals
        first, a Maltese ID card's in capitals, Honduran names with two surnames and often two given names."""
        rng = self.rng
        country = next((c for c, marks in _COUNTRY_MARKS.items() if any(m in template for m in marks)), "")
        country = country or rng.choice(NAME_COUNTRIES)
        two_surnames = country in ("HN", "GT") and rng.random() < 0.6
        two_given = country in ("HN", "GT", "BF", "CM") and rng.random() < 0.3
        given, surname = full_name(rng, country, 2 if two_given else 1, 2 if two_surnames else 1)
        if any(g in template for g in _GREETINGS) and rng.random() < 0.4:
            return given.split(" ")[0]
        if "Nom :" in template or "Noms et prénoms" in template:
            return f"{surname.upper()} {given}"
        if "Karta tal-Identità" in template:
            return f"{given} {surname}".upper()
        return f"{given} {surname}"

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT26_TEMPLATES = [
    "Isem u kunjom: {PERSON}\nNumru tal-mowbajl: {PHONE_NUMBER}",
    "Bongu {PERSON}, il-karta {CREDIT_CARD} ġiet aċċettata",
    "Karta tal-Identità — {PERSON}, email {EMAIL_ADDRESS}",
    "Nom : {PERSON}\nTél. : {PHONE_NUMBER}",
    "Ne y windiga {PERSON}! Bõn-kãadem ne {PHONE_NUMBER}",
    "I ni ce {PERSON}, i ka wari sara kariti {CREDIT_CARD} la",
    "How na {PERSON}? Ma new number na {PHONE_NUMBER}",
    "Noms et prénoms : {PERSON}\nLieu de naissance : Yaoundé",
    "Saqarik {PERSON}, chiya'oj jun oyowal che ri {PHONE_NUMBER}",
    "Chapín: {PERSON} te mandó un mensaje desde Guate, tarjeta {CREDIT_CARD}",
    "Dumela {PERSON}, leletsa {PHONE_NUMBER} ka moso",
    "Leina: {PERSON}\nNomoro ya mogala: {PHONE_NUMBER}",
    "Nombre completo: {PERSON}\nCelular: {PHONE_NUMBER}",
    "Catracho {PERSON}, te deposité a la tarjeta {CREDIT_CARD}",
    "Tegucigalpa — {PERSON} firmó el contrato, correo {EMAIL_ADDRESS}",
    "The Valley: {PERSON} left a message, call back on {PHONE_NUMBER}",
    "Basseterre ferry desk — {PERSON}, cell {PHONE_NUMBER}",
    "Montserrat Volcano Observatory visitor {PERSON}, phone {PHONE_NUMBER}",
    "Road Town marina: slip 14 booked by {PERSON} ({PHONE_NUMBER})",
    "Charlotte Amalie clinic: {PERSON}, mobile {PHONE_NUMBER}",
    "Philipsburg — {PERSON} paid with card {CREDIT_CARD}",
    "Bon dia {PERSON}, yama mi na {PHONE_NUMBER}",
    "Jamestown post office: parcel for {PERSON}, ring {PHONE_NUMBER}",
    "Watawieh {PERSON}, giw mi a ring orn {PHONE_NUMBER}",
    "Mālō ni {PERSON}, telefoni {PHONE_NUMBER}",
    'm.room.member: displayname "{PERSON}" joined #valletta-devs',
    "{PERSON} <{EMAIL_ADDRESS}>  # .mailmap",
    'annotations:\n  owner: "{PERSON}"\n  contact: "{EMAIL_ADDRESS}"',
    "Requester: {PERSON} | Priority: Normal | callback {PHONE_NUMBER}",
    "BEGIN:VCARD\nFN:{PERSON}\nTEL;TYPE=cell:{PHONE_NUMBER}\nEND:VCARD",
    '{IP_ADDRESS} - {PERSON} [07/Dec/2026:05:40:00 +0000] "GET /admin HTTP/1.1" 200',
    "Co-authored-by: {PERSON} <{EMAIL_ADDRESS}>",
    "PID|1||{US_SSN}||{PERSON}||19850412|F",
    "{PERSON} and {PERSON} share the Gaborone office",
    "Pagament lil {PERSON} — IBAN {IBAN_CODE}",
    "Refund to card {CREDIT_CARD} approved for {PERSON} in Valletta",
    "Login failed for {EMAIL_ADDRESS} from {IP_ADDRESS}",
    "Transfer for {PERSON} in Ouaga, account {IBAN_CODE}",
]
HELDOUT26_NEGATIVES = [
    "Kralendijk BOX 71{c}{q} collected",  # a Bonaire mobile's seven digits less one: no number
    "Anguilla lot 264-1{b:02d}-{zip4} surveyed",  # NANP shape, an exchange beginning with 1: never a number
    "Voucher {zip4}/{m:02d}{d:02d}/{c}{q}/{b:02d}{d2:02d}",  # made to fail Luhn
    "Loyalty {zip4}{m:02d}{d:02d}{c}{q} {b:02d}{d2:02d}",  # made to fail Luhn
    "Depożitu MT{a:02d} VALL {zip4} {zip4} {zip4} {zip4} {zip4} {c}",  # made to fail mod-97
    "VAT MT{zip4}{c}{q} (kumpanija)",
    "RTN 0801{zip4}{c}{q}{q}{q} empresa",
    "OID 2.16.840.1.{a} assigned",
    "apt: 1:{a}.{b}.{c}-1 installed",
    "printer firmware 4.{a}.{b}.{c} applied",
    "Valletta 35.{zip4} 14.{c}",
    "Ouagadougou 12.{zip4} -1.{c}",
    "Yaoundé 3.{zip4} 11.{c}",
    "Guatemala City 14.{zip4} -90.{c}",
    "Gaborone -24.{zip4} 25.{c}",
    "Tegucigalpa 14.{zip4} -87.{c}",
    "The Valley 18.{zip4} -63.{c}",
    "Basseterre 17.{zip4} -62.{c}",
    "Brades 16.{zip4} -62.{c}",
    "Road Town 18.{zip4} -64.{c}",
    "Charlotte Amalie 18.{zip4} -64.{c}",
    "Philipsburg 18.{zip4} -63.{c}",
    "Kralendijk 12.{zip4} -68.{c}",
    "Jamestown -15.{zip4} -5.{c}",
    "Kingston -29.{zip4} 167.{c}",
    "Fakaofo -9.{zip4} -171.{c}",
    "€{c}.{b:02d} imħallsa, irċevuta {order}",
    "{a} {c} F CFA payés, reçu {order}",
    "{a} {c} FCFA payés à Douala, reçu {order}",
    "Q{c}.{b:02d} pagados, recibo {order}",
    "P{c}.{b:02d} e duetswe, rasiti {order}",
    "L {a},{c}.{b:02d} pagados, recibo {order}",
    "EC${c}.{b:02d} paid in Basseterre, receipt {order}",
    "£{c}.{b:02d} paid in Jamestown, receipt {order}",
]
HELDOUT26_WORD_NEGATIVES = [
    "Festa Santa Marija Għawdex Victoria Rabat",
    "L-Imnarja Buskett Ħad-Dingli",
    "San Pawl il-Baħar Regatta Nazzjonali",
    "Festival Panafricain du Cinéma de Ouagadougou FESPACO",
    "Semaine Nationale de la Culture Bobo-Dioulasso",
    "Ngondo Festival Douala Wouri Bonanjo",
    "Semana Santa Antigua Guatemala Calle del Arco",
    "Maitisong Festival Gaborone Maruapula",
    "Feria Juniana San Pedro Sula Catedral Metropolitana",
    "Carnaval de La Ceiba Barrio Independencia",
    "Dia di Rincon Boneiru Kralendijk",
    "Bounty Day Kingston Emily Bay Norfolk",
    "Katoaga Fakaofo Nukunonu Atafu",
    "August Monday Sandy Ground Anguilla Summer Festival",
    "Sugar Mas Basseterre Nevis Culturama",
    "Saint Helena Day Jamestown Ladder Hill",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT26."""
    texts = (HELDOUT26_TEMPLATES, HELDOUT26_NEGATIVES, HELDOUT26_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT26_SEED,
        HELDOUT26_FAKER_LOCALES,
        Heldout26Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout26.txt",
        never_valid,
    )


_DEPOSIT = re.compile(r"Depożitu MT(\d\d) ([A-Z\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Voucher|Loyalty) ([\d /]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a deposit number that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _DEPOSIT, "MT"), _CARD_SHAPED)
