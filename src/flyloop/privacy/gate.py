"""The privacy gate, and each project's privacy policy as data.

Every batch, on every ingest path (SDK local transport, HTTP, browser feedback, anything later),
passes :func:`privacy_gate` before the store sees it, on the sender's thread or the server, never
on the app's thread. In order, the gate:

1. drops events of users erased within the grace period (still in flight when erasure ran);
2. records on each interaction the consent in force (:mod:`flyloop.privacy.consent`);
3. minimizes: per workload, only allow-listed fields and metadata keys are kept;
4. removes content for 'no_content' users, keeping usage (:mod:`flyloop.privacy.content`);
5. redacts PII from inputs, chat messages, outputs, metadata values (nested), and signal and
   outcome payloads (corrections, comments, choices) (:mod:`flyloop.privacy.redaction`);
6. replaces ``user_id`` and each signal's ``actor`` by their pseudonym (:mod:`flyloop.privacy.pseudonyms`).

Identifiers (event ids, ``session_id``, ``join_key``, ``context_ids``) and the keys of metadata
objects are not redacted: they are what joins events, and a redacted one would join nothing. Keep
personal data out of them, or drop them with an allow-list.

The gate returns the gated batch with a :class:`GateReport` of what it did; capture
(:meth:`flyloop.capture.ingest.Capture.ingest`) stores the batch and then hands the report to
:func:`record_gate`, which writes one audit row per event that had something redacted (entity
types per field, never a value) and the drop counters per workload. Privacy knows nothing of
capture: capture calls these two functions by name.

The policy it applies is data: :mod:`flyloop.privacy.policy` (``flyloop privacy show|set``,
``/v1/privacy/policy``).

The gate records consent; whether stored data may be used for training is
:func:`flyloop.privacy.consent.training_consent`'s rule.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.events import IngestBatch, IngestResult
from flyloop.privacy import audit, content
from flyloop.privacy.consent import current_states, most_restrictive
from flyloop.privacy.policy import MINIMIZABLE_FIELDS, PrivacyPolicy, privacy_policy, set_privacy_policy
from flyloop.privacy.pseudonyms import current_secret, keyed_digest, pseudonym, pseudonyms
from flyloop.privacy.redaction import Redactor, json_replace, json_strings, path_name
from flyloop.store import Store, schema

__all__ = [
    "PrivacyPolicy",
    "drop_counts",
    "GateReport",
    "privacy_gate",
    "privacy_policy",
    "record_gate",
    "pseudonym",
    "redact_text",
    "rotate_key",
    "set_privacy_policy",
]

_EMPTY: dict[str, Any] = {"context_ids": [], "metadata": {}}
SIGNALS_WORKLOAD = "(signals)"  # drop counters for signals, whose workload the gate may not know


def rotate_key(store: Store, project_id: str, purpose: str = "pseudonym", *, actor: str = "library") -> dict[str, Any]:
    """Rotate one of the project's keys (see :func:`flyloop.privacy.pseudonyms.rotate`), audited."""
    from flyloop.privacy.pseudonyms import rotate

    result = rotate(store, project_id, purpose)
    audit.record(store, project_id, "privacy.rotate_key", actor=actor, details={"purpose": purpose, **result})
    return {"purpose": purpose, **result}


def drop_counts(store: Store, project_id: str) -> dict[str, dict[str, int]]:
    """What minimization, consent and erasure dropped at ingest: {workload: {what: count}}."""
    t = schema.privacy_drops
    out: dict[str, dict[str, int]] = {}
    with store.read() as conn:
        for workload, what, count in conn.execute(
            sa.select(t.c.workload, t.c.what, t.c.count)
            .where(t.c.project_id == project_id)
            .order_by(t.c.workload, t.c.what)
        ):
            out.setdefault(workload, {})[what] = count
    return out


def redact_text(store: Store, project_id: str, text: str) -> dict[str, Any]:
    """What the project's redaction policy makes of ``text`` (to try a policy out)."""
    redactor = _redactor(store, project_id, privacy_policy(store, project_id))
    if redactor is None:
        return {"text": text, "found": {}}
    result = redactor.redact_many([text])[0]
    return {"text": result.text, "found": dict(result.found)}


# --- the gate -------------------------------------------------------------------------------


@dataclass
class GateReport:
    """What the gate did to one batch; :func:`record_gate` writes it once the batch is stored."""

    drops: Counter = field(default_factory=Counter)  # (workload, what) -> count
    redactions: dict[tuple[str, str], dict[str, dict[str, int]]] = field(
        default_factory=dict
    )  # (kind, id) -> where -> types


