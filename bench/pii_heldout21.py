"""HELDOUT21: the twenty-first held-out PII part, made because HELDOUT20's misses were studied (issue 9, item 8,
the eighteenth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from a package that no earlier part and no name list was built from, read from its data files
without importing it:

- ``nlpFaker`` (a fake-data maker for Taiwan): ``raw_data/lastname.dat``, 363 Taiwanese surnames, and
  ``raw_data/firstname.dat``, the 1500 characters most used in Taiwanese given names, each with its weight. A
  name is a surname and one or two given-name characters drawn by those weights, written in Traditional Han
  characters (``陳怡婷``) or, as a Taiwanese passport, bank or school writes it, in Wade-Giles letters made by
  ``pypinyin`` (its ``WADEGILES`` style, apostrophes dropped, ``ü`` as ``u``): ``Chen I-ting``, ``CHEN,
  I-TING``, ``I-Ting Chen`` (the given name first, as in English mail), ``Hsu Chih-ming``. Han names are
  written with a title after them (``陳小姐``: the label is the surname alone) or alone; Latin ones as
  ``Surname Given-name``, ``Given-Name Surname``, ``SURNAME, GIVEN-NAME``, a given name alone in a greeting, a
  surname alone after a title, sometimes in lowercase or capitals.

Names are written in templates the other parts lack (a LINE chat export, a Taiwanese household form with ``姓名：``,
an ARC card application, a 7-ELEVEN pickup slip, a Shopee order, a systemd journal line, a Matrix room event, a
vCard ``N:`` line, a PagerDuty escalation, a GitHub CODEOWNERS comment, a Postgres ``pg_hba`` audit line, an ICS
organizer, an airline SSR DOCS line, a school roll call; Cook Islands Māori, Tuvaluan, Marshallese, Krio, Liberian
English, Mandinka, Gabonese French, Malay, Singlish, Cantonese, Te Reo Māori and Taiwanese Hokkien in Latin
letters, and Mandarin in Traditional characters). Phone numbers: Taiwanese, Hong Kong, Singaporean, Malaysian, New
Zealand, Cook Islands, Tuvaluan, Marshallese, Gabonese, Liberian, Sierra Leonean and Gambian mobile numbers as
people write them (written here, not by a library; each valid by ``phonenumbers`` and a mobile number of its
region, or one the library cannot tell from a fixed line: the test checks). Cards: written here from issuers'
prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, JCB's 3528 to 3589, UnionPay's 62, Amex's 34 and
37), each completed by its Luhn digit, in forms of this part's own: fours parted by underscores or by ``/``, a run
with its last four apart after a space, Amex's 4-6-5 parted by dashes, a plain run (in templates of its own: after
``卡號：``, in parentheses, after "Kortti" or "cardul"). The other types come from ``bench.pii_sets.Makers`` in
the fi_FI, no_NO and ro_RO locales (only their non-name types are drawn; only IBANs that pass the mod-97 check are
labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Taiwanese invoice
number ``AB-12345678`` and a ten-digit parcel code ``010`` + seven digits (a Taiwanese number's length and leading 0,
but a prefix no Taiwanese number has: the test checks it is never valid); a Singapore UEN-like
``20{zip4}{c}K``; a gift-card code and a 16-digit library barcode (card shapes; each made to fail Luhn, so never
valid: the test checks); a Romanian tax reference ``RO`` + two digits + 20 characters in groups (a Romanian IBAN's
shape; check digits that would pass mod-97 are moved by one, so never valid: the test checks); a firmware version
``4.19.{c}.{a}``, an SNMP OID ``1.3.6.1.4.1.{c}.{a}`` and a semantic version with a build ``{a}.{b}.{c}.{q}``
(an IP address's shape); coordinates near Taipei, Rarotonga and Funafuti; amounts in New Taiwan dollars, Hong
Kong dollars, ringgit, Singapore dollars, leones, dalasi, Liberian dollars and CFA francs; a MRT trip and a
high-speed-rail seat.
Word lines: capitalized festivals, places and fairs with no person in them, in Mandarin (Traditional), Cook
Islands Māori, Tuvaluan, Marshallese, Krio, Malay, Cantonese in Latin letters, Te Reo Māori, Mandinka and Gabonese
French (some with words that are also names elsewhere: Santa Rosa, Tiong Bahru, Kaohsiung Lantern, Te Maeva Nui).
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

HELDOUT21_SEED = 2121803
HELDOUT21_FAKER_LOCALES = ["fi_FI", "no_NO", "ro_RO"]  # only their non-name types are drawn
LOCAL_REGIONS = ("TW", "HK", "SG", "MY", "NZ", "CK", "TV", "MH", "GA", "LR", "SL", "GM")
_HAN_TEMPLATE = re.compile(r"姓名|申請人|取件人|上午|和 |[\u4e00-\u9fff]\{PERSON\}|\{PERSON\}[\u4e00-\u9fff]")
_HAN_TITLE = re.compile(r"\{PERSON\}(?:先生|小姐|老師|同學)")
_SURNAME_ONLY = re.compile(r"Mr\. |Ms\. |Mrs\. |Dr\. |Prof\. ")
_GIVEN_ONLY = re.compile(
    r"Kia orana|Talofa|Iakwe|Aw di bodi|How de body|I be ñaading|Mbolo|Salam|Eh |Wai |Kia ora|Lí-hó|Hi "
)
_DOCS = re.compile(r"SSR DOCS|\nN:")


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT21 needs the package {package!r} (nlpfaker, the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def _weighted(file: Path) -> tuple[list[str], list[int]]:
    names, weights = [], []
    for line in file.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            names.append(parts[0])
            weights.append(int(parts[1]) if len(parts) > 1 else 1)
    return names, weights


@lru_cache(maxsize=1)
def _pools() -> dict[str, tuple[list[str], list[int]]]:
    """{"last": (surnames, weights), "first": (given-name characters, weights)}, as the package ships them."""
    data = _package_dir("nlpFaker") / "raw_data"
    return {"last": _weighted(data / "lastname.dat"), "first": _weighted(data / "firstname.dat")}


def wade_giles(han: str) -> list[str]:
    """Each character of ``han`` in Wade-Giles letters, as Taiwanese passports write them: no apostrophes, ``ü``
    (which pypinyin writes ``v``) as ``u``, lowercase."""
    from pypinyin import Style, lazy_pinyin

    return [s.replace("'", "").replace("’", "").replace("v", "u") for s in lazy_pinyin(han, style=Style.WADEGILES)]


def latin(last: str, given: str) -> tuple[str, str]:
    """(Surname, Given-name) in Wade-Giles letters: ``("陳", "怡婷")`` -> ``("Chen", "I-ting")``."""
    return "".join(wade_giles(last)).capitalize(), "-".join(wade_giles(given)).capitalize()


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Taiwanese, Hong Kong, Singaporean, Malaysian, New Zealand, Cook Islands, Tuvaluan,
    Marshallese, Gabonese, Liberian, Sierra Leonean or Gambian mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "TW":
        x, r = rng.choice(["12", "21", "33", "37", "58", "72", "88", "63", "55", "28"]), _digits(rng, 6)
        forms = [f"09{x}-{r[:3]}-{r[3:]}", f"09{x} {r[:3]} {r[3:]}", f"+886 9{x} {r[:3]} {r[3:]}", f"+886-9{x}{r}"]
    elif country == "HK":
        x, r = rng.choice(["61", "63", "64", "65", "69", "94", "96", "97"]), _digits(rng, 6)
        forms = [f"{x}{r[:2]} {r[2:]}", f"+852 {x}{r[:2]} {r[2:]}", f"(852) {x}{r[:2]}-{r[2:]}", f"+852-{x}{r}"]
    elif country == "SG":
        x, r = rng.choice(["81", "82", "83", "87", "90", "91", "92", "93", "96", "97", "98"]), _digits(rng, 6)
        forms = [f"{x}{r[:2]} {r[2:]}", f"+65 {x}{r[:2]} {r[2:]}", f"+65-{x}{r[:2]}-{r[2:]}", f"(65) {x}{r}"]
    elif country == "MY":
        x, r = rng.choice(["12", "13", "16", "17", "19"]), _digits(rng, 7)
        r = rng.choice("23456789") + r[1:]
        forms = [f"0{x}-{r[:3]} {r[3:]}", f"+60 {x}-{r[:3]} {r[3:]}", f"+60{x} {r[:3]} {r[3:]}", f"0{x}-{r}"]
    elif country == "NZ":
        x, r = rng.choice(["21", "22", "27"]), _digits(rng, 7)
        r = rng.choice("23456789") + r[1:]
        forms = [f"0{x} {r[:3]} {r[3:]}", f"+64 {x} {r[:3]} {r[3:]}", f"0{x}-{r[:3]}-{r[3:]}", f"+64{x}{r}"]
    elif country == "CK":
        x, r = rng.choice(["5", "7", "8"]), _digits(rng, 4)
        forms = [f"+682 {x}{r[0]} {r[1:]}", f"{x}{r[0]} {r[1:]}", f"(682) {x}{r}", f"+682-{x}{r}"]
    elif country == "TV":
        r = _digits(rng, 4)
        forms = [f"+688 90 {r}", f"90 {r}", f"(688) 90{r}", f"+688-90-{r}"]
    elif country == "MH":
        x, r = rng.choice(["235", "329", "455", "456", "545"]), _digits(rng, 4)
        forms = [f"+692 {x}-{r}", f"{x}-{r}", f"(692) {x} {r}", f"+692{x}{r}"]
    elif country == "GA":
        x, r = rng.choice(["06", "07"]), _digits(rng, 6)
        forms = [
            f"+241 {x} {r[:2]} {r[2:4]} {r[4:]}",
            f"{x} {r[:2]} {r[2:4]} {r[4:]}",
            f"00241{x}{r}",
            f"{x}.{r[:2]}.{r[2:4]}.{r[4:]}",
        ]
    elif country == "LR":
        x, r = rng.choice(["77", "88"]), _digits(rng, 7)
        forms = [f"+231 {x} {r[:3]} {r[3:]}", f"0{x} {r[:3]} {r[3:]}", f"0{x}{r}", f"(+231) {x}-{r[:3]}-{r[3:]}"]
    elif country == "SL":
        x, r = rng.choice(["30", "33", "76", "77", "78", "79", "88", "99"]), _digits(rng, 6)
        forms = [f"+232 {x} {r}", f"0{x} {r[:3]} {r[3:]}", f"(0{x}) {r}", f"+232-{x}-{r[:3]}-{r[3:]}"]
    else:
        x, r = rng.choice(["3", "7", "9"]), _digits(rng, 6)
        forms = [f"+220 {x}{r[:2]} {r[2:]}", f"{x}{r[:2]} {r[2:]}", f"(220) {x}{r[:2]}-{r[2:]}", f"00220{x}{r}"]
    return country, rng.choice(forms)


# (prefixes, lengths)
_ISSUERS = (
    (("4",), (16,)),
    (("51", "52", "53", "54", "55", "2221", "2500", "2720"), (16,)),
    (("3528", "3540", "3566", "3589"), (16,)),
    (("62", "6212", "6250"), (16, 19)),
    (("34", "37"), (15,)),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: fours parted by
    underscores or ``/``, Amex's 4-6-5 parted by dashes, fours in one run with the last four after a space, or
    plain (the label is the digits and what parts them)."""
    prefixes, lengths = rng.choice(_ISSUERS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    style = rng.random()
    if length == 15 and style < 0.7:
        return f"{number[:4]}-{number[4:10]}-{number[10:]}"
    if style < 0.2:
        return number
    fours = [number[i : i + 4] for i in range(0, length, 4)]
    if style < 0.45:
        return "_".join(fours)
    if style < 0.7:
        return "/".join(fours)
    if style < 0.85:
        return f"{number[:-4]} {number[-4:]}"
    return " ".join(fours)


class Heldout21Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT21_SEED + 71)
        self.pools = _pools()

    def _han(self) -> tuple[str, str]:
        rng, pools = self.rng, self.pools
        last = rng.choices(*pools["last"])[0]
        count = 1 if rng.random() < 0.08 else 2
        return last, "".join(rng.choices(*pools["first"], k=count))

    def written(self, template: str = "") -> str:
        rng = self.rng
        last, given = self._han()
        if _HAN_TITLE.search(template):
            return last
        if _HAN_TEMPLATE.search(template):
            return given if rng.random() < 0.15 else last + given
        surname, first = latin(last, given)
        if _DOCS.search(template):
            return f"{surname.upper()}/{first.upper()}" if "DOCS" in template else f"{surname};{first}"
        if _SURNAME_ONLY.search(template):
            return surname
        if _GIVEN_ONLY.search(template) and rng.random() < 0.7:
            return first
        roll = rng.random()
        if roll < 0.15:
            return f"{surname.upper()}, {first.upper()}"
        if roll < 0.45:
            return f"{'-'.join(p.capitalize() for p in first.split('-'))} {surname}"
        return f"{surname} {first}"

    def person(self, template: str = "") -> str:
        name = self.written(template)
        if _DOCS.search(template) or not name.isascii():
            return name
        return cased(self.rng, name)

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT21_TEMPLATES = [
    "2026/03/14 上午 10:21\t{PERSON}\t我的手機是 {PHONE_NUMBER}",
    "姓名：{PERSON}\n行動電話：{PHONE_NUMBER}\n電子郵件：{EMAIL_ADDRESS}",
    "申請人 {PERSON}（居留證申請）聯絡電話 {PHONE_NUMBER}",
    "7-ELEVEN 取件通知：取件人 {PERSON}，手機末三碼請出示 {PHONE_NUMBER}",
    "{PERSON}小姐您好，您的訂單已出貨，信用卡 卡號：{CREDIT_CARD}",
    "{PERSON}先生，請回電 {PHONE_NUMBER}",
    "Shopee order 2403141022 — buyer {PERSON}, paid with {CREDIT_CARD}",
    "Mar 14 10:21:07 web01 sshd[2211]: Accepted publickey for ops from {IP_ADDRESS} (operator {PERSON})",
    '{{"type": "m.room.message", "sender_display": "{PERSON}", "body": "ring me {PHONE_NUMBER}"}}',
    "BEGIN:VCARD\nN:{PERSON}\nTEL;TYPE=cell:{PHONE_NUMBER}\nEND:VCARD",
    "Escalation level 2: {PERSON} ({PHONE_NUMBER}) after 15 minutes",
    "# {PERSON} owns the billing service\n/billing/ @billing-team",
    "2026-03-14 10:21:07 UTC [4410] audit: connection authorized user={EMAIL_ADDRESS} host={IP_ADDRESS}",
    "ORGANIZER;CN={PERSON}:mailto:{EMAIL_ADDRESS}",
    "SSR DOCS CI HK1 P/TWN/312345678/TWN/14MAR90/F/22JAN31/{PERSON}",
    "ROLL CALL 3B: {PERSON} present",
    "Dear Ms. {PERSON}, your refund to card ({CREDIT_CARD}) is on its way.",
    "Prof. {PERSON} will chair the session in Room 402.",
    "Kia orana {PERSON}, tomo mai ki toku {PHONE_NUMBER}",
    "Talofa {PERSON}, telefoni mai ki te {PHONE_NUMBER}",
    "Iakwe {PERSON}, kall eō ilo {PHONE_NUMBER}",
    "Aw di bodi {PERSON}? Kol mi na {PHONE_NUMBER}",
    "How de body {PERSON}, call me on {PHONE_NUMBER} ya",
    "I be ñaading {PERSON}, telefoon n na {PHONE_NUMBER}",
    "Mbolo {PERSON}, appelle-moi au {PHONE_NUMBER} ce soir",
    "Salam {PERSON}, sila hubungi saya di {PHONE_NUMBER}",
    "Eh {PERSON}, call me at {PHONE_NUMBER} lah",
    "Wai {PERSON}, daa bei ngo {PHONE_NUMBER} aa",
    "Kia ora {PERSON}, waea mai ki {PHONE_NUMBER}",
    "Lí-hó {PERSON}, khà tiān-uē hō͘ góa {PHONE_NUMBER}",
    "Hi {PERSON}, pls transfer to IBAN {IBAN_CODE} by Friday",
    "Plată cu cardul {CREDIT_CARD}, titular {PERSON}",
    "Kortti {CREDIT_CARD} — haltija {PERSON}",
    "Betaling til {PERSON}, kontonummer {IBAN_CODE}",
    "SSN {US_SSN} belongs to {PERSON}",
    "{PERSON} 和 {PERSON} 換了夜班",
    "{PERSON} and {PERSON} will cover the weekend on-call",
    "Failed login for {EMAIL_ADDRESS} from {IP_ADDRESS} (3 attempts)",
    "Payout to {PERSON}, IBAN {IBAN_CODE}, ref INV-2291",
    "Card ending in the number {CREDIT_CARD} was declined for {PERSON}",
]
HELDOUT21_NEGATIVES = [
    "統一發票 AB-{zip4}{m:02d}{d:02d}",  # an invoice number: letters, then eight digits
    "包裹編號 010{c}{zip4}",  # ten digits from 010: no Taiwanese number
    "UEN 20{zip4}{c}K registered",
    "Gift card {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d}",  # made to fail Luhn
    "Library barcode 2{c}{zip4}{m:02d}{d:02d}{b:02d}{a:02d}",  # 16 digits, made to fail Luhn
    "Cod fiscal RO{a:02d} RNCB {zip4} {c}{q} {m:02d}{d:02d} {b:02d}{d2:02d}",  # made to fail mod-97
    "firmware 4.19.{c}.{a} rolled out",
    "SNMP OID 1.3.6.1.4.1.{c}.{a}",
    "release {a}.{b}.{c}.{q} tagged",
    "Taipei 25.0{zip4} 121.{c}{q}",
    "Rarotonga -21.{zip4} -159.{c}{b}",
    "Funafuti -8.{zip4}{q} 179.{c}",
    "NT${c},{b:02d}0 已付款，收據 {order}",
    "HK${c}.{b:02d} paid, receipt {order}",
    "RM{c}.{b:02d} dibayar, resit {order}",
    "S${a}.{b:02d} paid at hawker centre, receipt {order}",
    "Le {a},{c} paid, receipt {order}",
    "D{c}.{b:02d} paid, receipt {order}",
    "L${c} paid, receipt {order}",
    "{a} {c} FCFA payés, reçu {order}",
    "MRT trip {q} stops, NT${a}, card balance {c}",
    "高鐵 {b} 車 {a}{q}A 座，{m:02d}/{d:02d} {q}:{d2:02d}",
]
HELDOUT21_WORD_NEGATIVES = [
    "台北燈節 中正紀念堂",
    "Kaohsiung Lantern Festival Love River",
    "Te Maeva Nui Avarua Rarotonga",
    "Tefolaha Day Funafuti Nukulaelae",
    "Manit Day Majuro Laura",
    "Bintumani Hotel Freetown Lumley",
    "Providence Island Monrovia Waterside",
    "Roots Festival Juffureh Albreda",
    "Hari Raya Aidilfitri Kampung Baru",
    "Tiong Bahru Market Chinese New Year",
    "Wong Tai Sin Temple Lunar Fair",
    "Matariki Te Papa Wellington Waterfront",
    "Fête de la Musique Libreville Louis",
    "Santa Rosa Plaza Kota Kinabalu",
    "Cheung Chau Bun Festival Pak Tai",
    "Lantern Parade Sun Moon Lake Ita Thao",
    "Constitution Day Aitutaki Arutanga",
    "Sierra Leone Independence Bo Kenema",
    "Taman Negara Kuala Tahan Jetty",
    "九份老街 芋圓 阿妹茶樓",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT21."""
    texts = (HELDOUT21_TEMPLATES, HELDOUT21_NEGATIVES, HELDOUT21_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT21_SEED,
        HELDOUT21_FAKER_LOCALES,
        Heldout21Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout21.txt",
        never_valid,
    )


_TAX = re.compile(r"Cod fiscal RO(\d\d) (RNCB[\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Gift card|Library barcode) ([\d ]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a tax reference that happens to pass the IBAN check given check digits one higher (one lower
    from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9): the
    shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _TAX, "RO"), _CARD_SHAPED)
