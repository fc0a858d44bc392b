"""HELDOUT33: the thirty-third held-out PII part (issue 9, item 8), made while HELDOUT32 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (those looked at and left: ``FakesUsers``, Russian, German and
English lists, lands other parts drew; ``banglish``, ``name2gender`` and ``libnamegen``, no list of names;
``es-tori-sep``, a trained model and no list; ``human-names``, which does not build). So its names come, as the brief
allows, from pools of a spent source that no part drew: ``names-dataset``'s tables (read from its data files, not
imported; HELDOUT20 drew twelve other countries of them), the first and last names people wrote in Malaysia and in
Brunei, countries whose names no part drew: Malay names (``Nurul``, ``Khairul``, ``Amirul``, ``Salleh``, ``Yusof``),
Chinese ones of the two lands (``Tan``, ``Liew``, ``Chong``; ``Jason``, ``Jenny``) and Indian ones of Malaysia
(``Ramesh``, ``Kumar``). Of each country's best-ranked 450 first and 450 last names, those of one word in Latin
letters are kept, less abbreviations and words the tables rank that are no name (``_NOT_NAMES``); a first name's sex
is the tables' own. The forms are the lands' own and no part wrote them: a Malay name with the father's after
``bin`` or ``binti`` (``Nurul Aina binti Ismail``), a Malaysian Indian's after ``a/l`` (``Ramesh a/l Kumar``;
``a/p``, a daughter's, in the hand cases), an Iban's after ``anak`` (``Jimmy anak Sanggau``), Brunei's hereditary and
pilgrims' titles written in the name (``Pg``, ``Dk``, ``Awg``, ``Dyg``, ``Hj``, ``Hjh``: ``Dk Hjh Siti binti Pg Hj
Salleh``), a Chinese surname before or after an English given name (``Tan Jenny``, ``Jason Liew``), a given name
alone after a greeting.

Templates the other parts lack: Iban (``Nama aku``, ``Gayu guru gerai nyamai``), Kadazandusun (``Kopivosian``,
``Kotohuadan``, ``Ngaran ku``), Malay in the Jawi script (a number in right-to-left text, no isolates), Malaysian and
Bruneian English (a mamak stall, a Gawai open house, the Causeway to Singapore, a Tamu in Kota Kinabalu), a Google
Contacts CSV export's row, an iCalendar ``CONTACT``, a DuitNow transfer, an extension after Malay's ``samb.``, a
payment gateway's settlement record parted by pipes, a JavaScript object with a card in single quotes, a Manglish
chat with a card, a Django ``ADMINS`` setting, a CODEOWNERS line's comment, a systemd unit's ``Documentation``.
Phone numbers: of Malaysia (mobiles 011 to 019; Kuala Lumpur's 03, Penang's 04, Johor's 07, Kuching's 082, Kota
Kinabalu's 088), Brunei (Bandar Seri Begawan's 2, Belait's 3, Tutong's 4; mobiles 7 and 8) and Singapore (6 lines;
8 and 9 mobiles), regions one earlier part each wrote, in forms no part wrote: the country code glued to Malaysia's
area or mobile prefix before a hyphen (``+6012-345 6789``), a national number before ``samb.`` and an extension, a
mobile run together as a DuitNow ID, Brunei's seven digits run together in an iCalendar ``CONTACT`` or a CSV cell,
Singapore's fours parted by a hyphen on a Causeway line, a Malaysian number in Jawi text. Each is written here, not
by a library, and valid by ``phonenumbers`` as a number of its region and of its kind (the test checks).
Cards: written here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, UnionPay's 62, Amex's 34
and 37 of 15 digits), each completed by its Luhn digit, in forms of this part's own: a run between a settlement
record's pipes or in a JavaScript string in single quotes, fours parted by spaces in a Manglish chat. The other types
come from ``bench.pii_sets.Makers`` in the id_ID, en_IN and en_GB locales (only their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a utility account of sixteen
digits in fours (made to fail Luhn: the test checks), a company's SSM registration number of twelve digits (the test
checks it is a number of none of the part's regions), a Pos Laju tracking number, a 4D ticket, a Bursa stock code,
Malaysian and Bruneian postcodes, car plates, Malaysian and Bruneian ISBNs; positions near Kuching, Kota Kinabalu,
Mukah, Penang, Bandar Seri Begawan and Kuala Belait; amounts in ringgit, Brunei and Singapore dollars; a flight, an
express bus, a score. Word lines: capitalized places, feasts and dishes with no person in them, in Iban,
Kadazandusun, Melanau, Bajau, Kelabit and Malaysian and Bruneian English, some holding words of this part's pools
(``Nurul Iman``, ``Tunku Abdul Rahman``) as a palace's or a street's name.
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

HELDOUT33_SEED = 3333719
HELDOUT33_FAKER_LOCALES = ["id_ID", "en_IN", "en_GB"]  # only their non-name types are drawn
NAME_COUNTRIES = ("MY", "BN")
LOCAL_REGIONS = ("MY", "BN", "SG")
TOP = 450  # the best-ranked first and last names looked at per country
WESTERN = 1000  # a first name Britain ranks this high is an English one
_ENTRY = re.compile(r"[A-Z][a-z]+")
# what the tables rank among the two lands' names that is no name, or a title or an abbreviation the forms write
_NOT_NAMES = frozenset(
    "Brunei Malaysia Bn Hm Hs Hms Ht Eshop Hj Hjh Hajah Haji Dk Pg Awg Dyg Awang Dayang Md Mohd Muhd Bin Binti Cik "
    "Putra Putri Mas Man Nur Nor Noor Zul Ah Abu Abd Abdul Wan Nik Raja Sii Ku Boy Baby Girl Mr Miss Kucing Suzuki "
    "Taiko Bella Shah Wawa Yus Pok Zai Yana Nana Yati Alai Abang Abg Awangku Dayangku Ct Ayam Ayahe Along Al Encik Kak "
    "Pak Puan Tuan Wak Bang Ck Sk Mhd Syed Sharifah Putera Puteri Princess Syah Din Adik Mak Tok Dato Datuk Pengiran "
    "Mummy Daddy Abe".split()
)
# Chinese surnames of the two lands, and Indian fathers' names of Malaysia, as the tables spell them
HAN = frozenset(
    "Tan Lee Lim Wong Ng Chong Chan Chin Ong Yap Yong Low Goh Leong Liew Lai Ling Lau Ho Chai Loh Chew Ooi Yee Teo "
    "Khoo Foo Lok Kong Chua Tay Teh Yeo Tang Cheah Yeoh Phang Tiong Tee Chia Hii Ting Wee Sim Soh Koh Lo Mak Bong "
    "Fong Kok Tham Kam Yu Su Mah Tong".split()
)
INDIAN = frozenset(
    "Kumar Raj Nathan Ramesh Suresh Ganesan Krishnan Raju Maniam Pillai Muniandy Ravi Siva".split()
)  # men's


def _ranked(table: dict, country: str) -> list[tuple[str, float]]:
    """(name, share of men) of ``country``'s best-ranked ``TOP`` names that are one word of Latin letters."""
    ranked = sorted((v["rank"][country], k) for k, v in table.items() if v["rank"].get(country))
    names = [k for _, k in ranked[:TOP] if _ENTRY.fullmatch(k) and len(k) > 1 and k not in _NOT_NAMES]
    return [(k, (table[k].get("gender") or {}).get("M", 0.5)) for k in names]


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``{MY,BN}_{men,women}`` (first names the tables give mostly to one sex), ``{MY,BN}_last``
    (last names, Malay fathers' names among them), ``han`` and ``indian`` (the last names of those sets),
    ``indian_men`` (Malaysia's first names of that set) and ``english`` (first names Britain ranks too); the two
    tables are read once each, with the collector paused (they are large), and let go."""
    out: dict[str, set[str]] = {}
    for kind, table in names_dataset_tables("HELDOUT33"):
        for country in NAME_COUNTRIES:
            ranked = _ranked(table, country)
            if kind == "last":
                out[f"{country}_last"] = {k for k, _ in ranked}
            else:
                out[f"{country}_men"] = {k for k, m in ranked if m >= 0.8 and k not in HAN | INDIAN}
                out[f"{country}_women"] = {k for k, m in ranked if m <= 0.2 and k not in HAN | INDIAN}
                out.setdefault("indian_men", set()).update(k for k, m in ranked if m >= 0.8 and k in INDIAN)
                # an English given name, as Chinese Malaysians and Bruneians take one: one Britain ranks high too
                out.setdefault("english", set()).update(
                    k
                    for k, m in ranked
                    if (m >= 0.8 or m <= 0.2) and table[k]["rank"].get("GB", WESTERN + 1) <= WESTERN
                )
        del table  # let go before the next is read
    lasts = out["MY_last"] | out["BN_last"]
    out["han"], out["indian"] = lasts & HAN, out["MY_last"] & INDIAN
    return {key: tuple(sorted(names)) for key, names in out.items()}


# the first digits of Malaysia's lines after their area code (Kuala Lumpur's 3, Penang's 4, Johor's 7, Kuching's 82,
# Sibu's and Mukah's 84, Kota Kinabalu's 88)
_EXCHANGES = {
    "3": (
        "21",
        "22",
        "26",
        "27",
        "28",
        "29",
        "30",
        "33",
        "40",
        "41",
        "42",
        "55",
        "56",
        "61",
        "62",
        "77",
        "78",
        "80",
        "92",
    ),
    "4": ("22", "26", "28", "33", "38", "45", "50", "57", "61", "64", "73", "96"),
    "7": ("22", "23", "33", "35", "41", "45", "52", "55", "66", "88", "93", "97"),
    "82": tuple("2345678"),
    "84": tuple("2345678"),
    "88": tuple("23456789"),
}


def _national(rng: random.Random, region: str, mobile: bool, areas: tuple[str, ...] = ()) -> str:
    """A national number without its trunk 0: Malaysia's mobiles (11 and eight digits; 12, 13, 16, 17, 19 and
    seven) and lines (3 and eight digits; 4 and 7 and seven; 82, 84 and 88 and six; of one of ``areas`` if any;
    each of an exchange it has),
    Brunei's seven digits (7 and 8 mobiles; 2, 3 and 4 lines), Singapore's eight (8 and 9 mobiles; 6 lines)."""
    head = rng.choice("345689")
    if region == "MY" and mobile:
        prefix = rng.choice(("11", "12", "13", "16", "17", "19"))
        return prefix + (rng.choice("12345") + _digits(rng, 7) if prefix == "11" else head + _digits(rng, 6))
    if region == "MY":
        area = rng.choice(areas or tuple(_EXCHANGES))
        return area + rng.choice(_EXCHANGES[area]) + _digits(rng, 6 if area == "3" else 5)
    if region == "BN":
        return (rng.choice("78") if mobile else rng.choice("234")) + head + _digits(rng, 5)
    return rng.choice(
        ("81", "87", "90", "91", "93", "96", "97", "98") if mobile else ("61", "62", "63", "64", "67")
    ) + (_digits(rng, 6))


def _my_grouped(n: str) -> str:
    """A Malaysian national number as the country writes it after its prefix: ``12-345 6789``, ``11-2345 6789``,
    ``3-2691 2020``, ``4-226 1234``, ``82-412 345``."""
    cut = 2 if n[0] in "18" else 1
    rest = n[cut:]
    return f"{n[:cut]}-{rest[:-4]} {rest[-4:]}" if len(rest) > 6 else f"{n[:cut]}-{rest[:3]} {rest[3:]}"


def local_phone_in(
    rng: random.Random, region: str | None = None, context: str = "plain", areas: tuple[str, ...] = ()
) -> tuple[str, str]:
    """(region, number): a Malaysian, Bruneian or Singaporean number (``region``, or Malaysia or Brunei when None) as
    people write it in ``context``: "samb" (a line, national, before an extension), "duitnow" (a Malaysian mobile
    run together as a DuitNow ID), "glued" (``+60`` glued to the prefix), "run" (a Bruneian number's seven digits),
    "plain" (national; the country code glued, now and then, in Malaysia), "sg" (Singapore's fours and a hyphen);
    a Malaysian line is of one of ``areas`` where given."""
    if context == "sg" or region == "SG":
        n = _national(rng, "SG", rng.random() < 0.6)
        return "SG", f"{n[:4]}-{n[4:]}"
    if context == "duitnow":
        return "MY", "0" + _national(rng, "MY", True)
    region = region or rng.choice(NAME_COUNTRIES)
    mobile = context not in ("samb",) and (context in ("duitnow", "glued") or rng.random() < 0.6)
    n = _national(rng, region, mobile, areas)
    if region == "BN":
        if context == "samb":
            return "BN", f"{n[:3]} {n[3:]}"
        return "BN", n
    if context == "glued" or (context == "plain" and rng.random() < 0.3):
        return "MY", "+60" + _my_grouped(n)
    return "MY", "0" + _my_grouped(n)


# (prefixes, length)
_ISSUERS = (
    (("4",), 16),
    (("51", "52", "53", "54", "55"), 16),
    (tuple(str(p) for p in range(2221, 2721, 37)), 16),
    (("62",), 16),
    (("34", "37"), 15),
)


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": between a record's pipes, in a
    JavaScript string), else fours parted by spaces (Amex's 4-6-5 never here: the part writes it only as a run)."""
    return issuer_card(rng, _ISSUERS, context == "run")


_BRUNEI = ("Brunei", "Bandar Seri Begawan", "Gadong", "Kuala Belait", "Tutong", "Temburong", "Seria", "Tamu Kianggeh")
_SINGAPORE = ("Causeway", "Woodlands", "Singapore")
_IBAN = ("Nama aku", "Gawai", "Gayu guru", "Kapit", "rumah panjai")
_GREETINGS = ("Kopivosian", "Kotohuadan", "Gayu guru", "Selamat Ari Gawai", "Eh ", "Oi ")
# Malaysian area codes by the places a template names (Sabah's 88; Sarawak's 82 and 84; Penang's 4, Johor's 7, the
# Klang valley's 3)
_AREAS = (
    (("Penampang", "Kota Kinabalu", "Kaamatan", "Kopivosian"), ("88",)),
    (("Kuching", "Sarawak", "Sri Aman"), ("82",)),
    (("Kapit", "Mukah"), ("84",)),
    (("Penang",), ("4",)),
    (("Johor",), ("7",)),
    (("Jalan Ipoh", "Kampung Baru", "Surau"), ("3",)),
)
_CONTEXTS = {"samb.": "samb", "DuitNow": "duitnow", "CONTACT:": "run", "Phone 1 - Value": "run", "Causeway": "sg"}


class Heldout33Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT33_SEED + 17)

    def _given(self, land: str, man: bool) -> str:
        return self.rng.choice(pools()[f"{land}_{'men' if man else 'women'}"])

    def person(self, template: str = "") -> str:
        """A name in a form the two lands write: titles, a given name and the father's after ``bin`` or ``binti``
        in Brunei; a given name and the father's after ``anak`` in an Iban line; else a Chinese surname before or
        after an English given name, an Indian's father after ``a/l``, a Malay's after ``bin`` or ``binti`` or
        written after the given names alone; a given name alone after a greeting now and then."""
        rng, pool = self.rng, pools()
        land = "BN" if any(w in template for w in _BRUNEI) else "MY"
        man = rng.random() < 0.5
        given = self._given(land, man)
        if any(g in template for g in _GREETINGS) and rng.random() < 0.4:
            return given
        father = self._given(land, True)
        if land == "BN":
            title = rng.choice(("Pg", "Awg", "Hj", "") if man else ("Dk", "Dyg", "Hjh", ""))
            ftitle = rng.choice(("Pg", "Pg Hj") if title in ("Pg", "Dk") else ("Hj", "Awg", ""))
            words = (title, given, "bin" if man else "binti", ftitle, father)
            return " ".join(w for w in words if w)
        if any(w in template for w in _IBAN):
            return f"{given} anak {father}"
        roll = rng.random()
        if roll < 0.3:
            surname, english = rng.choice(pool["han"]), rng.choice(pool["english"])
            return f"{surname} {english}" if rng.random() < 0.4 else f"{english} {surname}"
        if roll < 0.42:
            given, father = rng.sample(pool["indian_men"], 2)
            return f"{given} a/l {father}"
        second = self._given(land, man) if rng.random() < 0.3 else ""
        if roll < 0.8:
            while given in pool["english"] or second in pool["english"] or father in pool["english"]:
                given, second, father = self._given(land, man), "", self._given(land, True)
            return " ".join(w for w in (given, second, "bin" if man else "binti", father) if w)
        return " ".join(w for w in (given, second, father) if w)

    def phone(self, template: str = "") -> str:
        region = "BN" if any(w in template for w in _BRUNEI) else None
        region = "SG" if any(w in template for w in _SINGAPORE) else region or "MY"
        context = next((c for words, c in _CONTEXTS.items() if words in template), "plain")
        if context == "run" and region == "MY":
            context = "glued"
        areas = next((a for words, a in _AREAS if any(w in template for w in words)), ())
        return local_phone_in(self.rng, region, context, areas)[1]

    def card(self, template: str = "") -> str:
        return card_in(self.rng, "run" if "|{CREDIT_CARD}|" in template or "'{CREDIT_CARD}'" in template else "plain")


HELDOUT33_TEMPLATES = [
    "Kopivosian {PERSON}! Tamu Donggongon, Penampang. Call {PHONE_NUMBER}",
    "Kotohuadan, {PERSON}. Ngaran ku {PERSON}, Kota Kinabalu: {PHONE_NUMBER}",
    "Gayu guru gerai nyamai, {PERSON}! Gawai open house at the rumah panjai, Kapit. {PHONE_NUMBER}",
    "Nama aku {PERSON}, ari Kuching. Telefon aku {PHONE_NUMBER}",
    "Selamat Ari Gawai from {PERSON} and family, Sri Aman",
    "هوبوڠي {PERSON} دي {PHONE_NUMBER}",
    "Mamak corner, Jalan Ipoh: teh tarik on {PERSON}'s tab. Order by WhatsApp {PHONE_NUMBER}",
    "Pejabat Daerah Mukah, ask for {PERSON}: {PHONE_NUMBER} samb. 214",
    "Reception {PHONE_NUMBER} samb. 3307, then ask for {PERSON} (Bandar Seri Begawan office)",
    "DuitNow to {PHONE_NUMBER} ({PERSON}) RM35.00 for the Gawai tuak",
    "Causeway jam again. {PERSON} stuck at Woodlands, call {PHONE_NUMBER}",
    "Name,Given Name,Family Name,Phone 1 - Type,Phone 1 - Value\n{PERSON},,,Mobile,{PHONE_NUMBER}",
    "BEGIN:VEVENT\nSUMMARY:Tamu Kianggeh stall permit\nCONTACT:{PERSON}\\, {PHONE_NUMBER}\nEND:VEVENT",
    "BEGIN:VEVENT\nSUMMARY:Penang site visit\nCONTACT:{PERSON}\\, {PHONE_NUMBER}\nEND:VEVENT",
    "Gadong night market, satay stall of {PERSON}: {PHONE_NUMBER}",
    "Kuala Belait shuttle to Seria, driver {PERSON}, {PHONE_NUMBER}",
    "Tutong Tamu, durian from {PERSON}'s orchard, {PHONE_NUMBER}",
    "Temburong homestay, host {PERSON}, {PHONE_NUMBER}",
    "Kenduri at Kampung Baru, RSVP {PERSON} {PHONE_NUMBER}",
    "Lorry to Johor Bahru tomorrow, contact {PERSON} {PHONE_NUMBER}",
    "Eh {PERSON}, the Penang Hokkien mee stall moved lah. Call me {PHONE_NUMBER}",
    "Oi {PERSON}, boss say pay by card, my card no. {CREDIT_CARD} can or not?",
    "D|20260507|MY0001|{CREDIT_CARD}|RM 120.00|APPROVED|{PERSON}",
    "S|20260507|BN0002|{CREDIT_CARD}|BND 48.50|SETTLED|{PERSON}",
    "const testCustomer = {{ name: '{PERSON}', cardNumber: '{CREDIT_CARD}', email: '{EMAIL_ADDRESS}' }};",
    "Card on file for {PERSON}: {CREDIT_CARD}, Bandar Seri Begawan branch",
    "ADMINS = [('{PERSON}', '{EMAIL_ADDRESS}')]",
    "/payments/  @duitnow-team  # owner {PERSON}, {EMAIL_ADDRESS}",
    "[Unit]\nDescription=Tamu ledger sync\nDocumentation=mailto:{EMAIL_ADDRESS} ({PERSON})",
    "Surau Al-Ikhlas committee: treasurer {PERSON}, {PHONE_NUMBER}",
    "Sarawak Regatta crew, cox {PERSON}: {PHONE_NUMBER}",
    "Kaamatan Unduk Ngadau, contact {PERSON} ({EMAIL_ADDRESS})",
    "ssh login from {IP_ADDRESS} for {PERSON} (Kuching DC)",
    "Pasar malam permit, Kota Kinabalu: {PERSON}, {PHONE_NUMBER}",
]
HELDOUT33_NEGATIVES = [
    "TNB bill account 220{q} {zip4} {c}{q} {a:02d}{b:02d}",  # made to fail Luhn (sixteen digits in fours)
    "Company No. 20{a:02d}01{c}{c}, Shah Alam",
    "Pos Laju EP{c}{zip4}{a:02d}MY, Kuching",
    "Magnum 4D {zip4}, draw {c}/{year}",
    "Bursa {zip4} closed at RM{a}.{b:02d}",
    "Jalan Ampang, {zip} Kuala Lumpur",
    "Kampong Kiulap, BE{zip4}, Bandar Seri Begawan",
    "Plate QAA {zip4}, Kuching",
    "Plate BAA {zip4}, Gadong",
    "ISBN 978-967-{c}-{a:02d}-{q}",
    "ISBN 978-99917-{a:02d}-{c}-{q}",
    "Kuching 1.5{zip4} 110.3{c}",
    "Kota Kinabalu 5.9{zip4} 116.0{c}",
    "Mukah 2.8{zip4} 112.0{c}",
    "Penang 5.4{zip4} 100.3{c}",
    "Bandar Seri Begawan 4.9{zip4} 114.9{c}",
    "Kuala Belait 4.5{zip4} 114.2{c}",
    "RM{a}.{b:02d} teh tarik and roti canai",
    "B${c} tapau, Gadong night market",
    "S${a}.{b:02d} Causeway toll and petrol",
    "MH {c} Kuching – Kuala Lumpur, seat {a}C",
    "BI {c} Bandar Seri Begawan – Kota Kinabalu, seat {a}A",
    "Express bus Miri – Bandar Seri Begawan {q}:{d2:02d}, seat {a}",
    "Sarawak FA {q} – {a} Sabah FA, Stadium Negeri",
]
HELDOUT33_WORD_NEGATIVES = [
    "Gayu guru gerai nyamai! Selamat Ari Gawai, Rumah Panjai Batang Ai",
    "Kotobian Tadau Tagazo do Kaamatan! Hongkod Koisaan Penampang",
    "Kopivosian! Gunung Kinabalu Kundasang Ranau Poring",
    "Pesta Kaul Mukah Kampung Tellian Tellian Lake",
    "Regatta Lepa Semporna Pulau Sipadan Mabul",
    "Pesta Nukenen Bario Kelabit Highlands",
    "Kampong Ayer Tasek Merimbun Ulu Temburong National Park",
    "Gua Niah Taman Negara Mulu Sarawak Cultural Village",
    "Hari Raya Aidilfitri Istana Nurul Iman Open House",
    "Jalan Tunku Abdul Rahman Gaya Street Sunday Market",
    "Chap Goh Mei Ayer Itam Kek Lok Si Penang Hill",
    "Thaipusam Batu Caves Sri Subramaniar Temple",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT33."""
    texts = (HELDOUT33_TEMPLATES, HELDOUT33_NEGATIVES, HELDOUT33_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT33_SEED,
        HELDOUT33_FAKER_LOCALES,
        Heldout33Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout33.txt",
        never_valid,
    )


_ACCOUNT = re.compile(r"account ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a utility account whose sixteen digits happen to pass Luhn given a last digit one higher (0 after
    9): the shape of a card, never one."""
    return nudge_luhn(text, _ACCOUNT)