def _digests(store: Store, project_id: str, batch: IngestBatch) -> dict[str, tuple[str, str]]:
    """The tombstone digest of each user and interaction in the batch: digest -> (kind, raw id)."""
    _, key = current_secret(store, project_id, "tombstone")
    users = {it.user_id for it in batch.interactions if it.user_id} | {sg.actor for sg in batch.signals if sg.actor}
    inters = (
        {it.id for it in batch.interactions}
        | {sg.interaction_id for sg in batch.signals}
        | {oc.interaction_id for oc in batch.outcomes if oc.interaction_id}
    )
    digests = {keyed_digest(key, f"user:{u}"): ("user", u) for u in users}
    digests.update({keyed_digest(key, f"interaction:{i}"): ("interaction", i) for i in inters})
    return digests


def tombstone_digests(store: Store, project_id: str, batch: IngestBatch, gated: IngestBatch) -> list[str]:
    """What a tombstone of the users and interactions the gate kept would hold (for ``Store.ingest``'s
    check of erasures that committed after the gate read them); ``batch``: the raw batch (raw user ids)."""
    kept = (
        {it.id for it in gated.interactions}
        | {sg.interaction_id for sg in gated.signals}
        | {oc.interaction_id for oc in gated.outcomes if oc.interaction_id}
    )
    kept_interactions, kept_signals = {it.id for it in gated.interactions}, {sg.id for sg in gated.signals}
    users = {it.user_id for it in batch.interactions if it.id in kept_interactions and it.user_id} | {
        sg.actor for sg in batch.signals if sg.id in kept_signals and sg.actor
    }
    return [
        digest
        for digest, (kind, value) in _digests(store, project_id, batch).items()
        if (kind == "user" and value in users) or (kind == "interaction" and value in kept)
    ]


def _tombstoned(store: Store, project_id: str, batch: IngestBatch) -> tuple[set[str], set[str]]:
    """(raw user ids, interaction ids) in the batch erased within the grace period."""
    t = schema.erasure_tombstones
    now = time.time()
    with store.read() as conn:
        if (
            conn.execute(
                sa.select(t.c.digest).where(t.c.project_id == project_id, t.c.expires_at > now).limit(1)
            ).first()
            is None
        ):
            return set(), set()
    digests = _digests(store, project_id, batch)
    found: set[str] = set()
    names = list(digests)
    with store.read() as conn:
        for start in range(0, len(names), 900):
            found.update(
                conn.execute(
                    sa.select(t.c.digest).where(
                        t.c.project_id == project_id, t.c.expires_at > now, t.c.digest.in_(names[start : start + 900])
                    )
                ).scalars()
            )
    return (
        {digests[d][1] for d in found if digests[d][0] == "user"},
        {digests[d][1] for d in found if digests[d][0] == "interaction"},
    )


def _stored_consents(
    store: Store, project_id: str, interaction_ids: set[str]
) -> dict[str, tuple[str | None, str | None]]:
    """{interaction id: (consent, user_id)} for stored interactions the batch's signals name."""
    t = schema.interactions
    ids = sorted(interaction_ids)
    out: dict[str, tuple[str | None, str | None]] = {}
    with store.read() as conn:
        for start in range(0, len(ids), 900):
            for r in conn.execute(
                sa.select(t.c.id, t.c.consent, t.c.user_id).where(
                    t.c.project_id == project_id, t.c.id.in_(ids[start : start + 900])
                )
            ):
                out[r.id] = (r.consent, r.user_id)
    return out


def _redactor(store: Store, project_id: str, policy: PrivacyPolicy) -> Redactor | None:
    r = policy.redaction
    if r.mode == "off":
        return None
    key = current_secret(store, project_id, "redaction")[1] if r.style == "hash" else None
    try:
        return Redactor(r.mode, r.entities, r.style, r.min_score, hash_key=key)
    except errors.ConfigError as exc:  # this machine's install, not the events, is at fault
        raise errors.Unavailable(f"the project's privacy policy cannot be applied here: {exc}") from None


