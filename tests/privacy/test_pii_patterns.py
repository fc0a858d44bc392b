"""Pattern recognizers (flyloop.privacy.pii_patterns): each entity's shape, and the checksums and
rules that keep look-alikes (a wrong Luhn digit, a bad IBAN, an SSN area never issued, a version
number) out."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_patterns import PATTERN_ENTITIES, pattern_hits

ALL = frozenset(PATTERN_ENTITIES)


def found(text: str, wanted: frozenset[str] = ALL) -> list[tuple[str, str, float]]:
    return [
        (h.entity, text[h.start : h.end], h.score) for h in sorted(pattern_hits(text, wanted), key=lambda h: h.start)
    ]


def test_emails_and_urls_without_trailing_punctuation():
    assert found("mail priya.r@example.org or see https://example.org/a?b=1.") == [
        ("EMAIL_ADDRESS", "priya.r@example.org", 1.0),
        ("URL", "https://example.org/a?b=1", 0.6),
    ]


def test_ip_addresses_of_both_families_and_mac_addresses():
    assert found("server 192.168.1.20 and fe80::1ff:fe23:4567:890a, mac 00:1A:2B:3C:4D:5E") == [
        ("IP_ADDRESS", "192.168.1.20", 0.95),
        ("IP_ADDRESS", "fe80::1ff:fe23:4567:890a", 0.95),
        ("MAC_ADDRESS", "00:1A:2B:3C:4D:5E", 0.9),
    ]
    assert found("version 10.2.3.4 released") == []  # four numbers after "version" are not an address


def test_an_iban_needs_its_mod_97_check():
    assert found("IBAN GB82 WEST 1234 5698 7654 32 please") == [("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", 1.0)]
    assert found("IBAN GB82 WEST 1234 5698 7654 33 please") == []


def test_a_code_shorter_than_any_registered_iban_counts_only_where_the_writer_calls_it_one():
    # 14 characters, mod-97 right, a country outside the registry: an IBAN after "iban" or "SEPA"
    iban = frozenset({"IBAN_CODE"})
    assert found("my iban: TH33 5959 6781 73", iban) == [("IBAN_CODE", "TH33 5959 6781 73", 1.0)]
    assert found("SEPA payee Ana Lima, TH285607255341", iban) == [("IBAN_CODE", "TH285607255341", 1.0)]
    assert found("order TH285607255341 shipped", iban) == []  # no such word: 15 is the floor
    assert found("my iban: TH33 5959 6781 74", iban) == []  # the check digits still decide


def test_crypto_wallets_need_a_valid_base58_checksum():
    text = "send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT or 0x52908400098527886E0F7030069857D2E4169EE7"
    assert found(text) == [
        ("CRYPTO", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", 1.0),
        ("CRYPTO", "0x52908400098527886E0F7030069857D2E4169EE7", 0.9),
    ]
    assert found("send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyU") == []  # one character off


@pytest.mark.parametrize("text", ["on 2024-01-15 at 10:30 we met", "the answer is 84", "", "no digits here"])
def test_dates_small_numbers_and_plain_text_are_not_pii(text):
    assert found(text) == []


def test_only_the_wanted_entities_are_looked_for():
    text = "priya.r@example.org from 192.168.1.20"
    assert found(text, frozenset({"IP_ADDRESS"})) == [("IP_ADDRESS", "192.168.1.20", 0.95)]
    assert found(text, frozenset()) == []


def test_mapped_ipv6_and_an_address_with_its_port_unbracketed():
    assert found("client ::ffff:10.0.0.7 sent a bad header")[0] == ("IP_ADDRESS", "::ffff:10.0.0.7", 0.95)
    assert found("upstream 2001:db8:0:1:::8443 refused") == [("IP_ADDRESS", "2001:db8:0:1::", 0.9)]
    assert found("at 12:30:45 the job ran") == []  # a clock time is no address


def test_digits_of_other_scripts_read_as_ascii_digits():
    # Bengali, Arabic-Indic and fullwidth digits: the same number, the span in the original text
    assert found("new number +৮৮০-৬৫৪-৭৪৬-৯২৮ ok") == [("PHONE_NUMBER", "+৮৮০-৬৫৪-৭৪৬-৯২৮", 0.9)]
    assert found("SSN ٠٧٨-٠٥-١١٢٠") == [("US_SSN", "٠٧٨-٠٥-١١٢٠", found("SSN 078-05-1120")[0][2])]
    assert found("order ٤٥٦ shipped") == []


@pytest.mark.parametrize("text", ["kernel 5.15.0.91 booted", "ASN.1 arc 1.3.6.1 registered"])
def test_a_kernels_version_and_an_object_identifiers_arc_are_no_ip_address(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a card's number as a URL path's segment after the cards' own: the card; after another noun, none
        ("GET /api/v2/cards/4111111111111111/balance HTTP/1.1", ["4111111111111111"]),
        ("see /Cards/5499410950137347?x=1", ["5499410950137347"]),
        ("GET /v1/pans/4111111111111111/x", ["4111111111111111"]),
        ("GET /v1/orders/4111111111111111 200", []),
        ("/cards/12345678901234567890/x", []),
    ],
)
def test_a_card_as_a_path_segment_after_the_word_for_cards(text, expected):
    hits = pattern_hits(text, frozenset({"CREDIT_CARD"}))
    assert [text[h.start : h.end] for h in hits] == expected
