"""HELDOUT17: the seventeenth held-out PII part, made because HELDOUT16's misses were studied (issue 9, item 8,
the fourteenth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from packages that no earlier part and no name list was built from, read from their data files
without importing them:

- ``faker-ph``'s list (``faker_ph/data/ph_names.json``): Filipino given names (Spanish saints' names,
  English ones, Tagalog ones such as ``Liwayway`` or ``Makisig``, Ilocano and Cebuano ones, and nicknames such
  as ``Bongbong`` or ``Inday``) and surnames of Spanish, Tagalog (``Dimaandal``), Chinese (``Chua``) and
  English origin; written as Filipinos write them, with the mother's surname as a middle name or its initial
  (``Maria Luzviminda D. Dimaano``), sometimes with ``Jr.`` or ``III``, the nickname alone in chat;
- ``mingzi``'s lists (``mingzi/data.json``): Chinese surnames (single ones and compound ones such as ``欧阳``
  or ``司马``, drawn evenly, so rare ones come as often as common ones) and given names of one or two
  characters, written in Han characters with no space.

Names are written in templates the other parts lack (Tagalog and Taglish chat and SMS, a barangay form, Cebuano
and Ilocano greetings, Chinese mail, a courier's label and a WeChat-style line, Kinyarwanda, Luganda, Lao in
Latin letters, Bislama, Tongan, Greenlandic and Guatemalan Spanish lines; a Jira comment, a Slack export's
JSON, an SMTP log line, an LDAP entry, a vCard, a TOML table, an HL7 segment, a shipping manifest's CSV row),
sometimes in lowercase or capitals. Phone numbers: Bhutanese, Maldivian, Myanmar, Lao, Rwandan, Ugandan,
Guatemalan, Honduran, Panamanian, Greenlandic, Tongan and Vanuatu mobile numbers as people write them (written
here, not by a library; each valid by ``phonenumbers`` and a mobile number of its region: the test checks).
Cards: written here from brands' prefixes (Visa, Mastercard, Amex, UnionPay, JCB, Discover, Verve, and UATP's
airline cards, which start with a 1), 13 to 19 digits, each completed by its Luhn digit, printed in the ways of
receipts and forms: in a run, in four-digit groups with dots, slashes or spaces, or with two groups apart and the
rest run together. The other types come from
``bench.pii_sets.Makers`` in the zh_CN, es_MX and nl_BE locales (only their non-name types are drawn; only
IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Chinese firm's unified
social credit code (18 characters, a firm's number no type here covers); a Philippine barangay clearance number;
a Ugandan firm's TIN (ten digits in 3-3-4, a North American phone's shape); a Lao ferry ticket of ``020 5`` and
six digits (a Lao mobile's shape, a digit short: the test checks it is never valid); a warehouse pallet code of
four groups of four digits and a 16-digit gift-voucher (card shapes; each made to fail Luhn, so never valid: the
test checks); a Belgian customs batch of ``BE``, two digits and three groups of four (a Belgian IBAN's shape;
check digits that would pass mod-97 are moved by one, so never valid: the test checks); an SNMP OID
``1.3.6.1.4.1...``, a Windows build ``10.0.19045...`` and a firmware version (an IP address's shape); coordinates
near Thimphu and Suva; amounts in ngultrum, rufiyaa, kip and quetzales; a jeepney route and a ferry's departure.
Word lines: capitalized festivals, places and fairs with no person in them, in Tagalog, Cebuano, Kinyarwanda,
Lao, Dzongkha, Tongan, Bislama, Greenlandic and Guatemalan Spanish words (some with words that are also names
elsewhere: Santo Niño, San Jose del Monte, Maria Clara, Santa Cruz).
"""

from __future__ import annotations

import importlib.util
import json
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

