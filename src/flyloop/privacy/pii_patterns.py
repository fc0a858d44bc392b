"""Pattern recognizers for PII redaction: regular expressions plus the checks that make them
precise (Luhn for cards, mod-97 for IBANs, base58check for Bitcoin addresses, the stdlib's
``ipaddress`` for IPs, SSN area rules), written here rather than taken from Presidio.

Why by hand: pattern mode is the default and runs on a core install, so it may not need the
``pii`` extra; and Presidio's pattern pipeline (``phonenumbers`` scanning every text for eight
regions) costs about 2 ms per 100 characters, where these checks cost tens of microseconds
(``bench/bench_redaction.py`` measures the ratio in one run). Phone numbers are recognized by
their written shape, not by a numbering plan: a ``+1`` number whose area code a phone library
calls unassigned is still somebody's number in a chat log, and a redactor errs towards removing.
Without a phone word nearby, a number counts when it is grouped the way phone numbers are
written (three or more groups of 2-4 digits, "22 110 56 16", or a bracketed area code) or has a
numbering plan's shape (North American, a trunk 0, Indian and Chinese mobiles).

Digits are read as *runs*: digit groups joined by single separators (space, ``-``, ``.``, ``/``,
parentheses), with an optional leading ``+``/``00`` and a trailing extension (``x123``,
``ext. 12``). Inside a run the longest window of groups that reads as a card, an SSN or a phone
number wins, so ``4111 1111 1111 1111 415-555-0134`` gives a card and a phone. Dates are taken
out first so ``2024-05-01`` never looks like digits of a number.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from flyloop.privacy.pii_ibans import IBAN_LENGTHS


class Hit(NamedTuple):
    entity: str
    start: int
    end: int
    score: float


# --- free-standing patterns -----------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.+%'-])[\w.+%'-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}(?![\w-]|\.[^\W\d_])"
)
URL = re.compile(r"(?<![\w@])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]+", re.I)
_URL_TAIL = ".,;:!?)]}'\""
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"(?<![\w.])(?:{_OCTET}\.){{3}}{_OCTET}(?:/\d{{1,2}})?(?![\w]|\.\d)")
IPV6 = re.compile(
    # an IPv4 tail ("::ffff:10.0.0.7") may be followed by a port; eight colons are read so that an
    # address with its port unbracketed is found (span_hits cuts the port off)
    r"(?<![\w:.])(?:(?:[0-9A-Fa-f]{0,4}:){2,6}(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"
    r"|(?:[0-9A-Fa-f]{0,4}:){2,8}(?:[0-9A-Fa-f]{1,4}(?!\.\d))?(?:%\w+)?(?![\w:]))"
)
MAC = re.compile(
    r"(?<![\w:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])"
    r"|(?<![\w.])(?=[0-9.]*[A-Fa-f])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])"
)
IBAN_START = re.compile(r"(?<![\w:])[A-Z]{2}\d{2}(?=[ ]?[A-Z0-9])", re.I)
# The writer calls it an IBAN (or a transfer's account): then a code shorter than any registered
# IBAN (15) still counts if mod-97 holds ("my iban: TH33 5959 6781 73", a layout some banks and
# generators use outside the registry); without the word, 15 is the floor.
IBAN_CUE = re.compile(r"\b(?:iban|sepa|bic|swift|bank account|account (?:no|number))\b", re.I)
BITCOIN = re.compile(r"(?<![\w])(?:[13][a-km-zA-HJ-NP-Z1-9]{25,34}|bc1[ac-hj-np-z02-9]{11,71})(?![\w])")
ETHEREUM = re.compile(r"(?<![\w])0x[0-9a-fA-F]{40}(?![\w])")
# Dates and clock times look like digit groups; they are taken out before numbers are read.
DATE = re.compile(
    r"(?<![\w.\-/])(?:\d{4}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    r"|\d{4}\. (?:0?[1-9]|1[0-2])\. (?:0?[1-9]|[12]\d|3[01])\.?"  # Hungarian, Korean: "2008. 12. 28."
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:\d{4}|\d{2}))(?![\w]|[.\-/]?\d)"
)
# a version's, an object identifier's or a section's word before four dotted numbers: no IP ("SNMP OID 1.3.6.1")
_VERSION_WORD = re.compile(
    r"(?:version|release|build|firmware|v|oid|snmp|mib|§|section|clause|article|art\.|paket|obis[ \t]+[\d-]+:)[ :]*$",
    re.I,
)

# --- digit runs ---------------------------------------------------------------------------------

_SEP = r"(?:[ \u00a0]?[.\-/][ \u00a0]?|[ \u00a0]|(?<=\))|(?=\())"
_GROUP = r"\(?\d+\)?"
_EXT = r"(?P<ext>[ ]?(?:x|ext\.?|extn\.?|extension|\#)[ ]?:?[ ]?\d{1,6})"
# Scripts written without spaces between words (Han, kana, Hangul, Thai, Khmer): a number may touch them.
_UNSPACED = "\u0e00-\u0e7f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
RUN = re.compile(
    # a number may follow a two-letter lowercase clitic's hyphen, as in Bantu languages ("ku-0722 987 476");
    # not an identifier's prefix ("INV-2024-000123")
    rf"(?:(?<![\w@+\-/\\$€£¥])|(?<=[{_UNSPACED}])|(?<=(?-i:\b[a-z]{{2}})-))(?<!\d[.,:])(?P<plus>\+[ ]?)?{_GROUP}"
    rf"(?:{_SEP}{_GROUP})*{_EXT}?"
    rf"(?:(?![\w@])|(?=[{_UNSPACED}]))",
    re.I,
)
_GROUP_IN_RUN = re.compile(r"\(?(\d+)\)?")

_PHONE_CONTEXT = re.compile(
    r"\b(?:phone|telephone|tel|cell|cellphone|mobile|mob|call|calls|calling|called|text|sms|"
    r"whatsapp|signal|telegram|fax|number|reach|contact|dial|ring|landline|hotline|"
    r"telefon|t[ée]l[ée]phone|handy|m[óo]vil|cellulare|celular|ph|tlf|telp|tlp|puhelin|simu|"
    r"τηλ|τηλέφωνο|κινητό|тел|телефон|моб|мобильный|फ़ोन|फोन|मोबाइल|ফোন|மொபைல்|தொலைபேசி|điện thoại|sđt|"
    # Icelandic, Swahili, Zulu words for a phone or a call; a mobile-money number's key
    r"sími|símanúmer|simu|namba ya simu|piga|usishayele|shayela|ucingo|msisdn|telefononi|tālr|tālrunis|tālruņa|"
    r"skambinkite|helistage|nazovite|позовите|"
    # Chilean, Indonesian, Czech and Slovak, Tagalog, Armenian (in Latin letters) words for a phone or a call
    r"fono|celu|hubungi|dihubungi|zavolej|zavolejte|volejte|zavolajte|tawagan|pakitawagan|tumawag|zangahari|"
    r"zangaharel|zangahareq|"
    # Kazakh, Ukrainian and Russian, Mauritian Creole, Wolof, Azerbaijani
    r"байланыс|телефоны|набери|наберіть|зателефонуй|зателефонуйте|подзвони|подзвоніть|позвоните|apel|woolal|"
    r"zəng|ruf|rufen|anrufen|javi|javite|sunați|sunati|oddzwoń|oddzwon|zadzwoń|zadzwon|ehenói|"
    # Portuguese, Cape Verdean, Luxembourgish
    r"ligue|ligar|liga-m|telemóvel|telemovel|chamada|ruff|urufft|"
    # Persian and Arabic, and their chat spellings in Latin letters (Darija, Lebanese, Persian); Somali
    r"تماس|تلفن|موبایل|همراه|هاتف|جوال|للاستفسار|اتصل|tamas|kellemni|kalemni|kallemni|3ayetli|3ayatli|tehkine|wac)\b"
    # Chinese, where no space or word boundary sets a word apart
    r"|电话|電話|手机|手機|致电|致電",
    re.I,
)
_CARD_CONTEXT = re.compile(
    r"\b(?:card|cc|credit|debit|visa|master ?card|amex|american express|discover|diners|"
    r"jcb|maestro|unionpay|payment|pay|paid|pan|cvv|expires?|expiry|charged?|charges|declined|checkout|purchase|"
    r"billing|billed|refund|refunded|kortnummar|kortnummer|kartennummer|karteninhaber|kart|"
    # the word for a card in other languages (Ukrainian, Russian, Polish, Czech, German, Spanish, Portuguese,
    # French, Dutch, Indonesian)
    r"картка|картки|карта|карты|картой|kartka|karta|karty|karte|kreditkarte|tarjeta|cartão|cartao|carte|kaart|"
    r"kartu)\b",
    re.I,
)
_SSN_CONTEXT = re.compile(
    r"\b(?:ssn|ss#|ss no|social security|social|tax ?id|tin|itin|taxpayer|"
    r"s[ée]curit[ée] sociale|seguro social|seguridad social|sozialversicherung\w*|previdenza sociale)\b",
    re.I,
)
# Words before a bare number that say it is an identifier of something, not a phone number.
_ID_WORDS = (
    r"order|invoice|ticket|tracking|track|id|ids|ref|reference|account|acct|serial|sku|po|confirmation|"
    r"transaction|txn|isbn|case|item|part|batch|lot|build|version|model|product|member|policy|claim|booking|"
    r"reservation|registration|license|licence|vin|patent|customer|zip|postcode|code|pin|otp|"
    r"parcel|package|shipment|consignment|waybill|awb|container|meter|reading|till|paybill|challan|rēķins|"
    r"račun|рачун|sąskaita|arve|"
    # the same in other languages: order, invoice, receipt, tracking, parcel, customer number
    r"resi|pesanan|faktur|tagihan|pedido|factura|fattura|ordine|commande|facture|bestellung|bestellnummer|"
    r"rechnung|sendung|zamówienia|zamówienie|faktura|zakázky|objednávky|заказ|заказа|замовлення|счёт|рахунок|"
    r"παραγγελίας|παραγγελία|τιμολόγιο|αρ|ऑर्डर|चालान|คำสั่งซื้อ|พัสดุ|เลขพัสดุ|sipariş|fatura|kargo|folio|фактура|"
    # a payment's reference and a firm's or a taxpayer's number (Czech and Slovak "variabilní symbol", IČO,
    # DIČ; Chile's RUT and "boleta"; Indonesia's NPWP)
    r"symbol|symbolu|ičo|dič|ico|dic|rut|boleta|npwp|"
    # firms' and taxpayers' numbers elsewhere (France's SIREN and SIRET, Kazakhstan's BIN and IIN, Russia's INN and
    # OGRN, Ukraine's EDRPOU, VAT and GST numbers); a parcel's tracking in French
    r"siren|siret|tva|bin|iin|бин|иин|инн|огрн|кпп|єдрпоу|edrpou|vat|gst|gstin|abn|ein|suivi|"
    # a payment's reference and entity (Portugal's Multibanco), a lot, a barcode, a parcel in French
    r"refer[êe]ncia|entidade|lote|ean|ean-13|ean13|ean-8|upc|upc-a|gtin|barcode|colis|paket|krs|regon|"
    # a German compound that names a number ("Vorgangsnummer", "Kundennummer"); an amount's currency before it
    r"\w+nummer|gs|rp|₲|kč|zł|₹|₽|₺"
)
# A carrier's or a system's code in capitals between an identifier's noun and its number ("Resi JNE 7996...")
_ID_CODE = r"(?:[ \t]+(?-i:[A-Z]{2,5}\d{0,2}))?"
# An order, invoice or serial number's label in Chinese, Japanese and Korean (no word boundary there).
_ID_CJK = "订单号|订单编号|单号|编号|发票号|流水号|注文番号|伝票番号|주문번호|송장번호"
# "no" alone is a word in other languages ("Falar com Ana no 3185318280"): lowercase, it needs a stop.
_ID_CONTEXT = re.compile(
    rf"(?:\b(?:{_ID_WORDS})(?:[\s:.#-]*(?:number|num|no|nr|br|бр)\b)?{_ID_CODE}|{_ID_CJK}|(?-i:\b(?:No|NO|Nr|NR|nr)\b)|\bno[.:#]|№|\bn[°º]|"
    r"\b(?:number of|total|sum|"
    r"amount|balance|count|qty|quantity|timestamp|epoch|row|line|page|job|run|pid|uid|port|has|have|"
    r"had|counted|lists|of|free|downloaded|tokens|bytes|times|entries|rows|events)\b|#)[\s:.#-]*$",
    re.I,
)

# Only an identifier's own noun right before ("parcel", "order no."), not "no", "of" or "has" alone
_ID_NOUN = re.compile(rf"\b(?:{_ID_WORDS})(?:[\s:.#-]*(?:number|num|no|nr|br|бр)\b)?{_ID_CODE}[\s:.#-]*$", re.I)

# A phone field's label right before a number ("Tel: 991", "phone 1270", "SĐT 997"), and the end of
# the clause right after it: there a short number (a service code, an extension) is a phone number too.
# the words for a phone in English and ~20 other languages
_PHONE_LABELS = tuple(
    """tel|tél|phone|telephone|mobile|cell|fax|hotline|call|dial|ext|sđt|telp|tlp|whatsapp|telefon|
