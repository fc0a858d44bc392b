"""HELDOUT32: the thirty-second held-out PII part (issue 9, item 8), made while HELDOUT31 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

Its names come from one package that no earlier part and no name list was built from, read from its data file
without importing it: ``genuine-fake`` (a maker of test data), whose ``genuine/data_list.py`` holds a list of given
names and one of surnames of Zimbabwe: Ndebele and other Nguni names (``Thandolwenkosi``, ``Sibusiso``, ``Ncube``,
``Khumalo``), Shona names (``Tinotenda``, ``Rutendo``, ``Chigumira``, ``Nyamupfukudza``) and the English names
Zimbabweans give, many of them words (``Learnmore``, ``Lastborn``, ``Prayer``, ``Privilege``). Its surname list runs
on into Zambian and then South African surnames: those are left out, from where the Zambian ones begin; so are its
entries in lower case, with a stray mark or of three letters or fewer (its other lists are not read). Given names
and surnames are drawn apart with this part's own random source, never into a head of state's or a party leader's
name (their names are among the lists'). The forms are Zimbabwe's: a second given name (``Tatenda Learnmore
Moyo``); a mother or a father named by a child's name, ``Mai``, ``Amai`` or ``Baba`` and a given name (``Mai
Rufaro``), at a market stall or a tuckshop; an Ndebele woman called by her clan's name, ``Ma`` and a surname of Nguni
spelling glued (``Gogo MaNcube``); a name glued to Ndebele's copula (``Ibizo lami nguSipho Dube``); a burial
society's initials; an EcoCash confirmation's capitals; a given name alone after a greeting. Looked at and left:
``worldnames`` (one list of names of every age and no country), ``random-ng-names`` (Yoruba, as ``morphex`` spent),
``fakeuser`` (fetches its people at run time), ``pii-names`` (an empty module).

Templates the other parts lack: isiNdebele (``Salibonani``, ``Ngiyabonga``, ``Ibizo lami ngu``), Bemba
(``Mwashibukeni``, ``Natotela``, ``Ishina lyandi ni``), Lozi (``Mu zuhile cwañi``, ``Ni itumezi``), Tonga of the Zambezi
valley (``Mwabuka buti``, ``Twalumba kapati``), Tumbuka (``Yewo chomene``, ``Mwawuka uli``), Changana (``Avuxeni``,
``Inkomu``), Venda (``Ndo livhuwa``) and Zimbabwean English: a kombi, a tuckshop, Mbare Musika, a malaicha, a burial
society in Leicester, a Highlanders supporters' bus, the Kuomboka; EcoCash's send-money code (``*151*1*1*`` and a
number) and its transfer confirmation, a Kannel SMS log line, a USSD session's ``msisdn=``, an iCalendar ``DESCRIPTION``
with a one-tap dial-in (``+263242700100,,84213097#``), a vCard ``NOTE``, two numbers parted by `` / ``, a curl call with
``card[number]`` and ``card[name]``, an HTML ``cc-number`` field's value, a card in a chat's code span, a pyproject
``authors``, a Helm chart's ``maintainers``, Jenkins' ``Started by user``.
Phone numbers: of Zimbabwe (Harare's 242 and Bulawayo's 292, NetOne's and Econet's mobiles), Zambia (Lusaka's 211,
the Copperbelt's 212, Livingstone's 213; mobiles), Malawi (its seven-digit landlines; TNM's 88 and Airtel's 99) and
Mozambique (Maputo's 21, Beira's 23, Chimoio's 251, Xai-Xai's 282; mobiles), regions one earlier part each wrote
mobiles of, landlines and mobiles (written here, not by a library; each valid by ``phonenumbers`` and of the kind
given here: the test checks), in forms no part wrote: a national number run together in a USSD code or an EcoCash
line, an E.164 number before a dial-in's pauses and PIN, an MSISDN (the country code without ``+``), after a
country's name in a vCard ``NOTE``, two to a line. A template naming a place gets its numbers.
Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, UnionPay's 62), each
completed by its Luhn digit, in forms of this part's own: a run after ``card[number]=`` or in backticks, fours parted
by hyphens in an HTML field's value, fours amid Ndebele words. The other types come from ``bench.pii_sets.Makers`` in
the zu_ZA, en_KE and en_GB locales (only their non-name types; the part has no IBAN: its regions have none).

Negatives: numbers that are not personal data, several with a real identifier's shape: a ZESA prepaid token of twenty
digits in fours (its first sixteen and all twenty made to fail Luhn: the test checks), a meter number of eleven
digits, a firm's ZIMRA and TPIN numbers (the test checks none is a number of the part's regions), an EcoCash merchant
code in a USSD string and its transaction ID, a tobacco bale ticket, Zambian and Malawian ISBNs; positions near
Harare, Bulawayo, Victoria Falls, Binga, Mongu, Mzuzu and Xai-Xai; amounts in ZiG, US dollars, kwacha of Zambia and
Malawi, meticais and rand; a coach, a flight, a score. Word lines: capitalized places, ceremonies and teams with no
person in them, in isiNdebele, Bemba, Lozi, Tonga, Tumbuka, Changana, Venda and English, several after a greeting as
a radio greets a town, some holding names of this part's pools (Tshabalala, Nyanga, Mutare, Gutu) or a person's
name as a place's (Livingstone).
"""

