"""HELDOUT28: the twenty-eighth held-out PII part (issue 9, item 8), made before any miss of HELDOUT27 was read, so
that with HELDOUT27 it is a second part no one has studied; written, templates, negatives, generators, phone and card
formats and hand cases, before any result on it was seen; only its totals are printed.

Its names come from one package that no earlier part and no name list was built from, read from its data file
without importing it: ``norwegian-fake-data`` (props for murder mystery games), whose ``data/names.json.gz`` holds
Statistics Norway's tables: the given names borne by 200 people or more, per sex and year of birth from 1880 to 2025,
each with its share (``Olaus`` in the 1890s, ``Aisha`` now, pairs such as ``Svein-Erik``), and the surnames borne by
200 or more (farm names such as ``Aamodt`` and ``Bjørnstad``, the ``-sen`` names, ``Nguyen``, ``Da Silva``). A given
name is drawn by its share in a year of birth the template fits (a child's in a kindergarten note, an old person's in
an obituary, an adult's elsewhere), a surname by its count, with this part's own random source. The forms are
Norwegian naming's: two given names (``Kari Anne``), a surname borne as a middle name (``Ingrid Aakre Solberg``), a
hyphenated pair of surnames, a middle initial, a given name alone after a greeting and, in a telex, capitals with æ,
ø and å written AE, OE and AA (``OEYSTEIN SAETHER``). Looked at and left: ``seedfaker`` (its tables are inside a
compiled module, of Faker's locales), ``name4py`` (downloads its tables), ``vicary`` (famous people, to keep),
``nafnagreining`` (Icelandic words), ``commondata.ee`` (Estonian places), ``larzfaker`` (a few English names).

Templates the other parts lack: Nynorsk (``Med venleg helsing``, ``Minneord``, ``Barnehagen``), North Sámi
(``Bures``, ``Mu namma lea``), Danish (``Kære``, ``Kortholder``), Esperanto (``Saluton``, ``Kara``), Shetland dialect;
a ship's telex in capitals, a Garmin inReach message, a crew list, a MINURSO team site in Western Sahara, a tour
group and a hotel in Pyongyang, a marina in Marigot, the Troll station in Antarctica, an ice-sheet crossing, a
platform's watch; a passwd GECOS field, an OpenSSL subject, an INI section, a Python ``__author__``, a ``Reply-To``
header, an SSH key's comment, a Prometheus alert's labels.
Phone numbers: Saint-Martin's landlines (the French side's own blocks), Pyongyang's landlines and North Korea's
mobiles, Western Sahara's landlines (0528 8 and 0528 9, which ``phonenumbers`` also counts as Morocco's), and numbers
of no territory: Iridium and Globalstar (+881), Inmarsat (+870) and Thuraya (+882 16) satellite phones, as people
write them (written here, not by a library; each valid by ``phonenumbers`` and of the kind given here: the test
checks; those written with ``00`` are read as dialled from Norway). A template naming a place gets its numbers, one
at sea, on the ice or at the station a satellite phone.
Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55, Bancontact's 6703 of 17 digits, and
the national schemes Humo 9860 and UzCard 8600 of Uzbekistan, ArCa 9051 of Armenia, Belkart 9112 of Belarus and
DinaCard 9891 of Serbia), each completed by its Luhn digit, in forms of this part's own: fours parted by thin spaces
(U+2009) or figure spaces (U+2007), as typesetting parts digit groups, or by non-breaking hyphens (U+2011, as a word
processor puts them), and Bancontact's seventeen as four fours and one.
The other types come from ``bench.pii_sets.Makers`` in the no_NO, da_DK and fr_FR locales (only their non-name
types are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a ship's MMSI ``2579`` + five
digits (a phone's length; the test checks it is valid in none of the part's regions) and IMO number; a KID payment
reference of eleven digits; a gift card of fours parted by thin spaces and a Trumf number of sixteen digits (card
shapes; each made to fail Luhn: the test checks); a Danish case number ``DK`` + two digits + fourteen in groups (a
Danish IBAN's shape; check digits that would pass mod-97 are moved by one: the test checks); a cadastral
``gnr.``/``bnr.``; a terminal's firmware of four numbers (an IP address's shape); a UTM reference; positions near
Troll (degrees and minutes), Pyongyang, Marigot, Bir Lehlou, Tromsø, Kautokeino and Lerwick; amounts in kroner
(Norwegian and Danish ways), euros, won and dollars; reindeer counts. Word lines: capitalized feasts, places and
institutions with no person in them, in Nynorsk, North Sámi, Danish, Esperanto, Shetland and English, some holding
words that are names elsewhere (Olav, Maud, Hans, Zamenhof, Louis).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT28_SEED = 2828303
HELDOUT28_FAKER_LOCALES = ["no_NO", "da_DK", "fr_FR"]  # only their non-name types are drawn
# region: its numbers' kind as this part writes them ("001": the satellite networks, no territory's)
MOBILE_REGIONS = ("001",)
LANDLINE_REGIONS = ("MF", "EH")
BOTH_REGIONS = ("KP",)
LOCAL_REGIONS = LANDLINE_REGIONS + BOTH_REGIONS + MOBILE_REGIONS
# years of birth a template's person is drawn from: a child's, an old person's, an adult's
CHILD, OLD, ADULT = (2016, 2024), (1920, 1945), (1945, 2004)

_CLEAN = re.compile(r"[^\W\d_]+(?:[ '-][^\W\d_]+)*")
_ASCII = str.maketrans({"Æ": "AE", "Ø": "OE", "Å": "AA", "æ": "ae", "ø": "oe", "å": "aa"})


def _data_file() -> Path:
    spec = importlib.util.find_spec("norwegian_fake_data")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("HELDOUT28 needs the package 'norwegian-fake-data' (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "names.json.gz"


Table = tuple[tuple[str, ...], tuple[int, ...]]  # names and their cumulative weights


@lru_cache(maxsize=1)
def tables() -> tuple[dict[tuple[int, str], Table], Table]:
    """({(year of birth, "male" or "female"): given names}, surnames of the latest year), each with its weights."""
    snapshot = json.loads(gzip.decompress(_data_file().read_bytes()))

    def table(rows: list) -> Table:
        kept = [(str(n).strip(), int(w)) for n, w in rows if _CLEAN.fullmatch(str(n).strip()) and int(w) > 0]
        return tuple(n for n, _ in kept), tuple(accumulate(w for _, w in kept))

    given = {(int(key.split(":")[0]), key.split(":")[1]): table(rows) for key, rows in snapshot["first_names"].items()}
    return given, table(snapshot["surnames"][max(snapshot["surnames"], key=int)])  # the latest year's surnames


@lru_cache(maxsize=1)
def pools() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(men's given names, women's given names, surnames): every name the tables hold, once."""
    given, (surnames, _) = tables()
    men = {n for (_, sex), (names, _) in given.items() if sex == "male" for n in names}
    women = {n for (_, sex), (names, _) in given.items() if sex == "female" for n in names}
    return tuple(sorted(men)), tuple(sorted(women)), tuple(sorted(set(surnames)))


