"""HELDOUT22: the twenty-second held-out PII part, made because HELDOUT21's misses were studied (issue 9, item 8,
the nineteenth round on names); written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen and before the detector changes of that round; only its totals are
printed.

Its names come from two packages that no earlier part and no name list was built from, read from their files
without importing them:

- ``synth-data-tn`` (a Tunisian fake-data maker): the lists in ``synth_data_tn/providers/tn_provider.py``
  (read with ``ast``, not run), 60 men's and 60 women's given names as Tunisians write them in Latin letters
  (``Skander``, ``Chokri``, ``Oussema``, ``Eya``, ``Sondos``) and 94 surnames (``Ben Romdhane``, ``Fakhfakh``,
  ``Guezguez``, ``Kchaou``). Written as Tunisian papers and mail write them: ``Given Surname``, ``SURNAME
  Given`` (the French administrative order, surname in capitals), a patronymic ``Given ben Father Surname``
  (``bent`` for a woman), a given name alone in a greeting, a surname alone after ``M.``/``Mme``;
- ``fusuk`` (US and UK names from public data): ``fusuk/data/uk_first_names.json`` (2232 British given names)
  and ``fusuk/data/uk_last_names.txt`` (British surnames by frequency; the ranks 1500 to 40000 are drawn, so
  rare ones: ``Boocock``, ``Fyall``, ``Flintham``, some of them English words). The file writes an apostrophe
  as a hyphen and capitalizes only the first letter; names are written here as people write them
  (``O'Brien``, ``McKeown``, ``Lloyd-Jones``). Written ``Given Surname``, ``Surname, Given``, ``G. Surname``,
  ``Given M. Surname``, a surname alone after ``Mr``/``Mrs``/``Dr``.

Which source a name comes from follows the template (the French forms, Tunisian Derja and the greetings of
the Sahel, Guinea, the Congo and Réunion: Tunisian, as people of the Maghreb living there; English of the Crown
dependencies and Gibraltar, and the Cypriot, siSwati and Dutch lines: British, as Britons abroad; the rest:
either). Record forms: a GEDCOM
``NAME Given /Surname/``, an HL7 ``PID`` ``SURNAME^GIVEN``, an LDAP ``cn=``, a git ``Signed-off-by:``.

Templates the other parts lack: a Jira ticket, a GEDCOM record, an HL7 PID segment, an LDAP DN, a git trailer,
a Kubernetes audit line, an Outlook invitation, a CSV export row, a SWIFT MT103 beneficiary, a parcel-locker
slip, a CNSS form, a Tunisian ``Nom et prénom :`` form; Tunisian Derja in Latin letters, Jèrriais, Manx, Llanito,
Cypriot Greek in Latin letters, Réunion Creole, siSwati, Lingala, Bambara, Zarma, Chadian Arabic and Pular
greetings. Phone numbers: Libyan, Malian, Nigerien, Chadian, Guinean, Congolese (DRC), Cypriot, Gibraltarian,
Jersey, Isle of Man, Réunion and Eswatini mobile numbers as people write them (written here, not by a library;
each valid by ``phonenumbers`` and a mobile number of its region: the test checks). Cards: written here from
issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, Diners' 36 and 38 of 14 digits,
Discover's 6011 and 65, Maestro's 6759 and 5018 of 19 digits, Mir's 2200 to 2204, Troy's 9792), each completed
by its Luhn digit, in forms of this part's own: fours parted by dots, fours parted by `` - ``, two runs of
eight, Diners' 4-6-4, nineteen digits as 4-4-4-4-3 (in templates of its own: after ``Carte n°``, in a CSV
field, in a SWIFT field, after "Kaart"). The other types come from ``bench.pii_sets.Makers`` in the fr_CH, en_GB
and de_CH locales (only their non-name types are drawn; only IBANs that pass the mod-97 check are labelled).

Negatives: numbers that are not personal data, several with a real identifier's shape: a case number ``097`` +
seven digits (a Libyan mobile number's length and leading 09, but a prefix no Libyan number has: the test
checks it is never valid); a Tunisian tax number ``1234567/A/M/000``; a lottery ticket and a meter serial of
16 digits parted by dots or spaces (card shapes; each made to fail Luhn, so never valid: the test checks); a
file reference ``TN`` + two digits + twenty digits in groups (a Tunisian IBAN's shape; check digits that would
pass mod-97 are moved by one, so never valid: the test checks); an OID arc
``2.16.{c}.{a}``, an app version ``3.{a}.{c}.{b}`` and a lease clause ``4.{a}.{b}.{q}`` (an IP address's
shape); coordinates near Tunis, Tripoli, St Helier and Douglas; amounts in Tunisian
dinars, Libyan dinars, CFA francs, Congolese francs, emalangeni, Gibraltar pounds and euros; a louage seat and
a TGM stop.
Word lines: capitalized festivals, places and fairs with no person in them, in French of Tunisia, Mali, Niger,
Chad and Guinea, Jèrriais, Manx, Scottish Gaelic, Cornish, Réunion Creole, siSwati and Lingala (some with
words that are also names elsewhere: Sidi Bou Saïd, Saint Hélier, Victoria Avenue, Lowender Peran).
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

from bench.pii_makers import build_with_values, cased, luhn_complete, nudge_iban, nudge_luhn

# luhn_sum and mod97 stay importable from here: the part's tests check its cards and negatives with them
from bench.pii_makers import luhn_sum as luhn_sum
from bench.pii_makers import mod97 as mod97
from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT22_SEED = 2222907
HELDOUT22_FAKER_LOCALES = ["fr_CH", "en_GB", "de_CH"]  # only their non-name types are drawn
LOCAL_REGIONS = ("LY", "ML", "NE", "TD", "GN", "CD", "CY", "GI", "JE", "IM", "RE", "SZ")
RANKS = (1500, 40000)  # the British surnames drawn: rare ones, by their rank in the file
_TUNISIAN = re.compile(
    r"Nom et prénom|Aslema|Ya |Sbeh|CNSS|louage|Bénéficiaire|Madame |Monsieur |M\. |Mme |Cher |Chère |I ni ce|"
    r"Fofo|Salam alekum|Jaraama|Mbote|Bonzour|Carte n°"
)
_BRITISH = re.compile(r"Bouônjour|Moghrey|Wepa|Yia sou|Sawubona|Mr |Mrs |Dr |Ms |Dear |Kaart")
_SURNAME_ONLY = re.compile(r"M\. |Mme |Mr |Mrs |Dr |Ms ")
_GIVEN_ONLY = re.compile(
    r"Aslema|Ya |Sbeh|Bouônjour|Moghrey|Wepa|Yia sou|Bonzour|Sawubona|Mbote|I ni ce|Fofo|Salam alekum|Jaraama"
)
_ADMIN = re.compile(r"Nom et prénom|CNSS|Bénéficiaire")
_RECORD = re.compile(r"1 NAME|PID\|")


def _package_dir(package: str) -> Path:
    """Where ``package`` lies, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT22 needs the package {package!r} (synth-data-tn or fusuk, the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def _lists(source: Path, names: tuple[str, ...]) -> dict[str, list[str]]:
    """The class-level lists ``names`` of ``source``, read from its syntax tree (the module is not run)."""
    found: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in names:
            found[node.target.id] = list(ast.literal_eval(node.value))
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"HELDOUT22: {source.name} has no list {missing[0]}")
    return found


