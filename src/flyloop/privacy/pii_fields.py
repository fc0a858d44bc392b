"""Names that the layout of a text says are names, whatever their words: the values of a CSV column
whose header says it holds names, the text of a ``mailto:`` link, the words of a contact record (a
table row, CSV line or JSON object holding a phone number or an e-mail address, "Contact: Name, +48 ..."),
the writer of a chat export's line (WhatsApp, IRC, LINE), a vCard's name lines, an LDAP entry's common name,
the name columns of a SQL INSERT's rows, a Jira mention, an airline's name element and an SSR DOCS line's names,
a card's first magnetic-stripe track's, an HL7 segment's names, an LDIF entry's, a calendar entry's organizer and
attendees, a display name's key, an XML element named for a person's name, an RIS or a MARC record's authors, a
column-aligned listing's name row, an EDIFACT party, a name glued to a Nguni copula.
The name detector (:mod:`flyloop.privacy.pii_names`) adds these to what its words and cues find; a list cannot hold
every name, but a pasted table or a link says which cell is one."""

from __future__ import annotations

import re
from collections.abc import Iterator

from flyloop.privacy.pii_words import CHILD_OF, PARTICLES, WORD, common_words, vocabulary

# Headers of a column of people's names (casefolded, spaces and underscores dropped).
NAME_HEADERS = frozenset(
    """name fullname firstname lastname givenname surname familyname customer customername client clientname
contact contactname employee employeename owner person patient holder accountholder cardholder recipient sender
author assignee reporter user username displayname realname member attendee guest passenger beneficiary payee
navn namn naam nimi nom nombre nome imię imie jméno jmeno meno ime имя ім'я όνομα isim nama név nev vardas vārds
fornavn efternavn etternavn förnamn efternamn voornaam achternaam vorname nachname prénom prenom apellido apellidos
cognome nazwisko příjmení prijmeni sobrenome ονοματεπώνυμο""".split()
)
# Matched against the line with its trailing spaces stripped: a trailing ``[ \t]*`` after the
# cells' own spaces made a long run of spaces backtrack quadratically.
_HEADER = re.compile(r"^[ \t]*[^\W\d][\w .\-]*(?:[,;\t][ \t]*[^\W\d][\w .\-]*)+$")
_MAILTO = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']?mailto:[^>]*>\s*([^<>]+?)\s*</a>""", re.I)
_LETTERS = re.compile(r"[^\W\d_]")
# A vCard's name lines (RFC 6350: FN, the formatted name; N, family;given;additional;prefixes;suffixes),
# with parameters or a group ("item1.FN;CHARSET=UTF-8:..."), and the parts of their value.
_VCARD_NAME = re.compile(r"^(?:[\w-]+\.)?(?P<field>FN|N)(?:;[^:\n]*)?:[ \t]*(?P<value>[^\n\r]*[^\s;])", re.M | re.I)
# An LDAP distinguished name's common name, where the DN has an ``ou=`` or a ``dc=`` beside it
# ("dn: cn=Ana Lima,ou=staff,dc=example,dc=org"); a value may escape a comma ("Lima\, Ana")
_LDAP_CN = re.compile(r"(?<![\w-])cn=((?:[^,+=\n\\]|\\.)*[^,+=\s\\])(?=[ \t]*[,+][ \t]*(?:ou|dc|o|c|l)=)", re.I)
# A SQL INSERT's columns and its rows of values ("INSERT INTO customers (name, phone) VALUES ('Ana', '...')")
_SQL_INSERT = re.compile(
    r"\binsert[ \t]+into[ \t]+[\w.\"`\[\]]+[ \t]*\((?P<columns>[^()]*)\)[ \t]*values[ \t]*"
    r"(?P<rows>(?:\([^()]*\)[ \t]*,?[ \t]*)+)",
    re.I,
)
_SQL_ROW = re.compile(r"\(([^()]*)\)")
_XML_NAME = re.compile(
    r"<((?:full_?|first_?|last_?|given_?|family_?|customer_?|contact_?|display_?)?name|surname|owner|author)>"
    r"[ \t]*([^<>\n]+?)[ \t]*</\1>",
    re.I,
)
# ... and any element whose tag is a person's word and "Name" ("<CardholderName>", "<PayeeName>", "<cust-name>")
_XML_PERSON_NAME = re.compile(
    r"<(?P<who>[A-Za-z]{3,20})[_\-]?name>[ \t]*(?P<name>[^<>\s](?:[^<>\n]*[^<>\s])?)[ \t]*</(?P=who)[_\-]?name>",
    re.I,
)
# A bibliography's author: an RIS record's author lines ("AU  - Tedeev, Soslan"), a MARC record's main or added
# personal name ("100 1# $a Koné, Khadija, $e author.")
_RIS_AUTHOR = re.compile(r"^(?:AU|A[1-4]|ED)  - (?P<name>[^\n\r]*[^\s])", re.M)
_MARC_NAME = re.compile(
    r"(?<!\d)(?:100|600|700)[ ]?[0-9# ]{2}[ ]?\$a[ ]?(?P<name>[^$\n]*[^$\n,. ])[,. ]*(?=\$|$)", re.M
)
# A column-aligned listing's name row (Windows' "net user", finger): a name's label, three spaces or more, the value
_ALIGNED_FIELD = re.compile(
    r"^[ \t]*(?P<label>[A-Za-z][A-Za-z' ]{2,30}?)[ \t]{3,}(?P<value>\S(?:[^\n]*\S)?)[ \t]*$", re.M
)
# An e-mail's key right after a value, in the same object ('name = "...", email = "..."')
_EMAIL_KEY_AFTER = re.compile(r"""[ \t]*[,;][ \t]*["']?e-?mail["']?[ \t]*[:=]""", re.I)
# A name glued to the Nguni languages' copula ("Ibizo lami nguSipho Dube": "my name is"; isiNdebele, isiZulu, isiXhosa)
_NGUNI_COPULA = re.compile(r"(?<![^\W\d_])ngu(?P<name>[A-Z][a-z'’]+(?:[ ][A-Z][a-z'’]+){0,3})")
# An EDIFACT NAD segment's party name, its fourth element ("NAD+CN+++NATIA LAKOBA+12 KIRAZ SOKAK+GIRNE...")
_EDIFACT_NAD = re.compile(r"\bNAD\+[A-Z0-9]{1,3}\+[^+'\n]*\+[^+'\n]*\+(?P<name>[^+':\n]+)")
# An airline's name element (IATA's "SURNAME/GIVEN TITLE" on a ticket, a boarding pass, a PNR), after a
# passenger's label or with its title: "Passenger name: XING/TUAN", "UMPIERRE/NILKA MR" ("TCP/IP" has neither)
_PNR_NAME = re.compile(
    r"(?P<name>(?<![\w/])[^\W\d_][^\W\d_'’\-]*(?:[ '’\-][^\W\d_]+)*/[^\W\d_]+(?:[ '’\-][^\W\d_]+)*?)"
    r"(?P<title>[ ]+(?:MR|MRS|MS|MSTR|MISS|DR|CHD|INF))?(?![\w/])"
)
# An advance passenger record's document line (IATA's "SSR DOCS": type/issuer/number/nationality/birth/gender/
# expiry/surname/given/middle): the names after its two dates
_SSR_DOCS = re.compile(
    r"\bDOCS\b[^\n]*?/\d{2}[A-Z]{3}\d{2,4}/[MFUX]I?/\d{2}[A-Z]{3}\d{2,4}/"
    r"(?P<name>[^\W\d_]+(?:['’ -][^\W\d_]+)*(?:/[^\W\d_]+(?:['’ -][^\W\d_]+)*){0,2})"
)
# A card's first magnetic-stripe track (ISO/IEC 7813: "%B", the number, "^", the holder's name as "SURNAME/GIVEN",
# "^", expiry and service data): the name field, its padding spaces left out
_TRACK1_NAME = re.compile(r"%B\d{12,19}\^(?P<name>[^\W\d_][^\^\n?%]{0,25}?)[ ]*\^")
# A GEDCOM record's name line ("1 NAME Ghassen /Ben Ahmed/"), the surname between slashes
_GEDCOM_NAME = re.compile(r"^[ \t]*\d{1,2}[ \t]+NAME[ \t]+(?P<name>[^\n\r@]*[^\s@])", re.M)
# A SWIFT MT103's ordering customer and beneficiary (":50K:" and ":59:" fields: an account line, then the name)
_SWIFT_PARTY = re.compile(r"^:(?:50[AFK]|59[AF]?):(?:/[^\n]*\n)?(?P<name>[^\n/:][^\n]*?)[ \t]*$", re.M)
# A calendar entry's organizer or attendee (RFC 5545: "ORGANIZER;CN=Lima, Ana:mailto:...")
_ICS_PERSON = re.compile(r"^(?:ORGANIZER|ATTENDEE)(?:;[^:\n]*?)?;CN=(\"?)(?P<name>[^;:\"\n]+)\1[;:]", re.M | re.I)
# and its contact, a name first and what reaches them after escaped commas ("CONTACT:Jim Dolittle\, +1-919-...")
_ICS_CONTACT = re.compile(r"^CONTACT(?:;[^:\n]*)?:(?P<name>[^\\\n;,]*[^\\\s;,])", re.M)
# A MECARD's name field, a QR code's contact ("MECARD:N:Gagnidze,Anano;TEL:...;"): surname, a comma, given name
_MECARD_NAME = re.compile(r"(?:MECARD:|;)N:(?P<name>[^;:\n]+)", re.I)
_PASSENGER = re.compile(
    r"\b(?:passenger(?: name)?|pax|traveller|traveler|passager|pasajero|passageiro)[ \t]*:[ \t]*$", re.I
)
# An HL7 v2 message's person names: PID-5 (the patient), PID-6 (the mother's maiden name), NK1-2 (next of kin),
# family^given^middle
_HL7_SEGMENT = re.compile(r"^(?P<segment>PID|NK1)\|(?P<fields>[^\r\n]*)", re.M)
_HL7_NAME_FIELDS = {"PID": (5, 6), "NK1": (2,)}
# An LDIF entry's name attributes ("cn: Babajanowa, Bashim" under a "dn:" line)
_LDIF_NAME = re.compile(r"^(?:cn|displayName|gecos)[ \t]*:[ \t]*(?P<value>[^\r\n]*[^\s])", re.M | re.I)
# A Jira mention ("[~jsmith]", "[~Ana Lima]"); a link's "[text|url]" is no mention
_JIRA_MENTION = re.compile(r"\[~([^\[\]|\n]{1,60})\]")
_SQL_VALUE = re.compile(r"'((?:[^']|'')*)'|[^,\s][^,]*")
_VCARD_PART = re.compile(r"[^,\s][^,]*[^,\s]|[^,\s]")
# A quoted value under a key that names a person, in JSON, YAML or key=value text ('"owner": "..."',
# 'customer_name="..."'). Bare "name", "user" and the like are left out: code names things with them.
_KEYED = re.compile(r"""(?<![\w\-])["']?([A-Za-z][\w\-]{1,30})["']?[ \t]*[:=][ \t]*(["'])([^"'\n]{1,80})\2""")
# The same unquoted, in a line of KEY=value pairs, up to the next key ("NAVN=Anne-Mette Nørgaard Jensen PNR=ABC12D")
_KEYED_BARE = re.compile(
    r"(?<![\w\-])([A-Za-z][\w\-]{1,30})=([^\s=&;,\"'<>][^=&;,\"'<>\n]{0,79}?)"
    r"(?=[ \t]+[A-Za-z][\w\-]{0,30}=|[ \t]*(?:[;,&\n]|$))"
)
_KEYED_HEADERS = NAME_HEADERS - frozenset("name user username displayname member contact customer client".split())
# Of those left out, the keys whose value is a person's when it is words a name is written with, two or more
# ('"user_name": "Daniel L. Hill"'; a login is one word: "user_name": "dhill")
_KEYED_SPACED = frozenset("username displayname member contact customer client".split())
# A key of a person's display name: one of the headers with "display" or "displayname" after it (Matrix's
# "sender_display", "author_display_name")
_DISPLAY_KEY = re.compile(r"(?P<who>[a-z]+?)display(?:name)?")


