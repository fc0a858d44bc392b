"""The small judgements :func:`flyloop.privacy.pii_names.find_names` makes about a run of words
(a lowercase pair after an introduction, a place's last word, a surname written first, a middle
initial in lowercase, a list of people, names in capitals), the name spans it returns, and
:func:`plausible`, the check of a span another detector (spaCy) calls a person. Split from
``pii_names`` to keep each module readable; the cues themselves are in :mod:`.pii_cues`, the words
and lists in :mod:`.pii_words`."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import NamedTuple

from flyloop.privacy.pii_cues import (
    ADDRESS_AFTER,
    DETERMINED,
    HONORIFIC,
    HONORIFIC_WORLD,
    INTRO,
    INTRO_ANY,
    INTRO_WORLD,
    INTRO_WORLD_WORDS,
    NAME_FIELD,
    NOT_NAMES,
    PERSON_AFTER,
    PERSON_BEFORE,
    SCRIPT_INTRO,
    SCRIPT_INTRO_WORLD,
    SCRIPT_STOP,
    SIGNATURE,
    intro_any_hint,
)
from flyloop.privacy.pii_name_shapes import vocative_cues
from flyloop.privacy.pii_places import EVENT_WORDS, ORG_WORDS, PLACE_FIRST, PLACE_WORDS, SAINTS, STREET_END
from flyloop.privacy.pii_words import (
    _WORD_ENDING,
    PARTICLES,
    WORD,
    _cjk,
    _joined,
    _latin,
    _product_like,
    _shouted,
    _Token,
    _weak_lower,
    common_words,
    foreign_conjunction,
    function_words,
    han_label,
    name_lists,
    place_names,
    romanized_given,
    vocabulary,
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
    if all(
        _product_like(w)
        or ((w.casefold() in common_words() or w.casefold() in NOT_NAMES) and w.casefold() not in first | last)
        for w in words
    ):
        # "JSON", "SQLite", "OpenAI", "Synthetic Data": what the model takes for people in prose; "Nomor"
        # ("number") before an order's number
        return False
    if len(words) >= 2 and words[-1].casefold() in PLACE_WORDS and words[-1].casefold() not in first | last:
        return False  # "Crystal Palace", "Victory Day": a place, a team or an event, as in pattern mode
    keys = [w.casefold() for w in words]
    if len(words) >= 2 and (
        any(k in EVENT_WORDS for k in keys) or any(k in PLACE_FIRST and k not in first | last for k in keys[:-1])
    ):
        return False  # "Pesta Nukenen", "Jalan Ampang": a feast's or a place's word, as in pattern mode
    if any(k in ORG_WORDS and k not in first | last for k in keys) or (
        len(words) >= 6
        and all(w[0].isupper() for w in words)
        and not text.isupper()
        and sum(k in first or k in last for k in keys) <= 1
    ):
        return False  # "Hawaiian Airlines HA", six words no list holds: a firm's name or places, as in pattern mode
    if len(words) >= 2 and STREET_END.search(keys[-1]) is not None and keys[-1] not in first | last:
        return False  # "Uniegebou Kerkstraat": a street's name last, as a place's word last above
    if len(words) >= 2 and keys[-1] in SAINTS:
        return False  # no name ends with a saint's title: a place's or a feast's name the model cut ("... Sankt")
    if len(words) >= 2 and words[-1] in PARTICLES and words[-2:] != ["et", "al"]:
        return False  # no name ends with a particle in lowercase: the model ran into a phrase ("Chave de acesso")
    if text == text.lower() and any(c.islower() for c in text):
        # in lowercase the small model guesses ("git sha"): a listed first name must back it (or a Chinese given name
        # by its shape), one that is a function word too with a listed surname ("halloumi kai lountza": Greek's "and")
        named = [k for k in keys if k in first or romanized_given(k)]
        return any(k not in function_words() for k in named) or (bool(named) and any(k in last for k in keys))
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
        or t.key in function_words()
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
    last word ("Golden Gate Bridge", "Microsoft Teams"), or a place or a feast by a saint's title first or
    an event's or a firm's word anywhere ("San Jose del Monte", "Fest Napuan Port Vila", "Hawaiian Airlines"). Two
    words whose last is a surname too or whose first is a listed first name are a person."""
    if hi > lo and (
        tokens[lo].key in SAINTS
        # a place's noun no list holds as a name too ("Kaloum Palais du Peuple"; "Rua", "Lago" are surnames)
        or any(tokens[k].key in PLACE_FIRST and not (tokens[k].first or tokens[k].last) for k in range(lo, hi))
        # (or one a list holds as a surname too, before a saint's title: "Plaza San Martín")
        or any(tokens[k].key in PLACE_FIRST and tokens[k + 1].key in SAINTS for k in range(lo, hi))
        or any(tokens[k].key in EVENT_WORDS for k in range(lo, hi + 1))
        or any(tokens[k].key in ORG_WORDS and not tokens[k].listed for k in range(lo, hi + 1))
    ):
        return True  # "Santa Cruz Flores de Mayo", "Heilala Festival Nukuʻalofa", "Port El Kantaoui Marina"
    if hi - 1 > lo and len(tokens[hi].key) == 1 and tokens[hi - 1].key in PLACE_WORDS:
        hi -= 1  # "Khan Shatyr Towers Block B": a block's, a gate's or a hall's letter after it
    if hi <= lo or tokens[hi].key not in PLACE_WORDS:
        return False
    return hi - lo >= 2 or not (tokens[hi].first or tokens[hi].last or (tokens[lo].first and tokens[lo].listed))


