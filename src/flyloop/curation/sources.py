"""What a curation run reads from the store, in one streaming pass per table.

A build over a million interactions and three million signals must fit in a few GB and a couple
of minutes, so rows are streamed (``yield_per``) and folded at once into compact structures:
full records only for interactions that can yield an example (a usable label, a regeneration or
a choice); for the rest, only their segment and user, for usage counts and signal coverage.

Consent is applied here, before anything else looks at a row: an interaction is read only if
its recorded consent allows training (``full``, or none recorded: the project default) and its
user's *current* consent does (:func:`flyloop.privacy.gate.training_allowed`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa

from flyloop.curation.dedup import digest
from flyloop.curation.filters import prompt_text
from flyloop.curation.rater_trust import Evidence, Vote
from flyloop.curation.segments import segment_of
from flyloop.events.kinds import KINDS
from flyloop.privacy.consent import allows_training
from flyloop.store import tables as schema

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


def scope_filter(table: sa.Table, project_id: str, config: Any) -> list[Any]:
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


def _stream(conn: sa.Connection, query: Any) -> Iterator[Sequence[Any]]:
    """The rows of a query, streamed. On SQLite they are the driver's plain tuples: SQLAlchemy's
    Row objects and per-column result processing were a large share of the load stage on a
    million interactions; JSON columns then arrive as text, which :func:`_json_reader` decodes,
    and only for the rows that keep them. Other drivers go through SQLAlchemy."""
    if conn.dialect.name != "sqlite":
        yield from conn.execution_options(yield_per=_BATCH).execute(query)
        return
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), [params[name] for name in compiled.positiontup])
        while rows := cursor.fetchmany(_BATCH):
            yield from rows
    finally:
        cursor.close()


def _ordered(conn: sa.Connection, query: Any, *columns: Any) -> Any:
    """``query`` in a fixed order where the database does not already give one. SQLite returns
    these scans in its plan's order, the same for the same data, and a sort would cost a large
    build seconds; PostgreSQL may change order with its plan, and vote order feeds the hash."""
    return query if conn.dialect.name == "sqlite" else query.order_by(*columns)


def _json_reader(conn: sa.Connection) -> Callable[[Any], Any]:
    """How to read a JSON column of :func:`_stream`'s rows: parse SQLite's text; other drivers
    have parsed it already."""
    if conn.dialect.name != "sqlite":
        return lambda value: value
    return lambda value: None if value is None else orjson.loads(value)


def _placer(config: Any, loads: Callable[[Any], Any]) -> Callable[[Any], tuple[bool, str]]:
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


def consent_rule(store: Any, project_id: str, users: set[str]) -> tuple[set[str], bool]:
    """The stored user ids whose current consent allows training, and whether the project's
    default consent does (for interactions with no recorded consent or no user). The privacy
    stage owns the rule; this only asks it."""
    from flyloop.privacy import gate as privacy

    default_ok = allows_training(privacy.privacy_policy(store, project_id).consent_default)
    return set(privacy.training_allowed(store, project_id, users)) if users else set(), default_ok


def load(store: Any, project_id: str, config: Any, tick: Callable[[str, int, int], None]) -> Sources:
    i, s, lab = schema.interactions, schema.signals, schema.labels
    src = Sources()
    where = scope_filter(i, project_id, config)
    with store.read() as conn:
        users = set(conn.execute(sa.select(i.c.user_id).distinct().where(*where, i.c.user_id.is_not(None))).scalars())
        total = conn.execute(sa.select(sa.func.count()).select_from(i).where(*where)).scalar_one()
    allowed, default_ok = consent_rule(store, project_id, users)
    refused: Counter[str] = Counter()
    with store.read() as conn:
        # One pass over the signals for both sets: each is a scan of the whole table.
        overridden: set[str] = set()
        keep: set[str] = set()
        for iid, kind, overrides in _stream(
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
        query = _ordered(conn, query, i.c.id)
        loads = _json_reader(conn)
        place = _placer(config, loads)
        consent_ok: dict[Any, bool] = {None: default_ok}
        records, usage, seen = src.records, src.usage, src.seen
        with_signals = src.with_signals
        for n, row in enumerate(_stream(conn, query)):
            if n % _BATCH == 0:
                tick("interactions", n, total)
            iid, workload, inp, output, user, session, ts, consent, meta, verdict, confidence, corrected, signalled = (
                row
            )
            matches, seg = place(meta)
            if not matches:
                continue
            src.in_scope += 1
            ok = consent_ok.get(consent)
            if ok is None:
                ok = consent_ok[consent] = allows_training(consent)
            if not ok:
                refused[f"recorded consent {consent or 'default'}"] += 1
                continue
            if not (user in allowed if user is not None else default_ok):
                refused["user consent now refuses training"] += 1
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
            "users_refused": len(users - allowed),
            "interactions_refused": dict(sorted(refused.items())),
        }
        _signals(conn, src, index, overridden, where, config, tick)
    return src


def _outcome_polarity(value: float | None, threshold: float) -> int:
    """+1 success, -1 failure: no value (the event happened) and amounts above 1 are successes;
    a 0..1 measure succeeds at ``threshold``; a negative value fails."""
    if value is None or value > 1:
        return 1
    return 1 if value >= threshold else -1


def _signals(
    conn: sa.Connection,
    src: Sources,
    index: dict[str, tuple[str, str | None]],
    overridden: set[str],
    where: list[Any],
    config: Any,
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

    polarity_of = {name: (1 if k.polarity > 0 else -1 if k.polarity < 0 else 0) for name, k in KINDS.items()}
    # Neutral kinds (dwell, follow-up ...) are evidence of nothing: counted for coverage in SQL
    # (see load), never streamed through Python.
    directed = [name for name, p in polarity_of.items() if p and name not in PAYLOAD_KINDS]
    # Which interactions have explicit feedback from their users (the coverage report): read
    # here, on the way, with the few neutral explicit kinds (comments) that are streamed only
    # for this and do not count as evidence.
    explicit = frozenset(name for name, category in category_of.items() if category == "explicit")
    quiet = frozenset(name for name in explicit if name not in directed and name not in PAYLOAD_KINDS)
    given_feedback: set[str] = set()
    query = _ordered(
        conn,
        sa.select(s.c.id, s.c.interaction_id, s.c.kind, s.c.source, s.c.actor)
        .select_from(joined)
        .where(*where, s.c.kind.in_(directed + sorted(quiet))),
        s.c.interaction_id,
        s.c.ts,
        s.c.id,
    )
    for n, (sid, iid, kind, source, actor) in enumerate(_stream(conn, query)):
        if n % _BATCH == 0:
            tick("signals", n, 0)
        if kind in explicit and source == "user":
            given_feedback.add(iid)
        if kind in quiet:
            continue
        seen = note(sid, iid, kind, source, actor, polarity_of.get(kind, 0))
        if seen is not None and kind == "regenerate" and iid in src.records:
            src.regenerated[iid].append((sid, seen[1]))
    query = _ordered(
        conn,
        sa.select(s.c.id, s.c.interaction_id, s.c.kind, s.c.source, s.c.actor, s.c.value, s.c.payload, s.c.ts)
        .select_from(joined)
        .where(*where, s.c.kind.in_(PAYLOAD_KINDS)),
        s.c.interaction_id,
        s.c.ts,
        s.c.id,
    )
    latest_outcome: dict[str, tuple[float, int]] = {}
    loads = _json_reader(conn)
    for sid, iid, kind, source, actor, value, payload, ts in _stream(conn, query):
        if kind in explicit and source == "user":
            given_feedback.add(iid)
        payload = loads(payload) or {}
        polarity = 0
        backing = None
        if kind == "edit":
            polarity = -1
        elif kind == "rating" and value is not None:
            low, high = payload.get("scale", [1, 5])
            position = (value - low) / (high - low) if high > low else 0.5
            polarity = 1 if position >= 0.6 else -1 if position <= 0.4 else 0
        elif kind == "choice":
            polarity = 1  # a vote for the chosen draft; integrity checks its text like an edit's
            # As support for this interaction's output, a choice backs it only if it picked it,
            # and speaks against it if it passed it over (as the label's rule reads it).
            rec = records.get(iid)
            output = rec.output if rec is not None else None
            backing = (
                0
                if output is None
                else 1
                if payload.get("chosen") == output
                else -1
                if output in payload.get("rejected", [])
                else 0
            )
        seen = note(sid, iid, kind, source, actor, polarity if kind != "outcome" else 0, backing)
        if seen is None:
            continue
        if kind == "outcome":
            # Attribution (flyloop.labels.attribution) already joined outcomes to interactions, by id or
            # join key within its window; of several, the latest counts.
            if config.outcome_names and payload.get("name") not in config.outcome_names:
                continue
            src.outcome_count += 1
            result = (ts, _outcome_polarity(value, config.outcome_threshold))
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
