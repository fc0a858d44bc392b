"""HELDOUT8: the eighth held-out PII part, made because HELDOUT7's misses were studied (issue 9, item 8,
the fifth round on names); written, templates, negatives, generators, phone formats and hand cases, before
any detector changed in that round and before any miss of HELDOUT7 was read; only its totals are printed.

Its names come from six packages that no earlier part and no name list was built from, in naming customs
(and one script, Khmer) that no earlier part's generator wrote names in:

- ``chinesename``: Chinese surnames (compound ones too) and given names in hanzi, or romanized with
  ``pypinyin`` (given name first, or the surname first, sometimes in capitals);
- ``khmernames``: Cambodian names in Khmer script, family name first;
- ``hu-names``: Hungarian names, family name first as Hungarian writes them (given name first in English
  text), sometimes after ``dr.``;
- ``br-nome-gen``: Brazilian names, long, with ``da``/``dos`` particles, several surnames, ``Júnior``;
- ``finnish-name-generator``: Finnish given names and surnames;
- ``iiyo``'s lists: Sri Lankan given names and surnames, sometimes after initials ("W. M.").

Names are written in templates the other parts lack (Chinese, Hungarian, Finnish, Portuguese and Khmer
sentences around a name, stand-up notes, CSV rows, commit trailers, CC lines, calendar entries, on-call
handovers), sometimes in lowercase or capitals (Latin only). Phone numbers: Hungarian, Finnish,
Brazilian, Chinese, Cambodian and Sri Lankan numbers as people write them at home or abroad (written here,
not by a library), or else from ``bench.pii_sets.Makers`` in Faker locales no other part uses, with this
part's seed; the other types from ``Makers``. ``data/pii/hard_heldout8.txt`` holds hand-written hard
cases. Negatives: numbers that are not personal data (order, invoice and build numbers, some as long as a
phone number after their label, prices, dates, coordinates, barcodes), and lines of capitalized words or of
Chinese and Khmer words that hold no person (places, products, teams, events).
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT8_SEED = 731905
HELDOUT8_FAKER_LOCALES = ["th", "el_CY", "ng_NG", "mt_MT", "sq_AL", "es_VE", "en_BD"]
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_KHMER = re.compile(r"[\u1780-\u17ff]")
_HUNGARIAN = re.compile(r"Kedves|Üdvözlettel|Címzett|Ügyintéző|Tisztelt")
_FINNISH = re.compile(r"Hei |Terveisin|Yhteyshenkilö|Vastaanottaja|soittaa")
_PORTUGUESE = re.compile(r"Prezad|Atenciosamente|Falar com|Responsável|Obrigad")


def _lines(package: str, *path: str) -> list[str]:
    node = resources.files(package)
    for part in path:
        node = node / part
    return [line.strip() for line in node.read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once; br-nome-gen draws from the global ``random``, whose state is put
    back afterwards."""
    import finnish_name_generator
    import hu_names
    import khmernames.generator as khmer
    from br_nome_gen import pessoa_random

    source = resources.files("chinesename") / "source"
    cn_family = [s for s in (source / "lastnames.txt").read_text(encoding="utf-8").split() if s]
    cn_given = []
    for name in ("boy.json", "girl.json"):
        table = json.loads((source / name).read_text(encoding="utf-8"))
        cn_given += table["1"] + table["2"]
    state = random.getstate()
    try:
        random.seed(HELDOUT8_SEED)
        brazilian = [pessoa_random().nome for _ in range(2000)]
    finally:
        random.setstate(state)
    return {
        "cn_family": cn_family,
        "cn_given": cn_given,
        "km_family": list(khmer._last_names),
        "km_given": list(khmer._first_names),
        "hu_family": list(hu_names.vezeteknevek),
        "hu_given": list(hu_names.keresztnevek),
        "brazilian": brazilian,
        "fi_given": list(finnish_name_generator.first_names),
        "fi_family": list(finnish_name_generator.family_names),
        "lk_given": _lines("iiyo", "random_names", "male_first_names.py")
        + _lines("iiyo", "random_names", "female_first_names.py"),
        "lk_family": [
            " ".join(w.capitalize() for w in name.split()) for name in _lines("iiyo", "random_names", "last_names.py")
        ],
    }


