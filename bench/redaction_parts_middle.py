"""The paragraphs of the held-out parts HELDOUT20 .. HELDOUT25, with their totals before their own rounds
(``HELDOUTn_BEFORE``), rendered from a run's figures; kept apart from ``bench/redaction_parts.py`` so that each
module stays readable. Their texts are frozen: these parts' rounds are over."""

from __future__ import annotations

from bench import pii_heldout20, pii_heldout21, pii_heldout22, pii_heldout23, pii_heldout24, pii_heldout25
from bench.redaction_parts_early import before_sentence, part_table

# HELDOUT20 before the round that made it changed any detector: measured at f1bd875 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout20); the pattern types below 1.0 there are kept.
HELDOUT20_BEFORE = {
    "commit": "f1bd875",
    "pattern": {
        "recall": {"PERSON": 0.8173, "PHONE_NUMBER": 0.9182, "CREDIT_CARD": 0.9603},
        "recall_overall": 0.876,
        "precision_negative_set": 0.8968,
        "word_negatives_left_alone": 0.492,
    },
    "ner": {
        "recall": {"PERSON": 0.8411, "PHONE_NUMBER": 0.9182, "CREDIT_CARD": 0.9603},
        "recall_overall": 0.8885,
        "precision_negative_set": 0.8958,
        "word_negatives_left_alone": 0.236,
    },
}


# HELDOUT21 before the round that made it changed any detector: measured at d0c4aec with the part's files
# copied in (python bench/bench_redaction.py --quality heldout21); the pattern types below 1.0 there are kept.
HELDOUT21_BEFORE = {
    "commit": "d0c4aec",
    "pattern": {
        "recall": {"PERSON": 0.7739, "PHONE_NUMBER": 0.9327, "CREDIT_CARD": 0.7447},
        "recall_overall": 0.846,
        "precision_negative_set": 0.9143,
        "word_negatives_left_alone": 0.664,
    },
    "ner": {
        "recall": {"PERSON": 0.7973, "PHONE_NUMBER": 0.9327, "CREDIT_CARD": 0.7447},
        "recall_overall": 0.8582,
        "precision_negative_set": 0.9143,
        "word_negatives_left_alone": 0.524,
    },
}


# HELDOUT22 before the round that made it changed any detector: measured at f19a238 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout22); the pattern types below 1.0 there are kept.
HELDOUT22_BEFORE = {
    "commit": "f19a238",
    "pattern": {
        "recall": {"PERSON": 0.8537, "PHONE_NUMBER": 0.9486},
        "recall_overall": 0.9118,
        "precision_negative_set": 0.8965,
        "word_negatives_left_alone": 0.496,
    },
    "ner": {
        "recall": {"PERSON": 0.8828, "PHONE_NUMBER": 0.9486},
        "recall_overall": 0.9265,
        "precision_negative_set": 0.8458,
        "word_negatives_left_alone": 0.356,
    },
}


# HELDOUT23 before the round that made it changed any detector: measured at 6dcc038 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout23); the pattern types below 1.0 there are kept.
HELDOUT23_BEFORE = {
    "commit": "6dcc038",
    "pattern": {
        "recall": {"PERSON": 0.8882, "PHONE_NUMBER": 0.984, "CREDIT_CARD": 0.7111},
        "recall_overall": 0.9142,
        "precision_negative_set": 0.8169,
        "word_negatives_left_alone": 0.592,
    },
    "ner": {
        "recall": {"PERSON": 0.8891, "PHONE_NUMBER": 0.984, "CREDIT_CARD": 0.7111},
        "recall_overall": 0.9147,
        "precision_negative_set": 0.7721,
        "word_negatives_left_alone": 0.364,
    },
}


# HELDOUT24 before the round that made it changed any detector: measured at d01fe96 with the part's files
# copied in (python bench/bench_redaction.py --quality heldout24); the pattern types below 1.0 there are kept.
HELDOUT24_BEFORE = {
    "commit": "d01fe96",
    "pattern": {
        "recall": {"PERSON": 0.9268, "PHONE_NUMBER": 0.973, "CREDIT_CARD": 0.7007},
        "recall_overall": 0.934,
        "precision_negative_set": 0.8242,
        "word_negatives_left_alone": 0.46,
    },
    "ner": {
        "recall": {"PERSON": 0.9489, "PHONE_NUMBER": 0.973, "CREDIT_CARD": 0.7007},
        "recall_overall": 0.9453,
        "precision_negative_set": 0.7686,
        "word_negatives_left_alone": 0.232,
    },
}


