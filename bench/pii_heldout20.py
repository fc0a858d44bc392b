"""HELDOUT20: the twentieth held-out PII part, made because HELDOUT19's misses were studied (issue 9, item 8,
the seventeenth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from a package that no earlier part and no name list was built from, read from its data files
without importing it:

- ``names-dataset``'s tables (``names_dataset/v3/first_names.pkl.gz`` and ``last_names.pkl.gz``: the first
  names and last names people wrote on a social network, each with its rank in the countries where it is
  common), of twelve countries whose names no part drew: Fiji (``Viliame Waqa``, ``Krishneel Goundar``), Haiti
  (``Guerline Louissaint``), Puerto Rico (``Migdalia Irizarry``), Jamaica (``Oshane Campbell``), Turkmenistan
  (``Myrat Atayew``, and in Cyrillic ``Батыр Мамедов``), Bolivia (Aymara and Quechua surnames: ``Quispe``,
  ``Mamani``, ``Choque``), Burundi (``Irakoze Ndayishimiye``), Djibouti (``Houssein Djama``), the Maldives
  (``Aishath Rasheed``), Macau (``Ieong``, ``Cheang``), Yemen (in the Arabic script: ``صالح الشرعبي``) and
  Namibia (``Ndapewa Shikongo``). The 400 best-ranked first names and 400 last names of each country are kept,
  less words that are no name (the country's own name and the like, see ``_NOT_NAMES``), as people wrote them
  (nicknames included). They are written in forms of their own: a boarding pass's ``SURNAME/GIVEN MR``, an HL7
  segment's ``Surname^Given``, an initial and a surname (``T. Waqa``), ``Surname, Given``, a given name alone in
  a greeting, a surname alone after a title, sometimes in lowercase or capitals.

Names are written in templates the other parts lack (a boarding pass, an HL7 PID segment, an LDIF entry, a git
trailer, a fail2ban line, a Telegram export, a hotel registration card, a semicolon CSV, an XML element, a
Kubernetes annotation, a Zendesk macro, an Outlook header, a Jira mention, a pharmacy label; Fijian, Fiji Hindi,
Papiamento, Puerto Rican and Dominican Spanish, Bahamian English, Turkmen, Aymara, Quechua, Kirundi, Somali, Dhivehi
in Latin letters, Cantonese in Latin letters, Palauan, Pohnpeian, Otjiherero and Kuwaiti Arabizi lines, and Yemeni
Arabic in its script). Phone numbers: Puerto Rican, Dominican, Bahamian, Aruban, Curaçaoan, Kuwaiti, Jordanian,
Yemeni, Sudanese, Burundian, Micronesian and Palauan mobile numbers as people write them (written here, not by a
library; each valid by ``phonenumbers`` and a mobile number of its region, or one the library cannot tell from a
fixed line: the test checks). Cards: written here from brands' prefixes no part wrote this way (Mir, Troy, RuPay,
Elo, Hipercard, Diners Club's 14 digits, UATP's 15, Maestro's 12 to 19), each completed by its Luhn digit, in forms
of this part's own: fours parted by dots, fours parted by `` - ``, Diners' 4-6-4, UATP's 4-5-6, a run after ``No.``
or ``#``, fours in brackets. The other types come from ``bench.pii_sets.Makers`` in the pt_PT, it_IT and en_IE
locales (only their non-name types are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Puerto Rican utility
account ``787-0xx-xxxx`` (a phone's shape, but an exchange that starts with 0 or 1, never valid: the test checks); a
Kuwaiti civil-service case number of eight digits starting with 3 (a Kuwaiti number's length, a first digit no
Kuwaiti number has: the test checks it is never valid); a loyalty number of four groups of four and a 19-digit
Elo-style voucher (card shapes; each made to fail Luhn, so never valid: the test checks); an Italian supplier code
``IT`` + two digits + 23 characters in groups (an Italian IBAN's shape; check digits that would pass mod-97 are
moved by one, so never valid: the test checks); a Windows build ``10.0.19045.3803`` and an LDAP OID
``2.16.840.1...`` (an IP address's shape); coordinates near Suva, Koror and Aden; amounts in Bahamian dollars,
Aruban florins, Kuwaiti dinars, Jordanian dinars, Yemeni rials, Sudanese pounds, Burundian francs, manat and
bolivianos; a flight, a gate and a seat.
Word lines: capitalized feasts, places and fairs with no person in them, in Fijian, Papiamento, Puerto Rican
Spanish, Jamaican Creole, Turkmen, Aymara, Kirundi, Somali, Dhivehi, Palauan and Oshiwambo (some with words
that are also names elsewhere: San Sebastián, Santa Cruz, Dia di Betico, Alasitas, Gran Poder).
"""

