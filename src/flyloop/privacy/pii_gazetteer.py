"""Places whose names are two words or more (``pii_gazetteer.txt.gz``, built by ``scripts/build_pii_gazetteer.py``
from GeoNames' cities, countries and US states): a run of capitalized words that such names cover is a place, or a
list of places, not a person. The name detector's runs and the spans spaCy calls a person are both read against
it. Cantonese districts are written with the syllables Cantonese given names are, and the name lists cannot tell
them apart; nor can the shape of a run."""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

_LONGEST = 5
# a word of a place's name: letters, an apostrophe or a hyphen inside ("Kowloon City", "Tseung Kwan O")
_PLACE_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def place_key(words: Iterable[str]) -> str:
    """Words as the gazetteer keys them: casefolded, without accents, joined by one space."""
    folded = unicodedata.normalize("NFKD", " ".join(words).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """The places' names, as :func:`place_key` writes them."""
    path = resources.files("flyloop.privacy").joinpath("pii_gazetteer.txt.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return frozenset(line.rstrip("\n") for line in fh if line.strip())


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return place_key([word])


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """Every word of the places' names: a span with none of them inside is no place, read no further."""
    return frozenset(word for key in gazetteer() for word in key.split())


def place_cover(text: str, start: int, end: int) -> bool:
    """Whether the words of ``text[start:end]`` are a place's name, or a list of places: every word inside the name
    of a place the capitalized words around it spell, or two such names or more covering two words in three of it
    (an item of the list the gazetteer lacks between them)."""
    if not any(_word_key(w) in _place_words() for w in _PLACE_WORD.findall(text, start, end)):
        return False
    lo = max(0, start - 48)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    words = list(_PLACE_WORD.finditer(text, lo, min(len(text), end + 48)))
    keys = [_word_key(w.group()) for w in words]
    inside = {k for k, w in enumerate(words) if start <= w.start() and w.end() <= end}
    if not inside:  # a word the span holds only a part of ("Jordan" of "Jordan’s")
        return False
    # where capitalized words one space apart start a run: no place's name crosses another mark or a lowercase word
    joined = [
        w.group()[0].isupper() and k + 1 < len(words) and text[w.end() : words[k + 1].start()] == " "
        for k, w in enumerate(words)
    ]
    covered: set[int] = set()
    places = 0  # the names of places that hold a word of the span
    k = 0
    while k < len(words):
        found = 0
        for n in range(min(_LONGEST, len(words) - k), 1, -1):
            if (
                all(joined[k : k + n - 1])
                and words[k + n - 1].group()[0].isupper()
                and " ".join(keys[k : k + n]) in gazetteer()
            ):
                found = n
                break
        if found:
            covered.update(range(k, k + found))
            places += not inside.isdisjoint(range(k, k + found))
        k += found or 1
    held = len(inside & covered)
    return held == len(inside) or (places >= 2 and 3 * held >= 2 * len(inside))
