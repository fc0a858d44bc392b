"""The words around a number (flyloop.privacy.pii_number_words): each pattern read on its own, where the
number readers of pii_numbers use it (before a number, ending at it, or anywhere in the text)."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_number_words import (
    _CARD_NOUN,
    _ID_CONTEXT,
    _MY_NUMBER,
    _PHONE_HINTS,
    _PHONE_LABEL,
    _PHONE_LABELS,
    _UNIT_AFTER,
    VERSION_WORD,
)


@pytest.mark.parametrize(
    ("before", "labels"),
    [("Tel: ", True), ("phone ", True), ("SĐT ", True), ("my telephone was ", False), ("order ", False)],
)
def test_a_phones_label_ends_right_before_the_number(before, labels):
    assert (_PHONE_LABEL.search(before) is not None) is labels


def test_every_ascii_label_holds_one_of_the_hints():
    assert all(any(hint in label for hint in _PHONE_HINTS) for label in _PHONE_LABELS if label.isascii())


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("Kortnummeret til Odd", True),  # a Nordic card's definite form
        ("Нумар карткі", True),  # Belarusian
        ("i ka wari sara kariti", True),  # Bambara and Dioula
        ("หมายเลขบัตร", True),  # Thai, written with no word boundary
        ("short cut", False),
        ("cardinal rules", False),  # a word that starts like one
    ],
)
def test_the_cards_noun_in_many_languages_and_only_as_a_word(text, card):
    assert (_CARD_NOUN.search(text) is not None) is card


def test_an_identifiers_noun_before_a_number_and_norways_kid_only_in_capitals():
    assert _ID_CONTEXT.search("KID ") is not None
    assert _ID_CONTEXT.search("order no. ") is not None
    assert _ID_CONTEXT.search("my kid ") is None


@pytest.mark.parametrize(
    ("before", "matches"),
    [("firmware ", True), ("programvare ", True), ("Хувилбар ", True), ("address ", False)],
)
def test_a_versions_word_before_dotted_numbers(before, matches):
    assert (VERSION_WORD.search(before) is not None) is matches


def test_my_number_and_a_counts_unit():
    assert _MY_NUMBER.search("my new number is ") is not None
    assert _MY_NUMBER.search("my order number is ") is None
    assert [_UNIT_AFTER.match(after) is not None for after in (" bytes", " ₫ paid", " apples")] == [True, True, False]
