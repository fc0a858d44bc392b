"""Attribution: late outcomes joined to the interactions they belong to.

An outcome (task completed, reply received, purchase, ticket resolved) names either one
interaction by id, or a ``join_key`` the app also set on interactions (an order id, a ticket id).
Attribution turns each outcome into an ``outcome`` signal on every interaction it reaches, with
``source="system"`` and ``payload.caused_by`` naming the outcome, so labels, coverage and dataset
lineage see outcomes as they see every other signal. Signal ids are derived from the outcome and
interaction ids, so attributing twice writes once.

Rules (the attribution window is the ``attribution_window_s`` setting, 7 days by default):

- by id: attributed when the interaction is stored and the outcome happened within the window
  after it. An outcome for an interaction not yet stored waits (it is attributed when the
  interaction arrives); one outside the window, or stamped before its interaction (beyond the
  clock skew allowance), is kept in the outcomes table and never attributed:
  :func:`unattributed` reports it with its reason.
- by join key: it reaches the interactions with that key whose time lies within the window
  before the outcome. ``attribution_policy="last"`` (the default: last touch) gives it to the
  latest of them only, ``"all"`` to each. "Last" is decided with what is stored when the outcome
  is attributed: an interaction with the key that arrives afterwards and is later still receives
  it too, and the earlier one keeps it (signals are append-only; nothing is withdrawn).
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.settings import Settings
from flyloop.store import Store, schema

POLICIES = ("last", "all")
_CHUNK = 500


def signal_id(outcome_id: str, interaction_id: str) -> str:
    return "out." + hashlib.sha1(f"{outcome_id}\x00{interaction_id}".encode()).hexdigest()[:32]


def _rules(settings: Settings) -> tuple[float, float, str]:
    policy = settings.attribution_policy
    if policy not in POLICIES:
        raise errors.ConfigError(
            f"attribution_policy must be one of {', '.join(POLICIES)}, not {policy!r}", field="attribution_policy"
        )
    return settings.attribution_window_s, settings.max_clock_skew_s, policy


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def attribute(
    store: Store,
    project_id: str,
    *,
    outcome_ids: Iterable[str] = (),
    interaction_ids: Iterable[str] = (),
    settings: Settings | None = None,
) -> set[str]:
    """Attribute the named outcomes, and every outcome that can reach the named interactions.
    Returns the ids of interactions that received an outcome signal not stored before."""
    window, skew, policy = _rules(settings or Settings())
    o, i = schema.outcomes, schema.interactions
    pairs: dict[tuple[str, str], Any] = {}
    with store.read() as conn:
        outs: dict[str, Any] = {}
        for chunk in _chunks(sorted(set(outcome_ids))):
            outs.update(
                (r.id, r) for r in conn.execute(sa.select(o).where(o.c.project_id == project_id, o.c.id.in_(chunk)))
            )
        for chunk in _chunks(sorted(set(interaction_ids))):
            linked = conn.execute(
                sa.select(i.c.id, i.c.join_key).where(i.c.project_id == project_id, i.c.id.in_(chunk))
            ).all()
            keys = sorted({r.join_key for r in linked if r.join_key})
            cond: sa.ColumnElement[bool] = o.c.interaction_id.in_(chunk)
            if keys:
                cond = sa.or_(cond, o.c.join_key.in_(keys))
            outs.update((r.id, r) for r in conn.execute(sa.select(o).where(o.c.project_id == project_id, cond)))
        if not outs:
            return set()
        direct = [r for r in outs.values() if r.interaction_id]
        targets: dict[str, Any] = {}
        for chunk in _chunks(sorted({r.interaction_id for r in direct})):
            targets.update(
                (r.id, r)
                for r in conn.execute(sa.select(i.c.id, i.c.ts).where(i.c.project_id == project_id, i.c.id.in_(chunk)))
            )
        for out in direct:
            target = targets.get(out.interaction_id)
            if target is not None and target.ts - skew <= out.ts <= target.ts + window:
                pairs[(out.id, target.id)] = (out, target, "interaction_id")
        keyed: dict[str, list[Any]] = defaultdict(list)
        for out in outs.values():
            if out.join_key:
                keyed[out.join_key].append(out)
        for chunk in _chunks(sorted(keyed)):
            by_key: dict[str, list[Any]] = defaultdict(list)
            for row in conn.execute(
                sa.select(i.c.id, i.c.ts, i.c.join_key).where(i.c.project_id == project_id, i.c.join_key.in_(chunk))
            ):
                by_key[row.join_key].append(row)
            for key in chunk:
                for out in keyed[key]:
                    reach = [r for r in by_key[key] if out.ts - window <= r.ts <= out.ts + skew]
                    if policy == "last" and reach:
                        reach = [max(reach, key=lambda r: (r.ts, r.id))]
                    for target in reach:
                        pairs[(out.id, target.id)] = (out, target, "join_key")
    if not pairs:
        return set()
    now = time.time()
    rows = [
        {
            "project_id": project_id,
            "id": signal_id(out.id, target.id),
            "interaction_id": target.id,
            "kind": "outcome",
            "value": out.value,
            "source": "system",
            "actor": None,
            "ts": out.ts,
            "received_at": now,
            "overrides": None,
            "payload": {
                "name": out.name,
                "caused_by": out.id,
                "caused_by_type": "outcome",
                "via": via,
                "delay_s": round(out.ts - target.ts, 3),
            },
        }
        for out, target, via in pairs.values()
    ]
    s = schema.signals
    with store.write() as conn:
        stored: set[str] = set()
        for chunk in _chunks([r["id"] for r in rows]):
            stored.update(
                conn.execute(sa.select(s.c.id).where(s.c.project_id == project_id, s.c.id.in_(chunk))).scalars()
            )
        fresh = [r for r in rows if r["id"] not in stored]
        if fresh:
            conn.execute(store.insert(s), fresh)
    return {r["interaction_id"] for r in fresh}


def attribute_all(store: Store, project_id: str, *, settings: Settings | None = None) -> int:
    """Attribute every outcome of the project (after a change of window or policy, say);
    returns how many outcome signals were new."""
    o = schema.outcomes
    with store.read() as conn:
        ids = list(conn.execute(sa.select(o.c.id).where(o.c.project_id == project_id).order_by(o.c.id)).scalars())
    touched = 0
    for start in range(0, len(ids), 5000):
        touched += len(attribute(store, project_id, outcome_ids=ids[start : start + 5000], settings=settings))
    return touched


def unattributed(store: Store, project_id: str, *, settings: Settings | None = None) -> dict[str, int]:
    """Stored outcomes that count for no interaction, by reason: ``waiting_for_interaction`` (the
    named interaction is not stored yet), ``outside_attribution_window``, ``before_interaction``
    and ``no_interaction_in_window`` (no interaction with its join key within the window)."""
    window, skew, _policy = _rules(settings or Settings())
    o, i = schema.outcomes, schema.interactions
    direct = (
        sa.select(o.c.ts.label("ots"), i.c.ts.label("its"))
        .select_from(o.outerjoin(i, sa.and_(i.c.project_id == o.c.project_id, i.c.id == o.c.interaction_id)))
        .where(o.c.project_id == project_id, o.c.interaction_id.is_not(None))
        .subquery()
    )
    reach = sa.exists().where(
        i.c.project_id == o.c.project_id,
        i.c.join_key == o.c.join_key,
        i.c.ts >= o.c.ts - window,
        i.c.ts <= o.c.ts + skew,
    )
    count = sa.func.count()
    with store.read() as conn:
        waiting = conn.execute(sa.select(count).select_from(direct).where(direct.c.its.is_(None))).scalar_one()
        outside = conn.execute(
            sa.select(count).select_from(direct).where(direct.c.ots > direct.c.its + window)
        ).scalar_one()
        before = conn.execute(
            sa.select(count).select_from(direct).where(direct.c.ots < direct.c.its - skew)
        ).scalar_one()
        keyless = conn.execute(
            sa.select(count).select_from(o).where(o.c.project_id == project_id, o.c.join_key.is_not(None), ~reach)
        ).scalar_one()
    return {
        "waiting_for_interaction": waiting,
        "outside_attribution_window": outside,
        "before_interaction": before,
        "no_interaction_in_window": keyless,
    }
