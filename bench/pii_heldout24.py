"""HELDOUT24: the twenty-fourth held-out PII part, made because HELDOUT23's misses were studied (issue 9, item 8,
the twenty-first round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from two packages that no earlier part and no name list was built from, each giving given names
and surnames, read from their data files without importing them: ``pt-name-gen`` (Brazilian given names,
``first_names.csv``, 519983 of them marked M or F in capitals without accents, and ``last_names.csv``, 585
surname forms such as ``DE MEDEIROS`` or ``CLARA DA CRUZ``, a middle name and a surname, as the package joins
them) and ``genderdetectfrance`` (a French-Swiss gender guesser whose module holds ``prenume``, 55787 given
names of many origins as written in Switzerland and France, and ``GLB_lastNames``, 86078 surnames; those of
letters, hyphens, apostrophes and single spaces are drawn). Names are written as people write them: in mixed
case with Portuguese and Romance particles in lower case (``Gleibison de Melo``, ``Louis-Marie Ottaviani``), all
in capitals in a Brazilian form's ``NOME`` field, and surname first in capitals in a Swiss or French register
(``GRIMEISEN Luisella``). The other packages looked at and left: ``korname-generator`` (its module has
``korean-name-generator``'s name, which HELDOUT6 holds), ``random-names-spanish`` (reads a CSV it does not
ship), ``generator-names`` (Russian and US lists, as those spent), ``names-translator`` (DAWG files, Ukrainian),
``nameseer`` and ``indonamegender`` (models, no lists), ``nameutils`` (surname lists for case rules).

Templates the other parts lack: a Pix transfer receipt, a WhatsApp message in Brazilian Portuguese, a SUS card
form, a condominium notice, a NOME COMPLETO form, a Swiss Gemeinde register (Name, Vorname), a Romansh and a
Swiss Italian line, a French Guiana prefecture appointment, a Guadeloupe and Martinique creole chat, a Mayotte
line in Shimaore, a Cuban ``carné`` line, a Khmer-script chat, a Palestinian and a Syrian Arabic line, a Sango
greeting (Central African Republic), Dominican and Vincentian creole, a Nauruan greeting, a Git commit trailer,
a Kubernetes audit line, an iCalendar ATTENDEE, a LDAP DN.
Phone numbers: mobile numbers of French Guiana, Guadeloupe, Martinique, Mayotte, Cuba, Cambodia, Palestine,
Syria, the Central African Republic, Dominica, Saint Vincent and Nauru as people write them (written here, not by
a library; each valid by ``phonenumbers`` and a mobile number of its region: the test checks). Cards: written
here from issuers' prefixes (Elo's 636368, 504175, 650031 to 650033, 509 and 4389 35, Mir's 2200 to 2204,
Troy's 9792, Diners' 36 of 14 digits, UATP's 1 of 15 digits, Discover's 6011, Maestro's 6759), each completed by
its Luhn digit, in forms of this part's own: fours parted by dots, fours parted by narrow no-break spaces
(U+202F, French typography), fours parted by two spaces (as pasted from a PDF), Diners' 4-6-4 and UATP's 4-5-6.
The other types come from ``bench.pii_sets.Makers`` in the pt_BR, de_DE and fr_FR locales (only their non-name
types are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a shipment number
``0599 8`` + six digits (a Palestinian mobile number's prefix with one digit too many: the test checks it is valid
in none of the part's regions); a Dominica licence ``767-1`` + two digits + four (a NANP number's shape, an
exchange beginning with 1, so never valid: the test checks); a tracking code of 16 digits in dotted fours and a
loyalty number in fours (card shapes; each made to fail Luhn: the test checks); a file reference ``CH`` + two
digits + seventeen digits in groups (a Swiss IBAN's shape; check digits that would pass mod-97 are moved by one:
the test checks); a Brazilian NF-e access key (44 digits in elevens of four), a boleto's typed line (47 digits)
and a Swiss QR-bill reference (27 digits), real shapes of documents, not of people; a company's CNPJ and a Swiss
UID (firms, not people); an SNMP OID ``2.16.{a}.{b}``, a build ``4.{a}.{c}.{b}`` and a rule ``7.{a}.{b}.{q}``
(an IP address's shape); coordinates near Cayenne, Fort-de-France, Mamoudzou, Havana, Phnom Penh, Ramallah,
Damascus, Bangui, Roseau, Kingstown and Yaren; amounts in reais, Swiss francs (``1'234.50``), euros, Cuban
pesos, riels, shekels, Syrian pounds and Australian dollars.
Word lines: capitalized feasts, places and fairs with no person in them, in Brazilian Portuguese, Swiss German,
Romansh, Guianese Creole, Guadeloupean Creole, Shimaore, Cuban Spanish, Khmer (in its script), Palestinian
Arabic, Sango, Dominican Kwéyòl and Nauruan, none of whose words are drawn as names here, some holding words
that are names elsewhere (São João, Santa Clara, Saint-Georges, Sankt Gallen, Kingstown).
"""

