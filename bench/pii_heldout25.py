"""HELDOUT25: the twenty-fifth held-out PII part, made because HELDOUT24's misses were studied (issue 9, item 8,
the twenty-second round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from two packages that no earlier part and no name list was built from, each giving given names
and surnames, drawn with this part's own random source: ``randino`` (a generator of names in nine languages;
its Japanese, Korean, Chinese and Vietnamese pools are drawn, each name with its native form, ``高田静香``,
``최민서``, ``赵佳琪``, ``Nguyễn Diệu Đào``, and the package's own Latin form, ``Takada Shizuka``, ``Choi Minseo``,
``Zhao Jiaqi``, ``Nguyen Dieu Dao``, family name first as the package gives it) and ``farsi-faker`` (Persian
given names and family names in the Persian script, many compound such as ``منصوری حبیب آبادی``, and the
package's own lossy Latin spelling of them, ``Bdran Pormradi``, written here capitalized). Names are written as
people write them: in the native script in a chat or form of their language, in Latin letters family name first
in an Asian form's ``NAME (LATIN)`` field, given name first in an English line (a Vietnamese name keeps its
family name first), in capitals in a passport line, and a given name alone after a greeting. The other
packages looked at and left: ``myouji-kenchi`` (no release that installs), ``arabicnames`` (does not build),
``rwafaker`` (its wheel holds no module), ``turkishfullnamegenerator`` and ``neym`` (Turkish, as
``turkish-name-generator`` spent), ``fake-persian-name`` (given names only).

Templates the other parts lack: a KakaoTalk and a Zalo message, a LINE chat in Japanese, a WeChat transfer note,
a Korean ``성명`` form, a Japanese ``氏名`` form, a Vietnamese ``Họ và tên`` form, a Persian ``نام و نام
خانوادگی`` form and a Divar-style ad in Finglish, a passport's name line, greetings in Chamorro (Guam and the
Northern Marianas), Samoan (American Samoa), Niuean, Wallisian, Saint-Pierre French, Falklands and Turks and
Caicos English, Antiguan creole and Guernésiais; a Slack export's ``real_name``, a PGP user id, a Dockerfile
``LABEL maintainer``, a Jira ``Reporter:`` line, a CSV row, a YAML front matter ``author:``, a sudo syslog line.
Phone numbers: mobile numbers of South Korea, Vietnam, Guam, the Northern Marianas, American Samoa, Niue, Wallis
and Futuna, Saint Pierre and Miquelon, the Falklands, Turks and Caicos, Antigua and Guernsey as people write them
(written here, not by a library; each valid by ``phonenumbers`` and a mobile number of its region: the test
checks). Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55, JCB's 3528 to 3589,
UnionPay's 62 of 16 and 19 digits, NAPAS's 9704, Amex's 34 and 37 of 15 digits, Discover's 644 to 649), each
completed by its Luhn digit, in forms of this part's own: fours parted by ideographic spaces (U+3000, as typed
on a Japanese or Chinese keyboard), fours parted by `` - `` (a hyphen with spaces), two runs of eight, a
nineteen-digit number as 4-4-4-7, and Amex's fifteen as 4-6-5 parted by dots.
The other types come from ``bench.pii_sets.Makers`` in the ko_KR, fa_IR and it_IT locales (only their
non-name types are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a parcel number ``010-``
+ four digits + five (a Korean mobile number's shape with a digit too many: the test checks it is valid in none
of the part's regions); a Guam permit ``671-1`` + two digits + four (a NANP number's shape, an exchange beginning
with 1, so never valid: the test checks); a gift-card code of 16 digits in fours parted by ideographic spaces and
a membership number in two eights (card shapes; each made to fail Luhn: the test checks); a contract ``IR`` + two
digits + twenty-two digits in groups (an Iranian IBAN's shape; check digits that would pass mod-97 are moved by
one: the test checks); a Korean business number (``123-45-67890``, a firm's) and a Vietnamese tax code of a
company (ten digits and ``-001``, a branch's); a SNMP OID ``1.3.6.1.{a}.{b}``, a firmware ``10.{a}.{c}.{b}`` and a
semantic version with four fields (an IP address's shape); coordinates near Seoul, Hanoi, Hagåtña, Saipan, Pago
Pago, Alofi, Mata-Utu, Saint-Pierre, Stanley, Cockburn Town, St. John's and St Peter Port; amounts in won, dong,
yen, yuan, rials, pounds and East Caribbean dollars.
Word lines: capitalized feasts, places and fairs with no person in them, in Korean (in Hangul), Japanese (in
kanji and kana), Vietnamese, Chamorro, Samoan, Niuean, Wallisian, Saint-Pierre French, Falklands English,
Turks and Caicos English, Antiguan creole and Guernésiais, none of whose words are drawn as names here, some
holding words that are names elsewhere (Santa Marian Kamalen, Saint-Pierre, Stanley, Sark).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bench.pii_makers import build_with_values, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT25_SEED = 2525131
HELDOUT25_FAKER_LOCALES = ["ko_KR", "fa_IR", "it_IT"]  # only their non-name types are drawn
LOCAL_REGIONS = ("KR", "VN", "GU", "MP", "AS", "NU", "WF", "PM", "FK", "TC", "AG", "GG")
ASIAN = ("ja", "ko", "zh", "vi")


@lru_cache(maxsize=1)
def _farsi_class() -> type:
    try:
        from farsi_faker import FarsiFaker
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError("HELDOUT25 needs the package 'farsi-faker' (the dev extra)") from e
    return FarsiFaker


def _rand_name() -> Callable[..., list[Any]]:
    try:
        from randino.name.rand_name import rand_name
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError("HELDOUT25 needs the package 'randino' (the dev extra)") from e
    return rand_name


def asian_name(rng: random.Random, language: str, given_only: bool = False) -> tuple[str, str]:
    """(native, latin): one name of randino's ``language`` pool, drawn with ``rng``; family name first in both."""
    detail = _rand_name()(
        language=language, count=1, random=rng.random, output="detail", include_surname=not given_only
    )[0]
    return detail.native, detail.roman


