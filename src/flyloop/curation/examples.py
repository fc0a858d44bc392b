"""Candidate examples: what each curated interaction can teach, in each trainer's terms.

A label (:mod:`flyloop.labels.verdicts`) stands for curation only if evidence outside quarantine still
supports it: a ``good`` verdict needs a live positive signal or a successful outcome, and no
failed outcome; a ``bad`` verdict the mirror image; a ``corrected`` verdict a live, non-trivial
correction (the label's corrected text when its edit is live, else the latest live edit) from a
rater the evidence vouches for (:meth:`flyloop.curation.rater_trust.IntegrityReport.vouched`; else
``correction_unvouched``). Explicit votes of raters the evidence speaks against do not support a
verdict; choices count only from vouched raters. Labels below ``min_confidence`` are not used.
Then:

* **sft**: (input, ideal output) from corrections and confidently good outputs, and on a choice
  workload of exactly two labels from bad outputs too (the other label is the ideal output: a
  thumbs-down or a failed outcome says which label the input has as plainly as an edit would);
* **preference**: (prompt, chosen, rejected) from edits (correction over original), from
  regenerations (the accepted later output of the same user, session and input over each output
  regenerated before it) and from explicit ``choice`` signals;
* **kto**: (prompt, completion, label) from good and bad verdicts, and both sides of a correction;
* **eval**: a case per curated interaction (reference output, or the known-bad output); only the
  held-out split's are kept;
* **fewshot**: :func:`fewshot_bank` picks the best training SFT examples per workload.

Every example records its source interactions and the live signals behind it (lineage).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from flyloop.curation.dedup import digest, normalize
from flyloop.curation.filters import Filters, edit_problem, prompt_text
from flyloop.curation.rater_trust import IntegrityReport
from flyloop.curation.sources import Record, Sources
from flyloop.events import KINDS

if TYPE_CHECKING:
    from flyloop.curation.curate import CurationConfig

EXPLICIT = frozenset(name for name, k in KINDS.items() if k.category == "explicit")


@dataclass(slots=True)
class Example:
    kind: str
    prompt: Any
    workload: str
    interaction_ids: tuple[str, ...]
    user_id: str | None
    group: str
    ts: float
    segment: str
    source: str
    quality: float
    signal_ids: tuple[str, ...] = ()
    completion: str | None = None
    chosen: str | None = None
    rejected: str | None = None
    label: bool | None = None
    split: str = ""
    weight: float = 1.0
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.content_id()

    def content_id(self) -> str:
        body = [
            self.kind,
            self.prompt,
            self.completion,
            self.chosen,
            self.rejected,
            self.label,
            list(self.interaction_ids),
        ]
        return hashlib.sha256(orjson.dumps(body)).hexdigest()

    @property
    def interaction_id(self) -> str:
        return self.interaction_ids[0]

    def dedup_parts(self) -> tuple[str, ...]:
        """The texts that make this example what it is, for deduplication."""
        prompt = prompt_text(self.prompt)
        if self.kind == "preference":
            return (prompt, self.chosen or "", self.rejected or "")
        if self.kind == "eval":
            return (prompt, self.completion or "", self.rejected or "")
        return (prompt, self.completion or "")


@dataclass(slots=True)
class Standing:
    """Whether an interaction's label stands for curation, once quarantine and rater trust have
    had their say. The verdict is the label's (:mod:`flyloop.labels.verdicts` decides it, and
    nothing here decides another): this says only whether the evidence left still supports it,
    why not when it does not, and what an example of it holds."""

    refused: str | None  # why the label does not stand (None: it does)
    text: str | None  # the ideal output (good: the output; corrected: the correction)
    signals: tuple[str, ...]
    quality: float


def _refused(reason: str) -> Standing:
    return Standing(reason, None, (), 0.0)


def _live(report: IntegrityReport) -> Callable[[tuple[str, str | None, int, str]], bool]:
    def live(sig: tuple[str, str | None, int, str]) -> bool:
        return sig[0] not in report.quarantined and sig[1] not in report.adversarial

    return live


def standing(rec: Record, src: Sources, report: IntegrityReport, filters: Filters, min_confidence: float) -> Standing:
    """Whether the label of ``rec`` (its verdict, confidence, corrected text) stands; see the
    module docstring for what each verdict needs."""
    quarantined, adversarial = report.quarantined, report.adversarial
    signals = src.support.get(rec.id, ())
    support = [s for s in signals if s[0] not in quarantined and s[1] not in adversarial]  # live, as _live says
    positive = [s for s in support if s[2] > 0]
    negative = [s for s in support if s[2] < 0]
    outcome = src.outcome.get(rec.id)
    if rec.verdict == "corrected":
        edits = [
            e
            for e in sorted(src.edits.get(rec.id, ()), key=lambda e: (-e[0], e[1]))
            if e[1] not in quarantined and e[2] not in adversarial
        ]
        if not edits:
            return _refused("correction_quarantined" if src.edits.get(rec.id) else "no_live_correction")
        edits = [e for e in edits if report.vouched(e[2])]
        if not edits:
            return _refused("correction_unvouched")
        wanted = normalize(rec.corrected) if rec.corrected else None
        edit = next((e for e in edits if normalize(e[3]) == wanted), edits[0])
        problem = edit_problem(rec.output, edit[3], filters.config)
        if problem:
            for kind in ("sft", "preference", "kto"):
                filters.count(problem, kind)
            return _refused(problem)
        quality = max(rec.confidence, 0.5) * report.trust(edit[2])
        return Standing(None, edit[3], (edit[1],) + tuple(s[0] for s in negative), quality)
    if rec.confidence < min_confidence:
        return _refused("low_confidence")
    # An opinion only endorses or rejects the model's own output: it counts unless the evidence
    # speaks against its rater.
    distrusted = [s for s in support if s[3] in EXPLICIT and report.distrusted(s[1])]
    if distrusted:
        positive = [s for s in positive if s not in distrusted]
        negative = [s for s in negative if s not in distrusted]
    if rec.verdict == "good":
        if outcome is not None and outcome < 0:
            return _refused("contradicted_by_outcome")
        if not positive and outcome is None:
            return _refused(_unsupported(support, signals, distrusted))
        trust = max((report.trust(s[1]) if s[3] in EXPLICIT else 1.0 for s in positive), default=1.0)
        return Standing(None, rec.output, tuple(s[0] for s in positive), rec.confidence * trust)
    if rec.verdict == "bad":
        if outcome is not None and outcome > 0:
            return _refused("contradicted_by_outcome")
        if not negative and outcome is None:
            return _refused(_unsupported(support, signals, distrusted))
        trust = max((report.trust(s[1]) if s[3] in EXPLICIT else 1.0 for s in negative), default=1.0)
        return Standing(None, rec.output, tuple(s[0] for s in negative), rec.confidence * trust)
    return _refused("unlabelled")


def _unsupported(support: list[Any], signals: Any, distrusted: list[Any]) -> str:
    if distrusted:
        return "unsupported_untrusted_rater"
    return "unsupported_after_quarantine" if len(support) < len(signals) else "unsupported"


def build_candidates(
    src: Sources,
    report: IntegrityReport,
    filters: Filters,
    config: CurationConfig,
    two_labels: dict[str, tuple[str, str]] | None = None,
) -> tuple[list[Example], Counter[str]]:
    """Every candidate example of the kinds asked for, each already through the quality filters.
    ``two_labels``: the choice workloads with exactly two labels (workload -> its labels), whose
    bad outputs also teach the other label as an ``sft`` example (source ``other_label``)."""
    other_label = {
        workload: {labels[0]: labels[1], labels[1]: labels[0]} for workload, labels in (two_labels or {}).items()
    }
    kinds = set(config.kinds) | ({"sft"} if "fewshot" in config.kinds else set())
    standings: dict[str, Standing] = {}
    tally: Counter[str] = Counter()
    for iid in sorted(src.records):
        rec = src.records[iid]
        if rec.verdict == "unknown":
            continue
        standings[iid] = v = standing(rec, src, report, filters, config.min_confidence)
        tally[v.refused or rec.verdict] += 1
    filters.learn_canned(
        (prompt_text(src.records[i].input), v.text)
        for i, v in standings.items()
        if v.refused is None and src.records[i].verdict in ("good", "corrected") and v.text
    )
    out: list[Example] = []
    check = filters.check
    want_sft, want_preference, want_kto, want_eval = (
        "sft" in kinds,
        "preference" in kinds,
        "kto" in kinds,
        "eval" in kinds,
    )

    def add(
        kind: str,
        rec: Record,
        shared: tuple[str, str, float],
        source: str,
        v: Standing,
        *,
        desirable: bool = True,
        ids: tuple[str, ...] | None = None,
        signals: tuple[str, ...] | None = None,
        completion: str | None = None,
        chosen: str | None = None,
        rejected: str | None = None,
        label: bool | None = None,
    ) -> None:
        prompt, group, quality = shared
        text = chosen or completion or rejected or ""
        pair = rejected if kind == "preference" else None
        if check(kind, rec.workload, prompt, text, rejected=pair, desirable=desirable) is not None:
            return
        out.append(
            Example(
                kind,
                rec.input,
                rec.workload,
                ids or (rec.id,),
                rec.user_id,
                group,
                rec.ts,
                rec.segment,
                source,
                quality,
                signals if signals is not None else v.signals,
                completion=completion,
                chosen=chosen,
                rejected=rejected,
                label=label,
            )
        )

    for iid, v in standings.items():
        rec = src.records[iid]
        if v.refused is not None:
            continue
        if rec.verdict == "corrected":
            one = _shared(rec, v)
            if want_sft:
                add("sft", rec, one, "correction", v, completion=v.text)
            if rec.output is not None:
                if want_preference:
                    add("preference", rec, one, "edit", v, chosen=v.text, rejected=rec.output)
                if want_kto:
                    add("kto", rec, one, "correction", v, desirable=False, completion=rec.output, label=False)
            if want_kto:
                add("kto", rec, one, "correction", v, completion=v.text, label=True)
            if want_eval:
                add("eval", rec, one, "correction", v, completion=v.text, rejected=rec.output)
        elif rec.verdict == "good" and rec.output is not None:
            one = _shared(rec, v)
            if want_sft:
                add("sft", rec, one, "good", v, completion=rec.output)
            if want_kto:
                add("kto", rec, one, "good", v, completion=rec.output, label=True)
            if want_eval:
                add("eval", rec, one, "good", v, completion=rec.output)
        elif rec.verdict == "bad" and rec.output is not None:
            one = _shared(rec, v)
            if want_kto:
                add("kto", rec, one, "bad", v, desirable=False, completion=rec.output, label=False)
            if want_eval:
                add("eval", rec, one, "bad", v, desirable=False, rejected=rec.output)
            # Two labels: "not this one" names the other. Naive training on thumbs-ups and edits
            # alone never sees these inputs, which are the ones production got wrong.
            other = other_label.get(rec.workload, {}).get(rec.output.strip())
            if want_sft and other is not None:
                add("sft", rec, one, "other_label", v, completion=other)
    for chosen_rec, chosen, rejected_rec, regen_signals in _regeneration_pairs(src, report, standings):
        v = standings[chosen_rec.id]
        if want_preference:
            add(
                "preference",
                chosen_rec,
                _shared(chosen_rec, v),
                "regeneration",
                v,
                ids=(chosen_rec.id, rejected_rec.id),
                signals=regen_signals + v.signals,
                chosen=chosen,
                rejected=rejected_rec.output,
            )
    live_choice = [c for c in src.choices if c[1] not in report.quarantined and c[2] not in report.adversarial]
    tally["choice_quarantined"] += len(src.choices) - len(live_choice)
    vouched_choice = [c for c in live_choice if report.vouched(c[2])]
    tally["choice_unvouched"] += len(live_choice) - len(vouched_choice)
    live_choice = vouched_choice
    for iid, sid, _actor, chosen, rejected in live_choice:
        rec = src.records[iid]
        choice = Standing(None, chosen, (sid,), report.trust(_actor) * 0.9)
        one = _shared(rec, choice)
        for other in rejected:
            if want_preference:
                add("preference", rec, one, "choice", choice, chosen=chosen, rejected=other)
    return out, tally


def _shared(rec: Record, v: Standing) -> tuple[str, str, float]:
    """What every example of one record shares (its prompt's text, group and rounded quality),
    worked out once per record rather than once per example."""
    return prompt_text(rec.input), _group(rec), round(v.quality, 6)


def _group(rec: Record) -> str:
    if rec.user_id is not None:
        return "user:" + rec.user_id
    if rec.session_id is not None:
        return "session:" + rec.session_id
    return "interaction:" + rec.id


def _regeneration_pairs(
    src: Sources, report: IntegrityReport, standings: dict[str, Standing]
) -> Iterator[tuple[Record, str, Record, tuple[str, ...]]]:
    """(accepted record, its text, a regenerated record, the regenerate signal ids) for each
    output a user regenerated before accepting a later one to the same input, same session."""
    live = _live(report)
    chains: dict[tuple[Any, ...], list[Record]] = defaultdict(list)
    # Only a session with a regenerated output can hold a pair: the rest are not grouped at all.
    records = src.records
    sessions = {(records[iid].user_id, records[iid].session_id) for iid in src.regenerated if iid in records}
    for rec in records.values():
        if rec.session_id is not None and (rec.user_id, rec.session_id) in sessions:
            chains[(rec.user_id, rec.session_id, digest(prompt_text(rec.input)))].append(rec)
    for chain in chains.values():
        if len(chain) < 2:
            continue
        chain.sort(key=lambda r: (r.ts, r.id))
        pending: list[tuple[Record, tuple[str, ...]]] = []
        for rec in chain:
            v = standings.get(rec.id)
            if v is not None and v.refused is None and rec.verdict in ("good", "corrected") and v.text and pending:
                for rejected, sigs in pending:
                    if rejected.output is not None:
                        yield rec, v.text, rejected, sigs
                pending = []
                continue
            regen = tuple(sid for sid, who in src.regenerated.get(rec.id, ()) if live((sid, who, -1, "regenerate")))
            pending = pending + [(rec, regen)] if regen else []


def fewshot_bank(sft: list[Example], per_workload: int) -> list[Example]:
    """The best ``per_workload`` training SFT examples of each workload, as few-shot examples."""
    by_workload: dict[str, list[Example]] = defaultdict(list)
    for ex in sft:
        if ex.split == "train":
            by_workload[ex.workload].append(ex)
    out = []
    for workload in sorted(by_workload):
        best = sorted(by_workload[workload], key=lambda e: (-e.quality, e.id))[:per_workload]
        for ex in best:
            out.append(
                Example(
                    "fewshot",
                    ex.prompt,
                    ex.workload,
                    ex.interaction_ids,
                    ex.user_id,
                    ex.group,
                    ex.ts,
                    ex.segment,
                    ex.source,
                    ex.quality,
                    ex.signal_ids,
                    completion=ex.completion,
                    split="train",
                )
            )
    return out