from __future__ import annotations

import ast
import csv
import importlib.util
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

HELDOUT24_SEED = 2424113
HELDOUT24_FAKER_LOCALES = ["pt_BR", "de_DE", "fr_FR"]  # only their non-name types are drawn
LOCAL_REGIONS = ("GF", "GP", "MQ", "YT", "CU", "KH", "PS", "SY", "CF", "DM", "VC", "NR")
_PT_NAME = re.compile(r"[A-ZÁÂÃÉÊÍÓÔÕÚÇ]{3,}")
_PT_SURNAME = re.compile(r"[A-ZÁÂÃÉÊÍÓÔÕÚÇ']+(?: [A-ZÁÂÃÉÊÍÓÔÕÚÇ']+)*")
_CH_WORD = re.compile(r"[A-Z]{2,}(?:['-][A-Z]{2,})*(?: [A-Z]{2,}(?:['-][A-Z]{2,})*)*")
_PARTICLES = {"de", "da", "do", "das", "dos", "e", "di", "del", "della", "la", "le", "van", "von", "der", "den"}


def _spec_path(module: str, package: str) -> Path:
    """Where ``module`` lies (a package's folder or a single module's file), found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"HELDOUT24 needs the package {package!r} (the dev extra)")
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(spec.origin)


def _assigned(lines: list[str], name: str) -> dict:
    """The literal dict a module's line ``name={...}`` holds."""
    line = next(li for li in lines if li.startswith(f"{name}="))
    return ast.literal_eval(line.split("=", 1)[1])


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """{"br_male", "br_female", "br_surname", "ch_male", "ch_female", "ch_surname"}, in the files' capitals."""
    folder = _spec_path("pt_name_gen", "pt-name-gen")
    with (folder / "first_names.csv").open(encoding="utf-8", newline="") as f:
        firsts = [(row["name"].strip(), row["classification"].strip()) for row in csv.DictReader(f)]
    with (folder / "last_names.csv").open(encoding="utf-8", newline="") as f:
        lasts = [row["last_name"].strip() for row in csv.DictReader(f)]
    lines = _spec_path("genderdetectfrance", "genderdetectfrance").read_text(encoding="utf-8").split("\n")
    given, surnames = _assigned(lines, "prenume"), _assigned(lines, "GLB_lastNames")
    ch_given = [(n, v.split()[0]) for n, v in given.items() if _CH_WORD.fullmatch(n)]
    return {
        "br_male": [n for n, g in firsts if g == "M" and _PT_NAME.fullmatch(n)],
        "br_female": [n for n, g in firsts if g == "F" and _PT_NAME.fullmatch(n)],
        "br_surname": sorted({s for s in lasts if _PT_SURNAME.fullmatch(s)}),
        "ch_male": sorted(n for n, g in ch_given if g == "M"),
        "ch_female": sorted(n for n, g in ch_given if g == "F"),
        "ch_surname": sorted(s for s in surnames if _CH_WORD.fullmatch(s)),
    }


def mixed_case(name: str, first: bool = True) -> str:
    """A capitals-only name as people write it: each part capitalized after a hyphen or apostrophe too, particles
    in lower case except at the start (``DE MEDEIROS`` -> ``de Medeiros`` after a given name)."""
    words = []
    for n, word in enumerate(name.lower().split(" ")):
        if word in _PARTICLES and (n or not first):
            words.append(word)
        else:
            words.append(re.sub(r"(^|[-'])(\w)", lambda m: m.group(1) + m.group(2).upper(), word))
    return " ".join(words)


def _pairs(s: str) -> str:
    return " ".join(s[i : i + 2] for i in range(0, len(s), 2))


