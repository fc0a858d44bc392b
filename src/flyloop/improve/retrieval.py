"""Retrieval feedback for RAG workloads: which documents help, which go with failures, and where
the context lacked what users had to add (issue 12, item 4).

The app logs the documents it retrieved for an interaction as its ``context_ids`` (``Policy.log``
adds ``example:<id>`` entries for the few-shot examples it served: those are not documents and are
left out here), and optionally the passages' text in ``metadata["passages"]`` (``{context id:
text}``) or through a corpus the caller passes (``documents``: a mapping, or a JSONL file of
``{"id", "text"}`` rows). The privacy gate redacts PII from metadata values (the passages' text
included) and keeps their keys; a minimization allow-list without ``passages`` drops them at
ingest; passages in metadata are usage, not content, so they outlive ``no_content`` consent and
content expiry (pass the corpus instead where that matters).

What the verdicts say about a document (:func:`judge`): a ``good`` label is a success of every
document the interaction used, a ``bad`` one a failure, each weighted by the label's confidence;
a ``corrected`` one is a failure, unless the document's passage *supports the correction* (it
holds at least half of the correction's added terms, :func:`support`): then the document had what
the answer needed and the model did not use it, a success for the document. ``unknown`` labels
count as uses only. Attributed outcomes are already part of the label (labels weigh them in), so
they are reported beside the verdicts (successes and failures by the outcome's direction) but not
counted twice.

- :func:`document_credit`: per document, its uses, verdicts and outcomes, and a helpfulness
  estimate: the posterior mean of a Beta(1, 1) prior updated with the confidence-weighted
  successes and failures, with its 95% equal-tailed interval; sorted by the interval's lower
  bound (documents proven helpful first; a document seen twice does not outrank one seen fifty
  times), then uses, then id.
- :func:`failure_documents`: documents that appear in failures far more than in successes. With
  integer counts (``f`` failed and ``s`` good interactions that used the document, of ``F`` and
  ``S`` in all; a correction the document's passage supports is counted for neither): the
  ratio of its share of failures to its share of successes, smoothed by a half
  (Haldane-Anscombe: ``((f + .5) / (F + 1)) / ((s + .5) / (S + 1))``), and Fisher's exact test,
  one-sided, of the 2x2 table (failure or success, used it or not). Listed when the ratio is at
  least ``min_ratio`` (2), ``f`` at least ``min_failures`` (3), and the p-value at most ``alpha``
  (0.05; not corrected for the number of documents tested: a list to read, not a claim).
- :func:`context_gaps`: corrections whose added content is not in any retrieved passage. The
  measure: the correction's *added terms* are its content words (lowercased word tokens of 3 or
  more characters or holding a digit, minus a fixed stop list) that are neither in the output nor
  in the input; their *coverage* is the share found among the words of the retrieved passages
  whose text is known. A gap: at least ``min_added`` (1) added terms and coverage under
  ``max_coverage`` (0.5). An interaction whose passages are all unknown is not judged.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import sqlalchemy as sa

from flyloop import errors, events, labels
from flyloop.settings import Settings
from flyloop.store import Store, schema

EXAMPLE_PREFIX = "example:"  # rollout's served few-shot examples (a stage above: not importable here)
PASSAGES_KEY = "passages"
SUPPORT = 0.5  # a passage supports a correction holding at least this share of its added terms
PRIOR = (1.0, 1.0)  # Beta prior of a document's helpfulness: uniform
LEVEL = 0.95  # the helpfulness interval
EXAMPLES = 3  # failed interactions shown per failure document
_CHUNK = 500

_WORD = re.compile(r"\w+", re.UNICODE)
# A fixed list, so the measure is the same in every install (scikit-learn's lives in an extra).
# Words of 3+ letters only: shorter ones are dropped by length.
STOP_WORDS = frozenset(
    """
    about above after again against all also and any are because been before being below between
    both but can could did does doing down during each few for from further had has have having her
    here hers herself him himself his how into its itself just more most not now off once only other
    our ours out over own same she should some such than that the their theirs them then there these
    they this those through too under until very was were what when where which while who whom why
    will with would you your yours yourself yes okay please thanks thank
    """.split()
)


# --- reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RagInteraction:
    """One interaction that retrieved documents, with its label and outcomes."""

    id: str
    user_id: str | None
    consent: str | None
    ts: float
    query: str
    output: str
    documents: tuple[str, ...]  # its context ids, examples left out, in retrieval order
    passages: Mapping[str, str]  # the text of those whose text is known
    verdict: str | None  # None: not labelled
    confidence: float
    corrected_text: str | None
    outcomes: tuple[int, ...] = ()  # each attributed outcome's direction: +1, -1 or 0


def load_documents(documents: Mapping[str, str] | str | Path | None) -> dict[str, str]:
    """A corpus as ``{id: text}``: a mapping as it is, or a JSONL file of ``{"id", "text"}`` rows
    (a bad line is a ValidationError naming ``documents`` and the line)."""
    if documents is None:
        return {}
    if isinstance(documents, Mapping):
        return {str(k): str(v) for k, v in documents.items()}
    path = Path(documents).expanduser()
    if not path.is_file():
        raise errors.ValidationError(f"no documents file {str(path)!r}", field="documents")
    corpus: dict[str, str] = {}
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise errors.ValidationError(f"{path.name} line {number}: not JSON ({exc})", field="documents") from exc
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("text"), str):
                raise errors.ValidationError(
                    f'{path.name} line {number}: each line is {{"id": "...", "text": "..."}}', field="documents"
                )
            corpus[row["id"]] = row["text"]
    return corpus


def _query_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        turns = [m for m in value if isinstance(m, dict)]
        users = [m for m in turns if m.get("role") == "user"] or turns
        return str(users[-1].get("content", "")) if users else ""
    return "" if value is None else str(value)


def _window(since: float | None, until: float | None) -> tuple[float, float]:
    low = 0.0 if since is None else float(since)
    high = time.time() + 86_400.0 if until is None else float(until)
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise errors.ValidationError(f"since ({since}) must be before until ({until})", field="since")
    return low, high


def load_interactions(
    store: Store,
    project_id: str,
    workload: str,
    *,
    since: float | None = None,
    until: float | None = None,
    documents: Mapping[str, str] | str | Path | None = None,
    ids: Iterable[str] | None = None,
    settings: Settings | None = None,
) -> list[RagInteraction]:
    """The workload's interactions in ``[since, until)`` that retrieved at least one document
    (only ``ids`` when given), oldest first, with their labels (caught up first, as a dataset
    build does) and outcomes."""
    low, high = _window(since, until)
    corpus = load_documents(documents)
    labels.catch_up(store, project_id, settings=settings)
    i, lb = schema.interactions, schema.labels
    query = (
        sa.select(
            i.c.id,
            i.c.user_id,
            i.c.consent,
            i.c.ts,
            i.c.input,
            i.c.output,
            i.c.context_ids,
            i.c.meta,
            lb.c.verdict,
            lb.c.confidence,
            lb.c.corrected_text,
        )
        .select_from(i.outerjoin(lb, sa.and_(lb.c.project_id == i.c.project_id, lb.c.interaction_id == i.c.id)))
        .where(i.c.project_id == project_id, i.c.workload == workload, i.c.ts >= low, i.c.ts < high)
        .order_by(i.c.ts, i.c.id)
    )
    wanted = None if ids is None else set(ids)
    found: list[Any] = []
    with store.read() as conn:
        for row in conn.execute(query):
            if wanted is not None and row.id not in wanted:
                continue
            docs = [c for c in row.context_ids or () if isinstance(c, str) and not c.startswith(EXAMPLE_PREFIX)]
            if docs:
                found.append((row, tuple(dict.fromkeys(docs))))
    outcomes = _outcomes(store, project_id, [row.id for row, _ in found])
    out = []
    for row, docs in found:
        meta = row.meta or {}
        logged = meta.get(PASSAGES_KEY) if isinstance(meta, dict) else None
        logged = logged if isinstance(logged, dict) else {}
        passages = {d: str(logged[d]) for d in docs if isinstance(logged.get(d), str)}
        passages.update({d: corpus[d] for d in docs if d not in passages and d in corpus})
        out.append(
            RagInteraction(
                id=row.id,
                user_id=row.user_id,
                consent=row.consent,
                ts=float(row.ts),
                query=_query_text(row.input),
                output=row.output or "",
                documents=docs,
                passages=passages,
                verdict=row.verdict,
                confidence=float(row.confidence or 0.0),
                corrected_text=row.corrected_text,
                outcomes=tuple(outcomes.get(row.id, ())),
            )
        )
    return out


def _outcomes(store: Store, project_id: str, ids: Sequence[str]) -> dict[str, list[int]]:
    s = schema.signals
    rule = events.kind("outcome")
    found: dict[str, list[int]] = {}
    with store.read() as conn:
        for start in range(0, len(ids), _CHUNK):
            for row in conn.execute(
                sa.select(s.c.interaction_id, s.c.value, s.c.payload)
                .where(
                    s.c.project_id == project_id,
                    s.c.kind == "outcome",
                    s.c.interaction_id.in_(list(ids[start : start + _CHUNK])),
                )
                .order_by(s.c.ts, s.c.id)
            ):
                found.setdefault(row.interaction_id, []).append(rule.direction(row.value, row.payload or {}))
    return found


# --- the measures ------------------------------------------------------------------------------------


def terms(text: str | None) -> set[str]:
    """A text's content words: lowercased word tokens of 3+ characters or holding a digit, minus
    :data:`STOP_WORDS`."""
    if not text:
        return set()
    return {
        w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and (len(w) >= 3 or any(ch.isdigit() for ch in w))
    }


def added_terms(item: RagInteraction) -> set[str]:
    """What a correction added: its terms that are in neither the output nor the input."""
    if item.corrected_text is None:
        return set()
    return terms(item.corrected_text) - terms(item.output) - terms(item.query)


def support(item: RagInteraction, document: str) -> float | None:
    """The share of the correction's added terms found in ``document``'s passage (None: no
    correction adds anything, or the passage's text is unknown)."""
    added = added_terms(item)
    passage = item.passages.get(document)
    if not added or passage is None:
        return None
    return len(added & terms(passage)) / len(added)


def judge(item: RagInteraction, document: str) -> int:
    """What the interaction's label says of ``document``: +1 success, -1 failure, 0 neither
    (not labelled, or ``unknown``). See the module's docstring."""
    if item.verdict == "good":
        return 1
    if item.verdict == "bad":
        return -1
    if item.verdict == "corrected":
        held = support(item, document)
        return 1 if held is not None and held >= SUPPORT else -1
    return 0


# --- document credit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentCredit:
    """One document's record: how often it was used, what the verdicts and outcomes said, and its
    helpfulness (posterior mean) with a 95% interval."""

    document: str
    uses: int
    verdicts: dict[str, int]  # good, bad, corrected, unknown, unlabelled
    successes: float  # confidence-weighted
    failures: float
    outcomes: dict[str, int]  # success, failure, neutral
    helpfulness: float
    low: float
    high: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "uses": self.uses,
            "verdicts": dict(self.verdicts),
            "successes": round(self.successes, 6),
            "failures": round(self.failures, 6),
            "outcomes": dict(self.outcomes),
            "helpfulness": round(self.helpfulness, 6),
            "interval": [round(self.low, 6), round(self.high, 6)],
        }


