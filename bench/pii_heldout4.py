"""HELDOUT4: the fourth held-out PII part, made because HELD-OUT, HELDOUT2 and HELDOUT3's misses were
studied (issue 9, item 8, the round on names in NER mode); written, templates, negatives and
generators, before any detector changed in that round, and only its totals are printed.

Faker and mimesis are spent (every locale of both either feeds the name list or is held out by
another part), so its names come from two generators the name list was never built from:

- first names from ``gender-guesser``'s dictionary (Jörg Michael's list of about 48,000 given
  names with their frequency in 54 countries and regions), drawn by country and then by frequency;
- surnames from ``names``' copy of the US census surname list (88,799 surnames, all origins),
  drawn by frequency half of the time and uniformly (the long tail: "Aalderink") the other half.

Names are written whole, with a middle initial, first name alone, or "Last, First", a few in
lowercase or capitals; in templates the other parts lack (headlines in Title Case, news
sentences, speaker labels, git trailers, calendar lines, possessives, a name that starts the
sentence). The other types come from ``bench.pii_sets.Makers`` in the few locales no name is drawn
from here, with this part's seed. Negatives: numbers that are not personal data, and lines in Title
Case or with capitalized words that hold no person (headlines, products, places, teams).
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT4_SEED = 640219
# Locales for the values that are not names (none is drawn from here: the names have their own source).
HELDOUT4_FAKER_LOCALES = ["en", "es", "ar_AA", "or_IN"]
HELDOUT4_MIMESIS_LOCALES = ["ar-dz", "ar-om", "ar-qa", "ar-sy", "ar-ye"]


@lru_cache(maxsize=1)
def _given_names() -> list[tuple[str, list[tuple[str, int]]]]:
    """Per country of gender-guesser's dictionary: (country, [(first name, weight), ...])."""
    from gender_guesser.detector import Detector

    countries = Detector.COUNTRIES
    by_country: dict[str, dict[str, int]] = {c: {} for c in countries}
    for name, genders in Detector().names.items():
        if not name[:1].isupper() or len(name) < 2:
            continue
        for values in genders.values():
            for index, country in enumerate(countries):
                if index < len(values) and values[index] != " ":
                    weight = ord(values[index]) - 48 if values[index].isdigit() else ord(values[index]) - 55
                    if weight > 0:
                        by_country[country][name] = max(by_country[country].get(name, 0), 2**weight)
    return [(c, sorted(names.items())) for c, names in by_country.items() if names]


@lru_cache(maxsize=1)
def _surnames() -> list[tuple[str, float]]:
    import names

    path = Path(names.__file__).with_name("dist.all.last")
    out = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts:
            out.append((parts[0].capitalize(), float(parts[1]) + 0.0005))
    return out


