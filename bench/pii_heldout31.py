"""HELDOUT31: the thirty-first held-out PII part (issue 9, item 8), made while HELDOUT30 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

Its names come from one package that no earlier part and no name list was built from, read from its data files
without importing it: ``smartfaker`` (a fake address and IBAN maker), whose ``data`` folder holds a file of records
per country, each with a ``person_name`` and a ``gender``, among them lands no part named, the de facto states and
disputed territories. Six are drawn, about twenty people each, split into given names by sex and family names, drawn
apart and never paired as the package pairs them (a few are famous people): Abkhazia (Abkhaz and Mingrelian surnames,
``Ardzinba``, ``Kvitsinia``), South Ossetia (``Gagloev``, ``Kokoity``), Nagorno-Karabakh (Armenian), Transnistria
(Russian), Northern Cyprus (Turkish Cypriot) and Azawad (Tuareg men ``Ag`` a father, women with Malian family names).
The forms are written here as each people writes a name: an Ossetian or Russian surname agreeing with its bearer's
sex (``Fatima Gagloeva``, from ``Gagloev``); an Abkhaz, Ossetian or Transnistrian name in Cyrillic letters in a
Cyrillic line, the surname first after a Russian form's ``ФИО`` (``Кокойты Алан``: a transliteration written here);
an Armenian father's name in the genitive (``Aram Vardani Sargsyan``); a Russian diminutive alone in a chat
(``Privet, Dima``); a Turkish Cypriot name typed without Turkish letters (``Ozturk``), or in an EDIFACT segment's
capitals; a Tuareg woman ``Walet`` (daughter of) a father, a Tuareg man's ``Ag`` name alone after ``M.``; a
catalogue's ``Family, Given``; a given name alone after a greeting. Looked at and left: ``fabrikate`` and ``phoney``
(Faker's countries), ``namecreator`` (``nameCreator``, spent), ``libfake``, ``randnamepy`` and ``deidkit`` (a few
English and Spanish names), ``nicknames`` (English nicknames), ``name-recognize`` (Russian given names, as
``russian-names`` spent), ``magyar`` (Hungarian, as ``hu-names``), ``naamkaran`` (a model), the package's other files.

Templates the other parts lack: Abkhaz (``Бзиала шәаабеит``, ``Иҭабуп``), Ossetian (``Дæ бон хорз``, ``Бузныг``),
Eastern Armenian in its script (``Բարև``, ``Հայրանուն``), Moldovan in Cyrillic letters as Transnistria writes it
(``Бунэ зиуа``, ``Мулцумеск``), Russian in Latin letters (``Privet``), Cypriot Turkish (``Napan gardaşım``), Tamasheq
(``Tanemmert``), Arabic with the number between bidi isolates (U+2066, U+2069); a Pitsunda guest house, the Simd
ensemble, a Gandzasar tour, the Sheriff fan club, a hellim order, the Festival au Désert; an HTML ``tel:`` link, a
vCard 4 ``TEL;VALUE=uri``, a ``git blame`` line, an RIS ``AU``, a MARC ``100``, ``finger`` and ``net user`` output,
ffprobe's ``artist``, a Terraform tag, an EDIFACT ``NAD``, a JSON-LD Person, an ISO 8583 log, an EMV tag dump, an
ISO 20022 card block, a DHCP lease.
Phone numbers: of Abkhazia (Russia's +7 840 and +7 940), Transnistria (Moldova's Tiraspol, Bender, Rybnița, Slobozia,
Grigoriopol and Camenca codes, IDC's mobiles), Nagorno-Karabakh (Armenia's 47 and 97), Northern Cyprus (Turkey's 392,
533, 542 and 548) and Azawad (Mali's Timbuktu, Gao and Kidal landlines, mobiles): regions the parts used least,
landlines and mobiles (written here, not by a library; each valid by ``phonenumbers`` and of the kind given here: the
test checks), in forms no part wrote: an RFC 3966 ``tel:`` URI parted by hyphens, an extension after ``доб.``,
``dahili`` or ``poste``, a number between bidi isolates in right-to-left text. A template naming a place gets its
numbers; South Ossetia's hold none.
Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, Mir's 2200 to 2204,
Troy's 9792, Amex's 34 and 37 of 15 digits), each completed by its Luhn digit, in forms of this part's own: an EMV
tag ``5A``'s eight bytes (pairs of digits), a run in an ISO 8583 field's square brackets or an ISO 20022 ``<PAN>``,
fours (Amex's 4-6-5) amid Abkhaz, Ossetian, Armenian and Cypriot Turkish words. The other types come from
``bench.pii_sets.Makers`` in the tr_TR, hy_AM and ru_RU locales (only their non-name types; the part has no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Transnistrian fiscal
receipt ``14`` + six digits (a phone's length; the test checks it is valid in none of the part's regions); an ISO
8583 retrieval reference of twelve digits, an EMV amount of six bytes and a transport card of eight pairs (card
shapes in the card's own forms, each made to fail Luhn: the test checks); a Moldovan firm's IDNO of thirteen digits,
an Armenian firm's tax number, Armenian and Moldovan ISBNs, a Turkish Cypriot firm's ``MŞ`` number and ``Mersin 10``,
a firmware version of four numbers (an IP address's shape); positions near Sukhum, Tskhinval, Stepanakert, Tiraspol,
Girne and Kidal; amounts in roubles (Russian and Transnistrian), dram, lira and CFA francs; a flight, a trolleybus, a
score. Word lines: capitalized places and institutions with no person in them, in Abkhaz, Ossetian, Armenian,
Moldovan Cyrillic, Cypriot Turkish, Tamasheq and English, some holding names of this part's own pools (Tigranakert,
Marina, Selimiye).
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, luhn_complete, nudge_luhn

# luhn_sum stays importable from here: the part's tests check its cards and negatives with it
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT31_SEED = 3131723
HELDOUT31_FAKER_LOCALES = ["tr_TR", "hy_AM", "ru_RU"]  # only their non-name types are drawn
LOCAL_REGIONS = ("RU", "MD", "AM", "TR", "ML")
# each tradition drawn, the package's file it comes from and the region whose numbers its land uses (None: none)
TERRITORIES = {
    "abkhaz": ("ra", "RU"),
    "ossetian": ("rso", None),
    "armenian": ("nkr", "AM"),
    "transnistrian": ("pmr", "MD"),
    "cypriot": ("trnc", "TR"),
    "tuareg": ("azw", "ML"),
}
TRADITIONS = tuple(TERRITORIES)
CYRILLIC = ("abkhaz", "ossetian", "transnistrian")  # whose names a Cyrillic line writes in Cyrillic letters


def _data() -> Path:
    spec = importlib.util.find_spec("smartfaker")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("HELDOUT31 needs the package 'smartfaker' (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@lru_cache(maxsize=1)
def package_names() -> frozenset[str]:
    """The full names the package's six files hold, which this part never writes (its own pairs are drawn apart)."""
    return frozenset(f"{g} {rest}" for code, _ in TERRITORIES.values() for g, rest, _ in _people(code))