def beta_interval(successes: float, failures: float, level: float = LEVEL) -> tuple[float, float, float]:
    """(posterior mean, low, high) of a Beta(1, 1) prior updated with weighted counts."""
    from scipy.stats import beta

    a, b = PRIOR[0] + successes, PRIOR[1] + failures
    tail = (1.0 - level) / 2
    return a / (a + b), float(beta.ppf(tail, a, b)), float(beta.ppf(1.0 - tail, a, b))


def credit(items: Iterable[RagInteraction]) -> list[DocumentCredit]:
    """:func:`document_credit` over interactions already read."""
    tallies: dict[str, dict[str, Any]] = {}
    for item in items:
        for document in item.documents:
            t = tallies.setdefault(
                document,
                {
                    "uses": 0,
                    "verdicts": dict.fromkeys(("good", "bad", "corrected", "unknown", "unlabelled"), 0),
                    "s": 0.0,
                    "f": 0.0,
                    "outcomes": dict.fromkeys(("success", "failure", "neutral"), 0),
                },
            )
            t["uses"] += 1
            t["verdicts"][item.verdict or "unlabelled"] += 1
            said = judge(item, document)
            if said > 0:
                t["s"] += item.confidence
            elif said < 0:
                t["f"] += item.confidence
            for direction in item.outcomes:
                t["outcomes"][{1: "success", -1: "failure"}.get(direction, "neutral")] += 1
    found = []
    for document, t in tallies.items():
        mean, low, high = beta_interval(t["s"], t["f"])
        found.append(DocumentCredit(document, t["uses"], t["verdicts"], t["s"], t["f"], t["outcomes"], mean, low, high))
    found.sort(key=lambda c: (-c.low, -c.uses, c.document))
    return found


