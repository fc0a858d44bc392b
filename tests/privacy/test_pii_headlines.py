"""Title Case lines and the person cues around a run of one (flyloop.privacy.pii_headlines)."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_headlines import headline_tokens, person_cued
from flyloop.privacy.pii_words import _tokens


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Save Money On Printer Ink Today", [True] * 6),
        ("Job Offers and My Resume", [True] * 5),
        ("Ingimunda Reynarsson joined Acme Corp today", [False] * 6),
        ("Lunch between Alison Ettlin and Maria Kowalska", [False] * 7),  # names alone: no headline
        ("Fuzzy Math", [False, False]),  # too short to tell
        ("We Sell Cheap Printer Cartridges.\nMaria Garcia wrote", [True] * 5 + [False] * 3),  # per line
    ],
)
def test_headlines_are_title_case_lines_with_a_word_no_list_holds(text, expected):
    assert headline_tokens(text, _tokens(text)) == expected


@pytest.mark.parametrize(
    "text, words, expected",
    [
        ("Lunch With Mark Cerny said the host", ("Mark", "Cerny"), True),  # a verb people do after it
        ("Invitation From Mark Cerny", ("Mark", "Cerny"), True),  # a headline's cue before it
        ("the (Mark Cerny) talk", ("Mark", "Cerny"), True),  # in brackets
        ("Save Money On Printer Ink", ("Printer", "Ink"), False),
    ],
)
def test_the_words_around_a_run_say_person(text, words, expected):
    tokens = {text[t.start : t.end]: t for t in _tokens(text)}
    assert person_cued(text, tokens[words[0]], tokens[words[1]]) is expected
