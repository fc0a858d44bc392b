"""The words around a name that the name detector reads (flyloop.privacy.pii_cues)."""

from __future__ import annotations

from flyloop.privacy.pii_cues import HONORIFIC, INTRO, NOT_NAMES, PERSON_AFTER, PERSON_BEFORE


def test_honorifics_and_introductions_end_where_the_name_starts():
    assert [m.end() for m in HONORIFIC.finditer("ask Dr. Okafor and Frau Lenz")] == [8, 24]
    assert [m.end() for m in INTRO.finditer("Hi, my name is tunde; cheers, ada")] == [2, 15, 30]


def test_person_cues_before_and_after_a_word():
    assert PERSON_BEFORE.search("we had lunch with ") is not None
    assert PERSON_BEFORE.search("thanks to ") is not None
    assert PERSON_BEFORE.search("the default is ") is None  # a bare verb says nothing about a person
    assert PERSON_AFTER.match(" said the refund") is not None
    assert PERSON_AFTER.match(" rows were read") is None
    assert {"sorry", "team", "support"} <= NOT_NAMES


def test_cyrillic_cues_are_read_only_by_the_pattern_for_text_that_is_not_ascii():
    from flyloop.privacy.pii_cues import INTRO_ANY

    text = "Спасибо, Руфина; Ответственный: Зорина"
    assert [m.end() for m in INTRO.finditer(text)] == []
    assert [m.end() for m in INTRO_ANY.finditer(text)] == [9, 32]
    # INTRO_ANY reads every cue INTRO reads
    assert [m.end() for m in INTRO_ANY.finditer("Hi, my name is tunde")] == [2, 15]