def british(name: str) -> str:
    """A surname as fusuk's file writes it (``O-brien``, ``Mckeown``, ``Lloyd-jones``) as people write it
    (``O'Brien``, ``McKeown``, ``Lloyd-Jones``)."""
    parts = name.split("-")
    if len(parts) == 2 and len(parts[0]) == 1:
        return f"{parts[0].upper()}'{parts[1].capitalize()}"
    out = []
    for part in parts:
        part = part.capitalize()
        if part.startswith("Mc") and len(part) > 3:
            part = "Mc" + part[2:].capitalize()
        out.append(part)
    return "-".join(out)


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """{"tn_male", "tn_female", "tn_last", "uk_first", "uk_last"}: the names as the packages ship them (the
    British surnames of ``RANKS``, written by ``british``, without one-letter and two-letter entries and the
    file's one job title)."""
    tn = _lists(
        _package_dir("synth_data_tn") / "providers" / "tn_provider.py",
        ("_FIRST_NAMES_MALE", "_FIRST_NAMES_FEMALE", "_LAST_NAMES"),
    )
    data = _package_dir("fusuk") / "data"
    uk_first = [entry["name"] for entry in json.loads((data / "uk_first_names.json").read_text(encoding="utf-8"))]
    lo, hi = RANKS
    ranked = (data / "uk_last_names.txt").read_text(encoding="utf-8").splitlines()[lo:hi]
    uk_last = [british(n) for n in ranked if len(n) > 2 and n.lower() != "co-ordinator"]
    return {
        "tn_male": tn["_FIRST_NAMES_MALE"],
        "tn_female": tn["_FIRST_NAMES_FEMALE"],
        "tn_last": tn["_LAST_NAMES"],
        "uk_first": uk_first,
        "uk_last": uk_last,
    }


