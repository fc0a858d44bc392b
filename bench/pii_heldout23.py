"""HELDOUT23: the twenty-third held-out PII part, made because HELDOUT22's misses were studied (issue 9, item 8,
the twentieth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from a package that no earlier part and no name list was built from, read from its data file
without importing it: ``persian-gender-detection`` (gender by Persian first name), ``gender/iranianNamesDataset.csv``
(19881 Iranian given names in the Persian script, each marked M, F or both; those of Persian letters and spaces
are drawn, compounds such as ``حاج غلام`` and ``محمدرضا`` among them). The file has no surnames, so its names
stand where a given name stands alone: after ``سلام`` or before ``جان``/``عزیز`` in a Persian chat, after
``آقای``/``خانم``, in an Iranian form's ``نام`` and ``نام پدر`` (father's name) fields (men's names there), two
joined by ``و``; and, written in the Persian script, in lines of other languages where Iranians abroad are named
as they write themselves (a Telegram or CI display name, a hotel register, a shipping notice, a vCard, a BibTeX
author, a SEPA XML ``<Nm>``). The other sources looked at and left: ``rname``'s Spanish and Polish lists (the
registers HELDOUT19 and HELDOUT16 drew), ``python-greek-names`` and ``nombres-arg`` (no lists in the package:
rules, or a download at run time), ``dame-sexo`` (American baby names, as the census lists spent).

Templates the other parts lack: a vCard, a BibTeX entry, a SEPA XML ``<Nm>``, a Spanish ``Expediente`` and
``Registro Civil`` form, an Equatoguinean ``DIP`` form, a Monaco and a San Marino hotel register line, a Cayman
and a Bermuda shipping notice, a Telegram chat in Persian, an Iranian form with ``نام پدر``, a Jenkins build log,
a Zendesk macro; greetings of Fang, Bubi, Forro (São Tomé), Guinea-Bissau Kriol, Monégasque, Sammarinese
Romagnol, Saint Lucian Kwéyòl, Grenadian and Caymanian English, Tigrinya in Latin letters and Juba Arabic.
Phone numbers: mobile numbers of Congo (Brazzaville), Equatorial Guinea, São Tomé and Príncipe, Guinea-Bissau,
San Marino, Monaco, the Cayman Islands, Bermuda, Saint Lucia, Grenada, Eritrea and South Sudan as people write
them (written here, not by a library; each valid by ``phonenumbers`` and a mobile number of its region: the
test checks). Cards: written here from issuers' prefixes (JCB's 3528 to 3589, UnionPay's 62 of 16 to 19
digits, RuPay's 6521 and 6522, Verve's 5061, Elo's 6362, Hipercard's 6062, Visa's 4, Mastercard's 2221 to
2720), each completed by its Luhn digit, in forms of this part's own: fours parted by no-break spaces, the
issuer's six digits and the rest parted by a space, fours parted by `` – `` (an en dash), fours and a last group
of three in a nineteen-digit number parted by slashes (in templates of its own: after ``Tarjeta nº``, in a
vCard note, in a SEPA XML field, in a Persian payment line). The other types come from
``bench.pii_sets.Makers`` in the es_ES, it_IT and en_IE locales (only their non-name types are drawn; only IBANs
that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a batch number ``220``
+ six digits (an Equatoguinean mobile number's length and leading 22, but a prefix no number there has: the test
checks it is never valid); a Bermuda permit ``441-`` + ``1`` + two digits + four (a NANP number's shape with
an exchange that begins with 1, so never valid: the test checks); a warranty code and a library barcode of 16
digits in fours (card shapes; each made to fail Luhn, so never valid: the test checks); a file reference
``MC`` + two digits + twenty-three digits in groups (a Monaco IBAN's shape; check digits that would pass mod-97
are moved by one, so never valid: the test checks); an OID arc ``1.3.{c}.{a}``, a firmware ``2.{a}.{c}.{b}``
and a statute article ``3.{a}.{b}.{q}`` (an IP address's shape); coordinates near Malabo, Monaco, George Town,
Hamilton and Asmara; amounts in CFA francs, dobras, Cayman, Bermuda and East Caribbean dollars, nakfa, South
Sudanese pounds and rials; a Persian tracking code and a ferry seat.
Word lines: capitalized festivals, places and fairs with no person in them, in Spanish of Equatorial Guinea,
Portuguese of São Tomé and Guinea-Bissau, Monégasque, Italian of San Marino, Caymanian, Bermudian, Saint Lucian
and Grenadian English and Kwéyòl, Tigrinya (in the Ge'ez script) and Persian (some with words that are also
names elsewhere: Santa Devota, Saint Lucia, George Town, Somerset, Santo António).
"""

