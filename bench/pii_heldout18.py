"""HELDOUT18: the eighteenth held-out PII part, made because HELDOUT17's misses were studied (issue 9, item 8,
the fifteenth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from packages that no earlier part and no name list was built from, read from their data files
without importing them:

- ``jpntextgen``'s list of romanized mail names (``jpntextgen/data/romaji_name.txt``): Japanese names in Latin
  letters as people put them in mail addresses (``hiroyuki.fujita``, ``kawamura_jun``), in either order; only
  those of two parts of three letters or more are kept (initials, and a few entries that are not names, are
  left out), written as Japanese people write them in Latin letters: ``Hiroyuki Fujita``, the family name in
  capitals first (``FUJITA Hiroyuki``), with ``-san`` or ``Mr.``/``Ms.`` (labelled without them);
- ``imenar``'s lists (``imenar/imena.csv``, ``imenar/priimki.csv``): the given names and surnames of
  Slovenia's register, Slovenian ones and those of its Bosnian, Albanian, Serbian, Croatian and Arab families
  (``Sehija``, ``Festim``, ``Gajraku``, ``Bajrami``, ``Al Mansour``), double given names (``Ana Nuša``) and
  compound surnames among them.

Names are written in templates the other parts lack (a Japanese firm's mail in English, a Shinkansen booking,
a ryokan's confirmation, a Slovenian tax office notice, a planinska koča booking, a hairdresser's SMS; Swahili
M-Pesa-style, Chichewa, Shona, Oshiwambo, Sranan Tongo, Guyanese Creole, Belizean Kriol, Solomon Pijin, Gulf
Arabic in Latin letters, Nicaraguan, Salvadoran and Ecuadorian Spanish lines; a GitHub review, a Zendesk
ticket, a Teams export, a Signed-off-by trailer, an sshd log line, a YAML map, an XML element, a Python log
record, a CSV row of a clinic), sometimes in lowercase or capitals. Phone numbers: Nicaraguan, Salvadoran,
Ecuadorian, Namibian, Zimbabwean, Malawian, Tanzanian, Solomon Islands, Belizean, Guyanese, Surinamese and
Bahraini mobile numbers as people write them (written here, not by a library; each valid by ``phonenumbers``
and a mobile number of its region: the test checks). Cards: written here from brands' prefixes (Mir, RuPay,
Elo, Hipercard, Troy, Dankort, Maestro, Diners Club, Visa Electron, Amex), 14 to 19 digits, each completed by
its Luhn digit, printed as banks and receipts print them: in dashed fours, in fours with a last group of three,
Amex's and Diners' 4-6-5 and 4-6-4 with spaces or dashes, or in a run. The other types come from
``bench.pii_sets.Makers`` in the ja_JP, sl_SI and en_IE locales (only their non-name types are drawn; only
IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Japanese Corporate
Number (13 digits: a firm's number, which no type here covers); a Slovenian payment reference ``SI12``
(a real reference model, a firm's invoice); a Slovenian invoice reference of ``SI``, two digits and fifteen
more in groups (a Slovenian IBAN's shape; check digits that would pass mod-97 are moved by one, so never valid:
the test checks); a Tanzanian government payment control number (12 digits starting 99); a Malawian bus ticket
of ``0999`` and five digits (a Malawian mobile's shape, a digit short: the test checks it is never valid); a
container seal of four groups of four digits and a 16-digit transaction reference (card shapes; each made to
fail Luhn, so never valid: the test checks); an HL7 OID ``2.16.840.1...``, an ASN.1 OID of four arcs and a
kernel version (an IP address's shape); coordinates near Windhoek and Paramaribo; amounts in shillings,
kwacha, Surinamese dollars, Bahraini dinars, cordobas, Namibian dollars and yen; a Shinkansen seat.
Word lines: capitalized festivals, places and fairs with no person in them, in Japanese romaji, Slovenian,
Swahili, Chichewa, Shona, Oshiwambo, Sranan Tongo, Guyanese and Belizean English, Pijin, Nicaraguan and
Ecuadorian Spanish and Kichwa words (some with words that are also names elsewhere: Yoshida no Himatsuri,
Martinovanje, Marijino vnebovzetje, Mama Negra, San Miguel, Santo Domingo).
"""

from __future__ import annotations

