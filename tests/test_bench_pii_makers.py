"""The helpers the held-out PII parts share (bench/pii_makers.py): a reference in an IBAN's shape that would pass
mod-97 and a code in a card's shape that would pass Luhn are nudged to fail, a name is cased on one roll of the
part's generator, and a part with its own names, phones and cards is put together from them. The parts' own
data is checked in their test modules."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("faker")

from bench.pii_makers import (
    Makers,
    build_with_values,
    cased,
    issuer_card,
    luhn_sum,
    misplaced_labels,
    mod97,
    names_dataset_tables,
    nudge_iban,
    nudge_luhn,
)

_REFERENCE = re.compile(r"Ref\. GB(\d\d) ([A-Z\d ]+[A-Z\d])")
_VOUCHER = re.compile(r"Voucher ([\d ]+\d)")


def test_nudge_iban_raises_check_digits_that_pass_mod97() -> None:
    assert mod97("GB82WEST12345698765432") == 1
    nudged = nudge_iban("Ref. GB82 WEST 1234 5698 7654 32 paid", _REFERENCE, "GB")
    assert nudged == "Ref. GB83 WEST 1234 5698 7654 32 paid"
    assert mod97("GB83WEST12345698765432") != 1


def test_nudge_iban_lowers_check_digits_of_99() -> None:
    assert mod97("GB99WEST12345698765417") == 1
    assert nudge_iban("Ref. GB99 WEST 1234 5698 7654 17", _REFERENCE, "GB") == "Ref. GB98 WEST 1234 5698 7654 17"
    assert mod97("GB98WEST12345698765417") != 1


def test_nudge_iban_leaves_a_failing_reference_and_other_text() -> None:
    assert nudge_iban("Ref. GB83 WEST 1234 5698 7654 32", _REFERENCE, "GB") == "Ref. GB83 WEST 1234 5698 7654 32"
    # the country is the pattern's, not the text's: the same digits under another country's letters fail
    assert nudge_iban("Ref. GB82 WEST 1234 5698 7654 32", _REFERENCE, "DE") == "Ref. GB82 WEST 1234 5698 7654 32"
    assert nudge_iban("no reference here", _REFERENCE, "GB") == "no reference here"


def test_nudge_luhn_raises_the_last_digit_of_a_passing_code() -> None:
    assert nudge_luhn("Voucher 4111 1111 1111 1111 kept", _VOUCHER) == "Voucher 4111 1111 1111 1112 kept"
    assert luhn_sum("4111 1111 1111 1112") != 0
    assert luhn_sum("4111111111111079") == 0
    assert nudge_luhn("Voucher 4111111111111079", _VOUCHER) == "Voucher 4111111111111070"
    assert luhn_sum("4111111111111070") != 0


def test_nudge_luhn_leaves_a_failing_code_and_other_text() -> None:
    assert nudge_luhn("Voucher 4111 1111 1111 1112", _VOUCHER) == "Voucher 4111 1111 1111 1112"
    assert nudge_luhn("Gift 4111 1111 1111 1111", _VOUCHER) == "Gift 4111 1111 1111 1111"


def test_cased_on_one_roll() -> None:
    # the first rolls of these seeds: 0 -> 0.844, 31 -> 0.012, 32 -> 0.077, 55 -> 0.090
    assert cased(random.Random(0), "Ana de Lima") == "Ana de Lima"
    assert cased(random.Random(31), "Ana de Lima") == "ana de lima"
    assert cased(random.Random(32), "Ana de Lima") == "ANA DE LIMA"
    assert cased(random.Random(55), "Ana de Lima") == "Ana de Lima"
    assert cased(random.Random(32), "Ana de Lima", lower=0.08, upper=0.10) == "ana de lima"
    assert cased(random.Random(55), "Ana de Lima", lower=0.08, upper=0.10) == "ANA DE LIMA"
    rng, twin = random.Random(7), random.Random(7)
    twin.random()
    cased(rng, "Ana de Lima")
    assert rng.random() == twin.random()


class _FixedValues:
    """One name, phone and card, whatever the template: what ``build_with_values`` does with them is seen plainly."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers

    def person(self, template: str = "") -> str:
        return "Ana de Lima"

    def phone(self, template: str = "") -> str:
        return "+351 912 345 678"

    def card(self, template: str = "") -> str:
        return "4111 1111 1111 1111"


