"""HELDOUT36: the thirty-sixth held-out PII part (issue 9, item 8), made while HELDOUT35 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (looked at and left: ``habesha-names``, ``lv-namedays``,
``finnish-name-generator``, ``deklinacija``, ``qazaq-inflector``, ``airlock-pii``, ``morphex`` and
``cajun-name-generator``: each already drawn by a part). So its names come, as the brief allows, from pools of a spent
source no part drew: ``names-dataset``'s tables (read from its data files, not imported; HELDOUT20 and 33 to 35 drew
eighteen other countries), the names people wrote in Denmark and in Cyprus. No part drew a Danish name (HELDOUT28
wrote Danish around Norwegian names) nor a Greek Cypriot one (HELDOUT31's Cypriots were Turkish). Of each country's
best-ranked 1,000 first and last names, those of one word in Latin letters are kept, less words and nicknames
(``_NOT_NAMES``), names the other table ranks higher, given names of two letters and, for Denmark, names Sweden,
Norway, Germany, Turkey or Britain rank far higher (the table's Danish rows hold many immigrants' and neighbours'); a
first name's sex is the tables'. The forms are the lands' own and no part wrote them: a Dane's given name joined to a
second by a hyphen (``Anne-Mette``), a family's ``-gaard`` or one-word name as a middle name before the ``-sen``
surname (``Mette Nørgaard Jensen``), æ, ø and å written ae, oe and aa where a system takes ASCII (``Soeren
Joergensen``), a given name alone after Sønderjysk ``Mojn`` or Bornholmsk ``Goddaw``; a Greek Cypriot's father's
initial between the names (``Andreas Ch. Georgiou``), a pilgrim's ``Hadji`` before a surname (``Hadjigeorgiou``), a
surname in ``-ides`` for a man and ``-idou`` for a woman, a man's given name in the vocative after a greeting (``Yia
sou Andrea``, ``Kalimera Stavro``: ``-as`` and ``-os`` lose their ``s``, ``-is`` too).

Templates the other parts lack: Danish (``Mvh.``, ``Tillykke``), Sønderjysk, Bornholmsk, Faroese and Greenlandic
Danish chat, Cypriot Greek in Latin letters (``Inta kamneis``, ``Kalimera``) and in its script; a CSV cell guarded for
Excel (``="+4526123456"``), a SIP URI with ``user=phone``, a Danish line's ``lokal`` extension, a contact sheet naming
each country before its number, a ``.env`` line, an XML attribute. Phone numbers: of Denmark (lines of Copenhagen,
Aarhus, Odense, Aalborg, Rønne, Sønderborg; mobiles), the Faroe Islands (lines of Tórshavn, Klaksvík, Suðuroy;
mobiles), Greenland (lines of Nuuk, Sisimiut, Ilulissat; mobiles) and Cyprus (lines of Nicosia, Limassol, Larnaca,
Paphos, Paralimni; mobiles 94 to 99), regions one or two earlier parts each wrote, in forms no part wrote: Denmark's
pairs after ``+45``, E.164 in an Excel guard or a SIP URI, a national number after the country's own name. A template
naming a place gets its numbers; each is written here, not by a library, and valid by ``phonenumbers`` as a number of
its region (the test checks). Cards: written here from issuers' prefixes (Visa/Dankort's 4571, Visa's 4, Mastercard's
51 to 55 and 2221 to 2720, Amex's 34 and 37 of 15 digits), each completed by its Luhn digit: a run in a ``.env`` line
or an XML attribute, fours after Danish, Sønderjysk and Cypriot words. The other types come from
``bench.pii_sets.Makers`` in the da_DK, el_CY and en_GB locales (only their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a members' card of sixteen
digits (made to fail Luhn: the test checks), a firm's CVR number of eight digits from 1 (valid in none of the part's
regions: the test checks), an EAN location number, a Cypriot firm's HE number, postcodes, plates, ISBNs, positions,
amounts, a ferry, a flight, scores. Word lines: capitalized places, feasts and sights with no person, in Danish,
Sønderjysk, Bornholmsk, Faroese, Greenlandic place names and Cypriot Greek (both scripts), some holding words of the
pools as a street's or a square's name (``H.C. Andersens Boulevard``, ``Archbishop Makarios III Avenue``).
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

HELDOUT36_SEED = 3636363
HELDOUT36_FAKER_LOCALES = ["da_DK", "el_CY", "en_GB"]  # only their non-name types are drawn
NAME_COUNTRIES = ("DK", "CY")
LOCAL_REGIONS = ("DK", "FO", "GL", "CY")
WINDOW = 1000  # the best-ranked first and last names looked at per country
_LATIN = re.compile(r"[A-ZÆØÅ][a-zæøåé]{2,}")
# the lands whose names a land's own share (Scandinavia's, Greece's): a name another land ranks twice as high is that
# land's (the tables' Danish rows hold many immigrants' names, the Cypriot ones Britons' and Russians')
_KIN = {"DK": ("DK", "NO", "SE", "IS", "FI"), "CY": ("CY", "GR")}
# words, nicknames, a country's name and pet forms the tables rank among the two lands' names
_NOT_NAMES = frozenset(
    "Dk Danmark Denmark Cyprus Kypros Cy Mor Far Mormor Farmor Skat Baby Prinsesse Prins Bang Dam Storm Frost Sommer "
    "Lykke Andri Andria Mixalis Xristos Giwrgos Takis Akis Makis Lakis Pambos Pampos Panikos Panicos Koulla Koula "
    "Soulla Popi Stalo Skevi Despo Chryso Dinos Doros Demos Fanos Kalia Stavri Andrie Charis Chara Artemis Themis Lis "
    "Mie Bo Kim Bent Lone Janne Else Line Nanna Iben Jannie Sune Elia Thoma Pieri Louca Louka".split()
)
# the Danish rows' Somali, Kurdish, Turkish and Latvian names (Sweden's and Norway's rows rank them too) and pet names:
# Danes' names, but not the forms this part writes
_NOT_DANISH = frozenset(
    "Abdinasir Abdirisak Abdiwali Aigars Arturs Cebrail Ciwan Delshad Edgars Gøkhan Hiwa Kaspars Kristaps Nawzad "
    "Sahand Sherwan Shiyar Ømer Anab Berfin Berivan Dace Deeqa Faduma Fadumo Fahimeh Fardowsa Farhiya Fartun Inese "
    "Keziban Saynab Sidrah Viyan Zozan Arikan Ciftci Koyuncu Warsame Putte Polle Musse Basse Buster Svenne Kicki Kikki "
    "Sussi Sussie Susse Johs".split()
)
# fathers' names in the genitive after a pilgrim's Hadji, as Cypriot families bear them (Hadjigeorgiou)
_HADJI = ("georgiou", "ioannou", "christou", "pavlou", "petrou", "antoniou", "constantinou", "stavrou", "michael")


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``{DK,CY}_{men,women}`` (first names by sex), ``DK_last`` (its ``-sen`` names),
    ``DK_middle`` (its other surnames, borne as middle names too), ``CY_last`` (the ``-ou`` and other surnames either
    sex bears), ``CY_last_men`` (``-ides``) and ``CY_last_women`` (``-idou``); the two tables are read once each and let
    go, the collector paused meanwhile (their millions of objects)."""
    seen: dict[tuple[str, str], dict[str, tuple[int, int, float]]] = {}
    for kind, table in names_dataset_tables("HELDOUT36"):
        for land in NAME_COUNTRIES:
            seen[kind, land] = {
                k: (
                    v["rank"][land],
                    min((r for c, r in v["rank"].items() if c not in _KIN[land]), default=10**7)
                    if land == "CY" or min(v["rank"].get(c, 10**7) for c in _KIN[land][1:]) < 3 * WINDOW
                    else 0,  # a Danish name no other Nordic land ranks high: an immigrant's
                    (v.get("gender") or {}).get("M", 0.5),
                )
                for k, v in table.items()
                if v["rank"].get(land)
            }
        del table  # let go before the next is read
    out: dict[str, set[str]] = {}
    for (kind, land), names in seen.items():
        other = seen["last" if kind == "first" else "first", land]
        for name, (rank, neighbour, share) in names.items():
            # a name the other table ranks higher (a surname: twice as high) is the other kind; a name another land
            # ranks twice as high that land's
            o_rank = other.get(name, (10**7, 0, 0.5))[0]
            if rank > WINDOW or not _LATIN.fullmatch(name) or name in _NOT_NAMES | _NOT_DANISH:
                continue
            if land == "DK" and name.endswith("sson"):  # Sweden's patronymics, Denmark's -sen
                continue
            if o_rank < rank * (1 + (kind == "last")) or neighbour * 2 < rank:
                continue
            if kind == "first":
                sex = "men" if share >= 0.8 else "women" if share <= 0.2 else ""
                if sex:
                    out.setdefault(f"{land}_{sex}", set()).add(name)
            elif land == "DK":
                out.setdefault("DK_last" if name.endswith("sen") else "DK_middle", set()).add(name)
            else:
                key = (
                    "CY_last_men"
                    if name.endswith(("ides", "idis"))
                    else "CY_last_women"
                    if name.endswith("idou")
                    else "CY_last"
                )
                out.setdefault(key, set()).add(name)
    return {key: tuple(sorted(names)) for key, names in out.items()}


