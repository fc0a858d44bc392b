"""HELDOUT10: the tenth held-out PII part, made because HELDOUT9's misses were studied (issue 9, item 8,
the seventh round on names); written, templates, negatives, generators, phone formats and hand cases, before
any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from packages that no earlier part and no name list was built from, in naming customs that
no earlier part's generator wrote names in:

- ``niafaker``'s locales for Ghana, Kenya, Tanzania, Uganda, Rwanda, South Africa and Morocco: Akan,
  Kikuyu, Luo, Kalenjin, Swahili, Ganda, Kinyarwanda, Zulu, Sotho and Moroccan given names and surnames
  (a Christian or Muslim given name before a local one in East Africa, the surname first in Rwanda);
- ``icelander-generator``'s list: Icelandic given names with their genitives, from which a patronymic
  or a matronymic is made (``Jónsdóttir``, ``Hallgrímsson``), sometimes with a second given name;
- ``faker-persona-mx``'s datasets: Mexican given names and surnames (the first thousand of each list),
  one or two given names and the father's then the mother's surname;
- ``bg-test-data``'s lists: Bulgarian given names and surnames in Cyrillic, with a patronymic made from a
  father's name and a woman's surname in its feminine form;
- ``si-person-maker``'s lists: Slovenian given names and surnames.

Names are written in templates the other parts lack (Swahili, Kinyarwanda, Zulu, Twi, Icelandic, Spanish,
Bulgarian, Slovenian and Moroccan French sentences around a name, mobile-money receipts, WhatsApp exports,
JSON and key=value log fields, support tickets, sign-up forms, mail signatures), sometimes in lowercase or
capitals (Latin only). Phone numbers: Kenyan, Ghanaian, Tanzanian, Ugandan, Rwandan, South African,
Moroccan, Icelandic, Mexican, Bulgarian, Slovenian and Philippine numbers as people write them (written
here, not by a library), or else from ``bench.pii_sets.Makers`` in the Faker locales no other part uses,
with this part's seed; the other types from ``Makers``. ``data/pii/hard_heldout10.txt`` holds hand-written
hard cases (Scottish and Irish Mac/Ó/Ní forms, Dutch tussenvoegsels, Filipino, Maori, Mongolian, Armenian
and Georgian names among them). Negatives: numbers that are not personal data (mobile-money transaction
codes and till numbers, invoice folios, amounts in shillings, cedis, krónur, pesos, leva and dirhams, USSD
codes, meter and build numbers as long as a phone number), and lines of capitalized or Cyrillic words that
hold no person (places, events, services, teams).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT10_SEED = 846213
HELDOUT10_FAKER_LOCALES = ["de", "dk_DK", "en_MS", "la"]  # the last locales no part used; most fall back to en_US
AFRICAN = ("gh", "ke", "tz", "ug", "rw", "za", "ma")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ICELANDIC = re.compile(r"Góðan dag|Kveðja")
_MEXICAN = re.compile(r"Estimad|Atentamente|Atendió|Titular|Saludos")
_SLOVENIAN = re.compile(r"Spoštovan|Lep pozdrav|Prejemnik")
_SWAHILI = re.compile(r"Habari|Asante|Ndugu|M-PESA|Bwana")
_RWANDAN = re.compile(r"Muraho|Murakoze")
_ZULU = re.compile(r"Sawubona|Ngiyabonga")
_GHANAIAN = re.compile(r"Akwaaba|Medaase|MoMo")
_MOROCCAN = re.compile(r"Bonjour|Cordialement")
_SCRIPT_OR_PLACE = (
    (_CYRILLIC, "bulgarian"),
    (_ICELANDIC, "icelandic"),
    (_MEXICAN, "mexican"),
    (_SLOVENIAN, "slovenian"),
    (_SWAHILI, "ke"),
    (_RWANDAN, "rw"),
    (_ZULU, "za"),
    (_GHANAIAN, "gh"),
    (_MOROCCAN, "ma"),
)


def _data(package: str, *path: str) -> Path:
    """A data file shipped inside ``package``, found without importing it (faker-persona-mx's and
    icelander-generator's own imports need packages this part has no use for)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT10 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)), *path)


def _column(package: str, *path: str, limit: int) -> list[str]:
    text = _data(package, *path).read_text(encoding="utf-8")
    rows = [row["tokens"].strip() for row in csv.DictReader(io.StringIO(text))]
    return [w.capitalize() for w in rows[:limit] if w.isalpha()]


def bg_patronymic(father: str, female: bool) -> str:
    """A Bulgarian patronymic from a father's given name (Георги -> Георгиев, Петър -> Петров, Николай ->
    Николаев, Христо -> Христов), in a woman's form with a final -а."""
    if father.endswith("й"):
        stem, suffix = father[:-1], "ев"
    elif father.endswith("и"):
        stem, suffix = father, "ев"
    elif father[-1] in "аеоуъюя":
        stem, suffix = father[:-1], "ов"
    elif father.endswith("ър"):
        stem, suffix = father[:-2] + "р", "ов"
    else:
        stem, suffix = father, "ов"
    return stem + suffix + ("а" if female else "")


def bg_feminine(surname: str) -> str:
    """A Bulgarian surname in its woman's form (Иванов -> Иванова); one in -ски takes -ска."""
    return surname[:-1] + "а" if surname.endswith("и") else surname + "а"


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in a fixed order."""
    from bg_test_data._data.first_names_female import FEMALE_FIRST_NAMES
    from bg_test_data._data.first_names_male import MALE_FIRST_NAMES
    from bg_test_data._data.last_names import LAST_NAME_BASES
    from si_person_maker import data as slovenian

    pools: dict[str, list] = {}
    for country in AFRICAN:
        person = json.loads(_data("niafaker", "locales", country, "person.json").read_text(encoding="utf-8"))
        pools[f"{country}_given"] = person["male_first_names"] + person["female_first_names"]
        pools[f"{country}_family"] = person["last_names"]
    icelandic = json.loads(_data("icelander_generator", "data", "icelandic_names.json").read_text(encoding="utf-8"))
    for sex in ("male", "female"):  # (name, genitive); of two genitives ("Auðuns/Auðunar", "Sigvarðar eða
        pools[f"is_{sex}"] = [  # Sigvarðs") the first, a name without its note ("Kort (mannsnafn)": a man's)
            (name.split(" (")[0], re.split(r"/| eða ", genitive)[0].strip()) for name, genitive in icelandic[sex]
        ]
    datasets = ("data", "datasets")
    pools["mx_given"] = _column("faker_persona_mx", *datasets, "nombres.csv", limit=1000)
    pools["mx_family"] = _column("faker_persona_mx", *datasets, "apellidos_maternos.csv", limit=1000)
    pools["bg_male"], pools["bg_female"] = list(MALE_FIRST_NAMES), list(FEMALE_FIRST_NAMES)
    pools["bg_family"] = list(LAST_NAME_BASES)
    pools["si_given"], pools["si_family"] = list(slovenian.first_name), list(slovenian.last_name)
    return pools


def local_phone(rng: random.Random) -> str:
    """A Kenyan, Ghanaian, Tanzanian, Ugandan, Rwandan, South African, Moroccan, Icelandic, Mexican,
    Bulgarian, Slovenian or Philippine number as people write it."""
    country = rng.choice(["ke", "gh", "tz", "ug", "rw", "za", "ma", "is", "mx", "bg", "si", "ph"])
    if country in ("ke", "tz", "ug", "rw"):
        code, net = {
            "ke": ("254", ["712", "722", "733", "798", "110"]),
            "tz": ("255", ["754", "765", "713", "784"]),
            "ug": ("256", ["772", "701", "752", "782"]),
            "rw": ("250", ["788", "783", "722", "735"]),
        }[country]
        n, a, b = rng.choice(net), _digits(rng, 3), _digits(rng, 3)
        return rng.choice(
            [f"0{n} {a} {b}", f"+{code} {n} {a}{b}", f"+{code}{n}{a}{b}", f"0{n}{a}{b}", f"{code}{n}{a}{b}"]
        )
    if country == "gh":
        n, a, b = rng.choice(["24", "54", "20", "27"]), _digits(rng, 3), _digits(rng, 4)
        return rng.choice([f"0{n} {a} {b}", f"+233 {n} {a} {b}", f"0{n}-{a}-{b}", f"(+233) {n}{a}{b}"])
    if country == "za":
        n, a, b = rng.choice(["82", "83", "72", "61"]), _digits(rng, 3), _digits(rng, 4)
        return rng.choice([f"0{n} {a} {b}", f"+27 {n} {a} {b}", f"+27 (0){n} {a} {b}", f"0{n}{a}{b}"])
    if country == "ma":
        n, pairs = rng.choice(["6", "7"]), [_digits(rng, 2) for _ in range(4)]
        return rng.choice([f"0{n} {' '.join(pairs)}", f"+212 {n} {' '.join(pairs)}", f"+212 {n}{''.join(pairs)}"])
    if country == "is":
        a, b = rng.choice(["6", "7", "8", "5"]) + _digits(rng, 2), _digits(rng, 4)
        return rng.choice([f"+354 {a} {b}", f"{a} {b}", f"{a}-{b}", f"(+354) {a}{b}"])
    if country == "mx":
        area, a, b = rng.choice(["55", "33", "81", "222"]), _digits(rng, 4), _digits(rng, 4)
        if len(area) == 3:
            a = a[1:]
        return rng.choice([f"{area} {a} {b}", f"+52 {area} {a} {b}", f"+52 1 {area} {a} {b}", f"({area}) {a}-{b}"])
    if country == "bg":
        n, a, b = rng.choice(["88", "87", "89", "98"]), _digits(rng, 3), _digits(rng, 4)
        return rng.choice(
            [f"0{n} {a} {b}", f"+359 {n} {a} {b}", f"+359{n}{a}{b}", f"0{n}{a[0]} {a[1:]}{b[:1]} {b[1:]}"]
        )
    if country == "si":
        n, a, b = rng.choice(["31", "41", "40", "51"]), _digits(rng, 3), _digits(rng, 3)
        return rng.choice([f"0{n} {a} {b}", f"+386 {n} {a} {b}", f"+386 (0){n} {a} {b}", f"0{n}/{a}-{b}"])
    n, a, b = rng.choice(["917", "918", "927", "999"]), _digits(rng, 3), _digits(rng, 4)
    return rng.choice([f"0{n} {a} {b}", f"+63 {n} {a} {b}", f"0{n}-{a}-{b}", f"+63{n}{a}{b}", f"(02) 8{a} {b}"])


class Heldout10Values:
    """Names and most phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.faker_phone = makers.PHONE_NUMBER
        self.rng = random.Random(HELDOUT10_SEED + 47)
        self.pools = _pools()

    def _pick(self, key: str) -> str:
        return self.rng.choice(self.pools[key])

    def african(self, country: str) -> str:
        rng, given, family = self.rng, self._pick(f"{country}_given"), self._pick(f"{country}_family")
        roll = rng.random()
        if roll < 0.15:
            return given
        if roll < 0.35 and country in ("ke", "tz", "ug", "rw"):  # a baptismal name before a local one
            given = f"{self._pick(f'{country}_given')} {given}"
        if country == "rw" and rng.random() < 0.4:
            return f"{family} {given}"
        return f"{given} {family}"

    def icelandic(self) -> str:
        rng = self.rng
        female = rng.random() < 0.5
        given = rng.choice(self.pools["is_female" if female else "is_male"])[0]
        if rng.random() < 0.15:
            return given
        if rng.random() < 0.25:
            given = f"{given} {rng.choice(self.pools['is_female' if female else 'is_male'])[0]}"
        parent = rng.choice(self.pools["is_female" if rng.random() < 0.1 else "is_male"])[1]
        return f"{given} {parent}{'dóttir' if female else 'son'}"

    def mexican(self) -> str:
        rng = self.rng
        given = self._pick("mx_given")
        if rng.random() < 0.3:
            given = f"{given} {self._pick('mx_given')}"
        if rng.random() < 0.3:
            return f"{given} {self._pick('mx_family')}"
        return f"{given} {self._pick('mx_family')} {self._pick('mx_family')}"

    def bulgarian(self) -> str:
        rng = self.rng
        female = rng.random() < 0.5
        given = self._pick("bg_female" if female else "bg_male")
        roll = rng.random()
        if roll < 0.15:
            return given
        family = self._pick("bg_family")
        family = bg_feminine(family) if female else family
        if roll < 0.4:
            return f"{given} {bg_patronymic(self._pick('bg_male'), female)} {family}"
        return f"{given} {family}"

    def slovenian(self) -> str:
        return f"{self._pick('si_given')} {self._pick('si_family')}"

    def _make(self, source: str) -> str:
        if source in AFRICAN:
            return self.african(source)
        return {
            "icelandic": self.icelandic,
            "mexican": self.mexican,
            "bulgarian": self.bulgarian,
            "slovenian": self.slovenian,
        }[source]()

    def person(self, template: str = "") -> str:
        rng = self.rng
        for cue, source in _SCRIPT_OR_PLACE:
            if cue.search(template):
                name = self._make(source)
                return name.upper() if "M-PESA" in template else name  # as the receipts print it
        source = rng.choices(
            [*AFRICAN, "icelandic", "mexican", "bulgarian", "slovenian"],
            weights=[8, 10, 7, 7, 7, 8, 7, 14, 16, 6, 10],
        )[0]
        name = self._make(source)
        if _CYRILLIC.search(name):
            return name
        roll = rng.random()
        if roll < 0.05:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        if self.rng.random() < 0.7:
            return local_phone(self.rng)
        return self.faker_phone(template)


HELDOUT10_TEMPLATES = [
    "12/03/2025, 21:14 - {PERSON}: nimefika, niko getini",
    "QK41XR7T2M Confirmed. Ksh1,250.00 sent to {PERSON} {PHONE_NUMBER} on 3/4/25 at 6:12 PM. New M-PESA balance is "
    "Ksh3,410.00.",
    "Habari {PERSON}, mzigo wako umefika ofisini.",
    "Asante sana Bwana {PERSON} kwa msaada wako.",
    "Muraho {PERSON}, ubutumwa bwawe twabubonye.",
    "Sawubona {PERSON}, sicela usishayele ku-{PHONE_NUMBER}",
    "Akwaaba {PERSON}! Your MoMo number {PHONE_NUMBER} is now verified.",
    "Bonjour {PERSON}, votre colis de 320 dirhams est arrivé.",
    "Góðan daginn {PERSON}, pöntunin þín er tilbúin.",
    "Kveðja,\n{PERSON}\nsími {PHONE_NUMBER}",
    "Estimada {PERSON}: su cita quedó confirmada.",
    "Atendió: {PERSON} | Tel. {PHONE_NUMBER}",
    "Titular de la cuenta: {PERSON}, CLABE en trámite",
    "Здравейте, {PERSON}! Поръчката ви е изпратена.",
    "За контакт: {PERSON}, тел. {PHONE_NUMBER}",
    "Spoštovani {PERSON}, vaše naročilo je bilo odposlano.",
    "Lep pozdrav,\n{PERSON}",
    '{{"customer": "{PERSON}", "msisdn": "{PHONE_NUMBER}", "email": "{EMAIL_ADDRESS}"}}',
    'level=info msg="password reset" user="{PERSON}" ip={IP_ADDRESS}',
    "Ticket #4471 opened by {PERSON} <{EMAIL_ADDRESS}>",
    "Full name: {PERSON}\nMobile: {PHONE_NUMBER}\nEmail: {EMAIL_ADDRESS}",
    "Reviewed-by: {PERSON}",
    "Minutes taken by {PERSON}; apologies from {PERSON}.",
    "Driver {PERSON} is 4 minutes away.",
    "Pay {PERSON} via {IBAN_CODE} before Friday",
    "Card {CREDIT_CARD} was added by {PERSON}",
    "{PERSON} joined the group using this device's invite link",
    "HR file for {PERSON}, SSN {US_SSN}",
    "Best,\n{PERSON}\n{PHONE_NUMBER}",
    "ok will tell {PERSON} to call u",
    "Booked for 2: {PERSON} and {PERSON}",
    "send the invoice to {EMAIL_ADDRESS}, attn {PERSON}",
    "charge {CREDIT_CARD}, ship to the address on file",
    "from {IP_ADDRESS}: 3 failed logins",
]
HELDOUT10_NEGATIVES = [
    "QF{zip4}XK{b:02d} Confirmed. Ksh{c},{b:02d}0.00 paid to till {order}. New M-PESA balance Ksh{a},{c}.00",
    "Dial *{c}*{a}# to check your balance",
    "Reikningur nr. {order}, samtals {c}.{zip4} kr.",
    "Folio {long}, total ${c},{b:02d}.00 MXN, CP {zip}",
    "Фактура № {long}, сума {c},{b:02d} лв.",
    "Račun št. {order}-{year}, znesek {c},{b:02d} EUR",
    "GH₵{c}.{b:02d} received, ref {long}",
    "Commande n° {long}, total {c},{b:02d} DH",
    "meter no. {long}, tokens {a}.{b} kWh",
    "build {year}.{m:02d}.{d:02d}.{c} failed on step {q}",
    "boda fare TSh {c},000 from stage {a}",
    "gate {a}, row {b}, seat {q}{q}, kickoff {d}/{m}/{year}",
]
HELDOUT10_WORD_NEGATIVES = [
    "Kenyatta International Convention Centre",
    "Kilimanjaro Marangu Route Gate Fees",
    "Lake Victoria Ferry Schedule",
    "Table Mountain Aerial Cableway Closed",
    "Jemaa el-Fnaa Night Market",
    "Kigali Convention Centre Parking",
    "Accra Mall Black Friday Deals",
    "Reykjavík Harbour Whale Watching",
    "Þingvellir National Park Visitor Centre",
    "Ciudad de México Metro Línea {q}",
    "Feria Nacional de San Marcos {year}",
    "Национален дворец на културата",
    "Рилски манастир Работно време",
    "Ljubljana Castle Funicular Tickets",
    "Mombasa Road Traffic Update",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT10."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT10_SEED, HELDOUT10_FAKER_LOCALES, [])
    values = Heldout10Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    texts = (HELDOUT10_TEMPLATES, HELDOUT10_NEGATIVES, HELDOUT10_WORD_NEGATIVES)
    return pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout10.txt")
