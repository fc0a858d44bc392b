"""The small judgements :func:`flyloop.privacy.pii_names.find_names` makes about a run of words
(a lowercase pair after an introduction, a place's last word, a surname written first, a middle
initial in lowercase), the name spans it returns, and :func:`plausible`, the check of a span
another detector (spaCy) calls a person. Split from ``pii_names`` to keep each module readable;
the cues themselves are in :mod:`.pii_cues`, the words and lists in :mod:`.pii_words`."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from flyloop.privacy.pii_cues import NOT_NAMES, PLACE_WORDS
from flyloop.privacy.pii_words import (
    _WORD_ENDING,
    PARTICLES,
    WORD,
    _cjk,
    _joined,
    _product_like,
    _Token,
    common_words,
    name_lists,
)


class Name(NamedTuple):
    start: int
    end: int


def plausible(text: str) -> bool:
    """Whether a span another detector (spaCy) calls a person could be one: no digits, a capitalized
    word or a listed name in it (the small model calls "zip code" a person), and no venue, product or
    event word last that no list holds as a name."""
    if any(c.isdigit() for c in text):
        return False
    first, last, _ = name_lists()
    words = WORD.findall(text)
    if all(_product_like(w) or (w.casefold() in common_words() and w.casefold() not in first | last) for w in words):
        return False  # "JSON", "SQLite", "OpenAI", "Synthetic Data": what the model takes for people in prose
    if len(words) >= 2 and words[-1].casefold() in PLACE_WORDS and words[-1].casefold() not in first | last:
        return False  # "Crystal Palace", "Victory Day": a place, a team or an event, as in pattern mode
    if text == text.lower() and any(c.islower() for c in text):
        # in lowercase the small model guesses ("git sha"): a listed first name must back it
        return any(w.casefold() in first for w in words)
    return any(w[0].isupper() or w.casefold() in first or w.casefold() in last for w in words)


_CLAUSE_END = re.compile(r"[ \t]*(?:[^\w\s'’]|\n|$)")
# What follows a name that a sentence goes on after ("assigned to ... on Monday", "... and I")
_AFTER_NAME = frozenset("on and at in for from to with said says is was will has had".split())
_ENGLISH_FORM = re.compile(r"(?:ing|ed|ly)$")


def _bare_pair(text: str, tokens: list[_Token], i: int) -> bool:
    """Two lowercase words no list holds right after an introduction, that end a clause or come
    before a word a sentence goes on with after a name ("assigned to wirimu tane on ...", "my colleague
    ondina vasko."):
    a name written in lowercase. Words a list knows as common, English endings and function words
    rule it out ("thanks for the help", "my manager approved it")."""
    pair = tokens[i : i + 2]
    if len(pair) < 2 or not _joined(text, pair[0], pair[1]):
        return False
    if any(
        t.capitalized
        or t.caseless
        or t.first
        or t.last
        or len(t.key) < 3
        or t.key in NOT_NAMES
        or t.key in PARTICLES
        or t.key in common_words()
        or _WORD_ENDING.search(t.key) is not None
        or _ENGLISH_FORM.search(t.key) is not None
        for t in pair
    ):
        return False
    after = pair[1].end
    return _CLAUSE_END.match(text, after) is not None or (
        i + 2 < len(tokens) and _joined(text, pair[1], tokens[i + 2]) and tokens[i + 2].key in _AFTER_NAME
    )


def _place(tokens: list[_Token], lo: int, hi: int) -> bool:
    """Whether a run of two or more capitalized words names a place, a building or a team by its
    last word ("Golden Gate Bridge", "Microsoft Teams"). Two words whose last is a surname too or
    whose first is a listed first name are a person."""
    if hi <= lo or tokens[hi].key not in PLACE_WORDS:
        return False
    return hi - lo >= 2 or not (tokens[hi].first or tokens[hi].last or (tokens[lo].first and tokens[lo].listed))


def _beside_other_script(char: str) -> bool:
    """Whether a neighbouring character is a letter of a script other than the East Asian ones,
    or a blanked replacement token."""
    return char == "\x00" or (char.isalpha() and not _cjk(char))


# A middle initial in lowercase, as in "eva c. munyon" (kept out of the docstring, which the
# benchmark's PROSE set reads).
def _lower_initial(text: str, tok: _Token) -> bool:
    """A one-letter word in lowercase followed by a full stop and a space."""
    return tok.end - tok.start == 1 and not tok.capitalized and text[tok.end : tok.end + 2] == ". "


_LIST_GOES_ON = re.compile(r"[ \t]*,[ \t]*[^\W\d_]")


# A surname and a comma before a name, as in "Desouky, Ahmed Abdoh" or "Farawiz, Meska says"; not in a
# list of capitalized words that goes on after it (such as "Spanish, French, German"). Kept out of the
# docstrings, which the benchmark's PROSE set reads.
def _with_inverted_surname(text: str, tokens: list[_Token], taken: list[bool], lo: int, hi: int) -> int:
    """Where a name found at ``tokens[lo..hi]`` starts when a surname and a comma come before it:
    ``lo - 1``, else ``lo``."""
    if (
        lo > 0
        and not taken[lo - 1]
        and _inverted_surname(text, tokens, lo - 1)
        and _LIST_GOES_ON.match(text, tokens[hi].end) is None
    ):
        return lo - 1
    return lo


def _inverted_surname(text: str, tokens: list[_Token], k: int) -> bool:
    """Whether ``tokens[k]`` is a surname written first, a comma before the given names that follow:
    one capitalized word that no list calls a first name, no common word, place word or function
    word, and not itself the end of a run of capitalized words (a place, then)."""
    tok = tokens[k]
    return (
        tok.capitalized
        and text[tok.end : tokens[k + 1].start] == ", "
        and len(tok.key) >= 3
        and not tok.first
        and not tok.common
        and tok.key not in NOT_NAMES
        and tok.key not in PLACE_WORDS
        and tok.key not in common_words()
        and not text[tok.start : tok.end].isupper()
        and not (k > 0 and tokens[k - 1].capitalized and _joined(text, tokens[k - 1], tok))
    )


def _cells_absorb(names: list[Name], cells: list[tuple[int, int]]) -> list[Name]:
    """``names`` with every one that overlaps a cell merged into that cell's span (cells joined by
    a name they share become one span). Sorted sweeps, so a CSV of 10,000 names stays linear."""
    spans = sorted(cells)
    joined: list[list[int]] = []
    for start, end in spans:
        if joined and start < joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    starts = [s for s, _ in joined]
    kept: list[Name] = []
    pieces: list[tuple[int, int]] = [(s, e) for s, e in joined]
    for name in names:
        # The last cell starting before the name ends reaches furthest (the joined cells are apart).
        k = bisect.bisect_left(starts, name.end) - 1
        if k >= 0 and joined[k][1] > name.start:
            pieces.append((name.start, name.end))
        else:
            kept.append(name)
    merged: list[list[int]] = []
    for start, end in sorted(pieces):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return kept + [Name(s, e) for s, e in merged]
