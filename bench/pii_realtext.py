"""REAL TEXT: what the fast name detector flags in writing nobody tuned it to, beside the labelled
sets of ``bench/pii_sets.py``. None of it carries name labels, so what is flagged is counted (texts
altered, spans per 1,000 words), and a seeded sample of the flagged spans is checked by hand
against ``data/pii/realtext_checked.tsv`` (a person's verdict on each, a line ``name|not<TAB>span<TAB>text``:
a person's name, real or fictional, "Bilbo Baggins" too; a span holding a name and a word more,
"Quoting Nick Murtagh", counts as a name; places, firms, products, awards, titles do not).

Sources, each read offline and skipped (with a line saying how to get it) when missing:

- ``spam-subjects`` and ``spam-lines``: the subject and the first body line of 800 mails drawn
  (seed ``SEED``) from the SpamAssassin corpus the demo reads (``python
  scripts/fetch_spam_assassin.py`` fetches it into ``$FLYLOOP_DATA``, else ``~/.cache/flyloop``).
  Title Case subjects and headlines; real senders' and recipients' names too ("From John Smith").
- ``chatterbot``: the English conversations of chatterbot-corpus 1.3.3, read from an installed
  ``chatterbot_corpus`` or from ``$FLYLOOP_DATA/chatterbot-corpus`` (``pip install --no-deps
  --target ~/.cache/flyloop/chatterbot-corpus chatterbot-corpus==1.3.3``): chat turns, trivia
  with real people's names in them ("William Shakespeare").
- ``python-docs``: paragraphs of Python's own reference documentation (``pydoc_data.topics``,
  part of every CPython).
- ``readmes``: the first paragraphs of the long descriptions of the packages installed beside
  this one (their ``METADATA``), sorted by name, Markdown headings and prose; authors' names too.

Tuning used only ``spam-subjects`` and ``spam-lines`` of the older SpamAssassin groups (``-1``);
the figures are reported for every source and for the later groups (``-2``) apart.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data" / "pii"
CHECKED = DATA / "realtext_checked.tsv"
SEED = 20261206
N_MAILS = 800
N_README_PACKAGES = 400
SOURCES = ("spam-subjects", "spam-lines", "chatterbot", "python-docs", "readmes")


class Text(NamedTuple):
    source: str
    part: str  # "older" / "later" for mail (tuned on the older), "" elsewhere
    text: str


def data_root() -> Path:
    return Path(os.environ.get("FLYLOOP_DATA") or Path.home() / ".cache" / "flyloop")


def _first_line(body: str) -> str:
    """The first line of a body with letters in it, quoted text and greetings' blank lines skipped."""
    for line in body.splitlines():
        line = " ".join(line.split())
        if sum(c.isalpha() for c in line) >= 8 and not line.startswith(">"):
            return line[:300]
    return ""


def spam_assassin(notes: list[str]) -> Iterator[Text]:
    from flyloop.cli.demo_mail import corpus_dir, parse_message

    folder = corpus_dir()
    listed = folder / "file_list.json"
    if not listed.is_file():
        notes.append(f"spam-*: no SpamAssassin corpus in {folder}: python scripts/fetch_spam_assassin.py")
        return
    entries = sorted(str(rel) for rel in json.loads(listed.read_text()) if str(rel).endswith(".txt"))
    for rel in random.Random(SEED).sample(entries, min(N_MAILS, len(entries))):
        path = folder / rel.replace(".txt", ".json")
        if not path.is_file():
            continue
        subject, body, _ = parse_message(str(json.loads(path.read_text(errors="replace")).get("text") or ""))
        part = "later" if rel.split("/")[0].endswith("-2") else "older"
        subject = " ".join(subject.split())
        if subject:
            yield Text("spam-subjects", part, subject)
        line = _first_line(body)
        if line:
            yield Text("spam-lines", part, line)


def chatterbot(notes: list[str]) -> Iterator[Text]:
    try:
        import chatterbot_corpus  # type: ignore[import-not-found]

        root = Path(chatterbot_corpus.__file__).parent / "data" / "english"
    except ImportError:
        root = data_root() / "chatterbot-corpus" / "chatterbot_corpus" / "data" / "english"
    if not root.is_dir():
        notes.append(
            "chatterbot: not installed: pip install --no-deps --target ~/.cache/flyloop/chatterbot-corpus "
            "chatterbot-corpus==1.3.3"
        )
        return
    import yaml

    for path in sorted(root.glob("*.yml")):
        for turns in yaml.safe_load(path.read_text(encoding="utf-8")).get("conversations") or []:
            for turn in turns:
                if isinstance(turn, str) and turn.strip():
                    yield Text("chatterbot", "", " ".join(turn.split()))


def python_docs(notes: list[str]) -> Iterator[Text]:
    try:
        from pydoc_data.topics import topics
    except ImportError:
        notes.append("python-docs: this Python has no pydoc_data")
        return
    for key in sorted(topics):
        for para in re.split(r"\n\s*\n", topics[key]):
            # prose only: an indented block is code or a grammar rule
            if para.strip() and not para.startswith((" ", "\t")) and sum(c.isalpha() for c in para) >= 20:
                yield Text("python-docs", "", " ".join(para.split()))