telefone|teléfono|telefono|celular|handy|puhelin|τηλ|τηλέφωνο|κινητό|тел|телефон|моб|फ़ोन|फोन|
मोबाइल|ফোন|மொபைல்|தொலைபேசி|โทร|โทรศัพท์|điện thoại|simu|sími|msisdn|fono""".replace("\n", "").split("|")
)
_PHONE_LABEL = re.compile(rf"\b(?:{'|'.join(_PHONE_LABELS)})\.?[ \t]*:?[ \t]*$", re.I)
_PHONE_WORD = re.compile(rf"\b(?:{'|'.join(_PHONE_LABELS)})\b", re.I)
# The fewest substrings that every label of an ASCII text holds ("tel" is in "telp", "telefono"...); a text
# with other letters is tested against every label.
_PHONE_HINTS = tuple(
    label
    for label in _PHONE_LABELS
    if label.isascii() and not any(other != label and other in label for other in _PHONE_LABELS if other.isascii())
)
_ASCII_DIGIT = re.compile(r"[0-9]")
_CLAUSE_END = re.compile(r"[ \t]*(?:$|[\n,;)]|\.(?!\d)|[ \t](?:and|or)\b)", re.I)

# A count, not a number to dial: "16594840610 bytes", "4155550134 rows".
_UNIT_AFTER = re.compile(
    r"[ \t]*(?:bytes|[kmgt]i?b|tokens|times|rows|entries|events|items|units|records|users|views|"
    r"downloads|ms|seconds|secs|minutes|hours|days|km|kg|lbs|words|lines|pages|files|kwh|mwh|wh|m3|%)\b",
    re.I,
)


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = ord(char) - 48
        if index % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# First digits each brand issues at each length (Visa, Mastercard incl. 2221-2720, Amex, Discover,
# Diners, JCB, Maestro, UnionPay, RuPay, Mir): a Luhn-valid number outside these needs a word
# like "card" nearby, so order ids and tracking numbers that happen to pass Luhn stay.
_CARD_PREFIXES = {
    12: re.compile(r"5[06-8]|6|0604"),
    13: re.compile(r"4|5[06-8]|6"),
    14: re.compile(r"3[0689]|5[06-8]|6"),
    15: re.compile(r"3[47]|1800|2131|5[06-8]|6"),
    16: re.compile(r"4|5[1-8]|2(?:2[2-9]|[3-6]|7[01]|720)|220[0-4]|35|3[0689]|6|8[12]|50|9792"),
    17: re.compile(r"4|5[06-8]|6|35"),
    18: re.compile(r"4|5[06-8]|6|35"),
    19: re.compile(r"4|5[06-8]|6|35|3[0689]"),
}
# How a card number is grouped when it is grouped at all.
_CARD_GROUPINGS = {(4, 6, 5), (4, 6, 4), (4, 6), (6, 6)}


def _card_groups_ok(sizes: tuple[int, ...], card_word: bool = False) -> bool:
    """Grouped as cards are; with the word for a card beside it, as a long Maestro is too (4-4-5-6)."""
    if len(sizes) == 1 or sizes in _CARD_GROUPINGS or (card_word and all(4 <= s <= 6 for s in sizes)):
        return True
    return all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4


def _ssn_valid(digits: str) -> bool:
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _nanp_valid(digits: str) -> bool:
    return digits[0] in "23456789" and digits[3] in "23456789"


class _Group(NamedTuple):
    start: int  # including a '(' before the digits
    end: int  # including a ')' after them
    digits: str
    sep: str  # the separator before this group, normalized ('' for the first)


def _groups(text: str, start: int, end: int) -> list[_Group]:
    out: list[_Group] = []
    previous_end = start
    for m in _GROUP_IN_RUN.finditer(text, start, end):
        between = text[previous_end : m.start()]
        # '' between two groups means a parenthesis joined them: "(0)1234", "(415)555-0134"
        sep = between.strip(" \u00a0") or (" " if between else "()")
        out.append(_Group(m.start(), m.end(), m.group(1), sep if out else ""))
        previous_end = m.end()
    return out


def _near(
    pattern: re.Pattern[str], text: str, start: int, end: int, context: str, before: int = 48, after: int = 24
) -> bool:
    return (
        pattern.search(text, max(0, start - before), start) is not None
        or pattern.search(text, end, min(len(text), end + after)) is not None
        or (bool(context) and pattern.search(context) is not None)
    )


class _Window(NamedTuple):
    entity: str
    start: int
    end: int


def _classify(
    text: str, groups: list[_Group], i: int, j: int, plus: str, ext_end: int | None, context: str
) -> _Window | None:
    window = groups[i:j]
    digits = "".join(g.digits for g in window)
    n = len(digits)
    sizes = tuple(len(g.digits) for g in window)
    seps = {g.sep for g in window[1:]}
    start, end = window[0].start, window[-1].end
    if i == 0 and plus:
        start -= len(plus)
    has_plus = i == 0 and bool(plus)
    # 00 and a country code, the international prefix dialled from most of the world
    has_00 = i == 0 and n >= 11 and digits.startswith("00") and digits[2] != "0"

    # Cards: a Luhn-valid 12-19 digit number, whole or grouped, that starts its run of digits ("Colis 6420 6420
    # 3250 3251" holds none), in brackets or not. Twelve digits (Maestro only) need a card word nearby.
    bracketed = text[start] == "(" and text[end - 1] == ")" and text.count("(", start, end) == 1
    card_word = 12 <= n <= 19 and _near(_CARD_CONTEXT, text, start, end, context)
    if (
        not plus
        and 12 <= n <= 19
        and seps <= {" ", "-"}
        and len(seps) <= 1
        and _card_groups_ok(sizes, card_word)
        and ("(" not in text[start:end] or bracketed)
        and (i == 0 or card_word)
        and luhn(digits)
    ):
        if bracketed:
            start, end = start + 1, end - 1
        prefix = _CARD_PREFIXES[n].match(digits) and (n > 12 or len(window) > 1)
        # without a brand's prefix a card word nearby says card, unless a word right before labels the number an
        # identifier ("for order 913599271719"); with one, that noun and no card word say so ("SIRET 36252187900034")
        labelled = _ID_NOUN.search(text, max(0, start - 32), start) is not None
        if (prefix and (card_word or not labelled)) or (
            card_word and _ID_CONTEXT.search(text, max(0, start - 32), start) is None
        ):
            return _Window("CREDIT_CARD", start, end)

    # US SSN: 3-2-4 with one separator, or nine bare digits with a word like "SSN" nearby.
    if not plus and n == 9 and ext_end is None and _ssn_valid(digits):
        if (sizes == (3, 2, 4) and len(seps) == 1 and seps <= {"-", " ", "."}) or (
            len(window) == 1 and _near(_SSN_CONTEXT, text, start, end, context)
        ):
            return _Window("US_SSN", start, end)

    phone = False
    # (an identifier's noun before is an identifier's context too: _ID_NOUN's matches are _ID_CONTEXT's)
    # "parcel 002784186598", and a phone's shape inside a longer run: "Colis 0957 0957 5880 5881"
    if (
        (has_00 or j - i < len(groups))
        and not has_plus
        and _ID_NOUN.search(text, max(0, groups[0].start - 32), groups[0].start)
    ):
        phone = False
    elif has_plus or has_00:
        # International form: the country code makes it a phone number at any plausible length.
        phone = 8 <= n <= (17 if has_00 else 15) + ("(0)" in text[start:end])
    elif sizes in ((3, 3, 4), (1, 3, 3, 4)) and (sizes[0] != 1 or digits[0] == "1"):
        phone = True  # North American shape, whatever the area code
    elif digits[0] == "0" and len(window) >= 2 and len(window[0].digits) >= 2 and 9 <= n <= 12 and digits[1] != "0":
        phone = True  # a national number with its trunk 0 (020 7946 0958, 06-12345678, (01234) 567890)
    elif (
        len(groups) == 1
        and 3 <= n <= 6
        and not plus
        and _PHONE_LABEL.search(text, max(0, start - 16), start) is not None
        and _CLAUSE_END.match(text, end) is not None
    ):
        phone = True  # "Tel: 991", "call 800735 and ask for ...": a short number in a phone's place
    elif _ID_CONTEXT.search(text, max(0, start - 32), start) is not None or _UNIT_AFTER.match(text, end) is not None:
        phone = False  # "model number 412450597869", "order 4155550134": an identifier
    elif (7 if len(window) == 1 else 6) <= n <= 15 and _near(_PHONE_CONTEXT, text, start, end, context):
        phone = True
    elif i == 0 and j == len(groups) and _phone_grouping(window, sizes, seps, n):
        phone = True  # grouped the way phone numbers are written: "22 110 56 16", "8 (037) 424-47-97"
    elif len(window) == 1 and (
        (n == 10 and _nanp_valid(digits))
        or (n == 11 and digits[0] == "1" and _nanp_valid(digits[1:]))
        or (9 <= n <= 11 and digits[0] == "0" and digits[1] != "0")
        or (n == 10 and digits[0] in "6789")  # Indian mobiles
        or (n == 11 and digits[0] == "1" and digits[1] in "3456789")
    ):  # Chinese mobiles
        phone = True
    elif ext_end is not None and j == len(groups) and 7 <= n <= 15:
        phone = True  # an extension says phone number
    if phone:
        return _Window("PHONE_NUMBER", start, ext_end if (ext_end is not None and j == len(groups)) else end)
    return None


def _phone_grouping(window: list[_Group], sizes: tuple[int, ...], seps: set[str], n: int) -> bool:
    """Digits grouped as phone numbers are written in most numbering plans: three or more groups
    (or a bracketed area code and the rest), 8-13 digits, inner groups of 2-4 digits; dots only
    when every separator is a dot. Dates, versions, ISBNs and prices have other shapes."""
    if not 8 <= n <= 13 or sizes[-1] < 2 or sizes[0] > 5:
        return False
    bracketed = window[0].digits != "" and text_bracketed(window[0])
    if len(window) == 2 and not bracketed and 10 <= n <= 11 and 3 <= sizes[0] <= 5 and 5 <= sizes[1] <= 7:
        return digits_start_ok(window)  # a mobile in two groups: "9844-360700", "6919 141155"
    if len(window) < 3 and not (bracketed and len(window) == 2 and sizes[1] >= 5):
        return False
    # after a bracketed area code, a mobile's leading 9 alone or a five-digit group: "(11) 9 8765-4321"
    inner = (1, 5) if bracketed and 2 <= sizes[0] <= 4 and n >= 10 else (2, 4)
    if any(not inner[0] <= size <= inner[1] for size in sizes[1:-1]):
        return False
    return "." not in seps or seps == {"."}


def digits_start_ok(window: list[_Group]) -> bool:
    """A number in two groups reads as a phone number when it starts as one dials (not with 0 and 0,
    which an international prefix or an identifier's padding writes)."""
    return not window[0].digits.startswith("00")


def text_bracketed(group: _Group) -> bool:
    return group.end - group.start == len(group.digits) + 2


def _long_identifier(groups: list[_Group]) -> bool:
    """Five or more groups of one size and separator adding up to more than a card (a parcel
    tracking number, an account number): it is one number, not a card beside something else."""
    if len(groups) < 5:
        return False
    sizes = {len(g.digits) for g in groups[:-1]}
    return len(sizes) == 1 and len({g.sep for g in groups[1:]}) == 1 and sum(len(g.digits) for g in groups) > 19


def number_hits(text: str, masked: str, context: str, wanted: frozenset[str]) -> Iterator[Hit]:
    """Cards, SSNs and phone numbers in ``masked`` (``text`` with dates and other entities blanked)."""
    for run in RUN.finditer(masked):
        plus = run.group("plus") or ""
        ext_end = run.end() if run.group("ext") else None
        body_end = run.start("ext") if ext_end is not None else run.end()
        groups = _groups(masked, run.start() + len(plus), body_end)
        if not groups or _long_identifier(groups):
            continue
        i = 0
        while i < len(groups):
            for j in range(len(groups), i, -1):
                found = _classify(text, groups, i, j, plus, ext_end, context)
                if found and found.entity in wanted:
                    yield Hit(found.entity, found.start, found.end, 0.9)
                    i = j
                    break
            else:
                i += 1


# --- the others ---------------------------------------------------------------------------------


def _iban_hits(text: str) -> Iterator[Hit]:
    for m in IBAN_START.finditer(text):
        country = m.group()[:2].upper()
        shortest = 12 if IBAN_CUE.search(text, max(0, m.start() - 40), m.start()) else 15
        # The registered length first; then the whole run of letters and digits, for layouts
        # the table does not know (a new country, a generator's own): mod-97 still decides.
        for length in (IBAN_LENGTHS.get(country), 34):
            if length is None:
                continue
            hit = _iban_at(text, m.start(), length, exact=length != 34, shortest=shortest)
            if hit:
                yield hit
                break


def _iban_at(text: str, start: int, length: int, exact: bool, shortest: int = 15) -> Hit | None:
    """The IBAN of ``length`` characters (or, not ``exact``, of at most that many and at least
    ``shortest``, ending at a space) starting at ``start``, if its mod-97 check holds."""
    chars: list[str] = []
    ends: list[tuple[int, int]] = []  # (characters so far, text position) where a group ends
    pos = start
    while pos < len(text) and len(chars) < length:
        char = text[pos]
        if char.isascii() and char.isalnum():
            chars.append(char.upper())
        elif char == " " and pos + 1 < len(text) and text[pos + 1].isalnum() and chars:
            ends.append((len(chars), pos))
        else:
            break
        pos += 1
    if pos >= len(text) or not text[pos].isalnum():
        ends.append((len(chars), pos))
    for count, end in sorted(ends, reverse=True):
        if (exact and count != length) or count < shortest:
            continue
        code = "".join(chars[:count])
        # A layout the table does not know is mostly digits after the check digits; prose that
        # happens to pass mod-97 ("ed61 keeps timing out") is mostly letters.
        if not exact and sum(c.isdigit() for c in code[4:]) * 2 < count - 4:
            continue
        rearranged = code[4:] + code[:4]
        if int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1:
            return Hit("IBAN_CODE", start, end, 1.0)
    return None


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58check(value: str) -> bool:
    number = 0
    for char in value:
        number = number * 58 + _B58.index(char)
    raw = number.to_bytes(25, "big") if number < 1 << 200 else b""
    return len(raw) == 25 and hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]