def _people(code: str) -> list[tuple[str, str, str]]:
    """(given, rest, sex "m" or "f") of each record of the package's file ``code``."""
    out = []
    for record in json.loads((_data() / f"{code}.json").read_text(encoding="utf-8")):
        given, _, rest = record["person_name"].partition(" ")
        out.append((given, rest, "f" if record["gender"] == "Female" else "m"))
    return out


def masculine(family: str) -> str:
    """An Ossetian or Russian surname in a man's form (``Tskhovrebova`` gives ``Tskhovrebov``); others as given."""
    return family[:-1] if re.search(r"(?:ov|ev|in)a$", family) else family


def agreeing(family: str, sex: str) -> str:
    """``family`` (a man's form) as a woman bears it where it has a woman's form (``Gagloev``, ``Gagloeva``)."""
    return family + "a" if sex == "f" and re.search(r"(?:ov|ev|in)$", family) else family


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: each tradition's men's and women's given names and family names (an Ossetian or Russian one
    in a man's form); the Tuareg family names are the Malian ones (women's), its fathers those after ``Ag``."""
    out: dict[str, tuple[str, ...]] = {}
    for tradition, (code, _) in TERRITORIES.items():
        people = _people(code)
        for sex in "mf":
            out[f"{tradition}_{sex}"] = tuple(sorted({g for g, _, s in people if s == sex}))
        family = {masculine(rest) for _, rest, _ in people}
        if tradition == "tuareg":
            out["tuareg_fathers"] = tuple(sorted(f[3:] for f in family if f.startswith("Ag ")))
            family = {f for f in family if not f.startswith("Ag ")}
        out[f"{tradition}_family"] = tuple(sorted(family))
    return out


_CYR_LETTERS = dict(zip("abcdefghiklmnopqrstuvwyz", "абкдефгхиклмнопкрстуввйз")) | {"j": "дж", "x": "кс"}
_CYR_PAIRS = {"dzh": "дж", "kh": "х", "ts": "ц", "zh": "ж", "sh": "ш", "ch": "ч", "yu": "ю", "ya": "я", "oi": "ой"}
_CYR_RE = re.compile("|".join(sorted(_CYR_PAIRS, key=len, reverse=True)) + "|[a-z]")
_CYR_ENDS = (("ty", "ты"), ("ia", "ия"), ("ei", "ей"), ("ai", "ай"))


def cyrillic(name: str, initial_e: str = "э") -> str:
    """``name`` in Cyrillic letters, by rules written for this part's names: ``Kvaratskhelia`` gives ``Кварацхелия``,
    ``Kokoity`` ``Кокойты``, ``Valery`` ``Валерий``, ``Dzhioeva`` ``Джиоева``; a first ``e`` is ``initial_e`` (``э``
    in a Georgian or Ossetian ``Elene``, ``е`` in a Russian ``Elena``)."""
    words = []
    for word in name.lower().split(" "):
        end = next(((n, c) for n, c in _CYR_ENDS if word.endswith(n) and len(word) > 3), None)
        if end is None and len(word) > 3 and word[-1] == "y" and word[-2] not in "aeiou":
            end = ("y", "ий")
        stem, tail = (word[: -len(end[0])], end[1]) if end else (word, "")
        out = _CYR_RE.sub(lambda m: _CYR_PAIRS.get(m.group(0)) or _CYR_LETTERS[m.group(0)], stem) + tail
        words.append((initial_e + out[1:] if word.startswith("e") else out).capitalize())
    return " ".join(words)


def patronymic(father: str) -> str:
    """An Armenian father's name in the genitive, as a patronymic stands (``Vardan`` gives ``Vardani``)."""
    return father + ("yi" if father[-1] in "aeiou" else "i")


