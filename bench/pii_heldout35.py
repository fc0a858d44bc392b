"""HELDOUT35: the thirty-fifth held-out PII part (issue 9, item 8), made while HELDOUT34 is still unstudied, so that
with it it is a second part no one has studied; written, templates, negatives, generators, phone and card formats and
hand cases, before any result on it was seen; only its totals are printed.

No name package that no earlier part used was found (looked at and left: ``fakefarsi``, ``karafs``, ``russiafaker``,
``turkish-faker``, ``vnfaker``, ``faker-np``, ``faker-cn``, ``fake-name-india``, ``indian-fakedata``,
``meldedaten-faker``, ``gname``, ``namefactory``, ``nombres1`` and ``us-synthetic-names``: lands other parts drew). So
its names come, as the brief allows, from pools of a spent source no part drew: ``names-dataset``'s tables (read from
its data files, not imported; HELDOUT20, 33 and 34 drew sixteen other countries), the names people wrote in Bangladesh
and in Mauritius, whose names no part's generator drew. Of each country's best-ranked 1,000 first and last names, those
of one word in Latin letters are kept, less words, nicknames and titles (``_NOT_NAMES``), names the other table ranks
higher, a woman's given name as a surname, given names of three letters and surnames of three but a few (``_SHORT``)
and, for Mauritius, names Portugal, Brazil or Angola rank far higher (the table's Mauritian rows hold many Portuguese);
a first name's sex is the tables'. The forms are the lands' own and no part wrote them: a Bangladeshi man's name after
``Md.``, ``Md``, ``MD.`` or ``Mohammad``, a woman's after ``Mst.`` or ``Most.`` (Mosammat), a lineage's ``Syed``,
``Syeda``, ``Kazi`` or ``Sheikh``, initials (``A K M``), a servant's name of God with the article as spoken (``Abdur
Rahman``, ``Abdus Samad``), a woman's ``Akter``, ``Begum`` or ``Khatun``, a man's ``Hossain`` or ``Uddin``, a Hindu
woman's ``Rani``; a given name alone before ``bhai``, ``apu``, ``da`` or ``di`` (Hindu ones before ``da`` and ``di``),
after Mauritian Creole's ``Tonton`` or ``Tantine``, before Bhojpuri's ``bhaiya`` or ``didi``; a name joined by ``+``.

Templates the other parts lack: Bengali in its script around a name in Latin letters (as a tag writes it), in Latin
letters (``kemon achen``), Sylheti (``Kita khobor``), Mauritian Bhojpuri (``Ram Ram``), Réunion French, Seychelles
English; a bKash receipt, a to-let notice, a modem's ``AT+CMGS`` and ``ATD``, an SMS gateway's query, an Asterisk
``Dial()``, a YAML fixture, a TSV row. Phone numbers: of Bangladesh (lines of five cities; mobiles 013 to 019),
Mauritius (lines of seven places; mobiles), Réunion (lines of three towns; mobiles) and Seychelles (lines of Victoria,
Praslin and La Digue; mobiles), regions one earlier part each wrote (Bangladesh only as ``phonenumbers``' examples, the
others' mobiles only), in forms no part wrote: Bengali digits in Bengali text (``০১৭১১-২৩৪৫৬৭``), Bangladesh's ``+88``
before the national number and its trunk 0 (``+88 01711-234567``), E.164 in an AT command, ``%2B`` and the digits in a
URL's query, ``00`` and the digits in a dial string. A template naming a place gets its numbers; each is written here,
not by a library, and valid by ``phonenumbers`` as a number of its region and kind (the test checks). Cards: written
here from issuers' prefixes (Visa's 4, Mastercard's 51 to 55 and 2221 to 2720, UnionPay's 62, Amex's 34 and 37 of 15
digits), each completed by its Luhn digit: fours in Bengali digits after Bengali words, a run in a YAML string or a TSV
row, fours after Creole, Bhojpuri and Bengali-in-Latin words. The other types come from ``bench.pii_sets.Makers`` in
the bn_BD, fr_FR and en_GB locales (only their non-name types; no IBAN).

Negatives: numbers that are not personal data, several with a real identifier's shape: a loyalty card of sixteen
Bengali digits (made to fail Luhn: the test checks), an electricity account of eleven digits from ``012`` (valid in none
of the part's regions: the test checks), a firm's BIN, a Mauritian business number, a bKash transaction ID, postcodes,
plates, ISBNs, positions, amounts, a train, a flight, scores. Word lines: capitalized places, feasts and sights with no
person, in Bengali, Chakma and Marma, Mauritian Creole and Bhojpuri, Réunion French and English, some holding words of
the pools as a road's, a palace's or a garden's name (``Kazi Nazrul Islam Avenue``, ``Ahsan Manzil``).
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

HELDOUT35_SEED = 3535737
HELDOUT35_FAKER_LOCALES = ["bn_BD", "fr_FR", "en_GB"]  # only their non-name types are drawn
NAME_COUNTRIES = ("BD", "MU")
LOCAL_REGIONS = ("BD", "MU", "RE", "SC")
WINDOW = 1000  # the best-ranked first and last names looked at per country
_LATIN = re.compile(r"[A-Z][a-zàâçéèêëîïôûü]{2,}")
_BENGALI = re.compile(r"[\u0980-\u09ff]")
_PORTUGUESE = ("PT", "BR", "AO")
# words, nicknames, abbreviations, titles and given names the tables rank among the two lands' names
_NOT_NAMES = frozenset(
    "Angel Prince Engr Lucky Angle Umme Misty Mohammad Mohammod Abdul Abdur Abdus Abul Abdulla Abdullah Kazi Syed "
    "Sayed Sheikh Syeda Moon Pori Pakhi Sunny Manus Nodi Meye Balok Balika Kotha Mone Bhai Mauritius Marie Jean "
    "Pierre Francois François Louise Sophie Julie Lisette Antoinette Isabelle Juliette Marianne Fanny Lesh Vesh Reen "
    "Sanjay Rakesh Radha Mamzel Lilmiss Missier Begum Jeanclaude Laval Yadav Sheik Fidou Shay Dhaka Feni Chele Null "
    "Valobasa Manush Projapoti Pothik Lslam Kabbo Tara Shak Shake Akas Pagol Real Main Liza Meem Mimi Muna Nisha "
    "Nishu Rina Saba Sonia Tania Tonni Konna Banu Nesa Zahan Himu Evan Munna Pavel Robin Piash Joni Milton Sony Sami "
    "Sani Sany Rabbi Rabby Noman Angeline Henriette Jeanne Nanette Flore Dursun Yeung Koenig Appiah Jihad Rana Rani "
    "Toha Babu Kumer Bagum Zzaman".split()
)
_WOMEN_LAST = frozenset(
    "Begum Akter Aktar Akther Akhter Akhtar Akthar Begom Khatun Khanom Khanam Sultana Jahan Nahar Parvin Yeasmin "
    "Yesmin Tabassum Afrin Siddika Jannat".split()
)
_MEN_LAST = frozenset(
    "Hossain Hossen Hosen Hossin Hossan Hosain Husain Husen Hussen Hussin Hussan Hossian Hosan Hossein Hussain Uddin "
    "Uzzaman Mia Miah Miya Miha Ullah Billah Mollah Molla".split()
)
_HINDU_LAST = frozenset(
    "Das Dev Roy Ray Sen Pal Kar Saha Shaha Dey Paul Ghosh Barua Nath Debnath Datta Dutta Kundu Banik Karmakar "
    "Karmokar Karmaker Bhattacharjee Sinha Singha Halder Dhar Shil Shill Bhowmik Chakraborty Chanda Basak Sutradhar "
    "Mitra Acharjee Baidya Adhikary Podder Barman Barmon Chandra".split()
)
_HINDU_GIVEN = frozenset(
    "Subrata Uttam Prodip Bikash Bijoy Sanjoy Sonjoy Tonmoy Sourav Amit Rahul Mithun Palash Polash Ratan Sujit Swapan "
    "Tapan Gopal Dilip Anup Ajoy Apurbo Chandan Saikat Ashim Ujjal Shishir Arnob Priya Rupa Puja Priyanka Anamika "
    "Mousumi Tumpa Dipa Arohi Nilima Sima Mukta Tanmoy Partha Partho Pritom Arup Avijit Bidhan Biswajit Dipak Dipok "
    "Dipto Goutam Mridul Sanjit Shuvro Shamol Susmita".split()
)
# surnames of three letters (Haq, Mia; Sino-Mauritian How; Hindu Das, Roy); other names that short are nicknames
_SHORT = frozenset("Haq Hoq Huq Mia How Ley Dou Das Dev Dey Roy Ray Sen Pal Kar".split())
# names of God as Bangladesh spells them, a servant's name ("Abd" and the article) before them
_DIVINE = frozenset(
    "Karim Hamid Mannan Kader Malek Latif Jalil Hannan Kuddus Alim Awal Matin Razzak Samad Sattar Rouf Rahim Aziz "
    "Halim Hakim Bari Rahman Salam Wahid Momin".split()
)
_MEN, _WOMEN = frozenset(["Nurul"]), frozenset(["Hema"])  # the tables' sex set right


def _sex(name: str, share: float) -> str:
    if name in _MEN or name in _WOMEN:
        return "men" if name in _MEN else "women"
    return "men" if share >= 0.8 else "women" if share <= 0.2 else ""


@lru_cache(maxsize=1)
def pools() -> dict[str, tuple[str, ...]]:
    """The part's pools: ``{BD,MU}_{men,women}`` (first names by sex), ``MU_last``, ``BD_last_{men,women}`` (a
    woman's ``Akter``, a man's ``Hossain`` and the surnames both bear), ``BD_hindu_{men,women,last}``, ``BD_divine``;
    the two tables are read once each and let go, the collector paused meanwhile (their millions of objects)."""
    seen: dict[tuple[str, str], dict[str, tuple[int, int, float]]] = {}
    for kind, table in names_dataset_tables("HELDOUT35"):
        for land in NAME_COUNTRIES:
            seen[kind, land] = {
                k: (
                    v["rank"][land],
                    min(v["rank"].get(c, 10**7) for c in _PORTUGUESE),
                    (v.get("gender") or {}).get("M", 0.5),
                )
                for k, v in table.items()
                if v["rank"].get(land)
            }
        del table  # let go before the next is read
    out: dict[str, set[str]] = {}
    for (kind, land), names in seen.items():
        other = seen["last" if kind == "first" else "first", land]
        for name, (rank, portuguese, share) in names.items():
            # a name the other table ranks higher (a surname: twice as high) is the other kind, a woman's given name no
            # family's, the table's Portuguese no Mauritians, a given name of three letters a nickname; a Bangladeshi
            # woman's surname (Akter, Begum) hers, whatever else the tables call it
            o_rank, _, o_share = other.get(name, (10**7, 0, 0.5))
            wife = kind == "last" and land == "BD" and name in _WOMEN_LAST
            if rank > WINDOW or not _LATIN.fullmatch(name) or (land == "MU" and portuguese < 3 * rank):
                continue
            if not wife and (name in _NOT_NAMES or o_rank < rank * (1 + (kind == "last"))):
                continue
            if (kind == "last" and o_share <= 0.2 and not wife) or (len(name) < 4 and name not in _SHORT):
                continue
            sex = _sex(name, share) if kind == "first" else "last"
            hindu = name in (_HINDU_GIVEN if kind == "first" else _HINDU_LAST)
            if sex and land == "BD":
                out.setdefault(f"BD_{'hindu_' if hindu else ''}{sex}", set()).add(name)
            elif sex:
                out.setdefault(f"{land}_{sex}", set()).add(name)
    last = out.pop("BD_last")
    out["BD_last_men"] = last - _WOMEN_LAST
    out["BD_last_women"] = last - _MEN_LAST
    out["BD_divine"] = last & _DIVINE
    return {key: tuple(sorted(names)) for key, names in out.items()}


def servant(name: str) -> str:
    """``Abd``, the article as spoken before ``name`` (assimilated before r and s) and ``name``: ``Abdur Rahman``,
    ``Abdus Samad``, ``Abdul Karim``."""
    return f"Abdu{name[0].lower() if name[0] in 'RS' else 'l'} {name}"


def bengali(text: str) -> str:
    """``text`` with its digits in Bengali's (০ to ৯), as Bangla keyboards type them."""
    return text.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))