def _cells(line: str, sep: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each cell of a line, spaces around it left out."""
    start = 0
    for part in line.split(sep):
        stripped = part.strip()
        offset = start + (len(part) - len(part.lstrip()))
        yield offset, offset + len(stripped)
        start += len(part) + 1


def _plain_value(value: str) -> bool:
    """Whether a cell can hold a name (letters, and no digits, e-mail or markup; six words at most)."""
    return (
        _LETTERS.search(value) is not None
        and not any(c.isdigit() or c in "@/:=<>" for c in value)
        and len(value.split()) <= 6
    )


# A cell that makes its row a person's contact record: an e-mail address or a phone number, whole.
_CONTACT_CELL = re.compile(
    r"[^\s@]+@[^\s@]+\.[^\W\d_]{2,}|\+?[\d(][\d \t().\-]{5,}\d(?:[ \t]*(?:x|ext\.?)[ \t]*\d{1,6})?"
)
_DATE_CELL = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


def _contact_cell(value: str) -> bool:
    """An e-mail address, or a phone number: seven digits or more, not a date, written with a "+", brackets
    or separators, or ten digits or more bare (a bare "12345678" is as often an order's number)."""
    if _CONTACT_CELL.fullmatch(value) is None:
        return False
    if "@" in value:
        return True
    digits = sum(c.isdigit() for c in value)
    if digits < 7 or _DATE_CELL.fullmatch(value):
        return False
    return digits >= 10 or any(c in value for c in "+( -.")


# An HTML table's rows and cells
_HTML_ROW = re.compile(r"<tr\b.*?(?:</tr>|$)", re.I | re.S)
_HTML_CELL = re.compile(r"<t[dh]\b[^>]*>[ \t]*([^<]*?)[ \t]*</t[dh]>", re.I)
# A label, then a name and a comma right before a phone number ("Parent contact: Tanitoluwa, +48 501 694 315").
_LABELLED_CONTACT = re.compile(
    r"(?<=:)[ \t]*(?P<name>[^\W\d_][^\W\d_'’.\-]*(?:[ \t]+[^\W\d_][^\W\d_'’.\-]*){0,3}),[ \t]*"
    r"(?=\+?[\d(][\d \t().\-]{5,}\d)"
)


# A chat export's line: a date, a time, then who wrote it (WhatsApp on Android "12/03/2025, 21:14 - Ana: ...",
# on iOS "[12/03/2025, 21:14:05] Ana: ...").
_CHAT_LINE = re.compile(
    r"^\[?\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?[ \t]\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[ \t]?[Mm]\.?)?\]?[ \t]"
    r"(?:-[ \t])?(?P<name>[^:\n\d]{1,40}?):[ \t]"
    # an IRC or Slack log's writer in angle brackets after the time ("[09:41] <Zarish> ...")
    r"|^\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]*<(?P<nick>[^<>\n\d@]{1,40})>"
    # a LINE export's line: a time (after a date, a morning's or an afternoon's word), a tab, the writer, a tab
    r"|^(?:\d{4}[/.-]\d{1,2}[/.-]\d{1,2}(?:\([^()\n]{1,4}\))?[ \t]+)?(?:上午|下午|午前|午後|[AaPp][Mm])?[ \t]?"
    r"\d{1,2}:\d{2}\t(?P<tabbed>[^\t\n\d]{1,40})\t",
    re.M,
)


def _person_words(value: str) -> bool:
    """Whether a cell's words can be a person's name: one to four words, capitalized or all in one case (a
    particle in lowercase between them: "Wafa bent Hichem Bejaoui"), at least one of them no English word
    ("active", "Paid", "Monthly Plan" are a row's other cells)."""
    words = [w for w in WORD.findall(CHILD_OF.sub(" ", value)) if w not in PARTICLES]
    if not 1 <= len(words) <= 4 or not _plain_value(value) or len(value) > 60:
        return False
    if (
        not all(w[0].isupper() for w in words)
        and not value.islower()
        and any(c.isupper() or c.islower() for c in value)
    ):
        return False
    return any(w.casefold() not in vocabulary() and w.casefold() not in common_words() for w in words)


def _prose_cell(value: str) -> bool:
    """A cell that reads as part of a sentence: more than five words, a sentence's end, a contraction, or
    words and digits together ("card 4111 ...")."""
    return (
        len(value.split()) > 5
        or value[-1] in "!?"
        or "'" in value
        or "’" in value
        or (_LETTERS.search(value) is not None and any(c.isdigit() for c in value))
    )


def contact_names(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that a contact record says are names: the plain cells of a row (``|``, tab,
    ``;`` or ``,`` between three cells or more) in which a cell is a phone number or an e-mail address,
    a quoted value under a name's key in a record holding one ('"customer": "Zuwena", "msisdn": "+254 ..."'),
    the words between a label's colon and a comma before a phone number, and a chat export's writer."""
    out: list[tuple[int, int]] = []
    if ":" in text:
        for m in _CHAT_LINE.finditer(text):
            group = next(g for g in ("name", "nick", "tabbed") if m.group(g))
            # (a tab-separated log's level or source is no writer: "10:21\tINFO\tstarted", "10:21\tERROR\t...")
            value = m.group(group).strip()
            if _LETTERS.search(value) and (
                group != "tabbed" or (_person_words(value) and not (value.isupper() and " " not in value))
            ):
                out.append(m.span(group))
        keyed = list(_KEYED.finditer(text))
        if any(_contact_cell(k.group(3)) for k in keyed):  # a record with a phone or an address
            out += [
                k.span(3)
                for k in keyed
                if re.sub(r"[_\-]", "", k.group(1)).casefold() in NAME_HEADERS and _person_words(k.group(3))
            ]
        for m in _LABELLED_CONTACT.finditer(text):
            if _person_words(m.group("name")) and all(w[0].isupper() for w in WORD.findall(m.group("name"))):
                out.append(m.span("name"))
    if "<td" in text or "<TD" in text:  # an HTML table's row: "<td>Ana Lima</td><td>+351 912 345 678</td>"
        for a, b in [m.span() for m in _HTML_ROW.finditer(text)] or [(0, len(text))]:
            html_cells = list(_HTML_CELL.finditer(text, a, b))
            if len(html_cells) >= 2 and any(_contact_cell(c.group(1)) for c in html_cells):
                out += [c.span(1) for c in html_cells if c.group(1) and _person_words(c.group(1))]
    start = 0
    for line in text.split("\n"):
        for sep in "|\t;,":
            if line.count(sep) < 2:
                continue
            cells = list(_cells(line, sep))
            if not any(_contact_cell(line[a:b]) for a, b in cells):
                continue
            if any(_prose_cell(line[a:b]) and not _contact_cell(line[a:b]) for a, b in cells if b > a):
                break  # a sentence with an address in it ("I'm Ana, ana@..., card 4111 ..."), not a record
            out += [(start + a, start + b) for a, b in cells if b > a and _person_words(line[a:b])]
            break
        start += len(line) + 1
    return out


def _sql_names(text: str) -> list[tuple[int, int]]:
    """The quoted values of a SQL INSERT's rows under a column whose name says it holds names."""
    out = []
    for insert in _SQL_INSERT.finditer(text):
        columns = [re.sub(r"[\s_.\"`\[\]-]", "", c).casefold() for c in insert.group("columns").split(",")]
        wanted = {k for k, c in enumerate(columns) if c in NAME_HEADERS}
        for row in _SQL_ROW.finditer(text, insert.start("rows"), insert.end("rows")):
            for k, value in enumerate(_SQL_VALUE.finditer(text, row.start(1), row.end(1))):
                if k in wanted and value.group(1) is not None and _plain_value(value.group(1)):
                    out.append(value.span(1))
    return out


def _pnr_names(text: str) -> list[tuple[int, int]]:
    """Airline name elements ("XING/TUAN", "UMPIERRE/NILKA MR"): in capitals, after a passenger's label or
    with a title; and the names an SSR DOCS line ends with ("/22JAN31/CHEN/I-TING")."""
    out = []
    for m in _PNR_NAME.finditer(text):
        name = m.group("name")
        if not name.isupper() or not all(len(part) >= 2 for part in name.split("/")):
            continue
        if m.group("title") or _PASSENGER.search(text, max(0, m.start() - 24), m.start()):
            out.append(m.span())  # with its title: the element is read whole
    if "DOCS" in text:
        out += [m.span("name") for m in _SSR_DOCS.finditer(text)]
    return out


def _hl7_names(text: str) -> list[tuple[int, int]]:
    """The person names of HL7 v2 segments (PID-5, PID-6, NK1-2): each field's family, given and middle
    names, with the ``^`` between them."""
    out = []
    for m in _HL7_SEGMENT.finditer(text):
        at = m.start("fields")
        wanted = _HL7_NAME_FIELDS[m.group("segment")]
        for k, field in enumerate(m.group("fields").split("|"), 1):
            name = field.split("~")[0].rstrip("^")
            if k in wanted and _LETTERS.search(name) and not any(c.isdigit() for c in name):
                out.append((at, at + len(name)))
            at += len(field) + 1
    return out


def field_names(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that sit in a name column of a CSV (a header line naming the column, the
    rows after it), in a value whose key names a person (quoted, or bare up to the next key), or in the text of
    a ``mailto:`` link."""
    out: list[tuple[int, int]] = (
        contact_names(text) if ("@" in text or ":" in text or "|" in text or "," in text or "<t" in text) else []
    )
    # a vCard's formatted name and its name's parts ("FN:Ana Lima", "N:Lima;Ana;;;")
    if "begin:vcard" in text.casefold():
        for card in _VCARD_NAME.finditer(text):
            if card.group("field").casefold() == "fn":
                out.append(card.span("value"))
                continue
            at = card.start("value")
            for part in card.group("value").split(";")[:3]:  # family, given, additional names
                out += [(at + a.start(), at + a.end()) for a in _VCARD_PART.finditer(part)]
                at += len(part) + 1
    low = text.casefold()
    if "</" in text:  # an XML element that names a person ("<contact><name>Ana Lima</name>...")
        out += [m.span(2) for m in _XML_NAME.finditer(text) if _person_words(m.group(2))]  # not "Blue Mug"
    if "cn=" in low and ("ou=" in low or "dc=" in low):
        # (a service's or a group's entry is named with words: "cn=admin", "cn=Domain Users")
        out += [m.span(1) for m in _LDAP_CN.finditer(text) if _person_words(m.group(1).replace("\\", ""))]
    if "insert" in low and "values" in low:
        out += _sql_names(text)
    if "mailto:" in low:
        out += [m.span(1) for m in _MAILTO.finditer(text) if _plain_value(m.group(1))]
    if "name>" in low:
        out += [
            m.span("name")
            for m in _XML_PERSON_NAME.finditer(text)
            if m.group("who").casefold() in NAME_HEADERS and _person_words(m.group("name"))
        ]
    if "  - " in text:
        out += [m.span("name") for m in _RIS_AUTHOR.finditer(text) if _plain_value(m.group("name"))]
    if "$a" in text:
        out += [m.span("name") for m in _MARC_NAME.finditer(text) if _plain_value(m.group("name"))]
    if "   " in text:
        out += [
            m.span("value")
            for m in _ALIGNED_FIELD.finditer(text)
            if re.sub(r"[ ']", "", m.group("label")).casefold() in NAME_HEADERS and _person_words(m.group("value"))
        ]
    if "ngu" in text:
        out += [m.span("name") for m in _NGUNI_COPULA.finditer(text)]
    if "NAD+" in text:
        out += [m.span("name") for m in _EDIFACT_NAD.finditer(text) if _plain_value(m.group("name"))]
    if "/" in text:
        out += _pnr_names(text)
    if "%B" in text:
        out += [m.span("name") for m in _TRACK1_NAME.finditer(text)]
    if "PID|" in text or "NK1|" in text:
        out += _hl7_names(text)
    if "dn:" in low and ("cn:" in low or "displayname:" in low or "gecos:" in low):
        out += [m.span("value") for m in _LDIF_NAME.finditer(text) if _person_words(m.group("value"))]
    if " NAME " in text:
        out += [m.span("name") for m in _GEDCOM_NAME.finditer(text) if _LETTERS.search(m.group("name"))]
    if ":59" in text or ":50" in text:
        out += [m.span("name") for m in _SWIFT_PARTY.finditer(text) if _plain_value(m.group("name"))]
    if "cn=" in low and ("organizer" in low or "attendee" in low):
        out += [m.span("name") for m in _ICS_PERSON.finditer(text) if _plain_value(m.group("name"))]
    if "MECARD:" in text:
        out += [m.span("name") for m in _MECARD_NAME.finditer(text) if _plain_value(m.group("name"))]
    if "CONTACT" in text:
        out += [m.span("name") for m in _ICS_CONTACT.finditer(text) if _person_words(m.group("name"))]
    if "[~" in text:  # a Jira mention names a user by login or by name: "[~bongbong limpingco] can you check"
        out += [m.span(1) for m in _JIRA_MENTION.finditer(text) if _plain_value(m.group(1))]
    if "=" in text or ":" in text:
        for keyed in _KEYED.finditer(text):
            key, value = re.sub(r"[_\-]", "", keyed.group(1)).casefold(), keyed.group(3)
            if (
                (key in _KEYED_HEADERS and _plain_value(value))
                or (key in _KEYED_SPACED and len(WORD.findall(value)) >= 2 and _person_words(value))
                or (
                    (display := _DISPLAY_KEY.fullmatch(key)) is not None
                    and display.group("who") in NAME_HEADERS
                    and _person_words(value)
                )
                # a chat export's writer ('"from": "Chinea, Papote", "from_id": "user123"')
                or (key == "from" and '"from_id"' in text and _person_words(value))
                # a person's record: a name with an e-mail address beside it in one object ('authors = [{ name =
                # "...", email = "..." }]', '"author": {"name": "...", "email": "..."}')
                or (
                    key == "name"
                    and _EMAIL_KEY_AFTER.match(text, keyed.end()) is not None
                    and len(WORD.findall(value)) >= 2
                    and _person_words(value)
                )
            ):
                out.append(keyed.span(3))
    if "=" in text:
        out += [
            m.span(2)
            for m in _KEYED_BARE.finditer(text)
            if re.sub(r"[_\-]", "", m.group(1)).casefold() in _KEYED_HEADERS and _person_words(m.group(2))
        ]
    if "\n" not in text:
        return sorted(set(out))
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    for n, header in enumerate(lines[:-1]):
        if not _HEADER.match(header.rstrip(" \t")):
            continue
        sep = max(",;\t", key=header.count)
        columns = [re.sub(r"[\s_.\-]", "", c).casefold() for c in header.split(sep)]
        wanted = [k for k, c in enumerate(columns) if c in NAME_HEADERS]
        if not wanted:
            continue
        for m in range(n + 1, len(lines)):
            cells = list(_cells(lines[m], sep))
            if len(cells) != len(columns):
                break  # the table ends where a line no longer has its columns
            for k in wanted:
                start, end = cells[k]
                if end > start and _plain_value(lines[m][start:end]):
                    out.append((offsets[m] + start, offsets[m] + end))
        break
    return sorted(set(out))  # a cell a contact row and a header both name is one span