_TURKISH_FOLD = str.maketrans("ıİşŞğĞçÇöÖüÜ", "iIsSgGcCoOuU")
# the Russian diminutive a friend uses, where the pool's name has a common one
_DIMINUTIVE_PAIRS = (
    "Alexei:Lyosha Andrei:Andryusha Anna:Anya Dmitry:Dima Ekaterina:Katya Elena:Lena Irina:Ira Ivan:Vanya "
    "Mikhail:Misha Natalia:Natasha Nikolai:Kolya Olga:Olya Pavel:Pasha Sergei:Seryozha Svetlana:Sveta Tatiana:Tanya "
    "Victor:Vitya Vladimir:Volodya Yulia:Yulya"
)
_DIMINUTIVES = {name: short for name, short in (pair.split(":") for pair in _DIMINUTIVE_PAIRS.split())}

_CC = {"RU": "7", "MD": "373", "AM": "374", "TR": "90", "ML": "223"}
_EXTENSION = {"RU": "доб.", "MD": "доб.", "AM": "ext.", "TR": "dahili", "ML": "poste"}


def _national(rng: random.Random, region: str) -> str:
    """A national number, a landline or a mobile about half the time each: Abkhazia's ten digits (840 and 940),
    Transnistria's eight (its towns' codes, IDC's 77x), Nagorno-Karabakh's eight (47, 97), Northern Cyprus's ten (392;
    533, 542 and 548), Azawad's eight (Timbuktu's 2192, Gao's 2182, Kidal's 2185; mobiles)."""
    landline = rng.random() < 0.5
    if region == "RU":
        if landline:
            return "840" + rng.choice(("22", "23", "24", "26")) + _digits(rng, 5)
        return "940" + rng.choice("79") + _digits(rng, 6)
    if region == "MD":
        codes = ("533", "552", "555", "557", "210", "216") if landline else ("774", "775", "777", "778", "779")
        return rng.choice(codes) + _digits(rng, 5)
    if region == "AM":
        return ("47" + rng.choice("59") if landline else "97" + rng.choice("0123456789")) + _digits(rng, 5)
    if region == "TR":
        if landline:
            return "392" + rng.choice(("22", "23", "81", "36", "71")) + _digits(rng, 5)
        return rng.choice(("533", "542", "548")) + "8" + _digits(rng, 6)
    if landline:
        return rng.choice(("2192", "2182", "2185")) + _digits(rng, 4)
    return rng.choice(("65", "66", "70", "76", "78", "79")) + _digits(rng, 6)