class Heldout4Values:
    """Names from their own generators; the other types from ``Makers`` (its seed and locales)."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT4_SEED + 11)
        self.given = _given_names()
        self.surnames = _surnames()
        self.surname_weights = [w for _, w in self.surnames]

    def _first(self) -> str:
        _, pool = self.rng.choice(self.given)
        return self.rng.choices([n for n, _ in pool], weights=[w for _, w in pool])[0]

    def _last(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choices(self.surnames, weights=self.surname_weights)[0][0]
        return self.rng.choice(self.surnames)[0]

    def person(self, template: str = "") -> str:
        rng = self.rng
        first, last = self._first(), self._last()
        roll = rng.random()
        if roll < 0.55:
            name = f"{first} {last}"
        elif roll < 0.65:
            name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        elif roll < 0.85:
            name = first
        elif roll < 0.92:
            name = f"{first} {self._first()} {last}"
        else:
            name = last if "Mr" in template or "Ms" in template else f"{first} {last}"
        roll = rng.random()
        if roll < 0.07:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name


HELDOUT4_TEMPLATES = [
    "Congratulations {PERSON}!",
    "Re: Quarterly Review With {PERSON}",
    "Fwd: Lunch Invitation From {PERSON}",
    "{PERSON} Named Head Of Product At Local Startup",
    "{PERSON}, the company's new CFO, declined to comment.",
    "According to {PERSON}, the outage started at noon.",
    "{PERSON} joined the team in 2021 and leads the mobile app.",
    "{PERSON}: can someone restart the staging box?",
    "Signed-off-by: {PERSON} <{EMAIL_ADDRESS}>",
    "Co-authored-by: {PERSON} <{EMAIL_ADDRESS}>",
    "10:30 standup ({PERSON}, {PERSON})",
    "Is this {PERSON}'s laptop?",
    "I'm meeting {PERSON} at the airport, her flight lands at 6.",
    "Please give {PERSON} admin rights on the billing project.",
    "Happy birthday {PERSON}!!",
    "{PERSON} left a 1-star review saying the app crashes on login.",
    "The contract was signed by {PERSON} and {PERSON} on Friday.",
    "Interview Schedule: {PERSON} (9am), {PERSON} (11am)",
    "Mr {PERSON} asked for a refund; Ms {PERSON} did not.",
    "Winner: {PERSON}",
    "Photo by {PERSON}",
    "{PERSON} ({PHONE_NUMBER}) wants a callback about order 55102.",
    "lmk if {PERSON} replies",
    "Tell {PERSON} the password reset link expired.",
    "Account closed at the request of {PERSON}, card {CREDIT_CARD}.",
    "Payee {PERSON}, IBAN {IBAN_CODE}",
    "{PERSON} from accounts says the SSN on file is {US_SSN}.",
    "New login for {EMAIL_ADDRESS} from {IP_ADDRESS}",
    "Driver {PERSON} is 5 minutes away, call {PHONE_NUMBER}.",
    "Keynote: {PERSON} On Scaling Support Teams",
    "Ask {PERSON} whether {PERSON} can cover the Tuesday shift.",
    "Visitor log: {PERSON}, badge 4471, host {PERSON}",
]
# Numbers that are not personal data (the negative set: nothing may be found).
HELDOUT4_NEGATIVES = [
    "Order Confirmation #{order}",
    "Your Weekly Summary For Week {a}",
    "Meeting Room {c} Is Booked Until {m}:{d:02d}",
    "invoice {order} due {year}-{m:02d}-{d:02d}",
    "gift card balance {c}.{b:02d}, code expires {m}/{year}",
    "flight {c} delayed to {m}:{d:02d}, gate {a}",
    "warehouse bin {a}-{c}-{q}, {long} units",
    "refund of {c}.{b:02d} EUR issued for order {long}",
    "api latency p50 {a} ms, p99 {c} ms",
    "docker image sha256:{sha}",
    "pallet {fedex}, {a} boxes, {c} kg",
    "version {a}.{b}.{c} build {order}",
]
# Lines with capitalized words and no person (headlines, products, places, teams): reported
# beside, as the share where no PERSON span is found.
HELDOUT4_WORD_NEGATIVES = [
    "Save {a}% On All Orders This Weekend",
    "Quarterly Business Review: Revenue Up {a}%",
    "New Features In Release {a}.{b}",
    "Black Friday Deals Start Now",
    "Grand Canyon National Park opens at {m} am",
    "Golden Gate Bridge traffic delayed {a} minutes",
    "The Red Sox beat the Yankees {a}-{b}",
    "Google Chrome {c}.0.{order} is out",
    "Microsoft Teams call at {m}:{d:02d}",
    "United Nations report: {a} countries signed",
    "Customer Success Team Offsite, {d} May {year}",
    "Mark the invoice as paid and close the ticket.",
    "Will the new pricing apply to existing customers?",
    "Grace period ends on day {a}.",
    "Hope Street branch closes early on Fridays",
    "Summer Sale: Free Shipping Over {c} Dollars",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand" (none), "word_negative"} for HELDOUT4."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT4_SEED, HELDOUT4_FAKER_LOCALES, HELDOUT4_MIMESIS_LOCALES)
    texts = (HELDOUT4_TEMPLATES, HELDOUT4_NEGATIVES, HELDOUT4_WORD_NEGATIVES)
    return pii_sets.build_part(makers, Heldout4Values(makers).person, texts, n_positive, n_negative, None)
