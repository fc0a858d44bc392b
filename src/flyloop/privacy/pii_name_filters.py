"""The last look at a span found as a name. What it turns out not to be, by the words around it: the label of a
number that follows it ("Rēķins Nr. 123", "Boleta N° 4812", "Kundenummer 1234", a series' or a plate's letters
before their digits), a town after its postal code ("DK-4507 ...", "Boulevard 27, 1553 ...") or a place's name
(:mod:`flyloop.privacy.pii_gazetteer`, a place's noun after it), which
:func:`flyloop.privacy.pii_names.find_names` drops last and :mod:`flyloop.privacy.redaction` drops from the spans
spaCy calls a person; and what it takes in: a second surname's initial after it, Bangladesh's "Md." before it."""

from __future__ import annotations

import re

from flyloop.privacy.pii_cues import (
    COORDINATES_AFTER,
    HONORIFIC,
    HONORIFIC_WORLD,
    ID_NOUN_FIRST,
    LAST_INITIAL,
    NAME_PREFIX_BEFORE,
    NUMBER_AFTER,
    NUMBER_MARK_AFTER,
    NUMBER_MARKS,
)
from flyloop.privacy.pii_gazetteer import place_cover
from flyloop.privacy.pii_name_rules import Name
from flyloop.privacy.pii_places import PLACE_AFTER
from flyloop.privacy.pii_words import WORD, name_lists

# a word for "number" or "card" that ends a compound noun of the label's language ("Kundenummer", "EAN-nummer",
# "numero", "ClubCard")
_NUMBER_NOUN_END = re.compile(r"(?:nummer|nommer|numer|numero|número|numéro|numru|card|kaart|karte|tarjeta)$")
# letters that write a series or a plate before the number, after another word ("Runestone U 737", "Vlak R 251",
# "Nummerplade AB 18 408")
_SERIES_LETTERS = re.compile(r"(?<=\w)[ \t](?-i:[A-Z]{1,2})$")
# a code in capitals, then the number, after an identifier's noun ("Nommerplaat CA 123-456", "Placa A1B-234")
_CODE_THEN_NUMBER = re.compile(r"[ \t]+(?-i:[A-Z][A-Z0-9]{0,3})[ \t-]?\d")
# the word after a span, in lowercase
_WORD_AFTER = re.compile(r"[ \t]+((?-i:[^\W\d_A-ZÀ-ÞĀ-Ž])\w*)")
# an honorific right before a span ("Mnr. Le Roux")
_TITLED = re.compile(rf"(?:{HONORIFIC.pattern}|{HONORIFIC_WORLD.pattern})$", re.I)
# A postal code with its country's letters before it, which a town's name follows on an address's line ("DK-4507",
# "D-10115", "CH-8001", "SE-123 45"), or one after a street's number and a comma ("Boulevard 27, 1553 ...")
_POSTCODE_BEFORE = re.compile(
    r"(?:(?<![\w-])(?-i:[A-Z]{1,3})-\d{3,5}(?:[ \t]\d{2})?|\d{1,4}[A-Za-z]?,[ \t]+\d{4,5}"
    # or a postal code's own label before it ("Τ.Κ. 1065, Λευκωσία", "C.P. 06600, Ciudad de México", "CEP 01310-100")
    r"|(?<![\w.])(?i:t\.k\.|τ\.κ\.|c\.p\.|cep|plz|zip|postcode|postal code)[ \t]*:?[ \t]*\d{3,6}(?:-\d{3,4})?,?)[ \t]+$"
)


def labels_a_number(text: str, name: Name) -> bool:
    """Whether a span labels a number: one no list knows ("Rēķins Nr. 123", "Challan no. 123"; not "Paul
    No. 5"), or an identifier's noun, a code in capitals or not, and the number ("Resi JNE 7996...", "Boleta
    N° 4812...": "Resi" is a first name too)."""
    words = [w.casefold() for w in WORD.findall(text[name.start : name.end])]
    if not words:
        return False
    if (
        ID_NOUN_FIRST.match(text, name.start)
        and (NUMBER_AFTER.match(text, name.end) or _CODE_THEN_NUMBER.match(text, name.end))
    ) or COORDINATES_AFTER.match(text, name.end):
        return True
    if _NUMBER_NOUN_END.search(words[-1]) and NUMBER_AFTER.match(text, name.end):
        return True
    first, last, _ = name_lists()
    series = _SERIES_LETTERS.search(text, name.start, name.end)
    # a word and a series' letter before the number: a code; two letters, after a word no list holds
    if (
        series is not None
        and len(words) >= 2
        and NUMBER_AFTER.match(text, name.end)
        and (len(words[-1]) == 1 or not any(w in first or w in last for w in words[:-1]))
    ):
        return True
    if any(w in first or w in last for w in words if w not in NUMBER_MARKS):
        return False
    return NUMBER_MARK_AFTER.match(text, name.end) is not None or words[-1] in NUMBER_MARKS


def town_after_postcode(text: str, name: Name) -> bool:
    """Whether a span is the town an address's postal code comes before, with its country's letters or after a
    street's number ("DK-4507 København Ø", "Boulevard 27, 1553 København V"): a place, whatever words name it."""
    return _POSTCODE_BEFORE.search(text, max(0, name.start - 16), name.start) is not None


def a_place(text: str, name: Name) -> bool:
    """Whether a span is a place's name or a list of places (:func:`place_cover`), or the capitalized words before a
    place's noun in lowercase (``PLACE_AFTER``: "Doma laukums"), and no honorific stands before it (one says person,
    whatever place the words also name)."""
    after = _WORD_AFTER.match(text, name.end)
    placed = (after is not None and after.group(1) in PLACE_AFTER) or place_cover(text, name.start, name.end)
    # (the honorific's long expression read only for a span that names a place: most names name none)
    return placed and _TITLED.search(text, max(0, name.start - 24), name.start) is None


def no_places(text: str, names: list[Name]) -> list[Name]:
    """The spans of ``names`` that are no place (:func:`a_place`), no label of a number and no town after its postal
    code: what :func:`flyloop.privacy.pii_names.find_names` keeps last."""
    digits = any(c.isdigit() for c in text)
    return [
        name
        for name in names
        if not a_place(text, name) and not (digits and (labels_a_number(text, name) or town_after_postcode(text, name)))
    ]


def with_last_initial(text: str, name: Name) -> Name:
    """The name with the initial of a second surname after it, where one stands (see LAST_INITIAL)."""
    m = LAST_INITIAL.match(text, name.end)
    if m and " " not in text[name.start : name.end] and not m.group()[-1:].islower():
        m = None  # one word and an initial: not "Ana B." ("Ana B. said" may be a sentence's end)
    return Name(name.start, m.end()) if m else name


def with_prefix(text: str, name: Name) -> Name:
    """The name with Bangladesh's "Md." or "Most." before it, where one stands (see NAME_PREFIX_BEFORE)."""
    m = NAME_PREFIX_BEFORE.search(text, max(0, name.start - 6), name.start)
    return Name(m.start(), name.end) if m else name
