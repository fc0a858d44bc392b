"""HELDOUT14: the fourteenth held-out PII part, made because HELDOUT13's misses were studied (issue 9, item 8,
the eleventh round on names); written, templates, negatives, generators, phone formats and hand cases, before
any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from packages that no earlier part and no name list was built from, in forms that no earlier
part's generator wrote:

- ``random-name-type``'s tables: foreign names as Chinese writes them, in characters, given name and
  surname joined by a middle dot (``约翰·史密斯``, English, French, German, Spanish, Italian and Russian
  names), or the given name or the surname alone, and Chinese names with a compound surname (欧阳, 司马,
  诸葛 ...) and a given name of one or two of its characters;
- ``pt-names``' lists (read from its data files without importing it): Portuguese-language given names,
  many of them a registry's rare spellings (Jehnnifer, Wolgran), two of them at times, and its surnames,
  some of two words or with a particle (``da Costa``, ``de Assis``), one or two of them;
- ``bible-male-names``: the Bible's men's names (Abiathar, Zerubbabel), alone or with a second one as the
  surname, as churches and families in the Caribbean and the Pacific write them.

Names are written in templates the other parts lack (Chinese sentences, simplified and traditional,
European and African Portuguese, Cape Verdean Kriolu, Maltese, Luxembourgish, Samoan, Tongan, Bajan,
Brunei Malay and Omani English sentences around a name, YAML and JSON records, HTML table cells, review
trailers, meeting joins, reassigned tickets), sometimes in lowercase or capitals (Latin only). Phone
numbers: Angolan, Mozambican, Cape Verdean, Macanese, Maltese, Luxembourgish, Barbadian, Samoan, Bruneian
and Omani mobile numbers as people write them (written here, not by a library; each valid by
``phonenumbers``). The other types come from ``bench.pii_sets.Makers`` in the pt_PT, zh_TW and en_NZ
locales (only their non-name types are drawn; their IBANs, Portuguese and British where zh_TW and en_NZ
fall back to a GB layout, pass the mod-97 check). ``data/pii/hard_heldout14.txt`` holds hand-written hard
cases.

Negatives: numbers that are not personal data, some with the shape of an identifier this part labels:
a Multibanco payment reference (9 digits grouped 3-3-3, like a Portuguese mobile number) and a Portuguese
company's NIPC (9 digits), both with a real identifier's shape that no type here covers; a version string
and an SNMP OID of four numbers (an IP address's shape); an EAN-13 barcode (13 digits, as long as some
card numbers; its digits are not kept off the Luhn rule); a product lot code in an IBAN's groups of four
after ``PT`` and two digits (never valid by mod-97: the test checks); GPS coordinates; amounts in kwanza,
meticais, euros, yuan, Barbadian dollars and Omani rials; SF Express waybills, flight, ferry and invoice
numbers. Word lines: capitalized places, festivals and tours with no person in them, in English,
Portuguese, Maltese, Luxembourgish, Samoan and Tongan words (some with words that are also names
elsewhere: Harrison's Cave, Jerónimos, San Ġorġ, Monte Cara).
"""

from __future__ import annotations

