"""HELDOUT7: the seventh held-out PII part, made because HELDOUT6's misses were studied (issue 9, item 8,
the fourth round on names); written, templates, negatives, generators and hand cases, before any detector
changed in that round and before any miss of HELDOUT6 was read; only its totals are printed.

Its names come from five packages that no earlier part and no name list was built from, in scripts and
naming customs that no earlier part's generator wrote names in:

- ``japanese-personal-name-dataset``: Japanese surnames and given names in kanji (family name first, with
  or without a space) or romaji (given name first, or the family name first in capitals);
- ``habesha-names``: Ethiopian and Eritrean given names in Ge'ez script or Latin letters, a person's own
  name followed by the father's (and sometimes the grandfather's), no surname;
- ``persian-names``: Persian names in Arabic script or Latin letters, with its compound surnames;
- ``vn-fullname-generator``'s data: Vietnamese names (family, middle, given), with or without diacritics,
  or the given name alone as people are addressed;
- ``turkish-name-generator``'s data: Turkish given names and surnames, the surname sometimes in capitals
  as Turkish forms write it.

Names are written in templates the other parts lack (Japanese, Persian, Amharic, Vietnamese and Turkish
sentences around a name in their script, quoted mail, patient and delivery forms, attendee lists,
reassignments), sometimes in lowercase or capitals (Latin only). The other types come from
``bench.pii_sets.Makers`` in Faker locales no other part uses, with this part's seed.
``data/pii/hard_heldout7.txt`` holds hand-written hard cases. Negatives: numbers that are not personal
data, and lines of capitalized words or of Japanese, Persian, Amharic or Vietnamese words that hold no
person (places, products, companies, events).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT7_SEED = 994021
HELDOUT7_FAKER_LOCALES = ["am_ET", "bs_BA", "en_AU", "en_CA", "ar_AE", "ar_JO", "it_CH"]
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ETHIOPIC = re.compile(r"[\u1200-\u137f]")
_VIETNAMESE = re.compile(r"Chào|Người nhận|Cảm ơn|đã|Gửi")
_TURKISH = re.compile(r"Sayın|Merhaba|Teslim|Bey|Hanım|İlgili")


def _text(package: str, *path: str) -> str:
    node = resources.files(package)
    for part in path:
        node = node / part
    return node.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once; persian-names draws from the global ``random``, whose state is put
    back afterwards."""
    import persian_names

    surnames = [
        r for r in csv.reader(io.StringIO(_text("japanese_personal_name_dataset", "dataset", "last_name_org.csv")))
    ]
    given = []
    for name in ("first_name_man_opti.csv", "first_name_woman_opti.csv"):
        for row in csv.reader(io.StringIO(_text("japanese_personal_name_dataset", "dataset", name))):
            if len(row) > 2:
                given.append((row[1], row[2 : min(len(row), 7)]))
    habesha = json.loads(_text("habesha_names", "data", "given_names.json"))["entries"]
    state = random.getstate()
    try:
        random.seed(HELDOUT7_SEED)
        persian_fa = [persian_names.fullname_fa() for _ in range(2000)]
        persian_en = [persian_names.fullname_en() for _ in range(2000)]
    finally:
        random.setstate(state)
    vn_given = [
        line.strip()
        for name in ("male.name", "female.name")
        for line in _text("vn_fullname_generator", "data", name).splitlines()
        if line.strip()
    ]
    vn_family = [
        line.strip() for line in _text("vn_fullname_generator", "data", "first.name").splitlines() if line.strip()
    ]
    tr_given = [line.split(",")[0] for line in _text("trnamegen", "data", "isimler.csv").splitlines()[1:] if line]
    tr_family = [line.strip() for line in _text("trnamegen", "data", "soyisimler.txt").splitlines() if line.strip()]
    return {
        "jp_family": [(r[0], r[3]) for r in surnames if len(r) > 3],
        "jp_given": given,
        "habesha": [(e["fidel"], e["canonical"]) for e in habesha if e.get("fidel") and e.get("canonical")],
        "persian_fa": persian_fa,
        "persian_en": persian_en,
        "vn_given": vn_given,
        "vn_family": vn_family,
        "tr_given": tr_given,
        "tr_family": tr_family,
    }


