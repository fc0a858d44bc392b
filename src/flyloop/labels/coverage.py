"""Signal coverage: what share of each workload's interactions carry each kind of signal.

This is the "what is being discarded" part of a data audit: a kind that is never collected for
a workload (no edit capture on a drafting feature, no outcome tracking on a support bot) is a
signal the product throws away. Per workload, :func:`coverage` reports for every registered
kind the interactions having at least one such signal (and their share), split by who produced
it (``reported`` by the user or app, ``inferred`` by flyloop, or ``system`` for attributed
outcomes); the shares with any explicit, implicit or outcome signal, and with none at all; and
the kinds never collected.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from rich.table import Table

from flyloop.events import KINDS
from flyloop.store import Store, schema


def coverage(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    since: float | None = None,
    until: float | None = None,
) -> dict[str, Any]:
    """Per workload: interactions, per-kind coverage, per-category coverage, kinds never collected.
    ``since``/``until`` bound the interactions' time (epoch seconds). A read of what is stored,
    which never catches up: inferred and attributed signals count once the catch-up made them
    (:func:`flyloop.labels.catchup.pending` says how much still waits)."""
    i, s = schema.interactions, schema.signals
    scope = [i.c.project_id == project_id]
    if workload is not None:
        scope.append(i.c.workload == workload)
    if since is not None:
        scope.append(i.c.ts >= since)
    if until is not None:
        scope.append(i.c.ts < until)
    origin = sa.case((s.c.source == "inferred", "inferred"), (s.c.source == "system", "system"), else_="reported")
    joined = s.join(i, sa.and_(i.c.project_id == s.c.project_id, i.c.id == s.c.interaction_id))
    per_kind = (
        sa.select(i.c.workload, s.c.kind, origin.label("origin"), sa.func.count(sa.distinct(s.c.interaction_id)))
        .select_from(joined)
        .where(*scope)
        .group_by(i.c.workload, s.c.kind, origin)
    )
    per_kind_any = (
        sa.select(i.c.workload, s.c.kind, sa.func.count(sa.distinct(s.c.interaction_id)))
        .select_from(joined)
        .where(*scope)
        .group_by(i.c.workload, s.c.kind)
    )
    with store.read() as conn:
        totals: dict[str, int] = dict(
            conn.execute(sa.select(i.c.workload, sa.func.count()).where(*scope).group_by(i.c.workload)).all()
        )
        split = conn.execute(per_kind).all()
        any_kind = conn.execute(per_kind_any).all()
        categories: dict[tuple[str, str], int] = {}
        for category in ("explicit", "implicit", "outcome"):
            names = [n for n, k in KINDS.items() if k.category == category]
            for name, count in conn.execute(
                sa.select(i.c.workload, sa.func.count(sa.distinct(s.c.interaction_id)))
                .select_from(joined)
                .where(*scope, s.c.kind.in_(names))
                .group_by(i.c.workload)
            ):
                categories[(name, category)] = count
        with_any: dict[str, int] = dict(
            conn.execute(
                sa.select(i.c.workload, sa.func.count(sa.distinct(s.c.interaction_id)))
                .select_from(joined)
                .where(*scope)
                .group_by(i.c.workload)
            ).all()
        )
    by_origin: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for name, kind, who, count in split:
        by_origin[(name, kind)][who] = count
    counts = {(name, kind): count for name, kind, count in any_kind}
    out: dict[str, Any] = {}
    for name in sorted(totals):
        total = totals[name]
        kinds = {}
        for kind in sorted(KINDS):
            have = counts.get((name, kind), 0)
            kinds[kind] = {
                "interactions": have,
                "share": round(have / total, 4) if total else 0.0,
                "category": KINDS[kind].category,
                **by_origin.get((name, kind), {}),
            }
        out[name] = {
            "interactions": total,
            "kinds": kinds,
            "categories": {
                c: round(categories.get((name, c), 0) / total, 4) if total else 0.0
                for c in ("explicit", "implicit", "outcome")
            },
            "no_signal_share": round(1 - with_any.get(name, 0) / total, 4) if total else 0.0,
            "never_collected": [k for k, v in kinds.items() if not v["interactions"]],
        }
    return {"project": project_id, "workloads": out}


def table(name: str, entry: dict[str, Any]) -> Table:
    """One workload's coverage as a Rich table (the CLI and the demo print it)."""
    out = Table(title=f"signal coverage of {name} ({entry['interactions']:,} interactions)")
    for col, justify in (
        ("kind", "left"),
        ("category", "left"),
        ("share", "right"),
        ("reported", "right"),
        ("inferred", "right"),
    ):
        out.add_column(col, justify=justify)  # type: ignore[arg-type]
    for kind, cell in entry["kinds"].items():
        out.add_row(
            kind,
            cell["category"],
            f"{cell['share']:.1%}",
            f"{cell.get('reported', 0) + cell.get('system', 0):,}",
            f"{cell.get('inferred', 0):,}",
        )
    out.caption = (
        "never collected: "
        + (", ".join(entry["never_collected"]) or "none")
        + f"; no signal at all: {entry['no_signal_share']:.1%}"
    )
    return out