def _pairs(s: str) -> str:
    return " ".join(s[i : i + 2] for i in range(0, len(s), 2))


def local_phone_in(rng: random.Random) -> tuple[str, str]:
    """(region, number): a Libyan, Malian, Nigerien, Chadian, Guinean, Congolese (DRC), Cypriot, Gibraltarian,
    Jersey, Isle of Man, Réunion or Eswatini mobile number as people write it."""
    country = rng.choice(LOCAL_REGIONS)
    if country == "LY":
        n = rng.choice("123456") + _digits(rng, 7)
        forms = [f"09{n[0]}-{n[1:]}", f"+218 9{n[0]}-{n[1:]}", f"+218 9{n[0]} {n[1:4]} {n[4:]}", f"09{n}"]
    elif country in ("ML", "NE", "TD"):
        prefixes = {
            "ML": ["65", "66", "70", "76", "79", "90", "92", "95", "82", "83"],
            "NE": ["90", "91", "93", "96", "97", "98", "99", "88", "70", "74", "76", "77"],
            "TD": ["60", "63", "65", "66", "90", "92", "95", "99", "77", "85"],
        }[country]
        code = {"ML": "223", "NE": "227", "TD": "235"}[country]
        n = rng.choice(prefixes) + _digits(rng, 6)
        forms = [_pairs(n), f"+{code} {_pairs(n)}", f"00{code} {n}", f"+{code}-{'-'.join(_pairs(n).split())}"]
    elif country == "GN":
        n = "6" + rng.choice("0123556") + _digits(rng, 7)
        forms = [
            f"{n[:3]} {_pairs(n[3:])}",
            f"+224 {n[:3]} {_pairs(n[3:])}",
            f"+224{n}",
            f"{n[:3]}-{n[3:5]}-{n[5:7]}-{n[7:]}",
        ]
    elif country == "CD":
        n = rng.choice(["81", "82", "84", "85", "89", "90", "97", "98", "99"]) + _digits(rng, 7)
        forms = [
            f"0{n[:3]} {n[3:6]} {n[6:]}",
            f"+243 {n[:3]} {n[3:6]} {n[6:]}",
            f"+243 {n[:2]} {n[2:5]} {n[5:]}",
            f"0{n}",
        ]
    elif country == "CY":
        n = "9" + rng.choice(["10", "4", "5", "6", "7", "9"])
        n += _digits(rng, 8 - len(n))
        forms = [f"{n[:2]} {n[2:]}", f"+357 {n[:2]} {n[2:]}", f"+357-{n[:2]}-{n[2:5]}-{n[5:]}", f"00357 {n}"]
    elif country == "GI":
        n = "5" + rng.choice("4678") + _digits(rng, 6)
        forms = [n, f"+350 {n}", f"+350 {n[:4]} {n[4:]}", f"(+350) {n[:3]} {n[3:]}"]
    elif country in ("JE", "IM"):
        head = rng.choice(["7797", "7829", "7937"] if country == "JE" else ["7624", "7524"])
        tail = _digits(rng, 6)
        if country == "IM" and head == "7624":
            tail = rng.choice("0123468") + tail[1:]
        forms = [f"0{head} {tail}", f"+44 {head} {tail}", f"+44 (0){head} {tail}", f"0{head}-{tail[:3]}-{tail[3:]}"]
    elif country == "RE":
        n = "692" + _digits(rng, 6)
        forms = [f"0{n[:3]} {_pairs(n[3:])}", f"+262 {n[:3]} {_pairs(n[3:])}", f"+262{n}", _pairs("0" + n)]
    else:
        n = "7" + rng.choice("56789") + _digits(rng, 6)
        forms = [f"{n[:4]} {n[4:]}", f"+268 {n[:4]} {n[4:]}", f"+268-{n[:2]}-{n[2:5]}-{n[5:]}", f"(+268) {n}"]
    return country, rng.choice(forms)


