"""HELDOUT12: the twelfth held-out PII part, made because HELDOUT11's misses were studied (issue 9, item 8,
the ninth round on names); written, templates, negatives, generators, phone formats and hand cases, before
any result on it was seen and before the detector changes of that round; only its totals are printed.

Its names come from packages that no earlier part and no name list was built from, in naming customs
that no earlier part's generator wrote names in:

- ``chileanfakeinfo``'s lists: Chilean given names (one or two, some themselves two words: María José) and
  both surnames, the father's then the mother's (some of two words: San Martín, Del Valle), sometimes the
  mother's cut to an initial;
- ``indofaker``'s lists (read from its source without importing it: its package fails on import):
  Indonesian names, often one word only (as many Javanese names are), or a given name with a Javanese
  family name or a Batak clan name (marga);
- ``pyranda``'s lists: Czech given names and surnames, a woman's in -ová, declined into the vocative by
  ``vokativ`` where the sentence addresses the person (``pane`` with a man's surname, ``Milá``/``Milý``
  and ``Ahoj`` with a given name).

Names are written in templates the other parts lack (Chilean Spanish, Indonesian, Czech, Tagalog,
Mongolian and Armenian sentences in Latin letters around a name, WhatsApp-style exports, ride-hailing and
courier chats, Jira-style tickets, vCards, JSON logs, YAML, mail headers and calendar invites), sometimes
in lowercase or capitals. Phone numbers: Chilean, Czech, Mongolian, Armenian, Peruvian, Uruguayan,
Botswanan, Papua New Guinean, Kyrgyz and Trinidadian numbers as people write them (written here, not by a
library; each valid by ``phonenumbers``), or else Philippine mobile and landline numbers from the Faker
locales no part had used (en_PH, fil_PH, tl_PH: they have no ``phone_number``, so ``Makers``' own is not
asked), kept only when valid for the Philippines. IBANs are Czech, from Faker's cs_CZ (the Philippines has
no IBAN: Faker's PH ones are made up, and are not drawn); the other types from ``bench.pii_sets.Makers`` in
the Philippine locales (only their non-name types are drawn). ``data/pii/hard_heldout12.txt`` holds
hand-written hard cases (Tagalog, Cebuano, Zulu, Xhosa, Sesotho, Mongolian, Armenian, Scottish Gaelic,
Irish, Māori, Chamorro, Kyrgyz, Tajik, Turkmen, Japanese in romaji, Hmong, Basque, Sámi, Faroese, Breton,
Chilean, Czech and Indonesian names among them). Negatives: numbers that are not personal data (Chilean
boleta and folio numbers, amounts in pesos, koruny, rupiah, tögrög and dram; Czech variable symbols of 10
digits, as long as a phone number; company numbers shaped like a Czech IČO, 8 digits, which no type here
covers; Indonesian courier receipt numbers, ticket and build numbers), and lines of capitalized words that
hold no person (places, festivals, tours, transport).
"""

from __future__ import annotations

