"""The judgements the pattern-mode name detector makes about a run of words
(flyloop.privacy.pii_name_rules): a span another detector calls a person, and name spans merged
into the cells of a name column."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_name_rules import Name, _cells_absorb, cues_in, plausible


def test_plausible_rejects_digits_common_words_and_product_capitals():
    assert [plausible(t) for t in ("Maria", "Garcia", "the", "iPhone", "JSON", "Agent 007")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_plausible_needs_a_listed_first_name_in_lowercase():
    # the small model calls "git sha" a person; a lowercase span needs a listed first name
    assert [plausible(t) for t in ("git sha", "maria lopez", "Git Sha")] == [False, True, True]


@pytest.mark.parametrize(
    "span, expected",
    [("Crystal Palace", False), ("Tonbridge Festival", False), ("Aston Villa", True), ("Maria Okwuosa", True)],
)
def test_plausible_refuses_a_run_ending_in_a_place_word_no_list_holds(span, expected):
    assert plausible(span) is expected


def test_names_overlapping_a_cell_become_the_cell_and_cells_joined_by_a_name_merge():
    names = [Name(0, 5), Name(8, 14), Name(40, 45)]
    cells = [(6, 12), (12, 20), (30, 35)]
    # (8, 14) overlaps both touching cells (6, 12) and (12, 20): one span 6..20; (0, 5) and
    # (40, 45) touch no cell and stay; the cell (30, 35) holds no name and is a span of its own.
    assert sorted(_cells_absorb(names, cells)) == [Name(0, 5), Name(6, 20), Name(30, 35), Name(40, 45)]


def test_plausible_refuses_a_word_for_number():
    # the small model calls Indonesian's "Nomor" ("number") before an order's number a person
    assert [plausible(t) for t in ("Nomor", "Numer", "Nomor Wibowo")] == [False, False, True]


def test_cues_in_says_where_honorifics_greetings_and_script_labels_end():
    from flyloop.privacy.pii_words import _tokens

    text = "Dr. Ana and hola Luis"
    cues, capital, spans = cues_in(text, _tokens(text))
    assert (cues, capital, spans) == ({4: True, 17: False}, {4}, [])
    text = "Labdien, Gudruna; ឈ្មោះ៖ ឃិន"
    cues, capital, spans = cues_in(text, _tokens(text))
    assert (cues, [text[a:b] for a, b in spans]) == ({9: False}, ["ឈ្មោះ៖ "])
