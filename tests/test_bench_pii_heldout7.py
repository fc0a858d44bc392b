"""HELDOUT7 (bench/pii_heldout7.py): its names come from japanese-personal-name-dataset (kanji, romaji),
habesha-names (Ge'ez script, Latin), persian-names (Arabic script, Latin), vn-fullname-generator's data and
turkish-name-generator's data, sources no earlier part used; labels are whole values, the part is the same
each time, and its negatives hold nothing to find. Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
pytest.importorskip("japanese_personal_name_dataset")
pytest.importorskip("habesha_names")
pytest.importorskip("persian_names")
pytest.importorskip("vn_fullname_generator")
pytest.importorskip("trnamegen")

from bench import pii_heldout7, pii_sets


@pytest.fixture(scope="module")
def heldout7() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout7", 300, 40)


def test_heldout7_names_come_from_its_own_sources(heldout7):
    pools = pii_heldout7._pools()
    known = {w.casefold() for p in pools["persian_fa"] + pools["persian_en"] for w in p.split()}
    known |= {w.casefold() for name in pools["vn_given"] + pools["vn_family"] for w in name.split()}
    known |= {pii_heldout7._plain(w).casefold() for w in set(known)}
    known |= {w.casefold() for name in pools["tr_given"] for w in name.split()}
    known |= {pii_heldout7._turkish_title(w).casefold() for name in pools["tr_family"] for w in name.split()}
    known |= {w.casefold() for pair in pools["habesha"] for w in pair}
    known |= {romaji.casefold() for _, romaji in pools["jp_family"]} | {r.casefold() for r, _ in pools["jp_given"]}
    kanji_family = {k for k, _ in pools["jp_family"]}
    people = [text[s:e] for text, spans in heldout7["generated"] for t, s, e in spans if t == "PERSON"]
    assert len(people) > 250 and all(p.strip() == p for p in people)
    for person in people:
        if pii_heldout7._JAPANESE.search(person):  # kanji: a listed family name, then (maybe) a given name
            assert any(person.startswith(k) for k in kanji_family), person
            continue
        assert all(
            w.casefold() in known or pii_heldout7._turkish_title(w).casefold() in known for w in person.split()
        ), person
    scripts = {
        "kanji": pii_heldout7._JAPANESE,
        "arabic": pii_heldout7._ARABIC,
        "ethiopic": pii_heldout7._ETHIOPIC,
    }
    for name, pattern in scripts.items():
        assert sum(bool(pattern.search(p)) for p in people) > 15, name


def test_heldout7_is_the_same_each_time_and_leaves_random_alone(heldout7):
    import random

    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout7._pools.cache_clear()
    again = pii_sets.build("heldout7", 300, 40)
    assert random.random() == expected
    assert again == heldout7
    assert len(heldout7["hand"]) == 17 and len(heldout7["negative"]) == 40 + 6
    assert len(heldout7["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout7["negative"] + heldout7["word_negative"])