HELDOUT17_SEED = 917411
HELDOUT17_FAKER_LOCALES = ["zh_CN", "es_MX", "nl_BE"]  # only their non-name types are drawn
LOCAL_REGIONS = ("BT", "MV", "MM", "LA", "RW", "UG", "GT", "HN", "PA", "GL", "TO", "VU")
_PH = re.compile(r"Kumusta|Magandang|Salamat|Kuya|Ate |Maayong|Naimbag|Barangay|Pangalan|G\. |Gng\.|Bb\.")
_ZH = re.compile(r"您好|尊敬的|收件人|联系人|谢谢|同事|老师")
_SOURCE_OF = ((_PH, "filipino"), (_ZH, "chinese"))


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT17 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


_KINSHIP = {"Ate", "Boy"}  # in its nicknames, but words for a sister and a boy: never a name alone


def _leaves(tree: object) -> list[str]:
    """Every name under ``tree`` (nested lists and dicts), in file order, less ``_KINSHIP``; keys starting with
    ``_`` are notes."""
    if isinstance(tree, list):
        return [str(v) for v in tree if v not in _KINSHIP]
    if isinstance(tree, dict):
        return [n for k, v in tree.items() if not k.startswith("_") for n in _leaves(v)]
    return []


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """Every source's names, read once, in a fixed order."""
    ph = json.loads((_package_dir("faker_ph") / "data" / "ph_names.json").read_text(encoding="utf-8"))
    first = ph["first_names"]
    regional = first["regional_names_ilocano_cebuano_waray"]
    pools = {
        "ph_surnames": _leaves(ph["surnames"]),
        "ph_male": _leaves(first["masculine"])
        + _leaves({k: v for k, v in regional.items() if k.startswith("masculine")}),
        "ph_female": _leaves(first["feminine"])
        + _leaves({k: v for k, v in regional.items() if k.startswith("feminine")}),
        "ph_nicknames": _leaves(first["masculine"]["diminutive_nicknames"])
        + _leaves(first["feminine"]["diminutive_nicknames"]),
    }
    zh = json.loads((_package_dir("mingzi") / "data.json").read_text(encoding="utf-8"))
    pools["zh_surnames"] = list(zh["surname"]) + list(zh["com_surname"])
    for key in ("male_single", "female_single", "male_double", "female_double"):
        pools[f"zh_{key}"] = list(zh[key])
    return pools


