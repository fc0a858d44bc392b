"""The value makers every Faker- and mimesis-based PII part draws from (``bench/pii_sets.py`` and
``bench/pii_heldout3.py`` .. ``bench/pii_heldout10.py``): ``Makers`` gives one value of each type per
call, from Faker in some locales and mimesis in others, seeded, and the helpers around it write a
value the ways people do (cards grouped or bare, SSNs with or without separators, IBANs in groups of
four, names in lowercase or capitals, without titles). HELDOUT17 .. HELDOUT24 share their plumbing here too: a
part built from its own name, phone and card makers (``build_with_values``), a name cased on one roll
(``cased``), and IBAN- and card-shaped negatives nudged to fail their checks (``nudge_iban``, ``nudge_luhn``)."""

from __future__ import annotations

import gc
import gzip
import importlib.util
import ipaddress
import pickle
import random
import re
import string
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from faker import Faker


def valid_phone(number: str, region: str) -> bool:
    """Whether ``number`` is a valid number as written in ``region`` (``phonenumbers``, imported here: the
    parts' other makers do without it)."""
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        return False


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


def random_digits(rng: random.Random, n: int) -> str:
    """``n`` digits drawn from ``rng``, each 0 to 9 alike: the subscriber digits of a made-up number."""
    return "".join(rng.choice("0123456789") for _ in range(n))


def issuer_card(rng: random.Random, issuers: Sequence[tuple[tuple[str, ...], int]], run: bool) -> str:
    """A card number of one of ``issuers`` (each its prefixes and its length; the last one drawn only for a run),
    passing Luhn: whole for a run, else in fours parted by spaces."""
    prefixes, length = rng.choice(issuers if run else issuers[:-1])
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + random_digits(rng, length - len(prefix) - 1))
    return number if run else " ".join(number[i : i + 4] for i in range(0, length, 4))


def luhn_complete(body: str) -> str:
    """``body`` with the digit that makes the Luhn sum a multiple of ten."""
    total = 0
    for index, char in enumerate(reversed(body)):
        d = int(char)
        if index % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_sum(number: str) -> int:
    """The Luhn sum of ``number``'s digits, mod 10 (0: it passes)."""
    digits = [int(c) for c in number if c.isdigit()]
    return (sum(digits[-1::-2]) + sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])) % 10


def mod97(value: str) -> int:
    """An IBAN's check, ``value`` without spaces: 1 when it passes."""
    return int("".join(str(int(c, 36)) for c in value[4:] + value[:4])) % 97


def nudge_iban(text: str, iban_shaped: re.Pattern[str], country: str) -> str:
    """``text`` with the IBAN-shaped reference ``iban_shaped`` finds (group 1 its two check digits, group 2 the rest,
    spaced or not; ``country`` its letters, written in the pattern) given check digits one higher (one lower from
    99) when it would pass mod-97: the shape of an IBAN, never one. ``text`` as it is otherwise."""
    m = iban_shaped.search(text)
    if m and mod97(f"{country}{m.group(1)}{m.group(2).replace(' ', '')}") == 1:
        digits = int(m.group(1))
        text = f"{text[: m.start(1)]}{digits + 1 if digits < 99 else digits - 1:02d}{text[m.end(1) :]}"
    return text


def nudge_luhn(text: str, card_shaped: re.Pattern[str]) -> str:
    """``text`` with the card-shaped code ``card_shaped`` finds (group 1, ending in a digit) given a last digit one
    higher (0 after 9) when it would pass Luhn: the shape of a card, never one. ``text`` as it is otherwise."""
    m = card_shaped.search(text)
    if m and luhn_sum(m.group(1)) == 0:
        last = str((int(m.group(1)[-1]) + 1) % 10)
        text = f"{text[: m.end(1) - 1]}{last}{text[m.end(1) :]}"
    return text


def cased(rng: random.Random, name: str, lower: float = 0.05, upper: float = 0.09) -> str:
    """``name`` in lowercase when one roll of ``rng`` falls under ``lower``, in capitals under ``upper`` (so
    ``upper - lower`` of the time), as written otherwise: people type names both ways."""
    roll = rng.random()
    if roll < lower:
        return name.lower()
    if roll < upper:
        return name.upper()
    return name


def drawn(maker: Callable[[random.Random], str], seed: int = 13, count: int = 2000) -> list[str]:
    """``count`` values of ``maker`` drawn from one ``random.Random(seed)``."""
    rng = random.Random(seed)
    return [maker(rng) for _ in range(count)]


def bad_cards(cards: Sequence[str], shape: str, digits: tuple[int, int]) -> list[str]:
    """The cards of ``cards`` not written whole as ``shape`` (a regular expression), whose count of digits falls
    outside ``digits`` (both ends included), or that fail Luhn: ``[]`` where a part's cards are all sound."""
    lo, hi = digits
    return [
        card
        for card in cards
        if re.fullmatch(shape, card) is None or not lo <= len(re.sub(r"\D", "", card)) <= hi or luhn_sum(card) != 0
    ]