def readmes(notes: list[str]) -> Iterator[Text]:
    seen: set[str] = set()
    dists = sorted(metadata.distributions(), key=lambda d: (d.metadata["Name"] or "").lower())
    for dist in dists:
        name = (dist.metadata["Name"] or "").lower()
        body = dist.metadata.get_payload() or dist.metadata["Description"] or ""  # type: ignore[attr-defined]
        if not name or name in seen or not body.strip():
            continue
        seen.add(name)
        if len(seen) > N_README_PACKAGES:
            break
        kept = 0
        in_code = False
        for para in re.split(r"\n\s*\n", str(body)):
            if para.lstrip().startswith(("```", "..", "    ", "|", "<", "[![", "![")):
                in_code = para.lstrip().startswith("```") and para.count("```") == 1 and not in_code
                continue
            if in_code or sum(c.isalpha() for c in para) < 12:
                continue
            yield Text("readmes", "", " ".join(para.split())[:600])
            kept += 1
            if kept == 5:
                break


def texts(notes: list[str]) -> list[Text]:
    """Every real text found, source by source (see the module docstring); ``notes`` gains a line
    for each source that is missing, saying how to get it."""
    out: list[Text] = []
    for source in (spam_assassin, chatterbot, python_docs, readmes):
        out.extend(source(notes))
    return out


Spans = Callable[[list[str]], list[list[tuple[str, int, int]]]]


def checked() -> dict[tuple[str, str], bool]:
    """(span, its text) -> a person's verdict: True for a real name."""
    if not CHECKED.is_file():
        return {}
    rows = (line.split("\t", 2) for line in CHECKED.read_text(encoding="utf-8").splitlines() if line)
    return {(span, text): verdict == "name" for verdict, span, text in rows}


def flagged(spans_of: Spans, items: list[Text]) -> list[tuple[Text, str]]:
    """(text, span) for every PERSON span found."""
    found = spans_of([t.text for t in items])
    return [(t, t.text[s:e]) for t, spans in zip(items, found) for kind, s, e in spans if kind == "PERSON"]


def figures(spans_of: Spans, items: list[Text], sample: int = 100) -> dict:
    """Per source (and for the mail's later groups apart): texts, words, texts altered by a name
    span, name spans per 1,000 words; and the hand-checked share of real names in a seeded sample
    of the flagged spans (only spans with a verdict in the checked file count; the rest are
    reported as unchecked)."""
    found = spans_of([t.text for t in items])
    groups: dict[str, list[tuple[Text, list[tuple[str, int, int]]]]] = {}
    for item, spans in zip(items, found):
        people = [s for s in spans if s[0] == "PERSON"]
        groups.setdefault(item.source, []).append((item, people))
        if item.part:
            groups.setdefault(f"{item.source}:{item.part}", []).append((item, people))
    out: dict = {}
    for key in sorted(groups):
        rows = groups[key]
        words = sum(len(item.text.split()) for item, _ in rows)
        spans = sum(len(people) for _, people in rows)
        out[key] = {
            "texts": len(rows),
            "words": words,
            "altered": sum(1 for _, people in rows if people),
            "altered_share": round(sum(1 for _, people in rows if people) / len(rows), 4),
            "name_spans": spans,
            "name_spans_per_1k_words": round(1000 * spans / max(1, words), 3),
        }
    all_rows = [row for key, rows in groups.items() if ":" not in key for row in rows]
    words = sum(len(item.text.split()) for item, _ in all_rows)
    spans = sum(len(people) for _, people in all_rows)
    out["all"] = {
        "texts": len(all_rows),
        "words": words,
        "altered": sum(1 for _, people in all_rows if people),
        "altered_share": round(sum(1 for _, people in all_rows if people) / len(all_rows), 4),
        "name_spans": spans,
        "name_spans_per_1k_words": round(1000 * spans / max(1, words), 3),
    }
    pairs = [(item, item.text[s:e]) for item, spans in zip(items, found) for kind, s, e in spans if kind == "PERSON"]
    drawn = random.Random(SEED).sample(pairs, min(sample, len(pairs)))
    verdicts = checked()
    known = [verdicts[(span, item.text)] for item, span in drawn if (span, item.text) in verdicts]
    out["checked_sample"] = {
        "drawn": len(drawn),
        "checked": len(known),
        "real_names": sum(known),
        "real_name_share": round(sum(known) / len(known), 4) if known else None,
    }
    return out


def sample_to_check(spans_of: Spans, items: list[Text], sample: int = 100) -> list[tuple[str, str]]:
    """The seeded sample :func:`figures` checks, as (span, text): what a person labels."""
    found = spans_of([t.text for t in items])
    pairs = [
        (item.text[s:e], item.text) for item, spans in zip(items, found) for kind, s, e in spans if kind == "PERSON"
    ]
    return random.Random(SEED).sample(pairs, min(sample, len(pairs)))


