"""HELDOUT37: the thirty-seventh held-out PII part (issue 9, item 8), made while HELDOUT36 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (``iiyo`` and ``khmernames`` drawn by HELDOUT8, and the ones the
brief lists, each drawn or left by a part). So its names come, as the brief allows, from pools of a spent source no
part drew: ``names-dataset``'s tables (read from its data files, not imported; HELDOUT20 and 33 to 36 drew twenty other
countries), the names people wrote in South Africa and in Peru. No part drew a South African name from these tables
(HELDOUT10's were Zulu and Sotho names of another package, written in other forms) nor a Peruvian one. Of each
country's best-ranked 1,000 first and last names, those in Latin letters are kept (a South African surname with its
Dutch particles, ``Van Der Merwe``; a Peruvian given name of two words, ``Juan Carlos``), less words (``_NOT_NAMES``),
names the other table ranks higher and names a land outside the country's kin ranks twice as high (Britain's and
America's in South Africa's rows, Italy's and Brazil's in Peru's); a first name's sex is the tables'. The forms are
the lands' own and no part wrote them: an Afrikaans surname's particles in lower case after a given name or initials
(``Pieter van der Merwe``, ``Mnr. J.H. du Plessis``) and capitalized when the surname stands alone (``Mev. Van
Wyk``), a given name alone after ``Oom`` or ``Tannie``, a surname alone after Sesotho ``Ntate`` or ``Mme``; a Peruvian
married woman's ``de`` before her husband's surname (``Rosa Quispe de Huamán``), a widow's ``Vda. de``, a given name
of two words before two surnames, a surname alone after a Limeño ``causa``.

Templates the other parts lack: Afrikaans (``Baie dankie``, ``Groete``, ``Sel:``), Kaaps, Sesotho (``Lumela``,
``Kea leboha``), Peruvian Spanish and Limeño slang (``¿Qué tal, causa?``, ``chamba``); a Markdown table's row, a TOML
string, a number followed by its network's name in brackets (``082 555 1234 (Vodacom)``), a Peruvian ``anexo``
extension. Phone numbers: of South Africa (lines of Johannesburg, Pretoria, Cape Town, Durban, Gqeberha,
Bloemfontein; mobiles), Peru (lines of Lima, Arequipa, Cusco, Trujillo, Piura, Iquitos; mobiles), Lesotho and
Eswatini (lines and mobiles), regions one earlier part each wrote, in forms no part wrote: the network's name after the
number, ``anexo``, E.164 in a TOML string, a Markdown table's cell. A template naming a place gets its numbers; each is
written here, not by a library, and valid by ``phonenumbers`` as a number of its region (the test checks). Cards:
written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, Amex's 34 and 37 of 15
digits), each completed by its Luhn digit: a run in a TOML string or a Markdown table's cell, fours after Afrikaans,
Sesotho and Peruvian words. The other types come from ``bench.pii_sets.Makers`` in the zu_ZA, es_ES and en_GB
locales (only their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a loyalty card of sixteen
digits (made to fail Luhn: the test checks), a Peruvian firm's RUC of eleven digits from 20 (valid in none of the
part's regions: the test checks), a South African company's registration number, a SUNAT receipt's series and
number, postcodes, plates, positions, amounts, a bus, a flight, scores. Word lines: capitalized places, feasts and
sights with no person, in Afrikaans, Kaaps, Sesotho and Peruvian Spanish, some holding words of the pools as a
street's or a square's name (``Jan Smuts Avenue``, ``Plaza San Martín``).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from bench.pii_makers import build_with_values, issuer_card, names_dataset_tables, nudge_luhn

# luhn_sum stays importable from here: the part's tests check its cards and negatives with it
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT37_SEED = 3737373
HELDOUT37_FAKER_LOCALES = ["zu_ZA", "es_ES", "en_GB"]  # only their non-name types are drawn
NAME_COUNTRIES = ("ZA", "PE")
LOCAL_REGIONS = ("ZA", "PE", "LS", "SZ")
WINDOW = 1000  # the best-ranked first and last names looked at per country
_PARTICLES = ("Van", "Der", "Den", "De", "Du", "Le", "La", "Janse", "Del")
_WORD = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]{2,}"
_LATIN = re.compile(rf"(?:(?:{'|'.join(_PARTICLES)}) )*{_WORD}|{_WORD} {_WORD}")
# the lands whose names a land's own share: a name another land ranks twice as high is that land's
_KIN = {
    "ZA": ("ZA", "NA", "BW", "NL", "BE"),
    "PE": ("PE", "BO", "EC", "CL", "CO", "AR", "UY", "MX", "GT", "HN", "PA", "CR", "SV", "PR", "ES"),
}
# words, nicknames, titles and a country's name the tables rank among the two lands' names
_NOT_NAMES = frozenset(
    "Peru Lima Cusco Africa Mzansi Junior Baby Bebe Mama Papa Lebza Sbu Lucho Pepe Beto Tito Gaby Ale Mari Patty Lili "
    "Lizzy Solly Busi Thuli Nathi Siya Jabu Lebo Tumi Bongi Mpume Dudu Gugu Ntombi Thembi Vicky Katy Katty Dany Yuli "
    "Eli Roy Dee Ing Lic Sra Srta".split()
)
# two-word Peruvian given names the table holds that are one name and a word, not two names
_NOT_GIVEN = ("Flor De Maria",)


def _kept(name: str) -> bool:
    return bool(_LATIN.fullmatch(name)) and name not in _NOT_NAMES and name not in _NOT_GIVEN


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``{ZA,PE}_{men,women}`` (first names by sex; Peru's of one or two words) and ``{ZA,PE}_last``
    (South Africa's with their particles as the table writes them, ``Van Der Merwe``); the two tables are read once
    each and let go (``names_dataset_tables``)."""
    seen: dict[tuple[str, str], dict[str, tuple[int, int, float]]] = {}
    for kind, table in names_dataset_tables("HELDOUT37"):
        for land in NAME_COUNTRIES:
            seen[kind, land] = {
                k: (
                    v["rank"][land],
                    min((r for c, r in v["rank"].items() if c not in _KIN[land]), default=10**7),
                    (v.get("gender") or {}).get("M", 0.5),
                )
                for k, v in table.items()
                if v["rank"].get(land) and v["rank"][land] <= WINDOW
            }
        del table  # let go before the next is read
    out: dict[str, set[str]] = {}
    for (kind, land), names in seen.items():
        other = seen["last" if kind == "first" else "first", land]
        for name, (rank, foreign, share) in names.items():
            if not _kept(name) or (land == "ZA" and " " in name and name.split()[0] not in _PARTICLES):
                continue
            # a name the other table ranks higher (a surname: twice as high) is the other kind; a name a land outside
            # the kin ranks twice as high that land's
            o_rank = other.get(name, (10**7, 0, 0.5))[0]
            if o_rank < rank * (1 + (kind == "last")) or foreign * 2 < rank:
                continue
            if kind == "first":
                sex = "men" if share >= 0.8 else "women" if share <= 0.2 else ""
                if sex:
                    out.setdefault(f"{land}_{sex}", set()).add(name)
            elif " " not in name or land == "ZA":
                out.setdefault(f"{land}_last", set()).add(name)
    return {key: tuple(sorted(names)) for key, names in out.items()}


