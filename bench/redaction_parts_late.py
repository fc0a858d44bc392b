"""The paragraphs of the held-out parts HELDOUT26 .. HELDOUT29, with their totals before their own rounds
(``HELDOUTn_BEFORE``), rendered from a run's figures; kept apart from ``bench/redaction_parts.py`` so that each
module stays readable. Their texts are frozen: these parts' rounds are over."""

from __future__ import annotations

from bench import pii_heldout26, pii_heldout27, pii_heldout28, pii_heldout29
from bench.redaction_parts_early import before_sentence, part_table

# HELDOUT26 before the round that made it changed any detector: measured at b1d1a5d with the part's files
# copied in (python bench/bench_redaction.py --quality heldout26); the pattern types below 1.0 there are kept.
HELDOUT26_BEFORE = {
    "commit": "b1d1a5d",
    "pattern": {
        "recall": {"PERSON": 0.9726, "PHONE_NUMBER": 0.9124, "CREDIT_CARD": 0.9489},
        "recall_overall": 0.9596,
        "precision_negative_set": 1.0,
        "word_negatives_left_alone": 0.46,
    },
    "ner": {
        "recall": {"PERSON": 0.9795, "PHONE_NUMBER": 0.9124, "CREDIT_CARD": 0.9489},
        "recall_overall": 0.9631,
        "precision_negative_set": 0.999,
        "word_negatives_left_alone": 0.332,
    },
}

# HELDOUT27 before the round that made it changed any detector: measured at 5f3e682 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout27); the pattern types below 1.0 there are kept.
HELDOUT27_BEFORE = {
    "commit": "5f3e682",
    "pattern": {
        "recall": {"PERSON": 0.9405, "PHONE_NUMBER": 0.8363, "CREDIT_CARD": 0.9456},
        "recall_overall": 0.925,
        "precision_negative_set": 0.9265,
        "word_negatives_left_alone": 0.308,
    },
    "ner": {
        "recall": {"PERSON": 0.9815, "PHONE_NUMBER": 0.8363, "CREDIT_CARD": 0.9456},
        "recall_overall": 0.9456,
        "precision_negative_set": 0.9265,
        "word_negatives_left_alone": 0.068,
    },
}

# HELDOUT28 before the round that made it changed any detector: measured at c9e5430 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout28); of the pattern types only cards were below 1.0
# there.
HELDOUT28_BEFORE = {
    "commit": "c9e5430",
    "pattern": {
        "recall": {"PERSON": 0.9679, "CREDIT_CARD": 0.6134},
        "recall_overall": 0.9595,
        "precision_negative_set": 0.9811,
        "word_negatives_left_alone": 0.324,
    },
    "ner": {
        "recall": {"PERSON": 0.9728, "CREDIT_CARD": 0.6134},
        "recall_overall": 0.962,
        "precision_negative_set": 0.854,
        "word_negatives_left_alone": 0.172,
    },
}

# HELDOUT29 before the round that made it changed any detector: measured at 8fc4071 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout29); of the pattern types phones and cards were below
# 1.0 there.
HELDOUT29_BEFORE = {
    "commit": "8fc4071",
    "pattern": {
        "recall": {"PERSON": 0.9431, "PHONE_NUMBER": 0.602, "CREDIT_CARD": 0.4276},
        "recall_overall": 0.8253,
        "precision_negative_set": 0.7746,
        "word_negatives_left_alone": 0.472,
    },
    "ner": {
        "recall": {"PERSON": 0.9583, "PHONE_NUMBER": 0.602, "CREDIT_CARD": 0.4276},
        "recall_overall": 0.8333,
        "precision_negative_set": 0.6822,
        "word_negatives_left_alone": 0.384,
    },
}


