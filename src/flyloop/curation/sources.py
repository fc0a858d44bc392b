"""What a curation run reads from the store, in one streaming pass per table.

A build over a million interactions and three million signals must fit in a few GB and a couple
of minutes, so rows are streamed (:func:`flyloop.store.stream`) and folded at once into
compact structures: full records only for interactions that can yield an example (a usable
label, a regeneration or a choice); for the rest, only their segment and user, for usage counts
and signal coverage.

Consent is applied here, before anything else looks at a row: an interaction is read only if
its recorded consent allows training (``full``, or none recorded: the project default) and its
user's *current* consent does: the privacy stage's rule, :func:`flyloop.privacy.consent.training_consent`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from flyloop.curation.dedup import digest
from flyloop.curation.filters import prompt_text
from flyloop.curation.rater_trust import Evidence, Vote
from flyloop.curation.segments import segment_of
from flyloop.events import KINDS, Context, Outcome, SignalKind
from flyloop.privacy import training_consent
from flyloop.store import Store, in_stable_order, json_reader, schema, stream

if TYPE_CHECKING:
    from flyloop.curation.curate import CurationConfig

USABLE = frozenset({"good", "bad", "corrected"})
PAYLOAD_KINDS = ("edit", "choice", "rating", "outcome")
_BATCH = 50_000


@dataclass(slots=True)
class Record:
    id: str
    workload: str
    input: Any
    output: str | None
    user_id: str | None
    session_id: str | None
    ts: float
    segment: str
    verdict: str
    confidence: float
    corrected: str | None


@dataclass
class Sources:
    records: dict[str, Record] = field(default_factory=dict)
    support: dict[str, list[tuple[str, str | None, int, str]]] = field(default_factory=lambda: defaultdict(list))
    edits: dict[str, list[tuple[float, str, str | None, str]]] = field(default_factory=lambda: defaultdict(list))
    choices: list[tuple[str, str, str | None, str, list[str]]] = field(default_factory=list)
    regenerated: dict[str, list[tuple[str, str | None]]] = field(default_factory=lambda: defaultdict(list))
    outcome: dict[str, int] = field(default_factory=dict)
    votes: list[Vote] = field(default_factory=list)
    seen: Counter[str] = field(default_factory=Counter)
    usage: Counter[str] = field(default_factory=Counter)
    with_signals: Counter[str] = field(default_factory=Counter)
    with_explicit: Counter[str] = field(default_factory=Counter)
    actor_of_signal: dict[str, str | None] = field(default_factory=dict)
    in_scope: int = 0
    consented: int = 0
    labelled: int = 0
    signal_count: int = 0
    overridden: int = 0
    outcome_count: int = 0
    consent_report: dict[str, Any] = field(default_factory=dict)

    @property
    def evidence(self) -> Evidence:
        keyed = set(self.edits) | {c[0] for c in self.choices} | {iid for iid, o in self.outcome.items() if o > 0}
        keys: dict[str, str] = {}  # prompt text -> its key: prompts repeat, each is hashed once
        prompt_of: dict[str, str] = {}
        output_of: dict[str, str] = {}
        for iid in keyed:
            rec = self.records.get(iid)
            if rec is None:
                continue
            text = prompt_text(rec.input)
            key = keys.get(text)
            if key is None:
                key = keys[text] = digest(text).hex()
            prompt_of[iid] = key
            output_of[iid] = rec.output or ""
        return Evidence(self.votes, self.outcome, self.seen, prompt_of, output_of, set(self.edits))


def scope_filter(table: sa.Table, project_id: str, config: CurationConfig) -> list[Any]:
    """WHERE clauses for the interactions a request covers (project first: isolation)."""
    where = [table.c.project_id == project_id]
    if config.workloads:
        where.append(table.c.workload.in_(config.workloads))
    if config.exclude_workloads:
        where.append(table.c.workload.not_in(config.exclude_workloads))
    if config.since is not None:
        where.append(table.c.ts >= config.since)
    if config.until is not None:
        where.append(table.c.ts < config.until)
    return where


def _placer(config: CurationConfig, loads: Callable[[Any], Any]) -> Callable[[Any], tuple[bool, str]]:
    """Whether an interaction's metadata matches the requested segments, and its segment label.
    Metadata repeats (a plan, a region ...): as text (SQLite) each distinct value is parsed and
    placed once; the cache is bounded, for metadata that never repeats."""
    wanted = {key: {str(v) for v in values} for key, values in config.segments.items()}
    keys = config.balance.keys
    cache: dict[str, tuple[bool, str]] = {}

    def place(raw: Any) -> tuple[bool, str]:
        hit = cache.get(raw) if isinstance(raw, str) else None
        if hit is None:
            meta = loads(raw)
            hit = (all(str((meta or {}).get(k)) in values for k, values in wanted.items()), segment_of(meta, keys))
            if isinstance(raw, str) and len(cache) < 100_000:
                cache[raw] = hit
        return hit

    return place


def load(store: Store, project_id: str, config: CurationConfig, tick: Callable[[str, int, int], None]) -> Sources:
    i, s, lab = schema.interactions, schema.signals, schema.labels
    src = Sources()
    where = scope_filter(i, project_id, config)
    with store.read() as conn:
        users = set(conn.execute(sa.select(i.c.user_id).distinct().where(*where, i.c.user_id.is_not(None))).scalars())
        total = conn.execute(sa.select(sa.func.count()).select_from(i).where(*where)).scalar_one()
    consent = training_consent(store, project_id, users)
    refusal = consent.refusal
    refused: Counter[str] = Counter()
    with store.read() as conn:
        # One pass over the signals for both sets: each is a scan of the whole table.
        overridden: set[str] = set()
        keep: set[str] = set()
        for iid, kind, overrides in stream(
            conn,
            sa.select(s.c.interaction_id, s.c.kind, s.c.overrides).where(
                s.c.project_id == project_id, sa.or_(s.c.overrides.is_not(None), s.c.kind.in_(("regenerate", "choice")))
            ),
        ):
            if overrides is not None:
                overridden.add(overrides)
            if kind in ("regenerate", "choice"):
                keep.add(iid)
        index: dict[str, tuple[str, str | None]] = {}
        # Explicit feedback per interaction is found by the signal passes below (_signals), which
        # read those signals anyway; a second EXISTS here cost more than a second of a large build.
        any_signal = sa.exists().where(s.c.project_id == i.c.project_id, s.c.interaction_id == i.c.id)
        query = (
            sa.select(
                i.c.id,
                i.c.workload,
                i.c.input,
                i.c.output,
                i.c.user_id,
                i.c.session_id,
                i.c.ts,
                i.c.consent,
                i.c.meta,
                lab.c.verdict,
                lab.c.confidence,
                lab.c.corrected_text,
                any_signal,
            )
            .select_from(i.outerjoin(lab, sa.and_(lab.c.project_id == i.c.project_id, lab.c.interaction_id == i.c.id)))
            .where(*where)
        )
        query = in_stable_order(conn, query, i.c.id)
        loads = json_reader(conn)
        place = _placer(config, loads)
        records, usage, seen = src.records, src.usage, src.seen
        with_signals = src.with_signals
        for n, row in enumerate(stream(conn, query)):
            if n % _BATCH == 0:
                tick("interactions", n, total)
            iid, workload, inp, output, user, session, ts, recorded, meta, verdict, confidence, corrected, signalled = (
                row
            )
            matches, seg = place(meta)
            if not matches:
                continue
            src.in_scope += 1
            why = refusal(recorded, user)
            if why is not None:
                refused[why] += 1
                continue
            src.consented += 1
            index[iid] = (seg, user)
            usage[seg] += 1
            if signalled:
                with_signals[seg] += 1
            if user is not None:
                seen[user] += 1
            usable = verdict in USABLE
            if usable:
                src.labelled += 1
            if usable or iid in keep:
                records[iid] = Record(
                    iid,
                    workload,
                    loads(inp),
                    output,
                    user,
                    session,
                    ts,
                    seg,
                    verdict or "unknown",
                    float(confidence or 0.0),
                    corrected,
                )
        tick("interactions", total, total)
        src.consent_report = {
            "rule": "the interaction's recorded consent (or the project default) allows training, "
            "and so does its user's consent now",
            "users_checked": len(users),
            "users_refused": len(users - consent.allowed_users),
            "interactions_refused": dict(sorted(refused.items())),
        }
        _signals(conn, src, index, overridden, where, config, tick)
    return src


def _signals(
    conn: sa.Connection,
    src: Sources,
    index: dict[str, tuple[str, str | None]],
    overridden: set[str],
    where: list[Any],
    config: CurationConfig,
    tick: Callable[[str, int, int], None],
) -> None:
    i, s = schema.interactions, schema.signals
    joined = s.join(i, sa.and_(i.c.project_id == s.c.project_id, i.c.id == s.c.interaction_id))
    category_of = {name: k.category for name, k in KINDS.items()}
    records, votes, support = src.records, src.votes, src.support

    def note(
        sid: str, iid: str, kind: str, source: str, actor: str | None, polarity: int, backing: int | None = None
    ) -> tuple[str, str | None] | None:
        """Count the signal; keep it as a vote (explicit, by a user) and as support for the
        interaction's output with ``backing`` (default: its polarity)."""
        src.signal_count += 1
        entry = index.get(iid)
        if entry is None:
            return None
        if sid in overridden:
            src.overridden += 1
            return None
        seg, user = entry
        who = actor or user
        category = category_of.get(kind, "implicit")
        if category == "explicit" and source == "user":
            if who is not None:
                votes.append(Vote(sid, iid, who, kind, polarity))
                src.actor_of_signal[sid] = who
        backing = polarity if backing is None else backing
        if backing and iid in records and category != "outcome":
            support[iid].append((sid, who, backing, kind))
        return seg, who

    # What each signal says comes from its kind (flyloop.events.kinds: direction), never from cut-offs here.
    polarity_of = {name: k.direction(None, {}) for name, k in KINDS.items() if name not in PAYLOAD_KINDS}
    # Neutral kinds (dwell, follow-up ...) are evidence of nothing: counted for coverage in SQL
    # (see load), never streamed through Python.
    directed = [name for name, p in polarity_of.items() if p and name not in PAYLOAD_KINDS]
    # Which interactions have explicit feedback from their users (the coverage report): read
    # here, on the way, with the few neutral explicit kinds (comments) that are streamed only
    # for this and do not count as evidence.
    explicit = frozenset(name for name, category in category_of.items() if category == "explicit")
    quiet = frozenset(name for name in explicit if name not in directed and name not in PAYLOAD_KINDS)
    given_feedback: set[str] = set()
    query = in_stable_order(
        conn,
        sa.select(s.c.id, s.c.interaction_id, s.c.kind, s.c.source, s.c.actor)
        .select_from(joined)
        .where(*where, s.c.kind.in_(directed + sorted(quiet))),
        s.c.interaction_id,
        s.c.ts,
        s.c.id,
    )
    for n, (sid, iid, kind, source, actor) in enumerate(stream(conn, query)):
        if n % _BATCH == 0:
            tick("signals", n, 0)
        if kind in explicit and source == "user":
            given_feedback.add(iid)
        if kind in quiet:
            continue
        seen = note(sid, iid, kind, source, actor, polarity_of.get(kind, 0))
        if seen is not None and kind == "regenerate" and iid in src.records:
            src.regenerated[iid].append((sid, seen[1]))
    query = in_stable_order(
        conn,
        sa.select(s.c.id, s.c.interaction_id, s.c.kind, s.c.source, s.c.actor, s.c.value, s.c.payload, s.c.ts)
        .select_from(joined)
        .where(*where, s.c.kind.in_(PAYLOAD_KINDS)),
        s.c.interaction_id,
        s.c.ts,
        s.c.id,
    )
    latest_outcome: dict[str, tuple[float, int]] = {}
    loads = json_reader(conn)
    # A kind whose direction is its fixed polarity (an edit, a choice) is asked once, not per signal.
    fixed = {
        name: k.direction(None, {})
        for name, k in KINDS.items()
        if k.direction.__func__ is SignalKind.direction.__func__  # type: ignore[attr-defined]
    }
    for sid, iid, kind, source, actor, value, payload, ts in stream(conn, query):
        if kind in explicit and source == "user":
            given_feedback.add(iid)
        payload = loads(payload) or {}
        kind_class = KINDS[kind]
        backing = None
        if kind == "outcome":
            polarity = 0  # an outcome is no rater's vote: it is read below, as the outcome
        else:
            # An edit says the output was not wanted; a rating reads its place on the scale; a
            # choice is a vote for the chosen draft (integrity checks its text like an edit's).
            polarity = fixed[kind] if kind in fixed else kind_class.direction(value, payload)
        if kind == "choice":
            # As support for this interaction's output, a choice backs it only if it picked it,
            # and speaks against it if it passed it over: the label's evidence, read for its sign.
            rec = records.get(iid)
            evidence = kind_class.evidence(value, payload, Context(rec.output if rec is not None else None))
            backing = (evidence > 0) - (evidence < 0)
        seen = note(sid, iid, kind, source, actor, polarity, backing)
        if seen is None:
            continue
        if kind == "outcome":
            # Attribution (flyloop.labels.attribution) already joined outcomes to interactions, by id or
            # join key within its window; of several, the latest counts.
            if config.outcome_names and payload.get("name") not in config.outcome_names:
                continue
            src.outcome_count += 1
            result = (ts, Outcome.direction(value, payload, threshold=config.outcome_threshold))
            if iid not in latest_outcome or result > latest_outcome[iid]:
                latest_outcome[iid] = result
        elif kind in ("edit", "choice"):
            text = payload.get("text") if kind == "edit" else payload.get("chosen")
            if isinstance(text, str) and src.votes and src.votes[-1].signal_id == sid:
                src.votes[-1].text = text
            if kind == "edit" and isinstance(text, str):
                src.edits[iid].append((ts, sid, seen[1], text))
            elif kind == "choice" and iid in src.records and isinstance(text, str):
                src.choices.append((iid, sid, seen[1], text, [str(r) for r in payload.get("rejected", [])]))
    src.outcome = {iid: p for iid, (_ts, p) in latest_outcome.items()}
    for iid in given_feedback:
        entry = index.get(iid)
        if entry is not None:
            src.with_explicit[entry[0]] += 1
    tick("signals", src.signal_count, src.signal_count)
