"""HELDOUT19: the nineteenth held-out PII part, made because HELDOUT18's misses were studied (issue 9, item 8,
the sixteenth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from a package that no earlier part and no name list was built from, read from its data file
without importing it:

- ``spanishfullnamesplitter``'s register (``fullnamesplitter/names.db``, an SQLite file with a table of given
  names and one of surnames, in capitals and without accents, as Spain's statistics office lists those of the
  people living there): Spanish, Basque, Catalan and Galician names (``Axier``, ``Llorenç``, ``Martiño``,
  ``Birichinaga``), and those of the country's Moroccan, Romanian, Latin American, Ukrainian and other families
  (``Ezzohra``, ``Marian Iulian``, ``Chiquinquira``, ``Dahouchi``, ``Zhytnyk``), compound given names
  (``Nubia Socorro``) and surnames with particles (``Pita de la Vega``). They are written as Spanish papers and
  people write them: a given name and two surnames, the register's capitals (``GARCIA LOPEZ, ANTONIO`` and
  ``ANTONIO GARCIA LOPEZ``), surnames first with a comma, one surname, Catalan's ``i`` between the two
  (``Joan Llopart i Monseny``), a surname alone after ``Sr.``/``Sra.``/``Dña.``, a given name alone in a chat.

Names are written in templates the other parts lack (a padrón certificate, a DNI-style form, a Correos notice,
a Renfe ticket, a Bizum payment, a WhatsApp group, a comunidad de vecinos notice; Catalan, Galician, Basque,
Greek, Haitian Creole, Ivorian and Caledonian French, Malagasy, Ewe, Fon, Mooré, Tetum, Tahitian, Gilbertese,
Sesotho and Seychellois Creole lines; a vCard, an iCalendar attendee, a TOML table, an SQL insert,
a GitLab merge request, a Freshdesk ticket, an nginx access line, a journald line, a Slack export), sometimes in
lowercase or capitals. Phone numbers: Haitian, Ivorian, Malagasy, Burkinabè, Togolese, Beninese (the ten
digits from 01), Timorese, French Polynesian, New Caledonian (dotted), I-Kiribati, Basotho and Seychellois
mobile numbers as people write them (written here, not by a library; each valid by ``phonenumbers`` and a
mobile number of its region: the test checks). Cards: written here from brands' prefixes (Visa, Mastercard's
2-series and 5-series, Discover, JCB, UnionPay, Verve, Amex), 15 to 19 digits, each completed by its Luhn
digit, printed in forms of this part's own: fours parted by two spaces, two halves of eight, the six-digit BIN
apart from the rest, fours with a last group of three, Amex's 4-6-5, or in a run. The other types come from
``bench.pii_sets.Makers`` in the es_ES, el_GR and fr_FR locales (only their non-name types are drawn; only IBANs
that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Spanish firm's tax
code (a CIF, ``B`` and eight digits: a firm's, not a person's); a cadastral reference (20 characters); a Spanish
supplier reference of ``ES``, two digits and twenty more in groups (a Spanish IBAN's shape; check digits that
would pass mod-97 are moved by one, so never valid: the test checks); a Haitian parcel number of seven digits
in the shape ``3412-345`` (a Haitian mobile's shape, a digit short: the test checks it is never valid); a gift
card's code of four groups of four digits and a 16-digit Bizum operation number (card shapes; each made to fail
Luhn, so never valid: the test checks); an SNMP OID ``1.3.6.1.4.1...`` and a firmware version of four numbers
(an IP address's shape); coordinates near Antananarivo and Papeete; amounts in euros, gourdes, CFA francs,
ariary, CFP francs, maloti and Seychellois rupees; a Renfe seat.
Word lines: capitalized feasts, places and fairs with no person in them, in Spanish, Catalan, Galician,
Basque, Greek, Haitian Creole, Malagasy, Tahitian, Tetum, Sesotho and Seychellois Creole (some with words that
are also names elsewhere: Sant Joan, Virgen del Pilar, Santa Ana, Fèt Gede, Ayios Georgios, Tiurai).
"""

from __future__ import annotations

import importlib.util
import random
import re
import sqlite3
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

