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

The numbers (cards, SSNs, phones: digit runs read window by window) are
:mod:`flyloop.privacy.pii_numbers`'s; here dates (and the other entities) are taken out first, so
``2024-05-01`` never looks like digits of a number.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from flyloop.privacy.pii_ibans import IBAN_LENGTHS
from flyloop.privacy.pii_numbers import (
    VERSION_WORD,
    Hit,
    dotted_phone,
    has_call_word,
    has_card_word,
    has_phone_word,
    number_hits,
)

# --- free-standing patterns -----------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.+%'-])[\w.+%'-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}(?![\w-]|\.[^\W\d_])"
)
# A SIP or tel URI's user part written in digits is the caller's number ("sip:+4779745560@voip.example.net"),
# not an e-mail address's local part
SIP_USER = re.compile(r"(?i:\bsips?:)(\(?\+?\(?\d[\d ()\-.]{3,22}\d)(?=@)")
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
# A phone number in a link to a chat or a call: WhatsApp's "wa.me/97694394789", a query's "?phone=..." or "&tel=..."
PHONE_LINK = re.compile(r"(?:\bwa\.me/|[?&](?:phone|tel|msisdn)=)((?:%2B|\+)?\d{7,15})(?!\d)", re.I)
# An international number broken over a line after its country code and at most one group ("+976 9517\n1924"): the
# first line alone is too short to be a number
BROKEN_NUMBER = re.compile(r"\+[ ]?\(?\d{1,3}\)?(?:[ .\-]\(?\d{1,4}\)?)?[ ]?\n(?=\(?\d)")
# A card's fours broken over a line after two of them, the rest on the next ("5243 5654\n0562 7215")
BROKEN_CARD = re.compile(r"(?<![\d\n])\d{4}[ ]\d{4}[ ]?\n(?=\d{4}[ ]\d{4}(?:[ ]\d{1,3})?(?![\d ]\d))")
# A card's first magnetic-stripe track ("%B4401361565786400^SEUAVA/TAMA^2812101..."): its format code glued to the
# number; the name field after it is read by pii_fields
CARD_TRACK1 = re.compile(r"%B(?=\d{12,19}\^)")
# A form-encoded value (a POST body, a query) writes a space as "+": "card=3570+0344+7937+8724&exp=..." is the
# number typed with spaces; only in a value that holds nothing but digits and pluses (and "%2B", an encoded "+", first)
FORM_SPACES = re.compile(r"(?<==)(?:%2B)?\d{1,6}(?:\+\d{1,6}){1,6}(?=[&;\s\"'<]|$)", re.I)
# A card's number as a URL path's segment after the cards' own ("GET /api/v2/cards/4881094844872142/balance"): the
# slash before it a space, so the number stands as one beside its card word
CARD_PATH = re.compile(r"\b(?:cards?|pans?|credit-?cards?)/(?=\d{12,19}(?![\d.,]\d))", re.I)
# A number a machine is told to dial: an Asterisk dial plan's channel before it ("Dial(SIP/trunk/0088...,30)"), a
# modem's dial command glued to it ("ATD+2484294554;"), an encoded "+" before it in a query ("to=%2B2302...")
DIALLED = re.compile(r"(?<=\bDial\()(?:[\w-]+/)+(?=\+?\d{5,})|(?m:^ATD)(?=\+?\d{5,})|(?<==)%2B(?=\d{7,15}(?!\d))", re.I)
# The tilde of "wait for the tone" in Russia's international access code ("8~10 976 ..."); no other tilde (a
# range, "1000~2000")
DIAL_WAIT = re.compile(r"(?<=(?<![\d~])8)~(?=10[ \-]?\d)")
# Dates and clock times look like digit groups; they are taken out before numbers are read (not after a
# country code: "+687 20.12.34" is New Caledonia's pairs)
DATE = re.compile(
    r"(?<![\w.\-/])(?<!\+\d\d\d[ -])(?<!\+\d\d[ -])(?:\d{4}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    r"|\d{4}\. (?:0?[1-9]|1[0-2])\. (?:0?[1-9]|[12]\d|3[01])\.?"  # Hungarian, Korean: "2008. 12. 28."
    # day and month either way round, one of them a month (not "21-18-62", a phone's pairs), not right after a
    # bracketed area code ("8 (0162) 21-02-23")
    r"|(?<!\)[ ])(?:(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])|(?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01]))"
    r"[-/.](?:\d{4}|\d{2}))(?![\w]|[.\-/]?\d)"
)

