"""HELDOUT30: the thirtieth held-out PII part (issue 9, item 8), made while HELDOUT29 is still unstudied, so that with
it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and hand
cases, before any result on it was seen; only its totals are printed.

Its names come from one package that no earlier part and no name list was built from, read from its data files without
importing it: ``ethnicity`` (a guesser of ethnicity from a name, made in Australia), whose ``data`` folder holds lists
by origin, in lower case without diacritics. Three Pacific lists are drawn: Hawaiian given names and family names
(``keoni``, ``leilani``, ``kealoha``, ``kaanaana``), Samoan given names (the list holds Māori ones too: ``henare``,
``rongomaiwhenua``, ``tamati``) and family names, matai titles among them (``afamasaga``, ``leapai``, ``tuiaa``), and
Fijian full names, famous Fijians mostly, split here into given names and family names and drawn apart, so that no full
name is one the list holds (HELDOUT20 drew Fiji's pool of ``names-dataset``, another source). The forms are written here
as those traditions write a name: a glottal stop between two like vowels and where the list has an apostrophe, as an
ʻokina (U+02BB), an apostrophe, a right single quote or not at all (``Kaʻanaʻana``, ``Fa'amoana``, ``Fainu’u``,
``Faasoo``); a Hawaiian name with a second Hawaiian given name; a Samoan name after a matai title (``Tuiaʻa Sione
Faleafa``); a given name alone after a greeting or after Tūtū (a grandparent); a roster's ``Family, Given``; a card's
first track, ``FAMILY/GIVEN`` in capitals. Looked at and left: ``charbox`` (its wheel lacks its modules), ``babe``
(fetches the US baby names at run time), ``persona-factory`` (Faker's locales), ``whatsername`` (Chinese and Japanese
surnames), ``lesya`` (Ukrainian surnames, as ``shevchenko-py`` spent), ``indic-faker`` (Indian names, as
``indian-names`` and ``tamil-names`` spent), ``prosoponym`` (no lists), and the package's other lists (spent origins).

Templates the other parts lack: Hawaiian (``E komo mai``, ``Me ke aloha pumehana``, ``Mahalo nui iā``), Hawaiʻi Pidgin
(``Eh howzit``, ``bumbye``, ``Shoots``, ``stay``), Tok Pisin (``Gude``, ``Tenkyu tru``, ``Nem bilong mi``), Scots
(``Guid day tae ye``, ``Ah'm obleeged``), a Rotuman greeting (``Noaʻia ʻe mauri``); an outrigger canoe club's roster, a
kumu hula's hālau, a fono notice, a saofaʻi, a Manu Samoa squad update, a Tusitala museum guide, a Nukuʻalofa shipping
agent, a Flag Day float, the Hiri Moale festival, a Rotuma Day committee, a sevens camp in Nadi; a JSON record, an
iCalendar ``LOCATION``, a vCard ``IMPP`` with an ``sms:`` URI, an ``sms:`` link, a card's first and second tracks, a
JSON ``pan`` as a bare integer, a form-encoded body, a CSV cell kept as text (``'`` or ``="..."``), a hotel's Wi-Fi log.
Phone numbers: of Samoa (Apia's landlines and mobiles), Tonga (landlines and mobiles), American Samoa (landlines and
mobiles) and Papua New Guinea (landlines and mobiles), four regions one earlier part each wrote mobile numbers of, in
forms none wrote (written here, not by a library; each valid by ``phonenumbers`` and of the kind given here: the test
checks): after a flag emoji, after a telephone emoji, as E.164 in a JSON string, an ``sms:`` link and a vCard ``IMPP``,
dialled from Samoa with its one-digit access code ``0`` (``0 676 23 456``, ``0-1-684-633-1234``), and in an iCalendar
``LOCATION``. A template naming a place gets its numbers.
Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, JCB's 3528 to 3589, Amex's
34 and 37 of 15 digits), each completed by its Luhn digit, in forms of this part's own: fours parted by ``+`` (a number
typed with spaces and form-encoded), Amex's fifteen as fours and a last three, and a run in a JSON integer, a card's
first or second track or a CSV cell kept as text. The other types come from ``bench.pii_sets.Makers`` in the en_US,
en_NZ and en_AU locales (only their non-name types are drawn; the part has no IBAN: its regions have none).

Negatives: numbers that are not personal data, several with a real identifier's shape: a Tok Pisin receipt number ``1``
+ six digits (a Samoan, Tongan or Papuan number's length with a first digit none has: the test checks it is valid in
none of the part's regions); a loyalty number of sixteen digits as a JSON integer and a gift card of fours parted by
``+`` (card shapes, each made to fail Luhn: the test checks); a Hawaiian tax map key, a container number, a Scottish
charity number, a router's firmware of four numbers (an IP address's shape), an iCalendar ``DTSTART``; ZIP codes of
Honolulu and Pago Pago; positions near Apia, Nukuʻalofa, Pago Pago, Port Moresby, Honolulu and Rotuma; amounts in tala,
paʻanga and kina; a flight, a rugby score, a bus in Tok Pisin. Word lines: capitalized feasts, places and institutions
with no person in them, in Hawaiian, Tok Pisin, Rotuman, Samoan, Scots, Rapa Nui and English, some holding words that
are names in this part's own pools (Leilani Estates, Kaimana Beach, the Moana Surfrider, Kamehameha Day).
"""

