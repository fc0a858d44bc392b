"""Names the layout says are names (flyloop.privacy.pii_fields): a CSV column headed as names, the
text of a mailto link; and how the name detector takes them in."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_fields import contact_names, field_names
from flyloop.privacy.pii_names import find_names


def cells(text: str) -> list[str]:
    return [text[s:e] for s, e in field_names(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name,email,phone\nOndina Vasko,ov@example.com,555 0100", ["Ondina Vasko"]),
        ("id;Full Name;city\n7;WIRIMU TANE;Lyon\n8; tane ; Oslo", ["WIRIMU TANE", "tane"]),
        ("customer_name\tplan\nOndina\tpro", ["Ondina"]),
        # a row without the header's columns ends the table; digits or an e-mail are no name
        ("name,ssn\nOndina,078-05-1120\nthe end", ["Ondina"]),
        ("name,ssn\n078051120,Ondina", []),
        ("product,price\nWidget,3.50", []),  # no name column
        ("name,email\n", []),
        ('<a href="mailto:ov@example.com">Ondina Vasko</a>', ["Ondina Vasko"]),
        ("<A HREF='mailto:x@y.org'> OV </a>", ["OV"]),
        ('<a href="https://example.com">Ondina</a>', []),  # only a mailto link names a person
        ('<a href="mailto:x@y.org">x@y.org</a>', []),
    ],
)
def test_name_cells(text, expected):
    assert cells(text) == expected


def test_the_detector_takes_the_whole_cell():
    text = "name,email\nAn Haagensen,ah@example.com"
    assert [text[n.start : n.end] for n in find_names(text)] == ["An Haagensen"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zsófia Molnár and Arnolds both need access", ["Zsófia Molnár", "Arnolds"]),
        ("Maria and Python are great", ["Maria"]),  # a single name before "and" is not enough
        ("see Format String Syntax and Formatted string literals", []),  # English words: a title
        ("see Marielle Waterfall and Formatted string literals", ["Marielle Waterfall"]),  # not "Formatted"
    ],
)
def test_a_word_joined_to_a_full_name_by_and(text, expected):
    assert [text[n.start : n.end] for n in find_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"owner": "Pratyasha", "email": "p@example.com"}', ["Pratyasha"]),
        ('customer_name="shweta dhanuka" plan=pro', ["shweta dhanuka"]),
        ("assignee: 'Okwuosa, Tunde'", ["Okwuosa, Tunde"]),
        ('name="flyloop" version="1.0"', []),  # a bare "name" is what code names things with
        ('owner="build-42"', []),  # digits: no name
        ("Owner: Pratyasha", []),  # unquoted: the cues read that
        # a display name under a login's key is a person's; a login is one word
        ('{"user_name": "Daniel Okafor", "text": "hi"}', ["Daniel Okafor"]),
        ('{"user_name": "dokafor", "text": "hi"}', []),
        ('{"display_name": "Blue Mug", "sku": "BM-1"}', []),
        ('{"user_profile": {"real_name": "Jane Mary Navarro Rubio"}}', ["Jane Mary Navarro Rubio"]),
        # a Jira mention, by login or by name; a Jira link is none
        ("[~ana lima] can you check the refund?", ["ana lima"]),
        ("see [the runbook|https://wiki.example.com/x]", []),
    ],
)
def test_quoted_values_under_a_person_key(text, expected):
    assert [text[s:e] for s, e in field_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a row holding a phone number or an e-mail address is a contact record: its plain cells are names
        ("| Kusuma | +1-362-987-1281x5670 | kklein@weber.com |", ["Kusuma"]),
        ("Tuukka,yclark@terrell.org,(61) 9 4841-9490,active", ["Tuukka"]),  # "active" is an English word
        ("lakshan basnayaka;oross@example.org;001-840-938-7257", ["lakshan basnayaka"]),
        # a label, a name and a comma before a phone number
        ("Parent contact for the field trip: Tanitoluwa, +48 501 694 315", ["Tanitoluwa"]),
        ("Status: Pending, 555 0100 123", []),
        # a sentence with an address in it is no record
        ("I'm Maria Garcia, maria@example.org, card 4111 1111 1111 1111", []),
        ("Hello, fork@voycomp.com, As se en on NB C, CB S, CN N, and ev en Opr ah!", []),
        ("Widget,Gadget,Gizmo", []),  # no phone, no address
        # a date or a bare order number makes no contact record
        ("Acme Corp,2024-01-05,Berlin", []),
        ("Widget Pro|05.01.2024|Zalando", []),
        ("order,12345678,Kofi", []),
    ],
)
def test_contact_records(text, expected):
    assert [text[s:e] for s, e in contact_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a JSON object holding a phone number or an address: the value under a name's key
        ('{"customer": "Zuwena", "msisdn": "+254 110 382962", "email": "b@beyer.com"}', ["Zuwena"]),
        ('{"customer": "Zuwena", "plan": "pro"}', []),
        # a chat export's writer, as WhatsApp writes it on Android and on iOS
        ("12/03/2025, 21:14 - Comfort Asare: nimefika", ["Comfort Asare"]),
        ("[12/03/2025, 21:14:05] Ana Lima: hi", ["Ana Lima"]),
        ("3/4/25 6:12 PM - Bongani: ok", ["Bongani"]),
        ("[09:41] <Zarish> anyone seen the deploy key?", ["Zarish"]),  # an IRC or Slack log's writer
    ],
)
def test_contact_objects_and_chat_writers(text, expected):
    assert [text[s:e] for s, e in contact_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("BEGIN:VCARD\nFN:AGUS\nTEL;TYPE=cell:044-732-7953\nEND:VCARD", ["AGUS"]),
        # N: family; given; additional names (prefixes and suffixes are no name); a group and a parameter
        ("BEGIN:VCARD\nVERSION:3.0\nN:Lima;Ana;;Dr.;\nFN:Dr. Ana Lima\nEND:VCARD", ["Lima", "Ana", "Dr. Ana Lima"]),
        ("begin:vcard\r\nitem1.FN;CHARSET=UTF-8:Wulan Sari\r\nend:vcard", ["Wulan Sari"]),
        ("BEGIN:VCARD\nN:van der Berg;Jan,Piet;;;\nEND:VCARD", ["van der Berg", "Jan", "Piet"]),
        ("BEGIN:VCARD\nNOTE:hello\nNICKNAME:x\nEND:VCARD", []),
        ("FN:not a vcard", []),
    ],
)
def test_a_vcards_name_lines(text, expected):
    assert [text[a:b] for a, b in field_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("dn: cn=TERPILI SHNONG,ou=staff,dc=example,dc=org", ["TERPILI SHNONG"]),
        ("cn=Lima\\, Ana,ou=people,dc=example", ["Lima\\, Ana"]),
        # a service's or a group's entry; a cn with no DN around it
        ("cn=admin,dc=example,dc=org", []),
        ("CN=Domain Users,CN=Users,DC=corp", []),
        ("cn=Ana Lima", []),
    ],
)
def test_an_ldap_entrys_common_name(text, expected):
    assert [text[a:b] for a, b in field_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("INSERT INTO customers (name, phone) VALUES ('Nazira', '78-578-60-38');", ["Nazira"]),
        (
            "insert into users (id, full_name, email) values (1, 'Ana Lima', 'a@x.org'), "
            "(2, 'O''Brien Sean', 'b@x.org')",
            ["Ana Lima", "O''Brien Sean"],
        ),
        ("INSERT INTO items (sku, title) VALUES ('ABC', 'Blue Mug')", []),
    ],
)
def test_a_sql_inserts_name_columns(text, expected):
    assert [text[a:b] for a, b in field_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an airline's name element after a passenger's label or with its title; "TCP/IP" and a YAML name are none
        ("Passenger name: XING/TUAN | Flight JY 123", ["XING/TUAN"]),
        ("BOARDING PASS\nPASSENGER: UMPIERRE/NILKA MR\nSEAT 3A", ["UMPIERRE/NILKA MR"]),
        ("we route TCP/IP over it", []),
        ("name: CI/CD Pipeline", []),
        # an HL7 segment's patient and next of kin, an LDIF entry's common name, a chat export's writer
        ("PID|1||4471^^^HOSP||Saeed^Osama||19880312|F", ["Saeed^Osama"]),
        ("NK1|1|Saeed^Layla|MTH", ["Saeed^Layla"]),
        ("dn: uid=s1,ou=people,dc=example,dc=org\ncn: Babajanowa, Bashim", ["Babajanowa, Bashim"]),
        ('{"from": "Chinea, Papote", "from_id": "user123", "text": "hi"}', ["Chinea, Papote"]),
        ('{"from": "Berlin", "to": "Paris"}', []),
    ],
)
def test_names_that_travel_health_and_directory_layouts_hold(text, expected):
    assert [text[s:e] for s, e in field_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an SSR DOCS line's names after its dates; a calendar entry's organizer and attendee
        ("SSR DOCS CI HK1 P/TWN/312345678/TWN/14MAR90/F/22JAN31/CHEN/I-TING", ["CHEN/I-TING"]),
        ("SSR DOCS YY HK1 P/GBR/123456789/GBR/12JUL82/M/23OCT19/O'BRIEN/MARY ANN", ["O'BRIEN/MARY ANN"]),
        ("ORGANIZER;CN=chiao, chieh-chun:mailto:a@example.com", ["chiao, chieh-chun"]),
        ('ATTENDEE;ROLE=REQ-PARTICIPANT;CN="Lima, Ana":mailto:ana@example.org', ["Lima, Ana"]),
        # a LINE export's writer between tabs; a log's level is none
        ("2026/03/14 上午 10:21\t耀明\t我的手機是 0912 345 678", ["耀明"]),
        ("10:21\tAna Lima\tsee you", ["Ana Lima"]),
        ("12:00\tINFO\tstarted worker", []),
        # a display name's key ("sender_display"); a room's is none
        ('{"sender_display": "MA, LING-CHI", "body": "hi"}', ["MA, LING-CHI"]),
        ('{"room_display": "Ops Room", "body": "hi"}', []),
    ],
)
def test_names_of_travel_calendar_chat_and_matrix_layouts(text, expected):
    assert cells(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a GEDCOM record's name line; a SWIFT MT103's beneficiary and ordering customer after their account line
        ("0 @I142@ INDI\n1 NAME Ghassen /Ben Ahmed/\n1 BIRT", ["Ghassen /Ben Ahmed/"]),
        (":59:/GB70BSIZ28933437196003\nMarwa bent Aziz Bejaoui", ["Marwa bent Aziz Bejaoui"]),
        (":50K:ACME TRADING SARL", ["ACME TRADING SARL"]),
        # a contact row's name may hold a particle in lowercase
        ("Feryel bent Bassem Ben Brahim,fb@example.com,638-40-95-14,active", ["Feryel bent Bassem Ben Brahim"]),
    ],
)
def test_names_of_genealogy_and_payment_layouts(text, expected):
    assert cells(text) == expected