from __future__ import annotations

import ast
import importlib.util
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

HELDOUT32_SEED = 3232641
HELDOUT32_FAKER_LOCALES = ["zu_ZA", "en_KE", "en_GB"]  # only their non-name types are drawn
LOCAL_REGIONS = ("ZW", "ZM", "MW", "MZ")
_CC = {"ZW": "263", "ZM": "260", "MW": "265", "MZ": "258"}
_ZAMBIAN_START = ["Banda", "Phiri", "Zulu", "Mulenga"]  # where the surname list's Zambian names begin
_ENTRY = re.compile(r"[A-Z][a-z]*(?:['-][A-Za-z][a-z]+)?")
NGUNI = re.compile(r"^n[cqx]|hl|dl|kh", re.I)  # a surname with a Nguni spelling (Ncube, Mhlanga, Dlodlo, Khumalo)
# leaders the package lists too, whose names a draw could make
FAMOUS = frozenset(
    "Robert Mugabe|Grace Mugabe|Emmerson Mnangagwa|Morgan Tsvangirai|Nelson Chamisa|Joshua Nkomo|Tendai Biti|"
    "David Coltart|Thokozani Khupe|Arthur Mutambara|Nelson Mandela".split("|")
)


def _data() -> Path:
    spec = importlib.util.find_spec("genuine")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("HELDOUT32 needs the package 'genuine-fake' (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations))) / "data_list.py"


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: the package's given names, its Zimbabwean surnames, and those of them with a Nguni spelling
    (a clan name an Ndebele woman is called by); read from the lists' literals, the module never run."""
    lists = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(_data().read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in ("common_names", "common_surnames")
    }
    surnames = lists["common_surnames"]
    cut = next(i for i in range(len(surnames)) if surnames[i : i + 4] == _ZAMBIAN_START)
    family = {s.strip().rstrip(",") for s in surnames[:cut]}
    family = {s for s in family if _ENTRY.fullmatch(s) and len(s) > 3 and re.search("[aeiou]", s)}
    given = {g.strip() for g in lists["common_names"] if _ENTRY.fullmatch(g.strip())}
    return {
        "given": tuple(sorted(given)),
        "family": tuple(sorted(family)),
        "nguni": tuple(sorted(f for f in family if NGUNI.search(f))),
    }


def _national(rng: random.Random, region: str, mobile: bool) -> str:
    """A national number: Zimbabwe's nine digits (Harare's 242 and Bulawayo's 292; NetOne's 71, Econet's 77 and 78),
    Zambia's nine (211 to 213; 95 to 97, 76, 77), Malawi's seven-digit landlines and nine-digit mobiles (88, 99),
    Mozambique's eight-digit landlines (21, 23, 251, 282) and nine-digit mobiles (82 to 85)."""
    if region == "ZW":
        if mobile:
            return rng.choice(("71", "77", "78")) + _digits(rng, 7)
        return rng.choice(("242", "292")) + rng.choice("234567") + _digits(rng, 5)
    if region == "ZM":
        if mobile:
            return rng.choice(("95", "96", "97", "76", "77")) + _digits(rng, 7)
        return "21" + rng.choice("123") + _digits(rng, 6)
    if region == "MW":
        return rng.choice(("88", "99")) + _digits(rng, 7) if mobile else "1" + rng.choice("3578") + _digits(rng, 5)
    if mobile:
        return "8" + rng.choice("2345") + _digits(rng, 7)
    code = rng.choice(("21", "23", "251", "282"))
    return code + _digits(rng, 8 - len(code))


def _grouped(region: str, n: str) -> str:
    """``n`` grouped as the region writes it: ``772 123 456``, ``888 12 34 56`` and ``1 312 345``, ``84 123 4567``,
    ``21 123 456`` and ``282 12 345``."""
    if region == "MW":
        return f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}" if len(n) == 9 else f"{n[0]} {n[1:4]} {n[4:]}"
    if region == "MZ" and len(n) == 9:
        return f"{n[:2]} {n[2:5]} {n[5:]}"
    if region == "MZ":
        return f"{n[:3]} {n[3:5]} {n[5:]}" if n[:2] in ("25", "28") else f"{n[:2]} {n[2:5]} {n[5:]}"
    return f"{n[:3]} {n[3:6]} {n[6:]}"