def document_credit(
    store: Store,
    project_id: str,
    workload: str,
    since: float | None = None,
    until: float | None = None,
    *,
    documents: Mapping[str, str] | str | Path | None = None,
    settings: Settings | None = None,
) -> list[DocumentCredit]:
    """Credit each document the workload's interactions in ``[since, until)`` retrieved, from
    their verdicts and outcomes (module docstring); ``documents``: passages' text where the
    interactions' metadata lacks it (it decides whether a passage supports a correction)."""
    items = load_interactions(
        store, project_id, workload, since=since, until=until, documents=documents, settings=settings
    )
    return credit(items)


# --- failure documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailureDocument:
    """A document that appears in failures far more than in successes, with the evidence."""

    document: str
    failures: int  # judged failures that used it
    successes: int
    ratio: float  # share of failures using it over share of successes using it (smoothed)
    p_value: float  # Fisher's exact test, one-sided
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "failures": self.failures,
            "successes": self.successes,
            "ratio": round(self.ratio, 6),
            "p_value": round(self.p_value, 6),
            "examples": self.examples,
        }


def failing(
    items: Sequence[RagInteraction],
    *,
    min_ratio: float = 2.0,
    min_failures: int = 3,
    alpha: float = 0.05,
    min_confidence: float = 0.0,
) -> list[FailureDocument]:
    """:func:`failure_documents` over interactions already read."""
    from scipy.stats import fisher_exact

    if min_ratio <= 0 or min_failures < 1 or not 0 < alpha <= 1 or not 0 <= min_confidence <= 1:
        raise errors.ValidationError(
            "min_ratio > 0, min_failures >= 1, 0 < alpha <= 1 and 0 <= min_confidence <= 1", field="min_ratio"
        )
    judged = [i for i in items if i.verdict in ("good", "bad", "corrected") and i.confidence >= min_confidence]
    # An interaction is a failure (bad, corrected) or a success (good) as a whole: the 2x2 table's
    # rows. A correction the document's passage supports is not held against that document (the
    # context had what was needed): it is counted for neither, so f <= F and s <= S still hold.
    total_s = sum(1 for i in judged if i.verdict == "good")
    total_f = len(judged) - total_s
    per: dict[str, list[int]] = {}
    shown: dict[str, list[RagInteraction]] = {}
    for item in judged:
        for document in item.documents:
            counts = per.setdefault(document, [0, 0])
            if item.verdict == "good":
                counts[1] += 1
            elif judge(item, document) < 0:
                counts[0] += 1
                shown.setdefault(document, []).append(item)
    found = []
    for document, (f, s) in per.items():
        if f < min_failures:
            continue
        ratio = ((f + 0.5) / (total_f + 1)) / ((s + 0.5) / (total_s + 1))
        if ratio < min_ratio:
            continue
        table = np.array([[f, total_f - f], [s, total_s - s]], dtype=np.int64)
        p_value = float(fisher_exact(table, alternative="greater").pvalue)
        if p_value > alpha:
            continue
        examples = [
            {
                "interaction": i.id,
                "query": i.query,
                "output": i.output,
                "verdict": i.verdict,
                "corrected": i.corrected_text,
            }
            for i in sorted(shown[document], key=lambda x: (-x.ts, x.id))[:EXAMPLES]
        ]
        found.append(FailureDocument(document, f, s, ratio, p_value, examples))
    found.sort(key=lambda d: (d.p_value, -d.ratio, d.document))
    return found


