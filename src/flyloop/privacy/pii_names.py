"""A fast person-name detector for pattern-mode redaction (no NLP model).

Why by hand: pattern mode must run on a core install and keep up with ingest, and a statistical
NER model (spaCy, in NER mode) costs a millisecond or more per text and a large dependency. This
detector reads words and a compact name list (``pii_names.txt.gz``: ~18,000 first names and
~14,000 surnames in every script, from the Faker and mimesis locales the benchmark does not hold
out, plus ~44,000 English words that are no name; built by ``scripts/build_pii_names.py``) plus
the cues people write names with:

- an honorific and what follows ("Dr. Okonkwo", "Mrs Xu", "pani Nowak"), in lowercase too after one
  written with a capital, with a middle initial that is also a function word ("A.");
- an introduction and what follows ("my name is ...", "I'm ...", "Dear ...", "Hi ...", "Hola, soy ...",
  "regards, ...", "Reviewer: ...", a role: "Employee ...", "beneficiary: ..."), a sign-off on the
  line before ("Best regards,\n..."), a dash that signs the text ("... — ondina vasko"), an
  @-mention ("@ondina", never a decorator or a package scope), which also catches names written in
  lowercase, and two lowercase words no list holds that end a clause after one ("assigned to
  wirimu tane on ...");
- capitalized words in a row where one is a listed name ("Priya Patel", "Ludwig van
  Beethoven", "J. Smith"), taking in unlisted ones beside it ("Maria Szczepańska");
- two or more capitalized words in a row that no list knows ("Ingimunda Reynarsson"): a name,
  or a place or firm, redacted alike, which is the error a redactor should make; unless one of
  them is a common word or written like a product ("Data Flywheel Design", "SQLAlchemy Core"),
  half of them have an English ending ("Weekly Cache Notification"), or all are English words
  (the list's vocabulary: "Immutable Sequence Types"; "Marielle Waterfall" stays a name);
- in a headline (a subject or heading in Title Case: "Save Money On Printer Ink Today", "Job
  Offers and My Resume"), where capitals say nothing, a run of capitalized words only with a listed
  first name first ("Meet Carol Ann Duffy"), names alone ("Bill Fulton"), a listed surname last
  ("Jonty Barnes") or a person cue beside it, a headline's own among them: a preposition a person
  follows ("Invitation From ...", "Review With ..."), a label ("Keynote: ...") or a verb of news
  about people after it ("... Named Head Of Product");
- not a run whose last word names a place, a building or a team ("Golden Gate Bridge",
  "Microsoft Teams"), unless it is two words that read as a person (a surname last);
- a single capitalized word when a list knows it or the words around it say it is a person
  ("Hauwa said", "between Afia and ...", "(Hauwa)"; "... joined", "according to ...", an address
  in angle brackets after it), after a common word that starts the sentence too ("Driver ... is");
- names in capitals inside ordinary text, with a listed name among them or a cue before them;
- by shape alone (``shaped_names``): patronymics, initials, a chat's speaker, Slavic endings, "Aylin DEMİR"; a
  Chinese given name of two syllables joined by a hyphen is a first name ("Chia-kai", "I-TING"), and in lowercase
  beside a surname of one syllable a name ("tsai yu-hung");
- a surname in capitals, a comma and a listed first name in capitals ("CHIANG, CHIA-KAI");
- in lowercase, a listed first name and the word after it ("maria garcia"), a listed first name that ends the
  text ("belongs to annelie") or stands beside a person cue ("tell kenji ..."), and a pair no list holds
  followed by what only a person does ("jalol abdulhamidov said");
- a few words of a script with capitals other than Latin (Cyrillic, Greek) in a Latin sentence or beside a cue;
- in scripts without capitals (Han, kana, Hangul, Arabic, Hebrew, Devanagari, Thai, Georgian, ...): a run
  of words a list knows, or with a cue beside it, or embedded in a sentence written in Latin
  letters (like a capitalized run), the run after a greeting, thanks, a title or a field label of its script
  (Hebrew, Arabic, Persian, Urdu, Korean, Japanese, Amharic, Devanagari, Tamil, Bengali, Telugu, Kannada,
  Malayalam, Gujarati, Gurmukhi, Sinhala, Burmese, Lao, Khmer, Georgian, Thai), up to a comma, an honorific
  after the name ("जी") or a clause written without spaces; a Thai name glued to "คุณ" after a greeting;
  Han, kana and Hangul names by the cues written with them ("我叫...", "...さん", "... 씨"), Chinese ones by a
  middle dot, a compound surname or a title after them (``han_names``; a surname alone before a title of
  address: "錢先生"), in Simplified or Traditional characters; one Han character alone needs a cue;
- the cells of a contact record, a vCard, an LDAP entry, a SQL INSERT's name columns (``pii_fields``);
- and last, none that labels the number after it or is the town after a postal code (``pii_name_filters``).

Names that are also common English words ("Will", "May", "Rose"), and surnames (no first name) that are also a
language or a place ("English", "Madrid"), count only beside a clearer name or after a cue; function words,
acronyms, a surname-like word that starts a sentence ("Recall is ..."), one followed by a verb any noun takes
("Uvicorn is ..."), a month's short name beside a number ("8 Sep 2002"), a place after "in" ("in Israel") and an
English word after a greeting ("Dear Homeowner") do not count alone.
Recall: ``bench/bench_redaction.py`` (held-out parts, REAL TEXT). Misses: a single unlisted name, unlisted lowercase
names with no cue."""