# Measured with the detector as it was before the headline rules (commit 8dddf3b), by this
# module, with a pattern-mode Redactor of PERSON alone (the bench asks for every type, and a name
# span that overlaps a pattern's hit then gives way: with every type, spam-lines 266 and all 1005
# texts altered, 11.599 spans per 1,000 words); the sample's verdicts are in the checked file too.
BEFORE = {
    "commit": "8dddf3b",
    "spam-subjects": {"texts": 800, "altered": 180, "name_spans_per_1k_words": 44.355},
    "spam-subjects:later": {"texts": 372, "altered": 73, "name_spans_per_1k_words": 37.087},
    "spam-lines": {"texts": 796, "altered": 267, "name_spans_per_1k_words": 48.612},
    "chatterbot": {"texts": 4403, "altered": 328, "name_spans_per_1k_words": 10.763},
    "python-docs": {"texts": 1215, "altered": 61, "name_spans_per_1k_words": 1.694},
    "readmes": {"texts": 772, "altered": 170, "name_spans_per_1k_words": 13.869},
    "all": {"texts": 7986, "altered": 1006, "altered_share": 0.126, "name_spans_per_1k_words": 11.608},
    "checked_sample": {"drawn": 100, "checked": 100, "real_names": 35, "real_name_share": 0.35},
}

# REAL TEXT before the name list learned English words and places (commit db76a7f), measured
# beside the change in one environment (the READMEs read depend on what is installed).
VOCABULARY_BEFORE = {
    "commit": "db76a7f",
    "spam-subjects": {"altered": 119, "name_spans_per_1k_words": 29.287},
    "spam-subjects:later": {"altered": 44, "name_spans_per_1k_words": 23.235},
    "spam-lines": {"altered": 232, "name_spans_per_1k_words": 38.665},
    "chatterbot": {"altered": 282, "name_spans_per_1k_words": 9.316},
    "python-docs": {"altered": 49, "name_spans_per_1k_words": 1.39},
    "readmes": {"altered": 163, "name_spans_per_1k_words": 12.593},
    "all": {"altered": 845, "name_spans_per_1k_words": 9.563},
    "checked_sample": {"drawn": 100, "checked": 100, "real_names": 39, "real_name_share": 0.39},
}


def markdown(now: dict, notes: list[str]) -> str:
    """The REAL TEXT table for BENCHMARKS.md: before (``BEFORE``) and now, source by source."""
    rows = []
    for key in ("spam-subjects", "spam-subjects:later", "spam-lines", "chatterbot", "python-docs", "readmes", "all"):
        if key not in now:
            continue
        was, is_ = BEFORE.get(key), now[key]
        before = f"{was['altered']} ({was['name_spans_per_1k_words']:.1f})" if was else "-"
        was_round = VOCABULARY_BEFORE.get(key)
        round_before = f"{was_round['altered']} ({was_round['name_spans_per_1k_words']:.1f})" if was_round else "-"
        rows.append(
            f"| {key} | {is_['texts']} | {is_['words']} | {before} | {round_before} | {is_['altered']} "
            f"({is_['name_spans_per_1k_words']:.1f}) |"
        )
    sample, was, was_vocab = now["checked_sample"], BEFORE["checked_sample"], VOCABULARY_BEFORE["checked_sample"]
    share = f"{sample['real_name_share']:.2f}" if sample["real_name_share"] is not None else "n/a"
    missing = "".join(f"\nMissing here: {note}" for note in notes)
    return f"""
REAL TEXT (`bench/pii_realtext.py`): what pattern mode's name detector alters in writing nobody tuned
it to: SpamAssassin subjects and first body lines (800 mails, seed {SEED}), chatterbot-corpus's
English conversations, Python's reference docs (`pydoc_data`), the READMEs of installed packages.
Texts altered by a name span, and in brackets name spans per 1,000 words, before the headline
rules (commit {BEFORE["commit"]}), before the name list learned English words and places (commit
{VOCABULARY_BEFORE["commit"]}) and now.
The headline rules were tuned on the older mail groups only; `spam-subjects:later` is the later groups (`-2`) alone.

| source | texts | words | before headline rules | before English words | now |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Hand-checked: a seeded sample of {sample["drawn"]} flagged spans, each judged by a person (a person's
name, real or fictional, or not: `bench/data/pii/realtext_checked.tsv`): {sample["real_names"]} of \
{sample["checked"]} checked are names ({share}); before the headline rules, {was["real_names"]} of \
{was["checked"]} ({was["real_name_share"]:.2f}); before English words, {was_vocab["real_names"]} of \
{was_vocab["checked"]} ({was_vocab["real_name_share"]:.2f}). Mail is full of real names ("Tim Peters said:",
"Justin Mason wrote:"), so what is flagged there is not all false. The English words and places were
weighed on every source here (none held out from that change) and on the labelled sets' recall.{missing}
"""