def _draw(rng: random.Random, table: Table) -> str:
    names, cumulative = table
    return names[bisect_right(cumulative, rng.randrange(cumulative[-1]))]


def full_name(rng: random.Random, woman: bool, born: tuple[int, int] = ADULT) -> tuple[str, str, str, str]:
    """(given name, a second given name of the same sex and year, surname, a second surname), the given names drawn
    by their share in a year of birth within ``born``, the surnames by their count."""
    given, surnames = tables()
    year = rng.randint(*born)
    names = given[year, "female" if woman else "male"]
    first, second = _draw(rng, names), _draw(rng, names)
    return first, second, _draw(rng, surnames), _draw(rng, surnames)


def telex(name: str) -> str:
    """``name`` as a telex or an ASCII-only form writes it: capitals, æ, ø and å as AE, OE and AA, accents dropped."""
    folded = unicodedata.normalize("NFKD", name.translate(_ASCII))
    return "".join(c for c in folded if not unicodedata.combining(c)).upper()


def _satellite(rng: random.Random) -> str:
    network = rng.choice(("iridium", "globalstar", "inmarsat", "thuraya"))
    if network in ("iridium", "globalstar"):
        n = rng.choice("67" if network == "iridium" else "89") + _digits(rng, 8)
        forms = [f"+881{n[0]} {n[1:5]} {n[5:]}", f"+881 {n[0]} {n[1:5]} {n[5:]}", f"00881{n}", f"+881-{n[:3]}-{n[3:]}"]
    elif network == "inmarsat":
        n = "7" + rng.choice("678") + _digits(rng, 7)
        forms = [f"+870 {n[:3]} {n[3:6]} {n[6:]}", f"00870 {n}", f"+870-{n}", f"+870 {n[:3]}{n[3:]}"]
    else:
        n = "16" + _digits(rng, 8)
        forms = [f"+882 16 {n[2:6]} {n[6:]}", f"+88216 {n[2:]}", f"0088216{n[2:]}", f"+882-16-{n[2:]}"]
    return rng.choice(forms)


