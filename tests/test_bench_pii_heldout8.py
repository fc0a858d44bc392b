"""HELDOUT8 (bench/pii_heldout8.py): its names come from chinesename (hanzi, pinyin by pypinyin), khmernames,
hu-names, br-nome-gen, finnish-name-generator and iiyo's lists, sources no earlier part used; labels are whole
values, the part is the same each time, and its negatives hold nothing to find. Nothing is scored here: the
benchmark does that."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")
for module in ("chinesename", "pypinyin", "khmernames", "hu_names", "br_nome_gen", "finnish_name_generator", "iiyo"):
    pytest.importorskip(module)

from bench import pii_heldout8, pii_sets  # noqa: E402


@pytest.fixture(scope="module")
def heldout8() -> dict[str, list[pii_sets.Item]]:
    return pii_sets.build("heldout8", 300, 40)


def test_heldout8_names_come_from_its_own_sources(heldout8):
    pools = pii_heldout8._pools()
    latin = pools["hu_family"] + pools["hu_given"] + pools["fi_given"] + pools["fi_family"]
    latin += pools["lk_given"] + pools["lk_family"] + pools["brazilian"]
    known = {w.casefold() for name in latin for w in name.split()} | {"dr."}
    known |= {pii_heldout8.pinyin(s).casefold() for s in pools["cn_family"] + pools["cn_given"]}
    khmer = set(pools["km_family"] + pools["km_given"])
    people = [text[s:e] for text, spans in heldout8["generated"] for t, s, e in spans if t == "PERSON"]
    assert len(people) > 250 and all(p.strip() == p for p in people)
    for person in people:
        if pii_heldout8._HANZI.search(person):  # a listed surname, then a listed given name
            assert any(person.startswith(f) and person[len(f) :] in pools["cn_given"] for f in pools["cn_family"])
        elif pii_heldout8._KHMER.search(person):
            assert set(person.split()) <= khmer, person
        else:
            words = [w for w in person.split() if not re.fullmatch(r"[A-Za-z]\.", w)]  # initials
            assert all(w.casefold() in known for w in words), person
    assert sum(bool(pii_heldout8._HANZI.search(p)) for p in people) > 15
    assert sum(bool(pii_heldout8._KHMER.search(p)) for p in people) > 10


def test_heldout8_phone_formats_are_its_own():
    rng = random.Random(3)
    assert [pii_heldout8.local_phone(rng) for _ in range(4)] == [
        "050 825 9791",
        "+86 186-8337-8876",
        "050 286 0129",
        "+55 11 94796-6697",
    ]


def test_heldout8_is_the_same_each_time_and_leaves_random_alone(heldout8):
    random.seed(5)
    expected = random.random()
    random.seed(5)
    pii_heldout8._pools.cache_clear()
    again = pii_sets.build("heldout8", 300, 40)
    assert random.random() == expected
    assert again == heldout8
    assert len(heldout8["hand"]) == 18 and len(heldout8["negative"]) == 40 + 6
    assert len(heldout8["word_negative"]) == 10
    assert all(spans == [] for _, spans in heldout8["negative"] + heldout8["word_negative"])
    ibans = [text[s:e] for text, spans in heldout8["generated"] for t, s, e in spans if t == "IBAN_CODE"]
    assert ibans and not any(i.startswith("TH") for i in ibans)