def _minimize(it: Any, policy: PrivacyPolicy, updates: dict[str, Any], report: GateReport) -> None:
    allow = policy.allow_list(it.workload)
    if allow is None:
        return
    if allow.fields is not None:
        for name in MINIMIZABLE_FIELDS:
            if name not in allow.fields and getattr(it, name) not in (None, [], {}):
                updates[name] = _EMPTY.get(name)
                report.drops[(it.workload, f"field:{name}")] += 1
    metadata = updates.get("metadata", it.metadata)
    if allow.metadata_keys is not None and metadata:
        kept = {k: v for k, v in metadata.items() if k in allow.metadata_keys}
        for key in metadata.keys() - kept.keys():
            report.drops[(it.workload, f"metadata:{key}")] += 1
        updates["metadata"] = kept


def privacy_gate(store: Store, project_id: str, batch: IngestBatch) -> tuple[IngestBatch, GateReport]:
    """Apply the project's privacy policy to a validated batch; see the module docstring.
    Returns the batch to store and what was done to it, for :func:`record_gate`."""
    policy = privacy_policy(store, project_id)
    report = GateReport()
    erased_users, erased_interactions = _tombstoned(store, project_id, batch)
    raw_users = {it.user_id for it in batch.interactions if it.user_id} | {sg.actor for sg in batch.signals if sg.actor}
    stored_of = pseudonyms(store, project_id, raw_users)
    states = current_states(store, project_id, stored_of.values())
    default = policy.consent_default

    def consent_of(raw_user: str | None, stated: str | None = None) -> str:
        said = [states.get(stored_of[raw_user]) if raw_user else None, stated]
        return most_restrictive(said) or default

    interactions, recorded = [], {}
    for it in batch.interactions:
        if it.user_id in erased_users or it.id in erased_interactions:
            report.drops[(it.workload, "erased_user")] += 1
            erased_interactions.add(it.id)
            continue
        consent = consent_of(it.user_id, it.consent)
        recorded[it.id] = (consent, it.user_id)
        stored_user = stored_of.get(it.user_id) if it.user_id is not None else None
        updates: dict[str, Any] = {"consent": consent, "user_id": stored_user}
        _minimize(it, policy, updates, report)
        if consent == "no_content" and (
            updates.get("input", it.input) is not None or updates.get("output", it.output) is not None
        ):
            updates.update(input=None, output=None)
            report.drops[(it.workload, "content:no_content")] += 1
        interactions.append(it.model_copy(update=updates))

    # Consent only ever takes a signal's content (an edit's text, a comment): a signal without
    # any (a thumbs up, a dwell time) needs no look-up of its interaction's consent, and one with
    # no actor and no content passes as it came. Most signals are of that kind.
    has_content = content.has_content
    elsewhere = {
        sg.interaction_id for sg in batch.signals if sg.interaction_id not in recorded and has_content(sg.payload)
    }
    stored = _stored_consents(store, project_id, elsewhere) if elsewhere else {}
    stored_owner_states = current_states(store, project_id, (u for _, u in stored.values() if u)) if stored else {}
    signals = []
    for sg in batch.signals:
        if sg.actor in erased_users or sg.interaction_id in erased_interactions:
            report.drops[(SIGNALS_WORKLOAD, "erased_user")] += 1
            continue
        if not sg.actor and not has_content(sg.payload):
            signals.append(sg)
            continue
        target_consent: str | None
        if sg.interaction_id in recorded:
            target_consent, owner_state = recorded[sg.interaction_id][0], None
        else:
            target_consent, owner = stored.get(sg.interaction_id, (None, None))
            owner_state = stored_owner_states.get(owner) if owner else None
        actor_consent = consent_of(sg.actor) if sg.actor else None
        updates = {"actor": stored_of.get(sg.actor) if sg.actor else None}
        if "no_content" in (target_consent, owner_state, actor_consent) and has_content(sg.payload):
            updates["payload"] = content.strip_payload(sg.payload, "consent")
            report.drops[(SIGNALS_WORKLOAD, "content:no_content")] += 1
        signals.append(sg.model_copy(update=updates))

    outcomes = []
    for oc in batch.outcomes:
        if oc.interaction_id in erased_interactions:
            report.drops[("(outcomes)", "erased_user")] += 1
            continue
        outcomes.append(oc)

    redactor = _redactor(store, project_id, policy)
    if redactor is not None and redactor.active:
        interactions, signals, outcomes = _redact(redactor, interactions, signals, outcomes, report)
    gated = IngestBatch.model_construct(interactions=interactions, signals=signals, outcomes=outcomes)
    return gated, report