import csv
import importlib.util
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT14_SEED = 840311
HELDOUT14_FAKER_LOCALES = ["pt_PT", "zh_TW", "en_NZ"]  # only their non-name types are drawn
LOCAL_REGIONS = ("AO", "MZ", "CV", "MO", "MT", "LU", "BB", "WS", "BN", "OM")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_PORTUGUESE = re.compile(r"Exmo|Olá|Nome completo|Caro |titular|Titular|Bom dia|Bon dia|Mano |Saudações")
_BIBLE = re.compile(r"Brother|Deacon|Talofa|Mālō|Wuh gine|Bongu|Moien|Assalamualaikum|Marhaba|Elder")
_SOURCE_OF = ((_CHINESE, "chinese"), (_PORTUGUESE, "portuguese"), (_BIBLE, "bible"))
_PARTICLES = {"DA", "DE", "DO", "DAS", "DOS", "E"}


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT14 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def pt_title(name: str) -> str:
    """A name of ``pt-names``' capitals as people write it: each word capitalized, particles in lowercase."""
    words = name.split()
    return " ".join(w.lower() if w in _PARTICLES and i else w.capitalize() for i, w in enumerate(words))


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in a fixed order."""
    import bible_male_names
    from random_name_type.data.chinese import CHINESE_NAME_DATA
    from random_name_type.data.foreign_zh import FOREIGN_TRANSLATED_NAME_DATA

    pools: dict[str, list] = {
        "foreign": [(region.value, data) for region, data in FOREIGN_TRANSLATED_NAME_DATA.items()],
        "cn_compound": list(CHINESE_NAME_DATA["family_names_compound"]),
        "cn_male": list(CHINESE_NAME_DATA["male"]),
        "cn_female": list(CHINESE_NAME_DATA["female"]),
    }
    data = _package_dir("pt_names") / "data_files"
    with (data / "first_names.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pools["pt_male"] = [r["name"] for r in rows if r["classification"] == "M"]
    pools["pt_female"] = [r["name"] for r in rows if r["classification"] == "F"]
    with (data / "last_names.csv").open(encoding="utf-8") as handle:
        pools["pt_family"] = [r["last_name"] for r in csv.DictReader(handle) if r["last_name"].strip()]
    pools["bible"] = list(bible_male_names.all())
    return pools


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): an Angolan, Mozambican, Cape Verdean, Macanese, Maltese, Luxembourgish, Barbadian,
    Samoan, Bruneian or Omani mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "AO":
        head, rest = "9" + rng.choice("12345"), _digits(rng, 7)
        forms = [
            f"+244 {head}{rest[0]} {rest[1:4]} {rest[4:]}",
            f"{head}{rest[0]} {rest[1:4]} {rest[4:]}",
            f"+244{head}{rest}",
        ]
    elif country == "MZ":
        head, rest = "8" + rng.choice("234567"), _digits(rng, 7)
        forms = [
            f"+258 {head} {rest[:3]} {rest[3:]}",
            f"{head} {rest[:3]} {rest[3:]}",
            f"+258{head}{rest}",
            f"00258 {head}{rest}",
        ]
    elif country == "CV":
        head, rest = rng.choice(["95", "97", "98", "99", "59", "58"]), _digits(rng, 5)
        forms = [
            f"+238 {head}{rest[0]} {rest[1:3]} {rest[3:]}",
            f"{head}{rest[0]} {rest[1:3]} {rest[3:]}",
            f"+238{head}{rest}",
        ]
    elif country == "MO":
        head, rest = "6" + rng.choice("235"), _digits(rng, 6)
        forms = [
            f"+853 {head}{rest[:2]} {rest[2:]}",
            f"{head}{rest[:2]} {rest[2:]}",
            f"(853) {head}{rest}",
            f"+853-{head}{rest[:2]}-{rest[2:]}",
        ]
    elif country == "MT":
        head, rest = rng.choice(["79", "77", "99"]), _digits(rng, 6)
        forms = [f"+356 {head}{rest[:2]} {rest[2:]}", f"{head}{rest[:2]} {rest[2:]}", f"00356 {head}{rest}"]
    elif country == "LU":
        head, rest = rng.choice(["621", "661", "691", "628", "651"]), _digits(rng, 6)
        forms = [
            f"+352 {head} {rest[:3]} {rest[3:]}",
            f"{head} {rest[:3]} {rest[3:]}",
            f"+352{head}{rest}",
            f"00352 {head}{rest}",
        ]
    elif country == "BB":
        ex, tail = (
            rng.choice(["230", "231", "232", "233", "234", "235", "236", "237", "238", "239", "820"]),
            _digits(rng, 4),
        )
        forms = [f"(246) {ex}-{tail}", f"246-{ex}-{tail}", f"+1 246 {ex} {tail}", f"1-246-{ex}-{tail}"]
    elif country == "WS":
        head, rest = "7" + rng.choice("25678"), _digits(rng, 5)
        forms = [f"+685 {head} {rest}", f"{head}{rest}", f"+685{head}{rest}"]
    elif country == "BN":
        head, rest = rng.choice("78") + rng.choice("123456789"), _digits(rng, 5)
        forms = [f"+673 {head}{rest[0]} {rest[1:]}", f"{head}{rest[0]} {rest[1:]}", f"+673-{head}{rest}"]
    else:
        head, rest = rng.choice(["9" + rng.choice("123456789"), "7" + rng.choice("12456789")]), _digits(rng, 6)
        forms = [
            f"+968 {head}{rest[:2]} {rest[2:]}",
            f"{head}{rest}",
            f"+968{head}{rest}",
            f"00968 {head}{rest[:2]} {rest[2:]}",
        ]
    return country, rng.choice(forms)


class Heldout14Values:
    """Names and phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT14_SEED + 61)
        self.pools = _pools()

    def chinese(self, template: str = "") -> str:
        rng = self.rng
        if rng.random() < 0.3:  # a Chinese name with a compound surname
            given = "".join(
                rng.choice(self.pools["cn_female" if rng.random() < 0.5 else "cn_male"])
                for _ in range(rng.choice((1, 2)))
            )
            return rng.choice(self.pools["cn_compound"]) + given
        _, data = rng.choice(self.pools["foreign"])
        given = rng.choice(data["female" if rng.random() < 0.5 else "male"])
        family = rng.choice(data["family"])
        if "先生" in template:
            return family
        roll = rng.random()
        if roll < 0.15:
            return given
        return f"{given}·{family}"

    def portuguese(self, template: str = "") -> str:
        rng = self.rng
        pool = self.pools["pt_female" if rng.random() < 0.5 else "pt_male"]
        given = pt_title(" ".join(rng.choice(pool) for _ in range(2 if rng.random() < 0.25 else 1)))
        family = " ".join(rng.choice(self.pools["pt_family"]) for _ in range(2 if rng.random() < 0.4 else 1))
        if ("Olá" in template or "Bom dia" in template or "Mano" in template) and rng.random() < 0.5:
            return given
        name = pt_title(f"{given} {family}")
        return name.upper() if "Nome completo" in template and rng.random() < 0.5 else name

    def bible(self, template: str = "") -> str:
        rng = self.rng
        given = rng.choice(self.pools["bible"])
        if rng.random() < 0.35:
            return given
        return f"{given} {rng.choice(self.pools['bible'])}"

    def person(self, template: str = "") -> str:
        rng = self.rng
        for cue, source in _SOURCE_OF:
            if cue.search(template):
                return getattr(self, source)(template)
        source = rng.choices(["chinese", "portuguese", "bible"], weights=[30, 40, 30])[0]
        name = getattr(self, source)(template)
        roll = rng.random()
        if source != "chinese" and roll < 0.05:
            return name.lower()
        if source != "chinese" and roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]


