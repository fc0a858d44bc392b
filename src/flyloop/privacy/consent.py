"""Consent as data: each end user's state, with its history, and the consent each event carries.

States, from least to most restrictive:

- ``full``: content is stored and may be used for training, evaluation and examples.
- ``no_training``: content is stored (for the product, for debugging) but never enters a
  dataset, an export, an example bank or a model.
- ``no_content``: metadata-only capture. The user's inputs, outputs, corrections, comments and
  choice texts are dropped at ingest and usage is kept (see :mod:`flyloop.privacy.content`); moving a
  user to this state also removes the content already stored for them.

A user with no recorded state has the project's ``consent_default`` (policy, default ``full``).
Each change is a new row (``consents``), so the history is kept; the latest row is in force.
Users are named by pseudonym here as everywhere: callers pass the raw id.

Each interaction records in ``interactions.consent`` the state in force when it happened: the
most restrictive of what the user has said (their stored state, and a ``consent`` the app put on
the event itself), or the project default if they said nothing. Training use needs both that
recorded state and the user's current state to allow it, so a withdrawal reaches back and a later
opt-in does not. That rule is written once, here: :func:`training_consent` asks the store once per
build or export and returns it as a :class:`TrainingConsent`, which curation, exports and every
later consumer of user data for training (example banks, trainers) apply per row.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.privacy import audit, content, derived
from flyloop.privacy.policy import privacy_policy
from flyloop.privacy.pseudonyms import pseudonym
from flyloop.store import Store, schema

STATES = ("full", "no_training", "no_content")
_RANK = {state: rank for rank, state in enumerate(STATES)}


def check_state(state: Any, field: str = "state") -> str:
    if state not in _RANK:
        raise errors.ValidationError(f"consent must be one of {', '.join(STATES)}; got {state!r}", field=field)
    return state


def most_restrictive(states: Iterable[str | None]) -> str | None:
    """The most restrictive of the states given (None ignored); None if there are none."""
    known = [s for s in states if s is not None]
    return max(known, key=_RANK.__getitem__) if known else None


def allows_training(state: str | None) -> bool:
    """Whether one consent state allows training use (only ``full`` does)."""
    return state == "full"


@dataclass(frozen=True)
class TrainingConsent:
    """The training-use rule of one project, with what it needs read once from the store.

    An interaction may be used for training iff its recorded consent allows it (none recorded:
    the project default) and its user's consent in force now allows it (a user with no recorded
    state, or no user: the project default)."""

    allowed_users: frozenset[str]  # stored user ids asked about whose consent now allows training
    default_allows: bool  # the project's consent_default allows training

    def user_allows(self, stored_user_id: str | None) -> bool:
        """The user's consent in force now allows training. An export of a version built earlier
        asks only this: the recorded consent of its rows was checked at the build and does not change."""
        return stored_user_id in self.allowed_users if stored_user_id else self.default_allows

    def refusal(self, recorded: str | None, stored_user_id: str | None) -> str | None:
        """Why an interaction (its recorded consent, its stored user id) may not be used for
        training, or None when it may: ``recorded consent <state>`` or ``user consent now
        refuses training``."""
        # Applied to every interaction of a build: written out rather than through the two helpers.
        if not (recorded == "full" if recorded is not None else self.default_allows):
            return f"recorded consent {recorded or 'default'}"
        if not (stored_user_id in self.allowed_users if stored_user_id else self.default_allows):
            return "user consent now refuses training"
        return None

    def allows(self, recorded: str | None, stored_user_id: str | None) -> bool:
        return self.refusal(recorded, stored_user_id) is None


def training_consent(store: Store, project_id: str, stored_user_ids: Iterable[str | None]) -> TrainingConsent:
    """The project's training-use rule for these (pseudonymous) users, read now; see
    :class:`TrainingConsent`. The one place the rule is written: whoever uses user data for
    training asks it here."""
    ids = {u for u in stored_user_ids if u}
    default = privacy_policy(store, project_id).consent_default
    states = current_states(store, project_id, ids) if ids else {}
    return TrainingConsent(
        frozenset(u for u in ids if allows_training(states.get(u, default))), allows_training(default)
    )


def training_allowed(store: Store, project_id: str, stored_user_ids: Iterable[str]) -> set[str]:
    """The stored (pseudonymous) user ids whose consent in force now allows training use."""
    return set(training_consent(store, project_id, stored_user_ids).allowed_users)


def usable_for_training(store: Store, project_id: str, interactions: Iterable[Mapping[str, Any]]) -> set[str]:
    """Ids of the interactions (rows with ``id``, ``user_id``, ``consent``) that may be used for
    training, by :class:`TrainingConsent`'s rule."""
    rows = list(interactions)
    rule = training_consent(store, project_id, (r.get("user_id") for r in rows))
    return {r["id"] for r in rows if rule.allows(r.get("consent"), r.get("user_id"))}


