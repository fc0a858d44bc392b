"""Whether a line is written in Title Case (a subject, a heading: "Save Money On Printer Ink Today"), where capitals
say nothing of a name, and the words around a run of such a line that say it is a person all the same; read by
:mod:`flyloop.privacy.pii_names`."""

from __future__ import annotations

import re

from flyloop.privacy.pii_cues import (
    HEADLINE_PERSON_AFTER,
    HEADLINE_PERSON_BEFORE,
    NOT_NAMES,
    PERSON_AFTER,
    PERSON_BEFORE,
)
from flyloop.privacy.pii_words import _WORD_ENDING, _shouted, _Token, common_words

# Where a headline or a sentence ends: a new line, or an end mark and a space.
_SEGMENT_END = re.compile(r"\n|[.!?](?:\s|$)")


_ALWAYS_CAPITALIZED = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december""".split()
)


def headline_tokens(text: str, tokens: list[_Token]) -> list[bool]:
    """For each token, whether the line or sentence holding it is written in Title Case (a
    subject, a heading: "Save Money On Printer Ink Today"): after its first word, two or more words
    that can carry meaning (no function word, no acronym, three letters or more, in a script with
    capitals), with at most one in lowercase for five capitalized ("Job Offers and My Resume", not
    "Ingimunda Reynarsson joined Acme Corp today"), and at least one of the capitalized ones a word
    no name list holds: a common word, a function word ("On", "My") or a word with an English
    ending ("Selling Wedded Bliss"), so a line of names ("between Alison Ettlin and Tran Snow") is
    no headline."""
    out = [False] * len(tokens)
    ends = [m.end() for m in _SEGMENT_END.finditer(text)] + [len(text) + 1]
    seg = 0
    start = 0
    while start < len(tokens):
        while tokens[start].start >= ends[seg]:
            seg += 1
        stop = start
        while stop < len(tokens) and tokens[stop].start < ends[seg]:
            stop += 1
        upper = lower = worded = 0
        # the first word is capitalized in any sentence: it says nothing
        for tok in tokens[start + 1 : stop]:
            if tok.key in _ALWAYS_CAPITALIZED:
                continue  # "takes Friday": a day or a month is capitalized in any sentence
            if tok.key in NOT_NAMES and tok.capitalized and not _shouted(text, tok) and tok.key != "i":
                # a function word capitalized inside a line is Title Case ("Save Money On Printer Ink")
                upper += 1
                worded += 1
                continue
            if tok.caseless or len(tok.key) < 3 or tok.key in NOT_NAMES or _shouted(text, tok):
                continue
            if tok.capitalized:
                upper += 1
                worded += not tok.listed and (
                    tok.common or tok.key in common_words() or _WORD_ENDING.search(tok.key) is not None
                )
            else:
                lower += 1
        if upper + lower >= 2 and 5 * lower <= upper and worded:
            out[start:stop] = [True] * (stop - start)
        start = stop
    return out


def person_cued(text: str, first: _Token, last: _Token) -> bool:
    """Whether the words around a run of a headline say it is a person ("... said", "meet ...",
    "(...)", "Invitation From ...", "... Named Head Of Product")."""
    return (
        PERSON_AFTER.match(text, last.end) is not None
        or PERSON_BEFORE.search(text, max(0, first.start - 24), first.start) is not None
        or HEADLINE_PERSON_BEFORE.search(text, max(0, first.start - 16), first.start) is not None
        or HEADLINE_PERSON_AFTER.match(text, last.end) is not None
        or (text[first.start - 1 : first.start] == "(" and text[last.end : last.end + 1] == ")")
    )