# (prefixes, lengths)
_ISSUERS = (
    (("4",), (16,)),
    (("51", "52", "53", "54", "55", "2221", "2600", "2720"), (16,)),
    (("36", "38"), (14,)),
    (("6011", "65"), (16,)),
    (("6759", "5018"), (19,)),
    (("2200", "2201", "2202", "2203", "2204"), (16,)),
    (("9792",), (16,)),
)


def card_in(rng: random.Random) -> str:
    """A card number of one of the issuers above, passing Luhn, in a form of this part's own: fours parted by
    dots or by `` - ``, two runs of eight, Diners' 4-6-4, nineteen digits as 4-4-4-4-3, or plain (the label is
    the digits and what parts them)."""
    prefixes, lengths = rng.choice(_ISSUERS)
    prefix, length = rng.choice(prefixes), rng.choice(lengths)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    style = rng.random()
    if length == 14 and style < 0.7:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    if style < 0.15:
        return number
    fours = [number[i : i + 4] for i in range(0, length, 4)]
    if style < 0.45:
        return ".".join(fours)
    if style < 0.65:
        return " - ".join(fours)
    if style < 0.8 and length == 16:
        return f"{number[:8]} {number[8:]}"
    return " ".join(fours)


class Heldout22Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT22_SEED + 73)
        self.pools = _pools()

    def _tunisian(self, template: str) -> str:
        rng, pools = self.rng, self.pools
        woman = rng.random() < 0.45
        given = rng.choice(pools["tn_female"] if woman else pools["tn_male"])
        surname = rng.choice(pools["tn_last"])
        if _RECORD.search(template):
            return f"{given} /{surname}/" if "1 NAME" in template else f"{surname.upper()}^{given.upper()}"
        if _SURNAME_ONLY.search(template):
            return surname
        if _GIVEN_ONLY.search(template) and rng.random() < 0.7:
            return given
        roll = rng.random()
        if _ADMIN.search(template) and roll < 0.5:
            return f"{surname.upper()} {given}"
        if roll < 0.2:
            return f"{given} {'bent' if woman else 'ben'} {rng.choice(pools['tn_male'])} {surname}"
        return f"{given} {surname}"

    def _british(self, template: str) -> str:
        rng, pools = self.rng, self.pools
        given, surname = rng.choice(pools["uk_first"]), rng.choice(pools["uk_last"])
        if _RECORD.search(template):
            return f"{given} /{surname}/" if "1 NAME" in template else f"{surname.upper()}^{given.upper()}"
        if _SURNAME_ONLY.search(template):
            return surname
        if _GIVEN_ONLY.search(template) and rng.random() < 0.7:
            return given
        roll = rng.random()
        if roll < 0.15:
            return f"{surname}, {given}"
        if roll < 0.27:
            return f"{given[0]}. {surname}"
        if roll < 0.37:
            return f"{given} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {surname}"
        return f"{given} {surname}"

    def written(self, template: str = "") -> str:
        if _TUNISIAN.search(template):
            return self._tunisian(template)
        if _BRITISH.search(template):
            return self._british(template)
        return self._tunisian(template) if self.rng.random() < 0.5 else self._british(template)

    def person(self, template: str = "") -> str:
        name = self.written(template)
        if _RECORD.search(template):
            return name
        return cased(self.rng, name)

    def phone(self, template: str = "") -> str:
        return local_phone_in(self.rng)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng)