def pinyin(hanzi: str) -> str:
    """``hanzi`` in pinyin without tones, its syllables run together and capitalized ("Ouyang")."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(hanzi)).capitalize()


def local_phone(rng: random.Random) -> str:
    """A Hungarian, Finnish, Brazilian, Chinese, Cambodian or Sri Lankan number as people write it."""
    country = rng.choice(["hu", "fi", "br", "cn", "kh", "lk"])
    if country == "hu":
        net, a, b = rng.choice(["20", "30", "70"]), _digits(rng, 3), _digits(rng, 4)
        return rng.choice([f"06 {net} {a} {b}", f"06-{net}/{a}-{b}", f"+36 {net} {a} {b}", f"+36 ({net}) {a}-{b}"])
    if country == "fi":
        net, a, b = rng.choice(["40", "44", "50"]), _digits(rng, 3), _digits(rng, 4)
        return rng.choice([f"0{net} {a} {b}", f"+358 {net} {a}{b}", f"+358{net}{a}{b}", f"+358 (0){net} {a} {b}"])
    if country == "br":
        area, a, b = rng.choice(["11", "21", "31", "61", "85"]), _digits(rng, 4), _digits(rng, 4)
        return rng.choice([f"({area}) 9{a}-{b}", f"+55 {area} 9{a}-{b}", f"({area}) 9 {a}-{b}", f"{area} 3{a[1:]}-{b}"])
    if country == "cn":
        net, a, b = rng.choice(["138", "139", "186", "150"]), _digits(rng, 4), _digits(rng, 4)
        return rng.choice([f"{net} {a} {b}", f"+86 {net}-{a}-{b}", f"+86{net}{a}{b}", f"(010) {a}-{b}"])
    if country == "kh":
        net, a, b = rng.choice(["12", "17", "92", "97"]), _digits(rng, 3), _digits(rng, 3)
        return rng.choice([f"0{net} {a} {b}", f"+855 {net} {a} {b}", f"+855-{net}-{a}-{b}", f"(+855) {net} {a}{b}"])
    net, a, b = rng.choice(["71", "77", "76"]), _digits(rng, 3), _digits(rng, 4)
    return rng.choice([f"0{net} {a} {b}", f"0{net}-{a}{b}", f"+94 {net} {a} {b}", f"+94 (0){net} {a} {b}"])


class Heldout8Values:
    """Names and most phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.faker_phone, self.faker_iban = makers.PHONE_NUMBER, makers.IBAN_CODE
        self.rng = random.Random(HELDOUT8_SEED + 23)
        self.pools = _pools()

    def _chinese(self, hanzi: bool) -> str:
        rng, pools = self.rng, self.pools
        family, given = rng.choice(pools["cn_family"]), rng.choice(pools["cn_given"])
        if hanzi:
            return family + given
        family_latin, given_latin = pinyin(family), pinyin(given)
        roll = rng.random()
        if roll < 0.3:
            return f"{family_latin.upper()} {given_latin}"
        if roll < 0.55:
            return f"{family_latin} {given_latin}"
        return f"{given_latin} {family_latin}"

    def _khmer(self) -> str:
        rng, pools = self.rng, self.pools
        family = rng.choice(pools["km_family"])
        return family if rng.random() < 0.15 else f"{family} {rng.choice(pools['km_given'])}"

    def _hungarian(self, family_first: bool) -> str:
        rng, pools = self.rng, self.pools
        family, given = rng.choice(pools["hu_family"]), rng.choice(pools["hu_given"])
        name = f"{family} {given}" if family_first else f"{given} {family}"
        return f"dr. {name}" if family_first and rng.random() < 0.15 else name

    def _brazilian(self) -> str:
        name = self.rng.choice(self.pools["brazilian"])
        roll = self.rng.random()
        if roll < 0.15:
            return name.split()[0]
        return name

    def _finnish(self) -> str:
        rng, pools = self.rng, self.pools
        given = rng.choice(pools["fi_given"])
        return given if rng.random() < 0.2 else f"{given} {rng.choice(pools['fi_family'])}"

    def _sri_lankan(self) -> str:
        rng, pools = self.rng, self.pools
        given, family = rng.choice(pools["lk_given"]), rng.choice(pools["lk_family"])
        roll = rng.random()
        if roll < 0.25:
            initials = " ".join(f"{rng.choice('ABDGHJKMPRSW')}." for _ in range(rng.choice([1, 2])))
            return f"{initials} {given} {family}"
        if roll < 0.35:
            return given
        return f"{given} {family}"

    def person(self, template: str = "") -> str:
        rng = self.rng
        if _HANZI.search(template):
            return self._chinese(hanzi=True)
        if _KHMER.search(template):
            return self._khmer()
        if _HUNGARIAN.search(template):
            return self._hungarian(family_first=True)
        if _FINNISH.search(template):
            return self._finnish()
        if _PORTUGUESE.search(template):
            return self._brazilian()
        source = rng.choices(
            ["pinyin", "hungarian", "brazilian", "finnish", "sri_lankan", "hanzi", "khmer"],
            weights=[20, 18, 18, 16, 20, 4, 4],
        )[0]
        name = {
            "pinyin": lambda: self._chinese(hanzi=False),
            "hungarian": lambda: self._hungarian(family_first=rng.random() < 0.3),
            "brazilian": self._brazilian,
            "finnish": self._finnish,
            "sri_lankan": self._sri_lankan,
            "hanzi": lambda: self._chinese(hanzi=True),
            "khmer": self._khmer,
        }[source]()
        roll = rng.random()
        if source not in ("hanzi", "khmer") and roll < 0.05:
            return name.lower()
        if source not in ("hanzi", "khmer") and roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        if self.rng.random() < 0.65:
            return local_phone(self.rng)
        return self.faker_phone(template)

    def iban(self, template: str = "") -> str:
        """An IBAN from ``Makers``, but none from Faker's ``th`` locale: Thailand has no IBAN, and the
        ones that locale makes up pass the mod-97 check without being account numbers."""
        while True:
            value = self.faker_iban(template)
            if not value.startswith("TH"):
                return value