# --- the others ---------------------------------------------------------------------------------


def _iban_hits(text: str) -> Iterator[Hit]:
    for m in IBAN_START.finditer(text):
        country = m.group()[:2].upper()
        shortest = 12 if IBAN_CUE.search(text, max(0, m.start() - 40), m.start()) else 15
        # The registered length first; then the whole run of letters and digits, for layouts
        # the table does not know (a new country, a generator's own): mod-97 still decides.
        registered = IBAN_LENGTHS.get(country)
        # where the registered length's characters are all there and failed mod-97, the code is none: its first
        # groups may pass by chance, one time in 97 ("TN72 8951 1022 0506" of "TN72 8951 1022 0506 8019 8951");
        # a shorter run may be a generator's own layout, read by mod-97 alone
        floor = (
            registered
            if registered and len(_read_code(text, m.start(), registered, strict=True)[0]) >= registered
            else 0
        )
        for length in (registered, 34):
            if length is None:
                continue
            hit = _iban_at(text, m.start(), length, exact=length != 34, shortest=max(shortest, floor))
            if hit:
                yield hit
                break


def _read_code(text: str, start: int, limit: int, strict: bool = False) -> tuple[list[str], list[tuple[int, int]]]:
    """The letters and digits from ``start`` in groups parted by single spaces, up to ``limit`` of them, in
    capitals, and (characters so far, text position) where each group ends; ``strict``: digits and capitals only,
    the characters an IBAN's groups are written with, not the words after it."""
    chars: list[str] = []
    ends: list[tuple[int, int]] = []
    pos = start
    while pos < len(text) and len(chars) < limit:
        char = text[pos]
        if char.isascii() and ((char.isdigit() or char.isupper()) if strict else char.isalnum()):
            chars.append(char.upper())
        elif char == " " and pos + 1 < len(text) and text[pos + 1].isalnum() and chars:
            ends.append((len(chars), pos))
        else:
            break
        pos += 1
    if pos >= len(text) or not text[pos].isalnum():
        ends.append((len(chars), pos))
    return chars, ends


def _iban_at(text: str, start: int, length: int, exact: bool, shortest: int = 15) -> Hit | None:
    """The IBAN of ``length`` characters (or, not ``exact``, of at most that many and at least
    ``shortest``, ending at a space) starting at ``start``, if its mod-97 check holds."""
    chars, ends = _read_code(text, start, length)
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
    return VERSION_WORD.search(text, max(0, start - 12), start) is not None


def _sip_callers(text: str) -> list[tuple[int, int]]:
    """The spans of the numbers SIP URIs in ``text`` call from: seven digits or more, or five with a "+"."""
    out = []
    for m in SIP_USER.finditer(text):
        digits = sum(c.isdigit() for c in m.group(1))
        if digits >= 7 or (digits >= 5 and "+" in m.group(1)):
            out.append(m.span(1))
    return out


def span_hits(text: str, wanted: frozenset[str]) -> Iterator[Hit]:
    """Every entity with a shape of its own (emails, URLs, IPs, MACs, IBANs, crypto wallets)."""
    if "@" in text and "EMAIL_ADDRESS" in wanted:
        callers = _sip_callers(text) if "sip" in text.lower() else []
        if "PHONE_NUMBER" in wanted:
            yield from (Hit("PHONE_NUMBER", a, b, 0.9) for a, b in callers)
        for m in EMAIL.finditer(text):
            if not any(a <= m.start() < b for a, b in callers):
                yield Hit("EMAIL_ADDRESS", m.start(), m.end(), 1.0)
    if "URL" in wanted and ("://" in text or "www." in text.lower()):
        for m in URL.finditer(text):
            value = m.group().rstrip(_URL_TAIL)
            yield Hit("URL", m.start(), m.start() + len(value), 0.6)
    if "IP_ADDRESS" in wanted:
        if text.count(".") >= 3:
            for m in IPV4.finditer(text):
                if not _version_before(text, m.start()) and not dotted_phone(text, m.start(), m.end()):
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


_ASCII_DIGIT = re.compile(r"[0-9]")
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