def capitalized(latin: str) -> str:
    """farsi-faker's lower-case Latin spelling with each part capitalized, after a hyphen too."""
    return re.sub(r"(^|[ -])(\w)", lambda m: m.group(1) + m.group(2).upper(), latin)


def _nanp(rng: random.Random, area: str, exchanges: tuple[str, ...]) -> list[str]:
    exchange, line = rng.choice(exchanges), _digits(rng, 4)
    return [
        f"({area}) {exchange}-{line}",
        f"+1-{area}-{exchange}-{line}",
        f"{area} {exchange} {line}",
        f"1{area}{exchange}{line}",
    ]


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a mobile number of South Korea, Vietnam, Guam, the Northern Marianas, American Samoa,
    Niue, Wallis and Futuna, Saint Pierre and Miquelon, the Falklands, Turks and Caicos, Antigua or Guernsey as
    people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "KR":
        a, b = rng.choice("2346789") + _digits(rng, 3), _digits(rng, 4)  # 010-59xx is not given out
        forms = [f"010-{a}-{b}", f"010 {a} {b}", f"+82 10-{a}-{b}", f"+82-10-{a}{b}", f"010.{a}.{b}"]
    elif country == "VN":
        n = rng.choice(["90", "91", "93", "94", "96", "97", "98", "86", "88", "32", "35", "39", "70", "77", "79"])
        n += _digits(rng, 7)
        forms = [
            f"0{n[:3]} {n[3:6]} {n[6:]}",
            f"+84 {n[:2]} {n[2:5]} {n[5:]}",
            f"0{n[:2]}.{n[2:5]}.{n[5:]}",
            f"(+84) {n}",
        ]
    elif country == "GU":
        forms = _nanp(rng, "671", ("483", "486", "687", "688", "747", "777", "788", "838", "858", "868", "898", "929"))
    elif country == "MP":
        forms = _nanp(rng, "670", ("234", "235", "256", "285", "286", "287", "322", "483", "484", "488", "588", "788"))
    elif country == "AS":
        forms = _nanp(rng, "684", ("733", "252", "254", "256", "258", "770", "731", "272"))
    elif country == "TC":
        forms = _nanp(rng, "649", ("231", "232", "241", "242", "243", "244", "330", "331", "332", "341", "342", "345"))
    elif country == "AG":
        forms = _nanp(rng, "268", ("464", "720", "721", "722", "725", "726", "727", "764", "770", "771", "772", "785"))
    elif country == "NU":
        n = "888" + rng.choice("456789") + _digits(rng, 3)
        forms = [f"+683 {n[:3]} {n[3:]}", f"{n[:3]} {n[3:]}", f"+683{n}", f"00683 {n}"]
    elif country == "WF":
        n = rng.choice(["82", "83", "72"]) + _digits(rng, 4)
        forms = [f"+681 {n[:2]} {n[2:4]} {n[4:]}", f"{n[:2]} {n[2:4]} {n[4:]}", f"+681{n}", f"00 681 {n}"]
    elif country == "PM":
        n = rng.choice(["55", "40"]) + _digits(rng, 4)
        forms = [f"+508 {n[:2]} {n[2:4]} {n[4:]}", f"{n[:2]} {n[2:4]} {n[4:]}", f"+508{n}", f"00508 {n}"]
    elif country == "FK":
        n = rng.choice("56") + _digits(rng, 4)
        forms = [f"+500 {n}", f"(+500) {n}", f"00500 {n}", f"+500-{n}"]
    else:
        n = rng.choice(["7781", "7839"]) + _digits(rng, 6)
        forms = [f"0{n[:4]} {n[4:]}", f"+44 {n[:4]} {n[4:]}", f"+44 (0){n[:4]} {n[4:]}", f"0{n[:4]}-{n[4:7]}-{n[7:]}"]
    return country, rng.choice(forms)


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (("51", "52", "53", "54", "55"), 16),
    (tuple(str(n) for n in range(3528, 3590)), 16),
    (("62",), 16),
    (("62",), 19),
    (("9704",), 16),
    (("34", "37"), 15),
    (("644", "645", "646", "647", "648", "649"), 16),
)
IDEOGRAPHIC_SPACE = "\u3000"


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: sixteen digits'
    fours parted by ideographic spaces or by `` - ``, or as two runs of eight; nineteen as 4-4-4-7 parted by
    spaces; Amex's fifteen as 4-6-5 parted by dots (the label is the digits and what parts them)."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if length == 15:
        return ".".join([number[:4], number[4:10], number[10:]])
    if length == 19:
        return " ".join([number[:4], number[4:8], number[8:12], number[12:]])
    roll = rng.random()
    if roll < 0.3:
        return f"{number[:8]} {number[8:]}"
    fours = [number[i : i + 4] for i in range(0, 16, 4)]
    return (IDEOGRAPHIC_SPACE if roll < 0.65 else " - ").join(fours)


