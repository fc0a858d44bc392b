"""The words around a number (flyloop.privacy.pii_number_words): each pattern read on its own, where the
number readers of pii_numbers use it (before a number, ending at it, or anywhere in the text); and, read through
the number readers, the words each later round brought (a telephone's sign, an extension's word, a phone's line)."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_number_words import (
    _CARD_NOUN,
    _ID_CONTEXT,
    _MY_NUMBER,
    _PHONE_HINTS,
    _PHONE_LABEL,
    _PHONE_LABELS,
    _UNIT_AFTER,
    VERSION_WORD,
)
from flyloop.privacy.pii_patterns import PATTERN_ENTITIES, pattern_hits


def found(text: str) -> list[tuple[str, str, float]]:
    hits = sorted(pattern_hits(text, frozenset(PATTERN_ENTITIES)), key=lambda h: h.start)
    return [(h.entity, text[h.start : h.end], h.score) for h in hits]


@pytest.mark.parametrize(
    ("before", "labels"),
    [("Tel: ", True), ("phone ", True), ("SĐT ", True), ("my telephone was ", False), ("order ", False)],
)
def test_a_phones_label_ends_right_before_the_number(before, labels):
    assert (_PHONE_LABEL.search(before) is not None) is labels


def test_every_ascii_label_holds_one_of_the_hints():
    assert all(any(hint in label for hint in _PHONE_HINTS) for label in _PHONE_LABELS if label.isascii())


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("Kortnummeret til Odd", True),  # a Nordic card's definite form
        ("Нумар карткі", True),  # Belarusian
        ("i ka wari sara kariti", True),  # Bambara and Dioula
        ("หมายเลขบัตร", True),  # Thai, written with no word boundary
        ("short cut", False),
        ("cardinal rules", False),  # a word that starts like one
    ],
)
def test_the_cards_noun_in_many_languages_and_only_as_a_word(text, card):
    assert (_CARD_NOUN.search(text) is not None) is card


def test_an_identifiers_noun_before_a_number_and_norways_kid_only_in_capitals():
    assert _ID_CONTEXT.search("KID ") is not None
    assert _ID_CONTEXT.search("order no. ") is not None
    assert _ID_CONTEXT.search("my kid ") is None


@pytest.mark.parametrize(
    ("before", "matches"),
    [("firmware ", True), ("programvare ", True), ("Хувилбар ", True), ("address ", False)],
)
def test_a_versions_word_before_dotted_numbers(before, matches):
    assert (VERSION_WORD.search(before) is not None) is matches


def test_my_number_and_a_counts_unit():
    assert _MY_NUMBER.search("my new number is ") is not None
    assert _MY_NUMBER.search("my order number is ") is None
    assert [_UNIT_AFTER.match(after) is not None for after in (" bytes", " ₫ paid", " apples")] == [True, True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a telephone's emoji or sign in place of its label, before a local number of five to eight digits
        ("Me ke aloha pumehana,\nIkaia Kane\n📞 7044 1153", [("PHONE_NUMBER", "7044 1153")]),
        ("Me ke aloha pumehana,\nMakaio Hekekia\n📞 26 306", [("PHONE_NUMBER", "26 306")]),
        ("stall of Lanuola Paea ☎️ 424 4170", [("PHONE_NUMBER", "424 4170")]),
        ("📦 parcel 7044 1153 shipped", []),
        # a form-encoded body types a card's spaces as "+"; no sum of small numbers
        (
            "POST /give amount=50&card=3570+0344+7937+8724&exp=12%2F28",
            [("CREDIT_CARD", "3570+0344+7937+8724")],
        ),
        ("card=3704+967787+90826&exp=12%2F28", [("CREDIT_CARD", "3704+967787+90826")]),
        ("q=1+2+3&x=5", []),
        # a card's first magnetic-stripe track: its format code glued to the number
        (
            "%B4401361565786400^SEUAVA/TAMA^28121010000000000000?",
            [("CREDIT_CARD", "4401361565786400")],
        ),
        # Tok Pisin's "my number"
        ("Nem bilong mi Iosefa, namba bilong mi 7406 1176", [("PHONE_NUMBER", "7406 1176")]),
        ("namba bilong mi 74 061", [("PHONE_NUMBER", "74 061")]),
    ],
)
def test_telephone_signs_form_bodies_and_card_tracks_of_a_twenty_second_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an extension after the number by its word in French, Turkish or Russian
        ("bureau +223 21 82 31 54 poste 10", [("PHONE_NUMBER", "+223 21 82 31 54 poste 10")]),
        ("tel. +90 533 878 60 76 dahili 638", [("PHONE_NUMBER", "+90 533 878 60 76 dahili 638")]),
        ("офис: 8 940 984-72-00 доб. 639", [("PHONE_NUMBER", "8 940 984-72-00 доб. 639")]),
        # an EMV record: the card number's tag and its eight bytes are a card; another tag's bytes are no phone
        (
            "EMV 5A: 22 00 42 75 17 62 35 41 5F24: 28 12 31",
            [("CREDIT_CARD", "22 00 42 75 17 62 35 41")],
        ),
        ("EMV 9F02: 00 00 00 12 34 56 9F1A: 06 43", []),
        ("Tel A1: 06 12 34 56 78", [("PHONE_NUMBER", "06 12 34 56 78")]),  # a cell's or a room's label stays
        # version in Moldovan written in Cyrillic letters
        ("Версиуня 12.34.156.7", []),
    ],
)
def test_extension_words_and_emv_records_of_a_twenty_third_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "line" names a phone's line before a national number in groups; a line's number stays none
        ("Zim line 0242 202 057", [("PHONE_NUMBER", "0242 202 057")]),
        ("my direct line 020 7946 0958", [("PHONE_NUMBER", "020 7946 0958")]),
        ("see line 042", []),
    ],
)
def test_a_phones_line_of_a_twenty_fourth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Malay's extension word; seven digits closing a line after a word and a comma or a colon
        ("Pejabat 03-2161 1234 samb. 205", [("PHONE_NUMBER", "03-2161 1234 samb. 205")]),
        ("Tutong homestay, host Awang Jefri, 2661234", [("PHONE_NUMBER", "2661234")]),
        ("Gadong stall of Hj Ali: 4861234.", [("PHONE_NUMBER", "4861234")]),
        # an identifier's or a count's word before, a unit after, a number that does not close its line: none
        ("Invoice: 2661234", []),
        ("Total, 2661234", []),
        ("Lot 17, 2661234 units", []),
        ("Visitors, 2661234 in 2024", []),
    ],
)
def test_an_extension_and_a_local_number_of_a_twenty_fifth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a number a machine dials: a dial plan's channel, a modem's command, an encoded "+" in a query
        ("exten => 101,1,Dial(SIP/trunk/008801730558812,30)", [("PHONE_NUMBER", "008801730558812")]),
        ("ATD+2484294554;", [("PHONE_NUMBER", "+2484294554")]),
        ("GET /send?to=%2B2482712655&text=hi", [("PHONE_NUMBER", "%2B2482712655")]),
        ("x=%2B12", []),
        ("Dial(SIP/100)", []),
        # Mauritian Creole's word for a phone; eight digits in fours closing a line after a name and a colon
        ("Telefonn li 5714 1387", [("PHONE_NUMBER", "5714 1387")]),
        ("Boat trip with Shivam Naidoo: 5945 9310", [("PHONE_NUMBER", "5945 9310")]),
        ("Reference: 5945 9310", []),
    ],
)
def test_dialled_numbers_and_a_local_number_in_fours_of_a_twenty_sixth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a switchboard's word; eight digits in two and six, as Cyprus writes them, after a word and closing a clause
        ("General Hospital, switchboard 95 174927", [("PHONE_NUMBER", "95 174927")]),
        ("Eimai Larnaca, 96 913855", [("PHONE_NUMBER", "96 913855")]),
        ("Κύπρος: 95 381139, υπεύθυνος Ανδρέας", [("PHONE_NUMBER", "95 381139")]),
        ("flat in Paralimni, ask for the owner on 99 860609", [("PHONE_NUMBER", "99 860609")]),
        ("Invoice 22 757454", []),
        ("14 300000 visitors", []),
        # six digits in pairs closing a line after a word and a comma; after "my number" in Danish with a word between
        ("Klaksvík: bátsferð, 47 60 43", [("PHONE_NUMBER", "47 60 43")]),
        ("Mit grønlandske nummer er 33 43 87", [("PHONE_NUMBER", "33 43 87")]),
        ("Mit medlemsnummer er 33 43 87", []),
        ("Mit ordre nummer er 33 43 87", []),
        # a list's item whose number is too short alone, where another item's is a phone
        (
            "Danmark: 71 96 10 52 · Føroyar: 45 84 34 · Kalaallit: 58 17 95",
            [("PHONE_NUMBER", "71 96 10 52"), ("PHONE_NUMBER", "45 84 34"), ("PHONE_NUMBER", "58 17 95")],
        ),
        ("Tel: 22 33 44 55 · Order: 12 34 56", [("PHONE_NUMBER", "22 33 44 55")]),
        ("Runde: 45 84 34 · Finale: 58 17 95 point", []),
        ("Final score, 21 14 07", []),
    ],
)
def test_local_numbers_of_a_twenty_seventh_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


def test_an_identifiers_compound_with_nummer_labels_a_card_shaped_number():
    # a Danish EAN number of thirteen digits passes Luhn with a Maestro prefix: "EAN-nummer" says identifier
    assert found("EAN-nummer 5798105910594, Odense") == []
    assert _ID_CONTEXT.search("EAN-nummer ") is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Sesotho's word for a phone; Afrikaans words of a file, a case and a card's number
        ("Founo ea ka ke 5741 8406", [("PHONE_NUMBER", "5741 8406")]),
        ("Lêer 817-7216, Saak nr. 817", []),
        ("Mev. Van Wyk, u kaartnommer 4716 0691 4752 0052", [("CREDIT_CARD", "4716 0691 4752 0052")]),
    ],
)
def test_numbers_of_a_twenty_eighth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "my (new) number" in the Baltic, Slavic and Romance languages and Indonesian, before a number in fours
        ("Sveika, Orinta! Mano naujas numeris 2123-1667", [("PHONE_NUMBER", "2123-1667")]),
        ("Mans jaunais numurs ir 2612 3456", [("PHONE_NUMBER", "2612 3456")]),
        ("Mój nowy numer to 5123 4567", [("PHONE_NUMBER", "5123 4567")]),
        ("Mi número es 5512 3456", [("PHONE_NUMBER", "5512 3456")]),
        ("Nomor saya 0812 3456 7890", [("PHONE_NUMBER", "0812 3456 7890")]),
        # an identifier's noun between says no phone
        ("mi número de pedido 1234 5678", []),
        # Lithuanian "call me" and "call back" before a line's number with its trunk digit apart
        ("Labas! Paskambink man 0 5 228 5648, aš jau Vilniuje", [("PHONE_NUMBER", "0 5 228 5648")]),
        ("prašė perskambinti 8 5 222 9453", [("PHONE_NUMBER", "8 5 222 9453")]),
        # a number in fours closing its line after a question in Han characters; not after a label's colon, and no
        # two years of a range after a word and a comma or a colon
        ("Ah Yin，今晚食飯？9864 2636", [("PHONE_NUMBER", "9864 2636")]),
        ("訂單號：2380 1200", []),
        ("Seasons: 2023-2024", []),
        ("Naidoo: 5945 9310", [("PHONE_NUMBER", "5945 9310")]),
    ],
)
def test_my_number_and_call_words_of_a_twenty_ninth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected
    # "my order number" in Lithuanian and Latvian: the order's noun between says identifier
    assert _MY_NUMBER.search("Mano užsakymo numeris ") is None
    assert _MY_NUMBER.search("Mans pasūtījuma numurs ir ") is None
