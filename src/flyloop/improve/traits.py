"""What a failure cluster's members have in common: the words that set it apart (TF-IDF), the
common edit of its corrections (measured with :func:`flyloop.events.measure`) and its segments
(metadata values, beside their share among all failures). Used by :mod:`flyloop.improve.failures`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from flyloop.events import measure
from flyloop.extras import require

if TYPE_CHECKING:
    from flyloop.improve.failures import Failure

# A metadata key with more values than this among the failures is an identifier, not a segment.
MAX_SEGMENT_VALUES = 12
NONE = "(none)"


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def keywords(texts: Sequence[str], groups: NDArray[np.int64], top: int = 3) -> dict[int, list[str]]:
    """Per group, its most distinctive words: mean TF-IDF inside the group minus outside it,
    the best ``top`` that are positive (words of letters only: figures name no topic)."""
    text_mod = require("sklearn.feature_extraction.text", "embed", "failure cluster labels")
    vectorizer = text_mod.TfidfVectorizer(
        stop_words="english", token_pattern=r"(?u)\b[^\W\d_]{2,}\b", sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform(list(texts))
    except ValueError:  # no word in any text (figures or symbols only)
        return {int(g): [] for g in np.unique(groups)}
    vocabulary = vectorizer.get_feature_names_out()
    out: dict[int, list[str]] = {}
    for group in np.unique(groups):
        inside = groups == group
        score = np.asarray(matrix[inside].mean(axis=0)).ravel()
        if (~inside).any():
            score = score - np.asarray(matrix[~inside].mean(axis=0)).ravel()
        order = sorted(range(len(vocabulary)), key=lambda j: (-score[j], vocabulary[j]))
        out[int(group)] = [str(vocabulary[j]) for j in order[:top] if score[j] > 0]
    return out


# --- what the corrections do ------------------------------------------------------------------------

_CHANGE = re.compile(r"\[-(.*?)-\](?:\{\+(.*?)\+\})?|\{\+(.*?)\+\}")
_LOOSE_PUNCTUATION = re.compile(r" (?=[.,;:!?)\]])")


def _phrase(tokens: str) -> str:
    # Inside a hunk the diff keeps its tokens apart ("desk ."): glue punctuation back, fold case.
    return _LOOSE_PUNCTUATION.sub("", tokens).lower()


def common_edit(pairs: Sequence[tuple[str, str]], top: int = 3) -> dict[str, Any]:
    """What corrections (output, corrected text) typically do: the edit classes, an action per
    edit (``shorten``: only deletions or under 80% of the length; ``add``: only insertions or
    over 125%; else ``replace``), the typical action, the mean token similarity, and phrases
    deleted, inserted and replaced in at least two corrections (from the measured word diff)."""
    if not pairs:
        return {"corrected": 0, "summary": "no corrections"}
    classes: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    deleted: Counter[str] = Counter()
    inserted: Counter[str] = Counter()
    replaced: Counter[str] = Counter()
    similarity = 0.0
    for output, corrected in pairs:
        edit = measure(output, corrected)
        classes[edit.edit_class] += 1
        similarity += edit.token_similarity
        dels: set[str] = set()
        ins: set[str] = set()
        reps: set[str] = set()
        for gone, came, added in _CHANGE.findall(edit.diff):
            if gone and came:
                reps.add(f"{_phrase(gone)} -> {_phrase(came)}")
            elif gone:
                dels.add(_phrase(gone))
            if added:
                ins.add(_phrase(added))
        deleted.update(dels)
        inserted.update(ins)
        replaced.update(reps)
        ratio = len(corrected) / max(len(output), 1)
        only_deletes = bool(dels) and not ins and not reps
        only_adds = bool(ins) and not dels and not reps
        if only_deletes or ratio < 0.8:
            actions["shorten"] += 1
        elif only_adds or ratio > 1.25:
            actions["add"] += 1
        else:
            actions["replace"] += 1
    n = len(pairs)
    typical, count = min(actions.items(), key=lambda kv: (-kv[1], kv[0]))

    def frequent(counter: Counter[str]) -> list[dict[str, Any]]:
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"phrase": p, "count": c} for p, c in ranked[:top] if c >= 2]

    result: dict[str, Any] = {
        "corrected": n,
        "classes": dict(sorted(classes.items())),
        "actions": dict(sorted(actions.items())),
        "typical": typical,
        "typical_share": round(count / n, 6),
        "mean_token_similarity": round(similarity / n, 6),
        "deleted": frequent(deleted),
        "inserted": frequent(inserted),
        "replaced": frequent(replaced),
    }
    summary = f"{typical} ({count} of {n})"
    for key, verb in (("deleted", "deletes"), ("inserted", "adds"), ("replaced", "replaces")):
        if result[key]:
            summary += f", often {verb} '{_clip(result[key][0]['phrase'], 30)}'"
            break
    result["summary"] = summary
    return result


# --- segments ---------------------------------------------------------------------------------------


def default_segment_keys(failures: Sequence[Failure]) -> list[str]:
    """Metadata keys that segment the failures: scalar values, at most :data:`MAX_SEGMENT_VALUES`
    distinct ones (more is an identifier, not a segment)."""
    values: dict[str, set[Any]] = {}
    broken: set[str] = set()
    for f in failures:
        for key, value in f.meta.items():
            if value is not None and not isinstance(value, str | int | float | bool):
                broken.add(key)
            else:
                values.setdefault(key, set()).add(value)
    return sorted(k for k, v in values.items() if k not in broken and len(v) <= MAX_SEGMENT_VALUES)


def _segment_value(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    return NONE if value is None else str(value)


def segments(
    members: Sequence[Failure], everyone: Sequence[Failure], keys: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Per key, each value's count and share in the cluster beside its share of all failures
    (``baseline``): a share well over the baseline is a segment the cluster hits harder."""
    out: dict[str, list[dict[str, Any]]] = {}
    for key in keys:
        inside = Counter(_segment_value(f.meta, key) for f in members)
        overall = Counter(_segment_value(f.meta, key) for f in everyone)
        out[key] = [
            {
                "value": value,
                "count": count,
                "share": round(count / len(members), 6),
                "baseline": round(overall[value] / len(everyone), 6),
            }
            for value, count in sorted(inside.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return out
