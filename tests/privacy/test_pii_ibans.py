"""IBAN lengths by country (flyloop.privacy.pii_ibans): the length a country's IBANs have is where
the pattern recognizer ends one written in prose, so a word or number after it stays."""

from __future__ import annotations

from flyloop.privacy.pii_ibans import IBAN_LENGTHS
from flyloop.privacy.pii_patterns import pattern_hits


def iban(country: str, length: int) -> str:
    """A valid IBAN of ``country`` with a numeric BBAN of the country's length (ISO 13616 check digits)."""
    bban = ("1234567890" * 4)[: length - 4]
    letters = "".join(str(ord(c) - 55) for c in country)
    check = 98 - int(bban + letters + "00") % 97
    return f"{country}{check:02d}{bban}"


def test_the_registry_holds_two_letter_countries_with_lengths_of_15_to_34():
    assert all(len(c) == 2 and c.isupper() for c in IBAN_LENGTHS)
    assert min(IBAN_LENGTHS.values()) >= 15 and max(IBAN_LENGTHS.values()) <= 34
    assert (IBAN_LENGTHS["DE"], IBAN_LENGTHS["GB"], IBAN_LENGTHS["FR"], IBAN_LENGTHS["NO"]) == (22, 22, 27, 15)


def test_every_countrys_iban_ends_at_its_length_in_prose():
    missed = []
    for country, length in sorted(IBAN_LENGTHS.items()):
        code = iban(country, length)
        text = f"Pay to {code} 2024 thanks"
        spans = [text[h.start : h.end] for h in pattern_hits(text, frozenset({"IBAN_CODE"}))]
        if spans != [code]:
            missed.append((country, spans))
    assert missed == []


def test_a_wrong_check_digit_is_no_iban():
    code = iban("DE", 22)
    wrong = code[:2] + f"{(int(code[2:4]) + 1) % 100:02d}" + code[4:]
    assert [h.entity for h in pattern_hits(f"Pay to {wrong} now", frozenset({"IBAN_CODE"}))] == []