from __future__ import annotations

import re

from flyloop.privacy.pii_cues import (
    ABBREVIATED_SAINT,
    FORM_WORDS,
    GREETED,
    HEADLINE_BREAKS,
    HEADLINE_PERSON_AFTER,
    HEADLINE_PERSON_BEFORE,
    HONORIFIC,
    IN_PLACE,
    INTRO_WORLD_WORDS,
    NOT_NAMES,
    PERSON_AFTER,
    PERSON_BEFORE,
    PERSON_DOES,
    PLACE_VERB_IN,
    SCRIPT_STOP,
    SCRIPT_TITLES,
    STRONG_INTRO,
    THAI_NAME,
    TITLES,
    greeting_spans,
    month_called,
)
from flyloop.privacy.pii_fields import field_names
from flyloop.privacy.pii_headlines import headline_tokens, person_cued
from flyloop.privacy.pii_name_filters import no_places, with_last_initial, with_prefix
from flyloop.privacy.pii_name_rules import (
    Name,
    _bare_pair,
    _cells_absorb,
    _lower_initial,
    _place,
    _with_inverted_surname,
    cues_in,
    honorific_titles,
    listed_people,
    lowercase_names,
    lowercase_single_names,
    other_script_names,
    past_greetings,
    plausible,
    shouted_names,
)
from flyloop.privacy.pii_name_shapes import (
    caps_then_given,
    han_names,
    long_unlisted,
    mailbox_name,
    pinyin_names,
    romanized_pairs,
    said_pairs,
    shaped_names,
)
from flyloop.privacy.pii_words import (
    _WORD_ENDING,
    CJK_ANY,
    CJK_NAME,
    KOREAN_ROLES,
    NUMBER_WORDS,
    PARTICLES,
    SON_OF,
    WORD,
    _after_colon,
    _catalan_i,
    _joined,
    _list_mates,
    _lists,
    _particle_then_capital,
    _phrase_goes_on,
    _product_like,
    _sentence_start,
    _shouted,
    _tokens,
    _unspaced_clause,
    _weak_lower,
    common_words,
    dotted_initials,
    first_of_full_name,
    function_words,
    name_lists,
    place_names,
    vocabulary,
)

_AMOUNT_BEFORE = re.compile(r"\d[ \t\u00a0]*$")

# _lists: what the benchmark times (the name list's load); the others are this module's face
__all__ = ["WORD", "Name", "_lists", "common_words", "find_names", "name_lists", "plausible"]