def local_phone_in(rng: random.Random, region: str | None = None) -> tuple[str, str]:
    """(region, number): a Saint-Martin or Western Sahara landline, a Pyongyang landline or a North Korean mobile, or a
    satellite phone ("001"), as people write it; ``region`` one of those, or any when None."""
    region = region or rng.choice(LOCAL_REGIONS)
    if region == "MF":
        b, d = rng.choice(("43", "50", "56", "58", "77", "79")), _digits(rng, 4)  # the blocks phonenumbers gives MF
        forms = [f"0590 {b} {d[:2]} {d[2:]}", f"+590 590 {b} {d[:2]} {d[2:]}", f"00590 590{b}{d}"]
        return region, rng.choice(forms + [f"05.90.{b}.{d[:2]}.{d[2:]}"])
    if region == "EH":
        n = "528" + rng.choice("89") + _digits(rng, 5)
        forms = [f"0{n[:3]}-{n[3:]}", f"+212 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", f"00212 {n}"]
        return region, rng.choice(forms + [f"05 {n[1:3]} {n[3:5]} {n[5:7]} {n[7:]}"])
    if region == "KP":
        if rng.random() < 0.5:
            d = _digits(rng, 4)
            return region, rng.choice([f"+850 2 381 {d}", f"00850 2 381{d}", f"+850-2-381-{d}", f"(+850 2) 381 {d}"])
        n = rng.choice(("191", "192", "193")) + _digits(rng, 7)
        return region, rng.choice([f"+850 {n[:3]} {n[3:6]} {n[6:]}", f"+850 {n[:3]}-{n[3:]}", f"00850 {n}"])
    return "001", _satellite(rng)


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (("51", "52", "53", "54", "55"), 16),
    (("6703",), 17),
    (("9860", "8600", "9051", "9112", "9891"), 16),
)
_SEPARATORS = ("\u2009", "\u2007", "\u2011")  # a thin space, a figure space, a non-breaking hyphen


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: sixteen digits' fours
    parted by thin spaces, figure spaces or non-breaking hyphens; Bancontact's seventeen as four fours and one parted
    by spaces (the label is the digits and what parts them)."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if length == 17:
        return " ".join([number[i : i + 4] for i in range(0, 16, 4)] + [number[16:]])
    return rng.choice(_SEPARATORS).join(number[i : i + 4] for i in range(0, 16, 4))


_GREETINGS = ("Hei ", "Bures", "Kære", "Saluton", "Kara ", "Aye ", "Giitu")
_AWAY = ("satellitt", "Iridium", "SATCOM", "inReach", "Troll", "indlandsisen", "da boat", "plattforma", "satphone")
_PLACES = ((("Laayoune", "MINURSO"), "EH"), (("Pyongyang", "Koryo"), "KP"), (("Marigot",), "MF"), (_AWAY, "001"))