def particles(surname: str, alone: bool = False) -> str:
    """An Afrikaans surname as it is written: its particles in lower case after a given name or initials (``van der
    Merwe``, ``Janse van Rensburg``), the first capitalized where the surname stands alone (``Van der Merwe``)."""
    words = surname.split()
    out = [w.lower() if w in _PARTICLES and w != "Janse" and i < len(words) - 1 else w for i, w in enumerate(words)]
    if alone:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def initials(given: str) -> str:
    """A given name (one or two) as initials with stops and no space: ``J.H.``."""
    return "".join(f"{w[0]}." for w in given.replace("-", " ").split())


# by the place a template names: a line's region and its area code (South Africa's nine national digits after the
# trunk 0, Peru's Lima 1 + seven, a province's two + six); Lesotho's and Eswatini's numbers are of eight digits
_AREAS = {
    "Johannesburg": ("ZA", ("11",)), "Pretoria": ("ZA", ("12",)), "Kaapstad": ("ZA", ("21",)),
    "Cape Town": ("ZA", ("21",)), "Stellenbosch": ("ZA", ("21",)), "Durban": ("ZA", ("31",)),
    "Gqeberha": ("ZA", ("41",)), "Bloemfontein": ("ZA", ("51",)), "Lima": ("PE", ("1",)), "Miraflores": ("PE", ("1",)),
    "Arequipa": ("PE", ("54",)), "Cusco": ("PE", ("84",)), "Trujillo": ("PE", ("44",)), "Piura": ("PE", ("73",)),
    "Iquitos": ("PE", ("65",)), "Maseru": ("LS", ("22",)), "Mbabane": ("SZ", ("240", "241", "242")),
    "Manzini": ("SZ", ("250", "251", "252")),
}  # fmt: skip
_CODES = {"ZA": "27", "PE": "51", "LS": "266", "SZ": "268"}
_LENGTHS = {"ZA": 9, "LS": 8, "SZ": 8}  # Peru's: 9 for a mobile, 8 for Lima, 8 for a province (two + six)
_MOBILES = {
    "ZA": ("60", "61", "71", "72", "73", "74", "76", "78", "79", "81", "82", "83", "84"),
    "PE": ("9",),
    "LS": ("57", "58", "59", "62", "63"),
    "SZ": ("76", "78", "79"),
}


