"""The person-name detector of pattern mode (flyloop.privacy.pii_names): listed names, cues
(honorifics, introductions), other scripts, and the capitalized words that are not people."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_names import common_words, find_names, name_lists, plausible


def names(text: str) -> list[str]:
    return [text[n.start : n.end] for n in find_names(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'm Maria Garcia and I need help", ["Maria Garcia"]),
        ("Ask Dr. Smith tomorrow", ["Smith"]),  # the honorific is not part of the name
        ("My name is priya", ["priya"]),  # an introduction names what follows, even lower-case
        ("Mr. O'Neill-Jones called", ["O'Neill-Jones"]),
        ("Contact 王小明 today", ["王小明"]),
        ("The Great Gatsby is a book", []),
        ("Please Help Me", []),
        ("hello world", []),
        ("12345 67", []),
    ],
)
def test_find_names(text, expected):
    assert names(text) == expected


def test_plausible_rejects_digits_common_words_and_product_capitals():
    assert [plausible(t) for t in ("Maria", "Garcia", "the", "iPhone", "JSON", "Agent 007")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_the_lists_are_casefolded_and_loaded_once():
    first, last, common = name_lists()
    assert {"maria", "priya"} <= first and {"garcia", "smith"} <= last
    assert all(name == name.casefold() for name in first | last | common)
    assert name_lists()[0] is first  # read from the packaged file once
    assert common_words() is common_words()


def test_name_list_holds_other_scripts_and_common_words():
    from flyloop.privacy.pii_names import common_words, name_lists

    first, last, common = name_lists()
    assert {"алексей", "प्रिया", "محمد"} <= first
    assert {"смирнов", "李", "佐藤"} <= last
    assert {"data", "design", "face"} <= common_words()
    assert "will" in common and "will" not in common_words()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Interview with HABIBA BOBUROV moved to Thursday", ["HABIBA BOBUROV"]),  # unlisted, in capitals, cued
        ("Thanks to Berke for the quick fix!", ["Berke"]),  # one unlisted word after a person cue
        ("cheers, manuelo peralta", ["manuelo peralta"]),  # unlisted, then a listed surname, after a sign-off
        ("The WHO AND UN met", []),
        ("the default is None for a look", []),
    ],
)
def test_names_no_list_holds_beside_a_person_cue(text, expected):
    assert names(text) == expected