# by the place a template names: a line's region, the length of its area code (Bangladesh's, written apart), its first
# digits after the trunk 0 (the area code and the first of its own) and how many digits follow them
_AREAS = {
    "Dhaka": ("BD", 1, ("241", "244", "255", "258"), 6), "Chattogram": ("BD", 2, ("3161", "3171", "3172"), 4),
    "Khulna": ("BD", 2, ("4172", "4173", "4181"), 4), "Rajshahi": ("BD", 3, ("72177", "72181"), 4),
    "Sylhet": ("BD", 3, ("82171", "82172"), 4), "Port Louis": ("MU", 0, ("208", "210", "212", "213", "216"), 4),
    "Curepipe": ("MU", 0, ("670", "674", "675", "676"), 4), "Quatre Bornes": ("MU", 0, ("424", "425", "427", "454"), 4),
    "Rose-Hill": ("MU", 0, ("464", "465", "466"), 4), "Mahébourg": ("MU", 0, ("631",), 4),
    "Grand Baie": ("MU", 0, ("263", "269"), 4), "Rodrigues": ("MU", 0, ("831", "832"), 4),
    "Saint-Denis": ("RE", 3, ("26221", "26290", "26241"), 4), "Saint-Pierre": ("RE", 3, ("26225", "26235"), 4),
    "Cilaos": ("RE", 3, ("26231",), 4), "Victoria": ("SC", 0, ("422", "432"), 4),
    "Praslin": ("SC", 0, ("428", "429"), 4), "La Digue": ("SC", 0, ("423",), 4),
}  # fmt: skip
_CODES = {"BD": "880", "MU": "230", "RE": "262", "SC": "248"}
_MOBILES = {  # (prefixes, national digits without the trunk 0)
    "BD": (("13", "14", "15", "16", "17", "18", "19"), 10),
    "MU": (("571", "573", "575", "577", "578", "580", "582", "585", "591", "594", "598"), 8),
    "RE": (("692",), 9),
    "SC": (("25", "26", "27", "28"), 7),
}