_LA_HEADS = ("22", "23", "28", "52", "55", "56", "77", "91", "95", "96", "97", "98", "99")


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Bhutanese, Maldivian, Myanmar, Lao, Rwandan, Ugandan, Guatemalan, Honduran,
    Panamanian, Greenlandic, Tongan or Vanuatu mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "BT":
        h, r = rng.choice(["17", "77"]), _digits(rng, 6)
        forms = [f"+975 {h} {r[:2]} {r[2:4]} {r[4:]}", f"{h}{r}", f"+975-{h}-{r}", f"00975 {h} {r[:3]} {r[3:]}"]
    elif country == "MV":
        h, r = rng.choice(["77", "78", "79", "96", "97", "98"]), _digits(rng, 5)
        forms = [f"+960 {h}{r[0]}-{r[1:]}", f"{h}{r[0]} {r[1:]}", f"+960{h}{r}"]
    elif country == "MM":
        h, r = rng.choice(["25", "26", "42", "45", "79", "96", "97", "98"]), _digits(rng, 7)
        forms = [f"+95 9 {h}{r[0]} {r[1:]}", f"09 {h}{r[0]} {r[1:]}", f"09-{h}{r}", f"+959{h}{r}"]
    elif country == "LA":
        h, r = rng.choice(_LA_HEADS), _digits(rng, 6)
        forms = [f"+856 20 {h} {r[:3]} {r[3:]}", f"020 {h} {r[:3]} {r[3:]}", f"+85620{h}{r}", f"020-{h}{r}"]
    elif country == "RW":
        h, r = rng.choice(["72", "73", "78", "79"]), _digits(rng, 7)
        forms = [f"+250 {h}{r[0]} {r[1:4]} {r[4:]}", f"0{h}{r[0]} {r[1:4]} {r[4:]}", f"+250{h}{r}"]
    elif country == "UG":
        h, r = rng.choice(["70", "71", "74", "75", "76", "77", "78"]), _digits(rng, 7)
        forms = [f"+256 {h}{r[0]} {r[1:]}", f"0{h}{r[0]} {r[1:4]} {r[4:]}", f"+256-{h}{r[0]}-{r[1:]}"]
    elif country == "GT":
        h, r = rng.choice("345"), _digits(rng, 7)
        forms = [f"+502 {h}{r[:3]} {r[3:]}", f"{h}{r[:3]}-{r[3:]}", f"(502) {h}{r[:3]}-{r[3:]}"]
    elif country == "HN":
        h, r = rng.choice("389"), _digits(rng, 7)
        forms = [f"+504 {h}{r[:3]}-{r[3:]}", f"{h}{r[:3]} {r[3:]}", f"+504{h}{r}"]
    elif country == "PA":
        r = _digits(rng, 6)
        h = rng.choice(["60", "61", "62", "63", "64", "65", "66", "67", "68", "69"])
        forms = [f"+507 {h}{r[:2]}-{r[2:]}", f"{h}{r[:2]}-{r[2:]}", f"+507{h}{r}"]
    elif country == "GL":
        h, r = rng.choice(["2", "4", "5"]), _digits(rng, 5)
        forms = [f"+299 {h}{r[0]} {r[1:3]} {r[3:]}", f"{h}{r[0]} {r[1:3]} {r[3:]}", f"+299{h}{r}"]
    elif country == "TO":
        h, r = rng.choice(["77", "78", "84", "87", "88"]), _digits(rng, 5)
        forms = [f"+676 {h}{r[0]} {r[1:]}", f"{h}{r}", f"+676{h}{r}"]
    else:
        h, r = rng.choice(["54", "55", "59", "73", "77"]), _digits(rng, 5)
        forms = [f"+678 {h}{r[0]} {r[1:]}", f"{h}{r[0]} {r[1:]}", f"+678{h}{r}"]
    return country, rng.choice(forms)


