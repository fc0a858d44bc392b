"""The words that make a run of capitalized words a place's, a firm's or a feast's name (flyloop.privacy.pii_places)."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_places import (
    EVENT_WORDS,
    ORG_WORDS,
    PLACE_AFTER,
    PLACE_FIRST,
    PLACE_WORDS,
    SAINTS,
    STREET_END,
)


def test_the_lists_hold_casefolded_words_and_no_common_given_name():
    for words in (EVENT_WORDS, ORG_WORDS, PLACE_FIRST, PLACE_WORDS, SAINTS):
        assert all(w == w.casefold() and " " not in w for w in words)
    assert {"maria", "john", "anna"}.isdisjoint(EVENT_WORDS | ORG_WORDS | PLACE_FIRST | PLACE_WORDS | SAINTS)
    assert {"bay", "kommune", "slot"} <= PLACE_WORDS and {"plaza", "thaba"} <= PLACE_FIRST and "sankt" in SAINTS


@pytest.mark.parametrize(
    ("word", "street"),
    [("kerkstraat", True), ("hauptstraße", True), ("drottninggatan", True), ("vestergade", True), ("utca", True)],
)
def test_a_streets_ending(word, street):
    assert (STREET_END.search(word) is not None) is street


def test_a_word_that_only_holds_a_streets_ending_is_none():
    # the ending needs a word before it in the compound: "gade" alone, "vej" alone are no street's name
    assert [STREET_END.search(w) is not None for w in ("gade", "vej", "strasse", "vanderlaan")] == [
        False,
        False,
        False,
        False,
    ]


def test_the_place_nouns_written_in_lowercase_after_a_name_hold_no_english_word():
    assert {"laukums", "pilis", "universitetas", "tér", "náměstí", "plats"} <= PLACE_AFTER
    # "most", "loss", "parks" and "tilts" are Czech, Estonian and Latvian place nouns and English words too
    assert not {"most", "loss", "parks", "tilts"} & PLACE_AFTER
