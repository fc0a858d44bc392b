"""HELDOUT27: the twenty-seventh held-out PII part, made because HELDOUT26's misses were studied (issue 9, item 8, the
twenty-fourth round on names); written, templates, negatives, generators, phone and card formats and hand cases,
before any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from one package that no earlier part and no name list was built from: ``ArabicNames`` (a table of
about 13,600 given names, Arabic and of the wider Muslim world, a fifth of them marked male or female, and one of
about 1,350 family names, mostly Arab: ``Halabi``, ``Alghanim``, ``Al-Shahid-Mahmood``), drawn here with this part's
own random source (the package's own drawing uses pandas' global state and is not used). Its entries with stray
marks (``Marudeen.``, ``Hafsa/Ucha``, a Persian letter inside a Latin name) are left out; compound given names
(``Badr Aldin``) are kept as the table writes them. Only one full-name source was found: ``nameseer`` is a Thai
classifier with no list, ``domherre`` a Swedish redaction tool, ``lap-random-spanish`` and ``random-names-spanish``
read tables the caller supplies, ``qazaq-inflector`` only declines Kazakh names and ``ghana`` lists regions. So the
forms beyond ``given family`` are written here from the table's pools as Arab naming is written: a Gulf chain
``Khalid bin Saeed Al Abbas`` (``bint`` for a woman, the family name after ``Al``), an Egyptian three-part name
(own, father's and family names), a family name with ``El-``, a Maghrebi French form's family name in capitals
before the given name, a kunya (``Abu Karim``, ``Umm Karim``) and a given name alone after a greeting.

Templates the other parts lack: Egyptian Arabic in Latin letters (``Ezayak ya``, ``Rakam el mobile``), Gulf
Arabic in Latin letters (``Marhaba``, ``Ya hala``), Hassaniya of Western Sahara (``Ish halak``), an Arabic-script
form with a Latin name (``الاسم``), Åland Swedish (``Namn``), Cocos Malay (``Selamat pagi``), Vatican Italian
(``Nome e cognome``), Saint-Barthélemy French (``Bonjou``), Svalbard Norwegian (``Navn``), Tristan da Cunha and
Ascension notes and Diego Garcia's; a Slack export's ``real_name``, an iCalendar ``ORGANIZER;CN=``, an LDAP DN, a
SIP ``From`` header, a WhatsApp export line, a mail client's ``wrote:`` line, a Sentry user context, a CSV row.
Phone numbers: Egyptian mobiles, Ascension mobiles, Diego Garcia (BIOT) mobiles, and the landlines of Tristan da
Cunha, Åland, the Cocos (Keeling) and Christmas Islands, Vatican City, Saint-Barthélemy and Svalbard, as people write
them (written here, not by a library; each valid by ``phonenumbers`` in its own region and of the type given here:
the test checks; those regions' mobiles, where they share another country's, are left out).
Cards: written here from issuers' prefixes (Egypt's Meeza 507803 and 507808 to 507810, JCB's 3528 to 3589,
UnionPay's 62 of 16 and 19 digits, Amex's 34 and 37 of 15, Discover's 6011), each completed by its Luhn digit, in forms
of this part's own: fours parted by dots, two eights parted by a space, fours parted by `` - ``, Amex's 4-6-5 parted
by dots, nineteen as four fours and three parted by spaces.
The other types come from ``bench.pii_sets.Makers`` in the ar_SA, et_EE and ka_GE locales (only their non-name types
are drawn; only IBANs that pass the mod-97 check are labelled; their IBANs come out British, Faker's fallback).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Tristan da Cunha parcel ``TDC
7`` + three digits (a landline's length with a first digit no Tristan number has: the test checks it is valid in none
of the part's regions); a Cairo building permit (a year, four digits and one); a gift card code of fours parted by dots
and a membership number of two eights (card shapes; each made to fail Luhn: the test checks); a Saudi deposit ``SA`` +
two digits + 20 digits in fours (a Saudi IBAN's shape; check digits that would pass mod-97 are moved by one: the test
checks); a Saudi VAT number ``300`` + twelve digits (a firm's, fifteen digits like an Amex card, left as drawn) and an
Egyptian commercial register number; an SNMP OID ``1.3.6.1.4.1.{a}.{b}``, an Android build ``11.{a}.{b}.{c}`` (an IP
address's shape, a valid one when its last field is under 256) and a browser version ``126.0.{zip4}.{c}`` (four dotted
fields, its third most often above 255); coordinates near Cairo, Laayoune, Riyadh, Georgetown (Ascension), Edinburgh of
the Seven Seas, Mariehamn, West Island, Flying Fish Cove, Vatican City, Gustavia, Longyearbyen and Diego Garcia;
amounts in Egyptian pounds, Saudi riyals, Moroccan dirhams, Australian dollars, euros and Norwegian kroner.
Word lines: capitalized feasts, places and events with no person in them, in Egyptian Arabic and Hassaniya in Latin
letters, Åland Swedish, Cocos Malay, Latin (the Vatican's), Saint-Barthélemy French, Svalbard Norwegian and Tristan
English, none of whose words are drawn as names here, some holding words that are names elsewhere (Zeinab,
Hussein, Annae, Queen Mary's, Saint-Jean, Edinburgh).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT27_SEED = 2727151
HELDOUT27_FAKER_LOCALES = ["ar_SA", "et_EE", "ka_GE"]  # only their non-name types are drawn
# region: (landline or mobile, as this part writes it)
MOBILE_REGIONS = ("EG", "AC", "IO")
LANDLINE_REGIONS = ("TA", "AX", "CC", "CX", "VA", "BL", "SJ")
LOCAL_REGIONS = MOBILE_REGIONS + LANDLINE_REGIONS

_CLEAN = re.compile(r"[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?")


@lru_cache(maxsize=1)
def pools() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(men's given names, women's given names, family names) of ``ArabicNames``' tables; a given name the table
    marks with neither sex is in both."""
    try:
        import ArabicNames
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError(
            "HELDOUT27 needs 'ArabicNames' (make install puts it in: pip install --no-build-isolation ArabicNames)"
        ) from e
    given, family = ArabicNames.firstName, ArabicNames.lastName
    rows = [(str(n).strip(), str(g)) for n, g in zip(given["Name"], given["Gender"], strict=True)]
    rows = [(n, g) for n, g in rows if _CLEAN.fullmatch(n)]
    men = tuple(sorted({n for n, g in rows if g != "Female"}))
    women = tuple(sorted({n for n, g in rows if g != "Male"}))
    families = tuple(sorted({str(n).strip() for n in family["Name"] if _CLEAN.fullmatch(str(n).strip())}))
    return men, women, families