def ascii_danish(name: str) -> str:
    """``name`` as a system that takes only ASCII has a Dane write it: æ ae, ø oe, å aa (Æ Ae, Ø Oe, Å Aa)."""
    return name.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"}))


def vocative(name: str) -> str:
    """A Greek man's given name as one calls him: ``-as``, ``-os`` and ``-is`` drop their ``s`` (Andreas -> Andrea,
    Stavros -> Stavro, Michalis -> Michali); other names as they are."""
    return name[:-1] if name.endswith(("as", "os", "is")) else name


# by the place a template names: a line's region and its first digits (a national number of eight digits in Denmark
# and Cyprus, six in the Faroes and Greenland); a Danish number's third digit is never 0
_AREAS = {
    "København": ("DK", ("33", "35", "38")), "Aarhus": ("DK", ("86", "87", "89")), "Odense": ("DK", ("66",)),
    "Aalborg": ("DK", ("98", "96")), "Rønne": ("DK", ("56",)), "Sønderborg": ("DK", ("74",)),
    "Tórshavn": ("FO", ("31", "32", "35")), "Klaksvík": ("FO", ("45", "47")), "Suðuroy": ("FO", ("37",)),
    "Nuuk": ("GL", ("32", "33", "34", "36")), "Sisimiut": ("GL", ("86",)), "Ilulissat": ("GL", ("94",)),
    "Nicosia": ("CY", ("22",)), "Limassol": ("CY", ("25",)), "Larnaca": ("CY", ("24",)),
    "Paphos": ("CY", ("26",)), "Paralimni": ("CY", ("23",)),
}  # fmt: skip
_CODES = {"DK": "45", "FO": "298", "GL": "299", "CY": "357"}
_LENGTHS = {"DK": 8, "FO": 6, "GL": 6, "CY": 8}
_MOBILES = {
    "DK": ("20", "26", "27", "28", "30", "40", "42", "50", "53", "60", "61", "71", "81", "91", "93"),
    "FO": ("21", "22", "25", "28", "50", "52", "55", "58", "71", "77", "91"),
    "GL": ("22", "24", "27", "29", "46", "48", "52", "55", "58"),
    "CY": ("94", "95", "96", "97", "99"),
}
_COUNTRY_NAMES = {"DK": "Danmark", "FO": "Føroyar", "GL": "Kalaallit Nunaat", "CY": "Κύπρος"}