def _national(rng: random.Random, region: str, mobile: bool, place: str = "") -> str:
    """A national number without its trunk 0: a mobile of ``region``, or a line of ``place`` (or of one of its)."""
    if mobile:
        prefixes, length = _MOBILES[region]
        prefix = rng.choice(prefixes)
        return prefix + _digits(rng, length - len(prefix))
    place = place or rng.choice([p for p, (r, *_) in _AREAS.items() if r == region])
    _, _, heads, rest = _AREAS[place]
    return rng.choice(heads) + _digits(rng, rest)


def _grouped(region: str, n: str, mobile: bool) -> str:
    """A national number as its land writes it, trunk 0 and all: Bangladesh's mobiles 5-6 (``01711-234567``) and lines
    after their area code (``02-55012345``, ``0821-712345``), Mauritius's mobiles 4-4 and lines 3-4, Réunion's pairs
    (``02 62 21 34 56``), Seychelles' 1-3-3 (``4 321 234``)."""
    if region == "BD":
        cut = 4 if mobile else next(a for r, a, heads, _ in _AREAS.values() if r == "BD" and n.startswith(heads))
        return f"0{n[:cut]}-{n[cut:]}"
    if region == "MU":
        return f"{n[:4]} {n[4:]}" if mobile else f"{n[:3]} {n[3:]}"
    if region == "RE":
        digits = "0" + n
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return f"{n[0]} {n[1:4]} {n[4:]}"