_PORT_TAIL = re.compile(r":\d{1,5}$")


def _ipv6(candidate: str) -> bool:
    if candidate.count(":") < 2 or not any(c.isdigit() or c in "abcdefABCDEF" for c in candidate):
        return False
    try:
        ipaddress.IPv6Address(candidate.split("%")[0])
    except ValueError:
        return False
    return True


def _version_before(text: str, start: int) -> bool:
    return _VERSION_WORD.search(text, max(0, start - 12), start) is not None


def span_hits(text: str, wanted: frozenset[str]) -> Iterator[Hit]:
    """Every entity with a shape of its own (emails, URLs, IPs, MACs, IBANs, crypto wallets)."""
    if "@" in text and "EMAIL_ADDRESS" in wanted:
        for m in EMAIL.finditer(text):
            yield Hit("EMAIL_ADDRESS", m.start(), m.end(), 1.0)
    if "URL" in wanted and ("://" in text or "www." in text.lower()):
        for m in URL.finditer(text):
            value = m.group().rstrip(_URL_TAIL)
            yield Hit("URL", m.start(), m.start() + len(value), 0.6)
    if "IP_ADDRESS" in wanted:
        if text.count(".") >= 3:
            for m in IPV4.finditer(text):
                if not _version_before(text, m.start()):
                    yield Hit("IP_ADDRESS", m.start(), m.end(), 0.95)
        if text.count(":") >= 2:
            for m in IPV6.finditer(text):
                if _ipv6(m.group()):
                    yield Hit("IP_ADDRESS", m.start(), m.end(), 0.95)
                elif m.group().endswith(":") and not m.group().endswith("::") and _ipv6(m.group()[:-1]):
                    yield Hit("IP_ADDRESS", m.start(), m.end() - 1, 0.95)  # "from 6ac5:...:30e7: 3 failed logins"
                elif (port := _PORT_TAIL.search(m.group())) and _ipv6(m.group()[: port.start()]):
                    # an address and its port written without brackets: "2001:db8::1:8443" is not
                    # one address, but what comes before the last colon is
                    yield Hit("IP_ADDRESS", m.start(), m.start() + port.start(), 0.9)
    if "MAC_ADDRESS" in wanted and (text.count(":") >= 5 or text.count("-") >= 5 or text.count(".") >= 2):
        for m in MAC.finditer(text):
            yield Hit("MAC_ADDRESS", m.start(), m.end(), 0.9)
    if "IBAN_CODE" in wanted:
        yield from _iban_hits(text)
    if "CRYPTO" in wanted and len(text) >= 26:
        for m in BITCOIN.finditer(text):
            if m.group().startswith("bc1") or _base58check(m.group()):
                yield Hit("CRYPTO", m.start(), m.end(), 1.0)
        for m in ETHEREUM.finditer(text):
            yield Hit("CRYPTO", m.start(), m.end(), 0.9)


