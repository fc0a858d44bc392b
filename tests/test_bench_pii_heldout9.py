"""HELDOUT9 (bench/pii_heldout9.py): its names come from morphex's Nigerian lexicon, zxcvbn-pl's Polish
dictionaries, nepalpy, tamil-names, name-variants' tables and hebrew-names' surnames, sources no earlier part
used; labels are whole values, the part is the same each time, and its negatives hold nothing to find.
Nothing is scored here: the benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("marisa_trie", "zxcvbn_pl", "morphex", "nepalpy", "tamilnames", "name_variants", "hebrew_names"):
    if importlib.util.find_spec(module) is None:  # morphex's own import needs a package HELDOUT9 does not use
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

from bench import pii_heldout9, pii_sets  # noqa: E402


@pytest.fixture(scope="module")
def heldout9() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout9", 300, 40)


def test_heldout9_names_come_from_its_own_sources(heldout9):
    pools = pii_heldout9._pools()
    words: set[str] = set()
    for key in ("ng_given", "ng_family", "pl_male", "pl_female", "pl_family_male", "pl_family_female"):
        words |= set(pools[key])
    words |= set(pools["np_given"] + pools["np_family"] + pools["indonesian"] + pools["arabic"])
    words |= {w for pair in pools["ta"] for w in pair}
    for key in ("greek", "thai", "hindi"):
        words |= {w for own, forms in pools[key] for w in [own, *forms]}
    words |= set(pools["he_given"] + pools["he_family"]) | {"bin", "ibn"}
    known = {w.casefold() for w in words}
    people = [text[s:e] for text, spans in heldout9["generated"] for t, s, e in spans if t == "PERSON"]
    assert len(people) > 250 and all(p.strip() == p for p in people)
    for person in people:
        parts = [w.removeprefix("Al-").removeprefix("AL-").removeprefix("al-") for w in person.split()]
        parts = [w for w in parts if not re.fullmatch(r"[A-Za-z]\.", w)]  # a Tamil initial
        assert all(w.casefold() in known for w in parts), person
    for script in (pii_heldout9._GREEK, pii_heldout9._THAI, pii_heldout9._TAMIL, pii_heldout9._DEVANAGARI):
        assert sum(bool(script.search(p)) for p in people) >= 5
    assert not {"Jakarta", "Jenderal"} & set(pools["indonesian"])
    assert not [w for w in pools["pl_family_male"] if w.endswith("a")]  # a man's surname in -ski, not -ska
    assert [w for w in pools["pl_family_female"] if w.endswith("ski")] == []


def test_heldout9_phone_formats_are_its_own():
    rng = random.Random(3)
    assert [pii_heldout9.local_phone(rng) for _ in range(4)] == [
        "+66-86-597-9190",
        "+91-9737887623",
        "0803-129-0404",
        "+234 905 697 2510",
    ]


def test_heldout9_is_the_same_each_time_and_leaves_random_alone(heldout9):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout9._pools.cache_clear()
    again = pii_sets.build("heldout9", 300, 40)
    assert random.random() == expected
    assert again == heldout9
    assert len(heldout9["hand"]) == 18 and len(heldout9["negative"]) == 40 + 6
    assert len(heldout9["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout9["negative"] + heldout9["word_negative"])