def _beside_other_script(char: str) -> bool:
    """Whether a neighbouring character is a letter of a script other than the East Asian ones,
    or a blanked replacement token."""
    return char == "\x00" or (char.isalpha() and not _cjk(char))


# A middle initial in lowercase, as in "eva c. munyon" (kept out of the docstring the benchmark's PROSE set reads).
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


# A label that says the list after it holds people, one a line ("Attendees: ...; ...", "cc: ..., ...")
_PEOPLE_LIST = re.compile(
    r"(?im)\b(?:attendees|participants|guests|invitees|speakers|panelists|reviewers|assignees|recipients|"
    r"cc|bcc|witnesses|testemunhas|testigos|témoins|zeugen)[ \t]*:[ \t]*(?P<items>[^\n]+)"
)
# an item ends at a comma, a semicolon or a word for "and" ("Testemunhas: Rozanio Vaz e Annieli Osório"),
# and the next starts after that word
_AND = r"(?:and|e|y|et|und|og|och|en|&)"
_LIST_ITEM = re.compile(rf"(?:{_AND}[ \t]+)?((?:(?![ \t]{_AND}[ \t])[^;,])+)")


def listed_people(text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None]) -> None:
    """Each item of a list of people (see above) in any case: one to four words joined as a name is,
    holding no digit, no common word nor a function word (its first word of three letters or more)."""
    starts = {t.start: k for k, t in enumerate(tokens)}
    for m in _PEOPLE_LIST.finditer(text):
        for found in _LIST_ITEM.finditer(text, m.start("items"), m.end("items")):
            value, start = found.group(1), found.start(1)
            lo = starts.get(start + len(value) - len(value.lstrip()))
            if lo is None or any(c.isdigit() or c in "@<>()[]" for c in value):
                continue
            hi = lo + 1
            while hi < len(tokens) and tokens[hi].end <= found.end() and _joined(text, tokens[hi - 1], tokens[hi]):
                hi += 1
            words = tokens[lo:hi]
            if (
                hi - lo <= 4
                and words[-1].end == start + len(value.rstrip())
                and not any(taken[lo:hi])
                and len(words[0].key) >= 3
                and all(w.key not in NOT_NAMES and w.key not in common_words() and not w.common for w in words)
            ):
                emit(lo, hi)


def shouted_names(
    text: str, tokens: list[_Token], taken: list[bool], cues: dict[int, bool], emit: Callable[[int, int], None]
) -> None:
    """Words in capitals inside a text that is not all capitals ("Contact: RAFAL BRESSOUD"): two or
    more with a listed name among them, or one listed name with a person cue beside it; ``cues``
    are the offsets an honorific or an introduction points at."""
    n = len(tokens)
    i = 0
    while i < n:
        if taken[i] or not tokens[i].capitalized or not _shouted(text, tokens[i]):
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and j < i + 4
            and not taken[j]
            and _shouted(text, tokens[j])
            and _joined(text, tokens[j - 1], tokens[j])
        ):
            j += 1
        listed = [
            k for k in range(i, j) if tokens[k].listed and tokens[k].key not in NOT_NAMES and len(tokens[k].key) >= 3
        ]
        plain = all(
            tokens[k].key not in NOT_NAMES and tokens[k].key not in common_words() and not tokens[k].common
            for k in range(i, j)
        )
        cued = (
            PERSON_AFTER.match(text, tokens[j - 1].end) is not None
            or PERSON_BEFORE.search(text, max(0, tokens[i].start - 24), tokens[i].start) is not None
        )
        addressed = "@" in text and ADDRESS_AFTER.match(text, tokens[j - 1].end) is not None
        if j == i + 1 and _inverted_shouted(text, tokens, taken, i):
            emit(i, i + 2)  # "CHIANG, CHIA-KAI": a surname, a comma, a listed first name, in capitals
            i += 2
            continue
        if (
            ((tokens[i].start in cues or cued) and j - i >= 2 and plain)
            or (addressed and plain and len(tokens[i].key) >= 4)
            or listed
            and (j - i >= 2 and all(len(tokens[k].key) >= 2 for k in range(i, j)) or cued)
        ):
            emit(i, j)
        i = j