HELDOUT8_TEMPLATES = [
    "standup: {PERSON} is blocked on the migration, {PERSON} reviews it",
    "{PERSON},{EMAIL_ADDRESS},{PHONE_NUMBER},active",
    "Co-authored-by: {PERSON} <{EMAIL_ADDRESS}>",
    "cc: {PERSON}; {PERSON}",
    "Calendar: 1:1 {PERSON} / {PERSON}, Thursday 10:00",
    "On-call handover: {PERSON} takes the pager from {PERSON} tonight.",
    "Refund approved for {PERSON} to card {CREDIT_CARD}",
    "The parcel was signed for by {PERSON} at the door.",
    "Can {PERSON} sign the NDA before Friday?",
    "I spoke with {PERSON} on {PHONE_NUMBER} this morning.",
    "Account holder {PERSON}, IBAN {IBAN_CODE}",
    "{PERSON} joined the channel from {IP_ADDRESS}",
    "welcome aboard {PERSON}! say hi in #general",
    "Tax form for {PERSON}, SSN {US_SSN}",
    "{PERSON} and {PERSON} will run the workshop.",
    "Customer {PERSON} (tel. {PHONE_NUMBER}) asked for a refund",
    "您好，{PERSON}，您的订单已发货。",
    "联系人：{PERSON}，电话：{PHONE_NUMBER}",
    "请{PERSON}明天把报告交给经理。",
    "សួស្តី {PERSON} ការបញ្ជាទិញរបស់អ្នកបានដឹកជញ្ជូនហើយ។",
    "ឈ្មោះ៖ {PERSON}",
    "Kedves {PERSON}!\nA csomagja úton van.",
    "Üdvözlettel:\n{PERSON}",
    "Ügyintéző: {PERSON}, tel.: {PHONE_NUMBER}",
    "Hei {PERSON}, tilauksesi on lähetetty.",
    "Terveisin,\n{PERSON}",
    "Yhteyshenkilö: {PERSON} ({PHONE_NUMBER})",
    "Prezado(a) {PERSON}, seu pedido foi enviado.",
    "Atenciosamente,\n{PERSON}",
    "Falar com {PERSON} no {PHONE_NUMBER}",
    "Responsável: {PERSON}",
    "mail {EMAIL_ADDRESS} from host {IP_ADDRESS} bounced",
    "charge {CREDIT_CARD} and text {PHONE_NUMBER}",
]
HELDOUT8_NEGATIVES = [
    "Rendelésszám: {order}, kelt {year}. {m:02d}. {d:02d}.",
    "Tilausnumero {order} toimitetaan {d}.{m}.{year}",
    "Pedido nº {order}, total R$ {a}.{c},{b:02d}",
    "订单号 {long}，金额 ¥{c}.{b:02d}",
    "វិក្កយបត្រ {order} សរុប {c},000 ៛",
    "Invoice {year}/{order} due in {a} days",
    "pin at {a}.{zip4}, {b}.{zip4}",
    "sprint {year}-W{q:02d}: {c} story points",
    "tracking RR{zip4}{zip}BR",
    "EAN-13 590{zip4}{zip}{q}",
    "build #{epoch} took {a}m{b:02d}s",
    "box {a} x {b} x {c} mm, {q}.{zip4} kg",
]
HELDOUT8_WORD_NEGATIVES = [
    "Budapest Keleti Railway Station Reopens",
    "Lake Balaton Summer Festival Tickets",
    "Helsinki Central Library Opening Hours",
    "Nokia Arena Ice Hockey Finals",
    "São Paulo Futebol Clube Season Tickets",
    "Rio Carnival Samba Parade Schedule",
    "北京首都国际机场 T{q} 航站楼",
    "上海浦东 地铁 {q} 号线 延误",
    "ភ្នំពេញ វិមានឯករាជ្យ",
    "Angkor Wat Sunrise Tour From {c} USD",
    "Galle Face Green Night Market",
    "Colombo Port City Expansion Approved",
    "Great Wall Mutianyu Cable Car Closed",
    "Sugarloaf Mountain Trail Maintenance",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT8."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT8_SEED, HELDOUT8_FAKER_LOCALES, [])
    values = Heldout8Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    makers.IBAN_CODE = values.iban  # type: ignore[method-assign]
    texts = (HELDOUT8_TEMPLATES, HELDOUT8_NEGATIVES, HELDOUT8_WORD_NEGATIVES)
    return pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout8.txt")
