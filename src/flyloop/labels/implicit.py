"""Implicit signals inferred from the event stream.

Users rarely say what they think; what they do next says it for them. Each rule below reads
interactions and signals already stored and writes what it infers as an ordinary signal with
``source="inferred"`` and ``payload.caused_by`` (with ``caused_by_type``: ``interaction`` or
``signal``) naming the event that caused it. Ids are derived from what they link, so running a
rule twice writes once; inference is incremental: the label catch-up
(:mod:`flyloop.labels.catchup`) runs :func:`infer` for the interactions the outbox names as new,
off the ingest path, and :func:`infer_all` runs it over a whole project.

- **regenerate**: the same user sends the same input (case and spacing folded) again within
  ``regenerate_window_s`` of an output: that output was rejected. Written on the earlier one.
- **requery**: the same user asks a *similar* question within ``requery_window_s`` after an
  output (see :func:`similarity`; at least ``requery_similarity``): it missed. Written on the
  latest earlier output the new question matches.
- **follow_up**: the next question in the same session within ``requery_window_s`` that is
  neither of the above: the user went on.
- **abandon**: once ``abandon_window_s`` has passed after an output with no action on it (see
  ``SignalKind.action``) and no later interaction in its session (or of its user, without a
  session): the session ended there. Decided once per interaction by :func:`settle`; an action
  that arrives later still withdraws it at label time.

Time-to-action is read off the timestamps too, but it is a measurement, not evidence: each label
carries it (``time_to_action_s``: the app's reported dwell, else the first action's delay).

Re-query similarity is lexical, not an embedding, on purpose: it runs in every catch-up on
every new interaction, and rapidfuzz costs microseconds where a sentence encoder costs milliseconds. It is
pluggable: pass any ``Similarity`` (two texts -> 0..1) to swap in an embedding model.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz

from flyloop.events import KINDS, numbers
from flyloop.settings import Settings
from flyloop.store import Store, schema

Similarity = Callable[[str, str], float]

_WORD = re.compile(r"[a-z0-9_]+|[^\sa-z0-9_.,;:!?'\"()\[\]]")
# Function words carry no topic; a small fixed list (no NLP library needed for forty words, and
# spaCy's would cost a model load in the ingest path).
_STOP = frozenset(
    """a an the is are was were be been am of and or to in on at for with by from as what whats s
how do does did i me my you your it its this that these those please can could would will should
now then so ok okay just tell give show me about there here""".split()
)
# Words people use when they ask again because the answer missed.
_CUES = frozenset(
    "no again asked ask meant mean wrong correctly correct actually still retry incorrect instead".split()
)
_CHUNK = 500


def question_text(value: Any) -> str:
    """The text of an interaction's input: the string, or the last user message of a chat."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for message in reversed(value):
            if isinstance(message, dict) and message.get("role") == "user":
                return str(message.get("content", ""))
        return " ".join(str(m.get("content", "")) for m in value if isinstance(m, dict))
    return "" if value is None else str(value)


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _content(text: str) -> tuple[set[str], bool]:
    words = [w for w in _WORD.findall(text.lower().replace("'", " ")) if not w.isdigit()]
    cue = any(w in _CUES for w in words)
    return {w for w in words if w not in _STOP and w not in _CUES}, cue


def similarity(earlier: str, later: str) -> float:
    """How surely ``later`` asks ``earlier``'s question again (0..1).

    Figures decide first: questions about different numbers are different questions (0). With
    the same figures, a re-ask cue in the later text ("no, I asked...", "again", "correctly")
    scores 0.9, and topic words (operators and symbols included) that one text holds entirely
    score 0.85; otherwise both texts have topic words of their own (a different question about
    the same figures) and the score is half their overlap. Texts without figures score their
    topic words' rapidfuzz token-set ratio, plus 0.15 for a cue."""
    figures_a, figures_b = sorted(numbers(earlier)), sorted(numbers(later))
    if figures_a != figures_b:
        return 0.0
    words_a, _ = _content(earlier)
    words_b, cue = _content(later)
    if figures_a:
        if cue:
            return 0.9
        if words_a <= words_b or words_b <= words_a:
            return 0.85
        return 0.5 * len(words_a & words_b) / len(words_a | words_b)
    if not words_a or not words_b:
        return 0.0
    ratio = fuzz.token_set_ratio(" ".join(sorted(words_a)), " ".join(sorted(words_b))) / 100.0
    return min(1.0, ratio + (0.15 if cue else 0.0))