def test_build_with_values_takes_names_phones_and_cards_from_the_values_and_nudges_negatives() -> None:
    made: list[_FixedValues] = []

    def values_of(makers: Makers) -> _FixedValues:
        made.append(_FixedValues(makers))
        return made[-1]

    texts = (["{PERSON} paid with {CREDIT_CARD}, call {PHONE_NUMBER}"], ["Voucher 4111 1111 1111 1111"], ["none here"])
    part = build_with_values(7, ["en_US"], values_of, texts, 2, 4, None, lambda text: nudge_luhn(text, _VOUCHER))
    spans = [("PERSON", 0, 11), ("CREDIT_CARD", 22, 41), ("PHONE_NUMBER", 48, 64)]
    assert part == {
        "generated": [("Ana de Lima paid with 4111 1111 1111 1111, call +351 912 345 678", spans)] * 2,
        "negative": [("Voucher 4111 1111 1111 1112", [])] * 4,
        "hand": [],
        "word_negative": [("none here", [])],
    }
    assert len(made) == 1
    assert isinstance(made[0].makers, Makers)
    assert made[0].makers.PHONE_NUMBER == made[0].phone
    assert made[0].makers.CREDIT_CARD == made[0].card


def test_drawn_and_bad_cards_name_each_unsound_card():
    from bench.pii_makers import bad_cards, drawn

    assert drawn(lambda rng: str(rng.randint(0, 9)), seed=1, count=4) == ["2", "9", "1", "4"]
    # a sound card; one failing Luhn; one in another shape; one of 20 digits that passes Luhn
    cards = ["4111 1111 1111 1111", "4111 1111 1111 1112", "4111-1111-1111-1111", "4111 1111 1111 1111 1115"]
    assert bad_cards(cards, r"\d+(?: \d+)*", (13, 19)) == cards[1:]
    assert bad_cards(cards[:1], r"\d+(?: \d+)*", (17, 19)) == cards[:1]


def test_misplaced_labels_names_each_misplaced_span_and_a_hand_file_that_disagrees(tmp_path):
    hand = tmp_path / "hand.txt"
    hand.write_text(
        "# a comment\ncall [[PHONE_NUMBER|555 0100]] or [[PHONE_NUMBER|+976 9517\\n1924]]\n", encoding="utf-8"
    )
    good = {
        "generated": [("Ana on 555 0100", [("PERSON", 0, 3), ("PHONE_NUMBER", 7, 15)])],
        "hand": [("call 555 0100 or +976 9517\n1924", [("PHONE_NUMBER", 5, 13), ("PHONE_NUMBER", 17, 31)])],
    }
    assert misplaced_labels(good, hand) == []
    overlapping = ("Ana on 555 0100", [("PERSON", 0, 8), ("PHONE_NUMBER", 7, 15)])
    spaced = ("Ana on 555 0100", [("PERSON", 0, 4)])
    outside = ("Ana", [("PERSON", 0, 9)])
    bad = {"generated": [overlapping, spaced, outside], "hand": [("call 555 0100", [("PHONE_NUMBER", 5, 13)])]}
    assert misplaced_labels(bad, hand) == [
        "Ana on 555 0100",
        "Ana on 555 0100",
        "Ana",
        "hand cases labelled [('PHONE_NUMBER', '555 0100')], marked "
        "[('PHONE_NUMBER', '555 0100'), ('PHONE_NUMBER', '+976 9517\\\\n1924')]",
    ]


def test_names_dataset_tables_name_the_part_that_needs_the_package(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModuleNotFoundError, match="^HELDOUT99 needs the package 'names-dataset' \\(the dev extra\\)$"):
        next(names_dataset_tables("HELDOUT99"))


def test_names_dataset_tables_come_first_then_last_and_give_the_collector_back():
    import gc
    import importlib.util

    if importlib.util.find_spec("names_dataset") is None:
        pytest.skip("names-dataset is not installed (the dev extra)")
    tables = names_dataset_tables("HELDOUT99")
    kind, table = next(tables)
    assert kind == "first" and not gc.isenabled() and table["Maria"]["rank"]
    del table
    tables.close()  # a caller that stops early: the collector runs again
    assert gc.isenabled()


def test_issuer_card_draws_a_luhn_number_whole_for_a_run_in_fours_else_never_the_last_issuer_in_fours():
    issuers = ((("4",), 16), (("34", "37"), 15))
    rng = random.Random(3)
    runs = [issuer_card(rng, issuers, True) for _ in range(200)]
    fours = [issuer_card(rng, issuers, False) for _ in range(200)]
    assert all(luhn_sum(card) % 10 == 0 for card in runs + [f.replace(" ", "") for f in fours])
    assert {len(card) for card in runs} == {15, 16} and all(" " not in card for card in runs)
    # the last issuer (Amex's fifteen) only as a run: every grouped card is a sixteen-digit Visa in fours
    assert all(f.startswith("4") and [len(g) for g in f.split(" ")] == [4, 4, 4, 4] for f in fours)