def failure_documents(
    store: Store,
    project_id: str,
    workload: str,
    since: float | None = None,
    until: float | None = None,
    *,
    documents: Mapping[str, str] | str | Path | None = None,
    min_ratio: float = 2.0,
    min_failures: int = 3,
    alpha: float = 0.05,
    min_confidence: float = 0.0,
    settings: Settings | None = None,
) -> list[FailureDocument]:
    """Documents that appear in the workload's failures far more than in its successes (module
    docstring: the smoothed ratio, a floor on failures, Fisher's exact test), most significant
    first, each with up to three failed interactions."""
    items = load_interactions(
        store, project_id, workload, since=since, until=until, documents=documents, settings=settings
    )
    return failing(items, min_ratio=min_ratio, min_failures=min_failures, alpha=alpha, min_confidence=min_confidence)


# --- context gaps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContextGap:
    """An interaction whose user corrected it with content its retrieved passages did not hold."""

    interaction: str
    query: str
    output: str
    corrected: str
    documents: tuple[str, ...]
    added: list[str]  # the correction's added terms, sorted
    missing: list[str]  # those in no retrieved passage
    coverage: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "interaction": self.interaction,
            "query": self.query,
            "output": self.output,
            "corrected": self.corrected,
            "documents": list(self.documents),
            "added": self.added,
            "missing": self.missing,
            "coverage": round(self.coverage, 6),
        }