def part_labels(part: dict, kind: str, keys: tuple[str, ...] = ("generated", "hand")) -> list[str]:
    """The values labelled ``kind`` in a part's items (its generated texts and its hand cases)."""
    return [text[s:e] for key in keys for text, spans in part[key] for t, s, e in spans if t == kind]


def invalid_labels(
    part: dict, regions: tuple[str, ...], iban_countries: tuple[str, ...], card_digits: tuple[int, int] = (12, 19)
) -> list[str]:
    """Each phone, IP, card and IBAN label of a part that is not valid by its own rules (a phone valid in one of
    ``regions``, an IP that parses, a card of ``card_digits`` digits passing Luhn, a generated IBAN of one of
    ``iban_countries`` passing mod-97), named with its kind: a part's labels are all right when it is empty."""
    bad = [f"phone {p}" for p in part_labels(part, "PHONE_NUMBER") if not any(valid_phone(p, r) for r in regions)]
    for ip in part_labels(part, "IP_ADDRESS"):
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            bad.append(f"ip {ip}")
    lo, hi = card_digits
    bad += [
        f"card {c}"
        for c in part_labels(part, "CREDIT_CARD")
        if not lo <= len(re.sub(r"\D", "", c)) <= hi or luhn_sum(c) != 0
    ]
    ibans = [iban.replace(" ", "") for iban in part_labels(part, "IBAN_CODE", ("generated",))]
    bad += [f"iban {i}" for i in ibans if i[:2] not in iban_countries or mod97(i) != 1]
    return bad


def misplaced_labels(part: dict, hand: Path) -> list[str]:
    """What is wrong with a part's labels: each text (generated or hand case) whose spans are out of order, overlap,
    fall outside it or have spaces at an edge, and the hand cases' labels where they differ from the ``[[KIND|value]]``
    marks of the hand file ``hand``: ``[]`` where every label is a whole value at its place."""
    bad = []
    for text, spans in part["generated"] + part["hand"]:
        if (
            spans != sorted(spans, key=lambda s: s[1])
            or any(end > start for (_, _, end), (_, start, _) in zip(spans, spans[1:]))
            or any(not 0 <= s < e <= len(text) or text[s:e] != text[s:e].strip() for _, s, e in spans)
        ):
            bad.append(text)
    lines = [line for line in hand.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    marked = [m.groups() for line in lines for m in re.finditer(r"\[\[([A-Z_]+)\|(.+?)\]\]", line)]
    # (a hand file writes a value's line break as "\\n": HELDOUT29's numbers broken over a line)
    labelled = [(kind, text[s:e].replace("\n", "\\n")) for text, spans in part["hand"] for kind, s, e in spans]
    if labelled != marked:
        bad.append(f"hand cases labelled {labelled!r}, marked {marked!r}")
    return bad


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
    return luhn_complete(body)


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
    return mod97(value) == 1


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


class PartValues(Protocol):
    """A held-out part's own makers of names, phones and cards, drawing from its ``Makers``' generator."""

    def person(self, template: str = "") -> str: ...

    def phone(self, template: str = "") -> str: ...

    def card(self, template: str = "") -> str: ...


def build_with_values(
    seed: int,
    faker_locales: list[str],
    values_of: Callable[[Makers], PartValues],
    texts: tuple[Sequence[str], Sequence[str], Sequence[str]],
    n_positive: int,
    n_negative: int,
    hand: str | None,
    never_valid: Callable[[str], str],
) -> dict[str, list]:
    """A held-out part (``pii_sets.build_part``) whose names, phones and cards come from ``values_of(makers)``
    (made after ``Makers(seed, faker_locales, [])``, from its generator), every other kind from the ``Makers``;
    ``hand`` its file of hand cases (if any); ``never_valid`` is applied to each negative text (to make a value's shape
    that would happen to pass its check fail it)."""
    from bench import pii_sets  # pii_sets imports this module

    makers = Makers(seed, faker_locales, [])
    values = values_of(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign, assignment]
    makers.CREDIT_CARD = values.card  # type: ignore[method-assign, assignment]
    part = pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, hand)
    part["negative"] = [(never_valid(text), spans) for text, spans in part["negative"]]
    return part


def names_dataset_tables(part: str) -> Iterator[tuple[str, dict]]:
    """``names-dataset``'s two tables, ``("first", table)`` then ``("last", table)``, read from the package's own data
    files (shipped in its wheel; the package is not imported), the collector paused while each is read and used (their
    millions of objects); the caller lets each go (``del``) before the next is read, so that only one is held. ``part``
    names the part in the error when the package is missing."""
    spec = importlib.util.find_spec("names_dataset")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{part} needs the package 'names-dataset' (the dev extra)")
    data = Path(next(iter(spec.submodule_search_locations))) / "v3"
    for kind, file in (("first", "first_names.pkl.gz"), ("last", "last_names.pkl.gz")):
        gc.disable()
        try:
            with gzip.open(data / file) as f:
                table = pickle.load(f)
            yield kind, table
            del table  # the generator's own reference
        finally:
            gc.enable()