def _signal_id(rule: str, *parts: str) -> str:
    return f"inf.{rule}." + hashlib.sha1("\x00".join(parts).encode()).hexdigest()[:32]


def _row(
    project_id: str,
    rule: str,
    interaction: Any,
    ts: float,
    cause: str,
    cause_type: str,
    now: float,
    value: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "id": _signal_id(rule, interaction.id, cause),
        "interaction_id": interaction.id,
        "kind": rule,
        "value": value,
        "source": "inferred",
        "actor": interaction.user_id,
        "ts": ts,
        "received_at": now,
        "overrides": None,
        "payload": {"caused_by": cause, "caused_by_type": cause_type, **extra},
    }


def _write(store: Store, project_id: str, rows: list[dict[str, Any]]) -> set[str]:
    """Store inferred signals not stored before, nor already reported by the app (same kind on
    the same interaction); the interactions that got one."""
    if not rows:
        return set()
    s = schema.signals
    unique = {r["id"]: r for r in rows}
    with store.write() as conn:
        stored: set[str] = set()
        reported: set[tuple[str, str]] = set()
        ids = list(unique)
        targets = sorted({r["interaction_id"] for r in rows})
        kinds = sorted({r["kind"] for r in rows})
        for start in range(0, len(ids), _CHUNK):
            stored.update(
                conn.execute(
                    sa.select(s.c.id).where(s.c.project_id == project_id, s.c.id.in_(ids[start : start + _CHUNK]))
                ).scalars()
            )
        for start in range(0, len(targets), _CHUNK):
            reported.update(
                conn.execute(
                    sa.select(s.c.interaction_id, s.c.kind).where(
                        s.c.project_id == project_id,
                        s.c.interaction_id.in_(targets[start : start + _CHUNK]),
                        s.c.kind.in_(kinds),
                        s.c.source != "inferred",
                    )
                ).all()
            )
        reported = {(iid, kind) for iid, kind in reported}
        fresh = [
            r for r in unique.values() if r["id"] not in stored and (r["interaction_id"], r["kind"]) not in reported
        ]
        if fresh:
            conn.execute(store.insert(s), fresh)
    return {r["interaction_id"] for r in fresh}


# --- re-ask, regenerate, follow-up ------------------------------------------------------------


LOOKBACK = 20  # earlier interactions of the same user a new one is compared with, at most