def past_greetings(text: str, names: list[Name], greetings: list[tuple[int, int]]) -> list[Name]:
    """``names`` less those inside a greeting ("Рақмет, ...": a greeting is no name), and each without a greeting
    it starts with, first in a sentence ("Salam I-ching" -> "I-ching": a run of capitals took both); after an
    honorific or a label the word is a name ("Mudane Salam Shaker", "Imię i nazwisko: Beste Gitler")."""
    # the greetings are apart and in order: the one a name starts in is found by bisection (each name had looked at
    # every greeting: quadratic time in a text of many short greeted lines)
    starts, out = [a for a, _ in greetings], []
    for name in names:
        k = bisect.bisect_right(starts, name.start) - 1
        if k < 0 or name.start >= greetings[k][1]:
            out.append(name)
            continue
        if name.end <= (b := greetings[k][1]):
            continue
        lead = greetings[k][0]
        while lead > 0 and text[lead - 1] in " \t":
            lead -= 1
        if lead == 0 or text[lead - 1] in ".!?\n":
            start = b
            while start < name.end and not text[start].isalnum():
                start += 1
            name = Name(start, name.end) if start < name.end else name
        out.append(name)
    return out


def _inverted_shouted(text: str, tokens: list[_Token], taken: list[bool], i: int) -> bool:
    """Whether ``tokens[i]`` and the next are a surname, a comma and a listed first name in capitals ("CHIANG,
    CHIA-KAI", "HSU, MARIA"); not a word a dictionary or the function words hold ("NOTE, MARK"), nor a place
    beside a country ("PARIS, FRANCE")."""
    if i + 1 >= len(tokens) or taken[i + 1]:
        return False
    surname, given = tokens[i], tokens[i + 1]
    return (
        text[surname.end : given.start] == ", "
        and "-" not in surname.key  # ("HELD-OUT, DEV": a heading's words)
        and _shouted(text, given)
        and given.first
        and given.listed
        and not surname.common
        and all(surname.key not in words for words in (NOT_NAMES, common_words(), vocabulary(), place_names()))
        and given.key not in place_names()
    )


