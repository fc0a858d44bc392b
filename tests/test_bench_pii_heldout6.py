"""HELDOUT6 (bench/pii_heldout6.py): its names come from russian-names (Cyrillic and transliterated) and
korean-name-generator (Hangul), sources no earlier part used; labels are whole values, the part is the
same each time, and its negatives hold nothing to find. Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
pytest.importorskip("mimesis")
pytest.importorskip("russian_names")
pytest.importorskip("korean_name_generator")

from bench import pii_heldout6, pii_sets


@pytest.fixture(scope="module")
def heldout6() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout6", 300, 40)


def test_heldout6_names_come_from_its_own_sources(heldout6):
    pools = pii_heldout6._pools()
    known = {w.casefold() for p in pools["cyrillic"] + pools["latin"] for w in p.split()}
    korean = set(pools["korean"]) | {n[1:] for n in pools["korean"]}
    people = [text[s:e] for text, spans in heldout6["generated"] for t, s, e in spans if t == "PERSON"]
    assert len(people) > 250 and all(p.strip() == p for p in people)
    # every word of a name is one of its sources' names (an initial aside), in any case
    words = [w.rstrip(".,") for p in people for w in p.split()]
    assert all(len(w) == 1 or w.casefold() in known or w in korean for w in words)
    cyrillic = sum(any("\u0400" <= c <= "\u04ff" for c in p) for p in people)
    hangul = sum(any("\uac00" <= c <= "\ud7af" for c in p) for p in people)
    assert cyrillic > 30 and hangul > 30


def test_heldout6_is_the_same_each_time_and_leaves_random_alone(heldout6):
    import random

    random.seed(5)
    expected = random.random()
    random.seed(5)
    again = pii_sets.build("heldout6", 300, 40)
    assert random.random() == expected
    assert again == heldout6
    assert len(heldout6["hand"]) == 12 and len(heldout6["negative"]) == 40 + 5
    assert len(heldout6["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout6["negative"] + heldout6["word_negative"])