def _national(rng: random.Random, region: str, mobile: bool, place: str = "") -> str:
    """A national number without its trunk 0: a mobile of ``region``, or a line of ``place`` (or of one of its)."""
    if mobile:
        head = rng.choice(_MOBILES[region])
    else:
        place = place or rng.choice([p for p, (r, _) in _AREAS.items() if r == region])
        head = rng.choice(_AREAS[place][1])
    length = (9 if mobile else 8) if region == "PE" else _LENGTHS[region]
    return head + rng.choice("2345678") + _digits(rng, length - len(head) - 1)


def _grouped(region: str, n: str, mobile: bool) -> str:
    """A national number as its land writes it, without the trunk: South Africa's 2-3-4 (``82 555 1234``), Peru's
    mobile 3-3-3, Lima's 1 3-4, a province's 2 6, Lesotho's and Eswatini's 4-4."""
    if region == "ZA":
        return f"{n[:2]} {n[2:5]} {n[5:]}"
    if region == "PE":
        if mobile:
            return f"{n[:3]} {n[3:6]} {n[6:]}"
        return f"{n[0]} {n[1:4]} {n[4:]}" if n[0] == "1" else f"{n[:2]} {n[2:]}"
    return f"{n[:4]} {n[4:]}"


def local_phone_in(rng: random.Random, region: str, context: str = "plain", place: str = "") -> tuple[str, bool]:
    """(number, mobile): a number of ``region`` as people write it in ``context``: "e164" (run together after ``+``:
    a TOML string), "intl" (grouped after ``+`` and the country code), "plain" (national: South Africa's and Peru's
    with the trunk 0, ``082 555 1234``, ``01 234 5678``, ``987 654 321``); a line is of ``place`` where one is named."""
    mobile = rng.random() < 0.5
    n = _national(rng, region, mobile, place)
    if context == "e164":
        return f"+{_CODES[region]}{n}", mobile
    grouped = _grouped(region, n, mobile)
    if context == "intl":
        return f"+{_CODES[region]} {grouped}", mobile
    trunk = "0" if region == "ZA" or (region == "PE" and not mobile) else ""
    return trunk + grouped, mobile