def _redact(
    redactor: Redactor, interactions: list, signals: list, outcomes: list, report: GateReport
) -> tuple[list, list, list]:
    """Redact every text field of every event in one call (NER mode batches its model)."""
    slots: list[tuple[int, str, tuple]] = []  # (event index, part, path inside the part)
    texts: list[str] = []
    contexts: list[str] = []  # the JSON keys over a value tell a bare number's meaning (metadata.phone)
    events: list[tuple[str, Any]] = (
        [("interaction", e) for e in interactions]
        + [("signal", e) for e in signals]
        + [("outcome", e) for e in outcomes]
    )
    for n, (kind, event) in enumerate(events):
        if kind == "interaction":
            parts = {
                "input": event.input
                if isinstance(event.input, str) or event.input is None
                else [m.content for m in event.input],
                "output": event.output,
                "metadata": event.metadata,
            }
        elif not event.payload:  # most signals and outcomes carry no payload: nothing to read
            continue
        else:
            parts = {"payload": event.payload}
        for part, value in parts.items():
            keyed = part == "metadata" or part == "payload"
            for path, text in json_strings(value):
                slots.append((n, part, path))
                texts.append(text)
                free_text = not path or path[0] in content.CONTENT_PAYLOAD_KEYS
                contexts.append(path_name(path) if keyed and not free_text else "")
    if not texts:
        return interactions, signals, outcomes
    changed: dict[int, dict[str, dict[tuple, str]]] = {}
    for (n, part, path), result in zip(slots, redactor.redact_many(texts, contexts)):
        if not result.found:
            continue
        changed.setdefault(n, {}).setdefault(part, {})[path] = result.text
        kind, event = events[n]
        where = path_name((part,) + path)
        found = report.redactions.setdefault((kind, event.id), {}).setdefault(where, {})
        for entity, count in result.found.items():
            found[entity] = found.get(entity, 0) + count
    out: list[Any] = []
    for n, (_kind, event) in enumerate(events):
        replaced = changed.get(n)
        if not replaced:
            out.append(event)
            continue
        updates: dict[str, Any] = {}
        for part, replacements in replaced.items():
            if part == "input" and not isinstance(event.input, str):
                updates["input"] = [
                    m.model_copy(update={"content": replacements[(i,)]}) if (i,) in replacements else m
                    for i, m in enumerate(event.input)
                ]
            else:
                updates[part] = json_replace(getattr(event, part), replacements)
        out.append(event.model_copy(update=updates))
    a, b = len(interactions), len(interactions) + len(signals)
    return out[:a], out[a:b], out[b:]


def record_gate(store: Store, project_id: str, batch: IngestBatch, report: GateReport, result: IngestResult) -> None:
    """After the store committed the gated ``batch``: the audit rows and drop counters of what the
    gate did to it (``report``, as :func:`privacy_gate` returned it)."""
    silenced = [it.id for it in batch.interactions if it.consent == "no_content"]
    if not report.drops and not report.redactions and not silenced:
        return
    now = time.time()
    rows = [
        audit.row(
            project_id,
            "redact",
            actor="capture",
            target=f"{kind}:{event_id}",
            details={"found": where},
            id=f"redact:{kind}:{event_id}",
            ts=now,
        )
        for (kind, event_id), where in report.redactions.items()
    ]
    # A batch the SDK retries after a lost answer comes back whole and is stored as duplicates:
    # its drops were counted the first time (audit rows are deduplicated by their ids).
    first_time = bool(result.interactions or result.signals or result.outcomes or not len(batch))
    with store.write() as conn:
        audit.record_many(store, conn, rows)
        if report.drops and first_time:
            _count_drops(store, conn, project_id, report.drops, now)
        if silenced:
            # Signals that arrived before their interaction could not know its user allows no
            # content; now that it is stored, their texts go too.
            content.blank_signals(conn, project_id, schema.signals.c.interaction_id.in_(silenced), "consent")


def _count_drops(store: Store, conn: sa.Connection, project_id: str, drops: Counter, now: float) -> None:
    t = schema.privacy_drops
    rows = [
        {"project_id": project_id, "workload": w, "what": what, "count": n, "updated_at": now}
        for (w, what), n in sorted(drops.items())
    ]
    # Counters: a row already stored for the key adds this batch's count to its own.
    conn.execute(
        store.insert_or_update(
            t,
            ("project_id", "workload", "what"),
            lambda excluded: {"count": t.c.count + excluded["count"], "updated_at": excluded.updated_at},
        ),
        rows,
    )