from __future__ import annotations

import csv
import importlib.util
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT23_SEED = 2323917
HELDOUT23_FAKER_LOCALES = ["es_ES", "it_IT", "en_IE"]  # only their non-name types are drawn
LOCAL_REGIONS = ("CG", "GQ", "ST", "GW", "SM", "MC", "KY", "BM", "LC", "GD", "ER", "SS")
_PERSIAN_NAME = re.compile(r"[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u0622 ]+")


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT23 needs the package {package!r} (persian-gender-detection, the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """{"male", "female"}: the file's names of Persian letters and spaces, by the gender it gives (a name of both
    genders in both; none with a one-letter word, as the file's ``آ زاد``)."""
    table = _package_dir("persian_gender_detection") / "gender" / "iranianNamesDataset.csv"
    with table.open(encoding="utf-8", newline="") as f:
        rows = [(row["Names"].strip(), row["Gender"].strip()) for row in csv.DictReader(f)]
    names = [(n, g) for n, g in rows if _PERSIAN_NAME.fullmatch(n) and all(len(w) > 1 for w in n.split(" "))]
    return {"male": [n for n, g in names if "M" in g], "female": [n for n, g in names if "F" in g]}


def _pairs(s: str) -> str:
    return " ".join(s[i : i + 2] for i in range(0, len(s), 2))


def _nanp(rng: random.Random, area: str, exchanges: tuple[str, ...]) -> list[str]:
    exchange = rng.choice(exchanges)
    line = _digits(rng, 4)
    return [
        f"({area}) {exchange}-{line}",
        f"+1 {area} {exchange} {line}",
        f"{area}-{exchange}-{line}",
        f"1-{area}-{exchange}-{line}",
    ]


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a mobile number of Congo (Brazzaville), Equatorial Guinea, São Tomé and Príncipe,
    Guinea-Bissau, San Marino, Monaco, the Cayman Islands, Bermuda, Saint Lucia, Grenada, Eritrea or South Sudan
    as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "CG":
        n = "0" + rng.choice("456") + _digits(rng, 7)
        forms = [f"{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", f"+242 {n[:2]} {n[2:5]} {n[5:]}", f"+242{n}", n]
    elif country == "GQ":
        n = rng.choice(["222", "551", "555", "556"]) + _digits(rng, 6)
        forms = [f"{n[:3]} {_pairs(n[3:])}", f"+240 {n[:3]} {n[3:6]} {n[6:]}", f"00240 {n}", f"(+240) {n}"]
    elif country == "ST":
        n = "9" + rng.choice("89") + _digits(rng, 5)
        forms = [f"{n[:3]} {n[3:]}", f"+239 {n[:3]} {n[3:]}", f"+239-{n}", f"00239 {n[:3]}-{n[3:]}"]
    elif country == "GW":
        n = rng.choice(["95", "966", "969", "977"])
        n += _digits(rng, 9 - len(n))
        forms = [f"{n[:3]} {n[3:6]} {n[6:]}", f"+245 {n[:3]} {n[3:6]} {n[6:]}", f"+245{n}", f"00245-{n}"]
    elif country == "SM":
        n = rng.choice(["66", "61"]) + _digits(rng, 6)
        forms = [f"{n[:2]} {_pairs(n[2:])}", f"+378 {n}", f"+378 {n[:4]} {n[4:]}", f"00378-{n}"]
    elif country == "MC":
        n = "6" + _digits(rng, 8)
        forms = [
            f"+377 {n[0]} {_pairs(n[1:])}",
            f"0{n[0]} {_pairs(n[1:])}",
            f"(+377) {n}",
            "0" + ".".join([n[0]] + _pairs(n[1:]).split()),
        ]
    elif country == "KY":
        forms = _nanp(rng, "345", ("321", "325", "329", "649", "916", "917", "919", "926"))
    elif country == "BM":
        forms = _nanp(rng, "441", ("370", "335", "505", "599", "702", "777", "800", "920"))
    elif country == "LC":
        forms = _nanp(rng, "758", ("284", "285", "287", "384", "461", "484", "489", "518", "584", "712", "720"))
    elif country == "GD":
        forms = _nanp(rng, "473", ("402", "405", "409", "414", "419", "420", "449", "456", "520", "533", "538"))
    elif country == "ER":
        n = "7" + _digits(rng, 6)
        forms = [f"0{n[0]} {n[1:4]} {n[4:]}", f"+291 {n[0]} {n[1:4]} {n[4:]}", f"+2917{n[1:]}", f"00291 {n}"]
    else:
        n = "9" + rng.choice("125789") + _digits(rng, 7)
        forms = [f"0{n[:3]} {n[3:6]} {n[6:]}", f"+211 {n[:3]} {n[3:6]} {n[6:]}", f"+211{n}", f"0{n}"]
    return country, rng.choice(forms)


# (prefixes, lengths)
_ISSUERS = (
    (tuple(str(p) for p in range(3528, 3590)), (16,)),
    (("62",), (16, 17, 18, 19)),
    (("6521", "6522"), (16,)),
    (("5061",), (16, 19)),
    (("6362",), (16,)),
    (("6062",), (16,)),
    (("4",), (16,)),
    (("2221", "2300", "2500", "2720"), (16,)),
)
NBSP = "\u00a0"


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: fours parted by
    no-break spaces, the first six digits and the rest parted by a space, fours parted by `` – ``, a nineteen-digit
    number's fours and three parted by slashes, or plain (the label is the digits and what parts them)."""
    prefixes, lengths = rng.choice(_ISSUERS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    fours = [number[i : i + 4] for i in range(0, length, 4)]
    style = rng.random()
    if length == 19 and style < 0.6:
        return "/".join(fours)
    if style < 0.15:
        return number
    if style < 0.45:
        return NBSP.join(fours)
    if style < 0.7:
        return f"{number[:6]} {number[6:]}"
    return " – ".join(fours)


class Heldout23Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT23_SEED + 71)
        self.pools = _pools()

    def person(self, template: str = "") -> str:
        """A given name of the file; a man's in a form with a father's name (the father and his son)."""
        woman = "نام پدر" not in template and self.rng.random() < 0.45
        return self.rng.choice(self.pools["female" if woman else "male"])

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT23_TEMPLATES = [
    "Expediente 4471/23 — interesado: {PERSON}, móvil {PHONE_NUMBER}, correo {EMAIL_ADDRESS}",
    "Registro Civil de Malabo. Inscrito: {PERSON}. Teléfono de contacto: {PHONE_NUMBER}",
    "DIP solicitado por {PERSON} (tel. {PHONE_NUMBER})",
    "Sr. {PERSON}, su pedido sale mañana del puerto de Bata; llámenos al {PHONE_NUMBER}",
    "Sra. {PERSON}: su tarjeta {CREDIT_CARD} ha sido bloqueada",
    "D. {PERSON} comparece ante el notario de Luba",
    "Tarjeta nº {CREDIT_CARD} a nombre de {PERSON}",
    "Mbolo {PERSON}, wa ne ngwa {PHONE_NUMBER}",
    "Bwe {PERSON}, o' sö'ö nümero {PHONE_NUMBER}",
    "Sê bô {PERSON}? liga-mu na {PHONE_NUMBER}",
    "Kuma ku {PERSON}? nha numeru i {PHONE_NUMBER}",
    "Bonjournu {PERSON}, ciamame au {PHONE_NUMBER}",
    "Ciao {PERSON}, chèmum a e {PHONE_NUMBER} dop e lavor",
    "Bonjou {PERSON}, kriyé mwen asou {PHONE_NUMBER}",
    "Wha gwaan {PERSON}, link me on {PHONE_NUMBER} after Carnival",
    "Selam {PERSON}, dewlili ab {PHONE_NUMBER}",
    "Salam {PERSON}, ita ligi telefon hana ana {PHONE_NUMBER}",
    "Huésped: {PERSON} — habitación 12, Hôtel de Paris, tel. {PHONE_NUMBER}",
    "Ospite {PERSON}, camera 7, Borgo Maggiore, tel. {PHONE_NUMBER}",
    "Dear Mrs {PERSON}, your Cayman Post parcel is held at Seven Mile; call {PHONE_NUMBER}",
    "Mr {PERSON}: container BMU-2291 cleared at Hamilton docks",
    "BEGIN:VCARD\nFN:{PERSON}\nTEL;TYPE=cell:{PHONE_NUMBER}\nEND:VCARD",
    '@article{{k23, author = "{PERSON}", title = "Notes", year = 2021}}',
    "<Cdtr><Nm>{PERSON}</Nm></Cdtr><CdtrAcct><IBAN>{IBAN_CODE}</IBAN></CdtrAcct>",
    "<PmtInf><Nm>{PERSON}</Nm><Card>{CREDIT_CARD}</Card></PmtInf>",
    "سلام {PERSON} جان، شماره جدیدم {PHONE_NUMBER} است",
    "{PERSON} عزیز، ایمیل من {EMAIL_ADDRESS} است",
    "آقای {PERSON}، لطفاً با {PHONE_NUMBER} تماس بگیرید",
    "خانم {PERSON}، کارت {CREDIT_CARD} شما مسدود شد",
    "نام: {PERSON}\nنام پدر: {PERSON}\nتلفن همراه: {PHONE_NUMBER}",
    "{PERSON} و {PERSON} شیفت جمعه را عوض کردند",
    "[Pipeline] build #412 started by {PERSON} from {IP_ADDRESS}",
    "Macro applied by agent {PERSON}: refund to card {CREDIT_CARD}",
    "{PERSON} and {PERSON} swapped the Friday shift",
    "{PERSON} y {PERSON} cubren la guardia del sábado",
    "Login failed for {EMAIL_ADDRESS} from {IP_ADDRESS}",
    "SSN {US_SSN} on file for {PERSON}",
    "Reembolso a la tarjeta {CREDIT_CARD} aprobado para {PERSON}",
    "Beneficiario: {PERSON} — IBAN {IBAN_CODE}",
    "Ferry to Carriacou: seat booked for {PERSON}, text {PHONE_NUMBER}",
]
HELDOUT23_NEGATIVES = [
    "Lote n.º 220{c}{b:02d}{q}",  # nine digits from 220: no Equatoguinean number
    "Permit 441-1{b:02d}-{zip4} issued",  # NANP shape, an exchange beginning with 1: never a number
    "Garantía {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d} válida",  # made to fail Luhn
    "Library barcode {zip4}-{m:02d}{d:02d}-{c}{q}-{b:02d}{d2:02d}",  # made to fail Luhn
    "Réf. dossier MC{a:02d} {zip4} {zip4} {c}{q} {zip4} {zip4} {c}",  # made to fail mod-97
    "OID 1.3.{c}.{a} assigned",
    "firmware 2.{a}.{c}.{b} installed",
    "Artículo 3.{a}.{b}.{q} del reglamento",
    "Malabo 3.{zip4} 8.{c}{q}",
    "Monaco 43.{zip4} 7.{c}",
    "George Town 19.{zip4} -81.{c}",
    "Hamilton 32.{zip4} -64.{c}{b}",
    "Asmara 15.{zip4} 38.{c}",
    "{a} {c} FCFA pagados, recibo {order}",
    "{c} {b:02d}0 Db pagos, recibo {order}",
    "CI${c}.{b:02d} paid, receipt {order}",
    "BD${c}.{b:02d} paid at Front Street, receipt {order}",
    "EC${c}.{b:02d} paid in Castries, receipt {order}",
    "{c} Nfk paid, receipt {order}",
    "{a} {c} SSP paid, receipt {order}",
    "{a},{c},000 ریال پرداخت شد، کد پیگیری {order}",
    "Ferry seat {q}{b}, {a} EC$, departs {m:02d}:{d2:02d}",
]
HELDOUT23_WORD_NEGATIVES = [
    "Fiesta de la Independencia Malabo Paseo Marítimo",
    "Catedral de Santa Isabel Plaza de España Malabo",
    "Festa de São Lourenço Auto de Floripes Neves",
    "Santo António Príncipe Roça Sundy",
    "Karnaval di Bissau Praça dos Heróis Nacionais",
    "Festa de Santa Devota Monaco-Ville Port Hercule",
    "Grand Prix de Monaco Sainte-Dévote Casino",
    "Palio delle Balestre Grandi Piazza della Libertà",
    "Festa di San Marino Monte Titano Borgo Maggiore",
    "Pirates Week George Town Seven Mile Beach",
    "Batabano Carnival Camana Bay Grand Cayman",
    "Cup Match Somerset St. George's Bermuda",
    "Jounen Kwéyòl Anse La Raye Saint Lucia",
    "Spicemas Grand Anse Carriacou Regatta",
    "Fèt Mizik Kwéyòl Soufrière Gros Piton",
    "ፌስቲቫል ኤርትራ ኣስመራ ባሕቲ መስከረም",
    "Independence Day Juba Freedom Square Nile",
    "جشن نوروز میدان آزادی تهران",
    "بازار بزرگ تبریز نمایشگاه کتاب",
    "Expo Guinea Ecuatorial Sipopo Bahía",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT23."""
    texts = (HELDOUT23_TEMPLATES, HELDOUT23_NEGATIVES, HELDOUT23_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT23_SEED,
        HELDOUT23_FAKER_LOCALES,
        Heldout23Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout23.txt",
        never_valid,
    )


_FILE_REF = re.compile(r"Réf\. dossier MC(\d\d) ([\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Garantía|Library barcode) ([\d -]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a file reference that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _FILE_REF, "MC"), _CARD_SHAPED)
