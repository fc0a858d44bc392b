"""HELDOUT3: the third held-out PII part, written (templates, negatives, generators, hand cases)
before any detector changed in its round and never tuned on; only its totals are printed.

What makes it new beside DEV, HELD-OUT and HELDOUT2 (``bench/pii_sets.py``):

- Names from Faker locales no other part draws from (West African, South and South-East Asian,
  Irish, Portuguese, Colombian, Zulu, Swahili; several in their own scripts) and mimesis locales
  no other part uses; all of them are kept out of the name list (``scripts/build_pii_names.py``).
- A third generator for phone numbers: ``phonenumbers``' metadata for 60 regions (valid mobile and
  fixed-line numbers drawn by changing an example number's last digits until the library calls
  the result valid), in international, national and E.164 forms.
- A fourth, written here for the forms issue 9 names: North American numbers with an ``x``
  extension glued to the digits, dotted, with ``+1`` and area codes a phone library calls
  invalid; Luhn-valid cards of 12 to 19 digits, grouped or not, 2-series Mastercard; SSNs in
  every common separator style; IPv4 with ports, compressed and mapped IPv6; IBANs of countries
  Faker does not make, with their check digits computed.
- Templates in formats the other parts lack (YAML, HTML, SMS, log lines with key=value, a CSV with
  a header, markdown tables, text in Spanish, French, German and Portuguese around the values).
- ``data/pii/hard_heldout3.txt``: hand-written hard cases.
"""

from __future__ import annotations

import random
import re
import string
from typing import TYPE_CHECKING

from bench.pii_makers import luhn_complete

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT3_SEED = 553311
HELDOUT3_FAKER_LOCALES = [
    "vi_VN",
    "yo_NG",
    "ig_NG",
    "ta_IN",
    "id_ID",
    "ga_IE",
    "pt_PT",
    "es_CO",
    "zu_ZA",
    "sw",
    "en_PK",
    "si_LK",
    "gu_IN",
    "en_NG",
]
HELDOUT3_MIMESIS_LOCALES = ["ar-ae", "az", "ar-tn", "ar-kw"]
PHONE_REGIONS = (
    "US CA GB IE FR DE ES PT IT NL BE CH AT SE NO DK FI PL CZ HU RO GR TR IL AE SA EG MA NG KE ZA GH ET "
    "IN PK BD LK NP CN HK TW JP KR SG MY ID PH VN TH AU NZ BR AR CL CO PE MX VE UA RU KZ"
).split()
# A person's title in the Vietnamese locale ("Cô Hạnh Trần"): not the name, so not labelled.
_VI_TITLES = re.compile(r"^(?:Cô|Bà|Ông|Anh|Chị|Em|Bác|Chú|Quý ông|Quý bà)\s+(?=\S+\s+\S)")


def _iban(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in rearranged)) % 97
    return f"{country}{check:02d}{bban}"


# (country, BBAN layout): 'n' a digit, 'a' an upper-case letter, 'c' either.
_IBAN_LAYOUTS = [
    ("LU", "nnncccccccccccc"),
    ("MT", "aaaannnnncccccccccccccccccc"),
    ("CY", "nnnnnnnncccccccccccccccc"),
    ("SA", "nnccccccccccccccccnn"),
    ("QA", "aaaaccccccccccccccccccccc"),
    ("AE", "nnnnnnnnnnnnnnnnnnn"),
    ("IS", "nnnnnnnnnnnnnnnnnnnnnn"),
    ("EE", "nnnnnnnnnnnnnnnn"),
    ("BG", "aaaannnnnncccccccc"),
    ("GI", "aaaaccccccccccccccc"),
    ("TN", "nnnnnnnnnnnnnnnnnnnn"),
    ("MU", "aaaannnnnnnnnnnnnnnnnnnnaaa"),
    ("KW", "aaaacccccccccccccccccccccc"),
]