from __future__ import annotations

import gzip
import importlib.util
import pickle
import random
import re
import unicodedata
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

HELDOUT20_SEED = 2020647
HELDOUT20_FAKER_LOCALES = ["pt_PT", "it_IT", "en_IE"]  # only their non-name types are drawn
NAME_COUNTRIES = ("FJ", "HT", "PR", "JM", "TM", "BO", "BI", "DJ", "MV", "MO", "YE", "NA")
LOCAL_REGIONS = ("PR", "DO", "BS", "AW", "CW", "KW", "JO", "YE", "SD", "BI", "FM", "PW")
TOP = 400  # the best-ranked first and last names kept per country
# Words the tables rank among a country's names that are no one's name: the country's own name, its
# abbreviations and the like.
_NOT_NAMES = {
    "Fiji", "Haiti", "Puerto", "Rico", "Puerto Rico", "Jamaica", "Turkmenistan", "Bolivia", "Burundi", "Djibouti",
    "Maldives", "Macau", "Macao", "Yemen", "Namibia", "Bw", "Hm", "Hs", "Bn", "Kwt", "Unruly", "Kxng",
    "ام", "أم", "Um", "Om",  # "mother of": the start of a name, never one alone
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_BOARDING = re.compile(r"PASSENGER|Passenger name|NAME OF PASSENGER")
_HL7 = re.compile(r"PID\|")
_SURNAME_ONLY = re.compile(r"Mr\. |Mrs\. |Ms\. |Sr\. |Sra\. |Dr\. |Miss ")
_GIVEN_ONLY = re.compile(
    r"Ni sa bula|Kon ta bai|Wepa|Klk|Yo |Ýagşymy|Kamisaki|Imaynalla|Amahoro|Nabad|Kihineh|Nei hou|Ungil tutau|"
    r"Kaselehlie|Moro |Hayyak|مرحبا|Kaise ho"
)
_INITIAL = re.compile(r"Signed-off-by|Co-authored-by|dn: |Rx for")


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT20 needs the package {package!r} (names-dataset, the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def script(name: str) -> str:
    """ "Latin", "Cyrillic" or "Arabic" when every letter of ``name`` is of that script, else "" (a mix, or
    another script: Hangul and Han names of a country's incomers are left out)."""
    scripts = {unicodedata.name(c, "?").split(" ")[0] for c in name if c.isalpha()}
    return next(iter(scripts)).capitalize() if len(scripts) == 1 and scripts <= {"LATIN", "CYRILLIC", "ARABIC"} else ""


def _is_name(name: str) -> bool:
    words_ok = all(_WORD.fullmatch(w) for w in name.split(" "))
    return name not in _NOT_NAMES and words_ok and len(name) >= 2 and script(name) != ""


def _ranked(table: dict, country: str) -> list[str]:
    ranked = sorted((v["rank"][country], k) for k, v in table.items() if country in v["rank"] and _is_name(k))
    return [k for _, k in ranked[:TOP]]


@lru_cache(maxsize=1)
def _pools() -> dict[str, dict[str, list[str]]]:
    """{country: {"first": [...], "last": [...]}}, each list best-ranked first; the tables are read one at a time
    and let go (each is large), only these lists are kept."""
    data = _package_dir("names_dataset") / "v3"
    pools: dict[str, dict[str, list[str]]] = {c: {} for c in NAME_COUNTRIES}
    for key, file in (("first", "first_names.pkl.gz"), ("last", "last_names.pkl.gz")):
        with gzip.open(data / file) as f:
            table = pickle.load(f)  # the package's own data file, shipped in its wheel
        for country in NAME_COUNTRIES:
            pools[country][key] = _ranked(table, country)
        del table
    return pools


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Puerto Rican, Dominican, Bahamian, Aruban, Curaçaoan, Kuwaiti, Jordanian, Yemeni,
    Sudanese, Burundian, Micronesian or Palauan mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country in ("PR", "DO"):
        area = rng.choice(["787", "939"] if country == "PR" else ["809", "829", "849"])
        x, r = rng.choice("23456789") + _digits(rng, 2), _digits(rng, 4)
        forms = [
            f"({area}) {x}-{r}",
            f"+1 {area} {x} {r}",
            f"{area}-{x}-{r}",
            f"1-{area}-{x}-{r}",
            f"+1 ({area}) {x}-{r}",
        ]
    elif country == "BS":
        x, r = (
            rng.choice(["359", "357", "375", "395", "422", "441", "452", "477", "524", "551", "636", "727", "801"]),
            _digits(rng, 4),
        )
        forms = [f"(242) {x}-{r}", f"+1 242 {x} {r}", f"242-{x}-{r}", f"1 (242) {x}-{r}"]
    elif country == "AW":
        x, r = rng.choice(["560", "563", "569", "592", "594", "699", "690", "731", "740", "747"]), _digits(rng, 4)
        forms = [f"+297 {x} {r}", f"{x}-{r}", f"+297{x}{r}", f"(297) {x} {r}"]
    elif country == "CW":
        x, r = rng.choice(["51", "52", "54", "56", "57", "65", "66", "67"]), _digits(rng, 5)
        forms = [f"+599 9 {x}{r[0]} {r[1:]}", f"+5999 {x}{r[0]}-{r[1:]}", f"9 {x}{r[0]} {r[1:]}", f"(+599) 9{x}{r}"]
    elif country == "KW":
        x, r = rng.choice(["50", "55", "66", "90", "94", "96", "97", "99"]), _digits(rng, 6)
        forms = [f"+965 {x}{r[:2]} {r[2:]}", f"{x}{r[:2]} {r[2:]}", f"00965{x}{r}", f"{x}{r[:2]}-{r[2:]}"]
    elif country == "JO":
        x, r = rng.choice(["77", "78", "79"]), _digits(rng, 6)
        r = rng.choice("01256789" if x != "79" else "0123456789") + r  # 773, 774, 783, 784 are no mobiles
        forms = [f"+962 {x} {r[:3]} {r[3:]}", f"0{x} {r[:3]} {r[3:]}", f"0{x}{r}", f"00962 {x} {r}"]
    elif country == "YE":
        x, r = rng.choice(["70", "71", "73", "77", "78"]), _digits(rng, 7)
        forms = [
            f"+967 {x}{r[0]} {r[1:4]} {r[4:]}",
            f"0{x}{r[0]} {r[1:4]} {r[4:]}",
            f"{x}{r[0]}{r[1:]}",
            f"00967-{x}{r}",
        ]
    elif country == "SD":
        x, r = rng.choice(["91", "92", "90", "99", "96", "12", "11"]), _digits(rng, 7)
        forms = [f"+249 {x} {r[:3]} {r[3:]}", f"0{x}{r[0]} {r[1:4]} {r[4:]}", f"0{x}{r}", f"00249{x}{r}"]
    elif country == "BI":
        x, r = rng.choice(["61", "62", "65", "68", "69", "71", "72", "75", "76", "77", "79", "29"]), _digits(rng, 6)
        forms = [
            f"+257 {x} {r[:2]} {r[2:4]} {r[4:]}",
            f"{x} {r[:2]} {r[2:4]} {r[4:]}",
            f"+257{x}{r}",
            f"(+257) {x}{r[:2]}-{r[2:]}",
        ]
    elif country == "FM":
        x, r = rng.choice(["920", "925", "930", "940", "950", "960", "970", "350", "320", "330"]), _digits(rng, 4)
        r = rng.choice("123456789") + r[1:] if x[0] == "3" else r  # 3x0 is followed by 1 to 9
        forms = [f"+691 {x} {r}", f"{x}-{r}", f"(691) {x}-{r}", f"+691{x}{r}"]
    else:
        x, r = (
            rng.choice(["620", "630", "640", "660", "680", "690", "780", "775", "779", "880", "884", "455"]),
            _digits(rng, 4),
        )
        forms = [f"+680 {x} {r}", f"{x}-{r}", f"(680) {x}-{r}", f"+680{x}{r}"]
    return country, rng.choice(forms)


# (brand, prefixes, lengths)
_BRANDS = (
    ("mir", ("2200", "2201", "2202", "2204"), (16,)),
    ("troy", ("9792",), (16,)),
    ("rupay", ("508", "6521", "6522", "607"), (16,)),
    ("elo", ("636368", "438935", "504175", "451416", "509048"), (16,)),
    ("hipercard", ("606282", "384100"), (16, 19)),
    ("diners", ("300", "305", "36", "38"), (14,)),
    ("uatp", ("1",), (15,)),
    ("maestro", ("5018", "5020", "5038", "6304", "6759"), (12, 13, 16, 19)),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the brands above, passing Luhn, in a form of this part's own: fours parted by dots or
    by `` - ``, Diners' 4-6-4, UATP's 4-5-6, a run after ``No.`` or ``#``, fours in brackets (the label is the
    digits and what parts them, never the ``No.``, ``#`` or brackets)."""
    _, prefixes, lengths = rng.choice(_BRANDS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    style = rng.random()
    if length == 14 and style < 0.7:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    if length == 15 and style < 0.7:
        return f"{number[:4]} {number[4:9]} {number[9:]}"
    if style < 0.2:
        return number
    fours = [number[i : i + 4] for i in range(0, length, 4)]
    if style < 0.5:
        return ".".join(fours)
    if style < 0.75:
        return " - ".join(fours)
    return " ".join(fours)


class Heldout20Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT20_SEED + 67)
        self.pools = _pools()

    def written(self, template: str = "") -> str:
        rng = self.rng
        pool = self.pools[rng.choice(NAME_COUNTRIES)]
        first = rng.choice(pool["first"])
        if _BOARDING.search(template) or _HL7.search(template):
            while script(first) != "Latin":  # a boarding pass or a lab's system writes Latin letters
                first = rng.choice(pool["first"])
        last = rng.choice([n for n in pool["last"] if script(n) == script(first)])  # one script in a name
        if _BOARDING.search(template):
            return f"{last.upper()}/{first.upper()}" + rng.choice(["", " MR", " MRS", " MS"])
        if _HL7.search(template):
            return f"{last}^{first}"
        if _SURNAME_ONLY.search(template):
            return last
        if _GIVEN_ONLY.search(template) and rng.random() < 0.7:
            return first
        if _INITIAL.search(template) and rng.random() < 0.4:
            return f"{first[0]}. {last}"
        roll = rng.random()
        if roll < 0.15:
            return f"{last}, {first}"
        if roll < 0.25:
            second = rng.choice([n for n in pool["first"] if script(n) == script(first)])
            return f"{first} {second} {last}" if second != first else f"{first} {last}"
        return f"{first} {last}"

    def person(self, template: str = "") -> str:
        name = self.written(template)
        if _BOARDING.search(template) or _HL7.search(template):
            return name
        return cased(self.rng, name)

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT20_TEMPLATES = [
    "BOARDING PASS FJ 910 NAN-SUV\nPASSENGER: {PERSON}\nSEAT 14C GATE 3",
    "Passenger name: {PERSON} | Flight JY 218 | PNR QX7T2L",
    "MSH|^~\\&|LAB|CLINIC|||202603121014||ORU^R01|4471|P|2.5\nPID|1||88231^^^CLINIC||{PERSON}||19840312|F",
    "dn: uid=staff417,ou=people,dc=example,dc=org\ncn: {PERSON}\ntelephoneNumber: {PHONE_NUMBER}",
    "Fix the tide table parser\n\nSigned-off-by: {PERSON} <{EMAIL_ADDRESS}>",
    "Co-authored-by: {PERSON} <{EMAIL_ADDRESS}>",
    '{{"from": "{PERSON}", "from_id": "user88213", "text": "call me {PHONE_NUMBER}"}}',
    "HOTEL REGISTRATION — Room 214 — Guest: {PERSON} — Mobile: {PHONE_NUMBER}",
    "id;nombre;telefono\n4471;{PERSON};{PHONE_NUMBER}",
    "<contact><name>{PERSON}</name><mobile>{PHONE_NUMBER}</mobile></contact>",
    "metadata:\n  annotations:\n    owner: {PERSON}\n    oncall: '{PHONE_NUMBER}'",
    "Zendesk macro applied by {PERSON}: refund approved to card {CREDIT_CARD}",
    "From: {PERSON} <{EMAIL_ADDRESS}>\nSent: Thursday, 12 March 2026 10:14\nSubject: invoice",
    "[~{PERSON}] can you check the failing deploy?",
    "Rx for {PERSON}: amoxicillin 500 mg, call {PHONE_NUMBER} when ready",
    "Dear Mrs. {PERSON}, your parcel is at the Suva post office.",
    "Sr. {PERSON} firmó el contrato; tarjeta No. {CREDIT_CARD}",
    "Ni sa bula {PERSON}, qiri mai ena {PHONE_NUMBER}",
    "Kaise ho {PERSON}, hamke {PHONE_NUMBER} pe phone kar dena",
    "Kon ta bai {PERSON}? Yama mi na {PHONE_NUMBER}",
    "Wepa {PERSON}, llámame al {PHONE_NUMBER} mañana",
    "Klk {PERSON}, tírame al {PHONE_NUMBER}",
    "Yo {PERSON}, holla at me on {PHONE_NUMBER} bey",
    "Ýagşymy {PERSON}, maňa {PHONE_NUMBER} belgä jaň et",
    "Kamisaki {PERSON}, {PHONE_NUMBER} ukaru jawsañamawa",
    "Imaynalla {PERSON}, {PHONE_NUMBER} nisqaman waqyamuway",
    "Amahoro {PERSON}, nterefona kuri {PHONE_NUMBER}",
    "Nabad {PERSON}, telefoonka {PHONE_NUMBER} iga soo garaac",
    "Kihineh {PERSON}, {PHONE_NUMBER} ah gulhaalaa",
    "Nei hou {PERSON}, call ngo {PHONE_NUMBER} la",
    "Ungil tutau {PERSON}, mengetengui er a {PHONE_NUMBER}",
    "Kaselehlie {PERSON}, kahlingan ehu {PHONE_NUMBER}",
    "Moro {PERSON}, ndji isana ku {PHONE_NUMBER}",
    "Hayyak {PERSON}, dig 3alay {PHONE_NUMBER} ba3d il-maghrib",
    "مرحبا {PERSON}، اتصل بي على {PHONE_NUMBER}",
    "Card # {CREDIT_CARD} on file for {PERSON}",
    "Pagamento com cartão {CREDIT_CARD} — titular {PERSON}",
    "Carta [{CREDIT_CARD}] intestata a {PERSON}",
    "IBAN {IBAN_CODE} intestato a {PERSON}",
    "SSN {US_SSN} on file for {PERSON}",
    "{PERSON} and {PERSON} swapped the night shift",
    "login ok user={EMAIL_ADDRESS} src={IP_ADDRESS} agent=curl/8.5",
    "2026-03-12 10:14:02,118 fail2ban.actions [1312]: NOTICE [sshd] Ban {IP_ADDRESS}",
    "transfer to {PERSON}, IBAN {IBAN_CODE}",
]
HELDOUT20_NEGATIVES = [
    "Utility account 787-0{b:02d}-{zip4} (AAA Puerto Rico)",  # an exchange from 0: never a number
    "Civil service case 3{c}{zip4}",  # eight digits from 3: no Kuwaiti number
    "Loyalty card {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d}",  # made to fail Luhn
    "Voucher 6363{zip4}{m:02d}{d:02d}{c}{q}{b:02d}{q}",  # 19 digits, made to fail Luhn
    "Codice fornitore IT{a:02d} X{c} {zip4} {m:02d}{d:02d} {b:02d}{d2:02d} {zip4} {c}",  # made to fail mod-97
    "Windows 10.0.{zip4}.{c} installed",
    "LDAP OID 2.16.840.1.{c}.{q}",
    "Suva -18.{zip4}{q} 178.{c}{b}",
    "Koror 7.{zip4}{q} 134.{c}{a}",
    "Aden 12.{zip4}{q} 45.{c}{b}",
    "B${c}.{b:02d} paid, receipt {order}",
    "Afl. {c},{b:02d} betaal, recibo {order}",
    "KWD {a}.{c} paid, ref {order}",
    "JOD {c}.{b:02d}, invoice {order}",
    "{a},{c} ريال يمني، فاتورة {order}",
    "SDG {c},{b:02d} — receipt {order}",
    "FBu {a} {c} yishuwe, resi {order}",
    "{c} TMT tölendi, kwitansiýa {order}",
    "Bs. {c},{b:02d} pagado, factura {order}",
    "Flight FJ {c}, gate {a}, seat {b}C, boarding {q}:{d:02d}",
]
HELDOUT20_WORD_NEGATIVES = [
    "Hibiscus Festival Suva",
    "Bula Festival Nadi Town",
    "Dia di Betico Oranjestad",
    "Carnaval Willemstad Tumba Festival",
    "Fiestas de la Calle San Sebastián",
    "Festival de Santiago Apóstol Loíza",
    "Junkanoo Bay Street Nassau",
    "Reggae Sumfest Montego Bay",
    "Ruhnama Ashgabat Garaşsyzlyk Baýramy",
    "Alasitas Ekeko La Paz",
    "Gran Poder Fiesta Santa Cruz",
    "Umuganuro Gitega Burundi",
    "Xuska Xorriyadda Djibouti Ville",
    "Kuda Eid Malé Hulhumalé",
    "Olechotel Belau Koror",
    "Oshituthi Shomuhoko Oshakati",
    "Festa da Lusofonia Macau",
    "Liberation Day Pohnpei Kolonia",
    "Sanaa Old City Bab al-Yemen",
    "Independence Day Windhoek Heroes Acre",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT20."""
    texts = (HELDOUT20_TEMPLATES, HELDOUT20_NEGATIVES, HELDOUT20_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT20_SEED,
        HELDOUT20_FAKER_LOCALES,
        Heldout20Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout20.txt",
        never_valid,
    )


_SUPPLIER = re.compile(r"Codice fornitore IT(\d\d) (X[\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Loyalty card|Voucher) ([\d ]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a supplier code that happens to pass the IBAN check given check digits one higher (one lower
    from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9): the
    shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _SUPPLIER, "IT"), _CARD_SHAPED)
