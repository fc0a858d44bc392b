"""HELDOUT10 (bench/pii_heldout10.py): its names come from niafaker's African locales, icelander-generator,
faker-persona-mx, bg-test-data and si-person-maker, sources no earlier part used; labels are whole values,
the part is the same each time, and its negatives hold nothing to find. Nothing is scored here: the
benchmark does that."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("niafaker", "icelander_generator", "faker_persona_mx", "bg_test_data", "si_person_maker"):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (the dev extra)", allow_module_level=True)

from bench import pii_heldout10, pii_sets  # noqa: E402


@pytest.fixture(scope="module")
def heldout10() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout10", 300, 40)


def _known_words() -> set[str]:
    """Every word a HELDOUT10 name may hold: the sources' names, the Icelandic patronymics and
    matronymics, the Bulgarian patronymics and feminine surnames made from them."""
    pools = pii_heldout10._pools()
    words: set[str] = set()
    for country in pii_heldout10.AFRICAN:
        for name in pools[f"{country}_given"] + pools[f"{country}_family"]:
            words |= set(name.split())
    for name, genitive in pools["is_male"] + pools["is_female"]:
        words |= {name, genitive + "son", genitive + "dóttir"}
    words |= set(pools["mx_given"] + pools["mx_family"] + pools["si_given"] + pools["si_family"])
    words |= set(pools["bg_male"] + pools["bg_female"] + pools["bg_family"])
    words |= {pii_heldout10.bg_feminine(w) for w in pools["bg_family"]}
    words |= {pii_heldout10.bg_patronymic(w, female) for w in pools["bg_male"] for female in (False, True)}
    return {w.casefold() for w in words}


def test_heldout10_names_come_from_its_own_sources(heldout10):
    known = _known_words()
    people = [text[s:e] for text, spans in heldout10["generated"] for t, s, e in spans if t == "PERSON"]
    assert len(people) > 250 and all(p.strip() == p for p in people)
    for person in people:
        assert all(w.casefold() in known for w in person.split()), person
    assert sum(bool(pii_heldout10._CYRILLIC.search(p)) for p in people) >= 5
    assert sum(p.endswith(("son", "dóttir", "SON", "DÓTTIR")) for p in people) >= 10
    assert any(p.isupper() for p in people) and any(p.islower() for p in people)


def test_heldout10_icelandic_and_bulgarian_forms():
    pools = pii_heldout10._pools()
    assert ("Auðunn", "Auðuns") in pools["is_male"] and ("Kort", "Korts") in pools["is_male"]
    assert all(" " not in genitive and "/" not in genitive for _, genitive in pools["is_male"] + pools["is_female"])
    forms = [pii_heldout10.bg_patronymic(name, female) for name, female in [("Георги", False), ("Петър", True)]]
    assert forms + [pii_heldout10.bg_patronymic("Николай", False), pii_heldout10.bg_feminine("Иванов")] == [
        "Георгиев",
        "Петрова",
        "Николаев",
        "Иванова",
    ]
    assert len(pools["mx_given"]) <= 1000 and all(w.isalpha() and w[0].isupper() for w in pools["mx_family"])


def test_heldout10_phone_formats_are_its_own():
    rng = random.Random(3)
    assert [pii_heldout10.local_phone(rng) for _ in range(6)] == [
        "0701 597 919",
        "(+354) 8833788",
        "06 32 86 01 29",
        "250788479666",
        "751-0273",
        "051/468-695",
    ]


def test_heldout10_is_the_same_each_time_and_leaves_random_alone(heldout10):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout10._pools.cache_clear()
    again = pii_sets.build("heldout10", 300, 40)
    assert random.random() == expected
    assert again == heldout10
    assert len(heldout10["hand"]) == 18 and len(heldout10["negative"]) == 40 + 6
    assert len(heldout10["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout10["negative"] + heldout10["word_negative"])