from __future__ import annotations

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

HELDOUT30_SEED = 3030517
HELDOUT30_FAKER_LOCALES = ["en_US", "en_NZ", "en_AU"]  # only their non-name types are drawn
LOCAL_REGIONS = ("WS", "TO", "AS", "PG")
SAMOA_ACCESS = "0"  # Samoa's international access code: a number written after it is read as dialled from Samoa
TRADITIONS = ("hawaiian", "samoan", "fijian")
GLOTTAL_MARKS = ("ʻ", "'", "’", "")  # the ʻokina, an apostrophe, a right single quote, or none (as the package)

_ENTRY = re.compile(r"[a-z]+(?:[-' ][a-z]+)*")
_VOWEL = re.compile(r"[aeiou]")
_LIKE_VOWELS = re.compile(r"([aeiou])(?=\1)", re.I)


def _data() -> Path:
    spec = importlib.util.find_spec("ethnicity")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("HELDOUT30 needs the package 'ethnicity' (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _lines(origin: str, kind: str) -> list[str]:
    """A list of the package's (``origin``/``kind``): its entries, one a line, stripped of a trailing field."""
    path = _data() / origin / kind / f"{kind}_.txt"
    return [line.split("\t")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]


def _kept(entries: list[str]) -> list[str]:
    """The entries that are letters (a hyphen, an apostrophe or one space inside), three or more with a vowel, once."""
    return sorted({e for e in entries if _ENTRY.fullmatch(e) and len(e) >= 3 and _VOWEL.search(e)})


def capitalized(entry: str) -> str:
    """``entry`` as a name is written: each word and each part after a hyphen capitalized, an apostrophe kept inside
    (``la'ei`` gives ``La'ei``, ``mara-rasova`` ``Mara-Rasova``, ``ah sam`` ``Ah Sam``)."""
    return re.sub(r"(^|[ -])([a-z])", lambda m: m.group(1) + m.group(2).upper(), entry)


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools, capitalized: Hawaiian given and family names, Samoan given names (less ``samoa``, the
    country's name) and family names, Fijian given names (the list's and the first words of its full names) and family
    names (the last words of its full names of two words or more)."""
    full = [e.split() for e in _lines("fijian", "full_names") if _ENTRY.fullmatch(e)]
    fijian_given = _kept(_lines("fijian", "first_names") + [words[0] for words in full])
    out = {
        "hawaiian_given": _kept(_lines("hawaiian", "first_names")),
        "hawaiian_family": _kept(_lines("hawaiian", "last_names")),
        "samoan_given": [n for n in _kept(_lines("samoan", "first_names")) if n != "samoa"],
        "samoan_family": _kept(_lines("samoan", "last_names")),
        "fijian_given": fijian_given,
        "fijian_family": _kept([words[-1] for words in full if len(words) >= 2]),
    }
    return {key: tuple(capitalized(n) for n in names) for key, names in out.items()}


def glottal(name: str, mark: str) -> str:
    """``name`` with its glottal stops written as ``mark``: where the list has an apostrophe, and between two like
    vowels, where Samoan and Hawaiian have one (``Faamoana`` gives ``Faʻamoana``, ``Kaanaana`` ``Kaʻanaʻana``)."""
    return _LIKE_VOWELS.sub(lambda m: m.group(1) + mark, name.replace("'", mark))


_CC = {"WS": "685", "TO": "676", "AS": "1", "PG": "675"}
_TO_LANDLINES = ("21", "22", "23", "24", "25", "26", "28", "29", "60", "70", "71", "85")


def _national(rng: random.Random, region: str) -> str:
    """A national number, a landline or a mobile about half the time each: Samoa's five-digit landlines (Apia's 2)
    and seven-digit mobiles, Tonga's five-digit landlines and seven-digit mobiles, American Samoa's ten digits
    (684 and an exchange), Papua New Guinea's seven-digit landlines and eight-digit mobiles."""
    landline = rng.random() < 0.5
    if region == "WS":
        if landline:
            return rng.choice("22345") + _digits(rng, 4)
        return rng.choice(("72", "75", "76", "77", "78", "83", "84")) + _digits(rng, 5)
    if region == "TO":
        if landline:
            return rng.choice(_TO_LANDLINES) + _digits(rng, 3)
        return rng.choice(("77", "78", "84", "87", "88")) + _digits(rng, 5)
    if region == "AS":
        exchanges = ("633", "699", "622", "688", "644") if landline else ("733", "258", "252", "256", "770", "731")
        return "684" + rng.choice(exchanges) + _digits(rng, 4)
    if landline:
        return rng.choice(("30", "32", "32", "47", "42", "54")) + _digits(rng, 5)
    return rng.choice(("70", "71", "72", "73", "74", "76", "79", "81", "82")) + _digits(rng, 6)


