"""HELDOUT6: the sixth held-out PII part, made because HELDOUT5's misses were studied (issue 9, item 8,
the third round on names); written, templates, negatives, generators and hand cases, before any detector
changed in that round and before any miss of HELDOUT5 was read; only its totals are printed.

Its names come from two sources that no earlier part and no name list was built from, in scripts that
no earlier part's generator wrote names in:

- ``russian-names``: Russian given names, patronymics and surnames, in Cyrillic or transliterated into
  Latin letters (its own transliteration), whole ("Юлия Валерьевна Бывальцева"), given and surname,
  surname and initials, given name alone;
- ``korean-name-generator``: Korean names in Hangul (a surname syllable and a given name), whole or the
  given name alone.

Names are written in templates the other parts lack (Russian and Korean sentences around a name in
their script, messenger exports, ticket fields, reference letters, "attn:", "ask", "ping"), sometimes in
lowercase or capitals (Latin only). The other types come from ``bench.pii_sets.Makers`` in locales no
name is drawn from here, with this part's seed. ``data/pii/hard_heldout6.txt`` holds hand-written hard
cases. Negatives: numbers that are not personal data, and lines of capitalized words or of Cyrillic and
Hangul words that hold no person (places, products, companies, events).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT6_SEED = 880417
HELDOUT6_FAKER_LOCALES = ["en", "nl_NL", "sv_SE", "ko_KR"]
HELDOUT6_MIMESIS_LOCALES = ["en-au", "en-ca", "nl-be", "ko"]
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """Russian names (Cyrillic, Latin) and Korean names (Hangul), drawn once with the part's seed; both
    packages draw from the global ``random``, whose state is put back afterwards."""
    from korean_name_generator import namer
    from russian_names import RussianNames

    state = random.getstate()
    try:
        cyrillic = list(RussianNames(count=3000, seed=HELDOUT6_SEED, rare=True))
        latin = list(RussianNames(count=3000, seed=HELDOUT6_SEED + 1, transliterate=True, rare=True))
        random.seed(HELDOUT6_SEED + 2)
        korean = [namer.generate(i % 2 == 0) for i in range(3000)]
    finally:
        random.setstate(state)
    return {"cyrillic": cyrillic, "latin": latin, "korean": korean}


class Heldout6Values:
    """Names from their own sources; the other types from ``Makers`` (its seed and locales)."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT6_SEED + 13)
        self.pools = _pools()

    def _russian(self, cyrillic: bool) -> str:
        rng = self.rng
        given, patronymic, surname = rng.choice(self.pools["cyrillic" if cyrillic else "latin"]).split()
        roll = rng.random()
        if roll < 0.3:
            return f"{given} {patronymic} {surname}"
        if roll < 0.6:
            return f"{given} {surname}" if rng.random() < 0.7 else f"{surname} {given}"
        if roll < 0.75:
            return f"{surname} {given[0]}. {patronymic[0]}." if rng.random() < 0.5 else f"{given[0]}. {surname}"
        return given

    def person(self, template: str = "") -> str:
        rng = self.rng
        if _CYRILLIC.search(template):
            return self._russian(cyrillic=True)
        if _HANGUL.search(template):
            name = rng.choice(self.pools["korean"])
            return name[1:] if rng.random() < 0.25 else name
        source = rng.choices(["latin", "cyrillic", "korean"], weights=[55, 25, 20])[0]
        if source == "korean":
            return rng.choice(self.pools["korean"])
        name = self._russian(cyrillic=source == "cyrillic")
        roll = rng.random()
        if source == "latin" and roll < 0.06:
            return name.lower()
        if source == "latin" and roll < 0.1:
            return name.upper()
        return name


HELDOUT6_TEMPLATES = [
    "attn: {PERSON}, invoice attached",
    "ask {PERSON} about the staging keys",
    "ping {PERSON} when the deploy finishes",
    "[12:04] {PERSON}: can someone restart the worker?",
    "Requester: {PERSON} | Priority: high",
    "I am happy to recommend {PERSON} for the position.",
    "The contract was countersigned by {PERSON} yesterday.",
    "Our driver {PERSON} will call you before arrival.",
    "Guest list: {PERSON}, {PERSON} and {PERSON}",
    "{PERSON} left a 2-star review on the app.",
    "Please send the keys to {PERSON}, {EMAIL_ADDRESS}",
    "Tutor {PERSON} cancelled Wednesday's lesson.",
    "name: {PERSON}\nphone: {PHONE_NUMBER}",
    "Payment from {PERSON} declined, card {CREDIT_CARD}",
    "Здравствуйте, {PERSON}! Ваш заказ отправлен.",
    "Спасибо, {PERSON}, всё работает.",
    "Ответственный: {PERSON}",
    "Передайте документы {PERSON} до пятницы.",
    "{PERSON} просит перенести встречу на вторник.",
    "안녕하세요 {PERSON}님, 주문이 발송되었습니다.",
    "담당자: {PERSON}",
    "{PERSON} 씨가 회의에 늦는다고 했어요.",
    "Signed, {PERSON}",
    "Visitor {PERSON} checked in from {IP_ADDRESS}",
    "{PERSON} wants SSN {US_SSN} masked in the export.",
    "Transfer to {PERSON}, IBAN {IBAN_CODE}.",
    "alert sent to {EMAIL_ADDRESS} from {IP_ADDRESS}",
]
HELDOUT6_NEGATIVES = [
    "Invoice {order} due {d:02d}.{m:02d}.{year}",
    "Flight {c} gate {q}{a}, boarding {m}:{d:02d}",
    "disk {a}% full on node {c}",
    "commit {sha} merged in {c} s",
    "Ticket {order}: {c} comments",
    "ISBN-free edition, {c} pages, {a}.{b:02d} EUR",
    "tracking {fedex} via depot {zip}",
    "model v{a}.{q}.{c} uploaded ({md5})",
    "Заказ {order} на сумму {c} руб.",
    "주문번호 {order}, 금액 {c}원",
]
HELDOUT6_WORD_NEGATIVES = [
    "Москва Сити: офис закрыт на праздники",
    "Санкт-Петербург, Невский проспект {c}",
    "Новый Год Скидки До {a}%",
    "서울 지하철 {q}호선 운행 중단",
    "삼성 갤럭시 신제품 출시",
    "Red Square Tours From {c} Rubles",
    "Seoul Forest Park Opens Early",
    "Golden Gate Bridge closed for the marathon",
    "Hope Valley Farm Apples {c} kg",
    "Grace Cathedral Choir Concert Tonight",
    "Baltic Sea Ferry Schedule Changed",
    "Lada Vesta Recall Affects {c} Cars",
    "Hyundai Motor Reports Record Sales",
    "Ivy League Admissions Open",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT6."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT6_SEED, HELDOUT6_FAKER_LOCALES, HELDOUT6_MIMESIS_LOCALES)
    texts = (HELDOUT6_TEMPLATES, HELDOUT6_NEGATIVES, HELDOUT6_WORD_NEGATIVES)
    return pii_sets.build_part(
        makers, Heldout6Values(makers).person, texts, n_positive, n_negative, "hard_heldout6.txt"
    )