def _sequence_rows(
    project_id: str, history: list[Any], focus: set[str] | None, settings: Settings, similar: Similarity, now: float
) -> list[dict[str, Any]]:
    """Inferred rows for one user's interactions in time order; only pairs touching ``focus``."""
    rows: list[dict[str, Any]] = []
    regen_w, requery_w, threshold = settings.regenerate_window_s, settings.requery_window_s, settings.requery_similarity
    reach = max(regen_w, requery_w)
    texts: dict[str, str] = {}
    # Only pairs touching a focus interaction matter: a later interaction with no focus one within
    # reach before it (and not in focus itself) pairs with nothing new, so it is skipped whole.
    focus_times = sorted(r.ts for r in history if focus is None or r.id in focus)
    for k, later in enumerate(history):
        if focus is not None and later.id not in focus:
            first = bisect.bisect_left(focus_times, later.ts - reach)
            if first == len(focus_times) or focus_times[first] >= later.ts:
                continue
        matched = False
        session_prev = None
        # A re-ask answers one of the user's last few questions; bounding the look-back keeps a
        # user who fires hundreds of questions a minute linear instead of quadratic.
        for earlier in reversed(history[max(0, k - LOOKBACK) : k]):
            gap = later.ts - earlier.ts
            if gap > reach:
                break
            if gap <= 0 or earlier.output is None:
                continue
            if session_prev is None and later.session_id and earlier.session_id == later.session_id:
                session_prev = earlier
            if focus is not None and later.id not in focus and earlier.id not in focus:
                continue
            for item in (earlier, later):
                if item.id not in texts:
                    texts[item.id] = question_text(item.input)
            if gap <= regen_w and _fold(texts[earlier.id]) == _fold(texts[later.id]):
                rows.append(
                    _row(project_id, "regenerate", earlier, later.ts, later.id, "interaction", now, window_s=regen_w)
                )
                matched = True
                break
            if gap <= requery_w:
                score = similar(texts[earlier.id], texts[later.id])
                if score >= threshold:
                    rows.append(
                        _row(
                            project_id,
                            "requery",
                            earlier,
                            later.ts,
                            later.id,
                            "interaction",
                            now,
                            similarity=round(score, 4),
                            window_s=requery_w,
                        )
                    )
                    matched = True
                    break
        if (
            not matched
            and session_prev is not None
            and later.ts - session_prev.ts <= requery_w
            and (focus is None or later.id in focus or session_prev.id in focus)
        ):
            rows.append(_row(project_id, "follow_up", session_prev, later.ts, later.id, "interaction", now))
    return rows


def _reasks(
    store: Store, project_id: str, interaction_ids: list[str], settings: Settings, similar: Similarity
) -> list[dict]:
    i = schema.interactions
    cols = (i.c.id, i.c.user_id, i.c.session_id, i.c.ts, i.c.input, i.c.output)
    reach = max(settings.regenerate_window_s, settings.requery_window_s)
    rows: list[dict[str, Any]] = []
    now = time.time()
    focus = set(interaction_ids)
    with store.read() as conn:
        # Each user's history is read and walked once for the whole round. Walking it once per
        # chunk of ids instead made a catch-up quadratic when one round held many of a user's
        # interactions (a backlog after the worker was down: 15,000 new interactions took 19 s,
        # 50,000 about 410 s).
        spans: dict[str, tuple[float, float]] = {}
        for start in range(0, len(interaction_ids), _CHUNK):
            for user_id, ts in conn.execute(
                sa.select(i.c.user_id, i.c.ts).where(
                    i.c.project_id == project_id,
                    i.c.id.in_(interaction_ids[start : start + _CHUNK]),
                    i.c.user_id.is_not(None),
                )
            ):
                low, high = spans.get(user_id, (ts, ts))
                spans[user_id] = (min(low, ts), max(high, ts))
        users = sorted(spans)
        for start in range(0, len(users), _CHUNK):
            group = users[start : start + _CHUNK]
            low = min(spans[u][0] for u in group) - reach
            high = max(spans[u][1] for u in group) + reach
            history: dict[str, list[Any]] = defaultdict(list)
            for row in conn.execute(
                sa.select(*cols)
                .where(i.c.project_id == project_id, i.c.user_id.in_(group), i.c.ts >= low, i.c.ts <= high)
                .order_by(i.c.user_id, i.c.ts, i.c.id)
            ):
                history[row.user_id].append(row)
            for seq in history.values():
                rows.extend(_sequence_rows(project_id, seq, focus, settings, similar, now))
    return rows


# --- abandonment ------------------------------------------------------------------------------


