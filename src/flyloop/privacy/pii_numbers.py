"""Numbers that are somebody's: cards, US SSNs and phone numbers, read from runs of digits.

Digits are read as *runs*: digit groups joined by single separators (space, ``-``, ``.``, ``/``,
parentheses), with an optional leading ``+``/``00`` and a trailing extension (``x123``,
``ext. 12``). Inside a run the longest window of groups that reads as a card, an SSN or a phone
number wins, so ``4111 1111 1111 1111 415-555-0134`` gives a card and a phone. What decides a
window: the checks of each kind (Luhn and the brands' prefixes and groupings for cards, the area
rules for SSNs, a numbering plan's shape or a phone's grouping for phones) and the words around
it (a phone's or a card's label, an identifier's noun that says the digits are an order's or a
parcel's; those words live in :mod:`flyloop.privacy.pii_number_words`). :mod:`flyloop.privacy.pii_patterns`
blanks dates and other entities before it hands a text here, so their digits never join a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from flyloop.privacy.pii_number_words import (
    _CALL_BEFORE,
    _CARD_CONTEXT,
    _CARD_NOUN,
    _CLAUSE_END,
    _ID_BEFORE,
    _ID_CONTEXT,
    _ID_NOUN,
    _MY_NUMBER,
    _PHONE_CONTEXT,
    _PHONE_HINTS,
    _PHONE_LABEL,
    _PHONE_LABELS,
    _PHONE_SIGNS,
    _PHONE_WORD,
    _SSN_CONTEXT,
    _UNIT_AFTER,
    _WORD_BEFORE,
    VERSION_WORD,
)


class Hit(NamedTuple):
    entity: str
    start: int
    end: int
    score: float


# (two spaces between groups too, as some receipts print a card: "4111  1111  1111  1111")
# (an underscore too, between a card's fours as a form or a log may write it: read only as a card, whole)
_SEP = r"(?:[ \u00a0]?[.\-/–][ \u00a0]?|_|[ \u00a0]{1,2}(?=\(?\d)|(?<=\))|(?=\())"
_GROUP = r"\(?\d+\)?"
# an extension after the number, by its English mark or its word in French ("poste"), Turkish ("dahili"), Russian
# ("доб.", "вн."), Spanish, Portuguese and Italian ("int.", "interno", "anexo", "ramal"), Dutch ("toestel", "tst."),
# Polish ("wew."), Czech ("kl."), German ("Durchwahl", "Nebenstelle"), Malay ("samb.", "sambungan")
_EXT = (
    r"(?P<ext>[ ]?(?:x|ext\.?|extn\.?|extension|\#|poste|dahili|доб\.?|добавочный|вн\.|внутр\.?|int\.|interno|"
    r"anexo|ramal|toestel|tst\.|wew\.|kl\.|durchwahl|nebenstelle|samb\.|sambungan)[ ]?:?[ ]?\d{1,6})"
)
# Scripts written without spaces between words (Han, kana, Hangul, Thai, Khmer): a number may touch them.
_UNSPACED = "\u0e00-\u0e7f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
RUN = re.compile(
    # a number may follow a two-letter lowercase clitic's hyphen, as in Bantu languages ("ku-0722 987 476"),
    # or any hyphen when it starts with a "+" ("PKG-+250 788 122 331"); not an identifier's prefix
    # ("INV-2024-000123")
    rf"(?:(?<![\w@+\-/\\$€£¥])|(?<=[{_UNSPACED}])|(?<=(?-i:\b[a-z]{{2}})-)|(?<=-)(?=\+))"
    rf"(?<!\d[.,:])(?P<plus>\+[ ]?)?{_GROUP}"
    rf"(?:{_SEP}{_GROUP})*{_EXT}?"
    rf"(?:(?![\w@])|(?=[{_UNSPACED}]))",
    re.I,
)
_GROUP_IN_RUN = re.compile(r"\(?(\d+)\)?")
# the end of a line, a full stop or nothing between; a word of letters, a comma or a colon right before a number
_YEARS = re.compile(r"(?:19|20)\d\d(?:19|20)\d\d")  # two years, a range's ends
_LINE_END = re.compile(r"[ \t]*\.?[ \t]*(?:$|\n)")
# (or a full-width comma, question or exclamation mark after a word of Han or kana: "今晚食飯？2123-7651"; not a
# colon, which a label of any number ends with)
_GIVEN_AFTER = re.compile(r"[^\W\d_]{2}[,:][ \t]$|[\u3040-\u30ff\u3400-\u9fff][，？！][ \t]?$")
# A tag of hexadecimal digits, a digit first and a letter among them, and a colon: the label of a dump's bytes (an
# EMV record's "9F02:", "5F24:"; not a cell's or a room's "A1:")
_HEX_TAG = re.compile(r"(?<![\w])\d(?=[0-9A-F]{0,2}[A-F])[0-9A-F]{1,3}:[ ]?$")


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = ord(char) - 48
        if index % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# First digits each brand issues at each length (Visa, Mastercard incl. 2221-2720, Amex, Discover,
# Diners, JCB, Maestro, UnionPay, RuPay, Mir, Troy, Vietnam's NAPAS and other national schemes): a Luhn-valid
# number outside these needs a word like "card" nearby, so order ids and tracking numbers that happen to pass Luhn
# stay.
_CARD_PREFIXES = {
    12: re.compile(r"5[06-8]|6|0604"),
    13: re.compile(r"4|5[06-8]|6"),
    14: re.compile(r"3[0689]|5[06-8]|6"),
    15: re.compile(r"3[47]|1800|2131|5[06-8]|6|1"),  # 1: UATP, the airlines' cards
    # (and the national schemes: Humo 9860 and UzCard 8600 of Uzbekistan, ArCa 9051, Belkart 9112, DinaCard 9891)
    16: re.compile(
        r"4|5[1-8]|2(?:2[2-9]|[3-6]|7[01]|720)|220[0-4]|35|3[0689]|6|8[12]|50|9792|9704|9860|8600|9051|9112|9891"
    ),
    17: re.compile(r"4|5[06-8]|6|35"),
    18: re.compile(r"4|5[06-8]|6|35"),
    19: re.compile(r"4|5[06-8]|6|35|3[0689]|9704"),
}
# How a card number is grouped when it is grouped at all (4-5-6: an airline's UATP card).
_CARD_GROUPINGS = {(4, 6, 5), (4, 6, 4), (4, 6), (6, 6), (4, 5, 6)}


def _card_groups_ok(sizes: tuple[int, ...], card_word: bool = False) -> bool:
    """Grouped as cards are; with the word for a card beside it, as a long Maestro is too (4-4-5-6), in
    fours with the rest run together, as receipts and forms print them ("4376 1327 60960722106"), or in up
    to four groups of four digits or more."""
    # (with a card word, a thirteen-digit Visa's 4-3-3-3 too)
    if (
        len(sizes) == 1
        or sizes in _CARD_GROUPINGS
        or (card_word and (all(4 <= s <= 6 for s in sizes) or sizes == (4, 3, 3, 3)))
        or (card_word and sizes == (2,) * 8)  # an EMV tag's eight bytes ("5A: 42 94 59 16 32 34 16 78")
    ):
        return True
    if len(sizes) == 2 and sum(sizes) >= 15 and (sizes[0] == 6 or sizes[1] == 4):
        return True  # the issuer's six digits apart, or the last four ("506132 1429738871326", "431275535063 3115")
    if card_word and len(sizes) <= 4 and min(sizes) >= 4:
        return True  # halves of eight, the issuer's six digits apart ("411111 1111111111"), beside a card word
    return all(s == 4 for s in sizes[:-1]) and (1 <= sizes[-1] <= 4 or card_word)


# Niue (683), Tokelau (690), Saint Helena and Tristan da Cunha (290) give numbers of four digits: with the
# country code seven digits, fewer than any other plan's international number.
_FOUR_DIGIT_PLAN = re.compile(r"(?:683[2-8]|690[2-47]|290[28])\d{3}")


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
        # (an en dash is written as a hyphen is: "6062 – 8463 – 1818 – 8255")
        sep = between.strip(" \u00a0").replace("–", "-") or (" " if between else "()")
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
    # (ten digits too when the country code stands apart: "00500 65045", the Falklands' five-digit plan)
    has_00 = (
        i == 0
        and (n >= 11 or (n == 10 and len(window) == 2 and 3 <= sizes[0] <= 5))
        and digits.startswith("00")
        and digits[2] != "0"
        and sizes != (4, 4, 4, 4)  # a card's shape ("ギフトカード 0050 0110 8202 3222", a gift card's code)
    )

    # Cards: a Luhn-valid 12-19 digit number, whole or grouped, that starts its run of digits ("Colis 6420 6420
    # 3250 3251" holds none), in brackets or not. Twelve digits (Maestro only) need a card word nearby.
    bracketed = text[start] == "(" and text[end - 1] == ")" and text.count("(", start, end) == 1
    # (in a short form the card's word may stand a line above: "Titular de la tarjeta: ...\nNúmero: ...")
    card_word = 12 <= n <= 19 and (
        _near(_CARD_CONTEXT, text, start, end, context) or (len(text) <= 200 and _CARD_NOUN.search(text) is not None)
    )
    if (
        not plus
        and 12 <= n <= 19
        and len(seps) <= 1
        # dots, slashes or underscores between the groups ("4151.7445.0318.3099") where a card word says card, or
        # in fours
        and (seps <= {" ", "-"} or (seps <= {".", "/", "_"} and (card_word or set(sizes) == {4})))
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
    if seps == {"."} and VERSION_WORD.search(text, max(0, groups[0].start - 12), groups[0].start) is not None:
        return None  # a version's dotted numbers ("firmware 4.71.27.763")
    if _HEX_TAG.search(text, max(0, groups[0].start - 6), groups[0].start) is not None:
        return None  # a tag's bytes in a dump ("EMV 9F02: 00 00 00 12 34 56"), no phone
    whole = sum(len(g.digits) for g in groups)
    if (
        12 <= whole <= 19
        and not (has_plus or has_00)
        and _CARD_NOUN.search(text, max(0, groups[0].start - 24), groups[0].start) is not None
        and not _near(_PHONE_CONTEXT, text, groups[0].start, groups[-1].end, "")
    ):
        return None  # a card's number that is no card's (it fails Luhn), nor any part of it: a club card's
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
        # (seven digits with it in the plans whose numbers are four digits long: "+690 7488")
        phone = 8 <= n <= (17 if has_00 else 15) + ("(0)" in text[start:end]) or (
            has_plus and _FOUR_DIGIT_PLAN.fullmatch(digits) is not None
        )
    elif (
        i == 0
        and j == len(groups)
        and sizes == (5, 4)
        and digits.startswith("00")
        and _FOUR_DIGIT_PLAN.fullmatch(digits, 2)
        and _ID_CONTEXT.search(text, max(0, start - 32), start) is None
    ):
        phone = True  # and with 00, the country code apart: "00290 8123"
    elif sizes in ((3, 3, 4), (1, 3, 3, 4)) and (sizes[0] != 1 or digits[0] == "1"):
        # North American shape, whatever the area code; not an identifier's number with a real area code and an
        # exchange no phone has (one starting with 0 or 1: "Permit 441-199-2671")
        impossible = digits[-10] in "23456789" and digits[-7] in "01"
        phone = not impossible or _ID_NOUN.search(text, max(0, start - 32), start) is None
    elif (
        digits[0] == "0"
        and len(window) >= 2
        and len(window[0].digits) >= 2
        and 9 <= n <= 12
        and digits[1] != "0"
        # not an identifier's noun right before and no phone's word ("Remessa nº 0599 896 27 04", "택배 운송장 010-...")
        and (
            (id_label := _ID_CONTEXT.search(text, max(0, start - 32), start)) is None
            or _PHONE_CONTEXT.search(text, max(0, start - 64), start) is not None
            # "line" names a phone's line before a number in groups ("direct line 020 7946 0958", "Zim line 0242 ...")
            or id_label.group().strip(" \t:.#-").casefold() == "line"
        )
    ):
        phone = True  # a national number with its trunk 0 (020 7946 0958, 06-12345678, (01234) 567890)
    elif (
        len(groups) == 1
        and 3 <= n <= 6
        and not plus
        and _PHONE_LABEL.search(text, max(0, start - 16), start) is not None
        and _CLAUSE_END.match(text, end) is not None
    ):
        phone = True  # "Tel: 991", "call 800735 and ask for ...": a short number in a phone's place
    elif len(groups) <= 3 and 7 <= n <= 15 and _PHONE_LABEL.search(text, max(0, start - 16), start) is not None:
        phone = True  # a phone's label right before it says so, whatever else is near ("CP No.: 7728756")
    elif _ID_CONTEXT.search(text, max(0, start - 32), start) is not None or _UNIT_AFTER.match(text, end) is not None:
        phone = False  # "model number 412450597869", "order 4155550134": an identifier
    elif (
        i == 0
        and j == len(groups)
        and (len(groups) <= 2 or sizes == (2, 2, 2))
        and 5 <= n <= 6
        and seps <= {" ", "-"}
        and _CLAUSE_END.match(text, end) is not None
        and (
            _CALL_BEFORE.search(text, max(0, start - 32), start) is not None
            or _MY_NUMBER.search(text, max(0, start - 32), start) is not None
        )
    ):
        phone = True  # five or six digits right after a call's words ("waea mai ki 50 067", "請回電 90 3970")
    elif (7 if len(window) == 1 else 6) <= n <= 15 and (
        _near(_PHONE_CONTEXT, text, start, end, context)
        or (i == 0 and _MY_NUMBER.search(text, max(0, start - 40), start) is not None)  # "Mano naujas numeris ..."
    ):
        phone = True
    elif (
        i == 0
        and j == len(groups)
        and sizes == (3, 4)
        and seps <= {" ", "-"}
        and digits[0] in "23456789"
        and _CLAUSE_END.match(text, end) is not None
        and _WORD_BEFORE.search(text, max(0, start - 24), start) is not None
        and _ID_BEFORE.search(text, max(0, start - 24), start) is None
    ):
        phone = True  # a local number as it is written in most of the Americas and the Caribbean: "888 0670"
    elif (
        i == 0
        and j == len(groups)
        and sizes == (2, 6)
        and seps == {" "}
        and digits[0] in "23456789"
        and _CLAUSE_END.match(text, end) is not None
        and (
            _WORD_BEFORE.search(text, max(0, start - 24), start) is not None
            or _GIVEN_AFTER.search(text, max(0, start - 24), start) is not None
        )
        and _ID_BEFORE.search(text, max(0, start - 24), start) is None
    ):
        phone = True  # eight digits in two and six, as Cyprus writes them: "Eimai Larnaca, 96 913855", "on 99 860609"
    elif (
        i == 0
        and j == len(groups)
        and (sizes == (7,) or (sizes in ((4, 4), (2, 2, 2)) and seps <= {" ", "-"}))
        and digits[0] in "23456789"
        and _YEARS.fullmatch(digits) is None  # "Seasons: 2023-2024"
        and _LINE_END.match(text, end) is not None
        and _GIVEN_AFTER.search(text, max(0, start - 24), start) is not None
        and _ID_CONTEXT.search(text, max(0, start - 34), start - 2) is None  # not "Total, 2661234"
    ):
        phone = True  # seven digits, eight in fours or six in pairs, that close a line after a word and a comma or a
        # colon: a local number given with the one it reaches ("Temburong homestay, host ... Taufiq, 8587880", "...
        # Naidoo: 5945 9310", "Klaksvík: ... Normann, 47 60 43")
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
    # (not with a dot: "178.2562368" is a decimal, a coordinate's)
    if len(window) == 2 and not bracketed and 10 <= n <= 11 and 3 <= sizes[0] <= 5 and 5 <= sizes[1] <= 7:
        if "." in seps:
            return False
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


# an IBAN's head and the groups of letters and digits after it ("IT60 X054 2811 ...", "BE50 4317 ...")
_IBAN_HEAD = re.compile(r"\b[A-Z]{2}\d{2}(?: [A-Z0-9]{1,4})*? $")
# a pair of decimal degrees: a place's coordinates ("Aden 12.7855 45.0187")
_COORDINATES = re.compile(r"-?\d{1,3}\.\d{3,}[ ,]+-?\d{1,3}\.\d{3,}")


def _one_number(groups: list[_Group], plus: str) -> bool:
    """Four or more groups of one size (four digits or more) and one separator, no "+": one number (a
    card's shape, a pallet's or an account's), never a phone cut out of it."""
    if plus or len(groups) < 4:
        return False
    sizes = {len(g.digits) for g in groups}
    return len(sizes) == 1 and len(groups[0].digits) >= 4 and len({g.sep for g in groups[1:]}) == 1


_DOTTED_PAIRS = re.compile(r"\d\d(?:\.\d\d){3}")


def dotted_phone(text: str, start: int, end: int) -> bool:
    """Whether an IPv4 address's shape at ``text[start:end]`` is a phone number written in pairs with dots
    ("chámame ao 87.81.36.93"): four pairs of digits, a phone's word before them."""
    return _DOTTED_PAIRS.fullmatch(text, start, end) is not None and (
        _PHONE_CONTEXT.search(text, max(0, start - 32), start) is not None
    )


# A list's item: a label of one to three words and a colon right before a number, at a line's start or after a
# list's separator ("Danmark: 71 96 10 52 · Føroyar: 45 84 34 · Kalaallit Nunaat: 58 17 95"), and its end after it
_ITEM_LABEL = re.compile(
    r"(?:^|[·•|;]|[ \t]-)[ \t]*[^\W\d_][^\W\d_'’.\-]*(?:[ \t][^\W\d_][^\W\d_'’.\-]*){0,2}[ \t]*:[ \t]*$", re.M
)
_ITEM_END = re.compile(r"[ \t]*(?:$|[·•|;(\n,])", re.M)


class _ListItems:
    """The phone numbers a list gives one an item, each after its label ("Danmark: ... · Føroyar: ..."): a number
    grouped as phones are, in an item of a line where another item's number was read as a phone, is one too, though
    alone it is too short to tell (six digits in pairs)."""

    def __init__(self) -> None:
        self.lines: set[int] = set()  # the lines (their start) where a labelled item's number is a phone
        self.waiting: list[tuple[int, int, int]] = []  # (line, start, end) of the items' numbers not yet read

    @staticmethod
    def _item(text: str, start: int, end: int) -> bool:
        line = text.rfind("\n", 0, start) + 1
        return (
            _ITEM_LABEL.search(text, max(line, start - 40), start) is not None
            and _ITEM_END.match(text, end) is not None
            and _ID_CONTEXT.search(text, max(line, start - 32), start) is None
        )

    def note(self, text: str, found: _Window) -> None:
        if found.entity == "PHONE_NUMBER" and self._item(text, found.start, found.end):
            self.lines.add(text.rfind("\n", 0, found.start) + 1)

    def wait(self, text: str, groups: list[_Group]) -> None:
        digits = sum(len(g.digits) for g in groups)
        if (
            len(groups) >= 2
            and 5 <= digits <= 12
            and all(2 <= len(g.digits) <= 4 for g in groups)
            and {g.sep for g in groups[1:]} <= {" ", "-"}
            and self._item(text, groups[0].start, groups[-1].end)
        ):
            self.waiting.append((text.rfind("\n", 0, groups[0].start) + 1, groups[0].start, groups[-1].end))

    def siblings(self) -> Iterator[Hit]:
        for line, start, end in self.waiting if self.lines else ():
            if line in self.lines:
                yield Hit("PHONE_NUMBER", start, end, 0.9)


def number_hits(text: str, masked: str, context: str, wanted: frozenset[str]) -> Iterator[Hit]:
    """Cards, SSNs and phone numbers in ``masked`` (``text`` with dates and other entities blanked)."""
    items = _ListItems()
    for run in RUN.finditer(masked):
        plus = run.group("plus") or ""
        ext_end = run.end() if run.group("ext") else None
        body_end = run.start("ext") if ext_end is not None else run.end()
        groups = _groups(masked, run.start() + len(plus), body_end)
        if not groups or _long_identifier(groups):
            continue
        # after an IBAN's head whose check failed ("BE50 4317 6563 7322") the digits are that code's; the
        # two numbers of a place's coordinates are no phone
        if _IBAN_HEAD.search(masked, max(0, run.start() - 40), run.start()) is not None:
            continue
        if "." in run.group() and _COORDINATES.fullmatch(masked, run.start(), run.end()) is not None:
            continue
        # a lone 0 before a dot is a decimal's ("0.9118 / 0.9265"), unless a phone's label stands right before
        if any(
            g.digits == "0" and k + 1 < len(groups) and groups[k + 1].sep == "." for k, g in enumerate(groups)
        ) and not _PHONE_LABEL.search(masked, max(0, run.start() - 16), run.start()):
            continue
        # read whole or not at all: no phone inside "3122 0108 3243 7385"; joined by underscores, a card or nothing
        # ("backup_2024_06_12")
        underscored = "_" in run.group()
        if underscored or _one_number(groups, plus):
            found = _classify(text, groups, 0, len(groups), plus, None if underscored else ext_end, context)
            if found and found.entity in wanted and (found.entity == "CREDIT_CARD" or not underscored):
                yield Hit(found.entity, found.start, found.end, 0.9)
                items.note(text, found)
            elif found is None and not plus and not underscored:
                items.wait(text, groups)
            continue
        i, read = 0, False
        while i < len(groups):
            for j in range(len(groups), i, -1):
                found = _classify(text, groups, i, j, plus, ext_end, context)
                if found and found.entity in wanted:
                    yield Hit(found.entity, found.start, found.end, 0.9)
                    items.note(text, found)
                    i, read = j, True
                    break
            else:
                i += 1
        if not read and not plus:  # (a run read in part is no list item's number: no span would overlap its hits)
            items.wait(text, groups)
    if "PHONE_NUMBER" in wanted:
        yield from items.siblings()


# A local number of seven or eight digits (in threes and fours, in fours, or whole), no year's range ("1998-2004"),
# right after a person's name and a comma, a colon or a dash, ending its line or its item: a directory's line
# ("Sha Tin branch: ..., 2622 6964 (9am-6pm)", "... 分店：... 2727 8893")
_NUMBER_AFTER_NAME = re.compile(
    r"[ \t]*[,:，：–—-]?[ \t]*"
    r"(?P<number>[2-9]\d{2,3}[ -]\d{4}|[2-9]\d{6,7})(?=[ \t]*(?:$|\n|[,;|]|\([^)\n]{1,24}\)[ \t]*(?:$|\n)))"
)


def phone_after_name(text: str, end: int) -> tuple[int, int] | None:
    """Where a local number stands right after a person's name that ends at ``end`` (see _NUMBER_AFTER_NAME)."""
    m = _NUMBER_AFTER_NAME.match(text, end)
    if m is None or _YEARS.fullmatch(m.group("number").replace(" ", "").replace("-", "")):
        return None
    return m.span("number")


def has_phone_word(text: str) -> bool:
    """Whether a phone's label stands in ``text`` as a word; the plain substring test first, a third of
    the expression's time, since most texts hold none of them."""
    low = text.lower()
    if not any(label in low for label in (_PHONE_HINTS if text.isascii() else _PHONE_LABELS)) and (
        text.isascii() or not any(sign in text for sign in _PHONE_SIGNS)
    ):
        return False
    return _PHONE_WORD.search(text) is not None


def has_call_word(text: str) -> bool:
    """Whether a word of a call or a phone stands in ``text`` (see ``_PHONE_CONTEXT``)."""
    return _PHONE_CONTEXT.search(text) is not None


def has_card_word(text: str) -> bool:
    """Whether the card's own noun stands in ``text`` (see ``_CARD_NOUNS``)."""
    return _CARD_NOUN.search(text) is not None