def _national(rng: random.Random, region: str, mobile: bool, place: str = "") -> str:
    """A national number: a mobile of ``region``, or a line of ``place`` (or of one of its)."""
    if mobile:
        head = rng.choice(_MOBILES[region])
    else:
        place = place or rng.choice([p for p, (r, _) in _AREAS.items() if r == region])
        head = rng.choice(_AREAS[place][1])
    third = rng.choice("123456789") if region == "DK" else ""
    return head + third + _digits(rng, _LENGTHS[region] - len(head) - len(third))


def _grouped(region: str, n: str) -> str:
    """A national number as its land writes it: Denmark's, the Faroes' and Greenland's in pairs (``26 12 34 56``,
    ``31 23 45``), Cyprus's 2-6 (``99 123456``)."""
    if region == "CY":
        return f"{n[:2]} {n[2:]}"
    return " ".join(n[i : i + 2] for i in range(0, len(n), 2))


def local_phone_in(rng: random.Random, region: str, context: str = "plain", place: str = "") -> tuple[str, bool]:
    """(number, mobile): a number of ``region`` as people write it in ``context``: "e164" (run together after ``+``:
    in a CSV cell's Excel guard, ``="+4526123456"``, or a SIP URI, the template writing them), "intl" (grouped after
    ``+`` and the country code), "plain" (national; after the country's own name too); a line is of ``place`` where
    one is named."""
    mobile = rng.random() < 0.5
    n = _national(rng, region, mobile, place)
    if context == "e164":
        return f"+{_CODES[region]}{n}", mobile
    if context == "intl":
        return f"+{_CODES[region]} {_grouped(region, n)}", mobile
    return _grouped(region, n), mobile