import importlib.util
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, cased, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT18_SEED = 918533
HELDOUT18_FAKER_LOCALES = ["ja_JP", "sl_SI", "en_IE"]  # only their non-name types are drawn
LOCAL_REGIONS = ("NI", "SV", "EC", "NA", "ZW", "MW", "TZ", "SB", "BZ", "GY", "SR", "BH")
_JP = re.compile(r"-san|Mr\. |Ms\. |Shinkansen|ryokan|Ryokan|Tanaka Shoji|様")
_SI = re.compile(r"FURS|Pozdrav|Živjo|g\. |ga\. |koča|Frizerski|Ime in priimek|Spoštovana")
_SOURCE_OF = ((_JP, "japanese"), (_SI, "slovenian"))
_NOT_NAMES = {"show_hint", "aisaka_dxn", "tajima_yya"}


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT18 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in file order: romaji pairs as they stand in the mail names, the
    register's given names and surnames."""
    mail = (_package_dir("jpntextgen") / "data" / "romaji_name.txt").read_text(encoding="utf-8").split()
    pairs = [
        tuple(part.capitalize() for part in re.split(r"[._]", m))
        for m in mail
        if m not in _NOT_NAMES and re.fullmatch(r"[A-Za-z]{3,}[._][A-Za-z]{3,}", m)
    ]
    register = _package_dir("imenar")

    def rows(name: str) -> list[str]:
        return [r.strip() for r in (register / name).read_text(encoding="utf-8").splitlines() if r.strip()]

    return {"jp_pairs": pairs, "si_given": rows("imena.csv"), "si_surnames": rows("priimki.csv")}


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Nicaraguan, Salvadoran, Ecuadorian, Namibian, Zimbabwean, Malawian, Tanzanian,
    Solomon Islands, Belizean, Guyanese, Surinamese or Bahraini mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "NI":
        h, r = rng.choice(["57", "58", "75", "76", "77", "78", "82", "84", "86", "88"]), _digits(rng, 6)
        forms = [f"+505 {h}{r[:2]} {r[2:]}", f"{h}{r[:2]}-{r[2:]}", f"+505{h}{r}"]
    elif country == "SV":
        h, r = rng.choice("67"), _digits(rng, 7)
        forms = [f"+503 {h}{r[:3]} {r[3:]}", f"{h}{r[:3]}-{r[3:]}", f"(503) {h}{r[:3]}-{r[3:]}"]
    elif country == "EC":
        h, r = rng.choice(["98", "99"]), _digits(rng, 7)
        forms = [f"+593 {h} {r[:3]} {r[3:]}", f"0{h} {r[:3]} {r[3:]}", f"0{h}{r}", f"+593-{h}-{r}"]
    elif country == "NA":
        h, r = rng.choice(["81", "85"]), _digits(rng, 7)
        forms = [f"+264 {h} {r[:3]} {r[3:]}", f"0{h} {r[:3]} {r[3:]}", f"0{h}-{r}"]
    elif country == "ZW":
        h, r = rng.choice(["71", "77", "78"]), _digits(rng, 7)
        forms = [f"+263 {h} {r[:3]} {r[3:]}", f"0{h} {r[:3]} {r[3:]}", f"0{h}{r}", f"00263 {h}{r}"]
    elif country == "MW":
        h, r = rng.choice(["88", "99"]), _digits(rng, 7)
        forms = [f"+265 {h}{r[0]} {r[1:3]} {r[3:5]} {r[5:]}", f"0{h}{r[0]} {r[1:3]} {r[3:5]} {r[5:]}", f"0{h}{r}"]
    elif country == "TZ":
        h, r = rng.choice(["65", "68", "71", "74", "75", "76", "77", "78"]), _digits(rng, 7)
        forms = [f"+255 {h}{r[0]} {r[1:4]} {r[4:]}", f"0{h}{r[0]} {r[1:4]} {r[4:]}", f"+255-{h}{r[0]}-{r[1:]}"]
    elif country == "SB":
        h, r = rng.choice(["74", "75", "76", "77", "84", "86"]), _digits(rng, 5)
        forms = [f"+677 {h} {r}", f"{h}{r}", f"(677) {h}{r}"]
    elif country == "BZ":
        h, r = rng.choice(["60", "61", "62", "63", "65", "66", "67"]), _digits(rng, 5)
        forms = [f"+501 {h}{r[0]}-{r[1:]}", f"{h}{r[0]}-{r[1:]}", f"501-{h}{r[0]}-{r[1:]}"]
    elif country == "GY":
        h, r = rng.choice(["60", "62", "64", "65", "67", "69"]), _digits(rng, 5)
        forms = [f"+592 {h}{r[0]} {r[1:]}", f"{h}{r[0]}-{r[1:]}", f"+592{h}{r}"]
    elif country == "SR":
        h, r = rng.choice(["71", "72", "74", "75", "81", "85", "88"]), _digits(rng, 5)
        forms = [f"+597 {h}{r[0]}-{r[1:]}", f"{h}{r[0]}-{r[1:]}", f"+597{h}{r}"]
    else:
        h, r = rng.choice(["33", "34", "35", "36", "37", "39"]), _digits(rng, 6)
        forms = [f"+973 {h}{r[:2]} {r[2:]}", f"{h}{r}", f"00973 {h}{r[:2]} {r[2:]}"]
    return country, rng.choice(forms)