_ISSUERS = (
    (("4",), 16), (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 37)), 16), (("34", "37"), 15),
)  # fmt: skip


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": a TOML string, a Markdown table's cell),
    fours parted by spaces ("plain"; Amex's fifteen only as a run here)."""
    return issuer_card(rng, _ISSUERS, context == "run")


_PERUVIAN = re.compile(
    r"Hola|causa|chamba|Señor|Señora|Sra\.|Estimad|Lima|Miraflores|Arequipa|Cusco|Trujillo|Piura|Iquitos|anexo|"
    r"tarjeta|Atentamente|Nombre|titular|Yape|\.pe\b"
)
_SOUTHERN = re.compile(
    r"Baie|Groete|Mnr\.|Mev\.|Oom|Tannie|Sel:|kaart|Ntate|Mme|Lumela|Kea leboha|Johannesburg|Pretoria|Kaapstad|"
    r"Cape Town|Durban|Gqeberha|Bloemfontein|Maseru|Mbabane|Manzini|\.za\b|Naam|Eienaar"
)
_GIVEN_ONLY = re.compile(r"(Oom|Tannie) \{PERSON\}")
_SURNAME_ONLY = re.compile(r"(Ntate|Mme|Mnr\.|Mev\.|causa) \{PERSON\}")
_INITIALS = ("Eienaar:", "Aan:")  # a letter's and a form's: initials and the surname


class Heldout37Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT37_SEED + 17)

    @staticmethod
    def _land(template: str) -> str:
        """The land a template's words name: "PE", "ZA" (South Africa and its two neighbours) or "" (either)."""
        return "PE" if _PERUVIAN.search(template) else "ZA" if _SOUTHERN.search(template) else ""

    def _south_african(self, sex: str, template: str) -> str:
        """A South African's name: a given name (initials in a letter or a form) and a surname, its Afrikaans
        particles in lower case."""
        rng, pool = self.rng, pools()
        given = rng.choice(pool[f"ZA_{sex}"])
        if any(w in template for w in _INITIALS):
            second = rng.choice(pool[f"ZA_{sex}"]) if rng.random() < 0.6 else ""
            given = initials(f"{given} {second}")
        return f"{given} {particles(rng.choice(pool['ZA_last']))}"

    def _peruvian(self, sex: str) -> str:
        """A Peruvian's name: a given name (of one or two words), the father's and mother's surnames (now and then
        one); a married woman's ``de`` and her husband's surname at times, a widow's ``Vda. de``."""
        rng, pool = self.rng, pools()
        given = rng.choice(pool[f"PE_{sex}"])
        first, second = rng.sample(pool["PE_last"], 2)
        roll = rng.random()
        if sex == "women" and roll < 0.3:
            husband = rng.choice([s for s in pool["PE_last"] if s not in (first, second)])
            return f"{given} {first} {'Vda. de' if roll < 0.1 else 'de'} {husband}"
        return f"{given} {first}" if roll > 0.8 else f"{given} {first} {second}"

    def person(self, template: str = "") -> str:
        """A name as the land of ``template`` writes it: a given name alone after Oom or Tannie, a surname alone after
        Ntate, Mme, Mnr., Mev. or causa (an Afrikaans one's first particle capitalized); else a full name of its
        land's forms."""
        rng, pool = self.rng, pools()
        land = self._land(template) or rng.choice(NAME_COUNTRIES)
        sex = rng.choice(("men", "women"))
        for word, men in (("Oom", True), ("Tannie", False), ("Ntate", True), ("Mme", False), ("Mnr.", True)):
            if f"{word} {{PERSON}}" in template:
                sex = "men" if men else "women"
        if any(f"{word} {{PERSON}}" in template for word in ("Mev.", "Sra.", "Señora")):
            sex = "women"
        if "Estimado {PERSON}" in template:
            sex = "men"
        if _GIVEN_ONLY.search(template):
            return rng.choice(pool[f"ZA_{sex}"])
        if _SURNAME_ONLY.search(template):
            return particles(rng.choice(pool[f"{land}_last"]), alone=True)
        return self._south_african(sex, template) if land == "ZA" else self._peruvian(sex)

    def phone(self, template: str = "") -> str:
        place = next((p for p in _AREAS if p in template), "")
        land = self._land(template)
        region = _AREAS[place][0] if place else land or self.rng.choice(("ZA", "PE"))
        if region == "ZA" and not place and ("Lumela" in template or "Kea leboha" in template):
            region = self.rng.choice(("LS", "ZA"))  # a Sesotho line: Lesotho's or South Africa's
        context = "e164" if 'phone = "{PHONE' in template else "plain"
        if context == "plain" and self.rng.random() < 0.35:
            context = "intl"
        return local_phone_in(self.rng, region, context, place)[0]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if 'card = "{' in template or "| {CREDIT_CARD} |" in template else "plain")