def settle(
    store: Store,
    project_id: str,
    *,
    settings: Settings | None = None,
    skip: Iterable[str] = (),
    limit: int | None = 5000,
    now: float | None = None,
) -> set[str]:
    """Decide abandonment for labelled interactions whose abandon window has closed and that are
    not settled yet (at most ``limit``; None for all), leaving out ``skip`` (the batch being
    stored, whose own signals may still be on their way). Returns the interactions abandoned."""
    settings = settings or Settings()
    window = settings.abandon_window_s
    now = time.time() if now is None else now
    lb, i, s = schema.labels, schema.interactions, schema.signals
    actions = [name for name, k in KINDS.items() if k.action]
    skip = set(skip)
    rows: list[dict[str, Any]] = []
    settled: list[str] = []
    with store.read() as conn:
        query = (
            sa.select(lb.c.interaction_id)
            .where(lb.c.project_id == project_id, lb.c.settled_at.is_(None), lb.c.ts <= now - window)
            .order_by(lb.c.ts)
        )
        if limit is not None:
            query = query.limit(limit + len(skip))
        candidates = [x for x in conn.execute(query).scalars() if x not in skip][:limit]
        for start in range(0, len(candidates), _CHUNK):
            chunk = candidates[start : start + _CHUNK]
            inter = conn.execute(
                sa.select(i.c.id, i.c.ts, i.c.user_id, i.c.session_id).where(
                    i.c.project_id == project_id, i.c.id.in_(chunk)
                )
            ).all()
            acted = set(
                conn.execute(
                    sa.select(s.c.interaction_id).where(
                        s.c.project_id == project_id, s.c.interaction_id.in_(chunk), s.c.kind.in_(actions)
                    )
                ).scalars()
            )
            sessions = sorted({r.session_id for r in inter if r.session_id})
            users = sorted({r.user_id for r in inter if r.user_id and not r.session_id})
            later: dict[tuple[str, str], list[float]] = defaultdict(list)
            if sessions:
                for r in conn.execute(
                    sa.select(i.c.session_id, i.c.ts).where(i.c.project_id == project_id, i.c.session_id.in_(sessions))
                ):
                    later[("s", r.session_id)].append(r.ts)
            if users:
                for r in conn.execute(
                    sa.select(i.c.user_id, i.c.ts).where(i.c.project_id == project_id, i.c.user_id.in_(users))
                ):
                    later[("u", r.user_id)].append(r.ts)
            for it in inter:
                settled.append(it.id)
                if it.id in acted:
                    continue
                slot = ("s", it.session_id) if it.session_id else ("u", it.user_id) if it.user_id else None
                if slot and any(it.ts < t <= it.ts + window for t in later[slot]):
                    continue
                rows.append(_row(project_id, "abandon", it, it.ts + window, it.id, "interaction", now, window_s=window))
    abandoned = _write(store, project_id, rows)
    if settled:
        with store.write() as conn:
            for start in range(0, len(settled), _CHUNK):
                conn.execute(
                    sa.update(lb)
                    .where(lb.c.project_id == project_id, lb.c.interaction_id.in_(settled[start : start + _CHUNK]))
                    .values(settled_at=now)
                )
    return abandoned


# --- entry points -----------------------------------------------------------------------------


def infer(
    store: Store,
    project_id: str,
    interaction_ids: Iterable[str],
    *,
    settings: Settings | None = None,
    similar: Similarity = similarity,
) -> set[str]:
    """Run the re-ask rules for these interactions (and the neighbours they pair with); returns
    the interactions that got a new inferred signal."""
    settings = settings or Settings()
    ids = sorted(set(interaction_ids))
    if not ids:
        return set()
    rows = _reasks(store, project_id, ids, settings, similar)
    return _write(store, project_id, rows)


def infer_all(
    store: Store, project_id: str, *, settings: Settings | None = None, similar: Similarity = similarity
) -> set[str]:
    """The re-ask rules over the whole project. Abandonment needs labels to
    exist first: :func:`flyloop.labels.relabel.recompute` with ``infer=True`` runs everything in order."""
    settings = settings or Settings()
    i = schema.interactions
    touched: set[str] = set()
    with store.read() as conn:
        ids = list(conn.execute(sa.select(i.c.id).where(i.c.project_id == project_id).order_by(i.c.id)).scalars())
    for start in range(0, len(ids), 5000):
        touched |= infer(store, project_id, ids[start : start + 5000], settings=settings, similar=similar)
    return touched