HELDOUT22_TEMPLATES = [
    "Nom et prénom : {PERSON}\nTél. portable : {PHONE_NUMBER}\nCourriel : {EMAIL_ADDRESS}",
    "Formulaire CNSS — assuré {PERSON}, joignable au {PHONE_NUMBER}",
    "Bénéficiaire : {PERSON} — IBAN {IBAN_CODE}",
    "M. {PERSON} a réservé la place 3 du louage Tunis–Sousse, tél. {PHONE_NUMBER}",
    "Mme {PERSON}, votre colis vous attend au casier 14 (code envoyé au {PHONE_NUMBER})",
    "Carte n° {CREDIT_CARD} — titulaire {PERSON}",
    "Aslema {PERSON}, kallemni 3la {PHONE_NUMBER} ba3d el 5",
    "Ya {PERSON}, ab3athli el facture 3al {EMAIL_ADDRESS}",
    "Sbeh el khir {PERSON}! raqmi jdid: {PHONE_NUMBER}",
    "I ni ce {PERSON}, n ka nimero ye {PHONE_NUMBER} ye",
    "Fofo {PERSON}, ay nimero ga ti {PHONE_NUMBER}",
    "Salam alekum {PERSON}, taleefooni {PHONE_NUMBER}",
    "Jaraama {PERSON}, noddu lan e {PHONE_NUMBER}",
    "Mbote {PERSON}, benga ngai na {PHONE_NUMBER}",
    "Bonzour {PERSON}, kosa i lé mon nimero: {PHONE_NUMBER}",
    "Bouônjour {PERSON}, app'lez-mé au {PHONE_NUMBER}",
    "Moghrey mie {PERSON}, ring me on {PHONE_NUMBER} after the TT",
    "Wepa {PERSON}, call me al {PHONE_NUMBER} luego, ¿vale?",
    "Yia sou {PERSON}, pare me tilefono sto {PHONE_NUMBER}",
    "Sawubona {PERSON}, shayela ku {PHONE_NUMBER}",
    "Dear Mrs {PERSON}, your Jersey Post parcel could not be delivered; call {PHONE_NUMBER}",
    "Dr {PERSON} is on call at Noble's Hospital tonight",
    "Kaart {CREDIT_CARD} op naam van {PERSON} geblokkeerd",
    "PROJ-4821 reported by {PERSON}: login from {IP_ADDRESS} rejected",
    "0 @I142@ INDI\n1 NAME {PERSON}\n1 BIRT",
    "PID|1||880123^^^NHS||{PERSON}||19840312|F",
    "dn: cn={PERSON},ou=people,dc=example,dc=org",
    "Signed-off-by: {PERSON} <{EMAIL_ADDRESS}>",
    '{{"kind":"Event","user":{{"username":"{EMAIL_ADDRESS}"}},"sourceIPs":["{IP_ADDRESS}"]}}',
    "Invitation: quarterly review — organiser {PERSON}, dial-in {PHONE_NUMBER}",
    "{PERSON},{EMAIL_ADDRESS},{PHONE_NUMBER},active",
    "id,holder,card\n7781,{PERSON},{CREDIT_CARD}",
    ":59:/{IBAN_CODE}\n{PERSON}",
    ":50K:{PERSON} paid with card {CREDIT_CARD}",
    "Parcel locker 22 at Casemates: collect with the code texted to {PHONE_NUMBER}",
    "SSN {US_SSN} on file for {PERSON}",
    "{PERSON} and {PERSON} swapped the Saturday shift",
    "{PERSON} et {PERSON} assurent la permanence du samedi",
    "Connection refused for {EMAIL_ADDRESS} from {IP_ADDRESS}",
    "Refund of card {CREDIT_CARD} approved for {PERSON}",
]
HELDOUT22_NEGATIVES = [
    "Dossier n° 097{c}{zip4}",  # ten digits from 097: no Libyan number
    "Matricule fiscal {c}{zip4}/A/M/000",
    "Billet de loterie {zip4}.{m:02d}{d:02d}.{c}{q}.{b:02d}{d2:02d}",  # made to fail Luhn
    "Meter serial {zip4} {m:02d}{d:02d} {c}{q} {b:02d}{d2:02d} read",  # made to fail Luhn
    "Réf. dossier TN{a:02d} {zip4} {c}{q} {m:02d}{d:02d} {b:02d}{d2:02d} {zip4}",  # made to fail mod-97
    "OID 2.16.{c}.{a} registered",
    "app version 3.{a}.{c}.{b} shipped",
    "clause 4.{a}.{b}.{q} of the lease applies",
    "Tunis 36.{zip4} 10.{c}{q}",
    "Tripoli 32.{zip4} 13.{c}",
    "St Helier 49.{zip4} -2.{c}{b}",
    "Douglas 54.{zip4} -4.{c}",
    "{c},{b:02d}0 DT payés, reçu {order}",
    "{a} {c} LYD paid, receipt {order}",
    "{a} {c} FCFA payés, reçu {order}",
    "{c} {b:02d}0 FC payés, reçu {order}",
    "E{c}.{b:02d} paid, receipt {order}",
    "£{c}.{b:02d} paid at Casemates, receipt {order}",
    "€{c},{b:02d} payés à Saint-Denis, reçu {order}",
    "Louage place {q}, {a} DT, départ {m:02d}:{d2:02d}",
    "TGM arrêt {q} sur {b}, {a} minutes",
]
HELDOUT22_WORD_NEGATIVES = [
    "Festival International de Carthage Sidi Bou Saïd",
    "Sousse Ribat Port El Kantaoui Marina",
    "Festival au Désert Essakane Tombouctou",
    "Cure Salée Ingall Agadez",
    "Place de la Nation N'Djamena Fête de l'Indépendance",
    "Conakry Kaloum Palais du Peuple",
    "Festival Amani Goma Lac Kivu",
    "Liberation Day Saint Hélier Liberation Square",
    "Battle of Flowers Parade Victoria Avenue",
    "Tynwald Day St John's Isle of Man",
    "Laa Boaldyn Peel Castle",
    "National Day Casemates Square Gibraltar",
    "Kataklysmos Larnaca Finikoudes",
    "Mòd Nàiseanta Rìoghail Inbhir Nis",
    "Gorsedh Kernow Penzance Lowender Peran",
    "Fèt Kaf Saint-Denis Barachois",
    "Umhlanga Reed Dance Ludzidzini Royal Village",
    "Incwala Lobamba Royal Kraal",
    "Ghadames Festival Old Town Libya",
    "Lingala Fête de la Musique Kinshasa Gombe",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT22."""
    texts = (HELDOUT22_TEMPLATES, HELDOUT22_NEGATIVES, HELDOUT22_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT22_SEED,
        HELDOUT22_FAKER_LOCALES,
        Heldout22Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout22.txt",
        never_valid,
    )


_FILE_REF = re.compile(r"Réf\. dossier TN(\d\d) ([\d ]+\d)")
_CARD_SHAPED = re.compile(r"(?:Billet de loterie|Meter serial) ([\d. ]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a file reference that happens to pass the IBAN check given check digits one higher (one
    lower from 99), and a card-shaped code that happens to pass Luhn given a last digit one higher (0 after 9):
    the shapes of an IBAN and a card, never one."""
    return nudge_luhn(nudge_iban(text, _FILE_REF, "TN"), _CARD_SHAPED)