import ast
import importlib.util
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import random_digits as _digits
from bench.pii_makers import valid_phone

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT12_SEED = 523911
HELDOUT12_FAKER_LOCALES = ["en_PH", "fil_PH", "tl_PH"]  # the last Faker locales; only their non-name types
FAKER_REGIONS = ("PH",)  # their country
LOCAL_REGIONS = ("CL", "CZ", "MN", "AM", "PE", "UY", "BW", "PG", "KG", "TT")
_CHILEAN = re.compile(r"Estimad|Hola |boleta|RUT|Santiago|Ya po")
_INDONESIAN = re.compile(r"Halo Kak|Bapak|Ibu |Terima kasih|Pak |Bu |ojek|resi")
_CZECH = re.compile(r"pane |paní |Milá |Milý |Ahoj |Dobrý den|Děkujeme|objednávk")
_SCRIPT_OR_PLACE = ((_CZECH, "czech"), (_CHILEAN, "chilean"), (_INDONESIAN, "indonesian"))


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT12 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def _indofaker_names(file: str) -> list[tuple[str, str, str]]:
    """(name, gender, tribe) of each entry of one of indofaker's name lists, read from its source."""
    tree = ast.parse((_package_dir("indofaker") / "name" / file).read_text("utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and len(node.args) == 4 and isinstance(node.args[0], ast.Constant):
            gender, tribe = (ast.unparse(arg).split(".")[-1] for arg in (node.args[1], node.args[3]))
            out.append((str(node.args[0].value), gender, tribe))
    return out


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in a fixed order."""
    from chileanfakeinfo.provider import name as chilean
    from pyranda.jmenos import Jmenos
    from pyranda.prijmenis import Prijmenis

    pools: dict[str, list] = {
        "cl_male": list(chilean.menName),
        "cl_female": list(chilean.womenName),
        "cl_family": list(chilean.apellidos),
    }
    given = _indofaker_names("first_name.py")
    family = _indofaker_names("family_name.py")
    pools["id_male"] = [n for n, g, _ in given if g in ("MALE", "ALL")]
    pools["id_female"] = [n for n, g, _ in given if g in ("FEMALE", "ALL")]
    pools["id_java"] = [n for n, _, t in family if t in ("JAVA", "ALL")]
    pools["id_batak"] = [n for n, _, t in family if t == "BATAK"]
    given_cz, family_cz = Jmenos(), Prijmenis()
    pools["cz_male"] = [j.nazev for j in given_cz.jmenos1]
    pools["cz_female"] = [j.nazev for j in given_cz.jmenos2]
    pools["cz_family"] = [(p.nazev, p.nazev2) for p in family_cz.prijmenis]
    return pools


def cz_vocative(name: str, woman: bool, surname: bool) -> str:
    """``name`` (one word) in the Czech vocative, capitalized as written (``vokativ`` lowercases it)."""
    from vokativ import vokativ

    return vokativ(name, woman=woman, last_name=surname).capitalize()


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Chilean, Czech, Mongolian, Armenian, Peruvian, Uruguayan, Botswanan, Papua New
    Guinean, Kyrgyz or Trinidadian mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "CL":
        a, b = rng.choice("458") + _digits(rng, 3), _digits(rng, 4)  # ranges all assigned to mobiles
        forms = [f"+56 9 {a} {b}", f"+569{a}{b}", f"9 {a} {b}", f"(+56) 9 {a}-{b}"]
    elif country == "CZ":
        net = rng.choice(["601", "602", "603", "604", "605", "606", "607", "608", "702", "721", "775"])
        a, b = _digits(rng, 3), _digits(rng, 3)
        forms = [f"+420 {net} {a} {b}", f"{net} {a} {b}", f"+420{net}{a}{b}", f"00420 {net} {a} {b}"]
    elif country == "MN":
        net, rest = rng.choice(["88", "89", "95", "99", "91", "94", "86", "80"]), _digits(rng, 6)
        forms = [f"+976 {net}{rest[:2]} {rest[2:]}", f"{net}{rest[:2]}-{rest[2:]}", f"+976{net}{rest}"]
    elif country == "AM":
        net, rest = rng.choice(["77", "91", "93", "94", "95", "98", "99", "55", "43"]), _digits(rng, 6)
        forms = [f"+374 {net} {rest}", f"0{net} {rest[:2]} {rest[2:4]} {rest[4:]}", f"(+374) {net}-{rest}"]
    elif country == "PE":
        a, b = _digits(rng, 2), _digits(rng, 3)
        c = _digits(rng, 3)
        forms = [f"+51 9{a} {b} {c}", f"9{a} {b} {c}", f"+519{a}{b}{c}", f"9{a}-{b}-{c}"]
    elif country == "UY":
        net, a, b = rng.choice(["91", "92", "93", "94", "95", "96", "97", "98", "99"]), _digits(rng, 3), _digits(rng, 3)
        forms = [f"0{net} {a} {b}", f"+598 {net} {a} {b}", f"+598{net}{a}{b}", f"0{net}{a}{b}"]
    elif country == "BW":
        net, a, b = rng.choice(["71", "72", "73", "74", "75", "76", "77"]), _digits(rng, 3), _digits(rng, 3)
        forms = [f"+267 {net} {a} {b}", f"{net} {a} {b}", f"+267{net}{a}{b}"]
    elif country == "PG":
        net, a = rng.choice(["70", "71", "72", "73", "74", "79", "81"]), _digits(rng, 6)
        forms = [f"+675 {net}{a[:2]} {a[2:]}", f"{net}{a[:2]} {a[2:]}", f"+675{net}{a}"]
    elif country == "KG":
        net, a = rng.choice(["555", "700", "701", "705", "707", "770", "772", "777", "999"]), _digits(rng, 6)
        forms = [f"+996 {net} {a[:3]} {a[3:]}", f"0{net} {a[:2]} {a[2:4]} {a[4:]}", f"+996{net}{a}"]
    else:
        ex, b = rng.choice(["620", "678", "680", "681", "701", "716", "738", "750", "781", "795"]), _digits(rng, 4)
        forms = [f"868-{ex}-{b}", f"(868) {ex}-{b}", f"+1 868 {ex} {b}", f"1-868-{ex}-{b}"]
    return country, rng.choice(forms)


def local_phone(rng: random.Random) -> str:
    return local_phone_in(rng)[1]


class Heldout12Values:
    """Names and most phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT12_SEED + 61)
        self.pools = _pools()
        from faker import Faker

        self.czech_bank = Faker("cs_CZ")
        self.czech_bank.seed_instance(HELDOUT12_SEED + 7)

    def _pick(self, key: str) -> str:
        return self.rng.choice(self.pools[key])

    def chilean(self, template: str = "") -> str:
        rng = self.rng
        sex = "cl_female" if rng.random() < 0.5 else "cl_male"
        given = self._pick(sex)
        if rng.random() < 0.3:
            given = f"{given} {self._pick(sex)}"
        father, mother = self._pick("cl_family"), self._pick("cl_family")
        roll = rng.random()
        if roll < 0.15:
            return given
        if roll < 0.35:
            return f"{given} {father}"
        if roll < 0.5:
            return f"{given} {father} {mother[0]}."
        return f"{given} {father} {mother}"

    def indonesian(self, template: str = "") -> str:
        rng = self.rng
        female = rng.random() < 0.45
        given = self._pick("id_female" if female else "id_male")
        roll = rng.random()
        if roll < 0.35:
            return given
        if roll < 0.6:
            return f"{given} {self._pick('id_batak')}"
        if roll < 0.75:
            return f"{given} {self._pick('id_female' if female else 'id_male')} {self._pick('id_java')}"
        return f"{given} {self._pick('id_java')}"

    def czech(self, template: str = "") -> str:
        rng = self.rng
        coin = rng.random() < 0.5  # drawn each time, so that a template changes only the form
        woman = "paní " in template or "Milá " in template or (coin and "pane " not in template)
        given = self._pick("cz_female" if woman else "cz_male")
        his, hers = self.rng.choice(self.pools["cz_family"])
        family = hers if woman else his
        if "pane " in template or "paní " in template:  # the surname alone, declined: "pane Nováku"
            return cz_vocative(family, woman, True)
        if "Milá " in template or "Milý " in template or "Ahoj " in template:
            return cz_vocative(given, woman, False)
        return f"{given} {family}" if rng.random() < 0.8 else f"{family} {given}"

    def person(self, template: str = "") -> str:
        rng = self.rng
        for cue, source in _SCRIPT_OR_PLACE:
            if cue.search(template):
                return getattr(self, source)(template)
        source = rng.choices(["chilean", "indonesian", "czech"], weights=[35, 35, 30])[0]
        name = getattr(self, source)(template)
        roll = rng.random()
        if roll < 0.05:
            return name.lower()
        if roll < 0.09:
            return name.upper()
        return name

    def phone(self, template: str = "") -> str:
        """A number of this part's own formats, or else a Philippine mobile or landline number from one of
        its Faker locales that is valid there (numbers no plan issues are drawn again)."""
        if self.rng.random() < 0.75:
            return local_phone(self.rng)
        for _ in range(20):
            fake = self.rng.choice(self.makers.fakers)
            number = fake.mobile_number() if self.rng.random() < 0.6 else fake.landline_number()
            if any(valid_phone(number, region) for region in FAKER_REGIONS):
                return number
        return local_phone(self.rng)

    def iban(self, template: str = "") -> str:
        """A Czech IBAN, written whole or in groups of four."""
        value = self.czech_bank.iban()
        return value if self.rng.random() < 0.5 else " ".join(value[i : i + 4] for i in range(0, len(value), 4))


HELDOUT12_TEMPLATES = [
    "Estimada {PERSON}, su boleta fue enviada a {EMAIL_ADDRESS}.",
    "Hola {PERSON}, tu pedido llega mañana. Cualquier cosa al {PHONE_NUMBER}",
    "Cliente: {PERSON} | RUT en trámite | fono {PHONE_NUMBER}",
    "Ya po {PERSON}, nos vemos en Santiago el viernes",
    "Halo Kak {PERSON}, paket kamu sudah dikirim ya. Kurir: {PHONE_NUMBER}",
    "Terima kasih Bapak {PERSON} atas pembayarannya.",
    "Ibu {PERSON} minta dihubungi di {PHONE_NUMBER} sebelum jam 5",
    "Driver ojek: {PERSON}, plat B 4412 KJT",
    "Dobrý den, pane {PERSON}, posíláme fakturu.",
    "Vážená paní {PERSON}, Vaše objednávka je připravena.",
    "Milá {PERSON}, díky za včerejšek!",
    "Ahoj {PERSON}, zavolej mi na {PHONE_NUMBER}",
    "Děkujeme, {PERSON}. Objednávka bude doručena zítra.",
    "Salamat po, {PERSON}! Pakitawagan kami sa {PHONE_NUMBER}",
    "Sain baina uu {PERSON}, tany zahialga beleg bolloo.",
    "Barev {PERSON}, zangahari {PHONE_NUMBER} hamarov",
    "[14/03/25, 21:07:55] {PERSON}: ok see you at the station",
    "PROJ-4821 reported by {PERSON}: login page times out",
    "BEGIN:VCARD\nFN:{PERSON}\nTEL;TYPE=cell:{PHONE_NUMBER}\nEND:VCARD",
    '{{"level":"info","user":"{PERSON}","ip":"{IP_ADDRESS}","msg":"session start"}}',
    "owner: {PERSON}\ncontact: {EMAIL_ADDRESS}",
    "From: {PERSON} <{EMAIL_ADDRESS}>\nSubject: invoice",
    "Invitation: sync with {PERSON} @ Tue 10:00 - 10:30",
    "Your driver {PERSON} is 2 minutes away",
    "Paid with card {CREDIT_CARD} by {PERSON}",
    "IBAN {IBAN_CODE} (account holder {PERSON})",
    "{PERSON} signed in from {IP_ADDRESS}",
    "Employee {PERSON}, SSN {US_SSN}, start date pending",
    "pls call {PERSON} back on {PHONE_NUMBER} asap",
    "{PERSON} and {PERSON} swapped shifts on Friday.",
    "card {CREDIT_CARD} flagged; notify {EMAIL_ADDRESS}",
    "firewall dropped {IP_ADDRESS} (rate limit)",
    "cc: {PERSON}, {PERSON}",
    "Approved by {PERSON} on behalf of the board",
]
HELDOUT12_NEGATIVES = [
    "Boleta electrónica N° {long}, total ${c}.{b:02d}0",
    "Folio {order}, emitido el {d}-{m}-{year}",
    "Variabilní symbol {c}{zip}{a:02d}, částka {c} Kč",
    "IČO {order:08d}, DIČ nepřiděleno",
    "No. Resi JNE {long}, ongkir Rp {c}.000",
    "Total Rp {c}.{b:02d}0 untuk {q} barang",
    "Tölbör {c} {b:02d}0 ₮, guilgee #{order}",
    "Gin {c} {b:02d}0 dram, kvitancia {order}",
    "ticket PROJ-{order} moved to Done after {a} days",
    "build {year}{m:02d}{d:02d}.{c} deployed to {q} regions",
    "order {long} shipped {d}/{m}/{year}, {q} parcels",
    "route {a}, platform {q}, departs {m}:{d:02d}",
]
HELDOUT12_WORD_NEGATIVES = [
    "Torres del Paine Trekking Permit",
    "Cerro Alegre Funicular Timetable",
    "Valle Nevado Ski Pass {year}",
    "Karlštejn Castle Night Tours",
    "Prague Spring Festival Tickets",
    "Český Krumlov Boat Rental",
    "Borobudur Sunrise Tour Package",
    "Danau Toba Ferry Schedule",
    "Naadam Festival Archery Finals",
    "Gandan Monastery Visitor Center",
    "Geghard Monastery Shuttle Bus",
    "Intramuros Walking Tour",
    "Banaue Rice Terraces Hike",
    "Okavango Delta Mokoro Trip",
    "Issyk Kul Yurt Camp",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT12."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT12_SEED, HELDOUT12_FAKER_LOCALES, [])
    values = Heldout12Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    makers.IBAN_CODE = values.iban  # type: ignore[method-assign]
    texts = (HELDOUT12_TEMPLATES, HELDOUT12_NEGATIVES, HELDOUT12_WORD_NEGATIVES)
    return pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout12.txt")