def _grouped(region: str, n: str) -> str:
    """``n`` grouped as the region writes it: ``940 771-23-45``, ``533 9 12 34`` and ``779 12 345``, ``47 94 12 34``,
    ``392 228 12 34``, ``21 92 12 34``."""
    if region == "RU":
        return f"{n[:3]} {n[3:6]}-{n[6:8]}-{n[8:]}"
    if region == "MD":
        return f"{n[:3]} {n[3]} {n[4:6]} {n[6:]}" if n[0] in "25" else f"{n[:3]} {n[3:5]} {n[5:]}"
    if region == "TR":
        return f"{n[:3]} {n[3:6]} {n[6:8]} {n[8:]}"
    return f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}"


def local_phone_in(rng: random.Random, region: str | None = None, context: str = "plain") -> tuple[str, str]:
    """(region, number): an Abkhazian, Transnistrian, Karabakh, Northern Cypriot or Azawad number (``region``, or any
    when None) as people write it in ``context``: "tel" (an RFC 3966 URI's number, parted by hyphens), "ext" (with
    an office's extension after the word its land uses), "plain" (with its country code, or as dialled at home: a
    trunk 8 in Abkhazia, 0 in Transnistria, Karabakh and Northern Cyprus, none in Mali)."""
    region = region or rng.choice(LOCAL_REGIONS)
    n = _national(rng, region)
    grouped = _grouped(region, n)
    intl = f"+{_CC[region]} {grouped}"
    if context == "tel":
        return region, f"+{_CC[region]}-{grouped.replace(' ', '-')}"
    trunk = {"RU": "8 ", "ML": ""}.get(region, "0")
    plain = rng.choice([intl, trunk + grouped])
    if context == "ext":
        return region, f"{plain} {_EXTENSION[region]} {rng.randint(10, 999)}"
    return region, plain


EXTENSION = re.compile(r" (?:доб\.|dahili|poste|ext\.) \d{2,3}$")