def late_paragraphs(figures: dict) -> str:
    """The paragraphs and tables of HELDOUT26 .. HELDOUT29, oldest first, from ``figures``."""
    held26, held27, held28, held29 = (figures[f"heldout{n}"] for n in range(26, 30))
    return f"""\
HELDOUT26 ({sum(held26["pattern"]["labelled"].values())} labelled values, {held26["pattern"]["negatives"]} \
negatives; `bench/pii_heldout26.py`): made in the round that studied HELDOUT25's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT27). Before its own round (at
{figures["heldout26_before"]["commit"]}) it measured
{before_sentence(figures["heldout26_before"])}. Its names come from a source no earlier part and no name list
used: `nominate`'s given names and surnames by country, weighted by how often they are borne, drawn from
{len(pii_heldout26.NAME_COUNTRIES)} countries no part drew names from (Malta, Burkina Faso, Cameroon, Guatemala,
Botswana, Honduras; the only such source found that installs and works offline), written as people write them:
"Given Surname", two surnames and two given names in Guatemala and Honduras, "SURNAME Given" in a Burkinabé or
Cameroonian form, in capitals on a Maltese ID card, a given name alone after a greeting, in
{len(pii_heldout26.HELDOUT26_TEMPLATES)} templates of its own (Maltese, Burkinabé French, Mooré, Dioula,
Cameroonian Pidgin, K'iche', Guatemalan and Honduran Spanish, Setswana, Anguillan, Kittitian, Montserratian,
Virgin Islands, Sint Maarten, Papiamentu, Saint Helenian, Norf'k and Tokelauan lines, a Matrix event, a .mailmap
line, a Kubernetes annotation, a Zendesk requester, a vCard, an Apache log, a Co-authored-by trailer, an HL7 PID
segment), its own phone formats (mobile numbers of Anguilla, Saint Kitts and Nevis, Montserrat, the British and
US Virgin Islands, Sint Maarten, Bonaire, Saint Helena, Norfolk Island and Tokelau; each valid by `phonenumbers`),
its own cards (Visa, Mastercard's 2-series, Maestro, Troy, Mir, Verve and Diners prefixes, 14 to 19 digits, in
fours parted by slashes or two spaces, twelve and four, 6-13, Diners' 4-6-4, each passing Luhn),
`bench/data/pii/hard_heldout26.txt`, seed {pii_heldout26.HELDOUT26_SEED}, other types from Faker in \
{len(pii_heldout26.HELDOUT26_FAKER_LOCALES)} locales (only their non-name types), number negatives some of which
have an identifier's shape (a Bonaire post box one digit short of a mobile, an Anguilla lot in a NANP shape no
number has, vouchers and loyalty numbers of 16 digits that fail Luhn, Maltese deposit numbers in an IBAN's groups
that fail mod-97, Maltese VAT and Honduran RTN numbers of firms, OIDs, package versions and firmware shaped like
IP addresses, coordinates), and {len(pii_heldout26.HELDOUT26_WORD_NEGATIVES)} kinds of line with capitalized words
and no person (Maltese, Burkinabé, Cameroonian, Guatemalan, Batswana, Honduran, Bonairean, Norfolk Island,
Tokelauan, Anguillan, Kittitian and Saint Helenian feasts and places).

{part_table(held26)}

HELDOUT27 ({sum(held27["pattern"]["labelled"].values())} labelled values, {held27["pattern"]["negatives"]} \
negatives; `bench/pii_heldout27.py`): made in the round that studied HELDOUT26's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT28). Before its own round (at
{figures["heldout27_before"]["commit"]}) it measured
{before_sentence(figures["heldout27_before"])}. Its names come from a source no earlier part and no name list
used: `ArabicNames`' tables (Arab and Muslim given names, Arab family names; the only new full-name source found
that installs and works offline), written in the forms of Arab naming: "Given Family", a Gulf chain with "bin" or
"bint" and "Al", an Egyptian three-part name, "El-", a kunya ("Abu Karim"), the family name first in capitals in a
French form, a given name alone after a greeting, in {len(pii_heldout27.HELDOUT27_TEMPLATES)} templates of its own
(Egyptian and Gulf Arabic and Hassaniya in Latin letters, an Arabic-script form, Åland Swedish, Cocos Malay,
Vatican Italian, Saint-Barthélemy, Svalbard, Tristan, Ascension and Diego Garcia lines, a Slack export, an
iCalendar organizer, an LDAP DN, a SIP header, a WhatsApp export, a "wrote:" line, a Sentry user, a CSV row), its
own phone formats (mobile numbers of Egypt, Ascension and Diego Garcia, landlines of Tristan da Cunha, Åland, the
Cocos and Christmas Islands, Vatican City, Saint-Barthélemy and Svalbard; each valid by `phonenumbers`), its own
cards (Meeza, JCB, UnionPay, Amex and Discover prefixes, 15 to 19 digits, in fours parted by dots or " - ", two
eights, Amex's 4-6-5 parted by dots, 4-4-4-4-3, each passing Luhn), `bench/data/pii/hard_heldout27.txt`, seed \
{pii_heldout27.HELDOUT27_SEED}, other types from Faker in {len(pii_heldout27.HELDOUT27_FAKER_LOCALES)} locales \
(only their non-name types), number negatives some of which have an identifier's shape (a Tristan parcel of a
landline's length no number has, gift-card and membership codes of 16 digits that fail Luhn, Saudi deposit numbers
in an IBAN's groups that fail mod-97, a Saudi VAT number of a firm, an OID, Android builds and browser versions
shaped like IP addresses, coordinates), and {len(pii_heldout27.HELDOUT27_WORD_NEGATIVES)} kinds of line with
capitalized words and no person (Egyptian, Sahrawi, Åland, Cocos, Vatican Latin, Saint-Barthélemy, Svalbard,
Tristan and Ascension feasts and places).

{part_table(held27)}

HELDOUT28 ({sum(held28["pattern"]["labelled"].values())} labelled values, {held28["pattern"]["negatives"]} \
negatives; `bench/pii_heldout28.py`): made in the round that studied HELDOUT27's misses, written before any
result on it was seen and before that round's detector changes (and before the round that studied HELDOUT26's),
and never looked at but in these totals until its misses were studied in the next round (the round that made
HELDOUT29). Before those rounds (at {figures["heldout28_before"]["commit"]}) it measured
{before_sentence(figures["heldout28_before"])}. Its names come from a source no earlier part and no name list
used: `norwegian-fake-data`'s copy of Statistics Norway's tables (given names by their share in a year of birth
the template fits, surnames by their count), written in the forms of Norwegian naming: two given names, a surname
borne as a middle name, a hyphenated pair of surnames, a middle initial, a given name alone after a greeting, a
telex's capitals with æ, ø and å written AE, OE and AA, in {len(pii_heldout28.HELDOUT28_TEMPLATES)} templates of its
own (Nynorsk, North Sámi, Danish, Esperanto and Shetland lines, a ship's telex, a satellite messenger, a crew list,
a team site in Western Sahara, a hotel in Pyongyang, a marina in Marigot, an Antarctic station, a passwd GECOS
field, an OpenSSL subject, an INI section, a Python `__author__`, a Reply-To header, an SSH key's comment, a
Prometheus alert), its own phone formats (landlines of Saint-Martin and Western Sahara, landlines and mobiles of
North Korea, Iridium, Globalstar, Inmarsat and Thuraya satellite phones; each valid by `phonenumbers`), its own
cards (Visa, Mastercard, Bancontact's 17 digits, Humo, UzCard, ArCa, Belkart and DinaCard prefixes, in fours parted
by thin spaces, figure spaces or non-breaking hyphens, each passing Luhn), `bench/data/pii/hard_heldout28.txt`,
seed {pii_heldout28.HELDOUT28_SEED}, other types from Faker in {len(pii_heldout28.HELDOUT28_FAKER_LOCALES)} \
locales (only their non-name types), number negatives some of which have an identifier's shape (a ship's MMSI of a
phone's length, an IMO number, a KID payment reference, a gift card and a loyalty number in a card's shape that
fail Luhn, a Danish case number in an IBAN's shape that fails mod-97, a cadastral number, firmware shaped like an IP
address, positions, amounts, reindeer counts), and {len(pii_heldout28.HELDOUT28_WORD_NEGATIVES)} kinds of line with
capitalized words and no person (Nynorsk, North Sámi, Danish, Esperanto, Shetland and English feasts, places and
institutions, some holding words that are names elsewhere).

{part_table(held28)}

HELDOUT29 ({sum(held29["pattern"]["labelled"].values())} labelled values, {held29["pattern"]["negatives"]} \
negatives; `bench/pii_heldout29.py`): made in the round that studied HELDOUT28's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT30). Before its own round (at
{figures["heldout29_before"]["commit"]}) it measured
{before_sentence(figures["heldout29_before"])}. Its names come from a source no earlier part and no name list
used: `pynames`' lists of real naming traditions (Mongolian, Old Norse and old Slavic given names, in Latin letters
and Cyrillic; its fantasy lists left alone), written as each tradition names people: a Mongolian given name after
the initial of the father's name or a genitive patronymic, an Old Norse patronymic made from a man's name, a
Belarusian surname in -ovich made from a father's name, a given name alone after a greeting, in
{len(pii_heldout29.HELDOUT29_TEMPLATES)} templates of its own (Mongolian in Cyrillic, Belarusian, Slovak and Upper
Sorbian lines, a ger camp, a Naadam tour, a mine, an Icelandic festival in Manitoba, a Viking camp, a longship's
crew; a package.json author, a debian/changelog signature, an RPM changelog, a MAINTAINERS line, a PDF's author,
exiftool's artist, a card dump's record, a checkout URL's query, wa.me, callto: and skype: links, markup
attributes), its own phone formats (numbers of Mongolia, Iceland and Belarus dialled with other access codes, 011,
001, 810, 8 10 and 8~10, Belarus's trunk 8 with the area code in brackets, Ulaanbaatar's (011), a number broken over
a line, inside a link or an attribute; each valid by `phonenumbers`), its own cards (Visa of 16 and 13 digits,
Mastercard, UnionPay of 16 and 19, in fours broken over a line, a thirteen-digit Visa as 4-3-3-3, a run in a card
dump's record or a URL's query, each passing Luhn), `bench/data/pii/hard_heldout29.txt`, seed \
{pii_heldout29.HELDOUT29_SEED}, other types from Faker in {len(pii_heldout29.HELDOUT29_FAKER_LOCALES)} locales \
(only their non-name types), number negatives some of which have an identifier's shape (a Mongolian order number
and a Belarusian firm's payer number of a phone's length, a gift card and a club card in a card's shape that fail
Luhn, a Slovak file reference in an IBAN's shape that fails mod-97, a car plate, firmware shaped like an IP
address, a runestone's number, positions, amounts, flights), and {len(pii_heldout29.HELDOUT29_WORD_NEGATIVES)}
kinds of line with capitalized words and no person (Mongolian, Belarusian, Slovak, Upper Sorbian and English feasts,
places and institutions, some holding words that are names elsewhere).

{part_table(held29)}"""