def other_script_names(
    text: str, tokens: list[_Token], taken: list[bool], cues: dict[int, bool], emit: Callable[[int, int], None]
) -> None:
    """Names in scripts without capitals, and a few words of a script with capitals other than Latin (Cyrillic,
    Greek, Armenian): a run a list knows, a run beside a cue, or a few such words in a sentence of Latin letters;
    ``cues`` are the offsets an honorific or an introduction points at."""
    n = len(tokens)
    # words in a script other than Latin that has capitals (Cyrillic, Greek, Armenian)
    foreign = [False] * n if text.isascii() else [not t.caseless and not _latin(text[t.start]) for t in tokens]
    has_caseless = any(t.caseless for t in tokens) or any(foreign)
    # (words of Latin letters with their accents too, "Sê bô ...? liga-mu na"; not one letter alone, as garbled
    # text's stray letters are, nor a code's letters in capitals, "AB-799-CD")
    latin_words = (
        sum(
            1
            for t in tokens
            if not t.caseless
            and (t.key.isascii() or (len(t.key) >= 2 and all(map(_latin, t.key))))
            and not (
                2 <= t.end - t.start <= 3
                and text[t.start : t.end].isupper()
                and "-" in text[max(0, t.start - 1) : t.end + 1]
            )
        )
        if has_caseless
        else 0
    )

    # Scripts without capitals: a run of such words is a name when a list knows one of them or
    # a cue stands beside it ("ask محمد الأحمد", "יוסי כהן said", "my manager राहुल शर्मा").
    # Words of a script with capitals other than Latin are read here only as a few words embedded in
    # Latin text or beside a cue: their capitals were read above, and in a sentence of their own
    # script ("Привет, как дела") a listed word says nothing of the words around it.
    i = 0 if has_caseless else n
    while i < n:
        tok = tokens[i]
        if taken[i] or not (tok.caseless or foreign[i]):
            i += 1
            continue
        cased = foreign[i]
        j = i + 1
        # up to six words: titles come first in some languages ("جناب آقای دکتر ...", "श्री ...")
        while (
            j < n
            and j < i + (4 if cased else 6)
            and (foreign[j] if cased else tokens[j].caseless)
            and not taken[j]
            and tokens[j].key not in SCRIPT_STOP
            and _joined(text, tokens[j - 1], tokens[j])
        ):
            j += 1
        # one Han or kana character alone is a listed surname as often as a unit or a word ("合計 478 円")
        one_han = j - i == 1 and tok.end - tok.start == 1 and _cjk(text[tok.start])
        known = not cased and not one_han and any(tokens[k].first or tokens[k].last for k in range(i, j))
        cued = (
            (tok.start in cues and (tok.capitalized or not cased))  # "Привет, как дела": no name
            or PERSON_AFTER.match(text, tokens[j - 1].end) is not None
            or PERSON_BEFORE.search(text, max(0, tok.start - 24), tok.start) is not None
        )
        # a long unspaced Han, kana or Hangul run is a clause, not a name: the cue pass below reads those
        clause = any(_cjk(text[tokens[k].start]) and tokens[k].end - tokens[k].start > 4 for k in range(i, j)) or (
            han_label(text, tokens[j - 1])  # "卡號：", "持卡人：": a field's label
        )
        # In a sentence written in Latin letters, a few words in another script are, like a run of
        # capitalized words, a name (or a place or firm: redacted alike).
        embedded = latin_words >= 3 and j - i <= 4
        # one Han, kana or Hangul character between two words of another script joins them ("Tom 和 Jerry",
        # "Anna と Ben"); a replacement token (blanked to NULs) counts as such a word (a second round reads alike)
        lone = (
            one_han
            and _beside_other_script(text[: tok.start].rstrip(" \t")[-1:])
            and _beside_other_script(text[tok.end :].lstrip(" \t")[:1])
        )
        # one Hebrew or Arabic letter alone, no initial's dot after it, is no name: "ر.س" is the riyal's sign
        # ("999.30 ر.س paid"; not "ف. العريقي")
        letter = (
            j - i == 1
            and tok.end - tok.start == 1
            and "\u0590" <= text[tok.start] <= "\u08ff"
            and text[tok.end : tok.end + 1] != "."
        )
        if (known or cued or embedded) and not clause and not lone and not letter:
            emit(i, j)
        i = j


_PLACE_BEFORE = re.compile(r"(?-i:[A-Z])[^\W\d_]*[ \t]$")


def cues_in(text: str, tokens: list[_Token]) -> tuple[dict[int, bool], set[int], list[tuple[int, int]]]:
    """Where the cues of a name end in ``text``: ``{end: whether an honorific}``, the ends of honorifics
    written with a capital ("Ms", "Dr.": they name even a word in lowercase after them), and the spans of
    the greetings, thanks and labels of scripts without capitals."""
    cues: dict[int, bool] = {}
    # an honorific written with a capital ("Ms", "Dr.") names even a word in lowercase after it
    capital_honorific: set[int] = set()
    for m in HONORIFIC.finditer(text):
        if m.group().rstrip(". \t").casefold() in PLACE_WORDS and _PLACE_BEFORE.search(text, 0, m.start()):
            continue  # Turkish "Bay" ends a place's name after a capitalized word ("Fig Tree Bay Cape Greco")
        cues[m.end()] = True
        if text[m.start()].isupper():
            capital_honorific.add(m.end())
    for m in (INTRO_ANY if not text.isascii() or intro_any_hint(text) else INTRO).finditer(text):
        cues.setdefault(m.end(), False)
    if not INTRO_WORLD_WORDS.isdisjoint(t.key for t in tokens):  # other languages' honorifics and greetings
        for m in HONORIFIC_WORLD.finditer(text):
            cues[m.end()] = True
            if text[m.start()].isupper():
                capital_honorific.add(m.end())
        for m in INTRO_WORLD.finditer(text):
            cues.setdefault(m.end(), False)
    if ":" in text or "：" in text:  # a form's name field in any language ("Cognome e nome: ...")
        for m in NAME_FIELD.finditer(text):
            cues.setdefault(m.end(), False)
    if "\n" in text or "@" in text or "—" in text or "–" in text:
        for m in SIGNATURE.finditer(text):
            cues.setdefault(m.end(), False)
    if "!" in text or "?" in text:  # a line that calls out to someone ("Tenkyu tru, Aleki! ...")
        vocative_cues(text, tokens, cues)
    # a greeting, thanks or a call in a script without capitals names the run of its words after it
    cue_spans = (
        [m.span() for m in SCRIPT_INTRO.finditer(text)] + [m.span() for m in SCRIPT_INTRO_WORLD.finditer(text)]
        if not text.isascii()
        else []
    )
    for _, end in cue_spans:  # and a capitalized name after one ("مرحبا Dano، ...", "សួស្តី Kristof ...")
        if text[end : end + 1].isupper():
            cues.setdefault(end, False)
    return cues, capital_honorific, cue_spans