# (brand, prefixes, lengths)
_BRANDS = (
    ("mir", ("2200", "2201", "2202", "2204"), (16,)),
    ("rupay", ("6521", "6522", "8174", "508"), (16,)),
    ("elo", ("4011", "4389", "5067", "6362"), (16,)),
    ("hipercard", ("6062", "3841"), (16, 19)),
    ("troy", ("9792",), (16,)),
    ("dankort", ("5019",), (16,)),
    ("maestro", ("6759", "5018", "6304"), (16, 18, 19)),
    ("diners", ("36", "300", "305"), (14,)),
    ("visa electron", ("4026", "4508", "4913"), (16,)),
    ("amex", ("34", "37"), (15,)),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the brands above, passing Luhn, as banks and receipts print it: dashed fours,
    fours with a shorter last group, 4-6-5 or 4-6-4 (Amex, Diners) with spaces or dashes, or in a run."""
    _, prefixes, lengths = rng.choice(_BRANDS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    style = rng.random()
    if length in (14, 15) and style < 0.7:
        return rng.choice(" -").join([number[:4], number[4:10], number[10:]])
    if style < 0.2:
        return number
    fours = [number[i : i + 4] for i in range(0, length, 4)]
    return ("-" if style < 0.6 else " ").join(fours)


class Heldout18Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT18_SEED + 59)
        self.pools = _pools()

    def japanese(self, template: str = "") -> str:
        first, second = self.rng.choice(self.pools["jp_pairs"])
        if "-san" in template or "Mr. " in template or "Ms. " in template:
            return second  # one part before the honorific, as in mail
        roll = self.rng.random()
        if roll < 0.3:
            return f"{second.upper()} {first}"
        if roll < 0.4:
            return f"{second}, {first}"
        return f"{first} {second}"

    def slovenian(self, template: str = "") -> str:
        rng, pools = self.rng, self.pools
        given, family = rng.choice(pools["si_given"]), rng.choice(pools["si_surnames"])
        if rng.random() < 0.06:
            family = f"{family}-{rng.choice(pools['si_surnames'])}"
        if "g. " in template or "ga. " in template:
            return family if rng.random() < 0.5 else f"{given} {family}"
        if "Ime in priimek" in template or "FURS" in template:
            return f"{family.upper()} {given.upper()}" if rng.random() < 0.5 else f"{family} {given}"
        return f"{given} {family}"

    def person(self, template: str = "") -> str:
        for cue, source in _SOURCE_OF:
            if cue.search(template):
                return getattr(self, source)(template)
        rng = self.rng
        name = getattr(self, rng.choices(["japanese", "slovenian"], weights=[50, 50])[0])(template)
        return cased(rng, name)

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT18_TEMPLATES = [
    "Dear {PERSON}-san,\nthank you for the quotation. Please call me at {PHONE_NUMBER}.",
    "Hi {PERSON}-san, the samples left Osaka today.",
    "Ms. {PERSON} from Tanaka Shoji will join the call.",
    "Shinkansen Nozomi 21, car 7, seat 12E, passenger {PERSON}",
    "Ryokan Hanaya confirms two nights for {PERSON}; contact {EMAIL_ADDRESS}",
    "{PERSON}様 ご予約ありがとうございます (tel {PHONE_NUMBER})",
    "FURS: davčni zavezanec {PERSON}, odločba št. 4211",
    "Pozdravljeni {PERSON}, vaš paket čaka na pošti.",
    "Živjo {PERSON}! Pokliči me na {PHONE_NUMBER}",
    "Rezervacija: koča na Kredarici, {PERSON}, 2 osebi",
    "Frizerski salon: {PERSON}, jutri ob 9:30",
    "Ime in priimek: {PERSON}\nE-pošta: {EMAIL_ADDRESS}",
    "Spoštovana ga. {PERSON}, kartica {CREDIT_CARD} je bila aktivirana.",
    "Umepokea Sh 20,000 kutoka kwa {PERSON} {PHONE_NUMBER}",
    "Moni {PERSON}, ndiyimbireni pa {PHONE_NUMBER}",
    "Mhoro {PERSON}, ndifonere pa {PHONE_NUMBER}",
    "Walalapo nawa {PERSON}, ndi ingila po {PHONE_NUMBER}",
    "Fa waka {PERSON}, kari mi na {PHONE_NUMBER}",
    "Wha gwan {PERSON}, gimme a call pon {PHONE_NUMBER}",
    "Aarait {PERSON}, kaal mi pan {PHONE_NUMBER}",
    "Halo {PERSON}, plis ringim mi long {PHONE_NUMBER}",
    "Marhaba {PERSON}, ittasil ala {PHONE_NUMBER}",
    "Chele, {PERSON}, llamame al {PHONE_NUMBER} vos",
    "Hola {PERSON}, te dejo mi número {PHONE_NUMBER}",
    "Ñaño {PERSON}, timbrame al {PHONE_NUMBER}",
    "@{PERSON} LGTM, but please rebase before merging",
    "Ticket #4412 requester: {PERSON} <{EMAIL_ADDRESS}>",
    '{{"from": "{PERSON}", "body": "my number is {PHONE_NUMBER}"}}',
    "Signed-off-by: {PERSON} <{EMAIL_ADDRESS}>",
    "sshd[811]: Accepted publickey for deploy from {IP_ADDRESS} port 52144",
    "owner:\n  name: {PERSON}\n  phone: '{PHONE_NUMBER}'",
    "<patient><name>{PERSON}</name><tel>{PHONE_NUMBER}</tel></patient>",
    "INFO billing: card {CREDIT_CARD} charged for {PERSON}",
    "2026-03-02,{PERSON},{PHONE_NUMBER},follow-up",
    "Card no. {CREDIT_CARD}, holder {PERSON}",
    "IBAN {IBAN_CODE}, imetnik {PERSON}",
    "SSN {US_SSN} belongs to {PERSON}",
    "{PERSON} and {PERSON} share the night shift",
    "Missed call: {PERSON} {PHONE_NUMBER}",
    "payout to {PERSON}, IBAN {IBAN_CODE}",
]
HELDOUT18_NEGATIVES = [
    "Hōjin bangō {q}{zip4}{m:02d}{d:02d}{b:02d}{d2:02d} (Kabushiki Kaisha)",
    "Sklic SI12 {order}-{year}",
    "Referenca SI{a:02d} {zip4} {m:02d}{d:02d} {b:02d}{d2:02d} {c}",  # made to fail mod-97
    "GePG control number 99{zip4}{m:02d}{d:02d}{b:02d}",
    "Tiketi ya basi 0999 {c} {b:02d}, Lilongwe–Blantyre",
    "Container seal {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d}",  # made to fail Luhn
    "Transaction ref {zip4}{m:02d}{d:02d}{c}{q}{b:02d}{d2:02d}",  # made to fail Luhn
    "HL7 root OID 2.16.840.1.113883.{c}.{q}",
    "ASN.1 arc 1.2.{a}.{b} registered",
    "kernel 6.{a}.{b}.{q} booted",
    "Windhoek -22.{zip4}{q} 17.{c}{b}",
    "Paramaribo 5.{zip4}{q} -55.{c}{a}",
    "TSh {c},{zip4} imelipwa, risiti {order}",
    "MK {a},{c}.00 paid, receipt {order}",
    "SRD {c}.{b:02d} betaald, bon {order}",
    "BD {a}.{c} invoice {order}",
    "C$ {c}.{b:02d} pagado, factura {order}",
    "N$ {c}.{b:02d}, slip {order}",
    "¥{a},{c} (tax incl.), receipt {order}",
    "Hikari {c}, {q}:{d:02d}, car {a}, seat {b}A",
]
HELDOUT18_WORD_NEGATIVES = [
    "Gion Matsuri Yoiyama Kyoto",
    "Sapporo Yuki Matsuri Odori Park",
    "Yoshida no Himatsuri Fujiyoshida",
    "Takayama Matsuri Yatai Kaikan",
    "Kurentovanje Ptuj {year}",
    "Martinovanje Maribor Lent",
    "Marijino vnebovzetje Brezje",
    "Sauti za Busara Zanzibar",
    "Lake of Stars Mangochi",
    "Harare International Festival of the Arts",
    "Olufuko Outapi Festival",
    "Keti Koti Paramaribo",
    "Mashramani Georgetown Float Parade",
    "Garifuna Settlement Day Dangriga",
    "Honiara Pasifik Arts Festival",
    "Palo de Mayo Bluefields",
    "Mama Negra Latacunga",
    "Inti Raymi Otavalo",
    "San Miguel Carnaval Oriental",
    "Santo Domingo de Guzmán Managua",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT18."""
    texts = (HELDOUT18_TEMPLATES, HELDOUT18_NEGATIVES, HELDOUT18_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT18_SEED,
        HELDOUT18_FAKER_LOCALES,
        Heldout18Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout18.txt",
        never_valid,
    )


_REFERENCE = re.compile(r"Referenca SI(\d\d)((?: \d{4}){3} \d{3})")
_CARD_SHAPED = re.compile(r"(?:Container seal|Transaction ref) ([\d ]+\d)")


def never_valid(text: str) -> str:
    """``text`` with an invoice reference that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _REFERENCE, "SI"), _CARD_SHAPED)