HELDOUT14_TEMPLATES = [
    "尊敬的{PERSON}：您的订单已发货，联系电话 {PHONE_NUMBER}",
    "联系人：{PERSON}，手机：{PHONE_NUMBER}",
    "感谢{PERSON}的耐心等待，退款已原路返回。",
    "会议纪要由{PERSON}整理，请于周五前反馈。",
    "收件人：{PERSON}\n电邮：{EMAIL_ADDRESS}",
    "@{PERSON} 麻烦看一下这个工单",
    "澳門{PERSON}先生，請致電 {PHONE_NUMBER}",
    "Exmo. Senhor {PERSON}, informamos que a sua encomenda foi expedida.",
    "Olá {PERSON}, o seu código de levantamento está pronto. Dúvidas: {PHONE_NUMBER}",
    "Nome completo: {PERSON}\nTelemóvel: {PHONE_NUMBER}",
    "Caro {PERSON}, segue em anexo a fatura de março.",
    "Bom dia {PERSON}, a reunião passou para as 15h.",
    "Bon dia {PERSON}, bu sta bon? Liga-m pa {PHONE_NUMBER}",
    "Mano {PERSON}, bazamos às 18h? Liga {PHONE_NUMBER}",
    "Saudações {PERSON}, o pagamento foi recebido, obrigado.",
    "Brother {PERSON} will lead the prayer meeting on Wednesday.",
    "Deacon {PERSON} - call {PHONE_NUMBER} about the harvest festival",
    "Talofa {PERSON}! The fono starts at 10, call {PHONE_NUMBER}",
    "Mālō e lelei {PERSON}, your parcel is waiting at the wharf",
    "Wuh gine on {PERSON}? Check me at {PHONE_NUMBER}",
    "Bongu {PERSON}, il-pakkett tiegħek wasal.",
    "Moien {PERSON}, ruff mech op {PHONE_NUMBER} un.",
    "Assalamualaikum {PERSON}, pesanan anda sudah sampai.",
    "Marhaba {PERSON}, your booking is confirmed, reach us on {PHONE_NUMBER}",
    "Reviewed-by: {PERSON} <{EMAIL_ADDRESS}>",
    "assignee: {PERSON}\nstatus: in progress",
    '{{"customer": "{PERSON}", "tel": "{PHONE_NUMBER}"}}',
    "[{PERSON}] joined the meeting from {IP_ADDRESS}",
    "Ticket #4521 reassigned from {PERSON} to {PERSON}",
    "From: {PERSON} <{EMAIL_ADDRESS}>\nSubject: invoice",
    "<td>{PERSON}</td><td>{PHONE_NUMBER}</td>",
    "# owner: {PERSON}, last reviewed in March",
    "Cardholder name: {PERSON}\nCard: {CREDIT_CARD}",
    "Pagamento com o cartão {CREDIT_CARD} recusado",
    "卡号 {CREDIT_CARD} 已绑定",
    "sshd: Accepted publickey for deploy from {IP_ADDRESS} port 52144",
    "SSN {US_SSN} on file for {PERSON}",
    "IBAN: {IBAN_CODE} (titular: {PERSON})",
    "{PERSON} and {PERSON} are on call this weekend",
    "Voicemail from {PHONE_NUMBER}: call back {PERSON} before noon",
    "Elder {PERSON} sends greetings, {EMAIL_ADDRESS}",
]
HELDOUT14_NEGATIVES = [
    "Multibanco: Entidade 21{c}, Referência {c} {c} {c}, Montante {c},{b:02d} €",
    "NIPC 5{order:08d}, fatura FT {year}/{order}",
    "firmware 2.{a}.{b}.{q} installed on {d}/{m}/{year}",
    "SNMP OID 1.3.6.{q} polled every {a} s",
    "EAN-13 560{order:08d}{q}{q}, caixa de {a} unidades",
    "Lote PT{a:02d} {zip4} {zip4} {zip4} {c}",
    "GPS -25.{order} 32.{order}, altitude {c} m",
    "Total Kz {c}.{c},00, recibo {order}",
    "Pago MZN {c} {b:02d}0,00, referência {order}",
    "合计 ¥{c}.{b:02d}，订单号 {order}",
    "顺丰运单 SF{long:012d}",
    "航班 NX{c}，座位 {a}A，登机口 {q}",
    "Voo TP {c}, porta {q}{a}, embarque {q}:{d:02d}",
    "Apia ferry departs {q}:{d:02d}, ticket {order}",
    "BBD ${c}.{b:02d} paid, receipt {order}",
    "OMR {c}.{c} due by {d}/{m}/{year}",
]
HELDOUT14_WORD_NEGATIVES = [
    "Ilha do Sal Catamaran Cruise",
    "Fortaleza de São Miguel Guided Visit",
    "Ilha de Moçambique Heritage Walk",
    "Senado Square Christmas Lights",
    "Ruínas de São Paulo Night Tour",
    "Mdina Glass Blowing Workshop",
    "Blue Grotto Boat Trip {year}",
    "Festa ta' San Ġorġ Fireworks",
    "Vianden Castle Medieval Festival",
    "Schueberfouer Opening Night",
    "To Sua Ocean Trench Swim",
    "Mapu a Vaea Blowholes Tour",
    "Harrison's Cave Tram Tour",
    "Crop Over Grand Kadooment Day",
    "Kampong Ayer Water Taxi",
    "Wahiba Sands Desert Camp",
    "Mosteiro dos Jerónimos Entry Tickets",
    "Monte Cara Sunrise Hike",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT14."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT14_SEED, HELDOUT14_FAKER_LOCALES, [])
    values = Heldout14Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    texts = (HELDOUT14_TEMPLATES, HELDOUT14_NEGATIVES, HELDOUT14_WORD_NEGATIVES)
    return pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout14.txt")