# ("Kyrie Dakis ..."; not "Nguyen Tuan left", "Tuan" being Malay's "sir" too; "Г-н" stays, as the records that
# write it inside the name need: examples kept out of the docstring, which the benchmark's prose set reads)
def honorific_titles(text: str, tokens: list[_Token], cues: dict[int, bool]) -> list[int]:
    """The tokens that are another language's honorific before a name (``cues`` as :func:`cues_in` gives them) and
    that a list holds as a name too: a title there, not where it follows a name. An honorific no list holds may stay
    in the name's span, as some records write it."""
    out = []
    for k, tok in enumerate(tokens):
        if (
            tok.listed
            and tok.key in INTRO_WORLD_WORDS
            and (m := HONORIFIC_WORLD.match(text, tok.start))
            and cues.get(m.end())
        ):
            before = tokens[k - 1] if k > 0 else None
            if tok.start in cues or before is None or not (before.capitalized and _joined(text, before, tok)):
                out.append(k)
    return out


def lowercase_names(text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None]) -> None:
    """A listed first name, then a word that is no common word (a surname, listed or not; not "hal safe", "delta
    image"), with particles between ("maria garcia", "ella van bragt"); or a listed first name alone at the end
    of a clause, not after a determiner ("belongs to annelie", "(lina)"; not "who is the governor", "the stack
    trace"). A rarer English word may be a surname ("olga leeds", "mateusz shawl"): it stays."""
    n = len(tokens)
    i = 0
    while i < n:
        a = tokens[i]
        if (
            taken[i]
            or a.capitalized
            or not a.listed
            or not a.first
            or len(a.key) < 3
            or _weak_lower(text, tokens, i)
            or foreign_conjunction(text, tokens, i)
        ):
            # (an unlisted word before a listed surname, "kory martin", is left: in ordinary text it
            # is as often "cursor pages" or "window marks")
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and j < i + 4
            and not taken[j]
            and not tokens[j].capitalized
            and (
                _joined(text, tokens[j - 1], tokens[j])
                # a middle initial in lowercase ("eva c. munyon")
                or (
                    j - 1 > i
                    and _lower_initial(text, tokens[j - 1])
                    and text[tokens[j - 1].end : tokens[j].start] == ". "
                )
            )
            and tokens[j].key not in NOT_NAMES
            and tokens[j].key not in common_words()
            and (tokens[j].key in PARTICLES or len(tokens[j].key) >= 3 or _lower_initial(text, tokens[j]))
            and (tokens[j].key in PARTICLES or not _weak_lower(text, tokens, j))  # "una pregunta sobre la"
            # after an initial, an English word starts what is said ("tania espinoza g. swapped shifts")
            and not (_lower_initial(text, tokens[j - 1]) and tokens[j].key in vocabulary())
        ):
            j += 1
        while j > i + 1 and (tokens[j - 1].key in PARTICLES or _lower_initial(text, tokens[j - 1])):
            j -= 1
        if j > i + 1:
            emit(i, j)
        elif (
            len(a.key) >= 4
            and re.match(r"\s*(?:[)\]]|[.!?]?\s*$)", text[a.end :])
            and DETERMINED.search(text, max(0, a.start - 24), a.start) is None
        ):
            emit(i, i + 1)
        i = j


def lowercase_single_names(
    text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None]
) -> None:
    """A listed first name that is no common word, where the words around it say a person is meant ("tell kenji
    the build is green", "fatima said"), and no determiner makes it a thing ("the stack trace is written")."""
    for i, tok in enumerate(tokens):
        if (
            taken[i]
            or tok.capitalized
            or tok.caseless
            or not tok.listed
            or not tok.first
            or len(tok.key) < 3
            or tok.key in NOT_NAMES
        ):
            continue
        if (
            PERSON_AFTER.match(text, tok.end) is not None
            or PERSON_BEFORE.search(text, max(0, tok.start - 24), tok.start) is not None
        ) and DETERMINED.search(text, max(0, tok.start - 24), tok.start) is None:  # "the stack trace is ..."
            emit(i, i + 1)
