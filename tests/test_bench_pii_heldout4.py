"""HELDOUT4 (bench/pii_heldout4.py): its names come from gender-guesser's given names and the US
census surnames, not from Faker or mimesis; labels are whole values, the part is the same each
time, and its negatives hold nothing to find. Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
pytest.importorskip("mimesis")
pytest.importorskip("gender_guesser")
pytest.importorskip("names")

from bench import pii_heldout4, pii_sets


@pytest.fixture(scope="module")
def heldout4() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout4", 300, 40)


def test_heldout4_names_come_from_its_own_generators(heldout4):
    given = {name for _, pool in pii_heldout4._given_names() for name, _ in pool}
    surnames = {name for name, _ in pii_heldout4._surnames()}
    assert len(given) > 30_000 and len(surnames) == 88_799
    people = [text[s:e] for text, spans in heldout4["generated"] for t, s, e in spans if t == "PERSON"]
    assert people and all(p.strip() == p for p in people)
    # every word of a name is a given name or a census surname (an initial aside), in any case
    known = {part.casefold() for w in given | surnames for part in w.split()}  # "Abder Razak" is one given name
    words = [w.rstrip(".") for p in people for w in p.split()]
    assert all(len(w) == 1 or w.casefold() in known for w in words)


def test_heldout4_is_the_same_each_time(heldout4):
    again = pii_sets.build("heldout4", 300, 40)
    assert again == heldout4
    assert heldout4["hand"] == []
    assert len(heldout4["negative"]) == 40 and len(heldout4["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout4["negative"] + heldout4["word_negative"])