def local_phone_in(rng: random.Random, region: str, context: str = "plain", place: str = "") -> tuple[str, bool]:
    """(number, mobile): a number of ``region`` as people write it in ``context``: "bengali" (Bangladesh's, national or
    after ``+880``, in Bengali digits), "plus88" (Bangladesh's ``+88`` and the national number, trunk 0 and all),
    "e164" (a modem's AT command), "query" (``%2B`` and the digits, in a URL), "dial" (``00`` and the digits, in a
    dial string), "intl" (grouped after ``+`` and the country code), "plain" (national); a line is of ``place`` where
    one is named."""
    mobile = context == "run" or rng.random() < 0.5  # a mobile wallet's number ("run", national, unparted): a mobile
    n = _national(rng, region, mobile, place)
    full = _CODES[region] + n
    if context == "run":
        return "0" + n, mobile
    if context in ("e164", "query", "dial"):
        return {"e164": "+", "query": "%2B", "dial": "00"}[context] + full, mobile
    grouped = _grouped(region, n, mobile)
    if context == "plus88":
        return f"+88 {grouped}", mobile
    if context == "bengali":
        return bengali(grouped if rng.random() < 0.7 else f"+880 {grouped[1:]}"), mobile
    if context == "intl":
        national = {"RE": f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", "BD": grouped[1:]}.get(region, grouped)
        return f"+{_CODES[region]} {national}", mobile
    return grouped, mobile


_ISSUERS = (
    (("4",), 16), (("51", "52", "53", "54", "55"), 16), (tuple(str(p) for p in range(2221, 2721, 37)), 16),
    (("62",), 16), (("34", "37"), 15),
)  # fmt: skip


def card_in(rng: random.Random, context: str = "plain") -> str:
    """A card number of one of the issuers above, passing Luhn: a run ("run": a YAML string, a TSV cell), fours parted
    by spaces ("plain"; Amex's fifteen only as a run here), the fours in Bengali digits ("bengali")."""
    number = issuer_card(rng, _ISSUERS, context == "run")
    return bengali(number) if context == "bengali" else number


_BANGLADESHI = re.compile(
    r"[\u0980-\u09ff]|Dhaka|Chattogram|Khulna|Rajshahi|Sylhet|Bangla|bhai,|apu|bKash|Kita|Tk |Shubho"
)
_MAURITIAN = re.compile(r"Port Louis|Curepipe|Bornes|Rose-Hill|Baie|Rodrigues|Tonton|Tantine|Ram Ram|kart|Triolet")
_KIN = re.compile(r"(Tonton|Tantine) \{PERSON\}|\{PERSON\} (?:(bhaiya|bhai|apu|didi|da|di)\b|(ভাই))")
_KIN_SEX = {"Tantine": "women", "apu": "women", "di": "women", "didi": "women"}
_FORMAL = ("Name:", "Account", "Applicant", "Nominee", "নাম", "holder")
_CONTEXTS = {"AT+": "e164", "ATD": "e164", "to={PHONE": "query", "Dial(": "dial", "imo/": "plus88", "Tk ": "run"}


class Heldout35Values:
    """Names, phone numbers and cards from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.rng = random.Random(HELDOUT35_SEED + 17)

    @staticmethod
    def _land(template: str) -> str:
        """The land a template's words name: "BD", "MU" or "" (either)."""
        return "BD" if _BANGLADESHI.search(template) else "MU" if _MAURITIAN.search(template) else ""

    def _bangladeshi(self, sex: str, formal: bool) -> str:
        """A Bangladeshi's name: a Hindu one at times (a woman's ``Rani`` before the surname), else a given name and a
        surname of the sex's, after ``Md.`` or ``Mst.`` (or a lineage) in a form, after initials now and then, or a
        servant's name of God alone after ``Md.``."""
        rng, pool = self.rng, pools()
        if rng.random() < 0.2:
            rani = " Rani" if sex == "women" and rng.random() < 0.5 else ""
            return f"{rng.choice(pool[f'BD_hindu_{sex}'])}{rani} {rng.choice(pool['BD_hindu_last'])}"
        if sex == "men" and rng.random() < 0.15:
            return f"{rng.choice(('Md. ', 'Md ', ''))}{servant(rng.choice(pool['BD_divine']))}"
        name = f"{rng.choice(pool[f'BD_{sex}'])} {rng.choice(pool[f'BD_last_{sex}'])}"
        if formal:
            titles = ("Md. ", "Md ", "MD. ", "Mohammad ", "Syed ", "Kazi ", "Sheikh ")
            return rng.choice(titles if sex == "men" else ("Mst. ", "Most. ", "Syeda ")) + name
        return (rng.choice(("A K M ", "S M ", "A B M ")) + name) if sex == "men" and rng.random() < 0.1 else name

    def person(self, template: str = "") -> str:
        """A name as the land of ``template`` writes it: a given name alone before a kinship word or after Tonton or
        Tantine; a Bangladeshi's name of its forms; a Mauritian's given name and surname; joined by ``+`` in a query."""
        rng, pool = self.rng, pools()
        kin = _KIN.search(template)
        land = self._land(template) or rng.choice(NAME_COUNTRIES)
        if kin:
            word = kin.group(1) or kin.group(2) or kin.group(3)
            sex = _KIN_SEX.get(word, "men")
            hindu = "hindu_" if word in ("da", "di") else ""
            return rng.choice(pool[f"{land}_{hindu}{sex}" if land == "BD" else f"MU_{sex}"])
        sex = rng.choice(("men", "women"))
        if land == "BD":
            name = self._bangladeshi(sex, any(w in template for w in _FORMAL))
        else:
            name = f"{rng.choice(pool[f'MU_{sex}'])} {rng.choice(pool['MU_last'])}"
        return name.replace(" ", "+") if "+{PERSON}" in template else name

    def phone(self, template: str = "") -> str:
        place = next((p for p in _AREAS if p in template), "")
        context = next((c for words, c in _CONTEXTS.items() if words in template), "plain")
        land = self._land(template)
        if _BENGALI.search(template) and context == "plain":
            context = "bengali"
        bangla = context in ("bengali", "plus88", "run")
        region = _AREAS[place][0] if place else "BD" if bangla else land or self.rng.choice(LOCAL_REGIONS)
        if context == "plain" and region == "BD" and self.rng.random() < 0.3:
            context = "intl"
        return local_phone_in(self.rng, region, context, place)[0]

    def card(self, template: str = "") -> str:
        if _BENGALI.search(template):
            return card_in(self.rng, "bengali")
        return card_in(self.rng, "run" if '"{CREDIT_CARD}"' in template or "\t" in template else "plain")


HELDOUT35_TEMPLATES = [
    "শুভ জন্মদিন {PERSON} 🎂 অনেক অনেক শুভেচ্ছা",
    "{PERSON} ভাইয়ের নম্বর: {PHONE_NUMBER}",
    "বাসা ভাড়া দেওয়া হবে, মিরপুর ১০। যোগাযোগ: {PHONE_NUMBER}",
    "নাম: {PERSON}, কার্ড নম্বর: {CREDIT_CARD}",
    "Assalamu alaikum {PERSON} bhai, kemon achen? Call dien {PHONE_NUMBER} e",
    "{PERSON} apu, kalke class hobe? Ami ei number theke bolchi: {PHONE_NUMBER}",
    "{PERSON} da, pujar chanda bKash korlam, number {PHONE_NUMBER}",
    "Shubho Noboborsho {PERSON} di! Mishti pathalam",
    "Kita khobor {PERSON}? Sylhet aile call dio {PHONE_NUMBER}",
    "Name: {PERSON}\nMobile: {PHONE_NUMBER}\nDistrict: Khulna",
    "Account Name: {PERSON}, Dhaka branch, contact {PHONE_NUMBER}",
    "Applicant: {PERSON} (Rajshahi), imo/WhatsApp {PHONE_NUMBER}",
    "Dutch-Bangla Bank, Nominee: {PERSON}, relation: spouse",
    "You have received Tk 500.00 from {PHONE_NUMBER}. Ref {PERSON}. Fee Tk 0.00. TrxID 9C4D7E2F1A",
    "{PERSON} bhai, card number ta {CREDIT_CARD}, expiry 09/28, Sylhet theke",
    "Chattogram port agent {PERSON}, office {PHONE_NUMBER}",
    "Tonton {PERSON}, ki manier? Pou Divali nou pe vinn lakaz ou",
    "Tantine {PERSON} inn fer gato pou nou, Curepipe. Telefonn li {PHONE_NUMBER}",
    "Ram Ram {PERSON} bhaiya, ka haal ba? Phone kar {PHONE_NUMBER} pe",
    "{PERSON} didi, kal Triolet Shivala me aawa",
    "Ram Ram {PERSON} bhaiya, card ke number {CREDIT_CARD} ba, Rose-Hill se",
    "Mo nimero kart se {CREDIT_CARD}, pa dir personn, {PERSON}",
    "Flat in Quatre Bornes to let, contact {PERSON} on {PHONE_NUMBER}",
    "Boat trip from Grand Baie with {PERSON}: {PHONE_NUMBER}",
    "Rodrigues: gîte chez {PERSON}, tel {PHONE_NUMBER}",
    "Gîte à Cilaos, réservation auprès de {PERSON} au {PHONE_NUMBER}",
    "Dive centre at Beau Vallon, Victoria: {PHONE_NUMBER}, ask for {PERSON}",
    'AT+CMGS="{PHONE_NUMBER}"\n> {PERSON}, your parcel is at the hub',
    "ATD{PHONE_NUMBER};\nOK\nNO CARRIER",
    "GET /cgi-bin/send?to={PHONE_NUMBER}&text=Hello+{PERSON} HTTP/1.1",
    "exten => 101,1,Dial(SIP/trunk/{PHONE_NUMBER},30) ; {PERSON}",
    'test_card:\n  holder: {PERSON}\n  number: "{CREDIT_CARD}"',
    "{PERSON}\t{CREDIT_CARD}\t12/29\t{EMAIL_ADDRESS}",
    "Login from {IP_ADDRESS} by {PERSON} <{EMAIL_ADDRESS}>",
]
HELDOUT35_NEGATIVES = [
    "আড়ং রিওয়ার্ড কার্ড 6{c} {zip4} {c}{q} {a:02d}{b:02d}",  # sixteen digits made to fail Luhn, in Bengali digits
    "DESCO account 012{zip4}{zip4}, Mirpur",
    "BIN 00{c}{zip4}-0101, VAT registered, Dhaka",
    "bKash TrxID {q}C{a}D{c}F, Tk {c}.00",
    "মিরপুর ডিওএইচএস, ঢাকা-12{a:02d}",
    "ঢাকা মেট্রো-গ {a:02d}-{zip4}",
    "মূল্য ৳{c}, ডেলিভারি চার্জ ৳{a}",
    "ISBN 978-984-{c}-{a:02d}-{q}",
    "ISBN 978-99903-{a:02d}-{q}{q}-{q}",
    "Dhaka 23.7{zip4} 90.3{c}",
    "Port Louis -20.1{zip4} 57.4{c}",
    "Saint-Denis -20.8{zip4} 55.4{c}",
    "Victoria -4.6{zip4} 55.4{c}",
    "BRN C{a:02d}{c}{q}{q}{q}, Port Louis",
    "Plaque {zip4} JN {a:02d}, Curepipe",
    "Rs {c} dholl puri, Rose-Hill",
    "{a},{b:02d} € le carry, Saint-Pierre",
    "Subarna Express {c}, Chattogram – Dhaka, coach KA, seat {a}",
    "Abahani {q} – {q} Mohammedan, Bangabandhu Stadium",
    "Bangladesh {c}/{q} ({a} ov), Sher-e-Bangla",
    "Hotline 16{c}, 24/7",
    "MK {c} Plaisance – Rodrigues, seat {a}A",
]
HELDOUT35_WORD_NEGATIVES = [
    "পহেলা বৈশাখ, একুশে ফেব্রুয়ারি, বইমেলা — শাহবাগ, রমনা বটমূল",
    "Ahsan Manzil Lalbagh Kella Sonargaon Panam Nagar",
    "Kazi Nazrul Islam Avenue Hazrat Shahjalal Airport Bashundhara City",
    "Jaflong Ratargul Sreemangal Lawachara Madhabkunda Sylhet",
    "Biju Sangrai Boisabi Rangamati Kaptai Lake Bandarban",
    "Maha Shivaratri Grand Bassin Ganga Talao Thaipoosam Cavadee",
    "Sir Seewoosagur Ramgoolam Botanical Garden Pamplemousses Caudan Waterfront",
    "Sainte-Croix Le Morne Brabant Chamarel Trou aux Cerfs",
    "Holi Phagwa Divali Baithka Triolet Shivala Mahashivratri",
    "Fet Sega Tipik Lakaz Lafami Marse Sentral Port Louis",
    "Piton de la Fournaise Cilaos Salazie Anse Source d'Argent La Digue",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT35."""
    texts = (HELDOUT35_TEMPLATES, HELDOUT35_NEGATIVES, HELDOUT35_WORD_NEGATIVES)
    return build_with_values(
        HELDOUT35_SEED,
        HELDOUT35_FAKER_LOCALES,
        Heldout35Values,
        texts,
        n_positive,
        n_negative,
        "hard_heldout35.txt",
        never_valid,
    )


_LOYALTY = re.compile(r"কার্ড ((?:\d{4} ){3}\d{4})")


def never_valid(text: str) -> str:
    """``text`` with a loyalty card whose sixteen digits happen to pass Luhn given a last digit one higher (0 after 9):
    the shape of a card, never one; a line in the Bengali script then with its digits in Bengali's."""
    text = nudge_luhn(text, _LOYALTY)
    return bengali(text) if _BENGALI.search(text) else text