# (brand, prefixes, lengths)
_BRANDS = (
    ("visa", ("4",), (16, 13, 19)),
    ("mastercard", ("51", "53", "55", "2221", "2710"), (16,)),
    ("amex", ("34", "37"), (15,)),
    ("unionpay", ("620", "6210", "6282"), (16, 19)),
    ("jcb", ("3530", "3580"), (16,)),
    ("discover", ("6011", "65"), (16,)),
    ("verve", ("5061", "6500"), (16, 19)),
    ("uatp", ("1",), (15,)),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the brands above, passing Luhn, in one of the ways receipts and forms print it:
    in a run, four-digit groups with dots or slashes, or groups of four with the last ones run together."""
    _, prefixes, lengths = rng.choice(_BRANDS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    fours = [number[i : i + 4] for i in range(0, length, 4)]
    if len(fours[-1]) < 4:
        tail = fours.pop()
        fours[-1] += tail
    style = rng.random()
    if style < 0.3:
        return number
    if style < 0.5:
        return ".".join(fours)
    if style < 0.65:
        return "/".join(fours)
    if style < 0.85:
        return " ".join(fours[:2]) + " " + "".join(fours[2:])
    return " ".join(fours)


class Heldout17Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT17_SEED + 53)
        self.pools = _pools()

    def filipino(self, template: str = "") -> str:
        rng, pools = self.rng, self.pools
        if re.search(r"Kumusta|Kuya|Ate |Maayong|Naimbag", template) and rng.random() < 0.5:
            return rng.choice(pools["ph_nicknames"])
        given = rng.choice(pools["ph_female" if rng.random() < 0.5 else "ph_male"])
        if rng.random() < 0.3:
            given = f"{given} {rng.choice(pools['ph_female' if given in pools['ph_female'] else 'ph_male'])}"
        family = rng.choice(pools["ph_surnames"])
        roll = rng.random()
        if "Pangalan" in template or "Barangay" in template:
            middle = rng.choice(pools["ph_surnames"])
            return f"{family.upper()}, {given.upper()} {middle.upper()}" if roll < 0.5 else f"{given} {middle} {family}"
        if roll < 0.3:
            name = f"{given} {rng.choice(pools['ph_surnames'])[0]}. {family}"
        elif roll < 0.45:
            name = f"{given} {rng.choice(pools['ph_surnames'])} {family}"
        else:
            name = f"{given} {family}"
        if rng.random() < 0.08:
            name += rng.choice([" Jr.", " III", " II", " Sr."])
        return name

    def chinese(self, template: str = "") -> str:
        rng, pools = self.rng, self.pools
        sex = "female" if rng.random() < 0.5 else "male"
        given = rng.choice(pools[f"zh_{sex}_{'double' if rng.random() < 0.6 else 'single'}"])
        return rng.choice(pools["zh_surnames"]) + given

    def person(self, template: str = "") -> str:
        for cue, source in _SOURCE_OF:
            if cue.search(template):
                return getattr(self, source)(template)
        rng = self.rng
        name = getattr(self, rng.choices(["filipino", "chinese"], weights=[70, 30])[0])(template)
        return cased(rng, name)

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT17_TEMPLATES = [
    "Kumusta {PERSON}! Tawagan mo ako sa {PHONE_NUMBER} mamaya ha",
    "Magandang umaga po, {PERSON}. Na-receive na po namin ang bayad ninyo.",
    "Salamat {PERSON} sa tulong kahapon!",
    "Kuya {PERSON}, pakisundo si bunso sa school, text mo ako {PHONE_NUMBER}",
    "Ate {PERSON} nag-send na ako sa GCash, pa-confirm po",
    "Maayong buntag {PERSON}, ania ang resibo sa imong order.",
    "Naimbag nga aldaw, {PERSON}!",
    "Barangay Clearance issued to {PERSON}, resident of Purok 4",
    "Pangalan: {PERSON}\nCP No.: {PHONE_NUMBER}\nEmail: {EMAIL_ADDRESS}",
    "Gng. {PERSON}, ang inyong card {CREDIT_CARD} ay na-activate na",
    "{PERSON}您好，您的快递已到驿站，请凭取件码领取。电话：{PHONE_NUMBER}",
    "尊敬的{PERSON}客户：您的银行卡{CREDIT_CARD}本月账单已出。",
    "收件人：{PERSON}  电话：{PHONE_NUMBER}",
    "联系人 {PERSON}，邮箱 {EMAIL_ADDRESS}",
    "谢谢{PERSON}老师的推荐信！",
    "Muraho {PERSON}, hamagara kuri {PHONE_NUMBER}",
    "Gyebale ko {PERSON}, tukubire ku {PHONE_NUMBER}",
    "Sabaidee {PERSON}, tho ha khoy thi {PHONE_NUMBER} de",
    "Halo {PERSON}, plis yu ring long {PHONE_NUMBER}",
    "Mālō e lelei {PERSON}, telefoni mai ki he {PHONE_NUMBER}",
    "Aluu {PERSON}, sianerlunga {PHONE_NUMBER}",
    "Buenas, {PERSON}, ¿me marcás al {PHONE_NUMBER} cuando podás?",
    "[~{PERSON}] can you check the refund for card {CREDIT_CARD}?",
    '{{"user_name": "{PERSON}", "text": "call me at {PHONE_NUMBER}"}}',
    "postfix/smtp[2211]: to=<{EMAIL_ADDRESS}>, relay=mx.example.net[{IP_ADDRESS}]:25, status=sent",
    "dn: cn={PERSON},ou=people,dc=example,dc=ph\nmail: {EMAIL_ADDRESS}\nmobile: {PHONE_NUMBER}",
    "BEGIN:VCARD\nFN:{PERSON}\nTEL;TYPE=cell:{PHONE_NUMBER}\nEND:VCARD",
    '[owner]\nname = "{PERSON}"\nphone = "{PHONE_NUMBER}"',
    "PID|1||4471^^^HOSP||{PERSON}||19880312|F|||||{PHONE_NUMBER}",
    "PKG-{PHONE_NUMBER},{PERSON},{EMAIL_ADDRESS},2 boxes",
    "Card {CREDIT_CARD} was declined for {PERSON}",
    "Tarjeta {CREDIT_CARD} a nombre de {PERSON}",
    "IBAN {IBAN_CODE} ten name van {PERSON}",
    "SSN {US_SSN} on file for {PERSON}",
    "{PERSON} at {PERSON} ang mag-aayos ng booth bukas",
    "{PERSON}和{PERSON}是同事",
    "login from {IP_ADDRESS} by {PERSON}",
    "Missed call from {PERSON} ({PHONE_NUMBER})",
    "cc: {PERSON} <{EMAIL_ADDRESS}>",
]
HELDOUT17_NEGATIVES = [
    "统一社会信用代码 91{c}{zip4}MA{q}{c}{a:02d}X{b}",
    "Barangay Clearance No. {year}-{zip4}-{c}, Purok {q}",
    "TIN {c}-{c}-{zip4} (Kampala Traders Ltd)",
    "Tiket heua 020 5{c}{b:02d}{q}, Don Det",
    "Pallet {zip4} {d:02d}{m:02d} {c}{q} {a:02d}{b:02d} in bay {q}",  # made to fail Luhn
    "Gift voucher 6{zip4}{c}{zip4}{c}{q}",  # made to fail Luhn
    "Douane partij BE{a:02d} {zip4} {c}{q} {b:02d}{d:02d}",  # made to fail mod-97
    "snmpget -v2c public 1.3.6.1.4.1.{c}.{q}.{a}",
    "Windows build 10.0.19045.{c}{q}",
    "firmware 4.{a}.{b}.{c} installed on router",
    "Thimphu 27.{order} 89.{order}, {c}{q} m",
    "Suva -18.{order} 178.{order}",
    "Nu. {c},{b:02d} paid, receipt {order}",
    "MVR {c}.{b:02d}, invoice {order}",
    "{c},{zip4} kip, ໃບບິນ {order}",
    "Q{c}.{b:02d} pagado, factura {order}",
    "Jeepney route {a}, Cubao–Quiapo, {q}:{d:02d}",
    "Ferry Vava'u {q}:{d:02d}, deck {a}, seat {b}",
]
HELDOUT17_WORD_NEGATIVES = [
    "Pista ng Santo Niño sa Tondo",
    "Sinulog Grand Parade",
    "Simbang Gabi sa Quiapo",
    "San Jose del Monte Fun Run {year}",
    "Maria Clara Gala Night",
    "Santa Cruz Flores de Mayo",
    "Kadayawan Street Dancing",
    "Umuganda Kigali Clean Up",
    "Kwita Izina Musanze",
    "Boun That Luang Vientiane",
    "Paro Tshechu Thangka Display",
    "Heilala Festival Nukuʻalofa",
    "Fest Napuan Port Vila",
    "Nuuk Katuaq Kulturhus Koncert",
    "Semana Santa Antigua Guatemala",
    "Feria Juniana San Pedro Sula",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT17."""
    texts = (HELDOUT17_TEMPLATES, HELDOUT17_NEGATIVES, HELDOUT17_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT17_SEED,
        HELDOUT17_FAKER_LOCALES,
        Heldout17Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout17.txt",
        never_valid,
    )


_BATCH = re.compile(r"partij BE(\d\d)((?: \d{4}){3})")
_CARD_SHAPED = re.compile(r"(?:Pallet|Gift voucher) ([\d ]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a customs batch that happens to pass the IBAN check given check digits one higher (one lower
    from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9): the
    shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _BATCH, "BE"), _CARD_SHAPED)
