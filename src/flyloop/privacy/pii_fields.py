"""Names that the layout of a text says are names, whatever their words: the values of a CSV column
whose header says it holds names, and the text of a ``mailto:`` link. The name detector
(:mod:`flyloop.privacy.pii_names`) adds these to what its words and cues find; a list cannot hold
every name, but a pasted table or a link says which cell is one."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Headers of a column of people's names (casefolded, spaces and underscores dropped).
NAME_HEADERS = frozenset(
    """name fullname firstname lastname givenname surname familyname customer customername client clientname
contact contactname employee employeename owner person patient holder accountholder cardholder recipient sender
author assignee reporter user username displayname member attendee guest passenger beneficiary payee""".split()
)
# Matched against the line with its trailing spaces stripped: a trailing ``[ \t]*`` after the
# cells' own spaces made a long run of spaces backtrack quadratically.
_HEADER = re.compile(r"^[ \t]*[^\W\d][\w .\-]*(?:[,;\t][ \t]*[^\W\d][\w .\-]*)+$")
_MAILTO = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']?mailto:[^>]*>\s*([^<>]+?)\s*</a>""", re.I)
_LETTERS = re.compile(r"[^\W\d_]")
# A quoted value under a key that names a person, in JSON, YAML or key=value text ('"owner": "..."',
# 'customer_name="..."'). Bare "name", "user" and the like are left out: code names things with them.
_KEYED = re.compile(r"""(?<![\w\-])["']?([A-Za-z][\w\-]{1,30})["']?[ \t]*[:=][ \t]*(["'])([^"'\n]{1,80})\2""")
_KEYED_HEADERS = NAME_HEADERS - frozenset("name user username displayname member contact customer client".split())


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


def field_names(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that sit in a name column of a CSV (a header line naming the column, the
    rows after it), in a quoted value whose key names a person, or in the text of a ``mailto:`` link."""
    out: list[tuple[int, int]] = []
    if "mailto:" in text.casefold():
        out += [m.span(1) for m in _MAILTO.finditer(text) if _plain_value(m.group(1))]
    if "=" in text or ":" in text:
        for keyed in _KEYED.finditer(text):
            if re.sub(r"[_\-]", "", keyed.group(1)).casefold() in _KEYED_HEADERS and _plain_value(keyed.group(3)):
                out.append(keyed.span(3))
    if "\n" not in text:
        return out
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
    return out
