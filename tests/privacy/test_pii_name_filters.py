"""What a span found as a name turns out not to be (flyloop.privacy.pii_name_filters): a number's label, a town
after its postal code."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_name_filters import a_place, labels_a_number, no_places, town_after_postcode
from flyloop.privacy.pii_name_rules import Name


def _span(text: str, words: str) -> Name:
    start = text.index(words)
    return Name(start, start + len(words))


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        # a number's mark after a word no list knows; an identifier's noun first; a compound ending in "nummer"
        ("Rēķins Nr. 12345678", "Rēķins", True),
        ("Paul No. 5 scored", "Paul", False),
        ("Resi JNE 7996123", "Resi JNE", True),
        ("Kundenummer 1234", "Kundenummer", True),
        ("EAN-nummer 5798096409642", "EAN-nummer", True),
        # a series' letter after any words, two letters after words no list holds
        ("Runestone U 737", "Runestone U", True),
        ("Nummerplade AB 18 408", "Nummerplade AB", True),
        ("Anna AB 18", "Anna AB", False),
        # a plate's and a case file's noun before a code or a mark ("N.°"); a loyalty card's compound
        ("Nommerplaat CA 12-345", "Nommerplaat", True),
        ("Placa A1B-234, Arequipa", "Placa", True),
        ("Expediente N.° 5995-1993", "Expediente N", True),
        ("Clicks ClubCard 6392 3303", "Clicks ClubCard", True),
        ("Reg. nr. 2019/123456/07", "Reg", True),
        # coordinates after a place
        ("Asunción -25.2637399 -57.5759254", "Asunción", True),
    ],
)
def test_labels_a_number(text, words, expected):
    assert labels_a_number(text, _span(text, words)) is expected


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("DK-4507 København Ø", "København Ø", True),
        ("CH-8001 Zürich", "Zürich", True),
        ("SE-123 45 Stockholm", "Stockholm", True),
        ("H.C. Andersens Boulevard 27, 1553 København V", "København V", True),
        ("Τ.Κ. 1065, Λευκωσία", "Λευκωσία", True),
        ("C.P. 06600, Ciudad de México", "Ciudad de México", True),
        ("call 4507 Anna Berg", "Anna Berg", False),
        ("Room B-12 Anna Berg", "Anna Berg", False),
    ],
)
def test_town_after_postcode(text, words, expected):
    assert town_after_postcode(text, _span(text, words)) is expected


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        # a place the gazetteer holds; the capitalized words before a place's noun in lowercase
        ("Reg. nr. HK 1086, Wan Chai", "Wan Chai", True),
        ("Jāņi Līgo Vecrīga Doma laukums", "Jāņi Līgo Vecrīga Doma", True),
        ("Vytauto Didžiojo universitetas", "Vytauto Didžiojo", True),
        # an honorific before it says person, whatever place the words also name
        ("Mr. Wan Chai", "Wan Chai", False),
        ("Jonas Petraitis gatvėje", "Jonas Petraitis", False),
    ],
)
def test_a_place(text, words, expected):
    assert a_place(text, _span(text, words)) is expected


def test_no_places_keeps_what_is_no_place_nor_a_numbers_label():
    text = "Rēķins Nr. 123 from Ana Lima, Wan Chai"
    kept = no_places(text, [_span(text, "Rēķins"), _span(text, "Ana Lima"), _span(text, "Wan Chai")])
    assert [text[n.start : n.end] for n in kept] == ["Ana Lima"]