def find_names(text: str) -> list[Name]:
    """The spans in ``text`` that look like a person's name."""
    if not any(c.isalpha() for c in text):
        return []
    if "=" in text and "+" in text:  # a "+" for a space, one character for one: every span holds in the text given
        text = FORM_WORDS.sub(lambda m: m.group().replace("+", " "), text)
    tokens = _tokens(text)
    taken = [False] * len(tokens)
    out: list[Name] = []

    def emit(i: int, j: int) -> None:
        while i < j and (tokens[i].key in PARTICLES and not tokens[i].capitalized):
            i += 1
        while j > i and (tokens[j - 1].key in PARTICLES and not tokens[j - 1].capitalized):
            j -= 1
        if i < j:
            out.append(Name(tokens[i].start, tokens[j - 1].end))
            for k in range(i, j):
                taken[k] = True

    # Cues first: an honorific or an introduction names what follows.
    n = len(tokens)
    cues, capital_honorific, cue_spans = cues_in(text, tokens)
    script_cues = {end for _, end in cue_spans}
    for k, tok in enumerate(tokens if cue_spans else ()):  # a greeting's words are no name ("سلام" is listed)
        taken[k] = tok.key not in SCRIPT_TITLES and any(a <= tok.start and tok.end <= b for a, b in cue_spans)
    for k in honorific_titles(text, tokens, cues):  # "Kyrie Dakis": the title is no name
        taken[k] = True
    for i, tok in enumerate(tokens):
        if (
            script_cues
            and not taken[i]
            and tok.caseless
            and tok.start in script_cues
            and tok.key not in SCRIPT_STOP
            and not _unspaced_clause(text, tok)
        ):
            j = i + 1
            while (
                j < n
                and j < i + 5
                and tokens[j].caseless
                and tokens[j].key not in SCRIPT_STOP
                and not _unspaced_clause(text, tokens[j])
                and _joined(text, tokens[j - 1], tokens[j])
            ):
                j += 1
            emit(i, j)
            continue
        if taken[i] or tok.start not in cues:
            continue
        honorific = cues[tok.start]
        intro = not honorific
        if intro and "<" in text and (past := mailbox_name(text, tokens, i)):
            emit(i, past)  # "Co-authored-by: Ever Sosa <...>": a mailbox's name, whatever words it is made of
            continue
        # (a first name that is also a function word, a full name after it: "Kære May A. Ringdal", "Kortholder: Jan
        # Viken")
        # (a month that is a given name too, called by a greeting: "Hej August, ...", "Hi June!")
        if (
            tok.key in NOT_NAMES
            and not tok.listed
            and not (intro and first_of_full_name(text, tokens, i))
            and not month_called(text, tok.start, honorific)
            and not dotted_initials(text, tokens, i)  # "Eienaar: I.N. Mashabela", "Aan: A.M. van Wyk"
        ):
            continue
        # a particle in lowercase starts a name only on its way to a capital ("Titular de la tarjeta:" names no one)
        if tok.key in PARTICLES and not tok.capitalized and not _particle_then_capital(text, tokens, i):
            continue
        if intro and (  # after a greeting an English word is a role ("Dear Homeowner"), a title no name ("Hi Mr. Li")
            (
                tok.key in vocabulary()
                and not (tok.first or tok.last)
                and GREETED.search(text, max(0, tok.start - 12), tok.start)
            )
            or (tok.key in TITLES and HONORIFIC.match(text, tok.start))
        ):
            continue
        if tok.capitalized:
            word = text[tok.start : tok.end]
            ok = (
                (honorific or tok.listed or tok.first or tok.last or not tok.common)
                and (
                    honorific
                    or not _product_like(word)  # "the host CPU", "from: IT"
                    # a name in capitals ("Signed, EVFIMIYA"): five letters or more, no common word
                    or (word.isupper() and len(word) >= 5 and not tok.common and tok.key not in common_words())
                    # surnames in capitals, then the given name ("Cognome e nome: VAZ Mala")
                    or (intro and word.isupper() and caps_then_given(text, tokens, i))
                    # a short surname in capitals before a comma and a first name in capitals ("HSU, CHIH-MING")
                    or (
                        word.isupper()
                        and i + 1 < n
                        and text[tok.end : tokens[i + 1].start] == ", "
                        and _shouted(text, tokens[i + 1])
                        and tokens[i + 1].first
                        and not tokens[i + 1].common
                    )
                )
            )
        else:
            ok = (
                tok.listed
                or (tok.first or tok.last)
                and intro
                or (
                    tok.start in capital_honorific
                    and not tok.common
                    and len(tok.key) >= 3
                    and tok.key not in common_words()
                )
                or (
                    not tok.common
                    and len(tok.key) >= 3
                    and tok.key not in common_words()
                    and STRONG_INTRO.search(text, max(0, tok.start - 16), tok.start) is not None
                )
                or (intro and _bare_pair(text, tokens, i))
                or (
                    # an unlisted word after an introduction, before a listed name ("cheers, manuelo peralta")
                    intro
                    and not tok.common
                    and len(tok.key) >= 3
                    and tok.key not in common_words()
                    and i + 1 < n
                    and _joined(text, tok, tokens[i + 1])
                    and not tokens[i + 1].capitalized
                    and (tokens[i + 1].first or tokens[i + 1].last)
                    and not tokens[i + 1].common
                )
            )
        if not ok or _weak_lower(text, tokens, i, alone=True):  # "hola, como estas"; "hola ana"
            continue
        j = i + 1
        while (
            j < n
            and j < i + 8  # "Marvison Abila Luiz da Cruz de Matos"
            and _joined(text, tokens[j - 1], tokens[j])
            # a middle initial may be a function word too ("Ms Thiyagarajah A. Dowdell")
            and (
                tokens[j].key not in NOT_NAMES
                or ((tokens[j].initial or tokens[j].digraph_initial) and text[tokens[j].end : tokens[j].end + 1] == ".")
                or (tokens[j].key in PARTICLES and _particle_then_capital(text, tokens, j))  # "... do Rio de Leite"
                or _catalan_i(text, tokens, j)  # "Llopart i Monseny"
            )
            and (
                (tokens[j].capitalized and (tok.capitalized or tokens[j].first or tokens[j].last))
                or (
                    not tokens[j].capitalized
                    and not tok.capitalized
                    and (len(tokens[j].key) >= 3 or tokens[j].caseless)
                    and not _weak_lower(text, tokens, j)
                )
                or (not tokens[j].capitalized and (tokens[j].first or tokens[j].last) and not tokens[j].common)
                or tokens[j].key in PARTICLES
                or _catalan_i(text, tokens, j)
                # a middle initial in lowercase between capitalized words ("Salamat Nene d. Francisco")
                or (tok.capitalized and _lower_initial(text, tokens[j]) and j + 1 < n and tokens[j + 1].capitalized)
            )
        ):
            j += 1
        # "Last, First" after a cue ("loop in Ghattany, Tyson?"): a surname, a comma, then given names; in
        # capitals, up to three surnames ("opened by REQUESON STOROZHUK, AZZEDDIN")
        shouted = all(text[tokens[k].start : tokens[k].end].isupper() for k in range(i, j))
        if (
            (j == i + 1 or (shouted and j <= i + 3))
            and tok.capitalized
            and j < n
            and text[tokens[j - 1].end : tokens[j].start] == ", "
            and tokens[j].capitalized
            and tokens[j].key not in NOT_NAMES
            # "Payee Ana, IBAN ...": a word in capitals after a name that is not is no given name
            and (not text[tokens[j].start : tokens[j].end].isupper() or shouted)
            and (tokens[j].first or (not tokens[j].common and tokens[j].key not in common_words()))
            and not (tokens[j].key in function_words() and _phrase_goes_on(text, tokens, j))  # "..., Jūsų užsakymas"
        ):
            j += 1
            while j < n and j < i + 5 and tokens[j].capitalized and _joined(text, tokens[j - 1], tokens[j]):
                j += 1
        emit(i, j)

    shaped_names(text, tokens, taken, emit)  # patronymics, initials, chat speakers, Slavic surname endings
    pinyin_names(text, tokens, taken, emit)
    if "-" in text:
        romanized_pairs(text, tokens, taken, emit)  # "tsai yu-hung", "meng-chien chen"
    # Capitalized chains holding at least one listed name.
    headline = headline_tokens(text, tokens)
    i = 0
    while i < n:
        if taken[i] or not (tokens[i].capitalized or tokens[i].key in PARTICLES):
            i += 1
            continue
        j = i + 1
        # In a headline a capitalized function word ends a run and stands alone ("Lunch With | Mark
        # Cerny"): no name holds one, and the words before it are read as what is before the name.
        breaks = headline[i] and tokens[i].key in HEADLINE_BREAKS
        while (
            not breaks
            and j < n
            and not taken[j]
            and _joined(text, tokens[j - 1], tokens[j])
            and (
                tokens[j].capitalized
                or (tokens[j].key in PARTICLES and _particle_then_capital(text, tokens, j))
                # a middle initial in lowercase between capitalized words ("Jun d. Javier")
                or (_lower_initial(text, tokens[j]) and j + 1 < n and tokens[j + 1].capitalized)
                or _catalan_i(text, tokens, j)
            )
            and not (headline[j] and tokens[j].key in HEADLINE_BREAKS)
        ):
            j += 1
        # a run a headline's function word cut short: one word left of it is no name without a cue
        cut = headline[i] and (
            (i > 0 and tokens[i - 1].key in HEADLINE_BREAKS) or (j < n and tokens[j].key in HEADLINE_BREAKS)
        )
        # A capitalized run holding a listed name is a name (or a place or firm named after one:
        # redacting those too is the safe error). An unlisted word at either end stays out if it
        # cannot be a name or merely starts the sentence.
        if any(tokens[k].listed for k in range(i, j)) or (
            tokens[i].first
            and any(tokens[k].key in PARTICLES and not tokens[k].capitalized for k in range(i + 1, j - 1))
        ):
            lo, hi = i, j - 1
            while (
                lo < hi
                and not tokens[lo].listed
                and (
                    (
                        tokens[lo].key in NOT_NAMES
                        and not (
                            tokens[lo].first and tokens[lo + 1].listed and not _sentence_start(text, tokens[lo].start)
                        )
                    )
                    # an identifier's acronym before another short word in capitals, no initials ("UID
                    # CHE-117.754.117": "Che" is a listed name; not "J C Lawrence")
                    or (
                        not (tokens[lo].first or tokens[lo].last)
                        and tokens[lo].key not in PARTICLES
                        and all(
                            2 <= len(tokens[k].key) <= 3 and text[tokens[k].start : tokens[k].end].isupper()
                            for k in (lo, lo + 1)
                        )
                    )
                    or (
                        not (tokens[lo].first or tokens[lo].last or tokens[lo].initial)
                        and _sentence_start(text, tokens[lo].start)
                        and not tokens[lo + 1].last
                        # a patronymic's "bin", "bint", "ould" after it says name ("Fahim bin Muayyad Al Khan")
                        and not (tokens[lo + 1].key in SON_OF and not tokens[lo + 1].capitalized)
                        # an unlisted word that is no common word, before a listed name, is a name
                        # too ("Rübeyda Tofiq"); a common one is a verb or a heading ("Congratulate Tofiq");
                        # so is one that is no English word, before an unlisted one and a listed one after it
                        # ("Leva'ai Hawea Williams")
                        and (
                            tokens[lo].key in common_words()
                            or not (
                                tokens[lo + 1].listed
                                or (
                                    tokens[lo].key not in vocabulary()
                                    and not tokens[lo + 1].common
                                    and any(tokens[k].listed for k in range(lo + 2, hi + 1))
                                )
                            )
                        )
                    )
                )
            ):
                lo += 1
            while hi > lo and not tokens[hi].listed and tokens[hi].key in NOT_NAMES:
                hi -= 1
            # one word alone: not an acronym ("GIL", "CUDA"), and a surname that starts a sentence
            # ("English is ...", "Recall is ...") needs a verb a person does after it
            single = tokens[lo] if lo == hi else None
            doubtful = single is not None and (
                text[single.start : single.end].isupper()
                or (
                    not single.first
                    and _sentence_start(text, single.start)
                    and PERSON_DOES.match(text, single.end) is None
                )
                # one word of a headline cut off by its function words ("Take Control Of Your
                # Conference Calls"): only a listed first name, or one a cue points at
                or (cut and not (single.first and single.listed) and not person_cued(text, single, single))
                or (single.key in place_names() and IN_PLACE.search(text, max(0, single.start - 16), single.start))
                or PLACE_VERB_IN.search(text, max(0, single.start - 24), single.start) is not None
            )
            # In a headline ("Selling Wedded Bliss", "Job Offers and My Resume") every word is
            # capitalized, so a run of two or more is a name only if it reads like one: a listed
            # first name first, or names alone, some also words ("Bill Fulton", "Tran Snow"), or a
            # listed surname last after first names or words that are no common word ("Jonty
            # Barnes"), or a person cue beside it.
            titled = (
                lo < hi
                and headline[lo]
                and not (tokens[lo].listed and tokens[lo].first)
                and not all(tokens[k].first or tokens[k].last for k in range(lo, hi + 1))
                and not (
                    tokens[hi].listed
                    and tokens[hi].last
                    and all(
                        tokens[k].first or (tokens[k].key not in common_words() and not tokens[k].common)
                        for k in range(lo, hi)
                    )
                )
                and not person_cued(text, tokens[lo], tokens[hi])
            )
            if (
                not doubtful
                and not titled
                and not _place(tokens, lo, hi)
                and not long_unlisted(text, tokens, lo, hi)
                and any(tokens[k].first or tokens[k].last for k in range(lo, hi + 1))
            ):
                # "Desouky, Ahmed Abdoh": a surname no list holds, a comma, then the given names
                emit(_with_inverted_surname(text, tokens, taken, lo, hi) if tokens[lo].first else lo, hi + 1)
        else:
            # Names no list holds: two or more capitalized words in a row (edges that cannot be
            # part of a name trimmed) are a name, or a place or firm, redacted alike; a single
            # one counts when the words around it say it is a person.
            lo, hi = i, j - 1
            # a function word starts or ends no name, unless capitalized mid-sentence ("add Said Kiprotich")
            # (nor a particle in lowercase: "del Juzgado" is one word no list holds, not two)
            while lo <= hi and (
                (
                    tokens[lo].key in NOT_NAMES
                    and (_sentence_start(text, tokens[lo].start) or lo == hi or not tokens[lo].capitalized)
                )
                or (tokens[lo].key in PARTICLES and not tokens[lo].capitalized)
                or tokens[lo].key in NUMBER_WORDS  # "the Seven Seas", "Three Rivers"
            ):
                lo += 1
            while hi >= lo and tokens[hi].key in NOT_NAMES:
                hi -= 1
            # a common word capitalized because it starts the sentence is no part of the name after
            # it, when one word is left ("Driver Alija is 5 minutes away"; a longer run is judged whole:
            # "Grand Canyon National Park")
            if lo + 1 == hi and tokens[lo].key in common_words() and _sentence_start(text, tokens[lo].start):
                lo += 1
            words = [tokens[k] for k in range(lo, hi + 1)]
            shouting = [text[w.start : w.end].isupper() for w in words]
            # half of them or more common words, words with an English ending ("Weekly Cache
            # Notification"; not "-ing", which pinyin names end with too) or product-style words make
            # it a title or a product ("Data Flywheel Design", "SQLAlchemy Core"), not a person
            # ("Owner Eyyub Bakıxanov" is one)
            wordy = 2 * sum(
                w.key in common_words()
                or (_WORD_ENDING.search(w.key) is not None and not w.key.endswith("ing"))
                or _product_like(text[w.start : w.end])
                for w in words
            ) >= len(words) or all(w.key in vocabulary() or w.key in common_words() for w in words)
            # in a headline, capitals say nothing: a run no list knows needs a person cue beside it
            titled = len(words) >= 2 and headline[lo] and not person_cued(text, words[0], words[-1])
            before = bool(words) and PERSON_BEFORE.search(text, max(0, words[0].start - 24), words[0].start) is not None
            # a headline's cues ("Invitation From ...", "... Named Head Of Product")
            headline_cued = (
                bool(words)
                and bool(headline[lo])
                and _WORD_ENDING.search(words[-1].key) is None  # "Improving Models From Production"
                and (
                    HEADLINE_PERSON_BEFORE.search(text, max(0, words[0].start - 16), words[0].start) is not None
                    or HEADLINE_PERSON_AFTER.match(text, words[-1].end) is not None
                )
            )
            if (
                len(words) >= 2
                # (and Catalan's "i" between two surnames: "Kaamouss i Gundersen")
                and all(len(w.key) >= 2 or w.initial or _catalan_i(text, tokens, k) for k, w in enumerate(words, lo))
                and not all(shouting)
                and not wordy
                and not titled
                and not _place(tokens, lo, hi)
                and not long_unlisted(text, tokens, lo, hi)
            ):
                emit(lo, hi + 1)
            elif (
                len(words) == 1
                and len(words[0].key) >= 3
                and not shouting[0]
                and not words[0].common
                # a short word right after an amount is its currency or unit ("737 Nfk paid"), no one alone
                and not (
                    len(words[0].key) <= 3
                    and _AMOUNT_BEFORE.search(text, max(0, words[0].start - 16), words[0].start) is not None
                )
                and not (cut and not before and not headline_cued)
                and (
                    headline_cued
                    or
                    # "is", "has" follow any noun: after one that starts a sentence they say nothing
                    (PERSON_DOES if _sentence_start(text, words[0].start) else PERSON_AFTER).match(text, words[0].end)
                    is not None
                    or (
                        text[words[0].start - 1 : words[0].start] == "("
                        and text[words[0].end : words[0].end + 1] == ")"
                    )
                    # (a cue that is a label, "Driver: ...", starts a field as a sentence starts)
                    or (before and (not _sentence_start(text, words[0].start) or _after_colon(text, words[0].start)))
                )
            ):
                emit(_with_inverted_surname(text, tokens, taken, lo, hi), hi + 1)
        i = j

    lowercase_names(text, tokens, taken, emit)  # "maria garcia", "belongs to annelie"
    said_pairs(text, tokens, taken, emit)  # "jalol abdulhamidov said"
    lowercase_single_names(text, tokens, taken, emit)  # "tell kenji the build is green"

    if not text.isupper():  # words in capitals inside a text that is not all capitals
        shouted_names(text, tokens, taken, cues, emit)
    other_script_names(text, tokens, taken, cues, emit)  # "ask محمد الأحمد", "Anna と Ben"
    if ":" in text:
        listed_people(text, tokens, taken, emit)  # "Attendees: ...; ...": each item, in any case
    if out and n > 1:
        _list_mates(text, tokens, taken, emit)
    if "คุณ" in text:  # "สวัสดีคุณ...": a Thai name glued to its title after a greeting or a label
        out += [Name(m.start("name"), m.end("name")) for m in THAI_NAME.finditer(text)]
    if CJK_ANY.search(text) is not None:
        for m in CJK_NAME.finditer(text):
            group = next(g for g in ("a", "b", "c", "d", "e", "f") if m.group(g))
            if group != "c" or m.group("c") not in KOREAN_ROLES:
                out.append(Name(m.start(group), m.end(group)))
        for lo, hi in han_names(text):  # "迪特尔·弗兰克尔", "长孙琛", in place of a part of it another rule found
            if not any(n.start <= lo and hi <= n.end for n in out):
                out = [n for n in out if not (lo <= n.start and n.end <= hi)] + [Name(lo, hi)]
    if out:  # "Wan Chai", "Kwun Tong – Tsim Sha Tsui": places; "Rēķins Nr. 123", "Challan no. 123": a number's label
        out = no_places(text, out)
    fields = field_names(text)
    if fields:  # a name column or a mailto link: the whole cell is the name
        out = _cells_absorb(out, fields)
    if out and not INTRO_WORLD_WORDS.isdisjoint(t.key for t in tokens):  # "Рақмет, ...": a greeting is no name
        out = past_greetings(text, out, greeting_spans(text))
    if out and ("." in text or "St " in text):  # "St. John's 17.1601 -61.867": one word after a saint's abbreviation
        out = [
            n
            for n in out
            if " " in text[n.start : n.end] or not ABBREVIATED_SAINT.search(text, max(0, n.start - 8), n.start)
        ]
    # "Zoraida Gutiérrez A.", "Şamilov Dünyamalı Əşrəf oğlu", "Most. Rokeya Munshi": a second surname's initial or a
    # patronymic's word after the name, Bangladesh's "Md." or "Most." before it
    out = [with_prefix(text, with_last_initial(text, name)) for name in out]
    return sorted(out)