def full_name(rng: random.Random, woman: bool = False) -> tuple[str, str, str]:
    """(given name, a man's given name for the father, family name) from the tables."""
    men, women, families = pools()
    return rng.choice(women if woman else men), rng.choice(men), rng.choice(families)


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): an Egyptian, Ascension or Diego Garcia mobile, or a landline of Tristan da Cunha, Åland,
    the Cocos or Christmas Islands, Vatican City, Saint-Barthélemy or Svalbard, as people write it."""
    region = rng.choice(LOCAL_REGIONS)
    if region == "EG":
        n = rng.choice(["10", "11", "12", "15"]) + _digits(rng, 8)
        forms = [f"0{n[:3]} {n[3:6]} {n[6:]}", f"+20 {n[:2]} {n[2:]}", f"(+20) 0{n}", f"0020-{n[:2]}-{n[2:6]}-{n[6:]}"]
    elif region == "AC":
        n = "4" + _digits(rng, 4)
        forms = [f"+247 {n}", f"(+247) {n[:2]} {n[2:]}", f"00247 {n}", f"+247-{n}"]
    elif region == "IO":
        n = "38" + _digits(rng, 5)
        forms = [f"+246 {n[:3]} {n[3:]}", f"(+246) {n}", f"00246-{n[:3]}-{n[3:]}", f"+246.{n[:3]}.{n[3:]}"]
    elif region == "TA":
        n = "8" + _digits(rng, 3)
        forms = [f"+290 {n}", f"(+290) {n}", f"00290 {n}", f"+290-{n[:2]}-{n[2:]}"]
    elif region == "AX":
        n = "18" + rng.choice("12345678") + _digits(rng, 4)
        forms = [f"018 {n[2:5]} {n[5:]}", f"+358 18 {n[2:]}", f"(018) {n[2:]}", f"+358-18-{n[2:5]}-{n[5:]}"]
    elif region in ("CC", "CX"):
        n = ("89162" if region == "CC" else "89164") + _digits(rng, 4)
        forms = [f"+61 8 9{n[2:5]} {n[5:]}", f"(08) 9{n[2:5]} {n[5:]}", f"0011 61 {n}", f"+61-8-9{n[2:5]}-{n[5:]}"]
    elif region == "VA":
        n = "06698" + _digits(rng, 5)
        forms = [f"+39 06 698{n[5:]}", f"06 698 {n[5:]}", f"0039-06-698-{n[5:]}", f"(+39) 06.698.{n[5:]}"]
    elif region == "BL":
        n = "59027" + _digits(rng, 4)
        forms = [f"+590 590 27 {n[5:7]} {n[7:]}", f"0590 27 {n[5:7]} {n[7:]}", f"0590.27.{n[5:7]}.{n[7:]}", f"00590{n}"]
    else:
        n = "79" + _digits(rng, 6)
        forms = [f"+47 79 {n[2:4]} {n[4:6]} {n[6:]}", f"79 {n[2:4]} {n[4:6]} {n[6:]}", f"0047 {n}", f"+47-{n}"]
    return region, rng.choice(forms)


# (prefixes, length)
_ISSUERS = (
    (("507803", "507808", "507809", "507810"), 16),
    (tuple(str(n) for n in range(3528, 3590)), 16),
    (("62",), 16),
    (("62",), 19),
    (("34", "37"), 15),
    (("6011",), 16),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: sixteen digits'
    fours parted by dots or by `` - ``, or two eights parted by a space; Amex's fifteen as 4-6-5 parted by dots;
    nineteen as four fours and three parted by spaces (the label is the digits and what parts them)."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if length == 15:
        return ".".join([number[:4], number[4:10], number[10:]])
    if length == 19:
        return " ".join([number[i : i + 4] for i in range(0, 16, 4)] + [number[16:]])
    roll = rng.random()
    if roll < 0.3:
        return f"{number[:8]} {number[8:]}"
    fours = [number[i : i + 4] for i in range(0, 16, 4)]
    return ("." if roll < 0.65 else " - ").join(fours)


_GREETINGS = ("Ezayak ya", "Marhaba", "Ya hala", "Ish halak", "Selamat pagi", "Bonjou")
_GULF = ("Marhaba", "Ya hala", "الاسم", "Riyadh", "Dubai")
_EGYPT = ("Ezayak ya", "Rakam el mobile", "Cairo", "Alex")
_FRENCH_FORM = ("Nom et prénom", "NOM Prénom")


class Heldout27Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT27_SEED + 71)

    def person(self, template: str = "") -> str:
        """A name from the tables in a form Arab naming is written: a given name alone or a kunya after a greeting
        now and then, a Gulf chain with bin or bint and Al, an Egyptian three-part name, a family name with El-, a
        French form's family name in capitals first, most often given name and family name."""
        rng = self.rng
        woman = rng.random() < 0.45
        given, father, family = full_name(rng, woman)
        if any(g in template for g in _GREETINGS) and rng.random() < 0.4:
            if rng.random() < 0.35:
                return f"{'Umm' if woman else 'Abu'} {father}"
            return given
        if any(f in template for f in _FRENCH_FORM):
            return f"{family.upper()} {given}"
        roll = rng.random()
        if any(g in template for g in _GULF) and roll < 0.5:
            bare = family.removeprefix("Al-").removeprefix("Al")
            bare = bare if bare[:1].isupper() else family
            return f"{given} {'bint' if woman else 'bin'} {father} Al {bare}"
        if any(e in template for e in _EGYPT) and roll < 0.5:
            return f"{given} {father} {family}"
        if roll < 0.1:
            return f"{given} El-{family}"
        return f"{given} {family}"

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT27_TEMPLATES = [
    "Ezayak ya {PERSON}? Rakam el mobile el gedid {PHONE_NUMBER}",
    "Rakam el mobile beta3 {PERSON}: {PHONE_NUMBER}",
    "Ezayak ya {PERSON}, el karta {CREDIT_CARD} et2ablet",
    "Marhaba {PERSON}, tawasal ma3ana ala {PHONE_NUMBER}",
    "Ya hala {PERSON}! Hawwalt al mablagh ila {IBAN_CODE}",
    "Ish halak {PERSON}? Sawwel 3la {PHONE_NUMBER}",
    "الاسم: {PERSON}\nالجوال: {PHONE_NUMBER}",
    "Nom et prénom : {PERSON}\nTéléphone : {PHONE_NUMBER}",
    "Namn: {PERSON}\nTelefon: {PHONE_NUMBER} (Mariehamn)",
    "Selamat pagi {PERSON}, telefon {PHONE_NUMBER}",
    "Nome e cognome: {PERSON}\nRecapito: {PHONE_NUMBER}",
    "Bonjou {PERSON}, kat la {CREDIT_CARD} sé bon",
    "Navn: {PERSON}\nTlf: {PHONE_NUMBER}, Longyearbyen",
    "Edinburgh of the Seven Seas: the supply ship's manifest lists {PERSON}, phone {PHONE_NUMBER}",
    "Georgetown, Ascension: {PERSON} booked the Two Boats guesthouse, call {PHONE_NUMBER}",
    "Diego Garcia contractor badge issued to {PERSON}, mobile {PHONE_NUMBER}",
    "Riyadh branch — {PERSON} paid with card {CREDIT_CARD}",
    "Dubai office visitor: {PERSON}, email {EMAIL_ADDRESS}",
    "Cairo courier: parcel for {PERSON}, ring {PHONE_NUMBER}",
    '{{"real_name": "{PERSON}", "email": "{EMAIL_ADDRESS}", "tz": "Africa/Cairo"}}',
    "ORGANIZER;CN={PERSON}:mailto:{EMAIL_ADDRESS}",
    "dn: cn={PERSON},ou=people,dc=example,dc=sa",
    'From: "{PERSON}" <sip:{PHONE_NUMBER}@voip.example.net>',
    "[07/12/2026, 06:40:12] {PERSON}: call me on {PHONE_NUMBER}",
    "On Mon, 7 Dec 2026 at 06:40, {PERSON} <{EMAIL_ADDRESS}> wrote:",
    'user: {{"id": 4412, "username": "{PERSON}", "ip_address": "{IP_ADDRESS}"}}',
    "{PERSON},{EMAIL_ADDRESS},{PHONE_NUMBER},Cocos",
    "{PERSON} and {PERSON} run the Flying Fish Cove shop",
    "Refund to card {CREDIT_CARD} approved for {PERSON} in Gustavia",
    "Transfer for {PERSON} in Alex, account {IBAN_CODE}",
    "Login failed for {EMAIL_ADDRESS} from {IP_ADDRESS}",
    "Patient {PERSON}, SSN {US_SSN}, seen at the Vatican pharmacy",
]
HELDOUT27_NEGATIVES = [
    "Edinburgh of the Seven Seas parcel TDC 7{c} landed",  # a Tristan landline's length, a first digit none has
    "Cairo building permit {year}/{zip4}/{q} approved",
    "Gift card {zip4}.{m:02d}{d:02d}.{c}{q}.{b:02d}{d2:02d}",  # made to fail Luhn
    "Membership {zip4}{m:02d}{d:02d} {c}{q}{b:02d}{d2:02d}",  # made to fail Luhn
    "Wadia SA{a:02d} {zip4} {zip4} {zip4} {zip4} {c}{q}",  # made to fail mod-97
    "VAT 300{zip4}{zip4}{c}{q} (sharika)",
    "Sigil togari {order} Cairo",
    "snmpwalk 1.3.6.1.4.1.{a}.{b} done",
    "Android build 11.{a}.{b}.{c} rolled out",
    "Browser 126.0.{zip4}.{c} updated",
    "Cairo 30.{zip4} 31.{c}",
    "Laayoune 27.{zip4} -13.{c}",
    "Riyadh 24.{zip4} 46.{c}",
    "Georgetown -7.{zip4} -14.{c}",
    "Edinburgh of the Seven Seas -37.{zip4} -12.{c}",
    "Mariehamn 60.{zip4} 19.{c}",
    "West Island -12.{zip4} 96.{c}",
    "Flying Fish Cove -10.{zip4} 105.{c}",
    "Vatican City 41.{zip4} 12.{c}",
    "Gustavia 17.{zip4} -62.{c}",
    "Longyearbyen 78.{zip4} 15.{c}",
    "Diego Garcia -7.{zip4} 72.{c}",
    "EGP {c}.{b:02d} madfou3a, wasl {order}",
    "{c}.{b:02d} ر.س paid, receipt {order}",
    "{a} {c} MAD payés à Laayoune, reçu {order}",
    "A${c}.{b:02d} paid at West Island, receipt {order}",
    "€{c},{b:02d} betalt i Mariehamn, kvitto {order}",
    "{a} {c} kr betalt i Longyearbyen, kvittering {order}",
]
HELDOUT27_WORD_NEGATIVES = [
    "Moulid El Sayyida Zeinab Bab El Khalq",
    "Sham El Nessim Corniche El Nil Maadi",
    "Masjid El Hussein Khan El Khalili",
    "Moussem Tan-Tan Smara Dakhla",
    "Sjökvarteret Mariehamn Ålands Sjödagar",
    "Hari Raya Pulau Kelapa Home Island",
    "Basilica Sancti Petri Porta Sanctae Annae",
    "Fête de Gustavia Saint-Barthélemy Lorient",
    "Polarjazz Longyearbyen Svalbard Kirke",
    "Ratting Day Edinburgh Queen Mary's Peak",
    "Green Mountain Dew Pond Ascension",
    "Festival du Vent Saint-Jean Flamands",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT27."""
    texts = (HELDOUT27_TEMPLATES, HELDOUT27_NEGATIVES, HELDOUT27_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT27_SEED,
        HELDOUT27_FAKER_LOCALES,
        Heldout27Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout27.txt",
        never_valid,
    )


_DEPOSIT = re.compile(r"Wadia SA(\d\d) ([\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Gift card|Membership) ([\d .]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a deposit number that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _DEPOSIT, "SA"), _CARD_SHAPED)