# Spaces that typesetting puts inside a number in place of a plain one: no-break, figure, thin and narrow no-break
# (French and Swiss typography groups digits with the narrow one: "4389\u202f3573\u202f6293\u202f8216"), and the
# ideographic space of Chinese, Japanese and Korean text
_NUMBER_SPACES = "\u00a0\u2007\u2009\u202f\u3000"
# ... and the dashes a word processor or a typesetter puts in place of a hyphen: the hyphen, the non-breaking hyphen
# ("4046\u20117900\u20110661\u20118817"), the figure dash, the minus sign, and their small and fullwidth forms
_NUMBER_DASHES = "\u2010\u2011\u2012\u2212\ufe63\uff0d"


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, int]:
    """Every decimal digit outside ASCII (Arabic-Indic, Devanagari, Bengali, fullwidth, ...) -> its ASCII digit,
    each of :data:`_NUMBER_SPACES` -> a plain space and each of :data:`_NUMBER_DASHES` -> a hyphen."""
    table = {cp: 48 + unicodedata.decimal(chr(cp)) for cp in range(128, 0x20000) if chr(cp).isdecimal()}
    table.update({ord(space): 32 for space in _NUMBER_SPACES})
    table.update({ord(dash): 45 for dash in _NUMBER_DASHES})
    return table


def _ascii_digits(text: str) -> str:
    """``text`` with other scripts' digits written as ASCII ones and typeset spaces and dashes as plain ones, one
    character for one, so spans found in it hold in the original ("+৮৮০ ১১৩০ ৪৮৫৯৭১" is a phone number as
    "+880 1130 485971" is)."""
    if text.isascii() or not (
        any(space in text for space in _NUMBER_SPACES)
        or any(dash in text for dash in _NUMBER_DASHES)
        or any(c.isdecimal() and not c.isascii() for c in text)
    ):
        return text
    return text.translate(_digit_table())


def pattern_hits(text: str, wanted: frozenset[str], context: str = "") -> list[Hit]:
    """All pattern entities of the ``wanted`` types in ``text``; overlaps are settled later."""
    text = _ascii_digits(text)
    hits = list(span_hits(text, wanted))
    if "PHONE_NUMBER" in wanted and ("wa.me/" in text or "=" in text):
        hits.extend(Hit("PHONE_NUMBER", *m.span(1), 0.9) for m in PHONE_LINK.finditer(text))
    digits = len(_ASCII_DIGIT.findall(text))  # a third of ten str.count calls' time
    # six digits or more, three beside a phone's label ("Tel: 991"), five beside a call's word ("waea mai ki 50 067")
    if wanted & NUMBER_ENTITIES and (
        digits >= 6 or (digits >= 3 and has_phone_word(text)) or (digits == 5 and has_call_word(text))
    ):
        # Other entities (and dates) are blanked so their digits never join a phone number.
        blanked = [(h.start, h.end) for h in hits]
        if "IP_ADDRESS" not in wanted and text.count(".") >= 3:
            blanked += [m.span() for m in IPV4.finditer(text) if not dotted_phone(text, *m.span())]
        blanked += [m.span() for m in DATE.finditer(text)]
        masked = _blank(text, blanked) if blanked else text
        if "\n" in masked and "+" in masked:  # read a number broken over a line as one
            masked = BROKEN_NUMBER.sub(lambda m: m.group()[:-1] + " ", masked)
        if "\n" in masked and has_card_word(text):  # and a card's fours broken over a line after two of them
            masked = BROKEN_CARD.sub(lambda m: m.group()[:-1] + " ", masked)
        if "%B" in masked:
            masked = CARD_TRACK1.sub("  ", masked)
        if "/" in masked and any(hint in masked for hint in ("ard", "ARD", "an/", "AN/", "ans/", "ANS/")):
            masked = CARD_PATH.sub(lambda m: m.group()[:-1] + " ", masked)
        encoded_plus: set[int] = set()  # where an encoded "+" was read as one: the number's span starts at its "%"
        if "Dial(" in masked or "ATD" in masked or "%2B" in masked or "%2b" in masked:
            encoded_plus = {m.end() - 1 for m in DIALLED.finditer(masked) if m.group()[0] == "%"}
            masked = DIALLED.sub(lambda m: " " * (len(m.group()) - 1) + ("+" if m.group()[0] == "%" else " "), masked)
        if "=" in masked and "+" in masked:
            masked = FORM_SPACES.sub(lambda m: m.group().replace("+", " "), masked)
        if "8~10" in masked:
            masked = DIAL_WAIT.sub(" ", masked)
        numbers = number_hits(text, masked, context, wanted)
        hits.extend(h._replace(start=h.start - 2) if h.start in encoded_plus else h for h in numbers)
    return hits