HELDOUT19_SEED = 919647
HELDOUT19_FAKER_LOCALES = ["es_ES", "el_GR", "fr_FR"]  # only their non-name types are drawn
LOCAL_REGIONS = ("HT", "CI", "MG", "BF", "TG", "BJ", "TL", "PF", "NC", "KI", "LS", "SC")
_PARTICLES = {"DE", "DEL", "LA", "LAS", "LOS", "Y", "I", "DA", "DO", "DOS", "VAN", "VON", "DI", "LE"}
_CAPITALS = re.compile(r"Apellidos y nombre|Padrón|DNI|Renfe|Correos|Titular")
_SURNAME_ONLY = re.compile(r"Sr\. |Sra\. |Dña\. |D\. ")
_GIVEN_ONLY = re.compile(
    r"fontanero|Kaixo|Ola |Bon dia|Bonjou|Bonsoir|Salut|Manao ahoana|Ŋdi|A fɔn|Ne y yibeoogo|Bondia|Ia ora na|Mauri|"
    r"Lumela|Bonzour|Γεια"
)


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT19 needs the package {package!r} (spanishfullnamesplitter, the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """The register's given names and surnames, read once, in the file's order (most frequent first)."""
    db = _package_dir("fullnamesplitter") / "names.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        given = [r[0] for r in conn.execute("SELECT nombre FROM nombres ORDER BY rowid") if r[0]]
        surnames = [r[0] for r in conn.execute("SELECT apellido FROM apellidos ORDER BY rowid") if r[0]]
    return {"given": given, "surnames": surnames}


def titled(name: str) -> str:
    """A register name in capitals as people write it: each word capitalized, particles after the first word
    in lowercase (``PITA DE LA VEGA`` -> ``Pita de la Vega``, ``D'ANGELO`` -> ``D'Angelo``)."""
    words = name.split(" ")
    out = [words[0]] + [w if w not in _PARTICLES else w.lower() for w in words[1:]]
    return " ".join(
        w if w.islower() else "-".join("'".join(p.capitalize() for p in h.split("'")) for h in w.split("-"))
        for w in out
    )


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Haitian, Ivorian, Malagasy, Burkinabè, Togolese, Beninese, Timorese, French
    Polynesian, New Caledonian, I-Kiribati, Basotho or Seychellois mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "HT":
        h, r = rng.choice(["31", "34", "36", "37", "38", "39", "46", "47", "48"]), _digits(rng, 6)
        forms = [f"+509 {h}{r[:2]}-{r[2:]}", f"{h} {r[:2]} {r[2:]}", f"(509) {h}{r[:2]}-{r[2:]}", f"{h}{r[:2]}-{r[2:]}"]
    elif country == "CI":
        h, r = rng.choice(["01", "05", "07"]), _digits(rng, 8)
        forms = [
            f"+225 {h} {r[:2]} {r[2:4]} {r[4:6]} {r[6:]}",
            f"{h} {r[:2]} {r[2:4]} {r[4:6]} {r[6:]}",
            f"+225{h}{r}",
            f"{h}.{r[:2]}.{r[2:4]}.{r[4:6]}.{r[6:]}",
        ]
    elif country == "MG":
        h, r = rng.choice(["32", "33", "34", "38"]), _digits(rng, 7)
        forms = [f"+261 {h} {r[:2]} {r[2:5]} {r[5:]}", f"0{h} {r[:2]} {r[2:5]} {r[5:]}", f"0{h}{r}", f"+261{h}{r}"]
    elif country == "BF":
        h, r = rng.choice(["70", "71", "72", "76", "78", "60", "64", "65"]), _digits(rng, 6)
        forms = [f"+226 {h} {r[:2]} {r[2:4]} {r[4:]}", f"{h} {r[:2]} {r[2:4]} {r[4:]}", f"00226 {h}{r}"]
    elif country == "TG":
        h, r = rng.choice(["90", "91", "92", "93", "97", "98", "99"]), _digits(rng, 6)
        forms = [f"+228 {h} {r[:2]} {r[2:4]} {r[4:]}", f"{h} {r[:2]} {r[2:4]} {r[4:]}", f"(+228) {h}{r}"]
    elif country == "BJ":
        h, r = rng.choice(["0190", "0191", "0195", "0196", "0197", "0161", "0166", "0167"]), _digits(rng, 6)
        forms = [
            f"+229 {h[:2]} {h[2:]} {r[:2]} {r[2:4]} {r[4:]}",
            f"{h[:2]} {h[2:]} {r[:2]} {r[2:4]} {r[4:]}",
            f"+229{h}{r}",
        ]
    elif country == "TL":
        h, r = rng.choice(["772", "773", "774", "775", "776", "777", "778"]), _digits(rng, 5)
        forms = [f"+670 {h}{r[0]} {r[1:]}", f"{h}{r[0]} {r[1:]}", f"{h}{r}", f"(+670) {h}{r[0]}-{r[1:]}"]
    elif country == "PF":
        h, r = rng.choice(["87", "89"]), _digits(rng, 6)
        forms = [f"+689 {h} {r[:2]} {r[2:4]} {r[4:]}", f"{h} {r[:2]} {r[2:4]} {r[4:]}", f"{h}.{r[:2]}.{r[2:4]}.{r[4:]}"]
    elif country == "NC":
        h = rng.choice(["75", "76", "77", "78", "79", "81", "82", "83", "84", "85", "86", "87", "89"])
        r = _digits(rng, 4)
        forms = [f"+687 {h}.{r[:2]}.{r[2:]}", f"{h}.{r[:2]}.{r[2:]}", f"{h} {r[:2]} {r[2:]}", f"(687) {h}{r}"]
    elif country == "KI":
        h, r = rng.choice(["72", "73"]), _digits(rng, 5)
        forms = [f"+686 {h}0{r}", f"{h}0{r}", f"+686 {h}0 {r[:2]} {r[2:]}"]
    elif country == "LS":
        h, r = rng.choice(["50", "51", "52", "53", "56", "57", "58", "59", "62", "63"]), _digits(rng, 6)
        forms = [f"+266 {h}{r[:2]} {r[2:]}", f"{h}{r[:2]} {r[2:]}", f"00266 {h}{r}", f"{h}{r[:2]}-{r[2:]}"]
    else:
        h, r = rng.choice(["25", "26", "27", "28"]), _digits(rng, 5)
        forms = [f"+248 {h[0]} {h[1]}{r[:2]} {r[2:]}", f"{h[0]} {h[1]}{r[:2]} {r[2:]}", f"+248 {h}{r}"]
    return country, rng.choice(forms)


# (brand, prefixes, lengths)
_BRANDS = (
    ("visa", ("4",), (16,)),
    ("mastercard 2-series", ("2221", "2300", "2500", "2720"), (16,)),
    ("mastercard", ("51", "53", "55"), (16,)),
    ("discover", ("6011", "644", "649", "65"), (16, 19)),
    ("jcb", ("3528", "3540", "3589"), (16,)),
    ("unionpay", ("622126", "6240", "6282"), (16, 17, 18, 19)),
    ("verve", ("506099", "650002"), (16, 19)),
    ("amex", ("34", "37"), (15,)),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the brands above, passing Luhn, in a form of this part's own: fours parted by two
    spaces, two halves of eight (16 digits), the six-digit BIN apart from the rest, fours with a shorter last
    group, Amex's 4-6-5, or in a run."""
    _, prefixes, lengths = rng.choice(_BRANDS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    style = rng.random()
    if length == 15 and style < 0.7:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    if style < 0.15:
        return number
    if style < 0.35:
        return f"{number[:6]} {number[6:]}"
    if style < 0.5 and length == 16:
        return f"{number[:8]} {number[8:]}"
    fours = [number[i : i + 4] for i in range(0, length, 4)]
    return ("  " if style < 0.75 else " ").join(fours)


class Heldout19Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT19_SEED + 61)
        self.pools = _pools()

    def register(self, template: str = "") -> str:
        rng, pools = self.rng, self.pools
        given, first, second = rng.choice(pools["given"]), rng.choice(pools["surnames"]), rng.choice(pools["surnames"])
        if _CAPITALS.search(template):
            return f"{first} {second}, {given}" if rng.random() < 0.6 else f"{given} {first} {second}"
        if _SURNAME_ONLY.search(template):
            return titled(first) if rng.random() < 0.5 else f"{titled(first)} {titled(second)}"
        if _GIVEN_ONLY.search(template) and rng.random() < 0.7:
            return titled(given)
        roll = rng.random()
        if roll < 0.15:
            return f"{titled(given)} {titled(first)}"
        if roll < 0.25:
            return f"{titled(given)} {titled(first)} i {titled(second)}"
        if roll < 0.35:
            return f"{titled(first)} {titled(second)}, {titled(given)}"
        return f"{titled(given)} {titled(first)} {titled(second)}"

    def person(self, template: str = "") -> str:
        name = self.register(template)
        if _CAPITALS.search(template):
            return name
        return cased(self.rng, name)

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT19_TEMPLATES = [
    "Certificado de empadronamiento. Padrón municipal de Getafe. Apellidos y nombre: {PERSON}",
    "DNI / NIE del titular: {PERSON}, domicilio en calle Mayor 14",
    "Correos: aviso de llegada para {PERSON}, recoger en la oficina de Vallecas",
    "Renfe AVE 03071 Madrid-Sevilla, coche 5, plaza 8A, viajero {PERSON}",
    "Bizum recibido: 25,00 EUR de {PERSON} ({PHONE_NUMBER}), concepto cena",
    "[12/3/26, 21:04] {PERSON}: te paso el número del fontanero {PHONE_NUMBER}",
    "Comunidad de vecinos Alcalá 210: el Sr. {PERSON} (3ºB) no ha pagado la derrama",
    "Estimada Sra. {PERSON}, le confirmamos su cita del martes.",
    "Dña. {PERSON} firma como avalista; tarjeta {CREDIT_CARD}",
    "Bon dia {PERSON}, truca'm al {PHONE_NUMBER} quan puguis",
    "Ola {PERSON}, chámame ao {PHONE_NUMBER} esta tarde",
    "Kaixo {PERSON}, deitu iezadazu {PHONE_NUMBER} zenbakira",
    "Γεια σου {PERSON}, πάρε με στο {PHONE_NUMBER}",
    "Bonjou {PERSON}, rele m nan {PHONE_NUMBER} aswè a",
    "Bonsoir {PERSON}, tu peux m'appeler au {PHONE_NUMBER} demain",
    "Manao ahoana {PERSON}, antsoy aho amin'ny {PHONE_NUMBER}",
    "Ŋdi {PERSON}, ƒo ka nam le {PHONE_NUMBER} dzi",
    "A fɔn ganji a {PERSON}? Ylɔ mì dó {PHONE_NUMBER}",
    "Ne y yibeoogo {PERSON}, bool-m {PHONE_NUMBER} zaabre",
    "Bondia {PERSON}, bele telefone mai {PHONE_NUMBER}",
    "Ia ora na {PERSON}, a niuniu mai i te {PHONE_NUMBER}",
    "Salut {PERSON}, appelle-moi au {PHONE_NUMBER} avant la marée",
    "Mauri {PERSON}, taetae nakoiu n {PHONE_NUMBER}",
    "Lumela {PERSON}, ntšebelisa ho {PHONE_NUMBER}",
    "Bonzour {PERSON}, apel mwan lo {PHONE_NUMBER}",
    "BEGIN:VCARD\nFN:{PERSON}\nTEL;TYPE=cell:{PHONE_NUMBER}\nEND:VCARD",
    "ATTENDEE;CN={PERSON};ROLE=REQ-PARTICIPANT:mailto:{EMAIL_ADDRESS}",
    '[owner]\nname = "{PERSON}"\nemail = "{EMAIL_ADDRESS}"',
    "INSERT INTO clientes (nombre, movil) VALUES ('{PERSON}', '{PHONE_NUMBER}');",
    "!482 opened by {PERSON}: fix the Renfe timetable parser",
    "Freshdesk #90213 from {PERSON} <{EMAIL_ADDRESS}>: no puedo entrar",
    '{IP_ADDRESS} - - [12/Mar/2026:10:14:02 +0100] "GET /perfil HTTP/1.1" 200 5120',
    "mar 12 10:14:02 web01 sshd[2231]: Failed password for root from {IP_ADDRESS}",
    '{{"user_profile": {{"real_name": "{PERSON}"}}, "text": "call {PHONE_NUMBER}"}}',
    "Titular de la tarjeta: {PERSON}\nNúmero: {CREDIT_CARD}",
    "Pago con tarjeta {CREDIT_CARD} — {PERSON}",
    "Κάρτα {CREDIT_CARD}, κάτοχος {PERSON}",
    "IBAN {IBAN_CODE} a nombre de {PERSON}",
    "SSN {US_SSN} on file for {PERSON}",
    "{PERSON} y {PERSON} cubren el turno de noche",
    "Llamada perdida de {PERSON} {PHONE_NUMBER}",
    "transfer to {PERSON}, IBAN {IBAN_CODE}",
]
HELDOUT19_NEGATIVES = [
    "CIF B{zip4}{c}{q} (Construcciones Getafe S.L.)",
    "Referencia catastral {zip4}{c}VK{b:02d}{d:02d}{q}0001ZH",
    "Ref. proveedor ES{a:02d} {zip4} {m:02d}{d:02d} {b:02d}{d2:02d} {c}{q} {zip4}",  # made to fail mod-97
    "Kolis 34{b:02d}-{c}, Pòtoprens",
    "Tarjeta regalo {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d}",  # made to fail Luhn
    "Bizum operación {zip4}{m:02d}{d:02d}{c}{q}{b:02d}{d2:02d}",  # made to fail Luhn
    "SNMP OID 1.3.6.1.4.1.{c}.{q}",
    "firmware 3.{a}.{b}.{q} instalado",
    "Antananarivo -18.{zip4}{q} 47.{c}{b}",
    "Papeete -17.{zip4}{q} -149.{c}{a}",
    "Total {c},{b:02d} € IVA incl., ticket {order}",
    "HTG {a},{c} peye, resi {order}",
    "{a} {c} FCFA payés, reçu {order}",
    "Ar {a} {c} voaloa, tapakila {order}",
    "{c} XPF, facture {order}",
    "M{c}.{b:02d} lefiloe, rasiti {order}",
    "SCR {c}.{b:02d}, resi {order}",
    "Renfe Alvia {c}, {q}:{d:02d}, coche {a}, plaza {b}C",
    "Expediente {year}/{order} del Juzgado n.º {a}",
    "Lote {zip4}-{b:02d}, caducidad {d:02d}/{m:02d}/{year}",
]
HELDOUT19_WORD_NEGATIVES = [
    "Fiestas del Pilar Zaragoza",
    "Virgen del Pilar Ofrenda de Flores",
    "Semana Grande Bilbao Aste Nagusia",
    "Tamborrada Donostia {year}",
    "Festa Major de Gràcia",
    "Revetlla de Sant Joan Barcelona",
    "Rapa das Bestas Sabucedo",
    "Festa do Pulpo O Carballiño",
    "Panigiri Ayios Georgios Arachova",
    "Apokries Patras Karnavali",
    "Kanaval Jakmèl Sid Est",
    "Fèt Gede Simityè Pòtoprens",
    "Santa Ana Famadihana Antsirabe",
    "Donia Festival Nosy Be",
    "Heiva i Tahiti Papeete",
    "Tiurai Pirae Motu Uta",
    "Festival Tais Dili Timor",
    "Morija Arts Cultural Festival",
    "Festival Kreol Mahé Victoria",
    "Moros y Cristianos Alcoy",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT19."""
    texts = (HELDOUT19_TEMPLATES, HELDOUT19_NEGATIVES, HELDOUT19_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT19_SEED,
        HELDOUT19_FAKER_LOCALES,
        Heldout19Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout19.txt",
        never_valid,
    )


_REFERENCE = re.compile(r"Ref\. proveedor ES(\d\d)((?: \d{4}){5})")
_CARD_SHAPED = re.compile(r"(?:Tarjeta regalo|Bizum operación) ([\d ]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a supplier reference that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _REFERENCE, "ES"), _CARD_SHAPED)