def _nanp(rng: random.Random, area: str, exchanges: tuple[str, ...]) -> list[str]:
    exchange, line = rng.choice(exchanges), _digits(rng, 4)
    return [
        f"{area}-{exchange}-{line}",
        f"+1 ({area}) {exchange}-{line}",
        f"1 {area} {exchange} {line}",
        f"{area}.{exchange}.{line}",
    ]


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a mobile number of French Guiana, Guadeloupe, Martinique, Mayotte, Cuba, Cambodia,
    Palestine, Syria, the Central African Republic, Dominica, Saint Vincent or Nauru as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country in ("GF", "GP", "MQ", "YT"):
        code, prefix = {
            "GF": ("594", rng.choice(["6940", "6941", "6942", "6949", "69435"])),
            "GP": ("590", rng.choice(["6900", "6905", "6909", "69125", "69130"])),
            "MQ": ("596", rng.choice(["6960", "6964", "6970", "6975"])),
            "YT": ("262", rng.choice(["63900", "63910", "63920", "63960", "63970"])),
        }[country]
        n = prefix + _digits(rng, 9 - len(prefix))
        forms = [
            f"0{n[:3]} {_pairs(n[3:])}",
            f"+{code} {n[:3]} {_pairs(n[3:])}",
            f"0{n[0]} {_pairs(n[1:])}",
            f"00{code}{n}",
        ]
    elif country == "CU":
        n = "5" + _digits(rng, 7)
        forms = [f"+53 {n[0]} {n[1:4]} {n[4:]}", f"{n[:2]} {n[2:5]} {n[5:]}", f"+53{n}", f"(+53) {n}"]
    elif country == "KH":
        if rng.random() < 0.5:
            n = rng.choice(["12", "17", "11", "16"]) + _digits(rng, 6)
            forms = [f"0{n[:2]} {n[2:5]} {n[5:]}", f"+855 {n[:2]} {n[2:5]} {n[5:]}", f"0{n}"]
        else:
            n = rng.choice(["96", "97"]) + _digits(rng, 7)
            forms = [f"0{n[:2]} {n[2:5]} {n[5:]}", f"+855 {n[:2]} {n[2:5]} {n[5:]}", f"+855{n}"]
    elif country == "PS":
        n = "59" + _digits(rng, 7)
        forms = [f"0{n[:3]} {n[3:6]} {n[6:]}", f"+970 {n[:2]} {n[2:5]} {n[5:]}", f"+970-{n}", f"0{n}"]
    elif country == "SY":
        n = "9" + rng.choice("345689") + _digits(rng, 7)
        forms = [f"0{n[:3]} {n[3:6]} {n[6:]}", f"+963 {n[:3]} {n[3:6]} {n[6:]}", f"00963{n}", f"0{n}"]
    elif country == "CF":
        n = "7" + rng.choice("023457") + _digits(rng, 6)
        forms = [_pairs(n), f"+236 {_pairs(n)}", f"+236{n}", f"(236) {n[:2]} {n[2:5]} {n[5:]}"]
    elif country == "DM":
        forms = _nanp(rng, "767", ("225", "235", "245", "265", "275", "276", "277", "285", "295", "315", "612", "704"))
    elif country == "VC":
        forms = _nanp(rng, "784", ("430", "432", "433", "454", "455", "489", "491", "493", "495", "526", "528", "532"))
    else:
        n = rng.choice(["555", "556", "557", "558", "666", "777", "812", "888"]) + _digits(rng, 4)
        forms = [f"+674 {n[:3]} {n[3:]}", f"{n[:3]} {n[3:]}", f"+674{n}", f"00674 {n}"]
    return country, rng.choice(forms)


# (prefixes, length)
_ISSUERS = (
    (("636368", "504175", "650031", "650032", "650033", "509", "438935"), 16),
    (("2200", "2201", "2202", "2203", "2204"), 16),
    (("9792",), 16),
    (("36",), 14),
    (("1",), 15),
    (("6011",), 16),
    (("6759",), 16),
)
NNBSP = "\u202f"


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: sixteen digits'
    fours parted by dots, by narrow no-break spaces or by two spaces; Diners' fourteen as 4-6-4 and UATP's
    fifteen as 4-5-6, parted by spaces or by hyphens (the label is the digits and what parts them)."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    sep = rng.choice([" ", "-"])
    if length == 14:
        return sep.join([number[:4], number[4:10], number[10:]])
    if length == 15:
        return sep.join([number[:4], number[4:9], number[9:]])
    fours = [number[i : i + 4] for i in range(0, 16, 4)]
    return rng.choice([".", NNBSP, "  "]).join(fours)


_BR_MARKS = ("Pix", "Oi ", "NOME", "SUS", "Condomínio", "Prezad", "Olá", "Boleto", " e {PERSON}")
_CH_REGISTER = ("Name, Vorname", "Nom, prénom", "Cognome e nome")