_ISSUERS = (
    (("4571",), 16), (("4",), 16), (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 41)), 16), (("34", "37"), 15),
)  # fmt: skip


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": a ``.env`` line, an XML attribute),
    fours parted by spaces ("plain"; Amex's fifteen only as a run here)."""
    return issuer_card(rng, _ISSUERS, context == "run")


_CYPRIOT = re.compile(
    r"[\u0370-\u03ff]|\.cy\b|Kalimera|Yia sou|Inta|Nicosia|Limassol|Larnaca|Paphos|Paralimni|Kyrie|karta"
)
_DANISH = re.compile(
    r"Mvh|Hej|Mojn|Goddaw|Tillykke|kortnummer|NAVN|Kære|Hilsen|Danmark|\.dk|bruger|København|Aarhus|Aalborg|Odense|"
    r"Rønne|Sønderborg|Tórshavn|Klaksvík|Suðuroy|Nuuk|Sisimiut|Ilulissat"
)
_CALL = re.compile(r"(Mojn|Goddaw|Hej|Kalimera|Yia sou) \{PERSON\}")
_ASCII = ("NAVN=", 'bruger="')
_E164 = ('="{PHONE', "sip:{PHONE")  # an Excel guard, a SIP URI


class Heldout36Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT36_SEED + 17)
        self._turns: dict[str, int] = {}

    @staticmethod
    def _land(template: str) -> str:
        """The land a template's words name: "CY", "DK" or "" (either)."""
        return "CY" if _CYPRIOT.search(template) else "DK" if _DANISH.search(template) else ""

    def _dane(self, sex: str) -> str:
        """A Dane's name: a given name (two joined by a hyphen now and then), a middle name at times, a ``-sen``
        surname (or, a third of the time, one of the others)."""
        rng, pool = self.rng, pools()
        given = rng.choice(pool[f"DK_{sex}"])
        if rng.random() < 0.2:
            given = f"{given}-{rng.choice([g for g in pool[f'DK_{sex}'] if g != given])}"
        last = rng.choice(pool["DK_last"] if rng.random() < 0.7 else pool["DK_middle"])
        middle = rng.choice(pool["DK_middle"]) if rng.random() < 0.3 else ""
        return f"{given} {middle} {last}" if middle and middle != last else f"{given} {last}"

    def _cypriot(self, sex: str) -> str:
        """A Greek Cypriot's name: a given name, his father's initial at times, a surname (``-ides`` his, ``-idou``
        hers, a pilgrim's ``Hadji`` before a father's name now and then)."""
        rng, pool = self.rng, pools()
        given = rng.choice(pool[f"CY_{sex}"])
        roll = rng.random()
        if roll < 0.15:
            last = "Hadji" + rng.choice(_HADJI)
        elif roll < 0.35:
            last = rng.choice(pool[f"CY_last_{sex}"])
        else:
            last = rng.choice(pool["CY_last"])
        if rng.random() < 0.25:
            father = rng.choice(pool["CY_men"])
            initial = father[:2] if father.startswith(("Ch", "Th", "Ph")) else father[0]
            return f"{given} {initial}. {last}"
        return f"{given} {last}"

    def person(self, template: str = "") -> str:
        """A name as the land of ``template`` writes it: a given name alone after a greeting (a Cypriot man's in the
        vocative); a Dane's or a Cypriot's name of their forms; a Dane's in ASCII where a system takes only that."""
        rng, pool = self.rng, pools()
        land = self._land(template) or rng.choice(NAME_COUNTRIES)
        sex = "men" if "Kyrie" in template or "Κύριε" in template else rng.choice(("men", "women"))  # Sir
        if _CALL.search(template):
            given = rng.choice(pool[f"{land}_{sex}"])
            return vocative(given) if land == "CY" and sex == "men" else given
        name = self._dane(sex) if land == "DK" else self._cypriot(sex)
        return ascii_danish(name) if any(w in template for w in _ASCII) else name

    def phone(self, template: str = "") -> str:
        place = next((p for p in _AREAS if p in template), "")
        context = "e164" if any(words in template for words in _E164) else "plain"
        # a contact sheet naming each land before its number: the numbers drawn in the order the lands are named
        named_ = sorted(
            (template.find(f"{w}: {{PHONE"), r) for r, w in _COUNTRY_NAMES.items() if f"{w}: {{PHONE" in template
        )
        named = ""
        if named_:
            turn = self._turns.get(template, 0)
            self._turns[template] = turn + 1
            named = named_[turn % len(named_)][1]
        land = self._land(template)
        region = named or (_AREAS[place][0] if place else land or self.rng.choice(("DK", "CY")))
        if context == "plain" and not named and self.rng.random() < 0.35:
            context = "intl"
        return local_phone_in(self.rng, region, context, place)[0]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if 'card="{' in template or "CARD={" in template else "plain")