def local_phone_in(rng: random.Random, region: str | None = None, context: str = "plain") -> tuple[str, str]:
    """(region, number): a Zimbabwean, Zambian, Malawian or Mozambican number (``region``, or any when None) as people
    write it in ``context``: "run" (an Econet mobile's national digits run together, in a USSD code or an EcoCash
    line), "dial" (a landline in E.164, before a dial-in's pauses), "msisdn" (a mobile's country code and
    number without ``+``), "national" (a mobile with its trunk 0, two to a line), "plain" (a landline or a mobile with
    its trunk 0, none in Mozambique, or with ``+``)."""
    if context == "run":
        return "ZW", "0" + rng.choice(("77", "78")) + _digits(rng, 7)
    region = region or rng.choice(LOCAL_REGIONS)
    mobile = context in ("msisdn", "national") or (context != "dial" and rng.random() < 0.5)
    n = _national(rng, region, mobile)
    if context == "dial":
        return region, f"+{_CC[region]}{n}"
    if context == "msisdn":
        return region, _CC[region] + n
    national = ("" if region == "MZ" else "0") + _grouped(region, n)
    if context == "national":
        return region, national
    return region, rng.choice([national, f"+{_CC[region]} {_grouped(region, n)}"])


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 41)), 16),
    (("62",), 16),
)


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": after ``card[number]=``, in backticks),
    fours parted by hyphens ("hyphens": an HTML field's value), else fours parted by spaces."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if context == "run":
        return number
    return ("-" if context == "hyphens" else " ").join(number[i : i + 4] for i in range(0, length, 4))


# the words of a template that name its land, whose numbers it holds
_LANDS = (
    (
        ("Bulawayo", "Salibonani", "Ibizo", "Gogo", "Mbare", "Chitungwiza", "*151*", "Transfer Confirmation", "Zim "),
        "ZW",
    ),
    (("Malaicha", "Beitbridge", "HIFA", "Highlanders", "econet", "Harare", "Victoria Falls", "Binga"), "ZW"),
    (("Kasama", "Mwashibukeni", "Lusaka", "Mongu", "Limulunga", "Siavonga", "Livingstone"), "ZM"),
    (("Yewo", "Mzuzu", "Nkhata Bay"), "MW"),
    (("Avuxeni", "Xai-Xai", "Chókwè", "Beira"), "MZ"),
)
_GREETINGS = ("Salibonani", "Mwashibukeni", "Mu zuhile", "Ni itumezi", "Mwabuka", "Twalumba", "Yewo", "Avuxeni")
_GREETINGS += ("Inkomu", "Ndo livhuwa", "Mwawuka")
_TEKNONYM = ("Mbare Musika", "tuckshop")  # a mother or a father named by a child's name
_CONTEXTS = {"*151*": "run", "Transfer Confirmation": "run", "EcoCash to": "run", ",,": "dial"}
_CONTEXTS |= {"[to:": "msisdn", "msisdn=": "msisdn"}


class Heldout32Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT32_SEED + 91)

    def person(self, template: str = "") -> str:
        """A name in a form Zimbabwe writes: ``Ma`` and a Nguni surname after ``Gogo``; ``Mai``, ``Amai`` or ``Baba``
        and a given name at a stall or a tuckshop, often; a given name alone after a greeting now and then; initials
        and a surname in a burial society's list; else one given name or two and a surname, in capitals in an EcoCash
        confirmation."""
        rng, pool = self.rng, pools()
        if "Gogo {PERSON}" in template:
            return "Ma" + rng.choice(pool["nguni"])
        given, second = rng.sample(pool["given"], 2)
        family = rng.choice(pool["family"])
        while f"{given} {family}" in FAMOUS:
            family = rng.choice(pool["family"])
        if any(w in template for w in _TEKNONYM) and rng.random() < 0.6:
            return f"{rng.choice(('Mai', 'Amai', 'Baba'))} {given}"
        if any(g in template for g in _GREETINGS) and rng.random() < 0.4:
            return given
        if "Burial Society" in template:
            return f"{given[0]}. {second[0]}. {family}" if rng.random() < 0.5 else f"{given[0]}. {family}"
        name = f"{given} {second} {family}" if rng.random() < 0.25 else f"{given} {family}"
        return name.upper() if "Transfer Confirmation" in template else name

    def phone(self, template: str = "") -> str:
        region = next((r for words, r in _LANDS if any(w in template for w in words)), None)
        context = next((c for words, c in _CONTEXTS.items() if words in template), "plain")
        if context == "plain" and "} / {" in template:
            context = "national"
        return local_phone_in(self.rng, region, context)[1]

    def card(self, template: str = "") -> str:
        if "cc-number" in template:
            return card_in(self.rng, "hyphens")
        return card_in(self.rng, "run" if "card[number]=" in template or "`{CREDIT_CARD}`" in template else "plain")