class Heldout28Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT28_SEED + 83)

    def person(self, template: str = "") -> str:
        """A name from Statistics Norway's tables in a form Norwegian naming is written: a given name alone after a
        greeting now and then, capitals without æ, ø and å in a telex, two given names, a surname borne as a middle
        name, a hyphenated pair of surnames, a middle initial, most often given name and surname."""
        rng = self.rng
        born = CHILD if "Barnehagen" in template else OLD if "Minneord" in template else ADULT
        first, second, surname, other = full_name(rng, rng.random() < 0.5, born)
        if any(g in template for g in _GREETINGS) and rng.random() < 0.4:
            return first
        if "ATTN" in template:
            return telex(f"{first} {surname}")
        roll = rng.random()
        if roll < 0.15 and second != first:
            return f"{first} {second} {surname}"
        if roll < 0.3 and other != surname:
            return f"{first} {other} {surname}"
        if roll < 0.36 and other != surname:
            return f"{first} {other}-{surname}"
        if roll < 0.42:
            return f"{first} {second[0]}. {surname}"
        return f"{first} {surname}"

    def phone(self, template: str = "") -> str:
        where = next((r for words, r in _PLACES if any(w in template for w in words)), None)
        return local_phone_in(self.rng, where)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT28_TEMPLATES = [
    "Hei {PERSON}! Eg ringjer frå satellittelefonen, nummeret er {PHONE_NUMBER}",
    "Med venleg helsing\n{PERSON}\nIridium: {PHONE_NUMBER}",
    "Fullt namn: {PERSON}\nPårørande kan ringje {PHONE_NUMBER}",
    "Troll forskingsstasjon: {PERSON} har vakt i dag, satellittelefon {PHONE_NUMBER}",
    "Barnehagen: {PERSON} blir henta av bestefar i dag, ring {PHONE_NUMBER} ved spørsmål",
    "Minneord: {PERSON} sovna stille inn, 94 år gamal",
    "Kortnummeret til {PERSON} er {CREDIT_CARD}, gjeld ut 2028",
    "Refusjon til kortet {CREDIT_CARD} er godkjend for {PERSON}",
    "{PERSON} og {PERSON} tok over vakta på plattforma i natt",
    "Overføring til {PERSON}, konto {IBAN_CODE}",
    "Pålogging frå {IP_ADDRESS} for {EMAIL_ADDRESS}",
    "Bures {PERSON}! Mu telefovdna lea {PHONE_NUMBER}",
    "Mu namma lea {PERSON}, e-poasta {EMAIL_ADDRESS}",
    "Giitu, {PERSON}! Konto: {IBAN_CODE}",
    "Kære {PERSON}, tak for sidst. Du kan fange mig på {PHONE_NUMBER}",
    "Ekspeditionen over indlandsisen: {PERSON} ringer hjem fra {PHONE_NUMBER}",
    "Kortnummer: {CREDIT_CARD}\nKortholder: {PERSON}",
    "Saluton {PERSON}! Mia telefonnumero estas {PHONE_NUMBER}",
    "Kara {PERSON}, bonvolu pagi al {IBAN_CODE} antaŭ la kongreso",
    "Aye {PERSON}, du can phone me on {PHONE_NUMBER} fae da boat",
    "ATTN MASTER. CREW CHANGE: {PERSON} SIGNS OFF AT TROMSOE. SATCOM {PHONE_NUMBER}",
    "inReach message from {PERSON}: all fine at camp 3, call {PHONE_NUMBER} if no check-in by 20:00",
    "Crew list, MS Nordkapp: 4. {PERSON}, deckhand, NOR",
    "MINURSO team site, Laayoune: {PERSON} on duty, landline {PHONE_NUMBER}",
    "Pyongyang tour group: the guide for {PERSON} is on {PHONE_NUMBER}",
    "Koryo Hotel room 3204 booked for {PERSON}; front desk {PHONE_NUMBER}",
    "Marigot marina, berth 14 for {PERSON}, call {PHONE_NUMBER}",
    "polar:x:1001:1001:{PERSON},Troll,,:/home/polar:/bin/bash",
    "subject=/C=NO/O=Ekspedisjon AS/CN={PERSON}/emailAddress={EMAIL_ADDRESS}",
    "[crew]\nskipper = {PERSON}\nsatphone = {PHONE_NUMBER}",
    '__author__ = "{PERSON} <{EMAIL_ADDRESS}>"',
    "Reply-To: {PERSON} <{EMAIL_ADDRESS}>",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOq3kTz {PERSON} (bærbar)",
    'alertname=SatLinkDown owner="{PERSON}" oncall="{PHONE_NUMBER}"',
    "US Antarctic Program: {PERSON}, SSN {US_SSN}, flown out of McMurdo",
]
HELDOUT28_NEGATIVES = [
    "MMSI 2579{c}{a:02d}, Hurtigruten",  # nine digits, valid as a number in none of the part's regions
    "IMO 9{c}{a:02d}{q} la til kai i Tromsø",
    "KID {zip4}{zip4}{c} må vere med på betalinga",
    "Gavekort {zip4}\u2009{m:02d}{d:02d}\u2009{c}{q}\u2009{b:02d}{d2:02d}",  # made to fail Luhn
    "Trumf {zip4}{m:02d}{d:02d}{c}{q}{b:02d}{d2:02d} registrert",  # made to fail Luhn
    "Sagsnummer DK{a:02d} {zip4} {zip4} {zip4} {b:02d}",  # made to fail mod-97
    "Gnr. {a} bnr. {c} i Kautokeino",
    "Iridium-terminalen fekk programvare {a}.{b}.{c}.{q}",
    "UTM 33W {c}{zip4} 77{zip4}{q}",
    "Troll 72°0{q}.{c}'S 002°3{q}.{c}'E",
    "Pyongyang 39.{zip4} 125.{c}",
    "Marigot 18.{zip4} -63.{c}",
    "Bir Lehlou 26.{zip4} -9.{c}",
    "Tromsø 69.{zip4} 18.{c}",
    "Kautokeino 69.{zip4} 23.{c}",
    "Lerwick 60.{zip4} -1.{c}",
    "kr {a} {c},{b:02d} betalt, kvittering {order}",
    "{a}.{c},{b:02d} kr. betalt på Bakken, bon {order}",
    "EUR {c}.{b:02d} paid at Marigot marina, receipt {order}",
    "Kotizo {c} eŭroj pagita, kvitanco {order}",
    "KPW {a}{c} changed at the Koryo Hotel, slip {order}",
    "USD {c}.{b:02d} per diem, MINURSO voucher {order}",
    "Siida {a}: boazolohku {c}{q}",
    "Widerøe WF{c} til Hammerfest, sete {a}C",
    "Vakt {d:02d}.{m:02d}.{year} kl. 0{q}:{d2:02d}",
]
HELDOUT28_WORD_NEGATIVES = [
    "Olsok Stiklestad Spelet om Heilag Olav",
    "Dronning Maud Land Troll Jutulsessen",
    "Riddu Riđđu Gáivuotna Ovttas",
    "Beaivváš Sámi Našunálateáhter Guovdageaidnu",
    "Sámi álbmotbeaivi Kárášjohka",
    "Sankt Hans Aften Dyrehavsbakken Klampenborg",
    "Universala Kongreso Zamenhof-Tago Esperanto-Domo",
    "Up Helly Aa Lerwick Galley Shed",
    "Fort Louis Marigot Baie Orientale Grand Case",
    "Juche Tower Taedong River Mansudae",
    "Nordlysfestivalen Tromsø Ishavskatedralen",
    "Bryggen Fløyen Fisketorget Nordnes",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT28."""
    texts = (HELDOUT28_TEMPLATES, HELDOUT28_NEGATIVES, HELDOUT28_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT28_SEED,
        HELDOUT28_FAKER_LOCALES,
        Heldout28Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout28.txt",
        never_valid,
    )


_CASE = re.compile(r"Sagsnummer DK(\d\d) ([\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Gavekort|Trumf) ([\d\u2009]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a Danish case number that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9): the
    shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _CASE, "DK"), _CARD_SHAPED)