def current_states(store: Store, project_id: str, stored_user_ids: Iterable[str]) -> dict[str, str]:
    """{pseudonym: state in force} for the users that have a recorded state."""
    ids = sorted({u for u in stored_user_ids if u})
    t = schema.consents
    latest: dict[str, str] = {}
    with store.read() as conn:
        for start in range(0, len(ids), 900):
            rows = conn.execute(
                sa.select(t.c.user_id, t.c.state)
                .where(t.c.project_id == project_id, t.c.user_id.in_(ids[start : start + 900]))
                .order_by(t.c.user_id, t.c.ts, t.c.id)
            )
            for user, state in rows:
                latest[user] = state  # ordered by time: the last one wins
    return latest


def set_consent(
    store: Store,
    project_id: str,
    user_id: str,
    state: str,
    *,
    source: str = "api",
    actor: str = "library",
    ts: float | None = None,
) -> dict[str, Any]:
    """Record ``state`` for the user with raw id ``user_id``, in force from now (or ``ts``).
    Moving to 'no_content' also removes the content already stored for them."""
    check_state(state)
    if not isinstance(source, str) or not 1 <= len(source) <= 60:
        raise errors.ValidationError("source must be a string of 1 to 60 characters", field="source")
    stored = pseudonym(store, project_id, user_id)
    when = time.time() if ts is None else float(ts)
    removed = {"interactions": 0, "signals": 0}
    blanked: list[str] = []
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.consents),
            [
                {
                    "project_id": project_id,
                    "id": audit.new_id(),
                    "user_id": stored,
                    "state": state,
                    "ts": when,
                    "source": source,
                }
            ],
        )
        if state == "no_content":
            i, s = schema.interactions, schema.signals
            blanked = list(
                conn.execute(sa.select(i.c.id).where(i.c.project_id == project_id, i.c.user_id.in_([stored, user_id])))
                .scalars()
                .all()
            )
            removed["interactions"] = content.blank_interactions(conn, project_id, blanked)
            on_theirs = sa.or_(
                s.c.actor.in_([stored, user_id]),
                s.c.interaction_id.in_(
                    sa.select(i.c.id).where(i.c.project_id == project_id, i.c.user_id.in_([stored, user_id]))
                ),
            )
            removed["signals"] = content.blank_signals(conn, project_id, on_theirs, "consent")
    derived.remove_content(store, project_id, blanked, "consent")
    # No user id in the audit row: the row proves a change happened without naming whose.
    audit.record(
        store,
        project_id,
        "users.consent",
        actor=actor,
        details={"state": state, "source": source, "content_removed": removed},
    )
    return {"state": state, "since": when, "source": source, "content_removed": removed}


def consent_of(store: Store, project_id: str, user_id: str) -> dict[str, Any]:
    """The consent in force for raw id ``user_id``, whether it is the default, and its history."""
    stored = pseudonym(store, project_id, user_id)
    t = schema.consents
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t.c.state, t.c.ts, t.c.source)
            .where(t.c.project_id == project_id, t.c.user_id == stored)
            .order_by(t.c.ts, t.c.id)
        ).all()
    history = [{"state": r.state, "ts": r.ts, "source": r.source} for r in rows]
    if history:
        return {"state": history[-1]["state"], "since": history[-1]["ts"], "default": False, "history": history}
    return {"state": privacy_policy(store, project_id).consent_default, "since": None, "default": True, "history": []}
