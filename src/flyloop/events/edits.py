"""Edits measured: how far a user's correction is from the output it corrects.

For every correction flyloop computes the character- and token-level Levenshtein distance, the
normalized similarity of each (1.0 is identical), and a readable word diff
(``The answer is [-84-]{+85+}.``), all with rapidfuzz. The edit is then classified:

- ``unchanged``: the text is the output, byte for byte (the user opened the editor and kept it);
- ``trivial``: a touch-up (case, spacing, punctuation, or a small share of the words) that
  leaves every number, date and amount as it was: the output was essentially right;
- ``substantive``: a real fix: the token similarity is below ``trivial_similarity``, or a
  number changed (a changed figure is a changed fact, however short the diff);
- ``rewrite``: the user replaced most of it: token similarity below ``rewrite_similarity``.

Thresholds are :class:`EditThresholds`, configurable per project through the label weights
(:class:`flyloop.labels.verdicts.Weights`) or the ``edit_*`` settings.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

from rapidfuzz.distance import Indel, Levenshtein

from flyloop import errors

EditClass = Literal["unchanged", "trivial", "substantive", "rewrite"]
EDIT_CLASSES: tuple[str, ...] = ("unchanged", "trivial", "substantive", "rewrite")

# Words and single punctuation marks: punctuation is its own token so "85." and "85" differ by
# a period, not by a whole word.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class EditThresholds:
    """Where touch-ups end and rewrites begin, on token similarity (0..1)."""

    trivial_similarity: float = 0.9
    rewrite_similarity: float = 0.35

    def __post_init__(self) -> None:
        if not 0.0 <= self.rewrite_similarity < self.trivial_similarity <= 1.0:
            raise errors.ValidationError(
                "edit thresholds need 0 <= rewrite_similarity < trivial_similarity <= 1", field="edit_thresholds"
            )


@dataclass(frozen=True)
class EditMeasure:
    """What one correction did to one output."""

    char_distance: int
    token_distance: int
    similarity: float  # character-level, 1 - distance / longer length
    token_similarity: float  # the same over tokens
    edit_class: str
    diff: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def numbers(text: str) -> list[str]:
    """The figures in a text, in order: what must not change in a touch-up."""
    return _NUMBER.findall(text)


def _folded(text: str) -> list[str]:
    # Case and punctuation folded away: what is left is the words a reader would notice.
    return [t for t in tokens(text.lower()) if t[0].isalnum() or t[0] == "_"]


def diff(original: str, corrected: str) -> str:
    """A word diff that reads inline: ``[-removed-]`` and ``{+added+}`` around changed tokens."""
    src, dst = tokens(original), tokens(corrected)
    parts: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            parts.append("[-" + " ".join(removed) + "-]" + ("{+" + " ".join(added) + "+}" if added else ""))
        elif added:
            parts.append("{+" + " ".join(added) + "+}")
        removed.clear()
        added.clear()

    # Indel (insertions and deletions only) keeps unchanged words in place where Levenshtein would
    # pair them off as replacements; a deletion next to an insertion reads as one replacement.
    for op in Indel.opcodes(src, dst):
        if op.tag == "equal":
            flush()
            parts.append(" ".join(src[op.src_start : op.src_end]))
        else:
            removed.extend(src[op.src_start : op.src_end])
            added.extend(dst[op.dest_start : op.dest_end])
    flush()
    # Tokens were split off their punctuation; glue the punctuation back so the diff reads as text.
    return re.sub(r" (?=[.,;:!?)\]](?:\s|$|\[|\{))", "", " ".join(p for p in parts if p))


@lru_cache(maxsize=16_384)
def measure(original: str | None, corrected: str, thresholds: EditThresholds | None = None) -> EditMeasure:
    """Distances, similarities, diff and class of ``corrected`` against ``original`` (cached:
    the label rule asks for the same edit twice, evidence and class)."""
    thresholds = thresholds or EditThresholds()
    original = original or ""
    src, dst = tokens(original), tokens(corrected)
    char_distance = Levenshtein.distance(original, corrected)
    token_distance = Levenshtein.distance(src, dst)
    similarity = Levenshtein.normalized_similarity(original, corrected)
    token_similarity = Levenshtein.normalized_similarity(src, dst)
    return EditMeasure(
        char_distance,
        token_distance,
        round(similarity, 6),
        round(token_similarity, 6),
        classify(original, corrected, token_similarity, thresholds),
        diff(original, corrected),
    )


def classify(original: str, corrected: str, token_similarity: float, thresholds: EditThresholds) -> str:
    if original == corrected:
        return "unchanged"
    if numbers(original) != numbers(corrected):
        return "rewrite" if token_similarity < thresholds.rewrite_similarity else "substantive"
    if _folded(original) == _folded(corrected) or token_similarity >= thresholds.trivial_similarity:
        return "trivial"
    if token_similarity < thresholds.rewrite_similarity:
        return "rewrite"
    return "substantive"