def _grouped(region: str, n: str) -> str:
    """``n`` grouped as the region writes it: ``22 123`` and ``772 1234`` in Samoa and Tonga, ``684 633 1234``,
    ``325 1234`` and ``7012 3456`` in Papua New Guinea."""
    if region in ("WS", "TO"):
        return f"{n[:2]} {n[2:]}" if len(n) == 5 else f"{n[:3]} {n[3:]}"
    if region == "AS":
        return f"{n[:3]} {n[3:6]} {n[6:]}"
    return f"{n[:3]} {n[3:]}" if len(n) == 7 else f"{n[:4]} {n[4:]}"


def local_phone_in(rng: random.Random, region: str | None = None, context: str = "plain") -> tuple[str, str]:
    """(region, number): a Samoan, Tongan, American Samoan or Papuan number (``region``, or any when None) as people
    write it in ``context``: "intl" (after a flag, in a calendar's LOCATION: with its country code), "national" (after a
    telephone emoji), "e164" (a JSON string, an sms: link), "samoa" (dialled from Samoa with its access code 0; never a
    Samoan number), "plain" (a line of text: with its country code or without)."""
    if context == "samoa" and region in (None, "WS"):
        region = rng.choice(("TO", "AS", "PG"))
    region = region or rng.choice(LOCAL_REGIONS)
    n = _national(rng, region)
    cc, grouped = _CC[region], _grouped(region, n)
    intl = f"+{cc} {grouped}"
    national = rng.choice([f"({n[:3]}) {n[3:6]}-{n[6:]}", grouped]) if region == "AS" else grouped
    if context == "intl":
        return region, intl
    if context == "national":
        return region, national
    if context == "e164":
        return region, f"+{cc}{n}"
    if context == "samoa":
        dashed = f"{SAMOA_ACCESS}-{cc}-{grouped.replace(' ', '-')}"
        return region, rng.choice([f"{SAMOA_ACCESS} {cc} {grouped}", dashed])
    return region, rng.choice([intl, national])