def gaps(items: Iterable[RagInteraction], *, min_added: int = 1, max_coverage: float = 0.5) -> list[ContextGap]:
    """:func:`context_gaps` over interactions already read."""
    if min_added < 1 or not 0 < max_coverage <= 1:
        raise errors.ValidationError("min_added >= 1 and 0 < max_coverage <= 1", field="max_coverage")
    found = []
    for item in items:
        if item.verdict != "corrected" or item.corrected_text is None or not item.passages:
            continue
        added = added_terms(item)
        if len(added) < min_added:
            continue
        seen: set[str] = set()
        for passage in item.passages.values():
            seen |= terms(passage)
        covered = added & seen
        coverage = len(covered) / len(added)
        if coverage < max_coverage:
            found.append(
                ContextGap(
                    item.id,
                    item.query,
                    item.output,
                    item.corrected_text,
                    item.documents,
                    sorted(added),
                    sorted(added - covered),
                    coverage,
                )
            )
    found.sort(key=lambda g: (g.coverage, -len(g.missing), g.interaction))
    return found


def context_gaps(
    store: Store,
    project_id: str,
    workload: str,
    since: float | None = None,
    until: float | None = None,
    *,
    documents: Mapping[str, str] | str | Path | None = None,
    min_added: int = 1,
    max_coverage: float = 0.5,
    settings: Settings | None = None,
) -> list[ContextGap]:
    """Corrections that added what the retrieved context lacked (module docstring: added terms
    and their coverage by the passages), least covered first."""
    items = load_interactions(
        store, project_id, workload, since=since, until=until, documents=documents, settings=settings
    )
    return gaps(items, min_added=min_added, max_coverage=max_coverage)