# HELDOUT25 before the round that made it changed any detector: measured at 874f89f with the part's files
# copied in (python bench/bench_redaction.py --quality heldout25); the pattern types below 1.0 there are kept.
HELDOUT25_BEFORE = {
    "commit": "874f89f",
    "pattern": {
        "recall": {"PERSON": 0.9224, "PHONE_NUMBER": 0.9513, "CREDIT_CARD": 0.5667},
        "recall_overall": 0.9077,
        "precision_negative_set": 0.7577,
        "word_negatives_left_alone": 0.748,
    },
    "ner": {
        "recall": {"PERSON": 0.9311, "PHONE_NUMBER": 0.9513, "CREDIT_CARD": 0.5667},
        "recall_overall": 0.9123,
        "precision_negative_set": 0.7349,
        "word_negatives_left_alone": 0.62,
    },
}


def middle_paragraphs(figures: dict) -> str:
    """The paragraphs and tables of HELDOUT20 .. HELDOUT25, oldest first, from ``figures``."""
    held20, held21, held22, held23, held24, held25 = (figures[f"heldout{n}"] for n in range(20, 26))
    return f"""\
HELDOUT20 ({sum(held20["pattern"]["labelled"].values())} labelled values, {held20["pattern"]["negatives"]} \
negatives; `bench/pii_heldout20.py`): made in the round that studied HELDOUT19's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT21). Before its own round (at
{figures["heldout20_before"]["commit"]}) it measured
{before_sentence(figures["heldout20_before"])}. Its names come from a source no
earlier part and no name list used: `names-dataset`'s tables (the first and last names people wrote on a social
network, ranked by country), the {pii_heldout20.TOP} best-ranked first and last names of each of \
{len(pii_heldout20.NAME_COUNTRIES)} countries no
part drew (Fiji, Haiti, Puerto Rico, Jamaica, Turkmenistan, Bolivia, Burundi, Djibouti, the Maldives, Macau, Yemen
and Namibia; Latin letters, Turkmen names also in Cyrillic, Yemeni ones in the Arabic script), written in forms of
their own (a boarding pass's "SURNAME/GIVEN MR", an HL7 segment's "Surname^Given", an initial and a surname,
"Surname, Given", a given name alone in a greeting, a surname alone after a title), in \
{len(pii_heldout20.HELDOUT20_TEMPLATES)} templates of
its own (a boarding pass, an HL7 PID segment, an LDIF entry, git trailers, a Telegram export, a hotel card, a
semicolon CSV, XML, a Kubernetes annotation, Zendesk, Outlook and Jira lines, a pharmacy label, a fail2ban line;
Fijian, Fiji Hindi, Papiamento, Puerto Rican and Dominican Spanish, Bahamian, Turkmen, Aymara, Quechua, Kirundi,
Somali, Dhivehi, Cantonese, Palauan, Pohnpeian, Otjiherero, Kuwaiti Arabizi and Yemeni Arabic lines), its own
phone formats (Puerto Rican, Dominican, Bahamian, Aruban, Curaçaoan, Kuwaiti, Jordanian, Yemeni, Sudanese,
Burundian, Micronesian and Palauan mobile numbers; each valid by `phonenumbers`), its own cards (Mir, Troy,
RuPay, Elo, Hipercard, Diners Club, UATP and Maestro prefixes, 12 to 19 digits, in fours parted by dots or by
" - ", 4-6-4, 4-5-6, in a run or in brackets, each passing Luhn), `bench/data/pii/hard_heldout20.txt`, seed \
{pii_heldout20.HELDOUT20_SEED}, other types from Faker in {len(pii_heldout20.HELDOUT20_FAKER_LOCALES)} locales (only
their non-name types), number negatives some of which have an identifier's shape (a Puerto Rican utility account
shaped like a phone number with an exchange no number has, a Kuwaiti case number no Kuwaiti number starts like,
loyalty cards and vouchers of 16 and 19 digits that fail Luhn, Italian supplier codes in an IBAN's groups that
fail mod-97, Windows builds and LDAP OIDs shaped like IP addresses, coordinates), and \
{len(pii_heldout20.HELDOUT20_WORD_NEGATIVES)} kinds of line
with capitalized words and no person (Fijian, Papiamento, Puerto Rican, Bahamian, Jamaican, Turkmen, Aymara,
Kirundi, Somali, Dhivehi, Palauan, Pohnpeian, Macanese, Yemeni and Namibian feasts and places).

{part_table(held20)}

HELDOUT21 ({sum(held21["pattern"]["labelled"].values())} labelled values, {held21["pattern"]["negatives"]} \
negatives; `bench/pii_heldout21.py`): made in the round that studied HELDOUT20's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT22). Before its own round (at
{figures["heldout21_before"]["commit"]}) it measured
{before_sentence(figures["heldout21_before"])}. Its names come from a source no
earlier part and no name list used: `nlpfaker`'s Taiwanese data ({len(pii_heldout21._pools()["last"][0])} surnames
and the {len(pii_heldout21._pools()["first"][0])} characters most used in given names, each drawn by its weight),
written in Traditional Han characters (alone, or the surname alone before 先生 or 小姐) or in Wade-Giles letters as
Taiwanese passports write them (by `pypinyin`: "Chen I-ting", "I-Ting Chen", "CHEN, I-TING", an airline's
"CHEN/I-TING", a vCard's "Chen;I-ting", a given name alone in a greeting, a surname alone after a title), in \
{len(pii_heldout21.HELDOUT21_TEMPLATES)} templates of
its own (a LINE chat export, a Taiwanese form, an ARC application, a 7-ELEVEN pickup slip, Shopee, systemd,
Matrix, vCard, PagerDuty, CODEOWNERS, Postgres audit and ICS lines, an airline SSR DOCS line; Cook Islands Māori,
Tuvaluan, Marshallese, Krio, Liberian English, Mandinka, Gabonese French, Malay, Singlish, Cantonese, Te Reo
Māori, Taiwanese Hokkien, Romanian, Finnish, Norwegian and Mandarin lines), its own phone formats (Taiwanese,
Hong Kong, Singaporean, Malaysian, New Zealand, Cook Islands, Tuvaluan, Marshallese, Gabonese, Liberian, Sierra
Leonean and Gambian mobile numbers; each valid by `phonenumbers`), its own cards (Visa, Mastercard, JCB, UnionPay
and Amex prefixes, 15 to 19 digits, in fours parted by underscores or slashes, the last four apart from a run,
4-6-5 with dashes, or in a run, each passing Luhn), `bench/data/pii/hard_heldout21.txt`, seed \
{pii_heldout21.HELDOUT21_SEED}, other types from Faker in {len(pii_heldout21.HELDOUT21_FAKER_LOCALES)} locales (only
their non-name types), number negatives some of which have an identifier's shape (a Taiwanese parcel code of a
phone number's length with a prefix no number has, a Taiwanese invoice number, a Singapore UEN, gift cards and
library barcodes of 16 digits that fail Luhn, Romanian tax references in an IBAN's groups that fail mod-97,
firmware and release versions and SNMP OIDs shaped like IP addresses, coordinates), and \
{len(pii_heldout21.HELDOUT21_WORD_NEGATIVES)} kinds of line
with capitalized words and no person (Mandarin, Cook Islands Māori, Tuvaluan, Marshallese, Krio, Liberian,
Mandinka, Malay, Singaporean, Cantonese, Te Reo Māori and Gabonese feasts and places).

{part_table(held21)}

HELDOUT22 ({sum(held22["pattern"]["labelled"].values())} labelled values, {held22["pattern"]["negatives"]} \
negatives; `bench/pii_heldout22.py`): made in the round that studied HELDOUT21's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT23). Before its own round (at
{figures["heldout22_before"]["commit"]}) it measured
{before_sentence(figures["heldout22_before"])}. Its names come from two sources no
earlier part and no name list used: `synth-data-tn`'s Tunisian lists ({len(pii_heldout22._pools()["tn_male"])} men's \
and {len(pii_heldout22._pools()["tn_female"])} women's given names,
{len(pii_heldout22._pools()["tn_last"])} surnames such as "Ben Romdhane" or "Fakhfakh"), written as Tunisian papers \
write them ("Skander Ben Romdhane", the
French administrative "BEN ROMDHANE Skander", a patronymic "Eya bent Hedi Fakhfakh", a given name alone in a
greeting, a surname alone after M. or Mme), and `fusuk`'s British lists ({len(pii_heldout22._pools()["uk_first"])} \
given names and the surnames ranked
{pii_heldout22.RANKS[0]} to {pii_heldout22.RANKS[1]} by frequency, rare ones such as "Boocock" or "Fyall", some \
of them English words), written
"Given Surname", "Surname, Given", "G. Surname", "Given M. Surname", a surname alone after a title, and as a
GEDCOM "Given /Surname/" or an HL7 "SURNAME^GIVEN", in {len(pii_heldout22.HELDOUT22_TEMPLATES)} templates of
its own (a Tunisian "Nom et prénom" form, a CNSS form, a louage booking, a parcel locker, Jira, GEDCOM, HL7, LDAP,
git trailers, a Kubernetes audit event, an Outlook invitation, CSV rows, SWIFT MT103 fields; Tunisian Derja,
Bambara, Zarma, Chadian Arabic, Pular, Lingala, Réunion Creole, Jèrriais, Manx English, Llanito, Cypriot Greek,
siSwati, Dutch and French lines), its own phone formats (Libyan, Malian, Nigerien, Chadian, Guinean, Congolese,
Cypriot, Gibraltarian, Jersey, Isle of Man, Réunion and Eswatini mobile numbers; each valid by `phonenumbers`),
its own cards (Visa, Mastercard, Diners, Discover, Maestro, Mir and Troy prefixes, 14 to 19 digits, in fours
parted by dots or by " - ", two runs of eight, 4-6-4, 4-4-4-4-3, or in a run, each passing Luhn),
`bench/data/pii/hard_heldout22.txt`, seed {pii_heldout22.HELDOUT22_SEED}, other types from Faker in \
{len(pii_heldout22.HELDOUT22_FAKER_LOCALES)} locales (only
their non-name types), number negatives some of which have an identifier's shape (a Libyan case number of a
phone number's length with a prefix no number has, a Tunisian tax number, lottery tickets and meter serials of 16
digits that fail Luhn, Tunisian file references in an IBAN's groups that fail mod-97, OIDs, app versions and
lease clauses shaped like IP addresses, coordinates), and {len(pii_heldout22.HELDOUT22_WORD_NEGATIVES)} kinds of \
line with capitalized words and no person
(Tunisian, Malian, Nigerien, Chadian, Guinean, Congolese, Jersey, Manx, Gibraltarian, Cypriot, Scottish Gaelic,
Cornish, Réunion, Eswatini and Libyan feasts and places).

{part_table(held22)}

HELDOUT23 ({sum(held23["pattern"]["labelled"].values())} labelled values, {held23["pattern"]["negatives"]} \
negatives; `bench/pii_heldout23.py`): made in the round that studied HELDOUT22's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT24). Before its own round (at
{figures["heldout23_before"]["commit"]}) it measured
{before_sentence(figures["heldout23_before"])}. Its names come from a source no
earlier part and no name list used: `persian-gender-detection`'s Iranian given names in the Persian script
({len(pii_heldout23._pools()["male"])} men's and {len(pii_heldout23._pools()["female"])} women's, compounds such as \
"حاج غلام" among them; the file has no surnames),
standing where a given name stands alone: in Persian chats (after سلام, before جان or عزیز), after آقای or خانم, in
an Iranian form's نام and نام پدر fields, and written in the Persian script in lines of other languages where
Iranians abroad are named as they write themselves, in {len(pii_heldout23.HELDOUT23_TEMPLATES)} templates of its
own (a Spanish expediente and Registro Civil, an Equatoguinean DIP form, Monaco and San Marino hotel registers,
Cayman and Bermuda notices, a vCard, a BibTeX author, SEPA XML, a Jenkins log, a Zendesk macro; Fang, Bubi, Forro,
Guinea-Bissau Kriol, Monégasque, Sammarinese, Kwéyòl, Grenadian, Tigrinya and Juba Arabic greetings), its own
phone formats (mobile numbers of Congo, Equatorial Guinea, São Tomé, Guinea-Bissau, San Marino, Monaco, the
Cayman Islands, Bermuda, Saint Lucia, Grenada, Eritrea and South Sudan; each valid by `phonenumbers`), its own
cards (JCB, UnionPay, RuPay, Verve, Elo, Hipercard, Visa and Mastercard prefixes, 16 to 19 digits, in fours
parted by no-break spaces or by " – ", the first six apart from the rest, 4-4-4-4-3 parted by slashes, or in a
run, each passing Luhn), `bench/data/pii/hard_heldout23.txt`, seed {pii_heldout23.HELDOUT23_SEED}, other types \
from Faker in {len(pii_heldout23.HELDOUT23_FAKER_LOCALES)} locales (only
their non-name types), number negatives some of which have an identifier's shape (an Equatoguinean batch number
of a phone number's length with a prefix no number has, a Bermuda permit in a NANP shape no number has,
warranty codes and library barcodes of 16 digits that fail Luhn, Monaco file references in an IBAN's groups that
fail mod-97, OIDs, firmware versions and statute articles shaped like IP addresses, coordinates), and \
{len(pii_heldout23.HELDOUT23_WORD_NEGATIVES)} kinds of line with capitalized words and no person
(Equatoguinean, São Toméan, Bissau-Guinean, Monégasque, Sammarinese, Caymanian, Bermudian, Saint Lucian,
Grenadian, Eritrean, South Sudanese and Iranian feasts and places).

{part_table(held23)}

HELDOUT24 ({sum(held24["pattern"]["labelled"].values())} labelled values, {held24["pattern"]["negatives"]} \
negatives; `bench/pii_heldout24.py`): made in the round that studied HELDOUT23's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT25). Before its own round (at
{figures["heldout24_before"]["commit"]}) it measured
{before_sentence(figures["heldout24_before"])}. Its names come from two sources no
earlier part and no name list used, each with given names and surnames: `pt-name-gen`'s Brazilian lists
({len(pii_heldout24._pools()["br_male"])} men's and {len(pii_heldout24._pools()["br_female"])} women's given \
names, {len(pii_heldout24._pools()["br_surname"])} surname forms such as "de Medeiros" or "Clara da Cruz") and
`genderdetectfrance`'s French-Swiss lists ({len(pii_heldout24._pools()["ch_male"])} men's and \
{len(pii_heldout24._pools()["ch_female"])} women's given names of many origins,
{len(pii_heldout24._pools()["ch_surname"])} surnames), written as people write them: "Given Surname" with
particles in lower case, in capitals in a Brazilian NOME COMPLETO field, "SURNAME Given" in a Swiss or French
register, a given name alone, in {len(pii_heldout24.HELDOUT24_TEMPLATES)} templates of its own (a Pix receipt, a
WhatsApp line, a SUS card, a condominium notice, a Gemeinde register, Romansh, Swiss German, Guianese, Antillean,
Shimaore, Cuban, Khmer, Palestinian, Syrian, Sango, Dominican, Vincentian and Nauruan lines, git trailers, a
Kubernetes audit event, an iCalendar ATTENDEE, an LDAP DN), its own phone formats (mobile numbers of French
Guiana, Guadeloupe, Martinique, Mayotte, Cuba, Cambodia, Palestine, Syria, the Central African Republic,
Dominica, Saint Vincent and Nauru; each valid by `phonenumbers`), its own cards (Elo, Mir, Troy, Diners, UATP,
Discover and Maestro prefixes, 14 to 16 digits, in fours parted by dots, narrow no-break spaces or two spaces,
4-6-4 and 4-5-6, each passing Luhn), `bench/data/pii/hard_heldout24.txt`, seed {pii_heldout24.HELDOUT24_SEED}, \
other types from Faker in {len(pii_heldout24.HELDOUT24_FAKER_LOCALES)} locales (only
their non-name types), number negatives some of which have an identifier's shape (a shipment number one digit
too long for a Palestinian mobile, a Dominica licence in a NANP shape no number has, tracking codes and loyalty
numbers of 16 digits that fail Luhn, Swiss file references in an IBAN's groups that fail mod-97, Brazilian NF-e
access keys, boleto lines and Swiss QR references, CNPJ and Swiss UID numbers of firms, OIDs, builds and rules
shaped like IP addresses, coordinates), and {len(pii_heldout24.HELDOUT24_WORD_NEGATIVES)} kinds of \
line with capitalized words and no person
(Brazilian, Swiss German, Romansh, Guianese, Guadeloupean, Mahoran, Cuban, Cambodian, Palestinian,
Central African, Dominican, Vincentian and Nauruan feasts and places).

{part_table(held24)}

HELDOUT25 ({sum(held25["pattern"]["labelled"].values())} labelled values, {held25["pattern"]["negatives"]} \
negatives; `bench/pii_heldout25.py`): made in the round that studied HELDOUT24's misses, written before any
result on it was seen and before that round's detector changes, and never looked at but in these totals until
its misses were studied in the next round (the round that made HELDOUT26). Before its own round (at
{figures["heldout25_before"]["commit"]}) it measured
{before_sentence(figures["heldout25_before"])}. Its names come from two sources no
earlier part and no name list used, each with given names and family names: `randino`'s Japanese, Korean,
Chinese and Vietnamese pools (each name in its script, "高田静香", "최민서", "赵佳琪", "Nguyễn Diệu Đào", and in the
package's Latin form) and `farsi-faker`'s Persian given names and family names (in the Persian script, compound
family names among them, and in the package's own Latin spelling, capitalized), written as people write them: in
the native script in a chat or form of their language, family name first in Latin letters in a form's
NAME (LATIN) field, in capitals in a passport line, given name first in an English line, a given name alone, in
{len(pii_heldout25.HELDOUT25_TEMPLATES)} templates of its own (KakaoTalk, Zalo, LINE and WeChat lines, Korean,
Japanese, Vietnamese and Persian forms, a Finglish ad, Chamorro, Samoan, Niuean, Wallisian, Saint-Pierre,
Falklands, Turks and Caicos, Antiguan and Guernésiais lines, a Slack export, a PGP uid, a Dockerfile LABEL, a Jira
line, a CSV row, YAML front matter, a sudo log), its own phone formats (mobile numbers of South Korea, Vietnam,
Guam, the Northern Marianas, American Samoa, Niue, Wallis and Futuna, Saint Pierre and Miquelon, the Falklands,
Turks and Caicos, Antigua and Guernsey; each valid by `phonenumbers`), its own cards (Visa, Mastercard, JCB,
UnionPay, NAPAS, Amex and Discover prefixes, 15 to 19 digits, in fours parted by ideographic spaces or by " - ",
two runs of eight, 4-4-4-7, Amex's 4-6-5 parted by dots, each passing Luhn), `bench/data/pii/hard_heldout25.txt`,
seed {pii_heldout25.HELDOUT25_SEED}, other types from Faker in {len(pii_heldout25.HELDOUT25_FAKER_LOCALES)} \
locales (only their non-name types), number negatives some of which have an identifier's shape (a parcel number
one digit too long for a Korean mobile, a Guam permit in a NANP shape no number has, gift-card codes and
membership numbers of 16 digits that fail Luhn, Iranian contract numbers in an IBAN's groups that fail mod-97,
Korean business numbers and Vietnamese tax codes of firms, OIDs, firmware and releases shaped like IP addresses,
coordinates), and {len(pii_heldout25.HELDOUT25_WORD_NEGATIVES)} kinds of line with capitalized words and no person
(Korean, Japanese, Vietnamese, Chamorro, Samoan, Niuean, Wallisian, Saint-Pierre, Falklands, Turks and Caicos,
Antiguan and Sark feasts and places).

{part_table(held25)}"""