class Heldout24Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT24_SEED + 53)
        self.pools = _pools()

    def person(self, template: str = "") -> str:
        """A full name of one source (Brazilian in Brazilian templates), sometimes a given name alone; in capitals
        in a ``NOME`` field, surname first in a Swiss register."""
        rng = self.rng
        source = "br" if any(m in template for m in _BR_MARKS) else rng.choice(["br", "ch", "ch"])
        given = rng.choice(self.pools[f"{source}_{rng.choice(['male', 'female'])}"])
        surname = rng.choice(self.pools[f"{source}_surname"])
        if "NOME" in template:
            return f"{given} {surname}"
        if any(m in template for m in _CH_REGISTER):
            return f"{surname} {mixed_case(given)}"
        if rng.random() < 0.12:
            return mixed_case(given)
        return f"{mixed_case(given)} {mixed_case(surname, first=False)}"

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT24_TEMPLATES = [
    "Comprovante Pix — recebedor: {PERSON}, chave {EMAIL_ADDRESS}",
    "Oi {PERSON}, tudo bem? meu zap novo é {PHONE_NUMBER}",
    "NOME COMPLETO: {PERSON}\nTELEFONE: {PHONE_NUMBER}",
    "Cartão SUS — paciente {PERSON}, contato {PHONE_NUMBER}",
    "Condomínio Solar das Palmeiras: o morador {PERSON} (apto 302) deixou o cartão {CREDIT_CARD} na portaria",
    "Prezada {PERSON}, seu boleto vence amanhã; dúvidas pelo {PHONE_NUMBER}",
    "Olá {PERSON}! Seu pedido saiu para entrega",
    "{PERSON} e {PERSON} trocaram o plantão de domingo",
    "Name, Vorname: {PERSON}\nNatel: {PHONE_NUMBER}",
    "Nom, prénom : {PERSON} — tél. {PHONE_NUMBER}",
    "Cognome e nome: {PERSON}, carta {CREDIT_CARD}",
    "Allegra {PERSON}, clomai sin {PHONE_NUMBER}",
    "Grüezi {PERSON}, d'Rächnig isch a {EMAIL_ADDRESS} gschickt worde",
    "Préfecture de Cayenne : rendez-vous de {PERSON}, joignable au {PHONE_NUMBER}",
    "Bonjou {PERSON}, ou pé kriyé mwen o {PHONE_NUMBER}",
    "Ka ou fè {PERSON}? rélé mwen asi {PHONE_NUMBER}",
    "Habari {PERSON}, nipihiye {PHONE_NUMBER}",
    "Compañero {PERSON}, el carné está listo; llama al {PHONE_NUMBER}",
    "សួស្តី {PERSON} លេខទូរស័ព្ទខ្ញុំ {PHONE_NUMBER}",
    "مرحبا {PERSON}، رقمي الجديد {PHONE_NUMBER}",
    "أهلين {PERSON}، بطاقتك {CREDIT_CARD} انقفلت",
    "Bara ala {PERSON}, dara mbi na {PHONE_NUMBER}",
    "Sa ka fèt {PERSON}, kwiyé mwen asou {PHONE_NUMBER}",
    "Wha happenin {PERSON}, buss me a call pon {PHONE_NUMBER}",
    "Ekamawir omo {PERSON}, {PHONE_NUMBER}",
    "Signed-off-by: {PERSON} <{EMAIL_ADDRESS}>",
    '{{"user":{{"username":"{EMAIL_ADDRESS}"}},"sourceIPs":["{IP_ADDRESS}"],"annotations":{{"owner":"{PERSON}"}}}}',
    "ATTENDEE;CN={PERSON}:mailto:{EMAIL_ADDRESS}",
    "dn: cn={PERSON},ou=people,dc=example,dc=ch",
    "Paiement par carte {CREDIT_CARD} refusé pour {PERSON}",
    "Titular: {PERSON} — IBAN {IBAN_CODE}",
    "Empfänger {PERSON}, IBAN {IBAN_CODE}",
    "{PERSON} and {PERSON} swapped the Sunday shift",
    "Session opened for {PERSON} from {IP_ADDRESS}",
    "SSN {US_SSN} on file for {PERSON}",
    "Boleto pago por {PERSON} com o cartão {CREDIT_CARD}",
    "Rendez-vous à Fort-de-France avec {PERSON}, portable {PHONE_NUMBER}",
    "Refund to card {CREDIT_CARD} approved for {PERSON} in Kingstown",
    "Mamoudzou : colis pour {PERSON}, SMS au {PHONE_NUMBER}",
    "Login failed for {EMAIL_ADDRESS} from {IP_ADDRESS}",
]
HELDOUT24_NEGATIVES = [
    "Remessa nº 0599 8{b:02d} {d:02d} {d2:02d}",  # one digit too many for a Palestinian mobile: no number
    "Licence DM 767-1{b:02d}-{zip4} renewed",  # NANP shape, an exchange beginning with 1: never a number
    "Código de rastreio {zip4}.{m:02d}{d:02d}.{c}{q}.{b:02d}{d2:02d}",  # made to fail Luhn
    "Carte fidélité {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d}",  # made to fail Luhn
    "Dossier CH{a:02d} {zip4} {zip4} {zip4} {zip4} {q}",  # made to fail mod-97
    "Chave de acesso {zip4} {zip4} {zip4} {zip4} {zip4} {zip4} {zip4} {zip4} {zip4} {zip4} {zip4}",
    "Linha digitável 23790.{c}{b:02d} {zip4}0.{c}{q}{b:02d} {zip4}1.{c}{q}{d:02d} {q} {zip4}00000{c}{b:02d}",
    "Referenz 21 {c}{b:02d} {zip4}0 {c}{d:02d} {zip4}{q} {c}{d2:02d}",
    "CNPJ {b:02d}.{c}.{c}/0001-{d2:02d} da transportadora",
    "UID CHE-{c}.{b:02d}{q}.{c} MWST",
    "OID 2.16.{a}.{b} registered",
    "build 4.{a}.{c}.{b} deployed",
    "Regra 7.{a}.{b}.{q} do regulamento",
    "Cayenne 4.{zip4} -52.{c}",
    "Fort-de-France 14.{zip4} -61.{c}",
    "Mamoudzou -12.{zip4} 45.{c}",
    "Havana 23.{zip4} -82.{c}",
    "Phnom Penh 11.{zip4} 104.{c}",
    "Ramallah 31.{zip4} 35.{c}",
    "Damascus 33.{zip4} 36.{c}",
    "Bangui 4.{zip4} 18.{c}",
    "Roseau 15.{zip4} -61.{c}",
    "Kingstown 13.{zip4} -61.{c}",
    "Yaren -0.{zip4} 166.{c}",
    "R$ {a}.{c},{b:02d} pagos, pedido {order}",
    "CHF {a}'{c}.{b:02d} bezahlt, Beleg {order}",
    "{a} {c},{b:02d} € payés à Cayenne, reçu {order}",
    "{c} CUP pagados, recibo {order}",
    "{a},{c} ៛ បានបង់ {order}",
    "₪{c}.{b:02d} paid, receipt {order}",
    "{a},{c} ل.س مدفوعة، إيصال {order}",
    "A${c}.{b:02d} paid in Yaren, receipt {order}",
]
HELDOUT24_WORD_NEGATIVES = [
    "Festa de São João Campina Grande Parque do Povo",
    "Círio de Nazaré Belém Estação das Docas",
    "Bienal do Livro Rio Centro Barra da Tijuca",
    "Sächsilüüte Zürich Sechseläutenplatz Böögg",
    "Olma Sankt Gallen Stadtpark Brühltor",
    "Chalandamarz Engiadina Scuol Ftan Sent",
    "Kannaval Lagwiyann Kayenn Plas Gréjwa",
    "Fèt a Kwizinyè Lapwent Gwadloup",
    "Shiwandza Mamoudzou Dzaoudzi Mtsapéré",
    "Fiesta de Santa Clara Parque Vidal Cuba",
    "បុណ្យអុំទូក ភ្នំពេញ ព្រះបរមរាជវាំង",
    "مهرجان الزيتون رام الله ساحة المنارة",
    "Matanga ti Bêafrîka Bangui Place de la République",
    "Jounen Kwéyòl Roseau Windsor Park",
    "Vincymas Kingstown Heritage Square",
    "Angam Day Yaren Meneng Anibare",
    "Fête de Saint-Georges Oyapock Guyane",
    "Schwingfest Unspunnen Interlaken Höhematte",
    "Feira de São Cristóvão Rio Nordeste",
    "Carnaval de Salvador Barra Ondina Pelourinho",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT24."""
    texts = (HELDOUT24_TEMPLATES, HELDOUT24_NEGATIVES, HELDOUT24_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT24_SEED,
        HELDOUT24_FAKER_LOCALES,
        Heldout24Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout24.txt",
        never_valid,
    )


_FILE_REF = re.compile(r"Dossier CH(\d\d) ([\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Código de rastreio|Carte fidélité) ([\d .]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a file reference that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _FILE_REF, "CH"), _CARD_SHAPED)