def unextended(number: str) -> str:
    """``number`` without an extension written after it (the test reads the rest with ``phonenumbers``)."""
    return EXTENSION.sub("", number)


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 41)), 16),
    (("2200", "2201", "2202", "2203", "2204"), 16),
    (("9792",), 16),
    (("34", "37"), 15),
)


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": an ISO 8583 field, an ISO 20022
    ``<PAN>``), eight pairs of digits ("bytes": an EMV tag 5A dump; never Amex's fifteen), else fours parted by spaces
    (Amex's as 4-6-5)."""
    issuers = _ISSUERS[:-1] if context == "bytes" else _ISSUERS
    prefixes, length = rng.choice(issuers)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if context == "run":
        return number
    if context == "bytes":
        return " ".join(number[i : i + 2] for i in range(0, length, 2))
    if length == 15:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    return " ".join(number[i : i + 4] for i in range(0, length, 4))


# the words of a template that name its land: its people's names and its numbers' region
_LANDS = (
    (("Аҧсны", "Бзиала", "Иҭабуп", "Сухум", "Pitsunda", "Gagra", "Abkhazia", "Ritsa"), "abkhaz"),
    (("Цхинвал", "Ирыстон", "Дæ бон", "Бузныг", "Simd", "Tskhinval", "Nart"), "ossetian"),
    (("Բարև", "Շնորհակալ", "Հայրանուն", "Ստեփանակերտ", "Stepanakert", "Gandzasar", "Artsakh"), "armenian"),
    (("Privet", "Бунэ", "Мулцумеск", "Тираспол", "Tiraspol", "Bender", "Rybnitsa", "Sheriff"), "transnistrian"),
    (("Napan", "Girne", "Lefkoşa", "KKTC", "Kıbrıs", "hellim", "Bellapais"), "cypriot"),
    (("Tanemmert", "Kidal", "Gao", "Essakane", "تمبكتو", "Tombouctou"), "tuareg"),
)
_GREETINGS = ("Бзиала", "Иҭабуп", "Дæ бон", "Бузныг", "Բարև", "Շնորհակալ", "Privet", "Бунэ", "Napan", "Tanemmert")
_CATALOGUE = ("AU  - ", "$a ")  # a catalogue's record: Family, Given
_CHAT = ("Napan", "Ara beni")  # Cypriot Turkish typed on a phone, often without Turkish letters
_CONTEXTS = {"tel:": "tel", "office": "ext", "ofisi": "ext", "bureau": "ext", "офис": "ext"}


class Heldout31Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT31_SEED + 91)

    def tradition(self, template: str) -> str:
        """Whose name a template holds: the one whose land its words name, else one drawn."""
        for words, name in _LANDS:
            if any(w in template for w in words):
                return name
        return self.rng.choices(TRADITIONS, weights=(18, 16, 18, 16, 16, 16))[0]

    def family(self, tradition: str, sex: str, given: str) -> str:
        """A family name of ``tradition`` for a person of ``sex``: agreeing with it where it has a woman's form; a
        Tuareg man's ``Ag`` and a father (of the package's, or a man's given name), a Tuareg woman's ``Walet`` and a
        father or a Malian family name."""
        rng, pool = self.rng, pools()
        if tradition != "tuareg":
            return agreeing(rng.choice(pool[f"{tradition}_family"]), sex)
        fathers = [f for f in pool["tuareg_fathers"] + pool["tuareg_m"] if f != given]
        if sex == "m":
            return f"Ag {rng.choice(fathers)}"
        return f"Walet {rng.choice(fathers)}" if rng.random() < 0.5 else rng.choice(pool["tuareg_family"])

    def person(self, template: str = "") -> str:
        """A name of the template's tradition in a form it writes: a Tuareg man's ``Ag`` name alone after ``M.``; a
        given name alone (a Russian diminutive in a ``Privet``) after a greeting now and then; the surname first
        after ``ФИО``; ``Family, Given`` in a catalogue; an Armenian father's name in the genitive (always after
        ``Հայրանուն``); else a given name and a family name. In Cyrillic letters in a Cyrillic line (Abkhaz, Ossetian,
        Transnistrian names), in capitals without Turkish letters in an EDIFACT segment, often without them in a
        Cypriot chat."""
        rng, pool = self.rng, pools()
        tradition = self.tradition(template)
        alone_after_title = "M. {PERSON}" in template
        sex = "m" if alone_after_title else rng.choice("mf")
        given = rng.choice(pool[f"{tradition}_{sex}"])
        family = self.family(tradition, sex, given)
        while f"{given} {family}" in package_names():  # never a pair the package holds (a few are famous people)
            family = self.family(tradition, sex, given)
        if alone_after_title:
            return family
        if any(g in template for g in _GREETINGS) and rng.random() < 0.35:
            name = _DIMINUTIVES.get(given, given) if "Privet" in template else given
        elif "ФИО" in template:
            name = f"{family} {given}"
        elif any(c in template for c in _CATALOGUE):
            name = f"{family}, {given}"
        elif tradition == "armenian" and ("Հայրանուն" in template or rng.random() < 0.25):
            father = rng.choice([f for f in pool["armenian_m"] if f != given])
            name = f"{given} {patronymic(father)} {family}"
        else:
            name = f"{given} {family}"
        if tradition in CYRILLIC and re.search("[а-яА-Я]", template):
            return cyrillic(name, "е" if tradition == "transnistrian" else "э")
        if "NAD+" in template:
            return name.translate(_TURKISH_FOLD).upper()
        if tradition == "cypriot" and any(c in template for c in _CHAT) and rng.random() < 0.5:
            return name.translate(_TURKISH_FOLD)
        return name

    def phone(self, template: str = "") -> str:
        tradition = next((name for words, name in _LANDS if any(w in template for w in words)), None)
        region = TERRITORIES[tradition][1] if tradition else None
        context = next((c for words, c in _CONTEXTS.items() if words in template), "plain")
        return local_phone_in(self.rng, region, context)[1]

    def card(self, template: str = "") -> str:
        if "5A: " in template:
            return card_in(self.rng, "bytes")
        return card_in(self.rng, "run" if any(w in template for w in ("DE002 [", "<PAN>")) else "plain")


HELDOUT31_TEMPLATES = [
    "Бзиала шәаабеит, {PERSON}! Аҧсны, Гагра: {PHONE_NUMBER}",
    "Иҭабуп, {PERSON}. Аҟәа, Сухум — {PHONE_NUMBER}",
    "ФИО: {PERSON}\nг. Сухум, офис: {PHONE_NUMBER}",
    "Pitsunda guest house, Abkhazia: your host {PERSON}, {PHONE_NUMBER}",
    "Lake Ritsa jeep tour with {PERSON}; card {CREDIT_CARD} charged",
    "Дæ бон хорз, {PERSON}! Цхинвал, Ирыстон",
    "Бузныг, {PERSON}! Карта {CREDIT_CARD}, Цхинвал",
    "Simd ensemble, Tskhinval: soloists {PERSON} and {PERSON}",
    "TY  - BOOK\nAU  - {PERSON}\nTI  - Nart sagas of the Ossetians\nER  - ",
    "Բարև, {PERSON}։ Ստեփանակերտ, հեռ.՝ {PHONE_NUMBER}",
    "Շնորհակալություն, {PERSON}։ Քարտ՝ {CREDIT_CARD}",
    "Անուն, ազգանուն, Հայրանուն՝ {PERSON}",
    "Gandzasar monastery tour, Artsakh: guide {PERSON}, {PHONE_NUMBER}",
    '<a href="tel:{PHONE_NUMBER}">Call {PERSON} in Stepanakert</a>',
    "Privet, {PERSON}! Pozvoni mne v Tiraspol: {PHONE_NUMBER}",
    "Бунэ зиуа, {PERSON}! Тираспол, телефон {PHONE_NUMBER}",
    "Мулцумеск, {PERSON}! Бендер, {EMAIL_ADDRESS}",
    "Sheriff Tiraspol fan club: {PERSON}, PMR {PHONE_NUMBER}",
    "Rybnitsa cement plant, office of {PERSON}: {PHONE_NUMBER}",
    "BEGIN:VCARD\nVERSION:4.0\nFN:{PERSON}\nTEL;VALUE=uri;TYPE=cell:tel:{PHONE_NUMBER}\nNOTE:Bender\nEND:VCARD",
    "Napan gardaşım {PERSON}? Ara beni {PHONE_NUMBER}",
    "Girne limanında balıkçı {PERSON}, KKTC {PHONE_NUMBER}",
    "Lefkoşa ofisi: {PERSON}, tel. {PHONE_NUMBER}",
    "Teşekkürler {PERSON}, hellim siparişin hazır. Kart {CREDIT_CARD}",
    "Bellapais music festival: tickets held for {PERSON} ({EMAIL_ADDRESS})",
    "ffprobe:\n    title           : Kıbrıs türküsü\n    artist          : {PERSON}",
    "Tanemmert, {PERSON}! Kidal, {PHONE_NUMBER}",
    "Festival au Désert, Essakane : artiste {PERSON}, bureau {PHONE_NUMBER}",
    "مرحبا {PERSON}، اتصل بي على \u2066{PHONE_NUMBER}\u2069 في تمبكتو",
    "Gao, camion pour Kidal : chauffeur M. {PERSON}, {PHONE_NUMBER}",
    "100 1# $a {PERSON}, $e author. 245 10 $a Manuscrits de Tombouctou",
    "^3f9c2a1 ({PERSON} 2024-05-14 10:22:31 +0300 17) route = load_route()",
    "Login: guest17                          Name: {PERSON}\nDirectory: /home/guest17     Shell: /bin/bash",
    "Full Name                    {PERSON}\nComment                      field office laptop",
    'tags = {{ owner = "{PERSON}", contact = "{EMAIL_ADDRESS}" }}',
    "NAD+CN+++{PERSON}+12 KIRAZ SOKAK+GIRNE++99300'",
    '{{"@context": "https://schema.org", "@type": "Person", "name": "{PERSON}", "telephone": "{PHONE_NUMBER}"}}',
    "ISO8583 0200 DE002 [{CREDIT_CARD}] DE004 [000000015000] DE041 [TRM00417]",
    "EMV 5A: {CREDIT_CARD} 5F24: 28 12 31 (cardholder {PERSON})",
    "<Card><PAN>{CREDIT_CARD}</PAN><XpryDt>2028-12</XpryDt></Card><CardholderName>{PERSON}</CardholderName>",
    "dnsmasq-dhcp: DHCPACK(wlan0) {IP_ADDRESS} guest {PERSON}",
]
HELDOUT31_NEGATIVES = [
    "Бонул фискал № 14{zip4}{a:02d}, Тираспол",  # eight digits from 14: no number of the part's regions
    "ISO8583 0210 DE011 [000{c}] DE037 [{q}{c}{d2:02d}{zip4}{a:02d}] DE039 [00]",  # made to fail Luhn
    "EMV 9F02: 00 00 00 0{q} {a:02d} 00 5F2A: 09 49 9F1A: 07 92",  # made to fail Luhn
    "Транспорт: карта 96 43 {a:02d} {b:02d} {d:02d} {d2:02d} {m:02d} 1{q}",  # made to fail Luhn
    "IDNO 100{zip4}{c}{d2:02d}{q}, ынтреприндере дин Бендер",
    "ՀՎՀՀ 0{c}{zip4}, Ստեփանակերտ",
    "ISBN 978-9939-{c}-{a:02d}-{q}",
    "ISBN 978-9975-{c}-{a:02d}-{q}",
    "Girne, KKTC, Mersin 10 – Türkiye; MŞ {zip4} kayıtlı şirket",
    "Lefkoşa 99{c}, posta kutusu {zip4}",
    "Версиуня {a}.{b}.{c}.{q}",
    "Сухум 43.0{zip4} 41.0{c}",
    "Цхинвал 42.2{zip4} 43.9{c}",
    "Ստեփանակերտ 39.8{zip4} 46.7{c}",
    "Тираспол 46.8{zip4} 29.6{c}",
    "Girne 35.3{zip4} 33.3{c}",
    "Kidal 18.4{zip4} 1.4{c}",
    "Аҟәа: {c} ₽, 384{c}",
    "{c} руб. ПМР, Бендер",
    "{zip4} ֏, Շուշի",
    "₺{c},{b:02d} Girne hellimi",
    "Gao : {c} {zip4} F CFA le sac de mil",
    "Pegasus PC {c} Ercan – Sabiha Gökçen, koltuk {a}C",
    "Trolleybus {a} Tiraspol – Bender, {q}:{d2:02d}",
    "Sheriff Tiraspol {q} – {a} Petrocub",
]
HELDOUT31_WORD_NEGATIVES = [
    "Аҧсны Аҟәа Афон Ҿыц Рица",
    "Хуссар Ирыстон Цхинвал Лиахва",
    "Ստեփանակերտ Գանձասար Շուշի Տիգրանակերտ",
    "Тираспол Бендер Нистру Кицкань",
    "Girne Kalesi Bellapais Manastırı Selimiye Camii",
    "Sheriff Tiraspol Kvint Bender Fortress",
    "Lake Ritsa New Athos Cave Pitsunda Pines",
    "Festival au Désert Essakane Tombouctou Djinguereber",
    "Marina Girne Kyrenia Harbour Ercan Airport",
    "Dadivank Monastery Amaras Tigranakert Museum",
    "Adrar des Ifoghas Tessalit Kidal Tamasheq",
    "Nart Sagas Tskhinval Drama Theatre Liakhvi Gorge",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT31."""
    texts = (HELDOUT31_TEMPLATES, HELDOUT31_NEGATIVES, HELDOUT31_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT31_SEED,
        HELDOUT31_FAKER_LOCALES,
        Heldout31Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout31.txt",
        never_valid,
    )


_RRN = re.compile(r"DE037 \[(\d{12})\]")
_AMOUNT = re.compile(r"9F02: ((?:\d\d ){5}\d\d)")
_TRANSPORT = re.compile(r"карта ((?:\d\d ){7}\d\d)")


def never_valid(text: str) -> str:
    """``text`` with a retrieval reference, an EMV amount or a transport card that happens to pass Luhn given a last
    digit one higher (0 after 9): the shape of a card, never one."""
    return nudge_luhn(nudge_luhn(nudge_luhn(text, _RRN), _AMOUNT), _TRANSPORT)