NUMBER_ENTITIES = frozenset({"CREDIT_CARD", "US_SSN", "PHONE_NUMBER"})
PATTERN_ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IP_ADDRESS",
    "IBAN_CODE",
    "US_SSN",
    "URL",
    "CRYPTO",
    "MAC_ADDRESS",
)


def _blank(text: str, spans: Iterator[tuple[int, int]] | list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "\x00" * (end - start)
    return "".join(chars)


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, int]:
    """Every decimal digit outside ASCII (Arabic-Indic, Devanagari, Bengali, fullwidth, ...) -> its ASCII digit."""
    return {cp: 48 + unicodedata.decimal(chr(cp)) for cp in range(128, 0x20000) if chr(cp).isdecimal()}


def _ascii_digits(text: str) -> str:
    """``text`` with other scripts' digits written as ASCII ones, one character for one, so spans
    found in it hold in the original ("+৮৮০ ১১৩০ ৪৮৫৯৭১" is a phone number as "+880 1130 485971" is)."""
    if text.isascii() or not any(c.isdecimal() and not c.isascii() for c in text):
        return text
    return text.translate(_digit_table())


def _has_phone_word(text: str) -> bool:
    """Whether a phone's label stands in ``text`` as a word; the plain substring test first, a third of
    the expression's time, since most texts hold none of them."""
    low = text.lower()
    if not any(label in low for label in (_PHONE_HINTS if text.isascii() else _PHONE_LABELS)):
        return False
    return _PHONE_WORD.search(text) is not None


def pattern_hits(text: str, wanted: frozenset[str], context: str = "") -> list[Hit]:
    """All pattern entities of the ``wanted`` types in ``text``; overlaps are settled later."""
    text = _ascii_digits(text)
    hits = list(span_hits(text, wanted))
    digits = len(_ASCII_DIGIT.findall(text))  # a third of ten str.count calls' time
    # six digits or more, or three beside a phone's label ("Tel: 991")
    if wanted & NUMBER_ENTITIES and (digits >= 6 or (digits >= 3 and _has_phone_word(text))):
        # Other entities (and dates) are blanked so their digits never join a phone number.
        blanked = [(h.start, h.end) for h in hits]
        if "IP_ADDRESS" not in wanted and text.count(".") >= 3:
            blanked += [m.span() for m in IPV4.finditer(text)]
        blanked += [m.span() for m in DATE.finditer(text)]
        masked = _blank(text, blanked) if blanked else text
        hits.extend(number_hits(text, masked, context, wanted))
    return hits