def _plain(text: str) -> str:
    """``text`` without its diacritics (Vietnamese typed on a keyboard without them); đ becomes d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _turkish_title(word: str) -> str:
    low = word.replace("I", "ı").replace("İ", "i").lower()
    head = {"i": "İ", "ı": "I"}.get(low[0], low[0].upper())
    return head + low[1:]


class Heldout7Values:
    """Names from their own sources; the other types from ``Makers`` (its seed and locales)."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT7_SEED + 17)
        self.pools = _pools()

    def _japanese(self, kanji: bool) -> str:
        rng, pools = self.rng, self.pools
        family_kanji, family_romaji = rng.choice(pools["jp_family"])
        given_romaji, given_kanji = rng.choice(pools["jp_given"])
        roll = rng.random()
        if kanji:
            given = rng.choice(given_kanji)
            if roll < 0.3:
                return family_kanji
            return f"{family_kanji}{rng.choice(['', ' ', '　'])}{given}"
        family, given = family_romaji.capitalize(), given_romaji.capitalize()
        if roll < 0.2:
            return family
        if roll < 0.45:
            return f"{family.upper()} {given}"
        return f"{given} {family}"

    def _habesha(self, fidel: bool) -> str:
        rng = self.rng
        count = rng.choices([1, 2, 3], weights=[25, 55, 20])[0]
        names = [rng.choice(self.pools["habesha"]) for _ in range(count)]
        return " ".join(n[0] if fidel else n[1] for n in names)

    def _persian(self, script: bool) -> str:
        name = self.rng.choice(self.pools["persian_fa" if script else "persian_en"])
        return name.split()[0] if self.rng.random() < 0.15 else name

    def _vietnamese(self, plain: bool) -> str:
        rng, pools = self.rng, self.pools
        given = rng.choice(pools["vn_given"])
        roll = rng.random()
        if roll < 0.2:
            name = given.split()[-1]
        else:
            name = f"{rng.choice(pools['vn_family'])} {given}"
        return _plain(name) if plain else name

    def _turkish(self) -> str:
        rng, pools = self.rng, self.pools
        given = rng.choice(pools["tr_given"])
        family = rng.choice(pools["tr_family"])
        roll = rng.random()
        if roll < 0.15:
            return given
        if roll < 0.45:
            return f"{given} {family}"
        return f"{given} {_turkish_title(family)}"

    def person(self, template: str = "") -> str:
        rng = self.rng
        if _JAPANESE.search(template):
            return self._japanese(kanji=True)
        if _ARABIC.search(template):
            return self._persian(script=True)
        if _ETHIOPIC.search(template):
            return self._habesha(fidel=True)
        if _VIETNAMESE.search(template):
            return self._vietnamese(plain=rng.random() < 0.2)
        if _TURKISH.search(template):
            return self._turkish()
        source = rng.choices(
            ["japanese", "habesha", "persian", "vietnamese", "turkish", "kanji", "fidel", "farsi"],
            weights=[20, 16, 16, 18, 18, 4, 4, 4],
        )[0]
        name = {
            "japanese": lambda: self._japanese(kanji=False),
            "habesha": lambda: self._habesha(fidel=False),
            "persian": lambda: self._persian(script=False),
            "vietnamese": lambda: self._vietnamese(plain=rng.random() < 0.4),
            "turkish": self._turkish,
            "kanji": lambda: self._japanese(kanji=True),
            "fidel": lambda: self._habesha(fidel=True),
            "farsi": lambda: self._persian(script=True),
        }[source]()
        roll = rng.random()
        if source in ("japanese", "habesha", "persian", "vietnamese", "turkish") and roll < 0.05:
            return name.lower()
        if source in ("japanese", "habesha", "persian", "vietnamese") and roll < 0.09:
            return name.upper()
        return name