HELDOUT36_TEMPLATES = [
    "Hej {PERSON}, kan du ringe til mig på {PHONE_NUMBER}? Mvh. Lars",
    "Tillykke med fødselsdagen, {PERSON}! Kram fra hele familien i Aarhus",
    "Mojn {PERSON}, æ kommer hjem te Sønderborg på lørdag. Ring {PHONE_NUMBER}",
    "Goddaw {PERSON}! Vi ses i Rønne, mit nummer er {PHONE_NUMBER}",
    "Kære {PERSON}\nTak for sidst i Odense.\nMvh. {PERSON}, tlf. {PHONE_NUMBER} lokal 214",
    "Kontaktperson: {PERSON}, København, {PHONE_NUMBER}",
    "Hej {PERSON}, mit kortnummer er {CREDIT_CARD}, udløb 08/29",
    "Mojn, kortnummer {CREDIT_CARD} te {PERSON}, det er i orden",
    "Aalborg Kommune, sagsbehandler {PERSON}, direkte {PHONE_NUMBER}",
    'Navn;Telefon;By\n{PERSON};="{PHONE_NUMBER}";Aarhus',
    "NAVN={PERSON} PNR=ABC12D TLF={PHONE_NUMBER}",
    "Hilsen úr Tórshavn, {PERSON}. Ring á {PHONE_NUMBER}",
    "Klaksvík: bátsferð við {PERSON}, {PHONE_NUMBER}",
    "Hej {PERSON}, vi lander i Nuuk kl. 14. Mit grønlandske nummer er {PHONE_NUMBER}",
    "Sisimiut: hundeslædetur med {PERSON}, booking {PHONE_NUMBER}",
    "Danmark: {PHONE_NUMBER} · Føroyar: {PHONE_NUMBER} · Kalaallit Nunaat: {PHONE_NUMBER} (kontakt {PERSON})",
    "From: {PERSON} <{EMAIL_ADDRESS}>\nTo: sip:{PHONE_NUMBER}@voip.example.dk;user=phone",
    "Contact: <sip:{PHONE_NUMBER}@pbx.example.com.cy;user=phone>\nX-Caller: {PERSON}",
    "Kalimera {PERSON}! Inta kamneis? Pare me tilefono sto {PHONE_NUMBER}",
    "Yia sou {PERSON}, tha se do stin Limassol avrio",
    "Inta kamneis {PERSON}? Efaes? Eimai Larnaca, {PHONE_NUMBER}",
    "Κύριε {PERSON}, το γραφείο μας στη Λευκωσία: {PHONE_NUMBER}",
    "Κύπρος: {PHONE_NUMBER}, υπεύθυνος {PERSON}",
    "Villa in Paphos, owner {PERSON}, call {PHONE_NUMBER}",
    "Paralimni apartment, ask for {PERSON} on {PHONE_NUMBER}",
    "Kyrie {PERSON}, o arithmos tis kartas mou en {CREDIT_CARD}, Nicosia",
    "Nicosia General Hospital, Dr {PERSON}, switchboard {PHONE_NUMBER}",
    "STRIPE_TEST_CARD={CREDIT_CARD}\nOWNER={PERSON}",
    '<payment holder="{PERSON}" card="{CREDIT_CARD}" expiry="11/28"/>',
    'AUDIT bruger="{PERSON}" ip={IP_ADDRESS} handling=login',
    "Login from {IP_ADDRESS} by {PERSON} <{EMAIL_ADDRESS}>",
]
HELDOUT36_NEGATIVES = [
    "Coop medlemskort 7{c} {zip4} {c}{q} {a:02d}{b:02d}",  # sixteen digits made to fail Luhn
    "CVR-nr. 1{c}{a:02d}{b:02d}, Aarhus",
    "EAN-nummer 5798{zip4}{zip4}{q}, Odense Kommune",
    "HE {c}{a:02d}, Limassol",
    "DK-{zip4} København Ø",
    "Nummerplade AB {a:02d} {c}",
    "ISBN 978-87-{c}-{a:02d}-{q}",
    "ISBN 978-9963-{a:02d}-{q}{q}-{q}",
    "København 55.6{zip4} 12.5{c}",
    "Tórshavn 62.0{zip4} -6.7{c}",
    "Nuuk 64.1{zip4} -51.7{c}",
    "Λεμεσός 34.6{zip4} 33.0{c}",
    "Pris kr. {c},95 inkl. moms",
    "€{a},{b:02d} halloumi kai lountza, Paphos",
    "Smyril Line, Norröna, kahyt {c}, dæk {a}",
    "SK {c} København – Nuuk, sæde {a}C",
    "FCK {q} – {q} Brøndby, Parken",
    "APOEL {q} – {q} Omonia, GSP",
    "Postboks {c}, {zip4} Aalborg",
    "Τ.Κ. {zip4}, Λευκωσία",
]
HELDOUT36_WORD_NEGATIVES = [
    "Tivoli Nyhavn Rundetårn Christiansborg Sankt Hans Aften",
    "H.C. Andersens Boulevard Kongens Nytorv Strøget Amalienborg",
    "Mojn! Dybbøl Banke Sønderborg Slot Kværs Ringridning",
    "Hammershus Gudhjem Svaneke Østerlars Rundkirke Bornholm",
    "Ólavsøka Tinganes Kirkjubøur Gjógv Mykines Vestmanna",
    "Ilulissat Isfjord Kangerlussuaq Qaqortoq Ullortuneq Nuuk",
    "Archbishop Makarios III Avenue Ledra Street Eleftheria Square",
    "Petra tou Romiou Kourion Troodos Kykkos Lefkara Omodos",
    "Πάσχα στη Λεμεσό, Ανθεστήρια, Καρναβάλι Λεμεσού",
    "Ayia Napa Fig Tree Bay Cape Greco Kolossi Castle",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT36."""
    texts = (HELDOUT36_TEMPLATES, HELDOUT36_NEGATIVES, HELDOUT36_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT36_SEED,
        HELDOUT36_FAKER_LOCALES,
        Heldout36Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout36.txt",
        never_valid,
    )


_MEMBERS = re.compile(r"medlemskort ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a members' card whose sixteen digits happen to pass Luhn given a last digit one higher (0 after
    9): the shape of a card, never one."""
    return nudge_luhn(text, _MEMBERS)