HELDOUT37_TEMPLATES = [
    "Baie dankie, {PERSON}! Bel my gerus by {PHONE_NUMBER}. Groete uit Pretoria",
    "Geagte Mnr. {PERSON}\nU afspraak in Bloemfontein is bevestig.\nGroete",
    "Eienaar: {PERSON}, Stellenbosch, sel {PHONE_NUMBER}",
    "Oom {PERSON} sê die braai is Saterdag in Kaapstad, sel: {PHONE_NUMBER}",
    "Tannie {PERSON} se nuwe nommer is {PHONE_NUMBER} (Vodacom)",
    "Mnr. {PERSON} het gebel oor die kaart {CREDIT_CARD}, Johannesburg",
    "Mev. {PERSON}, u kaartnommer {CREDIT_CARD} verval 09/28",
    "Aan: {PERSON}\nSel: {PHONE_NUMBER}\nAdres: Durban",
    "Lumela Ntate {PERSON}, kea leboha! Founo ea ka ke {PHONE_NUMBER}",
    "Mme {PERSON} o tla fihla Maseru hosane, {PHONE_NUMBER}",
    "Kea leboha {PERSON}, nomoro ea karete ke {CREDIT_CARD}",
    "Mbabane office: {PERSON}, {PHONE_NUMBER}",
    "Manzini branch, contact {PERSON} on {PHONE_NUMBER} (MTN)",
    "| Naam | Sel |\n| --- | --- |\n| {PERSON} | {PHONE_NUMBER} |",
    "| Nombre | Tarjeta |\n|---|---|\n| {PERSON} | {CREDIT_CARD} |",
    '[contact]\nname = "{PERSON}"\nphone = "{PHONE_NUMBER}"',
    '[billing]\nholder = "{PERSON}"\ncard = "{CREDIT_CARD}"',
    "Gqeberha depot: vra vir {PERSON}, {PHONE_NUMBER} uitbr. 12",
    "Hola {PERSON}, ¿qué tal? Llámame al {PHONE_NUMBER} (Claro)",
    "¿Qué fue, causa {PERSON}? Hay chamba en Miraflores, timbra al {PHONE_NUMBER}",
    "Señora {PERSON}, la esperamos en Arequipa. Central: {PHONE_NUMBER} anexo 2045",
    "Estimado {PERSON}:\nSu cita en Trujillo es el lunes.\nAtentamente, {PERSON}",
    "Sra. {PERSON}, su tarjeta {CREDIT_CARD} fue aprobada. Lima",
    "Titular: {PERSON} · tarjeta {CREDIT_CARD} · Cusco",
    "Nombre: {PERSON}\nCelular: {PHONE_NUMBER}\nDistrito: Piura",
    "Iquitos: paseo en bote con {PERSON}, {PHONE_NUMBER}",
    "Yape a {PERSON} por S/ 45, cualquier cosa al {PHONE_NUMBER}",
    "Lima, oficina principal: {PHONE_NUMBER} anexo 311 (atiende {PERSON})",
    "Login from {IP_ADDRESS} by {PERSON} <{EMAIL_ADDRESS}>",
    "From: {PERSON} <{EMAIL_ADDRESS}>\nSubject: factura Lima",
    "Kontak {PERSON} by {EMAIL_ADDRESS} of {PHONE_NUMBER}, Cape Town",
]
HELDOUT37_NEGATIVES = [
    "Clicks ClubCard 6{c} {zip4} {c}{q} {a:02d}{b:02d}",  # sixteen digits made to fail Luhn
    "RUC 20{c}{a:02d}{b:02d}{q}{q}, Lima",
    "Reg. nr. {year}/{c}{a:02d}{q}/07 (Edms.) Bpk.",
    "Boleta B00{q}-000{c}{q}{q}, SUNAT",
    "Posbus {c}, Stellenbosch {zip4}",
    "Lima {zip}, Perú",
    "Nommerplaat CA {c}-{a:02d}{q}",
    "Placa A{q}B-{c}, Arequipa",
    "Kaapstad -33.9{zip4} 18.4{c}",
    "Lima -12.0{zip4} -77.0{c}",
    "Maseru -29.3{zip4} 27.4{c}",
    "Prys R{c},99 BTW ingesluit",
    "S/ {c}.50 ceviche y chicha morada, Miraflores",
    "Cruz del Sur, bus {c}, asiento {a}",
    "SA {c} Johannesburg – Maseru, sitplek {a}C",
    "LA {c} Lima – Cusco, asiento {a}A",
    "Bulls {a} – {b} Stormers, Loftus",
    "Alianza Lima {q} – {q} Universitario, Matute",
    "Lêer {c}-{zip4}, Saak nr. {c}",
    "Expediente N.° {zip4}-{year}",
]
HELDOUT37_WORD_NEGATIVES = [
    "Tafelberg Kirstenbosch Bo-Kaap Kaapse Klopse Tweede Nuwejaar",
    "Jan Smuts Avenue Voortrekkermonument Uniegebou Kerkstraat",
    "Stellenbosch Franschhoek Paarl Karoo Klein Karoo Oudtshoorn",
    "Lumela! Thaba Bosiu Semonkong Morija Malealea Katse Dam",
    "Lobamba Ezulwini Incwala Umhlanga Mlilwane Sibebe",
    "Plaza San Martín Jirón de la Unión Parque Kennedy Barranco",
    "Inti Raymi Señor de los Milagros Corpus Christi Cusco",
    "Machu Picchu Sacsayhuamán Qorikancha Valle Sagrado Ollantaytambo",
    "Semana Santa Ayacucho Virgen de la Candelaria Puno",
    "Huacachina Paracas Islas Ballestas Nazca Colca Arequipa",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT37."""
    texts = (HELDOUT37_TEMPLATES, HELDOUT37_NEGATIVES, HELDOUT37_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT37_SEED,
        HELDOUT37_FAKER_LOCALES,
        Heldout37Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout37.txt",
        never_valid,
    )


_CLUBCARD = re.compile(r"ClubCard ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a loyalty card whose sixteen digits happen to pass Luhn given a last digit one higher (0 after
    9): the shape of a card, never one."""
    return nudge_luhn(text, _CLUBCARD)