HELDOUT7_TEMPLATES = [
    "Hi team, {PERSON} is out sick today; {PERSON} covers the queue.",
    "Delivery for {PERSON}, flat 4B, leave it with the concierge",
    "Approved by: {PERSON} ({EMAIL_ADDRESS})",
    "Can you check whether {PERSON} paid? Card on file {CREDIT_CARD}",
    "> On Tuesday, {PERSON} wrote:\n> the build is green again",
    "Patient: {PERSON}\nDOB: 1988-03-14\nTel: {PHONE_NUMBER}",
    "{PERSON} has been promoted to team lead.",
    "Interview scheduled with {PERSON} at 14:30",
    "Ticket 4471 reassigned from {PERSON} to {PERSON}",
    "Hello, my name is {PERSON} and my account is {IBAN_CODE}",
    "Best,\n{PERSON}\nSent from my phone",
    "Beneficiary name: {PERSON}; IBAN: {IBAN_CODE}",
    "user {PERSON} logged in from {IP_ADDRESS}",
    "Flight booked for {PERSON}, seat 14C",
    "Reminder: {PERSON}'s visa expires next month",
    "Attendees: {PERSON}; {PERSON}; {PERSON}",
    "SSN on the W-2 for {PERSON}: {US_SSN}",
    "call {PHONE_NUMBER} and ask for {PERSON} at reception",
    "Our new intern {PERSON} starts on the data team.",
    "{PERSON} <{EMAIL_ADDRESS}> shared a folder with you",
    "{PERSON}様\nいつもお世話になっております。",
    "担当者：{PERSON}",
    "{PERSON}さんから電話がありました。",
    "سلام {PERSON} عزیز، سفارش شما ارسال شد.",
    "با تشکر، {PERSON}",
    "ሰላም {PERSON}፣ ትዕዛዝዎ ተልኳል።",
    "ስም: {PERSON}",
    "Chào anh {PERSON}, đơn hàng của anh đã được giao.",
    "Người nhận: {PERSON}, SĐT {PHONE_NUMBER}",
    "Sayın {PERSON}, başvurunuz alınmıştır.",
    "Teslim alan: {PERSON}",
    "Merhaba {PERSON}, kargonuz yola çıktı.",
    "router {IP_ADDRESS} answered for {EMAIL_ADDRESS}",
    "refund card {CREDIT_CARD}, phone {PHONE_NUMBER}",
]
HELDOUT7_NEGATIVES = [
    "Order #{order} placed on {d:02d}/{m:02d}/{year}",
    "Build {a}.{b}.{c} passed {q} checks in {c} ms",
    "Room {c}, floor {q}, open {m}:{d:02d} to {a}:00",
    "Receipt {order}: total {c}.{b:02d} TRY",
    "注文番号 {order}、合計 {c} 円",
    "شماره سفارش {order}، مبلغ {c} تومان",
    "Mã đơn hàng {order}, tổng {c}.000 đ",
    "artifact sha {sha}, size {c} KB",
    "parcel {fedex} weighs {a}.{q} kg",
    "batch {uuid} finished at epoch {epoch}",
]
HELDOUT7_WORD_NEGATIVES = [
    "Tokyo Tower Night View Tickets",
    "東京駅 丸の内北口 集合",
    "Mount Fuji Climbing Season Opens",
    "Istanbul Airport Terminal {q} Closed",
    "Grand Bazaar Spice Market Tour",
    "تهران، خیابان ولیعصر، پلاک {c}",
    "Addis Ababa Light Rail Expands",
    "አዲስ አበባ ዩኒቨርሲቲ",
    "Hanoi Old Quarter Food Walk",
    "Ha Long Bay Cruise Deals From {c} USD",
    "Turkish Airlines Adds Flights To Osaka",
    "Blue Mosque Visiting Hours Extended",
    "Cappadocia Balloon Festival Tickets",
    "Nintendo Switch Sale Ends Sunday",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT7."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT7_SEED, HELDOUT7_FAKER_LOCALES, [])
    texts = (HELDOUT7_TEMPLATES, HELDOUT7_NEGATIVES, HELDOUT7_WORD_NEGATIVES)
    return pii_sets.build_part(
        makers, Heldout7Values(makers).person, texts, n_positive, n_negative, "hard_heldout7.txt"
    )