HELDOUT32_TEMPLATES = [
    "Salibonani {PERSON}! Ngicela ungifonele ku {PHONE_NUMBER}, ngilapha eBulawayo",
    "Ngiyabonga kakhulu, {PERSON}. Inombolo yekhadi lami ngu {CREDIT_CARD}",
    "Ibizo lami ngu{PERSON}, ngihlala eBulawayo. {PHONE_NUMBER}",
    "Gogo {PERSON} waseNkulumane, {PHONE_NUMBER}",
    "Fresh covo and tomatoes from {PERSON}'s stall at Mbare Musika, WhatsApp {PHONE_NUMBER}",
    "{PERSON}'s tuckshop, Chitungwiza: airtime, bread and maputi. Call {PHONE_NUMBER}",
    "Kombi to Chitungwiza leaves at 5, driver {PERSON}, {PHONE_NUMBER} / {PHONE_NUMBER}",
    "EcoCash: dial *151*1*1*{PHONE_NUMBER}# to send {PERSON} your share for the roora",
    "Transfer Confirmation. US$20.00 sent to {PERSON} {PHONE_NUMBER}. New wallet balance: US$4.50",
    "Leicester Burial Society: {PERSON} paid £10 for May. Zim line {PHONE_NUMBER}",
    "Malaicha leaving Jo'burg for Bulawayo on Friday, contact {PERSON} on {PHONE_NUMBER}",
    "Ndo livhuwa {PERSON}! Beitbridge border post, {PHONE_NUMBER}",
    "HIFA volunteer roster, Harare Gardens: {PERSON}, {EMAIL_ADDRESS}",
    "Highlanders FC supporters' bus: {PERSON} collects the fares, {PHONE_NUMBER}",
    "Victoria Falls rafting, your guide {PERSON}: {PHONE_NUMBER}",
    "Twalumba kapati, {PERSON}! Binga, Lake Kariba: {PHONE_NUMBER}",
    "Sent SMS [SMSC:econet] [SVC:zesa] [from:ZESA] [to:{PHONE_NUMBER}] [msg:24:Your token is ready]",
    "USSD session 7f3a21 msisdn={PHONE_NUMBER} input=*151# step=2 (Harare)",
    "BEGIN:VEVENT\nSUMMARY:1:1 with {PERSON}\nDESCRIPTION:Harare. Join by phone: {PHONE_NUMBER},,84213097#\nEND:VEVENT",
    "BEGIN:VCARD\nVERSION:3.0\nFN:{PERSON}\nNOTE:Zim line {PHONE_NUMBER}, WhatsApp only\nEND:VCARD",
    "Mwashibukeni {PERSON}! Natotela. Kasama, {PHONE_NUMBER}",
    "Ishina lyandi ni {PERSON}, ndi ku Lusaka: {PHONE_NUMBER}",
    "Mu zuhile cwañi, {PERSON}? Kuomboka, Mongu: {PHONE_NUMBER}",
    "Ni itumezi {PERSON}! Limulunga, {PHONE_NUMBER}",
    "Mwabuka buti, {PERSON}? Siavonga, Lake Kariba: {PHONE_NUMBER}",
    "Livingstone cross-border traders: chairperson {PERSON}, {PHONE_NUMBER}",
    "Yewo chomene {PERSON}! Mzuzu, {PHONE_NUMBER}",
    "Mwawuka uli, {PERSON}? Nkhata Bay, {PHONE_NUMBER}",
    "Avuxeni {PERSON}! Xai-Xai, {PHONE_NUMBER}",
    "Inkomu, {PERSON}. Chókwè, {PHONE_NUMBER}",
    "Beira port, clearing agent {PERSON}: {PHONE_NUMBER}",
    'curl https://api.example.com/v1/tokens -d "card[number]={CREDIT_CARD}" -d "card[name]={PERSON}"',
    '<input name="cardnumber" autocomplete="cc-number" value="{CREDIT_CARD}">\n'
    '<input name="ccname" autocomplete="cc-name" value="{PERSON}">',
    "[10:42] {PERSON}: use `{CREDIT_CARD}` for the Bulawayo pilot, it's live",
    'authors = [{{ name = "{PERSON}", email = "{EMAIL_ADDRESS}" }}]',
    "maintainers:\n  - name: {PERSON}\n    email: {EMAIL_ADDRESS}",
    "Started by user {PERSON}\nRunning on agent-harare-2 in /var/lib/jenkins/workspace/ecocash-api",
    "Tobacco Sales Floor, Harare: grower {PERSON}, paid by EcoCash to {PHONE_NUMBER}",
    "meeting log: {PERSON} joined from {IP_ADDRESS} (Bulawayo office)",
]
HELDOUT32_NEGATIVES = [
    "ZESA token: 5{c} {zip4} {a:02d}{b:02d} {d:02d}{m:02d} {q}{c}",  # made to fail Luhn (16 and 20 digits)
    "Meter No. 3{c}{zip4}{q}{a:02d}, Nkulumane",
    "ZIMRA BP No. 200{c}{zip4}, Bulawayo",
    "TPIN 100{zip4}{c}, Kitwe",
    "EcoCash merchant: dial *151*2*2*{c}{a:02d}*{b}# at Mbare Musika",
    "Txn ID MP24{m:02d}{d:02d}.{zip4}.C{c}{a:02d}",
    "Bale {c}-{zip4}, Tobacco Sales Floor, Harare",
    "ISBN 978-9982-{c}-{a:02d}-{q}",
    "ISBN 978-99908-{a:02d}-{b:02d}-{q}",
    "Harare -17.8{zip4} 31.0{c}",
    "Bulawayo -20.1{zip4} 28.5{c}",
    "Victoria Falls -17.9{zip4} 25.8{c}",
    "Binga -17.6{zip4} 27.3{c}",
    "Mongu -15.2{zip4} 23.1{c}",
    "Mzuzu -11.4{zip4} 34.0{c}",
    "Xai-Xai -25.0{zip4} 33.6{c}",
    "ZiG {c}.{b:02d} kombi fare, Mbare",
    "US${a} for {q} GB, Econet *143#",
    "K{c} at Soweto Market, Lusaka",
    "MK{zip4} ku Mzuzu",
    "{c} MT, Xai-Xai",
    "R{c} malaicha fee, Beitbridge",
    "Coach Harare – Bulawayo {q}:{d2:02d}, seat {a}",
    "Fastjet FN {c} Harare – Victoria Falls, seat {a}F",
    "Highlanders {q} – {a} Dynamos, Barbourfields",
]
HELDOUT32_WORD_NEGATIVES = [
    "Mpopoma Luveve Njube Tshabalala Sizinda",
    "Siyalemukela eMatobo National Park",
    "Highlanders Dynamos CAPS United Barbourfields Stadium",
    "Great Zimbabwe Hill Complex Chinhoyi Caves Mana Pools",
    "Kuomboka Ceremony Limulunga Lealui Barotse Floodplain",
    "Mwaiseni ku Kasama! Ukusefya pa Ng'wena Chishimba Falls",
    "Mwabuka buti, Binga! Lwiindi Ceremony Mlibizi Lake Kariba",
    "Yewo chomene, Mzuzu! Nkhata Bay Vwaza Marsh Nyika Plateau",
    "Avuxeni, Xai-Xai! Bilene Limpopo Chókwè Macia",
    "Ndo livhuwa, Thohoyandou! Lake Fundudzi Mapungubwe",
    "Nyanga National Park Mutare Gutu Growth Point",
    "Victoria Falls Rainforest Devil's Pool Livingstone Island",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT32."""
    texts = (HELDOUT32_TEMPLATES, HELDOUT32_NEGATIVES, HELDOUT32_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT32_SEED,
        HELDOUT32_FAKER_LOCALES,
        Heldout32Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout32.txt",
        never_valid,
    )


_TOKEN16 = re.compile(r"token: ((?:\d{4} ){3}\d{4})")
_TOKEN20 = re.compile(r"token: ((?:\d{4} ){4}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a prepaid token whose first sixteen digits, or all twenty, happen to pass Luhn given a last digit
    one higher (0 after 9): the shape of a card, never one."""
    return nudge_luhn(nudge_luhn(text, _TOKEN16), _TOKEN20)