class Heldout3Values:
    """Values for HELDOUT3 that the shared makers do not draw: wrapped around ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT3_SEED + 7)

    def person(self, template: str) -> str:
        return _VI_TITLES.sub("", self.makers.PERSON(template))

    def phone(self, template: str) -> str:
        roll = self.rng.random()
        if roll < 0.4:
            return self._library_phone()
        if roll < 0.8:
            return self._nanp_phone()
        return self.makers.PHONE_NUMBER(template)

    def _library_phone(self) -> str:
        import phonenumbers
        from phonenumbers import PhoneNumberFormat, PhoneNumberType

        rng = self.rng
        while True:
            region = rng.choice(PHONE_REGIONS)
            kind = rng.choice([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE])
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = str(example.national_number)
            for _ in range(20):
                keep = max(2, len(national) - 5)
                digits = national[:keep] + "".join(rng.choice(string.digits) for _ in range(len(national) - keep))
                number = phonenumbers.parse(f"+{example.country_code}{digits}")
                if phonenumbers.is_valid_number(number):
                    style = rng.choice(
                        [PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.NATIONAL]
                        + [PhoneNumberFormat.E164]
                    )
                    return phonenumbers.format_number(number, style)

    def _nanp_phone(self) -> str:
        rng = self.rng
        invalid_area = rng.random() < 0.3
        area = (
            rng.choice(["123", "199", "555", "370", "960", "811", "289", "100", "011"])
            if invalid_area
            else rng.choice(["201", "347", "408", "469", "571", "628", "737", "818", "929", "984"])
        )
        exchange = f"{rng.randint(200, 999)}"
        line = f"{rng.randint(0, 9999):04d}"
        style = rng.choice(["dots", "dash", "paren", "plus_dash", "plus_space", "plus_dots", "one_dash", "bare"])
        core = {
            "dots": f"{area}.{exchange}.{line}",
            "dash": f"{area}-{exchange}-{line}",
            "paren": f"({area}) {exchange}-{line}",
            "plus_dash": f"+1-{area}-{exchange}-{line}",
            "plus_space": f"+1 {area} {exchange} {line}",
            "plus_dots": f"+1.{area}.{exchange}.{line}",
            "one_dash": f"1-{area}-{exchange}-{line}",
            "bare": f"+1{area}{exchange}{line}",
        }[style]
        ext = rng.random()
        if ext < 0.25:
            core += f"x{rng.randint(1, 99999)}"
        elif ext < 0.35:
            core += f" ext. {rng.randint(10, 9999)}"
        elif ext < 0.42:
            core += f" x{rng.randint(10, 999)}"
        return core

    def card(self, template: str) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            return self.makers.CREDIT_CARD(template)
        prefix, length = rng.choice(
            [
                (str(rng.randint(2221, 2720)), 16),
                (str(rng.randint(51, 55)), 16),
                ("4", rng.choice([13, 16, 19])),
                ("62", rng.randint(16, 19)),
                (rng.choice(["50", "56", "58", "63", "67"]), rng.randint(12, 19)),
                (rng.choice(["34", "37"]), 15),
                ("6011", rng.choice([16, 19])),
                (str(rng.randint(644, 649)), 16),
                ("36", 14),
                ("35", rng.randint(16, 19)),
                ("2200", 16),
            ]
        )
        body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
        number = luhn_complete(body)
        style = rng.choice(["bare", "space", "dash", "space"])
        if style == "bare":
            return number
        sep = " " if style == "space" else "-"
        if length == 15:
            groups = [number[:4], number[4:10], number[10:]]
        elif length == 14 and rng.random() < 0.5:
            groups = [number[:4], number[4:10], number[10:]]
        else:
            groups = [number[i : i + 4] for i in range(0, length, 4)]
        return sep.join(groups)

    def ssn(self, template: str) -> str:
        rng = self.rng
        area = rng.choice([rng.randint(1, 665), rng.randint(667, 899)])
        digits = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        context = bool(re.search(r"ssn|social|seguro|sécurité|taxpayer|tin\b", template, re.I))
        style = rng.choice(["dash", "dash", "space", "dot"] + (["bare"] if context else []))
        if style == "bare":
            return digits
        sep = {"dash": "-", "space": " ", "dot": "."}[style]
        return f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"

    def ip(self, template: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return ".".join(str(rng.randint(1, 254)) for _ in range(4))
        if roll < 0.55:
            return f"fe80::{rng.randint(1, 0xFFFF):x}:{rng.randint(1, 0xFFFF):x}"
        if roll < 0.7:
            return f"2001:db8:{rng.randint(0, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}"
        if roll < 0.8:
            return f"::ffff:{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        return self.makers.IP_ADDRESS(template)

    def iban(self, template: str) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            return self.makers.IBAN_CODE(template)
        country, layout = rng.choice(_IBAN_LAYOUTS)
        bban = "".join(
            rng.choice(string.digits if c == "n" else string.ascii_uppercase if c == "a" else string.digits * 3 + "ABC")
            for c in layout
        )
        value = _iban(country, bban)
        return value if rng.random() < 0.5 else " ".join(value[i : i + 4] for i in range(0, len(value), 4))

    def email(self, template: str) -> str:
        rng = self.rng
        value = self.makers.EMAIL_ADDRESS(template)
        roll = rng.random()
        if roll < 0.1:
            return value.upper()
        if roll < 0.2:
            local, domain = value.split("@")
            return f"{local}@{rng.choice(['mail', 'corp', 'students'])}.{domain}"
        return value


HELDOUT3_TEMPLATES = [
    "contact:\n  name: {PERSON}\n  phone: {PHONE_NUMBER}\n  email: {EMAIL_ADDRESS}",
    "<td>{PERSON}</td><td>{PHONE_NUMBER}</td>",
    '<a href="mailto:{EMAIL_ADDRESS}">{PERSON}</a>',
    "SMS from {PHONE_NUMBER}: running late, {PERSON}",
    "ts=2025-02-11T08:14:02Z level=warn user={EMAIL_ADDRESS} src={IP_ADDRESS} msg=denied",
    "name,ssn\n{PERSON},{US_SSN}",
    "| {PERSON} | {EMAIL_ADDRESS} | {PHONE_NUMBER} |",
    "Hola, soy {PERSON}, mi teléfono es {PHONE_NUMBER}.",
    "Bonjour, je m'appelle {PERSON} et ma carte {CREDIT_CARD} a été refusée.",
    "Bitte überweisen Sie an {IBAN_CODE} (Kontoinhaber {PERSON}).",
    "Olá {PERSON}, o seu número {PHONE_NUMBER} foi atualizado.",
    "Numéro de sécurité sociale américain: {US_SSN}",
    "pay stub: employee {PERSON} / SSN {US_SSN} / net 2,140.55",
    "charge declined: {CREDIT_CARD} (exp 11/28)",
    "Card on file ending — full number {CREDIT_CARD}, holder {PERSON}",
    "{CREDIT_CARD}",
    "call me at {PHONE_NUMBER} or my office {PHONE_NUMBER}",
    "Reach the front desk on {PHONE_NUMBER}.",
    "Our new hire {PERSON} starts in the Lagos office next week.",
    "meeting notes — attendees: {PERSON}, {PERSON}, {PERSON}",
    "Can you write a reference letter for {PERSON}?",
    "I think {PERSON} is the best candidate for the role.",
    "upstream {IP_ADDRESS}:8443 refused connection",
    "bind address [{IP_ADDRESS}] port 53",
    "beneficiary: {PERSON} — account {IBAN_CODE}",
    "{PERSON} wrote: the invoice went to {EMAIL_ADDRESS}",
    "please loop in {PERSON} ({EMAIL_ADDRESS}, {PHONE_NUMBER})",
    "TIN/SSN: {US_SSN}",
    "Send a thank-you note to {PERSON} for the flowers.",
    "cc: {EMAIL_ADDRESS}; {EMAIL_ADDRESS}",
]
HELDOUT3_NEGATIVES = [
    "invoice INV-{year}-{order:06d} total {c}.{b:02d}",
    "deployed v{a}.{b}.{c} at {year}-{m:02d}-{d:02d}T{m:02d}:{d:02d}:00Z",
    "sha256 {sha}{md5}",
    "order {long} ships in {a} days",
    "the model has {long} parameters",
    "room {c}, ext. building {a}",
    "from {d:02d}/{m:02d}/{year} to {d2:02d}/{m:02d}/{year}",
    "price {c},{b:02d} € (was {c}.{a:02d} €)",
    "tracking {fedex} via DHL",
    "build #{order} passed {a}/{b} tests",
    "lat {a}.{order}, lon -{b}.{order}",
    "{c} ms, {c} ms, {c} ms",
    "product code {c}-{order}-{a}",
    "RFC {c}{a} section {q}.{a}",
    "amount due: USD {long}.00",
    "step {a}/{b} done in {c}.{a} s",
    "ticket JIRA-{order}",
    "timestamp {epoch}{c}",
    "batch {uuid} finished",
    "Python 3.{a}.{b} on kernel {q}.{a}.{c}",
]