# A template's language: its names come from that culture and are written in its script
_NATIVE_MARKS = {
    "ko": ("카톡", "성명", "님"),
    "ja": ("氏名", "さん", "LINE"),
    "zh": ("微信", "转账"),
    "vi": ("Zalo", "Họ và tên", "Chào"),
    "fa": ("نام", "سلام"),
}
_LATIN_FIRST = ("NAME (LATIN)", "Passport")


class Heldout25Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT25_SEED + 59)
        self.farsi = _farsi_class()(seed=HELDOUT25_SEED + 61)

    def _persian(self) -> tuple[str, str, str]:
        """(full name, given name, in the Persian script; a full name in Latin letters, given name first, drawn
        apart) of farsi-faker."""
        full = self.farsi.full_name()
        latin = f"{capitalized(self.farsi.first_name_en())} {capitalized(self.farsi.last_name_en())}"
        return full["name"], full["first_name"], latin

    def person(self, template: str = "") -> str:
        """A full name of one source (of the template's culture in a template of its language), sometimes a given
        name alone; in the native script there, in Latin letters elsewhere."""
        rng = self.rng
        language = next((lang for lang, marks in _NATIVE_MARKS.items() if any(m in template for m in marks)), "")
        if language == "fa" or (not language and rng.random() < 0.3):
            native, given, latin = self._persian()
            if language == "fa":
                return given if "سلام" in template and rng.random() < 0.4 else native
            return latin.upper() if "Passport" in template else latin
        lang = language or rng.choice(ASIAN)
        alone = rng.random() < 0.1 and "NAME" not in template
        native, latin = asian_name(rng, lang, given_only=alone)
        if language:
            return native
        if any(m in template for m in _LATIN_FIRST):
            return latin.upper() if "Passport" in template else latin
        if alone or lang == "vi":  # Vietnamese keep the family name first in any language
            return latin
        family, _, given = latin.partition(" ")
        return f"{given} {family}"

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT25_TEMPLATES = [
    "[카톡] {PERSON}: 제 번호 바뀌었어요 {PHONE_NUMBER}",
    "성명: {PERSON}\n연락처: {PHONE_NUMBER}",
    "{PERSON}님, 결제하신 카드 {CREDIT_CARD} 승인되었습니다",
    "氏名：{PERSON}\n電話番号：{PHONE_NUMBER}",
    "{PERSON}さん、明日の会議は10時からです (LINE)",
    "微信转账：{PERSON} 向您转账 ¥500，卡号 {CREDIT_CARD}",
    "Zalo: {PERSON} ơi, số mới của mình là {PHONE_NUMBER}",
    "Họ và tên: {PERSON} — SĐT {PHONE_NUMBER}",
    "Chào {PERSON}, đơn hàng của bạn đã được giao",
    "نام و نام خانوادگی: {PERSON}\nتلفن همراه: {PHONE_NUMBER}",
    "سلام {PERSON} جان، شماره کارتت {CREDIT_CARD} رو بفرست",
    "Forooshi: gooshi salem, tamas ba {PERSON} {PHONE_NUMBER}",
    "NAME (LATIN): {PERSON}\nNATIONALITY: KOR",
    "Passport P<KOR — holder {PERSON}, contact {EMAIL_ADDRESS}",
    "Håfa adai {PERSON}! Ågang yo' gi {PHONE_NUMBER}",
    "Talofa {PERSON}, fa'amolemole vala'au mai i le {PHONE_NUMBER}",
    "Fakaalofa lahi atu {PERSON}, {PHONE_NUMBER}",
    "Mālō te ma'uli {PERSON}, telefoni {PHONE_NUMBER}",
    "Bonjour {PERSON}, la mairie de Miquelon vous rappelle au {PHONE_NUMBER}",
    "Stanley: parcel for {PERSON} at the FIC store, ring {PHONE_NUMBER}",
    "Cockburn Town — {PERSON} booked the ferry, call {PHONE_NUMBER}",
    "Wha' de scene {PERSON}? lick me a call pon {PHONE_NUMBER}",
    "Bouonjour {PERSON}, crie-mé au {PHONE_NUMBER}",
    '{{"id":"U02ABCD","real_name":"{PERSON}","profile":{{"email":"{EMAIL_ADDRESS}"}}}}',
    "uid  [ultimate] {PERSON} <{EMAIL_ADDRESS}>",
    'LABEL maintainer="{PERSON} <{EMAIL_ADDRESS}>"',
    "Reporter: {PERSON} | Priority: High | Card {CREDIT_CARD} charged twice",
    '2041,"{PERSON}",{PHONE_NUMBER},paid',
    "---\nauthor: {PERSON}\ntitle: Release notes\n---",
    "sudo: pam_unix(sudo:session): session opened for user root by {PERSON} from {IP_ADDRESS}",
    "Thanh toán thẻ {CREDIT_CARD} cho {PERSON} bị từ chối",
    "{PERSON} and {PERSON} swapped the night shift",
    "Session opened for {PERSON} from {IP_ADDRESS}",
    "SSN {US_SSN} on file for {PERSON}",
    "Beneficiario: {PERSON} — IBAN {IBAN_CODE}",
    "Refund to card {CREDIT_CARD} approved for {PERSON} in Saipan",
    "Pago Pago clinic: {PERSON}, cell {PHONE_NUMBER}",
    "Login failed for {EMAIL_ADDRESS} from {IP_ADDRESS}",
    "Payee {PERSON}, account {IBAN_CODE}",
    "St Peter Port: {PERSON} left a card {CREDIT_CARD} at the desk",
]
HELDOUT25_NEGATIVES = [
    "택배 운송장 010-{zip4}-{zip4}{q}",  # a digit too many for a Korean mobile: no number
    "Guam permit 671-1{b:02d}-{zip4} renewed",  # NANP shape, an exchange beginning with 1: never a number
    "ギフトカード {zip4}\u3000{m:02d}{d:02d}\u3000{c}{q}\u3000{b:02d}{d2:02d}",  # made to fail Luhn
    "Membership {zip4}{m:02d}{d:02d} {c}{q}{b:02d}{d2:02d}",  # made to fail Luhn
    "Gharardad IR{a:02d} {zip4} {zip4} {zip4} {zip4} {zip4} {b:02d}",  # made to fail mod-97
    "사업자등록번호 {c}-{b:02d}-{zip4}{q}",
    "Mã số thuế {zip4}{c}{q}{b:02d}-001",
    "OID 1.3.6.1.{a}.{b} registered",
    "firmware 10.{a}.{c}.{b} flashed",
    "release 2.{a}.{b}.{q} tagged",
    "Seoul 37.{zip4} 126.{c}",
    "Hanoi 21.{zip4} 105.{c}",
    "Hagåtña 13.{zip4} 144.{c}",
    "Saipan 15.{zip4} 145.{c}",
    "Pago Pago -14.{zip4} -170.{c}",
    "Alofi -19.{zip4} -169.{c}",
    "Mata-Utu -13.{zip4} -176.{c}",
    "Saint-Pierre 46.{zip4} -56.{c}",
    "Stanley -51.{zip4} -57.{c}",
    "Cockburn Town 21.{zip4} -71.{c}",
    "St. John's 17.{zip4} -61.{c}",
    "St Peter Port 49.{zip4} -2.{c}",
    "₩{a},{c},000 결제, 주문 {order}",
    "{a}.{c}.000 ₫ đã thanh toán, đơn {order}",
    "¥{a},{c} お支払い済み 注文 {order}",
    "¥{c}.{b:02d} 已付款 订单 {order}",
    "{a},{c},000 ریال پرداخت شد، سفارش {order}",
    "£{c}.{b:02d} paid in Stanley, receipt {order}",
    "EC${c}.{b:02d} paid in St. John's, receipt {order}",
]
HELDOUT25_WORD_NEGATIVES = [
    "부산 국제영화제 해운대 영화의전당",
    "祇園祭 京都 八坂神社 四条通",
    "Lễ Hội Chùa Hương Mỹ Đức Hà Nội",
    "Santa Marian Kamalen Hagåtña Cathedral Basilica",
    "Liberation Day Carnival Garapan Saipan",
    "Teuila Festival Apia Mulinu'u Peninsula",
    "Flag Day Fagatogo Utulei Pago Pago",
    "Constitution Day Alofi Tuapa Hakupu",
    "Katoaga Mata-Utu Uvea Lalolalo",
    "Fête Basque Saint-Pierre Miquelon Langlade",
    "Liberation Day Stanley Ross Road Christ Church Cathedral",
    "Conch Festival Blue Hills Providenciales Grace Bay",
    "Antigua Carnival St. John's Redcliffe Quay",
    "La Fête d'Été Sark Sercq La Coupée",
    "서울 세계불꽃축제 여의도 한강공원",
    "Tết Trung Thu Phố Cổ Hội An",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT25."""
    texts = (HELDOUT25_TEMPLATES, HELDOUT25_NEGATIVES, HELDOUT25_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT25_SEED,
        HELDOUT25_FAKER_LOCALES,
        Heldout25Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout25.txt",
        never_valid,
    )


_CONTRACT = re.compile(r"Gharardad IR(\d\d) ([\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:ギフトカード|Membership) ([\d \u3000]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a contract number that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _CONTRACT, "IR"), _CARD_SHAPED)