def dialled_from(number: str, region: str) -> str:
    """The region ``number`` is read from: Samoa where it starts with Samoa's access code, else ``region`` itself."""
    return "WS" if re.match(rf"{SAMOA_ACCESS}[ -]", number) else region


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 41)), 16),
    (tuple(str(p) for p in range(3528, 3590, 7)), 16),
    (("34", "37"), 15),
)


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": a JSON integer, a track, a CSV cell),
    its groups parted by ``+`` ("plus": typed with spaces, then form-encoded; Amex's as 4-6-5), else fours parted by
    spaces (Amex's fifteen as three fours and a last three)."""
    prefixes, length = rng.choice(_ISSUERS)
    prefix = rng.choice(prefixes)
    number = luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    if context == "run":
        return number
    if context == "plus" and length == 15:
        return f"{number[:4]}+{number[4:10]}+{number[10:]}"
    groups = [number[i : i + 4] for i in range(0, length, 4)]
    return ("+" if context == "plus" else " ").join(groups)


_HAWAIIAN = ("E komo mai", "Me ke aloha", "Mahalo", "howzit", "Shoots", "Tūtū", "Waikīkī", "Merrie Monarch")
_HAWAIIAN += ("Queen's Hospital", "Lūʻau")
_SAMOAN = ("Fono", "saofaʻi", "Manu Samoa", "Vailima", "Guid day", "obleeged", "Pago Pago", "Flag Day", "Apia")
_FIJIAN = ("Noaʻia", "Rotuma", "Nadi")
_GREETINGS = ("E komo mai", "Mahalo", "howzit", "Shoots", "Guid day", "Gude", "Noaʻia", "Tenkyu")
_KIN = ("Tūtū",)  # a given name alone after it (a grandparent, a man or a woman)
# the words of a template that name its numbers' region (American Samoa's before Samoa's)
_PLACES = (
    (("Pago Pago", "Fagatogo", "Tutuila", "🇦🇸", "AS 96799"), "AS"),
    (("Nukuʻalofa", "Vavaʻu", "🇹🇴", "Tonga"), "TO"),
    (("Port Moresby", "Hiri Moale", "🇵🇬", "bilong", "Gude", "Lae"), "PG"),
    (("Apia", "Vailima", "Savaiʻi", "Upolu", "🇼🇸", "Fono"), "WS"),
)
# the words of a template that tell how its number is written
_CONTEXTS = {"🇼🇸": "intl", "🇹🇴": "intl", "🇦🇸": "intl", "🇵🇬": "intl", "LOCATION:": "intl"}
_CONTEXTS |= {"📞": "national", "☎️": "national", "📱": "national", '"phone": "': "e164", "sms:": "e164"}
_CONTEXTS |= {"dial 0 first": "samoa"}


class Heldout30Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT30_SEED + 91)

    def tradition(self, template: str) -> str:
        """Whose name a template holds: the one its words name, else one drawn (Hawaiian, Samoan, Fijian)."""
        for words, name in ((_HAWAIIAN, "hawaiian"), (_SAMOAN, "samoan"), (_FIJIAN, "fijian")):
            if any(w in template for w in words):
                return name
        return self.rng.choices(TRADITIONS, weights=(35, 40, 25))[0]

    def person(self, template: str = "") -> str:
        """A name of the template's tradition in a form it writes: a given name alone after Tūtū, and now and
        then after a greeting; ``FAMILY/GIVEN`` on a card's track, ``Family, Given`` on a roster; else a given name and
        a family name, a Hawaiian one with a second Hawaiian given name at times, a Samoan one after a matai title at
        times (a title of the family-name list, not the family's own); a Hawaiian or Samoan name's glottal stops in one
        of the four marks."""
        rng, pool = self.rng, pools()
        tradition = self.tradition(template)
        given, family = rng.choice(pool[f"{tradition}_given"]), rng.choice(pool[f"{tradition}_family"])
        if "%B" in template:
            return f"{family}/{given}".upper().replace("'", "")
        mark = rng.choice(GLOTTAL_MARKS)

        def written(name: str) -> str:  # Fijian writes no glottal stop
            return name if tradition == "fijian" else glottal(name, mark)

        if any(k in template for k in _KIN) or (any(g in template for g in _GREETINGS) and rng.random() < 0.35):
            return written(given)
        if "roster" in template:
            return written(f"{family}, {given}")
        if tradition == "hawaiian" and rng.random() < 0.25:
            second = rng.choice([n for n in pool["hawaiian_given"] if n != given])
            return written(f"{given} {second} {family}")
        if tradition == "samoan" and rng.random() < 0.25:
            title = rng.choice([n for n in pool["samoan_family"] if n != family and " " not in n])
            return written(f"{title} {given} {family}")
        return written(f"{given} {family}")

    def phone(self, template: str = "") -> str:
        where = next((r for words, r in _PLACES if any(w in template for w in words)), None)
        context = next((c for words, c in _CONTEXTS.items() if words in template), "plain")
        return local_phone_in(self.rng, where, context)[1]

    def card(self, template: str = "") -> str:
        run = any(w in template for w in ('"pan": ', "%B", ";{CREDIT", "'{CREDIT", '="{CREDIT'))
        return card_in(self.rng, "run" if run else "plus" if "card=" in template else "plain")


HELDOUT30_TEMPLATES = [
    "E komo mai, {PERSON}! Ke kelepona o ka hale ma Pago Pago: {PHONE_NUMBER}",
    "Me ke aloha pumehana,\n{PERSON}\n📞 {PHONE_NUMBER}",
    "Mahalo nui iā {PERSON} no ke kōkua i ka lūʻau",
    "Eh howzit {PERSON}, call me bumbye on {PHONE_NUMBER} brah",
    "Shoots, {PERSON}! Da kine card stay {CREDIT_CARD}, no forget",
    "Outrigger canoe club roster, Waikīkī: {PERSON} (seat 3), {PERSON} (steers)",
    "Merrie Monarch, Hilo: kumu hula {PERSON}, hālau mail {EMAIL_ADDRESS}",
    "Tūtū {PERSON} stay at Queen's Hospital, SSN {US_SSN} on da form",
    "BEGIN:VEVENT\nSUMMARY:Lūʻau planning with {PERSON}\nLOCATION:{PHONE_NUMBER}\nEND:VEVENT",
    "Fono notice, Apia: the village council meets {PERSON} on Tuesday, contact {PHONE_NUMBER}",
    "Saofaʻi in Savaiʻi: the guests of {PERSON} reply to {EMAIL_ADDRESS}",
    "Manu Samoa squad update: {PERSON} joins from Pago Pago, agent {PHONE_NUMBER}",
    "Tusitala Museum, Vailima: your guide is {PERSON}, bookings 🇼🇸 {PHONE_NUMBER}",
    "Guid day tae ye, {PERSON}! Ring us at Vailima on {PHONE_NUMBER}",
    "Ah'm obleeged tae ye, {PERSON}. Yer caird {CREDIT_CARD} is peyed.",
    "Nukuʻalofa shipping agent: container released to {PERSON}, 🇹🇴 {PHONE_NUMBER}",
    "From Apia dial 0 first: {PERSON} in Nukuʻalofa is on {PHONE_NUMBER}",
    "From Apia dial 0 first: {PERSON}, Port Moresby office, {PHONE_NUMBER}",
    "Pago Pago, AS 96799: {PERSON}, SSN {US_SSN}, phone {PHONE_NUMBER}",
    "Flag Day float, Fagatogo: captain {PERSON} 📱 {PHONE_NUMBER}",
    "🇦🇸 {PHONE_NUMBER} ({PERSON}, Tutuila)",
    "Gude {PERSON}, yu ken ringim mi long {PHONE_NUMBER}",
    "Tenkyu tru, {PERSON}! Mi baim tiket long kat {CREDIT_CARD}",
    "Nem bilong mi {PERSON}, namba bilong mi {PHONE_NUMBER}",
    "Hiri Moale Festival: stall of {PERSON} ☎️ {PHONE_NUMBER}",
    "Noaʻia ʻe mauri, {PERSON}! Send the Rotuma Day photos to {EMAIL_ADDRESS}",
    "Rotuma Day committee: {PERSON}, treasurer; receipts to {EMAIL_ADDRESS}",
    "Sevens camp, Nadi: {PERSON} and {PERSON} join the squad",
    '{{"name": "{PERSON}", "phone": "{PHONE_NUMBER}", "island": "Upolu"}}',
    '{{"cardholder": "{PERSON}", "pan": {CREDIT_CARD}, "exp": "12/28"}}',
    "%B{CREDIT_CARD}^{PERSON}^28121010000000000000?",
    ";{CREDIT_CARD}=28121010000000000? swiped at the Lae store for {PERSON}",
    "POST /give amount=50&card={CREDIT_CARD}&exp=12%2F28 (donor {PERSON})",
    "{PERSON},'{CREDIT_CARD},12/28",
    '"{PERSON}",="{CREDIT_CARD}",Vavaʻu',
    '<a href="sms:{PHONE_NUMBER}">Text {PERSON}</a>',
    "BEGIN:VCARD\nFN:{PERSON}\nIMPP;TYPE=personal:sms:{PHONE_NUMBER}\nEND:VCARD",
    "{IP_ADDRESS} signed in to the Apia hotel Wi-Fi as {PERSON}",
]
HELDOUT30_NEGATIVES = [
    "Risit namba 1{c}{a:03d}",  # seven digits from a 1: no number of the part's regions
    "TMK (1) {q}-{q}-{a:03d}:{b:03d}",
    "Honolulu, HI 968{b:02d}",
    "Pago Pago, AS 96799, P.O. Box {zip4}",
    '{{"member_no": 6{c}{zip4}{a:03d}{m:02d}{d:02d}{q}, "tier": "gold"}}',  # made to fail Luhn
    "giftcard=6{c}+{zip4}+{d:02d}{d2:02d}+{a:02d}{b:02d}",  # made to fail Luhn
    "Da router firmware stay {a}.{b}.{c}.{q}, brah",
    "DTSTART;TZID=Pacific/Apia:{year}{m:02d}{d:02d}T0{q}{d2:02d}00",
    "Container MSKU {c}{a:03d} {q}, Apia wharf",
    "Scottish chairitie SC0{a:02d}{c}, the Tusitala Trust",
    "Apia -13.{zip4} -171.{c}",
    "Nukuʻalofa -21.{zip4} -175.{c}",
    "Pago Pago -14.{zip4} -170.{c}",
    "Port Moresby -9.{zip4} 147.{c}",
    "Honolulu 21.{zip4} -157.{c}",
    "Rotuma -12.{zip4} 177.{c}",
    "WS$ {a}.{b:02d} for the fale, receipt {order}",
    "T$ {a}.{b:02d} at Talamahu market, docket {order}",
    "Em i K{a}.{b:02d} tasol",
    "Hawaiian Airlines HA {c} Honolulu to Pago Pago, seat {a}C",
    "Manu Samoa {a} – {b} Ikale Tahi",
    "Bas {q}{a:02d} i go long Lae long {q}:{d2:02d}",
]
HELDOUT30_WORD_NEGATIVES = [
    "Merrie Monarch Festival Hilo Moku O Keawe",
    "ʻIolani Palace Aliʻiōlani Hale Kawaiahaʻo Church",
    "Kamehameha Day Lei Day Makahiki Aloha Festivals",
    "Leilani Estates Pāhoa Puna Kīlauea",
    "Kaimana Beach Kapiʻolani Park Moana Surfrider Waikīkī",
    "Hiri Moale Festival Ela Beach Port Moresby",
    "Goroka Show Haus Tambaran Sepik Wewak",
    "Rotuma Day Ahau Motusa Oinafa Itumuta",
    "White Sunday Lotu Tamaiti Mulinuʻu Faleolo",
    "Flag Day Fagatogo Utulei Aunuʻu Manuʻa",
    "Hogmanay Burns Nicht Vailima Mount Vaea",
    "Tapati Rapa Nui Hanga Roa Rano Raraku Orongo",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT30."""
    texts = (HELDOUT30_TEMPLATES, HELDOUT30_NEGATIVES, HELDOUT30_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT30_SEED,
        HELDOUT30_FAKER_LOCALES,
        Heldout30Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout30.txt",
        never_valid,
    )


_MEMBER = re.compile(r'"member_no": (\d{16})')
_GIFT = re.compile(r"giftcard=([\d+]+\d)")


def never_valid(text: str) -> str:
    """``text`` with a loyalty number or a gift card that happens to pass Luhn given a last digit one higher (0 after
    9): the shape of a card, never one."""
    return nudge_luhn(nudge_luhn(text, _MEMBER), _GIFT)
